//! `audit_log`: every change, append-only (triggers refuse UPDATE and DELETE).

use crate::db::{params, Connection};
use licdesk_core::{LicenseNumber, LicenseProduct, Timestamp};
use serde::Serialize;

use super::{collect, parse_time};
use crate::{StoreError, Tx};

#[derive(Debug, Clone, Serialize)]
pub struct AuditEntry {
    pub id: i64,
    pub at: Timestamp,
    pub action: String,
    pub subject: String,
    pub detail: String,
    pub file_hash: Option<String>,
    /// Who made the change: the operating system's account and the computer
    /// (`anna@lic-desk-2`); None for entries written before License Desk recorded it.
    pub actor: Option<String>,
    /// The entry's identity in every store it reaches (sync copies it with its entry id).
    pub entry_id: String,
}

pub(crate) fn audit_log(conn: &Connection) -> Result<Vec<AuditEntry>, StoreError> {
    collect(
        conn,
        "SELECT id, at, action, subject, detail, file_hash, actor, entry_id FROM audit_log ORDER BY id",
        params![],
        |r| {
            let at: String = r.get(1)?;
            Ok(AuditEntry {
                id: r.get(0)?,
                at: parse_time(&at)?,
                action: r.get(2)?,
                subject: r.get(3)?,
                detail: r.get(4)?,
                file_hash: r.get(5)?,
                actor: r.get(6)?,
                entry_id: r.get::<Option<String>>(7)?.unwrap_or_default(),
            })
        },
    )
}

impl Tx<'_> {
    pub fn audit(
        &self,
        at: Timestamp,
        action: &str,
        subject: &str,
        detail: &str,
        file_hash: Option<&str>,
    ) -> Result<(), StoreError> {
        self.append_audit(at, action, subject, detail, file_hash)?;
        self.mark_changed(subject, at)
    }

    /// Audits the import of a base license's certificate, written by [`Tx::put_base`] at the
    /// same `at` (which set its last change already): the entry alone, without the update of
    /// the last change that [`Tx::audit`] makes, which would change nothing.
    pub fn audit_base_put(
        &self,
        at: Timestamp,
        action: &str,
        license: &LicenseNumber,
        detail: &str,
        file_hash: &str,
    ) -> Result<(), StoreError> {
        self.append_audit(at, action, license.as_str(), detail, Some(file_hash))
    }

    fn append_audit(
        &self,
        at: Timestamp,
        action: &str,
        subject: &str,
        detail: &str,
        file_hash: Option<&str>,
    ) -> Result<(), StoreError> {
        self.tx
            .prepare_cached(
                "INSERT INTO audit_log (at, action, subject, detail, file_hash, actor, entry_id)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?
            .execute(params![
                at.to_string(),
                action,
                subject,
                detail,
                file_hash,
                self.actor,
                new_entry_id(at)
            ])?;
        Ok(())
    }

    /// Copies an entry of another store's audit log as it was written there (its time, who
    /// made it, its identity); false when this log holds it already.
    pub fn copy_audit_entry(&self, entry: &AuditEntry) -> Result<bool, StoreError> {
        Ok(self
            .tx
            .prepare_cached(
                "INSERT INTO audit_log (at, action, subject, detail, file_hash, actor, entry_id)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (entry_id) DO NOTHING",
            )?
            .execute(params![
                entry.at.to_string(),
                entry.action,
                entry.subject,
                entry.detail,
                entry.file_hash,
                entry.actor,
                entry.entry_id
            ])?
            == 1)
    }

    /// The licenses list's "last change" of the base license `subject` names (itself, or a
    /// FailoverSuite of it): every change is audited, so the latest audit entry is the last
    /// change. Other subjects (vendor keys, journals that name no license) change no license.
    fn mark_changed(&self, subject: &str, at: Timestamp) -> Result<(), StoreError> {
        let Ok(license) = LicenseNumber::parse(subject) else {
            return Ok(());
        };
        let sql = match license.product() {
            LicenseProduct::Suite => {
                "UPDATE base_licenses SET changed_at = ?1 WHERE license = ?2 AND changed_at < ?1"
            }
            LicenseProduct::FailoverSuite => {
                "UPDATE base_licenses SET changed_at = ?1
                  WHERE license = (SELECT base_license FROM failover_licenses WHERE license = ?2)
                    AND changed_at < ?1"
            }
        };
        self.tx
            .prepare_cached(sql)?
            .execute(params![at.to_string(), license.as_str()])?;
        Ok(())
    }
}

/// A new audit entry's identity, 16 bytes in hex: the entry's time (6 bytes, seconds since
/// 1970, big-endian), then 10 random bytes. The time first puts the new entries of a store at
/// the end of its index of identities, so that a transaction of many entries (a bulk import
/// writes one a file) changes the index's last pages, not a page anywhere in it for each entry
/// (with identities all random, each window of a bulk import rewrote most of the index). Two
/// entries of the same second differ by 80 random bits: identities made apart, on two stores
/// that later sync, do not meet.
fn new_entry_id(at: Timestamp) -> String {
    use rand_core::RngCore;
    let mut bytes = [0u8; 16];
    let seconds = u64::try_from(at.unix()).unwrap_or(0).to_be_bytes();
    bytes[..6].copy_from_slice(&seconds[2..]);
    rand_core::OsRng.fill_bytes(&mut bytes[6..]);
    licdesk_core::hex::encode(&bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entry_ids_sort_by_their_time_and_differ_within_a_second() {
        let at = Timestamp::from_unix(1_790_000_000);
        let ids: Vec<String> = (0..1000).map(|_| new_entry_id(at)).collect();
        let later = new_entry_id(Timestamp::from_unix(1_790_000_001));
        assert!(ids
            .iter()
            .all(|id| id.len() == 32 && id.starts_with("00006ab13b80")));
        assert!(ids.iter().all(|id| *id < later), "{later}");
        let distinct: std::collections::BTreeSet<&String> = ids.iter().collect();
        assert_eq!(distinct.len(), ids.len());
    }
}
