//! `failover_licenses`: the FailoverSuite licenses imported, each naming its base license.

use crate::db::{params, Connection, Row};
use licdesk_core::{FailoverCertificate, FileKind, KeyId, LicenseNumber, Timestamp};
use serde::Serialize;

use super::{collect, corrupt, one, parse_license, parse_time, Provenance};
use crate::{StoreError, Tx};

#[derive(Debug, Clone, Serialize)]
pub struct StoredFailover {
    pub certificate: FailoverCertificate,
    pub key_id: KeyId,
    pub demo: bool,
    pub certificate_text: String,
    pub file_hash: String,
    pub imported_at: Timestamp,
}

const FAILOVER_COLUMNS: &str =
    "license, base_license, issued_at, key_id, demo, certificate, file_hash, imported_at";

fn failover_from_row(r: &Row<'_>) -> Result<StoredFailover, StoreError> {
    let license: String = r.get(0)?;
    let base: String = r.get(1)?;
    let issued_at: String = r.get(2)?;
    let key_id: String = r.get(3)?;
    let imported_at: String = r.get(7)?;
    Ok(StoredFailover {
        certificate: FailoverCertificate {
            license: parse_license(&license)?,
            article: licdesk_core::FAILOVER_ARTICLE.to_string(),
            base_license: parse_license(&base)?,
            issued_at: parse_time(&issued_at)?,
        },
        key_id: KeyId::parse(&key_id).map_err(corrupt)?,
        demo: r.get(4)?,
        certificate_text: r.get(5)?,
        file_hash: r.get(6)?,
        imported_at: parse_time(&imported_at)?,
    })
}

pub(crate) fn failover(
    conn: &Connection,
    license: &LicenseNumber,
) -> Result<Option<StoredFailover>, StoreError> {
    let found = one(
        conn,
        &format!("SELECT {FAILOVER_COLUMNS} FROM failover_licenses WHERE license = ?1"),
        params![license.as_str()],
        failover_from_row,
    )?;
    found.map(|f| with_text(conn, f)).transpose()
}

pub(crate) fn failovers_of(
    conn: &Connection,
    base: &LicenseNumber,
) -> Result<Vec<StoredFailover>, StoreError> {
    collect(
        conn,
        &format!(
            "SELECT {FAILOVER_COLUMNS} FROM failover_licenses WHERE base_license = ?1 ORDER BY license"
        ),
        params![base.as_str()],
        failover_from_row,
    )?
    .into_iter()
    .map(|f| with_text(conn, f))
    .collect()
}

/// The FailoverSuites of each of `bases` (a page of the list), in one query: by base license
/// and license.
pub(crate) fn failovers_of_bases(
    conn: &Connection,
    bases: &[LicenseNumber],
) -> Result<Vec<StoredFailover>, StoreError> {
    collect(
        conn,
        &format!(
            "SELECT {FAILOVER_COLUMNS} FROM failover_licenses WHERE base_license IN rarray(?1)
             ORDER BY base_license, license"
        ),
        params![super::license_array(bases)],
        failover_from_row,
    )?
    .into_iter()
    .map(|f| with_text(conn, f))
    .collect()
}

/// The FailoverSuite with its certificate's text, which is kept with its file (see
/// [`Tx::put_failover`]) where the row holds ''.
fn with_text(
    conn: &Connection,
    mut failover: StoredFailover,
) -> Result<StoredFailover, StoreError> {
    failover.certificate_text = super::imported_files::certificate_text(
        conn,
        std::mem::take(&mut failover.certificate_text),
        &failover.file_hash,
        format_args!("FailoverSuite {}", failover.certificate.license),
    )?;
    Ok(failover)
}

impl Tx<'_> {
    /// Adds a FailoverSuite license. Its certificate's text is kept once, with its file in
    /// `imported_files` (see [`Tx::put_base`]); the row's `certificate` is ''.
    pub fn put_failover(
        &self,
        cert: &FailoverCertificate,
        from: &Provenance<'_>,
    ) -> Result<(), StoreError> {
        self.mark_file(
            from.file_hash,
            FileKind::FailoverCertificate.tag(),
            Some(from.text),
            from.at,
        )?;
        self.tx
            .prepare_cached(&format!(
                "INSERT INTO failover_licenses ({FAILOVER_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
            ))?
            .execute(params![
                cert.license.as_str(),
                cert.base_license.as_str(),
                cert.issued_at.to_string(),
                from.key_id.as_str(),
                from.demo,
                "",
                from.file_hash,
                from.at.to_string(),
            ])?;
        Ok(())
    }
}
