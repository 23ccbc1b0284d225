//! The run's one table, for a terminal of 160 columns: figure | value | floor or peer | ratio |
//! target | pass, the rows under their part, long cells wrapped within their column.

use crate::report::{tally, Row};

/// The columns' widths in characters; with the gaps between them, 158 in all.
const FIGURE: usize = 58;
const VALUE: usize = 10;
const FLOOR: usize = 42;
const RATIO: usize = 7;
const TARGET: usize = 16;
const PASS: usize = 5;
const GAP: &str = "  ";

/// The table as lines: a heading, then each part's rows under its name.
pub(crate) fn render(rows: &[Row]) -> Vec<String> {
    let mut lines = vec![line(
        [
            "figure",
            "value",
            "floor or peer",
            "ratio",
            "target",
            "pass",
        ]
        .map(String::from),
    )];
    let width = lines[0].chars().count();
    let mut part = None;
    for row in rows {
        if row.part != part {
            part = row.part;
            let heading = format!("── {} ", part.unwrap_or("other"));
            let rule = "─".repeat(width.saturating_sub(heading.chars().count()));
            lines.push(format!("{heading}{rule}"));
        }
        lines.extend(row_lines(row));
    }
    lines
}

/// The run's last line: how many of the rows that have a target pass, and which do not.
pub(crate) fn verdict(rows: &[Row]) -> String {
    let (passed, with_target) = tally(rows);
    let failed: Vec<&str> = rows
        .iter()
        .filter(|r| r.pass == Some(false))
        .map(|r| r.figure.as_str())
        .collect();
    match (with_target, failed.is_empty()) {
        (0, _) => "no row has a target".into(),
        (_, true) => format!("{passed} of {with_target} rows pass"),
        (_, false) => format!(
            "{passed} of {with_target} rows pass; missed: {}",
            failed.join("; ")
        ),
    }
}

fn row_lines(row: &Row) -> Vec<String> {
    let floor = row.floor.map(|f| {
        let value = quantity(f, row.unit);
        match &row.floor_is {
            Some(what) => format!("{value} ({what})"),
            None => value,
        }
    });
    let figure = wrap(&row.figure, FIGURE, 2);
    let floor = wrap(floor.as_deref().unwrap_or("—"), FLOOR, 2);
    let height = figure.len().max(floor.len());
    (0..height)
        .map(|i| {
            let first = i == 0;
            let cell = |lines: &[String]| lines.get(i).cloned().unwrap_or_default();
            let only_first = |text: String| if first { text } else { String::new() };
            line([
                cell(&figure),
                only_first(quantity(row.value, row.unit)),
                cell(&floor),
                only_first(row.ratio.map_or("—".into(), |r| format!("{}×", number(r)))),
                only_first(target(row)),
                only_first(match row.pass {
                    Some(true) => "pass".into(),
                    Some(false) => "FAIL".into(),
                    None => "—".into(),
                }),
            ])
        })
        .collect()
}

/// One line of the table; the figure and floor are left-aligned, the rest right-aligned.
fn line(cells: [String; 6]) -> String {
    let [figure, value, floor, ratio, target, pass] = cells;
    let text = format!(
        "{}{GAP}{}{GAP}{}{GAP}{}{GAP}{}{GAP}{}",
        pad_right(&figure, FIGURE),
        pad_left(&value, VALUE),
        pad_right(&floor, FLOOR),
        pad_left(&ratio, RATIO),
        pad_left(&target, TARGET),
        pad_left(&pass, PASS)
    );
    text.trim_end().to_string()
}

/// "≤ 3× · ≤ 30 ms": the ratio target, then the absolute one.
pub(crate) fn target(row: &Row) -> String {
    let ratio = row.ratio_target.map(|r| format!("≤ {}×", number(r)));
    let absolute = row.target.map(|t| format!("≤ {}", quantity(t, row.unit)));
    match (ratio, absolute) {
        (Some(r), Some(a)) => format!("{r} · {a}"),
        (Some(one), None) | (None, Some(one)) => one,
        (None, None) => "—".into(),
    }
}

pub(crate) fn quantity(v: f64, unit: &str) -> String {
    format!("{} {unit}", number(v))
}

/// Three significant digits, no more decimals than that needs: 1266, 445, 12.3, 1.41, 0.0412.
pub(crate) fn number(v: f64) -> String {
    if v == 0.0 || !v.is_finite() {
        return format!("{v}");
    }
    let magnitude = v.abs().log10().floor() as i32;
    let decimals = (2 - magnitude).max(0) as usize;
    let text = format!("{v:.decimals$}");
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text
    }
}

