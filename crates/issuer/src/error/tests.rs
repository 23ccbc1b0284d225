//! Every variant has its own stable code, a category `--json` has always printed, and the exit
//! status of a failed command; all three come from the variant.

use std::collections::BTreeMap;

use licdesk_core::{Envelope, FileError, HardwareId, KeyId, LicenseNumber, RuleViolation};
use licdesk_outfile::OutputError;
use licdesk_store::StoreError;

use super::{IssuerError, EXIT_FAILURE};

/// Which variant `e` is (every output error kind counting as its own), by a match without a
/// wildcard: a new variant does not compile here until it is given a place in [`one_of_each`].
fn slot(e: &IssuerError) -> usize {
    use IssuerError::*;
    match e {
        InvalidInput(_) => 0,
        InvalidId(_) => 1,
        RevisionZero => 2,
        LimitOutOfRange { .. } => 3,
        LimitsNotRising { .. } => 4,
        Io { .. } => 5,
        KeyNotPrivate { .. } => 6,
        BadKeyFile(_) => 7,
        Output(OutputError::Protected { .. }) => 8,
        Output(OutputError::Exists { .. }) => 9,
        Output(OutputError::NotRegular { .. }) => 10,
        Output(OutputError::DiskFull { .. }) => 11,
        Output(OutputError::NoFileName { .. }) => 12,
        Output(OutputError::Io { .. }) => 13,
        LedgerOpen(_) => 14,
        Store(_) => 15,
        LedgerKeyDamaged { .. } => 16,
        // A refused file: one slot per code of FORMAT.md §8.
        File(f) => match f {
            FileError::Empty => 17,
            FileError::TooLarge { .. } => 39,
            FileError::NotText | FileError::NotArmored | FileError::UnknownKind(_) => 40,
            FileError::Truncated(_) | FileError::Damaged(_) => 41,
            FileError::UnsupportedFormat(_) => 42,
            FileError::UntrustedKey { .. } => 43,
            FileError::BadSignature(_) => 44,
            FileError::BadPayload { .. } => 45,
            FileError::WrongKind { .. } => 46,
        },
        Rule(_) => 18,
        RequestTooLarge { .. } => 19,
        RequestGrew { .. } => 20,
        RequestInvalid(_) => 21,
        BadNonce(_) => 22,
        BadHardware(_) => 23,
        BadInstallationKey(_) => 24,
        NoInstallationKey { .. } => 25,
        ForeignCertificate { .. } => 26,
        NotACertificate { .. } => 27,
        NoBaseCertificate { .. } => 28,
        NoFailoverCertificate { .. } => 29,
        MainMirrorsOther { .. } => 30,
        FailoverOfOtherBase { .. } => 31,
        NonceReused { .. } => 32,
        OtherInstallationKey { .. } => 33,
        NothingToRelease { .. } => 34,
        OtherStandby { .. } => 35,
        NoCertifiedKey { .. } => 36,
        ReleaseNotByInstallation { .. } => 37,
        Output(OutputError::NameNotAllowed { .. }) => 38,
    }
}

const SLOTS: usize = 47;

fn base() -> LicenseNumber {
    LicenseNumber::parse("OMS-SVV7-DEDV-5M").unwrap()
}

fn failover() -> LicenseNumber {
    LicenseNumber::parse("XFM-EX7F-J5GC-W8").unwrap()
}

fn hwid() -> HardwareId {
    HardwareId::from_digest(&[7; 16])
}

fn key_id(n: u8) -> KeyId {
    KeyId::of_public_key(&licdesk_core::SigningKey::from_bytes(&[n; 32]).verifying_key())
}

