//! The bench's history: one JSON line per run appended to docs/bench/history.jsonl (committed, so
//! that runs on other days and commits can be compared), read back for the plot.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};
use serde::{Deserialize, Serialize};

use crate::context::Context;
use crate::report::Row;

/// One run: its context, how many of its rows with a target passed, and its rows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Line {
    #[serde(flatten)]
    pub(crate) context: Context,
    pub(crate) passed: usize,
    pub(crate) with_target: usize,
    pub(crate) rows: Vec<Figure>,
}

/// A row as the history keeps it: its own format on disk, apart from the bench's `Row`, with
/// numbers to four significant digits (more is noise, and the lines stay short).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Figure {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) part: Option<String>,
    pub(crate) figure: String,
    pub(crate) value: f64,
    pub(crate) unit: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) floor: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) floor_is: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) target: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) ratio_target: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) pass: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) series: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) size: Option<usize>,
}

impl From<&Row> for Figure {
    fn from(row: &Row) -> Figure {
        Figure {
            part: row.part.map(String::from),
            figure: row.figure.clone(),
            value: significant(row.value),
            unit: row.unit.into(),
            floor: row.floor.map(significant),
            floor_is: row.floor_is.clone(),
            target: row.target,
            ratio_target: row.ratio_target,
            pass: row.pass,
            series: row.series.map(String::from),
            size: row.size,
        }
    }
}

/// docs/bench/ of the repository the bench was built from: the history and its plot.
pub(crate) fn docs_dir() -> PathBuf {
    crate::context::repository().join("docs/bench")
}

pub(crate) fn append(path: &Path, line: &Line) -> Result<()> {
    let text = serde_json::to_string(line)?;
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .with_context(|| format!("opening {}", path.display()))?;
    writeln!(file, "{text}").with_context(|| format!("appending to {}", path.display()))
}

/// Every run in the history, oldest first. A line that does not parse (a merge gone wrong, a
/// format from another version) is reported and left out: the history is for reading, and one
/// bad line must not hide the others.
pub(crate) fn read(path: &Path) -> Result<Vec<Line>> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e).with_context(|| format!("reading {}", path.display())),
    };
    Ok(parse(&text, path))
}

fn parse(text: &str, path: &Path) -> Vec<Line> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .filter_map(|(i, l)| match serde_json::from_str(l) {
            Ok(line) => Some(line),
            Err(e) => {
                eprintln!("bench: {}:{}: left out: {e}", path.display(), i + 1);
                None
            }
        })
        .collect()
}

/// `v` to four significant digits.
fn significant(v: f64) -> f64 {
    if v == 0.0 || !v.is_finite() {
        return v;
    }
    // Scaled by a power of ten that is exact (10^k, k ≥ 0) so that no rounding error creeps in.
    let digits = 3 - v.abs().log10().floor() as i32;
    if digits >= 0 {
        let scale = 10f64.powi(digits);
        (v * scale).round() / scale
    } else {
        let scale = 10f64.powi(-digits);
        (v / scale).round() * scale
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::context::Machine;
    use crate::report::row;

    /// A run of the listing part: a page row at 100,000 licenses with its floor, and a row
    /// outside the plot.
    pub(crate) fn line(date: &str, page_ms: f64) -> Line {
        let mut page = row(
            "filtered page, p95, 100000 licenses",
            page_ms,
            "ms",
            Some(5.0),
            Some(0.41237),
            None,
        )
        .floor_is("raw SQL page")
        .plotted("page", 100_000);
        page.part = Some("listing");
        let size = row(
            "release binary licdesk, stripped",
            4.31,
            "MiB",
            None,
            None,
            None,
        );
        Line {
            context: Context {
                date: date.into(),
                commit: Some("2c94dd3c0ffee".into()),
                dirty: false,
                build: "release".into(),
                machine: Machine {
                    cpu: "AMD EPYC".into(),
                    cores: 2,
                    memory_gib: 23.5,
                    kernel: "6.1.0-27-amd64".into(),
                    load_start: [1.25, 0.5, 0.25],
                    load_end: [2.0, 1.0, 0.5],
                },
                args: vec!["--only".into(), "listing".into()],
                parts: vec!["listing".into()],
            },
            passed: 0,
            with_target: 1,
            rows: [&page, &size].map(Figure::from).to_vec(),
        }
    }

    #[test]
    fn a_line_reads_back_as_written() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("history.jsonl");
        let (first, second) = (
            line("2026-12-03T15:00:00Z", 8.79),
            line("2026-12-04T09:30:00Z", 6.123456),
        );
        append(&path, &first).unwrap();
        append(&path, &second).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(text.lines().count(), 2, "one line per run: {text}");
        assert_eq!(read(&path).unwrap(), [first, second]);
    }

    #[test]
    fn figures_keep_four_significant_digits() {
        let figure = &line("2026-12-03T15:00:00Z", 6.123456).rows[0];
        assert_eq!(figure.value, 6.123);
        assert_eq!(figure.floor, Some(0.4124));
        assert_eq!(significant(1266.4), 1266.0);
        assert_eq!(significant(123_456.0), 123_500.0);
        assert_eq!(significant(0.0), 0.0);
    }

    #[test]
    fn a_bad_line_is_left_out_and_the_rest_read() {
        let good = serde_json::to_string(&line("2026-12-03T15:00:00Z", 8.79)).unwrap();
        let text = format!("{good}\n<<<<<<< HEAD\n\n{good}\n");
        assert_eq!(parse(&text, Path::new("history.jsonl")).len(), 2);
        assert!(read(Path::new("/nonexistent/history.jsonl"))
            .unwrap()
            .is_empty());
    }
}
