#![allow(clippy::unwrap_used)] // tests state their expectations by unwrapping

//! The schema's list of tables (`TABLES`, which `open_read_only` checks a store against) is
//! exactly the tables a store created now holds, so that the list cannot go stale.

use std::collections::BTreeSet;

use licdesk_store::{Store, TABLES};

#[test]
fn the_schema_lists_exactly_the_tables_a_new_store_holds() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("store.db");
    drop(Store::open(&path).unwrap());

    let conn = rusqlite::Connection::open(&path).unwrap();
    // SQLite's own tables (`sqlite_…`) are not the schema's.
    let held: BTreeSet<String> = conn
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'")
        .unwrap()
        .query_map([], |r| r.get::<_, String>(0))
        .unwrap()
        .collect::<Result<BTreeSet<_>, _>>()
        .unwrap();

    let listed: BTreeSet<String> = TABLES.iter().map(|t| t.to_string()).collect();
    assert_eq!(listed.len(), TABLES.len(), "TABLES names a table twice");
    assert_eq!(
        listed, held,
        "TABLES (schema.rs) differs from the tables a new store holds"
    );
}
