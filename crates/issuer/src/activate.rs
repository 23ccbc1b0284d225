//! Activation: a request checked against the rules (R4, R7, R14) and the ledger, and the signed
//! response, with the R12 limits a standby's license carries.

use licdesk_core::{
    rules, seal, standby_entitlements, ActivationRequest, ActivationResponse, BaseCertificate,
    Entitlement, Envelope, FailoverCertificate, FileKind, InstallationKey, KeyId, LoadLimits, Role,
    VerifyingKey,
};
use licdesk_store::ledger::{Ledger, LedgerActivation, LedgerTx};
use serde::Serialize;

use crate::clock::now;
use crate::error::IssuerError;
use crate::key::VendorKey;

#[derive(Debug, Clone, Serialize)]
pub struct Activated {
    pub license: licdesk_core::LicenseNumber,
    pub role: Role,
    pub hardware_id: String,
    pub mirrors: licdesk_core::LicenseNumber,
    /// True when this request had been answered before and the same answer was given again.
    pub repeated: bool,
    #[serde(skip)]
    pub response: String,
}

/// Checks a request against the rules and the ledger and signs the response, with the default
/// five-day limits for a standby.
pub fn activate(
    key: &VendorKey,
    ledger: &mut Ledger,
    request_bytes: &[u8],
) -> Result<Activated, IssuerError> {
    activate_with(key, ledger, request_bytes, &LoadLimits::default())
}

/// Checks and validates R12 limits given to the issuer: every limit from 1 h up to a year, and
/// warning < final warning < limit.
pub fn validate_limits(limits: &LoadLimits) -> Result<(), IssuerError> {
    const MAX_HOURS: u32 = 24 * 366;
    for (option, hours) in [
        ("--limit-hours", limits.max_load_hours),
        ("--gap-hours", limits.episode_gap_hours),
        ("--warn-hours", limits.warning_hours),
        ("--final-warn-hours", limits.final_warning_hours),
    ] {
        if hours == 0 || hours > MAX_HOURS {
            return Err(IssuerError::LimitOutOfRange {
                option,
                hours,
                max: MAX_HOURS,
            });
        }
    }
    if !(limits.warning_hours < limits.final_warning_hours
        && limits.final_warning_hours < limits.max_load_hours)
    {
        return Err(IssuerError::LimitsNotRising {
            warning: limits.warning_hours,
            final_warning: limits.final_warning_hours,
            limit: limits.max_load_hours,
        });
    }
    Ok(())
}

/// [`activate`] with the R12 `limits` a standby's signed license carries.
pub fn activate_with(
    key: &VendorKey,
    ledger: &mut Ledger,
    request_bytes: &[u8],
    limits: &LoadLimits,
) -> Result<Activated, IssuerError> {
    validate_limits(limits)?;
    let (request, request_id) = read_request(request_bytes)?;
    let (base, entitlements) = entitlements(key, &request)?;

    let tx = ledger.decide()?;
    if let Some(done) = tx.by_nonce(&request.nonce)? {
        return answered_before(done, &request, &request_id);
    }
    let known = tx.known_systems()?;
    match request.role {
        Role::Standby => rules::check_standby(&request.license, &request.hardware, &known),
        Role::Main => rules::check_main(&request.license, &request.hardware, &known),
    }?;
    if request.role == Role::Standby {
        keeps_installation_key(key, &tx, &request)?;
    }
    let at = now();
    let standby = request.role == Role::Standby;
    let response = ActivationResponse {
        request_nonce: request.nonce.clone(),
        license: request.license.clone(),
        role: request.role,
        hardware: request.hardware.clone(),
        mirrors: request.mirrors.clone(),
        base_revision: base.revision,
        mode: request.mode,
        entitlements,
        entitlement_digest: base.entitlement_digest(),
        notice: standby.then(|| licdesk_core::standby_notice(limits)),
        limits: standby.then_some(*limits),
        // Certifies the standby installation whose usage journals will be trusted (R12).
        installation_key: if standby {
            request.installation_key.clone()
        } else {
            None
        },
        activated_at: at,
        serial: Some(tx.next_serial()?),
    };
    let text = seal(FileKind::ActivationResponse, &response, &key.key);
    tx.record(&LedgerActivation {
        role: request.role,
        license: request.license.clone(),
        mirrors: request.mirrors.clone(),
        hardware: request.hardware.clone(),
        request_nonce: request.nonce.clone(),
        activated_at: at,
        response: text.clone(),
        installation_key: response.installation_key.clone().map(String::from),
        request_id: Some(request_id),
    })?;
    tx.commit()?;
    Ok(Activated {
        license: request.license,
        role: request.role,
        hardware_id: request.hardware.id.to_string(),
        mirrors: request.mirrors,
        repeated: false,
        response: text,
    })
}

/// The request, its signature verified and its values checked, and its content identity.
fn read_request(bytes: &[u8]) -> Result<(ActivationRequest, String), IssuerError> {
    let envelope = Envelope::parse(bytes)?.expect(FileKind::ActivationRequest)?;
    let request_id = envelope.content_id();
    let request: ActivationRequest = envelope.verify_self_signed()?.payload()?;
    licdesk_core::check_nonce(&request.nonce).map_err(|e| IssuerError::BadNonce(e.to_string()))?;
    request
        .hardware
        .validate()
        .map_err(|e| IssuerError::BadHardware(e.to_string()))?;
    if let Some(key) = &request.installation_key {
        key.decode()
            .map_err(|e| IssuerError::BadInstallationKey(e.to_string()))?;
    } else if request.role == Role::Standby {
        // The installation key signs the standby's usage journals (R12) and its release request
        // (R4): a standby without one could be neither monitored nor released safely.
        return Err(IssuerError::NoInstallationKey {
            failover: request.license,
        });
    }
    Ok((request, request_id))
}

