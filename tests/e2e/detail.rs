//! The detail panel: a header that nothing scrolls over or beside and that never hides the
//! focus, copy buttons on every license number, hardware ID and key ID, actions disabled with
//! their reason where they cannot succeed, Ctrl+E, and a store that cannot be opened.

use licdesk_core::Variant;
use licdesk_tests::app::{App, AppHome};
use licdesk_tests::demo_vendor;

use crate::support::*;

/// Where the detail panel's header ends (its bottom edge, in the window).
fn header_bottom(app: &App) -> f64 {
    app.s()
        .execute(
            "return document.querySelector('#detail .detail-head').getBoundingClientRect().bottom;",
            vec![],
        )
        .unwrap()
        .as_f64()
        .unwrap()
}

#[test]
fn the_details_header_stays_in_view_covers_nothing_and_never_hides_the_focus() {
    let dir = tempfile::tempdir().unwrap();
    let home = AppHome::in_dir(dir.path());
    let demo = demo_vendor(dir.path()).unwrap();
    let mut b = StoreBuilder::new(dir.path(), &home);
    let base = b.base(
        &demo,
        "Lange Detailansicht Gesellschaft für Ausfallsicherheit mbH",
        Variant::Users250,
        &[
            ("XOM.11000", "Fax Gateway", 2),
            ("XOM.12000", "SMS Connector", 1),
        ],
    );
    // Three FailoverSuites: a detail far taller than its panel.
    for _ in 0..3 {
        b.failover(&demo, &base);
    }
    drop(b);
    let app = App::launch(&home);
    wait_rows(&app, 1);
    open_detail(&app, base.as_str());
    // Scrolled half-way: every point of the header is the header's (no column head of the
    // entitlements, no block of the content over it), and nothing shows beside it.
    let over = app
        .s()
        .execute(
            "const panel = document.getElementById('detail');
             panel.scrollTop = (panel.scrollHeight - panel.clientHeight) / 2;
             const head = panel.querySelector('.detail-head').getBoundingClientRect();
             const box = panel.getBoundingClientRect();
             const out = [];
             for (const x of [box.left + 2, box.left + 8, (box.left + box.right) / 2, box.right - 20]) {
               for (const y of [head.top + 1, (head.top + head.bottom) / 2, head.bottom - 1]) {
                 const e = document.elementFromPoint(x, y);
                 if (!e || !e.closest('.detail-head, #detail') || (e.closest('#detail') && !e.closest('.detail-head') && e !== panel))
                   out.push([x, y, e ? e.outerHTML.slice(0, 80) : null]);
               }
             }
             return [panel.scrollTop > 0, out];",
            vec![],
        )
        .unwrap();
    assert_eq!(over[0], true, "the panel did not scroll: {over}");
    // The panel is no live region (a screen reader would read all of it on every change): only
    // status messages are.
    let live = app
        .s()
        .execute(
            "return Array.from(document.querySelectorAll('#detail, #detail [aria-live]'))
               .filter((e) => e.closest('[aria-live]')).length;",
            vec![],
        )
        .unwrap();
    assert_eq!(live, 0, "a live region in the detail panel");
    assert_eq!(over[1], serde_json::json!([]), "covering the header");
    app.shot("detail-scrolled");
    // From the panel's last control backwards with Shift+Tab, as a keyboard user goes: each
    // control that gets the focus is scrolled clear of the header, never under it.
    let last = app
        .s()
        .execute(
            "const all = Array.from(document.querySelectorAll('#detail button:not([disabled]), #detail summary'));
             const e = all[all.length - 1]; e.focus(); return all.length;",
            vec![],
        )
        .unwrap();
    assert!(last.as_u64().unwrap() > 10, "{last}");
    const SHIFT_TAB: &str = "\u{E008}\u{E004}\u{E000}";
    for step in 0..12 {
        // The focused control, marked to be found (keys go to an element found by a selector).
        let focused = app
            .s()
            .execute(
                "document.querySelectorAll('[data-e2e-focus]').forEach((e) => e.removeAttribute('data-e2e-focus'));
                 const e = document.activeElement; e.setAttribute('data-e2e-focus', '');
                 return e.outerHTML.slice(0, 100);",
                vec![],
            )
            .unwrap();
        let element = app.s().find("[data-e2e-focus]").unwrap();
        app.s().type_text(&element, SHIFT_TAB).unwrap();
        let top = app
            .s()
            .execute(
                "const e = document.activeElement;
                 if (!e.closest('#detail')) return null;
                 return e.closest('.detail-head') ? 1e9 : e.getBoundingClientRect().top;",
                vec![],
            )
            .unwrap();
        // Out of the panel: done. In its header: the header itself, in view.
        let Some(top) = top.as_f64() else { break };
        let head = header_bottom(&app);
        assert!(
            top >= head - 0.5,
            "step {step}: the focus ({focused}) is under the header: {top} < {head}"
        );
    }
}

