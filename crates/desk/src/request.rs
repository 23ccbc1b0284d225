//! Activation requests written to a file for the vendor (the offline activation, step 4).

use crate::standby::stage_standby;
use crate::views::*;
use crate::StandbyRefusal;
use crate::{files, Desk, DeskError, IfExists, MachineChoice};
use licdesk_core::{
    rules, seal, ActivationRequest, FileKind, LicenseNumber, LicenseProduct, Role, StandbyMode,
};
use licdesk_store::{Queries, StoredRequest};
use rand_core::RngCore;
use std::path::{Path, PathBuf};

impl Desk {
    /// Writes an activation request to `out` (the offline activation, step 4). For a standby, `license` is the
    /// FailoverSuite license and the machine defaults to the registered standby; for a main
    /// system, `license` is the base license and the machine defaults to this machine.
    pub fn write_request(
        &mut self,
        license: &LicenseNumber,
        role: Role,
        machine: Option<&MachineChoice>,
        out: &Path,
        if_exists: IfExists,
    ) -> Result<RequestWritten, DeskError> {
        let output = self.output(out, if_exists);
        output.check()?;
        let mut standby_to_register = None;
        let (base_number, mut certificates, hardware, mode, installation_key) = match role {
            Role::Standby => {
                if license.product() != LicenseProduct::FailoverSuite {
                    return Err(self.not_a_failover(license));
                }
                let fo = self.store.failover(license)?.ok_or_else(|| {
                    StandbyRefusal::FailoverNotInStore {
                        license: license.clone(),
                    }
                })?;
                let registered = self.store.system(Role::Standby, license)?;
                let named = match machine {
                    Some(choice) => Some(self.resolve_machine(choice)?),
                    None => None,
                };
                match (named, registered) {
                    // The registered standby, as it is.
                    (None, Some(system)) => (
                        fo.certificate.base_license.clone(),
                        vec![fo.certificate_text],
                        system.hardware,
                        system.mode,
                        system
                            .installation_key
                            .map(licdesk_core::InstallationKey::from),
                    ),
                    (Some(named), registered) => {
                        let same = registered
                            .as_ref()
                            .is_some_and(|s| s.hardware.id == named.hardware.id);
                        let mode = registered.as_ref().and_then(|s| s.mode);
                        if !same {
                            // A new standby: registered with the request, in its transaction,
                            // so that a request that cannot be written leaves no registration.
                            let known = self.known_systems(Some((Role::Standby, license)))?;
                            rules::check_standby(license, &named.hardware, &known)?;
                            standby_to_register = Some((
                                named.hardware.clone(),
                                named.installation_key.clone(),
                                mode.unwrap_or(StandbyMode::Cold),
                            ));
                        }
                        let key = match (same, registered) {
                            (true, Some(s)) => s
                                .installation_key
                                .map(licdesk_core::InstallationKey::from)
                                .or(named.installation_key),
                            _ => named.installation_key,
                        };
                        (
                            fo.certificate.base_license.clone(),
                            vec![fo.certificate_text],
                            named.hardware,
                            Some(mode.unwrap_or(StandbyMode::Cold)),
                            key,
                        )
                    }
                    (None, None) => {
                        return Err(StandbyRefusal::NoStandbyRegistered {
                            license: license.clone(),
                        }
                        .into())
                    }
                }
            }
            Role::Main => {
                if license.product() != LicenseProduct::Suite {
                    return Err(StandbyRefusal::FailoverAsMain {
                        license: license.clone(),
                    }
                    .into());
                }
                let named = self.resolve_machine(machine.unwrap_or(&MachineChoice::ThisMachine))?;
                let known = self.known_systems(Some((Role::Main, license)))?;
                rules::check_main(license, &named.hardware, &known)?;
                (license.clone(), vec![], named.hardware, None, None)
            }
        };
        if role == Role::Standby && installation_key.is_none() {
            // The vendor certifies the standby installation's key (its usage journals and a later
            // release are signed with it): a hardware ID typed by hand carries none.
            return Err(StandbyRefusal::TypedStandbyWithoutKey {
                license: license.clone(),
                hardware_id: hardware.id,
            }
            .into());
        }
        let base = self.base(&base_number)?;
        certificates.insert(0, base.certificate_text.clone());
        let key = self.installation_key()?;
        let mut nonce_bytes = [0u8; 32];
        rand_core::OsRng.fill_bytes(&mut nonce_bytes);
        let nonce = licdesk_core::request_nonce(&nonce_bytes);
        let at = self.clock.now();
        let request = ActivationRequest {
            nonce: nonce.clone(),
            created_at: at,
            license: license.clone(),
            role,
            hardware: hardware.clone(),
            mirrors: base_number.clone(),
            mode,
            certificates,
            installation_key,
        };
        let text = seal(FileKind::ActivationRequest, &request, &key);
        let hash = files::sha256_hex(text.as_bytes());
        let tx = self.store.write()?;
        if let Some((standby, key, mode)) = &standby_to_register {
            stage_standby(
                &tx,
                license,
                &base_number,
                standby,
                key.as_deref(),
                *mode,
                at,
            )?;
        }
        if role == Role::Main {
            let existing = tx.system(Role::Main, license)?;
            if existing
                .as_ref()
                .is_none_or(|s| s.hardware.id != hardware.id)
            {
                tx.put_pending_system(
                    Role::Main,
                    license,
                    &base_number,
                    &hardware,
                    None,
                    None,
                    at,
                )?;
            }
        }
        tx.put_request(
            &StoredRequest {
                nonce: nonce.clone(),
                license: license.clone(),
                role,
                hardware_id: hardware.id.clone(),
                created_at: at,
                answered_at: None,
            },
            &hash,
        )?;
        let detail = format!(
            "activation request for {license} as {} on {} written to {}",
            role.code(),
            hardware.id,
            out.display()
        );
        tx.audit(
            at,
            "request-written",
            license.as_str(),
            &detail,
            Some(&hash),
        )?;
        output.write(text.as_bytes())?;
        if let Err(e) = tx.commit() {
            let _ = std::fs::remove_file(out);
            return Err(e.into());
        }
        Ok(RequestWritten {
            file: out.display().to_string(),
            license: license.clone(),
            role,
            hardware_id: hardware.id,
            mirrors: base_number,
            nonce,
        })
    }
}

