//! `licdesk request`: an activation request for the vendor.

use std::fmt;
use std::path::PathBuf;
use std::process::ExitCode;

use licdesk_core::LicenseNumber;
use licdesk_desk::{IfExists, RequestWritten};
use serde::Serialize;

use super::{Context, Result};
use crate::args::{self, MachineArgs, RoleArg};

#[derive(clap::Args, Debug)]
pub struct RequestArgs {
    #[arg(long, value_name = "LICENSE", value_parser = args::license)]
    license: LicenseNumber,
    #[arg(long, value_name = "main|standby", value_parser = RoleArg::parser())]
    role: RoleArg,
    #[command(flatten)]
    machine: MachineArgs,
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
    /// Replace FILE when it exists (never the store or the installation key).
    #[arg(long)]
    force: bool,
}

#[derive(Debug, Serialize)]
#[serde(transparent)]
pub struct RequestOutput(pub RequestWritten);

impl fmt::Display for RequestOutput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let r = &self.0;
        writeln!(
            f,
            "Activation request for {} ({} on {}, mirroring {}) written to {}",
            r.license,
            r.role.code(),
            r.hardware_id,
            r.mirrors,
            r.file
        )?;
        writeln!(
            f,
            "Send it to the vendor and import the response with: licdesk import RESPONSE-FILE"
        )
    }
}

pub fn run(args: RequestArgs, ctx: &Context) -> Result {
    let written = ctx.open()?.write_request(
        &args.license,
        args.role.into(),
        args.machine.choice().as_ref(),
        &args.out,
        IfExists::replace_when(args.force),
    )?;
    ctx.emit(&RequestOutput(written));
    Ok(ExitCode::SUCCESS)
}
