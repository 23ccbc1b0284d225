//! What a monitoring status rests on, verified on every run — and nothing else: each standby's
//! activation response, its base license's certificate, and each standby's latest trusted usage
//! journal. A handful of signatures per standby, however many licenses the store holds.
//!
//! The store is the customer's (sqlite3 can change any row), so every value the status is made
//! of is compared with the signed file it was recorded from: a value edited by hand no longer
//! matches, and is reported (`store_changed`, CRITICAL); the status is then made from the
//! signed file. Certificates of licenses without a standby decide no status, so monitoring does
//! not read them (they were verified at import, and are again where they are used: a request
//! carries them to the vendor, who verifies them).

use licdesk_core::usage::{evaluate, Evaluation, Level, UsageJournal};
use licdesk_core::{ActivationResponse, BaseCertificate, Envelope, FileKind, Role, TrustStore};
use licdesk_store::{StoredBase, StoredSystem, SystemMark, UsageReport};

use super::CheckProblem;
use crate::trust::vendor_signed;

/// The values of `license` that differ from `file`, as one problem (none when none differ).
fn changed(license: &impl ToString, what: &[&str], file: &str) -> Option<CheckProblem> {
    (!what.is_empty()).then(|| CheckProblem::StoreChanged {
        license: license.to_string(),
        what: format!("{} differ from {file}", what.join(", ")),
    })
}

/// An active standby's activation as recorded, against its signed response (and against the
/// response the desk last applied for it, by content identity). The verified response, when its
/// signature holds, with the problems found.
pub(super) fn activation(
    trust: &TrustStore,
    standby: &StoredSystem,
    mark: Option<&SystemMark>,
    problems: &mut Vec<CheckProblem>,
) -> Option<ActivationResponse> {
    let a = standby.activation.as_ref()?;
    let response: ActivationResponse =
        match vendor_signed(trust, &a.response_text, FileKind::ActivationResponse) {
            Ok(r) => r,
            Err(reason) => {
                problems.push(CheckProblem::VendorTrustFails {
                    license: standby.license.to_string(),
                    reason,
                });
                return None;
            }
        };
    let mut what = Vec::new();
    if response.license != standby.license || response.role != Role::Standby {
        what.push("the license or role");
    }
    if response.mirrors != standby.base_license {
        what.push("the base license");
    }
    if response.hardware.id != standby.hardware.id {
        what.push("the hardware");
    }
    if response.activated_at != a.activated_at {
        what.push("the activation time");
    }
    if response.installation_key.as_deref() != a.installation_key.as_deref() {
        what.push("the installation key");
    }
    if response.limits != a.limits {
        what.push("the load limits");
    }
    if response.entitlement_digest != a.entitlement_digest
        || response.entitlements != a.entitlements
    {
        what.push("the entitlements");
    }
    // The response applied last for this standby (migrated stores know none by content).
    let applied =
        mark.filter(|m| m.kind == FileKind::ActivationResponse.tag() && m.content_id != "unknown");
    problems.extend(changed(
        &standby.license,
        &what,
        "its signed activation response",
    ));
    if let Some(m) = applied {
        let id = Envelope::parse(a.response_text.as_bytes()).map(|e| e.content_id());
        if id.ok().as_deref() != Some(m.content_id.as_str()) {
            problems.push(CheckProblem::StoreChanged {
                license: standby.license.to_string(),
                what: "its activation response is not the one last imported".into(),
            });
        }
    }
    Some(response)
}

/// A base license's stored entitlements (which tell an out-of-date standby, R5) against its
/// signed certificate. The verified certificate, when its signature holds.
pub(super) fn base(
    trust: &TrustStore,
    base: &StoredBase,
    problems: &mut Vec<CheckProblem>,
) -> Option<BaseCertificate> {
    let license = &base.certificate.license;
    let cert: BaseCertificate =
        match vendor_signed(trust, &base.certificate_text, FileKind::BaseCertificate) {
            Ok(c) => c,
            Err(reason) => {
                problems.push(CheckProblem::VendorTrustFails {
                    license: license.to_string(),
                    reason,
                });
                return None;
            }
        };
    let mut what = Vec::new();
    if cert.license != *license {
        what.push("the license");
    }
    if cert.entitlement_digest() != base.entitlement_digest {
        what.push("the entitlements");
    }
    problems.extend(changed(license, &what, "its signed certificate"));
    Some(cert)
}

