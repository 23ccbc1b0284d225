//! The actions a license's detail offers agree with the actions themselves: each one said
//! available succeeds when done, each one said unavailable is refused for the reason given.
#![allow(clippy::unwrap_used)]

use licdesk_core::usage::UsageState;
use licdesk_core::{Hardware, HardwareId, LicenseNumber, Role, StandbyMode};

use crate::action_view::{Action, ActionView, Unavailable};
use crate::test_world::{world, World};
use crate::{Desk, ErrorCode, IfExists};

fn actions_of(desk: &Desk, license: &LicenseNumber) -> Vec<ActionView> {
    desk.show(license).unwrap().actions
}

fn find(actions: &[ActionView], action: Action) -> Option<&ActionView> {
    actions.iter().find(|a| a.action == action)
}

/// The view of `action` on `license` in `w`'s desk (it must be listed).
fn view(w: &World, action: Action) -> ActionView {
    let actions = actions_of(&w.desk, &w.base.license);
    find(&actions, action)
        .unwrap_or_else(|| panic!("{action:?} is not offered: {actions:?}"))
        .clone()
}

fn listed(w: &World, action: Action) -> bool {
    find(&actions_of(&w.desk, &w.base.license), action).is_some()
}

fn export_standby(w: &mut World, name: &str) -> Result<(), crate::DeskError> {
    let out = w.dir.path().join(name);
    w.desk
        .write_request(&w.failover, Role::Standby, None, &out, IfExists::Refuse)
        .map(|_| ())
}

fn export_main(w: &mut World, name: &str) -> Result<(), crate::DeskError> {
    let out = w.dir.path().join(name);
    w.desk
        .write_request(&w.base.license, Role::Main, None, &out, IfExists::Refuse)
        .map(|_| ())
}

#[test]
fn a_new_failover_suite_offers_registering_its_standby_and_says_why_it_cannot_export_yet() {
    let mut w = world();
    let actions = actions_of(&w.desk, &w.base.license);
    let order: Vec<Action> = actions.iter().map(|a| a.action).collect();
    assert_eq!(
        order,
        [
            Action::AddFailover,
            Action::ExportMainRequest,
            Action::RegisterStandby,
            Action::ExportStandbyRequest,
        ],
        "no notice, release or violation without a standby"
    );
    assert!(view(&w, Action::AddFailover).available);
    assert!(view(&w, Action::RegisterStandby).available);
    let export = view(&w, Action::ExportStandbyRequest);
    assert_eq!(export.license, w.failover);
    assert_eq!(export.reason, Some(Unavailable::NoStandby));
    let refused = export_standby(&mut w, "none.actreq").unwrap_err();
    assert_eq!(refused.params.unwrap()["refusal"], "no_standby_registered");
    // The reason as the window reads it: a code and its values.
    let json = serde_json::to_value(&export).unwrap();
    assert_eq!(json["action"], "export_standby_request");
    assert_eq!(json["available"], false);
    assert_eq!(json["reason"]["code"], "no_standby");
}

#[test]
fn a_standby_typed_in_cannot_be_exported_and_the_refusal_agrees() {
    let mut w = world();
    let typed = Hardware::from_code(HardwareId::from_digest(b"typed in by hand"));
    w.desk
        .register_standby_hardware(&w.failover, typed.clone(), StandbyMode::Cold)
        .unwrap();
    assert!(
        view(&w, Action::RegisterStandby).available,
        "registered again from its file"
    );
    assert!(view(&w, Action::AcknowledgeNotice).available);
    let export = view(&w, Action::ExportStandbyRequest);
    assert_eq!(
        export.reason,
        Some(Unavailable::TypedStandby {
            hardware_id: typed.id
        })
    );
    let refused = export_standby(&mut w, "typed.actreq").unwrap_err();
    assert_eq!(refused.code, ErrorCode::NoInstallationKey);
    assert!(
        !listed(&w, Action::ReleaseStandby),
        "nothing active to release"
    );
}

#[test]
fn an_active_standby_is_not_offered_another_request_until_its_main_system_changes_r5() {
    let mut w = world();
    let (hardware, key) = w.register_from_file(b"standby from its file");
    let export = view(&w, Action::ExportStandbyRequest);
    assert!(export.available, "{export:?}");
    w.activate_standby(
        &hardware,
        licdesk_core::InstallationKey::of(&key.verifying_key()),
    );
    let activated_at = w.desk.now();

    let export = view(&w, Action::ExportStandbyRequest);
    assert_eq!(
        export.reason,
        Some(Unavailable::AlreadyActive {
            since: activated_at
        })
    );
    // Another machine is refused by R4 while the FailoverSuite is activated; the view says so.
    let register = view(&w, Action::RegisterStandby);
    assert_eq!(
        register.reason,
        Some(Unavailable::StandbyActive {
            hardware_id: hardware.id.clone()
        })
    );
    let other = Hardware::from_code(HardwareId::from_digest(b"another machine"));
    let refused = w
        .desk
        .register_standby_hardware(&w.failover, other, StandbyMode::Hot)
        .unwrap_err();
    assert_eq!(
        refused.code,
        ErrorCode::RuleViolation,
        "{}",
        refused.message
    );

    // The main system's licenses change: the standby is out of date and its re-activation is
    // offered — and can be written.
    w.upgrade_base();
    assert!(view(&w, Action::ExportStandbyRequest).available);
    export_standby(&mut w, "again.actreq").unwrap();
}

