//! Bad input from the environment: broken files, garbage caches, hostile helpers, odd homes.
//! Each gets a finding that names what could not be read, never a panic, never a silent pass.

use crate::common::*;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

#[test]
fn an_unparseable_config_file_fails_credential_source_naming_file_and_line() {
    let h = exported(Some(600));
    let config = h.write(
        ".aws/config",
        "[profile ok]\nregion = us-east-1\n[profile broken\nregion = x\n",
    );
    let (r, code) = h.check_json(&["--expected-runtime", "1h"]);
    assert_eq!(
        code, 1,
        "a broken config is the environment's fault: exit 1, not 2"
    );
    assert_eq!(status(&r, "credential-source"), "fail");
    let s = summary(&r, "credential-source");
    assert!(s.contains(&format!("{} line 3", config.display())), "{s}");
    assert_eq!(fix_ids(&r)[0], "repair-config");
}

#[test]
fn an_unparseable_credentials_file_is_named_too() {
    let h = Home::new();
    let creds = h.write(".aws/credentials", "aws_access_key_id = AKIA\n");
    let (r, code) = h.check_json(&[]);
    assert_eq!(code, 1);
    let s = summary(&r, "credential-source");
    assert!(s.contains(&format!("{} line 1", creds.display())), "{s}");
}

#[test]
fn a_directory_in_place_of_the_config_file_is_named() {
    let h = exported(Some(600));
    std::fs::create_dir_all(h.path().join(".aws/config")).unwrap();
    h.settle();
    let (r, code) = h.check_json(&["--expected-runtime", "1h"]);
    assert_eq!(code, 1);
    let s = summary(&r, "credential-source");
    assert!(s.contains(".aws/config") && s.contains("directory"), "{s}");
}

#[test]
fn a_config_file_named_by_aws_config_file_that_is_missing_is_named() {
    // The SDKs read a missing file as empty, so this is a warning, not a broken config.
    let h = exported(Some(600)).var("AWS_CONFIG_FILE", "/nonexistent/expiry-doctor/config");
    let (r, code) = h.check_json(&["--expected-runtime", "1h"]);
    assert_eq!((status(&r, "credential-source"), code), ("warn", 0));
    let d = details(&r, "credential-source");
    assert!(
        d.contains("/nonexistent/expiry-doctor/config: does not exist (named by AWS_CONFIG_FILE)"),
        "{d}"
    );
}

#[test]
fn an_unparseable_expiry_value_is_named_and_never_passes_silently() {
    let h = exported(None).var("AWS_CREDENTIAL_EXPIRATION", "next tuesday");
    // botocore raises on it (dateutil cannot parse it): a Python job gets nothing.
    let (r, code) = h.check_json(&["--expected-runtime", "6h", "--sdk", "python"]);
    assert_eq!((status(&r, "credential-source"), code), ("fail", 1), "{r}");
    // aws-config never reads it: the credentials are used, their end unknown.
    let (r, code) = h.check_json(&["--expected-runtime", "6h", "--sdk", "rust"]);
    assert_eq!(code, 0, "a warning, not a failure: {r}");
    assert_eq!(status(&r, "expiration"), "warn");
    let d = details(&r, "expiration");
    assert!(
        d.contains("AWS_CREDENTIAL_EXPIRATION: 'next tuesday' is not a timestamp"),
        "{d}"
    );
    assert_ne!(r["verdict"], "pass");
}

#[test]
fn a_garbage_cli_cache_entry_is_named() {
    let h = Home::new().var("AWS_PROFILE", "etl");
    h.write(
        ".aws/config",
        "[profile etl]\nrole_arn = arn:aws:iam::123456789012:role/etl\nsource_profile = base\n",
    );
    h.write(
        ".aws/credentials",
        format!(
            "[base]\naws_access_key_id = {LONG_TERM_KEY_ID}\naws_secret_access_key = {SECRET}\n"
        ),
    );
    let cache = h.write(
        ".aws/cli/cache/c2bbf6b13701d249de25ee17141564c118087d5a.json",
        b"\x00\xffnot json at all",
    );
    let (r, _) = h.check_json(&["--expected-runtime", "1h"]);
    assert_eq!(status(&r, "expiration"), "warn", "{r}");
    assert!(details(&r, "expiration").contains(&cache.display().to_string()));
}

