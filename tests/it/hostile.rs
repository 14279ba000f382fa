//! Hostile and odd input reaching the output: secrets in escaped forms, endpoint messages that
//! echo a token, workflow commands and terminal escapes hidden in a role ARN, a profile name, a
//! log line or a `--facts` artifact from another machine. Each test is named after the finding
//! it proves fixed; the property at the end puts arbitrary strings in every field that comes
//! from outside and runs every renderer.

use crate::common::*;
use proptest::prelude::*;
use serde_json::{Value, json};
use std::path::Path;

/// A 40-character secret access key of the real shape, and a session token, as sentinels;
/// their pieces must appear nowhere, in any escaping.
const HOSTILE_SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYHOSTILEKEY";
const HOSTILE_TOKEN: &str = "FQoGZXIvYXdzEHOSTILETOKENabcdefghij/klmnopqrstuvwxyz+ABCDEFGHIJ==";
const PIECES: [&str; 6] = [
    "wJalrXUtnFEMI",
    "K7MDENG",
    "bPxRfiCY",
    "HOSTILEKEY",
    "HOSTILETOKEN",
    "klmnopqrstuvwxyz",
];

fn assert_no_sentinel(what: &str, text: &str) {
    for p in PIECES {
        assert!(!text.contains(p), "{what} leaked {p}:\n{text}");
    }
}

/// What an Actions runner would take as a command: a line that starts, after blanks, with
/// `::` or `##[`. Only `--output github`'s own annotations may.
fn assert_no_injected_command(what: &str, text: &str, github: bool) {
    for line in text.lines() {
        let t = line.trim_start();
        if !(t.starts_with("::") || t.starts_with("##[")) {
            continue;
        }
        let own = github
            && [
                "::error title=expiry-doctor",
                "::warning title=expiry-doctor",
            ]
            .iter()
            .any(|p| line.starts_with(p));
        assert!(
            own,
            "{what}: a workflow command we did not write:\n{line}\n---\n{text}"
        );
    }
}

/// No control character but the renderer's own line breaks (colour is off), no bidi override.
fn assert_no_control(what: &str, text: &str) {
    let bad = text
        .chars()
        .find(|c| (c.is_control() && *c != '\n') || ('\u{202a}'..='\u{202e}').contains(c));
    assert!(
        bad.is_none(),
        "{what}: control character {bad:?} in:\n{text}"
    );
}

fn assert_safe(what: &str, text: &str, github: bool) {
    assert_no_control(what, text);
    assert_no_injected_command(what, text, github);
    assert_no_sentinel(what, text);
}

fn output(h: &Home, args: &[&str]) -> (String, String, i32) {
    let out = h.cmd().args(args).output().unwrap();
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code().unwrap_or(-1),
    )
}

const FORMATS: [&str; 4] = ["table", "json", "markdown", "github"];

