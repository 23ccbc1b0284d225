//! The vendor tool: keys, certificates, and activation decisions against the ledger.

#![allow(clippy::unwrap_used)] // tests state their expectations by unwrapping

use std::path::Path;
use std::process::Command;

use licdesk_core::{
    seal, ActivationRequest, Component, ComponentKind, Envelope, FileKind, Hardware, LicenseNumber,
    Role, SigningKey, StandbyMode, Timestamp, Variant,
};
use licdesk_issuer::{
    activate, issue_base, issue_failover, keygen, IfExists, IssuerError, VendorKey,
};
use licdesk_store::ledger::Ledger;

fn issuer(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_licdesk-issuer"))
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn machine(name: &str) -> Hardware {
    Hardware::from_components(
        vec![
            Component::from_raw(ComponentKind::MachineId, name),
            Component::from_raw(ComponentKind::Nic, &format!("{name}-nic")),
        ],
        Some(name.into()),
    )
}

struct Vendor {
    _dir: tempfile::TempDir,
    key: VendorKey,
    ledger: Ledger,
}

fn vendor() -> Vendor {
    let dir = tempfile::tempdir().unwrap();
    let key = keygen(&dir.path().join("v.key"), "Vendor", IfExists::Refuse).unwrap();
    let ledger = Ledger::open(&dir.path().join("ledger.sqlite")).unwrap();
    Vendor {
        _dir: dir,
        key,
        ledger,
    }
}

/// The installation key of the desks these tests play (a standby request carries it).
fn desk_key() -> SigningKey {
    SigningKey::from_bytes(&[5; 32])
}

fn request(
    certs: &[&str],
    license: &LicenseNumber,
    role: Role,
    mirrors: &LicenseNumber,
    hw: &Hardware,
) -> Vec<u8> {
    request_with_key(
        certs,
        license,
        role,
        mirrors,
        hw,
        (role == Role::Standby).then(desk_key),
    )
}

fn request_with_key(
    certs: &[&str],
    license: &LicenseNumber,
    role: Role,
    mirrors: &LicenseNumber,
    hw: &Hardware,
    installation: Option<SigningKey>,
) -> Vec<u8> {
    let req = ActivationRequest {
        nonce: format!("{:064x}", rand_nonce()),
        created_at: Timestamp::from_unix(1_790_000_000),
        license: license.clone(),
        role,
        hardware: hw.clone(),
        mirrors: mirrors.clone(),
        mode: (role == Role::Standby).then_some(StandbyMode::Cold),
        certificates: certs.iter().map(|c| c.to_string()).collect(),
        installation_key: installation
            .as_ref()
            .map(|k| licdesk_core::InstallationKey::of(&k.verifying_key())),
    };
    seal(
        FileKind::ActivationRequest,
        &req,
        installation.as_ref().unwrap_or(&desk_key()),
    )
    .into_bytes()
}

fn rand_nonce() -> u128 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(1);
    u128::from(N.fetch_add(1, Ordering::SeqCst)) * 0x9e37_79b9_7f4a_7c15
}

#[test]
fn keygen_writes_a_private_key_only_its_owner_can_read_and_never_overwrites() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("vendor.key");
    let k = key.to_str().unwrap();
    // An output never written: each command here is refused first.
    let nowhere = dir.path().join("never-written");
    let nowhere = nowhere.to_str().unwrap();
    let (code, out, err) = issuer(&["--json", "keygen", "--out", k]);
    assert_eq!(code, 0, "{err}");
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert!(json["key_id"].as_str().unwrap().starts_with("vk-"));
    let mode = std::fs::metadata(&key).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
    assert!(dir.path().join("vendor.vpub").exists());
    let before = std::fs::read(&key).unwrap();
    let (code, _, err) = issuer(&["keygen", "--out", k]);
    assert_ne!(code, 0);
    assert!(
        err.contains("already exists") && err.contains("--force"),
        "{err}"
    );
    assert_eq!(std::fs::read(&key).unwrap(), before);
    // A key others can read is refused.
    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o644)).unwrap();
    let (code, _, err) = issuer(&[
        "issue",
        "--key",
        k,
        "--customer",
        "X",
        "--users",
        "10",
        "--out",
        nowhere,
    ]);
    assert_ne!(code, 0);
    assert!(err.contains("chmod 600"), "{err}");
}

