//! `licdesk-issuer`: the vendor's command-line tool (SPEC §5).

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand};
use licdesk_core::{Extension, LicenseNumber, Variant};
use licdesk_issuer::{
    activate, issue_base, issue_failover, keygen, public_key_path, read_request, write_file,
    Issued, VendorKey,
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
        /// Overwrite existing key files.
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
    },
    /// Issue a FailoverSuite (XFM.47000) certificate for a base license (R2, R3).
    IssueFailover {
        #[arg(long, value_name = "KEYFILE")]
        key: PathBuf,
        #[arg(long, value_name = "LICENSE")]
        base: String,
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
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
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn print(json: bool, value: serde_json::Value, text: String) {
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&value).unwrap_or_default()
        );
    } else {
        println!("{text}");
    }
}

fn run(cli: Cli) -> anyhow::Result<()> {
    let json = cli.json;
    match cli.command {
        Command::Keygen { out, vendor, force } => {
            let key = keygen(&out, &vendor, force)?;
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
        } => {
            let key = VendorKey::load(&key)?;
            let variant = Variant::parse(&users).map_err(anyhow::Error::msg)?;
            let extensions = extensions
                .iter()
                .map(|e| Extension::parse_spec(e))
                .collect::<Result<Vec<_>, _>>()
                .map_err(anyhow::Error::msg)?;
            let license = license.map(|l| LicenseNumber::parse(&l)).transpose()?;
            let (cert, text) = issue_base(&key, &customer, variant, extensions, license, revision)?;
            write_file(&out, &text)?;
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
        Command::IssueFailover { key, base, out } => {
            let key = VendorKey::load(&key)?;
            let base = LicenseNumber::parse(&base)?;
            let (cert, text) = issue_failover(&key, &base)?;
            write_file(&out, &text)?;
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
        } => {
            let key = VendorKey::load(&key)?;
            let bytes = licdesk_issuer::read_capped(
                &request,
                licdesk_core::FileKind::ReleaseRequest.size_cap(),
            )?;
            let mut ledger = Ledger::open(&ledger)?;
            let (release, text) = licdesk_issuer::release(&key, &mut ledger, &bytes)?;
            write_file(&out, &text)?;
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
        Command::Activate {
            key,
            ledger,
            request,
            out,
        } => {
            let key = VendorKey::load(&key)?;
            let bytes = read_request(&request)?;
            let mut ledger = Ledger::open(&ledger)?;
            let done = activate(&key, &mut ledger, &bytes)?;
            write_file(&out, &done.response).with_context(|| {
                "the ledger holds the activation; run the same command again to write the response once more"
            })?;
            print(
                json,
                json!({"license": done.license, "role": done.role, "hardware_id": done.hardware_id, "mirrors": done.mirrors, "repeated": done.repeated, "response": out.display().to_string()}),
                format!(
                    "{} {} activated as {} for machine {}{}; response written to {}",
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
                    out.display()
                ),
            );
        }
    }
    Ok(())
}
