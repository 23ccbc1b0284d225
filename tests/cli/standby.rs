//! A standby after its activation: out of date when its main system changes until re-activated
//! (R5), released only at the request of its own installation or by the vendor by hand (R4), its
//! installation key, and an activation written on a reseller's desk taken on its own desk.

use licdesk_core::{seal, Envelope, FileKind, SigningKey, Timestamp};

use crate::support::*;

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
    register_from_file(&w, "main", &fo, &file).ok();
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

#[test]
fn a_replaced_standby_is_released_only_at_the_request_of_its_own_installation_r4() {
    let w = World::new();
    // The standby activated on its own desk ("standby"), with that desk's installation key.
    let (v, base, fo) = activated_standby(&w);
    w.desk("other", &["trust", "add", &v.public]).ok();
    let (bf, ff) = {
        // The certificates the helper imported (base-N.lic, failover-N.lic), found on disk.
        let mut files: Vec<String> = std::fs::read_dir(w.dir.path())
            .unwrap()
            .map(|e| e.unwrap().path().display().to_string())
            .filter(|p| p.ends_with(".lic"))
            .collect();
        files.sort();
        (files[0].clone(), files[1].clone())
    };
    w.desk("other", &["import", &bf, &ff]).ok();

    // Without a release, a second machine is refused by the vendor, for a desk that does not
    // know the first standby.
    let new = hwid_file(&w, "new-standby", &SigningKey::from_bytes(&[7; 32]));
    let req2 = w.p("other.actreq");
    standby_request(&w, "other", &fo, &["--hwid-file", &new.0], &req2).ok();
    let (run, _) = w.activate(&v, &req2);
    run.refused("already activated");
    // A standby named by a typed hardware ID has no installation key: the desk does not write a
    // request for it, and changes nothing ...
    let typed = w.p("typed.actreq");
    let store_before = w.dump("main");
    standby_request(
        &w,
        "main",
        &fo,
        &["--hwid", typed_hwid("typed standby").as_str()],
        &typed,
    )
    .refused("typed hardware ID");
    assert_eq!(w.dump("main"), store_before);
    assert!(!std::path::Path::new(&typed).exists());
    // ... and the vendor refuses such a request made some other way (the one above, its key
    // taken out and signed again).
    let mut request: licdesk_core::ActivationRequest =
        licdesk_core::Envelope::parse(&std::fs::read(&req2).unwrap())
            .unwrap()
            .verify_self_signed()
            .unwrap()
            .payload()
            .unwrap();
    assert!(request.installation_key.is_some());
    request.installation_key = None;
    std::fs::write(
        &typed,
        licdesk_core::seal(
            licdesk_core::FileKind::ActivationRequest,
            &request,
            &SigningKey::from_bytes(&[9; 32]),
        ),
    )
    .unwrap();
    let before = w.ledger_dump(&v);
    let (run, _) = w.activate(&v, &typed);
    run.refused("carries no installation key");
    assert_eq!(w.ledger_dump(&v), before);

    // A forged release request: anyone who knows the FailoverSuite number and the standby's
    // hardware can write one, here signed by the reseller desk's installation key. The vendor
    // refuses it, naming both keys, and its ledger stays as it was.
    let this_machine: licdesk_core::Hardware = {
        let file = w.p("this.hwid");
        w.desk("standby", &["hwid", "--out", &file]).ok();
        let text = std::fs::read_to_string(&file).unwrap();
        let f: licdesk_core::model::HardwareIdFile = Envelope::parse(text.as_bytes())
            .unwrap()
            .verify_self_signed()
            .unwrap()
            .payload()
            .unwrap();
        f.hardware
    };
    // (The reseller desk's key is made with its first hardware-ID file.)
    w.desk("main", &["hwid", "--out", &w.p("main.hwid")]).ok();
    let reseller = desk_key(&w, "main");
    let forged = w.p("forged.relreq");
    std::fs::write(
        &forged,
        seal(
            FileKind::ReleaseRequest,
            &licdesk_core::ReleaseRequest {
                nonce: "ab".repeat(32),
                created_at: Timestamp::from_unix(now()),
                failover: licdesk_core::LicenseNumber::parse(&fo).unwrap(),
                hardware: this_machine,
                reason: "hardware replaced".into(),
            },
            &reseller,
        ),
    )
    .unwrap();
    let before = w.ledger_dump(&v);
    let run = vendor_releases(&w, &v, &forged, &w.p("forged.release")).refused("by hand");
    let forger_id = licdesk_core::KeyId::of_public_key(&reseller.verifying_key());
    let certified_id = licdesk_core::KeyId::of_public_key(&desk_key(&w, "standby").verifying_key());
    assert!(
        run.stderr.contains(forger_id.as_str()) && run.stderr.contains(certified_id.as_str()),
        "{}",
        run.stderr
    );
    assert_eq!(
        w.ledger_dump(&v),
        before,
        "a refused release changed the ledger"
    );
    assert!(!w.path("forged.release").exists());
    // Still held: the second machine is still refused.
    let (run, _) = w.activate(&v, &req2);
    run.refused("already activated");

    // A desk that holds the standby under another installation's key cannot write the release
    // request: it says where to write it, and what to do when the machine is lost.
    let own_file = w.p("standby-own.hwid");
    w.desk("standby", &["hwid", "--out", &own_file]).ok();
    register_from_file(&w, "main", &fo, &own_file).ok();
    let again = w.p("main-again.actreq");
    standby_request(&w, "main", &fo, &[], &again).ok();
    let (run, resp) = w.activate(&v, &again);
    run.ok();
    w.desk("main", &["import", &resp]).ok();
    let before = w.dump("main");
    w.desk(
        "main",
        &[
            "standby",
            "release-request",
            "--failover",
            &fo,
            "--out",
            &w.p("main.relreq"),
        ],
    )
    .refused("on the standby machine itself");
    assert_eq!(w.dump("main"), before);
    assert!(!w.path("main.relreq").exists());

    // The genuine release: written on the standby's own desk, signed by its installation key.
    let relreq = w.p("standby.relreq");
    w.desk(
        "standby",
        &[
            "standby",
            "release-request",
            "--failover",
            &fo,
            "--out",
            &relreq,
        ],
    )
    .ok();
    let release = w.p("standby.release");
    vendor_releases(&w, &v, &relreq, &release).ok();
    let out = w
        .desk("standby", &["--json", "import", &release])
        .ok()
        .json();
    assert_eq!(out["files"][0]["status"], "released", "{out}");
    let audit = w.desk("standby", &["audit"]).ok().stdout;
    assert!(
        audit.contains("release-requested") && audit.contains("standby-released"),
        "{audit}"
    );
    let detail = w.desk("standby", &["--json", "show", &base]).ok().json();
    assert!(detail["failovers"][0]["standby"].is_null(), "{detail}");
    // The reseller's desk, which holds the same standby, frees it with the same release.
    let out = w.desk("main", &["--json", "import", &release]).ok().json();
    assert_eq!(out["files"][0]["status"], "released", "{out}");
    let detail = w.desk("main", &["--json", "show", &base]).ok().json();
    assert!(detail["failovers"][0]["standby"].is_null(), "{detail}");

    // Now the new machine takes the FailoverSuite at the vendor.
    let req3 = w.p("new.actreq");
    standby_request(&w, "other", &fo, &["--hwid-file", &new.0], &req3).ok();
    let (run, resp3) = w.activate(&v, &req3);
    run.ok();
    w.desk("other", &["import", &resp3]).ok();
    let detail = w.desk("other", &["--json", "show", &base]).ok().json();
    assert_eq!(
        detail["failovers"][0]["standby"]["hardware_id"],
        new.1.as_str()
    );
    assert_eq!(detail["failovers"][0]["standby"]["status"], "active");

    // A release imported on a desk that did not ask for it is refused, changing nothing.
    let before = w.dump("other");
    // (It was signed before the activation this desk holds: superseded.)
    w.desk("other", &["import", &release])
        .refused("moves forward only");
    assert_eq!(w.dump("other"), before);
    // Only an active standby can be released.
    w.desk(
        "standby",
        &[
            "standby",
            "release-request",
            "--failover",
            &fo,
            "--out",
            &w.p("x.relreq"),
        ],
    )
    .refused("no active standby to release");
}

