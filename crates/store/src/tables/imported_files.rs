//! `imported_files`: the content identity of every signed file imported, so that importing one
//! again is a no-op.

use crate::db::{params, Connection};
use licdesk_core::Timestamp;

use crate::{StoreError, Tx};

pub(crate) fn file_seen(conn: &Connection, file_hash: &str) -> Result<bool, StoreError> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM imported_files WHERE file_hash = ?1")?
        .query_opt(params![file_hash], |_| Ok(()))?
        .is_some())
}

impl Tx<'_> {
    pub fn mark_file(&self, file_hash: &str, kind: &str, at: Timestamp) -> Result<(), StoreError> {
        self.tx
            .prepare_cached(
                "INSERT INTO imported_files (file_hash, kind, imported_at) VALUES (?1, ?2, ?3)
                 ON CONFLICT DO NOTHING",
            )?
            .execute(params![file_hash, kind, at.to_string()])?;
        Ok(())
    }
}
