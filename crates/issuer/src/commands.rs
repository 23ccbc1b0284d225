//! One function per subcommand of `licdesk-issuer`, with its arguments: each checks its output
//! first, calls the library, writes the file and prints the result (text, or JSON with `--json`)
//! through `licdesk_term`.

use std::path::PathBuf;

use anyhow::Context;
use licdesk_core::{Extension, FileKind, LicenseNumber, LoadLimits, Role, Variant};
use licdesk_issuer::{
    output, public_key_path, read_capped, read_request, IfExists, Issued, IssuerError, VendorKey,
};
use licdesk_store::ledger::Ledger;
use serde_json::{json, Value};

// Plain comments on the argument structs: a doc comment there would replace the subcommand's
// help text, which comes from its variant in `main.rs`.

#[derive(clap::Args, Debug)]
pub struct KeygenArgs {
    #[arg(long, value_name = "KEYFILE")]
    out: PathBuf,
    #[arg(long, default_value = "OfficeMaster Vendor")]
    vendor: String,
    /// Replace existing key files (the private key and its public key file).
    #[arg(long)]
    force: bool,
}

#[derive(clap::Args, Debug)]
pub struct IssueArgs {
    #[arg(long, value_name = "KEYFILE")]
    key: PathBuf,
    #[arg(long)]
    customer: String,
    // Parsed here, not by clap: a wrong variant is `invalid_input` (exit 1), not a usage error.
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
}

#[derive(clap::Args, Debug)]
pub struct IssueFailoverArgs {
    #[arg(long, value_name = "KEYFILE")]
    key: PathBuf,
    #[arg(long, value_name = "LICENSE")]
    base: String,
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
    /// Replace FILE when it exists (never the key or the ledger).
    #[arg(long)]
    force: bool,
}

#[derive(clap::Args, Debug)]
pub struct ReleaseArgs {
    #[arg(long, value_name = "KEYFILE")]
    key: PathBuf,
    // An SQLite file, or a postgres:// URL of a ledger several issuers share.
    #[arg(long, value_name = "DB|URL")]
    ledger: PathBuf,
    #[arg(long, value_name = "FILE")]
    request: PathBuf,
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
    /// Replace FILE when it exists (never the key or the ledger).
    #[arg(long)]
    force: bool,
}

#[derive(clap::Args, Debug)]
pub struct ReleaseByHandArgs {
    #[arg(long, value_name = "KEYFILE")]
    key: PathBuf,
    // An SQLite file, or a postgres:// URL of a ledger several issuers share.
    #[arg(long, value_name = "DB|URL")]
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
}

#[derive(clap::Args, Debug)]
pub struct ActivateArgs {
    #[arg(long, value_name = "KEYFILE")]
    key: PathBuf,
    // An SQLite file, or a postgres:// URL of a ledger several issuers share.
    #[arg(long, value_name = "DB|URL")]
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
}

// The R12 limits a standby's signed license carries; the defaults are the data sheet's five days.
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
    fn limits(&self) -> LoadLimits {
        LoadLimits {
            max_load_hours: self.limit_hours,
            episode_gap_hours: self.gap_hours,
            warning_hours: self.warn_hours,
            final_warning_hours: self.final_warn_hours,
        }
    }
}

/// Prints a result: `value` with `--json`, else the sentence `text`.
fn print(json: bool, value: Value, text: String) {
    if json {
        licdesk_term::out_json(&value);
    } else {
        licdesk_term::out(&format!("{text}\n"));
    }
}

fn license(text: &str) -> Result<LicenseNumber, IssuerError> {
    Ok(LicenseNumber::parse(text)?)
}

pub fn keygen(a: KeygenArgs, json: bool) -> anyhow::Result<()> {
    let key = licdesk_issuer::keygen(&a.out, &a.vendor, IfExists::replace_when(a.force))?;
    let public = public_key_path(&a.out);
    print(
        json,
        json!({"key_id": key.key_id(), "vendor": key.vendor, "private_key": a.out, "public_key": public}),
        format!(
            "Vendor key {} of {} written: private key {} (keep it secret), public key {} (give it to desks: licdesk trust add)",
            key.key_id(), key.vendor, a.out.display(), public.display()
        ),
    );
    Ok(())
}

pub fn issue(a: IssueArgs, json: bool) -> anyhow::Result<()> {
    let output = output(&a.out, IfExists::replace_when(a.force), Some(&a.key), None);
    output.check()?;
    let key = VendorKey::load(&a.key)?;
    let variant = Variant::parse(&a.users).map_err(|e| IssuerError::InvalidInput(e.to_string()))?;
    let extensions = a
        .extensions
        .iter()
        .map(|e| Extension::parse_spec(e))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| IssuerError::InvalidInput(e.to_string()))?;
    let number = a.license.as_deref().map(license).transpose()?;
    let (cert, text) =
        licdesk_issuer::issue_base(&key, &a.customer, variant, extensions, number, a.revision)?;
    output.write(text.as_bytes())?;
    let issued = Issued {
        license: cert.license.clone(),
        kind: "base-certificate",
        file: a.out.display().to_string(),
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
            a.out.display()
        ),
    );
    Ok(())
}

