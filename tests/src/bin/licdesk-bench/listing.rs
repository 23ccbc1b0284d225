//! A filtered page and a customer search, at several sizes of store.

use std::path::Path;
use std::time::Instant;

use anyhow::Result;
use licdesk_desk::Desk;

use crate::report::*;
use crate::sorted::{listing_store, sorted_pages, upgrade_to_listing};

pub(crate) fn listing(dir: &Path, sizes: &[usize], rows: &mut Vec<Row>) -> Result<()> {
    for &n in sizes {
        let path = dir.join(format!("list-{n}.sqlite"));
        listing_store(&path, n)?;
        let desk = Desk::open(&path)?;
        let conn = rusqlite::Connection::open(&path)?;
        let is_target = n == 100_000;
        // A filtered page of 100 rows (what the window asks while someone types).
        let filters = [
            "Kiel",
            "Stadtwerke Br",
            "München 00",
            "Klinik Dresden",
            "OMS-",
            "gmbh leip",
        ];
        let mut page = Vec::new();
        let mut page_floor = Vec::new();
        let mut per_filter: Vec<Vec<f64>> = vec![Vec::new(); filters.len()];
        for round in 0..40 {
            for (k, f) in filters.iter().copied().enumerate() {
                let start = Instant::now();
                let p = desk.list(f, (round % 3) * 100, 100)?;
                page.push(ms(start.elapsed()));
                per_filter[k].push(ms(start.elapsed()));
                std::hint::black_box(p);
                let start = Instant::now();
                let mut stmt = conn.prepare_cached("SELECT license, customer FROM base_licenses WHERE customer_fold LIKE ?1 LIMIT 100")?;
                let count = stmt
                    .query_map([format!("%{}%", f.to_lowercase())], |r| {
                        r.get::<_, String>(0)
                    })?
                    .count();
                page_floor.push(ms(start.elapsed()));
                std::hint::black_box(count);
            }
        }
        if verbose() {
            for (f, samples) in filters.iter().zip(per_filter) {
                eprintln!(
                    "bench:   {n} licenses, filter {f:?}: p95 {:.2} ms",
                    percentile(samples, 0.95)
                );
            }
        }
        rows.push(row(
            &format!("filtered page of 100 rows, p95, {n} licenses"),
            percentile(page, 0.95),
            "ms",
            is_target.then_some(10.0),
            Some(percentile(page_floor, 0.95)),
            None,
        ));
        // Free-text customer search: a rare substring anywhere in the name.
        let mut search = Vec::new();
        for i in 0..30 {
            let needle = format!("{:07}", (i * 7919) % n.max(1));
            let start = Instant::now();
            std::hint::black_box(desk.list(&needle, 0, 100)?);
            search.push(ms(start.elapsed()));
        }
        rows.push(row(
            &format!("free-text customer search, p95, {n} licenses"),
            percentile(search, 0.95),
            "ms",
            is_target.then_some(25.0),
            None,
            None,
        ));
        let [sorted, attention, floor] = sorted_pages(&desk, &conn, n)?;
        let floor = percentile(floor, 0.95);
        rows.push(row(
            &format!("sorted page of 100 rows (every order, both ways, first to last page), p95, {n} licenses"),
            percentile(sorted, 0.95),
            "ms",
            is_target.then_some(10.0),
            Some(floor),
            None,
        ));
        rows.push(row(
            &format!("page of the licenses needing attention (1 in 100) and their count, p95, {n} licenses"),
            percentile(attention, 0.95),
            "ms",
            is_target.then_some(10.0),
            Some(floor),
            None,
        ));
        if is_target {
            upgrade_to_listing(dir, n, rows)?;
        }
    }
    Ok(())
}
