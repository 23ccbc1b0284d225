//! The list in every order and the licenses needing attention, on a store where every hundredth
//! license waits for the vendor; and the one-time upgrade that adds the list's columns.

use std::path::Path;
use std::time::Instant;

use anyhow::Result;
use licdesk_core::Timestamp;
use licdesk_desk::Desk;
use licdesk_store::{Store, StoreLocation};

use crate::data::*;
use crate::report::*;

/// The listing's store: [`big_store_with`] a real certificate, and every hundredth license's main system registered and
/// its activation request exported (waiting for the vendor): what the list flags and counts.
pub(crate) fn listing_store(path: &Path, n: usize) -> Result<()> {
    listing_store_at(&StoreLocation::Sqlite(path.to_path_buf()), n, n)
}

/// [`listing_store`] at `location` (an SQLite file or a PostgreSQL database), its licenses
/// written in transactions of `window` each.
pub(crate) fn listing_store_at(location: &StoreLocation, n: usize, window: usize) -> Result<()> {
    // Each row holds a real signed certificate (the same one), so that the rows take the room
    // on disk they take in a real store.
    let text = licdesk_core::seal(
        licdesk_core::FileKind::BaseCertificate,
        &cert(n + 100),
        &vendor(),
    );
    big_store_at(location, n, &text, window)?;
    let mut store = Store::open_at(location)?;
    let tx = store.write()?;
    for i in (0..n).step_by(100) {
        let c = cert(i);
        let hw = licdesk_core::Hardware::from_code(licdesk_core::HardwareId::from_digest(
            format!("bench main system {i}").as_bytes(),
        ));
        tx.put_pending_system(
            licdesk_core::Role::Main,
            &c.license,
            &c.license,
            &hw,
            None,
            None,
            Timestamp::from_unix(1_790_000_100),
        )?;
        tx.put_request(
            &licdesk_store::StoredRequest {
                nonce: format!("{i:064x}"),
                license: c.license.clone(),
                role: licdesk_core::Role::Main,
                hardware_id: hw.id.clone(),
                created_at: Timestamp::from_unix(1_790_000_200),
                answered_at: None,
            },
            "bench",
        )?;
    }
    // The listing's columns of those licenses are made as it commits.
    tx.commit()?;
    Ok(())
}

/// Pages of the whole list in each of its orders, both ways — the first page, one in the
/// middle and the last (read from the nearer end) — and the licenses needing attention with
/// their count, through `Desk::list_page`, the call behind the window's list.
pub(crate) fn sorted_pages(
    desk: &Desk,
    conn: &rusqlite::Connection,
    n: usize,
) -> Result<[Vec<f64>; 3]> {
    let last = (n.saturating_sub(1) / 100 * 100) as u32;
    let mut sorted = Vec::new();
    let mut attention = Vec::new();
    let mut floor = Vec::new();
    for round in 0..6 {
        for order in licdesk_store::ListOrder::ALL {
            for descending in [false, true] {
                for offset in [0, (n / 2 / 100 * 100) as u32, last] {
                    let start = Instant::now();
                    let page = desk.list_page(&licdesk_desk::ListRequest {
                        filter: "",
                        needs_attention: false,
                        order,
                        descending,
                        offset,
                        limit: 100,
                    })?;
                    sorted.push(ms(start.elapsed()));
                    std::hint::black_box(page);
                }
            }
        }
        for offset in [0u32, 100, 200] {
            let start = Instant::now();
            let page = desk.list_page(&licdesk_desk::ListRequest {
                filter: if round % 2 == 0 { "" } else { "gmbh" },
                needs_attention: true,
                order: licdesk_store::ListOrder::Customer,
                descending: false,
                offset,
                limit: 100,
            })?;
            attention.push(ms(start.elapsed()));
            std::hint::black_box(page);
        }
        let start = Instant::now();
        let mut stmt = conn.prepare_cached(
            "SELECT license, customer FROM base_licenses ORDER BY rowid LIMIT 100",
        )?;
        let count = stmt.query_map([], |r| r.get::<_, String>(0))?.count();
        floor.push(ms(start.elapsed()));
        std::hint::black_box(count);
    }
    Ok([sorted, attention, floor])
}

/// The upgrade to schema 10 of a store of schema 9 with `n` licenses: the listing's columns and
/// indexes made for every row, when a License Desk of schema 10 first opens it.
pub(crate) fn upgrade_to_listing(dir: &Path, n: usize, rows: &mut Vec<Row>) -> Result<()> {
    let path = dir.join(format!("schema9-{n}.sqlite"));
    licdesk_store::create_at_version(&path, 9)?;
    {
        let mut conn = rusqlite::Connection::open(&path)?;
        let tx = conn.transaction()?;
        for i in 0..n {
            let c = cert(i);
            tx.execute(
                "INSERT INTO base_licenses (license, revision, customer, customer_fold, variant,
                     extensions, issued_at, key_id, demo, entitlement_digest, certificate,
                     file_hash, imported_at)
                 VALUES (?1, 1, ?2, lower(?2), ?3, '[]', '2026-01-01T00:00:00Z', 'vk-0', 0,
                     'd', 'bench', 'h', '2026-01-01T00:00:00Z')",
                rusqlite::params![c.license.as_str(), c.customer, c.variant.code()],
            )?;
        }
        tx.commit()?;
    }
    let start = Instant::now();
    drop(Store::open(&path)?);
    rows.push(row(
        &format!("upgrade to schema 10 (the list's columns), {n} licenses"),
        ms(start.elapsed()),
        "ms",
        None,
        None,
        None,
    ));
    Ok(())
}
