//! `licdesk-issuer`: the vendor's command-line tool. Arguments and printing only: each
//! subcommand is a function in `commands`, over the library's use cases. Everything printed goes
//! through `licdesk_term` (hidden characters escaped, a closed pipe ends quietly with 141, a
//! failed write is an error).

mod commands;

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use licdesk_issuer::{IssuerError, EXIT_FAILURE};
use licdesk_outfile::OutputError;
use serde_json::json;

#[derive(Parser, Debug)]
#[command(
    name = "licdesk-issuer",
    version = licdesk_version::LONG,
    about = "License Desk vendor tool: keys, certificates, activation responses"
)]
struct Cli {
    /// Print stable JSON instead of text.
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Make a new vendor key pair (private file mode 0600, public key FILE.vpub beside it).
    Keygen(commands::KeygenArgs),
    /// Issue a base license certificate (R1).
    Issue(commands::IssueArgs),
    /// Issue a FailoverSuite (XFM.47000) certificate for a base license (R2, R3).
    IssueFailover(commands::IssueFailoverArgs),
    /// Release a FailoverSuite whose standby hardware is replaced (R4), and sign the release.
    Release(commands::ReleaseArgs),
    /// Release by hand the standby of a FailoverSuite whose machine is lost or cannot start (R4;
    /// check the customer's claim first). Any desk holding that standby can import the release.
    ReleaseByHand(commands::ReleaseByHandArgs),
    /// Check an activation request against the rules and the ledger, and sign the response.
    Activate(commands::ActivateArgs),
}

fn run(cli: Cli) -> anyhow::Result<()> {
    let json = cli.json;
    match cli.command {
        Command::Keygen(args) => commands::keygen(args, json),
        Command::Issue(args) => commands::issue(args, json),
        Command::IssueFailover(args) => commands::issue_failover(args, json),
        Command::Release(args) => commands::release(args, json),
        Command::ReleaseByHand(args) => commands::release_by_hand(args, json),
        Command::Activate(args) => commands::activate(args, json),
    }
}

fn main() -> ExitCode {
    // `--json` anywhere on the line asks for JSON errors, usage errors included.
    let json = std::env::args_os().skip(1).any(|a| a == "--json");
    licdesk_term::set_json(json);
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) if !e.use_stderr() => {
            // --help and --version
            licdesk_term::out(&e.render().to_string());
            return ExitCode::SUCCESS;
        }
        Err(e) if json => {
            let message = e.kind().to_string();
            let detail = e.to_string();
            let first = detail
                .lines()
                .map(|l| l.trim_start_matches("error: ").trim())
                .find(|l| !l.is_empty())
                .unwrap_or(&message);
            licdesk_term::err_json(&json!({"code": "usage", "message": first}));
            return ExitCode::from(2);
        }
        Err(e) => {
            // A usage error quotes what was typed: printed like everything else.
            licdesk_term::err(&e.render().to_string());
            return ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(2));
        }
    };
    let json = cli.json;
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            let failure = Failure::of(&e);
            let message = chain_once(&e);
            // The command line's own words for what to do next, chosen by the error's code.
            let hint = match failure.error {
                "file_exists" => Some("pass --force to replace it"),
                _ => None,
            };
            if json {
                let mut object =
                    json!({"code": failure.code, "error": failure.error, "message": message});
                if let Some(hint) = hint {
                    object["hint"] = json!(hint);
                }
                licdesk_term::err_json(&object);
            } else {
                licdesk_term::err(&format!("error: {message}\n"));
                if let Some(hint) = hint {
                    licdesk_term::err(&format!("hint: {hint}\n"));
                }
            }
            ExitCode::from(failure.exit)
        }
    }
}

/// The error and the causes behind it, each said once: a cause the sentence already carries (a
/// refusal that quotes the refused file's own reason) is not repeated.
fn chain_once(e: &anyhow::Error) -> String {
    let mut message = String::new();
    for cause in e.chain() {
        let text = cause.to_string();
        if message.contains(&text) {
            continue;
        }
        if !message.is_empty() {
            message.push_str(": ");
        }
        message.push_str(&text);
    }
    message
}

