//! `licdesk check`: monitoring in the plugin convention Nagios, Icinga, Naemon and Checkmk share
//! (exit 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN; a short first line, every problem on its own
//! line, performance data), or as a Checkmk local check or Prometheus metrics (`--format`).

use std::ffi::OsString;
use std::fmt;
use std::process::ExitCode;

use licdesk_desk::{
    checkmk_unknown, plugin_text, prometheus_unknown, unknown_line, Desk, RenderedCheck,
};
use serde::Serialize;

use super::{Context, Result};

#[derive(clap::Args, Debug)]
pub struct CheckArgs {
    /// nagios: the plugin convention (Nagios, Icinga, Naemon, Checkmk active checks), exit code
    /// the state; checkmk: a Checkmk local check line per standby; prometheus: metrics for
    /// node_exporter's textfile collector. With checkmk and prometheus the state is in the
    /// output and the exit code 0.
    #[arg(long, value_enum, default_value_t = CheckFormat::Nagios)]
    pub format: CheckFormat,
}

#[derive(clap::ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckFormat {
    Nagios,
    Checkmk,
    Prometheus,
}

/// The check's report rendered (`status`, `line`, `problems`, `details`, `perf`, the typed
/// `findings`, `counts` and `standbys`); text: the plugin output.
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
            line: unknown_line(reason),
            problems: [reason.to_string()],
            status: "UNKNOWN",
        }
    }
}

impl fmt::Display for Unknown {
    /// The line; the whole reason on a second line when the first had to be cut short.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{}", self.line)?;
        let whole = plugin_text(&self.problems[0]);
        if !self.line.ends_with(&whole) {
            writeln!(f, "{whole}")?;
        }
        Ok(())
    }
}

/// Prints UNKNOWN for `reason` in `format`: exit 3 (0 for checkmk and prometheus, whose
/// output carries the state).
pub fn unknown(ctx: &Context, format: CheckFormat, reason: &str) -> ExitCode {
    match format {
        CheckFormat::Nagios => {
            ctx.emit(&Unknown::new(reason));
            return ExitCode::from(3);
        }
        CheckFormat::Checkmk => licdesk_term::out(&checkmk_unknown(reason)),
        CheckFormat::Prometheus => licdesk_term::out(&prometheus_unknown()),
    }
    ExitCode::SUCCESS
}

/// The `--format` a command line that clap could not parse asks for (so that even its usage
/// error answers in that format); the plugin convention when none or none known.
pub fn requested_format(args: &[OsString]) -> CheckFormat {
    let mut format = CheckFormat::Nagios;
    let mut rest = args.iter().filter_map(|a| a.to_str());
    while let Some(arg) = rest.next() {
        let value = match arg.strip_prefix("--format") {
            Some("") => rest.next(),
            Some(v) => v.strip_prefix('='),
            None => None,
        };
        match value {
            Some("checkmk") => format = CheckFormat::Checkmk,
            Some("prometheus") => format = CheckFormat::Prometheus,
            _ => {}
        }
    }
    format
}

pub fn run(args: CheckArgs, ctx: &Context) -> Result {
    let format = args.format;
    if ctx.json() && format != CheckFormat::Nagios {
        return Ok(unknown(
            ctx,
            CheckFormat::Nagios,
            "usage: --json and --format cannot be combined (see licdesk check --help)",
        ));
    }
    // Monitoring needs an answer even when the store cannot be read: UNKNOWN (3). A store that
    // does not exist is not created (that would answer OK about nothing).
    let store = match ctx.store() {
        Ok(store) => store,
        Err(e) => return Ok(unknown(ctx, format, &e.message)),
    };
    // Only ever shown without its password.
    let shown = store.redacted();
    if store.file().is_some_and(|path| !path.is_file()) {
        let reason = format!("there is no store at {shown}: check --store or LICDESK_STORE");
        return Ok(unknown(ctx, format, &reason));
    }
    // Read only: check creates no file and changes nothing (an empty or damaged file stays as
    // it is, and is answered UNKNOWN naming what is wrong); on PostgreSQL a read-only session,
    // so a role that may only read is enough.
    match Desk::open_read_only_at(&store).and_then(|d| d.check()) {
        Ok(report) => match format {
            CheckFormat::Nagios => {
                let code = report.status.exit_code();
                ctx.emit(&CheckOutput(report.render(super::next_step)));
                Ok(ExitCode::from(code))
            }
            CheckFormat::Checkmk => {
                licdesk_term::out(&report.checkmk());
                Ok(ExitCode::SUCCESS)
            }
            CheckFormat::Prometheus => {
                licdesk_term::out(&report.prometheus());
                Ok(ExitCode::SUCCESS)
            }
        },
        Err(e) => {
            // The store's own errors name it already.
            let reason = if e.message.contains(&shown) {
                e.message
            } else {
                format!("the store {shown} cannot be read: {}", e.message)
            };
            Ok(unknown(ctx, format, &reason))
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

    #[test]
    fn unknown_holds_no_semicolon_or_bar_and_stays_short() {
        let u = Unknown::new(&format!("a; b | c {}", "x".repeat(400)));
        assert!(
            u.line.starts_with("LICDESK UNKNOWN - a, b ¦ c x"),
            "{}",
            u.line
        );
        assert!(
            u.line.len() <= licdesk_desk::MAX_STATUS_LINE,
            "{}",
            u.line.len()
        );
    }

    #[test]
    fn the_format_is_found_even_in_a_command_line_clap_refuses() {
        let args = |a: &[&str]| a.iter().map(OsString::from).collect::<Vec<_>>();
        assert_eq!(
            requested_format(&args(&[
                "licdesk",
                "check",
                "--format",
                "prometheus",
                "--x"
            ])),
            CheckFormat::Prometheus
        );
        assert_eq!(
            requested_format(&args(&["licdesk", "check", "--format=checkmk"])),
            CheckFormat::Checkmk
        );
        assert_eq!(
            requested_format(&args(&["licdesk", "check", "--bogus"])),
            CheckFormat::Nagios
        );
    }
}
