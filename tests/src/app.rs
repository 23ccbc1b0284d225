//! Runs the real License Desk app through tauri-driver (which starts WebKitWebDriver), under the
//! current display or an Xvfb display of our own. One app at a time: the tests hold a lock.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Mutex, MutexGuard, OnceLock};
use std::time::{Duration, Instant};

use crate::webdriver::Session;

static ONE_APP_AT_A_TIME: Mutex<()> = Mutex::new(());
static DISPLAY: OnceLock<String> = OnceLock::new();

/// The display to run on: $DISPLAY, or an Xvfb started once for this test process. A small
/// watchdog stops that Xvfb when the test process is gone.
fn display() -> &'static str {
    DISPLAY.get_or_init(|| {
        if let Some(d) = std::env::var("DISPLAY").ok().filter(|d| !d.is_empty()) {
            return d;
        }
        // Xvfb picks a free display number itself and writes it, once ready, to the pipe
        // (`-displayfd`): two test processes starting at once never share or fight over one.
        let script = format!(
            "Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp 3>&1 >/dev/null 2>&1 & x=$!; \
             exec >/dev/null; \
             while kill -0 {parent} 2>/dev/null; do sleep 1; done; kill $x",
            parent = std::process::id()
        );
        // The watchdog outlives this process on purpose (it reaps Xvfb after us): never waited on.
        #[allow(clippy::zombie_processes)]
        let mut watchdog = Command::new("sh")
            .args(["-c", &script])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .spawn()
            .expect("start Xvfb (apt-get install xvfb; make test installs it)");
        let pipe = watchdog.stdout.take().expect("the watchdog's pipe");
        let (said, heard) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let _ = std::io::BufRead::read_line(&mut std::io::BufReader::new(pipe), &mut line);
            let _ = said.send(line);
        });
        let line = heard
            .recv_timeout(Duration::from_secs(10))
            .unwrap_or_default();
        let n: u32 = line.trim().parse().unwrap_or_else(|_| {
            panic!("Xvfb did not start (apt-get install xvfb; make test installs it): {line:?}")
        });
        format!(":{n}")
    })
}

fn tauri_driver() -> PathBuf {
    if let Some(home) = std::env::var_os("HOME") {
        let p = PathBuf::from(home).join(".cargo/bin/tauri-driver");
        if p.exists() {
            return p;
        }
    }
    PathBuf::from("tauri-driver")
}

/// Two distinct ports free at this moment (both held until both are chosen, so they differ).
/// Another process may still take one before tauri-driver or WebKitWebDriver binds it: the
/// launch checks afterwards that both listening sockets are its own (`listener_owner`).
fn two_free_ports() -> (u16, u16) {
    let bind = || std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
    let (a, b) = (bind(), bind());
    let port = |l: &std::net::TcpListener| l.local_addr().expect("a bound port").port();
    (port(&a), port(&b))
}

/// Who listens on TCP `port` (IPv4 or IPv6), from /proc: `Some(true)` when one of the processes
/// `pids` names holds a listening socket there, `Some(false)` when only other processes do,
/// `None` when nothing listens there yet. `pids` is asked once the sockets are read: a process
/// that started listening just before is among them (a list taken first would miss it, and
/// call its socket another's).
fn listener_owner(port: u16, pids: impl FnOnce() -> Vec<u32>) -> Option<bool> {
    let mut sockets = Vec::new();
    for table in ["/proc/net/tcp", "/proc/net/tcp6"] {
        let Ok(text) = std::fs::read_to_string(table) else {
            continue;
        };
        // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode …
        for line in text.lines().skip(1) {
            let fields: Vec<&str> = line.split_whitespace().collect();
            let (Some(local), Some(state), Some(inode)) =
                (fields.get(1), fields.get(3), fields.get(9))
            else {
                continue;
            };
            let local_port = local
                .rsplit_once(':')
                .and_then(|(_, p)| u16::from_str_radix(p, 16).ok());
            if *state == "0A" && local_port == Some(port) {
                sockets.push(format!("socket:[{inode}]")); // 0A: TCP_LISTEN
            }
        }
    }
    if sockets.is_empty() {
        return None;
    }
    let pids = pids();
    let holds = |pid: &u32| {
        std::fs::read_dir(format!("/proc/{pid}/fd")).is_ok_and(|fds| {
            fds.flatten().any(|fd| {
                std::fs::read_link(fd.path())
                    .is_ok_and(|target| sockets.iter().any(|s| target.as_os_str() == s.as_str()))
            })
        })
    };
    Some(pids.iter().any(holds))
}

