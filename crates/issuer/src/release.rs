//! Releasing a FailoverSuite's standby (R4): asked for by the standby installation itself, or
//! done by hand for a machine that is lost.

use licdesk_core::{seal, Envelope, FileKind, KeyId, LicenseNumber, Release, ReleaseRequest};
use licdesk_store::ledger::Ledger;
use rand_core::{OsRng, RngCore};

use crate::activate::certified_installation_key;
use crate::clock::now;
use crate::error::IssuerError;
use crate::key::VendorKey;

/// Releases a FailoverSuite whose standby hardware is being replaced (R4): the ledger frees the
/// license for a new standby machine, and the desk gets a signed release.
///
/// Only the standby installation may ask: the release request must be signed by the installation
/// key that the standby's activation certified. Knowing the FailoverSuite number and the
/// standby's hardware ID is not enough.
pub fn release(
    key: &VendorKey,
    ledger: &mut Ledger,
    request_bytes: &[u8],
) -> Result<(Release, String), IssuerError> {
    let envelope = Envelope::parse(request_bytes)?.expect(FileKind::ReleaseRequest)?;
    let request_id = envelope.content_id();
    let verified = envelope.verify_self_signed()?;
    let request: ReleaseRequest = verified.payload()?;
    licdesk_core::check_nonce(&request.nonce).map_err(|e| IssuerError::BadNonce(e.to_string()))?;
    request
        .hardware
        .validate()
        .map_err(|e| IssuerError::BadHardware(e.to_string()))?;
    licdesk_core::model::validate_text("reason", &request.reason, 500)
        .map_err(|e| IssuerError::RequestInvalid(e.to_string()))?;
    let signer = verified.signer;
    let tx = ledger.decide()?;
    if let Some((text, done_id)) = tx.release_by_nonce(&request.nonce)? {
        if done_id.is_some_and(|id| id != request_id) {
            return Err(IssuerError::NonceReused {
                nonce_start: licdesk_core::short_nonce(&request.nonce),
            });
        }
        let release: Release = Envelope::parse(text.as_bytes())?
            .verify(&key.key.verifying_key())?
            .payload()?;
        return Ok((release, text));
    }
    let held =
        tx.held_standby(&request.failover)?
            .ok_or_else(|| IssuerError::NothingToRelease {
                failover: request.failover.clone(),
                by_hand: false,
            })?;
    if !held.hardware.is_same_machine(&request.hardware) {
        return Err(IssuerError::OtherStandby {
            failover: request.failover,
            held: held.hardware.id,
            asked: request.hardware.id,
        });
    }
    let Some(certified) = certified_installation_key(key, &held)? else {
        return Err(IssuerError::NoCertifiedKey {
            failover: request.failover,
            hardware_id: held.hardware.id,
        });
    };
    if certified != signer {
        return Err(IssuerError::ReleaseNotByInstallation {
            failover: request.failover,
            hardware_id: held.hardware.id,
            signer: KeyId::of_public_key(&signer),
            certified: KeyId::of_public_key(&certified),
        });
    }
    let at = now();
    let release = Release {
        request_nonce: request.nonce.clone(),
        failover: request.failover.clone(),
        hardware_id: held.hardware.id.clone(),
        released_at: at,
        serial: Some(tx.next_serial()?),
    };
    let text = seal(FileKind::Release, &release, &key.key);
    tx.record_release(
        &request.failover,
        &held.hardware.id,
        &request.nonce,
        Some(&request_id),
        at,
        &text,
    )?;
    tx.commit()?;
    Ok((release, text))
}

/// Releases by hand the standby that holds FailoverSuite `failover`, for a standby machine that
/// is lost or cannot start and so cannot sign a release request (R4). The vendor does this only
/// after checking the customer's claim; `reason` goes to the ledger's log. Any desk that holds
/// that standby can import the release.
pub fn release_by_hand(
    key: &VendorKey,
    ledger: &mut Ledger,
    failover: &LicenseNumber,
    reason: &str,
) -> Result<(Release, String), IssuerError> {
    licdesk_core::model::validate_text("reason", reason, 500)
        .map_err(|e| IssuerError::InvalidInput(e.to_string()))?;
    let tx = ledger.decide()?;
    let held = tx
        .held_standby(failover)?
        .ok_or_else(|| IssuerError::NothingToRelease {
            failover: failover.clone(),
            by_hand: true,
        })?;
    let mut nonce = [0u8; 16];
    OsRng.fill_bytes(&mut nonce);
    let nonce = licdesk_core::by_hand_nonce(&nonce);
    let at = now();
    let release = Release {
        request_nonce: nonce.clone(),
        failover: failover.clone(),
        hardware_id: held.hardware.id.clone(),
        released_at: at,
        serial: Some(tx.next_serial()?),
    };
    let text = seal(FileKind::Release, &release, &key.key);
    tx.record_release(failover, &held.hardware.id, &nonce, None, at, &text)?;
    tx.log(
        at,
        "released-by-hand",
        failover.as_str(),
        &format!("standby {} released by hand: {reason}", held.hardware.id),
    )?;
    tx.commit()?;
    Ok((release, text))
}
