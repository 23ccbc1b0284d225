//! Signed files (SPEC §3): an armored text block around base64 canonical JSON.
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

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use ed25519_dalek::{Signature, Signer as _, SigningKey, VerifyingKey};
use serde::de::DeserializeOwned;
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::ids::KeyId;

pub const FORMAT_VERSION: u32 = 1;

/// The largest file of any kind; a bigger file is refused before it is read.
pub const MAX_FILE_BYTES: u64 = 8 * 1024 * 1024;

/// Who signs a kind of file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignedBy {
    /// A trusted vendor key, looked up by key id.
    Vendor,
    /// The key named in the file's own `Signer-Key` header (a desk installation, or a vendor key
    /// proving possession of itself). This proves integrity, not authority.
    SelfSigned,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FileKind {
    BaseCertificate,
    FailoverCertificate,
    HardwareId,
    ActivationRequest,
    ActivationResponse,
    VendorPublicKey,
    UsageJournal,
    ReleaseRequest,
    Release,
}

impl FileKind {
    pub const ALL: [FileKind; 9] = [
        FileKind::BaseCertificate,
        FileKind::FailoverCertificate,
        FileKind::HardwareId,
        FileKind::ActivationRequest,
        FileKind::ActivationResponse,
        FileKind::VendorPublicKey,
        FileKind::UsageJournal,
        FileKind::ReleaseRequest,
        FileKind::Release,
    ];

    /// The words in the armor lines.
    pub fn armor_label(self) -> &'static str {
        match self {
            FileKind::BaseCertificate => "BASE LICENSE CERTIFICATE",
            FileKind::FailoverCertificate => "FAILOVERSUITE LICENSE CERTIFICATE",
            FileKind::HardwareId => "HARDWARE ID",
            FileKind::ActivationRequest => "ACTIVATION REQUEST",
            FileKind::ActivationResponse => "ACTIVATION RESPONSE",
            FileKind::VendorPublicKey => "VENDOR PUBLIC KEY",
            FileKind::UsageJournal => "USAGE JOURNAL",
            FileKind::ReleaseRequest => "RELEASE REQUEST",
            FileKind::Release => "STANDBY RELEASE",
        }
    }

    /// The stable machine-readable name (signature domain, JSON output).
    pub fn tag(self) -> &'static str {
        match self {
            FileKind::BaseCertificate => "base-certificate",
            FileKind::FailoverCertificate => "failover-certificate",
            FileKind::HardwareId => "hardware-id",
            FileKind::ActivationRequest => "activation-request",
            FileKind::ActivationResponse => "activation-response",
            FileKind::VendorPublicKey => "vendor-public-key",
            FileKind::UsageJournal => "usage-journal",
            FileKind::ReleaseRequest => "release-request",
            FileKind::Release => "standby-release",
        }
    }

    /// What people call it.
    pub fn describe(self) -> &'static str {
        match self {
            FileKind::BaseCertificate => "base license certificate",
            FileKind::FailoverCertificate => "FailoverSuite license certificate",
            FileKind::HardwareId => "hardware-ID file",
            FileKind::ActivationRequest => "activation request",
            FileKind::ActivationResponse => "activation response",
            FileKind::VendorPublicKey => "vendor public key",
            FileKind::UsageJournal => "usage journal",
            FileKind::ReleaseRequest => "release request",
            FileKind::Release => "standby release",
        }
    }

    /// The conventional file name extension.
    pub fn extension(self) -> &'static str {
        match self {
            FileKind::BaseCertificate | FileKind::FailoverCertificate => "lic",
            FileKind::HardwareId => "hwid",
            FileKind::ActivationRequest => "actreq",
            FileKind::ActivationResponse => "actresp",
            FileKind::VendorPublicKey => "vpub",
            FileKind::UsageJournal => "journal",
            FileKind::ReleaseRequest => "relreq",
            FileKind::Release => "release",
        }
    }

    /// The largest file of this kind that is accepted.
    pub fn size_cap(self) -> u64 {
        match self {
            FileKind::BaseCertificate | FileKind::FailoverCertificate => 32 * 1024,
            FileKind::HardwareId => 16 * 1024,
            FileKind::ActivationRequest => 256 * 1024,
            FileKind::ActivationResponse => 64 * 1024,
            FileKind::VendorPublicKey => 4 * 1024,
            FileKind::UsageJournal => MAX_FILE_BYTES,
            FileKind::ReleaseRequest | FileKind::Release => 16 * 1024,
        }
    }

    pub fn signed_by(self) -> SignedBy {
        match self {
            FileKind::BaseCertificate
            | FileKind::FailoverCertificate
            | FileKind::ActivationResponse
            | FileKind::Release => SignedBy::Vendor,
            FileKind::HardwareId
            | FileKind::ActivationRequest
            | FileKind::VendorPublicKey
            | FileKind::UsageJournal
            | FileKind::ReleaseRequest => SignedBy::SelfSigned,
        }
    }

    /// The kind a file's first line names (only its first [`FileKind::HEAD_BYTES`] bytes are
    /// looked at), if it names one: for ordering and capping before the file is read whole.
    pub fn named_by(head: &[u8]) -> Option<FileKind> {
        let head = &head[..head.len().min(Self::HEAD_BYTES)];
        let end = head.iter().position(|&b| b == b'\n').unwrap_or(head.len());
        std::str::from_utf8(&head[..end])
            .ok()
            .map(|h| h.strip_suffix('\r').unwrap_or(h))
            .and_then(|h| h.strip_prefix("-----BEGIN LICDESK "))
            .and_then(|l| l.strip_suffix("-----"))
            .and_then(FileKind::from_label)
    }

    /// How many bytes of a file's start [`FileKind::named_by`] needs.
    pub const HEAD_BYTES: usize = 128;

    fn from_label(label: &str) -> Option<FileKind> {
        FileKind::ALL.into_iter().find(|k| k.armor_label() == label)
    }
}

