//! The window writes numbers and dates itself (`ui/js/formats.js`, not Intl, which costs the
//! page ICU's data), in local time from the zone's table the app reads (`ui/js/clock.js` over
//! licdesk_desk::ZoneOffsets, not the engine's time zone data): they must read exactly as Intl
//! writes them for en-GB and de-DE, in zones with every kind of change. The comparison runs in
//! Node (Debian's nodejs, installed by `make setup`), whose Intl and Date are ICU's, with TZ set
//! to the zone whose table it is given.

use std::process::Command;

use licdesk_desk::ZoneOffsets;

use super::root;

/// Zones whose rules have not changed in years (Node's ICU and the system's database agree on
/// them): summer time in the north and in the south, half an hour of it, offsets in quarter
/// hours, changes at midnight, a day skipped (Apia, 30 December 2011), none at all.
const ZONES: &[&str] = &[
    "Europe/Berlin",
    "America/New_York",
    "Australia/Lord_Howe",
    "Asia/Kathmandu",
    "America/Sao_Paulo",
    "Pacific/Apia",
    "UTC",
];

#[test]
fn numbers_and_dates_read_as_intl_writes_them_in_english_and_german_in_every_zone() {
    let dir = tempfile::tempdir().unwrap();
    for zone in ZONES {
        let table = ZoneOffsets::named(zone).unwrap();
        let file = dir.path().join(format!("{}.json", zone.replace('/', "-")));
        std::fs::write(&file, serde_json::to_vec(&table).unwrap()).unwrap();
        let run = Command::new("node")
            .arg(root().join("tests/ui/formats.mjs"))
            .arg(&file)
            .env("TZ", zone)
            .output()
            .unwrap_or_else(|e| {
                panic!("cannot run node ({e}): `make setup` installs Debian's nodejs")
            });
        let said = String::from_utf8_lossy(&run.stdout);
        assert!(
            run.status.success(),
            "{zone}: the window's formats differ from Intl's:\n{said}{}",
            String::from_utf8_lossy(&run.stderr)
        );
        let compared: usize = said
            .lines()
            .find_map(|l| l.strip_prefix("compared "))
            .and_then(|n| n.split_whitespace().next()?.parse().ok())
            .unwrap_or(0);
        assert!(
            compared > 30_000,
            "{zone}: only {compared} compared:\n{said}"
        );
    }
}
