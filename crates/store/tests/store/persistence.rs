//! What is put in the store stays: after reopening, and in an audit log that is append-only and
//! names who made each change.

use licdesk_pgtest::{on_both_engines, Engine};
use licdesk_store::Queries;

use crate::support::*;

on_both_engines!(
    everything_is_still_there_after_reopening,
    the_audit_log_is_append_only,
    each_audit_entry_names_who_made_the_change,
);

fn everything_is_still_there_after_reopening(engine: Engine) {
    let place = engine.store("reopening");
    let cert = base(1, "Müller GmbH");
    let before = {
        let mut store = open(&place);
        put(&mut store, &cert);
        store.dump().unwrap()
    };
    let store = open(&place);
    assert_eq!(store.dump().unwrap(), before);
    assert_eq!(
        store.base(&cert.license).unwrap().unwrap().certificate,
        cert
    );
}

fn the_audit_log_is_append_only(engine: Engine) {
    let place = engine.store("append_only");
    let mut store = open(&place);
    put(&mut store, &base(2, "A"));
    for change in ["DELETE FROM audit_log", "UPDATE audit_log SET action = 'x'"] {
        let tx = store.write().unwrap();
        let refused = tx.execute_batch_for_tests(change).unwrap_err();
        assert!(
            refused.to_string().contains("the audit log is append-only"),
            "{change}: {refused}"
        );
    }
    assert_eq!(store.audit_log().unwrap().len(), 1);
}

fn each_audit_entry_names_who_made_the_change(engine: Engine) {
    let place = engine.store("actors");
    {
        let mut anna = open(&place);
        anna.act_as("anna@lic-desk-2");
        put(&mut anna, &base(3, "Anna's customer"));
    }
    {
        let mut ben = open(&place);
        ben.act_as("ben@lic-desk-7");
        put(&mut ben, &base(4, "Ben's customer"));
        // Through the bulk import's write as well.
        let tx = ben.write_with_journal_in_memory().unwrap();
        tx.audit(
            licdesk_core::Timestamp::from_unix(2),
            "trust-added",
            "key",
            "",
            None,
        )
        .unwrap();
        tx.commit().unwrap();
    }
    // A store nobody named (tests, tools): nothing recorded rather than a guess.
    put(&mut open(&place), &base(5, "Nobody's customer"));
    let who: Vec<Option<String>> = open(&place)
        .audit_log()
        .unwrap()
        .into_iter()
        .map(|e| e.actor)
        .collect();
    let anna = Some("anna@lic-desk-2".to_owned());
    let ben = Some("ben@lic-desk-7".to_owned());
    assert!(who.len() >= 4, "{who:?}");
    assert_eq!(who.first(), Some(&anna), "{who:?}");
    assert!(who.contains(&ben), "{who:?}");
    assert_eq!(who.last(), Some(&None), "{who:?}");
    assert_eq!(who[who.len() - 2], ben, "{who:?}");
}
