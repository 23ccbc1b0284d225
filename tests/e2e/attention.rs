//! What needs attention, at a glance: each license whose systems or usage journals need action
//! shows a badge with text for each kind — a violation, a warning above 72 h and above 96 h of
//! the five-day rule (R12), a tampered and an overdue usage journal, a standby out of date after
//! a change to the main system (R5), a request waiting for the vendor's response — the header
//! counts them, and a toggle shows only them; in English and in German.

use std::path::{Path, PathBuf};

use licdesk_core::{LicenseNumber, Role, StandbyMode, Variant};
use licdesk_desk::{IfExists, MachineChoice};
use licdesk_tests::app::{App, AppHome};
use licdesk_tests::demo_vendor;

use crate::support::*;

/// A folder of its own under `dir` (each standby's chain keeps its files apart).
fn sub(dir: &Path, name: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::create_dir_all(&p).unwrap();
    p
}

/// Imports `journal` into the app's store, as `licdesk import` would.
fn import_journal(home: &AppHome, journal: &Path) {
    let mut desk = licdesk_desk::Desk::open(&home.store).unwrap();
    let outcome = desk.import_paths(&[journal.to_path_buf()]).remove(0);
    assert!(
        outcome.status != licdesk_desk::ImportStatus::Refused
            || outcome.message.contains("tampered"),
        "{}",
        outcome.message
    );
}

/// `journal` signed again by another key: another installation than the certified one.
fn forged(dir: &Path, journal: &Path) -> PathBuf {
    let text = std::fs::read_to_string(journal).unwrap();
    let verified = licdesk_core::Envelope::parse(text.as_bytes())
        .unwrap()
        .verify_self_signed()
        .unwrap();
    let payload: licdesk_core::usage::UsageJournal = verified.payload().unwrap();
    write(
        dir,
        "forged.journal",
        &licdesk_core::seal(
            licdesk_core::FileKind::UsageJournal,
            &payload,
            &licdesk_core::SigningKey::from_bytes(&[4; 32]),
        ),
    )
}

/// The hardware-ID file of another machine (named by `seed`), as `licdesk hwid --out` makes it
/// there: its hardware, signed by the key of the License Desk installation on it. (This machine
/// may be the standby of one FailoverSuite only, R4, R7.)
fn other_machines_hardware_file(seed: &str) -> Vec<u8> {
    let hardware =
        licdesk_core::Hardware::from_code(licdesk_core::HardwareId::from_digest(seed.as_bytes()));
    licdesk_core::seal(
        licdesk_core::FileKind::HardwareId,
        &licdesk_core::model::HardwareIdFile {
            hardware,
            created_at: licdesk_desk::now(),
        },
        &licdesk_core::SigningKey::from_bytes(&[9; 32]),
    )
    .into_bytes()
}

/// The store of the test: one license for each kind of attention, and one needing none.
struct Licenses {
    waiting: LicenseNumber,
    out_of_date: LicenseNumber,
    warning: LicenseNumber,
    final_warning: LicenseNumber,
    violation: LicenseNumber,
    tampered: LicenseNumber,
    overdue: LicenseNumber,
    overdue_failover: LicenseNumber,
    quiet: LicenseNumber,
}

