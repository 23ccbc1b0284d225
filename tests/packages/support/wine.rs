//! A fresh Wine prefix for one test: in a temp dir, with its own persistent wineserver (ended
//! when the test ends), quiet (no Mono or Gecko, no debug channels) and without a display.
//! Rust's std calls `ProcessPrng` from bcryptprimitives.dll, which Wine 8 lacks: the Wine tests'
//! shim of that name (tests/wine/shim/, built here with mingw) goes into the prefix's system32 —
//! test setup only, never shipped.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use super::{run_limited, Run};

/// Wine's start-up of a fresh prefix takes 6-12 s here; an install about 1-3 s.
const WINE_LIMIT: Duration = Duration::from_secs(180);

#[derive(Debug)]
pub struct Wine {
    dir: tempfile::TempDir,
}

impl Wine {
    /// A new prefix, booted, with the `ProcessPrng` shim in its system32.
    pub fn new() -> Wine {
        for tool in ["wine", "wineserver", "x86_64-w64-mingw32-gcc"] {
            let found = Command::new("sh")
                .args(["-c", &format!("command -v {tool}")])
                .stdout(Stdio::null())
                .status()
                .is_ok_and(|s| s.success());
            assert!(
                found,
                "{tool} is missing: run scripts/setup.sh (make build does)"
            );
        }
        let wine = Wine {
            dir: tempfile::tempdir().expect("temp dir"),
        };
        std::fs::create_dir(wine.prefix()).expect("the prefix folder");
        // A persistent server, started without our pipes, so that the processes Wine keeps
        // running (services, explorer) never hold a test's output open.
        run_limited(wine.command("wineserver").arg("-p"), WINE_LIMIT).ok("wineserver -p");
        run_limited(wine.command("wineboot").arg("-i"), WINE_LIMIT).ok("wineboot -i");
        let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("wine/shim/bcryptprimitives.c");
        let dll = wine.dir.path().join("bcryptprimitives.dll");
        run_limited(
            Command::new("x86_64-w64-mingw32-gcc")
                .args(["-shared", "-O2", "-s", "-o"])
                .arg(&dll)
                .arg(&source)
                .arg("-ladvapi32"),
            WINE_LIMIT,
        )
        .ok("building the bcryptprimitives.dll shim");
        std::fs::copy(
            &dll,
            wine.drive_c().join("windows/system32/bcryptprimitives.dll"),
        )
        .expect("the shim into system32");
        wine
    }

    pub fn prefix(&self) -> PathBuf {
        self.dir.path().join("prefix")
    }

    pub fn drive_c(&self) -> PathBuf {
        self.prefix().join("drive_c")
    }

    /// `program` with this prefix's environment, and no display.
    pub fn command(&self, program: &str) -> Command {
        let mut cmd = Command::new(program);
        cmd.env("WINEPREFIX", self.prefix())
            .env("WINEDLLOVERRIDES", "mscoree,mshtml=")
            .env("WINEDEBUG", "-all")
            .env_remove("DISPLAY")
            .env_remove("WAYLAND_DISPLAY");
        cmd
    }

    /// `wine ARGS`, killed (and failing the test) after three minutes.
    pub fn run(&self, args: &[&str]) -> Run {
        run_limited(self.command("wine").args(args), WINE_LIMIT)
    }

    /// The system PATH in the registry, as `reg query` shows it.
    pub fn system_path(&self) -> String {
        let run = self
            .run(&[
                "reg",
                "query",
                r"HKLM\System\CurrentControlSet\Control\Session Manager\Environment",
                "/v",
                "PATH",
            ])
            .ok("reg query PATH");
        run.stdout
            .lines()
            .find_map(|line| {
                let line = line.trim();
                let rest = line.strip_prefix("PATH")?.trim_start();
                let value = rest
                    .strip_prefix("REG_EXPAND_SZ")
                    .or_else(|| rest.strip_prefix("REG_SZ"))?;
                Some(value.trim().to_string())
            })
            .unwrap_or_else(|| panic!("no PATH in:\n{}", run.stdout))
    }

    /// A Linux path as Wine's drive Z: names it (msiexec reads a leading / as a switch).
    pub fn windows_path(path: &Path) -> String {
        format!("Z:{}", path.display()).replace('/', "\\")
    }
}

impl Drop for Wine {
    fn drop(&mut self) {
        // Ends this prefix's server and every process in it (no other prefix's).
        let _ = self
            .command("wineserver")
            .arg("-k")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
    }
}
