//! `licdesk check`: monitoring in the plugin convention Nagios, Icinga, Naemon and Checkmk share
//! (exit 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN; one status line, problems, performance data).

use std::fmt;
use std::process::ExitCode;

use licdesk_desk::{Desk, RenderedCheck};
use serde::Serialize;

use super::{Context, Result};

/// The check's report rendered (`status`, `line`, `problems`, `perf`, the typed `findings`);
/// text: the plugin output.
#[derive(Debug, Serialize)]
#[serde(transparent)]
pub struct CheckOutput(pub RenderedCheck);

impl fmt::Display for CheckOutput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{}", self.0.plugin_output())
    }
}

/// The answer UNKNOWN, one line. (JSON fields in alphabetical order, as they have always been.)
#[derive(Debug, Serialize)]
pub struct Unknown {
    pub line: String,
    pub problems: [String; 1],
    pub status: &'static str,
}

impl Unknown {
    pub fn new(reason: &str) -> Unknown {
        Unknown {
            line: format!("LICDESK UNKNOWN - {}", reason.replace('\n', " ")),
            problems: [reason.to_string()],
            status: "UNKNOWN",
        }
    }
}

impl fmt::Display for Unknown {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{}", self.line)
    }
}

/// Prints UNKNOWN for `reason`: exit 3.
pub fn unknown(ctx: &Context, reason: &str) -> ExitCode {
    ctx.emit(&Unknown::new(reason));
    ExitCode::from(3)
}

pub fn run(ctx: &Context) -> Result {
    // Monitoring needs an answer even when the store cannot be read: UNKNOWN (3). A store that
    // does not exist is not created (that would answer OK about nothing).
    let path = match ctx.store_path() {
        Ok(p) => p,
        Err(e) => return Ok(unknown(ctx, &e.message)),
    };
    if !path.is_file() {
        let reason = format!(
            "there is no store at {}: check --store or LICDESK_STORE",
            path.display()
        );
        return Ok(unknown(ctx, &reason));
    }
    // Read only: check creates no file and changes nothing (an empty or damaged file stays as
    // it is, and is answered UNKNOWN naming what is wrong).
    match Desk::open_read_only(&path).and_then(|d| d.check()) {
        Ok(report) => {
            let code = report.status.exit_code();
            ctx.emit(&CheckOutput(report.render(super::next_step)));
            Ok(ExitCode::from(code))
        }
        Err(e) => {
            let reason = format!("the store {} cannot be read: {}", path.display(), e.message);
            Ok(unknown(ctx, &reason))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_is_one_line_and_keeps_its_json_fields() {
        let u = Unknown::new("the store is\ndamaged");
        assert_eq!(u.to_string(), "LICDESK UNKNOWN - the store is damaged\n");
        assert_eq!(
            serde_json::to_string(&u).unwrap(),
            r#"{"line":"LICDESK UNKNOWN - the store is damaged","problems":["the store is\ndamaged"],"status":"UNKNOWN"}"#
        );
    }
}
