// Two build steps: the window's UI as the app embeds it (ui/ with its ES modules bundled into one
// file by esbuild), and one permission per app command, so that capabilities/main.json can grant
// exactly the commands the window uses and nothing else.

use std::path::{Path, PathBuf};
use std::process::Command;

const COMMANDS: &[&str] = &[
    "store_info",
    "list_licenses",
    "show_license",
    "import_paths",
    "cancel_import",
    "default_import_folder",
    "save_import_log_copy",
    "open_import_log",
    "check_hardware_id",
    "this_machine",
    "local_time_zone",
    "register_standby",
    "suggest_request_path",
    "export_request",
    "trusted_keys",
    "acknowledge_notice",
    "suggest_release_path",
    "export_release_request",
    "suggest_hardware_file_path",
    "save_hardware_file",
    "acknowledge_violations",
    "dismiss_tampered_journal",
    "add_failover",
    "watch_file_drops",
    "store_choice",
    "choose_store",
    "is_current_store",
    "sync_store",
    "cancel_sync",
];

/// Where the embedded UI is made (tauri.conf.json's `frontendDist`; ignored by git).
const GENERATED_UI: &str = "gen/ui";

fn main() {
    bundle_ui(Path::new("../ui"), Path::new(GENERATED_UI));
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("tauri build step");
}

/// Makes `out` from the UI sources in `ui`: index.html and the style sheets as they are, and
/// js/app.js with every module it imports in one ES module. The page then loads one script
/// instead of a graph of forty modules, each fetched, parsed and linked in turn before the first
/// IPC call (BENCHMARKS.md, "Where the window's start goes"). Files are written only when their
/// content changed, each through a temporary file and a rename: two builds at once (debug and
/// release, Linux and Windows) leave whole files.
fn bundle_ui(ui: &Path, out: &Path) {
    println!("cargo:rerun-if-changed={}", ui.display());
    let out_dir = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let bundle = out_dir.join("app.js");
    let status = Command::new("esbuild")
        .arg(ui.join("js/app.js"))
        .args([
            "--bundle",
            "--format=esm",
            "--charset=utf8",
            "--log-level=warning",
        ])
        .arg(format!("--outfile={}", bundle.display()))
        .status()
        .unwrap_or_else(|e| {
            panic!(
                "cannot run esbuild, which bundles the window's scripts ({e}): install it with \
                 `make setup` (Debian's package esbuild)"
            )
        });
    assert!(
        status.success(),
        "esbuild failed to bundle ui/js/app.js ({status})"
    );
    let mut files = vec![(read(&bundle), out.join("js/app.js"))];
    files.push((read(&ui.join("index.html")), out.join("index.html")));
    for entry in std::fs::read_dir(ui.join("css")).expect("read ui/css") {
        let path = entry.expect("read ui/css").path();
        if path.extension().is_some_and(|e| e == "css") {
            let name = path.file_name().expect("a file name");
            files.push((read(&path), out.join("css").join(name)));
        }
    }
    for (content, target) in files {
        write_if_changed(&content, &target);
    }
}

fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

fn write_if_changed(content: &[u8], target: &Path) {
    if std::fs::read(target).is_ok_and(|old| old == content) {
        return;
    }
    let dir = target.parent().expect("a folder");
    std::fs::create_dir_all(dir).unwrap_or_else(|e| panic!("create {}: {e}", dir.display()));
    let temporary = target.with_extension(format!("tmp{}", std::process::id()));
    std::fs::write(&temporary, content)
        .and_then(|()| std::fs::rename(&temporary, target))
        .unwrap_or_else(|e| panic!("write {}: {e}", target.display()));
}
