//! Reading the files people carry: sizes are capped before anything is read. Files are written
//! through [`Desk::output`](crate::Desk::output) (`licdesk-outfile`).

use std::io::Read;
use std::path::Path;

use licdesk_core::envelope::MAX_FILE_BYTES;
use sha2::{Digest, Sha256};

use crate::error::DeskError;
use crate::ImportRefusal;

/// Reads a file of at most `cap` bytes (the shared policy, `licdesk_outfile::read_capped`): a
/// larger one is refused from its metadata, unread.
pub fn read_capped(path: &Path, cap: u64) -> Result<Vec<u8>, DeskError> {
    use licdesk_outfile::ReadError;
    let too_large = |size: u64| {
        DeskError::from(ImportRefusal::FileTooLarge {
            path: path.to_path_buf(),
            size,
            cap,
        })
    };
    licdesk_outfile::read_capped(path, cap).map_err(|e| match e {
        ReadError::Folder { .. } => ImportRefusal::FileIsFolder {
            path: path.to_path_buf(),
        }
        .into(),
        ReadError::TooLarge { len, .. } => too_large(len),
        ReadError::Grew { cap, .. } => too_large(cap + 1),
        ReadError::Io { source, .. } => DeskError::io("read", path, &source),
    })
}

/// What one open of a file tells a bulk import before it orders the files: its size (0 when it
/// cannot be opened), the kind its first line names, and its bytes when they were read whole.
#[derive(Debug)]
pub struct Peeked {
    pub size: u64,
    pub kind: Option<licdesk_core::FileKind>,
    pub bytes: Option<Vec<u8>>,
}

/// The largest file a bulk import reads whole when it first opens it (certificates and responses
/// are a few KB; journals, up to the cap, are read when their window is checked).
pub const READ_AHEAD_FILE_BYTES: u64 = 64 * 1024;

/// Opens a file once for what a bulk import orders and cuts its windows by (see [`Peeked`]).
/// A regular file of at most [`READ_AHEAD_FILE_BYTES`] is read whole when `reserve(size)`
/// grants it room (the bytes are then not read again when its window is checked: on a 2-core
/// machine the second open and read came to a tenth of a bulk import's work); any other file,
/// or one that changed size meanwhile (`unreserve` gives its room back), only its first line:
/// its window reads it as any file, with the cap and the errors of [`read_license_file`].
pub fn peek_file(
    path: &Path,
    reserve: impl FnOnce(u64) -> bool,
    unreserve: impl FnOnce(u64),
) -> Peeked {
    let Ok(mut file) = std::fs::File::open(path) else {
        return Peeked {
            size: 0,
            kind: None,
            bytes: None,
        };
    };
    let (size, regular) = file
        .metadata()
        .map_or((0, false), |m| (m.len(), m.is_file()));
    if regular && size <= READ_AHEAD_FILE_BYTES && reserve(size) {
        let mut bytes = Vec::with_capacity(size as usize);
        // Changed while read, or unreadable: its window reads it again, and says why.
        let whole = (&mut file)
            .take(size + 1)
            .read_to_end(&mut bytes)
            .is_ok_and(|read| read as u64 == size);
        if !whole {
            unreserve(size);
        }
        return Peeked {
            size,
            kind: licdesk_core::FileKind::named_by(&bytes),
            bytes: whole.then_some(bytes),
        };
    }
    let mut head = Vec::with_capacity(licdesk_core::FileKind::HEAD_BYTES);
    let kind = file
        .take(licdesk_core::FileKind::HEAD_BYTES as u64)
        .read_to_end(&mut head)
        .ok()
        .and_then(|_| licdesk_core::FileKind::named_by(&head));
    Peeked {
        size,
        kind,
        bytes: None,
    }
}

/// Reads any License Desk file (the largest cap of all kinds).
pub fn read_license_file(path: &Path) -> Result<Vec<u8>, DeskError> {
    read_capped(path, MAX_FILE_BYTES)
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    licdesk_core::hex::encode(&Sha256::digest(bytes))
}

