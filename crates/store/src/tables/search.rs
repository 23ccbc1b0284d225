//! The customer search over `base_licenses`: a page of the licenses list, found through the
//! trigram index (`base_licenses_search`, FTS5) or by walking an index in the list's order (any
//! of the list's orders: `page.rs`), and only the licenses needing attention when asked.

use licdesk_core::LicenseNumber;
use rusqlite::Connection;

use super::collect;
use super::page::{listed_rows, page_from_nearer_end, ListQuery, ListedBase};
use crate::StoreError;

/// Escapes `%`, `_` and `\` for a `LIKE … ESCAPE '\'` pattern.
fn like_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Case-folded form used for customer search.
pub fn fold(text: &str) -> String {
    text.trim().to_lowercase()
}

/// How a filter finds base licenses. A customer matches by substring of its case-folded name;
/// a license number by prefix. Filters of three characters or more look the customers up in the
/// trigram index (`base_licenses_search`, FTS5), once: when at most [`SORT_MATCHES_UP_TO`] rows
/// match, or fewer than one row in [`SPARSE_ONE_IN`], the page is sorted from those rows; denser
/// matches fill a page soon when walking the customer index in order. Shorter filters (which
/// match many rows) walk the customer index.
#[derive(Debug)]
enum Search {
    All,
    Trigram {
        phrase: String,
        pattern: String,
        from: String,
        to: String,
    },
    Scan {
        pattern: String,
        from: String,
        to: String,
    },
}

/// Up to this many matches are always sorted into a page from the trigram index's rows, and
/// more when they are rarer than one row in [`SPARSE_ONE_IN`] (see [`Search`]); more matches
/// are counted, and a page of them read by walking the index of the list's order.
// (Sorting costs a row lookup each: 500 take about half a millisecond. A few thousand cost
// more than the walk that fills a page of a store where they are one row in twenty.)
const SORT_MATCHES_UP_TO: usize = 500;
const SPARSE_ONE_IN: i64 = 20;

/// A customer that contains the pattern, or a license number in the range.
const CUSTOMER_OR_NUMBER: &str =
    "(customer_fold LIKE ?1 ESCAPE '\\' OR (license >= ?2 AND license < ?3))";

fn row_ids(rows: &[i64]) -> rusqlite::vtab::array::Array {
    std::rc::Rc::new(
        rows.iter()
            .map(|&r| rusqlite::types::Value::Integer(r))
            .collect(),
    )
}

impl Search {
    fn of(filter: &str) -> Search {
        let folded = fold(filter);
        if folded.is_empty() {
            return Search::All;
        }
        let pattern = format!("%{}%", like_escape(&folded));
        // License numbers are written in A-Z, 0-9 and dashes: a prefix of one is a range of the
        // primary key. Anything else matches no license number (an empty range).
        let prefix = folded.to_uppercase();
        let (from, to) = if prefix
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-')
        {
            (prefix.clone(), format!("{prefix}\u{7f}"))
        } else {
            (String::new(), String::new())
        };
        if folded.chars().count() >= 3 {
            Search::Trigram {
                phrase: format!("\"{}\"", folded.replace('"', "\"\"")),
                pattern,
                from,
                to,
            }
        } else {
            Search::Scan { pattern, from, to }
        }
    }

