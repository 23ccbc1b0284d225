//! Running the real `licdesk` and `licdesk-issuer` binaries in a scratch directory, and the
//! helpers several feature modules share: `licenses` (a trusted vendor, licenses imported and
//! activated, refusals), `standby` (a standby activated on its own desk, its journal, times,
//! releases), `accounts` (other accounts of this machine: root tests), `team` (a team's store on
//! PostgreSQL and the staff's desks on it).

mod accounts;
mod licenses;
mod monitoring;
mod standby;
mod team;

pub use accounts::*;
pub use licenses::*;
pub use monitoring::*;
pub use standby::*;
pub use team::*;

use std::path::{Path, PathBuf};
use std::process::Command;

pub use licdesk_tests::Run;

pub fn target_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("CARGO_TARGET_DIR") {
        return PathBuf::from(dir).join("debug");
    }
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/debug")
}

pub fn binary(name: &str) -> PathBuf {
    let path = target_dir().join(name);
    assert!(
        path.exists(),
        "{} is missing: build first with `cargo build --workspace` (make test does this)",
        path.display()
    );
    path
}

/// Whether this process may create namespaces to play another machine.
pub fn is_root() -> bool {
    std::fs::read_to_string("/proc/self/status")
        .map(|s| {
            s.lines()
                .any(|l| l.starts_with("Uid:") && l.split_whitespace().nth(1) == Some("0"))
        })
        .unwrap_or(false)
}

/// Whether a test that simulates another machine (namespaces, so root) can run. Without root it
/// fails, unless LICDESK_TESTS_SKIP_ROOT=1 says to skip it knowingly: a test that quietly passes
/// without checking anything would hide that it never ran.
pub fn root_or_skipped_knowingly(test: &str) -> bool {
    root_or_skipped_knowingly_for(test, "simulates another machine with namespaces")
}

/// [`root_or_skipped_knowingly`] for a test that needs root for what `why` says.
pub fn root_or_skipped_knowingly_for(test: &str, why: &str) -> bool {
    if is_root() {
        return true;
    }
    if std::env::var_os("LICDESK_TESTS_SKIP_ROOT").is_some() {
        eprintln!("SKIPPED {test}: it {why}, which needs root (LICDESK_TESTS_SKIP_ROOT is set)");
        return false;
    }
    panic!(
        "{test} {why} and needs root: run the tests as root (make test does in CI), or set LICDESK_TESTS_SKIP_ROOT=1 to skip it knowingly"
    );
}

/// A raw connection to a store, as an administrator's SQL tool would open it, except that it keeps
/// the store's `-wal` and `-shm` files when it closes, as License Desk does: a reader without
/// write access (monitoring) reads a WAL store only with them in place, and `check` never
/// creates them.
pub fn raw_store(path: &Path) -> rusqlite::Connection {
    let conn = rusqlite::Connection::open(path).expect("open the store");
    conn.set_db_config(
        rusqlite::config::DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE,
        true,
    )
    .expect("keep the WAL files");
    conn
}

/// A scratch world: a vendor with a key and a ledger, and one or more desks (stores).
pub struct World {
    pub dir: tempfile::TempDir,
}

