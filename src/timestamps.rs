//! Parsing the expiry timestamps that credential tools write, each in its own dialect.
//!
//! Tools disagree: the AWS CLI and aws-vault write RFC 3339, older AWS CLI v2 builds wrote
//! `2021-03-10T17:27:08UTC` into the SSO cache, awsume writes local wall-clock time without a
//! zone, aws-okta writes epoch seconds. A value we cannot place in time is an error naming the
//! form we expected, never a guess.

use crate::env::LocalZone;
use chrono::{DateTime, NaiveDateTime, Utc};

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
    let v = value.trim();
    if v.is_empty() {
        return Err("is empty".into());
    }
    if let Some(t) = parse_zoned(v) {
        return Ok(t);
    }
    if !v.is_empty() && v.len() <= 20 && v.bytes().all(|b| b.is_ascii_digit()) {
        return parse_epoch(v);
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

fn parse_epoch(v: &str) -> Result<DateTime<Utc>, String> {
    let n: i64 = v
        .parse()
        .map_err(|_| format!("'{}' is too large for epoch seconds", shorten(v)))?;
    // Thirteen digits are milliseconds (JavaScript tools); ten are seconds.
    let secs = if v.len() >= 13 { n / 1000 } else { n };
    DateTime::from_timestamp(secs, 0)
        .ok_or_else(|| format!("'{}' is out of range for epoch seconds", shorten(v)))
}

/// Keeps error messages one line long even for a hostile value.
fn shorten(v: &str) -> String {
    const MAX: usize = 60;
    let clean: String = v
        .chars()
        .map(|c| if c.is_control() { '?' } else { c })
        .collect();
    if clean.chars().count() > MAX {
        format!("{}…", clean.chars().take(MAX).collect::<String>())
    } else {
        clean
    }
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
    fn year_9999_is_a_real_date() {
        assert_eq!(
            parse("9999-12-31T23:59:59Z", Dialect::Zoned, Z),
            Ok(utc("9999-12-31T23:59:59Z"))
        );
    }
}