fn store_needing_attention(dir: &Path, home: &AppHome) -> Licenses {
    // R12, from journals of standbys this desk does not hold (a reseller's desk).
    let journal_of = |name: &str, customer: &str, parts: &[(&str, i64)], days_ago: u32| {
        standby_with_journal_of(&sub(dir, name), home, customer, parts, days_ago)
    };
    let (warning, _, j) = journal_of("warning", "Warnung GmbH", &[("load", 80)], 0);
    import_journal(home, &j);
    let (final_warning, _, j) = journal_of("final", "Letzte Warnung AG", &[("load", 100)], 0);
    import_journal(home, &j);
    let (violation, _, j) =
        journal_of("violation", "Verstoß KG", &[("load", 150), ("idle", 28)], 0);
    import_journal(home, &j);
    let tamper_dir = sub(dir, "tampered");
    let (tampered, _, j) = journal_of("tampered", "Manipuliert e.K.", &[("load", 5)], 0);
    import_journal(home, &forged(&tamper_dir, &j));
    // Its whole chain two days back: its journal was exported two days ago, none since.
    let (overdue, overdue_failover, j) =
        journal_of("overdue", "Überfällig OHG", &[("load", 3), ("idle", 1)], 2);
    import_journal(home, &j);

    let demo = demo_vendor(dir).unwrap();
    let mut b = StoreBuilder::new(dir, home);
    // A standby registered from its hardware-ID file, its request exported: the vendor's turn.
    let waiting = b.base(&demo, "Wartet GmbH", Variant::Users10, &[]);
    let fo = b.failover(&demo, &waiting);
    b.desk
        .register_standby(
            &fo,
            &MachineChoice::FileContent(other_machines_hardware_file("waiting standby")),
            StandbyMode::Cold,
        )
        .unwrap();
    b.desk
        .write_request(
            &fo,
            Role::Standby,
            None,
            &dir.join("waiting.actreq"),
            IfExists::Refuse,
        )
        .unwrap();
    // This machine as a standby, activated, then its main system's licenses change (R5).
    let (out_of_date, bt) =
        licdesk_issuer::issue_base(&demo, "Veraltet AG", Variant::Users25, vec![], None, 1)
            .unwrap();
    let out_of_date = out_of_date.license;
    b.import(&bt);
    let fo = b.failover(&demo, &out_of_date);
    b.desk
        .register_standby(&fo, &MachineChoice::ThisMachine, StandbyMode::Hot)
        .unwrap();
    let req = dir.join("out-of-date.actreq");
    b.desk
        .write_request(&fo, Role::Standby, None, &req, IfExists::Refuse)
        .unwrap();
    let (ok, err, resp) = vendor_activates(dir, &req);
    assert!(ok, "{err}");
    b.import(&std::fs::read_to_string(resp).unwrap());
    let (_, upgraded) = licdesk_issuer::issue_base(
        &demo,
        "Veraltet AG",
        Variant::Users250,
        vec![],
        Some(out_of_date.clone()),
        2,
    )
    .unwrap();
    b.import(&upgraded);
    let quiet = b.base(&demo, "Ruhig & Co", Variant::Unlimited, &[]);
    Licenses {
        waiting,
        out_of_date,
        warning,
        final_warning,
        violation,
        tampered,
        overdue,
        overdue_failover,
        quiet,
    }
}

