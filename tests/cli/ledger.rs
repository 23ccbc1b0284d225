//! The vendor's ledger named by a URL (`--ledger postgres://…`): no message ever shows the URL's
//! password. (Scenario B runs against a PostgreSQL ledger in `activation.rs`.)

use crate::support::*;

#[test]
fn a_ledger_url_that_cannot_be_opened_is_named_without_its_password() {
    let w = World::new();
    let mut v = setup(&w);
    let (base, base_file) = w.issue_base(&v, "Url GmbH", "10", &[]);
    w.desk("main", &["import", &base_file]).ok();
    let req = w.p("main.actreq");
    main_request(&w, "main", &base, &req).ok();
    v.ledger =
        "postgresql://issuer:s3cret-pw@%2Fnowhere-licdesk:5432/ledger?password=s3cret-pw".into();
    let shown = "postgresql://issuer:***@%2Fnowhere-licdesk:5432/ledger?password=***";
    let (run, response) = w.activate(&v, &req);
    let run = run.refused(shown);
    assert!(!run.stderr.contains("s3cret"), "{}", run.stderr);
    assert!(!std::path::Path::new(&response).exists());

    let run = w.issuer(&[
        "--json",
        "activate",
        "--key",
        &v.key,
        "--ledger",
        &v.ledger,
        "--request",
        &req,
        "--out",
        &response,
    ]);
    assert_ne!(run.code, 0);
    assert!(
        !run.stdout.contains("s3cret") && !run.stderr.contains("s3cret"),
        "{}{}",
        run.stdout,
        run.stderr
    );
    assert!(
        run.stdout.contains(shown) || run.stderr.contains(shown),
        "{}{}",
        run.stdout,
        run.stderr
    );
    assert!(
        run.stdout.contains("ledger_open") || run.stderr.contains("ledger_open"),
        "{}{}",
        run.stdout,
        run.stderr
    );
}
