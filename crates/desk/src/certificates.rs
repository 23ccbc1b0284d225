//! Base license certificates (R1, R5: a later revision upgrades) and FailoverSuite
//! certificates (R2: attached to their base license).

use crate::time::raise_time_floor;
use crate::vendor_file::{kind_tag, Signer};
use crate::views::*;
use crate::ImportRefusal;
use crate::{Desk, DeskError};
use licdesk_core::{BaseCertificate, FailoverCertificate, FileKind, LicenseNumber, Timestamp};
use licdesk_store::{Provenance, Queries, Tx};

use licdesk_core::decisions::{BaseImport, BaseRefusal};

impl Desk {
    pub(crate) fn apply_base(
        tx: &Tx<'_>,
        cert: &BaseCertificate,
        signer: &Signer,
        hash: &str,
        text: &str,
        at: Timestamp,
    ) -> Result<(ImportStatus, LicenseNumber, String), DeskError> {
        cert.validate()
            .map_err(|problem| ImportRefusal::InvalidBaseCertificate { problem })?;
        let (key_id, demo) = (signer.key_id.clone(), signer.demo);
        let license = cert.license.clone();
        let stored = tx.base(&license)?;
        if tx.file_seen(hash)? {
            let message = match &stored {
                Some(old) if old.certificate.revision > cert.revision => format!(
                    "this certificate (revision {}) of {license} was imported before; the store holds the newer revision {}",
                    cert.revision, old.certificate.revision
                ),
                _ => format!("base license {license} is already in the store"),
            };
            return Ok((ImportStatus::Unchanged, license, message));
        }
        let decision = licdesk_core::decisions::base_certificate_import(
            stored.as_ref().map(|s| &s.certificate),
            cert,
        );
        let status = match decision {
            Ok(BaseImport::New) => ImportStatus::Imported,
            Ok(BaseImport::Upgrade) => ImportStatus::Upgraded,
            Ok(BaseImport::Same) => {
                tx.mark_file(hash, kind_tag(FileKind::BaseCertificate), at)?;
                return Ok((
                    ImportStatus::Unchanged,
                    license.clone(),
                    format!("base license {license} is already in the store"),
                ));
            }
            Err(BaseRefusal::Superseded {
                revision,
                held,
                held_issued_at,
            }) => {
                return Err(ImportRefusal::CertificateSuperseded {
                    license,
                    revision,
                    held,
                    held_issued_at,
                }
                .into())
            }
            Err(BaseRefusal::DiffersAtSameRevision { revision }) => {
                return Err(
                    ImportRefusal::CertificateDiffersAtSameRevision { license, revision }.into(),
                )
            }
            Err(BaseRefusal::OtherCustomer { held, named }) => {
                return Err(ImportRefusal::OtherCustomer {
                    license,
                    held,
                    named,
                }
                .into())
            }
        };
        raise_time_floor(tx, cert.issued_at)?;
        tx.put_base(
            cert,
            &Provenance {
                file_hash: hash,
                key_id: &key_id,
                demo,
                text,
                at,
            },
        )?;
        tx.mark_file(hash, kind_tag(FileKind::BaseCertificate), at)?;
        let (action, message) = match status {
            ImportStatus::Upgraded => (
                "base-license-upgraded",
                format!(
                    "base license {license} upgraded to revision {} ({}, {} extensions); systems activated before are now out of date (R5)",
                    cert.revision,
                    cert.variant.describe(),
                    cert.extensions.len()
                ),
            ),
            _ => (
                "base-license-imported",
                format!(
                    "base license {license} for {} imported ({}, {} extensions)",
                    cert.customer,
                    cert.variant.describe(),
                    cert.extensions.len()
                ),
            ),
        };
        tx.audit(at, action, license.as_str(), &message, Some(hash))?;
        Ok((status, license, message))
    }

    pub(crate) fn apply_failover(
        tx: &Tx<'_>,
        cert: &FailoverCertificate,
        signer: &Signer,
        hash: &str,
        text: &str,
        at: Timestamp,
    ) -> Result<(ImportStatus, LicenseNumber, String), DeskError> {
        cert.validate()
            .map_err(|problem| ImportRefusal::InvalidFailoverCertificate { problem })?;
        let (key_id, demo) = (signer.key_id.clone(), signer.demo);
        let license = cert.license.clone();
        if tx.file_seen(hash)? {
            return Ok((
                ImportStatus::Unchanged,
                license.clone(),
                format!("FailoverSuite {license} is already in the store"),
            ));
        }
        if tx.base(&cert.base_license)?.is_none() {
            return Err(ImportRefusal::FailoverBaseMissing {
                license,
                base: cert.base_license.clone(),
            }
            .into());
        }
        if let Some(old) = tx.failover(&license)? {
            if old.certificate.base_license == cert.base_license {
                tx.mark_file(hash, kind_tag(FileKind::FailoverCertificate), at)?;
                return Ok((
                    ImportStatus::Unchanged,
                    license.clone(),
                    format!("FailoverSuite {license} is already in the store"),
                ));
            }
            return Err(ImportRefusal::FailoverOtherBase {
                license,
                held_base: old.certificate.base_license,
                named_base: cert.base_license.clone(),
            }
            .into());
        }
        raise_time_floor(tx, cert.issued_at)?;
        tx.put_failover(
            cert,
            &Provenance {
                file_hash: hash,
                key_id: &key_id,
                demo,
                text,
                at,
            },
        )?;
        tx.mark_file(hash, kind_tag(FileKind::FailoverCertificate), at)?;
        let message = format!(
            "FailoverSuite {license} ({}) added as an extension of base license {} (R2)",
            cert.article, cert.base_license
        );
        tx.audit(
            at,
            "failover-imported",
            license.as_str(),
            &message,
            Some(hash),
        )?;
        Ok((ImportStatus::Imported, license, message))
    }
}
