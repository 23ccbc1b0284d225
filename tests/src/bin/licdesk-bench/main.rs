//! `make bench`: License Desk's speed and memory figures on generated data, each beside a floor
//! measured in the same run (the same work done the plainest possible way), as a table and as
//! JSON in target/bench/.
//!
//!     licdesk-bench [--licenses N] [--sizes 1000,10000,100000,1000000] [--files N] [--no-window]
//!                   [--check-licenses 10000,1000000]
//!                   [--only import|memory|listing|single|check|window|window-import|process]
//!                   [--verbose]

mod check;
mod data;
mod import;
mod listing;
mod process;
mod procfs;
mod report;
mod single;
mod sorted;
mod window;
mod window_import;
mod window_page;

use anyhow::Result;

use report::*;

pub(crate) fn main() -> Result<()> {
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
    let mut rows = Vec::new();
    // `--only NAME` runs one part: import, memory, listing, single, check, window, window-import,
    // process.
    let only = arg("--only");
    let part = |name: &str| only.as_deref().is_none_or(|o| o == name);
    if part("import") {
        eprintln!("bench: bulk import of {files} files …");
        import::bulk_import(dir.path(), files, &mut rows)?;
    }
    if part("memory") {
        eprintln!("bench: memory of a bulk import of 60 files of 8 MiB …");
        import::bulk_memory(dir.path(), 60, &mut rows)?;
    }
    if part("listing") {
        eprintln!("bench: listing and search at {sizes:?} licenses …");
        listing::listing(dir.path(), &sizes, &mut rows)?;
    }
    if part("single") {
        eprintln!("bench: hardware ID, request, response …");
        single::single_operations(dir.path(), &mut rows)?;
    }
    if part("check") {
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
    if part("window-import") && !args.iter().any(|a| a == "--no-window") {
        eprintln!("bench: the window's import of {files} files, and licdesk import of them …");
        window_import::window_import(dir.path(), files, &mut rows)?;
    }
    if part("window") && !args.iter().any(|a| a == "--no-window") {
        eprintln!(
            "bench: the window with {licenses} licenses, the minimal Tauri app, the window empty …"
        );
        window::window(dir.path(), licenses, &mut rows)?;
    }
    if part("process") {
        eprintln!("bench: licdesk --version and licdesk list as processes, {licenses} licenses …");
        process::processes(dir.path(), licenses, &mut rows)?;
    }
    window::binary_sizes(&mut rows);

    println!(
        "{:<62} {:>10} {:>5} {:>9} {:>9} {:>7} {:>7} {:>5}",
        "figure", "value", "unit", "target", "floor", "ratio", "max", "pass"
    );
    for r in &rows {
        println!(
            "{:<62} {:>10} {:>5} {:>9} {:>9} {:>7} {:>7} {:>5}",
            r.figure,
            fmt(Some(r.value)),
            r.unit,
            fmt(r.target),
            fmt(r.floor),
            fmt(r.ratio),
            fmt(r.ratio_target),
            match r.pass {
                Some(true) => "yes",
                Some(false) => "NO",
                None => "—",
            }
        );
    }
    let out = licdesk_tests::target_dir().join("bench");
    std::fs::create_dir_all(&out)?;
    let json = out.join("bench.json");
    std::fs::write(
        &json,
        serde_json::to_string_pretty(
            &serde_json::json!({ "licenses": licenses, "files": files, "sizes": sizes, "rows": rows }),
        )?,
    )?;
    println!("\nJSON: {}", json.canonicalize()?.display());
    Ok(())
}
