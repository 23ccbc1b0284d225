//! License Desk's local store: SQLite, and the only crate that speaks SQL (the vendor's ledger
//! also PostgreSQL: [`ledger`]).
//!
//! Invariants:
//! - WAL journal, a busy timeout, and every write in one `BEGIN IMMEDIATE` transaction — so two
//!   processes importing at once both succeed, one after the other, and a refused import changes
//!   nothing.
//! - Schema version in `PRAGMA user_version`; each migration is one transaction; a database from a
//!   newer License Desk is refused before anything in it is touched.
//! - The audit log is append-only (triggers refuse UPDATE and DELETE).
//! - Shared with a monitoring account that only reads ([`sharing`]): the `-wal` and `-shm` files
//!   are kept (never deleted on close) with the store's group and mode; a reader opens read-only,
//!   one snapshot, and creates no file.

mod checkpointer;
mod db;
pub mod ledger;
mod location;
mod postgres_store;
mod schema;
pub mod sharing;
mod tables;

use std::path::Path;
use std::time::Duration;

use rusqlite::config::DbConfig;
use rusqlite::{Connection as SqliteConnection, OpenFlags};

use db::Connection;
pub use db::Engine;
pub use location::{percent_decoded, Location, StoreLocation};

pub use checkpointer::Checkpointer;
pub use schema::{create_at_version, SCHEMA_VERSION, STATUS_TABLES, TABLES};
pub use tables::{
    fold, Activation, AuditEntry, Decision, DecisionSubject, JournalOverdue, ListOrder, ListQuery,
    ListedBase, ListedStatus, MarkQueries, Merged, Provenance, Queries, RecordedViolation,
    ShownViolations, SignedFile, StoredBase, StoredFailover, StoredKey, StoredRequest,
    StoredSystem, SystemMark, SystemState, TamperedJournal, TrustedJournal, UnreadableJournal,
    UsageReport, ViolationQueries, ViolationsAcknowledged, WrittenRequest,
};

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
    #[error("the disk is full: nothing was changed. Free some space and try again")]
    DiskFull,
    #[error("the store is damaged ({0}): restore it from a backup")]
    Damaged(String),
    #[error("the store refused the change: {0}")]
    Sql(rusqlite::Error),
    /// The PostgreSQL server of a ledger refused or failed a statement (its own sentence).
    #[error("the database server refused or failed: {0}")]
    Server(String),
    #[error("the store holds a value it cannot read back ({0}): the store is damaged")]
    Corrupt(String),
}

impl From<rusqlite::Error> for StoreError {
    /// A full disk and a damaged file are told apart from other refusals: they say what to do.
    fn from(e: rusqlite::Error) -> StoreError {
        use rusqlite::ErrorCode;
        match e.sqlite_error_code() {
            Some(ErrorCode::DiskFull) => StoreError::DiskFull,
            Some(ErrorCode::DatabaseCorrupt) | Some(ErrorCode::NotADatabase) => {
                StoreError::Damaged(e.to_string())
            }
            _ => StoreError::Sql(e),
        }
    }
}

/// An SQLite error as a reason for people: an I/O failure says what usually causes it.
fn reason_of(e: &rusqlite::Error) -> String {
    match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::SystemIoFailure) => {
            format!("{e}: the disk may be full, or the store's folder not writable by this user")
        }
        Some(rusqlite::ErrorCode::DiskFull) => "the disk is full".to_string(),
        _ => e.to_string(),
    }
}

/// Why a store cannot be opened for reading, with what the reading user needs.
fn reason_to_read(e: &rusqlite::Error) -> String {
    match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::CannotOpen) | Some(rusqlite::ErrorCode::PermissionDenied) => {
            format!("{e}: this user needs read access to the store, its -wal and -shm files, and its folder")
        }
        _ => reason_of(e),
    }
}

/// The SQLite URI that opens `path` read-only without creating or writing the `-shm` file.
fn read_only_uri(path: &Path) -> String {
    let bytes = path.as_os_str().as_encoded_bytes();
    let mut uri = String::from("file:");
    if cfg!(windows) && bytes.get(1) == Some(&b':') {
        // A drive letter: file:///C:/dir/store.sqlite
        uri.push_str("///");
    }
    for &b in bytes {
        match b {
            b'\\' if cfg!(windows) => uri.push('/'),
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' | b':' => {
                uri.push(b as char)
            }
            _ => uri.push_str(&format!("%{b:02X}")),
        }
    }
    uri.push_str("?mode=ro&readonly_shm=1");
    uri
}

