//! The Debian packages: their fields and contents, then installed with dpkg on this machine, run
//! from /usr/bin, and removed again without a trace. The machine must not hold them already:
//! the test refuses rather than replace an installation it did not make.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use crate::support::{packages, read, repo, run_limited, version_text, Run, VERSION};

const DESK_FILES: &[&str] = &[
    "/usr/bin/licdesk-app",
    "/usr/bin/licdesk",
    "/usr/share/applications/licdesk-app.desktop",
    "/usr/share/icons/hicolor/256x256/apps/licdesk-app.png",
];
const ISSUER_FILES: &[&str] = &["/usr/bin/licdesk-issuer"];
const DPKG_LIMIT: Duration = Duration::from_secs(300);

fn field(deb: &Path, name: &str) -> String {
    run_limited(
        Command::new("dpkg-deb").arg("--field").arg(deb).arg(name),
        DPKG_LIMIT,
    )
    .ok("dpkg-deb --field")
    .stdout
    .trim()
    .to_string()
}

/// The paths a package holds, as `/usr/bin/licdesk`.
fn contents(deb: &Path) -> Vec<String> {
    let run = run_limited(
        Command::new("dpkg-deb").arg("--contents").arg(deb),
        DPKG_LIMIT,
    )
    .ok("dpkg-deb --contents");
    run.stdout
        .lines()
        .filter_map(|l| l.split_whitespace().last())
        .map(|p| p.trim_start_matches('.').to_string())
        .collect()
}

#[test]
fn the_deb_packages_name_their_version_dependencies_license_and_contents() {
    let p = packages();
    let desk = &p.deb_desk;
    assert_eq!(field(desk, "Package"), "licdesk");
    assert_eq!(field(desk, "Version"), format!("{VERSION}-1"));
    assert_eq!(field(desk, "Architecture"), "amd64");
    let depends = field(desk, "Depends");
    for library in ["libwebkit2gtk-4.1-0", "libgtk-3-0", "libc6"] {
        assert!(
            depends.contains(library),
            "{library} not in Depends: {depends}"
        );
    }
    let maintainer = field(desk, "Maintainer");
    assert!(
        maintainer.contains('<') && maintainer.ends_with('>'),
        "{maintainer}"
    );
    assert!(
        field(desk, "Description").starts_with("License Desk"),
        "{}",
        field(desk, "Description")
    );
    let files = contents(desk);
    for file in DESK_FILES {
        assert!(files.iter().any(|f| f == file), "{file} not in {files:?}");
    }
    assert!(
        !files.iter().any(|f| f.contains("licdesk-issuer")),
        "the customer's package holds the vendor tool: {files:?}"
    );

    let issuer = &p.deb_issuer;
    assert_eq!(field(issuer, "Package"), "licdesk-issuer");
    assert_eq!(field(issuer, "Version"), format!("{VERSION}-1"));
    assert!(field(issuer, "Depends").contains("libc6"));
    let files = contents(issuer);
    assert!(
        files.iter().any(|f| f == "/usr/bin/licdesk-issuer"),
        "{files:?}"
    );
    assert!(
        !files
            .iter()
            .any(|f| f == "/usr/bin/licdesk" || f == "/usr/bin/licdesk-app"),
        "the vendor's package holds the desk: {files:?}"
    );

    // The license, in the copyright file of each package.
    let dir = tempfile::tempdir().unwrap();
    for (deb, name) in [(desk, "licdesk"), (issuer, "licdesk-issuer")] {
        run_limited(
            Command::new("dpkg-deb").arg("-x").arg(deb).arg(dir.path()),
            DPKG_LIMIT,
        )
        .ok("dpkg-deb -x");
        let copyright = read(&dir.path().join(format!("usr/share/doc/{name}/copyright")));
        assert!(
            copyright.contains("License: LicenseRef-Proprietary"),
            "{copyright}"
        );
    }
}

/// Runs dpkg as root: directly when the tests run as root, else through `sudo -n`; when neither
/// can, the test fails and says why.
struct Dpkg {
    sudo: bool,
}

