//! Importing files: certificates, activation responses, releases and usage journals, each
//! whole or not at all, base certificates first, known by their signed content.

use crate::import_bulk::{on_every_core, verify_and_apply, VerifyJob};
use crate::vendor_file::{refused, Signer, VendorPayload};
use crate::views::*;
use crate::ImportRefusal;
use crate::{files, Desk, DeskError};
use licdesk_core::{Envelope, FileKind, LicenseNumber};
use std::path::PathBuf;

impl Desk {
    // -----------------------------------------------------------------------------------------
    // Importing

    /// Reads `paths` (on every core) and imports them as one lot.
    pub(crate) fn import_window(&mut self, paths: Vec<&PathBuf>) -> Vec<ImportOutcome> {
        let files: Vec<(String, Result<Vec<u8>, DeskError>)> = on_every_core(paths, |p| {
            (p.display().to_string(), files::read_license_file(p))
        });
        self.import_many(files)
    }

    /// Imports many files' contents (already read within the size cap) as one lot, in one
    /// transaction; see [`Desk::import_paths`].
    pub fn import_many(
        &mut self,
        files: Vec<(String, Result<Vec<u8>, DeskError>)>,
    ) -> Vec<ImportOutcome> {
        struct Item {
            name: String,
            bytes: Result<Vec<u8>, DeskError>,
            envelope: Option<Envelope>,
        }
        let mut items: Vec<Item> = on_every_core(files, |(name, bytes)| {
            let envelope = bytes.as_ref().ok().and_then(|b| Envelope::parse(b).ok());
            Item {
                name,
                bytes,
                envelope,
            }
        });
        items.sort_by_key(|i| kind_priority(i.envelope.as_ref().map(Envelope::kind)));

        // Verify the vendor-signed certificates and responses that name a trusted key: strictly
        // (verify_strict, as for a single file), and parse their content, on every core. A file
        // that fails is left for the single-file path below, which names the precise reason.
        let count = items.len();
        let envelopes: Vec<Option<Envelope>> =
            items.iter_mut().map(|i| i.envelope.take()).collect();
        let jobs: Vec<VerifyJob<'_>> = items
            .iter()
            .zip(envelopes)
            .enumerate()
            .filter_map(|(n, (item, envelope))| {
                let e = envelope.as_ref()?;
                if !matches!(
                    e.kind(),
                    FileKind::BaseCertificate
                        | FileKind::FailoverCertificate
                        | FileKind::ActivationResponse
                ) {
                    return None;
                }
                let trusted = self.trust.get(e.key_id())?;
                let signer = Signer {
                    key_id: trusted.key_id.clone(),
                    demo: trusted.demo,
                };
                let key = trusted.key;
                let bytes = item.bytes.as_deref().ok()?;
                Some(VerifyJob {
                    n,
                    envelope: envelope?,
                    key,
                    signer,
                    bytes,
                })
            })
            .collect();
        let names: Vec<&str> = items.iter().map(|i| i.name.as_str()).collect();
        let mut outcomes: Vec<Option<ImportOutcome>> = (0..count).map(|_| None).collect();
        if !jobs.is_empty() {
            let own = self.own_installation();
            let at = self.clock.now();
            match verify_and_apply(&mut self.store, &names, jobs, &own, at) {
                Ok(done) => {
                    for (n, o) in done {
                        outcomes[n] = Some(o);
                    }
                }
                Err(failed) => {
                    let (concerned, e) = *failed;
                    for n in concerned {
                        outcomes[n] = Some(refused(names[n], None, e.clone()));
                    }
                }
            }
        }
        // Everything else — other kinds, and files that failed a check (re-checked one by one
        // for the precise reason) — goes through the single-file path.
        for (n, item) in items.into_iter().enumerate() {
            if outcomes[n].is_none() {
                outcomes[n] = Some(match item.bytes {
                    Ok(bytes) => self.import_bytes(&item.name, &bytes),
                    Err(e) => refused(&item.name, None, e),
                });
            }
        }
        outcomes.into_iter().flatten().collect()
    }

    /// Imports one file's bytes (already read within the size cap).
    pub fn import_bytes(&mut self, name: &str, bytes: &[u8]) -> ImportOutcome {
        let envelope = match Envelope::parse(bytes) {
            Ok(e) => e,
            Err(e) => return refused(name, None, e.into()),
        };
        let kind = envelope.kind();
        // A signed file is the same file whatever its encoding: identified by what was signed.
        let hash = envelope.content_id();
        // A usage journal recorded as tampered: refused (never used), and to be dismissed once
        // looked into.
        let mut tampered = None;
        let result = match kind {
            FileKind::BaseCertificate
            | FileKind::FailoverCertificate
            | FileKind::ActivationResponse => {
                let text = String::from_utf8_lossy(bytes);
                self.import_vendor_file(envelope, &hash, &text)
            }
            FileKind::UsageJournal => {
                let text = String::from_utf8_lossy(bytes);
                self.import_journal(envelope, &hash, &text)
                    .map(|(imported, refusal)| {
                        tampered = refusal;
                        imported
                    })
            }
            FileKind::Release => self.import_release(envelope, &hash),
            FileKind::ReleaseRequest => Err(ImportRefusal::ReleaseRequestNotImported.into()),
            FileKind::HardwareId => Err(ImportRefusal::HardwareIdFileNotImported.into()),
            FileKind::ActivationRequest => Err(ImportRefusal::ActivationRequestNotImported.into()),
            FileKind::VendorPublicKey => Err(ImportRefusal::VendorKeyNotImported.into()),
        };
        match result {
            Ok((status, license, message)) => ImportOutcome {
                file: name.to_string(),
                kind: Some(kind.tag()),
                status,
                result: status.result(),
                activation: ActivatedSystem::after_import(&self.store, status, &license),
                license: Some(license),
                error: tampered
                    .filter(|_| status == ImportStatus::Tampered)
                    .map(DeskError::from),
                message,
            },
            Err(e) => refused(name, Some(kind), e),
        }
    }

    /// A certificate or a response, verified strictly and applied in its own transaction.
    pub(crate) fn import_vendor_file(
        &mut self,
        envelope: Envelope,
        hash: &str,
        text: &str,
    ) -> Result<(ImportStatus, LicenseNumber, String), DeskError> {
        let kind = envelope.kind();
        let (verified, trusted) = self.trust.verify(envelope)?;
        let signer = Signer {
            key_id: trusted.key_id.clone(),
            demo: trusted.demo,
        };
        debug_assert_eq!(kind, verified.kind);
        let payload = VendorPayload::of(&verified)?;
        let own = self.own_installation();
        let tx = self.store.write()?;
        let result = payload.apply(&tx, &signer, hash, text, &own, self.clock.now())?;
        tx.commit()?;
        Ok(result)
    }
}

pub(crate) fn kind_priority(kind: Option<FileKind>) -> u8 {
    match kind {
        Some(FileKind::BaseCertificate) => 0,
        Some(FileKind::FailoverCertificate) => 1,
        Some(FileKind::ActivationResponse) | Some(FileKind::Release) => 2,
        _ => 3,
    }
}
