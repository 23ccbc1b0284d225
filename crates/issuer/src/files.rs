//! The files the vendor tool reads (requests, within their size caps) and writes ([`output`]:
//! never over its key or its ledger).

use std::io::Read;
use std::path::Path;

use licdesk_core::FileKind;
use licdesk_outfile::{IfExists, Output};

use crate::error::{io, IssuerError};
use crate::key::public_key_path;

/// A file the vendor tool writes for people at `out`: never over the vendor private key given
/// with `--key` (nor its public key file beside it) or the ledger given with `--ledger`, under
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
        output = output.protect_database(ledger, "the ledger given with --ledger");
    }
    output
}

/// Reads a request file within its size cap.
pub fn read_request(path: &Path) -> Result<Vec<u8>, IssuerError> {
    read_capped(path, FileKind::ActivationRequest.size_cap())
}

/// Reads a file of at most `cap` bytes; a larger one is refused from its metadata, unread.
pub fn read_capped(path: &Path, cap: u64) -> Result<Vec<u8>, IssuerError> {
    let file = std::fs::File::open(path).map_err(|e| io("cannot read", path, e))?;
    let len = file
        .metadata()
        .map_err(|e| io("cannot read", path, e))?
        .len();
    if len > cap {
        return Err(IssuerError::RequestTooLarge {
            path: path.display().to_string(),
            len,
            cap,
        });
    }
    let mut bytes = Vec::new();
    file.take(cap + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| io("cannot read", path, e))?;
    if bytes.len() as u64 > cap {
        return Err(IssuerError::RequestGrew { cap });
    }
    Ok(bytes)
}
