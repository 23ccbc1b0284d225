//! Monitoring (`licdesk check`): its status for out-of-date standbys and untrusted vendors (R5),
//! UNKNOWN for a store it cannot read or its own usage errors, the critical problem first, and a
//! first line of at most 200 bytes (the other formats: `check_formats`).

use crate::support::*;

/// Revision 2 of [`activated_standby`]'s base license (250 users instead of 25), imported on the
/// standby's desk: its standby is out of date (R5).
pub(crate) fn upgrade_base_on_the_standby(w: &World, v: &Vendor, base: &str) {
    let upgraded = w.p("upgraded.lic");
    w.issuer(&[
        "issue",
        "--key",
        &v.key,
        "--customer",
        "Journal GmbH",
        "--users",
        "250",
        "--license",
        base,
        "--revision",
        "2",
        "--out",
        &upgraded,
    ])
    .ok();
    w.desk("standby", &["import", &upgraded]).ok();
}

#[test]
fn monitoring_warns_about_an_out_of_date_standby_and_an_untrusted_vendor_r5() {
    let w = World::new();
    let (v, base, _) = activated_standby(&w);
    assert_eq!(check(&w, "standby").code, 0);
    upgrade_base_on_the_standby(&w, &v, &base);
    let run = check(&w, "standby");
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(run.stdout.contains("out of date"), "{}", run.stdout);
    // A store whose certificates no key trusts any more (its trusted keys table emptied by hand).
    let store = w.path("standby.sqlite");
    raw_store(&store)
        .execute("DELETE FROM trusted_keys", [])
        .unwrap();
    let run = check(&w, "standby");
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(run.stdout.contains("vendor trust fails"), "{}", run.stdout);
}

#[test]
fn monitoring_says_unknown_when_the_store_cannot_be_read_and_warns_of_a_clock_behind_signed_time() {
    let w = World::new();
    let store = w.path("broken.sqlite");
    rusqlite::Connection::open(&store)
        .unwrap()
        .pragma_update(None, "user_version", 999)
        .unwrap();
    let run = check(&w, "broken");
    assert_eq!(run.code, 3, "{}", run.stdout);
    assert!(
        run.stdout.starts_with("LICDESK UNKNOWN - "),
        "{}",
        run.stdout
    );

    // A certificate signed "in the future" raises the trusted time floor above the clock.
    let v = w.vendor();
    w.desk("main", &["trust", "add", &v.public]).ok();
    import_a_certificate_issued_30_days_ahead(&w, &v.key);
    let run = check(&w, "main");
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(
        run.stdout.contains("system clock is behind"),
        "{}",
        run.stdout
    );
}

#[test]
fn monitoring_answers_unknown_for_a_missing_store_and_for_its_own_usage_errors() {
    let w = World::new();
    let missing = w.path("nowhere").join("store.sqlite");
    let out = std::process::Command::new(binary("licdesk"))
        .arg("--store")
        .arg(&missing)
        .arg("check")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(3), "{stdout}");
    assert!(
        stdout.starts_with("LICDESK UNKNOWN - there is no store at") && stdout.lines().count() == 1,
        "{stdout}"
    );
    assert!(
        !missing.exists() && !w.path("nowhere").exists(),
        "check created a store"
    );
    // The same through LICDESK_STORE.
    let out = std::process::Command::new(binary("licdesk"))
        .arg("check")
        .env("LICDESK_STORE", &missing)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    assert!(!missing.exists());
    // A file that is not a store.
    std::fs::write(w.path("junk.sqlite"), "not a database at all, just text").unwrap();
    let run = check(&w, "junk");
    assert_eq!(run.code, 3, "{}", run.stdout);
    assert!(
        run.stdout.starts_with("LICDESK UNKNOWN - the store"),
        "{}",
        run.stdout
    );
    assert_eq!(run.stdout.lines().count(), 1, "{}", run.stdout);
    // Usage errors of the check are UNKNOWN (3), never clap's 2 (CRITICAL to monitoring).
    for args in [
        vec!["check", "--verbose"],
        vec!["check", "extra"],
        vec!["--json", "check", "--warn", "5"],
    ] {
        let run = w.desk("main", &args);
        assert_eq!(run.code, 3, "{args:?}: {}{}", run.stdout, run.stderr);
        if args[0] == "--json" {
            assert_eq!(run.json()["status"], "UNKNOWN", "{}", run.stdout);
        } else {
            assert!(
                run.stdout.starts_with("LICDESK UNKNOWN - usage:"),
                "{args:?}: {}",
                run.stdout
            );
        }
    }
    // Other commands keep their usage errors.
    assert_eq!(w.desk("main", &["list", "--bogus"]).code, 2);
}

