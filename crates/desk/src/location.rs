//! Where the store lives: `--store PATH|URL`, else `LICDESK_STORE`, else the platform's place
//! for one user's data — `$XDG_DATA_HOME/license-desk/store.sqlite` (`~/.local/share/…`) on
//! Linux, `%LOCALAPPDATA%\License Desk\store.sqlite` on Windows. A `postgres://…` or
//! `postgresql://…` URL names a team's store on PostgreSQL ([`StoreLocation`]).
//!
//! What a desk keeps on this computer beside its store ([`DeskHome`]: the installation key, the
//! import logs) lies beside an SQLite store, as it always has; for a PostgreSQL store, which has
//! no folder on this computer, in a folder of that database's own inside this user's data folder
//! (`…/license-desk/postgres/HOST-DB-HASH/`), never in the current folder.
//!
//! A standby's store, whose journal a service account writes, is machine-wide: on Windows
//! `%ProgramData%\License Desk\` made by [`init_shared_store`] with an access list that lets that
//! account change it and the administrators manage it; on Linux a folder such as
//! `/var/lib/license-desk` made with `install -d -o ACCOUNT -m 0750`. It is never chosen on its
//! own: the service and the people who look at it name it with `--store` or `LICDESK_STORE`
//! (ARCHITECTURE.md, "Windows places", says why).

use std::path::{Path, PathBuf};

use crate::error::DeskError;
use licdesk_store::percent_decoded;
pub use licdesk_store::StoreLocation;

pub const STORE_ENV: &str = "LICDESK_STORE";

/// The store's file name in a folder of License Desk's.
const STORE_FILE: &str = "store.sqlite";

/// The folder, in this user's data folder, of the local folders of PostgreSQL stores.
const POSTGRES_HOMES: &str = "postgres";

/// Resolves the store as given — an explicit choice, the environment, or the platform default —
/// without telling a path from a URL (see [`resolve_store`]).
pub fn resolve_store_path(explicit: Option<&Path>) -> Result<PathBuf, DeskError> {
    if let Some(p) = explicit {
        return Ok(p.to_path_buf());
    }
    if let Some(p) = std::env::var_os(STORE_ENV).filter(|p| !p.is_empty()) {
        return Ok(PathBuf::from(p));
    }
    Ok(user_data_dir()?.join(STORE_FILE))
}

/// The store named by an explicit choice, the environment, or the platform default: a
/// PostgreSQL database when it is a `postgres://`/`postgresql://` URL, else an SQLite file.
pub fn resolve_store(explicit: Option<&Path>) -> Result<StoreLocation, DeskError> {
    Ok(StoreLocation::of(&resolve_store_path(explicit)?))
}

/// This user's own store on this computer: the platform's place for it, whatever
/// `LICDESK_STORE` says.
pub fn default_store_path() -> Result<PathBuf, DeskError> {
    Ok(user_data_dir()?.join(STORE_FILE))
}

/// A team's store as a person names it (the window's choice, a store to sync with): a
/// PostgreSQL URL that holds no password. A password is never kept with the URL — in a
/// setting it would lie in a file beside the user's other settings —, so it is asked to go into
/// the password file (`~/.pgpass`, `%APPDATA%\postgresql\pgpass.conf`), which the store reads.
pub fn team_store(url: &str) -> Result<StoreLocation, DeskError> {
    let url = url.trim();
    let location = StoreLocation::of(Path::new(url));
    match &location {
        StoreLocation::Postgres(given) => {
            let shown = location.redacted();
            if shown != *given {
                return Err(crate::StandbyRefusal::PasswordInStoreUrl { url: shown }.into());
            }
            Ok(location)
        }
        StoreLocation::Sqlite(_) => Err(crate::StandbyRefusal::NotATeamStoreUrl.into()),
    }
}

