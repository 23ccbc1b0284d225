//! The run's context, kept beside its figures: when, which commit, on what machine and how busy
//! it was, with which arguments. A figure means little without it on machines that are shared.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Context {
    /// When the run started, UTC, RFC 3339.
    pub(crate) date: String,
    /// The commit the bench was built from (`git rev-parse HEAD`), if git knows it.
    pub(crate) commit: Option<String>,
    /// Whether the worktree had changes beyond the bench's own history (docs/bench/).
    pub(crate) dirty: bool,
    /// The bench's build: "release" (as `make bench` builds it) or "debug".
    pub(crate) build: String,
    pub(crate) machine: Machine,
    /// The bench's arguments (`BENCH_ARGS`).
    pub(crate) args: Vec<String>,
    /// The parts that ran (their `--only` names): every part unless `--only` or `--no-window`.
    pub(crate) parts: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Machine {
    pub(crate) cpu: String,
    pub(crate) cores: usize,
    pub(crate) memory_gib: f64,
    pub(crate) kernel: String,
    /// The load averages (1, 5 and 15 minutes) when the run started and when it ended.
    pub(crate) load_start: [f64; 3],
    pub(crate) load_end: [f64; 3],
}

/// What is read when the run starts: before the work loads the machine, and before anyone
/// commits or edits during a long run.
pub(crate) struct Start {
    date: String,
    commit: Option<String>,
    dirty: bool,
    load: [f64; 3],
}

impl Start {
    pub(crate) fn now() -> Start {
        let seconds = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let repo = repository();
        Start {
            date: licdesk_core::Timestamp::from_unix(seconds as i64).to_string(),
            commit: git(&repo, &["rev-parse", "HEAD"]),
            // The bench's own history changes with every run: it does not make a build dirty.
            dirty: git(
                &repo,
                &["status", "--porcelain", "--", ".", ":(exclude)docs/bench"],
            )
            .is_some_and(|changes| !changes.is_empty()),
            load: load_average(),
        }
    }

    /// The context of the run that began at `self` and ends now.
    pub(crate) fn until_now(self, args: Vec<String>, parts: Vec<String>) -> Context {
        Context {
            date: self.date,
            commit: self.commit,
            dirty: self.dirty,
            build: if cfg!(debug_assertions) {
                "debug"
            } else {
                "release"
            }
            .into(),
            machine: Machine {
                cpu: cpu_model(),
                cores: std::thread::available_parallelism().map_or(0, |n| n.get()),
                memory_gib: memory_gib(),
                kernel: read_trimmed("/proc/sys/kernel/osrelease"),
                load_start: self.load,
                load_end: load_average(),
            },
            args,
            parts,
        }
    }
}

/// The repository the bench was built from (the tests crate's parent folder).
pub(crate) fn repository() -> PathBuf {
    let tests = Path::new(env!("CARGO_MANIFEST_DIR"));
    tests.parent().unwrap_or(tests).to_path_buf()
}

/// The commit and whether the worktree is dirty, in short: "2c94dd3" or "2c94dd3+dirty".
pub(crate) fn short_commit(context: &Context) -> String {
    let commit = context.commit.as_deref().unwrap_or("unknown");
    let short = &commit[..commit.len().min(7)];
    if context.dirty {
        format!("{short}+dirty")
    } else {
        short.to_string()
    }
}

fn git(repo: &Path, args: &[&str]) -> Option<String> {
    let out = Command::new("git")
        .arg("-C")
        .arg(repo)
        .args(args)
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

fn read_trimmed(path: &str) -> String {
    std::fs::read_to_string(path)
        .map(|s| s.trim().to_string())
        .unwrap_or_default()
}

fn load_average() -> [f64; 3] {
    let text = read_trimmed("/proc/loadavg");
    let mut fields = text.split_whitespace().map(|v| v.parse().unwrap_or(0.0));
    [(); 3].map(|_| fields.next().unwrap_or(0.0))
}

fn cpu_model() -> String {
    read_trimmed("/proc/cpuinfo")
        .lines()
        .find_map(|l| l.strip_prefix("model name"))
        .and_then(|rest| rest.split_once(':'))
        .map(|(_, model)| model.trim().to_string())
        .unwrap_or_default()
}

fn memory_gib() -> f64 {
    let kib: f64 = read_trimmed("/proc/meminfo")
        .lines()
        .find_map(|l| l.strip_prefix("MemTotal:"))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .unwrap_or(0.0);
    (kib / (1024.0 * 1024.0) * 10.0).round() / 10.0
}
