//! Finding the time on a log line, in the formats real logs use, without a regex per line.
//!
//! Recognised: RFC 3339 / ISO 8601 with `T` or a space, `.` or `,` fractions, with or without a
//! zone (Python logging's `2024-03-01 12:00:01,123` among them); Go's `2024/03/01 12:00:01`;
//! log4j/Spark's `24/03/01 12:00:01`; syslog's `Mar  1 12:00:01` (the year comes from a hint);
//! and in JSON lines, a `timestamp`, `@timestamp`, `time` or `ts` field holding epoch seconds,
//! epoch milliseconds or an ISO string. A time without a zone is taken as UTC: triage compares
//! times within one log, where the zone cancels out.

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta, Utc};

/// How far into a line a leading timestamp is looked for (after a level, a bracket, a pid).
const SEARCH_WINDOW: usize = 96;
/// JSON timestamp fields are looked for this far into a JSON line.
const JSON_WINDOW: usize = 4096;

/// Does the start of the line carry something shaped like `HH:MM:SS`? A cheap test run on
/// every line, so that the last timestamped line can be remembered without parsing it.
pub fn looks_timestamped(line: &[u8]) -> bool {
    let w = &line[..line.len().min(SEARCH_WINDOW)];
    let mut from = 0;
    while let Some(i) = memchr::memchr(b':', &w[from..]) {
        let i = from + i;
        if i >= 2 && i + 3 < w.len() + 1 && is_hms_at(w, i - 2) {
            return true;
        }
        from = i + 1;
    }
    first_non_space(line) == Some(b'{')
}

fn first_non_space(line: &[u8]) -> Option<u8> {
    line.iter().copied().find(|b| !b.is_ascii_whitespace())
}

fn digits(w: &[u8], at: usize, n: usize) -> Option<u32> {
    let s = w.get(at..at + n)?;
    let mut v = 0u32;
    for &b in s {
        if !b.is_ascii_digit() {
            return None;
        }
        v = v * 10 + u32::from(b - b'0');
    }
    Some(v)
}

fn is_hms_at(w: &[u8], at: usize) -> bool {
    digits(w, at, 2).is_some()
        && w.get(at + 2) == Some(&b':')
        && digits(w, at + 3, 2).is_some()
        && w.get(at + 5) == Some(&b':')
        && digits(w, at + 6, 2).is_some()
}

/// The line's time, if it has one. `year` is used for syslog stamps, which carry none.
pub fn parse(line: &[u8], year: i32) -> Option<DateTime<Utc>> {
    if first_non_space(line) == Some(b'{')
        && let Some(t) = json_time(&line[..line.len().min(JSON_WINDOW)])
    {
        return Some(t);
    }
    let w = &line[..line.len().min(SEARCH_WINDOW)];
    (0..w.len()).find_map(|i| {
        // A timestamp starts at a digit or a month name, not in the middle of a number.
        if i > 0 && w[i - 1].is_ascii_alphanumeric() {
            return None;
        }
        match w[i] {
            b'0'..=b'9' => iso_at(w, i).or_else(|| slashed_at(w, i)),
            b'A'..=b'Z' => syslog_at(w, i, year),
            _ => None,
        }
    })
}

/// `YYYY-MM-DD[T ]HH:MM:SS[.,frac][Z|±HH[:]MM]`
fn iso_at(w: &[u8], i: usize) -> Option<DateTime<Utc>> {
    let (y, mo, d) = (digits(w, i, 4)?, digits(w, i + 5, 2)?, digits(w, i + 8, 2)?);
    if w.get(i + 4) != Some(&b'-') || w.get(i + 7) != Some(&b'-') {
        return None;
    }
    if !matches!(w.get(i + 10), Some(b'T') | Some(b' ') | Some(b't')) {
        return None;
    }
    let date = NaiveDate::from_ymd_opt(y as i32, mo, d)?;
    time_and_zone(w, i + 11, date)
}

