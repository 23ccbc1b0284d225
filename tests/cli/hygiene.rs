//! Untrusted text never reaches a terminal raw, and a closed pipe or a full disk ends the tools
//! cleanly: names, labels and reasons with terminal escapes or invisible controls are refused
//! where they enter; what an older store already holds, and what a refused file says about
//! itself, is printed escaped; `licdesk … | head -1` ends quietly; with `--json` an error is a
//! JSON object with a stable code.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use licdesk_core::model::{ActivationRequest, HardwareIdFile};
use licdesk_core::{
    seal, Component, ComponentKind, FileKind, Hardware, LicenseNumber, Role, SigningKey,
    StandbyMode, Timestamp,
};
use serde_json::Value;

use crate::support::*;

const ESC: char = '\u{1b}';
const RLO: char = '\u{202E}';

/// Neither an escape nor a right-to-left override, raw, in what a command printed.
#[track_caller]
fn nothing_raw(run: &Run) {
    for (name, text) in [("stdout", &run.stdout), ("stderr", &run.stderr)] {
        assert!(
            !text.contains(ESC) && !text.contains(RLO) && !text.contains('\u{7}'),
            "raw control characters on {name}: {text:?}"
        );
    }
}

/// A hardware-ID file for a synthetic machine whose host-name label is `label`, signed by `key`.
fn hwid_file_labelled(w: &World, file: &str, label: &str, key: &SigningKey) -> String {
    let hardware = Hardware::from_components(
        vec![
            Component::from_raw(ComponentKind::MachineId, &format!("{file} machine id")),
            Component::from_raw(ComponentKind::Nic, &format!("{file} nic")),
        ],
        Some(label.to_string()),
    );
    let path = w.p(file);
    std::fs::write(
        &path,
        seal(
            FileKind::HardwareId,
            &HardwareIdFile {
                hardware,
                created_at: Timestamp::from_unix(1_790_000_000),
            },
            key,
        ),
    )
    .unwrap();
    path
}

/// A vendor, a base license with a FailoverSuite, both imported on the desk "main".
fn licensed(w: &World) -> (Vendor, String, String, String, String) {
    let v = w.vendor();
    w.desk("main", &["trust", "add", &v.public]).ok();
    let (base, bf) = w.issue_base(&v, "Acme AG", "25", &["XOM.11000:Fax Gateway:2"]);
    let (fo, ff) = w.issue_failover(&v, &base);
    w.desk("main", &["import", &bf, &ff]).ok();
    (v, base, fo, bf, ff)
}

#[test]
fn the_issuer_refuses_names_and_reasons_with_escapes_or_invisible_controls() {
    let w = World::new();
    let v = w.vendor();
    let out = w.p("refused.lic");
    let issue = |customer: &str, extension: Option<&str>| {
        let mut args = vec![
            "issue",
            "--key",
            &v.key,
            "--customer",
            customer,
            "--users",
            "10",
            "--out",
            &out,
        ];
        if let Some(e) = extension {
            args.extend(["--extension", e]);
        }
        w.issuer(&args)
    };
    for (customer, needle) in [
        ("\u{1b}]0;pwned\u{7}Acme AG", "control characters (U+001B)"),
        ("Acme\u{1b}[2J AG", "control characters (U+001B)"),
        ("Acme \u{202E}GA", "bidirectional control (U+202E)"),
        ("\u{2066}Acme\u{2069}", "bidirectional control (U+2066)"),
        ("Ac\u{200B}me", "invisible formatting character (U+200B)"),
        ("\u{FEFF}Acme", "invisible formatting character (U+FEFF)"),
    ] {
        let run = issue(customer, None).refused("customer name");
        assert!(run.stderr.contains(needle), "{customer:?}: {}", run.stderr);
        nothing_raw(&run);
    }
    let run = issue("Acme AG", Some("XOM.11000:Fax\u{1b}[31m:1")).refused("extension name");
    nothing_raw(&run);
    assert!(!std::path::Path::new(&out).exists(), "nothing was written");

    let run = w
        .issuer(&[
            "keygen",
            "--out",
            &w.p("other.key"),
            "--vendor",
            "Vendor\u{202E}GA",
        ])
        .refused("vendor name");
    nothing_raw(&run);

    // Letters of every script stay welcome.
    for customer in [
        "Müller & Söhne GmbH",
        "شركة المستقبل للتجارة",
        "חברת הדוגמה בע\"מ",
        "株式会社サンプル",
    ] {
        let (_, file) = w.issue_base(&v, customer, "10", &[]);
        assert!(std::path::Path::new(&file).exists());
    }
}

