//! License Desk's use cases: everything the `licdesk` CLI and the desktop app do, written once,
//! one module per use case over a thin `Desk` (the store, the trusted keys, where the store is
//! and what the desk keeps on this computer beside it).
//!
//! Invariants kept here:
//! - A file's signature is checked against a trusted key before anything in it is used, and its
//!   size is checked before it is read.
//! - Each imported file is one store transaction: it lands whole or not at all; importing the same
//!   signed content again changes nothing and is not an error.
//! - Every change goes to the append-only audit log with the file's content identity.

mod action_view;
mod actions;
mod add_failover;
mod attention;
mod browse;
mod certificates;
mod check;
mod error;
mod file_names;
pub mod files;
mod import;
mod import_bulk;
mod import_log;
mod import_run;
mod import_summary;
mod installation;
mod journal;
mod journal_import;
mod live;
mod local_zone;
pub mod location;
mod machines;
mod next_step;
mod refusal;
mod release;
mod request;
mod response;
mod review;
mod standby;
mod sync;
#[cfg(test)]
mod sync_tests;
#[cfg(test)]
mod test_world;
mod time;
mod timeline;
mod trust;
mod vendor_file;
mod views;

use std::path::{Path, PathBuf};

use licdesk_core::{Hardware, Timestamp, TrustStore};
use licdesk_store::Store;
pub use location::{DeskHome, StoreLocation};

pub use action_view::{Action, ActionView, Unavailable};
pub use check::{
    checkmk_unknown, plugin_text, prometheus_unknown, unknown_line, CheckCounts, CheckProblem,
    CheckReport, CheckStatus, LoadFigures, RenderedCheck, StandbyFigures, MAX_STATUS_LINE,
};
pub use error::{DeskError, ErrorCode};
pub use file_names::{
    default_export_dir, file_stem, safe_name_part, suggest_file_path, FileSubject,
};
pub use import_log::{csv_cell, import_log_csv, import_log_dir, IMPORT_LOG_DIR};
pub use import_run::{
    BulkImport, ImportProgress, IMPORT_FIRST_WINDOW_FILES, IMPORT_READ_AHEAD_BYTES,
    IMPORT_WINDOW_FILES,
};
pub use import_summary::{EffectCount, ImportEffect, ImportSummary, ReasonCount};
pub use licdesk_outfile::IfExists;
pub use licdesk_store::ListOrder;
pub use local_zone::ZoneOffsets;
pub use machines::{hardware_from_file_bytes, read_hardware_file};
pub use next_step::NextStep;
pub use refusal::{ImportRefusal, JournalRefusal, Refusal, ResponseRefusal, StandbyRefusal};
pub use review::{level_word, AcknowledgedViolations, DismissedJournal};
pub use sync::{ConflictItem, KeepSyncing, SyncConflict, SyncDirection, SyncReport, SyncSide};
pub use time::{Clock, FixedClock, SystemClock};
pub use timeline::{phases_in_span, span_start, LoadStretch, Phase, UsageTimeline};
pub use views::*;

impl Desk {
    /// Opens the SQLite store at `path` (creating it and its folder on first use: readable by
    /// their group, so that a monitoring account can be given read access).
    pub fn open(path: &Path) -> Result<Desk, DeskError> {
        Desk::open_at(&StoreLocation::Sqlite(path.to_path_buf()))
    }

    /// Opens the store at `location`, creating it on first use: an SQLite file (and its folder),
    /// or a team's store in an empty PostgreSQL database. What the desk keeps on this computer
    /// ([`DeskHome`]) is beside an SQLite store, and in this user's data folder for a
    /// PostgreSQL store (that folder made here, for this user only).
    pub fn open_at(location: &StoreLocation) -> Result<Desk, DeskError> {
        Desk::open_at_with_home(location, DeskHome::of(location)?)
    }

