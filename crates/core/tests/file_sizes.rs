//! No Rust source file in `crates/` or `src-tauri/` is longer than [`MAX_LINES`] lines, tests
//! included: a longer file is split along its seams (a module folder with `mod.rs` re-exporting
//! its parts, or a test folder with `main.rs` and modules). Test data that cannot be split is
//! listed in [`EXCEPTIONS`], each with its reason.

use std::path::{Path, PathBuf};

/// The most lines a source file may have.
const MAX_LINES: usize = 600;

/// Files allowed to be longer (paths from the workspace root, with `/`), each with the reason.
/// None today.
const EXCEPTIONS: &[(&str, &str)] = &[];

/// The folders walked, from the workspace root.
const ROOTS: [&str; 2] = ["crates", "src-tauri"];

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Every `.rs` file under `dir`, skipping build output (`target`) and hidden folders.
fn rust_files(dir: &Path, found: &mut Vec<PathBuf>) {
    let entries = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    for entry in entries {
        let path = entry.expect("a directory entry").path();
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if path.is_dir() {
            if name != "target" && !name.starts_with('.') {
                rust_files(&path, found);
            }
        } else if name.ends_with(".rs") {
            found.push(path);
        }
    }
}

/// Each source file's path (from the workspace root, with `/`) and its number of lines.
fn line_counts() -> Vec<(String, usize)> {
    let root = workspace_root();
    let mut files = Vec::new();
    for dir in ROOTS {
        rust_files(&root.join(dir), &mut files);
    }
    let mut counts: Vec<(String, usize)> = files
        .iter()
        .map(|path| {
            let text =
                std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let relative = path
                .strip_prefix(&root)
                .expect("a path under the workspace root")
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/");
            (relative, text.lines().count())
        })
        .collect();
    counts.sort();
    counts
}

#[test]
fn no_source_file_in_crates_or_src_tauri_is_over_600_lines() {
    let counts = line_counts();
    // The walk found the workspace, not an empty folder.
    for expected in ["crates/core/src/lib.rs", "src-tauri/src/main.rs"] {
        assert!(
            counts.iter().any(|(path, _)| path == expected),
            "{expected} was not found: the walk started in the wrong place"
        );
    }
    let too_long: Vec<String> = counts
        .iter()
        .filter(|(path, lines)| {
            *lines > MAX_LINES && !EXCEPTIONS.iter().any(|(allowed, _)| allowed == path)
        })
        .map(|(path, lines)| format!("{path}: {lines} lines"))
        .collect();
    assert!(
        too_long.is_empty(),
        "source files over {MAX_LINES} lines (split each along its seams, or list test data in \
         EXCEPTIONS with its reason):\n{}",
        too_long.join("\n")
    );
}

#[test]
fn every_exception_is_still_a_long_file() {
    let counts = line_counts();
    for (path, reason) in EXCEPTIONS {
        assert!(
            !reason.trim().is_empty(),
            "{path} is listed without a reason"
        );
        let lines = counts.iter().find(|(p, _)| p == path).map(|(_, n)| *n);
        assert!(
            lines.is_some_and(|n| n > MAX_LINES),
            "{path} is listed as an exception but is {lines:?} lines: remove it from EXCEPTIONS"
        );
    }
}
