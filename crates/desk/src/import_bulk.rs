//! The bulk path of an import: signatures verified on every core while this thread applies
//! the files in order, in one transaction with a savepoint per file.

#[allow(unused_imports)]
use crate::prelude::*;

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

/// `f` over `items` in their order, the work shared over every core in contiguous parts (fewer
/// than 256 items stay on this thread). A worker's panic is this thread's, as if `f` had run here.
pub(crate) fn on_every_core<T: Send, U: Send>(items: Vec<T>, f: impl Fn(T) -> U + Sync) -> Vec<U> {
    const MIN_PER_THREAD: usize = 128;
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .min(items.len() / MIN_PER_THREAD)
        .max(1);
    if threads == 1 {
        return items.into_iter().map(f).collect();
    }
    let per_thread = items.len().div_ceil(threads);
    let mut parts = Vec::with_capacity(threads);
    let mut part = Vec::with_capacity(per_thread);
    for item in items {
        part.push(item);
        if part.len() == per_thread {
            parts.push(std::mem::replace(&mut part, Vec::with_capacity(per_thread)));
        }
    }
    if !part.is_empty() {
        parts.push(part);
    }
    let f = &f;
    std::thread::scope(|scope| {
        let workers: Vec<_> = parts
            .into_iter()
            .map(|part| scope.spawn(move || part.into_iter().map(f).collect::<Vec<U>>()))
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    })
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
) -> Result<Vec<(usize, ImportOutcome)>, (Vec<usize>, DeskError)> {
    const CHUNK: usize = 64;
    let concerned: Vec<usize> = jobs.iter().map(|j| j.n).collect();
    let mut queue = std::collections::VecDeque::new();
    let mut chunk = Vec::with_capacity(CHUNK);
    for job in jobs {
        chunk.push(job);
        if chunk.len() == CHUNK {
            queue.push_back((
                queue.len(),
                std::mem::replace(&mut chunk, Vec::with_capacity(CHUNK)),
            ));
        }
    }
    if !chunk.is_empty() {
        queue.push_back((queue.len(), chunk));
    }
    let chunks = queue.len();
    let workers = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .clamp(1, chunks.max(1));
    let queue = std::sync::Mutex::new(queue);
    std::thread::scope(|scope| {
        let (sender, receiver) = std::sync::mpsc::channel::<CheckedChunk>();
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                let sender = sender.clone();
                let queue = &queue;
                scope.spawn(move || loop {
                    let next = queue.lock().ok().and_then(|mut q| q.pop_front());
                    let Some((c, chunk)) = next else { break };
                    let checked = chunk.into_iter().map(check_file).collect();
                    if sender.send((c, checked)).is_err() {
                        break;
                    }
                })
            })
            .collect();
        drop(sender);
        let applied = (|| -> Result<Vec<(usize, ImportOutcome)>, DeskError> {
            let tx = store.write()?;
            let mut waiting = std::collections::BTreeMap::new();
            let mut done = Vec::new();
            'chunks: for c in 0..chunks {
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
                    );
                    let outcome = match result {
                        Ok((status, license, message)) => {
                            tx.release_savepoint()?;
                            ImportOutcome {
                                file: names[n].to_string(),
                                kind: Some(kind.tag()),
                                status,
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
        // Joined here, so that a worker's panic stays a worker's (its files were not applied).
        for h in handles {
            let _ = h.join();
        }
        applied.map_err(|e| (concerned, e))
    })
}
