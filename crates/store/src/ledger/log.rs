//! `ledger_log`: every decision of the ledger, append-only (triggers refuse UPDATE and DELETE, on PostgreSQL
//! TRUNCATE too).

use licdesk_core::Timestamp;
use rusqlite::params;

use super::{LedgerTx, Tx};
use crate::StoreError;

impl LedgerTx<'_> {
    pub fn log(
        &self,
        at: Timestamp,
        action: &str,
        subject: &str,
        detail: &str,
    ) -> Result<(), StoreError> {
        let at = at.to_string();
        match &self.tx {
            Tx::Sqlite(tx) => {
                tx.prepare_cached(
                    "INSERT INTO ledger_log (at, action, subject, detail) VALUES (?1, ?2, ?3, ?4)",
                )?
                .execute(params![at, action, subject, detail])?;
            }
            Tx::Postgres(tx) => {
                tx.borrow_mut().execute(
                    "INSERT INTO ledger_log (at, action, subject, detail) VALUES ($1, $2, $3, $4)",
                    &[&at, &action, &subject, &detail],
                )?;
            }
        }
        Ok(())
    }
}
