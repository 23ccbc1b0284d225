//! What a bulk import came to, for people: how many files were accepted (by what each did),
//! were there already, or were refused (by the reason's code). Computed here, once, so that
//! every shell counts alike.

use licdesk_core::{FileKind, LicenseProduct, Role};
use serde::Serialize;

use crate::import_run::BulkImport;
use crate::views::*;
use crate::ErrorCode;

/// What an accepted file did to the store.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ImportEffect {
    /// A base license certificate imported (a new license).
    BaseImported,
    /// A newer revision of a base license certificate.
    BaseUpgraded,
    /// A FailoverSuite certificate added to its base license.
    FailoverAdded,
    /// An activation response that activated a main system.
    MainActivated,
    /// An activation response that activated a standby.
    StandbyActivated,
    /// A vendor's release applied: the FailoverSuite takes a new standby (R4).
    StandbyReleased,
    /// A usage journal whose five-day evaluation was recorded (R12).
    JournalRecorded,
}

impl ImportOutcome {
    /// What the file did, when it was accepted.
    pub fn effect(&self) -> Option<ImportEffect> {
        let is = |kind: FileKind| self.kind == Some(kind.tag());
        Some(match self.status {
            ImportStatus::Imported if is(FileKind::FailoverCertificate) => {
                ImportEffect::FailoverAdded
            }
            ImportStatus::Imported => ImportEffect::BaseImported,
            ImportStatus::Upgraded => ImportEffect::BaseUpgraded,
            ImportStatus::Activated => {
                let role = self.activation.as_ref().map(|a| a.role).or_else(|| {
                    self.license.as_ref().map(|l| match l.product() {
                        LicenseProduct::Suite => Role::Main,
                        LicenseProduct::FailoverSuite => Role::Standby,
                    })
                });
                match role {
                    Some(Role::Standby) => ImportEffect::StandbyActivated,
                    _ => ImportEffect::MainActivated,
                }
            }
            ImportStatus::Released => ImportEffect::StandbyReleased,
            ImportStatus::Evaluated => ImportEffect::JournalRecorded,
            ImportStatus::Unchanged | ImportStatus::Tampered | ImportStatus::Refused => {
                return None
            }
        })
    }

    /// Why the file was refused (a tampered usage journal: `tampered`), when it was.
    pub fn reason(&self) -> Option<ErrorCode> {
        match self.status {
            ImportStatus::Tampered => Some(ErrorCode::Tampered),
            ImportStatus::Refused => Some(
                self.error
                    .as_ref()
                    .map_or(ErrorCode::InvalidContent, |e| e.code),
            ),
            _ => None,
        }
    }
}

/// How many accepted files did one thing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct EffectCount {
    pub effect: ImportEffect,
    pub count: usize,
}

/// How many files were refused for one reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ReasonCount {
    pub code: ErrorCode,
    pub count: usize,
}

/// What a bulk import came to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportSummary {
    /// The files given.
    pub total: usize,
    /// The files imported (each accepted, unchanged or refused).
    pub done: usize,
    /// The files not looked at because the import was cancelled before them.
    pub not_imported: usize,
    pub cancelled: bool,
    pub accepted: usize,
    /// Already imported before: nothing changed.
    pub unchanged: usize,
    pub refused: usize,
    /// The accepted files by what they did, in the order of [`ImportEffect`].
    pub accepted_by_effect: Vec<EffectCount>,
    /// The refused files by their reason's code, the most frequent first.
    pub refused_by_reason: Vec<ReasonCount>,
}

impl BulkImport {
    pub fn summary(&self) -> ImportSummary {
        ImportSummary::of(&self.outcomes, self.total, self.cancelled)
    }
}

impl ImportSummary {
    pub fn of(outcomes: &[ImportOutcome], total: usize, cancelled: bool) -> ImportSummary {
        let mut effects = std::collections::BTreeMap::<ImportEffect, usize>::new();
        let mut reasons: Vec<ReasonCount> = Vec::new();
        let (mut accepted, mut unchanged, mut refused) = (0, 0, 0);
        for o in outcomes {
            match o.result {
                ImportResult::Accepted => accepted += 1,
                ImportResult::Unchanged => unchanged += 1,
                ImportResult::Refused => refused += 1,
            }
            if let Some(effect) = o.effect() {
                *effects.entry(effect).or_default() += 1;
            }
            if let Some(code) = o.reason() {
                match reasons.iter_mut().find(|r| r.code == code) {
                    Some(r) => r.count += 1,
                    None => reasons.push(ReasonCount { code, count: 1 }),
                }
            }
        }
        // The most frequent reason first; equal counts in the order first met (stable sort).
        reasons.sort_by_key(|r| std::cmp::Reverse(r.count));
        ImportSummary {
            total,
            done: outcomes.len(),
            not_imported: total.saturating_sub(outcomes.len()),
            cancelled,
            accepted,
            unchanged,
            refused,
            accepted_by_effect: effects
                .into_iter()
                .map(|(effect, count)| EffectCount { effect, count })
                .collect(),
            refused_by_reason: reasons,
        }
    }
}
