//! The customer search over `base_licenses`: a page of the licenses list, found through the
//! trigram index (`base_licenses_search`, FTS5) or by walking the customer index.

use licdesk_core::{Extension, LicenseNumber, Variant};
use rusqlite::{params, Connection, Row};
use serde::Serialize;

use super::{collect, corrupt, parse_license};
use crate::StoreError;

/// One row of the licenses list.
#[derive(Debug, Clone, Serialize)]
pub struct ListedBase {
    pub license: LicenseNumber,
    pub customer: String,
    pub variant: Variant,
    pub revision: u32,
    pub extensions: Vec<Extension>,
    pub demo: bool,
    pub entitlement_digest: String,
}

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
/// more when they are rarer than one row in [`SPARSE_ONE_IN`] (see [`Search`]).
const SORT_MATCHES_UP_TO: usize = 5000;
const SPARSE_ONE_IN: i64 = 20;

const PAGE_ALL: &str =
    "SELECT license, customer, variant, revision, extensions, demo, entitlement_digest
     FROM base_licenses ORDER BY customer_fold, license LIMIT ?1 OFFSET ?2";

const PAGE_BY_WALK: &str =
    "SELECT license, customer, variant, revision, extensions, demo, entitlement_digest
     FROM base_licenses
     WHERE customer_fold LIKE ?1 ESCAPE '\\' OR (license >= ?2 AND license < ?3)
     ORDER BY customer_fold, license LIMIT ?4 OFFSET ?5";

const PAGE_OF_ROWS: &str =
    "SELECT license, customer, variant, revision, extensions, demo, entitlement_digest
     FROM base_licenses WHERE rowid IN rarray(?1)
     ORDER BY customer_fold, license LIMIT ?2 OFFSET ?3";

fn listed_from_row(r: &Row<'_>) -> Result<ListedBase, StoreError> {
    let license: String = r.get(0)?;
    let variant: String = r.get(2)?;
    let extensions: String = r.get(4)?;
    Ok(ListedBase {
        license: parse_license(&license)?,
        customer: r.get(1)?,
        variant: Variant::parse(&variant).map_err(corrupt)?,
        revision: r.get(3)?,
        extensions: serde_json::from_str(&extensions).map_err(corrupt)?,
        demo: r.get(5)?,
        entitlement_digest: r.get(6)?,
    })
}

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
        offset: u32,
        limit: u32,
    ) -> Result<(Vec<ListedBase>, u64), StoreError> {
        let count = |sql: &str, params: &[&dyn rusqlite::ToSql]| -> Result<usize, StoreError> {
            let n: i64 = conn.prepare_cached(sql)?.query_row(params, |r| r.get(0))?;
            Ok(usize::try_from(n).unwrap_or(0))
        };
        let ids = |sql: &str, params: &[&dyn rusqlite::ToSql]| -> Result<Vec<i64>, StoreError> {
            collect(conn, sql, params, |r| Ok(r.get(0)?))
        };
        let (limit, skip) = (i64::from(limit), i64::from(offset));
        let (rows, total) = match self {
            Search::All => {
                let total = count("SELECT COUNT(*) FROM base_licenses", &[])?;
                (
                    collect(conn, PAGE_ALL, params![limit, skip], listed_from_row)?,
                    total,
                )
            }
            Search::Scan { pattern, from, to } => {
                let total = count(
                    "SELECT COUNT(*) FROM base_licenses
                     WHERE customer_fold LIKE ?1 ESCAPE '\\' OR (license >= ?2 AND license < ?3)",
                    &[pattern, from, to],
                )?;
                let rows = collect(
                    conn,
                    PAGE_BY_WALK,
                    params![pattern, from, to, limit, skip],
                    listed_from_row,
                )?;
                (rows, total)
            }
            Search::Trigram {
                phrase,
                pattern,
                from,
                to,
            } => {
                let mut matches = ids(
                    "SELECT rowid FROM base_licenses_search WHERE base_licenses_search MATCH ?1",
                    &[phrase],
                )?;
                let numbers = if from.is_empty() {
                    0
                } else {
                    count(
                        "SELECT COUNT(*) FROM base_licenses WHERE license >= ?1 AND license < ?2",
                        &[from, to],
                    )?
                };
                let total = if numbers == 0 {
                    matches.len()
                } else if numbers <= SORT_MATCHES_UP_TO {
                    matches.extend(ids(
                        "SELECT rowid FROM base_licenses WHERE license >= ?1 AND license < ?2",
                        &[from, to],
                    )?);
                    matches.sort_unstable();
                    matches.dedup();
                    matches.len()
                } else {
                    // Customers that match, plus license numbers that do, less those that do both.
                    let both = if matches.is_empty() {
                        0
                    } else {
                        count(
                            "SELECT COUNT(*) FROM base_licenses
                             WHERE rowid IN rarray(?1) AND license >= ?2 AND license < ?3",
                            &[&row_ids(&matches), from, to],
                        )?
                    };
                    matches.len() + numbers - both
                };
                // Sorting costs a lookup per match; walking the customer index costs a step per
                // row until the page is full. Matches rarer than one row in twenty are sorted.
                // (Rows are never deleted, so the largest row id is about the number of rows.)
                let rows_in_store: i64 = conn
                    .prepare_cached("SELECT COALESCE(MAX(rowid), 0) FROM base_licenses")?
                    .query_row([], |r| r.get(0))?;
                let sparse = total <= SORT_MATCHES_UP_TO
                    || (total as i64).saturating_mul(SPARSE_ONE_IN) <= rows_in_store;
                let rows = if sparse && matches.len() == total {
                    // `matches` holds every matching row: sort those.
                    collect(
                        conn,
                        PAGE_OF_ROWS,
                        params![row_ids(&matches), limit, skip],
                        listed_from_row,
                    )?
                } else {
                    collect(
                        conn,
                        PAGE_BY_WALK,
                        params![pattern, from, to, limit, skip],
                        listed_from_row,
                    )?
                };
                (rows, total)
            }
        };
        Ok((rows, total as u64))
    }
}

/// One page of base licenses matching `filter`, and how many match in all: see [`Search`].
pub(crate) fn page_bases(
    conn: &Connection,
    filter: &str,
    offset: u32,
    limit: u32,
) -> Result<(Vec<ListedBase>, u64), StoreError> {
    Search::of(filter).page(conn, offset, limit)
}

pub(crate) fn list_bases(
    conn: &Connection,
    filter: &str,
    offset: u32,
    limit: u32,
) -> Result<Vec<ListedBase>, StoreError> {
    Ok(page_bases(conn, filter, offset, limit)?.0)
}

pub(crate) fn count_bases(conn: &Connection, filter: &str) -> Result<u64, StoreError> {
    Ok(page_bases(conn, filter, 0, 1)?.1)
}
