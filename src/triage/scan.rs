//! One pass over the log: every line classified, the job's start found, the time of every
//! failing line taken from the line or inherited from the last timestamped one. Memory stays
//! flat: counts for everything, the text of the first `KEPT_EVENTS` failing lines only.

use super::classes::Class;
use super::classify::{Classifier, Hit};
use super::lines;
use super::logtime;
use chrono::{DateTime, Datelike, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::io::BufRead;
use std::time::Instant;

/// Failing lines kept with their text (plus the first of each class); the rest are counted.
pub const KEPT_EVENTS: usize = 200;
/// Characters of a failing line kept for the report.
const MAX_TEXT: usize = 500;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Event {
    pub line: u64,
    pub timestamp: Option<DateTime<Utc>>,
    pub class: Class,
    pub code: String,
    /// The line, redacted (key ids, secrets) and cut to 500 characters.
    pub text: String,
}

#[derive(Clone, Debug, Default)]
pub struct Scan {
    pub lines: u64,
    pub bytes: u64,
    pub first_time: Option<DateTime<Utc>>,
    pub last_time: Option<DateTime<Utc>>,
    pub events: Vec<Event>,
    pub counts: BTreeMap<Class, u64>,
    /// The first line of each class (line number), even past `KEPT_EVENTS`.
    pub first_of: BTreeMap<Class, u64>,
    pub truncated_lines: u64,
    /// Bytes that are no part of text (NUL and other control bytes, bytes that are not UTF-8).
    pub not_text_bytes: u64,
}

impl Scan {
    pub fn count(&self, class: Class) -> u64 {
        self.counts.get(&class).copied().unwrap_or(0)
    }

    /// Counts a failing line and keeps it (redacted, cut) while there is room. The first line
    /// of every class is kept whatever came before it: a log full of throttling must not hide
    /// the expiry that killed the job.
    pub fn record(
        &mut self,
        line_no: u64,
        line: &[u8],
        hit: Hit,
        timestamp: Option<DateTime<Utc>>,
    ) {
        *self.counts.entry(hit.class).or_default() += 1;
        let first_of_class = !self.first_of.contains_key(&hit.class);
        self.first_of.entry(hit.class).or_insert(line_no);
        if self.events.len() < KEPT_EVENTS || first_of_class {
            let text = shown_part(line, hit.at);
            let text: String = crate::redact::redact(&text)
                .chars()
                .take(MAX_TEXT)
                .collect();
            self.events.push(Event {
                line: line_no,
                timestamp,
                class: hit.class,
                code: hit.code.to_string(),
                text,
            });
        }
    }
}

/// The characters of a failing line shown for it: the line's start, unless the fragment
/// that decided its class lies further in than [`KEEP_BEFORE`] characters' room allows; then a
/// window that opens `…` shortly before the fragment, so `Signature expired` in a long JSON
/// line is shown, not cut at its first hundred characters.
fn shown_part(line: &[u8], at: usize) -> String {
    let start = if at > SHOWN_BEFORE_CUT {
        let mut s = at - KEEP_BEFORE;
        // Back to the start of a UTF-8 character.
        while s > 0 && line.get(s).is_some_and(|b| (b & 0xC0) == 0x80) {
            s -= 1;
        }
        s
    } else {
        0
    };
    let end = line.len().min(start + 4 * MAX_TEXT);
    let body = String::from_utf8_lossy(&line[start..end]);
    if start > 0 {
        format!("…{body}")
    } else {
        body.into_owned()
    }
}

/// A fragment that starts within this many bytes of the line's start is shown with the line's
/// start (the table shows 160 characters of a line).
const SHOWN_BEFORE_CUT: usize = 100;
/// How much of the line before a fragment further in is kept, for context.
const KEEP_BEFORE: usize = 40;

/// Reads `input` to its end, a read error or the `deadline`, whichever comes first (how it
/// ended is returned beside the scan of what was read). `year` dates syslog stamps, which carry
/// none, until a stamp with a year is read.
pub fn scan(input: impl BufRead, year: i32, deadline: Option<Instant>) -> (Scan, lines::End) {
    let classifier = Classifier::new();
    let mut s = Scan::default();
    let mut year = year;
    // The start of the last line that looked timestamped, kept so that a failing line without
    // a time of its own (a stack frame, a `Caused by:`) can inherit it.
    let mut last_stamped: Vec<u8> = Vec::with_capacity(128);
    let mut last_parsed: Option<DateTime<Utc>> = None;
    let summary = lines::for_each(input, deadline, |line, truncated| {
        s.lines += 1;
        if truncated {
            s.truncated_lines += 1;
        }
        let stamped = logtime::looks_timestamped(line);
        if s.first_time.is_none() && stamped {
            s.first_time = logtime::parse(line, year);
            if let Some(t) = s.first_time {
                year = t.year();
            }
        }
        let hit = classifier.classify(line);
        if let Some(hit) = hit {
            let own = if stamped {
                logtime::parse(line, year)
            } else {
                None
            };
            let timestamp = own.or_else(|| {
                if last_stamped.is_empty() {
                    last_parsed
                } else {
                    logtime::parse(&last_stamped, year).or(last_parsed)
                }
            });
            if let Some(t) = timestamp {
                last_parsed = Some(t);
                s.last_time = Some(s.last_time.map_or(t, |l| l.max(t)));
            }
            let n = s.lines;
            s.record(n, line, hit, timestamp);
        }
        if stamped {
            last_stamped.clear();
            last_stamped.extend_from_slice(&line[..line.len().min(4096)]);
        }
    });
    s.bytes = summary.bytes;
    s.not_text_bytes = summary.not_text;
    if !last_stamped.is_empty()
        && let Some(t) = logtime::parse(&last_stamped, year)
    {
        s.last_time = Some(s.last_time.map_or(t, |l| l.max(t)));
    }
    (s, summary.end)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(log: &str) -> Scan {
        scan(std::io::Cursor::new(log.as_bytes().to_vec()), 2024, None).0
    }

    #[test]
    fn failing_lines_without_a_time_inherit_the_last_one() {
        let log = "2024-03-01 12:00:00,000 INFO start\n\
                   2024-03-01 13:00:05,000 ERROR upload failed\n\
                   com.amazonaws.services.s3.model.AmazonS3Exception: boom\n\
                   \tat com.amazonaws.http.AmazonHttpClient.execute(AmazonHttpClient.java:1)\n\
                   Caused by: com.amazonaws.services.s3.model.AmazonS3Exception: The provided token has expired. (Service: Amazon S3; Status Code: 400; Error Code: ExpiredToken)\n";
        let s = run(log);
        assert_eq!(s.lines, 5);
        assert_eq!(s.events.len(), 1);
        let e = &s.events[0];
        assert_eq!(
            (e.line, e.class, e.code.as_str()),
            (5, Class::Expired, "ExpiredToken")
        );
        assert_eq!(e.timestamp, Some("2024-03-01T13:00:05Z".parse().unwrap()));
        assert_eq!(s.first_time, Some("2024-03-01T12:00:00Z".parse().unwrap()));
    }

    /// The review saw a `Signature expired` line cut at `Signature exp`: a fragment far into a
    /// long line is shown in a window that starts just before it.
    #[test]
    fn the_matched_part_of_a_long_line_is_shown() {
        let line = format!(
            "{{\"level\":\"error\",\"pad\":\"{}\",\"msg\":\"SignatureDoesNotMatch: Signature expired: \
             20240301T120000Z is now earlier than 20240301T121000Z\"}}",
            "x".repeat(300)
        );
        let hit = crate::triage::classify::Classifier::new()
            .classify(line.as_bytes())
            .unwrap();
        let shown = shown_part(line.as_bytes(), hit.at);
        assert!(shown.starts_with('…'), "{shown}");
        let head: String = shown.chars().take(160).collect();
        assert!(head.contains("Signature expired"), "{head}");
        assert_eq!(
            shown_part(b"short ExpiredToken line", 6),
            "short ExpiredToken line"
        );
    }

    #[test]
    fn event_text_is_redacted_and_bounded() {
        let log = format!(
            "2024-03-01 12:00:00 ERROR ExpiredToken for AKIAIOSFODNN7EXAMPLE secret wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY {}\n",
            "z".repeat(10_000)
        );
        let s = run(&log);
        let t = &s.events[0].text;
        assert!(
            t.contains("AKIA…MPLE") && !t.contains("wJalrXUtnFEMI"),
            "{t}"
        );
        assert!(t.chars().count() <= MAX_TEXT);
    }

    #[test]
    fn counts_go_on_past_the_kept_events_and_every_class_keeps_its_first_line() {
        let mut log = "2024-03-01 12:00:00 ERROR ThrottlingException\n".repeat(KEPT_EVENTS + 50);
        log.push_str("2024-03-01 13:00:00 ERROR ExpiredToken\n");
        let s = run(&log);
        assert_eq!(s.events.len(), KEPT_EVENTS + 1);
        assert_eq!(s.count(Class::Throttling), KEPT_EVENTS as u64 + 50);
        let last = s.events.last().unwrap();
        assert_eq!(
            (last.class, last.line),
            (Class::Expired, KEPT_EVENTS as u64 + 51)
        );
    }
}
