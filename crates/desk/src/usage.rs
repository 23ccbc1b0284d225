//! Standby compliance on the desk: the usage journal (append on the standby, export signed by its
//! installation key, import and evaluate anywhere), the R11 acknowledgement, the trusted time
//! floor, and the monitoring check (`licdesk check`).

use std::fmt::Write as _;

use licdesk_core::usage::{
    chain_hash, evaluate, JournalEntry, Level, Tamper, UsageJournal, UsageState, GENESIS,
};
use licdesk_core::{seal, Envelope, FileKind, LicenseNumber, Role, Timestamp};
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

    pub(crate) fn import_journal(
        &mut self,
        envelope: Envelope,
        hash: &str,
    ) -> Result<(ImportStatus, LicenseNumber, String), DeskError> {
        let verified = envelope.verify_self_signed()?;
        let journal: UsageJournal = verified.payload()?;
        let failover = journal.failover.clone();
        // The activation inside must be a trusted vendor's, for this FailoverSuite's standby.
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
        let signer = licdesk_core::trust::encode_public_key(&verified.signer);
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
        let outcome = match activation.installation_key {
            None => Err(Tamper::OtherInstallation {
                failover: failover.clone(),
                expected: "none certified: activate the standby from its hardware-ID file or on the standby itself".into(),
                found: verified.key_id.to_string(),
            }),
            Some(key) if key != signer || journal.installation_key != signer => Err(Tamper::OtherInstallation {
                failover: failover.clone(),
                expected: licdesk_core::trust::decode_public_key(&key)
                    .map(|k| licdesk_core::KeyId::of_public_key(&k).to_string())
                    .unwrap_or(key),
                found: verified.key_id.to_string(),
            }),
            Some(_) => journal.intervals().and_then(|ivs| evaluate(&ivs, &limits, journal.exported_at)),
        };
        let (evaluation, tamper) = match outcome {
            Ok(e) => (Some(e), None),
            Err(t) => (None, Some(t)),
        };
        tx.put_usage_report(&UsageReport {
            failover: failover.clone(),
            journal_hash: hash.to_string(),
            exported_at: journal.exported_at,
            evaluation: evaluation.clone(),
            tamper: tamper.clone(),
            imported_at: at,
        })?;
        tx.mark_file(hash, FileKind::UsageJournal.tag(), at)?;
        let (status, message) = match (&evaluation, &tamper) {
            (_, Some(t)) => (
                ImportStatus::Tampered,
                format!("the usage journal of {failover} cannot be trusted: {t}"),
            ),
            (Some(e), None) => (ImportStatus::Evaluated, describe_evaluation(&failover, e)),
            (None, None) => (ImportStatus::Evaluated, String::new()),
        };
        let action = if tamper.is_some() {
            "journal-tampered"
        } else {
            "journal-evaluated"
        };
        tx.audit(at, action, failover.as_str(), &message, Some(hash))?;
        raise_time_floor(&tx, journal.exported_at)?;
        tx.commit()?;
        Ok((status, failover, message))
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
        let request = tx.request(&release.request_nonce)?.ok_or_else(|| {
            DeskError::new(ErrorCode::OtherRequest, "this release answers a release request this desk did not write: it was made for another request or another desk")
        })?;
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
        match tx.system(Role::Standby, &failover)? {
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
        tx.mark_request_answered(&release.request_nonce, at)?;
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
            if let Some(t) = &report.tamper {
                problems.push((
                    CheckStatus::Critical,
                    format!("usage journal of {failover} tampered: {t}"),
                ));
                continue;
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
                        "{failover} over the five-day limit: {hours:.1} h under load since {} ({:.1} h over {} h)",
                        ep.start, ep.over_limit_seconds as f64 / 3600.0, limits.max_load_hours
                    ))),
                    Level::FinalWarning => problems.push((CheckStatus::Warning, format!("{failover} final warning: {hours:.1} h under load since {}", ep.start))),
                    _ => problems.push((CheckStatus::Warning, format!("{failover} warning: {hours:.1} h under load since {}", ep.start))),
                }
            }
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
        let _ = write!(
            text,
            "; {}",
            if e.worst == Level::FinalWarning {
                "final warning (over 96 h)"
            } else {
                "warning (over 72 h)"
            }
        );
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

/// The level in words, for text output.
pub fn level_word(level: Level) -> &'static str {
    match level {
        Level::Fine => "fine",
        Level::Warning => "warning (over 72 h)",
        Level::FinalWarning => "final warning (over 96 h)",
        Level::Violation => "VIOLATION (over 120 h)",
    }
}
