//! What sync hands from one store to another besides signed files: the activation requests a
//! desk wrote, and the decisions people made that no vendor signed — a violation acknowledged
//! (R12), a tampered journal dismissed. Each is merged by one rule: **the earliest decision
//! stands**. Both stores apply the same rule to the same two decisions, so they agree after a
//! sync in either order; the decision set aside is named to the caller (who records it).

use licdesk_core::{LicenseNumber, Role, Timestamp};

use super::requests::StoredRequest;
use super::{collect, corrupt, parse_license, parse_time};
use crate::db::{params, Connection};
use crate::{StoreError, Tx};

/// A request this store wrote, with the content id of the file it was written as.
#[derive(Debug, Clone)]
pub struct WrittenRequest {
    pub request: StoredRequest,
    pub file_hash: String,
}

/// What a decision is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecisionSubject {
    /// A five-day violation (R12): its FailoverSuite, the standby installation whose journal
    /// showed it, and its start.
    Violation {
        failover: LicenseNumber,
        installation_key: String,
        start: Timestamp,
    },
    /// A usage journal recorded as tampered (its content id).
    TamperedJournal { file_hash: String },
    /// A usage journal whose own signature fails (its content id).
    UnreadableJournal { file_hash: String },
}

/// A decision people made: when, and the reason they gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub subject: DecisionSubject,
    pub at: Timestamp,
    pub reason: String,
}

/// What merging another store's decision did here.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Merged {
    /// This store has nothing the decision is about (yet): nothing changed.
    NothingToDecide,
    /// This store had made the same decision.
    Same,
    /// This store had not decided: the decision is taken over.
    Taken,
    /// This store had decided earlier: its decision stands, the other is set aside.
    OursStands,
    /// This store had decided later: the other, earlier decision replaces it (the one replaced).
    Replaced(Decision),
}

pub(crate) fn written_requests(conn: &Connection) -> Result<Vec<WrittenRequest>, StoreError> {
    collect(
        conn,
        "SELECT nonce, license, role, hardware_id, created_at, answered_at, file_hash
           FROM requests ORDER BY created_at, nonce",
        params![],
        |r| {
            let answered: Option<String> = r.get(5)?;
            Ok(WrittenRequest {
                request: StoredRequest {
                    nonce: r.get(0)?,
                    license: parse_license(&r.get::<String>(1)?)?,
                    role: Role::parse(&r.get::<String>(2)?).map_err(corrupt)?,
                    hardware_id: licdesk_core::HardwareId::parse(&r.get::<String>(3)?)
                        .map_err(corrupt)?,
                    created_at: parse_time(&r.get::<String>(4)?)?,
                    answered_at: answered.as_deref().map(parse_time).transpose()?,
                },
                file_hash: r.get(6)?,
            })
        },
    )
}

/// Every decision this store holds, oldest first.
pub(crate) fn decisions(conn: &Connection) -> Result<Vec<Decision>, StoreError> {
    let mut out = collect(
        conn,
        "SELECT failover, installation_key, start, acknowledged_at, acknowledgement
           FROM violations WHERE acknowledged_at IS NOT NULL",
        params![],
        |r| {
            Ok(Decision {
                subject: DecisionSubject::Violation {
                    failover: parse_license(&r.get::<String>(0)?)?,
                    installation_key: r.get(1)?,
                    start: parse_time(&r.get::<String>(2)?)?,
                },
                at: parse_time(&r.get::<String>(3)?)?,
                reason: r.get::<Option<String>>(4)?.unwrap_or_default(),
            })
        },
    )?;
    for (table, tampered) in [("tampered_journals", true), ("unreadable_journals", false)] {
        out.extend(collect(
            conn,
            &format!(
                "SELECT file_hash, dismissed_at, dismissal FROM {table} WHERE dismissed_at IS NOT NULL"
            ),
            params![],
            |r| {
                let file_hash: String = r.get(0)?;
                Ok(Decision {
                    subject: if tampered {
                        DecisionSubject::TamperedJournal { file_hash }
                    } else {
                        DecisionSubject::UnreadableJournal { file_hash }
                    },
                    at: parse_time(&r.get::<String>(1)?)?,
                    reason: r.get::<Option<String>>(2)?.unwrap_or_default(),
                })
            },
        )?);
    }
    out.sort_by_key(|d| d.at);
    Ok(out)
}

