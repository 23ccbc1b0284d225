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
        let n = (90..200)
            .find(|n| {
                !Path::new(&format!("/tmp/.X11-unix/X{n}")).exists()
                    && !Path::new(&format!("/tmp/.X{n}-lock")).exists()
            })
            .expect("a free X display number");
        let script = format!(
            "Xvfb :{n} -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 & x=$!; \
             while kill -0 {parent} 2>/dev/null; do sleep 1; done; kill $x",
            parent = std::process::id()
        );
        // The watchdog outlives this process on purpose (it reaps Xvfb after us): never waited on.
        #[allow(clippy::zombie_processes)]
        let _watchdog = Command::new("sh")
            .args(["-c", &script])
            .stdin(Stdio::null())
            .spawn()
            .expect("start Xvfb (apt-get install xvfb; make test installs it)");
        let socket = format!("/tmp/.X11-unix/X{n}");
        let start = Instant::now();
        while !Path::new(&socket).exists() {
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "Xvfb :{n} did not start"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
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

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
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
}

impl AppHome {
    /// A store and XDG folders inside `dir`.
    pub fn in_dir(dir: &Path) -> AppHome {
        AppHome {
            store: dir.join("store.sqlite"),
            home: dir.join("home"),
        }
    }
}

/// The running app and the driver behind it. Dropping it ends the session and stops the driver.
#[derive(Debug)]
pub struct App {
    pub session: Option<Session>,
    driver: Child,
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
        let display = display();
        let (port, native) = (free_port(), free_port());
        for d in ["data", "config", "cache"] {
            std::fs::create_dir_all(home.home.join(d)).expect("app home");
        }
        let driver = Command::new(tauri_driver())
            .args([
                "--port",
                &port.to_string(),
                "--native-port",
                &native.to_string(),
            ])
            .env("DISPLAY", display)
            .env("LICDESK_STORE", &home.store)
            .env("XDG_DATA_HOME", home.home.join("data"))
            .env("XDG_CONFIG_HOME", home.home.join("config"))
            .env("XDG_CACHE_HOME", home.home.join("cache"))
            .env("WEBKIT_DISABLE_COMPOSITING_MODE", "1")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start tauri-driver (cargo install tauri-driver; make test installs it)");
        let mut app = App {
            session: None,
            driver,
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

    pub fn s(&self) -> &Session {
        self.session.as_ref().expect("session")
    }

    /// The process id of the app itself: the `licdesk-app` process that WebKitWebDriver started
    /// below tauri-driver (its WebKit processes are its own children).
    pub fn app_pid(&self) -> Option<u32> {
        process_tree(self.driver.id()).into_iter().find(|pid| {
            std::fs::read_to_string(format!("/proc/{pid}/comm"))
                .is_ok_and(|name| name.trim() == "licdesk-app")
        })
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
