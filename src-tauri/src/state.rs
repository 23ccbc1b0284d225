//! The desk the commands share, and the one way onto it: off the window's main thread, a failure
//! inside a command (a bug) turned into an error the window shows.

use std::sync::{Arc, Mutex};

use licdesk_desk::{Desk, DeskError, ErrorCode, StoreLocation};

use crate::settings::SettingsFile;

/// The desk, or why it could not be opened (the window shows that sentence).
pub(crate) type SharedDesk = Arc<Mutex<Result<Desk, DeskError>>>;

/// Where the store the window works on is (none when no place for it could be found). Changed
/// only together with the desk, while the desk's lock is held (taken first, then this one).
pub(crate) type SharedPlace = Arc<Mutex<Option<StoreLocation>>>;

pub(crate) struct AppState {
    pub(crate) desk: SharedDesk,
    pub(crate) place: SharedPlace,
    /// The window's settings on this computer (the store chosen, the store synced with).
    pub(crate) settings: SettingsFile,
}

/// Locks `mutex`, taking over one a failure inside a command left poisoned (what it guards is
/// consistent: see `with_desk`).
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Runs `work` on a thread for blocking work, off the window's main thread.
pub(crate) async fn off_main_thread<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, DeskError> + Send + 'static,
) -> Result<T, DeskError> {
    tauri::async_runtime::spawn_blocking(work)
        .await
        .map_err(|e| {
            DeskError::new(
                ErrorCode::Internal,
                format!("License Desk failed inside ({e}): restart it; the store is unchanged"),
            )
        })?
}

/// Runs `f` on the desk, off the main thread.
pub(crate) async fn on_desk<T: Send + 'static>(
    state: &AppState,
    f: impl FnOnce(&mut Desk) -> Result<T, DeskError> + Send + 'static,
) -> Result<T, DeskError> {
    let desk = Arc::clone(&state.desk);
    off_main_thread(move || with_desk(&desk, f)).await
}

fn with_desk<T>(
    desk: &SharedDesk,
    f: impl FnOnce(&mut Desk) -> Result<T, DeskError>,
) -> Result<T, DeskError> {
    // A failure inside a command (a bug) never takes the window down with it: the command's
    // transaction is rolled back as the failure unwinds, the desk stays usable, and the user is
    // told. (So a poisoned lock holds a consistent desk, and is taken over.)
    let mut guard = desk
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    match guard.as_mut() {
        Ok(desk) => std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f(desk)))
            .unwrap_or_else(|_| {
                Err(DeskError::new(
                    ErrorCode::Internal,
                    "License Desk failed inside while doing this; nothing was changed. Please report it",
                ))
            }),
        Err(e) => Err(e.clone()),
    }
}
