//! End-to-end tests: the real app, driven through tauri-driver and WebKitWebDriver as a user would,
//! on stores built from real signed files. Screenshots go to target/e2e-artifacts/.

#![allow(clippy::unwrap_used)] // tests state their expectations by unwrapping

use std::path::Path;
use std::time::Duration;

use licdesk_core::{Extension, StandbyMode, Variant};
use licdesk_desk::{Desk, ImportStatus, MachineChoice};
use licdesk_issuer::VendorKey;
use licdesk_tests::app::{App, AppHome};
use licdesk_tests::demo_vendor;

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
        let vendor = licdesk_issuer::keygen(&key, "Real Vendor AG", false).unwrap();
        self.desk
            .trust_add(&licdesk_issuer::public_key_path(&key))
            .unwrap();
        vendor
    }
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

#[test]
fn the_language_switch_changes_the_visible_strings_and_is_remembered() {
    let dir = tempfile::tempdir().unwrap();
    let home = AppHome::in_dir(dir.path());
    let demo = demo_vendor(dir.path()).unwrap();
    let mut b = StoreBuilder::new(dir.path(), &home);
    b.base(&demo, "Sprachtest GmbH", Variant::Unlimited, &[]);
    drop(b);
    {
        let app = App::launch(&home);
        wait_rows(&app, 1);
        assert!(app
            .s()
            .text_of("thead")
            .unwrap()
            .to_lowercase()
            .contains("customer"));
        let de = app.s().find("#lang-de").unwrap();
        app.s().click(&de).unwrap();
        let head = app
            .s()
            .wait_for("German headers", WAIT, |s| {
                let t = s.text_of("thead")?.to_lowercase();
                Ok(t.contains("kunde").then_some(t))
            })
            .unwrap();
        assert!(
            head.contains("variante")
                && head.contains("erweiterungen")
                && head.contains("hauptsystem"),
            "{head}"
        );
        assert!(rows(&app)[0].contains("Ohne Benutzerbegrenzung"));
        assert!(app.s().text_of("#count").unwrap().contains("1 Lizenz"));
        app.shot("licenses-de");
    }
    let app = App::launch(&home);
    wait_rows(&app, 1);
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
}

#[test]
fn the_capability_file_grants_exactly_the_commands_the_window_uses() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let caps = std::fs::read_to_string(root.join("src-tauri/capabilities/main.json")).unwrap();
    let caps: serde_json::Value = serde_json::from_str(&caps).unwrap();
    let mut granted: Vec<String> = caps["permissions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            p.as_str()
                .unwrap()
                .trim_start_matches("allow-")
                .replace('-', "_")
        })
        .collect();
    granted.sort();
    let api = std::fs::read_to_string(root.join("ui/js/api.js")).unwrap();
    let mut used: Vec<String> = api
        .match_indices("invoke(\"")
        .map(|(i, _)| api[i + 8..].split('"').next().unwrap().to_string())
        .collect();
    used.sort();
    used.dedup();
    assert_eq!(granted, used);
    let _unused: Option<MachineChoice> = None;
}
