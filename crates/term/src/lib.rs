//! The one way from `licdesk` and `licdesk-issuer` to their terminal. Every line either tool
//! prints — results, errors, usage and help, text or JSON — goes through [`out`], [`err`],
//! [`out_json`] or [`err_json`], so that
//! - **no hidden character reaches a terminal raw**: text is escaped line by line with
//!   [`licdesk_core::text::escape_lines_for_terminal`] (a customer name stored by an older
//!   version with `ESC [ 2 J` in it shows as `\x1b[2J`); JSON keeps its value and gets its
//!   bidirectional and other invisible characters written as `\uXXXX`
//!   ([`licdesk_core::text::escape_json_text`]; a JSON writer escapes C0 controls itself);
//! - **a closed pipe ends the program quietly** with exit status [`BROKEN_PIPE_EXIT`] (see
//!   there why 141);
//! - **any other failed write is an error**, never a panic: a sentence on stderr (JSON with
//!   `--json`, see [`set_json`]) and exit status 1.

use std::io::{self, Write};
use std::process;
use std::sync::atomic::{AtomicBool, Ordering};

use licdesk_core::text::{escape_for_terminal, escape_json_text, escape_lines_for_terminal};
use serde::Serialize;

/// The exit status when the reader of the output went away (`licdesk audit | head -1`): 141,
/// 128 + SIGPIPE (13).
///
/// A program that stops for a closed pipe the way the coreutils do (killed by SIGPIPE) is
/// reported by the shell as 141, and `set -o pipefail` makes the pipeline fail with it: the
/// output was not all read. Rust programs ignore SIGPIPE and see the error instead, so we end
/// the same way ourselves — quietly (whoever could read a message has gone), and with the status
/// a shell would give the coreutils, so scripts treat `licdesk … | head` like `cat … | head`.
/// Exit 0 would claim that everything was delivered; 1 would look like a failure of the work
/// itself, which did succeed. Both tools use it, whatever the command.
pub const BROKEN_PIPE_EXIT: i32 = 141;

/// The exit status when the output cannot be written for another reason (a full disk).
pub const WRITE_FAILED_EXIT: i32 = 1;

static JSON_ERRORS: AtomicBool = AtomicBool::new(false);

/// With `--json`, a failed write is reported on stderr as `{"code": "io", "message": …}`.
pub fn set_json(json: bool) {
    JSON_ERRORS.store(json, Ordering::Relaxed);
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stream {
    Out,
    Err,
}

/// Writes `text` (lines, each with its `\n`) to stdout, hidden characters escaped.
pub fn out(text: &str) {
    write(Stream::Out, &escape_lines_for_terminal(text));
}

/// Writes `text` (lines, each with its `\n`) to stderr, hidden characters escaped.
pub fn err(text: &str) {
    write(Stream::Err, &escape_lines_for_terminal(text));
}

/// Writes `value` as pretty-printed JSON and a line end to stdout.
pub fn out_json<T: Serialize + ?Sized>(value: &T) {
    let text = serde_json::to_string_pretty(value).unwrap_or_default();
    write(Stream::Out, &format!("{}\n", escape_json_text(&text)));
}

/// Writes `value` as JSON on one line to stderr.
pub fn err_json<T: Serialize + ?Sized>(value: &T) {
    let text = serde_json::to_string(value).unwrap_or_default();
    write(Stream::Err, &format!("{}\n", escape_json_text(&text)));
}

fn write(stream: Stream, text: &str) {
    // Flushed at once, so that a failure is seen here and not lost when the buffer is dropped.
    let result = match stream {
        Stream::Out => {
            let mut o = io::stdout().lock();
            o.write_all(text.as_bytes()).and_then(|()| o.flush())
        }
        Stream::Err => {
            let mut e = io::stderr().lock();
            e.write_all(text.as_bytes()).and_then(|()| e.flush())
        }
    };
    if let Err(e) = result {
        failed(stream, &e);
    }
}

fn failed(stream: Stream, e: &io::Error) -> ! {
    if e.kind() == io::ErrorKind::BrokenPipe {
        process::exit(BROKEN_PIPE_EXIT);
    }
    if stream == Stream::Out {
        let message = format!(
            "cannot write the output: {}",
            escape_for_terminal(&e.to_string())
        );
        let line = if JSON_ERRORS.load(Ordering::Relaxed) {
            format!(
                "{}\n",
                serde_json::json!({"code": "io", "message": message})
            )
        } else {
            format!("error: {message}\n")
        };
        // Nothing more can be done when stderr fails too: the exit status still says it.
        let _ = io::stderr().lock().write_all(line.as_bytes());
    }
    process::exit(WRITE_FAILED_EXIT);
}
