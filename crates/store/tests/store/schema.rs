//! The schema: a newer one is refused and left untouched; every older store is upgraded to the
//! current schema with its data kept (the ledger's: `ledger.rs`).

use licdesk_core::{LicenseNumber, LicenseProduct, Timestamp};
use licdesk_store::{Queries, Store, StoreError, SCHEMA_VERSION};

use crate::support::*;

/// The schema version of the database at `path`.
fn user_version(path: &std::path::Path) -> i64 {
    rusqlite::Connection::open(path)
        .unwrap()
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap()
}

#[test]
fn a_store_of_a_newer_schema_is_refused_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("store.sqlite");
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.pragma_update(None, "user_version", SCHEMA_VERSION + 1)
            .unwrap();
    }
    let bytes_before = std::fs::read(&path).unwrap();
    let err = Store::open(&path).unwrap_err();
    assert!(matches!(err, StoreError::NewerSchema { .. }));
    assert!(err.to_string().contains("newer License Desk"), "{err}");
    assert_eq!(std::fs::read(&path).unwrap(), bytes_before);
    assert!(!dir.path().join("store.sqlite-wal").exists());
}

#[test]
fn an_older_store_is_migrated_to_the_current_schema() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("store.sqlite");
    drop(rusqlite::Connection::open(&path).unwrap());
    drop(Store::open(&path).unwrap());
    assert_eq!(user_version(&path), SCHEMA_VERSION);
}

#[test]
fn a_store_of_schema_1_is_upgraded_with_its_data_kept() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("store.sqlite");
    licdesk_store::create_at_version(&path, 1).unwrap();
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute(
            "INSERT INTO audit_log (at, action, subject, detail) VALUES ('2026-01-01T00:00:00Z', 'old', 'x', 'from schema 1')",
            [],
        )
        .unwrap();
        let v: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(v, 1);
    }
    let store = Store::open(&path).unwrap();
    let log = store.audit_log().unwrap();
    assert_eq!(log[0].detail, "from schema 1");
    assert_eq!(log[0].actor, None, "who made it was not recorded then");
    assert!(
        store.journal_entries().unwrap().is_empty(),
        "the new tables exist"
    );
    let v = user_version(&path);
    assert_eq!(v, SCHEMA_VERSION);
}

