//! The licenses list as the shells ask for it: what each license needs, as of the desk's time
//! (a standby's journal becomes overdue as time passes, R12), how many licenses of the store
//! need attention, and only those when asked — in the order asked.

#![allow(clippy::unwrap_used)] // tests state their expectations by unwrapping

#[path = "common/engine.rs"]
mod engine;

use std::sync::Arc;

use licdesk_core::{
    seal, standby_entitlements, ActivationResponse, Attention, BaseCertificate,
    FailoverCertificate, FileKind, Hardware, HardwareId, KeyId, LicenseNumber, LicenseProduct,
    LoadLimits, Role, SigningKey, StandbyMode, Timestamp, Variant, VendorPublicKey,
    FAILOVER_ARTICLE, STANDBY_NOTICE,
};
use licdesk_desk::{
    Desk, FixedClock, ImportStatus, LicensePage, ListOrder, ListRequest, MachineChoice,
};

const ISSUED: i64 = 1_790_000_000;
const ACTIVATED: i64 = ISSUED + 100;

fn certificate(seed: u8, customer: &str, variant: Variant) -> BaseCertificate {
    BaseCertificate {
        license: LicenseNumber::from_random(LicenseProduct::Suite, [seed, 8, 7, 6, 5]),
        revision: 1,
        customer: customer.into(),
        variant,
        extensions: vec![],
        issued_at: Timestamp::from_unix(ISSUED),
    }
}

fn imported(desk: &mut Desk, text: &str) {
    let outcome = desk.import_bytes("file", text.as_bytes());
    assert_ne!(outcome.status, ImportStatus::Refused, "{}", outcome.message);
}

fn page(desk: &Desk, needs_attention: bool, order: ListOrder, descending: bool) -> LicensePage {
    desk.list_page(&ListRequest {
        filter: "",
        needs_attention,
        order,
        descending,
        offset: 0,
        limit: 50,
    })
    .unwrap()
}

fn customers(page: &LicensePage) -> Vec<&str> {
    page.rows.iter().map(|r| r.customer.as_str()).collect()
}

#[test]
fn a_standby_waits_for_the_vendor_then_its_journal_falls_due_a_day_after_its_activation_r12() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(FixedClock::at(Timestamp::from_unix(ISSUED + 50)));
    let mut desk = engine::test_desk(dir.path(), "listing").with_clock(clock.clone());
    let vendor = SigningKey::from_bytes(&[42; 32]);
    let public = vendor.verifying_key();
    let vpub = dir.path().join("vendor.vpub");
    let key = VendorPublicKey {
        key_id: KeyId::of_public_key(&public),
        public_key: licdesk_core::trust::encode_public_key(&public),
        vendor: "Test Vendor".into(),
        created_at: Timestamp::from_unix(ISSUED),
    };
    std::fs::write(&vpub, seal(FileKind::VendorPublicKey, &key, &vendor)).unwrap();
    desk.trust_add(&vpub).unwrap();

    let base = certificate(1, "Kunde 10", Variant::Users25);
    let failover = LicenseNumber::from_random(LicenseProduct::FailoverSuite, [1, 1, 2, 3, 5]);
    let fo = FailoverCertificate {
        license: failover.clone(),
        article: FAILOVER_ARTICLE.into(),
        base_license: base.license.clone(),
        issued_at: Timestamp::from_unix(ISSUED),
    };
    imported(&mut desk, &seal(FileKind::BaseCertificate, &base, &vendor));
    imported(
        &mut desk,
        &seal(FileKind::FailoverCertificate, &fo, &vendor),
    );
    for (seed, name, variant) in [
        (2, "Kunde 2", Variant::Unlimited),
        (3, "kunde 1", Variant::Users10),
    ] {
        let other = certificate(seed, name, variant);
        imported(&mut desk, &seal(FileKind::BaseCertificate, &other, &vendor));
    }
    assert_eq!(
        page(&desk, false, ListOrder::Customer, false).attention_total,
        0
    );
    assert!(page(&desk, true, ListOrder::Customer, false)
        .rows
        .is_empty());

    // The standby registered from its hardware-ID file and its request exported: the vendor's
    // turn.
    let standby = Hardware::from_code(HardwareId::from_digest(b"listing standby"));
    let installation = SigningKey::from_bytes(&[77; 32]);
    let hwid_file = seal(
        FileKind::HardwareId,
        &licdesk_core::model::HardwareIdFile {
            hardware: standby.clone(),
            created_at: Timestamp::from_unix(ISSUED + 10),
        },
        &installation,
    );
    desk.register_standby(
        &failover,
        &MachineChoice::FileContent(hwid_file.into_bytes()),
        StandbyMode::Hot,
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
    let waiting = page(&desk, true, ListOrder::Customer, false);
    assert_eq!((waiting.total, waiting.attention_total), (1, 1));
    assert_eq!(customers(&waiting), ["Kunde 10"]);
    assert!(matches!(
        waiting.rows[0].attention[..],
        [Attention::WaitingForVendor {
            role: Role::Standby,
            ..
        }]
    ));

    // Activated: nothing is needed while its first journal is not due.
    let response = ActivationResponse {
        request_nonce: request.nonce.clone(),
        license: failover.clone(),
        role: Role::Standby,
        hardware: standby.clone(),
        mirrors: base.license.clone(),
        base_revision: 1,
        mode: Some(StandbyMode::Hot),
        entitlements: standby_entitlements(&base, &failover),
        entitlement_digest: base.entitlement_digest(),
        notice: Some(STANDBY_NOTICE.into()),
        limits: Some(LoadLimits::default()),
        installation_key: Some(licdesk_core::InstallationKey::of(
            &installation.verifying_key(),
        )),
        activated_at: Timestamp::from_unix(ACTIVATED),
        serial: None,
    };
    clock.set(Timestamp::from_unix(ACTIVATED + 60));
    imported(
        &mut desk,
        &seal(FileKind::ActivationResponse, &response, &vendor),
    );
    clock.set(Timestamp::from_unix(ACTIVATED + 23 * 3600));
    let all = page(&desk, false, ListOrder::Customer, false);
    assert_eq!(all.attention_total, 0);
    assert!(all.rows.iter().all(|r| r.attention.is_empty()));
    // The list's last change is the activation's, its FailoverSuite's audit entry.
    let row = all.rows.iter().find(|r| r.license == base.license).unwrap();
    assert_eq!(row.changed_at, Some(Timestamp::from_unix(ACTIVATED + 60)));

    // A day and an hour later no journal came: it is overdue, as monitoring says.
    clock.set(Timestamp::from_unix(ACTIVATED + 25 * 3600));
    let due = page(&desk, true, ListOrder::Customer, false);
    assert_eq!((due.total, due.attention_total), (1, 1));
    assert_eq!(
        due.rows[0].attention,
        [Attention::StaleJournal {
            failover: failover.clone(),
            since: Timestamp::from_unix(ACTIVATED)
        }]
    );
    let detail = desk.show(&failover).unwrap();
    assert_eq!(detail.summary.attention, due.rows[0].attention);

    // Every license, in the orders asked: natural by customer, by size of the variant.
    assert_eq!(
        customers(&page(&desk, false, ListOrder::Customer, false)),
        ["kunde 1", "Kunde 2", "Kunde 10"]
    );
    assert_eq!(
        customers(&page(&desk, false, ListOrder::Users, true)),
        ["Kunde 2", "Kunde 10", "kunde 1"]
    );
}
