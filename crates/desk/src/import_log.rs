//! The log of a bulk import: one CSV file per import in an `import-logs` folder beside the store
//! (in the desk's local folder for a PostgreSQL store), a line per file (what it was, what
//! became of it, why), for people to keep, search and open in a spreadsheet.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::views::*;
use crate::{Desk, DeskError};

/// The folder of the import logs, beside the store.
pub const IMPORT_LOG_DIR: &str = "import-logs";

/// The columns of an import log.
const HEADER: [&str; 6] = [
    "file",
    "kind",
    "result",
    "reason code",
    "reason text",
    "license",
];

impl Desk {
    /// The folder the import logs of this store are written to (on this computer: beside an
    /// SQLite store, in the desk's own folder for a PostgreSQL store; see [`crate::DeskHome`]).
    pub fn import_log_dir(&self) -> PathBuf {
        self.home().import_logs()
    }

    /// Writes the log of an import (an outcome per file) as a new file in
    /// [`Desk::import_log_dir`], named after the desk's time (a second one in the same second
    /// gets a number: a log is never overwritten), and returns its path.
    pub fn write_import_log(&self, outcomes: &[ImportOutcome]) -> Result<PathBuf, DeskError> {
        let dir = self.import_log_dir();
        let mut builder = std::fs::DirBuilder::new();
        builder.recursive(true);
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o750);
        builder
            .create(&dir)
            .map_err(|e| DeskError::io("create", &dir, &e))?;
        // 2026-11-21T11:00:00Z → import-2026-11-21T11-00-00Z (no ':' in a Windows file name).
        let stamp = self.now().to_string().replace(':', "-");
        let text = import_log_csv(outcomes);
        for n in 1..=999 {
            let name = match n {
                1 => format!("import-{stamp}.csv"),
                n => format!("import-{stamp}-{n}.csv"),
            };
            let path = dir.join(name);
            match std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)
            {
                Ok(mut file) => {
                    file.write_all(text.as_bytes())
                        .and_then(|()| file.sync_all())
                        .map_err(|e| DeskError::io("write", &path, &e))?;
                    return Ok(path);
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(DeskError::io("create", &path, &e)),
            }
        }
        Err(DeskError::io(
            "create a new log in",
            &dir,
            &std::io::Error::from(std::io::ErrorKind::AlreadyExists),
        ))
    }
}

impl Desk {
    /// `log` when it is one of this store's import logs (an `import-….csv` file in
    /// [`Desk::import_log_dir`], itself and not a link to elsewhere), as its canonical path;
    /// anything else is refused: the window may open or copy those logs and nothing else.
    pub fn own_import_log(&self, log: &Path) -> Result<PathBuf, DeskError> {
        let canonical = log.canonicalize().ok().filter(|c| {
            c.is_file()
                && c.extension().is_some_and(|e| e == "csv")
                && c.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.starts_with("import-"))
                && c.parent().map(Path::to_path_buf) == self.import_log_dir().canonicalize().ok()
        });
        canonical.ok_or_else(|| {
            crate::ImportRefusal::NotAnImportLog {
                path: log.to_path_buf(),
            }
            .into()
        })
    }

    /// Writes a copy of the import log `log` (one of [`Desk::import_log_dir`]'s, nothing else) to
    /// `out`, a file a person chose: never over the store or the installation key.
    pub fn copy_import_log(
        &self,
        log: &Path,
        out: &Path,
        if_exists: crate::IfExists,
    ) -> Result<(), DeskError> {
        let log = self.own_import_log(log)?;
        let output = self.output(out, if_exists);
        output.check()?;
        let bytes = crate::files::read_capped(&log, MAX_LOG_BYTES)?;
        output.write(&bytes)?;
        Ok(())
    }
}

/// The largest import log read back for a copy (10,000 files make about 3 MiB).
const MAX_LOG_BYTES: u64 = 256 * 1024 * 1024;

/// The import-log folder of the store at `store`.
pub fn import_log_dir(store: &Path) -> PathBuf {
    store
        .parent()
        .unwrap_or_else(|| Path::new("."))
        .join(IMPORT_LOG_DIR)
}

/// The log as CSV text: UTF-8 with a byte-order mark (so that spreadsheet programs read umlauts
/// right), a header line, a line per file, lines ended by CR LF (RFC 4180).
pub fn import_log_csv(outcomes: &[ImportOutcome]) -> String {
    let mut text = String::from("\u{feff}");
    push_line(&mut text, HEADER.iter().copied());
    for o in outcomes {
        let result = match o.result {
            ImportResult::Accepted => "accepted",
            ImportResult::Unchanged => "unchanged",
            ImportResult::Refused => "refused",
        };
        let code = o.reason().map(error_code_name).unwrap_or_default();
        let license = o.license.as_ref().map(|l| l.as_str()).unwrap_or_default();
        push_line(
            &mut text,
            [
                o.file.as_str(),
                o.kind.unwrap_or_default(),
                result,
                code.as_str(),
                o.message.as_str(),
                license,
            ],
        );
    }
    text
}

fn error_code_name(code: crate::ErrorCode) -> String {
    serde_json::to_value(code)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

fn push_line<'a>(text: &mut String, cells: impl IntoIterator<Item = &'a str>) {
    let cells: Vec<String> = cells.into_iter().map(csv_cell).collect();
    text.push_str(&cells.join(","));
    text.push_str("\r\n");
}

/// One cell: safe against formula injection (a spreadsheet program runs a cell that starts with
/// `=`, `+`, `-` or `@` — or a tab or CR before one — as a formula: such a cell is prefixed with
/// `'`, which makes it text), quoted when it holds a comma, a quote or a line end.
pub fn csv_cell(value: &str) -> String {
    let mut cell = String::with_capacity(value.len() + 3);
    if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        cell.push('\'');
    }
    cell.push_str(value);
    if cell.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", cell.replace('"', "\"\""))
    } else {
        cell
    }
}
