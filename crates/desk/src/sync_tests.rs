//! Sync between a team's store and laptops that worked offline: what each did reaches the
//! others, in any order, once; a registration set aside is recorded where it was lost; a sync
//! cut short finishes when run again; and what a signed file says cannot be changed on the way.
#![allow(clippy::unwrap_used)]

use std::collections::BTreeSet;

use licdesk_core::{seal, BaseCertificate, FileKind, LicenseNumber, LicenseProduct, Variant};
use licdesk_core::{Role, Timestamp};
use licdesk_store::{Queries, SystemState};

use crate::test_world::{world, World, ISSUED};
use crate::{Desk, ImportStatus};

/// A base certificate of the world's vendor for customer `n`.
fn customer(world: &World, n: u8, name: &str) -> (BaseCertificate, String) {
    let cert = BaseCertificate {
        license: LicenseNumber::from_random(LicenseProduct::Suite, [5, n, 5, n, 5]),
        revision: 1,
        customer: name.into(),
        variant: Variant::Users10,
        extensions: vec![],
        issued_at: Timestamp::from_unix(ISSUED + i64::from(n)),
    };
    let text = seal(FileKind::BaseCertificate, &cert, &world.vendor);
    (cert, text)
}

fn import(desk: &mut Desk, text: &str) {
    let outcome = desk.import_bytes("file", text.as_bytes());
    assert_ne!(outcome.status, ImportStatus::Refused, "{}", outcome.message);
}

/// What people see of a store, to compare two: its licenses, its systems, its audit entries.
fn seen(desk: &Desk) -> (Vec<String>, Vec<String>, BTreeSet<String>) {
    let licenses = desk
        .list("", 0, 1000)
        .unwrap()
        .rows
        .into_iter()
        .map(|r| format!("{} {}", r.license, r.customer))
        .collect();
    let systems = desk
        .store
        .all_systems()
        .unwrap()
        .into_iter()
        .map(|s| format!("{:?} {} {} {:?}", s.role, s.license, s.hardware.id, s.state))
        .collect();
    let audit = desk
        .store
        .audit_log()
        .unwrap()
        .into_iter()
        .map(|e| e.entry_id)
        .collect();
    (licenses, systems, audit)
}

/// Runs `work` on `laptop` as the world's desk (its helpers act on `world.desk`).
fn on(world: &mut World, laptop: &mut Desk, work: impl FnOnce(&mut World)) {
    std::mem::swap(&mut world.desk, laptop);
    work(world);
    std::mem::swap(&mut world.desk, laptop);
}

#[test]
fn a_laptops_offline_work_reaches_the_team_store_and_the_teams_reaches_the_laptop_r4() {
    let mut w = world();
    let mut laptop = w.other_desk("laptop.sqlite");
    // At a customer's site, offline: the standby registered and activated (R4).
    let mut standby = None;
    on(&mut w, &mut laptop, |w| {
        let (hardware, key) = w.register_from_file(b"standby-at-customer");
        w.activate_standby(
            &hardware,
            licdesk_core::InstallationKey::of(&key.verifying_key()),
        );
        standby = Some(hardware);
    });
    let standby = standby.unwrap();
    // Meanwhile at the office: a new customer's license.
    let (new_customer, text) = customer(&w, 1, "Hafenbetriebe Kiel GmbH");
    import(&mut w.desk, &text);

    let report = laptop.sync_with(&mut w.desk).unwrap();
    assert!(report.complete(), "{report:?}");
    assert_eq!(report.received.files, 1, "{report:?}");
    assert!(report.sent.files >= 1, "{report:?}");
    assert_eq!(report.sent.registrations, 1, "{report:?}");
    assert_eq!(report.sent.requests, 1, "{report:?}");
    assert!(report.conflicts.is_empty(), "{report:?}");
    let on_team = w
        .desk
        .store
        .system(Role::Standby, &w.failover)
        .unwrap()
        .unwrap();
    assert_eq!(on_team.hardware.id, standby.id);
    assert_eq!(on_team.state, SystemState::Active);
    assert!(laptop.store.base(&new_customer.license).unwrap().is_some());
    assert_eq!(seen(&laptop), seen(&w.desk));

    // Again: nothing left to exchange.
    let again = laptop.sync_with(&mut w.desk).unwrap();
    assert!(again.complete());
    assert_eq!(
        (
            again.received.files,
            again.sent.files,
            again.sent.registrations
        ),
        (0, 0, 0),
        "{again:?}"
    );
    assert_eq!(
        (again.received.audit_entries, again.sent.audit_entries),
        (0, 0)
    );
    assert_eq!(seen(&laptop), seen(&w.desk));
}

/// A store's licenses and systems, as [`seen`] shows them.
type View = (Vec<String>, Vec<String>);

