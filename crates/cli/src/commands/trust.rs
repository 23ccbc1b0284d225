//! `licdesk trust add FILE`, `licdesk trust list`: the vendor keys this desk trusts.

use std::fmt;
use std::path::PathBuf;
use std::process::ExitCode;

use licdesk_desk::TrustedKeyView;
use serde::Serialize;

use super::{Context, Result, SortedKeys};

#[derive(clap::Subcommand, Debug)]
pub enum TrustCommand {
    /// Trust another vendor public key (recorded in the audit log).
    Add {
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
    /// List the trusted vendor keys.
    List,
}

#[derive(Debug, Serialize)]
pub struct TrustAdded {
    pub added: bool,
    pub key: TrustedKeyView,
}

impl fmt::Display for TrustAdded {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let k = &self.key;
        if self.added {
            writeln!(
                f,
                "Now trusting vendor key {} of {} (recorded in the audit log).",
                k.key_id, k.vendor
            )
        } else {
            writeln!(
                f,
                "Vendor key {} of {} was already trusted.",
                k.key_id, k.vendor
            )
        }
    }
}

#[derive(Debug, Serialize)]
#[serde(transparent)]
pub struct TrustList(pub Vec<TrustedKeyView>);

impl fmt::Display for TrustList {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for k in &self.0 {
            writeln!(
                f,
                "{}  {}  {}{}",
                k.key_id,
                k.origin,
                k.vendor,
                if k.demo { "  [DEMO]" } else { "" }
            )?;
        }
        Ok(())
    }
}

pub fn run(command: TrustCommand, ctx: &Context) -> Result {
    match command {
        TrustCommand::Add { file } => {
            let (key, added) = ctx.open()?.trust_add(&file)?;
            ctx.emit(&SortedKeys(TrustAdded { added, key }));
        }
        TrustCommand::List => ctx.emit(&TrustList(ctx.open()?.trusted_keys())),
    }
    Ok(ExitCode::SUCCESS)
}
