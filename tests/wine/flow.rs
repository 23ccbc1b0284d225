//! The offline flow on Windows, end to end, with the Windows builds under Wine: the vendor's key,
//! trust, licenses, the standby's hardware ID read on the standby itself, the activation request
//! and the vendor's response, the usage journal and monitoring's exit codes (R12), a journal
//! changed in a text editor (tampered), and the standby's release (R4).

use serde_json::Value;

use crate::support::*;

const HOUR: i64 = 3600;

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("a clock after 1970")
        .as_secs() as i64
}

fn at(unix: i64) -> String {
    licdesk_core::Timestamp::from_unix(unix).to_string()
}

/// `licdesk-issuer COMMAND` (activate, release) on `desk`, with the vendor key and ledger kept
/// there, answering the request file `request` with the file `out`.
fn vendor_answers(desk: &Machine, command: &str, request: &str, out: &str) -> Run {
    desk.issuer(&[
        command,
        "--key",
        &desk.win("vendor.key"),
        "--ledger",
        &desk.win("ledger.sqlite"),
        "--request",
        &desk.win(request),
        "--out",
        &desk.win(out),
    ])
}

fn license_of(run: Run) -> String {
    run.ok().json()["license"]
        .as_str()
        .expect("the license number")
        .to_string()
}

fn standby_status(machine: &Machine, desk: &str, base: &str) -> Value {
    let detail = machine.desk(desk, &["--json", "show", base]).ok().json();
    detail["failovers"][0]["standby"].clone()
}

/// The signed file `text` with `from` replaced by `to` in its payload (base64 between the headers'
/// blank line and the END line), its signature left as it was: an edit by hand.
fn edited_payload(text: &str, from: &str, to: &str) -> String {
    use base64::Engine;
    let b64 = base64::engine::general_purpose::STANDARD;
    let (head, rest) = text
        .split_once("\n\n")
        .expect("headers, a blank line, the payload");
    let (body, end) = rest.split_once("-----END").expect("the END line");
    let payload = b64.decode(body.replace('\n', "")).expect("base64 payload");
    let payload = String::from_utf8(payload).expect("JSON payload");
    assert!(payload.contains(from), "{from} in {payload}");
    let encoded = b64.encode(payload.replacen(from, to, 1));
    let lines: Vec<&str> = encoded
        .as_bytes()
        .chunks(64)
        .map(|line| std::str::from_utf8(line).expect("base64 is ASCII"))
        .collect();
    format!("{head}\n\n{}\n-----END{end}", lines.join("\n"))
}