fn one_of_each() -> Vec<IssuerError> {
    use IssuerError::*;
    let path = || "out.lic".to_string();
    vec![
        InvalidInput("'50' is not a variant".into()),
        InvalidId(LicenseNumber::parse("OMS-1").unwrap_err()),
        RevisionZero,
        LimitOutOfRange {
            option: "--limit-hours",
            hours: 0,
            max: 8784,
        },
        LimitsNotRising {
            warning: 100,
            final_warning: 96,
            limit: 120,
        },
        Io {
            what: "cannot read",
            path: path(),
            reason: "gone".into(),
        },
        KeyNotPrivate {
            path: path(),
            who: "mode 644".into(),
            fix: format!("chmod 600 {}", path()),
        },
        BadKeyFile(path()),
        Output(OutputError::Protected {
            path: path(),
            what: "the ledger".into(),
        }),
        Output(OutputError::Exists { path: path() }),
        Output(OutputError::NotRegular {
            path: path(),
            kind: "a device",
        }),
        Output(OutputError::DiskFull { path: path() }),
        Output(OutputError::NoFileName { path: path() }),
        Output(OutputError::Io {
            path: path(),
            reason: "gone".into(),
        }),
        LedgerOpen(StoreError::Open {
            path: "l.sqlite".into(),
            reason: "gone".into(),
        }),
        Store(StoreError::DiskFull),
        LedgerKeyDamaged {
            license: failover(),
            reason: "bad base64".into(),
        },
        File(Envelope::parse(b"garbage").unwrap_err()),
        Rule(RuleViolation::StandbyIsMainSystem {
            hwid: hwid(),
            base: base(),
        }),
        RequestTooLarge {
            path: path(),
            len: 1 << 30,
            cap: 1 << 18,
        },
        RequestGrew { cap: 1 << 18 },
        RequestInvalid("the reason is blank".into()),
        BadNonce("a nonce is 64 hex characters".into()),
        BadHardware("no components".into()),
        BadInstallationKey("not base64".into()),
        NoInstallationKey {
            failover: failover(),
        },
        ForeignCertificate {
            signer: key_id(1),
            own: key_id(2),
        },
        NotACertificate { kind: "release" },
        NoBaseCertificate { base: base() },
        NoFailoverCertificate {
            failover: failover(),
        },
        MainMirrorsOther {
            license: base(),
            mirrors: failover(),
        },
        FailoverOfOtherBase {
            failover: failover(),
            base: base(),
            asked: base(),
        },
        NonceReused {
            nonce_start: "0123456789ab".into(),
        },
        OtherInstallationKey {
            failover: failover(),
            hardware_id: hwid(),
            certified: key_id(1),
            asked: None,
        },
        NothingToRelease {
            failover: failover(),
            by_hand: false,
        },
        OtherStandby {
            failover: failover(),
            held: hwid(),
            asked: hwid(),
        },
        NoCertifiedKey {
            failover: failover(),
            hardware_id: hwid(),
        },
        ReleaseNotByInstallation {
            failover: failover(),
            hardware_id: hwid(),
            signer: key_id(1),
            certified: key_id(2),
        },
        Output(OutputError::NameNotAllowed {
            path: path(),
            reason: "it is a device name on Windows",
        }),
        File(FileError::TooLarge {
            size: 1 << 20,
            cap: 1 << 14,
            what: "release request",
        }),
        File(FileError::Empty),
        File(FileError::Truncated("RELEASE REQUEST")),
        File(FileError::unsupported_format("2")),
        File(FileError::UntrustedKey {
            what: "base license certificate",
            key_id: key_id(3),
        }),
        File(FileError::BadSignature("release request")),
        File(FileError::bad_payload(
            "release request",
            "the reason is empty",
        )),
        File(FileError::WrongKind {
            expected: "activation request",
            found: "vendor public key",
        }),
    ]
}

/// A request file refused for itself has the code the desk gives the same problem (FORMAT.md
/// §8), not one code for them all, and keeps the category scripts have always seen.
#[test]
fn a_refused_file_has_the_code_the_desk_gives_the_same_problem() {
    let mut codes: Vec<&str> = one_of_each()
        .iter()
        .filter_map(|e| match e {
            IssuerError::File(f) => {
                assert_eq!(e.code(), f.code(), "{e:?}");
                assert_eq!(e.category(), "refused_file", "{e:?}");
                Some(e.code())
            }
            _ => None,
        })
        .collect();
    codes.sort();
    assert_eq!(
        codes,
        [
            "bad_signature",
            "damaged_file",
            "empty_file",
            "invalid_content",
            "not_license_file",
            "too_large",
            "unsupported_format",
            "untrusted_key",
            "wrong_kind"
        ]
    );
    let garbage = IssuerError::File(Envelope::parse(b"garbage").unwrap_err());
    assert_eq!(garbage.code(), "not_license_file");
}

