//! `systems`: the main systems and standbys registered, pending or active, with what their
//! activation granted.

use crate::db::{params, Connection, Row};
use licdesk_core::{
    Entitlement, Hardware, LicenseNumber, LoadLimits, Role, StandbyMode, Timestamp,
};
use serde::Serialize;

use super::{collect, corrupt, one, parse_license, parse_time};
use crate::{StoreError, Tx};

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

pub(crate) fn systems_of(
    conn: &Connection,
    base: &LicenseNumber,
) -> Result<Vec<StoredSystem>, StoreError> {
    collect(
        conn,
        &format!(
            "SELECT {SYSTEM_COLUMNS} FROM systems WHERE base_license = ?1 ORDER BY role, license"
        ),
        params![base.as_str()],
        system_from_row,
    )
}

/// The systems of each of `bases` (a page of the list), in one query: by base license, role
/// and license.
pub(crate) fn systems_of_bases(
    conn: &Connection,
    bases: &[LicenseNumber],
) -> Result<Vec<StoredSystem>, StoreError> {
    collect(
        conn,
        &format!(
            "SELECT {SYSTEM_COLUMNS} FROM systems WHERE base_license IN rarray(?1)
             ORDER BY base_license, role, license"
        ),
        params![super::license_array(bases)],
        system_from_row,
    )
}

pub(crate) fn system(
    conn: &Connection,
    role: Role,
    license: &LicenseNumber,
) -> Result<Option<StoredSystem>, StoreError> {
    one(
        conn,
        &format!("SELECT {SYSTEM_COLUMNS} FROM systems WHERE role = ?1 AND license = ?2"),
        params![role.code(), license.as_str()],
        system_from_row,
    )
}

pub(crate) fn all_systems(conn: &Connection) -> Result<Vec<StoredSystem>, StoreError> {
    collect(
        conn,
        &format!("SELECT {SYSTEM_COLUMNS} FROM systems ORDER BY role, license"),
        params![],
        system_from_row,
    )
}

pub(crate) fn standby_systems(conn: &Connection) -> Result<Vec<StoredSystem>, StoreError> {
    collect(
        conn,
        &format!("SELECT {SYSTEM_COLUMNS} FROM systems WHERE role = 'standby' ORDER BY license"),
        params![],
        system_from_row,
    )
}

impl Tx<'_> {
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
                // A system registered again starts anew: what its activation left is cleared.
                "INSERT INTO systems (role, license, base_license, hardware_id, hardware, mode, state, registered_at, installation_key)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'pending', ?7, ?8)
                 ON CONFLICT (role, license) DO UPDATE SET
                     base_license = excluded.base_license, hardware_id = excluded.hardware_id,
                     hardware = excluded.hardware, mode = excluded.mode, state = excluded.state,
                     registered_at = excluded.registered_at,
                     installation_key = excluded.installation_key, activated_at = NULL,
                     entitlement_digest = NULL, entitlements = NULL, response = NULL,
                     limits = NULL, notice_acknowledged_at = NULL",
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
}
