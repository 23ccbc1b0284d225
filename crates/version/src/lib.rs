//! The version every License Desk binary reports (`licdesk --version`, `licdesk-issuer
//! --version`, `licdesk-app --version`): the workspace version and the git commit the binary was
//! built from, e.g. `0.1.0 (commit 5fb3611)`. The commit comes from `build.rs`: `git` at build
//! time, `LICDESK_COMMIT` when set (a build from a source archive), else `unknown`.

/// The workspace version (the version of the .deb and .msi packages too).
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The short commit hash the binary was built from, or `unknown` outside a git checkout.
pub const COMMIT: &str = env!("LICDESK_COMMIT");

/// What `--version` prints after the program's name: `0.1.0 (commit 5fb3611)`.
pub const LONG: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (commit ",
    env!("LICDESK_COMMIT"),
    ")"
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_names_the_version_and_the_commit() {
        assert_eq!(LONG, format!("{VERSION} (commit {COMMIT})"));
        assert!(!COMMIT.is_empty());
        assert!(
            COMMIT == "unknown" || COMMIT.chars().all(|c| c.is_ascii_hexdigit()),
            "{COMMIT}"
        );
    }
}
