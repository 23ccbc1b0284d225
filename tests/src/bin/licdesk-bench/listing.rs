//! A page of the licenses list (a typed filter, sorted) and a customer search, at several sizes
//! of store, each beside the raw SQL floor: one plain statement returning the same page.

use std::path::Path;
use std::time::Instant;

use anyhow::Result;
use licdesk_desk::{Desk, ListRequest};
use licdesk_store::ListOrder;

use crate::report::*;
use crate::sorted::{listing_store, sorted_pages, upgrade_to_listing};

/// Filters typed by people: a town, a kind and a town, a license-number prefix, a name with a
/// number, none at all (the list as it opens).
pub(crate) const FILTERS: [&str; 7] = [
    "",
    "Kiel",
    "Stadtwerke Br",
    "München 00",
    "Klinik Dresden",
    "OMS-",
    "gmbh leip",
];

/// The orders a page is read in: the list's own, by size, by last change (both ways).
const ORDERS: [ListOrder; 3] = [ListOrder::Customer, ListOrder::Users, ListOrder::Changed];

/// The `ORDER BY` of `order` as the floor writes it (the same columns as the store's).
fn order_by(order: ListOrder, descending: bool) -> String {
    let columns: &[&str] = match order {
        ListOrder::Customer => &["customer_key", "license"],
        ListOrder::Users => &["users_rank", "customer_key", "license"],
        ListOrder::Changed => &["changed_at", "rowid"],
        ListOrder::License => &["license"],
        ListOrder::Status => &["main_status", "customer_key", "license"],
    };
    let way = if descending { " DESC" } else { "" };
    columns
        .iter()
        .map(|c| format!("{c}{way}"))
        .collect::<Vec<_>>()
        .join(", ")
}

type RawRow = (
    String,
    String,
    String,
    i64,
    String,
    bool,
    String,
    i64,
    String,
);

/// The floor: the page's rows (the columns the list shows) by one plain statement — the
/// customers containing the filter or the license numbers starting with it, sorted, 100 from
/// `offset` — without its count, its systems or what it needs.
fn raw_page(
    conn: &rusqlite::Connection,
    filter: &str,
    order: ListOrder,
    descending: bool,
    offset: u32,
) -> Result<Vec<RawRow>> {
    let sql = format!(
        "SELECT license, customer, variant, revision, extensions, demo, entitlement_digest,
                main_status, changed_at
           FROM base_licenses WHERE customer_fold LIKE ?1 OR license LIKE ?2
          ORDER BY {} LIMIT 100 OFFSET ?3",
        order_by(order, descending)
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let folded = filter.trim().to_lowercase();
    let rows = stmt
        .query_map(
            rusqlite::params![
                format!("%{folded}%"),
                format!("{}%", folded.to_uppercase()),
                offset
            ],
            |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                    r.get(7)?,
                    r.get(8)?,
                ))
            },
        )?
        .collect::<Result<Vec<RawRow>, _>>()?;
    Ok(rows)
}

/// The page's targets: within 3× the raw SQL floor with 1,000 licenses (what the list adds to
/// the query: its count, systems, FailoverSuites, attention), at most 5 ms with 100,000 and
/// 30 ms with a million (where the floor's scan is slower than the indexes).
fn page_targets(n: usize) -> (Option<f64>, Option<f64>) {
    match n {
        1_000 => (None, Some(3.0)),
        100_000 => (Some(5.0), None),
        1_000_000 => (Some(30.0), None),
        _ => (None, None),
    }
}