#[test]
fn every_variant_is_issued_with_and_without_extensions_r1() {
    let v = vendor();
    for variant in Variant::ALL {
        for extensions in [
            vec![],
            vec![licdesk_core::Extension::parse_spec("XOM.11000:Fax:2").unwrap()],
        ] {
            let (cert, text) =
                issue_base(&v.key, "Kunde", variant, extensions.clone(), None, 1).unwrap();
            let verified = Envelope::parse(text.as_bytes())
                .unwrap()
                .verify(&v.key.key.verifying_key())
                .unwrap();
            let back: licdesk_core::BaseCertificate = verified.payload().unwrap();
            assert_eq!(back, cert);
            assert_eq!(back.variant, variant);
            assert_eq!(back.extensions, extensions);
        }
    }
}

#[test]
fn bad_arguments_say_what_is_wrong() {
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("v.key");
    keygen(&key, "V", IfExists::Refuse).unwrap();
    let k = key.to_str().unwrap();
    // An output never written: each command here is refused first.
    let nowhere = dir.path().join("never-written");
    let nowhere = nowhere.to_str().unwrap();
    for (args, needle) in [
        (
            vec![
                "issue",
                "--key",
                k,
                "--customer",
                "X",
                "--users",
                "50",
                "--out",
                nowhere,
            ],
            "10, 25, 250 or unlimited",
        ),
        (
            vec![
                "issue",
                "--key",
                k,
                "--customer",
                "X",
                "--users",
                "10",
                "--extension",
                "Fax",
                "--out",
                nowhere,
            ],
            "ARTICLE:NAME:QUANTITY",
        ),
        (
            vec![
                "issue",
                "--key",
                k,
                "--customer",
                " ",
                "--users",
                "10",
                "--out",
                nowhere,
            ],
            "customer name is empty",
        ),
        (
            vec![
                "issue-failover",
                "--key",
                k,
                "--base",
                "OMS-AAAA-AAAA-AA",
                "--out",
                nowhere,
            ],
            "check characters",
        ),
        (
            vec![
                "issue-failover",
                "--key",
                k,
                "--base",
                "XFM-0000-0000-0V",
                "--out",
                nowhere,
            ],
            "not",
        ),
    ] {
        let (code, _, err) = issuer(&args);
        assert_ne!(code, 0, "{args:?}");
        assert!(err.contains(needle), "{args:?}: {err}");
    }
}

#[test]
fn the_standby_gets_every_entitlement_of_its_main_system_and_the_notice_r5_r11_r12() {
    let mut v = vendor();
    let (base, bt) = issue_base(
        &v.key,
        "K",
        Variant::Users250,
        vec![licdesk_core::Extension::parse_spec("XOM.1:A:3").unwrap()],
        None,
        1,
    )
    .unwrap();
    let (fo, ft) = issue_failover(&v.key, &base.license).unwrap();
    let req = request(
        &[&bt, &ft],
        &fo.license,
        Role::Standby,
        &base.license,
        &machine("s"),
    );
    let done = activate(&v.key, &mut v.ledger, &req).unwrap();
    let resp: licdesk_core::ActivationResponse = Envelope::parse(done.response.as_bytes())
        .unwrap()
        .verify(&v.key.key.verifying_key())
        .unwrap()
        .payload()
        .unwrap();
    assert_eq!(resp.entitlements.len(), base.entitlements().len() + 1);
    assert!(resp
        .notice
        .unwrap()
        .contains("standby or test operation only"));
    assert_eq!(resp.limits.unwrap().max_load_hours, 120);
    // Re-running the same request gives the same response (idempotent).
    let again = activate(&v.key, &mut v.ledger, &req).unwrap();
    assert!(again.repeated);
    assert_eq!(again.response, done.response);
}

