//! Activation in the window: scenarios A, B and C by clicking and typing, and an out-of-date
//! standby re-activated and a replaced one released (R4, R5).

use licdesk_core::{Extension, Variant};
use licdesk_tests::app::{App, AppHome};
use licdesk_tests::demo_vendor;

use crate::support::*;

#[test]
fn scenario_a_from_an_empty_store_the_whole_activation_in_the_window() {
    let dir = tempfile::tempdir().unwrap();
    let home = AppHome::in_dir(dir.path());
    let demo = demo_vendor(dir.path()).unwrap();
    let ext = vec![
        Extension {
            article: "XOM.11000".into(),
            name: "Fax Gateway".into(),
            quantity: 2,
        },
        Extension {
            article: "XOM.12000".into(),
            name: "SMS Connector".into(),
            quantity: 1,
        },
    ];
    let (base, bt) =
        licdesk_issuer::issue_base(&demo, "Müller & Söhne GmbH", Variant::Users25, ext, None, 1)
            .unwrap();
    let (fo, ft) = licdesk_issuer::issue_failover(&demo, &base.license).unwrap();
    let base_file = write(dir.path(), "base.lic", &bt);
    let fo_file = write(dir.path(), "failover.lic", &ft);

    let app = App::launch(&home);
    wait_rows(&app, 0);
    // The empty desk points at its own Import button, not at the command line.
    let empty = app.s().text_of("#empty").unwrap();
    assert!(
        empty.contains("“Import files…” button") && !empty.contains("licdesk import"),
        "{empty}"
    );
    let panel = import_through_picker(&app, &[&fo_file, &base_file]);
    assert!(panel.contains("2 of 2 files accepted"), "{panel}");
    assert!(
        panel.contains("FailoverSuite") && panel.contains("added to its base license"),
        "{panel}"
    );
    wait_rows(&app, 1);
    app.shot("scenario-a-imported");
    let detail = open_detail(&app, base.license.as_str());
    assert!(
        detail.contains("No standby machine is registered"),
        "{detail}"
    );
    // The import's results stay while the user works on, until closed.
    assert!(!hidden(&app, "#import-panel"), "the import results went");
    click(&app, "#import-close");
    assert!(hidden(&app, "#import-panel"));
    // The main system's request dialog carries no standby notice.
    click(&app, "#export-main");
    wait_text(&app, "#export-what", "Activates the main system");
    assert_eq!(app.s().text_of("#export-notice").unwrap(), "");
    click(&app, "#export-cancel");
    wait_focus(&app, "export-main");

    // The standby's hardware-ID file, made on that machine (its desk's key is its installation
    // key, which the vendor requires for a standby): the register dialog's default choice.
    let (hwid_file, hwid) = hardware_id_file(dir.path(), "standby");
    register_from_file(
        &app,
        fo.license.as_str(),
        &hwid_file,
        "hot",
        Some("scenario-a-register-dialog"),
    );
    let detail = wait_text(&app, "#detail", &hwid);
    assert!(
        detail.contains("Hot standby") && detail.contains("pending"),
        "{detail}"
    );
    // Registered, not exported yet: said so, not just "pending".
    let standby_block = format!("section[data-failover='{}']", fo.license);
    let request_state = app
        .s()
        .text_of(&format!("{standby_block} .request-state"))
        .unwrap();
    assert_eq!(request_state, "not exported yet");
    let done = wait_text(&app, "#status-text", "registered");
    assert_eq!(
        done,
        format!(
            "Standby {hwid} registered for FailoverSuite {}. Next: export the activation request.",
            fo.license
        )
    );
    // The focus is on that next step's button, not lost with the panel made anew.
    let export_button = format!("export-standby:{}", fo.license);
    wait_focus(&app, &export_button);
    app.shot("scenario-a-registered");

    // The standby's hardware-ID file was made on this very machine: it is now a standby, and a
    // standby is never a main system (R4) — the main system's request is not offered, and says
    // why beside its button.
    let reason = wait_text(
        &app,
        &format!("#why-export_main_request-{}", base.license),
        "and a standby can never be a main system (R4)",
    );
    assert!(
        reason.starts_with(&format!(
            "This machine is the standby of FailoverSuite {}",
            fo.license
        )),
        "{reason}"
    );
    assert!(disabled(&app, "#export-main"));

    let request = dir.path().join("standby.actreq");
    export_request(
        &app,
        fo.license.as_str(),
        &request,
        Some("scenario-a-export-dialog"),
    );
    assert!(std::fs::read_to_string(&request)
        .unwrap()
        .starts_with("-----BEGIN LICDESK ACTIVATION REQUEST-----"));
    // After the export: what to do next, the request's date in the detail, and the focus back
    // on the (re-rendered) button that opened the dialog.
    let next = wait_text(&app, "#status-text", "Next:");
    assert_eq!(
        next,
        format!(
            "The activation request was saved to {}. Next: send this file to the vendor; when the vendor's response arrives, import it with “Import files…”.",
            request.display()
        )
    );
    let request_state = wait_text(
        &app,
        &format!("{standby_block} .request-state"),
        "waiting for the vendor's response",
    );
    assert!(request_state.starts_with("exported on "), "{request_state}");
    wait_focus(&app, &export_button);
    // The list says so too: the standby waits for the vendor (not just "pending").
    let listed = rows(&app).join("\n");
    assert!(
        listed.contains("standby waiting for the vendor") && !listed.contains("standby pending"),
        "{listed}"
    );
    let (ok, err, response) = vendor_activates(dir.path(), &request);
    assert!(ok, "{err}");

    let panel = import_through_picker(&app, &[&response]);
    assert!(panel.contains("1 of 1 files accepted"), "{panel}");
    assert!(hidden(&app, "#status-banner"), "the export's banner stayed");
    // What was activated, said precisely: the standby, its mode, and the main system's three
    // entitlements (the base license and its two extensions) it now carries (R5).
    let activated = format!(
        "standby.actresp: FailoverSuite {} is active on standby {hwid} (hot standby), with 3 entitlements of its main system.",
        fo.license
    );
    assert!(
        panel.contains(&activated),
        "expected '{activated}' in {panel}"
    );
    let detail = wait_text(&app, "#detail", "active");
    assert!(!detail.contains("pending"), "{detail}");
    // R5: the standby carries every entitlement of the main system plus the FailoverSuite.
    click(
        &app,
        &format!(
            "section[data-failover='{}'] details.granted summary",
            fo.license
        ),
    );
    let granted = app
        .s()
        .text_of(&format!(
            "section[data-failover='{}'] details.granted",
            fo.license
        ))
        .unwrap();
    for needle in [
        "OfficeMaster Suite (25 users)",
        "Fax Gateway",
        "SMS Connector",
        "XFM.47000",
    ] {
        assert!(granted.contains(needle), "{needle} missing in {granted}");
    }
    let block = app.s().text_of(&standby_block).unwrap();
    assert!(!block.contains("Activation request"), "answered: {block}");
    app.shot("scenario-a-active");
    let r = rows(&app);
    assert!(r[0].contains("standby active"), "{r:?}");
}