#[test]
fn a_hardware_id_file_whose_host_name_holds_an_escape_is_refused_by_the_desk() {
    let w = World::new();
    let (_, _, fo, _, _) = licensed(&w);
    let key = SigningKey::from_bytes(&[9; 32]);
    let before = w.dump("main");
    for (n, label) in [
        "standby\u{1b}[2J",
        "\u{1b}]0;pwned\u{7}",
        "standby\u{202E}1",
        "stand\u{200D}by",
    ]
    .iter()
    .enumerate()
    {
        let file = hwid_file_labelled(&w, &format!("evil-{n}.hwid"), label, &key);
        let run = w
            .desk(
                "main",
                &[
                    "standby",
                    "register",
                    "--failover",
                    &fo,
                    "--hwid-file",
                    &file,
                ],
            )
            .refused("host name");
        nothing_raw(&run);
        let run = w
            .desk(
                "main",
                &[
                    "--json",
                    "request",
                    "--license",
                    &fo,
                    "--role",
                    "standby",
                    "--hwid-file",
                    &file,
                    "--out",
                    &w.p(&format!("evil-{n}.actreq")),
                ],
            )
            .refused("host name");
        nothing_raw(&run);
    }
    assert_eq!(w.dump("main"), before, "nothing was registered");
    // A plain host name is fine.
    let file = hwid_file_labelled(&w, "good.hwid", "standby-1", &key);
    register_from_file(&w, "main", &fo, &file).ok();
}

#[test]
fn the_vendor_refuses_a_request_whose_hardware_label_holds_an_escape() {
    let w = World::new();
    let (v, base, fo, bf, ff) = licensed(&w);
    let key = SigningKey::from_bytes(&[10; 32]);
    let hardware = Hardware::from_components(
        vec![Component::from_raw(ComponentKind::MachineId, "forged")],
        Some("standby\u{1b}[2J\u{1b}]0;pwned\u{7}".into()),
    );
    let request = ActivationRequest {
        nonce: "ab".repeat(32),
        created_at: Timestamp::from_unix(1_790_000_000),
        license: LicenseNumber::parse(&fo).unwrap(),
        role: Role::Standby,
        hardware,
        mirrors: LicenseNumber::parse(&base).unwrap(),
        mode: Some(StandbyMode::Cold),
        certificates: vec![
            std::fs::read_to_string(&bf).unwrap(),
            std::fs::read_to_string(&ff).unwrap(),
        ],
        installation_key: Some(licdesk_core::InstallationKey::of(&key.verifying_key())),
    };
    let file = w.p("forged.actreq");
    std::fs::write(&file, seal(FileKind::ActivationRequest, &request, &key)).unwrap();
    let ledger_before = w.ledger_dump(&v);
    let (run, response) = w.activate(&v, &file);
    let run = run.refused("the request was refused: its hardware description is invalid: the host name contains control characters");
    nothing_raw(&run);
    assert!(!std::path::Path::new(&response).exists());
    assert_eq!(w.ledger_dump(&v), ledger_before);
}

#[test]
fn text_an_older_store_already_holds_is_printed_escaped() {
    let w = World::new();
    let (_, base, fo, _, _) = licensed(&w);
    let file = hwid_file_labelled(&w, "s.hwid", "standby-1", &SigningKey::from_bytes(&[9; 32]));
    register_from_file(&w, "main", &fo, &file).ok();
    // What a version without these checks could have stored.
    let evil_customer = "Acme \u{1b}[2J\u{1b}]0;pwned\u{7}\u{202E}GA";
    let evil_label = "standby\u{1b}[31m\u{202E}1";
    let evil_extension = "Fax\u{9b}2J\u{2066}";
    let evil_detail = "reason \u{1b}[8mhidden\u{1b}[0m\u{202E}";
    {
        let db = raw_store(&w.path("main.sqlite"));
        db.execute(
            "UPDATE base_licenses SET customer = ?1, extensions = json_set(extensions, '$[0].name', ?2)",
            (evil_customer, evil_extension),
        )
        .unwrap();
        db.execute(
            "UPDATE systems SET hardware = json_set(hardware, '$.label', ?1)",
            [evil_label],
        )
        .unwrap();
        db.execute(
            "INSERT INTO audit_log (at, action, subject, detail) VALUES ('2026-01-01T00:00:00Z', 'dismissed\u{1b}[2J', ?1, ?2)",
            (&fo, evil_detail),
        )
        .unwrap();
    }
    for args in [
        vec!["list"],
        vec!["show", &base],
        vec!["audit"],
        vec!["--json", "list"],
        vec!["--json", "show", &base],
        vec!["--json", "audit"],
        vec!["list", "--customer", "acme"],
    ] {
        let run = w.desk("main", &args).ok();
        nothing_raw(&run);
        assert!(
            !run.stdout.contains('\u{9b}') && !run.stdout.contains('\u{2066}'),
            "{args:?}: {:?}",
            run.stdout
        );
    }
    let list = w.desk("main", &["list"]).ok();
    assert!(
        list.stdout
            .contains("Acme \\x1b[2J\\x1b]0;pwned\\x07\\u{202e}GA"),
        "{}",
        list.stdout
    );
    let show = w.desk("main", &["show", &base]).ok();
    assert!(
        show.stdout.contains("standby\\x1b[31m\\u{202e}1"),
        "{}",
        show.stdout
    );
    assert!(
        show.stdout.contains("Fax\\u{9b}2J\\u{2066}"),
        "{}",
        show.stdout
    );
    let audit = w.desk("main", &["audit"]).ok();
    assert!(
        audit
            .stdout
            .contains("reason \\x1b[8mhidden\\x1b[0m\\u{202e}"),
        "{}",
        audit.stdout
    );
    // JSON keeps the value: escaped in the text, the same string once parsed.
    let json = w.desk("main", &["--json", "list"]).ok().json();
    assert_eq!(json["rows"][0]["customer"], evil_customer);
    let json = w.desk("main", &["--json", "audit"]).ok().json();
    assert!(
        json.as_array()
            .unwrap()
            .iter()
            .any(|e| e["detail"] == evil_detail),
        "{json}"
    );
}

