//! `licdesk`: License Desk on the command line (SPEC §5). Parsing and printing only; every use
//! case lives in `licdesk-desk`. Everything printed goes through `licdesk_term` (hidden
//! characters escaped, a closed pipe ends quietly with 141, a failed write is an error).

mod print;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use licdesk_core::{LicenseNumber, Role, StandbyMode};
use licdesk_desk::{location, Desk, DeskError, IfExists, ImportStatus, MachineChoice};
use serde::Serialize;

#[derive(Parser, Debug)]
#[command(
    name = "licdesk",
    version,
    about = "License Desk: offline license portal for the OfficeMaster Suite and its FailoverSuite"
)]
struct Cli {
    /// The store to use (default: LICDESK_STORE, else the platform's data directory).
    #[arg(long, global = true, value_name = "PATH")]
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
    Hwid {
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// Replace FILE when it exists (never the store or the installation key).
        #[arg(long)]
        force: bool,
    },
    /// Import license certificates and activation responses (each file all or nothing).
    Import {
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
    },
    /// List base licenses with variant, extensions and activation state.
    List {
        /// Only customers whose name contains TEXT (or license numbers starting with it).
        #[arg(long, value_name = "TEXT", default_value = "")]
        customer: String,
        #[arg(long, default_value_t = 0)]
        offset: u32,
        #[arg(long, default_value_t = 100)]
        limit: u32,
    },
    /// Show one base license: entitlements, main system, standbys, notices.
    Show {
        #[arg(value_name = "LICENSE")]
        license: String,
    },
    /// Standby systems of FailoverSuite licenses.
    #[command(subcommand)]
    Standby(StandbyCommand),
    /// Write an activation request for the vendor.
    Request {
        #[arg(long, value_name = "LICENSE")]
        license: String,
        #[arg(long, value_name = "main|standby")]
        role: String,
        #[command(flatten)]
        machine: MachineArgs,
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// Replace FILE when it exists (never the store or the installation key).
        #[arg(long)]
        force: bool,
    },
    /// Vendor keys this desk trusts.
    #[command(subcommand)]
    Trust(TrustCommand),
    /// Show the audit log.
    Audit,
    /// The standby's usage journal (R12): record load/idle, export it signed.
    #[command(subcommand)]
    Journal(JournalCommand),
    /// Monitoring check (Nagios/Icinga/Naemon/Checkmk plugin convention): exit 0 OK, 1 WARNING,
    /// 2 CRITICAL, 3 UNKNOWN, one status line with performance data.
    Check,
}

#[derive(Subcommand, Debug)]
enum JournalCommand {
    /// Record that the standby is under load or idle from now (or --at TIME) on.
    Append {
        #[arg(long, value_name = "load|idle")]
        state: String,
        /// An RFC 3339 time such as 2026-11-24T09:30:00Z (default: now).
        #[arg(long, value_name = "TIME")]
        at: Option<String>,
    },
    /// Write the hash-chained journal, signed by this installation's key.
    Export {
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// Replace FILE when it exists (never the store or the installation key).
        #[arg(long)]
        force: bool,
    },
    /// Dismiss a tampered journal (its signature failed, or it could not be trusted), once
    /// looked into (audited): monitoring stops reporting it.
    Dismiss {
        /// Its SHA-256, or at least the first 8 characters that licdesk check shows.
        #[arg(long, value_name = "SHA256")]
        journal: String,
        /// Why (who looked into it, and what was found), for the audit log.
        #[arg(long, value_name = "TEXT")]
        reason: String,
    },
    /// Acknowledge a standby's past five-day violations (episodes that have ended), once looked
    /// into (audited): monitoring stops reporting them.
    Acknowledge {
        #[arg(long, value_name = "LICENSE")]
        failover: String,
        /// Why (who looked into it, and what was done), for the audit log.
        #[arg(long, value_name = "TEXT")]
        reason: String,
    },
}

