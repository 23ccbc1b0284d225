//! `releases`: the standby releases the vendor signed.

use licdesk_core::{LicenseNumber, Timestamp};
use rusqlite::{params, OptionalExtension};

use super::{LedgerTx, Tx};
use crate::StoreError;

impl LedgerTx<'_> {
    /// A release already decided for this request nonce (re-running `release` is idempotent):
    /// the signed release, and the identity of the request it answered (None for rows recorded
    /// before the ledger kept it).
    pub fn release_by_nonce(
        &self,
        nonce: &str,
    ) -> Result<Option<(String, Option<String>)>, StoreError> {
        Ok(match &self.tx {
            Tx::Sqlite(tx) => tx
                .prepare_cached(
                    "SELECT response, request_id FROM releases WHERE request_nonce = ?1",
                )?
                .query_row([nonce], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()?,
            Tx::Postgres(tx) => tx
                .borrow_mut()
                .query_opt(
                    "SELECT response, request_id FROM releases WHERE request_nonce = $1",
                    &[&nonce],
                )?
                .map(|r| Ok::<_, StoreError>((r.try_get(0)?, r.try_get(1)?)))
                .transpose()?,
        })
    }

    #[allow(clippy::too_many_arguments)]
    pub fn record_release(
        &self,
        license: &LicenseNumber,
        hardware_id: &licdesk_core::HardwareId,
        nonce: &str,
        request_id: Option<&str>,
        at: Timestamp,
        response: &str,
    ) -> Result<(), StoreError> {
        let when = at.to_string();
        match &self.tx {
            Tx::Sqlite(tx) => {
                tx.prepare_cached(
                    "INSERT INTO releases (license, hardware_id, request_nonce, released_at, response, request_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                )?
                .execute(params![license.as_str(), hardware_id.as_str(), nonce, when, response, request_id])?;
            }
            Tx::Postgres(tx) => {
                tx.borrow_mut().execute(
                    "INSERT INTO releases (license, hardware_id, request_nonce, released_at, response, request_id) VALUES ($1, $2, $3, $4, $5, $6)",
                    &[&license.as_str(), &hardware_id.as_str(), &nonce, &when, &response, &request_id],
                )?;
            }
        }
        self.log(
            at,
            "released",
            license.as_str(),
            &format!("standby {hardware_id} released"),
        )
    }
}
