//! Property tests of the desk's import of signed hostile content: files of every vendor kind (and
//! usage journals, hardware-ID files and vendor keys) whose content is whatever the signer chose,
//! sealed with a key the desk trusts. No import panics; a refused file leaves the store exactly as
//! it was; and whatever was accepted can still be listed, shown and checked.
//!
//! The number of cases comes from `PROPTEST_CASES` when set (`make fuzz` runs many); failures are
//! kept as seeds in this crate's `proptest-regressions/fuzz_import.txt`.

#![allow(clippy::unwrap_used)] // tests state their expectations by unwrapping

#[path = "common/engine.rs"]
mod engine;

use std::cell::{Cell, RefCell};

use licdesk_core::model::{HardwareIdFile, Release, VendorPublicKey};
use licdesk_core::usage::{chain_hash, JournalEntry, UsageJournal, UsageState, GENESIS};
use licdesk_core::{
    seal, standby_entitlements, trust, ActivationResponse, BaseCertificate, FailoverCertificate,
    FileKind, Hardware, HardwareId, KeyId, LicenseNumber, LicenseProduct, LoadLimits, Role,
    SigningKey, StandbyMode, Timestamp, Variant, FAILOVER_ARTICLE, STANDBY_NOTICE,
};
use licdesk_desk::{
    Desk, ErrorCode, IfExists, ImportOutcome, ImportStatus, MachineChoice, MAX_PAGE,
};
use licdesk_store::Queries;
use proptest::prelude::*;
use proptest::test_runner::TestRunner;

#[path = "../../core/tests/hostile/mod.rs"]
mod hostile;
use hostile::*;

const REGRESSIONS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/proptest-regressions/fuzz_import.txt"
);

fn vendor() -> SigningKey {
    SigningKey::from_bytes(&[42; 32])
}

fn installation() -> SigningKey {
    SigningKey::from_bytes(&[77; 32])
}

fn at(offset: i64) -> Timestamp {
    Timestamp::from_unix(1_790_000_000 + offset)
}

fn base() -> BaseCertificate {
    BaseCertificate {
        license: LicenseNumber::from_random(LicenseProduct::Suite, [9, 8, 7, 6, 5]),
        revision: 1,
        customer: "Fuzz Import AG".into(),
        variant: Variant::Users25,
        extensions: vec![licdesk_core::Extension {
            article: "XOM.11000".into(),
            name: "Fax Gateway".into(),
            quantity: 2,
        }],
        issued_at: at(0),
    }
}

fn failover() -> FailoverCertificate {
    FailoverCertificate {
        license: LicenseNumber::from_random(LicenseProduct::FailoverSuite, [1, 1, 2, 3, 5]),
        article: FAILOVER_ARTICLE.into(),
        base_license: base().license,
        issued_at: at(10),
    }
}

fn standby() -> Hardware {
    Hardware::from_code(HardwareId::from_digest(b"fuzz import standby"))
}

/// A desk holding a base license, its FailoverSuite and a standby waiting for its response.
struct World {
    dir: tempfile::TempDir,
    desk: Desk,
    nonce: String,
}

fn world() -> World {
    let dir = tempfile::tempdir().unwrap();
    let mut desk = engine::test_desk(dir.path(), "fuzz_import");
    let public = vendor().verifying_key();
    let vpub = dir.path().join("vendor.vpub");
    std::fs::write(
        &vpub,
        seal(
            FileKind::VendorPublicKey,
            &VendorPublicKey {
                key_id: KeyId::of_public_key(&public),
                public_key: trust::encode_public_key(&public),
                vendor: "Fuzz Vendor".into(),
                created_at: at(0),
            },
            &vendor(),
        ),
    )
    .unwrap();
    desk.trust_add(&vpub).unwrap();
    for text in [
        seal(FileKind::BaseCertificate, &base(), &vendor()),
        seal(FileKind::FailoverCertificate, &failover(), &vendor()),
    ] {
        let outcome = desk.import_bytes("cert", text.as_bytes());
        assert_eq!(
            outcome.status,
            ImportStatus::Imported,
            "{}",
            outcome.message
        );
    }
    desk.register_standby(
        &failover().license,
        &MachineChoice::FileContent(hwid_file(&standby()).into_bytes()),
        StandbyMode::Cold,
    )
    .unwrap();
    let request = desk
        .write_request(
            &failover().license,
            Role::Standby,
            None,
            &dir.path().join("req.actreq"),
            IfExists::Refuse,
        )
        .unwrap();
    World {
        dir,
        desk,
        nonce: request.nonce,
    }
}

