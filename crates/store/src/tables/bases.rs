//! `base_licenses`: the base licenses imported, one row per license number (its latest
//! revision). Rows are never deleted (a trigger refuses it).

use crate::db::{params, Connection, Row};
use licdesk_core::{BaseCertificate, Extension, KeyId, LicenseNumber, Timestamp, Variant};
use serde::Serialize;

use super::listing::users_rank;
use super::search::fold;
use super::{corrupt, one, parse_license, parse_time, Provenance};
use crate::{StoreError, Tx};
use licdesk_core::sort_key::natural_key;

#[derive(Debug, Clone, Serialize)]
pub struct StoredBase {
    pub certificate: BaseCertificate,
    pub key_id: KeyId,
    pub demo: bool,
    pub entitlement_digest: String,
    pub certificate_text: String,
    pub file_hash: String,
    pub imported_at: Timestamp,
}

const BASE_COLUMNS: &str =
    "license, revision, customer, variant, extensions, issued_at, key_id, demo, \
     entitlement_digest, certificate, file_hash, imported_at";

fn base_from_row(r: &Row<'_>) -> Result<StoredBase, StoreError> {
    let key_id: String = r.get(6)?;
    let imported_at: String = r.get(11)?;
    Ok(StoredBase {
        certificate: certificate_from_row(r)?,
        key_id: KeyId::parse(&key_id).map_err(corrupt)?,
        demo: r.get(7)?,
        entitlement_digest: r.get(8)?,
        certificate_text: r.get(9)?,
        file_hash: r.get(10)?,
        imported_at: parse_time(&imported_at)?,
    })
}

pub(crate) fn base(
    conn: &Connection,
    license: &LicenseNumber,
) -> Result<Option<StoredBase>, StoreError> {
    one(
        conn,
        &format!("SELECT {BASE_COLUMNS} FROM base_licenses WHERE license = ?1"),
        params![license.as_str()],
        base_from_row,
    )
}

/// The certificate part of a base license's row, without its text and provenance: what the
/// decision to import another revision of it reads (a bulk import asks for each file, and the
/// license is usually not there yet).
pub(crate) fn base_certificate(
    conn: &Connection,
    license: &LicenseNumber,
) -> Result<Option<BaseCertificate>, StoreError> {
    one(
        conn,
        "SELECT license, revision, customer, variant, extensions, issued_at
           FROM base_licenses WHERE license = ?1",
        params![license.as_str()],
        certificate_from_row,
    )
}

/// A base certificate from a row whose first six columns are, in this order, those of
/// [`BASE_COLUMNS`]: license, revision, customer, variant, extensions, issued_at.
fn certificate_from_row(r: &Row<'_>) -> Result<BaseCertificate, StoreError> {
    let license: String = r.get(0)?;
    let variant: String = r.get(3)?;
    let extensions: String = r.get(4)?;
    let issued_at: String = r.get(5)?;
    Ok(BaseCertificate {
        license: parse_license(&license)?,
        revision: r.get(1)?,
        customer: r.get(2)?,
        variant: Variant::parse(&variant).map_err(corrupt)?,
        extensions: serde_json::from_str::<Vec<Extension>>(&extensions).map_err(corrupt)?,
        issued_at: parse_time(&issued_at)?,
    })
}

impl Tx<'_> {
    /// Inserts or replaces (by license number) a base license.
    pub fn put_base(
        &self,
        cert: &BaseCertificate,
        from: &Provenance<'_>,
    ) -> Result<(), StoreError> {
        let folded = fold(&cert.customer);
        self.tx
            .prepare_cached(&format!(
                // An upsert, not INSERT OR REPLACE: the row keeps its row id (and its place in
                // the order of change).
                "INSERT INTO base_licenses ({BASE_COLUMNS}, customer_fold, customer_key, users_rank, changed_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?12)
                 ON CONFLICT (license) DO UPDATE SET
                     revision = excluded.revision, customer = excluded.customer,
                     variant = excluded.variant, extensions = excluded.extensions,
                     issued_at = excluded.issued_at, key_id = excluded.key_id,
                     demo = excluded.demo, entitlement_digest = excluded.entitlement_digest,
                     certificate = excluded.certificate, file_hash = excluded.file_hash,
                     imported_at = excluded.imported_at, customer_fold = excluded.customer_fold,
                     customer_key = excluded.customer_key, users_rank = excluded.users_rank,
                     changed_at = MAX(base_licenses.changed_at, excluded.changed_at)"
            ))?
            .execute(params![
                cert.license.as_str(),
                cert.revision,
                cert.customer,
                cert.variant.code(),
                serde_json::to_string(&cert.extensions).map_err(corrupt)?,
                cert.issued_at.to_string(),
                from.key_id.as_str(),
                from.demo,
                cert.entitlement_digest(),
                from.text,
                from.file_hash,
                from.at.to_string(),
                folded,
                natural_key(&cert.customer),
                users_rank(cert.variant),
            ])?;
        Ok(())
    }
}
