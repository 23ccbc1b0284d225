//! End-to-end tests: the real app, driven through tauri-driver and WebKitWebDriver as a user would,
//! on stores built from real signed files. Screenshots go to target/e2e-artifacts/.

#![allow(clippy::unwrap_used)] // tests state their expectations by unwrapping

use std::path::Path;
use std::time::Duration;

use licdesk_core::{Extension, StandbyMode, Variant};
use licdesk_desk::{Desk, ImportStatus, MachineChoice};
use licdesk_issuer::VendorKey;
use licdesk_store::Queries;
use licdesk_tests::app::{App, AppHome};
use licdesk_tests::demo_vendor;

fn store_dump(home: &AppHome) -> String {
    Desk::open(&home.store).unwrap().store().dump().unwrap()
}

const WAIT: Duration = Duration::from_secs(10);

/// Builds a store by importing real certificate files, as `licdesk import` would.
struct StoreBuilder<'a> {
    dir: &'a Path,
    desk: Desk,
    n: usize,
}

impl<'a> StoreBuilder<'a> {
    fn new(dir: &'a Path, home: &AppHome) -> Self {
        StoreBuilder {
            dir,
            desk: Desk::open(&home.store).unwrap(),
            n: 0,
        }
    }

    fn import(&mut self, text: &str) {
        self.n += 1;
        let path = self.dir.join(format!("file-{}.lic", self.n));
        std::fs::write(&path, text).unwrap();
        let outcome = self.desk.import_paths(&[path]).remove(0);
        assert_ne!(outcome.status, ImportStatus::Refused, "{}", outcome.message);
    }

    fn base(
        &mut self,
        vendor: &VendorKey,
        customer: &str,
        variant: Variant,
        ext: &[(&str, &str, u32)],
    ) -> licdesk_core::LicenseNumber {
        let extensions = ext
            .iter()
            .map(|(a, n, q)| Extension {
                article: a.to_string(),
                name: n.to_string(),
                quantity: *q,
            })
            .collect();
        let (cert, text) =
            licdesk_issuer::issue_base(vendor, customer, variant, extensions, None, 1).unwrap();
        self.import(&text);
        cert.license
    }

    fn failover(
        &mut self,
        vendor: &VendorKey,
        base: &licdesk_core::LicenseNumber,
    ) -> licdesk_core::LicenseNumber {
        let (cert, text) = licdesk_issuer::issue_failover(vendor, base).unwrap();
        self.import(&text);
        cert.license
    }

    /// Another vendor whose key the desk trusts (not DEMO).
    fn trusted_vendor(&mut self) -> VendorKey {
        let key = self.dir.join("vendor.key");
        let vendor =
            licdesk_issuer::keygen(&key, "Real Vendor AG", licdesk_issuer::IfExists::Refuse)
                .unwrap();
        self.desk
            .trust_add(&licdesk_issuer::public_key_path(&key))
            .unwrap();
        vendor
    }
}

/// The app, running on a store with one demo base license of `customer` and a FailoverSuite
/// for it, its list shown. (Fields in the order the tests declare them.)
struct OneFailover {
    dir: tempfile::TempDir,
    base: licdesk_core::LicenseNumber,
    fo: licdesk_core::LicenseNumber,
    app: App,
}

fn one_failover(customer: &str, variant: Variant) -> OneFailover {
    let dir = tempfile::tempdir().unwrap();
    let home = AppHome::in_dir(dir.path());
    let demo = demo_vendor(dir.path()).unwrap();
    let mut b = StoreBuilder::new(dir.path(), &home);
    let base = b.base(&demo, customer, variant, &[]);
    let fo = b.failover(&demo, &base);
    drop(b);
    let app = App::launch(&home);
    wait_rows(&app, 1);
    OneFailover { dir, base, fo, app }
}

fn rows(app: &App) -> Vec<String> {
    let s = app.s();
    s.find_all("#rows tr")
        .unwrap()
        .iter()
        .map(|r| s.text(r).unwrap())
        .collect()
}

fn wait_rows(app: &App, count: usize) -> Vec<String> {
    app.s()
        .wait_for(&format!("{count} rows"), WAIT, |s| {
            let n = s.find_all("#rows tr")?.len();
            Ok((n == count).then_some(()))
        })
        .unwrap();
    rows(app)
}

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
        r[0].contains("Acme Unlimited Ltd") && r[0].contains("Unlimited users"),
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
    assert!(
        r[1].contains("25 users") && r[1].contains("Fax Gateway ×2"),
        "{r:?}"
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

/// The civil date (year, month, day, UTC) of a Unix time.
fn civil_date(unix: i64) -> (i64, u32, u32) {
    // Howard Hinnant's days-to-civil algorithm.
    let z = unix.div_euclid(86_400) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// The English and German texts of the window (ui/js/i18n/en.js and de.js), by key.
fn catalogue() -> (
    std::collections::BTreeMap<String, String>,
    std::collections::BTreeMap<String, String>,
) {
    (
        licdesk_tests::ui::catalogue("en"),
        licdesk_tests::ui::catalogue("de"),
    )
}

/// Every English text of the catalogue that German says differently, as its literal parts
/// around the `{placeholders}`, and whether it must fill a whole text (a text of one word, which
/// could otherwise be found inside names) or may be found inside one. Texts equal in both
/// languages (names such as "License Desk", "FailoverSuite", "DEMO") and texts without words
/// are left out.
fn english_only_texts() -> Vec<serde_json::Value> {
    let (en, de) = catalogue();
    assert!(en.len() > 150 && en.len() == de.len(), "{}", en.len());
    let mut out = Vec::new();
    for (key, text) in &en {
        if de.get(key) == Some(text) {
            continue;
        }
        let mut parts = Vec::new();
        let mut rest = text.as_str();
        while let Some(open) = rest.find('{') {
            let close = rest[open..].find('}').map(|c| open + c).unwrap();
            parts.push(rest[..open].to_string());
            rest = &rest[close + 1..];
        }
        parts.push(rest.to_string());
        let words = parts
            .iter()
            .flat_map(|p| p.split(|c: char| !c.is_alphabetic()))
            .filter(|w| w.len() > 1)
            .count();
        if words == 0 {
            continue;
        }
        out.push(serde_json::json!([key, parts, words < 2]));
    }
    out
}

/// The visible texts (text nodes and the names, placeholders and titles of visible elements)
/// that are, or contain, an English text of the catalogue: `[text, key]` pairs. Inside an
/// element marked `lang="en"` (the EN button, a backend detail behind its disclosure) English
/// is meant. Also returns how many texts were looked at.
const ENGLISH_LEFT: &str = "const templates = arguments[0].map(([key, parts, whole]) => {
    const body = parts.map((p) => p.replace(/[.*+?^${}()|[\\]\\\\]/g, '\\\\$&')).join('[\\\\s\\\\S]*?');
    return [key, new RegExp(whole ? '^' + body + '$' : body)];
  });
  const texts = [];
  const visible = (el) => el && el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent.trim();
    if (!text || !node.parentElement || node.parentElement.closest('script, body [lang=en]')) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    const shown = node.parentElement.tagName === 'OPTION' ? visible(node.parentElement.closest('select')) : range.getClientRects().length > 0;
    if (shown) texts.push(text);
  }
  for (const el of document.body.querySelectorAll('[aria-label], [placeholder], [title]')) {
    if (!visible(el) || el.closest('body [lang=en]')) continue;
    for (const name of ['aria-label', 'placeholder', 'title']) {
      const v = (el.getAttribute(name) || '').trim();
      if (v) texts.push(v);
    }
  }
  const found = [];
  for (const text of texts) {
    for (const [key, re] of templates) if (re.test(text)) found.push([text, key]);
  }
  return [texts.length, found];";