/// Stops `pids` (a driver and what it started), each by its id.
fn stop(pids: &[u32]) {
    for pid in pids {
        let _ = Command::new("kill")
            .args(["-TERM", &pid.to_string()])
            .stderr(Stdio::null())
            .status();
    }
}

/// `root` and every process below it, found through the parent ids in /proc (a child started by
/// any thread counts; empty but for `root` where there is no /proc).
pub fn process_tree(root: u32) -> Vec<u32> {
    let mut parents = Vec::new();
    if let Ok(entries) = std::fs::read_dir("/proc") {
        for entry in entries.flatten() {
            let Some(pid) = entry
                .file_name()
                .to_str()
                .and_then(|n| n.parse::<u32>().ok())
            else {
                continue;
            };
            // The fields after the command name, which is in parentheses and may hold spaces.
            let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
                continue;
            };
            let parent = stat
                .rsplit_once(')')
                .and_then(|(_, rest)| rest.split_whitespace().nth(1))
                .and_then(|p| p.parse::<u32>().ok());
            if let Some(parent) = parent {
                parents.push((pid, parent));
            }
        }
    }
    let mut found = vec![root];
    let mut i = 0;
    while i < found.len() {
        let pid = found[i];
        found.extend(parents.iter().filter(|(_, p)| *p == pid).map(|(c, _)| *c));
        i += 1;
    }
    found
}

/// Where one app run keeps its files.
#[derive(Debug, Clone)]
pub struct AppHome {
    pub store: PathBuf,
    pub home: PathBuf,
    /// A folder searched first for the programs the app starts (e.g. a stand-in `xdg-open`
    /// that notes what it was asked to open).
    pub programs: Option<PathBuf>,
    /// Whether `LICDESK_STORE` names `store` (else the app finds its store as a user's start
    /// does: the store chosen in its settings, or this user's own).
    pub store_env: bool,
    /// The time zone the app runs in (`TZ`, an IANA name), else the system's.
    pub time_zone: Option<String>,
}

impl AppHome {
    /// A store and XDG folders inside `dir`.
    pub fn in_dir(dir: &Path) -> AppHome {
        AppHome {
            store: dir.join("store.sqlite"),
            home: dir.join("home"),
            programs: None,
            store_env: true,
            time_zone: None,
        }
    }

    /// The same, without `LICDESK_STORE`: the app starts as it does for a user.
    pub fn without_store_env(self) -> AppHome {
        AppHome {
            store_env: false,
            ..self
        }
    }

    /// Where the app keeps its settings (`$XDG_CONFIG_HOME/<identifier>/settings.json`).
    pub fn settings(&self) -> PathBuf {
        self.home
            .join("config/de.officemaster.licensedesk/settings.json")
    }

    /// This user's own store, as the app finds it without `LICDESK_STORE`.
    pub fn default_store(&self) -> PathBuf {
        self.home.join("data/license-desk/store.sqlite")
    }

    /// The same, the app in time zone `zone` ("Asia/Kathmandu").
    pub fn in_time_zone(self, zone: &str) -> AppHome {
        AppHome {
            time_zone: Some(zone.into()),
            ..self
        }
    }

    /// The same, the programs in `dir` found before the system's.
    pub fn with_programs(self, dir: &Path) -> AppHome {
        AppHome {
            programs: Some(dir.to_path_buf()),
            ..self
        }
    }
}

/// The running app and the driver behind it. Dropping it ends the session and stops the driver.
#[derive(Debug)]
pub struct App {
    pub session: Option<Session>,
    driver: Child,
    /// The binary the driver started (licdesk-app, or the bench's floor app).
    application: PathBuf,
    _turn: MutexGuard<'static, ()>,
}

impl App {
    pub fn launch(home: &AppHome) -> App {
        Self::launch_binary(home, &crate::built_binary("licdesk-app"))
    }