#[test]
fn a_2_gb_sso_cache_file_is_not_read() {
    let h = Home::new().var("AWS_PROFILE", "dev");
    h.write(
        ".aws/config",
        "[profile dev]\nsso_session = corp\nsso_account_id = 123456789012\nsso_role_name = Developer\n\
         [sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\n",
    );
    let path = h.write(
        ".aws/sso/cache/ee0bfd2552fbd840c02cc48b6e823320543c450f.json",
        "",
    );
    // Sparse: 2 GB on paper, nothing on disk.
    std::fs::File::options()
        .write(true)
        .open(&path)
        .unwrap()
        .set_len(2 << 30)
        .unwrap();
    h.settle();
    let started = Instant::now();
    let (r, code) = h.check_json(&["--expected-runtime", "1h"]);
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(code, 1);
    let d = details(&r, "expiration");
    assert!(
        d.contains("2147483648 bytes") && d.contains("not read"),
        "{d}"
    );
}

fn process_home(script: &str) -> Home {
    let h = Home::new().var("AWS_PROFILE", "proc");
    let path = h.write("bin/helper.sh", script);
    h.write(
        ".aws/config",
        format!(
            "[profile proc]\ncredential_process = sh {}\n",
            path.display()
        ),
    );
    h
}

#[test]
fn a_hanging_credential_process_is_stopped_at_the_timeout() {
    let h = process_home("#!/bin/sh\nsleep 60\n");
    let started = Instant::now();
    let (r, code) = h.check_json(&["--expected-runtime", "1h", "--timeout", "1s"]);
    assert!(
        started.elapsed() < Duration::from_millis(2500),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(status(&r, "credential-source"), "error", "{r}");
    assert!(summary(&r, "credential-source").contains("did not finish"));
    assert_ne!(r["verdict"], "pass");
    assert_eq!(code, 0, "a broken probe is a warning");
}

#[test]
fn a_credential_process_that_exits_1_fails() {
    let h = process_home("#!/bin/sh\necho 'token expired' >&2\nexit 1\n");
    let (r, code) = h.check_json(&["--expected-runtime", "1h"]);
    assert_eq!(code, 1);
    assert_eq!(status(&r, "credential-source"), "fail");
    assert!(summary(&r, "credential-source").contains("exited with status 1"));
    assert!(
        !r.to_string().contains("token expired"),
        "its stderr is not echoed"
    );
}

#[test]
fn a_credential_process_that_prints_non_json_fails() {
    let h = process_home("#!/bin/sh\necho 'Please log in at https://sso.example.com'\n");
    let (r, code) = h.check_json(&["--expected-runtime", "1h"]);
    assert_eq!(code, 1);
    assert!(
        summary(&r, "credential-source").contains("not the credential_process JSON"),
        "{r}"
    );
}

#[test]
fn a_credential_process_without_expiration_is_never_refreshed() {
    let h = process_home(&format!(
        "#!/bin/sh\necho '{{\"Version\": 1, \"AccessKeyId\": \"{KEY_ID}\", \"SecretAccessKey\": \"{SECRET}\", \"SessionToken\": \"{TOKEN}\"}}'\n"
    ));
    let (r, _) = h.check_json(&["--expected-runtime", "6h"]);
    assert_eq!(r["credentials"]["auto_refresh"], false, "{r}");
    assert_eq!(status(&r, "expected-runtime"), "warn");
    assert_no_secrets(&r.to_string());
}

#[test]
fn an_empty_home_is_said_not_crashed_on() {
    let h = exported(Some(600));
    let out = h
        .cmd()
        .env("HOME", "")
        .args([
            "check",
            "--offline",
            "--output",
            "json",
            "--expected-runtime",
            "1h",
        ])
        .output()
        .unwrap();
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(status(&r, "credential-source"), "warn");
    assert!(
        details(&r, "credential-source").contains("HOME: is unset or empty"),
        "{r}"
    );
    let out = Home::new()
        .cmd()
        .env_remove("HOME")
        .args(["check", "--offline"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).is_empty());
}

#[test]
fn a_read_only_home_is_left_exactly_as_it_was_and_no_temp_files_appear() {
    use std::os::unix::fs::PermissionsExt;
    let h = process_home(&format!(
        "#!/bin/sh\necho '{{\"Version\": 1, \"AccessKeyId\": \"{KEY_ID}\", \"SecretAccessKey\": \"{SECRET}\", \"Expiration\": \"{}\"}}'\n",
        rfc3339_in(30)
    ));
    h.write(".aws/sso/cache/.keep", "");
    let tmp = tempfile::tempdir().unwrap();
    let before = snapshot(h.path());
    for (p, _, _) in &before {
        if p.is_dir() {
            std::fs::set_permissions(p, std::fs::Permissions::from_mode(0o555)).unwrap();
        }
    }
    std::fs::set_permissions(h.path(), std::fs::Permissions::from_mode(0o555)).unwrap();
    let out = h
        .cmd()
        .env("TMPDIR", tmp.path())
        .args(["check", "--offline", "--expected-runtime", "6h"])
        .output()
        .unwrap();
    std::fs::set_permissions(h.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert_eq!(snapshot(h.path()), before, "HOME changed");
    assert_eq!(
        std::fs::read_dir(tmp.path()).unwrap().count(),
        0,
        "a temp file appeared"
    );
}

#[test]
fn a_profile_loop_is_reported_not_followed() {
    let h = Home::new().var("AWS_PROFILE", "a");
    h.write(
        ".aws/config",
        "[profile a]\nrole_arn = arn:aws:iam::123456789012:role/a\nsource_profile = b\n\
         [profile b]\nrole_arn = arn:aws:iam::123456789012:role/b\nsource_profile = a\n",
    );
    let (r, code) = h.check_json(&[]);
    assert_eq!(code, 1);
    assert!(
        summary(&r, "credential-source").contains("a → b → a"),
        "{r}"
    );
}

#[test]
fn a_missing_profile_is_named_with_what_each_tool_does() {
    let h = exported(Some(600)).var("AWS_PROFILE", "nope");
    h.write(".aws/config", "[profile other]\nregion = us-east-1\n");
    // aws-config moves on to the exported keys: a warning.
    let (r, _) = h.check_json(&["--expected-runtime", "1h", "--sdk", "rust"]);
    assert_eq!(status(&r, "credential-source"), "warn");
    assert!(
        details(&r, "credential-source").contains("profile nope: does not exist"),
        "{r}"
    );
    // botocore raises ProfileNotFound before it reads the exported keys: a failure.
    let (r, code) = h.check_json(&["--expected-runtime", "1h", "--sdk", "python"]);
    assert_eq!((status(&r, "credential-source"), code), ("fail", 1), "{r}");
    assert!(
        summary(&r, "credential-source").contains("ProfileNotFound"),
        "{r}"
    );
    // Judged for both (the default), the worse verdict, and each SDK's answer.
    let (r, code) = h.check_json(&["--expected-runtime", "1h"]);
    assert_eq!((r["verdict"].as_str(), code), (Some("fail"), 1), "{r}");
    assert_eq!(r["sdk"], "python");
    let sdks: Vec<(&str, &str)> = r["sdks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["sdk"].as_str().unwrap(), s["verdict"].as_str().unwrap()))
        .collect();
    assert_eq!(sdks, [("python", "fail"), ("rust", "warn")]);
    assert!(
        r["headline"].as_str().unwrap().ends_with(
            "(for a Python job (botocore: boto3, the AWS CLI); a Rust job (aws-config): WARN)"
        ),
        "{r}"
    );
}

#[test]
fn incomplete_exports_are_warned_about() {
    let h = Home::new().var("AWS_ACCESS_KEY_ID", LONG_TERM_KEY_ID);
    let (r, code) = h.check_json(&[]);
    assert_eq!(code, 1, "nothing usable: {r}");
    assert!(
        details(&r, "credential-source").contains("AWS_SECRET_ACCESS_KEY is not"),
        "{r}"
    );
}

#[test]
fn the_harness_notices_a_changed_home_or_a_temp_file() {
    let changed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let h = Home::new();
        std::fs::write(h.path().join("written-behind-the-tests-back"), "x").unwrap();
    }));
    assert!(
        changed.is_err(),
        "a file written into HOME must fail the test"
    );
}

