//! `usage_reports`: per FailoverSuite, the five-day evaluation of the latest trusted usage
//! journal of its standby (R12) and the acknowledgement of its past violations.

use crate::db::{params, Connection};
use licdesk_core::usage::{Episode, Evaluation, Tamper};
use licdesk_core::{HardwareId, LicenseNumber, Timestamp};
use serde::Serialize;

use super::tampered::{tampered_journals, tampered_journals_of, TamperedJournal};
use super::violations::violations_of;
use super::{collect, corrupt, parse_license, parse_time};
use crate::{StoreError, Tx};

/// The five-day evaluation of the latest trusted usage journal imported for a standby (R12),
/// and the journals of it that could not be trusted.
#[derive(Debug, Clone, Serialize)]
pub struct UsageReport {
    pub failover: LicenseNumber,
    /// The latest trusted journal's SHA-256 (None until one was evaluated).
    pub journal_hash: Option<String>,
    /// When that journal was exported: an older journal is refused.
    pub exported_at: Option<Timestamp>,
    /// The activation that journal carried: its vendor-signed time, the standby's hardware and
    /// the installation key it certified.
    pub activated_at: Option<Timestamp>,
    /// The vendor ledger's sequence number of that activation, when it carried one.
    pub activation_serial: Option<u64>,
    pub hardware_id: Option<HardwareId>,
    pub installation_key: Option<String>,
    /// The last entry of that journal (sequence number and chain hash): a later journal of the
    /// same installation must hold this very entry (its chain extends it).
    pub last_seq: Option<u64>,
    pub last_hash: Option<String>,
    pub evaluation: Option<Evaluation>,
    /// Past violations an administrator acknowledged (those that started no later than
    /// `through`), when and why.
    pub violations_acknowledged: Option<ViolationsAcknowledged>,
    /// Episodes over the limit that ended before the journal's export and are not acknowledged:
    /// reported (CRITICAL) until they are.
    pub open_violations: Vec<Episode>,
    /// The latest tampered journal of this standby still reported (not dismissed), if any.
    pub tamper: Option<Tamper>,
    pub tamper_hash: Option<String>,
    /// Every journal of this standby that could not be trusted, oldest first; each is reported
    /// until an administrator dismisses it.
    pub tampered: Vec<TamperedJournal>,
    pub imported_at: Timestamp,
}

/// An administrator's acknowledgement of past violations (audited).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ViolationsAcknowledged {
    /// Violations of episodes that started no later than this are acknowledged.
    pub through: Timestamp,
    pub at: Timestamp,
    pub reason: String,
}

/// A trusted usage journal's evaluation, to record.
#[derive(Debug, Clone)]
pub struct TrustedJournal<'a> {
    pub failover: &'a LicenseNumber,
    pub journal_hash: &'a str,
    pub exported_at: Timestamp,
    /// The activation the journal carried: its time, hardware and certified installation key.
    pub activated_at: Timestamp,
    pub activation_serial: Option<u64>,
    pub hardware_id: &'a HardwareId,
    pub installation_key: &'a str,
    /// The journal's last entry (sequence number, chain hash), if it has entries.
    pub last_entry: Option<(u64, &'a str)>,
    pub evaluation: &'a Evaluation,
    pub imported_at: Timestamp,
    /// The journal file itself (kept, so that monitoring can verify what it recorded).
    pub text: &'a str,
}

pub(crate) fn usage_report(
    conn: &Connection,
    failover: &LicenseNumber,
) -> Result<Option<UsageReport>, StoreError> {
    // One FailoverSuite's rows only (by its key and index): a page of the list asks for each
    // FailoverSuite it shows.
    Ok(
        with_open_violations(conn, reports_where(conn, Some(failover))?)?
            .into_iter()
            .next(),
    )
}

