//! `licdesk store init-shared --writer ACCOUNT`: a machine-wide folder for a standby's store.

use std::fmt;
use std::process::ExitCode;

use licdesk_desk::location::{self, SharedStore};

use super::{Context, Result};

#[derive(clap::Subcommand, Debug)]
pub enum StoreCommand {
    /// Windows: make %ProgramData%\License Desk\ for a store that a service account writes
    /// (SYSTEM and Administrators: full control; the account: modify), and print the --store
    /// value to use. Elsewhere: says how to make such a folder with the system's tools.
    InitShared {
        /// The account the service runs as (such as 'NT SERVICE\NAME' or 'DOMAIN\user').
        #[arg(long, value_name = "ACCOUNT")]
        writer: String,
    },
}

#[derive(Debug, serde::Serialize)]
pub struct SharedStoreMade {
    #[serde(flatten)]
    pub shared: SharedStore,
    /// The environment variable that names the store for every command and the service.
    pub env: &'static str,
}

impl fmt::Display for SharedStoreMade {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = &self.shared;
        writeln!(
            f,
            "Made {} (SYSTEM and Administrators: full control; {}: modify; nobody else).",
            s.dir, s.writer
        )?;
        writeln!(f, "Store: {}", s.store)?;
        writeln!(
            f,
            "Name it with --store \"{}\", or for the service and everyone on this machine: setx /M {} \"{}\"",
            s.store, self.env, s.store
        )
    }
}

pub fn run(command: StoreCommand, ctx: &Context) -> Result {
    match command {
        StoreCommand::InitShared { writer } => {
            let shared = location::init_shared_store(&writer)?;
            ctx.emit(&SharedStoreMade {
                shared,
                env: location::STORE_ENV,
            });
            Ok(ExitCode::SUCCESS)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_made_shared_store_says_how_to_name_it() {
        let made = SharedStoreMade {
            shared: SharedStore {
                dir: r"C:\ProgramData\License Desk".into(),
                store: r"C:\ProgramData\License Desk\store.sqlite".into(),
                writer: r"NT SERVICE\OfficeMaster".into(),
            },
            env: "LICDESK_STORE",
        };
        assert_eq!(
            made.to_string(),
            "Made C:\\ProgramData\\License Desk (SYSTEM and Administrators: full control; NT SERVICE\\OfficeMaster: modify; nobody else).\nStore: C:\\ProgramData\\License Desk\\store.sqlite\nName it with --store \"C:\\ProgramData\\License Desk\\store.sqlite\", or for the service and everyone on this machine: setx /M LICDESK_STORE \"C:\\ProgramData\\License Desk\\store.sqlite\"\n"
        );
        let json = serde_json::to_value(&made).unwrap_or_default();
        assert_eq!(json["store"], r"C:\ProgramData\License Desk\store.sqlite");
        assert_eq!(json["env"], "LICDESK_STORE");
    }
}
