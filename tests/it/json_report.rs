//! The version-1 JSON contract: every key of the example, always; all six checks
//! in order; RFC 3339 UTC times; no secret; and a report replays into the same verdict.

use crate::common::*;
use serde_json::Value;

const CHECK_IDS: [&str; 6] = [
    "credential-source",
    "identity",
    "expiration",
    "session-limit",
    "expected-runtime",
    "clock-skew",
];

fn keys(v: &Value) -> Vec<&str> {
    v.as_object().unwrap().keys().map(String::as_str).collect()
}

fn assert_contract(r: &Value) {
    assert_eq!(r["version"], 1);
    for k in [
        "verdict",
        "checked_at",
        "expected_runtime_seconds",
        "credentials",
        "identity",
        "session_limit",
        "clock",
        "checks",
        "fixes",
    ] {
        assert!(r.get(k).is_some(), "missing {k}");
    }
    let required: [(&str, &[&str]); 4] = [
        (
            "credentials",
            &[
                "source",
                "profile",
                "temporary",
                "auto_refresh",
                "access_key_id",
                "expires_at",
                "expiry_source",
                "shadowed_sources",
            ],
        ),
        (
            "identity",
            &["arn", "account", "type", "role_name", "session_name"],
        ),
        (
            "session_limit",
            &[
                "role_name",
                "max_session_duration_seconds",
                "role_chaining",
                "configured_duration_seconds",
            ],
        ),
        (
            "clock",
            &["ntp_server", "ntp_offset_seconds", "aws_offset_seconds"],
        ),
    ];
    for (obj, want) in required {
        let have = keys(&r[obj]);
        for k in want {
            assert!(have.contains(k), "{obj}.{k} missing: {have:?}");
        }
    }
    let ids: Vec<&str> = r["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, CHECK_IDS);
    for c in r["checks"].as_array().unwrap() {
        assert!(["pass", "warn", "fail", "skip", "error"].contains(&c["status"].as_str().unwrap()));
        for f in c["fixes"].as_array().unwrap() {
            assert!(
                r["fixes"].as_array().unwrap().iter().any(|x| x["id"] == *f),
                "fix {f} not listed"
            );
        }
    }
    for f in r["fixes"].as_array().unwrap() {
        assert!(f["title"].is_string() && f["commands"].is_array());
    }
    let t = r["checked_at"].as_str().unwrap();
    assert!(
        t.ends_with('Z') && chrono::DateTime::parse_from_rfc3339(t).is_ok(),
        "{t}"
    );
    if let Some(e) = r["credentials"]["expires_at"].as_str() {
        assert!(e.ends_with('Z'), "{e}");
    }
}

#[test]
fn reports_keep_the_contract_in_every_scenario() {
    let scenarios: Vec<Home> = vec![
        Home::new(),
        exported(Some(30)),
        exported(None),
        exported(Some(-5)),
    ];
    for h in scenarios {
        let (r, _) = h.check_json(&["--expected-runtime", "6h"]);
        assert_contract(&r);
        assert_no_secrets(&r.to_string());
    }
    let (r, _) = exported(Some(30)).check_json(&[]);
    assert_contract(&r);
    assert_eq!(r["expected_runtime_seconds"], Value::Null);
    assert_eq!(
        r["identity"]["arn"],
        Value::Null,
        "unknowns are null, never omitted"
    );
}

#[test]
fn a_saved_report_replays_to_the_same_verdict_and_answers_what_if() {
    let h = exported(Some(100));
    let (r, code) = h.check_json(&["--expected-runtime", "1h"]);
    assert_eq!(code, 0);
    let saved = h.write("report.json", r.to_string());
    let out = h
        .cmd()
        .args(["check", "--output", "json", "--facts"])
        .arg(&saved)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let replayed: Value = serde_json::from_slice(&out.stdout).unwrap();
    for k in [
        "verdict",
        "checked_at",
        "credentials",
        "identity",
        "session_limit",
        "clock",
        "checks",
        "fixes",
        "expected_runtime_seconds",
    ] {
        assert_eq!(replayed[k], r[k], "{k} changed on replay");
    }
    // "What about 8h?" on the same facts.
    let out = h
        .cmd()
        .args([
            "check",
            "--output",
            "json",
            "--expected-runtime",
            "8h",
            "--facts",
        ])
        .arg(&saved)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let what_if: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        what_if["checked_at"], r["checked_at"],
        "a replay is evaluated as of the saved moment"
    );
    assert_eq!(what_if["expected_runtime_seconds"], 8 * 3600);
}

#[test]
fn every_shipped_fixture_replays_and_keeps_the_contract() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/examples");
    let mut n = 0;
    for e in std::fs::read_dir(dir).unwrap() {
        let path = e.unwrap().path();
        let out = Home::new()
            .cmd()
            .args(["check", "--output", "json", "--facts"])
            .arg(&path)
            .output()
            .unwrap();
        assert!(
            matches!(out.status.code(), Some(0 | 1)),
            "{}",
            path.display()
        );
        let r: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_contract(&r);
        n += 1;
    }
    assert!(n >= 10);
}