/// Issue 17: an epoch in microseconds (16 digits) was once read as milliseconds, and
/// `AWS_CREDENTIAL_EXPIRATION=1733000000000000` gave "PASS: credentials last until
/// +56886-08-01". Every reader shares one epoch rule (10 digits are seconds, 13 milliseconds,
/// 1970..=9999): the value is named as unparseable wherever it is read, and never passes.
#[test]
fn microsecond_epochs_are_named_as_unparseable_and_never_pass() {
    const MICROS: &str = "1733000000000000";
    // Exported: botocore raises on any epoch; aws-config's model reads the variable with the
    // shared rule and names it.
    let h = exported(None).var("AWS_CREDENTIAL_EXPIRATION", MICROS);
    for sdk in ["rust", "python", "any"] {
        let (r, _) = h.check_json(&["--expected-runtime", "1h", "--sdk", sdk]);
        assert_ne!(r["verdict"], "pass", "--sdk {sdk}: {r}");
        let said = r.to_string();
        assert!(
            said.contains(&format!(
                "AWS_CREDENTIAL_EXPIRATION: '{MICROS}' is not epoch seconds"
            )) || said.contains(&format!(
                "AWS_CREDENTIAL_EXPIRATION: = {MICROS} is not a date"
            )),
            "--sdk {sdk}: {r}"
        );
        assert!(!said.contains("56886"), "--sdk {sdk}: {r}");
        // botocore's words for it are one sentence, single-spaced (they were a string literal
        // broken across a line: "(an epoch is not                          one)").
        if sdk != "rust" {
            let words = summary(&r, "credential-source");
            assert!(
                words.contains("(an epoch is not one): it raises") && !words.contains("  "),
                "--sdk {sdk}: {words}"
            );
        }
    }
    let (r, _) = h.check_json(&["--expected-runtime", "1h", "--sdk", "rust"]);
    assert!(
        details(&r, "expiration").contains(&format!(
            "AWS_CREDENTIAL_EXPIRATION: '{MICROS}' is not epoch seconds (10 digits) or \
             milliseconds (13 digits) between 1970 and 9999"
        )),
        "{r}"
    );

    // In the credentials file, beside session keys.
    let h = Home::new().var("AWS_PROFILE", "saml");
    h.write(
        ".aws/credentials",
        format!(
            "[saml]\naws_access_key_id = {KEY_ID}\naws_secret_access_key = {SECRET}\n\
             aws_session_token = {TOKEN}\nx_security_token_expires = {MICROS}\n"
        ),
    );
    let (r, _) = h.check_json(&["--expected-runtime", "1h"]);
    assert_ne!(r["verdict"], "pass", "{r}");
    assert!(
        r.to_string()
            .contains(&format!("'{MICROS}' is not epoch seconds")),
        "{r}"
    );

    // Printed by a credential_process.
    let h = process_home(&format!(
        "printf '{{\"Version\":1,\"AccessKeyId\":\"{KEY_ID}\",\"SecretAccessKey\":\"{SECRET}\",\
         \"SessionToken\":\"{TOKEN}\",\"Expiration\":\"{MICROS}\"}}'\n"
    ));
    let (r, _) = h.check_json(&["--expected-runtime", "1h"]);
    assert_ne!(r["verdict"], "pass", "{r}");
    assert!(
        r.to_string().contains(&format!(
            "printed an Expiration that '{MICROS}' is not epoch seconds"
        )),
        "{r}"
    );
}

