//! What happens outside the window: the vendor's answers, hardware-ID files, the CLI and
//! monitoring, a standby's usage journal.

use licdesk_core::Variant;
use licdesk_tests::app::AppHome;
use licdesk_tests::demo_vendor;
use std::path::Path;

use super::*;

/// The vendor's answer, from the real `licdesk-issuer` binary.
pub fn vendor_activates(dir: &Path, request: &Path) -> (bool, String, std::path::PathBuf) {
    vendor_activates_with(dir, request, &[])
}

/// The vendor's answer with more arguments (such as the limits of a standby's license).
pub fn vendor_activates_with(
    dir: &Path,
    request: &Path,
    extra: &[&str],
) -> (bool, String, std::path::PathBuf) {
    vendor_activates_days_ago(dir, request, extra, 0)
}

/// The built binary `name`, run `days_ago` days back in time when that is not 0: its clock
/// (faketime; scripts/setup.sh installs it) says so, as a machine whose day it was then.
fn built_command(name: &str, days_ago: u32) -> std::process::Command {
    let binary = licdesk_tests::built_binary(name);
    if days_ago == 0 {
        return std::process::Command::new(binary);
    }
    let mut command = std::process::Command::new("faketime");
    command.arg("-f").arg(format!("-{days_ago}d")).arg(binary);
    command
}

/// The vendor's answer, given `days_ago` days back.
fn vendor_activates_days_ago(
    dir: &Path,
    request: &Path,
    extra: &[&str],
    days_ago: u32,
) -> (bool, String, std::path::PathBuf) {
    demo_vendor(dir).unwrap();
    let response = request.with_extension("actresp");
    let out = built_command("licdesk-issuer", days_ago)
        .args(["activate", "--key"])
        .arg(dir.join("demo-vendor.key"))
        .arg("--ledger")
        .arg(dir.join("ledger.sqlite"))
        .arg("--request")
        .arg(request)
        .arg("--out")
        .arg(&response)
        .args(extra)
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        response,
    )
}

pub fn typed_hwid(seed: &str) -> String {
    licdesk_core::Hardware::from_components(
        vec![licdesk_core::Component::from_raw(
            licdesk_core::ComponentKind::MachineId,
            seed,
        )],
        None,
    )
    .id
    .to_string()
}

