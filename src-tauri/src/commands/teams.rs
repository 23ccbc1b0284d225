//! The window's side of teams (docs/TEAMS.md): where the store is — this computer's store or a
//! team's store on PostgreSQL, chosen in the Store dialog, kept in the settings and opened at
//! the next start — and sync with a team's store, off the window's thread, its progress told
//! step by step, a Cancel taking effect between two steps (what was done stays).
//!
//! A URL crosses from the window only to be checked (`location::team_store`: a PostgreSQL URL
//! without a password) and opened; what goes back is only ever its redacted form.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use licdesk_desk::location::{self, StoreLocation};
use licdesk_desk::{Desk, DeskError, DeskHome, ImportRefusal, StandbyRefusal, SyncReport};
use serde::Serialize;
use tauri::ipc::Channel;

use crate::commands::imports::ImportControl;
use crate::settings::{self, SettingsFile};
use crate::state::{lock, off_main_thread, on_desk, AppState, SharedPlace};

/// Where the store is, what may be chosen, and what is kept on this computer for it.
#[derive(Serialize)]
pub(crate) struct StoreChoice {
    /// The store the window works on (a URL's password as `***`; empty when no place for it
    /// could be found).
    current: String,
    /// Whether that is a team's store on PostgreSQL.
    team: bool,
    /// What this computer keeps for it (the installation key, the import logs): a folder.
    home: Option<String>,
    /// This computer's store: the file "this computer's store" opens.
    local: Option<String>,
    /// The team's store to offer: the one the window works on, else the one last chosen.
    team_url: Option<String>,
    /// The team's store last synced with.
    sync_with: Option<String>,
    /// `LICDESK_STORE`, which names the store at every start whatever is chosen here.
    env_store: Option<String>,
}

fn choice_now(place: &Option<StoreLocation>, settings: &SettingsFile) -> StoreChoice {
    let saved = settings.load();
    // Never a password back to the window, even from a settings file edited by hand.
    let shown = |url: &String| StoreLocation::of(std::path::Path::new(url)).redacted();
    let team = matches!(place, Some(StoreLocation::Postgres(_)));
    StoreChoice {
        current: place
            .as_ref()
            .map(StoreLocation::redacted)
            .unwrap_or_default(),
        team,
        home: place
            .as_ref()
            .and_then(|p| DeskHome::of(p).ok())
            .map(|h| h.dir().display().to_string()),
        local: settings::local_store()
            .ok()
            .map(|p| p.display().to_string()),
        team_url: match place {
            Some(p @ StoreLocation::Postgres(_)) => Some(p.redacted()),
            _ => saved.team_store.as_ref().map(shown),
        },
        sync_with: saved.sync_with.as_ref().map(shown),
        env_store: settings::env_store(),
    }
}

/// Where the store is now and what the Store dialog offers.
#[tauri::command]
pub(crate) async fn store_choice(
    state: tauri::State<'_, AppState>,
) -> Result<StoreChoice, DeskError> {
    let place = Arc::clone(&state.place);
    let settings = state.settings.clone();
    off_main_thread(move || Ok(choice_now(&lock(&place), &settings))).await
}

/// Opens the store chosen — this computer's store (`team` none) or a team's store by its URL —
/// and works on it from now on, and at the next start (kept in the settings). A store that
/// cannot be opened, or a URL holding a password, is refused and nothing changes.
#[tauri::command]
pub(crate) async fn choose_store(
    state: tauri::State<'_, AppState>,
    imports: tauri::State<'_, Arc<ImportControl>>,
    team: Option<String>,
) -> Result<StoreChoice, DeskError> {
    if imports.running() {
        return Err(ImportRefusal::ImportRunning.into());
    }
    let desk = Arc::clone(&state.desk);
    let place = Arc::clone(&state.place);
    let settings = state.settings.clone();
    off_main_thread(move || {
        let (location, saved) = match &team {
            Some(url) => {
                let location = location::team_store(url)?;
                let saved = location.redacted(); // no password: the same as the URL
                (location, Some(saved))
            }
            None => (StoreLocation::Sqlite(settings::local_store()?), None),
        };
        // Opened before anything changes: a store that cannot be opened leaves the window on
        // the one it works on, and the settings as they were.
        let opened = Desk::open_at(&location)?;
        settings.update(|s| s.team_store = saved)?;
        let mut current = lock(&desk);
        *current = Ok(opened);
        let mut at = lock(&place);
        *at = Some(location);
        Ok(choice_now(&at, &settings))
    })
    .await
}

