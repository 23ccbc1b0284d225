//! The customers' names in memory, in the list's order, for the typed filter: every base
//! license's folded customer name and license number, read once from the index of the customer
//! order and kept until a name, a license number or a variant changes (`names_version`, counted
//! by triggers since schema 11, so a change made by any connection is seen).
//!
//! Why not an index on disk: a filter is a substring of the name anywhere. The trigram index
//! (FTS5) this replaced paid for every trigram's list of rows: with a million licenses, counting
//! the matches of "stadtwerke br" took 40–65 ms before a row was read, and sorting them a lookup
//! each. Scanning 25 MB of names for a substring with `memchr`'s SIMD search takes a few
//! milliseconds, finds the matches already in the list's order (so a page of them is a slice)
//! and counts them exactly on the way.

use crate::db::{params, Connection};
use memchr::memmem;

use super::page::ListOrder;
use crate::StoreError;

/// Separates one name (or license number) from the next in the scanned text: a folded name
/// never holds it (see [`NameIndex::build`]), so no match runs over two names.
const SEPARATOR: u8 = 0;

/// Every base license's name and number, by customer (the list's own order).
#[derive(Debug, Default)]
pub(crate) struct NameIndex {
    /// `names_version` of the store it was read at.
    version: i64,
    /// The folded names one after another, each followed by [`SEPARATOR`].
    names: Vec<u8>,
    /// Where each name ends (its separator), by position in the order.
    name_ends: Vec<u32>,
    /// [`SEPARATOR`] before each license number, one after another.
    numbers: Vec<u8>,
    /// Where each license number starts (its separator), by position in the order.
    number_starts: Vec<u32>,
    /// The row id of each license, and its variant's rank (10, 25, 250, unlimited: 1 to 4).
    pub(crate) rowids: Vec<i64>,
    pub(crate) users_ranks: Vec<u8>,
    /// Each license's place in the orders by number, by state and by change (read when a page
    /// is first asked in one, again when it changed: see [`NameIndex::ranks`]).
    ranks: [Option<Ranks>; 3],
    /// Each row id's position in the customer order (`u32::MAX`: none), made when first needed.
    position_of: Vec<u32>,
}

/// Each license's place in one order (by position in the customer order), and the version of
/// the store it was read at.
#[derive(Debug)]
struct Ranks {
    version: i64,
    of: Vec<u32>,
}

/// The store's `order_version`: changed by every change of a main system's state or a latest
/// change, and with the names.
fn order_version(conn: &Connection) -> Result<i64, StoreError> {
    conn.prepare_cached("SELECT order_version FROM base_licenses_state")?
        .query_row(params![], |r| r.get(0))
}

/// The store's `names_version`: changed by every insert, removal, and change of a name, number
/// or variant of a base license.
pub(crate) fn names_version(conn: &Connection) -> Result<i64, StoreError> {
    conn.prepare_cached("SELECT names_version FROM base_licenses_state")?
        .query_row(params![], |r| r.get(0))
}

impl NameIndex {
    /// Reads every name and number in the customer order, from that order's index alone
    /// (schema 11: it carries the folded name and the variant's rank).
    pub(crate) fn build(conn: &Connection) -> Result<NameIndex, StoreError> {
        let mut index = NameIndex {
            version: names_version(conn)?,
            ..NameIndex::default()
        };
        let mut stmt = conn.prepare_cached(
            "SELECT rowid, license, customer_fold, users_rank
               FROM base_licenses INDEXED BY base_licenses_by_customer
              ORDER BY customer_key, license",
        )?;
        let mut rows = stmt.query(params![])?;
        while let Some(r) = rows.next()? {
            index.rowids.push(r.get(0)?);
            index.number_starts.push(index.numbers.len() as u32);
            index.numbers.push(SEPARATOR);
            index.numbers.extend_from_slice(r.text(1)?.as_bytes());
            // A name holding the separator (a certificate may carry any text) has it replaced:
            // a filter holding it matches nothing anyway (see `customers_matching`).
            index.names.extend(
                r.text(2)?
                    .bytes()
                    .map(|b| if b == SEPARATOR { b' ' } else { b }),
            );
            index.name_ends.push(index.names.len() as u32);
            index.names.push(SEPARATOR);
            index
                .users_ranks
                .push(u8::try_from(r.get::<i64>(3)?).unwrap_or(0));
        }
        Ok(index)
    }

    /// Whether it still holds what the store holds.
    pub(crate) fn is_current(&self, conn: &Connection) -> Result<bool, StoreError> {
        Ok(names_version(conn)? == self.version)
    }

    /// The positions (ascending) of the licenses with these row ids (unknown ones left out).
    pub(crate) fn positions_of(&mut self, rowids: &[i64]) -> Vec<u32> {
        let position_of = self.position_of();
        let mut positions: Vec<u32> = rowids
            .iter()
            .filter_map(|&r| usize::try_from(r).ok().and_then(|i| position_of.get(i)))
            .copied()
            .filter(|&p| p != u32::MAX)
            .collect();
        positions.sort_unstable();
        positions.dedup();
        positions
    }

    /// Each row id's position in the customer order (`u32::MAX`: none), made once.
    fn position_of(&mut self) -> &[u32] {
        if self.position_of.is_empty() && !self.rowids.is_empty() {
            let largest = self.rowids.iter().copied().max().unwrap_or(0);
            let mut position_of = vec![u32::MAX; usize::try_from(largest).unwrap_or(0) + 1];
            for (position, &rowid) in self.rowids.iter().enumerate() {
                if let Ok(i) = usize::try_from(rowid) {
                    position_of[i] = position as u32;
                }
            }
            self.position_of = position_of;
        }
        &self.position_of
    }

