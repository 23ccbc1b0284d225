//! What the end-to-end tests share: a store built from real signed files, the app on it, and
//! reading and clicking the window; `dialogs` (registering, exporting, giving a reason), `files`
//! (the vendor, hardware-ID files, the CLI, usage journals), `texts` (English left on screen,
//! controls without a name).

mod dialogs;
mod files;
mod texts;

pub use dialogs::*;
pub use files::*;
pub use texts::*;

use licdesk_core::{Extension, Variant};
use licdesk_desk::{Desk, ImportStatus};
use licdesk_issuer::VendorKey;
use licdesk_store::Queries;
use licdesk_tests::app::{App, AppHome};
use licdesk_tests::demo_vendor;
use std::path::Path;
use std::time::Duration;

pub fn store_dump(home: &AppHome) -> String {
    Desk::open(&home.store).unwrap().store().dump().unwrap()
}

pub const WAIT: Duration = Duration::from_secs(10);

/// The civil date (year, month, day, UTC) of a Unix time.
pub fn civil_date(unix: i64) -> (i64, u32, u32) {
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

/// Builds a store by importing real certificate files, as `licdesk import` would.
pub struct StoreBuilder<'a> {
    pub dir: &'a Path,
    pub desk: Desk,
    pub n: usize,
}

impl<'a> StoreBuilder<'a> {
    pub fn new(dir: &'a Path, home: &AppHome) -> Self {
        StoreBuilder {
            dir,
            desk: Desk::open(&home.store).unwrap(),
            n: 0,
        }
    }

    pub fn import(&mut self, text: &str) {
        self.n += 1;
        let path = self.dir.join(format!("file-{}.lic", self.n));
        std::fs::write(&path, text).unwrap();
        let outcome = self.desk.import_paths(&[path]).remove(0);
        assert_ne!(outcome.status, ImportStatus::Refused, "{}", outcome.message);
    }

