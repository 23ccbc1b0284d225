//! Standby compliance on the desk: the usage journal (append on the standby, export signed by its
//! installation key, import and evaluate anywhere), the R11 acknowledgement, the trusted time
//! floor, and the monitoring check (`licdesk check`).

use std::fmt::Write as _;

use licdesk_core::usage::{
    chain_hash, evaluate, JournalEntry, Level, Tamper, UsageJournal, UsageState, GENESIS,
};
use licdesk_core::{seal, Envelope, FileKind, LicenseNumber, LoadLimits, Role, Timestamp};
use licdesk_store::{Queries, SystemState, UsageReport};
use serde::Serialize;

use crate::{files, now, Desk, DeskError, ErrorCode, ImportStatus};

const TIME_FLOOR: &str = "time_floor";

impl Desk {
    /// Records a boundary of the standby's operation (for the suite's service to call): from
    /// `at` (default now) on, the standby is in `state`.
    pub fn journal_append(
        &mut self,
        state: UsageState,
        at: Option<Timestamp>,
    ) -> Result<JournalEntry, DeskError> {
        let at = at.unwrap_or_else(now);
        let tx = self.store.write()?;
        let entries = tx.journal_entries()?;
        let (seq, previous) = match entries.last() {
            Some(last) if at < last.at => {
                return Err(DeskError::invalid(format!(
                    "{at} is before the journal's last entry at {}: the clock runs backwards — fix the system clock",
                    last.at
                )))
            }
            Some(last) => (last.seq + 1, last.hash.clone()),
            None => (0, GENESIS.to_string()),
        };
        let entry = JournalEntry {
            seq,
            at,
            state,
            hash: chain_hash(&previous, seq, at, state),
        };
        tx.append_journal(&entry)?;
        tx.commit()?;
        Ok(entry)
    }

    /// The standby of this installation: the activated standby whose certified installation key
    /// is this desk's own.
    fn own_standby(&self) -> Result<licdesk_store::StoredSystem, DeskError> {
        let own = licdesk_core::trust::encode_public_key(&self.installation_key()?.verifying_key());
        self.store
            .all_systems()?
            .into_iter()
            .find(|s| s.role == Role::Standby && s.state == SystemState::Active && s.installation_key.as_deref() == Some(own.as_str()))
            .ok_or_else(|| {
                DeskError::new(
                    ErrorCode::NotFound,
                    "this desk holds no activated standby of its own: activate this machine as a standby from this desk first (licdesk standby register --this-machine, licdesk request, licdesk import)",
                )
            })
    }

    /// Writes the hash-chained journal, signed by this installation's key.
    pub fn journal_export(&self, out: &std::path::Path) -> Result<UsageJournal, DeskError> {
        let standby = self.own_standby()?;
        let key = self.installation_key()?;
        let journal = UsageJournal {
            failover: standby.license.clone(),
            hardware_id: standby.hardware.id.clone(),
            installation_key: licdesk_core::trust::encode_public_key(&key.verifying_key()),
            exported_at: now(),
            entries: self.store.journal_entries()?,
            activation: standby
                .activation
                .as_ref()
                .map(|a| a.response_text.clone())
                .unwrap_or_default(),
        };
        files::write_atomically(out, &seal(FileKind::UsageJournal, &journal, &key))?;
        Ok(journal)
    }