/// Whether `a` and `b` are one store: one file (by its path, links and `..` followed where it
/// exists), or one PostgreSQL database — its server and database, whoever connects to it
/// (the identity its local folder is named after, see [`DeskHome`]).
pub fn same_store(a: &StoreLocation, b: &StoreLocation) -> bool {
    match (a, b) {
        (StoreLocation::Sqlite(x), StoreLocation::Sqlite(y)) => {
            x == y
                || matches!(
                    (std::fs::canonicalize(x), std::fs::canonicalize(y)),
                    (Ok(x), Ok(y)) if x == y
                )
        }
        (StoreLocation::Postgres(x), StoreLocation::Postgres(y)) => {
            postgres_identity(x) == postgres_identity(y)
        }
        _ => false,
    }
}

/// What a desk keeps on this computer beside its store, whatever the store's engine: this
/// installation's key (which signs hardware-ID files, requests and usage journals) and the
/// import logs.
///
/// - An SQLite store: beside the store file, as before (`store.installation-key`,
///   `import-logs/`).
/// - A PostgreSQL store: in a folder of that database's own in this user's data folder
///   (`$XDG_DATA_HOME/license-desk/postgres/HOST-DB-HASH/`, `%LOCALAPPDATA%\License
///   Desk\postgres\…` on Windows), named after the server and the database — never the user
///   or the password, so that the roles of one database share it, and two databases never do
///   (`HASH`: of the server and database, as the URL names them) — never the current folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeskHome {
    /// The folder (for an SQLite store, its folder: empty for a store named without one).
    dir: PathBuf,
    /// The installation key's file.
    key: PathBuf,
    /// A folder of the desk's own, made by a desk that writes (a PostgreSQL store's).
    own_folder: bool,
}

impl DeskHome {
    /// Where the desk of the store at `location` keeps its local files.
    pub fn of(location: &StoreLocation) -> Result<DeskHome, DeskError> {
        match location {
            StoreLocation::Sqlite(store) => Ok(DeskHome::beside(store)),
            StoreLocation::Postgres(url) => Ok(DeskHome::in_folder(
                user_data_dir()?
                    .join(POSTGRES_HOMES)
                    .join(postgres_home_name(url)),
            )),
        }
    }

    /// Beside the SQLite store `store`.
    pub fn beside(store: &Path) -> DeskHome {
        DeskHome {
            dir: store.parent().map(Path::to_path_buf).unwrap_or_default(),
            key: installation_key_path(store),
            own_folder: false,
        }
    }

    /// In `dir`, a folder of the desk's own (`store.installation-key`, `import-logs/`).
    pub fn in_folder(dir: PathBuf) -> DeskHome {
        DeskHome {
            key: dir.join("store.installation-key"),
            dir,
            own_folder: true,
        }
    }

    /// The folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The installation key's file.
    pub fn installation_key(&self) -> &Path {
        &self.key
    }

    /// The folder of the import logs.
    pub fn import_logs(&self) -> PathBuf {
        self.dir.join(crate::IMPORT_LOG_DIR)
    }

    /// Makes the folder when it is the desk's own (readable by this user only: it holds the
    /// installation key); an SQLite store's folder is made with the store.
    pub(crate) fn make(&self) -> Result<(), DeskError> {
        if !self.own_folder {
            return Ok(());
        }
        let mut builder = std::fs::DirBuilder::new();
        builder.recursive(true);
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
        builder
            .create(&self.dir)
            .map_err(|e| DeskError::io("create", &self.dir, &e))
    }
}

/// The name of a PostgreSQL store's local folder: its server and database as the URL names
/// them, in letters every system can hold, and a hash that tells apart the names that would
/// read alike (`db.example-5432-licdesk-1a2b3c4d5e`). No user and no password.
fn postgres_home_name(url: &str) -> String {
    let identity = postgres_identity(url);
    let readable: String = percent_decoded(&identity)
        .chars()
        .map(|c| match c {
            'a'..='z' | 'A'..='Z' | '0'..='9' | '.' | '_' | '-' => c,
            _ => '-',
        })
        .collect();
    let readable: String = readable
        .split('-')
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join("-")
        .chars()
        .take(60)
        .collect();
    let hash = crate::files::sha256_hex(identity.as_bytes());
    format!("{}-{}", readable.trim_end_matches(['-', '.']), &hash[..10])
}

