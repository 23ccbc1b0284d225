//! Where the window suggests saving the files people carry, and under which name: in the user's
//! documents folder, named after the customer and the license (`Müller GmbH – OMS-7K3D-9PQ2-X4 –
//! main system.actreq`), a name every system can hold, one that does not exist yet.
//!
//! The naming rule ([`file_stem`], [`safe_name_part`]) is pure; the desk fills it from its store
//! ([`Desk::suggest_request_path`], [`Desk::suggest_release_path`]).

use std::path::{Path, PathBuf};

use licdesk_core::{FileKind, HardwareId, LicenseNumber, Role};
use licdesk_store::Queries;

use crate::{Desk, DeskError, StandbyRefusal};

/// The most characters a customer name or host name keeps in a suggested file name: the whole
/// path must stay well inside what Windows' classic limit of 260 characters allows.
const MAX_PART_CHARS: usize = 60;

/// What a request or release file is about, for its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileSubject<'a> {
    /// The main system's activation request.
    MainSystem,
    /// A standby's activation request (the first group of its hardware ID names it).
    Standby(&'a HardwareId),
    /// The release of a standby whose hardware is replaced.
    Release(&'a HardwareId),
}

/// `<customer> – <license> – <subject>`: the stem of a suggested file name, safe on every system.
pub fn file_stem(customer: &str, license: &LicenseNumber, subject: FileSubject<'_>) -> String {
    let subject = match subject {
        FileSubject::MainSystem => "main system".to_string(),
        FileSubject::Standby(hwid) => format!("standby {}", first_group(hwid)),
        FileSubject::Release(hwid) => format!("release standby {}", first_group(hwid)),
    };
    let customer = safe_name_part(customer);
    if customer.is_empty() {
        format!("{license} – {subject}")
    } else {
        format!("{customer} – {license} – {subject}")
    }
}

/// The first group of a hardware ID (`ABCD` of `ABCD-EFGH-JKMN-PQ12`): enough to tell standbys
/// apart in a folder, short enough for a file name.
fn first_group(hwid: &HardwareId) -> &str {
    let text = hwid.as_str();
    text.split('-').next().unwrap_or(text)
}

/// A name (a customer's, a host's) as part of a file name on every system: the characters
/// Windows refuses (`<>:"/\|?*`), control and invisible format characters become a space,
/// runs of blanks one space; no dot or blank at either end (a leading dot hides a file on
/// Linux, a trailing one Windows drops); at most [`MAX_PART_CHARS`] characters.
pub fn safe_name_part(name: &str) -> String {
    let replaced: String = name
        .chars()
        .map(|c| {
            if "<>:\"/\\|?*".contains(c) || c.is_control() || is_invisible(c) {
                ' '
            } else {
                c
            }
        })
        .collect();
    let words: Vec<&str> = replaced.split_whitespace().collect();
    let joined: String = words.join(" ").chars().take(MAX_PART_CHARS).collect();
    joined
        .trim_matches(|c: char| c == '.' || c.is_whitespace())
        .to_string()
}

/// Bidirectional controls and other invisible format characters (names in the store never hold
/// them — `check_text` refuses them — but a file name must not, whatever the store holds).
fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}')
}

/// `<stem>.<ext>` in `dir`, or `<stem>-2.<ext>`, `-3`, … — the first that does not exist. A
/// stem Windows cannot hold as a name (a host called `CON`, one ending with a dot) gets a `_`.
pub fn suggest_file_path(dir: &Path, stem: &str, ext: &str) -> PathBuf {
    let stem = if licdesk_outfile::windows_name_problem(&format!("{stem}.{ext}")).is_some() {
        format!("{}_", stem.trim_end_matches(['.', ' ']))
    } else {
        stem.to_string()
    };
    let first = dir.join(format!("{stem}.{ext}"));
    if !first.exists() {
        return first;
    }
    (2..)
        .map(|n| dir.join(format!("{stem}-{n}.{ext}")))
        .find(|p| !p.exists())
        .unwrap_or(first)
}

/// Where files for people go by default: the user's documents folder (on Linux the XDG
/// `DOCUMENTS` folder of `user-dirs.dirs`, on Windows the Documents known folder), else the home
/// folder; None when there is neither (the user then types a full path).
pub fn default_export_dir() -> Option<PathBuf> {
    dirs::document_dir()
        .filter(|d| d.is_dir())
        .or_else(|| dirs::home_dir().filter(|d| d.is_dir()))
}

impl Desk {
    /// A new file for the activation request of `license` in `role`, in `dir`: named after the
    /// customer, the license and the system (the registered standby's hardware ID).
    pub fn suggest_request_path(
        &self,
        dir: &Path,
        license: &LicenseNumber,
        role: Role,
    ) -> Result<PathBuf, DeskError> {
        let (customer, standby) = self.customer_and_standby(license, role)?;
        let subject = match (&standby, role) {
            (Some(hwid), Role::Standby) => FileSubject::Standby(hwid),
            _ => FileSubject::MainSystem,
        };
        let stem = match (role, &standby) {
            // A standby not registered yet: its request needs a machine named on the command
            // line; the name says only the license.
            (Role::Standby, None) => format!("{} – {license} – standby", safe_name_part(&customer)),
            _ => file_stem(&customer, license, subject),
        };
        Ok(suggest_file_path(
            dir,
            &stem,
            FileKind::ActivationRequest.extension(),
        ))
    }

