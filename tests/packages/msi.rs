//! The Windows packages: the customer's .msi (the window, WebView2Loader.dll, licdesk.exe on the
//! system PATH, a Start-menu shortcut; never the vendor tool) installed, run and uninstalled
//! under Wine in a fresh prefix; and the vendor tool's zip.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use crate::support::{msi_numbered, packages, run_limited, version_text, Wine, VERSION};

/// Never changes: a newer msi replaces an older one through it (MajorUpgrade).
const UPGRADE_CODE: &str = "{36407621-1C28-4FF4-9C71-C732A98BB3BD}";
const LIMIT: Duration = Duration::from_secs(120);
const INSTALL_DIR: &str = r"C:\Program Files\License Desk";

fn msi_table(msi: &Path, table: &str) -> String {
    run_limited(
        Command::new("msiinfo").arg("export").arg(msi).arg(table),
        LIMIT,
    )
    .ok("msiinfo export")
    .stdout
}

#[test]
fn the_msi_holds_the_desk_and_not_the_vendor_tool_and_names_its_version() {
    let msi = &packages().msi;
    let properties = msi_table(msi, "Property");
    for row in [
        format!("ProductVersion\t{VERSION}"),
        format!("UpgradeCode\t{UPGRADE_CODE}"),
        "ProductName\tLicense Desk".to_string(),
        "ALLUSERS\t1".to_string(),
    ] {
        assert!(
            properties.lines().any(|l| l == row),
            "{row} missing:\n{properties}"
        );
    }
    let files = msi_table(msi, "File");
    for name in ["licdesk-app.exe", "licdesk.exe", "WebView2Loader.dll"] {
        assert!(files.contains(name), "{name} not in the msi:\n{files}");
    }
    assert!(
        !files.contains("licdesk-issuer"),
        "the customer's msi holds the vendor tool:\n{files}"
    );
    // A newer version replaces this one, and this one never replaces a newer (MajorUpgrade).
    let upgrade = msi_table(msi, "Upgrade");
    assert!(
        upgrade.contains("WIX_UPGRADE_DETECTED") && upgrade.contains("WIX_DOWNGRADE_DETECTED"),
        "{upgrade}"
    );
    let sequence = msi_table(msi, "InstallExecuteSequence");
    for action in [
        "RemoveExistingProducts",
        "WriteEnvironmentStrings",
        "RemoveEnvironmentStrings",
    ] {
        assert!(
            sequence
                .lines()
                .any(|l| l.starts_with(&format!("{action}\t"))),
            "{action} missing:\n{sequence}"
        );
    }
    let environment = msi_table(msi, "Environment");
    assert!(
        environment
            .lines()
            .any(|l| l == "LicdeskPath\t=-*PATH\t[~];[INSTALLDIR]\tCli"),
        "{environment}"
    );
}

#[test]
fn the_vendor_tool_for_windows_is_a_zip_of_its_own_with_a_readme() {
    let zip = &packages().issuer_zip;
    let dir = tempfile::tempdir().unwrap();
    run_limited(
        Command::new("unzip")
            .arg("-q")
            .arg(zip)
            .arg("-d")
            .arg(dir.path()),
        LIMIT,
    )
    .ok("unzip");
    let top = dir.path().join(format!("licdesk-issuer-{VERSION}"));
    let mut names: Vec<String> = std::fs::read_dir(&top)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["README.txt", "licdesk-issuer.exe"]);
    let readme = std::fs::read_to_string(top.join("README.txt")).unwrap();
    assert!(
        readme.starts_with(&format!("licdesk-issuer {VERSION} (Windows x64)"))
            && readme.contains("never give this tool")
            && readme.contains("\r\n"),
        "{readme}"
    );

    let wine = Wine::new();
    let run = wine
        .run(&[
            &top.join("licdesk-issuer.exe").display().to_string(),
            "--version",
        ])
        .ok("licdesk-issuer.exe --version");
    assert_eq!(run.stdout.trim(), version_text("licdesk-issuer"));
}

/// The "License Desk" shortcuts in the Start menu (all users', or the user's: Wine puts a
/// per-machine shortcut there too).
fn start_menu_shortcuts(drive_c: &Path) -> Vec<PathBuf> {
    let mut folders = vec![drive_c.join("ProgramData/Microsoft/Windows/Start Menu/Programs")];
    if let Ok(users) = std::fs::read_dir(drive_c.join("users")) {
        for user in users.flatten() {
            folders.push(
                user.path()
                    .join("AppData/Roaming/Microsoft/Windows/Start Menu/Programs"),
            );
        }
    }
    folders
        .into_iter()
        .map(|f| f.join("License Desk.lnk"))
        .filter(|f| f.exists())
        .collect()
}

fn utf16(text: &str) -> Vec<u8> {
    text.encode_utf16().flat_map(u16::to_le_bytes).collect()
}

