//! Keys and certificates: keygen writes a private key only its owner can read, and every variant
//! is issued with and without extensions (R1).

use licdesk_core::{Envelope, Variant};
use licdesk_issuer::issue_base;

use crate::support::*;

/// Unix (modes); on Windows the same policy is tested in `key.rs` (an access list).
#[cfg(unix)]
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
