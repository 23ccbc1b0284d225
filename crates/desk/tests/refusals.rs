//! Refusals at the desk: every refused file leaves the store exactly as it was.

#![allow(clippy::unwrap_used)] // tests state their expectations by unwrapping

#[path = "common/engine.rs"]
mod engine;

use licdesk_core::{
    seal, standby_entitlements, ActivationResponse, BaseCertificate, FailoverCertificate, FileKind,
    Hardware, HardwareId, KeyId, LicenseNumber, LicenseProduct, LoadLimits, Role, SigningKey,
    StandbyMode, Timestamp, Variant, VendorPublicKey, FAILOVER_ARTICLE, STANDBY_NOTICE,
};
use licdesk_desk::{Desk, ErrorCode, ImportStatus, MachineChoice, RequestWritten};
use licdesk_store::Queries;

struct Fixture {
    _dir: tempfile::TempDir,
    desk: Desk,
    vendor: SigningKey,
    base: BaseCertificate,
    failover: LicenseNumber,
    standby: Hardware,
    request: RequestWritten,
}

fn vendor_key() -> SigningKey {
    SigningKey::from_bytes(&[42; 32])
}

fn base_cert() -> BaseCertificate {
    BaseCertificate {
        license: LicenseNumber::from_random(LicenseProduct::Suite, [9, 8, 7, 6, 5]),
        revision: 1,
        customer: "Refusal Tests AG".into(),
        variant: Variant::Users25,
        extensions: vec![],
        issued_at: Timestamp::from_unix(1_790_000_000),
    }
}

fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let mut desk = engine::test_desk(dir.path(), "refusals");
    let vendor = vendor_key();
    let public = vendor.verifying_key();
    let vpub = dir.path().join("vendor.vpub");
    std::fs::write(
        &vpub,
        seal(
            FileKind::VendorPublicKey,
            &VendorPublicKey {
                key_id: KeyId::of_public_key(&public),
                public_key: licdesk_core::trust::encode_public_key(&public),
                vendor: "Test Vendor".into(),
                created_at: Timestamp::from_unix(1_790_000_000),
            },
            &vendor,
        ),
    )
    .unwrap();
    desk.trust_add(&vpub).unwrap();
    let base = base_cert();
    let failover = LicenseNumber::from_random(LicenseProduct::FailoverSuite, [1, 1, 2, 3, 5]);
    let fo = FailoverCertificate {
        license: failover.clone(),
        article: FAILOVER_ARTICLE.into(),
        base_license: base.license.clone(),
        issued_at: Timestamp::from_unix(1_790_000_000),
    };
    for text in [
        seal(FileKind::BaseCertificate, &base, &vendor),
        seal(FileKind::FailoverCertificate, &fo, &vendor),
    ] {
        let outcome = desk.import_bytes("cert", text.as_bytes());
        assert_eq!(
            outcome.status,
            ImportStatus::Imported,
            "{}",
            outcome.message
        );
    }
    // The standby, from a hardware-ID file its own desk signed with its installation key.
    let standby = Hardware::from_code(HardwareId::from_digest(b"refusal standby"));
    let installation = SigningKey::from_bytes(&[77; 32]);
    let hwid_file = seal(
        FileKind::HardwareId,
        &licdesk_core::model::HardwareIdFile {
            hardware: standby.clone(),
            created_at: Timestamp::from_unix(1_790_000_050),
        },
        &installation,
    );
    desk.register_standby(
        &failover,
        &MachineChoice::FileContent(hwid_file.into_bytes()),
        StandbyMode::Cold,
    )
    .unwrap();
    let request = desk
        .write_request(
            &failover,
            Role::Standby,
            None,
            &dir.path().join("req.actreq"),
            licdesk_desk::IfExists::Refuse,
        )
        .unwrap();
    Fixture {
        _dir: dir,
        desk,
        vendor,
        base,
        failover,
        standby,
        request,
    }
}

fn response(f: &Fixture) -> ActivationResponse {
    ActivationResponse {
        request_nonce: f.request.nonce.clone(),
        license: f.failover.clone(),
        role: Role::Standby,
        hardware: f.standby.clone(),
        mirrors: f.base.license.clone(),
        base_revision: 1,
        mode: Some(StandbyMode::Cold),
        entitlements: standby_entitlements(&f.base, &f.failover),
        entitlement_digest: f.base.entitlement_digest(),
        notice: Some(STANDBY_NOTICE.into()),
        limits: Some(LoadLimits::default()),
        installation_key: Some(licdesk_core::InstallationKey::of(
            &SigningKey::from_bytes(&[77; 32]).verifying_key(),
        )),
        activated_at: Timestamp::from_unix(1_790_000_100),
        serial: None,
    }
}

