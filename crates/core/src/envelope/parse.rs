//! The strict parser of a signed file's armor, and what a parsed, not yet verified file says.

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use ed25519_dalek::{Signature, VerifyingKey};

use super::{Envelope, FileError, FileKind, SignedBy, FORMAT_VERSION, MAX_FILE_BYTES};
use crate::ids::KeyId;

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
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::envelope::fixtures::{key, sample};
    use crate::envelope::seal;

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
    fn crlf_line_ends_from_mail_programs_are_accepted() {
        let text = seal(FileKind::BaseCertificate, &sample(), &key(1)).replace('\n', "\r\n");
        let env = Envelope::parse(text.as_bytes()).unwrap();
        assert!(env.verify(&key(1).verifying_key()).is_ok());
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
}
