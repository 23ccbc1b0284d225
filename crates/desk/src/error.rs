//! The one error shape that crosses every boundary: `{code, message}`. Shells branch on `code`
//! and show `message`, a sentence that says what was wrong and what to do.

use licdesk_core::{FileError, IdError, RuleViolation};
use licdesk_store::StoreError;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    InvalidInput,
    NotFound,
    EmptyFile,
    TooLarge,
    NotLicenseFile,
    DamagedFile,
    UnsupportedFormat,
    UntrustedKey,
    BadSignature,
    InvalidContent,
    WrongKind,
    BaseMissing,
    Conflict,
    OtherRequest,
    OtherMachine,
    WrongLicense,
    RuleViolation,
    Store,
    NewerStore,
    Io,
    Machine,
    FileExists,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{message}")]
pub struct DeskError {
    pub code: ErrorCode,
    pub message: String,
}

impl DeskError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        DeskError {
            code,
            message: message.into(),
        }
    }

    pub fn invalid(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::InvalidInput, message)
    }

    pub fn io(what: &str, path: &std::path::Path, e: &std::io::Error) -> Self {
        Self::new(
            ErrorCode::Io,
            format!("cannot {what} {}: {}", path.display(), io_reason(e)),
        )
    }
}

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "there is no such file".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        std::io::ErrorKind::AlreadyExists => "the file already exists".into(),
        _ => e.to_string(),
    }
}

impl From<FileError> for DeskError {
    fn from(e: FileError) -> Self {
        let code = match &e {
            FileError::Empty => ErrorCode::EmptyFile,
            FileError::TooLarge { .. } => ErrorCode::TooLarge,
            FileError::NotText | FileError::NotArmored | FileError::UnknownKind(_) => {
                ErrorCode::NotLicenseFile
            }
            FileError::Truncated(_) | FileError::Damaged(_) => ErrorCode::DamagedFile,
            FileError::UnsupportedFormat(_) => ErrorCode::UnsupportedFormat,
            FileError::UntrustedKey { .. } => ErrorCode::UntrustedKey,
            FileError::BadSignature(_) => ErrorCode::BadSignature,
            FileError::BadPayload { .. } => ErrorCode::InvalidContent,
            FileError::WrongKind { .. } => ErrorCode::WrongKind,
        };
        DeskError::new(code, e.to_string())
    }
}

impl From<IdError> for DeskError {
    fn from(e: IdError) -> Self {
        DeskError::invalid(e.to_string())
    }
}

impl From<RuleViolation> for DeskError {
    fn from(e: RuleViolation) -> Self {
        DeskError::new(ErrorCode::RuleViolation, e.to_string())
    }
}

impl From<StoreError> for DeskError {
    fn from(e: StoreError) -> Self {
        let code = match e {
            StoreError::NewerSchema { .. } => ErrorCode::NewerStore,
            _ => ErrorCode::Store,
        };
        DeskError::new(code, e.to_string())
    }
}

impl From<licdesk_machine::MachineError> for DeskError {
    fn from(e: licdesk_machine::MachineError) -> Self {
        DeskError::new(ErrorCode::Machine, e.to_string())
    }
}
