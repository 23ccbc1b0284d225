//! A bulk import of files named by path, a window at a time: the one path of `licdesk import
//! FILE...` and of the window. Each window is one transaction; after each, the caller is told
//! how far the import is and may stop it there, so that what was committed stays and no file is
//! half-imported. The next window is read and checked on the other threads while this one is
//! applied.

use std::ops::ControlFlow;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};

use serde::Serialize;

use crate::import_bulk::{check_window, kind_priority, on_every_core};
use crate::views::*;
use crate::{files, Desk, DeskError, IMPORT_WINDOW_BYTES};
use licdesk_core::envelope::MAX_FILE_BYTES;

/// The most files one window of a bulk import holds, after the first (each window is one
/// transaction, and the progress is told after each). The next windows are read and checked
/// while one is applied, so the size costs little in memory (the bytes are capped apart:
/// [`IMPORT_WINDOW_BYTES`]); each window's commit writes again the pages of the indexes it
/// changed, so fewer windows write less: 1,000 import 10,000 files in 1.21–1.37 times the floor
/// of `make bench` where 500 took 1.32–1.38, and move the progress 12 times (4 times for
/// 2,000 files). (With one window checked ahead instead of two, the store's pauses — a WAL
/// checkpoint's fsync — left the cores idle.)
pub const IMPORT_WINDOW_FILES: usize = 1000;

/// The most files the first window holds, and the last: nothing can be written before the first
/// is checked, and nothing is checked while the last is applied, so both are small (the
/// store's work starts early, and the last commit is soon after the last check).
pub const IMPORT_FIRST_WINDOW_FILES: usize = 250;

/// How far a bulk import is: files done of the total, and what they came to so far.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ImportProgress {
    pub done: usize,
    pub total: usize,
    pub accepted: usize,
    pub unchanged: usize,
    pub refused: usize,
}

impl ImportProgress {
    fn count(&mut self, outcomes: &[ImportOutcome]) {
        for o in outcomes {
            self.done += 1;
            match o.result {
                ImportResult::Accepted => self.accepted += 1,
                ImportResult::Unchanged => self.unchanged += 1,
                ImportResult::Refused => self.refused += 1,
            }
        }
    }
}

/// What a bulk import did: an outcome for every file it imported, in the order imported (bases
/// first), and whether it was stopped before the last window (the files of the windows after it
/// were not imported: the next two at most were read and checked, then dropped).
#[derive(Debug, Clone, Serialize)]
pub struct BulkImport {
    pub outcomes: Vec<ImportOutcome>,
    /// How many files were given.
    pub total: usize,
    pub cancelled: bool,
}

impl Desk {
    /// Imports files. Base certificates go first, then FailoverSuite certificates, then responses
    /// and releases, then usage journals, whatever the order given. Each file lands whole or not
    /// at all (inside one transaction per window: a base certificate is decided before it is
    /// written, any other file has a savepoint); vendor signatures are
    /// checked on every core, and a file whose signature fails is found, named and refused on
    /// its own.
    pub fn import_paths(&mut self, paths: &[PathBuf]) -> Vec<ImportOutcome> {
        self.import_paths_with(paths, |_| ControlFlow::Continue(()))
            .outcomes
    }

    /// Imports files as [`Desk::import_paths`] does, a window at a time: at most
    /// [`IMPORT_WINDOW_FILES`] files and [`IMPORT_WINDOW_BYTES`] bytes of files each (so that
    /// memory stays bounded whatever the files), each window one transaction. `progress` is told
    /// how far the import is before the first window and after each; when it answers
    /// `Break`, the import stops there: the windows done stay committed, the others are not
    /// applied (the two at most read and checked ahead are dropped, and none after them is
    /// read).
    ///
    /// While this thread applies a window to the store, a helper thread reads and checks the
    /// next ones on every core: the store's work overlaps the signatures' across windows.
    pub fn import_paths_with(
        &mut self,
        paths: &[PathBuf],
        mut progress: impl FnMut(&ImportProgress) -> ControlFlow<()>,
    ) -> BulkImport {
        let mut tally = ImportProgress {
            total: paths.len(),
            ..ImportProgress::default()
        };
        let mut outcomes = Vec::with_capacity(paths.len());
        let windows = windows(paths);
        let count = windows.len();
        let stopped = progress(&tally).is_break();
        if stopped || count == 0 {
            return BulkImport {
                outcomes,
                total: paths.len(),
                cancelled: stopped && count > 0,
            };
        }
        let mut cancelled = false;
        let trust = self.trust.clone();
        // The WAL is checkpointed beside the windows, on a thread of its own, rather than at
        // the commit of the window that grows it past 1,000 pages: that copy and its two syncs
        // held up this thread, the one whose work is the import's longest. Without a
        // checkpointer (a store in memory; a second connection refused), SQLite checkpoints at
        // commit as before.
        let checkpointer = self.store.checkpointer().ok().flatten();
        let checkpoints_moved = checkpointer.is_some();
        std::thread::scope(|scope| {
            let (committed, commits) = std::sync::mpsc::channel::<()>();
            let checkpoints = checkpointer.map(|checkpointer| {
                scope.spawn(move || checkpoint_after_commits(&checkpointer, &commits))
            });
            // Room for one checked window: at most three are held (the one applied, the one
            // waiting, the one being checked: IMPORT_WINDOW_BYTES is a third of what an import
            // may hold), and the helper may run two windows ahead, which keeps the cores busy
            // through the store's pauses. Once this thread stops taking windows, the helper
            // reads none after the one it is at (a stop waits for that one: a fraction of a
            // second).
            let (ahead, checked) = std::sync::mpsc::sync_channel(1);
            let helper = scope.spawn(move || {
                for window in windows {
                    if ahead
                        .send(check_window(&trust, window, |(p, bytes)| match bytes {
                            Some(bytes) => (p.display().to_string(), Ok(bytes)),
                            None => read(p),
                        }))
                        .is_err()
                    {
                        return;
                    }
                }
            });
            for n in 0..count {
                // None only when the helper panicked: its panic is resumed below.
                let Ok(window) = checked.recv() else { break };
                let done = self.apply_window(window);
                // (Refused only once the checkpointer is gone: its panic is resumed below.)
                let _ = committed.send(());
                tally.count(&done);
                outcomes.extend(done);
                // After the last window there is nothing left to stop.
                if progress(&tally).is_break() && n + 1 < count {
                    cancelled = true;
                    break;
                }
            }
            drop(checked);
            drop(committed);
            if let Err(panic) = helper.join() {
                std::panic::resume_unwind(panic);
            }
            // The last window's checkpoint is part of the import.
            if let Some(Err(panic)) = checkpoints.map(|c| c.join()) {
                std::panic::resume_unwind(panic);
            }
        });
        if checkpoints_moved {
            // Should this fail, the WAL is checkpointed when the store closes: nothing is lost.
            let _ = self.store.checkpoint_at_commits();
        }
        BulkImport {
            outcomes,
            total: paths.len(),
            cancelled,
        }
    }
}