    /// Imports a usage journal: verifies it and evaluates it against the five-day rule (R12).
    ///
    /// - A journal whose own signature fails is refused like a damaged file, and recorded as
    ///   tampered (nothing in it is used) so that monitoring reports it.
    /// - The activation inside must be a trusted vendor's, for this FailoverSuite's standby.
    /// - A journal not signed by the installation key that activation certified, or whose
    ///   activation is not the FailoverSuite's current standby (hardware and installation key),
    ///   is from another installation; it, and a journal whose chain is broken or whose clock
    ///   runs backwards, is recorded as tampered: reported, never used. The evaluation of the
    ///   trusted journal recorded before stays.
    /// - A trusted journal exported no later than the one recorded is refused: an older
    ///   journal cannot replace a newer one (and hide a violation).
    pub(crate) fn import_journal(
        &mut self,
        envelope: Envelope,
        hash: &str,
    ) -> Result<(ImportStatus, LicenseNumber, String), DeskError> {
        let named_key = envelope.key_id().to_string();
        let verified = match envelope.verify_self_signed() {
            Ok(v) => v,
            Err(licdesk_core::FileError::BadSignature(_)) => {
                return Err(self.record_unreadable_journal(hash, &named_key))
            }
            Err(e) => return Err(e.into()),
        };
        let journal: UsageJournal = verified.payload()?;
        let failover = journal.failover.clone();
        let certificate = Envelope::parse(journal.activation.as_bytes())
            .and_then(|e| e.expect(FileKind::ActivationResponse))
            .map_err(|e| {
                DeskError::new(
                    ErrorCode::InvalidContent,
                    format!(
                        "the usage journal does not carry a valid activation of its standby: {e}"
                    ),
                )
            })?;
        let (activation, _) = self.trust.verify(certificate)?;
        let activation: licdesk_core::ActivationResponse = activation.payload()?;
        if activation.license != failover || activation.role != Role::Standby {
            return Err(DeskError::new(
                ErrorCode::InvalidContent,
                format!("the usage journal names FailoverSuite {failover}, but carries the activation of {}", activation.license),
            ));
        }
        let limits = activation.limits.unwrap_or_default();
        let at = now();
        let tx = self.store.write()?;
        if tx.file_seen(hash)? {
            return Ok((
                ImportStatus::Unchanged,
                failover.clone(),
                format!("this usage journal of {failover} was already imported"),
            ));
        }
        let recorded = tx.usage_report(&failover)?;
        let current = tx
            .system(Role::Standby, &failover)?
            .filter(|s| s.state == SystemState::Active);
        let outcome = same_installation(
            &journal,
            &activation,
            &verified.signer,
            current.as_ref(),
            recorded.as_ref(),
        )
        .and_then(|()| journal.intervals())
        .and_then(|ivs| evaluate(&ivs, &limits, journal.exported_at));
        let (status, action, message) = match outcome {
            Ok(evaluation) => {
                let newer = tx.put_usage_evaluation(&licdesk_store::TrustedJournal {
                    failover: &failover,
                    journal_hash: hash,
                    exported_at: journal.exported_at,
                    activated_at: activation.activated_at,
                    hardware_id: &activation.hardware.id,
                    installation_key: activation.installation_key.as_deref().unwrap_or_default(),
                    evaluation: &evaluation,
                    imported_at: at,
                })?;
                if !newer {
                    let recorded_at = recorded
                        .and_then(|r| r.exported_at)
                        .map(|t| t.to_string())
                        .unwrap_or_default();
                    return Err(DeskError::new(
                        ErrorCode::Conflict,
                        format!(
                            "this usage journal of {failover} was exported at {}, not after the journal already recorded (exported at {recorded_at}): it is older than the journal already recorded, and nothing was changed. Import the standby's latest journal (licdesk journal export on the standby)",
                            journal.exported_at
                        ),
                    ));
                }
                (
                    ImportStatus::Evaluated,
                    "journal-evaluated",
                    describe_evaluation(&failover, &evaluation),
                )
            }
            Err(tamper) => {
                tx.put_usage_tamper(&failover, hash, &tamper, at)?;
                (
                    ImportStatus::Tampered,
                    "journal-tampered",
                    format!("the usage journal of {failover} cannot be trusted: {tamper}"),
                )
            }
        };
        tx.mark_file(hash, FileKind::UsageJournal.tag(), at)?;
        tx.audit(at, action, failover.as_str(), &message, Some(hash))?;
        // Only vendor-signed times raise the floor: the activation's, never the journal's own
        // export time (the standby's clock, or a forger's).
        raise_time_floor(&tx, activation.activated_at)?;
        tx.commit()?;
        Ok((status, failover, message))
    }

