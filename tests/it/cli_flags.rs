//! The flag contract: every flag parses, every bad value is a one-line clap error naming the
//! flag and the accepted form (exit 2), help teaches, and `--facts` input errors name the file.

use crate::common::*;

fn first_stderr_line(args: &[&str]) -> (String, i32) {
    let out = Home::new().cmd().args(args).output().unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        out.stdout.is_empty(),
        "usage errors print nothing on stdout"
    );
    assert!(
        !stderr.contains("panicked") && !stderr.contains("backtrace"),
        "{stderr}"
    );
    (
        stderr.lines().next().unwrap_or_default().to_string(),
        out.status.code().unwrap(),
    )
}

#[test]
fn bad_values_exit_2_naming_the_flag_and_the_form() {
    let cases: &[(&[&str], &str)] = &[
        (
            &["check", "--expected-runtime", "six"],
            "error: invalid value 'six' for '--expected-runtime <DUR>': expected a duration like 6h, 90m, 1h30m",
        ),
        (
            &["check", "--expected-runtime", "0s"],
            "error: invalid value '0s' for '--expected-runtime <DUR>': expected a duration like 6h, 90m, 1h30m, greater than zero",
        ),
        (
            &["check", "--margin", "5 minutes-ish"],
            "error: invalid value '5 minutes-ish' for '--margin <DUR>': expected a duration like 6h, 90m, 1h30m",
        ),
        (
            &["check", "--timeout", "forever"],
            "error: invalid value 'forever' for '--timeout <DUR>': expected a duration like 6h, 90m, 1h30m",
        ),
        (
            &["check", "--max-clock-skew", "x"],
            "error: invalid value 'x' for '--max-clock-skew <DUR>': expected a duration like 6h, 90m, 1h30m",
        ),
        (
            &["check", "--max-session-duration", "30m"],
            "error: invalid value '30m' for '--max-session-duration <DUR>': expected a duration from 1h to 12h (IAM's MaxSessionDuration range)",
        ),
        (
            &["check", "--role-arn", "etl"],
            "error: invalid value 'etl' for '--role-arn <ARN>': expected a role ARN like arn:aws:iam::123456789012:role/etl",
        ),
        (
            &["check", "--ntp-server", "time.aws.com:0"],
            "error: invalid value 'time.aws.com:0' for '--ntp-server <HOST[:PORT]>': expected HOST[:PORT] like time.aws.com:123 or 127.0.0.1:11123",
        ),
        (
            &["check", "--region", "US East"],
            "error: invalid value 'US East' for '--region <NAME>': expected a region like us-east-1",
        ),
        (
            &["check", "--output", "yaml"],
            "error: invalid value 'yaml' for '--output <FORMAT>'",
        ),
        (
            &["check", "--fail-on", "never"],
            "error: invalid value 'never' for '--fail-on <LEVEL>'",
        ),
        (
            &["check", "--profile", ""],
            "error: invalid value '' for '--profile <NAME>': expected a profile name without spaces",
        ),
        (
            &["check", "--no-such-flag"],
            "error: unexpected argument '--no-such-flag' found",
        ),
    ];
    for (args, want) in cases {
        let (line, code) = first_stderr_line(args);
        assert_eq!(code, 2, "{args:?}");
        assert!(
            line.starts_with(want),
            "{args:?}\n got: {line}\nwant: {want}"
        );
    }
}

/// Exported session credentials that expire on 2027-01-01: an expiry the checks add the
/// runtime and the margin to.
fn expiring_in_2027() -> Home {
    Home::new()
        .var("AWS_ACCESS_KEY_ID", "ASIAIOSFODNN7EXAMPLE")
        .var("AWS_SECRET_ACCESS_KEY", "x")
        .var("AWS_SESSION_TOKEN", "y")
        .var("AWS_CREDENTIAL_EXPIRATION", "2027-01-01T00:00:00Z")
}

/// `check --offline --expected-runtime 1h` plus `extra` against [`expiring_in_2027`]: the exit
/// code and the first line of stderr.
fn usage_line(extra: &[&str]) -> (String, i32) {
    let out = expiring_in_2027()
        .cmd()
        .args(["check", "--offline", "--expected-runtime", "1h"])
        .args(extra)
        .output()
        .unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        !stderr.contains("internal error") && !stderr.contains("panicked"),
        "{extra:?}: {stderr}"
    );
    (
        stderr.lines().next().unwrap_or_default().to_string(),
        out.status.code().unwrap(),
    )
}

/// Issue 17: `--margin 9223372036854775s` panicked adding the margin to the expiry ("`DateTime
/// + TimeDelta` overflowed"), and `--margin 18446744073709551615s` wrapped and passed. Both
/// flags are bounded in clap now (24h, and 5m: SigV4's limit), like `--timeout`.
#[test]
fn unbounded_margin_and_max_clock_skew_are_refused_naming_the_flag() {
    for (flag, value, bound) in [
        ("--margin", "9223372036854775s", "at most 24h"),
        ("--margin", "18446744073709551615s", "at most 24h"),
        ("--margin", "24h1s", "at most 24h"),
        ("--max-clock-skew", "9223372036854775s", "at most 5m"),
        ("--max-clock-skew", "5m1s", "at most 5m"),
    ] {
        let (line, code) = usage_line(&[flag, value]);
        assert_eq!(code, 2, "{flag} {value}: {line}");
        let named = format!("error: invalid value '{value}' for '{flag} <DUR>': ");
        assert!(
            line.starts_with(&named) && line.contains(bound),
            "{flag} {value}\n got: {line}"
        );
    }
    let (line, code) = first_stderr_line(&["check", "--expected-runtime", "9223372036854775s"]);
    assert_eq!(code, 2, "{line}");
    assert!(line.contains("at most a year"), "{line}");
    // The bounds themselves are accepted, and the margin still decides: a day's margin after
    // an hour's job on credentials that last weeks passes; the same margin on credentials that
    // end within it fails (no overflow, no wrap).
    for ok in [&["--margin", "24h"][..], &["--max-clock-skew", "5m"][..]] {
        let (line, code) = usage_line(ok);
        assert!(code == 0 || code == 1, "{ok:?}: {line}");
    }
    let (r, code) = expiring_in_2027()
        .var("AWS_CREDENTIAL_EXPIRATION", rfc3339_in(12 * 60))
        .check_json(&["--expected-runtime", "1h", "--margin", "24h"]);
    assert_eq!((status(&r, "expected-runtime"), code), ("fail", 1), "{r}");
}

