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

/// Readings 250 ms apart, the window within which the first paint's memory counts as settled.
const EARLY_STEP_MS: u64 = 250;
/// Readings 500 ms apart once past that; idle is 10 s (20 readings) within 0.5 MiB, at most 60 s
/// after the first paint.
const IDLE_STEP_MS: u64 = 500;
const IDLE_READINGS: usize = 20;
const IDLE_MOST_MS: u64 = 60_000;

/// The memory of an app and its WebKit processes, by process, in MiB: twice.
pub(crate) struct Memory {
    /// Just after the first paint: the first two readings 250 ms apart that differ by less than
    /// 1 MiB (at most 5 s).
    pub(crate) early: Vec<(String, f64)>,
    /// Once idle: the last reading after 10 s in which the total moved by less than 0.5 MiB.
    /// WebKit frees much of a page's start in the seconds after the first paint — its garbage
    /// collection of the start's scripts and its allocator's return of freed pages (seen: 7 MiB
    /// over 3 to 30 s in licdesk-app's web process, nothing in the minimal app's) — so the
    /// early reading is a moment of the start, this one what the window holds while it is used.
    pub(crate) idle: Vec<(String, f64)>,
}

fn total(p: &[(String, f64)]) -> f64 {
    p.iter().map(|(_, mib)| mib).sum()
}

/// The memory of `root` and every process below it, just after its first paint and once idle.
pub(crate) fn settled_memory(root: u32) -> Memory {
    let sleep = |ms| std::thread::sleep(std::time::Duration::from_millis(ms));
    let mut early = pss_by_process(root);
    for _ in 0..20 {
        sleep(EARLY_STEP_MS);
        let now = pss_by_process(root);
        let settled = (total(&now) - total(&early)).abs() < 1.0;
        early = now;
        if settled {
            break;
        }
    }
    let mut readings = vec![early.clone()];
    let mut waited = 0;
    while waited < IDLE_MOST_MS {
        sleep(IDLE_STEP_MS);
        waited += IDLE_STEP_MS;
        readings.push(pss_by_process(root));
        if readings.len() > IDLE_READINGS {
            let last = &readings[readings.len() - IDLE_READINGS - 1..];
            let totals: Vec<f64> = last.iter().map(|r| total(r)).collect();
            let (low, high) = totals
                .iter()
                .fold((f64::MAX, f64::MIN), |(l, h), t| (l.min(*t), h.max(*t)));
            if high - low < 0.5 {
                break;
            }
        }
    }
    let idle = readings.pop().unwrap_or_else(|| early.clone());
    Memory { early, idle }
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

/// The CPU time this process has used so far on every core, in ms (user and system, from
/// /proc/self/stat: ticks of 10 ms).
pub(crate) fn own_cpu_ms() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return 0.0;
    };
    // The fields after the command name (which may hold spaces), from the third on.
    let Some(after_name) = stat.rsplit_once(')').map(|(_, rest)| rest) else {
        return 0.0;
    };
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    (ticks(11) + ticks(12)) * 10.0
}