#[test]
fn scenario_b_the_reuse_of_a_standby_for_a_second_failover_suite_is_refused_in_the_window() {
    let dir = tempfile::tempdir().unwrap();
    let home = AppHome::in_dir(dir.path());
    let demo = demo_vendor(dir.path()).unwrap();
    let mut b = StoreBuilder::new(dir.path(), &home);
    let a = b.base(&demo, "Lastverteilung AG", Variant::Unlimited, &[]);
    let fa = b.failover(&demo, &a);
    let bb = b.base(&demo, "Lastverteilung AG", Variant::Unlimited, &[]);
    let fb = b.failover(&demo, &bb);
    drop(b);
    let app = App::launch(&home);
    wait_rows(&app, 2);
    let hwid = typed_hwid("shared standby");
    open_detail(&app, a.as_str());
    register_typed(&app, fa.as_str(), &hwid, "cold", None);
    wait_text(&app, "#detail", &hwid);
    let before = store_dump(&home);
    open_detail(&app, bb.as_str());
    register_typed(
        &app,
        fb.as_str(),
        &hwid,
        "cold",
        Some("scenario-b-register-dialog"),
    );
    let error = wait_text(
        &app,
        "#register-error",
        "needs its own FailoverSuite license",
    );
    assert!(
        error.contains("The licensing rules do not allow this"),
        "{error}"
    );
    app.shot("scenario-b-refused");
    click(&app, "#register-cancel");
    assert_eq!(store_dump(&home), before);
    let detail = detail_text(&app, bb.as_str());
    assert!(
        detail.contains("No standby machine is registered"),
        "{detail}"
    );
}

#[test]
fn scenario_c_a_test_system_is_shown_as_such() {
    let OneFailover {
        dir: _dir,
        base,
        fo,
        app,
    } = one_failover("Dev Labs", Variant::Users10);
    open_detail(&app, base.as_str());
    register_typed(
        &app,
        fo.as_str(),
        &typed_hwid("test system"),
        "test",
        Some("scenario-c-register-dialog"),
    );
    let detail = wait_text(&app, "#detail", "Test and development system");
    assert!(
        detail.contains("standby or test operation only"),
        "R11: {detail}"
    );
}

