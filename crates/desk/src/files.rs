//! Reading the files people carry: sizes are capped before anything is read. Files are written
//! through [`Desk::output`](crate::Desk::output) (`licdesk-outfile`).

use std::io::Read;
use std::path::Path;

use licdesk_core::envelope::MAX_FILE_BYTES;
use sha2::{Digest, Sha256};

use crate::error::{DeskError, ErrorCode};

/// Reads a file of at most `cap` bytes; a larger one is refused from its metadata, unread.
pub fn read_capped(path: &Path, cap: u64) -> Result<Vec<u8>, DeskError> {
    let file = std::fs::File::open(path).map_err(|e| DeskError::io("read", path, &e))?;
    let meta = file
        .metadata()
        .map_err(|e| DeskError::io("read", path, &e))?;
    if meta.is_dir() {
        return Err(DeskError::invalid(format!(
            "{} is a folder, not a file",
            path.display()
        )));
    }
    let too_large = |size: u64| {
        DeskError::new(
            ErrorCode::TooLarge,
            format!(
                "{} is {size} bytes, more than the {cap} bytes a License Desk file may have: it is not a License Desk file",
                path.display()
            ),
        )
    };
    if meta.len() > cap {
        return Err(too_large(meta.len()));
    }
    // The file may grow while we read: never take more than cap + 1 bytes.
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(cap + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| DeskError::io("read", path, &e))?;
    if bytes.len() as u64 > cap {
        return Err(too_large(bytes.len() as u64));
    }
    Ok(bytes)
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
