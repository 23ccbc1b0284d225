//! `licdesk import FILE...`: certificates, activation responses, releases and usage journals,
//! each file all or nothing.

use std::path::PathBuf;
use std::process::ExitCode;

use licdesk_desk::{DeskError, ErrorCode, ImportOutcome, ImportStatus};
use serde::Serialize;

use super::{hint, Context, Result, SortedKeys};

#[derive(clap::Args, Debug)]
pub struct ImportArgs {
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
}

/// What happened to every file (stdout).
#[derive(Debug, Serialize)]
pub struct ImportOutput {
    pub files: Vec<ImportOutcome>,
}

/// A file that was refused, or a usage journal recorded as tampered (never used): an error on
/// stderr, and a non-zero exit.
#[derive(Debug, Serialize)]
pub struct Refusal<'a> {
    pub file: &'a str,
    #[serde(flatten)]
    pub error: DeskError,
    /// The next step in this command line's words.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
}

impl<'a> Refusal<'a> {
    fn of(o: &'a ImportOutcome) -> Option<Refusal<'a>> {
        let error = match o.status {
            ImportStatus::Refused => o
                .error
                .clone()
                .unwrap_or_else(|| DeskError::invalid(o.message.clone())),
            ImportStatus::Tampered => o
                .error
                .clone()
                .unwrap_or_else(|| DeskError::new(ErrorCode::Tampered, o.message.clone())),
            _ => return None,
        };
        Some(Refusal {
            file: &o.file,
            hint: hint(&error),
            error,
        })
    }
}

/// One line for people: on stdout what was imported, on stderr what was not.
fn line(o: &ImportOutcome) -> String {
    match o.status {
        ImportStatus::Refused => format!("error: {}: refused: {}\n", o.file, o.message),
        ImportStatus::Tampered => format!("error: {}: tampered: {}\n", o.file, o.message),
        _ => format!("{}: {}\n", o.file, o.message),
    }
}

pub fn run(args: ImportArgs, ctx: &Context) -> Result {
    let output = ImportOutput {
        files: ctx.open()?.import_paths(&args.files),
    };
    let errors: Vec<Refusal> = output.files.iter().filter_map(Refusal::of).collect();
    if ctx.json() {
        licdesk_term::out_json(&SortedKeys(&output));
        for e in &errors {
            licdesk_term::err_json(&SortedKeys(e));
        }
    } else {
        for o in &output.files {
            match Refusal::of(o) {
                Some(e) => {
                    licdesk_term::err(&line(o));
                    if let Some(hint) = hint(&e.error) {
                        licdesk_term::err(&format!("hint: {hint}\n"));
                    }
                }
                None => licdesk_term::out(&line(o)),
            }
        }
    }
    Ok(if errors.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
