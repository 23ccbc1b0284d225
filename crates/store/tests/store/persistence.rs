//! What is put in the store stays: after reopening, and in an audit log that is append-only and
//! names who made each change.

use licdesk_store::{Queries, Store};

use crate::support::*;

#[test]
fn everything_is_still_there_after_reopening() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("store.sqlite");
    let cert = base(1, "Müller GmbH");
    let before = {
        let mut store = Store::open(&path).unwrap();
        put(&mut store, &cert);
        store.dump().unwrap()
    };
    let store = Store::open(&path).unwrap();
    assert_eq!(store.dump().unwrap(), before);
    assert_eq!(
        store.base(&cert.license).unwrap().unwrap().certificate,
        cert
    );
}

#[test]
fn the_audit_log_is_append_only() {
    let mut store = Store::open_in_memory().unwrap();
    put(&mut store, &base(2, "A"));
    let tx = store.write().unwrap();
    assert!(tx
        .conn_for_tests()
        .execute("DELETE FROM audit_log", [])
        .is_err());
    assert!(tx
        .conn_for_tests()
        .execute("UPDATE audit_log SET action = 'x'", [])
        .is_err());
}

#[test]
fn each_audit_entry_names_who_made_the_change() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("store.sqlite");
    {
        let mut anna = Store::open(&path).unwrap();
        anna.act_as("anna@lic-desk-2");
        put(&mut anna, &base(3, "Anna's customer"));
    }
    {
        let mut ben = Store::open(&path).unwrap();
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
    put(
        &mut Store::open(&path).unwrap(),
        &base(5, "Nobody's customer"),
    );
    let who: Vec<Option<String>> = Store::open(&path)
        .unwrap()
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
