//! Releasing a standby whose hardware is replaced (R4): the release request, and importing the
//! vendor's signed release.

use crate::response::refuse_superseded_decision;
use crate::time::raise_time_floor;
use crate::views::*;
use crate::StandbyRefusal;
use crate::{files, Desk, DeskError};
use licdesk_core::{seal, Envelope, FileKind, LicenseNumber, Role};
use licdesk_store::{Queries, SystemState};

impl Desk {
    /// Writes a release request for the standby of `failover` whose hardware is being replaced:
    /// the vendor releases the FailoverSuite, and after importing the release it takes a new
    /// standby (R4).
    pub fn write_release_request(
        &mut self,
        failover: &LicenseNumber,
        reason: &str,
        out: &std::path::Path,
        if_exists: crate::IfExists,
    ) -> Result<licdesk_core::ReleaseRequest, DeskError> {
        let output = self.output(out, if_exists);
        output.check()?;
        licdesk_core::model::validate_text("reason", reason, 500).map_err(DeskError::invalid)?;
        let standby = self.active_standby(failover)?.map_err(DeskError::from)?;
        // Only the standby installation itself can ask: the vendor refuses a release request not
        // signed by the installation key the activation certified (R4).
        let key = self.installation_key()?;
        release_signed_by(&standby, failover, &key.verifying_key()).map_err(DeskError::from)?;
        let mut nonce = [0u8; 32];
        rand_core::RngCore::fill_bytes(&mut rand_core::OsRng, &mut nonce);
        let at = self.clock.now();
        let request = licdesk_core::ReleaseRequest {
            nonce: licdesk_core::request_nonce(&nonce),
            created_at: at,
            failover: failover.clone(),
            hardware: standby.hardware.clone(),
            reason: reason.to_string(),
        };
        let text = seal(FileKind::ReleaseRequest, &request, &key);
        let hash = files::sha256_hex(text.as_bytes());
        let tx = self.store.write()?;
        tx.put_request(
            &licdesk_store::StoredRequest {
                nonce: request.nonce.clone(),
                license: failover.clone(),
                role: Role::Standby,
                hardware_id: standby.hardware.id.clone(),
                created_at: at,
                answered_at: None,
            },
            &hash,
        )?;
        tx.audit(
            at,
            "release-requested",
            failover.as_str(),
            &format!(
                "release of standby {} requested: {reason}",
                standby.hardware.id
            ),
            Some(&hash),
        )?;
        output.write(text.as_bytes())?;
        tx.commit()?;
        Ok(request)
    }

    /// The active standby of `failover`, whose release can be asked for: the first
    /// precondition of [`Desk::write_release_request`], which the window's actions ask too
    /// (`actions.rs`). The outer error is a failure of the store.
    pub(crate) fn active_standby(
        &self,
        failover: &LicenseNumber,
    ) -> Result<Result<licdesk_store::StoredSystem, StandbyRefusal>, DeskError> {
        Ok(self
            .store
            .system(Role::Standby, failover)?
            .filter(|s| s.state == SystemState::Active)
            .ok_or_else(|| StandbyRefusal::NoActiveStandbyToRelease {
                failover: failover.clone(),
            }))
    }

    pub(crate) fn import_release(
        &mut self,
        envelope: Envelope,
        hash: &str,
        text: &str,
    ) -> Result<(ImportStatus, LicenseNumber, String), DeskError> {
        let (verified, _) = self.trust.verify(envelope)?;
        let release: licdesk_core::Release = verified.payload()?;
        release
            .validate()
            .map_err(|problem| StandbyRefusal::InvalidRelease { problem })?;
        let failover = release.failover.clone();
        let tx = self.store.write()?;
        let at = self.clock.now();
        if tx.file_seen(hash)? {
            return Ok((
                ImportStatus::Unchanged,
                failover.clone(),
                format!("this release of {failover} was already imported"),
            ));
        }
        refuse_superseded_decision(
            &tx,
            Role::Standby,
            &failover,
            release.released_at,
            release.serial,
            FileKind::Release,
        )?;
        let held = tx
            .system(Role::Standby, &failover)?
            .filter(|s| s.state == SystemState::Active);
        match tx.request(&release.request_nonce)? {
            Some(request) => {
                if request.license != failover {
                    return Err(StandbyRefusal::ReleaseOtherLicense {
                        failover,
                        requested: request.license,
                    }
                    .into());
                }
                if request.hardware_id != release.hardware_id {
                    return Err(StandbyRefusal::ReleaseOtherMachine {
                        hardware_id: release.hardware_id,
                        requested: request.hardware_id,
                    }
                    .into());
                }
                tx.mark_request_answered(&release.request_nonce, at)?;
            }
            // A release asked for on another desk (the standby's own, whose key signed the
            // request) or made by the vendor by hand: the vendor's signature says the ledger
            // freed that machine, so a desk holding it as the standby, activated no later than
            // the release, frees it too.
            None => {
                let holds = held.as_ref().is_some_and(|s| {
                    s.hardware.id == release.hardware_id
                        && s.activation
                            .as_ref()
                            .is_some_and(|a| a.activated_at <= release.released_at)
                });
                if !holds {
                    return Err(StandbyRefusal::ReleaseOtherRequest {
                        failover,
                        hardware_id: release.hardware_id,
                    }
                    .into());
                }
            }
        }
        match held {
            Some(s) if s.hardware.id == release.hardware_id => {
                tx.delete_system(Role::Standby, &failover)?;
            }
            _ => {
                return Err(StandbyRefusal::StandbyNoLongerHeld {
                    failover,
                    hardware_id: release.hardware_id,
                }
                .into())
            }
        }
        tx.put_system_mark(
            Role::Standby,
            &failover,
            &licdesk_store::SystemMark {
                signed_at: release.released_at,
                serial: release.serial,
                kind: FileKind::Release.tag().to_string(),
                content_id: hash.to_string(),
            },
        )?;
        tx.mark_file(hash, FileKind::Release.tag(), Some(text), at)?;
        let message = format!("FailoverSuite {failover} released from standby {}: register the new standby machine (R4)", release.hardware_id);
        tx.audit(
            at,
            "standby-released",
            failover.as_str(),
            &message,
            Some(hash),
        )?;
        raise_time_floor(&tx, release.released_at)?;
        tx.commit()?;
        Ok((ImportStatus::Released, failover, message))
    }
}

/// Whether this desk, whose installation key is `own`, is the standby installation the
/// activation of `standby` certified — only it can ask for the standby's release (R4): the
/// second precondition of [`Desk::write_release_request`], asked by the window's actions too.
pub(crate) fn release_signed_by(
    standby: &licdesk_store::StoredSystem,
    failover: &LicenseNumber,
    own: &licdesk_core::VerifyingKey,
) -> Result<(), StandbyRefusal> {
    let certified = standby
        .activation
        .as_ref()
        .and_then(|a| a.installation_key.as_deref());
    if certified == Some(licdesk_core::trust::encode_public_key(own).as_str()) {
        return Ok(());
    }
    Err(StandbyRefusal::ReleaseNotOnStandby {
        failover: failover.clone(),
        hardware_id: standby.hardware.id.clone(),
        certified: certified
            .and_then(|k| licdesk_core::trust::decode_public_key(k).ok())
            .map(|k| licdesk_core::KeyId::of_public_key(&k)),
        own: licdesk_core::KeyId::of_public_key(own),
    })
}