fn assert_refused(f: &mut Fixture, bytes: &[u8], code: ErrorCode, needle: &str) {
    let before = f.desk.store().dump().unwrap();
    let outcome = f.desk.import_bytes("file", bytes);
    assert_eq!(
        outcome.status,
        ImportStatus::Refused,
        "accepted: {}",
        outcome.message
    );
    let error = outcome.error.expect("error");
    assert_eq!(error.code, code, "{}", error.message);
    assert!(error.message.contains(needle), "{}", error.message);
    assert_eq!(f.desk.store().dump().unwrap(), before, "the store changed");
}

#[test]
fn every_single_bit_flip_of_a_certificate_and_a_response_is_refused_and_changes_nothing() {
    let mut f = fixture();
    let mut other_base = base_cert();
    other_base.license = LicenseNumber::from_random(LicenseProduct::Suite, [3, 3, 3, 3, 3]);
    let files = [
        seal(FileKind::BaseCertificate, &other_base, &f.vendor),
        seal(FileKind::ActivationResponse, &response(&f), &f.vendor),
    ];
    let before = f.desk.store().dump().unwrap();
    for file in &files {
        let bytes = file.as_bytes();
        for bit in 0..bytes.len() * 8 {
            let mut damaged = bytes.to_vec();
            damaged[bit / 8] ^= 1 << (bit % 8);
            let outcome = f.desk.import_bytes("flipped", &damaged);
            assert_eq!(outcome.status, ImportStatus::Refused, "bit {bit} accepted");
            assert!(!outcome.message.is_empty());
        }
    }
    assert_eq!(
        f.desk.store().dump().unwrap(),
        before,
        "a refused file changed the store"
    );
    // The undamaged files are accepted, so the refusals were about the flips.
    for file in &files {
        let outcome = f.desk.import_bytes("good", file.as_bytes());
        assert_ne!(outcome.status, ImportStatus::Refused, "{}", outcome.message);
    }
}

#[test]
fn a_response_for_another_machine_is_refused() {
    let mut f = fixture();
    let mut r = response(&f);
    r.hardware = Hardware::from_code(HardwareId::from_digest(b"some other machine"));
    let text = seal(FileKind::ActivationResponse, &r, &f.vendor);
    assert_refused(
        &mut f,
        text.as_bytes(),
        ErrorCode::OtherMachine,
        "another machine",
    );
}

#[test]
fn a_response_for_another_license_is_refused() {
    let mut f = fixture();
    let mut r = response(&f);
    r.license = LicenseNumber::from_random(LicenseProduct::FailoverSuite, [7, 7, 7, 7, 7]);
    let text = seal(FileKind::ActivationResponse, &r, &f.vendor);
    assert_refused(&mut f, text.as_bytes(), ErrorCode::WrongLicense, "request");
}

#[test]
fn a_response_for_another_request_is_refused() {
    let mut f = fixture();
    let mut r = response(&f);
    r.request_nonce = "00".repeat(32);
    let text = seal(FileKind::ActivationResponse, &r, &f.vendor);
    assert_refused(
        &mut f,
        text.as_bytes(),
        ErrorCode::OtherRequest,
        "another request",
    );
}

#[test]
fn a_response_signed_by_an_untrusted_key_is_refused_naming_the_key() {
    let mut f = fixture();
    let stranger = SigningKey::from_bytes(&[7; 32]);
    let text = seal(FileKind::ActivationResponse, &response(&f), &stranger);
    let key_id = KeyId::of_public_key(&stranger.verifying_key());
    assert_refused(
        &mut f,
        text.as_bytes(),
        ErrorCode::UntrustedKey,
        key_id.as_str(),
    );
}

