//! The store as a whole: where it is, why it could not be opened, what concerns it (a clock
//! behind its signed time, usage journals whose signature fails, dismissed from here), and the
//! vendor keys it trusts.

use std::sync::Arc;

use licdesk_desk::{DeskError, DismissedJournal, StoreLocation, TrustedKeyView};
use serde::Serialize;

use crate::state::{lock, off_main_thread, on_desk, AppState};

#[derive(Serialize)]
pub(crate) struct StoreInfo {
    path: String,
    error: Option<DeskError>,
    /// The latest signed time seen, when the system clock is behind it (clock tamper warning).
    clock_behind: Option<licdesk_core::Timestamp>,
    /// The usage journals whose own signature fails, not dismissed yet: monitoring reports each
    /// as tampered; tied to no FailoverSuite, the window shows them above the licenses.
    unverified_journals: Vec<UnverifiedJournal>,
}

/// A usage journal whose own signature fails (nothing in it was read but the key id its header
/// names, unverified).
#[derive(Serialize)]
struct UnverifiedJournal {
    file_hash: String,
    key_id: String,
    imported_at: licdesk_core::Timestamp,
}

/// The store: where it is, why it could not be opened, and what concerns it as a whole (a clock
/// behind its signed time, usage journals whose signature fails). Asked again after each change.
#[tauri::command]
pub(crate) async fn store_info(state: tauri::State<'_, AppState>) -> Result<StoreInfo, DeskError> {
    let desk = Arc::clone(&state.desk);
    let place = Arc::clone(&state.place);
    off_main_thread(move || {
        // The desk's lock first: the place changes with the desk, under it.
        let guard = lock(&desk);
        let path = lock(&place)
            .as_ref()
            .map(StoreLocation::redacted)
            .unwrap_or_default();
        let (error, clock_behind, unverified_journals) = match guard.as_ref() {
            Ok(desk) => (
                None,
                desk.clock_behind().ok().flatten(),
                desk.undismissed_unreadable_journals()?
                    .into_iter()
                    .map(|j| UnverifiedJournal {
                        file_hash: j.file_hash,
                        key_id: j.key_id,
                        imported_at: j.imported_at,
                    })
                    .collect(),
            ),
            Err(e) => (Some(e.clone()), None, Vec::new()),
        };
        Ok(StoreInfo {
            path,
            error,
            clock_behind,
            unverified_journals,
        })
    })
    .await
}

/// A tampered usage journal (by its SHA-256), looked into: dismissed with a reason (audited).
#[tauri::command]
pub(crate) async fn dismiss_tampered_journal(
    state: tauri::State<'_, AppState>,
    hash: String,
    reason: String,
) -> Result<DismissedJournal, DeskError> {
    on_desk(&state, move |desk| {
        desk.dismiss_tampered_journal(&hash, &reason)
    })
    .await
}

#[tauri::command]
pub(crate) async fn trusted_keys(
    state: tauri::State<'_, AppState>,
) -> Result<Vec<TrustedKeyView>, DeskError> {
    on_desk(&state, |desk| Ok(desk.trusted_keys())).await
}