/// The latest trusted journal of `failover` as imported, when one is kept (none for an
/// evaluation recorded before schema 9).
pub(crate) fn trusted_journal_text(
    conn: &Connection,
    failover: &LicenseNumber,
) -> Result<Option<String>, StoreError> {
    Ok(conn
        .prepare_cached("SELECT journal FROM usage_reports WHERE failover = ?1")?
        .query_opt(params![failover.as_str()], |r| r.get::<Option<String>>(0))?
        .flatten())
}

pub(crate) fn usage_reports(conn: &Connection) -> Result<Vec<UsageReport>, StoreError> {
    with_open_violations(conn, usage_reports_alone(conn)?)
}

/// `reports` with their open violations (recorded, not acknowledged).
fn with_open_violations(
    conn: &Connection,
    mut reports: Vec<UsageReport>,
) -> Result<Vec<UsageReport>, StoreError> {
    for report in &mut reports {
        // Every violation recorded for the FailoverSuite, whichever installation showed it,
        // until acknowledged — but the one still running is the evaluation's own.
        let running = report.evaluation.as_ref().and_then(|e| {
            e.current
                .as_ref()
                .filter(|c| c.level == licdesk_core::usage::Level::Violation)
                .map(|c| c.start)
        });
        report.open_violations = violations_of(conn, &report.failover)?
            .into_iter()
            .filter(|v| v.acknowledged.is_none())
            .filter(|v| {
                !(Some(v.episode.start) == running
                    && report.installation_key.as_deref() == Some(v.installation_key.as_str()))
            })
            .map(|v| v.episode)
            .collect();
    }
    Ok(reports)
}

pub(crate) fn usage_reports_alone(conn: &Connection) -> Result<Vec<UsageReport>, StoreError> {
    reports_where(conn, None)
}

/// The usage reports, with their tampered journals: every one, or `failover`'s.
fn reports_where(
    conn: &Connection,
    failover: Option<&LicenseNumber>,
) -> Result<Vec<UsageReport>, StoreError> {
    let tampered = match failover {
        Some(f) => tampered_journals_of(conn, f)?,
        None => tampered_journals(conn)?,
    };
    let columns = "failover, journal_hash, exported_at, activated_at, evaluation, last_seq, last_hash, imported_at,
                hardware_id, installation_key, violations_acknowledged_through,
                violations_acknowledged_at, violations_acknowledgement, activation_serial";
    let key: Option<&str> = failover.map(LicenseNumber::as_str);
    let (sql, params): (String, Vec<&dyn crate::db::ToValue>) = match failover {
        Some(_) => (
            format!("SELECT {columns} FROM usage_reports WHERE failover = ?1"),
            vec![&key as &dyn crate::db::ToValue],
        ),
        None => (
            format!("SELECT {columns} FROM usage_reports ORDER BY failover"),
            vec![],
        ),
    };
    collect(conn, &sql, &params, |r| {
        let failover = parse_license(&r.get::<String>(0)?)?;
        let exported: Option<String> = r.get(2)?;
        let activated: Option<String> = r.get(3)?;
        let evaluation: Option<Evaluation> = r
            .get::<Option<String>>(4)?
            .map(|e| serde_json::from_str(&e).map_err(corrupt))
            .transpose()?;
        let imported: String = r.get(7)?;
        let hardware_id: Option<String> = r.get(8)?;
        let acknowledged = match (r.get::<Option<String>>(10)?, r.get::<Option<String>>(11)?) {
            (Some(through), Some(at)) => Some(ViolationsAcknowledged {
                through: parse_time(&through)?,
                at: parse_time(&at)?,
                reason: r.get::<Option<String>>(12)?.unwrap_or_default(),
            }),
            _ => None,
        };
        let mine: Vec<TamperedJournal> = tampered
            .iter()
            .filter(|t| t.failover == failover)
            .cloned()
            .collect();
        let reported = mine.iter().rev().find(|t| t.dismissed.is_none());
        Ok(UsageReport {
            journal_hash: r.get(1)?,
            exported_at: exported.as_deref().map(parse_time).transpose()?,
            activated_at: activated.as_deref().map(parse_time).transpose()?,
            activation_serial: r.get::<Option<i64>>(13)?.map(|s| s as u64),
            hardware_id: hardware_id
                .map(|h| HardwareId::parse(&h).map_err(corrupt))
                .transpose()?,
            installation_key: r.get(9)?,
            last_seq: r.get::<Option<i64>>(5)?.map(|s| s as u64),
            last_hash: r.get(6)?,
            // Filled below from the violations recorded (they outlive the evaluation).
            open_violations: Vec::new(),
            evaluation,
            violations_acknowledged: acknowledged,
            tamper: reported.map(|t| t.tamper.clone()),
            tamper_hash: reported.map(|t| t.file_hash.clone()),
            tampered: mine,
            imported_at: parse_time(&imported)?,
            failover,
        })
    })
}