fn refused(v: &mut Vendor, req: &[u8], needle: &str) {
    let before = v.ledger.dump().unwrap();
    let err = activate(&v.key, &mut v.ledger, req).unwrap_err();
    assert!(err.to_string().contains(needle), "{err}");
    assert_eq!(
        v.ledger.dump().unwrap(),
        before,
        "a refusal changed the ledger"
    );
}

#[test]
fn the_ledger_refuses_what_r4_forbids_and_stays_unchanged() {
    let mut v = vendor();
    let (base, bt) = issue_base(&v.key, "K", Variant::Users10, vec![], None, 1).unwrap();
    let (fo1, f1) = issue_failover(&v.key, &base.license).unwrap();
    let (fo2, f2) = issue_failover(&v.key, &base.license).unwrap();
    activate(
        &v.key,
        &mut v.ledger,
        &request(
            &[&bt],
            &base.license,
            Role::Main,
            &base.license,
            &machine("main"),
        ),
    )
    .unwrap();
    // A standby whose hardware is the main system's.
    refused(
        &mut v,
        &request(
            &[&bt, &f1],
            &fo1.license,
            Role::Standby,
            &base.license,
            &machine("main"),
        ),
        "never be a main system",
    );
    activate(
        &v.key,
        &mut v.ledger,
        &request(
            &[&bt, &f1],
            &fo1.license,
            Role::Standby,
            &base.license,
            &machine("s1"),
        ),
    )
    .unwrap();
    // The same standby under a second FailoverSuite.
    refused(
        &mut v,
        &request(
            &[&bt, &f2],
            &fo2.license,
            Role::Standby,
            &base.license,
            &machine("s1"),
        ),
        "already the standby",
    );
    // The first FailoverSuite for a second machine.
    refused(
        &mut v,
        &request(
            &[&bt, &f1],
            &fo1.license,
            Role::Standby,
            &base.license,
            &machine("s2"),
        ),
        "already activated",
    );
    // The standby as a main system.
    refused(
        &mut v,
        &request(
            &[&bt],
            &base.license,
            Role::Main,
            &base.license,
            &machine("s1"),
        ),
        "cannot be a main system",
    );
}

#[test]
fn requests_with_foreign_certificates_flipped_bits_or_too_many_bytes_are_refused() {
    let mut v = vendor();
    let other = vendor();
    let (base, bt) = issue_base(&other.key, "K", Variant::Users10, vec![], None, 1).unwrap();
    refused(
        &mut v,
        &request(
            &[&bt],
            &base.license,
            Role::Main,
            &base.license,
            &machine("m"),
        ),
        other.key.key_id().as_str(),
    );
    let (base, bt) = issue_base(&v.key, "K", Variant::Users10, vec![], None, 1).unwrap();
    let good = request(
        &[&bt],
        &base.license,
        Role::Main,
        &base.license,
        &machine("m"),
    );
    for bit in (0..good.len() * 8).step_by(7) {
        let mut bad = good.clone();
        bad[bit / 8] ^= 1 << (bit % 8);
        let before = v.ledger.dump().unwrap();
        assert!(activate(&v.key, &mut v.ledger, &bad).is_err(), "bit {bit}");
        assert_eq!(v.ledger.dump().unwrap(), before);
    }
    // 50 MB: refused from its size, unread.
    let dir = tempfile::tempdir().unwrap();
    let huge = dir.path().join("huge.actreq");
    std::fs::File::create(&huge)
        .unwrap()
        .set_len(50 << 20)
        .unwrap();
    let err = licdesk_issuer::read_request(&huge).unwrap_err();
    assert!(matches!(
        err,
        IssuerError::RequestTooLarge { len: 52428800, .. }
    ));
    assert!(err.to_string().contains("52428800 bytes"), "{err}");
    assert!(!Path::new(&huge).with_extension("actresp").exists());
}

/// A release request for `failover` on `hw`, signed by `key`.
fn release_request(failover: &LicenseNumber, hw: &Hardware, key: &SigningKey) -> Vec<u8> {
    seal(
        FileKind::ReleaseRequest,
        &licdesk_core::ReleaseRequest {
            nonce: format!("{:064x}", rand_nonce()),
            created_at: Timestamp::from_unix(1_790_000_000),
            failover: failover.clone(),
            hardware: hw.clone(),
            reason: "hardware replaced".into(),
        },
        key,
    )
    .into_bytes()
}

