//! The vendor's ledger: which machine holds which license, so that a FailoverSuite license is never
//! activated for a second standby machine (R4) and a standby is never a main system.
//!
//! Same discipline as the desk's store: WAL, busy timeout, `PRAGMA user_version`, one
//! `BEGIN IMMEDIATE` transaction per decision, so two activations racing cannot both win.

use std::path::Path;
use std::time::Duration;

use licdesk_core::{Hardware, KnownSystem, LicenseNumber, Role, Timestamp};
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};

use crate::StoreError;

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

/// One activation as the vendor recorded it.
#[derive(Debug, Clone)]
pub struct LedgerActivation {
    pub role: Role,
    pub license: LicenseNumber,
    pub mirrors: LicenseNumber,
    pub hardware: Hardware,
    pub request_nonce: String,
    pub activated_at: Timestamp,
    pub response: String,
    /// Base64 public key of the standby installation this activation certified (None for a main
    /// system, and for rows recorded before the ledger kept it).
    pub installation_key: Option<String>,
    /// The content identity of the signed request it answered (None for rows recorded before
    /// the ledger kept it).
    pub request_id: Option<String>,
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

fn activation_from_row(r: &rusqlite::Row<'_>) -> Result<LedgerActivation, StoreError> {
    let corrupt = |e: String| StoreError::Corrupt(e);
    let role: String = r.get(0)?;
    let license: String = r.get(1)?;
    let mirrors: String = r.get(2)?;
    let hardware: String = r.get(3)?;
    let at: String = r.get(5)?;
    Ok(LedgerActivation {
        role: Role::parse(&role).map_err(corrupt)?,
        license: LicenseNumber::parse(&license).map_err(|e| corrupt(e.to_string()))?,
        mirrors: LicenseNumber::parse(&mirrors).map_err(|e| corrupt(e.to_string()))?,
        hardware: serde_json::from_str(&hardware).map_err(|e| corrupt(e.to_string()))?,
        request_nonce: r.get(4)?,
        activated_at: Timestamp::parse(&at).map_err(corrupt)?,
        response: r.get(6)?,
        installation_key: r.get(7)?,
        request_id: r.get(8)?,
    })
}

const ACTIVATION_COLUMNS: &str =
    "role, license, mirrors, hardware, request_nonce, activated_at, response, installation_key, request_id";

impl LedgerTx<'_> {
    /// The systems held now: for each (role, license) its latest activation.
    pub fn known_systems(&self) -> Result<Vec<KnownSystem>, StoreError> {
        Ok(self
            .held()?
            .into_iter()
            .map(|a| KnownSystem {
                role: a.role,
                license: a.license,
                hardware: a.hardware,
            })
            .collect())
    }

    /// The activations that hold a machine now: for each (role, license) its latest, unless a
    /// standby was released after it.
    fn held(&self) -> Result<Vec<LedgerActivation>, StoreError> {
        let mut stmt = self.tx.prepare_cached(&format!(
            "SELECT {ACTIVATION_COLUMNS} FROM activations a
             WHERE rowid = (SELECT MAX(rowid) FROM activations b WHERE b.role = a.role AND b.license = a.license)
               AND NOT EXISTS (SELECT 1 FROM releases r WHERE r.license = a.license AND a.role = 'standby'
                               AND r.hardware_id = a.hardware_id AND r.released_at >= a.activated_at)
             ORDER BY role, license"
        ))?;
        let mut rows = stmt.query([])?;
        let mut out = Vec::new();
        while let Some(row) = rows.next()? {
            out.push(activation_from_row(row)?);
        }
        Ok(out)
    }

    /// The activation of the standby that holds FailoverSuite `failover` now, if any.
    pub fn held_standby(
        &self,
        failover: &LicenseNumber,
    ) -> Result<Option<LedgerActivation>, StoreError> {
        Ok(self
            .held()?
            .into_iter()
            .find(|a| a.role == Role::Standby && &a.license == failover))
    }

    /// An activation already decided for this request nonce (re-running `activate` is idempotent).
    pub fn by_nonce(&self, nonce: &str) -> Result<Option<LedgerActivation>, StoreError> {
        let mut stmt = self.tx.prepare_cached(&format!(
            "SELECT {ACTIVATION_COLUMNS} FROM activations WHERE request_nonce = ?1"
        ))?;
        stmt.query_row([nonce], |r| Ok(activation_from_row(r)))
            .optional()?
            .transpose()
    }

    pub fn record(&self, a: &LedgerActivation) -> Result<(), StoreError> {
        self.tx
            .prepare_cached(&format!(
                "INSERT INTO activations ({ACTIVATION_COLUMNS}, hardware_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"
            ))?
            .execute(params![
                a.role.code(),
                a.license.as_str(),
                a.mirrors.as_str(),
                serde_json::to_string(&a.hardware).map_err(|e| StoreError::Corrupt(e.to_string()))?,
                a.request_nonce,
                a.activated_at.to_string(),
                a.response,
                a.installation_key,
                a.request_id,
                a.hardware.id.as_str(),
            ])?;
        self.log(
            a.activated_at,
            "activated",
            a.license.as_str(),
            &format!("{} {} on {}", a.role.code(), a.license, a.hardware.id),
        )
    }

    /// A release already decided for this request nonce (re-running `release` is idempotent):
    /// the signed release, and the identity of the request it answered (None for rows recorded
    /// before the ledger kept it).
    pub fn release_by_nonce(
        &self,
        nonce: &str,
    ) -> Result<Option<(String, Option<String>)>, StoreError> {
        Ok(self
            .tx
            .prepare_cached("SELECT response, request_id FROM releases WHERE request_nonce = ?1")?
            .query_row([nonce], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?)
    }

    /// The next number of the ledger's sequence (signed into each response and release).
    pub fn next_serial(&self) -> Result<u64, StoreError> {
        let next: i64 = self
            .tx
            .prepare_cached("UPDATE ledger_sequence SET last = last + 1 RETURNING last")?
            .query_row([], |r| r.get(0))?;
        Ok(next as u64)
    }

    #[allow(clippy::too_many_arguments)]
    pub fn record_release(
        &self,
        license: &LicenseNumber,
        hardware_id: &licdesk_core::HardwareId,
        nonce: &str,
        request_id: Option<&str>,
        at: Timestamp,
        response: &str,
    ) -> Result<(), StoreError> {
        self.tx
            .prepare_cached(
                "INSERT INTO releases (license, hardware_id, request_nonce, released_at, response, request_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?
            .execute(params![license.as_str(), hardware_id.as_str(), nonce, at.to_string(), response, request_id])?;
        self.log(
            at,
            "released",
            license.as_str(),
            &format!("standby {hardware_id} released"),
        )
    }

    pub fn log(
        &self,
        at: Timestamp,
        action: &str,
        subject: &str,
        detail: &str,
    ) -> Result<(), StoreError> {
        self.tx
            .prepare_cached(
                "INSERT INTO ledger_log (at, action, subject, detail) VALUES (?1, ?2, ?3, ?4)",
            )?
            .execute(params![at.to_string(), action, subject, detail])?;
        Ok(())
    }

    pub fn commit(self) -> Result<(), StoreError> {
        Ok(self.tx.commit()?)
    }
}
