//! Command-line scenarios through the real `licdesk` and `licdesk-issuer` binaries (SPEC §5).
//! Rules are named by their R-numbers (SPEC §2).

#![allow(clippy::unwrap_used)] // tests state their expectations by unwrapping

mod hygiene;
mod integrity;
mod outputs;
mod standby;
mod support;

use serde_json::Value;
use support::*;

/// The standby's hardware ID: from a hardware-ID file made on a simulated other machine when we
/// may create namespaces (root), else typed in as a code.
fn standby_machine(w: &World, m: &OtherMachine) -> Vec<String> {
    if is_root() {
        let file = w.p(&format!("{}.hwid", m.host));
        let run = w
            .desk_on_machine(
                m,
                &format!("desk-{}", m.host),
                &["--json", "hwid", "--out", &file],
            )
            .ok();
        assert!(run.json()["hardware_id"].is_string());
        vec!["--hwid-file".into(), file]
    } else {
        eprintln!("not root: the standby's hardware-ID file is made for a synthetic machine instead of a simulated one");
        // A standby needs an installation key (the vendor refuses a typed hardware ID).
        let key =
            licdesk_core::SigningKey::from_bytes(&[m.mac.len() as u8 + m.host.len() as u8; 32]);
        vec!["--hwid-file".into(), hwid_file(w, m.host, &key).0]
    }
}

/// Whether a test that simulates another machine (namespaces, so root) can run. Without root it
/// fails, unless LICDESK_TESTS_SKIP_ROOT=1 says to skip it knowingly: a test that quietly passes
/// without checking anything would hide that it never ran.
fn root_or_skipped_knowingly(test: &str) -> bool {
    if is_root() {
        return true;
    }
    if std::env::var_os("LICDESK_TESTS_SKIP_ROOT").is_some() {
        eprintln!("SKIPPED {test}: simulating another machine needs root (LICDESK_TESTS_SKIP_ROOT is set)");
        return false;
    }
    panic!(
        "{test} simulates another machine with namespaces and needs root: run the tests as root (make test does in CI), or set LICDESK_TESTS_SKIP_ROOT=1 to skip it knowingly"
    );
}

fn args<'a>(fixed: &[&'a str], extra: &'a [String]) -> Vec<&'a str> {
    fixed
        .iter()
        .copied()
        .chain(extra.iter().map(String::as_str))
        .collect()
}

fn show(w: &World, desk: &str, license: &str) -> Value {
    w.desk(desk, &["--json", "show", license]).ok().json()
}

fn activate_main(w: &World, v: &Vendor, desk: &str, base: &str) {
    let req = w.p(&format!("{desk}-main-{base}.actreq"));
    w.desk(
        desk,
        &[
            "request",
            "--license",
            base,
            "--role",
            "main",
            "--this-machine",
            "--out",
            &req,
        ],
    )
    .ok();
    let (run, resp) = w.activate(v, &req);
    run.ok();
    w.desk(desk, &["import", &resp]).ok();
}

fn activate_standby(w: &World, v: &Vendor, desk: &str, failover: &str) -> String {
    // The same file for each activation of that standby: a re-activation replaces the request.
    let req = w.p(&format!("{desk}-standby-{failover}.actreq"));
    w.desk(
        desk,
        &[
            "request",
            "--license",
            failover,
            "--role",
            "standby",
            "--force",
            "--out",
            &req,
        ],
    )
    .ok();
    let (run, resp) = w.activate(v, &req);
    run.ok();
    let out = w.desk(desk, &["--json", "import", &resp]).ok().json();
    assert_eq!(out["files"][0]["status"], "activated", "{out}");
    resp
}

fn setup(w: &World) -> Vendor {
    let v = w.vendor();
    w.desk("main", &["trust", "add", &v.public]).ok();
    v
}

fn standby_of<'a>(detail: &'a Value, failover: &str) -> &'a Value {
    detail["failovers"]
        .as_array()
        .expect("failovers")
        .iter()
        .find(|f| f["license"] == failover)
        .map(|f| &f["standby"])
        .expect("failover listed")
}