/// A checkpoint after each window committed (one for all those told meanwhile), until the
/// import ends. A checkpoint that fails leaves the pages in the WAL for the next one, or for the
/// store's close: nothing is lost.
fn checkpoint_after_commits(
    checkpointer: &licdesk_store::Checkpointer,
    commits: &std::sync::mpsc::Receiver<()>,
) {
    while commits.recv().is_ok() {
        while commits.try_recv().is_ok() {}
        let _ = checkpointer.checkpoint();
    }
}

/// A file of a bulk import: its name, and its bytes read within the size cap.
fn read(path: &std::path::Path) -> (String, Result<Vec<u8>, DeskError>) {
    (path.display().to_string(), files::read_license_file(path))
}

/// The most bytes a bulk import reads ahead: small files read whole when first opened (see
/// [`files::peek_file`]), held until their window is checked, on top of the windows' bytes.
/// 10,000 certificates of 1.2 KB are 12 MiB.
pub const IMPORT_READ_AHEAD_BYTES: u64 = 16 * 1024 * 1024;

/// A file of a window: its path, and its bytes when they were read ahead.
type WindowFile<'p> = (&'p PathBuf, Option<Vec<u8>>);

/// The windows of a bulk import: all the files as given when they fit in the first (the import
/// puts them in order); else ordered by the kind their first line names, then cut where a
/// window would hold more than [`IMPORT_FIRST_WINDOW_FILES`] files (the first) or
/// [`IMPORT_WINDOW_FILES`] (the others), or more than [`IMPORT_WINDOW_BYTES`] bytes; the last
/// [`IMPORT_FIRST_WINDOW_FILES`] files are a window of their own. The one
/// open that finds a file's kind reads a small file whole, up to [`IMPORT_READ_AHEAD_BYTES`]
/// in all.
fn windows(paths: &[PathBuf]) -> Vec<Vec<WindowFile<'_>>> {
    if paths.is_empty() {
        return Vec::new();
    }
    if paths.len() <= IMPORT_FIRST_WINDOW_FILES {
        let bytes: u64 = on_every_core(paths.iter().collect(), |p| {
            std::fs::metadata(p)
                .map_or(0, |m| m.len())
                .min(MAX_FILE_BYTES)
        })
        .into_iter()
        .sum();
        if bytes <= IMPORT_WINDOW_BYTES {
            return vec![paths.iter().map(|p| (p, None)).collect()];
        }
    }
    // Each file's size and first line through one open (a stat and an open each cost as much
    // again: 10,000 files took 30 ms before the first window).
    let room = AtomicU64::new(IMPORT_READ_AHEAD_BYTES);
    let reserve = |size: u64| {
        room.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |left| {
            left.checked_sub(size)
        })
        .is_ok()
    };
    let unreserve = |size: u64| {
        room.fetch_add(size, Ordering::Relaxed);
    };
    let mut order: Vec<(u8, usize, u64, Option<Vec<u8>>)> =
        on_every_core((0..paths.len()).collect(), |i| {
            let peeked = files::peek_file(&paths[i], reserve, unreserve);
            let priority = kind_priority(peeked.kind);
            (priority, i, peeked.size.min(MAX_FILE_BYTES), peeked.bytes)
        });
    order.sort_unstable_by_key(|(priority, i, _, _)| (*priority, *i));
    let mut windows = Vec::new();
    let mut window: Vec<WindowFile<'_>> = Vec::new();
    let mut window_bytes = 0u64;
    for (_, i, size, bytes) in order {
        let most_files = if windows.is_empty() {
            IMPORT_FIRST_WINDOW_FILES
        } else {
            IMPORT_WINDOW_FILES
        };
        if !window.is_empty()
            && (window.len() == most_files || window_bytes + size > IMPORT_WINDOW_BYTES)
        {
            windows.push(std::mem::take(&mut window));
            window_bytes = 0;
        }
        window.push((&paths[i], bytes));
        window_bytes += size;
    }
    // The last window is applied while no other is checked: a small one leaves less of the
    // work to one core at the end, as the small first window does at the start.
    if !windows.is_empty() && window.len() > IMPORT_FIRST_WINDOW_FILES {
        let last = window.split_off(window.len() - IMPORT_FIRST_WINDOW_FILES);
        windows.push(window);
        windows.push(last);
    } else {
        windows.push(window);
    }
    windows
}
