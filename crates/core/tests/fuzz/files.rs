//! Signed files: genuine ones damaged, hostile content sealed with the trusted key, any bytes.

use licdesk_core::model::{HardwareIdFile, Release, ReleaseRequest, VendorPublicKey};
use licdesk_core::usage::UsageJournal;
use licdesk_core::{
    seal, ActivationRequest, ActivationResponse, BaseCertificate, Envelope, Extension,
    FailoverCertificate, FileKind, LoadLimits,
};
use proptest::prelude::*;
use serde_json::Value;

use crate::exercise::{exercise, read, read_every_payload};
use crate::genuine::{
    base, genuine_files, installation, response, seeds, trust, vendor, REGRESSIONS,
};
use crate::hostile::*;

proptest! {
    #![proptest_config(config(500, REGRESSIONS))]

    /// Genuine files of every kind, damaged byte by byte: bit flips, inserted and deleted bytes,
    /// cut off, spliced with another file, parts repeated.
    #[test]
    fn damaged_genuine_files_never_panic(
        which in 0usize..9,
        edits in prop::collection::vec(byte_edit(9), 1..5),
    ) {
        let files = genuine_files();
        let mut bytes = files[which].clone();
        for e in &edits {
            apply_byte_edit(&mut bytes, e, &files);
        }
        exercise(&bytes, 1);
    }

    /// Genuine payloads with hostile content, sealed with the key each kind trusts: the signature
    /// verifies, so everything after it must cope with whatever the signer wrote.
    #[test]
    fn signed_hostile_payloads_never_panic(
        which in 0usize..9,
        edits in prop::collection::vec(json_edit(), 1..4),
    ) {
        let seed = seeds().swap_remove(which);
        let mut value = seed.value.clone();
        for e in &edits {
            apply_edit(&mut value, e);
        }
        exercise(seed.seal(&value).as_bytes(), 1);
    }

    /// Any JSON at all, sealed as every kind with the trusted key.
    #[test]
    fn signed_arbitrary_json_never_panics(which in 0usize..9, value in hostile_value()) {
        exercise(seeds().swap_remove(which).seal(&value).as_bytes(), 1);
    }

    /// Bytes and text of any shape, with and without a valid first line.
    #[test]
    fn arbitrary_bytes_never_panic(
        which in 0usize..9,
        head in any::<bool>(),
        body in prop_oneof![
            prop::collection::vec(any::<u8>(), 0..2000),
            "[A-Za-z0-9+/=:\\- \\r\\n]{0,2000}".prop_map(String::into_bytes),
            any::<String>().prop_map(String::into_bytes),
        ],
    ) {
        let mut bytes = Vec::new();
        if head {
            bytes.extend_from_slice(
                format!("-----BEGIN LICDESK {}-----\n", FileKind::ALL[which].armor_label())
                    .as_bytes(),
            );
        }
        bytes.extend_from_slice(&body);
        exercise(&bytes, 1);
    }

}

#[test]
fn the_seeds_are_genuine_files_that_verify_and_read_back() {
    for seed in seeds() {
        let text = seed.seal(&seed.value);
        let envelope = Envelope::parse(text.as_bytes()).unwrap();
        let verified = match seed.kind.signed_by() {
            licdesk_core::envelope::SignedBy::Vendor => trust().verify(envelope).unwrap().0,
            licdesk_core::envelope::SignedBy::SelfSigned => envelope.verify_self_signed().unwrap(),
        };
        let readable = match seed.kind {
            FileKind::BaseCertificate => read::<BaseCertificate>(&verified).is_some(),
            FileKind::FailoverCertificate => read::<FailoverCertificate>(&verified).is_some(),
            FileKind::HardwareId => read::<HardwareIdFile>(&verified).is_some(),
            FileKind::ActivationRequest => read::<ActivationRequest>(&verified).is_some(),
            FileKind::ActivationResponse => read::<ActivationResponse>(&verified).is_some(),
            FileKind::VendorPublicKey => read::<VendorPublicKey>(&verified).is_some(),
            FileKind::UsageJournal => read::<UsageJournal>(&verified).is_some(),
            FileKind::ReleaseRequest => read::<ReleaseRequest>(&verified).is_some(),
            FileKind::Release => read::<Release>(&verified).is_some(),
        };
        assert!(readable, "{:?} does not read as its own type", seed.kind);
    }
}

#[test]
fn a_vendor_signed_certificate_with_10000_extensions_is_handled() {
    let mut cert = base();
    cert.extensions = (0..10_000)
        .map(|i| Extension {
            article: format!("XOM.{i}"),
            name: "é".repeat(i % 120),
            quantity: u32::MAX - i as u32,
        })
        .collect();
    let text = seal(FileKind::BaseCertificate, &cert, &vendor());
    // Far above a certificate's size cap: refused before its content is read.
    assert!(matches!(
        Envelope::parse(text.as_bytes()),
        Err(licdesk_core::FileError::TooLarge { .. })
    ));
    exercise(text.as_bytes(), 1);
    // Under the cap of a larger kind, the same content is read and fails validation cleanly.
    let as_journal = seal(FileKind::UsageJournal, &cert, &installation());
    let verified = Envelope::parse(as_journal.as_bytes())
        .unwrap()
        .verify_self_signed()
        .unwrap();
    let parsed: BaseCertificate = verified.payload().unwrap();
    assert!(parsed.validate().is_err());
    read_every_payload(&verified, 1);
}

#[test]
fn a_vendor_signed_response_with_a_multibyte_nonce_and_extreme_numbers_is_handled() {
    let mut r = response();
    r.request_nonce = "é".repeat(40);
    r.base_revision = u32::MAX;
    r.limits = Some(LoadLimits {
        max_load_hours: u32::MAX,
        episode_gap_hours: u32::MAX,
        warning_hours: 0,
        final_warning_hours: u32::MAX,
    });
    r.entitlements[0].quantity = u32::MAX;
    r.notice = Some(String::new());
    let text = seal(FileKind::ActivationResponse, &r, &vendor());
    exercise(text.as_bytes(), 1);
    let (verified, _) = trust()
        .verify(Envelope::parse(text.as_bytes()).unwrap())
        .unwrap();
    assert_eq!(verified.payload::<ActivationResponse>().unwrap(), r);
}

#[test]
fn a_signed_payload_with_a_time_outside_the_years_1970_to_9999_is_refused() {
    for time in [
        "9999-12-31T23:59:59-01:00",
        "0000-01-01T00:00:00+01:00",
        "1969-12-31T23:59:59Z",
    ] {
        let seed = seeds().swap_remove(0);
        let mut value = seed.value.clone();
        value["issued_at"] = Value::from(time);
        let text = seed.seal(&value);
        let (verified, _) = trust()
            .verify(Envelope::parse(text.as_bytes()).unwrap())
            .unwrap();
        let e = verified
            .payload::<BaseCertificate>()
            .unwrap_err()
            .to_string();
        assert!(e.contains("outside the years 1970 to 9999"), "{time}: {e}");
    }
}
