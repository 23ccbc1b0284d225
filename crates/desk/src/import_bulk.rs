//! The bulk path of an import, in two halves: a window's files are read, parsed, verified
//! strictly and their content parsed on every core ([`check_window`]: it needs no store, so the
//! next window can be checked while this one is applied), then applied in order in one
//! transaction, each file whole or not at all ([`apply_checked`]).

use crate::certificates::BaseCheck;
use crate::machines::OwnInstallation;
use crate::time::LatestSignedTime;
use crate::vendor_file::{refused, Imported, Signer, VendorPayload};
use crate::views::*;
use crate::{Desk, DeskError, ErrorCode};
use licdesk_core::trust::TrustedKey;
use licdesk_core::{Envelope, FileKind, Timestamp, TrustStore};

/// A file of a window, checked as far as it can be without the store.
pub(crate) struct CheckedFile {
    pub(crate) name: String,
    pub(crate) check: Check,
}

pub(crate) enum Check {
    /// A certificate or a response naming a trusted key, its signature verified and its
    /// content parsed: applied in the window's transaction.
    Passed(Checked),
    /// A certificate or a response naming a trusted key that failed its check: the single-file
    /// path names the precise reason.
    Failed(Vec<u8>),
    /// Any other file (another kind, a key not trusted, no License Desk file, not read): the
    /// single-file path.
    Other(Result<Vec<u8>, DeskError>),
}

impl Check {
    /// Whether the file takes part in the window's transaction (so a store error concerns it).
    pub(crate) fn is_vendor_file(&self) -> bool {
        matches!(self, Check::Passed(_) | Check::Failed(_))
    }
}

/// A vendor file whose signature verified and whose content parsed, ready to apply.
pub(crate) struct Checked {
    pub(crate) payload: VendorPayload,
    pub(crate) signer: Signer,
    pub(crate) hash: String,
    pub(crate) text: String,
}

/// `f` over `items` in their order, the work shared over every core (rayon's pool).
pub(crate) fn on_every_core<T: Send, U: Send>(items: Vec<T>, f: impl Fn(T) -> U + Sync) -> Vec<U> {
    use rayon::prelude::*;
    items.into_par_iter().with_min_len(128).map(&f).collect()
}

/// Checks a window's files on every core, each got by `load` (its name, and its bytes read
/// within the size cap) on the core that checks it, and puts them in the order to apply: base
/// certificates, then FailoverSuite certificates, then responses and releases, then the rest;
/// otherwise as given. Verification is strict (`verify_strict`, as for a single file), one
/// signature at a time: batch verification accepts signatures that `verify_strict` refuses.
pub(crate) fn check_window<T: Send>(
    trust: &TrustStore,
    files: Vec<T>,
    load: impl Fn(T) -> (String, Result<Vec<u8>, DeskError>) + Sync,
) -> Vec<CheckedFile> {
    let mut checked = on_every_core(files, |file| {
        let (name, bytes) = load(file);
        check_file(trust, name, bytes)
    });
    checked.sort_by_key(|(priority, _)| *priority);
    checked.into_iter().map(|(_, file)| file).collect()
}

/// A file's place in the order of an import by its kind (None: no License Desk file).
pub(crate) fn kind_priority(kind: Option<FileKind>) -> u8 {
    match kind {
        Some(FileKind::BaseCertificate) => 0,
        Some(FileKind::FailoverCertificate) => 1,
        Some(FileKind::ActivationResponse) | Some(FileKind::Release) => 2,
        _ => 3,
    }
}

/// One file's check, and its place in the order by kind.
fn check_file(
    trust: &TrustStore,
    name: String,
    bytes: Result<Vec<u8>, DeskError>,
) -> (u8, CheckedFile) {
    let envelope = bytes.as_ref().ok().and_then(|b| Envelope::parse(b).ok());
    let priority = kind_priority(envelope.as_ref().map(Envelope::kind));
    let check = match (envelope, bytes) {
        (Some(envelope), Ok(bytes))
            if matches!(
                envelope.kind(),
                FileKind::BaseCertificate
                    | FileKind::FailoverCertificate
                    | FileKind::ActivationResponse
            ) =>
        {
            match trust.get(envelope.key_id()) {
                Some(key) => verify(envelope, key, bytes),
                None => Check::Other(Ok(bytes)),
            }
        }
        (_, bytes) => Check::Other(bytes),
    };
    (priority, CheckedFile { name, check })
}

/// Verifies a file strictly against the trusted key it names, and parses its content.
fn verify(envelope: Envelope, trusted: &TrustedKey, bytes: Vec<u8>) -> Check {
    let hash = envelope.content_id();
    match envelope
        .verify(&trusted.key)
        .map_err(DeskError::from)
        .and_then(|v| VendorPayload::of(&v))
    {
        Ok(payload) => Check::Passed(Checked {
            payload,
            signer: Signer {
                key_id: trusted.key_id.clone(),
                demo: trusted.demo,
            },
            hash,
            // The bytes become the text without a copy (a window's bytes are held once).
            text: String::from_utf8(bytes)
                .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()),
        }),
        Err(_) => Check::Failed(bytes),
    }
}

/// How a window's transaction keeps each file whole or absent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Savepoints {
    /// A base certificate goes without a savepoint: every refusal of one comes before its first
    /// write ([`Desk::check_base`]), so a refused one has nothing to undo; should the store fail
    /// while one is written, the window is rolled back and applied again with
    /// [`Savepoints::EveryFile`]. (A savepoint costs SQLite a copy of each page the file
    /// changes, in its statement journal.) The other kinds have a savepoint each.
    WhereNeeded,
    /// A savepoint for every file: a store error while writing one refuses that file alone.
    EveryFile,
}

