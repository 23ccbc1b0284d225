//! Writing a file that a person named (`--out FILE`, a path typed in the window) without ever
//! harming something else. Every output of the desk, the `licdesk` command line and the vendor
//! tool goes through [`Output`]:
//!
//! - A **protected** file — the store and its `-wal`/`-shm`/`-journal` siblings, the installation
//!   key, the vendor's private key, its public key file and its ledger — is refused under any
//!   name: compared by file identity (device and inode, through the `same-file` crate) after
//!   links are followed, so `dir/../store.sqlite`, a symbolic link or a hard link to the store
//!   are all the store. A protected file that does not exist yet is matched by its name in the
//!   same folder, however that folder is written.
//! - Something that is **not a regular file** (a folder, a device such as `/dev/null`, a named
//!   pipe, a socket) is refused with a sentence saying what it is.
//! - An **existing file** is replaced only when the caller says so ([`IfExists::Replace`], the
//!   `--force` flag). A symbolic link at the target counts as existing; replacing it replaces the
//!   link itself, and the file it led to is left as it was.
//! - The content goes to a **temporary file** beside the target, created exclusively (so a
//!   symbolic link planted at that name is never followed) under a name nobody can guess
//!   (`.NAME.<pid>.<random>.licdesk-tmp`), written whole, flushed to the disk, and only then
//!   renamed over the target. On any failure — the disk full, an I/O error, the rename — the
//!   temporary file is removed and the target is as it was: never an empty or partial output.
//! - **Orphans**: a process killed while writing leaves its temporary file. Every write sweeps
//!   the temporary files of the same target whose process is gone. On Linux "gone" means
//!   `/proc/<pid>` does not exist; on Windows, that Windows says there is no such process (or it
//!   has ended); elsewhere the files are left (there is no cheap, reliable way to tell, and
//!   removing the temporary file of a live writer would break its write).
//! - **Names Windows cannot hold** (device names such as `CON` or `com1.txt`, the characters
//!   `<>:"|?*`, a trailing dot or space) are refused on Windows before anything is written
//!   ([`windows_name_problem`], a pure function tested everywhere).
//!
//! Private files (keys) are readable by their owner only from their first byte: mode 0600 on
//! Unix, an owner-only access list given at creation on Windows ([`private`], the one place of
//! that policy, also used for the installation key and the vendor key).

pub mod private;
mod read;
mod windows_names;
pub use private::{create_private, exposure, exposure_of, Exposure};
pub use read::{read_capped, ReadError};
pub use windows_names::windows_name_problem;

use std::ffi::OsStr;
use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// The temporary files of this crate end with this, after the writer's pid and a random part.
pub const TEMP_SUFFIX: &str = ".licdesk-tmp";

/// What to do when the target already is a regular file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IfExists {
    /// Refuse and write nothing (the default of every command).
    Refuse,
    /// Replace it (`--force`, or a replacement the user confirmed in the window).
    Replace,
}

impl IfExists {
    /// `--force` given or not.
    pub fn replace_when(force: bool) -> IfExists {
        if force {
            IfExists::Replace
        } else {
            IfExists::Refuse
        }
    }
}

/// Why an output was not written. In every case the target is as it was.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OutputError {
    #[error(
        "{path} is {what}: an output is never written over it. Choose another file to write to"
    )]
    Protected { path: String, what: String },
    #[error("{path} already exists: replace it, or choose another name")]
    Exists { path: String },
    #[error("{path} is {kind}, not a regular file: License Desk writes only regular files. Choose a file name to write to")]
    NotRegular { path: String, kind: &'static str },
    #[error("cannot write {path}: the disk is full. Nothing was written; free some space or write to another disk")]
    DiskFull { path: String },
    #[error("{path} does not name a file: add a file name")]
    NoFileName { path: String },
    #[error("cannot write {path}: {reason}")]
    Io { path: String, reason: String },
    /// Windows: a file name Windows cannot hold (a device name, a forbidden character, a
    /// trailing dot or space).
    #[error("{path} cannot be a file name on Windows: {reason}. Nothing was written; choose another name")]
    NameNotAllowed { path: String, reason: &'static str },
}

impl OutputError {
    /// The stable code of this error, for scripts and for the window's sentences.
    pub fn code(&self) -> &'static str {
        match self {
            OutputError::Protected { .. } => "output_protected",
            // The code the window and the vendor tool used for an existing file before: kept.
            OutputError::Exists { .. } => "file_exists",
            OutputError::NotRegular { .. } => "output_not_regular",
            OutputError::DiskFull { .. } => "disk_full",
            OutputError::NoFileName { .. } => "invalid_input",
            OutputError::Io { .. } => "io",
            OutputError::NameNotAllowed { .. } => "invalid_input",
        }
    }
}

/// A file to write for a person, with the files it must never be.
#[derive(Debug, Clone)]
pub struct Output {
    path: PathBuf,
    if_exists: IfExists,
    private: bool,
    protected: Vec<(PathBuf, String)>,
}

