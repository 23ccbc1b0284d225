//! The check's report for other monitoring systems: a Checkmk local check (one service for the
//! desk, one per standby) and Prometheus metrics in the text exposition format (for
//! node_exporter's textfile collector).

use std::fmt::Write as _;

use super::report::{plugin_text, MAX_STATUS_LINE};
use super::{CheckProblem, CheckReport, CheckStatus};

/// The Checkmk service of the desk as a whole.
const CHECKMK_SERVICE: &str = "License Desk";

impl CheckReport {
    /// Checkmk local check lines (`STATUS "SERVICE" METRICS TEXT`): the desk as a whole with
    /// every count, then one service per standby with its load and unaccounted time (seconds).
    pub fn checkmk(&self) -> String {
        let metrics = self.counts.perf_data();
        let mut out = format!(
            "{} \"{CHECKMK_SERVICE}\" {} {}\n",
            self.status.exit_code(),
            metrics.join("|"),
            self.summary(MAX_STATUS_LINE)
        );
        for s in &self.standbys {
            let mut metrics = Vec::new();
            if let Some(l) = s.load {
                metrics.push(format!(
                    "load_seconds={};{};{};0",
                    l.seconds, l.warning_seconds, l.limit_seconds
                ));
            }
            if let Some(u) = s.unaccounted_seconds {
                metrics.push(format!(
                    "unaccounted_seconds={u};{};;0",
                    s.unaccounted_warning_seconds
                ));
            }
            let problems: Vec<String> = self
                .problems
                .iter()
                .filter(|p| p.failover() == Some(s.failover.as_str()))
                .map(|p| plugin_text(&format!("{}: {p}", p.status().word())))
                .collect();
            let mut text = if problems.is_empty() {
                "within the rules".to_string()
            } else {
                problems.join(" / ")
            };
            if let Some(host) = &s.host {
                text = format!("{} - {text}", plugin_text(host));
            }
            let _ = writeln!(
                out,
                "{} \"{CHECKMK_SERVICE} standby {}\" {} {text}",
                s.status.exit_code(),
                checkmk_name(s.failover.as_str()),
                if metrics.is_empty() {
                    "-".to_string()
                } else {
                    metrics.join("|")
                },
            );
        }
        out
    }

    /// Prometheus metrics (text exposition format, each family with `# HELP` and `# TYPE`): the
    /// status, the counts, the problems by code (every code, zero when none) and each standby's
    /// status, load and unaccounted time, labelled by FailoverSuite license (and host name).
    pub fn prometheus(&self) -> String {
        let mut out = status_family(self.status);
        let c = &self.counts;
        family(
            &mut out,
            "licdesk_standbys",
            "Active standby systems in the store.",
            &[(String::new(), c.standbys as i64)],
        );
        family(
            &mut out,
            "licdesk_usage_journals",
            "Usage journals evaluated.",
            &[(String::new(), c.journals as i64)],
        );
        family(
            &mut out,
            "licdesk_unacknowledged_notices",
            "Active standbys whose standby/test-only notice (R11) is not acknowledged yet.",
            &[(String::new(), c.unacknowledged_notices as i64)],
        );
        let by_code: Vec<(String, i64)> = CheckProblem::CODES
            .iter()
            .map(|code| {
                let n = self.problems.iter().filter(|p| p.code() == *code).count();
                (labels(&[("code", code)]), n as i64)
            })
            .collect();
        family(
            &mut out,
            "licdesk_problems",
            "Problems licdesk check reports, by code (docs/CODES.md).",
            &by_code,
        );
        let per_standby = |value: &dyn Fn(&super::StandbyFigures) -> Option<i64>| {
            self.standbys
                .iter()
                .filter_map(|s| {
                    let mut l = vec![("failover", s.failover.as_str())];
                    if let Some(host) = &s.host {
                        l.push(("host", host.as_str()));
                    }
                    value(s).map(|v| (labels(&l), v))
                })
                .collect::<Vec<_>>()
        };
        family(
            &mut out,
            "licdesk_standby_status",
            "Worst status of a standby's problems: 0 OK, 1 WARNING, 2 CRITICAL.",
            &per_standby(&|s| Some(i64::from(s.status.exit_code()))),
        );
        family(
            &mut out,
            "licdesk_standby_load_seconds",
            "Time under load in the standby's running episode, as of its latest usage journal.",
            &per_standby(&|s| s.load.map(|l| l.seconds)),
        );
        family(
            &mut out,
            "licdesk_standby_load_warning_seconds",
            "Time under load in one episode above which the standby is warned about.",
            &per_standby(&|s| s.load.map(|l| l.warning_seconds)),
        );
        family(
            &mut out,
            "licdesk_standby_load_limit_seconds",
            "Time under load in one episode the standby's license allows (R12).",
            &per_standby(&|s| s.load.map(|l| l.limit_seconds)),
        );
        family(
            &mut out,
            "licdesk_standby_unaccounted_seconds",
            "Time no usage journal of the standby accounts for (never counted as idle).",
            &per_standby(&|s| s.unaccounted_seconds),
        );
        out
    }
}

