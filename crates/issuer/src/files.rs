//! The files the vendor tool reads (requests, within their size caps) and writes ([`output`]:
//! never over its key or its ledger).

use std::path::Path;

use licdesk_core::FileKind;
use licdesk_outfile::{IfExists, Output};
use licdesk_store::ledger::LedgerLocation;

use crate::error::{io, IssuerError};
use crate::key::public_key_path;

/// A file the vendor tool writes for people at `out`: never over the vendor private key given
/// with `--key` (nor its public key file beside it) or the ledger file given with `--ledger`, under
/// whatever name; an existing file only when `if_exists` says to replace it.
pub fn output(
    out: &Path,
    if_exists: IfExists,
    key: Option<&Path>,
    ledger: Option<&Path>,
) -> Output {
    let mut output = Output::new(out, if_exists);
    if let Some(key) = key {
        output = output
            .protect(key, "the vendor private key given with --key")
            .protect(
                public_key_path(key),
                "the public key file of the vendor key given with --key",
            );
    }
    if let Some(ledger) = ledger {
        // A ledger on PostgreSQL (a URL) has no file on this machine that an output could hit.
        if let LedgerLocation::Sqlite(file) = LedgerLocation::of(ledger) {
            output = output.protect_database(&file, "the ledger given with --ledger");
        }
    }
    output
}

/// Reads a request file within its size cap.
pub fn read_request(path: &Path) -> Result<Vec<u8>, IssuerError> {
    read_capped(path, FileKind::ActivationRequest.size_cap())
}

/// Reads a file of at most `cap` bytes (the shared policy, `licdesk_outfile::read_capped`): a
/// larger one is refused from its metadata, unread.
pub fn read_capped(path: &Path, cap: u64) -> Result<Vec<u8>, IssuerError> {
    use licdesk_outfile::ReadError;
    licdesk_outfile::read_capped(path, cap).map_err(|e| match e {
        ReadError::TooLarge { len, .. } => IssuerError::RequestTooLarge {
            path: path.display().to_string(),
            len,
            cap,
        },
        ReadError::Grew { cap, .. } => IssuerError::RequestGrew { cap },
        ReadError::Folder { .. } => io(
            "cannot read",
            path,
            std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                "it is a folder, not a file",
            ),
        ),
        ReadError::Io { source, .. } => io("cannot read", path, source),
    })
}
