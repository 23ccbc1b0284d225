//! The check's report, and its rendering in the plugin convention that every monitoring system
//! reads (Nagios, Icinga, Naemon, Checkmk's active checks): a short first line with the worst
//! problem, every problem on its own line after it, performance data after a `|`.
//!
//! No `;` or `|` in any text: Nagios turns `;` into `:` and reads `|` as the start of the
//! performance data. Performance data follow the plugin guidelines: stable labels, always present
//! (zero when there is nothing), a unit where one applies (`s`), no maximum a value may exceed.

use licdesk_core::LicenseNumber;
use serde::Serialize;

use super::CheckProblem;
use crate::NextStep;

/// The most bytes of the first line (the status, the worst problem and how many more).
pub const MAX_STATUS_LINE: usize = 200;

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

/// What the check counted: the store's standbys and journals, and the problems of each kind
/// (each always present in the performance data, zero when there is none, so graphs show them).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct CheckCounts {
    /// Active standby systems in this store.
    pub standbys: usize,
    /// Usage journals evaluated.
    pub journals: usize,
    /// Every problem reported.
    pub problems: usize,
    /// Standbys whose running episode is over the limit (`violation`).
    pub violations: usize,
    /// Violations of ended episodes not acknowledged yet (`past_violation`).
    pub unacknowledged_violations: usize,
    /// Warnings and final warnings of running episodes (`warning`, `final_warning`).
    pub warnings: usize,
    /// Usage journals that failed their checks, not dismissed (`tampered_journal`,
    /// `unreadable_journal`).
    pub tampered_journals: usize,
    /// Standbys with time no journal accounts for (`unaccounted`), or whose latest journal's
    /// evaluation cannot be verified (`journal_not_kept`).
    pub stale_journals: usize,
    /// Standbys out of date (`out_of_date`, R5).
    pub out_of_date: usize,
    /// Signed files a status rests on whose vendor trust fails (`vendor_trust_fails`), and
    /// values that differ from their signed file (`store_changed`).
    pub trust_failures: usize,
    /// 1 when the system clock is behind the latest signed time seen (`clock_behind`).
    pub clock_behind: usize,
    /// Active standbys whose standby/test-only notice (R11) is not acknowledged yet. Not a
    /// problem (the state does not change); counted so that it can be graphed and alerted on.
    pub unacknowledged_notices: usize,
}

impl CheckCounts {
    /// The problems of `problems` counted by kind, with the store's own figures.
    pub fn of(
        problems: &[CheckProblem],
        standbys: usize,
        journals: usize,
        unacknowledged_notices: usize,
    ) -> CheckCounts {
        let mut c = CheckCounts {
            standbys,
            journals,
            problems: problems.len(),
            unacknowledged_notices,
            ..CheckCounts::default()
        };
        for p in problems {
            let count = match p {
                CheckProblem::Violation { .. } => &mut c.violations,
                CheckProblem::PastViolation { .. } => &mut c.unacknowledged_violations,
                CheckProblem::Warning { .. } | CheckProblem::FinalWarning { .. } => &mut c.warnings,
                CheckProblem::TamperedJournal { .. } | CheckProblem::UnreadableJournal { .. } => {
                    &mut c.tampered_journals
                }
                CheckProblem::Unaccounted { .. } | CheckProblem::JournalNotKept { .. } => {
                    &mut c.stale_journals
                }
                CheckProblem::OutOfDate { .. } => &mut c.out_of_date,
                CheckProblem::VendorTrustFails { .. } | CheckProblem::StoreChanged { .. } => {
                    &mut c.trust_failures
                }
                CheckProblem::ClockBehind { .. } => &mut c.clock_behind,
            };
            *count += 1;
        }
        c
    }

    /// Each count with its stable label and its maximum when it has one, in a fixed order.
    pub fn labelled(&self) -> [(&'static str, usize, Option<usize>); 12] {
        [
            ("standbys", self.standbys, None),
            ("journals", self.journals, None),
            ("problems", self.problems, None),
            ("violations", self.violations, None),
            (
                "unacknowledged_violations",
                self.unacknowledged_violations,
                None,
            ),
            ("warnings", self.warnings, None),
            ("tampered_journals", self.tampered_journals, None),
            ("stale_journals", self.stale_journals, None),
            ("out_of_date", self.out_of_date, None),
            ("trust_failures", self.trust_failures, None),
            ("clock_behind", self.clock_behind, Some(1)),
            ("unacknowledged_notices", self.unacknowledged_notices, None),
        ]
    }

    /// Each count as performance data (`label=value;;;0`, with `;max` where it has one).
    pub fn perf_data(&self) -> Vec<String> {
        self.labelled()
            .iter()
            .map(|(label, value, max)| match max {
                Some(max) => format!("{label}={value};;;0;{max}"),
                None => format!("{label}={value};;;0"),
            })
            .collect()
    }
}

/// A standby's load in its running episode, as of its journal, with its limits (seconds).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct LoadFigures {
    pub seconds: i64,
    pub warning_seconds: i64,
    pub limit_seconds: i64,
}