#[test]
fn the_msi_installs_under_wine_puts_licdesk_on_the_path_and_uninstalls_cleanly() {
    let msi = Wine::windows_path(&packages().msi);
    let wine = Wine::new();
    let path_before = wine.system_path();
    assert!(!path_before.contains("License Desk"), "{path_before}");

    wine.run(&["msiexec", "/i", &msi, "/qn"]).ok("msiexec /i");
    let dir = wine.drive_c().join("Program Files/License Desk");
    let mut installed: Vec<String> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    installed.sort();
    assert_eq!(
        installed,
        ["WebView2Loader.dll", "licdesk-app.exe", "licdesk.exe"]
    );

    // licdesk.exe on the system PATH (appended), the Start-menu shortcut to the window.
    let path = wine.system_path();
    assert!(
        path.starts_with(path_before.trim_end_matches(';'))
            && path
                .split(';')
                .any(|p| p.trim_end_matches('\\') == INSTALL_DIR),
        "{INSTALL_DIR} not appended to the system PATH: {path}"
    );
    let shortcuts = start_menu_shortcuts(&wine.drive_c());
    assert_eq!(shortcuts.len(), 1, "{shortcuts:?}");
    let link = std::fs::read(&shortcuts[0]).unwrap();
    let target = "licdesk-app.exe";
    assert!(
        link.windows(target.len()).any(|w| w == target.as_bytes())
            || link
                .windows(utf16(target).len())
                .any(|w| w == utf16(target).as_slice()),
        "the shortcut does not open {target}"
    );

    // A new command prompt finds licdesk by name (its output to a file: Wine's cmd shows a
    // program's console output to no pipe).
    wine.run(&["cmd", "/c", r"licdesk --version > C:\licdesk-version.txt"])
        .ok("cmd /c licdesk --version");
    let by_name = std::fs::read_to_string(wine.drive_c().join("licdesk-version.txt"))
        .expect("licdesk not found on the PATH by a new command prompt");
    assert_eq!(by_name.trim(), version_text("licdesk"));

    let cli = format!(r"{INSTALL_DIR}\licdesk.exe");
    let run = wine.run(&[&cli, "--version"]).ok("licdesk.exe --version");
    assert_eq!(run.stdout.trim(), version_text("licdesk"));
    let app = format!(r"{INSTALL_DIR}\licdesk-app.exe");
    let run = wine
        .run(&[&app, "--version"])
        .ok("licdesk-app.exe --version");
    assert_eq!(run.stdout.trim(), version_text("licdesk-app"));

    // No WebView2 Runtime under Wine: the window cannot open, and the app says what to install
    // (stderr; its message box, without a display, does not hold it up) and exits with 3.
    let run = wine.run(&[&app]);
    assert_eq!(run.code, Some(3), "{run:?}");
    for needle in [
        "Microsoft Edge WebView2 Runtime is not installed",
        "Evergreen WebView2 Runtime",
        "https://developer.microsoft.com/microsoft-edge/webview2/",
    ] {
        assert!(run.stderr.contains(needle), "{needle} missing: {run:?}");
    }
    assert!(!run.stderr.contains("panicked"), "{run:?}");
    assert!(run.took < Duration::from_secs(30), "{run:?}");

    wine.run(&["msiexec", "/x", &msi, "/qn"]).ok("msiexec /x");
    let left: Vec<_> = std::fs::read_dir(&dir)
        .map(|d| d.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    assert!(left.is_empty(), "left after uninstall: {left:?}");
    let path = wine.system_path();
    assert!(
        !path.contains("License Desk"),
        "still on the PATH after uninstall: {path}"
    );
    assert!(
        start_menu_shortcuts(&wine.drive_c()).is_empty(),
        "shortcut left after uninstall"
    );
}

/// The workspace version with its last number one higher: `0.1.0` → `0.1.1`.
fn newer_version() -> String {
    let mut numbers: Vec<u32> = VERSION
        .split(['-', '+'])
        .next()
        .unwrap()
        .split('.')
        .map(|n| n.parse().unwrap())
        .collect();
    *numbers.last_mut().unwrap() += 1;
    numbers
        .iter()
        .map(u32::to_string)
        .collect::<Vec<_>>()
        .join(".")
}

/// The versions of "License Desk" that Windows lists as installed (Apps & features).
fn installed_versions(wine: &Wine) -> Vec<String> {
    let run = wine
        .run(&[
            "reg",
            "query",
            r"HKLM\Software\Microsoft\Windows\CurrentVersion\Uninstall",
            "/s",
        ])
        .ok("reg query Uninstall");
    let mut versions = Vec::new();
    for entry in run.stdout.split("HKEY_").skip(1) {
        let value = |name: &str| {
            entry.lines().find_map(|l| {
                let mut parts = l.split_whitespace();
                (parts.next() == Some(name) && parts.next() == Some("REG_SZ"))
                    .then(|| parts.collect::<Vec<_>>().join(" "))
            })
        };
        if value("DisplayName").as_deref() == Some("License Desk") {
            versions.push(value("DisplayVersion").unwrap_or_default());
        }
    }
    versions
}

#[test]
fn a_newer_msi_replaces_the_installed_one_and_an_older_one_is_refused() {
    let newer_version = newer_version();
    let current = Wine::windows_path(&packages().msi);
    let newer = Wine::windows_path(&msi_numbered(&newer_version));
    let wine = Wine::new();
    wine.run(&["msiexec", "/i", &current, "/qn"])
        .ok("msiexec /i (current)");
    assert_eq!(installed_versions(&wine), [VERSION]);

    wine.run(&["msiexec", "/i", &newer, "/qn"])
        .ok("msiexec /i (newer)");
    assert_eq!(installed_versions(&wine), [newer_version.as_str()]);
    let path = wine.system_path();
    assert_eq!(
        path.split(';')
            .filter(|p| p.trim_end_matches('\\') == INSTALL_DIR)
            .count(),
        1,
        "{path}"
    );

    let older = wine.run(&["msiexec", "/i", &current, "/qn"]);
    assert_ne!(
        older.code,
        Some(0),
        "the older msi replaced the newer: {older:?}"
    );
    assert_eq!(installed_versions(&wine), [newer_version.as_str()]);

    wine.run(&["msiexec", "/x", &newer, "/qn"])
        .ok("msiexec /x (newer)");
    assert!(installed_versions(&wine).is_empty());
    assert!(!wine.system_path().contains("License Desk"));
    assert!(!wine
        .drive_c()
        .join("Program Files/License Desk/licdesk.exe")
        .exists());
}
