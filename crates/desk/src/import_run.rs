//! A bulk import of files named by path, a window at a time: the one path of `licdesk import
//! FILE...` and of the window. Each window is one transaction; after each, the caller is told
//! how far the import is and may stop it there, so that what was committed stays and no file is
//! half-imported.

use std::ops::ControlFlow;
use std::path::PathBuf;

use serde::Serialize;

use crate::import::kind_priority;
use crate::import_bulk::on_every_core;
use crate::views::*;
use crate::{files, Desk, IMPORT_WINDOW_BYTES};

/// The most files one window of a bulk import holds (each window is one transaction, and the
/// progress is told after each). Fewer, larger windows import faster (verification overlaps the
/// store's work within a window only): 500 keep 10,000 files within 1.5 times the floor of
/// `make bench` and tell the progress 20 times.
pub const IMPORT_WINDOW_FILES: usize = 500;

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
/// were not read).
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
    /// at all (a savepoint each, inside one transaction per window); vendor signatures are
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
    /// `Break`, the import stops there: the windows done stay committed, the others are not read.
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
        let mut stop = progress(&tally).is_break();
        for (n, window) in windows.into_iter().enumerate() {
            if stop {
                return BulkImport {
                    outcomes,
                    total: paths.len(),
                    cancelled: true,
                };
            }
            let done = self.import_window(window);
            tally.count(&done);
            outcomes.extend(done);
            // After the last window there is nothing left to stop.
            stop = progress(&tally).is_break() && n + 1 < count;
        }
        BulkImport {
            outcomes,
            total: paths.len(),
            cancelled: false,
        }
    }
}

/// The windows of a bulk import: all the files as given when they fit in one (the import puts
/// them in order); else ordered by the kind their first line names, then cut where a window
/// would hold more than [`IMPORT_WINDOW_FILES`] files or [`IMPORT_WINDOW_BYTES`] bytes.
fn windows(paths: &[PathBuf]) -> Vec<Vec<&PathBuf>> {
    let sizes: Vec<u64> = on_every_core(paths.iter().collect(), |p| {
        std::fs::metadata(p)
            .map(|m| m.len())
            .unwrap_or(0)
            .min(licdesk_core::envelope::MAX_FILE_BYTES)
    });
    if paths.is_empty() {
        return Vec::new();
    }
    if paths.len() <= IMPORT_WINDOW_FILES && sizes.iter().sum::<u64>() <= IMPORT_WINDOW_BYTES {
        return vec![paths.iter().collect()];
    }
    let mut order: Vec<(u8, usize)> = on_every_core((0..paths.len()).collect(), |i| {
        (kind_priority(files::peek_kind(&paths[i])), i)
    });
    order.sort_unstable();
    let mut windows = Vec::new();
    let mut window: Vec<&PathBuf> = Vec::new();
    let mut window_bytes = 0u64;
    for (_, i) in order {
        if !window.is_empty()
            && (window.len() == IMPORT_WINDOW_FILES
                || window_bytes + sizes[i] > IMPORT_WINDOW_BYTES)
        {
            windows.push(std::mem::take(&mut window));
            window_bytes = 0;
        }
        window.push(&paths[i]);
        window_bytes += sizes[i];
    }
    windows.push(window);
    windows
}