/// What a failed command reports besides its sentence, all chosen from the typed error behind
/// it (under any context the shell added), never from the sentence.
#[derive(Debug, PartialEq, Eq)]
struct Failure {
    /// `code` in JSON: the broad code scripts have always seen ([`IssuerError::category`]).
    code: &'static str,
    /// `error` in JSON: the stable code of this very error ([`IssuerError::code`]).
    error: &'static str,
    exit: u8,
}

impl Failure {
    fn of(e: &anyhow::Error) -> Failure {
        if let Some(e) = e.downcast_ref::<IssuerError>() {
            return Failure::from_typed(e);
        }
        // The shell's own checks and writes of its output give the output's error as it is.
        if let Some(e) = e.downcast_ref::<OutputError>() {
            return Failure::from_typed(&IssuerError::Output(e.clone()));
        }
        Failure {
            code: "error",
            error: "error",
            exit: EXIT_FAILURE,
        }
    }

    fn from_typed(e: &IssuerError) -> Failure {
        Failure {
            code: e.category(),
            error: e.code(),
            exit: e.exit_code(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use anyhow::Context;

    #[test]
    fn a_cause_the_sentence_already_says_is_not_repeated() {
        let file = licdesk_core::FileError::WrongKind {
            expected: "activation request",
            found: "vendor public key",
        };
        let e = anyhow::Error::from(IssuerError::File(file));
        let said = chain_once(&e);
        assert_eq!(
            said,
            "the request was refused: expected an activation request, but the file is a vendor public key"
        );
        // A context that adds something keeps the cause after it.
        let e = Err::<(), _>(anyhow::anyhow!("disk error"))
            .context("the ledger holds the activation")
            .unwrap_err();
        assert_eq!(
            chain_once(&e),
            "the ledger holds the activation: disk error"
        );
    }

    #[test]
    fn the_exit_status_and_codes_come_from_the_typed_error_under_any_context() {
        let refused: anyhow::Error = IssuerError::NonceReused {
            nonce_start: "0123456789ab".into(),
        }
        .into();
        let expected = Failure {
            code: "refused",
            error: "nonce_reused",
            exit: 1,
        };
        assert_eq!(Failure::of(&refused), expected);
        let wrapped = Err::<(), _>(refused)
            .context("while activating")
            .unwrap_err();
        assert_eq!(Failure::of(&wrapped), expected);

        let full = OutputError::DiskFull {
            path: "r.actresp".into(),
        };
        let written = Err::<(), _>(full)
            .context("the ledger holds the activation")
            .unwrap_err();
        assert_eq!(
            Failure::of(&written),
            Failure {
                code: "disk_full",
                error: "disk_full",
                exit: 1
            }
        );

        let limits: anyhow::Error = IssuerError::LimitOutOfRange {
            option: "--limit-hours",
            hours: 0,
            max: 8784,
        }
        .into();
        assert_eq!(Failure::of(&limits).code, "invalid_input");
        assert_eq!(Failure::of(&limits).error, "limit_out_of_range");

        // Not one of ours: still a failure, never a success.
        let other = anyhow::anyhow!("something else");
        assert_eq!(Failure::of(&other).exit, EXIT_FAILURE);
    }

    #[test]
    fn the_sentence_does_not_choose_the_code() {
        // The same refusal asked for by a request or by hand: one sentence starts with "the
        // request was refused", the other does not, and the code follows the variant's fields.
        let nothing = IssuerError::NothingToRelease {
            failover: licdesk_core::LicenseNumber::parse("XFM-EX7F-J5GC-W8").unwrap(),
            by_hand: false,
        };
        let by_hand = IssuerError::NothingToRelease {
            failover: licdesk_core::LicenseNumber::parse("XFM-EX7F-J5GC-W8").unwrap(),
            by_hand: true,
        };
        assert!(nothing.to_string().starts_with("the request was refused"));
        assert!(!by_hand.to_string().starts_with("the request was refused"));
        assert_eq!(Failure::from_typed(&nothing).code, "refused");
        assert_eq!(Failure::from_typed(&by_hand).code, "invalid_input");
        assert_eq!(nothing.code(), by_hand.code());
    }
}