    fn page(
        &self,
        conn: &Connection,
        q: &ListQuery<'_>,
    ) -> Result<(Vec<ListedBase>, u64), StoreError> {
        let count = |sql: &str, params: &[&dyn rusqlite::ToSql]| -> Result<u64, StoreError> {
            let n: i64 = conn.prepare_cached(sql)?.query_row(params, |r| r.get(0))?;
            Ok(u64::try_from(n).unwrap_or(0))
        };
        let ids = |sql: &str, params: &[&dyn rusqlite::ToSql]| -> Result<Vec<i64>, StoreError> {
            collect(conn, sql, params, |r| Ok(r.get(0)?))
        };
        let walk = |pattern: &String, from: &String, to: &String, total: u64| {
            page_from_nearer_end(
                conn,
                &format!("base_licenses WHERE {CUSTOMER_OR_NUMBER}"),
                &[pattern, from, to],
                q,
                total,
            )
        };
        match self {
            Search::All => {
                // Kept by triggers (schema 11): counting the rows reads every one of them.
                let total = count("SELECT n FROM base_licenses_count", &[])?;
                Ok((
                    page_from_nearer_end(conn, "base_licenses", &[], q, total)?,
                    total,
                ))
            }
            Search::Scan { pattern, from, to } => {
                let total = count(
                    &format!("SELECT COUNT(*) FROM base_licenses WHERE {CUSTOMER_OR_NUMBER}"),
                    &[pattern, from, to],
                )?;
                Ok((walk(pattern, from, to, total)?, total))
            }
            Search::Trigram {
                phrase,
                pattern,
                from,
                to,
            } => {
                // Rows are never deleted, so the largest row id is about the number of rows.
                let rows_in_store: i64 = conn
                    .prepare_cached("SELECT COALESCE(MAX(rowid), 0) FROM base_licenses")?
                    .query_row([], |r| r.get(0))?;
                // Sorting a page from the matches costs a lookup per match; walking an index in
                // the list's order costs a step per row until the page is full. Matches rarer
                // than one row in twenty, or few, are sorted: read up to that many, and only
                // count the rest (in SQLite, without handing each row over).
                let sort_up_to = (SORT_MATCHES_UP_TO as i64).max(rows_in_store / SPARSE_ONE_IN);
                let mut matches = ids(
                    "SELECT rowid FROM base_licenses_search WHERE base_licenses_search MATCH ?1
                     LIMIT ?2",
                    &[phrase, &(sort_up_to + 1)],
                )?;
                let all_read = matches.len() as i64 <= sort_up_to;
                let customers = if all_read {
                    matches.len() as u64
                } else {
                    count(
                        "SELECT COUNT(*) FROM base_licenses_search WHERE base_licenses_search MATCH ?1",
                        &[phrase],
                    )?
                };
                let numbers = if from.is_empty() {
                    0
                } else {
                    count(
                        "SELECT COUNT(*) FROM base_licenses WHERE license >= ?1 AND license < ?2",
                        &[from, to],
                    )?
                };
                let total = if numbers == 0 {
                    customers
                } else if all_read && numbers <= SORT_MATCHES_UP_TO as u64 {
                    matches.extend(ids(
                        "SELECT rowid FROM base_licenses WHERE license >= ?1 AND license < ?2",
                        &[from, to],
                    )?);
                    matches.sort_unstable();
                    matches.dedup();
                    matches.len() as u64
                } else {
                    // Customers that match, plus license numbers that do, less those that do both.
                    let both = count(
                        "SELECT COUNT(*) FROM base_licenses_search AS s
                           JOIN base_licenses AS b ON b.rowid = s.rowid
                          WHERE base_licenses_search MATCH ?1 AND b.license >= ?2 AND b.license < ?3",
                        &[phrase, from, to],
                    )?;
                    customers + numbers - both
                };
                let rows = if all_read
                    && matches.len() as u64 == total
                    && total as i64 <= sort_up_to
                {
                    // `matches` holds every matching row: sort those.
                    page_from_nearer_end(conn, &listed_rows(1), &[&row_ids(&matches)], q, total)?
                } else {
                    walk(pattern, from, to, total)?
                };
                Ok((rows, total))
            }
        }
    }
}

/// The licenses needing attention (`also`: those the desk found beyond what the store keeps)
/// that match `filter`: they are read through the partial index of `attention`, so their
/// number, not the store's, is what a page of them costs.
fn needing_attention(
    conn: &Connection,
    q: &ListQuery<'_>,
    also: &[LicenseNumber],
) -> Result<(Vec<ListedBase>, u64), StoreError> {
    let mut rows: Vec<i64> = collect(
        conn,
        "SELECT rowid FROM base_licenses WHERE attention IS NOT NULL",
        [],
        |r| Ok(r.get(0)?),
    )?;
    if !also.is_empty() {
        let numbers: rusqlite::vtab::array::Array = std::rc::Rc::new(
            also.iter()
                .map(|l| rusqlite::types::Value::Text(l.to_string()))
                .collect(),
        );
        rows.extend(collect(
            conn,
            "SELECT rowid FROM base_licenses WHERE license IN rarray(?1)",
            [numbers],
            |r| Ok(r.get::<_, i64>(0)?),
        )?);
        rows.sort_unstable();
        rows.dedup();
    }
    let ids = row_ids(&rows);
    let search = Search::of(q.filter);
    let (source, params): (String, Vec<&dyn rusqlite::ToSql>) = match &search {
        Search::All => (listed_rows(1), vec![&ids]),
        Search::Scan { pattern, from, to }
        | Search::Trigram {
            pattern, from, to, ..
        } => (
            format!("{} WHERE {CUSTOMER_OR_NUMBER}", listed_rows(4)),
            vec![pattern, from, to, &ids],
        ),
    };
    let total: i64 = conn
        .prepare_cached(&format!("SELECT COUNT(*) FROM {source}"))?
        .query_row(params.as_slice(), |r| r.get(0))?;
    let total = u64::try_from(total).unwrap_or(0);
    let page = page_from_nearer_end(conn, &source, &params, q, total)?;
    Ok((page, total))
}

/// One page of the licenses list and how many licenses it pages through: see [`Search`] and
/// [`needing_attention`].
pub(crate) fn page_bases(
    conn: &Connection,
    q: &ListQuery<'_>,
) -> Result<(Vec<ListedBase>, u64), StoreError> {
    match q.needing_attention {
        Some(also) => needing_attention(conn, q, also),
        None => Search::of(q.filter).page(conn, q),
    }
}

/// The first `limit` licenses matching `filter` from `offset`, by customer.
pub(crate) fn list_bases(
    conn: &Connection,
    filter: &str,
    offset: u32,
    limit: u32,
) -> Result<Vec<ListedBase>, StoreError> {
    Ok(page_bases(conn, &ListQuery::by_customer(filter, offset, limit))?.0)
}

pub(crate) fn count_bases(conn: &Connection, filter: &str) -> Result<u64, StoreError> {
    Ok(page_bases(conn, &ListQuery::by_customer(filter, 0, 1))?.1)
}