/// The badges of `license`'s row: (code, text) each.
fn badges(app: &App, license: &LicenseNumber) -> Vec<(String, String)> {
    let v = app
        .s()
        .execute(
            "return Array.from(document.querySelectorAll(`tr[data-license='${arguments[0]}'] .attention-badge`))
               .map((b) => [b.dataset.attention, b.childNodes[0].textContent.trim()]);",
            vec![serde_json::json!(license.as_str())],
        )
        .unwrap();
    v.as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p[0].as_str().unwrap().to_string(),
                p[1].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn pair(code: &str, text: &str) -> (String, String) {
    (code.to_string(), text.to_string())
}

#[test]
fn each_license_needing_attention_shows_why_the_header_counts_them_and_a_toggle_shows_only_them_r5_r12(
) {
    let dir = tempfile::tempdir().unwrap();
    let home = AppHome::in_dir(dir.path());
    let l = store_needing_attention(dir.path(), &home);
    let app = App::launch(&home);
    wait_rows(&app, 8);
    let expected = [
        (&l.violation, vec![pair("violation", "Violation")]),
        (
            &l.final_warning,
            vec![pair("final_warning", "Final warning: over 96 h")],
        ),
        (&l.warning, vec![pair("warning", "Warning: over 72 h")]),
        (
            &l.tampered,
            vec![pair("tampered_journal", "Journal tampered")],
        ),
        (&l.overdue, vec![pair("stale_journal", "Journal overdue")]),
        (&l.out_of_date, vec![pair("out_of_date", "Out of date")]),
        (
            &l.waiting,
            vec![pair("waiting_for_vendor", "Waiting for the vendor")],
        ),
        (&l.quiet, vec![]),
    ];
    for (license, want) in &expected {
        assert_eq!(&badges(&app, license), want, "the badges of {license}");
    }
    // The full sentence (the badge's title, and what a screen reader reads) says which
    // FailoverSuite and since when.
    let title = app
        .s()
        .execute(
            "return document.querySelector(`tr[data-license='${arguments[0]}'] .attention-badge`).title;",
            vec![serde_json::json!(l.overdue.as_str())],
        )
        .unwrap();
    let title = title.as_str().unwrap();
    assert!(
        title.contains(l.overdue_failover.as_str())
            && title.contains("no usage journal accounts for the standby's time since"),
        "{title}"
    );
    let out_of_date = app
        .s()
        .execute(
            "return document.querySelector(`tr[data-license='${arguments[0]}'] .attention-badge`).textContent;",
            vec![serde_json::json!(l.out_of_date.as_str())],
        )
        .unwrap();
    assert!(
        out_of_date
            .as_str()
            .unwrap()
            .contains("the standby system was activated before the main system's licenses changed"),
        "{out_of_date}"
    );
    assert_eq!(
        app.s().text_of("#attention-count").unwrap(),
        "7 need attention"
    );
    assert_eq!(app.s().text_of("#count").unwrap(), "8 licenses");
    app.shot("list-attention");

    // Only those needing attention, and back.
    click(&app, "#attention-filter");
    let shown = wait_rows(&app, 7);
    assert!(shown.iter().all(|r| !r.contains("Ruhig & Co")), "{shown:?}");
    let pressed = app.s().find("#attention-filter").unwrap();
    assert_eq!(
        app.s()
            .attribute(&pressed, "aria-pressed")
            .unwrap()
            .as_deref(),
        Some("true")
    );
    assert_eq!(app.s().text_of("#count").unwrap(), "7 licenses");
    // With a filter too: the customers matching it that need attention.
    let filter = app.s().find("#filter").unwrap();
    app.s().type_text(&filter, "warnung").unwrap();
    let shown = wait_rows(&app, 2);
    assert!(
        shown[0].contains("Letzte Warnung AG") && shown[1].contains("Warnung GmbH"),
        "{shown:?}"
    );
    app.s().clear(&filter).unwrap();
    app.s().type_text(&filter, "ruhig").unwrap();
    wait_rows(&app, 0);
    assert_eq!(
        app.s().text_of("#empty").unwrap(),
        "No license matching “ruhig” needs attention."
    );
    app.s().clear(&filter).unwrap();
    app.s().type_text(&filter, " ").unwrap();
    wait_rows(&app, 7);
    click(&app, "#attention-filter");
    wait_rows(&app, 8);

    // In German, as a German administrator reads it.
    click(&app, "#lang-de");
    wait_text(&app, "#attention-count", "7 mit Handlungsbedarf");
    let german = [
        (&l.violation, "Verstoß"),
        (&l.final_warning, "Letzte Warnung: über 96 h"),
        (&l.warning, "Warnung: über 72 h"),
        (&l.tampered, "Protokoll manipuliert"),
        (&l.overdue, "Protokoll überfällig"),
        (&l.out_of_date, "Veraltet"),
        (&l.waiting, "Wartet auf den Hersteller"),
    ];
    for (license, text) in german {
        let b = badges(&app, license);
        assert_eq!(b.len(), 1, "{b:?}");
        assert_eq!(b[0].1, text);
    }
    assert_eq!(
        app.s().text_of("#attention-filter").unwrap(),
        "Nur mit Handlungsbedarf"
    );
    app.shot("list-attention-de");
}

#[test]
fn the_attention_count_is_a_status_and_the_only_live_regions_of_the_list_are_the_counts() {
    let dir = tempfile::tempdir().unwrap();
    let home = AppHome::in_dir(dir.path());
    let demo = demo_vendor(dir.path()).unwrap();
    let mut b = StoreBuilder::new(dir.path(), &home);
    b.base(&demo, "Ruhig & Co", Variant::Users10, &[]);
    drop(b);
    let app = App::launch(&home);
    wait_rows(&app, 1);
    assert_eq!(
        app.s().text_of("#attention-count").unwrap(),
        "Nothing needs attention"
    );
    let live = app
        .s()
        .execute(
            "const list = document.getElementById('view-licenses').querySelector('.licenses');
             return Array.from(list.querySelectorAll('[aria-live], [role=status], [role=alert], [role=log]'))
               .map((e) => e.id);",
            vec![],
        )
        .unwrap();
    assert_eq!(live, serde_json::json!(["count", "attention-count"]));
}
