//! Durations and times the way an engineer reads them at 3 a.m.: `31m`, `8h02m`, `in 31m`,
//! `5m ago`, `14:02 UTC`. One place, so every finding and the verdict line agree.

use crate::env::LocalZone;
use chrono::{DateTime, FixedOffset, Local, NaiveDateTime, Offset, TimeZone, Utc};

/// The zone times are shown in: UTC in machine-readable output, the user's own zone in the
/// table.
#[derive(Clone, Copy, Debug, PartialEq, Default)]
pub enum Zone {
    #[default]
    Utc,
    Local(LocalZone),
}

impl Zone {
    /// Wall-clock time and the zone's label (`UTC`, `+05:30`).
    fn wall(self, t: DateTime<Utc>) -> (NaiveDateTime, String) {
        let offset: FixedOffset = match self {
            Zone::Utc => return (t.naive_utc(), "UTC".into()),
            Zone::Local(LocalZone::System) => Local.offset_from_utc_datetime(&t.naive_utc()).fix(),
            Zone::Local(LocalZone::Fixed(o)) => o,
        };
        let label = if offset.local_minus_utc() == 0 {
            "UTC".to_string()
        } else {
            offset.to_string()
        };
        (t.with_timezone(&offset).naive_local(), label)
    }
}

/// Compact duration: `45s`, `31m`, `10m02s`, `8h`, `8h02m`, `2d03h`. Seconds are shown only
/// below an hour, minutes only below two days: the precision a deadline needs.
pub fn duration(secs: i64) -> String {
    let s = secs.unsigned_abs();
    let (d, h, m, sec) = (s / 86_400, (s % 86_400) / 3600, (s % 3600) / 60, s % 60);
    let body = if d > 0 {
        if h > 0 {
            format!("{d}d{h:02}h")
        } else {
            format!("{d}d")
        }
    } else if h > 0 {
        if m > 0 {
            format!("{h}h{m:02}m")
        } else {
            format!("{h}h")
        }
    } else if m > 0 {
        if sec > 0 {
            format!("{m}m{sec:02}s")
        } else {
            format!("{m}m")
        }
    } else {
        format!("{sec}s")
    };
    if secs < 0 { format!("-{body}") } else { body }
}

/// Every unit down to the second: `1h00m12s`, `11h58m41s`, `10m10s`, `3s`. For elapsed times
/// that are compared with limits, where the seconds are the evidence.
pub fn precise(secs: i64) -> String {
    let s = secs.unsigned_abs();
    let (h, m, sec) = (s / 3600, (s % 3600) / 60, s % 60);
    let body = if h > 0 {
        format!("{h}h{m:02}m{sec:02}s")
    } else if m > 0 {
        format!("{m}m{sec:02}s")
    } else {
        format!("{sec}s")
    };
    if secs < 0 { format!("-{body}") } else { body }
}

/// `in 31m` or `5m ago`, relative to `now`; beyond ten minutes, to the nearest minute (the
/// seconds are noise by then).
pub fn relative(t: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let ms = (t - now).num_milliseconds();
    let mut secs = (ms as f64 / 1000.0).round() as i64;
    if secs.abs() >= 600 {
        secs = (secs as f64 / 60.0).round() as i64 * 60;
    }
    if secs >= 0 {
        format!("in {}", duration(secs))
    } else {
        format!("{} ago", duration(-secs))
    }
}

/// `14:02 UTC` when `t` is on the same day as `now` (in `zone`), `2026-11-24 14:02 UTC`
/// otherwise; `15:02 +01:00` in a local zone.
pub fn clock(t: DateTime<Utc>, now: DateTime<Utc>, zone: Zone) -> String {
    let (wall, label) = zone.wall(t);
    let (today, _) = zone.wall(now);
    if wall.date() == today.date() {
        format!("{} {label}", wall.format("%H:%M"))
    } else {
        format!("{} {label}", wall.format("%Y-%m-%d %H:%M"))
    }
}

/// `2026-11-23 14:02 UTC` (or `… +05:30` in a local zone), whatever `now` is.
pub fn stamp(t: DateTime<Utc>, zone: Zone) -> String {
    let (wall, label) = zone.wall(t);
    format!("{} {label}", wall.format("%Y-%m-%d %H:%M"))
}

/// `14:02 UTC (in 31m)`.
pub fn when(t: DateTime<Utc>, now: DateTime<Utc>, zone: Zone) -> String {
    format!("{} ({})", clock(t, now, zone), relative(t, now))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_are_compact() {
        assert_eq!(duration(0), "0s");
        assert_eq!(duration(45), "45s");
        assert_eq!(duration(31 * 60), "31m");
        assert_eq!(duration(602), "10m02s");
        assert_eq!(duration(8 * 3600), "8h");
        assert_eq!(duration(8 * 3600 + 120 + 7), "8h02m");
        assert_eq!(duration(51 * 3600), "2d03h");
        assert_eq!(duration(-300), "-5m");
    }

    #[test]
    fn precise_durations_keep_the_seconds() {
        assert_eq!(precise(3612), "1h00m12s");
        assert_eq!(precise(43_121), "11h58m41s");
        assert_eq!(precise(610), "10m10s");
        assert_eq!(precise(3), "3s");
    }

    #[test]
    fn times_relative_to_now() {
        let now: DateTime<Utc> = "2026-11-23T13:31:00Z".parse().unwrap();
        let exp: DateTime<Utc> = "2026-11-23T14:02:00Z".parse().unwrap();
        assert_eq!(when(exp, now, Zone::Utc), "14:02 UTC (in 31m)");
        let kolkata = Zone::Local(LocalZone::Fixed(FixedOffset::east_opt(19_800).unwrap()));
        assert_eq!(when(exp, now, kolkata), "19:32 +05:30 (in 31m)");
        assert_eq!(relative(now, exp), "31m ago");
        let tomorrow: DateTime<Utc> = "2026-11-24T01:00:00Z".parse().unwrap();
        assert_eq!(clock(tomorrow, now, Zone::Utc), "2026-11-24 01:00 UTC");
        let almost: DateTime<Utc> = "2026-11-23T14:01:59.600Z".parse().unwrap();
        assert_eq!(relative(almost, now), "in 31m");
        let close: DateTime<Utc> = "2026-11-23T13:33:29.600Z".parse().unwrap();
        assert_eq!(relative(close, now), "in 2m30s");
    }
}
