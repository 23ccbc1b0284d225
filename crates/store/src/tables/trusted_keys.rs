//! `trusted_keys`: vendor keys added to the built-in ones (`licdesk trust add`).

use crate::db::{params, Connection};
use licdesk_core::{KeyId, Timestamp};
use serde::Serialize;

use super::{collect, corrupt, parse_time};
use crate::{StoreError, Tx};

#[derive(Debug, Clone, Serialize)]
pub struct StoredKey {
    pub key_id: KeyId,
    pub public_key: String,
    pub vendor: String,
    pub added_at: Timestamp,
}

pub(crate) fn trusted_keys(conn: &Connection) -> Result<Vec<StoredKey>, StoreError> {
    collect(
        conn,
        "SELECT key_id, public_key, vendor, added_at FROM trusted_keys ORDER BY added_at, key_id",
        params![],
        |r| {
            let key_id: String = r.get(0)?;
            let added: String = r.get(3)?;
            Ok(StoredKey {
                key_id: KeyId::parse(&key_id).map_err(corrupt)?,
                public_key: r.get(1)?,
                vendor: r.get(2)?,
                added_at: parse_time(&added)?,
            })
        },
    )
}

impl Tx<'_> {
    pub fn put_trusted_key(&self, key: &StoredKey, file_hash: &str) -> Result<(), StoreError> {
        self.tx
            .prepare_cached(
                "INSERT INTO trusted_keys (key_id, public_key, vendor, added_at, file_hash) VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT DO NOTHING",
            )?
            .execute(params![
                key.key_id.as_str(),
                key.public_key,
                key.vendor,
                key.added_at.to_string(),
                file_hash
            ])?;
        Ok(())
    }
}
