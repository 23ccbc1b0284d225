//! Activation requests written to a file for the vendor (the offline activation, step 4).

use crate::standby::stage_standby;
use crate::views::*;
use crate::StandbyRefusal;
use crate::{files, Desk, DeskError, IfExists, MachineChoice};
use licdesk_core::{
    rules, seal, ActivationRequest, FileKind, LicenseNumber, LicenseProduct, Role, RuleViolation,
    StandbyMode,
};
use licdesk_store::{Queries, StoredFailover, StoredRequest, StoredSystem};
use rand_core::RngCore;
use std::path::Path;

impl Desk {
    /// Writes an activation request to `out` (the offline activation, step 4). For a standby, `license` is the
    /// FailoverSuite license and the machine defaults to the registered standby; for a main
    /// system, `license` is the base license and the machine defaults to this machine.
    pub fn write_request(
        &mut self,
        license: &LicenseNumber,
        role: Role,
        machine: Option<&MachineChoice>,
        out: &Path,
        if_exists: IfExists,
    ) -> Result<RequestWritten, DeskError> {
        let output = self.output(out, if_exists);
        output.check()?;
        let mut standby_to_register = None;
        let (base_number, mut certificates, hardware, mode, installation_key) = match role {
            Role::Standby => match machine {
                // The registered standby, as it is.
                None => {
                    let (fo, system) = self
                        .requestable_standby(license)?
                        .map_err(DeskError::from)?;
                    (
                        fo.certificate.base_license,
                        vec![fo.certificate_text],
                        system.hardware,
                        system.mode,
                        system
                            .installation_key
                            .map(licdesk_core::InstallationKey::from),
                    )
                }
                Some(choice) => {
                    if license.product() != LicenseProduct::FailoverSuite {
                        return Err(self.not_a_failover(license).into());
                    }
                    let fo = self.store.failover(license)?.ok_or_else(|| {
                        StandbyRefusal::FailoverNotInStore {
                            license: license.clone(),
                        }
                    })?;
                    let registered = self.store.system(Role::Standby, license)?;
                    let named = self.resolve_machine(choice)?;
                    let same = registered
                        .as_ref()
                        .is_some_and(|s| s.hardware.id == named.hardware.id);
                    let mode = registered.as_ref().and_then(|s| s.mode);
                    if !same {
                        // A new standby: registered with the request, in its transaction,
                        // so that a request that cannot be written leaves no registration.
                        let known = self.known_systems(Some((Role::Standby, license)))?;
                        rules::check_standby(license, &named.hardware, &known)?;
                        standby_to_register = Some((
                            named.hardware.clone(),
                            named.installation_key.clone(),
                            mode.unwrap_or(StandbyMode::Cold),
                        ));
                    }
                    let key = match (same, registered) {
                        (true, Some(s)) => s
                            .installation_key
                            .map(licdesk_core::InstallationKey::from)
                            .or(named.installation_key),
                        _ => named.installation_key,
                    };
                    (
                        fo.certificate.base_license.clone(),
                        vec![fo.certificate_text],
                        named.hardware,
                        Some(mode.unwrap_or(StandbyMode::Cold)),
                        key,
                    )
                }
            },
            Role::Main => {
                if license.product() != LicenseProduct::Suite {
                    return Err(StandbyRefusal::FailoverAsMain {
                        license: license.clone(),
                    }
                    .into());
                }
                let hardware = match machine {
                    Some(choice) => self.resolve_machine(choice)?.hardware,
                    None => crate::this_machine()?,
                };
                self.main_request_allowed(license, &hardware)??;
                (license.clone(), vec![], hardware, None, None)
            }
        };
        if role == Role::Standby && installation_key.is_none() {
            // The vendor certifies the standby installation's key (its usage journals and a later
            // release are signed with it): a hardware ID typed by hand carries none.
            return Err(StandbyRefusal::TypedStandbyWithoutKey {
                license: license.clone(),
                hardware_id: hardware.id,
            }
            .into());
        }
        let base = self.base(&base_number)?;
        certificates.insert(0, base.certificate_text.clone());
        let key = self.installation_key()?;
        let mut nonce_bytes = [0u8; 32];
        rand_core::OsRng.fill_bytes(&mut nonce_bytes);
        let nonce = licdesk_core::request_nonce(&nonce_bytes);
        let at = self.clock.now();
        let request = ActivationRequest {
            nonce: nonce.clone(),
            created_at: at,
            license: license.clone(),
            role,
            hardware: hardware.clone(),
            mirrors: base_number.clone(),
            mode,
            certificates,
            installation_key,
        };
        let text = seal(FileKind::ActivationRequest, &request, &key);
        let hash = files::sha256_hex(text.as_bytes());
        let tx = self.store.write()?;
        if let Some((standby, key, mode)) = &standby_to_register {
            stage_standby(
                &tx,
                license,
                &base_number,
                standby,
                key.as_deref(),
                *mode,
                at,
            )?;
        }
        if role == Role::Main {
            let existing = tx.system(Role::Main, license)?;
            if existing
                .as_ref()
                .is_none_or(|s| s.hardware.id != hardware.id)
            {
                tx.put_pending_system(
                    Role::Main,
                    license,
                    &base_number,
                    &hardware,
                    None,
                    None,
                    at,
                )?;
            }
        }
        tx.put_request(
            &StoredRequest {
                nonce: nonce.clone(),
                license: license.clone(),
                role,
                hardware_id: hardware.id.clone(),
                created_at: at,
                answered_at: None,
            },
            &hash,
        )?;
        let detail = format!(
            "activation request for {license} as {} on {} written to {}",
            role.code(),
            hardware.id,
            out.display()
        );
        tx.audit(
            at,
            "request-written",
            license.as_str(),
            &detail,
            Some(&hash),
        )?;
        output.write(text.as_bytes())?;
        if let Err(e) = tx.commit() {
            let _ = std::fs::remove_file(out);
            return Err(e.into());
        }
        Ok(RequestWritten {
            file: out.display().to_string(),
            license: license.clone(),
            role,
            hardware_id: hardware.id,
            mirrors: base_number,
            nonce,
        })
    }
}

