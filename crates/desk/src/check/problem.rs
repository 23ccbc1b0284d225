//! What monitoring reports, as typed values: each problem has a stable code, its parameters and
//! a status; shells render it (the CLI in English, with its own next step).

use std::fmt;

use licdesk_core::usage::{Episode, Tamper};
use licdesk_core::{HardwareId, LicenseNumber, LoadLimits, Timestamp};
use serde::Serialize;

use super::CheckStatus;
use crate::time::hours;
use crate::NextStep;

/// One problem `licdesk check` reports.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum CheckProblem {
    /// R5: the standby was activated before its main system's licenses changed.
    OutOfDate {
        failover: LicenseNumber,
        hardware_id: HardwareId,
    },
    /// A usage journal of a FailoverSuite that could not be trusted, not dismissed yet.
    TamperedJournal {
        failover: LicenseNumber,
        journal: String,
        imported_at: Timestamp,
        tamper: Tamper,
    },
    /// A usage journal whose own signature fails (tied to no FailoverSuite), not dismissed yet.
    UnreadableJournal {
        journal: String,
        key_id: String,
        imported_at: Timestamp,
        reason: String,
    },
    /// R12: a violation of an episode that has ended, not acknowledged yet.
    PastViolation {
        failover: LicenseNumber,
        limits: LoadLimits,
        episode: Episode,
        as_of: Timestamp,
    },
    /// R12: the episode still running is over the limit.
    Violation {
        failover: LicenseNumber,
        limits: LoadLimits,
        episode: Episode,
        as_of: Timestamp,
    },
    /// R12: the episode still running is over the final-warning level.
    FinalWarning {
        failover: LicenseNumber,
        limits: LoadLimits,
        episode: Episode,
        as_of: Timestamp,
    },
    /// R12: the episode still running is over the warning level.
    Warning {
        failover: LicenseNumber,
        limits: LoadLimits,
        episode: Episode,
        as_of: Timestamp,
    },
    /// R12: time no usage journal accounts for (never counted as idle).
    Unaccounted {
        failover: LicenseNumber,
        since: Timestamp,
        journal_came: bool,
        seconds: i64,
        worst_case_load_seconds: i64,
        limits: LoadLimits,
        critical: bool,
    },
    /// A signed file a status rests on (a standby's activation, its base license's
    /// certificate, the activation its journal carried) no longer verifies against a trusted key.
    VendorTrustFails { license: String, reason: String },
    /// A value a status rests on differs from the signed file it was recorded from: the store
    /// was changed outside License Desk. The status is made from the signed file.
    StoreChanged { license: String, what: String },
    /// The evaluation of a standby's latest journal was recorded by a License Desk that did not
    /// keep the journal itself (store schema 8 or older): it cannot be verified until the
    /// standby's next journal is imported.
    JournalNotKept { failover: LicenseNumber },
    /// The system clock is behind the latest vendor-signed time this desk has seen.
    ClockBehind { floor: Timestamp },
}

impl CheckProblem {
    pub fn status(&self) -> CheckStatus {
        match self {
            CheckProblem::TamperedJournal { .. }
            | CheckProblem::UnreadableJournal { .. }
            | CheckProblem::PastViolation { .. }
            | CheckProblem::Violation { .. }
            | CheckProblem::VendorTrustFails { .. }
            | CheckProblem::StoreChanged { .. } => CheckStatus::Critical,
            CheckProblem::Unaccounted { critical: true, .. } => CheckStatus::Critical,
            CheckProblem::OutOfDate { .. }
            | CheckProblem::FinalWarning { .. }
            | CheckProblem::Warning { .. }
            | CheckProblem::Unaccounted { .. }
            | CheckProblem::JournalNotKept { .. }
            | CheckProblem::ClockBehind { .. } => CheckStatus::Warning,
        }
    }

    /// Every code, in the order of the variants (metrics list each, zero when none).
    pub const CODES: [&'static str; 12] = [
        "out_of_date",
        "tampered_journal",
        "unreadable_journal",
        "past_violation",
        "violation",
        "final_warning",
        "warning",
        "unaccounted",
        "vendor_trust_fails",
        "store_changed",
        "journal_not_kept",
        "clock_behind",
    ];

