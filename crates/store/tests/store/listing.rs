//! The listing's columns follow every change that matters to the list: the main system's state
//! and what a license needs (systems, requests, a new revision, journals, violations, tampered
//! journals), its last change (every audit entry naming it or its FailoverSuite); a rolled-back
//! change leaves them as they were; a store of schema 9 gets them filled when upgraded; and the
//! overdue journals are those monitoring counts.

use licdesk_core::usage::{Episode, Evaluation, Level, Tamper};
use licdesk_core::{
    Attention, BaseCertificate, Component, ComponentKind, FailoverCertificate, Hardware, KeyId,
    LicenseNumber, LicenseProduct, LoadLimits, Role, SigningKey, StandbyMode, Timestamp,
};
use licdesk_store::{
    Activation, ListOrder, ListQuery, ListedBase, ListedStatus, Provenance, Queries,
    ShownViolations, Store, StoredRequest, TrustedJournal,
};

use licdesk_pgtest::{on_both_engines, Engine};

use crate::support::*;

on_both_engines!(
    the_main_systems_state_and_what_it_needs_follow_each_step_of_its_activation_r5,
    a_failover_suites_journals_violations_and_tampers_show_until_acknowledged_or_dismissed_r12,
    a_change_rolled_back_leaves_the_listing_as_it_was,
    only_the_licenses_needing_attention_are_listed_and_counted_with_those_the_desk_adds,
    overdue_journals_are_those_monitoring_counts_more_than_a_day_unaccounted_r12,
);

const T0: i64 = 1_800_000_000;

fn at(hours: i64) -> Timestamp {
    Timestamp::from_unix(T0 + hours * 3600)
}

fn listed(store: &Store, license: &LicenseNumber) -> ListedBase {
    store.listed_base(license).unwrap().unwrap()
}

fn machine(seed: &str) -> Hardware {
    Hardware::from_components(
        vec![Component::from_raw(ComponentKind::MachineId, seed)],
        None,
    )
}

fn provenance(key_id: &KeyId, hours: i64) -> Provenance<'_> {
    Provenance {
        file_hash: "h",
        key_id,
        demo: false,
        text: "cert",
        at: at(hours),
    }
}

fn key_id() -> KeyId {
    KeyId::of_public_key(&SigningKey::from_bytes(&[1; 32]).verifying_key())
}

fn activation(digest: &str, key: Option<&str>, hours: i64) -> Activation {
    Activation {
        installation_key: key.map(str::to_string),
        limits: None,
        activated_at: at(hours),
        entitlement_digest: digest.to_string(),
        entitlements: vec![],
        response_text: "response".into(),
    }
}

fn request(license: &LicenseNumber, role: Role, hw: &Hardware, hours: i64) -> StoredRequest {
    StoredRequest {
        nonce: format!("{:064x}", hours + 7),
        license: license.clone(),
        role,
        hardware_id: hw.id.clone(),
        created_at: at(hours),
        answered_at: None,
    }
}

