//! The window: its start to the first rows painted and its memory; the binaries' sizes.

use std::path::Path;
use std::time::Duration;

use anyhow::{bail, Context, Result};
use licdesk_store::Store;

use crate::data::*;
use crate::report::*;

/// PSS of a process and every process below it, in MiB.
pub(crate) fn pss_tree(root: u32) -> f64 {
    let kb: u64 = licdesk_tests::app::process_tree(root)
        .into_iter()
        .filter_map(|pid| std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup")).ok())
        .filter_map(|text| {
            text.lines()
                .find(|l| l.starts_with("Pss:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse::<u64>().ok())
        })
        .sum();
    kb as f64 / 1024.0
}

/// When process `pid` started, in milliseconds since the Unix epoch (to the kernel's clock tick,
/// 10 ms here): its start in ticks after boot, against the uptime and the wall clock read now.
pub(crate) fn process_start_epoch_ms(pid: u32) -> Result<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat"))?;
    // Field 22 (starttime); the fields after the parenthesised command name start at field 3.
    let start_ticks: f64 = stat
        .rsplit_once(')')
        .and_then(|(_, rest)| rest.split_whitespace().nth(19))
        .context("no start time in /proc/PID/stat")?
        .parse()?;
    let ticks_per_second: f64 = std::process::Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .and_then(|t| t.trim().parse().ok())
        .unwrap_or(100.0);
    let uptime: f64 = std::fs::read_to_string("/proc/uptime")?
        .split_whitespace()
        .next()
        .context("empty /proc/uptime")?
        .parse()?;
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH)?;
    Ok(ms(now) - (uptime - start_ticks / ticks_per_second) * 1000.0)
}

/// Start of the real app (release build, under Xvfb, through tauri-driver as in the end-to-end
/// tests) to its first rows painted, and its memory once settled.
pub(crate) fn window(dir: &Path, n: usize, rows: &mut Vec<Row>) -> Result<()> {
    let app_binary = licdesk_tests::target_release().join("licdesk-app");
    if !app_binary.exists() {
        bail!("{} is missing: make bench builds it", app_binary.display());
    }
    let measure = |name: &str, licenses: usize| -> Result<(f64, f64)> {
        let home_dir = dir.join(format!("window-{name}"));
        std::fs::create_dir_all(&home_dir)?;
        let home = licdesk_tests::app::AppHome::in_dir(&home_dir);
        if licenses > 0 {
            big_store(&home.store, licenses)?;
        } else {
            drop(Store::open(&home.store)?);
        }
        let mut starts = Vec::new();
        let mut memory = Vec::new();
        for _ in 0..5 {
            let app = licdesk_tests::app::App::launch_binary(&home, &app_binary);
            let pid = app
                .app_pid()
                .context("no licdesk-app process below tauri-driver")?;
            let started = process_start_epoch_ms(pid)?;
            // The UI leaves a performance mark in the frame after its first rows painted.
            let painted = app
                .s()
                .wait_for("the first rows to paint", Duration::from_secs(30), |s| {
                    let v = s.execute(
                        "const m = performance.getEntriesByName('licdesk:first-rows')[0];\
                         return m ? performance.timeOrigin + m.startTime : null;",
                        vec![],
                    )?;
                    Ok(v.as_f64())
                })
                .map_err(anyhow::Error::msg)?;
            starts.push(painted - started);
            std::thread::sleep(Duration::from_millis(1500));
            memory.push(pss_tree(pid));
        }
        Ok((percentile(starts, 0.5), percentile(memory, 0.5)))
    };
    let (empty_start, empty_pss) = measure("empty", 0)?;
    let (full_start, full_pss) = measure("full", n)?;
    rows.push(row(
        &format!("window start to first rows painted, {n} licenses, median of 5"),
        full_start,
        "ms",
        Some(500.0),
        Some(empty_start),
        Some(1.2),
    ));
    rows.push(row(
        &format!("window memory (PSS, app + WebKit), {n} licenses, median of 5"),
        full_pss,
        "MiB",
        None,
        Some(empty_pss),
        Some(1.15),
    ));
    Ok(())
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
