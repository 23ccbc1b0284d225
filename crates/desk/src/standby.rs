//! Standby registration (R4, R9, R13) and the standby/test-only notice (R11).

use crate::browse::system_view;
use crate::views::*;
use crate::StandbyRefusal;
use crate::{Desk, DeskError, Machine, MachineChoice};
use licdesk_core::{
    rules, Hardware, KnownSystem, LicenseNumber, LicenseProduct, Role, StandbyMode, Timestamp,
};
use licdesk_store::{Queries, SystemState};

impl Desk {
    pub(crate) fn known_systems(
        &self,
        except: Option<(Role, &LicenseNumber)>,
    ) -> Result<Vec<KnownSystem>, DeskError> {
        Ok(self
            .store
            .all_systems()?
            .into_iter()
            .filter(|s| {
                except.is_none_or(|(role, l)| {
                    !(s.role == role && &s.license == l && s.state == SystemState::Pending)
                })
            })
            .map(|s| KnownSystem {
                role: s.role,
                license: s.license,
                hardware: s.hardware,
            })
            .collect())
    }

    /// Registers the standby machine of a FailoverSuite (R4, R13). A pending registration of
    /// the same FailoverSuite is replaced; an active one with another machine is refused.
    pub fn register_standby(
        &mut self,
        failover: &LicenseNumber,
        machine: &MachineChoice,
        mode: StandbyMode,
    ) -> Result<SystemView, DeskError> {
        let machine = self.resolve_machine(machine)?;
        self.register_standby_machine(failover, machine, mode)
    }

    /// Registers a standby known only by its hardware (as if typed in: no installation key).
    pub fn register_standby_hardware(
        &mut self,
        failover: &LicenseNumber,
        hardware: Hardware,
        mode: StandbyMode,
    ) -> Result<SystemView, DeskError> {
        let machine = Machine {
            hardware,
            installation_key: None,
        };
        self.register_standby_machine(failover, machine, mode)
    }

    pub(crate) fn register_standby_machine(
        &mut self,
        failover: &LicenseNumber,
        machine: Machine,
        mode: StandbyMode,
    ) -> Result<SystemView, DeskError> {
        let hardware = machine.hardware;
        if failover.product() != LicenseProduct::FailoverSuite {
            return Err(self.not_a_failover(failover).into());
        }
        let cert = self.failover_cert(failover)?;
        let base = self.base(&cert.base_license)?;
        let known = self.known_systems(Some((Role::Standby, failover)))?;
        rules::check_standby(failover, &hardware, &known)?;
        let at = self.clock.now();
        let tx = self.store.write()?;
        stage_standby(
            &tx,
            failover,
            &cert.base_license,
            &hardware,
            machine.installation_key.as_deref(),
            mode,
            at,
        )?;
        tx.commit()?;
        let system = self
            .store
            .system(Role::Standby, failover)?
            .ok_or(StandbyRefusal::RegistrationNotStored)?;
        Ok(system_view(&system, &base.entitlement_digest))
    }

    pub(crate) fn not_a_failover(&self, license: &LicenseNumber) -> StandbyRefusal {
        let failovers = match self.store.failovers_of(license) {
            Ok(list) => list.into_iter().map(|f| f.certificate.license).collect(),
            Err(_) => Vec::new(),
        };
        StandbyRefusal::NotAFailover {
            license: license.clone(),
            failovers,
        }
    }

    /// R11: the administrator acknowledges the standby/test-only notice (recorded in the audit log).
    pub fn acknowledge_notice(&mut self, failover: &LicenseNumber) -> Result<Timestamp, DeskError> {
        let at = self.clock.now();
        let tx = self.store.write()?;
        if !tx.acknowledge_notice(failover, at)? {
            return Err(StandbyRefusal::NoStandbyToAcknowledge {
                failover: failover.clone(),
            }
            .into());
        }
        let notice = licdesk_core::standby_notice(
            &tx.system(Role::Standby, failover)?
                .and_then(|s| s.limits)
                .unwrap_or_default(),
        );
        tx.audit(at, "notice-acknowledged", failover.as_str(), &notice, None)?;
        tx.commit()?;
        Ok(at)
    }

    /// The R11 notice of a FailoverSuite's standby, naming the limits of its signed activation
    /// (the data sheet's five days when it has none yet).
    /// The R11 notice with the limits of the standby's signed activation; on a desk that holds no
    /// activated standby, those of the latest trusted journal's activation (the same vendor
    /// signature), else the standard ones.
    pub fn standby_notice(&self, failover: &LicenseNumber) -> Result<String, DeskError> {
        let limits = match self
            .store
            .system(Role::Standby, failover)?
            .and_then(|s| s.limits)
        {
            Some(limits) => limits,
            None => self
                .store
                .usage_report(failover)?
                .and_then(|r| r.evaluation.map(|e| e.limits))
                .unwrap_or_default(),
        };
        Ok(licdesk_core::standby_notice(&limits))
    }
}

/// Writes a standby registration into `tx`, with its audit entry. The same machine again changes
/// only its mode (R9: cold, hot and test are licensed alike); another machine replaces a pending
/// registration.
pub(crate) fn stage_standby(
    tx: &licdesk_store::Tx<'_>,
    failover: &LicenseNumber,
    base_license: &LicenseNumber,
    hardware: &Hardware,
    installation_key: Option<&str>,
    mode: StandbyMode,
    at: Timestamp,
) -> Result<(), DeskError> {
    match tx.system(Role::Standby, failover)? {
        Some(s) if s.hardware.id == hardware.id && s.state == SystemState::Active => {
            tx.set_mode(Role::Standby, failover, mode)?
        }
        _ => tx.put_pending_system(
            Role::Standby,
            failover,
            base_license,
            hardware,
            Some(mode),
            installation_key,
            at,
        )?,
    }
    let detail = format!(
        "standby {} registered for FailoverSuite {failover} of {base_license} as {}",
        hardware.id,
        mode.describe()
    );
    tx.audit(at, "standby-registered", failover.as_str(), &detail, None)?;
    Ok(())
}
