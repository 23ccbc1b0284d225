//! Importing a usage journal (R12): verified, continued from the one recorded, evaluated;
//! tampered ones recorded and reported, never used.

use crate::review::describe_evaluation;
use crate::time::{raise_time_floor, TIME_FLOOR};
use crate::vendor_file::Imported;
use crate::views::*;
use crate::JournalRefusal;
use crate::{Desk, DeskError, NextStep};
use licdesk_core::usage::{evaluate, Tamper, UsageJournal};
use licdesk_core::{Envelope, FileKind, LicenseNumber, Role, Timestamp};
use licdesk_store::{Queries, SystemState, UsageReport};

impl Desk {
    /// Imports a usage journal: verifies it and evaluates it against the five-day rule (R12).
    ///
    /// - A journal whose own signature fails is refused like a damaged file, and recorded as
    ///   tampered (nothing in it is used) so that monitoring reports it.
    /// - The activation inside must be a trusted vendor's, valid as a response imported directly
    ///   is, for this FailoverSuite's standby.
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
    ///
    /// A journal recorded as tampered (now or before) comes with its refusal. A trusted journal's
    /// `text` is kept with its evaluation: monitoring verifies it again (`check`).
    pub(crate) fn import_journal(
        &mut self,
        envelope: Envelope,
        hash: &str,
        text: &str,
    ) -> Result<(Imported, Option<JournalRefusal>), DeskError> {
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
            .map_err(|problem| JournalRefusal::JournalActivationInvalid { problem })?;
        let (activation, _) = self.trust.verify(certificate)?;
        // The rules a response imported directly passes (FORMAT.md §7.8, rule 1).
        let activation: licdesk_core::ActivationResponse = activation
            .checked_payload()
            .map_err(|problem| JournalRefusal::JournalActivationInvalid { problem })?;
        if activation.license != failover || activation.role != Role::Standby {
            return Err(JournalRefusal::JournalOtherActivation {
                failover,
                activation: activation.license,
            }
            .into());
        }
        let limits = activation.limits.unwrap_or_default();
        let at = self.clock.now();
        let tx = self.store.write()?;
        if tx.file_seen(hash)? {
            if let Some(t) = tx
                .tampered_journals()?
                .into_iter()
                .find(|t| t.file_hash == hash && t.dismissed.is_none())
            {
                let refusal = JournalRefusal::JournalAlreadyTampered {
                    failover: failover.clone(),
                    tamper: t.tamper,
                    journal: hash.to_string(),
                };
                return Ok((
                    (ImportStatus::Tampered, failover, refusal.to_string()),
                    Some(refusal),
                ));
            }
            return Ok((
                (
                    ImportStatus::Unchanged,
                    failover.clone(),
                    format!("this usage journal of {failover} was already imported"),
                ),
                None,
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
                        return Err(JournalRefusal::JournalOlder {
                            failover,
                            exported_at: journal.exported_at,
                            recorded_at,
                        }
                        .into());
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
        let mut tampered = None;
        let (status, action, message) = match outcome {
            Ok(evaluation) => {
                tx.put_usage_evaluation(&licdesk_store::TrustedJournal {
                    failover: &failover,
                    journal_hash: hash,
                    exported_at: journal.exported_at,
                    activated_at: activation.activated_at,
                    activation_serial: activation.serial,
                    hardware_id: &activation.hardware.id,
                    installation_key: certified,
                    last_entry: journal.last_entry(),
                    evaluation: &evaluation,
                    imported_at: at,
                    text,
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
                let refusal = JournalRefusal::JournalTampered {
                    failover: failover.clone(),
                    tamper,
                    journal: hash.to_string(),
                };
                let message = refusal.to_string();
                tampered = Some(refusal);
                (ImportStatus::Tampered, "journal-tampered", message)
            }
        };
        tx.mark_file(hash, FileKind::UsageJournal.tag(), Some(text), at)?;
        tx.audit(at, action, failover.as_str(), &message, Some(hash))?;
        // Only vendor-signed times raise the floor: the activation's, never the journal's own
        // export time (the standby's clock, or a forger's).
        raise_time_floor(&tx, activation.activated_at)?;
        tx.commit()?;
        Ok(((status, failover, message), tampered))
    }

    /// Records a usage journal whose own signature fails as tampered, without using anything in
    /// it (not even the FailoverSuite it names), and returns the refusal.
    pub(crate) fn record_unreadable_journal(&mut self, hash: &str, named_key: &str) -> DeskError {
        let refusal = JournalRefusal::JournalSignatureFails {
            key_id: named_key.to_string(),
            journal: hash.to_string(),
        };
        let message = refusal.to_string();
        let at = self.clock.now();
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
                // Its signature fails: not a signed file another store could import.
                tx.mark_file(hash, FileKind::UsageJournal.tag(), None, at)?;
                tx.audit(at, "journal-tampered", named_key, &message, Some(hash))?;
            }
            tx.commit()?;
            Ok(())
        })();
        match recorded {
            Ok(()) => refusal.into(),
            Err(e) => e,
        }
    }
}

/// A key for people: its key id (or the text itself when it is not a key).
pub(crate) fn key_id_of(encoded: &str) -> String {
    licdesk_core::trust::decode_public_key(encoded)
        .map(|k| licdesk_core::KeyId::of_public_key(&k).to_string())
        .unwrap_or_else(|_| encoded.to_string())
}

/// Whether a journal comes from the installation its activation certified, and that activation
/// is the FailoverSuite's current standby: on this desk, the active standby (hardware and
/// installation key); on a desk that holds no standby of it, no earlier activation than the one
/// of the journal recorded before.
pub(crate) fn same_installation(
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
        || !journal.installation_key.is(signer)
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
                    let later = licdesk_core::decisions::decision_follows(
                        seen,
                        r.activation_serial,
                        activation.activated_at,
                        activation.serial,
                    );
                    if !same && !later {
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

/// What to do about a tampered journal, for people (the shell adds how to dismiss it).
pub(crate) fn tamper_advice(hash: &str) -> String {
    format!(
        "Look into it (who exported it, and from which machine) and import the standby's latest journal; once resolved, dismiss it (SHA-256 {})",
        hash.chars().take(12).collect::<String>()
    )
}

/// The next step about a tampered journal: dismiss it once looked into.
pub(crate) fn dismiss(hash: &str) -> NextStep {
    NextStep::DismissJournal {
        journal: hash.chars().take(12).collect(),
    }
}

/// Refuses a journal that carries an older activation than the standby's current one: its
/// limits may be superseded (the vendor may have changed them on re-activation). On a desk that
/// holds the standby the current activation is its own; elsewhere, the one the journal recorded
/// before carried.
pub(crate) fn refuse_superseded(
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
        // On a desk that holds no standby of it: the activation the journal recorded before
        // carried, ordered by the vendor's ledger (or by time, for files without a sequence).
        None => {
            let latest = recorded.and_then(|r| r.activated_at);
            let serial = recorded.and_then(|r| r.activation_serial);
            (
                latest,
                latest.is_some_and(|l| {
                    licdesk_core::decisions::decision_follows(
                        activation.activated_at,
                        activation.serial,
                        l,
                        serial,
                    )
                }),
            )
        }
    };
    match latest {
        Some(current) if superseded => Err(JournalRefusal::JournalActivationSuperseded {
            failover: failover.clone(),
            activated_at: activation.activated_at,
            current,
        }
        .into()),
        _ => Ok(()),
    }
}
