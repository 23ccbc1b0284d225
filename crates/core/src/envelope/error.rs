//! Why a file was refused.

use crate::ids::KeyId;

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
    #[error("expected {}, but the file is {}", a(expected), a(found))]
    WrongKind {
        expected: &'static str,
        found: &'static str,
    },
}

/// How many characters of a value copied from a refused file a message shows.
const ECHO_CHARS: usize = 40;

impl FileError {
    /// The refusal code of docs/FORMAT.md §8 for this refusal: what every tool that reads a file
    /// reports for it (the desk's `DeskError.code`, the vendor tool's `error`).
    pub fn code(&self) -> &'static str {
        match self {
            FileError::Empty => "empty_file",
            FileError::TooLarge { .. } => "too_large",
            FileError::NotText | FileError::NotArmored | FileError::UnknownKind(_) => {
                "not_license_file"
            }
            FileError::Truncated(_) | FileError::Damaged(_) => "damaged_file",
            FileError::UnsupportedFormat(_) => "unsupported_format",
            FileError::UntrustedKey { .. } => "untrusted_key",
            FileError::BadSignature(_) => "bad_signature",
            FileError::BadPayload { .. } => "invalid_content",
            FileError::WrongKind { .. } => "wrong_kind",
        }
    }

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

/// A thing's name with its indefinite article ("an activation request", "a base license …").
fn a(what: &str) -> String {
    let article = if what.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    };
    format!("{article} {what}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::envelope::fixtures::{key, sample};
    use crate::envelope::{seal, Envelope, FileKind};
    use serde::{Deserialize, Serialize};

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
}
