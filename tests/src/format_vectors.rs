//! The test vectors of docs/FORMAT.md (§13): valid and invalid files of every kind, made
//! deterministically (fixed keys, fixed times) so that they can be regenerated and compared.

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use licdesk_core::ed25519::Signer as _;
use licdesk_core::model::{HardwareIdFile, VendorPublicKey};
use licdesk_core::usage::{chain_hash, JournalEntry, UsageJournal, UsageState, GENESIS};
use licdesk_core::{
    seal, ActivationRequest, ActivationResponse, BaseCertificate, Component, ComponentKind,
    Extension, FailoverCertificate, FileKind, Hardware, InstallationKey, KeyId, LicenseNumber,
    LicenseProduct, LoadLimits, Release, ReleaseRequest, Role, SigningKey, StandbyMode, Timestamp,
    Variant,
};
use serde::Serialize;

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

/// The valid payloads the vectors are made of.
struct Valid {
    base: BaseCertificate,
    failover: FailoverCertificate,
    hardware: Hardware,
    response: ActivationResponse,
}

fn valid() -> Valid {
    let base_license = LicenseNumber::from_random(LicenseProduct::Suite, [1, 2, 3, 4, 5]);
    let failover_license =
        LicenseNumber::from_random(LicenseProduct::FailoverSuite, [6, 7, 8, 9, 10]);
    let base = BaseCertificate {
        license: base_license.clone(),
        revision: 1,
        customer: "Müller & Söhne GmbH \"Nord\"".into(),
        variant: Variant::Users25,
        extensions: vec![Extension {
            article: "XOM.11000".into(),
            name: "Fax Gateway".into(),
            quantity: 2,
        }],
        issued_at: at("2026-01-15T09:30:00Z"),
    };
    let failover = FailoverCertificate {
        license: failover_license.clone(),
        article: licdesk_core::FAILOVER_ARTICLE.into(),
        base_license: base_license.clone(),
        issued_at: at("2026-01-15T09:31:00Z"),
    };
    let hardware = Hardware::from_components(
        vec![
            Component::from_raw(ComponentKind::MachineId, "5b1c0e2d9a8f4b7c8d6e5f4a3b2c1d01"),
            Component::from_raw(ComponentKind::Cpu, "xeon e-2388g x8"),
            Component::from_raw(ComponentKind::Nic, "52:54:00:00:00:01"),
        ],
        Some("standby-1".into()),
    );
    let limits = LoadLimits::default();
    let response = ActivationResponse {
        request_nonce: "5a".repeat(32),
        license: failover_license.clone(),
        role: Role::Standby,
        hardware: hardware.clone(),
        mirrors: base_license.clone(),
        base_revision: 1,
        mode: Some(StandbyMode::Cold),
        entitlements: licdesk_core::standby_entitlements(&base, &failover_license),
        entitlement_digest: base.entitlement_digest(),
        notice: Some(licdesk_core::standby_notice(&limits)),
        limits: Some(limits),
        installation_key: Some(InstallationKey::of(&installation_key().verifying_key())),
        activated_at: at("2026-01-16T08:00:00Z"),
        serial: Some(1),
    };
    Valid {
        base,
        failover,
        hardware,
        response,
    }
}

fn journal(response_text: &str, hardware: &Hardware, key: &SigningKey) -> UsageJournal {
    let mut previous = GENESIS.to_string();
    let mut entries = Vec::new();
    for (seq, (time, state)) in [
        ("2026-01-16T09:00:00Z", UsageState::Idle),
        ("2026-01-20T14:00:00Z", UsageState::Load),
        ("2026-01-21T02:30:00Z", UsageState::Idle),
    ]
    .into_iter()
    .enumerate()
    {
        let hash = chain_hash(&previous, seq as u64, at(time), state);
        previous = hash.clone();
        entries.push(JournalEntry {
            seq: seq as u64,
            at: at(time),
            state,
            hash,
        });
    }
    UsageJournal {
        failover: LicenseNumber::from_random(LicenseProduct::FailoverSuite, [6, 7, 8, 9, 10]),
        hardware_id: hardware.id.clone(),
        installation_key: InstallationKey::of(&key.verifying_key()),
        exported_at: at("2026-01-22T10:00:00Z"),
        entries,
        activation: response_text.to_string(),
    }
}

