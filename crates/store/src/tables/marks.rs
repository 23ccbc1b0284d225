//! `system_marks`: per system (role and license), the latest vendor-signed decision applied —
//! an activation response or a standby release. What the vendor signed for one system moves
//! forward only: the desk refuses a decision that is not later than the mark.

use crate::db::params;
use licdesk_core::{LicenseNumber, Role, Timestamp};
use serde::Serialize;

use crate::{Reader, StoreError, Tx};

/// Where a vendor decision stands in the order of what the vendor signed for one system: its
/// ledger sequence number when it carries one, else its signed time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SystemMark {
    pub signed_at: Timestamp,
    pub serial: Option<u64>,
    /// The file kind's tag (`activation-response`, `standby-release`).
    pub kind: String,
    /// The content identity of the signed file.
    pub content_id: String,
}

impl SystemMark {
    /// Whether a decision signed at `signed_at` with `serial` comes after this mark. Two
    /// decisions of the same ledger compare by sequence number; otherwise (a file of an older
    /// vendor tool) by signed time, and a tie is not later.
    pub fn is_followed_by(&self, signed_at: Timestamp, serial: Option<u64>) -> bool {
        licdesk_core::decisions::decision_follows(self.signed_at, self.serial, signed_at, serial)
    }
}

pub trait MarkQueries: Reader {
    /// The latest vendor decision applied for the system `role` of `license`.
    fn system_mark(
        &self,
        role: Role,
        license: &LicenseNumber,
    ) -> Result<Option<SystemMark>, StoreError> {
        let row: Option<(String, Option<i64>, String, String)> = self
            .conn()
            .prepare_cached(
                "SELECT signed_at, serial, kind, content_id FROM system_marks
                  WHERE role = ?1 AND license = ?2",
            )?
            .query_opt(params![role.code(), license.as_str()], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })?;
        row.map(|(at, serial, kind, content_id)| {
            Ok(SystemMark {
                signed_at: Timestamp::parse(&at).map_err(super::corrupt)?,
                serial: serial.map(|s| s as u64),
                kind,
                content_id,
            })
        })
        .transpose()
    }

    /// The FailoverSuites whose latest vendor decision applied here activated a standby (no
    /// release came after it): each has an active standby, unless the store was changed. Reads
    /// the standbys' range of the primary key only.
    fn activated_standbys(&self) -> Result<Vec<LicenseNumber>, StoreError> {
        super::collect(
            self.conn(),
            "SELECT license FROM system_marks WHERE role = 'standby' AND kind = 'activation-response'
              ORDER BY license",
            params![],
            |r| super::parse_license(&r.get::<String>(0)?),
        )
    }
}

impl<T: Reader + ?Sized> MarkQueries for T {}

impl Tx<'_> {
    /// Records `mark` as the latest vendor decision applied for the system `role` of `license`.
    pub fn put_system_mark(
        &self,
        role: Role,
        license: &LicenseNumber,
        mark: &SystemMark,
    ) -> Result<(), StoreError> {
        self.conn()
            .prepare_cached(
                "INSERT INTO system_marks (role, license, signed_at, serial, kind, content_id)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT (role, license) DO UPDATE SET signed_at = excluded.signed_at,
                     serial = excluded.serial, kind = excluded.kind, content_id = excluded.content_id",
            )?
            .execute(params![
                role.code(),
                license.as_str(),
                mark.signed_at.to_string(),
                mark.serial.map(|s| s as i64),
                mark.kind,
                mark.content_id,
            ])?;
        Ok(())
    }
}
