//! License Desk's use cases: everything the `licdesk` CLI and the desktop app do, written once.
//!
//! Invariants kept here:
//! - A file's signature is checked against a trusted key before anything in it is used, and its
//!   size is checked before it is read.
//! - Each imported file is one store transaction: it lands whole or not at all; importing the same
//!   file again changes nothing and is not an error.
//! - Every change goes to the append-only audit log with the file's SHA-256.

mod check;
mod error;
pub mod files;
mod installation;
pub mod location;
mod usage;
mod views;

use std::path::{Path, PathBuf};

use licdesk_core::Verified;
use licdesk_core::{
    envelope::SignedBy, model::HardwareIdFile, rules, seal, ActivationRequest, ActivationResponse,
    BaseCertificate, Envelope, FailoverCertificate, FileKind, Hardware, HardwareId, KnownSystem,
    LicenseNumber, LicenseProduct, Role, StandbyMode, Timestamp, TrustStore, VendorPublicKey,
};
use licdesk_store::Tx;
use licdesk_store::{
    Activation, MarkQueries, Provenance, Queries, Store, StoredBase, StoredKey, StoredRequest,
    StoredSystem, SystemState,
};
use rand_core::RngCore;

pub use check::{CheckReport, CheckStatus, MAX_STATUS_LINE};
pub use error::{DeskError, ErrorCode};
pub use licdesk_outfile::IfExists;
pub use usage::{level_word, AcknowledgedViolations, DismissedJournal};
pub use views::*;

/// How a machine is named when registering or requesting.
#[derive(Debug, Clone)]
pub enum MachineChoice {
    /// This machine, read now.
    ThisMachine,
    /// A hardware ID typed or pasted (checked by its check characters).
    Typed(String),
    /// A hardware-ID file made with `licdesk hwid --out` on the other machine.
    File(PathBuf),
    /// The content of a hardware-ID file (the window reads the file the user picked or dropped).
    FileContent(Vec<u8>),
}

/// A machine, and the public key of the License Desk installation on it when known.
#[derive(Debug, Clone)]
pub struct Machine {
    pub hardware: Hardware,
    pub installation_key: Option<String>,
}

/// How many bytes of files a bulk import holds at once (see [`Desk::import_paths`]).
pub const IMPORT_WINDOW_BYTES: u64 = 32 * 1024 * 1024;

/// The most rows a list page may ask for.
pub const MAX_PAGE: u32 = 500;

#[derive(Debug)]
pub struct Desk {
    store: Store,
    trust: TrustStore,
    store_path: PathBuf,
}

pub fn now() -> Timestamp {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    Timestamp::from_unix(secs)
}

/// This machine's hardware (components hashed; see the tolerance rule in `licdesk_core::hwid`).
pub fn this_machine() -> Result<Hardware, DeskError> {
    Ok(licdesk_machine::this_machine()?)
}

fn kind_priority(kind: Option<FileKind>) -> u8 {
    match kind {
        Some(FileKind::BaseCertificate) => 0,
        Some(FileKind::FailoverCertificate) => 1,
        Some(FileKind::ActivationResponse) | Some(FileKind::Release) => 2,
        _ => 3,
    }
}