/// An open store.
#[derive(Debug)]
pub struct Store {
    conn: Connection,
    /// A store on disk opened for writing: it checkpoints its WAL when closed.
    writes_file: bool,
    /// The customers' names in the list's order, for its filter.
    names: tables::KeptNames,
    /// Who writes through this store (the operating system's account and the computer, e.g.
    /// `anna@lic-desk-2`), recorded with every audit entry; None: not known (tests).
    actor: Option<String>,
}

impl Drop for Store {
    /// The store's WAL files are kept when the last connection closes (so that a reader without
    /// write access to the folder can always open the store): the changes in the WAL are copied
    /// into the store file here, as SQLite would do on close, as far as no reader holds them back,
    /// and the WAL is then emptied (kept, at zero bytes). A WAL left full is read whole by the next
    /// process that opens the store, to rebuild its index (the `-shm` is reset when no connection
    /// is open): after a bulk import of 100,000 licenses that took every `licdesk list` about
    /// 140 ms until the next write. Without waiting: a busy timeout of zero makes the checkpoint
    /// do what it can at once (a reader holding frames back leaves the WAL as it is).
    fn drop(&mut self) {
        if let (true, Some(conn)) = (self.writes_file, self.conn.sqlite()) {
            let _ = conn.busy_timeout(Duration::ZERO);
            let _ = conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()));
        }
    }
}

/// The most a connection's page cache holds, in KiB (negative: SQLite's unit for KiB).
const PAGE_CACHE_KIB: i64 = -16 * 1024;

/// How many prepared statements a connection keeps (see [`Store::prepare`]).
const STATEMENT_CACHE: usize = 128;

/// Read access, shared by [`Store`] and [`Tx`] so each query is written once.
pub trait Reader {
    #[doc(hidden)]
    #[allow(private_interfaces)]
    fn conn(&self) -> &Connection;

    /// The customers' names a store keeps in memory for the list's filter (a transaction reads
    /// them for each filtered page).
    fn kept_names(&self) -> Option<&tables::KeptNames> {
        None
    }
}

impl Reader for Store {
    #[allow(private_interfaces)]
    fn conn(&self) -> &Connection {
        &self.conn
    }

    fn kept_names(&self) -> Option<&tables::KeptNames> {
        Some(&self.names)
    }
}

impl Store {
    /// Runs `read` in one read transaction: the many queries of one answer (a page of the list
    /// makes a few per row) see one snapshot of the store and take the file's lock once, rather
    /// than each its own (two `fcntl` calls and a look at the WAL index per query). Inside a
    /// transaction already (a read-only store holds one), `read` just runs.
    pub fn reading<T, E: From<StoreError>>(
        &self,
        read: impl FnOnce() -> Result<T, E>,
    ) -> Result<T, E> {
        if !self.conn.is_autocommit() {
            return read();
        }
        self.conn.begin_reading()?;
        let result = read();
        // A read changes nothing, so either end is the same; should `read` have written,
        // its writes are kept when it succeeded, as they would be without the transaction.
        let ended = self.conn.end(result.is_ok());
        let value = result?;
        ended?;
        Ok(value)
    }
}

/// One write transaction. Dropped without [`Tx::commit`], it rolls back.
#[derive(Debug)]
pub struct Tx<'a> {
    /// The store's connection, inside the transaction (borrowed from `&mut Store`: the only
    /// user of the connection until the transaction ends).
    tx: &'a Connection,
    /// Who makes this transaction's changes ([`Store::act_as`]), for its audit entries.
    actor: Option<&'a str>,
    /// Committed: nothing to roll back when dropped.
    committed: bool,
}

impl Reader for Tx<'_> {
    #[allow(private_interfaces)]
    fn conn(&self) -> &Connection {
        self.tx
    }
}

impl Drop for Tx<'_> {
    fn drop(&mut self) {
        if !self.committed {
            let _ = self.tx.end(false);
        }
    }
}

