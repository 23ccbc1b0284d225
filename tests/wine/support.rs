//! Windows machines under Wine: each is a Wine prefix of its own (its own MachineGuid, its own
//! `C:` drive) made once by `tests/wine/run.sh` under the target directory, with a scratch
//! folder on its `C:` drive per test. The Windows builds of `licdesk` and `licdesk-issuer` run
//! there with Windows paths (`C:\…`); files travel between machines as a person carries them.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

pub use licdesk_tests::Run;

pub const WINDOWS_TARGET: &str = "x86_64-pc-windows-gnu";

fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../target"),
    }
}

/// A Windows program of the workspace, built by `make build`, or a clear instruction to build it.
pub fn windows_binary(name: &str) -> PathBuf {
    let path = target_dir()
        .join(WINDOWS_TARGET)
        .join("debug")
        .join(format!("{name}.exe"));
    assert!(
        path.exists(),
        "{} is missing: build the Windows programs first with `make build` (cargo build --target {WINDOWS_TARGET} -p licdesk -p licdesk-issuer)",
        path.display()
    );
    path
}

fn runner() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("wine/run.sh")
}

/// One Windows machine: a Wine prefix and this test's folder on its `C:` drive.
pub struct Machine {
    prefix: PathBuf,
    folder: String,
}

impl Machine {
    /// The machine called `name` (its prefix is made on first use, 6–12 s, and kept under the
    /// target directory for later runs), with a new empty folder `C:\licdesk-tests\…`.
    pub fn new(name: &str) -> Machine {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let prefix = target_dir().join("wine").join(format!("{name}-prefix"));
        let folder = format!(
            "{name}-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        let machine = Machine { prefix, folder };
        // The first run makes the prefix; the folder lives on its C: drive, so after it.
        machine.run(&windows_binary("licdesk"), &["--version"]).ok();
        std::fs::create_dir_all(machine.host_path("")).expect("the test folder on C:");
        machine
    }

    /// This machine's `C:` drive on the Linux side.
    pub fn drive_c(&self) -> PathBuf {
        self.prefix.join("drive_c")
    }

    /// Where `name` in this machine's test folder is on the Linux side.
    pub fn host_path(&self, name: &str) -> PathBuf {
        self.drive_c()
            .join("licdesk-tests")
            .join(&self.folder)
            .join(name)
    }

    /// `name` in this machine's test folder as Windows names it: `C:\licdesk-tests\…\name`.
    pub fn win(&self, name: &str) -> String {
        format!(r"C:\licdesk-tests\{}\{name}", self.folder)
    }

    fn run(&self, exe: &Path, args: &[&str]) -> Run {
        let out = Command::new("bash")
            .arg(runner())
            .arg(exe)
            .args(args)
            .env("LICDESK_WINEPREFIX", &self.prefix)
            .env_remove("LICDESK_STORE")
            .output()
            .expect("run tests/wine/run.sh");
        let run = Run::from(out);
        assert_ne!(
            run.code,
            125,
            "Wine could not run {}: {}",
            exe.display(),
            run.stderr
        );
        run
    }

    /// `licdesk.exe --store C:\…\<desk>.sqlite ARGS` on this machine.
    pub fn desk(&self, desk: &str, args: &[&str]) -> Run {
        let store = self.win(&format!("{desk}.sqlite"));
        let mut all = vec!["--store", &store];
        all.extend_from_slice(args);
        self.run(&windows_binary("licdesk"), &all)
    }

    /// `licdesk.exe ARGS` on this machine, with the store where Windows keeps it by default.
    pub fn licdesk(&self, args: &[&str]) -> Run {
        self.run(&windows_binary("licdesk"), args)
    }

    /// `licdesk-issuer.exe ARGS` on this machine.
    pub fn issuer(&self, args: &[&str]) -> Run {
        self.run(&windows_binary("licdesk-issuer"), args)
    }

    /// Carries the file `name` from this machine's folder to `to`'s, as a person would on a
    /// USB stick; with `crlf`, saved on the way with Windows line ends (an editor, a mail client).
    pub fn carry(&self, name: &str, to: &Machine, crlf: bool) {
        let text = std::fs::read(self.host_path(name)).expect("the file to carry");
        let text = if crlf {
            String::from_utf8(text)
                .expect("a text file")
                .replace('\n', "\r\n")
                .into_bytes()
        } else {
            text
        };
        std::fs::write(to.host_path(name), text).expect("the carried file");
    }

    pub fn exists(&self, name: &str) -> bool {
        self.host_path(name).exists()
    }
}

impl Drop for Machine {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(self.host_path(""));
    }
}
