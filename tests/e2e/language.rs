//! The language switch: every visible string, date and number follows it, and it is remembered;
//! a refusal is said in English and in German from its code and values, in full, nothing of it
//! left behind "technical details".

use licdesk_core::{Extension, Role, StandbyMode, Variant};
use licdesk_desk::{Desk, IfExists, MachineChoice};
use licdesk_store::Queries;
use licdesk_tests::app::{App, AppHome};
use licdesk_tests::demo_vendor;

use crate::support::*;

#[test]
fn the_language_switch_changes_every_visible_string_dates_and_numbers_and_is_remembered() {
    let dir = tempfile::tempdir().unwrap();
    let home = AppHome::in_dir(dir.path());
    let demo = demo_vendor(dir.path()).unwrap();
    // Issued in 40 days: the clock banner shows too (the system clock is behind a signed time).
    let issued = licdesk_desk::now().unix() + 40 * 24 * 3600;
    let (mut cert, _) = licdesk_issuer::issue_base(
        &demo,
        "Sprachtest GmbH",
        Variant::Unlimited,
        vec![Extension {
            article: "XOM.11000".into(),
            name: "Fax Gateway".into(),
            quantity: 1500,
        }],
        None,
        1,
    )
    .unwrap();
    cert.issued_at = licdesk_core::Timestamp::from_unix(issued);
    let base = cert.license.clone();
    let mut b = StoreBuilder::new(dir.path(), &home);
    b.import(&licdesk_core::seal(
        licdesk_core::FileKind::BaseCertificate,
        &cert,
        &demo.key,
    ));
    let fo = b.failover(&demo, &base);
    drop(b);
    let (new_cert, new_base) =
        licdesk_issuer::issue_base(&demo, "Neukunde KG", Variant::Users10, vec![], None, 1)
            .unwrap();
    let new_file = write(dir.path(), "neu.lic", &new_base);
    let empty_file = write(dir.path(), "leer.lic", "");
    let (_, other) =
        licdesk_issuer::issue_base(&demo, "Anderer", Variant::Users10, vec![], None, 1).unwrap();
    let mut flipped = other.into_bytes();
    let middle = flipped.len() / 2;
    flipped[middle] ^= 0x04;
    let flipped_file = write(
        dir.path(),
        "kaputt.lic",
        std::str::from_utf8(&flipped).unwrap(),
    );
    let huge = dir.path().join("riesig.lic");
    std::fs::File::create(&huge)
        .unwrap()
        .set_len(50 << 20)
        .unwrap();
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let (y, m, d) = civil_date(issued);
    let date_en = format!("{d} {} {y}", MONTHS[m as usize - 1]);
    let date_de = format!("{d:02}.{m:02}.{y}");
    {
        let app = App::launch(&home);
        wait_rows(&app, 1);

        // 1. The list, the detail panel, the clock banner and an import's results (accepted and
        // refused files).
        let clock = wait_text(&app, "#clock-banner", "system clock is behind");
        assert!(clock.contains(&date_en), "{clock}");
        let detail = open_detail(&app, base.as_str());
        assert!(
            detail.contains(&date_en) && detail.contains("1,500"),
            "{detail}"
        );
        let panel = import_through_picker(&app, &[&new_file, &empty_file, &flipped_file, &huge]);
        assert!(panel.contains("1 of 4 files accepted"), "{panel}");
        // In English the backend's precise sentence follows where it adds something.
        assert!(
            panel.contains("riesig.lic: 52,428,800 bytes"),
            "a localized size: {panel}"
        );
        assert!(
            panel.contains("leer.lic: refused. The file is empty.")
                && !panel.contains("Details: the file is empty"),
            "no detail that repeats the sentence: {panel}"
        );
        assert!(panel.contains("Details:"), "{panel}");
        wait_rows(&app, 2);
        app.shot("language-before-switch");
        no_english_in_german(&app, "list, detail, import results", "licenses-de");
        let head = app.s().text_of("thead").unwrap().to_lowercase();
        assert!(
            head.contains("kunde") && head.contains("benutzer") && head.contains("erweiterungen"),
            "{head}"
        );
        let panel = app.s().text_of("#import-panel").unwrap();
        assert!(
            panel.contains("Import abgeschlossen: 1 von 4 Dateien übernommen.")
                && panel.contains(&format!(
                    "neu.lic: Basislizenz {} importiert.",
                    new_cert.license
                ))
                && panel.contains("leer.lic: abgelehnt. Die Datei ist leer."),
            "{panel}"
        );
        // Numbers in German; the backend's English only behind a closed disclosure.
        assert!(panel.contains("riesig.lic: 52.428.800 Byte"), "{panel}");
        assert!(
            panel.contains("leer.lic: abgelehnt. Die Datei ist leer.")
                && !panel.contains("the file is empty"),
            "the English detail of an empty file says nothing more: {panel}"
        );
        let disclosures = app
            .s()
            .execute(
                "return Array.from(document.querySelectorAll('#import-panel details.tech'))
                   .map((d) => [d.open, d.querySelector('summary').textContent]);",
                vec![],
            )
            .unwrap();
        assert_eq!(
            disclosures,
            serde_json::json!([[false, "Technische Details (auf Englisch)"]]),
            "the signature's English detail, closed"
        );
        let detail = app.s().text_of("#detail").unwrap();
        assert!(
            detail.contains(&date_de) && !detail.contains(&date_en),
            "German date {date_de} expected in: {detail}"
        );
        assert!(
            detail.contains("1.500") && !detail.contains("1,500"),
            "German number expected in: {detail}"
        );
        // The suite's own entitlement names its variant in German too.
        assert!(
            detail.contains("OfficeMaster Suite (ohne Benutzerbegrenzung)")
                && !detail.contains("unlimited users"),
            "{detail}"
        );
        assert!(
            rows(&app).iter().any(|r| r.contains("Fax Gateway ×1.500")),
            "{:?}",
            rows(&app)
        );
        let clock = app.s().text_of("#clock-banner").unwrap();
        assert!(
            clock.contains("Die Systemuhr geht") && clock.contains(&date_de),
            "{clock}"
        );
        click(&app, "#lang-en");

        // 2. The register dialog with a check and an error; then a registration's banner and
        // the standby it registered.
        click(&app, &format!(".register-standby[data-failover='{fo}']"));
        let input = app.s().find("#hwid-input").unwrap();
        app.s().type_text(&input, "ABCD-EFGH-JKMN-PQU2").unwrap();
        wait_text(&app, "#hwid-check", "“U” is not used in hardware IDs");
        click(&app, "#register-submit");
        wait_text(&app, "#register-error", "“U” is not used in hardware IDs");
        no_english_in_german(&app, "register dialog", "register-dialog-de");
        assert_eq!(
            app.s().text_of("#register-heading").unwrap(),
            format!("Standby-System der FailoverSuite {fo} registrieren")
        );
        let error = app.s().text_of("#register-error").unwrap();
        assert!(
            error.contains("„U“ kommt in Hardware-IDs nicht vor"),
            "{error}"
        );
        assert_eq!(
            app.s().text_of("#hwid-file-button").unwrap(),
            "Datei auswählen…"
        );
        assert_eq!(
            app.s().text_of("#hwid-file-name").unwrap(),
            "Keine Datei ausgewählt."
        );
        click(&app, "#lang-en");
        wait_text(
            &app,
            "#register-this-id",
            licdesk_desk::this_machine().unwrap().id.as_str(),
        );
        click(&app, "#source-this");
        click(&app, "#register-submit");
        wait_text(&app, "#status-text", "Next: export the activation request.");
        wait_text(&app, "#detail", "not exported yet");
        no_english_in_german(&app, "a registration's banner", "registered-de");
        wait_text(&app, "#detail", "noch nicht exportiert");
        click(&app, "#lang-en");

        // 3. The export dialog with an error from the backend (English only behind a disclosure).
        // (This machine is now the standby: its own request, as the main system's is not offered.)
        click(&app, &format!(".export-standby[data-failover='{fo}']"));
        let path = app.s().find("#export-path").unwrap();
        app.s()
            .wait_for("a suggested path", WAIT, |s| {
                Ok(s.attribute(&path, "value")?.filter(|v| !v.is_empty()))
            })
            .unwrap();
        app.s().clear(&path).unwrap();
        app.s().type_text(&path, "relative.actreq").unwrap();
        click(&app, "#export-submit");
        wait_text(&app, "#export-error", "not a full path");
        no_english_in_german(&app, "export dialog", "export-dialog-de");
        let error = app.s().text_of("#export-error").unwrap();
        assert!(
            error.starts_with(
                "Der Pfad ist nicht vollständig: Geben Sie ihn ab dem Wurzelverzeichnis an"
            ),
            "{error}"
        );
        let disclosure = app
            .s()
            .execute(
                "const d = document.querySelector('#export-error details.tech');
                 return d && [d.open, d.querySelector('summary').textContent, d.querySelector('[lang=en]').textContent];",
                vec![],
            )
            .unwrap();
        assert_eq!(
            disclosure,
            serde_json::json!([
                false,
                "Technische Details (auf Englisch)",
                r"'relative.actreq' is not a full path: write it from the root, like /home/me/request.actreq or C:\Users\me\request.actreq"
            ])
        );
        click(&app, "#lang-en");
        click(&app, "#export-cancel");

        // 4. This machine, with a copy and a hardware-ID file that cannot be written.
        click(&app, "#tab-machine");
        wait_text(
            &app,
            "#machine-hwid",
            licdesk_desk::this_machine().unwrap().id.as_str(),
        );
        click(&app, "#copy-hwid");
        wait_text(&app, "#copy-status", "Copied to the clipboard.");
        no_english_in_german(&app, "this machine", "this-machine-de");
        wait_text(&app, "#copy-status", "In die Zwischenablage kopiert.");
        click(&app, "#lang-en");

        // 5. The vendor keys.
        click(&app, "#tab-keys");
        wait_text(&app, "#keys-rows", "built into License Desk");
        no_english_in_german(&app, "vendor keys", "vendor-keys-de");
        let keys = wait_text(&app, "#keys-rows", "in License Desk enthalten");
        assert!(!keys.contains("built into"), "{keys}");
    }
    let app = App::launch(&home);
    wait_rows(&app, 2);
    assert!(
        app.s()
            .text_of("thead")
            .unwrap()
            .to_lowercase()
            .contains("kunde"),
        "the language choice was not remembered"
    );
}

