//! Rows and the SQL that reads and writes them.

use licdesk_core::usage::{Episode, Evaluation, JournalEntry, Tamper, UsageState};
use licdesk_core::{
    BaseCertificate, Entitlement, Extension, FailoverCertificate, Hardware, HardwareId, KeyId,
    LicenseNumber, LoadLimits, Role, StandbyMode, Timestamp, Variant,
};
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::Serialize;

use crate::{Reader, StoreError, Tx};

fn corrupt(what: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(what.to_string())
}

fn parse_license(text: &str) -> Result<LicenseNumber, StoreError> {
    LicenseNumber::parse(text).map_err(corrupt)
}

fn parse_time(text: &str) -> Result<Timestamp, StoreError> {
    Timestamp::parse(text).map_err(corrupt)
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

// ---------------------------------------------------------------------------------------------
// base_licenses

#[derive(Debug, Clone, Serialize)]
pub struct StoredBase {
    pub certificate: BaseCertificate,
    pub key_id: KeyId,
    pub demo: bool,
    pub entitlement_digest: String,
    pub certificate_text: String,
    pub file_hash: String,
    pub imported_at: Timestamp,
}

const BASE_COLUMNS: &str =
    "license, revision, customer, variant, extensions, issued_at, key_id, demo, \
     entitlement_digest, certificate, file_hash, imported_at";

fn base_from_row(r: &Row<'_>) -> Result<StoredBase, StoreError> {
    let license: String = r.get(0)?;
    let variant: String = r.get(3)?;
    let extensions: String = r.get(4)?;
    let issued_at: String = r.get(5)?;
    let key_id: String = r.get(6)?;
    let imported_at: String = r.get(11)?;
    Ok(StoredBase {
        certificate: BaseCertificate {
            license: parse_license(&license)?,
            revision: r.get(1)?,
            customer: r.get(2)?,
            variant: Variant::parse(&variant).map_err(corrupt)?,
            extensions: serde_json::from_str::<Vec<Extension>>(&extensions).map_err(corrupt)?,
            issued_at: parse_time(&issued_at)?,
        },
        key_id: KeyId::parse(&key_id).map_err(corrupt)?,
        demo: r.get(7)?,
        entitlement_digest: r.get(8)?,
        certificate_text: r.get(9)?,
        file_hash: r.get(10)?,
        imported_at: parse_time(&imported_at)?,
    })
}

// ---------------------------------------------------------------------------------------------
// failover_licenses

#[derive(Debug, Clone, Serialize)]
pub struct StoredFailover {
    pub certificate: FailoverCertificate,
    pub key_id: KeyId,
    pub demo: bool,
    pub certificate_text: String,
    pub file_hash: String,
    pub imported_at: Timestamp,
}

const FAILOVER_COLUMNS: &str =
    "license, base_license, issued_at, key_id, demo, certificate, file_hash, imported_at";

fn failover_from_row(r: &Row<'_>) -> Result<StoredFailover, StoreError> {
    let license: String = r.get(0)?;
    let base: String = r.get(1)?;
    let issued_at: String = r.get(2)?;
    let key_id: String = r.get(3)?;
    let imported_at: String = r.get(7)?;
    Ok(StoredFailover {
        certificate: FailoverCertificate {
            license: parse_license(&license)?,
            article: licdesk_core::FAILOVER_ARTICLE.to_string(),
            base_license: parse_license(&base)?,
            issued_at: parse_time(&issued_at)?,
        },
        key_id: KeyId::parse(&key_id).map_err(corrupt)?,
        demo: r.get(4)?,
        certificate_text: r.get(5)?,
        file_hash: r.get(6)?,
        imported_at: parse_time(&imported_at)?,
    })
}

// ---------------------------------------------------------------------------------------------
// systems

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SystemState {
    Pending,
    Active,
}

impl SystemState {
    fn code(self) -> &'static str {
        match self {
            SystemState::Pending => "pending",
            SystemState::Active => "active",
        }
    }
}