#[test]
fn what_a_refused_file_says_about_itself_is_echoed_escaped() {
    let w = World::new();
    let (v, _, _, bf, _) = licensed(&w);
    let label = w.p("label.lic");
    std::fs::write(
        &label,
        "-----BEGIN LICDESK \u{1b}[31mX\u{202E}-----\nFormat: 1\n\n-----END LICDESK \u{1b}[31mX\u{202E}-----\n",
    )
    .unwrap();
    let run = w
        .desk("main", &["import", &label])
        .refused("which License Desk does not know");
    nothing_raw(&run);
    assert!(run.stderr.contains("\\x1b[31mX\\u{202e}"), "{}", run.stderr);
    let run = w.desk("main", &["--json", "import", &label]).refused("");
    nothing_raw(&run);

    let long = w.p("long.lic");
    let name = format!("\u{1b}[2J{}", "X".repeat(5000));
    std::fs::write(&long, format!("-----BEGIN LICDESK {name}-----\n")).unwrap();
    let run = w.desk("main", &["import", &long]).refused("does not know");
    nothing_raw(&run);
    assert!(run.stderr.len() < 400, "cut short: {}", run.stderr);

    let format = w.p("format.lic");
    let text = std::fs::read_to_string(&bf).unwrap();
    std::fs::write(
        &format,
        text.replace("Format: 1", "Format: \u{1b}]0;pwned\u{7}\u{202E}"),
    )
    .unwrap();
    let run = w
        .desk("main", &["import", &format])
        .refused("format version");
    nothing_raw(&run);
    assert!(run.stderr.contains("\\x1b]0;pwned\\x07"), "{}", run.stderr);

    // The vendor tool says the same, as safely.
    let (run, _) = w.activate(&v, &label);
    nothing_raw(&run.refused("does not know"));
    let (run, _) = w.activate(&v, &format);
    nothing_raw(&run.refused("format version"));

    // A typed value is echoed escaped too.
    let run = w
        .desk("main", &["show", "OMS-\u{1b}[2J\u{202E}"])
        .refused("license number");
    nothing_raw(&run);
    let run = w
        .desk("main", &["no-such-command-\u{1b}[2J"])
        .refused("no-such-command");
    nothing_raw(&run);
}

/// Audit entries enough to fill any pipe buffer many times over.
fn fill_the_audit_log(w: &World, desk: &str) {
    w.desk(desk, &["list"]).ok();
    let mut db = raw_store(&w.path(&format!("{desk}.sqlite")));
    let tx = db.transaction().unwrap();
    for i in 0..4000 {
        tx.execute(
            "INSERT INTO audit_log (at, action, subject, detail) VALUES ('2026-01-01T00:00:00Z', 'noted', ?1, ?2)",
            (format!("entry {i}"), "x".repeat(100)),
        )
        .unwrap();
    }
    tx.commit().unwrap();
}

#[test]
fn a_closed_pipe_ends_the_tools_quietly_with_141() {
    let w = World::new();
    fill_the_audit_log(&w, "main");
    // Read one line, then close the pipe while licdesk still writes.
    let mut child = Command::new(binary("licdesk"))
        .args(["--store", &w.p("main.sqlite"), "audit"])
        .env_remove("LICDESK_STORE")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    assert!(!first.is_empty());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr, "", "quietly");
    assert_eq!(out.status.code(), Some(141), "{stderr}");

    // The same through a shell, as people write it.
    let out = Command::new("bash")
        .arg("-c")
        .arg(format!(
            "set -o pipefail; '{}' --store '{}' audit | head -1",
            binary("licdesk").display(),
            w.p("main.sqlite")
        ))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(stderr, "");
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 1);
    assert_eq!(
        out.status.code(),
        Some(141),
        "pipefail sees the closed pipe"
    );

    // The vendor tool, its pipe closed before it prints.
    let mut child = Command::new(binary("licdesk-issuer"))
        .args(["keygen", "--out", &w.p("piped.key")])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr, "", "quietly");
    assert_eq!(out.status.code(), Some(141));
    assert!(w.path("piped.key").exists(), "the work was done");
}

