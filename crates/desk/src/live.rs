//! The five-day status of the standby this desk is (R12): its journal as it stands in the store,
//! live, evaluated as a journal exported now would be — the same pure evaluator, the limits of
//! its signed activation.
//!
//! - Reading it is bounded: the entries are read from the latest backwards, a page at a time,
//!   until one ends a whole idle gap before the episode running now (or before now)
//!   ([`licdesk_core::usage::current_window`]); the cost is that of the running episode's
//!   entries, never of the whole journal or of the licenses.
//! - Episodes that ended before that window were evaluated when the journal was appended to or
//!   exported (write paths), and their violations recorded in `violations` then
//!   ([`record_live_violations`]); monitoring (`check`), which must not write, reports them
//!   from there, and decides the running episode from the window.

use licdesk_core::usage::{
    current_window, evaluate, live_intervals, Episode, Evaluation, JournalEntry, Level, Tamper,
};
use licdesk_core::{FileKind, LoadLimits, Timestamp, TrustStore};
use licdesk_store::{
    Queries, ShownViolations, StoredSystem, SystemState, Tx, UsageReport, ViolationQueries,
};

use crate::{Desk, DeskError};

/// How many entries are read at a time, from the latest backwards.
const PAGE: usize = 64;

/// The standby this desk is: an active standby whose activation certified this installation's
/// key, with that key (base64).
pub(crate) fn is_own(standby: &StoredSystem, own_key: Option<&str>) -> Option<String> {
    let certified = standby
        .activation
        .as_ref()
        .and_then(|a| a.installation_key.as_deref())?;
    (standby.state == SystemState::Active && own_key == Some(certified))
        .then(|| certified.to_string())
}

/// The limits of `standby`'s signed activation response (those recorded from it when its
/// signature no longer verifies: monitoring reports that on its own).
pub(crate) fn signed_limits(trust: &TrustStore, standby: &StoredSystem) -> LoadLimits {
    let Some(a) = &standby.activation else {
        return standby.limits.unwrap_or_default();
    };
    crate::trust::vendor_signed::<licdesk_core::ActivationResponse>(
        trust,
        &a.response_text,
        FileKind::ActivationResponse,
    )
    .ok()
    .map_or(a.limits, |r| r.limits)
    .unwrap_or_default()
}

/// Records in `tx` the violations this installation's whole journal shows up to `until`
/// (`entries`, in order), for each standby this desk is (`own`: this installation's key): on
/// `journal append` and `journal export`, so that an episode that has ended stays reported until
/// acknowledged, whatever monitoring (which only reads) sees of the running one. A journal that
/// no longer chains records nothing (monitoring reports it).
pub(crate) fn record_live_violations(
    tx: &Tx<'_>,
    trust: &TrustStore,
    own: Option<&str>,
    entries: &[JournalEntry],
    until: Timestamp,
    at: Timestamp,
) -> Result<(), DeskError> {
    let Some(last) = entries.last() else {
        return Ok(());
    };
    for standby in tx.all_systems()? {
        let Some(key) = is_own(&standby, own) else {
            continue;
        };
        let limits = signed_limits(trust, &standby);
        let Ok(evaluation) =
            live_intervals(None, entries, until).and_then(|ivs| evaluate(&ivs, &limits, until))
        else {
            continue;
        };
        tx.record_violations(&ShownViolations {
            failover: &standby.license,
            installation_key: &key,
            hardware_id: &standby.hardware.id,
            episodes: &evaluation.episodes,
            max_load_hours: limits.max_load_hours,
            journal_hash: &last.hash,
            at,
        })?;
    }
    Ok(())
}

