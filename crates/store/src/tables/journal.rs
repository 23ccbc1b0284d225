//! `journal_entries` and `journal_exports`: this desk's own usage journal (the standby side),
//! append-only, and when it was exported.

use crate::db::{params, Connection, Row};
use licdesk_core::usage::{JournalEntry, UsageState};
use licdesk_core::Timestamp;

use super::{collect, corrupt, parse_time};
use crate::{StoreError, Tx};

pub(crate) fn latest_journal_export(conn: &Connection) -> Result<Option<Timestamp>, StoreError> {
    let at: Option<String> = conn
        .prepare_cached("SELECT MAX(exported_at) FROM journal_exports")?
        .query_row(params![], |r| r.get(0))?;
    at.as_deref().map(parse_time).transpose()
}

fn entry(r: &Row<'_>) -> Result<JournalEntry, StoreError> {
    let at: String = r.get(1)?;
    let state: String = r.get(2)?;
    Ok(JournalEntry {
        seq: r.get::<i64>(0)? as u64,
        at: parse_time(&at)?,
        state: UsageState::parse(&state).map_err(corrupt)?,
        hash: r.get(3)?,
    })
}

pub(crate) fn journal_entries(conn: &Connection) -> Result<Vec<JournalEntry>, StoreError> {
    collect(
        conn,
        "SELECT seq, at, state, hash FROM journal_entries ORDER BY seq",
        params![],
        entry,
    )
}

/// At most `limit` entries before entry `before` (all when None), the latest first: read along
/// the primary key, so the cost is that of the entries returned, however long the journal.
pub(crate) fn journal_entries_back(
    conn: &Connection,
    before: Option<u64>,
    limit: usize,
) -> Result<Vec<JournalEntry>, StoreError> {
    let before = before.map_or(i64::MAX, |b| i64::try_from(b).unwrap_or(i64::MAX));
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    collect(
        conn,
        "SELECT seq, at, state, hash FROM journal_entries WHERE seq < ?1 ORDER BY seq DESC LIMIT ?2",
        params![before, limit],
        entry,
    )
}

impl Tx<'_> {
    /// Records an export of this desk's own usage journal (up to entry `last_seq`).
    pub fn record_journal_export(
        &self,
        at: Timestamp,
        last_seq: Option<u64>,
    ) -> Result<(), StoreError> {
        self.tx
            .prepare_cached("INSERT INTO journal_exports (exported_at, last_seq) VALUES (?1, ?2)")?
            .execute(params![at.to_string(), last_seq.map(|s| s as i64)])?;
        Ok(())
    }

    pub fn append_journal(&self, entry: &JournalEntry) -> Result<(), StoreError> {
        self.tx
            .prepare_cached(
                "INSERT INTO journal_entries (seq, at, state, hash) VALUES (?1, ?2, ?3, ?4)",
            )?
            .execute(params![
                entry.seq as i64,
                entry.at.to_string(),
                entry.state.code(),
                entry.hash
            ])?;
        Ok(())
    }
}