    /// The standby (FailoverSuite license) the problem is about, when it is about one.
    pub fn failover(&self) -> Option<&str> {
        match self {
            CheckProblem::OutOfDate { failover, .. }
            | CheckProblem::TamperedJournal { failover, .. }
            | CheckProblem::PastViolation { failover, .. }
            | CheckProblem::Violation { failover, .. }
            | CheckProblem::FinalWarning { failover, .. }
            | CheckProblem::Warning { failover, .. }
            | CheckProblem::Unaccounted { failover, .. } => Some(failover.as_str()),
            CheckProblem::VendorTrustFails { license, .. }
            | CheckProblem::StoreChanged { license, .. } => Some(license),
            CheckProblem::JournalNotKept { failover } => Some(failover.as_str()),
            CheckProblem::UnreadableJournal { .. } | CheckProblem::ClockBehind { .. } => None,
        }
    }

    /// The stable code (as in the JSON `code`).
    pub fn code(&self) -> &'static str {
        match self {
            CheckProblem::OutOfDate { .. } => "out_of_date",
            CheckProblem::TamperedJournal { .. } => "tampered_journal",
            CheckProblem::UnreadableJournal { .. } => "unreadable_journal",
            CheckProblem::PastViolation { .. } => "past_violation",
            CheckProblem::Violation { .. } => "violation",
            CheckProblem::FinalWarning { .. } => "final_warning",
            CheckProblem::Warning { .. } => "warning",
            CheckProblem::Unaccounted { .. } => "unaccounted",
            CheckProblem::VendorTrustFails { .. } => "vendor_trust_fails",
            CheckProblem::StoreChanged { .. } => "store_changed",
            CheckProblem::JournalNotKept { .. } => "journal_not_kept",
            CheckProblem::ClockBehind { .. } => "clock_behind",
        }
    }

    pub fn next_step(&self) -> Option<NextStep> {
        match self {
            CheckProblem::TamperedJournal { journal, .. }
            | CheckProblem::UnreadableJournal { journal, .. } => Some(NextStep::DismissJournal {
                journal: journal.clone(),
            }),
            CheckProblem::PastViolation { failover, .. } => Some(NextStep::AcknowledgeViolations {
                failover: failover.clone(),
            }),
            CheckProblem::Unaccounted { .. } | CheckProblem::JournalNotKept { .. } => {
                Some(NextStep::ImportLatestJournal)
            }
            _ => None,
        }
    }
}

fn limit_name(limits: &LoadLimits) -> String {
    if limits.max_load_hours == 120 {
        "five-day".to_string()
    } else {
        format!("{} h", limits.max_load_hours)
    }
}

fn over(
    f: &mut fmt::Formatter<'_>,
    failover: &LicenseNumber,
    limits: &LoadLimits,
    ep: &Episode,
) -> fmt::Result {
    write!(
        f,
        "{failover} over the {} limit: {:.1} h under load since {} ({:.1} h over {} h)",
        limit_name(limits),
        hours(ep.load_seconds),
        ep.start,
        hours(ep.over_limit_seconds),
        limits.max_load_hours
    )
}

