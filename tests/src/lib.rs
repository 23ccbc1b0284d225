//! Shared support for License Desk's tests: the demo vendor, a minimal WebDriver client, and a
//! harness that runs the real app through tauri-driver under Xvfb.

pub mod app;
pub mod format_vectors;
mod run;
pub mod ui;
pub mod webdriver;

pub use run::Run;

use std::path::{Path, PathBuf};

use licdesk_issuer::VendorKey;

/// `target/debug` of this workspace (or of `CARGO_TARGET_DIR`).
pub fn target_debug() -> PathBuf {
    target_dir().join("debug")
}

/// The release build's folder (`make bench` builds there). Named from the target folder, never
/// through `debug/..`, which does not resolve while no debug build exists (a fresh clone).
pub fn target_release() -> PathBuf {
    target_dir().join("release")
}

/// The workspace's target folder (`CARGO_TARGET_DIR` when set).
pub fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../target"),
    }
}

/// A built binary of the workspace, or a clear instruction to build it.
pub fn built_binary(name: &str) -> PathBuf {
    let path = target_debug().join(name);
    assert!(
        path.exists(),
        "{} is missing: build first with `cargo build --workspace` (make test does this)",
        path.display()
    );
    path
}

/// The demo vendor's key. It lives in tests/data; git does not keep file modes and the vendor
/// tool refuses a key others can read, so it is used from a private copy in `dir`.
pub fn demo_vendor(dir: &Path) -> anyhow::Result<VendorKey> {
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/demo-vendor.key");
    let copy = dir.join("demo-vendor.key");
    std::fs::copy(&source, &copy)
        .map_err(|e| anyhow::anyhow!("reading {}: {e}", source.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&copy, std::fs::Permissions::from_mode(0o600))?;
    }
    Ok(VendorKey::load(&copy)?)
}

/// The demo vendor's signing key, read from tests/data (for files made without the vendor tool).
pub fn demo_vendor_signing_key() -> anyhow::Result<licdesk_core::SigningKey> {
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/demo-vendor.key");
    let text = std::fs::read_to_string(&source)
        .map_err(|e| anyhow::anyhow!("reading {}: {e}", source.display()))?;
    VendorKey::parse(&text)
        .map(|k| k.key)
        .ok_or_else(|| anyhow::anyhow!("{} is not a vendor key", source.display()))
}

/// Where tests leave screenshots for people to look at.
pub fn artifacts_dir() -> PathBuf {
    let dir = target_dir().join("e2e-artifacts");
    let _ = std::fs::create_dir_all(&dir);
    dir
}
