//! This machine: its hardware ID, read and saved as a file for registering it as a standby on
//! another desk; and a hardware ID the user typed, checked.

use licdesk_core::HardwareId;
use licdesk_desk::{DeskError, IfExists};
use serde::Serialize;

use crate::input::checked_output_path;
use crate::state::{off_main_thread, on_desk, AppState};

#[derive(Serialize)]
pub(crate) struct MachineView {
    hardware_id: String,
    label: Option<String>,
    components: usize,
}

#[tauri::command]
pub(crate) async fn check_hardware_id(text: String) -> Result<String, DeskError> {
    off_main_thread(move || Ok(HardwareId::parse(&text)?.to_string())).await
}

#[tauri::command]
pub(crate) async fn this_machine() -> Result<MachineView, DeskError> {
    off_main_thread(|| {
        let hw = licdesk_desk::this_machine()?;
        Ok(MachineView {
            hardware_id: hw.id.to_string(),
            label: hw.label,
            components: hw.components.len(),
        })
    })
    .await
}

/// Where to save this machine's hardware-ID file: `<host name>.hwid` (or `this-machine.hwid`)
/// in the user's documents, one that does not exist yet.
#[tauri::command]
pub(crate) async fn suggest_hardware_file_path() -> Result<String, DeskError> {
    off_main_thread(|| {
        let host = licdesk_desk::this_machine()
            .ok()
            .and_then(|hw| hw.label)
            .map(|h| file_stem(&h))
            .filter(|h| !h.is_empty())
            .unwrap_or_else(|| "this-machine".into());
        let dir = licdesk_desk::default_export_dir();
        Ok(licdesk_desk::suggest_file_path(&dir, &host, "hwid")
            .display()
            .to_string())
    })
    .await
}

/// A host name as a safe file name stem: letters, digits, '-', '_' and '.' kept, the rest '-'
/// (so no ':', '\' or '/', which Windows cannot hold either). A device name Windows reserves
/// (`CON`) is the desk's to avoid (`licdesk_desk::suggest_file_path`).
fn file_stem(name: &str) -> String {
    let stem: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '-'
            }
        })
        .collect();
    stem.trim_matches('.').to_string()
}

/// Writes this machine's hardware-ID file (signed with this installation's key) to `path`, for
/// registering this machine as a standby on another desk; returns the file written.
#[tauri::command]
pub(crate) async fn save_hardware_file(
    state: tauri::State<'_, AppState>,
    path: String,
    overwrite: bool,
) -> Result<String, DeskError> {
    on_desk(&state, move |desk| {
        let path = checked_output_path(&path, overwrite)?;
        desk.write_hardware_file(&path, IfExists::replace_when(overwrite))?;
        Ok(path.display().to_string())
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_host_name_becomes_a_safe_file_name() {
        assert_eq!(file_stem("standby-1"), "standby-1");
        assert_eq!(file_stem("../etc/passwd"), "-etc-passwd");
        assert_eq!(file_stem("Büro PC"), "B-ro-PC");
        assert_eq!(file_stem(".."), "");
    }

    #[test]
    fn a_host_file_name_is_valid_on_windows_too() {
        assert_eq!(file_stem(r"srv:01\backup"), "srv-01-backup");
        assert_eq!(file_stem("standby."), "standby");
        for host in [
            "a:b",
            "<x>",
            "x|y",
            "what?",
            "star*",
            "q\"uote",
            "tab\there",
            "C:\\Users",
        ] {
            let stem = file_stem(host);
            assert!(
                !stem.contains(['<', '>', ':', '"', '/', '\\', '|', '?', '*'])
                    && !stem.chars().any(char::is_control),
                "{host} -> {stem}"
            );
        }
    }
}