/// What an activation response granted a system.
#[derive(Debug, Clone, Serialize)]
pub struct Activation {
    pub installation_key: Option<String>,
    pub limits: Option<LoadLimits>,
    pub activated_at: Timestamp,
    pub entitlement_digest: String,
    pub entitlements: Vec<Entitlement>,
    pub response_text: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct StoredSystem {
    /// Base64 public key of the standby installation (from its hardware-ID file or this desk;
    /// once active, the one the vendor certified).
    pub installation_key: Option<String>,
    /// The R12 limits from the signed standby license.
    pub limits: Option<LoadLimits>,
    pub notice_acknowledged_at: Option<Timestamp>,
    pub role: Role,
    /// Base license (main) or FailoverSuite license (standby).
    pub license: LicenseNumber,
    pub base_license: LicenseNumber,
    pub hardware: Hardware,
    pub mode: Option<StandbyMode>,
    pub state: SystemState,
    pub registered_at: Timestamp,
    pub activation: Option<Activation>,
}

const SYSTEM_COLUMNS: &str = "role, license, base_license, hardware, mode, state, registered_at, \
     activated_at, entitlement_digest, entitlements, response, installation_key, limits, notice_acknowledged_at";

fn system_from_row(r: &Row<'_>) -> Result<StoredSystem, StoreError> {
    let role: String = r.get(0)?;
    let license: String = r.get(1)?;
    let base: String = r.get(2)?;
    let hardware: String = r.get(3)?;
    let mode: Option<String> = r.get(4)?;
    let state: String = r.get(5)?;
    let registered_at: String = r.get(6)?;
    let activated_at: Option<String> = r.get(7)?;
    let activation = match activated_at {
        Some(at) => {
            let entitlements: String = r.get(9)?;
            let limits: Option<String> = r.get(12)?;
            Some(Activation {
                installation_key: r.get(11)?,
                limits: limits
                    .map(|l| serde_json::from_str(&l).map_err(corrupt))
                    .transpose()?,
                activated_at: parse_time(&at)?,
                entitlement_digest: r.get(8)?,
                entitlements: serde_json::from_str(&entitlements).map_err(corrupt)?,
                response_text: r.get(10)?,
            })
        }
        None => None,
    };
    let limits: Option<String> = r.get(12)?;
    let acknowledged: Option<String> = r.get(13)?;
    Ok(StoredSystem {
        installation_key: r.get(11)?,
        limits: limits
            .map(|l| serde_json::from_str(&l).map_err(corrupt))
            .transpose()?,
        notice_acknowledged_at: acknowledged.as_deref().map(parse_time).transpose()?,
        role: Role::parse(&role).map_err(corrupt)?,
        license: parse_license(&license)?,
        base_license: parse_license(&base)?,
        hardware: serde_json::from_str(&hardware).map_err(corrupt)?,
        mode: mode
            .map(|m| StandbyMode::parse(&m).map_err(corrupt))
            .transpose()?,
        state: if state == "active" {
            SystemState::Active
        } else {
            SystemState::Pending
        },
        registered_at: parse_time(&registered_at)?,
        activation,
    })
}

// ---------------------------------------------------------------------------------------------
// requests, trusted keys, audit log

#[derive(Debug, Clone, Serialize)]
pub struct StoredRequest {
    pub nonce: String,
    pub license: LicenseNumber,
    pub role: Role,
    pub hardware_id: HardwareId,
    pub created_at: Timestamp,
    pub answered_at: Option<Timestamp>,
}

#[derive(Debug, Clone, Serialize)]
pub struct StoredKey {
    pub key_id: KeyId,
    pub public_key: String,
    pub vendor: String,
    pub added_at: Timestamp,
}

#[derive(Debug, Clone, Serialize)]
pub struct AuditEntry {
    pub id: i64,
    pub at: Timestamp,
    pub action: String,
    pub subject: String,
    pub detail: String,
    pub file_hash: Option<String>,
}

/// The five-day evaluation of the latest trusted usage journal imported for a standby (R12),
/// and the journals of it that could not be trusted.
#[derive(Debug, Clone, Serialize)]
pub struct UsageReport {
    pub failover: LicenseNumber,
    /// The latest trusted journal's SHA-256 (None until one was evaluated).
    pub journal_hash: Option<String>,
    /// When that journal was exported: an older journal is refused.
    pub exported_at: Option<Timestamp>,
    /// The activation that journal carried: its vendor-signed time, the standby's hardware and
    /// the installation key it certified.
    pub activated_at: Option<Timestamp>,
    pub hardware_id: Option<HardwareId>,
    pub installation_key: Option<String>,
    /// The last entry of that journal (sequence number and chain hash): a later journal of the
    /// same installation must hold this very entry (its chain extends it).
    pub last_seq: Option<u64>,
    pub last_hash: Option<String>,
    pub evaluation: Option<Evaluation>,
    /// Past violations an administrator acknowledged (those that started no later than
    /// `through`), when and why.
    pub violations_acknowledged: Option<ViolationsAcknowledged>,
    /// Episodes over the limit that ended before the journal's export and are not acknowledged:
    /// reported (CRITICAL) until they are.
    pub open_violations: Vec<Episode>,
    /// The latest tampered journal of this standby still reported (not dismissed), if any.
    pub tamper: Option<Tamper>,
    pub tamper_hash: Option<String>,
    /// Every journal of this standby that could not be trusted, oldest first; each is reported
    /// until an administrator dismisses it.
    pub tampered: Vec<TamperedJournal>,
    pub imported_at: Timestamp,
}

/// An administrator's acknowledgement of past violations (audited).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ViolationsAcknowledged {
    /// Violations of episodes that started no later than this are acknowledged.
    pub through: Timestamp,
    pub at: Timestamp,
    pub reason: String,
}

/// A usage journal of a FailoverSuite's standby that could not be trusted: its content unused,
/// reported until dismissed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TamperedJournal {
    pub file_hash: String,
    pub failover: LicenseNumber,
    pub tamper: Tamper,
    pub imported_at: Timestamp,
    /// When an administrator dismissed it, and why (monitoring no longer reports it).
    pub dismissed: Option<(Timestamp, String)>,
}

/// A trusted usage journal's evaluation, to record.
#[derive(Debug, Clone)]
pub struct TrustedJournal<'a> {
    pub failover: &'a LicenseNumber,
    pub journal_hash: &'a str,
    pub exported_at: Timestamp,
    /// The activation the journal carried: its time, hardware and certified installation key.
    pub activated_at: Timestamp,
    pub hardware_id: &'a HardwareId,
    pub installation_key: &'a str,
    /// The journal's last entry (sequence number, chain hash), if it has entries.
    pub last_entry: Option<(u64, &'a str)>,
    pub evaluation: &'a Evaluation,
    pub imported_at: Timestamp,
}