#[test]
fn the_offline_flow_runs_on_windows_from_the_vendor_key_to_the_release_r4_r12() {
    // The reseller's desk, where the vendor tool runs as well, and the standby machine.
    let desk = Machine::new("desk");
    let standby = Machine::new("standby");

    // The vendor's key: private to its owner, its public half for the desks to trust.
    desk.issuer(&[
        "keygen",
        "--out",
        &desk.win("vendor.key"),
        "--vendor",
        "Test Vendor AG",
    ])
    .ok();
    assert!(desk.exists("vendor.key") && desk.exists("vendor.vpub"));
    desk.issuer(&["keygen", "--out", &desk.win("vendor.key")])
        .refused("exists");
    desk.desk("main", &["trust", "add", &desk.win("vendor.vpub")])
        .ok();

    let key = desk.win("vendor.key");
    let base = license_of(desk.issuer(&[
        "--json",
        "issue",
        "--key",
        &key,
        "--customer",
        "Müller Büro GmbH",
        "--users",
        "25",
        "--extension",
        "XOM.11000:Fax Gateway:2",
        "--out",
        &desk.win("base.lic"),
    ]));
    let failover = license_of(desk.issuer(&[
        "--json",
        "issue-failover",
        "--key",
        &key,
        "--base",
        &base,
        "--out",
        &desk.win("failover.lic"),
    ]));
    desk.desk(
        "main",
        &["import", &desk.win("base.lic"), &desk.win("failover.lic")],
    )
    .ok();

    // The standby trusts the vendor and takes the licenses, carried with Windows line ends.
    for file in ["vendor.vpub", "base.lic", "failover.lic"] {
        desk.carry(file, &standby, true);
    }
    standby
        .desk("standby", &["trust", "add", &standby.win("vendor.vpub")])
        .ok();
    standby
        .desk(
            "standby",
            &[
                "import",
                &standby.win("base.lic"),
                &standby.win("failover.lic"),
            ],
        )
        .ok();

    // Its hardware ID, read on the standby: the machine GUID and at least two more components.
    let hwid = standby
        .desk(
            "standby",
            &["--json", "hwid", "--out", &standby.win("standby.hwid")],
        )
        .ok()
        .json();
    let components = hwid["components"].as_array().expect("the components named");
    assert!(components.len() >= 3, "{hwid}");
    let text = standby.desk("standby", &["hwid"]).ok().stdout;
    assert!(text.contains("machine GUID"), "{text}");

    // The reseller registers it from the file and writes the activation request.
    standby.carry("standby.hwid", &desk, false);
    desk.desk(
        "main",
        &[
            "standby",
            "register",
            "--failover",
            &failover,
            "--hwid-file",
            &desk.win("standby.hwid"),
            "--mode",
            "hot",
        ],
    )
    .ok();
    desk.desk(
        "main",
        &[
            "request",
            "--license",
            &failover,
            "--role",
            "standby",
            "--out",
            &desk.win("standby.actreq"),
        ],
    )
    .ok();
    assert_eq!(standby_status(&desk, "main", &base)["status"], "pending");

    // The vendor activates it; both desks import the signed response.
    vendor_answers(&desk, "activate", "standby.actreq", "standby.actresp").ok();
    desk.desk("main", &["import", &desk.win("standby.actresp")])
        .ok();
    assert_eq!(standby_status(&desk, "main", &base)["status"], "active");
    desk.carry("standby.actresp", &standby, false);
    standby
        .desk("standby", &["import", &standby.win("standby.actresp")])
        .ok();
    assert_eq!(
        standby_status(&standby, "standby", &base)["status"],
        "active"
    );

    // Monitoring on the reseller's desk: nothing to report yet.
    let run = desk.desk("main", &["check"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);

    // 100 h under load: a final warning while the episode runs (R12).
    standby
        .desk(
            "standby",
            &[
                "journal",
                "append",
                "--state",
                "load",
                "--at",
                &at(now() - 100 * HOUR),
            ],
        )
        .ok();
    standby
        .desk(
            "standby",
            &["journal", "export", "--out", &standby.win("usage.journal")],
        )
        .ok();
    standby.carry("usage.journal", &desk, false);
    let imported = desk
        .desk("main", &["--json", "import", &desk.win("usage.journal")])
        .ok()
        .json();
    assert_eq!(imported["files"][0]["status"], "evaluated", "{imported}");
    let run = desk.desk("main", &["check"]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);

    // The journal changed in a text editor (the load moved a day later) is tampered: CRITICAL
    // until an administrator dismisses it.
    let original = std::fs::read_to_string(standby.host_path("usage.journal")).expect("journal");
    let edited = edited_payload(&original, "\"state\":\"load\"", "\"state\":\"idle\"");
    std::fs::write(
        desk.host_path("edited.journal"),
        edited.replace('\n', "\r\n"),
    )
    .expect("the edited journal");
    desk.desk("main", &["import", &desk.win("edited.journal")])
        .tampered("");
    let run = desk.desk("main", &["check"]);
    assert_eq!(run.code, 2, "{}{}", run.stdout, run.stderr);
    // Dismissed by the hash monitoring shows (the status line names it), with a reason.
    let hash = run
        .stdout
        .split("SHA-256 ")
        .nth(1)
        .and_then(|rest| rest.split('…').next())
        .expect("check names the tampered journal's hash")
        .to_string();
    desk.desk(
        "main",
        &[
            "journal",
            "dismiss",
            "--journal",
            &hash,
            "--reason",
            "edited by hand on the standby",
        ],
    )
    .ok();
    let run = desk.desk("main", &["check"]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);

    // The standby is replaced: its own installation asks for the release, the vendor signs it.
    standby
        .desk(
            "standby",
            &[
                "standby",
                "release-request",
                "--failover",
                &failover,
                "--reason",
                "new hardware",
                "--out",
                &standby.win("standby.relreq"),
            ],
        )
        .ok();
    standby.carry("standby.relreq", &desk, false);
    vendor_answers(&desk, "release", "standby.relreq", "standby.release").ok();
    desk.desk("main", &["import", &desk.win("standby.release")])
        .ok();
    let after = desk.desk("main", &["--json", "show", &base]).ok().json();
    // Released: the FailoverSuite has no standby system any more.
    assert!(after["failovers"][0]["standby"].is_null(), "{after}");
}
