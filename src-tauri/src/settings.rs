//! The window's settings on this computer: where the store is (this computer's store, or a
//! team's store by its URL) and the team's store last synced with. They are kept in the folder
//! where the window keeps its size and place (`$XDG_CONFIG_HOME/<identifier>/`, on Windows
//! `%APPDATA%\<identifier>\`), in `settings.json`, readable by this user only (written whole
//! through `licdesk-outfile`: mode 0600, an owner-only access list on Windows). A URL is only
//! ever saved without a password (`licdesk_desk::location::team_store` refuses one): the
//! password lives in the password file, which the store reads.
//!
//! At start an explicit `LICDESK_STORE` wins, as it always has; else the team's store saved
//! here; else this user's own store.

use std::path::{Path, PathBuf};

use licdesk_desk::location::{self, StoreLocation, STORE_ENV};
use licdesk_desk::{DeskError, IfExists};
use serde::{Deserialize, Serialize};

const FILE: &str = "settings.json";

/// What the window keeps between runs.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Settings {
    /// The team's store the window works on (a PostgreSQL URL without a password); none: this
    /// computer's store.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) team_store: Option<String>,
    /// The team's store last synced with (a URL without a password).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) sync_with: Option<String>,
}

/// Where the settings are kept (none when this account has no configuration folder: the
/// window then keeps nothing).
#[derive(Debug, Clone)]
pub(crate) struct SettingsFile {
    path: Option<PathBuf>,
}

impl SettingsFile {
    /// The app's settings in this user's configuration folder, beside the window's size and
    /// place (the folder Tauri names after the app's `identifier`).
    pub(crate) fn for_app(identifier: &str) -> SettingsFile {
        SettingsFile {
            path: dirs::config_dir().map(|d| d.join(identifier).join(FILE)),
        }
    }

    #[cfg(test)]
    fn at(path: PathBuf) -> SettingsFile {
        SettingsFile { path: Some(path) }
    }

    /// The settings as last saved; none saved (or a file that cannot be read) is the defaults.
    pub(crate) fn load(&self) -> Settings {
        let Some(path) = &self.path else {
            return Settings::default();
        };
        match std::fs::read(path) {
            Ok(bytes) => serde_json::from_slice(&bytes).unwrap_or_else(|e| {
                // Only a convenience: the window starts on this computer's store instead.
                eprintln!(
                    "License Desk could not read its settings {} ({e}): they are left out",
                    path.display()
                );
                Settings::default()
            }),
            Err(_) => Settings::default(),
        }
    }

    /// Changes the settings with `change` and writes them whole (or leaves the file as it was).
    pub(crate) fn update(&self, change: impl FnOnce(&mut Settings)) -> Result<(), DeskError> {
        let mut settings = self.load();
        change(&mut settings);
        let Some(path) = &self.path else {
            return Err(licdesk_desk::StandbyRefusal::NoDataDirectory.into());
        };
        if let Some(dir) = path.parent() {
            make_private_folder(dir)?;
        }
        let json = serde_json::to_vec_pretty(&settings)
            .map_err(|e| DeskError::invalid(format!("the settings cannot be written: {e}")))?;
        licdesk_outfile::Output::new(path, IfExists::Replace)
            .private()
            .write(&json)?;
        Ok(())
    }
}

/// Makes `dir` (and its parents) when missing, the last one for this user only.
fn make_private_folder(dir: &Path) -> Result<(), DeskError> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder
        .create(dir)
        .map_err(|e| DeskError::io("create", dir, &e))
}

/// `LICDESK_STORE` as the environment gives it, redacted (none when unset or empty).
pub(crate) fn env_store() -> Option<String> {
    std::env::var_os(STORE_ENV)
        .filter(|v| !v.is_empty())
        .map(|v| StoreLocation::of(Path::new(&v)).redacted())
}

/// The store the window opens at start: `LICDESK_STORE` when set, else the team's store
/// saved, else this user's own store.
pub(crate) fn starting_store(saved: &Settings) -> Result<StoreLocation, DeskError> {
    if env_store().is_some() {
        return location::resolve_store(None);
    }
    match &saved.team_store {
        Some(url) => location::team_store(url),
        None => location::resolve_store(None),
    }
}

/// This computer's store: the file `LICDESK_STORE` names, else this user's own store.
pub(crate) fn local_store() -> Result<PathBuf, DeskError> {
    match location::resolve_store(None)? {
        StoreLocation::Sqlite(path) => Ok(path),
        StoreLocation::Postgres(_) => location::default_store_path(),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn settings_are_written_for_this_user_only_and_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let file = SettingsFile::at(dir.path().join("app/settings.json"));
        assert_eq!(file.load(), Settings::default());
        file.update(|s| s.team_store = Some("postgres://anna@db/licdesk".into()))
            .unwrap();
        file.update(|s| s.sync_with = Some("postgres://anna@db/team".into()))
            .unwrap();
        assert_eq!(
            file.load(),
            Settings {
                team_store: Some("postgres://anna@db/licdesk".into()),
                sync_with: Some("postgres://anna@db/team".into()),
            }
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode(&dir.path().join("app/settings.json")), 0o600);
            assert_eq!(mode(&dir.path().join("app")), 0o700);
        }
        file.update(|s| s.team_store = None).unwrap();
        let text = std::fs::read_to_string(dir.path().join("app/settings.json")).unwrap();
        assert!(!text.contains("team_store"), "{text}");
    }

    #[test]
    fn a_settings_file_that_cannot_be_read_is_the_defaults() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("settings.json");
        std::fs::write(&path, b"{not json").unwrap();
        assert_eq!(SettingsFile::at(path).load(), Settings::default());
    }
}
