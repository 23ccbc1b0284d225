//! `licdesk-issuer`: the vendor's command-line tool (SPEC §5). Everything printed goes through
//! `licdesk_term` (hidden characters escaped, a closed pipe ends quietly with 141, a failed
//! write is an error).

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand};
use licdesk_core::{Extension, LicenseNumber, Variant};
use licdesk_issuer::{
    issue_base, issue_failover, keygen, output, public_key_path, read_request, IfExists, Issued,
    VendorKey,
};
use licdesk_store::ledger::Ledger;
use serde_json::json;

#[derive(Parser, Debug)]
#[command(
    name = "licdesk-issuer",
    version,
    about = "License Desk vendor tool: keys, certificates, activation responses"
)]
struct Cli {
    /// Print stable JSON instead of text.
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Make a new vendor key pair (private file mode 0600, public key FILE.vpub beside it).
    Keygen {
        #[arg(long, value_name = "KEYFILE")]
        out: PathBuf,
        #[arg(long, default_value = "OfficeMaster Vendor")]
        vendor: String,
        /// Replace existing key files (the private key and its public key file).
        #[arg(long)]
        force: bool,
    },
    /// Issue a base license certificate (R1).
    Issue {
        #[arg(long, value_name = "KEYFILE")]
        key: PathBuf,
        #[arg(long)]
        customer: String,
        #[arg(long, value_name = "10|25|250|unlimited")]
        users: String,
        #[arg(long = "extension", value_name = "ARTICLE:NAME:QTY")]
        extensions: Vec<String>,
        /// Re-issue this existing license number (with a higher --revision: R5).
        #[arg(long, value_name = "LICENSE")]
        license: Option<String>,
        #[arg(long, default_value_t = 1)]
        revision: u32,
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// Replace FILE when it exists (never the key or the ledger).
        #[arg(long)]
        force: bool,
    },
    /// Issue a FailoverSuite (XFM.47000) certificate for a base license (R2, R3).
    IssueFailover {
        #[arg(long, value_name = "KEYFILE")]
        key: PathBuf,
        #[arg(long, value_name = "LICENSE")]
        base: String,
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// Replace FILE when it exists (never the key or the ledger).
        #[arg(long)]
        force: bool,
    },
    /// Release a FailoverSuite whose standby hardware is replaced (R4), and sign the release.
    Release {
        #[arg(long, value_name = "KEYFILE")]
        key: PathBuf,
        #[arg(long, value_name = "DB")]
        ledger: PathBuf,
        #[arg(long, value_name = "FILE")]
        request: PathBuf,
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// Replace FILE when it exists (never the key or the ledger).
        #[arg(long)]
        force: bool,
    },
    /// Release by hand the standby of a FailoverSuite whose machine is lost or cannot start (R4;
    /// check the customer's claim first). Any desk holding that standby can import the release.
    ReleaseByHand {
        #[arg(long, value_name = "KEYFILE")]
        key: PathBuf,
        #[arg(long, value_name = "DB")]
        ledger: PathBuf,
        #[arg(long, value_name = "LICENSE")]
        failover: String,
        /// Why, for the ledger's log (who asked, how the claim was checked).
        #[arg(long)]
        reason: String,
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// Replace FILE when it exists (never the key or the ledger).
        #[arg(long)]
        force: bool,
    },
    /// Check an activation request against the rules and the ledger, and sign the response.
    Activate {
        #[arg(long, value_name = "KEYFILE")]
        key: PathBuf,
        #[arg(long, value_name = "DB")]
        ledger: PathBuf,
        #[arg(long, value_name = "FILE")]
        request: PathBuf,
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// Replace FILE when it exists (never the key or the ledger).
        #[arg(long)]
        force: bool,
        #[command(flatten)]
        limits: LimitArgs,
    },
}

/// The R12 limits a standby's signed license carries (SPEC §4); the defaults are the data
/// sheet's five days.
#[derive(clap::Args, Debug)]
struct LimitArgs {
    /// Most hours under load in one failover episode (R12: five days).
    #[arg(long, value_name = "HOURS", default_value_t = 120)]
    limit_hours: u32,
    /// An idle gap of this many hours or more ends a failover episode.
    #[arg(long, value_name = "HOURS", default_value_t = 24)]
    gap_hours: u32,
    /// A warning above this many hours under load.
    #[arg(long, value_name = "HOURS", default_value_t = 72)]
    warn_hours: u32,
    /// A final warning above this many hours under load.
    #[arg(long, value_name = "HOURS", default_value_t = 96)]
    final_warn_hours: u32,
}

