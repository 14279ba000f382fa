//! Parsing the expiry timestamps that credential tools write, each in its own dialect.
//!
//! Tools disagree: the AWS CLI and aws-vault write RFC 3339, older AWS CLI v2 builds wrote
//! `2021-03-10T17:27:08UTC` into the SSO cache, awsume writes local wall-clock time without a
//! zone, aws-okta writes epoch seconds. A value we cannot place in time is an error naming the
//! form we expected, never a guess.
//!
//! One rule for epochs everywhere (these dialects and the JSON lines of a log): exactly 10
//! digits are seconds, exactly 13 are milliseconds, and the instant must fall in 1970..=9999.
//! That range holds for every instant read from outside (a file, a variable, an endpoint, a
//! saved report): [`in_range`]. Arithmetic that adds a user's duration to one of them goes
//! through [`later`] and [`earlier`], which cannot overflow.

use crate::env::LocalZone;
use chrono::{DateTime, Datelike, NaiveDateTime, TimeDelta, Utc};

/// The years an instant read from outside may fall in. Credentials before 1970 or after 9999
/// are a broken or hostile value, never a real expiry; inside it, date arithmetic with any
/// duration the flags allow stays far from chrono's limits (year ±262143).
pub const YEARS: std::ops::RangeInclusive<i32> = 1970..=9999;

/// Whether `t` falls in [`YEARS`].
pub fn in_range(t: DateTime<Utc>) -> bool {
    YEARS.contains(&t.year())
}

/// Seconds and nanoseconds since the epoch as an instant, when it falls in [`YEARS`].
pub fn from_epoch(secs: i64, nanos: u32) -> Option<DateTime<Utc>> {
    DateTime::from_timestamp(secs, nanos).filter(|t| in_range(*t))
}

/// A `SystemTime` (what the AWS SDK's credentials carry) as an instant in [`YEARS`]; otherwise
/// the epoch seconds it stands for (saturated), to say what was refused. chrono's own
/// `From<SystemTime>` panics outside its range.
pub fn from_system_time(t: std::time::SystemTime) -> Result<DateTime<Utc>, i64> {
    let (secs, nanos) = match t.duration_since(std::time::UNIX_EPOCH) {
        Ok(d) => (
            i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
            d.subsec_nanos(),
        ),
        Err(e) => (
            i64::try_from(e.duration().as_secs()).map_or(i64::MIN, |s| -s),
            0,
        ),
    };
    from_epoch(secs, nanos).ok_or(secs)
}

/// `t + d`, saturating at chrono's last instant instead of panicking. Saturating errs on the
/// safe side where it is used: a job that would end after the end of time outlives everything.
pub fn later(t: DateTime<Utc>, d: TimeDelta) -> DateTime<Utc> {
    t.checked_add_signed(d).unwrap_or(if d < TimeDelta::zero() {
        DateTime::<Utc>::MIN_UTC
    } else {
        DateTime::<Utc>::MAX_UTC
    })
}

/// `t - d`, saturating likewise.
pub fn earlier(t: DateTime<Utc>, d: TimeDelta) -> DateTime<Utc> {
    t.checked_sub_signed(d).unwrap_or(if d < TimeDelta::zero() {
        DateTime::<Utc>::MAX_UTC
    } else {
        DateTime::<Utc>::MIN_UTC
    })
}

/// How a timestamp without an explicit zone is to be read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dialect {
    /// RFC 3339 / ISO 8601 with a zone (`Z`, `+00:00`, or the old `UTC` suffix). Epoch seconds
    /// are accepted too; a wall-clock time without a zone is rejected.
    Zoned,
    /// As `Zoned`, but a time without a zone is local time (awsume's `AWSUME_EXPIRATION`).
    LocalWallClock,
    /// Epoch seconds (aws-okta's `AWS_OKTA_SESSION_EXPIRATION`); RFC 3339 accepted too.
    EpochSeconds,
}

/// Parses an expiry value in the given dialect.
pub fn parse(value: &str, dialect: Dialect, zone: LocalZone) -> Result<DateTime<Utc>, String> {
    let t = parse_any(value, dialect, zone)?;
    if !in_range(t) {
        return Err(format!(
            "'{}' is outside the years 1970 to 9999",
            shorten(value.trim())
        ));
    }
    Ok(t)
}

