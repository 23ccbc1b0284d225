//! Trust: a certificate signed by a key the desk does not trust is refused naming the key, and only
//! vendor-signed times raise the trusted time floor.

use licdesk_core::{SigningKey, Timestamp};

use crate::support::*;

#[test]
fn a_certificate_signed_by_an_untrusted_key_is_refused_naming_the_key() {
    let w = World::new();
    let _trusted = setup(&w);
    let stranger_key = w.p("stranger.key");
    w.issuer(&["keygen", "--out", &stranger_key, "--vendor", "Stranger"])
        .ok();
    let (_, file) = w.issue_base(
        &Vendor {
            key: stranger_key,
            public: String::new(),
            ledger: String::new(),
        },
        "X",
        "10",
        &[],
    );
    let text = std::fs::read_to_string(&file).unwrap();
    let key_id = text
        .lines()
        .find_map(|l| l.strip_prefix("Key-Id: "))
        .unwrap()
        .to_string();
    refused_import(&w, &file, &key_id);
    refused_import(&w, &file, "does not trust");
}

#[test]
fn only_vendor_signed_times_raise_the_trusted_time_floor() {
    let w = World::new();
    activated_standby(&w);
    let t0 = now() - 20 * HOUR;
    let file = journal(&w, &[("load", t0), ("idle", t0 + 10 * HOUR)]);
    let future = Timestamp::from_unix(now() + 30 * 24 * HOUR);
    // A forger's journal, dated a month ahead.
    let stranger = SigningKey::from_bytes(&[9; 32]);
    let forged = resigned(&file, &stranger, |j| {
        j.installation_key = licdesk_core::InstallationKey::of(&stranger.verifying_key());
        j.exported_at = future;
    });
    std::fs::write(w.path("forged.journal"), forged).unwrap();
    let out = w
        .desk("main", &["--json", "import", &w.p("forged.journal")])
        .tampered("not by the installation")
        .json();
    assert_eq!(out["files"][0]["status"], "tampered", "{out}");
    // The installation's own journal, its export dated a month ahead (a standby's clock is
    // not the vendor's): its clock runs ahead, it is recorded as tampered and not used.
    let ahead = resigned(&file, &installation_key(&w), |j| j.exported_at = future);
    std::fs::write(w.path("ahead.journal"), ahead).unwrap();
    let out = w
        .desk("main", &["--json", "import", &w.p("ahead.journal")])
        .tampered("clock runs ahead")
        .json();
    assert_eq!(out["files"][0]["status"], "tampered", "{out}");
    let run = check(&w, "main");
    assert!(
        !run.stdout.contains("system clock is behind"),
        "a journal's own time raised the floor: {}",
        run.stdout
    );
    let floor: String = rusqlite::Connection::open(w.path("main.sqlite"))
        .unwrap()
        .query_row("SELECT value FROM meta WHERE key = 'time_floor'", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert!(
        Timestamp::parse(&floor).unwrap().unix() <= now(),
        "the floor {floor} is ahead of the clock"
    );
    let text = w.desk("main", &["show", &w_base(&w)]).ok().stdout;
    assert!(!text.contains("system clock is behind"), "{text}");
}

/// The base license number on the "main" desk.
fn w_base(w: &World) -> String {
    w.desk("main", &["--json", "list"]).ok().json()["rows"][0]["license"]
        .as_str()
        .unwrap()
        .to_string()
}
