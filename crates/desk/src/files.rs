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

/// The kind a file's first line names, read from its first bytes only (None when it cannot be
/// read or names none: the import then says why).
pub fn peek_kind(path: &Path) -> Option<licdesk_core::FileKind> {
    let mut head = Vec::with_capacity(licdesk_core::FileKind::HEAD_BYTES);
    std::fs::File::open(path)
        .ok()?
        .take(licdesk_core::FileKind::HEAD_BYTES as u64)
        .read_to_end(&mut head)
        .ok()?;
    licdesk_core::FileKind::named_by(&head)
}

/// Reads any License Desk file (the largest cap of all kinds).
pub fn read_license_file(path: &Path) -> Result<Vec<u8>, DeskError> {
    read_capped(path, MAX_FILE_BYTES)
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    licdesk_core::hex::encode(&Sha256::digest(bytes))
}