    /// Dismisses a tampered usage journal whose signature failed, once an administrator has
    /// looked into it: monitoring no longer reports it; the dismissal and its reason go to the
    /// audit log. `hash` is the journal file's SHA-256, or at least its first 8 characters (as
    /// `licdesk check` shows them).
    pub fn dismiss_tampered_journal(
        &mut self,
        hash: &str,
        reason: &str,
    ) -> Result<licdesk_store::UnreadableJournal, DeskError> {
        let hash = hash.trim().trim_end_matches('…').to_ascii_lowercase();
        let reason = reason.trim();
        if hash.len() < 8 || !hash.chars().all(|c| c.is_ascii_hexdigit()) {
            return Err(DeskError::invalid(format!(
                "'{hash}' is not a journal's SHA-256: give at least its first 8 hex characters, as licdesk check shows them"
            )));
        }
        if reason.is_empty() {
            return Err(DeskError::invalid(
                "say why the journal is dismissed (--reason): the audit log keeps it",
            ));
        }
        let open: Vec<_> = self
            .store
            .unreadable_journals()?
            .into_iter()
            .filter(|j| j.dismissed.is_none() && j.file_hash.starts_with(&hash))
            .collect();
        let journal = match open.as_slice() {
            [one] => one.clone(),
            [] => {
                return Err(DeskError::new(
                    ErrorCode::NotFound,
                    format!("no tampered journal with SHA-256 {hash}… is reported: licdesk check lists the ones that are"),
                ))
            }
            _ => {
                return Err(DeskError::invalid(format!(
                    "{} tampered journals start with {hash}: give more of the SHA-256",
                    open.len()
                )))
            }
        };
        let at = now();
        let tx = self.store.write()?;
        tx.dismiss_unreadable_journal(&journal.file_hash, at, reason)?;
        tx.audit(
            at,
            "journal-dismissed",
            &journal.key_id,
            &format!(
                "tampered usage journal (SHA-256 {}, naming key {}) dismissed: {reason}",
                journal.file_hash, journal.key_id
            ),
            Some(&journal.file_hash),
        )?;
        tx.commit()?;
        Ok(licdesk_store::UnreadableJournal {
            dismissed: Some((at, reason.to_string())),
            ..journal
        })
    }

    /// Records a usage journal whose own signature fails as tampered, without using anything in
    /// it (not even the FailoverSuite it names), and returns the refusal.
    fn record_unreadable_journal(&mut self, hash: &str, named_key: &str) -> DeskError {
        let message = format!(
            "the usage journal's signature does not verify (it names key {named_key}): it was changed after it was signed, or is not a journal of that installation. It was recorded as tampered, for monitoring (licdesk check); nothing in it was used"
        );
        let at = now();
        let recorded = (|| -> Result<(), DeskError> {
            let tx = self.store.write()?;
            if !tx.file_seen(hash)? {
                tx.put_unreadable_journal(&licdesk_store::UnreadableJournal {
                    file_hash: hash.to_string(),
                    key_id: named_key.to_string(),
                    reason: Tamper::BadSignature.to_string(),
                    imported_at: at,
                    dismissed: None,
                })?;
                tx.mark_file(hash, FileKind::UsageJournal.tag(), at)?;
                tx.audit(at, "journal-tampered", named_key, &message, Some(hash))?;
            }
            tx.commit()?;
            Ok(())
        })();
        match recorded {
            Ok(()) => DeskError::new(ErrorCode::BadSignature, message),
            Err(e) => e,
        }
    }

