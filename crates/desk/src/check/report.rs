//! The check's report, and its rendering in the plugin convention.

use serde::Serialize;

use super::CheckProblem;
use crate::NextStep;

/// The most bytes of the status line; details follow on their own lines.
pub const MAX_STATUS_LINE: usize = 1024;

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

/// What the check found, typed: the status, every problem (the worst first), and what it saw.
#[derive(Debug, Clone, Serialize)]
pub struct CheckReport {
    pub status: CheckStatus,
    /// Active standby systems in this store.
    pub standbys: usize,
    /// Usage journals evaluated.
    pub journals: usize,
    /// Each evaluated standby as of its journal's export.
    pub as_of: String,
    pub problems: Vec<CheckProblem>,
    /// Performance data of each standby.
    pub perf: Vec<String>,
}

/// The report in the plugin convention, with the next steps in a shell's words.
#[derive(Debug, Clone, Serialize)]
pub struct RenderedCheck {
    pub status: CheckStatus,
    /// The status line (at most [`MAX_STATUS_LINE`] bytes): the status, the worst problem, and
    /// the totals as performance data.
    pub line: String,
    /// Every problem, the worst first: one line each after the status line.
    pub problems: Vec<String>,
    /// Performance data of each standby, after the problems.
    pub perf: Vec<String>,
    /// The problems as typed values (`code` and parameters), for machines.
    pub findings: Vec<CheckProblem>,
}

impl CheckReport {
    /// Renders the report, each problem followed by its next step in `step`'s words.
    pub fn render(&self, step: impl Fn(&NextStep) -> String) -> RenderedCheck {
        let problems: Vec<String> = self
            .problems
            .iter()
            .map(|p| match p.next_step() {
                Some(next) => format!("{p}; {}", step(&next)),
                None => p.to_string(),
            })
            .collect();
        let summary = match problems.as_slice() {
            [] => format!(
                "{} active standby systems here, {} usage journals evaluated{}, all within the rules",
                self.standbys,
                self.journals,
                if self.as_of.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", self.as_of)
                }
            ),
            [one] => one.clone(),
            [worst, rest @ ..] => format!("{worst} (and {} more problems below)", rest.len()),
        };
        let head = format!("LICDESK {} - ", self.status.word());
        let tail = format!(
            " | standbys={} problems={}",
            self.standbys,
            self.problems.len()
        );
        let room = MAX_STATUS_LINE.saturating_sub(head.len() + tail.len());
        RenderedCheck {
            status: self.status,
            line: format!("{head}{}{tail}", shorten(&summary, room)),
            problems,
            perf: self.perf.clone(),
            findings: self.problems.clone(),
        }
    }
}

impl RenderedCheck {
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
