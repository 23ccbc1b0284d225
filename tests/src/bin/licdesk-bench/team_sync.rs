//! The sync of a laptop's new files with its team's store (issue 15): the team's store and the
//! laptop's hold the same `files` licenses (synced before, not timed); the laptop then imports
//! `files` new signed base certificates and syncs with the team's store (`Desk::sync_with`,
//! both ways: the files, the registrations, requests, decisions and audit entries). Its peer:
//! the same new files imported into the team's store directly (`Desk::import_paths`, the bulk
//! import), into a copy of the team's store taken just before the sync.
//!
//! Both stores are SQLite files: a desk opens a store by its path only on this branch
//! (`Desk::open`), so the team's store on PostgreSQL is not measured here yet.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{bail, Result};
use licdesk_core::{seal, FileKind};
use licdesk_desk::{Desk, ImportStatus};

use crate::data::*;
use crate::report::*;
use crate::teams::remove_sqlite;

/// The first certificate number of the files, far from those of the other parts.
const FIRST: usize = 3_000_000;

pub(crate) fn sync(dir: &Path, files: usize, rows: &mut Vec<Row>) -> Result<()> {
    let dir = dir.join("sync");
    std::fs::create_dir_all(&dir)?;
    let key = vendor();
    let write = |name: &str, from: usize| -> Result<Vec<PathBuf>> {
        let folder = dir.join(name);
        std::fs::create_dir_all(&folder)?;
        (from..from + files)
            .map(|i| {
                let p = folder.join(format!("cert-{i}.lic"));
                std::fs::write(&p, seal(FileKind::BaseCertificate, &cert(i), &key))?;
                Ok(p)
            })
            .collect()
    };
    let shared = write("shared", FIRST)?;
    let new = write("new", FIRST + files)?;
    let (team_path, laptop_path, peer_path) = (
        dir.join("team.sqlite"),
        dir.join("laptop.sqlite"),
        dir.join("team-copy.sqlite"),
    );

    // The team's store with the shared licenses; the laptop synced with it once.
    {
        let mut team = Desk::open(&team_path)?;
        trust(&mut team, &dir)?;
        imported(team.import_paths(&shared))?;
        let mut laptop = Desk::open(&laptop_path)?;
        trust(&mut laptop, &dir)?;
        let first = laptop.sync_with(&mut team)?;
        if !first.complete() || first.received.files != files {
            bail!("the first sync left the laptop without the team's files: {first:?}");
        }
    }
    // The peer's store: the team's as it is before the timed sync (both closed: nothing is
    // left in a WAL).
    std::fs::copy(&team_path, &peer_path)?;

    let mut laptop = Desk::open(&laptop_path)?;
    imported(laptop.import_paths(&new))?;
    let mut team = Desk::open(&team_path)?;
    let start = Instant::now();
    let report = laptop.sync_with(&mut team)?;
    let synced = start.elapsed();
    if !report.complete() || report.sent.files != files {
        bail!(
            "the sync did not bring the laptop's {files} new files to the team's store: \
             {} sent, {} refused, interrupted {}",
            report.sent.files,
            report.sent.refused.len(),
            report.interrupted
        );
    }
    if verbose() {
        eprintln!(
            "bench:   sync: {} files, {} audit entries to the team; {} files, {} audit entries back",
            report.sent.files,
            report.sent.audit_entries,
            report.received.files,
            report.received.audit_entries
        );
    }
    drop((laptop, team));

    let mut peer = Desk::open(&peer_path)?;
    let start = Instant::now();
    let outcomes = peer.import_paths(&new);
    let imported_directly = start.elapsed();
    imported(outcomes)?;
    drop(peer);

    rows.push(
        row(
            &format!(
                "sync of a laptop's {files} new files with its team's store (SQLite and SQLite), \
                 whole sync"
            ),
            ms(synced),
            "ms",
            None,
            Some(ms(imported_directly)),
            None,
        )
        .floor_is("bulk import of the same files into the team's store"),
    );
    let per_second = |took: std::time::Duration| files as f64 / took.as_secs_f64();
    rows.push(
        row(
            &format!("sync of a laptop's {files} new files, files per second"),
            per_second(synced),
            "/s",
            None,
            Some(per_second(imported_directly)),
            None,
        )
        .floor_is("bulk import of the same files into the team's store"),
    );
    for store in [&team_path, &laptop_path, &peer_path] {
        remove_sqlite(store)?;
    }
    Ok(())
}

/// Fails unless every file was imported.
fn imported(outcomes: Vec<licdesk_desk::ImportOutcome>) -> Result<()> {
    let refused: Vec<_> = outcomes
        .iter()
        .filter(|o| o.status == ImportStatus::Refused)
        .collect();
    if let Some(first) = refused.first() {
        bail!(
            "{} bench files were refused, the first: {}",
            refused.len(),
            first.message
        );
    }
    Ok(())
}
