//! Usage journals in the window: a tampered journal beside the last trusted evaluation, journals
//! whose signature fails shown above the licenses and dismissed there, a clock behind signed time.

use licdesk_core::Variant;
use licdesk_desk::Desk;
use licdesk_store::Queries;
use licdesk_tests::app::{App, AppHome};
use licdesk_tests::demo_vendor;

use crate::support::*;

#[test]
fn a_tampered_journal_is_shown_as_such_in_the_window_beside_the_last_trusted_evaluation() {
    let dir = tempfile::tempdir().unwrap();
    let home = AppHome::in_dir(dir.path());
    // A genuine journal with a violation first.
    let (base, fo, journal) =
        standby_with_journal(dir.path(), &home, &[("load", 150), ("idle", 28)]);
    // Re-sign the journal with another key: another installation.
    let text = std::fs::read_to_string(&journal).unwrap();
    let verified = licdesk_core::Envelope::parse(text.as_bytes())
        .unwrap()
        .verify_self_signed()
        .unwrap();
    let payload: licdesk_core::usage::UsageJournal = verified.payload().unwrap();
    let forged = write(
        dir.path(),
        "forged.journal",
        &licdesk_core::seal(
            licdesk_core::FileKind::UsageJournal,
            &payload,
            &licdesk_core::SigningKey::from_bytes(&[4; 32]),
        ),
    );
    let app = App::launch(&home);
    wait_rows(&app, 1);
    open_detail(&app, base.as_str());
    let panel = import_through_picker(&app, &[&journal]);
    assert!(panel.contains("evaluated"), "{panel}");
    let block = format!("section[data-failover='{fo}'] .five-days");
    wait_text(&app, &block, "Violation");
    let panel = import_through_picker(&app, &[&forged]);
    assert!(panel.contains("cannot be trusted"), "{panel}");
    let five = wait_text(&app, &block, "cannot be trusted (tampered)");
    assert!(five.contains("another installation"), "{five}");
    // The violation of the last trusted journal stays in view beside the tamper notice.
    assert!(
        five.contains("Violation: the load phase since") && five.contains("2 h over the limit"),
        "{five}"
    );
    assert!(five.contains("Last trusted journal: exported on"), "{five}");
    scroll_into_view(&app, &block);
    app.shot("five-day-tampered");
    let (code, line) = monitoring(&home.store);
    assert_eq!(code, 2, "{line}");
    assert!(line.contains("tampered"), "{line}");
    // Dismissed through the dialog, with a reason (required).
    click(
        &app,
        &format!("{block} .dismiss-tamper[data-failover='{fo}']"),
    );
    wait_text(
        &app,
        "#reason-heading",
        "Dismiss the tampered usage journal",
    );
    give_reason(&app, "Test file re-signed by our QA team");
    let five = wait_text(&app, &block, "dismissed on");
    assert!(
        five.contains("Test file re-signed by our QA team"),
        "{five}"
    );
    assert!(!five.contains("cannot be trusted"), "{five}");
    assert!(hidden(&app, &format!("{block} .tamper")));
    assert!(hidden(&app, &format!("{block} .dismiss-tamper")));
    assert!(five.contains("As of the journal exported on"), "{five}");
    // Still there: the violation of the trusted journal, and its acknowledge button (the focus's next step).
    assert!(five.contains("Violation: the load phase since"), "{five}");
    wait_focus(&app, &format!("acknowledge-violations:{fo}"));
    scroll_into_view(&app, &block);
    app.shot("five-day-tamper-dismissed");
    // Monitoring no longer reports the tampered journal (the violation it still reports).
    let (code, line) = monitoring(&home.store);
    assert_eq!(code, 2, "{line}");
    assert!(!line.contains("tampered"), "{line}");
    assert!(line.contains("over the five-day limit"), "{line}");
}

