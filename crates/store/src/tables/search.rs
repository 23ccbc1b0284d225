//! The customer search over `base_licenses`: a page of the licenses list, filtered by the
//! customers' names kept in memory (`names.rs`) and read in any of the list's orders
//! (`page.rs`), and only the licenses needing attention when asked.

use std::cell::RefCell;

use licdesk_core::LicenseNumber;
use rusqlite::Connection;

use super::collect;
use super::names::NameIndex;
use super::page::{
    listed_rows, page_from_nearer_end, rows_by_rowid, ListOrder, ListQuery, ListedBase,
};
use crate::StoreError;

/// The names a store keeps in memory between pages of the list (see `names.rs`): read at the
/// first filtered page, again only when a name, number or variant changed.
#[derive(Debug, Default)]
pub struct KeptNames(RefCell<Option<NameIndex>>);

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

/// What a typed filter finds: a customer by any part of its case-folded name, a license number
/// by its start.
#[derive(Debug)]
struct Filter {
    folded: String,
    /// The filter as a license number's start (A-Z, 0-9 and dashes), if it can be one.
    number_prefix: Option<String>,
}

impl Filter {
    /// None for an empty filter (every license).
    fn of(filter: &str) -> Option<Filter> {
        let folded = fold(filter);
        if folded.is_empty() {
            return None;
        }
        let prefix = folded.to_uppercase();
        let number_prefix = prefix
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-')
            .then_some(prefix);
        Some(Filter {
            folded,
            number_prefix,
        })
    }

    /// The same in SQL (the licenses needing attention are few: SQL tests each): its `LIKE`
    /// pattern and the range of license numbers (empty when none can match).
    fn sql(&self) -> (String, String, String) {
        let pattern = format!("%{}%", like_escape(&self.folded));
        match &self.number_prefix {
            Some(p) => (pattern, p.clone(), format!("{p}\u{7f}")),
            None => (pattern, String::new(), String::new()),
        }
    }
}

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

/// Every license, in any order: through the order's index, counted by the kept count.
fn every_license(
    conn: &Connection,
    q: &ListQuery<'_>,
) -> Result<(Vec<ListedBase>, u64), StoreError> {
    // Kept by triggers (schema 11): counting the rows reads every one of them.
    let total: i64 = conn
        .prepare_cached("SELECT count FROM base_licenses_state")?
        .query_row([], |r| r.get(0))?;
    let total = u64::try_from(total).unwrap_or(0);
    Ok((
        page_from_nearer_end(conn, "base_licenses", &[], q, total)?,
        total,
    ))
}

/// The licenses matching `filter`, found in the names kept in memory (read anew when they
/// changed): their count is the number of matches; a page in the customer order (or by size,
/// then customer) is a slice of them; in another order, the order's index is walked until the
/// page is full, each entry tested against the matches.
fn filtered(
    conn: &Connection,
    q: &ListQuery<'_>,
    filter: &Filter,
    kept: Option<&KeptNames>,
) -> Result<(Vec<ListedBase>, u64), StoreError> {
    let fresh;
    let mut held = kept.map(|k| k.0.borrow_mut());
    let names: &NameIndex = match held.as_deref_mut() {
        Some(slot) => {
            let current = match slot {
                Some(index) => index.is_current(conn)?,
                None => false,
            };
            if !current {
                *slot = Some(NameIndex::build(conn)?);
            }
            slot.as_ref().expect("just read")
        }
        None => {
            fresh = NameIndex::build(conn)?;
            &fresh
        }
    };
    let mut matches = names.matching(&filter.folded, filter.number_prefix.as_deref());
    let total = matches.len() as u64;
    let (offset, limit) = (q.offset as usize, q.limit as usize);
    let rowids: Vec<i64> = match q.order {
        ListOrder::Customer | ListOrder::Users => {
            if q.order == ListOrder::Users {
                // By size, then customer: the matches are in the customer order already.
                matches.sort_by_key(|&p| names.users_ranks[p as usize]);
            }
            let at = |p: &u32| names.rowids[*p as usize];
            if q.descending {
                matches
                    .iter()
                    .rev()
                    .skip(offset)
                    .take(limit)
                    .map(at)
                    .collect()
            } else {
                matches.iter().skip(offset).take(limit).map(at).collect()
            }
        }
        ListOrder::License | ListOrder::Status | ListOrder::Changed => {
            let mut matched = RowSet::with_capacity(names.rowids.iter().copied().max());
            for &p in &matches {
                matched.insert(names.rowids[p as usize]);
            }
            walk_in_order(conn, q, &matched, total)?
        }
    };
    Ok((rows_by_rowid(conn, &rowids)?, total))
}

