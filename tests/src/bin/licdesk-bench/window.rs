//! The window: its start to the first rows painted and its memory, beside the minimal Tauri app
//! (bench/floor-app) and beside itself on an empty store; the binaries' sizes.

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{bail, Context, Result};
use licdesk_store::Store;
use licdesk_tests::app::{App, AppHome};

use crate::data::*;
use crate::procfs::{process_start_epoch_ms, settled_memory, Memory};
use crate::report::*;

/// Launches of each app for its start; the median counts. A start varies by tens of
/// milliseconds from one launch to the next on a shared machine: 15 make the median steady.
const RUNS: usize = 15;

/// Of those, the launches whose memory is measured (once idle, which takes up to a minute
/// each; the memory varies little).
const MEMORY_RUNS: usize = 5;

/// Where a start goes, read in the page once the first rows painted: the navigation's start
/// (`timeOrigin`), the end of DOMContentLoaded (the page and its modules loaded and run) and the
/// `licdesk:first-rows` mark, all in milliseconds since the Unix epoch.
const START_PHASES: &str = "
    const m = performance.getEntriesByName('licdesk:first-rows')[0];
    if (!m) return null;
    const nav = performance.getEntriesByType('navigation')[0];
    const o = performance.timeOrigin;
    return [o, nav ? o + nav.domContentLoadedEventEnd : o, o + m.startTime];";

/// One app measured: a binary on a store (or none, for the floor app).
struct Subject {
    what: String,
    binary: PathBuf,
    home: AppHome,
    /// Per launch: process start → navigation start → DOMContentLoaded → first rows, in ms.
    phases: Vec<[f64; 3]>,
    /// Per launch: the PSS of each process (the app, its WebKit processes), in MiB, just after
    /// the first paint and once idle.
    memory: Vec<Memory>,
}

impl Subject {
    fn new(what: &str, binary: PathBuf, home_dir: &Path) -> Result<Subject> {
        std::fs::create_dir_all(home_dir)?;
        Ok(Subject {
            what: what.into(),
            binary,
            home: AppHome::in_dir(home_dir),
            phases: Vec::new(),
            memory: Vec::new(),
        })
    }

    /// Starts the app once, waits for its first rows (and, with `memory`, for its memory to
    /// settle), then stops it.
    fn launch(&mut self, memory: bool) -> Result<()> {
        let app = App::launch_binary(&self.home, &self.binary);
        let pid = app
            .app_pid()
            .with_context(|| format!("no {} process below tauri-driver", self.what))?;
        let started = process_start_epoch_ms(pid)?;
        // Each UI leaves a performance mark in the frame after its first rows painted.
        let [origin, loaded, painted] = app
            .s()
            .wait_for("the first rows to paint", Duration::from_secs(30), |s| {
                let v = s.execute(START_PHASES, vec![])?;
                Ok(serde_json::from_value::<[f64; 3]>(v).ok())
            })
            .map_err(anyhow::Error::msg)?;
        self.phases
            .push([origin - started, loaded - origin, painted - loaded]);
        if memory {
            self.memory.push(settled_memory(pid));
        }
        Ok(())
    }

    /// The median start to first rows, in ms.
    fn start(&self) -> f64 {
        percentile(self.phases.iter().map(|p| p.iter().sum()).collect(), 0.5)
    }

    /// The median PSS of the app and its WebKit processes once idle, in MiB.
    fn pss(&self) -> f64 {
        median_total(self.memory.iter().map(|m| &m.idle))
    }

    /// The median PSS just after the first paint, in MiB.
    fn pss_early(&self) -> f64 {
        median_total(self.memory.iter().map(|m| &m.early))
    }

    /// `--verbose`: where the start and the memory go, each part's median.
    fn explain(&self) {
        let phase = |i: usize| percentile(self.phases.iter().map(|p| p[i]).collect(), 0.5);
        eprintln!(
            "bench:   {}: start {:.0} ms = process to navigation {:.0} + page and modules \
             loaded {:.0} + to first rows painted {:.0} (medians)",
            self.what,
            self.start(),
            phase(0),
            phase(1),
            phase(2)
        );
        let mut names: Vec<&str> = Vec::new();
        for (name, _) in self.memory.iter().flat_map(|m| &m.idle) {
            if !names.contains(&name.as_str()) {
                names.push(name);
            }
        }
        let parts: Vec<String> = names
            .iter()
            .map(|name| {
                let each = self
                    .memory
                    .iter()
                    .map(|m| {
                        m.idle
                            .iter()
                            .filter(|(n, _)| n == name)
                            .map(|(_, v)| v)
                            .sum()
                    })
                    .collect();
                format!("{name} {:.1}", percentile(each, 0.5))
            })
            .collect();
        eprintln!(
            "bench:   {}: PSS once idle {:.1} MiB = {} (medians); just after the first paint {:.1} MiB",
            self.what,
            self.pss(),
            parts.join(" + "),
            self.pss_early()
        );
    }
}