#[test]
fn a_store_of_schema_2_is_upgraded_keeping_trusted_reports_and_tampers() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("store.sqlite");
    licdesk_store::create_at_version(&path, 2).unwrap();
    let trusted = LicenseNumber::from_random(LicenseProduct::FailoverSuite, [1, 1, 2, 3, 4]);
    let tampered = LicenseNumber::from_random(LicenseProduct::FailoverSuite, [2, 1, 2, 3, 4]);
    let evaluation = licdesk_core::usage::evaluate(
        &[],
        &licdesk_core::LoadLimits::default(),
        Timestamp::from_unix(1_800_000_000),
    )
    .unwrap();
    let tamper = licdesk_core::usage::Tamper::BrokenChain { seq: 1 };
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute(
            "INSERT INTO usage_reports (failover, journal_hash, exported_at, evaluation, tamper, imported_at)
             VALUES (?1, 'h1', '2026-01-02T00:00:00Z', ?2, NULL, '2026-01-03T00:00:00Z'),
                    (?3, 'h2', '2099-01-01T00:00:00Z', NULL, ?4, '2026-01-03T00:00:00Z')",
            rusqlite::params![
                trusted.as_str(),
                serde_json::to_string(&evaluation).unwrap(),
                tampered.as_str(),
                serde_json::to_string(&tamper).unwrap()
            ],
        )
        .unwrap();
    }
    let mut store = Store::open(&path).unwrap();
    let v = user_version(&path);
    assert_eq!(v, SCHEMA_VERSION);
    let t = store.usage_report(&trusted).unwrap().unwrap();
    assert_eq!(t.journal_hash.as_deref(), Some("h1"));
    // Evaluated before journals were kept: none to verify (monitoring says so).
    assert_eq!(store.trusted_journal_text(&trusted).unwrap(), None);
    assert_eq!(
        t.exported_at,
        Some(Timestamp::parse("2026-01-02T00:00:00Z").unwrap())
    );
    assert_eq!(t.evaluation, Some(evaluation.clone()));
    assert!(t.tamper.is_none());
    let x = store.usage_report(&tampered).unwrap().unwrap();
    assert_eq!(x.tamper, Some(tamper.clone()));
    assert_eq!(x.tamper_hash.as_deref(), Some("h2"));
    assert_eq!(
        x.exported_at, None,
        "a tampered journal's export time is not trusted"
    );
    assert!(store.unreadable_journals().unwrap().is_empty());

    // An older trusted journal changes nothing; a newer one replaces it, and the tamper stays
    // reported until it is dismissed.
    let tx = store.write().unwrap();
    let hw = licdesk_core::HardwareId::from_digest(&[3; 16]);
    let journal = |hash: &'static str, exported: &str| licdesk_store::TrustedJournal {
        failover: &tampered,
        journal_hash: hash,
        exported_at: Timestamp::parse(exported).unwrap(),
        activated_at: Timestamp::from_unix(1_700_000_000),
        activation_serial: None,
        hardware_id: &hw,
        installation_key: "a2V5",
        last_entry: Some((4, "cafe")),
        evaluation: &evaluation,
        imported_at: Timestamp::from_unix(1_800_000_000),
        text: hash,
    };
    assert!(tx
        .put_usage_evaluation(&journal("h3", "2026-02-01T00:00:00Z"))
        .unwrap());
    let r = tx.usage_report(&tampered).unwrap().unwrap();
    assert_eq!(r.journal_hash.as_deref(), Some("h3"));
    // The journal itself is kept with its evaluation (monitoring verifies it again).
    assert_eq!(
        tx.trusted_journal_text(&tampered).unwrap().as_deref(),
        Some("h3")
    );
    assert_eq!(
        (r.last_seq, r.last_hash.as_deref()),
        (Some(4), Some("cafe"))
    );
    assert_eq!(
        r.tamper,
        Some(tamper.clone()),
        "a good journal hides no tamper"
    );
    assert!(tx
        .dismiss_tampered_journal("h2", Timestamp::from_unix(1_800_000_050), "looked into")
        .unwrap());
    let r = tx.usage_report(&tampered).unwrap().unwrap();
    assert!(r.tamper.is_none(), "{r:?}");
    assert_eq!(
        r.tampered[0].dismissed,
        Some((Timestamp::from_unix(1_800_000_050), "looked into".into()))
    );
    assert!(!tx
        .put_usage_evaluation(&journal("h4", "2026-01-31T00:00:00Z"))
        .unwrap());
    assert!(!tx
        .put_usage_evaluation(&journal("h5", "2026-02-01T00:00:00Z"))
        .unwrap());
    assert_eq!(
        tx.usage_report(&tampered)
            .unwrap()
            .unwrap()
            .journal_hash
            .as_deref(),
        Some("h3")
    );
    // A tamper keeps the trusted evaluation before it.
    tx.put_usage_tamper(
        &tampered,
        "h6",
        &tamper,
        Timestamp::from_unix(1_800_000_100),
    )
    .unwrap();
    let r = tx.usage_report(&tampered).unwrap().unwrap();
    assert_eq!(r.tamper, Some(tamper));
    assert_eq!(r.tamper_hash.as_deref(), Some("h6"));
    assert_eq!(r.journal_hash.as_deref(), Some("h3"));
    assert_eq!(r.evaluation, Some(evaluation));
    tx.commit().unwrap();
}

