//! What a run measured: a figure beside its floor, and the table printed.

use std::time::Duration;

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

pub(crate) fn fmt(v: Option<f64>) -> String {
    v.map(|v| {
        if v >= 100.0 {
            format!("{v:.0}")
        } else {
            format!("{v:.2}")
        }
    })
    .unwrap_or_else(|| "—".into())
}

/// `--verbose`: the figures behind each row on stderr.
pub(crate) fn verbose() -> bool {
    std::env::args().any(|a| a == "--verbose")
}