/// Why a file was refused. Each message says what was wrong and, where it helps, what to do.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FileError {
    #[error("the file is empty")]
    Empty,
    #[error("the file is {size} bytes, more than the {cap} bytes a {what} may have: it is not a License Desk file")]
    TooLarge {
        size: u64,
        cap: u64,
        what: &'static str,
    },
    #[error("the file is not text (it holds bytes that are not UTF-8): it is damaged or not a License Desk file")]
    NotText,
    #[error("the file does not start with a '-----BEGIN LICDESK …-----' line: it is not a License Desk file")]
    NotArmored,
    #[error("the file is a '{0}', which License Desk does not know")]
    UnknownKind(String),
    #[error("the file is cut off: its '-----END LICDESK {0}-----' line is missing")]
    Truncated(&'static str),
    #[error("the file is damaged: {0}")]
    Damaged(String),
    #[error(
        "the file has format version {0}, which this License Desk cannot read: update License Desk"
    )]
    UnsupportedFormat(String),
    #[error("the {what} is signed by vendor key {key_id}, which this desk does not trust: add the vendor's public key with 'licdesk trust add FILE' if you trust it")]
    UntrustedKey { what: &'static str, key_id: KeyId },
    #[error("the signature of the {0} does not verify: the file was changed after it was signed")]
    BadSignature(&'static str),
    #[error("the {what} is signed correctly but its content is invalid: {detail}")]
    BadPayload { what: &'static str, detail: String },
    #[error("expected a {expected}, but the file is a {found}")]
    WrongKind {
        expected: &'static str,
        found: &'static str,
    },
}

/// How many characters of a value copied from a refused file a message shows.
const ECHO_CHARS: usize = 40;

impl FileError {
    /// The file names a kind License Desk does not know: `label` from the file, cut short and
    /// escaped ([`crate::text::excerpt`]) so that the message is safe to show anywhere.
    pub fn unknown_kind(label: &str) -> FileError {
        FileError::UnknownKind(crate::text::excerpt(label, ECHO_CHARS))
    }

    /// The file's `Format:` header names a version this desk cannot read: `value` from the
    /// file, cut short and escaped.
    pub fn unsupported_format(value: &str) -> FileError {
        FileError::UnsupportedFormat(crate::text::excerpt(value, ECHO_CHARS))
    }

    /// The payload of a verified file is invalid: `detail` may quote the file (a JSON parser
    /// names the unknown value it met), so it is cut short and escaped.
    pub fn bad_payload(what: &'static str, detail: &str) -> FileError {
        FileError::BadPayload {
            what,
            detail: crate::text::excerpt(detail, 300),
        }
    }
}

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

fn signed_message(kind: FileKind, key_id: &KeyId, payload: &[u8]) -> Vec<u8> {
    let mut m = Vec::with_capacity(payload.len() + 64);
    m.extend_from_slice(b"LICDESK-SIG\0");
    m.extend_from_slice(kind.tag().as_bytes());
    m.push(0);
    m.extend_from_slice(FORMAT_VERSION.to_string().as_bytes());
    m.push(0);
    m.extend_from_slice(key_id.as_str().as_bytes());
    m.push(0);
    m.extend_from_slice(payload);
    m
}

/// Writes a signed file of `kind` with `payload` as canonical JSON.
pub fn seal<T: Serialize>(kind: FileKind, payload: &T, key: &SigningKey) -> String {
    let json = serde_json::to_vec(payload).unwrap_or_default();
    let verifying = key.verifying_key();
    let key_id = KeyId::of_public_key(&verifying);
    let signature = key.sign(&signed_message(kind, &key_id, &json));
    let label = kind.armor_label();
    let mut out =
        format!("-----BEGIN LICDESK {label}-----\nFormat: {FORMAT_VERSION}\nKey-Id: {key_id}\n");
    if kind.signed_by() == SignedBy::SelfSigned {
        out.push_str(&format!(
            "Signer-Key: {}\n",
            B64.encode(verifying.as_bytes())
        ));
    }
    out.push_str(&format!(
        "Signature: {}\n\n",
        B64.encode(signature.to_bytes())
    ));
    let body = B64.encode(&json);
    for chunk in body.as_bytes().chunks(64) {
        out.push_str(std::str::from_utf8(chunk).unwrap_or_default());
        out.push('\n');
    }
    out.push_str(&format!("-----END LICDESK {label}-----\n"));
    out
}

fn header<'a>(line: Option<&'a str>, name: &str) -> Result<&'a str, FileError> {
    line.and_then(|l| l.strip_prefix(name))
        .and_then(|l| l.strip_prefix(": "))
        .ok_or_else(|| FileError::Damaged(format!("the '{name}:' line is missing or misspelt")))
}

