//! The history's plot, docs/bench/history.svg: the page of 100 rows at p95 against the store's
//! size, both on log scales, one line per run for the last runs (the latest drawn strong, the
//! older faded), the floor measured in each run dashed beside it, and the targets as marks.
//! Hand-written SVG on a white ground, so that it reads alike in GitHub's light and dark themes.

use std::fmt::Write;

use crate::context::short_commit;
use crate::history::{Figure, Line};
use crate::table::number;

/// The rows plotted (`Row::plotted`): License Desk's page, and the floor's if the floor has rows
/// of its own (otherwise the page rows' floors are drawn).
const PAGE: &str = "page";
const PAGE_FLOOR: &str = "page-floor";
/// How many runs are drawn, the latest included.
const RUNS: usize = 8;

const WIDTH: f64 = 780.0;
const HEIGHT: f64 = 500.0;
/// The plotting area, in the picture's coordinates: room on the right for the targets' labels,
/// below for the axis's and the legend.
const LEFT: f64 = 72.0;
const RIGHT: f64 = 690.0;
const TOP: f64 = 48.0;
const BOTTOM: f64 = 392.0;

const INK: &str = "#1f2328";
const GRID: &str = "#d0d7de";
const PAGE_COLOUR: &str = "#0b5cad";
const FLOOR_COLOUR: &str = "#57606a";
const TARGET_COLOUR: &str = "#c21f1f";

/// A logarithmic scale over whole decades, 10^low to 10^high, onto the pixels `from` to `to`
/// (`to` may be less than `from`: the y axis grows upwards).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct LogScale {
    low: i32,
    high: i32,
    from: f64,
    to: f64,
}

impl LogScale {
    /// The smallest whole decades holding every positive value and at least 10^low to 10^high
    /// of `at_least` (so that a plot without data, or with one value, still has axes).
    pub(crate) fn covering(
        values: impl IntoIterator<Item = f64>,
        at_least: (i32, i32),
        from: f64,
        to: f64,
    ) -> LogScale {
        let (mut low, mut high) = at_least;
        for v in values.into_iter().filter(|v| *v > 0.0 && v.is_finite()) {
            low = low.min(v.log10().floor() as i32);
            high = high.max(v.log10().ceil() as i32);
        }
        LogScale {
            low,
            high: high.max(low + 1),
            from,
            to,
        }
    }

    /// Where `v` falls, in pixels.
    pub(crate) fn at(&self, v: f64) -> f64 {
        let share = (v.log10() - f64::from(self.low)) / f64::from(self.high - self.low);
        self.from + share * (self.to - self.from)
    }

    /// The powers of ten from 10^low to 10^high: the labelled ticks.
    pub(crate) fn decades(&self) -> Vec<f64> {
        (self.low..=self.high).map(|e| 10f64.powi(e)).collect()
    }

    /// 2 to 9 times each power of ten below 10^high: the unlabelled ticks between the decades.
    pub(crate) fn between(&self) -> Vec<f64> {
        (self.low..self.high)
            .flat_map(|e| (2..10).map(move |m| f64::from(m) * 10f64.powi(e)))
            .collect()
    }
}

/// A store size as the axis names it: 1k, 100k, 1M.
pub(crate) fn size_label(n: f64) -> String {
    match n {
        n if n >= 1e6 => format!("{}M", number(n / 1e6)),
        n if n >= 1e3 => format!("{}k", number(n / 1e3)),
        n => number(n),
    }
}

/// One run's lines: (store size, ms) points, by size.
struct Run {
    name: String,
    page: Vec<(f64, f64)>,
    floor: Vec<(f64, f64)>,
}

/// A target at one store size: the most the page may take there.
struct Target {
    size: f64,
    ms: f64,
    label: String,
}

fn points(figures: &[&Figure], value: impl Fn(&Figure) -> Option<f64>) -> Vec<(f64, f64)> {
    let mut points: Vec<(f64, f64)> = figures
        .iter()
        .filter_map(|f| Some((f.size? as f64, value(f)?)))
        .filter(|(size, ms)| *size > 0.0 && *ms > 0.0)
        .collect();
    points.sort_by(|a, b| a.0.total_cmp(&b.0));
    points
}

fn in_series<'a>(line: &'a Line, series: &str) -> Vec<&'a Figure> {
    line.rows
        .iter()
        .filter(|f| f.series.as_deref() == Some(series))
        .collect()
}

fn run(line: &Line) -> Option<Run> {
    let page_rows = in_series(line, PAGE);
    let page = points(&page_rows, |f| Some(f.value));
    if page.is_empty() {
        return None;
    }
    let floor_rows = in_series(line, PAGE_FLOOR);
    let floor = if floor_rows.is_empty() {
        points(&page_rows, |f| f.floor)
    } else {
        points(&floor_rows, |f| Some(f.value))
    };
    let name = format!(
        "{} ({})",
        line.context.date.get(..10).unwrap_or(&line.context.date),
        short_commit(&line.context)
    );
    Some(Run { name, page, floor })
}

