// One permission for the one command, granted by capabilities/main.json, as licdesk-app does
// for its commands.
fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(&["first_rows"])),
    )
    .expect("tauri build step");
}
