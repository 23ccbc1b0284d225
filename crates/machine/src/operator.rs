//! Who is at this computer: the operating system's account running License Desk and the
//! computer's name, as the audit log records them with every change (`anna@lic-desk-2`), so
//! that a store several people share says who did what.
//!
//! The account is what the operating system's session says (on Windows the domain and the user
//! name; on Unix `USER`, or `LOGNAME`, else the process's user id): a record for the people who
//! share a store, not a proof of identity — the signed files are the proof.

/// The longest account or computer name kept (longer ones are cut).
const MOST_CHARS: usize = 64;

/// `account@computer` for this process, e.g. `anna@lic-desk-2` or `CORP\anna@LIC-DESK-2`.
pub fn operator() -> String {
    describe(account(), crate::host_name())
}

/// `account@computer` from what was read; what is missing is said as such. Control characters
/// are dropped and each part is cut at [`MOST_CHARS`] characters: the result is one line.
pub fn describe(account: Option<String>, computer: Option<String>) -> String {
    let clean = |text: Option<String>, missing: &str| {
        let kept: String = text
            .unwrap_or_default()
            .chars()
            .filter(|c| !c.is_control())
            .take(MOST_CHARS)
            .collect();
        let kept = kept.trim().to_owned();
        if kept.is_empty() {
            missing.to_owned()
        } else {
            kept
        }
    };
    format!(
        "{}@{}",
        clean(account, "unknown account"),
        clean(computer, "unknown computer")
    )
}

fn variable(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

#[cfg(windows)]
fn account() -> Option<String> {
    let user = variable("USERNAME")?;
    Some(match variable("USERDOMAIN") {
        Some(domain) => format!("{domain}\\{user}"),
        None => user,
    })
}

#[cfg(unix)]
fn account() -> Option<String> {
    use std::os::unix::fs::MetadataExt;
    variable("USER")
        .or_else(|| variable("LOGNAME"))
        .or_else(|| {
            // /proc/self belongs to the process's effective user (Linux).
            std::fs::metadata("/proc/self")
                .ok()
                .map(|m| format!("uid {}", m.uid()))
        })
}

#[cfg(not(any(unix, windows)))]
fn account() -> Option<String> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_operator_is_the_account_at_the_computer() {
        assert_eq!(
            describe(Some("anna".into()), Some("lic-desk-2".into())),
            "anna@lic-desk-2"
        );
        assert_eq!(
            describe(Some("CORP\\anna".into()), Some("LIC-DESK-2".into())),
            "CORP\\anna@LIC-DESK-2"
        );
    }

    #[test]
    fn what_is_missing_is_said_and_what_is_odd_is_kept_out() {
        assert_eq!(describe(None, None), "unknown account@unknown computer");
        assert_eq!(
            describe(Some("  ".into()), Some("\u{1b}[2J".into())),
            "unknown account@[2J"
        );
        assert_eq!(
            describe(Some("an\nna".into()), Some("host\r".into())),
            "anna@host"
        );
        let long = "x".repeat(500);
        assert_eq!(
            describe(Some(long.clone()), Some(long)),
            format!("{}@{}", "x".repeat(64), "x".repeat(64))
        );
    }

    #[test]
    fn this_process_has_an_operator_with_this_computers_name() {
        let who = operator();
        let (account, computer) = who.rsplit_once('@').expect("account@computer");
        assert!(!account.is_empty() && !computer.is_empty(), "{who}");
        if let Some(host) = crate::host_name() {
            assert!(host.starts_with(computer), "{who} against {host}");
        }
    }
}
