//! `licdesk`: License Desk on the command line. Parsing and printing only; every use case lives
//! in `licdesk-desk`. One module per command group under `commands/`; everything printed goes
//! through `licdesk_term` (hidden characters escaped, a closed pipe ends quietly with 141, a
//! failed write is an error).

mod args;
mod commands;

use std::ffi::OsString;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use commands::{
    audit, check, hwid, import, journal, list, request, standby, store, sync, trust, Context,
};

#[derive(Parser, Debug)]
#[command(
    name = "licdesk",
    version = licdesk_version::LONG,
    about = "License Desk: offline license portal for the OfficeMaster Suite and its FailoverSuite"
)]
struct Cli {
    /// The store to use: an SQLite file, or a team's store on PostgreSQL named by its URL
    /// (postgres://USER@HOST/DB; default: LICDESK_STORE, else the platform's data directory).
    #[arg(long, global = true, value_name = "PATH|URL")]
    store: Option<PathBuf>,
    /// Print stable JSON instead of text (errors as JSON on stderr).
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Show this machine's hardware ID, and write a hardware-ID file with --out.
    Hwid(hwid::HwidArgs),
    /// Import license certificates and activation responses (each file all or nothing).
    Import(import::ImportArgs),
    /// List base licenses with variant, extensions and activation state.
    List(list::ListArgs),
    /// Show one base license: entitlements, main system, standbys, notices.
    Show(list::ShowArgs),
    /// Standby systems of FailoverSuite licenses.
    #[command(subcommand)]
    Standby(standby::StandbyCommand),
    /// Write an activation request for the vendor.
    Request(request::RequestArgs),
    /// Vendor keys this desk trusts.
    #[command(subcommand)]
    Trust(trust::TrustCommand),
    /// Where the store is kept (and what stays on this computer), a machine-wide folder for a
    /// standby's service.
    #[command(subcommand)]
    Store(store::StoreCommand),
    /// Exchange what this store and another lack, both ways (a laptop's store and its team's):
    /// signed files by content, registrations, requests, decisions, audit entries.
    Sync(sync::SyncArgs),
    /// Show the audit log.
    Audit,
    /// The standby's usage journal (R12): record load/idle, export it signed.
    #[command(subcommand)]
    Journal(journal::JournalCommand),
    /// Monitoring check (Nagios/Icinga/Naemon/Checkmk plugin convention): exit 0 OK, 1 WARNING,
    /// 2 CRITICAL, 3 UNKNOWN, a short first line, every problem below it, performance data;
    /// --format checkmk or prometheus for a Checkmk local check or Prometheus metrics.
    Check(check::CheckArgs),
}

fn main() -> ExitCode {
    let args: Vec<OsString> = std::env::args_os().collect();
    let json = args.iter().any(|a| a == "--json");
    licdesk_term::set_json(json);
    let cli = match Cli::try_parse_from(&args) {
        Ok(cli) => cli,
        Err(e) => return usage_error(&e, &args, json),
    };
    let ctx = Context::new(cli.store, cli.json);
    let result = match cli.command {
        Command::Hwid(a) => hwid::run(a, &ctx),
        Command::Import(a) => import::run(a, &ctx),
        Command::List(a) => list::list(a, &ctx),
        Command::Show(a) => list::show(a, &ctx),
        Command::Standby(c) => standby::run(c, &ctx),
        Command::Request(a) => request::run(a, &ctx),
        Command::Trust(c) => trust::run(c, &ctx),
        Command::Store(c) => store::run(c, &ctx),
        Command::Sync(a) => sync::run(a, &ctx),
        Command::Audit => audit::run(&ctx),
        Command::Journal(c) => journal::run(c, &ctx),
        Command::Check(a) => check::run(a, &ctx),
    };
    result.unwrap_or_else(|e| ctx.fail(&e))
}

/// A command line clap did not accept (or `--help`, `--version`).
fn usage_error(e: &clap::Error, args: &[OsString], json: bool) -> ExitCode {
    let ctx = Context::new(None, json);
    if let Some(refused) = args::refused_value(e) {
        // A license, time, role, mode or state the core refused: a desk input error, as when
        // the command itself read it.
        return ctx.fail(refused);
    }
    if e.use_stderr() && is_check(args) {
        // Monitoring reads exit 2 as CRITICAL: a usage error of the check is UNKNOWN (3).
        let text = e.to_string();
        let first = text
            .lines()
            .map(|l| l.trim_start_matches("error: ").trim())
            .find(|l| !l.is_empty())
            .unwrap_or("the command line is not understood");
        return check::unknown(
            &ctx,
            if json {
                check::CheckFormat::Nagios
            } else {
                check::requested_format(args)
            },
            &format!("usage: {first} (see licdesk check --help)"),
        );
    }
    // Usage errors, --help and --version: clap's text, printed like everything else (a usage
    // error quotes what was typed).
    let text = e.render().to_string();
    if e.use_stderr() {
        licdesk_term::err(&text);
    } else {
        licdesk_term::out(&text);
    }
    ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(2))
}

/// Whether the command line asks for `licdesk check` (looked at before parsing, so that even a
/// usage error of the check answers in the monitoring convention).
fn is_check(args: &[OsString]) -> bool {
    let mut rest = args.iter().skip(1);
    while let Some(arg) = rest.next() {
        match arg.to_str() {
            Some("--store") => {
                rest.next();
            }
            Some(a) if a.starts_with('-') => {}
            Some(a) => return a == "check",
            None => return false,
        }
    }
    false
}
