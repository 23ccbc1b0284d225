//! The licenses: the list and one license's detail (files are imported by `imports`).

use licdesk_desk::{DeskError, LicenseDetail, LicensePage, ListRequest};

use crate::input::{license, list_order};
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