pub(crate) fn listing(dir: &Path, sizes: &[usize], rows: &mut Vec<Row>) -> Result<()> {
    for &n in sizes {
        let path = dir.join(format!("list-{n}.sqlite"));
        listing_store(&path, n)?;
        let desk = Desk::open(&path)?;
        // The first filtered page reads the customers' names into memory (again after they
        // changed): what it costs, once.
        let start = Instant::now();
        std::hint::black_box(desk.list("Kiel", 0, 100)?);
        let first = ms(start.elapsed());
        let conn = rusqlite::Connection::open(&path)?;
        // The floor keeps its statements prepared and as much of the file in memory as the store.
        conn.set_prepared_statement_cache_capacity(64);
        conn.pragma_update(None, "cache_size", -16 * 1024)?;
        let mut page = Vec::new();
        let mut floor = Vec::new();
        let mut per_filter: Vec<Vec<f64>> = vec![Vec::new(); FILTERS.len() * ORDERS.len()];
        // A first round reads the store into the caches; it is not counted. More rounds where a
        // page is quick, so that the 95th percentile is not one unlucky sample.
        let rounds = if n <= 100_000 { 40 } else { 12 };
        for round in 0..=rounds {
            let counted = round > 0;
            for (k, f) in FILTERS.iter().copied().enumerate() {
                for (o, order) in ORDERS.into_iter().enumerate() {
                    let descending = round % 2 == 1;
                    let offset = (round % 3) * 100;
                    let start = Instant::now();
                    let p = desk.list_page(&ListRequest {
                        filter: f,
                        needs_attention: false,
                        order,
                        descending,
                        offset,
                        limit: 100,
                    })?;
                    let took = ms(start.elapsed());
                    std::hint::black_box(p);
                    let start = Instant::now();
                    std::hint::black_box(raw_page(&conn, f, order, descending, offset)?);
                    let floor_took = ms(start.elapsed());
                    if counted {
                        page.push(took);
                        per_filter[k * ORDERS.len() + o].push(took);
                        floor.push(floor_took);
                    }
                }
            }
        }
        if verbose() {
            for (i, samples) in per_filter.into_iter().enumerate() {
                eprintln!(
                    "bench:   {n} licenses, filter {:?} by {}: p50 {:.2} ms, p95 {:.2} ms",
                    FILTERS[i / ORDERS.len()],
                    ORDERS[i % ORDERS.len()].code(),
                    percentile(samples.clone(), 0.5),
                    percentile(samples, 0.95)
                );
            }
        }
        let (target, ratio_target) = page_targets(n);
        rows.push(
            row(
                &format!("page of 100 (filter + sort), p95, {n} licenses"),
                percentile(page, 0.95),
                "ms",
                target,
                Some(percentile(floor, 0.95)),
                ratio_target,
            )
            .floor_is("raw SQL page")
            .plotted("page", n),
        );
        rows.push(row(
            &format!("first filtered page, the names read into memory, {n} licenses"),
            first,
            "ms",
            None,
            None,
            None,
        ));
        customer_search(&desk, &conn, n, rows)?;
        let [sorted, attention, floor] = sorted_pages(&desk, &conn, n)?;
        let floor = percentile(floor, 0.95);
        let is_target = n == 100_000;
        rows.push(
            row(
                &format!("page of 100, no filter, every order and page, p95, {n} licenses"),
                percentile(sorted, 0.95),
                "ms",
                is_target.then_some(5.0),
                Some(floor),
                None,
            )
            .floor_is("first 100 rows"),
        );
        rows.push(
            row(
                &format!("page needing attention (1 in 100) + count, p95, {n} licenses"),
                percentile(attention, 0.95),
                "ms",
                is_target.then_some(5.0),
                Some(floor),
                None,
            )
            .floor_is("first 100 rows"),
        );
        if is_target {
            upgrade_to_listing(dir, n, rows)?;
        }
    }
    Ok(())
}

/// Free-text customer search: a rare fragment of a name (one customer's number) anywhere in
/// it; the floor scans the names for it in one statement.
fn customer_search(
    desk: &Desk,
    conn: &rusqlite::Connection,
    n: usize,
    rows: &mut Vec<Row>,
) -> Result<()> {
    let mut search = Vec::new();
    let mut floor = Vec::new();
    for i in 0..30 {
        let needle = format!("{:07}", (i * 7919) % n.max(1));
        let start = Instant::now();
        std::hint::black_box(desk.list(&needle, 0, 100)?);
        search.push(ms(start.elapsed()));
        let start = Instant::now();
        std::hint::black_box(raw_page(conn, &needle, ListOrder::Customer, false, 0)?);
        floor.push(ms(start.elapsed()));
    }
    let target = match n {
        100_000 => Some(2.0),
        1_000_000 => Some(10.0),
        _ => None,
    };
    rows.push(
        row(
            &format!("customer search, p95, {n} licenses"),
            percentile(search, 0.95),
            "ms",
            target,
            Some(percentile(floor, 0.95)),
            None,
        )
        .floor_is("raw SQL page")
        .plotted("search", n),
    );
    Ok(())
}