/// `YYYY/MM/DD HH:MM:SS` (Go) or `YY/MM/DD HH:MM:SS` (log4j, Spark).
fn slashed_at(w: &[u8], i: usize) -> Option<DateTime<Utc>> {
    let (year, rest) = if w.get(i + 4) == Some(&b'/') {
        (digits(w, i, 4)? as i32, i + 5)
    } else if w.get(i + 2) == Some(&b'/') {
        (2000 + digits(w, i, 2)? as i32, i + 3)
    } else {
        return None;
    };
    let mo = digits(w, rest, 2)?;
    let d = digits(w, rest + 3, 2)?;
    if w.get(rest + 2) != Some(&b'/') || w.get(rest + 5) != Some(&b' ') {
        return None;
    }
    let date = NaiveDate::from_ymd_opt(year, mo, d)?;
    time_and_zone(w, rest + 6, date)
}

/// `Mar  1 12:00:01` / `Mar 01 12:00:01`.
fn syslog_at(w: &[u8], i: usize, year: i32) -> Option<DateTime<Utc>> {
    const MONTHS: [&[u8]; 12] = [
        b"Jan", b"Feb", b"Mar", b"Apr", b"May", b"Jun", b"Jul", b"Aug", b"Sep", b"Oct", b"Nov",
        b"Dec",
    ];
    let name = w.get(i..i + 3)?;
    let month = MONTHS.iter().position(|m| *m == name)? as u32 + 1;
    if w.get(i + 3) != Some(&b' ') {
        return None;
    }
    let (day, at) = match (w.get(i + 4), w.get(i + 5)) {
        (Some(b' '), Some(d)) if d.is_ascii_digit() => (u32::from(d - b'0'), i + 6),
        (Some(a), Some(b)) if a.is_ascii_digit() && b.is_ascii_digit() => {
            (u32::from(a - b'0') * 10 + u32::from(b - b'0'), i + 6)
        }
        _ => return None,
    };
    if w.get(at) != Some(&b' ') {
        return None;
    }
    let date = NaiveDate::from_ymd_opt(year, month, day)?;
    time_and_zone(w, at + 1, date)
}

/// `HH:MM:SS[.,frac]` then an optional zone.
fn time_and_zone(w: &[u8], at: usize, date: NaiveDate) -> Option<DateTime<Utc>> {
    if !is_hms_at(w, at) {
        return None;
    }
    let (h, m, s) = (
        digits(w, at, 2)?,
        digits(w, at + 3, 2)?,
        digits(w, at + 6, 2)?,
    );
    let mut pos = at + 8;
    let mut nanos = 0u32;
    if matches!(w.get(pos), Some(b'.') | Some(b',')) {
        let start = pos + 1;
        let mut end = start;
        while end < w.len() && w[end].is_ascii_digit() {
            end += 1;
        }
        if end > start {
            let frac = &w[start..end.min(start + 9)];
            let mut v = 0u32;
            for &b in frac {
                v = v * 10 + u32::from(b - b'0');
            }
            nanos = v * 10u32.pow(9 - frac.len() as u32);
            pos = end;
        }
    }
    // A leap second (`:60`) is read as `:59`: a second early is harmless for ordering a log.
    let time = NaiveTime::from_hms_nano_opt(h, m, s.min(59), nanos)?;
    let naive = NaiveDateTime::new(date, time);
    let offset = match w.get(pos) {
        Some(b'Z') | Some(b'z') => 0,
        Some(sign @ (b'+' | b'-')) => {
            let hh = digits(w, pos + 1, 2);
            let mm = if w.get(pos + 3) == Some(&b':') {
                digits(w, pos + 4, 2)
            } else {
                digits(w, pos + 3, 2)
            };
            match (hh, mm) {
                (Some(hh), Some(mm)) if hh < 24 && mm < 60 => {
                    let secs = i64::from(hh * 3600 + mm * 60);
                    if *sign == b'+' { secs } else { -secs }
                }
                _ => 0,
            }
        }
        _ => 0,
    };
    naive
        .and_utc()
        .checked_sub_signed(TimeDelta::seconds(offset))
}