fn decode_b64(what: &str, text: &str) -> Result<Vec<u8>, FileError> {
    B64.decode(text)
        .map_err(|_| FileError::Damaged(format!("the {what} is not valid base64")))
}

impl Envelope {
    /// Reads the armor of `bytes`. Refuses oversized, binary, truncated and malformed files.
    pub fn parse(bytes: &[u8]) -> Result<Envelope, FileError> {
        if bytes.is_empty() {
            return Err(FileError::Empty);
        }
        if bytes.len() as u64 > MAX_FILE_BYTES {
            return Err(FileError::TooLarge {
                size: bytes.len() as u64,
                cap: MAX_FILE_BYTES,
                what: "License Desk file",
            });
        }
        // The first line names the kind: its own, smaller cap applies before the rest is scanned.
        if let Some(kind) = FileKind::named_by(bytes) {
            if bytes.len() as u64 > kind.size_cap() {
                return Err(FileError::TooLarge {
                    size: bytes.len() as u64,
                    cap: kind.size_cap(),
                    what: kind.describe(),
                });
            }
        }
        let text = std::str::from_utf8(bytes).map_err(|_| FileError::NotText)?;
        if text.contains('\0') {
            return Err(FileError::NotText);
        }
        let mut lines = text.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l));
        let first = lines.next().unwrap_or_default();
        let label = first
            .strip_prefix("-----BEGIN LICDESK ")
            .and_then(|l| l.strip_suffix("-----"))
            .ok_or(FileError::NotArmored)?;
        let kind = FileKind::from_label(label).ok_or_else(|| FileError::unknown_kind(label))?;
        if !text.contains(&format!("-----END LICDESK {label}-----")) {
            return Err(FileError::Truncated(kind.armor_label()));
        }
        let format = header(lines.next(), "Format")?;
        if format != FORMAT_VERSION.to_string() {
            return Err(FileError::unsupported_format(format));
        }
        let key_id = KeyId::parse(header(lines.next(), "Key-Id")?)
            .map_err(|_| FileError::Damaged("the key id is malformed".to_string()))?;
        let signer_key = match kind.signed_by() {
            SignedBy::SelfSigned => {
                let raw = decode_b64("signer key", header(lines.next(), "Signer-Key")?)?;
                let raw: [u8; 32] = raw.try_into().map_err(|_| {
                    FileError::Damaged("the signer key has the wrong length".into())
                })?;
                let key = VerifyingKey::from_bytes(&raw)
                    .map_err(|_| FileError::Damaged("the signer key is not a valid key".into()))?;
                if KeyId::of_public_key(&key) != key_id {
                    return Err(FileError::Damaged(
                        "the key id does not belong to the signer key".into(),
                    ));
                }
                Some(key)
            }
            SignedBy::Vendor => None,
        };
        let sig = decode_b64("signature", header(lines.next(), "Signature")?)?;
        let signature = Signature::from_slice(&sig)
            .map_err(|_| FileError::Damaged("the signature has the wrong length".into()))?;
        if lines.next() != Some("") {
            return Err(FileError::Damaged(
                "an empty line must follow the header".into(),
            ));
        }
        let end = format!("-----END LICDESK {label}-----");
        let mut body = String::new();
        let mut ended = false;
        for line in lines.by_ref() {
            if line == end {
                ended = true;
                break;
            }
            if line.len() > 76
                || !line
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"+/=".contains(&b))
            {
                if line.starts_with("-----END") {
                    return Err(FileError::Damaged(
                        "the END line does not match the BEGIN line".into(),
                    ));
                }
                return Err(FileError::Damaged(
                    "the content block holds characters that do not belong there".into(),
                ));
            }
            body.push_str(line);
        }
        if !ended {
            return Err(FileError::Truncated(kind.armor_label()));
        }
        // Only a final line end may follow the END line.
        match (lines.next(), lines.next()) {
            (None, None) | (Some(""), None) => {}
            _ => {
                return Err(FileError::Damaged(
                    "there is text after the END line".into(),
                ))
            }
        }
        if body.is_empty() {
            return Err(FileError::Damaged("the content block is empty".into()));
        }
        let payload = decode_b64("content", &body)?;
        Ok(Envelope {
            kind,
            key_id,
            signer_key,
            signature,
            payload,
        })
    }

    pub fn kind(&self) -> FileKind {
        self.kind
    }

    pub fn key_id(&self) -> &KeyId {
        &self.key_id
    }

    /// The key that signed a self-signed file (None for vendor-signed kinds).
    pub fn signer_key(&self) -> Option<&VerifyingKey> {
        self.signer_key.as_ref()
    }

    pub fn expect(self, kind: FileKind) -> Result<Envelope, FileError> {
        if self.kind == kind {
            Ok(self)
        } else {
            Err(FileError::WrongKind {
                expected: kind.describe(),
                found: self.kind.describe(),
            })
        }
    }

    /// The identity of the signed content, whatever the file's encoding (line ends, a final line
    /// end): hex SHA-256 over the bytes the signature covers and the signature itself. The same
    /// signed content re-encoded has the same identity; a change to the content, to its kind, its
    /// key id or its signature gives another. (Ed25519 signatures are deterministic and
    /// `verify_strict` refuses malleated ones, so one signed content has one valid signature.)
    pub fn content_id(&self) -> String {
        let mut h = Sha256::new();
        h.update(b"licdesk-content-id-v1\0");
        h.update(self.message());
        h.update(self.signature.to_bytes());
        crate::hex::encode(&h.finalize())
    }

    /// The exact bytes the signature covers.
    pub fn message(&self) -> Vec<u8> {
        signed_message(self.kind, &self.key_id, &self.payload)
    }

    pub fn signature(&self) -> &Signature {
        &self.signature
    }

    /// Verifies the signature against `key` (strictly: no malleable signatures, no weak keys).
    pub fn verify(self, key: &VerifyingKey) -> Result<Verified, FileError> {
        if KeyId::of_public_key(key) != self.key_id {
            return Err(FileError::Damaged(
                "the key id does not belong to the verifying key".into(),
            ));
        }
        key.verify_strict(&self.message(), &self.signature)
            .map_err(|_| FileError::BadSignature(self.kind.describe()))?;
        Ok(Verified {
            kind: self.kind,
            key_id: self.key_id,
            signer: *key,
            payload: self.payload,
        })
    }

    /// Verifies a self-signed file against the key it names.
    pub fn verify_self_signed(self) -> Result<Verified, FileError> {
        match self.signer_key {
            Some(key) => self.verify(&key),
            None => Err(FileError::Damaged(format!(
                "a {} must be signed by a trusted vendor key",
                self.kind.describe()
            ))),
        }
    }
}

