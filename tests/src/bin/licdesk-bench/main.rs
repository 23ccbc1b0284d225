//! `make bench`: License Desk's speed and memory figures on generated data, each beside a floor
//! measured in the same run (the same work done the plainest possible way), as one table, as
//! JSON in target/bench/ and as a line in the history (docs/bench/history.jsonl) that its plot
//! (docs/bench/history.svg) draws. It exits with an error when a row misses its target.
//!
//!     licdesk-bench [--licenses N] [--sizes 1000,10000,100000,1000000] [--files N] [--no-window]
//!                   [--check-licenses 10000,1000000]
//!                   [--only import|memory|listing|single|check|window|window-import|process|binaries|teams]
//!                   [--verbose] [--no-history]

mod activations;
mod check;
mod context;
mod data;
mod history;
mod import;
mod listing;
mod output;
mod plot;
mod process;
mod procfs;
mod report;
mod runs;
mod scale;
mod single;
mod sorted;
mod table;
mod team_sync;
mod teams;
mod window;
mod window_import;
mod window_page;

use std::process::ExitCode;

use anyhow::Result;

use report::*;

pub(crate) fn main() -> Result<ExitCode> {
    let start = context::Start::now();
    let args: Vec<String> = std::env::args().collect();
    let arg = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let licenses: usize = arg("--licenses")
        .map(|v| v.parse())
        .transpose()?
        .unwrap_or(100_000);
    let files: usize = arg("--files")
        .map(|v| v.parse())
        .transpose()?
        .unwrap_or(10_000);
    let sizes: Vec<usize> = arg("--sizes")
        .map(|s| {
            s.split(',')
                .map(|v| v.trim().parse())
                .collect::<Result<_, _>>()
        })
        .transpose()?
        .unwrap_or_else(|| vec![1_000, 10_000, licenses, 1_000_000]);
    let dir = tempfile::tempdir()?;
    // `--only NAME` runs one part: import, memory, listing, single, check, window, window-import,
    // process, binaries, teams. Each part's rows are its own (target/bench/PART.json).
    let mut rows = Rows::new(arg("--only"));
    let with_window = !args.iter().any(|a| a == "--no-window");
    if rows.part("import") {
        eprintln!("bench: bulk import of {files} files …");
        import::bulk_import(dir.path(), files, &mut rows)?;
    }
    if rows.part("memory") {
        eprintln!("bench: memory of a bulk import of 60 files of 8 MiB …");
        import::bulk_memory(dir.path(), 60, &mut rows)?;
    }
    if rows.part("listing") {
        eprintln!("bench: listing and search at {sizes:?} licenses …");
        listing::listing(dir.path(), &sizes, &mut rows)?;
    }
    if rows.part("single") {
        eprintln!("bench: hardware ID, request, response …");
        single::single_operations(dir.path(), &mut rows)?;
    }
    if rows.part("check") {
        // Two sizes by default: the check's cost must not grow with the licenses.
        let check_sizes: Vec<usize> = arg("--check-licenses")
            .map(|s| {
                s.split(',')
                    .map(|v| v.trim().parse())
                    .collect::<Result<_, _>>()
            })
            .transpose()?
            .unwrap_or_else(|| vec![10_000, 1_000_000]);
        for n in check_sizes {
            eprintln!("bench: check on a store of {n} licenses …");
            check::check_cost(dir.path(), n, &mut rows)?;
        }
    }
    if with_window && rows.part("window-import") {
        eprintln!("bench: the window's import of {files} files, and licdesk import of them …");
        window_import::window_import(dir.path(), files, &mut rows)?;
    }
    if with_window && rows.part("window") {
        eprintln!(
            "bench: the window with {licenses} licenses, the minimal Tauri app, the window empty …"
        );
        window::window(dir.path(), licenses, &mut rows)?;
    }
    if rows.part("process") {
        eprintln!("bench: licdesk --version and licdesk list as processes, {licenses} licenses …");
        process::processes(dir.path(), licenses, &mut rows)?;
    }
    if rows.part("teams") {
        eprintln!("bench: teams: the ledger and the store on PostgreSQL, sync of {files} files …");
        teams::teams(dir.path(), files, &mut rows)?;
    }
    if rows.part("binaries") {
        window::binary_sizes(&mut rows);
    }

    let (parts, rows) = rows.finish()?;
    let context = start.until_now(
        args[1..].to_vec(),
        parts.into_iter().map(String::from).collect(),
    );
    let keep_history = !args.iter().any(|a| a == "--no-history");
    let every_target_met = output::publish(&context, &rows, keep_history)?;
    Ok(if every_target_met {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
