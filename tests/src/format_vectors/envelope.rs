//! Files refused before their payload is read: size and armor (§2, §3, §8 steps 1–3), and
//! signatures and keys (§4, §8 step 5).

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use licdesk_core::{FileKind as K, KeyId, SigningKey};

use super::valid::Made;
use super::{
    edit, flip_signature, json, other_installation_key, other_vendor_key, seal_raw, sealed, Vectors,
};

pub(super) fn add(out: &mut Vectors, m: &Made, vendor: &SigningKey) {
    size_and_armor(out, m);
    signatures(out, m, vendor);
    tolerated(out, m);
}

/// What version 1 readers tolerate and writers never write (§2): valid files.
fn tolerated(out: &mut Vectors, m: &Made) {
    let base = &m.base;
    let key_id = KeyId::of_public_key(&m.inst.verifying_key()).to_string();
    out.add(
        "key-id-with-spaces.hwid",
        edit(
            &m.hwid,
            &format!("Key-Id: {key_id}\n"),
            &format!("Key-Id: \u{a0} {key_id}\t \n"),
        ),
        K::HardwareId,
        None,
        "white space around the key id (removed before it is read; the signed key id has none)",
    );
    let (head, rest) = base.split_at(base.find("\n\n").unwrap_or(0) + 2);
    let end = rest.find("-----END").unwrap_or(rest.len());
    let body: String = rest[..end].split('\n').collect();
    let mut lines = Vec::new();
    let mut left = body.as_str();
    for len in [76, 0, 13, 1].into_iter().cycle() {
        if left.is_empty() {
            break;
        }
        let (line, more) = left.split_at(len.min(left.len()));
        lines.push(line);
        left = more;
    }
    out.add(
        "body-lines-of-any-length.lic",
        format!("{head}{}\n{}", lines.join("\n"), &rest[end..]),
        K::BaseCertificate,
        None,
        "body lines of 76, 0, 13 and 1 characters: any length from 0 to 76, empty lines too",
    );
}

fn size_and_armor(out: &mut Vectors, m: &Made) {
    let base = &m.base;
    out.add(
        "empty.lic",
        Vec::new(),
        K::BaseCertificate,
        Some("empty_file"),
        "an empty file",
    );
    let mut big = format!(
        "-----BEGIN LICDESK {}-----\n",
        K::BaseCertificate.armor_label()
    );
    while big.len() <= K::BaseCertificate.size_cap() as usize {
        big.push_str(&"A".repeat(64));
        big.push('\n');
    }
    out.add(
        "oversize.lic",
        big,
        K::BaseCertificate,
        Some("too_large"),
        "larger than a certificate's 32768-byte cap",
    );
    out.add(
        "not-text.lic",
        vec![0xff, 0xfe, 0x00, 0x41],
        K::BaseCertificate,
        Some("not_license_file"),
        "not UTF-8",
    );
    out.add(
        "text-before-begin.lic",
        format!("License file:\n{base}"),
        K::BaseCertificate,
        Some("not_license_file"),
        "text before the BEGIN line",
    );
    out.add(
        "unknown-kind.lic",
        base.replace("BASE LICENSE CERTIFICATE", "PIZZA CERTIFICATE"),
        K::BaseCertificate,
        Some("not_license_file"),
        "a label that names no kind",
    );
    out.add(
        "truncated.lic",
        base.as_bytes()[..base.len() / 2].to_vec(),
        K::BaseCertificate,
        Some("damaged_file"),
        "cut off: no END line",
    );
    out.add(
        "no-empty-line.lic",
        edit(base, "\n\n", "\n"),
        K::BaseCertificate,
        Some("damaged_file"),
        "no empty line after the headers",
    );
    out.add(
        "text-after-end.lic",
        format!("{base}\n"),
        K::BaseCertificate,
        Some("damaged_file"),
        "an empty line after the END line",
    );
    out.add(
        "format-2.lic",
        edit(base, "Format: 1", "Format: 2"),
        K::BaseCertificate,
        Some("unsupported_format"),
        "format version 2",
    );
    out.add(
        "bad-key-id.lic",
        edit(base, "Key-Id: vk-", "Key-Id: VK-"),
        K::BaseCertificate,
        Some("damaged_file"),
        "a key id in capitals",
    );
    let sig_line = base
        .lines()
        .find(|l| l.starts_with("Signature: "))
        .unwrap_or_default();
    let short_sig = format!("Signature: {}", B64.encode([7u8; 63]));
    out.add(
        "short-signature.lic",
        edit(base, sig_line, &short_sig),
        K::BaseCertificate,
        Some("damaged_file"),
        "a signature of 63 bytes",
    );
    let self_signed_key_id = edit(
        &m.hwid,
        &KeyId::of_public_key(&m.inst.verifying_key()).to_string(),
        &KeyId::of_public_key(&other_installation_key().verifying_key()).to_string(),
    );
    out.add(
        "key-id-not-signer.hwid",
        self_signed_key_id,
        K::HardwareId,
        Some("damaged_file"),
        "the key id is not the Signer-Key's",
    );
}

fn signatures(out: &mut Vectors, m: &Made, vendor: &SigningKey) {
    let base = &m.base;
    out.add(
        "bad-signature.lic",
        flip_signature(base, 40, 0x01),
        K::BaseCertificate,
        Some("bad_signature"),
        "one bit of the signature flipped",
    );
    let altered = edit(&json(&m.v.base), "\"revision\":1", "\"revision\":2");
    let altered_body = seal_raw(K::BaseCertificate, altered.as_bytes(), vendor);
    let altered_file = format!(
        "{}{}",
        &base[..base.find("\n\n").unwrap_or(0) + 2],
        &altered_body[altered_body.find("\n\n").unwrap_or(0) + 2..]
    );
    out.add(
        "altered-payload.lic",
        altered_file,
        K::BaseCertificate,
        Some("bad_signature"),
        "one payload byte changed after signing",
    );
    out.add(
        "wrong-key.lic",
        sealed(K::BaseCertificate, &m.v.base, &other_vendor_key()),
        K::BaseCertificate,
        Some("untrusted_key"),
        "signed by a vendor key nobody trusts",
    );
    out.add(
        "wrong-kind-tag.lic",
        m.failover.replace("FAILOVERSUITE LICENSE", "BASE LICENSE"),
        K::BaseCertificate,
        Some("bad_signature"),
        "a FailoverSuite certificate relabelled as a base certificate: the tag is signed",
    );
    out.add(
        "bad-signature.hwid",
        flip_signature(&m.hwid, 3, 0x80),
        K::HardwareId,
        Some("bad_signature"),
        "a self-signed file whose signature does not verify",
    );
}