impl Verified {
    /// Parses the verified payload; it must be exactly the canonical JSON of its value.
    pub fn payload<T: Serialize + DeserializeOwned>(&self) -> Result<T, FileError> {
        let what = self.kind.describe();
        let value: T = serde_json::from_slice(&self.payload)
            .map_err(|e| FileError::bad_payload(what, &e.to_string()))?;
        if serde_json::to_vec(&value).ok().as_deref() != Some(self.payload.as_slice()) {
            return Err(FileError::BadPayload {
                what,
                detail: "it is not in canonical form".into(),
            });
        }
        Ok(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Serialize, Deserialize, PartialEq)]
    struct Sample {
        name: String,
        n: u32,
    }

    fn key(seed: u8) -> SigningKey {
        SigningKey::from_bytes(&[seed; 32])
    }

    fn sample() -> Sample {
        Sample {
            name: "Müller & Söhne <b>".into(),
            n: 7,
        }
    }

    #[test]
    fn each_kind_is_refused_above_its_own_cap_before_the_rest_is_read() {
        for kind in FileKind::ALL {
            if kind.size_cap() >= MAX_FILE_BYTES {
                continue;
            }
            // Binary after the first line: refused for its size, so the content was not scanned.
            let mut bytes =
                format!("-----BEGIN LICDESK {}-----\n", kind.armor_label()).into_bytes();
            bytes.resize(kind.size_cap() as usize + 1, 0xff);
            match Envelope::parse(&bytes) {
                Err(FileError::TooLarge { size, cap, .. }) => {
                    assert_eq!((size, cap), (kind.size_cap() + 1, kind.size_cap()));
                }
                other => panic!("{kind:?}: {other:?}"),
            }
            // At the cap, the same file is refused for what it is (not text), not for its size.
            bytes.truncate(kind.size_cap() as usize);
            assert!(matches!(Envelope::parse(&bytes), Err(FileError::NotText)));
        }
    }

