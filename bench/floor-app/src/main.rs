// The floor of License Desk's window figures (licdesk-bench's `window` part): the least a Tauri
// app built the way licdesk-app is built can do to show rows — the same Tauri, the same
// configuration (window, CSP, global API), a page of plain HTML and one small module that makes
// one IPC call and renders its answer. No store, no plugins, no other command: whatever
// licdesk-app takes beyond this app is License Desk's own start-up work.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

/// How many rows the page shows: a page of the licenses list.
const ROWS: usize = 100;

/// A fixed page of rows: a license number and a customer for each.
#[tauri::command]
fn first_rows() -> Vec<(String, String)> {
    (0..ROWS)
        .map(|i| (format!("OMS-FLOOR-{i:05}"), format!("Customer {i:07}")))
        .collect()
}

fn main() {
    tauri::Builder::default()
        .invoke_handler(tauri::generate_handler![first_rows])
        .run(tauri::generate_context!())
        .expect("the floor app's window");
}
