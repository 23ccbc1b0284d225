//! Teams (issue 15): the vendor's ledger and the desk's store on PostgreSQL, and sync between a
//! laptop's store and its team's. The part starts a throwaway PostgreSQL 15 cluster of its own
//! (licdesk-pgtest: a private unix socket, no TCP, its writes synced to disk as a production
//! server's are) and stops it at its end; a cluster that cannot start fails the part with why.
//!
//! - Activations per second with 1, 4 and 8 issuers on one ledger ([`crate::activations`]).
//! - A page of 100 of 100,000 licenses from a store on PostgreSQL ([`pages`]), beside the same
//!   page from an SQLite store of the same content.
//! - The sync of a laptop's 10,000 new files with its team's store ([`crate::team_sync`]).

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{anyhow, bail, Result};
use licdesk_pgtest::Cluster;
use licdesk_store::{ListOrder, ListQuery, Queries, Store, StoreLocation};

use crate::listing::FILTERS;
use crate::report::*;
use crate::sorted::listing_store_at;

/// The licenses of the store the pages are read from.
const LICENSES: usize = 100_000;
/// The store is written in transactions of this many licenses, as a large import would be.
const WINDOW: usize = 10_000;
/// Rounds of every page (after one not counted, which fills the caches).
const ROUNDS: usize = 20;
/// The target for a page of 100 of 100,000 licenses on PostgreSQL, at p95.
const PAGE_TARGET_MS: f64 = 10.0;

pub(crate) fn teams(dir: &Path, files: usize, rows: &mut Vec<Row>) -> Result<()> {
    eprintln!("bench:   starting a throwaway PostgreSQL cluster (licdesk-pgtest) …");
    // Synced to disk as a production server is: the SQLite peers sync too.
    let cluster = Cluster::start_durable().map_err(|reason| {
        anyhow!("the throwaway PostgreSQL cluster (licdesk-pgtest) could not start: {reason}")
    })?;
    eprintln!("bench:   activations with 1, 4 and 8 issuers, PostgreSQL and SQLite ledgers …");
    crate::activations::activations(dir, &cluster, rows)?;
    eprintln!("bench:   pages of {LICENSES} licenses on PostgreSQL and SQLite …");
    pages(dir, &cluster, rows)?;
    eprintln!("bench:   sync of a laptop's {files} new files with its team's store …");
    crate::team_sync::sync(dir, files, &cluster, rows)
}

/// One page through the store, in one read transaction as the desk reads it (`Desk::list_page`
/// asks the store for the same `page_bases` inside `Store::reading`).
fn page(store: &Store, query: &ListQuery<'_>) -> Result<f64> {
    let start = Instant::now();
    let (page, total) = store.reading(|| store.page_bases(query))?;
    let took = ms(start.elapsed());
    if page.is_empty() || total == 0 {
        bail!("an empty page of {} licenses", LICENSES);
    }
    std::hint::black_box((page, total));
    Ok(took)
}

/// The pages' samples, [PostgreSQL, SQLite] each.
#[derive(Default)]
struct Samples {
    every_order: [Vec<f64>; 2],
    filtered: [Vec<f64>; 2],
}

fn pages(dir: &Path, cluster: &Cluster, rows: &mut Vec<Row>) -> Result<()> {
    let postgres = StoreLocation::Postgres(cluster.database("bench_pages"));
    let sqlite = StoreLocation::Sqlite(dir.join(format!("teams-{LICENSES}.sqlite")));
    // The same content in both: the listing's store (a real certificate in every row, every
    // hundredth main system waiting for the vendor), written through the store.
    let mut written = [0.0; 2];
    for (i, at) in [&postgres, &sqlite].into_iter().enumerate() {
        let start = Instant::now();
        listing_store_at(at, LICENSES, WINDOW)?;
        written[i] = ms(start.elapsed());
    }
    rows.push(
        row(
            &format!(
                "write {LICENSES} licenses through the store into PostgreSQL \
                 (transactions of {WINDOW})"
            ),
            written[0],
            "ms",
            None,
            Some(written[1]),
            None,
        )
        .floor_is("the same into SQLite"),
    );
    let stores = [Store::open_at(&postgres)?, Store::open_at(&sqlite)?];
    let last = ((LICENSES - 1) / 100 * 100) as u32;
    let middle = (LICENSES / 2 / 100 * 100) as u32;
    let mut samples = Samples::default();
    for round in 0..=ROUNDS {
        let counted = round > 0;
        for order in ListOrder::ALL {
            for descending in [false, true] {
                for offset in [0, middle, last] {
                    let query = ListQuery {
                        filter: "",
                        order,
                        descending,
                        needing_attention: None,
                        offset,
                        limit: 100,
                    };
                    // In turn, so that a change of load weighs on both engines alike.
                    for (e, store) in stores.iter().enumerate() {
                        let took = page(store, &query)?;
                        if counted {
                            samples.every_order[e].push(took);
                        }
                    }
                }
            }
        }
        for filter in FILTERS.into_iter().filter(|f| !f.is_empty()) {
            for (order, offset) in [(ListOrder::Customer, 0), (ListOrder::Changed, 100)] {
                let query = ListQuery {
                    filter,
                    order,
                    descending: round % 2 == 1,
                    needing_attention: None,
                    offset,
                    limit: 100,
                };
                for (e, store) in stores.iter().enumerate() {
                    let took = page(store, &query)?;
                    if counted {
                        samples.filtered[e].push(took);
                    }
                }
            }
        }
    }
    let sets = [
        (
            "page of 100, every order both ways, first, middle and last page",
            samples.every_order,
        ),
        ("filtered page of 100 (six typed filters)", samples.filtered),
    ];
    for (what, [pg, lite]) in sets {
        for (p, name) in [(0.5, "p50"), (0.95, "p95")] {
            let is_target = name == "p95";
            rows.push(
                row(
                    &format!("{what}, {name}, {LICENSES} licenses, store on PostgreSQL"),
                    percentile(pg.clone(), p),
                    "ms",
                    is_target.then_some(PAGE_TARGET_MS),
                    Some(percentile(lite.clone(), p)),
                    None,
                )
                .floor_is("the same page, store on SQLite"),
            );
        }
    }
    drop(stores);
    remove_sqlite(&dir.join(format!("teams-{LICENSES}.sqlite")))?;
    Ok(())
}

/// Removes an SQLite store and the files kept beside it.
pub(crate) fn remove_sqlite(path: &Path) -> Result<()> {
    for suffix in ["", "-wal", "-shm"] {
        let mut name = path.as_os_str().to_owned();
        name.push(suffix);
        let file = PathBuf::from(name);
        if file.exists() {
            std::fs::remove_file(file)?;
        }
    }
    Ok(())
}
