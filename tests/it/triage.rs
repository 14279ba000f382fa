//! `triage` end to end on assembled logs: real error lines from the corpus
//! (fixtures/triage/corpus, sources in its README) placed in job logs of the formats people
//! have, at the times that tell the story.

use crate::common::*;
use serde_json::Value;
use std::io::Write;

fn corpus_line(class: &str, n: usize) -> String {
    let path = format!(
        "{}/fixtures/triage/corpus/{class}.txt",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .nth(n - 1)
        .unwrap()
        .to_string()
}

/// Runs `triage --output json` on `log` (written to a file); the report and the exit code.
fn triage(h: &Home, log: &[u8], args: &[&str]) -> (Value, i32) {
    let path = h.write("job.log", log);
    let out = h
        .cmd()
        .args(["triage", "--output", "json", "--log"])
        .arg(&path)
        .args(args)
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_no_secrets(&stdout);
    let v: Value = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("{e}: {stdout}\n{}", String::from_utf8_lossy(&out.stderr)));
    (v, out.status.code().unwrap())
}

/// Python logging lines, `minutes` after 08:00:00, plus a few seconds.
fn py(minutes: i64, seconds: i64, msg: &str) -> String {
    let t = chrono::NaiveDate::from_ymd_opt(2026, 11, 23)
        .unwrap()
        .and_hms_opt(8, 0, 0)
        .unwrap()
        + chrono::TimeDelta::minutes(minutes)
        + chrono::TimeDelta::seconds(seconds);
    format!("{},123 - exporter - {msg}\n", t.format("%Y-%m-%d %H:%M:%S"))
}

fn progress(until_minutes: i64, every: i64, out: &mut String) {
    let mut m = 0;
    while m < until_minutes {
        out.push_str(&py(m, 0, &format!("INFO - copied part {m}")));
        m += every;
    }
}

#[test]
fn a_1h_failure_matches_the_default_session() {
    let mut log = String::new();
    progress(60, 5, &mut log);
    log.push_str(&py(
        60,
        12,
        &format!("ERROR - {}", corpus_line("expired", 1)),
    ));
    log.push_str(&py(60, 13, "ERROR - giving up"));
    let (r, code) = triage(&Home::new(), log.as_bytes(), &[]);
    assert_eq!(code, 1);
    let d = &r["diagnosis"];
    assert_eq!(d["cause"], "token-expiry");
    assert_eq!(d["elapsed_seconds"], 3612);
    assert_eq!(d["matched_limit"], "1h-default");
    assert_eq!(
        r["headline"],
        "TOKEN-EXPIRY: failed 1h00m12s after start: matches the 1 h default AssumeRole duration / role-chaining cap"
    );
    assert!(
        d["explanation"]
            .as_str()
            .unwrap()
            .contains("failed 1h00m12s later")
    );
    let e = &r["events"][0];
    assert_eq!(
        (e["class"].as_str(), e["code"].as_str()),
        (Some("expired"), Some("ExpiredToken"))
    );
    assert_eq!(e["line"], 13);
    assert_eq!(e["timestamp"], "2026-11-23T09:00:12.123Z");
    assert_eq!(r["fixes"][0]["id"], "use-refreshing-profile");
}

