//! Checkpoints on another connection: while a bulk import writes window after window, the
//! WAL's committed pages are copied into the store file beside it, not at the commit of the
//! window that grows the WAL past SQLite's 1,000 pages.

use rusqlite::config::DbConfig;
use rusqlite::{Connection, OpenFlags};

use crate::{Store, StoreError};

/// A second connection to a store on disk, for [`Checkpointer::checkpoint`] on another thread.
/// While it lives, the store's own connection leaves the WAL to it; dropped, that connection
/// checkpoints at its commits again ([`Store::checkpoint_at_commits`]).
#[derive(Debug)]
pub struct Checkpointer {
    conn: Connection,
}

/// SQLite's own: its connection checkpoints at the commit that grows the WAL past this.
const WAL_AUTOCHECKPOINT_PAGES: i64 = 1000;

impl Store {
    /// A [`Checkpointer`] for this store, and this connection's checkpoints at commit turned
    /// off; None for a store in memory, opened read-only or on PostgreSQL (it has no WAL to copy).
    pub fn checkpointer(&self) -> Result<Option<Checkpointer>, StoreError> {
        let Some(store) = self.conn.sqlite() else {
            return Ok(None);
        };
        let Some(path) = store.path().filter(|p| !p.is_empty()) else {
            return Ok(None);
        };
        if !self.writes_file {
            return Ok(None);
        }
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        conn.set_db_config(DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, true)?;
        // As the store's own connection (a checkpoint syncs the WAL, then the store file).
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        store.pragma_update(None, "wal_autocheckpoint", 0i64)?;
        Ok(Some(Checkpointer { conn }))
    }

    /// This connection checkpoints at its commits again, as SQLite does by default.
    pub fn checkpoint_at_commits(&self) -> Result<(), StoreError> {
        if let Some(store) = self.conn.sqlite() {
            store.pragma_update(None, "wal_autocheckpoint", WAL_AUTOCHECKPOINT_PAGES)?;
        }
        Ok(())
    }
}

impl Checkpointer {
    /// Copies what the WAL holds committed into the store file, as far as no reader holds it
    /// back, without waiting for a lock and without blocking the writer (a passive checkpoint).
    pub fn checkpoint(&self) -> Result<(), StoreError> {
        self.conn
            .query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()))?;
        Ok(())
    }
}
