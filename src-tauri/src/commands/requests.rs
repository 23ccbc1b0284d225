//! The files taken to the vendor: activation requests and release requests, each written where
//! the user chose (a path suggested first, in the user's documents, one that does not exist yet).

use licdesk_desk::{DeskError, IfExists, RequestWritten};

use crate::input::{checked_output_path, license, role};
use crate::state::{off_main_thread, on_desk, AppState};

#[tauri::command]
pub(crate) async fn suggest_request_path(
    license: String,
    role: String,
) -> Result<String, DeskError> {
    let (license, role) = (self::license(&license)?, self::role(&role)?);
    off_main_thread(move || {
        let dir = licdesk_desk::default_export_dir();
        Ok(licdesk_desk::suggest_request_path(&dir, &license, role)
            .display()
            .to_string())
    })
    .await
}

#[tauri::command]
pub(crate) async fn export_request(
    state: tauri::State<'_, AppState>,
    license: String,
    role: String,
    path: String,
    overwrite: bool,
) -> Result<RequestWritten, DeskError> {
    let (license, role) = (self::license(&license)?, self::role(&role)?);
    on_desk(&state, move |desk| {
        let path = checked_output_path(&path, overwrite)?;
        desk.write_request(
            &license,
            role,
            None,
            &path,
            IfExists::replace_when(overwrite),
        )
    })
    .await
}

#[tauri::command]
pub(crate) async fn suggest_release_path(failover: String) -> Result<String, DeskError> {
    let failover = license(&failover)?;
    off_main_thread(move || {
        let dir = licdesk_desk::default_export_dir();
        Ok(
            licdesk_desk::suggest_file_path(&dir, &format!("{failover}-release"), "relreq")
                .display()
                .to_string(),
        )
    })
    .await
}

#[tauri::command]
pub(crate) async fn export_release_request(
    state: tauri::State<'_, AppState>,
    failover: String,
    path: String,
    overwrite: bool,
) -> Result<String, DeskError> {
    let failover = license(&failover)?;
    on_desk(&state, move |desk| {
        let path = checked_output_path(&path, overwrite)?;
        desk.write_release_request(
            &failover,
            "hardware replaced",
            &path,
            IfExists::replace_when(overwrite),
        )?;
        Ok(path.display().to_string())
    })
    .await
}