/// A file name for a new request that does not exist yet in `dir`: `<license>-<role>.actreq`,
/// then `-2`, `-3`, ….
pub fn suggest_request_path(dir: &Path, license: &LicenseNumber, role: Role) -> PathBuf {
    suggest_file_path(
        dir,
        &format!("{}-{}", license, role.code()),
        FileKind::ActivationRequest.extension(),
    )
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

/// Where files for people go by default: Documents, else Downloads, else home, else here.
pub fn default_export_dir() -> PathBuf {
    dirs::document_dir()
        .filter(|d| d.is_dir())
        .or_else(|| dirs::download_dir().filter(|d| d.is_dir()))
        .or_else(dirs::home_dir)
        .unwrap_or_else(|| PathBuf::from("."))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn suggested_names_are_names_windows_can_hold() {
        let dir = tempfile::tempdir().unwrap();
        let name = |stem: &str| {
            suggest_file_path(dir.path(), stem, "hwid")
                .file_name()
                .unwrap()
                .to_string_lossy()
                .into_owned()
        };
        assert_eq!(name("main-1"), "main-1.hwid");
        assert_eq!(
            name("XFM-7K3D-9PQ2-X4-release"),
            "XFM-7K3D-9PQ2-X4-release.hwid"
        );
        assert_eq!(name("CON"), "CON_.hwid");
        assert_eq!(name("lpt1"), "lpt1_.hwid");
        for stem in ["main-1", "CON", "nul", "com3"] {
            assert_eq!(licdesk_outfile::windows_name_problem(&name(stem)), None);
        }
        std::fs::write(dir.path().join("CON_.hwid"), "x").unwrap();
        assert_eq!(name("CON"), "CON_-2.hwid");
    }
}