/// Row ids as bits: a test is one shift.
struct RowSet(Vec<u64>);

impl RowSet {
    fn with_capacity(largest: Option<i64>) -> RowSet {
        let bits = largest.map_or(0, |l| usize::try_from(l).unwrap_or(0) + 1);
        RowSet(vec![0; bits.div_ceil(64)])
    }

    fn insert(&mut self, rowid: i64) {
        if let Ok(i) = usize::try_from(rowid) {
            if let Some(word) = self.0.get_mut(i / 64) {
                *word |= 1 << (i % 64);
            }
        }
    }

    fn contains(&self, rowid: i64) -> bool {
        usize::try_from(rowid)
            .ok()
            .and_then(|i| self.0.get(i / 64).map(|w| w & (1 << (i % 64)) != 0))
            .unwrap_or(false)
    }
}

/// The row ids of the page of `q` among `matched` (`total` of them): the index of the order
/// walked from whichever end is nearer, each entry tested, until the page is full.
fn walk_in_order(
    conn: &Connection,
    q: &ListQuery<'_>,
    matched: &RowSet,
    total: u64,
) -> Result<Vec<i64>, StoreError> {
    let (offset, limit) = (u64::from(q.offset), u64::from(q.limit));
    if offset >= total {
        return Ok(Vec::new());
    }
    let shown = limit.min(total - offset);
    let from_end = offset > total / 2;
    let skip = if from_end {
        total - offset - shown
    } else {
        offset
    };
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT base_licenses.rowid FROM base_licenses ORDER BY {}",
        q.order.clause(q.descending != from_end)
    ))?;
    let mut rows = stmt.query([])?;
    let (mut seen, mut page) = (0u64, Vec::new());
    while let Some(r) = rows.next()? {
        let rowid: i64 = r.get(0)?;
        if !matched.contains(rowid) {
            continue;
        }
        seen += 1;
        if seen > skip {
            page.push(rowid);
            if page.len() as u64 == shown {
                break;
            }
        }
    }
    if from_end {
        page.reverse();
    }
    Ok(page)
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
    let (pattern, from, to);
    let (source, params): (String, Vec<&dyn rusqlite::ToSql>) = match Filter::of(q.filter) {
        None => (listed_rows(1), vec![&ids]),
        Some(filter) => {
            (pattern, from, to) = filter.sql();
            (
                format!("{} WHERE {CUSTOMER_OR_NUMBER}", listed_rows(4)),
                vec![&pattern, &from, &to, &ids],
            )
        }
    };
    let total: i64 = conn
        .prepare_cached(&format!("SELECT COUNT(*) FROM {source}"))?
        .query_row(params.as_slice(), |r| r.get(0))?;
    let total = u64::try_from(total).unwrap_or(0);
    let page = page_from_nearer_end(conn, &source, &params, q, total)?;
    Ok((page, total))
}

/// One page of the licenses list and how many licenses it pages through: every license, those
/// a filter finds ([`filtered`], with the names `kept` by the store, or read for this page
/// alone), or those needing attention ([`needing_attention`]).
pub(crate) fn page_bases(
    conn: &Connection,
    q: &ListQuery<'_>,
    kept: Option<&KeptNames>,
) -> Result<(Vec<ListedBase>, u64), StoreError> {
    match (q.needing_attention, Filter::of(q.filter)) {
        (Some(also), _) => needing_attention(conn, q, also),
        (None, None) => every_license(conn, q),
        (None, Some(filter)) => filtered(conn, q, &filter, kept),
    }
}

/// The first `limit` licenses matching `filter` from `offset`, by customer.
pub(crate) fn list_bases(
    conn: &Connection,
    filter: &str,
    offset: u32,
    limit: u32,
    kept: Option<&KeptNames>,
) -> Result<Vec<ListedBase>, StoreError> {
    Ok(page_bases(conn, &ListQuery::by_customer(filter, offset, limit), kept)?.0)
}

pub(crate) fn count_bases(
    conn: &Connection,
    filter: &str,
    kept: Option<&KeptNames>,
) -> Result<u64, StoreError> {
    Ok(page_bases(conn, &ListQuery::by_customer(filter, 0, 1), kept)?.1)
}