#[test]
fn a_lost_standby_is_released_by_the_vendor_by_hand_r4() {
    let w = World::new();
    let (v, base, fo) = activated_standby(&w);
    let by_hand = |out: &str| {
        w.issuer(&[
            "release-by-hand",
            "--key",
            &v.key,
            "--ledger",
            &v.ledger,
            "--failover",
            &fo,
            "--reason",
            "standby burnt down, confirmed by the reseller on 2026-11-25",
            "--out",
            out,
        ])
    };
    let release = w.p("by-hand.release");
    let run = by_hand(&release).ok();
    assert!(run.stdout.contains("released by hand"), "{}", run.stdout);
    // A desk that does not hold that standby has nothing to release.
    let before = w.dump("main");
    w.desk("main", &["import", &release])
        .refused("did not write");
    assert_eq!(w.dump("main"), before);
    // The desk that holds it frees it.
    let out = w
        .desk("standby", &["--json", "import", &release])
        .ok()
        .json();
    assert_eq!(out["files"][0]["status"], "released", "{out}");
    let detail = w.desk("standby", &["--json", "show", &base]).ok().json();
    assert!(detail["failovers"][0]["standby"].is_null(), "{detail}");
    // Nothing is held any more: a second release by hand is refused, the ledger unchanged.
    let before = w.ledger_dump(&v);
    by_hand(&w.p("again.release")).refused("nothing to release");
    assert_eq!(w.ledger_dump(&v), before);
    let logged: i64 = rusqlite::Connection::open(&v.ledger)
        .unwrap()
        .query_row(
            "SELECT count(*) FROM ledger_log WHERE action = 'released-by-hand' AND detail LIKE '%burnt down%'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(logged, 1, "the reason is in the ledger's log");
    // A new machine takes the FailoverSuite.
    let (hwid, _) = hwid_file(&w, "replacement", &SigningKey::from_bytes(&[11; 32]));
    let req = w.p("replacement.actreq");
    standby_request(&w, "main", &fo, &["--hwid-file", &hwid], &req).ok();
    let (run, _) = w.activate(&v, &req);
    run.ok();
}

#[test]
fn an_installation_key_others_can_read_is_refused() {
    use std::os::unix::fs::PermissionsExt;
    let w = World::new();
    activated_standby(&w);
    let key = w.path("standby.installation-key");
    assert_eq!(
        std::fs::metadata(&key).unwrap().permissions().mode() & 0o777,
        0o600,
        "the installation key is private to its owner"
    );
    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o644)).unwrap();
    let before = std::fs::read(&key).unwrap();
    let out = w.p("usage.journal");
    w.desk("standby", &["journal", "export", "--out", &out])
        .refused("chmod 600");
    assert!(!w.path("usage.journal").exists());
    assert_eq!(std::fs::read(&key).unwrap(), before);
    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o600)).unwrap();
    w.desk("standby", &["journal", "export", "--out", &out])
        .ok();
}