/// A standby's latest trusted journal as recorded (its evaluation, the activation it carried,
/// its last entry, the violations it showed) against the journal file kept. The evaluation made
/// again from the journal, when it verifies.
pub(super) fn journal(
    trust: &TrustStore,
    report: &UsageReport,
    text: Option<&str>,
    recorded_violations: &[(String, licdesk_core::Timestamp)],
    problems: &mut Vec<CheckProblem>,
) -> Option<Evaluation> {
    let stored = report.evaluation.as_ref()?;
    let failover = &report.failover;
    let Some(text) = text else {
        problems.push(CheckProblem::JournalNotKept {
            failover: failover.clone(),
        });
        return None;
    };
    let store_changed = |what: &str| CheckProblem::StoreChanged {
        license: failover.to_string(),
        what: what.to_string(),
    };
    let envelope =
        match Envelope::parse(text.as_bytes()).and_then(|e| e.expect(FileKind::UsageJournal)) {
            Ok(e) => e,
            Err(_) => {
                problems.push(store_changed("its latest usage journal is damaged"));
                return None;
            }
        };
    if report.journal_hash.as_deref() != Some(envelope.content_id().as_str()) {
        problems.push(store_changed(
            "its latest usage journal is not the one evaluated",
        ));
        return None;
    }
    let verified = match envelope.verify_self_signed() {
        Ok(v) => v,
        Err(_) => {
            problems.push(store_changed("its latest usage journal's signature fails"));
            return None;
        }
    };
    let Ok(journal) = verified.payload::<UsageJournal>() else {
        problems.push(store_changed("its latest usage journal is damaged"));
        return None;
    };
    let activation: ActivationResponse =
        match vendor_signed(trust, &journal.activation, FileKind::ActivationResponse) {
            Ok(a) => a,
            Err(reason) => {
                problems.push(CheckProblem::VendorTrustFails {
                    license: failover.to_string(),
                    reason,
                });
                return None;
            }
        };
    let signer = licdesk_core::trust::encode_public_key(&verified.signer);
    let mut what = Vec::new();
    if journal.failover != *failover || activation.license != *failover {
        what.push("the FailoverSuite");
    }
    if report.installation_key.as_deref() != Some(signer.as_str())
        || activation.installation_key.as_deref() != Some(signer.as_str())
        || report.hardware_id.as_ref() != Some(&activation.hardware.id)
        || report.activated_at != Some(activation.activated_at)
        || report.activation_serial != activation.serial
    {
        what.push("the activation (time, hardware or installation key)");
    }
    if report.exported_at != Some(journal.exported_at) {
        what.push("the export time");
    }
    let last = journal
        .last_entry()
        .map(|(seq, hash)| (seq, hash.to_string()));
    if report.last_seq.zip(report.last_hash.clone()) != last {
        what.push("the last entry");
    }
    let limits = activation.limits.unwrap_or_default();
    let evaluation = match journal
        .intervals()
        .and_then(|ivs| evaluate(&ivs, &limits, journal.exported_at))
    {
        Ok(e) => e,
        Err(_) => {
            problems.push(store_changed("its latest usage journal does not evaluate"));
            return None;
        }
    };
    if evaluation != *stored {
        what.push("the evaluation (load, levels or limits)");
    }
    // Every violation the journal shows is kept until acknowledged (never deleted).
    let missing = evaluation
        .episodes
        .iter()
        .filter(|e| e.level == Level::Violation)
        .any(|e| {
            !recorded_violations
                .iter()
                .any(|(key, start)| *key == signer && *start == e.start)
        });
    problems.extend(changed(failover, &what, "its latest usage journal"));
    if missing {
        problems.push(store_changed(
            "a violation its latest usage journal shows is missing",
        ));
    }
    Some(evaluation)
}
