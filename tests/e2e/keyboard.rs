//! The keyboard: the list one Tab stop with the arrow keys inside (on to the next and previous
//! page, Ctrl+Home and Ctrl+End to the list's ends), the first row within 15 Tab
//! stops in both languages, Tab through the main screen in order with a visible focus of 3:1
//! contrast and every control named, control borders and the selected row of 3:1, Ctrl+F and
//! the toolbar's shortcuts, and modal dialogs that Tab goes round.

use licdesk_core::Variant;
use licdesk_tests::app::{App, AppHome};
use licdesk_tests::demo_vendor;

use crate::support::*;

/// The focused element: its id, its row's license (`row:OMS-…`), or its tag and text.
fn focused_name(app: &App) -> String {
    app.s()
        .execute(
            "const e = document.activeElement;
             if (!e || e === document.body) return 'body';
             if (e.id) return e.id;
             if (e.dataset.license) return 'row:' + e.dataset.license;
             if (e.dataset.order) return 'sort:' + e.dataset.order;
             return e.tagName.toLowerCase() + ':' + e.textContent.trim();",
            vec![],
        )
        .unwrap()
        .as_str()
        .unwrap()
        .to_string()
}

const TAB: &str = "\u{E004}";
const SHIFT: &str = "\u{E008}";
const CONTROL: &str = "\u{E009}";

/// Presses `key` (with `modifiers`) and says where the focus went.
fn press(app: &App, modifiers: &[&str], key: &str) -> String {
    app.s().press(modifiers, key).unwrap();
    focused_name(app)
}

/// A store in `dir` with `n` licenses of customers "`name` 001" … in the list's order (the
/// numbers zero-padded), and their license numbers in that order.
fn numbered_licenses(dir: &std::path::Path, name: &str, n: usize) -> (AppHome, Vec<String>) {
    let home = AppHome::in_dir(dir);
    let demo = demo_vendor(dir).unwrap();
    let mut b = StoreBuilder::new(dir, &home);
    let licenses = (1..=n)
        .map(|i| {
            b.base(&demo, &format!("{name} {i:03}"), Variant::Users10, &[])
                .to_string()
        })
        .collect();
    drop(b);
    (home, licenses)
}

#[test]
fn the_list_is_one_tab_stop_and_the_arrow_keys_move_inside_it_enter_and_space_open() {
    let dir = tempfile::tempdir().unwrap();
    let (home, licenses) = numbered_licenses(dir.path(), "Tastatur", 30);
    let row = |n: usize| format!("row:{}", licenses[n - 1]);
    let app = App::launch(&home);
    wait_rows(&app, 30);
    // Only the first row is in the Tab order; its copy button is not.
    let stops = app
        .s()
        .execute(
            "return Array.from(document.querySelectorAll('#rows [tabindex]'))
               .filter((e) => e.tabIndex >= 0).map((e) => e.dataset.license || e.className);",
            vec![],
        )
        .unwrap();
    assert_eq!(stops, serde_json::json!([licenses[0]]));
    // Tab from the header's sort buttons reaches it; Tab again leaves the list.
    app.s()
        .execute(
            "document.querySelector(\"button.sort[data-order='customer']\").focus();",
            vec![],
        )
        .unwrap();
    assert_eq!(press(&app, &[], TAB), row(1));
    assert_eq!(press(&app, &[], "\u{E015}"), row(2), "Down");
    assert_eq!(press(&app, &[], "\u{E015}"), row(3), "Down");
    assert_eq!(press(&app, &[], "\u{E013}"), row(2), "Up");
    assert_eq!(press(&app, &[], "\u{E010}"), row(30), "End");
    assert_eq!(press(&app, &[], "\u{E011}"), row(1), "Home");
    assert_eq!(
        press(&app, &[], "\u{E013}"),
        row(1),
        "Up at the first row stays"
    );
    let down = press(&app, &[], "\u{E00F}");
    let at = licenses
        .iter()
        .position(|l| down == format!("row:{l}"))
        .unwrap();
    assert!(at >= 3, "Page Down moves a screenful: to row {}", at + 1);
    assert_eq!(press(&app, &[], "\u{E00E}"), row(1), "Page Up");
    assert_eq!(press(&app, &[], "\u{E015}"), row(2));
    // The row moved to is the one Tab stop now: Tab leaves the list, Shift+Tab comes back to it.
    assert_eq!(press(&app, &[], TAB), "page-number");
    assert_eq!(press(&app, &[SHIFT], TAB), row(2));
    // Enter opens the license; the detail panel takes the focus. Escape closes it and the
    // focus is back on its row.
    app.s().press(&[], "\u{E007}").unwrap();
    detail_text(&app, &licenses[1]);
    wait_focus(&app, "detail");
    app.s().press(&[], "\u{E00C}").unwrap();
    app.s()
        .wait_for("the detail to close", WAIT, |s| {
            Ok(s.text_of("#detail")?
                .contains("Select a license")
                .then_some(()))
        })
        .unwrap();
    assert_eq!(focused_name(&app), row(2));
    // Space opens it too.
    assert_eq!(press(&app, &[], "\u{E015}"), row(3));
    app.s().press(&[], " ").unwrap();
    detail_text(&app, &licenses[2]);
    app.shot("keyboard-list");
}

