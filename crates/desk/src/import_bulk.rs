//! The bulk path of an import: signatures verified on every core while this thread applies
//! the files in order, in one transaction with a savepoint per file.

use crate::machines::OwnInstallation;
use crate::vendor_file::{refused, Signer, VendorPayload};
use crate::views::*;
use crate::{DeskError, ErrorCode};
use licdesk_core::{Envelope, Timestamp};

/// A file to verify: its place in the import, its envelope, the trusted key it names, who that
/// key is, and the file's bytes.
pub(crate) struct VerifyJob<'a> {
    pub(crate) n: usize,
    pub(crate) envelope: Envelope,
    pub(crate) key: licdesk_core::VerifyingKey,
    pub(crate) signer: Signer,
    pub(crate) bytes: &'a [u8],
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

/// Verifies a file strictly against its key and parses its content (on a worker thread).
pub(crate) fn check_file(job: VerifyJob<'_>) -> (usize, Result<Checked, DeskError>) {
    let hash = job.envelope.content_id();
    let checked = job
        .envelope
        .verify(&job.key)
        .map_err(DeskError::from)
        .and_then(|v| VendorPayload::of(&v))
        .map(|payload| Checked {
            payload,
            signer: job.signer,
            hash,
            text: String::from_utf8_lossy(job.bytes).into_owned(),
        });
    (job.n, checked)
}

/// One chunk's results: its place in the order, and each file's check.
pub(crate) type CheckedChunk = (usize, Vec<(usize, Result<Checked, DeskError>)>);

/// Verifies and parses the files on every core while this thread applies them, in their order,
/// in one transaction with a savepoint per file: the store's work overlaps the signatures'.
/// (Strict verification has no batch form: batch verification accepts signatures that
/// `verify_strict` refuses.) A file that fails a check gets no outcome here: the single-file
/// path names the precise reason. On a store error nothing is applied, and the error is
/// returned with the files it concerns.
#[allow(clippy::type_complexity)]
pub(crate) fn verify_and_apply(
    store: &mut licdesk_store::Store,
    names: &[&str],
    jobs: Vec<VerifyJob<'_>>,
    own: &OwnInstallation,
    at: Timestamp,
) -> Result<Vec<(usize, ImportOutcome)>, Box<(Vec<usize>, DeskError)>> {
    const CHUNK: usize = 64;
    let concerned: Vec<usize> = jobs.iter().map(|j| j.n).collect();
    let mut chunks: Vec<Vec<VerifyJob<'_>>> = Vec::new();
    let mut jobs = jobs.into_iter().peekable();
    while jobs.peek().is_some() {
        chunks.push(jobs.by_ref().take(CHUNK).collect());
    }
    let count = chunks.len();
    std::thread::scope(|scope| {
        let (sender, receiver) = std::sync::mpsc::channel::<CheckedChunk>();
        // One helper thread hands the chunks to rayon's pool (never a pool thread blocked on
        // this thread's work, so one core is enough); each chunk's results come back tagged
        // with its place, and this thread applies them in order as they arrive.
        let verifier = scope.spawn(move || {
            use rayon::prelude::*;
            chunks
                .into_par_iter()
                .enumerate()
                .for_each_with(sender, |sender, (c, chunk)| {
                    let checked = chunk.into_iter().map(check_file).collect();
                    let _ = sender.send((c, checked));
                });
        });
        let applied = (|| -> Result<Vec<(usize, ImportOutcome)>, DeskError> {
            let tx = store.write()?;
            let mut waiting = std::collections::BTreeMap::new();
            let mut done = Vec::new();
            'chunks: for c in 0..count {
                let chunk = loop {
                    if let Some(chunk) = waiting.remove(&c) {
                        break chunk;
                    }
                    match receiver.recv() {
                        Ok((k, chunk)) => {
                            waiting.insert(k, chunk);
                        }
                        // A worker stopped: the files not checked take the single-file path.
                        Err(_) => break 'chunks,
                    }
                };
                for (n, checked) in chunk {
                    let Ok(checked) = checked else {
                        continue;
                    };
                    let kind = checked.payload.kind();
                    tx.savepoint()?;
                    let result = checked.payload.apply(
                        &tx,
                        &checked.signer,
                        &checked.hash,
                        &checked.text,
                        own,
                        at,
                    );
                    let outcome = match result {
                        Ok((status, license, message)) => {
                            tx.release_savepoint()?;
                            ImportOutcome {
                                file: names[n].to_string(),
                                kind: Some(kind.tag()),
                                status,
                                result: status.result(),
                                activation: ActivatedSystem::after_import(&tx, status, &license),
                                license: Some(license),
                                message,
                                error: None,
                            }
                        }
                        Err(e) => {
                            // A full disk or a damaged store ends the whole import unchanged
                            // (SQLite may have rolled the transaction back already: then the
                            // savepoint is gone, and the first error is the one to tell).
                            if matches!(e.code, ErrorCode::DiskFull | ErrorCode::StoreDamaged)
                                || tx.rollback_to_savepoint().is_err()
                            {
                                return Err(e);
                            }
                            refused(names[n], Some(kind), e)
                        }
                    };
                    done.push((n, outcome));
                }
            }
            tx.commit()?;
            Ok(done)
        })();
        drop(receiver);
        // Joined here, so that a verifier's panic stays its own (its files were not applied).
        let _ = verifier.join();
        applied.map_err(|e| Box::new((concerned, e)))
    })
}