#[test]
fn every_license_number_hardware_id_and_key_id_in_the_detail_has_its_copy_button() {
    let dir = tempfile::tempdir().unwrap();
    let home = AppHome::in_dir(dir.path());
    let demo = demo_vendor(dir.path()).unwrap();
    let mut b = StoreBuilder::new(dir.path(), &home);
    let base = b.base(&demo, "Kopierbar GmbH", Variant::Users10, &[]);
    let fo = b.failover(&demo, &base);
    drop(b);
    let app = App::launch(&home);
    wait_rows(&app, 1);
    open_detail(&app, base.as_str());
    let (file, hwid) = hardware_id_file(dir.path(), "standby");
    register_from_file(&app, fo.as_str(), &file, "cold", None);
    wait_text(&app, "#detail", &hwid);
    // Every identifier the panel shows, found in its text, has a button that copies it and says
    // what it copies.
    let missing = app
        .s()
        .execute(
            "const panel = document.getElementById('detail');
             const text = panel.innerText;
             const ids = new Set(text.match(/\\b(OMS|XFM)-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{2}\\b|\\b[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}\\b|\\bvk-[0-9a-f]{16}\\b/g));
             const out = [];
             for (const id of ids) {
               const b = panel.querySelector(`button[data-copy='${id}']`);
               if (!b || !b.getAttribute('aria-label').endsWith(id)) out.push(id);
             }
             return [ids.size, out];",
            vec![],
        )
        .unwrap();
    assert_eq!(missing[1], serde_json::json!([]), "without a copy button");
    assert!(missing[0].as_u64().unwrap() >= 4, "{missing}");
    let label = |css: &str| {
        let b = app.s().find(css).unwrap();
        app.s().attribute(&b, "aria-label").unwrap().unwrap()
    };
    assert_eq!(
        label(&format!("#detail .license-no [data-copy='{base}']")),
        format!("Copy license number {base}")
    );
    assert_eq!(
        label(&format!("#detail [data-copy='{hwid}']")),
        format!("Copy hardware ID {hwid}")
    );
    click(&app, "#lang-de");
    wait_text(&app, "#detail", "Variante");
    assert_eq!(
        label(&format!("#detail [data-copy='{fo}']")),
        format!("Lizenznummer {fo} kopieren")
    );
}

/// The reason written beside the disabled action `action` on `license` (its button disabled).
fn unavailable(app: &App, action: &str, license: &str, needle: &str) -> String {
    let reason = wait_text(app, &format!("#why-{action}-{license}"), needle);
    let described = app
        .s()
        .execute(
            "const b = document.querySelector(`#detail button[aria-describedby='${arguments[0]}']`);
             return Boolean(b && b.disabled);",
            vec![serde_json::json!(format!("why-{action}-{license}"))],
        )
        .unwrap();
    assert_eq!(
        described, true,
        "{action} is not disabled and described by its reason"
    );
    reason
}

/// Presses Ctrl+E (W3C key codes: Control, e, release).
fn ctrl_e(app: &App) {
    let body = app.s().find("body").unwrap();
    app.s().type_text(&body, "\u{E009}e\u{E000}").unwrap();
}

