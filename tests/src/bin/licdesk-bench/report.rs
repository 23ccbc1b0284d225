//! What a run measured: a figure beside its floor, grouped by the part of the bench that measured it.

use std::ops::{Deref, DerefMut};
use std::time::Duration;

use anyhow::{bail, Result};
use serde::Serialize;

#[derive(Debug, Serialize)]
pub(crate) struct Row {
    pub(crate) figure: String,
    pub(crate) value: f64,
    pub(crate) unit: &'static str,
    pub(crate) target: Option<f64>,
    pub(crate) floor: Option<f64>,
    pub(crate) ratio: Option<f64>,
    pub(crate) ratio_target: Option<f64>,
    pub(crate) pass: Option<bool>,
    /// What the floor or peer is ("raw SQL page", "minimal Tauri app", …).
    pub(crate) floor_is: Option<String>,
    /// For the history plot: the series this row belongs to and the store size it was measured
    /// at (e.g. "page", 100000).
    pub(crate) series: Option<&'static str>,
    pub(crate) size: Option<usize>,
    /// The part of the bench (its `--only` name) that measured the row; set by [`Rows`].
    pub(crate) part: Option<&'static str>,
}

impl Row {
    /// Names what the floor or peer is.
    pub(crate) fn floor_is(mut self, what: &str) -> Row {
        self.floor_is = Some(what.into());
        self
    }

    /// Puts the row in the history plot's `series` at store size `size`.
    pub(crate) fn plotted(mut self, series: &'static str, size: usize) -> Row {
        self.series = Some(series);
        self.size = Some(size);
        self
    }
}

pub(crate) fn row(
    figure: &str,
    value: f64,
    unit: &'static str,
    target: Option<f64>,
    floor: Option<f64>,
    ratio_target: Option<f64>,
) -> Row {
    let ratio = floor.filter(|f| *f > 0.0).map(|f| value / f);
    let pass = match (target, ratio_target) {
        (None, None) => None,
        _ => Some(
            target.is_none_or(|t| value <= t)
                && ratio_target.is_none_or(|rt| ratio.is_some_and(|r| r <= rt)),
        ),
    };
    Row {
        figure: figure.into(),
        value,
        unit,
        target,
        floor,
        ratio,
        ratio_target,
        pass,
        floor_is: None,
        series: None,
        size: None,
        part: None,
    }
}

/// The rows of a run as the parts push them (it derefs to their `Vec<Row>`), each stamped with
/// the part that was running when it was pushed.
pub(crate) struct Rows {
    rows: Vec<Row>,
    only: Option<String>,
    ran: Vec<&'static str>,
}

impl Rows {
    /// Rows of a run of every part, or of the one named by `--only`.
    pub(crate) fn new(only: Option<String>) -> Rows {
        Rows {
            rows: Vec::new(),
            only,
            ran: Vec::new(),
        }
    }

    /// Whether part `name` is to run; if so, the rows pushed from now on are its, and it starts
    /// once what the parts before wrote is on disk (`sync`): the listing part leaves a store of
    /// a million licenses, some GB, to be written back, and a file written durably meanwhile
    /// (an activation request) waited behind it — 7–8 ms in a whole run, 1.2 ms alone.
    pub(crate) fn part(&mut self, name: &'static str) -> bool {
        self.stamp();
        let runs = self.only.as_deref().is_none_or(|o| o == name);
        if runs {
            self.ran.push(name);
            settle_disk();
        }
        runs
    }

    /// The parts that ran, in order, and their rows; an error if `--only` named no part that ran.
    pub(crate) fn finish(mut self) -> Result<(Vec<&'static str>, Vec<Row>)> {
        self.stamp();
        if let (Some(only), true) = (&self.only, self.ran.is_empty()) {
            bail!("--only {only}: no part ran (no part has that name, or --no-window left it out)");
        }
        Ok((self.ran, self.rows))
    }