#[test]
fn the_arrow_keys_go_on_to_the_next_and_previous_page_and_ctrl_home_and_end_to_the_lists_ends() {
    let dir = tempfile::tempdir().unwrap();
    // 120 licenses: pages of 50, 50 and 20, in the customers' order.
    let (home, licenses) = numbered_licenses(dir.path(), "Blättern", 120);
    let row = |n: usize| format!("row:{}", licenses[n - 1]);
    let app = App::launch(&home);
    wait_rows(&app, 50);
    let on_page = |app: &App, n: usize| {
        app.s()
            .wait_for(&format!("page {n}"), WAIT, |s| {
                let v = s.execute(
                    "return document.getElementById('page-number').value;",
                    vec![],
                )?;
                Ok((v.as_str() == Some(&n.to_string())).then_some(()))
            })
            .unwrap();
    };
    // The focus on the first page's last row (End); Down goes on to the second page's first.
    app.s()
        .execute(
            "document.querySelector('#rows tr[data-license]').focus();",
            vec![],
        )
        .unwrap();
    assert_eq!(press(&app, &[], "\u{E010}"), row(50), "End");
    app.s().press(&[], "\u{E015}").unwrap();
    on_page(&app, 2);
    wait_focus_on(&app, &row(51));
    // Up at a page's first row goes back to the previous page's last row.
    app.s().press(&[], "\u{E013}").unwrap();
    on_page(&app, 1);
    wait_focus_on(&app, &row(50));
    // Page Down at the last row goes on too; within a page it moves a screenful.
    app.s().press(&[], "\u{E00F}").unwrap();
    on_page(&app, 2);
    wait_focus_on(&app, &row(51));
    // Ctrl+End: the list's last license, on its last page; Down there stays.
    app.s().press(&[CONTROL], "\u{E010}").unwrap();
    on_page(&app, 3);
    wait_focus_on(&app, &row(120));
    assert_eq!(
        press(&app, &[], "\u{E015}"),
        row(120),
        "Down at the list's end stays"
    );
    assert_eq!(app.s().text_of("#page-info").unwrap(), "101–120 of 120");
    // Ctrl+Home: the list's first license; Up there stays.
    app.s().press(&[CONTROL], "\u{E011}").unwrap();
    on_page(&app, 1);
    wait_focus_on(&app, &row(1));
    assert_eq!(
        press(&app, &[], "\u{E013}"),
        row(1),
        "Up at the list's start stays"
    );
    // The row moved to is the list's one Tab stop on its page.
    let stops = app
        .s()
        .execute(
            "return Array.from(document.querySelectorAll('#rows tr[data-license]'))
               .filter((e) => e.tabIndex >= 0).map((e) => e.dataset.license);",
            vec![],
        )
        .unwrap();
    assert_eq!(stops, serde_json::json!([licenses[0]]));
}

/// Waits until the focus is on `name` (as [`focused_name`] says it).
fn wait_focus_on(app: &App, name: &str) {
    app.s()
        .wait_for(&format!("the focus on {name}"), WAIT, |_| {
            Ok((focused_name(app) == name).then_some(()))
        })
        .unwrap();
}

/// The WCAG contrast of two CSS colours, and the colour behind an element (its own background
/// or, where transparent, its ancestors', blended): shared by the scripts below.
const CONTRAST_JS: &str = "
  const rgba = (c) => { const m = c.match(/rgba?\\(([^)]+)\\)/); if (!m) return null;
    const p = m[1].split(',').map((x) => parseFloat(x)); return { r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1 }; };
  const lum = (c) => { const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b); };
  const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
  const behind = (el) => { const layers = [];
    for (let e = el; e; e = e.parentElement) { const c = rgba(getComputedStyle(e).backgroundColor);
      if (c && c.a > 0) { layers.push(c); if (c.a >= 1) break; } }
    let out = { r: 255, g: 255, b: 255 };
    for (const c of layers.reverse()) out = { r: c.r * c.a + out.r * (1 - c.a), g: c.g * c.a + out.g * (1 - c.a), b: c.b * c.a + out.b * (1 - c.a) };
    return out; };
