//! The actions a license's detail offers, as the shells receive them: each with whether it can
//! succeed now and, when not, why ([`Unavailable`], a code and its values, said by each shell in
//! its own words). What decides them is `actions.rs`.

use licdesk_core::{HardwareId, LicenseNumber, Timestamp};
use serde::Serialize;

use crate::error::DeskError;

/// An action of a license's detail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Import the certificate of a FailoverSuite for the base license (R2).
    AddFailover,
    /// Write the main system's activation request (this machine).
    ExportMainRequest,
    /// Acknowledge a standby's standby/test-only notice (R11).
    AcknowledgeNotice,
    /// Register (or change) a FailoverSuite's standby machine (R4, R9, R13).
    RegisterStandby,
    /// Write the registered standby's activation request (or its re-activation, R5).
    ExportStandbyRequest,
    /// Write the release request of a standby whose hardware is replaced (R4).
    ReleaseStandby,
    /// Acknowledge the ended five-day violations of a standby (R12).
    AcknowledgeViolations,
}

/// One action of the detail, on one license, and whether it can succeed now.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ActionView {
    pub action: Action,
    /// What it acts on: the base license (adding a FailoverSuite, the main system's request) or
    /// a FailoverSuite license (its standby).
    pub license: LicenseNumber,
    pub available: bool,
    /// Why not, when it is not available.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<Unavailable>,
}

/// Why an action cannot succeed now, with its values (`{"code": …, …}`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum Unavailable {
    /// The system is active and in date since `since`: a new request is needed only once the
    /// main system's licenses change (R5).
    AlreadyActive { since: Timestamp },
    /// No standby is registered for the FailoverSuite yet.
    NoStandby,
    /// The standby was registered from a typed hardware ID, which carries no installation key
    /// for the vendor to certify: register it from its hardware-ID file.
    TypedStandby { hardware_id: HardwareId },
    /// The FailoverSuite is activated for this standby (R4): another machine only after the
    /// vendor's release.
    StandbyActive { hardware_id: HardwareId },
    /// Only the standby installation itself can ask for its release (its key signs the request).
    NotOnStandby { hardware_id: HardwareId },
    /// The load phase over the limit since `since` is still running: it can be acknowledged
    /// once it has ended (an idle gap) and the journal shows that.
    ViolationRunning { since: Timestamp },
    /// This machine is the standby of `failover`, and a standby is never a main system (R4).
    ThisMachineIsStandby { failover: LicenseNumber },
    /// The base license is activated for another main system (R14).
    MainTaken { hardware_id: HardwareId },
    /// The action's own refusal for another reason (this machine's hardware unreadable, a
    /// damaged installation key, …), as it gives it.
    Refused { error: DeskError },
}

impl ActionView {
    pub(crate) fn of(
        action: Action,
        license: &LicenseNumber,
        reason: Option<Unavailable>,
    ) -> ActionView {
        ActionView {
            action,
            license: license.clone(),
            available: reason.is_none(),
            reason,
        }
    }
}
