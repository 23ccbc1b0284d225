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
pub mod trust;

use std::fmt;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use licdesk_desk::{location, Desk, DeskError, ErrorCode};
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

    /// The store named by `--store`, else `LICDESK_STORE`, else the platform's data directory.
    pub fn store_path(&self) -> Result<PathBuf> {
        location::resolve_store_path(self.store.as_deref())
    }

    /// The desk over that store (created when missing).
    pub fn open(&self) -> Result<Desk> {
        Desk::open(&self.store_path()?)
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
            licdesk_term::err_json(e);
        } else {
            licdesk_term::err(&format!("error: {}\n", e.message));
            if let Some(hint) = hint(e) {
                licdesk_term::err(&format!("hint: {hint}\n"));
            }
        }
        ExitCode::FAILURE
    }
}

/// The command line's own next step for a desk error, by its code — only when the desk's
/// sentence does not already name that command.
pub fn hint(e: &DeskError) -> Option<&'static str> {
    let (command, hint) = match e.code {
        ErrorCode::Tampered => (
            "licdesk journal dismiss",
            "once looked into, dismiss it with licdesk journal dismiss --journal SHA256 --reason TEXT (licdesk check shows the SHA-256)",
        ),
        ErrorCode::NoInstallationKey => (
            "licdesk hwid",
            "make a hardware-ID file on the standby with licdesk hwid --out FILE and register the standby from it with --hwid-file FILE",
        ),
        ErrorCode::FileExists => ("--force", "pass --force to replace the file"),
        _ => return None,
    };
    (!e.message.contains(command)).then_some(hint)
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

    #[test]
    fn a_hint_only_when_the_desk_did_not_already_say_it() {
        let said = DeskError::new(
            ErrorCode::Tampered,
            "… once resolved, dismiss it: licdesk journal dismiss --journal 0123abcd --reason TEXT",
        );
        assert_eq!(hint(&said), None);
        let unsaid = DeskError::new(ErrorCode::Tampered, "the journal's chain is broken");
        assert!(hint(&unsaid)
            .unwrap()
            .contains("licdesk journal dismiss --journal"));
        assert_eq!(hint(&DeskError::invalid("anything")), None);
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