/// One standby as monitoring graphs it: its worst status, its load and its unaccounted time.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StandbyFigures {
    pub failover: LicenseNumber,
    /// The standby's host name label, when this desk holds the standby.
    pub host: Option<String>,
    /// The worst status of the problems that name this standby (OK when none).
    pub status: CheckStatus,
    /// The running episode's load, when a trusted journal was evaluated.
    pub load: Option<LoadFigures>,
    /// Time no journal accounts for, when the desk waits for this standby's journals.
    pub unaccounted_seconds: Option<i64>,
    /// The seconds of unaccounted time above which the check warns.
    pub unaccounted_warning_seconds: i64,
}

/// What the check found, typed: the status, every problem (the worst first), and what it saw.
#[derive(Debug, Clone, Serialize)]
pub struct CheckReport {
    pub status: CheckStatus,
    pub counts: CheckCounts,
    /// Each evaluated standby as of its journal's export (`XFM-… as of TIME`).
    pub as_of: Vec<String>,
    pub problems: Vec<CheckProblem>,
    /// Each standby this desk holds or receives journals of.
    pub standbys: Vec<StandbyFigures>,
}

/// The report in the plugin convention, with the next steps in a shell's words.
#[derive(Debug, Clone, Serialize)]
pub struct RenderedCheck {
    pub status: CheckStatus,
    /// The first line (at most [`MAX_STATUS_LINE`] bytes): the status and the worst problem.
    pub line: String,
    /// Every problem, the worst first, with its status and next step: one line each.
    pub problems: Vec<String>,
    /// After the problems: each evaluated standby as of its journal's export.
    pub details: Vec<String>,
    /// The performance data (the counts, then each standby's figures).
    pub perf: Vec<String>,
    /// The problems as typed values (`code` and parameters), for machines.
    pub findings: Vec<CheckProblem>,
    pub counts: CheckCounts,
    pub standbys: Vec<StandbyFigures>,
}

impl CheckReport {
    /// The problem lines (status, problem, next step in `step`'s words), without `;` or `|`.
    pub fn problem_lines(&self, step: &impl Fn(&NextStep) -> String) -> Vec<String> {
        self.problems
            .iter()
            .map(|p| {
                let text = match p.next_step() {
                    Some(next) => format!("{p} - {}", step(&next)),
                    None => p.to_string(),
                };
                plugin_text(&format!("{}: {text}", p.status().word()))
            })
            .collect()
    }

    /// What the first line says after the status: the worst problem and how many more, or the
    /// totals when all is well; at most `room` bytes.
    pub fn summary(&self, room: usize) -> String {
        let c = &self.counts;
        match self.problems.as_slice() {
            [] => shorten(
                &format!(
                    "{} active standby systems here, {} usage journals evaluated, all within the rules",
                    c.standbys, c.journals
                ),
                room,
            ),
            [worst, rest @ ..] => {
                let more = if rest.is_empty() {
                    String::new()
                } else {
                    format!(" (+{} more)", rest.len())
                };
                let worst = plugin_text(&worst.to_string());
                format!(
                    "{}{more}",
                    shorten(&worst, room.saturating_sub(more.len()))
                )
            }
        }
    }

    /// Renders the report, each problem followed by its next step in `step`'s words.
    pub fn render(&self, step: impl Fn(&NextStep) -> String) -> RenderedCheck {
        let head = format!("LICDESK {} - ", self.status.word());
        let line = format!(
            "{head}{}",
            self.summary(MAX_STATUS_LINE.saturating_sub(head.len()))
        );
        RenderedCheck {
            status: self.status,
            line,
            problems: self.problem_lines(&step),
            details: self.as_of.iter().map(|a| plugin_text(a)).collect(),
            perf: self.perf(),
            findings: self.problems.clone(),
            counts: self.counts,
            standbys: self.standbys.clone(),
        }
    }

