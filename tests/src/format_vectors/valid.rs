//! The valid payloads and files the vectors are made of, and the valid vector of every kind.

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use licdesk_core::model::{HardwareIdFile, VendorPublicKey};
use licdesk_core::usage::{chain_hash, JournalEntry, UsageJournal, UsageState, GENESIS};
use licdesk_core::{
    ActivationRequest, ActivationResponse, BaseCertificate, Component, ComponentKind, Extension,
    FailoverCertificate, FileKind as K, Hardware, InstallationKey, KeyId, LicenseNumber,
    LicenseProduct, LoadLimits, Release, ReleaseRequest, Role, SigningKey, StandbyMode, Variant,
};

use super::{at, installation_key, sealed, Vectors};

/// The valid payloads the vectors are made of.
pub(super) struct Valid {
    pub(super) base: BaseCertificate,
    pub(super) failover: FailoverCertificate,
    pub(super) hardware: Hardware,
    pub(super) response: ActivationResponse,
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

/// A usage journal of three entries carrying `response_text`, as `key`'s installation.
pub(super) fn journal(response_text: &str, hardware: &Hardware, key: &SigningKey) -> UsageJournal {
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

/// The valid payloads and the files sealed from them, which the invalid vectors change.
pub(super) struct Made {
    pub(super) v: Valid,
    pub(super) inst: SigningKey,
    pub(super) base: String,
    pub(super) failover: String,
    pub(super) response: String,
    pub(super) hwid_file: HardwareIdFile,
    pub(super) hwid: String,
    pub(super) request: ActivationRequest,
    pub(super) request_text: String,
    pub(super) release_request: ReleaseRequest,
    pub(super) release_request_text: String,
    pub(super) release: Release,
    pub(super) release_text: String,
    pub(super) journal: UsageJournal,
    pub(super) journal_text: String,
    pub(super) vpub: VendorPublicKey,
    pub(super) vpub_text: String,
}

impl Made {
    pub(super) fn new(vendor: &SigningKey) -> Made {
        let v = valid();
        let inst = installation_key();
        let base = sealed(K::BaseCertificate, &v.base, vendor);
        let failover = sealed(K::FailoverCertificate, &v.failover, vendor);
        let response = sealed(K::ActivationResponse, &v.response, vendor);
        let hwid_file = HardwareIdFile {
            hardware: v.hardware.clone(),
            created_at: at("2026-01-15T10:00:00Z"),
        };
        let hwid = sealed(K::HardwareId, &hwid_file, &inst);
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
        let journal = journal(&response, &v.hardware, &inst);
        let journal_text = sealed(K::UsageJournal, &journal, &inst);
        let vpub = VendorPublicKey {
            key_id: KeyId::of_public_key(&vendor.verifying_key()),
            public_key: B64.encode(vendor.verifying_key().as_bytes()),
            vendor: "Demo Vendor (DEMO)".into(),
            created_at: at("2026-01-01T00:00:00Z"),
        };
        let vpub_text = sealed(K::VendorPublicKey, &vpub, vendor);
        Made {
            v,
            inst,
            base,
            failover,
            response,
            hwid_file,
            hwid,
            request,
            request_text,
            release_request,
            release_request_text,
            release,
            release_text,
            journal,
            journal_text,
            vpub,
            vpub_text,
        }
    }
}

/// Valid files of every kind.
pub(super) fn add(out: &mut Vectors, m: &Made, vendor: &SigningKey) {
    let v = &m.v;
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
        certificates: vec![m.base.clone()],
        installation_key: None,
        ..m.request.clone()
    };
    let main_request_text = sealed(K::ActivationRequest, &main_request, &m.inst);
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
    out.add(
        "base.lic",
        m.base.clone(),
        K::BaseCertificate,
        None,
        "a base license certificate with an extension",
    );
    out.add(
        "base-crlf.lic",
        m.base.replace('\n', "\r\n"),
        K::BaseCertificate,
        None,
        "CRLF line ends read as LF: the same signed content",
    );
    out.add(
        "base-no-final-line-end.lic",
        m.base.trim_end(),
        K::BaseCertificate,
        None,
        "the final line end is optional",
    );
    out.add(
        "failover.lic",
        m.failover.clone(),
        K::FailoverCertificate,
        None,
        "a FailoverSuite certificate",
    );
    out.add(
        "standby.hwid",
        m.hwid.clone(),
        K::HardwareId,
        None,
        "a hardware-ID file signed by its installation key",
    );
    out.add(
        "standby.actreq",
        m.request_text.clone(),
        K::ActivationRequest,
        None,
        "a standby's activation request with its certificates and installation key",
    );
    out.add(
        "main.actreq",
        main_request_text,
        K::ActivationRequest,
        None,
        "a main system's activation request",
    );
    out.add(
        "standby.actresp",
        m.response.clone(),
        K::ActivationResponse,
        None,
        "a standby's activation response: notice, limits, installation key, serial",
    );
    out.add(
        "main.actresp",
        sealed(K::ActivationResponse, &main_response, vendor),
        K::ActivationResponse,
        None,
        "a main system's response without a serial (omitted when absent)",
    );
    out.add(
        "standby.relreq",
        m.release_request_text.clone(),
        K::ReleaseRequest,
        None,
        "a release request signed by the installation key",
    );
    out.add(
        "standby.release",
        m.release_text.clone(),
        K::Release,
        None,
        "a vendor's standby release",
    );
    out.add(
        "standby.journal",
        m.journal_text.clone(),
        K::UsageJournal,
        None,
        "a usage journal: hash chain, certified installation, its activation inside",
    );
    out.add(
        "demo-vendor.vpub",
        m.vpub_text.clone(),
        K::VendorPublicKey,
        None,
        "the demo vendor's public key file",
    );
}
