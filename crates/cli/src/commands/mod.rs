//! One module per command group: its clap arguments, its typed output (serialised for `--json`,
//! rendered for people by `Display`) and its `run`.

pub mod audit;
pub mod check;
pub mod hwid;
pub mod import;
pub mod journal;
pub mod list;
pub mod request;
pub mod standby;
pub mod store;
pub mod sync;
pub mod trust;

use std::fmt;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use licdesk_desk::{location, Desk, DeskError, NextStep, StoreLocation};
use serde::Serialize;

/// What a command returns: its exit status, or the desk error to report (exit 1).
pub type Result<T = ExitCode> = std::result::Result<T, DeskError>;

/// What every command gets from the global options.
#[derive(Debug)]
pub struct Context {
    store: Option<PathBuf>,
    json: bool,
}

impl Context {
    pub fn new(store: Option<PathBuf>, json: bool) -> Context {
        Context { store, json }
    }

    pub fn json(&self) -> bool {
        self.json
    }

    /// The store named by `--store`, else `LICDESK_STORE`, else the platform's data directory:
    /// an SQLite file, or a PostgreSQL database named by its URL.
    pub fn store(&self) -> Result<StoreLocation> {
        location::resolve_store(self.store.as_deref())
    }

    /// The desk over that store (created when missing).
    pub fn open(&self) -> Result<Desk> {
        Desk::open_at(&self.store()?)
    }

    /// Prints a command's output on stdout: JSON with `--json`, else its text.
    pub fn emit<T: Serialize + fmt::Display>(&self, output: &T) {
        if self.json {
            licdesk_term::out_json(output);
        } else {
            licdesk_term::out(&output.to_string());
        }
    }

    /// Reports a desk error on stderr (the JSON object with `--json`): exit 1.
    pub fn fail(&self, e: &DeskError) -> ExitCode {
        if self.json {
            licdesk_term::err_json(&WithHint::of(e));
        } else {
            licdesk_term::err(&format!("error: {}\n", e.message));
            if let Some(hint) = hint(e) {
                licdesk_term::err(&format!("hint: {hint}\n"));
            }
        }
        ExitCode::FAILURE
    }
}

/// The command line's own words for what to do next about a desk error: the desk names the
/// step ([`NextStep`]), never a command line.
pub fn hint(e: &DeskError) -> Option<String> {
    e.next.as_ref().map(next_step)
}

/// A desk error as `--json` prints it: its code, message and typed next step, and that step in
/// this command line's words (`hint`).
#[derive(Debug, Serialize)]
pub struct WithHint<'a> {
    #[serde(flatten)]
    pub error: &'a DeskError,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
}

impl<'a> WithHint<'a> {
    pub fn of(error: &'a DeskError) -> WithHint<'a> {
        WithHint {
            error,
            hint: hint(error),
        }
    }
}

/// A next step as this command line says it.
pub fn next_step(step: &NextStep) -> String {
    match step {
        NextStep::DismissJournal { journal } => {
            format!("once resolved: licdesk journal dismiss --journal {journal} --reason TEXT")
        }
        NextStep::AcknowledgeViolations { failover } => format!(
            "once looked into: licdesk journal acknowledge --failover {failover} --reason TEXT"
        ),
        NextStep::ImportLatestJournal => {
            "import the standby's latest journal (licdesk journal export --out FILE on the standby)"
                .to_string()
        }
        NextStep::ReexportJournal => "on the standby: licdesk import RESPONSE-FILE, then licdesk journal export --out FILE; import that file here".to_string(),
        NextStep::GiveReason => "give the reason with --reason TEXT".to_string(),
        NextStep::SeeMonitoring => "licdesk check lists them".to_string(),
        NextStep::LeaveOutTime => "leave out --at to record now".to_string(),
        NextStep::ActivateThisMachine => {
            "licdesk standby register --this-machine, licdesk request, licdesk import".to_string()
        }
        NextStep::RegisterFromHardwareIdFile => "make a hardware-ID file on the standby with licdesk hwid --out FILE and register the standby from it with --hwid-file FILE, or write the request on the standby itself with --this-machine".to_string(),
        NextStep::UseHardwareIdFile => "licdesk standby register --failover XFM-… --hwid-file FILE, or licdesk request … --hwid-file FILE".to_string(),
        NextStep::TrustKey => "licdesk trust add FILE".to_string(),
        NextStep::ReleaseRequestOnStandby { failover } => format!(
            "on the standby: licdesk standby release-request --failover {failover} --reason TEXT --out FILE"
        ),
        NextStep::NameMachine => {
            "licdesk standby register first, or name the machine with --hwid, --hwid-file or --this-machine"
                .to_string()
        }
        NextStep::UseRoleStandby => "--role standby".to_string(),
        NextStep::ChooseStore => "--store PATH|URL or LICDESK_STORE".to_string(),
        NextStep::ReplaceFile => "pass --force to replace it".to_string(),
    }
}

/// An output serialised with its object keys sorted (as a `serde_json::Value` holds them): the
/// order the JSON of these commands has always had.
#[derive(Debug)]
pub struct SortedKeys<T>(pub T);

impl<T: Serialize> Serialize for SortedKeys<T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        serde_json::to_value(&self.0)
            .map_err(serde::ser::Error::custom)?
            .serialize(s)
    }
}

impl<T: fmt::Display> fmt::Display for SortedKeys<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// A path as people read it.
pub fn shown(path: &Path) -> String {
    path.display().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use licdesk_desk::ErrorCode;

    #[test]
    fn the_next_step_is_said_in_this_command_lines_words() {
        let tampered = DeskError::new(ErrorCode::Tampered, "the journal's chain is broken")
            .with_next(NextStep::DismissJournal {
                journal: "0123456789ab".into(),
            });
        assert_eq!(
            hint(&tampered).unwrap(),
            "once resolved: licdesk journal dismiss --journal 0123456789ab --reason TEXT"
        );
        assert_eq!(hint(&DeskError::invalid("anything")), None);
        let no_key = DeskError::new(ErrorCode::NoInstallationKey, "typed")
            .with_next(NextStep::RegisterFromHardwareIdFile);
        assert!(hint(&no_key).unwrap().contains("licdesk hwid --out FILE"));
    }

    #[test]
    fn sorted_keys_sort_nested_objects_too() {
        #[derive(Serialize)]
        struct Inner {
            z: u8,
            a: u8,
        }
        #[derive(Serialize)]
        struct Outer {
            key: Inner,
            added: bool,
        }
        let text = serde_json::to_string(&SortedKeys(Outer {
            key: Inner { z: 1, a: 2 },
            added: true,
        }))
        .unwrap();
        assert_eq!(text, r#"{"added":true,"key":{"a":2,"z":1}}"#);
    }
}