#[test]
fn a_standby_activated_from_a_resellers_desk_takes_its_activation_on_its_own_desk_r12_r13() {
    // The reseller's desk ("main") registers the standby from the hardware-ID file the standby's
    // own desk ("standby") wrote, asks for the activation and imports it. The standby's desk
    // takes the same response (it certifies that installation's key, on that machine), so it
    // can keep the usage journal that the five-day rule needs.
    let w = World::new();
    let v = w.vendor();
    let (base, bf) = w.issue_base(&v, "Reseller Kunde GmbH", "250", &[]);
    let (fo, ff) = w.issue_failover(&v, &base);
    for desk in ["main", "standby", "other"] {
        w.desk(desk, &["trust", "add", &v.public]).ok();
        w.desk(desk, &["import", &bf, &ff]).ok();
    }
    let hwid = w.p("standby-own.hwid");
    w.desk("standby", &["hwid", "--out", &hwid]).ok();
    w.desk(
        "main",
        &[
            "standby",
            "register",
            "--failover",
            &fo,
            "--hwid-file",
            &hwid,
            "--mode",
            "cold",
        ],
    )
    .ok();
    let req = w.p("reseller.actreq");
    standby_request(&w, "main", &fo, &[], &req).ok();
    let (run, resp) = w.activate(&v, &req);
    run.ok();
    let out = w.desk("main", &["--json", "import", &resp]).ok().json();
    assert_eq!(out["files"][0]["status"], "activated", "{out}");

    // Another installation does not take it, and nothing changes there.
    let before = w.dump("other");
    w.desk("other", &["import", &resp])
        .refused("does not activate this installation");
    assert_eq!(w.dump("other"), before);

    // The standby's own desk takes it.
    let out = w.desk("standby", &["--json", "import", &resp]).ok().json();
    assert_eq!(out["files"][0]["status"], "activated", "{out}");
    let detail = w.desk("standby", &["--json", "show", &fo]).ok().json();
    let standby = &detail["failovers"][0]["standby"];
    assert_eq!(standby["status"], "active", "{detail}");
    assert_eq!(standby["mode"], "cold");
    assert_eq!(
        standby["hardware_id"],
        w.desk("main", &["--json", "show", &fo]).ok().json()["failovers"][0]["standby"]
            ["hardware_id"]
    );
    // Its journal is signed there and verified on the reseller's desk.
    let t0 = now() - 30 * HOUR;
    let file = journal(&w, &[("load", t0), ("idle", t0 + 80 * HOUR / 10)]);
    let out = w.desk("main", &["--json", "import", &file]).ok().json();
    assert_ne!(out["files"][0]["status"], "refused", "{out}");
    let usage = &w.desk("main", &["--json", "show", &fo]).ok().json()["failovers"][0]["usage"];
    assert_eq!(
        usage["evaluation"]["current"]["load_seconds"],
        8 * HOUR,
        "{usage}"
    );
}

