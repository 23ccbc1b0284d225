//! Activation decisions against the ledger: the standby gets every entitlement of its main system
//! and the notice, what R4 forbids is refused, hostile requests are refused, the limits of a
//! standby are the vendor's, and a re-activation keeps its installation key.

use licdesk_core::{Envelope, Role, SigningKey, Variant};
use licdesk_issuer::{activate, issue_base, issue_failover, IssuerError};
use std::path::Path;

use crate::support::*;

on_both_engines!(
    the_standby_gets_every_entitlement_of_its_main_system_and_the_notice_r5_r11_r12,
    the_ledger_refuses_what_r4_forbids_and_stays_unchanged,
    a_standby_request_without_an_installation_key_is_refused_r4,
    the_limits_of_a_standby_are_set_by_the_vendor_and_validated_r12,
    a_reactivation_keeps_the_installation_key_it_certified_r4_r5,
);

fn the_standby_gets_every_entitlement_of_its_main_system_and_the_notice_r5_r11_r12(engine: Engine) {
    let mut v = vendor_on(engine);
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

/// Every certificate a request carries passes the rules of its kind, even one the activation
/// does not need (a main system's request with a FailoverSuite certificate of another article),
/// and is refused with the code the desk gives it.
#[test]
fn a_request_carrying_an_invalid_certificate_is_refused_as_invalid_content() {
    let mut v = vendor();
    let (base, bt) = issue_base(&v.key, "K", Variant::Users10, vec![], None, 1).unwrap();
    let (mut fo, _) = issue_failover(&v.key, &base.license).unwrap();
    fo.article = "XFM.47001".into();
    let odd = licdesk_core::seal(licdesk_core::FileKind::FailoverCertificate, &fo, &v.key.key);
    let mut zero = base.clone();
    zero.revision = 0;
    let zero = licdesk_core::seal(licdesk_core::FileKind::BaseCertificate, &zero, &v.key.key);
    for certs in [[bt.as_str(), odd.as_str()], [zero.as_str(), bt.as_str()]] {
        let req = request(
            &certs,
            &base.license,
            Role::Main,
            &base.license,
            &machine("m"),
        );
        let before = v.ledger.dump().unwrap();
        let err = activate(&v.key, &mut v.ledger, &req).unwrap_err();
        assert_eq!(err.code(), "invalid_content", "{err}");
        assert_eq!(err.category(), "refused_file", "{err}");
        assert_eq!(v.ledger.dump().unwrap(), before);
    }
}

fn the_ledger_refuses_what_r4_forbids_and_stays_unchanged(engine: Engine) {
    let mut v = vendor_on(engine);
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

fn a_standby_request_without_an_installation_key_is_refused_r4(engine: Engine) {
    let mut v = vendor_on(engine);
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

fn the_limits_of_a_standby_are_set_by_the_vendor_and_validated_r12(engine: Engine) {
    let mut v = vendor_on(engine);
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

fn a_reactivation_keeps_the_installation_key_it_certified_r4_r5(engine: Engine) {
    let (mut v, fo, bt, ft) = activated_standby(engine);
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
