//! The files taken to the vendor: activation requests and release requests, each written where
//! the user chose — a path suggested first, in the user's documents folder, named after the
//! customer and the license, one that does not exist yet.

use licdesk_desk::{DeskError, IfExists, RequestWritten};

use crate::input::{checked_output_path, export_dir, license, role};
use crate::state::{on_desk, AppState};

/// Where to save the activation request of `license` (a base license's main system, or a
/// FailoverSuite's standby): `<customer> – <license> – <system>.actreq` in the user's documents.
#[tauri::command]
pub(crate) async fn suggest_request_path(
    state: tauri::State<'_, AppState>,
    license: String,
    role: String,
) -> Result<String, DeskError> {
    let (license, role) = (self::license(&license)?, self::role(&role)?);
    on_desk(&state, move |desk| {
        let path = desk.suggest_request_path(&export_dir()?, &license, role)?;
        Ok(path.display().to_string())
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

/// Where to save the release request of `failover`'s standby:
/// `<customer> – <license> – release standby <ABCD>.relreq` in the user's documents.
#[tauri::command]
pub(crate) async fn suggest_release_path(
    state: tauri::State<'_, AppState>,
    failover: String,
) -> Result<String, DeskError> {
    let failover = license(&failover)?;
    on_desk(&state, move |desk| {
        let path = desk.suggest_release_path(&export_dir()?, &failover)?;
        Ok(path.display().to_string())
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
