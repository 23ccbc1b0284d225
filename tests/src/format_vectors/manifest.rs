//! The manifest `vectors.json`, and writing the vectors with it into a folder.

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use licdesk_core::SigningKey;

use super::{installation_key, other_vendor_key, vectors, Vector};

/// The manifest `vectors.json` of `vectors`, with the keys needed to check them.
pub fn manifest(vectors: &[Vector], vendor: &SigningKey) -> String {
    let files: Vec<serde_json::Value> = vectors
        .iter()
        .map(|v| {
            serde_json::json!({
                "file": v.file,
                "kind": v.kind.tag(),
                "verdict": if v.code.is_some() { "invalid" } else { "valid" },
                "code": v.code,
                "reason": v.reason,
            })
        })
        .collect();
    let doc = serde_json::json!({
        "format": 1,
        "about": "Test vectors of docs/FORMAT.md, made by tests/src/bin/make-format-vectors.rs; do not edit by hand.",
        "trusted_vendor_key": B64.encode(vendor.verifying_key().as_bytes()),
        "installation_key": B64.encode(installation_key().verifying_key().as_bytes()),
        "untrusted_vendor_key": B64.encode(other_vendor_key().verifying_key().as_bytes()),
        "vectors": files,
    });
    let mut text = serde_json::to_string_pretty(&doc).unwrap_or_default();
    text.push('\n');
    text
}

/// Writes the vectors and their manifest into `dir`, replacing what is there.
pub fn write(dir: &std::path::Path, vendor: &SigningKey) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let all = vectors(vendor);
    for v in &all {
        std::fs::write(dir.join(&v.file), &v.bytes)?;
    }
    std::fs::write(dir.join("vectors.json"), manifest(&all, vendor))
}
