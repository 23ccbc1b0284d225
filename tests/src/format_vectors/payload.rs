//! Files signed correctly whose payload is refused: not canonical JSON (§5), or a value the
//! rules of §6 and §7 forbid (§8 steps 6–7).

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use licdesk_core::{
    ActivationRequest, Component, ComponentKind, FileKind as K, Hardware, SigningKey,
};

use super::valid::Made;
use super::{edit, flip_signature, json, other_vendor_key, resign, sealed, Vectors};

pub(super) fn add(out: &mut Vectors, m: &Made, vendor: &SigningKey) {
    canonical_json(out, m, vendor);
    certificates(out, m, vendor);
    requests_and_answers(out, m, vendor);
}

fn canonical_json(out: &mut Vectors, m: &Made, vendor: &SigningKey) {
    let base_json = json(&m.v.base);
    out.add(
        "non-canonical.lic",
        resign(
            K::BaseCertificate,
            edit(&base_json, "\"revision\":1", "\"revision\": 1"),
            vendor,
        ),
        K::BaseCertificate,
        Some("invalid_content"),
        "white space in the JSON",
    );
    out.add(
        "reordered.lic",
        resign(
            K::BaseCertificate,
            format!(
                "{{\"revision\":1,{}",
                edit(&base_json, "\"revision\":1,", "").trim_start_matches('{')
            ),
            vendor,
        ),
        K::BaseCertificate,
        Some("invalid_content"),
        "members out of order",
    );
    out.add(
        "unknown-field.lic",
        resign(
            K::BaseCertificate,
            edit(
                &base_json,
                "\"revision\":1",
                "\"revision\":1,\"note\":\"x\"",
            ),
            vendor,
        ),
        K::BaseCertificate,
        Some("invalid_content"),
        "a member the schema does not have",
    );
}

fn certificates(out: &mut Vectors, m: &Made, vendor: &SigningKey) {
    let base_json = json(&m.v.base);
    let good_license = m.v.base.license.to_string();
    let mut bad_license = good_license.clone();
    let last = bad_license.pop().unwrap_or('0');
    bad_license.push(if last == '0' { '1' } else { '0' });
    out.add(
        "bad-check-characters.lic",
        resign(
            K::BaseCertificate,
            edit(&base_json, &good_license, &bad_license),
            vendor,
        ),
        K::BaseCertificate,
        Some("invalid_content"),
        "a license number whose check characters do not match",
    );
    out.add(
        "lowercase-license.lic",
        resign(
            K::BaseCertificate,
            edit(&base_json, &good_license, &good_license.to_lowercase()),
            vendor,
        ),
        K::BaseCertificate,
        Some("invalid_content"),
        "a license number in lower case (lenient for typing, not in files)",
    );
    out.add(
        "bad-time.lic",
        resign(
            K::BaseCertificate,
            edit(&base_json, "2026-01-15T09:30:00Z", "2026-02-30T09:30:00Z"),
            vendor,
        ),
        K::BaseCertificate,
        Some("invalid_content"),
        "February 30th",
    );
    out.add(
        "time-with-offset.lic",
        resign(
            K::BaseCertificate,
            edit(
                &base_json,
                "2026-01-15T09:30:00Z",
                "2026-01-15T10:30:00+01:00",
            ),
            vendor,
        ),
        K::BaseCertificate,
        Some("invalid_content"),
        "the right instant with an offset: not the canonical time",
    );
    out.add(
        "control-in-customer.lic",
        resign(
            K::BaseCertificate,
            edit(&base_json, "Müller", "M\\u001b[2Jüller"),
            vendor,
        ),
        K::BaseCertificate,
        Some("invalid_content"),
        "an escape character in the customer name",
    );
    out.add(
        "zero-quantity.lic",
        resign(
            K::BaseCertificate,
            edit(&base_json, "\"quantity\":2", "\"quantity\":0"),
            vendor,
        ),
        K::BaseCertificate,
        Some("invalid_content"),
        "an extension of quantity 0",
    );
    out.add(
        "failover-wrong-article.lic",
        resign(
            K::FailoverCertificate,
            edit(&json(&m.v.failover), "XFM.47000", "XFM.47001"),
            vendor,
        ),
        K::FailoverCertificate,
        Some("invalid_content"),
        "a FailoverSuite certificate for another article",
    );
    out.add(
        "revision-0.lic",
        resign(
            K::BaseCertificate,
            edit(&base_json, "\"revision\":1", "\"revision\":0"),
            vendor,
        ),
        K::BaseCertificate,
        Some("invalid_content"),
        "revision 0: revisions start at 1",
    );
}

