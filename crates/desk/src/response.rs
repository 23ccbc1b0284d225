//! Activation responses (R13): bound to a request this desk wrote, or certifying this very
//! installation as a standby; what the vendor signed for one system moves forward only.

use crate::time::raise_time_floor;
use crate::vendor_file::kind_tag;
use crate::views::*;
use crate::ResponseRefusal;
use crate::{Desk, DeskError};
use licdesk_core::{ActivationResponse, FileKind, LicenseNumber, Role, StandbyMode, Timestamp};
use licdesk_store::{Activation, MarkQueries, Queries, SystemState, Tx};

use crate::machines::OwnInstallation;

impl Desk {
    /// Records what a verified response activates: the system with its hardware (R13: with its
    /// components where the vendor saw them), the signed activation, the vendor's time, the file.
    pub(crate) fn record_activation(
        tx: &Tx<'_>,
        response: &ActivationResponse,
        mode: Option<StandbyMode>,
        hash: &str,
        text: &str,
        at: Timestamp,
    ) -> Result<(), DeskError> {
        let activation = Activation {
            installation_key: response.installation_key.clone().map(String::from),
            limits: response.limits,
            activated_at: response.activated_at,
            entitlement_digest: response.entitlement_digest.clone(),
            entitlements: response.entitlements.clone(),
            response_text: text.to_string(),
        };
        tx.activate_system(
            response.role,
            &response.license,
            &response.hardware,
            mode,
            &activation,
        )?;
        raise_time_floor(tx, response.activated_at)?;
        tx.put_system_mark(
            response.role,
            &response.license,
            &licdesk_store::SystemMark {
                signed_at: response.activated_at,
                serial: response.serial,
                kind: FileKind::ActivationResponse.tag().to_string(),
                content_id: hash.to_string(),
            },
        )?;
        tx.mark_file(hash, kind_tag(FileKind::ActivationResponse), Some(text), at)?;
        Ok(())
    }

    /// A response to a request this desk did not write: taken only when it activates this very
    /// installation as a standby (its certified key is this desk's, its hardware this machine),
    /// so that a standby activated from another desk can keep its usage journal (R12) and ask
    /// for its release (R4).
    pub(crate) fn apply_own_standby_response(
        tx: &Tx<'_>,
        response: &ActivationResponse,
        hash: &str,
        text: &str,
        own: &OwnInstallation,
        short: &str,
        at: Timestamp,
    ) -> Result<(ImportStatus, LicenseNumber, String), DeskError> {
        let license = response.license.clone();
        let certifies_this_installation = response.role == Role::Standby
            && response.installation_key.is_some()
            && response.installation_key.as_deref() == own.key().map(String::as_str);
        if !certifies_this_installation {
            return Err(ResponseRefusal::ResponseOtherRequest {
                request: short.to_string(),
            }
            .into());
        }
        match own.machine() {
            Some(machine) if machine.is_same_machine(&response.hardware) => {}
            Some(machine) => {
                return Err(ResponseRefusal::InstallationMoved {
                    hardware_id: response.hardware.id.clone(),
                    this_machine: machine.id.clone(),
                }
                .into())
            }
            None => return Err(ResponseRefusal::HardwareUnreadable.into()),
        }
        let failover =
            tx.failover(&license)?
                .ok_or_else(|| ResponseRefusal::ResponseFailoverMissing {
                    license: license.clone(),
                })?;
        match tx.system(Role::Standby, &license)? {
            Some(s) if s.hardware.id == response.hardware.id => {}
            Some(s) if s.state == SystemState::Active => {
                return Err(ResponseRefusal::OtherActiveStandby {
                    license,
                    active: s.hardware.id,
                    hardware_id: response.hardware.id.clone(),
                }
                .into())
            }
            _ => tx.put_pending_system(
                Role::Standby,
                &license,
                &failover.certificate.base_license,
                &response.hardware,
                response.mode,
                response.installation_key.as_deref(),
                at,
            )?,
        }
        Self::record_activation(tx, response, response.mode, hash, text, at)?;
        let message = format!(
            "this machine {} is now the active standby of FailoverSuite {license}, mirroring the main system of {} with {} entitlements ({}); the request was written on another desk",
            response.hardware.id,
            response.mirrors,
            response.entitlements.len(),
            response.mode.map(StandbyMode::describe).unwrap_or("standby")
        );
        tx.audit(at, "activated", license.as_str(), &message, Some(hash))?;
        Ok((ImportStatus::Activated, license, message))
    }

