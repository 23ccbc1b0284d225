//! `violations`: every five-day violation (R12) a trusted usage journal showed, per FailoverSuite
//! and standby installation. Kept through release, replacement and re-registration of the
//! standby until an administrator acknowledges it; never deleted (a trigger refuses it).

use crate::db::{params, Connection};
use licdesk_core::usage::{Episode, Level};
use licdesk_core::{HardwareId, LicenseNumber, Timestamp};
use serde::Serialize;

use super::parse_time;
use crate::{Reader, StoreError, Tx};

/// A violation as recorded: the episode, whose installation it was, and its acknowledgement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RecordedViolation {
    pub failover: LicenseNumber,
    /// The installation key (base64) of the standby whose journal showed it.
    pub installation_key: String,
    pub hardware_id: Option<HardwareId>,
    pub episode: Episode,
    pub max_load_hours: u32,
    /// The content identity of the latest journal that showed it.
    pub journal_hash: String,
    pub recorded_at: Timestamp,
    /// When an administrator acknowledged it, and why.
    pub acknowledged: Option<(Timestamp, String)>,
}

pub trait ViolationQueries: Reader {
    /// Every violation recorded for `failover`, oldest first.
    fn violations_of(
        &self,
        failover: &LicenseNumber,
    ) -> Result<Vec<RecordedViolation>, StoreError> {
        violations_of(self.conn(), failover)
    }
}

pub(crate) fn violations_of(
    conn: &Connection,
    failover: &LicenseNumber,
) -> Result<Vec<RecordedViolation>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT installation_key, hardware_id, start, last_load_end, load_seconds,
                over_limit_seconds, max_load_hours, journal_hash, recorded_at,
                acknowledged_at, acknowledgement
           FROM violations WHERE failover = ?1 ORDER BY start, installation_key",
    )?;
    let mut rows = stmt.query(params![failover.as_str()])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let hardware: String = r.get(1)?;
        let acknowledged_at: Option<String> = r.get(9)?;
        out.push(RecordedViolation {
            failover: failover.clone(),
            installation_key: r.get(0)?,
            hardware_id: HardwareId::parse(&hardware).ok(),
            episode: Episode {
                start: parse_time(&r.get::<String>(2)?)?,
                last_load_end: parse_time(&r.get::<String>(3)?)?,
                load_seconds: r.get(4)?,
                level: Level::Violation,
                over_limit_seconds: r.get(5)?,
            },
            max_load_hours: r.get::<i64>(6)?.clamp(0, i64::from(u32::MAX)) as u32,
            journal_hash: r.get(7)?,
            recorded_at: parse_time(&r.get::<String>(8)?)?,
            acknowledged: match acknowledged_at {
                Some(at) => Some((
                    parse_time(&at)?,
                    r.get::<Option<String>>(10)?.unwrap_or_default(),
                )),
                None => None,
            },
        });
    }
    Ok(out)
}

impl<T: Reader + ?Sized> ViolationQueries for T {}

/// The violations a trusted journal showed, to record.
#[derive(Debug)]
pub struct ShownViolations<'a> {
    pub failover: &'a LicenseNumber,
    pub installation_key: &'a str,
    pub hardware_id: &'a HardwareId,
    pub episodes: &'a [Episode],
    pub max_load_hours: u32,
    pub journal_hash: &'a str,
    pub at: Timestamp,
}

impl Tx<'_> {
    /// Records the violations a trusted journal showed: new ones are added; one seen before (the
    /// same installation and start) keeps the largest load the journals showed.
    pub fn record_violations(&self, shown: &ShownViolations<'_>) -> Result<(), StoreError> {
        let mut stmt = self.conn().prepare_cached(
            "INSERT INTO violations (failover, installation_key, hardware_id, start, last_load_end,
                 load_seconds, over_limit_seconds, max_load_hours, journal_hash, recorded_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
             ON CONFLICT (failover, installation_key, start) DO UPDATE SET
                 last_load_end = MAX(violations.last_load_end, excluded.last_load_end),
                 load_seconds = MAX(violations.load_seconds, excluded.load_seconds),
                 over_limit_seconds = MAX(violations.over_limit_seconds, excluded.over_limit_seconds),
                 journal_hash = excluded.journal_hash",
        )?;
        for e in shown
            .episodes
            .iter()
            .filter(|e| e.level == Level::Violation)
        {
            stmt.execute(params![
                shown.failover.as_str(),
                shown.installation_key,
                shown.hardware_id.as_str(),
                e.start.to_string(),
                e.last_load_end.to_string(),
                e.load_seconds,
                e.over_limit_seconds,
                shown.max_load_hours,
                shown.journal_hash,
                shown.at.to_string(),
            ])?;
        }
        Ok(())
    }

    /// Acknowledges every violation of `failover` not acknowledged yet, except the one still
    /// running (`running`: its installation key and start); returns how many were.
    pub fn acknowledge_recorded_violations(
        &self,
        failover: &LicenseNumber,
        running: Option<(&str, Timestamp)>,
        at: Timestamp,
        reason: &str,
    ) -> Result<usize, StoreError> {
        let (key, start) = match running {
            Some((key, start)) => (Some(key), Some(start.to_string())),
            None => (None, None),
        };
        self.conn()
            .prepare_cached(
                "UPDATE violations SET acknowledged_at = ?2, acknowledgement = ?3
                  WHERE failover = ?1 AND acknowledged_at IS NULL
                    AND NOT (installation_key IS NOT DISTINCT FROM ?4
                             AND start IS NOT DISTINCT FROM ?5)",
            )?
            .execute(params![
                failover.as_str(),
                at.to_string(),
                reason,
                key,
                start
            ])
    }
}
