//! The store: one of a newer version is refused and left untouched, and the demo store of
//! `make run` holds every variant and standbys active, pending and out of date.

use crate::support::*;

#[test]
fn a_store_of_a_newer_version_is_refused_and_left_untouched() {
    let w = World::new();
    let path = w.path("main.sqlite");
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.pragma_update(None, "user_version", 999).unwrap();
    }
    let before = std::fs::read(&path).unwrap();
    w.desk("main", &["list"]).refused("newer License Desk");
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[test]
fn the_demo_store_of_make_run_holds_every_variant_and_standbys_active_pending_and_out_of_date() {
    let w = World::new();
    let store = w.p("main.sqlite");
    let out = std::process::Command::new(binary("make-demo-store"))
        .args(["--store", &store])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let list = w.desk("main", &["--json", "list"]).ok().json();
    let rows = list["rows"].as_array().unwrap();
    assert!(rows.len() >= 8, "several customers: {}", rows.len());
    // R1: every variant; every license from the demo vendor, and so marked DEMO.
    for variant in ["10", "25", "250", "unlimited"] {
        assert!(rows.iter().any(|r| r["variant"] == variant), "no {variant}");
    }
    assert!(rows.iter().all(|r| r["demo"] == true));
    assert!(rows
        .iter()
        .any(|r| !r["extensions"].as_array().unwrap().is_empty()));
    let standby_states: Vec<&str> = rows
        .iter()
        .flat_map(|r| r["failovers"].as_array().unwrap())
        .filter_map(|f| f["standby"]["status"].as_str())
        .collect();
    for state in ["active", "pending", "out_of_date"] {
        assert!(
            standby_states.contains(&state),
            "no {state} standby in {standby_states:?}"
        );
    }
    // Made again, the store is refused, not mixed up with a second demo, and left as it was.
    let before = w.dump("main");
    let again = std::process::Command::new(binary("make-demo-store"))
        .args(["--store", &store])
        .output()
        .unwrap();
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("already exists"));
    assert_eq!(w.dump("main"), before);
}