/// Whether `url` names the store the window works on (its server and database, whoever
/// connects): sync with it has nothing to do. A URL that is not one is not.
#[tauri::command]
pub(crate) async fn is_current_store(
    state: tauri::State<'_, AppState>,
    url: String,
) -> Result<bool, DeskError> {
    Ok(is_current(&state.place, &url))
}

fn is_current(place: &SharedPlace, url: &str) -> bool {
    let Ok(other) = location::team_store(url) else {
        return false;
    };
    lock(place)
        .as_ref()
        .is_some_and(|current| location::same_store(current, &other))
}

/// Whether a sync runs, and whether its Cancel was asked.
#[derive(Default)]
pub(crate) struct SyncControl {
    running: AtomicBool,
    cancel: AtomicBool,
}

/// The sync running: while it is held no other can start.
struct Syncing(Arc<SyncControl>);

impl Syncing {
    fn start(control: &Arc<SyncControl>) -> Option<Syncing> {
        if control.running.swap(true, Ordering::SeqCst) {
            return None;
        }
        control.cancel.store(false, Ordering::SeqCst);
        Some(Syncing(Arc::clone(control)))
    }
}

impl Drop for Syncing {
    fn drop(&mut self) {
        self.0.cancel.store(false, Ordering::SeqCst);
        self.0.running.store(false, Ordering::SeqCst);
    }
}

/// How far a sync is: the steps done (a window of signed files, a registration, a request, a
/// decision, a window of audit entries).
#[derive(Clone, Copy, Serialize)]
pub(crate) struct SyncProgress {
    steps: usize,
}

/// What a sync did, both ways, and the store it was done with (its password as `***`).
#[derive(Serialize)]
pub(crate) struct SyncView {
    with: String,
    #[serde(flatten)]
    report: SyncReport,
}

/// Syncs the store the window works on with the team's store at `with` (a URL without a
/// password, kept in the settings as the store synced with); `progress` hears each step.
#[tauri::command]
pub(crate) async fn sync_store(
    state: tauri::State<'_, AppState>,
    control: tauri::State<'_, Arc<SyncControl>>,
    with: String,
    progress: Channel<SyncProgress>,
) -> Result<SyncView, DeskError> {
    let other_at = location::team_store(&with)?;
    let shown = other_at.redacted();
    if is_current(&state.place, &with) {
        return Err(StandbyRefusal::SyncWithItself { store: shown }.into());
    }
    let Some(syncing) = Syncing::start(&control) else {
        // The window's Sync button is disabled while one runs: a second click does nothing.
        return Err(DeskError::invalid("a sync is already running"));
    };
    let settings = state.settings.clone();
    on_desk(&state, move |desk| {
        let mut other = Desk::open_at(&other_at)?;
        settings.update(|s| s.sync_with = Some(shown.clone()))?;
        let report = desk.sync_with_until(&mut other, &mut |steps| {
            // A window that is gone (closed or reloaded) hears nothing; the sync goes on.
            let _ = progress.send(SyncProgress { steps });
            !syncing.0.cancel.load(Ordering::SeqCst)
        })?;
        drop(syncing);
        Ok(SyncView {
            with: shown,
            report,
        })
    })
    .await
}

/// Asks the sync running to stop before its next step (what was done stays). False when none
/// runs.
#[tauri::command]
pub(crate) async fn cancel_sync(
    control: tauri::State<'_, Arc<SyncControl>>,
) -> Result<bool, DeskError> {
    let running = control.running.load(Ordering::SeqCst);
    if running {
        control.cancel.store(true, Ordering::SeqCst);
    }
    Ok(running)
}
