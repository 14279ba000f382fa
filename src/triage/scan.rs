//! One pass over the log: every line classified, the job's start found, the time of every
//! failing line taken from the line or inherited from the last timestamped one. Memory stays
//! flat: counts for everything, the text of the first `KEPT_EVENTS` failing lines only.

use super::classes::Class;
use super::classify::{Classifier, Hit};
use super::lines::{self, Stretch};
use super::logtime;
use aho_corasick::{AhoCorasick, Input, MatchKind};
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
///
/// Whole buffers are searched for the prefilter's anchors first (`Prefilter`); only the lines
/// that hold one are classified, and the lines between them are counted, their times read only
/// where the scan needs one (the last stamped line before a failing line, and the log's first
/// and last). The result is the same as classifying every line (`tests/it/triage_scan.rs`
/// holds the line-by-line scan as the oracle).
pub fn scan(input: impl BufRead, year: i32, deadline: Option<Instant>) -> (Scan, lines::End) {
    let classifier = Classifier::new();
    let mut prefilter = Prefilter::new(&classifier);
    let mut scanner = Scanner {
        classifier: &classifier,
        s: Scan::default(),
        year,
        last_stamped: Vec::with_capacity(128),
        last_parsed: None,
    };
    let summary = lines::for_each_candidate(input, deadline, &mut prefilter, &mut scanner);
    let Scanner {
        mut s,
        year,
        last_stamped,
        ..
    } = scanner;
    s.bytes = summary.bytes;
    s.not_text_bytes = summary.not_text;
    if !last_stamped.is_empty()
        && let Some(t) = logtime::parse(&last_stamped, year)
    {
        s.last_time = Some(s.last_time.map_or(t, |l| l.max(t)));
    }
    (s, summary.end)
}

/// The scan's state between lines.
struct Scanner<'c> {
    classifier: &'c Classifier,
    s: Scan,
    /// Dates syslog stamps: the caller's year until the first stamp with a year is read.
    year: i32,
    /// The start of the last line that looked timestamped, kept so that a failing line without
    /// a time of its own (a stack frame, a `Caused by:`) can inherit it. Parsed only when
    /// needed.
    last_stamped: Vec<u8>,
    last_parsed: Option<DateTime<Utc>>,
}

impl Scanner<'_> {
    /// One line, and what the classifier made of it.
    fn visit(&mut self, line: &[u8], truncated: bool, hit: Option<Hit>) {
        let s = &mut self.s;
        s.lines += 1;
        if truncated {
            s.truncated_lines += 1;
        }
        let stamped = logtime::looks_timestamped(line);
        if s.first_time.is_none() && stamped {
            s.first_time = logtime::parse(line, self.year);
            if let Some(t) = s.first_time {
                self.year = t.year();
            }
        }
        if let Some(hit) = hit {
            let own = if stamped {
                logtime::parse(line, self.year)
            } else {
                None
            };
            let timestamp = own.or_else(|| {
                if self.last_stamped.is_empty() {
                    self.last_parsed
                } else {
                    logtime::parse(&self.last_stamped, self.year).or(self.last_parsed)
                }
            });
            if let Some(t) = timestamp {
                self.last_parsed = Some(t);
                s.last_time = Some(s.last_time.map_or(t, |l| l.max(t)));
            }
            let n = s.lines;
            s.record(n, line, hit, timestamp);
        }
        if stamped {
            self.stamped(line);
        }
    }

    fn stamped(&mut self, line: &[u8]) {
        self.last_stamped.clear();
        self.last_stamped
            .extend_from_slice(&line[..line.len().min(STAMP_KEPT)]);
    }
}

/// How much of the last timestamped line is kept: the longest stretch a time is looked for in
/// (a JSON line's time field, `logtime`).
const STAMP_KEPT: usize = 4096;

impl lines::Visit for Scanner<'_> {
    fn line(&mut self, line: &[u8], truncated: bool) {
        let hit = self.classifier.classify(line);
        self.visit(line, truncated, hit);
    }

    /// Lines without an anchor, which the classifier would pass over: counted, and only the
    /// last timestamped one kept. Until the log's first time is found, they are walked one by
    /// one for it.
    fn stretch(&mut self, lines: Stretch<'_>) {
        let mut rest = lines;
        if self.s.first_time.is_none() {
            rest = lines.walk_while(|line, truncated| {
                self.visit(line, truncated, None);
                self.s.first_time.is_none()
            });
        }
        self.s.lines += rest.lines();
        self.s.truncated_lines += rest.long_lines();
        if let Some(line) = rest.rfind(logtime::looks_timestamped) {
            self.stamped(line);
        }
    }
}

/// The prefilter: every buffer searched once for the anchors the classifier's literals yield
/// (`anchors`), ASCII case folded. A line the classifier classifies holds one of them, so only
/// the lines that do are handed to it.
pub struct Prefilter {
    automaton: AhoCorasick,
    /// The buffer being searched, ASCII lower-cased: an exact search over folded bytes lets the
    /// automaton use its SIMD prefilter (Teddy), which a case-insensitive one cannot.
    folded: Vec<u8>,
}

impl Prefilter {
    pub fn new(classifier: &Classifier) -> Prefilter {
        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostFirst)
            .build(anchors(classifier.anchors()))
            .expect("the anchors build an automaton");
        Prefilter {
            automaton,
            folded: Vec::new(),
        }
    }
}

