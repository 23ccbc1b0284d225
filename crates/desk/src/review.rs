//! An administrator's review: dismissing tampered journals and acknowledging past violations,
//! each with a reason (audited).

use crate::time::hours;
use crate::JournalRefusal;
use crate::{Desk, DeskError};
use licdesk_core::usage::{Episode, Level};
use licdesk_core::{LicenseNumber, LoadLimits, Timestamp};
use licdesk_store::Queries;
use serde::Serialize;
use std::fmt::Write as _;

impl Desk {
    /// Dismisses a tampered usage journal — one whose signature failed, or one of a
    /// FailoverSuite's standby that could not be trusted (broken chain, clock backwards or ahead,
    /// another installation, history rewritten) — once an administrator has looked into it:
    /// monitoring no longer reports it; the dismissal and its reason go to the audit log. `hash`
    /// is the journal file's SHA-256, or at least its first 8 characters (as `licdesk check`
    /// shows them).
    pub fn dismiss_tampered_journal(
        &mut self,
        hash: &str,
        reason: &str,
    ) -> Result<DismissedJournal, DeskError> {
        let hash = hash.trim().trim_end_matches('…').to_ascii_lowercase();
        let reason = reason.trim();
        if hash.len() < 8 || !hash.chars().all(|c| c.is_ascii_hexdigit()) {
            return Err(JournalRefusal::NotAJournalHash { given: hash }.into());
        }
        if reason.is_empty() {
            return Err(JournalRefusal::DismissReasonMissing.into());
        }
        licdesk_core::model::validate_text("reason", reason, 500).map_err(DeskError::invalid)?;
        let mut open: Vec<DismissedJournal> = self
            .store
            .unreadable_journals()?
            .into_iter()
            .filter(|j| j.dismissed.is_none() && j.file_hash.starts_with(&hash))
            .map(|j| DismissedJournal {
                file_hash: j.file_hash,
                failover: None,
                key_id: Some(j.key_id),
                reason: j.reason,
                imported_at: j.imported_at,
                dismissed: None,
            })
            .collect();
        open.extend(
            self.store
                .tampered_journals()?
                .into_iter()
                .filter(|j| j.dismissed.is_none() && j.file_hash.starts_with(&hash))
                .map(|j| DismissedJournal {
                    file_hash: j.file_hash,
                    failover: Some(j.failover),
                    key_id: None,
                    reason: j.tamper.to_string(),
                    imported_at: j.imported_at,
                    dismissed: None,
                }),
        );
        let journal = match open.as_slice() {
            [one] => one.clone(),
            [] => return Err(JournalRefusal::NoTamperedJournal { journal: hash }.into()),
            _ => {
                return Err(JournalRefusal::AmbiguousJournal {
                    count: open.len(),
                    journal: hash,
                }
                .into())
            }
        };
        let at = self.clock.now();
        let tx = self.store.write()?;
        let (subject, whose) = match (&journal.failover, &journal.key_id) {
            (Some(failover), _) => {
                tx.dismiss_tampered_journal(&journal.file_hash, at, reason)?;
                (failover.to_string(), format!("of {failover}"))
            }
            (None, key_id) => {
                tx.dismiss_unreadable_journal(&journal.file_hash, at, reason)?;
                let key_id = key_id.clone().unwrap_or_default();
                (key_id.clone(), format!("naming key {key_id}"))
            }
        };
        tx.audit(
            at,
            "journal-dismissed",
            &subject,
            &format!(
                "tampered usage journal (SHA-256 {}, {whose}) dismissed: {reason}",
                journal.file_hash
            ),
            Some(&journal.file_hash),
        )?;
        tx.commit()?;
        Ok(DismissedJournal {
            dismissed: Some((at, reason.to_string())),
            ..journal
        })
    }

    /// The usage journals whose own signature failed that no administrator has dismissed yet,
    /// oldest first: tied to no FailoverSuite (nothing in them was read), each is reported by
    /// monitoring until dismissed (`dismiss_tampered_journal`). Reads only.
    pub fn undismissed_unreadable_journals(
        &self,
    ) -> Result<Vec<licdesk_store::UnreadableJournal>, DeskError> {
        Ok(self
            .store
            .unreadable_journals()?
            .into_iter()
            .filter(|j| j.dismissed.is_none())
            .collect())
    }

    /// Acknowledges the past violations of a standby's five-day rule (R12) — episodes over the
    /// limit that had ended when its latest trusted journal was exported — once an administrator
    /// has looked into them: monitoring no longer reports them; the acknowledgement and its
    /// reason go to the audit log. A violation still running cannot be acknowledged.
    pub fn acknowledge_violations(
        &mut self,
        failover: &LicenseNumber,
        reason: &str,
    ) -> Result<AcknowledgedViolations, DeskError> {
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(JournalRefusal::AcknowledgeReasonMissing.into());
        }
        licdesk_core::model::validate_text("reason", reason, 500).map_err(DeskError::invalid)?;
        let Acknowledgeable {
            report,
            evaluation,
            episodes,
            through,
            running,
        } = self.acknowledgeable(failover)?.map_err(DeskError::from)?;
        let running = running.and_then(|start| {
            report
                .installation_key
                .as_deref()
                .map(|k| (k.to_string(), start))
        });
        let tx = self.store.write()?;
        let at = self.clock.now();
        tx.acknowledge_violations(failover, through, at, reason)?;
        // Every open one, whichever installation showed it — but the one still running.
        tx.acknowledge_recorded_violations(
            failover,
            running.as_ref().map(|(k, start)| (k.as_str(), *start)),
            at,
            reason,
        )?;
        let list = episodes
            .iter()
            .map(|e| {
                format!(
                    "the episode since {} ({:.1} h under load, {:.1} h over {} h)",
                    e.start,
                    hours(e.load_seconds),
                    hours(e.over_limit_seconds),
                    evaluation.limits.max_load_hours
                )
            })
            .collect::<Vec<_>>()
            .join(", ");
        tx.audit(
            at,
            "violation-acknowledged",
            failover.as_str(),
            &format!("five-day rule violation acknowledged: {list}: {reason}"),
            report.journal_hash.as_deref(),
        )?;
        tx.commit()?;
        Ok(AcknowledgedViolations {
            failover: failover.clone(),
            episodes,
            acknowledged_at: at,
            reason: reason.to_string(),
        })
    }
}