/// The English texts left on screen (see [`ENGLISH_LEFT`]); fails when too few texts were seen
/// for the check to mean anything.
fn english_left(app: &App) -> Vec<(String, String)> {
    let v = app
        .s()
        .execute(
            ENGLISH_LEFT,
            vec![serde_json::Value::Array(english_only_texts())],
        )
        .unwrap();
    let seen = v[0].as_u64().unwrap();
    assert!(seen > 20, "only {seen} texts on screen");
    v[1].as_array()
        .unwrap()
        .iter()
        .map(|pair| {
            (
                pair[0].as_str().unwrap().to_string(),
                pair[1].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// Switches to German and checks that no English text is left on screen; back to English, the
/// same check finds English (so it can fail), and `what` must be among it.
fn no_english_in_german(app: &App, what: &str, shot: &str) {
    let english = english_left(app);
    assert!(
        english.len() >= 5,
        "the check finds little English in English ({what}): {english:?}"
    );
    click(app, "#lang-de");
    app.s()
        .wait_for("the German texts", WAIT, |s| {
            Ok(s.text_of("#tab-licenses")?
                .contains("Lizenzen")
                .then_some(()))
        })
        .unwrap();
    let left = english_left(app);
    assert!(
        left.is_empty(),
        "English in the German window ({what}): {left:?}"
    );
    app.shot(shot);
}

#[test]
fn the_language_switch_changes_every_visible_string_dates_and_numbers_and_is_remembered() {
    let dir = tempfile::tempdir().unwrap();
    let home = AppHome::in_dir(dir.path());
    let demo = demo_vendor(dir.path()).unwrap();
    // Issued in 40 days: the clock banner shows too (the system clock is behind a signed time).
    let issued = licdesk_desk::now().unix() + 40 * 24 * 3600;
    let (mut cert, _) = licdesk_issuer::issue_base(
        &demo,
        "Sprachtest GmbH",
        Variant::Unlimited,
        vec![Extension {
            article: "XOM.11000".into(),
            name: "Fax Gateway".into(),
            quantity: 1500,
        }],
        None,
        1,
    )
    .unwrap();
    cert.issued_at = licdesk_core::Timestamp::from_unix(issued);
    let base = cert.license.clone();
    let mut b = StoreBuilder::new(dir.path(), &home);
    b.import(&licdesk_core::seal(
        licdesk_core::FileKind::BaseCertificate,
        &cert,
        &demo.key,
    ));
    let fo = b.failover(&demo, &base);
    drop(b);
    let (new_cert, new_base) =
        licdesk_issuer::issue_base(&demo, "Neukunde KG", Variant::Users10, vec![], None, 1)
            .unwrap();
    let new_file = write(dir.path(), "neu.lic", &new_base);
    let empty_file = write(dir.path(), "leer.lic", "");
    let (_, other) =
        licdesk_issuer::issue_base(&demo, "Anderer", Variant::Users10, vec![], None, 1).unwrap();
    let mut flipped = other.into_bytes();
    let middle = flipped.len() / 2;
    flipped[middle] ^= 0x04;
    let flipped_file = write(
        dir.path(),
        "kaputt.lic",
        std::str::from_utf8(&flipped).unwrap(),
    );
    let huge = dir.path().join("riesig.lic");
    std::fs::File::create(&huge)
        .unwrap()
        .set_len(50 << 20)
        .unwrap();
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let (y, m, d) = civil_date(issued);
    let date_en = format!("{d} {} {y}", MONTHS[m as usize - 1]);
    let date_de = format!("{d:02}.{m:02}.{y}");
    {
        let app = App::launch(&home);
        wait_rows(&app, 1);

        // 1. The list, the detail panel, the clock banner and an import's results (accepted and
        // refused files).
        let clock = wait_text(&app, "#clock-banner", "system clock is behind");
        assert!(clock.contains(&date_en), "{clock}");
        let detail = open_detail(&app, base.as_str());
        assert!(
            detail.contains(&date_en) && detail.contains("1,500"),
            "{detail}"
        );
        let panel = import_through_picker(&app, &[&new_file, &empty_file, &flipped_file, &huge]);
        assert!(panel.contains("1 of 4 files accepted"), "{panel}");
        // In English the backend's precise sentence follows where it adds something.
        assert!(
            panel.contains("riesig.lic: 52,428,800 bytes"),
            "a localized size: {panel}"
        );
        assert!(
            panel.contains("leer.lic: refused. The file is empty.")
                && !panel.contains("Details: the file is empty"),
            "no detail that repeats the sentence: {panel}"
        );
        assert!(panel.contains("Details:"), "{panel}");
        wait_rows(&app, 2);
        app.shot("language-before-switch");
        no_english_in_german(&app, "list, detail, import results", "licenses-de");
        let head = app.s().text_of("thead").unwrap().to_lowercase();
        assert!(
            head.contains("kunde") && head.contains("variante") && head.contains("erweiterungen"),
            "{head}"
        );
        let panel = app.s().text_of("#import-panel").unwrap();
        assert!(
            panel.contains("Import beendet: 1 von 4 Dateien übernommen.")
                && panel.contains(&format!(
                    "neu.lic: Basislizenz {} importiert.",
                    new_cert.license
                ))
                && panel.contains("leer.lic: abgelehnt. Die Datei ist leer."),
            "{panel}"
        );
        // Numbers in German; the backend's English only behind a closed disclosure.
        assert!(panel.contains("riesig.lic: 52.428.800 Byte"), "{panel}");
        assert!(
            panel.contains("leer.lic: abgelehnt. Die Datei ist leer.")
                && !panel.contains("the file is empty"),
            "the English detail of an empty file says nothing more: {panel}"
        );
        let disclosures = app
            .s()
            .execute(
                "return Array.from(document.querySelectorAll('#import-panel details.tech'))
                   .map((d) => [d.open, d.querySelector('summary').textContent]);",
                vec![],
            )
            .unwrap();
        assert_eq!(
            disclosures,
            serde_json::json!([[false, "Technische Details (auf Englisch)"]]),
            "the signature's English detail, closed"
        );
        let detail = app.s().text_of("#detail").unwrap();
        assert!(
            detail.contains(&date_de) && !detail.contains(&date_en),
            "German date {date_de} expected in: {detail}"
        );
        assert!(
            detail.contains("1.500") && !detail.contains("1,500"),
            "German number expected in: {detail}"
        );
        // The suite's own entitlement names its variant in German too.
        assert!(
            detail.contains("OfficeMaster Suite (ohne Benutzerbegrenzung)")
                && !detail.contains("unlimited users"),
            "{detail}"
        );
        assert!(
            rows(&app).iter().any(|r| r.contains("Fax Gateway ×1.500")),
            "{:?}",
            rows(&app)
        );
        let clock = app.s().text_of("#clock-banner").unwrap();
        assert!(
            clock.contains("Die Systemuhr geht") && clock.contains(&date_de),
            "{clock}"
        );
        click(&app, "#lang-en");

        // 2. The register dialog with a check and an error; then a registration's banner and
        // the standby it registered.
        click(&app, &format!(".register-standby[data-failover='{fo}']"));
        let input = app.s().find("#hwid-input").unwrap();
        app.s().type_text(&input, "ABCD-EFGH-JKMN-PQU2").unwrap();
        wait_text(&app, "#hwid-check", "“U” is not used in hardware IDs");
        click(&app, "#register-submit");
        wait_text(&app, "#register-error", "“U” is not used in hardware IDs");
        no_english_in_german(&app, "register dialog", "register-dialog-de");
        assert_eq!(
            app.s().text_of("#register-heading").unwrap(),
            format!("Standby-System der FailoverSuite {fo} registrieren")
        );
        let error = app.s().text_of("#register-error").unwrap();
        assert!(
            error.contains("„U“ kommt in Hardware-IDs nicht vor"),
            "{error}"
        );
        assert_eq!(
            app.s().text_of("#hwid-file-button").unwrap(),
            "Datei auswählen …"
        );
        assert_eq!(
            app.s().text_of("#hwid-file-name").unwrap(),
            "Keine Datei ausgewählt."
        );
        click(&app, "#lang-en");
        wait_text(
            &app,
            "#register-this-id",
            licdesk_desk::this_machine().unwrap().id.as_str(),
        );
        click(&app, "#source-this");
        click(&app, "#register-submit");
        wait_text(&app, "#status-text", "Next: export the activation request.");
        wait_text(&app, "#detail", "not exported yet");
        no_english_in_german(&app, "a registration's banner", "registered-de");
        wait_text(&app, "#detail", "noch nicht exportiert");
        click(&app, "#lang-en");

        // 3. The export dialog with an error from the backend (English only behind a disclosure).
        click(&app, "#export-main");
        let path = app.s().find("#export-path").unwrap();
        app.s()
            .wait_for("a suggested path", WAIT, |s| {
                Ok(s.attribute(&path, "value")?.filter(|v| !v.is_empty()))
            })
            .unwrap();
        app.s().clear(&path).unwrap();
        app.s().type_text(&path, "relative.actreq").unwrap();
        click(&app, "#export-submit");
        wait_text(&app, "#export-error", "not a full path");
        no_english_in_german(&app, "export dialog", "export-dialog-de");
        let error = app.s().text_of("#export-error").unwrap();
        assert!(
            error.starts_with(
                "Der Pfad ist nicht vollständig: Geben Sie ihn ab dem Wurzelverzeichnis an"
            ),
            "{error}"
        );
        let disclosure = app
            .s()
            .execute(
                "const d = document.querySelector('#export-error details.tech');
                 return d && [d.open, d.querySelector('summary').textContent, d.querySelector('[lang=en]').textContent];",
                vec![],
            )
            .unwrap();
        assert_eq!(
            disclosure,
            serde_json::json!([
                false,
                "Technische Details (auf Englisch)",
                "'relative.actreq' is not a full path: write it from the root, like /home/me/request.actreq"
            ])
        );
        click(&app, "#lang-en");
        click(&app, "#export-cancel");

        // 4. This machine, with a copy and a hardware-ID file that cannot be written.
        click(&app, "#tab-machine");
        wait_text(
            &app,
            "#machine-hwid",
            licdesk_desk::this_machine().unwrap().id.as_str(),
        );
        click(&app, "#copy-hwid");
        wait_text(&app, "#copy-status", "Copied to the clipboard.");
        no_english_in_german(&app, "this machine", "this-machine-de");
        wait_text(&app, "#copy-status", "In die Zwischenablage kopiert.");
        click(&app, "#lang-en");

        // 5. The vendor keys.
        click(&app, "#tab-keys");
        wait_text(&app, "#keys-rows", "built into License Desk");
        no_english_in_german(&app, "vendor keys", "vendor-keys-de");
        let keys = wait_text(&app, "#keys-rows", "in License Desk eingebaut");
        assert!(!keys.contains("built into"), "{keys}");
    }
    let app = App::launch(&home);
    wait_rows(&app, 2);
    assert!(
        app.s()
            .text_of("thead")
            .unwrap()
            .to_lowercase()
            .contains("kunde"),
        "the language choice was not remembered"
    );
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
    let banner = app
        .s()
        .wait_for("the error banner", WAIT, |s| {
            let t = s.text_of("#error-banner")?;
            Ok((!t.is_empty()).then_some(t))
        })
        .unwrap();
    assert!(banner.contains("newer License Desk"), "{banner}");
    app.shot("store-error");
    // The error banner follows a language switch.
    click(&app, "#lang-de");
    let banner = wait_text(
        &app,
        "#error-banner",
        "Der Datenbestand wurde von einer neueren License-Desk-Version geschrieben.",
    );
    assert!(
        !banner.contains("The store was written by a newer License Desk."),
        "{banner}"
    );
    // The banner can be closed.
    click(&app, "#error-close");
    assert!(hidden(&app, "#error-banner"), "the error banner stayed");
}

// ---------------------------------------------------------------------------------------------
// The mission in the window: import, register, export, activate, import — by clicking and typing.

fn import_through_picker(app: &App, files: &[&Path]) -> String {
    let s = app.s();
    let input = s.find("#import-input").unwrap();
    let paths: Vec<String> = files.iter().map(|p| p.display().to_string()).collect();
    s.type_text(&input, &paths.join("\n")).unwrap();
    s.wait_for("the import summary", WAIT, |s| {
        let t = s.text_of("#import-summary")?;
        Ok((!t.is_empty()).then_some(()))
    })
    .unwrap();
    s.text_of("#import-panel").unwrap()
}

fn open_detail(app: &App, license: &str) -> String {
    let row = app
        .s()
        .find(&format!("tr[data-license='{license}'] td"))
        .unwrap();
    app.s().click(&row).unwrap();
    detail_text(app, license)
}

fn detail_text(app: &App, license: &str) -> String {
    app.s()
        .wait_for("the detail panel", WAIT, |s| {
            let t = s.text_of("#detail")?;
            Ok(t.contains(license).then_some(t))
        })
        .unwrap()
}

/// Clicks `css`, once it is there (a panel being made anew may not show it yet).
fn click(app: &App, css: &str) {
    let e = app
        .s()
        .wait_for(css, WAIT, |s| Ok(s.find_all(css)?.into_iter().next()))
        .unwrap();
    app.s().click(&e).unwrap();
}

fn wait_text(app: &App, css: &str, needle: &str) -> String {
    app.s()
        .wait_for(&format!("'{needle}' in {css}"), WAIT, |s| {
            let t = s.text_of(css)?;
            Ok(t.contains(needle).then_some(t))
        })
        .unwrap()
}

/// Registers `hwid` typed into the register dialog of `failover`, in `mode`; `shot` names a
/// screenshot of the filled-in dialog.
fn register_typed(app: &App, failover: &str, hwid: &str, mode: &str, shot: Option<&str>) {
    click(
        app,
        &format!(".register-standby[data-failover='{failover}']"),
    );
    let input = app.s().find("#hwid-input").unwrap();
    app.s().clear(&input).unwrap();
    app.s().type_text(&input, hwid).unwrap();
    wait_text(app, "#hwid-check", "Valid hardware ID");
    assert!(checked(app, "#source-typed"), "typing chooses the typed ID");
    click(app, &format!("#mode-select option[value='{mode}']"));
    if let Some(name) = shot {
        app.shot(name);
    }
    click(app, "#register-submit");
}

/// Whether the element `css` is checked (a radio button or a checkbox).
fn checked(app: &App, css: &str) -> bool {
    app.s()
        .execute(
            "const e = document.querySelector(arguments[0]); return Boolean(e && e.checked);",
            vec![serde_json::json!(css)],
        )
        .unwrap()
        .as_bool()
        .unwrap()
}

/// Whether nothing of `css` can be seen (absent, hidden, or not laid out).
fn hidden(app: &App, css: &str) -> bool {
    app.s()
        .execute(
            "const e = document.querySelector(arguments[0]);
             return !e || e.hidden || e.getClientRects().length === 0;",
            vec![serde_json::json!(css)],
        )
        .unwrap()
        .as_bool()
        .unwrap()
}

/// The focused element: its id, or its first class and FailoverSuite (`export-standby:XFM-…`),
/// or `body` when nothing has the focus.
fn focused(app: &App) -> String {
    app.s()
        .execute(
            "const e = document.activeElement;
             if (!e || e === document.body) return 'body';
             if (e.id) return e.id;
             const cls = Array.from(e.classList).find((c) => !['button', 'primary'].includes(c)) || e.tagName.toLowerCase();
             return e.dataset.failover ? cls + ':' + e.dataset.failover : cls;",
            vec![],
        )
        .unwrap()
        .as_str()
        .unwrap()
        .to_string()
}

/// Waits until the focus is on `expected` (see [`focused`]).
fn wait_focus(app: &App, expected: &str) {
    app.s()
        .wait_for(&format!("the focus on {expected}"), WAIT, |_| {
            Ok((focused(app) == expected).then_some(()))
        })
        .unwrap_or_else(|e| panic!("{e}: it is on {}", focused(app)));
}

/// Exports the standby activation request of `failover` to `out` through the export dialog,
/// and closes the dialog; `shot` names a screenshot of the dialog with its result.
fn export_request(app: &App, failover: &str, out: &Path, shot: Option<&str>) {
    click(app, &format!(".export-standby[data-failover='{failover}']"));
    // R11: the standby's (re-)activation dialog carries the standby/test-only notice.
    let notice = wait_text(app, "#export-notice", "standby or test operation only");
    assert!(notice.contains("at most five consecutive days"), "{notice}");
    let path = app.s().find("#export-path").unwrap();
    app.s()
        .wait_for("a suggested path", WAIT, |s| {
            Ok(s.attribute(&path, "value")?.filter(|v| !v.is_empty()))
        })
        .ok();
    app.s().clear(&path).unwrap();
    app.s()
        .type_text(&path, &out.display().to_string())
        .unwrap();
    click(app, "#export-submit");
    wait_text(app, "#export-result", "The request was written to");
    if let Some(name) = shot {
        app.shot(name);
    }
    click(app, "#export-cancel");
}

/// The vendor's answer, from the real `licdesk-issuer` binary.
fn vendor_activates(dir: &Path, request: &Path) -> (bool, String, std::path::PathBuf) {
    vendor_activates_with(dir, request, &[])
}

/// The vendor's answer with more arguments (such as the limits of a standby's license).
fn vendor_activates_with(
    dir: &Path,
    request: &Path,
    extra: &[&str],
) -> (bool, String, std::path::PathBuf) {
    demo_vendor(dir).unwrap();
    let response = request.with_extension("actresp");
    let out = std::process::Command::new(licdesk_tests::built_binary("licdesk-issuer"))
        .args(["activate", "--key"])
        .arg(dir.join("demo-vendor.key"))
        .arg("--ledger")
        .arg(dir.join("ledger.sqlite"))
        .arg("--request")
        .arg(request)
        .arg("--out")
        .arg(&response)
        .args(extra)
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        response,
    )
}

fn typed_hwid(seed: &str) -> String {
    licdesk_core::Hardware::from_components(
        vec![licdesk_core::Component::from_raw(
            licdesk_core::ComponentKind::MachineId,
            seed,
        )],
        None,
    )
    .id
    .to_string()
}

/// A standby's hardware-ID file, written by `licdesk hwid --out` with that machine's own desk
/// (its own installation key), and the hardware ID it names.
fn hardware_id_file(dir: &Path, name: &str) -> (std::path::PathBuf, String) {
    let file = dir.join(format!("{name}.hwid"));
    let out = std::process::Command::new(licdesk_tests::built_binary("licdesk"))
        .arg("--store")
        .arg(dir.join(format!("{name}-desk.sqlite")))
        .args(["--json", "hwid", "--out"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    (file, json["hardware_id"].as_str().unwrap().to_string())
}

/// Registers this machine as the standby of `failover`, in `mode`; returns its hardware ID as the
/// dialog showed it.
fn register_this_machine(app: &App, failover: &str, mode: &str) -> String {
    click(
        app,
        &format!(".register-standby[data-failover='{failover}']"),
    );
    let hwid = app
        .s()
        .wait_for("this machine's hardware ID", WAIT, |s| {
            let t = s.text_of("#register-this-id")?;
            Ok(licdesk_core::HardwareId::parse(&t).is_ok().then_some(t))
        })
        .unwrap();
    click(app, "#source-this");
    click(app, &format!("#mode-select option[value='{mode}']"));
    click(app, "#register-submit");
    hwid
}

/// Registers the standby of `failover` from its hardware-ID file, in `mode`: the dialog's
/// default choice, picked with its own button (the native picker is hidden; WebDriver hands it
/// the file as a user's pick would). `shot` names a screenshot of the filled-in dialog.
fn register_from_file(app: &App, failover: &str, file: &Path, mode: &str, shot: Option<&str>) {
    click(
        app,
        &format!(".register-standby[data-failover='{failover}']"),
    );
    wait_focus(app, "hwid-file-button");
    assert!(
        checked(app, "#source-file"),
        "the hardware-ID file is the default"
    );
    assert_eq!(
        app.s().text_of("#hwid-file-button").unwrap(),
        "Choose file…"
    );
    wait_text(app, "#hwid-file-name", "No file chosen.");
    // The native picker (with its English "Choose File") cannot be seen, nor reached by Tab.
    let picker_hidden = app
        .s()
        .execute(
            "const e = document.getElementById('hwid-file'); const r = e.getBoundingClientRect();
             return getComputedStyle(e).opacity === '0' && r.width <= 1 && r.height <= 1 && e.tabIndex < 0;",
            vec![],
        )
        .unwrap();
    assert_eq!(picker_hidden, true, "the native picker shows");
    let input = app.s().find("#hwid-file").unwrap();
    app.s()
        .type_text(&input, &file.display().to_string())
        .unwrap();
    let name = file.file_name().unwrap().to_str().unwrap();
    wait_text(app, "#hwid-file-name", &format!("Chosen: {name}"));
    click(app, &format!("#mode-select option[value='{mode}']"));
    if let Some(name) = shot {
        app.shot(name);
    }
    click(app, "#register-submit");
}

fn write(dir: &Path, name: &str, text: &str) -> std::path::PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

#[test]
fn scenario_a_from_an_empty_store_the_whole_activation_in_the_window() {
    let dir = tempfile::tempdir().unwrap();
    let home = AppHome::in_dir(dir.path());
    let demo = demo_vendor(dir.path()).unwrap();
    let ext = vec![
        Extension {
            article: "XOM.11000".into(),
            name: "Fax Gateway".into(),
            quantity: 2,
        },
        Extension {
            article: "XOM.12000".into(),
            name: "SMS Connector".into(),
            quantity: 1,
        },
    ];
    let (base, bt) =
        licdesk_issuer::issue_base(&demo, "Müller & Söhne GmbH", Variant::Users25, ext, None, 1)
            .unwrap();
    let (fo, ft) = licdesk_issuer::issue_failover(&demo, &base.license).unwrap();
    let base_file = write(dir.path(), "base.lic", &bt);
    let fo_file = write(dir.path(), "failover.lic", &ft);

    let app = App::launch(&home);
    wait_rows(&app, 0);
    // The empty desk points at its own Import button, not at the command line.
    let empty = app.s().text_of("#empty").unwrap();
    assert!(
        empty.contains("“Import files…” button") && !empty.contains("licdesk import"),
        "{empty}"
    );
    let panel = import_through_picker(&app, &[&fo_file, &base_file]);
    assert!(panel.contains("2 of 2 files accepted"), "{panel}");
    assert!(
        panel.contains("FailoverSuite") && panel.contains("added to its base license"),
        "{panel}"
    );
    wait_rows(&app, 1);
    app.shot("scenario-a-imported");
    let detail = open_detail(&app, base.license.as_str());
    assert!(
        detail.contains("No standby machine is registered"),
        "{detail}"
    );
    // Opening the license was the next action: the import's results are gone.
    assert!(hidden(&app, "#import-panel"), "the import results stayed");

    // The standby's hardware-ID file, made on that machine (its desk's key is its installation
    // key, which the vendor requires for a standby): the register dialog's default choice.
    let (hwid_file, hwid) = hardware_id_file(dir.path(), "standby");
    register_from_file(
        &app,
        fo.license.as_str(),
        &hwid_file,
        "hot",
        Some("scenario-a-register-dialog"),
    );
    let detail = wait_text(&app, "#detail", &hwid);
    assert!(
        detail.contains("Hot standby") && detail.contains("pending"),
        "{detail}"
    );
    // Registered, not exported yet: said so, not just "pending".
    let standby_block = format!("section[data-failover='{}']", fo.license);
    let request_state = app
        .s()
        .text_of(&format!("{standby_block} .request-state"))
        .unwrap();
    assert_eq!(request_state, "not exported yet");
    let done = wait_text(&app, "#status-text", "registered");
    assert_eq!(
        done,
        format!(
            "Standby {hwid} registered for FailoverSuite {}. Next: export the activation request.",
            fo.license
        )
    );
    // The focus is on that next step's button, not lost with the panel made anew.
    let export_button = format!("export-standby:{}", fo.license);
    wait_focus(&app, &export_button);
    app.shot("scenario-a-registered");

    // The main system's request dialog carries no standby notice. Opening it was the next
    // action: the "Registered… Next: export" banner is gone.
    click(&app, "#export-main");
    wait_text(&app, "#export-what", "Activates the main system");
    assert!(hidden(&app, "#status-banner"), "the old banner stayed");
    assert_eq!(app.s().text_of("#export-notice").unwrap(), "");
    click(&app, "#export-cancel");
    wait_focus(&app, "export-main");

    let request = dir.path().join("standby.actreq");
    export_request(
        &app,
        fo.license.as_str(),
        &request,
        Some("scenario-a-export-dialog"),
    );
    assert!(std::fs::read_to_string(&request)
        .unwrap()
        .starts_with("-----BEGIN LICDESK ACTIVATION REQUEST-----"));
    // After the export: what to do next, the request's date in the detail, and the focus back
    // on the (re-rendered) button that opened the dialog.
    let next = wait_text(&app, "#status-text", "Next:");
    assert_eq!(
        next,
        format!(
            "The activation request was saved to {}. Next: send this file to the vendor; when the vendor's response arrives, import it with “Import files…”.",
            request.display()
        )
    );
    let request_state = wait_text(
        &app,
        &format!("{standby_block} .request-state"),
        "waiting for the vendor's response",
    );
    assert!(request_state.starts_with("exported on "), "{request_state}");
    wait_focus(&app, &export_button);
    // The list says so too: the standby waits for the vendor (not just "pending").
    let listed = rows(&app).join("\n");
    assert!(
        listed.contains("standby waiting for the vendor") && !listed.contains("standby pending"),
        "{listed}"
    );
    let (ok, err, response) = vendor_activates(dir.path(), &request);
    assert!(ok, "{err}");

    let panel = import_through_picker(&app, &[&response]);
    assert!(panel.contains("1 of 1 files accepted"), "{panel}");
    assert!(hidden(&app, "#status-banner"), "the export's banner stayed");
    // What was activated, said precisely: the standby, its mode, and the main system's three
    // entitlements (the base license and its two extensions) it now carries (R5).
    let activated = format!(
        "standby.actresp: FailoverSuite {} is active on standby {hwid} (hot standby), with 3 entitlements of its main system.",
        fo.license
    );
    assert!(
        panel.contains(&activated),
        "expected '{activated}' in {panel}"
    );
    let detail = wait_text(&app, "#detail", "active");
    assert!(!detail.contains("pending"), "{detail}");
    // R5: the standby carries every entitlement of the main system plus the FailoverSuite.
    click(
        &app,
        &format!(
            "section[data-failover='{}'] details.granted summary",
            fo.license
        ),
    );
    let granted = app
        .s()
        .text_of(&format!(
            "section[data-failover='{}'] details.granted",
            fo.license
        ))
        .unwrap();
    for needle in [
        "OfficeMaster Suite (25 users)",
        "Fax Gateway",
        "SMS Connector",
        "XFM.47000",
    ] {
        assert!(granted.contains(needle), "{needle} missing in {granted}");
    }
    let block = app.s().text_of(&standby_block).unwrap();
    assert!(!block.contains("Activation request"), "answered: {block}");
    app.shot("scenario-a-active");
    let r = rows(&app);
    assert!(r[0].contains("standby active"), "{r:?}");
}

#[test]
fn scenario_b_the_reuse_of_a_standby_for_a_second_failover_suite_is_refused_in_the_window() {
    let dir = tempfile::tempdir().unwrap();
    let home = AppHome::in_dir(dir.path());
    let demo = demo_vendor(dir.path()).unwrap();
    let mut b = StoreBuilder::new(dir.path(), &home);
    let a = b.base(&demo, "Lastverteilung AG", Variant::Unlimited, &[]);
    let fa = b.failover(&demo, &a);
    let bb = b.base(&demo, "Lastverteilung AG", Variant::Unlimited, &[]);
    let fb = b.failover(&demo, &bb);
    drop(b);
    let app = App::launch(&home);
    wait_rows(&app, 2);
    let hwid = typed_hwid("shared standby");
    open_detail(&app, a.as_str());
    register_typed(&app, fa.as_str(), &hwid, "cold", None);
    wait_text(&app, "#detail", &hwid);
    let before = store_dump(&home);
    open_detail(&app, bb.as_str());
    register_typed(
        &app,
        fb.as_str(),
        &hwid,
        "cold",
        Some("scenario-b-register-dialog"),
    );
    let error = wait_text(
        &app,
        "#register-error",
        "needs its own FailoverSuite license",
    );
    assert!(
        error.contains("The licensing rules do not allow this"),
        "{error}"
    );
    app.shot("scenario-b-refused");
    click(&app, "#register-cancel");
    assert_eq!(store_dump(&home), before);
    let detail = detail_text(&app, bb.as_str());
    assert!(
        detail.contains("No standby machine is registered"),
        "{detail}"
    );
}

#[test]
fn scenario_c_a_test_system_is_shown_as_such() {
    let OneFailover {
        dir: _dir,
        base,
        fo,
        app,
    } = one_failover("Dev Labs", Variant::Users10);
    open_detail(&app, base.as_str());
    register_typed(
        &app,
        fo.as_str(),
        &typed_hwid("test system"),
        "test",
        Some("scenario-c-register-dialog"),
    );
    let detail = wait_text(&app, "#detail", "Test and development system");
    assert!(
        detail.contains("standby or test operation only"),
        "R11: {detail}"
    );
}

/// `response` (vendor-signed) changed by `change` and signed again by the demo vendor: a response
/// the vendor could have made by mistake, genuine in every other way.
fn resigned_response(
    demo: &VendorKey,
    response: &Path,
    change: impl FnOnce(&mut licdesk_core::ActivationResponse),
) -> String {
    let text = std::fs::read_to_string(response).unwrap();
    let verified = licdesk_core::Envelope::parse(text.as_bytes())
        .unwrap()
        .verify(&demo.key.verifying_key())
        .unwrap();
    let mut payload: licdesk_core::ActivationResponse = verified.payload().unwrap();
    change(&mut payload);
    licdesk_core::seal(
        licdesk_core::FileKind::ActivationResponse,
        &payload,
        &demo.key,
    )
}

#[test]
fn every_refused_import_says_why_and_changes_nothing_on_screen_or_in_the_store() {
    let dir = tempfile::tempdir().unwrap();
    let home = AppHome::in_dir(dir.path());
    let demo = demo_vendor(dir.path()).unwrap();
    let mut b = StoreBuilder::new(dir.path(), &home);
    let base = b.base(&demo, "Refusals GmbH", Variant::Users25, &[]);
    let fo = b.failover(&demo, &base);
    let other_fo = b.failover(&demo, &base);
    b.desk
        .register_standby(&fo, &MachineChoice::ThisMachine, StandbyMode::Cold)
        .unwrap();
    // This desk's own request for that standby, waiting for its response.
    let own_request = dir.path().join("own.actreq");
    let written = b
        .desk
        .write_request(
            &fo,
            licdesk_core::Role::Standby,
            None,
            &own_request,
            licdesk_desk::IfExists::Refuse,
        )
        .unwrap();
    drop(b);
    // Files to refuse.
    let (_, other_base) =
        licdesk_issuer::issue_base(&demo, "Other", Variant::Users10, vec![], None, 1).unwrap();
    let mut flipped = other_base.clone().into_bytes();
    let middle = flipped.len() / 2;
    flipped[middle] ^= 0x04;
    let stranger = licdesk_issuer::keygen(
        &dir.path().join("stranger.key"),
        "Stranger",
        licdesk_issuer::IfExists::Refuse,
    )
    .unwrap();
    let (_, untrusted) =
        licdesk_issuer::issue_base(&stranger, "Stranger's", Variant::Users10, vec![], None, 1)
            .unwrap();
    let (orphan_base, _) =
        licdesk_issuer::issue_base(&demo, "Not imported", Variant::Users10, vec![], None, 1)
            .unwrap();
    let (_, orphan) = licdesk_issuer::issue_failover(&demo, &orphan_base.license).unwrap();
    // A response to a request written by another desk (whose standby is its own machine).
    let other_home = dir.path().join("other");
    std::fs::create_dir_all(&other_home).unwrap();
    let mut other = Desk::open(&other_home.join("store.sqlite")).unwrap();
    let d = Desk::open(&home.store).unwrap();
    let base_cert = d.store().base(&base).unwrap().unwrap().certificate_text;
    let fo_cert = d.store().failover(&fo).unwrap().unwrap().certificate_text;
    drop(d);
    for (i, t) in [base_cert, fo_cert].iter().enumerate() {
        let p = write(&other_home, &format!("c{i}.lic"), t);
        other.import_paths(&[p]);
    }
    other
        .register_standby(&fo, &MachineChoice::ThisMachine, StandbyMode::Cold)
        .unwrap();
    let request = other_home.join("req.actreq");
    other
        .write_request(
            &fo,
            licdesk_core::Role::Standby,
            None,
            &request,
            licdesk_desk::IfExists::Refuse,
        )
        .unwrap();
    let (ok, err, response) = vendor_activates(dir.path(), &request);
    assert!(ok, "{err}");
    // Responses that answer this desk's own request, but for another machine or another license.
    let elsewhere = licdesk_core::Hardware::from_components(
        vec![licdesk_core::Component::from_raw(
            licdesk_core::ComponentKind::MachineId,
            "somewhere else entirely",
        )],
        None,
    );
    let for_another_machine = resigned_response(&demo, &response, |r| {
        r.request_nonce = written.nonce.clone();
        r.hardware = elsewhere;
    });
    let for_another_license = resigned_response(&demo, &response, |r| {
        r.request_nonce = written.nonce.clone();
        r.license = other_fo.clone();
    });
    // Files of kinds that are never imported: a request and a hardware-ID file.
    let (hwid_file, _) = hardware_id_file(dir.path(), "some-standby");

    let huge = dir.path().join("huge.lic");
    std::fs::File::create(&huge)
        .unwrap()
        .set_len(50 << 20)
        .unwrap();
    let cases: Vec<(std::path::PathBuf, &str)> = vec![
        (
            write(
                dir.path(),
                "flipped.lic",
                std::str::from_utf8(&flipped).unwrap_or("x"),
            ),
            "the file was changed after it was signed",
        ),
        (
            write(dir.path(), "untrusted.lic", &untrusted),
            "does not trust",
        ),
        (
            write(dir.path(), "orphan.lic", &orphan),
            "import the base license first",
        ),
        (response, "answers another request"),
        (
            write(dir.path(), "other-machine.actresp", &for_another_machine),
            "This response was made for another machine.",
        ),
        (
            write(dir.path(), "other-license.actresp", &for_another_license),
            "This response is for another license than the request.",
        ),
        (
            own_request.clone(),
            "This kind of file is not imported here.",
        ),
        (hwid_file, "This kind of file is not imported here."),
        (write(dir.path(), "empty.lic", ""), "The file is empty"),
        (
            write(dir.path(), "binary.lic", "\u{0}\u{1}ELF"),
            "not a License Desk file",
        ),
        (huge, "far too large"),
    ];
    let app = App::launch(&home);
    let rows_before = wait_rows(&app, 1);
    let detail_before = open_detail(&app, base.as_str());
    assert!(
        detail_before.contains(fo.as_str()) && detail_before.contains("pending"),
        "{detail_before}"
    );
    let store_before = store_dump(&home);
    for (file, needle) in &cases {
        let panel = import_through_picker(&app, &[file]);
        assert!(
            panel.contains("0 of 1 files accepted"),
            "{}: {panel}",
            file.display()
        );
        assert!(
            panel.contains(needle),
            "{}: expected '{needle}' in {panel}",
            file.display()
        );
        assert_eq!(rows(&app), rows_before, "the list changed");
        assert_eq!(
            app.s().text_of("#detail").unwrap(),
            detail_before,
            "the detail panel changed"
        );
        assert_eq!(store_dump(&home), store_before, "the store changed");
    }
    app.shot("import-refused");
}

#[test]
fn this_machine_and_the_vendor_keys_are_shown_read_only() {
    let dir = tempfile::tempdir().unwrap();
    let home = AppHome::in_dir(dir.path());
    let mut b = StoreBuilder::new(dir.path(), &home);
    let real = b.trusted_vendor();
    drop(b);
    let this = licdesk_desk::this_machine().unwrap();
    let app = App::launch(&home);
    click(&app, "#tab-machine");
    let shown = wait_text(&app, "#machine-hwid", this.id.as_str());
    assert_eq!(shown, this.id.as_str());
    click(&app, "#copy-hwid");
    wait_text(&app, "#copy-status", "Copied");
    app.shot("this-machine");
    click(&app, "#tab-keys");
    let keys = wait_text(&app, "#keys-rows", "Real Vendor AG");
    assert!(
        keys.contains(real.key_id().as_str()) && keys.contains("added with licdesk trust add"),
        "{keys}"
    );
    assert!(
        keys.contains("Demo Vendor (DEMO)") && keys.contains("built into License Desk"),
        "{keys}"
    );
    let page = app.s().text_of("#view-keys").unwrap();
    assert!(page.contains("this window cannot add keys"), "{page}");
    assert!(
        app.s()
            .find_all("#view-keys input, #view-keys button")
            .unwrap()
            .is_empty(),
        "read-only"
    );
    app.shot("vendor-keys");
}

#[test]
fn the_licenses_are_usable_with_the_keyboard_alone() {
    let dir = tempfile::tempdir().unwrap();
    let home = AppHome::in_dir(dir.path());
    let demo = demo_vendor(dir.path()).unwrap();
    let mut b = StoreBuilder::new(dir.path(), &home);
    let first = b.base(&demo, "Alpha Keyboard AG", Variant::Users10, &[]);
    b.base(&demo, "Beta Keyboard AG", Variant::Users25, &[]);
    drop(b);
    let app = App::launch(&home);
    wait_rows(&app, 2);
    let row = app
        .s()
        .find(&format!("tr[data-license='{first}']"))
        .unwrap();
    // Enter on a focused row opens its detail; Escape closes it and gives the focus back.
    app.s().type_text(&row, "\u{E007}").unwrap();
    detail_text(&app, first.as_str());
    let focused = app
        .s()
        .execute("return document.activeElement.id;", vec![])
        .unwrap();
    assert_eq!(focused, "detail", "the detail panel takes the focus");
    let panel = app.s().find("#detail").unwrap();
    app.s().type_text(&panel, "\u{E00C}").unwrap();
    app.s()
        .wait_for("the detail to close", WAIT, |s| {
            Ok(s.text_of("#detail")?
                .contains("Select a license")
                .then_some(()))
        })
        .unwrap();
    let focused = app
        .s()
        .execute(
            "return document.activeElement.dataset.license || null;",
            vec![],
        )
        .unwrap();
    assert_eq!(focused, first.as_str());
    // Arrow down moves to the next row.
    let row = app
        .s()
        .find(&format!("tr[data-license='{first}']"))
        .unwrap();
    app.s().type_text(&row, "\u{E015}").unwrap();
    let focused = app
        .s()
        .execute("return document.activeElement.textContent;", vec![])
        .unwrap();
    assert!(
        focused.as_str().unwrap().contains("Beta Keyboard AG"),
        "{focused}"
    );
    // Every control has a label people and screen readers can read.
    let unlabelled = app
        .s()
        .execute(
            "return Array.from(document.querySelectorAll('button, input, select')).filter(e => {
               const text = (e.textContent || '').trim() || e.getAttribute('aria-label') || (e.labels && e.labels.length && e.labels[0].textContent.trim());
               return !text;
             }).map(e => e.id || e.outerHTML.slice(0, 60));",
            vec![],
        )
        .unwrap();
    assert_eq!(
        unlabelled,
        serde_json::json!([]),
        "controls without a label"
    );
}

#[test]
fn a_certificate_dropped_on_the_window_is_imported_and_a_standby_registers_from_its_hardware_id_file(
) {
    let dir = tempfile::tempdir().unwrap();
    let home = AppHome::in_dir(dir.path());
    let demo = demo_vendor(dir.path()).unwrap();
    let mut b = StoreBuilder::new(dir.path(), &home);
    let base = b.base(&demo, "Drop & Drag GmbH", Variant::Users250, &[]);
    drop(b);
    let (fo, ft) = licdesk_issuer::issue_failover(&demo, &base).unwrap();
    let app = App::launch(&home);
    wait_rows(&app, 1);
    // A drop of a file on the window, as the browser engine delivers it to the page.
    app.s()
        .execute(
            "const file = new File([arguments[0]], 'failover.lic', {type: 'text/plain'});
             const data = new DataTransfer();
             data.items.add(file);
             for (const type of ['dragenter', 'dragover', 'drop']) {
               document.body.dispatchEvent(new DragEvent(type, {bubbles: true, cancelable: true, dataTransfer: data}));
             }
             return true;",
            vec![serde_json::json!(ft)],
        )
        .unwrap();
    let panel = wait_text(&app, "#import-panel", "1 of 1 files accepted");
    assert!(panel.contains(fo.license.as_str()), "{panel}");
    open_detail(&app, base.as_str());

    // The standby's hardware-ID file, written by `licdesk hwid --out` on that machine.
    let hwid_file = dir.path().join("standby.hwid");
    let out = std::process::Command::new(licdesk_tests::built_binary("licdesk"))
        .arg("--store")
        .arg(dir.path().join("standby-desk.sqlite"))
        .args(["--json", "hwid", "--out"])
        .arg(&hwid_file)
        .output()
        .unwrap();
    assert!(out.status.success());
    let hwid: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    click(
        &app,
        &format!(".register-standby[data-failover='{}']", fo.license),
    );
    let file_input = app.s().find("#hwid-file").unwrap();
    app.s()
        .type_text(&file_input, &hwid_file.display().to_string())
        .unwrap();
    click(&app, "#source-file");
    click(&app, "#register-submit");
    let detail = wait_text(&app, "#detail", hwid["hardware_id"].as_str().unwrap());
    assert!(
        detail.contains("pending") && detail.contains("Cold standby"),
        "{detail}"
    );
}

// ---------------------------------------------------------------------------------------------
// Standby compliance in the window (issue 4).

/// Scrolls `css` into the middle of its scrolling panel and checks it is then wholly inside the
/// window (so that a screenshot shows it).
fn scroll_into_view(app: &App, css: &str) {
    let in_view = app
        .s()
        .execute(
            "const v = document.querySelector(arguments[0]);
             if (!v) return false;
             v.scrollIntoView({block: 'center'});
             const r = v.getBoundingClientRect();
             return r.top >= 0 && r.bottom <= window.innerHeight && r.height > 0;",
            vec![serde_json::json!(css)],
        )
        .unwrap();
    assert_eq!(in_view, true, "{css} is not in view");
}

fn cli(store: &Path, args: &[&str]) -> String {
    let out = std::process::Command::new(licdesk_tests::built_binary("licdesk"))
        .arg("--store")
        .arg(store)
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "licdesk {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// `licdesk check` on `store` with the built binary: its exit code (0 OK, 1 WARNING, 2 CRITICAL,
/// 3 UNKNOWN) and its status line.
fn monitoring(store: &Path) -> (i32, String) {
    let out = std::process::Command::new(licdesk_tests::built_binary("licdesk"))
        .arg("--store")
        .arg(store)
        .arg("check")
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

/// Gives `reason` in the open reason dialog (the focus is in its text field) and submits it;
/// first submits it empty, which is refused in the user's language.
fn give_reason(app: &App, reason: &str) {
    wait_focus(app, "reason-input");
    click(app, "#reason-submit");
    wait_text(app, "#reason-error", "the reason is required");
    assert!(
        !hidden(app, "#reason-dialog"),
        "an empty reason closed the dialog"
    );
    let input = app.s().find("#reason-input").unwrap();
    app.s().type_text(&input, reason).unwrap();
    click(app, "#reason-submit");
    app.s()
        .wait_for("the reason dialog to close", WAIT, |_| {
            Ok(hidden(app, "#reason-dialog").then_some(()))
        })
        .unwrap();
}

/// A FailoverSuite whose standby was activated on its own desk (this machine), and that desk's
/// usage journal with `parts` (state, hours ago), exported. The app's store holds the certificates.
fn standby_with_journal(
    dir: &Path,
    home: &AppHome,
    parts: &[(&str, i64)],
) -> (
    licdesk_core::LicenseNumber,
    licdesk_core::LicenseNumber,
    std::path::PathBuf,
) {
    let demo = demo_vendor(dir).unwrap();
    let (base, bt) =
        licdesk_issuer::issue_base(&demo, "Five Days GmbH", Variant::Users25, vec![], None, 1)
            .unwrap();
    let (fo, ft) = licdesk_issuer::issue_failover(&demo, &base.license).unwrap();
    let bf = write(dir, "base.lic", &bt);
    let ff = write(dir, "failover.lic", &ft);
    let standby = dir.join("standby-desk.sqlite");
    cli(
        &standby,
        &["import", bf.to_str().unwrap(), ff.to_str().unwrap()],
    );
    cli(
        &standby,
        &[
            "standby",
            "register",
            "--failover",
            fo.license.as_str(),
            "--this-machine",
            "--mode",
            "hot",
        ],
    );
    let req = dir.join("standby.actreq");
    cli(
        &standby,
        &[
            "request",
            "--license",
            fo.license.as_str(),
            "--role",
            "standby",
            "--out",
            req.to_str().unwrap(),
        ],
    );
    let (ok, err, resp) = vendor_activates(dir, &req);
    assert!(ok, "{err}");
    cli(&standby, &["import", resp.to_str().unwrap()]);
    let now = licdesk_desk::now().unix();
    for (state, hours_ago) in parts {
        let at = licdesk_core::Timestamp::from_unix(now - hours_ago * 3600).to_string();
        cli(
            &standby,
            &["journal", "append", "--state", state, "--at", &at],
        );
    }
    let journal = dir.join("usage.journal");
    cli(
        &standby,
        &["journal", "export", "--out", journal.to_str().unwrap()],
    );
    let mut b = StoreBuilder::new(dir, home);
    b.import(&bt);
    b.import(&ft);
    (base.license, fo.license, journal)
}

#[test]
fn a_five_day_violation_shows_its_start_and_time_over_and_the_notice_can_be_acknowledged_r11_r12() {
    let dir = tempfile::tempdir().unwrap();
    let home = AppHome::in_dir(dir.path());
    let (base, fo, journal) =
        standby_with_journal(dir.path(), &home, &[("load", 150), ("idle", 28)]);
    let app = App::launch(&home);
    wait_rows(&app, 1);
    open_detail(&app, base.as_str());
    let panel = import_through_picker(&app, &[&journal]);
    assert!(
        panel.contains("usage journal of") && panel.contains("evaluated"),
        "{panel}"
    );
    let block = format!("section[data-failover='{fo}'] .five-days");
    let five = wait_text(&app, &block, "Violation");
    assert!(
        five.contains("Violation: the episode since")
            && five.contains("122 h under load")
            && five.contains("2 h over the limit"),
        "{five}"
    );
    // The episode ended with the idle gap of 28 h: no episode runs as of the journal's export,
    // so the level is the current episode's (none: fine), and the violation stays beside it.
    assert!(
        five.contains("0 h under load in the current episode") && five.contains("within the rules"),
        "{five}"
    );
    assert!(five.contains("As of the journal exported on"), "{five}");
    // The screenshot shows the violation: scrolled into view, inside the window.
    scroll_into_view(&app, &block);
    app.shot("five-day-violation");
    // Monitoring reports the past violation until it is acknowledged.
    let (code, line) = monitoring(&home.store);
    assert_eq!(code, 2, "{line}");
    assert!(
        line.starts_with("LICDESK CRITICAL") && line.contains("over the five-day limit"),
        "{line}"
    );
    // Acknowledged through the dialog, with a reason (required).
    click(
        &app,
        &format!(".acknowledge-violations[data-failover='{fo}']"),
    );
    wait_text(
        &app,
        "#reason-heading",
        "Acknowledge the violation of FailoverSuite",
    );
    app.shot("five-day-acknowledge-dialog");
    give_reason(
        &app,
        "Main system was down for repairs; agreed with the vendor",
    );
    let five = wait_text(&app, &block, "Acknowledged violation: the episode since");
    assert!(
        five.contains("2 h over the limit")
            && five.contains("Violations acknowledged on")
            && five.contains("Main system was down for repairs; agreed with the vendor"),
        "{five}"
    );
    assert!(!five.contains("Violation: the episode since"), "{five}");
    assert!(hidden(&app, &format!("{block} .notice.violation")));
    assert!(hidden(
        &app,
        &format!(".acknowledge-violations[data-failover='{fo}']")
    ));
    wait_text(&app, "#status-text", "is acknowledged");
    // The acknowledge button is gone: the focus goes to the next step (registering a standby).
    wait_focus(&app, &format!("register-standby:{fo}"));
    scroll_into_view(&app, &block);
    app.shot("five-day-violation-acknowledged");
    let (code, line) = monitoring(&home.store);
    assert_eq!(code, 0, "{line}");
    assert!(line.starts_with("LICDESK OK"), "{line}");
    let audit = Desk::open(&home.store).unwrap().audit_log().unwrap();
    assert!(audit.iter().any(|e| e.action == "violation-acknowledged"
        && e.subject == fo.as_str()
        && e.detail.contains("Main system was down for repairs")));
    // The reseller's desk holds no standby of its own here; the notice is acknowledged where the
    // standby is registered — so register one in this store and acknowledge it.
    register_typed(
        &app,
        fo.as_str(),
        &typed_hwid("five day standby"),
        "hot",
        None,
    );
    wait_text(&app, "#detail", &typed_hwid("five day standby"));
    click(&app, &format!(".acknowledge[data-failover='{fo}']"));
    wait_text(
        &app,
        &format!("section[data-failover='{fo}']"),
        "Notice acknowledged on",
    );
    // The button is gone with the acknowledgement: the focus goes to the next step's button
    // (for a typed standby, registering it again), not to nothing.
    wait_focus(&app, &format!("register-standby:{fo}"));
    let audit = Desk::open(&home.store).unwrap().audit_log().unwrap();
    assert!(audit
        .iter()
        .any(|e| e.action == "notice-acknowledged" && e.subject == fo.as_str()));
}

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
        five.contains("Violation: the episode since") && five.contains("2 h over the limit"),
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
    assert!(five.contains("Violation: the episode since"), "{five}");
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
fn a_warning_comes_from_the_current_episode_not_from_a_finished_one_r12() {
    let dir = tempfile::tempdir().unwrap();
    let home = AppHome::in_dir(dir.path());
    // A finished episode of 100 h (a final warning), an idle gap of 40 h, then the current
    // episode: under load for 80 h as of the export (a warning).
    let (base, fo, journal) = standby_with_journal(
        dir.path(),
        &home,
        &[("load", 220), ("idle", 120), ("load", 80)],
    );
    let app = App::launch(&home);
    wait_rows(&app, 1);
    open_detail(&app, base.as_str());
    let panel = import_through_picker(&app, &[&journal]);
    assert!(panel.contains("evaluated"), "{panel}");
    let block = format!("section[data-failover='{fo}'] .five-days");
    let five = wait_text(&app, &block, "warning: over 72 h");
    assert!(
        five.contains("80 h under load in the current episode"),
        "{five}"
    );
    assert!(!five.contains("final warning"), "{five}");
    assert!(!five.contains("Violation"), "{five}");
    assert!(hidden(
        &app,
        &format!(".acknowledge-violations[data-failover='{fo}']")
    ));
    let badge = app.s().text_of(&format!("{block} .status")).unwrap();
    assert_eq!(badge, "warning: over 72 h");
    scroll_into_view(&app, &block);
    app.shot("five-day-current-warning");
    click(&app, "#lang-de");
    let five = wait_text(&app, &block, "Warnung: über 72 h");
    assert!(!five.contains("letzte Warnung"), "{five}");
    let (code, line) = monitoring(&home.store);
    assert_eq!(code, 1, "{line}");
    assert!(!line.contains("final warning"), "{line}");
}

#[test]
fn an_out_of_date_standby_is_reactivated_and_a_replaced_one_released_in_the_window_r4_r5() {
    let dir = tempfile::tempdir().unwrap();
    let home = AppHome::in_dir(dir.path());
    let demo = demo_vendor(dir.path()).unwrap();
    let (base, bt) =
        licdesk_issuer::issue_base(&demo, "Wachstum GmbH", Variant::Users25, vec![], None, 1)
            .unwrap();
    let (fo, ft) = licdesk_issuer::issue_failover(&demo, &base.license).unwrap();
    let (fo, base) = (fo.license, base.license);
    let app = App::launch(&home);
    wait_rows(&app, 0);
    import_through_picker(
        &app,
        &[
            &write(dir.path(), "b.lic", &bt),
            &write(dir.path(), "f.lic", &ft),
        ],
    );
    wait_rows(&app, 1);
    open_detail(&app, base.as_str());
    // This machine is the standby: its desk's key is the installation key the vendor certifies,
    // so this desk can later ask for the standby's release.
    let old = register_this_machine(&app, fo.as_str(), "cold");
    wait_text(&app, "#detail", &old);
    let req = dir.path().join("first.actreq");
    export_request(&app, fo.as_str(), &req, None);
    let (ok, err, resp) = vendor_activates(dir.path(), &req);
    assert!(ok, "{err}");
    import_through_picker(&app, &[&resp]);
    wait_text(&app, &format!("section[data-failover='{fo}']"), "active");

    // The main system's licenses change: the standby is out of date and offers re-activation.
    let (_, upgraded) = licdesk_issuer::issue_base(
        &demo,
        "Wachstum GmbH",
        Variant::Users250,
        vec![],
        Some(base.clone()),
        2,
    )
    .unwrap();
    import_through_picker(&app, &[&write(dir.path(), "upgrade.lic", &upgraded)]);
    let block = wait_text(
        &app,
        &format!("section[data-failover='{fo}']"),
        "out of date",
    );
    assert!(block.contains("Re-activate"), "{block}");
    let req = dir.path().join("again.actreq");
    export_request(&app, fo.as_str(), &req, Some("reactivation-export-dialog"));
    let (ok, err, resp) = vendor_activates(dir.path(), &req);
    assert!(ok, "{err}");
    import_through_picker(&app, &[&resp]);
    let block = wait_text(&app, &format!("section[data-failover='{fo}']"), "active");
    assert!(!block.contains("out of date"), "{block}");

    // Hardware replaced: release request, the vendor's release, a new standby.
    click(&app, &format!(".release-standby[data-failover='{fo}']"));
    wait_text(&app, "#export-heading", "Export release request");
    let notice = app.s().text_of("#export-notice").unwrap();
    assert!(
        notice.contains("standby or test operation only"),
        "R11: {notice}"
    );
    let path = app.s().find("#export-path").unwrap();
    app.s().clear(&path).unwrap();
    let relreq = dir.path().join("standby.relreq");
    app.s().type_text(&path, relreq.to_str().unwrap()).unwrap();
    click(&app, "#export-submit");
    wait_text(&app, "#export-result", "The release request was written to");
    click(&app, "#export-cancel");
    demo_vendor(dir.path()).unwrap();
    let release = dir.path().join("standby.release");
    let out = std::process::Command::new(licdesk_tests::built_binary("licdesk-issuer"))
        .args(["release", "--key"])
        .arg(dir.path().join("demo-vendor.key"))
        .arg("--ledger")
        .arg(dir.path().join("ledger.sqlite"))
        .arg("--request")
        .arg(&relreq)
        .arg("--out")
        .arg(&release)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let panel = import_through_picker(&app, &[&release]);
    assert!(panel.contains("released"), "{panel}");
    let block = wait_text(
        &app,
        &format!("section[data-failover='{fo}']"),
        "No standby machine is registered",
    );
    assert!(!block.contains(&old), "{block}");
    register_typed(&app, fo.as_str(), &typed_hwid("new machine"), "hot", None);
    wait_text(&app, "#detail", &typed_hwid("new machine"));
}

#[test]
fn the_window_warns_when_the_system_clock_is_behind_the_latest_signed_time() {
    let dir = tempfile::tempdir().unwrap();
    let home = AppHome::in_dir(dir.path());
    let demo = demo_vendor(dir.path()).unwrap();
    let (mut cert, _) =
        licdesk_issuer::issue_base(&demo, "Zukunft AG", Variant::Users10, vec![], None, 1).unwrap();
    cert.issued_at =
        licdesk_core::Timestamp::from_unix(licdesk_desk::now().unix() + 40 * 24 * 3600);
    let mut b = StoreBuilder::new(dir.path(), &home);
    b.import(&licdesk_core::seal(
        licdesk_core::FileKind::BaseCertificate,
        &cert,
        &demo.key,
    ));
    drop(b);
    let app = App::launch(&home);
    let banner = wait_text(&app, "#clock-banner", "system clock is behind");
    assert!(banner.contains("check the clock"), "{banner}");
    app.shot("clock-behind");
}

// ---------------------------------------------------------------------------------------------
// Paging, typed checks, a second import while one runs, keyboard and accessible names.

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
fn a_typed_hardware_id_is_checked_as_typed_and_each_mistake_is_named_precisely() {
    let dir = tempfile::tempdir().unwrap();
    let home = AppHome::in_dir(dir.path());
    let demo = demo_vendor(dir.path()).unwrap();
    let mut b = StoreBuilder::new(dir.path(), &home);
    let base = b.base(&demo, "Tippfehler AG", Variant::Users10, &[]);
    let fo = b.failover(&demo, &base);
    drop(b);
    let good = typed_hwid("typed standby");
    // One character changed: the check characters catch it.
    let first = good.chars().next().unwrap();
    let typo = format!("{}{}", if first == 'A' { 'B' } else { 'A' }, &good[1..]);
    let app = App::launch(&home);
    wait_rows(&app, 1);
    open_detail(&app, base.as_str());
    click(&app, &format!(".register-standby[data-failover='{fo}']"));
    // A typed ID can be recorded, but the vendor needs the standby's installation key.
    let hint = app.s().text_of("#hwid-typed-hint").unwrap();
    assert!(
        hint.contains("a standby known by a typed hardware ID cannot be activated, because the vendor certifies the standby's installation"),
        "{hint}"
    );
    let input = app.s().find("#hwid-input").unwrap();
    let check = |text: &str, expected: &str| {
        app.s().clear(&input).unwrap();
        app.s().type_text(&input, text).unwrap();
        let shown = wait_text(&app, "#hwid-check", expected);
        assert_eq!(shown, expected, "for '{text}'");
        app.s().attribute(&input, "aria-invalid").unwrap()
    };
    let invalid = check(
        "ABCD-EFGH",
        "A hardware ID has 16 characters, like ABCD-EFGH-JKMN-PQ12. You typed 8.",
    );
    assert_eq!(invalid.as_deref(), Some("true"));
    check(
        "ABCD-EFGH-JKMN-PQ1!",
        "“!” is not used in hardware IDs: they use 0–9 and A–Z except I, L, O and U.",
    );
    check(
        &typo,
        "The check characters do not match: a character is mistyped or two are swapped. Compare the ID with the original.",
    );
    let valid = check(&good.to_lowercase(), &format!("Valid hardware ID: {good}"));
    assert_eq!(valid.as_deref(), Some("false"));
    // The same in German, for the ID as it stands and for the next one typed.
    app.s().clear(&input).unwrap();
    app.s().type_text(&input, &typo).unwrap();
    wait_text(&app, "#hwid-check", "The check characters do not match");
    click(&app, "#lang-de");
    wait_text(
        &app,
        "#hwid-check",
        "Die Prüfzeichen stimmen nicht: Ein Zeichen ist vertippt oder zwei sind vertauscht.",
    );
    check(
        "ABCD-EFGH-JKMN",
        "Eine Hardware-ID hat 16 Zeichen, etwa ABCD-EFGH-JKMN-PQ12. Eingegeben: 12.",
    );
    check(
        "UUUU-EFGH-JKMN-PQ12",
        "„U“ kommt in Hardware-IDs nicht vor: Sie bestehen aus 0–9 und A–Z ohne I, L, O und U.",
    );
}

#[test]
fn files_dropped_while_an_import_runs_are_named_as_not_imported() {
    let dir = tempfile::tempdir().unwrap();
    let home = AppHome::in_dir(dir.path());
    let demo = demo_vendor(dir.path()).unwrap();
    let (first, first_text) = licdesk_issuer::issue_base(
        &demo,
        "Erster Import GmbH",
        Variant::Users10,
        vec![],
        None,
        1,
    )
    .unwrap();
    let (_, second_text) = licdesk_issuer::issue_base(
        &demo,
        "Zweiter Import GmbH",
        Variant::Users25,
        vec![],
        None,
        1,
    )
    .unwrap();
    let app = App::launch(&home);
    wait_rows(&app, 0);
    // Two drops, the second while the first is still being imported.
    app.s()
        .execute(
            "const drop = (name, text) => {
               const data = new DataTransfer();
               data.items.add(new File([text], name, {type: 'text/plain'}));
               for (const type of ['dragenter', 'dragover', 'drop']) {
                 document.body.dispatchEvent(new DragEvent(type, {bubbles: true, cancelable: true, dataTransfer: data}));
               }
             };
             drop('first.lic', arguments[0]);
             drop('second.lic', arguments[1]);
             return true;",
            vec![serde_json::json!(first_text), serde_json::json!(second_text)],
        )
        .unwrap();
    let panel = wait_text(&app, "#import-panel", "1 of 1 files accepted");
    assert!(panel.contains(first.license.as_str()), "{panel}");
    let busy = app.s().text_of("#import-busy").unwrap();
    assert_eq!(
        busy,
        "An import is already running: second.lic not imported. Import them again when it has finished."
    );
    let r = wait_rows(&app, 1);
    assert!(r[0].contains("Erster Import GmbH"), "{r:?}");
    assert_eq!(
        Desk::open(&home.store)
            .unwrap()
            .list("", 0, 10)
            .unwrap()
            .total,
        1,
        "the second file was not imported"
    );
    click(&app, "#lang-de");
    wait_text(
        &app,
        "#import-busy",
        "Es läuft bereits ein Import: second.lic nicht importiert.",
    );
}

/// What the focused element is called (its id, or its row's license), and whether its focus can
/// be seen (an outline or a box shadow on it, or on the button it is part of).
const FOCUS_STATE: &str = "const e = document.activeElement;
  if (!e || e === document.body) return null;
  const shown = e.closest('.file-button') || e;
  const style = getComputedStyle(shown);
  const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
  const shadow = style.boxShadow && style.boxShadow !== 'none';
  return [e.id || (e.dataset.license ? 'row:' + e.dataset.license : e.tagName.toLowerCase() + ':' + e.textContent.trim()), outline || shadow];";

fn focus_state(app: &App) -> (String, bool) {
    let v = app.s().execute(FOCUS_STATE, vec![]).unwrap();
    (
        v[0].as_str().unwrap_or("(nothing)").to_string(),
        v[1].as_bool().unwrap_or(false),
    )
}

/// Controls without an accessible name: from aria-labelledby, aria-label, a label, a title or
/// their own text, as assistive technology computes it (in outline).
const UNNAMED: &str = "const root = arguments[0] ? document.querySelector(arguments[0]) : document;
  const text = (n) => (n ? n.textContent.trim() : '');
  const name = (e) => {
    const by = e.getAttribute('aria-labelledby');
    if (by) { const t = by.split(/\\s+/).map((id) => text(document.getElementById(id))).join(' ').trim(); if (t) return t; }
    const aria = (e.getAttribute('aria-label') || '').trim();
    if (aria) return aria;
    if (e.labels && e.labels.length) { const t = Array.from(e.labels).map(text).join(' ').trim(); if (t) return t; }
    const title = (e.getAttribute('title') || '').trim();
    if (title) return title;
    if (['BUTTON', 'SUMMARY', 'TR', 'A'].includes(e.tagName)) return text(e);
    return '';
  };
  const controls = Array.from(root.querySelectorAll('button, input, select, textarea, meter, progress, summary, a[href], [tabindex]:not([tabindex=\"-1\"])'));
  return [controls.length, controls.filter((e) => !name(e)).map((e) => e.id || e.outerHTML.slice(0, 80))];";

fn unnamed_controls(app: &App, within: Option<&str>) -> (u64, serde_json::Value) {
    let v = app
        .s()
        .execute(UNNAMED, vec![serde_json::json!(within)])
        .unwrap();
    (v[0].as_u64().unwrap(), v[1].clone())
}

#[test]
fn tab_moves_through_the_main_screen_in_order_with_a_visible_focus_and_every_control_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let home = AppHome::in_dir(dir.path());
    // A FailoverSuite with a standby and a usage journal: the detail panel shows every kind of
    // control, the five-day meter among them.
    let (base, fo, journal) = standby_with_journal(dir.path(), &home, &[("load", 30), ("idle", 2)]);
    let app = App::launch(&home);
    wait_rows(&app, 1);
    open_detail(&app, base.as_str());
    let (hwid_file, _) = hardware_id_file(dir.path(), "keyboard");
    register_from_file(&app, fo.as_str(), &hwid_file, "hot", None);
    wait_text(&app, "#status-text", "registered");
    click(&app, "#status-close");
    assert!(hidden(&app, "#status-banner"));
    let panel = import_through_picker(&app, &[&journal]);
    assert!(panel.contains("evaluated"), "{panel}");
    click(&app, "#import-close");
    assert!(hidden(&app, "#import-panel"));
    wait_text(
        &app,
        &format!("section[data-failover='{fo}']"),
        "Five-day rule",
    );

    // Tab through the main screen, from the first screen button into the open detail panel:
    // each key press, a real one, moves the focus to the next control, whose focus can be seen.
    // (The file picker's input takes no keys through WebDriver, so the step out of it is proven
    // backwards, with Shift+Tab from the control after it.)
    let row = format!("row:{base}");
    let row_css = format!("tr[data-license='{base}']");
    let selector = |name: &str| {
        if name == row {
            row_css.clone()
        } else {
            format!("#{name}")
        }
    };
    const TAB: &str = "\u{E004}";
    const SHIFT_TAB: &str = "\u{E008}\u{E004}\u{E000}";
    let steps = [
        ("tab-licenses", TAB, "tab-machine"),
        ("tab-machine", TAB, "tab-keys"),
        ("tab-keys", TAB, "import-input"),
        ("lang-en", SHIFT_TAB, "import-input"),
        ("lang-de", SHIFT_TAB, "lang-en"),
        ("lang-en", TAB, "lang-de"),
        ("lang-de", TAB, "filter"),
        ("filter", TAB, row.as_str()),
        (row.as_str(), TAB, "detail-close"),
        ("detail-close", TAB, "add-failover"),
        ("add-failover", TAB, "export-main"),
    ];
    for (from, keys, to) in steps {
        let e = app.s().find(&selector(from)).unwrap();
        app.s().type_text(&e, keys).unwrap();
        let (focused, visible) = focus_state(&app);
        assert_eq!(
            focused, to,
            "the key after {from} moved the focus elsewhere"
        );
        assert!(visible, "{to} has the focus but no visible focus style");
    }

    // Every control has an accessible name: the whole window, and the detail panel in particular
    // (its buttons and the five-day meter).
    let (count, unnamed) = unnamed_controls(&app, Some("#detail"));
    assert!(
        count >= 6,
        "only {count} controls found in the detail panel"
    );
    assert_eq!(
        unnamed,
        serde_json::json!([]),
        "unnamed in the detail panel"
    );
    let meter = app
        .s()
        .find(&format!("section[data-failover='{fo}'] meter"))
        .unwrap();
    let label = app.s().attribute(&meter, "aria-label").unwrap().unwrap();
    assert!(
        label.starts_with("Load time in the current episode:") && label.ends_with("of 120 h"),
        "{label}"
    );
    let (_, unnamed) = unnamed_controls(&app, None);
    assert_eq!(unnamed, serde_json::json!([]), "unnamed in the window");
    for (id, name) in [("lang-en", "English"), ("lang-de", "Deutsch")] {
        let button = app.s().find(&format!("#{id}")).unwrap();
        assert_eq!(
            app.s().attribute(&button, "aria-label").unwrap().as_deref(),
            Some(name)
        );
    }
    // The dialogs' controls too.
    click(&app, &format!(".export-standby[data-failover='{fo}']"));
    wait_text(&app, "#export-heading", "Export activation request");
    let (count, unnamed) = unnamed_controls(&app, Some("#export-dialog"));
    assert!(count >= 4, "{count}");
    assert_eq!(
        unnamed,
        serde_json::json!([]),
        "unnamed in the export dialog"
    );
    app.shot("keyboard-focus");
    // Escape closes the dialog and gives the focus back to the button that opened it; the
    // detail panel stays open.
    let path = app.s().find("#export-path").unwrap();
    app.s().type_text(&path, "\u{E00C}").unwrap();
    app.s()
        .wait_for("the dialog to close", WAIT, |s| {
            let e = s.find("#export-dialog")?;
            Ok(s.attribute(&e, "open")?.is_none().then_some(()))
        })
        .unwrap();
    let focused = app
        .s()
        .execute(
            "return document.activeElement.className + ' ' + (document.activeElement.dataset.failover || '');",
            vec![],
        )
        .unwrap();
    assert_eq!(
        focused.as_str().unwrap(),
        format!("button primary export-standby {fo}")
    );
    assert!(app.s().text_of("#detail").unwrap().contains(base.as_str()));
}

// ---------------------------------------------------------------------------------------------
// A new user's way to an activation: the hardware-ID file, a typed ID's limits, modal dialogs,
// the limits a standby's activation carries.

#[test]
fn this_machine_saves_its_hardware_id_file_and_a_standby_registered_from_it_is_activated() {
    let OneFailover { dir, base, fo, app } = one_failover("Eigene Datei GmbH", Variant::Users10);
    click(&app, "#tab-machine");
    let this = licdesk_desk::this_machine().unwrap();
    wait_text(&app, "#machine-hwid", this.id.as_str());
    let page = app.s().text_of("#view-machine").unwrap();
    assert!(
        page.contains("save its hardware-ID file below")
            && page.contains("A hardware ID that is only typed in cannot be activated.")
            && !page.contains("Give this hardware ID"),
        "{page}"
    );
    // A suggested place for the file, as the export dialog suggests one for a request.
    let field = app.s().find("#hwfile-path").unwrap();
    let suggested = app
        .s()
        .wait_for("a suggested path", WAIT, |s| {
            Ok(s.attribute(&field, "value")?.filter(|v| !v.is_empty()))
        })
        .unwrap();
    assert!(
        suggested.ends_with(".hwid") && Path::new(&suggested).is_absolute(),
        "{suggested}"
    );
    // "Copied" goes when the next action begins.
    click(&app, "#copy-hwid");
    wait_text(&app, "#copy-status", "Copied to the clipboard.");
    let out = dir.path().join("this-machine.hwid");
    app.s().clear(&field).unwrap();
    app.s()
        .type_text(&field, &out.display().to_string())
        .unwrap();
    click(&app, "#hwfile-save");
    let done = wait_text(&app, "#hwfile-result", "was written to");
    assert_eq!(
        done,
        format!(
            "The hardware-ID file was written to {}. Take it to the desk that holds the FailoverSuite and load it in “Register standby…”.",
            out.display()
        )
    );
    assert_eq!(
        app.s().text_of("#copy-status").unwrap(),
        "",
        "the copy's message stayed"
    );
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(
        text.starts_with("-----BEGIN LICDESK HARDWARE ID-----"),
        "{text}"
    );
    // A second save to the same path is refused (the file stays), and says so.
    click(&app, "#hwfile-save");
    wait_text(&app, "#hwfile-error", "The file already exists.");
    assert!(hidden(&app, "#hwfile-result"), "the earlier result stayed");
    assert_eq!(std::fs::read_to_string(&out).unwrap(), text);
    app.shot("this-machine-hardware-id-file");

    // Registered from that file, the standby is activated like any other.
    click(&app, "#tab-licenses");
    open_detail(&app, base.as_str());
    register_from_file(&app, fo.as_str(), &out, "cold", None);
    wait_text(&app, "#status-text", "Next: export the activation request.");
    wait_focus(&app, &format!("export-standby:{fo}"));
    let request = dir.path().join("this-machine.actreq");
    export_request(&app, fo.as_str(), &request, None);
    let (ok, err, response) = vendor_activates(dir.path(), &request);
    assert!(ok, "{err}");
    let panel = import_through_picker(&app, &[&response]);
    assert!(
        panel.contains(&format!(
            "FailoverSuite {fo} is active on standby {}",
            this.id
        )),
        "{panel}"
    );
}

#[test]
fn a_standby_typed_in_by_its_hardware_id_is_recorded_but_says_it_cannot_be_activated() {
    let OneFailover { dir, base, fo, app } = one_failover("Getippt AG", Variant::Users10);
    open_detail(&app, base.as_str());
    let hwid = typed_hwid("typed only");
    register_typed(
        &app,
        fo.as_str(),
        &hwid,
        "cold",
        Some("typed-register-dialog"),
    );
    let banner = wait_text(&app, "#status-text", "cannot be activated");
    assert_eq!(
        banner,
        format!(
            "Standby {hwid} recorded for FailoverSuite {fo}. A standby known only by its typed hardware ID cannot be activated: register it again from its hardware-ID file."
        )
    );
    let section = format!("section[data-failover='{fo}']");
    let block = wait_text(&app, &section, &hwid);
    assert!(
        block.contains("This standby was registered from a typed hardware ID and cannot be activated. Register it again from its hardware-ID file"),
        "{block}"
    );
    assert_eq!(
        app.s()
            .text_of(&format!("{section} .request-state"))
            .unwrap(),
        "cannot be written for a typed hardware ID"
    );
    assert!(
        app.s().find_all(".export-standby").unwrap().is_empty(),
        "an export that can only fail is offered"
    );
    // The next step is registering it again: its button has the focus.
    wait_focus(&app, &format!("register-standby:{fo}"));
    app.shot("typed-standby");
    click(&app, "#lang-de");
    wait_text(&app, &section, "kann nicht aktiviert werden");
    assert_eq!(
        app.s()
            .text_of(&format!("{section} .request-state"))
            .unwrap(),
        "für eine eingegebene Hardware-ID nicht möglich"
    );
    wait_text(&app, "#status-text", "kann nicht aktiviert werden");
    click(&app, "#lang-en");

    // Registered again from its hardware-ID file, it can be activated.
    let (file, real) = hardware_id_file(dir.path(), "typed-then-file");
    register_from_file(&app, fo.as_str(), &file, "cold", None);
    wait_text(&app, "#status-text", "Next: export the activation request.");
    wait_focus(&app, &format!("export-standby:{fo}"));
    let block = wait_text(&app, &section, &real);
    assert!(!block.contains("cannot be activated"), "{block}");
    assert_eq!(
        app.s()
            .text_of(&format!("{section} .request-state"))
            .unwrap(),
        "not exported yet"
    );
}

#[test]
fn an_open_dialog_is_modal_and_tab_goes_round_it_and_the_language_buttons() {
    let OneFailover {
        dir: _dir,
        base,
        fo,
        app,
    } = one_failover("Modal KG", Variant::Users10);
    open_detail(&app, base.as_str());
    click(&app, &format!(".register-standby[data-failover='{fo}']"));
    wait_focus(&app, "hwid-file-button");
    const INERT: &str = "return ['view-licenses', 'tab-licenses', 'import-input', 'filter', 'lang-de', 'register-dialog']
        .map((id) => Boolean(document.getElementById(id).closest('[inert]')));";
    assert_eq!(
        app.s().execute(INERT, vec![]).unwrap(),
        serde_json::json!([true, true, true, true, false, false]),
        "the page behind the dialog is inert, the language buttons and the dialog are not"
    );
    const TAB: &str = "\u{E004}";
    const SHIFT_TAB: &str = "\u{E008}\u{E004}\u{E000}";
    let press = |keys: &str| {
        let e = app.s().find(&format!("#{}", focused(&app))).unwrap();
        app.s().type_text(&e, keys).unwrap();
        let inside = app
            .s()
            .execute(
                "const e = document.activeElement; return Boolean(e.closest('dialog[open]') || e.closest('.lang'));",
                vec![],
            )
            .unwrap();
        assert_eq!(
            inside,
            true,
            "the focus left the dialog for {}",
            focused(&app)
        );
        focused(&app)
    };
    // Tab goes round: through the dialog, the language buttons, and back to where it began.
    let start = focused(&app);
    let mut round = vec![start.clone()];
    loop {
        let next = press(TAB);
        if next == start {
            break;
        }
        assert!(round.len() < 20, "Tab never came back: {round:?}");
        round.push(next);
    }
    assert_eq!(
        round,
        [
            "hwid-file-button",
            "hwid-input",
            "mode-select",
            "register-cancel",
            "register-submit",
            "lang-en",
            "lang-de",
            "source-file"
        ],
        "the Tab stops of the open dialog"
    );
    // Shift+Tab goes the other way.
    assert_eq!(press(SHIFT_TAB), "source-file");
    assert_eq!(press(SHIFT_TAB), "lang-de");
    assert_eq!(press(SHIFT_TAB), "lang-en");
    assert_eq!(press(SHIFT_TAB), "register-submit");
    app.shot("register-dialog-modal");
    // Escape closes it; the page is live again and the focus back on the opener.
    let e = app.s().find("#register-submit").unwrap();
    app.s().type_text(&e, "\u{E00C}").unwrap();
    wait_focus(&app, &format!("register-standby:{fo}"));
    assert_eq!(
        app.s().execute(INERT, vec![]).unwrap(),
        serde_json::json!([false, false, false, false, false, false])
    );
}

#[test]
fn the_standby_notice_names_the_limits_its_signed_activation_carries_r11_r12() {
    let OneFailover { dir, base, fo, app } = one_failover("Grenzwerte GmbH", Variant::Users25);
    open_detail(&app, base.as_str());
    let hwid = register_this_machine(&app, fo.as_str(), "hot");
    let notice_css = format!("section[data-failover='{fo}'] .standby-notice");
    wait_text(&app, "#detail", &hwid);
    // Not activated yet: the data sheet's five days.
    let notice = app.s().text_of(&notice_css).unwrap();
    assert!(notice.contains("at most five consecutive days"), "{notice}");
    let request = dir.path().join("limits.actreq");
    export_request(&app, fo.as_str(), &request, None);
    let (ok, err, response) = vendor_activates_with(
        dir.path(),
        &request,
        &[
            "--limit-hours",
            "48",
            "--gap-hours",
            "12",
            "--warn-hours",
            "24",
            "--final-warn-hours",
            "36",
        ],
    );
    assert!(ok, "{err}");
    import_through_picker(&app, &[&response]);
    let notice = wait_text(&app, &notice_css, "48 hours");
    assert_eq!(
        notice,
        "This FailoverSuite is licensed for standby or test operation only. Any other use breaks the license. It may run under load for at most 48 hours at a stretch (an idle gap of 12 hours ends a stretch); idle time does not count."
    );
    // The release dialog says the same.
    click(&app, &format!(".release-standby[data-failover='{fo}']"));
    let dialog_notice = wait_text(&app, "#export-notice", "48 hours");
    assert_eq!(dialog_notice, notice);
    app.shot("standby-limits-release-dialog");
    click(&app, "#lang-de");
    wait_text(
        &app,
        "#export-notice",
        "höchstens 48 Stunden am Stück unter Last laufen (eine Leerlaufpause von 12 Stunden beendet ein Stück)",
    );
    click(&app, "#export-cancel");
    let notice = wait_text(&app, &notice_css, "48 Stunden");
    assert!(!notice.contains("fünf Tage"), "{notice}");
}

#[test]
fn a_violation_still_running_cannot_be_acknowledged_and_the_refusal_is_said_by_its_code_r12() {
    let dir = tempfile::tempdir().unwrap();
    let home = AppHome::in_dir(dir.path());
    // A finished episode of 130 h (a past violation), an idle gap of 45 h, then the current
    // episode: under load for 125 h as of the export (a violation still running).
    let (base, fo, journal) = standby_with_journal(
        dir.path(),
        &home,
        &[("load", 300), ("idle", 170), ("load", 125)],
    );
    let app = App::launch(&home);
    wait_rows(&app, 1);
    open_detail(&app, base.as_str());
    import_through_picker(&app, &[&journal]);
    let block = format!("section[data-failover='{fo}'] .five-days");
    let five = wait_text(&app, &block, "Violation still running: the episode since");
    assert!(
        five.contains("125 h under load so far, 5 h over the limit")
            && five.contains("It can be acknowledged once it has ended"),
        "{five}"
    );
    assert!(
        five.contains("Violation: the episode since")
            && five.contains("130 h under load, 10 h over the limit"),
        "{five}"
    );
    let badge = app.s().text_of(&format!("{block} .status")).unwrap();
    assert_eq!(badge, "violation: over 120 h");
    scroll_into_view(&app, &block);
    app.shot("five-day-violation-running");
    // Meanwhile the past violation is acknowledged on the command line: the window's view is
    // stale, and only the running violation is left, which the desk refuses to acknowledge.
    cli(
        &home.store,
        &[
            "journal",
            "acknowledge",
            "--failover",
            fo.as_str(),
            "--reason",
            "acknowledged by the night shift",
        ],
    );
    click(
        &app,
        &format!(".acknowledge-violations[data-failover='{fo}']"),
    );
    wait_focus(&app, "reason-input");
    let input = app.s().find("#reason-input").unwrap();
    app.s().type_text(&input, "looked into it").unwrap();
    click(&app, "#reason-submit");
    let error = wait_text(&app, "#reason-error", "This violation is still running");
    assert!(error.contains("once the standby has been idle"), "{error}");
    assert!(
        !hidden(&app, "#reason-dialog"),
        "the refusal closed the dialog"
    );
    app.shot("five-day-acknowledge-refused");
    // In German the sentence is German; the desk's English sentence only behind the disclosure.
    click(&app, "#lang-de");
    let error = wait_text(&app, "#reason-error", "Dieser Verstoß dauert noch an");
    assert!(error.contains("Technische Details"), "{error}");
    click(&app, "#reason-cancel");
    click(&app, "#lang-en");
    // Seen again, the past violation shows as acknowledged and the running one without an action.
    open_detail(&app, base.as_str());
    let five = wait_text(&app, &block, "Acknowledged violation: the episode since");
    assert!(five.contains("acknowledged by the night shift"), "{five}");
    assert!(five.contains("Violation still running"), "{five}");
    assert!(hidden(
        &app,
        &format!(".acknowledge-violations[data-failover='{fo}']")
    ));
    let (code, line) = monitoring(&home.store);
    assert_eq!(code, 2, "{line}");
    assert!(!line.contains("an episode that has ended"), "{line}");
}

/// `text` (a signed file) with one character of its payload changed and its signature kept: the
/// signature no longer verifies. `line` counts the payload's lines (not its last), `at` the
/// character in it.
fn with_payload_changed(text: &str, line: usize, at: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let start = lines.iter().position(|l| l.is_empty()).unwrap() + 1;
    let end = lines
        .iter()
        .rposition(|l| l.starts_with("-----END"))
        .unwrap();
    assert!(start + line + 1 < end, "the payload has too few lines");
    let mut chars: Vec<char> = lines[start + line].chars().collect();
    chars[at] = if chars[at] == 'A' { 'B' } else { 'A' };
    let changed: String = chars.into_iter().collect();
    lines
        .iter()
        .enumerate()
        .map(|(i, l)| {
            if i == start + line {
                format!("{changed}\n")
            } else {
                format!("{l}\n")
            }
        })
        .collect()
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
        "2 Nutzungsprotokolle konnten nicht geprüft werden (ihre Signatur stimmt nicht) und werden an die Überwachung gemeldet.",
    );
    assert!(
        banner.contains(&format!("nennt Schlüssel {named_key} (ungeprüft)"))
            && banner.contains("Ausblenden")
            && banner.contains("Verwerfen …"),
        "{banner}"
    );
    click(&app, "#lang-en");
    wait_text(&app, "#journals-banner", "could not be verified");

    // With the keyboard alone: Tab from the language buttons to the banner's button, on to the
    // first journal's Dismiss…, and Enter opens the reason dialog.
    const TAB: &str = "\u{E004}";
    const ENTER: &str = "\u{E007}";
    let lang = app.s().find("#lang-de").unwrap();
    app.s().type_text(&lang, TAB).unwrap();
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