fn targets(line: &Line) -> Vec<Target> {
    let mut targets = Vec::new();
    for f in in_series(line, PAGE) {
        let Some(size) = f.size.map(|s| s as f64) else {
            continue;
        };
        if let Some(ms) = f.target {
            let label = format!("≤ {} ms", number(ms));
            targets.push(Target { size, ms, label });
        }
        if let (Some(ratio), Some(floor)) = (f.ratio_target, f.floor) {
            let label = format!("≤ {}× floor", number(ratio));
            targets.push(Target {
                size,
                ms: ratio * floor,
                label,
            });
        }
    }
    targets
}

/// The plot of the last runs in `history` that measured the page (oldest first).
pub(crate) fn svg(history: &[Line]) -> String {
    let measured: Vec<(&Line, Run)> = history
        .iter()
        .filter_map(|l| run(l).map(|r| (l, r)))
        .collect();
    let shown = &measured[measured.len().saturating_sub(RUNS)..];
    let latest = shown.last();
    let marks = latest.map(|(l, _)| targets(l)).unwrap_or_default();

    let all_points = shown
        .iter()
        .flat_map(|(_, r)| r.page.iter().chain(&r.floor));
    let x = LogScale::covering(all_points.clone().map(|p| p.0), (3, 6), LEFT, RIGHT);
    let y = LogScale::covering(
        all_points.map(|p| p.1).chain(marks.iter().map(|t| t.ms)),
        (-1, 2),
        BOTTOM,
        TOP,
    );

    let mut out = String::new();
    header(&mut out, latest, shown.len(), &marks);
    axes(&mut out, &x, &y);
    for (i, (_, run)) in shown.iter().enumerate() {
        let is_latest = i + 1 == shown.len();
        // Older runs fade the further back they are.
        let opacity = if is_latest {
            1.0
        } else {
            0.15 + 0.35 * (i + 1) as f64 / shown.len() as f64
        };
        let width = if is_latest { 2.5 } else { 1.25 };
        polyline(
            &mut out,
            &x,
            &y,
            &run.floor,
            FLOOR_COLOUR,
            width,
            opacity,
            true,
        );
        polyline(
            &mut out,
            &x,
            &y,
            &run.page,
            PAGE_COLOUR,
            width,
            opacity,
            false,
        );
    }
    if let Some((_, run)) = latest {
        for (i, &(size, ms)) in run.page.iter().enumerate() {
            let (px, py) = (x.at(size), y.at(ms));
            // Above the point, kept off the y axis at the first point.
            let (lx, anchor) = match i {
                0 => (px + 4.0, "start"),
                _ => (px - 4.0, "end"),
            };
            let _ = writeln!(
                out,
                r#"<circle cx="{px:.1}" cy="{py:.1}" r="3.5" fill="{PAGE_COLOUR}"/><text x="{lx:.1}" y="{:.1}" font-size="11" fill="{PAGE_COLOUR}" text-anchor="{anchor}">{}</text>"#,
                py - 8.0,
                number(ms)
            );
        }
    }
    for t in &marks {
        let (px, py) = (x.at(t.size), y.at(t.ms));
        let _ = writeln!(
            out,
            r#"<path d="M{:.1} {py:.1}h20M{px:.1} {py:.1}l-4 -6h8z" stroke="{TARGET_COLOUR}" stroke-width="2" fill="{TARGET_COLOUR}"/><text x="{:.1}" y="{:.1}" font-size="11" fill="{TARGET_COLOUR}">{}</text>"#,
            px - 10.0,
            px + 13.0,
            py + 4.0,
            escape(&t.label)
        );
    }
    legend(&mut out, latest.map(|(_, r)| r.name.as_str()), shown.len());
    out.push_str("</svg>\n");
    out
}

