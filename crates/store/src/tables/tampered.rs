//! `tampered_journals` and `unreadable_journals`: usage journals that could not be trusted, or
//! whose own signature failed. Their content is never used; each is reported until an
//! administrator dismisses it.

use crate::db::{params, Connection, Row};
use licdesk_core::usage::Tamper;
use licdesk_core::{LicenseNumber, Timestamp};
use serde::Serialize;

use super::{collect, corrupt, parse_license, parse_time};
use crate::{StoreError, Tx};

/// A usage journal of a FailoverSuite's standby that could not be trusted: its content unused,
/// reported until dismissed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TamperedJournal {
    pub file_hash: String,
    pub failover: LicenseNumber,
    pub tamper: Tamper,
    pub imported_at: Timestamp,
    /// When an administrator dismissed it, and why (monitoring no longer reports it).
    pub dismissed: Option<(Timestamp, String)>,
}

/// A usage journal whose own signature failed: recorded for monitoring, its content unused.
#[derive(Debug, Clone, Serialize)]
pub struct UnreadableJournal {
    pub file_hash: String,
    /// The key id its header names (unverified).
    pub key_id: String,
    pub reason: String,
    pub imported_at: Timestamp,
    /// When an administrator dismissed it, and why (monitoring no longer reports it).
    pub dismissed: Option<(Timestamp, String)>,
}

pub(crate) fn tampered_journals(conn: &Connection) -> Result<Vec<TamperedJournal>, StoreError> {
    collect(
        conn,
        &format!(
            "SELECT {TAMPERED_COLUMNS} FROM tampered_journals ORDER BY imported_at, file_hash"
        ),
        params![],
        tampered_from_row,
    )
}

/// The tampered journals of one FailoverSuite (by its index), oldest first.
pub(crate) fn tampered_journals_of(
    conn: &Connection,
    failover: &LicenseNumber,
) -> Result<Vec<TamperedJournal>, StoreError> {
    collect(
        conn,
        &format!(
            "SELECT {TAMPERED_COLUMNS} FROM tampered_journals WHERE failover = ?1
             ORDER BY imported_at, file_hash"
        ),
        params![failover.as_str()],
        tampered_from_row,
    )
}

const TAMPERED_COLUMNS: &str = "file_hash, failover, tamper, imported_at, dismissed_at, dismissal";

fn tampered_from_row(r: &Row<'_>) -> Result<TamperedJournal, StoreError> {
    let imported: String = r.get(3)?;
    let dismissed_at: Option<String> = r.get(4)?;
    let dismissal: Option<String> = r.get(5)?;
    Ok(TamperedJournal {
        file_hash: r.get(0)?,
        failover: parse_license(&r.get::<String>(1)?)?,
        tamper: serde_json::from_str(&r.get::<String>(2)?).map_err(corrupt)?,
        imported_at: parse_time(&imported)?,
        dismissed: match dismissed_at {
            Some(at) => Some((parse_time(&at)?, dismissal.unwrap_or_default())),
            None => None,
        },
    })
}

pub(crate) fn unreadable_journals(conn: &Connection) -> Result<Vec<UnreadableJournal>, StoreError> {
    collect(
        conn,
        "SELECT file_hash, key_id, reason, imported_at, dismissed_at, dismissal
         FROM unreadable_journals ORDER BY imported_at, file_hash",
        params![],
        |r| {
            let imported: String = r.get(3)?;
            let dismissed_at: Option<String> = r.get(4)?;
            let dismissal: Option<String> = r.get(5)?;
            Ok(UnreadableJournal {
                file_hash: r.get(0)?,
                key_id: r.get(1)?,
                reason: r.get(2)?,
                imported_at: parse_time(&imported)?,
                dismissed: match dismissed_at {
                    Some(at) => Some((parse_time(&at)?, dismissal.unwrap_or_default())),
                    None => None,
                },
            })
        },
    )
}

impl Tx<'_> {
    /// Records a journal that could not be trusted: reported until dismissed. The trusted
    /// journal recorded before (its evaluation and export time) stays.
    pub fn put_usage_tamper(
        &self,
        failover: &LicenseNumber,
        journal_hash: &str,
        tamper: &Tamper,
        at: Timestamp,
    ) -> Result<(), StoreError> {
        self.tx
            .prepare_cached(
                "INSERT INTO tampered_journals (file_hash, failover, tamper, imported_at)
                 VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO NOTHING",
            )?
            .execute(params![
                journal_hash,
                failover.as_str(),
                serde_json::to_string(tamper).map_err(corrupt)?,
                at.to_string(),
            ])?;
        self.tx
            .prepare_cached(
                "INSERT INTO usage_reports (failover, imported_at) VALUES (?1, ?2)
                 ON CONFLICT (failover) DO UPDATE SET imported_at = excluded.imported_at",
            )?
            .execute(params![failover.as_str(), at.to_string()])?;
        Ok(())
    }

    /// Dismisses a tampered journal of a FailoverSuite's standby; false when there is no such
    /// journal, or it was dismissed before.
    pub fn dismiss_tampered_journal(
        &self,
        file_hash: &str,
        at: Timestamp,
        reason: &str,
    ) -> Result<bool, StoreError> {
        self.dismiss_journal_in("tampered_journals", file_hash, at, reason)
    }

    /// Marks the journal `file_hash` of `table` dismissed, unless it was before.
    fn dismiss_journal_in(
        &self,
        table: &'static str,
        file_hash: &str,
        at: Timestamp,
        reason: &str,
    ) -> Result<bool, StoreError> {
        let changed = self
            .tx
            .prepare_cached(&format!(
                "UPDATE {table} SET dismissed_at = ?2, dismissal = ?3
                 WHERE file_hash = ?1 AND dismissed_at IS NULL"
            ))?
            .execute(params![file_hash, at.to_string(), reason])?;
        Ok(changed == 1)
    }

    /// Records a usage journal whose own signature failed (nothing in it is used).
    pub fn put_unreadable_journal(&self, journal: &UnreadableJournal) -> Result<(), StoreError> {
        self.tx
            .prepare_cached(
                "INSERT INTO unreadable_journals (file_hash, key_id, reason, imported_at) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT DO NOTHING",
            )?
            .execute(params![
                journal.file_hash,
                journal.key_id,
                journal.reason,
                journal.imported_at.to_string(),
            ])?;
        Ok(())
    }

    /// Dismisses a tampered journal (see [`UnreadableJournal::dismissed`]); false when there is
    /// no such journal, or it was dismissed before.
    pub fn dismiss_unreadable_journal(
        &self,
        file_hash: &str,
        at: Timestamp,
        reason: &str,
    ) -> Result<bool, StoreError> {
        self.dismiss_journal_in("unreadable_journals", file_hash, at, reason)
    }
}
