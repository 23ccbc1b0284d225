//! Importing in the window: every refusal says why and changes nothing; a certificate given by
//! its path (as pasted from a file manager). (Thousands of files, Cancel and a second import
//! while one runs: `bulk_import.rs`.)

use licdesk_core::{StandbyMode, Variant};
use licdesk_desk::{Desk, MachineChoice};
use licdesk_store::Queries;
use licdesk_tests::app::{App, AppHome};
use licdesk_tests::demo_vendor;

use crate::support::*;

#[test]
fn every_refused_import_says_why_and_changes_nothing_on_screen_or_in_the_store() {
    let dir = tempfile::tempdir().unwrap();
    let home = AppHome::in_dir(dir.path());
    let demo = demo_vendor(dir.path()).unwrap();
    let mut b = StoreBuilder::new(dir.path(), &home);
    let base = b.base(&demo, "Refusals GmbH", Variant::Users25, &[]);
    let fo = b.failover(&demo, &base);
    let other_fo = b.failover(&demo, &base);
    b.desk
        .register_standby(&fo, &MachineChoice::ThisMachine, StandbyMode::Cold)
        .unwrap();
    // This desk's own request for that standby, waiting for its response.
    let own_request = dir.path().join("own.actreq");
    let written = b
        .desk
        .write_request(
            &fo,
            licdesk_core::Role::Standby,
            None,
            &own_request,
            licdesk_desk::IfExists::Refuse,
        )
        .unwrap();
    drop(b);
    // Files to refuse.
    let (_, other_base) =
        licdesk_issuer::issue_base(&demo, "Other", Variant::Users10, vec![], None, 1).unwrap();
    let mut flipped = other_base.clone().into_bytes();
    let middle = flipped.len() / 2;
    flipped[middle] ^= 0x04;
    let stranger = licdesk_issuer::keygen(
        &dir.path().join("stranger.key"),
        "Stranger",
        licdesk_issuer::IfExists::Refuse,
    )
    .unwrap();
    let (_, untrusted) =
        licdesk_issuer::issue_base(&stranger, "Stranger's", Variant::Users10, vec![], None, 1)
            .unwrap();
    let (orphan_base, _) =
        licdesk_issuer::issue_base(&demo, "Not imported", Variant::Users10, vec![], None, 1)
            .unwrap();
    let (_, orphan) = licdesk_issuer::issue_failover(&demo, &orphan_base.license).unwrap();
    // A response to a request written by another desk (whose standby is its own machine).
    let other_home = dir.path().join("other");
    std::fs::create_dir_all(&other_home).unwrap();
    let mut other = Desk::open(&other_home.join("store.sqlite")).unwrap();
    let d = Desk::open(&home.store).unwrap();
    let base_cert = d.store().base(&base).unwrap().unwrap().certificate_text;
    let fo_cert = d.store().failover(&fo).unwrap().unwrap().certificate_text;
    drop(d);
    for (i, t) in [base_cert, fo_cert].iter().enumerate() {
        let p = write(&other_home, &format!("c{i}.lic"), t);
        other.import_paths(&[p]);
    }
    other
        .register_standby(&fo, &MachineChoice::ThisMachine, StandbyMode::Cold)
        .unwrap();
    let request = other_home.join("req.actreq");
    other
        .write_request(
            &fo,
            licdesk_core::Role::Standby,
            None,
            &request,
            licdesk_desk::IfExists::Refuse,
        )
        .unwrap();
    let (ok, err, response) = vendor_activates(dir.path(), &request);
    assert!(ok, "{err}");
    // Responses that answer this desk's own request, but for another machine or another license.
    let elsewhere = licdesk_core::Hardware::from_components(
        vec![licdesk_core::Component::from_raw(
            licdesk_core::ComponentKind::MachineId,
            "somewhere else entirely",
        )],
        None,
    );
    let for_another_machine = resigned_response(&demo, &response, |r| {
        r.request_nonce = written.nonce.clone();
        r.hardware = elsewhere;
    });
    let for_another_license = resigned_response(&demo, &response, |r| {
        r.request_nonce = written.nonce.clone();
        r.license = other_fo.clone();
    });
    // Files of kinds that are never imported: a request and a hardware-ID file.
    let (hwid_file, _) = hardware_id_file(dir.path(), "some-standby");

    let huge = dir.path().join("huge.lic");
    std::fs::File::create(&huge)
        .unwrap()
        .set_len(50 << 20)
        .unwrap();
    let cases: Vec<(std::path::PathBuf, &str)> = vec![
        (
            write(
                dir.path(),
                "flipped.lic",
                std::str::from_utf8(&flipped).unwrap_or("x"),
            ),
            "the file was changed after it was signed",
        ),
        (
            write(dir.path(), "untrusted.lic", &untrusted),
            "does not trust",
        ),
        (
            write(dir.path(), "orphan.lic", &orphan),
            "import the base license first",
        ),
        (response, "answers another request"),
        (
            write(dir.path(), "other-machine.actresp", &for_another_machine),
            "This response was made for another machine.",
        ),
        (
            write(dir.path(), "other-license.actresp", &for_another_license),
            "This response is for another license than the request.",
        ),
        (
            own_request.clone(),
            "This kind of file is not imported here.",
        ),
        (hwid_file, "This kind of file is not imported here."),
        (write(dir.path(), "empty.lic", ""), "The file is empty"),
        (
            write(dir.path(), "binary.lic", "\u{0}\u{1}ELF"),
            "not a License Desk file",
        ),
        (huge, "far too large"),
    ];
    let app = App::launch(&home);
    let rows_before = wait_rows(&app, 1);
    let detail_before = open_detail(&app, base.as_str());
    assert!(
        detail_before.contains(fo.as_str()) && detail_before.contains("pending"),
        "{detail_before}"
    );
    let store_before = store_dump(&home);
    for (file, needle) in &cases {
        let panel = import_through_picker(&app, &[file]);
        assert!(
            panel.contains("0 of 1 files accepted"),
            "{}: {panel}",
            file.display()
        );
        assert!(
            panel.contains(needle),
            "{}: expected '{needle}' in {panel}",
            file.display()
        );
        assert_eq!(rows(&app), rows_before, "the list changed");
        assert_eq!(
            app.s().text_of("#detail").unwrap(),
            detail_before,
            "the detail panel changed"
        );
        assert_eq!(store_dump(&home), store_before, "the store changed");
    }
    app.shot("import-refused");
}

