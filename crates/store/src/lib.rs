//! License Desk's local store: SQLite, and the only crate that speaks SQL.
//!
//! Invariants:
//! - WAL journal, a busy timeout, and every write in one `BEGIN IMMEDIATE` transaction — so two
//!   processes importing at once both succeed, one after the other, and a refused import changes
//!   nothing.
//! - Schema version in `PRAGMA user_version`; each migration is one transaction; a database from a
//!   newer License Desk is refused before anything in it is touched.
//! - The audit log is append-only (triggers refuse UPDATE and DELETE).

pub mod ledger;
mod schema;
mod tables;

use std::path::Path;
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, TransactionBehavior};

pub use schema::{create_at_version, SCHEMA_VERSION};
pub use tables::*;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("the store {path} was written by a newer License Desk (schema {found}; this one knows up to {known}): update License Desk. The store was left untouched")]
    NewerSchema {
        path: String,
        found: i64,
        known: i64,
    },
    #[error("the store {path} cannot be opened: {reason}")]
    Open { path: String, reason: String },
    #[error("the store {path} is not a License Desk store (or is damaged): {reason}")]
    NotAStore { path: String, reason: String },
    #[error("the store refused the change: {0}")]
    Sql(#[from] rusqlite::Error),
    #[error("the store holds a value it cannot read back ({0}): the store is damaged")]
    Corrupt(String),
}

/// An open store.
#[derive(Debug)]
pub struct Store {
    conn: Connection,
}

/// Read access, shared by [`Store`] and [`Tx`] so each query is written once.
pub trait Reader {
    fn conn(&self) -> &Connection;
}

impl Reader for Store {
    fn conn(&self) -> &Connection {
        &self.conn
    }
}

/// One write transaction. Dropped without [`Tx::commit`], it rolls back.
#[derive(Debug)]
pub struct Tx<'a> {
    tx: rusqlite::Transaction<'a>,
    /// Base licenses were added: the search index takes them in at commit.
    bases_added: std::cell::Cell<bool>,
}

impl Reader for Tx<'_> {
    fn conn(&self) -> &Connection {
        &self.tx
    }
}

impl Tx<'_> {
    /// Raw access for tests that check the database's own guards (such as the append-only log).
    #[doc(hidden)]
    pub fn conn_for_tests(&self) -> &Connection {
        &self.tx
    }

    /// Opens a savepoint: one file's changes inside a larger transaction.
    pub fn savepoint(&self) -> Result<(), StoreError> {
        Ok(self.tx.execute_batch("SAVEPOINT one_file")?)
    }

    pub fn release_savepoint(&self) -> Result<(), StoreError> {
        Ok(self.tx.execute_batch("RELEASE one_file")?)
    }

    /// Undoes everything since the savepoint (that file is refused; the others stay).
    pub fn rollback_to_savepoint(&self) -> Result<(), StoreError> {
        Ok(self
            .tx
            .execute_batch("ROLLBACK TO one_file; RELEASE one_file")?)
    }

    pub fn commit(self) -> Result<(), StoreError> {
        if self.bases_added.get() {
            self.tx.execute_batch(
                "INSERT INTO base_licenses_search (rowid, customer_fold)
                     SELECT rowid, customer_fold FROM base_licenses
                      WHERE rowid > (SELECT indexed_upto FROM base_licenses_search_state);
                 UPDATE base_licenses_search_state
                    SET indexed_upto = (SELECT COALESCE(MAX(rowid), 0) FROM base_licenses);",
            )?;
        }
        Ok(self.tx.commit()?)
    }
}

impl Store {
    /// Opens (creating if needed) the store at `path`, migrating an older schema.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        let display = path.display().to_string();
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| StoreError::Open {
            path: display.clone(),
            reason: e.to_string(),
        })?;
        conn.busy_timeout(Duration::from_secs(10))?;
        Self::prepare(conn, &display)
    }

    /// A private in-memory store (tests, benchmarks).
    pub fn open_in_memory() -> Result<Store, StoreError> {
        Self::prepare(Connection::open_in_memory()?, ":memory:")
    }

    fn prepare(mut conn: Connection, display: &str) -> Result<Store, StoreError> {
        // Read the version before anything writes to the file: a newer store stays untouched.
        let version: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(|e| StoreError::NotAStore {
                path: display.to_string(),
                reason: e.to_string(),
            })?;
        if version > SCHEMA_VERSION {
            return Err(StoreError::NewerSchema {
                path: display.to_string(),
                found: version,
                known: SCHEMA_VERSION,
            });
        }
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        // `rarray(?)`: a list of row ids as a table (the search sorts a page from its matches).
        rusqlite::vtab::array::load_module(&conn)?;
        schema::migrate(&mut conn, version)?;
        Ok(Store { conn })
    }

    /// Starts a write transaction that takes the write lock at once (no deadlock between writers).
    pub fn write(&mut self) -> Result<Tx<'_>, StoreError> {
        Ok(Tx {
            tx: self
                .conn
                .transaction_with_behavior(TransactionBehavior::Immediate)?,
            bases_added: std::cell::Cell::new(false),
        })
    }
}
