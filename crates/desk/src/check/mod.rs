//! Monitoring: `licdesk check`, the plugin convention of Nagios, Icinga, Naemon and Checkmk.
//! The desk gathers typed problems ([`CheckProblem`]), counts ([`CheckCounts`]) and each
//! standby's figures ([`StandbyFigures`]); a shell renders them: in the plugin convention
//! ([`CheckReport::render`]: the first line says the worst problem, at most [`MAX_STATUS_LINE`]
//! bytes, every problem follows on its own line, the performance data after them), as a Checkmk
//! local check ([`CheckReport::checkmk`]) or as Prometheus metrics ([`CheckReport::prometheus`]).

mod backing;
mod formats;
mod problem;
mod report;

use std::collections::HashMap;
use std::time::Duration;

use licdesk_core::usage::{unaccounted, Evaluation, Level, Unaccounted};
use licdesk_core::{LicenseNumber, LoadLimits, Role};
use licdesk_store::{MarkQueries, Queries, SystemState, ViolationQueries};

pub use formats::{checkmk_unknown, prometheus_unknown};
pub use problem::CheckProblem;
pub use report::{
    plugin_text, unknown_line, CheckCounts, CheckReport, CheckStatus, LoadFigures, RenderedCheck,
    StandbyFigures, MAX_STATUS_LINE,
};

use crate::{Desk, DeskError};

/// How long the check of the structure of the tables read whole may take (monitoring waits 10 s
/// at most).
const STRUCTURE_CHECK_BUDGET: Duration = Duration::from_secs(2);

/// Unaccounted time above this warns: a standby's journal is due at least daily.
pub(crate) const UNACCOUNTED_WARNING_HOURS: i64 = 24;

