//! Building the packages once per test run, and running commands with a time limit.
//! `wine.rs`: a fresh Wine prefix of its own for each test.

mod wine;

pub use wine::*;

use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// The workspace version: every binary and package names it.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// What `--version` prints after a binary's name: `0.1.0 (commit 5fb3611)`.
pub fn version_text(binary: &str) -> String {
    format!("{binary} {}", licdesk_version::LONG)
}

pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .canonicalize()
        .expect("the repository")
}

/// The cargo target dir (CARGO_TARGET_DIR, else ./target), as the package script sees it.
pub fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) if Path::new(&dir).is_absolute() => PathBuf::from(dir),
        Some(dir) => repo().join(dir),
        None => repo().join("target"),
    }
}

/// The packages built from this run's debug binaries.
#[derive(Debug)]
pub struct Packages {
    pub deb_desk: PathBuf,
    pub deb_issuer: PathBuf,
    pub msi: PathBuf,
    pub issuer_zip: PathBuf,
}

/// Builds the packages from the debug build, once for all tests of this run: the binaries must
/// be there (`make build`), the packages are written to <target>/package-test/.
pub fn packages() -> &'static Packages {
    static PACKAGES: OnceLock<Packages> = OnceLock::new();
    PACKAGES.get_or_init(build_packages)
}

fn build_packages() -> Packages {
    let target = target_dir();
    let windows = target.join("x86_64-pc-windows-gnu/debug");
    let needed = [
        target.join("debug/licdesk"),
        target.join("debug/licdesk-issuer"),
        target.join("debug/licdesk-app"),
        windows.join("licdesk.exe"),
        windows.join("licdesk-issuer.exe"),
        windows.join("licdesk-app.exe"),
        windows.join("WebView2Loader.dll"),
    ];
    let missing: Vec<String> = needed
        .iter()
        .filter(|p| !p.exists())
        .map(|p| p.display().to_string())
        .collect();
    assert!(
        missing.is_empty(),
        "the package tests need the debug build for Linux and Windows: run make build (missing: {})",
        missing.join(", ")
    );
    let out = target.join("package-test");
    let run = run_limited(
        Command::new("bash")
            .arg(repo().join("scripts/package.sh"))
            .args(["--profile", "debug", "--no-build", "--out"])
            .arg(&out)
            .env("CARGO_TARGET_DIR", &target),
        Duration::from_secs(600),
    );
    assert_eq!(
        run.code,
        Some(0),
        "scripts/package.sh --profile debug failed:\n{}{}",
        run.stdout,
        run.stderr
    );
    let packages = Packages {
        deb_desk: out.join(format!("licdesk_{VERSION}-1_amd64.deb")),
        deb_issuer: out.join(format!("licdesk-issuer_{VERSION}-1_amd64.deb")),
        msi: out.join(format!("license-desk-{VERSION}-x64.msi")),
        issuer_zip: out.join(format!("licdesk-issuer-{VERSION}-windows-x64.zip")),
    };
    for file in [
        &packages.deb_desk,
        &packages.deb_issuer,
        &packages.msi,
        &packages.issuer_zip,
    ] {
        assert!(
            file.is_file(),
            "{} missing after scripts/package.sh",
            file.display()
        );
    }
    packages
}

/// The same msi numbered `version` (a newer one, to test an upgrade), built once per run into
/// <target>/package-test/<version>/.
pub fn msi_numbered(version: &str) -> PathBuf {
    static BUILT: std::sync::Mutex<Vec<String>> = std::sync::Mutex::new(Vec::new());
    packages();
    let out = target_dir().join("package-test").join(version);
    let msi = out.join(format!("license-desk-{version}-x64.msi"));
    let mut built = BUILT.lock().unwrap_or_else(|e| e.into_inner());
    if !built.iter().any(|v| v == version) {
        run_limited(
            Command::new("bash")
                .arg(repo().join("scripts/package.sh"))
                .args([
                    "--profile",
                    "debug",
                    "--no-build",
                    "--msi-only",
                    version,
                    "--out",
                ])
                .arg(&out)
                .env("CARGO_TARGET_DIR", target_dir()),
            Duration::from_secs(600),
        )
        .ok("scripts/package.sh --msi-only");
        built.push(version.to_string());
    }
    assert!(msi.is_file(), "{} missing", msi.display());
    msi
}

/// The result of one command run with a time limit.
#[derive(Debug)]
pub struct Run {
    /// None when it was killed at the time limit (or by a signal).
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
    pub took: Duration,
}

impl Run {
    #[track_caller]
    pub fn ok(self, what: &str) -> Run {
        assert_eq!(
            self.code,
            Some(0),
            "{what} failed (after {:?}):\n{}{}",
            self.took,
            self.stdout,
            self.stderr
        );
        self
    }
}

/// Runs `cmd`, killed after `limit`: a hang fails the test instead of stopping the run. Its
/// output goes to files, not pipes: a process it leaves behind (Wine's services) keeps no pipe
/// open that this would wait for.
pub fn run_limited(cmd: &mut Command, limit: Duration) -> Run {
    let start = Instant::now();
    let mut out = tempfile::tempfile().expect("a temp file");
    let mut err = tempfile::tempfile().expect("a temp file");
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(out.try_clone().expect("a temp file"))
        .stderr(err.try_clone().expect("a temp file"))
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e}"));
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break Some(status);
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let took = start.elapsed();
    let text = |file: &mut std::fs::File| {
        let mut bytes = Vec::new();
        file.seek(SeekFrom::Start(0)).unwrap();
        file.read_to_end(&mut bytes).unwrap();
        String::from_utf8_lossy(&bytes).into_owned()
    };
    let (stdout, stderr) = (text(&mut out), text(&mut err));
    assert!(
        status.is_some(),
        "{cmd:?} did not finish within {limit:?}:\n{stdout}{stderr}"
    );
    Run {
        code: status.and_then(|s| s.code()),
        stdout,
        stderr,
        took,
    }
}

/// `path`'s text, or why it cannot be read.
pub fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}