#[test]
fn the_window_warns_when_the_system_clock_is_behind_the_latest_signed_time() {
    let dir = tempfile::tempdir().unwrap();
    let home = AppHome::in_dir(dir.path());
    let demo = demo_vendor(dir.path()).unwrap();
    let mut b = StoreBuilder::new(dir.path(), &home);
    b.base_issued_at(
        &demo,
        "Zukunft AG",
        Variant::Users10,
        licdesk_core::Timestamp::from_unix(licdesk_desk::now().unix() + 40 * 24 * 3600),
    );
    drop(b);
    let app = App::launch(&home);
    let banner = wait_text(&app, "#clock-banner", "system clock is behind");
    assert!(banner.contains("check the clock"), "{banner}");
    app.shot("clock-behind");
}

#[test]
fn usage_journals_whose_signature_fails_are_shown_above_the_licenses_and_dismissed_there() {
    let dir = tempfile::tempdir().unwrap();
    let home = AppHome::in_dir(dir.path());
    let (_, _, journal) = standby_with_journal(dir.path(), &home, &[("load", 10), ("idle", 5)]);
    let text = std::fs::read_to_string(&journal).unwrap();
    let named_key = licdesk_core::Envelope::parse(text.as_bytes())
        .unwrap()
        .key_id()
        .to_string();
    // Two journals of that installation, each changed after it was signed.
    let first = write(
        dir.path(),
        "changed-1.journal",
        &with_payload_changed(&text, 1, 10),
    );
    let second = write(
        dir.path(),
        "changed-2.journal",
        &with_payload_changed(&text, 2, 20),
    );
    let app = App::launch(&home);
    wait_rows(&app, 1);
    assert!(hidden(&app, "#journals-banner"), "no journal, no banner");
    let (code, line) = monitoring(&home.store);
    assert_eq!(code, 0, "{line}");

    // Imported through the window's file input: refused, recorded, and the banner says so.
    let panel = import_through_picker(&app, &[&first, &second]);
    assert!(
        panel.contains("changed-1.journal: refused")
            && panel.contains("changed-2.journal: refused")
            && panel.contains("The signature does not match"),
        "{panel}"
    );
    let banner = wait_text(
        &app,
        "#journals-banner",
        "2 usage journals could not be verified (their signature fails) and are reported to monitoring.",
    );
    assert!(banner.contains("Show…"), "{banner}");
    assert!(hidden(&app, "#journals-list"), "the list opens on request");
    let hashes: Vec<String> = Desk::open(&home.store)
        .unwrap()
        .store()
        .unreadable_journals()
        .unwrap()
        .into_iter()
        .map(|j| j.file_hash)
        .collect();
    assert_eq!(hashes.len(), 2);
    let (code, line) = monitoring(&home.store);
    assert_eq!(code, 2, "{line}");
    assert!(line.contains("tampered"), "{line}");

    // Show… lists each: imported date, short hash, the key id the file names.
    click(&app, "#journals-toggle");
    let list = wait_text(&app, "#journals-list", &named_key);
    for hash in &hashes {
        assert!(
            list.contains(&format!("SHA-256 {}…", &hash[..12])),
            "{list}"
        );
    }
    assert_eq!(
        list.matches(&format!("names key {named_key} (unverified)"))
            .count(),
        2,
        "{list}"
    );
    assert_eq!(list.matches("Imported on").count(), 2, "{list}");
    let toggle = app.s().find("#journals-toggle").unwrap();
    assert_eq!(
        app.s()
            .attribute(&toggle, "aria-expanded")
            .unwrap()
            .as_deref(),
        Some("true")
    );
    assert_eq!(app.s().text(&toggle).unwrap(), "Hide");
    let (_, unnamed) = unnamed_controls(&app, Some("#journals-banner"));
    assert_eq!(unnamed, serde_json::json!([]), "unnamed in the banner");
    app.shot("unverified-journals");
    // It belongs to the Licenses view: the other screens do not show it.
    click(&app, "#tab-machine");
    assert!(hidden(&app, "#journals-banner"));
    click(&app, "#tab-licenses");
    assert!(!hidden(&app, "#journals-banner"));
    wait_text(&app, "#journals-list", &hashes[1][..12]);

    // The banner follows the language switch, and back.
    no_english_in_german(&app, "the unverified journals", "unverified-journals-de");
    let banner = wait_text(
        &app,
        "#journals-banner",
        "2 Nutzungsprotokolle konnten nicht verifiziert werden (ihre Signatur stimmt nicht) und werden an die Überwachung gemeldet.",
    );
    assert!(
        banner.contains(&format!("nennt Schlüssel {named_key} (nicht verifiziert)"))
            && banner.contains("Ausblenden")
            && banner.contains("Als geprüft markieren…"),
        "{banner}"
    );
    click(&app, "#lang-en");
    wait_text(&app, "#journals-banner", "could not be verified");

    // With the keyboard alone: Tab from the header's last stop (its toolbar) to the banner's
    // button, on to the first journal's Dismiss…, and Enter opens the reason dialog.
    const TAB: &str = "\u{E004}";
    const ENTER: &str = "\u{E007}";
    app.s()
        .execute("document.getElementById('import-button').focus();", vec![])
        .unwrap();
    app.s().press(&[], TAB).unwrap();
    wait_focus(&app, "journals-toggle");
    let toggle = app.s().find("#journals-toggle").unwrap();
    app.s().type_text(&toggle, TAB).unwrap();
    wait_focus(&app, "dismiss-unverified");
    let first_hash = app
        .s()
        .execute("return document.activeElement.dataset.hash;", vec![])
        .unwrap()
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(first_hash, hashes[0]);
    let button = app
        .s()
        .find(&format!(".dismiss-unverified[data-hash='{first_hash}']"))
        .unwrap();
    app.s().type_text(&button, ENTER).unwrap();
    wait_text(
        &app,
        "#reason-heading",
        "Dismiss the usage journal whose signature fails",
    );
    let what = app.s().text_of("#reason-what").unwrap();
    assert!(
        what.contains(&format!("SHA-256 {}…", &first_hash[..12])) && what.contains(&named_key),
        "{what}"
    );
    give_reason(&app, "Changed by hand while testing the export");
    wait_text(&app, "#status-text", "whose signature fails is dismissed");
    let banner = wait_text(
        &app,
        "#journals-banner",
        "1 usage journal could not be verified (its signature fails) and is reported to monitoring.",
    );
    assert!(!banner.contains(&first_hash[..12]), "{banner}");
    assert!(banner.contains(&hashes[1][..12]), "{banner}");
    // The focus goes on to the journal still listed.
    wait_focus(&app, "dismiss-unverified");
    let (code, line) = monitoring(&home.store);
    assert_eq!(code, 2, "{line}");
    assert!(
        !line.contains(&first_hash[..12]) && line.contains(&hashes[1][..12]),
        "{line}"
    );

    // The second one with a click; then the banner is gone and monitoring reports nothing.
    click(
        &app,
        &format!(".dismiss-unverified[data-hash='{}']", hashes[1]),
    );
    wait_text(
        &app,
        "#reason-heading",
        "Dismiss the usage journal whose signature fails",
    );
    give_reason(
        &app,
        "A copy damaged in transit; the standby's journal is fine",
    );
    wait_text(&app, "#status-text", "whose signature fails is dismissed");
    app.s()
        .wait_for("the banner to go", WAIT, |_| {
            Ok(hidden(&app, "#journals-banner").then_some(()))
        })
        .unwrap();
    wait_focus(&app, "filter");
    app.shot("unverified-journals-dismissed");
    let (code, line) = monitoring(&home.store);
    assert_eq!(code, 0, "{line}");
    assert!(line.starts_with("LICDESK OK"), "{line}");
    let audit = Desk::open(&home.store).unwrap().audit_log().unwrap();
    for (hash, reason) in [
        (&hashes[0], "Changed by hand while testing the export"),
        (&hashes[1], "A copy damaged in transit"),
    ] {
        assert!(
            audit.iter().any(|e| e.action == "journal-dismissed"
                && e.detail.contains(hash.as_str())
                && e.detail.contains(reason)),
            "{hash} not dismissed in the audit log"
        );
    }
}