impl LimitArgs {
    fn limits(&self) -> licdesk_core::LoadLimits {
        licdesk_core::LoadLimits {
            max_load_hours: self.limit_hours,
            episode_gap_hours: self.gap_hours,
            warning_hours: self.warn_hours,
            final_warning_hours: self.final_warn_hours,
        }
    }
}

fn main() -> ExitCode {
    // `--json` anywhere on the line asks for JSON errors, usage errors included.
    let json = std::env::args_os().skip(1).any(|a| a == "--json");
    licdesk_term::set_json(json);
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) if !e.use_stderr() => {
            // --help and --version
            licdesk_term::out(&e.render().to_string());
            return ExitCode::SUCCESS;
        }
        Err(e) if json => {
            let message = e.kind().to_string();
            let detail = e.to_string();
            let first = detail
                .lines()
                .map(|l| l.trim_start_matches("error: ").trim())
                .find(|l| !l.is_empty())
                .unwrap_or(&message);
            print_error(true, "usage", first);
            return ExitCode::from(2);
        }
        Err(e) => {
            // A usage error quotes what was typed: printed like everything else.
            licdesk_term::err(&e.render().to_string());
            return ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(2));
        }
    };
    let json = cli.json;
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            print_error(json, error_code(&e), &format!("{e:#}"));
            ExitCode::FAILURE
        }
    }
}

/// Errors go to stderr: a sentence, or with `--json` the object `{"code", "message"}`.
fn print_error(json: bool, code: &str, message: &str) {
    if json {
        licdesk_term::err_json(&json!({"code": code, "message": message}));
    } else {
        licdesk_term::err(&format!("error: {message}\n"));
    }
}

/// A stable code for an error, for scripts that branch on it.
fn error_code(e: &anyhow::Error) -> &'static str {
    use licdesk_issuer::IssuerError;
    if let Some(e) = e.downcast_ref::<IssuerError>() {
        return match e {
            IssuerError::Invalid(m) if m.starts_with("the request was refused") => "refused",
            IssuerError::Invalid(_) => "invalid_input",
            IssuerError::Io { .. } => "io",
            IssuerError::KeyNotPrivate(_) => "key_not_private",
            IssuerError::BadKeyFile(_) => "bad_key_file",
            IssuerError::Output(e) => e.code(),
            IssuerError::File(_) => "refused_file",
            IssuerError::Rule(_) => "rule_violation",
            IssuerError::Store(_) => "ledger",
        };
    }
    if let Some(e) = e.downcast_ref::<licdesk_outfile::OutputError>() {
        return e.code();
    }
    if e.downcast_ref::<licdesk_core::IdError>().is_some() {
        return "invalid_input";
    }
    "error"
}

fn print(json: bool, value: serde_json::Value, text: String) {
    if json {
        licdesk_term::out_json(&value);
    } else {
        licdesk_term::out(&format!("{text}\n"));
    }
}

