//! The desk's bulk import: its time against a floor, and its memory with large files.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use licdesk_core::{seal, Envelope, FileKind, SigningKey};
use licdesk_desk::{Desk, ImportStatus};

use crate::data::*;
use crate::report::*;

/// Rounds of the bulk import and of its floor, taken in turns; the row is the median of each.
/// One import is under a second, and on a shared machine a neighbour's burst in one of them
/// moved the ratio by 0.3 from one run to the next.
const IMPORT_ROUNDS: usize = 5;

/// Bulk import of `n` signed certificate files, against the floor: the same files read, their
/// signatures verified as the desk must (strictly, one by one, on one core), the same rows
/// inserted in one transaction. Each round imports the same files into a new store (and the
/// floor into a new table), the floor and the import in turns.
pub(crate) fn bulk_import(dir: &Path, n: usize, rows: &mut Vec<Row>) -> Result<()> {
    let key = vendor();
    let files: Vec<PathBuf> = (0..n)
        .map(|i| {
            let p = dir.join(format!("cert-{i}.lic"));
            std::fs::write(&p, seal(FileKind::BaseCertificate, &cert(i), &key)).map(|_| p)
        })
        .collect::<Result<_, _>>()?;
    let (mut floors, mut values) = (Vec::new(), Vec::new());
    for round in 0..IMPORT_ROUNDS {
        let cpu_before = crate::procfs::own_cpu_ms();
        let (floor, parts) =
            import_floor(&dir.join(format!("floor-{round}.sqlite")), &files, &key)?;
        let cpu_between = crate::procfs::own_cpu_ms();
        let value = desk_import(dir, &dir.join(format!("import-{round}.sqlite")), &files)?;
        if verbose() {
            eprintln!(
                "bench:   round {round}: import {:.0} ms ({:.0} ms of CPU), floor {:.0} ms ({:.0} ms of CPU: read {:.0}, verify {:.0}, insert {:.0})",
                ms(value),
                crate::procfs::own_cpu_ms() - cpu_between,
                ms(floor),
                cpu_between - cpu_before,
                ms(parts[0]),
                ms(parts[1]),
                ms(parts[2]),
            );
        }
        floors.push(ms(floor));
        values.push(ms(value));
    }
    rows.push(
        row(
            &format!("bulk import of {n} signed certificate files (median of {IMPORT_ROUNDS})"),
            percentile(values, 0.5),
            "ms",
            None,
            Some(percentile(floors, 0.5)),
            Some(1.3),
        )
        .floor_is("read + verify + insert"),
    );
    Ok(())
}

/// The floor of a bulk import: the files read, their signatures verified strictly (as the desk
/// verifies every vendor file, and as the floor of one response does), then their rows inserted
/// in one transaction into a new table at `store`. Its time, and that of each of the three.
fn import_floor(
    store: &Path,
    files: &[PathBuf],
    key: &SigningKey,
) -> Result<(Duration, [Duration; 3])> {
    let public = key.verifying_key();
    let start = Instant::now();
    let texts: Vec<Vec<u8>> = files.iter().map(std::fs::read).collect::<Result<_, _>>()?;
    let read = start.elapsed();
    let envelopes: Vec<Envelope> = texts
        .iter()
        .map(|t| Envelope::parse(t))
        .collect::<Result<_, _>>()?;
    for e in &envelopes {
        public.verify_strict(&e.message(), e.signature())?;
    }
    let verified = start.elapsed();
    let conn = rusqlite::Connection::open(store)?;
    conn.execute_batch("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; CREATE TABLE t (license TEXT PRIMARY KEY, customer TEXT, certificate TEXT)")?;
    {
        let tx = conn.unchecked_transaction()?;
        {
            let mut stmt = tx.prepare("INSERT INTO t VALUES (?1, ?2, ?3)")?;
            for (i, t) in texts.iter().enumerate() {
                let c = cert(i);
                stmt.execute(rusqlite::params![
                    c.license.as_str(),
                    c.customer,
                    std::str::from_utf8(t)?
                ])?;
            }
        }
        tx.commit()?;
    }
    let took = start.elapsed();
    Ok((took, [read, verified - read, took - verified]))
}

/// The desk's own import of `files` into a new store at `store`, every file accepted.
fn desk_import(dir: &Path, store: &Path, files: &[PathBuf]) -> Result<Duration> {
    let mut desk = Desk::open(store)?;
    trust(&mut desk, dir)?;
    let start = Instant::now();
    let outcomes = desk.import_paths(files);
    let took = start.elapsed();
    let refused = outcomes
        .iter()
        .filter(|o| o.status == ImportStatus::Refused)
        .count();
    if refused > 0 {
        bail!("{refused} bench files were refused");
    }
    Ok(took)
}

/// The peak resident memory (VmHWM) of `licdesk` run with `args`, in MiB: read from /proc while
/// it runs (the high-water mark only grows, so the last reading is the peak).
pub(crate) fn peak_rss_mib(args: &[&std::ffi::OsStr]) -> Result<f64> {
    let licdesk = std::env::current_exe()?.with_file_name("licdesk");
    let mut child = std::process::Command::new(&licdesk)
        .args(args)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .with_context(|| format!("start {}", licdesk.display()))?;
    let status_file = format!("/proc/{}/status", child.id());
    let mut peak_kib = 0u64;
    loop {
        if let Ok(status) = std::fs::read_to_string(&status_file) {
            if let Some(kib) = status
                .lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
            {
                peak_kib = peak_kib.max(kib);
            }
        }
        if child.try_wait()?.is_some() {
            break;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    Ok(peak_kib as f64 / 1024.0)
}

/// Bulk import of `n` files of (nearly) 8 MiB each: the peak memory of `licdesk import` beside
/// that of the same command importing one small file (the process itself).
pub(crate) fn bulk_memory(dir: &Path, n: usize, rows: &mut Vec<Row>) -> Result<()> {
    let cap = licdesk_core::envelope::MAX_FILE_BYTES as usize;
    let mut entries = 50_000u64;
    let mut text = big_journal(entries);
    while text.len() > cap {
        entries -= 1_000;
        text = big_journal(entries);
    }
    let largest = text.len() as f64 / (1024.0 * 1024.0);
    let files: Vec<PathBuf> = (0..n)
        .map(|i| {
            let p = dir.join(format!("big-{i}.journal"));
            std::fs::write(&p, &text).map(|_| p)
        })
        .collect::<Result<_, _>>()?;
    let small = dir.join("small.lic");
    std::fs::write(&small, seal(FileKind::BaseCertificate, &cert(0), &vendor()))?;
    let store = dir.join("memory.sqlite");
    let mut base: Vec<&std::ffi::OsStr> =
        vec!["--store".as_ref(), store.as_os_str(), "import".as_ref()];
    let floor = {
        let mut args = base.clone();
        args.push(small.as_os_str());
        peak_rss_mib(&args)?
    };
    base.extend(files.iter().map(|f| f.as_os_str()));
    let value = peak_rss_mib(&base)?;
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get()) as f64;
    rows.push(
        row(
            &format!("bulk import of {n} files of {largest:.1} MiB, peak RSS"),
            value,
            "MiB",
            // At most 64 MiB per worker above the largest file.
            Some(largest + 64.0 * workers),
            Some(floor),
            None,
        )
        .floor_is("importing one small file"),
    );
    for f in files {
        std::fs::remove_file(f)?;
    }
    Ok(())
}
