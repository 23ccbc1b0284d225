//! A team's store on PostgreSQL: a database of the test cluster set up as README's "A team's
//! store on PostgreSQL" says (a role of the desks owning it, a monitoring role that may only
//! read), and `licdesk` run on it as one of the staff — its own `USER`, home and data folder —
//! from an empty current folder, which must stay empty.

use std::path::PathBuf;
use std::process::Command;

use super::*;

/// A database of the shared test cluster for one test, owned by the desks' role.
pub struct TeamStore {
    /// The database's URL as the cluster's superuser (over the cluster's private socket).
    pub admin_url: String,
    /// The database's name.
    pub db: String,
}

impl TeamStore {
    /// A new empty database, owned by a role of its own (`<db>_desk`, no password: the
    /// cluster trusts its socket) as which the desks connect and which makes the store's
    /// tables on the first open.
    pub fn new(test: &str) -> TeamStore {
        let admin_url = licdesk_pgtest::shared().database(test);
        let db = admin_url
            .rsplit_once('/')
            .map(|(_, db)| db.to_string())
            .expect("a database in the URL");
        let team = TeamStore { admin_url, db };
        let desk = team.desk_role();
        team.admin(&format!(
            "CREATE ROLE \"{desk}\" LOGIN;
             ALTER DATABASE \"{db}\" OWNER TO \"{desk}\";
             REVOKE ALL ON DATABASE \"{db}\" FROM PUBLIC;",
            db = team.db
        ));
        team
    }

    /// The role the desks connect as: it owns the database and the store's tables.
    pub fn desk_role(&self) -> String {
        format!("{}_desk", self.db)
    }

    /// The monitoring role's name.
    pub fn monitor_role(&self) -> String {
        format!("{}_monitor", self.db)
    }

    /// The desks' URL.
    pub fn url(&self) -> String {
        self.url_as(&self.desk_role())
    }

    /// The same database as `role` (trusted over the socket: no password).
    pub fn url_as(&self, role: &str) -> String {
        self.admin_url
            .replacen("://postgres@", &format!("://{role}@"), 1)
    }

    /// Runs `sql` in the database as the superuser.
    #[track_caller]
    pub fn admin(&self, sql: &str) {
        let mut client = postgres::Client::connect(&self.admin_url, postgres::NoTls)
            .unwrap_or_else(|e| panic!("connect as the superuser: {e}"));
        client
            .batch_execute(sql)
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
    }

    /// The number `sql` (one row, one integer column) answers, asked as the superuser.
    #[track_caller]
    pub fn number(&self, sql: &str) -> i64 {
        let mut client = postgres::Client::connect(&self.admin_url, postgres::NoTls)
            .unwrap_or_else(|e| panic!("connect as the superuser: {e}"));
        let row = client
            .query_one(sql, &[])
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
        row.try_get::<_, i64>(0)
            .or_else(|_| row.try_get::<_, i32>(0).map(i64::from))
            .unwrap_or_else(|e| panic!("{sql}: {e}"))
    }

    /// Makes the monitoring role with README's statements: it may connect, and read every
    /// table the desks' role has made and makes from now on (`ALTER DEFAULT PRIVILEGES`), and
    /// nothing else. Returns its URL.
    pub fn monitoring_role(&self) -> String {
        let monitor = self.monitor_role();
        self.admin(&format!(
            "CREATE ROLE \"{monitor}\" LOGIN;
             GRANT CONNECT ON DATABASE \"{db}\" TO \"{monitor}\";
             GRANT USAGE ON SCHEMA public TO \"{monitor}\";
             GRANT SELECT ON ALL TABLES IN SCHEMA public TO \"{monitor}\";
             ALTER DEFAULT PRIVILEGES FOR ROLE \"{desk}\" IN SCHEMA public
                 GRANT SELECT ON TABLES TO \"{monitor}\";",
            db = self.db,
            desk = self.desk_role()
        ));
        self.url_as(&monitor)
    }

    /// The store's content, table by table, read in one read-only snapshot (for "nothing
    /// changed" checks).
    pub fn dump(&self) -> String {
        let at = licdesk_store::StoreLocation::of(std::path::Path::new(&self.admin_url));
        let store = licdesk_store::Store::open_read_only_at(&at).expect("open the team's store");
        licdesk_store::Queries::dump(&store).expect("dump")
    }
}

impl World {
    /// The home folder of `user` on this computer (the world's), where their desk keeps its
    /// local files (`XDG_DATA_HOME`: `HOME/.local/share`).
    pub fn home_of(&self, user: &str) -> PathBuf {
        self.path(&format!("home-{user}"))
    }

    /// The data folder of `user`'s desks.
    pub fn data_of(&self, user: &str) -> PathBuf {
        self.home_of(user).join(".local/share")
    }

    /// The current folder every team desk runs in: nothing may appear in it.
    pub fn current_folder(&self) -> PathBuf {
        let dir = self.path("current-folder");
        std::fs::create_dir_all(&dir).expect("current folder");
        dir
    }

    /// `licdesk --store URL ARGS` as `user` (in USER, with a home and data folder of their
    /// own), run from [`World::current_folder`].
    pub fn team_desk(&self, url: &str, user: &str, args: &[&str]) -> Run {
        let mut command = self.team_command(user);
        command.arg("--store").arg(url).args(args);
        self.team_run(command, args)
    }

    /// [`World::team_desk`] with the store named by `LICDESK_STORE` instead of `--store`.
    pub fn team_desk_by_env(&self, url: &str, user: &str, args: &[&str]) -> Run {
        let mut command = self.team_command(user);
        command.env("LICDESK_STORE", url).args(args);
        self.team_run(command, args)
    }

    /// `licdesk` as `user`, not started yet (for runs at the same time).
    pub fn team_command(&self, user: &str) -> Command {
        let mut command = Command::new(binary("licdesk"));
        command
            .current_dir(self.current_folder())
            .env_remove("LICDESK_STORE")
            .env_remove("PGPASSWORD")
            .env_remove("PGPASSFILE")
            .env_remove("LOGNAME")
            .env("USER", user)
            .env("HOME", self.home_of(user))
            .env("XDG_DATA_HOME", self.data_of(user));
        command
    }

    fn team_run(&self, mut command: Command, args: &[&str]) -> Run {
        let run = Run::from(command.output().expect("run licdesk"));
        if args == ["check"] {
            assert_plugin_output(&run);
        }
        run
    }

    /// Whether the current folder is still empty.
    #[track_caller]
    pub fn assert_current_folder_empty(&self) {
        let left: Vec<_> = std::fs::read_dir(self.current_folder())
            .expect("current folder")
            .map(|e| e.expect("entry").file_name())
            .collect();
        assert!(left.is_empty(), "files in the current folder: {left:?}");
    }
}
