//! The domain payloads' own rules: variants, extensions, notices, and what a response or a
//! release must hold.

use super::*;

#[test]
fn extension_specs_parse_and_bad_ones_say_why() {
    let e = Extension::parse_spec("XOM.11000:Fax Gateway:2").unwrap();
    assert_eq!(e.quantity, 2);
    assert_eq!(e.name, "Fax Gateway");
    for (spec, needle) in [
        ("XOM.1:Fax", "ARTICLE:NAME:QUANTITY"),
        ("XOM.1:Fax:0", "between 1 and"),
        ("XOM.1:Fax:two", "whole number"),
        ("xom:Fax:1", "not an article number"),
        ("XFM.47000:Failover:1", "issue-failover"),
        ("XOM.1::1", "empty"),
    ] {
        let err = Extension::parse_spec(spec).unwrap_err().to_string();
        assert!(err.contains(needle), "{spec}: {err}");
    }
}

#[test]
fn the_notice_names_the_limits_the_vendor_set_r11_r12() {
    assert_eq!(standby_notice(&LoadLimits::default()), STANDBY_NOTICE);
    let notice = standby_notice(&LoadLimits {
        max_load_hours: 48,
        episode_gap_hours: 12,
        warning_hours: 24,
        final_warning_hours: 36,
    });
    assert!(
        notice.contains("standby or test operation only") && notice.contains("48 hours"),
        "{notice}"
    );
    assert!(!notice.contains("five"), "{notice}");
}

#[test]
fn the_variant_a_suite_entitlement_names_is_read_back_r1() {
    for v in Variant::ALL {
        let cert = BaseCertificate {
            license: crate::ids::LicenseNumber::from_random(
                crate::ids::LicenseProduct::Suite,
                [1, 2, 3, 4, 5],
            ),
            revision: 1,
            customer: "Müller GmbH".into(),
            variant: v,
            extensions: vec![],
            issued_at: crate::time::Timestamp::from_unix(1_800_000_000),
        };
        let suite = &cert.entitlements()[0];
        assert_eq!(Variant::of_suite_entitlement(suite), Some(v));
    }
    let extension = Entitlement {
        article: "XOM.11000".into(),
        name: "OfficeMaster Suite (25 users)".into(),
        quantity: 1,
    };
    assert_eq!(Variant::of_suite_entitlement(&extension), None);
}

fn base() -> BaseCertificate {
    BaseCertificate {
        license: LicenseNumber::from_random(LicenseProduct::Suite, [1, 2, 3, 4, 5]),
        revision: 1,
        customer: "Müller GmbH".into(),
        variant: Variant::Users25,
        extensions: vec![],
        issued_at: crate::time::Timestamp::from_unix(1_800_000_000),
    }
}

fn failover() -> LicenseNumber {
    LicenseNumber::from_random(LicenseProduct::FailoverSuite, [6, 7, 8, 9, 10])
}

fn standby_response() -> ActivationResponse {
    let base = base();
    let key = ed25519_dalek::SigningKey::from_bytes(&[0x11; 32]).verifying_key();
    ActivationResponse {
        request_nonce: "5a".repeat(32),
        license: failover(),
        role: Role::Standby,
        hardware: Hardware::from_code(crate::ids::HardwareId::from_digest(&[3; 16])),
        mirrors: base.license.clone(),
        base_revision: 1,
        mode: Some(StandbyMode::Cold),
        entitlements: standby_entitlements(&base, &failover()),
        entitlement_digest: base.entitlement_digest(),
        notice: Some(STANDBY_NOTICE.into()),
        limits: Some(LoadLimits::default()),
        installation_key: Some(InstallationKey::of(&key)),
        activated_at: crate::time::Timestamp::from_unix(1_800_000_100),
        serial: Some(1),
    }
}

#[test]
fn a_base_certificate_starts_at_revision_1() {
    assert_eq!(base().validate(), Ok(()));
    let zero = BaseCertificate {
        revision: 0,
        ..base()
    };
    let e = zero.validate().unwrap_err();
    assert_eq!(e.code(), "revision_zero");
    assert!(e.to_string().contains("revisions start at 1"), "{e}");
}

#[test]
fn a_release_releases_a_failoversuite() {
    let release = Release {
        request_nonce: "e7".repeat(32),
        failover: failover(),
        hardware_id: crate::ids::HardwareId::from_digest(&[3; 16]),
        released_at: crate::time::Timestamp::from_unix(1_800_000_200),
        serial: None,
    };
    assert_eq!(release.validate(), Ok(()));
    let of_base = Release {
        failover: base().license,
        ..release
    };
    assert_eq!(
        of_base.validate().unwrap_err().code(),
        "not_a_failover_license"
    );
}

#[test]
fn a_response_carries_a_public_key_and_a_digest_in_their_written_forms() {
    let good = standby_response();
    assert_eq!(good.validate(), Ok(()));
    let key = good.installation_key.clone().unwrap();
    for (bad, problem) in [
        ("not a key".to_string(), crate::KeyError::NotBase64),
        ("AAAA".to_string(), crate::KeyError::WrongLength),
        (format!("{key} "), crate::KeyError::NotCanonical),
    ] {
        let r = ActivationResponse {
            installation_key: Some(bad.clone().into()),
            ..standby_response()
        };
        assert_eq!(
            r.validate(),
            Err(ValueError::BadInstallationKey { problem }),
            "{bad:?}"
        );
    }
    let main = ActivationResponse {
        installation_key: None,
        ..standby_response()
    };
    assert_eq!(main.validate(), Ok(()));
    let digest = good.entitlement_digest.clone();
    for bad in [
        String::new(),
        digest.to_uppercase(),
        format!("{digest}0"),
        digest[..31].to_string(),
    ] {
        let r = ActivationResponse {
            entitlement_digest: bad.clone(),
            ..standby_response()
        };
        assert_eq!(
            r.validate().unwrap_err().code(),
            "bad_entitlement_digest",
            "{bad:?}"
        );
    }
}

#[test]
fn variants_parse_from_their_codes() {
    for v in Variant::ALL {
        assert_eq!(Variant::parse(v.code()).unwrap(), v);
    }
    assert!(Variant::parse("50")
        .unwrap_err()
        .to_string()
        .contains("10, 25, 250 or unlimited"));
}