#[test]
fn an_out_of_date_standby_is_reactivated_and_a_replaced_one_released_in_the_window_r4_r5() {
    let dir = tempfile::tempdir().unwrap();
    let home = AppHome::in_dir(dir.path());
    let demo = demo_vendor(dir.path()).unwrap();
    let (base, bt) =
        licdesk_issuer::issue_base(&demo, "Wachstum GmbH", Variant::Users25, vec![], None, 1)
            .unwrap();
    let (fo, ft) = licdesk_issuer::issue_failover(&demo, &base.license).unwrap();
    let (fo, base) = (fo.license, base.license);
    let app = App::launch(&home);
    wait_rows(&app, 0);
    import_through_picker(
        &app,
        &[
            &write(dir.path(), "b.lic", &bt),
            &write(dir.path(), "f.lic", &ft),
        ],
    );
    wait_rows(&app, 1);
    open_detail(&app, base.as_str());
    // This machine is the standby: its desk's key is the installation key the vendor certifies,
    // so this desk can later ask for the standby's release.
    let old = register_this_machine(&app, fo.as_str(), "cold");
    wait_text(&app, "#detail", &old);
    let req = dir.path().join("first.actreq");
    export_request(&app, fo.as_str(), &req, None);
    let (ok, err, resp) = vendor_activates(dir.path(), &req);
    assert!(ok, "{err}");
    import_through_picker(&app, &[&resp]);
    wait_text(&app, &format!("section[data-failover='{fo}']"), "active");

    // The main system's licenses change: the standby is out of date and offers re-activation.
    let (_, upgraded) = licdesk_issuer::issue_base(
        &demo,
        "Wachstum GmbH",
        Variant::Users250,
        vec![],
        Some(base.clone()),
        2,
    )
    .unwrap();
    import_through_picker(&app, &[&write(dir.path(), "upgrade.lic", &upgraded)]);
    let block = wait_text(
        &app,
        &format!("section[data-failover='{fo}']"),
        "out of date",
    );
    assert!(block.contains("Re-activate"), "{block}");
    let req = dir.path().join("again.actreq");
    export_request(&app, fo.as_str(), &req, Some("reactivation-export-dialog"));
    let (ok, err, resp) = vendor_activates(dir.path(), &req);
    assert!(ok, "{err}");
    import_through_picker(&app, &[&resp]);
    let block = wait_text(&app, &format!("section[data-failover='{fo}']"), "active");
    assert!(!block.contains("out of date"), "{block}");

    // Hardware replaced: release request, the vendor's release, a new standby.
    click(&app, &format!(".release-standby[data-failover='{fo}']"));
    wait_text(&app, "#export-heading", "Export release request");
    // Suggested: named after the customer, the FailoverSuite and the standby it releases.
    let path = app.s().find("#export-path").unwrap();
    let suggested = app
        .s()
        .wait_for("a suggested path", WAIT, |s| {
            Ok(s.attribute(&path, "value")?.filter(|v| !v.is_empty()))
        })
        .unwrap();
    assert!(
        suggested.ends_with(&format!(
            "Wachstum GmbH – {fo} – release standby {}.relreq",
            &old[..4]
        )),
        "{suggested}"
    );
    let notice = app.s().text_of("#export-notice").unwrap();
    assert!(
        notice.contains("standby or test operation only"),
        "R11: {notice}"
    );
    app.s().clear(&path).unwrap();
    let relreq = dir.path().join("standby.relreq");
    app.s().type_text(&path, relreq.to_str().unwrap()).unwrap();
    click(&app, "#export-submit");
    wait_text(&app, "#export-result", "The release request was written to");
    click(&app, "#export-cancel");
    demo_vendor(dir.path()).unwrap();
    let release = dir.path().join("standby.release");
    let out = std::process::Command::new(licdesk_tests::built_binary("licdesk-issuer"))
        .args(["release", "--key"])
        .arg(dir.path().join("demo-vendor.key"))
        .arg("--ledger")
        .arg(dir.path().join("ledger.sqlite"))
        .arg("--request")
        .arg(&relreq)
        .arg("--out")
        .arg(&release)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let panel = import_through_picker(&app, &[&release]);
    assert!(panel.contains("released"), "{panel}");
    let block = wait_text(
        &app,
        &format!("section[data-failover='{fo}']"),
        "No standby machine is registered",
    );
    assert!(!block.contains(&old), "{block}");
    register_typed(&app, fo.as_str(), &typed_hwid("new machine"), "hot", None);
    wait_text(&app, "#detail", &typed_hwid("new machine"));
}