    /// The performance data: every count, then each standby's load and unaccounted time.
    pub fn perf(&self) -> Vec<String> {
        let mut perf = self.counts.perf_data();
        for s in &self.standbys {
            if let Some(l) = s.load {
                perf.push(format!(
                    "{}={}s;{};{};0",
                    perf_label(&format!("{}_load", s.failover)),
                    l.seconds,
                    l.warning_seconds,
                    l.limit_seconds
                ));
            }
            if let Some(u) = s.unaccounted_seconds {
                perf.push(format!(
                    "{}={u}s;{};;0",
                    perf_label(&format!("{}_unaccounted", s.failover)),
                    s.unaccounted_warning_seconds
                ));
            }
        }
        perf
    }
}

impl RenderedCheck {
    /// The plugin output: the first line, each problem on its own line (then each journal's
    /// time), then the performance data after a `|` (the counts on one line, each standby's figures on their own).
    pub fn plugin_output(&self) -> String {
        let mut out = self.line.clone();
        for p in self.problems.iter().chain(&self.details) {
            out.push('\n');
            out.push_str(p);
        }
        let counts = self.counts.labelled().len().min(self.perf.len());
        out.push_str("\n| ");
        out.push_str(&self.perf[..counts].join(" "));
        for p in &self.perf[counts..] {
            out.push('\n');
            out.push_str(p);
        }
        out
    }
}

/// The first line of the answer UNKNOWN: `reason` fit for a status text, cut short to
/// [`MAX_STATUS_LINE`] bytes.
pub fn unknown_line(reason: &str) -> String {
    let head = "LICDESK UNKNOWN - ";
    format!(
        "{head}{}",
        shorten(&plugin_text(reason), MAX_STATUS_LINE - head.len())
    )
}

/// `text` fit for a monitoring system's status text: no `;` (Nagios makes it `:`), no `|` (the
/// start of performance data), no line end.
pub fn plugin_text(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            ';' => ',',
            '|' => '¦',
            '\n' | '\r' => ' ',
            c => c,
        })
        .collect()
}

/// A performance data label: quoted, a quote in it doubled (the plugin guidelines), and no `=`,
/// `|` or line end in it.
fn perf_label(name: &str) -> String {
    let clean: String = name
        .chars()
        .map(|c| match c {
            '=' | '|' | '\n' | '\r' => '_',
            c => c,
        })
        .collect();
    format!("'{}'", clean.replace('\'', "''"))
}

/// `text` cut at a character boundary to at most `max` bytes, with an ellipsis when cut.
pub(crate) fn shorten(text: &str, max: usize) -> String {
    if text.len() <= max {
        return text.to_string();
    }
    let mut end = max.saturating_sub('…'.len_utf8());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &text[..end])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_text_never_holds_a_semicolon_a_bar_or_a_line_end() {
        assert_eq!(plugin_text("a; b | c\nd"), "a, b ¦ c d");
    }

    #[test]
    fn a_label_is_quoted_with_its_quotes_doubled() {
        assert_eq!(perf_label("it's=1|x"), "'it''s_1_x'");
    }

    #[test]
    fn an_empty_store_has_every_label_and_no_standby() {
        let report = CheckReport {
            status: CheckStatus::Ok,
            counts: CheckCounts::default(),
            as_of: Vec::new(),
            problems: Vec::new(),
            standbys: Vec::new(),
        };
        let out = report.render(|_| String::new()).plugin_output();
        assert_eq!(
            out,
            "LICDESK OK - 0 active standby systems here, 0 usage journals evaluated, all within the rules\n\
             | standbys=0;;;0 journals=0;;;0 problems=0;;;0 violations=0;;;0 \
             unacknowledged_violations=0;;;0 warnings=0;;;0 tampered_journals=0;;;0 \
             stale_journals=0;;;0 out_of_date=0;;;0 trust_failures=0;;;0 clock_behind=0;;;0;1 \
             unacknowledged_notices=0;;;0"
        );
    }

    #[test]
    fn a_long_worst_problem_is_cut_to_fit_the_first_line_with_the_count_of_the_rest() {
        let problem = CheckProblem::VendorTrustFails {
            license: "OMS-1".into(),
            reason: "x; ".repeat(200),
        };
        let problems = vec![problem.clone(), problem];
        let report = CheckReport {
            status: CheckStatus::Critical,
            counts: CheckCounts::of(&problems, 0, 0, 0),
            as_of: Vec::new(),
            problems,
            standbys: Vec::new(),
        };
        let r = report.render(|_| String::new());
        assert!(r.line.len() <= MAX_STATUS_LINE, "{}", r.line);
        assert!(r.line.ends_with("… (+1 more)"), "{}", r.line);
        assert!(!r.line.contains(';') && r.problems.iter().all(|p| !p.contains(';')));
        assert_eq!(r.counts.trust_failures, 2);
    }
}
