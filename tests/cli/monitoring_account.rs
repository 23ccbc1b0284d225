//! `licdesk check` as monitoring really runs it: under its own unprivileged account, which may
//! read the store (through the store's group) but not write it or its folder. Every state is
//! answered as the desk's own account answers it, no file is created or changed, a writer at
//! work changes nothing the check answers, and the desk's account still writes its store after.
//! Playing two accounts needs root.

use std::os::unix::fs::MetadataExt;
use std::path::Path;
use std::process::Command;

use crate::check::upgrade_base_on_the_standby;
use crate::support::*;

/// The desk's own account, and the monitoring account; both in the store's group.
const DESK_USER: &str = "daemon";
const MONITOR: &str = "nobody";
const GROUP: &str = "nogroup";

/// `licdesk --store STORE ARGS` as `user` (group [`GROUP`]).
fn licdesk_as(user: &str, store: &Path, args: &[&str]) -> Run {
    crate::support::licdesk_as(user, GROUP, store, args)
}

/// Everything in the world's folder handed to the desk's account and the store's group.
fn hand_to_the_desk_account(w: &World) {
    hand_over(w.dir.path(), DESK_USER, GROUP);
}

/// The check of `desk` as the monitoring account: `expected` exit code, the same answer as the
/// desk's own account gets, and the folder exactly as it was.
#[track_caller]
fn monitored(w: &World, desk: &str, expected: i32) -> Run {
    hand_to_the_desk_account(w);
    let store = w.path(&format!("{desk}.sqlite"));
    let before = listing(w.dir.path());
    let monitor = licdesk_as(MONITOR, &store, &["check"]);
    assert_eq!(
        listing(w.dir.path()),
        before,
        "check as {MONITOR} created or changed a file:\n{}",
        monitor.stdout
    );
    let own = licdesk_as(DESK_USER, &store, &["check"]);
    assert_eq!(
        listing(w.dir.path()),
        before,
        "check as {DESK_USER} created or changed a file"
    );
    assert_eq!(
        monitor.code, expected,
        "{}{}",
        monitor.stdout, monitor.stderr
    );
    assert_eq!(
        (monitor.code, &monitor.stdout),
        (own.code, &own.stdout),
        "the monitoring account and the desk's account get different answers"
    );
    monitor
}