/// The files of an SQLite database at `path`: the file itself and the siblings SQLite keeps
/// beside it (write-ahead log, shared memory index, rollback journal).
pub fn database_files(path: &Path) -> Vec<PathBuf> {
    let mut files = vec![path.to_path_buf()];
    for suffix in ["-wal", "-shm", "-journal"] {
        let mut name = path.as_os_str().to_os_string();
        name.push(suffix);
        files.push(PathBuf::from(name));
    }
    files
}

impl Output {
    pub fn new(path: impl Into<PathBuf>, if_exists: IfExists) -> Output {
        Output {
            path: path.into(),
            if_exists,
            private: false,
            protected: Vec::new(),
        }
    }

    /// The file holds a secret: it is created readable by its owner only (mode 0600 on Unix,
    /// an owner-only access list on Windows).
    pub fn private(mut self) -> Output {
        self.private = true;
        self
    }

    /// Never write over `path`; `what` names it in the refusal ("this desk's store").
    pub fn protect(mut self, path: impl Into<PathBuf>, what: impl Into<String>) -> Output {
        self.protected.push((path.into(), what.into()));
        self
    }

    /// Never write over the SQLite database at `path` nor its sibling files.
    pub fn protect_database(mut self, path: &Path, what: &str) -> Output {
        for file in database_files(path) {
            self = self.protect(file, what);
        }
        self
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Checks, without writing anything, that the output may be written now. A caller that
    /// records something before writing (a ledger, a store) checks first, so that a refused
    /// output changes nothing. [`Output::write`] checks again.
    pub fn check(&self) -> Result<(), OutputError> {
        let (dir, name) = self.dir_and_name()?;
        if cfg!(windows) {
            if let Some(reason) = windows_name_problem(&name.to_string_lossy()) {
                return Err(OutputError::NameNotAllowed {
                    path: self.shown(),
                    reason,
                });
            }
        }
        let entry = match std::fs::symlink_metadata(&self.path) {
            Ok(meta) => Some(meta),
            Err(e) if e.kind() == io::ErrorKind::NotFound => None,
            Err(e) => return Err(self.io_error(&e)),
        };
        // What the name leads to, links followed (a dangling link leads nowhere).
        let target = entry
            .as_ref()
            .and_then(|_| std::fs::metadata(&self.path).ok());
        if let Some(meta) = &target {
            if !meta.is_file() {
                return Err(OutputError::NotRegular {
                    path: self.shown(),
                    kind: describe(&meta.file_type()),
                });
            }
        }
        for (protected, what) in &self.protected {
            if (target.is_some() && same_file(&self.path, protected))
                || same_name_in_same_folder(dir, name, protected)
            {
                return Err(OutputError::Protected {
                    path: self.shown(),
                    what: what.clone(),
                });
            }
        }
        if entry.is_some() && self.if_exists == IfExists::Refuse {
            return Err(OutputError::Exists { path: self.shown() });
        }
        Ok(())
    }

    /// Writes `bytes` to the target whole, or leaves the target as it was.
    pub fn write(&self, bytes: &[u8]) -> Result<(), OutputError> {
        self.write_with(&mut os_random, |file| file.write_all(bytes))
    }

    /// [`Output::write`] with the random source of temporary names and the writing itself
    /// given, so that tests can make a name collide or the disk run full.
    fn write_with(
        &self,
        random: &mut dyn FnMut() -> u64,
        fill: impl FnOnce(&mut File) -> io::Result<()>,
    ) -> Result<(), OutputError> {
        self.check()?;
        let (dir, name) = self.dir_and_name()?;
        let stem = temp_stem(name);
        sweep_orphans(dir, &stem);
        let (mut file, temp) =
            create_temp(dir, &stem, self.private, random).map_err(|e| self.io_error(&e))?;
        let written = fill(&mut file).and_then(|()| file.sync_all());
        drop(file);
        let done = match written {
            Err(e) => Err(self.io_error(&e)),
            // What is at the name may have changed since the first check: look again right
            // before the rename.
            Ok(()) => self
                .check()
                .and_then(|()| std::fs::rename(&temp, &self.path).map_err(|e| self.io_error(&e))),
        };
        if done.is_err() {
            let _ = std::fs::remove_file(&temp);
        } else {
            sync_folder(dir);
        }
        done
    }

    fn dir_and_name(&self) -> Result<(&Path, &OsStr), OutputError> {
        let name = self
            .path
            .file_name()
            .ok_or_else(|| OutputError::NoFileName { path: self.shown() })?;
        Ok((folder_of(&self.path), name))
    }

    fn shown(&self) -> String {
        self.path.display().to_string()
    }

    fn io_error(&self, e: &io::Error) -> OutputError {
        if is_disk_full(e) {
            return OutputError::DiskFull { path: self.shown() };
        }
        let reason = match e.kind() {
            io::ErrorKind::NotFound => "its folder does not exist".to_string(),
            io::ErrorKind::PermissionDenied => {
                "permission denied: choose a folder you may write to".to_string()
            }
            _ => e.to_string(),
        };
        OutputError::Io {
            path: self.shown(),
            reason,
        }
    }
}

fn folder_of(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// Whether `a` and `b` are the same file (device and inode on Unix, volume and file index on
/// Windows), links followed. A file this process cannot open is not one of the protected
/// files: those are all open or readable to it.
fn same_file(a: &Path, b: &Path) -> bool {
    same_file::is_same_file(a, b).unwrap_or(false)
}

/// Whether a target at `dir/name` is `protected`, compared by its folder's identity and its
/// name: this catches a protected file that does not exist yet (an SQLite sibling, say).
fn same_name_in_same_folder(dir: &Path, name: &OsStr, protected: &Path) -> bool {
    protected.file_name() == Some(name) && same_file(dir, folder_of(protected))
}

fn describe(kind: &std::fs::FileType) -> &'static str {
    if kind.is_dir() {
        return "a folder";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_char_device() {
            return "a device (a character device, like /dev/null)";
        }
        if kind.is_block_device() {
            return "a device (a disk or a partition)";
        }
        if kind.is_fifo() {
            return "a named pipe (FIFO)";
        }
        if kind.is_socket() {
            return "a socket";
        }
    }
    "something other than a file"
}

fn is_disk_full(e: &io::Error) -> bool {
    #[cfg(unix)]
    {
        // ENOSPC; on Linux also EDQUOT (the user's quota, full for them all the same).
        let quota = if cfg!(target_os = "linux") { 122 } else { 69 };
        matches!(e.raw_os_error(), Some(28)) || e.raw_os_error() == Some(quota)
    }
    #[cfg(windows)]
    {
        // ERROR_HANDLE_DISK_FULL, ERROR_DISK_FULL
        matches!(e.raw_os_error(), Some(39) | Some(112))
    }
    #[cfg(not(any(unix, windows)))]
    {
        let _ = e;
        false
    }
}

/// `.NAME.` — the start of every temporary file name for the target NAME. A long name is cut so
/// that the temporary name stays within the file system's limit (255 bytes).
fn temp_stem(name: &OsStr) -> String {
    let name = name.to_string_lossy();
    let mut end = name.len().min(160);
    while !name.is_char_boundary(end) {
        end -= 1;
    }
    format!(".{}.", &name[..end])
}

fn os_random() -> u64 {
    rand_core::RngCore::next_u64(&mut rand_core::OsRng)
}

/// Creates the temporary file exclusively: an existing name, a symbolic link included, is never
/// opened; another random name is tried instead.
fn create_temp(
    dir: &Path,
    stem: &str,
    private: bool,
    random: &mut dyn FnMut() -> u64,
) -> io::Result<(File, PathBuf)> {
    let pid = std::process::id();
    let mut last = None;
    for _ in 0..16 {
        let path = dir.join(format!("{stem}{pid}.{:016x}{TEMP_SUFFIX}", random()));
        let created = if private {
            create_private(&path)
        } else {
            OpenOptions::new().write(true).create_new(true).open(&path)
        };
        match created {
            Ok(file) => return Ok((file, path)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => last = Some(e),
            Err(e) => return Err(e),
        }
    }
    Err(last.unwrap_or_else(|| io::Error::other("no free temporary file name")))
}

/// Removes the temporary files of this target left by processes that are gone.
fn sweep_orphans(dir: &Path, stem: &str) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let own = std::process::id();
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = orphan_pid(&name.to_string_lossy(), stem) else {
            continue;
        };
        let is_dir = entry.file_type().map(|t| t.is_dir()).unwrap_or(true);
        if pid != own && !is_dir && process_is_gone(pid) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// The writer's pid in a temporary file name of ours for the target of `stem`.
fn orphan_pid(name: &str, stem: &str) -> Option<u32> {
    let rest = name.strip_prefix(stem)?.strip_suffix(TEMP_SUFFIX)?;
    let (pid, random) = rest.split_once('.')?;
    let ours = random.len() == 16 && random.bytes().all(|b| b.is_ascii_hexdigit());
    let digits = !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit());
    (ours && digits).then(|| pid.parse().ok()).flatten()
}

#[cfg(target_os = "linux")]
fn process_is_gone(pid: u32) -> bool {
    // Without a mounted /proc nothing can be told: leave the file.
    Path::new("/proc/self").exists() && !Path::new("/proc").join(pid.to_string()).exists()
}

#[cfg(windows)]
fn process_is_gone(pid: u32) -> bool {
    // Only when Windows says so; a process it cannot tell about is left alone.
    licdesk_winsys::is_running(pid) == Some(false)
}

#[cfg(not(any(target_os = "linux", windows)))]
fn process_is_gone(_pid: u32) -> bool {
    false
}

/// Makes the rename itself durable (Unix; elsewhere a folder cannot be opened for this).
fn sync_folder(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

#[cfg(test)]
mod tests;
