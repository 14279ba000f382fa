//! triage's buffer scan (a prefilter over whole buffers, then only the lines that hold an
//! anchor classified) against the line-by-line scan it replaced, kept here as the oracle: the
//! same counts, events, line numbers, times, truncated lines and not-text bytes, on the corpus
//! of real error lines, on logs assembled from it in every encoding and line end triage reads,
//! and on generated logs. And the prefilter's invariant, which makes that true whatever the
//! classifier's rules: a line the classifier classifies holds one of its anchors.
//!
//! Cost: about two seconds in a debug build (most of it the property tests).

use expiry_doctor::triage::classify::Classifier;
use expiry_doctor::triage::lines::{self, MAX_LINE};
use expiry_doctor::triage::logtime;
use expiry_doctor::triage::scan::{self, Scan};
use proptest::prelude::*;
use proptest::sample::select;
use std::io::{BufRead, BufReader, Cursor, Write};
use std::path::PathBuf;
use std::sync::OnceLock;

/// The scan as it was before the prefilter (every line split, classified and looked at for
/// a time), kept verbatim as the oracle.
fn scan_line_by_line(input: impl BufRead, year: i32) -> (Scan, lines::End) {
    use chrono::{DateTime, Datelike, Utc};
    let classifier = Classifier::new();
    let mut s = Scan::default();
    let mut year = year;
    let mut last_stamped: Vec<u8> = Vec::with_capacity(128);
    let mut last_parsed: Option<DateTime<Utc>> = None;
    let summary = lines::for_each(input, None, |line, truncated| {
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

/// Everything a scan found, as one comparable text.
fn seen(s: &Scan) -> String {
    format!(
        "lines {} bytes {} first {:?} last {:?} truncated {} not-text {}\ncounts {:?}\nfirst_of {:?}\n{:#?}",
        s.lines,
        s.bytes,
        s.first_time,
        s.last_time,
        s.truncated_lines,
        s.not_text_bytes,
        s.counts,
        s.first_of,
        s.events
    )
}

/// Both scans of `log` (opened as triage opens it: gzip and UTF-16 decoded), read in buffers
/// of `cap` bytes; they must agree. What they found.
fn same_scan(what: &str, log: &[u8], cap: usize) -> Scan {
    let open = || {
        lines::open(Box::new(BufReader::with_capacity(
            cap,
            Cursor::new(log.to_vec()),
        )))
        .unwrap()
        .reader
    };
    let (want, want_end) = scan_line_by_line(open(), 2026);
    let (scanned, got_end) = scan::scan(open(), 2026, None);
    assert_eq!(format!("{want_end:?}"), format!("{got_end:?}"), "{what}");
    let (want, got) = (seen(&want), seen(&scanned));
    if want != got {
        let first = want
            .lines()
            .zip(got.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(0);
        panic!(
            "{what}: the buffer scan differs from the line-by-line scan (buffers of {cap} \
             bytes), first at report line {first}:\n--- line by line\n{want}\n--- buffer scan\n{got}"
        );
    }
    scanned
}

fn corpus_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/triage/corpus")
}

fn corpus() -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<_> = std::fs::read_dir(corpus_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    assert!(files.len() >= 9, "{files:?}");
    files
        .into_iter()
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read(&p).unwrap())
        })
        .collect()
}