fn hwid_file(hardware: &Hardware) -> String {
    seal(
        FileKind::HardwareId,
        &HardwareIdFile {
            hardware: hardware.clone(),
            created_at: at(50),
        },
        &installation(),
    )
}

fn response(nonce: &str) -> ActivationResponse {
    ActivationResponse {
        request_nonce: nonce.into(),
        license: failover().license,
        role: Role::Standby,
        hardware: standby(),
        mirrors: base().license,
        base_revision: 1,
        mode: Some(StandbyMode::Cold),
        entitlements: standby_entitlements(&base(), &failover().license),
        entitlement_digest: base().entitlement_digest(),
        notice: Some(STANDBY_NOTICE.into()),
        limits: Some(LoadLimits::default()),
        installation_key: Some(licdesk_core::InstallationKey::of(
            &installation().verifying_key(),
        )),
        activated_at: at(100),
        serial: None,
    }
}

fn journal(nonce: &str) -> UsageJournal {
    let mut previous = GENESIS.to_string();
    let entries = [(3600, UsageState::Load), (50 * 3600, UsageState::Idle)]
        .iter()
        .enumerate()
        .map(|(i, &(offset, state))| {
            let hash = chain_hash(&previous, i as u64, at(offset), state);
            previous.clone_from(&hash);
            JournalEntry {
                seq: i as u64,
                at: at(offset),
                state,
                hash,
            }
        })
        .collect();
    UsageJournal {
        failover: failover().license,
        hardware_id: standby().id,
        installation_key: licdesk_core::InstallationKey::of(&installation().verifying_key()),
        exported_at: at(60 * 3600),
        entries,
        activation: seal(FileKind::ActivationResponse, &response(nonce), &vendor()),
    }
}

/// Genuine files the desk imports, to start hostile ones from.
fn import_seeds(nonce: &str) -> Vec<Seed> {
    let mut other_base = base();
    other_base.license = LicenseNumber::from_random(LicenseProduct::Suite, [3, 3, 3, 3, 3]);
    let mut upgrade = base();
    upgrade.revision = 2;
    upgrade.variant = Variant::Unlimited;
    let mut other_failover = failover();
    other_failover.license = LicenseNumber::from_random(LicenseProduct::FailoverSuite, [4; 5]);
    vec![
        Seed::new(FileKind::BaseCertificate, &other_base, vendor()),
        Seed::new(FileKind::BaseCertificate, &upgrade, vendor()),
        Seed::new(FileKind::FailoverCertificate, &other_failover, vendor()),
        Seed::new(FileKind::ActivationResponse, &response(nonce), vendor()),
        Seed::new(
            FileKind::ActivationResponse,
            &response(&"ab".repeat(32)),
            vendor(),
        ),
        Seed::new(
            FileKind::Release,
            &Release {
                request_nonce: nonce.into(),
                failover: failover().license,
                hardware_id: standby().id,
                released_at: at(500),
                serial: None,
            },
            vendor(),
        ),
        Seed::new(FileKind::UsageJournal, &journal(nonce), installation()),
    ]
}

/// Imports `bytes`; a refusal must leave the store as it was, and the desk must still answer.
fn import_and_check(desk: &mut Desk, bytes: &[u8]) -> ImportOutcome {
    let before = desk.store().dump().unwrap();
    let outcome = desk.import_bytes("hostile", bytes);
    assert!(!outcome.message.is_empty(), "{outcome:?}");
    if outcome.status == ImportStatus::Refused {
        let code = outcome.error.as_ref().map(|e| e.code);
        // A journal whose own signature fails is refused and recorded for monitoring.
        if code != Some(ErrorCode::BadSignature) {
            assert_eq!(
                desk.store().dump().unwrap(),
                before,
                "a refused file changed the store: {}",
                outcome.message
            );
        }
    }
    use_desk(desk, outcome.license.as_ref());
    outcome
}

