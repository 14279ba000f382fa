//! The published JSON Schemas (docs/schema/*.schema.json) against real outputs of the binary:
//! every shipped fixture replayed with `check --facts`, `check --offline` in fake homes, and
//! `triage` over small logs assembled here. Then mutated reports must fail, so the schemas
//! are known to say something. Everything runs offline with a cleared environment.

use crate::common::{Home, KEY_ID, SECRET, TOKEN, rfc3339_in};
use jsonschema::Validator;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn schema(name: &str) -> Value {
    let path = root().join("docs/schema").join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A draft 2020-12 validator that also checks `format` (date-time), which 2020-12 treats as
/// an annotation unless asked.
fn validator(name: &str) -> Validator {
    let s = schema(name);
    jsonschema::draft202012::options()
        .should_validate_formats(true)
        .build(&s)
        .unwrap_or_else(|e| panic!("{name} does not compile: {e}"))
}

fn report_schema() -> Validator {
    validator("report-v1.schema.json")
}

fn triage_schema() -> Validator {
    validator("triage-v1.schema.json")
}

fn errors(v: &Validator, doc: &Value) -> Vec<String> {
    v.iter_errors(doc)
        .map(|e| format!("{} (at {})", e, e.instance_path()))
        .collect()
}

fn assert_valid(v: &Validator, doc: &Value, what: &str) {
    let errs = errors(v, doc);
    assert!(
        errs.is_empty(),
        "{what} does not match the schema:\n  {}\n\n{}",
        errs.join("\n  "),
        serde_json::to_string_pretty(doc).unwrap()
    );
}

fn assert_invalid(v: &Validator, doc: &Value, what: &str) {
    assert!(
        !v.is_valid(doc),
        "the schema accepts a broken report ({what}):\n{}",
        serde_json::to_string_pretty(doc).unwrap()
    );
}

/// Runs the binary, returns the parsed stdout and the exit code (which must be 0 or 1: a
/// verdict, never a usage or internal error).
fn run_json(home: &Home, args: &[&str]) -> (Value, i32) {
    let out = home.cmd().args(args).output().unwrap();
    let code = out.status.code().unwrap_or(-1);
    let stdout = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(
        code == 0 || code == 1,
        "{args:?}: exit {code}\nstdout:\n{stdout}\nstderr:\n{stderr}"
    );
    assert!(
        !stdout.contains(SECRET) && !stdout.contains(TOKEN),
        "a secret leaked:\n{stdout}"
    );
    assert!(
        !stdout.contains(KEY_ID),
        "an unredacted key id leaked:\n{stdout}"
    );
    let v = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("{args:?}: not JSON ({e})\n{stdout}\nstderr:\n{stderr}"));
    (v, code)
}

