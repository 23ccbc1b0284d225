// The commit the binaries are built from, as LICDESK_COMMIT for `--version`: `LICDESK_COMMIT`
// from the environment when set (e.g. a build from a source archive), else `git rev-parse
// --short HEAD` run beside this crate, else "unknown" (no git, or not a git checkout). Cargo
// runs this again when HEAD moves: when HEAD itself changes (another branch checked out) or the
// branch it names (a commit), loose or packed. Only files that exist are watched (cargo would
// otherwise run this script on every build).
use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-env-changed=LICDESK_COMMIT");
    let dir = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let from_env = std::env::var("LICDESK_COMMIT")
        .ok()
        .filter(|c| !c.trim().is_empty());
    let commit = match from_env {
        Some(commit) => commit.trim().to_string(),
        None => {
            watch_head(&dir);
            git(&dir, &["rev-parse", "--short=7", "HEAD"])
                .filter(|c| c.chars().all(|ch| ch.is_ascii_hexdigit()))
                .unwrap_or_else(|| "unknown".to_string())
        }
    };
    println!("cargo:rustc-env=LICDESK_COMMIT={commit}");
}

/// Asks cargo to run this again when HEAD, the branch it names or the packed refs change.
fn watch_head(dir: &Path) {
    let mut watched = vec![git_path(dir, "HEAD"), git_path(dir, "packed-refs")];
    if let Some(branch) = git(dir, &["symbolic-ref", "-q", "HEAD"]) {
        // A new commit rewrites the loose ref; when the branch is packed, it creates the loose
        // ref beside the others: then its folder is watched (which cargo scans).
        if let Some(loose) = git_path(dir, &branch) {
            if loose.exists() {
                watched.push(Some(loose));
            } else {
                watched.push(loose.parent().map(Path::to_path_buf));
            }
        }
    }
    for path in watched.into_iter().flatten() {
        if path.exists() {
            println!("cargo:rerun-if-changed={}", path.display());
        }
    }
}

/// The path of a file in the git directory (worktrees and packed refs included).
fn git_path(dir: &Path, name: &str) -> Option<PathBuf> {
    let path = PathBuf::from(git(dir, &["rev-parse", "--git-path", name])?);
    Some(if path.is_absolute() {
        path
    } else {
        dir.join(path)
    })
}

fn git(dir: &Path, args: &[&str]) -> Option<String> {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .output()
        .ok()?;
    let text = String::from_utf8(out.stdout).ok()?.trim().to_string();
    (out.status.success() && !text.is_empty()).then_some(text)
}