/// Every vector, in the manifest's order.
pub fn vectors(vendor: &SigningKey) -> Vec<Vector> {
    let v = valid();
    let inst = installation_key();
    let mut out = Vec::new();
    let mut add = |file: &str, bytes: Vec<u8>, kind, code, reason| {
        out.push(Vector {
            file: file.to_string(),
            bytes,
            kind,
            code,
            reason,
        })
    };
    use FileKind as K;

    // Valid files of every kind.
    let base = sealed(K::BaseCertificate, &v.base, vendor);
    let failover = sealed(K::FailoverCertificate, &v.failover, vendor);
    let response = sealed(K::ActivationResponse, &v.response, vendor);
    let hwid = sealed(
        K::HardwareId,
        &HardwareIdFile {
            hardware: v.hardware.clone(),
            created_at: at("2026-01-15T10:00:00Z"),
        },
        &inst,
    );
    let request = ActivationRequest {
        nonce: "5a".repeat(32),
        created_at: at("2026-01-15T10:05:00Z"),
        license: v.failover.license.clone(),
        role: Role::Standby,
        hardware: v.hardware.clone(),
        mirrors: v.base.license.clone(),
        mode: Some(StandbyMode::Cold),
        certificates: vec![base.clone(), failover.clone()],
        installation_key: Some(InstallationKey::of(&inst.verifying_key())),
    };
    let request_text = sealed(K::ActivationRequest, &request, &inst);
    let main_request = ActivationRequest {
        nonce: "c3".repeat(32),
        license: v.base.license.clone(),
        role: Role::Main,
        hardware: Hardware::from_components(
            vec![Component::from_raw(
                ComponentKind::MachineId,
                "main machine",
            )],
            Some("main-1".into()),
        ),
        mirrors: v.base.license.clone(),
        mode: None,
        certificates: vec![base.clone()],
        installation_key: None,
        ..request.clone()
    };
    let main_request_text = sealed(K::ActivationRequest, &main_request, &inst);
    let main_response = ActivationResponse {
        request_nonce: main_request.nonce.clone(),
        license: v.base.license.clone(),
        role: Role::Main,
        hardware: main_request.hardware.clone(),
        mode: None,
        entitlements: v.base.entitlements(),
        notice: None,
        limits: None,
        installation_key: None,
        serial: None,
        ..v.response.clone()
    };
    let release_request = ReleaseRequest {
        nonce: "e7".repeat(32),
        created_at: at("2026-02-01T12:00:00Z"),
        failover: v.failover.license.clone(),
        hardware: v.hardware.clone(),
        reason: "hardware replaced: main board failed".into(),
    };
    let release_request_text = sealed(K::ReleaseRequest, &release_request, &inst);
    let release = Release {
        request_nonce: release_request.nonce.clone(),
        failover: v.failover.license.clone(),
        hardware_id: v.hardware.id.clone(),
        released_at: at("2026-02-02T08:00:00Z"),
        serial: Some(2),
    };
    let release_text = sealed(K::Release, &release, vendor);
    let the_journal = journal(&response, &v.hardware, &inst);
    let journal_text = sealed(K::UsageJournal, &the_journal, &inst);
    let vpub = VendorPublicKey {
        key_id: KeyId::of_public_key(&vendor.verifying_key()),
        public_key: B64.encode(vendor.verifying_key().as_bytes()),
        vendor: "Demo Vendor (DEMO)".into(),
        created_at: at("2026-01-01T00:00:00Z"),
    };
    let vpub_text = sealed(K::VendorPublicKey, &vpub, vendor);

    add(
        "base.lic",
        base.clone().into(),
        K::BaseCertificate,
        None,
        "a base license certificate with an extension",
    );
    add(
        "base-crlf.lic",
        base.replace('\n', "\r\n").into(),
        K::BaseCertificate,
        None,
        "CRLF line ends read as LF: the same signed content",
    );
    add(
        "base-no-final-line-end.lic",
        base.trim_end().into(),
        K::BaseCertificate,
        None,
        "the final line end is optional",
    );
    add(
        "failover.lic",
        failover.clone().into(),
        K::FailoverCertificate,
        None,
        "a FailoverSuite certificate",
    );
    add(
        "standby.hwid",
        hwid.clone().into(),
        K::HardwareId,
        None,
        "a hardware-ID file signed by its installation key",
    );
    add(
        "standby.actreq",
        request_text.clone().into(),
        K::ActivationRequest,
        None,
        "a standby's activation request with its certificates and installation key",
    );
    add(
        "main.actreq",
        main_request_text.into(),
        K::ActivationRequest,
        None,
        "a main system's activation request",
    );
    add(
        "standby.actresp",
        response.clone().into(),
        K::ActivationResponse,
        None,
        "a standby's activation response: notice, limits, installation key, serial",
    );
    add(
        "main.actresp",
        sealed(K::ActivationResponse, &main_response, vendor).into(),
        K::ActivationResponse,
        None,
        "a main system's response without a serial (omitted when absent)",
    );
    add(
        "standby.relreq",
        release_request_text.clone().into(),
        K::ReleaseRequest,
        None,
        "a release request signed by the installation key",
    );
    add(
        "standby.release",
        release_text.clone().into(),
        K::Release,
        None,
        "a vendor's standby release",
    );
    add(
        "standby.journal",
        journal_text.clone().into(),
        K::UsageJournal,
        None,
        "a usage journal: hash chain, certified installation, its activation inside",
    );
    add(
        "demo-vendor.vpub",
        vpub_text.clone().into(),
        K::VendorPublicKey,
        None,
        "the demo vendor's public key file",
    );

    // Size and armor.
    add(
        "empty.lic",
        Vec::new(),
        K::BaseCertificate,
        Some("empty_file"),
        "an empty file",
    );
    let mut big = format!(
        "-----BEGIN LICDESK {}-----\n",
        K::BaseCertificate.armor_label()
    );
    while big.len() <= K::BaseCertificate.size_cap() as usize {
        big.push_str(&"A".repeat(64));
        big.push('\n');
    }
    add(
        "oversize.lic",
        big.into(),
        K::BaseCertificate,
        Some("too_large"),
        "larger than a certificate's 32768-byte cap",
    );
    add(
        "not-text.lic",
        vec![0xff, 0xfe, 0x00, 0x41],
        K::BaseCertificate,
        Some("not_license_file"),
        "not UTF-8",
    );
    add(
        "text-before-begin.lic",
        format!("License file:\n{base}").into(),
        K::BaseCertificate,
        Some("not_license_file"),
        "text before the BEGIN line",
    );
    add(
        "unknown-kind.lic",
        base.replace("BASE LICENSE CERTIFICATE", "PIZZA CERTIFICATE")
            .into(),
        K::BaseCertificate,
        Some("not_license_file"),
        "a label that names no kind",
    );
    add(
        "truncated.lic",
        base.as_bytes()[..base.len() / 2].to_vec(),
        K::BaseCertificate,
        Some("damaged_file"),
        "cut off: no END line",
    );
    add(
        "no-empty-line.lic",
        edit(&base, "\n\n", "\n").into(),
        K::BaseCertificate,
        Some("damaged_file"),
        "no empty line after the headers",
    );
    add(
        "text-after-end.lic",
        format!("{base}\n").into(),
        K::BaseCertificate,
        Some("damaged_file"),
        "an empty line after the END line",
    );
    add(
        "format-2.lic",
        edit(&base, "Format: 1", "Format: 2").into(),
        K::BaseCertificate,
        Some("unsupported_format"),
        "format version 2",
    );
    add(
        "bad-key-id.lic",
        edit(&base, "Key-Id: vk-", "Key-Id: VK-").into(),
        K::BaseCertificate,
        Some("damaged_file"),
        "a key id in capitals",
    );
    let sig_line = base
        .lines()
        .find(|l| l.starts_with("Signature: "))
        .unwrap_or_default();
    let short_sig = format!("Signature: {}", B64.encode([7u8; 63]));
    add(
        "short-signature.lic",
        edit(&base, sig_line, &short_sig).into(),
        K::BaseCertificate,
        Some("damaged_file"),
        "a signature of 63 bytes",
    );
    let self_signed_key_id = edit(
        &hwid,
        &KeyId::of_public_key(&inst.verifying_key()).to_string(),
        &KeyId::of_public_key(&other_installation_key().verifying_key()).to_string(),
    );
    add(
        "key-id-not-signer.hwid",
        self_signed_key_id.into(),
        K::HardwareId,
        Some("damaged_file"),
        "the key id is not the Signer-Key's",
    );

    // Signatures and keys.
    add(
        "bad-signature.lic",
        flip_signature(&base, 40, 0x01).into(),
        K::BaseCertificate,
        Some("bad_signature"),
        "one bit of the signature flipped",
    );
    let altered = edit(&json(&v.base), "\"revision\":1", "\"revision\":2");
    let altered_body = seal_raw(K::BaseCertificate, altered.as_bytes(), vendor);
    let altered_file = format!(
        "{}{}",
        &base[..base.find("\n\n").unwrap_or(0) + 2],
        &altered_body[altered_body.find("\n\n").unwrap_or(0) + 2..]
    );
    add(
        "altered-payload.lic",
        altered_file.into(),
        K::BaseCertificate,
        Some("bad_signature"),
        "one payload byte changed after signing",
    );
    add(
        "wrong-key.lic",
        sealed(K::BaseCertificate, &v.base, &other_vendor_key()).into(),
        K::BaseCertificate,
        Some("untrusted_key"),
        "signed by a vendor key nobody trusts",
    );
    add(
        "wrong-kind-tag.lic",
        failover
            .replace("FAILOVERSUITE LICENSE", "BASE LICENSE")
            .into(),
        K::BaseCertificate,
        Some("bad_signature"),
        "a FailoverSuite certificate relabelled as a base certificate: the tag is signed",
    );
    add(
        "bad-signature.hwid",
        flip_signature(&hwid, 3, 0x80).into(),
        K::HardwareId,
        Some("bad_signature"),
        "a self-signed file whose signature does not verify",
    );

    // Canonical JSON and values, each signed correctly.
    let base_json = json(&v.base);
    let resign = |kind, payload: String, key: &SigningKey| -> Vec<u8> {
        seal_raw(kind, payload.as_bytes(), key).into()
    };
    add(
        "non-canonical.lic",
        resign(
            K::BaseCertificate,
            edit(&base_json, "\"revision\":1", "\"revision\": 1"),
            vendor,
        ),
        K::BaseCertificate,
        Some("invalid_content"),
        "white space in the JSON",
    );
    add(
        "reordered.lic",
        resign(
            K::BaseCertificate,
            format!(
                "{{\"revision\":1,{}",
                edit(&base_json, "\"revision\":1,", "").trim_start_matches('{')
            ),
            vendor,
        ),
        K::BaseCertificate,
        Some("invalid_content"),
        "members out of order",
    );
    add(
        "unknown-field.lic",
        resign(
            K::BaseCertificate,
            edit(
                &base_json,
                "\"revision\":1",
                "\"revision\":1,\"note\":\"x\"",
            ),
            vendor,
        ),
        K::BaseCertificate,
        Some("invalid_content"),
        "a member the schema does not have",
    );
    let good_license = v.base.license.to_string();
    let mut bad_license = good_license.clone();
    let last = bad_license.pop().unwrap_or('0');
    bad_license.push(if last == '0' { '1' } else { '0' });
    add(
        "bad-check-characters.lic",
        resign(
            K::BaseCertificate,
            edit(&base_json, &good_license, &bad_license),
            vendor,
        ),
        K::BaseCertificate,
        Some("invalid_content"),
        "a license number whose check characters do not match",
    );
    add(
        "lowercase-license.lic",
        resign(
            K::BaseCertificate,
            edit(&base_json, &good_license, &good_license.to_lowercase()),
            vendor,
        ),
        K::BaseCertificate,
        Some("invalid_content"),
        "a license number in lower case (lenient for typing, not in files)",
    );
    add(
        "bad-time.lic",
        resign(
            K::BaseCertificate,
            edit(&base_json, "2026-01-15T09:30:00Z", "2026-02-30T09:30:00Z"),
            vendor,
        ),
        K::BaseCertificate,
        Some("invalid_content"),
        "February 30th",
    );
    add(
        "time-with-offset.lic",
        resign(
            K::BaseCertificate,
            edit(
                &base_json,
                "2026-01-15T09:30:00Z",
                "2026-01-15T10:30:00+01:00",
            ),
            vendor,
        ),
        K::BaseCertificate,
        Some("invalid_content"),
        "the right instant with an offset: not the canonical time",
    );
    add(
        "control-in-customer.lic",
        resign(
            K::BaseCertificate,
            edit(&base_json, "Müller", "M\\u001b[2Jüller"),
            vendor,
        ),
        K::BaseCertificate,
        Some("invalid_content"),
        "an escape character in the customer name",
    );
    add(
        "zero-quantity.lic",
        resign(
            K::BaseCertificate,
            edit(&base_json, "\"quantity\":2", "\"quantity\":0"),
            vendor,
        ),
        K::BaseCertificate,
        Some("invalid_content"),
        "an extension of quantity 0",
    );
    add(
        "failover-wrong-article.lic",
        resign(
            K::FailoverCertificate,
            edit(&json(&v.failover), "XFM.47000", "XFM.47001"),
            vendor,
        ),
        K::FailoverCertificate,
        Some("invalid_content"),
        "a FailoverSuite certificate for another article",
    );
    let hwid_json = json(&HardwareIdFile {
        hardware: v.hardware.clone(),
        created_at: at("2026-01-15T10:00:00Z"),
    });
    let other_id = Hardware::from_components(
        vec![Component::from_raw(ComponentKind::MachineId, "other")],
        None,
    )
    .id;
    add(
        "id-not-of-components.hwid",
        resign(
            K::HardwareId,
            edit(&hwid_json, v.hardware.id.as_str(), other_id.as_str()),
            &inst,
        ),
        K::HardwareId,
        Some("invalid_content"),
        "a hardware ID that is not the code of its components",
    );
    let request_json = json(&request);
    add(
        "bad-nonce.actreq",
        resign(
            K::ActivationRequest,
            edit(&request_json, &"5a".repeat(32), &"5A".repeat(32)),
            &inst,
        ),
        K::ActivationRequest,
        Some("invalid_content"),
        "a nonce in capitals",
    );
    let no_key = ActivationRequest {
        installation_key: None,
        ..request.clone()
    };
    add(
        "standby-without-key.actreq",
        sealed(K::ActivationRequest, &no_key, &inst).into(),
        K::ActivationRequest,
        Some("invalid_content"),
        "a standby request without an installation key",
    );
    add(
        "bad-signature.actreq",
        flip_signature(&request_text, 10, 0x04).into(),
        K::ActivationRequest,
        Some("bad_signature"),
        "a request changed after it was signed",
    );
    let response_json = json(&v.response);
    add(
        "bad-nonce.actresp",
        resign(
            K::ActivationResponse,
            edit(&response_json, &"5a".repeat(32), &"5a".repeat(31)),
            vendor,
        ),
        K::ActivationResponse,
        Some("invalid_content"),
        "a nonce of 62 characters",
    );
    add(
        "null-serial.actresp",
        resign(
            K::ActivationResponse,
            edit(&response_json, "\"serial\":1", "\"serial\":null"),
            vendor,
        ),
        K::ActivationResponse,
        Some("invalid_content"),
        "serial written as null: it is omitted when absent",
    );
    add(
        "bad-nonce.release",
        resign(
            K::Release,
            edit(&json(&release), &"e7".repeat(32), "by-hand-00"),
            vendor,
        ),
        K::Release,
        Some("invalid_content"),
        "a by-hand nonce without its 32 hex characters",
    );
    add(
        "blank-reason.relreq",
        resign(
            K::ReleaseRequest,
            edit(
                &json(&release_request),
                "hardware replaced: main board failed",
                " ",
            ),
            &inst,
        ),
        K::ReleaseRequest,
        Some("invalid_content"),
        "a blank reason",
    );
    let mut vpub_other = vpub.clone();
    vpub_other.public_key = B64.encode(other_vendor_key().verifying_key().as_bytes());
    add(
        "other-key.vpub",
        sealed(K::VendorPublicKey, &vpub_other, vendor).into(),
        K::VendorPublicKey,
        Some("invalid_content"),
        "a vendor public key file that carries another key than its signer",
    );

    // Usage journals.
    let mut broken = the_journal.clone();
    broken.entries.remove(1);
    for (i, e) in broken.entries.iter_mut().enumerate() {
        e.seq = i as u64;
    }
    add(
        "broken-chain.journal",
        sealed(K::UsageJournal, &broken, &inst).into(),
        K::UsageJournal,
        Some("tampered"),
        "an entry removed: the hash chain is broken",
    );
    let mut backwards = the_journal.clone();
    backwards.exported_at = at("2026-01-21T00:00:00Z");
    add(
        "exported-before-last-entry.journal",
        sealed(K::UsageJournal, &backwards, &inst).into(),
        K::UsageJournal,
        Some("tampered"),
        "exported before its last entry: the clock runs backwards",
    );
    let other = other_installation_key();
    add(
        "other-installation.journal",
        sealed(
            K::UsageJournal,
            &journal(&response, &v.hardware, &other),
            &other,
        )
        .into(),
        K::UsageJournal,
        Some("tampered"),
        "signed by another installation key than the one certified",
    );
    let untrusted_activation = sealed(K::ActivationResponse, &v.response, &other_vendor_key());
    add(
        "untrusted-activation.journal",
        sealed(
            K::UsageJournal,
            &journal(&untrusted_activation, &v.hardware, &inst),
            &inst,
        )
        .into(),
        K::UsageJournal,
        Some("untrusted_key"),
        "its activation is signed by a vendor key nobody trusts",
    );
    add(
        "activation-not-a-response.journal",
        sealed(K::UsageJournal, &journal(&base, &v.hardware, &inst), &inst).into(),
        K::UsageJournal,
        Some("invalid_content"),
        "its activation is a base certificate",
    );
    add(
        "bad-signature.journal",
        flip_signature(&journal_text, 33, 0x10).into(),
        K::UsageJournal,
        Some("bad_signature"),
        "a journal whose signature was changed",
    );
    out
}