    /// Each license's place in `order` (by number, state or change), by its position in the
    /// customer order: read by walking the order's index once (every row id there, a step each),
    /// again when the order changed. Sorting matches by these is sorting numbers in memory.
    pub(crate) fn ranks(
        &mut self,
        conn: &Connection,
        order: ListOrder,
    ) -> Result<&[u32], StoreError> {
        let (slot, version) = match order {
            ListOrder::License => (0, self.version),
            ListOrder::Status => (1, order_version(conn)?),
            ListOrder::Changed => (2, order_version(conn)?),
            ListOrder::Customer | ListOrder::Users => {
                unreachable!("the customer order and the order by size are the names' own")
            }
        };
        if self.ranks[slot]
            .as_ref()
            .is_none_or(|r| r.version != version)
        {
            let count = self.rowids.len();
            self.position_of();
            let position_of = &self.position_of;
            let mut of = vec![u32::MAX; count];
            let mut stmt = conn.prepare_cached(&format!(
                "SELECT base_licenses.rowid FROM base_licenses ORDER BY {}",
                order.clause(false)
            ))?;
            let mut rows = stmt.query(params![])?;
            let mut place = 0u32;
            while let Some(r) = rows.next()? {
                let rowid: i64 = r.get(0)?;
                if let Some(&position) = usize::try_from(rowid)
                    .ok()
                    .and_then(|i| position_of.get(i))
                    .filter(|&&p| p != u32::MAX)
                {
                    of[position as usize] = place;
                }
                place += 1;
            }
            self.ranks[slot] = Some(Ranks { version, of });
        }
        Ok(&self.ranks[slot].as_ref().expect("just read").of)
    }

    /// The positions (in the customer order, ascending) of the licenses whose folded name
    /// contains `folded`, or whose number starts with `number_prefix` (None: no license number
    /// can start with the filter).
    pub(crate) fn matching(&self, folded: &str, number_prefix: Option<&str>) -> Vec<u32> {
        let customers = self.customers_matching(folded.as_bytes());
        match number_prefix {
            None => customers,
            Some(prefix) => merge(customers, self.numbers_starting(prefix.as_bytes())),
        }
    }

    fn customers_matching(&self, needle: &[u8]) -> Vec<u32> {
        let mut found = Vec::new();
        if needle.is_empty() || needle.contains(&SEPARATOR) {
            return found;
        }
        let mut position = 0usize;
        for at in memmem::find_iter(&self.names, needle) {
            // The name the match starts in (the matches come in order, so does the name).
            while self.name_ends[position] < at as u32 {
                position += 1;
            }
            if found.last() != Some(&(position as u32)) {
                found.push(position as u32);
            }
        }
        found
    }

    fn numbers_starting(&self, prefix: &[u8]) -> Vec<u32> {
        let mut needle = Vec::with_capacity(prefix.len() + 1);
        needle.push(SEPARATOR);
        needle.extend_from_slice(prefix);
        let mut found = Vec::new();
        let mut position = 0usize;
        for at in memmem::find_iter(&self.numbers, &needle) {
            while self.number_starts[position] < at as u32 {
                position += 1;
            }
            found.push(position as u32);
        }
        found
    }
}

/// Two ascending lists of positions as one, each position once.
fn merge(a: Vec<u32>, b: Vec<u32>) -> Vec<u32> {
    if b.is_empty() {
        return a;
    }
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => {
                out.push(a[i]);
                i += 1;
            }
            std::cmp::Ordering::Greater => {
                out.push(b[j]);
                j += 1;
            }
            std::cmp::Ordering::Equal => {
                out.push(a[i]);
                i += 1;
                j += 1;
            }
        }
    }
    out.extend_from_slice(&a[i..]);
    out.extend_from_slice(&b[j..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index(rows: &[(&str, &str)]) -> NameIndex {
        let mut index = NameIndex::default();
        for (i, (number, name)) in rows.iter().enumerate() {
            index.rowids.push(i as i64 + 1);
            index.users_ranks.push(1);
            index.number_starts.push(index.numbers.len() as u32);
            index.numbers.push(SEPARATOR);
            index.numbers.extend_from_slice(number.as_bytes());
            index.names.extend_from_slice(name.as_bytes());
            index.name_ends.push(index.names.len() as u32);
            index.names.push(SEPARATOR);
        }
        index
    }

    #[test]
    fn a_name_matches_once_however_often_it_holds_the_filter_and_never_across_two_names() {
        let index = index(&[
            ("OMS-AAAA", "anna anna"),
            ("OMS-BBBB", "bert"),
            ("XFM-CCCC", "na bert"),
        ]);
        assert_eq!(index.matching("anna", None), [0]);
        assert_eq!(index.matching("na", None), [0, 2]);
        // "anna" + "bert" is not one name.
        assert_eq!(index.matching("annabert", None), Vec::<u32>::new());
        assert_eq!(index.matching("a\0b", None), Vec::<u32>::new());
    }

    #[test]
    fn a_number_matches_by_its_start_and_a_license_matching_both_ways_is_listed_once() {
        let index = index(&[
            ("OMS-AAAA", "oms-aaaa gmbh"),
            ("OMS-BBBB", "bert"),
            ("XFM-OMS-", "carla"),
        ]);
        assert_eq!(index.matching("oms-", Some("OMS-")), [0, 1]);
        assert_eq!(index.matching("oms-b", Some("OMS-B")), [1]);
        // A number matches by its start only.
        assert_eq!(index.matching("bbb", Some("BBB")), Vec::<u32>::new());
    }

    #[test]
    fn merging_keeps_the_order_and_each_position_once() {
        assert_eq!(merge(vec![1, 4, 7], vec![0, 4, 9]), [0, 1, 4, 7, 9]);
        assert_eq!(merge(vec![], vec![2]), [2]);
    }
}