fn the_main_systems_state_and_what_it_needs_follow_each_step_of_its_activation_r5(engine: Engine) {
    let place = engine
        .store("the_main_systems_state_and_what_it_needs_follow_each_step_of_its_activation_r5");
    let mut store = open(&place);
    let key = key_id();
    let mut cert = base(1, "Stadtwerke Kiel");
    let hw = machine("main");
    {
        let tx = store.write().unwrap();
        tx.put_base(&cert, &provenance(&key, 0)).unwrap();
        tx.commit().unwrap();
    }
    let l = cert.license.clone();
    assert_eq!(listed(&store, &l).main_status, ListedStatus::None);
    assert_eq!(listed(&store, &l).attention, []);

    let step = |store: &mut Store, f: &dyn Fn(&licdesk_store::Tx<'_>)| {
        let tx = store.write().unwrap();
        f(&tx);
        tx.commit().unwrap();
    };
    step(&mut store, &|tx| {
        tx.put_pending_system(Role::Main, &l, &l, &hw, None, None, at(1))
            .unwrap()
    });
    assert_eq!(listed(&store, &l).main_status, ListedStatus::Pending);
    assert_eq!(listed(&store, &l).attention, []);

    step(&mut store, &|tx| {
        tx.put_request(&request(&l, Role::Main, &hw, 2), "r1")
            .unwrap()
    });
    let waiting = Attention::WaitingForVendor {
        role: Role::Main,
        license: l.clone(),
        since: at(2),
    };
    assert_eq!(listed(&store, &l).main_status, ListedStatus::Waiting);
    assert_eq!(listed(&store, &l).attention, [waiting]);
    assert_eq!(store.attention_count(&[]).unwrap(), 1);

    let digest = cert.entitlement_digest();
    step(&mut store, &|tx| {
        tx.activate_system(Role::Main, &l, &hw, None, &activation(&digest, None, 3))
            .unwrap();
        tx.mark_request_answered(&format!("{:064x}", 9), at(3))
            .unwrap();
    });
    assert_eq!(listed(&store, &l).main_status, ListedStatus::Active);
    assert_eq!(listed(&store, &l).attention, []);
    assert_eq!(store.attention_count(&[]).unwrap(), 0);

    // A new revision changes the entitlements: the main system is out of date (R5).
    cert.revision = 2;
    cert.extensions = vec![licdesk_core::Extension {
        article: "XOM.11000".into(),
        name: "Fax".into(),
        quantity: 1,
    }];
    step(&mut store, &|tx| {
        tx.put_base(&cert, &provenance(&key, 4)).unwrap()
    });
    let out_of_date = Attention::OutOfDate {
        role: Role::Main,
        license: l.clone(),
    };
    assert_eq!(listed(&store, &l).main_status, ListedStatus::OutOfDate);
    assert_eq!(listed(&store, &l).attention, [out_of_date]);

    // Its new request exported: out of date still, the vendor's turn.
    step(&mut store, &|tx| {
        tx.put_request(&request(&l, Role::Main, &hw, 5), "r2")
            .unwrap()
    });
    assert_eq!(listed(&store, &l).main_status, ListedStatus::OutOfDate);
    assert!(matches!(
        listed(&store, &l).attention[..],
        [Attention::WaitingForVendor { .. }]
    ));
    // The status order: none, pending, waiting, active, out of date.
    assert!(ListedStatus::Waiting < ListedStatus::Active);
    assert!(ListedStatus::Active < ListedStatus::OutOfDate);
}

fn evaluation(level: Level, hours: i64) -> Evaluation {
    let episode = Episode {
        start: at(0),
        last_load_end: at(hours),
        load_seconds: hours * 3600,
        level,
        over_limit_seconds: 0,
    };
    Evaluation {
        episodes: vec![episode.clone()],
        current: Some(episode),
        worst: level,
        at: at(hours),
        limits: LoadLimits::default(),
    }
}

/// A base license with a FailoverSuite whose standby is active with installation key `k1`.
fn with_standby(store: &mut Store) -> (LicenseNumber, LicenseNumber, Hardware) {
    let key = key_id();
    let cert = base(2, "Klinikum Nord");
    let fo = FailoverCertificate {
        license: LicenseNumber::from_random(LicenseProduct::FailoverSuite, [2, 1, 2, 3, 4]),
        article: licdesk_core::FAILOVER_ARTICLE.to_string(),
        base_license: cert.license.clone(),
        issued_at: at(0),
    };
    let hw = machine("standby");
    let tx = store.write().unwrap();
    tx.put_base(&cert, &provenance(&key, 0)).unwrap();
    tx.put_failover(&fo, &provenance(&key, 0)).unwrap();
    tx.put_pending_system(
        Role::Standby,
        &fo.license,
        &cert.license,
        &hw,
        Some(StandbyMode::Hot),
        Some("k1"),
        at(1),
    )
    .unwrap();
    tx.activate_system(
        Role::Standby,
        &fo.license,
        &hw,
        Some(StandbyMode::Hot),
        &activation(&cert.entitlement_digest(), Some("k1"), 2),
    )
    .unwrap();
    tx.audit(at(2), "activated", fo.license.as_str(), "", None)
        .unwrap();
    tx.commit().unwrap();
    (cert.license, fo.license, hw)
}

fn journal<'a>(
    fo: &'a LicenseNumber,
    hw: &'a licdesk_core::HardwareId,
    e: &'a Evaluation,
    hash: &'a str,
) -> TrustedJournal<'a> {
    TrustedJournal {
        failover: fo,
        journal_hash: hash,
        exported_at: e.at,
        activated_at: at(2),
        activation_serial: None,
        hardware_id: hw,
        installation_key: "k1",
        last_entry: None,
        evaluation: e,
        imported_at: e.at,
        text: "journal",
    }
}