/// The Checkmk local check line of a check that could not be made: UNKNOWN, naming why.
pub fn checkmk_unknown(reason: &str) -> String {
    format!(
        "{} \"{CHECKMK_SERVICE}\" - {}\n",
        CheckStatus::Unknown.exit_code(),
        plugin_text(reason)
    )
}

/// The Prometheus metrics of a check that could not be made: the status UNKNOWN (3) only.
pub fn prometheus_unknown() -> String {
    status_family(CheckStatus::Unknown)
}

fn status_family(status: CheckStatus) -> String {
    let mut out = String::new();
    family(
        &mut out,
        "licdesk_check_status",
        "Monitoring status of License Desk: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.",
        &[(String::new(), i64::from(status.exit_code()))],
    );
    out
}

/// One metric family, a gauge: `# HELP`, `# TYPE`, and a sample per (labels, value).
fn family(out: &mut String, name: &str, help: &str, samples: &[(String, i64)]) {
    let help = help.replace('\\', "\\\\").replace('\n', "\\n");
    let _ = writeln!(out, "# HELP {name} {help}");
    let _ = writeln!(out, "# TYPE {name} gauge");
    for (labels, value) in samples {
        let _ = writeln!(out, "{name}{labels} {value}");
    }
}

/// `{name="value",…}` with each value escaped as the exposition format asks (`\\`, `\"`, `\n`).
fn labels(pairs: &[(&str, &str)]) -> String {
    let inner: Vec<String> = pairs
        .iter()
        .map(|(name, value)| {
            let value = value
                .replace('\\', "\\\\")
                .replace('"', "\\\"")
                .replace('\n', "\\n");
            format!("{name}=\"{value}\"")
        })
        .collect();
    format!("{{{}}}", inner.join(","))
}

/// A Checkmk service name part: no quote, `;`, `|` or line end.
fn checkmk_name(text: &str) -> String {
    plugin_text(text).replace('"', "'")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn label_values_escape_backslashes_quotes_and_line_ends() {
        assert_eq!(
            labels(&[("failover", "XFM-1"), ("host", "a\\b \"c\"\nd")]),
            r#"{failover="XFM-1",host="a\\b \"c\"\nd"}"#
        );
    }

    #[test]
    fn an_unknown_check_says_so_in_every_format() {
        assert_eq!(
            checkmk_unknown("the store x;y|z\ncannot be read"),
            "3 \"License Desk\" - the store x,y¦z cannot be read\n"
        );
        assert_eq!(
            prometheus_unknown(),
            "# HELP licdesk_check_status Monitoring status of License Desk: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.\n\
             # TYPE licdesk_check_status gauge\n\
             licdesk_check_status 3\n"
        );
    }
}
