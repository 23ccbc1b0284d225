//! The keyboard: the licenses usable with it alone, Tab through the main screen in order with a
//! visible focus and every control named, and modal dialogs that Tab goes round.

use licdesk_core::Variant;
use licdesk_tests::app::{App, AppHome};
use licdesk_tests::demo_vendor;

use crate::support::*;

#[test]
fn the_licenses_are_usable_with_the_keyboard_alone() {
    let dir = tempfile::tempdir().unwrap();
    let home = AppHome::in_dir(dir.path());
    let demo = demo_vendor(dir.path()).unwrap();
    let mut b = StoreBuilder::new(dir.path(), &home);
    let first = b.base(&demo, "Alpha Keyboard AG", Variant::Users10, &[]);
    b.base(&demo, "Beta Keyboard AG", Variant::Users25, &[]);
    drop(b);
    let app = App::launch(&home);
    wait_rows(&app, 2);
    let row = app
        .s()
        .find(&format!("tr[data-license='{first}']"))
        .unwrap();
    // Enter on a focused row opens its detail; Escape closes it and gives the focus back.
    app.s().type_text(&row, "\u{E007}").unwrap();
    detail_text(&app, first.as_str());
    let focused = app
        .s()
        .execute("return document.activeElement.id;", vec![])
        .unwrap();
    assert_eq!(focused, "detail", "the detail panel takes the focus");
    let panel = app.s().find("#detail").unwrap();
    app.s().type_text(&panel, "\u{E00C}").unwrap();
    app.s()
        .wait_for("the detail to close", WAIT, |s| {
            Ok(s.text_of("#detail")?
                .contains("Select a license")
                .then_some(()))
        })
        .unwrap();
    let focused = app
        .s()
        .execute(
            "return document.activeElement.dataset.license || null;",
            vec![],
        )
        .unwrap();
    assert_eq!(focused, first.as_str());
    // Arrow down moves to the next row.
    let row = app
        .s()
        .find(&format!("tr[data-license='{first}']"))
        .unwrap();
    app.s().type_text(&row, "\u{E015}").unwrap();
    let focused = app
        .s()
        .execute("return document.activeElement.textContent;", vec![])
        .unwrap();
    assert!(
        focused.as_str().unwrap().contains("Beta Keyboard AG"),
        "{focused}"
    );
    // Every control has a label people and screen readers can read.
    let unlabelled = app
        .s()
        .execute(
            "return Array.from(document.querySelectorAll('button, input, select')).filter(e => {
               const text = (e.textContent || '').trim() || e.getAttribute('aria-label') || (e.labels && e.labels.length && e.labels[0].textContent.trim());
               return !text;
             }).map(e => e.id || e.outerHTML.slice(0, 60));",
            vec![],
        )
        .unwrap();
    assert_eq!(
        unlabelled,
        serde_json::json!([]),
        "controls without a label"
    );
}

/// What the focused element is called (its id, or its row's license), and whether its focus can
/// be seen (an outline or a box shadow on it, or on the button it is part of).
const FOCUS_STATE: &str = "const e = document.activeElement;
  if (!e || e === document.body) return null;
  const shown = e.closest('.file-button') || e;
  const style = getComputedStyle(shown);
  const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
  const shadow = style.boxShadow && style.boxShadow !== 'none';
  const name = e.id || (e.dataset.license ? 'row:' + e.dataset.license : e.dataset.copy ? 'copy:' + e.dataset.copy : e.tagName.toLowerCase() + ':' + e.textContent.trim());
  return [name, outline || shadow];";

fn focus_state(app: &App) -> (String, bool) {
    let v = app.s().execute(FOCUS_STATE, vec![]).unwrap();
    (
        v[0].as_str().unwrap_or("(nothing)").to_string(),
        v[1].as_bool().unwrap_or(false),
    )
}

