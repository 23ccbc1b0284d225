//! Sync: two stores — a laptop's, kept offline at customer sites, and its team's — exchange what
//! each lacks, both ways, until they hold the same.
//!
//! - **Signed files** go by content id: a file one store applied and the other has not seen is
//!   imported there as any file is — verified against that store's trusted keys, checked against
//!   its state and the rules (R1–R14). Sync never writes what a signed file says; it cannot
//!   change it, and a store that was tampered with cannot pass anything on that its files do
//!   not prove. A file the other store refuses is reported with its refusal.
//! - **What people did without a vendor's signature** is merged by stated rules:
//!   - a system's registration is taken over where there is none; a *later* registration
//!     replaces a pending one (as it does on one desk), and an active system — one the vendor
//!     activated — is never replaced by sync (its signed responses decide);
//!   - the requests a desk wrote are taken over (a nonce is one request); an answer is the
//!     earliest;
//!   - a violation acknowledged (R12) or a journal dismissed: the earliest decision stands.
//!
//!   A registration or decision set aside is recorded in the audit log of the store that
//!   held it (`sync-conflict`), naming both.
//! - **Audit logs** merge: each entry, by its identity, reaches the other store as written.
//!
//! Each step is its own transaction, in the order its dependencies ask (certificates, then
//! registrations and requests, then responses, releases and journals, then decisions, then the
//! audit logs): a sync cut short leaves both stores consistent, and running it again finishes
//! it. Trust is not exchanged: each store's administrator decides which vendor keys it trusts.

use std::collections::HashSet;

use licdesk_core::{rules, FileKind, LicenseProduct, Role};
use licdesk_store::{
    Decision, DecisionSubject, MarkQueries, Merged, Queries, SignedFile, StoredSystem, SystemState,
};
use serde::Serialize;

use crate::import_bulk::check_window;
use crate::{
    Desk, DeskError, ImportOutcome, ImportResult, IMPORT_WINDOW_BYTES, IMPORT_WINDOW_FILES,
};

/// What one direction of a sync brought into a store.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SyncDirection {
    /// Signed files imported (accepted or recorded).
    pub files: usize,
    /// What the store refused: signed files (named by their content id, with the import's
    /// refusal) and registrations its rules forbid (named by their license, R4/R7/R14).
    pub refused: Vec<ImportOutcome>,
    /// Registrations taken over or replaced.
    pub registrations: usize,
    pub requests: usize,
    pub decisions: usize,
    pub audit_entries: usize,
}

/// Which of the two stores.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SyncSide {
    /// The store the sync was started from (`licdesk sync`'s own store).
    This,
    /// The store named with `--with`.
    Other,
}

/// A registration or a decision set aside by sync's rules, as recorded in the audit log.
#[derive(Debug, Clone, Serialize)]
pub struct SyncConflict {
    /// The store whose registration or decision was set aside.
    pub side: SyncSide,
    /// The FailoverSuite or base license, or the journal, it is about.
    pub subject: String,
    /// Which rule decided: `active-system-stands`, `later-registration`, `earliest-decision`.
    pub rule: &'static str,
    /// What was kept and what was set aside, in English (the command line, the audit log).
    pub kept: String,
    pub set_aside: String,
    /// The same as values, for a shell to say in its own language.
    pub kept_item: ConflictItem,
    pub set_aside_item: ConflictItem,
}

/// One side of a conflict, as values.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "item", rename_all = "snake_case")]
pub enum ConflictItem {
    /// A system's registration: its role, machine, when it was registered, whether the
    /// vendor activated it.
    Registration {
        role: Role,
        hardware_id: String,
        registered_at: licdesk_core::Timestamp,
        active: bool,
    },
    /// A violation acknowledged (with the start of the violation) or a journal dismissed: when,
    /// and the reason given.
    Decision {
        acknowledged_violation_from: Option<licdesk_core::Timestamp>,
        at: licdesk_core::Timestamp,
        reason: String,
    },
}

impl ConflictItem {
    fn of_system(system: &StoredSystem) -> ConflictItem {
        ConflictItem::Registration {
            role: system.role,
            hardware_id: system.hardware.id.to_string(),
            registered_at: system.registered_at,
            active: system.state == SystemState::Active,
        }
    }

    fn of_decision(decision: &Decision) -> ConflictItem {
        ConflictItem::Decision {
            acknowledged_violation_from: match &decision.subject {
                DecisionSubject::Violation { start, .. } => Some(*start),
                _ => None,
            },
            at: decision.at,
            reason: decision.reason.clone(),
        }
    }
}

/// What a sync did, both ways.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SyncReport {
    /// What this store received from the other.
    pub received: SyncDirection,
    /// What the other store received from this one.
    pub sent: SyncDirection,
    pub conflicts: Vec<SyncConflict>,
    /// Stopped before the end (asked to): what was done stays; run the sync again to finish.
    pub interrupted: bool,
}