    /// Gives the rows pushed since the last part began to that part.
    fn stamp(&mut self) {
        if let Some(&part) = self.ran.last() {
            for row in self.rows.iter_mut().rev().take_while(|r| r.part.is_none()) {
                row.part = Some(part);
            }
        }
    }
}

impl Deref for Rows {
    type Target = Vec<Row>;
    fn deref(&self) -> &Vec<Row> {
        &self.rows
    }
}

impl DerefMut for Rows {
    fn deref_mut(&mut self) -> &mut Vec<Row> {
        &mut self.rows
    }
}

/// How many rows pass, of those that have a target.
pub(crate) fn tally<'a>(rows: impl IntoIterator<Item = &'a Row>) -> (usize, usize) {
    let judged: Vec<bool> = rows.into_iter().filter_map(|r| r.pass).collect();
    (judged.iter().filter(|p| **p).count(), judged.len())
}

/// Waits until the file systems have written back what is pending (`sync`); a machine without
/// it is told, and the part runs anyway.
fn settle_disk() {
    if let Err(e) = std::process::Command::new("sync").status() {
        eprintln!("bench: sync did not run ({e}): the part may wait for the writes before it");
    }
}

pub(crate) fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

pub(crate) fn percentile(mut samples: Vec<f64>, p: f64) -> f64 {
    samples.sort_by(|a, b| a.total_cmp(b));
    let i = ((samples.len() as f64 - 1.0) * p).round() as usize;
    samples.get(i).copied().unwrap_or(0.0)
}

/// `--verbose`: the figures behind each row on stderr.
pub(crate) fn verbose() -> bool {
    std::env::args().any(|a| a == "--verbose")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_belong_to_the_part_that_pushed_them() {
        let mut rows = Rows::new(None);
        assert!(rows.part("import"));
        rows.push(row("a", 1.0, "ms", None, None, None));
        rows.push(row("b", 1.0, "ms", None, None, None));
        assert!(rows.part("memory"));
        assert!(rows.part("listing"));
        rows.push(row("c", 1.0, "ms", None, None, None));
        let (parts, rows) = rows.finish().unwrap();
        assert_eq!(parts, ["import", "memory", "listing"]);
        let stamped: Vec<_> = rows.iter().map(|r| (r.figure.as_str(), r.part)).collect();
        assert_eq!(
            stamped,
            [
                ("a", Some("import")),
                ("b", Some("import")),
                ("c", Some("listing"))
            ]
        );
    }

    #[test]
    fn only_runs_the_part_it_names_and_refuses_a_name_no_part_has() {
        let mut rows = Rows::new(Some("single".into()));
        assert!(!rows.part("import"));
        assert!(rows.part("single"));
        assert_eq!(rows.finish().unwrap().0, ["single"]);
        let mut rows = Rows::new(Some("singel".into()));
        assert!(!rows.part("single"));
        assert!(rows.finish().is_err());
    }

    #[test]
    fn a_row_passes_when_it_meets_every_target_it_has() {
        assert_eq!(row("x", 4.0, "ms", Some(5.0), None, None).pass, Some(true));
        assert_eq!(
            row("x", 4.0, "ms", Some(5.0), Some(1.0), Some(3.0)).pass,
            Some(false)
        );
        assert_eq!(
            row("x", 4.0, "ms", None, Some(2.0), Some(3.0)).pass,
            Some(true)
        );
        // A ratio target without a floor cannot be met.
        assert_eq!(row("x", 4.0, "ms", None, None, Some(3.0)).pass, Some(false));
        assert_eq!(row("x", 4.0, "ms", None, Some(2.0), None).pass, None);
    }

    #[test]
    fn tally_counts_only_the_rows_that_have_a_target() {
        let rows = [
            row("x", 4.0, "ms", Some(5.0), None, None),
            row("x", 6.0, "ms", Some(5.0), None, None),
            row("x", 6.0, "ms", None, None, None),
        ];
        assert_eq!(tally(&rows), (1, 2));
    }
}