/// What names a PostgreSQL database in `url`: its server (host and port, as given) and its
/// database, without the scheme, the user information or the other parameters; the
/// parameters `host`, `hostaddr`, `port` and `dbname` are part of it. A database left out is
/// the user's own (libpq's default), so the user names it then.
fn postgres_identity(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    // The user information ends at the last '@' (a password may hold '/', '?' or '#').
    let (user, rest) = match rest.rfind('@') {
        Some(at) => (
            rest[..at].split(':').next().unwrap_or_default(),
            &rest[at + 1..],
        ),
        None => ("", rest),
    };
    let rest = rest.split_once('#').map_or(rest, |(before, _)| before);
    let (server_and_db, query) = rest.split_once('?').unwrap_or((rest, ""));
    let (server, db) = server_and_db.split_once('/').unwrap_or((server_and_db, ""));
    let server = server.to_ascii_lowercase();
    let server = server.strip_suffix(":5432").unwrap_or(&server);
    let mut params: Vec<&str> = query
        .split('&')
        .filter(|p| {
            p.split_once('=').is_some_and(|(name, _)| {
                ["host", "hostaddr", "port", "dbname"].contains(&name.to_ascii_lowercase().as_str())
            })
        })
        .collect();
    params.sort_unstable();
    let mut identity = format!("{server}/{db}");
    if db.is_empty()
        && !params
            .iter()
            .any(|p| p.to_ascii_lowercase().starts_with("dbname="))
    {
        identity.push_str(user);
    }
    for p in params {
        identity.push('?');
        identity.push_str(p);
    }
    identity
}

/// This user's folder of License Desk's data.
#[cfg(windows)]
fn user_data_dir() -> Result<PathBuf, DeskError> {
    licdesk_winsys::known_folder(licdesk_winsys::KnownFolder::LocalAppData)
        .map(|d| d.join("License Desk"))
        .map_err(|_| DeskError::from(crate::StandbyRefusal::NoDataDirectory))
}

/// This user's folder of License Desk's data.
#[cfg(not(windows))]
fn user_data_dir() -> Result<PathBuf, DeskError> {
    let base =
        dirs::data_dir().ok_or_else(|| DeskError::from(crate::StandbyRefusal::NoDataDirectory))?;
    Ok(base.join("license-desk"))
}

/// The installation key lives beside the store, readable by its owner only.
pub fn installation_key_path(store: &Path) -> PathBuf {
    let mut name = store
        .file_stem()
        .map(|s| s.to_os_string())
        .unwrap_or_else(|| "store".into());
    name.push(".installation-key");
    store.with_file_name(name)
}

/// A machine-wide store's folder, made by [`init_shared_store`].
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SharedStore {
    /// The folder made.
    pub dir: String,
    /// The store to name with `--store` or `LICDESK_STORE`.
    pub store: String,
    /// The account that may change it (as Windows names it).
    pub writer: String,
}

/// Windows: makes `%ProgramData%\License Desk\` for a store that the account `writer` (a
/// standby's service account) changes: its access list, given at creation and inheriting
/// nothing, lets SYSTEM and the Administrators do everything and `writer` read, write and
/// append, and nobody else anything; the files made in it inherit that. An existing folder is
/// refused and left as it is.
#[cfg(windows)]
pub fn init_shared_store(writer: &str) -> Result<SharedStore, DeskError> {
    use licdesk_winsys::{Access, KnownFolder, Sid, WellKnown};
    let account = Sid::lookup(writer).map_err(|_| {
        DeskError::new(
            crate::ErrorCode::InvalidInput,
            format!("there is no account named '{writer}' on this machine: name the account the service runs as (such as 'NT SERVICE\\NAME' or 'DOMAIN\\user')"),
        )
    })?;
    let base = licdesk_winsys::known_folder(KnownFolder::ProgramData)
        .map_err(|_| DeskError::from(crate::StandbyRefusal::NoDataDirectory))?;
    let dir = base.join("License Desk");
    let io = |e: &std::io::Error| DeskError::io("create the folder", &dir, e);
    let system = Sid::well_known(WellKnown::System).map_err(|e| io(&e))?;
    let admins = Sid::well_known(WellKnown::Administrators).map_err(|e| io(&e))?;
    let grants = [
        (system, Access::Full),
        (admins, Access::Full),
        (account.clone(), Access::Modify),
    ];
    match licdesk_winsys::create_dir_with_access(&dir, &grants) {
        Ok(()) => Ok(SharedStore {
            dir: dir.display().to_string(),
            store: dir.join(STORE_FILE).display().to_string(),
            writer: account.account_name(),
        }),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Err(DeskError::new(
            crate::ErrorCode::FileExists,
            format!(
                "{} already exists: it is left as it is, with its access list. Use its store with --store \"{}\", or remove the folder first to make it anew",
                dir.display(),
                dir.join(STORE_FILE).display()
            ),
        )),
        Err(e) => Err(io(&e)),
    }
}