fn corpus_lines() -> Vec<String> {
    corpus()
        .into_iter()
        .flat_map(|(_, text)| {
            String::from_utf8(text)
                .unwrap()
                .lines()
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .collect()
}

/// Buffer sizes: small ones that cut lines and `\r\n` pairs anywhere, and the real one. (A
/// byte at a time is the lines module's own test; here it would cost seconds.)
const CAPS: [usize; 4] = [7, 61, 4096, 256 * 1024];

#[test]
fn every_corpus_file_scans_the_same() {
    for (i, (name, text)) in corpus().into_iter().enumerate() {
        for cap in [CAPS[i % CAPS.len()], 256 * 1024] {
            let s = same_scan(&name, &text, cap);
            assert_eq!(
                s.lines,
                text.iter().filter(|&&b| b == b'\n').count() as u64,
                "{name}"
            );
        }
    }
}

/// The corpus as job logs: every error line between ordinary timestamped lines, in Python
/// logging's, Go's, syslog's and JSON's formats, then in every line end, UTF-16, gzip, with a
/// byte-order mark, with binary bytes, and with lines longer than `MAX_LINE`.
#[test]
fn the_corpus_in_job_logs_scans_the_same_in_every_form() {
    let mut log = String::new();
    // Every third corpus line (each is recorded, redacted, by both scans: seconds in a debug
    // build for all of them; the test above has every line).
    for (i, line) in corpus_lines().iter().enumerate().step_by(3) {
        let (m, s) = (i / 60 % 60, i % 60);
        match i % 5 {
            0 => log.push_str(&format!(
                "2026-11-23 08:{m:02}:{s:02},123 INFO copied part {i}\n"
            )),
            1 => log.push_str(&format!("2026/11/23 08:{m:02}:{s:02} done {i}\n")),
            2 => log.push_str(&format!("Nov 23 08:{m:02}:{s:02} host job[1]: step {i}\n")),
            3 => log.push_str(&format!(
                "{{\"ts\":\"2026-11-23T08:{m:02}:{s:02}Z\",\"msg\":\"step {i}\"}}\n"
            )),
            _ => log.push_str("\tat com.example.Job.run(Job.java:42)\n"),
        }
        log.push_str(line);
        log.push('\n');
    }
    let lf = log.clone().into_bytes();
    let mut forms: Vec<(&str, Vec<u8>)> = vec![
        ("lf", lf.clone()),
        ("crlf", log.replace('\n', "\r\n").into_bytes()),
        ("cr", log.replace('\n', "\r").into_bytes()),
        ("no final line end", lf[..lf.len() - 1].to_vec()),
        ("utf-8 bom", [&[0xEF, 0xBB, 0xBF][..], &lf].concat()),
        ("utf-16le", utf16(&log, false)),
        ("utf-16be", utf16(&log, true)),
        ("gzip", gzip(&lf)),
    ];
    // Binary bytes and control characters inside and between lines.
    let mut binary = lf.clone();
    for i in (0..binary.len()).step_by(997) {
        binary[i] = [0x00, 0xff, 0x01, 0xfe][i % 4];
    }
    forms.push(("binary", binary));
    // Lines longer than MAX_LINE: an anchor inside the kept part, one past it.
    let mut long = lf.clone();
    long.extend_from_slice(
        format!("2026-11-23 09:00:00 ERROR {}\n", "x".repeat(MAX_LINE)).as_bytes(),
    );
    long.extend_from_slice(format!("{} ExpiredToken\n", "y".repeat(MAX_LINE)).as_bytes());
    long.extend_from_slice(
        format!(
            "2026-11-23 09:00:01 ExpiredToken {}\n",
            "z".repeat(3 * MAX_LINE)
        )
        .as_bytes(),
    );
    long.extend_from_slice(b"2026-11-23 09:00:02 INFO after the long lines\n");
    forms.push(("long lines", long));
    // Every form in the real buffer size and one small one (each small size in turn).
    for (i, (form, data)) in forms.iter().enumerate() {
        for cap in [CAPS[i % CAPS.len()], 256 * 1024] {
            let s = same_scan(form, data, cap);
            assert!(s.events.len() > 40, "{form}: {}", s.events.len());
        }
    }
}

fn utf16(text: &str, big_endian: bool) -> Vec<u8> {
    let mut out = if big_endian {
        vec![0xFE, 0xFF]
    } else {
        vec![0xFF, 0xFE]
    };
    for u in text.encode_utf16() {
        out.extend_from_slice(&if big_endian {
            u.to_be_bytes()
        } else {
            u.to_le_bytes()
        });
    }
    out
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(data).unwrap();
    gz.finish().unwrap()
}

/// The classifier triage runs, built once (a debug build takes milliseconds).
fn classifier() -> &'static Classifier {
    static C: OnceLock<Classifier> = OnceLock::new();
    C.get_or_init(Classifier::new)
}

/// Its anchors.
fn anchors() -> &'static [String] {
    static A: OnceLock<Vec<String>> = OnceLock::new();
    A.get_or_init(|| scan::anchors(classifier().anchors()))
}

fn holds_anchor(anchors: &[String], line: &str) -> bool {
    let folded = line.to_ascii_lowercase();
    anchors.iter().any(|a| folded.contains(a.as_str()))
}

/// The invariant the buffer scan rests on, over real lines: every corpus line the classifier
/// classifies holds an anchor.
#[test]
fn every_classified_corpus_line_holds_an_anchor() {
    let c = classifier();
    let anchors = anchors();
    let mut classified = 0;
    for line in corpus_lines() {
        if c.classify(line.as_bytes()).is_some() {
            classified += 1;
            assert!(holds_anchor(anchors, &line), "no anchor in {line}");
        }
    }
    assert!(classified > 100, "{classified}");
    // Every AWS error code of the shared table, as the CLI prints it.
    for (code, _) in expiry_doctor::aws::errors::CODES {
        let line = format!("An error occurred ({code}) when calling the PutObject operation: x");
        if c.classify(line.as_bytes()).is_some() {
            assert!(holds_anchor(anchors, &line), "no anchor in {line}");
        }
    }
}

