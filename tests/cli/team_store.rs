//! A team's store on PostgreSQL (`--store postgres://…`, `LICDESK_STORE`): the desk works on it
//! as on an SQLite file, the staff's desks share it and the audit log names each, monitoring
//! checks it as a role that may only read and changes nothing, and no message ever shows the
//! URL's password. What a desk keeps on this computer lies in the user's data folder, never in
//! the current folder. (The databases are of the test cluster, `licdesk-pgtest`.)

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::support::*;

/// The `*.lic` files the vendor of `w` issued, in the order they were made.
fn certificates(w: &World) -> Vec<String> {
    let mut files: Vec<(std::time::SystemTime, String)> = std::fs::read_dir(w.dir.path())
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".lic"))
        .map(|e| {
            (
                e.metadata().unwrap().modified().unwrap(),
                e.path().display().to_string(),
            )
        })
        .collect();
    files.sort();
    files.into_iter().map(|(_, f)| f).collect()
}

/// A listing's or a detail's JSON without the times that differ between two stores fed the
/// same files a moment apart (when each change was made there).
fn without_times(mut value: Value) -> Value {
    fn strip(value: &mut Value) {
        match value {
            Value::Object(map) => {
                map.retain(|key, _| {
                    !(key.ends_with("_at") || ["changed", "since"].contains(&key.as_str()))
                });
                map.values_mut().for_each(strip);
            }
            Value::Array(items) => items.iter_mut().for_each(strip),
            _ => {}
        }
    }
    strip(&mut value);
    value
}

/// A check's answer without what depends on the moment it ran: the times and load figures
/// ([`at_any_time`]) and the seconds unaccounted for since the journal's export.
fn timeless(stdout: &str) -> String {
    at_any_time(stdout)
        .split_inclusive('\n')
        .map(|l| match l.split_once("_unaccounted'=") {
            Some((label, rest)) => {
                format!(
                    "{label}_unaccounted'=N{}",
                    &rest[rest.find('s').unwrap_or(0)..]
                )
            }
            None => l.to_string(),
        })
        .collect()
}

/// The local folder of the PostgreSQL stores of `user`'s desks.
fn postgres_homes(w: &World, user: &str) -> PathBuf {
    w.data_of(user).join("license-desk").join("postgres")
}

