//! `licdesk check` in a real Nagios 4 (Debian's `nagios4-core`), as it is deployed: the shipped
//! objects (contrib/monitoring/nagios/licdesk.cfg), Nagios running the check as its own
//! account `nagios`, which reads the stores through the store's group only (README, "Monitoring
//! as it is deployed: read access only"). For OK, WARNING, CRITICAL and UNKNOWN, Nagios records
//! the state and exactly the text, long text and performance data `licdesk check` prints as
//! that account; it creates no file in the stores' folders, and the desk's account still writes
//! its store afterwards. Running Nagios and playing accounts needs root.

use std::collections::BTreeMap;
use std::io::Write;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use crate::support::*;

/// The desk's own account (its own group), the monitoring account (Nagios' `nagios_user` and
/// `nagios_group`) and the store's group, which the monitoring account is a member of.
const DESK_USER: &str = "daemon";
const DESK_GROUP: &str = "daemon";
const NAGIOS: &str = "nagios";
const STORE_GROUP: &str = "licdesk-monitor";

const HOST: &str = "desk-server";
const NAGIOS_BIN: &str = "/usr/sbin/nagios4";
/// How long Nagios may take to record a forced check (it takes about a second).
const RECORDED_WITHIN: Duration = Duration::from_secs(20);

/// The shipped objects: the command `check_licdesk` and the service template `licdesk`.
fn shipped_objects() -> String {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../contrib/monitoring/nagios/licdesk.cfg");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The group of the README's setup, with the nagios account in it (`groupadd`, `usermod -a -G`),
/// made once on this machine.
fn store_group_with_nagios() {
    let run = |program: &str, args: &[&str]| {
        let out = Command::new(program).args(args).output().unwrap();
        assert!(out.status.success(), "{program} {args:?}: {out:?}");
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let known = Command::new("getent")
        .args(["group", STORE_GROUP])
        .output()
        .unwrap();
    if !known.status.success() {
        run("groupadd", &["--system", STORE_GROUP]);
    }
    if !run("id", &["-nG", NAGIOS])
        .split_whitespace()
        .any(|g| g == STORE_GROUP)
    {
        run("usermod", &["-a", "-G", STORE_GROUP, NAGIOS]);
    }
}

/// What Nagios records of a plugin's output (without its final line end), as the plugin
/// convention splits it: the first line (`plugin_output`), the text after it up to the `|`
/// (`long_plugin_output`, its line ends kept), and the performance data after the `|`, its
/// lines joined by spaces (`performance_data`).
fn as_recorded(stdout: &str) -> (String, String, String) {
    let text = stdout.trim_end();
    let (first, rest) = text.split_once('\n').unwrap_or((text, ""));
    assert!(!first.contains('|'), "{stdout}");
    let (long, perf) = rest.split_once('|').unwrap_or((rest, ""));
    let perf: Vec<&str> = perf.lines().map(str::trim).collect();
    (first.to_string(), long.to_string(), perf.join(" "))
}

/// One value of status.dat as written: `\n` for a line end, `\\` for a backslash.
fn unescaped(value: &str) -> String {
    let mut out = String::new();
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

/// Every `servicestatus` block of a status.dat, by service description.
fn service_status(status_dat: &str) -> BTreeMap<String, BTreeMap<String, String>> {
    let mut services = BTreeMap::new();
    let mut block: Option<BTreeMap<String, String>> = None;
    for line in status_dat.lines() {
        let line = line.trim_start();
        if line.starts_with("servicestatus {") {
            block = Some(BTreeMap::new());
        } else if line == "}" {
            if let Some(b) = block.take() {
                let name = b.get("service_description").cloned().unwrap_or_default();
                services.insert(name, b);
            }
        } else if let (Some(b), Some((key, value))) = (block.as_mut(), line.split_once('=')) {
            b.insert(key.to_string(), unescaped(value));
        }
    }
    services
}

/// A private Nagios instance: its own nagios.cfg, objects, status.dat and command file in a
/// folder of its own (owned by the nagios account), started as root with `nagios4 -d`, dropping
/// to `nagios`. Stopped (by its pid file, waiting for it and its workers) when dropped.
struct Nagios {
    dir: tempfile::TempDir,
    running: bool,
}

impl Nagios {
    /// The configuration: nagios.cfg for an instance checking every second or so
    /// (`interval_length=1`), and `objects` (besides the shipped ones, with `licdesk` the binary
    /// under test).
    fn configure(objects: &str) -> Nagios {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path().display().to_string();
        let shipped = shipped_objects();
        assert!(shipped.contains("/usr/bin/licdesk --store $ARG1$ check"));
        let shipped = shipped.replace("/usr/bin/licdesk", &binary("licdesk").display().to_string());
        std::fs::write(dir.path().join("licdesk.cfg"), shipped).unwrap();
        std::fs::write(dir.path().join("objects.cfg"), objects).unwrap();
        std::fs::create_dir(dir.path().join("checkresults")).unwrap();
        let config = format!(
            "log_file={d}/nagios.log\n\
             cfg_file={d}/licdesk.cfg\n\
             cfg_file={d}/objects.cfg\n\
             object_cache_file={d}/objects.cache\n\
             precached_object_file={d}/objects.precache\n\
             status_file={d}/status.dat\n\
             status_update_interval=1\n\
             temp_file={d}/nagios.tmp\n\
             temp_path={d}\n\
             lock_file={d}/nagios.pid\n\
             command_file={d}/nagios.cmd\n\
             check_external_commands=1\n\
             query_socket={d}/nagios.qh\n\
             check_result_path={d}/checkresults\n\
             check_result_reaper_frequency=1\n\
             state_retention_file={d}/retention.dat\n\
             retain_state_information=0\n\
             nagios_user={NAGIOS}\n\
             nagios_group={NAGIOS}\n\
             interval_length=1\n\
             enable_notifications=0\n\
             enable_event_handlers=0\n\
             enable_flap_detection=0\n\
             process_performance_data=0\n\
             use_syslog=0\n\
             log_rotation_method=n\n\
             check_for_updates=0\n\
             illegal_macro_output_chars=`~$&|'\"<>\n"
        );
        std::fs::write(dir.path().join("nagios.cfg"), config).unwrap();
        let status = Command::new("chown")
            .args(["-R", &format!("{NAGIOS}:{NAGIOS}")])
            .arg(dir.path())
            .status()
            .unwrap();
        assert!(status.success());
        Nagios {
            dir,
            running: false,
        }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn read(&self, name: &str) -> String {
        std::fs::read_to_string(self.path(name)).unwrap_or_else(|e| format!("({name}: {e})"))
    }

    /// `nagios4 -v`: the configuration without an error or a warning.
    fn verify(&self) {
        let out = Command::new(NAGIOS_BIN)
            .arg("-v")
            .arg(self.path("nagios.cfg"))
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success()
                && text.contains("Total Warnings: 0")
                && text.contains("Total Errors:   0"),
            "nagios4 -v:\n{text}{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// `nagios4 -d`: started, its command file open.
    fn start(&mut self) {
        let out = Command::new(NAGIOS_BIN)
            .arg("-d")
            .arg(self.path("nagios.cfg"))
            .output()
            .unwrap();
        self.running = true;
        assert!(out.status.success(), "nagios4 -d: {out:?}");
        let until = Instant::now() + RECORDED_WITHIN;
        while !(self.pid().is_some() && self.path("nagios.cmd").exists()) {
            assert!(
                Instant::now() < until,
                "Nagios did not start:\n{}",
                self.read("nagios.log")
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn pid(&self) -> Option<u32> {
        std::fs::read_to_string(self.path("nagios.pid"))
            .ok()
            .and_then(|p| p.trim().parse().ok())
    }

    /// Schedules a forced check of `service` now, through the command file; returns its time.
    fn force_check(&self, service: &str) -> i64 {
        let at = now();
        let mut fifo = std::fs::OpenOptions::new()
            .write(true)
            .open(self.path("nagios.cmd"))
            .unwrap();
        writeln!(
            fifo,
            "[{at}] SCHEDULE_FORCED_SVC_CHECK;{HOST};{service};{at}"
        )
        .unwrap();
        at
    }

    /// The status of `service` as soon as status.dat has a check of it at or after `since`;
    /// fails with status.dat and the log when none comes in time.
    fn recorded(&self, service: &str, since: i64) -> BTreeMap<String, String> {
        let until = Instant::now() + RECORDED_WITHIN;
        loop {
            let status = self.read("status.dat");
            if let Some(s) = service_status(&status).remove(service) {
                let checked = s.get("last_check").and_then(|t| t.parse::<i64>().ok());
                if s.get("has_been_checked").map(String::as_str) == Some("1")
                    && checked.is_some_and(|t| t >= since)
                {
                    return s;
                }
            }
            assert!(
                Instant::now() < until,
                "Nagios recorded no check of {service} since {since} within {RECORDED_WITHIN:?}:\n{status}\n{}",
                self.read("nagios.log")
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// The processes of this instance: the daemon and its workers (their command lines name
    /// its folder; one that has exited has no command line).
    fn processes(&self) -> Vec<u32> {
        let me = self.dir.path().display().to_string();
        std::fs::read_dir("/proc")
            .unwrap()
            .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
            .filter(|pid| {
                std::fs::read(format!("/proc/{pid}/cmdline"))
                    .map(|c| String::from_utf8_lossy(&c).contains(&me))
                    .unwrap_or(false)
            })
            .collect()
    }

    /// Stops Nagios by its pid file and waits until it and its workers are gone; the processes
    /// still there after 10 s, if any (killed then).
    fn stop(&mut self) -> Vec<u32> {
        if !std::mem::replace(&mut self.running, false) {
            return Vec::new();
        }
        if let Some(pid) = self.pid() {
            let _ = Command::new("kill").arg(pid.to_string()).status();
        }
        let until = Instant::now() + Duration::from_secs(10);
        while Instant::now() < until {
            if self.processes().is_empty() {
                return Vec::new();
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let left = self.processes();
        for pid in &left {
            let _ = Command::new("kill")
                .args(["-KILL", &pid.to_string()])
                .status();
        }
        left
    }
}

impl Drop for Nagios {
    fn drop(&mut self) {
        let left = self.stop();
        if !left.is_empty() {
            eprintln!("Nagios did not stop within 10 s: killed {left:?}");
        }
    }
}

/// A service of the test's Nagios: the shipped template, the store's path as its argument.
fn service(name: &str, store: &Path) -> String {
    format!(
        "define service {{\n\
         \x20   use                     licdesk\n\
         \x20   host_name               {HOST}\n\
         \x20   service_description     {name}\n\
         \x20   check_command           check_licdesk!{}\n\
         \x20   contact_groups          admins\n\
         }}\n",
        store.display()
    )
}

/// The host keeping the stores, and what every Nagios configuration has (the 24x7 time period,
/// a contact group): the rest of the test's objects.
fn host_and_basics() -> String {
    let days = [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ]
    .map(|d| format!("    {d} 00:00-24:00\n"))
    .concat();
    format!(
        "define timeperiod {{\n    timeperiod_name 24x7\n    alias always\n{days}}}\n\
         define command {{\n    command_name notify-nobody\n    command_line /bin/true\n}}\n\
         define contact {{\n    contact_name nobody-notified\n\
         \x20   host_notifications_enabled 0\n    service_notifications_enabled 0\n\
         \x20   host_notification_period 24x7\n    service_notification_period 24x7\n\
         \x20   host_notification_options n\n    service_notification_options n\n\
         \x20   host_notification_commands notify-nobody\n\
         \x20   service_notification_commands notify-nobody\n}}\n\
         define contactgroup {{\n    contactgroup_name admins\n    members nobody-notified\n}}\n\
         define host {{\n    host_name {HOST}\n    address 127.0.0.1\n    max_check_attempts 1\n\
         \x20   check_period 24x7\n    notification_period 24x7\n    contact_groups admins\n}}\n"
    )
}

/// A standby activated on its own desk ("standby"), its usage journal with `parts` kept there
/// when there are any; the folder handed to the desk's account and the store's group. The
/// standby's own desk answers from its live journal, as of now: the same answer every second but
/// for the time and the running load ([`at_any_time`]).
fn standby_desk(parts: &[(&str, i64)]) -> World {
    let w = World::new();
    activated_standby(&w);
    if !parts.is_empty() {
        journal(&w, parts);
    }
    hand_over(w.dir.path(), DESK_USER, STORE_GROUP);
    w
}

#[test]
fn nagios_runs_the_check_as_its_own_read_only_account_and_records_every_state_untouched() {
    if !root_or_skipped_knowingly_for(
        "nagios_runs_the_check_as_its_own_read_only_account_and_records_every_state_untouched",
        "runs Nagios 4, which drops to its own account, over stores it hands to another account",
    ) {
        return;
    }
    assert!(
        Path::new(NAGIOS_BIN).exists(),
        "{NAGIOS_BIN} is missing: install Debian's nagios4-core (make setup does)"
    );
    store_group_with_nagios();

    // The stores, each in a folder of the desk's account, the store's group reading it.
    let ok = standby_desk(&[]);
    let warning = standby_desk(&[("load", now() - 73 * HOUR)]);
    let critical = standby_desk(&[("load", now() - 130 * HOUR)]);
    // UNKNOWN: a damaged copy of the OK store; the OK store's copy the store's group may not
    // read (the desk account's own group).
    let store = ok.path("standby.sqlite");
    damaged_copy(&store, &ok.path("damaged.sqlite"));
    let sibling = licdesk_store::sharing::sibling;
    for suffix in ["", "-wal", "-shm"] {
        std::fs::copy(
            sibling(&store, suffix),
            sibling(&ok.path("unreadable.sqlite"), suffix),
        )
        .unwrap();
    }
    hand_over(ok.dir.path(), DESK_USER, STORE_GROUP);
    for suffix in ["", "-wal", "-shm"] {
        std::os::unix::fs::chown(
            sibling(&ok.path("unreadable.sqlite"), suffix),
            None,
            Some(id_of("group", DESK_GROUP)),
        )
        .unwrap();
    }
    // (service, store, state, what the first line says)
    let cases = [
        ("licdesk-ok", store.clone(), 0, "LICDESK OK - "),
        (
            "licdesk-warning",
            warning.path("standby.sqlite"),
            1,
            "warning: 73.0 h under load",
        ),
        (
            "licdesk-critical",
            critical.path("standby.sqlite"),
            2,
            "over the five-day limit: 130.0 h under load",
        ),
        ("licdesk-damaged", ok.path("damaged.sqlite"), 3, "damaged"),
        (
            "licdesk-unreadable",
            ok.path("unreadable.sqlite"),
            3,
            "LICDESK UNKNOWN - ",
        ),
    ];
    // What the check answers the nagios account, run by hand as the README says to try it.
    let by_hand: Vec<Run> = cases
        .iter()
        .map(|(service, store, state, says)| {
            let run = licdesk_as(NAGIOS, NAGIOS, store, &["check"]);
            assert_plugin_output(&run);
            assert_eq!(run.code, *state, "{service}: {}{}", run.stdout, run.stderr);
            assert!(run.stdout.contains(says), "{service}: {}", run.stdout);
            run
        })
        .collect();
    assert!(
        by_hand[4]
            .stdout
            .contains("this user needs read access to the store"),
        "{}",
        by_hand[4].stdout
    );
    let folders = [&ok, &warning, &critical];
    let listed: Vec<Vec<String>> = folders.iter().map(|w| listing(w.dir.path())).collect();

    // Nagios with the shipped objects, one service per store.
    let mut objects = host_and_basics();
    for (name, store, _, _) in &cases {
        objects.push_str(&service(name, store));
    }
    let mut nagios = Nagios::configure(&objects);
    nagios.verify();
    let started = Instant::now();
    nagios.start();
    // Every service checked at once, each recorded within a second or two.
    let forced = Instant::now();
    let since: Vec<i64> = cases
        .iter()
        .map(|(name, ..)| nagios.force_check(name))
        .collect();
    for (((name, _, state, _), by_hand), since) in cases.iter().zip(&by_hand).zip(since) {
        let s = nagios.recorded(name, since);
        let (output, long, perf) = as_recorded(&at_any_time(&by_hand.stdout));
        let field = |key: &str| at_any_time(&s.get(key).cloned().unwrap_or_default());
        assert_eq!(
            (
                field("current_state"),
                field("state_type"),
                field("plugin_output"),
                field("long_plugin_output"),
                field("performance_data"),
            ),
            (state.to_string(), "1".to_string(), output, long, perf),
            "{name}: Nagios recorded (left) another answer than licdesk check as {NAGIOS} printed:\n{}",
            by_hand.stdout
        );
    }
    let recorded = forced.elapsed();
    let left = nagios.stop();
    assert!(left.is_empty(), "Nagios did not stop within 10 s: {left:?}");
    eprintln!(
        "Nagios: started, {} forced checks recorded in {:.1} s, stopped: {:.1} s in all",
        cases.len(),
        recorded.as_secs_f64(),
        started.elapsed().as_secs_f64()
    );
    // Every answer is the same by hand afterwards: the stores did not change in between.
    for ((name, store, _, _), before) in cases.iter().zip(&by_hand) {
        let after = licdesk_as(NAGIOS, NAGIOS, store, &["check"]);
        assert_eq!(
            (after.code, at_any_time(&after.stdout)),
            (before.code, at_any_time(&before.stdout)),
            "{name}"
        );
    }
    // The shipped NRPE line, run as NRPE runs it (`sh -c`, as nagios), answers the same.
    let nrpe = Path::new(env!("CARGO_MANIFEST_DIR")).join("../contrib/monitoring/nrpe/licdesk.cfg");
    let nrpe = std::fs::read_to_string(nrpe).unwrap();
    let line = nrpe
        .lines()
        .find_map(|l| l.strip_prefix("command[check_licdesk]="))
        .expect("the NRPE command line")
        .replace("/usr/bin/licdesk", &binary("licdesk").display().to_string())
        .replace("/srv/licdesk/store.sqlite", &store.display().to_string());
    let out = Command::new("setpriv")
        .args([
            &format!("--reuid={NAGIOS}"),
            &format!("--regid={NAGIOS}"),
            "--init-groups",
            "sh",
            "-c",
            &line,
        ])
        .output()
        .unwrap();
    let by_nrpe = Run::from(out);
    assert_eq!(
        (by_nrpe.code, &by_nrpe.stdout),
        (by_hand[0].code, &by_hand[0].stdout),
        "{line}"
    );
    // Nagios created nothing and changed nothing in the stores' folders.
    for (w, before) in folders.iter().zip(&listed) {
        assert_eq!(&listing(w.dir.path()), before, "a store's folder changed");
    }

    // The desk's account still writes its store: its files keep the store's group and mode.
    let append = licdesk_as(
        DESK_USER,
        DESK_GROUP,
        &store,
        &["journal", "append", "--state", "idle"],
    );
    assert_eq!(append.code, 0, "{}{}", append.stdout, append.stderr);
    for suffix in ["", "-wal", "-shm"] {
        let m = std::fs::metadata(sibling(&store, suffix)).unwrap();
        assert_eq!(
            (m.uid(), m.gid(), m.mode() & 0o777),
            (
                id_of("passwd", DESK_USER),
                id_of("group", STORE_GROUP),
                0o640
            ),
            "standby.sqlite{suffix}"
        );
    }
    assert_eq!(licdesk_as(NAGIOS, NAGIOS, &store, &["check"]).code, 0);
}
