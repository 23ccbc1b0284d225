//! The licensing rules that decide whether a system may be registered or activated (R2, R4, R7,
//! R13). Pure functions over what the caller knows: the desk passes its store, the vendor tool
//! its ledger.

use crate::hwid::Hardware;
use crate::ids::{HardwareId, LicenseNumber};
use crate::model::Role;

/// A system someone already holds: a main system of a base license, or the standby of a
/// FailoverSuite license.
#[derive(Debug, Clone)]
pub struct KnownSystem {
    pub role: Role,
    /// The base license (main) or the FailoverSuite license (standby).
    pub license: LicenseNumber,
    pub hardware: Hardware,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RuleViolation {
    #[error("the machine {hwid} is the main system of {base}, and a standby can never be a main system (R4): register the standby's own hardware ID")]
    StandbyIsMainSystem {
        hwid: HardwareId,
        base: LicenseNumber,
    },
    #[error("the machine {hwid} is already the standby of FailoverSuite {other}: each standby machine needs its own FailoverSuite license (R4, R7), so choose another machine for {failover}")]
    AlreadyStandbyOfAnother {
        hwid: HardwareId,
        other: LicenseNumber,
        failover: LicenseNumber,
    },
    #[error("FailoverSuite {failover} is already activated for the standby {hwid}: one FailoverSuite license serves exactly one standby machine (R4). If that standby's hardware was replaced, write a release request on it (licdesk standby release-request) and import the vendor's release first; if the machine is lost, ask the vendor to release it by hand; for another standby, order another FailoverSuite license")]
    FailoverTaken {
        failover: LicenseNumber,
        hwid: HardwareId,
    },
    #[error("the machine {hwid} is the standby of FailoverSuite {failover} and cannot be a main system (R4): activate the main system on its own machine, or release the standby first")]
    MainIsStandby {
        hwid: HardwareId,
        failover: LicenseNumber,
    },
    #[error("base license {base} is already activated for the main system {hwid}: one base license licenses one main system (R14), so a second system that shares the load needs its own base license")]
    MainTaken {
        base: LicenseNumber,
        hwid: HardwareId,
    },
}

/// R4/R7: may `hardware` become the standby of `failover`, given the systems already held?
pub fn check_standby(
    failover: &LicenseNumber,
    hardware: &Hardware,
    known: &[KnownSystem],
) -> Result<(), RuleViolation> {
    // What the machine already is comes first: that is what the person has to change.
    for k in known
        .iter()
        .filter(|k| k.hardware.is_same_machine(hardware))
    {
        match k.role {
            Role::Main => {
                return Err(RuleViolation::StandbyIsMainSystem {
                    hwid: hardware.id.clone(),
                    base: k.license.clone(),
                })
            }
            Role::Standby if &k.license != failover => {
                return Err(RuleViolation::AlreadyStandbyOfAnother {
                    hwid: hardware.id.clone(),
                    other: k.license.clone(),
                    failover: failover.clone(),
                })
            }
            Role::Standby => {}
        }
    }
    if let Some(k) = known.iter().find(|k| {
        k.role == Role::Standby && &k.license == failover && !k.hardware.is_same_machine(hardware)
    }) {
        return Err(RuleViolation::FailoverTaken {
            failover: failover.clone(),
            hwid: k.hardware.id.clone(),
        });
    }
    Ok(())
}

/// R4/R14: may `hardware` become the main system of `base`?
pub fn check_main(
    base: &LicenseNumber,
    hardware: &Hardware,
    known: &[KnownSystem],
) -> Result<(), RuleViolation> {
    if let Some(k) = known
        .iter()
        .find(|k| k.role == Role::Standby && k.hardware.is_same_machine(hardware))
    {
        return Err(RuleViolation::MainIsStandby {
            hwid: hardware.id.clone(),
            failover: k.license.clone(),
        });
    }
    if let Some(k) = known.iter().find(|k| {
        k.role == Role::Main && &k.license == base && !k.hardware.is_same_machine(hardware)
    }) {
        return Err(RuleViolation::MainTaken {
            base: base.clone(),
            hwid: k.hardware.id.clone(),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hwid::{Component, ComponentKind};
    use crate::ids::LicenseProduct;

    fn machine(name: &str) -> Hardware {
        Hardware::from_components(
            vec![
                Component::from_raw(ComponentKind::MachineId, name),
                Component::from_raw(ComponentKind::Nic, &format!("{name}-nic")),
            ],
            Some(name.into()),
        )
    }

    fn lic(product: LicenseProduct, n: u8) -> LicenseNumber {
        LicenseNumber::from_random(product, [n, n, n, n, n])
    }

    fn known(role: Role, license: &LicenseNumber, hw: &Hardware) -> KnownSystem {
        KnownSystem {
            role,
            license: license.clone(),
            hardware: hw.clone(),
        }
    }

    #[test]
    fn r4_a_standby_cannot_use_a_main_systems_hardware_id() {
        let base = lic(LicenseProduct::Suite, 1);
        let fo = lic(LicenseProduct::FailoverSuite, 2);
        let main = machine("main");
        let err = check_standby(&fo, &main, &[known(Role::Main, &base, &main)]).unwrap_err();
        assert!(matches!(err, RuleViolation::StandbyIsMainSystem { .. }));
    }

    #[test]
    fn r4_r7_one_machine_cannot_stand_by_for_two_failover_licenses() {
        let fo1 = lic(LicenseProduct::FailoverSuite, 1);
        let fo2 = lic(LicenseProduct::FailoverSuite, 2);
        let standby = machine("standby");
        let err =
            check_standby(&fo2, &standby, &[known(Role::Standby, &fo1, &standby)]).unwrap_err();
        assert!(err
            .to_string()
            .contains("needs its own FailoverSuite license"));
    }

    #[test]
    fn r4_one_failover_license_serves_one_standby_but_the_same_one_again() {
        let fo = lic(LicenseProduct::FailoverSuite, 1);
        let held = [known(Role::Standby, &fo, &machine("s1"))];
        assert!(matches!(
            check_standby(&fo, &machine("s2"), &held),
            Err(RuleViolation::FailoverTaken { .. })
        ));
        assert!(check_standby(&fo, &machine("s1"), &held).is_ok());
    }

    #[test]
    fn r4_the_rule_sees_through_a_replaced_network_card() {
        let base = lic(LicenseProduct::Suite, 1);
        let fo = lic(LicenseProduct::FailoverSuite, 2);
        let main = machine("main");
        let mut swapped = main.components.clone();
        swapped.retain(|c| c.kind != ComponentKind::Nic);
        swapped.push(Component::from_raw(ComponentKind::MachineId, "main"));
        swapped.push(Component::from_raw(ComponentKind::Cpu, "cpu"));
        let renamed = Hardware::from_components(swapped, None);
        assert_ne!(renamed.id, main.id);
        // Same machine id, no shared hardware witness on both sides → the rule needs a witness
        // only when both sides have hardware readings; here the original has a NIC, the new one a CPU.
        let held = [known(Role::Main, &base, &main)];
        assert!(check_standby(&fo, &renamed, &held).is_err());
    }

    #[test]
    fn r4_what_the_machine_already_is_is_reported_before_a_taken_license() {
        let fo1 = lic(LicenseProduct::FailoverSuite, 1);
        let fo2 = lic(LicenseProduct::FailoverSuite, 2);
        let held = [
            known(Role::Standby, &fo2, &machine("s2")),
            known(Role::Standby, &fo1, &machine("s1")),
        ];
        assert!(matches!(
            check_standby(&fo2, &machine("s1"), &held),
            Err(RuleViolation::AlreadyStandbyOfAnother { .. })
        ));
    }

    #[test]
    fn a_main_system_cannot_be_a_standby_or_a_second_machine() {
        let base = lic(LicenseProduct::Suite, 1);
        let fo = lic(LicenseProduct::FailoverSuite, 2);
        let s = machine("s");
        assert!(matches!(
            check_main(&base, &s, &[known(Role::Standby, &fo, &s)]),
            Err(RuleViolation::MainIsStandby { .. })
        ));
        let held = [known(Role::Main, &base, &machine("m1"))];
        assert!(matches!(
            check_main(&base, &machine("m2"), &held),
            Err(RuleViolation::MainTaken { .. })
        ));
        assert!(check_main(&base, &machine("m1"), &held).is_ok());
    }
}
