//! Where the store lives: `--store PATH`, else `LICDESK_STORE`, else the platform's place for
//! one user's data — `$XDG_DATA_HOME/license-desk/store.sqlite` (`~/.local/share/…`) on Linux,
//! `%LOCALAPPDATA%\License Desk\store.sqlite` on Windows.
//!
//! A standby's store, whose journal a service account writes, is machine-wide: on Windows
//! `%ProgramData%\License Desk\` made by [`init_shared_store`] with an access list that lets that
//! account change it and the administrators manage it; on Linux a folder such as
//! `/var/lib/license-desk` made with `install -d -o ACCOUNT -m 0750`. It is never chosen on its
//! own: the service and the people who look at it name it with `--store` or `LICDESK_STORE`
//! (ARCHITECTURE.md, "Windows places", says why).

use std::path::{Path, PathBuf};

use crate::error::DeskError;

pub const STORE_ENV: &str = "LICDESK_STORE";

/// The store's file name in a folder of License Desk's.
const STORE_FILE: &str = "store.sqlite";

/// Resolves the store path from an explicit choice, the environment, or the platform default.
pub fn resolve_store_path(explicit: Option<&Path>) -> Result<PathBuf, DeskError> {
    if let Some(p) = explicit {
        return Ok(p.to_path_buf());
    }
    if let Some(p) = std::env::var_os(STORE_ENV).filter(|p| !p.is_empty()) {
        return Ok(PathBuf::from(p));
    }
    Ok(user_data_dir()?.join(STORE_FILE))
}

/// This user's folder of License Desk's data.
#[cfg(windows)]
fn user_data_dir() -> Result<PathBuf, DeskError> {
    licdesk_winsys::known_folder(licdesk_winsys::KnownFolder::LocalAppData)
        .map(|d| d.join("License Desk"))
        .map_err(|_| DeskError::from(crate::StandbyRefusal::NoDataDirectory))
}

/// This user's folder of License Desk's data.
#[cfg(not(windows))]
fn user_data_dir() -> Result<PathBuf, DeskError> {
    let base =
        dirs::data_dir().ok_or_else(|| DeskError::from(crate::StandbyRefusal::NoDataDirectory))?;
    Ok(base.join("license-desk"))
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

/// A machine-wide store's folder, made by [`init_shared_store`].
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SharedStore {
    /// The folder made.
    pub dir: String,
    /// The store to name with `--store` or `LICDESK_STORE`.
    pub store: String,
    /// The account that may change it (as Windows names it).
    pub writer: String,
}

/// Windows: makes `%ProgramData%\License Desk\` for a store that the account `writer` (a
/// standby's service account) changes: its access list, given at creation and inheriting
/// nothing, lets SYSTEM and the Administrators do everything and `writer` read, write and
/// append, and nobody else anything; the files made in it inherit that. An existing folder is
/// refused and left as it is.
#[cfg(windows)]
pub fn init_shared_store(writer: &str) -> Result<SharedStore, DeskError> {
    use licdesk_winsys::{Access, KnownFolder, Sid, WellKnown};
    let account = Sid::lookup(writer).map_err(|_| {
        DeskError::new(
            crate::ErrorCode::InvalidInput,
            format!("there is no account named '{writer}' on this machine: name the account the service runs as (such as 'NT SERVICE\\NAME' or 'DOMAIN\\user')"),
        )
    })?;
    let base = licdesk_winsys::known_folder(KnownFolder::ProgramData)
        .map_err(|_| DeskError::from(crate::StandbyRefusal::NoDataDirectory))?;
    let dir = base.join("License Desk");
    let io = |e: &std::io::Error| DeskError::io("create the folder", &dir, e);
    let system = Sid::well_known(WellKnown::System).map_err(|e| io(&e))?;
    let admins = Sid::well_known(WellKnown::Administrators).map_err(|e| io(&e))?;
    let grants = [
        (system, Access::Full),
        (admins, Access::Full),
        (account.clone(), Access::Modify),
    ];
    match licdesk_winsys::create_dir_with_access(&dir, &grants) {
        Ok(()) => Ok(SharedStore {
            dir: dir.display().to_string(),
            store: dir.join(STORE_FILE).display().to_string(),
            writer: account.account_name(),
        }),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Err(DeskError::new(
            crate::ErrorCode::FileExists,
            format!(
                "{} already exists: it is left as it is, with its access list. Use its store with --store \"{}\", or remove the folder first to make it anew",
                dir.display(),
                dir.join(STORE_FILE).display()
            ),
        )),
        Err(e) => Err(io(&e)),
    }
}

/// Elsewhere than Windows a machine-wide folder is made with the system's own tools.
#[cfg(not(windows))]
pub fn init_shared_store(writer: &str) -> Result<SharedStore, DeskError> {
    Err(DeskError::new(
        crate::ErrorCode::NotSupported,
        format!("'store init-shared' makes a machine-wide folder on Windows only; on Linux make it with 'install -d -o {writer} -m 0750 /var/lib/license-desk' (as root) and name its store with --store /var/lib/license-desk/store.sqlite or LICDESK_STORE"),
    ))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn the_default_store_is_in_this_users_data_folder() {
        let path = resolve_store_path(Some(Path::new("/x/s.sqlite"))).unwrap();
        assert_eq!(path, Path::new("/x/s.sqlite"));
        let dir = user_data_dir().unwrap();
        if cfg!(windows) {
            let local = std::env::var_os("LOCALAPPDATA").unwrap();
            assert_eq!(dir, Path::new(&local).join("License Desk"));
        } else {
            assert_eq!(dir, dirs::data_dir().unwrap().join("license-desk"));
        }
    }

    #[cfg(not(windows))]
    #[test]
    fn a_shared_store_is_made_with_the_systems_tools_elsewhere() {
        let err = init_shared_store("licdesk-svc").unwrap_err();
        assert_eq!(err.code, crate::ErrorCode::NotSupported);
        assert!(
            err.message
                .contains("install -d -o licdesk-svc -m 0750 /var/lib/license-desk"),
            "{}",
            err.message
        );
    }

    #[cfg(windows)]
    #[test]
    fn an_unknown_writer_is_refused_before_anything_is_made() {
        let err = init_shared_store("no-such-account-for-license-desk").unwrap_err();
        assert_eq!(err.code, crate::ErrorCode::InvalidInput, "{}", err.message);
        assert!(err.message.contains("no account named"));
    }
}