/// The one local folder `user`'s desks made for a PostgreSQL store.
fn only_local_folder(w: &World, user: &str) -> PathBuf {
    let folders: Vec<PathBuf> = std::fs::read_dir(postgres_homes(w, user))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(folders.len(), 1, "{folders:?}");
    folders.into_iter().next().unwrap()
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[test]
fn the_desk_works_on_a_teams_postgresql_store_as_on_an_sqlite_file() {
    let w = World::new();
    let team = TeamStore::new("desk_flow");
    let url = team.url();
    // The same commands on an SQLite store ("main") and on the team's store.
    let v = setup(&w);
    w.team_desk(&url, "anna", &["trust", "add", &v.public]).ok();
    let (base, base_file) = w.issue_base(&v, "Müller GmbH", "25", &["XOM.11000:Fax:2"]);
    let (_, other_file) = w.issue_base(&v, "Kunde 2", "10", &[]);
    let (fo, fo_file) = w.issue_failover(&v, &base);
    for desk_run in [
        w.desk(
            "main",
            &["--json", "import", &base_file, &other_file, &fo_file],
        ),
        w.team_desk(
            &url,
            "anna",
            &["--json", "import", &base_file, &other_file, &fo_file],
        ),
    ] {
        let out = desk_run.ok().json();
        assert_eq!(out["files"].as_array().unwrap().len(), 3, "{out}");
    }
    let again = w
        .team_desk(&url, "anna", &["--json", "import", &base_file])
        .ok()
        .json();
    assert_eq!(again["files"][0]["status"], "unchanged", "{again}");

    let same = |args: &[&str]| {
        let sqlite = w.desk("main", args).ok().json();
        let postgres = w.team_desk(&url, "anna", args).ok().json();
        assert_eq!(without_times(postgres), without_times(sqlite), "{args:?}");
    };
    same(&["--json", "list"]);
    same(&["--json", "list", "--customer", "müller"]);
    same(&["--json", "list", "--sort", "users", "--descending"]);
    same(&["--json", "show", &base]);
    same(&["--json", "trust", "list"]);
    // Named by LICDESK_STORE, the same store.
    let by_env = w
        .team_desk_by_env(&url, "anna", &["--json", "list"])
        .ok()
        .json();
    assert_eq!(by_env["total"], 2, "{by_env}");

    // The main system activated through the team's store: the request is signed with this
    // installation's key, kept in anna's data folder.
    let req = w.p("team-main.actreq");
    w.team_desk(
        &url,
        "anna",
        &[
            "request",
            "--license",
            &base,
            "--role",
            "main",
            "--this-machine",
            "--out",
            &req,
        ],
    )
    .ok();
    let (run, response) = w.activate(&v, &req);
    run.ok();
    let out = w
        .team_desk(&url, "anna", &["--json", "import", &response])
        .ok()
        .json();
    assert_eq!(out["files"][0]["status"], "activated", "{out}");
    let detail = w
        .team_desk(&url, "anna", &["--json", "show", &base])
        .ok()
        .json();
    assert_eq!(detail["main_system"]["status"], "active", "{detail}");
    assert!(detail["failovers"][0]["license"] == fo.as_str(), "{detail}");

    // What stays on this computer: in anna's data folder, a folder of this database's own,
    // hers alone; the key hers alone. Nothing in the current folder.
    let local = only_local_folder(&w, "anna");
    let key = local.join("store.installation-key");
    assert_eq!(mode(&local), 0o700, "{}", local.display());
    assert_eq!(mode(&key), 0o600, "{}", key.display());
    let place = w
        .team_desk(&url, "anna", &["--json", "store", "show"])
        .ok()
        .json();
    assert_eq!(place["engine"], "postgresql");
    assert_eq!(place["store"], url.as_str());
    assert_eq!(place["installation_key"], key.display().to_string());
    assert_eq!(
        place["import_logs"],
        local.join("import-logs").display().to_string()
    );
    // An output never goes over the installation key.
    w.team_desk(
        &url,
        "anna",
        &["hwid", "--force", "--out", &key.display().to_string()],
    )
    .refused("installation key");
    w.assert_current_folder_empty();
}

#[test]
fn two_staff_writing_to_one_store_see_each_others_licenses_and_the_audit_log_names_each() {
    let w = World::new();
    let team = TeamStore::new("two_staff");
    let url = team.url();
    let v = w.vendor();
    let files: Vec<(String, String)> = ["Anna's Kunde", "Bert's Kunde", "Anna 2", "Bert 2"]
        .iter()
        .map(|c| w.issue_base(&v, c, "10", &[]))
        .collect();
    // Anna trusts the vendor for the whole team: the trusted keys are in the store.
    w.team_desk(&url, "anna", &["trust", "add", &v.public]).ok();
    w.team_desk(&url, "anna", &["import", &files[0].1]).ok();
    w.team_desk(&url, "bert", &["import", &files[1].1]).ok();
    // Both at once: one after the other, both whole.
    let started = |user: &str, file: &str| {
        w.team_command(user)
            .args(["--store", &url, "import", file])
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    };
    let (anna, bert) = (started("anna", &files[2].1), started("bert", &files[3].1));
    Run::from(anna.wait_with_output().unwrap()).ok();
    Run::from(bert.wait_with_output().unwrap()).ok();

    for user in ["anna", "bert"] {
        let list = w.team_desk(&url, user, &["--json", "list"]).ok().json();
        assert_eq!(list["total"], 4, "{user}: {list}");
    }
    let audit: Vec<Value> =
        serde_json::from_str(&w.team_desk(&url, "bert", &["--json", "audit"]).ok().stdout).unwrap();
    let actor_of = |license: &str| -> String {
        audit
            .iter()
            .find(|e| e["subject"] == license)
            .unwrap_or_else(|| panic!("{license} in {audit:?}"))["actor"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let computer = actor_of(&files[0].0)
        .rsplit_once('@')
        .map(|(_, c)| c.to_string())
        .unwrap();
    assert!(!computer.is_empty() && computer != "unknown computer");
    for (i, (license, _)) in files.iter().enumerate() {
        let who = if i % 2 == 0 { "anna" } else { "bert" };
        assert_eq!(actor_of(license), format!("{who}@{computer}"));
    }
    let trusted = audit.iter().find(|e| e["action"] == "trust-added");
    assert_eq!(
        trusted.map(|e| e["actor"].clone()),
        Some(Value::from(format!("anna@{computer}"))),
        "{audit:?}"
    );
    let text = w.team_desk(&url, "anna", &["audit"]).ok().stdout;
    assert!(
        text.contains(&format!("anna@{computer}")) && text.contains(&format!("bert@{computer}")),
        "{text}"
    );
    w.assert_current_folder_empty();
}

/// A standby activated on its own desk with `load_hours` under load in its latest journal
/// (none: no journal), everything the vendor issued and the journal imported on the SQLite
/// desk "main" and on the team's store; returns the team's store and the monitoring role's URL,
/// made before the store existed (its grants by `ALTER DEFAULT PRIVILEGES`).
fn monitored_team(w: &World, test: &str, load_hours: Option<i64>) -> (TeamStore, String) {
    let team = TeamStore::new(test);
    let monitor = team.monitoring_role();
    let (v, _, _) = activated_standby(w);
    let mut files = certificates(w);
    if let Some(hours) = load_hours {
        let journal = journal(w, &[("load", now() - hours * HOUR)]);
        w.desk("main", &["import", &journal]).ok();
        files.push(journal);
    }
    w.team_desk(&team.url(), "anna", &["trust", "add", &v.public])
        .ok();
    let mut args = vec!["import"];
    args.extend(files.iter().map(String::as_str));
    w.team_desk(&team.url(), "anna", &args).ok();
    (team, monitor)
}

#[test]
fn check_as_a_role_that_may_only_read_answers_every_state_as_on_sqlite_and_changes_nothing() {
    for (load, expected, test) in [
        (None, 0, "check_ok"),
        (Some(80), 1, "check_warning"),
        (Some(130), 2, "check_critical"),
    ] {
        let w = World::new();
        let (team, monitor) = monitored_team(&w, test, load);
        let before = team.dump();
        let on_sqlite = w.desk("main", &["check"]);
        let run = w.team_desk(&monitor, "nagios", &["check"]);
        assert_eq!(run.code, expected, "{}{}", run.stdout, run.stderr);
        assert_eq!(on_sqlite.code, expected, "{}", on_sqlite.stdout);
        assert_eq!(
            timeless(&run.stdout),
            timeless(&on_sqlite.stdout),
            "the same answer as on SQLite"
        );
        // The other formats too.
        for args in [
            &["--json", "check"][..],
            &["check", "--format", "checkmk"],
            &["check", "--format", "prometheus"],
        ] {
            let postgres = w.team_desk(&monitor, "nagios", args);
            let sqlite = w.desk("main", args);
            assert_eq!(postgres.code, sqlite.code, "{args:?}: {}", postgres.stdout);
            if args[0] == "--json" {
                let status = |r: &Run| r.json()["status"].clone();
                assert_eq!(status(&postgres), status(&sqlite), "{}", postgres.stdout);
            } else {
                assert_eq!(
                    timeless(&postgres.stdout).lines().count(),
                    timeless(&sqlite.stdout).lines().count(),
                    "{args:?}: {}",
                    postgres.stdout
                );
            }
        }
        // The desks' role gets the same answer.
        let own = w.team_desk(&team.url(), "anna", &["check"]);
        assert_eq!(
            (own.code, timeless(&own.stdout)),
            (run.code, timeless(&run.stdout))
        );
        // Nothing written: not in the store, not on this computer for the monitoring account.
        assert_eq!(team.dump(), before, "check changed the store");
        assert!(
            !w.home_of("nagios").exists(),
            "check made {}",
            w.home_of("nagios").display()
        );
        w.assert_current_folder_empty();
    }
}

#[test]
fn a_monitoring_role_granted_after_the_store_was_made_reads_it_and_one_without_grants_is_unknown() {
    let w = World::new();
    let team = TeamStore::new("late_grants");
    let v = w.vendor();
    let (_, file) = w.issue_base(&v, "Spät GmbH", "10", &[]);
    w.team_desk(&team.url(), "anna", &["trust", "add", &v.public])
        .ok();
    w.team_desk(&team.url(), "anna", &["import", &file]).ok();

    // A role that may connect but read nothing: UNKNOWN, saying why.
    let nosy = format!("{}_nosy", team.db);
    team.admin(&format!(
        "CREATE ROLE \"{nosy}\" LOGIN; GRANT CONNECT ON DATABASE \"{}\" TO \"{nosy}\"",
        team.db
    ));
    let run = w.team_desk(&team.url_as(&nosy), "nagios", &["check"]);
    assert_eq!(run.code, 3, "{}", run.stdout);
    assert!(run.stdout.contains("permission denied"), "{}", run.stdout);
    // Nor can it write.
    w.team_desk(&team.url_as(&nosy), "nagios", &["list"])
        .refused("permission denied");

    // Granted after the tables were made (GRANT SELECT ON ALL TABLES): OK.
    let monitor = team.monitoring_role();
    let before = team.dump();
    let run = w.team_desk(&monitor, "nagios", &["check"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    // The monitoring role cannot write: a command that writes is refused by the server.
    let (_, other) = w.issue_base(&v, "Früh GmbH", "10", &[]);
    w.team_desk(&monitor, "nagios", &["import", &other])
        .refused("permission denied");
    assert_eq!(team.dump(), before);
}

/// Every output of `run` free of `secret`; the message (stderr, or stdout for a check) names
/// `shown`.
#[track_caller]
fn named_without(run: &Run, shown: &str, secret: &str) {
    let all = format!("{}{}", run.stdout, run.stderr);
    assert!(!all.contains(secret), "the password shown: {all}");
    assert!(all.contains(shown), "expected {shown} in: {all}");
}

#[test]
fn a_store_that_cannot_be_reached_or_read_is_named_without_its_password() {
    let w = World::new();
    let secret = "s3cret-pw";
    // A server that is not there (a socket folder that does not exist).
    let url = format!("postgresql://desk:{secret}@%2Fnowhere-licdesk:5432/store?password={secret}");
    let shown = "postgresql://desk:***@%2Fnowhere-licdesk:5432/store?password=***";
    let run = w.team_desk(&url, "anna", &["list"]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    named_without(&run, shown, secret);
    assert!(run.stderr.contains("cannot be opened"), "{}", run.stderr);
    let run = w.team_desk(&url, "anna", &["--json", "list"]);
    named_without(&run, shown, secret);
    let error: Value = serde_json::from_str(&run.stderr).unwrap();
    assert_eq!(error["code"], "store", "{error}");
    let run = w.team_desk(&url, "nagios", &["check"]);
    assert_eq!(run.code, 3, "{}", run.stdout);
    named_without(&run, shown, secret);
    for args in [
        &["--json", "check"][..],
        &["check", "--format", "checkmk"],
        &["check", "--format", "prometheus"],
    ] {
        let run = w.team_desk(&url, "nagios", args);
        let all = format!("{}{}", run.stdout, run.stderr);
        assert!(!all.contains(secret), "{args:?}: {all}");
    }
    let run = w.team_desk(&url, "anna", &["store", "show"]).ok();
    named_without(&run, shown, secret);
    let run = w.team_desk_by_env(&url, "anna", &["list"]);
    assert_eq!(run.code, 1);
    named_without(&run, shown, secret);
    assert!(
        !postgres_homes(&w, "anna").exists(),
        "a store that could not be opened left a local folder"
    );

    // A URL that is not valid.
    let url = format!("postgres://desk:{secret}@db.example:port-x/store");
    let run = w.team_desk(&url, "anna", &["list"]);
    assert_eq!(run.code, 1);
    named_without(&run, "postgres://desk:***@db.example:port-x/store", secret);
    assert!(run.stderr.contains("not valid"), "{}", run.stderr);
    let run = w.team_desk(&url, "nagios", &["check"]);
    assert_eq!(run.code, 3);
    named_without(&run, "not valid", secret);

    // A database that holds no store: monitoring says so and makes none; the desk refuses a
    // database that holds other tables.
    let team = TeamStore::new("no_store");
    let monitor = team.monitoring_role();
    let run = w.team_desk(&monitor, "nagios", &["check"]);
    assert_eq!(run.code, 3, "{}", run.stdout);
    assert!(
        run.stdout.contains("holds no License Desk store"),
        "{}",
        run.stdout
    );
    team.admin(&format!(
        "SET ROLE \"{}\"; CREATE TABLE payroll (id INTEGER)",
        team.desk_role()
    ));
    let run = w.team_desk(&team.url(), "anna", &["--json", "list"]);
    assert_eq!(run.code, 1);
    let error: Value = serde_json::from_str(&run.stderr).unwrap();
    assert_eq!(error["code"], "store_damaged", "{error}");
    assert!(
        error["message"]
            .as_str()
            .unwrap()
            .contains("a database of its own"),
        "{error}"
    );
    w.assert_current_folder_empty();
}

#[test]
fn a_store_of_a_newer_license_desk_is_refused_and_left_untouched() {
    let w = World::new();
    let team = TeamStore::new("newer_schema");
    let monitor = team.monitoring_role();
    w.team_desk(&team.url(), "anna", &["list"]).ok();
    team.admin("UPDATE store_schema SET version = version + 1");
    let untouched = |team: &TeamStore| {
        (
            team.number("SELECT version FROM store_schema"),
            team.number("SELECT COUNT(*) FROM pg_tables WHERE schemaname = 'public'"),
            team.number("SELECT COUNT(*) FROM audit_log"),
        )
    };
    let before = untouched(&team);
    let run = w.team_desk(&team.url(), "anna", &["--json", "list"]);
    assert_eq!(run.code, 1);
    let error: Value = serde_json::from_str(&run.stderr).unwrap();
    assert_eq!(error["code"], "newer_store", "{error}");
    assert!(
        error["message"].as_str().unwrap().contains(&team.url()),
        "{error}"
    );
    let run = w.team_desk(&monitor, "nagios", &["check"]);
    assert_eq!(run.code, 3, "{}", run.stdout);
    assert!(run.stdout.contains("newer License Desk"), "{}", run.stdout);
    assert_eq!(untouched(&team), before);
}

/// A cluster of this test's own whose socket asks every role but the superuser for its
/// password (the shared cluster trusts its socket), with a role `desk` of password `right`
/// owning the database `store`. Returns the cluster (stopped when dropped) and the URL of
/// `store` without a user.
fn cluster_with_passwords() -> (licdesk_pgtest::Cluster, String) {
    let cluster = licdesk_pgtest::Cluster::start().unwrap_or_else(|e| panic!("{e}"));
    let admin_url = cluster.database("store");
    let mut admin = postgres::Client::connect(&admin_url, postgres::NoTls).unwrap();
    let hba: String = admin.query_one("SHOW hba_file", &[]).unwrap().get(0);
    let db = admin_url.rsplit_once('/').unwrap().1.to_string();
    admin
        .batch_execute(&format!(
            "CREATE ROLE desk LOGIN PASSWORD 'right';
             ALTER DATABASE \"{db}\" OWNER TO desk;
             COPY (SELECT line FROM (VALUES
                 (1, 'local all postgres trust'),
                 (2, 'local all all scram-sha-256')) AS hba (n, line) ORDER BY n)
               TO '{hba}';
             SELECT pg_reload_conf();"
        ))
        .unwrap();
    let no_user = admin_url.replacen("://postgres@", "://", 1);
    // The server reads its configuration again at once, but asynchronously: wait until a
    // connection without the password is refused.
    let without = no_user.replacen("://", "://desk@", 1);
    for _ in 0..100 {
        if postgres::Client::connect(&without, postgres::NoTls).is_err() {
            return (cluster, no_user);
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    panic!("the cluster still lets desk in without its password");
}

#[test]
fn a_wrong_password_is_refused_without_showing_it() {
    let w = World::new();
    let (_cluster, url) = cluster_with_passwords();
    let with = |password: &str| url.replacen("://", &format!("://desk:{password}@"), 1);
    let wrong = with("wrong-pw-x");
    let shown = url.replacen("://", "://desk:***@", 1);
    let run = w.team_desk(&wrong, "anna", &["list"]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    named_without(&run, &shown, "wrong-pw-x");
    assert!(run.stderr.contains("password"), "{}", run.stderr);
    let run = w.team_desk(&wrong, "nagios", &["check"]);
    assert_eq!(run.code, 3, "{}", run.stdout);
    named_without(&run, &shown, "wrong-pw-x");
    // The right one opens the store; nothing shows it.
    let right = with("right");
    let run = w.team_desk(&right, "anna", &["list"]).ok();
    assert!(!run.stdout.contains(":right@"), "{}", run.stdout);
    let place = w.team_desk(&right, "anna", &["store", "show"]).ok();
    named_without(&place, &shown, ":right@");
    // Kept out of the command line (where the process list shows it): the password file in
    // the user's home, readable by them alone, as libpq reads it.
    let without = url.replacen("://", "://desk@", 1);
    w.team_desk(&without, "bert", &["list"]).refused("password");
    let pgpass = w.home_of("bert").join(".pgpass");
    std::fs::create_dir_all(w.home_of("bert")).unwrap();
    std::fs::write(&pgpass, "*:*:*:desk:right\n").unwrap();
    std::fs::set_permissions(&pgpass, std::fs::Permissions::from_mode(0o600)).unwrap();
    w.team_desk(&without, "bert", &["list"]).ok();
    w.assert_current_folder_empty();
}