    #[test]
    fn values_copied_from_a_refused_file_are_cut_short_and_escaped() {
        let no_raw = |e: &FileError| {
            let m = e.to_string();
            assert!(
                !m.chars().any(crate::text::is_hidden),
                "raw hidden characters in: {m:?}"
            );
            m
        };
        let label = format!("\u{1b}[31mX\u{202E}{}", "Y".repeat(500));
        let text = format!("-----BEGIN LICDESK {label}-----\nFormat: 1\n");
        let e = Envelope::parse(text.as_bytes()).unwrap_err();
        assert!(matches!(e, FileError::UnknownKind(_)), "{e:?}");
        let m = no_raw(&e);
        assert!(m.contains("\\x1b[31mX\\u{202e}YYY"), "{m}");
        assert!(m.len() < 200, "{m}");

        let good = seal(FileKind::BaseCertificate, &sample(), &key(1));
        let bad = good.replace("Format: 1", "Format: \u{1b}]0;pwned\u{7}");
        let e = Envelope::parse(bad.as_bytes()).unwrap_err();
        assert!(matches!(e, FileError::UnsupportedFormat(_)), "{e:?}");
        assert!(no_raw(&e).contains("\\x1b]0;pwned\\x07"), "{e}");

        // A JSON parser quotes the value it did not expect: escaped too.
        #[derive(Debug, Serialize, Deserialize, PartialEq)]
        enum Kind {
            A,
        }
        #[derive(Debug, Serialize, Deserialize, PartialEq)]
        struct Strict {
            kind: Kind,
        }
        let forged = seal(
            FileKind::HardwareId,
            &serde_json::json!({"kind": "\u{1b}[2J\u{202E}"}),
            &key(2),
        );
        let e = Envelope::parse(forged.as_bytes())
            .unwrap()
            .verify_self_signed()
            .unwrap()
            .payload::<Strict>()
            .unwrap_err();
        assert!(no_raw(&e).contains("\\x1b[2J"), "{e}");
    }

    #[test]
    fn a_sealed_file_verifies_and_yields_its_payload() {
        for kind in FileKind::ALL {
            let text = seal(kind, &sample(), &key(1));
            assert!(text.starts_with(&format!("-----BEGIN LICDESK {}-----\n", kind.armor_label())));
            let env = Envelope::parse(text.as_bytes()).unwrap();
            assert_eq!(env.kind(), kind);
            let verified = env.verify(&key(1).verifying_key()).unwrap();
            assert_eq!(verified.payload::<Sample>().unwrap(), sample());
        }
    }