#[derive(Subcommand, Debug)]
enum StandbyCommand {
    /// Write a release request for a standby whose hardware is replaced (then import the release).
    ReleaseRequest {
        #[arg(long, value_name = "LICENSE")]
        failover: String,
        #[arg(long, default_value = "hardware replaced")]
        reason: String,
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// Replace FILE when it exists (never the store or the installation key).
        #[arg(long)]
        force: bool,
    },
    /// Acknowledge the standby/test-only notice of a FailoverSuite (R11; recorded in the audit log).
    Acknowledge {
        #[arg(long, value_name = "LICENSE")]
        failover: String,
    },
    /// Register the standby machine of a FailoverSuite license (R4, R13).
    Register {
        #[arg(long, value_name = "LICENSE")]
        failover: String,
        #[command(flatten)]
        machine: MachineArgs,
        #[arg(long, value_name = "cold|hot|test", default_value = "cold")]
        mode: String,
    },
}

#[derive(Subcommand, Debug)]
enum TrustCommand {
    /// Trust another vendor public key (recorded in the audit log).
    Add {
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
    /// List the trusted vendor keys.
    List,
}

#[derive(Args, Debug)]
#[group(multiple = false)]
struct MachineArgs {
    /// A hardware ID typed in (checked by its check characters).
    #[arg(long, value_name = "ID")]
    hwid: Option<String>,
    /// A hardware-ID file made with `licdesk hwid --out` on that machine.
    #[arg(long, value_name = "FILE")]
    hwid_file: Option<PathBuf>,
    /// This machine.
    #[arg(long)]
    this_machine: bool,
}

impl MachineArgs {
    fn choice(&self) -> Option<MachineChoice> {
        if let Some(id) = &self.hwid {
            Some(MachineChoice::Typed(id.clone()))
        } else if let Some(f) = &self.hwid_file {
            Some(MachineChoice::File(f.clone()))
        } else if self.this_machine {
            Some(MachineChoice::ThisMachine)
        } else {
            None
        }
    }
}

/// Whether the command line asks for `licdesk check` (looked at before parsing, so that even a
/// usage error of the check answers in the monitoring convention).
fn is_check(args: &[std::ffi::OsString]) -> bool {
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

/// The monitoring answer UNKNOWN (exit 3), one line; with `--json` the report object.
fn unknown(json: bool, reason: &str) -> ExitCode {
    let line = format!("LICDESK UNKNOWN - {}", reason.replace('\n', " "));
    if json {
        let report = serde_json::json!({"status": "UNKNOWN", "line": line, "problems": [reason]});
        licdesk_term::out_json(&report);
    } else {
        licdesk_term::out(&format!("{line}\n"));
    }
    ExitCode::from(3)
}

fn main() -> ExitCode {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    licdesk_term::set_json(args.iter().any(|a| a == "--json"));
    let cli = match Cli::try_parse_from(&args) {
        Ok(cli) => cli,
        Err(e) if e.use_stderr() && is_check(&args) => {
            // Monitoring reads exit 2 as CRITICAL: a usage error of the check is UNKNOWN (3).
            let text = e.to_string();
            let first = text
                .lines()
                .map(|l| l.trim_start_matches("error: ").trim())
                .find(|l| !l.is_empty())
                .unwrap_or("the command line is not understood")
                .to_string();
            let json = args.iter().any(|a| a == "--json");
            return unknown(json, &format!("usage: {first} (see licdesk check --help)"));
        }
        Err(e) => {
            // Usage errors, --help and --version: clap's text, printed like everything else
            // (a usage error quotes what was typed).
            let text = e.render().to_string();
            if e.use_stderr() {
                licdesk_term::err(&text);
            } else {
                licdesk_term::out(&text);
            }
            return ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(2));
        }
    };
    let json = cli.json;
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            if json {
                licdesk_term::err_json(&e);
            } else {
                licdesk_term::err(&format!("error: {}\n", e.message));
            }
            ExitCode::FAILURE
        }
    }
}

fn emit<T: Serialize>(json: bool, value: &T, text: impl FnOnce(&T) -> String) {
    if json {
        licdesk_term::out_json(value);
    } else {
        licdesk_term::out(&text(value));
    }
}

fn parse_license(text: &str) -> Result<LicenseNumber, DeskError> {
    Ok(LicenseNumber::parse(text)?)
}

fn open(store: Option<&std::path::Path>) -> Result<Desk, DeskError> {
    Desk::open(&location::resolve_store_path(store)?)
}

