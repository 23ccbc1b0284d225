//! What sync merges besides signed files, on both engines: the earliest decision stands in
//! both stores whichever way it is merged, a request is taken over once with its earliest
//! answer, and an audit entry copied keeps its identity and is copied once.

use licdesk_core::{LicenseNumber, LicenseProduct, Timestamp};
use licdesk_pgtest::{on_both_engines, Engine};
use licdesk_store::{Decision, DecisionSubject, Merged, Queries, Store};

use crate::support::*;

on_both_engines!(
    the_earliest_acknowledgement_of_a_violation_stands_in_both_stores_r12,
    an_audit_entry_copied_keeps_its_identity_and_is_copied_once,
);

fn failover() -> LicenseNumber {
    LicenseNumber::from_random(LicenseProduct::FailoverSuite, [4, 4, 4, 4, 4])
}

/// A store holding one violation of `failover()` from an installation, not acknowledged.
fn with_violation(store: &mut Store) {
    let tx = store.write().unwrap();
    tx.execute_batch_for_tests(&format!(
        "INSERT INTO violations (failover, installation_key, hardware_id, start, last_load_end,
                                 load_seconds, over_limit_seconds, max_load_hours, journal_hash,
                                 recorded_at)
         VALUES ('{}', 'a2V5', 'ABCD-EFGH-JKMN-PQ12', '2027-01-01T00:00:00Z',
                 '2027-01-07T00:00:00Z', 518400, 86400, 120, 'j1', '2027-01-08T00:00:00Z')",
        failover()
    ))
    .unwrap();
    tx.commit().unwrap();
}

fn acknowledge(store: &mut Store, hours: i64, reason: &str) -> Decision {
    let decision = Decision {
        subject: DecisionSubject::Violation {
            failover: failover(),
            installation_key: "a2V5".into(),
            start: Timestamp::parse("2027-01-01T00:00:00Z").unwrap(),
        },
        at: Timestamp::from_unix(1_800_000_000 + hours * 3600),
        reason: reason.into(),
    };
    let tx = store.write().unwrap();
    assert_eq!(tx.merge_decision(&decision).unwrap(), Merged::Taken);
    tx.commit().unwrap();
    decision
}

fn merge(store: &mut Store, decision: &Decision) -> Merged {
    let tx = store.write().unwrap();
    let merged = tx.merge_decision(decision).unwrap();
    tx.commit().unwrap();
    merged
}

fn the_earliest_acknowledgement_of_a_violation_stands_in_both_stores_r12(engine: Engine) {
    let (a_place, b_place) = (engine.store("ack_a"), engine.store("ack_b"));
    let (mut a, mut b) = (open(&a_place), open(&b_place));
    with_violation(&mut a);
    with_violation(&mut b);
    let early = acknowledge(&mut a, 1, "Wartungsfenster, mit dem Kunden geklärt");
    let late = acknowledge(&mut b, 5, "Lasttest");
    // Merged both ways: A keeps its own, B's later one is replaced by A's.
    assert_eq!(merge(&mut a, &late), Merged::OursStands);
    assert_eq!(merge(&mut b, &early), Merged::Replaced(late.clone()));
    assert_eq!(a.decisions().unwrap(), vec![early.clone()]);
    assert_eq!(b.decisions().unwrap(), vec![early.clone()]);
    // Again: nothing changes.
    assert_eq!(merge(&mut b, &early), Merged::Same);
    // A store without the violation has nothing to decide.
    let c_place = engine.store("ack_c");
    assert_eq!(merge(&mut open(&c_place), &early), Merged::NothingToDecide);
}

fn an_audit_entry_copied_keeps_its_identity_and_is_copied_once(engine: Engine) {
    let (a_place, b_place) = (engine.store("audit_a"), engine.store("audit_b"));
    let (mut a, mut b) = (open(&a_place), open(&b_place));
    a.act_as("anna@laptop");
    put(&mut a, &base(1, "Kunde"));
    let entry = a.audit_log().unwrap().remove(0);
    assert_eq!(entry.entry_id.len(), 32, "{entry:?}");
    for expected in [true, false] {
        let tx = b.write().unwrap();
        assert_eq!(tx.copy_audit_entry(&entry).unwrap(), expected);
        tx.commit().unwrap();
    }
    let copied = b.audit_log().unwrap();
    assert_eq!(copied.len(), 1);
    assert_eq!(
        (
            &copied[0].entry_id,
            &copied[0].actor,
            copied[0].at,
            &copied[0].detail
        ),
        (&entry.entry_id, &entry.actor, entry.at, &entry.detail)
    );
}