/// Where a decision is kept: its table, the columns of its time and reason, the condition
/// that finds its row (parameters ?1 onwards) and those parameters.
struct Place<'a> {
    table: &'static str,
    at: &'static str,
    reason: &'static str,
    row: &'static str,
    keys: Vec<&'a str>,
}

fn place_of<'a>(subject: &'a DecisionSubject, start: &'a str) -> Place<'a> {
    match subject {
        DecisionSubject::Violation {
            failover,
            installation_key,
            ..
        } => Place {
            table: "violations",
            at: "acknowledged_at",
            reason: "acknowledgement",
            row: "failover = ?1 AND installation_key = ?2 AND start = ?3",
            keys: vec![failover.as_str(), installation_key.as_str(), start],
        },
        DecisionSubject::TamperedJournal { file_hash } => Place {
            table: "tampered_journals",
            at: "dismissed_at",
            reason: "dismissal",
            row: "file_hash = ?1",
            keys: vec![file_hash.as_str()],
        },
        DecisionSubject::UnreadableJournal { file_hash } => Place {
            table: "unreadable_journals",
            at: "dismissed_at",
            reason: "dismissal",
            row: "file_hash = ?1",
            keys: vec![file_hash.as_str()],
        },
    }
}

impl Tx<'_> {
    /// Takes over a request another store wrote (the same nonce is the same request); its
    /// answer, when either store has one, is the earliest. True when the request was new here.
    pub fn merge_request(&self, written: &WrittenRequest) -> Result<bool, StoreError> {
        let req = &written.request;
        let added = self
            .tx
            .prepare_cached(
                "INSERT INTO requests (nonce, license, role, hardware_id, created_at, file_hash, answered_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (nonce) DO NOTHING",
            )?
            .execute(params![
                req.nonce,
                req.license.as_str(),
                req.role.code(),
                req.hardware_id.as_str(),
                req.created_at.to_string(),
                written.file_hash,
                req.answered_at.map(|t| t.to_string()),
            ])?
            == 1;
        if let (false, Some(answered)) = (added, req.answered_at) {
            self.tx
                .prepare_cached(
                    "UPDATE requests SET answered_at = ?2
                      WHERE nonce = ?1 AND (answered_at IS NULL OR answered_at > ?2)",
                )?
                .execute(params![req.nonce, answered.to_string()])?;
        }
        Ok(added)
    }

    /// Merges another store's decision by the rule that the earliest decision stands (an
    /// equal time: the reason first in byte order, so both stores pick the same).
    pub fn merge_decision(&self, theirs: &Decision) -> Result<Merged, StoreError> {
        let start = match &theirs.subject {
            DecisionSubject::Violation { start, .. } => start.to_string(),
            _ => String::new(),
        };
        let place = place_of(&theirs.subject, &start);
        let keys: Vec<&dyn crate::db::ToValue> = place
            .keys
            .iter()
            .map(|k| k as &dyn crate::db::ToValue)
            .collect();
        let ours: Option<(Option<String>, Option<String>)> = self
            .tx
            .prepare_cached(&format!(
                "SELECT {}, {} FROM {} WHERE {}",
                place.at, place.reason, place.table, place.row
            ))?
            .query_opt(&keys, |r| Ok((r.get(0)?, r.get(1)?)))?;
        let ours = match ours {
            None => return Ok(Merged::NothingToDecide),
            Some((None, _)) => None,
            Some((Some(at), reason)) => Some(Decision {
                subject: theirs.subject.clone(),
                at: parse_time(&at)?,
                reason: reason.unwrap_or_default(),
            }),
        };
        let outcome = match &ours {
            Some(ours) if ours.at == theirs.at && ours.reason == theirs.reason => {
                return Ok(Merged::Same)
            }
            Some(ours) if (ours.at, &ours.reason) < (theirs.at, &theirs.reason) => {
                return Ok(Merged::OursStands)
            }
            Some(ours) => Merged::Replaced(ours.clone()),
            None => Merged::Taken,
        };
        let at = theirs.at.to_string();
        let n = keys.len();
        let mut params = keys;
        params.push(&at);
        params.push(&theirs.reason);
        self.tx
            .prepare_cached(&format!(
                "UPDATE {} SET {} = ?{}, {} = ?{} WHERE {}",
                place.table,
                place.at,
                n + 1,
                place.reason,
                n + 2,
                place.row
            ))?
            .execute(&params)?;
        Ok(outcome)
    }
}