fn a_failover_suites_journals_violations_and_tampers_show_until_acknowledged_or_dismissed_r12(
    engine: Engine,
) {
    let place = engine.store("a_failover_suites_journals_violations_and_tampers_show_until_acknowledged_or_dismissed_r12");
    let mut store = open(&place);
    let (l, fo, hw) = with_standby(&mut store);
    assert_eq!(listed(&store, &l).attention, []);
    // The last change is the activation's audit entry, which names the FailoverSuite.
    assert_eq!(listed(&store, &l).changed_at, at(2));

    let warning = evaluation(Level::Warning, 80);
    let tx = store.write().unwrap();
    tx.put_usage_evaluation(&journal(&fo, &hw.id, &warning, "j1"))
        .unwrap();
    tx.commit().unwrap();
    assert_eq!(
        listed(&store, &l).attention,
        [Attention::Warning {
            failover: fo.clone(),
            hours: 72
        }]
    );

    let tamper = Tamper::BrokenChain { seq: 3 };
    let tx = store.write().unwrap();
    tx.put_usage_tamper(&fo, "t1", &tamper, at(90)).unwrap();
    let violation = evaluation(Level::Violation, 130);
    tx.put_usage_evaluation(&journal(&fo, &hw.id, &violation, "j2"))
        .unwrap();
    tx.record_violations(&ShownViolations {
        failover: &fo,
        installation_key: "k1",
        hardware_id: &hw.id,
        episodes: &violation.episodes,
        max_load_hours: 120,
        journal_hash: "j2",
        at: at(131),
    })
    .unwrap();
    tx.audit(at(131), "journal-evaluated", fo.as_str(), "", None)
        .unwrap();
    tx.commit().unwrap();
    assert_eq!(
        listed(&store, &l).attention,
        [
            Attention::Violation {
                failover: fo.clone()
            },
            Attention::TamperedJournal {
                failover: fo.clone()
            }
        ],
        "the most urgent first"
    );
    assert_eq!(listed(&store, &l).changed_at, at(131));

    // The episode ended; the next journal shows it over, acknowledged with a reason; the
    // tampered journal dismissed: nothing is left.
    let fine = Evaluation {
        current: None,
        at: at(200),
        ..violation.clone()
    };
    let tx = store.write().unwrap();
    tx.put_usage_evaluation(&journal(&fo, &hw.id, &fine, "j3"))
        .unwrap();
    tx.commit().unwrap();
    assert_eq!(
        listed(&store, &l).attention.len(),
        2,
        "still not acknowledged"
    );
    let tx = store.write().unwrap();
    tx.acknowledge_violations(&fo, at(0), at(201), "looked into")
        .unwrap();
    tx.dismiss_tampered_journal("t1", at(201), "a test export")
        .unwrap();
    tx.commit().unwrap();
    assert_eq!(listed(&store, &l).attention, []);
}

fn a_change_rolled_back_leaves_the_listing_as_it_was(engine: Engine) {
    let place = engine.store("a_change_rolled_back_leaves_the_listing_as_it_was");
    let mut store = open(&place);
    let (l, fo, _) = with_standby(&mut store);
    let before = listed(&store, &l);
    {
        let tx = store.write().unwrap();
        tx.put_usage_tamper(&fo, "t9", &Tamper::BrokenChain { seq: 1 }, at(9))
            .unwrap();
        tx.audit(at(9), "journal-tampered", fo.as_str(), "", None)
            .unwrap();
        // Dropped without a commit.
    }
    let after = listed(&store, &l);
    assert_eq!(
        (after.attention, after.changed_at),
        (before.attention, before.changed_at)
    );
    // Nothing is left to be listed anew either: the next commit changes nothing.
    store.write().unwrap().commit().unwrap();
    assert_eq!(listed(&store, &l).attention, []);
}

