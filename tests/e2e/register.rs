//! Registering a standby: a typed hardware ID checked as typed, this machine's hardware-ID file,
//! and a standby typed in by its hardware ID that cannot be activated.

use licdesk_core::Variant;
use licdesk_tests::app::{App, AppHome};
use licdesk_tests::demo_vendor;
use std::path::Path;

use crate::support::*;

#[test]
fn a_typed_hardware_id_is_checked_as_typed_and_each_mistake_is_named_precisely() {
    let dir = tempfile::tempdir().unwrap();
    let home = AppHome::in_dir(dir.path());
    let demo = demo_vendor(dir.path()).unwrap();
    let mut b = StoreBuilder::new(dir.path(), &home);
    let base = b.base(&demo, "Tippfehler AG", Variant::Users10, &[]);
    let fo = b.failover(&demo, &base);
    drop(b);
    let good = typed_hwid("typed standby");
    // One character changed: the check characters catch it.
    let first = good.chars().next().unwrap();
    let typo = format!("{}{}", if first == 'A' { 'B' } else { 'A' }, &good[1..]);
    let app = App::launch(&home);
    wait_rows(&app, 1);
    open_detail(&app, base.as_str());
    click(&app, &format!(".register-standby[data-failover='{fo}']"));
    // A typed ID can be recorded, but the vendor needs the standby's installation key.
    let hint = app.s().text_of("#hwid-typed-hint").unwrap();
    assert!(
        hint.contains("a standby known by a typed hardware ID cannot be activated, because the vendor certifies the standby's installation"),
        "{hint}"
    );
    let input = app.s().find("#hwid-input").unwrap();
    let check = |text: &str, expected: &str| {
        app.s().clear(&input).unwrap();
        app.s().type_text(&input, text).unwrap();
        let shown = wait_text(&app, "#hwid-check", expected);
        assert_eq!(shown, expected, "for '{text}'");
        app.s().attribute(&input, "aria-invalid").unwrap()
    };
    let invalid = check(
        "ABCD-EFGH",
        "A hardware ID has 16 characters, like ABCD-EFGH-JKMN-PQ12. You typed 8.",
    );
    assert_eq!(invalid.as_deref(), Some("true"));
    check(
        "ABCD-EFGH-JKMN-PQ1!",
        "“!” is not used in hardware IDs: they use 0–9 and A–Z except I, L, O and U.",
    );
    check(
        &typo,
        "The check characters do not match: a character is mistyped or two are swapped. Compare the ID with the original.",
    );
    let valid = check(&good.to_lowercase(), &format!("Valid hardware ID: {good}"));
    assert_eq!(valid.as_deref(), Some("false"));
    // The same in German, for the ID as it stands and for the next one typed.
    app.s().clear(&input).unwrap();
    app.s().type_text(&input, &typo).unwrap();
    wait_text(&app, "#hwid-check", "The check characters do not match");
    click(&app, "#lang-de");
    wait_text(
        &app,
        "#hwid-check",
        "Die Prüfzeichen stimmen nicht: Ein Zeichen ist vertippt oder zwei sind vertauscht.",
    );
    check(
        "ABCD-EFGH-JKMN",
        "Eine Hardware-ID hat 16 Zeichen, etwa ABCD-EFGH-JKMN-PQ12. Sie haben 12 Zeichen eingegeben.",
    );
    check(
        "UUUU-EFGH-JKMN-PQ12",
        "„U“ kommt in Hardware-IDs nicht vor: Hardware-IDs bestehen aus 0–9 und A–Z ohne I, L, O und U.",
    );
}

