//! Standby compliance on the desk: the usage journal (append on the standby, export signed by its
//! installation key, import and evaluate anywhere), the R11 acknowledgement, the trusted time
//! floor, and the monitoring check (`licdesk check`).

use std::fmt::Write as _;

use licdesk_core::usage::{
    chain_hash, evaluate, Episode, JournalEntry, Level, Tamper, UsageJournal, UsageState,
    CLOCK_ALLOWANCE_SECONDS, GENESIS,
};
use licdesk_core::{seal, Envelope, FileKind, LicenseNumber, LoadLimits, Role, Timestamp};
use licdesk_store::{Queries, SystemState, UsageReport};
use serde::Serialize;

use crate::{files, now, Desk, DeskError, ErrorCode, ImportStatus};

const TIME_FLOOR: &str = "time_floor";

/// How far "now" may be moved past the clock to keep journal entries a second apart.
const SAME_SECOND_SLACK: i64 = 60;

impl Desk {
    /// Records a boundary of the standby's operation (for the suite's service to call): from
    /// `at` (default now) on, the standby is in `state`. The journal is append-only, so a time
    /// later than now (plus the allowance for drifting clocks) is refused: it could never be
    /// taken back, and every export would look like a clock running backwards. Audited.
    pub fn journal_append(
        &mut self,
        state: UsageState,
        at: Option<Timestamp>,
    ) -> Result<JournalEntry, DeskError> {
        // The clock is read under the write lock: two appends at once are ordered by the lock,
        // and the later one's time is never before the earlier one's.
        let tx = self.store.write()?;
        let clock = now();
        let entries = tx.journal_entries()?;
        // "Now" is at least a second after the last entry: appends in the same second (the
        // suite's service and an administrator, say) are ordered by the lock, a second apart.
        let at = at.unwrap_or_else(|| match entries.last() {
            Some(last) if last.at >= clock && last.at.unix() - clock.unix() < SAME_SECOND_SLACK => {
                last.at.plus_seconds(1)
            }
            _ => clock,
        });
        if at.unix() > clock.unix() + CLOCK_ALLOWANCE_SECONDS {
            return Err(DeskError::invalid(format!(
                "{at} is more than 1 h after this machine's clock ({clock}): the usage journal is append-only, so an entry in the future could never be taken back. Give the time the standby went {} (or leave out --at for now), and check the system clock if it is wrong",
                state.code()
            )));
        }
        // No backdating: an entry comes strictly after the last one, and never before the
        // latest export, which already reported the standby's state up to its time.
        let (seq, previous) = match entries.last() {
            Some(last) if at <= last.at => {
                return Err(DeskError::invalid(format!(
                    "{at} is not after the journal's last entry at {}: the usage journal is append-only, each entry strictly later than the one before. If the clock runs backwards, fix the system clock",
                    last.at
                )))
            }
            Some(last) => (last.seq + 1, last.hash.clone()),
            None => (0, GENESIS.to_string()),
        };
        if let Some(exported) = tx.latest_journal_export()?.filter(|e| at < *e) {
            return Err(DeskError::invalid(format!(
                "{at} is before the journal's latest export at {exported}, which already reported the standby's state up to then: the usage journal is append-only, so that time cannot be changed any more. Record what happens from now on"
            )));
        }
        let entry = JournalEntry {
            seq,
            at,
            state,
            hash: chain_hash(&previous, seq, at, state),
        };
        tx.append_journal(&entry)?;
        tx.audit(
            clock,
            "journal-appended",
            "usage journal",
            &format!("entry {seq}: {} from {at}", state.code()),
            None,
        )?;
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
    pub fn journal_export(
        &mut self,
        out: &std::path::Path,
        if_exists: crate::IfExists,
    ) -> Result<UsageJournal, DeskError> {
        let output = self.output(out, if_exists);
        output.check()?;
        let standby = self.own_standby()?;
        let key = self.installation_key()?;
        let entries = self.store.journal_entries()?;
        // Appends in the same second are a second apart, a little ahead of the clock at most.
        let clock = match entries.last() {
            Some(last) if last.at > now() && last.at.unix() - now().unix() < SAME_SECOND_SLACK => {
                last.at
            }
            _ => now(),
        };
        if let Some(last) = entries.last().filter(|l| l.at > clock) {
            return Err(DeskError::invalid(format!(
                "the system clock ({clock}) is behind the journal's last entry ({}): fix the system clock and export again (a journal exported now would look like a clock running backwards and be reported as tampered). If the clock is right, that entry was recorded with a wrong time: export once the clock has passed it",
                last.at
            )));
        }
        let journal = UsageJournal {
            failover: standby.license.clone(),
            hardware_id: standby.hardware.id.clone(),
            installation_key: licdesk_core::trust::encode_public_key(&key.verifying_key()),
            exported_at: clock,
            entries,
            activation: standby
                .activation
                .as_ref()
                .map(|a| a.response_text.clone())
                .unwrap_or_default(),
        };
        // The export reports the state up to its time: no later entry may be dated before it.
        let tx = self.store.write()?;
        tx.record_journal_export(clock, journal.last_entry().map(|(seq, _)| seq))?;
        output.write(seal(FileKind::UsageJournal, &journal, &key).as_bytes())?;
        tx.commit()?;
        Ok(journal)
    }

    /// Imports a usage journal: verifies it and evaluates it against the five-day rule (R12).
    ///
    /// - A journal whose own signature fails is refused like a damaged file, and recorded as
    ///   tampered (nothing in it is used) so that monitoring reports it.
    /// - The activation inside must be a trusted vendor's, for this FailoverSuite's standby.
    /// - A journal not signed by the installation key that activation certified, or whose
    ///   activation is not the FailoverSuite's current standby (hardware and installation key),
    ///   is from another installation; it, a journal whose chain is broken or whose clock runs
    ///   backwards, one dated later than the desk's time (the later of its clock and its trusted
    ///   time floor) plus an hour, and one that does not continue the journal of the same
    ///   installation recorded before (history rewritten) is recorded as tampered: reported until
    ///   dismissed, never used. The evaluation of the trusted journal recorded before stays.
    /// - A journal that carries an older activation than the standby's current one, or that was
    ///   exported no later than the journal recorded, is refused: it cannot replace a newer one
    ///   (and hide a violation, or bring back laxer limits).
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
            if let Some(t) = tx
                .tampered_journals()?
                .into_iter()
                .find(|t| t.file_hash == hash && t.dismissed.is_none())
            {
                return Ok((
                    ImportStatus::Tampered,
                    failover.clone(),
                    format!(
                        "this usage journal of {failover} was already imported and is recorded as tampered: {}. {}",
                        t.tamper,
                        tamper_advice(hash)
                    ),
                ));
            }
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
        let floor = tx.meta(TIME_FLOOR)?.and_then(|t| Timestamp::parse(&t).ok());
        let desk_time = floor.filter(|f| *f > at).unwrap_or(at);
        let certified = activation.installation_key.as_deref().unwrap_or_default();
        let trusted = same_installation(
            &journal,
            &activation,
            &verified.signer,
            current.as_ref(),
            recorded.as_ref(),
        )
        .and_then(|()| journal.intervals())
        .and_then(|ivs| journal.not_ahead_of(desk_time).map(|()| ivs));
        let outcome = match trusted {
            Ok(ivs) => {
                refuse_superseded(
                    &failover,
                    &activation,
                    &journal.activation,
                    current.as_ref(),
                    recorded.as_ref(),
                )?;
                if let Some(recorded_at) = recorded.as_ref().and_then(|r| r.exported_at) {
                    if journal.exported_at <= recorded_at {
                        return Err(DeskError::new(
                            ErrorCode::Conflict,
                            format!(
                                "this usage journal of {failover} was exported at {}, not after the journal already recorded (exported at {recorded_at}): it is older than the journal already recorded, and nothing was changed. Import the standby's latest journal (licdesk journal export on the standby)",
                                journal.exported_at
                            ),
                        ));
                    }
                }
                // A later journal of the same installation continues the one recorded.
                let same_key = recorded
                    .as_ref()
                    .is_some_and(|r| r.installation_key.as_deref() == Some(certified));
                let last = recorded
                    .as_ref()
                    .and_then(|r| r.last_seq.zip(r.last_hash.as_deref()).filter(|_| same_key));
                let attested = recorded
                    .as_ref()
                    .and_then(|r| r.exported_at)
                    .filter(|_| same_key);
                journal
                    .continues(last, attested)
                    .and_then(|()| evaluate(&ivs, &limits, journal.exported_at))
            }
            Err(tamper) => Err(tamper),
        };
        let (status, action, message) = match outcome {
            Ok(evaluation) => {
                tx.put_usage_evaluation(&licdesk_store::TrustedJournal {
                    failover: &failover,
                    journal_hash: hash,
                    exported_at: journal.exported_at,
                    activated_at: activation.activated_at,
                    hardware_id: &activation.hardware.id,
                    installation_key: certified,
                    last_entry: journal.last_entry(),
                    evaluation: &evaluation,
                    imported_at: at,
                })?;
                // Violations are kept per FailoverSuite, whatever becomes of this standby,
                // until an administrator acknowledges them.
                tx.record_violations(&licdesk_store::ShownViolations {
                    failover: &failover,
                    installation_key: certified,
                    hardware_id: &activation.hardware.id,
                    episodes: &evaluation.episodes,
                    max_load_hours: limits.max_load_hours,
                    journal_hash: hash,
                    at,
                })?;
                let acknowledged = recorded
                    .as_ref()
                    .and_then(|r| r.violations_acknowledged.as_ref())
                    .map(|a| a.through);
                (
                    ImportStatus::Evaluated,
                    "journal-evaluated",
                    describe_evaluation(&failover, &evaluation, acknowledged),
                )
            }
            Err(tamper) => {
                tx.put_usage_tamper(&failover, hash, &tamper, at)?;
                (
                    ImportStatus::Tampered,
                    "journal-tampered",
                    format!(
                        "the usage journal of {failover} cannot be trusted: {tamper}. It was recorded as tampered and nothing in it was used. {}",
                        tamper_advice(hash)
                    ),
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

    /// Dismisses a tampered usage journal — one whose signature failed, or one of a
    /// FailoverSuite's standby that could not be trusted (broken chain, clock backwards or ahead,
    /// another installation, history rewritten) — once an administrator has looked into it:
    /// monitoring no longer reports it; the dismissal and its reason go to the audit log. `hash`
    /// is the journal file's SHA-256, or at least its first 8 characters (as `licdesk check`
    /// shows them).
    pub fn dismiss_tampered_journal(
        &mut self,
        hash: &str,
        reason: &str,
    ) -> Result<DismissedJournal, DeskError> {
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
        licdesk_core::model::validate_text("reason", reason, 500).map_err(DeskError::invalid)?;
        let mut open: Vec<DismissedJournal> = self
            .store
            .unreadable_journals()?
            .into_iter()
            .filter(|j| j.dismissed.is_none() && j.file_hash.starts_with(&hash))
            .map(|j| DismissedJournal {
                file_hash: j.file_hash,
                failover: None,
                key_id: Some(j.key_id),
                reason: j.reason,
                imported_at: j.imported_at,
                dismissed: None,
            })
            .collect();
        open.extend(
            self.store
                .tampered_journals()?
                .into_iter()
                .filter(|j| j.dismissed.is_none() && j.file_hash.starts_with(&hash))
                .map(|j| DismissedJournal {
                    file_hash: j.file_hash,
                    failover: Some(j.failover),
                    key_id: None,
                    reason: j.tamper.to_string(),
                    imported_at: j.imported_at,
                    dismissed: None,
                }),
        );
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
        let (subject, whose) = match (&journal.failover, &journal.key_id) {
            (Some(failover), _) => {
                tx.dismiss_tampered_journal(&journal.file_hash, at, reason)?;
                (failover.to_string(), format!("of {failover}"))
            }
            (None, key_id) => {
                tx.dismiss_unreadable_journal(&journal.file_hash, at, reason)?;
                let key_id = key_id.clone().unwrap_or_default();
                (key_id.clone(), format!("naming key {key_id}"))
            }
        };
        tx.audit(
            at,
            "journal-dismissed",
            &subject,
            &format!(
                "tampered usage journal (SHA-256 {}, {whose}) dismissed: {reason}",
                journal.file_hash
            ),
            Some(&journal.file_hash),
        )?;
        tx.commit()?;
        Ok(DismissedJournal {
            dismissed: Some((at, reason.to_string())),
            ..journal
        })
    }

    /// The usage journals whose own signature failed that no administrator has dismissed yet,
    /// oldest first: tied to no FailoverSuite (nothing in them was read), each is reported by
    /// monitoring until dismissed (`dismiss_tampered_journal`). Reads only.
    pub fn undismissed_unreadable_journals(
        &self,
    ) -> Result<Vec<licdesk_store::UnreadableJournal>, DeskError> {
        Ok(self
            .store
            .unreadable_journals()?
            .into_iter()
            .filter(|j| j.dismissed.is_none())
            .collect())
    }

    /// Acknowledges the past violations of a standby's five-day rule (R12) — episodes over the
    /// limit that had ended when its latest trusted journal was exported — once an administrator
    /// has looked into them: monitoring no longer reports them; the acknowledgement and its
    /// reason go to the audit log. A violation still running cannot be acknowledged.
    pub fn acknowledge_violations(
        &mut self,
        failover: &LicenseNumber,
        reason: &str,
    ) -> Result<AcknowledgedViolations, DeskError> {
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(DeskError::invalid(
                "say why the violation is acknowledged (--reason): the audit log keeps it",
            ));
        }
        licdesk_core::model::validate_text("reason", reason, 500).map_err(DeskError::invalid)?;
        let report = self.store.usage_report(failover)?;
        let Some((report, evaluation)) = report
            .as_ref()
            .and_then(|r| r.evaluation.as_ref().map(|e| (r, e)))
        else {
            return Err(DeskError::new(
                ErrorCode::NotFound,
                format!("no trusted usage journal of FailoverSuite {failover} has been imported: there is no violation to acknowledge"),
            ));
        };
        let episodes: Vec<licdesk_core::usage::Episode> = report.open_violations.clone();
        let Some(through) = episodes.iter().map(|e| e.start).max() else {
            return Err(
                match evaluation.current.as_ref().filter(|c| c.level == Level::Violation) {
                    Some(c) => DeskError::new(
                        ErrorCode::ViolationRunning,
                        format!(
                            "the violation of FailoverSuite {failover} is still running (the episode since {}, as of the journal exported {}): it can be acknowledged once it has ended — after an idle gap of {} h — and a journal exported after that is imported",
                            c.start, evaluation.at, evaluation.limits.episode_gap_hours
                        ),
                    ),
                    None => DeskError::new(
                        ErrorCode::NotFound,
                        format!(
                            "FailoverSuite {failover} has no past violation to acknowledge (as of the journal exported {}): licdesk check lists what is reported",
                            evaluation.at
                        ),
                    ),
                },
            );
        };
        let running = evaluation
            .current
            .as_ref()
            .filter(|c| c.level == Level::Violation)
            .and_then(|c| report.installation_key.as_deref().map(|k| (k, c.start)));
        let tx = self.store.write()?;
        let at = now();
        tx.acknowledge_violations(failover, through, at, reason)?;
        // Every open one, whichever installation showed it — but the one still running.
        tx.acknowledge_recorded_violations(failover, running, at, reason)?;
        let list = episodes
            .iter()
            .map(|e| {
                format!(
                    "the episode since {} ({:.1} h under load, {:.1} h over {} h)",
                    e.start,
                    hours(e.load_seconds),
                    hours(e.over_limit_seconds),
                    evaluation.limits.max_load_hours
                )
            })
            .collect::<Vec<_>>()
            .join(", ");
        tx.audit(
            at,
            "violation-acknowledged",
            failover.as_str(),
            &format!("five-day rule violation acknowledged: {list}: {reason}"),
            report.journal_hash.as_deref(),
        )?;
        tx.commit()?;
        Ok(AcknowledgedViolations {
            failover: failover.clone(),
            episodes,
            acknowledged_at: at,
            reason: reason.to_string(),
        })
    }

    /// Records a usage journal whose own signature fails as tampered, without using anything in
    /// it (not even the FailoverSuite it names), and returns the refusal.
    fn record_unreadable_journal(&mut self, hash: &str, named_key: &str) -> DeskError {
        let message = format!(
            "the usage journal's signature does not verify (it names key {named_key}): it was changed after it was signed, or is not a journal of that installation. It was recorded as tampered, for monitoring (licdesk check); nothing in it was used. {}",
            tamper_advice(hash)
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
        if_exists: crate::IfExists,
    ) -> Result<licdesk_core::ReleaseRequest, DeskError> {
        let output = self.output(out, if_exists);
        output.check()?;
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
        output.write(text.as_bytes())?;
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
        release.validate().map_err(|d| {
            DeskError::new(
                ErrorCode::InvalidContent,
                format!("the standby release is invalid: {d}"),
            )
        })?;
        let failover = release.failover.clone();
        let tx = self.store.write()?;
        let at = now();
        if tx.file_seen(hash)? {
            return Ok((
                ImportStatus::Unchanged,
                failover.clone(),
                format!("this release of {failover} was already imported"),
            ));
        }
        crate::refuse_superseded_decision(
            &tx,
            Role::Standby,
            &failover,
            release.released_at,
            release.serial,
            "standby release",
        )?;
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
        let notice = licdesk_core::standby_notice(
            &tx.system(Role::Standby, failover)?
                .and_then(|s| s.limits)
                .unwrap_or_default(),
        );
        tx.audit(at, "notice-acknowledged", failover.as_str(), &notice, None)?;
        tx.commit()?;
        Ok(at)
    }

    /// The R11 notice of a FailoverSuite's standby, naming the limits of its signed activation
    /// (the data sheet's five days when it has none yet).
    /// The R11 notice with the limits of the standby's signed activation; on a desk that holds no
    /// activated standby, those of the latest trusted journal's activation (the same vendor
    /// signature), else the standard ones.
    pub fn standby_notice(&self, failover: &LicenseNumber) -> Result<String, DeskError> {
        let limits = match self
            .store
            .system(Role::Standby, failover)?
            .and_then(|s| s.limits)
        {
            Some(limits) => limits,
            None => self
                .store
                .usage_report(failover)?
                .and_then(|r| r.evaluation.map(|e| e.limits))
                .unwrap_or_default(),
        };
        Ok(licdesk_core::standby_notice(&limits))
    }

    /// The desk's time: the later of its clock and the latest signed time it has seen.
    pub(crate) fn desk_time(&self) -> Result<Timestamp, DeskError> {
        let floor = self
            .store
            .meta(TIME_FLOOR)?
            .and_then(|t| Timestamp::parse(&t).ok());
        let clock = now();
        Ok(floor.filter(|f| *f > clock).unwrap_or(clock))
    }

    /// The latest signed time this desk has seen, if the system clock is behind it.
    pub fn clock_behind(&self) -> Result<Option<Timestamp>, DeskError> {
        let floor = self
            .store
            .meta(TIME_FLOOR)?
            .and_then(|t| Timestamp::parse(&t).ok());
        Ok(floor.filter(|f| now() < *f))
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

pub(crate) fn hours(seconds: i64) -> f64 {
    seconds as f64 / 3600.0
}

/// What to do about a tampered journal, for people.
fn tamper_advice(hash: &str) -> String {
    format!(
        "Look into it (who exported it, and from which machine); import the standby's latest journal (licdesk journal export --out FILE on the standby); once resolved, dismiss it: licdesk journal dismiss --journal {} --reason TEXT",
        &hash[..hash.len().min(12)]
    )
}

/// Refuses a journal that carries an older activation than the standby's current one: its
/// limits may be superseded (the vendor may have changed them on re-activation). On a desk that
/// holds the standby the current activation is its own; elsewhere, the one the journal recorded
/// before carried.
fn refuse_superseded(
    failover: &LicenseNumber,
    activation: &licdesk_core::ActivationResponse,
    carried: &str,
    current: Option<&licdesk_store::StoredSystem>,
    recorded: Option<&UsageReport>,
) -> Result<(), DeskError> {
    let (latest, superseded) = match current.and_then(|s| s.activation.as_ref()) {
        // Two activations signed in the same second are told apart by their text.
        Some(a) => (
            Some(a.activated_at),
            activation.activated_at < a.activated_at
                || (activation.activated_at == a.activated_at
                    && carried.trim() != a.response_text.trim()),
        ),
        None => {
            let latest = recorded.and_then(|r| r.activated_at);
            (latest, latest.is_some_and(|l| activation.activated_at < l))
        }
    };
    match latest {
        Some(latest) if superseded => Err(DeskError::new(
            ErrorCode::Conflict,
            format!(
                "this usage journal of {failover} carries the standby's activation of {}, but the standby's current activation is of {latest}: its limits may have changed, and nothing was changed. Import the current activation response on the standby (licdesk import RESPONSE-FILE there), export its journal again (licdesk journal export --out FILE) and import that",
                activation.activated_at
            ),
        )),
        _ => Ok(()),
    }
}

pub(crate) fn describe_evaluation(
    failover: &LicenseNumber,
    e: &licdesk_core::usage::Evaluation,
    acknowledged_through: Option<Timestamp>,
) -> String {
    let current = hours(e.current.as_ref().map(|c| c.load_seconds).unwrap_or(0));
    let mut text = format!(
        "usage journal of {failover} evaluated: {current:.1} h under load in the current episode of at most {} h, as of {}",
        e.limits.max_load_hours, e.at
    );
    let level = e.current_level();
    if level >= Level::Warning {
        let _ = write!(text, "; {}", level_word(level, &e.limits));
    }
    for v in e.unacknowledged_violations(acknowledged_through) {
        let _ = write!(
            text,
            "; VIOLATION: the episode since {} ran {:.1} h over the limit (R12)",
            v.start,
            hours(v.over_limit_seconds)
        );
    }
    text
}

/// A tampered journal an administrator dismissed: one whose signature failed (`key_id`, the key
/// its header names) or one of a FailoverSuite's standby (`failover`).
#[derive(Debug, Clone, Serialize)]
pub struct DismissedJournal {
    pub file_hash: String,
    pub failover: Option<LicenseNumber>,
    pub key_id: Option<String>,
    /// Why it was tampered.
    pub reason: String,
    pub imported_at: Timestamp,
    /// When it was dismissed, and why.
    pub dismissed: Option<(Timestamp, String)>,
}

/// Past violations an administrator acknowledged.
#[derive(Debug, Clone, Serialize)]
pub struct AcknowledgedViolations {
    pub failover: LicenseNumber,
    pub episodes: Vec<Episode>,
    pub acknowledged_at: Timestamp,
    pub reason: String,
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
