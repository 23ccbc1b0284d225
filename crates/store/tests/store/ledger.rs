//! The vendor's ledger, on both engines (SQLite and a throwaway PostgreSQL cluster): an older
//! ledger is upgraded with its activations kept, a newer one refused untouched, the log stays
//! append-only, a nonce is recorded once, and a decision not committed changes nothing.

use licdesk_core::{
    Component, ComponentKind, Hardware, LicenseNumber, LicenseProduct, Role, Timestamp,
};
use licdesk_pgtest::{on_both_engines, Engine};
use licdesk_store::ledger::{Ledger, LedgerActivation, LEDGER_VERSION};
use licdesk_store::StoreError;

on_both_engines!(
    a_ledger_of_schema_2_is_upgraded_with_its_activations_kept_r13,
    a_ledger_of_a_newer_schema_is_refused_and_left_untouched,
    the_ledger_log_is_append_only,
    a_request_nonce_is_recorded_once,
    a_decision_not_committed_changes_nothing,
);

fn machine(name: &str) -> Hardware {
    Hardware::from_components(
        vec![Component::from_raw(ComponentKind::MachineId, name)],
        None,
    )
}

fn standby(
    failover: &LicenseNumber,
    base: &LicenseNumber,
    hw: &str,
    nonce: &str,
) -> LedgerActivation {
    LedgerActivation {
        role: Role::Standby,
        license: failover.clone(),
        mirrors: base.clone(),
        hardware: machine(hw),
        request_nonce: nonce.into(),
        activated_at: Timestamp::from_unix(1_800_000_000),
        response: format!("response to {nonce}"),
        installation_key: Some("a2V5".into()),
        request_id: None,
    }
}

fn a_ledger_of_schema_2_is_upgraded_with_its_activations_kept_r13(engine: Engine) {
    let place = engine.ledger("upgrade");
    Ledger::create_at_version(&place.at, 2).unwrap();
    let hw = machine("s1");
    let failover = LicenseNumber::from_random(LicenseProduct::FailoverSuite, [7, 1, 2, 3, 4]);
    let base = LicenseNumber::from_random(LicenseProduct::Suite, [7, 1, 2, 3, 4]);
    // A row as a ledger of schema 2 holds it (no installation key, no request identity),
    // written past `Ledger`, which would migrate.
    assert_eq!(raw_version(&place.at).unwrap(), 2);
    raw_execute(
        &place.at,
        &format!(
            "INSERT INTO activations (role, license, mirrors, hardware_id, hardware, request_nonce, activated_at, response)
             VALUES ('standby', '{}', '{}', '{}', '{}', 'n1', '2026-01-01T00:00:00Z', 'old response')",
            failover.as_str(),
            base.as_str(),
            hw.id.as_str(),
            serde_json::to_string(&hw).unwrap()
        ),
    )
    .unwrap();
    let mut ledger = Ledger::open(&place.at).unwrap();
    assert_eq!(ledger.schema_version().unwrap(), LEDGER_VERSION);
    let tx = ledger.decide().unwrap();
    let held = tx.held_standby(&failover).unwrap().expect("kept");
    assert_eq!(held.response, "old response");
    assert_eq!(held.hardware.id, hw.id);
    assert_eq!(held.installation_key, None, "old rows carry no key");
    // A new activation keeps the installation key it certified.
    let other = LicenseNumber::from_random(LicenseProduct::FailoverSuite, [8, 1, 2, 3, 4]);
    tx.record(&standby(&other, &base, "s2", "n2")).unwrap();
    assert_eq!(
        tx.held_standby(&other).unwrap().unwrap().installation_key,
        Some("a2V5".into())
    );
    // The sequence counts what the old ledger held (one activation), then the new one.
    assert_eq!(tx.next_serial().unwrap(), 2);
    tx.commit().unwrap();
    let systems = ledger.decide().unwrap().known_systems().unwrap();
    assert_eq!(systems.len(), 2);
}

fn a_ledger_of_a_newer_schema_is_refused_and_left_untouched(engine: Engine) {
    let place = engine.ledger("newer");
    drop(Ledger::open(&place.at).unwrap());
    let newer = LEDGER_VERSION + 1;
    match engine {
        Engine::Sqlite => raw_execute(&place.at, &format!("PRAGMA user_version = {newer}")),
        Engine::Postgres => raw_execute(
            &place.at,
            &format!("UPDATE ledger_schema SET version = {newer}"),
        ),
    }
    .unwrap();
    let err = Ledger::open(&place.at).unwrap_err();
    assert!(
        matches!(err, StoreError::NewerSchema { found, .. } if found == newer),
        "{err:?}"
    );
    assert!(err.to_string().contains("newer License Desk"), "{err}");
    assert_eq!(raw_version(&place.at).unwrap(), newer, "left untouched");
}

fn the_ledger_log_is_append_only(engine: Engine) {
    let place = engine.ledger("append_only");
    let mut ledger = Ledger::open(&place.at).unwrap();
    let failover = LicenseNumber::from_random(LicenseProduct::FailoverSuite, [9, 1, 2, 3, 4]);
    let base = LicenseNumber::from_random(LicenseProduct::Suite, [9, 1, 2, 3, 4]);
    let tx = ledger.decide().unwrap();
    tx.record(&standby(&failover, &base, "s1", "n1")).unwrap();
    tx.commit().unwrap();
    let before = ledger.dump().unwrap();
    let mut changes = vec![
        "UPDATE ledger_log SET detail = 'nothing'",
        "DELETE FROM ledger_log",
    ];
    if engine == Engine::Postgres {
        changes.push("TRUNCATE ledger_log");
    }
    for change in changes {
        let err = ledger.execute_for_tests(change).unwrap_err();
        assert!(err.to_string().contains("append-only"), "{change}: {err}");
    }
    assert_eq!(ledger.dump().unwrap(), before);
}

