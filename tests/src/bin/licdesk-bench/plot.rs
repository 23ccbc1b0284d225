//! The history's plot, docs/bench/history.svg: the page of 100 rows at p95 against the store's
//! size, both on log scales, one line per run for the last runs (the latest drawn strong, the
//! older faded), the floor measured in each run dashed beside it, and the targets as marks.
//! Hand-written SVG on a white ground, so that it reads alike in GitHub's light and dark themes.

use std::fmt::Write;

use crate::history::Line;
use crate::runs::{run, targets, Run, Target};
use crate::scale::{size_label, LogScale};
use crate::table::number;

/// How many runs are drawn, the latest included.
const RUNS: usize = 8;

const WIDTH: f64 = 780.0;
const HEIGHT: f64 = 500.0;
/// The plotting area, in the picture's coordinates: room on the right for the targets' labels,
/// below for the axis's title and the legend.
const LEFT: f64 = 72.0;
const RIGHT: f64 = 690.0;
const TOP: f64 = 48.0;
const BOTTOM: f64 = 392.0;

const INK: &str = "#1f2328";
const GRID: &str = "#d0d7de";
const PAGE_COLOUR: &str = "#0b5cad";
const FLOOR_COLOUR: &str = "#57606a";
const TARGET_COLOUR: &str = "#c21f1f";

/// How a line is drawn.
#[derive(Clone, Copy)]
struct Stroke {
    colour: &'static str,
    width: f64,
    opacity: f64,
    dashed: bool,
}

impl Stroke {
    /// The page's and the floor's strokes for the `i`th of `n` runs drawn: the latest strong,
    /// the older the fainter.
    fn of_run(i: usize, n: usize) -> (Stroke, Stroke) {
        let latest = i + 1 == n;
        let (width, opacity) = match latest {
            true => (2.5, 1.0),
            false => (1.25, 0.15 + 0.35 * (i + 1) as f64 / n as f64),
        };
        let page = Stroke {
            colour: PAGE_COLOUR,
            width,
            opacity,
            dashed: false,
        };
        let floor = Stroke {
            colour: FLOOR_COLOUR,
            dashed: true,
            ..page
        };
        (page, floor)
    }

    fn attributes(&self) -> String {
        let dash = if self.dashed {
            r#" stroke-dasharray="6 4""#
        } else {
            ""
        };
        format!(
            r#"fill="none" stroke="{}" stroke-width="{}" stroke-opacity="{:.2}" stroke-linejoin="round"{dash}"#,
            self.colour, self.width, self.opacity
        )
    }
}

/// The plot of the last runs in `history` that measured the page (oldest first).
pub(crate) fn svg(history: &[Line]) -> String {
    let measured: Vec<(&Line, Run)> = history
        .iter()
        .filter_map(|l| run(l).map(|r| (l, r)))
        .collect();
    let shown = &measured[measured.len().saturating_sub(RUNS)..];
    let latest = shown.last().map(|(_, run)| run);
    let marks = shown.last().map(|(l, _)| targets(l)).unwrap_or_default();

    let points = shown
        .iter()
        .flat_map(|(_, r)| r.page.iter().chain(&r.floor));
    let x = LogScale::covering(points.clone().map(|p| p.0), (3, 6), LEFT, RIGHT);
    let y = LogScale::covering(
        points.map(|p| p.1).chain(marks.iter().map(|t| t.ms)),
        (-1, 2),
        BOTTOM,
        TOP,
    );

    let mut out = header(latest, shown.len(), &marks);
    axes(&mut out, &x, &y);
    for (i, (_, run)) in shown.iter().enumerate() {
        let (page, floor) = Stroke::of_run(i, shown.len());
        polyline(&mut out, &x, &y, &run.floor, floor);
        polyline(&mut out, &x, &y, &run.page, page);
    }
    for (i, &(size, ms)) in latest.map_or(&[][..], |r| &r.page).iter().enumerate() {
        let (px, py) = (x.at(size), y.at(ms));
        // The value above its point; at the first point to the right, off the y axis.
        let (lx, anchor) = if i == 0 {
            (px + 4.0, "start")
        } else {
            (px - 4.0, "end")
        };
        let _ = writeln!(
            out,
            r#"<circle cx="{px:.1}" cy="{py:.1}" r="3.5" fill="{PAGE_COLOUR}"/><text x="{lx:.1}" y="{:.1}" font-size="11" fill="{PAGE_COLOUR}" text-anchor="{anchor}">{}</text>"#,
            py - 8.0,
            number(ms)
        );
    }
    for t in &marks {
        let (px, py) = (x.at(t.size), y.at(t.ms));
        out.push_str(&target_mark(px, py));
        let _ = writeln!(
            out,
            r#"<text x="{:.1}" y="{:.1}" font-size="11" fill="{TARGET_COLOUR}">{}</text>"#,
            px + 13.0,
            py + 4.0,
            escape(&t.label)
        );
    }
    if latest.is_none() {
        let _ = writeln!(
            out,
            r#"<text x="{:.1}" y="{:.1}" font-size="14" fill="{INK}" text-anchor="middle">No run has measured the page yet: make bench adds one.</text>"#,
            (LEFT + RIGHT) / 2.0,
            (TOP + BOTTOM) / 2.0
        );
    }
    legend(&mut out, latest.map(|r| r.name.as_str()), shown.len());
    out.push_str("</svg>\n");
    out
}

