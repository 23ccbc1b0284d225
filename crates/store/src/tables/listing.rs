//! What the licenses list sorts and flags by, kept beside each base license so that a page of
//! the list costs the same with 100,000 licenses as with ten (schema 10):
//!
//! - `customer_key`: the customer's natural, case- and accent-insensitive sort key
//!   ([`natural_key`]), and `users_rank` (10, 25, 250, unlimited users: 1 to 4) — written with
//!   the base license ([`Tx::put_base`]).
//! - `changed_at`: the latest audited change of the license or of its FailoverSuites (written
//!   with the base license, then by every audit entry that names either: [`Tx::audit`]).
//! - `main_status` ([`ListedStatus`]) and `attention` (what the license needs, [`Attention`] as
//!   JSON, NULL when nothing): made again when a transaction commits for each license named in
//!   `listing_stale`, which triggers fill from every table they come from (systems, requests,
//!   usage reports, violations, tampered journals, a base license's entitlements).
//!
//! Each column has its index; `attention` a partial one, so the licenses needing attention are
//! counted and listed by reading only theirs.

use std::collections::BTreeSet;

use crate::db::{params, Connection, Row};
use licdesk_core::sort_key::natural_key;
use licdesk_core::usage::Evaluation;
use licdesk_core::{
    Attention, LicenseNumber, LicenseProduct, Role, SystemFacts, Timestamp, Variant,
};
use rusqlite::functions::FunctionFlags;
use serde::Serialize;

use super::requests::open_request_at;
use super::systems::{systems_of, StoredSystem, SystemState};
use super::{collect, corrupt, parse_license};
use crate::{StoreError, Tx};

/// The state of a license's main system as the list sorts it: in the order a main system goes
/// through (none registered, registered, its request exported, active, then out of date when
/// the base license changed, R5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ListedStatus {
    None,
    Pending,
    Waiting,
    Active,
    OutOfDate,
}

impl ListedStatus {
    fn rank(self) -> i64 {
        self as i64
    }

    fn of(main: Option<&StoredSystem>, attention: Option<&Attention>) -> ListedStatus {
        let waiting = matches!(attention, Some(Attention::WaitingForVendor { .. }));
        match main.map(|m| m.state) {
            None => ListedStatus::None,
            Some(SystemState::Pending) if waiting => ListedStatus::Waiting,
            Some(SystemState::Pending) => ListedStatus::Pending,
            Some(SystemState::Active) => match attention {
                Some(Attention::OutOfDate { .. } | Attention::WaitingForVendor { .. }) => {
                    ListedStatus::OutOfDate
                }
                _ => ListedStatus::Active,
            },
        }
    }
}

/// 1 to 4 for 10, 25, 250 and unlimited users: the list sorts the variants by size.
pub(crate) fn users_rank(variant: Variant) -> i64 {
    Variant::ALL
        .iter()
        .position(|v| *v == variant)
        .map_or(0, |i| i as i64 + 1)
}

/// The SQL functions the migration to schema 10 fills the new columns with (registered on the
/// writing connection before it migrates): `licdesk_natural_key(text)` and
/// `licdesk_users_rank(variant)`.
pub(crate) fn register_functions(conn: &rusqlite::Connection) -> Result<(), StoreError> {
    let flags = FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC;
    conn.create_scalar_function("licdesk_natural_key", 1, flags, |ctx| {
        Ok(natural_key(&ctx.get::<String>(0)?))
    })?;
    conn.create_scalar_function("licdesk_users_rank", 1, flags, |ctx| {
        let code = ctx.get::<String>(0)?;
        Ok(Variant::parse(&code).map_or(0, users_rank))
    })?;
    Ok(())
}

/// The base license `license` belongs to: itself, or a FailoverSuite's base (None when the
/// store does not hold it).
fn base_of(conn: &Connection, license: &str) -> Result<Option<LicenseNumber>, StoreError> {
    let Ok(number) = LicenseNumber::parse(license) else {
        return Ok(None);
    };
    match number.product() {
        LicenseProduct::Suite => Ok(Some(number)),
        LicenseProduct::FailoverSuite => conn
            .prepare_cached("SELECT base_license FROM failover_licenses WHERE license = ?1")?
            .query_opt(params![license], |r| r.get::<String>(0))?
            .map(|b| parse_license(&b))
            .transpose(),
    }
}

