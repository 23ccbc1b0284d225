//! `licdesk audit`: the audit log — when, who (the account at the computer), what, on what.

use std::fmt;
use std::process::ExitCode;

use licdesk_store::AuditEntry;
use serde::Serialize;

use super::{Context, Result};

#[derive(Debug, Serialize)]
#[serde(transparent)]
pub struct AuditOutput(pub Vec<AuditEntry>);

impl fmt::Display for AuditOutput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for e in &self.0 {
            // Who made the change (the account at the computer); "-" for entries written
            // before License Desk recorded it.
            writeln!(
                f,
                "{}  {:<22} {:<22} {:<20} {}",
                e.at,
                e.actor.as_deref().unwrap_or("-"),
                e.action,
                e.subject,
                e.detail
            )?;
        }
        Ok(())
    }
}

pub fn run(ctx: &Context) -> Result {
    ctx.emit(&AuditOutput(ctx.open()?.audit_log()?));
    Ok(ExitCode::SUCCESS)
}
