//! Errors: bad arguments say what is wrong, and with --json an error is a JSON object with a
//! stable code beside its category.

use licdesk_issuer::{keygen, IfExists};
use std::path::Path;

use crate::support::*;

#[test]
fn bad_arguments_say_what_is_wrong() {
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("v.key");
    keygen(&key, "V", IfExists::Refuse).unwrap();
    let k = key.to_str().unwrap();
    // An output never written: each command here is refused first.
    let nowhere = dir.path().join("never-written");
    let nowhere = nowhere.to_str().unwrap();
    for (args, needle) in [
        (
            vec![
                "issue",
                "--key",
                k,
                "--customer",
                "X",
                "--users",
                "50",
                "--out",
                nowhere,
            ],
            "10, 25, 250 or unlimited",
        ),
        (
            vec![
                "issue",
                "--key",
                k,
                "--customer",
                "X",
                "--users",
                "10",
                "--extension",
                "Fax",
                "--out",
                nowhere,
            ],
            "ARTICLE:NAME:QUANTITY",
        ),
        (
            vec![
                "issue",
                "--key",
                k,
                "--customer",
                " ",
                "--users",
                "10",
                "--out",
                nowhere,
            ],
            "customer name is empty",
        ),
        (
            vec![
                "issue-failover",
                "--key",
                k,
                "--base",
                "OMS-AAAA-AAAA-AA",
                "--out",
                nowhere,
            ],
            "check characters",
        ),
        (
            vec![
                "issue-failover",
                "--key",
                k,
                "--base",
                "XFM-0000-0000-0V",
                "--out",
                nowhere,
            ],
            "not",
        ),
    ] {
        let (code, _, err) = issuer(&args);
        assert_ne!(code, 0, "{args:?}");
        assert!(err.contains(needle), "{args:?}: {err}");
    }
}

#[test]
fn with_json_errors_are_a_json_object_with_code_and_message_on_stderr() {
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("v.key");
    keygen(&key, "V", IfExists::Refuse).unwrap();
    let k = key.to_str().unwrap();
    // An output never written: each command here is refused first.
    let nowhere = dir.path().join("never-written");
    let nowhere = nowhere.to_str().unwrap();
    let missing = dir.path().join("missing.actreq");
    for (args, code, needle) in [
        (
            vec![
                "--json",
                "issue",
                "--key",
                k,
                "--customer",
                "X",
                "--users",
                "50",
                "--out",
                nowhere,
            ],
            "invalid_input",
            "10, 25, 250 or unlimited",
        ),
        (
            vec![
                "--json",
                "activate",
                "--key",
                k,
                "--ledger",
                dir.path().join("l.sqlite").to_str().unwrap(),
                "--request",
                missing.to_str().unwrap(),
                "--out",
                nowhere,
            ],
            "io",
            "cannot read",
        ),
        (
            vec![
                "--json",
                "activate",
                "--key",
                k,
                "--ledger",
                dir.path().join("l.sqlite").to_str().unwrap(),
                "--request",
                missing.to_str().unwrap(),
                "--out",
                nowhere,
                "--limit-hours",
                "0",
            ],
            "invalid_input",
            "--limit-hours must be between 1",
        ),
        (vec!["--json", "issue", "--nonsense"], "usage", "--nonsense"),
    ] {
        let (status, out, err) = issuer(&args);
        assert_ne!(status, 0, "{args:?}");
        assert!(out.is_empty(), "{args:?}: {out}");
        let json: serde_json::Value = serde_json::from_str(err.trim())
            .unwrap_or_else(|e| panic!("{args:?}: not JSON ({e}): {err}"));
        assert_eq!(json["code"], code, "{args:?}: {json}");
        assert!(
            json["message"].as_str().unwrap().contains(needle),
            "{args:?}: {json}"
        );
    }
    // Without --json, the same error is a sentence.
    let (_, _, err) = issuer(&[
        "issue",
        "--key",
        k,
        "--customer",
        "X",
        "--users",
        "50",
        "--out",
        nowhere,
    ]);
    assert!(
        err.starts_with("error: ") && err.contains("10, 25, 250"),
        "{err}"
    );
}

#[test]
fn a_json_error_names_its_own_stable_code_beside_the_category() {
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("v.key");
    keygen(&key, "V", IfExists::Refuse).unwrap();
    let k = key.to_str().unwrap();
    let ledger = dir.path().join("l.sqlite");
    let ledger = ledger.to_str().unwrap();
    let out = dir.path().join("never-written");
    let out = out.to_str().unwrap();
    let huge = dir.path().join("huge.actreq");
    std::fs::File::create(&huge)
        .unwrap()
        .set_len(50 << 20)
        .unwrap();
    let activate = |extra: &[&str]| {
        let mut args = vec![
            "--json",
            "activate",
            "--key",
            k,
            "--ledger",
            ledger,
            "--request",
            huge.to_str().unwrap(),
            "--out",
            out,
        ];
        args.extend(extra);
        issuer(&args)
    };
    for (extra, code, error) in [
        (&[][..], "refused", "request_too_large"),
        (
            &["--limit-hours", "0"][..],
            "invalid_input",
            "limit_out_of_range",
        ),
        (
            &["--warn-hours", "100"][..],
            "invalid_input",
            "limits_not_rising",
        ),
    ] {
        let (status, _, err) = activate(extra);
        assert_eq!(status, 1, "{extra:?}: {err}");
        let json: serde_json::Value = serde_json::from_str(err.trim()).unwrap();
        assert_eq!(json["code"], code, "{json}");
        assert_eq!(json["error"], error, "{json}");
    }
    let (status, _, err) = issuer(&[
        "--json",
        "release-by-hand",
        "--key",
        k,
        "--ledger",
        ledger,
        "--failover",
        "XFM-1",
        "--reason",
        "lost",
        "--out",
        out,
    ]);
    assert_eq!(status, 1, "{err}");
    let json: serde_json::Value = serde_json::from_str(err.trim()).unwrap();
    assert_eq!(
        (json["code"].as_str(), json["error"].as_str()),
        (Some("invalid_input"), Some("invalid_id")),
        "{json}"
    );
    assert!(!Path::new(out).exists());
}