/// What the shells do after an import: list, show, check, print as JSON.
fn use_desk(desk: &Desk, license: Option<&LicenseNumber>) {
    let page = desk.list("", 0, MAX_PAGE).unwrap();
    for row in &page.rows {
        let _ = serde_json::to_string(row).unwrap();
    }
    let _ = desk.list("ä😀%_'\"", 0, 10).unwrap();
    for l in license
        .into_iter()
        .chain([&base().license, &failover().license])
    {
        if let Ok(detail) = desk.show(l) {
            let _ = serde_json::to_string(&detail).unwrap();
        }
    }
    let report = desk.check().unwrap();
    let _ = serde_json::to_string(&report).unwrap();
    let _ = desk.clock_behind().unwrap();
}

/// Runs `property` over `strategy` with one desk for many cases (so accepted hostile content
/// stays in the store for the cases after it); a fresh desk every 500 cases keeps the store, and
/// the dump compared at each case, small.
fn run_on_one_desk<S: Strategy>(
    default_cases: u32,
    strategy: S,
    property: impl Fn(&mut World, S::Value),
) {
    let world = RefCell::new(world());
    let cases = Cell::new(0u32);
    let mut config = config(default_cases, REGRESSIONS);
    config.source_file = Some(file!());
    let mut runner = TestRunner::new(config);
    let result = runner.run(&strategy, |value| {
        cases.set(cases.get() + 1);
        if cases.get().is_multiple_of(500) {
            *world.borrow_mut() = self::world();
        }
        property(&mut world.borrow_mut(), value);
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
}

fn seed_and_edits() -> impl Strategy<Value = (usize, Vec<JsonEdit>)> {
    (0usize..7, prop::collection::vec(json_edit(), 1..4))
}

#[test]
fn signed_hostile_vendor_files_and_journals_never_panic_and_refusals_change_nothing() {
    run_on_one_desk(256, seed_and_edits(), |w, (which, edits)| {
        let seed = import_seeds(&w.nonce).swap_remove(which);
        let mut value = seed.value.clone();
        for e in &edits {
            apply_edit(&mut value, e);
        }
        import_and_check(&mut w.desk, seed.seal(&value).as_bytes());
    });
}

#[test]
fn damaged_vendor_files_never_panic_and_change_nothing() {
    let strategy = (0usize..7, prop::collection::vec(byte_edit(7), 1..4));
    run_on_one_desk(128, strategy, |w, (which, edits)| {
        let files: Vec<Vec<u8>> = import_seeds(&w.nonce)
            .iter()
            .map(|s| s.seal(&s.value).into_bytes())
            .collect();
        let mut bytes = files[which].clone();
        for e in &edits {
            apply_byte_edit(&mut bytes, e, &files);
        }
        import_and_check(&mut w.desk, &bytes);
    });
}

#[test]
fn hostile_files_through_the_bulk_import_never_panic() {
    let strategy = prop::collection::vec(seed_and_edits(), 1..6);
    run_on_one_desk(48, strategy, |w, files| {
        let seeds = import_seeds(&w.nonce);
        let batch: Vec<(String, Result<Vec<u8>, licdesk_desk::DeskError>)> = files
            .iter()
            .enumerate()
            .map(|(i, (which, edits))| {
                let seed = &seeds[*which];
                let mut value = seed.value.clone();
                for e in edits {
                    apply_edit(&mut value, e);
                }
                (format!("file-{i}"), Ok(seed.seal(&value).into_bytes()))
            })
            .collect();
        let before = w.desk.store().dump().unwrap();
        let outcomes = w.desk.import_many(batch);
        assert_eq!(outcomes.len(), files.len());
        let all_refused = outcomes.iter().all(|o| {
            o.status == ImportStatus::Refused
                && o.error.as_ref().map(|e| e.code) != Some(ErrorCode::BadSignature)
        });
        if all_refused {
            assert_eq!(w.desk.store().dump().unwrap(), before, "{outcomes:?}");
        }
        use_desk(&w.desk, None);
    });
}

#[test]
fn hostile_hardware_ids_and_vendor_keys_never_panic_and_refusals_change_nothing() {
    let hwid_seed = Seed::new(
        FileKind::HardwareId,
        &HardwareIdFile {
            hardware: Hardware::from_code(HardwareId::from_digest(b"another standby")),
            created_at: at(50),
        },
        installation(),
    );
    let stranger = SigningKey::from_bytes(&[5; 32]);
    let vpub_seed = Seed::new(
        FileKind::VendorPublicKey,
        &VendorPublicKey {
            key_id: KeyId::of_public_key(&stranger.verifying_key()),
            public_key: trust::encode_public_key(&stranger.verifying_key()),
            vendor: "Stranger".into(),
            created_at: at(0),
        },
        stranger,
    );
    let strategy = (
        0u8..3,
        prop::collection::vec(json_edit(), 0..3),
        hostile_string(),
    );
    run_on_one_desk(128, strategy, |w, (what, edits, typed)| {
        let before = w.desk.store().dump().unwrap();
        let failed = match what {
            0 => {
                let mut value = hwid_seed.value.clone();
                edits.iter().for_each(|e| apply_edit(&mut value, e));
                let bytes = hwid_seed.seal(&value).into_bytes();
                let _ = licdesk_desk::hardware_from_file_bytes(&bytes);
                w.desk
                    .register_standby(
                        &failover().license,
                        &MachineChoice::FileContent(bytes),
                        StandbyMode::Hot,
                    )
                    .is_err()
            }
            1 => w
                .desk
                .register_standby(
                    &failover().license,
                    &MachineChoice::Typed(typed),
                    StandbyMode::Test,
                )
                .is_err(),
            _ => {
                let mut value = vpub_seed.value.clone();
                edits.iter().for_each(|e| apply_edit(&mut value, e));
                let path = w.dir.path().join("hostile.vpub");
                std::fs::write(&path, vpub_seed.seal(&value)).unwrap();
                let outcome = w.desk.trust_add(&path);
                if let Ok((view, _)) = &outcome {
                    let _ = serde_json::to_string(view).unwrap();
                }
                outcome.is_err()
            }
        };
        if failed {
            assert_eq!(w.desk.store().dump().unwrap(), before);
        }
        let _ = w.desk.trusted_keys();
        use_desk(&w.desk, None);
    });
}

#[test]
fn a_vendor_signed_response_whose_nonce_has_multibyte_characters_is_refused() {
    let mut w = world();
    // 'é' is two bytes, '€' three: the twelfth byte falls inside a character.
    for nonce in [
        format!("x{}", "é".repeat(40)),
        format!("a{}", "€".repeat(30)),
        "😀".to_string(),
        String::new(),
        format!("{}é", &w.nonce[..11]),
    ] {
        let text = seal(FileKind::ActivationResponse, &response(&nonce), &vendor());
        let outcome = import_and_check(&mut w.desk, text.as_bytes());
        assert_eq!(
            outcome.status,
            ImportStatus::Refused,
            "{nonce}: {}",
            outcome.message
        );
    }
    // The genuine response still activates.
    let text = seal(FileKind::ActivationResponse, &response(&w.nonce), &vendor());
    let outcome = import_and_check(&mut w.desk, text.as_bytes());
    assert_eq!(
        outcome.status,
        ImportStatus::Activated,
        "{}",
        outcome.message
    );
}

#[test]
fn journal_entries_at_the_ends_of_the_time_range_are_refused_or_recorded_without_panic() {
    let mut w = world();
    // The latest time there is lies far ahead of the clock: refused, in a sentence naming it.
    let e = w
        .desk
        .journal_append(UsageState::Load, Some(Timestamp::MAX))
        .unwrap_err();
    assert!(e.message.contains("9999-12-31T23:59:59Z"), "{}", e.message);
    // The earliest is recorded, and the journal goes on from it.
    w.desk
        .journal_append(UsageState::Load, Some(Timestamp::MIN))
        .unwrap();
    w.desk.journal_append(UsageState::Idle, None).unwrap();
    let out = w.dir.path().join("out.journal");
    let exported = w.desk.journal_export(&out, IfExists::Replace);
    if let Ok(j) = exported {
        assert_eq!(j.entries[0].at, Timestamp::MIN);
    }
    use_desk(&w.desk, None);
}
