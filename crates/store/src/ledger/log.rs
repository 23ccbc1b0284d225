//! `ledger_log`: every decision of the ledger, append-only (triggers refuse UPDATE and DELETE).

use licdesk_core::Timestamp;
use rusqlite::params;

use super::LedgerTx;
use crate::StoreError;

impl LedgerTx<'_> {
    pub fn log(
        &self,
        at: Timestamp,
        action: &str,
        subject: &str,
        detail: &str,
    ) -> Result<(), StoreError> {
        self.tx
            .prepare_cached(
                "INSERT INTO ledger_log (at, action, subject, detail) VALUES (?1, ?2, ?3, ?4)",
            )?
            .execute(params![at.to_string(), action, subject, detail])?;
        Ok(())
    }
}
