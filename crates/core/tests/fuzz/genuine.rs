//! Genuine files of every kind, sealed with fixed keys: the seeds the properties start from.

use licdesk_core::model::{
    standby_notice, HardwareIdFile, Release, ReleaseRequest, VendorPublicKey,
};
use licdesk_core::usage::{chain_hash, JournalEntry, UsageJournal, UsageState, GENESIS};
use licdesk_core::{
    seal, standby_entitlements, trust, ActivationRequest, ActivationResponse, BaseCertificate,
    Component, ComponentKind, Extension, FailoverCertificate, FileKind, Hardware, KeyId,
    LicenseNumber, LicenseProduct, LoadLimits, Role, SigningKey, StandbyMode, Timestamp,
    TrustStore, Variant,
};

use crate::hostile::Seed;

pub(crate) fn vendor() -> SigningKey {
    SigningKey::from_bytes(&[42; 32])
}

pub(crate) fn installation() -> SigningKey {
    SigningKey::from_bytes(&[77; 32])
}

pub(crate) fn trust() -> TrustStore {
    TrustStore::built_in().with_added("Fuzz Vendor".into(), vendor().verifying_key())
}

pub(crate) const REGRESSIONS: &str =
    concat!(env!("CARGO_MANIFEST_DIR"), "/proptest-regressions/fuzz.txt");

pub(crate) const T0: i64 = 1_790_000_000;

pub(crate) fn at(offset: i64) -> Timestamp {
    Timestamp::from_unix(T0 + offset)
}

pub(crate) fn base() -> BaseCertificate {
    BaseCertificate {
        license: LicenseNumber::from_random(LicenseProduct::Suite, [9, 8, 7, 6, 5]),
        revision: 2,
        customer: "Müller & Söhne <b>GmbH</b>".into(),
        variant: Variant::Users250,
        extensions: vec![
            Extension::parse_spec("XOM.11000:Fax Gateway:2").unwrap(),
            Extension::parse_spec("XOM.12000:Übersetzung:1").unwrap(),
        ],
        issued_at: at(0),
    }
}

pub(crate) fn failover() -> FailoverCertificate {
    FailoverCertificate {
        license: LicenseNumber::from_random(LicenseProduct::FailoverSuite, [1, 1, 2, 3, 5]),
        article: licdesk_core::FAILOVER_ARTICLE.into(),
        base_license: base().license,
        issued_at: at(10),
    }
}

pub(crate) fn hardware() -> Hardware {
    Hardware::from_components(
        vec![
            Component::from_raw(ComponentKind::MachineId, "machine-1"),
            Component::from_raw(ComponentKind::Cpu, "xeon x8"),
            Component::from_raw(ComponentKind::Nic, "52:54:00:12:34:56"),
        ],
        Some("standby-ä".into()),
    )
}

pub(crate) fn installation_key() -> String {
    trust::encode_public_key(&installation().verifying_key())
}

pub(crate) const NONCE: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

pub(crate) fn request() -> ActivationRequest {
    ActivationRequest {
        nonce: NONCE.into(),
        created_at: at(50),
        license: failover().license,
        role: Role::Standby,
        hardware: hardware(),
        mirrors: base().license,
        mode: Some(StandbyMode::Hot),
        certificates: vec![
            seal(FileKind::BaseCertificate, &base(), &vendor()),
            seal(FileKind::FailoverCertificate, &failover(), &vendor()),
        ],
        installation_key: Some(installation_key().into()),
    }
}

pub(crate) fn response() -> ActivationResponse {
    ActivationResponse {
        request_nonce: NONCE.into(),
        license: failover().license,
        role: Role::Standby,
        hardware: hardware(),
        mirrors: base().license,
        base_revision: 2,
        mode: Some(StandbyMode::Hot),
        entitlements: standby_entitlements(&base(), &failover().license),
        entitlement_digest: base().entitlement_digest(),
        notice: Some(standby_notice(&LoadLimits::default())),
        limits: Some(LoadLimits::default()),
        installation_key: Some(installation_key().into()),
        activated_at: at(100),
        serial: None,
    }
}

pub(crate) fn journal_entries(times: &[(i64, UsageState)]) -> Vec<JournalEntry> {
    let mut previous = GENESIS.to_string();
    times
        .iter()
        .enumerate()
        .map(|(i, &(unix, state))| {
            let at = Timestamp::from_unix(unix);
            let hash = chain_hash(&previous, i as u64, at, state);
            previous.clone_from(&hash);
            JournalEntry {
                seq: i as u64,
                at,
                state,
                hash,
            }
        })
        .collect()
}

pub(crate) fn journal() -> UsageJournal {
    UsageJournal {
        failover: failover().license,
        hardware_id: hardware().id,
        installation_key: installation_key().into(),
        exported_at: at(200 * 3600),
        entries: journal_entries(&[
            (T0 + 3600, UsageState::Load),
            (T0 + 50 * 3600, UsageState::Idle),
            (T0 + 60 * 3600, UsageState::Load),
        ]),
        activation: seal(FileKind::ActivationResponse, &response(), &vendor()),
    }
}

/// The genuine payload of every kind.
pub(crate) fn seeds() -> Vec<Seed> {
    let vpub = VendorPublicKey {
        key_id: KeyId::of_public_key(&vendor().verifying_key()),
        public_key: trust::encode_public_key(&vendor().verifying_key()),
        vendor: "Fuzz Vendor".into(),
        created_at: at(0),
    };
    vec![
        Seed::new(FileKind::BaseCertificate, &base(), vendor()),
        Seed::new(FileKind::FailoverCertificate, &failover(), vendor()),
        Seed::new(
            FileKind::HardwareId,
            &HardwareIdFile {
                hardware: hardware(),
                created_at: at(20),
            },
            installation(),
        ),
        Seed::new(FileKind::ActivationRequest, &request(), installation()),
        Seed::new(FileKind::ActivationResponse, &response(), vendor()),
        Seed::new(FileKind::VendorPublicKey, &vpub, vendor()),
        Seed::new(FileKind::UsageJournal, &journal(), installation()),
        Seed::new(
            FileKind::ReleaseRequest,
            &ReleaseRequest {
                nonce: NONCE.into(),
                created_at: at(300),
                failover: failover().license,
                hardware: hardware(),
                reason: "the main board failed".into(),
            },
            installation(),
        ),
        Seed::new(
            FileKind::Release,
            &Release {
                request_nonce: NONCE.into(),
                failover: failover().license,
                hardware_id: hardware().id,
                released_at: at(400),
                serial: None,
            },
            vendor(),
        ),
    ]
}

pub(crate) fn genuine_files() -> Vec<Vec<u8>> {
    seeds()
        .iter()
        .map(|s| s.seal(&s.value).into_bytes())
        .collect()
}