impl Desk {
    /// Monitoring (the plugin convention of Nagios, Icinga, Naemon and Checkmk).
    ///
    /// Reads only. The structure of the tables it reads whole is checked first (within a time
    /// budget), and SQLite refuses any damaged page of the others that it reads: a damaged store
    /// is an error, which the shells answer UNKNOWN with, naming the damage. Its cost does not
    /// grow with the number of licenses: it reads and verifies what the status rests on — each
    /// standby, its signed activation, its base license's certificate and its latest journal
    /// ([`backing`]) — and a value edited by hand that matters to a status is reported. On the
    /// standby's own desk its live journal is evaluated as of now (the entries of its running
    /// episode, read from the latest backwards: `crate::live`).
    pub fn check(&self) -> Result<CheckReport, DeskError> {
        self.store.verify_status_tables(STRUCTURE_CHECK_BUDGET)?;
        let mut problems: Vec<CheckProblem> = Vec::new();
        let mut figures = Figures::default();
        let mut standbys = 0;
        let mut unacknowledged_notices = 0;
        let desk_now = self.desk_time()?;
        // As recorded in the store: the monitoring account may not read the private key file.
        let own_key = self.installation_public_key()?;
        let mut active: Vec<licdesk_store::StoredSystem> = Vec::new();
        for mut s in self
            .store
            .standby_systems()?
            .into_iter()
            .filter(|s| s.state == SystemState::Active)
        {
            standbys += 1;
            if s.notice_acknowledged_at.is_none() {
                unacknowledged_notices += 1;
            }
            figures.of(&s.license).host = s.hardware.label.clone();
            let mark = self.store.system_mark(Role::Standby, &s.license)?;
            // What the vendor signed decides, whatever the row says now.
            let signed = backing::activation(&self.trust, &s, mark.as_ref(), &mut problems);
            if let (Some(a), Some(r)) = (s.activation.as_mut(), &signed) {
                a.limits = r.limits;
                a.activated_at = r.activated_at;
                a.entitlement_digest = r.entitlement_digest.clone();
                a.installation_key = r.installation_key.as_deref().map(|k| k.to_string());
            }
            let base = self.store.base(&s.base_license)?;
            if let Some(base) = &base {
                let certified = backing::base(&self.trust, base, &mut problems);
                let digest = certified
                    .map(|c| c.entitlement_digest())
                    .unwrap_or_else(|| base.entitlement_digest.clone());
                if let Some(a) = &s.activation {
                    if licdesk_core::decisions::is_out_of_date(&a.entitlement_digest, &digest) {
                        problems.push(CheckProblem::OutOfDate {
                            failover: s.license.clone(),
                            hardware_id: s.hardware.id.clone(),
                        });
                    }
                }
            }
            active.push(s);
        }
        // A standby the vendor activated here stays active until its release is imported.
        for license in self.store.activated_standbys()? {
            if !active.iter().any(|s| s.license == license) {
                problems.push(CheckProblem::StoreChanged {
                    license: license.to_string(),
                    what: "its activation (the vendor activated a standby that the store no longer holds as active)".into(),
                });
            }
        }
        let mut reports = self.store.usage_reports()?;
        // Each latest trusted journal against the file kept: its evaluation made again decides.
        for r in &mut reports {
            if r.evaluation.is_none() {
                continue;
            }
            let text = self.store.trusted_journal_text(&r.failover)?;
            let recorded: Vec<(String, licdesk_core::Timestamp)> = self
                .store
                .violations_of(&r.failover)?
                .into_iter()
                .map(|v| (v.installation_key, v.episode.start))
                .collect();
            if let Some(e) =
                backing::journal(&self.trust, r, text.as_deref(), &recorded, &mut problems)
            {
                r.evaluation = Some(e);
            }
        }
        // The standby this desk is keeps its journal live: it is evaluated now, as a journal
        // exported now would be, in place of one of it imported here (`crate::live`).
        let clock = self.clock.now();
        let mut live: Vec<LicenseNumber> = Vec::new();
        for s in &active {
            let Some(key) = crate::live::is_own(s, own_key.as_deref()) else {
                continue;
            };
            let limits = s.activation.as_ref().and_then(|a| a.limits);
            let held = reports.iter().position(|r| r.failover == s.license);
            let recorded = held.map(|i| reports[i].clone());
            match self.live_report(s, &key, &limits.unwrap_or_default(), recorded, clock)? {
                Ok(report) => {
                    live.push(s.license.clone());
                    match held {
                        Some(i) => reports[i] = report,
                        None => reports.push(report),
                    }
                }
                Err(tamper) => problems.push(CheckProblem::StoreChanged {
                    license: s.license.to_string(),
                    what: format!("its usage journal kept on this standby: {tamper}"),
                }),
            }
        }
        // Time that no journal accounts for is never idle: from the latest trusted journal of
        // the standby's installation (or its activation, when none came) to now.
        for s in &active {
            let certified = s
                .activation
                .as_ref()
                .and_then(|a| a.installation_key.as_deref());
            // A standby's own desk keeps its journal live (evaluated above): nothing is
            // unaccounted; one activated without an installation key (older License Desk) has
            // no journal to wait for.
            let (Some(key), Some(a)) = (certified, &s.activation) else {
                continue;
            };
            if own_key.as_deref() == Some(key) {
                continue;
            }
            let report = reports.iter().find(|r| r.failover == s.license);
            let evaluation = report
                .filter(|r| r.installation_key.as_deref() == Some(key))
                .and_then(|r| r.evaluation.as_ref());
            let limits = a.limits.unwrap_or_default();
            let u = unaccounted(evaluation, a.activated_at, &limits, desk_now);
            figures.of(&s.license).unaccounted_seconds = Some(u.seconds);
            problems.extend(unaccounted_problem(&s.license, evaluation, &u, &limits));
        }
        // A standby this desk does not hold (a reseller's desk that receives its journals): from
        // its latest trusted journal to now — or to its vendor-signed release, which ends it.
        for r in &reports {
            let Some(e) = &r.evaluation else { continue };
            if active.iter().any(|s| s.license == r.failover)
                || (own_key.is_some() && r.installation_key == own_key)
            {
                continue;
            }
            let end = match self.store.system_mark(Role::Standby, &r.failover)? {
                Some(mark) if mark.kind == licdesk_core::FileKind::Release.tag() => {
                    mark.signed_at.min(desk_now).max(e.at)
                }
                _ => desk_now,
            };
            let u = unaccounted(Some(e), e.at, &e.limits, end);
            figures.of(&r.failover).unaccounted_seconds = Some(u.seconds);
            problems.extend(unaccounted_problem(&r.failover, Some(e), &u, &e.limits));
        }
        let journals = reports.iter().filter(|r| r.evaluation.is_some()).count();
        // Monitoring sees each standby as of its journal's export, not as of now — but the
        // standby this desk is, whose live journal is as of now (said without the time, so that
        // a standby with nothing to report gets the same answer on every run).
        let as_of = reports
            .iter()
            .filter_map(|r| {
                let e = r.evaluation.as_ref()?;
                Some(if live.contains(&r.failover) {
                    format!("{} live: its usage journal kept here", r.failover)
                } else {
                    format!("{} as of {}", r.failover, e.at)
                })
            })
            .collect::<Vec<_>>();
        for report in reports {
            let failover = &report.failover;
            // A tampered journal is reported until dismissed; the trusted journal's evaluation
            // before it still counts (a tampered journal cannot hide a violation).
            for t in report.tampered.iter().filter(|t| t.dismissed.is_none()) {
                problems.push(CheckProblem::TamperedJournal {
                    failover: failover.clone(),
                    journal: t.file_hash.chars().take(12).collect(),
                    imported_at: t.imported_at,
                    tamper: t.tamper.clone(),
                });
            }
            let Some(e) = &report.evaluation else {
                continue;
            };
            let limits = e.limits;
            figures.of(failover).load = Some(LoadFigures {
                seconds: e.current.as_ref().map(|c| c.load_seconds).unwrap_or(0),
                warning_seconds: i64::from(limits.warning_hours) * 3600,
                limit_seconds: i64::from(limits.max_load_hours) * 3600,
            });
            // Past violations stay CRITICAL until acknowledged; warnings come from the current
            // episode only (the one still running when the journal was exported).
            for ep in &report.open_violations {
                problems.push(CheckProblem::PastViolation {
                    failover: failover.clone(),
                    limits,
                    episode: ep.clone(),
                    as_of: e.at,
                });
            }
            if let Some(ep) = &e.current {
                let (failover, episode, as_of) = (failover.clone(), ep.clone(), e.at);
                match ep.level {
                    Level::Violation => problems.push(CheckProblem::Violation {
                        failover,
                        limits,
                        episode,
                        as_of,
                    }),
                    Level::FinalWarning => problems.push(CheckProblem::FinalWarning {
                        failover,
                        limits,
                        episode,
                        as_of,
                    }),
                    Level::Warning => problems.push(CheckProblem::Warning {
                        failover,
                        limits,
                        episode,
                        as_of,
                    }),
                    Level::Fine => {}
                }
            }
        }
        for j in self.store.unreadable_journals()? {
            if j.dismissed.is_some() {
                continue;
            }
            problems.push(CheckProblem::UnreadableJournal {
                journal: j.file_hash.chars().take(12).collect(),
                key_id: j.key_id,
                imported_at: j.imported_at,
                reason: j.reason,
            });
        }
        if let Some(floor) = self.clock_behind()? {
            problems.push(CheckProblem::ClockBehind { floor });
        }
        // The worst first: the one status line leads with what monitoring alerts on.
        problems.sort_by_key(|p| std::cmp::Reverse(p.status()));
        let standbys_seen = figures.finish(&problems);
        Ok(CheckReport {
            status: problems
                .iter()
                .map(CheckProblem::status)
                .max()
                .unwrap_or(CheckStatus::Ok),
            counts: CheckCounts::of(&problems, standbys, journals, unacknowledged_notices),
            as_of,
            problems,
            standbys: standbys_seen,
        })
    }
}

