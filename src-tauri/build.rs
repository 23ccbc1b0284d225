// Generates one permission per app command, so that capabilities/main.json can grant exactly the
// commands the window uses and nothing else.
const COMMANDS: &[&str] = &[
    "store_info",
    "list_licenses",
    "show_license",
    "import_paths",
    "cancel_import",
    "default_import_folder",
    "save_import_log_copy",
    "check_hardware_id",
    "this_machine",
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
];

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("tauri build step");
}
