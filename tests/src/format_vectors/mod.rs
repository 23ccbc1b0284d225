//! The test vectors of docs/FORMAT.md (§13): valid and invalid files of every kind, made
//! deterministically (fixed keys, fixed times) so that they can be regenerated and compared.
//!
//! - `valid.rs`: the valid payloads and files every other vector is made from.
//! - `envelope.rs`: files refused for their size, armor, signature or key (§2–§4).
//! - `payload.rs`: correctly signed files refused for their JSON or values (§5–§7).
//! - `journals.rs`: usage journals refused for what they carry (§7.8).
//! - `manifest.rs`: `vectors.json` and writing it all into a folder.

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use licdesk_core::ed25519::Signer as _;
use licdesk_core::{seal, FileKind, KeyId, SigningKey, Timestamp};
use serde::Serialize;

mod envelope;
mod journals;
mod manifest;
mod payload;
mod valid;

pub use manifest::{manifest, write};

/// One vector: its file name, bytes, the kind it is (or pretends to be), and the verdict.
#[derive(Debug, Clone)]
pub struct Vector {
    pub file: String,
    pub bytes: Vec<u8>,
    pub kind: FileKind,
    /// `None` when valid, else the refusal code of FORMAT.md §8.
    pub code: Option<&'static str>,
    pub reason: &'static str,
}

/// The vectors made so far, in the manifest's order.
#[derive(Default)]
struct Vectors(Vec<Vector>);

impl Vectors {
    fn add(
        &mut self,
        file: &str,
        bytes: impl Into<Vec<u8>>,
        kind: FileKind,
        code: Option<&'static str>,
        reason: &'static str,
    ) {
        self.0.push(Vector {
            file: file.to_string(),
            bytes: bytes.into(),
            kind,
            code,
            reason,
        })
    }
}

/// The fixed installation key the self-signed vectors are signed with.
pub fn installation_key() -> SigningKey {
    SigningKey::from_bytes(&[0x11; 32])
}

/// A vendor key no desk trusts.
pub fn other_vendor_key() -> SigningKey {
    SigningKey::from_bytes(&[0x42; 32])
}

/// Another installation's key.
fn other_installation_key() -> SigningKey {
    SigningKey::from_bytes(&[0x22; 32])
}

fn at(text: &str) -> Timestamp {
    Timestamp::parse(text).unwrap_or(Timestamp::MIN)
}

/// The message FORMAT.md §4 says is signed, built here from the document (and checked against
/// the core's own `seal` for every valid vector).
fn message(kind: FileKind, key_id: &str, payload: &[u8]) -> Vec<u8> {
    let mut m = b"LICDESK-SIG\0".to_vec();
    for part in [kind.tag().as_bytes(), b"1", key_id.as_bytes()] {
        m.extend_from_slice(part);
        m.push(0);
    }
    m.extend_from_slice(payload);
    m
}

/// Seals raw payload bytes (canonical or not) as FORMAT.md §2 writes a file.
pub fn seal_raw(kind: FileKind, payload: &[u8], key: &SigningKey) -> String {
    let public = key.verifying_key();
    let key_id = KeyId::of_public_key(&public).to_string();
    let signature = key.sign(&message(kind, &key_id, payload));
    let label = kind.armor_label();
    let mut out = format!("-----BEGIN LICDESK {label}-----\nFormat: 1\nKey-Id: {key_id}\n");
    if kind.signed_by() == licdesk_core::envelope::SignedBy::SelfSigned {
        out.push_str(&format!("Signer-Key: {}\n", B64.encode(public.as_bytes())));
    }
    out.push_str(&format!(
        "Signature: {}\n\n",
        B64.encode(signature.to_bytes())
    ));
    let body = B64.encode(payload);
    for chunk in body.as_bytes().chunks(64) {
        out.push_str(&String::from_utf8_lossy(chunk));
        out.push('\n');
    }
    out.push_str(&format!("-----END LICDESK {label}-----\n"));
    out
}

fn json<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

/// Seals `value`, asserting that the document's sealing gives the core's bytes.
fn sealed<T: Serialize>(kind: FileKind, value: &T, key: &SigningKey) -> String {
    let text = seal(kind, value, key);
    assert_eq!(
        text,
        seal_raw(kind, json(value).as_bytes(), key),
        "FORMAT.md's sealing differs from the core's for a {}",
        kind.describe()
    );
    text
}

/// Seals a payload written by hand (canonical or not), correctly signed.
fn resign(kind: FileKind, payload: String, key: &SigningKey) -> Vec<u8> {
    seal_raw(kind, payload.as_bytes(), key).into()
}

/// Replaces `from` by `to` exactly once in `text` (a vector that changes nothing is a bug).
fn edit(text: &str, from: &str, to: &str) -> String {
    assert_eq!(text.matches(from).count(), 1, "'{from}' must occur once");
    text.replacen(from, to, 1)
}

/// `text` with one bit of its signature flipped (byte `byte`, bits `mask`).
fn flip_signature(text: &str, byte: usize, mask: u8) -> String {
    let line = text
        .lines()
        .find(|l| l.starts_with("Signature: "))
        .unwrap_or_default();
    let mut raw = B64.decode(&line["Signature: ".len()..]).unwrap_or_default();
    raw[byte] ^= mask;
    edit(text, line, &format!("Signature: {}", B64.encode(&raw)))
}

/// Every vector, in the manifest's order.
pub fn vectors(vendor: &SigningKey) -> Vec<Vector> {
    let made = valid::Made::new(vendor);
    let mut out = Vectors::default();
    valid::add(&mut out, &made, vendor);
    envelope::add(&mut out, &made, vendor);
    payload::add(&mut out, &made, vendor);
    journals::add(&mut out, &made, vendor);
    out.0
}
