//! Activation through the CLI: scenarios A, B and C (R6–R8), the FailoverSuite with every base
//! variant (R3), and the requests and responses between desk and vendor: a response for another
//! request, a reused or multi-byte nonce and an older response are refused. Scenario B runs on
//! both engines of the vendor's ledger (`--ledger postgres://…`).

use licdesk_core::{seal, ActivationResponse, Envelope, FileKind};

use licdesk_pgtest::{on_both_engines, Engine};

use crate::support::*;

on_both_engines!(scenario_b_each_main_system_needs_its_own_failover_license_r4_r7);

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

fn args<'a>(fixed: &[&'a str], extra: &'a [String]) -> Vec<&'a str> {
    fixed
        .iter()
        .copied()
        .chain(extra.iter().map(String::as_str))
        .collect()
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

/// On both engines of the vendor's ledger: a PostgreSQL ledger refuses the same.
fn scenario_b_each_main_system_needs_its_own_failover_license_r4_r7(engine: Engine) {
    let w = World::new();
    let v = setup_on(&w, engine);
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
        register_from_file(&w, "main", &fo, &file).ok();
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

fn vendor_key(v: &Vendor) -> licdesk_issuer::VendorKey {
    licdesk_issuer::VendorKey::load(std::path::Path::new(&v.key)).unwrap()
}

/// The vendor-signed payload of `file`, verified with the vendor's key.
fn vendor_payload<T: serde::Serialize + serde::de::DeserializeOwned>(v: &Vendor, file: &str) -> T {
    let text = std::fs::read_to_string(file).unwrap();
    Envelope::parse(text.as_bytes())
        .unwrap()
        .verify(&vendor_key(v).key.verifying_key())
        .unwrap()
        .payload()
        .unwrap()
}

#[test]
fn an_older_response_cannot_bring_back_the_limits_a_newer_one_replaced_r12() {
    let w = World::new();
    // Activated with the standard five days (120 h).
    let (v, _base, fo) = activated_standby(&w);
    // Two re-activation requests; the vendor answers the first with 120 h and the second,
    // later, with 48 h.
    let first = w.p("again-1.actreq");
    standby_request(&w, "standby", &fo, &[], &first).ok();
    let second = w.p("again-2.actreq");
    standby_request(&w, "standby", &fo, &[], &second).ok();
    let (run, lax) = w.activate(&v, &first);
    run.ok();
    let lax_copy = w.p("lax.actresp");
    std::fs::copy(&lax, &lax_copy).unwrap();
    let (run, strict) = w.activate_with(
        &v,
        &second,
        &[
            "--limit-hours",
            "48",
            "--warn-hours",
            "24",
            "--final-warn-hours",
            "36",
        ],
    );
    run.ok();
    let strict_limits = vendor_payload::<ActivationResponse>(&v, &strict).limits;
    let lax_limits = vendor_payload::<ActivationResponse>(&v, &lax_copy).limits;
    assert_ne!(strict_limits, lax_limits);
    // The newer (48 h) is imported first; the older (120 h) after it is superseded.
    w.desk("standby", &["import", &strict]).ok();
    let before = w.dump("standby");
    w.desk("standby", &["import", &lax_copy])
        .refused("moves forward only");
    assert_eq!(w.dump("standby"), before);
    let run = w.desk("standby", &["--json", "import", &lax_copy]);
    assert_eq!(run.json()["files"][0]["error"]["code"], "superseded");
    let notice = w.desk("standby", &["show", &fo]).ok().stdout;
    assert!(notice.contains("48 hours"), "{notice}");
}

#[test]
fn a_vendor_signed_response_with_a_multi_byte_nonce_is_refused_not_a_panic() {
    let w = World::new();
    let (v, base, fo) = activated_standby(&w);
    let resp_files: Vec<_> = std::fs::read_dir(w.path(""))
        .unwrap()
        .filter_map(|e| {
            let p = e.unwrap().path();
            (p.extension()?.to_str()? == "actresp").then_some(p)
        })
        .collect();
    let genuine: ActivationResponse = vendor_payload(&v, resp_files[0].to_str().unwrap());
    let key = vendor_key(&v);
    let before = w.dump("standby");
    for nonce in ["ééééééééééééééé", "\u{1b}[2J", "", "AB", &"0".repeat(65)] {
        let mut hostile = genuine.clone();
        hostile.request_nonce = nonce.to_string();
        let file = w.p("hostile.actresp");
        std::fs::write(
            &file,
            seal(FileKind::ActivationResponse, &hostile, &key.key),
        )
        .unwrap();
        let run = w.desk("standby", &["--json", "import", &file]);
        assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
        let out = run.json();
        assert_eq!(out["files"][0]["status"], "refused", "{out}");
        assert!(
            out["files"][0]["message"]
                .as_str()
                .unwrap()
                .contains("nonce"),
            "{out}"
        );
        assert_eq!(w.dump("standby"), before);
    }
    // In a bulk run with 300 good files, the hostile one is refused and the rest imported.
    let mut hostile = genuine.clone();
    hostile.request_nonce = "ü".repeat(40);
    let bad = w.p("bulk-hostile.actresp");
    std::fs::write(&bad, seal(FileKind::ActivationResponse, &hostile, &key.key)).unwrap();
    let mut args = vec!["--json".to_string(), "import".to_string(), bad.clone()];
    for n in 0..300 {
        let (_, f) = w.issue_base(&v, &format!("Bulk {n} GmbH"), "10", &[]);
        args.push(f);
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    w.desk("bulkdesk", &["trust", "add", &v.public]).ok();
    let run = w.desk("bulkdesk", &args);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    let out = run.json();
    let files = out["files"].as_array().unwrap();
    assert_eq!(files.len(), 301);
    assert_eq!(
        files.iter().filter(|f| f["status"] == "imported").count(),
        300,
        "{out}"
    );
    let detail = w.desk("standby", &["--json", "show", &base]).ok().json();
    assert_eq!(detail["failovers"][0]["license"], fo.as_str());
}

#[test]
fn the_vendor_refuses_a_request_that_reuses_another_requests_nonce() {
    let w = World::new();
    let v = w.vendor();
    let (base_a, file_a) = w.issue_base(&v, "Kunde A GmbH", "25", &[]);
    let (base_b, file_b) = w.issue_base(&v, "Kunde B GmbH", "10", &[]);
    for (desk, file) in [("a", &file_a), ("b", &file_b)] {
        w.desk(desk, &["trust", "add", &v.public]).ok();
        w.desk(desk, &["import", file]).ok();
    }
    let req_a = w.p("a.actreq");
    w.desk(
        "a",
        &[
            "request",
            "--license",
            &base_a,
            "--role",
            "main",
            "--out",
            &req_a,
        ],
    )
    .ok();
    let (run, resp_a) = w.activate(&v, &req_a);
    run.ok();
    // The same request again: the same response.
    let (run, again) = w.activate(&v, &req_a);
    run.ok();
    assert_eq!(
        std::fs::read_to_string(&again).unwrap(),
        std::fs::read_to_string(&resp_a).unwrap()
    );
    // Customer B's request, re-signed by B's desk with A's nonce.
    let req_b = w.p("b.actreq");
    w.desk(
        "b",
        &[
            "request",
            "--license",
            &base_b,
            "--role",
            "main",
            "--out",
            &req_b,
        ],
    )
    .ok();
    let nonce_a: licdesk_core::ActivationRequest = payload(&req_a);
    let mut request_b: licdesk_core::ActivationRequest = payload(&req_b);
    request_b.nonce = nonce_a.nonce.clone();
    let forged = w.p("b-forged.actreq");
    std::fs::write(
        &forged,
        seal(FileKind::ActivationRequest, &request_b, &desk_key(&w, "b")),
    )
    .unwrap();
    let before = w.ledger_dump(&v);
    let (run, out) = w.activate(&v, &forged);
    run.refused("already used by another request");
    assert_eq!(w.ledger_dump(&v), before);
    assert!(
        !std::path::Path::new(&out).exists()
            || std::fs::read_to_string(&out).unwrap() != std::fs::read_to_string(&resp_a).unwrap()
    );
    // A nonce that is not 64 hex characters is refused too.
    request_b.nonce = "é".repeat(32);
    std::fs::write(
        &forged,
        seal(FileKind::ActivationRequest, &request_b, &desk_key(&w, "b")),
    )
    .unwrap();
    let (run, _) = w.activate(&v, &forged);
    run.refused("nonce");
    assert_eq!(w.ledger_dump(&v), before);
}
