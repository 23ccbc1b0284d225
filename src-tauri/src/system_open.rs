//! Opening a file in the program the system gives its kind, as a double click in the file
//! manager does: `xdg-open` on Linux (xdg-utils, what every desktop answers), the shell's "open"
//! on Windows. The window opens its import logs this way (`commands::imports::open_import_log`,
//! which hands over only this store's own logs).

use std::path::Path;

use licdesk_desk::{DeskError, ErrorCode};

/// Why a file could not be opened, each said in the window in the user's language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum OpenFailure {
    /// No program is set up for the file's kind, or the system's opener is missing (the detail
    /// says which, in English).
    NoProgram(String),
    /// The file is not there any more.
    Gone,
    /// The program for the kind was started and could not open it (the detail: what the
    /// system said).
    ProgramFailed(String),
}

impl OpenFailure {
    /// The error the window shows for opening `path`.
    pub(crate) fn into_error(self, path: &Path) -> DeskError {
        let (code, why) = match self {
            OpenFailure::NoProgram(why) => (ErrorCode::NoProgramToOpen, why),
            OpenFailure::Gone => (ErrorCode::PathMissing, "it is not there any more".into()),
            OpenFailure::ProgramFailed(why) => (ErrorCode::ProgramCouldNotOpen, why),
        };
        DeskError::new(code, format!("cannot open {}: {why}", path.display()))
    }
}

/// How long `xdg-open` may take to say whether it started a program: it ends then, unless the
/// desktop's program for the kind runs in its stead (then it is taken as started, and reaped
/// when it ends).
#[cfg(not(windows))]
const STARTED_WITHIN: std::time::Duration = std::time::Duration::from_secs(3);

/// Opens `path` in the program the system gives its kind; the error says why it could not.
#[cfg(not(windows))]
pub(crate) fn open_in_system(path: &Path) -> Result<(), OpenFailure> {
    use std::process::{Command, Stdio};
    let mut opener = Command::new("xdg-open")
        .arg(path)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| {
            OpenFailure::NoProgram(format!(
                "xdg-open could not be started ({e}): install xdg-utils"
            ))
        })?;
    let asked = std::time::Instant::now();
    while asked.elapsed() < STARTED_WITHIN {
        match opener.try_wait() {
            Ok(Some(status)) => return xdg_open_answer(status.code()),
            Ok(None) => std::thread::sleep(std::time::Duration::from_millis(20)),
            Err(e) => return Err(OpenFailure::ProgramFailed(format!("xdg-open: {e}"))),
        }
    }
    std::thread::spawn(move || opener.wait());
    Ok(())
}

/// What `xdg-open`'s exit status means (xdg-open(1)).
#[cfg(not(windows))]
fn xdg_open_answer(code: Option<i32>) -> Result<(), OpenFailure> {
    match code {
        Some(0) => Ok(()),
        Some(2) => Err(OpenFailure::Gone),
        Some(3) => Err(OpenFailure::NoProgram(
            "no program is set up to open this kind of file".into(),
        )),
        Some(4) => Err(OpenFailure::ProgramFailed(
            "the program for this kind of file could not open it".into(),
        )),
        Some(code) => Err(OpenFailure::ProgramFailed(format!(
            "xdg-open ended with status {code}"
        ))),
        None => Err(OpenFailure::ProgramFailed("xdg-open was stopped".into())),
    }
}

/// Opens `path` in the program Windows associates with its kind.
#[cfg(windows)]
pub(crate) fn open_in_system(path: &Path) -> Result<(), OpenFailure> {
    licdesk_winsys::open_with_associated_program(path).map_err(|e| windows_answer(&e))
}

/// What `ShellExecuteW`'s small answers mean: 2 and 3 no such file or folder, 27 an incomplete
/// association, 31 no association for the kind.
#[cfg(any(windows, test))]
fn windows_answer(e: &std::io::Error) -> OpenFailure {
    match e.raw_os_error() {
        Some(2 | 3) => OpenFailure::Gone,
        Some(27 | 31) => {
            OpenFailure::NoProgram("no program is set up to open this kind of file".into())
        }
        _ => OpenFailure::ProgramFailed(e.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(not(windows))]
    #[test]
    fn xdg_opens_answers_are_told_by_kind() {
        assert_eq!(xdg_open_answer(Some(0)), Ok(()));
        assert_eq!(xdg_open_answer(Some(2)), Err(OpenFailure::Gone));
        assert!(
            matches!(xdg_open_answer(Some(3)), Err(OpenFailure::NoProgram(w)) if w.contains("no program is set up"))
        );
        assert!(matches!(
            xdg_open_answer(Some(4)),
            Err(OpenFailure::ProgramFailed(_))
        ));
        assert!(
            matches!(xdg_open_answer(Some(9)), Err(OpenFailure::ProgramFailed(w)) if w.contains("status 9"))
        );
        assert!(
            matches!(xdg_open_answer(None), Err(OpenFailure::ProgramFailed(w)) if w.contains("stopped"))
        );
    }

    #[test]
    fn windows_answers_are_told_by_kind() {
        let answer = |code| windows_answer(&std::io::Error::from_raw_os_error(code));
        assert_eq!(answer(2), OpenFailure::Gone);
        assert_eq!(answer(3), OpenFailure::Gone);
        assert!(matches!(answer(31), OpenFailure::NoProgram(_)));
        assert!(matches!(answer(27), OpenFailure::NoProgram(_)));
        assert!(matches!(answer(5), OpenFailure::ProgramFailed(_)));
    }

    #[test]
    fn each_failure_has_its_own_code_and_names_the_file() {
        let path = Path::new("/srv/logs/import-1.csv");
        let codes = [
            (
                OpenFailure::NoProgram("x".into()),
                ErrorCode::NoProgramToOpen,
            ),
            (OpenFailure::Gone, ErrorCode::PathMissing),
            (
                OpenFailure::ProgramFailed("y".into()),
                ErrorCode::ProgramCouldNotOpen,
            ),
        ];
        for (failure, code) in codes {
            let error = failure.into_error(path);
            assert_eq!(error.code, code);
            assert!(
                error.message.contains("/srv/logs/import-1.csv"),
                "{}",
                error.message
            );
        }
    }
}
