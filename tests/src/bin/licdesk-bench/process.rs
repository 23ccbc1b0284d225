//! `licdesk` as a shell or a script starts it: `licdesk --version` and `licdesk list` (the first
//! page of a store of 100,000 licenses) run as processes, their median (and with `--verbose`
//! their p95), beside a Rust program that does nothing (bench/floor-app's `licdesk-floor-exit`),
//! built in release and started the same way.

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use anyhow::{bail, Result};

use crate::data::big_store;
use crate::report::*;

/// Runs of each command (after one not counted, which brings the binaries into the page cache).
const RUNS: usize = 31;

/// Runs `command` to its end, its output read as a pipe would; the time in ms.
fn run_once(command: &mut Command) -> Result<f64> {
    let start = Instant::now();
    let out = command.output()?;
    let took = ms(start.elapsed());
    if !out.status.success() {
        bail!(
            "{:?} failed ({}): {}",
            command,
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
    }
    Ok(took)
}

pub(crate) fn processes(dir: &Path, n: usize, rows: &mut Vec<Row>) -> Result<()> {
    let release = licdesk_tests::target_release();
    let (cli, peer) = (release.join("licdesk"), release.join("licdesk-floor-exit"));
    for binary in [&cli, &peer] {
        if !binary.exists() {
            bail!("{} is missing: make bench builds it", binary.display());
        }
    }
    let store = dir.join(format!("process-{n}.sqlite"));
    big_store(&store, n)?;
    let mut version = Command::new(&cli);
    version.arg("--version");
    let mut list = Command::new(&cli);
    list.arg("--store").arg(&store).arg("list");
    let mut nothing = Command::new(&peer);
    let first_page = String::from_utf8(list.output()?.stdout)?;
    if first_page.lines().count() < 100 {
        bail!("licdesk list printed no page of 100 licenses:\n{first_page}");
    }
    let [mut version_ms, mut list_ms, mut peer_ms] = [Vec::new(), Vec::new(), Vec::new()];
    // In turn, so that a change of load on the machine weighs on the three alike.
    for run in 0..=RUNS {
        let times = [
            run_once(&mut nothing)?,
            run_once(&mut version)?,
            run_once(&mut list)?,
        ];
        if run > 0 {
            peer_ms.push(times[0]);
            version_ms.push(times[1]);
            list_ms.push(times[2]);
        }
    }
    // The rows hold the median: a start is a few milliseconds, and on a shared machine one run
    // in twenty waits for a core as long (the peer's p95 is several times its p50 here).
    let peer_p50 = percentile(peer_ms.clone(), 0.5);
    if verbose() {
        for (what, samples) in [
            ("licdesk-floor-exit (does nothing)", &peer_ms),
            ("licdesk --version", &version_ms),
            (&format!("licdesk list, {n} licenses") as &str, &list_ms),
        ] {
            eprintln!(
                "bench:   {what} as a process: p50 {:.2} ms, p95 {:.2} ms",
                percentile(samples.clone(), 0.5),
                percentile(samples.clone(), 0.95)
            );
        }
    }
    for (figure, samples, target) in [
        (
            "licdesk --version as a process".to_string(),
            version_ms,
            5.0,
        ),
        (
            format!("licdesk list (first page) as a process, {n} licenses"),
            list_ms,
            20.0,
        ),
    ] {
        rows.push(
            row(
                &format!("{figure}, p50 of {RUNS}"),
                percentile(samples, 0.5),
                "ms",
                Some(target),
                Some(peer_p50),
                None,
            )
            .floor_is("a Rust program that exits (licdesk-floor-exit), p50"),
        );
    }
    Ok(())
}