/// The files to import from paths a person named (picked, dropped or typed): a file as it is, a
/// folder as the regular files in it (not the folders inside it), by name; each file once. A
/// path that is not a full path, does not exist, or is a folder that cannot be read or holds
/// no file is refused, naming it, before anything is imported.
pub fn files_to_import(paths: &[std::path::PathBuf]) -> Result<Vec<std::path::PathBuf>, DeskError> {
    let mut files = Vec::new();
    for path in paths {
        if !path.is_absolute() {
            return Err(ImportRefusal::PathNotAbsolute { path: path.clone() }.into());
        }
        let metadata = std::fs::metadata(path).map_err(|e| match e.kind() {
            // (A path through a file, /a/file.lic/b, does not exist either.)
            std::io::ErrorKind::NotFound | std::io::ErrorKind::NotADirectory => {
                ImportRefusal::PathMissing { path: path.clone() }
            }
            _ => ImportRefusal::FolderUnreadable {
                path: path.clone(),
                reason: e.to_string(),
            },
        })?;
        if !metadata.is_dir() {
            files.push(path.clone());
            continue;
        }
        let unreadable = |e: std::io::Error| ImportRefusal::FolderUnreadable {
            path: path.clone(),
            reason: e.to_string(),
        };
        let mut inside = Vec::new();
        for entry in std::fs::read_dir(path).map_err(unreadable)? {
            let entry = entry.map_err(unreadable)?;
            // Links are followed: a link to a file is that file.
            if std::fs::metadata(entry.path()).is_ok_and(|m| m.is_file()) {
                inside.push(entry.path());
            }
        }
        if inside.is_empty() {
            return Err(ImportRefusal::NothingToImport { path: path.clone() }.into());
        }
        inside.sort();
        files.extend(inside);
    }
    let mut seen = std::collections::HashSet::new();
    files.retain(|f| seen.insert(f.clone()));
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    const CERTIFICATE: &[u8] = b"-----BEGIN LICDESK BASE LICENSE CERTIFICATE-----\nkey: k\n";

    #[test]
    fn a_small_file_given_room_is_read_whole_through_the_one_open() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.lic");
        std::fs::write(&path, CERTIFICATE).unwrap();
        let asked = Cell::new(None);
        let peeked = peek_file(
            &path,
            |size| {
                asked.set(Some(size));
                true
            },
            |_| panic!("nothing to give back"),
        );
        assert_eq!(asked.get(), Some(CERTIFICATE.len() as u64));
        assert_eq!(peeked.size, CERTIFICATE.len() as u64);
        assert_eq!(peeked.kind, Some(licdesk_core::FileKind::BaseCertificate));
        assert_eq!(peeked.bytes.as_deref(), Some(CERTIFICATE));
    }

    #[test]
    fn without_room_or_over_the_read_ahead_size_only_the_kind_is_read() {
        let dir = tempfile::tempdir().unwrap();
        let small = dir.path().join("a.lic");
        std::fs::write(&small, CERTIFICATE).unwrap();
        let peeked = peek_file(&small, |_| false, |_| panic!("nothing was reserved"));
        assert_eq!(peeked.kind, Some(licdesk_core::FileKind::BaseCertificate));
        assert_eq!(peeked.bytes, None);

        let large = dir.path().join("b.lic");
        let mut text = CERTIFICATE.to_vec();
        text.resize(READ_AHEAD_FILE_BYTES as usize + 1, b'x');
        std::fs::write(&large, &text).unwrap();
        let peeked = peek_file(&large, |_| panic!("too large to ask"), |_| {});
        assert_eq!(peeked.size, READ_AHEAD_FILE_BYTES + 1);
        assert_eq!(peeked.kind, Some(licdesk_core::FileKind::BaseCertificate));
        assert_eq!(peeked.bytes, None);
    }

    #[test]
    fn a_folder_or_a_missing_file_is_not_read_ahead() {
        let dir = tempfile::tempdir().unwrap();
        let never = |_| panic!("not a file to read");
        let folder = peek_file(dir.path(), never, |_| {});
        assert_eq!((folder.kind, folder.bytes), (None, None));
        let missing = peek_file(&dir.path().join("gone.lic"), never, |_| {});
        assert_eq!((missing.size, missing.kind, missing.bytes), (0, None, None));
    }
}
