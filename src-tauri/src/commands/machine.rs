//! This machine: its hardware ID, read and saved as a file for registering it as a standby on
//! another desk; a hardware ID the user typed, checked; and its time zone, which the window
//! writes its times in.

use licdesk_core::HardwareId;
use licdesk_desk::{DeskError, IfExists, ZoneOffsets};
use serde::Serialize;

use crate::input::{checked_output_path, export_dir};
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

/// This computer's time zone as its offsets from UTC over the years 1970 to 2100, which the
/// window writes its times in without its engine's time zone data (`ui/js/clock.js`); `None`
/// when the system names no zone that can be read.
#[tauri::command]
pub(crate) async fn local_time_zone() -> Result<Option<ZoneOffsets>, DeskError> {
    off_main_thread(|| Ok(ZoneOffsets::of_system())).await
}

/// Where to save this machine's hardware-ID file: `<host name>.hwid` (or `this-machine.hwid`)
/// in the user's documents folder, a name every system can hold, one that does not exist yet.
#[tauri::command]
pub(crate) async fn suggest_hardware_file_path() -> Result<String, DeskError> {
    off_main_thread(|| {
        let host = licdesk_desk::this_machine()
            .ok()
            .and_then(|hw| hw.label)
            .map(|h| licdesk_desk::safe_name_part(&h))
            .filter(|h| !h.is_empty())
            .unwrap_or_else(|| "this-machine".into());
        Ok(
            licdesk_desk::suggest_file_path(&export_dir()?, &host, "hwid")
                .display()
                .to_string(),
        )
    })
    .await
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
