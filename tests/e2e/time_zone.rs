//! The window writes every time in the local time of the computer it runs on, whatever its zone:
//! an offset in quarter hours east of UTC, a zone with summer time west of it — the day of a
//! late-evening time in UTC already the next day in one, still the same in the other.

use licdesk_core::{Timestamp, Variant};
use licdesk_tests::app::{App, AppHome};
use licdesk_tests::demo_vendor;

use crate::support::*;

/// 25 November 2026, 23:30 UTC.
const ISSUED: i64 = 1_795_649_400;

/// The day `unix` falls on at `offset_seconds` east of UTC, as the list writes it ("26 Nov 2026").
fn english_day(unix: i64, offset_seconds: i64) -> String {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sept", "Oct", "Nov", "Dec",
    ];
    let (year, month, day) = civil_date(unix + offset_seconds);
    format!("{day} {} {year}", MONTHS[month as usize - 1])
}

/// The app in `zone` on a store with one base license issued at `ISSUED`: what its detail says
/// of the issue, and the list's day of the last change beside the time it is (`datetime`).
fn issued_and_changed(zone: &str) -> (String, String, i64) {
    let dir = tempfile::tempdir().unwrap();
    let home = AppHome::in_dir(dir.path()).in_time_zone(zone);
    let demo = demo_vendor(dir.path()).unwrap();
    let mut b = StoreBuilder::new(dir.path(), &home);
    let base = b.base_issued_at(
        &demo,
        "Zeitzone AG",
        Variant::Users25,
        Timestamp::from_unix(ISSUED),
    );
    drop(b);
    let app = App::launch(&home);
    wait_rows(&app, 1);
    let changed = app
        .s()
        .execute(
            "const t = document.querySelector('td.changed time');
             return [t.textContent, t.getAttribute('datetime'), document.body.dataset.timeZone];",
            vec![],
        )
        .unwrap();
    let (day, at, written_by): (String, String, String) = serde_json::from_value(changed).unwrap();
    // Written from the zone's table the app read, not by the engine.
    assert_eq!(written_by, zone);
    let at = Timestamp::parse(&at).unwrap().unix();
    let detail = open_detail(&app, base.as_str());
    app.shot(&format!("time-zone-{}", zone.replace('/', "-")));
    (detail, day, at)
}

#[test]
fn times_are_written_in_the_local_time_of_a_zone_a_quarter_hour_off_east_of_utc() {
    // Kathmandu: +05:45 all year.
    let (detail, day, at) = issued_and_changed("Asia/Kathmandu");
    assert!(detail.contains("26 Nov 2026, 05:15"), "{detail}");
    assert_eq!(day, english_day(at, 5 * 3600 + 45 * 60));
}

#[test]
fn times_are_written_in_the_local_time_of_a_zone_with_summer_time_west_of_utc() {
    // New York in November: -05:00 (summer time ended on 1 November).
    let (detail, day, at) = issued_and_changed("America/New_York");
    assert!(detail.contains("25 Nov 2026, 18:30"), "{detail}");
    assert!(!detail.contains("26 Nov 2026"), "{detail}");
    assert_eq!(day, english_day(at, -5 * 3600));
}
