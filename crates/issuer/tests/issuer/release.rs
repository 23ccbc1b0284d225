//! Releases: only the certified installation can release its standby, and an activation recorded
//! before the ledger kept installation keys is released by its key only.

use licdesk_core::{seal, FileKind, Hardware, LicenseNumber, SigningKey, Timestamp};

use crate::support::*;

on_both_engines!(
    only_the_certified_installation_can_release_its_standby_r4,
    an_activation_recorded_before_the_ledger_kept_installation_keys_is_released_by_its_key_only,
);

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

fn only_the_certified_installation_can_release_its_standby_r4(engine: Engine) {
    let (mut v, fo, _, _) = activated_standby(engine);
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

fn an_activation_recorded_before_the_ledger_kept_installation_keys_is_released_by_its_key_only(
    engine: Engine,
) {
    let (mut v, fo, _, _) = activated_standby(engine);
    // Rows of a ledger of schema 2 have no installation key: the issuer reads the key from the
    // signed response the ledger recorded.
    v.ledger
        .execute_for_tests("UPDATE activations SET installation_key = NULL")
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
