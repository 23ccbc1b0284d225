//! Trusted vendor keys: the built-in ones and those added with `licdesk trust add` (audited).

use crate::views::*;
use crate::ImportRefusal;
use crate::{files, Desk, DeskError, ErrorCode};
use licdesk_core::{Envelope, FileKind, TrustStore, VendorPublicKey};
use licdesk_store::{Queries, StoredKey};
use std::path::Path;

impl Desk {
    pub(crate) fn reload_trust(&mut self) -> Result<(), DeskError> {
        let mut trust = TrustStore::built_in();
        for k in self.store.trusted_keys()? {
            let key = licdesk_core::trust::decode_public_key(&k.public_key).map_err(|problem| {
                ImportRefusal::TrustedKeyUnreadable {
                    key_id: k.key_id.clone(),
                    problem,
                }
            })?;
            trust = trust.with_added(k.vendor, key);
        }
        self.trust = trust;
        Ok(())
    }

    pub fn trusted_keys(&self) -> Vec<TrustedKeyView> {
        self.trust
            .keys()
            .iter()
            .map(|k| TrustedKeyView {
                key_id: k.key_id.to_string(),
                vendor: k.vendor.clone(),
                demo: k.demo,
                origin: match k.origin {
                    licdesk_core::trust::KeyOrigin::BuiltIn => "built-in".into(),
                    licdesk_core::trust::KeyOrigin::Added => "added".into(),
                },
                public_key: licdesk_core::trust::encode_public_key(&k.key),
            })
            .collect()
    }

    pub(crate) fn vendor_of(&self, key_id: &licdesk_core::KeyId) -> String {
        self.trust
            .get(key_id)
            .map(|k| k.vendor.clone())
            .unwrap_or_else(|| format!("untrusted key {key_id}"))
    }

    /// Trusts another vendor public key (audited). The window cannot call this.
    pub fn trust_add(&mut self, path: &Path) -> Result<(TrustedKeyView, bool), DeskError> {
        let bytes = files::read_capped(path, FileKind::VendorPublicKey.size_cap())?;
        let envelope = Envelope::parse(&bytes)?.expect(FileKind::VendorPublicKey)?;
        let verified = envelope.verify_self_signed()?;
        let payload: VendorPublicKey = verified.payload()?;
        let key = licdesk_core::trust::decode_public_key(&payload.public_key)
            .map_err(|e| DeskError::new(ErrorCode::InvalidContent, e))?;
        if key != verified.signer || payload.key_id != verified.key_id {
            return Err(ImportRefusal::VendorKeyMismatch.into());
        }
        licdesk_core::model::validate_text("vendor name", &payload.vendor, 200)
            .map_err(|e| DeskError::new(ErrorCode::InvalidContent, e))?;
        let hash = files::sha256_hex(&bytes);
        let added = self.trust.get(&payload.key_id).is_none();
        if added {
            let at = self.clock.now();
            let tx = self.store.write()?;
            tx.put_trusted_key(
                &StoredKey {
                    key_id: payload.key_id.clone(),
                    public_key: payload.public_key.clone(),
                    vendor: payload.vendor.clone(),
                    added_at: at,
                },
                &hash,
            )?;
            tx.audit(
                at,
                "trust-added",
                payload.key_id.as_str(),
                &format!("vendor key of {} trusted", payload.vendor),
                Some(&hash),
            )?;
            tx.commit()?;
            self.reload_trust()?;
        }
        let view = self
            .trusted_keys()
            .into_iter()
            .find(|k| k.key_id == payload.key_id.as_str())
            .ok_or(ImportRefusal::KeyNotStored)?;
        Ok((view, added))
    }
}

/// A vendor-signed file of `kind` verified against the trusted keys and checked by the rules of
/// its kind (as its import checked it): its payload, or why not.
pub(crate) fn vendor_signed<T>(trust: &TrustStore, text: &str, kind: FileKind) -> Result<T, String>
where
    T: licdesk_core::CheckedPayload,
{
    let envelope = Envelope::parse(text.as_bytes())
        .and_then(|e| e.expect(kind))
        .map_err(|e| e.to_string())?;
    let (verified, _) = trust.verify(envelope).map_err(|e| e.to_string())?;
    verified.checked_payload().map_err(|e| e.to_string())
}
