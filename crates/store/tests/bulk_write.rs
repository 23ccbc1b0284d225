//! What a bulk import's windows ask of the store: a transaction whose statement journal is in
//! memory, the connection's setting left as it was; checkpoints moved to a second connection
//! while the import runs, and back at commit after.

#![allow(clippy::unwrap_used)] // tests state their expectations by unwrapping

use licdesk_store::{Queries, Store};

fn pragma(store: &mut Store, name: &str) -> i64 {
    let tx = store.write().unwrap();
    let value = tx
        .conn_for_tests()
        .unwrap()
        .query_row(&format!("PRAGMA {name}"), [], |r| r.get(0))
        .unwrap();
    tx.commit().unwrap();
    value
}

#[test]
fn a_window_transaction_keeps_its_journal_in_memory_and_leaves_the_connection_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("store.sqlite")).unwrap();
    let before = pragma(&mut store, "temp_store");
    let tx = store.write_with_journal_in_memory().unwrap();
    tx.set_meta("probe", "written").unwrap();
    tx.commit().unwrap();
    assert_eq!(store.meta("probe").unwrap().as_deref(), Some("written"));
    assert_eq!(pragma(&mut store, "temp_store"), before);
}

#[test]
fn a_checkpointer_takes_the_checkpoints_over_until_the_connection_takes_them_back() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("store.sqlite");
    let mut store = Store::open(&path).unwrap();
    let checkpointer = store.checkpointer().unwrap().unwrap();
    assert_eq!(pragma(&mut store, "wal_autocheckpoint"), 0);
    let tx = store.write().unwrap();
    tx.set_meta("probe", "written").unwrap();
    tx.commit().unwrap();
    let wal = path.with_extension("sqlite-wal");
    assert!(std::fs::metadata(&wal).unwrap().len() > 0);
    checkpointer.checkpoint().unwrap();
    drop(checkpointer);
    store.checkpoint_at_commits().unwrap();
    assert_eq!(pragma(&mut store, "wal_autocheckpoint"), 1000);
    // What was committed and checkpointed reads back from a second store.
    let other = Store::open_read_only(&path).unwrap();
    assert_eq!(other.meta("probe").unwrap().as_deref(), Some("written"));
}

#[test]
fn a_store_in_memory_has_no_checkpointer() {
    let store = Store::open_in_memory().unwrap();
    assert!(store.checkpointer().unwrap().is_none());
}
