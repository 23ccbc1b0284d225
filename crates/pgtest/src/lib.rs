//! Tests only: a throwaway PostgreSQL cluster from Debian's postgresql 15, started by the tests
//! themselves. One cluster per test binary ([`shared`]), a database per test
//! ([`Cluster::database`]).
//!
//! The cluster lives in a folder of its own under the temporary folder, listens on no TCP
//! address (`listen_addresses=''`), only on a unix socket in that folder (the port number names
//! the socket), trusts its local connections, and does not sync to disk (a throwaway; a
//! benchmark's cluster does: [`Cluster::start_durable`]). When the
//! tests run as root, `initdb` and `pg_ctl` run as the unprivileged `postgres` user (PostgreSQL
//! refuses to run as root). If the cluster cannot start, [`shared`] panics with the reason and
//! the server's log, so every test that needs it fails saying why — never a silent skip.
//!
//! Stopping: a shared cluster lives in a static, which Rust never drops, so a guardian process
//! (`sh`, waiting on a pipe only this process holds) runs `pg_ctl -m fast stop` and removes the
//! folder when the test binary exits, however it exits; dropping a [`Cluster`] does the same at
//! once. Linux only: [`on_both_engines`] makes the PostgreSQL tests there.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Mutex, OnceLock};

const BIN: &str = "/usr/lib/postgresql/15/bin";

/// Whether a cluster syncs its writes to disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Durability {
    /// A throwaway's: nothing synced (the tests').
    Throwaway,
    /// A production server's defaults ([`Cluster::start_durable`]).
    Synced,
}

/// A running throwaway cluster.
#[derive(Debug)]
pub struct Cluster {
    dir: PathBuf,
    port: u16,
    /// The guardian: stops the cluster and removes `dir` once its stdin closes.
    guardian: Mutex<Option<Child>>,
}

/// The cluster of this test binary, started by the first test that asks.
///
/// # Panics
/// When the cluster cannot start: the message says why (a missing `postgresql` package, a
/// failed `initdb` or start with the server's log).
pub fn shared() -> &'static Cluster {
    static SHARED: OnceLock<Result<Cluster, String>> = OnceLock::new();
    match SHARED.get_or_init(Cluster::start) {
        Ok(cluster) => cluster,
        Err(reason) => panic!("the test PostgreSQL cluster could not start: {reason}"),
    }
}

impl Cluster {
    /// Makes and starts a new cluster (a few seconds).
    pub fn start() -> Result<Cluster, String> {
        Cluster::start_with(None, Durability::Throwaway)
    }

    /// Makes and starts a new cluster that writes to disk as a production server does: every
    /// commit flushed and synced (`fsync`, `synchronous_commit` and `full_page_writes` left at
    /// their defaults), so that a benchmark weighs it fairly against an SQLite file, which
    /// syncs too. Slower than [`Cluster::start`]'s, which the tests use.
    pub fn start_durable() -> Result<Cluster, String> {
        Cluster::start_with(None, Durability::Synced)
    }

    /// Makes and starts a new cluster that also listens on 127.0.0.1 ([`Cluster::tcp_url`]),
    /// where it takes TLS connections only (with `tls`' certificate) and passwords by
    /// SCRAM-SHA-256; its private socket stays as [`Cluster::start`]'s.
    pub fn start_with_tls(tls: &ServerTls) -> Result<Cluster, String> {
        Cluster::start_with(Some(tls), Durability::Throwaway)
    }

    fn start_with(tls: Option<&ServerTls>, durability: Durability) -> Result<Cluster, String> {
        for tool in ["initdb", "pg_ctl"] {
            if !Path::new(BIN).join(tool).exists() {
                return Err(format!(
                    "{BIN}/{tool} is missing: install Debian's postgresql package (scripts/setup.sh does)"
                ));
            }
        }
        static N: AtomicU32 = AtomicU32::new(0);
        let dir = std::env::temp_dir().join(format!(
            "licdesk-pg-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::SeqCst)
        ));
        std::fs::create_dir(&dir).map_err(|e| format!("cannot make {}: {e}", dir.display()))?;
        match Cluster::start_in(&dir, tls, durability) {
            Ok(cluster) => Ok(cluster),
            Err(reason) => {
                let _ = std::fs::remove_dir_all(&dir);
                Err(reason)
            }
        }
    }