impl fmt::Display for CheckProblem {
    /// The problem in English, without the next step (the shell adds it in its own terms).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CheckProblem::OutOfDate {
                failover,
                hardware_id,
            } => write!(f, "standby {hardware_id} of {failover} is out of date (R5): re-activate it"),
            CheckProblem::TamperedJournal {
                failover,
                journal,
                imported_at,
                tamper,
            } => write!(
                f,
                "usage journal of {failover} (SHA-256 {journal}…, imported {imported_at}) tampered: {tamper}"
            ),
            CheckProblem::UnreadableJournal {
                journal,
                key_id,
                imported_at,
                reason,
            } => write!(
                f,
                "a usage journal (SHA-256 {journal}…, naming key {key_id}) imported {imported_at} is tampered: {reason}"
            ),
            CheckProblem::PastViolation {
                failover,
                limits,
                episode,
                as_of,
            } => {
                over(f, failover, limits, episode)?;
                write!(f, ", an episode that has ended, as of {as_of}")
            }
            CheckProblem::Violation {
                failover,
                limits,
                episode,
                as_of,
            } => {
                over(f, failover, limits, episode)?;
                write!(f, ", as of {as_of}")
            }
            CheckProblem::FinalWarning {
                failover,
                limits,
                episode,
                as_of,
            } => write!(
                f,
                "{failover} final warning: {:.1} h under load since {} (over {} h of at most {} h), as of {as_of}",
                hours(episode.load_seconds),
                episode.start,
                limits.final_warning_hours,
                limits.max_load_hours
            ),
            CheckProblem::Warning {
                failover,
                limits,
                episode,
                as_of,
            } => write!(
                f,
                "{failover} warning: {:.1} h under load since {} (over {} h of at most {} h), as of {as_of}",
                hours(episode.load_seconds),
                episode.start,
                limits.warning_hours,
                limits.max_load_hours
            ),
            CheckProblem::Unaccounted {
                failover,
                since,
                journal_came,
                seconds,
                worst_case_load_seconds,
                limits,
                critical,
            } => {
                write!(f, "{failover}: {:.1} h unaccounted for since ", hours(*seconds))?;
                if *journal_came {
                    write!(f, "its latest usage journal, exported {since}")?;
                } else {
                    write!(f, "its activation at {since} (no usage journal of it came yet)")?;
                }
                if *critical {
                    write!(
                        f,
                        ", at worst {:.1} h under load, over the {} h limit (R12)",
                        hours(*worst_case_load_seconds),
                        limits.max_load_hours
                    )?;
                }
                write!(f, " (time no journal accounts for is not counted as idle)")
            }
            CheckProblem::VendorTrustFails { license, reason } => {
                write!(f, "{license}: vendor trust fails: {reason}")
            }
            CheckProblem::StoreChanged { license, what } => write!(
                f,
                "{license}: the store was changed outside License Desk: {what} (the signed file counts)"
            ),
            CheckProblem::JournalNotKept { failover } => write!(
                f,
                "{failover}: the evaluation of its latest usage journal was recorded by an older License Desk that did not keep the journal, so it cannot be verified"
            ),
            CheckProblem::ClockBehind { floor } => write!(
                f,
                "the system clock is behind the latest signed time seen ({floor})"
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use licdesk_core::ids::LicenseProduct;
    use licdesk_core::usage::Level;

    #[test]
    fn every_problem_carries_its_code_and_parameters_and_says_no_command_line() {
        let failover = LicenseNumber::from_random(LicenseProduct::FailoverSuite, [1, 2, 3, 4, 5]);
        let t = Timestamp::from_unix(1_800_000_000);
        let episode = Episode {
            start: t,
            last_load_end: t.plus_seconds(130 * 3600),
            load_seconds: 130 * 3600,
            level: Level::Violation,
            over_limit_seconds: 10 * 3600,
        };
        let limits = LoadLimits::default();
        let problems = vec![
            CheckProblem::PastViolation {
                failover: failover.clone(),
                limits,
                episode: episode.clone(),
                as_of: t,
            },
            CheckProblem::TamperedJournal {
                failover: failover.clone(),
                journal: "0123456789ab".into(),
                imported_at: t,
                tamper: Tamper::BrokenChain { seq: 2 },
            },
            CheckProblem::Unaccounted {
                failover: failover.clone(),
                since: t,
                journal_came: true,
                seconds: 30 * 3600,
                worst_case_load_seconds: 30 * 3600,
                limits,
                critical: false,
            },
            CheckProblem::ClockBehind { floor: t },
            CheckProblem::StoreChanged {
                license: failover.to_string(),
                what: "the load limits differ from its signed activation response".into(),
            },
            CheckProblem::JournalNotKept {
                failover: failover.clone(),
            },
        ];
        for p in &problems {
            let json = serde_json::to_value(p).unwrap();
            assert_eq!(json["code"], p.code(), "{json}");
            assert!(CheckProblem::CODES.contains(&p.code()));
            assert!(!p.to_string().contains(';'), "{p}");
            let text = p.to_string();
            assert!(!text.contains("licdesk") && !text.contains("--"), "{text}");
        }
        assert_eq!(
            problems
                .iter()
                .map(CheckProblem::status)
                .collect::<Vec<_>>(),
            [
                CheckStatus::Critical,
                CheckStatus::Critical,
                CheckStatus::Warning,
                CheckStatus::Warning,
                CheckStatus::Critical,
                CheckStatus::Warning
            ]
        );
        assert_eq!(problems[4].failover(), Some(failover.as_str()));
        assert_eq!(problems[5].next_step(), Some(NextStep::ImportLatestJournal));
        assert_eq!(
            problems[0].next_step(),
            Some(NextStep::AcknowledgeViolations { failover })
        );
        let json = serde_json::to_value(&problems[0]).unwrap();
        assert_eq!(json["episode"]["load_seconds"], 130 * 3600);
    }
}
