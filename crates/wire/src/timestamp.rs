//! GitHub's timestamps (`2012-07-20T01:19:13Z`, docs/github-api.md §7.2) as seconds since the Unix epoch.
//!
//! Why hand-written rather than `time`, `chrono` or `jiff`: GitHub sends one fixed ISO 8601 form, and the
//! app only needs to order, subtract and print timestamps. The civil-date arithmetic below is a few hundred
//! bytes of wasm; a date library with parsing and formatting costs tens of KB of the bundle (measured in the
//! closing note of the core issue). Offsets and fractional seconds are accepted too, for robustness.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// An instant, in whole seconds since 1970-01-01T00:00:00Z.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(i64);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a timestamp of the form YYYY-MM-DDTHH:MM:SSZ: {0:?}")]
pub struct TimestampError(String);

impl Timestamp {
    pub const UNIX_EPOCH: Timestamp = Timestamp(0);

    pub const fn from_unix(seconds: i64) -> Self {
        Timestamp(seconds)
    }

    pub const fn unix(self) -> i64 {
        self.0
    }

    /// Milliseconds since the epoch, the unit of `budget` and of JavaScript's `Date.now()`.
    pub const fn unix_millis(self) -> i64 {
        self.0.saturating_mul(1000)
    }

    pub const fn from_unix_millis(millis: i64) -> Self {
        Timestamp(millis.div_euclid(1000))
    }

    pub fn plus_seconds(self, seconds: i64) -> Self {
        Timestamp(self.0.saturating_add(seconds))
    }

    /// `self - earlier` in seconds (negative when `earlier` is later).
    pub fn seconds_since(self, earlier: Timestamp) -> i64 {
        self.0.saturating_sub(earlier.0)
    }

    /// Parses RFC 3339: `YYYY-MM-DDTHH:MM:SS`, optional fraction (dropped), then `Z` or `±HH:MM`.
    pub fn parse(text: &str) -> Result<Self, TimestampError> {
        parse_rfc3339(text.as_bytes()).ok_or_else(|| TimestampError(text.to_owned()))
    }

    /// "just now", "5 minutes ago", "in 3 hours", "2 days ago": how far `self` is from `now`, for people.
    pub fn relative_to(self, now: Timestamp) -> String {
        let diff = now.seconds_since(self);
        let (future, secs) = (diff < 0, diff.unsigned_abs());
        if secs < 45 {
            return "just now".into();
        }
        let (n, unit) = match secs {
            s if s < 3_600 => (s.div_ceil(60).max(1), "minute"),
            s if s < 86_400 => (s / 3_600, "hour"),
            s if s < 86_400 * 60 => (s / 86_400, "day"),
            s if s < 86_400 * 730 => (s / (86_400 * 30), "month"),
            s => (s / (86_400 * 365), "year"),
        };
        let plural = if n == 1 { "" } else { "s" };
        if future {
            format!("in {n} {unit}{plural}")
        } else {
            format!("{n} {unit}{plural} ago")
        }
    }

    /// "2026-11-30 13:06 UTC": how a page shows an exact time to people (lists say "3 hours ago" and give
    /// this on hover; a deployment's page gives both).
    pub fn readable(self) -> String {
        let (y, mo, d, h, mi, _) = self.to_civil();
        format!("{y:04}-{mo:02}-{d:02} {h:02}:{mi:02} UTC")
    }

    /// "13:06 UTC": a time within the day, for a quota's reset.
    pub fn clock_utc(self) -> String {
        let (_, _, _, h, mi, _) = self.to_civil();
        format!("{h:02}:{mi:02} UTC")
    }

    /// The civil date and time in UTC: (year, month 1..=12, day 1..=31, hour, minute, second).
    pub fn to_civil(self) -> (i64, u32, u32, u32, u32, u32) {
        let days = self.0.div_euclid(86_400);
        let secs = self.0.rem_euclid(86_400) as u32;
        let (y, m, d) = civil_from_days(days);
        (y, m, d, secs / 3600, secs / 60 % 60, secs % 60)
    }
}

impl fmt::Display for Timestamp {
    /// GitHub's own form, `YYYY-MM-DDTHH:MM:SSZ`, so a timestamp re-serialises to the bytes it came from.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, mo, d, h, mi, s) = self.to_civil();
        write!(f, "{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z")
    }
}

impl FromStr for Timestamp {
    type Err = TimestampError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Timestamp::parse(s)
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        Timestamp::parse(&text).map_err(serde::de::Error::custom)
    }
}

fn digits(bytes: &[u8]) -> Option<u32> {
    if bytes.is_empty() || !bytes.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(
        bytes
            .iter()
            .fold(0u32, |acc, b| acc * 10 + u32::from(b - b'0')),
    )
}