impl Desk {
    /// The past violations of `failover`'s standby an administrator can acknowledge now: the
    /// precondition of [`Desk::acknowledge_violations`], which the window's actions ask too
    /// (`actions.rs`). Refused when no trusted journal was evaluated, when none has ended (a
    /// violation still running is said so, with its start), the outer error a failure of the
    /// store. The standby this desk is: from its live journal, as monitoring sees it.
    pub(crate) fn acknowledgeable(
        &self,
        failover: &LicenseNumber,
    ) -> Result<Result<Acknowledgeable, JournalRefusal>, DeskError> {
        let report = match self.own_live_report(failover)? {
            Some(live) => Some(live),
            None => self.store.usage_report(failover)?,
        };
        let Some((report, evaluation)) = report.and_then(|r| r.evaluation.clone().map(|e| (r, e)))
        else {
            return Ok(Err(JournalRefusal::NoTrustedJournal {
                failover: failover.clone(),
            }));
        };
        let running = evaluation
            .current
            .as_ref()
            .filter(|c| c.level == Level::Violation)
            .map(|c| c.start);
        let episodes: Vec<Episode> = report.open_violations.clone();
        let Some(through) = episodes.iter().map(|e| e.start).max() else {
            return Ok(Err(match running {
                Some(since) => JournalRefusal::ViolationStillRunning {
                    failover: failover.clone(),
                    since,
                    as_of: evaluation.at,
                    gap_hours: evaluation.limits.episode_gap_hours,
                },
                None => JournalRefusal::NoPastViolation {
                    failover: failover.clone(),
                    as_of: evaluation.at,
                },
            }));
        };
        Ok(Ok(Acknowledgeable {
            report,
            evaluation,
            episodes,
            through,
            running,
        }))
    }
}

/// What an acknowledgement of past violations would acknowledge ([`Desk::acknowledgeable`]).
pub(crate) struct Acknowledgeable {
    /// The usage report they come from (the live one on the standby's own desk).
    pub(crate) report: licdesk_store::UsageReport,
    /// Its evaluation.
    pub(crate) evaluation: licdesk_core::usage::Evaluation,
    /// The ended violations not acknowledged yet.
    pub(crate) episodes: Vec<Episode>,
    /// The start of the latest of them: acknowledged are those that started no later.
    pub(crate) through: Timestamp,
    /// The start of a violation still running, which is not acknowledged.
    pub(crate) running: Option<Timestamp>,
}

pub(crate) fn describe_evaluation(
    failover: &LicenseNumber,
    e: &licdesk_core::usage::Evaluation,
    acknowledged_through: Option<Timestamp>,
) -> String {
    let current = hours(e.current.as_ref().map(|c| c.load_seconds).unwrap_or(0));
    let mut text = format!(
        "usage journal of {failover} evaluated: {current:.1} h under load in the current episode of at most {} h, as of {}",
        e.limits.max_load_hours, e.at
    );
    let level = e.current_level();
    if level >= Level::Warning {
        let _ = write!(text, "; {}", level_word(level, &e.limits));
    }
    for v in e.unacknowledged_violations(acknowledged_through) {
        let _ = write!(
            text,
            "; VIOLATION: the episode since {} ran {:.1} h over the limit (R12)",
            v.start,
            hours(v.over_limit_seconds)
        );
    }
    text
}

/// A tampered journal an administrator dismissed: one whose signature failed (`key_id`, the key
/// its header names) or one of a FailoverSuite's standby (`failover`).
#[derive(Debug, Clone, Serialize)]
pub struct DismissedJournal {
    pub file_hash: String,
    pub failover: Option<LicenseNumber>,
    pub key_id: Option<String>,
    /// Why it was tampered.
    pub reason: String,
    pub imported_at: Timestamp,
    /// When it was dismissed, and why.
    pub dismissed: Option<(Timestamp, String)>,
}

/// Past violations an administrator acknowledged.
#[derive(Debug, Clone, Serialize)]
pub struct AcknowledgedViolations {
    pub failover: LicenseNumber,
    pub episodes: Vec<Episode>,
    pub acknowledged_at: Timestamp,
    pub reason: String,
}

/// The level in words, for text output, with the limits of the standby's signed license.
pub fn level_word(level: Level, limits: &LoadLimits) -> String {
    match level {
        Level::Fine => "fine".to_string(),
        Level::Warning => format!("warning (over {} h)", limits.warning_hours),
        Level::FinalWarning => format!("final warning (over {} h)", limits.final_warning_hours),
        Level::Violation => format!("VIOLATION (over {} h)", limits.max_load_hours),
    }
}
