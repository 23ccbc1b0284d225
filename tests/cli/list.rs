//! `licdesk list` as the window's list: only the licenses needing attention (and why), sorted by
//! any column both ways — customers naturally, users by the variant's size (R1) — and a column
//! it does not know refused with a sentence.

use crate::support::*;

/// The customers of `licdesk --json list ARGS…`, in order.
fn customers(w: &World, args: &[&str]) -> Vec<String> {
    let mut all = vec!["--json", "list"];
    all.extend(args);
    w.desk("main", &all).ok().json()["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["customer"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn the_list_shows_what_needs_attention_and_sorts_by_any_column_r1() {
    let w = World::new();
    let v = setup(&w);
    let (_, a) = w.issue_base(&v, "Kunde 10", "10", &[]);
    let (waiting, b) = w.issue_base(&v, "Kunde 2", "unlimited", &[]);
    let (_, c) = w.issue_base(&v, "kunde 1", "250", &[]);
    w.desk("main", &["import", &a, &b, &c]).ok();
    // The main system's request exported: it waits for the vendor's response.
    w.desk(
        "main",
        &[
            "request",
            "--license",
            &waiting,
            "--role",
            "main",
            "--out",
            &w.p("main.actreq"),
        ],
    )
    .ok();
    assert_eq!(customers(&w, &[]), ["kunde 1", "Kunde 2", "Kunde 10"]);
    assert_eq!(
        customers(&w, &["--sort", "users"]),
        ["Kunde 10", "kunde 1", "Kunde 2"]
    );
    assert_eq!(
        customers(&w, &["--sort", "customer", "--descending"]),
        ["Kunde 10", "Kunde 2", "kunde 1"]
    );
    let needing = w
        .desk("main", &["--json", "list", "--needs-attention"])
        .ok()
        .json();
    assert_eq!(needing["total"], 1);
    assert_eq!(needing["attention_total"], 1);
    assert_eq!(needing["rows"][0]["customer"], "Kunde 2");
    assert_eq!(
        needing["rows"][0]["attention"][0]["code"],
        "waiting_for_vendor"
    );
    assert_eq!(needing["rows"][0]["attention"][0]["role"], "main");
    let text = w.desk("main", &["list", "--needs-attention"]).ok().stdout;
    assert!(
        text.contains("needs attention: main system waiting for the vendor's response")
            && text.contains("1 license of the store needs attention"),
        "{text}"
    );
    let refused = w.desk("main", &["--json", "list", "--sort", "size"]);
    assert_eq!(refused.code, 1, "{}", refused.stderr);
    let error: serde_json::Value = serde_json::from_str(&refused.stderr).unwrap();
    assert_eq!(error["code"], "invalid_input");
    assert!(
        error["message"]
            .as_str()
            .unwrap()
            .ends_with("it sorts by customer, license, users, status, changed"),
        "{error}"
    );
}
