//! The one error shape that crosses every boundary: `{code, message}`. Shells branch on `code`
//! and show `message`, a sentence that says what was wrong and what to do.

use licdesk_core::{FileError, IdError, KeyError, RuleViolation, TimeError, ValueError};
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
    Tampered,
    /// A path typed for a new file is not a full path (from the root).
    PathNotAbsolute,
    /// The folder of a path typed for a new file does not exist.
    FolderMissing,
    /// A folder or file named for an import does not exist.
    PathMissing,
    /// A folder named for an import holds no file.
    NothingToImport,
    /// An import was asked while another one runs (the window imports one lot at a time).
    ImportRunning,
    /// An activation request for a standby known only by a typed hardware ID: the vendor
    /// certifies the standby installation's key, which only its hardware-ID file (or "this
    /// machine" chosen on the standby) carries.
    NoInstallationKey,
    /// A five-day violation still running cannot be acknowledged yet.
    ViolationRunning,
    /// The disk is full (while the store or an output was written): nothing was changed.
    DiskFull,
    /// The store file is damaged (restore it from a backup).
    StoreDamaged,
    /// A vendor-signed file older than one already applied for the same system or license
    /// (a response, release or certificate): what the vendor signed moves forward only.
    Superseded,
    /// The window's backend failed in a way no input explains (a bug): restart and report it.
    Internal,
    /// An output was asked to go over the store, its SQLite siblings or the installation key
    /// (under that name or another: a link, a path through `..`).
    OutputProtected,
    /// An output was asked to go over a folder, a device, a named pipe or a socket.
    OutputNotRegular,
    /// What was asked is not supported yet on this system (Windows: reading the hardware,
    /// keeping the installation key private).
    NotSupported,
    /// No program on this computer is set up to open a file of this kind (an import log, CSV),
    /// or the system's opener itself is missing (`xdg-open`).
    NoProgramToOpen,
    /// The program set up for the file's kind was started but could not open it.
    ProgramCouldNotOpen,
}

/// Which kind of typed identifier an [`IdProblem`] is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum IdKind {
    HardwareId,
    LicenseNumber,
    KeyId,
}

/// Exactly what is wrong with a typed hardware ID, license number or key id, so a shell can say
/// it precisely in the user's language. It rides along with `code: invalid_input`, which stays
/// the code of every input error (scripts branch on it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum IdProblem {
    /// Too few or too many characters, or (license numbers) not an OMS-/XFM- prefix.
    WrongShape { id: IdKind },
    /// A character that codes never use (they use 0-9 and A-Z except I, L, O, U).
    UnusedCharacter { id: IdKind, character: char },
    /// The two check characters do not match the rest: a typo or two characters swapped.
    CheckMismatch { id: IdKind },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{message}")]
pub struct DeskError {
    pub code: ErrorCode,
    pub message: String,
    /// For a mistyped identifier: what exactly is wrong (`reason`, `id`, `character`).
    #[serde(flatten)]
    pub id_problem: Option<IdProblem>,
    /// What to do next, for each shell to say in its own words (a command line, a button).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next: Option<crate::NextStep>,
    /// For a refusal of the desk: which one and its values (`{"refusal": "<variant>", …}`, see
    /// [`crate::Refusal`]), for a shell to say it with them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub params: Option<serde_json::Value>,
}

impl DeskError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        DeskError {
            code,
            message: message.into(),
            id_problem: None,
            next: None,
            params: None,
        }
    }

    /// The same error, with what to do next.
    pub fn with_next(self, next: crate::NextStep) -> Self {
        DeskError {
            next: Some(next),
            ..self
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
        let id = |what: &str| match what {
            "hardware ID" => IdKind::HardwareId,
            "key id" => IdKind::KeyId,
            _ => IdKind::LicenseNumber,
        };
        let problem = match &e {
            IdError::Shape { what, .. } => IdProblem::WrongShape { id: id(what) },
            IdError::Character { what, ch, .. } => IdProblem::UnusedCharacter {
                id: id(what),
                character: *ch,
            },
            IdError::Check { what, .. } => IdProblem::CheckMismatch { id: id(what) },
        };
        DeskError {
            id_problem: Some(problem),
            ..DeskError::invalid(e.to_string())
        }
    }
}

/// A value the core refused (a variant, role, mode or state typed, an extension, a name, a
/// reason): an input error, its sentence as it is.
impl From<ValueError> for DeskError {
    fn from(e: ValueError) -> Self {
        DeskError::invalid(e.to_string())
    }
}

/// A time the core could not read: an input error.
impl From<TimeError> for DeskError {
    fn from(e: TimeError) -> Self {
        DeskError::invalid(e.to_string())
    }
}

/// A public key the core could not read: an input error.
impl From<KeyError> for DeskError {
    fn from(e: KeyError) -> Self {
        DeskError::invalid(e.to_string())
    }
}