    pub(crate) fn apply_response(
        tx: &Tx<'_>,
        response: &ActivationResponse,
        hash: &str,
        text: &str,
        own: &OwnInstallation,
        at: Timestamp,
    ) -> Result<(ImportStatus, LicenseNumber, String), DeskError> {
        response
            .validate()
            .map_err(|problem| ResponseRefusal::InvalidResponse { problem })?;
        let license = response.license.clone();
        if tx.file_seen(hash)? {
            return Ok((
                ImportStatus::Unchanged,
                license.clone(),
                format!("this activation response for {license} was already imported"),
            ));
        }
        refuse_superseded_decision(
            tx,
            response.role,
            &license,
            response.activated_at,
            response.serial,
            FileKind::ActivationResponse,
        )?;
        // A checked nonce (hex) whose start messages show.
        let short = licdesk_core::short_nonce(&response.request_nonce);
        let Some(request) = tx.request(&response.request_nonce)? else {
            return Self::apply_own_standby_response(tx, response, hash, text, own, &short, at);
        };
        if request.license != response.license || request.role != response.role {
            return Err(ResponseRefusal::ResponseOtherLicense {
                license: response.license.clone(),
                role: response.role,
                request: short,
                requested_license: request.license,
                requested_role: request.role,
            }
            .into());
        }
        if request.hardware_id != response.hardware.id {
            return Err(ResponseRefusal::ResponseOtherMachine {
                hardware_id: response.hardware.id.clone(),
                requested: request.hardware_id,
            }
            .into());
        }
        let system = tx
            .system(response.role, &response.license)?
            .ok_or_else(|| ResponseRefusal::SystemNoLongerRegistered {
                role: response.role,
                license: response.license.clone(),
            })?;
        if system.hardware.id != response.hardware.id {
            return Err(ResponseRefusal::SystemOnOtherMachine {
                license: response.license.clone(),
                registered: system.hardware.id,
                hardware_id: response.hardware.id.clone(),
            }
            .into());
        }
        Self::record_activation(tx, response, response.mode.or(system.mode), hash, text, at)?;
        tx.mark_request_answered(&response.request_nonce, at)?;
        let message = match response.role {
            Role::Standby => format!(
                "standby {} activated for FailoverSuite {license}, mirroring main system of {} with {} entitlements ({})",
                response.hardware.id,
                response.mirrors,
                response.entitlements.len(),
                response.mode.map(StandbyMode::describe).unwrap_or("standby")
            ),
            Role::Main => format!(
                "main system {} activated for base license {license} with {} entitlements",
                response.hardware.id,
                response.entitlements.len()
            ),
        };
        tx.audit(at, "activated", license.as_str(), &message, Some(hash))?;
        Ok((ImportStatus::Activated, license, message))
    }

    /// This desk's installation and machine, read only if a response asks for them.
    pub(crate) fn own_installation(&self) -> OwnInstallation {
        OwnInstallation {
            key_path: self.home.installation_key().to_path_buf(),
            read: std::cell::OnceCell::new(),
        }
    }
}

/// Refuses a vendor decision (an activation response or a standby release) for the system `role`
/// of `license` that is not later than the latest one applied for it: what the vendor signed for
/// one system moves forward only, so an old response cannot re-activate a released standby or
/// bring back the limits a newer activation replaced.
pub(crate) fn refuse_superseded_decision(
    tx: &Tx<'_>,
    role: Role,
    license: &LicenseNumber,
    signed_at: Timestamp,
    serial: Option<u64>,
    kind: FileKind,
) -> Result<(), DeskError> {
    let Some(mark) = tx.system_mark(role, license)? else {
        return Ok(());
    };
    if mark.is_followed_by(signed_at, serial) {
        return Ok(());
    }
    let applied_kind = match mark.kind.as_str() {
        "standby-release" => FileKind::Release,
        _ => FileKind::ActivationResponse,
    };
    Err(ResponseRefusal::DecisionSuperseded {
        kind,
        role,
        license: license.clone(),
        signed_at,
        applied_kind,
        applied_signed_at: mark.signed_at,
        applied_content: mark.content_id.chars().take(12).collect(),
    }
    .into())
}
