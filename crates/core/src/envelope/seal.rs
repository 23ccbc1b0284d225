//! Writing signed files, verifying them, and reading a verified file's payload.

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use ed25519_dalek::{Signature, Signer as _, SigningKey, VerifyingKey};
use serde::de::DeserializeOwned;
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::{Envelope, FileError, FileKind, SignedBy, Verified, FORMAT_VERSION};
use crate::ids::KeyId;

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

impl Envelope {
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

    /// Parses the verified payload ([`Verified::payload`]) and checks its values by the rules
    /// of its kind: a value they refuse makes the content invalid, as a bad JSON value does.
    pub fn checked_payload<T: crate::model::CheckedPayload>(&self) -> Result<T, FileError> {
        let value: T = self.payload()?;
        value
            .check()
            .map_err(|e| FileError::bad_payload(self.kind.describe(), &e.to_string()))?;
        Ok(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::envelope::fixtures::{key, sample, Sample};

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

    #[test]
    fn a_checked_payload_also_passes_the_rules_of_its_kind() {
        use crate::ids::{HardwareId, LicenseNumber, LicenseProduct};
        let release = |failover| crate::model::Release {
            request_nonce: "e7".repeat(32),
            failover,
            hardware_id: HardwareId::from_digest(&[3; 16]),
            released_at: crate::time::Timestamp::from_unix(1_800_000_000),
            serial: None,
        };
        let verify = |r: &crate::model::Release| {
            Envelope::parse(seal(FileKind::Release, r, &key(1)).as_bytes())
                .unwrap()
                .verify(&key(1).verifying_key())
                .unwrap()
        };
        let good = release(LicenseNumber::from_random(
            LicenseProduct::FailoverSuite,
            [1; 5],
        ));
        let read: crate::model::Release = verify(&good).checked_payload().unwrap();
        assert_eq!(read, good);
        // Canonical JSON of a release, but of a base license: the rules of the kind refuse it.
        let bad = release(LicenseNumber::from_random(LicenseProduct::Suite, [1; 5]));
        let verified = verify(&bad);
        assert_eq!(verified.payload::<crate::model::Release>().unwrap(), bad);
        let err = verified
            .checked_payload::<crate::model::Release>()
            .unwrap_err();
        assert!(
            matches!(&err, FileError::BadPayload { detail, .. } if detail.contains("not a FailoverSuite")),
            "{err:?}"
        );
    }
}
