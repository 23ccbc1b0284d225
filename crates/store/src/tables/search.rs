//! The customer search over `base_licenses`: a page of the licenses list, found through the
//! trigram index (`base_licenses_search`, FTS5) or by walking an index in the list's order, in
//! any of the list's orders ([`ListOrder`]), and only the licenses needing attention when asked.

use licdesk_core::{Attention, Extension, LicenseNumber, Timestamp, Variant};
use rusqlite::{Connection, Row};
use serde::{Deserialize, Serialize};

use super::listing::{parse_attention, status_of_rank, ListedStatus};
use super::{collect, corrupt, parse_license, parse_time};
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
    /// Its main system's state, as the list sorts it.
    pub main_status: ListedStatus,
    /// Its latest audited change, or its FailoverSuites'.
    pub changed_at: Timestamp,
    /// What it needs, most urgent first, as the store keeps it (what depends on the time of
    /// asking, the desk adds).
    pub attention: Vec<Attention>,
}

/// The column the licenses list is sorted by. Each order ends on a unique column (the license
/// number, or for the last change the row id: the order changes were made in), so that it is
/// total and a page never repeats or skips a row; descending is that order reversed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ListOrder {
    /// The customer's name, naturally ("Kunde 2" before "Kunde 10"), whatever its case and
    /// accents.
    #[default]
    Customer,
    License,
    /// The variant's size: 10, 25, 250, unlimited users.
    Users,
    /// The main system's state ([`ListedStatus`]).
    Status,
    /// The latest change.
    Changed,
}

