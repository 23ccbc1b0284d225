//! The usage journal: appended on the standby's desk, exported, imported on the reseller's desk;
//! older, newer, future and backdated journals, a previous standby's journal, times out of range
//! and parallel appends (R12).

use licdesk_core::usage::UsageJournal;
use licdesk_core::{SigningKey, Timestamp};

use crate::support::*;

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
fn a_journal_carrying_a_superseded_activation_is_refused_r12() {
    let w = World::new();
    let (v, base, fo) = activated_standby(&w);
    let first = std::fs::read_to_string(w.path("standby.actreq.actresp")).unwrap();
    // No waiting for the clock: the vendor's ledger numbers its decisions, so a re-activation in
    // the same second is still the later one, on every desk.
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

#[test]
fn an_entry_backdated_into_time_already_reported_is_refused_on_the_standby_r12() {
    let w = World::new();
    let (_v, _base, _fo) = activated_standby(&w);
    let (_, t0) = violation_reported(&w);
    let before = w.dump("standby");
    // "Idle since shortly after the load began": before the export that reported the load.
    w.desk(
        "standby",
        &[
            "journal",
            "append",
            "--state",
            "idle",
            "--at",
            &at(t0 + HOUR),
        ],
    )
    .refused("latest export");
    assert_eq!(w.dump("standby"), before);
    // Not even at the very time of the last entry: entries are strictly later.
    w.desk(
        "standby",
        &["journal", "append", "--state", "idle", "--at", &at(t0)],
    )
    .refused("not after the journal's last entry");
    assert_eq!(w.dump("standby"), before);
}

#[test]
fn times_outside_the_years_1970_to_9999_are_refused_not_a_panic() {
    let w = World::new();
    let (_v, _base, _fo) = activated_standby(&w);
    let before = w.dump("standby");
    for time in [
        "9999-12-31T23:59:59-01:00",
        "0000-01-01T00:00:00+01:00",
        "1969-12-31T23:59:59Z",
    ] {
        let run = w.desk(
            "standby",
            &["journal", "append", "--state", "load", "--at", time],
        );
        assert_ne!(run.code, 0, "{time} was taken");
        assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
        assert_eq!(w.dump("standby"), before, "{time}");
    }
}

#[test]
fn parallel_journal_appends_all_land_in_order() {
    let w = World::new();
    let (_v, _base, _fo) = activated_standby(&w);
    // Eight appends at once, as the suite's service and an administrator might.
    let handles: Vec<_> = (0..8)
        .map(|n| {
            let store = w.p("standby.sqlite");
            std::thread::spawn(move || {
                std::process::Command::new(binary("licdesk"))
                    .args([
                        "--store",
                        &store,
                        "journal",
                        "append",
                        "--state",
                        if n % 2 == 0 { "load" } else { "idle" },
                    ])
                    .output()
                    .unwrap()
            })
        })
        .collect();
    for h in handles {
        let out = h.join().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let file = w.p("parallel.journal");
    w.desk("standby", &["journal", "export", "--out", &file])
        .ok();
    let journal: UsageJournal = payload(&file);
    assert_eq!(journal.entries.len(), 8);
    assert!(journal.intervals().is_ok());
}