/// Two laptops register different standbys for one FailoverSuite offline, the second an hour
/// later; then both sync with the team, the first laptop again at the end. Returns the three
/// stores' views and the laptops' audit logs' conflicts.
fn two_laptops(first_syncs_first: bool) -> (Vec<View>, usize, usize) {
    let mut w = world();
    let mut anna = w.other_desk("anna.sqlite");
    let mut ben = w.other_desk("ben.sqlite");
    on(&mut w, &mut anna, |w| {
        w.register_from_file(b"anna-picked-this-one");
    });
    w.hours_pass(1);
    on(&mut w, &mut ben, |w| {
        w.register_from_file(b"ben-picked-another");
    });
    let (_, text) = customer(&w, 2, "Stadtwerke Flensburg");
    import(&mut anna, &text);
    let order: [&mut Desk; 2] = if first_syncs_first {
        [&mut anna, &mut ben]
    } else {
        [&mut ben, &mut anna]
    };
    for laptop in order {
        assert!(laptop.sync_with(&mut w.desk).unwrap().complete());
    }
    assert!(anna.sync_with(&mut w.desk).unwrap().complete());
    assert!(ben.sync_with(&mut w.desk).unwrap().complete());
    let conflicts = |d: &Desk| {
        d.store
            .audit_log()
            .unwrap()
            .iter()
            .filter(|e| e.action == "sync-conflict")
            .count()
    };
    let anna_conflicts = conflicts(&anna);
    let total = conflicts(&w.desk);
    let views = [&anna, &ben, &w.desk]
        .iter()
        .map(|d| {
            let (l, s, _) = seen(d);
            (l, s)
        })
        .collect();
    (views, anna_conflicts, total)
}

#[test]
fn two_laptops_that_worked_offline_converge_in_either_order_the_later_registration_standing() {
    for first_syncs_first in [true, false] {
        let (views, anna_conflicts, team_conflicts) = two_laptops(first_syncs_first);
        assert_eq!(views[0], views[1], "order {first_syncs_first}");
        assert_eq!(views[1], views[2], "order {first_syncs_first}");
        // Ben's registration, an hour later, stands everywhere; Anna's was set aside once,
        // recorded in her store, and that entry reached the team's log with the rest.
        let standby: Vec<&String> = views[2]
            .1
            .iter()
            .filter(|s| s.contains("Standby"))
            .collect();
        assert_eq!(standby.len(), 1, "{standby:?}");
        assert!(views[2]
            .0
            .iter()
            .any(|l| l.contains("Stadtwerke Flensburg")));
        assert!(anna_conflicts >= 1, "order {first_syncs_first}");
        assert!(team_conflicts >= 1, "order {first_syncs_first}");
    }
    // Both orders end in the same standby.
    let (a, _, _) = two_laptops(true);
    let (b, _, _) = two_laptops(false);
    assert_eq!(a[2].1, b[2].1);
}

#[test]
fn a_sync_cut_short_leaves_both_stores_whole_and_finishes_when_run_again() {
    let mut w = world();
    let mut laptop = w.other_desk("laptop.sqlite");
    for n in 0..6 {
        let (_, text) = customer(&w, 10 + n, &format!("Kunde {n} GmbH"));
        import(&mut laptop, &text);
    }
    on(&mut w, &mut laptop, |w| {
        w.register_from_file(b"standby-of-a-laptop-at-a-customer");
    });
    // Stopped after one step, twice, then run to the end.
    for _ in 0..2 {
        let cut = laptop
            .sync_with_until(&mut w.desk, &mut |done| done < 1)
            .unwrap();
        assert!(cut.interrupted && !cut.complete(), "{cut:?}");
    }
    assert_ne!(seen(&laptop), seen(&w.desk));
    let rest = laptop.sync_with(&mut w.desk).unwrap();
    assert!(rest.complete(), "{rest:?}");
    assert_eq!(seen(&laptop), seen(&w.desk));
    assert_eq!(
        w.desk.list("kunde", 0, 100).unwrap().total,
        6,
        "every customer arrived once"
    );
}

#[test]
fn what_a_signed_file_says_cannot_be_changed_by_sync_and_a_forged_file_is_refused_r1() {
    let mut w = world();
    let mut laptop = w.other_desk("laptop.sqlite");
    let (cert, text) = customer(&w, 3, "Ehrliche Kunde AG");
    import(&mut laptop, &text);
    let (other, _) = customer(&w, 4, "Zweiter Kunde AG");
    // Someone edits the laptop's store by hand: a customer's name in its table, and the kept
    // file of another license replaced by one they signed themselves.
    let mut forged = other.clone();
    forged.customer = "Gefälschte AG".into();
    let forger = licdesk_core::SigningKey::from_bytes(&[99; 32]);
    let forged_text = seal(FileKind::BaseCertificate, &forged, &forger);
    import(
        &mut laptop,
        &seal(FileKind::BaseCertificate, &other, &w.vendor),
    );
    let other_id = licdesk_core::Envelope::parse(
        seal(FileKind::BaseCertificate, &other, &w.vendor).as_bytes(),
    )
    .unwrap()
    .content_id();
    {
        let tx = laptop.store.write().unwrap();
        tx.execute_batch_for_tests(&format!(
            "UPDATE base_licenses SET customer = 'Gefälschte AG' WHERE license = '{}';
             UPDATE imported_files SET text = '{}' WHERE file_hash = '{other_id}'",
            cert.license,
            forged_text.replace('\'', "''")
        ))
        .unwrap();
        tx.commit().unwrap();
    }
    let report = laptop.sync_with(&mut w.desk).unwrap();
    // The edited row is not what travels: the signed certificate is, and says the truth.
    let honest = w.desk.store.base(&cert.license).unwrap().unwrap();
    assert_eq!(honest.certificate.customer, "Ehrliche Kunde AG");
    // The forged file is refused by the team's store (no key it trusts signed it).
    assert!(!report.complete());
    assert_eq!(report.sent.refused.len(), 1, "{report:?}");
    assert_eq!(report.sent.refused[0].file, other_id);
    assert!(w.desk.store.base(&other.license).unwrap().is_none());
    assert_eq!(w.desk.list("gefälschte", 0, 10).unwrap().total, 0);
}

