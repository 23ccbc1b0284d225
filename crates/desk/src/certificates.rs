//! Base license certificates (R1, R5: a later revision upgrades) and FailoverSuite
//! certificates (R2: attached to their base license).

use crate::time::raise_time_floor;
use crate::vendor_file::{kind_tag, Imported, Signer};
use crate::views::*;
use crate::ImportRefusal;
use crate::{Desk, DeskError};
use licdesk_core::{BaseCertificate, FailoverCertificate, FileKind, Timestamp};
use licdesk_store::{Provenance, Queries, Tx};

use licdesk_core::decisions::{BaseImport, BaseRefusal};

/// What the store makes of a base certificate, decided before anything is written.
pub(crate) enum BaseCheck {
    /// The same signed file was imported before: nothing to write.
    SeenBefore(Imported),
    /// The store holds this very certificate from another file: that file is recorded.
    Same,
    /// A new license, or a later revision of one held: written (R1, R5).
    Write(ImportStatus),
}

impl Desk {
    pub(crate) fn apply_base(
        tx: &Tx<'_>,
        cert: &BaseCertificate,
        signer: &Signer,
        hash: &str,
        text: &str,
        at: Timestamp,
    ) -> Result<Imported, DeskError> {
        let check = Desk::check_base(tx, cert, hash)?;
        if matches!(check, BaseCheck::Write(_)) {
            raise_time_floor(tx, cert.issued_at)?;
        }
        Desk::write_base(tx, cert, check, signer, hash, text, at)
    }

    /// Decides on a base certificate from what the store holds, writing nothing: each refusal
    /// is here, so a certificate refused leaves the store as it was without a savepoint.
    pub(crate) fn check_base(
        tx: &Tx<'_>,
        cert: &BaseCertificate,
        hash: &str,
    ) -> Result<BaseCheck, DeskError> {
        cert.validate()
            .map_err(|problem| ImportRefusal::InvalidBaseCertificate { problem })?;
        let license = cert.license.clone();
        // The certificate alone: its text and provenance are not needed to decide.
        let held = tx.base_certificate(&license)?;
        if tx.file_seen(hash)? {
            let message = match &held {
                Some(old) if old.revision > cert.revision => format!(
                    "this certificate (revision {}) of {license} was imported before; the store holds the newer revision {}",
                    cert.revision, old.revision
                ),
                _ => format!("base license {license} is already in the store"),
            };
            return Ok(BaseCheck::SeenBefore((
                ImportStatus::Unchanged,
                license,
                message,
            )));
        }
        match licdesk_core::decisions::base_certificate_import(held.as_ref(), cert) {
            Ok(BaseImport::New) => Ok(BaseCheck::Write(ImportStatus::Imported)),
            Ok(BaseImport::Upgrade) => Ok(BaseCheck::Write(ImportStatus::Upgraded)),
            Ok(BaseImport::Same) => Ok(BaseCheck::Same),
            Err(BaseRefusal::Superseded {
                revision,
                held,
                held_issued_at,
            }) => Err(ImportRefusal::CertificateSuperseded {
                license,
                revision,
                held,
                held_issued_at,
            }
            .into()),
            Err(BaseRefusal::DiffersAtSameRevision { revision }) => {
                Err(ImportRefusal::CertificateDiffersAtSameRevision { license, revision }.into())
            }
            Err(BaseRefusal::OtherCustomer { held, named }) => Err(ImportRefusal::OtherCustomer {
                license,
                held,
                named,
            }
            .into()),
        }
    }

    /// Writes what [`Desk::check_base`] decided: the certificate, its file and its audit entry
    /// (the time floor is the caller's: raised by `cert.issued_at` when `check` is a write).
    /// Only a store error fails here.
    pub(crate) fn write_base(
        tx: &Tx<'_>,
        cert: &BaseCertificate,
        check: BaseCheck,
        signer: &Signer,
        hash: &str,
        text: &str,
        at: Timestamp,
    ) -> Result<Imported, DeskError> {
        let license = cert.license.clone();
        let status = match check {
            BaseCheck::SeenBefore(imported) => return Ok(imported),
            BaseCheck::Same => {
                tx.mark_file(hash, kind_tag(FileKind::BaseCertificate), Some(text), at)?;
                return Ok((
                    ImportStatus::Unchanged,
                    license.clone(),
                    format!("base license {license} is already in the store"),
                ));
            }
            BaseCheck::Write(status) => status,
        };
        tx.put_base(
            cert,
            &Provenance {
                file_hash: hash,
                key_id: &signer.key_id,
                demo: signer.demo,
                text,
                at,
            },
        )?;
        // (put_base keeps the file, with its text, among the files imported.)
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
        // put_base set the license's last change to `at`: the audit entry alone is left.
        tx.audit_base_put(at, action, &license, &message, hash)?;
        Ok((status, license, message))
    }

    pub(crate) fn apply_failover(
        tx: &Tx<'_>,
        cert: &FailoverCertificate,
        signer: &Signer,
        hash: &str,
        text: &str,
        at: Timestamp,
    ) -> Result<Imported, DeskError> {
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
        if tx.base_certificate(&cert.base_license)?.is_none() {
            return Err(ImportRefusal::FailoverBaseMissing {
                license,
                base: cert.base_license.clone(),
            }
            .into());
        }
        if let Some(old) = tx.failover(&license)? {
            if old.certificate.base_license == cert.base_license {
                tx.mark_file(
                    hash,
                    kind_tag(FileKind::FailoverCertificate),
                    Some(text),
                    at,
                )?;
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
        // (put_failover keeps the file, with its text, among the files imported.)
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