pub fn issue_failover(a: IssueFailoverArgs, json: bool) -> anyhow::Result<()> {
    let output = output(&a.out, IfExists::replace_when(a.force), Some(&a.key), None);
    output.check()?;
    let key = VendorKey::load(&a.key)?;
    let base = license(&a.base)?;
    let (cert, text) = licdesk_issuer::issue_failover(&key, &base)?;
    output.write(text.as_bytes())?;
    print(
        json,
        json!({"license": cert.license, "kind": "failover-certificate", "base_license": cert.base_license, "file": a.out.display().to_string()}),
        format!(
            "FailoverSuite {} ({}) for base license {} written to {}",
            cert.license,
            cert.article,
            cert.base_license,
            a.out.display()
        ),
    );
    Ok(())
}

pub fn release(a: ReleaseArgs, json: bool) -> anyhow::Result<()> {
    let output = ledger_output(&a.out, a.force, &a.key, &a.ledger)?;
    let key = VendorKey::load(&a.key)?;
    let bytes = read_capped(&a.request, FileKind::ReleaseRequest.size_cap())?;
    let mut ledger = Ledger::open(&a.ledger).map_err(IssuerError::LedgerOpen)?;
    let (release, text) = licdesk_issuer::release(&key, &mut ledger, &bytes)?;
    output.write(text.as_bytes())?;
    print(
        json,
        json!({"failover": release.failover, "hardware_id": release.hardware_id, "released_at": release.released_at, "release": a.out.display().to_string()}),
        format!(
            "FailoverSuite {} released from standby {}; release written to {}",
            release.failover,
            release.hardware_id,
            a.out.display()
        ),
    );
    Ok(())
}

pub fn release_by_hand(a: ReleaseByHandArgs, json: bool) -> anyhow::Result<()> {
    let output = ledger_output(&a.out, a.force, &a.key, &a.ledger)?;
    let key = VendorKey::load(&a.key)?;
    let failover = license(&a.failover)?;
    let mut ledger = Ledger::open(&a.ledger).map_err(IssuerError::LedgerOpen)?;
    let (release, text) = licdesk_issuer::release_by_hand(&key, &mut ledger, &failover, &a.reason)?;
    output.write(text.as_bytes()).with_context(|| {
        "the ledger holds the release; sign it again with the same command only after checking the ledger"
    })?;
    print(
        json,
        json!({"failover": release.failover, "hardware_id": release.hardware_id, "released_at": release.released_at, "by_hand": true, "release": a.out.display().to_string()}),
        format!(
            "FailoverSuite {} released by hand from standby {}; release written to {} (any desk holding that standby can import it)",
            release.failover,
            release.hardware_id,
            a.out.display()
        ),
    );
    Ok(())
}

pub fn activate(a: ActivateArgs, json: bool) -> anyhow::Result<()> {
    let output = ledger_output(&a.out, a.force, &a.key, &a.ledger)?;
    let limits = a.limits.limits();
    licdesk_issuer::validate_limits(&limits)?;
    let key = VendorKey::load(&a.key)?;
    let bytes = read_request(&a.request)?;
    let mut ledger = Ledger::open(&a.ledger).map_err(IssuerError::LedgerOpen)?;
    let done = licdesk_issuer::activate_with(&key, &mut ledger, &bytes, &limits)?;
    output.write(done.response.as_bytes()).with_context(|| {
        "the ledger holds the activation; run the same command again to write the response once more"
    })?;
    let standby = done.role == Role::Standby;
    let new_limits = standby && !done.repeated;
    print(
        json,
        json!({"license": done.license, "role": done.role, "hardware_id": done.hardware_id, "mirrors": done.mirrors, "repeated": done.repeated, "response": a.out.display().to_string(),
               "limits": new_limits.then_some(limits)}),
        format!(
            "{} {} activated as {} for machine {}{}{}; response written to {}",
            if standby {
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
            if new_limits {
                format!(
                    ", at most {} h under load per episode (warnings above {} h and {} h; an idle gap of {} h ends an episode)",
                    limits.max_load_hours, limits.warning_hours, limits.final_warning_hours, limits.episode_gap_hours
                )
            } else {
                String::new()
            },
            a.out.display()
        ),
    );
    Ok(())
}

/// The output of a command that decides in the ledger, checked before anything is decided: never
/// over the vendor key, its public key file or the ledger; an existing file only with `--force`.
fn ledger_output(
    out: &std::path::Path,
    force: bool,
    key: &std::path::Path,
    ledger: &std::path::Path,
) -> anyhow::Result<licdesk_outfile::Output> {
    let output = output(out, IfExists::replace_when(force), Some(key), Some(ledger));
    output.check()?;
    Ok(output)
}
