//! This computer's time zone as a table of its offsets from UTC, for the window to write times in
//! local time itself. A page that asks its engine for a local time (WebKit's `Date` getters) has
//! it load ICU's time zone data — 1.5 MiB held for as long as the window is open, for the dates
//! of the list alone — where this table, read here from the zone the system names (the TZ
//! variable, /etc/localtime, or Windows' own zone with the IANA database jiff carries), is a few
//! kilobytes. The window looks an instant up in it (`ui/js/clock.js`); outside the years it spans
//! it asks its engine as before.

use jiff::tz::TimeZone;
use jiff::Timestamp;
use serde::Serialize;

/// The years the table spans: from 1970 (nothing the desk keeps is older) to 2100.
const FROM_SECOND: i64 = 0;
const UNTIL_SECOND: i64 = 4_102_444_800; // 2100-01-01T00:00:00Z

/// A time zone's offsets from UTC over the years 1970 to 2100.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ZoneOffsets {
    /// The zone's name in the IANA database ("Europe/Berlin"), where the system names one.
    pub name: Option<String>,
    /// The first instant the table answers for, in milliseconds since 1970-01-01T00:00:00Z.
    pub from_ms: i64,
    /// The first instant it no longer answers for, in milliseconds.
    pub until_ms: i64,
    /// The offset in force at `from_ms`, in seconds east of UTC.
    pub initial_offset_seconds: i32,
    /// Each change of the offset within the span, in order: the instant (ms) from which the new
    /// offset (seconds east of UTC) holds. A change of the zone's abbreviation or summer-time
    /// flag alone, which moves no clock, is left out.
    pub changes: Vec<(i64, i32)>,
}

impl ZoneOffsets {
    /// The time zone this computer shows times in; `None` when the system names none that can
    /// be read (the window then asks its engine, as a page does).
    pub fn of_system() -> Option<ZoneOffsets> {
        TimeZone::try_system().ok().map(|tz| ZoneOffsets::of(&tz))
    }

    /// The zone of this name in the IANA database ("America/New_York").
    pub fn named(name: &str) -> Result<ZoneOffsets, String> {
        TimeZone::get(name)
            .map(|tz| ZoneOffsets::of(&tz))
            .map_err(|e| format!("no time zone {name:?}: {e}"))
    }

    fn of(tz: &TimeZone) -> ZoneOffsets {
        let from = Timestamp::from_second(FROM_SECOND).expect("1970 is a timestamp");
        let until = Timestamp::from_second(UNTIL_SECOND).expect("2100 is a timestamp");
        let initial = tz.to_offset(from).seconds();
        let mut changes: Vec<(i64, i32)> = Vec::new();
        let mut last = initial;
        // `following` yields the transitions after `from`; one exactly at `from` is in
        // `initial` already.
        for transition in tz.following(from) {
            let at = transition.timestamp();
            if at >= until {
                break;
            }
            let offset = transition.offset().seconds();
            if offset != last {
                changes.push((at.as_millisecond(), offset));
                last = offset;
            }
        }
        ZoneOffsets {
            name: tz.iana_name().map(str::to_owned),
            from_ms: from.as_millisecond(),
            until_ms: until.as_millisecond(),
            initial_offset_seconds: initial,
            changes,
        }
    }

    /// The offset in force at `ms`, in seconds east of UTC, as the window reads the table
    /// (`ui/js/clock.js`); `None` outside the span.
    pub fn offset_at(&self, ms: i64) -> Option<i32> {
        if ms < self.from_ms || ms >= self.until_ms {
            return None;
        }
        let after = self.changes.partition_point(|(at, _)| *at <= ms);
        Some(match after {
            0 => self.initial_offset_seconds,
            n => self.changes[n - 1].1,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The same instants every run, spread over the span: a test that fails once fails again.
    fn instants() -> impl Iterator<Item = i64> {
        let mut seed: u64 = 20_261_204;
        let span = (UNTIL_SECOND - FROM_SECOND) as u64 * 1000;
        (0..20_000).map(move |_| {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            FROM_SECOND * 1000 + ((seed >> 11) % span) as i64
        })
    }

    fn assert_agrees_with_jiff(name: &str) {
        let tz = TimeZone::get(name).unwrap();
        let table = ZoneOffsets::named(name).unwrap();
        let mut checked: Vec<i64> = instants().collect();
        // Each change, the millisecond before it and the one it takes effect.
        for (at, _) in &table.changes {
            checked.extend([at - 1, *at, at + 1]);
        }
        for ms in checked {
            let ts = Timestamp::from_millisecond(ms).unwrap();
            assert_eq!(
                table.offset_at(ms),
                Some(tz.to_offset(ts).seconds()),
                "{name} at {ts}"
            );
        }
    }

    #[test]
    fn the_table_gives_the_offset_the_database_gives_at_any_instant_of_the_span() {
        for name in [
            "Europe/Berlin",
            "America/New_York",
            "Australia/Lord_Howe", // half an hour of summer time
            "Asia/Kathmandu",      // +05:45, and +05:30 before 1986
            "America/Santiago",    // changes at midnight, southern summer
            "Pacific/Apia",        // skipped 30 December 2011
            "Africa/Casablanca",   // summer time paused for Ramadan, twice a year
            "UTC",
        ] {
            assert_agrees_with_jiff(name);
        }
    }

    #[test]
    fn a_zone_without_summer_time_has_no_changes_and_one_offset() {
        let utc = ZoneOffsets::named("UTC").unwrap();
        assert!(utc.changes.is_empty());
        assert_eq!(utc.initial_offset_seconds, 0);
        let tokyo = ZoneOffsets::named("Asia/Tokyo").unwrap();
        assert!(tokyo.changes.is_empty(), "{:?}", tokyo.changes);
        assert_eq!(tokyo.initial_offset_seconds, 9 * 3600);
    }

    #[test]
    fn summer_time_in_berlin_runs_from_the_last_sunday_of_march_to_that_of_october() {
        let berlin = ZoneOffsets::named("Europe/Berlin").unwrap();
        // 2026: 29 March 01:00 UTC to +02:00, 25 October 01:00 UTC back to +01:00.
        let march = 1_774_746_000_000;
        let october = 1_792_890_000_000;
        assert!(berlin.changes.contains(&(march, 7200)));
        assert!(berlin.changes.contains(&(october, 3600)));
        assert_eq!(berlin.offset_at(march - 1), Some(3600));
        assert_eq!(berlin.offset_at(october - 1), Some(7200));
        // Past the rules' last written year, summer time goes on by the zone's rule.
        assert!(berlin.changes.iter().any(|(at, _)| *at > 4_070_908_800_000)); // after 2099
        assert_eq!(berlin.name.as_deref(), Some("Europe/Berlin"));
    }

    #[test]
    fn outside_its_span_the_table_gives_no_answer() {
        let berlin = ZoneOffsets::named("Europe/Berlin").unwrap();
        assert_eq!(berlin.offset_at(-1), None);
        assert_eq!(berlin.offset_at(berlin.until_ms), None);
        assert_eq!(berlin.offset_at(berlin.until_ms - 1), Some(3600));
    }

    #[test]
    fn a_zone_the_database_does_not_know_is_refused_by_name() {
        let error = ZoneOffsets::named("Mars/Olympus_Mons").unwrap_err();
        assert!(error.contains("Mars/Olympus_Mons"), "{error}");
    }
}