";

/// The focused element's name (its id, its row's license `row:…`, its sort column `sort:…`, or
/// its tag and text), whether its focus can be seen (an outline or box shadow on it, or on the
/// button it is part of), and the contrast of its focus ring with what lies behind the ring (the
/// element's parent for a ring drawn outside, the element for one drawn inside).
fn focus_state(app: &App) -> (String, bool, f64) {
    let script = format!(
        "{CONTRAST_JS}
         const e = document.activeElement;
         if (!e || e === document.body) return ['body', false, 0];
         const shown = e.closest('.file-button') || e;
         const style = getComputedStyle(shown);
         const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
         const shadow = style.boxShadow && style.boxShadow !== 'none';
         const ring = rgba(style.outlineColor);
         const inside = parseFloat(style.outlineOffset) < 0;
         const against = behind(inside ? shown : shown.parentElement);
         const name = e.id || (e.dataset.license ? 'row:' + e.dataset.license
           : e.dataset.order ? 'sort:' + e.dataset.order : e.dataset.copy ? 'copy:' + e.dataset.copy
           : e.tagName.toLowerCase() + ':' + e.textContent.trim());
         return [name, outline || shadow, outline && ring ? ratio(ring, against) : 0];"
    );
    let v = app.s().execute(&script, vec![]).unwrap();
    (
        v[0].as_str().unwrap_or("(nothing)").to_string(),
        v[1].as_bool().unwrap_or(false),
        v[2].as_f64().unwrap_or(0.0),
    )
}

/// Presses Tab from the top of the window (nothing focused) until a row of the list has the
/// focus, and returns every stop on the way; each has a visible focus ring of 3:1 at least.
fn stops_to_the_first_row(app: &App) -> Vec<String> {
    // The focus on the page itself, as when the window has just opened: Tab starts at the top.
    app.s()
        .execute(
            "document.activeElement.blur(); document.body.tabIndex = -1; document.body.focus();
             document.body.removeAttribute('tabindex');",
            vec![],
        )
        .unwrap();
    let mut stops = Vec::new();
    loop {
        app.s().press(&[], TAB).unwrap();
        let (name, visible, contrast) = focus_state(app);
        assert!(visible, "{name} has the focus but no visible focus style");
        assert!(
            contrast >= 3.0,
            "the focus ring of {name} has a contrast of {contrast:.2}:1 with what lies behind it"
        );
        let row = name.starts_with("row:");
        stops.push(name);
        if row || stops.len() > 40 {
            return stops;
        }
    }
}

#[test]
fn tab_reaches_the_first_row_in_at_most_15_stops_in_both_languages_after_refused_files_too() {
    let dir = tempfile::tempdir().unwrap();
    let home = AppHome::in_dir(dir.path());
    let demo = demo_vendor(dir.path()).unwrap();
    let mut b = StoreBuilder::new(dir.path(), &home);
    let first = b.base(&demo, "Erste Reihe GmbH", Variant::Users25, &[]);
    b.base(&demo, "Zweite Reihe GmbH", Variant::Users10, &[]);
    drop(b);
    let app = App::launch(&home);
    wait_rows(&app, 2);
    // The language is one stop: the button of the other language (the one shown is pressed).
    let expected = [
        "lang-de",
        // The screens' tabs are one stop too (the arrow keys move between them).
        "tab-licenses",
        "import-button",
        "filter",
        "attention-filter",
        "sort:customer",
    ];
    let first_row = format!("row:{first}");
    let mut english = expected.map(str::to_string).to_vec();
    english.push(first_row.clone());
    assert_eq!(stops_to_the_first_row(&app), english);
    click(&app, "#lang-de");
    wait_text(&app, "#attention-filter", "Handlungsbedarf");
    let mut german = english.clone();
    german[0] = "lang-en".to_string();
    assert_eq!(stops_to_the_first_row(&app), german, "in German");
    // After an import with refused files, their list stays out of the way.
    let refused: Vec<std::path::PathBuf> = (1..=3)
        .map(|n| write(dir.path(), &format!("kaputt-{n}.lic"), "not a license file"))
        .collect();
    let refused: Vec<&std::path::Path> = refused.iter().map(|p| p.as_path()).collect();
    import_through_picker(&app, &refused);
    for lang in ["de", "en"] {
        click(&app, &format!("#lang-{lang}"));
        let stops = stops_to_the_first_row(&app);
        assert_eq!(stops.last(), Some(&first_row), "{lang}: {stops:?}");
        assert!(
            stops.len() <= 15,
            "{lang}: {} Tab stops before the first row: {stops:?}",
            stops.len() - 1
        );
    }
    app.shot("keyboard-after-refused-files");
}