#[test]
fn refusals_are_said_in_english_and_german_with_their_values_none_behind_technical_details() {
    let dir = tempfile::tempdir().unwrap();
    let home = AppHome::in_dir(dir.path());
    let demo = demo_vendor(dir.path()).unwrap();
    // Revision 2 of a base license, issued at noon ten days ago, with a FailoverSuite whose
    // standby (this machine) waits for the vendor's response to this desk's request.
    let issued = (licdesk_desk::now().unix() / 86_400 - 10) * 86_400 + 12 * 3600;
    let (mut second, _) = licdesk_issuer::issue_base(
        &demo,
        "Sprachprüfung GmbH",
        Variant::Users25,
        vec![],
        None,
        2,
    )
    .unwrap();
    second.issued_at = licdesk_core::Timestamp::from_unix(issued);
    let base = second.license.clone();
    let mut b = StoreBuilder::new(dir.path(), &home);
    b.import(&licdesk_core::seal(
        licdesk_core::FileKind::BaseCertificate,
        &second,
        &demo.key,
    ));
    let fo = b.failover(&demo, &base);
    b.desk
        .register_standby(&fo, &MachineChoice::ThisMachine, StandbyMode::Cold)
        .unwrap();
    let own_request = dir.path().join("own.actreq");
    let written = b
        .desk
        .write_request(&fo, Role::Standby, None, &own_request, IfExists::Refuse)
        .unwrap();
    drop(b);
    // 1. Revision 1 of that license: older than the one in the store.
    let (_, first) = licdesk_issuer::issue_base(
        &demo,
        "Sprachprüfung GmbH",
        Variant::Users25,
        vec![],
        Some(base.clone()),
        1,
    )
    .unwrap();
    // 2. A FailoverSuite of a base license this store does not hold.
    let (orphan_base, _) =
        licdesk_issuer::issue_base(&demo, "Fremdkunde AG", Variant::Users10, vec![], None, 1)
            .unwrap();
    let (orphan, orphan_text) =
        licdesk_issuer::issue_failover(&demo, &orphan_base.license).unwrap();
    // 3. The vendor's response to another desk's request for the same FailoverSuite.
    let other = dir.path().join("other");
    std::fs::create_dir_all(&other).unwrap();
    let mut other_desk = Desk::open(&other.join("store.sqlite")).unwrap();
    let own = Desk::open(&home.store).unwrap();
    for (i, text) in [
        own.store().base(&base).unwrap().unwrap().certificate_text,
        own.store().failover(&fo).unwrap().unwrap().certificate_text,
    ]
    .iter()
    .enumerate()
    {
        other_desk.import_paths(&[write(&other, &format!("c{i}.lic"), text)]);
    }
    drop(own);
    other_desk
        .register_standby(&fo, &MachineChoice::ThisMachine, StandbyMode::Cold)
        .unwrap();
    let other_request = other.join("other.actreq");
    let other_written = other_desk
        .write_request(&fo, Role::Standby, None, &other_request, IfExists::Refuse)
        .unwrap();
    let (ok, err, other_response) = vendor_activates(dir.path(), &other_request);
    assert!(ok, "{err}");
    // 4. A response to this desk's own request, but for another machine.
    let elsewhere = licdesk_core::Hardware::from_components(
        vec![licdesk_core::Component::from_raw(
            licdesk_core::ComponentKind::MachineId,
            "eine ganz andere Maschine",
        )],
        None,
    );
    let elsewhere_id = elsewhere.id.to_string();
    let for_another_machine = resigned_response(&demo, &other_response, |r| {
        r.request_nonce = written.nonce.clone();
        r.hardware = elsewhere;
    });
    let this_id = licdesk_desk::this_machine().unwrap().id.to_string();
    let files = [
        write(dir.path(), "revision-1.lic", &first),
        write(dir.path(), "ohne-basis.lic", &orphan_text),
        other_response,
        write(dir.path(), "anderer-rechner.actresp", &for_another_machine),
    ];
    let nonce = &other_written.nonce.as_str()[..12];
    let (y, m, d) = civil_date(issued);
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let english = [
        format!(
            "revision-1.lic: refused. This certificate is revision 1 of {base}, but the store already holds revision 2 (issued {d} {} {y}, 12:00), which replaces it. Nothing was changed",
            MONTHS[m as usize - 1]
        ),
        format!(
            "ohne-basis.lic: refused. FailoverSuite {} extends base license {}, which is not in the store: import the base license first",
            orphan.license, orphan_base.license
        ),
        format!("other.actresp: refused. This response answers another request ({nonce}…), not one written by this License Desk"),
        format!(
            "anderer-rechner.actresp: refused. This response was made for another machine. It is for {elsewhere_id}, but the request was for {this_id}: ask the vendor for the response to that request."
        ),
    ];
    let german = [
        format!(
            "revision-1.lic: abgelehnt. Dieses Zertifikat ist Revision 1 von {base}, im Datenbestand liegt aber bereits Revision 2 (ausgestellt am {d:02}.{m:02}.{y}, 12:00), die es ersetzt. Es wurde nichts geändert"
        ),
        format!(
            "ohne-basis.lic: abgelehnt. Die FailoverSuite {} erweitert die Basislizenz {}, die nicht im Datenbestand ist: Importieren Sie zuerst die Basislizenz {}",
            orphan.license, orphan_base.license, orphan_base.license
        ),
        format!("other.actresp: abgelehnt. Diese Antwort gehört zu einer anderen Anfrage ({nonce}…), nicht zu einer aus dieser Installation"),
        format!(
            "anderer-rechner.actresp: abgelehnt. Diese Antwort wurde für einen anderen Rechner erstellt. Sie gilt für {elsewhere_id}, die Anfrage aber für {this_id}: Fordern Sie beim Hersteller die Antwort auf diese Anfrage an."
        ),
    ];

    let app = App::launch(&home);
    wait_rows(&app, 1);
    let paths: Vec<&std::path::Path> = files.iter().map(|p| p.as_path()).collect();
    let panel = import_through_picker(&app, &paths);
    assert!(panel.contains("0 of 4 files accepted"), "{panel}");
    for line in &english {
        assert!(
            panel.contains(line.as_str()),
            "expected “{line}” in {panel}"
        );
    }
    // Each refusal says it all in the sentence: nothing behind a disclosure, in either language.
    let disclosures = "return document.querySelectorAll('#import-panel details').length;";
    assert_eq!(app.s().execute(disclosures, vec![]).unwrap(), 0, "{panel}");
    app.shot("refusals-en");
    no_english_in_german(&app, "refused imports", "refusals-de");
    let panel = app.s().text_of("#import-panel").unwrap();
    for line in &german {
        assert!(
            panel.contains(line.as_str()),
            "expected “{line}” in {panel}"
        );
    }
    assert_eq!(app.s().execute(disclosures, vec![]).unwrap(), 0, "{panel}");
}
