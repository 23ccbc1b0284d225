//! The licenses list: what the window shows of a store, filtering as you type, paging, a hostile
//! customer name shown as text, and a store of a newer version.

use licdesk_core::{StandbyMode, Variant};
use licdesk_tests::app::{App, AppHome};
use licdesk_tests::demo_vendor;

use crate::support::*;

#[test]
fn the_window_shows_the_stores_licenses_with_variant_extensions_failover_and_demo_mark() {
    let dir = tempfile::tempdir().unwrap();
    let home = AppHome::in_dir(dir.path());
    let demo = demo_vendor(dir.path()).unwrap();
    let mut b = StoreBuilder::new(dir.path(), &home);
    let real = b.trusted_vendor();
    let mueller = b.base(
        &demo,
        "Müller & Söhne GmbH",
        Variant::Users25,
        &[("XOM.11000", "Fax Gateway", 2)],
    );
    let fo = b.failover(&demo, &mueller);
    let standby = licdesk_core::Hardware::from_components(
        vec![licdesk_core::Component::from_raw(
            licdesk_core::ComponentKind::MachineId,
            "e2e standby",
        )],
        Some("standby-1".into()),
    );
    b.desk
        .register_standby_hardware(&fo, standby, StandbyMode::Hot)
        .unwrap();
    b.base(&real, "Acme Unlimited Ltd", Variant::Unlimited, &[]);
    drop(b);

    let app = App::launch(&home);
    let r = wait_rows(&app, 2);
    assert!(
        r[0].contains("Acme Unlimited Ltd") && r[0].contains("Unlimited"),
        "{r:?}"
    );
    assert!(
        !r[0].contains("DEMO"),
        "a real vendor's license carries no DEMO mark: {r:?}"
    );
    assert!(
        r[1].contains("Müller & Söhne GmbH") && r[1].contains("DEMO"),
        "{r:?}"
    );
    assert!(r[1].contains("Fax Gateway ×2"), "{r:?}");
    // The users column says the variant in few words; its title in full (R1).
    let users = app
        .s()
        .execute(
            "return Array.from(document.querySelectorAll('#rows td.users')).map((c) => [c.textContent, c.title]);",
            vec![],
        )
        .unwrap();
    assert_eq!(
        users,
        serde_json::json!([["Unlimited", "Unlimited users"], ["25", "25 users"]])
    );
    assert!(
        r[1].contains("FailoverSuite") && r[1].contains("standby pending"),
        "R2: {r:?}"
    );
    assert!(app.s().text_of("#count").unwrap().contains("2 licenses"));
    app.shot("licenses");

    // The detail panel: entitlements, the standby with its mode, and the R11 notice.
    let row = app
        .s()
        .find(&format!("tr[data-license='{mueller}'] td"))
        .unwrap();
    app.s().click(&row).unwrap();
    let detail = app
        .s()
        .wait_for("the detail panel", WAIT, |s| {
            let t = s.text_of("#detail")?;
            Ok(t.to_lowercase().contains("entitlements").then_some(t))
        })
        .unwrap();
    assert!(
        detail.contains("standby or test operation only"),
        "R11: {detail}"
    );
    assert!(
        detail.contains("Hot standby") && detail.contains(fo.as_str()),
        "{detail}"
    );
    assert!(
        detail.contains("Fax Gateway") && detail.contains("OfficeMaster Suite (25 users)"),
        "{detail}"
    );
    app.shot("license-detail");
}

#[test]
fn typing_in_the_filter_narrows_the_list_as_you_type() {
    let dir = tempfile::tempdir().unwrap();
    let home = AppHome::in_dir(dir.path());
    let demo = demo_vendor(dir.path()).unwrap();
    let mut b = StoreBuilder::new(dir.path(), &home);
    for name in [
        "Müller Bau",
        "Mueller Logistics",
        "Schmidt & Co",
        "Zahnarztpraxis Dr. Müller",
    ] {
        b.base(&demo, name, Variant::Users10, &[]);
    }
    drop(b);
    let app = App::launch(&home);
    wait_rows(&app, 4);
    let filter = app.s().find("#filter").unwrap();
    app.s().type_text(&filter, "MÜLLER").unwrap();
    let r = wait_rows(&app, 2);
    assert!(r.iter().all(|row| row.contains("Müller")), "{r:?}");
    assert!(app.s().text_of("#count").unwrap().contains("2 licenses"));
    app.s().clear(&filter).unwrap();
    app.s().type_text(&filter, "nobody-has-this-name").unwrap();
    wait_rows(&app, 0);
    let empty = app.s().text_of("#empty").unwrap();
    assert!(empty.contains("No license matches"), "{empty}");
    app.shot("filter-empty");
}

