// The window's shell: each command is a few lines over licdesk-desk. No private vendor key, no
// SQL and no licensing rule lives here. Files the user picks, drops or names are handed over by
// path and imported by the desk's bulk import, which checks size, kind and signature before using
// anything in them. Every command is async and does its work on a blocking thread, never on the main thread
// that runs the window, so a long import, a hardware read or a look at the disk never freezes it.
//
// `state`: the desk shared by the commands and the one way onto it (off the main thread);
// `input`: what the window sends, checked (license numbers, roles, file contents, output paths);
// `commands`: the commands, one module per feature of the window; `startup`: `--version`, and
// what the app says when this computer cannot show the window (no WebView2 Runtime on Windows);
// `window_state`: the window's size and place, written as they change; `settings`: where the
// store is (this computer's, or a team's) and the store synced with, kept between runs.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod commands;
mod input;
mod settings;
mod startup;
mod state;
mod system_open;
mod window_state;

use std::process::ExitCode;
use std::sync::{Arc, Mutex};

use licdesk_desk::Desk;

use commands::{drops, imports, licenses, machine, requests, standby, store, teams};
use settings::SettingsFile;
use state::AppState;
use tauri::Manager;
use window_state::WindowStateKeeper;

fn main() -> ExitCode {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    if startup::asks_version(&args) {
        return startup::print_version();
    }
    startup::tune_webview();
    if let Err(message) = startup::check_webview() {
        return startup::refuse(&message);
    }
    let context = tauri::generate_context!();
    // LICDESK_STORE, else the store chosen in the window (kept in its settings), else this
    // user's own. A team's store on PostgreSQL is only ever shown without its password.
    let settings = SettingsFile::for_app(&context.config().identifier);
    let (desk, place) = match settings::starting_store(&settings.load()) {
        Ok(store) => (Desk::open_at(&store), Some(store)),
        Err(e) => (Err(e), None),
    };
    let app = tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_window_state::Builder::default().build())
        .manage(Arc::new(imports::ImportControl::default()))
        .manage(Arc::new(teams::SyncControl::default()))
        .manage(drops::DropWatch::default())
        .setup(move |app| {
            // The window's size and place written as they change (`window_state`).
            app.manage(WindowStateKeeper::start(app.handle().clone()));
            Ok(())
        })
        .on_window_event(|window, event| match event {
            tauri::WindowEvent::Moved(_) | tauri::WindowEvent::Resized(_) => {
                // Unset only before `setup` ran: the state restored then needs no writing.
                if let Some(keeper) = window.try_state::<WindowStateKeeper>() {
                    keeper.changed();
                }
            }
            tauri::WindowEvent::DragDrop(drag) => window.state::<drops::DropWatch>().tell(drag),
            _ => {}
        })
        .manage(AppState {
            desk: Arc::new(Mutex::new(desk)),
            place: Arc::new(Mutex::new(place)),
            settings,
        })
        .invoke_handler(tauri::generate_handler![
            store::store_info,
            licenses::list_licenses,
            licenses::show_license,
            imports::import_paths,
            imports::cancel_import,
            imports::default_import_folder,
            imports::save_import_log_copy,
            imports::open_import_log,
            machine::check_hardware_id,
            machine::this_machine,
            machine::local_time_zone,
            standby::register_standby,
            requests::suggest_request_path,
            requests::export_request,
            store::trusted_keys,
            standby::acknowledge_notice,
            requests::suggest_release_path,
            requests::export_release_request,
            machine::suggest_hardware_file_path,
            machine::save_hardware_file,
            standby::acknowledge_violations,
            store::dismiss_tampered_journal,
            standby::add_failover,
            drops::watch_file_drops,
            teams::store_choice,
            teams::choose_store,
            teams::is_current_store,
            teams::sync_store,
            teams::cancel_sync
        ])
        .build(context);
    match app {
        Ok(app) => {
            app.run(|_, _| {});
            ExitCode::SUCCESS
        }
        Err(e) => startup::refuse(&startup::window_failed(&e.to_string())),
    }
}
