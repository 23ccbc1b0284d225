//! What the detail of a license offers to do, and whether each action can succeed now: a shell
//! offers an action enabled only when it can, and otherwise disabled with the reason
//! ([`Unavailable`], a code and its values, said by each shell in its own words).
//!
//! The decision is the action's own: each is asked through the precondition function the action
//! itself applies before it changes anything ([`Desk::requestable_standby`],
//! [`Desk::main_request_allowed`], [`Desk::active_standby`] with
//! [`release_signed_by`](crate::release::release_signed_by), [`Desk::acknowledgeable`]), so the
//! view and the action cannot disagree. One judgement is the window's alone: a system that is
//! active and in date is not offered a new activation request (`already_active`) — the command
//! line still writes one, which is how a vendor re-signs an active standby with new limits.

use licdesk_core::{HardwareId, LicenseNumber, RuleViolation, Timestamp};
use serde::Serialize;

use crate::views::{FailoverView, LicenseSummary, Status, SystemView};
use crate::{Desk, DeskError, JournalRefusal, StandbyRefusal};

#[cfg(test)]
mod tests;

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
    fn of(action: Action, license: &LicenseNumber, reason: Option<Unavailable>) -> ActionView {
        ActionView {
            action,
            license: license.clone(),
            available: reason.is_none(),
            reason,
        }
    }
}

impl Unavailable {
    fn of_standby_refusal(refusal: StandbyRefusal) -> Unavailable {
        match refusal {
            StandbyRefusal::NoStandbyRegistered { .. } => Unavailable::NoStandby,
            StandbyRefusal::TypedStandbyWithoutKey { hardware_id, .. } => {
                Unavailable::TypedStandby { hardware_id }
            }
            StandbyRefusal::ReleaseNotOnStandby { hardware_id, .. } => {
                Unavailable::NotOnStandby { hardware_id }
            }
            other => Unavailable::Refused {
                error: other.into(),
            },
        }
    }

    fn of_rule(rule: RuleViolation) -> Unavailable {
        match rule {
            RuleViolation::MainIsStandby { failover, .. } => {
                Unavailable::ThisMachineIsStandby { failover }
            }
            RuleViolation::MainTaken { hwid, .. } => Unavailable::MainTaken { hardware_id: hwid },
            other => Unavailable::Refused {
                error: other.into(),
            },
        }
    }
}

/// A system active for the base license's current entitlements: no request is needed.
fn active_in_date(system: Option<&SystemView>) -> Option<Unavailable> {
    let system = system.filter(|s| s.status == Status::Active)?;
    Some(Unavailable::AlreadyActive {
        since: system.activated_at.unwrap_or(system.registered_at),
    })
}

impl Desk {
    /// The actions of the detail of `license` (as [`Desk::show`] read it), in the order the
    /// detail shows them, each with whether it can succeed now and why not.
    pub(crate) fn actions(&self, license: &LicenseSummary) -> Result<Vec<ActionView>, DeskError> {
        let mut actions = vec![
            // A base license takes any number of FailoverSuites (one per standby, R4, R7).
            ActionView::of(Action::AddFailover, &license.license, None),
            ActionView::of(
                Action::ExportMainRequest,
                &license.license,
                self.main_request_unavailable(license)?,
            ),
        ];
        for failover in &license.failovers {
            actions.extend(self.standby_actions(failover)?);
        }
        Ok(actions)
    }

    /// Why this machine's main-system request for `license` cannot be written now, if so.
    fn main_request_unavailable(
        &self,
        license: &LicenseSummary,
    ) -> Result<Option<Unavailable>, DeskError> {
        let hardware = match crate::this_machine() {
            Ok(hardware) => hardware,
            Err(error) => return Ok(Some(Unavailable::Refused { error })),
        };
        Ok(
            match self.main_request_allowed(&license.license, &hardware)? {
                Err(rule) => Some(Unavailable::of_rule(rule)),
                Ok(()) => active_in_date(license.main_system.as_ref()),
            },
        )
    }

    /// The actions on a FailoverSuite's standby, each listed where it applies: the notice while
    /// not acknowledged, releasing while a standby is active, acknowledging violations while
    /// one is open or running.
    fn standby_actions(&self, f: &FailoverView) -> Result<Vec<ActionView>, DeskError> {
        let license = &f.license;
        let standby = f.standby.as_ref();
        let mut actions = Vec::new();
        if standby.is_some_and(|s| s.notice_acknowledged_at.is_none()) {
            actions.push(ActionView::of(Action::AcknowledgeNotice, license, None));
        }
        // Registering another machine while the FailoverSuite is activated is what R4 refuses
        // (`rules::check_standby`: taken); a pending registration is replaced.
        let held =
            standby
                .filter(|s| s.status != Status::Pending)
                .map(|s| Unavailable::StandbyActive {
                    hardware_id: s.hardware_id.clone(),
                });
        actions.push(ActionView::of(Action::RegisterStandby, license, held));
        let export = match self.requestable_standby(license)? {
            Err(refusal) => Some(Unavailable::of_standby_refusal(refusal)),
            Ok(_) => active_in_date(standby),
        };
        actions.push(ActionView::of(
            Action::ExportStandbyRequest,
            license,
            export,
        ));
        if let Ok(active) = self.active_standby(license)? {
            let own = self
                .installation_public_key()?
                .and_then(|k| licdesk_core::trust::decode_public_key(&k).ok());
            let release = match own {
                Some(own) => crate::release::release_signed_by(&active, license, &own)
                    .err()
                    .map(Unavailable::of_standby_refusal),
                // No installation key yet: this desk was never any standby's installation.
                None => Some(Unavailable::NotOnStandby {
                    hardware_id: active.hardware.id,
                }),
            };
            actions.push(ActionView::of(Action::ReleaseStandby, license, release));
        }
        match self.acknowledgeable(license)? {
            Ok(_) => actions.push(ActionView::of(Action::AcknowledgeViolations, license, None)),
            Err(JournalRefusal::ViolationStillRunning { since, .. }) => {
                actions.push(ActionView::of(
                    Action::AcknowledgeViolations,
                    license,
                    Some(Unavailable::ViolationRunning { since }),
                ))
            }
            // No violation, running or ended: nothing to acknowledge, and nothing offered.
            Err(_) => {}
        }
        Ok(actions)
    }
}