/// The opening tag, the title and description that screen readers read, and the white ground.
fn header(latest: Option<&Run>, runs: usize, marks: &[Target]) -> String {
    let title = "A page of 100 licenses (filter and sort), p95, against the store's size";
    let pairs = |points: &[(f64, f64)]| {
        let pairs: Vec<String> = points
            .iter()
            .map(|&(s, ms)| format!("{} licenses {} ms", size_label(s), number(ms)))
            .collect();
        pairs.join(", ")
    };
    let desc = match latest {
        None => "No run in the history has measured the page yet: each make bench adds one.".into(),
        Some(run) => {
            let targets: Vec<String> = marks
                .iter()
                .map(|t| format!("{} at {} licenses", t.label, size_label(t.size)))
                .collect();
            format!(
                "Milliseconds against licenses in the store, both on log scales. Latest run {}: \
                 {}. Its floor, measured in the same run: {}. Targets: {}. {} earlier runs drawn faded.",
                run.name,
                pairs(&run.page),
                pairs(&run.floor),
                if targets.is_empty() { "none".into() } else { targets.join(", ") },
                runs.saturating_sub(1)
            )
        }
    };
    format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-labelledby="plot-title plot-desc" font-family="-apple-system, 'Segoe UI', Helvetica, Arial, sans-serif">
<title id="plot-title">{title}</title>
<desc id="plot-desc">{}</desc>
<rect width="100%" height="100%" fill="#ffffff" rx="6"/>
<text x="{LEFT}" y="28" font-size="15" font-weight="600" fill="{INK}">{title}</text>
"##,
        escape(&desc)
    )
}