#[test]
fn control_borders_and_the_selected_rows_mark_have_a_contrast_of_at_least_3_to_1() {
    let OneFailover {
        dir: _dir,
        base,
        app,
        ..
    } = one_failover("Kontrast GmbH", Variant::Users25);
    open_detail(&app, base.as_str());
    // Every enabled text field and bordered button of the header and the list, against what
    // lies around it; the selected row's bar against the row.
    let script = format!(
        "{CONTRAST_JS}
         const controls = Array.from(document.querySelectorAll(
           '.topbar button, .topbar input, .licenses input, .licenses button, .licenses .button'))
           .filter((e) => !e.disabled && e.getClientRects().length > 0)
           .map((e) => e.closest('.file-button') || e);
         const borders = [...new Set(controls)].flatMap((e) => {{
           const s = getComputedStyle(e);
           if (parseFloat(s.borderTopWidth) === 0 || s.borderTopStyle === 'none') return [];
           const border = rgba(s.borderTopColor);
           const inside = rgba(s.backgroundColor);
           // A filled button is seen by its fill; others by their border.
           const edge = inside && inside.a > 0 && ratio(inside, behind(e.parentElement)) >= 3 ? inside : border;
           return [[e.id || e.className || e.tagName, ratio(edge, behind(e.parentElement))]];
         }});
         const row = document.querySelector('#rows tr.selected');
         const bar = getComputedStyle(row.cells[0]).boxShadow.match(/rgba?\\([^)]+\\)/);
         return [borders, bar ? ratio(rgba(bar[0]), behind(row)) : 0];"
    );
    let v = app.s().execute(&script, vec![]).unwrap();
    let borders = v[0].as_array().unwrap();
    assert!(
        borders.len() >= 8,
        "only {} controls measured",
        borders.len()
    );
    let low: Vec<&serde_json::Value> = borders
        .iter()
        .filter(|b| b[1].as_f64().unwrap() < 3.0)
        .collect();
    assert!(low.is_empty(), "controls under 3:1: {low:?}");
    let names: Vec<&str> = borders.iter().filter_map(|b| b[0].as_str()).collect();
    assert!(
        names.contains(&"filter") && names.contains(&"page-number"),
        "{names:?}"
    );
    let bar = v[1].as_f64().unwrap();
    assert!(bar >= 3.0, "the selected row's mark: {bar:.2}:1");
}

