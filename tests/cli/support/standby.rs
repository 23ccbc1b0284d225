//! A standby activated on its own desk, its usage journal, times, signed payloads and releases.

use licdesk_core::usage::UsageJournal;
use licdesk_core::{seal, Envelope, FileKind, SigningKey, Timestamp};

use super::*;

pub const HOUR: i64 = 3600;

pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

pub fn at(unix: i64) -> String {
    Timestamp::from_unix(unix).to_string()
}

/// A standby activated on its own desk ("standby", this machine), its certificates also on the
/// reseller's desk ("main"). Returns (vendor, base, failover).
pub fn activated_standby(w: &World) -> (Vendor, String, String) {
    activated_standby_with(w, &[])
}

/// [`activated_standby`], the vendor activating with `limits` (issuer options).
pub fn activated_standby_with(w: &World, limits: &[&str]) -> (Vendor, String, String) {
    let v = w.vendor();
    let (base, bf) = w.issue_base(&v, "Journal GmbH", "25", &["XOM.11000:Fax:1"]);
    let (fo, ff) = w.issue_failover(&v, &base);
    for desk in ["standby", "main"] {
        w.desk(desk, &["trust", "add", &v.public]).ok();
        w.desk(desk, &["import", &bf, &ff]).ok();
    }
    w.desk(
        "standby",
        &[
            "standby",
            "register",
            "--failover",
            &fo,
            "--this-machine",
            "--mode",
            "hot",
        ],
    )
    .ok();
    let req = w.p("standby.actreq");
    standby_request(w, "standby", &fo, &[], &req).ok();
    let (run, resp) = w.activate_with(&v, &req, limits);
    run.ok();
    w.desk("standby", &["import", &resp]).ok();
    (v, base, fo)
}

pub fn journal(w: &World, parts: &[(&str, i64)]) -> String {
    for (state, t) in parts {
        w.desk(
            "standby",
            &["journal", "append", "--state", state, "--at", &at(*t)],
        )
        .ok();
    }
    // The same file each time: the journal exported before is replaced.
    let file = w.p("usage.journal");
    w.desk("standby", &["journal", "export", "--force", "--out", &file])
        .ok();
    file
}

/// `licdesk request --license FAILOVER --role standby MACHINE... --out OUT` on `desk`.
pub fn standby_request(w: &World, desk: &str, failover: &str, machine: &[&str], out: &str) -> Run {
    let mut args = vec!["request", "--license", failover, "--role", "standby"];
    args.extend_from_slice(machine);
    args.extend(["--out", out]);
    w.desk(desk, &args)
}

/// A base certificate issued 30 days ahead by the vendor key at `key_file`, imported on the
/// "main" desk: it raises that desk's trusted time floor.
pub fn import_a_certificate_issued_30_days_ahead(w: &World, key_file: &str) {
    let key = {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(key_file, std::fs::Permissions::from_mode(0o600)).unwrap();
        licdesk_issuer::VendorKey::load(std::path::Path::new(key_file)).unwrap()
    };
    let (mut cert, _) = licdesk_issuer::issue_base(
        &key,
        "Future AG",
        licdesk_core::Variant::Users10,
        vec![],
        None,
        1,
    )
    .unwrap();
    cert.issued_at = Timestamp::from_unix(now() + 30 * 24 * HOUR);
    std::fs::write(
        w.path("future.lic"),
        seal(FileKind::BaseCertificate, &cert, &key.key),
    )
    .unwrap();
    w.desk("main", &["import", &w.p("future.lic")]).ok();
}

/// Whether monitoring's performance data gives `fo` a load of `expected` seconds with
/// `thresholds` after it. A running episode counts until the journal's export, which is later
/// than the clock reading the test started from: a figure up to two minutes above is that.
pub fn load_is(stdout: &str, fo: &str, expected: i64, thresholds: &str) -> bool {
    perf_seconds(stdout, &format!("{fo}_load"))
        .is_some_and(|(v, after)| seconds_near(v, expected) && after == thresholds)
}

/// Whether monitoring's performance data gives `fo` `expected` seconds unaccounted for (counted
/// up to the check, a moment after the test read the clock).
pub fn unaccounted_is(stdout: &str, fo: &str, expected: i64) -> bool {
    perf_seconds(stdout, &format!("{fo}_unaccounted"))
        .is_some_and(|(v, _)| seconds_near(v, expected))
}