#[test]
fn actions_that_cannot_succeed_are_disabled_with_their_reason_and_ctrl_e_opens_the_next_export_r4_r5(
) {
    let dir = tempfile::tempdir().unwrap();
    let home = AppHome::in_dir(dir.path());
    let demo = demo_vendor(dir.path()).unwrap();
    let (base_cert, bt) =
        licdesk_issuer::issue_base(&demo, "Handlungen GmbH", Variant::Users25, vec![], None, 1)
            .unwrap();
    let (fo_cert, ft) = licdesk_issuer::issue_failover(&demo, &base_cert.license).unwrap();
    let (base, fo) = (base_cert.license, fo_cert.license);
    let mut b = StoreBuilder::new(dir.path(), &home);
    b.import(&bt);
    b.import(&ft);
    drop(b);
    let app = App::launch(&home);
    wait_rows(&app, 1);
    // Nothing open: Ctrl+E says what it needs.
    ctrl_e(&app);
    wait_text(
        &app,
        "#status-text",
        "Open a license first: Ctrl+E exports its next activation request.",
    );
    open_detail(&app, base.as_str());
    // No standby yet: its request cannot be exported, and says why.
    let reason = unavailable(&app, "export_standby_request", fo.as_str(), "first");
    assert_eq!(reason, "Register the standby machine first.");

    // Registered from its hardware-ID file (made on another desk: another installation).
    let (file, hwid) = hardware_id_file(dir.path(), "standby");
    register_from_file(&app, fo.as_str(), &file, "hot", None);
    wait_text(&app, "#status-text", "Next: export the activation request.");
    // Ctrl+E opens the next export: the standby's request, as its button does.
    ctrl_e(&app);
    wait_text(
        &app,
        "#export-what",
        &format!("Activates the standby {hwid}"),
    );
    let request = dir.path().join("standby.actreq");
    let path = app.s().find("#export-path").unwrap();
    app.s().clear(&path).unwrap();
    app.s().type_text(&path, request.to_str().unwrap()).unwrap();
    click(&app, "#export-submit");
    wait_text(&app, "#export-result", "The request was written to");
    click(&app, "#export-cancel");
    wait_focus(&app, &format!("export-standby:{fo}"));
    let (ok, err, response) = vendor_activates(dir.path(), &request);
    assert!(ok, "{err}");
    import_through_picker(&app, &[&response]);
    wait_text(&app, &format!("section[data-failover='{fo}']"), "active");

    // Active: no new request (until the main system changes), no other standby (R4), and no
    // release from this desk, which is not that standby's installation.
    let active = unavailable(&app, "export_standby_request", fo.as_str(), "Active since");
    assert!(
        active.ends_with(": a new request is needed only once the main system's licenses change."),
        "{active}"
    );
    let taken = unavailable(&app, "register_standby", fo.as_str(), &hwid);
    assert_eq!(
        taken,
        format!("The FailoverSuite is activated for the standby {hwid}: another machine only after the vendor has released it (R4).")
    );
    let release = unavailable(&app, "release_standby", fo.as_str(), &hwid);
    assert!(
        release.starts_with(&format!(
            "Only the standby {hwid} itself can ask for its release"
        )),
        "{release}"
    );
    scroll_into_view(&app, &format!("section[data-failover='{fo}'] .actions"));
    app.shot("detail-actions-unavailable");
    // Ctrl+E has nothing to open, and says why: the first export's reason.
    ctrl_e(&app);
    let said = wait_text(&app, "#status-text", "There is nothing to export");
    assert!(
        said.starts_with(&format!(
            "There is nothing to export for {base} now. Active since "
        )),
        "{said}"
    );
    assert!(hidden(&app, "#export-dialog"), "a dialog opened");
    // The same in German.
    click(&app, "#lang-de");
    let reason = wait_text(
        &app,
        &format!("#why-export_standby_request-{fo}"),
        "Aktiv seit",
    );
    assert!(
        reason.contains("erst nötig, wenn sich die Lizenzen des Hauptsystems ändern"),
        "{reason}"
    );
    wait_text(
        &app,
        "#status-text",
        &format!("Für {base} ist derzeit nichts zu exportieren."),
    );
    click(&app, "#lang-en");

    // The main system's licenses change: the re-activation is offered again (R5), and Ctrl+E
    // opens it.
    let (_, upgraded) = licdesk_issuer::issue_base(
        &demo,
        "Handlungen GmbH",
        Variant::Users250,
        vec![],
        Some(base.clone()),
        2,
    )
    .unwrap();
    import_through_picker(&app, &[&write(dir.path(), "upgrade.lic", &upgraded)]);
    wait_text(
        &app,
        &format!("section[data-failover='{fo}']"),
        "out of date",
    );
    assert!(!disabled(
        &app,
        &format!(".export-standby[data-failover='{fo}']")
    ));
    assert_eq!(
        app.s()
            .text_of(&format!(".export-standby[data-failover='{fo}']"))
            .unwrap(),
        "Re-activate: export activation request…"
    );
    ctrl_e(&app);
    wait_text(
        &app,
        "#export-what",
        &format!("Activates the standby {hwid}"),
    );
    click(&app, "#export-cancel");
}
