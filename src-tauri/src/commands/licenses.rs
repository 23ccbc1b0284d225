//! The licenses: the list and one license's detail (files are imported by `imports`).

use licdesk_desk::{DeskError, LicenseDetail, LicensePage};

use crate::input::license;
use crate::state::{on_desk, AppState};

#[tauri::command]
pub(crate) async fn list_licenses(
    state: tauri::State<'_, AppState>,
    filter: String,
    offset: u32,
    limit: u32,
) -> Result<LicensePage, DeskError> {
    on_desk(&state, move |desk| desk.list(&filter, offset, limit)).await
}

#[tauri::command]
pub(crate) async fn show_license(
    state: tauri::State<'_, AppState>,
    license: String,
) -> Result<LicenseDetail, DeskError> {
    let license = self::license(&license)?;
    on_desk(&state, move |desk| desk.show(&license)).await
}