    #[test]
    fn crlf_line_ends_from_mail_programs_are_accepted() {
        let text = seal(FileKind::BaseCertificate, &sample(), &key(1)).replace('\n', "\r\n");
        let env = Envelope::parse(text.as_bytes()).unwrap();
        assert!(env.verify(&key(1).verifying_key()).is_ok());
    }

    #[test]
    fn every_single_bit_flip_is_refused_for_every_kind() {
        for kind in FileKind::ALL {
            let text = seal(kind, &sample(), &key(2)).into_bytes();
            for bit in 0..text.len() * 8 {
                let mut damaged = text.clone();
                damaged[bit / 8] ^= 1 << (bit % 8);
                let outcome = Envelope::parse(&damaged).and_then(|e| match e.kind().signed_by() {
                    SignedBy::Vendor => e.verify(&key(2).verifying_key()),
                    SignedBy::SelfSigned => e.verify_self_signed(),
                });
                assert!(
                    outcome.is_err(),
                    "{kind:?}: flipping bit {bit} was accepted"
                );
            }
        }
    }

    #[test]
    fn a_file_of_one_kind_never_passes_as_another() {
        let text = seal(FileKind::ActivationResponse, &sample(), &key(3));
        let relabelled = text.replace("ACTIVATION RESPONSE", "BASE LICENSE CERTIFICATE");
        let env = Envelope::parse(relabelled.as_bytes()).unwrap();
        assert_eq!(
            env.verify(&key(3).verifying_key()).unwrap_err(),
            FileError::BadSignature("base license certificate")
        );
    }

    #[test]
    fn the_same_signed_content_has_one_identity_whatever_its_line_ends() {
        let text = seal(FileKind::ActivationResponse, &sample(), &key(8));
        let id = |t: &str| Envelope::parse(t.as_bytes()).unwrap().content_id();
        let lf = id(&text);
        assert_eq!(lf.len(), 64);
        assert_eq!(id(&text.replace('\n', "\r\n")), lf);
        assert_eq!(id(text.trim_end()), lf);
        let other = seal(
            FileKind::ActivationResponse,
            &Sample {
                name: "other".into(),
                n: 7,
            },
            &key(8),
        );
        assert_ne!(id(&other), lf);
        let relabelled = text.replace("ACTIVATION RESPONSE", "BASE LICENSE CERTIFICATE");
        assert_ne!(id(&relabelled), lf);
    }

    #[test]
    fn another_key_does_not_verify() {
        let text = seal(FileKind::BaseCertificate, &sample(), &key(4));
        let env = Envelope::parse(text.as_bytes()).unwrap();
        assert!(env.verify(&key(5).verifying_key()).is_err());
    }

    #[test]
    fn malformed_files_say_what_is_wrong() {
        let good = seal(FileKind::BaseCertificate, &sample(), &key(6));
        let cases: Vec<(Vec<u8>, &str)> = vec![
            (vec![], "empty"),
            (vec![0xff, 0x00, 0x12], "not text"),
            (b"hello world".to_vec(), "does not start with"),
            (good.as_bytes()[..good.len() / 2].to_vec(), "cut off"),
            (
                good.replace("BASE LICENSE", "PIZZA").into_bytes(),
                "'PIZZA CERTIFICATE'",
            ),
            (format!("{good}extra").into_bytes(), "after the END line"),
            (
                good.replace("Format: 1", "Format: 9").into_bytes(),
                "format version 9",
            ),
            (
                vec![b'a'; (MAX_FILE_BYTES + 1) as usize],
                "more than the 8388608 bytes",
            ),
        ];
        for (bytes, needle) in cases {
            let err = Envelope::parse(&bytes).unwrap_err().to_string();
            assert!(err.contains(needle), "{needle}: {err}");
        }
    }

    #[test]
    fn non_canonical_payload_is_refused() {
        #[derive(Serialize)]
        struct Loose {
            n: u32,
            name: String,
        }
        let text = seal(
            FileKind::BaseCertificate,
            &Loose {
                n: 1,
                name: "x".into(),
            },
            &key(7),
        );
        let verified = Envelope::parse(text.as_bytes())
            .unwrap()
            .verify(&key(7).verifying_key())
            .unwrap();
        let err = verified.payload::<Sample>().unwrap_err().to_string();
        assert!(err.contains("canonical"), "{err}");
    }
}