impl Dpkg {
    fn new() -> Dpkg {
        let uid = run_limited(Command::new("id").arg("-u"), DPKG_LIMIT).ok("id -u");
        if uid.stdout.trim() == "0" {
            return Dpkg { sudo: false };
        }
        let sudo = run_limited(Command::new("sudo").args(["-n", "true"]), DPKG_LIMIT);
        assert_eq!(
            sudo.code,
            Some(0),
            "installing the .deb packages needs root: run the tests as root, or allow sudo \
             without a password (sudo -n true failed: {})",
            sudo.stderr.trim()
        );
        Dpkg { sudo: true }
    }

    fn run(&self, args: &[&str], debs: &[&Path]) -> Run {
        let mut cmd = if self.sudo {
            let mut c = Command::new("sudo");
            c.args(["-n", "dpkg"]);
            c
        } else {
            Command::new("dpkg")
        };
        cmd.args(args).args(debs);
        run_limited(&mut cmd, DPKG_LIMIT)
    }

    fn installed(&self, package: &str) -> bool {
        let run = run_limited(
            Command::new("dpkg-query").args(["-W", "-f=${Status}", package]),
            DPKG_LIMIT,
        );
        run.code == Some(0) && run.stdout.contains(" installed")
    }
}

/// Removes the packages when the test ends early, so that a failure leaves no installation.
struct Installed<'a>(&'a Dpkg);

impl Drop for Installed<'_> {
    fn drop(&mut self) {
        if self.0.installed("licdesk") || self.0.installed("licdesk-issuer") {
            let _ = self.0.run(&["-r", "licdesk", "licdesk-issuer"], &[]);
        }
    }
}

#[test]
fn the_deb_packages_install_run_and_remove_cleanly() {
    let p = packages();
    let dpkg = Dpkg::new();
    for package in ["licdesk", "licdesk-issuer"] {
        assert!(
            !dpkg.installed(package),
            "{package} is already installed on this machine: this test installs and removes it, \
             and will not replace an installation it did not make (remove it first: dpkg -r {package})"
        );
    }
    for file in DESK_FILES.iter().chain(ISSUER_FILES) {
        assert!(
            !Path::new(file).exists(),
            "{file} exists but no licdesk package is installed: this test will not overwrite it"
        );
    }

    let installed = Installed(&dpkg);
    dpkg.run(&["-i"], &[&p.deb_desk, &p.deb_issuer])
        .ok("dpkg -i");
    for file in DESK_FILES.iter().chain(ISSUER_FILES) {
        assert!(Path::new(file).exists(), "{file} not installed");
    }

    for binary in ["licdesk", "licdesk-issuer", "licdesk-app"] {
        let run = run_limited(
            Command::new(format!("/usr/bin/{binary}"))
                .arg("--version")
                .env_remove("DISPLAY"),
            DPKG_LIMIT,
        )
        .ok(binary);
        assert_eq!(run.stdout.trim(), version_text(binary));
    }

    let entry = read(Path::new("/usr/share/applications/licdesk-app.desktop"));
    for line in [
        "Type=Application",
        "Name=License Desk",
        "Exec=licdesk-app",
        "Icon=licdesk-app",
        "Categories=Office;",
    ] {
        assert!(entry.lines().any(|l| l == line), "{line} missing:\n{entry}");
    }
    let icon = std::fs::read("/usr/share/icons/hicolor/256x256/apps/licdesk-app.png").unwrap();
    assert_eq!(
        icon,
        std::fs::read(repo().join("src-tauri/icons/icon.png")).unwrap(),
        "the installed icon is not src-tauri/icons/icon.png"
    );

    dpkg.run(&["-r", "licdesk", "licdesk-issuer"], &[])
        .ok("dpkg -r");
    drop(installed);
    for package in ["licdesk", "licdesk-issuer"] {
        assert!(!dpkg.installed(package), "{package} still installed");
    }
    for file in DESK_FILES.iter().chain(ISSUER_FILES) {
        assert!(!Path::new(file).exists(), "{file} left behind by dpkg -r");
    }
}
