//! The window's size and place, kept as they change. The window-state plugin restores them when
//! the window opens, but writes them to disk only when the app ends normally; an app ended by
//! the system (a logout, a shutdown, SIGTERM) would forget how its window was left. So they are
//! written whenever the window has been moved or resized and then stayed still for a moment (a
//! drag sends many events: one write for it). A thread of its own waits for the window to
//! settle; the writing itself is done on the window's thread, as the plugin does: it holds its
//! lock while it asks the window for its size and place, and on another thread a move arriving
//! meanwhile would wait for that lock on the window's thread while the window's thread is
//! needed to answer — a deadlock.

use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::Duration;

use tauri::{AppHandle, Runtime};
use tauri_plugin_window_state::{AppHandleExt, StateFlags};

/// How long the window stays still before its size and place are written.
const SETTLED: Duration = Duration::from_millis(400);

/// Told of every move and resize of the window; writes the window's state once it settles.
pub(crate) struct WindowStateKeeper(mpsc::Sender<()>);

impl WindowStateKeeper {
    pub(crate) fn start<R: Runtime>(app: AppHandle<R>) -> WindowStateKeeper {
        let (changed, changes) = mpsc::channel::<()>();
        std::thread::spawn(move || {
            while changes.recv().is_ok() {
                loop {
                    match changes.recv_timeout(SETTLED) {
                        Ok(()) => continue,
                        Err(RecvTimeoutError::Timeout) => break,
                        Err(RecvTimeoutError::Disconnected) => return,
                    }
                }
                let on_window_thread = app.clone();
                let scheduled = app.run_on_main_thread(move || {
                    if let Err(e) = on_window_thread.save_window_state(StateFlags::all()) {
                        // Only a convenience: the window opens at its default size next time.
                        eprintln!("License Desk could not keep the window's size and place: {e}");
                    }
                });
                if scheduled.is_err() {
                    return; // the app is ending: the plugin writes the state itself then
                }
            }
        });
        WindowStateKeeper(changed)
    }

    /// The window was moved or resized.
    pub(crate) fn changed(&self) {
        // The thread ends only with the app: a send cannot fail before.
        let _ = self.0.send(());
    }
}
