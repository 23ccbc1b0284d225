//! Sorting the licenses list by each of its columns, both ways: customers naturally ("Kunde 2"
//! before "Kunde 10") and whatever their case and accents ("Ärzte" beside "Arzte"), users by the
//! variant's size (10, 25, 250, unlimited: R1), the main system's state, the license number and
//! the last change; `aria-sort` on the sorted header; the order kept through filtering and paging.

use licdesk_core::{Role, Variant};
use licdesk_desk::IfExists;
use licdesk_tests::app::{App, AppHome};
use licdesk_tests::demo_vendor;

use crate::support::*;

/// The customers of the rows shown, in order.
fn customers(app: &App) -> Vec<String> {
    app.s()
        .execute(
            "return Array.from(document.querySelectorAll('#rows td.customer .customer-name'))
               .map((c) => c.textContent);",
            vec![],
        )
        .unwrap()
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect()
}

/// Waits until the rows show `expected` (customers, in order).
fn wait_order(app: &App, expected: &[&str]) {
    let got = app
        .s()
        .wait_for(&format!("the order {expected:?}"), WAIT, |_| {
            let got = customers(app);
            Ok((got == expected).then_some(got))
        });
    if got.is_err() {
        panic!("expected {expected:?}, the list shows {:?}", customers(app));
    }
}

/// The sorted column and its direction, as `aria-sort` says (each header that has one).
fn aria_sort(app: &App) -> serde_json::Value {
    app.s()
        .execute(
            "return Array.from(document.querySelectorAll('#licenses-table th[aria-sort]'))
               .map((th) => [th.querySelector('button').dataset.order, th.getAttribute('aria-sort')]);",
            vec![],
        )
        .unwrap()
}

fn sort_by(app: &App, order: &str) {
    click(app, &format!("button.sort[data-order='{order}']"));
}

#[test]
fn each_column_sorts_both_ways_names_naturally_and_users_by_the_variants_size_r1() {
    let dir = tempfile::tempdir().unwrap();
    let home = AppHome::in_dir(dir.path());
    let demo = demo_vendor(dir.path()).unwrap();
    let mut b = StoreBuilder::new(dir.path(), &home);
    let mut licenses = Vec::new();
    for (name, variant) in [
        ("Kunde 10", Variant::Users10),
        ("Kunde 2", Variant::Unlimited),
        ("Ärzte Nord", Variant::Users250),
        ("Arzte Süd", Variant::Users25),
        ("kunde 1", Variant::Users25),
    ] {
        licenses.push((name, b.base(&demo, name, variant, &[])));
    }
    // "Kunde 2": its main system's request exported (waiting for the vendor), its latest change
    // (times are whole seconds: a second after the imports).
    std::thread::sleep(std::time::Duration::from_millis(1_100));
    b.desk
        .write_request(
            &licenses[1].1,
            Role::Main,
            None,
            &dir.path().join("main.actreq"),
            IfExists::Refuse,
        )
        .unwrap();
    drop(b);
    let app = App::launch(&home);
    wait_rows(&app, 5);
    // By customer, A to Z: natural, case- and accent-insensitive.
    wait_order(
        &app,
        &["Ärzte Nord", "Arzte Süd", "kunde 1", "Kunde 2", "Kunde 10"],
    );
    assert_eq!(
        aria_sort(&app),
        serde_json::json!([["customer", "ascending"]])
    );
    sort_by(&app, "customer");
    wait_order(
        &app,
        &["Kunde 10", "Kunde 2", "kunde 1", "Arzte Süd", "Ärzte Nord"],
    );
    assert_eq!(
        aria_sort(&app),
        serde_json::json!([["customer", "descending"]])
    );
    // By users: 10, 25, 250, unlimited — by the variant's size, never as text.
    sort_by(&app, "users");
    wait_order(
        &app,
        &["Kunde 10", "Arzte Süd", "kunde 1", "Ärzte Nord", "Kunde 2"],
    );
    assert_eq!(aria_sort(&app), serde_json::json!([["users", "ascending"]]));
    sort_by(&app, "users");
    wait_order(
        &app,
        &["Kunde 2", "Ärzte Nord", "kunde 1", "Arzte Süd", "Kunde 10"],
    );
    // By the main system's state: none registered, then waiting for the vendor.
    sort_by(&app, "status");
    wait_order(
        &app,
        &["Ärzte Nord", "Arzte Süd", "kunde 1", "Kunde 10", "Kunde 2"],
    );
    sort_by(&app, "status");
    wait_order(
        &app,
        &["Kunde 2", "Kunde 10", "kunde 1", "Arzte Süd", "Ärzte Nord"],
    );
    // By license number.
    sort_by(&app, "license");
    let mut by_number = licenses.clone();
    by_number.sort_by(|a, b| a.1.cmp(&b.1));
    let names: Vec<&str> = by_number.iter().map(|(n, _)| *n).collect();
    wait_order(&app, &names);
    assert_eq!(
        aria_sort(&app),
        serde_json::json!([["license", "ascending"]])
    );
    // By the last change: the latest first.
    sort_by(&app, "changed");
    assert_eq!(
        aria_sort(&app),
        serde_json::json!([["changed", "descending"]])
    );
    app.s()
        .wait_for("the latest change first", WAIT, |_| {
            Ok((customers(&app).first().map(String::as_str) == Some("Kunde 2")).then_some(()))
        })
        .unwrap();
    app.shot("licenses-sorted");
}

#[test]
fn the_order_is_kept_through_filtering_and_paging() {
    let dir = tempfile::tempdir().unwrap();
    let home = AppHome::in_dir(dir.path());
    let demo = demo_vendor(dir.path()).unwrap();
    let mut b = StoreBuilder::new(dir.path(), &home);
    for n in 1..=60 {
        let variant = if n % 2 == 0 {
            Variant::Users250
        } else {
            Variant::Users10
        };
        b.base(&demo, &format!("Filiale {n}"), variant, &[]);
    }
    b.base(&demo, "Zentrale", Variant::Unlimited, &[]);
    drop(b);
    let app = App::launch(&home);
    wait_rows(&app, 50);
    sort_by(&app, "customer");
    wait_text(&app, "#rows", "Zentrale");
    assert_eq!(
        customers(&app)[..3],
        ["Zentrale", "Filiale 60", "Filiale 59"]
    );
    // The next page goes on in the same order.
    click(&app, "#next");
    wait_text(&app, "#page-info", "51–61 of 61");
    let page2 = customers(&app);
    assert_eq!(page2.first().map(String::as_str), Some("Filiale 11"));
    assert_eq!(page2.last().map(String::as_str), Some("Filiale 1"));
    assert_eq!(
        aria_sort(&app),
        serde_json::json!([["customer", "descending"]])
    );
    // A filter keeps the order, and starts at its first page.
    sort_by(&app, "users");
    let filter = app.s().find("#filter").unwrap();
    app.s().type_text(&filter, "Filiale 1").unwrap();
    wait_text(&app, "#page-info", "1–11 of 11");
    wait_order(
        &app,
        &[
            "Filiale 1",
            "Filiale 11",
            "Filiale 13",
            "Filiale 15",
            "Filiale 17",
            "Filiale 19",
            "Filiale 10",
            "Filiale 12",
            "Filiale 14",
            "Filiale 16",
            "Filiale 18",
        ],
    );
    assert_eq!(aria_sort(&app), serde_json::json!([["users", "ascending"]]));
}