fn seconds_near(value: i64, expected: i64) -> bool {
    (expected..=expected + 120).contains(&value)
}

/// The seconds of the performance figure `'LABEL'=Ns;…` and what follows `s;`.
fn perf_seconds(stdout: &str, label: &str) -> Option<(i64, String)> {
    let prefix = format!("'{label}'=");
    stdout.lines().find_map(|line| {
        let (value, after) = line.strip_prefix(&prefix)?.split_once("s;")?;
        Some((value.parse().ok()?, after.to_string()))
    })
}

/// `licdesk journal acknowledge --failover FAILOVER --reason REASON` on `desk`.
pub fn acknowledge(w: &World, desk: &str, failover: &str, reason: &str) -> Run {
    w.desk(
        desk,
        &[
            "journal",
            "acknowledge",
            "--failover",
            failover,
            "--reason",
            reason,
        ],
    )
}

pub fn check(w: &World, desk: &str) -> Run {
    w.desk(desk, &["check"])
}

/// Re-signs a journal with `key` after `change` (the test plays the tamperer).
pub fn resigned(file: &str, key: &SigningKey, change: impl FnOnce(&mut UsageJournal)) -> String {
    let text = std::fs::read_to_string(file).unwrap();
    let mut journal: UsageJournal = Envelope::parse(text.as_bytes())
        .unwrap()
        .verify_self_signed()
        .unwrap()
        .payload()
        .unwrap();
    change(&mut journal);
    seal(FileKind::UsageJournal, &journal, key)
}

pub fn installation_key(w: &World) -> SigningKey {
    use base64::Engine;
    let text = std::fs::read_to_string(w.path("standby.installation-key")).unwrap();
    let seed = base64::engine::general_purpose::STANDARD
        .decode(text.lines().nth(1).unwrap())
        .unwrap();
    SigningKey::from_bytes(&seed.try_into().unwrap())
}

/// The (shortened) SHA-256 of the first tampered journal a `licdesk check` line names.
pub fn shown_hash(line: &str) -> String {
    line.split("SHA-256 ")
        .nth(1)
        .and_then(|rest| rest.split('…').next())
        .expect("the hash in the status line")
        .to_string()
}

/// `licdesk-issuer release` of `request`, written to `out`.
pub fn vendor_releases(w: &World, v: &Vendor, request: &str, out: &str) -> Run {
    w.issuer(&[
        "release",
        "--key",
        &v.key,
        "--ledger",
        &v.ledger,
        "--request",
        request,
        "--out",
        out,
    ])
}

/// The payload of the self-signed file `file` (a request, a journal).
pub fn payload<T: serde::Serialize + serde::de::DeserializeOwned>(file: &str) -> T {
    let text = std::fs::read_to_string(file).unwrap();
    Envelope::parse(text.as_bytes())
        .unwrap()
        .verify_self_signed()
        .unwrap()
        .payload()
        .unwrap()
}

pub fn release_standby(w: &World, v: &Vendor, fo: &str, name: &str) -> String {
    let relreq = w.p(&format!("{name}.relreq"));
    w.desk(
        "standby",
        &[
            "standby",
            "release-request",
            "--failover",
            fo,
            "--reason",
            "new hardware",
            "--out",
            &relreq,
        ],
    )
    .ok();
    let release = w.p(&format!("{name}.release"));
    vendor_releases(w, v, &relreq, &release).ok();
    release
}

/// A standby under load for 130 h, its journal imported on the reseller's desk ("main"):
/// a running violation.
pub fn violation_reported(w: &World) -> (String, i64) {
    let t0 = now() - 130 * HOUR;
    let file = journal(w, &[("load", t0)]);
    w.desk("main", &["import", &file]).ok();
    let run = check(w, "main");
    assert_eq!(run.code, 2, "{}", run.stdout);
    (file, t0)
}

/// `licdesk standby register --failover FAILOVER --hwid-file FILE` on `desk`.
pub fn register_from_file(w: &World, desk: &str, failover: &str, file: &str) -> Run {
    w.desk(
        desk,
        &[
            "standby",
            "register",
            "--failover",
            failover,
            "--hwid-file",
            file,
        ],
    )
}
