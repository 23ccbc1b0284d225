//! Tampered usage journals: a changed, re-signed, future-dated or history-rewriting journal, or one
//! whose signature fails, is reported as tampered, never accepted, and cannot hide a violation
//! (R12).

use licdesk_core::usage::{chain_hash, JournalEntry, UsageJournal, UsageState, GENESIS};
use licdesk_core::{SigningKey, Timestamp};

use crate::support::*;

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
    // With --json: the report on stdout as always, the error object on stderr.
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
        load_is(&run.stdout, &fo, 36000, "259200;432000;0"),
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

/// Copies a desk's store files (the database, and its WAL files when there are any).
fn copy_store(w: &World, from: &str, to: &str) {
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
    assert!(
        !status_text(&run.stdout).contains("tampered"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_journal_rewritten_with_a_backdated_entry_is_tampered_and_the_violation_stays_r12() {
    let w = World::new();
    let (_v, _base, fo) = activated_standby(&w);
    let (file, t0) = violation_reported(&w);
    // The customer forges the next journal with the installation key (sqlite3 and a script on
    // the standby can do as much): an idle entry one hour after the load began.
    let key = installation_key(&w);
    let forged = resigned(&file, &key, |j: &mut UsageJournal| {
        let seq = j.entries.len() as u64;
        let previous = j.entries.last().unwrap().hash.clone();
        let at = Timestamp::from_unix(t0 + HOUR);
        let state = licdesk_core::usage::UsageState::Idle;
        j.entries.push(licdesk_core::usage::JournalEntry {
            seq,
            at,
            state,
            hash: licdesk_core::usage::chain_hash(&previous, seq, at, state),
        });
        j.exported_at = j.exported_at.plus_seconds(60);
    });
    let path = w.p("forged.journal");
    std::fs::write(&path, forged).unwrap();
    w.desk("main", &["import", &path]).tampered("backdated");
    let run = check(&w, "main");
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(
        run.stdout
            .contains(&format!("{fo} over the five-day limit")),
        "{}",
        run.stdout
    );
}
