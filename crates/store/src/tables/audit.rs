//! `audit_log`: every change, append-only (triggers refuse UPDATE and DELETE).

use licdesk_core::Timestamp;
use rusqlite::{params, Connection};
use serde::Serialize;

use super::{collect, parse_time};
use crate::{StoreError, Tx};

#[derive(Debug, Clone, Serialize)]
pub struct AuditEntry {
    pub id: i64,
    pub at: Timestamp,
    pub action: String,
    pub subject: String,
    pub detail: String,
    pub file_hash: Option<String>,
}

pub(crate) fn audit_log(conn: &Connection) -> Result<Vec<AuditEntry>, StoreError> {
    collect(
        conn,
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

impl Tx<'_> {
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