/// The anchors stay few, and the ordinary lines of a job log (those of the bench's log
/// among them) hold none: each one they held would make a line a candidate. This guards the
/// speed, not the result; when a new fragment's anchor fails it, pick its word by hand in
/// `COMMON_WORDS` (src/triage/scan.rs).
#[test]
fn ordinary_lines_hold_no_anchor() {
    let anchors = anchors();
    let literals = classifier().anchors().count();
    assert!(
        anchors.len() < literals && anchors.iter().all(|a| a.len() >= 4),
        "{anchors:?}"
    );
    for line in [
        "2026-11-23 08:00:00,123 INFO exporter.copy - copied s3://exports-prod/part-000042.parquet (512 KiB) in 93 ms",
        "2026-11-23 08:00:00,123 INFO exporter.progress - 42 of 2000000 objects done, 87 MiB/s",
        "2026-11-23 08:00:00,123 DEBUG botocore.endpoint - Making request for OperationModel(name=GetMetricData) with params: {'url_path': '/', 'query_string': ''}",
        "2026-11-23 08:00:00,123 INFO cloudwatch.sweep - namespace AWS/EC2 metric CPUUtilization batch 42 returned 17 datapoints",
        "2026-11-23 08:00:00,123 DEBUG urllib3.connectionpool - https://s3.us-east-1.amazonaws.com:443 \"PUT /exports-prod/part-000042.parquet HTTP/1.1\" 200 0",
        "2026-11-23 08:00:00,123 WARNING exporter.retry - retrying part-000042 after a read timeout (412 ms)",
        "2026-11-23 08:00:00,123 DEBUG botocore.credentials - Looking for credentials via: env",
        "2026-11-23 08:00:00,123 INFO Found credentials in environment variables.",
        "24/03/01 12:00:01 INFO SparkContext: Running Spark version 3.5.1",
        "24/03/01 12:00:01 INFO DAGScheduler: Job 3 finished: save at Job.scala:42, took 1.2 s",
        "[2026-11-23 08:00:00,123] {taskinstance.py:1851} INFO - Marking task as SUCCESS",
    ] {
        let hit: Vec<&String> = anchors
            .iter()
            .filter(|a| line.to_ascii_lowercase().contains(a.as_str()))
            .collect();
        assert!(hit.is_empty(), "{hit:?} in {line}");
    }
}

/// Every literal the classifier matches, written in any case with any whitespace runs, one
/// of its fragments or codes as a log would print it.
fn mangled_literal() -> impl Strategy<Value = String> {
    let literals: Vec<String> = classifier().anchors().map(str::to_string).collect();
    (
        select(literals),
        proptest::collection::vec(any::<bool>(), 0..128),
        proptest::collection::vec(select(vec![" ", "  ", "\t", " \t "]), 0..16),
    )
        .prop_map(|(lit, upper, spaces)| {
            let mut out = String::new();
            let mut space = spaces.iter().cycle();
            for (i, ch) in lit.chars().enumerate() {
                if ch == ' ' {
                    out.push_str(space.next().copied().unwrap_or(" "));
                } else if upper.get(i).copied().unwrap_or(false) {
                    out.push(ch.to_ascii_uppercase());
                } else {
                    out.push(ch.to_ascii_lowercase());
                }
            }
            out
        })
}