/// A usage journal whose own signature failed: recorded for monitoring, its content unused.
#[derive(Debug, Clone, Serialize)]
pub struct UnreadableJournal {
    pub file_hash: String,
    /// The key id its header names (unverified).
    pub key_id: String,
    pub reason: String,
    pub imported_at: Timestamp,
    /// When an administrator dismissed it, and why (monitoring no longer reports it).
    pub dismissed: Option<(Timestamp, String)>,
}

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

// ---------------------------------------------------------------------------------------------
// Queries, shared by Store and Tx.

fn collect<T>(
    conn: &Connection,
    sql: &str,
    params: impl rusqlite::Params,
    map: impl Fn(&Row<'_>) -> Result<T, StoreError>,
) -> Result<Vec<T>, StoreError> {
    let mut stmt = conn.prepare_cached(sql)?;
    let mut rows = stmt.query(params)?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        out.push(map(row)?);
    }
    Ok(out)
}

fn one<T>(
    conn: &Connection,
    sql: &str,
    params: impl rusqlite::Params,
    map: impl Fn(&Row<'_>) -> Result<T, StoreError>,
) -> Result<Option<T>, StoreError> {
    Ok(collect(conn, sql, params, map)?.into_iter().next())
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

impl<T: Reader + ?Sized> Queries for T {}

pub trait Queries: Reader {
    fn base(&self, license: &LicenseNumber) -> Result<Option<StoredBase>, StoreError> {
        one(
            self.conn(),
            &format!("SELECT {BASE_COLUMNS} FROM base_licenses WHERE license = ?1"),
            [license.as_str()],
            base_from_row,
        )
    }

    fn failover(&self, license: &LicenseNumber) -> Result<Option<StoredFailover>, StoreError> {
        one(
            self.conn(),
            &format!("SELECT {FAILOVER_COLUMNS} FROM failover_licenses WHERE license = ?1"),
            [license.as_str()],
            failover_from_row,
        )
    }

    fn failovers_of(&self, base: &LicenseNumber) -> Result<Vec<StoredFailover>, StoreError> {
        collect(
            self.conn(),
            &format!(
                "SELECT {FAILOVER_COLUMNS} FROM failover_licenses WHERE base_license = ?1 ORDER BY license"
            ),
            [base.as_str()],
            failover_from_row,
        )
    }

    fn systems_of(&self, base: &LicenseNumber) -> Result<Vec<StoredSystem>, StoreError> {
        collect(
            self.conn(),
            &format!(
                "SELECT {SYSTEM_COLUMNS} FROM systems WHERE base_license = ?1 ORDER BY role, license"
            ),
            [base.as_str()],
            system_from_row,
        )
    }

    fn system(
        &self,
        role: Role,
        license: &LicenseNumber,
    ) -> Result<Option<StoredSystem>, StoreError> {
        one(
            self.conn(),
            &format!("SELECT {SYSTEM_COLUMNS} FROM systems WHERE role = ?1 AND license = ?2"),
            params![role.code(), license.as_str()],
            system_from_row,
        )
    }

    fn all_systems(&self) -> Result<Vec<StoredSystem>, StoreError> {
        collect(
            self.conn(),
            &format!("SELECT {SYSTEM_COLUMNS} FROM systems ORDER BY role, license"),
            [],
            system_from_row,
        )
    }

    /// When the latest request for this system that no response has answered was written.
    fn open_request_at(
        &self,
        license: &LicenseNumber,
        role: Role,
        hardware_id: &HardwareId,
    ) -> Result<Option<Timestamp>, StoreError> {
        let latest: Option<String> = self
            .conn()
            .prepare_cached(
                "SELECT MAX(created_at) FROM requests
                 WHERE license = ?1 AND role = ?2 AND hardware_id = ?3 AND answered_at IS NULL",
            )?
            .query_row(
                params![license.as_str(), role.code(), hardware_id.as_str()],
                |r| r.get(0),
            )?;
        latest.map(|t| parse_time(&t)).transpose()
    }

    fn request(&self, nonce: &str) -> Result<Option<StoredRequest>, StoreError> {
        one(
            self.conn(),
            "SELECT nonce, license, role, hardware_id, created_at, answered_at FROM requests WHERE nonce = ?1",
            [nonce],
            |r| {
                let license: String = r.get(1)?;
                let role: String = r.get(2)?;
                let hwid: String = r.get(3)?;
                let created: String = r.get(4)?;
                let answered: Option<String> = r.get(5)?;
                Ok(StoredRequest {
                    nonce: r.get(0)?,
                    license: parse_license(&license)?,
                    role: Role::parse(&role).map_err(corrupt)?,
                    hardware_id: HardwareId::parse(&hwid).map_err(corrupt)?,
                    created_at: parse_time(&created)?,
                    answered_at: answered.as_deref().map(parse_time).transpose()?,
                })
            },
        )
    }

    fn trusted_keys(&self) -> Result<Vec<StoredKey>, StoreError> {
        collect(
            self.conn(),
            "SELECT key_id, public_key, vendor, added_at FROM trusted_keys ORDER BY added_at, key_id",
            [],
            |r| {
                let key_id: String = r.get(0)?;
                let added: String = r.get(3)?;
                Ok(StoredKey {
                    key_id: KeyId::parse(&key_id).map_err(corrupt)?,
                    public_key: r.get(1)?,
                    vendor: r.get(2)?,
                    added_at: parse_time(&added)?,
                })
            },
        )
    }

    fn file_seen(&self, file_hash: &str) -> Result<bool, StoreError> {
        Ok(self
            .conn()
            .prepare_cached("SELECT 1 FROM imported_files WHERE file_hash = ?1")?
            .query_row([file_hash], |_| Ok(()))
            .optional()?
            .is_some())
    }

    /// When this desk's own usage journal was last exported (it reported the standby's state up
    /// to then).
    fn latest_journal_export(&self) -> Result<Option<Timestamp>, StoreError> {
        let at: Option<String> = self
            .conn()
            .prepare_cached("SELECT MAX(exported_at) FROM journal_exports")?
            .query_row([], |r| r.get(0))?;
        at.as_deref().map(parse_time).transpose()
    }

    /// This desk's own usage journal, in order.
    fn journal_entries(&self) -> Result<Vec<JournalEntry>, StoreError> {
        collect(
            self.conn(),
            "SELECT seq, at, state, hash FROM journal_entries ORDER BY seq",
            [],
            |r| {
                let at: String = r.get(1)?;
                let state: String = r.get(2)?;
                Ok(JournalEntry {
                    seq: r.get::<_, i64>(0)? as u64,
                    at: parse_time(&at)?,
                    state: UsageState::parse(&state).map_err(corrupt)?,
                    hash: r.get(3)?,
                })
            },
        )
    }

    /// The latest usage report imported for a FailoverSuite's standby.
    fn usage_report(&self, failover: &LicenseNumber) -> Result<Option<UsageReport>, StoreError> {
        Ok(self
            .usage_reports()?
            .into_iter()
            .find(|r| &r.failover == failover))
    }

    /// The latest usage report of every FailoverSuite's standby.
    fn usage_reports(&self) -> Result<Vec<UsageReport>, StoreError> {
        let mut reports = self.usage_reports_alone()?;
        for report in &mut reports {
            // Every violation recorded for the FailoverSuite, whichever installation showed it,
            // until acknowledged — but the one still running is the evaluation's own.
            let running = report.evaluation.as_ref().and_then(|e| {
                e.current
                    .as_ref()
                    .filter(|c| c.level == licdesk_core::usage::Level::Violation)
                    .map(|c| c.start)
            });
            report.open_violations =
                crate::ViolationQueries::violations_of(self, &report.failover)?
                    .into_iter()
                    .filter(|v| v.acknowledged.is_none())
                    .filter(|v| {
                        !(Some(v.episode.start) == running
                            && report.installation_key.as_deref()
                                == Some(v.installation_key.as_str()))
                    })
                    .map(|v| v.episode)
                    .collect();
        }
        Ok(reports)
    }

    /// The usage reports without the violations recorded.
    fn usage_reports_alone(&self) -> Result<Vec<UsageReport>, StoreError> {
        let tampered = self.tampered_journals()?;
        collect(
            self.conn(),
            "SELECT failover, journal_hash, exported_at, activated_at, evaluation, last_seq, last_hash, imported_at,
                    hardware_id, installation_key, violations_acknowledged_through,
                    violations_acknowledged_at, violations_acknowledgement
             FROM usage_reports ORDER BY failover",
            [],
            |r| {
                let failover = parse_license(&r.get::<_, String>(0)?)?;
                let exported: Option<String> = r.get(2)?;
                let activated: Option<String> = r.get(3)?;
                let evaluation: Option<Evaluation> = r
                    .get::<_, Option<String>>(4)?
                    .map(|e| serde_json::from_str(&e).map_err(corrupt))
                    .transpose()?;
                let imported: String = r.get(7)?;
                let hardware_id: Option<String> = r.get(8)?;
                let acknowledged = match (
                    r.get::<_, Option<String>>(10)?,
                    r.get::<_, Option<String>>(11)?,
                ) {
                    (Some(through), Some(at)) => Some(ViolationsAcknowledged {
                        through: parse_time(&through)?,
                        at: parse_time(&at)?,
                        reason: r.get::<_, Option<String>>(12)?.unwrap_or_default(),
                    }),
                    _ => None,
                };
                let mine: Vec<TamperedJournal> = tampered
                    .iter()
                    .filter(|t| t.failover == failover)
                    .cloned()
                    .collect();
                let reported = mine.iter().rev().find(|t| t.dismissed.is_none());
                Ok(UsageReport {
                    journal_hash: r.get(1)?,
                    exported_at: exported.as_deref().map(parse_time).transpose()?,
                    activated_at: activated.as_deref().map(parse_time).transpose()?,
                    hardware_id: hardware_id
                        .map(|h| HardwareId::parse(&h).map_err(corrupt))
                        .transpose()?,
                    installation_key: r.get(9)?,
                    last_seq: r.get::<_, Option<i64>>(5)?.map(|s| s as u64),
                    last_hash: r.get(6)?,
                    // Filled below from the violations recorded (they outlive the evaluation).
                    open_violations: Vec::new(),
                    evaluation,
                    violations_acknowledged: acknowledged,
                    tamper: reported.map(|t| t.tamper.clone()),
                    tamper_hash: reported.map(|t| t.file_hash.clone()),
                    tampered: mine,
                    imported_at: parse_time(&imported)?,
                    failover,
                })
            },
        )
    }

    /// Every usage journal of a FailoverSuite's standby that could not be trusted, oldest first.
    fn tampered_journals(&self) -> Result<Vec<TamperedJournal>, StoreError> {
        collect(
            self.conn(),
            "SELECT file_hash, failover, tamper, imported_at, dismissed_at, dismissal
             FROM tampered_journals ORDER BY imported_at, file_hash",
            [],
            |r| {
                let imported: String = r.get(3)?;
                let dismissed_at: Option<String> = r.get(4)?;
                let dismissal: Option<String> = r.get(5)?;
                Ok(TamperedJournal {
                    file_hash: r.get(0)?,
                    failover: parse_license(&r.get::<_, String>(1)?)?,
                    tamper: serde_json::from_str(&r.get::<_, String>(2)?).map_err(corrupt)?,
                    imported_at: parse_time(&imported)?,
                    dismissed: match dismissed_at {
                        Some(at) => Some((parse_time(&at)?, dismissal.unwrap_or_default())),
                        None => None,
                    },
                })
            },
        )
    }

    /// Usage journals whose own signature failed, oldest first.
    fn unreadable_journals(&self) -> Result<Vec<UnreadableJournal>, StoreError> {
        collect(
            self.conn(),
            "SELECT file_hash, key_id, reason, imported_at, dismissed_at, dismissal
             FROM unreadable_journals ORDER BY imported_at, file_hash",
            [],
            |r| {
                let imported: String = r.get(3)?;
                let dismissed_at: Option<String> = r.get(4)?;
                let dismissal: Option<String> = r.get(5)?;
                Ok(UnreadableJournal {
                    file_hash: r.get(0)?,
                    key_id: r.get(1)?,
                    reason: r.get(2)?,
                    imported_at: parse_time(&imported)?,
                    dismissed: match dismissed_at {
                        Some(at) => Some((parse_time(&at)?, dismissal.unwrap_or_default())),
                        None => None,
                    },
                })
            },
        )
    }

    fn meta(&self, key: &str) -> Result<Option<String>, StoreError> {
        Ok(self
            .conn()
            .prepare_cached("SELECT value FROM meta WHERE key = ?1")?
            .query_row([key], |r| r.get(0))
            .optional()?)
    }

    /// Every stored certificate's text (base and FailoverSuite), for re-checking trust.
    fn certificate_texts(&self) -> Result<Vec<(LicenseNumber, String)>, StoreError> {
        collect(
            self.conn(),
            "SELECT license, certificate FROM base_licenses UNION ALL SELECT license, certificate FROM failover_licenses ORDER BY 1",
            [],
            |r| {
                let l: String = r.get(0)?;
                Ok((parse_license(&l)?, r.get(1)?))
            },
        )
    }

    fn audit_log(&self) -> Result<Vec<AuditEntry>, StoreError> {
        collect(
            self.conn(),
            "SELECT id, at, action, subject, detail, file_hash FROM audit_log ORDER BY id",
            [],
            |r| {
                let at: String = r.get(1)?;
                Ok(AuditEntry {
                    id: r.get(0)?,
                    at: parse_time(&at)?,
                    action: r.get(2)?,
                    subject: r.get(3)?,
                    detail: r.get(4)?,
                    file_hash: r.get(5)?,
                })
            },
        )
    }

    /// A page of base licenses whose customer contains `filter` (case-insensitive) or whose
    /// number starts with it, ordered by customer then number.
    /// One page of base licenses matching `filter` (a customer by substring, a license number by
    /// prefix), in customer order, and how many match in all. See [`Search`] for how.
    fn page_bases(
        &self,
        filter: &str,
        offset: u32,
        limit: u32,
    ) -> Result<(Vec<ListedBase>, u64), StoreError> {
        Search::of(filter).page(self.conn(), offset, limit)
    }

    fn list_bases(
        &self,
        filter: &str,
        offset: u32,
        limit: u32,
    ) -> Result<Vec<ListedBase>, StoreError> {
        Ok(self.page_bases(filter, offset, limit)?.0)
    }

    fn count_bases(&self, filter: &str) -> Result<u64, StoreError> {
        Ok(self.page_bases(filter, 0, 1)?.1)
    }

    /// Every row of every table as text, in a fixed order: two dumps are equal exactly when
    /// the store's content is (tests compare a dump before and after a refused import).
    fn dump(&self) -> Result<String, StoreError> {
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
            let mut stmt = self
                .conn()
                .prepare(&format!("SELECT * FROM {table} ORDER BY 1, 2"))?;
            let n = stmt.column_count();
            let mut rows = stmt.query([])?;
            while let Some(row) = rows.next()? {
                let cells: Vec<String> = (0..n)
                    .map(|i| match row.get_ref(i) {
                        Ok(v) => format!("{v:?}"),
                        Err(e) => format!("<{e}>"),
                    })
                    .collect();
                out.push_str(&cells.join(" | "));
                out.push('\n');
            }
        }
        Ok(out)
    }
}

// ---------------------------------------------------------------------------------------------
// Writes

/// Where a verified file came from, for the audit log and idempotency.
#[derive(Debug, Clone)]
pub struct Provenance<'a> {
    pub file_hash: &'a str,
    pub key_id: &'a KeyId,
    pub demo: bool,
    pub text: &'a str,
    pub at: Timestamp,
}

