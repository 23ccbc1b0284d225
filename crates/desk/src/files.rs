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

/// A file's size (0 when it cannot be opened) and the kind its first line names, through one
/// open: what a bulk import orders and cuts its windows by.
pub fn peek_size_and_kind(path: &Path) -> (u64, Option<licdesk_core::FileKind>) {
    let Ok(file) = std::fs::File::open(path) else {
        return (0, None);
    };
    let size = file.metadata().map_or(0, |m| m.len());
    let mut head = Vec::with_capacity(licdesk_core::FileKind::HEAD_BYTES);
    let kind = file
        .take(licdesk_core::FileKind::HEAD_BYTES as u64)
        .read_to_end(&mut head)
        .ok()
        .and_then(|_| licdesk_core::FileKind::named_by(&head));
    (size, kind)
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