impl Desk {
    /// Opens the store at `path` (creating it and its folder on first use).
    pub fn open(path: &Path) -> Result<Desk, DeskError> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| DeskError::io("create", dir, &e))?;
        }
        let store = Store::open(path)?;
        let mut desk = Desk {
            store,
            trust: TrustStore::built_in(),
            store_path: path.to_path_buf(),
        };
        desk.reload_trust()?;
        Ok(desk)
    }

    /// Opens an existing store for reading only (monitoring): nothing is created or changed.
    pub fn open_read_only(path: &Path) -> Result<Desk, DeskError> {
        let mut desk = Desk {
            store: Store::open_read_only(path)?,
            trust: TrustStore::built_in(),
            store_path: path.to_path_buf(),
        };
        desk.reload_trust()?;
        Ok(desk)
    }

    pub fn store_path(&self) -> &Path {
        &self.store_path
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    fn reload_trust(&mut self) -> Result<(), DeskError> {
        let mut trust = TrustStore::built_in();
        for k in self.store.trusted_keys()? {
            let key = licdesk_core::trust::decode_public_key(&k.public_key).map_err(|e| {
                DeskError::new(ErrorCode::Store, format!("trusted key {}: {e}", k.key_id))
            })?;
            trust = trust.with_added(k.vendor, key);
        }
        self.trust = trust;
        Ok(())
    }

    pub fn trusted_keys(&self) -> Vec<TrustedKeyView> {
        self.trust
            .keys()
            .iter()
            .map(|k| TrustedKeyView {
                key_id: k.key_id.to_string(),
                vendor: k.vendor.clone(),
                demo: k.demo,
                origin: match k.origin {
                    licdesk_core::trust::KeyOrigin::BuiltIn => "built-in".into(),
                    licdesk_core::trust::KeyOrigin::Added => "added".into(),
                },
                public_key: licdesk_core::trust::encode_public_key(&k.key),
            })
            .collect()
    }

    fn vendor_of(&self, key_id: &licdesk_core::KeyId) -> String {
        self.trust
            .get(key_id)
            .map(|k| k.vendor.clone())
            .unwrap_or_else(|| format!("untrusted key {key_id}"))
    }

    // -----------------------------------------------------------------------------------------
    // Reading

    pub fn list(&self, filter: &str, offset: u32, limit: u32) -> Result<LicensePage, DeskError> {
        let limit = limit.clamp(1, MAX_PAGE);
        let (page, total) = self.store.page_bases(filter, offset, limit)?;
        let rows = page
            .into_iter()
            .map(|b| {
                let mut row = self.summary(
                    b.license,
                    b.customer,
                    b.variant,
                    b.revision,
                    b.demo,
                    b.extensions,
                    &b.entitlement_digest,
                )?;
                // The list says which systems wait for the vendor's response (an index lookup
                // for each system not active).
                self.mark_open_requests(&mut row)?;
                Ok(row)
            })
            .collect::<Result<Vec<_>, DeskError>>()?;
        Ok(LicensePage {
            total,
            offset,
            rows,
        })
    }

    #[allow(clippy::too_many_arguments)]
    fn summary(
        &self,
        license: LicenseNumber,
        customer: String,
        variant: licdesk_core::Variant,
        revision: u32,
        demo: bool,
        extensions: Vec<licdesk_core::Extension>,
        digest: &str,
    ) -> Result<LicenseSummary, DeskError> {
        let systems = self.store.systems_of(&license)?;
        let view = |s: &StoredSystem| system_view(s, digest);
        let main_system = systems.iter().find(|s| s.role == Role::Main).map(view);
        let failovers = self
            .store
            .failovers_of(&license)?
            .into_iter()
            .map(|f| FailoverView {
                usage: self
                    .store
                    .usage_report(&f.certificate.license)
                    .ok()
                    .flatten(),
                standby: systems
                    .iter()
                    .find(|s| s.role == Role::Standby && s.license == f.certificate.license)
                    .map(view),
                license: f.certificate.license,
                article: f.certificate.article,
                demo: f.demo,
            })
            .collect();
        Ok(LicenseSummary {
            license,
            customer,
            variant,
            revision,
            demo,
            extensions,
            failovers,
            main_system,
        })
    }

    /// One base license in full. A FailoverSuite number shows its base license.
    pub fn show(&self, license: &LicenseNumber) -> Result<LicenseDetail, DeskError> {
        let base_number = match license.product() {
            LicenseProduct::Suite => license.clone(),
            LicenseProduct::FailoverSuite => self.failover_cert(license)?.base_license,
        };
        let base = self.base(&base_number)?;
        let cert = &base.certificate;
        let summary = self.summary(
            cert.license.clone(),
            cert.customer.clone(),
            cert.variant,
            cert.revision,
            base.demo,
            cert.extensions.clone(),
            &base.entitlement_digest,
        )?;
        let mut notices = Vec::new();
        if base.demo {
            notices.push(
                "DEMO: this license was issued by the demo vendor and licenses nothing."
                    .to_string(),
            );
        }
        // R11: the notice names the limits of each standby's signed activation (the data
        // sheet's five days for a FailoverSuite not activated yet).
        for f in &summary.failovers {
            let notice = self.standby_notice(&f.license)?;
            if !notices.contains(&notice) {
                notices.push(notice);
            }
        }
        if let Some(floor) = self.clock_behind()? {
            notices.push(format!(
                "The system clock is behind the latest signed time this desk has seen ({floor}): check the clock; licensing times cannot be trusted while it is wrong."
            ));
        }
        let mut summary = summary;
        self.mark_open_requests(&mut summary)?;
        let systems = summary
            .main_system
            .iter()
            .chain(summary.failovers.iter().filter_map(|f| f.standby.as_ref()));
        for s in systems {
            if s.status == Status::OutOfDate {
                notices.push(format!(
                    "The {} system {} was activated before the main system's licenses changed: export a new activation request and import the response (R5).",
                    s.role.code(),
                    s.hardware_id
                ));
            }
        }
        Ok(LicenseDetail {
            entitlements: cert.entitlements(),
            issued_at: cert.issued_at,
            key_id: base.key_id.to_string(),
            vendor: self.vendor_of(&base.key_id),
            notices,
            summary,
        })
    }

    /// Sets `request_written_at` on the systems of `summary` that are not active: when the
    /// latest request for each was written, unless a response, a new registration or a release
    /// came after it (from the audit log, read only when a system of this license waits).
    fn mark_open_requests(&self, summary: &mut LicenseSummary) -> Result<(), DeskError> {
        let waiting =
            |s: &Option<SystemView>| s.as_ref().is_some_and(|s| s.status != Status::Active);
        if !waiting(&summary.main_system) && !summary.failovers.iter().any(|f| waiting(&f.standby))
        {
            return Ok(());
        }
        let systems = summary.main_system.iter_mut().chain(
            summary
                .failovers
                .iter_mut()
                .filter_map(|f| f.standby.as_mut()),
        );
        for s in systems.filter(|s| s.status != Status::Active) {
            // A request written before the system was (re)registered asked for something else.
            s.request_written_at = self
                .store
                .open_request_at(&s.license, s.role, &s.hardware_id)?
                .filter(|written| *written >= s.registered_at);
        }
        Ok(())
    }

    fn base(&self, license: &LicenseNumber) -> Result<StoredBase, DeskError> {
        self.store.base(license)?.ok_or_else(|| {
            DeskError::new(
                ErrorCode::NotFound,
                format!("base license {license} is not in the store: import its certificate first"),
            )
        })
    }

    fn failover_cert(&self, license: &LicenseNumber) -> Result<FailoverCertificate, DeskError> {
        Ok(self
            .store
            .failover(license)?
            .ok_or_else(|| {
                DeskError::new(
                    ErrorCode::NotFound,
                    format!("FailoverSuite license {license} is not in the store: import its certificate first"),
                )
            })?
            .certificate)
    }

    // -----------------------------------------------------------------------------------------
    // Importing

    /// Imports files. Base certificates go first, then FailoverSuite certificates, then responses
    /// and releases, whatever the order given. Each file lands whole or not at all (a savepoint
    /// each, inside one transaction for the lot); vendor signatures are checked in batches on
    /// every core, and a file whose signature fails is found, named and refused on its own.
    ///
    /// Memory stays bounded whatever the files: when they hold more than
    /// [`IMPORT_WINDOW_BYTES`] together, they are ordered by the kind their first line names
    /// and imported a window at a time (each window one transaction), so that only about that
    /// many bytes of files are held at once.
    pub fn import_paths(&mut self, paths: &[PathBuf]) -> Vec<ImportOutcome> {
        let sizes: Vec<u64> = on_every_core(paths.iter().collect(), |p| {
            std::fs::metadata(p).map(|m| m.len()).unwrap_or(0)
        });
        if sizes.iter().sum::<u64>() <= IMPORT_WINDOW_BYTES {
            return self.import_window(paths.iter().collect());
        }
        let mut order: Vec<(u8, usize)> = on_every_core((0..paths.len()).collect(), |i| {
            (kind_priority(files::peek_kind(&paths[i])), i)
        });
        order.sort_unstable();
        let mut outcomes = Vec::with_capacity(paths.len());
        let mut window: Vec<&PathBuf> = Vec::new();
        let mut window_bytes = 0u64;
        for (_, i) in order {
            let size = sizes[i].min(licdesk_core::envelope::MAX_FILE_BYTES);
            if !window.is_empty() && window_bytes + size > IMPORT_WINDOW_BYTES {
                outcomes.extend(self.import_window(std::mem::take(&mut window)));
                window_bytes = 0;
            }
            window.push(&paths[i]);
            window_bytes += size;
        }
        if !window.is_empty() {
            outcomes.extend(self.import_window(window));
        }
        outcomes
    }

    /// Reads `paths` (on every core) and imports them as one lot.
    fn import_window(&mut self, paths: Vec<&PathBuf>) -> Vec<ImportOutcome> {
        let files: Vec<(String, Result<Vec<u8>, DeskError>)> = on_every_core(paths, |p| {
            (p.display().to_string(), files::read_license_file(p))
        });
        self.import_many(files)
    }

    /// Imports many files' contents (already read within the size cap); see [`Desk::import_paths`].
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
            match verify_and_apply(&mut self.store, &names, jobs, &own) {
                Ok(done) => {
                    for (n, o) in done {
                        outcomes[n] = Some(o);
                    }
                }
                Err((concerned, e)) => {
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
        let result = match kind {
            FileKind::BaseCertificate | FileKind::FailoverCertificate | FileKind::ActivationResponse => {
                let text = String::from_utf8_lossy(bytes);
                self.import_vendor_file(envelope, &hash, &text)
            }
            FileKind::UsageJournal => self.import_journal(envelope, &hash),
            FileKind::Release => self.import_release(envelope, &hash),
            FileKind::ReleaseRequest => Err(DeskError::new(
                ErrorCode::WrongKind,
                "this is a release request: send it to the vendor, then import the standby release the vendor returns",
            )),
            FileKind::HardwareId => Err(DeskError::new(
                ErrorCode::WrongKind,
                "a hardware-ID file is not imported: use it to register a standby (licdesk standby register --hwid-file FILE) or to write a request (--hwid-file FILE)",
            )),
            FileKind::ActivationRequest => Err(DeskError::new(
                ErrorCode::WrongKind,
                "this is an activation request: send it to the vendor, then import the activation response the vendor returns",
            )),
            FileKind::VendorPublicKey => Err(DeskError::new(
                ErrorCode::WrongKind,
                "this is a vendor public key: trust it with 'licdesk trust add FILE' (the window cannot add trusted keys)",
            )),
        };
        match result {
            Ok((status, license, message)) => ImportOutcome {
                file: name.to_string(),
                kind: Some(kind.tag()),
                status,
                activation: ActivatedSystem::after_import(&self.store, status, &license),
                license: Some(license),
                message,
                error: None,
            },
            Err(e) => refused(name, Some(kind), e),
        }
    }

    /// A certificate or a response, verified strictly and applied in its own transaction.
    fn import_vendor_file(
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
        let result = payload.apply(&tx, &signer, hash, text, &own)?;
        tx.commit()?;
        Ok(result)
    }

    fn apply_base(
        tx: &Tx<'_>,
        cert: &BaseCertificate,
        signer: &Signer,
        hash: &str,
        text: &str,
    ) -> Result<(ImportStatus, LicenseNumber, String), DeskError> {
        cert.validate().map_err(|d| {
            DeskError::new(
                ErrorCode::InvalidContent,
                format!("the base license certificate is invalid: {d}"),
            )
        })?;
        let (key_id, demo) = (signer.key_id.clone(), signer.demo);
        let at = now();
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
        let status = match &stored {
            Some(old) if old.certificate.revision > cert.revision => {
                return Err(DeskError::new(
                    ErrorCode::Superseded,
                    format!(
                        "this certificate is revision {} of {license}, superseded by revision {} (issued {}) in the store: nothing was changed",
                        cert.revision, old.certificate.revision, old.certificate.issued_at
                    ),
                ))
            }
            Some(old) if old.certificate.revision == cert.revision => {
                if old.certificate == *cert {
                    tx.mark_file(hash, kind_tag(FileKind::BaseCertificate), at)?;
                    return Ok((ImportStatus::Unchanged, license.clone(), format!("base license {license} is already in the store")));
                }
                return Err(DeskError::new(
                    ErrorCode::Conflict,
                    format!(
                        "revision {} of {license} in the store differs from this certificate's: ask the vendor for a certificate with a higher revision",
                        cert.revision
                    ),
                ));
            }
            Some(_) => ImportStatus::Upgraded,
            None => ImportStatus::Imported,
        };
        if let Some(old) = &stored {
            if old.certificate.customer != cert.customer {
                return Err(DeskError::new(
                    ErrorCode::Conflict,
                    format!("{license} belongs to customer '{}' in the store, but this certificate names '{}': nothing was changed", licdesk_core::escape_for_terminal(&old.certificate.customer), cert.customer),
                ));
            }
        }
        usage::raise_time_floor(tx, cert.issued_at)?;
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

    /// Records what a verified response activates: the system with its hardware (R13: with its
    /// components where the vendor saw them), the signed activation, the vendor's time, the file.
    fn record_activation(
        tx: &Tx<'_>,
        response: &ActivationResponse,
        mode: Option<StandbyMode>,
        hash: &str,
        text: &str,
        at: Timestamp,
    ) -> Result<(), DeskError> {
        let activation = Activation {
            installation_key: response.installation_key.clone(),
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
        usage::raise_time_floor(tx, response.activated_at)?;
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
    fn apply_own_standby_response(
        tx: &Tx<'_>,
        response: &ActivationResponse,
        hash: &str,
        text: &str,
        own: &OwnInstallation,
        short: &str,
    ) -> Result<(ImportStatus, LicenseNumber, String), DeskError> {
        let license = response.license.clone();
        let certifies_this_installation = response.role == Role::Standby
            && response.installation_key.is_some()
            && response.installation_key.as_ref() == own.key();
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
        let at = now();
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

    fn apply_failover(
        tx: &Tx<'_>,
        cert: &FailoverCertificate,
        signer: &Signer,
        hash: &str,
        text: &str,
    ) -> Result<(ImportStatus, LicenseNumber, String), DeskError> {
        cert.validate().map_err(|d| {
            DeskError::new(
                ErrorCode::InvalidContent,
                format!("the FailoverSuite certificate is invalid: {d}"),
            )
        })?;
        let (key_id, demo) = (signer.key_id.clone(), signer.demo);
        let at = now();
        let license = cert.license.clone();
        if tx.file_seen(hash)? {
            return Ok((
                ImportStatus::Unchanged,
                license.clone(),
                format!("FailoverSuite {license} is already in the store"),
            ));
        }
        if tx.base(&cert.base_license)?.is_none() {
            return Err(DeskError::new(
                ErrorCode::BaseMissing,
                format!(
                    "FailoverSuite {license} extends base license {}, which is not in the store: import the certificate of {} first, then this one",
                    cert.base_license, cert.base_license
                ),
            ));
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
            return Err(DeskError::new(
                ErrorCode::Conflict,
                format!(
                    "FailoverSuite {license} is attached to {} in the store, but this certificate names {}: nothing was changed",
                    old.certificate.base_license, cert.base_license
                ),
            ));
        }
        usage::raise_time_floor(tx, cert.issued_at)?;
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

    fn apply_response(
        tx: &Tx<'_>,
        response: &ActivationResponse,
        hash: &str,
        text: &str,
        own: &OwnInstallation,
    ) -> Result<(ImportStatus, LicenseNumber, String), DeskError> {
        response.validate().map_err(|d| {
            DeskError::new(
                ErrorCode::InvalidContent,
                format!("the activation response is invalid: {d}"),
            )
        })?;
        let at = now();
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
            return Self::apply_own_standby_response(tx, response, hash, text, own, &short);
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

    // -----------------------------------------------------------------------------------------
    // Machines, registration and requests

    /// Resolves a machine choice to a validated hardware description and, where known, the
    /// public key of the License Desk installation on it (which will sign its usage journal).
    pub fn resolve_machine(&self, choice: &MachineChoice) -> Result<Machine, DeskError> {
        match choice {
            MachineChoice::ThisMachine => Ok(Machine {
                hardware: this_machine()?,
                installation_key: Some(licdesk_core::trust::encode_public_key(
                    &self.installation_key()?.verifying_key(),
                )),
            }),
            MachineChoice::Typed(text) => Ok(Machine {
                hardware: Hardware::from_code(HardwareId::parse(text)?),
                installation_key: None,
            }),
            MachineChoice::File(path) => read_hardware_file(path),
            MachineChoice::FileContent(bytes) => hardware_from_file_bytes(bytes),
        }
    }

    /// This desk's installation and machine, read only if a response asks for them.
    fn own_installation(&self) -> OwnInstallation {
        OwnInstallation {
            key_path: location::installation_key_path(&self.store_path),
            read: std::cell::OnceCell::new(),
        }
    }

    /// A file written for people at `out`: never over this desk's store (nor its SQLite
    /// siblings) or its installation key, whatever name it is given; an existing file only when
    /// `if_exists` says to replace it.
    pub fn output(&self, out: &Path, if_exists: IfExists) -> licdesk_outfile::Output {
        licdesk_outfile::Output::new(out, if_exists)
            .protect_database(&self.store_path, "this desk's store")
            .protect(
                location::installation_key_path(&self.store_path),
                "this desk's installation key",
            )
    }

    fn installation_key(&self) -> Result<licdesk_core::SigningKey, DeskError> {
        installation::load_or_create(&location::installation_key_path(&self.store_path))
    }

    fn known_systems(
        &self,
        except: Option<(Role, &LicenseNumber)>,
    ) -> Result<Vec<KnownSystem>, DeskError> {
        Ok(self
            .store
            .all_systems()?
            .into_iter()
            .filter(|s| {
                except.is_none_or(|(role, l)| {
                    !(s.role == role && &s.license == l && s.state == SystemState::Pending)
                })
            })
            .map(|s| KnownSystem {
                role: s.role,
                license: s.license,
                hardware: s.hardware,
            })
            .collect())
    }

    /// Registers the standby machine of a FailoverSuite (R4, R13). A pending registration of
    /// the same FailoverSuite is replaced; an active one with another machine is refused.
    pub fn register_standby(
        &mut self,
        failover: &LicenseNumber,
        machine: &MachineChoice,
        mode: StandbyMode,
    ) -> Result<SystemView, DeskError> {
        let machine = self.resolve_machine(machine)?;
        self.register_standby_machine(failover, machine, mode)
    }

    /// Registers a standby known only by its hardware (as if typed in: no installation key).
    pub fn register_standby_hardware(
        &mut self,
        failover: &LicenseNumber,
        hardware: Hardware,
        mode: StandbyMode,
    ) -> Result<SystemView, DeskError> {
        let machine = Machine {
            hardware,
            installation_key: None,
        };
        self.register_standby_machine(failover, machine, mode)
    }

    fn register_standby_machine(
        &mut self,
        failover: &LicenseNumber,
        machine: Machine,
        mode: StandbyMode,
    ) -> Result<SystemView, DeskError> {
        let hardware = machine.hardware;
        if failover.product() != LicenseProduct::FailoverSuite {
            return Err(self.not_a_failover(failover));
        }
        let cert = self.failover_cert(failover)?;
        let base = self.base(&cert.base_license)?;
        let known = self.known_systems(Some((Role::Standby, failover)))?;
        rules::check_standby(failover, &hardware, &known)?;
        let at = now();
        let tx = self.store.write()?;
        stage_standby(
            &tx,
            failover,
            &cert.base_license,
            &hardware,
            machine.installation_key.as_deref(),
            mode,
            at,
        )?;
        tx.commit()?;
        let system = self
            .store
            .system(Role::Standby, failover)?
            .ok_or_else(|| DeskError::new(ErrorCode::Store, "the registration was not stored"))?;
        Ok(system_view(&system, &base.entitlement_digest))
    }

    fn not_a_failover(&self, license: &LicenseNumber) -> DeskError {
        let hint = match self.store.failovers_of(license) {
            Ok(list) if !list.is_empty() => format!(
                ": its FailoverSuite licenses are {}",
                list.iter()
                    .map(|f| f.certificate.license.to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            _ => String::new(),
        };
        DeskError::invalid(format!(
            "{license} is a base license; a standby belongs to a FailoverSuite license (XFM-…){hint}"
        ))
    }

    /// Writes an activation request to `out` (SPEC §3 step 4). For a standby, `license` is the
    /// FailoverSuite license and the machine defaults to the registered standby; for a main
    /// system, `license` is the base license and the machine defaults to this machine.
    pub fn write_request(
        &mut self,
        license: &LicenseNumber,
        role: Role,
        machine: Option<&MachineChoice>,
        out: &Path,
        if_exists: IfExists,
    ) -> Result<RequestWritten, DeskError> {
        let output = self.output(out, if_exists);
        output.check()?;
        let mut standby_to_register = None;
        let (base_number, mut certificates, hardware, mode, installation_key) = match role {
            Role::Standby => {
                if license.product() != LicenseProduct::FailoverSuite {
                    return Err(self.not_a_failover(license));
                }
                let fo = self.store.failover(license)?.ok_or_else(|| {
                    DeskError::new(ErrorCode::NotFound, format!("FailoverSuite license {license} is not in the store: import its certificate first"))
                })?;
                let registered = self.store.system(Role::Standby, license)?;
                let named = match machine {
                    Some(choice) => Some(self.resolve_machine(choice)?),
                    None => None,
                };
                match (named, registered) {
                    // The registered standby, as it is.
                    (None, Some(system)) => (
                        fo.certificate.base_license.clone(),
                        vec![fo.certificate_text],
                        system.hardware,
                        system.mode,
                        system.installation_key,
                    ),
                    (Some(named), registered) => {
                        let same = registered
                            .as_ref()
                            .is_some_and(|s| s.hardware.id == named.hardware.id);
                        let mode = registered.as_ref().and_then(|s| s.mode);
                        if !same {
                            // A new standby: registered with the request, in its transaction,
                            // so that a request that cannot be written leaves no registration.
                            let known = self.known_systems(Some((Role::Standby, license)))?;
                            rules::check_standby(license, &named.hardware, &known)?;
                            standby_to_register = Some((
                                named.hardware.clone(),
                                named.installation_key.clone(),
                                mode.unwrap_or(StandbyMode::Cold),
                            ));
                        }
                        let key = match (same, registered) {
                            (true, Some(s)) => s.installation_key.or(named.installation_key),
                            _ => named.installation_key,
                        };
                        (
                            fo.certificate.base_license.clone(),
                            vec![fo.certificate_text],
                            named.hardware,
                            Some(mode.unwrap_or(StandbyMode::Cold)),
                            key,
                        )
                    }
                    (None, None) => {
                        return Err(DeskError::invalid(format!(
                            "no standby is registered for {license}: register it first (licdesk standby register) or name the machine with --hwid, --hwid-file or --this-machine"
                        )))
                    }
                }
            }
            Role::Main => {
                if license.product() != LicenseProduct::Suite {
                    return Err(DeskError::invalid(format!(
                        "{license} is a FailoverSuite license; a main system is activated with its base license (OMS-…), and a FailoverSuite with --role standby"
                    )));
                }
                let named = self.resolve_machine(machine.unwrap_or(&MachineChoice::ThisMachine))?;
                let known = self.known_systems(Some((Role::Main, license)))?;
                rules::check_main(license, &named.hardware, &known)?;
                (license.clone(), vec![], named.hardware, None, None)
            }
        };
        if role == Role::Standby && installation_key.is_none() {
            // The vendor certifies the standby installation's key (its usage journals and a later
            // release are signed with it): a hardware ID typed by hand carries none.
            return Err(DeskError::new(ErrorCode::NoInstallationKey, format!(
                "the standby {} of {license} was named by a typed hardware ID, which cannot be activated: make a hardware-ID file on the standby (licdesk hwid --out FILE) and register it from that file, or write the request on the standby itself with --this-machine",
                hardware.id
            )));
        }
        let base = self.base(&base_number)?;
        certificates.insert(0, base.certificate_text.clone());
        let key = self.installation_key()?;
        let mut nonce_bytes = [0u8; 32];
        rand_core::OsRng.fill_bytes(&mut nonce_bytes);
        let nonce: String = nonce_bytes.iter().map(|b| format!("{b:02x}")).collect();
        let at = now();
        let request = ActivationRequest {
            nonce: nonce.clone(),
            created_at: at,
            license: license.clone(),
            role,
            hardware: hardware.clone(),
            mirrors: base_number.clone(),
            mode,
            certificates,
            installation_key,
        };
        let text = seal(FileKind::ActivationRequest, &request, &key);
        let hash = files::sha256_hex(text.as_bytes());
        let tx = self.store.write()?;
        if let Some((standby, key, mode)) = &standby_to_register {
            stage_standby(
                &tx,
                license,
                &base_number,
                standby,
                key.as_deref(),
                *mode,
                at,
            )?;
        }
        if role == Role::Main {
            let existing = tx.system(Role::Main, license)?;
            if existing
                .as_ref()
                .is_none_or(|s| s.hardware.id != hardware.id)
            {
                tx.put_pending_system(
                    Role::Main,
                    license,
                    &base_number,
                    &hardware,
                    None,
                    None,
                    at,
                )?;
            }
        }
        tx.put_request(
            &StoredRequest {
                nonce: nonce.clone(),
                license: license.clone(),
                role,
                hardware_id: hardware.id.clone(),
                created_at: at,
                answered_at: None,
            },
            &hash,
        )?;
        let detail = format!(
            "activation request for {license} as {} on {} written to {}",
            role.code(),
            hardware.id,
            out.display()
        );
        tx.audit(
            at,
            "request-written",
            license.as_str(),
            &detail,
            Some(&hash),
        )?;
        output.write(text.as_bytes())?;
        if let Err(e) = tx.commit() {
            let _ = std::fs::remove_file(out);
            return Err(e.into());
        }
        Ok(RequestWritten {
            file: out.display().to_string(),
            license: license.clone(),
            role,
            hardware_id: hardware.id,
            mirrors: base_number,
            nonce,
        })
    }

    /// Writes this machine's hardware-ID file (for registering it as a standby elsewhere).
    pub fn write_hardware_file(
        &self,
        out: &Path,
        if_exists: IfExists,
    ) -> Result<Hardware, DeskError> {
        let output = self.output(out, if_exists);
        output.check()?;
        let hardware = this_machine()?;
        let key = self.installation_key()?;
        let text = seal(
            FileKind::HardwareId,
            &HardwareIdFile {
                hardware: hardware.clone(),
                created_at: now(),
            },
            &key,
        );
        output.write(text.as_bytes())?;
        Ok(hardware)
    }

    /// Trusts another vendor public key (audited). The window cannot call this.
    pub fn trust_add(&mut self, path: &Path) -> Result<(TrustedKeyView, bool), DeskError> {
        let bytes = files::read_capped(path, FileKind::VendorPublicKey.size_cap())?;
        let envelope = Envelope::parse(&bytes)?.expect(FileKind::VendorPublicKey)?;
        let verified = envelope.verify_self_signed()?;
        let payload: VendorPublicKey = verified.payload()?;
        let key = licdesk_core::trust::decode_public_key(&payload.public_key)
            .map_err(|e| DeskError::new(ErrorCode::InvalidContent, e))?;
        if key != verified.signer || payload.key_id != verified.key_id {
            return Err(DeskError::new(
                ErrorCode::InvalidContent,
                "the vendor public key file names another key than the one that signed it",
            ));
        }
        licdesk_core::model::validate_text("vendor name", &payload.vendor, 200)
            .map_err(|e| DeskError::new(ErrorCode::InvalidContent, e))?;
        let hash = files::sha256_hex(&bytes);
        let added = self.trust.get(&payload.key_id).is_none();
        if added {
            let at = now();
            let tx = self.store.write()?;
            tx.put_trusted_key(
                &StoredKey {
                    key_id: payload.key_id.clone(),
                    public_key: payload.public_key.clone(),
                    vendor: payload.vendor.clone(),
                    added_at: at,
                },
                &hash,
            )?;
            tx.audit(
                at,
                "trust-added",
                payload.key_id.as_str(),
                &format!("vendor key of {} trusted", payload.vendor),
                Some(&hash),
            )?;
            tx.commit()?;
            self.reload_trust()?;
        }
        let view = self
            .trusted_keys()
            .into_iter()
            .find(|k| k.key_id == payload.key_id.as_str())
            .ok_or_else(|| DeskError::new(ErrorCode::Store, "the key was not stored"))?;
        Ok((view, added))
    }

    pub fn audit_log(&self) -> Result<Vec<licdesk_store::AuditEntry>, DeskError> {
        Ok(self.store.audit_log()?)
    }
}

/// Writes a standby registration into `tx`, with its audit entry. The same machine again changes
/// only its mode (R9: cold, hot and test are licensed alike); another machine replaces a pending
/// registration.
fn stage_standby(
    tx: &licdesk_store::Tx<'_>,
    failover: &LicenseNumber,
    base_license: &LicenseNumber,
    hardware: &Hardware,
    installation_key: Option<&str>,
    mode: StandbyMode,
    at: Timestamp,
) -> Result<(), DeskError> {
    match tx.system(Role::Standby, failover)? {
        Some(s) if s.hardware.id == hardware.id && s.state == SystemState::Active => {
            tx.set_mode(Role::Standby, failover, mode)?
        }
        _ => tx.put_pending_system(
            Role::Standby,
            failover,
            base_license,
            hardware,
            Some(mode),
            installation_key,
            at,
        )?,
    }
    let detail = format!(
        "standby {} registered for FailoverSuite {failover} of {base_license} as {}",
        hardware.id,
        mode.describe()
    );
    tx.audit(at, "standby-registered", failover.as_str(), &detail, None)?;
    Ok(())
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

/// Who signed a verified vendor file.
#[derive(Debug, Clone)]
struct Signer {
    key_id: licdesk_core::KeyId,
    demo: bool,
}

/// A file to verify: its place in the import, its envelope, the trusted key it names, who that
/// key is, and the file's bytes.
struct VerifyJob<'a> {
    n: usize,
    envelope: Envelope,
    key: licdesk_core::VerifyingKey,
    signer: Signer,
    bytes: &'a [u8],
}

/// A vendor file whose signature verified and whose content parsed, ready to apply.
struct Checked {
    payload: VendorPayload,
    signer: Signer,
    hash: String,
    text: String,
}

/// The content of a verified vendor file.
enum VendorPayload {
    Base(BaseCertificate),
    Failover(FailoverCertificate),
    Response(Box<ActivationResponse>),
}

impl VendorPayload {
    fn of(verified: &Verified) -> Result<VendorPayload, DeskError> {
        Ok(match verified.kind {
            FileKind::BaseCertificate => VendorPayload::Base(verified.payload()?),
            FileKind::FailoverCertificate => VendorPayload::Failover(verified.payload()?),
            FileKind::ActivationResponse => VendorPayload::Response(Box::new(verified.payload()?)),
            other => {
                return Err(DeskError::new(
                    ErrorCode::WrongKind,
                    format!("a {} is not signed by the vendor", other.describe()),
                ))
            }
        })
    }

    fn kind(&self) -> FileKind {
        match self {
            VendorPayload::Base(_) => FileKind::BaseCertificate,
            VendorPayload::Failover(_) => FileKind::FailoverCertificate,
            VendorPayload::Response(_) => FileKind::ActivationResponse,
        }
    }

    fn apply(
        &self,
        tx: &Tx<'_>,
        signer: &Signer,
        hash: &str,
        text: &str,
        own: &OwnInstallation,
    ) -> Result<(ImportStatus, LicenseNumber, String), DeskError> {
        match self {
            VendorPayload::Base(c) => Desk::apply_base(tx, c, signer, hash, text),
            VendorPayload::Failover(c) => Desk::apply_failover(tx, c, signer, hash, text),
            VendorPayload::Response(r) => Desk::apply_response(tx, r, hash, text, own),
        }
    }
}

/// This desk's own installation: its public key (when it has one) and this machine. A standby's
/// activation may be asked for on another desk (a reseller's, from the standby's hardware-ID
/// file); the standby's own desk still takes the response, since it certifies this installation.
#[derive(Debug)]
struct OwnInstallation {
    key_path: PathBuf,
    /// The public key (when this desk has one) and this machine, read on first use.
    read: std::cell::OnceCell<(Option<String>, Option<Hardware>)>,
}

impl OwnInstallation {
    fn read(&self) -> &(Option<String>, Option<Hardware>) {
        self.read.get_or_init(|| {
            (
                installation::existing_public_key(&self.key_path),
                this_machine().ok(),
            )
        })
    }

    fn key(&self) -> Option<&String> {
        self.read().0.as_ref()
    }

    fn machine(&self) -> Option<&Hardware> {
        self.read().1.as_ref()
    }
}

/// `f` over `items` in their order, the work shared over every core in contiguous parts (fewer
/// than 256 items stay on this thread). A worker's panic is this thread's, as if `f` had run here.
fn on_every_core<T: Send, U: Send>(items: Vec<T>, f: impl Fn(T) -> U + Sync) -> Vec<U> {
    const MIN_PER_THREAD: usize = 128;
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .min(items.len() / MIN_PER_THREAD)
        .max(1);
    if threads == 1 {
        return items.into_iter().map(f).collect();
    }
    let per_thread = items.len().div_ceil(threads);
    let mut parts = Vec::with_capacity(threads);
    let mut part = Vec::with_capacity(per_thread);
    for item in items {
        part.push(item);
        if part.len() == per_thread {
            parts.push(std::mem::replace(&mut part, Vec::with_capacity(per_thread)));
        }
    }
    if !part.is_empty() {
        parts.push(part);
    }
    let f = &f;
    std::thread::scope(|scope| {
        let workers: Vec<_> = parts
            .into_iter()
            .map(|part| scope.spawn(move || part.into_iter().map(f).collect::<Vec<U>>()))
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    })
}

/// Verifies a file strictly against its key and parses its content (on a worker thread).
fn check_file(job: VerifyJob<'_>) -> (usize, Result<Checked, DeskError>) {
    let hash = job.envelope.content_id();
    let checked = job
        .envelope
        .verify(&job.key)
        .map_err(DeskError::from)
        .and_then(|v| VendorPayload::of(&v))
        .map(|payload| Checked {
            payload,
            signer: job.signer,
            hash,
            text: String::from_utf8_lossy(job.bytes).into_owned(),
        });
    (job.n, checked)
}

/// One chunk's results: its place in the order, and each file's check.
type CheckedChunk = (usize, Vec<(usize, Result<Checked, DeskError>)>);

/// Verifies and parses the files on every core while this thread applies them, in their order,
/// in one transaction with a savepoint per file: the store's work overlaps the signatures'.
/// (Strict verification has no batch form: batch verification accepts signatures that
/// `verify_strict` refuses.) A file that fails a check gets no outcome here: the single-file
/// path names the precise reason. On a store error nothing is applied, and the error is
/// returned with the files it concerns.
#[allow(clippy::type_complexity)]
fn verify_and_apply(
    store: &mut licdesk_store::Store,
    names: &[&str],
    jobs: Vec<VerifyJob<'_>>,
    own: &OwnInstallation,
) -> Result<Vec<(usize, ImportOutcome)>, (Vec<usize>, DeskError)> {
    const CHUNK: usize = 64;
    let concerned: Vec<usize> = jobs.iter().map(|j| j.n).collect();
    let mut queue = std::collections::VecDeque::new();
    let mut chunk = Vec::with_capacity(CHUNK);
    for job in jobs {
        chunk.push(job);
        if chunk.len() == CHUNK {
            queue.push_back((
                queue.len(),
                std::mem::replace(&mut chunk, Vec::with_capacity(CHUNK)),
            ));
        }
    }
    if !chunk.is_empty() {
        queue.push_back((queue.len(), chunk));
    }
    let chunks = queue.len();
    let workers = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .clamp(1, chunks.max(1));
    let queue = std::sync::Mutex::new(queue);
    std::thread::scope(|scope| {
        let (sender, receiver) = std::sync::mpsc::channel::<CheckedChunk>();
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                let sender = sender.clone();
                let queue = &queue;
                scope.spawn(move || loop {
                    let next = queue.lock().ok().and_then(|mut q| q.pop_front());
                    let Some((c, chunk)) = next else { break };
                    let checked = chunk.into_iter().map(check_file).collect();
                    if sender.send((c, checked)).is_err() {
                        break;
                    }
                })
            })
            .collect();
        drop(sender);
        let applied = (|| -> Result<Vec<(usize, ImportOutcome)>, DeskError> {
            let tx = store.write()?;
            let mut waiting = std::collections::BTreeMap::new();
            let mut done = Vec::new();
            'chunks: for c in 0..chunks {
                let chunk = loop {
                    if let Some(chunk) = waiting.remove(&c) {
                        break chunk;
                    }
                    match receiver.recv() {
                        Ok((k, chunk)) => {
                            waiting.insert(k, chunk);
                        }
                        // A worker stopped: the files not checked take the single-file path.
                        Err(_) => break 'chunks,
                    }
                };
                for (n, checked) in chunk {
                    let Ok(checked) = checked else {
                        continue;
                    };
                    let kind = checked.payload.kind();
                    tx.savepoint()?;
                    let result = checked.payload.apply(
                        &tx,
                        &checked.signer,
                        &checked.hash,
                        &checked.text,
                        own,
                    );
                    let outcome = match result {
                        Ok((status, license, message)) => {
                            tx.release_savepoint()?;
                            ImportOutcome {
                                file: names[n].to_string(),
                                kind: Some(kind.tag()),
                                status,
                                activation: ActivatedSystem::after_import(&tx, status, &license),
                                license: Some(license),
                                message,
                                error: None,
                            }
                        }
                        Err(e) => {
                            // A full disk or a damaged store ends the whole import unchanged
                            // (SQLite may have rolled the transaction back already: then the
                            // savepoint is gone, and the first error is the one to tell).
                            if matches!(e.code, ErrorCode::DiskFull | ErrorCode::StoreDamaged)
                                || tx.rollback_to_savepoint().is_err()
                            {
                                return Err(e);
                            }
                            refused(names[n], Some(kind), e)
                        }
                    };
                    done.push((n, outcome));
                }
            }
            tx.commit()?;
            Ok(done)
        })();
        drop(receiver);
        // Joined here, so that a worker's panic stays a worker's (its files were not applied).
        for h in handles {
            let _ = h.join();
        }
        applied.map_err(|e| (concerned, e))
    })
}

fn kind_tag(kind: FileKind) -> &'static str {
    kind.tag()
}

fn refused(name: &str, kind: Option<FileKind>, error: DeskError) -> ImportOutcome {
    ImportOutcome {
        file: name.to_string(),
        kind: kind.map(FileKind::tag),
        status: ImportStatus::Refused,
        license: None,
        message: error.message.clone(),
        error: Some(error),
        activation: None,
    }
}

/// Reads and checks a hardware-ID file made with `licdesk hwid --out`.
pub fn read_hardware_file(path: &Path) -> Result<Machine, DeskError> {
    hardware_from_file_bytes(&files::read_capped(path, FileKind::HardwareId.size_cap())?)
}

/// Checks the content of a hardware-ID file: kind, size, signature, and that its code belongs
/// to its components.
pub fn hardware_from_file_bytes(bytes: &[u8]) -> Result<Machine, DeskError> {
    let envelope = Envelope::parse(bytes)?.expect(FileKind::HardwareId)?;
    debug_assert_eq!(envelope.kind().signed_by(), SignedBy::SelfSigned);
    let verified = envelope.verify_self_signed()?;
    let file: HardwareIdFile = verified.payload()?;
    file.hardware.validate().map_err(|e| {
        DeskError::new(
            ErrorCode::InvalidContent,
            format!("the hardware-ID file is invalid: {e}"),
        )
    })?;
    // The file is signed by the installation key of the desk that made it, on that machine.
    Ok(Machine {
        hardware: file.hardware,
        installation_key: Some(licdesk_core::trust::encode_public_key(&verified.signer)),
    })
}

/// A file name for a new request that does not exist yet in `dir`: `<license>-<role>.actreq`,
/// then `-2`, `-3`, ….
pub fn suggest_request_path(dir: &Path, license: &LicenseNumber, role: Role) -> PathBuf {
    suggest_file_path(
        dir,
        &format!("{}-{}", license, role.code()),
        FileKind::ActivationRequest.extension(),
    )
}

/// `<stem>.<ext>` in `dir`, or `<stem>-2.<ext>`, `-3`, … — the first that does not exist.
pub fn suggest_file_path(dir: &Path, stem: &str, ext: &str) -> PathBuf {
    let first = dir.join(format!("{stem}.{ext}"));
    if !first.exists() {
        return first;
    }
    (2..)
        .map(|n| dir.join(format!("{stem}-{n}.{ext}")))
        .find(|p| !p.exists())
        .unwrap_or(first)
}

/// Where files for people go by default: Documents, else Downloads, else home, else here.
pub fn default_export_dir() -> PathBuf {
    dirs::document_dir()
        .filter(|d| d.is_dir())
        .or_else(|| dirs::download_dir().filter(|d| d.is_dir()))
        .or_else(dirs::home_dir)
        .unwrap_or_else(|| PathBuf::from("."))
}

fn system_view(s: &StoredSystem, current_digest: &str) -> SystemView {
    let status = match (&s.state, &s.activation) {
        (SystemState::Active, Some(a)) if a.entitlement_digest != current_digest => {
            Status::OutOfDate
        }
        (SystemState::Active, _) => Status::Active,
        (SystemState::Pending, _) => Status::Pending,
    };
    SystemView {
        role: s.role,
        license: s.license.clone(),
        hardware_id: s.hardware.id.clone(),
        label: s.hardware.label.clone(),
        mode: s.mode,
        status,
        registered_at: s.registered_at,
        activated_at: s.activation.as_ref().map(|a| a.activated_at),
        entitlements: s
            .activation
            .as_ref()
            .map(|a| a.entitlements.clone())
            .unwrap_or_default(),
        journal_verifiable: s
            .activation
            .as_ref()
            .is_some_and(|a| a.installation_key.is_some()),
        notice_acknowledged_at: s.notice_acknowledged_at,
        activatable: s.role == Role::Main || s.installation_key.is_some(),
        limits: s
            .activation
            .as_ref()
            .and_then(|a| a.limits)
            .or(s.limits)
            .filter(|_| s.role == Role::Standby),
        request_written_at: None,
    }
}
