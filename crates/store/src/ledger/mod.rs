//! The vendor's ledger: which machine holds which license, so that a FailoverSuite license is never
//! activated for a second standby machine (R4) and a standby is never a main system.
//!
//! Same discipline as the desk's store: WAL, busy timeout, `PRAGMA user_version`, one
//! `BEGIN IMMEDIATE` transaction per decision, so two activations racing cannot both win.

mod activations;
mod log;
mod releases;

use std::path::Path;
use std::time::Duration;

use rusqlite::{Connection, TransactionBehavior};

use crate::StoreError;

pub use activations::LedgerActivation;

const LEDGER_MIGRATIONS: &[&str] = &[
    r#"
    CREATE TABLE activations (
        role          TEXT NOT NULL CHECK (role IN ('main', 'standby')),
        license       TEXT NOT NULL,
        mirrors       TEXT NOT NULL,
        hardware_id   TEXT NOT NULL,
        hardware      TEXT NOT NULL,
        request_nonce TEXT NOT NULL UNIQUE,
        activated_at  TEXT NOT NULL,
        response      TEXT NOT NULL
    );
    CREATE INDEX activations_by_license ON activations (role, license);
    CREATE TABLE ledger_log (
        id      INTEGER PRIMARY KEY,
        at      TEXT NOT NULL,
        action  TEXT NOT NULL,
        subject TEXT NOT NULL,
        detail  TEXT NOT NULL
    );
    CREATE TRIGGER ledger_log_no_update BEFORE UPDATE ON ledger_log
        BEGIN SELECT RAISE(ABORT, 'the ledger log is append-only'); END;
    CREATE TRIGGER ledger_log_no_delete BEFORE DELETE ON ledger_log
        BEGIN SELECT RAISE(ABORT, 'the ledger log is append-only'); END;
"#,
    r#"
    CREATE TABLE releases (
        license       TEXT NOT NULL,
        hardware_id   TEXT NOT NULL,
        request_nonce TEXT NOT NULL UNIQUE,
        released_at   TEXT NOT NULL,
        response      TEXT NOT NULL
    );
"#,
    // 2 → 3: the installation key each standby activation certified; only a release request
    // signed by it frees the FailoverSuite (R4). Older rows keep NULL: the issuer reads the key
    // from the signed response it recorded.
    r#"
    ALTER TABLE activations ADD COLUMN installation_key TEXT;
"#,
    // 3 → 4: the identity of the signed request each decision answered (a nonce is one request's:
    // another request reusing it is refused, the same request again gets the same answer), and
    // the sequence number the vendor signs into each response and release, so that what it
    // signed for one system moves forward only.
    r#"
    ALTER TABLE activations ADD COLUMN request_id TEXT;
    ALTER TABLE releases ADD COLUMN request_id TEXT;
    CREATE TABLE ledger_sequence (last INTEGER NOT NULL);
    INSERT INTO ledger_sequence
        SELECT (SELECT COUNT(*) FROM activations) + (SELECT COUNT(*) FROM releases);
"#,
];

pub const LEDGER_VERSION: i64 = LEDGER_MIGRATIONS.len() as i64;

#[derive(Debug)]
pub struct Ledger {
    conn: Connection,
}

/// A decision in progress: read what is held, then record.
#[derive(Debug)]
pub struct LedgerTx<'a> {
    tx: rusqlite::Transaction<'a>,
}

impl Ledger {
    pub fn open(path: &Path) -> Result<Ledger, StoreError> {
        let display = path.display().to_string();
        let mut conn = Connection::open(path).map_err(|e| StoreError::Open {
            path: display.clone(),
            reason: e.to_string(),
        })?;
        conn.busy_timeout(Duration::from_secs(10))?;
        let version: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(|e| StoreError::NotAStore {
                path: display.clone(),
                reason: e.to_string(),
            })?;
        if version > LEDGER_VERSION {
            return Err(StoreError::NewerSchema {
                path: display,
                found: version,
                known: LEDGER_VERSION,
            });
        }
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        crate::schema::apply_migrations(&mut conn, LEDGER_MIGRATIONS, version, LEDGER_VERSION)?;
        Ok(Ledger { conn })
    }

    /// Makes a ledger of an older schema `version` at `path` (tests of the upgrade path).
    #[doc(hidden)]
    pub fn create_at_version(path: &Path, version: i64) -> Result<(), StoreError> {
        let mut conn = Connection::open(path)?;
        crate::schema::apply_migrations(&mut conn, LEDGER_MIGRATIONS, 0, version)
    }

    /// The connection, for tests that play an older ledger.
    #[doc(hidden)]
    pub fn conn_for_tests(&self) -> &Connection {
        &self.conn
    }

    pub fn decide(&mut self) -> Result<LedgerTx<'_>, StoreError> {
        Ok(LedgerTx {
            tx: self
                .conn
                .transaction_with_behavior(TransactionBehavior::Immediate)?,
        })
    }

    /// Every row of the ledger as text (tests compare dumps before and after a refusal).
    pub fn dump(&self) -> Result<String, StoreError> {
        let mut out = String::new();
        for table in ["activations", "ledger_log", "releases"] {
            out.push_str(&format!("## {table}\n"));
            let mut stmt = self
                .conn
                .prepare(&format!("SELECT * FROM {table} ORDER BY 1, 2"))?;
            let n = stmt.column_count();
            let mut rows = stmt.query([])?;
            while let Some(row) = rows.next()? {
                let cells: Vec<String> = (0..n)
                    .map(|i| format!("{:?}", row.get_ref(i).ok()))
                    .collect();
                out.push_str(&cells.join(" | "));
                out.push('\n');
            }
        }
        Ok(out)
    }
}

impl LedgerTx<'_> {
    /// The next number of the ledger's sequence (signed into each response and release).
    pub fn next_serial(&self) -> Result<u64, StoreError> {
        let next: i64 = self
            .tx
            .prepare_cached("UPDATE ledger_sequence SET last = last + 1 RETURNING last")?
            .query_row([], |r| r.get(0))?;
        Ok(next as u64)
    }

    pub fn commit(self) -> Result<(), StoreError> {
        Ok(self.tx.commit()?)
    }
}