fn run(cli: Cli) -> Result<ExitCode, DeskError> {
    let json = cli.json;
    let store = cli.store.as_deref();
    match cli.command {
        Command::Hwid { out, force } => {
            let hardware = match &out {
                Some(path) => {
                    open(store)?.write_hardware_file(path, IfExists::replace_when(force))?
                }
                None => licdesk_desk::this_machine()?,
            };
            let view = print::HardwareView {
                hardware_id: hardware.id.to_string(),
                label: hardware.label.clone(),
                components: hardware.components.len(),
                file: out.map(|p| p.display().to_string()),
            };
            emit(json, &view, print::hardware);
        }
        Command::Import { files } => {
            let outcomes = open(store)?.import_paths(&files);
            // A refused file and a tampered usage journal (recorded, never used) are errors:
            // said on stderr, with a non-zero exit.
            let errors: Vec<(&licdesk_desk::ImportOutcome, DeskError)> = outcomes
                .iter()
                .filter_map(|o| match o.status {
                    ImportStatus::Refused => Some((
                        o,
                        o.error
                            .clone()
                            .unwrap_or_else(|| DeskError::invalid(o.message.clone())),
                    )),
                    ImportStatus::Tampered => Some((
                        o,
                        DeskError::new(licdesk_desk::ErrorCode::Tampered, o.message.clone()),
                    )),
                    _ => None,
                })
                .collect();
            if json {
                licdesk_term::out_json(&serde_json::json!({ "files": outcomes }));
                for (o, e) in &errors {
                    let mut object = serde_json::to_value(e).unwrap_or_default();
                    if let Some(map) = object.as_object_mut() {
                        map.insert("file".into(), o.file.clone().into());
                    }
                    licdesk_term::err_json(&object);
                }
            } else {
                for o in &outcomes {
                    match o.status {
                        ImportStatus::Refused => licdesk_term::err(&format!(
                            "error: {}: refused: {}\n",
                            o.file, o.message
                        )),
                        ImportStatus::Tampered => licdesk_term::err(&format!(
                            "error: {}: tampered: {}\n",
                            o.file, o.message
                        )),
                        _ => licdesk_term::out(&format!("{}: {}\n", o.file, o.message)),
                    }
                }
            }
            if !errors.is_empty() {
                return Ok(ExitCode::FAILURE);
            }
        }
        Command::List {
            customer,
            offset,
            limit,
        } => {
            let page = open(store)?.list(&customer, offset, limit)?;
            emit(json, &page, print::page);
        }
        Command::Show { license } => {
            let license = parse_license(&license)?;
            let detail = open(store)?.show(&license)?;
            emit(json, &detail, print::detail);
        }
        Command::Standby(StandbyCommand::Register {
            failover,
            machine,
            mode,
        }) => {
            let failover = parse_license(&failover)?;
            let mode = StandbyMode::parse(&mode).map_err(DeskError::invalid)?;
            let choice = machine.choice().ok_or_else(|| {
                DeskError::invalid(
                    "name the standby machine with --hwid ID, --hwid-file FILE or --this-machine",
                )
            })?;
            let view = open(store)?.register_standby(&failover, &choice, mode)?;
            emit(json, &view, print::registered);
        }
        Command::Request {
            license,
            role,
            machine,
            out,
            force,
        } => {
            let license = parse_license(&license)?;
            let role = Role::parse(&role).map_err(DeskError::invalid)?;
            let written = open(store)?.write_request(
                &license,
                role,
                machine.choice().as_ref(),
                &out,
                IfExists::replace_when(force),
            )?;
            emit(json, &written, print::request);
        }
        Command::Trust(TrustCommand::Add { file }) => {
            let (key, added) = open(store)?.trust_add(&file)?;
            let view = serde_json::json!({ "key": key, "added": added });
            emit(json, &view, |_| print::trusted(&key, added));
        }
        Command::Trust(TrustCommand::List) => {
            let keys = open(store)?.trusted_keys();
            emit(json, &keys, |k| print::trusted_list(k));
        }
        Command::Standby(StandbyCommand::ReleaseRequest {
            failover,
            reason,
            out,
            force,
        }) => {
            let failover = parse_license(&failover)?;
            let request = open(store)?.write_release_request(
                &failover,
                &reason,
                &out,
                IfExists::replace_when(force),
            )?;
            let view = serde_json::json!({"failover": failover, "hardware_id": request.hardware.id, "file": out.display().to_string()});
            emit(json, &view, |_| {
                format!("Release request for the standby {} of FailoverSuite {failover} written to {}\nSend it to the vendor and import the release with: licdesk import RELEASE-FILE\n", request.hardware.id, out.display())
            });
        }
        Command::Standby(StandbyCommand::Acknowledge { failover }) => {
            let failover = parse_license(&failover)?;
            let mut desk = open(store)?;
            let at = desk.acknowledge_notice(&failover)?;
            let notice = desk.standby_notice(&failover)?;
            let view = serde_json::json!({ "failover": failover, "acknowledged_at": at });
            emit(json, &view, |_| {
                format!("Notice acknowledged for FailoverSuite {failover} at {at} (recorded in the audit log):\n{notice}\n")
            });
        }
        Command::Journal(JournalCommand::Append { state, at }) => {
            let state =
                licdesk_core::usage::UsageState::parse(&state).map_err(DeskError::invalid)?;
            let at = at
                .map(|t| licdesk_core::Timestamp::parse(&t).map_err(DeskError::invalid))
                .transpose()?;
            let entry = open(store)?.journal_append(state, at)?;
            emit(json, &entry, |e| {
                format!(
                    "journal entry {}: {} from {}\n",
                    e.seq,
                    e.state.code(),
                    e.at
                )
            });
        }
        Command::Journal(JournalCommand::Export { out, force }) => {
            let journal = open(store)?.journal_export(&out, IfExists::replace_when(force))?;
            let view = serde_json::json!({
                "failover": journal.failover, "entries": journal.entries.len(),
                "exported_at": journal.exported_at, "file": out.display().to_string(),
            });
            emit(json, &view, |_| {
                format!(
                    "usage journal of FailoverSuite {} ({} entries) written to {}\n",
                    journal.failover,
                    journal.entries.len(),
                    out.display()
                )
            });
        }
        Command::Journal(JournalCommand::Dismiss { journal, reason }) => {
            let dismissed = open(store)?.dismiss_tampered_journal(&journal, &reason)?;
            emit(json, &dismissed, |j| {
                let whose = match (&j.failover, &j.key_id) {
                    (Some(f), _) => format!("of FailoverSuite {f}"),
                    (None, k) => format!("naming key {}", k.as_deref().unwrap_or("?")),
                };
                format!(
                    "tampered usage journal {} ({whose}) dismissed: monitoring no longer reports it\n",
                    j.file_hash
                )
            });
        }
        Command::Journal(JournalCommand::Acknowledge { failover, reason }) => {
            let failover = parse_license(&failover)?;
            let done = open(store)?.acknowledge_violations(&failover, &reason)?;
            emit(json, &done, |a| {
                let mut text = format!(
                    "Five-day violations of FailoverSuite {} acknowledged at {} (recorded in the audit log); monitoring no longer reports them:\n",
                    a.failover, a.acknowledged_at
                );
                for e in &a.episodes {
                    text.push_str(&format!(
                        "  the episode since {}: {:.1} h under load, {:.1} h over the limit\n",
                        e.start,
                        e.load_seconds as f64 / 3600.0,
                        e.over_limit_seconds as f64 / 3600.0
                    ));
                }
                text
            });
        }
        Command::Check => {
            // Monitoring needs an answer even when the store cannot be read: UNKNOWN (3). A
            // store that does not exist is not created (that would answer OK about nothing).
            let path = match location::resolve_store_path(store) {
                Ok(p) => p,
                Err(e) => return Ok(unknown(json, &e.message)),
            };
            if !path.is_file() {
                return Ok(unknown(
                    json,
                    &format!(
                        "there is no store at {}: check --store or LICDESK_STORE",
                        path.display()
                    ),
                ));
            }
            // Read only: check creates no file and changes nothing (an empty or damaged file
            // stays as it is, and is answered UNKNOWN naming what is wrong).
            let report = Desk::open_read_only(&path).and_then(|d| d.check());
            return Ok(match report {
                Ok(r) => {
                    if json {
                        licdesk_term::out_json(&r);
                    } else {
                        licdesk_term::out(&format!("{}\n", r.plugin_output()));
                    }
                    ExitCode::from(r.status.exit_code())
                }
                Err(e) => unknown(
                    json,
                    &format!("the store {} cannot be read: {}", path.display(), e.message),
                ),
            });
        }
        Command::Audit => {
            let log = open(store)?.audit_log()?;
            emit(json, &log, |l| print::audit(l));
        }
    }
    Ok(ExitCode::SUCCESS)
}