#[test]
fn monitoring_names_the_critical_problem_first() {
    let w = World::new();
    let (v, base, fo) = activated_standby(&w);
    // A violation on the standby's own desk ...
    let file = journal(&w, &[("load", now() - 121 * HOUR)]);
    w.desk("standby", &["import", &file]).ok();
    // ... and, found before it, an out-of-date standby (a warning).
    upgrade_base_on_the_standby(&w, &v, &base);
    let run = check(&w, "standby");
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(
        run.stdout
            .starts_with(&format!("LICDESK CRITICAL - {fo} over the five-day limit"))
            && run.stdout.contains("out of date"),
        "{}",
        run.stdout
    );
}

#[test]
fn check_answers_unknown_for_a_damaged_store_and_changes_nothing() {
    let w = World::new();
    let v = w.vendor();
    w.desk("desk", &["trust", "add", &v.public]).ok();
    let files: Vec<String> = (0..150)
        .map(|n| w.issue_base(&v, &format!("Damage {n} AG"), "25", &[]).1)
        .collect();
    let mut args = vec!["import"];
    args.extend(files.iter().map(String::as_str));
    w.desk("desk", &args).ok();
    assert_eq!(check(&w, "desk").code, 0);
    let store = w.path("desk.sqlite");

    // An empty file: UNKNOWN, and it stays empty.
    let empty = w.path("empty.sqlite");
    std::fs::write(&empty, b"").unwrap();
    let run = w.desk("empty", &["check"]);
    assert_eq!(run.code, 3, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("empty"), "{}", run.stdout);
    assert_eq!(std::fs::metadata(&empty).unwrap().len(), 0);
    assert!(!w.path("empty.sqlite-wal").exists());

    // A table dropped: UNKNOWN naming it.
    let dropped = w.path("dropped.sqlite");
    std::fs::copy(&store, &dropped).unwrap();
    {
        let conn = raw_store(&dropped);
        conn.execute_batch("DROP TRIGGER violations_are_kept; DROP TABLE violations;")
            .unwrap();
    }
    let run = w.desk("dropped", &["check"]);
    assert_eq!(run.code, 3, "{}", run.stdout);
    assert!(run.stdout.contains("violations"), "{}", run.stdout);

    // A page overwritten that no status rests on (the audit log's): monitoring does not read
    // it, and answers as before — without reading every page its cost stays the same with a
    // million licenses. A page of a table monitoring reads (the journals' evaluations): UNKNOWN
    // naming the damage.
    {
        let conn = raw_store(&store);
        conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")
            .unwrap();
    }
    let damage = |name: &str, page: usize| -> Vec<u8> {
        let damaged = w.path(&format!("{name}.sqlite"));
        std::fs::copy(&store, &damaged).unwrap();
        for suffix in licdesk_store::sharing::WAL_SIBLINGS {
            let sibling = |p: &std::path::Path| licdesk_store::sharing::sibling(p, suffix);
            std::fs::copy(sibling(&store), sibling(&damaged)).unwrap();
        }
        let mut bytes = std::fs::read(&damaged).unwrap();
        for b in &mut bytes[page * 4096..(page + 1) * 4096] {
            *b = 0x5a;
        }
        std::fs::write(&damaged, &bytes).unwrap();
        bytes
    };
    let root_of = |table: &str| -> usize {
        raw_store(&store)
            .query_row(
                "SELECT rootpage FROM sqlite_schema WHERE name = ?1",
                [table],
                |r| r.get(0),
            )
            .unwrap()
    };
    let bytes = damage("licenses-damaged", root_of("audit_log") - 1);
    let run = w.desk("licenses-damaged", &["check"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    let bytes_of_status = damage("damaged", root_of("usage_reports") - 1);
    let run = w.desk("damaged", &["check"]);
    assert_eq!(run.code, 3, "{}", run.stdout);
    assert!(run.stdout.contains("damaged"), "{}", run.stdout);
    for (name, bytes) in [("licenses-damaged", bytes), ("damaged", bytes_of_status)] {
        assert_eq!(
            std::fs::read(w.path(&format!("{name}.sqlite"))).unwrap(),
            bytes,
            "check changed the file"
        );
    }
}

/// What a status rests on is verified on every run against the signed files it was recorded
/// from (each standby's activation, its base license's certificate, its latest journal): a value
/// edited by hand in the store — sqlite3 can — is noticed, and the signed file decides. A license
/// no status rests on is not monitoring's business; its certificate is verified again where it is
/// used (the vendor verifies the certificates a request carries).
#[test]
fn a_value_edited_by_hand_that_matters_to_a_status_is_noticed() {
    let w = World::new();
    let (v, _base, fo) = activated_standby(&w);
    let store = w.path("standby.sqlite");
    assert_eq!(check(&w, "standby").code, 0);
    let edit = |sql: &str| raw_store(&store).execute_batch(sql).unwrap();
    let changed = "the store was changed outside License Desk";

    // The standby's load limits, raised by hand.
    edit("UPDATE systems SET limits = json_set(limits, '$.max_load_hours', 8000) WHERE role = 'standby'");
    let run = check(&w, "standby");
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(
        run.stdout.starts_with(&format!(
            "LICDESK CRITICAL - {fo}: {changed}: the load limits differ from its signed activation response"
        )),
        "{}",
        run.stdout
    );
    edit("UPDATE systems SET limits = json_set(limits, '$.max_load_hours', 120) WHERE role = 'standby'");
    assert_eq!(check(&w, "standby").code, 0);

    // The activation's state: the standby made pending by hand would vanish from monitoring.
    edit("UPDATE systems SET state = 'pending' WHERE role = 'standby'");
    let run = check(&w, "standby");
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(
        run.stdout
            .contains(&format!("{fo}: {changed}: its activation")),
        "{}",
        run.stdout
    );
    edit("UPDATE systems SET state = 'active' WHERE role = 'standby'");
    assert_eq!(check(&w, "standby").code, 0);

    // Another license, without a standby, edited by hand (customer and certificate) on the
    // main desk: no status rests on it, so monitoring does not read it ...
    let (other, other_file) = w.issue_base(&v, "Other AG", "10", &[]);
    w.desk("main", &["import", &other_file]).ok();
    assert_eq!(check(&w, "main").code, 0);
    // (The certificate's text is kept with its file, which its row names.)
    raw_store(&w.path("main.sqlite"))
        .execute_batch(&format!(
            "UPDATE base_licenses SET customer = 'Edited AG' WHERE license = '{other}';
             UPDATE imported_files SET text = text || 'edited'
              WHERE file_hash = (SELECT file_hash FROM base_licenses WHERE license = '{other}')"
        ))
        .unwrap();
    assert_eq!(check(&w, "main").code, 0);
    // ... and the vendor refuses the certificate when a request carries it.
    let req = w.p("other.actreq");
    w.desk(
        "main",
        &[
            "request",
            "--license",
            &other,
            "--role",
            "main",
            "--out",
            &req,
        ],
    )
    .ok();
    let (run, _) = w.activate(&v, &req);
    run.refused("the file is damaged");

    // A violation (121 h under load), CRITICAL, nothing changed.
    let file = journal(&w, &[("load", now() - 121 * HOUR)]);
    w.desk("standby", &["import", &file]).ok();
    let run = check(&w, "standby");
    assert_eq!(run.code, 2, "{}", run.stdout);
    let violation = format!("CRITICAL: {fo} over the five-day limit: 121.0 h");
    assert!(run.stdout.contains(&violation), "{}", run.stdout);
    assert!(!run.stdout.contains(changed), "{}", run.stdout);

    // No journal kept (as in a store of schema 8, before journals were kept): its evaluation
    // cannot be verified, which monitoring says (WARNING, beside the violation).
    let kept: String = raw_store(&store)
        .query_row("SELECT journal FROM usage_reports", [], |r| r.get(0))
        .unwrap();
    edit("UPDATE usage_reports SET journal = NULL");
    let run = check(&w, "standby");
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(
        run.stdout.contains(&violation)
            && run.stdout.contains(&format!(
                "WARNING: {fo}: the evaluation of its latest usage journal was recorded by an older License Desk"
            )),
        "{}",
        run.stdout
    );
    raw_store(&store)
        .execute("UPDATE usage_reports SET journal = ?1", [&kept])
        .unwrap();
    let run = check(&w, "standby");
    assert!(
        run.stdout.contains(&violation) && !run.stdout.contains("older License Desk"),
        "{}",
        run.stdout
    );

    // The journal's load hours and level lowered by hand, its violation acknowledged by hand:
    // the journal kept decides, the violation stays CRITICAL.
    edit(
        "UPDATE usage_reports SET evaluation = json_set(evaluation, '$.current.load_seconds', 3600,
                '$.current.level', 'fine', '$.worst', 'fine', '$.episodes', json('[]'));
         UPDATE violations SET acknowledged_at = '2026-01-01T00:00:00Z', acknowledgement = 'by hand'",
    );
    let run = check(&w, "standby");
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(
        run.stdout.contains(&format!(
            "{fo}: {changed}: the evaluation (load, levels or limits) differ from its latest usage journal"
        )) && run.stdout.contains(&violation),
        "{}",
        run.stdout
    );

    // The journal kept, changed by hand: noticed too.
    edit("UPDATE usage_reports SET journal = replace(journal, 'Signature: ', 'Signature: x')");
    let run = check(&w, "standby");
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(
        run.stdout
            .contains(&format!("{fo}: {changed}: its latest usage journal")),
        "{}",
        run.stdout
    );
}

#[test]
fn the_status_line_stays_under_200_bytes_with_every_problem_below_it() {
    let w = World::new();
    let (_v, _base, _fo) = activated_standby(&w);
    let file = journal(&w, &[("load", now() - 3 * HOUR)]);
    let text = std::fs::read_to_string(&file).unwrap();
    // 120 journals whose signature fails, each reported until dismissed.
    let mut paths = Vec::new();
    for n in 0..120 {
        let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
        let sig = lines
            .iter()
            .position(|l| l.starts_with("Signature: "))
            .unwrap();
        // Another valid-looking signature per file: each is its own tampered journal.
        let mut raw = [0u8; 64];
        raw[0] = n as u8;
        raw[1] = (n >> 8) as u8;
        use base64::Engine;
        lines[sig] = format!(
            "Signature: {}",
            base64::engine::general_purpose::STANDARD.encode(raw)
        );
        let path = w.p(&format!("bad-{n}.journal"));
        std::fs::write(&path, lines.join("\n") + "\n").unwrap();
        paths.push(path);
    }
    let mut args = vec!["import"];
    args.extend(paths.iter().map(String::as_str));
    let _ = w.desk("main", &args);
    let run = check(&w, "main");
    assert_eq!(run.code, 2, "{}", run.stdout);
    let first = run.stdout.lines().next().unwrap();
    assert!(first.len() <= 200, "{} bytes: {first}", first.len());
    assert!(first.ends_with("… (+119 more)"), "{first}");
    assert_eq!(
        run.stdout
            .lines()
            .skip(1)
            .filter(|l| l.contains("is tampered"))
            .count(),
        120,
        "{}",
        run.stdout
    );
}

/// Monitoring reads a standby's activation back by the rules its import applied: a response the
/// vendor signed whose values the format forbids (here an installation key with white space
/// before it), put into the store by hand with every recorded value to match, rests no status.
#[test]
fn an_activation_the_format_forbids_is_not_trusted_by_monitoring() {
    let w = World::new();
    let (v, _base, fo) = activated_standby(&w);
    let store = w.path("standby.sqlite");
    assert_eq!(check(&w, "standby").code, 0);
    let text: String = raw_store(&store)
        .query_row(
            "SELECT response FROM systems WHERE role = 'standby'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let key = licdesk_issuer::VendorKey::parse(&std::fs::read_to_string(&v.key).unwrap())
        .unwrap()
        .key;
    let mut response: licdesk_core::ActivationResponse =
        licdesk_core::Envelope::parse(text.as_bytes())
            .unwrap()
            .verify(&key.verifying_key())
            .unwrap()
            .payload()
            .unwrap();
    let spaced = format!(" {}", response.installation_key.as_deref().unwrap());
    response.installation_key = Some(spaced.clone().into());
    let forged = licdesk_core::seal(licdesk_core::FileKind::ActivationResponse, &response, &key);
    let content_id = licdesk_core::Envelope::parse(forged.as_bytes())
        .unwrap()
        .content_id();
    raw_store(&store)
        .execute_batch(&format!(
            "UPDATE systems SET response = '{forged}', installation_key = '{spaced}' WHERE role = 'standby';
             UPDATE system_marks SET content_id = '{content_id}' WHERE role = 'standby';"
        ))
        .unwrap();
    let run = check(&w, "standby");
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(
        run.stdout.contains(&fo) && run.stdout.contains("white space"),
        "{}",
        run.stdout
    );
}