/// The base certificate the request relies on (signed by this vendor key, its latest revision
/// carried) and what the system is entitled to: the base's own, or as its standby (R5, R10).
fn entitlements(
    key: &VendorKey,
    request: &ActivationRequest,
) -> Result<(BaseCertificate, Vec<Entitlement>), IssuerError> {
    let own = key.key.verifying_key();
    let mut bases: Vec<BaseCertificate> = Vec::new();
    let mut failovers: Vec<FailoverCertificate> = Vec::new();
    for text in &request.certificates {
        let env = Envelope::parse(text.as_bytes())?;
        if env.key_id() != &key.key_id() {
            return Err(IssuerError::ForeignCertificate {
                signer: env.key_id().clone(),
                own: key.key_id(),
            });
        }
        match env.kind() {
            // Each passes the rules a certificate imported by a desk passes (FORMAT.md §7.4).
            FileKind::BaseCertificate => bases.push(env.verify(&own)?.checked_payload()?),
            FileKind::FailoverCertificate => failovers.push(env.verify(&own)?.checked_payload()?),
            other => {
                return Err(IssuerError::NotACertificate {
                    kind: other.describe(),
                })
            }
        }
    }
    let base = bases
        .into_iter()
        .filter(|b| b.license == request.mirrors)
        .max_by_key(|b| b.revision)
        .ok_or_else(|| IssuerError::NoBaseCertificate {
            base: request.mirrors.clone(),
        })?;
    let entitlements = match request.role {
        Role::Main => {
            if request.license != request.mirrors {
                return Err(IssuerError::MainMirrorsOther {
                    license: request.license.clone(),
                    mirrors: request.mirrors.clone(),
                });
            }
            base.entitlements()
        }
        Role::Standby => {
            let fo = failovers
                .iter()
                .find(|f| f.license == request.license)
                .ok_or_else(|| IssuerError::NoFailoverCertificate {
                    failover: request.license.clone(),
                })?;
            if fo.base_license != request.mirrors {
                return Err(IssuerError::FailoverOfOtherBase {
                    failover: fo.license.clone(),
                    base: fo.base_license.clone(),
                    asked: request.mirrors.clone(),
                });
            }
            standby_entitlements(&base, &fo.license)
        }
    };
    Ok((base, entitlements))
}

/// A nonce is one request's: the same request again gets the same response; another request
/// reusing it (another customer's nonce, say) gets nothing of that response.
fn answered_before(
    done: LedgerActivation,
    request: &ActivationRequest,
    request_id: &str,
) -> Result<Activated, IssuerError> {
    let same_request = match &done.request_id {
        Some(id) => id.as_str() == request_id,
        // Recorded before the ledger kept request identities: the same decision asked for.
        None => {
            done.license == request.license
                && done.role == request.role
                && done.hardware.id == request.hardware.id
                && done.installation_key.as_deref() == request.installation_key.as_deref()
        }
    };
    if !same_request {
        return Err(IssuerError::NonceReused {
            nonce_start: licdesk_core::short_nonce(&request.nonce),
        });
    }
    Ok(Activated {
        license: done.license,
        role: done.role,
        hardware_id: done.hardware.id.to_string(),
        mirrors: done.mirrors,
        repeated: true,
        response: done.response,
    })
}

/// Re-activating the standby that holds the FailoverSuite (R5: after a change to the main
/// system) keeps the installation key certified before. Another key would let whoever knows the
/// standby's hardware take over its journals and its release (R4).
fn keeps_installation_key(
    key: &VendorKey,
    tx: &LedgerTx<'_>,
    request: &ActivationRequest,
) -> Result<(), IssuerError> {
    let Some(held) = tx.held_standby(&request.license)? else {
        return Ok(());
    };
    let Some(certified) = certified_installation_key(key, &held)? else {
        return Ok(());
    };
    let asked = request
        .installation_key
        .as_ref()
        .and_then(|k| k.decode().ok());
    if asked == Some(certified) {
        return Ok(());
    }
    Err(IssuerError::OtherInstallationKey {
        failover: request.license.clone(),
        hardware_id: held.hardware.id.clone(),
        certified: KeyId::of_public_key(&certified),
        asked: asked.map(|k| KeyId::of_public_key(&k)),
    })
}

/// The installation key an activation certified: from the ledger, or for rows recorded before
/// the ledger kept it, from the signed response the ledger holds.
pub(crate) fn certified_installation_key(
    key: &VendorKey,
    held: &LedgerActivation,
) -> Result<Option<VerifyingKey>, IssuerError> {
    let encoded = match &held.installation_key {
        Some(k) => Some(InstallationKey::from(k.as_str())),
        None => {
            let response: ActivationResponse = Envelope::parse(held.response.as_bytes())?
                .verify(&key.key.verifying_key())?
                .payload()?;
            response.installation_key
        }
    };
    encoded
        .map(|k| {
            k.decode().map_err(|e| IssuerError::LedgerKeyDamaged {
                license: held.license.clone(),
                reason: e.to_string(),
            })
        })
        .transpose()
}
