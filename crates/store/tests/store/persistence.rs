//! What is put in the store stays: after reopening, and in an audit log that is append-only and
//! names who made each change.

use licdesk_pgtest::{on_both_engines, Engine};
use licdesk_store::Queries;

use crate::support::*;

on_both_engines!(
    everything_is_still_there_after_reopening,
    a_certificate_is_kept_once_with_its_file_and_read_with_its_license,
    a_store_of_schema_13_keeps_each_certificate_once_after_its_upgrade,
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

/// How many times a store's dump shows `text` whole (SQLite's dump shows a text as its bytes).
fn copies(dump: &str, text: &str) -> usize {
    dump.matches(text).count()
        + dump
            .matches(&format!("Text({:?})", text.as_bytes()))
            .count()
}

fn a_certificate_is_kept_once_with_its_file_and_read_with_its_license(engine: Engine) {
    let place = engine.store("certificate_once");
    let mut store = open(&place);
    let first = base(5, "Einmal GmbH");
    put_from_file(&mut store, &first, "h-rev1", "TEXT OF REVISION ONE");
    // A later revision: its own file and text; the first stays among the files imported.
    let second = licdesk_core::BaseCertificate {
        revision: 2,
        ..first.clone()
    };
    put_from_file(&mut store, &second, "h-rev2", "TEXT OF REVISION TWO");
    let dump = store.dump().unwrap();
    assert_eq!(copies(&dump, "TEXT OF REVISION ONE"), 1, "{dump}");
    assert_eq!(copies(&dump, "TEXT OF REVISION TWO"), 1, "{dump}");
    let held = store.base(&first.license).unwrap().unwrap();
    assert_eq!(held.certificate, second);
    assert_eq!(held.certificate_text, "TEXT OF REVISION TWO");
    assert_eq!(held.file_hash, "h-rev2");
    let files: Vec<(String, String)> = store
        .signed_files(&["h-rev1".to_string(), "h-rev2".to_string()])
        .unwrap()
        .into_iter()
        .map(|f| (f.content_id, f.text))
        .collect();
    assert_eq!(
        files,
        [
            ("h-rev1".to_string(), "TEXT OF REVISION ONE".to_string()),
            ("h-rev2".to_string(), "TEXT OF REVISION TWO".to_string())
        ]
    );
}

fn a_store_of_schema_13_keeps_each_certificate_once_after_its_upgrade(engine: Engine) {
    let place = engine.store("certificate_upgrade");
    let (kept, own) = (base(6, "Kept AG"), base(7, "Own KG"));
    {
        let mut store = open(&place);
        put_from_file(&mut store, &kept, "h-kept", "KEPT TEXT");
        put_from_file(&mut store, &own, "h-own", "OWN TEXT");
        // As schema 13 left them: each certificate in its row too, and one whose file was
        // imported before files kept their text.
        let version = match engine {
            Engine::Sqlite => "PRAGMA user_version = 13",
            Engine::Postgres => "UPDATE store_schema SET version = 13",
        };
        let tx = store.write().unwrap();
        tx.execute_batch_for_tests(&format!(
            "UPDATE base_licenses SET certificate = 'KEPT TEXT' WHERE file_hash = 'h-kept';
             UPDATE base_licenses SET certificate = 'OWN TEXT' WHERE file_hash = 'h-own';
             UPDATE imported_files SET text = NULL WHERE file_hash = 'h-own';
             {version};"
        ))
        .unwrap();
        tx.commit().unwrap();
        let dump = store.dump().unwrap();
        assert_eq!(copies(&dump, "KEPT TEXT"), 2, "{dump}");
    }
    let store = open(&place);
    let dump = store.dump().unwrap();
    assert_eq!(copies(&dump, "KEPT TEXT"), 1, "{dump}");
    assert_eq!(copies(&dump, "OWN TEXT"), 1, "{dump}");
    for (cert, text) in [(&kept, "KEPT TEXT"), (&own, "OWN TEXT")] {
        let held = store.base(&cert.license).unwrap().unwrap();
        assert_eq!(held.certificate_text, text);
    }
    drop(store);
    // Upgraded once: the next open finds the current schema.
    assert_eq!(open(&place).dump().unwrap(), dump);
}
