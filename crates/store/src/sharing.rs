//! The store's files as two accounts share them: the desk's user writes the store, a monitoring
//! account (Nagios, Icinga, Checkmk's agent) only reads it.
//!
//! SQLite reads a WAL database without write access to its folder only when its `-wal` and `-shm`
//! files already exist and it can read them. So a writer keeps them (the last connection to close
//! does not delete them: `SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE`, with a checkpoint of its own before
//! closing), gives them the store's group and mode, and a reader never creates them: it refuses a
//! WAL store whose `-wal` or `-shm` is missing instead of letting SQLite create files that would
//! belong to the monitoring account (and lock the desk out of its own store).

use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// The files beside a WAL store that every connection, reading or writing, opens.
pub const WAL_SIBLINGS: [&str; 2] = ["-wal", "-shm"];

/// `store` with `suffix` appended to its file name (`store.sqlite-wal`).
pub fn sibling(store: &Path, suffix: &str) -> PathBuf {
    let mut name = OsString::from(store.as_os_str());
    name.push(suffix);
    PathBuf::from(name)
}

/// Whether the file at `path` is an SQLite database in WAL mode (its header says so).
pub(crate) fn is_wal_database(path: &Path) -> bool {
    use std::io::Read;
    let mut header = [0u8; 20];
    std::fs::File::open(path)
        .and_then(|mut f| f.read_exact(&mut header))
        .is_ok()
        && header.starts_with(b"SQLite format 3\0")
        && (header[18] == 2 || header[19] == 2)
}

/// The WAL siblings a reader would need but are missing: reading then would create them.
pub(crate) fn missing_wal_siblings(store: &Path) -> Vec<String> {
    if !is_wal_database(store) {
        return Vec::new();
    }
    WAL_SIBLINGS
        .iter()
        .filter(|s| !sibling(store, s).exists())
        .map(|s| format!("{}{s}", file_name(store)))
        .collect()
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// The mode of a store License Desk creates: its user reads and writes it, its group reads it
/// (an administrator adds the monitoring account to that group), others nothing.
#[cfg(unix)]
pub const STORE_MODE: u32 = 0o640;

/// Gives a store just created [`STORE_MODE`] (SQLite creates it readable by everyone).
#[cfg(unix)]
pub(crate) fn restrict_new_store(path: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(STORE_MODE))
}

#[cfg(not(unix))]
pub(crate) fn restrict_new_store(_path: &Path) -> std::io::Result<()> {
    // Windows: the store inherits its folder's access list (README: an ACL entry for the
    // monitoring account on the folder).
    Ok(())
}

/// Gives the `-wal` and `-shm` files the store's group and its read and write bits, so that
/// whoever may read the store may read them too. Best effort: a sibling this user does not own
/// is left as it is (SQLite itself then names the store read-only when writing).
#[cfg(unix)]
pub(crate) fn share_siblings_like_store(store: &Path) {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let Ok(meta) = std::fs::metadata(store) else {
        return;
    };
    let mode = meta.mode() & 0o666;
    for suffix in WAL_SIBLINGS {
        let path = sibling(store, suffix);
        let Ok(m) = std::fs::metadata(&path) else {
            continue;
        };
        if m.gid() != meta.gid() {
            let _ = std::os::unix::fs::chown(&path, None, Some(meta.gid()));
        }
        if m.mode() & 0o777 != mode {
            let _ = std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode));
        }
    }
}

#[cfg(not(unix))]
pub(crate) fn share_siblings_like_store(_store: &Path) {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn siblings_are_named_after_the_store() {
        assert_eq!(
            sibling(Path::new("/a/b/store.sqlite"), "-wal"),
            PathBuf::from("/a/b/store.sqlite-wal")
        );
    }

    #[test]
    fn only_a_wal_database_needs_its_siblings() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let text = dir.path().join("text.sqlite");
        std::fs::write(&text, "not a database").unwrap_or_else(|e| panic!("{e}"));
        assert!(missing_wal_siblings(&text).is_empty());
        let mut header = b"SQLite format 3\0".to_vec();
        header.extend_from_slice(&[0x10, 0, 2, 2]);
        header.resize(4096, 0);
        let wal = dir.path().join("wal.sqlite");
        std::fs::write(&wal, &header).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            missing_wal_siblings(&wal),
            ["wal.sqlite-wal", "wal.sqlite-shm"]
        );
        std::fs::write(sibling(&wal, "-wal"), b"").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(missing_wal_siblings(&wal), ["wal.sqlite-shm"]);
    }
}