impl From<licdesk_outfile::OutputError> for DeskError {
    fn from(e: licdesk_outfile::OutputError) -> Self {
        use licdesk_outfile::OutputError as E;
        let code = match &e {
            E::Protected { .. } => ErrorCode::OutputProtected,
            E::Exists { .. } => ErrorCode::FileExists,
            E::NotRegular { .. } => ErrorCode::OutputNotRegular,
            E::DiskFull { .. } => ErrorCode::DiskFull,
            E::NoFileName { .. } => ErrorCode::InvalidInput,
            E::Io { .. } => ErrorCode::Io,
            E::NameNotAllowed { .. } => ErrorCode::InvalidInput,
        };
        let error = DeskError::new(code, e.to_string());
        match e {
            E::Exists { .. } => error.with_next(crate::NextStep::ReplaceFile),
            _ => error,
        }
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
            StoreError::DiskFull => ErrorCode::DiskFull,
            StoreError::Damaged(_) | StoreError::NotAStore { .. } | StoreError::Corrupt(_) => {
                ErrorCode::StoreDamaged
            }
            _ => ErrorCode::Store,
        };
        DeskError::new(code, e.to_string())
    }
}

impl From<licdesk_machine::MachineError> for DeskError {
    fn from(e: licdesk_machine::MachineError) -> Self {
        let code = match e {
            licdesk_machine::MachineError::NotSupported => ErrorCode::NotSupported,
            licdesk_machine::MachineError::NoMachineId
            | licdesk_machine::MachineError::NoMachineGuid => ErrorCode::Machine,
        };
        DeskError::new(code, e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use licdesk_core::{HardwareId, LicenseNumber};
    use serde_json::json;

    fn json_of(e: IdError) -> serde_json::Value {
        serde_json::to_value(DeskError::from(e)).unwrap()
    }

    #[test]
    fn a_mistyped_identifier_says_exactly_what_is_wrong_and_keeps_the_input_code() {
        let shape = json_of(HardwareId::parse("ABCD-EFGH").unwrap_err());
        assert_eq!(shape["code"], "invalid_input");
        assert_eq!(shape["reason"], "wrong_shape");
        assert_eq!(shape["id"], "hardware_id");
        assert!(shape.get("character").is_none(), "{shape}");

        let unused = json_of(HardwareId::parse("ABCD-EFGH-JKMN-PQU2").unwrap_err());
        assert_eq!(unused["code"], "invalid_input");
        assert_eq!(unused["reason"], "unused_character");
        assert_eq!(unused["character"], "U");
        assert!(
            unused["message"].as_str().unwrap().contains("'U'"),
            "{unused}"
        );

        // A valid ID with one character changed: the check characters catch it.
        let good = HardwareId::from_digest(&[7; 16]).to_string();
        let first = good.chars().next().unwrap();
        let other = if first == 'A' { 'B' } else { 'A' };
        let typo = format!("{other}{}", &good[1..]);
        let check = json_of(HardwareId::parse(&typo).unwrap_err());
        assert_eq!(check["reason"], "check_mismatch");
        assert_eq!(check["id"], "hardware_id");

        let license = json_of(LicenseNumber::parse("OMS-XXXX").unwrap_err());
        assert_eq!(license["code"], "invalid_input");
        assert_eq!(license["reason"], "wrong_shape");
        assert_eq!(license["id"], "license_number");
    }

    /// A refused file has the code of FORMAT.md §8 the core names for it, the one the vendor
    /// tool reports for the same problem.
    #[test]
    fn a_refused_file_has_the_code_the_core_names() {
        let key_id = licdesk_core::KeyId::parse("vk-0123456789abcdef").unwrap();
        let all = [
            FileError::Empty,
            FileError::TooLarge {
                size: 9,
                cap: 8,
                what: "release",
            },
            FileError::NotText,
            FileError::NotArmored,
            FileError::unknown_kind("PIZZA"),
            FileError::Truncated("RELEASE"),
            FileError::Damaged("no empty line".into()),
            FileError::unsupported_format("2"),
            FileError::UntrustedKey {
                what: "release",
                key_id,
            },
            FileError::BadSignature("release"),
            FileError::bad_payload("release", "revision 0"),
            FileError::WrongKind {
                expected: "release",
                found: "hardware-ID file",
            },
        ];
        for e in all {
            let desk = serde_json::to_value(DeskError::from(e.clone())).unwrap();
            assert_eq!(desk["code"], e.code(), "{e:?}");
        }
    }

    #[test]
    fn other_errors_carry_no_id_problem() {
        let e = serde_json::to_value(DeskError::invalid("nope")).unwrap();
        assert_eq!(e, json!({"code": "invalid_input", "message": "nope"}));
    }
}
