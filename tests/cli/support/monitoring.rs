//! What every answer of `licdesk check` in the plugin convention must hold, whatever the state:
//! checked on every check the scenarios run ([`World::desk`] calls [`assert_plugin_output`]).

use super::*;

/// The labels present in every answer that is not UNKNOWN, zero when there is nothing.
pub const ALWAYS_LABELS: [&str; 12] = [
    "standbys",
    "journals",
    "problems",
    "violations",
    "unacknowledged_violations",
    "warnings",
    "tampered_journals",
    "stale_journals",
    "out_of_date",
    "trust_failures",
    "clock_behind",
    "unacknowledged_notices",
];

/// The status text of a plugin output: every line before the performance data.
pub fn status_text(stdout: &str) -> String {
    stdout
        .lines()
        .take_while(|l| !l.starts_with('|'))
        .collect::<Vec<_>>()
        .join("\n")
}

/// One performance data item: `'label'=value[UOM];[warn];[crit];[min];[max]`, returned as
/// (label, value, unit, min, max).
fn perf_item(item: &str) -> (String, f64, String, Option<f64>, Option<f64>) {
    let (label, rest) = if let Some(quoted) = item.strip_prefix('\'') {
        let end = quoted
            .find("'=")
            .unwrap_or_else(|| panic!("label of {item}"));
        (quoted[..end].replace("''", "'"), &quoted[end + 2..])
    } else {
        let (l, r) = item.split_once('=').unwrap_or_else(|| panic!("{item}"));
        (l.to_string(), r)
    };
    assert!(!label.is_empty() && !label.contains('='), "{item}");
    let fields: Vec<&str> = rest.split(';').collect();
    assert!(fields.len() <= 5, "{item}");
    let digits = fields[0]
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-'))
        .unwrap_or(fields[0].len());
    let (value, unit) = fields[0].split_at(digits);
    let value: f64 = value.parse().unwrap_or_else(|_| panic!("value of {item}"));
    assert!(
        ["", "s", "ms", "us", "%", "B", "KB", "MB", "GB", "TB", "c"].contains(&unit),
        "unit of {item}"
    );
    let number = |n: usize| {
        fields
            .get(n)
            .filter(|f| !f.is_empty())
            .map(|f| f.parse::<f64>().unwrap_or_else(|_| panic!("{item}")))
    };
    (label, value, unit.to_string(), number(3), number(4))
}

/// Checks a plugin output: the first line at most 200 bytes with the state the exit code says,
/// no `;` or `|` in the status text, and performance data the plugin guidelines allow, with
/// every count label present (nothing but the line for UNKNOWN).
#[track_caller]
pub fn assert_plugin_output(run: &Run) {
    let out = &run.stdout;
    let first = out.lines().next().unwrap_or_default();
    assert!(first.len() <= 200, "{} bytes: {first}", first.len());
    let word = ["OK", "WARNING", "CRITICAL", "UNKNOWN"][usize::try_from(run.code)
        .ok()
        .filter(|c| *c < 4)
        .unwrap_or_else(|| panic!("exit {}: {out}", run.code))];
    assert!(
        first.starts_with(&format!("LICDESK {word} - ")),
        "exit {}: {out}",
        run.code
    );
    let text = status_text(out);
    assert!(
        !text.contains(';') && !text.contains('|'),
        "a ; or | in the status text:\n{text}"
    );
    if run.code == 3 {
        assert_eq!(
            text.len() + 1,
            out.len(),
            "UNKNOWN has no performance data: {out}"
        );
        return;
    }
    let perf: Vec<&str> = out[text.len()..]
        .trim_start_matches('\n')
        .trim_start_matches('|')
        .split_whitespace()
        .collect();
    let mut labels = Vec::new();
    for item in &perf {
        let (label, value, unit, min, max) = perf_item(item);
        if let Some(min) = min {
            assert!(value >= min, "{item}");
        }
        if let Some(max) = max {
            assert!(value <= max, "{item}");
        }
        if label.ends_with("_load") || label.ends_with("_unaccounted") {
            assert_eq!(unit, "s", "{item}");
        }
        labels.push(label);
    }
    for label in ALWAYS_LABELS {
        assert!(labels.iter().any(|l| l == label), "no {label}: {out}");
    }
}

/// A check's answer without the times it depends on: each "as of TIME" and each load figure
/// (a standby's own desk evaluates its live journal as of now: its running load counts on).
pub fn at_any_time(stdout: &str) -> String {
    let masked: Vec<String> = stdout
        .split("as of ")
        .enumerate()
        .map(|(i, part)| match i {
            0 => part.to_string(),
            _ => format!("as of TIME{}", part.get(20..).unwrap_or_default()),
        })
        .collect();
    masked
        .concat()
        .split_inclusive('\n')
        .map(|l| match l.split_once("_load'=") {
            Some((label, rest)) => {
                format!("{label}_load'=N{}", &rest[rest.find('s').unwrap_or(0)..])
            }
            None => l.to_string(),
        })
        .collect()
}
