//! Using whatever parsed, as the desk and the vendor tool would.

use licdesk_core::model::{
    standby_notice, validate_text, HardwareIdFile, Release, ReleaseRequest, VendorPublicKey,
};
use licdesk_core::usage::{evaluate, Interval, Level, UsageJournal, UsageState, GENESIS};
use licdesk_core::{
    seal, standby_entitlements, trust, ActivationRequest, ActivationResponse, BaseCertificate,
    Envelope, FailoverCertificate, FileKind, Hardware, KeyId, LoadLimits, Timestamp, Verified,
};
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::genuine::{at, failover, hardware, journal, trust, vendor};

/// Parses, verifies (both ways, whatever the kind says) and reads every payload type from `bytes`.
pub(crate) fn exercise(bytes: &[u8], depth: u8) {
    let Ok(envelope) = Envelope::parse(bytes) else {
        return;
    };
    let _ = (
        envelope.kind(),
        envelope.key_id().to_string(),
        envelope.message(),
    );
    let _ = envelope.clone().expect(FileKind::ActivationResponse);
    let mut verified = Vec::new();
    if let Ok(v) = envelope.clone().verify(&vendor().verifying_key()) {
        verified.push(v);
    }
    if let Ok(v) = envelope.clone().verify_self_signed() {
        verified.push(v);
    }
    if let Ok((v, key)) = trust().verify(envelope) {
        assert!(!key.vendor.is_empty());
        verified.push(v);
    }
    for v in &verified {
        read_every_payload(v, depth);
    }
}

pub(crate) fn read_every_payload(v: &Verified, depth: u8) {
    if let Some(b) = read::<BaseCertificate>(v) {
        let _ = b.validate();
        let _ = (
            b.entitlements(),
            b.entitlement_digest(),
            b.issued_at.to_string(),
        );
        let _ = standby_entitlements(&b, &failover().license);
        for e in &b.extensions {
            let _ = e.validate();
        }
    }
    if let Some(f) = read::<FailoverCertificate>(v) {
        let _ = (f.validate(), f.issued_at.to_string(), f.license.product());
    }
    if let Some(h) = read::<HardwareIdFile>(v) {
        use_hardware(&h.hardware);
    }
    if let Some(r) = read::<ActivationRequest>(v) {
        use_hardware(&r.hardware);
        let _ = r.nonce.chars().take(12).collect::<String>();
        if let Some(k) = &r.installation_key {
            let _ = (trust::decode_public_key(k), k.decode(), k.key_id());
        }
        if depth > 0 {
            for c in &r.certificates {
                exercise(c.as_bytes(), depth - 1);
            }
        }
    }
    if let Some(r) = read::<ActivationResponse>(v) {
        use_hardware(&r.hardware);
        let limits = r.limits.unwrap_or_default();
        let _ = standby_notice(&limits);
        let _ = evaluate(&sample_intervals(), &limits, r.activated_at);
        if let Some(k) = &r.installation_key {
            let _ = (trust::decode_public_key(k), k.decode(), k.key_id());
        }
        for e in &r.entitlements {
            let _ = validate_text("entitlement", &e.name, 200);
        }
    }
    if let Some(k) = read::<VendorPublicKey>(v) {
        if let Ok(key) = trust::decode_public_key(&k.public_key) {
            let _ = KeyId::of_public_key(&key) == k.key_id;
        }
        let _ = validate_text("vendor name", &k.vendor, 200);
    }
    if let Some(r) = read::<ReleaseRequest>(v) {
        use_hardware(&r.hardware);
        let _ = validate_text("reason", &r.reason, 500);
    }
    if let Some(r) = read::<Release>(v) {
        let _ = (r.hardware_id.to_string(), r.released_at.to_string());
    }
    if let Some(j) = read::<UsageJournal>(v) {
        use_journal(&j, &LoadLimits::default());
        if depth > 0 {
            exercise(j.activation.as_bytes(), depth - 1);
        }
    }
}

/// The payload as `T`, if it is one; then it must come back the same when sealed again.
pub(crate) fn read<T: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug>(
    v: &Verified,
) -> Option<T> {
    let value = v.payload::<T>().ok()?;
    let again = seal(v.kind, &value, &vendor());
    let back = Envelope::parse(again.as_bytes())
        .unwrap()
        .verify(&vendor().verifying_key())
        .unwrap()
        .payload::<T>()
        .unwrap();
    assert_eq!(back, value);
    Some(value)
}

pub(crate) fn use_hardware(h: &Hardware) {
    let _ = h.validate();
    let _ = h.is_same_machine(&hardware());
    let _ = hardware().is_same_machine(h);
    let _ = (h.id.to_string(), h.label.as_deref().map(str::len));
}

pub(crate) fn sample_intervals() -> Vec<Interval> {
    journal().intervals().unwrap()
}

pub(crate) fn use_journal(j: &UsageJournal, limits: &LoadLimits) {
    for desk_time in [Timestamp::MIN, Timestamp::MAX, j.exported_at, at(0)] {
        let _ = j.not_ahead_of(desk_time);
    }
    let _ = j.continues(j.last_entry(), Some(j.exported_at));
    let _ = j.continues(Some((u64::MAX, "")), Some(Timestamp::from_unix(i64::MAX)));
    let _ = j.continues(Some((0, GENESIS)), None);
    if let Ok(ivs) = j.intervals() {
        assert_eq!(ivs.len(), j.entries.len());
        for iv in &ivs {
            assert!(iv.from <= iv.to, "{iv:?}");
        }
        // Intervals from a journal whose chain and clock were checked never overlap.
        let e = evaluate(&ivs, limits, j.exported_at).unwrap();
        check_evaluation(&ivs, &e);
        // What the time after the export could hide, up to either end of time.
        for now in [Timestamp::MIN, Timestamp::MAX, j.exported_at] {
            let u = licdesk_core::usage::unaccounted(Some(&e), j.exported_at, limits, now);
            assert!(
                u.seconds >= 0 && u.worst_case_load_seconds >= u.seconds,
                "{u:?}"
            );
        }
    }
}

pub(crate) fn check_evaluation(ivs: &[Interval], e: &licdesk_core::usage::Evaluation) {
    let load: i64 = ivs
        .iter()
        .filter(|i| i.state == UsageState::Load)
        .map(|i| i.to.unix() - i.from.unix())
        .sum();
    assert_eq!(e.episodes.iter().map(|e| e.load_seconds).sum::<i64>(), load);
    for ep in &e.episodes {
        assert!(ep.load_seconds > 0, "{ep:?}");
        assert!(ep.over_limit_seconds >= 0, "{ep:?}");
        assert!(ep.load_seconds <= ep.last_load_end.unix() - ep.start.unix());
        assert!(ep.level <= e.worst);
        let _ = (ep.start.to_string(), ep.last_load_end.to_string());
    }
    assert_eq!(
        e.worst,
        e.episodes
            .iter()
            .map(|e| e.level)
            .max()
            .unwrap_or(Level::Fine)
    );
    let _ = (e.current_level(), e.past_violations().count());
    let _ = e.unacknowledged_violations(Some(Timestamp::MAX));
    let _ = e.unacknowledged_violations(None);
}
