//! `activations`: every activation the vendor decided, and which of them hold a machine now.

use licdesk_core::{Hardware, KnownSystem, LicenseNumber, Role, Timestamp};
use rusqlite::{params, OptionalExtension};

use super::LedgerTx;
use crate::StoreError;

/// One activation as the vendor recorded it.
#[derive(Debug, Clone)]
pub struct LedgerActivation {
    pub role: Role,
    pub license: LicenseNumber,
    pub mirrors: LicenseNumber,
    pub hardware: Hardware,
    pub request_nonce: String,
    pub activated_at: Timestamp,
    pub response: String,
    /// Base64 public key of the standby installation this activation certified (None for a main
    /// system, and for rows recorded before the ledger kept it).
    pub installation_key: Option<String>,
    /// The content identity of the signed request it answered (None for rows recorded before
    /// the ledger kept it).
    pub request_id: Option<String>,
}

fn activation_from_row(r: &rusqlite::Row<'_>) -> Result<LedgerActivation, StoreError> {
    let corrupt = |e: &dyn std::fmt::Display| StoreError::Corrupt(e.to_string());
    let role: String = r.get(0)?;
    let license: String = r.get(1)?;
    let mirrors: String = r.get(2)?;
    let hardware: String = r.get(3)?;
    let at: String = r.get(5)?;
    Ok(LedgerActivation {
        role: Role::parse(&role).map_err(|e| corrupt(&e))?,
        license: LicenseNumber::parse(&license).map_err(|e| corrupt(&e))?,
        mirrors: LicenseNumber::parse(&mirrors).map_err(|e| corrupt(&e))?,
        hardware: serde_json::from_str(&hardware).map_err(|e| corrupt(&e))?,
        request_nonce: r.get(4)?,
        activated_at: Timestamp::parse(&at).map_err(|e| corrupt(&e))?,
        response: r.get(6)?,
        installation_key: r.get(7)?,
        request_id: r.get(8)?,
    })
}

const ACTIVATION_COLUMNS: &str =
    "role, license, mirrors, hardware, request_nonce, activated_at, response, installation_key, request_id";

impl LedgerTx<'_> {
    /// The systems held now: for each (role, license) its latest activation.
    pub fn known_systems(&self) -> Result<Vec<KnownSystem>, StoreError> {
        Ok(self
            .held()?
            .into_iter()
            .map(|a| KnownSystem {
                role: a.role,
                license: a.license,
                hardware: a.hardware,
            })
            .collect())
    }

    /// The activations that hold a machine now: for each (role, license) its latest, unless a
    /// standby was released after it.
    fn held(&self) -> Result<Vec<LedgerActivation>, StoreError> {
        let mut stmt = self.tx.prepare_cached(&format!(
            "SELECT {ACTIVATION_COLUMNS} FROM activations a
             WHERE rowid = (SELECT MAX(rowid) FROM activations b WHERE b.role = a.role AND b.license = a.license)
               AND NOT EXISTS (SELECT 1 FROM releases r WHERE r.license = a.license AND a.role = 'standby'
                               AND r.hardware_id = a.hardware_id AND r.released_at >= a.activated_at)
             ORDER BY role, license"
        ))?;
        let mut rows = stmt.query([])?;
        let mut out = Vec::new();
        while let Some(row) = rows.next()? {
            out.push(activation_from_row(row)?);
        }
        Ok(out)
    }

    /// The activation of the standby that holds FailoverSuite `failover` now, if any.
    pub fn held_standby(
        &self,
        failover: &LicenseNumber,
    ) -> Result<Option<LedgerActivation>, StoreError> {
        Ok(self
            .held()?
            .into_iter()
            .find(|a| a.role == Role::Standby && &a.license == failover))
    }

    /// An activation already decided for this request nonce (re-running `activate` is idempotent).
    pub fn by_nonce(&self, nonce: &str) -> Result<Option<LedgerActivation>, StoreError> {
        let mut stmt = self.tx.prepare_cached(&format!(
            "SELECT {ACTIVATION_COLUMNS} FROM activations WHERE request_nonce = ?1"
        ))?;
        stmt.query_row([nonce], |r| Ok(activation_from_row(r)))
            .optional()?
            .transpose()
    }

    pub fn record(&self, a: &LedgerActivation) -> Result<(), StoreError> {
        self.tx
            .prepare_cached(&format!(
                "INSERT INTO activations ({ACTIVATION_COLUMNS}, hardware_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"
            ))?
            .execute(params![
                a.role.code(),
                a.license.as_str(),
                a.mirrors.as_str(),
                serde_json::to_string(&a.hardware).map_err(|e| StoreError::Corrupt(e.to_string()))?,
                a.request_nonce,
                a.activated_at.to_string(),
                a.response,
                a.installation_key,
                a.request_id,
                a.hardware.id.as_str(),
            ])?;
        self.log(
            a.activated_at,
            "activated",
            a.license.as_str(),
            &format!("{} {} on {}", a.role.code(), a.license, a.hardware.id),
        )
    }
}
