//! Before the window opens: `licdesk-app --version`, and a clear word instead of a crash when
//! this computer cannot show the window. On Windows the window needs the Microsoft Edge WebView2
//! Runtime: Windows 10 and 11 bring it, a Windows Server may not. Without it the app says on
//! stderr and in a message box what is missing and what to install, and exits with
//! `CANNOT_OPEN_WINDOW`.

use std::ffi::OsString;
use std::io::Write;
use std::process::ExitCode;

/// The exit status when the window cannot be opened (the CLIs' usage errors use 2).
pub(crate) const CANNOT_OPEN_WINDOW: u8 = 3;

/// Where Microsoft offers the WebView2 Runtime.
#[cfg(any(windows, test))]
pub(crate) const WEBVIEW2_URL: &str = "https://developer.microsoft.com/microsoft-edge/webview2/";

/// Before WebKitGTK starts (its web process inherits this process's environment): the window's
/// scripts run in JavaScriptCore's interpreter and its first JIT tier only. Its optimising tier
/// (DFG, and FTL after it) compiled the list's templating during the start and held 3.5 MiB from
/// then on, for pages that render in a few milliseconds without it (BENCHMARKS.md, "Where the
/// window's memory goes"). A value set outside (to look into JavaScriptCore) is kept.
pub(crate) fn tune_webview() {
    #[cfg(target_os = "linux")]
    if std::env::var_os("JSC_useDFGJIT").is_none() {
        std::env::set_var("JSC_useDFGJIT", "0");
    }
}

/// Whether the command line asks for the version only (`--version` or `-V`, nothing else).
pub(crate) fn asks_version(args: &[OsString]) -> bool {
    matches!(args, [_, flag] if flag == "--version" || flag == "-V")
}

/// What `licdesk-app --version` prints: `licdesk-app 0.1.0 (commit 5fb3611)`.
pub(crate) fn version_line() -> String {
    format!("licdesk-app {}", licdesk_version::LONG)
}

/// Prints the version on stdout (a closed stdout is no reason to fail).
pub(crate) fn print_version() -> ExitCode {
    let _ = writeln!(std::io::stdout(), "{}", version_line());
    ExitCode::SUCCESS
}

/// The message when the WebView2 Runtime is missing; `detail` is what the system said.
#[cfg(any(windows, test))]
pub(crate) fn webview2_missing(detail: &str) -> String {
    format!(
        "License Desk cannot open its window: the Microsoft Edge WebView2 Runtime is not \
         installed on this computer.\n\
         Install the Evergreen WebView2 Runtime from Microsoft ({WEBVIEW2_URL}), then start \
         License Desk again. The licdesk command line works without it.\n\
         (What Windows said: {detail})"
    )
}

/// The message when the window cannot be opened for another reason.
pub(crate) fn window_failed(detail: &str) -> String {
    format!("License Desk could not open its window: {detail}")
}

/// Whether the system can show the window: on Windows, whether the WebView2 Runtime is there.
#[cfg(windows)]
pub(crate) fn check_webview() -> Result<(), String> {
    tauri::webview_version()
        .map(|_| ())
        .map_err(|e| webview2_missing(&e.to_string()))
}

/// Whether the system can show the window (WebKitGTK is a dependency of the package here).
#[cfg(not(windows))]
pub(crate) fn check_webview() -> Result<(), String> {
    Ok(())
}

/// Says why the window cannot open — on stderr, and on Windows in a message box too — and
/// returns the exit status for it.
pub(crate) fn refuse(message: &str) -> ExitCode {
    let _ = writeln!(std::io::stderr(), "{message}");
    #[cfg(windows)]
    message_box(message);
    ExitCode::from(CANNOT_OPEN_WINDOW)
}

/// A native error box with the message (rfd: Win32 MessageBox, no unsafe code here).
#[cfg(windows)]
fn message_box(message: &str) {
    let _ = rfd::MessageDialog::new()
        .set_level(rfd::MessageLevel::Error)
        .set_title("License Desk")
        .set_description(message)
        .set_buttons(rfd::MessageButtons::Ok)
        .show();
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<OsString> {
        list.iter().map(OsString::from).collect()
    }

    #[test]
    fn only_a_lone_version_flag_asks_for_the_version() {
        assert!(asks_version(&args(&["licdesk-app", "--version"])));
        assert!(asks_version(&args(&["licdesk-app", "-V"])));
        assert!(!asks_version(&args(&["licdesk-app"])));
        assert!(!asks_version(&args(&["licdesk-app", "--version", "x"])));
        assert!(!asks_version(&args(&["licdesk-app", "--versions"])));
    }

    #[test]
    fn the_version_names_the_workspace_version_and_the_commit() {
        let line = version_line();
        assert!(
            line.starts_with(&format!(
                "licdesk-app {} (commit ",
                env!("CARGO_PKG_VERSION")
            )),
            "{line}"
        );
        assert!(line.ends_with(')'), "{line}");
    }

    #[test]
    fn a_missing_webview2_names_what_to_install_and_where() {
        let text = webview2_missing("class not registered");
        for needle in [
            "WebView2 Runtime is not installed",
            "Evergreen WebView2 Runtime",
            WEBVIEW2_URL,
            "class not registered",
        ] {
            assert!(text.contains(needle), "{needle} missing from: {text}");
        }
    }
}