#[test]
fn ctrl_f_finds_a_license_and_the_toolbar_shows_and_announces_its_shortcuts() {
    let OneFailover { dir: _dir, app, .. } = one_failover("Suchen & Finden AG", Variant::Users10);
    let filter = app.s().find("#filter").unwrap();
    app.s().type_text(&filter, "Suchen").unwrap();
    app.s()
        .execute("document.activeElement.blur();", vec![])
        .unwrap();
    // Ctrl+F: the filter, its text selected to type over.
    assert_eq!(press(&app, &[CONTROL], "f"), "filter");
    let selected = app
        .s()
        .execute(
            "const f = document.getElementById('filter'); return [f.selectionStart, f.selectionEnd];",
            vec![],
        )
        .unwrap();
    assert_eq!(selected, serde_json::json!([0, 6]));
    // Each toolbar button shows its shortcut and announces it.
    let shortcuts = app
        .s()
        .execute(
            "return ['import-button', 'find-button', 'export-button'].map((id) =>
               document.getElementById(id).getAttribute('aria-keyshortcuts'));",
            vec![],
        )
        .unwrap();
    assert_eq!(
        shortcuts,
        serde_json::json!(["Control+O", "Control+F", "Control+E"])
    );
    let keys = || app.s().text_of("#toolbar").unwrap();
    assert!(
        keys().contains("Ctrl+O") && keys().contains("Ctrl+F") && keys().contains("Ctrl+E"),
        "{}",
        keys()
    );
    click(&app, "#lang-de");
    wait_text(&app, "#toolbar", "Strg+F");
    assert!(
        keys().contains("Strg+O") && keys().contains("Suchen"),
        "{}",
        keys()
    );
    // The toolbar is one Tab stop; the arrow keys move inside it. Find does what Ctrl+F does.
    app.s()
        .execute("document.getElementById('import-button').focus();", vec![])
        .unwrap();
    assert_eq!(press(&app, &[], "\u{E014}"), "import-path-toggle", "Right");
    assert_eq!(press(&app, &[], "\u{E014}"), "find-button", "Right");
    assert_eq!(press(&app, &[], "\u{E012}"), "import-path-toggle", "Left");
    assert_eq!(press(&app, &[], "\u{E014}"), "find-button");
    assert_eq!(press(&app, &[], TAB), "filter", "Tab leaves the toolbar");
    assert_eq!(
        press(&app, &[SHIFT], TAB),
        "find-button",
        "and comes back where it was"
    );
    click(&app, "#find-button");
    wait_focus(&app, "filter");
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

    // Tab through the main screen into the open detail panel: each key press, a real one, moves
    // the focus to the next control, whose focus can be seen. The toolbar, the sort buttons and
    // the list are one stop each.
    let row = format!("row:{base}");
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
    let mut path = Vec::new();
    let mut from_top = stops_to_the_first_row(&app);
    path.append(&mut from_top);
    for _ in 0..6 {
        app.s().press(&[], TAB).unwrap();
        let (name, visible, contrast) = focus_state(&app);
        assert!(visible, "{name} has the focus but no visible focus style");
        assert!(contrast >= 3.0, "{name}: {contrast:.2}:1");
        path.push(name);
    }
    assert_eq!(
        path,
        [
            "lang-de",
            "tab-licenses",
            // The toolbar's stop is where it was left: the path field's button, last used.
            "import-path-toggle",
            "filter",
            "attention-filter",
            "sort:customer",
            row.as_str(),
            "page-number",
            // The detail's header: the license number's copy button, then closing the panel;
            // then the vendor's key ID and the FailoverSuite's license number, each with its
            // copy button. (The main system's request is disabled here — this machine is the
            // standby — so Tab passes it: its reason is written beside it.)
            copy_base.as_str(),
            "detail-close",
            copy_key.as_str(),
            copy_fo.as_str(),
            "add-failover",
        ]
    );

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
            "lang-de",
            "source-file"
        ],
        "the Tab stops of the open dialog"
    );
    // Shift+Tab goes the other way.
    assert_eq!(press(SHIFT_TAB), "source-file");
    assert_eq!(press(SHIFT_TAB), "lang-de");
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

#[test]
fn the_screens_tabs_are_one_tab_stop_and_the_arrow_keys_show_the_next_screen() {
    let OneFailover { dir: _dir, app, .. } = one_failover("Reiter GmbH", Variant::Users10);
    app.s()
        .execute("document.getElementById('tab-licenses').focus();", vec![])
        .unwrap();
    const RIGHT: &str = "\u{E014}";
    const LEFT: &str = "\u{E012}";
    const END: &str = "\u{E010}";
    const HOME: &str = "\u{E011}";
    let shown = |app: &App| -> Vec<bool> {
        ["licenses", "machine", "keys"]
            .iter()
            .map(|v| !hidden(app, &format!("#view-{v}")))
            .collect()
    };
    assert_eq!(press(&app, &[], RIGHT), "tab-machine");
    assert_eq!(shown(&app), [false, true, false]);
    assert_eq!(press(&app, &[], END), "tab-keys");
    assert_eq!(shown(&app), [false, false, true]);
    assert_eq!(
        press(&app, &[], RIGHT),
        "tab-licenses",
        "round to the first"
    );
    assert_eq!(press(&app, &[], LEFT), "tab-keys", "round to the last");
    assert_eq!(press(&app, &[], HOME), "tab-licenses");
    assert_eq!(shown(&app), [true, false, false]);
    // Only the selected tab is in the Tab order.
    let selected = app
        .s()
        .execute(
            "return Array.from(document.querySelectorAll('[role=tab]')).map((t) => [t.getAttribute('aria-selected'), t.tabIndex]);",
            vec![],
        )
        .unwrap();
    assert_eq!(
        selected,
        serde_json::json!([["true", 0], ["false", -1], ["false", -1]])
    );
}