    /// Runs `application` (e.g. a release build, for benchmarks).
    pub fn launch_binary(home: &AppHome, application: &Path) -> App {
        let turn = ONE_APP_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
        let launched = Instant::now();
        for d in ["data", "config", "cache"] {
            std::fs::create_dir_all(home.home.join(d)).expect("app home");
        }
        // The ports are free when chosen, but another test process may bind one first: then
        // this driver is stopped and another started on other ports. The session is only ever
        // started through a port this driver listens on, never another process's.
        let mut attempt = 0;
        let (driver, port) = loop {
            attempt += 1;
            let (port, native) = two_free_ports();
            let mut driver = Self::start_driver(home, port, native);
            match Self::listening(&mut driver, port, native) {
                Ok(()) => break (driver, port),
                Err((why, started)) => {
                    stop(&started);
                    let _ = driver.wait();
                    assert!(attempt < 5, "tauri-driver on ports {port}/{native}: {why}");
                    eprintln!("tauri-driver on ports {port}/{native}: {why}; trying other ports");
                }
            }
        };
        let mut app = App {
            session: None,
            driver,
            application: application.to_path_buf(),
            _turn: turn,
        };
        let start = Instant::now();
        let session = loop {
            match Session::start(port, &application.display().to_string()) {
                Ok(s) => break s,
                Err(e) if start.elapsed() > Duration::from_secs(30) => {
                    panic!("could not start the app through tauri-driver: {e}")
                }
                Err(_) => std::thread::sleep(Duration::from_millis(100)),
            }
        };
        session
            .wait_for("the window to be ready", Duration::from_secs(30), |s| {
                let ready = s.execute(
                    "return document.body && document.body.dataset.ready || null;",
                    vec![],
                )?;
                Ok(ready.as_str().map(str::to_string))
            })
            .expect("the window never became ready");
        app.session = Some(session);
        eprintln!("app ready after {} ms", launched.elapsed().as_millis());
        app
    }

    /// Starts tauri-driver on `port`, with its WebKitWebDriver on `native`, for the app in `home`.
    fn start_driver(home: &AppHome, port: u16, native: u16) -> Child {
        let display = display();
        let mut driver = Command::new(tauri_driver());
        if let Some(programs) = &home.programs {
            let mut path = std::ffi::OsString::from(programs);
            if let Some(system) = std::env::var_os("PATH") {
                path.push(":");
                path.push(system);
            }
            driver.env("PATH", path);
        }
        if let Some(zone) = &home.time_zone {
            driver.env("TZ", zone);
        }
        if home.store_env {
            driver.env("LICDESK_STORE", &home.store);
        } else {
            driver.env_remove("LICDESK_STORE");
        }
        driver
            .args([
                "--port",
                &port.to_string(),
                "--native-port",
                &native.to_string(),
            ])
            .env("DISPLAY", display)
            .env("XDG_DATA_HOME", home.home.join("data"))
            .env("XDG_CONFIG_HOME", home.home.join("config"))
            .env("XDG_CACHE_HOME", home.home.join("cache"))
            .env("WEBKIT_DISABLE_COMPOSITING_MODE", "1")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start tauri-driver (cargo install tauri-driver; make test installs it)")
    }

    /// Waits until this driver listens on `port` and the WebKitWebDriver it started on
    /// `native`. Refused — with every process it started, to stop them — when the driver ended
    /// (its port was taken), another process listens on either port, or neither came in 20 s.
    fn listening(driver: &mut Child, port: u16, native: u16) -> Result<(), (String, Vec<u32>)> {
        let mut started = vec![driver.id()];
        if !Path::new("/proc/net/tcp").exists() {
            return Ok(()); // no /proc to ask: the session's start tells
        }
        let start = Instant::now();
        loop {
            let tree = process_tree(driver.id());
            let new: Vec<u32> = tree
                .iter()
                .filter(|p| !started.contains(p))
                .copied()
                .collect();
            started.extend(new);
            if let Ok(Some(status)) = driver.try_wait() {
                return Err((format!("tauri-driver ended ({status})"), started));
            }
            match (
                listener_owner(port, || vec![driver.id()]),
                listener_owner(native, || process_tree(driver.id())),
            ) {
                (Some(true), Some(true)) => return Ok(()),
                (Some(false), _) => return Err((format!("port {port} is taken"), started)),
                (_, Some(false)) => return Err((format!("port {native} is taken"), started)),
                _ if start.elapsed() > Duration::from_secs(20) => {
                    return Err(("nothing listens after 20 s".to_string(), started));
                }
                _ => std::thread::sleep(Duration::from_millis(20)),
            }
        }
    }

