//! Snapshot tests of what users read: the table and the JSON report, replayed from the
//! fixtures (frozen in time, so byte-for-byte stable). Review changes with `cargo insta review`.

use crate::common::*;

fn replay(fixture: &str, args: &[&str]) -> (String, i32) {
    let out = Home::new()
        .cmd()
        .args([
            "check",
            "--facts",
            &format!("fixtures/examples/{fixture}.json"),
        ])
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (
        String::from_utf8(out.stdout).unwrap(),
        out.status.code().unwrap(),
    )
}

#[test]
fn table_exported_expiring() {
    let (out, code) = replay("exported-expiring", &["--expected-runtime", "6h"]);
    assert_eq!(code, 1);
    insta::assert_snapshot!(out);
}

#[test]
fn table_sso_expired() {
    let (out, code) = replay("sso-expired", &[]);
    assert_eq!(code, 1);
    insta::assert_snapshot!(out);
}

#[test]
fn table_chained_duration() {
    let (out, code) = replay("chained-duration", &[]);
    assert_eq!(code, 1);
    insta::assert_snapshot!(out);
}

#[test]
fn table_shadowed_profile() {
    let (out, code) = replay("shadowed-profile", &[]);
    assert_eq!(code, 1);
    insta::assert_snapshot!(out);
}

#[test]
fn table_no_credentials() {
    let (out, code) = replay("no-credentials", &[]);
    assert_eq!(code, 1);
    insta::assert_snapshot!(out);
}

#[test]
fn table_pass() {
    let (out, code) = replay("exported-8h", &["--expected-runtime", "6h"]);
    assert_eq!(code, 0);
    insta::assert_snapshot!(out);
}

#[test]
fn json_exported_expiring() {
    let (out, code) = replay(
        "exported-expiring",
        &["--expected-runtime", "6h", "--output", "json"],
    );
    assert_eq!(code, 1);
    insta::assert_snapshot!(out);
}

#[test]
fn markdown_exported_expiring() {
    let (out, code) = replay(
        "exported-expiring",
        &["--expected-runtime", "6h", "--output", "markdown"],
    );
    assert_eq!(code, 1, "exit codes do not depend on the format");
    insta::assert_snapshot!(out);
}

#[test]
fn github_exported_expiring() {
    let (out, code) = replay(
        "exported-expiring",
        &["--expected-runtime", "6h", "--output", "github"],
    );
    assert_eq!(code, 1);
    insta::assert_snapshot!(out);
}

#[test]
fn github_clock_skewed() {
    let (out, code) = replay("clock-skewed", &["--output", "github"]);
    assert_eq!(code, 1);
    insta::assert_snapshot!(out);
}

#[test]
fn markdown_pass() {
    let (out, code) = replay(
        "exported-8h",
        &["--expected-runtime", "6h", "--output", "markdown"],
    );
    assert_eq!(code, 0);
    insta::assert_snapshot!(out);
}

#[test]
fn table_verbose() {
    let (out, _) = replay("sso-expired", &["--verbose"]);
    insta::assert_snapshot!(out);
}

#[test]
fn quiet_prints_the_verdict_line_only() {
    let (out, code) = replay(
        "exported-expiring",
        &["--expected-runtime", "6h", "--quiet"],
    );
    assert_eq!(code, 1);
    let (json, _) = replay(
        "exported-expiring",
        &["--expected-runtime", "6h", "--output", "json"],
    );
    let r: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(out, format!("{}\n", r["headline"].as_str().unwrap()));
    assert!(out.starts_with("FAIL: credentials expire at "));
}

/// `HH:MM` of an RFC 3339 time shifted by `minutes`, with the date when `with_date`.
fn wall(rfc3339: &str, minutes: i64, with_date: bool) -> String {
    let t: chrono::DateTime<chrono::Utc> = rfc3339.parse().unwrap();
    let t = t + chrono::TimeDelta::minutes(minutes);
    t.format(if with_date { "%Y-%m-%d %H:%M" } else { "%H:%M" })
        .to_string()
}

#[test]
fn the_table_speaks_the_users_zone_and_json_stays_utc() {
    let h = Home::new();
    let run = |args: &[&str]| {
        let out = h
            .cmd()
            .env("TZ", "Asia/Kolkata")
            .args([
                "check",
                "--facts",
                "fixtures/examples/exported-expiring.json",
                "--expected-runtime",
                "6h",
            ])
            .args(args)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .output()
            .unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    let json = run(&["--output", "json"]);
    let r: serde_json::Value = serde_json::from_str(&json).unwrap();
    let checked = r["checked_at"].as_str().unwrap();
    let expires = r["credentials"]["expires_at"].as_str().unwrap();
    // JSON: UTC everywhere, summaries included.
    assert!(
        r["checks"][4]["summary"]
            .as_str()
            .unwrap()
            .starts_with(&format!(
                "credentials expire at {} UTC",
                wall(expires, 0, false)
            )),
        "{json}"
    );
    // The table: Asia/Kolkata is UTC+05:30, all year.
    let table = run(&[]);
    assert!(
        table.starts_with(&format!(
            "expiry-doctor · checked {} +05:30",
            wall(checked, 330, true)
        )),
        "{table}"
    );
    assert!(
        table.contains(&format!(
            "credentials expire at {} +05:30 (in 31m)",
            wall(expires, 330, false)
        )),
        "{table}"
    );
}