/// Each standby's figures, in the order the check meets them (and where each is).
#[derive(Debug, Default)]
struct Figures(Vec<StandbyFigures>, HashMap<String, usize>);

impl Figures {
    fn of(&mut self, failover: &LicenseNumber) -> &mut StandbyFigures {
        let at = match self.1.get(failover.as_str()) {
            Some(&at) => at,
            None => {
                self.1.insert(failover.to_string(), self.0.len());
                self.0.push(StandbyFigures {
                    failover: failover.clone(),
                    host: None,
                    status: CheckStatus::Ok,
                    load: None,
                    unaccounted_seconds: None,
                    unaccounted_warning_seconds: UNACCOUNTED_WARNING_HOURS * 3600,
                });
                self.0.len() - 1
            }
        };
        &mut self.0[at]
    }

    /// The figures with each standby's worst status among `problems`.
    fn finish(mut self, problems: &[CheckProblem]) -> Vec<StandbyFigures> {
        for p in problems {
            if let Some(&at) = p.failover().and_then(|license| self.1.get(license)) {
                self.0[at].status = self.0[at].status.max(p.status());
            }
        }
        self.0
    }
}

/// The problem unaccounted time makes, if any: a warning after 24 h, critical when the worst
/// case (under load all along) breaks the limit.
///
/// When the journal itself already shows the running episode over the limit, that violation is
/// its own problem: the worst case then adds nothing, and the unaccounted time is only the
/// warning after 24 h.
fn unaccounted_problem(
    failover: &LicenseNumber,
    evaluation: Option<&Evaluation>,
    u: &Unaccounted,
    limits: &LoadLimits,
) -> Option<CheckProblem> {
    let violation_shown = evaluation.is_some_and(|e| e.current_level() == Level::Violation);
    let journal_came = evaluation.is_some();
    let critical = u.worst_case_level == Level::Violation && !violation_shown;
    (critical || u.seconds > UNACCOUNTED_WARNING_HOURS * 3600).then(|| CheckProblem::Unaccounted {
        failover: failover.clone(),
        since: u.since,
        journal_came,
        seconds: u.seconds,
        worst_case_load_seconds: u.worst_case_load_seconds,
        limits: *limits,
        critical,
    })
}
