// The window's shell: each command is a few lines over licdesk-desk. No private vendor key, no
// SQL and no licensing rule lives here. Files the user picks or drops are read by the page and
// handed over as bytes; the desk checks size, kind and signature before using anything in them.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use std::path::PathBuf;
use std::sync::Mutex;

use licdesk_core::{HardwareId, LicenseNumber, Role, StandbyMode};
use licdesk_desk::{
    location, Desk, DeskError, ErrorCode, ImportOutcome, LicenseDetail, LicensePage, MachineChoice,
    RequestWritten, SystemView, TrustedKeyView,
};
use serde::{Deserialize, Serialize};

/// The desk, or why it could not be opened (the window shows that sentence).
struct AppState {
    desk: Mutex<Result<Desk, DeskError>>,
    path: String,
}

#[derive(Serialize)]
struct StoreInfo {
    path: String,
    error: Option<DeskError>,
    /// The latest signed time seen, when the system clock is behind it (clock tamper warning).
    clock_behind: Option<licdesk_core::Timestamp>,
}

#[derive(Serialize)]
struct MachineView {
    hardware_id: String,
    label: Option<String>,
    components: usize,
}

/// How the window names a machine.
#[derive(Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
enum MachineArg {
    ThisMachine,
    Typed { hardware_id: String },
    File { content: Vec<u8> },
}

impl From<MachineArg> for MachineChoice {
    fn from(m: MachineArg) -> Self {
        match m {
            MachineArg::ThisMachine => MachineChoice::ThisMachine,
            MachineArg::Typed { hardware_id } => MachineChoice::Typed(hardware_id),
            MachineArg::File { content } => MachineChoice::FileContent(content),
        }
    }
}

fn with_desk<T>(
    state: &AppState,
    f: impl FnOnce(&mut Desk) -> Result<T, DeskError>,
) -> Result<T, DeskError> {
    let mut guard = state.desk.lock().map_err(|_| {
        DeskError::new(
            ErrorCode::Store,
            "the store is unavailable after an earlier failure: restart License Desk",
        )
    })?;
    match guard.as_mut() {
        Ok(desk) => f(desk),
        Err(e) => Err(e.clone()),
    }
}

fn license(text: &str) -> Result<LicenseNumber, DeskError> {
    Ok(LicenseNumber::parse(text)?)
}

fn role(text: &str) -> Result<Role, DeskError> {
    Role::parse(text).map_err(DeskError::invalid)
}

#[tauri::command]
fn store_info(state: tauri::State<'_, AppState>) -> StoreInfo {
    let (error, clock_behind) = match state.desk.lock() {
        Ok(guard) => match guard.as_ref() {
            Ok(desk) => (None, desk.clock_behind().ok().flatten()),
            Err(e) => (Some(e.clone()), None),
        },
        Err(_) => (None, None),
    };
    StoreInfo {
        path: state.path.clone(),
        error,
        clock_behind,
    }
}

#[tauri::command]
fn acknowledge_notice(
    state: tauri::State<'_, AppState>,
    failover: String,
) -> Result<licdesk_core::Timestamp, DeskError> {
    let failover = license(&failover)?;
    with_desk(&state, |desk| desk.acknowledge_notice(&failover))
}

#[tauri::command]
fn suggest_release_path(failover: String) -> Result<String, DeskError> {
    let failover = license(&failover)?;
    let dir = licdesk_desk::default_export_dir();
    Ok(
        licdesk_desk::suggest_file_path(&dir, &format!("{failover}-release"), "relreq")
            .display()
            .to_string(),
    )
}

#[tauri::command]
fn export_release_request(
    state: tauri::State<'_, AppState>,
    failover: String,
    path: String,
    overwrite: bool,
) -> Result<String, DeskError> {
    let failover = license(&failover)?;
    let path = checked_output_path(&path, overwrite)?;
    with_desk(&state, |desk| {
        desk.write_release_request(&failover, "hardware replaced", &path)?;
        Ok(path.display().to_string())
    })
}