/// A vendor with one base license, one FailoverSuite and its standby "s1" activated with the
/// installation key `desk_key()`.
fn activated_standby() -> (Vendor, LicenseNumber, String, String) {
    let mut v = vendor();
    let (base, bt) = issue_base(&v.key, "K", Variant::Users10, vec![], None, 1).unwrap();
    let (fo, ft) = issue_failover(&v.key, &base.license).unwrap();
    activate(
        &v.key,
        &mut v.ledger,
        &request(
            &[&bt, &ft],
            &fo.license,
            Role::Standby,
            &base.license,
            &machine("s1"),
        ),
    )
    .unwrap();
    (v, fo.license, bt, ft)
}

#[test]
fn a_standby_request_without_an_installation_key_is_refused_r4() {
    let mut v = vendor();
    let (base, bt) = issue_base(&v.key, "K", Variant::Users10, vec![], None, 1).unwrap();
    let (fo, ft) = issue_failover(&v.key, &base.license).unwrap();
    refused(
        &mut v,
        &request_with_key(
            &[&bt, &ft],
            &fo.license,
            Role::Standby,
            &base.license,
            &machine("s1"),
            None,
        ),
        "carries no installation key",
    );
}

#[test]
fn only_the_certified_installation_can_release_its_standby_r4() {
    let (mut v, fo, _, _) = activated_standby();
    // Anyone who knows the FailoverSuite number and the standby's hardware can write a release
    // request; signed by another desk's key, it is refused and the ledger stays as it was.
    let stranger = SigningKey::from_bytes(&[6; 32]);
    let forged = release_request(&fo, &machine("s1"), &stranger);
    let before = v.ledger.dump().unwrap();
    let err = licdesk_issuer::release(&v.key, &mut v.ledger, &forged).unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains(licdesk_core::KeyId::of_public_key(&stranger.verifying_key()).as_str())
            && text
                .contains(licdesk_core::KeyId::of_public_key(&desk_key().verifying_key()).as_str()),
        "the message names both keys: {text}"
    );
    assert!(text.contains("by hand"), "{text}");
    assert_eq!(
        v.ledger.dump().unwrap(),
        before,
        "a refusal changed the ledger"
    );
    // Signed by the certified installation key, the release frees it.
    let genuine = release_request(&fo, &machine("s1"), &desk_key());
    let (release, _) = licdesk_issuer::release(&v.key, &mut v.ledger, &genuine).unwrap();
    assert_eq!(release.failover, fo);
    assert_eq!(release.hardware_id, machine("s1").id);
    assert_ne!(v.ledger.dump().unwrap(), before);
    // Nothing is held any more: a second release request finds nothing to release.
    let again = release_request(&fo, &machine("s1"), &desk_key());
    let err = licdesk_issuer::release(&v.key, &mut v.ledger, &again).unwrap_err();
    assert!(err.to_string().contains("nothing to release"), "{err}");
}

#[test]
fn an_activation_recorded_before_the_ledger_kept_installation_keys_is_released_by_its_key_only() {
    let (mut v, fo, _, _) = activated_standby();
    // Rows of a ledger of schema 2 have no installation key: the issuer reads the key from the
    // signed response the ledger recorded.
    v.ledger
        .conn_for_tests()
        .execute("UPDATE activations SET installation_key = NULL", [])
        .unwrap();
    let forged = release_request(&fo, &machine("s1"), &SigningKey::from_bytes(&[6; 32]));
    let before = v.ledger.dump().unwrap();
    let err = licdesk_issuer::release(&v.key, &mut v.ledger, &forged).unwrap_err();
    assert!(
        err.to_string().contains("not by the installation key"),
        "{err}"
    );
    assert_eq!(v.ledger.dump().unwrap(), before);
    let genuine = release_request(&fo, &machine("s1"), &desk_key());
    licdesk_issuer::release(&v.key, &mut v.ledger, &genuine).unwrap();
}

