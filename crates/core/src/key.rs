//! Ed25519 public keys as files carry them (base64 of the 32 bytes), and the one kind of key
//! the domain names: a standby installation's key ([`InstallationKey`]).

use std::fmt;

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use ed25519_dalek::VerifyingKey;
use serde::{Deserialize, Serialize};

use crate::ids::KeyId;

/// Why a text is not an Ed25519 public key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
pub enum KeyError {
    #[error("the public key is not valid base64")]
    NotBase64,
    #[error("the public key is not 32 bytes long")]
    WrongLength,
    #[error("the public key is not a valid Ed25519 key")]
    NotEd25519,
    #[error("the public key has white space around it")]
    NotCanonical,
}

impl KeyError {
    /// A stable code, one per variant.
    pub fn code(self) -> &'static str {
        match self {
            KeyError::NotBase64 => "key_not_base64",
            KeyError::WrongLength => "key_wrong_length",
            KeyError::NotEd25519 => "key_not_ed25519",
            KeyError::NotCanonical => "key_not_canonical",
        }
    }
}

/// The sentence, for callers that carry errors as text.
impl From<KeyError> for String {
    fn from(e: KeyError) -> String {
        e.to_string()
    }
}

/// Reads a public key written as base64 of its 32 bytes (white space around it is ignored).
pub fn decode_public_key(text: &str) -> Result<VerifyingKey, KeyError> {
    let raw = B64.decode(text.trim()).map_err(|_| KeyError::NotBase64)?;
    let raw: [u8; 32] = raw.try_into().map_err(|_| KeyError::WrongLength)?;
    VerifyingKey::from_bytes(&raw).map_err(|_| KeyError::NotEd25519)
}

/// A public key as base64 of its 32 bytes.
pub fn encode_public_key(key: &VerifyingKey) -> String {
    B64.encode(key.as_bytes())
}

/// The public key of a standby installation (base64 of its 32 bytes, as files carry it): it
/// signs the standby's hardware-ID file, usage journals and release requests, and the vendor's
/// activation certifies it (R4, R12).
///
/// In JSON it is the plain string. What a file carries is kept as it is, unchecked, so that a
/// file reads back to the same canonical JSON; [`InstallationKey::decode`] checks it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct InstallationKey(String);

impl InstallationKey {
    /// The installation key of `key`.
    pub fn of(key: &VerifyingKey) -> Self {
        InstallationKey(encode_public_key(key))
    }

    /// Reads a typed or stored key, checked (and written again the canonical way).
    pub fn parse(text: &str) -> Result<Self, KeyError> {
        decode_public_key(text).map(|k| InstallationKey::of(&k))
    }

    /// The Ed25519 key it stands for.
    pub fn decode(&self) -> Result<VerifyingKey, KeyError> {
        decode_public_key(&self.0)
    }

    /// The Ed25519 key it stands for, written exactly the canonical way (FORMAT.md §6 "public
    /// key": no white space around it), as a file a vendor signed carries it.
    pub fn decode_canonical(&self) -> Result<VerifyingKey, KeyError> {
        let key = self.decode()?;
        if self.0 != encode_public_key(&key) {
            return Err(KeyError::NotCanonical);
        }
        Ok(key)
    }

    /// The key id of the key it stands for (`vk-…`).
    pub fn key_id(&self) -> Result<KeyId, KeyError> {
        self.decode().map(|k| KeyId::of_public_key(&k))
    }

    /// Whether this is `key`'s installation key.
    pub fn is(&self, key: &VerifyingKey) -> bool {
        self.0 == encode_public_key(key)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

/// The text as a file or the store carries it, unchecked ([`InstallationKey::decode`] checks).
impl From<String> for InstallationKey {
    fn from(text: String) -> Self {
        InstallationKey(text)
    }
}

impl From<&str> for InstallationKey {
    fn from(text: &str) -> Self {
        InstallationKey(text.to_string())
    }
}

impl From<InstallationKey> for String {
    fn from(key: InstallationKey) -> String {
        key.0
    }
}

/// Reads as its base64 text, so `Option<InstallationKey>::as_deref()` gives `Option<&str>`.
impl std::ops::Deref for InstallationKey {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for InstallationKey {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl PartialEq<str> for InstallationKey {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl PartialEq<&str> for InstallationKey {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

impl PartialEq<String> for InstallationKey {
    fn eq(&self, other: &String) -> bool {
        &self.0 == other
    }
}

impl fmt::Display for InstallationKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_installation_key_is_its_base64_text_in_json_and_decodes_to_its_key() {
        let key = ed25519_dalek::SigningKey::from_bytes(&[9; 32]).verifying_key();
        let k = InstallationKey::of(&key);
        assert_eq!(
            serde_json::to_string(&k).unwrap(),
            serde_json::to_string(&encode_public_key(&key)).unwrap()
        );
        let back: InstallationKey =
            serde_json::from_str(&serde_json::to_string(&k).unwrap()).unwrap();
        assert_eq!(back, k);
        assert_eq!(k.decode(), Ok(key));
        assert_eq!(k.key_id(), Ok(KeyId::of_public_key(&key)));
        assert!(k.is(&key));
        assert_eq!(InstallationKey::parse(&format!(" {k} ")), Ok(k.clone()));
        // What a file carries stays as it is; decoding says what is wrong.
        let odd: InstallationKey = serde_json::from_str("\"not a key\"").unwrap();
        assert_eq!(odd.as_str(), "not a key");
        assert_eq!(odd.decode(), Err(KeyError::NotBase64));
        assert_eq!(odd.key_id().unwrap_err().code(), "key_not_base64");
        assert_eq!(
            InstallationKey::from("AAAA").decode(),
            Err(KeyError::WrongLength)
        );
        // Typed or requested keys may carry white space around them; canonical ones do not.
        assert_eq!(k.decode_canonical(), Ok(key));
        let spaced = InstallationKey::from(format!(" {k}"));
        assert_eq!(spaced.decode(), Ok(key));
        assert_eq!(spaced.decode_canonical(), Err(KeyError::NotCanonical));
    }
}
