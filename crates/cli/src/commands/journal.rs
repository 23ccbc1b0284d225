//! `licdesk journal append|export|dismiss|acknowledge`: the standby's usage journal (R12).

use std::fmt;
use std::path::PathBuf;
use std::process::ExitCode;

use licdesk_core::usage::JournalEntry;
use licdesk_core::{LicenseNumber, Timestamp};
use licdesk_desk::{AcknowledgedViolations, DismissedJournal, IfExists};
use serde::Serialize;

use super::{shown, Context, Result};
use crate::args::{self, StateArg};

#[derive(clap::Subcommand, Debug)]
pub enum JournalCommand {
    /// Record that the standby is under load or idle from now (or --at TIME) on.
    Append {
        #[arg(long, value_name = "load|idle", value_parser = StateArg::parser())]
        state: StateArg,
        /// An RFC 3339 time such as 2026-11-24T09:30:00Z (default: now).
        #[arg(long, value_name = "TIME", value_parser = args::time)]
        at: Option<Timestamp>,
    },
    /// Write the hash-chained journal, signed by this installation's key.
    Export {
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// Replace FILE when it exists (never the store or the installation key).
        #[arg(long)]
        force: bool,
    },
    /// Dismiss a tampered journal (its signature failed, or it could not be trusted), once
    /// looked into (audited): monitoring stops reporting it.
    Dismiss {
        /// Its SHA-256, or at least the first 8 characters that licdesk check shows.
        #[arg(long, value_name = "SHA256")]
        journal: String,
        /// Why (who looked into it, and what was found), for the audit log.
        #[arg(long, value_name = "TEXT")]
        reason: String,
    },
    /// Acknowledge a standby's past five-day violations (episodes that have ended), once looked
    /// into (audited): monitoring stops reporting them.
    Acknowledge {
        #[arg(long, value_name = "LICENSE", value_parser = args::license)]
        failover: LicenseNumber,
        /// Why (who looked into it, and what was done), for the audit log.
        #[arg(long, value_name = "TEXT")]
        reason: String,
    },
}

/// The entry just recorded.
#[derive(Debug, Serialize)]
#[serde(transparent)]
pub struct Appended(pub JournalEntry);

impl fmt::Display for Appended {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let e = &self.0;
        writeln!(
            f,
            "journal entry {}: {} from {}",
            e.seq,
            e.state.code(),
            e.at
        )
    }
}

/// (JSON fields in alphabetical order, as they have always been.)
#[derive(Debug, Serialize)]
pub struct Exported {
    pub entries: usize,
    pub exported_at: Timestamp,
    pub failover: LicenseNumber,
    pub file: String,
}

impl fmt::Display for Exported {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "usage journal of FailoverSuite {} ({} entries) written to {}",
            self.failover, self.entries, self.file
        )
    }
}

#[derive(Debug, Serialize)]
#[serde(transparent)]
pub struct Dismissed(pub DismissedJournal);

impl fmt::Display for Dismissed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let j = &self.0;
        let whose = match (&j.failover, &j.key_id) {
            (Some(failover), _) => format!("of FailoverSuite {failover}"),
            (None, k) => format!("naming key {}", k.as_deref().unwrap_or("?")),
        };
        writeln!(
            f,
            "tampered usage journal {} ({whose}) dismissed: monitoring no longer reports it",
            j.file_hash
        )
    }
}

#[derive(Debug, Serialize)]
#[serde(transparent)]
pub struct Acknowledged(pub AcknowledgedViolations);

impl fmt::Display for Acknowledged {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let a = &self.0;
        writeln!(
            f,
            "Five-day violations of FailoverSuite {} acknowledged at {} (recorded in the audit log); monitoring no longer reports them:",
            a.failover, a.acknowledged_at
        )?;
        for e in &a.episodes {
            writeln!(
                f,
                "  the episode since {}: {:.1} h under load, {:.1} h over the limit",
                e.start,
                e.load_seconds as f64 / 3600.0,
                e.over_limit_seconds as f64 / 3600.0
            )?;
        }
        Ok(())
    }
}

pub fn run(command: JournalCommand, ctx: &Context) -> Result {
    match command {
        JournalCommand::Append { state, at } => {
            ctx.emit(&Appended(ctx.open()?.journal_append(state.into(), at)?));
        }
        JournalCommand::Export { out, force } => {
            let journal = ctx
                .open()?
                .journal_export(&out, IfExists::replace_when(force))?;
            ctx.emit(&Exported {
                entries: journal.entries.len(),
                exported_at: journal.exported_at,
                failover: journal.failover,
                file: shown(&out),
            });
        }
        JournalCommand::Dismiss { journal, reason } => {
            let dismissed = ctx.open()?.dismiss_tampered_journal(&journal, &reason)?;
            ctx.emit(&Dismissed(dismissed));
        }
        JournalCommand::Acknowledge { failover, reason } => {
            let done = ctx.open()?.acknowledge_violations(&failover, &reason)?;
            ctx.emit(&Acknowledged(done));
        }
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;
    use licdesk_core::usage::UsageState;
    use licdesk_core::LicenseProduct;

    #[test]
    fn journal_outputs_render_for_people() {
        let at = Timestamp::parse("2026-11-24T09:30:00Z").unwrap();
        let failover = LicenseNumber::from_random(LicenseProduct::FailoverSuite, [1, 2, 3, 4, 5]);
        let cases: Vec<(Box<dyn fmt::Display>, String)> = vec![
            (
                Box::new(Appended(JournalEntry {
                    seq: 7,
                    at,
                    state: UsageState::Load,
                    hash: "00".into(),
                })),
                "journal entry 7: load from 2026-11-24T09:30:00Z\n".into(),
            ),
            (
                Box::new(Exported {
                    entries: 3,
                    exported_at: at,
                    failover: failover.clone(),
                    file: "/tmp/standby.journal".into(),
                }),
                format!("usage journal of FailoverSuite {failover} (3 entries) written to /tmp/standby.journal\n"),
            ),
            (
                Box::new(Dismissed(DismissedJournal {
                    file_hash: "0123abcd".into(),
                    failover: None,
                    key_id: None,
                    reason: "chain broken".into(),
                    imported_at: at,
                    dismissed: None,
                })),
                "tampered usage journal 0123abcd (naming key ?) dismissed: monitoring no longer reports it\n".into(),
            ),
        ];
        for (output, text) in cases {
            assert_eq!(output.to_string(), text);
        }
    }

    #[test]
    fn the_export_keeps_its_json_fields() {
        let at = Timestamp::parse("2026-11-24T09:30:00Z").unwrap();
        let failover = LicenseNumber::from_random(LicenseProduct::FailoverSuite, [1, 2, 3, 4, 5]);
        let json = serde_json::to_string(&Exported {
            entries: 3,
            exported_at: at,
            failover: failover.clone(),
            file: "f".into(),
        })
        .unwrap();
        assert_eq!(
            json,
            format!(
                r#"{{"entries":3,"exported_at":"2026-11-24T09:30:00Z","failover":"{failover}","file":"f"}}"#
            )
        );
    }
}