#[test]
fn a_standby_released_on_a_laptop_is_released_in_the_team_store_and_not_registered_again_r4() {
    let mut w = world();
    let mut laptop = w.other_desk("laptop.sqlite");
    let mut standby = None;
    on(&mut w, &mut laptop, |w| {
        let (hardware, key) = w.register_from_file(b"standby-to-be-released-later");
        w.activate_standby(
            &hardware,
            licdesk_core::InstallationKey::of(&key.verifying_key()),
        );
        standby = Some(hardware);
    });
    assert!(laptop.sync_with(&mut w.desk).unwrap().complete());
    assert!(w
        .desk
        .store
        .system(Role::Standby, &w.failover)
        .unwrap()
        .is_some());
    // The vendor frees the machine (by hand: the standby is gone); the laptop imports it.
    w.hours_pass(2);
    let release = licdesk_core::Release {
        request_nonce: licdesk_core::nonce::by_hand_nonce(&[7; 16]),
        failover: w.failover.clone(),
        hardware_id: standby.unwrap().id,
        released_at: laptop.now(),
        serial: None,
    };
    import(&mut laptop, &seal(FileKind::Release, &release, &w.vendor));
    assert!(laptop
        .store
        .system(Role::Standby, &w.failover)
        .unwrap()
        .is_none());
    // Sync: the team's store applies the release; the laptop does not take the team's old
    // registration back.
    let report = laptop.sync_with(&mut w.desk).unwrap();
    assert!(report.complete(), "{report:?}");
    assert_eq!(report.received.registrations, 0, "{report:?}");
    assert!(w
        .desk
        .store
        .system(Role::Standby, &w.failover)
        .unwrap()
        .is_none());
    assert!(laptop
        .store
        .system(Role::Standby, &w.failover)
        .unwrap()
        .is_none());
    assert_eq!(seen(&laptop), seen(&w.desk));
}

#[test]
fn a_machine_registered_as_main_in_one_store_and_as_standby_in_the_other_is_refused_both_ways_r14()
{
    let mut w = world();
    let mut laptop = w.other_desk("laptop.sqlite");
    let seed: &[u8] = b"one-machine-two-roles-offline";
    // At the office, the machine is made the main system (its hardware-ID file)...
    let file = seal(
        FileKind::HardwareId,
        &licdesk_core::model::HardwareIdFile {
            hardware: licdesk_core::Hardware::from_code(licdesk_core::HardwareId::from_digest(
                seed,
            )),
            created_at: w.desk.now(),
        },
        &licdesk_core::SigningKey::from_bytes(&[seed.len() as u8 + 40; 32]),
    );
    w.desk
        .write_request(
            &w.base.license,
            Role::Main,
            Some(&crate::MachineChoice::FileContent(file.into_bytes())),
            &w.dir.path().join("main.actreq"),
            crate::IfExists::Replace,
        )
        .unwrap();
    // ...and on the laptop, the same machine the standby.
    on(&mut w, &mut laptop, |w| {
        w.register_from_file(seed);
    });
    let report = laptop.sync_with(&mut w.desk).unwrap();
    assert!(!report.complete());
    let refused = |list: &[crate::ImportOutcome]| -> Vec<(String, crate::ErrorCode)> {
        list.iter()
            .map(|o| (o.file.clone(), o.error.as_ref().unwrap().code))
            .collect()
    };
    assert_eq!(
        refused(&report.sent.refused),
        [(w.failover.to_string(), crate::ErrorCode::RuleViolation)],
        "{report:?}"
    );
    assert_eq!(
        refused(&report.received.refused),
        [(w.base.license.to_string(), crate::ErrorCode::RuleViolation)],
        "{report:?}"
    );
    assert!(
        report.sent.refused[0].message.contains("main system"),
        "{report:?}"
    );
    // Each store keeps its own registration.
    assert!(w
        .desk
        .store
        .system(Role::Standby, &w.failover)
        .unwrap()
        .is_none());
    assert!(laptop
        .store
        .system(Role::Main, &w.base.license)
        .unwrap()
        .is_none());
}