#[test]
fn tab_moves_through_the_main_screen_in_order_with_a_visible_focus_and_every_control_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let home = AppHome::in_dir(dir.path());
    // A FailoverSuite with a standby and a usage journal: the detail panel shows every kind of
    // control, the five-day meter among them.
    let (base, fo, journal) = standby_with_journal(dir.path(), &home, &[("load", 30), ("idle", 2)]);
    let app = App::launch(&home);
    wait_rows(&app, 1);
    open_detail(&app, base.as_str());
    let (hwid_file, _) = hardware_id_file(dir.path(), "keyboard");
    register_from_file(&app, fo.as_str(), &hwid_file, "hot", None);
    wait_text(&app, "#status-text", "registered");
    click(&app, "#status-close");
    assert!(hidden(&app, "#status-banner"));
    let panel = import_through_picker(&app, &[&journal]);
    assert!(panel.contains("evaluated"), "{panel}");
    click(&app, "#import-close");
    assert!(hidden(&app, "#import-panel"));
    wait_text(
        &app,
        &format!("section[data-failover='{fo}']"),
        "Five-day rule",
    );

    // Tab through the main screen, from the first screen button into the open detail panel:
    // each key press, a real one, moves the focus to the next control, whose focus can be seen.
    let row = format!("row:{base}");
    let row_css = format!("tr[data-license='{base}']");
    let selector = |name: &str| {
        if name == row {
            row_css.clone()
        } else if let Some(value) = name.strip_prefix("copy:") {
            format!("#detail [data-copy='{value}']")
        } else {
            format!("#{name}")
        }
    };
    // The vendor's key ID, which the detail shows with its copy button.
    let key_id = app
        .s()
        .execute(
            "return document.querySelector('#detail [data-copy-what=key]').dataset.copy;",
            vec![],
        )
        .unwrap();
    let copy_key = format!("copy:{}", key_id.as_str().unwrap());
    let (copy_base, copy_fo) = (format!("copy:{base}"), format!("copy:{fo}"));
    const TAB: &str = "\u{E004}";
    const SHIFT_TAB: &str = "\u{E008}\u{E004}\u{E000}";
    let steps = [
        ("tab-licenses", TAB, "tab-machine"),
        ("tab-machine", TAB, "tab-keys"),
        ("tab-keys", TAB, "import-button"),
        ("import-button", TAB, "import-path-toggle"),
        ("import-path-toggle", TAB, "lang-en"),
        ("lang-de", SHIFT_TAB, "lang-en"),
        ("lang-en", TAB, "lang-de"),
        ("lang-de", TAB, "filter"),
        ("filter", TAB, row.as_str()),
        // The detail's header: the license number's copy button, then closing the panel; then
        // the vendor's key ID and the FailoverSuite's license number, each with its copy button.
        // (The main system's request is disabled here — this machine is the standby — so Tab
        // passes it: its reason is written beside it.)
        (row.as_str(), TAB, copy_base.as_str()),
        (copy_base.as_str(), TAB, "detail-close"),
        ("detail-close", TAB, copy_key.as_str()),
        (copy_key.as_str(), TAB, copy_fo.as_str()),
        (copy_fo.as_str(), TAB, "add-failover"),
    ];
    for (from, keys, to) in steps {
        let e = app.s().find(&selector(from)).unwrap();
        app.s().type_text(&e, keys).unwrap();
        let (focused, visible) = focus_state(&app);
        assert_eq!(
            focused, to,
            "the key after {from} moved the focus elsewhere"
        );
        assert!(visible, "{to} has the focus but no visible focus style");
    }

    // Every control has an accessible name: the whole window, and the detail panel in particular
    // (its buttons and the five-day chart).
    let (count, unnamed) = unnamed_controls(&app, Some("#detail"));
    assert!(
        count >= 6,
        "only {count} controls found in the detail panel"
    );
    assert_eq!(
        unnamed,
        serde_json::json!([]),
        "unnamed in the detail panel"
    );
    // The five-day chart is an image named by the sentence that says what it shows.
    let name = app
        .s()
        .execute(
            "const svg = document.querySelector(arguments[0]);
             return svg && svg.getAttribute('role') === 'img'
               ? document.getElementById(svg.getAttribute('aria-labelledby')).textContent : null;",
            vec![serde_json::json!(format!(
                "section[data-failover='{fo}'] svg.chart"
            ))],
        )
        .unwrap();
    let name = name.as_str().unwrap_or_default();
    assert!(
        name.contains("load phase from") && name.contains("limit 120 h"),
        "{name}"
    );
    let (_, unnamed) = unnamed_controls(&app, None);
    assert_eq!(unnamed, serde_json::json!([]), "unnamed in the window");
    for (id, name) in [("lang-en", "English"), ("lang-de", "Deutsch")] {
        let button = app.s().find(&format!("#{id}")).unwrap();
        assert_eq!(
            app.s().attribute(&button, "aria-label").unwrap().as_deref(),
            Some(name)
        );
    }
    // The dialogs' controls too.
    click(&app, &format!(".export-standby[data-failover='{fo}']"));
    wait_text(&app, "#export-heading", "Export activation request");
    let (count, unnamed) = unnamed_controls(&app, Some("#export-dialog"));
    assert!(count >= 4, "{count}");
    assert_eq!(
        unnamed,
        serde_json::json!([]),
        "unnamed in the export dialog"
    );
    app.shot("keyboard-focus");
    // Escape closes the dialog and gives the focus back to the button that opened it; the
    // detail panel stays open.
    let path = app.s().find("#export-path").unwrap();
    app.s().type_text(&path, "\u{E00C}").unwrap();
    app.s()
        .wait_for("the dialog to close", WAIT, |s| {
            let e = s.find("#export-dialog")?;
            Ok(s.attribute(&e, "open")?.is_none().then_some(()))
        })
        .unwrap();
    let focused = app
        .s()
        .execute(
            "return document.activeElement.className + ' ' + (document.activeElement.dataset.failover || '');",
            vec![],
        )
        .unwrap();
    assert_eq!(
        focused.as_str().unwrap(),
        format!("button primary export-standby {fo}")
    );
    assert!(app.s().text_of("#detail").unwrap().contains(base.as_str()));
}