impl World {
    pub fn new() -> World {
        World {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn p(&self, name: &str) -> String {
        self.path(name).display().to_string()
    }

    /// `licdesk --store <desk>.sqlite ARGS`
    pub fn desk(&self, desk: &str, args: &[&str]) -> Run {
        self.desk_with(desk, args, |_| {})
    }

    /// `licdesk` on `desk`'s store as another account: `user` in USER (none: neither USER nor
    /// LOGNAME set, as for a service).
    pub fn desk_as(&self, desk: &str, user: Option<&str>, args: &[&str]) -> Run {
        self.desk_with(desk, args, |command| {
            command.env_remove("USER").env_remove("LOGNAME");
            if let Some(user) = user {
                command.env("USER", user);
            }
        })
    }

    fn desk_with(&self, desk: &str, args: &[&str], prepare: impl FnOnce(&mut Command)) -> Run {
        let store = self.p(&format!("{desk}.sqlite"));
        let mut command = Command::new(binary("licdesk"));
        command
            .arg("--store")
            .arg(&store)
            .args(args)
            .env_remove("LICDESK_STORE");
        prepare(&mut command);
        let out = command.output().expect("run licdesk");
        let run = Run::from(out);
        if args == ["check"] {
            assert_plugin_output(&run);
        }
        run
    }

    /// `licdesk-issuer ARGS`
    pub fn issuer(&self, args: &[&str]) -> Run {
        let out = Command::new(binary("licdesk-issuer"))
            .args(args)
            .output()
            .expect("run licdesk-issuer");
        Run::from(out)
    }

    /// `licdesk --store <desk>.sqlite ARGS`, run as another machine (own machine id, host name
    /// and network card) through the machine crate's namespace script. Needs root.
    pub fn desk_on_machine(&self, machine: &OtherMachine, desk: &str, args: &[&str]) -> Run {
        let script =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../crates/machine/tests/other-machine.sh");
        let id_file = self.path(&format!("{}.machine-id", machine.host));
        std::fs::write(&id_file, format!("{}\n", machine.machine_id)).expect("machine id");
        let store = self.p(&format!("{desk}.sqlite"));
        let out = Command::new("bash")
            .arg(script)
            .arg(&id_file)
            .arg(machine.host)
            .arg(machine.mac)
            .arg("--")
            .arg(binary("licdesk"))
            .arg("--store")
            .arg(&store)
            .args(args)
            .output()
            .expect("run other-machine.sh");
        Run::from(out)
    }

    /// Generates a vendor key and makes `desk` trust it.
    pub fn vendor(&self) -> Vendor {
        let key = self.p("vendor.key");
        self.issuer(&["keygen", "--out", &key, "--vendor", "Test Vendor AG"])
            .ok();
        Vendor {
            key,
            public: self.p("vendor.vpub"),
            ledger: self.p("ledger.sqlite"),
        }
    }

    /// Issues a base license and returns (number, file).
    pub fn issue_base(
        &self,
        vendor: &Vendor,
        customer: &str,
        users: &str,
        extensions: &[&str],
    ) -> (String, String) {
        let file = self.p(&format!("base-{}.lic", self.count()));
        let mut args = vec![
            "--json",
            "issue",
            "--key",
            &vendor.key,
            "--customer",
            customer,
            "--users",
            users,
            "--out",
            &file,
        ];
        for e in extensions {
            args.push("--extension");
            args.push(e);
        }
        let out = self.issuer(&args).ok().json();
        (out["license"].as_str().expect("license").to_string(), file)
    }

    pub fn issue_failover(&self, vendor: &Vendor, base: &str) -> (String, String) {
        let file = self.p(&format!("failover-{}.lic", self.count()));
        let out = self
            .issuer(&[
                "--json",
                "issue-failover",
                "--key",
                &vendor.key,
                "--base",
                base,
                "--out",
                &file,
            ])
            .ok()
            .json();
        (out["license"].as_str().expect("license").to_string(), file)
    }

    pub fn activate(&self, vendor: &Vendor, request: &str) -> (Run, String) {
        self.activate_with(vendor, request, &[])
    }

    /// `licdesk-issuer activate` with `extra` options (the R12 limits, say).
    pub fn activate_with(&self, vendor: &Vendor, request: &str, extra: &[&str]) -> (Run, String) {
        // Beside its request, replacing the response to a request file written before under
        // the same name (a re-activation).
        let response = format!("{request}.actresp");
        let mut args = vec![
            "activate",
            "--force",
            "--key",
            &vendor.key,
            "--ledger",
            &vendor.ledger,
            "--request",
            request,
            "--out",
            &response,
        ];
        args.extend_from_slice(extra);
        let run = self.issuer(&args);
        (run, response)
    }

    fn count(&self) -> usize {
        std::fs::read_dir(self.dir.path())
            .map(|d| d.count())
            .unwrap_or(0)
    }

    /// The store's content, table by table (for "nothing changed" checks).
    pub fn dump(&self, desk: &str) -> String {
        let store =
            licdesk_store::Store::open(&self.path(&format!("{desk}.sqlite"))).expect("open store");
        licdesk_store::Queries::dump(&store).expect("dump")
    }
}

impl World {
    /// The vendor ledger's content (for "nothing changed" checks).
    pub fn ledger_dump(&self, vendor: &Vendor) -> String {
        licdesk_store::ledger::Ledger::open(std::path::Path::new(&vendor.ledger))
            .expect("open ledger")
            .dump()
            .expect("dump")
    }
}

/// The installation key of `desk` (its private key file beside the store).
pub fn desk_key(w: &World, desk: &str) -> licdesk_core::SigningKey {
    use base64::Engine;
    let text = std::fs::read_to_string(w.path(&format!("{desk}.installation-key")))
        .expect("installation key");
    let seed = base64::engine::general_purpose::STANDARD
        .decode(text.lines().nth(1).expect("key line"))
        .expect("base64");
    licdesk_core::SigningKey::from_bytes(&seed.try_into().expect("32 bytes"))
}

/// A hardware-ID file for a synthetic machine named `name`, signed by `key` as the License Desk
/// on that machine would sign it. Returns (file, hardware ID).
pub fn hwid_file(
    w: &World,
    name: &str,
    key: &licdesk_core::SigningKey,
) -> (String, licdesk_core::HardwareId) {
    use licdesk_core::{Component, ComponentKind, Hardware};
    let hardware = Hardware::from_components(
        vec![
            Component::from_raw(ComponentKind::MachineId, &format!("{name} machine id")),
            Component::from_raw(ComponentKind::Nic, &format!("{name} nic")),
        ],
        Some(name.to_string()),
    );
    let file = w.p(&format!("{name}.hwid"));
    std::fs::write(
        &file,
        licdesk_core::seal(
            licdesk_core::FileKind::HardwareId,
            &licdesk_core::model::HardwareIdFile {
                hardware: hardware.clone(),
                created_at: licdesk_core::Timestamp::from_unix(1_790_000_000),
            },
            key,
        ),
    )
    .expect("write hardware-ID file");
    (file, hardware.id)
}

pub struct Vendor {
    pub key: String,
    pub public: String,
    pub ledger: String,
}

/// Another machine's identity for `other-machine.sh`.
pub struct OtherMachine {
    pub machine_id: &'static str,
    pub host: &'static str,
    pub mac: &'static str,
}

pub const STANDBY_1: OtherMachine = OtherMachine {
    machine_id: "5b1c0e2d9a8f4b7c8d6e5f4a3b2c1d01",
    host: "standby-1",
    mac: "52:54:00:00:00:01",
};

pub const STANDBY_2: OtherMachine = OtherMachine {
    machine_id: "5b1c0e2d9a8f4b7c8d6e5f4a3b2c1d02",
    host: "standby-2",
    mac: "52:54:00:00:00:02",
};

/// A hardware ID as someone would type it: derived (hashed) from `seed`, so different seeds give
/// different IDs.
pub fn typed_hwid(seed: &str) -> licdesk_core::HardwareId {
    use licdesk_core::{Component, ComponentKind, Hardware};
    Hardware::from_components(
        vec![Component::from_raw(ComponentKind::MachineId, seed)],
        None,
    )
    .id
}