    fn start_in(
        dir: &Path,
        tls: Option<&ServerTls>,
        durability: Durability,
    ) -> Result<Cluster, String> {
        let as_root = run_output(Command::new("id").arg("-u"))?.trim() == "0";
        let mut owner = None;
        if as_root {
            let uid = run_output(Command::new("id").args(["-u", "postgres"]))
                .map_err(|e| format!("there is no postgres user to run the cluster as: {e}"))?;
            let gid = run_output(Command::new("id").args(["-g", "postgres"]))?;
            let (uid, gid) = (parse_id(&uid)?, parse_id(&gid)?);
            give_to(dir, uid, gid)?;
            owner = Some((uid, gid));
        }
        let data = dir.join("data");
        let log = dir.join("log");
        let port = free_port()?;
        run(tool(as_root, "initdb").args([
            "-D",
            path_str(&data)?,
            "-A",
            "trust",
            "-U",
            "postgres",
            "-E",
            "UTF8",
            "--locale=C",
            "--no-sync",
        ]))?;
        let mut options = format!("-k {} -p {port}", path_str(dir)?);
        if durability == Durability::Throwaway {
            options.push_str(" -c fsync=off -c synchronous_commit=off -c full_page_writes=off");
        }
        match tls {
            None => options.push_str(" -c listen_addresses=''"),
            Some(tls) => {
                tls.install(&data, owner)?;
                options.push_str(" -c listen_addresses=127.0.0.1 -c ssl=on");
            }
        }
        let started = run(tool(as_root, "pg_ctl").args([
            "-D",
            path_str(&data)?,
            "-l",
            path_str(&log)?,
            "-o",
            &options,
            "-w",
            "start",
        ]));
        if let Err(reason) = started {
            let log = std::fs::read_to_string(&log).unwrap_or_default();
            return Err(format!("{reason}\nthe server's log:\n{log}"));
        }
        let guardian = guardian(as_root, dir, &data)?;
        Ok(Cluster {
            dir: dir.to_path_buf(),
            port,
            guardian: Mutex::new(Some(guardian)),
        })
    }

    /// A URL of the cluster's database `name` over TCP to 127.0.0.1 (a cluster started with
    /// TLS), as `user` with `password`, and the URL parameters `options` (`sslmode=…`).
    pub fn tcp_url(&self, user: &str, password: &str, name: &str, options: &str) -> String {
        format!(
            "postgresql://{user}:{password}@127.0.0.1:{}/{name}?{options}",
            self.port
        )
    }

    /// A URL of the cluster's database `name` as the superuser (over the private socket).
    fn url(&self, name: &str) -> String {
        let socket: String = self
            .dir
            .to_string_lossy()
            .bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                    (b as char).to_string()
                }
                _ => format!("%{b:02X}"),
            })
            .collect();
        format!("postgresql://postgres@{socket}:{}/{name}", self.port)
    }

    /// A new empty database for one test (its name made of `test`'s letters and a counter) and
    /// its URL.
    ///
    /// # Panics
    /// When the database cannot be created: the test fails with the server's reason.
    pub fn database(&self, test: &str) -> String {
        static N: AtomicU32 = AtomicU32::new(0);
        let letters: String = test
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
            .take(40)
            .collect();
        let name = format!(
            "t{}_{}",
            N.fetch_add(1, Ordering::SeqCst),
            letters.to_lowercase()
        );
        let made = postgres::Client::connect(&self.url("postgres"), postgres::NoTls)
            .and_then(|mut c| c.batch_execute(&format!("CREATE DATABASE \"{name}\"")));
        if let Err(e) = made {
            panic!("the test database {name} could not be made: {e}");
        }
        self.url(&name)
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let guardian = self.guardian.get_mut().ok().and_then(Option::take);
        if let Some(mut guardian) = guardian {
            drop(guardian.stdin.take());
            let _ = guardian.wait();
        }
    }
}

/// A process that waits until this one closes its stdin (when it drops the cluster, or exits),
/// then stops the cluster and removes its folder.
fn guardian(as_root: bool, dir: &Path, data: &Path) -> Result<Child, String> {
    let pg_ctl = format!("{BIN}/pg_ctl");
    let stop = if as_root {
        "runuser -u postgres -- \"$1\" -D \"$2\" -m fast stop"
    } else {
        "\"$1\" -D \"$2\" -m fast stop"
    };
    Command::new("sh")
        .arg("-c")
        .arg(format!(
            "cat >/dev/null; cd /; {stop} >/dev/null 2>&1; rm -rf \"$3\""
        ))
        .arg("sh")
        .arg(&pg_ctl)
        .arg(data)
        .arg(dir)
        .current_dir("/")
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot start the cluster's guardian (sh): {e}"))
}

/// A PostgreSQL tool, as the postgres user when running as root, from a folder it may enter.
fn tool(as_root: bool, name: &str) -> Command {
    let program = format!("{BIN}/{name}");
    let mut command = if as_root {
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--", &program]);
        c
    } else {
        Command::new(program)
    };
    command.current_dir("/");
    command
}

fn run(command: &mut Command) -> Result<(), String> {
    run_output(command).map(drop)
}