/// Issue 17: three of botocore's findings were string literals joined across a line without
/// a trailing `\`, so they read "…(an epoch is not                          one)…". Every
/// sentence is single-spaced.
#[test]
fn botocore_findings_are_not_broken_string_literals() {
    let cases = [
        exported(None).var("AWS_CREDENTIAL_EXPIRATION", "1733000000"),
        Home::new().var("AWS_ACCESS_KEY_ID", KEY_ID),
        Home::new()
            .var("AWS_ACCESS_KEY_ID", KEY_ID)
            .var("SECRET_ACCESS_KEY", SECRET),
    ];
    for h in cases {
        let (r, code) = h.check_json(&["--expected-runtime", "1h", "--sdk", "python"]);
        assert_eq!((status(&r, "credential-source"), code), ("fail", 1), "{r}");
        let said = summary(&r, "credential-source");
        assert!(
            said.contains("botocore") && !said.contains("  "),
            "double spaces: {said}"
        );
    }
}

/// A saved report with `field` (a JSON path) set to `value`, as a `--facts` file under `h`.
fn report_with(h: &Home, name: &str, path: &[&str], value: serde_json::Value) -> PathBuf {
    let (mut doc, _) = h.check_json(&["--expected-runtime", "1h"]);
    let (last, parents) = path.split_last().unwrap();
    let mut at = &mut doc;
    for p in parents {
        at = &mut at[*p];
    }
    at[*last] = value;
    h.write(name, serde_json::to_vec(&doc).unwrap())
}