impl SyncReport {
    /// Whether the two stores now hold the same: the sync ran to its end and neither store
    /// refused a file.
    pub fn complete(&self) -> bool {
        !self.interrupted && self.received.refused.is_empty() && self.sent.refused.is_empty()
    }
}

/// Asked before each step of a sync (a window of signed files, a registration, a request, a
/// decision, a window of audit entries) with the number of steps done so far; false stops the sync there.
pub type KeepSyncing<'a> = &'a mut dyn FnMut(usize) -> bool;

/// The steps done, and whether the sync may go on.
struct Gate<'a> {
    keep_going: KeepSyncing<'a>,
    done: usize,
    stopped: bool,
}

impl Gate<'_> {
    /// Whether the next step may run.
    fn pass(&mut self) -> bool {
        if !self.stopped && !(self.keep_going)(self.done) {
            self.stopped = true;
        }
        if !self.stopped {
            self.done += 1;
        }
        !self.stopped
    }
}

/// Which signed files a step hands over.
#[derive(Clone, Copy)]
enum FileStep {
    Certificates,
    Others,
}

impl FileStep {
    fn takes(self, kind: &str) -> bool {
        let certificate =
            kind == FileKind::BaseCertificate.tag() || kind == FileKind::FailoverCertificate.tag();
        matches!(self, FileStep::Certificates) == certificate
    }
}

impl Desk {
    /// Exchanges with `other` what each store lacks, both ways (see the module's doc).
    pub fn sync_with(&mut self, other: &mut Desk) -> Result<SyncReport, DeskError> {
        self.sync_with_until(other, &mut |_| true)
    }

    /// [`Desk::sync_with`], asking `keep_going` before each step (a window's cancel button, a
    /// test cutting a sync short).
    pub fn sync_with_until(
        &mut self,
        other: &mut Desk,
        keep_going: KeepSyncing<'_>,
    ) -> Result<SyncReport, DeskError> {
        let mut r = SyncReport::default();
        let mut gate = Gate {
            keep_going,
            done: 0,
            stopped: false,
        };
        let g = &mut gate;
        let (this, that) = (SyncSide::This, SyncSide::Other);
        signed_files(self, other, FileStep::Certificates, &mut r.received, g)?;
        signed_files(other, self, FileStep::Certificates, &mut r.sent, g)?;
        registrations(self, other, &mut r.received, &mut r.conflicts, this, g)?;
        registrations(other, self, &mut r.sent, &mut r.conflicts, that, g)?;
        r.received.requests += requests(self, other, g)?;
        r.sent.requests += requests(other, self, g)?;
        signed_files(self, other, FileStep::Others, &mut r.received, g)?;
        signed_files(other, self, FileStep::Others, &mut r.sent, g)?;
        r.received.decisions += decisions(self, other, &mut r.conflicts, this, g)?;
        r.sent.decisions += decisions(other, self, &mut r.conflicts, that, g)?;
        r.received.audit_entries += audit_entries(self, other, g)?;
        r.sent.audit_entries += audit_entries(other, self, g)?;
        r.interrupted = gate.stopped;
        Ok(r)
    }
}

/// Imports into `to` the signed files of `step` that `from` keeps and `to` has not seen, in
/// the order `from` imported them: as a bulk import does, a window of files at a time, each
/// window one transaction (each file in it whole or not at all), signatures checked on every
/// core.
fn signed_files(
    to: &mut Desk,
    from: &Desk,
    step: FileStep,
    direction: &mut SyncDirection,
    gate: &mut Gate<'_>,
) -> Result<(), DeskError> {
    // What `to` lacks, cut into windows of at most IMPORT_WINDOW_FILES files and
    // IMPORT_WINDOW_BYTES bytes (memory stays bounded whatever the files).
    let mut windows: Vec<Vec<String>> = Vec::new();
    let mut bytes = 0;
    let seen: HashSet<String> = to.store.seen_file_ids()?.into_iter().collect();
    for (id, kind, size) in from.store.signed_file_index()? {
        if !step.takes(&kind) || seen.contains(&id) {
            continue;
        }
        match windows.last_mut() {
            Some(w) if w.len() < IMPORT_WINDOW_FILES && bytes + size <= IMPORT_WINDOW_BYTES => {
                bytes += size;
                w.push(id);
            }
            _ => {
                bytes = size;
                windows.push(vec![id]);
            }
        }
    }
    for ids in windows {
        if !gate.pass() {
            break;
        }
        let files: Vec<SignedFile> = from.store.signed_files(&ids)?;
        let checked = check_window(&to.trust, files, |file| {
            (file.content_id, Ok(file.text.into_bytes()))
        });
        for outcome in to.apply_window(checked) {
            match outcome.result {
                ImportResult::Refused if !to.store.file_seen(&outcome.file)? => {
                    direction.refused.push(outcome)
                }
                _ => direction.files += 1,
            }
        }
    }
    Ok(())
}