impl Desk {
    /// The registered standby of `failover` that an activation request can be written for: the
    /// precondition of [`Desk::write_request`] for the standby it names by registration, and
    /// what the window's actions ask before offering the export (`actions.rs`) — the
    /// FailoverSuite in the store, its standby registered, with the installation key the vendor
    /// certifies (a standby known by a typed hardware ID has none). The outer error is a
    /// failure of the store.
    pub(crate) fn requestable_standby(
        &self,
        failover: &LicenseNumber,
    ) -> Result<Result<(StoredFailover, StoredSystem), StandbyRefusal>, DeskError> {
        if failover.product() != LicenseProduct::FailoverSuite {
            return Ok(Err(self.not_a_failover(failover)));
        }
        let Some(fo) = self.store.failover(failover)? else {
            return Ok(Err(StandbyRefusal::FailoverNotInStore {
                license: failover.clone(),
            }));
        };
        let Some(system) = self.store.system(Role::Standby, failover)? else {
            return Ok(Err(StandbyRefusal::NoStandbyRegistered {
                license: failover.clone(),
            }));
        };
        if system.installation_key.is_none() {
            // The vendor certifies the standby installation's key (its usage journals and a
            // later release are signed with it): a hardware ID typed by hand carries none.
            return Ok(Err(StandbyRefusal::TypedStandbyWithoutKey {
                license: failover.clone(),
                hardware_id: system.hardware.id,
            }));
        }
        Ok(Ok((fo, system)))
    }

    /// Whether `hardware` may be named the main system of `base` in an activation request (R4,
    /// R14): the rule [`Desk::write_request`] applies, and the window's actions ask. The outer
    /// error is a failure of the store.
    pub(crate) fn main_request_allowed(
        &self,
        base: &LicenseNumber,
        hardware: &licdesk_core::Hardware,
    ) -> Result<Result<(), RuleViolation>, DeskError> {
        let known = self.known_systems(Some((Role::Main, base)))?;
        Ok(rules::check_main(base, hardware, &known))
    }
}