#[test]
fn the_limits_of_a_standby_are_set_by_the_vendor_and_validated_r12() {
    let mut v = vendor();
    let (base, bt) = issue_base(&v.key, "K", Variant::Users10, vec![], None, 1).unwrap();
    let (fo, ft) = issue_failover(&v.key, &base.license).unwrap();
    let limits = licdesk_core::LoadLimits {
        max_load_hours: 48,
        episode_gap_hours: 12,
        warning_hours: 24,
        final_warning_hours: 36,
    };
    let req = request(
        &[&bt, &ft],
        &fo.license,
        Role::Standby,
        &base.license,
        &machine("s1"),
    );
    for (bad, needle) in [
        (
            licdesk_core::LoadLimits {
                max_load_hours: 0,
                ..limits
            },
            "--limit-hours must be between 1",
        ),
        (
            licdesk_core::LoadLimits {
                episode_gap_hours: 0,
                ..limits
            },
            "--gap-hours must be between 1",
        ),
        (
            licdesk_core::LoadLimits {
                warning_hours: 40,
                ..limits
            },
            "must rise",
        ),
        (
            licdesk_core::LoadLimits {
                final_warning_hours: 48,
                ..limits
            },
            "must rise",
        ),
    ] {
        let before = v.ledger.dump().unwrap();
        let err = licdesk_issuer::activate_with(&v.key, &mut v.ledger, &req, &bad).unwrap_err();
        assert!(err.to_string().contains(needle), "{bad:?}: {err}");
        assert_eq!(v.ledger.dump().unwrap(), before);
    }
    let done = licdesk_issuer::activate_with(&v.key, &mut v.ledger, &req, &limits).unwrap();
    let resp: licdesk_core::ActivationResponse = Envelope::parse(done.response.as_bytes())
        .unwrap()
        .verify(&v.key.key.verifying_key())
        .unwrap()
        .payload()
        .unwrap();
    assert_eq!(resp.limits, Some(limits));
}

#[test]
fn with_json_errors_are_a_json_object_with_code_and_message_on_stderr() {
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("v.key");
    keygen(&key, "V", IfExists::Refuse).unwrap();
    let k = key.to_str().unwrap();
    // An output never written: each command here is refused first.
    let nowhere = dir.path().join("never-written");
    let nowhere = nowhere.to_str().unwrap();
    let missing = dir.path().join("missing.actreq");
    for (args, code, needle) in [
        (
            vec![
                "--json",
                "issue",
                "--key",
                k,
                "--customer",
                "X",
                "--users",
                "50",
                "--out",
                nowhere,
            ],
            "invalid_input",
            "10, 25, 250 or unlimited",
        ),
        (
            vec![
                "--json",
                "activate",
                "--key",
                k,
                "--ledger",
                dir.path().join("l.sqlite").to_str().unwrap(),
                "--request",
                missing.to_str().unwrap(),
                "--out",
                nowhere,
            ],
            "io",
            "cannot read",
        ),
        (
            vec![
                "--json",
                "activate",
                "--key",
                k,
                "--ledger",
                dir.path().join("l.sqlite").to_str().unwrap(),
                "--request",
                missing.to_str().unwrap(),
                "--out",
                nowhere,
                "--limit-hours",
                "0",
            ],
            "invalid_input",
            "--limit-hours must be between 1",
        ),
        (vec!["--json", "issue", "--nonsense"], "usage", "--nonsense"),
    ] {
        let (status, out, err) = issuer(&args);
        assert_ne!(status, 0, "{args:?}");
        assert!(out.is_empty(), "{args:?}: {out}");
        let json: serde_json::Value = serde_json::from_str(err.trim())
            .unwrap_or_else(|e| panic!("{args:?}: not JSON ({e}): {err}"));
        assert_eq!(json["code"], code, "{args:?}: {json}");
        assert!(
            json["message"].as_str().unwrap().contains(needle),
            "{args:?}: {json}"
        );
    }
    // Without --json, the same error is a sentence.
    let (_, _, err) = issuer(&[
        "issue",
        "--key",
        k,
        "--customer",
        "X",
        "--users",
        "50",
        "--out",
        nowhere,
    ]);
    assert!(
        err.starts_with("error: ") && err.contains("10, 25, 250"),
        "{err}"
    );
}