fn a_request_nonce_is_recorded_once(engine: Engine) {
    let place = engine.ledger("nonce_once");
    let mut ledger = Ledger::open(&place.at).unwrap();
    let base = LicenseNumber::from_random(LicenseProduct::Suite, [3, 1, 2, 3, 4]);
    let first = LicenseNumber::from_random(LicenseProduct::FailoverSuite, [3, 1, 2, 3, 4]);
    let second = LicenseNumber::from_random(LicenseProduct::FailoverSuite, [4, 1, 2, 3, 4]);
    let tx = ledger.decide().unwrap();
    tx.record(&standby(&first, &base, "s1", "same-nonce"))
        .unwrap();
    tx.commit().unwrap();
    let before = ledger.dump().unwrap();
    // Another issuer's decision, not looking the nonce up first: the constraint refuses it.
    let mut other = Ledger::open(&place.at).unwrap();
    let tx = other.decide().unwrap();
    let err = tx
        .record(&standby(&second, &base, "s2", "same-nonce"))
        .unwrap_err();
    assert!(err.to_string().to_lowercase().contains("unique"), "{err}");
    drop(tx);
    assert_eq!(ledger.dump().unwrap(), before);
}

fn a_decision_not_committed_changes_nothing(engine: Engine) {
    let place = engine.ledger("not_committed");
    let mut ledger = Ledger::open(&place.at).unwrap();
    let before = ledger.dump().unwrap();
    let base = LicenseNumber::from_random(LicenseProduct::Suite, [5, 1, 2, 3, 4]);
    let failover = LicenseNumber::from_random(LicenseProduct::FailoverSuite, [5, 1, 2, 3, 4]);
    {
        let tx = ledger.decide().unwrap();
        tx.record(&standby(&failover, &base, "s1", "n1")).unwrap();
        assert_eq!(tx.next_serial().unwrap(), 1);
    }
    assert_eq!(ledger.dump().unwrap(), before);
    let tx = ledger.decide().unwrap();
    assert!(tx.held_standby(&failover).unwrap().is_none());
    assert_eq!(tx.next_serial().unwrap(), 1, "the sequence did not move");
}

/// The schema version of the ledger at `at`, read without `Ledger` (which would migrate).
fn raw_version(at: &std::path::Path) -> Result<i64, StoreError> {
    match licdesk_store::ledger::LedgerLocation::of(at) {
        licdesk_store::ledger::LedgerLocation::Sqlite(path) => {
            Ok(rusqlite::Connection::open(path)?
                .query_row("PRAGMA user_version", [], |r| r.get(0))?)
        }
        licdesk_store::ledger::LedgerLocation::Postgres(url) => {
            let mut client = ::postgres::Client::connect(&url, ::postgres::NoTls)?;
            let v: i32 = client
                .query_one("SELECT version FROM ledger_schema", &[])?
                .get(0);
            Ok(i64::from(v))
        }
    }
}

/// Runs `sql` on the ledger at `at` without `Ledger` (which would migrate).
fn raw_execute(at: &std::path::Path, sql: &str) -> Result<(), StoreError> {
    match licdesk_store::ledger::LedgerLocation::of(at) {
        licdesk_store::ledger::LedgerLocation::Sqlite(path) => {
            Ok(rusqlite::Connection::open(path)?.execute_batch(sql)?)
        }
        licdesk_store::ledger::LedgerLocation::Postgres(url) => {
            Ok(::postgres::Client::connect(&url, ::postgres::NoTls)?.batch_execute(sql)?)
        }
    }
}

/// A database that holds other tables is not taken for a new ledger (nothing is added to it).
#[cfg(target_os = "linux")]
#[test]
fn a_postgresql_database_holding_other_tables_is_not_taken_for_a_ledger() {
    let place = Engine::Postgres.ledger("other_tables");
    raw_execute(&place.at, "CREATE TABLE invoices (id INTEGER)").unwrap();
    let err = Ledger::open(&place.at).unwrap_err();
    assert!(matches!(err, StoreError::NotAStore { .. }), "{err:?}");
    assert!(err.to_string().contains("a database of its own"), "{err}");
    assert!(raw_version(&place.at).is_err(), "no ledger_schema was made");
}

/// TLS is not offered yet: a URL that requires it is refused with the reason, not connected
/// without it.
#[cfg(target_os = "linux")]
#[test]
fn a_postgresql_url_requiring_tls_is_refused_with_why() {
    let place = Engine::Postgres.ledger("tls");
    let url = format!("{}?sslmode=require", place.at.display());
    let err = Ledger::open(std::path::Path::new(&url)).unwrap_err();
    assert!(matches!(err, StoreError::Open { .. }), "{err:?}");
    let text = err.to_string().to_lowercase();
    assert!(text.contains("tls") || text.contains("ssl"), "{err}");
}