fn requests_and_answers(out: &mut Vectors, m: &Made, vendor: &SigningKey) {
    let hwid_json = json(&m.hwid_file);
    let other_id = Hardware::from_components(
        vec![Component::from_raw(ComponentKind::MachineId, "other")],
        None,
    )
    .id;
    out.add(
        "id-not-of-components.hwid",
        resign(
            K::HardwareId,
            edit(&hwid_json, m.v.hardware.id.as_str(), other_id.as_str()),
            &m.inst,
        ),
        K::HardwareId,
        Some("invalid_content"),
        "a hardware ID that is not the code of its components",
    );
    let request_json = json(&m.request);
    out.add(
        "bad-nonce.actreq",
        resign(
            K::ActivationRequest,
            edit(&request_json, &"5a".repeat(32), &"5A".repeat(32)),
            &m.inst,
        ),
        K::ActivationRequest,
        Some("invalid_content"),
        "a nonce in capitals",
    );
    let no_key = ActivationRequest {
        installation_key: None,
        ..m.request.clone()
    };
    out.add(
        "standby-without-key.actreq",
        sealed(K::ActivationRequest, &no_key, &m.inst),
        K::ActivationRequest,
        Some("invalid_content"),
        "a standby request without an installation key",
    );
    out.add(
        "bad-signature.actreq",
        flip_signature(&m.request_text, 10, 0x04),
        K::ActivationRequest,
        Some("bad_signature"),
        "a request changed after it was signed",
    );
    let response_json = json(&m.v.response);
    out.add(
        "bad-nonce.actresp",
        resign(
            K::ActivationResponse,
            edit(&response_json, &"5a".repeat(32), &"5a".repeat(31)),
            vendor,
        ),
        K::ActivationResponse,
        Some("invalid_content"),
        "a nonce of 62 characters",
    );
    out.add(
        "null-serial.actresp",
        resign(
            K::ActivationResponse,
            edit(&response_json, "\"serial\":1", "\"serial\":null"),
            vendor,
        ),
        K::ActivationResponse,
        Some("invalid_content"),
        "serial written as null: it is omitted when absent",
    );
    let key = m.v.response.installation_key.as_deref().unwrap_or_default();
    out.add(
        "spaced-installation-key.actresp",
        resign(
            K::ActivationResponse,
            edit(
                &response_json,
                &format!("\"{key}\""),
                &format!("\" {key}\""),
            ),
            vendor,
        ),
        K::ActivationResponse,
        Some("invalid_content"),
        "an installation key with a space before it: a response carries the canonical base64",
    );
    out.add(
        "short-installation-key.actresp",
        resign(
            K::ActivationResponse,
            edit(
                &response_json,
                &format!("\"{key}\""),
                &format!("\"{}\"", B64.encode([7u8; 31])),
            ),
            vendor,
        ),
        K::ActivationResponse,
        Some("invalid_content"),
        "an installation key of 31 bytes",
    );
    let digest = &m.v.response.entitlement_digest;
    out.add(
        "uppercase-digest.actresp",
        resign(
            K::ActivationResponse,
            edit(&response_json, digest, &digest.to_uppercase()),
            vendor,
        ),
        K::ActivationResponse,
        Some("invalid_content"),
        "an entitlement digest in capitals",
    );
    out.add(
        "bad-nonce.release",
        resign(
            K::Release,
            edit(&json(&m.release), &"e7".repeat(32), "by-hand-00"),
            vendor,
        ),
        K::Release,
        Some("invalid_content"),
        "a by-hand nonce without its 32 hex characters",
    );
    out.add(
        "base-license.release",
        resign(
            K::Release,
            edit(
                &json(&m.release),
                m.v.failover.license.as_str(),
                m.v.base.license.as_str(),
            ),
            vendor,
        ),
        K::Release,
        Some("invalid_content"),
        "a release of a base license: a release names a FailoverSuite",
    );
    out.add(
        "blank-reason.relreq",
        resign(
            K::ReleaseRequest,
            edit(
                &json(&m.release_request),
                "hardware replaced: main board failed",
                " ",
            ),
            &m.inst,
        ),
        K::ReleaseRequest,
        Some("invalid_content"),
        "a blank reason",
    );
    let mut vpub_other = m.vpub.clone();
    vpub_other.public_key = B64.encode(other_vendor_key().verifying_key().as_bytes());
    out.add(
        "other-key.vpub",
        sealed(K::VendorPublicKey, &vpub_other, vendor),
        K::VendorPublicKey,
        Some("invalid_content"),
        "a vendor public key file that carries another key than its signer",
    );
}