impl lines::Candidates for Prefilter {
    fn load(&mut self, chunk: &[u8]) {
        self.folded.clear();
        self.folded
            .extend(chunk.iter().map(|b| b.to_ascii_lowercase()));
    }

    fn next(&mut self, from: usize) -> Option<usize> {
        self.automaton
            .find(Input::new(&self.folded).range(from..))
            .map(|m| m.start())
    }
}

/// Words so common in ordinary log lines (requests, sessions, tokens, credentials found,
/// uploads, downloads, validation) that no anchor is chosen among them while a fragment has
/// another word: anchoring on one would make a large share of a log's lines candidates. Only
/// speed depends on this list, never the result.
const COMMON_WORDS: &[&str] = &[
    "able",
    "access",
    "client",
    "could",
    "credential",
    "credentials",
    "does",
    "down",
    "endpoint",
    "environment",
    "error",
    "exist",
    "failed",
    "found",
    "from",
    "have",
    "instance",
    "load",
    "metadata",
    "request",
    "requests",
    "response",
    "service",
    "session",
    "status",
    "that",
    "this",
    "time",
    "token",
    "valid",
    "with",
    "your",
];

/// Shorter words are no anchors unless a fragment has nothing else: they occur everywhere.
const MIN_ANCHOR: usize = 4;

/// The prefilter's anchors, lower-cased, for the classifier's `literals`. Anchors are words of
/// the literals (runs of ASCII letters, digits and `_`, which no matching rule about case or
/// whitespace can split), chosen as a set cover: a literal is covered by an anchor that one of
/// its words contains, so a line that holds the literal, in any case and with any whitespace,
/// holds the anchor. The word that covers most literals not yet covered is taken first (then
/// the longer), so that shared words (`expired`, `invalid`, `exceeded`) stand for many
/// fragments and codes; `COMMON_WORDS` and words shorter than `MIN_ANCHOR` only when a literal
/// has nothing else. Last, longest first, every anchor the others make redundant is dropped.
pub fn anchors<'a>(literals: impl Iterator<Item = &'a str>) -> Vec<String> {
    let literals: Vec<Vec<String>> = literals.map(words).collect();
    let mut words: Vec<String> = literals.iter().flatten().cloned().collect();
    words.sort();
    words.dedup();
    // covers[w]: the literals one of whose words contains words[w], found with one automaton
    // over each literal's words (joined by a space, which no word holds).
    let automaton = AhoCorasick::new(&words).expect("words build an automaton");
    let mut covers: Vec<Vec<usize>> = vec![Vec::new(); words.len()];
    for (l, w) in literals.iter().enumerate() {
        for m in automaton.find_overlapping_iter(&w.join(" ")) {
            let c = &mut covers[m.pattern().as_usize()];
            if c.last() != Some(&l) {
                c.push(l);
            }
        }
    }
    let eligible = |w: &str| w.len() >= MIN_ANCHOR && !COMMON_WORDS.contains(&w);
    let index = |w: &str| words.binary_search_by(|x| x.as_str().cmp(w)).unwrap_or(0);
    let mut covered = vec![false; literals.len()];
    let mut chosen: Vec<usize> = Vec::new();
    let mut take = |w: usize, covered: &mut Vec<bool>| {
        chosen.push(w);
        for &l in &covers[w] {
            covered[l] = true;
        }
    };
    // A literal with no eligible word is anchored on its longest.
    for w in &literals {
        if !w.iter().any(|x| eligible(x)) {
            let longest = w
                .iter()
                .fold(&w[0], |a, x| if x.len() > a.len() { x } else { a });
            take(index(longest), &mut covered);
        }
    }
    loop {
        let uncovered = |w: usize| covers[w].iter().filter(|&&l| !covered[l]).count();
        let best = (0..words.len())
            .filter(|&w| eligible(&words[w]))
            .map(|w| (uncovered(w), words[w].len(), std::cmp::Reverse(w)))
            .filter(|&(n, _, _)| n > 0)
            .max();
        match best {
            Some((_, _, std::cmp::Reverse(w))) => take(w, &mut covered),
            None => break,
        }
    }
    // Drop, longest first, each anchor whose literals the others still cover.
    chosen.sort_by_key(|&w| std::cmp::Reverse((words[w].len(), std::cmp::Reverse(w))));
    chosen.dedup();
    let mut live = vec![0usize; literals.len()];
    for &w in &chosen {
        for &l in &covers[w] {
            live[l] += 1;
        }
    }
    let mut out = Vec::new();
    for &w in &chosen {
        if covers[w].iter().all(|&l| live[l] > 1) {
            for &l in &covers[w] {
                live[l] -= 1;
            }
        } else {
            out.push(words[w].clone());
        }
    }
    out.sort();
    out
}

/// A literal's words, lower-cased: its runs of ASCII letters and digits. A literal without
/// any falls back to its whitespace-free pieces, and one without those to the empty anchor,
/// which makes every line a candidate: slower, never wrong.
fn words(literal: &str) -> Vec<String> {
    let mut w: Vec<String> = literal
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
        .collect();
    if w.is_empty() {
        w = literal
            .split_whitespace()
            .map(str::to_ascii_lowercase)
            .collect();
    }
    if w.is_empty() {
        w.push(String::new());
    }
    w
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