/// A line of a generated log: ordinary, timestamped in one of the formats triage reads,
/// a classifier literal (as written, or mangled) inside, a stack frame, an empty line, binary.
fn log_line() -> impl Strategy<Value = String> {
    let stamp = (0u32..24, 0u32..60, 0u32..60, 0usize..6).prop_map(|(h, m, s, f)| match f {
        0 => format!("2026-11-23 {h:02}:{m:02}:{s:02},123 "),
        1 => format!("2026-11-23T{h:02}:{m:02}:{s:02}Z "),
        2 => format!("26/11/23 {h:02}:{m:02}:{s:02} "),
        3 => format!("Nov 23 {h:02}:{m:02}:{s:02} host job[7]: "),
        4 => format!("{h:02}:{m:02}:{s:02} "),
        _ => String::new(),
    });
    let literal = classifier()
        .anchors()
        .map(str::to_string)
        .collect::<Vec<_>>();
    let body = prop_oneof![
        4 => Just("INFO copied part 42 in 93 ms".to_string()),
        1 => Just("\tat com.amazonaws.http.AmazonHttpClient.execute(AmazonHttpClient.java:1)".to_string()),
        1 => Just(String::new()),
        2 => select(literal).prop_map(|l| format!("ERROR botocore: {l} (X-Amz-Expires=3600)")),
        2 => mangled_literal().prop_map(|l| format!("ERROR {l}")),
        1 => select(corpus_lines()),
        1 => "[ -~\u{e9}\u{0}\u{7}]{0,40}",
    ];
    (stamp, body, any::<bool>()).prop_map(|(stamp, body, json)| {
        if json && !stamp.is_empty() {
            format!("{{\"ts\": 1795420800.5, \"msg\": \"{body}\"}}")
        } else {
            format!("{stamp}{body}")
        }
    })
}

/// A generated log: its lines joined by `\n`, `\r\n` or a lone `\r`, maybe without a last
/// line end, maybe with a line longer than `MAX_LINE` somewhere.
fn generated_log() -> impl Strategy<Value = Vec<u8>> {
    (
        proptest::collection::vec((log_line(), select(vec!["\n", "\n", "\r\n", "\r"])), 0..60),
        any::<bool>(),
        proptest::option::weighted(0.2, (any::<prop::sample::Index>(), 0usize..3)),
    )
        .prop_map(|(lines, last_end, long)| {
            let mut out = Vec::new();
            let n = lines.len();
            for (i, (line, end)) in lines.into_iter().enumerate() {
                out.extend_from_slice(line.as_bytes());
                if let Some((at, kind)) = &long
                    && at.index(n) == i
                {
                    // The line ends with an anchor just within, at or just past the cut.
                    let tail = b" ThrottlingException";
                    let len = (MAX_LINE + kind).saturating_sub(line.len() + tail.len() + 1);
                    out.extend(std::iter::repeat_n(b'w', len));
                    out.extend_from_slice(tail);
                }
                if i + 1 < n || last_end {
                    out.extend_from_slice(end.as_bytes());
                }
            }
            out
        })
}

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config(48))]

    /// Generated logs, read in buffers of any size (of a few KiB at least when a line is
    /// longer than `MAX_LINE`, to keep the test quick): the same scan.
    #[test]
    fn generated_logs_scan_the_same(log in generated_log(), cap in prop_oneof![1usize..80, 80usize..5000]) {
        let cap = if log.len() > MAX_LINE { cap.max(4096) } else { cap };
        same_scan("generated", &log, cap);
    }

    /// A literal in any case with any whitespace holds an anchor: the prefilter passes it
    /// whatever the classifier's rules on case and whitespace.
    #[test]
    fn a_mangled_literal_holds_an_anchor(lit in mangled_literal(), pre in "[ -~]{0,20}", post in "[ -~]{0,20}") {
        let line = format!("{pre}{lit}{post}");
        prop_assert!(holds_anchor(anchors(), &line), "{}", line);
        if classifier().classify(line.as_bytes()).is_some() {
            prop_assert!(holds_anchor(anchors(), &line), "{}", line);
        }
    }
}

/// The classifier's literals for `scripts/bench`, which runs grep on exactly the patterns
/// triage matches: `scripts/bench-patterns.txt`, regenerated by
/// `EXPIRY_DOCTOR_UPDATE_DOCS=1 cargo test --test it triage_scan`.
#[test]
fn the_bench_patterns_are_the_classifiers() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scripts/bench-patterns.txt");
    let mut want = String::from(
        "# The literals triage's classifier matches, one a line, for scripts/bench's grep (-F -i).\n\
         # Generated by `EXPIRY_DOCTOR_UPDATE_DOCS=1 cargo test --test it triage_scan`; do not edit.\n",
    );
    for literal in Classifier::new().anchors() {
        want.push_str(literal);
        want.push('\n');
    }
    if std::fs::read_to_string(&path).ok().as_deref() != Some(want.as_str()) {
        if std::env::var_os("EXPIRY_DOCTOR_UPDATE_DOCS").is_some() {
            std::fs::write(&path, want).unwrap();
        } else {
            panic!(
                "{} is out of date; run EXPIRY_DOCTOR_UPDATE_DOCS=1 cargo test --test it triage_scan",
                path.display()
            );
        }
    }
}