fn only_the_licenses_needing_attention_are_listed_and_counted_with_those_the_desk_adds(
    engine: Engine,
) {
    let place = engine.store(
        "only_the_licenses_needing_attention_are_listed_and_counted_with_those_the_desk_adds",
    );
    let mut store = open(&place);
    let (l, fo, hw) = with_standby(&mut store);
    let quiet = base(3, "Apotheke am Markt");
    let also = base(4, "Bäckerei Sommer");
    put(&mut store, &quiet);
    put(&mut store, &also);
    let tx = store.write().unwrap();
    tx.put_usage_evaluation(&journal(
        &fo,
        &hw.id,
        &evaluation(Level::FinalWarning, 100),
        "j1",
    ))
    .unwrap();
    tx.commit().unwrap();
    let page = |filter: &str, extra: &[LicenseNumber]| -> (Vec<String>, u64) {
        let (rows, total) = store
            .page_bases(&ListQuery {
                filter,
                order: ListOrder::Customer,
                descending: false,
                needing_attention: Some(extra),
                offset: 0,
                limit: 50,
            })
            .unwrap();
        (rows.into_iter().map(|r| r.customer).collect(), total)
    };
    assert_eq!(page("", &[]), (vec!["Klinikum Nord".to_string()], 1));
    assert_eq!(store.attention_count(&[]).unwrap(), 1);
    // What the desk finds at the time of asking (an overdue journal, say) is added.
    let extra = [also.license.clone(), l.clone()];
    assert_eq!(
        page("", &extra),
        (
            vec!["Bäckerei Sommer".to_string(), "Klinikum Nord".to_string()],
            2
        )
    );
    assert_eq!(store.attention_count(&extra).unwrap(), 2);
    // The filter applies to them too.
    assert_eq!(
        page("bäck", &extra),
        (vec!["Bäckerei Sommer".to_string()], 1)
    );
    assert_eq!(page("no such", &extra), (vec![], 0));
}

fn overdue_journals_are_those_monitoring_counts_more_than_a_day_unaccounted_r12(engine: Engine) {
    let place = engine
        .store("overdue_journals_are_those_monitoring_counts_more_than_a_day_unaccounted_r12");
    let mut store = open(&place);
    let (l, fo, hw) = with_standby(&mut store);
    // Activated at hour 2, no journal yet: overdue after 26 h, not before.
    let overdue = |store: &Store, hours: i64, own: Option<&str>| {
        store
            .journals_overdue(at(hours), 24, own)
            .unwrap()
            .into_iter()
            .map(|o| (o.failover, o.base, o.since))
            .collect::<Vec<_>>()
    };
    assert_eq!(overdue(&store, 26, None), []);
    assert_eq!(overdue(&store, 27, None), [(fo.clone(), l.clone(), at(2))]);
    // The standby this desk is keeps its journal live: never overdue here.
    assert_eq!(overdue(&store, 27, Some("k1")), []);
    // A journal of that installation exported at hour 20 accounts for the time up to then.
    let tx = store.write().unwrap();
    tx.put_usage_evaluation(&journal(&fo, &hw.id, &evaluation(Level::Fine, 20), "j1"))
        .unwrap();
    tx.commit().unwrap();
    assert_eq!(overdue(&store, 40, None), []);
    assert_eq!(overdue(&store, 45, None), [(fo.clone(), l.clone(), at(20))]);
    // Released (the system removed): the journal received stays overdue from its export on.
    let tx = store.write().unwrap();
    tx.delete_system(Role::Standby, &fo).unwrap();
    tx.commit().unwrap();
    assert_eq!(overdue(&store, 45, None), [(fo.clone(), l.clone(), at(20))]);
    assert_eq!(overdue(&store, 40, None), []);
}