/// `check --facts FILE` (table, the local zone): exit code and stderr.
fn replay(h: &Home, file: &Path) -> (i32, String) {
    let out = h
        .cmd()
        .args(["check", "--facts"])
        .arg(file)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// Issue 17: a saved report with `checked_at: "+262142-12-31T23:59:59Z"` panicked adding the
/// runtime to it, and an `expires_at` at chrono's limits panicked rendering its wall clock in
/// a zone east (or, before 1901, west) of UTC, `TZ=Pacific/Kiritimati`. Every date of a
/// replayed report must fall in 1970..=9999, like every other instant read: exit 2 naming the
/// file and the JSON path.
#[test]
fn facts_with_extreme_dates_are_refused_naming_the_json_path() {
    let h = exported(Some(600)).var("TZ", "Pacific/Kiritimati");
    let sso = |token_expires_at: &str| {
        serde_json::json!({
            "session_name": "corp", "start_url": "https://corp.awsapps.com/start",
            "account_id": "123456789012", "role_name": "Developer",
            "token_expires_at": token_expires_at, "has_refresh_token": false,
            "registration_expires_at": null, "cache_file": null, "token_found": true,
        })
    };
    let cases: Vec<(&[&str], serde_json::Value, &str)> = vec![
        (
            &["checked_at"],
            "+262142-12-31T23:59:59Z".into(),
            "checked_at",
        ),
        (
            &["credentials", "expires_at"],
            "+262142-12-31T23:59:59Z".into(),
            "credentials.expires_at",
        ),
        (
            &["credentials", "expires_at"],
            "-262143-01-01T00:00:00Z".into(),
            "credentials.expires_at",
        ),
        (
            &["credentials", "expires_at"],
            "+10000-01-01T00:00:00Z".into(),
            "credentials.expires_at",
        ),
        (
            &["credentials", "expires_at"],
            "1969-12-31T23:59:59Z".into(),
            "credentials.expires_at",
        ),
        (
            &["sso"],
            sso("+262142-12-31T23:59:59Z"),
            "sso.token_expires_at",
        ),
    ];
    for (i, (path, value, shown)) in cases.into_iter().enumerate() {
        let file = report_with(&h, &format!("extreme-{i}.json"), path, value.clone());
        let (code, stderr) = replay(&h, &file);
        assert_eq!(code, 2, "{shown} = {value}: {stderr}");
        assert_eq!(
            stderr.trim_end(),
            format!(
                "error: --facts {}: {shown}: a date outside the years 1970 to 9999",
                file.display()
            ),
            "{value}"
        );
    }
    // The last second of 9999 is a date: it renders, in UTC+14 (10000-01-01 on the wall).
    let file = report_with(
        &h,
        "9999.json",
        &["credentials", "expires_at"],
        "9999-12-31T23:59:59Z".into(),
    );
    let (code, stderr) = replay(&h, &file);
    assert_eq!(code, 0, "{stderr}");
}

/// Issue 17: a `--facts` error repeated the offending value in full (serde_json quotes it): a
/// 5 MB string in the error, or a secret pasted into a wrongly typed field. The file, the JSON
/// path and the expected type are said; the value never is.
#[test]
fn facts_errors_never_repeat_the_offending_value() {
    let h = exported(Some(600));
    let secret = format!("{SECRET}-").repeat(5 * 1024 * 1024 / SECRET.len());
    let cases: Vec<(&[&str], serde_json::Value, &str)> = vec![
        (
            &["credentials", "temporary"],
            secret.clone().into(),
            "credentials.temporary: invalid type: string, expected a boolean",
        ),
        (
            &["credentials", "source"],
            secret.clone().into(),
            "credentials.source: unknown variant, expected one of `none`, `environment`",
        ),
        (
            &["clock", "ntp_stratum"],
            serde_json::json!(-5),
            "clock.ntp_stratum: invalid value: integer, expected u8",
        ),
        (
            &["version"],
            secret.clone().into(),
            "version: expected the number 1",
        ),
    ];
    for (i, (path, value, want)) in cases.into_iter().enumerate() {
        let file = report_with(&h, &format!("typed-{i}.json"), path, value);
        let (code, stderr) = replay(&h, &file);
        assert_eq!(code, 2, "{want}: {}", &stderr[..stderr.len().min(300)]);
        assert!(
            stderr.len() < 400 && stderr.lines().count() == 1,
            "{want}: {} bytes: {}",
            stderr.len(),
            &stderr[..stderr.len().min(300)]
        );
        assert!(
            !stderr.contains(SECRET) && !stderr.contains("-5"),
            "{stderr}"
        );
        let head = format!("error: --facts {}: {want}", file.display());
        assert!(stderr.starts_with(&head), "got: {stderr}want: {head}");
    }
    // An audit's profile names are the file's too: a huge one is clipped.
    let one = report_with(
        &h,
        "one.json",
        &["credentials", "profile"],
        "p".repeat(5 << 20).into(),
    );
    let report: serde_json::Value = serde_json::from_slice(&std::fs::read(&one).unwrap()).unwrap();
    let audit = h.write(
        "audit.json",
        serde_json::to_vec(&serde_json::json!([report.clone(), report])).unwrap(),
    );
    let out = h
        .cmd()
        .args(["check", "--profile", "etl", "--facts"])
        .arg(&audit)
        .output()
        .unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr.contains("holds no report of profile etl"),
        "{}",
        &stderr[..300]
    );
    assert!(stderr.len() < 400, "{} bytes", stderr.len());
}
