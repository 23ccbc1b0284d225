//! The runs the history plot draws: from each line of the history that measured the page, its
//! page and floor as (store size, ms) points, its name, and its targets for the page.

use crate::context::short_commit;
use crate::history::{Figure, Line};
use crate::table::number;

/// The rows plotted (`Row::plotted`): License Desk's page, and the floor's if the floor has rows
/// of its own (otherwise the page rows' floors are drawn).
const PAGE: &str = "page";
const PAGE_FLOOR: &str = "page-floor";

/// One run's lines: (store size, ms) points, by size.
pub(crate) struct Run {
    pub(crate) name: String,
    pub(crate) page: Vec<(f64, f64)>,
    pub(crate) floor: Vec<(f64, f64)>,
}

/// A target at one store size: the most the page may take there.
pub(crate) struct Target {
    pub(crate) size: f64,
    pub(crate) ms: f64,
    pub(crate) label: String,
}

fn in_series<'a>(line: &'a Line, series: &str) -> Vec<&'a Figure> {
    line.rows
        .iter()
        .filter(|f| f.series.as_deref() == Some(series))
        .collect()
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

/// The run's page and floor lines, if it measured the page.
pub(crate) fn run(line: &Line) -> Option<Run> {
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
    let date = line.context.date.get(..10).unwrap_or(&line.context.date);
    let name = format!("{date} ({})", short_commit(&line.context));
    Some(Run { name, page, floor })
}

/// The run's targets for the page: an absolute bound, or a ratio of the floor of its run.
pub(crate) fn targets(line: &Line) -> Vec<Target> {
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
            let ms = ratio * floor;
            targets.push(Target { size, ms, label });
        }
    }
    targets
}

#[cfg(test)]
mod tests {
    use super::*;

    fn figure(series: &str, size: usize, value: f64, floor: Option<f64>) -> Figure {
        let mut f = Figure::from(&crate::report::row("page", value, "ms", None, floor, None));
        f.series = Some(series.into());
        f.size = Some(size);
        f
    }

    #[test]
    fn a_run_is_its_page_by_size_beside_the_floor_of_each_row() {
        let mut line = crate::history::tests::line("2026-12-03T15:00:00Z", 8.0);
        line.rows.push(figure(PAGE, 1_000, 1.5, Some(0.1)));
        let run = run(&line).unwrap();
        assert_eq!(run.page, [(1_000.0, 1.5), (100_000.0, 8.0)]);
        assert_eq!(run.floor, [(1_000.0, 0.1), (100_000.0, 0.4124)]);
        assert_eq!(run.name, "2026-12-03 (2c94dd3)");
    }

    #[test]
    fn the_floor_s_own_rows_are_drawn_when_there_are_any() {
        let mut line = crate::history::tests::line("2026-12-03T15:00:00Z", 8.0);
        line.rows.push(figure(PAGE_FLOOR, 100_000, 0.9, None));
        assert_eq!(run(&line).unwrap().floor, [(100_000.0, 0.9)]);
    }

    #[test]
    fn a_run_without_the_page_is_not_drawn() {
        let mut line = crate::history::tests::line("2026-12-03T15:00:00Z", 8.0);
        line.rows.retain(|f| f.series.is_none());
        assert!(run(&line).is_none());
    }

    #[test]
    fn targets_are_absolute_or_a_ratio_of_the_run_s_floor() {
        let mut line = crate::history::tests::line("2026-12-03T15:00:00Z", 8.0);
        let mut at_1k = figure(PAGE, 1_000, 1.5, Some(0.2));
        at_1k.ratio_target = Some(3.0);
        line.rows.push(at_1k);
        let marks: Vec<(f64, f64, String)> = targets(&line)
            .into_iter()
            .map(|t| (t.size, t.ms, t.label))
            .collect();
        assert_eq!(
            marks,
            [
                (100_000.0, 5.0, "≤ 5 ms".to_string()),
                (1_000.0, 3.0 * 0.2, "≤ 3× floor".to_string())
            ]
        );
    }
}
