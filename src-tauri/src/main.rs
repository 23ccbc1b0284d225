// The window's shell: each command is a few lines over licdesk-desk. No private vendor key, no
// SQL and no licensing rule lives here.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use std::sync::Mutex;

use licdesk_core::LicenseNumber;
use licdesk_desk::{location, Desk, DeskError, ErrorCode, LicenseDetail, LicensePage};
use serde::Serialize;

/// The desk, or why it could not be opened (the window shows that sentence).
struct AppState {
    desk: Mutex<Result<Desk, DeskError>>,
    path: String,
}

#[derive(Serialize)]
struct StoreInfo {
    path: String,
    error: Option<DeskError>,
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

#[tauri::command]
fn store_info(state: tauri::State<'_, AppState>) -> StoreInfo {
    let error = state
        .desk
        .lock()
        .ok()
        .and_then(|d| d.as_ref().err().cloned());
    StoreInfo {
        path: state.path.clone(),
        error,
    }
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
    let license = LicenseNumber::parse(&license)?;
    with_desk(&state, |desk| desk.show(&license))
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
            show_license
        ])
        .run(tauri::generate_context!())
        .expect("License Desk could not start its window");
}
