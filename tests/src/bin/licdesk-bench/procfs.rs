//! What /proc says of a running app: its processes' memory and when it started.

use anyhow::{Context, Result};

use crate::report::ms;

/// The PSS of `root` and of every process below it, in MiB, by command name (the app, its
/// WebKitWebProcess, its WebKitNetworkProcess), largest first.
pub(crate) fn pss_by_process(root: u32) -> Vec<(String, f64)> {
    let mut by_name: Vec<(String, f64)> = Vec::new();
    for pid in licdesk_tests::app::process_tree(root) {
        let Ok(text) = std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup")) else {
            continue; // ended meanwhile
        };
        let Some(kb) = text
            .lines()
            .find(|l| l.starts_with("Pss:"))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse::<u64>().ok())
        else {
            continue;
        };
        let name = std::fs::read_to_string(format!("/proc/{pid}/comm"))
            .map(|n| n.trim().to_string())
            .unwrap_or_else(|_| pid.to_string());
        match by_name.iter_mut().find(|(n, _)| *n == name) {
            Some((_, mib)) => *mib += kb as f64 / 1024.0,
            None => by_name.push((name, kb as f64 / 1024.0)),
        }
    }
    by_name.sort_by(|a, b| b.1.total_cmp(&a.1));
    by_name
}

/// The PSS of `root` and every process below it, in MiB, once it has settled: read every
/// 250 ms until two readings in a row differ by less than 1 MiB (WebKit still maps and frees
/// memory for a while after the first paint), for at most 5 s.
pub(crate) fn settled_pss(root: u32) -> Vec<(String, f64)> {
    let total = |p: &[(String, f64)]| p.iter().map(|(_, mib)| mib).sum::<f64>();
    let mut last = pss_by_process(root);
    for _ in 0..20 {
        std::thread::sleep(std::time::Duration::from_millis(250));
        let now = pss_by_process(root);
        if (total(&now) - total(&last)).abs() < 1.0 {
            return now;
        }
        last = now;
    }
    last
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