/// A path the user typed for a new file: absolute, in an existing folder, not overwriting an
/// existing file unless confirmed.
fn checked_output_path(path: &str, overwrite: bool) -> Result<PathBuf, DeskError> {
    let path = PathBuf::from(path.trim());
    if !path.is_absolute() {
        return Err(DeskError::invalid(format!(
            "'{}' is not a full path: write it from the root, like /home/me/request.actreq",
            path.display()
        )));
    }
    match path.parent() {
        Some(dir) if dir.is_dir() => {}
        _ => {
            return Err(DeskError::invalid(format!(
                "the folder of {} does not exist: choose an existing folder",
                path.display()
            )))
        }
    }
    if path.exists() && !overwrite {
        return Err(DeskError::new(
            ErrorCode::FileExists,
            format!(
                "{} already exists: choose another name, or confirm to replace it",
                path.display()
            ),
        ));
    }
    Ok(path)
}

#[tauri::command]
fn list_licenses(
    state: tauri::State<'_, AppState>,
    filter: String,
    offset: u32,
    limit: u32,
) -> Result<LicensePage, DeskError> {
    with_desk(&state, |desk| desk.list(&filter, offset, limit))
}

#[tauri::command]
fn show_license(
    state: tauri::State<'_, AppState>,
    license: String,
) -> Result<LicenseDetail, DeskError> {
    let license = self::license(&license)?;
    with_desk(&state, |desk| desk.show(&license))
}

#[tauri::command]
fn import_file(
    state: tauri::State<'_, AppState>,
    name: String,
    content: Vec<u8>,
) -> Result<ImportOutcome, DeskError> {
    with_desk(&state, |desk| Ok(desk.import_bytes(&name, &content)))
}

#[tauri::command]
fn check_hardware_id(text: String) -> Result<String, DeskError> {
    Ok(HardwareId::parse(&text)?.to_string())
}

#[tauri::command]
fn this_machine() -> Result<MachineView, DeskError> {
    let hw = licdesk_desk::this_machine()?;
    Ok(MachineView {
        hardware_id: hw.id.to_string(),
        label: hw.label,
        components: hw.components.len(),
    })
}

#[tauri::command]
fn register_standby(
    state: tauri::State<'_, AppState>,
    failover: String,
    machine: MachineArg,
    mode: String,
) -> Result<SystemView, DeskError> {
    let failover = license(&failover)?;
    let mode = StandbyMode::parse(&mode).map_err(DeskError::invalid)?;
    let machine = MachineChoice::from(machine);
    with_desk(&state, |desk| {
        desk.register_standby(&failover, &machine, mode)
    })
}

#[tauri::command]
fn suggest_request_path(license: String, role: String) -> Result<String, DeskError> {
    let (license, role) = (self::license(&license)?, self::role(&role)?);
    let dir = licdesk_desk::default_export_dir();
    Ok(licdesk_desk::suggest_request_path(&dir, &license, role)
        .display()
        .to_string())
}

#[tauri::command]
fn export_request(
    state: tauri::State<'_, AppState>,
    license: String,
    role: String,
    path: String,
    overwrite: bool,
) -> Result<RequestWritten, DeskError> {
    let (license, role) = (self::license(&license)?, self::role(&role)?);
    let path = checked_output_path(&path, overwrite)?;
    with_desk(&state, |desk| {
        desk.write_request(&license, role, None, &path)
    })
}

#[tauri::command]
fn trusted_keys(state: tauri::State<'_, AppState>) -> Result<Vec<TrustedKeyView>, DeskError> {
    with_desk(&state, |desk| Ok(desk.trusted_keys()))
}

fn main() {
    let (desk, path) = match location::resolve_store_path(None) {
        Ok(path) => (Desk::open(&path), path.display().to_string()),
        Err(e) => (Err(e), String::new()),
    };
    tauri::Builder::default()
        .manage(AppState {
            desk: Mutex::new(desk),
            path,
        })
        .invoke_handler(tauri::generate_handler![
            store_info,
            list_licenses,
            show_license,
            import_file,
            check_hardware_id,
            this_machine,
            register_standby,
            suggest_request_path,
            export_request,
            trusted_keys,
            acknowledge_notice,
            suggest_release_path,
            export_release_request
        ])
        .run(tauri::generate_context!())
        .expect("License Desk could not start its window");
}