fn header(out: &mut String, latest: Option<&(&Line, Run)>, runs: usize, marks: &[Target]) {
    let title = "A page of 100 licenses (filter and sort), p95, against the store's size";
    let desc = match latest {
        None => {
            "No run in the history has measured the page yet: each make bench adds one.".to_string()
        }
        Some((_, run)) => {
            let pairs = |points: &[(f64, f64)]| {
                points
                    .iter()
                    .map(|&(s, ms)| format!("{} licenses {} ms", size_label(s), number(ms)))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            let targets: Vec<String> = marks
                .iter()
                .map(|t| format!("{} at {} licenses", t.label, size_label(t.size)))
                .collect();
            format!(
                "Milliseconds against licenses in the store, both on log scales. Latest run {}: {}. \
                 Its floor, measured in the same run: {}. Targets: {}. {} earlier runs drawn faded.",
                run.name,
                pairs(&run.page),
                pairs(&run.floor),
                if targets.is_empty() { "none".into() } else { targets.join(", ") },
                runs.saturating_sub(1)
            )
        }
    };
    let _ = writeln!(
        out,
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-labelledby="plot-title plot-desc" font-family="-apple-system, 'Segoe UI', Helvetica, Arial, sans-serif">
<title id="plot-title">{}</title>
<desc id="plot-desc">{}</desc>
<rect width="100%" height="100%" fill="#ffffff" rx="6"/>
<text x="{LEFT}" y="28" font-size="15" font-weight="600" fill="{INK}">{}</text>"##,
        escape(title),
        escape(&desc),
        escape(title)
    );
}

fn axes(out: &mut String, x: &LogScale, y: &LogScale) {
    for v in x.between() {
        let px = x.at(v);
        let _ = writeln!(
            out,
            r#"<path d="M{px:.1} {TOP}V{BOTTOM}" stroke="{GRID}" stroke-width="0.5"/>"#
        );
    }
    for v in y.between() {
        let py = y.at(v);
        let _ = writeln!(
            out,
            r#"<path d="M{LEFT} {py:.1}H{RIGHT}" stroke="{GRID}" stroke-width="0.5"/>"#
        );
    }
    for v in x.decades() {
        let px = x.at(v);
        let _ = writeln!(
            out,
            r#"<path d="M{px:.1} {TOP}V{:.1}" stroke="{GRID}"/><text x="{px:.1}" y="{:.1}" font-size="12" fill="{INK}" text-anchor="middle">{}</text>"#,
            BOTTOM + 5.0,
            BOTTOM + 20.0,
            size_label(v)
        );
    }
    for v in y.decades() {
        let py = y.at(v);
        let _ = writeln!(
            out,
            r#"<path d="M{:.1} {py:.1}H{RIGHT}" stroke="{GRID}"/><text x="{:.1}" y="{:.1}" font-size="12" fill="{INK}" text-anchor="end">{}</text>"#,
            LEFT - 5.0,
            LEFT - 9.0,
            py + 4.0,
            number(v)
        );
    }
    let _ = writeln!(
        out,
        r#"<path d="M{LEFT} {TOP}V{BOTTOM}H{RIGHT}" stroke="{INK}" fill="none"/>
<text x="{:.1}" y="{:.1}" font-size="12" fill="{INK}" text-anchor="middle">licenses in the store</text>
<text transform="translate(20 {:.1}) rotate(-90)" font-size="12" fill="{INK}" text-anchor="middle">ms, 95th percentile</text>"#,
        (LEFT + RIGHT) / 2.0,
        BOTTOM + 42.0,
        (TOP + BOTTOM) / 2.0
    );
}

#[allow(clippy::too_many_arguments)]
fn polyline(
    out: &mut String,
    x: &LogScale,
    y: &LogScale,
    points: &[(f64, f64)],
    colour: &str,
    width: f64,
    opacity: f64,
    dashed: bool,
) {
    if points.is_empty() {
        return;
    }
    let coordinates: Vec<String> = points
        .iter()
        .map(|&(s, ms)| format!("{:.1},{:.1}", x.at(s), y.at(ms)))
        .collect();
    let dash = if dashed {
        r#" stroke-dasharray="6 4""#
    } else {
        ""
    };
    let _ = writeln!(
        out,
        r#"<polyline points="{}" fill="none" stroke="{colour}" stroke-width="{width}" stroke-opacity="{opacity:.2}" stroke-linejoin="round"{dash}/>"#,
        coordinates.join(" ")
    );
}

fn legend(out: &mut String, latest: Option<&str>, runs: usize) {
    let entries = [
        (
            PAGE_COLOUR,
            2.5,
            1.0,
            false,
            match latest {
                Some(name) => format!("latest run, {name}"),
                None => "no run yet".into(),
            },
        ),
        (
            PAGE_COLOUR,
            1.25,
            0.35,
            false,
            format!("{} runs before it", runs.saturating_sub(1)),
        ),
        (
            FLOOR_COLOUR,
            2.5,
            1.0,
            true,
            "floor, measured in the same run".into(),
        ),
    ];
    // Two rows of two entries under the x axis's title.
    let place = |i: usize| {
        (
            LEFT + 330.0 * (i % 2) as f64,
            BOTTOM + 68.0 + 22.0 * (i / 2) as f64,
        )
    };
    for (i, (colour, width, opacity, dashed, label)) in entries.iter().enumerate() {
        let (left, py) = place(i);
        let dash = if *dashed {
            r#" stroke-dasharray="6 4""#
        } else {
            ""
        };
        let _ = writeln!(
            out,
            r#"<path d="M{left} {py:.1}h26" stroke="{colour}" stroke-width="{width}" stroke-opacity="{opacity}"{dash}/><text x="{:.1}" y="{:.1}" font-size="12" fill="{INK}">{}</text>"#,
            left + 34.0,
            py + 4.0,
            escape(label)
        );
    }
    let (left, py) = place(entries.len());
    let _ = writeln!(
        out,
        r#"<path d="M{left} {py:.1}h20M{:.1} {py:.1}l-4 -6h8z" stroke="{TARGET_COLOUR}" stroke-width="2" fill="{TARGET_COLOUR}"/><text x="{:.1}" y="{:.1}" font-size="12" fill="{INK}">target (the latest run's)</text>"#,
        left + 10.0,
        left + 34.0,
        py + 4.0
    );
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn a_log_scale_spreads_each_decade_alike() {
        let x = LogScale::covering([], (3, 6), 100.0, 400.0);
        assert!(close(x.at(1e3), 100.0));
        assert!(close(x.at(1e4), 200.0));
        assert!(close(x.at(1e6), 400.0));
        // The middle of a decade in log terms: √10 times its start.
        assert!(close(x.at(1e4 * 10f64.sqrt()), 250.0));
    }

    #[test]
    fn a_scale_may_run_backwards_as_the_y_axis_does() {
        let y = LogScale::covering([], (-1, 2), 390.0, 60.0);
        assert!(close(y.at(0.1), 390.0));
        assert!(close(y.at(100.0), 60.0));
        assert!(y.at(1.0) > y.at(10.0), "a larger value is drawn higher");
    }

    #[test]
    fn a_scale_widens_to_whole_decades_around_its_values() {
        let y = LogScale::covering([0.04, 57.0, -1.0, 0.0, f64::NAN], (-1, 2), 0.0, 1.0);
        assert_eq!((y.low, y.high), (-2, 2));
        let y = LogScale::covering([0.5, 250.0], (-1, 2), 0.0, 1.0);
        assert_eq!((y.low, y.high), (-1, 3));
        // One value on a decade still gets a whole decade.
        let y = LogScale::covering([10.0], (1, 1), 0.0, 1.0);
        assert_eq!((y.low, y.high), (1, 2));
    }

    #[test]
    fn ticks_are_the_decades_and_the_steps_between() {
        let x = LogScale::covering([], (3, 5), 0.0, 1.0);
        assert_eq!(x.decades(), [1e3, 1e4, 1e5]);
        let between = x.between();
        assert_eq!(between.len(), 16);
        assert!(close(between[0], 2e3) && close(between[15], 9e4));
        let labels: Vec<String> = [1e3, 1e4, 1e5, 1e6, 2.5e6, 100.0].map(size_label).to_vec();
        assert_eq!(labels, ["1k", "10k", "100k", "1M", "2.5M", "100"]);
    }

    #[test]
    fn the_plot_names_itself_for_screen_readers_even_without_runs() {
        let svg = svg(&[]);
        assert!(svg.starts_with("<svg ") && svg.ends_with("</svg>\n"));
        assert!(svg.contains(r#"role="img""#) && svg.contains("<title id=\"plot-title\">"));
        assert!(svg.contains("No run in the history has measured the page yet"));
        assert!(!svg.contains("<polyline"));
    }

    #[test]
    fn the_last_runs_are_drawn_the_latest_strongest() {
        let history: Vec<Line> = (0..10)
            .map(|day| {
                crate::history::tests::line(
                    &format!("2026-12-{:02}T09:00:00Z", day + 1),
                    5.0 + day as f64,
                )
            })
            .collect();
        let svg = svg(&history);
        let page_lines = svg
            .matches(&format!(r#"stroke="{PAGE_COLOUR}" stroke-width"#))
            .count();
        // RUNS page lines, each with its floor's, and the legend's two samples of the page.
        assert_eq!(page_lines, RUNS + 2);
        assert_eq!(svg.matches(r#"stroke-dasharray="6 4""#).count(), RUNS + 1);
        assert!(svg.contains("latest run, 2026-12-10 (2c94dd3)"));
        assert!(
            !svg.contains("2026-12-02"),
            "the two oldest runs are left out"
        );
        assert!(
            svg.contains("≤ 5 ms at 100k licenses"),
            "the target, in the description"
        );
        assert_eq!(
            svg.matches(r#"stroke-width="2.5" stroke-opacity="1.00""#)
                .count(),
            2
        );
    }

    #[test]
    fn text_is_escaped_for_xml() {
        assert_eq!(
            escape(r#"a < b & "c" > d"#),
            "a &lt; b &amp; &quot;c&quot; &gt; d"
        );
    }
}
