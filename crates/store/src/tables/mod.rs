//! The store's tables, one module per table (or family of tables). Each module holds its rows,
//! the SQL that reads them (functions over a connection, reached through [`Queries`] by both
//! [`Store`](crate::Store) and [`Tx`](crate::Tx)) and the SQL that writes them (methods of
//! [`Tx`](crate::Tx)). `marks` and `violations` bring their own read traits.

mod audit;
mod bases;
mod exchange;
mod failovers;
mod imported_files;
mod journal;
mod listing;
mod marks;
mod meta;
mod names;
mod page;
mod queries;
mod requests;
mod search;
mod systems;
mod tampered;
mod trusted_keys;
mod usage_reports;
mod violations;

use crate::db::{params, Connection, IntList, Row, TextList, ToValue};
use licdesk_core::{KeyId, LicenseNumber, Timestamp};

use crate::StoreError;

pub use audit::AuditEntry;
pub use bases::StoredBase;
pub use exchange::{Decision, DecisionSubject, Merged, WrittenRequest};
pub use failovers::StoredFailover;
pub use imported_files::SignedFile;
pub(crate) use listing::register_functions as register_listing_functions;
pub use listing::{JournalOverdue, ListedStatus};
pub use marks::{MarkQueries, SystemMark};
pub use page::{ListOrder, ListQuery, ListedBase};
pub use queries::Queries;
pub use requests::StoredRequest;
pub use search::{fold, KeptNames};
pub use systems::{Activation, StoredSystem, SystemState};
pub use tampered::{TamperedJournal, UnreadableJournal};
pub use trusted_keys::StoredKey;
pub use usage_reports::{TrustedJournal, UsageReport, ViolationsAcknowledged};
pub use violations::{RecordedViolation, ShownViolations, ViolationQueries};

fn corrupt(what: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(what.to_string())
}

fn parse_license(text: &str) -> Result<LicenseNumber, StoreError> {
    LicenseNumber::parse(text).map_err(corrupt)
}

fn parse_time(text: &str) -> Result<Timestamp, StoreError> {
    Timestamp::parse(text).map_err(corrupt)
}

fn collect<T>(
    conn: &Connection,
    sql: &str,
    params: &[&dyn ToValue],
    map: impl Fn(&Row<'_>) -> Result<T, StoreError>,
) -> Result<Vec<T>, StoreError> {
    let mut stmt = conn.prepare_cached(sql)?;
    let mut rows = stmt.query(params)?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        out.push(map(&row)?);
    }
    Ok(out)
}

/// License numbers as one list parameter (`license IN rarray(?1)`).
fn license_array(licenses: &[LicenseNumber]) -> TextList {
    TextList(licenses.iter().map(|l| l.to_string()).collect())
}

/// Row ids as one list parameter.
fn rowid_array(rowids: &[i64]) -> IntList {
    IntList(rowids.to_vec())
}

fn one<T>(
    conn: &Connection,
    sql: &str,
    params: &[&dyn ToValue],
    map: impl Fn(&Row<'_>) -> Result<T, StoreError>,
) -> Result<Option<T>, StoreError> {
    Ok(collect(conn, sql, params, map)?.into_iter().next())
}

/// Where a verified file came from, for the audit log and idempotency.
#[derive(Debug, Clone)]
pub struct Provenance<'a> {
    pub file_hash: &'a str,
    pub key_id: &'a KeyId,
    pub demo: bool,
    pub text: &'a str,
    pub at: Timestamp,
}

pub(crate) fn dump(conn: &Connection) -> Result<String, StoreError> {
    let mut out = String::new();
    for table in [
        "base_licenses",
        "failover_licenses",
        "systems",
        "requests",
        "trusted_keys",
        "imported_files",
        "audit_log",
        "journal_entries",
        "usage_reports",
        "tampered_journals",
        "unreadable_journals",
        "meta",
        "system_marks",
        "violations",
        "journal_exports",
    ] {
        out.push_str(&format!("## {table}\n"));
        let columns = column_count(conn, table)?;
        let mut stmt = conn.prepare_cached(&format!("SELECT * FROM {table} ORDER BY 1, 2"))?;
        let mut rows = stmt.query(params![])?;
        while let Some(row) = rows.next()? {
            let cells: Vec<String> = (0..columns).map(|i| row.shown(i)).collect();
            out.push_str(&cells.join(" | "));
            out.push('\n');
        }
    }
    Ok(out)
}

/// How many columns `table` has (a dump shows each).
fn column_count(conn: &Connection, table: &str) -> Result<usize, StoreError> {
    let sql = match conn.engine() {
        crate::Engine::Sqlite => "SELECT COUNT(*) FROM pragma_table_info(?1)",
        crate::Engine::Postgres => {
            "SELECT COUNT(*) FROM information_schema.columns
              WHERE table_schema = current_schema() AND table_name = ?1"
        }
    };
    conn.query_row(sql, crate::db::params![table], |r| r.get(0))
}