impl Tx<'_> {
    /// Raw access for tests that check SQLite's own guards (such as the append-only log): None
    /// on PostgreSQL.
    #[doc(hidden)]
    pub fn conn_for_tests(&self) -> Option<&SqliteConnection> {
        self.tx.sqlite()
    }

    /// Runs `sql` (statements without parameters) in this transaction: tests that change the
    /// store behind its back, on either engine.
    #[doc(hidden)]
    pub fn execute_batch_for_tests(&self, sql: &str) -> Result<(), StoreError> {
        self.tx.execute_batch(sql)
    }

    /// Which engine the store runs on.
    pub fn engine(&self) -> Engine {
        self.tx.engine()
    }

    /// Opens a savepoint: one file's changes inside a larger transaction.
    pub fn savepoint(&self) -> Result<(), StoreError> {
        // Prepared once and kept, as every statement a bulk import runs per file (parsing it
        // again for each of 10,000 files cost more than the savepoint itself).
        self.tx.execute("SAVEPOINT one_file", db::params![])?;
        Ok(())
    }

    pub fn release_savepoint(&self) -> Result<(), StoreError> {
        self.tx.execute("RELEASE one_file", db::params![])?;
        Ok(())
    }

    /// Undoes everything since the savepoint (that file is refused; the others stay).
    pub fn rollback_to_savepoint(&self) -> Result<(), StoreError> {
        self.tx
            .execute_batch("ROLLBACK TO one_file; RELEASE one_file")
    }

    pub fn commit(mut self) -> Result<(), StoreError> {
        self.refresh_listing()?;
        self.tx.end(true)?;
        self.committed = true;
        Ok(())
    }
}