/// Issue 17: `--expected-runtime 500ms` was saved as `expected_runtime_seconds: 0`, which
/// `--facts` then refused. Durations the report counts in seconds take whole seconds; what the
/// flag accepts, a saved report replays with.
#[test]
fn sub_second_expected_runtime_is_refused_and_what_is_accepted_replays() {
    for (flag, value) in [
        ("--expected-runtime", "500ms"),
        ("--expected-runtime", "1s 500ms"),
        ("--margin", "1500ms"),
    ] {
        let (line, code) = first_stderr_line(&["check", flag, value]);
        assert_eq!(code, 2, "{flag} {value}: {line}");
        assert!(
            line.starts_with(&format!(
                "error: invalid value '{value}' for '{flag} <DUR>': expected a duration like 6h, 90m, 1h30m, in whole seconds"
            )),
            "{flag} {value}\n got: {line}"
        );
    }
    let h = expiring_in_2027();
    let out = h
        .cmd()
        .args([
            "check",
            "--offline",
            "--output",
            "json",
            "--expected-runtime",
            "1s",
        ])
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["expected_runtime_seconds"], 1);
    let saved = h.write("saved.json", &out.stdout);
    let out = h
        .cmd()
        .args(["check", "--output", "json", "--facts"])
        .arg(&saved)
        .output()
        .unwrap();
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let replayed: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(replayed["expected_runtime_seconds"], 1);
    assert_eq!(replayed["verdict"], report["verdict"]);
}

#[test]
fn facts_conflicts_with_gathering_flags() {
    let (line, code) = first_stderr_line(&["check", "--facts", "x.json", "--region", "eu-west-1"]);
    assert_eq!(code, 2);
    assert!(
        line.contains("'--facts <FILE|->' cannot be used with '--region <NAME>'"),
        "{line}"
    );
}

#[test]
fn facts_file_errors_name_the_file_and_exit_2() {
    let h = Home::new();
    let (line, code) = first_stderr_line(&["check", "--facts", "/nonexistent/report.json"]);
    assert_eq!(
        (line.as_str(), code),
        ("error: --facts /nonexistent/report.json does not exist", 2)
    );

    let bad = h.write("bad.json", r#"{"checked_at": "2026-11-23T08:00:00Z", "credentials": {"source": "floppy-disk"}, "identity": {}, "session_limit": {}, "clock": {}}"#);
    let out = h
        .cmd()
        .args(["check", "--facts"])
        .arg(&bad)
        .output()
        .unwrap();
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(2));
    // The JSON path and what it takes; never the value (issue 17: it can be anything).
    assert!(
        err.starts_with(&format!(
            "error: --facts {}: credentials.source: unknown variant, expected one of `none`, \
             `environment`",
            bad.display()
        )) && !err.contains("floppy-disk"),
        "{err}"
    );

    let dir = h.path().join("adir");
    std::fs::create_dir(&dir).unwrap();
    h.settle();
    let out = h
        .cmd()
        .args(["check", "--facts"])
        .arg(&dir)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is a directory"));

    let garbage = h.write("garbage.json", "not json");
    let out = h
        .cmd()
        .args(["check", "--facts"])
        .arg(&garbage)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not JSON (line 1, column 2)"));
}

#[test]
fn help_teaches_and_version_prints() {
    let out = Home::new()
        .cmd()
        .args(["check", "--help"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let help = String::from_utf8(out.stdout).unwrap();
    for needle in [
        "--expected-runtime <DUR>",
        "How long the job runs, e.g. 6h, 90m, 1h30m, 45s",
        "--offline",
        "credential_process still runs",
        "--facts <FILE|->",
        "[default: 10s]",
        "[default: time.aws.com:123]",
        "Exit codes:",
        "expiry-doctor check --expected-runtime 6h",
    ] {
        assert!(help.contains(needle), "--help lacks {needle:?}:\n{help}");
    }
    let out = Home::new().cmd().arg("--version").output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(
        String::from_utf8(out.stdout)
            .unwrap()
            .starts_with("expiry-doctor ")
    );
    // No subcommand runs `check` (env_defaults.rs): no credentials here, so the gate fails.
    let out = Home::new().cmd().output().unwrap();
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn every_contract_flag_is_accepted() {
    let (r, _) = exported(Some(600)).check_json(&[
        "--expected-runtime",
        "1h30m",
        "--profile",
        "default",
        "--region",
        "eu-west-1",
        "--role-arn",
        "arn:aws:iam::123456789012:role/etl",
        "--max-session-duration",
        "12h",
        "--margin",
        "10m",
        "--ntp-server",
        "127.0.0.1:11123",
        "--no-ntp",
        "--max-clock-skew",
        "45s",
        "--timeout",
        "3s",
        "--fail-on",
        "warn",
    ]);
    assert_eq!(r["expected_runtime_seconds"], 5400);
}