#[test]
fn check_by_a_monitoring_account_with_read_access_only_answers_every_state_and_changes_nothing() {
    if !root_or_skipped_knowingly_for(
        "check_by_a_monitoring_account_with_read_access_only_answers_every_state_and_changes_nothing",
        "runs licdesk as two unprivileged accounts (setpriv) over files it hands to one of them",
    ) {
        return;
    }
    let w = World::new();
    let (v, base, _fo) = activated_standby(&w);
    let store = w.path("standby.sqlite");

    // The store as the desk created it: group-readable, its WAL files kept with its mode.
    for name in ["standby.sqlite", "standby.sqlite-wal", "standby.sqlite-shm"] {
        let mode = std::fs::metadata(w.path(name)).unwrap().mode() & 0o777;
        assert_eq!(mode, 0o640, "{name}: {mode:o}");
    }
    // OK.
    let ok = monitored(&w, "standby", 0);
    assert!(ok.stdout.starts_with("LICDESK OK - "), "{}", ok.stdout);
    // The monitoring account really cannot write: neither the folder nor the store.
    let probe = Command::new("setpriv")
        .args([
            &format!("--reuid={MONITOR}"),
            &format!("--regid={GROUP}"),
            "--clear-groups",
            "sh",
            "-c",
        ])
        .arg(format!(
            "touch '{}/probe' || : >> '{}'",
            w.dir.path().display(),
            store.display()
        ))
        .output()
        .unwrap();
    assert!(!probe.status.success(), "{MONITOR} may write");

    // Another process holds a write transaction open, its changes spilled into the WAL: the
    // check answers as before (the trusted keys it is deleting would make it CRITICAL).
    {
        let mut writer = raw_store(&store);
        writer.pragma_update(None, "cache_size", 2).unwrap();
        let tx = writer
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .unwrap();
        tx.execute("DELETE FROM trusted_keys", []).unwrap();
        for n in 0..3000 {
            tx.execute(
                "INSERT INTO audit_log (at, action, subject, detail) VALUES ('2026-01-01T00:00:00Z', 'noted', ?1, ?2)",
                (format!("entry {n}"), "x".repeat(200)),
            )
            .unwrap();
        }
        let during = licdesk_as(MONITOR, &store, &["check"]);
        assert_eq!((during.code, &during.stdout), (ok.code, &ok.stdout));
        tx.rollback().unwrap();
    }
    // A writer committing all the while: every answer is the same.
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let writer = {
        let (stop, store) = (stop.clone(), store.clone());
        std::thread::spawn(move || {
            let conn = raw_store(&store);
            conn.busy_timeout(std::time::Duration::from_secs(10))
                .unwrap();
            let mut commits = 0;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                conn.execute(
                    "INSERT INTO audit_log (at, action, subject, detail) VALUES ('2026-01-01T00:00:00Z', 'noted', 'busy', ?1)",
                    ["y".repeat(2000)],
                )
                .unwrap();
                commits += 1;
            }
            commits
        })
    };
    for _ in 0..5 {
        let during = licdesk_as(MONITOR, &store, &["check"]);
        assert_eq!((during.code, &during.stdout), (ok.code, &ok.stdout));
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    assert!(writer.join().unwrap() > 0);

    // WARNING: the base license upgraded, the standby out of date (R5).
    upgrade_base_on_the_standby(&w, &v, &base);
    let warning = monitored(&w, "standby", 1);
    assert!(warning.stdout.contains("out of date"), "{}", warning.stdout);

    // CRITICAL: no key trusts the certificates any more.
    raw_store(&store)
        .execute("DELETE FROM trusted_keys", [])
        .unwrap();
    let critical = monitored(&w, "standby", 2);
    assert!(
        critical.stdout.contains("vendor trust fails"),
        "{}",
        critical.stdout
    );

    // UNKNOWN: a damaged copy of the store (with its WAL files).
    damaged_copy(&store, &w.path("damaged.sqlite"));
    let unknown = monitored(&w, "damaged", 3);
    assert!(unknown.stdout.contains("damaged"), "{}", unknown.stdout);

    // UNKNOWN, creating nothing: a WAL store whose -wal and -shm were deleted (by an SQL tool
    // that closed it last) — even for the desk's account, which could create them.
    std::fs::copy(&store, w.path("bare.sqlite")).unwrap();
    let bare = monitored(&w, "bare", 3);
    assert!(
        bare.stdout.contains("bare.sqlite-wal, bare.sqlite-shm") && bare.stdout.contains("missing"),
        "{}",
        bare.stdout
    );

    // The desk's own account still writes its store, and its WAL files keep their group.
    // (It trusts the vendor again: the out-of-date standby is all that is left.)
    hand_to_the_desk_account(&w);
    let trust = licdesk_as(DESK_USER, &store, &["trust", "add", &v.public]);
    assert_eq!(trust.code, 0, "{}{}", trust.stdout, trust.stderr);
    let (_, file) = w.issue_base(&v, "Afterwards AG", "10", &[]);
    hand_to_the_desk_account(&w);
    let import = licdesk_as(DESK_USER, &store, &["import", &file]);
    assert_eq!(import.code, 0, "{}{}", import.stdout, import.stderr);
    let sibling = licdesk_store::sharing::sibling;
    for suffix in ["", "-wal", "-shm"] {
        let m = std::fs::metadata(sibling(&store, suffix)).unwrap();
        assert_eq!(
            (m.uid(), m.gid(), m.mode() & 0o777),
            (id_of("passwd", DESK_USER), id_of("group", GROUP), 0o640),
            "standby.sqlite{suffix}"
        );
    }
    monitored(&w, "standby", 1);
}

#[test]
fn check_by_a_monitoring_account_evaluates_the_standbys_live_journal_and_changes_nothing_r12() {
    if !root_or_skipped_knowingly_for(
        "check_by_a_monitoring_account_evaluates_the_standbys_live_journal_and_changes_nothing_r12",
        "runs licdesk as two unprivileged accounts (setpriv) over files it hands to one of them",
    ) {
        return;
    }
    let w = World::new();
    let (_v, _base, fo) = activated_standby(&w);
    // On the standby itself: 121 h under load that ended 129 h ago, and 73 h under load now.
    let t0 = now() - 250 * HOUR;
    for (state, t) in [
        ("load", t0),
        ("idle", t0 + 121 * HOUR),
        ("load", now() - 73 * HOUR),
    ] {
        w.desk(
            "standby",
            &["journal", "append", "--state", state, "--at", &at(t)],
        )
        .ok();
    }
    let before = w.dump("standby");
    hand_to_the_desk_account(&w);
    let store = w.path("standby.sqlite");
    let files = listing(w.dir.path());
    let run = licdesk_as(MONITOR, &store, &["check"]);
    let own = licdesk_as(DESK_USER, &store, &["check"]);
    assert_eq!(
        listing(w.dir.path()),
        files,
        "check created or changed a file"
    );
    assert_eq!((run.code, own.code), (2, 2), "{}{}", run.stdout, run.stderr);
    // The same answer, but for the time it was made at (the load counts up to now).
    assert_eq!(
        at_any_time(&run.stdout),
        at_any_time(&own.stdout),
        "the monitoring account and the desk's account get different answers"
    );
    assert!(
        run.stdout.starts_with(&format!(
            "LICDESK CRITICAL - {fo} over the five-day limit: 121.0 h under load since {}",
            at(t0)
        )) && run
            .stdout
            .contains(&format!("WARNING: {fo} warning: 73.0 h under load")),
        "{}",
        run.stdout
    );
    assert!(
        load_is(&run.stdout, &fo, 262800, "259200;432000;0"),
        "{}",
        run.stdout
    );
    assert_eq!(w.dump("standby"), before, "check changed the store");
}