/// The grid (a line at each tick, darker at the decades), the labels and the axes' titles.
fn axes(out: &mut String, x: &LogScale, y: &LogScale) {
    let grid = |weight: &str| format!(r#"stroke="{GRID}" stroke-width="{weight}""#);
    for v in x.between() {
        let _ = writeln!(
            out,
            r#"<path d="M{:.1} {TOP}V{BOTTOM}" {}/>"#,
            x.at(v),
            grid("0.5")
        );
    }
    for v in y.between() {
        let _ = writeln!(
            out,
            r#"<path d="M{LEFT} {:.1}H{RIGHT}" {}/>"#,
            y.at(v),
            grid("0.5")
        );
    }
    let label = format!(r#"font-size="12" fill="{INK}""#);
    for v in x.decades() {
        let px = x.at(v);
        let _ = writeln!(
            out,
            r#"<path d="M{px:.1} {TOP}V{:.1}" {}/><text x="{px:.1}" y="{:.1}" {label} text-anchor="middle">{}</text>"#,
            BOTTOM + 5.0,
            grid("1"),
            BOTTOM + 20.0,
            size_label(v)
        );
    }
    for v in y.decades() {
        let py = y.at(v);
        let _ = writeln!(
            out,
            r#"<path d="M{:.1} {py:.1}H{RIGHT}" {}/><text x="{:.1}" y="{:.1}" {label} text-anchor="end">{}</text>"#,
            LEFT - 5.0,
            grid("1"),
            LEFT - 9.0,
            py + 4.0,
            number(v)
        );
    }
    let _ = writeln!(
        out,
        r#"<path d="M{LEFT} {TOP}V{BOTTOM}H{RIGHT}" stroke="{INK}" fill="none"/>
<text x="{:.1}" y="{:.1}" {label} text-anchor="middle">licenses in the store</text>
<text transform="translate(20 {:.1}) rotate(-90)" {label} text-anchor="middle">ms, 95th percentile</text>"#,
        (LEFT + RIGHT) / 2.0,
        BOTTOM + 42.0,
        (TOP + BOTTOM) / 2.0
    );
}

fn polyline(out: &mut String, x: &LogScale, y: &LogScale, points: &[(f64, f64)], stroke: Stroke) {
    if points.is_empty() {
        return;
    }
    let coordinates: Vec<String> = points
        .iter()
        .map(|&(s, ms)| format!("{:.1},{:.1}", x.at(s), y.at(ms)))
        .collect();
    let _ = writeln!(
        out,
        r#"<polyline points="{}" {}/>"#,
        coordinates.join(" "),
        stroke.attributes()
    );
}

/// A target's mark at (px, py): a bar with a small triangle pointing down onto it.
fn target_mark(px: f64, py: f64) -> String {
    format!(
        r#"<path d="M{:.1} {py:.1}h20M{px:.1} {py:.1}l-4 -6h8z" stroke="{TARGET_COLOUR}" stroke-width="2" fill="{TARGET_COLOUR}"/>"#,
        px - 10.0
    )
}

/// Two rows of two entries under the x axis's title.
fn legend(out: &mut String, latest: Option<&str>, runs: usize) {
    let place = |i: usize| {
        let (column, row) = ((i % 2) as f64, (i / 2) as f64);
        (LEFT + 330.0 * column, BOTTOM + 68.0 + 22.0 * row)
    };
    let (latest_page, latest_floor) = Stroke::of_run(1, 2);
    let (earlier_page, _) = Stroke::of_run(1, 3);
    let entries = [
        (
            latest_page,
            match latest {
                Some(name) => format!("latest run, {name}"),
                None => "no run yet".into(),
            },
        ),
        (
            earlier_page,
            match runs.saturating_sub(1) {
                0 => "no run before it".into(),
                1 => "1 run before it".into(),
                n => format!("{n} runs before it"),
            },
        ),
        (latest_floor, "floor, measured in the same run".into()),
    ];
    for (i, (stroke, label)) in entries.iter().enumerate() {
        let (left, py) = place(i);
        let _ = writeln!(
            out,
            r#"<path d="M{left} {py:.1}h26" {}/><text x="{:.1}" y="{:.1}" font-size="12" fill="{INK}">{}</text>"#,
            stroke.attributes(),
            left + 34.0,
            py + 4.0,
            escape(label)
        );
    }
    let (left, py) = place(entries.len());
    out.push_str(&target_mark(left + 10.0, py));
    let _ = writeln!(
        out,
        r#"<text x="{:.1}" y="{:.1}" font-size="12" fill="{INK}">target (the latest run's)</text>"#,
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

    #[test]
    fn the_plot_names_itself_for_screen_readers_even_without_runs() {
        let svg = svg(&[]);
        assert!(svg.starts_with("<svg ") && svg.ends_with("</svg>\n"));
        assert!(svg.contains(r#"role="img""#) && svg.contains("<title id=\"plot-title\">"));
        assert!(svg.contains("No run in the history has measured the page yet"));
        assert!(!svg.contains("<polyline"));
        assert!(svg.contains(">No run has measured the page yet: make bench adds one.</text>"));
        assert!(svg.contains(">no run before it</text>"));
    }

    #[test]
    fn the_last_runs_are_drawn_the_latest_strongest() {
        let history: Vec<Line> = (0..10)
            .map(|day| {
                let date = format!("2026-12-{:02}T09:00:00Z", day + 1);
                crate::history::tests::line(&date, 5.0 + day as f64)
            })
            .collect();
        let svg = svg(&history);
        assert_eq!(
            svg.matches("<polyline").count(),
            2 * RUNS,
            "a page and a floor each"
        );
        let strong = format!(r#"stroke="{PAGE_COLOUR}" stroke-width="2.5" stroke-opacity="1.00""#);
        // The latest run's page line and its sample in the legend.
        assert_eq!(svg.matches(&strong).count(), 2);
        assert!(svg.contains("latest run, 2026-12-10 (2c94dd3)"));
        assert!(
            !svg.contains("2026-12-02"),
            "the two oldest runs are left out"
        );
        assert!(
            svg.contains("≤ 5 ms at 100k licenses"),
            "the target, in the description"
        );
    }

    #[test]
    fn older_runs_fade() {
        let opacity = |i| Stroke::of_run(i, 8).0.opacity;
        assert!((0..7).all(|i| opacity(i) < opacity(i + 1)));
        assert_eq!(opacity(7), 1.0);
        assert!(Stroke::of_run(0, 8).1.dashed, "the floor is dashed");
    }

    #[test]
    fn text_is_escaped_for_xml() {
        assert_eq!(
            escape(r#"a < b & "c" > d"#),
            "a &lt; b &amp; &quot;c&quot; &gt; d"
        );
    }
}
