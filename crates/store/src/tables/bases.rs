//! `base_licenses`: the base licenses imported, one row per license number (its latest
//! revision). Rows are never deleted (a trigger refuses it).

use crate::db::{params, Connection, Row};
use licdesk_core::{
    BaseCertificate, Extension, FileKind, KeyId, LicenseNumber, Timestamp, Variant,
};
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
    let Some(mut base) = one(
        conn,
        &format!("SELECT {BASE_COLUMNS} FROM base_licenses WHERE license = ?1"),
        params![license.as_str()],
        base_from_row,
    )?
    else {
        return Ok(None);
    };
    base.certificate_text = super::imported_files::certificate_text(
        conn,
        std::mem::take(&mut base.certificate_text),
        &base.file_hash,
        format_args!("base license {license}"),
    )?;
    Ok(Some(base))
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
    /// Inserts or replaces (by license number) a base license: an UPDATE of the row held, else
    /// an INSERT (the row keeps its row id, and its place in the order of change).
    ///
    /// The certificate's text is kept once, with its file in `imported_files` (which sync hands
    /// on, and which keeps every revision imported): the row's `certificate` is '' and names it
    /// by `file_hash`. (Until schema 14 the row held a second copy, a third of what a bulk
    /// import wrote; rows whose file has no text in `imported_files` keep theirs.)
    ///
    /// Both statements are `OR FAIL`, not SQLite's default `ABORT`, and not one upsert: an upsert
    /// (its UPDATE is always `ABORT`), or any statement that may abort, on a table with
    /// triggers makes SQLite copy each page the statement changes before changing it, so that
    /// the statement alone can be undone; a base license's row, five indexes and the count its
    /// trigger keeps came to 8 pages a file, the largest part of a bulk import's writing. A
    /// statement of one row is checked whole before it writes, so `FAIL` differs from `ABORT`
    /// only for an error in the middle of writing (a full disk, a damaged file): then the
    /// caller rolls back further than the statement anyway — every caller writes a base license
    /// inside a transaction or savepoint that a store error rolls back (R1: a file lands whole
    /// or not at all). PostgreSQL undoes a failed statement itself (`OR FAIL` is dropped there).
    pub fn put_base(
        &self,
        cert: &BaseCertificate,
        from: &Provenance<'_>,
    ) -> Result<(), StoreError> {
        let extensions = serde_json::to_string(&cert.extensions).map_err(corrupt)?;
        let issued_at = cert.issued_at.to_string();
        let imported_at = from.at.to_string();
        let row = params![
            cert.license.as_str(),
            cert.revision,
            cert.customer,
            cert.variant.code(),
            extensions,
            issued_at,
            from.key_id.as_str(),
            from.demo,
            cert.entitlement_digest(),
            "",
            from.file_hash,
            imported_at,
            fold(&cert.customer),
            natural_key(&cert.customer),
            users_rank(cert.variant),
        ];
        self.mark_file(
            from.file_hash,
            FileKind::BaseCertificate.tag(),
            Some(from.text),
            from.at,
        )?;
        let updated = self
            .tx
            .prepare_cached(
                "UPDATE OR FAIL base_licenses SET
                     revision = ?2, customer = ?3, variant = ?4, extensions = ?5, issued_at = ?6,
                     key_id = ?7, demo = ?8, entitlement_digest = ?9, certificate = ?10,
                     file_hash = ?11, imported_at = ?12, customer_fold = ?13, customer_key = ?14,
                     users_rank = ?15, changed_at = MAX(changed_at, ?12)
                 WHERE license = ?1",
            )?
            .execute(row)?;
        if updated == 0 {
            self.tx
                .prepare_cached(&format!(
                    "INSERT OR FAIL INTO base_licenses
                         ({BASE_COLUMNS}, customer_fold, customer_key, users_rank, changed_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?12)"
                ))?
                .execute(row)?;
        }
        Ok(())
    }
}