/// Takes the registrations of `from` into `to` by sync's rules.
fn registrations(
    to: &mut Desk,
    from: &Desk,
    direction: &mut SyncDirection,
    conflicts: &mut Vec<SyncConflict>,
    side: SyncSide,
    gate: &mut Gate<'_>,
) -> Result<(), DeskError> {
    for theirs in from.store.all_systems()? {
        let known = match theirs.role {
            Role::Main => to.store.base(&theirs.license)?.is_some(),
            Role::Standby => to.store.failover(&theirs.license)?.is_some(),
        };
        if !known {
            continue;
        }
        // A registration older than a release this store applied is over: the release (a
        // signed file) reaches the other store in this sync and ends it there too.
        let released_since = to
            .store
            .system_mark(theirs.role, &theirs.license)?
            .is_some_and(|mark| {
                mark.kind == FileKind::Release.tag() && mark.signed_at >= theirs.registered_at
            });
        if released_since {
            continue;
        }
        let ours = to.store.system(theirs.role, &theirs.license)?;
        let replaced = match &ours {
            None => None,
            Some(ours) if ours.hardware.id == theirs.hardware.id => continue,
            Some(ours) => {
                let (rule, theirs_wins) = registration_rule(ours, &theirs);
                if !theirs_wins {
                    // Ours stands: the other direction of the sync sets theirs aside and
                    // records it in that store (a conflict is recorded once, where it is lost).
                    continue;
                }
                Some(SyncConflict {
                    side,
                    subject: theirs.license.to_string(),
                    rule,
                    kept: describe(&theirs),
                    set_aside: describe(ours),
                    kept_item: ConflictItem::of_system(&theirs),
                    set_aside_item: ConflictItem::of_system(ours),
                })
            }
        };
        let mut known = to.known_systems(Some((theirs.role, &theirs.license)))?;
        known.retain(|k| !(k.role == theirs.role && k.license == theirs.license));
        let allowed = match theirs.role {
            Role::Main => rules::check_main(&theirs.license, &theirs.hardware, &known),
            Role::Standby => rules::check_standby(&theirs.license, &theirs.hardware, &known),
        };
        if let Err(violation) = allowed {
            // This store's rules refuse the machine (it holds another role here, R4/R7/R14):
            // its own registration, if any, stays, and the refusal is reported (the two stores
            // do not hold the same until someone settles it).
            let mut refused = crate::vendor_file::refused(
                theirs.license.as_str(),
                None,
                DeskError::from(violation),
            );
            refused.license = Some(theirs.license.clone());
            direction.refused.push(refused);
            continue;
        }
        if !gate.pass() {
            break;
        }
        let now = to.clock.now();
        let tx = to.store.write()?;
        tx.put_pending_system(
            theirs.role,
            &theirs.license,
            &theirs.base_license,
            &theirs.hardware,
            theirs.mode,
            theirs.installation_key.as_deref(),
            theirs.registered_at,
        )?;
        match &replaced {
            Some(c) => tx.audit(
                now,
                "sync-conflict",
                theirs.license.as_str(),
                &format!(
                    "{} ({}): kept {}; set aside {}",
                    c.rule,
                    rule_sentence(c.rule),
                    c.kept,
                    c.set_aside
                ),
                None,
            )?,
            None => tx.audit(
                now,
                "sync-registration",
                theirs.license.as_str(),
                &format!("taken over from another store: {}", describe(&theirs)),
                None,
            )?,
        }
        tx.commit()?;
        direction.registrations += 1;
        conflicts.extend(replaced);
    }
    Ok(())
}

/// Which registration of one system stays when two stores hold different machines: an active
/// one (the vendor's response decided) over a pending one; between two pending ones the later
/// (a tie: the larger hardware ID, so that both stores pick the same). Two active ones are left
/// to their signed responses. The rule's name, and whether `theirs` wins.
fn registration_rule(ours: &StoredSystem, theirs: &StoredSystem) -> (&'static str, bool) {
    match (ours.state, theirs.state) {
        (SystemState::Active, _) => ("active-system-stands", false),
        (SystemState::Pending, SystemState::Active) => ("active-system-stands", true),
        (SystemState::Pending, SystemState::Pending) => (
            "later-registration",
            (theirs.registered_at, theirs.hardware.id.as_str())
                > (ours.registered_at, ours.hardware.id.as_str()),
        ),
    }
}

fn rule_sentence(rule: &str) -> &'static str {
    match rule {
        "active-system-stands" => "a system the vendor activated is not replaced",
        "later-registration" => "the later registration replaces a pending one",
        _ => "the earliest decision stands",
    }
}