impl Tx<'_> {
    /// Records the evaluation of a trusted journal (tampered journals recorded before stay
    /// reported until dismissed; an acknowledgement of past violations stays). A journal exported
    /// no later than the trusted one recorded changes nothing: returns false.
    pub fn put_usage_evaluation(&self, j: &TrustedJournal<'_>) -> Result<bool, StoreError> {
        let newer = usage_report(self.tx, j.failover)?
            .and_then(|r| r.exported_at)
            .is_none_or(|recorded| j.exported_at > recorded);
        if !newer {
            return Ok(false);
        }
        self.tx
            .prepare_cached(
                "INSERT INTO usage_reports (failover, journal_hash, exported_at, activated_at, hardware_id, installation_key,
                                            evaluation, last_seq, last_hash, imported_at, activation_serial, journal)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
                 ON CONFLICT (failover) DO UPDATE SET journal_hash = excluded.journal_hash,
                     exported_at = excluded.exported_at, activated_at = excluded.activated_at,
                     hardware_id = excluded.hardware_id, installation_key = excluded.installation_key,
                     evaluation = excluded.evaluation, last_seq = excluded.last_seq,
                     last_hash = excluded.last_hash, imported_at = excluded.imported_at,
                     activation_serial = excluded.activation_serial, journal = excluded.journal",
            )?
            .execute(params![
                j.failover.as_str(),
                j.journal_hash,
                j.exported_at.to_string(),
                j.activated_at.to_string(),
                j.hardware_id.as_str(),
                j.installation_key,
                serde_json::to_string(j.evaluation).map_err(corrupt)?,
                j.last_entry.map(|(seq, _)| seq as i64),
                j.last_entry.map(|(_, hash)| hash),
                j.imported_at.to_string(),
                j.activation_serial.map(|s| s as i64),
                j.text,
            ])?;
        Ok(true)
    }

    /// Acknowledges the past violations of a standby that started no later than `through`;
    /// false when no trusted journal of it is recorded.
    pub fn acknowledge_violations(
        &self,
        failover: &LicenseNumber,
        through: Timestamp,
        at: Timestamp,
        reason: &str,
    ) -> Result<bool, StoreError> {
        let changed = self
            .tx
            .prepare_cached(
                "UPDATE usage_reports SET violations_acknowledged_through = ?2,
                     violations_acknowledged_at = ?3, violations_acknowledgement = ?4
                 WHERE failover = ?1 AND evaluation IS NOT NULL",
            )?
            .execute(params![
                failover.as_str(),
                through.to_string(),
                at.to_string(),
                reason
            ])?;
        // The violations recorded that started no later than `through` with it.
        self.tx
            .prepare_cached(
                "UPDATE violations SET acknowledged_at = ?3, acknowledgement = ?4
                  WHERE failover = ?1 AND start <= ?2 AND acknowledged_at IS NULL",
            )?
            .execute(params![
                failover.as_str(),
                through.to_string(),
                at.to_string(),
                reason
            ])?;
        Ok(changed == 1)
    }
}
