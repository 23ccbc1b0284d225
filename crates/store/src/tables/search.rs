//! The customer search over `base_licenses`: a page of the licenses list, filtered by the
//! customers' names kept in memory (`names.rs`) and read in any of the list's orders
//! (`page.rs`), and only the licenses needing attention when asked.

use std::cell::RefCell;

use crate::db::{params, Connection};
use licdesk_core::LicenseNumber;

use super::collect;
use super::names::NameIndex;
use super::page::{page_from_nearer_end, rows_by_rowid, ListOrder, ListQuery, ListedBase};
use crate::StoreError;

/// The names a store keeps in memory between pages of the list (see `names.rs`): read at the
/// first filtered page, again only when a name, number or variant changed.
#[derive(Debug, Default)]
pub struct KeptNames(RefCell<Option<NameIndex>>);

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
}

/// How many base licenses the store holds: kept by triggers (schema 11), since counting the
/// rows reads every one of them.
fn license_count(conn: &Connection) -> Result<u64, StoreError> {
    let total: i64 = conn
        .prepare_cached("SELECT count FROM base_licenses_state")?
        .query_row(params![], |r| r.get(0))?;
    Ok(u64::try_from(total).unwrap_or(0))
}

/// A page of every license this far from either end of the list is read through the order's
/// index (a step per row skipped); a deeper one is a slice of the order kept in memory.
const WALKED_UP_TO: u64 = 5_000;

/// Every license, in any order, through the order's index.
fn every_license(
    conn: &Connection,
    q: &ListQuery<'_>,
    total: u64,
) -> Result<(Vec<ListedBase>, u64), StoreError> {
    Ok((
        page_from_nearer_end(conn, "base_licenses", &[], q, total)?,
        total,
    ))
}

/// The licenses matching `filter` (if any) and, when asked, only those needing attention
/// (those the store keeps an attention for, read through its partial index, and `also`: those
/// the desk found), found in the names kept in memory (read anew when they changed): their
/// count is the number found; a page of them is a slice in the customer order, and in another
/// order those found sorted by their place in it (kept in memory too), as far as the page
/// reaches.
fn in_memory(
    conn: &Connection,
    q: &ListQuery<'_>,
    filter: Option<&Filter>,
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
    let mut found = match filter {
        Some(f) => names.matching(&f.folded, f.number_prefix.as_deref()),
        None => (0..names.rowids.len() as u32).collect(),
    };
    if let Some(also) = q.needing_attention {
        let needing = names.positions_of(&needing_attention(conn, also)?);
        found = intersect(&found, &needing);
    }
    let total = found.len() as u64;
    let page: Vec<u32> = match q.order {
        // Positions are in the customer order.
        ListOrder::Customer => slice(&found, q),
        ListOrder::Users => {
            let users = &names.users_ranks;
            first_by(&mut found, q, |p| {
                (u64::from(users[p as usize]) << 32) | u64::from(p)
            })
        }
        ListOrder::License | ListOrder::Status | ListOrder::Changed => {
            let ranks = names.ranks(conn, q.order)?;
            first_by(&mut found, q, |p| u64::from(ranks[p as usize]))
        }
    };
    let rowids: Vec<i64> = page.iter().map(|&p| names.rowids[p as usize]).collect();
    Ok((rows_by_rowid(conn, &rowids)?, total))
}

/// The positions in both ascending lists.
fn intersect(a: &[u32], b: &[u32]) -> Vec<u32> {
    let (mut i, mut j, mut out) = (0, 0, Vec::new());
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                out.push(a[i]);
                i += 1;
                j += 1;
            }
        }
    }
    out
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

/// The page of `q` from `matches` in the order `key` gives (unique per match): only the page's
/// own are sorted, after selecting them (a page of a million matches does not sort a million).
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
    let offset = q.offset as usize;
    if offset >= reach {
        return Vec::new();
    }
    // Two selections leave the page's matches between `offset` and `reach` (each a pass over
    // what is left), and only those are sorted.
    if reach < matches.len() {
        matches.select_nth_unstable_by_key(reach - 1, key);
    }
    let first = &mut matches[..reach];
    if offset > 0 {
        first.select_nth_unstable_by_key(offset, key);
    }
    let page = &mut first[offset..];
    page.sort_unstable_by_key(key);
    page.to_vec()
}

/// The row ids of the licenses needing attention: those the store keeps an attention for
/// (read through the partial index of `attention`, so their number, not the store's, is what
/// it costs) and `also` (those the desk found at the time of asking).
fn needing_attention(conn: &Connection, also: &[LicenseNumber]) -> Result<Vec<i64>, StoreError> {
    let mut rows: Vec<i64> = collect(
        conn,
        "SELECT rowid FROM base_licenses WHERE attention IS NOT NULL",
        params![],
        |r| r.get(0),
    )?;
    if !also.is_empty() {
        let numbers = super::license_array(also);
        rows.extend(collect(
            conn,
            "SELECT rowid FROM base_licenses WHERE license IN rarray(?1)",
            params![numbers],
            |r| r.get::<i64>(0),
        )?);
    }
    Ok(rows)
}

/// One page of the licenses list and how many licenses it pages through: every license (near
/// either end of the list through the order's index, deeper in from memory), or those a filter
/// finds and those needing attention ([`in_memory`], with the names `kept` by the store, or
/// read for this page alone).
pub(crate) fn page_bases(
    conn: &Connection,
    q: &ListQuery<'_>,
    kept: Option<&KeptNames>,
) -> Result<(Vec<ListedBase>, u64), StoreError> {
    match (q.needing_attention, Filter::of(q.filter)) {
        (None, None) => {
            let total = license_count(conn)?;
            let offset = u64::from(q.offset);
            if offset.min(total.saturating_sub(offset)) <= WALKED_UP_TO {
                every_license(conn, q, total)
            } else {
                in_memory(conn, q, None, kept)
            }
        }
        (_, filter) => in_memory(conn, q, filter.as_ref(), kept),
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
