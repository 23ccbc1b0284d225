//! Standby compliance through the CLI: the usage journal and the five-day rule (R12), the notice
//! (R11), monitoring (`licdesk check`), out-of-date standbys (R5) and the trusted time floor.

use licdesk_core::usage::{chain_hash, JournalEntry, UsageJournal, UsageState, GENESIS};
use licdesk_core::{seal, Envelope, FileKind, SigningKey, Timestamp};

use crate::support::*;

pub(crate) const HOUR: i64 = 3600;

pub(crate) fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

pub(crate) fn at(unix: i64) -> String {
    Timestamp::from_unix(unix).to_string()
}

/// A standby activated on its own desk ("standby", this machine), its certificates also on the
/// reseller's desk ("main"). Returns (vendor, base, failover).
pub(crate) fn activated_standby(w: &World) -> (Vendor, String, String) {
    activated_standby_with(w, &[])
}

/// [`activated_standby`], the vendor activating with `limits` (issuer options).
pub(crate) fn activated_standby_with(w: &World, limits: &[&str]) -> (Vendor, String, String) {
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

pub(crate) fn journal(w: &World, parts: &[(&str, i64)]) -> String {
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

/// Revision 2 of [`activated_standby`]'s base license (250 users instead of 25), imported on the
/// standby's desk: its standby is out of date (R5).
fn upgrade_base_on_the_standby(w: &World, v: &Vendor, base: &str) {
    let upgraded = w.p("upgraded.lic");
    w.issuer(&[
        "issue",
        "--key",
        &v.key,
        "--customer",
        "Journal GmbH",
        "--users",
        "250",
        "--license",
        base,
        "--revision",
        "2",
        "--out",
        &upgraded,
    ])
    .ok();
    w.desk("standby", &["import", &upgraded]).ok();
}

/// `licdesk request --license FAILOVER --role standby MACHINE... --out OUT` on `desk`.
pub(crate) fn standby_request(
    w: &World,
    desk: &str,
    failover: &str,
    machine: &[&str],
    out: &str,
) -> Run {
    let mut args = vec!["request", "--license", failover, "--role", "standby"];
    args.extend_from_slice(machine);
    args.extend(["--out", out]);
    w.desk(desk, &args)
}

/// A base certificate issued 30 days ahead by the vendor key at `key_file`, imported on the
/// "main" desk: it raises that desk's trusted time floor.
fn import_a_certificate_issued_30_days_ahead(w: &World, key_file: &str) {
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

pub(crate) fn check(w: &World, desk: &str) -> Run {
    w.desk(desk, &["check"])
}

#[test]
fn a_standby_within_the_limits_is_ok_for_monitoring_r12() {
    let w = World::new();
    let (_, base, fo) = activated_standby(&w);
    let t0 = now() - 20 * HOUR;
    let file = journal(&w, &[("load", t0), ("idle", t0 + 10 * HOUR)]);
    let out = w.desk("main", &["--json", "import", &file]).ok().json();
    assert_eq!(out["files"][0]["status"], "evaluated", "{out}");
    let run = check(&w, "main");
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(run.stdout.starts_with("LICDESK OK - "), "{}", run.stdout);
    let exported = out["files"][0]["message"].as_str().unwrap();
    let exported = exported.split("as of ").nth(1).unwrap();
    assert!(
        run.stdout.contains(&format!("{fo} as of {exported}")),
        "the journal's time: {}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains(&format!("'{fo}_load_hours'=10.0;72;120;0;120")),
        "{}",
        run.stdout
    );
    let text = w.desk("main", &["show", &base]).ok().stdout;
    assert!(
        text.contains("10.0 h under load in the current episode (limit 120 h)"),
        "{text}"
    );
}

#[test]
fn more_than_five_days_under_load_is_a_violation_with_its_start_and_time_over_r12() {
    let w = World::new();
    let (_, base, fo) = activated_standby(&w);
    let t0 = now() - 200 * HOUR;
    // 60 h load, 20 h idle (does not count, no 24 h gap), 61 h load: 121 h in one episode.
    let file = journal(
        &w,
        &[
            ("load", t0),
            ("idle", t0 + 60 * HOUR),
            ("load", t0 + 80 * HOUR),
            ("idle", t0 + 141 * HOUR),
        ],
    );
    let out = w.desk("main", &["--json", "import", &file]).ok().json();
    assert!(
        out["files"][0]["message"]
            .as_str()
            .unwrap()
            .contains("VIOLATION"),
        "{out}"
    );
    let text = w.desk("main", &["show", &base]).ok().stdout;
    assert!(
        text.contains(&format!(
            "VIOLATION: the episode since {} ran 121.0 h under load, 1.0 h over the limit",
            at(t0)
        )),
        "{text}"
    );
    let run = check(&w, "main");
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(
        run.stdout.starts_with("LICDESK CRITICAL - ") && run.stdout.contains(&fo),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("over the five-day limit"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_final_warning_above_96_hours_warns_monitoring_while_its_episode_runs_r12() {
    let w = World::new();
    let (_, _, fo) = activated_standby(&w);
    // 97 h under load, idle for the last 3 h: the episode still runs at the export.
    let t0 = now() - 100 * HOUR;
    let file = journal(&w, &[("load", t0), ("idle", t0 + 97 * HOUR)]);
    w.desk("main", &["import", &file]).ok();
    let run = check(&w, "main");
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(
        run.stdout.contains("LICDESK WARNING") && run.stdout.contains("final warning"),
        "{}",
        run.stdout
    );
    // The status line says the journal's time.
    let usage = &w.desk("main", &["--json", "show", &fo]).ok().json()["failovers"][0]["usage"];
    let exported = usage["exported_at"].as_str().unwrap();
    assert!(
        run.stdout.contains(&format!("as of {exported}")),
        "{}",
        run.stdout
    );

    // The same 97 h ended by a 24 h idle gap before the export: the warning is over.
    let w = World::new();
    activated_standby(&w);
    let t0 = now() - 150 * HOUR;
    let file = journal(&w, &[("load", t0), ("idle", t0 + 97 * HOUR)]);
    w.desk("main", &["import", &file]).ok();
    let run = check(&w, "main");
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(run.stdout.starts_with("LICDESK OK - "), "{}", run.stdout);
}

/// Re-signs a journal with `key` after `change` (the test plays the tamperer).
pub(crate) fn resigned(
    file: &str,
    key: &SigningKey,
    change: impl FnOnce(&mut UsageJournal),
) -> String {
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

pub(crate) fn installation_key(w: &World) -> SigningKey {
    use base64::Engine;
    let text = std::fs::read_to_string(w.path("standby.installation-key")).unwrap();
    let seed = base64::engine::general_purpose::STANDARD
        .decode(text.lines().nth(1).unwrap())
        .unwrap();
    SigningKey::from_bytes(&seed.try_into().unwrap())
}

#[test]
fn a_tampered_journal_is_reported_never_accepted() {
    let w = World::new();
    let (_, base, _) = activated_standby(&w);
    let t0 = now() - 200 * HOUR;
    let file = journal(&w, &[("load", t0), ("idle", t0 + 130 * HOUR)]);
    let key = installation_key(&w);

    // An entry removed (the long load hidden): the chain breaks.
    let cut = resigned(&file, &key, |j| {
        j.entries.remove(0);
    });
    std::fs::write(w.path("cut.journal"), cut).unwrap();
    let run = w
        .desk("main", &["--json", "import", &w.p("cut.journal")])
        .tampered("hash chain is broken");
    // With --json the report stays on stdout, and the error object goes to stderr too.
    let out = run.json();
    assert_eq!(out["files"][0]["status"], "tampered", "{out}");
    let error: serde_json::Value = serde_json::from_str(run.stderr.trim()).unwrap();
    assert_eq!(error["code"], "tampered", "{error}");
    assert_eq!(error["file"], w.p("cut.journal").as_str(), "{error}");
    // Imported again, it is still tampered (and changes nothing).
    let before = w.dump("main");
    w.desk("main", &["import", &w.p("cut.journal")])
        .tampered("already imported and is recorded as tampered");
    assert_eq!(w.dump("main"), before);
    assert!(
        out["files"][0]["message"]
            .as_str()
            .unwrap()
            .contains("hash chain is broken"),
        "{out}"
    );
    let run = check(&w, "main");
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(run.stdout.contains("tampered"), "{}", run.stdout);
    assert!(w
        .desk("main", &["show", &base])
        .ok()
        .stdout
        .contains("USAGE JOURNAL TAMPERED"));

    // A clock running backwards, re-chained so that only the clock is wrong.
    let backwards = resigned(&file, &key, |j| {
        let mut previous = GENESIS.to_string();
        let times = [t0, t0 - HOUR];
        for (e, t) in j.entries.iter_mut().zip(times) {
            e.at = Timestamp::from_unix(t);
            e.hash = chain_hash(&previous, e.seq, e.at, e.state);
            previous = e.hash.clone();
        }
    });
    std::fs::write(w.path("backwards.journal"), backwards).unwrap();
    let out = w
        .desk("main", &["--json", "import", &w.p("backwards.journal")])
        .tampered("clock runs backwards")
        .json();
    assert!(
        out["files"][0]["message"]
            .as_str()
            .unwrap()
            .contains("clock runs backwards"),
        "{out}"
    );

    // A journal of another installation, carrying the real activation.
    let stranger = resigned(&file, &SigningKey::from_bytes(&[9; 32]), |j| {
        j.installation_key =
            licdesk_core::InstallationKey::of(&SigningKey::from_bytes(&[9; 32]).verifying_key());
        j.entries.push(JournalEntry {
            seq: 2,
            at: Timestamp::from_unix(t0 + 131 * HOUR),
            state: UsageState::Idle,
            hash: "0".repeat(64),
        });
    });
    std::fs::write(w.path("stranger.journal"), stranger).unwrap();
    let out = w
        .desk("main", &["--json", "import", &w.p("stranger.journal")])
        .tampered("not by the installation")
        .json();
    assert!(
        out["files"][0]["message"]
            .as_str()
            .unwrap()
            .contains("not by the installation"),
        "{out}"
    );
    // Each of the three stays reported.
    let run = check(&w, "main");
    let details = run.stdout.lines().skip(1).collect::<Vec<_>>().join("\n");
    assert_eq!(details.matches(") tampered: ").count(), 3, "{}", run.stdout);

    // A damaged file (a character that is not base64) is refused: nothing is recorded.
    let mut damaged = std::fs::read_to_string(&file).unwrap().into_bytes();
    let body = damaged.len() - 60;
    damaged[body] = b'*';
    std::fs::write(w.path("damaged.journal"), damaged).unwrap();
    let before = w.dump("main");
    w.desk("main", &["import", &w.p("damaged.journal")])
        .refused("damaged");
    assert_eq!(w.dump("main"), before);
    // With --json: the report on stdout as always, the error object on stderr (SPEC §5).
    let run = w
        .desk("main", &["--json", "import", &w.p("damaged.journal")])
        .refused("damaged");
    assert_eq!(
        run.json()["files"][0]["status"],
        "refused",
        "{}",
        run.stdout
    );
    let error: serde_json::Value = serde_json::from_str(run.stderr.trim()).unwrap();
    assert_eq!(error["code"], "damaged_file", "{error}");
    assert_eq!(error["file"], w.p("damaged.journal").as_str(), "{error}");
    assert_eq!(w.dump("main"), before);
}

/// The (shortened) SHA-256 of the first tampered journal a `licdesk check` line names.
pub(crate) fn shown_hash(line: &str) -> String {
    line.split("SHA-256 ")
        .nth(1)
        .and_then(|rest| rest.split('…').next())
        .expect("the hash in the status line")
        .to_string()
}

/// `text` with the `Signature:` line of `other` (a signature over other content).
fn with_signature_of(text: &str, other: &str) -> String {
    let signature = other
        .lines()
        .find(|l| l.starts_with("Signature: "))
        .unwrap();
    text.lines()
        .map(|l| {
            if l.starts_with("Signature: ") {
                signature
            } else {
                l
            }
        })
        .map(|l| format!("{l}\n"))
        .collect()
}

#[test]
fn a_journal_whose_signature_fails_is_refused_and_recorded_as_tampered_for_monitoring() {
    let w = World::new();
    let (_, base, fo) = activated_standby(&w);
    let t0 = now() - 20 * HOUR;
    let file = journal(&w, &[("load", t0), ("idle", t0 + 10 * HOUR)]);
    w.desk("main", &["import", &file]).ok();
    assert_eq!(check(&w, "main").code, 0);
    // The long load hidden, the content re-encoded, the old signature kept: it fails.
    let key = installation_key(&w);
    let text = std::fs::read_to_string(&file).unwrap();
    let changed = resigned(&file, &key, |j| j.entries.truncate(0));
    let forged = with_signature_of(&changed, &text);
    std::fs::write(w.path("badsig.journal"), &forged).unwrap();
    let before = w.dump("main");
    let run = w
        .desk("main", &["import", &w.p("badsig.journal")])
        .refused("signature does not verify");
    assert!(
        run.stderr.contains("recorded as tampered"),
        "{}",
        run.stderr
    );
    let after = w.dump("main");
    assert_ne!(after, before, "the bad journal is recorded");
    // Nothing in it was used: the evaluation of the journal before it stands.
    let detail = w.desk("main", &["--json", "show", &base]).ok().json();
    let usage = &detail["failovers"][0]["usage"];
    assert!(usage["tamper"].is_null(), "{usage}");
    assert_eq!(usage["evaluation"]["current"]["load_seconds"], 10 * HOUR);
    // Monitoring reports it.
    let run = check(&w, "main");
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(
        run.stdout.starts_with("LICDESK CRITICAL - ")
            && run.stdout.contains("tampered")
            && run.stdout.contains("signature does not verify"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains(&format!("'{fo}_load_hours'=10.0;72;120;0;120")),
        "{}",
        run.stdout
    );
    // Importing it again records nothing more.
    w.desk("main", &["import", &w.p("badsig.journal")])
        .refused("signature does not verify");
    assert_eq!(w.dump("main"), after);
    let audit = w.desk("main", &["audit"]).ok().stdout;
    assert_eq!(audit.matches("journal-tampered").count(), 1, "{audit}");

    // Once looked into, the administrator dismisses it by the hash monitoring shows, with a
    // reason (audited); monitoring stops reporting it.
    let shown = run
        .stdout
        .split("SHA-256 ")
        .nth(1)
        .and_then(|rest| rest.split('…').next())
        .expect("the hash in the status line")
        .to_string();
    let before = w.dump("main");
    w.desk(
        "main",
        &[
            "journal",
            "dismiss",
            "--journal",
            &shown[..6],
            "--reason",
            "x",
        ],
    )
    .refused("at least its first 8");
    w.desk(
        "main",
        &["journal", "dismiss", "--journal", &shown, "--reason", " "],
    )
    .refused("say why");
    assert_eq!(
        w.dump("main"),
        before,
        "a refused dismissal changed the store"
    );
    let reason = "USB stick damaged in transit; the journal from the standby itself imported fine";
    let out = w
        .desk(
            "main",
            &[
                "--json",
                "journal",
                "dismiss",
                "--journal",
                &shown,
                "--reason",
                reason,
            ],
        )
        .ok()
        .json();
    assert!(out["file_hash"].as_str().unwrap().starts_with(&shown));
    assert_eq!(out["dismissed"][1], reason);
    let run = check(&w, "main");
    assert_eq!(run.code, 0, "{}", run.stdout);
    let audit = w.desk("main", &["audit"]).ok().stdout;
    assert!(
        audit.contains("journal-dismissed") && audit.contains(reason),
        "{audit}"
    );
    // Only once.
    let after = w.dump("main");
    w.desk(
        "main",
        &[
            "journal",
            "dismiss",
            "--journal",
            &shown,
            "--reason",
            reason,
        ],
    )
    .refused("no tampered journal");
    assert_eq!(w.dump("main"), after);
}

#[test]
fn an_older_journal_is_refused_and_cannot_hide_a_violation_r12() {
    let w = World::new();
    let (_, _, fo) = activated_standby(&w);
    let t0 = now() - 130 * HOUR;
    // 130 h under load: a violation.
    let file = journal(&w, &[("load", t0)]);
    let key = installation_key(&w);
    // The same installation's journal as it was exported 100 h earlier: only 30 h of load.
    let older = resigned(&file, &key, |j| {
        j.exported_at = Timestamp::from_unix(t0 + 30 * HOUR);
    });
    std::fs::write(w.path("older.journal"), older).unwrap();
    w.desk("main", &["import", &file]).ok();
    assert_eq!(check(&w, "main").code, 2);
    let before = w.dump("main");
    w.desk("main", &["import", &w.p("older.journal")])
        .refused("older than the journal already recorded");
    assert_eq!(w.dump("main"), before, "an older journal changed the store");
    let run = check(&w, "main");
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(
        run.stdout.contains("over the five-day limit") && run.stdout.contains(&fo),
        "{}",
        run.stdout
    );
}

#[test]
fn a_newer_journal_replaces_an_older_one() {
    let w = World::new();
    activated_standby(&w);
    let t0 = now() - 130 * HOUR;
    let file = journal(&w, &[("load", t0)]);
    let key = installation_key(&w);
    let older = resigned(&file, &key, |j| {
        j.exported_at = Timestamp::from_unix(t0 + 30 * HOUR);
    });
    std::fs::write(w.path("older.journal"), older).unwrap();
    w.desk("main", &["import", &w.p("older.journal")]).ok();
    // 30 h under load as of its export 100 h ago: fine as far as it goes, but the 100 h since
    // are not accounted for, and at worst the load went on (never counted as idle).
    let run = check(&w, "main");
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(
        run.stdout.contains("100.0 h unaccounted for") && !run.stdout.contains("limit:"),
        "{}",
        run.stdout
    );
    let out = w.desk("main", &["--json", "import", &file]).ok().json();
    assert_eq!(out["files"][0]["status"], "evaluated", "{out}");
    let run = check(&w, "main");
    assert_eq!(run.code, 2);
    assert!(
        run.stdout.contains("over the five-day limit: 130.0 h"),
        "{}",
        run.stdout
    );
}

#[test]
fn the_journal_refuses_a_time_before_its_last_entry() {
    let w = World::new();
    activated_standby(&w);
    let t = now() - HOUR;
    w.desk(
        "standby",
        &["journal", "append", "--state", "load", "--at", &at(t)],
    )
    .ok();
    w.desk(
        "standby",
        &["journal", "append", "--state", "idle", "--at", &at(t - 60)],
    )
    .refused("clock runs backwards");
    w.desk("standby", &["journal", "append", "--state", "sleeping"])
        .refused("use load or idle");
}

#[test]
fn the_notice_can_be_acknowledged_and_the_acknowledgement_is_audited_r11() {
    let w = World::new();
    let (_, base, fo) = activated_standby(&w);
    let text = w.desk("standby", &["show", &base]).ok().stdout;
    assert!(
        text.contains("standby or test operation only") && text.contains("not yet acknowledged"),
        "{text}"
    );
    w.desk("standby", &["standby", "acknowledge", "--failover", &fo])
        .ok();
    let text = w.desk("standby", &["show", &base]).ok().stdout;
    assert!(text.contains("Notice:      acknowledged"), "{text}");
    let audit = w.desk("standby", &["audit"]).ok().stdout;
    assert!(
        audit.contains("notice-acknowledged") && audit.contains(&fo),
        "{audit}"
    );
}

#[test]
fn monitoring_warns_about_an_out_of_date_standby_and_an_untrusted_vendor_r5() {
    let w = World::new();
    let (v, base, _) = activated_standby(&w);
    assert_eq!(check(&w, "standby").code, 0);
    upgrade_base_on_the_standby(&w, &v, &base);
    let run = check(&w, "standby");
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(run.stdout.contains("out of date"), "{}", run.stdout);
    // A store whose certificates no key trusts any more (its trusted keys table emptied by hand).
    let store = w.path("standby.sqlite");
    rusqlite::Connection::open(&store)
        .unwrap()
        .execute("DELETE FROM trusted_keys", [])
        .unwrap();
    let run = check(&w, "standby");
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(run.stdout.contains("vendor trust fails"), "{}", run.stdout);
}

#[test]
fn monitoring_says_unknown_when_the_store_cannot_be_read_and_warns_of_a_clock_behind_signed_time() {
    let w = World::new();
    let store = w.path("broken.sqlite");
    rusqlite::Connection::open(&store)
        .unwrap()
        .pragma_update(None, "user_version", 999)
        .unwrap();
    let run = check(&w, "broken");
    assert_eq!(run.code, 3, "{}", run.stdout);
    assert!(
        run.stdout.starts_with("LICDESK UNKNOWN - "),
        "{}",
        run.stdout
    );

    // A certificate signed "in the future" raises the trusted time floor above the clock.
    let v = w.vendor();
    w.desk("main", &["trust", "add", &v.public]).ok();
    import_a_certificate_issued_30_days_ahead(&w, &v.key);
    let run = check(&w, "main");
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(
        run.stdout.contains("system clock is behind"),
        "{}",
        run.stdout
    );
}

/// `licdesk-issuer release` of `request`, written to `out`.
pub(crate) fn vendor_releases(w: &World, v: &Vendor, request: &str, out: &str) -> Run {
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

#[test]
fn a_replaced_standby_is_released_only_at_the_request_of_its_own_installation_r4() {
    let w = World::new();
    // The standby activated on its own desk ("standby"), with that desk's installation key.
    let (v, base, fo) = activated_standby(&w);
    w.desk("other", &["trust", "add", &v.public]).ok();
    let (bf, ff) = {
        // The certificates the helper imported (base-N.lic, failover-N.lic), found on disk.
        let mut files: Vec<String> = std::fs::read_dir(w.dir.path())
            .unwrap()
            .map(|e| e.unwrap().path().display().to_string())
            .filter(|p| p.ends_with(".lic"))
            .collect();
        files.sort();
        (files[0].clone(), files[1].clone())
    };
    w.desk("other", &["import", &bf, &ff]).ok();

    // Without a release, a second machine is refused by the vendor, for a desk that does not
    // know the first standby.
    let new = hwid_file(&w, "new-standby", &SigningKey::from_bytes(&[7; 32]));
    let req2 = w.p("other.actreq");
    standby_request(&w, "other", &fo, &["--hwid-file", &new.0], &req2).ok();
    let (run, _) = w.activate(&v, &req2);
    run.refused("already activated");
    // A standby named by a typed hardware ID has no installation key: the desk does not write a
    // request for it, and changes nothing ...
    let typed = w.p("typed.actreq");
    let store_before = w.dump("main");
    standby_request(
        &w,
        "main",
        &fo,
        &["--hwid", typed_hwid("typed standby").as_str()],
        &typed,
    )
    .refused("typed hardware ID");
    assert_eq!(w.dump("main"), store_before);
    assert!(!std::path::Path::new(&typed).exists());
    // ... and the vendor refuses such a request made some other way (the one above, its key
    // taken out and signed again).
    let mut request: licdesk_core::ActivationRequest =
        licdesk_core::Envelope::parse(&std::fs::read(&req2).unwrap())
            .unwrap()
            .verify_self_signed()
            .unwrap()
            .payload()
            .unwrap();
    assert!(request.installation_key.is_some());
    request.installation_key = None;
    std::fs::write(
        &typed,
        licdesk_core::seal(
            licdesk_core::FileKind::ActivationRequest,
            &request,
            &SigningKey::from_bytes(&[9; 32]),
        ),
    )
    .unwrap();
    let before = w.ledger_dump(&v);
    let (run, _) = w.activate(&v, &typed);
    run.refused("carries no installation key");
    assert_eq!(w.ledger_dump(&v), before);

    // A forged release request: anyone who knows the FailoverSuite number and the standby's
    // hardware can write one, here signed by the reseller desk's installation key. The vendor
    // refuses it, naming both keys, and its ledger stays as it was.
    let this_machine: licdesk_core::Hardware = {
        let file = w.p("this.hwid");
        w.desk("standby", &["hwid", "--out", &file]).ok();
        let text = std::fs::read_to_string(&file).unwrap();
        let f: licdesk_core::model::HardwareIdFile = Envelope::parse(text.as_bytes())
            .unwrap()
            .verify_self_signed()
            .unwrap()
            .payload()
            .unwrap();
        f.hardware
    };
    // (The reseller desk's key is made with its first hardware-ID file.)
    w.desk("main", &["hwid", "--out", &w.p("main.hwid")]).ok();
    let reseller = desk_key(&w, "main");
    let forged = w.p("forged.relreq");
    std::fs::write(
        &forged,
        seal(
            FileKind::ReleaseRequest,
            &licdesk_core::ReleaseRequest {
                nonce: "ab".repeat(32),
                created_at: Timestamp::from_unix(now()),
                failover: licdesk_core::LicenseNumber::parse(&fo).unwrap(),
                hardware: this_machine,
                reason: "hardware replaced".into(),
            },
            &reseller,
        ),
    )
    .unwrap();
    let before = w.ledger_dump(&v);
    let run = vendor_releases(&w, &v, &forged, &w.p("forged.release")).refused("by hand");
    let forger_id = licdesk_core::KeyId::of_public_key(&reseller.verifying_key());
    let certified_id = licdesk_core::KeyId::of_public_key(&desk_key(&w, "standby").verifying_key());
    assert!(
        run.stderr.contains(forger_id.as_str()) && run.stderr.contains(certified_id.as_str()),
        "{}",
        run.stderr
    );
    assert_eq!(
        w.ledger_dump(&v),
        before,
        "a refused release changed the ledger"
    );
    assert!(!w.path("forged.release").exists());
    // Still held: the second machine is still refused.
    let (run, _) = w.activate(&v, &req2);
    run.refused("already activated");

    // A desk that holds the standby under another installation's key cannot write the release
    // request: it says where to write it, and what to do when the machine is lost.
    let own_file = w.p("standby-own.hwid");
    w.desk("standby", &["hwid", "--out", &own_file]).ok();
    w.desk(
        "main",
        &[
            "standby",
            "register",
            "--failover",
            &fo,
            "--hwid-file",
            &own_file,
        ],
    )
    .ok();
    let again = w.p("main-again.actreq");
    standby_request(&w, "main", &fo, &[], &again).ok();
    let (run, resp) = w.activate(&v, &again);
    run.ok();
    w.desk("main", &["import", &resp]).ok();
    let before = w.dump("main");
    w.desk(
        "main",
        &[
            "standby",
            "release-request",
            "--failover",
            &fo,
            "--out",
            &w.p("main.relreq"),
        ],
    )
    .refused("on the standby machine itself");
    assert_eq!(w.dump("main"), before);
    assert!(!w.path("main.relreq").exists());

    // The genuine release: written on the standby's own desk, signed by its installation key.
    let relreq = w.p("standby.relreq");
    w.desk(
        "standby",
        &[
            "standby",
            "release-request",
            "--failover",
            &fo,
            "--out",
            &relreq,
        ],
    )
    .ok();
    let release = w.p("standby.release");
    vendor_releases(&w, &v, &relreq, &release).ok();
    let out = w
        .desk("standby", &["--json", "import", &release])
        .ok()
        .json();
    assert_eq!(out["files"][0]["status"], "released", "{out}");
    let audit = w.desk("standby", &["audit"]).ok().stdout;
    assert!(
        audit.contains("release-requested") && audit.contains("standby-released"),
        "{audit}"
    );
    let detail = w.desk("standby", &["--json", "show", &base]).ok().json();
    assert!(detail["failovers"][0]["standby"].is_null(), "{detail}");
    // The reseller's desk, which holds the same standby, frees it with the same release.
    let out = w.desk("main", &["--json", "import", &release]).ok().json();
    assert_eq!(out["files"][0]["status"], "released", "{out}");
    let detail = w.desk("main", &["--json", "show", &base]).ok().json();
    assert!(detail["failovers"][0]["standby"].is_null(), "{detail}");

    // Now the new machine takes the FailoverSuite at the vendor.
    let req3 = w.p("new.actreq");
    standby_request(&w, "other", &fo, &["--hwid-file", &new.0], &req3).ok();
    let (run, resp3) = w.activate(&v, &req3);
    run.ok();
    w.desk("other", &["import", &resp3]).ok();
    let detail = w.desk("other", &["--json", "show", &base]).ok().json();
    assert_eq!(
        detail["failovers"][0]["standby"]["hardware_id"],
        new.1.as_str()
    );
    assert_eq!(detail["failovers"][0]["standby"]["status"], "active");

    // A release imported on a desk that did not ask for it is refused, changing nothing.
    let before = w.dump("other");
    // (It was signed before the activation this desk holds: superseded.)
    w.desk("other", &["import", &release])
        .refused("moves forward only");
    assert_eq!(w.dump("other"), before);
    // Only an active standby can be released.
    w.desk(
        "standby",
        &[
            "standby",
            "release-request",
            "--failover",
            &fo,
            "--out",
            &w.p("x.relreq"),
        ],
    )
    .refused("no active standby to release");
}

#[test]
fn a_journal_of_a_previous_standby_is_from_another_installation_r4_r12() {
    let w = World::new();
    let (v, base, fo) = activated_standby(&w);
    let t0 = now() - 20 * HOUR;
    // The first standby's journal: 130 h would be a violation, but it is its own business now.
    let first = journal(&w, &[("load", t0), ("idle", t0 + 10 * HOUR)]);
    // The first standby is released and a new machine takes the FailoverSuite.
    let relreq = w.p("standby.relreq");
    w.desk(
        "standby",
        &[
            "standby",
            "release-request",
            "--failover",
            &fo,
            "--out",
            &relreq,
        ],
    )
    .ok();
    let release = w.p("standby.release");
    w.issuer(&[
        "release",
        "--key",
        &v.key,
        "--ledger",
        &v.ledger,
        "--request",
        &relreq,
        "--out",
        &release,
    ])
    .ok();
    w.desk("standby", &["import", &release]).ok();
    let new_key = SigningKey::from_bytes(&[8; 32]);
    let (hwid, new_id) = hwid_file(&w, "second-standby", &new_key);
    let req = w.p("second.actreq");
    standby_request(&w, "main", &fo, &["--hwid-file", &hwid], &req).ok();
    let (run, resp) = w.activate(&v, &req);
    run.ok();
    w.desk("main", &["import", &resp]).ok();
    // The new standby's journal, signed by its installation key, carrying its activation.
    let second = resigned(&first, &new_key, |j| {
        j.installation_key = licdesk_core::InstallationKey::of(&new_key.verifying_key());
        j.hardware_id = new_id.clone();
        j.activation = std::fs::read_to_string(&resp).unwrap();
        j.exported_at = Timestamp::from_unix(j.exported_at.unix() + 60);
    });
    std::fs::write(w.path("second.journal"), second).unwrap();

    // On the desk that holds the new standby, the first standby's journal is from another
    // installation: recorded as tampered, never evaluated.
    let out = w
        .desk("main", &["--json", "import", &first])
        .tampered("not by the installation")
        .json();
    assert_eq!(out["files"][0]["status"], "tampered", "{out}");
    let message = out["files"][0]["message"].as_str().unwrap();
    assert!(
        message.contains("not by the installation") && message.contains(new_id.as_str()),
        "{message}"
    );
    let detail = w.desk("main", &["--json", "show", &base]).ok().json();
    assert!(
        detail["failovers"][0]["usage"]["evaluation"].is_null(),
        "{detail}"
    );
    assert_eq!(check(&w, "main").code, 2);
    let out = w
        .desk("main", &["--json", "import", &w.p("second.journal")])
        .ok()
        .json();
    assert_eq!(out["files"][0]["status"], "evaluated", "{out}");
    // The tampered journal stays reported after a good one, until it is dismissed by the hash
    // monitoring shows, with a reason.
    let run = check(&w, "main");
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(
        run.stdout.contains("tampered") && run.stdout.contains("not by the installation"),
        "{}",
        run.stdout
    );
    let shown = shown_hash(&run.stdout);
    let before = w.dump("main");
    w.desk(
        "main",
        &["journal", "dismiss", "--journal", &shown, "--reason", ""],
    )
    .refused("say why");
    assert_eq!(w.dump("main"), before);
    let out = w
        .desk(
            "main",
            &[
                "--json",
                "journal",
                "dismiss",
                "--journal",
                &shown,
                "--reason",
                "the first standby's journal, sent by mistake after its release",
            ],
        )
        .ok()
        .json();
    assert_eq!(out["failover"], fo.as_str(), "{out}");
    assert_eq!(check(&w, "main").code, 0);
    let audit = w.desk("main", &["audit"]).ok().stdout;
    assert!(
        audit.contains("journal-dismissed") && audit.contains("sent by mistake"),
        "{audit}"
    );

    // On a desk that holds no standby of it, a journal of an earlier activation than the one
    // already seen is from another installation too.
    let third = "third";
    w.desk(third, &["trust", "add", &v.public]).ok();
    w.desk(third, &["import", &w.p("second.journal")]).ok();
    let before = w.dump(third);
    let out = w
        .desk(third, &["--json", "import", &first])
        .tampered("not by the installation")
        .json();
    assert_eq!(out["files"][0]["status"], "tampered", "{out}");
    assert_ne!(w.dump(third), before);
    let run = check(&w, third);
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(run.stdout.contains("tampered"), "{}", run.stdout);
}

#[test]
fn only_vendor_signed_times_raise_the_trusted_time_floor() {
    let w = World::new();
    activated_standby(&w);
    let t0 = now() - 20 * HOUR;
    let file = journal(&w, &[("load", t0), ("idle", t0 + 10 * HOUR)]);
    let future = Timestamp::from_unix(now() + 30 * 24 * HOUR);
    // A forger's journal, dated a month ahead.
    let stranger = SigningKey::from_bytes(&[9; 32]);
    let forged = resigned(&file, &stranger, |j| {
        j.installation_key = licdesk_core::InstallationKey::of(&stranger.verifying_key());
        j.exported_at = future;
    });
    std::fs::write(w.path("forged.journal"), forged).unwrap();
    let out = w
        .desk("main", &["--json", "import", &w.p("forged.journal")])
        .tampered("not by the installation")
        .json();
    assert_eq!(out["files"][0]["status"], "tampered", "{out}");
    // The installation's own journal, its export dated a month ahead (a standby's clock is
    // not the vendor's): its clock runs ahead, it is recorded as tampered and not used.
    let ahead = resigned(&file, &installation_key(&w), |j| j.exported_at = future);
    std::fs::write(w.path("ahead.journal"), ahead).unwrap();
    let out = w
        .desk("main", &["--json", "import", &w.p("ahead.journal")])
        .tampered("clock runs ahead")
        .json();
    assert_eq!(out["files"][0]["status"], "tampered", "{out}");
    let run = check(&w, "main");
    assert!(
        !run.stdout.contains("system clock is behind"),
        "a journal's own time raised the floor: {}",
        run.stdout
    );
    let floor: String = rusqlite::Connection::open(w.path("main.sqlite"))
        .unwrap()
        .query_row("SELECT value FROM meta WHERE key = 'time_floor'", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert!(
        Timestamp::parse(&floor).unwrap().unix() <= now(),
        "the floor {floor} is ahead of the clock"
    );
    let text = w.desk("main", &["show", &w_base(&w)]).ok().stdout;
    assert!(!text.contains("system clock is behind"), "{text}");
}

/// The vendor's private key of this world.
fn vendor_key(w: &World) -> licdesk_issuer::VendorKey {
    licdesk_issuer::VendorKey::load(&w.path("vendor.key")).unwrap()
}

/// The base license number on the "main" desk.
fn w_base(w: &World) -> String {
    w.desk("main", &["--json", "list"]).ok().json()["rows"][0]["license"]
        .as_str()
        .unwrap()
        .to_string()
}

#[test]
fn monitoring_answers_unknown_for_a_missing_store_and_for_its_own_usage_errors() {
    let w = World::new();
    let missing = w.path("nowhere").join("store.sqlite");
    let out = std::process::Command::new(binary("licdesk"))
        .arg("--store")
        .arg(&missing)
        .arg("check")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(3), "{stdout}");
    assert!(
        stdout.starts_with("LICDESK UNKNOWN - there is no store at") && stdout.lines().count() == 1,
        "{stdout}"
    );
    assert!(
        !missing.exists() && !w.path("nowhere").exists(),
        "check created a store"
    );
    // The same through LICDESK_STORE.
    let out = std::process::Command::new(binary("licdesk"))
        .arg("check")
        .env("LICDESK_STORE", &missing)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    assert!(!missing.exists());
    // A file that is not a store.
    std::fs::write(w.path("junk.sqlite"), "not a database at all, just text").unwrap();
    let run = check(&w, "junk");
    assert_eq!(run.code, 3, "{}", run.stdout);
    assert!(
        run.stdout.starts_with("LICDESK UNKNOWN - the store"),
        "{}",
        run.stdout
    );
    assert_eq!(run.stdout.lines().count(), 1, "{}", run.stdout);
    // Usage errors of the check are UNKNOWN (3), never clap's 2 (CRITICAL to monitoring).
    for args in [
        vec!["check", "--verbose"],
        vec!["check", "extra"],
        vec!["--json", "check", "--warn", "5"],
    ] {
        let run = w.desk("main", &args);
        assert_eq!(run.code, 3, "{args:?}: {}{}", run.stdout, run.stderr);
        if args[0] == "--json" {
            assert_eq!(run.json()["status"], "UNKNOWN", "{}", run.stdout);
        } else {
            assert!(
                run.stdout.starts_with("LICDESK UNKNOWN - usage:"),
                "{args:?}: {}",
                run.stdout
            );
        }
    }
    // Other commands keep their usage errors.
    assert_eq!(w.desk("main", &["list", "--bogus"]).code, 2);
}

/// A standby with `parts` journaled on its desk, the journal imported on "main"; returns
/// `licdesk check` on "main".
fn checked(w: &World, parts: &[(&str, i64)]) -> Run {
    let file = journal(w, parts);
    w.desk("main", &["import", &file]).ok();
    check(w, "main")
}

#[test]
fn monitoring_at_the_edges_of_the_five_day_rule_r12() {
    // Above 72 h: a plain warning, with the load hours in the performance data.
    let w = World::new();
    let (_, _, fo) = activated_standby(&w);
    let run = checked(&w, &[("load", now() - 73 * HOUR)]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(
        run.stdout.starts_with("LICDESK WARNING - ")
            && run
                .stdout
                .contains(&format!("{fo} warning: 73.0 h under load"))
            && !run.stdout.contains("final warning"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains(&format!("| '{fo}_load_hours'=73.0;72;120;0;120")),
        "{}",
        run.stdout
    );

    // Above 96 h: the final warning.
    let w = World::new();
    let (_, _, fo) = activated_standby(&w);
    let run = checked(&w, &[("load", now() - 97 * HOUR)]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(
        run.stdout
            .contains(&format!("{fo} final warning: 97.0 h under load"))
            && run.stdout.contains("over 96 h"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains(&format!("'{fo}_load_hours'=97.0;72;120;0;120")),
        "{}",
        run.stdout
    );

    // An idle gap of exactly 24 h ends an episode: 80 h, then 41 h. The 80 h episode was a
    // warning, not a violation, and it is over: the current episode's 41 h are fine.
    let w = World::new();
    let (_, _, fo) = activated_standby(&w);
    let t0 = now() - (80 + 24 + 41) * HOUR;
    let run = checked(
        &w,
        &[
            ("load", t0),
            ("idle", t0 + 80 * HOUR),
            ("load", t0 + 104 * HOUR),
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(
        run.stdout.starts_with("LICDESK OK - ")
            && !run.stdout.contains("warning")
            && !run.stdout.contains("limit:"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains(&format!("'{fo}_load_hours'=41.0;72;120;0;120")),
        "{}",
        run.stdout
    );

    // 23 h 59 min does not: one episode of 121 h, a violation.
    let w = World::new();
    let (_, _, fo) = activated_standby(&w);
    let gap = 23 * HOUR + 59 * 60;
    let t0 = now() - (80 * HOUR + gap + 41 * HOUR);
    let run = checked(
        &w,
        &[
            ("load", t0),
            ("idle", t0 + 80 * HOUR),
            ("load", t0 + 80 * HOUR + gap),
        ],
    );
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(
        run.stdout.starts_with("LICDESK CRITICAL - ")
            && run.stdout.contains(&format!(
                "{fo} over the five-day limit: 121.0 h under load since {}",
                at(t0)
            )),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains(&format!("'{fo}_load_hours'=121.0;72;120;0;120")),
        "{}",
        run.stdout
    );
}

#[test]
fn the_limits_come_from_the_signed_license_a_48_hour_standby_is_over_at_49_hours_r12() {
    let w = World::new();
    let (_, base, fo) = activated_standby_with(
        &w,
        &[
            "--limit-hours",
            "48",
            "--warn-hours",
            "24",
            "--final-warn-hours",
            "36",
            "--gap-hours",
            "12",
        ],
    );
    let run = checked(&w, &[("load", now() - 49 * HOUR)]);
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(
        run.stdout
            .contains(&format!("{fo} over the 48 h limit: 49.0 h under load"))
            && run.stdout.contains("(1.0 h over 48 h)"),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains("five-day"), "{}", run.stdout);
    assert!(
        run.stdout
            .contains(&format!("'{fo}_load_hours'=49.0;24;48;0;48")),
        "{}",
        run.stdout
    );
    let text = w.desk("main", &["show", &base]).ok().stdout;
    assert!(
        text.contains("(limit 48 h)")
            && text.contains("VIOLATION (over 48 h)")
            && text.contains("1.0 h over the limit of 48 h"),
        "{text}"
    );
    // This desk holds no standby of its own, yet its R11 notice names the limits of the
    // activation the journal carried, not the standard five days.
    let notice = text
        .lines()
        .find(|l| l.contains("standby or test operation only"))
        .expect("the R11 notice");
    assert!(
        notice.contains("48 hours") && !notice.contains("five"),
        "{notice}"
    );
    // The standby's signed license carries these limits, and a notice that names them.
    let response = std::fs::read_to_string(w.path("standby.actreq.actresp")).unwrap();
    let response: licdesk_core::ActivationResponse = Envelope::parse(response.as_bytes())
        .unwrap()
        .verify(&vendor_key(&w).key.verifying_key())
        .unwrap()
        .payload()
        .unwrap();
    assert_eq!(response.limits.unwrap().max_load_hours, 48);
    let notice = response.notice.unwrap();
    assert!(
        notice.contains("48 hours") && !notice.contains("five"),
        "{notice}"
    );

    // At 30 h the same standby has a warning (over 24 h), and at 40 h a final warning.
    let w = World::new();
    activated_standby_with(
        &w,
        &[
            "--limit-hours",
            "48",
            "--warn-hours",
            "24",
            "--final-warn-hours",
            "36",
        ],
    );
    let run = checked(&w, &[("load", now() - 30 * HOUR)]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(
        run.stdout.contains("warning: 30.0 h under load")
            && run.stdout.contains("over 24 h of at most 48 h"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_lost_standby_is_released_by_the_vendor_by_hand_r4() {
    let w = World::new();
    let (v, base, fo) = activated_standby(&w);
    let by_hand = |out: &str| {
        w.issuer(&[
            "release-by-hand",
            "--key",
            &v.key,
            "--ledger",
            &v.ledger,
            "--failover",
            &fo,
            "--reason",
            "standby burnt down, confirmed by the reseller on 2026-11-25",
            "--out",
            out,
        ])
    };
    let release = w.p("by-hand.release");
    let run = by_hand(&release).ok();
    assert!(run.stdout.contains("released by hand"), "{}", run.stdout);
    // A desk that does not hold that standby has nothing to release.
    let before = w.dump("main");
    w.desk("main", &["import", &release])
        .refused("did not write");
    assert_eq!(w.dump("main"), before);
    // The desk that holds it frees it.
    let out = w
        .desk("standby", &["--json", "import", &release])
        .ok()
        .json();
    assert_eq!(out["files"][0]["status"], "released", "{out}");
    let detail = w.desk("standby", &["--json", "show", &base]).ok().json();
    assert!(detail["failovers"][0]["standby"].is_null(), "{detail}");
    // Nothing is held any more: a second release by hand is refused, the ledger unchanged.
    let before = w.ledger_dump(&v);
    by_hand(&w.p("again.release")).refused("nothing to release");
    assert_eq!(w.ledger_dump(&v), before);
    let logged: i64 = rusqlite::Connection::open(&v.ledger)
        .unwrap()
        .query_row(
            "SELECT count(*) FROM ledger_log WHERE action = 'released-by-hand' AND detail LIKE '%burnt down%'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(logged, 1, "the reason is in the ledger's log");
    // A new machine takes the FailoverSuite.
    let (hwid, _) = hwid_file(&w, "replacement", &SigningKey::from_bytes(&[11; 32]));
    let req = w.p("replacement.actreq");
    standby_request(&w, "main", &fo, &["--hwid-file", &hwid], &req).ok();
    let (run, _) = w.activate(&v, &req);
    run.ok();
}

#[test]
fn an_installation_key_others_can_read_is_refused() {
    use std::os::unix::fs::PermissionsExt;
    let w = World::new();
    activated_standby(&w);
    let key = w.path("standby.installation-key");
    assert_eq!(
        std::fs::metadata(&key).unwrap().permissions().mode() & 0o777,
        0o600,
        "the installation key is private to its owner"
    );
    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o644)).unwrap();
    let before = std::fs::read(&key).unwrap();
    let out = w.p("usage.journal");
    w.desk("standby", &["journal", "export", "--out", &out])
        .refused("chmod 600");
    assert!(!w.path("usage.journal").exists());
    assert_eq!(std::fs::read(&key).unwrap(), before);
    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o600)).unwrap();
    w.desk("standby", &["journal", "export", "--out", &out])
        .ok();
}

#[test]
fn a_standby_activated_from_a_resellers_desk_takes_its_activation_on_its_own_desk_r12_r13() {
    // The reseller's desk ("main") registers the standby from the hardware-ID file the standby's
    // own desk ("standby") wrote, asks for the activation and imports it. The standby's desk
    // takes the same response (it certifies that installation's key, on that machine), so it
    // can keep the usage journal that the five-day rule needs.
    let w = World::new();
    let v = w.vendor();
    let (base, bf) = w.issue_base(&v, "Reseller Kunde GmbH", "250", &[]);
    let (fo, ff) = w.issue_failover(&v, &base);
    for desk in ["main", "standby", "other"] {
        w.desk(desk, &["trust", "add", &v.public]).ok();
        w.desk(desk, &["import", &bf, &ff]).ok();
    }
    let hwid = w.p("standby-own.hwid");
    w.desk("standby", &["hwid", "--out", &hwid]).ok();
    w.desk(
        "main",
        &[
            "standby",
            "register",
            "--failover",
            &fo,
            "--hwid-file",
            &hwid,
            "--mode",
            "cold",
        ],
    )
    .ok();
    let req = w.p("reseller.actreq");
    standby_request(&w, "main", &fo, &[], &req).ok();
    let (run, resp) = w.activate(&v, &req);
    run.ok();
    let out = w.desk("main", &["--json", "import", &resp]).ok().json();
    assert_eq!(out["files"][0]["status"], "activated", "{out}");

    // Another installation does not take it, and nothing changes there.
    let before = w.dump("other");
    w.desk("other", &["import", &resp])
        .refused("does not activate this installation");
    assert_eq!(w.dump("other"), before);

    // The standby's own desk takes it.
    let out = w.desk("standby", &["--json", "import", &resp]).ok().json();
    assert_eq!(out["files"][0]["status"], "activated", "{out}");
    let detail = w.desk("standby", &["--json", "show", &fo]).ok().json();
    let standby = &detail["failovers"][0]["standby"];
    assert_eq!(standby["status"], "active", "{detail}");
    assert_eq!(standby["mode"], "cold");
    assert_eq!(
        standby["hardware_id"],
        w.desk("main", &["--json", "show", &fo]).ok().json()["failovers"][0]["standby"]
            ["hardware_id"]
    );
    // Its journal is signed there and verified on the reseller's desk.
    let t0 = now() - 30 * HOUR;
    let file = journal(&w, &[("load", t0), ("idle", t0 + 80 * HOUR / 10)]);
    let out = w.desk("main", &["--json", "import", &file]).ok().json();
    assert_ne!(out["files"][0]["status"], "refused", "{out}");
    let usage = &w.desk("main", &["--json", "show", &fo]).ok().json()["failovers"][0]["usage"];
    assert_eq!(
        usage["evaluation"]["current"]["load_seconds"],
        8 * HOUR,
        "{usage}"
    );
}

/// Copies a desk's store files (the database, and its WAL files when there are any).
pub(crate) fn copy_store(w: &World, from: &str, to: &str) {
    for ext in ["", "-wal", "-shm"] {
        let target = w.path(&format!("{to}.sqlite{ext}"));
        let _ = std::fs::remove_file(&target);
        let source = w.path(&format!("{from}.sqlite{ext}"));
        if source.exists() {
            std::fs::copy(&source, &target).unwrap();
        }
    }
}

#[test]
fn a_journal_dated_in_the_future_is_tampered_and_cannot_block_the_genuine_one_r12() {
    let w = World::new();
    let (_, base, fo) = activated_standby(&w);
    // 130 h under load and still running: a violation.
    let file = journal(&w, &[("load", now() - 130 * HOUR)]);
    let key = installation_key(&w);
    // The installation re-signs its journal as exported in 2099.
    let ahead = resigned(&file, &key, |j| {
        j.exported_at = Timestamp::parse("2099-01-01T00:00:00Z").unwrap()
    });
    std::fs::write(w.path("ahead.journal"), ahead).unwrap();
    let run = w
        .desk("main", &["import", &w.p("ahead.journal")])
        .tampered("clock runs ahead");
    assert!(
        run.stderr.contains("2099-01-01T00:00:00Z"),
        "{}",
        run.stderr
    );
    let detail = w.desk("main", &["--json", "show", &base]).ok().json();
    let usage = &detail["failovers"][0]["usage"];
    assert!(
        usage["evaluation"].is_null() && usage["exported_at"].is_null(),
        "a journal dated ahead was used: {usage}"
    );
    // The genuine journal, with its violation, is not 'older' than it: evaluated.
    let out = w.desk("main", &["--json", "import", &file]).ok().json();
    assert_eq!(out["files"][0]["status"], "evaluated", "{out}");
    let run = check(&w, "main");
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(
        run.stdout
            .contains(&format!("{fo} over the five-day limit: 130.0 h under load"))
            && run.stdout.contains("clock runs ahead"),
        "{}",
        run.stdout
    );
    // A clock half an hour ahead is within the allowance.
    let drifted = resigned(&file, &key, |j| {
        j.exported_at = Timestamp::from_unix(now() + 30 * 60)
    });
    std::fs::write(w.path("drifted.journal"), drifted).unwrap();
    let out = w
        .desk("main", &["--json", "import", &w.p("drifted.journal")])
        .ok()
        .json();
    assert_eq!(out["files"][0]["status"], "evaluated", "{out}");
}

#[test]
fn a_journal_that_does_not_continue_the_recorded_one_is_tampered_history_rewritten_r12() {
    let w = World::new();
    let (_, base, fo) = activated_standby(&w);
    // A backup of the standby's store, its journal still empty.
    copy_store(&w, "standby", "backup");
    // 129 h under load, idle for the last hour: a violation in the current episode.
    let file = journal(&w, &[("load", now() - 130 * HOUR), ("idle", now() - HOUR)]);
    w.desk("main", &["import", &file]).ok();
    assert_eq!(check(&w, "main").code, 2);
    // The backup restored on the standby (its journal emptied), and a journal of 0 entries
    // exported a little later.
    copy_store(&w, "backup", "standby");
    let exported = w.p("emptied-now.journal");
    let out = w
        .desk(
            "standby",
            &["--json", "journal", "export", "--out", &exported],
        )
        .ok()
        .json();
    assert_eq!(out["entries"], 0, "{out}");
    // The same export two seconds later (no waiting: re-signed with the standby's key, as the
    // standby would sign it then).
    let emptied = w.p("emptied.journal");
    std::fs::write(
        &emptied,
        resigned(&exported, &installation_key(&w), |j| {
            j.exported_at = j.exported_at.plus_seconds(2)
        }),
    )
    .unwrap();
    w.desk("main", &["import", &emptied])
        .tampered("history was rewritten");
    // The violation stands, and the rewritten journal is reported.
    let run = check(&w, "main");
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(
        run.stdout
            .contains(&format!("{fo} over the five-day limit: 129.0 h under load"))
            && run.stdout.contains("history was rewritten"),
        "{}",
        run.stdout
    );
    let detail = w.desk("main", &["--json", "show", &base]).ok().json();
    let usage = &detail["failovers"][0]["usage"];
    assert_eq!(
        usage["evaluation"]["current"]["load_seconds"],
        129 * HOUR,
        "{usage}"
    );
    assert_eq!(usage["tamper"]["kind"], "history_rewritten", "{usage}");
    // A later journal that does continue the recorded one is evaluated; the rewritten one
    // stays reported until dismissed.
    let continued = resigned(&file, &installation_key(&w), |j| {
        j.exported_at = Timestamp::from_unix(now() + 5)
    });
    std::fs::write(w.path("continued.journal"), continued).unwrap();
    let out = w
        .desk("main", &["--json", "import", &w.p("continued.journal")])
        .ok()
        .json();
    assert_eq!(out["files"][0]["status"], "evaluated", "{out}");
    let run = check(&w, "main");
    assert!(
        run.stdout.contains("history was rewritten"),
        "{}",
        run.stdout
    );
    let text = w.desk("main", &["show", &base]).ok().stdout;
    assert!(
        text.contains("USAGE JOURNAL TAMPERED") && text.contains("licdesk journal dismiss"),
        "{text}"
    );
    w.desk(
        "main",
        &[
            "journal",
            "dismiss",
            "--journal",
            &shown_hash(&run.stdout),
            "--reason",
            "the standby was restored from a backup by mistake",
        ],
    )
    .ok();
    let run = check(&w, "main");
    assert_eq!(run.code, 2, "the violation stays: {}", run.stdout);
    assert!(!run.stdout.contains("tampered"), "{}", run.stdout);
}

#[test]
fn a_past_violation_stays_critical_until_acknowledged_with_a_reason_r12() {
    let w = World::new();
    let (_, base, fo) = activated_standby(&w);
    // 121 h under load, ended 39 h before the export.
    let t0 = now() - 160 * HOUR;
    let file = journal(&w, &[("load", t0), ("idle", t0 + 121 * HOUR)]);
    w.desk("main", &["import", &file]).ok();
    let run = check(&w, "main");
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(
        run.stdout.starts_with(&format!(
            "LICDESK CRITICAL - {fo} over the five-day limit: 121.0 h under load since {}",
            at(t0)
        )) && run
            .stdout
            .contains(&format!("licdesk journal acknowledge --failover {fo}")),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains(&format!("'{fo}_load_hours'=0.0;72;120;0;120")),
        "nothing is under load in the current episode: {}",
        run.stdout
    );
    // Refusals change nothing and say what to do.
    let before = w.dump("main");
    w.desk(
        "main",
        &["journal", "acknowledge", "--failover", &fo, "--reason", " "],
    )
    .refused("say why");
    assert_eq!(w.dump("main"), before);
    let reason = "failover during the data-centre move, approved by the vendor (ticket 4711)";
    let out = w
        .desk(
            "main",
            &[
                "--json",
                "journal",
                "acknowledge",
                "--failover",
                &fo,
                "--reason",
                reason,
            ],
        )
        .ok()
        .json();
    assert_eq!(out["episodes"][0]["start"], at(t0).as_str(), "{out}");
    assert_eq!(out["reason"], reason);
    let run = check(&w, "main");
    assert_eq!(run.code, 0, "{}", run.stdout);
    let text = w.desk("main", &["show", &base]).ok().stdout;
    assert!(
        text.contains("VIOLATION: the episode since") && text.contains("(acknowledged "),
        "{text}"
    );
    let audit = w.desk("main", &["audit"]).ok().stdout;
    assert!(
        audit.contains("violation-acknowledged") && audit.contains(reason),
        "{audit}"
    );
    // Only once.
    let before = w.dump("main");
    w.desk(
        "main",
        &[
            "journal",
            "acknowledge",
            "--failover",
            &fo,
            "--reason",
            reason,
        ],
    )
    .refused("no past violation to acknowledge");
    assert_eq!(w.dump("main"), before);

    // A violation still running cannot be acknowledged.
    let w = World::new();
    let (_, _, fo) = activated_standby(&w);
    let file = journal(&w, &[("load", now() - 121 * HOUR)]);
    w.desk("main", &["import", &file]).ok();
    let before = w.dump("main");
    w.desk(
        "main",
        &[
            "journal",
            "acknowledge",
            "--failover",
            &fo,
            "--reason",
            reason,
        ],
    )
    .refused("still running");
    assert_eq!(w.dump("main"), before);
    assert_eq!(check(&w, "main").code, 2);
}

#[test]
fn a_journal_carrying_a_superseded_activation_is_refused_r12() {
    let w = World::new();
    let (v, base, fo) = activated_standby(&w);
    let first = std::fs::read_to_string(w.path("standby.actreq.actresp")).unwrap();
    // Activation times have a resolution of one second.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    // The vendor re-activates the standby with a 48 h limit.
    let again = w.p("again.actreq");
    standby_request(&w, "standby", &fo, &[], &again).ok();
    let (run, resp) = w.activate_with(
        &v,
        &again,
        &[
            "--limit-hours",
            "48",
            "--warn-hours",
            "24",
            "--final-warn-hours",
            "36",
        ],
    );
    run.ok();
    w.desk("standby", &["import", &resp]).ok();
    // The R11 notice names the limits of the standby's signed activation.
    let text = w.desk("standby", &["show", &base]).ok().stdout;
    assert!(
        text.contains("NOTICE: This OfficeMaster FailoverSuite is licensed for standby or test operation only")
            && text.contains("48 hours")
            && !text.contains("five consecutive days"),
        "{text}"
    );
    let text = w
        .desk("standby", &["standby", "acknowledge", "--failover", &fo])
        .ok()
        .stdout;
    assert!(text.contains("48 hours"), "{text}");

    let file = journal(&w, &[("load", now() - 49 * HOUR)]);
    w.desk("main", &["import", &file]).ok();
    let run = check(&w, "main");
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(run.stdout.contains("over the 48 h limit"), "{}", run.stdout);
    // The same journal, later, carrying the first activation (120 h): refused everywhere.
    let stale = resigned(&file, &installation_key(&w), |j| {
        j.activation = first.clone();
        j.exported_at = Timestamp::from_unix(j.exported_at.unix() + 5);
    });
    std::fs::write(w.path("stale.journal"), stale).unwrap();
    for desk in ["main", "standby"] {
        let before = w.dump(desk);
        w.desk(desk, &["import", &w.p("stale.journal")])
            .refused("current activation");
        assert_eq!(w.dump(desk), before, "{desk}");
    }
    let run = check(&w, "main");
    assert!(run.stdout.contains("over the 48 h limit"), "{}", run.stdout);
}

#[test]
fn the_journal_refuses_an_entry_in_the_future_and_an_export_while_the_clock_is_behind_it() {
    let w = World::new();
    activated_standby(&w);
    let before = w.dump("standby");
    w.desk(
        "standby",
        &[
            "journal",
            "append",
            "--state",
            "load",
            "--at",
            &at(now() + 2 * HOUR),
        ],
    )
    .refused("more than 1 h after this machine's clock");
    assert_eq!(w.dump("standby"), before);
    // Within the allowance for a drifting clock, it is recorded, and audited.
    let ahead = at(now() + 30 * 60);
    w.desk(
        "standby",
        &["journal", "append", "--state", "load", "--at", &ahead],
    )
    .ok();
    let audit = w.desk("standby", &["audit"]).ok().stdout;
    assert!(
        audit.contains("journal-appended")
            && audit.contains(&format!("entry 0: load from {ahead}")),
        "{audit}"
    );
    // But while the clock is behind that entry, the journal is not exported.
    let before = w.dump("standby");
    let out = w.p("usage.journal");
    w.desk("standby", &["journal", "export", "--out", &out])
        .refused("fix the system clock");
    assert!(!w.path("usage.journal").exists());
    assert_eq!(w.dump("standby"), before);
}

#[test]
fn monitoring_names_the_critical_problem_first() {
    let w = World::new();
    let (v, base, fo) = activated_standby(&w);
    // A violation on the standby's own desk ...
    let file = journal(&w, &[("load", now() - 121 * HOUR)]);
    w.desk("standby", &["import", &file]).ok();
    // ... and, found before it, an out-of-date standby (a warning).
    upgrade_base_on_the_standby(&w, &v, &base);
    let run = check(&w, "standby");
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(
        run.stdout
            .starts_with(&format!("LICDESK CRITICAL - {fo} over the five-day limit"))
            && run.stdout.contains("out of date"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_journal_may_be_as_far_ahead_as_the_latest_signed_time_seen_r12() {
    let w = World::new();
    activated_standby(&w);
    let file = journal(&w, &[("load", now() - 10 * HOUR)]);
    // A journal ten days ahead of the clock runs ahead ...
    let ahead = resigned(&file, &installation_key(&w), |j| {
        j.exported_at = Timestamp::from_unix(now() + 10 * 24 * HOUR)
    });
    std::fs::write(w.path("ahead.journal"), ahead).unwrap();
    w.desk("other", &["trust", "add", &w.p("vendor.vpub")]).ok();
    w.desk("other", &["import", &w.p("ahead.journal")])
        .tampered("clock runs ahead");
    // ... but not on a desk that has seen a vendor-signed time later still (a certificate
    // issued 30 days ahead raised its trusted time floor).
    import_a_certificate_issued_30_days_ahead(&w, &w.p("vendor.key"));
    let out = w
        .desk("main", &["--json", "import", &w.p("ahead.journal")])
        .ok()
        .json();
    assert_eq!(out["files"][0]["status"], "evaluated", "{out}");
}
