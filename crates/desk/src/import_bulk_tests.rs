//! A window's files land whole or not at all, without a savepoint for a base certificate: a
//! refusal before its writes, and a store error during them, leave nothing of the file; the
//! time floor, raised once a window, is the one raising it file by file gives.
#![allow(clippy::unwrap_used)]

use std::path::PathBuf;

use licdesk_core::{seal, BaseCertificate, Envelope, FileKind, LicenseNumber, LicenseProduct};
use licdesk_core::{Timestamp, Variant};
use licdesk_store::Queries;

use crate::test_world::{world, World, ISSUED};
use crate::time::TIME_FLOOR;
use crate::{Desk, ImportOutcome, ImportStatus};

/// A base certificate of the world's vendor for license `n`, signed `seconds` after ISSUED.
fn certificate(n: u8, customer: &str, seconds: i64) -> BaseCertificate {
    BaseCertificate {
        license: LicenseNumber::from_random(LicenseProduct::Suite, [9, n, 9, n, 9]),
        revision: 1,
        customer: customer.into(),
        variant: Variant::Users10,
        extensions: vec![],
        issued_at: Timestamp::from_unix(ISSUED + seconds),
    }
}

/// The certificates sealed by the world's vendor and written to its folder, in order.
fn written(world: &World, certificates: &[BaseCertificate]) -> Vec<PathBuf> {
    certificates
        .iter()
        .enumerate()
        .map(|(n, c)| {
            let path = world.dir.path().join(format!("window-{n}.lic"));
            std::fs::write(&path, seal(FileKind::BaseCertificate, c, &world.vendor)).unwrap();
            path
        })
        .collect()
}

fn content_id(path: &PathBuf) -> String {
    Envelope::parse(&std::fs::read(path).unwrap())
        .unwrap()
        .content_id()
}

fn time_floor(desk: &Desk) -> Option<String> {
    desk.store.meta(TIME_FLOOR).unwrap()
}

/// Nothing of the file at `path` for `license` is in the store: no row, no file, no audit entry.
fn left_nothing(desk: &Desk, license: &LicenseNumber, path: &PathBuf) {
    assert!(desk.store.base(license).unwrap().is_none());
    assert!(!desk.store.file_seen(&content_id(path)).unwrap());
    let audited = desk.store.audit_log().unwrap();
    assert!(audited.iter().all(|e| e.subject != license.as_str()));
}

fn statuses(outcomes: &[ImportOutcome]) -> Vec<ImportStatus> {
    outcomes.iter().map(|o| o.status).collect()
}

#[test]
fn a_base_certificate_refused_in_the_middle_of_a_window_leaves_nothing_and_no_later_floor() {
    let mut world = world();
    let before = time_floor(&world.desk);
    // The world's license again, revision 2, for another customer: refused (R5), after its
    // checks and before any write; signed last, it would have raised the floor the most.
    let mut other_customer = world.base.clone();
    other_customer.revision = 2;
    other_customer.customer = "Someone Else AG".into();
    other_customer.issued_at = Timestamp::from_unix(ISSUED + 9_000);
    let certificates = [
        certificate(1, "Erste GmbH", 2_000),
        other_customer,
        certificate(2, "Zweite GmbH", 3_000),
    ];
    let paths = written(&world, &certificates);
    let outcomes = world.desk.import_paths(&paths);
    assert_eq!(
        statuses(&outcomes),
        [
            ImportStatus::Imported,
            ImportStatus::Refused,
            ImportStatus::Imported
        ]
    );
    let held = world.desk.store.base(&world.base.license).unwrap().unwrap();
    assert_eq!(held.certificate, world.base);
    assert!(!world.desk.store.file_seen(&content_id(&paths[1])).unwrap());
    let audited = world.desk.store.audit_log().unwrap();
    assert!(audited
        .iter()
        .all(|e| e.file_hash.as_deref() != Some(content_id(&paths[1]).as_str())));
    // The floor is the latest time of the files that landed, written once for the window.
    assert_ne!(time_floor(&world.desk), before);
    assert_eq!(
        time_floor(&world.desk),
        Some(Timestamp::from_unix(ISSUED + 3_000).to_string())
    );
}

#[test]
fn a_store_error_while_a_certificate_is_written_applies_the_window_again_refusing_it_alone() {
    let mut world = world();
    let failing = certificate(2, "Zweite GmbH", 9_000);
    // The store refuses the audit entry of one license: its row and its file are written
    // before that, without a savepoint, so the window is applied again with one per file.
    {
        let tx = world.desk.store.write().unwrap();
        let refuse = match tx.engine() {
            licdesk_store::Engine::Sqlite => format!(
                "CREATE TRIGGER refuse_one_audit BEFORE INSERT ON audit_log
                  WHEN NEW.subject = '{}'
                  BEGIN SELECT RAISE(ABORT, 'refused for the test'); END;",
                failing.license
            ),
            licdesk_store::Engine::Postgres => format!(
                "CREATE FUNCTION refuse_one_audit() RETURNS trigger LANGUAGE plpgsql AS $$
                 BEGIN
                     IF NEW.subject = '{}' THEN RAISE EXCEPTION 'refused for the test'; END IF;
                     RETURN NEW;
                 END $$;
                 CREATE TRIGGER refuse_one_audit BEFORE INSERT ON audit_log
                     FOR EACH ROW EXECUTE FUNCTION refuse_one_audit();",
                failing.license
            ),
        };
        tx.execute_batch_for_tests(&refuse).unwrap();
        tx.commit().unwrap();
    }
    let certificates = [
        certificate(1, "Erste GmbH", 2_000),
        failing.clone(),
        certificate(3, "Dritte GmbH", 3_000),
    ];
    let paths = written(&world, &certificates);
    let outcomes = world.desk.import_paths(&paths);
    assert_eq!(
        statuses(&outcomes),
        [
            ImportStatus::Imported,
            ImportStatus::Refused,
            ImportStatus::Imported
        ]
    );
    left_nothing(&world.desk, &failing.license, &paths[1]);
    for (certificate, path) in [(&certificates[0], &paths[0]), (&certificates[2], &paths[2])] {
        assert!(world
            .desk
            .store
            .base(&certificate.license)
            .unwrap()
            .is_some());
        assert!(world.desk.store.file_seen(&content_id(path)).unwrap());
    }
    assert_eq!(
        time_floor(&world.desk),
        Some(Timestamp::from_unix(ISSUED + 3_000).to_string())
    );
}

#[test]
fn the_floor_raised_once_a_window_is_the_floor_raised_file_by_file() {
    let mut world = world();
    let mut one_by_one = world.other_desk("one-by-one.sqlite");
    let certificates = [
        certificate(1, "Erste GmbH", 5_000),
        certificate(2, "Zweite GmbH", 7_000),
        certificate(3, "Dritte GmbH", 6_000),
        certificate(4, "Vierte GmbH", 500),
    ];
    let paths = written(&world, &certificates);
    let outcomes = world.desk.import_paths(&paths);
    assert!(outcomes.iter().all(|o| o.status == ImportStatus::Imported));
    for path in &paths {
        let outcome = one_by_one.import_bytes("certificate", &std::fs::read(path).unwrap());
        assert_eq!(
            outcome.status,
            ImportStatus::Imported,
            "{}",
            outcome.message
        );
    }
    assert_eq!(time_floor(&world.desk), time_floor(&one_by_one));
    assert_eq!(
        time_floor(&world.desk),
        Some(Timestamp::from_unix(ISSUED + 7_000).to_string())
    );
    assert_eq!(
        world.desk.clock_behind().unwrap(),
        one_by_one.clock_behind().unwrap()
    );
}
