//! Points in time as they appear in signed files: whole seconds, UTC, RFC 3339 text.
//! The core never reads the clock; callers pass the current time in.
//!
//! Every [`Timestamp`] lies between 1970-01-01T00:00:00Z and 9999-12-31T23:59:59Z: text naming
//! an instant outside (whatever its offset) is refused by [`Timestamp::parse`], and arithmetic
//! stops at the ends. So a timestamp always prints, and differences of two never overflow.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

/// 1970-01-01T00:00:00Z.
const FIRST_SECOND: i64 = 0;
/// 9999-12-31T23:59:59Z.
const LAST_SECOND: i64 = 253_402_300_799;

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(i64);

/// Why a text is not a [`Timestamp`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TimeError {
    /// Not RFC 3339 text (`reason` is the parser's).
    #[error("'{input}' is not a time like 2026-11-24T09:30:00Z: {reason}")]
    NotATime { input: String, reason: String },
    /// An instant before 1970 or after 9999 (counted in UTC).
    #[error(
        "'{input}' is outside the years 1970 to 9999: give a time from {} to {}",
        Timestamp::MIN,
        Timestamp::MAX
    )]
    OutOfRange { input: String },
}

impl TimeError {
    /// A stable code, one per variant.
    pub fn code(&self) -> &'static str {
        match self {
            TimeError::NotATime { .. } => "not_a_time",
            TimeError::OutOfRange { .. } => "time_out_of_range",
        }
    }
}

/// The sentence, for callers that carry errors as text.
impl From<TimeError> for String {
    fn from(e: TimeError) -> String {
        e.to_string()
    }
}

impl Timestamp {
    /// The earliest time there is: 1970-01-01T00:00:00Z.
    pub const MIN: Timestamp = Timestamp(FIRST_SECOND);
    /// The latest time there is: 9999-12-31T23:59:59Z.
    pub const MAX: Timestamp = Timestamp(LAST_SECOND);

    /// The time `seconds` after 1970-01-01T00:00:00Z, held to [`Timestamp::MIN`] ..=
    /// [`Timestamp::MAX`] (a clock set before 1970 reads as 1970).
    pub fn from_unix(seconds: i64) -> Self {
        Timestamp(seconds.clamp(FIRST_SECOND, LAST_SECOND))
    }

    /// The time `seconds` after 1970-01-01T00:00:00Z, or None outside the years 1970 to 9999.
    pub fn try_from_unix(seconds: i64) -> Option<Self> {
        (FIRST_SECOND..=LAST_SECOND)
            .contains(&seconds)
            .then_some(Timestamp(seconds))
    }

    pub fn unix(self) -> i64 {
        self.0
    }

    /// Reads RFC 3339 text (any offset; fractions of a second are dropped). The instant it names
    /// must lie in the years 1970 to 9999, counted in UTC.
    pub fn parse(text: &str) -> Result<Self, TimeError> {
        let parsed =
            OffsetDateTime::parse(text.trim(), &Rfc3339).map_err(|e| TimeError::NotATime {
                input: text.to_string(),
                reason: e.to_string(),
            })?;
        Timestamp::try_from_unix(parsed.unix_timestamp()).ok_or_else(|| TimeError::OutOfRange {
            input: text.to_string(),
        })
    }

    /// The time `seconds` later (earlier when negative), stopping at the ends of the range.
    pub fn plus_seconds(self, seconds: i64) -> Self {
        Timestamp::from_unix(self.0.saturating_add(seconds))
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match OffsetDateTime::from_unix_timestamp(self.0) {
            Ok(t) => write!(
                f,
                "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
                t.year(),
                u8::from(t.month()),
                t.day(),
                t.hour(),
                t.minute(),
                t.second()
            ),
            // Not reachable (every constructor keeps the range), but printing must never fail.
            Err(_) => write!(f, "{} seconds after 1970-01-01T00:00:00Z", self.0),
        }
    }
}

