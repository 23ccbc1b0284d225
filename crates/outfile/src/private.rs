//! Files that hold a secret (the installation key, the vendor key): the one place that says how
//! such a file is made readable by its owner only, and how one that others can read is told.
//!
//! - **Unix**: created with mode 0600 from the start; exposed when `mode & 0o077` is not zero.
//! - **Windows**: created with an access list given at creation that holds one entry — full
//!   control for the account that makes it — and inherits nothing from its folder (so it is
//!   never readable by others, not even for a moment); exposed when its access list lets any
//!   account other than the file's owner, the account reading it, SYSTEM and the Administrators
//!   read or change it (a NULL access list: Everyone). Those accounts are named.
//! - Elsewhere neither can be done: creating fails and checking fails (`Unsupported`), so a key
//!   is never made or used unprotected.

use std::fs::File;
use std::io;
use std::path::Path;

/// Who besides its owner can read or change a private file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Exposure {
    /// Unix: the file's permission bits (`mode & 0o777`), some of them for the group or others.
    Mode(u32),
    /// Windows: the accounts and groups (`DOMAIN\name`, or a SID) that may read or change it.
    Accounts(Vec<String>),
}

impl Exposure {
    /// The permission bits, on Unix.
    pub fn mode(&self) -> Option<u32> {
        match self {
            Exposure::Mode(mode) => Some(*mode),
            Exposure::Accounts(_) => None,
        }
    }

    /// The accounts, on Windows.
    pub fn accounts(&self) -> &[String] {
        match self {
            Exposure::Mode(_) => &[],
            Exposure::Accounts(accounts) => accounts,
        }
    }

    /// Who can read it, for a sentence: `mode 644`, or `Everyone, BUILTIN\Users`.
    pub fn who(&self) -> String {
        match self {
            Exposure::Mode(mode) => format!("mode {mode:o}"),
            Exposure::Accounts(accounts) => accounts.join(", "),
        }
    }

    /// The command that makes the file at `path` private again.
    pub fn fix(&self, path: &Path) -> String {
        match self {
            Exposure::Mode(_) => format!("chmod 600 {}", path.display()),
            Exposure::Accounts(accounts) => {
                let mut command = format!(
                    "icacls \"{}\" /inheritance:r /grant:r \"%USERNAME%:F\"",
                    path.display()
                );
                for account in accounts {
                    command.push_str(&format!(" /remove \"{account}\""));
                }
                command
            }
        }
    }
}

/// Creates a new file (an existing one is never opened: `AlreadyExists`) readable and writable
/// by its owner only, from its first byte.
pub fn create_private(path: &Path) -> io::Result<File> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(path)
    }
    #[cfg(windows)]
    {
        licdesk_winsys::create_private_file(path)
    }
    #[cfg(not(any(unix, windows)))]
    {
        let _ = path;
        Err(unsupported())
    }
}

/// Who besides its owner can read or change the open file; None when nobody can.
pub fn exposure(file: &File) -> io::Result<Option<Exposure>> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = file.metadata()?.permissions().mode() & 0o777;
        Ok((mode & 0o077 != 0).then_some(Exposure::Mode(mode)))
    }
    #[cfg(windows)]
    {
        let others = licdesk_winsys::dacl_of_file(file)?.others_who_can_read_or_change()?;
        let names: Vec<String> = others.iter().map(|sid| sid.account_name()).collect();
        Ok((!names.is_empty()).then_some(Exposure::Accounts(names)))
    }
    #[cfg(not(any(unix, windows)))]
    {
        let _ = file;
        Err(unsupported())
    }
}

/// [`exposure`] of the file at `path`.
pub fn exposure_of(path: &Path) -> io::Result<Option<Exposure>> {
    exposure(&File::open(path)?)
}

#[cfg(not(any(unix, windows)))]
fn unsupported() -> io::Error {
    io::Error::new(
        io::ErrorKind::Unsupported,
        "License Desk cannot keep a file readable by its owner only on this system",
    )
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn an_exposure_says_who_and_how_to_fix_it() {
        let path = Path::new("/keys/vendor.key");
        let mode = Exposure::Mode(0o644);
        assert_eq!(mode.who(), "mode 644");
        assert_eq!(mode.fix(path), "chmod 600 /keys/vendor.key");
        assert_eq!(mode.mode(), Some(0o644));
        let accounts = Exposure::Accounts(vec!["Everyone".into(), r"BUILTIN\Users".into()]);
        assert_eq!(accounts.who(), r"Everyone, BUILTIN\Users");
        assert_eq!(
            accounts.fix(Path::new(r"C:\keys\vendor.key")),
            r#"icacls "C:\keys\vendor.key" /inheritance:r /grant:r "%USERNAME%:F" /remove "Everyone" /remove "BUILTIN\Users""#
        );
        assert_eq!(accounts.mode(), None);
    }

    #[test]
    fn a_private_file_is_not_exposed_and_is_made_only_once() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("secret.key");
        let mut file = create_private(&path).unwrap();
        io::Write::write_all(&mut file, b"secret").unwrap();
        drop(file);
        assert_eq!(exposure_of(&path).unwrap(), None);
        assert_eq!(
            create_private(&path).unwrap_err().kind(),
            io::ErrorKind::AlreadyExists
        );
        assert_eq!(std::fs::read(&path).unwrap(), b"secret");
    }

    /// A file whose access list lets Everyone read it is exposed, and Everyone is named.
    #[cfg(windows)]
    #[test]
    fn a_file_others_may_read_names_them() {
        use licdesk_winsys::{Access, Sid, WellKnown};
        let dir = tempfile::tempdir().unwrap();
        let shared = dir.path().join("shared.key");
        let everyone = Sid::well_known(WellKnown::Everyone).unwrap();
        drop(
            licdesk_winsys::create_file_with_access(
                &shared,
                &[
                    (Sid::current_user().unwrap(), Access::Full),
                    (everyone.clone(), Access::Read),
                ],
            )
            .unwrap(),
        );
        let exposure = exposure_of(&shared).unwrap().expect("exposed");
        assert_eq!(exposure.accounts(), [everyone.account_name()]);
        assert!(exposure.who().contains("Everyone"), "{exposure:?}");
    }

    #[cfg(unix)]
    #[test]
    fn a_file_others_may_read_has_its_mode() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("k");
        drop(create_private(&path).unwrap());
        assert_eq!(
            std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o600
        );
        for (mode, exposed) in [(0o644, true), (0o640, true), (0o604, true), (0o400, false)] {
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
            assert_eq!(
                exposure_of(&path).unwrap(),
                exposed.then_some(Exposure::Mode(mode)),
                "{mode:o}"
            );
        }
    }
}
