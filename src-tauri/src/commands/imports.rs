//! Importing files named by path — picked in the Open dialog, dropped on the window, or typed or
//! pasted into the import's path field (a folder imports the files in it): the desk's bulk
//! import (`licdesk import`'s own path), its progress sent to the window after each window of
//! files, a Cancel that takes effect between two windows, and the log of what became of each
//! file, written beside the store. One import at a time.

use std::ops::ControlFlow;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use licdesk_desk::{
    files, DeskError, IfExists, ImportOutcome, ImportProgress, ImportRefusal, ImportSummary,
};
use serde::Serialize;
use tauri::ipc::Channel;

use crate::input::{checked_output_path, typed_path};
use crate::state::{on_desk, AppState};

/// Whether an import runs, and whether its Cancel was asked.
#[derive(Default)]
pub(crate) struct ImportControl {
    running: AtomicBool,
    cancel: AtomicBool,
}

impl ImportControl {
    /// Whether an import runs now.
    pub(crate) fn running(&self) -> bool {
        self.running.load(Ordering::SeqCst)
    }
}

/// The import running: while it is held no other can start; dropped (however the import ends, a
/// failure inside included), the next may.
struct Running(Arc<ImportControl>);

impl Running {
    fn start(control: &Arc<ImportControl>) -> Result<Running, DeskError> {
        if control.running.swap(true, Ordering::SeqCst) {
            return Err(ImportRefusal::ImportRunning.into());
        }
        control.cancel.store(false, Ordering::SeqCst);
        Ok(Running(Arc::clone(control)))
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        self.0.cancel.store(false, Ordering::SeqCst);
        self.0.running.store(false, Ordering::SeqCst);
    }
}

/// What an import did: the summary, an outcome per file imported, and where its log was written
/// (or why it could not be).
#[derive(Serialize)]
pub(crate) struct ImportReport {
    summary: ImportSummary,
    outcomes: Vec<ImportOutcome>,
    log: Option<String>,
    log_error: Option<DeskError>,
}

/// Imports the files at `paths` (files, or folders: the files in them), a window of files at a
/// time; `progress` hears how far it is before the first window and after each.
#[tauri::command]
pub(crate) async fn import_paths(
    state: tauri::State<'_, AppState>,
    control: tauri::State<'_, Arc<ImportControl>>,
    paths: Vec<String>,
    progress: Channel<ImportProgress>,
) -> Result<ImportReport, DeskError> {
    let paths: Vec<PathBuf> = paths.iter().map(|p| typed_path(p)).collect();
    let running = Running::start(&control)?;
    on_desk(&state, move |desk| {
        let files = files::files_to_import(&paths)?;
        let bulk = desk.import_paths_with(&files, |p| {
            // A window that is gone (closed or reloaded) hears nothing; the import goes on.
            let _ = progress.send(*p);
            if running.0.cancel.load(Ordering::SeqCst) {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        });
        let (log, log_error) = match desk.write_import_log(&bulk.outcomes) {
            Ok(path) => (Some(path.display().to_string()), None),
            Err(e) => (None, Some(e)),
        };
        drop(running);
        Ok(ImportReport {
            summary: bulk.summary(),
            outcomes: bulk.outcomes,
            log,
            log_error,
        })
    })
    .await
}

/// Asks the import running to stop after the window of files it is at (what was committed
/// stays). False when no import runs.
#[tauri::command]
pub(crate) async fn cancel_import(
    control: tauri::State<'_, Arc<ImportControl>>,
) -> Result<bool, DeskError> {
    let running = control.running.load(Ordering::SeqCst);
    if running {
        control.cancel.store(true, Ordering::SeqCst);
    }
    Ok(running)
}

/// The folder the import's Open dialog starts in: the user's documents folder (else the home
/// folder; the dialog's own choice when there is neither).
#[tauri::command]
pub(crate) async fn default_import_folder() -> Result<Option<String>, DeskError> {
    Ok(licdesk_desk::default_export_dir().map(|d| d.display().to_string()))
}

/// Saves a copy of an import log (one of this store's, nothing else) where the user chose in the
/// Save dialog (which asked before replacing a file).
#[tauri::command]
pub(crate) async fn save_import_log_copy(
    state: tauri::State<'_, AppState>,
    log: String,
    path: String,
) -> Result<String, DeskError> {
    on_desk(&state, move |desk| {
        let path = checked_output_path(&path, true)?;
        desk.copy_import_log(&PathBuf::from(log), &path, IfExists::Replace)?;
        Ok(path.display().to_string())
    })
    .await
}

/// Opens one of this store's import logs (nothing else: the desk checks the path) in the program
/// the system gives CSV files.
#[tauri::command]
pub(crate) async fn open_import_log(
    state: tauri::State<'_, AppState>,
    log: String,
) -> Result<(), DeskError> {
    on_desk(&state, move |desk| {
        let log = desk.own_import_log(&PathBuf::from(log))?;
        crate::system_open::open_in_system(&log).map_err(|failure| failure.into_error(&log))
    })
    .await
}