/// What JSON Schema cannot say: every fix a check names is in the top-level list, once, and
/// the exit code agrees with the verdict.
fn assert_report_consistent(r: &Value, code: i32, what: &str) {
    let top: Vec<&str> = r["fixes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap())
        .collect();
    let mut dedup = top.clone();
    dedup.sort();
    dedup.dedup();
    assert_eq!(dedup.len(), top.len(), "{what}: duplicate fixes {top:?}");
    for c in r["checks"].as_array().unwrap() {
        for f in c["fixes"].as_array().unwrap() {
            let f = f.as_str().unwrap();
            assert!(
                top.contains(&f),
                "{what}: check {} names fix {f}, not in {top:?}",
                c["id"]
            );
        }
    }
    let expected = if r["verdict"] == "fail" { 1 } else { 0 };
    assert_eq!(
        code, expected,
        "{what}: exit code {code} for verdict {}",
        r["verdict"]
    );
}

/// A named way to break a report.
type Mutation = (&'static str, Box<dyn Fn(&mut Value)>);

fn fixtures() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(root().join("fixtures/examples"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    v.sort();
    assert!(
        v.len() >= 10,
        "fixtures/examples holds {} fixtures",
        v.len()
    );
    v
}

// ---------------------------------------------------------------------------------------
// The schemas themselves

#[test]
fn schemas_are_valid_draft_2020_12() {
    for name in ["report-v1.schema.json", "triage-v1.schema.json"] {
        let s = schema(name);
        assert_eq!(
            s["$schema"], "https://json-schema.org/draft/2020-12/schema",
            "{name} declares draft 2020-12"
        );
        jsonschema::meta::validate(&s)
            .unwrap_or_else(|e| panic!("{name} is not a valid 2020-12 schema: {e}"));
    }
}

// ---------------------------------------------------------------------------------------
// check --facts: every shipped fixture, as saved and with the flags a replay accepts

#[test]
fn every_fixture_replayed_matches_the_report_schema() {
    let v = report_schema();
    let home = Home::new();
    for path in fixtures() {
        let p = path.to_str().unwrap();
        let name = path.file_name().unwrap().to_string_lossy();
        let variants: [&[&str]; 3] = [
            &[],
            &["--expected-runtime", "14h", "--margin", "0s"],
            &[
                "--role-arn",
                "arn:aws:iam::123456789012:role/etl",
                "--max-session-duration",
                "2h",
                "--expected-runtime",
                "8h",
            ],
        ];
        for extra in variants {
            let mut args = vec!["check", "--facts", p, "--output", "json"];
            args.extend_from_slice(extra);
            let (r, code) = run_json(&home, &args);
            let what = format!("{name} {extra:?}");
            assert_valid(&v, &r, &what);
            assert_report_consistent(&r, code, &what);
        }
    }
}

#[test]
fn a_saved_report_replays_into_a_valid_report() {
    // The JSON report is itself a Facts file: replaying it must give a valid report again.
    let v = report_schema();
    let home = Home::new();
    let (first, _) = run_json(
        &home,
        &[
            "check",
            "--facts",
            root()
                .join("fixtures/examples/exported-expiring.json")
                .to_str()
                .unwrap(),
            "--output",
            "json",
        ],
    );
    let saved = home.write("preflight.json", serde_json::to_vec_pretty(&first).unwrap());
    let (again, code) = run_json(
        &home,
        &[
            "check",
            "--facts",
            saved.to_str().unwrap(),
            "--output",
            "json",
        ],
    );
    assert_valid(&v, &again, "a replayed report");
    assert_report_consistent(&again, code, "a replayed report");
    assert_eq!(again["checks"], first["checks"]);
}

// ---------------------------------------------------------------------------------------
// check --offline in fake homes

#[test]
fn offline_without_credentials() {
    let v = report_schema();
    let home = Home::new();
    let (r, code) = run_json(&home, &["check", "--offline", "--output", "json"]);
    assert_valid(&v, &r, "no credentials");
    assert_report_consistent(&r, code, "no credentials");
    assert_eq!(r["credentials"]["source"], "none");
    assert_eq!(r["checks"][0]["status"], "fail");
    assert_eq!(r["offline"], true);
    assert_eq!(r["imds_disabled"], true);
}

#[test]
fn offline_with_exported_session_credentials() {
    let v = report_schema();
    let home = Home::new()
        .var("AWS_ACCESS_KEY_ID", KEY_ID)
        .var("AWS_SECRET_ACCESS_KEY", "x")
        .var("AWS_SESSION_TOKEN", "y")
        .var("AWS_CREDENTIAL_EXPIRATION", rfc3339_in(30));
    for (extra, verdict) in [
        (&[][..], "pass"),
        (&["--expected-runtime", "6h"][..], "fail"),
        (
            &["--expected-runtime", "10m", "--fail-on", "warn"][..],
            "pass",
        ),
    ] {
        let mut args = vec!["check", "--offline", "--output", "json"];
        args.extend_from_slice(extra);
        let (r, code) = run_json(&home, &args);
        let what = format!("exported credentials {extra:?}");
        assert_valid(&v, &r, &what);
        assert_report_consistent(&r, code, &what);
        assert_eq!(r["verdict"], verdict, "{what}");
        assert_eq!(r["credentials"]["source"], "environment");
        assert_eq!(r["credentials"]["access_key_id"], "ASIA…WXYZ");
        assert_eq!(
            r["credentials"]["expiry_source"],
            "AWS_CREDENTIAL_EXPIRATION"
        );
        assert_eq!(r["credentials"]["auto_refresh"], false);
    }
}

#[test]
fn offline_with_exported_credentials_of_unknown_expiry() {
    let v = report_schema();
    let home = crate::common::exported(None);
    let (r, code) = run_json(
        &home,
        &[
            "check",
            "--offline",
            "--output",
            "json",
            "--expected-runtime",
            "6h",
        ],
    );
    assert_valid(&v, &r, "exported, no expiry");
    assert_report_consistent(&r, code, "exported, no expiry");
    assert_eq!(r["verdict"], "warn");
    assert_eq!(r["credentials"]["expires_at"], Value::Null);
}

#[test]
fn offline_with_a_broken_config_file() {
    let v = report_schema();
    let home = Home::new();
    home.write(
        ".aws/config",
        "[profile job\nrole_arn = arn:aws:iam::123456789012:role/etl\n",
    );
    let (r, code) = run_json(&home, &["check", "--offline", "--output", "json"]);
    assert_valid(&v, &r, "broken ~/.aws/config");
    assert_report_consistent(&r, code, "broken ~/.aws/config");
    assert_eq!(code, 1);
    assert_eq!(r["checks"][0]["status"], "fail");
    let p = &r["problems"][0];
    assert_eq!(p["kind"], "config-file");
    assert_eq!(p["line"], 1);
}

#[test]
fn offline_with_profiles_sso_and_web_identity() {
    let v = report_schema();

    // A chained role profile that asks for 2 h.
    let chained = Home::new().var("AWS_PROFILE", "job");
    chained.write(
        ".aws/config",
        "[profile base]\n\
         [profile hop]\nrole_arn = arn:aws:iam::123456789012:role/hop\nsource_profile = base\n\
         [profile job]\nrole_arn = arn:aws:iam::123456789012:role/job\nsource_profile = hop\nduration_seconds = 7200\n",
    );
    chained.write(
        ".aws/credentials",
        "[base]\naws_access_key_id = AKIAEXAMPLEKEYIDWXYZ\naws_secret_access_key = SENTINEL-SECRET-KEY-do-not-print\n",
    );
    let (r, code) = run_json(
        &chained,
        &[
            "check",
            "--offline",
            "--output",
            "json",
            "--expected-runtime",
            "6h",
        ],
    );
    assert_valid(&v, &r, "chained role profile");
    assert_report_consistent(&r, code, "chained role profile");
    assert_eq!(r["session_limit"]["role_chaining"], true);
    assert_eq!(r["profile_chain"].as_array().unwrap().len(), 3);

    // An SSO profile that never logged in.
    let sso = Home::new().var("AWS_PROFILE", "dev");
    sso.write(
        ".aws/config",
        "[profile dev]\nsso_session = corp\nsso_account_id = 123456789012\nsso_role_name = Developer\n\
         [sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\n",
    );
    let (r, code) = run_json(&sso, &["check", "--offline", "--output", "json"]);
    assert_valid(&v, &r, "SSO profile without a token");
    assert_report_consistent(&r, code, "SSO profile without a token");
    assert_eq!(r["credentials"]["source"], "sso");
    assert!(r["sso"].is_object());

    // Web identity from the environment, planning for a role.
    let mut web = Home::new();
    let token = web.write("token", "eyJhbGciOiJSUzI1NiJ9.e30.c2lnbmF0dXJl");
    web.set("AWS_WEB_IDENTITY_TOKEN_FILE", token.to_str().unwrap());
    web.set("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/ci");
    let (r, code) = run_json(
        &web,
        &[
            "check",
            "--offline",
            "--output",
            "json",
            "--expected-runtime",
            "6h",
            "--role-arn",
            "arn:aws:iam::123456789012:role/etl",
            "--max-session-duration",
            "12h",
        ],
    );
    assert_valid(&v, &r, "web identity with --role-arn");
    assert_report_consistent(&r, code, "web identity with --role-arn");
    assert_eq!(r["credentials"]["source"], "web-identity");
    assert_eq!(r["session_limit"]["planned"], true);
}

#[test]
fn offline_all_profiles_is_an_array_of_reports() {
    let v = report_schema();
    let home = Home::new();
    home.write(
        ".aws/config",
        "[profile base]\n\
         [profile etl]\nrole_arn = arn:aws:iam::123456789012:role/etl\nsource_profile = base\n\
         [profile dev]\nsso_session = corp\nsso_account_id = 123456789012\nsso_role_name = Developer\n\
         [sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\n",
    );
    home.write(
        ".aws/credentials",
        "[base]\naws_access_key_id = AKIAEXAMPLEKEYIDWXYZ\naws_secret_access_key = SENTINEL-SECRET-KEY-do-not-print\n",
    );
    let (all, code) = run_json(
        &home,
        &[
            "check",
            "--offline",
            "--all-profiles",
            "--expected-runtime",
            "6h",
            "--output",
            "json",
        ],
    );
    let reports = all.as_array().expect("--all-profiles writes an array");
    assert_eq!(reports.len(), 3);
    for r in reports {
        let what = format!("--all-profiles, profile {}", r["credentials"]["profile"]);
        assert_valid(&v, r, &what);
    }
    let worst = if reports.iter().any(|r| r["verdict"] == "fail") {
        1
    } else {
        0
    };
    assert_eq!(code, worst);
}

// ---------------------------------------------------------------------------------------
// triage --output json

fn triage(home: &Home, log: &str, args: &[&str]) -> (Value, i32) {
    let path = home.write("job.log", log);
    let mut all = vec![
        "triage",
        "--log",
        path.to_str().unwrap(),
        "--output",
        "json",
    ];
    all.extend_from_slice(args);
    run_json(home, &all)
}

const EXPIRED: &str = "ERROR An error occurred (ExpiredToken) when calling the PutObject operation: \
                       The security token included in the request is expired";

#[test]
fn triage_of_an_expiry_after_one_hour() {
    let v = triage_schema();
    let home = Home::new();
    let log = format!(
        "2026-11-23 08:00:05,001 INFO starting nightly export\n\
         2026-11-23 08:30:00,500 INFO uploaded part 1200\n\
         2026-11-23 09:00:12,123 {EXPIRED}\n\
         2026-11-23 09:00:13,456 {EXPIRED}\n"
    );
    let (r, code) = triage(&home, &log, &[]);
    assert_valid(&v, &r, "expiry after 1 h");
    assert_eq!(code, 1);
    assert_eq!(r["diagnosis"]["cause"], "token-expiry");
    assert_eq!(r["diagnosis"]["matched_limit"], "1h-default");
    assert_eq!(r["class_counts"]["expired"], 2);
    assert!(!r["fixes"].as_array().unwrap().is_empty());

    // The same log with the expiry stated: known-expiry.
    let (r, _) = triage(
        &home,
        &log,
        &[
            "--started-at",
            "2026-11-23T08:00:00Z",
            "--expires-at",
            "2026-11-23T09:00:00Z",
        ],
    );
    assert_valid(&v, &r, "expiry with --expires-at");
    assert_eq!(r["diagnosis"]["matched_limit"], "known-expiry");
}

#[test]
fn triage_of_a_clean_log() {
    let v = triage_schema();
    let home = Home::new();
    let (r, code) = triage(
        &home,
        "2026-11-23 08:00:00 INFO start\n2026-11-23 09:00:00 INFO done\n",
        &[],
    );
    assert_valid(&v, &r, "clean log");
    assert_eq!(code, 0);
    assert_eq!(r["diagnosis"]["cause"], "none");
    assert_eq!(r["events"], json!([]));
}

#[test]
fn triage_of_access_denied_only() {
    let v = triage_schema();
    let home = Home::new();
    let (r, code) = triage(
        &home,
        "2026-11-23 08:00:00 INFO start\n\
         2026-11-23 08:05:00 ERROR An error occurred (AccessDenied) when calling the GetObject operation: Access Denied\n",
        &[],
    );
    assert_valid(&v, &r, "AccessDenied only");
    assert_eq!(code, 0);
    assert_eq!(r["diagnosis"]["cause"], "permissions");
    assert_eq!(r["diagnosis"]["matched_limit"], Value::Null);
}

#[test]
fn triage_of_clock_skew_and_of_a_log_without_times() {
    let v = triage_schema();
    let home = Home::new();
    let (r, code) = triage(
        &home,
        "2024-03-01T12:00:00Z INFO start\n\
         2024-03-01T12:00:05Z ERROR An error occurred (InvalidSignatureException) when calling the \
         PutItem operation: Signature expired: 20240301T120000Z is now earlier than \
         20240301T121000Z (20240301T121500Z - 5 min.)\n",
        &[],
    );
    assert_valid(&v, &r, "clock skew");
    assert_eq!(code, 1);
    assert_eq!(r["diagnosis"]["cause"], "clock-skew");
    assert!(r["diagnosis"]["clock_offset_seconds"].is_number());

    let (r, _) = triage(&home, &format!("starting\n{EXPIRED}\n"), &[]);
    assert_valid(&v, &r, "no timestamps");
    assert_eq!(r["events"][0]["timestamp"], Value::Null);
}

// ---------------------------------------------------------------------------------------
// The schemas are not vacuous: broken reports fail

fn sample_report() -> Value {
    let (r, _) = run_json(
        &Home::new(),
        &[
            "check",
            "--facts",
            root()
                .join("fixtures/examples/exported-expiring.json")
                .to_str()
                .unwrap(),
            "--output",
            "json",
        ],
    );
    r
}

#[test]
fn broken_reports_fail_the_report_schema() {
    let v = report_schema();
    let good = sample_report();
    assert_valid(&v, &good, "the sample");

    let broken: Vec<Mutation> = vec![
        (
            "a check removed",
            Box::new(|r| {
                r["checks"].as_array_mut().unwrap().remove(3);
            }),
        ),
        (
            "a seventh check",
            Box::new(|r| {
                let extra = r["checks"][5].clone();
                r["checks"].as_array_mut().unwrap().push(extra);
            }),
        ),
        (
            "two checks swapped",
            Box::new(|r| {
                r["checks"].as_array_mut().unwrap().swap(1, 2);
            }),
        ),
        (
            "an unknown status",
            Box::new(|r| r["checks"][0]["status"] = json!("ok")),
        ),
        (
            "an unknown check id",
            Box::new(|r| r["checks"][5]["id"] = json!("clock")),
        ),
        (
            "an unknown verdict",
            Box::new(|r| r["verdict"] = json!("failed")),
        ),
        (
            "an unknown source",
            Box::new(|r| r["credentials"]["source"] = json!("env")),
        ),
        (
            "an unknown expiry source",
            Box::new(|r| r["credentials"]["expiry_source"] = json!("AWS_EXPIRATION")),
        ),
        (
            "an unknown fix id",
            Box::new(|r| r["fixes"][0]["id"] = json!("refresh")),
        ),
        (
            "an unknown identity type",
            Box::new(|r| r["identity"]["type"] = json!("role")),
        ),
        (
            "a design key omitted",
            Box::new(|r| {
                r["credentials"]
                    .as_object_mut()
                    .unwrap()
                    .remove("expires_at");
            }),
        ),
        (
            "an identity key omitted",
            Box::new(|r| {
                r["identity"].as_object_mut().unwrap().remove("arn");
            }),
        ),
        (
            "the clock object missing",
            Box::new(|r| {
                r.as_object_mut().unwrap().remove("clock");
            }),
        ),
        (
            "an unredacted key id",
            Box::new(|r| r["credentials"]["access_key_id"] = json!("ASIAEXAMPLEKEYIDWXYZ")),
        ),
        (
            "a time with an offset",
            Box::new(|r| r["checked_at"] = json!("2026-11-23T13:50:52+01:00")),
        ),
        (
            "a time that is not a time",
            Box::new(|r| r["credentials"]["expires_at"] = json!("2026-11-23T25:61:00Z")),
        ),
        ("version 2", Box::new(|r| r["version"] = json!(2))),
        (
            "a pass verdict with a failing check",
            Box::new(|r| {
                r["verdict"] = json!("pass");
                r["headline"] = json!("PASS: fine");
            }),
        ),
        (
            "a fail verdict without a failing check",
            Box::new(|r| {
                r["checks"][4]["status"] = json!("pass");
            }),
        ),
        (
            "a headline that contradicts the verdict",
            Box::new(|r| r["headline"] = json!("PASS: credentials last")),
        ),
        (
            "a MaxSessionDuration of 13 h",
            Box::new(|r| r["session_limit"]["max_session_duration_seconds"] = json!(46800)),
        ),
    ];
    for (what, mutate) in broken {
        let mut r = good.clone();
        mutate(&mut r);
        assert_invalid(&v, &r, what);
    }

    // Additive keys are allowed anywhere: version 1 stays valid.
    let mut r = good.clone();
    r["new_top_level_key"] = json!({"anything": true});
    r["credentials"]["new_key"] = json!(1);
    r["checks"][0]["new_key"] = json!("x");
    assert_valid(&v, &r, "a report with additive keys");
}

#[test]
fn broken_triage_reports_fail_the_triage_schema() {
    let v = triage_schema();
    let home = Home::new();
    let (good, _) = triage(
        &home,
        &format!("2026-11-23 08:00:05 INFO start\n2026-11-23 09:00:12 {EXPIRED}\n"),
        &[],
    );
    assert_valid(&v, &good, "the sample");

    let broken: Vec<Mutation> = vec![
        (
            "an unknown class",
            Box::new(|r| r["events"][0]["class"] = json!("expired-token")),
        ),
        (
            "an unknown class count",
            Box::new(|r| r["class_counts"]["expiry"] = json!(1)),
        ),
        (
            "an unknown cause",
            Box::new(|r| r["diagnosis"]["cause"] = json!("expiry")),
        ),
        (
            "an unknown limit",
            Box::new(|r| r["diagnosis"]["matched_limit"] = json!("1h")),
        ),
        (
            "the cause omitted",
            Box::new(|r| {
                r["diagnosis"].as_object_mut().unwrap().remove("cause");
            }),
        ),
        (
            "events missing",
            Box::new(|r| {
                r.as_object_mut().unwrap().remove("events");
            }),
        ),
        (
            "a limit matched for permissions",
            Box::new(|r| {
                r["diagnosis"]["cause"] = json!("permissions");
                r["headline"] = json!("PERMISSIONS: not a credential lifetime problem");
            }),
        ),
        (
            "cause none with events",
            Box::new(|r| {
                r["diagnosis"]["cause"] = json!("none");
                r["headline"] = json!("NONE: no AWS credential or clock error found");
            }),
        ),
        (
            "a timestamp with an offset",
            Box::new(|r| r["events"][0]["timestamp"] = json!("2026-11-23T09:00:12+00:00")),
        ),
        ("line 0", Box::new(|r| r["events"][0]["line"] = json!(0))),
        ("version 2", Box::new(|r| r["version"] = json!(2))),
        (
            "an unknown encoding",
            Box::new(|r| r["encoding"] = json!("latin-1")),
        ),
        (
            "notes missing",
            Box::new(|r| {
                r.as_object_mut().unwrap().remove("notes");
            }),
        ),
        (
            "an unknown note",
            Box::new(|r| r["notes"] = json!([{"kind": "odd", "text": "odd"}])),
        ),
        (
            "a cut-short note without its error",
            Box::new(|r| r["notes"] = json!([{"kind": "cut-short", "bytes": 10, "text": "cut"}])),
        ),
    ];
    for (what, mutate) in broken {
        let mut r = good.clone();
        mutate(&mut r);
        assert_invalid(&v, &r, what);
    }

    let mut r = good.clone();
    r["diagnosis"]["new_key"] = json!(null);
    r["new_key"] = json!([]);
    assert_valid(&v, &r, "a triage report with additive keys");
}

#[test]
fn triage_of_logs_read_only_in_part() {
    // Notes (exit 2 with a report): a gzip cut short and a binary file; and a UTF-16 log.
    let v = triage_schema();
    let home = Home::new();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    for i in 0..4000u64 {
        std::io::Write::write_all(
            &mut gz,
            format!(
                "2026-11-23 08:00:00 INFO part {i} {:x}\n",
                i.wrapping_mul(0x9e37_79b9_7f4a_7c15)
            )
            .as_bytes(),
        )
        .unwrap();
    }
    let mut cut = gz.finish().unwrap();
    cut.truncate(cut.len() / 2);
    let binary: Vec<u8> = (0..20_000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(
            format!("2026-11-23 08:00:00 start\n2026-11-23 09:00:12 {EXPIRED}\n")
                .encode_utf16()
                .flat_map(u16::to_le_bytes),
        )
        .collect();
    for (name, data, want_code, kinds) in [
        ("cut.log.gz", cut, 2, vec!["cut-short"]),
        ("core", binary, 2, vec!["not-text"]),
        ("utf16.log", utf16, 1, vec![]),
    ] {
        let path = home.write(name, &data);
        let out = home
            .cmd()
            .args(["triage", "--output", "json", "--log"])
            .arg(&path)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(want_code), "{name}");
        let r: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_valid(&v, &r, name);
        let got: Vec<&str> = r["notes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["kind"].as_str().unwrap())
            .collect();
        assert_eq!(got, kinds, "{name}");
    }
}
