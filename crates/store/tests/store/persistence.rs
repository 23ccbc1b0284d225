//! What is put in the store stays: after reopening, and in an audit log that is append-only.

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
