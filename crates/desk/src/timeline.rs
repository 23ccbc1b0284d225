//! The five-day view as a picture (R12): a standby's recent load phases against its limits, for
//! the window's chart. What the chart shows comes from the same journal and the same evaluation
//! as the five-day status beside it — the latest trusted journal imported (its kept, signed
//! file, read again), or on the standby's own desk the journal it keeps, as of now.
//!
//! [`span_start`] and [`phases_in_span`] are pure; [`Desk::timeline`] reads the journal.

use licdesk_core::usage::{
    evaluate, history_window, live_intervals, Evaluation, Interval, JournalEntry, Level,
    UsageJournal, UsageState,
};
use licdesk_core::{Envelope, FileKind, LicenseNumber, LoadLimits, Timestamp};
use licdesk_store::{Queries, UsageReport};
use serde::Serialize;

use crate::{Desk, DeskError};

const HOUR: i64 = 3600;

/// A standby's load phases from `from` to `to`, against its limits.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UsageTimeline {
    pub failover: LicenseNumber,
    /// The start of the span shown.
    pub from: Timestamp,
    /// Its end: the time of the evaluation (the journal's export; on the standby's own desk, now).
    pub to: Timestamp,
    /// Where the journal begins, when that is inside the span: nothing is known before it.
    pub known_from: Option<Timestamp>,
    pub limits: LoadLimits,
    /// The phases (episodes) with load inside the span, oldest first.
    pub phases: Vec<Phase>,
}

/// A load phase (an episode of R12: load with no idle gap of the limits' length in it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Phase {
    pub start: Timestamp,
    /// The end of its last load.
    pub last_load_end: Timestamp,
    /// Its whole load time, and its level against the limits.
    pub load_seconds: i64,
    pub level: Level,
    /// Whether it is the phase still running at the evaluation's time.
    pub running: bool,
    /// Its load intervals inside the span, each with the phase's load before it (so the chart
    /// draws the phase's load rising over time; the times between are idle).
    pub loads: Vec<LoadStretch>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct LoadStretch {
    pub from: Timestamp,
    pub to: Timestamp,
    pub load_before_seconds: i64,
}

/// Where the chart of an evaluation at `at` begins: long enough to show a whole phase at the
/// limit and the idle gap after it twice over (10 days with the data sheet's 120 h and 24 h),
/// and earlier still when the running phase began before that, so it shows whole.
pub fn span_start(evaluation: &Evaluation) -> Timestamp {
    let limits = &evaluation.limits;
    let max = i64::from(limits.max_load_hours);
    let gap = i64::from(limits.episode_gap_hours);
    let hours = (2 * max).max(max + 2 * gap);
    let from = evaluation.at.plus_seconds(-hours * HOUR);
    match &evaluation.current {
        Some(running) if running.start < from => running.start,
        _ => from,
    }
}

/// The phases of `evaluation` (made from `intervals`) with load after `from`, each with its
/// load intervals from `from` on.
pub fn phases_in_span(
    intervals: &[Interval],
    evaluation: &Evaluation,
    from: Timestamp,
) -> Vec<Phase> {
    let running = evaluation.current.as_ref().map(|c| c.start);
    evaluation
        .episodes
        .iter()
        .filter(|e| e.last_load_end > from)
        .map(|e| {
            let mut before = 0;
            let mut loads = Vec::new();
            let of_phase = intervals.iter().filter(|iv| {
                iv.state == UsageState::Load
                    && iv.to > iv.from
                    && iv.from >= e.start
                    && iv.to <= e.last_load_end
            });
            for iv in of_phase {
                let shown_from = iv.from.max(from);
                if iv.to > from {
                    before += shown_from.unix() - iv.from.unix();
                    loads.push(LoadStretch {
                        from: shown_from,
                        to: iv.to,
                        load_before_seconds: before,
                    });
                    before += iv.to.unix() - shown_from.unix();
                } else {
                    before += iv.to.unix() - iv.from.unix();
                }
            }
            Phase {
                start: e.start,
                last_load_end: e.last_load_end,
                load_seconds: e.load_seconds,
                level: e.level,
                running: running == Some(e.start),
                loads,
            }
        })
        .collect()
}

/// How many journal entries are read at a time, from the latest backwards.
const PAGE: usize = 64;

impl Desk {
    /// The chart of `failover`'s five-day status as the detail shows it (`usage`, from the
    /// journal kept live here when `live`): None when no journal was evaluated, or when the
    /// journal it rests on cannot be read again as it was trusted (a journal evaluated before
    /// the store kept it; a store changed outside License Desk, which monitoring reports) — the
    /// status in words stays.
    pub(crate) fn timeline(
        &self,
        failover: &LicenseNumber,
        usage: Option<&UsageReport>,
        live: bool,
    ) -> Result<Option<UsageTimeline>, DeskError> {
        let Some(usage) = usage else {
            return Ok(None);
        };
        let Some(evaluation) = &usage.evaluation else {
            return Ok(None);
        };
        let from = span_start(evaluation);
        let intervals = if live {
            self.live_history(&evaluation.limits, from, evaluation.at)?
        } else {
            self.kept_journal_intervals(failover, usage.journal_hash.as_deref())?
        };
        let Some(intervals) = intervals else {
            return Ok(None);
        };
        let Ok(again) = evaluate(&intervals, &evaluation.limits, evaluation.at) else {
            return Ok(None);
        };
        Ok(Some(UsageTimeline {
            failover: failover.clone(),
            from,
            to: evaluation.at,
            known_from: intervals.first().map(|i| i.from).filter(|t| *t > from),
            limits: evaluation.limits,
            phases: phases_in_span(&intervals, &again, from),
        }))
    }

    /// The intervals of the latest trusted journal of `failover`, from the signed file the store
    /// keeps, when it is still the one evaluated (`hash`) and its signature verifies.
    fn kept_journal_intervals(
        &self,
        failover: &LicenseNumber,
        hash: Option<&str>,
    ) -> Result<Option<Vec<Interval>>, DeskError> {
        let Some(text) = self.store.trusted_journal_text(failover)? else {
            return Ok(None);
        };
        let Ok(envelope) =
            Envelope::parse(text.as_bytes()).and_then(|e| e.expect(FileKind::UsageJournal))
        else {
            return Ok(None);
        };
        if hash != Some(envelope.content_id().as_str()) {
            return Ok(None);
        }
        let journal = envelope
            .verify_self_signed()
            .ok()
            .and_then(|v| v.payload::<UsageJournal>().ok());
        Ok(journal.and_then(|j| j.intervals().ok()))
    }

    /// The intervals of this desk's own journal that belong to phases running at any time from
    /// `from` to `until`, read from the latest entry backwards a page at a time (bounded by the
    /// span, as the live status is by the running phase), checked against the chain.
    fn live_history(
        &self,
        limits: &LoadLimits,
        from: Timestamp,
        until: Timestamp,
    ) -> Result<Option<Vec<Interval>>, DeskError> {
        let mut entries: Vec<JournalEntry> = Vec::new();
        let start = loop {
            let before = entries.first().map(|e| e.seq);
            if before == Some(0) {
                break 0;
            }
            let mut page = self.store.journal_entries_back(before, PAGE)?;
            let whole = page.len() < PAGE;
            page.reverse();
            page.append(&mut entries);
            entries = page;
            if let Some(start) = history_window(&entries, from, until, limits) {
                break start;
            }
            if whole {
                break 0;
            }
        };
        let anchor = start.checked_sub(1).and_then(|i| entries.get(i));
        Ok(live_intervals(anchor, &entries[start..], until).ok())
    }
}

#[cfg(test)]
mod tests;
