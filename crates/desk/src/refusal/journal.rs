//! Refusals about usage journals: appending to and exporting this standby's own journal,
//! importing a standby's journal (refused or recorded as tampered), and an administrator's
//! review (dismissing a tampered journal, acknowledging past violations).

use licdesk_core::usage::{Tamper, UsageState};
use licdesk_core::{FileError, LicenseNumber, Timestamp};
use serde::Serialize;

use crate::journal_import::{dismiss, tamper_advice};
use crate::{ErrorCode, NextStep};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[serde(tag = "refusal", rename_all = "snake_case")]
pub enum JournalRefusal {
    #[error("{at} is more than 1 h after this machine's clock ({clock}): the usage journal is append-only, so an entry in the future could never be taken back. Give the time the standby went {} (or none, for now), and check the system clock if it is wrong", .state.code())]
    EntryInFuture {
        at: Timestamp,
        clock: Timestamp,
        state: UsageState,
    },
    #[error("{at} is not after the journal's last entry at {last}: the usage journal is append-only, each entry strictly later than the one before. If the clock runs backwards, fix the system clock")]
    EntryNotAfterLast { at: Timestamp, last: Timestamp },
    #[error("{at} is before the journal's latest export at {exported}, which already reported the standby's state up to then: the usage journal is append-only, so that time cannot be changed any more. Record what happens from now on")]
    EntryBeforeExport { at: Timestamp, exported: Timestamp },
    #[error("this desk holds no activated standby of its own: activate this machine as a standby from this desk first (register this machine, write its request, import the response)")]
    NoOwnStandby,
    #[error("the system clock ({clock}) is behind the journal's last entry ({last}): fix the system clock and export again (a journal exported now would look like a clock running backwards and be reported as tampered). If the clock is right, that entry was recorded with a wrong time: export once the clock has passed it")]
    ClockBehindJournal { clock: Timestamp, last: Timestamp },
    #[error("the usage journal does not carry a valid activation of its standby: {problem}")]
    JournalActivationInvalid {
        #[serde(serialize_with = "super::text")]
        problem: FileError,
    },
    #[error("the usage journal names FailoverSuite {failover}, but carries the activation of {activation}")]
    JournalOtherActivation {
        failover: LicenseNumber,
        activation: LicenseNumber,
    },
    #[error("the usage journal's signature does not verify (it names key {key_id}): it was changed after it was signed, or is not a journal of that installation. It was recorded as tampered, for monitoring; nothing in it was used. {}", tamper_advice(.journal))]
    JournalSignatureFails {
        /// The key id the journal names (as written in it).
        key_id: String,
        /// The journal's SHA-256.
        journal: String,
    },
    #[error("the usage journal of {failover} cannot be trusted: {tamper}. It was recorded as tampered and nothing in it was used. {}", tamper_advice(.journal))]
    JournalTampered {
        failover: LicenseNumber,
        tamper: Tamper,
        journal: String,
    },
    #[error("this usage journal of {failover} was already imported and is recorded as tampered: {tamper}. {}", tamper_advice(.journal))]
    JournalAlreadyTampered {
        failover: LicenseNumber,
        tamper: Tamper,
        journal: String,
    },
    #[error("this usage journal of {failover} was exported at {exported_at}, not after the journal already recorded (exported at {recorded_at}): it is older than the journal already recorded, and nothing was changed. Import the standby's latest journal")]
    JournalOlder {
        failover: LicenseNumber,
        exported_at: Timestamp,
        recorded_at: Timestamp,
    },
    #[error("this usage journal of {failover} carries the standby's activation of {activated_at}, but the standby's current activation is of {current}: its limits may have changed, and nothing was changed. Import the current activation response on the standby, export its journal again and import that")]
    JournalActivationSuperseded {
        failover: LicenseNumber,
        activated_at: Timestamp,
        current: Timestamp,
    },
    #[error("'{given}' is not a journal's SHA-256: give at least its first 8 hex characters, as monitoring shows them")]
    NotAJournalHash { given: String },
    #[error("say why the journal is dismissed: the audit log keeps it")]
    DismissReasonMissing,
    #[error("no tampered journal with SHA-256 {journal}… is reported: monitoring lists the ones that are")]
    NoTamperedJournal { journal: String },
    #[error("{count} tampered journals start with {journal}: give more of the SHA-256")]
    AmbiguousJournal { count: usize, journal: String },
    #[error("say why the violation is acknowledged: the audit log keeps it")]
    AcknowledgeReasonMissing,
    #[error("no trusted usage journal of FailoverSuite {failover} has been imported: there is no violation to acknowledge")]
    NoTrustedJournal { failover: LicenseNumber },
    #[error("the violation of FailoverSuite {failover} is still running (the episode since {since}, as of {as_of}): it can be acknowledged once it has ended — after an idle gap of {gap_hours} h — and the journal shows that: on the standby itself at once, elsewhere once a journal exported after that is imported")]
    ViolationStillRunning {
        failover: LicenseNumber,
        since: Timestamp,
        as_of: Timestamp,
        gap_hours: u32,
    },
    #[error("FailoverSuite {failover} has no past violation to acknowledge (as of {as_of}): monitoring lists what is reported")]
    NoPastViolation {
        failover: LicenseNumber,
        as_of: Timestamp,
    },
}

impl JournalRefusal {
    pub fn code(&self) -> ErrorCode {
        use JournalRefusal as R;
        match self {
            R::EntryInFuture { .. }
            | R::EntryNotAfterLast { .. }
            | R::EntryBeforeExport { .. }
            | R::ClockBehindJournal { .. }
            | R::NotAJournalHash { .. }
            | R::DismissReasonMissing
            | R::AmbiguousJournal { .. }
            | R::AcknowledgeReasonMissing => ErrorCode::InvalidInput,
            R::NoOwnStandby
            | R::NoTamperedJournal { .. }
            | R::NoTrustedJournal { .. }
            | R::NoPastViolation { .. } => ErrorCode::NotFound,
            R::JournalActivationInvalid { .. } | R::JournalOtherActivation { .. } => {
                ErrorCode::InvalidContent
            }
            R::JournalSignatureFails { .. } => ErrorCode::BadSignature,
            R::JournalTampered { .. } | R::JournalAlreadyTampered { .. } => ErrorCode::Tampered,
            R::JournalOlder { .. } | R::JournalActivationSuperseded { .. } => ErrorCode::Conflict,
            R::ViolationStillRunning { .. } => ErrorCode::ViolationRunning,
        }
    }

    pub fn next(&self) -> Option<NextStep> {
        use JournalRefusal as R;
        match self {
            R::EntryInFuture { .. } => Some(NextStep::LeaveOutTime),
            R::NoOwnStandby => Some(NextStep::ActivateThisMachine),
            R::JournalSignatureFails { journal, .. }
            | R::JournalTampered { journal, .. }
            | R::JournalAlreadyTampered { journal, .. } => Some(dismiss(journal)),
            R::JournalOlder { .. } => Some(NextStep::ImportLatestJournal),
            R::JournalActivationSuperseded { .. } => Some(NextStep::ReexportJournal),
            R::NotAJournalHash { .. } | R::NoTamperedJournal { .. } | R::NoPastViolation { .. } => {
                Some(NextStep::SeeMonitoring)
            }
            R::DismissReasonMissing | R::AcknowledgeReasonMissing => Some(NextStep::GiveReason),
            _ => None,
        }
    }
}