#[test]
fn a_store_of_schema_5_is_upgraded_keeping_reports_and_every_tamper_reported() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("store.sqlite");
    licdesk_store::create_at_version(&path, 5).unwrap();
    let trusted = LicenseNumber::from_random(LicenseProduct::FailoverSuite, [1, 1, 2, 3, 5]);
    let limits = licdesk_core::LoadLimits::default();
    // 121 h under load, then 30 h idle: a past violation.
    let t0 = 1_800_000_000;
    let load = licdesk_core::usage::Interval {
        from: Timestamp::from_unix(t0),
        to: Timestamp::from_unix(t0 + 121 * 3600),
        state: licdesk_core::usage::UsageState::Load,
    };
    let evaluation =
        licdesk_core::usage::evaluate(&[load], &limits, Timestamp::from_unix(t0 + 151 * 3600))
            .unwrap();
    let tamper = licdesk_core::usage::Tamper::BrokenChain { seq: 2 };
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute(
            "INSERT INTO usage_reports (failover, journal_hash, exported_at, activated_at, hardware_id,
                                        installation_key, evaluation, tamper, tamper_hash, imported_at)
             VALUES (?1, 'h1', '2027-01-02T00:00:00Z', '2026-12-01T00:00:00Z', NULL, 'a2V5', ?2, ?3,
                     'h2', '2027-01-03T00:00:00Z')",
            rusqlite::params![
                trusted.as_str(),
                serde_json::to_string(&evaluation).unwrap(),
                serde_json::to_string(&tamper).unwrap()
            ],
        )
        .unwrap();
        conn.execute(
            "INSERT INTO unreadable_journals (file_hash, key_id, reason, imported_at)
             VALUES ('h9', 'ik-1', 'bad signature', '2027-01-04T00:00:00Z')",
            [],
        )
        .unwrap();
    }
    let mut store = Store::open(&path).unwrap();
    let v = user_version(&path);
    assert_eq!(v, SCHEMA_VERSION);
    let r = store.usage_report(&trusted).unwrap().unwrap();
    assert_eq!(r.journal_hash.as_deref(), Some("h1"));
    assert_eq!(r.evaluation, Some(evaluation.clone()));
    assert_eq!(r.installation_key.as_deref(), Some("a2V5"));
    // No last entry is known for a journal recorded before: the next one need not continue it.
    assert_eq!((r.last_seq, r.last_hash), (None, None));
    // The tamper moved to the tampered journals, still reported.
    assert_eq!(r.tamper, Some(tamper.clone()));
    assert_eq!(r.tamper_hash.as_deref(), Some("h2"));
    assert_eq!(r.tampered.len(), 1);
    assert!(r.tampered[0].dismissed.is_none());
    // The past violation is open until acknowledged.
    assert_eq!(r.open_violations.len(), 1);
    assert!(r.violations_acknowledged.is_none());
    assert_eq!(store.unreadable_journals().unwrap().len(), 1);

    let tx = store.write().unwrap();
    assert!(tx
        .acknowledge_violations(
            &trusted,
            Timestamp::from_unix(t0),
            Timestamp::from_unix(t0 + 200 * 3600),
            "looked into"
        )
        .unwrap());
    let r = tx.usage_report(&trusted).unwrap().unwrap();
    assert!(r.open_violations.is_empty());
    assert_eq!(
        r.violations_acknowledged.map(|a| (a.through, a.reason)),
        Some((Timestamp::from_unix(t0), "looked into".to_string()))
    );
    // A standby with no trusted journal has nothing to acknowledge.
    let other = LicenseNumber::from_random(LicenseProduct::FailoverSuite, [9, 1, 2, 3, 5]);
    assert!(!tx
        .acknowledge_violations(
            &other,
            Timestamp::from_unix(t0),
            Timestamp::from_unix(t0),
            "x"
        )
        .unwrap());
    tx.commit().unwrap();
}

#[test]
fn a_store_of_schema_3_is_upgraded_and_its_customers_are_found_by_any_part_of_the_name() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("store.sqlite");
    licdesk_store::create_at_version(&path, 3).unwrap();
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        for (n, customer) in [(1, "Stadtwerke Kiel"), (2, "Klinikum Nord")] {
            conn.execute(
                "INSERT INTO base_licenses (license, revision, customer, customer_fold, variant,
                     extensions, issued_at, key_id, demo, entitlement_digest, certificate,
                     file_hash, imported_at)
                 VALUES (?1, 1, ?2, lower(?2), '25', '[]', '2026-01-01T00:00:00Z', 'vk-0', 0,
                     'd', 'cert', 'h', '2026-01-01T00:00:00Z')",
                rusqlite::params![base(n, "").license.as_str(), customer],
            )
            .unwrap();
        }
    }
    let mut store = Store::open(&path).unwrap();
    assert_eq!(store.count_bases("werke ki").unwrap(), 1);
    assert_eq!(store.count_bases("nord").unwrap(), 1);
    // Rows added after the upgrade are found too, and the old ones still are.
    put(&mut store, &base(3, "Nordsee Reederei"));
    assert_eq!(store.count_bases("nord").unwrap(), 2);
    assert_eq!(store.count_bases("kiel").unwrap(), 1);
}
