//! Files dragged over the window and dropped on it: the window's native drag and drop (Tauri's
//! window events, with the files' paths) told to the page through one channel the page hands
//! over at start. Tauri's own drag-and-drop events would reach the page through three `listen`
//! calls, each answered by a script the app runs in the page, and the first such script starts
//! a JavaScript engine in the app's own process: 2.7 MiB held from the start for a drop that may
//! never come (BENCHMARKS.md, "Where the window's memory goes"). A channel's messages are sent
//! only when something is dropped.

use std::sync::Mutex;

use licdesk_desk::DeskError;
use serde::Serialize;
use tauri::ipc::Channel;
use tauri::DragDropEvent;

/// The page's channel for drops, once it asked (a page loaded again replaces it).
#[derive(Default)]
pub(crate) struct DropWatch(Mutex<Option<Channel<FileDrop>>>);

/// What the page hears of a drag: files came over the window, left it, or were dropped on it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub(crate) enum FileDrop {
    Enter,
    Leave,
    Drop { paths: Vec<String> },
}

impl FileDrop {
    /// The page's view of a window event (None: a drag moving over the window, which the page
    /// does not show).
    pub(crate) fn of(event: &DragDropEvent) -> Option<FileDrop> {
        match event {
            DragDropEvent::Enter { .. } => Some(FileDrop::Enter),
            DragDropEvent::Leave => Some(FileDrop::Leave),
            DragDropEvent::Drop { paths, .. } => Some(FileDrop::Drop {
                paths: paths.iter().map(|p| p.display().to_string()).collect(),
            }),
            _ => None,
        }
    }
}

impl DropWatch {
    /// Tells the page of `event`, when it asked to hear of drops.
    pub(crate) fn tell(&self, event: &DragDropEvent) {
        let Some(drop) = FileDrop::of(event) else {
            return;
        };
        let watcher = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(channel) = watcher.as_ref() {
            // A page that is gone (reloading) hears nothing; its successor asks again.
            let _ = channel.send(drop);
        }
    }
}

/// The page asks to hear of files dragged over the window and dropped on it, on `events`.
#[tauri::command]
pub(crate) async fn watch_file_drops(
    watch: tauri::State<'_, DropWatch>,
    events: Channel<FileDrop>,
) -> Result<(), DeskError> {
    *watch.0.lock().unwrap_or_else(|e| e.into_inner()) = Some(events);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    #[test]
    fn a_drop_tells_the_paths_and_a_move_over_the_window_tells_nothing() {
        let at = tauri::PhysicalPosition::new(10.0, 20.0);
        let paths = vec![PathBuf::from("/tmp/a.lic"), PathBuf::from("/tmp/b c.lic")];
        assert_eq!(
            FileDrop::of(&DragDropEvent::Drop {
                paths: paths.clone(),
                position: at
            }),
            Some(FileDrop::Drop {
                paths: vec!["/tmp/a.lic".into(), "/tmp/b c.lic".into()]
            })
        );
        assert_eq!(
            FileDrop::of(&DragDropEvent::Enter {
                paths,
                position: at
            }),
            Some(FileDrop::Enter)
        );
        assert_eq!(FileDrop::of(&DragDropEvent::Leave), Some(FileDrop::Leave));
        assert_eq!(FileDrop::of(&DragDropEvent::Over { position: at }), None);
    }

    #[test]
    fn the_page_reads_a_kind_and_the_paths() {
        let drop = FileDrop::Drop {
            paths: vec!["/tmp/a.lic".into()],
        };
        assert_eq!(
            serde_json::to_value(&drop).expect("serialises"),
            serde_json::json!({ "kind": "drop", "paths": ["/tmp/a.lic"] })
        );
        assert_eq!(
            serde_json::to_value(FileDrop::Leave).expect("serialises"),
            serde_json::json!({ "kind": "leave" })
        );
    }
}