#[test]
fn scenario_a_simple_standby_carries_every_entitlement_of_the_main_system_r5_r6_r13() {
    let w = World::new();
    let v = setup(&w);
    let (base, base_file) = w.issue_base(
        &v,
        "Müller & Söhne GmbH",
        "25",
        &["XOM.11000:Fax Gateway:2", "XOM.12000:SMS Connector:1"],
    );
    let (failover, fo_file) = w.issue_failover(&v, &base);
    w.desk("main", &["import", &fo_file, &base_file]).ok();
    activate_main(&w, &v, "main", &base);

    let standby = standby_machine(&w, &STANDBY_1);
    w.desk(
        "main",
        &args(
            &[
                "standby",
                "register",
                "--failover",
                &failover,
                "--mode",
                "hot",
            ],
            &standby,
        ),
    )
    .ok();
    let pending = show(&w, "main", &base);
    assert_eq!(standby_of(&pending, &failover)["status"], "pending");
    activate_standby(&w, &v, "main", &failover);

    let detail = show(&w, "main", &base);
    let s = standby_of(&detail, &failover);
    assert_eq!(s["status"], "active");
    assert_eq!(s["mode"], "hot");
    assert_eq!(s["role"], "standby");
    let hwid = s["hardware_id"].as_str().expect("hardware id");
    if is_root() {
        assert_ne!(
            hwid,
            detail["main_system"]["hardware_id"].as_str().unwrap(),
            "standby is another machine"
        );
        assert_eq!(s["label"], "standby-1");
    }
    // R5: the standby carries all of the main system's entitlements plus the FailoverSuite.
    let articles: Vec<&str> = s["entitlements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["article"].as_str().unwrap())
        .collect();
    for main_entitlement in detail["entitlements"].as_array().unwrap() {
        // The same article with the same quantity and name (R5, R10: no restriction).
        assert!(
            s["entitlements"]
                .as_array()
                .unwrap()
                .iter()
                .any(|e| e == main_entitlement),
            "{main_entitlement} is missing from the standby's {}",
            s["entitlements"]
        );
    }
    let quantity = |article: &str| {
        s["entitlements"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["article"] == article)
            .map(|e| e["quantity"].clone())
    };
    assert_eq!(quantity("XOM.11000"), Some(serde_json::json!(2)));
    assert_eq!(quantity("XOM.12000"), Some(serde_json::json!(1)));
    assert!(
        articles.contains(&"XOM.11000")
            && articles.contains(&"XOM.12000")
            && articles.contains(&"OMS")
    );
    assert!(articles.contains(&"XFM.47000"));
    assert_eq!(detail["main_system"]["status"], "active");
    // R11: the notice is part of every view of a FailoverSuite.
    assert!(detail["notices"].as_array().unwrap().iter().any(|n| n
        .as_str()
        .unwrap()
        .contains("standby or test operation only")));
    // R2: listed as an extension of the base license.
    let list = w.desk("main", &["--json", "list"]).ok().json();
    assert_eq!(
        list["rows"][0]["failovers"][0]["license"],
        failover.as_str()
    );
    let text = w.desk("main", &["show", &base]).ok().stdout;
    assert!(
        text.contains("hot standby") && text.contains("NOTICE"),
        "{text}"
    );
}

#[test]
fn scenario_b_each_main_system_needs_its_own_failover_license_r4_r7() {
    let w = World::new();
    let v = setup(&w);
    let (base_a, fa) = w.issue_base(&v, "Load Sharing AG", "250", &[]);
    let (base_b, fb) = w.issue_base(&v, "Load Sharing AG", "250", &[]);
    let (fo_a, ffa) = w.issue_failover(&v, &base_a);
    let (fo_b, ffb) = w.issue_failover(&v, &base_b);
    w.desk("main", &["import", &fa, &fb, &ffa, &ffb]).ok();
    activate_main(&w, &v, "main", &base_a);

    let s1 = standby_machine(&w, &STANDBY_1);
    let s2 = standby_machine(&w, &STANDBY_2);
    w.desk(
        "main",
        &args(&["standby", "register", "--failover", &fo_a], &s1),
    )
    .ok();
    activate_standby(&w, &v, "main", &fo_a);
    w.desk(
        "main",
        &args(&["standby", "register", "--failover", &fo_b], &s2),
    )
    .ok();
    activate_standby(&w, &v, "main", &fo_b);

    // The desk refuses to register standby 1 for the second FailoverSuite …
    let before = w.dump("main");
    w.desk(
        "main",
        &args(&["standby", "register", "--failover", &fo_b], &s1),
    )
    .refused("already the standby of FailoverSuite");
    assert_eq!(w.dump("main"), before);

    // … and so does the vendor, even for a request written on a desk that does not know it.
    w.desk("reseller", &["trust", "add", &v.public]).ok();
    w.desk("reseller", &["import", &fb, &ffb]).ok();
    let req = w.p("reuse.actreq");
    w.desk(
        "reseller",
        &args(
            &[
                "request",
                "--license",
                &fo_b,
                "--role",
                "standby",
                "--out",
                &req,
            ],
            &s1,
        ),
    )
    .ok();
    let (run, response) = w.activate(&v, &req);
    run.refused("already");
    assert!(
        !std::path::Path::new(&response).exists(),
        "no response is written for a refusal"
    );

    // R4: a standby can never be a main system.
    let (fo_c, ffc) = w.issue_failover(&v, &base_a);
    w.desk("main", &["import", &ffc]).ok();
    let before = w.dump("main");
    w.desk(
        "main",
        &["standby", "register", "--failover", &fo_c, "--this-machine"],
    )
    .refused("main system");
    assert_eq!(w.dump("main"), before);
}

#[test]
fn scenario_c_a_failover_in_test_mode_is_recorded_and_shown_r8_r9() {
    let w = World::new();
    let v = setup(&w);
    let (base, bf) = w.issue_base(&v, "Dev Labs", "10", &[]);
    let (fo, ff) = w.issue_failover(&v, &base);
    w.desk("main", &["import", &bf, &ff]).ok();
    let standby = standby_machine(&w, &STANDBY_1);
    w.desk(
        "main",
        &args(
            &["standby", "register", "--failover", &fo, "--mode", "test"],
            &standby,
        ),
    )
    .ok();
    activate_standby(&w, &v, "main", &fo);
    let detail = show(&w, "main", &base);
    assert_eq!(standby_of(&detail, &fo)["mode"], "test");
    assert_eq!(standby_of(&detail, &fo)["status"], "active");
    let text = w.desk("main", &["show", &fo]).ok().stdout;
    assert!(text.contains("test and development system"), "{text}");
}

#[test]
fn the_failover_suite_activates_with_every_base_variant_r3() {
    let w = World::new();
    let v = setup(&w);
    for (i, users) in ["10", "25", "250", "unlimited"].iter().enumerate() {
        let (base, bf) = w.issue_base(&v, &format!("Variant {users}"), users, &["XOM.1:Extra:1"]);
        let (fo, ff) = w.issue_failover(&v, &base);
        w.desk("main", &["import", &bf, &ff]).ok();
        let key = licdesk_core::SigningKey::from_bytes(&[i as u8 + 1; 32]);
        let (file, _) = hwid_file(&w, &format!("variant-standby-{i}"), &key);
        w.desk(
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
        .ok();
        activate_standby(&w, &v, "main", &fo);
        let detail = show(&w, "main", &base);
        assert_eq!(detail["variant"], *users);
        assert_eq!(
            standby_of(&detail, &fo)["status"],
            "active",
            "variant {users}"
        );
    }
}

#[test]
fn a_changed_main_system_makes_its_standby_out_of_date_until_reactivated_r5() {
    let w = World::new();
    let v = setup(&w);
    let (base, bf) = w.issue_base(&v, "Growing GmbH", "25", &[]);
    let (fo, ff) = w.issue_failover(&v, &base);
    w.desk("main", &["import", &bf, &ff]).ok();
    let (file, _) = hwid_file(
        &w,
        "growing-standby",
        &licdesk_core::SigningKey::from_bytes(&[21; 32]),
    );
    w.desk(
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
    .ok();
    activate_standby(&w, &v, "main", &fo);
    let upgraded = w.p("upgraded.lic");
    w.issuer(&[
        "issue",
        "--key",
        &v.key,
        "--customer",
        "Growing GmbH",
        "--users",
        "250",
        "--license",
        &base,
        "--revision",
        "2",
        "--out",
        &upgraded,
    ])
    .ok();
    let out = w.desk("main", &["--json", "import", &upgraded]).ok().json();
    assert_eq!(out["files"][0]["status"], "upgraded");
    let detail = show(&w, "main", &base);
    assert_eq!(standby_of(&detail, &fo)["status"], "out_of_date");
    let text = w.desk("main", &["show", &base]).ok().stdout;
    assert!(
        text.contains("out of date") && text.contains("R5"),
        "{text}"
    );
    activate_standby(&w, &v, "main", &fo);
    let detail = show(&w, "main", &base);
    assert_eq!(standby_of(&detail, &fo)["status"], "active");
    assert_eq!(detail["variant"], "250");
}

// ---------------------------------------------------------------------------------------------
// Refusals: each with a clear message, the store's content unchanged.

fn refused_import(w: &World, file: &str, needle: &str) {
    let before = w.dump("main");
    w.desk("main", &["import", file]).refused(needle);
    assert_eq!(w.dump("main"), before, "a refused import changed the store");
}

#[test]
fn a_certificate_signed_by_an_untrusted_key_is_refused_naming_the_key() {
    let w = World::new();
    let _trusted = setup(&w);
    let stranger_key = w.p("stranger.key");
    w.issuer(&["keygen", "--out", &stranger_key, "--vendor", "Stranger"])
        .ok();
    let (_, file) = w.issue_base(
        &Vendor {
            key: stranger_key,
            public: String::new(),
            ledger: String::new(),
        },
        "X",
        "10",
        &[],
    );
    let text = std::fs::read_to_string(&file).unwrap();
    let key_id = text
        .lines()
        .find_map(|l| l.strip_prefix("Key-Id: "))
        .unwrap()
        .to_string();
    refused_import(&w, &file, &key_id);
    refused_import(&w, &file, "does not trust");
}

#[test]
fn a_failover_certificate_without_its_base_is_refused_naming_the_base() {
    let w = World::new();
    let v = setup(&w);
    let (base, _) = w.issue_base(&v, "Missing Base KG", "10", &[]);
    let (_, ff) = w.issue_failover(&v, &base);
    refused_import(&w, &ff, &base);
}

#[test]
fn empty_truncated_binary_and_huge_files_are_refused() {
    let w = World::new();
    let v = setup(&w);
    let (_, bf) = w.issue_base(&v, "Files", "10", &[]);
    let text = std::fs::read(&bf).unwrap();
    std::fs::write(w.path("empty.lic"), b"").unwrap();
    std::fs::write(w.path("truncated.lic"), &text[..text.len() / 2]).unwrap();
    std::fs::write(
        w.path("binary.lic"),
        [0x7f, b'E', b'L', b'F', 0, 1, 2, 0xff, 0xfe],
    )
    .unwrap();
    // 50 MB, sparse: refused from its size, without reading it.
    let huge = std::fs::File::create(w.path("huge.lic")).unwrap();
    huge.set_len(50 * 1024 * 1024).unwrap();
    refused_import(&w, &w.p("empty.lic"), "empty");
    refused_import(&w, &w.p("truncated.lic"), "cut off");
    refused_import(&w, &w.p("binary.lic"), "not text");
    refused_import(&w, &w.p("huge.lic"), "52428800 bytes");
    refused_import(&w, &w.p("does-not-exist.lic"), "no such file");
}

#[test]
fn mistyped_license_numbers_and_hardware_ids_are_caught_by_their_check_characters() {
    let w = World::new();
    let v = setup(&w);
    let (base, bf) = w.issue_base(&v, "Typo GmbH", "10", &[]);
    let (fo, ff) = w.issue_failover(&v, &base);
    w.desk("main", &["import", &bf, &ff]).ok();
    let before = w.dump("main");
    let mut typo: Vec<char> = base.chars().collect();
    let i = typo.len() - 4;
    typo[i] = if typo[i] == '7' { '8' } else { '7' };
    let typo: String = typo.into_iter().collect();
    w.desk("main", &["show", &typo]).refused("check characters");
    let id = typed_hwid("typo standby").to_string();
    let swapped: String = {
        let mut c: Vec<char> = id.chars().collect();
        let (a, b) = if c[0] != c[1] { (0, 1) } else { (1, 2) };
        c.swap(a, b);
        c.into_iter().collect()
    };
    w.desk(
        "main",
        &["standby", "register", "--failover", &fo, "--hwid", &swapped],
    )
    .refused("check characters");
    w.desk(
        "main",
        &["standby", "register", "--failover", &fo, "--hwid", "ABCD"],
    )
    .refused("expected a hardware ID like");
    assert_eq!(w.dump("main"), before);
}

#[test]
fn importing_the_same_file_twice_adds_nothing_and_is_not_an_error() {
    let w = World::new();
    let v = setup(&w);
    let (_, bf) = w.issue_base(&v, "Twice", "10", &[]);
    w.desk("main", &["import", &bf]).ok();
    let before = w.dump("main");
    let out = w.desk("main", &["--json", "import", &bf]).ok().json();
    assert_eq!(out["files"][0]["status"], "unchanged");
    assert_eq!(w.dump("main"), before);
    assert_eq!(w.desk("main", &["--json", "list"]).ok().json()["total"], 1);
}

#[test]
fn a_response_for_another_request_is_refused() {
    let w = World::new();
    let v = setup(&w);
    let (base, bf) = w.issue_base(&v, "Two Desks", "10", &[]);
    let (fo, ff) = w.issue_failover(&v, &base);
    let (file, _) = hwid_file(
        &w,
        "two-desks-standby",
        &licdesk_core::SigningKey::from_bytes(&[22; 32]),
    );
    for desk in ["main", "other"] {
        w.desk(desk, &["trust", "add", &v.public]).ok();
        w.desk(desk, &["import", &bf, &ff]).ok();
        w.desk(
            desk,
            &[
                "standby",
                "register",
                "--failover",
                &fo,
                "--hwid-file",
                &file,
            ],
        )
        .ok();
    }
    let req = w.p("other.actreq");
    w.desk(
        "other",
        &[
            "request",
            "--license",
            &fo,
            "--role",
            "standby",
            "--out",
            &req,
        ],
    )
    .ok();
    let (run, resp) = w.activate(&v, &req);
    run.ok();
    refused_import(&w, &resp, "another request");
}

#[test]
fn a_store_of_a_newer_version_is_refused_and_left_untouched() {
    let w = World::new();
    let path = w.path("main.sqlite");
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.pragma_update(None, "user_version", 999).unwrap();
    }
    let before = std::fs::read(&path).unwrap();
    w.desk("main", &["list"]).refused("newer License Desk");
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[test]
fn two_imports_writing_at_the_same_time_both_succeed() {
    let w = World::new();
    let v = setup(&w);
    let files: Vec<String> = (0..8)
        .map(|i| w.issue_base(&v, &format!("Parallel {i}"), "10", &[]).1)
        .collect();
    for round in files.chunks(2) {
        let spawn = |f: &str| {
            std::process::Command::new(binary("licdesk"))
                .args(["--store", &w.p("main.sqlite"), "import", f])
                .output()
                .unwrap()
        };
        let (a, b) = std::thread::scope(|s| {
            let a = s.spawn(|| spawn(&round[0]));
            let b = s.spawn(|| spawn(&round[1]));
            (a.join().unwrap(), b.join().unwrap())
        });
        assert!(a.status.success(), "{}", String::from_utf8_lossy(&a.stderr));
        assert!(b.status.success(), "{}", String::from_utf8_lossy(&b.stderr));
    }
    assert_eq!(w.desk("main", &["--json", "list"]).ok().json()["total"], 8);
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
fn another_machine_has_another_hardware_id_and_keeps_it() {
    if !root_or_skipped_knowingly("another_machine_has_another_hardware_id_and_keeps_it") {
        return;
    }
    let w = World::new();
    let this = w.desk("main", &["--json", "hwid"]).ok().json();
    let other = w
        .desk_on_machine(&STANDBY_1, "standby", &["--json", "hwid"])
        .ok()
        .json();
    let again = w
        .desk_on_machine(&STANDBY_1, "standby", &["--json", "hwid"])
        .ok()
        .json();
    assert_ne!(this["hardware_id"], other["hardware_id"]);
    assert_eq!(other["hardware_id"], again["hardware_id"]);
    assert_eq!(other["label"], "standby-1");
    let third = w
        .desk_on_machine(&STANDBY_2, "standby", &["--json", "hwid"])
        .ok()
        .json();
    assert_ne!(third["hardware_id"], other["hardware_id"]);
}

#[test]
fn a_hardware_id_file_names_no_raw_mac_address_or_machine_id() {
    let w = World::new();
    let file = w.p("this.hwid");
    w.desk("main", &["hwid", "--out", &file]).ok();
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.starts_with("-----BEGIN LICDESK HARDWARE ID-----"));
    let body: String = text
        .lines()
        .skip_while(|l| !l.is_empty())
        .skip(1)
        .take_while(|l| !l.starts_with("-----"))
        .collect();
    use base64::Engine;
    let payload = String::from_utf8(
        base64::engine::general_purpose::STANDARD
            .decode(body)
            .unwrap(),
    )
    .unwrap();
    let machine_id = std::fs::read_to_string("/etc/machine-id").unwrap_or_default();
    if !machine_id.trim().is_empty() {
        assert!(
            !payload.contains(machine_id.trim()),
            "raw machine id in {payload}"
        );
    }
    for entry in std::fs::read_dir("/sys/class/net")
        .into_iter()
        .flatten()
        .flatten()
    {
        let mac = std::fs::read_to_string(entry.path().join("address")).unwrap_or_default();
        let mac = mac.trim();
        if !mac.is_empty() && mac != "00:00:00:00:00:00" {
            assert!(
                !payload.to_lowercase().contains(mac),
                "raw MAC {mac} in {payload}"
            );
            assert!(
                !payload.to_lowercase().contains(&mac.replace(':', "")),
                "raw MAC {mac} in {payload}"
            );
        }
    }
}

#[test]
fn the_demo_store_of_make_run_holds_every_variant_and_standbys_active_pending_and_out_of_date() {
    let w = World::new();
    let store = w.p("main.sqlite");
    let out = std::process::Command::new(binary("make-demo-store"))
        .args(["--store", &store])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let list = w.desk("main", &["--json", "list"]).ok().json();
    let rows = list["rows"].as_array().unwrap();
    assert!(rows.len() >= 8, "several customers: {}", rows.len());
    // R1: every variant; every license from the demo vendor, and so marked DEMO.
    for variant in ["10", "25", "250", "unlimited"] {
        assert!(rows.iter().any(|r| r["variant"] == variant), "no {variant}");
    }
    assert!(rows.iter().all(|r| r["demo"] == true));
    assert!(rows
        .iter()
        .any(|r| !r["extensions"].as_array().unwrap().is_empty()));
    let standby_states: Vec<&str> = rows
        .iter()
        .flat_map(|r| r["failovers"].as_array().unwrap())
        .filter_map(|f| f["standby"]["status"].as_str())
        .collect();
    for state in ["active", "pending", "out_of_date"] {
        assert!(
            standby_states.contains(&state),
            "no {state} standby in {standby_states:?}"
        );
    }
    // Made again, the store is refused, not mixed up with a second demo, and left as it was.
    let before = w.dump("main");
    let again = std::process::Command::new(binary("make-demo-store"))
        .args(["--store", &store])
        .output()
        .unwrap();
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("already exists"));
    assert_eq!(w.dump("main"), before);
}
