//! The sync of a laptop's new files with its team's store (issue 15): the team's store and the
//! laptop's hold the same `files` licenses (synced before, not timed); the laptop then imports
//! `files` new signed base certificates and syncs with the team's store (`Desk::sync_with`,
//! both ways: the files, the registrations, requests, decisions and audit entries). Its peer:
//! the same new files imported into the team's store directly (`Desk::import_paths`, the bulk
//! import), into a copy of the team's store taken just before the sync.
//!
//! Twice: the team's store an SQLite file, then a database of the part's PostgreSQL cluster
//! (its peer copy made with `CREATE DATABASE … TEMPLATE`); the laptop's is a file both times.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{bail, Result};
use licdesk_core::{seal, FileKind};
use licdesk_desk::{Desk, DeskHome, ImportStatus, StoreLocation};
use licdesk_pgtest::Cluster;

use crate::data::*;
use crate::report::*;
use crate::teams::remove_sqlite;

/// The first certificate number of the files, far from those of the other parts.
const FIRST: usize = 3_000_000;

/// Where the team's store is, and its copy for the peer.
enum Team<'a> {
    Sqlite,
    Postgres(&'a Cluster),
}

pub(crate) fn sync(dir: &Path, files: usize, cluster: &Cluster, rows: &mut Vec<Row>) -> Result<()> {
    sync_with(dir, files, Team::Sqlite, rows)?;
    sync_with(dir, files, Team::Postgres(cluster), rows)
}

/// A team's store and the copy of it the peer imports into: their locations, and how to make
/// the copy (the stores closed).
struct TeamStores {
    team: StoreLocation,
    copy: StoreLocation,
    engine: &'static str,
}

impl TeamStores {
    fn new(dir: &Path, team: &Team<'_>) -> TeamStores {
        match team {
            Team::Sqlite => TeamStores {
                team: StoreLocation::Sqlite(dir.join("team.sqlite")),
                copy: StoreLocation::Sqlite(dir.join("team-copy.sqlite")),
                engine: "SQLite",
            },
            Team::Postgres(cluster) => {
                let team = cluster.database("bench_sync_team");
                let copy = match team.rsplit_once('/') {
                    Some((server, _)) => format!("{server}/bench_sync_team_copy"),
                    None => team.clone(),
                };
                TeamStores {
                    team: StoreLocation::Postgres(team),
                    copy: StoreLocation::Postgres(copy),
                    engine: "PostgreSQL",
                }
            }
        }
    }

    /// The team's store as it is now, copied for the peer.
    fn copy(&self) -> Result<()> {
        match (&self.team, &self.copy) {
            (StoreLocation::Sqlite(from), StoreLocation::Sqlite(to)) => {
                std::fs::copy(from, to)?;
            }
            (StoreLocation::Postgres(team), StoreLocation::Postgres(copy)) => {
                let name = |url: &str| url.rsplit('/').next().unwrap_or_default().to_string();
                let admin = team.replacen(&format!("/{}", name(team)), "/postgres", 1);
                let mut client = postgres::Client::connect(&admin, postgres::NoTls)?;
                client.batch_execute(&format!(
                    "CREATE DATABASE \"{}\" TEMPLATE \"{}\"",
                    name(copy),
                    name(team)
                ))?;
            }
            _ => bail!("a team's store and its copy on two engines"),
        }
        Ok(())
    }
}

/// A desk on `location`, its local files in `dir` (a PostgreSQL store's would go to this
/// user's data folder).
fn desk_at(location: &StoreLocation, dir: &Path, name: &str) -> Result<Desk> {
    Ok(Desk::open_at_with_home(
        location,
        DeskHome::in_folder(dir.join(format!("{name}-home"))),
    )?)
}

fn sync_with(dir: &Path, files: usize, team_at: Team<'_>, rows: &mut Vec<Row>) -> Result<()> {
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
    let stores = TeamStores::new(&dir, &team_at);
    let laptop_path = dir.join("laptop.sqlite");

    // The team's store with the shared licenses; the laptop synced with it once.
    {
        let mut team = desk_at(&stores.team, &dir, "team")?;
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
    stores.copy()?;

    let mut laptop = Desk::open(&laptop_path)?;
    imported(laptop.import_paths(&new))?;
    let mut team = desk_at(&stores.team, &dir, "team")?;
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

    let mut peer = desk_at(&stores.copy, &dir, "copy")?;
    let start = Instant::now();
    let outcomes = peer.import_paths(&new);
    let imported_directly = start.elapsed();
    imported(outcomes)?;
    drop(peer);

    rows.push(
        row(
            &format!(
                "sync of a laptop's {files} new files with its team's store ({} and SQLite), \
                 whole sync",
                stores.engine
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
            &format!(
                "sync of a laptop's {files} new files with a team's store on {}, files per second",
                stores.engine
            ),
            per_second(synced),
            "/s",
            None,
            Some(per_second(imported_directly)),
            None,
        )
        .floor_is("bulk import of the same files into the team's store"),
    );
    for store in [&stores.team, &stores.copy] {
        if let StoreLocation::Sqlite(path) = store {
            remove_sqlite(path)?;
        }
    }
    remove_sqlite(&laptop_path)?;
    for home in ["team-home", "copy-home"] {
        let _ = std::fs::remove_dir_all(dir.join(home));
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