#[test]
fn a_hostile_customer_name_is_shown_as_text_and_runs_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let home = AppHome::in_dir(dir.path());
    let demo = demo_vendor(dir.path()).unwrap();
    let hostile = "<img src=x onerror=alert(1)>";
    let mut b = StoreBuilder::new(dir.path(), &home);
    let license = b.base(
        &demo,
        hostile,
        Variant::Users10,
        &[("XOM.1", "<b>bold</b>", 1)],
    );
    drop(b);
    let app = App::launch(&home);
    let r = wait_rows(&app, 1);
    assert!(r[0].contains(hostile), "{r:?}");
    assert!(r[0].contains("<b>bold</b>"), "{r:?}");
    let row = app
        .s()
        .find(&format!("tr[data-license='{license}'] td"))
        .unwrap();
    app.s().click(&row).unwrap();
    app.s()
        .wait_for("the detail panel", WAIT, |s| {
            Ok(s.text_of("#detail-heading")?
                .contains(hostile)
                .then_some(()))
        })
        .unwrap();
    let injected = app
        .s()
        .execute("return document.querySelectorAll('img, b').length;", vec![])
        .unwrap();
    assert_eq!(injected, 0, "markup from a file must never become elements");
}

#[test]
fn a_store_from_a_newer_version_shows_the_reason_instead_of_crashing() {
    let dir = tempfile::tempdir().unwrap();
    let home = AppHome::in_dir(dir.path());
    {
        let conn = rusqlite::Connection::open(&home.store).unwrap();
        conn.pragma_update(None, "user_version", 999).unwrap();
    }
    let app = App::launch(&home);
    // The Licenses screen says what went wrong and what to do (store_error.rs has the rest).
    let state = wait_text(&app, "#store-error", "newer License Desk");
    assert!(
        state.contains("Install that version of License Desk"),
        "{state}"
    );
    app.shot("store-error");
    // It follows a language switch.
    click(&app, "#lang-de");
    let state = wait_text(
        &app,
        "#store-error-title",
        "Der Datenbestand wurde von einer neueren Version von License Desk geschrieben",
    );
    assert!(!state.contains("The store was written"), "{state}");
}

fn first_customer(app: &App) -> String {
    app.s().text_of("#rows tr td.customer").unwrap()
}

