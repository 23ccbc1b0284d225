//! Importing files: certificates, activation responses, releases and usage journals, each
//! whole or not at all, base certificates first, known by their signed content.

use crate::import_bulk::{apply_checked, check_window, Check, CheckedFile};
use crate::vendor_file::{refused, Signer, VendorPayload};
use crate::views::*;
use crate::ImportRefusal;
use crate::{Desk, DeskError};
use licdesk_core::{Envelope, FileKind, LicenseNumber};

impl Desk {
    // -----------------------------------------------------------------------------------------
    // Importing

    /// Imports many files' contents (already read within the size cap) as one lot, in one
    /// transaction; see [`Desk::import_paths`].
    pub fn import_many(
        &mut self,
        files: Vec<(String, Result<Vec<u8>, DeskError>)>,
    ) -> Vec<ImportOutcome> {
        let window = check_window(&self.trust, files, |file| file);
        self.apply_window(window)
    }

    /// Imports a window of checked files ([`check_window`]), in its order: the certificates and
    /// responses that passed their check in one transaction, then everything else — other
    /// kinds, and files that failed a check (re-checked one by one for the precise reason) —
    /// by the single-file path.
    pub(crate) fn apply_window(&mut self, files: Vec<CheckedFile>) -> Vec<ImportOutcome> {
        let mut outcomes: Vec<Option<ImportOutcome>> = (0..files.len()).map(|_| None).collect();
        if files.iter().any(|f| f.check.is_vendor_file()) {
            let own = self.own_installation();
            let at = self.clock.now();
            match apply_checked(&mut self.store, &files, &own, at) {
                Ok(done) => {
                    for (n, o) in done {
                        outcomes[n] = Some(o);
                    }
                }
                // The window's transaction failed: each of its files is refused with the error.
                Err(e) => {
                    for (n, f) in files.iter().enumerate() {
                        if f.check.is_vendor_file() {
                            outcomes[n] = Some(refused(&f.name, None, e.clone()));
                        }
                    }
                }
            }
        }
        for (n, file) in files.into_iter().enumerate() {
            if outcomes[n].is_none() {
                outcomes[n] = Some(match file.check {
                    // (Each file that passed has its outcome already.)
                    Check::Passed(checked) => {
                        self.import_bytes(&file.name, checked.text.as_bytes())
                    }
                    Check::Failed(bytes) | Check::Other(Ok(bytes)) => {
                        self.import_bytes(&file.name, &bytes)
                    }
                    Check::Other(Err(e)) => refused(&file.name, None, e),
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
            FileKind::Release => {
                let text = String::from_utf8_lossy(bytes);
                self.import_release(envelope, &hash, &text)
            }
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