/// `check` in every format (the table with `--verbose`), each asserted safe.
fn every_format(h: &Home, args: &[&str]) -> Vec<String> {
    FORMATS
        .iter()
        .map(|f| {
            let mut a = vec!["check", "--color", "never", "--output", f];
            if *f == "table" {
                a.push("--verbose");
            }
            a.extend_from_slice(args);
            let (stdout, stderr, code) = output(h, &a);
            assert!(code == 0 || code == 1, "{f}: exit {code}\n{stderr}");
            assert_safe(f, &stdout, *f == "github");
            assert_safe(&format!("{f} stderr"), &stderr, false);
            if *f == "json" {
                serde_json::from_str::<Value>(&stdout).expect("the JSON report parses");
            }
            stdout
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Escaped secrets
// ---------------------------------------------------------------------------------------------

/// The log lines the review found leaking: PHP's `json_encode` (`\/`), .NET (`\u002B`), a
/// presigned URL (`%2F`), a signed request's headers.
fn leaking_log() -> String {
    let php = HOSTILE_SECRET.replace('/', "\\/");
    let dotnet = HOSTILE_SECRET.replace('/', "\\u002F");
    let url_token = HOSTILE_TOKEN.replace('/', "%2F").replace('+', "%2B");
    [
        "2026-11-23 08:00:00 INFO job started".to_string(),
        format!(
            "2026-11-23 09:00:01 ERROR ExpiredToken: The security token included in the request is expired creds={{\"AccessKeyId\":\"ASIAIOSFODNN7EXAMPLE\",\"SecretAccessKey\":\"{php}\"}}"
        ),
        format!("2026-11-23 09:00:02 ERROR ExpiredToken secret={dotnet}"),
        format!(
            "2026-11-23 09:00:03 ERROR ExpiredToken GET https://b.s3.amazonaws.com/k?X-Amz-Security-Token={url_token}&X-Amz-Signature=abc"
        ),
        "2026-11-23 09:00:04 ERROR ExpiredToken Authorization: AWS4-HMAC-SHA256 Credential=ASIAIOSFODNN7EXAMPLE/20261123/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=HOSTILEKEY0123".to_string(),
    ]
    .join("\n")
        + "\n"
}

#[test]
fn escaped_secrets_in_a_log_are_masked_by_triage() {
    let h = Home::new();
    let log = h.write("job.log", leaking_log());
    for format in ["table", "json"] {
        let (stdout, stderr, code) = output(
            &h,
            &["triage", "--log", log.to_str().unwrap(), "--output", format],
        );
        assert_eq!(code, 1, "{stdout}{stderr}");
        assert_safe(format, &stdout, false);
        assert!(stdout.contains("[redacted]"), "{stdout}");
        assert!(!stdout.contains("IOSFODNN7"), "{stdout}");
    }
}

#[test]
fn exec_masks_escaped_secrets_and_secret_arguments() {
    let h = exported(Some(120));
    // exec writes only what --report names; both files live outside the fake HOME.
    let dir = tempfile::tempdir().unwrap();
    let job = dir.path().join("job.sh");
    std::fs::write(
        &job,
        format!("#!/bin/sh\ncat <<'EOF' >&2\n{}EOF\nexit 1\n", leaking_log()),
    )
    .unwrap();
    let report = dir.path().join("record.json");
    let (_, stderr, _) = output(
        &h,
        &[
            "exec",
            "--offline",
            "--expected-runtime",
            "10m",
            "--report",
            report.to_str().unwrap(),
            "--",
            "sh",
            job.to_str().unwrap(),
            "--db-password",
            "hunter2",
        ],
    );
    // The job's own stderr passes through as it is (it is the job's); exec's lines, which
    // quote it, must not.
    let ours: String = stderr
        .lines()
        .filter(|l| l.starts_with("expiry-doctor:"))
        .collect::<Vec<_>>()
        .join("\n");
    assert!(ours.contains("first credential"), "{stderr}");
    assert_safe("exec's lines", &ours, false);
    let record = std::fs::read_to_string(&report).unwrap();
    assert_safe("--report", &record, false);
    assert!(!record.contains("hunter2"), "{record}");
    assert!(record.contains("--db-password"), "{record}");
}

// ---------------------------------------------------------------------------------------------
// Endpoint messages and answers
// ---------------------------------------------------------------------------------------------

fn xml_error(code: &str, message: &str) -> String {
    format!(
        "<ErrorResponse><Error><Type>Sender</Type><Code>{code}</Code><Message>{message}</Message></Error><RequestId>1</RequestId></ErrorResponse>"
    )
}

fn caller_identity(arn: &str) -> String {
    format!(
        "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><GetCallerIdentityResult><Arn>{arn}</Arn><UserId>AIDAX</UserId><Account>123456789012</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></GetCallerIdentityResponse>"
    )
}

fn action(req: &stubs::Request) -> String {
    let body = String::from_utf8_lossy(&req.body);
    body.split('&')
        .find_map(|kv| kv.strip_prefix("Action="))
        .unwrap_or_default()
        .to_string()
}

#[test]
fn endpoint_messages_are_redacted() {
    // STS echoing the request's token; IAM's AccessDenied carrying a 40-character secret.
    let echoed = format!(
        "The security token included in the request is invalid: X-Amz-Security-Token={}",
        HOSTILE_TOKEN.replace('/', "%2F").replace('+', "%2B")
    );
    let sts = stubs::http(move |_| {
        stubs::Response::status(403, xml_error("InvalidClientTokenId", &echoed))
            .header("content-type", "text/xml")
    });
    let h = exported(Some(600)).endpoint(&sts.url);
    every_format(&h, &["--timeout", "4s", "--no-ntp"]);

    let secret = HOSTILE_SECRET.to_string();
    let iam = stubs::http(move |req| match action(req).as_str() {
        "GetCallerIdentity" => stubs::Response::ok(
            "text/xml",
            caller_identity("arn:aws:sts::123456789012:assumed-role/etl/s"),
        ),
        _ => stubs::Response::status(
            403,
            xml_error(
                "AccessDenied",
                &format!("User is not authorized to perform iam:GetRole with key {secret}"),
            ),
        )
        .header("content-type", "text/xml"),
    });
    let h = exported(Some(600)).endpoint(&iam.url);
    let outs = every_format(&h, &["--timeout", "4s", "--no-ntp"]);
    assert!(outs[0].contains("[redacted]"), "{}", outs[0]);
}

#[test]
fn an_sts_answer_whose_arn_is_not_an_arn_is_not_believed() {
    let sts = stubs::http(|_| {
        stubs::Response::ok(
            "text/xml",
            caller_identity("arn:aws:iam::123456789012:user/x&#10;::error::pwned"),
        )
    });
    let h = exported(Some(600)).endpoint(&sts.url);
    let outs = every_format(&h, &["--timeout", "4s", "--no-ntp"]);
    let r: Value = serde_json::from_str(&outs[1]).unwrap();
    assert_eq!(status(&r, "identity"), "error", "{r}");
    assert_eq!(r["identity"]["arn"], Value::Null, "{r}");
}

// ---------------------------------------------------------------------------------------------
// Workflow commands and terminal escapes
// ---------------------------------------------------------------------------------------------

#[test]
fn a_role_arn_with_continuation_lines_is_refused_and_never_reaches_column_0() {
    let h = Home::new();
    h.write(
        ".aws/config",
        "[profile base]\nregion = us-east-1\n\
         [profile etl]\nrole_arn = arn:aws:iam::123456789012:role/etl\n  ::add-mask::FAIL\n  \
         ::error file=README.md,line=1::all good\nsource_profile = base\n",
    );
    h.write(
        ".aws/credentials",
        "[base]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = x\n",
    );
    let outs = every_format(
        &h,
        &["--offline", "--profile", "etl", "--expected-runtime", "6h"],
    );
    let r: Value = serde_json::from_str(&outs[1]).unwrap();
    assert_eq!(status(&r, "credential-source"), "fail", "{r}");
    assert!(
        summary(&r, "credential-source").contains("role_arn is not an ARN"),
        "{r}"
    );
    // `--all-profiles` reads the same section.
    for f in FORMATS {
        let (stdout, _, _) = output(
            &h,
            &[
                "check",
                "--all-profiles",
                "--offline",
                "--color",
                "never",
                "--output",
                f,
            ],
        );
        assert_safe(f, &stdout, f == "github");
    }
}

#[test]
fn a_profile_name_with_a_line_break_and_escapes_never_reaches_column_0() {
    let h = exported(Some(600)).var(
        "AWS_PROFILE",
        "x\n::error title=x::injected\r::add-mask::y\x1b]0;TITLE\x07\x1b[2J",
    );
    every_format(&h, &["--offline", "--expected-runtime", "1h"]);
    let (stdout, _, _) = output(&h, &["check", "--offline", "--quiet", "--color", "never"]);
    assert_safe("--quiet", &stdout, false);
}

#[test]
fn a_log_line_with_terminal_escapes_is_shown_visibly() {
    let h = Home::new();
    let log = h.write(
        "job.log",
        "2026-11-23 08:00:00 start\n2026-11-23 09:00:00 ExpiredToken \x1b]0;owned\x07\x1b[2J\r::error::fake\n",
    );
    for format in ["table", "json"] {
        let (stdout, _, _) = output(
            &h,
            &["triage", "--log", log.to_str().unwrap(), "--output", format],
        );
        assert_safe(format, &stdout, false);
    }
    let (stdout, _, _) = output(&h, &["triage", "--log", log.to_str().unwrap()]);
    assert!(stdout.contains("␛]0;owned␇"), "{stdout}");
}

// ---------------------------------------------------------------------------------------------
// Facts artifacts from another machine
// ---------------------------------------------------------------------------------------------

/// A saved report with a role chain, an SSO session, a problem and a failed probe: every kind
/// of field a hostile artifact could fill.
fn base_report() -> Value {
    let mut r: Value = serde_json::from_str(
        &std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/examples/chained-duration.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let sso: Value = serde_json::from_str::<Value>(
        &std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/examples/sso-expired.json"),
        )
        .unwrap(),
    )
    .unwrap()["sso"]
        .clone();
    r["sso"] = sso;
    r["session_limit"]["max_session_duration_seconds"] = json!(3600);
    r["session_limit"]["max_session_duration_source"] = json!("get-role");
    r["session_limit"]["role_chaining"] = json!(false);
    r["problems"] = json!([{"kind": "cache-file", "subject": "s", "line": null, "message": "m"}]);
    r["probes"] = json!([{
        "kind": "identity", "target": "sts:GetCallerIdentity", "endpoint": "http://127.0.0.1:1",
        "elapsed_ms": 3,
        "error": {"class": "invalid-token", "code": "InvalidClientTokenId",
                  "failure": {"kind": "service", "message": "m"}, "causes": ["c"]}
    }]);
    r
}

/// Puts `s` in every field of `r` that came from outside.
fn fill(r: &mut Value, s: &str) {
    r["credentials"]["profile"] = json!(s);
    r["profile_chain"][0]["profile"] = json!(s);
    r["profile_chain"][0]["role_arn"] = json!(s);
    r["profile_chain"][1]["source_profile"] = json!(s);
    r["session_limit"]["role_name"] = json!(s);
    r["session_limit"]["role_arn"] = json!(s);
    r["session_limit"]["configured_in_profile"] = json!(s);
    r["session_limit"]["chaining_reason"] = json!(s);
    r["identity"]["arn"] = json!(s);
    r["sso"]["start_url"] = json!(s);
    r["sso"]["session_name"] = json!(s);
    r["sso"]["cache_file"] = json!(s);
    r["region"] = json!(s);
    r["problems"][0]["subject"] = json!(s);
    r["problems"][0]["message"] = json!(format!("{s} {HOSTILE_SECRET}"));
    r["probes"][0]["endpoint"] = json!(s);
    r["probes"][0]["error"]["failure"]["message"] =
        json!(format!("{s} X-Amz-Security-Token={HOSTILE_TOKEN}"));
    r["probes"][0]["error"]["causes"] = json!([format!(
        "{s} {{\"SecretAccessKey\":\"{}\"}}",
        HOSTILE_SECRET.replace('/', "\\/")
    )]);
}

/// Replays `r` in every format, as one report and as an audit of two.
fn replay_everywhere(r: &Value) {
    let h = Home::new();
    let one = h.write("facts.json", serde_json::to_string(r).unwrap());
    every_format(
        &h,
        &["--facts", one.to_str().unwrap(), "--expected-runtime", "6h"],
    );
    let mut other = r.clone();
    other["credentials"]["profile"] = json!("other");
    let all = h.write(
        "all.json",
        serde_json::to_string(&json!([r, other])).unwrap(),
    );
    for f in FORMATS {
        let (stdout, stderr, _) = output(
            &h,
            &[
                "check",
                "--all-profiles",
                "--facts",
                all.to_str().unwrap(),
                "--color",
                "never",
                "--verbose",
                "--output",
                f,
            ],
        );
        assert_safe(&format!("--all-profiles {f}"), &stdout, f == "github");
        assert_safe("stderr", &stderr, false);
    }
}

#[test]
fn a_facts_file_from_an_untrusted_pull_request_cannot_inject() {
    let mut r = base_report();
    fill(
        &mut r,
        "etl\n::add-mask::FAIL\r\n  ::error file=README.md,line=1::all good\x1b]8;;http://x\x07\u{9b}2J\u{202e}",
    );
    replay_everywhere(&r);
}

#[test]
fn suggested_commands_stay_on_one_line() {
    let mut r = base_report();
    r["session_limit"]["role_name"] = json!("etl\n::add-mask::x");
    let h = Home::new();
    let f = h.write("facts.json", serde_json::to_string(&r).unwrap());
    let (stdout, _, _) = output(
        &h,
        &[
            "check",
            "--facts",
            f.to_str().unwrap(),
            "--expected-runtime",
            "6h",
            "--color",
            "never",
        ],
    );
    assert!(stdout.contains("update-role"), "{stdout}");
    for line in stdout.lines().filter(|l| l.contains("update-role")) {
        assert!(
            line.contains("--max-session-duration"),
            "cut across lines: {line}\n{stdout}"
        );
    }
}

/// Strings an attacker would choose: line breaks, workflow commands, every control character,
/// escapes, bidi overrides, markdown, and ordinary text.
fn hostile_string() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("\n::error::x".to_string()),
        Just("\r::add-mask::y".to_string()),
        Just("\n  ##[error]z".to_string()),
        Just("\x1b]0;t\x07".to_string()),
        Just("\x1b[2J".to_string()),
        Just("\u{9b}31m".to_string()),
        Just("\u{202e}".to_string()),
        Just("](http://x)![i](y)<img src=x>`|".to_string()),
        "[\\x00-\\x1f\\x7f\\u{80}-\\u{9f}]{1,3}",
        "[a-zA-Z0-9:/%._ -]{0,12}",
    ];
    proptest::collection::vec(piece, 1..6).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 12,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    /// Every renderer (table with --verbose, JSON, Markdown, GitHub; one report and an audit)
    /// with arbitrary strings in every field from outside: no control character, no workflow
    /// command the renderer did not write, no sentinel secret in any escaping.
    #[test]
    fn no_renderer_lets_outside_text_through(s in hostile_string()) {
        let mut r = base_report();
        fill(&mut r, &s);
        replay_everywhere(&r);
    }

    /// triage and its renderers over arbitrary log lines with the same strings.
    #[test]
    fn triage_lets_no_outside_text_through(s in hostile_string()) {
        let h = Home::new();
        let log = h.write(
            "job.log",
            format!("2026-11-23 08:00:00 start\n2026-11-23 09:00:00 ExpiredToken {s} {}\n",
                    HOSTILE_SECRET.replace('/', "\\u002F")),
        );
        for format in ["table", "json", "markdown"] {
            let (stdout, _, _) = output(&h, &["triage", "--log", log.to_str().unwrap(), "--output", format]);
            assert_safe(format, &stdout, false);
        }
    }
}

#[test]
fn a_usage_error_quoting_a_hostile_value_is_sanitized() {
    let h = Home::new();
    let (_, stderr, code) = output(
        &h,
        &[
            "check",
            "--expected-runtime",
            "\x1b]0;TITLE\x07\n::error::x\r",
        ],
    );
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("--expected-runtime"), "{stderr}");
    assert_safe("usage error", &stderr, false);
}
