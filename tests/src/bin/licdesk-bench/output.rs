//! What a run leaves behind: the table on stdout, target/bench/PART.json for each part that ran
//! and target/bench/bench.json for all of them, a line in the history and its plot redrawn.

use std::path::Path;

use anyhow::{Context as _, Result};
use serde::Serialize;

use crate::context::{short_commit, Context};
use crate::report::{tally, Row};
use crate::{history, plot, table};

#[derive(Serialize)]
struct Results<'a> {
    context: &'a Context,
    /// Of the rows that have a target, how many met it.
    passed: usize,
    with_target: usize,
    rows: Vec<&'a Row>,
}

/// Publishes the run; true when every row that has a target met it. Without `keep_history`
/// (`--no-history`), or from a debug build (whose figures compare with no release run's), the
/// history and its plot are left as they are.
pub(crate) fn publish(context: &Context, rows: &[Row], keep_history: bool) -> Result<bool> {
    let m = &context.machine;
    println!(
        "licdesk-bench {} · {} ({} build) · {} · {} cores · {} GiB · load {} at start, {} at end",
        context.date,
        short_commit(context),
        context.build,
        m.cpu,
        m.cores,
        m.memory_gib,
        m.load_start[0],
        m.load_end[0]
    );
    for line in table::render(rows) {
        println!("{line}");
    }
    println!();
    let (passed, with_target) = tally(rows);

    let out = licdesk_tests::target_dir().join("bench");
    std::fs::create_dir_all(&out).with_context(|| format!("creating {}", out.display()))?;
    // target/ may be named through the tests crate (tests/../target): say where it really is.
    let out = out.canonicalize().unwrap_or(out);
    for part in &context.parts {
        let its = rows.iter().filter(|r| r.part == Some(part.as_str()));
        write_json(&out.join(format!("{part}.json")), context, its)?;
    }
    write_json(&out.join("bench.json"), context, rows.iter())?;
    println!(
        "JSON: {}/{{bench,{}}}.json",
        out.display(),
        context.parts.join(",")
    );

    if context.build != "release" {
        println!(
            "History: left as it is (a {} build's figures are not comparable)",
            context.build
        );
    } else if keep_history {
        let docs = history::docs_dir();
        std::fs::create_dir_all(&docs)?;
        let path = docs.join("history.jsonl");
        history::append(
            &path,
            &history::Line {
                context: context.clone(),
                passed,
                with_target,
                rows: rows.iter().map(history::Figure::from).collect(),
            },
        )?;
        let svg = docs.join("history.svg");
        std::fs::write(&svg, plot::svg(&history::read(&path)?))
            .with_context(|| format!("writing {}", svg.display()))?;
        println!(
            "History: a line added to {}, plot redrawn in {}",
            path.display(),
            svg.display()
        );
    }
    println!("{}", table::verdict(rows));
    Ok(passed == with_target)
}

fn write_json<'a>(
    path: &Path,
    context: &Context,
    rows: impl Iterator<Item = &'a Row>,
) -> Result<()> {
    let rows: Vec<&Row> = rows.collect();
    let (passed, with_target) = tally(rows.iter().copied());
    let results = Results {
        context,
        passed,
        with_target,
        rows,
    };
    std::fs::write(path, serde_json::to_string_pretty(&results)?)
        .with_context(|| format!("writing {}", path.display()))
}
