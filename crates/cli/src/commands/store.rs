//! `licdesk store show`: where the store is (a PostgreSQL URL without its password) and what
//! stays on this computer; `licdesk store init-shared --writer ACCOUNT`: a machine-wide folder
//! for a standby's store.

use std::fmt;
use std::process::ExitCode;

use licdesk_desk::location::{self, DeskHome, SharedStore, StoreLocation};

use super::{Context, Result};

#[derive(clap::Subcommand, Debug)]
pub enum StoreCommand {
    /// Where the store is (an SQLite file, or a PostgreSQL database: its URL without the
    /// password) and what this desk keeps on this computer beside it (the installation key,
    /// the import logs). Opens nothing.
    Show,
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

/// Where the store is, and what stays on this computer.
#[derive(Debug, serde::Serialize)]
pub struct StorePlace {
    /// The store: an SQLite file's path, or a PostgreSQL URL with its password as `***`.
    pub store: String,
    /// `sqlite` or `postgresql`.
    pub engine: &'static str,
    /// The folder of what this desk keeps on this computer.
    pub local_folder: String,
    pub installation_key: String,
    pub import_logs: String,
}

impl StorePlace {
    pub fn of(store: &StoreLocation, home: &DeskHome) -> StorePlace {
        let shown = |p: &std::path::Path| super::shown(p);
        StorePlace {
            store: store.redacted(),
            engine: match store {
                StoreLocation::Sqlite(_) => "sqlite",
                StoreLocation::Postgres(_) => "postgresql",
            },
            local_folder: match home.dir().as_os_str().is_empty() {
                true => ".".to_string(),
                false => shown(home.dir()),
            },
            installation_key: shown(home.installation_key()),
            import_logs: shown(&home.import_logs()),
        }
    }
}

impl fmt::Display for StorePlace {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let engine = match self.engine {
            "postgresql" => "PostgreSQL",
            _ => "SQLite",
        };
        writeln!(f, "Store ({engine}): {}", self.store)?;
        writeln!(f, "Kept on this computer, in {}:", self.local_folder)?;
        writeln!(f, "  installation key: {}", self.installation_key)?;
        writeln!(f, "  import logs: {}", self.import_logs)
    }
}

pub fn run(command: StoreCommand, ctx: &Context) -> Result {
    match command {
        StoreCommand::Show => {
            let store = ctx.store()?;
            let home = DeskHome::of(&store)?;
            ctx.emit(&StorePlace::of(&store, &home));
            Ok(ExitCode::SUCCESS)
        }
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
    fn a_postgresql_store_is_shown_without_its_password() {
        let store = StoreLocation::of(std::path::Path::new(
            "postgres://desk:s3cret@db.example/licdesk",
        ));
        let home = DeskHome::in_folder("/home/anna/.local/share/license-desk/postgres/db".into());
        let place = StorePlace::of(&store, &home);
        let text = place.to_string();
        assert!(
            text.starts_with("Store (PostgreSQL): postgres://desk:***@db.example/licdesk\n"),
            "{text}"
        );
        assert!(
            text.contains(&home.installation_key().display().to_string())
                && !text.contains("s3cret"),
            "{text}"
        );
        let json = serde_json::to_string(&place).unwrap_or_default();
        assert!(
            json.contains(r#""engine":"postgresql""#) && !json.contains("s3cret"),
            "{json}"
        );
    }

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
