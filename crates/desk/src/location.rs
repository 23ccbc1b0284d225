//! Where the store lives: `--store PATH`, else `LICDESK_STORE`, else the platform's data directory.

use std::path::{Path, PathBuf};

use crate::error::DeskError;

pub const STORE_ENV: &str = "LICDESK_STORE";

/// Resolves the store path from an explicit choice, the environment, or the platform default.
pub fn resolve_store_path(explicit: Option<&Path>) -> Result<PathBuf, DeskError> {
    if let Some(p) = explicit {
        return Ok(p.to_path_buf());
    }
    if let Some(p) = std::env::var_os(STORE_ENV).filter(|p| !p.is_empty()) {
        return Ok(PathBuf::from(p));
    }
    let base =
        dirs::data_dir().ok_or_else(|| DeskError::from(crate::StandbyRefusal::NoDataDirectory))?;
    Ok(base.join("license-desk").join("store.sqlite"))
}

/// The installation key lives beside the store, readable by its owner only.
pub fn installation_key_path(store: &Path) -> PathBuf {
    let mut name = store
        .file_stem()
        .map(|s| s.to_os_string())
        .unwrap_or_else(|| "store".into());
    name.push(".installation-key");
    store.with_file_name(name)
}