/// Elsewhere than Windows a machine-wide folder is made with the system's own tools.
#[cfg(not(windows))]
pub fn init_shared_store(writer: &str) -> Result<SharedStore, DeskError> {
    Err(DeskError::new(
        crate::ErrorCode::NotSupported,
        format!("'store init-shared' makes a machine-wide folder on Windows only; on Linux make it with 'install -d -o {writer} -m 0750 /var/lib/license-desk' (as root) and name its store with --store /var/lib/license-desk/store.sqlite or LICDESK_STORE"),
    ))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn the_default_store_is_in_this_users_data_folder() {
        let path = resolve_store_path(Some(Path::new("/x/s.sqlite"))).unwrap();
        assert_eq!(path, Path::new("/x/s.sqlite"));
        let dir = user_data_dir().unwrap();
        if cfg!(windows) {
            let local = std::env::var_os("LOCALAPPDATA").unwrap();
            assert_eq!(dir, Path::new(&local).join("License Desk"));
        } else {
            assert_eq!(dir, dirs::data_dir().unwrap().join("license-desk"));
        }
    }

    #[test]
    fn an_sqlite_stores_local_files_are_beside_it() {
        let home = DeskHome::of(&StoreLocation::of(Path::new("/srv/licdesk/team.sqlite"))).unwrap();
        assert_eq!(home.dir(), Path::new("/srv/licdesk"));
        assert_eq!(
            home.installation_key(),
            Path::new("/srv/licdesk/team.installation-key")
        );
        assert_eq!(home.import_logs(), Path::new("/srv/licdesk/import-logs"));
        let bare = DeskHome::of(&StoreLocation::of(Path::new("store.sqlite"))).unwrap();
        assert_eq!(bare.installation_key(), Path::new("store.installation-key"));
        assert_eq!(bare.import_logs(), Path::new("import-logs"));
    }

    #[test]
    fn a_postgresql_stores_local_files_are_in_this_users_data_folder() {
        let url = "postgres://anna:s3cret@db.example/licdesk";
        let home = DeskHome::of(&StoreLocation::of(Path::new(url))).unwrap();
        let postgres = user_data_dir().unwrap().join("postgres");
        assert_eq!(home.dir().parent(), Some(postgres.as_path()));
        let name = home.dir().file_name().unwrap().to_str().unwrap();
        assert!(name.starts_with("db.example-licdesk-"), "{name}");
        assert!(!name.contains("anna") && !name.contains("s3cret"), "{name}");
        assert_eq!(
            home.installation_key(),
            home.dir().join("store.installation-key")
        );
        assert_eq!(home.import_logs(), home.dir().join("import-logs"));
    }

    #[test]
    fn one_database_has_one_local_folder_whoever_connects_and_two_have_two() {
        let name = |url: &str| postgres_home_name(url);
        let store = name("postgres://anna:pw@db.example/licdesk");
        for same in [
            "postgresql://bert@db.example/licdesk",
            "postgres://monitor@DB.example:5432/licdesk?password=x&connect_timeout=5",
            "postgres://anna:p@ss/w?r#d@db.example/licdesk",
        ] {
            assert_eq!(name(same), store, "{same}");
        }
        for other in [
            "postgres://anna@db.example/licdesk2",
            "postgres://anna@db.example:5433/licdesk",
            "postgres://anna@db2.example/licdesk",
            "postgres://anna@db.example/licdesk?host=elsewhere",
        ] {
            assert_ne!(name(other), store, "{other}");
        }
        let socket = name("postgres://desk@%2Fvar%2Frun%2Fpostgresql/licdesk");
        assert!(
            socket.starts_with("var-run-postgresql-licdesk-"),
            "{socket}"
        );
        assert_ne!(
            name("postgres://a@%2Fx%2Fy/db"),
            name("postgres://a@-x-y/db"),
            "names that read alike differ by their hash"
        );
        assert_ne!(name("postgres://anna@db/"), name("postgres://bert@db/"));
    }

    #[test]
    fn a_teams_store_is_a_postgresql_url_without_a_password() {
        let url = "postgres://anna@db.example/licdesk";
        assert_eq!(
            team_store(&format!("  {url} ")).unwrap(),
            StoreLocation::Postgres(url.to_string())
        );
        for (given, shown) in [
            (
                "postgres://anna:s3cret@db.example/licdesk",
                "postgres://anna:***@db.example/licdesk",
            ),
            (
                "postgresql://anna@db.example/licdesk?password=s3cret",
                "postgresql://anna@db.example/licdesk?password=***",
            ),
        ] {
            let err = team_store(given).unwrap_err();
            assert_eq!(err.code, crate::ErrorCode::InvalidInput);
            assert_eq!(
                err.params.unwrap(),
                serde_json::json!({"refusal": "password_in_store_url", "url": shown})
            );
            assert!(!err.message.contains("s3cret"), "{}", err.message);
        }
        for not_a_url in ["", "/srv/licdesk/store.sqlite", "mysql://db/licdesk"] {
            let err = team_store(not_a_url).unwrap_err();
            assert_eq!(
                err.params.unwrap()["refusal"],
                "not_a_team_store_url",
                "{not_a_url}"
            );
        }
    }

    #[test]
    fn one_database_is_one_store_whoever_connects_and_one_file_by_its_path() {
        let at = |s: &str| StoreLocation::of(Path::new(s));
        let team = at("postgres://anna@db.example/licdesk");
        assert!(same_store(
            &team,
            &at("postgresql://bert@DB.example:5432/licdesk")
        ));
        assert!(!same_store(&team, &at("postgres://anna@db.example/other")));
        assert!(!same_store(&team, &at("/srv/licdesk/store.sqlite")));
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("store.sqlite");
        std::fs::write(&file, b"").unwrap();
        let roundabout = dir.path().join("x/../store.sqlite");
        std::fs::create_dir(dir.path().join("x")).unwrap();
        assert!(same_store(
            &StoreLocation::Sqlite(file.clone()),
            &StoreLocation::Sqlite(roundabout)
        ));
        assert!(!same_store(
            &StoreLocation::Sqlite(file),
            &StoreLocation::Sqlite(dir.path().join("other.sqlite"))
        ));
    }

    #[cfg(not(windows))]
    #[test]
    fn a_shared_store_is_made_with_the_systems_tools_elsewhere() {
        let err = init_shared_store("licdesk-svc").unwrap_err();
        assert_eq!(err.code, crate::ErrorCode::NotSupported);
        assert!(
            err.message
                .contains("install -d -o licdesk-svc -m 0750 /var/lib/license-desk"),
            "{}",
            err.message
        );
    }

    #[cfg(windows)]
    #[test]
    fn an_unknown_writer_is_refused_before_anything_is_made() {
        let err = init_shared_store("no-such-account-for-license-desk").unwrap_err();
        assert_eq!(err.code, crate::ErrorCode::InvalidInput, "{}", err.message);
        assert!(err.message.contains("no account named"));
    }
}
