//! The window at a laptop's 1024 × 768, in English and in German: no column, cell or header of
//! the list, nor any part of the header, is cut off unreadably — text wraps, and what cannot wrap
//! keeps its full text as its title (which screen readers read too) — and the list never
//! scrolls sideways. Long customer names, extensions, "Main system"/"Hauptsystem", "Extensions"/
//! "Erweiterungen" and "waiting for the vendor" among them.

use licdesk_core::{Role, StandbyMode, Variant};
use licdesk_desk::{IfExists, MachineChoice};
use licdesk_tests::app::{App, AppHome};
use licdesk_tests::demo_vendor;

use crate::support::*;

/// Every element of the header and the list that shows less than its content without giving
/// its full text as its title: (what it is, its content width, its width, its text). Scrolling
/// panels are not cut off, and text hidden for screen readers only is not shown.
const CLIPPED: &str = "
  const describe = (e) => e.id ? '#' + e.id : e.tagName.toLowerCase() + '.' + Array.from(e.classList).join('.');
  const out = [];
  for (const e of document.querySelectorAll('.topbar *, .licenses *')) {
    if (e.getClientRects().length === 0 || e.closest('.visually-hidden') || e.matches('input[type=file]')) continue;
    const s = getComputedStyle(e);
    if (['auto', 'scroll'].includes(s.overflowX)) continue;
    if (e.clientWidth > 0 && e.scrollWidth > e.clientWidth + 1) {
      const text = e.textContent.trim().replace(/\\s+/g, ' ');
      if (!(e.title && e.title.replace(/\\s+/g, ' ').includes(text))) out.push([describe(e), e.scrollWidth, e.clientWidth, text.slice(0, 80)]);
    }
  }
  const wrap = document.querySelector('.table-wrap');
  return [out, wrap.scrollWidth - wrap.clientWidth, window.innerWidth, window.innerHeight];
";

/// The hardware-ID file of another machine (this one can be one standby only, R4, R7).
fn other_machine(seed: &str) -> Vec<u8> {
    licdesk_core::seal(
        licdesk_core::FileKind::HardwareId,
        &licdesk_core::model::HardwareIdFile {
            hardware: licdesk_core::Hardware::from_code(licdesk_core::HardwareId::from_digest(
                seed.as_bytes(),
            )),
            created_at: licdesk_desk::now(),
        },
        &licdesk_core::SigningKey::from_bytes(&[7; 32]),
    )
    .into_bytes()
}

#[test]
fn at_1024_by_768_nothing_of_the_list_is_cut_off_in_english_or_german() {
    let dir = tempfile::tempdir().unwrap();
    let home = AppHome::in_dir(dir.path());
    let demo = demo_vendor(dir.path()).unwrap();
    let mut b = StoreBuilder::new(dir.path(), &home);
    let long = b.base(
        &demo,
        "Zahnärztliche Gemeinschaftspraxis Dr. med. dent. Schulze-Wittgenstein und Partner",
        Variant::Unlimited,
        &[
            (
                "XOM.12000",
                "Unified Messaging Connector für Microsoft Exchange",
                10,
            ),
            ("XOM.11000", "Fax Gateway", 2),
        ],
    );
    // Its main system's request exported, and a standby's: both wait for the vendor.
    b.desk
        .write_request(
            &long,
            Role::Main,
            None,
            &dir.path().join("main.actreq"),
            IfExists::Refuse,
        )
        .unwrap();
    let fo = b.failover(&demo, &long);
    b.desk
        .register_standby(
            &fo,
            &MachineChoice::FileContent(other_machine("layout standby")),
            StandbyMode::Hot,
        )
        .unwrap();
    b.desk
        .write_request(
            &fo,
            Role::Standby,
            None,
            &dir.path().join("standby.actreq"),
            IfExists::Refuse,
        )
        .unwrap();
    b.base(
        &demo,
        "Stadtwerke Süderbrarup-Kappeln Netzgesellschaft mbH",
        Variant::Users250,
        &[("XOM.13000", "Texterkennung (OCR) für eingehende Faxe", 1)],
    );
    b.base(&demo, "Müller & Söhne GmbH & Co. KG", Variant::Users25, &[]);
    for n in 1..=12 {
        b.base(&demo, &format!("Zweigstelle {n}"), Variant::ALL[n % 4], &[]);
    }
    drop(b);
    let app = App::launch(&home);
    app.s().set_window_size(1024, 768).unwrap();
    wait_rows(&app, 15);
    for (lang, shot, heads) in [
        (
            "en",
            "layout-1024-en",
            ["Main system", "Extensions", "Last change"],
        ),
        (
            "de",
            "layout-1024-de",
            ["Hauptsystem", "Erweiterungen", "Letzte Änderung"],
        ),
    ] {
        click(&app, &format!("#lang-{lang}"));
        wait_text(&app, "#licenses-table thead", heads[0]);
        let v = app.s().execute(CLIPPED, vec![]).unwrap();
        assert_eq!(
            (v[2].as_i64(), v[3].as_i64()),
            (Some(1024), Some(768)),
            "the window's inner size"
        );
        assert_eq!(v[0], serde_json::json!([]), "{lang}: cut off");
        assert_eq!(v[1], 0, "{lang}: the list scrolls sideways");
        let head = app.s().text_of("#licenses-table thead").unwrap();
        for h in heads {
            assert!(head.contains(h), "{lang}: {head}");
        }
        let waiting = app
            .s()
            .text_of(&format!("tr[data-license='{long}']"))
            .unwrap();
        let expected = if lang == "en" {
            "waiting for the vendor"
        } else {
            "wartet auf den Hersteller"
        };
        assert!(waiting.contains(expected), "{lang}: {waiting}");
        app.shot(shot);
    }
}