fn run_output(command: &mut Command) -> Result<String, String> {
    let shown = format!("{command:?}");
    let out = command
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("{shown} could not start: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "{shown} failed ({}): {}{}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

#[cfg(unix)]
fn give_to(dir: &Path, uid: u32, gid: u32) -> Result<(), String> {
    std::os::unix::fs::chown(dir, Some(uid), Some(gid))
        .map_err(|e| format!("cannot give {} to postgres: {e}", dir.display()))
}

#[cfg(not(unix))]
fn give_to(dir: &Path, _uid: u32, _gid: u32) -> Result<(), String> {
    Err(format!(
        "cannot give {} to postgres: the test cluster runs on Linux only",
        dir.display()
    ))
}

fn parse_id(text: &str) -> Result<u32, String> {
    text.trim()
        .parse()
        .map_err(|e| format!("not a user or group id: {text:?}: {e}"))
}

fn path_str(path: &Path) -> Result<&str, String> {
    path.to_str()
        .ok_or_else(|| format!("{} is not UTF-8", path.display()))
}

/// A port number no one listens on now (it only names the socket file here, in a folder of
/// the cluster's own, so it cannot collide; free all the same, in case a test adds TCP).
fn free_port() -> Result<u16, String> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0")
        .map_err(|e| format!("cannot find a free port: {e}"))?;
    listener
        .local_addr()
        .map(|a| a.port())
        .map_err(|e| format!("cannot find a free port: {e}"))
}

/// A server certificate and its key (PEM) for a cluster that takes TLS connections.
#[derive(Debug, Clone)]
pub struct ServerTls {
    pub cert_pem: String,
    pub key_pem: String,
}

impl ServerTls {
    /// Writes the certificate and key into the cluster's `data` folder (the key readable by its
    /// owner alone, as the server demands) and lets TCP connections in only over TLS, with a
    /// password checked by SCRAM-SHA-256; the socket stays trusted.
    fn install(&self, data: &Path, owner: Option<(u32, u32)>) -> Result<(), String> {
        let write = |name: &str, text: &str, mode: u32| -> Result<(), String> {
            let path = data.join(name);
            std::fs::write(&path, text)
                .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode))
                    .map_err(|e| format!("cannot restrict {}: {e}", path.display()))?;
            }
            #[cfg(not(unix))]
            let _ = mode; // the test cluster runs on Linux only
            match owner {
                Some((uid, gid)) => give_to(&path, uid, gid),
                None => Ok(()),
            }
        };
        write("server.crt", &self.cert_pem, 0o644)?;
        write("server.key", &self.key_pem, 0o600)?;
        write(
            "pg_hba.conf",
            "local all all trust\nhostssl all all 127.0.0.1/32 scram-sha-256\n",
            0o600,
        )
    }
}

/// The two engines of the vendor's ledger and of a store, for tests that run on both.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

/// Where a test's ledger or store lives: an SQLite file in a temporary folder, or a new
/// database of the shared cluster. `at` is what `Ledger::open` and `--ledger`, or
/// `StoreLocation::of` and `--store`, take.
#[derive(Debug)]
pub struct Place {
    pub at: PathBuf,
    _dir: Option<tempfile::TempDir>,
}

/// A ledger's place.
pub type LedgerPlace = Place;

impl Engine {
    /// A new, empty ledger place for the test `test`.
    ///
    /// # Panics
    /// When the temporary folder or the database cannot be made (the test fails saying why).
    pub fn ledger(self, test: &str) -> Place {
        self.place(test, "ledger.sqlite")
    }

    /// A new, empty store place for the test `test`.
    ///
    /// # Panics
    /// When the temporary folder or the database cannot be made (the test fails saying why).
    pub fn store(self, test: &str) -> Place {
        self.place(test, "store.sqlite")
    }

    fn place(self, test: &str, file: &str) -> Place {
        match self {
            Engine::Sqlite => match tempfile::tempdir() {
                Ok(dir) => Place {
                    at: dir.path().join(file),
                    _dir: Some(dir),
                },
                Err(e) => panic!("cannot make a temporary folder: {e}"),
            },
            Engine::Postgres => Place {
                at: PathBuf::from(shared().database(test)),
                _dir: None,
            },
        }
    }
}

/// Runs each named test function (`fn name(engine: Engine)`) on both engines: it makes the
/// tests `sqlite::name` and `postgres::name`. Once per module.
#[macro_export]
macro_rules! on_both_engines {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(#[test]
            fn $name() {
                super::$name($crate::Engine::Sqlite)
            })*
        }
        // PostgreSQL's tests need Debian's server: Linux only (not the Windows build under Wine).
        #[cfg(target_os = "linux")]
        mod postgres {
            $(#[test]
            fn $name() {
                super::$name($crate::Engine::Postgres)
            })*
        }
    };
}
