//! Refusals about the licenses and systems of the store: a license not there, a standby not
//! registered, an activation request or a release request that cannot be written, a standby
//! release that does not fit; and this desk's own installation (its key, where its store is).

use std::path::PathBuf;

use licdesk_core::{HardwareId, KeyId, LicenseNumber};
use licdesk_outfile::Exposure;
use serde::Serialize;

use super::display_path;
use crate::{ErrorCode, NextStep};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[serde(tag = "refusal", rename_all = "snake_case")]
pub enum StandbyRefusal {
    #[error("base license {license} is not in the store: import its certificate first")]
    BaseNotInStore { license: LicenseNumber },
    #[error("FailoverSuite license {license} is not in the store: import its certificate first")]
    FailoverNotInStore { license: LicenseNumber },
    #[error("{license} is a base license; a standby belongs to a FailoverSuite license (XFM-…){}", failovers_hint(.failovers))]
    NotAFailover {
        license: LicenseNumber,
        /// The FailoverSuite licenses of that base license in the store.
        failovers: Vec<LicenseNumber>,
    },
    #[error("the registration was not stored")]
    RegistrationNotStored,
    #[error("no standby is registered for FailoverSuite {failover}: register it first")]
    NoStandbyToAcknowledge { failover: LicenseNumber },
    #[error("no standby is registered for {license}: register it first, or name the machine")]
    NoStandbyRegistered { license: LicenseNumber },
    #[error("{license} is a FailoverSuite license; a main system is activated with its base license (OMS-…), and a FailoverSuite as a standby")]
    FailoverAsMain { license: LicenseNumber },
    #[error("the standby {hardware_id} of {license} was named by a typed hardware ID, which cannot be activated: make a hardware-ID file on the standby and register it from that file, or write the request on the standby itself")]
    TypedStandbyWithoutKey {
        license: LicenseNumber,
        hardware_id: HardwareId,
    },
    #[error("FailoverSuite {failover} has no active standby to release")]
    NoActiveStandbyToRelease { failover: LicenseNumber },
    #[error("this desk cannot ask for the release of the standby {hardware_id} of FailoverSuite {failover}: {}. Write the release request on the standby machine itself. If that machine is lost or cannot start, ask the vendor to release FailoverSuite {failover} by hand", whose_key(.certified, .own))]
    ReleaseNotOnStandby {
        failover: LicenseNumber,
        hardware_id: HardwareId,
        /// The installation key the standby's activation certified, if any.
        certified: Option<KeyId>,
        /// This desk's installation key.
        own: KeyId,
    },
    #[error("the standby release is invalid: {problem}")]
    InvalidRelease {
        #[serde(serialize_with = "super::text")]
        problem: licdesk_core::ValueError,
    },
    #[error("this release is for {failover}, but the request was for {requested}")]
    ReleaseOtherLicense {
        failover: LicenseNumber,
        requested: LicenseNumber,
    },
    #[error("this release frees the machine {hardware_id}, but the request was for {requested}")]
    ReleaseOtherMachine {
        hardware_id: HardwareId,
        requested: HardwareId,
    },
    #[error("this release answers a release request this desk did not write, and the machine it frees ({hardware_id}) is not the active standby of {failover} in this store: there is nothing to release here")]
    ReleaseOtherRequest {
        failover: LicenseNumber,
        hardware_id: HardwareId,
    },
    #[error(
        "the standby of {failover} in this store is no longer {hardware_id}: nothing to release"
    )]
    StandbyNoLongerHeld {
        failover: LicenseNumber,
        hardware_id: HardwareId,
    },
    #[error("the installation key {} is damaged: move it away and License Desk makes a new one (requests written with the old key stay valid)", .path.display())]
    InstallationKeyDamaged {
        #[serde(serialize_with = "display_path")]
        path: PathBuf,
    },
    #[error("the installation key {} can be read or changed by other users ({}): make it private with '{fix}'. If others may have read it, move it away instead: License Desk makes a new one, and the standby must then be activated again", .path.display(), exposure(.mode, .readers).who())]
    InstallationKeyExposed {
        #[serde(serialize_with = "display_path")]
        path: PathBuf,
        /// Unix: the file's permission bits.
        #[serde(skip_serializing_if = "Option::is_none")]
        mode: Option<u32>,
        /// Windows: the accounts other than its owner, SYSTEM and the Administrators that may
        /// read or change it.
        #[serde(skip_serializing_if = "Vec::is_empty")]
        readers: Vec<String>,
        /// The command that makes it private again (`chmod 600 …`, `icacls …`), for every
        /// shell to show as it is.
        fix: String,
    },
    #[error("this system has no data directory: choose where the store is")]
    NoDataDirectory,
    #[error(
        "a team's store is named by its PostgreSQL URL, such as postgres://user@server/database"
    )]
    NotATeamStoreUrl,
    #[error("{url} holds a password, which License Desk does not keep: put the password in the password file (~/.pgpass; on Windows %APPDATA%\\postgresql\\pgpass.conf), which License Desk reads, and give the URL without it")]
    PasswordInStoreUrl {
        /// The URL as given, its password shown as `***`.
        url: String,
    },
    #[error("{store} is the store this desk works on: sync it with another store")]
    SyncWithItself {
        /// The store, its password (if any) shown as `***`.
        store: String,
    },
}

