//! What a license needs from its administrator, at a glance: the licenses list shows each kind
//! of [`Attention`] a license's main system, standbys and usage journals call for as a badge
//! with text, counts the licenses that need any, and can show only those.
//!
//! The decisions are pure: [`Attention::of_system`] (R5, and the vendor's response awaited) and
//! [`Attention::of_usage`] (R12 from a journal's evaluation, violations not acknowledged,
//! tampered journals not dismissed). Time no journal accounts for ([`Attention::StaleJournal`])
//! depends on the time of asking; the caller, which has the clock, decides it.

use serde::{Deserialize, Serialize};

use crate::decisions::is_out_of_date;
use crate::ids::LicenseNumber;
use crate::model::Role;
use crate::time::Timestamp;
use crate::usage::{Evaluation, Level};

/// One thing a license needs attention for. Each names the system or FailoverSuite it concerns
/// and the values its text needs (the window words it from `code` and these, in its language).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum Attention {
    /// R12: the standby of `failover` ran under load longer than its limit — in the episode
    /// still running when its journal was exported, or in an earlier one not acknowledged yet.
    Violation { failover: LicenseNumber },
    /// R12: the episode running at the journal's export is over the final-warning level,
    /// `hours` (96 unless the vendor signed other limits).
    FinalWarning { failover: LicenseNumber, hours: u32 },
    /// R12: the episode running at the journal's export is over the warning level, `hours`
    /// (72 unless the vendor signed other limits).
    Warning { failover: LicenseNumber, hours: u32 },
    /// A usage journal of `failover` could not be trusted and is not dismissed yet.
    TamperedJournal { failover: LicenseNumber },
    /// No usage journal accounts for the standby's time since `since`, more than a day ago
    /// (R12: time no journal accounts for is never counted as idle).
    StaleJournal {
        failover: LicenseNumber,
        since: Timestamp,
    },
    /// R5: the system was activated before its main system's licenses changed: re-activate it.
    OutOfDate { role: Role, license: LicenseNumber },
    /// An activation request for the system was exported at `since`; the vendor's response has
    /// not been imported yet.
    WaitingForVendor {
        role: Role,
        license: LicenseNumber,
        since: Timestamp,
    },
}

/// What [`Attention::of_system`] needs to know of one registered system.
#[derive(Debug, Clone, Copy)]
pub struct SystemFacts<'a> {
    pub role: Role,
    /// The base license (main system) or FailoverSuite (standby) the system is registered for.
    pub license: &'a LicenseNumber,
    pub registered_at: Timestamp,
    /// The entitlement digest its activation granted (None while it is pending).
    pub activated_digest: Option<&'a str>,
    /// The base license's current entitlement digest.
    pub current_digest: &'a str,
    /// When the latest activation request for it that no response answered was written.
    pub open_request_at: Option<Timestamp>,
}

impl Attention {
    /// How urgent it is (higher first): what monitoring reports as critical, then what it
    /// warns about, then what waits for someone else.
    pub fn severity(&self) -> u8 {
        match self {
            Attention::Violation { .. } => 7,
            Attention::TamperedJournal { .. } => 6,
            Attention::FinalWarning { .. } => 5,
            Attention::StaleJournal { .. } => 4,
            Attention::OutOfDate { .. } => 3,
            Attention::Warning { .. } => 2,
            Attention::WaitingForVendor { .. } => 1,
        }
    }

    /// What a registered system needs: a pending one whose request was exported waits for the
    /// vendor's response; an active one activated before its main system's licenses changed is
    /// out of date (R5) — or, once its new request is exported, waits for the vendor too. A
    /// request written before the system was (re)registered asked for something else.
    pub fn of_system(system: &SystemFacts<'_>) -> Option<Attention> {
        let waiting_since = system
            .open_request_at
            .filter(|written| *written >= system.registered_at);
        let out_of_date = system
            .activated_digest
            .is_some_and(|granted| is_out_of_date(granted, system.current_digest));
        let needs_request = system.activated_digest.is_none() || out_of_date;
        match waiting_since {
            Some(since) if needs_request => Some(Attention::WaitingForVendor {
                role: system.role,
                license: system.license.clone(),
                since,
            }),
            _ if out_of_date => Some(Attention::OutOfDate {
                role: system.role,
                license: system.license.clone(),
            }),
            _ => None,
        }
    }

    /// What a FailoverSuite's usage calls for (R12): the level of the episode running at its
    /// latest trusted journal's export, violations not acknowledged (`open_violations`) and
    /// tampered journals not dismissed (`open_tampers`). A violation is said once, whichever
    /// shows it.
    pub fn of_usage(
        failover: &LicenseNumber,
        evaluation: Option<&Evaluation>,
        open_violations: bool,
        open_tampers: bool,
    ) -> Vec<Attention> {
        let mut found = Vec::new();
        let level = evaluation.map_or(Level::Fine, Evaluation::current_level);
        if level == Level::Violation || open_violations {
            found.push(Attention::Violation {
                failover: failover.clone(),
            });
        }
        if let Some(e) = evaluation {
            match level {
                Level::FinalWarning => found.push(Attention::FinalWarning {
                    failover: failover.clone(),
                    hours: e.limits.final_warning_hours,
                }),
                Level::Warning => found.push(Attention::Warning {
                    failover: failover.clone(),
                    hours: e.limits.warning_hours,
                }),
                Level::Fine | Level::Violation => {}
            }
        }
        if open_tampers {
            found.push(Attention::TamperedJournal {
                failover: failover.clone(),
            });
        }
        found
    }

