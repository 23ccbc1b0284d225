//! The licenses: the list, one license's detail, and the files picked or dropped, imported.

use licdesk_desk::{DeskError, ImportOutcome, LicenseDetail, LicensePage, ListRequest};
use serde::Deserialize;

use crate::input::{file_bytes, license, list_order};
use crate::state::{on_desk, AppState};

/// One page of the licenses list: matching `filter`, only those needing attention when
/// `needs_attention`, sorted by `order` (`customer`, `license`, `users`, `status`, `changed`),
/// `descending` or not.
#[tauri::command]
#[allow(clippy::too_many_arguments)] // one per control of the list; the window names each
pub(crate) async fn list_licenses(
    state: tauri::State<'_, AppState>,
    filter: String,
    needs_attention: bool,
    order: String,
    descending: bool,
    offset: u32,
    limit: u32,
) -> Result<LicensePage, DeskError> {
    let order = list_order(&order)?;
    on_desk(&state, move |desk| {
        desk.list_page(&ListRequest {
            filter: &filter,
            needs_attention,
            order,
            descending,
            offset,
            limit,
        })
    })
    .await
}

#[tauri::command]
pub(crate) async fn show_license(
    state: tauri::State<'_, AppState>,
    license: String,
) -> Result<LicenseDetail, DeskError> {
    let license = self::license(&license)?;
    on_desk(&state, move |desk| desk.show(&license)).await
}

/// A file the user picked or dropped: its name and its bytes in base64.
#[derive(Deserialize)]
pub(crate) struct PickedFile {
    name: String,
    content: String,
}

/// Imports the files the user picked or dropped together, in one bulk import: the desk puts
/// base certificates before FailoverSuite certificates before responses, whatever the order
/// given, so a FailoverSuite and its base can be picked together. A file whose text is too
/// large or arrived damaged is refused on its own (its base64 text dropped once decoded).
#[tauri::command]
pub(crate) async fn import_files(
    state: tauri::State<'_, AppState>,
    files: Vec<PickedFile>,
) -> Result<Vec<ImportOutcome>, DeskError> {
    let files: Vec<(String, Result<Vec<u8>, DeskError>)> = files
        .into_iter()
        .map(|f| {
            let bytes = file_bytes(&f.name, &f.content);
            (f.name, bytes)
        })
        .collect();
    on_desk(&state, move |desk| Ok(desk.import_many(files))).await
}