/// `text` in lines of at most `width` characters, broken at spaces (a longer word is cut), the
/// lines after the first indented by `indent`.
pub(crate) fn wrap(text: &str, width: usize, indent: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    for word in text.split_whitespace() {
        let room = |lines: &Vec<String>| width - if lines.is_empty() { 0 } else { indent };
        let mut word: String = word.into();
        loop {
            let used = current.chars().count();
            let needed = word.chars().count() + usize::from(used > 0);
            if used + needed <= room(&lines) {
                if used > 0 {
                    current.push(' ');
                }
                current.push_str(&word);
                break;
            }
            if used > 0 {
                lines.push(std::mem::take(&mut current));
                continue;
            }
            // A word longer than a whole line: cut it.
            let cut: String = word.chars().take(room(&lines)).collect();
            word = word.chars().skip(room(&lines)).collect();
            lines.push(cut);
        }
    }
    if !current.is_empty() || lines.is_empty() {
        lines.push(current);
    }
    let pad = " ".repeat(indent);
    lines
        .into_iter()
        .enumerate()
        .map(|(i, l)| if i == 0 { l } else { format!("{pad}{l}") })
        .collect()
}

fn pad_right(text: &str, width: usize) -> String {
    let len = text.chars().count();
    format!("{text}{}", " ".repeat(width.saturating_sub(len)))
}

fn pad_left(text: &str, width: usize) -> String {
    let len = text.chars().count();
    format!("{}{text}", " ".repeat(width.saturating_sub(len)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::row;

    #[test]
    fn numbers_keep_three_significant_digits() {
        assert_eq!(number(1266.4), "1266");
        assert_eq!(number(445.0), "445");
        assert_eq!(number(12.34), "12.3");
        assert_eq!(number(1.41), "1.41");
        assert_eq!(number(1.3), "1.3");
        assert_eq!(number(5.0), "5");
        assert_eq!(number(0.04123), "0.0412");
        assert_eq!(number(0.0), "0");
    }

    #[test]
    fn targets_read_ratio_then_absolute() {
        let both = row("p", 9.0, "ms", Some(30.0), Some(3.0), Some(3.0));
        assert_eq!(target(&both), "≤ 3× · ≤ 30 ms");
        assert_eq!(
            target(&row("p", 9.0, "ms", Some(5.0), None, None)),
            "≤ 5 ms"
        );
        assert_eq!(
            target(&row("p", 9.0, "ms", None, Some(3.0), Some(1.3))),
            "≤ 1.3×"
        );
        assert_eq!(target(&row("p", 9.0, "ms", None, None, None)), "—");
    }

    #[test]
    fn long_text_wraps_at_spaces_within_its_width() {
        let lines = wrap("window start to first rows painted, 100000 licenses", 20, 2);
        assert_eq!(
            lines,
            [
                "window start to",
                "  first rows",
                "  painted, 100000",
                "  licenses"
            ]
        );
        assert!(lines.iter().all(|l| l.chars().count() <= 20));
        assert_eq!(wrap("abcdefghij", 4, 0), ["abcd", "efgh", "ij"]);
        assert_eq!(wrap("", 10, 2), [""]);
    }

    #[test]
    fn the_table_fits_160_columns_and_its_verdict_names_the_rows_that_miss() {
        let mut rows = vec![
            row(
                "a figure whose name is far too long for its column in the table, p95, 1000000 licenses",
                12.0,
                "ms",
                Some(10.0),
                Some(2.0),
                None,
            )
            .floor_is("a raw SQLite query for the same page, unordered, without its count"),
            row("a figure without a target", 1.0, "MiB", None, None, None),
            row("a figure that passes", 1.0, "ms", None, Some(1.0), Some(1.3)),
        ];
        rows[0].part = Some("listing");
        rows[1].part = Some("listing");
        rows[2].part = Some("import");
        let lines = render(&rows);
        assert!(lines.iter().all(|l| l.chars().count() <= 160), "{lines:#?}");
        assert_eq!(
            verdict(&rows),
            format!("1 of 2 rows pass; missed: {}", rows[0].figure)
        );
        assert_eq!(verdict(&rows[1..]), "1 of 1 rows pass");
        assert_eq!(verdict(&rows[1..2]), "no row has a target");
        assert!(lines.iter().any(|l| l.starts_with("── listing ")));
        assert!(lines.iter().any(|l| l.starts_with("── import ")));
        assert!(lines.iter().any(|l| l.ends_with("FAIL")));
    }
}