    /// A new file for the release request of `failover`'s standby, in `dir`.
    pub fn suggest_release_path(
        &self,
        dir: &Path,
        failover: &LicenseNumber,
    ) -> Result<PathBuf, DeskError> {
        let (customer, standby) = self.customer_and_standby(failover, Role::Standby)?;
        let standby = standby.ok_or_else(|| StandbyRefusal::NoActiveStandbyToRelease {
            failover: failover.clone(),
        })?;
        Ok(suggest_file_path(
            dir,
            &file_stem(&customer, failover, FileSubject::Release(&standby)),
            FileKind::ReleaseRequest.extension(),
        ))
    }

    /// The customer of `license` (a base license, or a FailoverSuite's base) and, for a
    /// FailoverSuite, the hardware ID of its registered standby.
    fn customer_and_standby(
        &self,
        license: &LicenseNumber,
        role: Role,
    ) -> Result<(String, Option<HardwareId>), DeskError> {
        let base = match license.product() {
            licdesk_core::LicenseProduct::Suite => license.clone(),
            licdesk_core::LicenseProduct::FailoverSuite => {
                self.failover_cert(license)?.base_license
            }
        };
        let customer = self.base(&base)?.certificate.customer;
        let standby = match role {
            Role::Standby => self
                .store
                .system(Role::Standby, license)?
                .map(|s| s.hardware.id),
            Role::Main => None,
        };
        Ok((customer, standby))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use licdesk_core::LicenseProduct;

    fn license() -> LicenseNumber {
        LicenseNumber::from_random(LicenseProduct::Suite, [3, 1, 4, 1, 5])
    }

    #[test]
    fn a_file_is_named_after_the_customer_the_license_and_the_system() {
        let l = license();
        let hwid = HardwareId::from_digest(&[9; 16]);
        let group = hwid.as_str()[..4].to_string();
        assert_eq!(
            file_stem("Müller GmbH", &l, FileSubject::MainSystem),
            format!("Müller GmbH – {l} – main system")
        );
        assert_eq!(
            file_stem("Müller GmbH", &l, FileSubject::Standby(&hwid)),
            format!("Müller GmbH – {l} – standby {group}")
        );
        assert_eq!(
            file_stem("Müller GmbH", &l, FileSubject::Release(&hwid)),
            format!("Müller GmbH – {l} – release standby {group}")
        );
        // A name with nothing left to keep: the license alone.
        assert_eq!(
            file_stem(" ... ", &l, FileSubject::MainSystem),
            format!("{l} – main system")
        );
    }

    #[test]
    fn a_customer_name_becomes_a_part_every_system_can_hold() {
        assert_eq!(safe_name_part("Müller & Söhne GmbH"), "Müller & Söhne GmbH");
        assert_eq!(safe_name_part("A/B: \"Best\" <Co>"), "A B Best Co");
        assert_eq!(safe_name_part(r"C:\Users\x|y?*"), "C Users x y");
        assert_eq!(safe_name_part("  .hidden.  "), "hidden");
        assert_eq!(safe_name_part("Tab\tand\nnewline"), "Tab and newline");
        assert_eq!(safe_name_part("evil\u{202E}txt.exe"), "evil txt.exe");
        assert_eq!(safe_name_part("dots..."), "dots");
        let long = "Ä".repeat(200);
        assert_eq!(safe_name_part(&long).chars().count(), MAX_PART_CHARS);
    }

    #[test]
    fn every_suggested_name_is_one_windows_can_hold() {
        let dir = tempfile::tempdir().unwrap();
        let l = license();
        let hwid = HardwareId::from_digest(&[1; 16]);
        for customer in [
            "CON",
            "nul",
            "Müller GmbH",
            "a:b|c",
            "trailing dot.",
            "Ω \u{7} bell",
            "COM1",
            "",
        ] {
            for subject in [
                FileSubject::MainSystem,
                FileSubject::Standby(&hwid),
                FileSubject::Release(&hwid),
            ] {
                let path =
                    suggest_file_path(dir.path(), &file_stem(customer, &l, subject), "actreq");
                let name = path.file_name().unwrap().to_string_lossy().into_owned();
                assert_eq!(licdesk_outfile::windows_name_problem(&name), None, "{name}");
                assert!(!name.starts_with('.') && !name.contains('/'), "{name}");
            }
        }
    }

    #[test]
    fn a_suggested_name_is_one_that_does_not_exist_yet_and_a_device_name_gets_a_mark() {
        let dir = tempfile::tempdir().unwrap();
        let name = |stem: &str| {
            suggest_file_path(dir.path(), stem, "hwid")
                .file_name()
                .unwrap()
                .to_string_lossy()
                .into_owned()
        };
        assert_eq!(name("main-1"), "main-1.hwid");
        assert_eq!(name("CON"), "CON_.hwid");
        assert_eq!(name("lpt1"), "lpt1_.hwid");
        std::fs::write(dir.path().join("CON_.hwid"), "x").unwrap();
        assert_eq!(name("CON"), "CON_-2.hwid");
        std::fs::write(dir.path().join("main-1.hwid"), "x").unwrap();
        std::fs::write(dir.path().join("main-1-2.hwid"), "x").unwrap();
        assert_eq!(name("main-1"), "main-1-3.hwid");
    }
}
