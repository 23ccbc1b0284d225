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
        // A base license's number is `OMS-` and symbols in A-Z and 0-9 (and dashes).
        let prefix = folded.to_uppercase();
        let suite = format!("{}-", licdesk_core::LicenseProduct::Suite.prefix());
        let number_prefix = (prefix
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-')
            && (prefix.starts_with(&suite) || suite.starts_with(&prefix)))
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
/// changed): their count is the number of matches; a page of them is a slice in the customer
/// order, and in another order the matches sorted by their place in it (kept in memory too),
/// as far as the page reaches.
fn filtered(
    conn: &Connection,
    q: &ListQuery<'_>,
    filter: &Filter,
    kept: Option<&KeptNames>,
) -> Result<(Vec<ListedBase>, u64), StoreError> {
    let mut fresh = None;
    let mut held = kept.map(|k| k.0.borrow_mut());
    let names: &mut NameIndex = match held.as_deref_mut() {
        Some(slot) => {
            let current = match slot {
                Some(index) => index.is_current(conn)?,
                None => false,
            };
            if !current {
                *slot = Some(NameIndex::build(conn)?);
            }
            slot.as_mut().expect("just read")
        }
        None => fresh.insert(NameIndex::build(conn)?),
    };
    let mut matches = names.matching(&filter.folded, filter.number_prefix.as_deref());
    let total = matches.len() as u64;
    let page: Vec<u32> = match q.order {
        // The matches come in the customer order.
        ListOrder::Customer => slice(&matches, q),
        ListOrder::Users => {
            let users = &names.users_ranks;
            first_by(&mut matches, q, |p| {
                (u64::from(users[p as usize]) << 32) | u64::from(p)
            })
        }
        ListOrder::License | ListOrder::Status | ListOrder::Changed => {
            let ranks = names.ranks(conn, q.order)?;
            first_by(&mut matches, q, |p| u64::from(ranks[p as usize]))
        }
    };
    let rowids: Vec<i64> = page.iter().map(|&p| names.rowids[p as usize]).collect();
    Ok((rows_by_rowid(conn, &rowids)?, total))
}

/// The page of `q` from `sorted` (ascending in its order).
fn slice(sorted: &[u32], q: &ListQuery<'_>) -> Vec<u32> {
    let (offset, limit) = (q.offset as usize, q.limit as usize);
    if q.descending {
        sorted
            .iter()
            .rev()
            .skip(offset)
            .take(limit)
            .copied()
            .collect()
    } else {
        sorted.iter().skip(offset).take(limit).copied().collect()
    }
}

/// The page of `q` from `matches` in the order `key` gives (unique per match): only as many
/// as the page reaches are sorted, after a selection of them (a page of a million matches does
/// not sort a million).
fn first_by(matches: &mut [u32], q: &ListQuery<'_>, key: impl Fn(u32) -> u64) -> Vec<u32> {
    let key = |p: &u32| {
        let k = key(*p);
        if q.descending {
            u64::MAX - k
        } else {
            k
        }
    };
    let reach = (q.offset as usize + q.limit as usize).min(matches.len());
    if reach == 0 {
        return Vec::new();
    }
    if reach < matches.len() {
        matches.select_nth_unstable_by_key(reach - 1, key);
    }
    let first = &mut matches[..reach];
    first.sort_unstable_by_key(key);
    first[(q.offset as usize).min(reach)..].to_vec()
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
