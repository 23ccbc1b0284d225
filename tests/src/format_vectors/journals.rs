//! Usage journals signed correctly and refused for what they carry (§7.8).

use licdesk_core::{FileKind as K, SigningKey};

use super::valid::{journal, Made};
use super::{
    at, edit, flip_signature, json, other_installation_key, other_vendor_key, seal_raw, sealed,
    Vectors,
};

pub(super) fn add(out: &mut Vectors, m: &Made, vendor: &SigningKey) {
    let (inst, hardware) = (&m.inst, &m.v.hardware);
    let mut broken = m.journal.clone();
    broken.entries.remove(1);
    for (i, e) in broken.entries.iter_mut().enumerate() {
        e.seq = i as u64;
    }
    out.add(
        "broken-chain.journal",
        sealed(K::UsageJournal, &broken, inst),
        K::UsageJournal,
        Some("tampered"),
        "an entry removed: the hash chain is broken",
    );
    let mut backwards = m.journal.clone();
    backwards.exported_at = at("2026-01-21T00:00:00Z");
    out.add(
        "exported-before-last-entry.journal",
        sealed(K::UsageJournal, &backwards, inst),
        K::UsageJournal,
        Some("tampered"),
        "exported before its last entry: the clock runs backwards",
    );
    let other = other_installation_key();
    out.add(
        "other-installation.journal",
        sealed(
            K::UsageJournal,
            &journal(&m.response, hardware, &other),
            &other,
        ),
        K::UsageJournal,
        Some("tampered"),
        "signed by another installation key than the one certified",
    );
    let untrusted_activation = sealed(K::ActivationResponse, &m.v.response, &other_vendor_key());
    out.add(
        "untrusted-activation.journal",
        sealed(
            K::UsageJournal,
            &journal(&untrusted_activation, hardware, inst),
            inst,
        ),
        K::UsageJournal,
        Some("untrusted_key"),
        "its activation is signed by a vendor key nobody trusts",
    );
    out.add(
        "activation-not-a-response.journal",
        sealed(K::UsageJournal, &journal(&m.base, hardware, inst), inst),
        K::UsageJournal,
        Some("invalid_content"),
        "its activation is a base certificate",
    );
    out.add(
        "bad-signature.journal",
        flip_signature(&m.journal_text, 33, 0x10),
        K::UsageJournal,
        Some("bad_signature"),
        "a journal whose signature was changed",
    );
    let invalid_activation = seal_raw(
        K::ActivationResponse,
        edit(&json(&m.v.response), &"5a".repeat(32), &"5a".repeat(31)).as_bytes(),
        vendor,
    );
    out.add(
        "invalid-activation.journal",
        sealed(
            K::UsageJournal,
            &journal(&invalid_activation, hardware, inst),
            inst,
        ),
        K::UsageJournal,
        Some("invalid_content"),
        "its activation is signed by the vendor but invalid (a nonce of 62 characters), as a response imported directly would be",
    );
}
