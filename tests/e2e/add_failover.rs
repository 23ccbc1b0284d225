//! Adding a FailoverSuite through the guided dialog: the base license it extends, the standby it
//! will serve, the steps ahead, its certificate imported by its path (the field the native Open
//! dialog fills), a wrong file refused in the user's language, then the standby registered (R2,
//! R4).

use licdesk_core::Variant;
use licdesk_tests::app::App;
use licdesk_tests::app::AppHome;
use licdesk_tests::demo_vendor;

use crate::support::*;

/// The steps of the guided dialog as shown, each with its state (`done`, `current`, `later`).
fn steps(app: &App) -> Vec<(String, String)> {
    let v = app
        .s()
        .execute(
            "return Array.from(document.querySelectorAll('#add-failover-steps li')).map((li) =>
               [li.className.replace('step step-', ''), li.textContent.trim()]);",
            vec![],
        )
        .unwrap();
    v.as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p[0].as_str().unwrap().to_string(),
                p[1].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn submit_path(app: &App, path: &str) {
    let field = app.s().find("#add-failover-path").unwrap();
    app.s().clear(&field).unwrap();
    app.s().type_text(&field, path).unwrap();
    click(app, "#add-failover-submit");
}

#[test]
fn a_failover_suite_is_added_through_the_guided_dialog_and_its_standby_registered_next_r2_r4() {
    let dir = tempfile::tempdir().unwrap();
    let home = AppHome::in_dir(dir.path());
    let demo = demo_vendor(dir.path()).unwrap();
    let mut b = StoreBuilder::new(dir.path(), &home);
    let base = b.base(
        &demo,
        "Ausfallsicher AG",
        Variant::Users250,
        &[("XOM.11000", "Fax Gateway", 2)],
    );
    let other = b.base(&demo, "Andere GmbH", Variant::Users10, &[]);
    drop(b);
    // The vendor's certificates: one for this base license, one for the other.
    let (fo, ft) = licdesk_issuer::issue_failover(&demo, &base).unwrap();
    let (_, foreign) = licdesk_issuer::issue_failover(&demo, &other).unwrap();
    let fo = fo.license;
    let cert = write(dir.path(), "failover.lic", &ft);
    let foreign = write(dir.path(), "foreign.lic", &foreign);
    let app = App::launch(&home);
    let listed = wait_rows(&app, 2);
    assert!(
        !listed.iter().any(|r| r.contains("FailoverSuite")),
        "{listed:?}"
    );
    open_detail(&app, base.as_str());
    click(&app, "#add-failover");
    wait_focus(&app, "add-failover-submit");
    assert_eq!(
        app.s().text_of("#add-failover-heading").unwrap(),
        format!("Add a FailoverSuite to {base}")
    );
    // Which base license it extends: customer, number (with its copy button), users, main system.
    let facts = app.s().text_of("#add-failover-base").unwrap();
    for needle in [
        "Ausfallsicher AG",
        base.as_str(),
        "250 users",
        "not activated yet",
    ] {
        assert!(facts.contains(needle), "{needle} missing: {facts}");
    }
    assert!(!hidden(
        &app,
        &format!("#add-failover-base [data-copy='{base}']")
    ));
    // Which standby it will serve, and what happens next: the import is the step now.
    let standby = app.s().text_of("#add-failover-standby").unwrap();
    assert!(
        standby.starts_with("A FailoverSuite licenses exactly one standby machine (R4)"),
        "{standby}"
    );
    let shown = steps(&app);
    assert_eq!(shown.len(), 4, "{shown:?}");
    assert_eq!(shown[0].0, "current");
    assert!(
        shown[0]
            .1
            .starts_with("Import the FailoverSuite certificate"),
        "{shown:?}"
    );
    assert!(
        shown[1].1.starts_with("Register the standby's hardware ID"),
        "{shown:?}"
    );
    assert!(
        shown[2].1.starts_with("Export the activation request"),
        "{shown:?}"
    );
    assert!(
        shown[3].1.starts_with("Import the vendor's response"),
        "{shown:?}"
    );
    assert_eq!(
        app.s().text_of("#add-failover-submit").unwrap(),
        "Import certificate…"
    );
    assert_eq!(app.s().text_of("#add-failover-choose").unwrap(), "Choose…");
    app.shot("add-failover-dialog");

    let before = store_dump(&home);
    // A path that is not a full one, and a FailoverSuite of another base license: refused, in
    // the user's language, nothing changed.
    submit_path(&app, "failover.lic");
    wait_text(&app, "#add-failover-error", "The path is not complete");
    submit_path(&app, dir.path().to_str().unwrap());
    wait_text(&app, "#add-failover-error", "is a folder, not a file");
    submit_path(&app, dir.path().join("missing.lic").to_str().unwrap());
    wait_text(&app, "#add-failover-error", "The file could not be read");
    submit_path(&app, foreign.to_str().unwrap());
    let error = wait_text(
        &app,
        "#add-failover-error",
        "choose the certificate the vendor issued",
    );
    assert!(
        error.contains(&format!(
            "not {base}: choose the certificate the vendor issued for {base}."
        )),
        "{error}"
    );
    click(&app, "#lang-de");
    let error = wait_text(&app, "#add-failover-error", "Wählen Sie das Zertifikat");
    assert!(
        error.contains(&format!("nicht {base}: Wählen Sie das Zertifikat, das der Hersteller für {base} ausgestellt hat.")),
        "{error}"
    );
    assert!(
        !error.contains("Technische Details"),
        "the refusal is said whole in German: {error}"
    );
    assert_eq!(
        app.s().text_of("#add-failover-heading").unwrap(),
        format!("FailoverSuite zu {base} hinzufügen")
    );
    app.shot("add-failover-dialog-de");
    click(&app, "#lang-en");
    assert_eq!(store_dump(&home), before);

    // The right certificate: added, the window refreshed, and the next step is registering.
    submit_path(&app, cert.to_str().unwrap());
    let done = wait_text(&app, "#add-failover-result", "was added");
    assert_eq!(
        done,
        format!("FailoverSuite {fo} was added to base license {base}. Next: register its standby.")
    );
    assert!(hidden(&app, "#add-failover-error"));
    let shown = steps(&app);
    assert_eq!(shown[0].0, "done");
    assert!(shown[0].1.starts_with("Done:"), "{shown:?}");
    assert_eq!(shown[1].0, "current");
    wait_focus(&app, "add-failover-submit");
    assert_eq!(
        app.s().text_of("#add-failover-submit").unwrap(),
        "Register standby…"
    );
    assert!(hidden(&app, "#add-failover-file"), "the file is imported");
    wait_text(
        &app,
        &format!("section[data-failover='{fo}']"),
        "No standby machine is registered",
    );
    let listed = rows(&app);
    assert!(
        listed
            .iter()
            .any(|r| r.contains("Ausfallsicher AG") && r.contains("FailoverSuite")),
        "{listed:?}"
    );
    app.shot("add-failover-done");

    // The next step, from the dialog: the register dialog of that FailoverSuite.
    click(&app, "#add-failover-submit");
    wait_text(
        &app,
        "#register-heading",
        &format!("Register the standby of FailoverSuite {fo}"),
    );
    assert!(hidden(&app, "#add-failover-dialog"));
    let (file, hwid) = hardware_id_file(dir.path(), "standby");
    let input = app.s().find("#hwid-file").unwrap();
    app.s().type_text(&input, file.to_str().unwrap()).unwrap();
    wait_text(&app, "#hwid-file-name", "Chosen: standby.hwid");
    click(&app, "#register-submit");
    wait_text(&app, "#status-text", "Next: export the activation request.");
    wait_text(&app, &format!("section[data-failover='{fo}']"), &hwid);

    // Opened again: the FailoverSuite it has is named, with its standby (one per standby, R4).
    click(&app, "#add-failover");
    let standby = wait_text(&app, "#add-failover-standby", "already");
    assert!(
        standby.contains(&format!(
            "This base license has 1 FailoverSuite already: {fo} (standby {hwid}). Add another one only for another standby machine."
        )),
        "{standby}"
    );
    // Escape closes it; the focus is back on the button that opened it.
    let field = app.s().find("#add-failover-path").unwrap();
    app.s().type_text(&field, "\u{E00C}").unwrap();
    wait_focus(&app, "add-failover");
}
