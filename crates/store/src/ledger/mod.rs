//! The vendor's ledger: which machine holds which license, so that a FailoverSuite license is never
//! activated for a second standby machine (R4) and a standby is never a main system.
//!
//! Two engines behind one interface ([`Ledger`], [`LedgerTx`]), chosen by where the ledger
//! lives ([`LedgerLocation`]): an SQLite file (the default, one vendor desk) or a PostgreSQL
//! database that several issuers share. Each table's module holds the SQL of both.
//!
//! SQLite: the desk's store's discipline — WAL, busy timeout, `PRAGMA user_version`, one
//! `BEGIN IMMEDIATE` transaction per decision, so two activations racing cannot both win.
//! PostgreSQL: the same schema versions and policy, and decisions serialised by an advisory lock
//! (`postgres.rs` says how and why).

mod activations;
mod log;
mod postgres;
mod releases;

use std::cell::RefCell;
use std::path::Path;
use std::time::Duration;

use rusqlite::{Connection, TransactionBehavior};

use crate::StoreError;

pub use crate::location::LedgerLocation;
pub use activations::LedgerActivation;

/// The SQLite migrations; `postgres::MIGRATIONS` are the same steps, numbered alike.
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

const _SAME_NUMBERING: () = assert!(postgres::MIGRATIONS.len() == LEDGER_MIGRATIONS.len());

#[derive(Debug)]
pub struct Ledger {
    engine: Engine,
}

enum Engine {
    Sqlite(Connection),
    Postgres(::postgres::Client),
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Engine::Sqlite(conn) => f.debug_tuple("Sqlite").field(conn).finish(),
            Engine::Postgres(_) => f.write_str("Postgres"),
        }
    }
}

/// A decision in progress: read what is held, then record. Dropped without [`LedgerTx::commit`],
/// it changes nothing.
#[derive(Debug)]
pub struct LedgerTx<'a> {
    tx: Tx<'a>,
}

enum Tx<'a> {
    Sqlite(rusqlite::Transaction<'a>),
    // The driver's statements take `&mut`, the ledger's reads `&self`: one decision is one
    // thread's, so a RefCell is enough.
    Postgres(RefCell<::postgres::Transaction<'a>>),
}

impl std::fmt::Debug for Tx<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Tx::Sqlite(tx) => f.debug_tuple("Sqlite").field(tx).finish(),
            Tx::Postgres(_) => f.write_str("Postgres"),
        }
    }
}

impl Ledger {
    /// Opens (creating and migrating as needed) the ledger at `at`: a `postgres://` or
    /// `postgresql://` URL, or else the path of an SQLite file ([`LedgerLocation::of`]). A ledger
    /// of a newer schema is refused untouched; an error names a URL without its password.
    pub fn open(at: &Path) -> Result<Ledger, StoreError> {
        let location = LedgerLocation::of(at);
        let engine = match &location {
            LedgerLocation::Sqlite(path) => Engine::Sqlite(open_sqlite(path)?),
            LedgerLocation::Postgres(url) => {
                Engine::Postgres(postgres::open(url, &location.redacted())?)
            }
        };
        Ok(Ledger { engine })
    }

    /// Makes a ledger of an older schema `version` at `at` (tests of the upgrade path).
    #[doc(hidden)]
    pub fn create_at_version(at: &Path, version: i64) -> Result<(), StoreError> {
        let location = LedgerLocation::of(at);
        match &location {
            LedgerLocation::Sqlite(path) => {
                let mut conn = Connection::open(path)?;
                crate::schema::apply_migrations(&mut conn, LEDGER_MIGRATIONS, 0, version)
            }
            LedgerLocation::Postgres(url) => {
                let config: ::postgres::Config = url.parse()?;
                let mut client = config.connect(::postgres::NoTls)?;
                postgres::migrate(&mut client, version, &location.redacted())
            }
        }
    }

    /// Runs `sql` as it is, outside any decision (tests that play an older or damaged ledger).
    #[doc(hidden)]
    pub fn execute_for_tests(&mut self, sql: &str) -> Result<(), StoreError> {
        match &mut self.engine {
            Engine::Sqlite(conn) => Ok(conn.execute_batch(sql)?),
            Engine::Postgres(client) => Ok(client.batch_execute(sql)?),
        }
    }

    /// The ledger's schema version (`PRAGMA user_version` on SQLite, `ledger_schema` on
    /// PostgreSQL).
    pub fn schema_version(&mut self) -> Result<i64, StoreError> {
        match &mut self.engine {
            Engine::Sqlite(conn) => Ok(conn.query_row("PRAGMA user_version", [], |r| r.get(0))?),
            Engine::Postgres(client) => postgres::version(client),
        }
    }

    /// Starts a decision: on SQLite a `BEGIN IMMEDIATE` transaction, on PostgreSQL one holding
    /// the decision lock — either way no other decision runs until this one ends.
    pub fn decide(&mut self) -> Result<LedgerTx<'_>, StoreError> {
        let tx = match &mut self.engine {
            Engine::Sqlite(conn) => {
                Tx::Sqlite(conn.transaction_with_behavior(TransactionBehavior::Immediate)?)
            }
            Engine::Postgres(client) => Tx::Postgres(postgres::decide(client)?),
        };
        Ok(LedgerTx { tx })
    }

    /// Every row of the ledger as text (tests compare dumps before and after a refusal).
    pub fn dump(&mut self) -> Result<String, StoreError> {
        let mut out = String::new();
        for table in ["activations", "ledger_log", "releases"] {
            out.push_str(&format!("## {table}\n"));
            let rows = match &mut self.engine {
                Engine::Sqlite(conn) => sqlite_rows(conn, table)?,
                Engine::Postgres(client) => postgres::dump_table(client, table)?,
            };
            for row in rows {
                out.push_str(&row);
                out.push('\n');
            }
        }
        Ok(out)
    }
}

fn open_sqlite(path: &Path) -> Result<Connection, StoreError> {
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
    Ok(conn)
}

fn sqlite_rows(conn: &Connection, table: &str) -> Result<Vec<String>, StoreError> {
    let mut stmt = conn.prepare(&format!("SELECT * FROM {table} ORDER BY 1, 2"))?;
    let n = stmt.column_count();
    let mut rows = stmt.query([])?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        let cells: Vec<String> = (0..n)
            .map(|i| format!("{:?}", row.get_ref(i).ok()))
            .collect();
        out.push(cells.join(" | "));
    }
    Ok(out)
}

impl LedgerTx<'_> {
    /// The next number of the ledger's sequence (signed into each response and release).
    pub fn next_serial(&self) -> Result<u64, StoreError> {
        let next: i64 = match &self.tx {
            Tx::Sqlite(tx) => tx
                .prepare_cached("UPDATE ledger_sequence SET last = last + 1 RETURNING last")?
                .query_row([], |r| r.get(0))?,
            Tx::Postgres(tx) => tx
                .borrow_mut()
                .query_one(
                    "UPDATE ledger_sequence SET last = last + 1 RETURNING last",
                    &[],
                )?
                .try_get(0)?,
        };
        u64::try_from(next).map_err(|_| StoreError::Corrupt(format!("ledger sequence {next}")))
    }

    pub fn commit(self) -> Result<(), StoreError> {
        match self.tx {
            Tx::Sqlite(tx) => Ok(tx.commit()?),
            Tx::Postgres(tx) => Ok(tx.into_inner().commit()?),
        }
    }
}