#[test]
fn a_certificate_given_by_its_path_is_imported_and_a_standby_registers_from_its_hardware_id_file() {
    let dir = tempfile::tempdir().unwrap();
    let home = AppHome::in_dir(dir.path());
    let demo = demo_vendor(dir.path()).unwrap();
    let mut b = StoreBuilder::new(dir.path(), &home);
    let base = b.base(&demo, "Drop & Drag GmbH", Variant::Users250, &[]);
    drop(b);
    let (fo, ft) = licdesk_issuer::issue_failover(&demo, &base).unwrap();
    let app = App::launch(&home);
    wait_rows(&app, 1);
    // The path as a file manager copies it: in quotes, with blanks around it.
    let file = write(dir.path(), "failover.lic", &ft);
    submit_import_paths(&app, &format!("  \"{}\" ", file.display()));
    let panel = wait_import_summary(&app);
    assert!(panel.contains("1 of 1 files accepted"), "{panel}");
    assert!(panel.contains(fo.license.as_str()), "{panel}");
    open_detail(&app, base.as_str());

    // The standby's hardware-ID file, written by `licdesk hwid --out` on that machine.
    let hwid_file = dir.path().join("standby.hwid");
    let out = std::process::Command::new(licdesk_tests::built_binary("licdesk"))
        .arg("--store")
        .arg(dir.path().join("standby-desk.sqlite"))
        .args(["--json", "hwid", "--out"])
        .arg(&hwid_file)
        .output()
        .unwrap();
    assert!(out.status.success());
    let hwid: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    click(
        &app,
        &format!(".register-standby[data-failover='{}']", fo.license),
    );
    let file_input = app.s().find("#hwid-file").unwrap();
    app.s()
        .type_text(&file_input, &hwid_file.display().to_string())
        .unwrap();
    click(&app, "#source-file");
    click(&app, "#register-submit");
    let detail = wait_text(&app, "#detail", hwid["hardware_id"].as_str().unwrap());
    assert!(
        detail.contains("pending") && detail.contains("Cold standby"),
        "{detail}"
    );
}