impl fmt::Debug for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Timestamp({self})")
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Timestamp::parse(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_print_and_parse_as_rfc3339_utc() {
        let t = Timestamp::from_unix(1_795_000_000);
        let text = t.to_string();
        assert_eq!(text, "2026-11-18T11:06:40Z");
        assert_eq!(Timestamp::parse(&text).unwrap(), t);
        assert!(Timestamp::parse("yesterday").is_err());
    }

    #[test]
    fn the_ends_of_the_range_print_and_parse() {
        assert_eq!(Timestamp::MIN.to_string(), "1970-01-01T00:00:00Z");
        assert_eq!(Timestamp::MAX.to_string(), "9999-12-31T23:59:59Z");
        for t in [Timestamp::MIN, Timestamp::MAX] {
            assert_eq!(Timestamp::parse(&t.to_string()), Ok(t));
        }
    }

    /// Each input, and what it parses to (None: refused, and the refusal names the input).
    #[test]
    fn times_at_and_beyond_the_edges_parse_or_are_refused_with_a_sentence() {
        let cases: &[(&str, Option<&str>)] = &[
            // After 9999 in UTC, though the local year is 9999.
            ("9999-12-31T23:59:59-01:00", None),
            ("9999-12-31T23:00:00-00:59", Some("9999-12-31T23:59:00Z")),
            ("9999-12-31T23:59:59Z", Some("9999-12-31T23:59:59Z")),
            ("9999-12-31T23:59:59+23:59", Some("9999-12-31T00:00:59Z")),
            // Before 1970 in UTC.
            ("0000-01-01T00:00:00+01:00", None),
            ("0000-01-01T00:00:00Z", None),
            ("1969-12-31T23:59:59Z", None),
            ("1970-01-01T00:59:59+01:00", None),
            ("1970-01-01T01:00:00+01:00", Some("1970-01-01T00:00:00Z")),
            ("1970-01-01T00:00:00Z", Some("1970-01-01T00:00:00Z")),
            ("1970-01-01T00:00:00-23:59", Some("1970-01-01T23:59:00Z")),
            ("1970-01-01T00:00:00+23:59", None),
            // Offsets at their limits, and beyond.
            ("2026-06-01T12:00:00+23:59", Some("2026-05-31T12:01:00Z")),
            ("2026-06-01T12:00:00-23:59", Some("2026-06-02T11:59:00Z")),
            ("2026-06-01T12:00:00+24:00", None),
            ("2026-06-01T12:00:00-00:00", Some("2026-06-01T12:00:00Z")),
            // Letters in lower case, fractions, surrounding whitespace.
            ("2026-06-01t12:00:00z", Some("2026-06-01T12:00:00Z")),
            (
                "2026-06-01T12:00:00.999999999Z",
                Some("2026-06-01T12:00:00Z"),
            ),
            ("  2026-06-01T12:00:00Z\n", Some("2026-06-01T12:00:00Z")),
            // Huge and malformed years, empty text.
            ("10000-01-01T00:00:00Z", None),
            ("99999999999-01-01T00:00:00Z", None),
            ("-0001-01-01T00:00:00Z", None),
            ("", None),
            ("   ", None),
            ("2026-13-01T00:00:00Z", None),
            ("2026-02-30T00:00:00Z", None),
            ("2026-06-01 12:00:00Z", Some("2026-06-01T12:00:00Z")),
            ("2026-06-01T12:00:00", None),
        ];
        for &(input, expected) in cases {
            let parsed = Timestamp::parse(input);
            match expected {
                Some(utc) => {
                    let t = parsed.unwrap_or_else(|e| panic!("{input:?}: {e}"));
                    assert_eq!(t.to_string(), utc, "{input:?}");
                }
                None => {
                    let e = parsed.expect_err(input).to_string();
                    assert!(e.contains(&format!("'{input}'")), "{input:?}: {e}");
                }
            }
        }
        let e = Timestamp::parse("9999-12-31T23:59:59-01:00")
            .unwrap_err()
            .to_string();
        assert!(e.contains("outside the years 1970 to 9999"), "{e}");
        let e = Timestamp::parse("0000-01-01T00:00:00+01:00")
            .unwrap_err()
            .to_string();
        assert!(e.contains("outside the years 1970 to 9999"), "{e}");
    }

    #[test]
    fn a_leap_second_reads_as_the_second_before_it() {
        // 2016-12-31T23:59:60Z was a leap second: whole seconds in UTC have no room for it.
        for (input, expected) in [
            ("2016-12-31T23:59:60Z", Some("2016-12-31T23:59:59Z")),
            ("2017-01-01T00:59:60+01:00", Some("2016-12-31T23:59:59Z")),
            ("9999-12-31T23:59:60Z", Some("9999-12-31T23:59:59Z")),
            // Not at the end of a UTC month: no leap second there.
            ("2016-06-15T12:30:60Z", None),
            ("2016-12-31T23:59:61Z", None),
        ] {
            let parsed = Timestamp::parse(input).map(|t| t.to_string());
            assert_eq!(parsed.as_deref().ok(), expected, "{input:?}: {parsed:?}");
        }
    }

    #[test]
    fn arithmetic_and_construction_stop_at_the_ends_of_the_range() {
        assert_eq!(Timestamp::from_unix(i64::MAX), Timestamp::MAX);
        assert_eq!(Timestamp::from_unix(i64::MIN), Timestamp::MIN);
        assert_eq!(Timestamp::from_unix(-1), Timestamp::MIN);
        assert_eq!(Timestamp::MAX.plus_seconds(i64::MAX), Timestamp::MAX);
        assert_eq!(Timestamp::MIN.plus_seconds(i64::MIN), Timestamp::MIN);
        assert_eq!(Timestamp::MAX.plus_seconds(-1).unix(), LAST_SECOND - 1);
        assert_eq!(Timestamp::try_from_unix(LAST_SECOND + 1), None);
        assert_eq!(Timestamp::try_from_unix(-1), None);
        assert_eq!(Timestamp::try_from_unix(0), Some(Timestamp::MIN));
        for s in [i64::MIN, -1, 0, LAST_SECOND, LAST_SECOND + 1, i64::MAX] {
            let t = Timestamp::from_unix(s);
            assert_eq!(Timestamp::parse(&t.to_string()), Ok(t));
        }
    }

    #[test]
    fn a_signed_payload_with_a_time_outside_the_range_is_refused() {
        let e = serde_json::from_str::<Timestamp>("\"9999-12-31T23:59:59-01:00\"").unwrap_err();
        assert!(e.to_string().contains("outside the years"), "{e}");
        assert!(serde_json::from_str::<Timestamp>("\"0000-01-01T00:00:00Z\"").is_err());
        assert_eq!(
            serde_json::from_str::<Timestamp>("\"9999-12-31T23:59:59Z\"").unwrap(),
            Timestamp::MAX
        );
    }
}
