//! Activation responses (R13): bound to a request this desk wrote, or certifying this very
//! installation as a standby; what the vendor signed for one system moves forward only.

#[allow(unused_imports)]
use crate::prelude::*;

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
        tx.mark_file(hash, kind_tag(FileKind::ActivationResponse), at)?;
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
            return Err(DeskError::new(
                ErrorCode::OtherRequest,
                format!(
                    "this response answers request {short}…, which this desk did not write, and does not activate this installation: it was made for another request or another desk. Import it on the desk that wrote the request, or on the standby it activates"
                ),
            ));
        }
        match own.machine() {
            Some(machine) if machine.is_same_machine(&response.hardware) => {}
            Some(machine) => {
                return Err(DeskError::new(
                    ErrorCode::OtherMachine,
                    format!(
                        "this response activates this installation on the machine {}, but this machine is {}: the installation was moved to other hardware. Ask for a release and activate again",
                        response.hardware.id, machine.id
                    ),
                ))
            }
            None => {
                return Err(DeskError::new(
                    ErrorCode::Machine,
                    "this machine's hardware cannot be read, so this response for this installation cannot be checked against it",
                ))
            }
        }
        let failover = tx.failover(&license)?.ok_or_else(|| {
            DeskError::new(
                ErrorCode::BaseMissing,
                format!(
                    "this response activates this machine as the standby of FailoverSuite {license}, which is not in this store: import its base license and FailoverSuite certificates first, then this response"
                ),
            )
        })?;
        match tx.system(Role::Standby, &license)? {
            Some(s) if s.hardware.id == response.hardware.id => {}
            Some(s) if s.state == SystemState::Active => {
                return Err(DeskError::new(
                    ErrorCode::OtherMachine,
                    format!(
                        "{license} has the active standby {} in this store, not this machine {}: release it first (R4)",
                        s.hardware.id, response.hardware.id
                    ),
                ))
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
        response.validate().map_err(|d| {
            DeskError::new(
                ErrorCode::InvalidContent,
                format!("the activation response is invalid: {d}"),
            )
        })?;
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
            "activation response",
        )?;
        // A checked nonce (hex) whose start messages show.
        let short = licdesk_core::short_nonce(&response.request_nonce);
        let Some(request) = tx.request(&response.request_nonce)? else {
            return Self::apply_own_standby_response(tx, response, hash, text, own, &short, at);
        };
        if request.license != response.license || request.role != response.role {
            return Err(DeskError::new(
                ErrorCode::WrongLicense,
                format!(
                    "this response activates {} as {}, but the request {short}… was for {} as {}: ask the vendor for the right response",
                    response.license, response.role.code(), request.license, request.role.code()
                ),
            ));
        }
        if request.hardware_id != response.hardware.id {
            return Err(DeskError::new(
                ErrorCode::OtherMachine,
                format!(
                    "this response is for the machine {}, but the request was for {}: it was made for another machine",
                    response.hardware.id, request.hardware_id
                ),
            ));
        }
        let system = tx.system(response.role, &response.license)?.ok_or_else(|| {
            DeskError::new(
                ErrorCode::WrongLicense,
                format!("no {} system of {} is registered in this store any more: register it and export a new request", response.role.code(), response.license),
            )
        })?;
        if system.hardware.id != response.hardware.id {
            return Err(DeskError::new(
                ErrorCode::OtherMachine,
                format!(
                    "{} is now registered for the machine {}, but this response is for {}: it was made for another machine. Export a new request",
                    response.license, system.hardware.id, response.hardware.id
                ),
            ));
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
            key_path: location::installation_key_path(&self.store_path),
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
    what: &str,
) -> Result<(), DeskError> {
    let Some(mark) = tx.system_mark(role, license)? else {
        return Ok(());
    };
    if mark.is_followed_by(signed_at, serial) {
        return Ok(());
    }
    let newer = match mark.kind.as_str() {
        "standby-release" => "standby release",
        _ => "activation response",
    };
    let id = mark.content_id.chars().take(12).collect::<String>();
    Err(DeskError::new(
        ErrorCode::Superseded,
        format!(
            "this {what} for the {} system of {license} was signed at {signed_at}, but the {newer} signed at {} (content {id}…) was applied since: what the vendor signed for one system moves forward only, and nothing was changed. Ask the vendor for a new response if this system must be activated again",
            role.code(),
            mark.signed_at
        ),
    ))
}

/// This desk's own installation: its public key (when it has one) and this machine. A standby's
/// activation may be asked for on another desk (a reseller's, from the standby's hardware-ID
/// file); the standby's own desk still takes the response, since it certifies this installation.
#[derive(Debug)]
pub(crate) struct OwnInstallation {
    pub(crate) key_path: PathBuf,
    /// The public key (when this desk has one) and this machine, read on first use.
    pub(crate) read: std::cell::OnceCell<(Option<String>, Option<Hardware>)>,
}

impl OwnInstallation {
    pub(crate) fn read(&self) -> &(Option<String>, Option<Hardware>) {
        self.read.get_or_init(|| {
            (
                installation::existing_public_key(&self.key_path),
                this_machine().ok(),
            )
        })
    }

    pub(crate) fn key(&self) -> Option<&String> {
        self.read().0.as_ref()
    }

    pub(crate) fn machine(&self) -> Option<&Hardware> {
        self.read().1.as_ref()
    }
}