#[test]
fn an_older_revision_and_a_conflicting_one_are_refused() {
    let mut f = fixture();
    let mut newer = f.base.clone();
    newer.revision = 2;
    newer.variant = Variant::Unlimited;
    let outcome = f.desk.import_bytes(
        "r2",
        seal(FileKind::BaseCertificate, &newer, &f.vendor).as_bytes(),
    );
    assert_eq!(outcome.status, ImportStatus::Upgraded);
    // The very file imported before is not an error, and says the store holds something newer.
    let first = seal(FileKind::BaseCertificate, &f.base, &f.vendor);
    let again = f.desk.import_bytes("r1", first.as_bytes());
    assert_eq!(again.status, ImportStatus::Unchanged);
    assert!(
        again.message.contains("newer revision 2"),
        "{}",
        again.message
    );
    // Another certificate of revision 1 is refused.
    let mut older = f.base.clone();
    older.issued_at = older.issued_at.plus_seconds(60);
    let text = seal(FileKind::BaseCertificate, &older, &f.vendor);
    assert_refused(
        &mut f,
        text.as_bytes(),
        ErrorCode::Superseded,
        "superseded by revision 2",
    );
    let mut conflicting = newer.clone();
    conflicting.variant = Variant::Users10;
    let text = seal(FileKind::BaseCertificate, &conflicting, &f.vendor);
    assert_refused(
        &mut f,
        text.as_bytes(),
        ErrorCode::Conflict,
        "higher revision",
    );
}

#[test]
fn files_of_kinds_that_are_not_imported_say_what_to_do_instead() {
    let mut f = fixture();
    let req = std::fs::read(&f.request.file).unwrap();
    assert_refused(&mut f, &req, ErrorCode::WrongKind, "send it to the vendor");
}

#[test]
fn a_valid_response_activates_the_standby_with_every_entitlement_r5_r13() {
    let mut f = fixture();
    let text = seal(FileKind::ActivationResponse, &response(&f), &f.vendor);
    let outcome = f.desk.import_bytes("resp", text.as_bytes());
    assert_eq!(
        outcome.status,
        ImportStatus::Activated,
        "{}",
        outcome.message
    );
    let detail = f.desk.show(&f.failover).unwrap();
    let standby = detail.summary.failovers[0].standby.as_ref().unwrap();
    assert_eq!(standby.hardware_id, f.standby.id);
    assert_eq!(standby.entitlements.len(), detail.entitlements.len() + 1);
    let again = f.desk.import_bytes("resp", text.as_bytes());
    assert_eq!(again.status, ImportStatus::Unchanged);
}

#[test]
fn a_bulk_import_finds_and_names_the_one_bad_file_and_keeps_the_good_ones() {
    let mut f = fixture();
    let mut files: Vec<(String, Result<Vec<u8>, licdesk_desk::DeskError>)> = (0..300u32)
        .map(|i| {
            let mut cert = base_cert();
            cert.license = LicenseNumber::from_random(
                LicenseProduct::Suite,
                [(i % 256) as u8, (i / 256) as u8, 0xAB, 0xCD, 0xEF],
            );
            cert.customer = format!("Bulk Customer {i}");
            (
                format!("bulk-{i}.lic"),
                Ok(seal(FileKind::BaseCertificate, &cert, &f.vendor).into_bytes()),
            )
        })
        .collect();
    // One file with a flipped bit in its content, one duplicate.
    if let Ok(bytes) = &mut files[137].1 {
        let n = bytes.len() - 80;
        bytes[n] ^= 0x01;
    }
    let duplicate = files[5].1.as_ref().unwrap().clone();
    files.push(("again.lic".into(), Ok(duplicate)));
    let outcomes = f.desk.import_many(files);
    assert_eq!(outcomes.len(), 301);
    let refused: Vec<_> = outcomes
        .iter()
        .filter(|o| o.status == ImportStatus::Refused)
        .collect();
    assert_eq!(refused.len(), 1, "{refused:?}");
    assert_eq!(refused[0].file, "bulk-137.lic");
    assert_eq!(
        refused[0].error.as_ref().unwrap().code,
        ErrorCode::BadSignature
    );
    assert_eq!(
        outcomes
            .iter()
            .filter(|o| o.status == ImportStatus::Imported)
            .count(),
        299
    );
    assert_eq!(
        outcomes
            .iter()
            .filter(|o| o.status == ImportStatus::Unchanged)
            .count(),
        1
    );
    assert_eq!(f.desk.list("bulk customer", 0, 10).unwrap().total, 299);
}