    pub fn base(
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

    /// A demo-style base license of `customer` whose certificate says it was issued at `issued`.
    pub fn base_issued_at(
        &mut self,
        vendor: &VendorKey,
        customer: &str,
        variant: Variant,
        issued: licdesk_core::Timestamp,
    ) -> licdesk_core::LicenseNumber {
        let (mut cert, _) =
            licdesk_issuer::issue_base(vendor, customer, variant, vec![], None, 1).unwrap();
        cert.issued_at = issued;
        self.import(&licdesk_core::seal(
            licdesk_core::FileKind::BaseCertificate,
            &cert,
            &vendor.key,
        ));
        cert.license
    }

    pub fn failover(
        &mut self,
        vendor: &VendorKey,
        base: &licdesk_core::LicenseNumber,
    ) -> licdesk_core::LicenseNumber {
        let (cert, text) = licdesk_issuer::issue_failover(vendor, base).unwrap();
        self.import(&text);
        cert.license
    }

    /// Another vendor whose key the desk trusts (not DEMO).
    pub fn trusted_vendor(&mut self) -> VendorKey {
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
pub struct OneFailover {
    pub dir: tempfile::TempDir,
    pub base: licdesk_core::LicenseNumber,
    pub fo: licdesk_core::LicenseNumber,
    pub app: App,
}

pub fn one_failover(customer: &str, variant: Variant) -> OneFailover {
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

pub fn rows(app: &App) -> Vec<String> {
    let s = app.s();
    s.find_all("#rows tr")
        .unwrap()
        .iter()
        .map(|r| s.text(r).unwrap())
        .collect()
}

pub fn wait_rows(app: &App, count: usize) -> Vec<String> {
    app.s()
        .wait_for(&format!("{count} rows"), WAIT, |s| {
            let n = s.find_all("#rows tr")?.len();
            Ok((n == count).then_some(()))
        })
        .unwrap();
    rows(app)
}

/// Imports `files` as a user does who pastes their paths into the import's path field (one a
/// line; the native Open dialog cannot be driven through WebDriver): closes the results of an
/// earlier import, opens the field, types, submits, waits for the summary. Returns the text of
/// the import panel.
pub fn import_through_picker(app: &App, files: &[&Path]) -> String {
    let paths: Vec<String> = files.iter().map(|p| p.display().to_string()).collect();
    // One path a line: the Enter key between them (WebDriver types no line end from text).
    submit_import_paths(app, &paths.join("\u{E007}"));
    wait_import_summary(app)
}

/// Types `text` into the import's path field (opened first, emptied) and submits it, after
/// closing the results of an earlier import.
pub fn submit_import_paths(app: &App, text: &str) {
    let s = app.s();
    if !hidden(app, "#import-panel") {
        click(app, "#import-close");
    }
    if hidden(app, "#import-path-form") {
        click(app, "#import-path-toggle");
    }
    let field = s.find("#import-path").unwrap();
    s.clear(&field).unwrap();
    s.type_text(&field, text).unwrap();
    click(app, "#import-path-submit");
}

/// Waits until the import panel shows the summary of a finished import; its text.
pub fn wait_import_summary(app: &App) -> String {
    let s = app.s();
    s.wait_for("the import summary", IMPORT_WAIT, |s| {
        assert!(
            hidden(app, "#import-failed"),
            "the import failed: {}",
            s.text_of("#import-panel")?
        );
        let done = !hidden(app, "#import-result") && !s.text_of("#import-summary")?.is_empty();
        Ok(done.then_some(()))
    })
    .unwrap();
    s.text_of("#import-panel").unwrap()
}

/// How long an import of thousands of files may take in the debug build.
pub const IMPORT_WAIT: Duration = Duration::from_secs(120);

pub fn open_detail(app: &App, license: &str) -> String {
    let row = app
        .s()
        .find(&format!("tr[data-license='{license}'] td"))
        .unwrap();
    app.s().click(&row).unwrap();
    detail_text(app, license)
}

pub fn detail_text(app: &App, license: &str) -> String {
    app.s()
        .wait_for("the detail panel", WAIT, |s| {
            let t = s.text_of("#detail")?;
            Ok(t.contains(license).then_some(t))
        })
        .unwrap()
}

/// Clicks `css`, once it is there (a panel being made anew may not show it yet). It is scrolled
/// into view in its own panel first, as a user scrolls to it: WebKitWebDriver does not always
/// scroll an element below a panel's visible part (its sticky header aside) into view itself.
/// A panel made anew between finding the element and clicking it (a refresh after a change)
/// leaves a stale reference: the element is then found again and clicked, as a user clicks what
/// is on screen.
pub fn click(app: &App, css: &str) {
    let start = std::time::Instant::now();
    loop {
        let e = app
            .s()
            .wait_for(css, WAIT, |s| Ok(s.find_all(css)?.into_iter().next()))
            .unwrap();
        app.s()
            .execute(
                "const e = document.querySelector(arguments[0]); if (e) e.scrollIntoView({block: 'nearest'});",
                vec![serde_json::json!(css)],
            )
            .unwrap();
        match app.s().click(&e) {
            Ok(_) => return,
            Err(error) if error.contains("stale element") && start.elapsed() < WAIT => {}
            Err(error) => panic!("clicking {css}: {error}"),
        }
    }
}

pub fn wait_text(app: &App, css: &str, needle: &str) -> String {
    app.s()
        .wait_for(&format!("'{needle}' in {css}"), WAIT, |s| {
            let t = s.text_of(css)?;
            Ok(t.contains(needle).then_some(t))
        })
        .unwrap()
}

/// Whether the element `css` is checked (a radio button or a checkbox).
pub fn checked(app: &App, css: &str) -> bool {
    app.s()
        .execute(
            "const e = document.querySelector(arguments[0]); return Boolean(e && e.checked);",
            vec![serde_json::json!(css)],
        )
        .unwrap()
        .as_bool()
        .unwrap()
}

/// Whether the control `css` is there and disabled.
pub fn disabled(app: &App, css: &str) -> bool {
    app.s()
        .execute(
            "const e = document.querySelector(arguments[0]); return Boolean(e && e.disabled);",
            vec![serde_json::json!(css)],
        )
        .unwrap()
        .as_bool()
        .unwrap()
}

/// Whether nothing of `css` can be seen (absent, hidden, or not laid out).
pub fn hidden(app: &App, css: &str) -> bool {
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
pub fn focused(app: &App) -> String {
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
pub fn wait_focus(app: &App, expected: &str) {
    app.s()
        .wait_for(&format!("the focus on {expected}"), WAIT, |_| {
            Ok((focused(app) == expected).then_some(()))
        })
        .unwrap_or_else(|e| panic!("{e}: it is on {}", focused(app)));
}

/// Scrolls `css` into view in its scrolling panel and checks that it is then inside the window
/// (so that a screenshot shows it): wholly, in the middle of the panel — or, when it is taller
/// than the panel, from its top, right below the panel's header (which never covers it). The
/// results of an import stay above the panels until closed: closed first, as a user does who
/// wants the room.
pub fn scroll_into_view(app: &App, css: &str) {
    if !hidden(app, "#import-panel") {
        click(app, "#import-close");
    }
    let in_view = app
        .s()
        .execute(
            "const v = document.querySelector(arguments[0]);
             if (!v) return false;
             const panel = v.closest('.detail') || document.scrollingElement;
             const head = panel.querySelector('.detail-head');
             const room = panel.clientHeight - (head ? head.offsetHeight : 0);
             const tall = v.getBoundingClientRect().height > room;
             v.scrollIntoView({block: tall ? 'start' : 'center'});
             const r = v.getBoundingClientRect();
             const top = head ? head.getBoundingClientRect().bottom : 0;
             return r.height > 0 && r.top >= top - 1 && (tall ? r.top < window.innerHeight / 2 : r.bottom <= window.innerHeight);",
            vec![serde_json::json!(css)],
        )
        .unwrap();
    assert_eq!(in_view, true, "{css} is not in view");
}