#[test]
fn a_full_disk_is_an_error_not_a_panic() {
    let w = World::new();
    let full = || {
        std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap()
    };
    for json in [false, true] {
        let mut args = vec!["--store".to_string(), w.p("main.sqlite")];
        if json {
            args.push("--json".into());
        }
        args.push("list".into());
        let out = Command::new(binary("licdesk"))
            .args(&args)
            .env_remove("LICDESK_STORE")
            .stdout(full())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("panicked"), "{stderr}");
        assert!(stderr.contains("cannot write the output"), "{stderr}");
        if json {
            let e: serde_json::Value = serde_json::from_str(&stderr).unwrap();
            assert_eq!(e["code"], "io", "{e}");
        }
        assert_eq!(out.status.code(), Some(1), "{stderr}");
    }
    let out = Command::new(binary("licdesk-issuer"))
        .args(["keygen", "--out", &w.p("full.key")])
        .stdout(full())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !stderr.contains("panicked") && stderr.contains("cannot write the output"),
        "{stderr}"
    );
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn errors_speak_json_with_a_stable_code_when_asked() {
    let w = World::new();
    let run = w.desk("main", &["--json", "show", "OMS-XXXX"]);
    assert_ne!(run.code, 0);
    let err: Value = serde_json::from_str(run.stderr.trim()).expect("JSON error");
    assert_eq!(err["code"], "invalid_input");
    assert!(err["message"].as_str().unwrap().contains("license number"));
}

#[test]
fn a_refusal_speaks_json_with_its_values_and_the_same_sentence() {
    let w = World::new();
    let args = [
        "journal",
        "dismiss",
        "--journal",
        "xyz",
        "--reason",
        "looked into",
    ];
    let plain = w.desk("main", &args);
    let json_args: Vec<&str> = std::iter::once("--json").chain(args).collect();
    let run = w.desk("main", &json_args);
    assert_ne!(run.code, 0);
    let err: Value = serde_json::from_str(run.stderr.trim()).expect("JSON error");
    assert_eq!(err["code"], "invalid_input");
    assert_eq!(err["next"]["step"], "see_monitoring");
    assert_eq!(
        err["params"],
        serde_json::json!({"refusal": "not_a_journal_hash", "given": "xyz"})
    );
    let message = err["message"].as_str().unwrap();
    assert!(
        plain.stderr.contains(&format!("error: {message}\n")),
        "{}",
        plain.stderr
    );
}

#[test]
fn a_dismissal_reason_with_hidden_characters_is_refused_and_nothing_changes() {
    let w = World::new();
    let (_v, _base, _fo) = activated_standby(&w);
    let file = journal(&w, &[("load", now() - 3 * HOUR)]);
    let text = std::fs::read_to_string(&file).unwrap();
    // One journal whose signature fails: reported until dismissed.
    let damaged: String = text
        .lines()
        .map(|l| match l.strip_prefix("Signature: ") {
            // One bit of the signature flipped: well-formed, and never verifies.
            Some(sig) => {
                use base64::Engine;
                let b64 = base64::engine::general_purpose::STANDARD;
                let mut raw = b64.decode(sig).unwrap();
                raw[0] ^= 1;
                format!("Signature: {}", b64.encode(raw))
            }
            None => l.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n";
    let bad = w.p("bad.journal");
    std::fs::write(&bad, damaged).unwrap();
    let _ = w.desk("main", &["import", &bad]);
    let run = check(&w, "main");
    assert_eq!(run.code, 2, "{}", run.stdout);
    let hash = run
        .stdout
        .lines()
        .nth(1)
        .and_then(|l| l.split("--journal ").nth(1))
        .and_then(|l| l.split_whitespace().next())
        .unwrap()
        .to_string();
    let before = w.dump("main");
    for reason in ["looked into \u{1b}[2J", "ok \u{202e}looc", "two\nlines"] {
        w.desk(
            "main",
            &["journal", "dismiss", "--journal", &hash, "--reason", reason],
        )
        .refused("reason");
        assert_eq!(w.dump("main"), before, "{reason:?}");
    }
    w.desk(
        "main",
        &[
            "journal",
            "dismiss",
            "--journal",
            &hash,
            "--reason",
            "Prüfung: Übertragungsfehler",
        ],
    )
    .ok();
    assert_eq!(check(&w, "main").code, 0);
}