fn parse_rfc3339(b: &[u8]) -> Option<Timestamp> {
    if b.len() < 20 || b[4] != b'-' || b[7] != b'-' || b[13] != b':' || b[16] != b':' {
        return None;
    }
    if !matches!(b[10], b'T' | b't' | b' ') {
        return None;
    }
    let year = i64::from(digits(&b[0..4])?);
    let month = digits(&b[5..7])?;
    let day = digits(&b[8..10])?;
    let hour = digits(&b[11..13])?;
    let minute = digits(&b[14..16])?;
    let second = digits(&b[17..19])?;
    if !(1..=12).contains(&month)
        || day == 0
        || day > days_in_month(year, month)
        || hour > 23
        || minute > 59
        || second > 60
    {
        return None;
    }
    let mut rest = &b[19..];
    if rest.first() == Some(&b'.') {
        let frac = rest[1..].iter().take_while(|c| c.is_ascii_digit()).count();
        if frac == 0 {
            return None;
        }
        rest = &rest[1 + frac..];
    }
    let offset_seconds = match rest {
        [b'Z' | b'z'] => 0,
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
            let oh = digits(&[*h1, *h2])?;
            let om = digits(&[*m1, *m2])?;
            if oh > 23 || om > 59 {
                return None;
            }
            let o = i64::from(oh * 3600 + om * 60);
            if *sign == b'+' {
                o
            } else {
                -o
            }
        }
        _ => return None,
    };
    // A leap second (:60) is folded into the next second; GitHub never sends one.
    let secs = days_from_civil(year, month, day) * 86_400
        + i64::from(hour * 3600 + minute * 60 + second)
        - offset_seconds;
    Some(Timestamp(secs))
}

fn is_leap(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The inverse of [`days_from_civil`].
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn parses_githubs_form_and_prints_it_back() {
        let t = Timestamp::parse("2012-07-20T01:19:13Z").unwrap();
        assert_eq!(t.unix(), 1_342_747_153);
        assert_eq!(t.to_string(), "2012-07-20T01:19:13Z");
    }

    #[test]
    fn accepts_offsets_and_fractions() {
        let z = Timestamp::parse("2023-06-29T19:10:55Z").unwrap();
        assert_eq!(Timestamp::parse("2023-06-29T21:10:55+02:00").unwrap(), z);
        assert_eq!(Timestamp::parse("2023-06-29T19:10:55.123456Z").unwrap(), z);
        assert_eq!(Timestamp::parse("2023-06-29T14:10:55-05:00").unwrap(), z);
    }

    #[test]
    fn rejects_impossible_dates_and_other_shapes() {
        for bad in [
            "",
            "2023-02-29T00:00:00Z",
            "2023-13-01T00:00:00Z",
            "2023-06-29T24:00:00Z",
            "2023-06-29T19:10:55",
            "2023-06-29T19:10:55.Z",
            "2023-06-29 19:10:55 UTC",
            "１２３４-06-29T19:10:55Z",
            "tomorrow",
        ] {
            assert!(Timestamp::parse(bad).is_err(), "{bad:?} should be rejected");
        }
        assert!(Timestamp::parse("2024-02-29T00:00:00Z").is_ok());
    }

    #[test]
    fn relative_times_read_naturally() {
        let now = Timestamp::from_unix(1_000_000_000);
        let cases = [
            (0, "just now"),
            (-90, "2 minutes ago"),
            (-3_600, "1 hour ago"),
            (-86_400 * 3, "3 days ago"),
            (1_800, "in 30 minutes"),
            (-86_400 * 400, "13 months ago"),
            (-86_400 * 800, "2 years ago"),
        ];
        for (offset, expected) in cases {
            assert_eq!(
                now.plus_seconds(offset).relative_to(now),
                expected,
                "{offset}"
            );
        }
    }

    #[test]
    fn readable_forms_are_minutes_in_utc() {
        let t = Timestamp::parse("2026-11-30T13:06:59Z").unwrap();
        assert_eq!(t.readable(), "2026-11-30 13:06 UTC");
        assert_eq!(t.clock_utc(), "13:06 UTC");
    }

    #[test]
    fn serde_uses_the_string_form() {
        let t: Timestamp = serde_json::from_str("\"1970-01-01T00:00:00Z\"").unwrap();
        assert_eq!(t, Timestamp::UNIX_EPOCH);
        assert_eq!(
            serde_json::to_string(&Timestamp::from_unix(86_400)).unwrap(),
            "\"1970-01-02T00:00:00Z\""
        );
    }

    proptest! {
        #[test]
        fn display_then_parse_is_the_identity(secs in -62_135_596_800i64..253_402_300_799i64) {
            let t = Timestamp::from_unix(secs);
            prop_assert_eq!(Timestamp::parse(&t.to_string()).unwrap(), t);
        }

        #[test]
        fn parse_never_panics(s in "\\PC{0,40}") {
            let _ = Timestamp::parse(&s);
        }

        #[test]
        fn parse_never_panics_on_near_misses(s in "[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{0,3})?(Z|[+-][0-9]{2}:[0-9]{2})?") {
            let _ = Timestamp::parse(&s);
        }
    }
}
