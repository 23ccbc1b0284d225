//! Signed files: an armored text block around base64 canonical JSON.
//!
//! ```text
//! -----BEGIN LICDESK BASE LICENSE CERTIFICATE-----
//! Format: 1
//! Key-Id: vk-0123456789abcdef
//! Signer-Key: <base64 public key>          (self-signed kinds only)
//! Signature: <base64 Ed25519 signature>
//!
//! <base64 payload, 64 characters a line>
//! -----END LICDESK BASE LICENSE CERTIFICATE-----
//! ```
//!
//! The signature covers `LICDESK-SIG`, the kind's tag, the format version, the key id and the
//! payload, so a file of one kind never passes as another. Parsing is strict — nothing before the
//! block, nothing after it but a line end, fixed header order, canonical base64 — so that any
//! single flipped bit is refused. The payload is only handed out after the signature verified
//! ([`Verified`]), and it must be the canonical JSON of what it parses to.
//!
//! - `kind.rs`: [`FileKind`] (armor labels, tags, names, extensions, size caps) and [`SignedBy`].
//! - `error.rs`: [`FileError`], why a file was refused.
//! - `parse.rs`: the strict parser ([`Envelope::parse`]) and what a parsed file says.
//! - `seal.rs`: writing ([`seal`]) and verifying signed files, [`Verified`] payloads and
//!   [`Envelope::content_id`].

use ed25519_dalek::{Signature, VerifyingKey};

use crate::ids::KeyId;

mod error;
mod kind;
mod parse;
mod seal;

pub use error::FileError;
pub use kind::{FileKind, SignedBy};
pub use seal::seal;

pub const FORMAT_VERSION: u32 = 1;

/// The largest file of any kind; a bigger file is refused before it is read.
pub const MAX_FILE_BYTES: u64 = 8 * 1024 * 1024;

/// A parsed, not yet verified file. Its payload is not reachable until [`Envelope::verify`] passed.
#[derive(Debug, Clone)]
pub struct Envelope {
    kind: FileKind,
    key_id: KeyId,
    signer_key: Option<VerifyingKey>,
    signature: Signature,
    payload: Vec<u8>,
}

/// A file whose signature verified against `signer`.
#[derive(Debug, Clone)]
pub struct Verified {
    pub kind: FileKind,
    pub key_id: KeyId,
    pub signer: VerifyingKey,
    payload: Vec<u8>,
}

#[cfg(test)]
mod fixtures {
    use ed25519_dalek::SigningKey;
    use serde::{Deserialize, Serialize};

    #[derive(Debug, Serialize, Deserialize, PartialEq)]
    pub(super) struct Sample {
        pub(super) name: String,
        pub(super) n: u32,
    }

    pub(super) fn key(seed: u8) -> SigningKey {
        SigningKey::from_bytes(&[seed; 32])
    }

    pub(super) fn sample() -> Sample {
        Sample {
            name: "Müller & Söhne <b>".into(),
            n: 7,
        }
    }
}