#[test]
fn this_machine_saves_its_hardware_id_file_and_a_standby_registered_from_it_is_activated() {
    let OneFailover { dir, base, fo, app } = one_failover("Eigene Datei GmbH", Variant::Users10);
    click(&app, "#tab-machine");
    let this = licdesk_desk::this_machine().unwrap();
    wait_text(&app, "#machine-hwid", this.id.as_str());
    let page = app.s().text_of("#view-machine").unwrap();
    assert!(
        page.contains("save its hardware-ID file below")
            && page.contains("A hardware ID that is only typed in cannot be activated.")
            && !page.contains("Give this hardware ID"),
        "{page}"
    );
    // A suggested place for the file, as the export dialog suggests one for a request.
    let field = app.s().find("#hwfile-path").unwrap();
    let suggested = app
        .s()
        .wait_for("a suggested path", WAIT, |s| {
            Ok(s.attribute(&field, "value")?.filter(|v| !v.is_empty()))
        })
        .unwrap();
    assert!(
        suggested.ends_with(".hwid") && Path::new(&suggested).is_absolute(),
        "{suggested}"
    );
    // "Copied" goes when the next action begins.
    click(&app, "#copy-hwid");
    wait_text(&app, "#copy-status", "Copied to the clipboard.");
    let out = dir.path().join("this-machine.hwid");
    app.s().clear(&field).unwrap();
    app.s()
        .type_text(&field, &out.display().to_string())
        .unwrap();
    click(&app, "#hwfile-save");
    let done = wait_text(&app, "#hwfile-result", "was written to");
    assert_eq!(
        done,
        format!(
            "The hardware-ID file was written to {}. Take it to the License Desk that holds the FailoverSuite and load it in “Register standby…”.",
            out.display()
        )
    );
    assert_eq!(
        app.s().text_of("#copy-status").unwrap(),
        "",
        "the copy's message stayed"
    );
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(
        text.starts_with("-----BEGIN LICDESK HARDWARE ID-----"),
        "{text}"
    );
    // A second save to the same path is refused (the file stays), and says so.
    click(&app, "#hwfile-save");
    wait_text(&app, "#hwfile-error", "The file already exists.");
    assert!(hidden(&app, "#hwfile-result"), "the earlier result stayed");
    assert_eq!(std::fs::read_to_string(&out).unwrap(), text);
    app.shot("this-machine-hardware-id-file");

    // Registered from that file, the standby is activated like any other.
    click(&app, "#tab-licenses");
    open_detail(&app, base.as_str());
    register_from_file(&app, fo.as_str(), &out, "cold", None);
    wait_text(&app, "#status-text", "Next: export the activation request.");
    wait_focus(&app, &format!("export-standby:{fo}"));
    let request = dir.path().join("this-machine.actreq");
    export_request(&app, fo.as_str(), &request, None);
    let (ok, err, response) = vendor_activates(dir.path(), &request);
    assert!(ok, "{err}");
    let panel = import_through_picker(&app, &[&response]);
    assert!(
        panel.contains(&format!(
            "FailoverSuite {fo} is active on standby {}",
            this.id
        )),
        "{panel}"
    );
}

#[test]
fn a_standby_typed_in_by_its_hardware_id_is_recorded_but_says_it_cannot_be_activated() {
    let OneFailover { dir, base, fo, app } = one_failover("Getippt AG", Variant::Users10);
    open_detail(&app, base.as_str());
    let hwid = typed_hwid("typed only");
    register_typed(
        &app,
        fo.as_str(),
        &hwid,
        "cold",
        Some("typed-register-dialog"),
    );
    let banner = wait_text(&app, "#status-text", "cannot be activated");
    assert_eq!(
        banner,
        format!(
            "Standby {hwid} recorded for FailoverSuite {fo}. A standby known only by its typed hardware ID cannot be activated: register it again from its hardware-ID file."
        )
    );
    let section = format!("section[data-failover='{fo}']");
    wait_text(&app, &section, &hwid);
    // Its export is there, but disabled, with why beside it.
    let reason = wait_text(
        &app,
        &format!("#why-export_standby_request-{fo}"),
        "was registered from a typed hardware ID, which cannot be activated",
    );
    assert_eq!(
        reason,
        format!("The standby {hwid} was registered from a typed hardware ID, which cannot be activated: register it again from its hardware-ID file (made on the standby: This machine → “Save hardware-ID file…”), or choose “This machine” when registering on the standby itself.")
    );
    assert!(disabled(
        &app,
        &format!(".export-standby[data-failover='{fo}']")
    ));
    assert_eq!(
        app.s()
            .text_of(&format!("{section} .request-state"))
            .unwrap(),
        "cannot be written for a typed hardware ID"
    );
    // The next step is registering it again: its button has the focus.
    wait_focus(&app, &format!("register-standby:{fo}"));
    app.shot("typed-standby");
    click(&app, "#lang-de");
    wait_text(&app, &section, "kann so nicht aktiviert werden");
    assert_eq!(
        app.s()
            .text_of(&format!("{section} .request-state"))
            .unwrap(),
        "für eine eingegebene Hardware-ID nicht möglich"
    );
    wait_text(&app, "#status-text", "kann nicht aktiviert werden");
    click(&app, "#lang-en");

    // Registered again from its hardware-ID file, it can be activated.
    let (file, real) = hardware_id_file(dir.path(), "typed-then-file");
    register_from_file(&app, fo.as_str(), &file, "cold", None);
    wait_text(&app, "#status-text", "Next: export the activation request.");
    wait_focus(&app, &format!("export-standby:{fo}"));
    let block = wait_text(&app, &section, &real);
    assert!(!block.contains("cannot be activated"), "{block}");
    assert!(!disabled(
        &app,
        &format!(".export-standby[data-failover='{fo}']")
    ));
    assert_eq!(
        app.s()
            .text_of(&format!("{section} .request-state"))
            .unwrap(),
        "not exported yet"
    );
}