fn describe(system: &StoredSystem) -> String {
    let state = match system.state {
        SystemState::Active => "active",
        SystemState::Pending => "pending",
    };
    format!(
        "{} {} registered {} ({state})",
        match system.role {
            Role::Main => "main system",
            Role::Standby => "standby",
        },
        system.hardware.id,
        system.registered_at
    )
}

/// Takes over the requests `from` wrote for licenses `to` holds; how many were new.
fn requests(to: &mut Desk, from: &Desk, gate: &mut Gate<'_>) -> Result<usize, DeskError> {
    let mut added = 0;
    for written in from.store.written_requests()? {
        let license = &written.request.license;
        let known = match license.product() {
            LicenseProduct::Suite => to.store.base(license)?.is_some(),
            LicenseProduct::FailoverSuite => to.store.failover(license)?.is_some(),
        };
        let settled = to
            .store
            .request(&written.request.nonce)?
            .is_some_and(|ours| {
                ours.answered_at.is_some() || written.request.answered_at.is_none()
            });
        if !known || settled {
            continue;
        }
        if !gate.pass() {
            break;
        }
        let tx = to.store.write()?;
        added += usize::from(tx.merge_request(&written)?);
        tx.commit()?;
    }
    Ok(added)
}

/// Merges the decisions of `from` into `to`: the earliest stands. How many changed `to`.
fn decisions(
    to: &mut Desk,
    from: &Desk,
    conflicts: &mut Vec<SyncConflict>,
    side: SyncSide,
    gate: &mut Gate<'_>,
) -> Result<usize, DeskError> {
    let mut changed = 0;
    for theirs in from.store.decisions()? {
        if !gate.pass() {
            break;
        }
        let now = to.clock.now();
        let tx = to.store.write()?;
        let merged = tx.merge_decision(&theirs)?;
        let subject = decision_subject(&theirs);
        match &merged {
            Merged::Taken => tx.audit(
                now,
                "sync-decision",
                &subject,
                &format!("taken over from another store: {}", decision_text(&theirs)),
                None,
            )?,
            Merged::Replaced(ours) => {
                let conflict = SyncConflict {
                    side,
                    subject: subject.clone(),
                    rule: "earliest-decision",
                    kept: decision_text(&theirs),
                    set_aside: decision_text(ours),
                    kept_item: ConflictItem::of_decision(&theirs),
                    set_aside_item: ConflictItem::of_decision(ours),
                };
                tx.audit(
                    now,
                    "sync-conflict",
                    &subject,
                    &format!(
                        "earliest-decision (the earliest decision stands): kept {}; set aside {}",
                        conflict.kept, conflict.set_aside
                    ),
                    None,
                )?;
                conflicts.push(conflict);
            }
            Merged::NothingToDecide | Merged::Same | Merged::OursStands => {}
        }
        tx.commit()?;
        if matches!(merged, Merged::Taken | Merged::Replaced(_)) {
            changed += 1;
        }
    }
    Ok(changed)
}

fn decision_subject(decision: &Decision) -> String {
    match &decision.subject {
        DecisionSubject::Violation { failover, .. } => failover.to_string(),
        DecisionSubject::TamperedJournal { file_hash }
        | DecisionSubject::UnreadableJournal { file_hash } => file_hash.clone(),
    }
}

fn decision_text(decision: &Decision) -> String {
    let what = match &decision.subject {
        DecisionSubject::Violation { start, .. } => {
            format!("violation from {start} acknowledged")
        }
        DecisionSubject::TamperedJournal { .. } | DecisionSubject::UnreadableJournal { .. } => {
            "journal dismissed".to_string()
        }
    };
    format!("{what} at {}: \"{}\"", decision.at, decision.reason)
}

/// Copies into `to`'s audit log the entries of `from`'s it lacks, as written; how many.
fn audit_entries(to: &mut Desk, from: &Desk, gate: &mut Gate<'_>) -> Result<usize, DeskError> {
    let ours: HashSet<String> = to
        .store
        .audit_log()?
        .into_iter()
        .map(|e| e.entry_id)
        .collect();
    let missing: Vec<_> = from
        .store
        .audit_log()?
        .into_iter()
        .filter(|e| !e.entry_id.is_empty() && !ours.contains(&e.entry_id))
        .collect();
    let mut copied = 0;
    // In windows of a thousand: a long log does not hold the store for long at once, and an
    // interrupted copy keeps what it wrote.
    for window in missing.chunks(1000) {
        if !gate.pass() {
            break;
        }
        let tx = to.store.write()?;
        for entry in window {
            copied += usize::from(tx.copy_audit_entry(entry)?);
        }
        tx.commit()?;
    }
    Ok(copied)
}
