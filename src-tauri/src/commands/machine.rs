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

/// A host name as a safe file name stem, on Linux and Windows alike: letters, digits, '-', '_'
/// and '.' kept, the rest '-' (so no ':', '\' or '/'), no '.' at either end, and never one of
/// the device names Windows reserves before the first '.' (`CON`, `NUL`, `COM1`, …: `-host` is
/// added to it).
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
    let stem = stem.trim_matches('.');
    let (first, rest) = stem.split_at(stem.find('.').unwrap_or(stem.len()));
    let device = first.to_ascii_uppercase();
    let reserved = matches!(device.as_str(), "CON" | "PRN" | "AUX" | "NUL")
        || (device.len() == 4
            && (device.starts_with("COM") || device.starts_with("LPT"))
            && device.ends_with(|c: char| c.is_ascii_digit()));
    if reserved {
        format!("{first}-host{rest}")
    } else {
        stem.to_string()
    }
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
        assert_eq!(file_stem("nul"), "nul-host");
        assert_eq!(file_stem("COM1.example"), "COM1-host.example");
        assert_eq!(file_stem("console"), "console");
        assert_eq!(file_stem("COM12"), "COM12");
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