/// Start of the real app (release build, under Xvfb, through tauri-driver as in the end-to-end
/// tests) to its first rows painted, and its memory once settled, with `n` licenses, beside the
/// minimal Tauri app and the app on an empty store, started in turn in each round so that a
/// change of load on the machine weighs on all three alike. Then the page time in the window.
pub(crate) fn window(dir: &Path, n: usize, rows: &mut Vec<Row>) -> Result<()> {
    let release = licdesk_tests::target_release();
    let (app_binary, floor_binary) = (
        release.join("licdesk-app"),
        release.join("licdesk-floor-app"),
    );
    for binary in [&app_binary, &floor_binary] {
        if !binary.exists() {
            bail!("{} is missing: make bench builds it", binary.display());
        }
    }
    let mut floor = Subject::new("minimal Tauri app", floor_binary, &dir.join("window-floor"))?;
    let mut empty = Subject::new(
        "licdesk-app, empty store",
        app_binary.clone(),
        &dir.join("window-empty"),
    )?;
    drop(Store::open(&empty.home.store)?);
    let mut full = Subject::new(
        &format!("licdesk-app, {n} licenses"),
        app_binary.clone(),
        &dir.join("window-full"),
    )?;
    big_store(&full.home.store, n)?;
    for round in 0..RUNS {
        for subject in [&mut floor, &mut empty, &mut full] {
            subject.launch(round < MEMORY_RUNS)?;
        }
    }
    if verbose() {
        for subject in [&floor, &empty, &full] {
            subject.explain();
        }
    }
    rows.push(
        row(
            &format!("window start to first rows painted, {n} licenses, median of {RUNS}"),
            full.start(),
            "ms",
            None,
            Some(floor.start()),
            Some(1.3),
        )
        .floor_is("minimal Tauri app (bench/floor-app), same run"),
    );
    rows.push(
        row(
            &format!("window start to first rows painted, {n} vs 0 licenses, median of {RUNS}"),
            full.start(),
            "ms",
            None,
            Some(empty.start()),
            Some(1.1),
        )
        .floor_is("licdesk-app on an empty store, same run"),
    );
    rows.push(
        row(
            &format!("window memory once idle (PSS, app + WebKit), {n} licenses, median of {MEMORY_RUNS}"),
            full.pss(),
            "MiB",
            None,
            Some(floor.pss()),
            Some(1.1),
        )
        .floor_is("minimal Tauri app (bench/floor-app), same run"),
    );
    rows.push(
        row(
            &format!(
                "window memory just after the first paint, {n} licenses, median of {MEMORY_RUNS}"
            ),
            full.pss_early(),
            "MiB",
            None,
            Some(floor.pss_early()),
            None,
        )
        .floor_is("minimal Tauri app (bench/floor-app), same run"),
    );
    crate::window_page::page_time(&full.home, &app_binary, n, rows)
}

pub(crate) fn binary_sizes(rows: &mut Vec<Row>) {
    for name in ["licdesk-app", "licdesk", "licdesk-issuer"] {
        let path = licdesk_tests::target_release().join(name);
        if let Ok(meta) = std::fs::metadata(&path) {
            rows.push(row(
                &format!("release binary {name}, stripped"),
                meta.len() as f64 / (1024.0 * 1024.0),
                "MiB",
                None,
                None,
                None,
            ));
        }
    }
}

/// The median over launches of the PSS summed over an app's processes.
fn median_total<'a>(launches: impl Iterator<Item = &'a Vec<(String, f64)>>) -> f64 {
    percentile(
        launches
            .map(|m| m.iter().map(|(_, mib)| mib).sum())
            .collect(),
        0.5,
    )
}