    /// Writes a release request for the standby of `failover` whose hardware is being replaced:
    /// the vendor releases the FailoverSuite, and after importing the release it takes a new
    /// standby (R4).
    pub fn write_release_request(
        &mut self,
        failover: &LicenseNumber,
        reason: &str,
        out: &std::path::Path,
    ) -> Result<licdesk_core::ReleaseRequest, DeskError> {
        licdesk_core::model::validate_text("reason", reason, 500).map_err(DeskError::invalid)?;
        let standby = self
            .store
            .system(Role::Standby, failover)?
            .filter(|s| s.state == SystemState::Active)
            .ok_or_else(|| {
                DeskError::new(
                    ErrorCode::NotFound,
                    format!("FailoverSuite {failover} has no active standby to release"),
                )
            })?;
        // Only the standby installation itself can ask: the vendor refuses a release request not
        // signed by the installation key the activation certified (R4).
        let key = self.installation_key()?;
        let own = licdesk_core::trust::encode_public_key(&key.verifying_key());
        let certified = standby
            .activation
            .as_ref()
            .and_then(|a| a.installation_key.clone());
        if certified.as_deref() != Some(own.as_str()) {
            let own_id = licdesk_core::KeyId::of_public_key(&key.verifying_key());
            let whose = match certified.as_deref().map(licdesk_core::trust::decode_public_key) {
                Some(Ok(k)) => format!(
                    "its activation certified the installation key {} of the License Desk on that machine, and this desk's key is {own_id}",
                    licdesk_core::KeyId::of_public_key(&k)
                ),
                _ => format!("its activation certified no installation key (this desk's key is {own_id})"),
            };
            return Err(DeskError::new(
                ErrorCode::OtherMachine,
                format!(
                    "this desk cannot ask for the release of the standby {} of FailoverSuite {failover}: {whose}. Write the release request on the standby machine itself (licdesk standby release-request --failover {failover} --out FILE). If that machine is lost or cannot start, ask the vendor to release FailoverSuite {failover} by hand",
                    standby.hardware.id
                ),
            ));
        }
        let mut nonce = [0u8; 32];
        rand_core::RngCore::fill_bytes(&mut rand_core::OsRng, &mut nonce);
        let at = now();
        let request = licdesk_core::ReleaseRequest {
            nonce: nonce.iter().map(|b| format!("{b:02x}")).collect(),
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
        files::write_atomically(out, &text)?;
        tx.commit()?;
        Ok(request)
    }

    pub(crate) fn import_release(
        &mut self,
        envelope: Envelope,
        hash: &str,
    ) -> Result<(ImportStatus, LicenseNumber, String), DeskError> {
        let (verified, _) = self.trust.verify(envelope)?;
        let release: licdesk_core::Release = verified.payload()?;
        let failover = release.failover.clone();
        let at = now();
        let tx = self.store.write()?;
        if tx.file_seen(hash)? {
            return Ok((
                ImportStatus::Unchanged,
                failover.clone(),
                format!("this release of {failover} was already imported"),
            ));
        }
        let held = tx
            .system(Role::Standby, &failover)?
            .filter(|s| s.state == SystemState::Active);
        match tx.request(&release.request_nonce)? {
            Some(request) => {
                if request.license != failover {
                    return Err(DeskError::new(
                        ErrorCode::WrongLicense,
                        format!(
                            "this release is for {failover}, but the request was for {}",
                            request.license
                        ),
                    ));
                }
                if request.hardware_id != release.hardware_id {
                    return Err(DeskError::new(
                        ErrorCode::OtherMachine,
                        format!(
                            "this release frees the machine {}, but the request was for {}",
                            release.hardware_id, request.hardware_id
                        ),
                    ));
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
                    return Err(DeskError::new(
                        ErrorCode::OtherRequest,
                        format!(
                            "this release answers a release request this desk did not write, and the machine it frees ({}) is not the active standby of {failover} in this store: there is nothing to release here",
                            release.hardware_id
                        ),
                    ));
                }
            }
        }
        match held {
            Some(s) if s.hardware.id == release.hardware_id => {
                tx.delete_system(Role::Standby, &failover)?;
            }
            _ => {
                return Err(DeskError::new(
                    ErrorCode::OtherMachine,
                    format!(
                    "the standby of {failover} in this store is no longer {}: nothing to release",
                    release.hardware_id
                ),
                ))
            }
        }
        tx.mark_file(hash, FileKind::Release.tag(), at)?;
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

    /// R11: the administrator acknowledges the standby/test-only notice (recorded in the audit log).
    pub fn acknowledge_notice(&mut self, failover: &LicenseNumber) -> Result<Timestamp, DeskError> {
        let at = now();
        let tx = self.store.write()?;
        if !tx.acknowledge_notice(failover, at)? {
            return Err(DeskError::new(
                ErrorCode::NotFound,
                format!("no standby is registered for FailoverSuite {failover}: register it first"),
            ));
        }
        tx.audit(
            at,
            "notice-acknowledged",
            failover.as_str(),
            licdesk_core::STANDBY_NOTICE,
            None,
        )?;
        tx.commit()?;
        Ok(at)
    }

    /// The latest signed time this desk has seen, if the system clock is behind it.
    pub fn clock_behind(&self) -> Result<Option<Timestamp>, DeskError> {
        let floor = self
            .store
            .meta(TIME_FLOOR)?
            .and_then(|t| Timestamp::parse(&t).ok());
        Ok(floor.filter(|f| now() < *f))
    }

    /// Monitoring (the plugin convention of Nagios, Icinga, Naemon and Checkmk).
    pub fn check(&self) -> Result<CheckReport, DeskError> {
        let mut problems: Vec<(CheckStatus, String)> = Vec::new();
        let mut perf = String::new();
        let mut standbys = 0;
        for s in self
            .store
            .all_systems()?
            .into_iter()
            .filter(|s| s.role == Role::Standby && s.state == SystemState::Active)
        {
            standbys += 1;
            let base = self.store.base(&s.base_license)?;
            if let (Some(base), Some(a)) = (&base, &s.activation) {
                if a.entitlement_digest != base.entitlement_digest {
                    problems.push((
                        CheckStatus::Warning,
                        format!(
                            "standby {} of {} is out of date (R5): re-activate it",
                            s.hardware.id, s.license
                        ),
                    ));
                }
            }
        }
        let reports = self.store.usage_reports()?;
        let journals = reports.len();
        for report in reports {
            let failover = &report.failover;
            // A tampered journal is reported; the trusted journal's evaluation before it still
            // counts (a tampered journal cannot hide a violation).
            if let Some(t) = &report.tamper {
                problems.push((
                    CheckStatus::Critical,
                    format!("usage journal of {failover} tampered: {t}"),
                ));
            }
            let Some(e) = &report.evaluation else {
                continue;
            };
            let limits = e.limits;
            let load = e.current.as_ref().map(|c| c.load_seconds).unwrap_or(0) as f64 / 3600.0;
            let _ = write!(
                perf,
                " '{failover}_load_hours'={load:.1};{};{};0;{}",
                limits.warning_hours, limits.max_load_hours, limits.max_load_hours
            );
            for ep in e.episodes.iter().filter(|ep| ep.level >= Level::Warning) {
                let hours = ep.load_seconds as f64 / 3600.0;
                match ep.level {
                    Level::Violation => problems.push((CheckStatus::Critical, format!(
                        "{failover} over the {} limit: {hours:.1} h under load since {} ({:.1} h over {} h)",
                        if limits.max_load_hours == 120 { "five-day".to_string() } else { format!("{} h", limits.max_load_hours) },
                        ep.start, ep.over_limit_seconds as f64 / 3600.0, limits.max_load_hours
                    ))),
                    Level::FinalWarning => problems.push((CheckStatus::Warning, format!(
                        "{failover} final warning: {hours:.1} h under load since {} (over {} h of at most {} h)",
                        ep.start, limits.final_warning_hours, limits.max_load_hours
                    ))),
                    _ => problems.push((CheckStatus::Warning, format!(
                        "{failover} warning: {hours:.1} h under load since {} (over {} h of at most {} h)",
                        ep.start, limits.warning_hours, limits.max_load_hours
                    ))),
                }
            }
        }
        for j in self.store.unreadable_journals()? {
            if j.dismissed.is_some() {
                continue;
            }
            problems.push((
                CheckStatus::Critical,
                format!(
                    "a usage journal (SHA-256 {}…, naming key {}) imported {} is tampered: {}",
                    &j.file_hash[..j.file_hash.len().min(12)],
                    j.key_id,
                    j.imported_at,
                    j.reason
                ),
            ));
        }
        let trust = &self.trust;
        for (license, text) in self.store.certificate_texts()? {
            let verdict = Envelope::parse(text.as_bytes())
                .map_err(DeskError::from)
                .and_then(|e| trust.verify(e).map(|_| ()).map_err(DeskError::from));
            if let Err(e) = verdict {
                problems.push((
                    CheckStatus::Critical,
                    format!("{license}: vendor trust fails: {}", e.message),
                ));
            }
        }
        if let Some(floor) = self.clock_behind()? {
            problems.push((
                CheckStatus::Warning,
                format!("the system clock is behind the latest signed time seen ({floor})"),
            ));
        }
        let status = problems
            .iter()
            .map(|(s, _)| *s)
            .max()
            .unwrap_or(CheckStatus::Ok);
        let summary = if problems.is_empty() {
            format!("{standbys} active standby systems here, {journals} usage journals evaluated, all within the rules")
        } else {
            problems
                .iter()
                .map(|(_, m)| m.clone())
                .collect::<Vec<_>>()
                .join("; ")
        };
        Ok(CheckReport {
            status,
            line: format!(
                "LICDESK {} - {summary} |{}",
                status.word(),
                if perf.is_empty() {
                    " standbys=".to_string() + &standbys.to_string()
                } else {
                    perf
                }
            ),
            problems: problems.into_iter().map(|(_, m)| m).collect(),
        })
    }
}

/// A key for people: its key id (or the text itself when it is not a key).
fn key_id_of(encoded: &str) -> String {
    licdesk_core::trust::decode_public_key(encoded)
        .map(|k| licdesk_core::KeyId::of_public_key(&k).to_string())
        .unwrap_or_else(|_| encoded.to_string())
}

/// Whether a journal comes from the installation its activation certified, and that activation
/// is the FailoverSuite's current standby: on this desk, the active standby (hardware and
/// installation key); on a desk that holds no standby of it, no earlier activation than the one
/// of the journal recorded before.
fn same_installation(
    journal: &UsageJournal,
    activation: &licdesk_core::ActivationResponse,
    signer: &licdesk_core::VerifyingKey,
    current: Option<&licdesk_store::StoredSystem>,
    recorded: Option<&UsageReport>,
) -> Result<(), Tamper> {
    let failover = &journal.failover;
    let signer_text = licdesk_core::trust::encode_public_key(signer);
    let found = format!(
        "{} of standby {}",
        licdesk_core::KeyId::of_public_key(signer),
        journal.hardware_id
    );
    let Some(certified) = activation.installation_key.as_deref() else {
        return Err(Tamper::OtherInstallation {
            failover: failover.clone(),
            expected: "none certified: activate the standby from its hardware-ID file or on the standby itself".into(),
            found,
        });
    };
    let certified_text = format!(
        "{} of standby {}, activated {}",
        key_id_of(certified),
        activation.hardware.id,
        activation.activated_at
    );
    if certified != signer_text
        || journal.installation_key != signer_text
        || journal.hardware_id != activation.hardware.id
    {
        return Err(Tamper::OtherInstallation {
            failover: failover.clone(),
            expected: certified_text,
            found,
        });
    }
    match current {
        Some(standby) => {
            let current_key = standby
                .activation
                .as_ref()
                .and_then(|a| a.installation_key.as_deref());
            if standby.hardware.id != activation.hardware.id || current_key != Some(certified) {
                return Err(Tamper::OtherInstallation {
                    failover: failover.clone(),
                    expected: format!(
                        "{} of its current standby {}",
                        current_key
                            .map(key_id_of)
                            .unwrap_or_else(|| "no key".into()),
                        standby.hardware.id
                    ),
                    found: certified_text,
                });
            }
        }
        None => {
            // The installation of the trusted journal recorded before stays the current one
            // unless this journal's activation is a later one.
            if let Some(r) = recorded {
                if let (Some(seen), Some(hw), Some(key)) = (
                    r.activated_at,
                    &r.hardware_id,
                    r.installation_key.as_deref(),
                ) {
                    let same = *hw == activation.hardware.id && key == certified;
                    if !same && seen >= activation.activated_at {
                        return Err(Tamper::OtherInstallation {
                            failover: failover.clone(),
                            expected: format!(
                                "{} of standby {hw}, activated {seen}, whose journal this desk holds",
                                key_id_of(key)
                            ),
                            found: certified_text,
                        });
                    }
                }
            }
        }
    }
    Ok(())
}

pub(crate) fn raise_time_floor(
    tx: &licdesk_store::Tx<'_>,
    seen: Timestamp,
) -> Result<(), DeskError> {
    let floor = tx.meta(TIME_FLOOR)?.and_then(|t| Timestamp::parse(&t).ok());
    if floor.is_none_or(|f| seen > f) {
        tx.set_meta(TIME_FLOOR, &seen.to_string())?;
    }
    Ok(())
}

pub(crate) fn describe_evaluation(
    failover: &LicenseNumber,
    e: &licdesk_core::usage::Evaluation,
) -> String {
    let current = e.current.as_ref().map(|c| c.load_seconds).unwrap_or(0) as f64 / 3600.0;
    let mut text = format!(
        "usage journal of {failover} evaluated: {current:.1} h under load in the current episode of at most {} h",
        e.limits.max_load_hours
    );
    if let Some(v) = e.episodes.iter().find(|ep| ep.level == Level::Violation) {
        let _ = write!(
            text,
            "; VIOLATION: the episode since {} ran {:.1} h over the limit (R12)",
            v.start,
            v.over_limit_seconds as f64 / 3600.0
        );
    } else if e.worst >= Level::Warning {
        let _ = write!(text, "; {}", level_word(e.worst, &e.limits));
    }
    text
}

/// Monitoring status, in the order of the exit codes 0, 1, 2, 3.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum CheckStatus {
    Ok,
    Warning,
    Critical,
    Unknown,
}

impl CheckStatus {
    pub fn word(self) -> &'static str {
        match self {
            CheckStatus::Ok => "OK",
            CheckStatus::Warning => "WARNING",
            CheckStatus::Critical => "CRITICAL",
            CheckStatus::Unknown => "UNKNOWN",
        }
    }
    pub fn exit_code(self) -> u8 {
        self as u8
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct CheckReport {
    pub status: CheckStatus,
    /// The one status line with performance data.
    pub line: String,
    pub problems: Vec<String>,
}

/// The level in words, for text output, with the limits of the standby's signed license.
pub fn level_word(level: Level, limits: &LoadLimits) -> String {
    match level {
        Level::Fine => "fine".to_string(),
        Level::Warning => format!("warning (over {} h)", limits.warning_hours),
        Level::FinalWarning => format!("final warning (over {} h)", limits.final_warning_hours),
        Level::Violation => format!("VIOLATION (over {} h)", limits.max_load_hours),
    }
}