impl Desk {
    /// This installation's live journal evaluated at `now` (or at its last entry, when that is a
    /// little ahead of the clock) against `limits`; why not, when the entries read no longer
    /// chain (changed outside License Desk).
    pub(crate) fn live_evaluation(
        &self,
        limits: &LoadLimits,
        now: Timestamp,
    ) -> Result<Result<Evaluation, Tamper>, DeskError> {
        let mut entries: Vec<JournalEntry> = Vec::new();
        let mut at = now;
        let start = loop {
            let before = entries.first().map(|e| e.seq);
            if before == Some(0) {
                break 0;
            }
            let mut page = self.store.journal_entries_back(before, PAGE)?;
            let whole = page.len() < PAGE;
            page.reverse();
            if entries.is_empty() {
                at = page.last().map_or(now, |l| l.at.max(now));
            }
            page.append(&mut entries);
            entries = page;
            if let Some(start) = current_window(&entries, at, limits) {
                break start;
            }
            if whole {
                break 0;
            }
        };
        let anchor = start.checked_sub(1).and_then(|i| entries.get(i));
        Ok(
            live_intervals(anchor, &entries[start..], at)
                .and_then(|ivs| evaluate(&ivs, limits, at)),
        )
    }

    /// The usage report of the standby this desk is, from its live journal: `recorded` (a journal
    /// of it imported here, whose tampered journals stay) with the live evaluation in its place,
    /// and the violations recorded for the FailoverSuite not acknowledged (but the one running
    /// now, which the evaluation shows).
    pub(crate) fn live_report(
        &self,
        standby: &StoredSystem,
        key: &str,
        limits: &LoadLimits,
        recorded: Option<UsageReport>,
        now: Timestamp,
    ) -> Result<Result<UsageReport, Tamper>, DeskError> {
        let evaluation = match self.live_evaluation(limits, now)? {
            Ok(e) => e,
            Err(tamper) => return Ok(Err(tamper)),
        };
        let running = evaluation
            .current
            .as_ref()
            .filter(|c| c.level == Level::Violation)
            .map(|c| c.start);
        let open_violations: Vec<Episode> = self
            .store
            .violations_of(&standby.license)?
            .into_iter()
            .filter(|v| v.acknowledged.is_none())
            .filter(|v| !(Some(v.episode.start) == running && v.installation_key == key))
            .map(|v| v.episode)
            .collect();
        let at = evaluation.at;
        let report = match recorded {
            Some(r) => UsageReport {
                evaluation: Some(evaluation),
                open_violations,
                installation_key: Some(key.to_string()),
                hardware_id: Some(standby.hardware.id.clone()),
                ..r
            },
            None => UsageReport {
                failover: standby.license.clone(),
                journal_hash: None,
                exported_at: None,
                activated_at: standby.activation.as_ref().map(|a| a.activated_at),
                activation_serial: None,
                hardware_id: Some(standby.hardware.id.clone()),
                installation_key: Some(key.to_string()),
                last_seq: None,
                last_hash: None,
                evaluation: Some(evaluation),
                violations_acknowledged: None,
                open_violations,
                tamper: None,
                tamper_hash: None,
                tampered: Vec::new(),
                imported_at: at,
            },
        };
        Ok(Ok(report))
    }
}

impl Desk {
    /// The usage report of `failover`'s standby when it is the standby this desk is: from its
    /// live journal, as of now (None otherwise, or when its entries no longer chain: then what
    /// was imported is all there is, and monitoring reports the change).
    pub(crate) fn own_live_report(
        &self,
        failover: &licdesk_core::LicenseNumber,
    ) -> Result<Option<UsageReport>, DeskError> {
        let Some(standby) = self
            .store
            .system(licdesk_core::Role::Standby, failover)?
            .filter(|s| s.state == SystemState::Active)
        else {
            return Ok(None);
        };
        let own = self.installation_public_key()?;
        let Some(key) = is_own(&standby, own.as_deref()) else {
            return Ok(None);
        };
        let limits = signed_limits(&self.trust, &standby);
        let recorded = self.store.usage_report(failover)?;
        Ok(self
            .live_report(&standby, &key, &limits, recorded, self.clock.now())?
            .ok())
    }
}