#[test]
fn a_store_of_schema_9_is_upgraded_with_its_listing_filled() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("store.sqlite");
    licdesk_store::create_at_version(&path, 9).unwrap();
    let cert: BaseCertificate = base(5, "Ärztehaus 10");
    let hw = machine("main");
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute(
            "INSERT INTO base_licenses (license, revision, customer, customer_fold, variant,
                 extensions, issued_at, key_id, demo, entitlement_digest, certificate,
                 file_hash, imported_at)
             VALUES (?1, 1, ?2, lower(?2), '250', '[]', '2026-01-01T00:00:00Z', 'vk-0', 0,
                 'd', 'cert', 'h', '2026-01-01T00:00:00Z')",
            rusqlite::params![cert.license.as_str(), cert.customer],
        )
        .unwrap();
        conn.execute(
            "INSERT INTO systems (role, license, base_license, hardware_id, hardware, state, registered_at)
             VALUES ('main', ?1, ?1, ?2, ?3, 'pending', '2026-01-02T00:00:00Z')",
            rusqlite::params![
                cert.license.as_str(),
                hw.id.as_str(),
                serde_json::to_string(&hw).unwrap()
            ],
        )
        .unwrap();
        conn.execute(
            "INSERT INTO requests (nonce, license, role, hardware_id, created_at, file_hash)
             VALUES ('n1', ?1, 'main', ?2, '2026-01-03T00:00:00Z', 'r')",
            rusqlite::params![cert.license.as_str(), hw.id.as_str()],
        )
        .unwrap();
        conn.execute(
            "INSERT INTO audit_log (at, action, subject, detail) VALUES ('2026-01-03T00:00:00Z', 'request-written', ?1, '')",
            [cert.license.as_str()],
        )
        .unwrap();
    }
    let store = Store::open(&path).unwrap();
    let row = listed(&store, &cert.license);
    assert_eq!(row.main_status, ListedStatus::Waiting);
    assert!(matches!(
        row.attention[..],
        [Attention::WaitingForVendor { .. }]
    ));
    assert_eq!(row.changed_at.to_string(), "2026-01-03T00:00:00Z");
    let conn = rusqlite::Connection::open(&path).unwrap();
    let (key, rank, stale): (String, i64, i64) = conn
        .query_row(
            "SELECT customer_key, users_rank, (SELECT COUNT(*) FROM listing_stale)
               FROM base_licenses",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!((key.as_str(), rank, stale), ("arztehaus 0210", 3, 0));
}

/// A store of schema 10 with `customers` base licenses (written as a License Desk of schema 10
/// wrote them).
fn store_of_schema_10(path: &std::path::Path, customers: &[&str]) {
    licdesk_store::create_at_version(path, 10).unwrap();
    let conn = rusqlite::Connection::open(path).unwrap();
    for (i, customer) in customers.iter().enumerate() {
        let cert = base(i as u8, customer);
        conn.execute(
            "INSERT INTO base_licenses (license, revision, customer, customer_fold, variant,
                 extensions, issued_at, key_id, demo, entitlement_digest, certificate,
                 file_hash, imported_at, customer_key, users_rank, changed_at)
             VALUES (?1, 1, ?2, lower(?2), '25', '[]', '2026-01-01T00:00:00Z', 'vk-0', 0,
                 'd', 'cert', 'h', '2026-01-01T00:00:00Z', lower(?2), 2, '2026-01-01T00:00:00Z')",
            rusqlite::params![cert.license.as_str(), cert.customer],
        )
        .unwrap();
    }
}

#[test]
fn a_store_of_schema_10_is_monitored_before_its_upgrade_and_then_counted() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("store.sqlite");
    store_of_schema_10(&path, &["Kunde A", "Kunde B", "Kunde C"]);
    // Monitoring reads it as it is (schema 11 added nothing it reads) and writes nothing.
    let read_only = Store::open_read_only(&path).unwrap();
    assert!(read_only.standby_systems().unwrap().is_empty());
    drop(read_only);
    let version = |p: &std::path::Path| -> i64 {
        rusqlite::Connection::open(p)
            .unwrap()
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap()
    };
    assert_eq!(version(&path), 10);
    // A writer upgrades it: the kept count starts from the licenses there and follows new ones.
    let mut store = Store::open(&path).unwrap();
    assert_eq!(version(&path), licdesk_store::SCHEMA_VERSION);
    assert_eq!(store.count_bases("").unwrap(), 3);
    let tx = store.write().unwrap();
    tx.put_base(&base(9, "Kunde D"), &provenance(&key_id(), 1))
        .unwrap();
    tx.commit().unwrap();
    assert_eq!(store.count_bases("").unwrap(), 4);
    let (page, total) = store
        .page_bases(&ListQuery::by_customer("", 3, 100))
        .unwrap();
    assert_eq!((page.len(), total), (1, 4));
    assert_eq!(page[0].customer, "Kunde D");
}

#[test]
fn a_store_older_than_schema_10_is_not_monitored_until_upgraded() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("store.sqlite");
    licdesk_store::create_at_version(&path, 9).unwrap();
    let err = Store::open_read_only(&path).unwrap_err();
    assert!(err.to_string().contains("it has schema 9"), "{err}");
}