/// The manifest `vectors.json` of `vectors`, with the keys needed to check them.
pub fn manifest(vectors: &[Vector], vendor: &SigningKey) -> String {
    let files: Vec<serde_json::Value> = vectors
        .iter()
        .map(|v| {
            serde_json::json!({
                "file": v.file,
                "kind": v.kind.tag(),
                "verdict": if v.code.is_some() { "invalid" } else { "valid" },
                "code": v.code,
                "reason": v.reason,
            })
        })
        .collect();
    let doc = serde_json::json!({
        "format": 1,
        "about": "Test vectors of docs/FORMAT.md, made by tests/src/bin/make-format-vectors.rs; do not edit by hand.",
        "trusted_vendor_key": B64.encode(vendor.verifying_key().as_bytes()),
        "installation_key": B64.encode(installation_key().verifying_key().as_bytes()),
        "untrusted_vendor_key": B64.encode(other_vendor_key().verifying_key().as_bytes()),
        "vectors": files,
    });
    let mut text = serde_json::to_string_pretty(&doc).unwrap_or_default();
    text.push('\n');
    text
}

/// Writes the vectors and their manifest into `dir`, replacing what is there.
pub fn write(dir: &std::path::Path, vendor: &SigningKey) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let all = vectors(vendor);
    for v in &all {
        std::fs::write(dir.join(&v.file), &v.bytes)?;
    }
    std::fs::write(dir.join("vectors.json"), manifest(&all, vendor))
}