impl StandbyRefusal {
    /// The refusal of an installation key at `path` that others can read.
    pub fn installation_key_exposed(path: PathBuf, exposure: Exposure) -> StandbyRefusal {
        StandbyRefusal::InstallationKeyExposed {
            fix: exposure.fix(&path),
            path,
            mode: exposure.mode(),
            readers: exposure.accounts().to_vec(),
        }
    }
}

/// Who can read an exposed installation key, from the refusal's parameters.
fn exposure(mode: &Option<u32>, readers: &[String]) -> Exposure {
    match mode {
        Some(mode) => Exposure::Mode(*mode),
        None => Exposure::Accounts(readers.to_vec()),
    }
}

fn failovers_hint(failovers: &[LicenseNumber]) -> String {
    if failovers.is_empty() {
        return String::new();
    }
    format!(
        ": its FailoverSuite licenses are {}",
        failovers
            .iter()
            .map(LicenseNumber::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    )
}

fn whose_key(certified: &Option<KeyId>, own: &KeyId) -> String {
    match certified {
        Some(key) => format!(
            "its activation certified the installation key {key} of the License Desk on that machine, and this desk's key is {own}"
        ),
        None => format!("its activation certified no installation key (this desk's key is {own})"),
    }
}

impl StandbyRefusal {
    pub fn code(&self) -> ErrorCode {
        use StandbyRefusal as R;
        match self {
            R::BaseNotInStore { .. }
            | R::FailoverNotInStore { .. }
            | R::NoStandbyToAcknowledge { .. }
            | R::NoActiveStandbyToRelease { .. } => ErrorCode::NotFound,
            R::NotAFailover { .. }
            | R::NoStandbyRegistered { .. }
            | R::FailoverAsMain { .. }
            | R::InstallationKeyDamaged { .. }
            | R::NoDataDirectory
            | R::NotATeamStoreUrl
            | R::PasswordInStoreUrl { .. }
            | R::SyncWithItself { .. } => ErrorCode::InvalidInput,
            R::RegistrationNotStored => ErrorCode::Store,
            R::TypedStandbyWithoutKey { .. } => ErrorCode::NoInstallationKey,
            R::ReleaseNotOnStandby { .. }
            | R::ReleaseOtherMachine { .. }
            | R::StandbyNoLongerHeld { .. } => ErrorCode::OtherMachine,
            R::InvalidRelease { .. } => ErrorCode::InvalidContent,
            R::ReleaseOtherLicense { .. } => ErrorCode::WrongLicense,
            R::ReleaseOtherRequest { .. } => ErrorCode::OtherRequest,
            R::InstallationKeyExposed { .. } => ErrorCode::Io,
        }
    }

    pub fn next(&self) -> Option<NextStep> {
        use StandbyRefusal as R;
        match self {
            R::NoStandbyRegistered { .. } => Some(NextStep::NameMachine),
            R::FailoverAsMain { .. } => Some(NextStep::UseRoleStandby),
            R::TypedStandbyWithoutKey { .. } => Some(NextStep::RegisterFromHardwareIdFile),
            R::ReleaseNotOnStandby { failover, .. } => Some(NextStep::ReleaseRequestOnStandby {
                failover: failover.clone(),
            }),
            R::NoDataDirectory => Some(NextStep::ChooseStore),
            _ => None,
        }
    }
}