fn parse_any(value: &str, dialect: Dialect, zone: LocalZone) -> Result<DateTime<Utc>, String> {
    let v = value.trim();
    if v.is_empty() {
        return Err("is empty".into());
    }
    if let Some(t) = parse_zoned(v) {
        return Ok(t);
    }
    if v.bytes().all(|b| b.is_ascii_digit()) {
        return epoch(v, "").ok_or_else(|| {
            format!(
                "'{}' is not epoch seconds (10 digits) or milliseconds (13 digits) between 1970 \
                 and 9999",
                shorten(v)
            )
        });
    }
    if let Some(naive) = parse_naive(v) {
        return match dialect {
            Dialect::LocalWallClock => zone
                .to_utc(naive)
                .ok_or_else(|| format!("'{v}' does not exist in the local time zone")),
            Dialect::Zoned | Dialect::EpochSeconds => Err(format!(
                "'{}' has no time zone; expected RFC 3339 such as 2026-11-23T14:02:00Z",
                shorten(v)
            )),
        };
    }
    Err(format!(
        "'{}' is not a timestamp; expected {}",
        shorten(v),
        match dialect {
            Dialect::Zoned => "RFC 3339 such as 2026-11-23T14:02:00Z",
            Dialect::LocalWallClock => "a local time such as 2026-11-23T14:02:00",
            Dialect::EpochSeconds => "epoch seconds such as 1795442520",
        }
    ))
}

fn parse_zoned(v: &str) -> Option<DateTime<Utc>> {
    // The AWS CLI v2 once wrote `...UTC` instead of `Z` into ~/.aws/sso/cache.
    let normalised;
    let v = if let Some(stripped) = v.strip_suffix("UTC") {
        normalised = format!("{}Z", stripped.trim_end());
        normalised.as_str()
    } else {
        v
    };
    if let Ok(t) = DateTime::parse_from_rfc3339(v) {
        return Some(t.with_timezone(&Utc));
    }
    // RFC 3339 allows a space for the `T`; so do the tools.
    for fmt in [
        "%Y-%m-%d %H:%M:%S%.f%:z",
        "%Y-%m-%d %H:%M:%S%.fZ",
        "%Y-%m-%dT%H:%M:%S%.f%z",
    ] {
        if let Ok(t) = DateTime::parse_from_str(v, fmt) {
            return Some(t.with_timezone(&Utc));
        }
    }
    None
}

fn parse_naive(v: &str) -> Option<NaiveDateTime> {
    ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M:%S%.f"]
        .iter()
        .find_map(|fmt| NaiveDateTime::parse_from_str(v, fmt).ok())
}

/// An epoch given as its integer digits and (for seconds) its fraction's digits: 10 digits
/// are seconds, 13 milliseconds; anything else, or an instant outside 1970..=9999, is `None`.
pub fn epoch(int: &str, frac: &str) -> Option<DateTime<Utc>> {
    if !int.bytes().all(|b| b.is_ascii_digit()) || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n: i64 = int.parse().ok()?;
    let (secs, nanos) = match int.len() {
        10 => {
            let frac: String = frac.chars().take(9).collect();
            let nanos = if frac.is_empty() {
                0
            } else {
                frac.parse::<u32>().ok()? * 10u32.pow(9 - frac.len() as u32)
            };
            (n, nanos)
        }
        13 if frac.is_empty() => (n / 1000, (n % 1000) as u32 * 1_000_000),
        _ => return None,
    };
    from_epoch(secs, nanos)
}