/// A store error while a base certificate was written without a savepoint: part of it may be in
/// the transaction, so the window is applied again from the start.
struct WriteFailed(DeskError);

/// Applies the window's files that passed their check, in their order, in one transaction; an
/// outcome for each, by its place in the window. A file the store refuses is refused on its
/// own and leaves nothing of itself. On a store error (a full disk, a damaged store) nothing is
/// applied and the error is returned.
pub(crate) fn apply_checked(
    store: &mut licdesk_store::Store,
    files: &[CheckedFile],
    own: &OwnInstallation,
    at: Timestamp,
) -> Result<Vec<(usize, ImportOutcome)>, DeskError> {
    match apply_in_transaction(store, files, own, at, Savepoints::WhereNeeded)? {
        Ok(done) => Ok(done),
        // (The transaction was dropped, so rolled back.)
        Err(WriteFailed(_)) => {
            match apply_in_transaction(store, files, own, at, Savepoints::EveryFile)? {
                Ok(done) => Ok(done),
                // With a savepoint for every file, no write failure escapes it.
                Err(WriteFailed(e)) => Err(e),
            }
        }
    }
}

/// [`apply_checked`] in one transaction, with `savepoints`.
fn apply_in_transaction(
    store: &mut licdesk_store::Store,
    files: &[CheckedFile],
    own: &OwnInstallation,
    at: Timestamp,
    savepoints: Savepoints,
) -> Result<Result<Vec<(usize, ImportOutcome)>, WriteFailed>, DeskError> {
    let tx = store.write_with_journal_in_memory()?;
    let mut signed = LatestSignedTime::default();
    let mut done = Vec::new();
    for (n, file) in files.iter().enumerate() {
        let Check::Passed(checked) = &file.check else {
            continue;
        };
        let kind = checked.payload.kind();
        let result = match (&checked.payload, savepoints) {
            (VendorPayload::Base(cert), Savepoints::WhereNeeded) => {
                match apply_base_unguarded(&tx, cert, checked, at, &mut signed) {
                    Ok(result) => result,
                    Err(write_failed) if ends_window(&write_failed.0) => return Err(write_failed.0),
                    Err(write_failed) => return Ok(Err(write_failed)),
                }
            }
            _ => apply_in_savepoint(&tx, checked, own, at)?,
        };
        let outcome = match result {
            Ok((status, license, message)) => ImportOutcome {
                file: file.name.clone(),
                kind: Some(kind.tag()),
                status,
                result: status.result(),
                activation: ActivatedSystem::after_import(&tx, status, &license),
                license: Some(license),
                message,
                error: None,
            },
            Err(e) => refused(&file.name, Some(kind), e),
        };
        done.push((n, outcome));
    }
    signed.raise_floor(&tx)?;
    tx.commit()?;
    Ok(Ok(done))
}

/// A full disk or a damaged store ends the whole window unchanged.
fn ends_window(e: &DeskError) -> bool {
    matches!(e.code, ErrorCode::DiskFull | ErrorCode::StoreDamaged)
}

/// A base certificate applied without a savepoint: its checks write nothing (a refusal is the
/// inner error, the store as it was); a store error once it writes is the outer one, as is a
/// full disk or a damaged store met while it is checked (that ends the window).
fn apply_base_unguarded(
    tx: &licdesk_store::Tx<'_>,
    cert: &licdesk_core::BaseCertificate,
    checked: &Checked,
    at: Timestamp,
    signed: &mut LatestSignedTime,
) -> Result<Result<Imported, DeskError>, WriteFailed> {
    let check = match Desk::check_base(tx, cert, &checked.hash) {
        Ok(check) => check,
        Err(e) if ends_window(&e) => return Err(WriteFailed(e)),
        Err(refusal) => return Ok(Err(refusal)),
    };
    let writes_certificate = matches!(check, BaseCheck::Write(_));
    let imported = Desk::write_base(
        tx,
        cert,
        check,
        &checked.signer,
        &checked.hash,
        &checked.text,
        at,
    )
    .map_err(WriteFailed)?;
    if writes_certificate {
        signed.saw(cert.issued_at);
    }
    Ok(Ok(imported))
}

/// A file applied inside a savepoint: refused (the inner error), it leaves nothing of itself; a
/// full disk or a damaged store (the outer error) ends the window.
fn apply_in_savepoint(
    tx: &licdesk_store::Tx<'_>,
    checked: &Checked,
    own: &OwnInstallation,
    at: Timestamp,
) -> Result<Result<Imported, DeskError>, DeskError> {
    tx.savepoint()?;
    let result = checked
        .payload
        .apply(tx, &checked.signer, &checked.hash, &checked.text, own, at);
    match result {
        Ok(imported) => {
            tx.release_savepoint()?;
            Ok(Ok(imported))
        }
        Err(e) => {
            // SQLite may have rolled the transaction back already: then the savepoint is gone,
            // and the first error is the one to tell.
            if ends_window(&e) || tx.rollback_to_savepoint().is_err() {
                return Err(e);
            }
            Ok(Err(e))
        }
    }
}

#[cfg(test)]
#[path = "import_bulk_tests.rs"]
mod tests;