#[test]
fn an_open_dialog_is_modal_and_tab_goes_round_it_and_the_language_buttons() {
    let OneFailover {
        dir: _dir,
        base,
        fo,
        app,
    } = one_failover("Modal KG", Variant::Users10);
    open_detail(&app, base.as_str());
    click(&app, &format!(".register-standby[data-failover='{fo}']"));
    wait_focus(&app, "hwid-file-button");
    const INERT: &str = "return ['view-licenses', 'tab-licenses', 'import-button', 'filter', 'lang-de', 'register-dialog']
        .map((id) => Boolean(document.getElementById(id).closest('[inert]')));";
    assert_eq!(
        app.s().execute(INERT, vec![]).unwrap(),
        serde_json::json!([true, true, true, true, false, false]),
        "the page behind the dialog is inert, the language buttons and the dialog are not"
    );
    const TAB: &str = "\u{E004}";
    const SHIFT_TAB: &str = "\u{E008}\u{E004}\u{E000}";
    let press = |keys: &str| {
        let e = app.s().find(&format!("#{}", focused(&app))).unwrap();
        app.s().type_text(&e, keys).unwrap();
        let inside = app
            .s()
            .execute(
                "const e = document.activeElement; return Boolean(e.closest('dialog[open]') || e.closest('.lang'));",
                vec![],
            )
            .unwrap();
        assert_eq!(
            inside,
            true,
            "the focus left the dialog for {}",
            focused(&app)
        );
        focused(&app)
    };
    // Tab goes round: through the dialog, the language buttons, and back to where it began.
    let start = focused(&app);
    let mut round = vec![start.clone()];
    loop {
        let next = press(TAB);
        if next == start {
            break;
        }
        assert!(round.len() < 20, "Tab never came back: {round:?}");
        round.push(next);
    }
    assert_eq!(
        round,
        [
            "hwid-file-button",
            "hwid-input",
            "mode-select",
            "register-cancel",
            "register-submit",
            "lang-en",
            "lang-de",
            "source-file"
        ],
        "the Tab stops of the open dialog"
    );
    // Shift+Tab goes the other way.
    assert_eq!(press(SHIFT_TAB), "source-file");
    assert_eq!(press(SHIFT_TAB), "lang-de");
    assert_eq!(press(SHIFT_TAB), "lang-en");
    assert_eq!(press(SHIFT_TAB), "register-submit");
    app.shot("register-dialog-modal");
    // Escape closes it; the page is live again and the focus back on the opener.
    let e = app.s().find("#register-submit").unwrap();
    app.s().type_text(&e, "\u{E00C}").unwrap();
    wait_focus(&app, &format!("register-standby:{fo}"));
    assert_eq!(
        app.s().execute(INERT, vec![]).unwrap(),
        serde_json::json!([false, false, false, false, false, false])
    );
}