fn crlf(file: &str, out: &str) -> String {
    let text = std::fs::read_to_string(file).unwrap();
    std::fs::write(out, text.replace('\n', "\r\n")).unwrap();
    out.to_string()
}

#[test]
fn a_released_standby_is_not_reactivated_by_its_old_response_re_encoded_r4() {
    let w = World::new();
    let (v, base, fo) = activated_standby(&w);
    let release = release_standby(&w, &v, &fo, "first");
    w.desk("standby", &["import", &release]).ok();
    let detail = w.desk("standby", &["--json", "show", &base]).ok().json();
    assert!(detail["failovers"][0]["standby"].is_null(), "{detail}");
    // The customer registers the released machine again, as if to ask for a new activation.
    w.desk(
        "standby",
        &["standby", "register", "--failover", &fo, "--this-machine"],
    )
    .ok();

    // Every response file in the world, re-encoded with CRLF line ends: none re-activates.
    let before = w.dump("standby");
    for entry in std::fs::read_dir(w.path("")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) != Some("actresp") {
            continue;
        }
        let replay = crlf(
            path.to_str().unwrap(),
            &format!("{}.crlf.actresp", path.display()),
        );
        let out = w.desk("standby", &["--json", "import", &replay]).json();
        let status = out["files"][0]["status"].as_str().unwrap_or_default();
        assert!(
            status == "unchanged" || status == "refused",
            "a replayed response was applied: {out}"
        );
    }
    assert_eq!(w.dump("standby"), before);
    let detail = w.desk("standby", &["--json", "show", &base]).ok().json();
    assert_eq!(
        detail["failovers"][0]["standby"]["status"], "pending",
        "{detail}"
    );
    // The release itself, re-encoded, is the same release: already imported.
    let again = crlf(&release, &w.p("release.crlf.release"));
    let out = w.desk("standby", &["--json", "import", &again]).ok().json();
    assert_eq!(out["files"][0]["status"], "unchanged", "{out}");
    assert_eq!(w.dump("standby"), before);
}
