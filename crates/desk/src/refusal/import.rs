//! Refusals of importing and reading files: the kinds that are not imported, certificates the
//! store contradicts, vendor keys, hardware-ID files, files too large or that are folders.

use std::path::PathBuf;

use licdesk_core::{FileKind, KeyId, LicenseNumber, Timestamp, ValueError};
use serde::Serialize;

use super::{display_path, kind_tag, text};
use crate::{ErrorCode, NextStep};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[serde(tag = "refusal", rename_all = "snake_case")]
pub enum ImportRefusal {
    #[error("{} is {size} bytes, more than the {cap} bytes a License Desk file may have: it is not a License Desk file", .path.display())]
    FileTooLarge {
        #[serde(serialize_with = "display_path")]
        path: PathBuf,
        size: u64,
        cap: u64,
    },
    #[error("{} is a folder, not a file", .path.display())]
    FileIsFolder {
        #[serde(serialize_with = "display_path")]
        path: PathBuf,
    },
    #[error("this is a release request: send it to the vendor, then import the standby release the vendor returns")]
    ReleaseRequestNotImported,
    #[error("a hardware-ID file is not imported: use it to register a standby or to write a request for that machine")]
    HardwareIdFileNotImported,
    #[error("this is an activation request: send it to the vendor, then import the activation response the vendor returns")]
    ActivationRequestNotImported,
    #[error("this is a vendor public key: trust it from the command line (the window cannot add trusted keys)")]
    VendorKeyNotImported,
    #[error("a {} is not signed by the vendor", .kind.describe())]
    NotVendorSigned {
        #[serde(serialize_with = "kind_tag")]
        kind: FileKind,
    },
    #[error("the base license certificate is invalid: {problem}")]
    InvalidBaseCertificate {
        #[serde(serialize_with = "text")]
        problem: ValueError,
    },
    #[error("this certificate is revision {revision} of {license}, superseded by revision {held} (issued {held_issued_at}) in the store: nothing was changed")]
    CertificateSuperseded {
        license: LicenseNumber,
        revision: u32,
        held: u32,
        held_issued_at: Timestamp,
    },
    #[error("revision {revision} of {license} in the store differs from this certificate's: ask the vendor for a certificate with a higher revision")]
    CertificateDiffersAtSameRevision {
        license: LicenseNumber,
        revision: u32,
    },
    #[error("{license} belongs to customer '{}' in the store, but this certificate names '{named}': nothing was changed", licdesk_core::escape_for_terminal(.held))]
    OtherCustomer {
        license: LicenseNumber,
        held: String,
        named: String,
    },
    #[error("the FailoverSuite certificate is invalid: {problem}")]
    InvalidFailoverCertificate {
        #[serde(serialize_with = "text")]
        problem: ValueError,
    },
    #[error("FailoverSuite {license} extends base license {base}, which is not in the store: import the certificate of {base} first, then this one")]
    FailoverBaseMissing {
        license: LicenseNumber,
        base: LicenseNumber,
    },
    #[error("FailoverSuite {license} is attached to {held_base} in the store, but this certificate names {named_base}: nothing was changed")]
    FailoverOtherBase {
        license: LicenseNumber,
        held_base: LicenseNumber,
        named_base: LicenseNumber,
    },
    #[error("this is the certificate of FailoverSuite {license}, which extends base license {named_base}, not {base}: choose a FailoverSuite certificate issued for {base}. Nothing was changed")]
    FailoverForOtherBase {
        license: LicenseNumber,
        /// The base license it was to be added to.
        base: LicenseNumber,
        /// The base license the certificate names.
        named_base: LicenseNumber,
    },
    #[error("the hardware-ID file is invalid: {problem}")]
    InvalidHardwareIdFile {
        #[serde(serialize_with = "text")]
        problem: ValueError,
    },
    #[error("trusted key {key_id}: {problem}")]
    TrustedKeyUnreadable {
        key_id: KeyId,
        #[serde(serialize_with = "text")]
        problem: licdesk_core::KeyError,
    },
    #[error("the vendor public key file names another key than the one that signed it")]
    VendorKeyMismatch,
    #[error("the key was not stored")]
    KeyNotStored,
    #[error("{} does not exist: check the path of the folder or file to import", .path.display())]
    PathMissing {
        #[serde(serialize_with = "display_path")]
        path: PathBuf,
    },
    #[error("'{}' is not a full path: write it from the root, like /home/me/vendor-files or C:\\Users\\me\\vendor-files", .path.display())]
    PathNotAbsolute {
        #[serde(serialize_with = "display_path")]
        path: PathBuf,
    },
    #[error("cannot read the folder {}: {reason}", .path.display())]
    FolderUnreadable {
        #[serde(serialize_with = "display_path")]
        path: PathBuf,
        reason: String,
    },
    #[error("the folder {} holds no file to import (folders inside it are not imported)", .path.display())]
    NothingToImport {
        #[serde(serialize_with = "display_path")]
        path: PathBuf,
    },
    #[error("an import is already running: wait until it has finished (or cancel it), then import these files")]
    ImportRunning,
    #[error("{} is not an import log of this store", .path.display())]
    NotAnImportLog {
        #[serde(serialize_with = "display_path")]
        path: PathBuf,
    },
}

impl ImportRefusal {
    pub fn code(&self) -> ErrorCode {
        use ImportRefusal as R;
        match self {
            R::FileTooLarge { .. } => ErrorCode::TooLarge,
            R::FileIsFolder { .. } => ErrorCode::InvalidInput,
            R::ReleaseRequestNotImported
            | R::HardwareIdFileNotImported
            | R::ActivationRequestNotImported
            | R::VendorKeyNotImported
            | R::NotVendorSigned { .. } => ErrorCode::WrongKind,
            R::InvalidBaseCertificate { .. }
            | R::InvalidFailoverCertificate { .. }
            | R::InvalidHardwareIdFile { .. }
            | R::VendorKeyMismatch => ErrorCode::InvalidContent,
            R::CertificateSuperseded { .. } => ErrorCode::Superseded,
            R::CertificateDiffersAtSameRevision { .. }
            | R::OtherCustomer { .. }
            | R::FailoverOtherBase { .. } => ErrorCode::Conflict,
            R::FailoverBaseMissing { .. } => ErrorCode::BaseMissing,
            R::FailoverForOtherBase { .. } => ErrorCode::WrongLicense,
            R::TrustedKeyUnreadable { .. } | R::KeyNotStored => ErrorCode::Store,
            R::PathMissing { .. } => ErrorCode::PathMissing,
            R::PathNotAbsolute { .. } => ErrorCode::PathNotAbsolute,
            R::FolderUnreadable { .. } => ErrorCode::Io,
            R::NothingToImport { .. } => ErrorCode::NothingToImport,
            R::ImportRunning => ErrorCode::ImportRunning,
            R::NotAnImportLog { .. } => ErrorCode::InvalidInput,
        }
    }

    pub fn next(&self) -> Option<NextStep> {
        match self {
            ImportRefusal::HardwareIdFileNotImported => Some(NextStep::UseHardwareIdFile),
            ImportRefusal::VendorKeyNotImported => Some(NextStep::TrustKey),
            _ => None,
        }
    }
}