    pub fn s(&self) -> &Session {
        self.session.as_ref().expect("session")
    }

    /// The process id of the app itself: the process running the launched binary that
    /// WebKitWebDriver started below tauri-driver (its WebKit processes are its own children).
    /// Found by its executable, not its name: the kernel cuts a name to 15 characters.
    pub fn app_pid(&self) -> Option<u32> {
        let binary = self.application.canonicalize().ok()?;
        process_tree(self.driver.id()).into_iter().find(|pid| {
            std::fs::read_link(format!("/proc/{pid}/exe")).is_ok_and(|exe| exe == binary)
        })
    }

    /// What the X display says of the app's window: `xprop`'s lines for `property` (such as
    /// `WM_NORMAL_HINTS`, the sizes the window allows), read with x11-utils.
    pub fn window_property(&self, property: &str) -> String {
        let tree = Command::new("xwininfo")
            .args(["-display", display(), "-root", "-tree"])
            .output()
            .expect("xwininfo (x11-utils; make test installs it)");
        let tree = String::from_utf8_lossy(&tree.stdout);
        let id = tree
            .lines()
            .find(|l| l.contains("\"License Desk\""))
            .and_then(|l| l.split_whitespace().next())
            .unwrap_or_else(|| panic!("no window named License Desk on the display:\n{tree}"))
            .to_string();
        let out = Command::new("xprop")
            .args(["-display", display(), "-id", &id, property])
            .output()
            .expect("xprop (x11-utils)");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Saves a screenshot of the display as a test artefact. (WebKitWebDriver's own screenshot
    /// command hangs under Xvfb here, so the X display is captured with ImageMagick's `import`.)
    /// A screenshot that cannot be taken fails the test: the artefact is part of what it proves.
    pub fn shot(&self, name: &str) {
        // Let the last change paint.
        std::thread::sleep(Duration::from_millis(250));
        let path = crate::artifacts_dir().join(format!("{name}.png"));
        let _ = std::fs::remove_file(&path);
        let output = Command::new("import")
            .args(["-display", display(), "-window", "root"])
            .arg(&path)
            .stdin(Stdio::null())
            .output();
        let why = match output {
            Err(e) => Some(format!(
                "cannot run ImageMagick's import ({e}): apt-get install imagemagick (make test installs it)"
            )),
            Ok(out) if !out.status.success() => Some(format!(
                "ImageMagick's import failed ({}): {}",
                out.status,
                String::from_utf8_lossy(&out.stderr).trim()
            )),
            Ok(_) => match std::fs::metadata(&path) {
                Ok(m) if m.len() > 0 => None,
                Ok(_) => Some(format!("{} is empty", path.display())),
                Err(e) => Some(format!("{} was not written: {e}", path.display())),
            },
        };
        if let Some(why) = why {
            panic!("screenshot {name}: {why}");
        }
    }
}

impl Drop for App {
    fn drop(&mut self) {
        let stopping = Instant::now();
        if let Some(s) = self.session.take() {
            s.end();
        }
        // SIGTERM, not SIGKILL: tauri-driver then stops WebKitWebDriver too.
        let _ = Command::new("kill")
            .args(["-TERM", &self.driver.id().to_string()])
            .status();
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(5) {
            if let Ok(Some(_)) = self.driver.try_wait() {
                eprintln!("app stopped after {} ms", stopping.elapsed().as_millis());
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_port_is_known_as_ours_only_while_we_listen_on_it() {
        let (a, b) = two_free_ports();
        assert_ne!(a, b);
        let listener = std::net::TcpListener::bind(("127.0.0.1", a)).unwrap();
        let me = std::process::id();
        assert_eq!(listener_owner(a, || vec![me]), Some(true));
        // Another process's listener is not ours (pid 1 holds no socket of this process).
        assert_eq!(listener_owner(a, || vec![1]), Some(false));
        drop(listener);
        assert_eq!(listener_owner(a, || vec![me]), None);
    }
}
