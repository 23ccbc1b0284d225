//! Which vendor keys the desk trusts: the keys built into the binary and keys added with
//! `licdesk trust add` (kept in the store). Everything the demo vendor signs is demo data.

use ed25519_dalek::VerifyingKey;
use serde::Serialize;

use crate::envelope::{Envelope, FileError, FileKind, SignedBy, Verified};
use crate::ids::KeyId;
pub use crate::key::{decode_public_key, encode_public_key, KeyError};

/// The demo vendor's public key (its private key lives only in `tests/data/`).
pub const DEMO_VENDOR_PUBLIC_KEY: &str = "C4+5pfZngBGjHk0dh6b5xVLgm5MF8dCkaT1QSqMrrpQ=";
pub const DEMO_VENDOR_NAME: &str = "Demo Vendor (DEMO)";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum KeyOrigin {
    BuiltIn,
    Added,
}

#[derive(Debug, Clone, Serialize)]
pub struct TrustedKey {
    pub key_id: KeyId,
    #[serde(serialize_with = "ser_key")]
    pub key: VerifyingKey,
    pub vendor: String,
    pub demo: bool,
    pub origin: KeyOrigin,
}

fn ser_key<S: serde::Serializer>(k: &VerifyingKey, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&encode_public_key(k))
}

#[derive(Debug, Clone)]
pub struct TrustStore {
    keys: Vec<TrustedKey>,
}

impl TrustStore {
    /// The built-in keys only.
    pub fn built_in() -> Self {
        let mut keys = Vec::new();
        if let Ok(key) = decode_public_key(DEMO_VENDOR_PUBLIC_KEY) {
            keys.push(TrustedKey {
                key_id: KeyId::of_public_key(&key),
                key,
                vendor: DEMO_VENDOR_NAME.into(),
                demo: true,
                origin: KeyOrigin::BuiltIn,
            });
        }
        TrustStore { keys }
    }

    pub fn with_added(mut self, vendor: String, key: VerifyingKey) -> Self {
        let key_id = KeyId::of_public_key(&key);
        if self.get(&key_id).is_none() {
            self.keys.push(TrustedKey {
                key_id,
                key,
                vendor,
                demo: false,
                origin: KeyOrigin::Added,
            });
        }
        self
    }

    pub fn keys(&self) -> &[TrustedKey] {
        &self.keys
    }

    pub fn get(&self, key_id: &KeyId) -> Option<&TrustedKey> {
        self.keys.iter().find(|k| &k.key_id == key_id)
    }

    /// Verifies a vendor-signed file against the trusted key it names.
    pub fn verify(&self, envelope: Envelope) -> Result<(Verified, &TrustedKey), FileError> {
        if envelope.kind().signed_by() != SignedBy::Vendor {
            let verified = envelope.verify_self_signed()?;
            return Err(FileError::WrongKind {
                expected: "file signed by a vendor",
                found: verified.kind.describe(),
            });
        }
        let kind: FileKind = envelope.kind();
        let trusted = self
            .get(envelope.key_id())
            .ok_or_else(|| FileError::UntrustedKey {
                what: kind.describe(),
                key_id: envelope.key_id().clone(),
            })?;
        Ok((envelope.verify(&trusted.key)?, trusted))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_vendor_key_is_built_in_and_marked_demo() {
        let store = TrustStore::built_in();
        let demo = &store.keys()[0];
        assert!(demo.demo);
        assert_eq!(demo.origin, KeyOrigin::BuiltIn);
        assert_eq!(demo.key_id.as_str(), "vk-5a0d81707ec5c4d9");
    }
}
