//! `activations`: every activation the vendor decided, and which of them hold a machine now.

use licdesk_core::{Hardware, KnownSystem, LicenseNumber, Role, Timestamp};
use rusqlite::{params, OptionalExtension};

use super::{LedgerTx, Tx};
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

/// An activation's columns as stored, read the same way from either engine.
struct Stored {
    role: String,
    license: String,
    mirrors: String,
    hardware: String,
    request_nonce: String,
    activated_at: String,
    response: String,
    installation_key: Option<String>,
    request_id: Option<String>,
}

impl Stored {
    fn from_sqlite(r: &rusqlite::Row<'_>) -> Result<Stored, StoreError> {
        Ok(Stored {
            role: r.get(0)?,
            license: r.get(1)?,
            mirrors: r.get(2)?,
            hardware: r.get(3)?,
            request_nonce: r.get(4)?,
            activated_at: r.get(5)?,
            response: r.get(6)?,
            installation_key: r.get(7)?,
            request_id: r.get(8)?,
        })
    }

    fn from_postgres(r: &postgres::Row) -> Result<Stored, StoreError> {
        Ok(Stored {
            role: r.try_get(0)?,
            license: r.try_get(1)?,
            mirrors: r.try_get(2)?,
            hardware: r.try_get(3)?,
            request_nonce: r.try_get(4)?,
            activated_at: r.try_get(5)?,
            response: r.try_get(6)?,
            installation_key: r.try_get(7)?,
            request_id: r.try_get(8)?,
        })
    }

    fn activation(self) -> Result<LedgerActivation, StoreError> {
        let corrupt = |e: &dyn std::fmt::Display| StoreError::Corrupt(e.to_string());
        Ok(LedgerActivation {
            role: Role::parse(&self.role).map_err(|e| corrupt(&e))?,
            license: LicenseNumber::parse(&self.license).map_err(|e| corrupt(&e))?,
            mirrors: LicenseNumber::parse(&self.mirrors).map_err(|e| corrupt(&e))?,
            hardware: serde_json::from_str(&self.hardware).map_err(|e| corrupt(&e))?,
            request_nonce: self.request_nonce,
            activated_at: Timestamp::parse(&self.activated_at).map_err(|e| corrupt(&e))?,
            response: self.response,
            installation_key: self.installation_key,
            request_id: self.request_id,
        })
    }
}

const ACTIVATION_COLUMNS: &str =
    "role, license, mirrors, hardware, request_nonce, activated_at, response, installation_key, request_id";

/// For each (role, license) its latest activation (SQLite's rowid, PostgreSQL's id: the order
/// of recording), unless a standby was released after it.
const HELD_SQLITE: &str = "
    SELECT role, license, mirrors, hardware, request_nonce, activated_at, response, installation_key, request_id
    FROM activations a
    WHERE rowid = (SELECT MAX(rowid) FROM activations b WHERE b.role = a.role AND b.license = a.license)
      AND NOT EXISTS (SELECT 1 FROM releases r WHERE r.license = a.license AND a.role = 'standby'
                      AND r.hardware_id = a.hardware_id AND r.released_at >= a.activated_at)
    ORDER BY role, license";
const HELD_POSTGRES: &str = "
    SELECT role, license, mirrors, hardware, request_nonce, activated_at, response, installation_key, request_id
    FROM activations a
    WHERE id = (SELECT MAX(id) FROM activations b WHERE b.role = a.role AND b.license = a.license)
      AND NOT EXISTS (SELECT 1 FROM releases r WHERE r.license = a.license AND a.role = 'standby'
                      AND r.hardware_id = a.hardware_id AND r.released_at >= a.activated_at)
    ORDER BY role, license";

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
        let stored = match &self.tx {
            Tx::Sqlite(tx) => {
                let mut stmt = tx.prepare_cached(HELD_SQLITE)?;
                let mut rows = stmt.query([])?;
                let mut out = Vec::new();
                while let Some(row) = rows.next()? {
                    out.push(Stored::from_sqlite(row)?);
                }
                out
            }
            Tx::Postgres(tx) => tx
                .borrow_mut()
                .query(HELD_POSTGRES, &[])?
                .iter()
                .map(Stored::from_postgres)
                .collect::<Result<_, _>>()?,
        };
        stored.into_iter().map(Stored::activation).collect()
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
        let stored = match &self.tx {
            Tx::Sqlite(tx) => tx
                .prepare_cached(&format!(
                    "SELECT {ACTIVATION_COLUMNS} FROM activations WHERE request_nonce = ?1"
                ))?
                .query_row([nonce], |r| Ok(Stored::from_sqlite(r)))
                .optional()?
                .transpose()?,
            Tx::Postgres(tx) => tx
                .borrow_mut()
                .query_opt(
                    &format!(
                        "SELECT {ACTIVATION_COLUMNS} FROM activations WHERE request_nonce = $1"
                    ),
                    &[&nonce],
                )?
                .map(|r| Stored::from_postgres(&r))
                .transpose()?,
        };
        stored.map(Stored::activation).transpose()
    }

    /// Records an activation (a nonce already recorded is refused by the UNIQUE constraint, on
    /// either engine, whichever issuer recorded it).
    pub fn record(&self, a: &LedgerActivation) -> Result<(), StoreError> {
        let hardware =
            serde_json::to_string(&a.hardware).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let at = a.activated_at.to_string();
        match &self.tx {
            Tx::Sqlite(tx) => {
                tx.prepare_cached(&format!(
                    "INSERT INTO activations ({ACTIVATION_COLUMNS}, hardware_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"
                ))?
                .execute(params![
                    a.role.code(),
                    a.license.as_str(),
                    a.mirrors.as_str(),
                    hardware,
                    a.request_nonce,
                    at,
                    a.response,
                    a.installation_key,
                    a.request_id,
                    a.hardware.id.as_str(),
                ])?;
            }
            Tx::Postgres(tx) => {
                tx.borrow_mut().execute(
                    &format!(
                        "INSERT INTO activations ({ACTIVATION_COLUMNS}, hardware_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
                    ),
                    &[
                        &a.role.code(),
                        &a.license.as_str(),
                        &a.mirrors.as_str(),
                        &hardware,
                        &a.request_nonce,
                        &at,
                        &a.response,
                        &a.installation_key,
                        &a.request_id,
                        &a.hardware.id.as_str(),
                    ],
                )?;
            }
        }
        self.log(
            a.activated_at,
            "activated",
            a.license.as_str(),
            &format!("{} {} on {}", a.role.code(), a.license, a.hardware.id),
        )
    }
}