    /// [`Desk::open_at`] with what the desk keeps on this computer in `home` (tests, and a
    /// window that keeps a team store's local files where its settings say).
    pub fn open_at_with_home(location: &StoreLocation, home: DeskHome) -> Result<Desk, DeskError> {
        if let Some(dir) = location.file().and_then(Path::parent) {
            if !dir.as_os_str().is_empty() {
                let mut builder = std::fs::DirBuilder::new();
                builder.recursive(true);
                #[cfg(unix)]
                std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o750);
                builder
                    .create(dir)
                    .map_err(|e| DeskError::io("create", dir, &e))?;
            }
        }
        let mut store = Store::open_at(location)?;
        // Once the store is there: a URL that cannot be opened leaves nothing behind.
        home.make()?;
        // Every change is audited with who made it: a store may be shared.
        store.act_as(licdesk_machine::operator());
        let mut desk = Desk {
            store,
            trust: TrustStore::built_in(),
            location: location.clone(),
            home,
            clock: std::sync::Arc::new(SystemClock),
        };
        desk.reload_trust()?;
        desk.record_installation_public_key()?;
        Ok(desk)
    }

    /// Keeps the public half of this installation's key in the store once an activation in it
    /// certifies that key, so that monitoring under another account (which may not read the
    /// private key file) knows this desk's own standby too. (Activations imported from now on
    /// record it as they are applied; this catches up a store activated before.)
    fn record_installation_public_key(&mut self) -> Result<(), DeskError> {
        use licdesk_store::Queries;
        let Some(key) = installation::existing_public_key(self.home.installation_key()) else {
            return Ok(());
        };
        if self.store.meta(INSTALLATION_PUBLIC_KEY)?.as_deref() != Some(key.as_str())
            && self.store.certifies_installation_key(&key)?
        {
            let tx = self.store.write()?;
            tx.set_meta(INSTALLATION_PUBLIC_KEY, &key)?;
            tx.commit()?;
        }
        Ok(())
    }

    /// This installation's public key (base64), as the store last recorded it, else from the key
    /// file when this user may read it.
    pub(crate) fn installation_public_key(&self) -> Result<Option<String>, DeskError> {
        use licdesk_store::Queries;
        Ok(match self.store.meta(INSTALLATION_PUBLIC_KEY)? {
            Some(key) => Some(key),
            None => installation::existing_public_key(self.home.installation_key()),
        })
    }

    /// Opens an existing SQLite store for reading only (monitoring): nothing is created or
    /// changed.
    pub fn open_read_only(path: &Path) -> Result<Desk, DeskError> {
        Desk::open_read_only_at(&StoreLocation::Sqlite(path.to_path_buf()))
    }

    /// Opens the existing store at `location` for reading only (monitoring): nothing is created
    /// or changed, here or on the server (a PostgreSQL role that may only read is enough).
    pub fn open_read_only_at(location: &StoreLocation) -> Result<Desk, DeskError> {
        let home = DeskHome::of(location)?;
        let mut desk = Desk {
            store: Store::open_read_only_at(location)?,
            trust: TrustStore::built_in(),
            location: location.clone(),
            home,
            clock: std::sync::Arc::new(SystemClock),
        };
        desk.reload_trust()?;
        Ok(desk)
    }

    /// Takes the desk's time from `clock` from now on (tests set the time instead of sleeping).
    pub fn with_clock(mut self, clock: std::sync::Arc<dyn Clock>) -> Desk {
        self.clock = clock;
        self
    }

    /// The desk's clock's time.
    pub fn now(&self) -> Timestamp {
        self.clock.now()
    }

    /// Where the store is (an SQLite file, or a PostgreSQL database: show it to people with
    /// [`StoreLocation::redacted`]).
    pub fn location(&self) -> &StoreLocation {
        &self.location
    }

    /// What this desk keeps on this computer (the installation key, the import logs).
    pub fn home(&self) -> &DeskHome {
        &self.home
    }

    pub fn store(&self) -> &Store {
        &self.store
    }
}

/// The `meta` key of this installation's public key.
const INSTALLATION_PUBLIC_KEY: &str = "installation_public_key";

/// Records this installation's public key in the store when an activation just applied
/// certifies it (in the same transaction), so that monitoring under another account knows its
/// own standby from the first check on.
pub(crate) fn record_own_key_if_certified(
    tx: &licdesk_store::Tx<'_>,
    certified: Option<&str>,
    own: &machines::OwnInstallation,
) -> Result<(), DeskError> {
    use licdesk_store::Queries;
    let Some(certified) = certified else {
        return Ok(());
    };
    if installation::existing_public_key(&own.key_path).as_deref() == Some(certified)
        && tx.meta(INSTALLATION_PUBLIC_KEY)?.as_deref() != Some(certified)
    {
        tx.set_meta(INSTALLATION_PUBLIC_KEY, certified)?;
    }
    Ok(())
}

/// How a machine is named when registering or requesting.
#[derive(Debug, Clone)]
pub enum MachineChoice {
    /// This machine, read now.
    ThisMachine,
    /// A hardware ID typed or pasted (checked by its check characters).
    Typed(String),
    /// A hardware-ID file made with `licdesk hwid --out` on the other machine.
    File(PathBuf),
    /// The content of a hardware-ID file (the window reads the file the user picked or dropped).
    FileContent(Vec<u8>),
}

/// A machine, and the public key of the License Desk installation on it when known.
#[derive(Debug, Clone)]
pub struct Machine {
    pub hardware: Hardware,
    pub installation_key: Option<licdesk_core::InstallationKey>,
}

/// How many bytes of files one window of a bulk import holds (see [`Desk::import_paths_with`]):
/// a third of the 32 MiB its windows hold at most, for the two windows after the one applied
/// are read and checked meanwhile. (Small files read ahead add at most
/// [`IMPORT_READ_AHEAD_BYTES`].)
pub const IMPORT_WINDOW_BYTES: u64 = 32 * 1024 * 1024 / 3;

/// The most rows a list page may ask for.
pub const MAX_PAGE: u32 = 500;

#[derive(Debug)]
pub struct Desk {
    store: Store,
    trust: TrustStore,
    /// Where the store is.
    location: StoreLocation,
    /// What the desk keeps on this computer beside it.
    home: DeskHome,
    /// Where the desk's time comes from (the system clock; tests set one).
    clock: std::sync::Arc<dyn Clock>,
}

/// The system clock's time (what [`SystemClock`] gives).
pub fn now() -> Timestamp {
    SystemClock.now()
}

/// This machine's hardware (components hashed; see the tolerance rule in `licdesk_core::hwid`).
pub fn this_machine() -> Result<Hardware, DeskError> {
    Ok(licdesk_machine::this_machine()?)
}