/// A standby's hardware-ID file, written by `licdesk hwid --out` with that machine's own desk
/// (its own installation key), and the hardware ID it names.
pub fn hardware_id_file(dir: &Path, name: &str) -> (std::path::PathBuf, String) {
    let file = dir.join(format!("{name}.hwid"));
    let out = std::process::Command::new(licdesk_tests::built_binary("licdesk"))
        .arg("--store")
        .arg(dir.join(format!("{name}-desk.sqlite")))
        .args(["--json", "hwid", "--out"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    (file, json["hardware_id"].as_str().unwrap().to_string())
}

pub fn write(dir: &Path, name: &str, text: &str) -> std::path::PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

pub fn cli(store: &Path, args: &[&str]) -> String {
    cli_days_ago(store, args, 0)
}

/// `licdesk` on `store`, run `days_ago` days back.
fn cli_days_ago(store: &Path, args: &[&str], days_ago: u32) -> String {
    let out = built_command("licdesk", days_ago)
        .arg("--store")
        .arg(store)
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "licdesk {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// `licdesk check` on `store` with the built binary: its exit code (0 OK, 1 WARNING, 2 CRITICAL,
/// 3 UNKNOWN) and its text: the status line and a line per problem, without the performance data
/// (everything from the first `|`, which the text never holds).
pub fn monitoring(store: &Path) -> (i32, String) {
    let out = std::process::Command::new(licdesk_tests::built_binary("licdesk"))
        .arg("--store")
        .arg(store)
        .arg("check")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let text = stdout.split('|').next().unwrap_or_default().to_string();
    (out.status.code().unwrap(), text)
}

/// A FailoverSuite whose standby was activated on its own desk (this machine), and that desk's
/// usage journal with `parts` (state, hours ago), exported. The app's store holds the certificates.
pub fn standby_with_journal(
    dir: &Path,
    home: &AppHome,
    parts: &[(&str, i64)],
) -> (
    licdesk_core::LicenseNumber,
    licdesk_core::LicenseNumber,
    std::path::PathBuf,
) {
    standby_with_journal_of(dir, home, "Five Days GmbH", parts, 0)
}

/// [`standby_with_journal`] for a base license of `customer`, the standby's whole chain — its
/// desk, the vendor's activation, the journal and its export — made `days_ago` days back (its
/// parts' hours count back from then). Each call needs a `dir` of its own.
pub fn standby_with_journal_of(
    dir: &Path,
    home: &AppHome,
    customer: &str,
    parts: &[(&str, i64)],
    days_ago: u32,
) -> (
    licdesk_core::LicenseNumber,
    licdesk_core::LicenseNumber,
    std::path::PathBuf,
) {
    let demo = demo_vendor(dir).unwrap();
    let (base, bt) =
        licdesk_issuer::issue_base(&demo, customer, Variant::Users25, vec![], None, 1).unwrap();
    let (fo, ft) = licdesk_issuer::issue_failover(&demo, &base.license).unwrap();
    let bf = write(dir, "base.lic", &bt);
    let ff = write(dir, "failover.lic", &ft);
    let standby = dir.join("standby-desk.sqlite");
    let cli = |args: &[&str]| cli_days_ago(&standby, args, days_ago);
    cli(&["import", bf.to_str().unwrap(), ff.to_str().unwrap()]);
    cli(&[
        "standby",
        "register",
        "--failover",
        fo.license.as_str(),
        "--this-machine",
        "--mode",
        "hot",
    ]);
    let req = dir.join("standby.actreq");
    cli(&[
        "request",
        "--license",
        fo.license.as_str(),
        "--role",
        "standby",
        "--out",
        req.to_str().unwrap(),
    ]);
    let (ok, err, resp) = vendor_activates_days_ago(dir, &req, &[], days_ago);
    assert!(ok, "{err}");
    cli(&["import", resp.to_str().unwrap()]);
    let then = licdesk_desk::now().unix() - i64::from(days_ago) * 86_400;
    for (state, hours_ago) in parts {
        let at = licdesk_core::Timestamp::from_unix(then - hours_ago * 3600).to_string();
        cli(&["journal", "append", "--state", state, "--at", &at]);
    }
    let journal = dir.join("usage.journal");
    cli(&["journal", "export", "--out", journal.to_str().unwrap()]);
    let mut b = StoreBuilder::new(dir, home);
    b.import(&bt);
    b.import(&ft);
    (base.license, fo.license, journal)
}

/// `text` (a signed file) with one character of its payload changed and its signature kept: the
/// signature no longer verifies. `line` counts the payload's lines (not its last), `at` the
/// character in it.
pub fn with_payload_changed(text: &str, line: usize, at: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let start = lines.iter().position(|l| l.is_empty()).unwrap() + 1;
    let end = lines
        .iter()
        .rposition(|l| l.starts_with("-----END"))
        .unwrap();
    assert!(start + line + 1 < end, "the payload has too few lines");
    let mut chars: Vec<char> = lines[start + line].chars().collect();
    chars[at] = if chars[at] == 'A' { 'B' } else { 'A' };
    let changed: String = chars.into_iter().collect();
    lines
        .iter()
        .enumerate()
        .map(|(i, l)| {
            if i == start + line {
                format!("{changed}\n")
            } else {
                format!("{l}\n")
            }
        })
        .collect()
}

/// `response` (vendor-signed) changed by `change` and signed again by the demo vendor: a response
/// the vendor could have made by mistake, genuine in every other way.
pub fn resigned_response(
    demo: &licdesk_issuer::VendorKey,
    response: &Path,
    change: impl FnOnce(&mut licdesk_core::ActivationResponse),
) -> String {
    let text = std::fs::read_to_string(response).unwrap();
    let verified = licdesk_core::Envelope::parse(text.as_bytes())
        .unwrap()
        .verify(&demo.key.verifying_key())
        .unwrap();
    let mut payload: licdesk_core::ActivationResponse = verified.payload().unwrap();
    change(&mut payload);
    licdesk_core::seal(
        licdesk_core::FileKind::ActivationResponse,
        &payload,
        &demo.key,
    )
}