#[test]
fn a_reactivation_keeps_the_installation_key_it_certified_r4_r5() {
    let (mut v, fo, bt, ft) = activated_standby();
    let base = Envelope::parse(bt.as_bytes())
        .unwrap()
        .verify(&v.key.key.verifying_key())
        .unwrap()
        .payload::<licdesk_core::BaseCertificate>()
        .unwrap()
        .license;
    // Whoever knows the standby's hardware could ask to re-activate it with their own key, and
    // then sign its journals and its release: refused, the ledger unchanged.
    let stranger = SigningKey::from_bytes(&[6; 32]);
    let takeover = request_with_key(
        &[&bt, &ft],
        &fo,
        Role::Standby,
        &base,
        &machine("s1"),
        Some(stranger.clone()),
    );
    refused(
        &mut v,
        &takeover,
        "a re-activation keeps its installation key",
    );
    let err = activate(&v.key, &mut v.ledger, &takeover).unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains(licdesk_core::KeyId::of_public_key(&stranger.verifying_key()).as_str())
            && text
                .contains(licdesk_core::KeyId::of_public_key(&desk_key().verifying_key()).as_str())
            && text.contains("release-by-hand"),
        "{text}"
    );
    // The same key again (a re-activation after a change to the main system) is fine.
    let again = request(&[&bt, &ft], &fo, Role::Standby, &base, &machine("s1"));
    let done = activate(&v.key, &mut v.ledger, &again).unwrap();
    assert!(!done.repeated);
    // After a release, another machine with its own key takes the FailoverSuite.
    licdesk_issuer::release_by_hand(&v.key, &mut v.ledger, &fo, "lost").unwrap();
    activate(
        &v.key,
        &mut v.ledger,
        &request_with_key(
            &[&bt, &ft],
            &fo,
            Role::Standby,
            &base,
            &machine("s2"),
            Some(stranger),
        ),
    )
    .unwrap();
}

#[test]
fn a_json_error_names_its_own_stable_code_beside_the_category() {
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("v.key");
    keygen(&key, "V", IfExists::Refuse).unwrap();
    let k = key.to_str().unwrap();
    let ledger = dir.path().join("l.sqlite");
    let ledger = ledger.to_str().unwrap();
    let out = dir.path().join("never-written");
    let out = out.to_str().unwrap();
    let huge = dir.path().join("huge.actreq");
    std::fs::File::create(&huge)
        .unwrap()
        .set_len(50 << 20)
        .unwrap();
    let activate = |extra: &[&str]| {
        let mut args = vec![
            "--json",
            "activate",
            "--key",
            k,
            "--ledger",
            ledger,
            "--request",
            huge.to_str().unwrap(),
            "--out",
            out,
        ];
        args.extend(extra);
        issuer(&args)
    };
    for (extra, code, error) in [
        (&[][..], "refused", "request_too_large"),
        (
            &["--limit-hours", "0"][..],
            "invalid_input",
            "limit_out_of_range",
        ),
        (
            &["--warn-hours", "100"][..],
            "invalid_input",
            "limits_not_rising",
        ),
    ] {
        let (status, _, err) = activate(extra);
        assert_eq!(status, 1, "{extra:?}: {err}");
        let json: serde_json::Value = serde_json::from_str(err.trim()).unwrap();
        assert_eq!(json["code"], code, "{json}");
        assert_eq!(json["error"], error, "{json}");
    }
    let (status, _, err) = issuer(&[
        "--json",
        "release-by-hand",
        "--key",
        k,
        "--ledger",
        ledger,
        "--failover",
        "XFM-1",
        "--reason",
        "lost",
        "--out",
        out,
    ]);
    assert_eq!(status, 1, "{err}");
    let json: serde_json::Value = serde_json::from_str(err.trim()).unwrap();
    assert_eq!(
        (json["code"].as_str(), json["error"].as_str()),
        (Some("invalid_input"), Some("invalid_id")),
        "{json}"
    );
    assert!(!Path::new(out).exists());
}
