//! `licdesk standby register|acknowledge|release-request`: the standby of a FailoverSuite.

use std::fmt;
use std::path::PathBuf;
use std::process::ExitCode;

use licdesk_core::{HardwareId, LicenseNumber, Timestamp};
use licdesk_desk::{DeskError, IfExists, SystemView};
use serde::Serialize;

use super::list::SystemLines;
use super::{shown, Context, Result};
use crate::args::{self, MachineArgs, ModeArg};

#[derive(clap::Subcommand, Debug)]
pub enum StandbyCommand {
    /// Write a release request for a standby whose hardware is replaced (then import the release).
    ReleaseRequest {
        #[arg(long, value_name = "LICENSE", value_parser = args::license)]
        failover: LicenseNumber,
        #[arg(long, default_value = "hardware replaced")]
        reason: String,
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// Replace FILE when it exists (never the store or the installation key).
        #[arg(long)]
        force: bool,
    },
    /// Acknowledge the standby/test-only notice of a FailoverSuite (R11; recorded in the audit log).
    Acknowledge {
        #[arg(long, value_name = "LICENSE", value_parser = args::license)]
        failover: LicenseNumber,
    },
    /// Register the standby machine of a FailoverSuite license (R4, R13).
    Register {
        #[arg(long, value_name = "LICENSE", value_parser = args::license)]
        failover: LicenseNumber,
        #[command(flatten)]
        machine: MachineArgs,
        #[arg(long, value_name = "cold|hot|test", default_value = "cold", value_parser = ModeArg::parser())]
        mode: ModeArg,
    },
}

/// The standby just registered, and what to do next.
#[derive(Debug, Serialize)]
#[serde(transparent)]
pub struct Registered(pub SystemView);

impl fmt::Display for Registered {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let v = &self.0;
        writeln!(f, "Standby registered for FailoverSuite {}:", v.license)?;
        write!(f, "{}", SystemLines(v))?;
        writeln!(
            f,
            "Next: licdesk request --license {} --role standby --out FILE",
            v.license
        )
    }
}

/// (JSON fields in alphabetical order, as they have always been.)
#[derive(Debug, Serialize)]
pub struct NoticeAcknowledged {
    pub acknowledged_at: Timestamp,
    pub failover: LicenseNumber,
    /// The notice itself, for people.
    #[serde(skip)]
    pub notice: String,
}

impl fmt::Display for NoticeAcknowledged {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "Notice acknowledged for FailoverSuite {} at {} (recorded in the audit log):\n{}",
            self.failover, self.acknowledged_at, self.notice
        )
    }
}

/// (JSON fields in alphabetical order, as they have always been.)
#[derive(Debug, Serialize)]
pub struct ReleaseRequested {
    pub failover: LicenseNumber,
    pub file: String,
    pub hardware_id: HardwareId,
}

impl fmt::Display for ReleaseRequested {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "Release request for the standby {} of FailoverSuite {} written to {}",
            self.hardware_id, self.failover, self.file
        )?;
        writeln!(
            f,
            "Send it to the vendor and import the release with: licdesk import RELEASE-FILE"
        )
    }
}

pub fn run(command: StandbyCommand, ctx: &Context) -> Result {
    match command {
        StandbyCommand::Register {
            failover,
            machine,
            mode,
        } => {
            let choice = machine.choice().ok_or_else(|| {
                DeskError::invalid(
                    "name the standby machine with --hwid ID, --hwid-file FILE or --this-machine",
                )
            })?;
            let view = ctx
                .open()?
                .register_standby(&failover, &choice, mode.into())?;
            ctx.emit(&Registered(view));
        }
        StandbyCommand::Acknowledge { failover } => {
            let mut desk = ctx.open()?;
            let acknowledged_at = desk.acknowledge_notice(&failover)?;
            let notice = desk.standby_notice(&failover)?;
            ctx.emit(&NoticeAcknowledged {
                acknowledged_at,
                failover,
                notice,
            });
        }
        StandbyCommand::ReleaseRequest {
            failover,
            reason,
            out,
            force,
        } => {
            let request = ctx.open()?.write_release_request(
                &failover,
                &reason,
                &out,
                IfExists::replace_when(force),
            )?;
            ctx.emit(&ReleaseRequested {
                failover,
                file: shown(&out),
                hardware_id: request.hardware.id,
            });
        }
    }
    Ok(ExitCode::SUCCESS)
}
