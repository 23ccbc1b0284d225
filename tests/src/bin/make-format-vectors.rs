//! Writes the test vectors of docs/FORMAT.md (§13) and their manifest into a folder:
//! `cargo run -p licdesk-tests --bin make-format-vectors -- docs/format-vectors`.
//! Fixed keys and fixed times: the same bytes every time.

use std::path::PathBuf;

fn main() -> anyhow::Result<()> {
    let dir = std::env::args_os()
        .nth(1)
        .map(PathBuf::from)
        .ok_or_else(|| anyhow::anyhow!("usage: make-format-vectors FOLDER"))?;
    let vendor = licdesk_tests::demo_vendor_signing_key()?;
    licdesk_tests::format_vectors::write(&dir, &vendor)?;
    println!("wrote {}", dir.display());
    Ok(())
}
