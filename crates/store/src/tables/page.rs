//! One page of the licenses list in any of its orders ([`ListOrder`]): its rows
//! ([`ListedBase`]), read from whichever end of the order is nearer, each order served by an
//! index of `base_licenses` (schema 10). What a page holds is found by `search.rs`.

use crate::db::{params, Connection, Row};
use licdesk_core::{Attention, Extension, LicenseNumber, Timestamp, Variant};
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
            ListOrder::Changed => &["changed_at", "base_licenses.rowid"],
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
    pub(crate) fn clause(self, descending: bool) -> String {
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

const LISTED_COLUMNS: &str = "license, customer, variant, revision, extensions, demo, \
     entitlement_digest, main_status, changed_at, attention";

/// The rows whose row ids are listed in the parameter `?{n}` (a `rarray`), as a source for
/// [`page_from_nearer_end`]: the list is read first and each of its rows looked up, so a page
/// of them costs a lookup per row id. (`rowid IN rarray(?)` may instead walk an index of the
/// whole table, testing each row against the list one element at a time.)
/// On PostgreSQL the list is `unnest`ed, and the row ids looked up by their unique index.
pub(super) fn listed_rows(conn: &Connection, n: usize) -> String {
    match conn.engine() {
        crate::Engine::Sqlite => format!(
            "rarray(?{n}) AS listed CROSS JOIN base_licenses ON base_licenses.rowid = listed.value"
        ),
        crate::Engine::Postgres => format!(
            "unnest(CAST(?{n} AS BIGINT[])) AS listed (value) JOIN base_licenses ON base_licenses.rowid = listed.value"
        ),
    }
}

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

/// The rows of `source` (what follows `FROM`: `base_licenses` and a condition, or a list of its
/// row ids joined to it) in `order`: `limit` of them from `offset`. `params` fill the source's
/// parameters, ?1 onwards; the limit and the offset follow them.
fn rows_in_order(
    conn: &Connection,
    source: &str,
    params: &[&dyn crate::db::ToValue],
    order: &str,
    offset: u64,
    limit: u64,
) -> Result<Vec<ListedBase>, StoreError> {
    let n = params.len();
    let sql = format!(
        "SELECT {LISTED_COLUMNS} FROM {source} ORDER BY {order} LIMIT ?{} OFFSET ?{}",
        n + 1,
        n + 2
    );
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    let offset = i64::try_from(offset).unwrap_or(i64::MAX);
    let mut all: Vec<&dyn crate::db::ToValue> = params.to_vec();
    all.push(&limit);
    all.push(&offset);
    collect(conn, &sql, all.as_slice(), listed_from_row)
}

/// The rows of these row ids, in this order (a page found in the names kept in memory).
pub(super) fn rows_by_rowid(
    conn: &Connection,
    rowids: &[i64],
) -> Result<Vec<ListedBase>, StoreError> {
    if rowids.is_empty() {
        return Ok(Vec::new());
    }
    let mut found: std::collections::HashMap<i64, ListedBase> = collect(
        conn,
        &format!(
            "SELECT {LISTED_COLUMNS}, base_licenses.rowid FROM {}",
            listed_rows(conn, 1)
        ),
        params![super::rowid_array(rowids)],
        |r| Ok((r.get::<i64>(10)?, listed_from_row(r)?)),
    )?
    .into_iter()
    .collect();
    rowids
        .iter()
        .map(|id| {
            found
                .remove(id)
                .ok_or_else(|| corrupt(format!("base license row {id} is gone")))
        })
        .collect()
}

/// The page at `offset` of the `total` rows of `source`, read from whichever end of the
/// order is nearer: an OFFSET costs a step per row it skips, so the last page of 100,000 rows
/// is read backwards from the end (the reverse order, reversed), as fast as the first.
pub(super) fn page_from_nearer_end(
    conn: &Connection,
    source: &str,
    params: &[&dyn crate::db::ToValue],
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
        return rows_in_order(conn, source, params, &order, offset, shown);
    }
    let order = q.order.clause(!q.descending);
    let mut rows = rows_in_order(conn, source, params, &order, total - offset - shown, shown)?;
    rows.reverse();
    Ok(rows)
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
        params![license.as_str()],
        listed_from_row,
    )?
    .into_iter()
    .next())
}
