//! `licdesk sync --with STORE`: this store and another (a laptop's and its team's) exchange what
//! each lacks, both ways (see `licdesk_desk::sync` for what travels and the rules).

use std::fmt;
use std::path::PathBuf;
use std::process::ExitCode;

use licdesk_desk::{Desk, SyncConflict, SyncDirection, SyncReport, SyncSide};
use licdesk_store::StoreLocation;
use serde::Serialize;

use super::{hint, Context, Result, SortedKeys};

#[derive(clap::Args, Debug)]
pub struct SyncArgs {
    /// The other store: a PostgreSQL URL (postgres://user@host/database) or an SQLite file.
    #[arg(long = "with", value_name = "STORE")]
    with: PathBuf,
}

/// What the sync did (stdout), the other store named without its password.
#[derive(Debug, Serialize)]
pub struct SyncOutput {
    pub with: String,
    #[serde(flatten)]
    pub report: SyncReport,
}

fn counts(d: &SyncDirection) -> String {
    let n = |count: usize, one: &str, many: &str| {
        format!("{count} {}", if count == 1 { one } else { many })
    };
    [
        n(d.files, "file", "files"),
        n(d.registrations, "registration", "registrations"),
        n(d.requests, "request", "requests"),
        n(d.decisions, "decision", "decisions"),
        n(d.audit_entries, "audit entry", "audit entries"),
    ]
    .join(", ")
}

fn conflict_line(c: &SyncConflict) -> String {
    let store = match c.side {
        SyncSide::This => "this store",
        SyncSide::Other => "the other store",
    };
    format!(
        "conflict ({store}, {}): {}: kept {}; set aside {}\n",
        c.rule, c.subject, c.kept, c.set_aside
    )
}

impl fmt::Display for SyncOutput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let r = &self.report;
        writeln!(f, "Synced with {}.", self.with)?;
        writeln!(f, "  received: {}", counts(&r.received))?;
        writeln!(f, "  sent:     {}", counts(&r.sent))?;
        for c in &r.conflicts {
            write!(f, "  {}", conflict_line(c))?;
        }
        if r.interrupted {
            writeln!(
                f,
                "  stopped before the end: run the same sync again to finish it"
            )?;
        }
        Ok(())
    }
}

/// A file one of the stores refused (stderr).
#[derive(Debug, Serialize)]
struct SyncRefusal<'a> {
    /// The content id of the file.
    file: &'a str,
    /// `this` when this store refused it, `other` when the other store did.
    refused_by: SyncSide,
    #[serde(flatten)]
    error: licdesk_desk::DeskError,
    #[serde(skip_serializing_if = "Option::is_none")]
    hint: Option<String>,
}

pub fn run(args: SyncArgs, ctx: &Context) -> Result {
    let mut desk = ctx.open()?;
    let location = StoreLocation::of(&args.with);
    let mut other = Desk::open_at(&location)?;
    let report = desk.sync_with(&mut other)?;
    let output = SyncOutput {
        with: location.redacted(),
        report,
    };
    let refusals: Vec<SyncRefusal> = [
        (SyncSide::This, &output.report.received.refused),
        (SyncSide::Other, &output.report.sent.refused),
    ]
    .into_iter()
    .flat_map(|(side, list)| {
        list.iter().map(move |o| {
            let error = o
                .error
                .clone()
                .unwrap_or_else(|| licdesk_desk::DeskError::invalid(o.message.clone()));
            SyncRefusal {
                file: &o.file,
                refused_by: side,
                hint: hint(&error),
                error,
            }
        })
    })
    .collect();
    if ctx.json() {
        licdesk_term::out_json(&SortedKeys(&output));
        for r in &refusals {
            licdesk_term::err_json(&SortedKeys(r));
        }
    } else {
        licdesk_term::out(&output.to_string());
        for r in &refusals {
            let by = match r.refused_by {
                SyncSide::This => "this store",
                SyncSide::Other => "the other store",
            };
            licdesk_term::err(&format!(
                "error: {}: refused by {by}: {}\n",
                r.file, r.error.message
            ));
            if let Some(hint) = &r.hint {
                licdesk_term::err(&format!("hint: {hint}\n"));
            }
        }
    }
    Ok(if output.report.complete() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