/// What `base` needs (most urgent first) and its main system's state, from what the store
/// holds now.
fn listing_of(
    conn: &Connection,
    base: &LicenseNumber,
) -> Result<Option<(ListedStatus, Vec<Attention>)>, StoreError> {
    let Some(digest) = conn
        .prepare_cached("SELECT entitlement_digest FROM base_licenses WHERE license = ?1")?
        .query_opt(params![base.as_str()], |r| r.get::<String>(0))?
    else {
        return Ok(None);
    };
    let systems = systems_of(conn, base)?;
    let mut found = Vec::new();
    let mut main_attention = None;
    for s in &systems {
        let open_request_at = open_request_at(conn, &s.license, s.role, &s.hardware.id)?;
        let a = Attention::of_system(&SystemFacts {
            role: s.role,
            license: &s.license,
            registered_at: s.registered_at,
            activated_digest: s.activation.as_ref().map(|a| a.entitlement_digest.as_str()),
            current_digest: &digest,
            open_request_at,
        });
        if s.role == Role::Main {
            main_attention = a.clone();
        }
        found.extend(a);
    }
    let failovers: Vec<String> = collect(
        conn,
        "SELECT license FROM failover_licenses WHERE base_license = ?1 ORDER BY license",
        params![base.as_str()],
        |r| r.get(0),
    )?;
    for f in failovers {
        let failover = parse_license(&f)?;
        let evaluation: Option<Evaluation> = conn
            .prepare_cached("SELECT evaluation FROM usage_reports WHERE failover = ?1")?
            .query_opt(params![&f], |r| r.get::<Option<String>>(0))?
            .flatten()
            .map(|e| serde_json::from_str(&e).map_err(corrupt))
            .transpose()?;
        let exists = |sql: &str| -> Result<bool, StoreError> {
            conn.prepare_cached(sql)?
                .query_row(params![&f], |r| r.get::<bool>(0))
        };
        let open_violations = exists(
            "SELECT EXISTS (SELECT 1 FROM violations WHERE failover = ?1 AND acknowledged_at IS NULL)",
        )?;
        let open_tampers = exists(
            "SELECT EXISTS (SELECT 1 FROM tampered_journals WHERE failover = ?1 AND dismissed_at IS NULL)",
        )?;
        found.extend(Attention::of_usage(
            &failover,
            evaluation.as_ref(),
            open_violations,
            open_tampers,
        ));
    }
    let main = systems.iter().find(|s| s.role == Role::Main);
    let status = ListedStatus::of(main, main_attention.as_ref());
    Ok(Some((status, Attention::in_order(found))))
}

/// Makes `main_status` and `attention` again for every base license `listing_stale` names
/// (directly or through a FailoverSuite of it), and empties it.
pub(crate) fn refresh_stale(conn: &Connection) -> Result<(), StoreError> {
    let named: Vec<String> = collect(conn, "SELECT license FROM listing_stale", params![], |r| {
        r.get(0)
    })?;
    if named.is_empty() {
        return Ok(());
    }
    let mut bases = BTreeSet::new();
    for license in &named {
        if let Some(base) = base_of(conn, license)? {
            bases.insert(base);
        }
    }
    for base in bases {
        let Some((status, attention)) = listing_of(conn, &base)? else {
            continue;
        };
        let attention = if attention.is_empty() {
            None
        } else {
            Some(serde_json::to_string(&attention).map_err(corrupt)?)
        };
        conn.prepare_cached(
            "UPDATE base_licenses SET main_status = ?1, attention = ?2 WHERE license = ?3",
        )?
        .execute(params![status.rank(), attention, base.as_str()])?;
    }
    conn.execute("DELETE FROM listing_stale", params![])?;
    Ok(())
}

/// A base license's kept attention (most urgent first), parsed from its column.
pub(crate) fn parse_attention(text: Option<String>) -> Result<Vec<Attention>, StoreError> {
    text.map_or(Ok(Vec::new()), |t| {
        serde_json::from_str(&t).map_err(corrupt)
    })
}

/// The status rank a `main_status` column holds, as a [`ListedStatus`].
pub(crate) fn status_of_rank(rank: i64) -> Result<ListedStatus, StoreError> {
    [
        ListedStatus::None,
        ListedStatus::Pending,
        ListedStatus::Waiting,
        ListedStatus::Active,
        ListedStatus::OutOfDate,
    ]
    .into_iter()
    .find(|s| s.rank() == rank)
    .ok_or_else(|| corrupt(format!("main_status {rank}")))
}