#[test]
fn more_than_one_page_of_licenses_is_paged_with_next_and_previous_and_a_filter_starts_at_page_one()
{
    let dir = tempfile::tempdir().unwrap();
    let home = AppHome::in_dir(dir.path());
    let demo = demo_vendor(dir.path()).unwrap();
    let mut b = StoreBuilder::new(dir.path(), &home);
    for n in 1..=120 {
        b.base(&demo, &format!("Kunde {n:03}"), Variant::Users10, &[]);
    }
    drop(b);
    let app = App::launch(&home);
    wait_rows(&app, 50);
    assert_eq!(app.s().text_of("#page-info").unwrap(), "1–50 of 120");
    assert!(first_customer(&app).starts_with("Kunde 001"));
    assert!(rows(&app)[49].contains("Kunde 050"), "{:?}", rows(&app));
    let disabled = |css: &str| {
        let e = app.s().find(css).unwrap();
        app.s().attribute(&e, "disabled").unwrap().is_some()
    };
    assert!(disabled("#prev") && !disabled("#next"));

    click(&app, "#next");
    wait_text(&app, "#page-info", "51–100 of 120");
    let page2 = wait_rows(&app, 50);
    assert!(
        page2[0].contains("Kunde 051") && page2[49].contains("Kunde 100"),
        "{page2:?}"
    );
    assert!(!disabled("#prev") && !disabled("#next"));

    click(&app, "#next");
    wait_text(&app, "#page-info", "101–120 of 120");
    let page3 = wait_rows(&app, 20);
    assert!(
        page3[0].contains("Kunde 101") && page3[19].contains("Kunde 120"),
        "{page3:?}"
    );
    assert!(disabled("#next"), "no page after the last");
    app.shot("licenses-last-page");

    click(&app, "#prev");
    wait_text(&app, "#page-info", "51–100 of 120");
    assert!(wait_rows(&app, 50)[0].contains("Kunde 051"));

    // On page 2, a filter shows its own first page.
    let filter = app.s().find("#filter").unwrap();
    app.s().type_text(&filter, "Kunde 0").unwrap();
    wait_text(&app, "#page-info", "1–50 of 99");
    let filtered = wait_rows(&app, 50);
    assert!(filtered[0].contains("Kunde 001"), "{filtered:?}");
    assert!(app.s().text_of("#count").unwrap().contains("99 licenses"));
    assert!(disabled("#prev") && !disabled("#next"));
    click(&app, "#next");
    wait_text(&app, "#page-info", "51–99 of 99");
    assert!(wait_rows(&app, 49)[0].contains("Kunde 051"));
}

#[test]
fn a_page_is_reached_by_its_number_by_first_and_by_last_and_a_wrong_number_is_said() {
    let dir = tempfile::tempdir().unwrap();
    let home = AppHome::in_dir(dir.path());
    let demo = demo_vendor(dir.path()).unwrap();
    let mut b = StoreBuilder::new(dir.path(), &home);
    for n in 1..=120 {
        b.base(&demo, &format!("Seite {n}"), Variant::Users10, &[]);
    }
    drop(b);
    let app = App::launch(&home);
    wait_rows(&app, 50);
    assert_eq!(app.s().text_of("#page-count").unwrap(), "of 3");
    let disabled = |css: &str| {
        let e = app.s().find(css).unwrap();
        app.s().attribute(&e, "disabled").unwrap().is_some()
    };
    assert!(disabled("#first") && disabled("#prev") && !disabled("#next") && !disabled("#last"));
    let jump = |text: &str| {
        let field = app.s().find("#page-number").unwrap();
        app.s().clear(&field).unwrap();
        app.s()
            .type_text(&field, &format!("{text}\u{E007}"))
            .unwrap();
    };
    jump("3");
    wait_text(&app, "#page-info", "101–120 of 120");
    assert!(wait_rows(&app, 20)[0].contains("Seite 101"));
    assert!(disabled("#next") && disabled("#last") && !disabled("#first"));
    click(&app, "#first");
    wait_text(&app, "#page-info", "1–50 of 120");
    assert!(first_customer(&app).starts_with("Seite 1"));
    click(&app, "#last");
    wait_text(&app, "#page-info", "101–120 of 120");
    let field = app.s().find("#page-number").unwrap();
    assert_eq!(
        app.s()
            .execute(
                "return document.getElementById('page-number').value;",
                vec![]
            )
            .unwrap(),
        "3"
    );
    // A number that is no page of the list is said beside the field; nothing moves.
    for wrong in ["0", "4", "zwei", "-1"] {
        jump(wrong);
        let said = wait_text(&app, "#page-error", "Enter a page from 1 to 3.");
        assert_eq!(said, "Enter a page from 1 to 3.", "for {wrong:?}");
        assert_eq!(
            app.s()
                .attribute(&field, "aria-invalid")
                .unwrap()
                .as_deref(),
            Some("true")
        );
        assert_eq!(app.s().text_of("#page-info").unwrap(), "101–120 of 120");
    }
    app.shot("licenses-page-number-wrong");
    click(&app, "#lang-de");
    jump("9");
    wait_text(&app, "#page-error", "Geben Sie eine Seite von 1 bis 3 ein.");
    jump("2");
    wait_text(&app, "#page-info", "51–100 von 120");
    assert!(hidden(&app, "#page-error"));
    assert!(wait_rows(&app, 50)[0].contains("Seite 51"));
}