#[test]
fn every_single_bit_flip_is_refused_through_the_bulk_import_too() {
    // `licdesk import` takes the bulk path (signatures verified over every core): it must refuse
    // exactly what the single-file path refuses. A FailoverSuite certificate for the fixture's
    // base, and a base certificate, each flipped at every bit, all in one import.
    let mut f = fixture();
    let mut other_base = base_cert();
    other_base.license = LicenseNumber::from_random(LicenseProduct::Suite, [4, 4, 4, 4, 4]);
    let second_failover = FailoverCertificate {
        license: LicenseNumber::from_random(LicenseProduct::FailoverSuite, [2, 7, 1, 8, 2]),
        article: FAILOVER_ARTICLE.into(),
        base_license: f.base.license.clone(),
        issued_at: Timestamp::from_unix(1_790_000_200),
    };
    let files = [
        seal(FileKind::FailoverCertificate, &second_failover, &f.vendor),
        seal(FileKind::BaseCertificate, &other_base, &f.vendor),
    ];
    let mut flipped = Vec::new();
    for file in &files {
        let bytes = file.as_bytes();
        for bit in 0..bytes.len() * 8 {
            let mut damaged = bytes.to_vec();
            damaged[bit / 8] ^= 1 << (bit % 8);
            flipped.push((format!("bit-{bit}"), Ok(damaged)));
        }
    }
    let count = flipped.len();
    let before = f.desk.store().dump().unwrap();
    let outcomes = f.desk.import_many(flipped);
    assert_eq!(outcomes.len(), count);
    for o in &outcomes {
        assert_eq!(o.status, ImportStatus::Refused, "{} accepted", o.file);
        assert!(!o.message.is_empty(), "{} refused without a reason", o.file);
    }
    assert_eq!(
        f.desk.store().dump().unwrap(),
        before,
        "a refused file changed the store"
    );
    // The undamaged files go through the same path and are accepted.
    let outcomes = f.desk.import_many(
        files
            .iter()
            .enumerate()
            .map(|(i, t)| (format!("good-{i}"), Ok(t.clone().into_bytes())))
            .collect(),
    );
    assert!(
        outcomes.iter().all(|o| o.status == ImportStatus::Imported),
        "{outcomes:?}"
    );
}

/// Bytes this thread has read through read(2) and friends so far (Linux per-thread accounting).
fn bytes_read_by_this_thread() -> u64 {
    std::fs::read_to_string("/proc/thread-self/io")
        .unwrap()
        .lines()
        .find_map(|l| l.strip_prefix("rchar: "))
        .unwrap()
        .trim()
        .parse()
        .unwrap()
}

#[test]
fn a_50_mb_file_is_refused_from_its_size_without_being_read() {
    let mut f = fixture();
    let dir = tempfile::tempdir().unwrap();
    let huge = dir.path().join("huge.lic");
    // 50 MB of a certificate's own first line over and over: a reader that went through it would
    // be seen in this thread's read count.
    let line = b"-----BEGIN LICDESK BASE LICENSE CERTIFICATE-----\n";
    let mut content = Vec::with_capacity(50 * 1024 * 1024 + line.len());
    while content.len() < 50 * 1024 * 1024 {
        content.extend_from_slice(line);
    }
    std::fs::write(&huge, &content).unwrap();
    drop(content);
    let before = f.desk.store().dump().unwrap();
    let read_before = bytes_read_by_this_thread();
    let outcomes = f.desk.import_paths(std::slice::from_ref(&huge));
    let read = bytes_read_by_this_thread() - read_before;
    assert_eq!(outcomes.len(), 1);
    assert_eq!(outcomes[0].status, ImportStatus::Refused);
    let error = outcomes[0].error.as_ref().unwrap();
    assert_eq!(error.code, ErrorCode::TooLarge, "{}", error.message);
    assert!(
        error.message.contains("more than"),
        "the message says why: {}",
        error.message
    );
    // The store dump and the audit are read through SQLite in this thread too: allow them, but
    // nothing near the file's size.
    assert!(
        read < 1024 * 1024,
        "{read} bytes were read to refuse a 50 MB file"
    );
    assert_eq!(f.desk.store().dump().unwrap(), before);
}

#[test]
fn the_detail_says_when_the_request_a_standby_waits_for_was_exported() {
    let mut f = fixture();
    let written = |f: &Fixture| {
        f.desk.show(&f.failover).unwrap().summary.failovers[0]
            .standby
            .as_ref()
            .unwrap()
            .request_written_at
    };
    // The fixture wrote a request for the registered standby: it waits for the response.
    let at = written(&f).expect("the request's time");
    assert!(
        at >= f.desk.show(&f.failover).unwrap().summary.failovers[0]
            .standby
            .as_ref()
            .unwrap()
            .registered_at
    );
    // Answered, it waits for nothing.
    let text = seal(FileKind::ActivationResponse, &response(&f), &f.vendor);
    let outcome = f.desk.import_bytes("resp", text.as_bytes());
    assert_eq!(
        outcome.status,
        ImportStatus::Activated,
        "{}",
        outcome.message
    );
    assert_eq!(written(&f), None);
}