/// Keeps error messages one line long even for a hostile value.
fn shorten(v: &str) -> String {
    crate::redact::clip(v)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::FixedOffset;

    fn utc(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }
    const Z: LocalZone = LocalZone::System;

    #[test]
    fn rfc3339_forms_the_tools_write() {
        let want = utc("2026-11-23T14:02:00Z");
        for v in [
            "2026-11-23T14:02:00Z",
            "2026-11-23T14:02:00+00:00",
            "2026-11-23T15:02:00+01:00",
            "2026-11-23T14:02:00.000Z",
            "2026-11-23 14:02:00+00:00",
            "2026-11-23T14:02:00UTC",
            "2026-11-23T14:02:00+0000",
            " 2026-11-23T14:02:00Z\n",
        ] {
            assert_eq!(parse(v, Dialect::Zoned, Z), Ok(want), "{v}");
        }
    }

    #[test]
    fn epoch_seconds_and_milliseconds() {
        let want = utc("2026-11-23T14:02:00Z");
        let secs = want.timestamp().to_string();
        assert_eq!(parse(&secs, Dialect::EpochSeconds, Z), Ok(want));
        let millis = (want.timestamp() * 1000).to_string();
        assert_eq!(parse(&millis, Dialect::EpochSeconds, Z), Ok(want));
    }

    #[test]
    fn only_ten_or_thirteen_digits_are_an_epoch() {
        // Microseconds are not read as milliseconds (that would be the year 56886).
        let micros = "1733000000000000";
        assert!(parse(micros, Dialect::Zoned, Z).is_err());
        assert!(parse("173300000", Dialect::Zoned, Z).is_err());
        assert_eq!(
            epoch("1733000000", "5"),
            Some(utc("2024-11-30T20:53:20.5Z"))
        );
        assert_eq!(
            epoch("1733000000123", ""),
            Some(utc("2024-11-30T20:53:20.123Z"))
        );
        assert_eq!(epoch("1733000000123", "5"), None);
        assert_eq!(
            epoch("9999999999999", ""),
            Some(utc("2286-11-20T17:46:39.999Z"))
        );
    }

    #[test]
    fn awsume_local_time_uses_the_zone() {
        let zone = LocalZone::Fixed(FixedOffset::west_opt(5 * 3600).unwrap());
        assert_eq!(
            parse("2026-11-23T09:02:00", Dialect::LocalWallClock, zone),
            Ok(utc("2026-11-23T14:02:00Z"))
        );
        assert_eq!(
            parse("2026-11-23 09:02:00", Dialect::LocalWallClock, zone),
            Ok(utc("2026-11-23T14:02:00Z"))
        );
    }

    #[test]
    fn zoneless_time_is_rejected_where_a_zone_is_required() {
        let err = parse("2026-11-23T09:02:00", Dialect::Zoned, Z).unwrap_err();
        assert!(err.contains("no time zone"), "{err}");
    }

    #[test]
    fn garbage_is_named_and_bounded() {
        let err = parse("tomorrow-ish", Dialect::Zoned, Z).unwrap_err();
        assert!(err.contains("'tomorrow-ish' is not a timestamp"), "{err}");
        let long = "x".repeat(10_000);
        let err = parse(&long, Dialect::Zoned, Z).unwrap_err();
        assert!(err.len() < 200, "{err}");
        assert!(parse("", Dialect::Zoned, Z).is_err());
        assert!(parse("99999999999999999999", Dialect::EpochSeconds, Z).is_err());
    }

    #[test]
    fn instants_outside_1970_to_9999_are_refused_in_every_dialect() {
        for v in [
            "+262142-12-31 23:59:59+00:00",
            "1969-12-31T23:59:59Z",
            "9999-12-31T23:59:59-01:00",
        ] {
            let err = parse(v, Dialect::Zoned, Z).unwrap_err();
            assert!(err.contains("outside the years 1970 to 9999"), "{v}: {err}");
        }
        let zone = LocalZone::Fixed(FixedOffset::east_opt(14 * 3600).unwrap());
        assert!(parse("1970-01-01T00:00:00", Dialect::LocalWallClock, zone).is_err());
    }

    #[test]
    fn date_arithmetic_saturates_instead_of_panicking() {
        let max = DateTime::<Utc>::MAX_UTC;
        let min = DateTime::<Utc>::MIN_UTC;
        assert_eq!(later(max, TimeDelta::seconds(1)), max);
        assert_eq!(later(min, TimeDelta::MIN), min);
        assert_eq!(earlier(min, TimeDelta::seconds(1)), min);
        assert_eq!(earlier(max, TimeDelta::MIN), max);
        let t = utc("2026-11-23T14:02:00Z");
        assert_eq!(later(t, TimeDelta::hours(1)), utc("2026-11-23T15:02:00Z"));
        assert_eq!(earlier(t, TimeDelta::hours(1)), utc("2026-11-23T13:02:00Z"));
    }

    #[test]
    fn system_times_outside_the_range_say_their_epoch_second() {
        use std::time::{Duration, UNIX_EPOCH};
        let t = UNIX_EPOCH + Duration::from_secs(1_795_442_520);
        assert_eq!(from_system_time(t), Ok(utc("2026-11-23T14:02:00Z")));
        // The SSO portal's epoch milliseconds can be anything: past chrono's own range too.
        let far = UNIX_EPOCH + Duration::from_secs(9_000_000_000_000);
        assert_eq!(from_system_time(far), Err(9_000_000_000_000));
        let before = UNIX_EPOCH - Duration::from_secs(5);
        assert_eq!(from_system_time(before), Err(-5));
    }

    #[test]
    fn year_9999_is_a_real_date() {
        assert_eq!(
            parse("9999-12-31T23:59:59Z", Dialect::Zoned, Z),
            Ok(utc("9999-12-31T23:59:59Z"))
        );
    }
}
