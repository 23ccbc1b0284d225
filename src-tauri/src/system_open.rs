//! Opening a file in the program the system gives its kind, as a double click in the file
//! manager does: `xdg-open` on Linux (xdg-utils, what every desktop answers), the shell's "open"
//! on Windows. The window opens its import logs this way (`commands::imports::open_import_log`,
//! which hands over only this store's own logs).

use std::path::Path;

/// How long `xdg-open` may take to say whether it started a program: it ends then, unless the
/// desktop's program for the kind runs in its stead (then it is taken as started, and reaped
/// when it ends).
#[cfg(not(windows))]
const STARTED_WITHIN: std::time::Duration = std::time::Duration::from_secs(3);

/// Opens `path` in the program the system gives its kind; the error says why it could not.
#[cfg(not(windows))]
pub(crate) fn open_in_system(path: &Path) -> Result<(), String> {
    use std::process::{Command, Stdio};
    let mut opener = Command::new("xdg-open")
        .arg(path)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("xdg-open could not be started ({e}): install xdg-utils"))?;
    let asked = std::time::Instant::now();
    while asked.elapsed() < STARTED_WITHIN {
        match opener.try_wait() {
            Ok(Some(status)) => return xdg_open_answer(status.code()),
            Ok(None) => std::thread::sleep(std::time::Duration::from_millis(20)),
            Err(e) => return Err(format!("xdg-open: {e}")),
        }
    }
    std::thread::spawn(move || opener.wait());
    Ok(())
}

/// What `xdg-open`'s exit status means (xdg-open(1)).
#[cfg(not(windows))]
fn xdg_open_answer(code: Option<i32>) -> Result<(), String> {
    match code {
        Some(0) => Ok(()),
        Some(2) => Err("the file is not there any more".into()),
        Some(3) => Err("no program is set up to open this kind of file".into()),
        Some(4) => Err("the program for this kind of file could not open it".into()),
        Some(code) => Err(format!("xdg-open ended with status {code}")),
        None => Err("xdg-open was stopped".into()),
    }
}

/// Opens `path` in the program Windows associates with its kind.
#[cfg(windows)]
pub(crate) fn open_in_system(path: &Path) -> Result<(), String> {
    licdesk_winsys::open_with_associated_program(path).map_err(|e| e.to_string())
}

#[cfg(all(test, not(windows)))]
mod tests {
    use super::*;

    #[test]
    fn xdg_opens_answers_are_told_in_words() {
        assert_eq!(xdg_open_answer(Some(0)), Ok(()));
        assert!(xdg_open_answer(Some(3))
            .unwrap_err()
            .contains("no program is set up"));
        assert!(xdg_open_answer(Some(2)).unwrap_err().contains("not there"));
        assert!(xdg_open_answer(Some(9)).unwrap_err().contains("status 9"));
        assert!(xdg_open_answer(None).unwrap_err().contains("stopped"));
    }
}