    /// `list` with each kind once, the most urgent first (ties in the order given).
    pub fn in_order(list: Vec<Attention>) -> Vec<Attention> {
        let mut unique: Vec<Attention> = Vec::with_capacity(list.len());
        for a in list {
            if !unique.contains(&a) {
                unique.push(a);
            }
        }
        unique.sort_by_key(|a| std::cmp::Reverse(a.severity()));
        unique
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::LicenseProduct;
    use crate::model::LoadLimits;
    use crate::usage::Episode;

    fn base() -> LicenseNumber {
        LicenseNumber::from_random(LicenseProduct::Suite, [1; 5])
    }

    fn failover(seed: u8) -> LicenseNumber {
        LicenseNumber::from_random(LicenseProduct::FailoverSuite, [seed; 5])
    }

    fn facts<'a>(
        license: &'a LicenseNumber,
        activated: Option<&'a str>,
        request: Option<i64>,
    ) -> SystemFacts<'a> {
        SystemFacts {
            role: Role::Main,
            license,
            registered_at: Timestamp::from_unix(1_000),
            activated_digest: activated,
            current_digest: "now",
            open_request_at: request.map(Timestamp::from_unix),
        }
    }

    #[test]
    fn a_pending_system_waits_for_the_vendor_once_its_request_is_exported() {
        let l = base();
        assert_eq!(Attention::of_system(&facts(&l, None, None)), None);
        assert_eq!(
            Attention::of_system(&facts(&l, None, Some(2_000))),
            Some(Attention::WaitingForVendor {
                role: Role::Main,
                license: l.clone(),
                since: Timestamp::from_unix(2_000)
            })
        );
        // A request written before the system was registered again asked for another machine.
        assert_eq!(Attention::of_system(&facts(&l, None, Some(500))), None);
    }

    #[test]
    fn an_active_system_is_out_of_date_when_its_main_systems_licenses_changed_r5() {
        let l = base();
        assert_eq!(Attention::of_system(&facts(&l, Some("now"), None)), None);
        assert_eq!(
            Attention::of_system(&facts(&l, Some("before"), None)),
            Some(Attention::OutOfDate {
                role: Role::Main,
                license: l.clone()
            })
        );
        // Its new request exported: the vendor's turn.
        assert!(matches!(
            Attention::of_system(&facts(&l, Some("before"), Some(3_000))),
            Some(Attention::WaitingForVendor { .. })
        ));
        // An active, current system with a request written for it needs nothing.
        assert_eq!(
            Attention::of_system(&facts(&l, Some("now"), Some(3_000))),
            None
        );
    }

    fn evaluation(level: Level) -> Evaluation {
        let episode = Episode {
            start: Timestamp::from_unix(0),
            last_load_end: Timestamp::from_unix(3_600),
            load_seconds: 3_600,
            level,
            over_limit_seconds: 0,
        };
        Evaluation {
            episodes: vec![episode.clone()],
            current: Some(episode),
            worst: level,
            at: Timestamp::from_unix(7_200),
            limits: LoadLimits {
                warning_hours: 70,
                final_warning_hours: 90,
                ..LoadLimits::default()
            },
        }
    }

    #[test]
    fn the_running_episodes_level_names_the_signed_limits_r12() {
        let fo = failover(2);
        assert_eq!(
            Attention::of_usage(&fo, Some(&evaluation(Level::Fine)), false, false),
            []
        );
        assert_eq!(
            Attention::of_usage(&fo, Some(&evaluation(Level::Warning)), false, false),
            [Attention::Warning {
                failover: fo.clone(),
                hours: 70
            }]
        );
        assert_eq!(
            Attention::of_usage(&fo, Some(&evaluation(Level::FinalWarning)), false, false),
            [Attention::FinalWarning {
                failover: fo.clone(),
                hours: 90
            }]
        );
        // A running violation and one not acknowledged are one badge.
        assert_eq!(
            Attention::of_usage(&fo, Some(&evaluation(Level::Violation)), true, false),
            [Attention::Violation {
                failover: fo.clone()
            }]
        );
        assert_eq!(
            Attention::of_usage(&fo, None, true, true),
            [
                Attention::Violation {
                    failover: fo.clone()
                },
                Attention::TamperedJournal {
                    failover: fo.clone()
                }
            ]
        );
        assert_eq!(Attention::of_usage(&fo, None, false, false), []);
    }

    #[test]
    fn the_most_urgent_comes_first_and_each_once() {
        let fo = failover(3);
        let warning = Attention::Warning {
            failover: fo.clone(),
            hours: 72,
        };
        let violation = Attention::Violation {
            failover: fo.clone(),
        };
        assert_eq!(
            Attention::in_order(vec![warning.clone(), violation.clone(), warning.clone()]),
            [violation, warning]
        );
    }

    #[test]
    fn each_kind_is_written_with_its_code_and_values() {
        let fo = failover(4);
        let json = serde_json::to_value(Attention::FinalWarning {
            failover: fo.clone(),
            hours: 96,
        })
        .unwrap();
        assert_eq!(
            json,
            serde_json::json!({"code": "final_warning", "failover": fo.as_str(), "hours": 96})
        );
        let back: Attention = serde_json::from_value(json).unwrap();
        assert_eq!(back.severity(), 5);
    }
}