impl Tx<'_> {
    pub fn mark_file(&self, file_hash: &str, kind: &str, at: Timestamp) -> Result<(), StoreError> {
        self.tx
            .prepare_cached(
                "INSERT OR IGNORE INTO imported_files (file_hash, kind, imported_at) VALUES (?1, ?2, ?3)",
            )?
            .execute(params![file_hash, kind, at.to_string()])?;
        Ok(())
    }

    /// Inserts or replaces (by license number) a base license.
    pub fn put_base(
        &self,
        cert: &BaseCertificate,
        from: &Provenance<'_>,
    ) -> Result<(), StoreError> {
        let folded = fold(&cert.customer);
        let existing: Option<(i64, String)> = self
            .tx
            .prepare_cached("SELECT rowid, customer_fold FROM base_licenses WHERE license = ?1")?
            .query_row([cert.license.as_str()], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        self.tx
            .prepare_cached(&format!(
                // An upsert, not INSERT OR REPLACE: the row keeps its row id in the search index.
                "INSERT INTO base_licenses ({BASE_COLUMNS}, customer_fold)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)
                 ON CONFLICT (license) DO UPDATE SET
                     revision = excluded.revision, customer = excluded.customer,
                     variant = excluded.variant, extensions = excluded.extensions,
                     issued_at = excluded.issued_at, key_id = excluded.key_id,
                     demo = excluded.demo, entitlement_digest = excluded.entitlement_digest,
                     certificate = excluded.certificate, file_hash = excluded.file_hash,
                     imported_at = excluded.imported_at, customer_fold = excluded.customer_fold"
            ))?
            .execute(params![
                cert.license.as_str(),
                cert.revision,
                cert.customer,
                cert.variant.code(),
                serde_json::to_string(&cert.extensions).map_err(corrupt)?,
                cert.issued_at.to_string(),
                from.key_id.as_str(),
                from.demo,
                cert.entitlement_digest(),
                from.text,
                from.file_hash,
                from.at.to_string(),
                folded,
            ])?;
        match existing {
            // A new row: indexed at commit (see `Tx::commit`).
            None => self.bases_added.set(true),
            // A renamed customer whose row is indexed already: re-indexed now.
            Some((rowid, old)) if old != folded => {
                let indexed_upto: i64 = self.tx.query_row(
                    "SELECT indexed_upto FROM base_licenses_search_state",
                    [],
                    |r| r.get(0),
                )?;
                if rowid <= indexed_upto {
                    self.tx.execute(
                        "INSERT INTO base_licenses_search (base_licenses_search, rowid, customer_fold)
                         VALUES ('delete', ?1, ?2)",
                        params![rowid, old],
                    )?;
                    self.tx.execute(
                        "INSERT INTO base_licenses_search (rowid, customer_fold) VALUES (?1, ?2)",
                        params![rowid, folded],
                    )?;
                }
            }
            Some(_) => {}
        }
        Ok(())
    }

    pub fn put_failover(
        &self,
        cert: &FailoverCertificate,
        from: &Provenance<'_>,
    ) -> Result<(), StoreError> {
        self.tx
            .prepare_cached(&format!(
                "INSERT INTO failover_licenses ({FAILOVER_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
            ))?
            .execute(params![
                cert.license.as_str(),
                cert.base_license.as_str(),
                cert.issued_at.to_string(),
                from.key_id.as_str(),
                from.demo,
                from.text,
                from.file_hash,
                from.at.to_string(),
            ])?;
        Ok(())
    }

    /// Registers (or re-registers, replacing) a system as pending.
    #[allow(clippy::too_many_arguments)] // one column each; a struct would only rename them
    pub fn put_pending_system(
        &self,
        role: Role,
        license: &LicenseNumber,
        base: &LicenseNumber,
        hardware: &Hardware,
        mode: Option<StandbyMode>,
        installation_key: Option<&str>,
        at: Timestamp,
    ) -> Result<(), StoreError> {
        self.tx
            .prepare_cached(
                "INSERT OR REPLACE INTO systems (role, license, base_license, hardware_id, hardware, mode, state, registered_at, installation_key)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'pending', ?7, ?8)",
            )?
            .execute(params![
                role.code(),
                license.as_str(),
                base.as_str(),
                hardware.id.as_str(),
                serde_json::to_string(hardware).map_err(corrupt)?,
                mode.map(StandbyMode::code),
                at.to_string(),
                installation_key,
            ])?;
        Ok(())
    }

    /// Removes a system (its standby was released by the vendor).
    pub fn delete_system(&self, role: Role, license: &LicenseNumber) -> Result<bool, StoreError> {
        Ok(self
            .tx
            .prepare_cached("DELETE FROM systems WHERE role = ?1 AND license = ?2")?
            .execute(params![role.code(), license.as_str()])?
            == 1)
    }

    /// Changes the recorded mode of a system (R9: it changes nothing in the license).
    pub fn set_mode(
        &self,
        role: Role,
        license: &LicenseNumber,
        mode: StandbyMode,
    ) -> Result<(), StoreError> {
        self.tx
            .prepare_cached("UPDATE systems SET mode = ?1 WHERE role = ?2 AND license = ?3")?
            .execute(params![mode.code(), role.code(), license.as_str()])?;
        Ok(())
    }

    /// Records an activation (R13: with the system's hardware).
    pub fn activate_system(
        &self,
        role: Role,
        license: &LicenseNumber,
        hardware: &Hardware,
        mode: Option<StandbyMode>,
        activation: &Activation,
    ) -> Result<(), StoreError> {
        let changed = self
            .tx
            .prepare_cached(
                "UPDATE systems SET state = ?1, hardware_id = ?2, hardware = ?3, mode = ?4, activated_at = ?5,
                        entitlement_digest = ?6, entitlements = ?7, response = ?8, installation_key = ?11, limits = ?12
                 WHERE role = ?9 AND license = ?10",
            )?
            .execute(params![
                SystemState::Active.code(),
                hardware.id.as_str(),
                serde_json::to_string(hardware).map_err(corrupt)?,
                mode.map(StandbyMode::code),
                activation.activated_at.to_string(),
                activation.entitlement_digest,
                serde_json::to_string(&activation.entitlements).map_err(corrupt)?,
                activation.response_text,
                role.code(),
                license.as_str(),
                activation.installation_key,
                activation
                    .limits
                    .map(|l| serde_json::to_string(&l))
                    .transpose()
                    .map_err(corrupt)?,
            ])?;
        if changed != 1 {
            return Err(corrupt(format!("no {} system for {license}", role.code())));
        }
        Ok(())
    }

    /// Records an export of this desk's own usage journal (up to entry `last_seq`).
    pub fn record_journal_export(
        &self,
        at: Timestamp,
        last_seq: Option<u64>,
    ) -> Result<(), StoreError> {
        self.tx
            .prepare_cached("INSERT INTO journal_exports (exported_at, last_seq) VALUES (?1, ?2)")?
            .execute(params![at.to_string(), last_seq.map(|s| s as i64)])?;
        Ok(())
    }

    pub fn append_journal(&self, entry: &JournalEntry) -> Result<(), StoreError> {
        self.tx
            .prepare_cached(
                "INSERT INTO journal_entries (seq, at, state, hash) VALUES (?1, ?2, ?3, ?4)",
            )?
            .execute(params![
                entry.seq as i64,
                entry.at.to_string(),
                entry.state.code(),
                entry.hash
            ])?;
        Ok(())
    }

    /// Records the evaluation of a trusted journal (tampered journals recorded before stay
    /// reported until dismissed; an acknowledgement of past violations stays). A journal exported
    /// no later than the trusted one recorded changes nothing: returns false.
    pub fn put_usage_evaluation(&self, j: &TrustedJournal<'_>) -> Result<bool, StoreError> {
        let newer = self
            .usage_report(j.failover)?
            .and_then(|r| r.exported_at)
            .is_none_or(|recorded| j.exported_at > recorded);
        if !newer {
            return Ok(false);
        }
        self.tx
            .prepare_cached(
                "INSERT INTO usage_reports (failover, journal_hash, exported_at, activated_at, hardware_id, installation_key,
                                            evaluation, last_seq, last_hash, imported_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
                 ON CONFLICT (failover) DO UPDATE SET journal_hash = excluded.journal_hash,
                     exported_at = excluded.exported_at, activated_at = excluded.activated_at,
                     hardware_id = excluded.hardware_id, installation_key = excluded.installation_key,
                     evaluation = excluded.evaluation, last_seq = excluded.last_seq,
                     last_hash = excluded.last_hash, imported_at = excluded.imported_at",
            )?
            .execute(params![
                j.failover.as_str(),
                j.journal_hash,
                j.exported_at.to_string(),
                j.activated_at.to_string(),
                j.hardware_id.as_str(),
                j.installation_key,
                serde_json::to_string(j.evaluation).map_err(corrupt)?,
                j.last_entry.map(|(seq, _)| seq as i64),
                j.last_entry.map(|(_, hash)| hash),
                j.imported_at.to_string(),
            ])?;
        Ok(true)
    }

    /// Records a journal that could not be trusted: reported until dismissed. The trusted
    /// journal recorded before (its evaluation and export time) stays.
    pub fn put_usage_tamper(
        &self,
        failover: &LicenseNumber,
        journal_hash: &str,
        tamper: &Tamper,
        at: Timestamp,
    ) -> Result<(), StoreError> {
        self.tx
            .prepare_cached(
                "INSERT OR IGNORE INTO tampered_journals (file_hash, failover, tamper, imported_at)
                 VALUES (?1, ?2, ?3, ?4)",
            )?
            .execute(params![
                journal_hash,
                failover.as_str(),
                serde_json::to_string(tamper).map_err(corrupt)?,
                at.to_string(),
            ])?;
        self.tx
            .prepare_cached(
                "INSERT INTO usage_reports (failover, imported_at) VALUES (?1, ?2)
                 ON CONFLICT (failover) DO UPDATE SET imported_at = excluded.imported_at",
            )?
            .execute(params![failover.as_str(), at.to_string()])?;
        Ok(())
    }

    /// Dismisses a tampered journal of a FailoverSuite's standby; false when there is no such
    /// journal, or it was dismissed before.
    pub fn dismiss_tampered_journal(
        &self,
        file_hash: &str,
        at: Timestamp,
        reason: &str,
    ) -> Result<bool, StoreError> {
        self.dismiss_journal_in("tampered_journals", file_hash, at, reason)
    }

    /// Marks the journal `file_hash` of `table` dismissed, unless it was before.
    fn dismiss_journal_in(
        &self,
        table: &'static str,
        file_hash: &str,
        at: Timestamp,
        reason: &str,
    ) -> Result<bool, StoreError> {
        let changed = self
            .tx
            .prepare_cached(&format!(
                "UPDATE {table} SET dismissed_at = ?2, dismissal = ?3
                 WHERE file_hash = ?1 AND dismissed_at IS NULL"
            ))?
            .execute(params![file_hash, at.to_string(), reason])?;
        Ok(changed == 1)
    }

    /// Acknowledges the past violations of a standby that started no later than `through`;
    /// false when no trusted journal of it is recorded.
    pub fn acknowledge_violations(
        &self,
        failover: &LicenseNumber,
        through: Timestamp,
        at: Timestamp,
        reason: &str,
    ) -> Result<bool, StoreError> {
        let changed = self
            .tx
            .prepare_cached(
                "UPDATE usage_reports SET violations_acknowledged_through = ?2,
                     violations_acknowledged_at = ?3, violations_acknowledgement = ?4
                 WHERE failover = ?1 AND evaluation IS NOT NULL",
            )?
            .execute(params![
                failover.as_str(),
                through.to_string(),
                at.to_string(),
                reason
            ])?;
        // The violations recorded that started no later than `through` with it.
        self.tx
            .prepare_cached(
                "UPDATE violations SET acknowledged_at = ?3, acknowledgement = ?4
                  WHERE failover = ?1 AND start <= ?2 AND acknowledged_at IS NULL",
            )?
            .execute(params![
                failover.as_str(),
                through.to_string(),
                at.to_string(),
                reason
            ])?;
        Ok(changed == 1)
    }

    /// Records a usage journal whose own signature failed (nothing in it is used).
    pub fn put_unreadable_journal(&self, journal: &UnreadableJournal) -> Result<(), StoreError> {
        self.tx
            .prepare_cached(
                "INSERT OR IGNORE INTO unreadable_journals (file_hash, key_id, reason, imported_at) VALUES (?1, ?2, ?3, ?4)",
            )?
            .execute(params![
                journal.file_hash,
                journal.key_id,
                journal.reason,
                journal.imported_at.to_string(),
            ])?;
        Ok(())
    }

    /// Dismisses a tampered journal (see [`UnreadableJournal::dismissed`]); false when there is
    /// no such journal, or it was dismissed before.
    pub fn dismiss_unreadable_journal(
        &self,
        file_hash: &str,
        at: Timestamp,
        reason: &str,
    ) -> Result<bool, StoreError> {
        self.dismiss_journal_in("unreadable_journals", file_hash, at, reason)
    }

    pub fn set_meta(&self, key: &str, value: &str) -> Result<(), StoreError> {
        self.tx
            .prepare_cached("INSERT OR REPLACE INTO meta (key, value) VALUES (?1, ?2)")?
            .execute(params![key, value])?;
        Ok(())
    }

    pub fn acknowledge_notice(
        &self,
        failover: &LicenseNumber,
        at: Timestamp,
    ) -> Result<bool, StoreError> {
        Ok(self
            .tx
            .prepare_cached("UPDATE systems SET notice_acknowledged_at = ?1 WHERE role = 'standby' AND license = ?2")?
            .execute(params![at.to_string(), failover.as_str()])?
            == 1)
    }

    pub fn put_request(&self, req: &StoredRequest, file_hash: &str) -> Result<(), StoreError> {
        self.tx
            .prepare_cached(
                "INSERT INTO requests (nonce, license, role, hardware_id, created_at, file_hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?
            .execute(params![
                req.nonce,
                req.license.as_str(),
                req.role.code(),
                req.hardware_id.as_str(),
                req.created_at.to_string(),
                file_hash,
            ])?;
        Ok(())
    }

    pub fn mark_request_answered(&self, nonce: &str, at: Timestamp) -> Result<(), StoreError> {
        self.tx
            .prepare_cached("UPDATE requests SET answered_at = ?2 WHERE nonce = ?1")?
            .execute(params![nonce, at.to_string()])?;
        Ok(())
    }

    pub fn put_trusted_key(&self, key: &StoredKey, file_hash: &str) -> Result<(), StoreError> {
        self.tx
            .prepare_cached(
                "INSERT OR IGNORE INTO trusted_keys (key_id, public_key, vendor, added_at, file_hash) VALUES (?1, ?2, ?3, ?4, ?5)",
            )?
            .execute(params![
                key.key_id.as_str(),
                key.public_key,
                key.vendor,
                key.added_at.to_string(),
                file_hash
            ])?;
        Ok(())
    }

    pub fn audit(
        &self,
        at: Timestamp,
        action: &str,
        subject: &str,
        detail: &str,
        file_hash: Option<&str>,
    ) -> Result<(), StoreError> {
        self.tx
            .prepare_cached(
                "INSERT INTO audit_log (at, action, subject, detail, file_hash) VALUES (?1, ?2, ?3, ?4, ?5)",
            )?
            .execute(params![at.to_string(), action, subject, detail, file_hash])?;
        Ok(())
    }
}