#[test]
fn a_12h_failure_in_a_spark_log_matches_the_maximum_session() {
    // log4j/Spark timestamps (yy/MM/dd HH:mm:ss), a Java stack trace whose failing line has no
    // time of its own.
    let mut log =
        String::from("26/11/23 02:00:00 INFO SparkContext: Running Spark version 3.5.1\n");
    for h in 1..12 {
        log.push_str(&format!(
            "26/11/23 {:02}:00:00 INFO DAGScheduler: Job {h} finished\n",
            2 + h
        ));
    }
    log.push_str("26/11/23 13:58:41 WARN TaskSetManager: Lost task 7.0 in stage 40.0\n");
    log.push_str(&format!("{}\n", corpus_line("expired", 30)));
    log.push_str("\tat com.amazonaws.http.AmazonHttpClient$RequestExecutor.handleErrorResponse(AmazonHttpClient.java:1879)\n");
    let (r, code) = triage(&Home::new(), log.as_bytes(), &[]);
    assert_eq!(code, 1, "{r}");
    assert_eq!(r["diagnosis"]["matched_limit"], "12h-maximum", "{r}");
    assert_eq!(r["diagnosis"]["elapsed_seconds"], 11 * 3600 + 58 * 60 + 41);
    assert_eq!(
        r["events"][0]["timestamp"], "2026-11-23T13:58:41Z",
        "inherited from the WARN line"
    );
    assert!(
        r["fixes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["id"] == "split-or-checkpoint-job")
    );
}

#[test]
fn a_10_minute_clock_skew_gives_the_offset() {
    // Go log timestamps; the Signature expired line as AWS words it.
    let mut log = String::from("2026/11/23 08:00:00 starting sweep\n");
    log.push_str("2026/11/23 08:00:03 operation error CloudWatch: GetMetricData, https response error StatusCode: 403, \
                  api error InvalidSignatureException: Signature expired: 20261123T080003Z is now earlier than \
                  20261123T080513Z (20261123T081013Z - 5 min.)\n");
    let (r, code) = triage(&Home::new(), log.as_bytes(), &[]);
    assert_eq!(code, 1);
    let d = &r["diagnosis"];
    assert_eq!(d["cause"], "clock-skew");
    assert_eq!(d["clock_offset_seconds"], 610.0);
    assert_eq!(
        r["headline"],
        "CLOCK-SKEW: failed 3s after start: the local clock was 10m10s behind AWS"
    );
    assert_eq!(r["fixes"][0]["id"], "sync-clock");
}

#[test]
fn real_signature_expired_lines_give_their_offsets() {
    // corpus clock-skew.txt line 2: signed 20151120T200815Z, AWS at 20151120T202346Z.
    let (r, _) = triage(&Home::new(), corpus_line("clock-skew", 2).as_bytes(), &[]);
    assert_eq!(r["diagnosis"]["clock_offset_seconds"], 931.0);
}

#[test]
fn an_sso_expiry_after_8_hours() {
    let mut log = String::from("Nov 23 08:00:00 runner job[311]: starting\n");
    log.push_str("Nov 23 12:00:00 runner job[311]: halfway\n");
    log.push_str(&format!(
        "Nov 23 15:57:30 runner job[311]: {}\n",
        corpus_line("sso-expired", 3)
    ));
    let (r, code) = triage(
        &Home::new(),
        log.as_bytes(),
        &["--started-at", "2026-11-23T08:00:00Z"],
    );
    assert_eq!(code, 1, "{r}");
    let d = &r["diagnosis"];
    assert_eq!(d["cause"], "sso-expiry");
    assert_eq!(d["matched_limit"], "8h-sso-session");
    let ids: Vec<&str> = r["fixes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["sso-login", "extend-sso-session"]);
}

#[test]
fn access_denied_alone_is_never_called_expiry() {
    let mut log = String::new();
    progress(90, 10, &mut log);
    log.push_str(&py(91, 0, &corpus_line("access-denied", 2)));
    log.push_str(&py(92, 0, &corpus_line("access-denied", 3)));
    let (r, code) = triage(&Home::new(), log.as_bytes(), &[]);
    assert_eq!(code, 0);
    assert_eq!(r["diagnosis"]["cause"], "permissions");
    assert_eq!(r["diagnosis"]["matched_limit"], Value::Null);
    assert_eq!(r["class_counts"]["access-denied"], 2);
}

#[test]
fn throttling_followed_by_expiry_is_an_expiry() {
    let mut log = String::new();
    progress(30, 10, &mut log);
    for m in 30..58 {
        log.push_str(&py(
            m,
            0,
            &format!("WARN - {}", corpus_line("throttling", 2)),
        ));
    }
    log.push_str(&py(
        59,
        40,
        &format!("ERROR - {}", corpus_line("expired", 4)),
    ));
    let (r, code) = triage(&Home::new(), log.as_bytes(), &[]);
    assert_eq!(code, 1);
    assert_eq!(r["diagnosis"]["cause"], "token-expiry");
    assert_eq!(r["diagnosis"]["matched_limit"], "1h-default");
    assert_eq!(r["class_counts"]["throttling"], 28);
}

#[test]
fn a_clean_log_has_no_cause() {
    let mut log = String::new();
    progress(300, 1, &mut log);
    let (r, code) = triage(&Home::new(), log.as_bytes(), &[]);
    assert_eq!((r["diagnosis"]["cause"].as_str(), code), (Some("none"), 0));
    assert_eq!(r["lines"], 300);
}

#[test]
fn gzip_invalid_utf8_and_stdin() {
    let mut log = String::new();
    progress(60, 5, &mut log);
    let mut bytes = log.into_bytes();
    bytes.extend_from_slice(b"2026-11-23 09:00:30,000 \xff\xfe\x80 binary noise\n");
    bytes.extend_from_slice(
        py(60, 40, &format!("ERROR - {}", corpus_line("expired", 1))).as_bytes(),
    );
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(&bytes).unwrap();
    let h = Home::new();
    let (r, code) = triage(&h, &gz.finish().unwrap(), &[]);
    assert_eq!(
        (r["diagnosis"]["cause"].as_str(), code),
        (Some("token-expiry"), 1),
        "{r}"
    );
    assert_eq!(r["events"][0]["line"], 14);

    let out = h
        .cmd()
        .args(["triage", "--log", "-", "--output", "json"])
        .write_stdin(bytes)
        .output()
        .unwrap();
    let r: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (
            r["diagnosis"]["elapsed_seconds"].as_i64(),
            out.status.code()
        ),
        (Some(3640), Some(1))
    );
    assert_eq!(r["source"], "-");
}

#[test]
fn known_expiry_and_max_session_duration() {
    let mut log = String::new();
    progress(120, 10, &mut log);
    log.push_str(&py(
        118,
        0,
        &format!("ERROR - {}", corpus_line("expired", 1)),
    ));
    let h = Home::new();
    let (r, _) = triage(&h, log.as_bytes(), &[]);
    assert_eq!(
        r["diagnosis"]["matched_limit"],
        Value::Null,
        "1h58m matches no standard lifetime"
    );
    let (r, _) = triage(&h, log.as_bytes(), &["--max-session-duration", "2h"]);
    assert_eq!(r["diagnosis"]["matched_limit"], "max-session-duration");
    let (r, _) = triage(
        &h,
        log.as_bytes(),
        &["--expires-at", "2026-11-23T09:58:30Z"],
    );
    assert_eq!(r["diagnosis"]["matched_limit"], "known-expiry");
    // --started-at moves the start.
    let (r, _) = triage(
        &h,
        log.as_bytes(),
        &["--started-at", "2026-11-23T08:58:00Z"],
    );
    assert_eq!(r["diagnosis"]["elapsed_seconds"], 3600);
    assert_eq!(r["diagnosis"]["matched_limit"], "1h-default");
}

#[test]
fn the_table_names_lines_timeline_diagnosis_and_fixes() {
    let mut log = String::new();
    progress(60, 5, &mut log);
    log.push_str(&py(
        60,
        12,
        &format!("ERROR - {}", corpus_line("expired", 1)),
    ));
    let h = Home::new();
    let path = h.write("job.log", &log);
    let out = h
        .cmd()
        .args(["triage", "--log"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    for needle in [
        "Failing lines",
        "line 13 ",
        "Timeline",
        "job started",
        "first expired (line 13",
        "Diagnosis",
        "Fix (recommended)",
    ] {
        assert!(text.contains(needle), "no {needle:?} in:\n{text}");
    }
    assert!(
        text.trim_end()
            .ends_with("matches the 1 h default AssumeRole duration / role-chaining cap")
    );
}

#[test]
fn unreadable_input_exits_2_naming_it() {
    let h = Home::new();
    let out = h
        .cmd()
        .args(["triage", "--log", "/nonexistent/job.log"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8(out.stderr).unwrap(),
        "error: --log /nonexistent/job.log does not exist\n"
    );
    let out = h
        .cmd()
        .args(["triage", "--log"])
        .arg(h.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is a directory"));
    // A gzip that breaks off mid-stream.
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(&vec![b'x'; 100_000]).unwrap();
    let mut broken = gz.finish().unwrap();
    broken.truncate(broken.len() / 2);
    let path = h.write("broken.log.gz", &broken);
    let out = h
        .cmd()
        .args(["triage", "--log"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = h
        .cmd()
        .args(["triage", "--log", "x", "--started-at", "yesterday"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr)
        .starts_with("error: invalid value 'yesterday' for '--started-at <TIME>': expected a time like 2026-11-23T08:00:00Z"));
}

#[test]
fn explain_every_registered_id() {
    let h = Home::new();
    let list = h.cmd().args(["explain", "--list"]).output().unwrap();
    assert_eq!(list.status.code(), Some(0));
    let list = String::from_utf8(list.stdout).unwrap();
    let ids: Vec<String> = list
        .lines()
        .filter(|l| l.starts_with("  "))
        .map(|l| l.split_whitespace().next().unwrap().to_string())
        .collect();
    assert!(ids.len() >= 6 + 11 + 7, "{list}");
    for id in &ids {
        let out = h.cmd().args(["explain", id]).output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{id}");
        let text = String::from_utf8(out.stdout).unwrap();
        for head in ["What\n", "Why\n", "How to fix\n"] {
            assert!(text.contains(head), "{id}: {text}");
        }
    }
    let out = h
        .cmd()
        .args(["explain", "expected-runtim"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    // The ids are clap's possible values, built from the registries: clap names the closest.
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.starts_with("error: invalid value 'expected-runtim' for '[ID]'"),
        "{err}"
    );
    assert!(
        err.contains("tip: a similar value exists: 'expected-runtime'"),
        "{err}"
    );
}

// ---------------------------------------------------------------------------------------------
// Hostile and odd input (issue 17): encodings, line ends, broken and endless input.
// ---------------------------------------------------------------------------------------------

/// A 1 h expiry story: progress every 5 minutes from 08:00, then ExpiredToken at 09:00:12 on
/// line 13, with a little non-ASCII text (a surrogate pair in UTF-16) on the way.
fn expiry_after_1h() -> String {
    let mut log = String::new();
    progress(60, 5, &mut log);
    log.push_str(&py(30, 1, "INFO - wrote s3://bucket/café/🚀.parquet"));
    log.push_str(&py(
        60,
        12,
        &format!("ERROR - {}", corpus_line("expired", 1)),
    ));
    log
}

/// `text` in UTF-16, little or big endian, with or without the byte-order mark U+FEFF.
fn utf16(text: &str, big_endian: bool, bom: bool) -> Vec<u8> {
    let units = bom
        .then_some(0xFEFF_u16)
        .into_iter()
        .chain(text.encode_utf16());
    units
        .flat_map(|u| {
            if big_endian {
                u.to_be_bytes()
            } else {
                u.to_le_bytes()
            }
        })
        .collect()
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(data).unwrap();
    gz.finish().unwrap()
}

/// `triage --output json` on `log` given on stdin.
fn triage_stdin(h: &Home, log: Vec<u8>, args: &[&str]) -> (Value, i32) {
    let out = h
        .cmd()
        .args(["triage", "--output", "json", "--log", "-"])
        .args(args)
        .write_stdin(log)
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let v: Value = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("{e}: {stdout}\n{}", String::from_utf8_lossy(&out.stderr)));
    (v, out.status.code().unwrap())
}

/// The kinds of the report's notes.
fn note_kinds(r: &Value) -> Vec<&str> {
    r["notes"]
        .as_array()
        .unwrap_or_else(|| panic!("no notes array: {r}"))
        .iter()
        .map(|n| n["kind"].as_str().unwrap())
        .collect()
}

#[test]
fn utf16_logs_with_or_without_a_bom_are_decoded() {
    // PowerShell 5.1's `>` writes UTF-16 LE with a byte-order mark; `cmd /u` writes it without
    // one. Each form, plain, gzipped and on stdin, tells the same story as the UTF-8 log.
    let h = Home::new();
    let text = expiry_after_1h();
    for (big_endian, bom) in [(false, true), (true, true), (false, false), (true, false)] {
        let log = utf16(&text, big_endian, bom);
        let encoding = if big_endian { "utf-16be" } else { "utf-16le" };
        for (how, (r, code)) in [
            ("file", triage(&h, &log, &[])),
            ("gzip", triage(&h, &gzip(&log), &[])),
            ("stdin", triage_stdin(&h, log.clone(), &[])),
        ] {
            let case = format!("{encoding} bom {bom} {how}");
            assert_eq!(code, 1, "{case}: {r}");
            assert_eq!(r["diagnosis"]["cause"], "token-expiry", "{case}");
            assert_eq!(r["diagnosis"]["elapsed_seconds"], 3612, "{case}");
            assert_eq!(r["diagnosis"]["matched_limit"], "1h-default", "{case}");
            assert_eq!(r["events"][0]["line"], 14, "{case}");
            assert_eq!(r["encoding"], encoding, "{case}");
            assert_eq!(r["notes"], serde_json::json!([]), "{case}");
        }
    }
}

#[test]
fn a_utf8_bom_does_not_hide_the_first_timestamp() {
    // JSON lines with epoch times and a UTF-8 byte-order mark (Windows tools write one): the
    // first line is the job's start, so the BOM must not stop it being read as a JSON line.
    let start = 1_795_420_800; // 2026-11-23T08:00:00Z
    let mut log = String::from("\u{feff}");
    log.push_str(&format!("{{\"ts\": {start}, \"msg\": \"job started\"}}\n"));
    log.push_str(&format!(
        "{{\"ts\": {}, \"msg\": \"copied part 1\"}}\n",
        start + 1800
    ));
    log.push_str(&format!(
        "{{\"ts\": {}, \"msg\": {}}}\n",
        start + 3612,
        serde_json::to_string(&corpus_line("expired", 1)).unwrap()
    ));
    let (r, code) = triage(&Home::new(), log.as_bytes(), &[]);
    assert_eq!(code, 1, "{r}");
    assert_eq!(r["diagnosis"]["started_at"], "2026-11-23T08:00:00Z", "{r}");
    assert_eq!(r["diagnosis"]["elapsed_seconds"], 3612);
    assert_eq!(r["encoding"], "utf-8");
}

#[test]
fn mostly_binary_input_is_said_not_answered_none() {
    // NUL runs and bytes that are not UTF-8 (a core dump, a database file, the wrong file):
    // never a silent NONE with exit 0.
    let mut data = vec![0u8; 32 * 1024];
    let mut x = 0x2545_f491_u32;
    for _ in 0..32 * 1024 {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        data.push(x as u8);
    }
    let h = Home::new();
    let (r, code) = triage(&h, &data, &[]);
    assert_eq!(code, 2, "{r}");
    assert_eq!(r["diagnosis"]["cause"], "none");
    assert_eq!(note_kinds(&r), ["not-text"], "{r}");
    let headline = r["headline"].as_str().unwrap();
    assert!(headline.starts_with("NONE: "), "{headline}");
    assert!(headline.contains("is not text"), "{headline}");
    let path = h.write("core", &data);
    let out = h
        .cmd()
        .args(["triage", "--log"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let table = String::from_utf8(out.stdout).unwrap();
    assert!(table.contains("Notes\n"), "{table}");
    assert!(table.contains("is not text"), "{table}");
}

#[test]
fn cr_only_line_endings_give_the_true_elapsed_time() {
    // Classic Mac line ends (and some Windows tools): each `\r` ends a line, as in Python's
    // universal newlines.
    let log = expiry_after_1h().replace('\n', "\r");
    let (r, code) = triage(&Home::new(), log.as_bytes(), &[]);
    assert_eq!(code, 1, "{r}");
    assert_eq!(r["lines"], 14);
    assert_eq!(r["diagnosis"]["elapsed_seconds"], 3612, "{r}");
    assert_eq!(r["events"][0]["line"], 14);
}

/// Lines of incompressible filler (hex of a xorshift), so that half a gzip is well past the
/// story before it.
fn filler(lines: usize) -> String {
    let mut x = 0x9e37_79b9_7f4a_7c15_u64;
    let mut out = String::new();
    for i in 0..lines {
        out.push_str(&py(61, 0, &format!("DEBUG - part {i}")).replace('\n', " "));
        for _ in 0..4 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            out.push_str(&format!("{x:016x}"));
        }
        out.push('\n');
    }
    out
}

#[test]
fn a_truncated_gzip_is_diagnosed_from_what_was_decoded() {
    let h = Home::new();
    let mut log = expiry_after_1h();
    log.push_str(&filler(2000));
    let mut gz = gzip(log.as_bytes());
    gz.truncate(gz.len() / 2);
    let (r, code) = triage(&h, &gz, &[]);
    assert_eq!(code, 1, "{r}");
    assert_eq!(r["diagnosis"]["cause"], "token-expiry");
    assert_eq!(r["diagnosis"]["elapsed_seconds"], 3612);
    assert_eq!(note_kinds(&r), ["cut-short"], "{r}");
    let read = r["notes"][0]["bytes"].as_u64().unwrap();
    assert!(read > 3000 && read < log.len() as u64, "{r}");
    assert_eq!(r["bytes"].as_u64(), Some(read));

    // Nothing found in what was read is not "none found": exit 2, with the report.
    let mut clean = String::new();
    progress(60, 5, &mut clean);
    clean.push_str(&filler(2000));
    let mut gz = gzip(clean.as_bytes());
    gz.truncate(gz.len() / 2);
    let (r, code) = triage(&h, &gz, &[]);
    assert_eq!(code, 2, "{r}");
    assert_eq!(note_kinds(&r), ["cut-short"], "{r}");
    let headline = r["headline"].as_str().unwrap();
    assert!(
        headline.starts_with("NONE: ") && headline.contains("breaks off"),
        "{headline}"
    );
}

/// Runs `cmd` to its end, or fails the test when it has not ended within a minute (a hang
/// becomes a failure, not a stuck suite); the output and how long it took.
fn run_ending(mut cmd: std::process::Command) -> (std::process::Output, std::time::Duration) {
    use std::process::Stdio;
    let start = std::time::Instant::now();
    let child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id() as i32;
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || tx.send(child.wait_with_output()));
    match rx.recv_timeout(std::time::Duration::from_secs(60)) {
        Ok(out) => (out.unwrap(), start.elapsed()),
        Err(_) => {
            // SAFETY: kill(2) on the child this test started and has not reaped.
            unsafe { libc::kill(pid, libc::SIGKILL) };
            panic!("still running after a minute");
        }
    }
}

/// The product's promise: a run ends within --timeout, plus the time to say so.
const TIMEOUT: &str = "2s";
const TIMEOUT_BOUND: std::time::Duration = std::time::Duration::from_millis(2500);

#[test]
fn a_character_device_ends_within_the_timeout_with_a_note() {
    // /dev/zero and /dev/urandom never end: reading stops at --timeout, the report says how
    // much was read and that it is not text; exit 2, not a silent NONE.
    let h = Home::new();
    for dev in ["/dev/zero", "/dev/urandom"] {
        let mut cmd = h.std_cmd();
        cmd.args([
            "triage",
            "--output",
            "json",
            "--timeout",
            TIMEOUT,
            "--log",
            dev,
        ]);
        let (out, took) = run_ending(cmd);
        assert!(took < TIMEOUT_BOUND, "{dev}: took {took:?}");
        assert_eq!(out.status.code(), Some(2), "{dev}");
        let r: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(
            note_kinds(&r),
            ["stopped-at-timeout", "not-text"],
            "{dev}: {r}"
        );
        assert!(r["notes"][0]["bytes"].as_u64().unwrap() > 0, "{r}");
        let headline = r["headline"].as_str().unwrap();
        assert!(headline.contains("--timeout 2s"), "{headline}");
    }
}

#[test]
fn an_endless_pipe_ends_within_the_timeout_with_what_it_read() {
    use std::process::{Command, Stdio};
    let h = Home::new();
    // The story, then a writer that never stops (`yes`): the expiry is found in what was read.
    // Then a writer that never stops and never fails: NONE so far, exit 2.
    // Then a writer that never writes: nothing arrived, exit 2 naming stdin.
    let story = expiry_after_1h();
    for (script, want_code) in [
        (r#"printf '%s' "$1"; exec yes 'INFO - still copying'"#, 1),
        ("exec yes 'INFO - still copying'", 2),
        ("exec sleep 600", 2),
    ] {
        let mut writer = Command::new("/bin/sh")
            .args(["-c", script, "sh", &story])
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let mut cmd = h.std_cmd();
        cmd.args([
            "triage",
            "--output",
            "json",
            "--timeout",
            TIMEOUT,
            "--log",
            "-",
        ])
        .stdin(writer.stdout.take().unwrap());
        let (out, took) = run_ending(cmd);
        writer.kill().unwrap();
        writer.wait().unwrap();
        assert!(took < TIMEOUT_BOUND, "{script}: took {took:?}");
        assert_eq!(out.status.code(), Some(want_code), "{script}");
        if script.contains("sleep") {
            assert_eq!(
                String::from_utf8(out.stderr).unwrap(),
                "error: --log -: nothing arrived on stdin within 2s (--timeout)\n"
            );
            continue;
        }
        let r: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(note_kinds(&r), ["stopped-at-timeout"], "{script}: {r}");
        if want_code == 1 {
            assert_eq!(r["diagnosis"]["elapsed_seconds"], 3612, "{r}");
        } else {
            assert!(
                r["headline"].as_str().unwrap().contains("--timeout 2s"),
                "{r}"
            );
        }
    }
}

#[test]
fn a_fifo_with_no_writer_ends_within_the_timeout_naming_it() {
    let h = Home::new();
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("job.fifo");
    let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    // SAFETY: mkfifo(3) on a path in a directory this test owns.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    let mut cmd = h.std_cmd();
    cmd.args(["triage", "--timeout", TIMEOUT, "--log"])
        .arg(&fifo);
    let (out, took) = run_ending(cmd);
    assert!(took < TIMEOUT_BOUND, "took {took:?}");
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8(out.stderr).unwrap(),
        format!(
            "error: --log {} is a FIFO that no program opened for writing within 2s (--timeout)\n",
            fifo.display()
        )
    );
}

#[test]
fn a_pipe_given_by_path_is_read_like_stdin() {
    // `--log <(cmd)` hands triage a pipe by path (/dev/fd/63); /dev/stdin is the same thing
    // in sh. It must keep working whatever is done about FIFOs and devices.
    let h = Home::new();
    let bin = assert_cmd::cargo::cargo_bin("expiry-doctor");
    let out = std::process::Command::new("/bin/sh")
        .env_clear()
        .env("PATH", "/usr/bin:/bin")
        .env("HOME", h.path())
        .env("NO_COLOR", "1")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("LOG", expiry_after_1h())
        .args([
            "-c",
            r#"printf '%s' "$LOG" | "$0" triage --output json --log /dev/stdin"#,
        ])
        .arg(&bin)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let r: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(r["diagnosis"]["elapsed_seconds"], 3612);
}

/// `triage FILE` as well as `--log FILE`: the same report; both at once is a usage error.
#[test]
fn the_log_can_be_named_without_log() {
    let h = Home::new();
    let path = h.write(
        "job.log",
        "2026-11-23 08:00:00 start\n2026-11-23 09:00:05 ERROR An error occurred (ExpiredToken) when calling the PutObject operation\n",
    );
    let run = |args: &[&str]| h.cmd().arg("triage").args(args).output().unwrap();
    let p = path.to_str().unwrap();
    let positional = run(&[p, "--output", "json"]);
    let flag = run(&["--log", p, "--output", "json"]);
    assert_eq!(positional.status.code(), Some(1));
    assert_eq!(positional.stdout, flag.stdout);
    let both = run(&[p, "--log", p]);
    assert_eq!(both.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&both.stderr).contains("--log"));
    let neither = run(&[]);
    assert_eq!(neither.status.code(), Some(2));
}

/// `--output markdown` for incident notes: the answer as the heading, the failing lines, the
/// diagnosis, the recommended fix first.
#[test]
fn markdown_output_for_incident_notes() {
    let h = Home::new();
    let path = h.write(
        "job.log",
        "2026-11-23 08:00:00 start\n2026-11-23 09:00:05 ERROR An error occurred (ExpiredToken) when calling the PutObject operation | pipe\n",
    );
    let out = h
        .cmd()
        .args(["triage", path.to_str().unwrap(), "--output", "markdown"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let md = String::from_utf8(out.stdout).unwrap();
    assert!(
        md.starts_with("### expiry-doctor triage: TOKEN-EXPIRY: failed 1h00m05s"),
        "{md}"
    );
    assert!(
        md.contains("| 2 | 2026-11-23 09:00:05 UTC | `expired` |"),
        "{md}"
    );
    assert!(md.contains("\\| pipe"), "a cell's pipe is escaped: {md}");
    assert!(
        md.contains("#### Diagnosis") && md.contains("· recommended"),
        "{md}"
    );
}

/// `explain` takes an AWS error code or a message fragment as well as an id, and answers with
/// the class triage gives it, its cause and its fix; anything else is still refused with the
/// closest id.
#[test]
fn explain_answers_an_error_code_or_a_message() {
    let h = Home::new();
    let run = |arg: &str| h.cmd().args(["explain", arg]).output().unwrap();
    for (given, class) in [
        ("ExpiredToken", "expired"),
        ("Unable to locate credentials", "no-credentials"),
        ("RequestTimeTooSkewed", "clock-skew"),
        ("ProvisionedThroughputExceededException", "throttling"),
    ] {
        let out = run(given);
        assert_eq!(out.status.code(), Some(0), "{given}");
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(
            text.starts_with(&format!(
                "\"{given}\" is what triage classifies as {class}:"
            )),
            "{text}"
        );
        assert!(
            text.contains(&format!("{class} (triage class)")) && text.contains("How to fix"),
            "{text}"
        );
    }
    let out = run("expird");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("a similar value exists: 'expired'"));
}

/// Issue 19: a presigned URL used after the session that signed it ended (1 h), though it
/// asked for a day; and one used after its own X-Amz-Expires. Each gets presign-when-used.
#[test]
fn a_presigned_url_dies_with_its_signer_or_its_own_expiry() {
    let s3 = |secs: i64| {
        format!(
            "ERROR - download failed: <?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>AccessDenied</Code>\
             <Message>Request has expired</Message><X-Amz-Expires>{secs}</X-Amz-Expires>\
             <Expires>2026-11-23T09:00:00Z</Expires><ServerTime>2026-11-23T09:00:12Z</ServerTime>\
             <RequestId>4WT7PZ0Q8XK3EXAMPLE</RequestId></Error>"
        )
    };
    let mut log = String::new();
    progress(60, 10, &mut log);
    log.push_str(&py(60, 12, &s3(86_400)));
    let (r, code) = triage(&Home::new(), log.as_bytes(), &[]);
    assert_eq!(code, 1, "{r}");
    let d = &r["diagnosis"];
    assert_eq!(d["cause"], "token-expiry");
    assert_eq!(d["expired_token"]["kind"], "presigned-url");
    assert_eq!(d["expired_token"]["expires_seconds"], 86_400);
    assert_eq!(d["matched_limit"], "1h-default");
    assert_eq!(r["fixes"][0]["id"], "presign-when-used");
    let steps = r["fixes"][0]["commands"].to_string();
    assert!(steps.contains("never outlives its signer"), "{steps}");
    assert!(steps.contains("aws s3 presign"), "{steps}");

    let mut log = String::new();
    progress(30, 10, &mut log);
    log.push_str(&py(30, 5, &s3(1800)));
    let (r, _) = triage(&Home::new(), log.as_bytes(), &[]);
    let d = &r["diagnosis"];
    assert_eq!(d["matched_limit"], "presigned-url", "{r}");
    assert!(
        d["explanation"].as_str().unwrap().contains("X-Amz-Expires"),
        "{d}"
    );
    assert_eq!(r["fixes"].as_array().unwrap().len(), 1);
}

/// Issue 19: docker refused by ECR 12 h after its login, and aws-iam-authenticator refusing an
/// EKS token after 15 minutes: each is that token's expiry, with that token's own fix, never
/// a role session's.
#[test]
fn ecr_and_eks_tokens_expire_after_their_own_lifetimes() {
    let mut log = String::new();
    progress(12 * 60 - 10, 60, &mut log);
    log.push_str(&py(
        12 * 60 - 10,
        3,
        "ERROR - push failed: denied: Your authorization token has expired. Reauthenticate and try again.",
    ));
    let (r, code) = triage(&Home::new(), log.as_bytes(), &[]);
    assert_eq!(code, 1, "{r}");
    let d = &r["diagnosis"];
    assert_eq!(d["expired_token"]["kind"], "ecr-authorization");
    assert_eq!(d["matched_limit"], "12h-ecr-authorization-token");
    assert_eq!(r["fixes"][0]["id"], "refresh-ecr-login");
    assert_eq!(r["fixes"].as_array().unwrap().len(), 1, "{r}");

    let mut log = String::new();
    progress(15, 5, &mut log);
    log.push_str(&py(
        15,
        4,
        "WARNING - error=\"input token was not properly formatted: X-Amz-Date parameter is expired (15 minute expiration) 2026-11-23 08:00:01 +0000 UTC\"",
    ));
    let (r, _) = triage(&Home::new(), log.as_bytes(), &[]);
    let d = &r["diagnosis"];
    assert_eq!(d["expired_token"]["kind"], "eks-authentication", "{r}");
    assert_eq!(d["matched_limit"], "15m-eks-token");
    assert_eq!(r["fixes"][0]["id"], "use-eks-get-token");
    // The same 15 minutes with an ordinary ExpiredToken is the AssumeRole minimum instead.
    let mut log = String::new();
    progress(15, 5, &mut log);
    log.push_str(&py(
        15,
        4,
        &format!("ERROR - {}", corpus_line("expired", 1)),
    ));
    let (r, _) = triage(&Home::new(), log.as_bytes(), &[]);
    assert_eq!(r["diagnosis"]["matched_limit"], "15m-minimum", "{r}");
    assert!(r["diagnosis"].get("expired_token").is_none());
}
