//! What the detail of a license offers to do, and whether each action can succeed now: a shell
//! offers an action enabled only when it can, and otherwise disabled with the reason
//! ([`Unavailable`](crate::action_view::Unavailable), a code and its values, said by each shell
//! in its own words).
//!
//! The decision is the action's own: each is asked through the precondition function the action
//! itself applies before it changes anything ([`Desk::requestable_standby`],
//! [`Desk::main_request_allowed`], [`Desk::active_standby`] with
//! [`release_signed_by`](crate::release::release_signed_by), [`Desk::acknowledgeable`]), so the
//! view and the action cannot disagree. One judgement is the window's alone: a system that is
//! active and in date is not offered a new activation request (`already_active`) — the command
//! line still writes one, which is how a vendor re-signs an active standby with new limits.

use licdesk_core::RuleViolation;

use crate::action_view::{Action, ActionView, Unavailable};
use crate::views::{FailoverView, LicenseSummary, Status, SystemView};
use crate::{Desk, DeskError, JournalRefusal, StandbyRefusal};

#[cfg(test)]
mod tests;

// The reasons the actions' own refusals give (beside the type, in action_view.rs, which names
// nothing of the refusals: the views stay below them).
impl Unavailable {
    /// The reason a refusal of an action's own precondition gives.
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

    /// The reason a licensing rule (R4, R14) gives.
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