impl Store {
    /// Opens (creating if needed) the store at `path`, migrating an older schema.
    ///
    /// A store it creates is readable by its group ([`sharing::STORE_MODE`]); its `-wal` and
    /// `-shm` files are kept when it closes, and given the store's group and mode, so that a
    /// monitoring account in that group can read the store without writing anything.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        let display = path.display().to_string();
        let created = !path.exists();
        let conn = SqliteConnection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| StoreError::Open {
            path: display.clone(),
            reason: reason_of(&e),
        })?;
        conn.busy_timeout(Duration::from_secs(10))?;
        conn.set_db_config(DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, true)?;
        let mut store = Self::prepare(conn, &display)?;
        store.writes_file = true;
        if created {
            sharing::restrict_new_store(path).map_err(|e| StoreError::Open {
                path: display.clone(),
                reason: e.to_string(),
            })?;
        }
        sharing::share_siblings_like_store(path);
        Ok(store)
    }

    /// Opens an existing store for reading only, as monitoring does: nothing is created, written
    /// or migrated. A missing or empty file, a file that is not a store, a store with tables
    /// missing, and one of a newer License Desk are refused, naming what is wrong. A store of an
    /// older schema is refused too: it is upgraded the next time License Desk writes to it.
    ///
    /// Read access is enough (to the store, its folder and its `-wal` and `-shm` files; no write
    /// access to any of them): the `-shm` file is opened read-only (`readonly_shm`), and a WAL
    /// store whose `-wal` or `-shm` is missing is refused rather than having SQLite create them.
    /// Everything read through this store is one snapshot (one read transaction, held until the
    /// store is closed), so a writer committing meanwhile changes nothing it answers. Never
    /// `immutable`: a writer may be writing.
    pub fn open_read_only(path: &Path) -> Result<Store, StoreError> {
        let display = path.display().to_string();
        let not_a_store = |reason: String| StoreError::NotAStore {
            path: display.clone(),
            reason,
        };
        match std::fs::metadata(path) {
            Ok(m) if !m.is_file() => return Err(not_a_store("it is not a regular file".into())),
            Ok(m) if m.len() == 0 => return Err(not_a_store("the file is empty".into())),
            Ok(_) => {}
            Err(e) => {
                return Err(StoreError::Open {
                    path: display,
                    reason: e.to_string(),
                })
            }
        }
        let missing = sharing::missing_wal_siblings(path);
        if !missing.is_empty() {
            return Err(StoreError::Open {
                path: display,
                reason: format!(
                    "its write-ahead log ({}) is missing, and reading the store would create it: run any licdesk command that writes (such as 'licdesk list') once as the desk's user, which keeps it from then on",
                    missing.join(", ")
                ),
            });
        }
        let conn = SqliteConnection::open_with_flags(
            read_only_uri(path),
            OpenFlags::SQLITE_OPEN_READ_ONLY
                | OpenFlags::SQLITE_OPEN_URI
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| StoreError::Open {
            path: display.clone(),
            reason: reason_to_read(&e),
        })?;
        conn.busy_timeout(Duration::from_secs(10))?;
        // One snapshot for everything read: the transaction starts at the first read below.
        conn.execute_batch("BEGIN DEFERRED")?;
        let version: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(|e| not_a_store(e.to_string()))?;
        if version > SCHEMA_VERSION {
            return Err(StoreError::NewerSchema {
                path: display,
                found: version,
                known: SCHEMA_VERSION,
            });
        }
        if version < schema::OLDEST_READABLE_SCHEMA {
            return Err(not_a_store(format!(
                "it has schema {version}{}",
                if version == 0 {
                    " (no License Desk tables)".to_string()
                } else {
                    format!(", older than this License Desk's {SCHEMA_VERSION}: open it once with licdesk (any command that writes, such as 'licdesk list') to upgrade it")
                }
            )));
        }
        rusqlite::vtab::array::load_module(&conn)?;
        let store = Store {
            conn: Connection::Sqlite(conn),
            writes_file: false,
            names: tables::KeptNames::default(),
            actor: None,
        };
        store.check_tables(version)?;
        Ok(store)
    }

    /// Refuses a store whose tables are not all there (dropped by hand, say): those of its
    /// schema `version`.
    fn check_tables(&self, version: i64) -> Result<(), StoreError> {
        let mut missing = Vec::new();
        for table in schema::TABLES
            .iter()
            .filter(|t| schema::table_added_in(t) <= version)
        {
            let sql = match self.conn.engine() {
                Engine::Sqlite => {
                    "SELECT COUNT(*) FROM sqlite_schema WHERE type = 'table' AND name = ?1"
                }
                Engine::Postgres => {
                    "SELECT COUNT(*) FROM pg_tables WHERE schemaname = current_schema() AND tablename = ?1"
                }
            };
            let found: i64 = self.conn.query_row(sql, db::params![table], |r| r.get(0))?;
            if found == 0 {
                missing.push(*table);
            }
        }
        if missing.is_empty() {
            Ok(())
        } else {
            Err(StoreError::Damaged(format!(
                "the table{} {} {} missing",
                if missing.len() > 1 { "s" } else { "" },
                missing.join(", "),
                if missing.len() > 1 { "are" } else { "is" }
            )))
        }
    }

    /// Checks the structure of the tables monitoring reads whole, whose size does not grow with
    /// the number of licenses ([`STATUS_TABLES`]: `PRAGMA quick_check` of each, every page and
    /// index entry of theirs), for at most `budget`. The large tables (licenses, systems, marks)
    /// are not checked whole: monitoring reads only the standbys' rows of them, and SQLite refuses
    /// a damaged page it reads ([`StoreError::Damaged`]). Damage found is named; a check cut short
    /// by the budget is not damage — the queries that follow still meet any damaged page they read.
    ///
    /// On PostgreSQL there is nothing to check here: the server checks every page it reads
    /// (a damaged one is an error of the query that meets it), and checking a table's
    /// structure whole (`amcheck`) needs rights monitoring should not have.
    pub fn verify_status_tables(&self, budget: Duration) -> Result<(), StoreError> {
        let Some(conn) = self.conn.sqlite() else {
            return Ok(());
        };
        let started = std::time::Instant::now();
        conn.progress_handler(10_000, Some(move || started.elapsed() > budget));
        let result = (|| -> Result<Vec<String>, rusqlite::Error> {
            let mut problems = Vec::new();
            for table in STATUS_TABLES {
                // A table name cannot be a parameter of a pragma; these are constants.
                let mut stmt = conn.prepare(&format!("PRAGMA quick_check({table})"))?;
                let lines = stmt.query_map([], |r| r.get::<_, String>(0))?;
                for line in lines {
                    let line = line?;
                    if line != "ok" {
                        problems.push(line);
                    }
                }
            }
            Ok(problems)
        })();
        conn.progress_handler(0, None::<fn() -> bool>);
        match result {
            Ok(lines) if lines.is_empty() => Ok(()),
            Ok(lines) => Err(StoreError::Damaged(
                lines.into_iter().take(20).collect::<Vec<_>>().join("; "),
            )),
            Err(e) if e.sqlite_error_code() == Some(rusqlite::ErrorCode::OperationInterrupted) => {
                Ok(())
            }
            Err(e) => Err(e.into()),
        }
    }

    /// A private in-memory store (tests, benchmarks).
    pub fn open_in_memory() -> Result<Store, StoreError> {
        Self::prepare(SqliteConnection::open_in_memory()?, ":memory:")
    }

    /// Which engine the store runs on.
    pub fn engine(&self) -> Engine {
        self.conn.engine()
    }

    fn prepare(mut conn: SqliteConnection, display: &str) -> Result<Store, StoreError> {
        // Read the version before anything writes to the file: a newer store stays untouched.
        let version: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(|e| StoreError::NotAStore {
                path: display.to_string(),
                reason: reason_of(&e),
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
        // A page of the list, a check or an import uses some forty statements: kept prepared,
        // none is parsed again (rusqlite keeps 16 by default, and a statement evicted is
        // prepared anew each time — a third of a page's time with 1,000 licenses).
        conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
        // SQLite keeps 2 MiB of the file's pages by default: a page of the list with 100,000
        // licenses touches more (its indexes, the search index, the rows), and every page it
        // no longer holds is read again through a system call — a fifth of the list's time
        // in `perf`. The cache grows only as pages are read, up to this.
        conn.pragma_update(None, "cache_size", PAGE_CACHE_KIB)?;
        // `rarray(?)`: a list of row ids as a table (the search sorts a page from its matches).
        rusqlite::vtab::array::load_module(&conn)?;
        tables::register_listing_functions(&conn)?;
        schema::migrate(&mut conn, version)?;
        Store::ready(Connection::Sqlite(conn))
    }

    /// The store on a migrated connection. The licenses a migration left to be listed anew
    /// (schema 10 fills the listing's columns) are listed once, by the first writer that opens
    /// the store.
    fn ready(conn: Connection) -> Result<Store, StoreError> {
        let mut store = Store {
            conn,
            writes_file: false,
            names: tables::KeptNames::default(),
            actor: None,
        };
        let stale: bool = store.conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM listing_stale)",
            db::params![],
            |r| r.get(0),
        )?;
        if stale {
            store.write()?.commit()?;
        }
        Ok(store)
    }

    /// Starts a write transaction that takes the write lock at once (no deadlock between writers).
    pub fn write(&mut self) -> Result<Tx<'_>, StoreError> {
        self.conn.begin_writing()?;
        Ok(Tx {
            tx: &self.conn,
            actor: self.actor.as_deref(),
            committed: false,
        })
    }

    /// Names who writes through this store from now on (the operating system's account and
    /// the computer): every audit entry records it, so that a store several people share says
    /// who did what.
    pub fn act_as(&mut self, actor: impl Into<String>) {
        self.actor = Some(actor.into());
    }

    /// A write transaction of many files (a bulk import's window) whose statement journal is
    /// kept in memory. SQLite keeps a copy of each page changed under a savepoint (a window's
    /// files other than base certificates each have one) or by a statement that may fail
    /// halfway, until it ends (a base license is written without: [`Tx::put_base`]); past
    /// 64 KiB that copy goes to a temporary file, a system call per page. The pager reads `temp_store` when a transaction begins and keeps it for that
    /// transaction, so the setting is made for the BEGIN only and put back at once: the
    /// connection's other transactions, and its sorts, keep their temporary files. (SQLite
    /// would refuse to put it back while a temporary table is in use; this store makes none.)
    /// On PostgreSQL, an ordinary write transaction.
    pub fn write_with_journal_in_memory(&mut self) -> Result<Tx<'_>, StoreError> {
        let Some(conn) = self.conn.sqlite() else {
            return self.write();
        };
        conn.pragma_update(None, "temp_store", "MEMORY")?;
        self.conn.begin_writing()?;
        let tx = Tx {
            tx: &self.conn,
            actor: self.actor.as_deref(),
            committed: false,
        };
        if let Some(conn) = tx.tx.sqlite() {
            conn.pragma_update(None, "temp_store", "DEFAULT")?;
        }
        Ok(tx)
    }
}

#[cfg(test)]
mod read_only_tests {
    use super::*;

    #[test]
    fn the_read_only_uri_escapes_what_sqlite_would_read_as_uri_syntax() {
        assert_eq!(
            read_only_uri(Path::new("/srv/licdesk/store.sqlite")),
            "file:/srv/licdesk/store.sqlite?mode=ro&readonly_shm=1"
        );
        assert_eq!(
            read_only_uri(Path::new("/a b/x?y#z%.sqlite")),
            "file:/a%20b/x%3Fy%23z%25.sqlite?mode=ro&readonly_shm=1"
        );
    }
}
