//! `imported_files`: the content identity of every signed file imported, so that importing one
//! again is a no-op, and the file itself, which sync hands to another store.

use crate::db::{params, Connection};
use licdesk_core::Timestamp;

use crate::{StoreError, Tx};

pub(crate) fn file_seen(conn: &Connection, file_hash: &str) -> Result<bool, StoreError> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM imported_files WHERE file_hash = ?1")?
        .query_opt(params![file_hash], |_| Ok(()))?
        .is_some())
}

/// The text of a certificate whose license row holds `held`: that, or where the row holds ''
/// (schema 14 on), the text kept with its file `file_hash` — an error naming `whose` when the
/// store lacks it.
pub(crate) fn certificate_text(
    conn: &Connection,
    held: String,
    file_hash: &str,
    whose: impl std::fmt::Display,
) -> Result<String, StoreError> {
    if !held.is_empty() {
        return Ok(held);
    }
    conn.prepare_cached("SELECT text FROM imported_files WHERE file_hash = ?1")?
        .query_opt(params![file_hash], |r| r.get::<Option<String>>(0))?
        .flatten()
        .ok_or_else(|| {
            super::corrupt(format!(
                "the certificate of {whose} (file {file_hash}) is not in the store"
            ))
        })
}

/// A signed file this store applied, as sync hands it to another store.
#[derive(Debug, Clone)]
pub struct SignedFile {
    pub content_id: String,
    pub kind: String,
    pub text: String,
    pub imported_at: Timestamp,
}

/// The content id of every signed file this store has seen.
pub(crate) fn seen_file_ids(conn: &Connection) -> Result<Vec<String>, StoreError> {
    super::collect(
        conn,
        "SELECT file_hash FROM imported_files",
        params![],
        |r| r.get(0),
    )
}

/// The content ids, kinds and sizes of the signed files this store keeps whole (those sync
/// can hand over), in the order they were imported here.
pub(crate) fn signed_file_index(
    conn: &Connection,
) -> Result<Vec<(String, String, u64)>, StoreError> {
    super::collect(
        conn,
        "SELECT file_hash, kind, LENGTH(text) FROM imported_files WHERE text IS NOT NULL
          ORDER BY imported_at, file_hash",
        params![],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )
}

/// The signed files of these content ids that this store keeps whole, in the order they were
/// imported here.
pub(crate) fn signed_files(
    conn: &Connection,
    ids: &[String],
) -> Result<Vec<SignedFile>, StoreError> {
    let list = super::TextList(ids.to_vec());
    super::collect(
        conn,
        "SELECT file_hash, kind, text, imported_at FROM imported_files
          WHERE file_hash IN rarray(?1) AND text IS NOT NULL ORDER BY imported_at, file_hash",
        params![list],
        |r| {
            Ok(SignedFile {
                content_id: r.get(0)?,
                kind: r.get(1)?,
                text: r.get(2)?,
                imported_at: super::parse_time(&r.get::<String>(3)?)?,
            })
        },
    )
}

impl Tx<'_> {
    /// Records the signed file `file_hash` (its content id) as imported, and keeps its `text`
    /// (None where the caller has none: the file is then not handed on by sync). A file
    /// recorded before keeps what it had, and is given the text if it had none.
    pub fn mark_file(
        &self,
        file_hash: &str,
        kind: &str,
        text: Option<&str>,
        at: Timestamp,
    ) -> Result<(), StoreError> {
        self.tx
            .prepare_cached(
                "INSERT INTO imported_files (file_hash, kind, imported_at, text) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (file_hash) DO UPDATE
                 SET text = COALESCE(imported_files.text, excluded.text)",
            )?
            .execute(params![file_hash, kind, at.to_string(), text])?;
        Ok(())
    }
}
