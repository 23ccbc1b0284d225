//! `requests`: the activation and release requests this desk wrote, and whether a response
//! answered them.

use crate::db::{params, Connection};
use licdesk_core::{HardwareId, LicenseNumber, Role, Timestamp};
use serde::Serialize;

use super::{corrupt, one, parse_license, parse_time};
use crate::{StoreError, Tx};

#[derive(Debug, Clone, Serialize)]
pub struct StoredRequest {
    pub nonce: String,
    pub license: LicenseNumber,
    pub role: Role,
    pub hardware_id: HardwareId,
    pub created_at: Timestamp,
    pub answered_at: Option<Timestamp>,
}

pub(crate) fn open_request_at(
    conn: &Connection,
    license: &LicenseNumber,
    role: Role,
    hardware_id: &HardwareId,
) -> Result<Option<Timestamp>, StoreError> {
    let latest: Option<String> = conn
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

pub(crate) fn request(conn: &Connection, nonce: &str) -> Result<Option<StoredRequest>, StoreError> {
    one(
        conn,
        "SELECT nonce, license, role, hardware_id, created_at, answered_at FROM requests WHERE nonce = ?1",
        params![nonce],
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

impl Tx<'_> {
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
}
