//! A vendor trusted on the "main" desk, its licenses imported and activated, and refusals that
//! leave the store as it was.

use serde_json::Value;

use super::*;

pub fn show(w: &World, desk: &str, license: &str) -> Value {
    w.desk(desk, &["--json", "show", license]).ok().json()
}

/// `licdesk request` on `desk` for `base`'s main system on this machine, written to `out`.
pub fn main_request(w: &World, desk: &str, base: &str, out: &str) -> Run {
    w.desk(
        desk,
        &[
            "request",
            "--license",
            base,
            "--role",
            "main",
            "--this-machine",
            "--out",
            out,
        ],
    )
}

pub fn activate_main(w: &World, v: &Vendor, desk: &str, base: &str) {
    let req = w.p(&format!("{desk}-main-{base}.actreq"));
    main_request(w, desk, base, &req).ok();
    let (run, resp) = w.activate(v, &req);
    run.ok();
    w.desk(desk, &["import", &resp]).ok();
}

pub fn activate_standby(w: &World, v: &Vendor, desk: &str, failover: &str) -> String {
    // The same file for each activation of that standby: a re-activation replaces the request.
    let req = w.p(&format!("{desk}-standby-{failover}.actreq"));
    w.desk(
        desk,
        &[
            "request",
            "--license",
            failover,
            "--role",
            "standby",
            "--force",
            "--out",
            &req,
        ],
    )
    .ok();
    let (run, resp) = w.activate(v, &req);
    run.ok();
    let out = w.desk(desk, &["--json", "import", &resp]).ok().json();
    assert_eq!(out["files"][0]["status"], "activated", "{out}");
    resp
}

pub fn setup(w: &World) -> Vendor {
    setup_on(w, licdesk_pgtest::Engine::Sqlite)
}

/// [`setup`] with the vendor's ledger on `engine` (a database of the test cluster, given to
/// `--ledger` as its URL, for PostgreSQL).
pub fn setup_on(w: &World, engine: licdesk_pgtest::Engine) -> Vendor {
    let mut v = w.vendor();
    if engine == licdesk_pgtest::Engine::Postgres {
        let place = engine.ledger("cli");
        v.ledger = place.at.to_string_lossy().into_owned();
    }
    w.desk("main", &["trust", "add", &v.public]).ok();
    v
}

pub fn standby_of<'a>(detail: &'a Value, failover: &str) -> &'a Value {
    detail["failovers"]
        .as_array()
        .expect("failovers")
        .iter()
        .find(|f| f["license"] == failover)
        .map(|f| &f["standby"])
        .expect("failover listed")
}

/// Importing `file` on "main" is refused with a message containing `needle`, and the store's
/// content is unchanged.
pub fn refused_import(w: &World, file: &str, needle: &str) {
    let before = w.dump("main");
    w.desk("main", &["import", file]).refused(needle);
    assert_eq!(w.dump("main"), before, "a refused import changed the store");
}