/// A JSON line's time field: `"timestamp": 1709294401.5`, `"ts": 1709294401500`,
/// `"@timestamp": "2024-03-01T12:00:01Z"`, `"time": "…"`.
fn json_time(line: &[u8]) -> Option<DateTime<Utc>> {
    for key in [
        &b"\"@timestamp\""[..],
        b"\"timestamp\"",
        b"\"time\"",
        b"\"ts\"",
    ] {
        let Some(at) = memchr::memmem::find(line, key) else {
            continue;
        };
        let mut i = at + key.len();
        while i < line.len() && (line[i] == b' ' || line[i] == b':') {
            i += 1;
        }
        match line.get(i) {
            Some(b'"') => {
                let s = &line[i + 1..];
                if let Some(t) = iso_at(s, 0) {
                    return Some(t);
                }
            }
            Some(b) if b.is_ascii_digit() => {
                let end = line[i..]
                    .iter()
                    .position(|b| !(b.is_ascii_digit() || *b == b'.'))
                    .map_or(line.len(), |p| i + p);
                // Integer and fraction apart: floating point would lose the milliseconds. The
                // one epoch rule: 10 digits are seconds, 13 milliseconds.
                let text = std::str::from_utf8(&line[i..end]).ok()?;
                let (int, frac) = text.split_once('.').unwrap_or((text, ""));
                return crate::timestamps::epoch(int, frac);
            }
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(line: &str) -> Option<String> {
        parse(line.as_bytes(), 2024).map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true))
    }

    #[test]
    fn the_formats_real_logs_use() {
        let want = Some("2024-03-01T12:00:01.123Z".to_string());
        for line in [
            "2024-03-01T12:00:01.123Z ERROR x",
            "2024-03-01T12:00:01.123+00:00 ERROR x",
            "2024-03-01T13:00:01.123+01:00 ERROR x",
            "2024-03-01T07:00:01.123-0500 ERROR x",
            "2024-03-01 12:00:01,123 - botocore - ERROR - x",
            "[2024-03-01 12:00:01,123] {taskinstance.py:1851} ERROR - Task failed",
            "2024/03/01 12:00:01.123 operation error STS: GetCallerIdentity",
            "INFO  2024-03-01 12:00:01.123 [main] x",
            r#"{"level":"error","ts":1709294401.123,"msg":"x"}"#,
            r#"{"level":"error","ts":1709294401123,"msg":"x"}"#,
            r#"{"@timestamp":"2024-03-01T12:00:01.123Z","message":"x"}"#,
            r#"{"message": "x", "timestamp": "2024-03-01 12:00:01.123"}"#,
        ] {
            assert_eq!(t(line), want, "{line}");
        }
        assert_eq!(
            t("24/03/01 12:00:01 WARN S3AFileSystem: x"),
            Some("2024-03-01T12:00:01.000Z".into())
        );
        assert_eq!(
            t("Mar  1 12:00:01 host job[123]: x"),
            Some("2024-03-01T12:00:01.000Z".into())
        );
        assert_eq!(
            t("Mar 11 12:00:01 host job[123]: x"),
            Some("2024-03-11T12:00:01.000Z".into())
        );
    }

    #[test]
    fn lines_without_a_time() {
        for line in [
            "\tat com.amazonaws.http.AmazonHttpClient.execute(AmazonHttpClient.java:1)",
            "Caused by: com.amazonaws.services.s3.model.AmazonS3Exception: The provided token has expired.",
            "version 12:00 is not a time",
            "",
            "12345678901234567890",
        ] {
            assert_eq!(t(line), None, "{line}");
            assert!(
                !looks_timestamped(line.as_bytes()) || line.starts_with('{'),
                "{line}"
            );
        }
        assert!(looks_timestamped(b"2024-03-01 12:00:01,123 x"));
        assert!(looks_timestamped(b"Mar  1 12:00:01 host"));
    }

    #[test]
    fn hostile_input_is_bounded_and_safe() {
        assert_eq!(t("9999-99-99T99:99:99Z"), None);
        assert_eq!(t(&"2024-03-01T".repeat(10_000)), None);
        assert!(parse(&[0xff; 1000], 2024).is_none());
        assert_eq!(t(r#"{"ts": 99999999999999999999999999}"#), None);
    }
}