fn run(cli: Cli) -> anyhow::Result<()> {
    let json = cli.json;
    match cli.command {
        Command::Keygen { out, vendor, force } => {
            let key = keygen(&out, &vendor, IfExists::replace_when(force))?;
            let public = public_key_path(&out);
            print(
                json,
                json!({"key_id": key.key_id(), "vendor": key.vendor, "private_key": out, "public_key": public}),
                format!(
                    "Vendor key {} of {} written: private key {} (keep it secret), public key {} (give it to desks: licdesk trust add)",
                    key.key_id(), key.vendor, out.display(), public.display()
                ),
            );
        }
        Command::Issue {
            key,
            customer,
            users,
            extensions,
            license,
            revision,
            out,
            force,
        } => {
            let output = output(&out, IfExists::replace_when(force), Some(&key), None);
            output.check()?;
            let key = VendorKey::load(&key)?;
            let variant = Variant::parse(&users).map_err(licdesk_issuer::IssuerError::Invalid)?;
            let extensions = extensions
                .iter()
                .map(|e| Extension::parse_spec(e))
                .collect::<Result<Vec<_>, _>>()
                .map_err(licdesk_issuer::IssuerError::Invalid)?;
            let license = license.map(|l| LicenseNumber::parse(&l)).transpose()?;
            let (cert, text) = issue_base(&key, &customer, variant, extensions, license, revision)?;
            output.write(text.as_bytes())?;
            let issued = Issued {
                license: cert.license.clone(),
                kind: "base-certificate",
                file: out.display().to_string(),
            };
            print(
                json,
                json!({"license": issued.license, "kind": issued.kind, "file": issued.file, "revision": cert.revision, "variant": cert.variant.code()}),
                format!(
                    "Base license {} (revision {}) for {}, {}, {} extensions, written to {}",
                    cert.license,
                    cert.revision,
                    cert.customer,
                    cert.variant.describe(),
                    cert.extensions.len(),
                    out.display()
                ),
            );
        }
        Command::IssueFailover {
            key,
            base,
            out,
            force,
        } => {
            let output = output(&out, IfExists::replace_when(force), Some(&key), None);
            output.check()?;
            let key = VendorKey::load(&key)?;
            let base = LicenseNumber::parse(&base)?;
            let (cert, text) = issue_failover(&key, &base)?;
            output.write(text.as_bytes())?;
            print(
                json,
                json!({"license": cert.license, "kind": "failover-certificate", "base_license": cert.base_license, "file": out.display().to_string()}),
                format!(
                    "FailoverSuite {} ({}) for base license {} written to {}",
                    cert.license,
                    cert.article,
                    cert.base_license,
                    out.display()
                ),
            );
        }
        Command::Release {
            key,
            ledger,
            request,
            out,
            force,
        } => {
            let output = output(
                &out,
                IfExists::replace_when(force),
                Some(&key),
                Some(&ledger),
            );
            output.check()?;
            let key = VendorKey::load(&key)?;
            let bytes = licdesk_issuer::read_capped(
                &request,
                licdesk_core::FileKind::ReleaseRequest.size_cap(),
            )?;
            let mut ledger = Ledger::open(&ledger)?;
            let (release, text) = licdesk_issuer::release(&key, &mut ledger, &bytes)?;
            output.write(text.as_bytes())?;
            print(
                json,
                json!({"failover": release.failover, "hardware_id": release.hardware_id, "released_at": release.released_at, "release": out.display().to_string()}),
                format!(
                    "FailoverSuite {} released from standby {}; release written to {}",
                    release.failover,
                    release.hardware_id,
                    out.display()
                ),
            );
        }
        Command::ReleaseByHand {
            key,
            ledger,
            failover,
            reason,
            out,
            force,
        } => {
            let output = output(
                &out,
                IfExists::replace_when(force),
                Some(&key),
                Some(&ledger),
            );
            output.check()?;
            let key = VendorKey::load(&key)?;
            let failover = LicenseNumber::parse(&failover)?;
            let mut ledger = Ledger::open(&ledger)?;
            let (release, text) =
                licdesk_issuer::release_by_hand(&key, &mut ledger, &failover, &reason)?;
            output.write(text.as_bytes()).with_context(|| {
                "the ledger holds the release; sign it again with the same command only after checking the ledger"
            })?;
            print(
                json,
                json!({"failover": release.failover, "hardware_id": release.hardware_id, "released_at": release.released_at, "by_hand": true, "release": out.display().to_string()}),
                format!(
                    "FailoverSuite {} released by hand from standby {}; release written to {} (any desk holding that standby can import it)",
                    release.failover,
                    release.hardware_id,
                    out.display()
                ),
            );
        }
        Command::Activate {
            key,
            ledger,
            request,
            out,
            force,
            limits,
        } => {
            let output = output(
                &out,
                IfExists::replace_when(force),
                Some(&key),
                Some(&ledger),
            );
            output.check()?;
            let limits = limits.limits();
            licdesk_issuer::validate_limits(&limits)?;
            let key = VendorKey::load(&key)?;
            let bytes = read_request(&request)?;
            let mut ledger = Ledger::open(&ledger)?;
            let done = licdesk_issuer::activate_with(&key, &mut ledger, &bytes, &limits)?;
            output.write(done.response.as_bytes()).with_context(|| {
                "the ledger holds the activation; run the same command again to write the response once more"
            })?;
            print(
                json,
                json!({"license": done.license, "role": done.role, "hardware_id": done.hardware_id, "mirrors": done.mirrors, "repeated": done.repeated, "response": out.display().to_string(),
                       "limits": (done.role == licdesk_core::Role::Standby && !done.repeated).then_some(limits)}),
                format!(
                    "{} {} activated as {} for machine {}{}{}; response written to {}",
                    if done.role == licdesk_core::Role::Standby {
                        "FailoverSuite"
                    } else {
                        "Base license"
                    },
                    done.license,
                    done.role.code(),
                    done.hardware_id,
                    if done.repeated {
                        " (answered before: same response)"
                    } else {
                        ""
                    },
                    if done.role == licdesk_core::Role::Standby && !done.repeated {
                        format!(
                            ", at most {} h under load per episode (warnings above {} h and {} h; an idle gap of {} h ends an episode)",
                            limits.max_load_hours, limits.warning_hours, limits.final_warning_hours, limits.episode_gap_hours
                        )
                    } else {
                        String::new()
                    },
                    out.display()
                ),
            );
        }
    }
    Ok(())
}
