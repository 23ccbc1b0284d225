//! Monitoring: `licdesk check`, the plugin convention of Nagios, Icinga, Naemon and Checkmk.
//! The first line says the worst problem (at most [`MAX_STATUS_LINE`] bytes); every problem
//! follows on its own line, and the performance data of each standby after them.

use std::fmt::Write as _;
use std::time::Duration;

use licdesk_core::usage::{unaccounted, Episode, Level, Unaccounted};
use licdesk_core::{Envelope, LicenseNumber, LoadLimits, Role};
use licdesk_store::{MarkQueries, Queries, SystemState};
use serde::Serialize;

use crate::time::hours;
use crate::{installation, location, Desk, DeskError};

/// How long the check of the store's structure may take (monitoring waits 10 s at most).
const STRUCTURE_CHECK_BUDGET: Duration = Duration::from_secs(2);

/// The most bytes of the status line; details follow on their own lines.
pub const MAX_STATUS_LINE: usize = 1024;

/// Unaccounted time above this warns: a standby's journal is due at least daily.
const UNACCOUNTED_WARNING_HOURS: i64 = 24;

impl Desk {
    /// Monitoring (the plugin convention of Nagios, Icinga, Naemon and Checkmk).
    ///
    /// Reads only. The store's structure is checked first (within a time budget): a damaged
    /// store is an error, which the shells answer UNKNOWN with, naming the damage.
    pub fn check(&self) -> Result<CheckReport, DeskError> {
        self.store.verify_structure(STRUCTURE_CHECK_BUDGET)?;
        let mut problems: Vec<(CheckStatus, String)> = Vec::new();
        let mut perf = String::new();
        // Unaccounted hours follow the load hours in the performance data.
        let mut perf_unaccounted = String::new();
        let mut standbys = 0;
        let desk_now = self.desk_time()?;
        let own_key =
            installation::existing_public_key(&location::installation_key_path(self.store_path()));
        let mut active: Vec<licdesk_store::StoredSystem> = Vec::new();
        for s in self
            .store
            .all_systems()?
            .into_iter()
            .filter(|s| s.role == Role::Standby && s.state == SystemState::Active)
        {
            standbys += 1;
            let base = self.store.base(&s.base_license)?;
            if let (Some(base), Some(a)) = (&base, &s.activation) {
                if licdesk_core::decisions::is_out_of_date(
                    &a.entitlement_digest,
                    &base.entitlement_digest,
                ) {
                    problems.push((
                        CheckStatus::Warning,
                        format!(
                            "standby {} of {} is out of date (R5): re-activate it",
                            s.hardware.id, s.license
                        ),
                    ));
                }
            }
            active.push(s);
        }
        let reports = self.store.usage_reports()?;
        // Time that no journal accounts for is never idle: from the latest trusted journal of
        // the standby's installation (or its activation, when none came) to now.
        for s in &active {
            let certified = s
                .activation
                .as_ref()
                .and_then(|a| a.installation_key.as_deref());
            // A standby's own desk keeps its journal live; one activated without an
            // installation key (older License Desk) has no journal to wait for.
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
            let _ = write!(
                perf_unaccounted,
                " '{}_unaccounted_hours'={:.1}h;{UNACCOUNTED_WARNING_HOURS};;0",
                s.license,
                hours(u.seconds)
            );
            if let Some(problem) =
                unaccounted_problem(&s.license, evaluation.is_some(), &u, &limits)
            {
                problems.push(problem);
            }
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
            let _ = write!(
                perf_unaccounted,
                " '{}_unaccounted_hours'={:.1}h;{UNACCOUNTED_WARNING_HOURS};;0",
                r.failover,
                hours(u.seconds)
            );
            if let Some(problem) = unaccounted_problem(&r.failover, true, &u, &e.limits) {
                problems.push(problem);
            }
        }
        let journals = reports.iter().filter(|r| r.evaluation.is_some()).count();
        // Monitoring sees each standby as of its journal's export, not as of now.
        let as_of = reports
            .iter()
            .filter_map(|r| {
                r.evaluation
                    .as_ref()
                    .map(|e| format!("{} as of {}", r.failover, e.at))
            })
            .collect::<Vec<_>>()
            .join(", ");
        for report in reports {
            let failover = &report.failover;
            // A tampered journal is reported until dismissed; the trusted journal's evaluation
            // before it still counts (a tampered journal cannot hide a violation).
            for t in report.tampered.iter().filter(|t| t.dismissed.is_none()) {
                let short = &t.file_hash[..t.file_hash.len().min(12)];
                problems.push((
                    CheckStatus::Critical,
                    format!(
                        "usage journal of {failover} (SHA-256 {short}…, imported {}) tampered: {}; once resolved: licdesk journal dismiss --journal {short} --reason TEXT",
                        t.imported_at, t.tamper
                    ),
                ));
            }
            let Some(e) = &report.evaluation else {
                continue;
            };
            let limits = e.limits;
            let load = hours(e.current.as_ref().map(|c| c.load_seconds).unwrap_or(0));
            let _ = write!(
                perf,
                " '{failover}_load_hours'={load:.1};{};{};0;{}",
                limits.warning_hours, limits.max_load_hours, limits.max_load_hours
            );
            let limit_name = if limits.max_load_hours == 120 {
                "five-day".to_string()
            } else {
                format!("{} h", limits.max_load_hours)
            };
            let over = |ep: &Episode| {
                format!(
                    "{failover} over the {limit_name} limit: {:.1} h under load since {} ({:.1} h over {} h)",
                    hours(ep.load_seconds),
                    ep.start,
                    hours(ep.over_limit_seconds),
                    limits.max_load_hours
                )
            };
            // Past violations stay CRITICAL until acknowledged; warnings come from the current
            // episode only (the one still running when the journal was exported).
            for ep in &report.open_violations {
                problems.push((
                    CheckStatus::Critical,
                    format!(
                        "{}, an episode that has ended, as of {}; once looked into: licdesk journal acknowledge --failover {failover} --reason TEXT",
                        over(ep),
                        e.at
                    ),
                ));
            }
            if let Some(ep) = &e.current {
                let hours = hours(ep.load_seconds);
                match ep.level {
                    Level::Violation => problems.push((
                        CheckStatus::Critical,
                        format!("{}, as of {}", over(ep), e.at),
                    )),
                    Level::FinalWarning => problems.push((CheckStatus::Warning, format!(
                        "{failover} final warning: {hours:.1} h under load since {} (over {} h of at most {} h), as of {}",
                        ep.start, limits.final_warning_hours, limits.max_load_hours, e.at
                    ))),
                    Level::Warning => problems.push((CheckStatus::Warning, format!(
                        "{failover} warning: {hours:.1} h under load since {} (over {} h of at most {} h), as of {}",
                        ep.start, limits.warning_hours, limits.max_load_hours, e.at
                    ))),
                    Level::Fine => {}
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
                    "a usage journal (SHA-256 {short}…, naming key {}) imported {} is tampered: {}; once resolved: licdesk journal dismiss --journal {short} --reason TEXT",
                    j.key_id,
                    j.imported_at,
                    j.reason,
                    short = &j.file_hash[..j.file_hash.len().min(12)],
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
        // The worst first: the one status line leads with what monitoring alerts on.
        problems.sort_by_key(|(status, _)| std::cmp::Reverse(*status));
        let status = problems
            .iter()
            .map(|(s, _)| *s)
            .max()
            .unwrap_or(CheckStatus::Ok);
        let summary = match problems.first() {
            None => format!(
                "{standbys} active standby systems here, {journals} usage journals evaluated{}, all within the rules",
                if as_of.is_empty() { String::new() } else { format!(" ({as_of})") }
            ),
            Some((_, worst)) if problems.len() == 1 => worst.clone(),
            Some((_, worst)) => format!("{worst} (and {} more problems below)", problems.len() - 1),
        };
        Ok(CheckReport::new(
            status,
            &summary,
            format!("standbys={standbys} problems={}", problems.len()),
            perf.split_whitespace()
                .chain(perf_unaccounted.split_whitespace())
                .map(str::to_string)
                .collect(),
            problems.into_iter().map(|(_, m)| m).collect(),
        ))
    }
}

/// The problem unaccounted time makes, if any: a warning after 24 h, critical when the worst
/// case (under load all along) breaks the limit.
fn unaccounted_problem(
    failover: &LicenseNumber,
    journal_came: bool,
    u: &Unaccounted,
    limits: &LoadLimits,
) -> Option<(CheckStatus, String)> {
    let since = if journal_came {
        format!("its latest usage journal, exported {}", u.since)
    } else {
        format!(
            "its activation at {} (no usage journal of it came yet)",
            u.since
        )
    };
    let what = format!(
        "{failover}: {:.1} h unaccounted for since {since}; time no journal accounts for is not counted as idle",
        hours(u.seconds)
    );
    if u.worst_case_level == Level::Violation {
        Some((
            CheckStatus::Critical,
            format!(
                "{what}: at worst {:.1} h under load, over the {} h limit (R12); import the standby's latest journal (licdesk journal export --out FILE on the standby)",
                hours(u.worst_case_load_seconds),
                limits.max_load_hours
            ),
        ))
    } else if u.seconds > UNACCOUNTED_WARNING_HOURS * 3600 {
        Some((
            CheckStatus::Warning,
            format!(
                "{what}; import the standby's latest journal (licdesk journal export --out FILE on the standby)"
            ),
        ))
    } else {
        None
    }
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
    /// The status line (at most [`MAX_STATUS_LINE`] bytes): the status, the worst problem, and
    /// the totals as performance data.
    pub line: String,
    /// Every problem, the worst first: one line each after the status line.
    pub problems: Vec<String>,
    /// Performance data of each standby, after the problems.
    pub perf: Vec<String>,
}

impl CheckReport {
    fn new(
        status: CheckStatus,
        summary: &str,
        totals: String,
        perf: Vec<String>,
        problems: Vec<String>,
    ) -> CheckReport {
        let head = format!("LICDESK {} - ", status.word());
        let tail = format!(" | {totals}");
        let room = MAX_STATUS_LINE.saturating_sub(head.len() + tail.len());
        CheckReport {
            status,
            line: format!("{head}{}{tail}", shorten(summary, room)),
            problems,
            perf,
        }
    }

    /// The plugin output: the status line, each problem on its own line, then the performance
    /// data of each standby after a `|`.
    pub fn plugin_output(&self) -> String {
        let mut out = self.line.clone();
        for p in &self.problems {
            out.push('\n');
            out.push_str(p);
        }
        if !self.perf.is_empty() {
            out.push_str("\n| ");
            out.push_str(&self.perf.join("\n"));
        }
        out
    }
}

/// `text` cut at a character boundary to at most `max` bytes, with an ellipsis when cut.
fn shorten(text: &str, max: usize) -> String {
    if text.len() <= max {
        return text.to_string();
    }
    let mut end = max.saturating_sub('…'.len_utf8());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &text[..end])
}