/// How many base licenses need attention: those the store keeps an attention for (read from
/// the partial index), and those of `also` it keeps none for.
pub(crate) fn attention_count(
    conn: &Connection,
    also: &[LicenseNumber],
) -> Result<u64, StoreError> {
    let kept: i64 = conn
        .prepare_cached("SELECT COUNT(*) FROM base_licenses WHERE attention IS NOT NULL")?
        .query_row(params![], |r| r.get(0))?;
    let more: i64 = if also.is_empty() {
        0
    } else {
        let numbers = super::license_array(also);
        conn.prepare_cached(
            "SELECT COUNT(*) FROM base_licenses WHERE license IN rarray(?1) AND attention IS NULL",
        )?
        .query_row(params![numbers], |r| r.get(0))?
    };
    Ok(u64::try_from(kept + more).unwrap_or(0))
}

/// The active standby whose activation certified the installation key `key` (the standby this
/// desk is, given its own key), and its base license.
pub(crate) fn standby_of_installation(
    conn: &Connection,
    key: &str,
) -> Result<Option<(LicenseNumber, LicenseNumber)>, StoreError> {
    conn.prepare_cached(
        "SELECT license, base_license FROM systems
          WHERE role = 'standby' AND state = 'active' AND installation_key = ?1
          ORDER BY license LIMIT 1",
    )?
    .query_opt(params![key], |r| {
        Ok((r.get::<String>(0)?, r.get::<String>(1)?))
    })?
    .map(|(f, b)| Ok((parse_license(&f)?, parse_license(&b)?)))
    .transpose()
}

/// A standby whose time no usage journal has accounted for since `since`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JournalOverdue {
    pub failover: LicenseNumber,
    pub base: LicenseNumber,
    pub since: Timestamp,
}

/// The standbys whose journal is overdue at `now`: more than `due_hours` that no trusted journal
/// accounts for (as monitoring counts them). A standby held here and active, whose activation
/// certified an installation key other than `own_key` (the standby this desk is keeps its
/// journal live), from its latest trusted journal of that installation or else its activation;
/// and a standby this desk receives journals of but does not hold active, from its latest
/// journal up to now — or up to its vendor-signed release, which ended it. Reads the standbys'
/// rows and the usage reports only, never the licenses.
pub(crate) fn journals_overdue(
    conn: &Connection,
    now: Timestamp,
    due_hours: i64,
    own_key: Option<&str>,
) -> Result<Vec<JournalOverdue>, StoreError> {
    let row = |r: &Row<'_>| -> Result<JournalOverdue, StoreError> {
        Ok(JournalOverdue {
            failover: parse_license(&r.get::<String>(0)?)?,
            base: parse_license(&r.get::<String>(1)?)?,
            since: super::parse_time(&r.get::<String>(2)?)?,
        })
    };
    collect(
        conn,
        "SELECT license, base_license, since FROM (
             SELECT s.license, s.base_license,
                    COALESCE(CASE WHEN r.installation_key = s.installation_key THEN r.exported_at END,
                             s.activated_at) AS since,
                    CAST(?1 AS TEXT) AS until
               FROM systems s LEFT JOIN usage_reports r ON r.failover = s.license
              WHERE s.role = 'standby' AND s.state = 'active' AND s.installation_key IS NOT NULL
                AND (CAST(?3 AS TEXT) IS NULL OR s.installation_key <> ?3)
             UNION ALL
             SELECT r.failover, f.base_license, r.exported_at,
                    COALESCE((SELECT MIN(m.signed_at, ?1) FROM system_marks m
                               WHERE m.role = 'standby' AND m.license = r.failover
                                 AND m.kind = 'standby-release'), ?1)
               FROM usage_reports r JOIN failover_licenses f ON f.license = r.failover
              WHERE r.exported_at IS NOT NULL AND r.evaluation IS NOT NULL
                AND (CAST(?3 AS TEXT) IS NULL OR r.installation_key IS DISTINCT FROM ?3)
                AND NOT EXISTS (SELECT 1 FROM systems s WHERE s.role = 'standby'
                                   AND s.license = r.failover AND s.state = 'active')
         ) AS running
         WHERE unixepoch(until) - unixepoch(since) > ?2 * 3600
         ORDER BY license",
        params![now.to_string(), due_hours, own_key],
        row,
    )
}

impl Tx<'_> {
    /// Takes the listing's columns to what the store holds now (at commit).
    pub(crate) fn refresh_listing(&self) -> Result<(), StoreError> {
        refresh_stale(self.tx)
    }
}