/// ARCHITECTURE.md's table of the vendor tool's error codes names every code.
#[test]
fn every_code_is_documented() {
    let doc = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../ARCHITECTURE.md"),
    )
    .unwrap();
    let table = &doc[doc.find("## The vendor tool's error codes").unwrap()..];
    for e in one_of_each() {
        assert!(
            table.contains(&format!("| `{}` | `{}`", e.code(), e.category())),
            "ARCHITECTURE.md does not list `{}` (code `{}`)",
            e.code(),
            e.category()
        );
    }
}

#[test]
fn every_variant_has_its_own_stable_code() {
    let errors = one_of_each();
    let mut slots: Vec<usize> = errors.iter().map(slot).collect();
    slots.sort();
    assert_eq!(
        slots,
        (0..SLOTS).collect::<Vec<_>>(),
        "one of each, each once"
    );
    let mut seen: BTreeMap<&str, &IssuerError> = BTreeMap::new();
    for e in &errors {
        let code = e.code();
        assert!(
            !code.is_empty() && code.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'),
            "{code:?}"
        );
        if let Some(other) = seen.insert(code, e) {
            panic!("{code} is the code of both {other:?} and {e:?}");
        }
    }
}

#[test]
fn the_json_category_and_the_exit_status_come_from_the_variant() {
    for e in one_of_each() {
        let sentence = e.to_string();
        assert!(!sentence.is_empty(), "{e:?}");
        assert_eq!(e.exit_code(), EXIT_FAILURE, "{e:?}");
        let category = e.category();
        match &e {
            // An output refusal keeps the code of its own kind, as it always had.
            IssuerError::Output(o) => assert_eq!(category, o.code()),
            IssuerError::File(_) => assert_eq!(category, "refused_file"),
            IssuerError::Rule(_) => assert_eq!(category, "rule_violation"),
            // Every other refusal of a request says so first, and is `refused`.
            _ if sentence.starts_with("the request was refused: ") => {
                assert_eq!(category, "refused", "{e:?}")
            }
            _ => assert_ne!(category, "refused", "{e:?}"),
        }
    }
    // Released by hand, nothing held: a value the vendor typed, not a request refused.
    let by_hand = IssuerError::NothingToRelease {
        failover: failover(),
        by_hand: true,
    };
    assert_eq!(by_hand.category(), "invalid_input");
    assert_eq!(
        by_hand.to_string(),
        format!(
            "the ledger holds no active standby of FailoverSuite {}: there is nothing to release",
            failover()
        )
    );
}

#[test]
fn refusals_carry_their_values_into_the_sentences_people_read() {
    let asked = IssuerError::OtherInstallationKey {
        failover: failover(),
        hardware_id: hwid(),
        certified: key_id(1),
        asked: Some(key_id(2)),
    }
    .to_string();
    assert!(
        asked.contains(&format!(
            "installation key {}, and this request carries {}",
            key_id(1),
            key_id(2)
        )),
        "{asked}"
    );
    let none = IssuerError::OtherInstallationKey {
        failover: failover(),
        hardware_id: hwid(),
        certified: key_id(1),
        asked: None,
    }
    .to_string();
    assert!(none.contains("this request carries none:"), "{none}");
    let lost = IssuerError::NoCertifiedKey {
        failover: failover(),
        hardware_id: hwid(),
    }
    .to_string();
    assert!(
        lost.ends_with(&format!(
            "release FailoverSuite {0} by hand after checking the customer's claim (licdesk-issuer release-by-hand --failover {0})",
            failover()
        )),
        "{lost}"
    );
    assert_eq!(
        IssuerError::NonceReused { nonce_start: "0123456789ab".into() }.to_string(),
        "the request was refused: its nonce 0123456789ab… was already used by another request, which the ledger answered: a nonce belongs to one request. License Desk makes a fresh nonce for every request: write a new request"
    );
}