#[test]
fn a_release_is_offered_only_on_the_standby_itself_and_refused_elsewhere_r4() {
    // On a reseller's desk the standby's release request cannot be signed: said, and refused.
    let mut w = world();
    let (hardware, key) = w.register_from_file(b"standby elsewhere");
    assert!(
        !listed(&w, Action::ReleaseStandby),
        "pending: nothing to release"
    );
    w.activate_standby(
        &hardware,
        licdesk_core::InstallationKey::of(&key.verifying_key()),
    );
    let release = view(&w, Action::ReleaseStandby);
    assert_eq!(
        release.reason,
        Some(Unavailable::NotOnStandby {
            hardware_id: hardware.id.clone()
        })
    );
    let out = w.dir.path().join("release.relreq");
    let refused = w
        .desk
        .write_release_request(&w.failover, "hardware replaced", &out, IfExists::Refuse)
        .unwrap_err();
    assert_eq!(refused.params.unwrap()["refusal"], "release_not_on_standby");

    // On the standby's own desk it is offered, and written.
    let mut w = world();
    let (hardware, key) = w.register_this_machine();
    w.activate_standby(&hardware, key);
    assert!(view(&w, Action::ReleaseStandby).available);
    w.desk
        .write_release_request(&w.failover, "hardware replaced", &out, IfExists::Refuse)
        .unwrap();
}

#[test]
fn the_main_systems_request_says_when_this_machine_cannot_be_one_r4_r14() {
    let mut w = world();
    assert!(view(&w, Action::ExportMainRequest).available);
    // This machine becomes the standby: it can never be a main system (R4).
    let (hardware, key) = w.register_this_machine();
    w.activate_standby(&hardware, key);
    let main = view(&w, Action::ExportMainRequest);
    assert_eq!(
        main.reason,
        Some(Unavailable::ThisMachineIsStandby {
            failover: w.failover.clone()
        })
    );
    let refused = export_main(&mut w, "main.actreq").unwrap_err();
    assert_eq!(
        refused.code,
        ErrorCode::RuleViolation,
        "{}",
        refused.message
    );
}

#[test]
fn a_written_main_request_stays_offered_until_its_system_is_active() {
    let mut w = world();
    export_main(&mut w, "main.actreq").unwrap();
    // Pending (the request is with the vendor): writing it again is allowed, and offered.
    assert!(view(&w, Action::ExportMainRequest).available);
    export_main(&mut w, "main-again.actreq").unwrap();
}

#[test]
fn a_running_violation_cannot_be_acknowledged_until_its_phase_has_ended_r12() {
    let mut w = world();
    let (hardware, key) = w.register_this_machine();
    w.activate_standby(&hardware, key);
    assert!(view(&w, Action::AcknowledgeNotice).available);
    w.desk.acknowledge_notice(&w.failover).unwrap();
    assert!(
        !listed(&w, Action::AcknowledgeNotice),
        "acknowledged: nothing more to do"
    );
    assert!(!listed(&w, Action::AcknowledgeViolations), "no violation");

    // Under load for 125 h on the standby's own desk: a violation, still running.
    w.hours_pass(1);
    w.desk.journal_append(UsageState::Load, None).unwrap();
    let since = w.desk.now();
    w.hours_pass(125);
    let acknowledge = view(&w, Action::AcknowledgeViolations);
    assert_eq!(
        acknowledge.reason,
        Some(Unavailable::ViolationRunning { since })
    );
    let refused = w
        .desk
        .acknowledge_violations(&w.failover, "looked into it")
        .unwrap_err();
    assert_eq!(refused.code, ErrorCode::ViolationRunning);

    // Idle for a whole gap: the phase has ended, and can be acknowledged.
    w.desk.journal_append(UsageState::Idle, None).unwrap();
    w.hours_pass(25);
    assert!(view(&w, Action::AcknowledgeViolations).available);
    w.desk
        .acknowledge_violations(&w.failover, "looked into it")
        .unwrap();
    assert!(!listed(&w, Action::AcknowledgeViolations));
}