impl ListOrder {
    /// The columns it sorts by, each served by an index of `base_licenses` (schema 10).
    fn columns(self) -> &'static [&'static str] {
        match self {
            ListOrder::Customer => &["customer_key", "license"],
            ListOrder::License => &["license"],
            ListOrder::Users => &["users_rank", "customer_key", "license"],
            ListOrder::Status => &["main_status", "customer_key", "license"],
            // Changes at the same second in the order they were made.
            ListOrder::Changed => &["changed_at", "rowid"],
        }
    }

    pub const ALL: [ListOrder; 5] = [
        ListOrder::Customer,
        ListOrder::License,
        ListOrder::Users,
        ListOrder::Status,
        ListOrder::Changed,
    ];

    /// Its name, as the window and the command line say it: `customer`, `license`, `users`,
    /// `status`, `changed`.
    pub fn code(self) -> &'static str {
        match self {
            ListOrder::Customer => "customer",
            ListOrder::License => "license",
            ListOrder::Users => "users",
            ListOrder::Status => "status",
            ListOrder::Changed => "changed",
        }
    }

    pub fn parse(code: &str) -> Option<ListOrder> {
        ListOrder::ALL.into_iter().find(|o| o.code() == code)
    }

    /// The `ORDER BY` terms (all one way, so that the index serves either direction).
    fn clause(self, descending: bool) -> String {
        let way = if descending { " DESC" } else { "" };
        self.columns()
            .iter()
            .map(|c| format!("{c}{way}"))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// What one page of the licenses list shows.
#[derive(Debug, Clone, Copy)]
pub struct ListQuery<'a> {
    /// A customer by any part of its name, a license number by its start; empty: every one.
    pub filter: &'a str,
    pub order: ListOrder,
    pub descending: bool,
    /// Only the licenses needing attention: those the store keeps an attention for, and these
    /// (what the desk finds at the time of asking). None: every license.
    pub needing_attention: Option<&'a [LicenseNumber]>,
    pub offset: u32,
    pub limit: u32,
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

const LISTED_COLUMNS: &str = "license, customer, variant, revision, extensions, demo, \
     entitlement_digest, main_status, changed_at, attention";

/// A customer that contains the pattern, or a license number in the range.
const CUSTOMER_OR_NUMBER: &str =
    "(customer_fold LIKE ?1 ESCAPE '\\' OR (license >= ?2 AND license < ?3))";

fn listed_from_row(r: &Row<'_>) -> Result<ListedBase, StoreError> {
    let license: String = r.get(0)?;
    let variant: String = r.get(2)?;
    let extensions: String = r.get(4)?;
    let changed_at: String = r.get(8)?;
    Ok(ListedBase {
        license: parse_license(&license)?,
        customer: r.get(1)?,
        variant: Variant::parse(&variant).map_err(corrupt)?,
        revision: r.get(3)?,
        extensions: serde_json::from_str(&extensions).map_err(corrupt)?,
        demo: r.get(5)?,
        entitlement_digest: r.get(6)?,
        main_status: status_of_rank(r.get(7)?)?,
        changed_at: parse_time(&changed_at)?,
        attention: parse_attention(r.get(9)?)?,
    })
}

/// The rows `WHERE condition` (none: every row) in `order`: `limit` of them from `offset`.
/// `params` fill the condition's parameters, ?1 onwards; the limit and the offset follow them.
fn rows_in_order(
    conn: &Connection,
    condition: &str,
    params: &[&dyn rusqlite::ToSql],
    order: &str,
    offset: u64,
    limit: u64,
) -> Result<Vec<ListedBase>, StoreError> {
    let n = params.len();
    let sql = format!(
        "SELECT {LISTED_COLUMNS} FROM base_licenses {condition} ORDER BY {order} LIMIT ?{} OFFSET ?{}",
        n + 1,
        n + 2
    );
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    let offset = i64::try_from(offset).unwrap_or(i64::MAX);
    let mut all: Vec<&dyn rusqlite::ToSql> = params.to_vec();
    all.push(&limit);
    all.push(&offset);
    collect(conn, &sql, all.as_slice(), listed_from_row)
}

/// The page at `offset` of the `total` rows `WHERE condition`, read from whichever end of the
/// order is nearer: an OFFSET costs a step per row it skips, so the last page of 100,000 rows
/// is read backwards from the end (the reverse order, reversed), as fast as the first.
fn page_from_nearer_end(
    conn: &Connection,
    condition: &str,
    params: &[&dyn rusqlite::ToSql],
    q: &ListQuery<'_>,
    total: u64,
) -> Result<Vec<ListedBase>, StoreError> {
    let (offset, limit) = (u64::from(q.offset), u64::from(q.limit));
    if offset >= total {
        return Ok(Vec::new());
    }
    let shown = limit.min(total - offset);
    if offset <= total / 2 {
        let order = q.order.clause(q.descending);
        return rows_in_order(conn, condition, params, &order, offset, shown);
    }
    let order = q.order.clause(!q.descending);
    let mut rows = rows_in_order(
        conn,
        condition,
        params,
        &order,
        total - offset - shown,
        shown,
    )?;
    rows.reverse();
    Ok(rows)
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
                &format!("WHERE {CUSTOMER_OR_NUMBER}"),
                &[pattern, from, to],
                q,
                total,
            )
        };
        match self {
            Search::All => {
                let total = count("SELECT COUNT(*) FROM base_licenses", &[])?;
                Ok((page_from_nearer_end(conn, "", &[], q, total)?, total))
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
                    matches.len() as u64
                } else if numbers <= SORT_MATCHES_UP_TO as u64 {
                    matches.extend(ids(
                        "SELECT rowid FROM base_licenses WHERE license >= ?1 AND license < ?2",
                        &[from, to],
                    )?);
                    matches.sort_unstable();
                    matches.dedup();
                    matches.len() as u64
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
                    matches.len() as u64 + numbers - both
                };
                // Sorting costs a lookup per match; walking an index in the list's order costs a
                // step per row until the page is full. Matches rarer than one row in twenty are
                // sorted. (Rows are never deleted, so the largest row id is about the number of
                // rows.)
                let rows_in_store: i64 = conn
                    .prepare_cached("SELECT COALESCE(MAX(rowid), 0) FROM base_licenses")?
                    .query_row([], |r| r.get(0))?;
                let sparse = total <= SORT_MATCHES_UP_TO as u64
                    || (total as i64).saturating_mul(SPARSE_ONE_IN) <= rows_in_store;
                let rows = if sparse && matches.len() as u64 == total {
                    // `matches` holds every matching row: sort those.
                    page_from_nearer_end(
                        conn,
                        "WHERE rowid IN rarray(?1)",
                        &[&row_ids(&matches)],
                        q,
                        total,
                    )?
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
    let (condition, params): (String, Vec<&dyn rusqlite::ToSql>) = match &search {
        Search::All => ("WHERE rowid IN rarray(?1)".into(), vec![&ids]),
        Search::Scan { pattern, from, to }
        | Search::Trigram {
            pattern, from, to, ..
        } => (
            format!("WHERE rowid IN rarray(?4) AND {CUSTOMER_OR_NUMBER}"),
            vec![pattern, from, to, &ids],
        ),
    };
    let total: i64 = conn
        .prepare_cached(&format!("SELECT COUNT(*) FROM base_licenses {condition}"))?
        .query_row(params.as_slice(), |r| r.get(0))?;
    let total = u64::try_from(total).unwrap_or(0);
    let page = page_from_nearer_end(conn, &condition, &params, q, total)?;
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

impl<'a> ListQuery<'a> {
    /// Every license matching `filter`, by customer.
    pub fn by_customer(filter: &'a str, offset: u32, limit: u32) -> ListQuery<'a> {
        ListQuery {
            filter,
            order: ListOrder::Customer,
            descending: false,
            needing_attention: None,
            offset,
            limit,
        }
    }
}

/// The list's row of the base license `license`.
pub(crate) fn listed_base(
    conn: &Connection,
    license: &LicenseNumber,
) -> Result<Option<ListedBase>, StoreError> {
    Ok(collect(
        conn,
        &format!("SELECT {LISTED_COLUMNS} FROM base_licenses WHERE license = ?1"),
        [license.as_str()],
        listed_from_row,
    )?
    .into_iter()
    .next())
}
