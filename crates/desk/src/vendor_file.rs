//! A vendor-signed file whose signature verified: who signed it, its content, and how it is
//! applied (a certificate or an activation response); the outcome of a refused file.

use crate::machines::OwnInstallation;
use crate::views::*;
use crate::ImportRefusal;
use crate::{Desk, DeskError};
use licdesk_core::{
    ActivationResponse, BaseCertificate, FailoverCertificate, FileKind, LicenseNumber, Timestamp,
    Verified,
};
use licdesk_store::Tx;

/// Who signed a verified vendor file.
#[derive(Debug, Clone)]
pub(crate) struct Signer {
    pub(crate) key_id: licdesk_core::KeyId,
    pub(crate) demo: bool,
}

/// The content of a verified vendor file.
pub(crate) enum VendorPayload {
    Base(BaseCertificate),
    Failover(FailoverCertificate),
    Response(Box<ActivationResponse>),
}

impl VendorPayload {
    pub(crate) fn of(verified: &Verified) -> Result<VendorPayload, DeskError> {
        Ok(match verified.kind {
            FileKind::BaseCertificate => VendorPayload::Base(verified.payload()?),
            FileKind::FailoverCertificate => VendorPayload::Failover(verified.payload()?),
            FileKind::ActivationResponse => VendorPayload::Response(Box::new(verified.payload()?)),
            other => return Err(ImportRefusal::NotVendorSigned { kind: other }.into()),
        })
    }

    pub(crate) fn kind(&self) -> FileKind {
        match self {
            VendorPayload::Base(_) => FileKind::BaseCertificate,
            VendorPayload::Failover(_) => FileKind::FailoverCertificate,
            VendorPayload::Response(_) => FileKind::ActivationResponse,
        }
    }

    pub(crate) fn apply(
        &self,
        tx: &Tx<'_>,
        signer: &Signer,
        hash: &str,
        text: &str,
        own: &OwnInstallation,
        at: Timestamp,
    ) -> Result<(ImportStatus, LicenseNumber, String), DeskError> {
        match self {
            VendorPayload::Base(c) => Desk::apply_base(tx, c, signer, hash, text, at),
            VendorPayload::Failover(c) => Desk::apply_failover(tx, c, signer, hash, text, at),
            VendorPayload::Response(r) => {
                let imported = Desk::apply_response(tx, r, hash, text, own, at)?;
                if imported.0 == ImportStatus::Activated {
                    crate::record_own_key_if_certified(tx, r.installation_key.as_deref(), own)?;
                }
                Ok(imported)
            }
        }
    }
}

pub(crate) fn kind_tag(kind: FileKind) -> &'static str {
    kind.tag()
}

/// What importing one file did: its status, the license it concerns, the sentence that says it.
pub(crate) type Imported = (ImportStatus, LicenseNumber, String);

pub(crate) fn refused(name: &str, kind: Option<FileKind>, error: DeskError) -> ImportOutcome {
    ImportOutcome {
        file: name.to_string(),
        kind: kind.map(FileKind::tag),
        status: ImportStatus::Refused,
        result: ImportResult::Refused,
        license: None,
        message: error.message.clone(),
        error: Some(error),
        activation: None,
    }
}
