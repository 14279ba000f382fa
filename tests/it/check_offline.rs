//! `check --offline` end to end against fake homes: every credential source and expiry
//! dialect, the verdict and the fix a user gets for each of the issue's scenarios.

use crate::common::*;

#[test]
fn no_credentials_fail_and_say_how_to_configure_them() {
    let (r, code) = Home::new().check_json(&["--expected-runtime", "6h"]);
    assert_eq!(code, 1);
    assert_eq!(r["verdict"], "fail");
    assert_eq!(status(&r, "credential-source"), "fail");
    assert_eq!(r["credentials"]["source"], "none");
    assert_eq!(fix_ids(&r), ["configure-credentials"]);
}

#[test]
fn no_local_credentials_on_a_possible_ec2_host_is_a_warning_offline() {
    let h = Home::new().var("AWS_EC2_METADATA_DISABLED", "false");
    let (r, code) = h.check_json(&["--expected-runtime", "6h"]);
    assert_eq!((status(&r, "credential-source"), code), ("warn", 0));
    assert!(summary(&r, "credential-source").contains("--offline"));
}

#[test]
fn long_term_keys_pass() {
    let h = Home::new()
        .var("AWS_ACCESS_KEY_ID", LONG_TERM_KEY_ID)
        .var("AWS_SECRET_ACCESS_KEY", SECRET);
    let (r, code) = h.check_json(&["--expected-runtime", "6h"]);
    assert_eq!((r["verdict"].as_str().unwrap(), code), ("pass", 0));
    assert_eq!(r["credentials"]["temporary"], false);
    assert_eq!(r["credentials"]["access_key_id"], "AKIA…WXYZ");
    assert_eq!(status(&r, "expected-runtime"), "pass");
}

/// Each dialect, written the way its tool writes it, `minutes` from now.
fn dialects(minutes: i64) -> Vec<(&'static str, String)> {
    let t = chrono::Utc::now() + chrono::TimeDelta::minutes(minutes);
    // Asia/Kolkata: +05:30 all year, so the local wall clock is computable here.
    let kolkata = t + chrono::TimeDelta::minutes(330);
    vec![
        (
            "AWS_CREDENTIAL_EXPIRATION",
            t.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
        ),
        (
            "AWS_SESSION_EXPIRATION",
            t.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
        ),
        (
            "AWS_CREDENTIALS_EXPIRATION",
            t.format("%Y-%m-%dT%H:%M:%S+00:00").to_string(),
        ),
        (
            "AWS_SSO_SESSION_EXPIRATION",
            t.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string(),
        ),
        (
            "AWSUME_EXPIRATION",
            kolkata.format("%Y-%m-%dT%H:%M:%S").to_string(),
        ),
        ("AWS_OKTA_SESSION_EXPIRATION", t.timestamp().to_string()),
    ]
}

fn exported_with(var: &str, value: &str) -> Home {
    exported(None).var(var, value).var("TZ", "Asia/Kolkata")
}

#[test]
fn exported_session_credentials_expiring_in_30_minutes_fail_in_every_dialect() {
    for (var, value) in dialects(30) {
        let (r, code) = exported_with(var, &value).check_json(&["--expected-runtime", "6h"]);
        assert_eq!(code, 1, "{var}");
        assert_eq!(r["credentials"]["expiry_source"], var, "{var}");
        assert_eq!(status(&r, "expiration"), "pass", "{var}");
        assert_eq!(status(&r, "expected-runtime"), "fail", "{var}");
        assert!(
            summary(&r, "expected-runtime").contains("(in 30m)"),
            "{var}: {}",
            summary(&r, "expected-runtime")
        );
        assert_eq!(fix_ids(&r)[0], "use-refreshing-profile", "{var}");
    }
}

#[test]
fn exported_session_credentials_lasting_8_hours_pass_in_every_dialect() {
    for (var, value) in dialects(8 * 60) {
        let (r, code) = exported_with(var, &value).check_json(&["--expected-runtime", "6h"]);
        assert_eq!(
            (r["verdict"].as_str().unwrap(), code),
            ("pass", 0),
            "{var}: {r}"
        );
        assert_eq!(status(&r, "expected-runtime"), "pass", "{var}");
    }
}

#[test]
fn exported_session_credentials_expired_5_minutes_ago_fail_in_every_dialect() {
    for (var, value) in dialects(-5) {
        let (r, code) = exported_with(var, &value).check_json(&["--expected-runtime", "6h"]);
        assert_eq!(code, 1, "{var}");
        assert_eq!(status(&r, "expiration"), "fail", "{var}");
        let s = summary(&r, "expiration");
        // "(5m ago)" or, a second later, "(5m01s ago)".
        assert!(s.contains("(5m") && s.ends_with(" ago)"), "{var}: {s}");
        assert!(
            r["headline"]
                .as_str()
                .unwrap()
                .starts_with("FAIL: expiration: credentials expired at"),
            "{}",
            r["headline"]
        );
    }
}

#[test]
fn exported_credentials_without_expiry_warn_and_say_how_to_record_it() {
    let (r, code) = exported(None).check_json(&["--expected-runtime", "6h"]);
    assert_eq!((status(&r, "expected-runtime"), code), ("warn", 0));
    assert!(fix_ids(&r).contains(&"record-expiration".to_string()));
    let (_, code) = exported(None).check_json(&["--expected-runtime", "6h", "--fail-on", "warn"]);
    assert_eq!(code, 1);
}

#[test]
fn saml2aws_style_credentials_file() {
    let h = Home::new();
    h.write(
        ".aws/credentials",
        format!(
            "[saml]\naws_access_key_id = {KEY_ID}\naws_secret_access_key = {SECRET}\n\
             aws_session_token = {TOKEN}\nx_security_token_expires = {}\n",
            rfc3339_in(45)
        ),
    );
    let h = h.var("AWS_PROFILE", "saml");
    let (r, code) = h.check_json(&["--expected-runtime", "6h"]);
    assert_eq!(code, 1);
    assert_eq!(r["credentials"]["source"], "shared-credentials");
    assert_eq!(r["credentials"]["profile"], "saml");
    assert_eq!(
        r["credentials"]["expiry_source"],
        "x_security_token_expires"
    );
    assert_eq!(r["credentials"]["auto_refresh"], false);
    assert_eq!(status(&r, "expected-runtime"), "fail");
    let (r, code) = h.check_json(&["--expected-runtime", "30m"]);
    assert_eq!((status(&r, "expected-runtime"), code), ("pass", 0));
}

const ROLE: &str = "arn:aws:iam::123456789012:role/etl";

#[test]
fn assume_role_profile_from_long_term_keys_refreshes_and_passes() {
    let h = Home::new().var("AWS_PROFILE", "etl");
    h.write(
        ".aws/config",
        format!("[profile etl]\nrole_arn = {ROLE}\nsource_profile = base\n"),
    );
    h.write(
        ".aws/credentials",
        format!(
            "[base]\naws_access_key_id = {LONG_TERM_KEY_ID}\naws_secret_access_key = {SECRET}\n"
        ),
    );
    let (r, code) = h.check_json(&["--expected-runtime", "6h"]);
    assert_eq!((r["verdict"].as_str().unwrap(), code), ("pass", 0), "{r}");
    assert_eq!(r["credentials"]["source"], "assume-role");
    assert_eq!(r["credentials"]["auto_refresh"], true);
    assert_eq!(r["credentials"]["role_arn"], ROLE);
    assert_eq!(r["session_limit"]["role_name"], "etl");
    assert_eq!(r["session_limit"]["role_chaining"], false);
    assert_eq!(status(&r, "expected-runtime"), "pass");
}

#[test]
fn assume_role_profile_reads_the_aws_cli_cache_entry_for_its_role() {
    let h = Home::new().var("AWS_PROFILE", "etl");
    h.write(
        ".aws/config",
        format!("[profile etl]\nrole_arn = {ROLE}\nsource_profile = base\n"),
    );
    h.write(
        ".aws/credentials",
        format!(
            "[base]\naws_access_key_id = {LONG_TERM_KEY_ID}\naws_secret_access_key = {SECRET}\n"
        ),
    );
    // The file name botocore uses: sha1 of json.dumps({"RoleArn": ROLE}, sort_keys=True),
    // computed with CPython: python3 -c 'import json,hashlib; print(hashlib.sha1(json.dumps({"RoleArn": "arn:aws:iam::123456789012:role/etl"}, sort_keys=True).encode()).hexdigest())'
    let expires = rfc3339_in(40);
    h.write(
        ".aws/cli/cache/c2bbf6b13701d249de25ee17141564c118087d5a.json",
        format!(
            r#"{{"Credentials": {{"AccessKeyId": "{KEY_ID}", "SecretAccessKey": "{SECRET}", "SessionToken": "{TOKEN}", "Expiration": "{expires}"}}, "AssumedRoleUser": {{"Arn": "arn:aws:sts::123456789012:assumed-role/etl/botocore-session-1"}}}}"#
        ),
    );
    let (r, _) = h.check_json(&["--expected-runtime", "6h"]);
    assert_eq!(r["credentials"]["expiry_source"], "cli-cache", "{r}");
    assert_eq!(r["credentials"]["expires_at"], expires);
    assert_eq!(status(&r, "expected-runtime"), "pass");
}

#[test]
fn chained_profile_with_duration_seconds_7200_fails_session_limit() {
    let h = Home::new().var("AWS_PROFILE", "job");
    h.write(
        ".aws/config",
        "[profile hop]\nrole_arn = arn:aws:iam::123456789012:role/hop\nsource_profile = base\n\
         [profile job]\nrole_arn = arn:aws:iam::123456789012:role/job\nsource_profile = hop\nduration_seconds = 7200\n",
    );
    h.write(
        ".aws/credentials",
        format!(
            "[base]\naws_access_key_id = {LONG_TERM_KEY_ID}\naws_secret_access_key = {SECRET}\n"
        ),
    );
    let (r, code) = h.check_json(&["--expected-runtime", "6h"]);
    assert_eq!(code, 1);
    assert_eq!(r["session_limit"]["role_chaining"], true);
    assert_eq!(r["session_limit"]["configured_duration_seconds"], 7200);
    assert_eq!(status(&r, "session-limit"), "fail");
    assert!(summary(&r, "session-limit").contains("chained"));
    assert!(details(&r, "session-limit").contains("aws-config (Rust)"));
    let fixes = fix_ids(&r);
    assert!(
        fixes.contains(&"avoid-role-chaining".to_string()),
        "{fixes:?}"
    );
    let chain: Vec<&str> = r["profile_chain"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["profile"].as_str().unwrap())
        .collect();
    assert_eq!(chain, ["job", "hop", "base"]);
}

pub(crate) fn sso_home(token_expires_minutes: i64, refresh_token: bool) -> Home {
    let h = Home::new().var("AWS_PROFILE", "dev");
    h.write(
        ".aws/config",
        "[profile dev]\nsso_session = corp\nsso_account_id = 123456789012\nsso_role_name = Developer\nregion = us-east-1\n\
         [sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\nsso_registration_scopes = sso:account:access\n",
    );
    let refresh = if refresh_token {
        r#", "refreshToken": "SENTINEL-SESSION-TOKEN-do-not-print""#
    } else {
        ""
    };
    // The SSO token cache key for sso-session corp: `printf %s corp | sha1sum`.
    h.write(
        ".aws/sso/cache/ee0bfd2552fbd840c02cc48b6e823320543c450f.json",
        format!(
            r#"{{"startUrl": "https://corp.awsapps.com/start", "region": "us-east-1", "accessToken": "SENTINEL-SESSION-TOKEN-do-not-print", "expiresAt": "{}"{refresh}}}"#,
            rfc3339_in(token_expires_minutes)
        ),
    );
    h
}

#[test]
fn sso_profile_whose_cached_token_expired_fails_with_sso_login() {
    let h = sso_home(-30, false);
    let (r, code) = h.check_json(&["--expected-runtime", "6h"]);
    assert_eq!(code, 1, "{r}");
    assert_eq!(r["credentials"]["source"], "sso");
    assert_eq!(status(&r, "expiration"), "fail", "{r}");
    assert!(summary(&r, "expiration").contains("SSO access token expired"));
    assert_eq!(fix_ids(&r)[0], "sso-login");
    let fix = &r["fixes"][0]["commands"][0];
    assert_eq!(fix, "aws sso login --profile dev");
}

#[test]
fn sso_profile_never_logged_in_fails_with_sso_login() {
    let h = Home::new().var("AWS_PROFILE", "dev");
    h.write(
        ".aws/config",
        "[profile dev]\nsso_session = corp\nsso_account_id = 123456789012\nsso_role_name = Developer\n\
         [sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\n",
    );
    let (r, code) = h.check_json(&["--expected-runtime", "1h"]);
    assert_eq!(code, 1);
    assert!(summary(&r, "expiration").contains("no SSO token"));
    assert_eq!(fix_ids(&r)[0], "sso-login");
}

#[test]
fn sso_session_with_refresh_token_passes_a_short_job_and_warns_past_8_hours() {
    let h = sso_home(50, true);
    let (r, code) = h.check_json(&["--expected-runtime", "2h"]);
    assert_eq!((status(&r, "expected-runtime"), code), ("pass", 0), "{r}");
    let (r, _) = h.check_json(&["--expected-runtime", "10h"]);
    assert_eq!(status(&r, "expected-runtime"), "warn", "{r}");
    assert!(fix_ids(&r).contains(&"extend-sso-session".to_string()));
}

#[test]
fn legacy_sso_token_bounds_the_refresh() {
    let h = Home::new().var("AWS_PROFILE", "old");
    h.write(
        ".aws/config",
        "[profile old]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\n\
         sso_account_id = 123456789012\nsso_role_name = Developer\n",
    );
    // Legacy profiles key the token cache by the start URL:
    // `printf %s https://corp.awsapps.com/start | sha1sum`. No refresh token in legacy flows.
    h.write(
        ".aws/sso/cache/a51746d4aa793ae07b25e90c3a5db96fc7832bd7.json",
        format!(
            r#"{{"startUrl": "https://corp.awsapps.com/start", "region": "us-east-1", "accessToken": "{TOKEN}", "expiresAt": "{}"}}"#,
            rfc3339_in(120)
        ),
    );
    let (r, code) = h.check_json(&["--expected-runtime", "6h"]);
    assert_eq!(code, 1, "{r}");
    assert_eq!(r["sso"]["has_refresh_token"], false);
    assert_eq!(status(&r, "expiration"), "pass");
    assert_eq!(status(&r, "expected-runtime"), "fail");
    assert!(
        summary(&r, "expected-runtime").contains("can refresh only until"),
        "{}",
        summary(&r, "expected-runtime")
    );
    let (r, code) = h.check_json(&["--expected-runtime", "1h"]);
    assert_eq!((status(&r, "expected-runtime"), code), ("pass", 0), "{r}");
    assert_no_secrets(&r.to_string());
}

#[test]
fn sso_role_credentials_cached_by_the_cli_give_the_current_expiry() {
    let h = sso_home(50, true);
    // botocore's SSO credential cache key:
    // sha1(json.dumps({"accountId": ..., "roleName": ..., "sessionName": "corp"}, sort_keys=True, separators=(",", ":")))
    let expires = rfc3339_in(55);
    h.write(
        ".aws/cli/cache/5ff7ef65433a1f661637cbf499bb9f479b3d3f64.json",
        format!(
            r#"{{"ProviderType": "sso", "Credentials": {{"AccessKeyId": "{KEY_ID}", "SecretAccessKey": "{SECRET}", "SessionToken": "{TOKEN}", "Expiration": "{expires}"}}}}"#
        ),
    );
    let (r, _) = h.check_json(&["--expected-runtime", "2h"]);
    assert_eq!(r["credentials"]["expiry_source"], "cli-cache", "{r}");
    assert_eq!(r["credentials"]["expires_at"], expires);
    assert_eq!(r["credentials"]["access_key_id"], "ASIA…WXYZ");
}

#[test]
fn credential_process_expiring_in_20_minutes_is_refreshed_and_passes() {
    let h = Home::new().var("AWS_PROFILE", "proc");
    let out = format!(
        r#"{{"Version": 1, "AccessKeyId": "{KEY_ID}", "SecretAccessKey": "{SECRET}", "SessionToken": "{TOKEN}", "Expiration": "{}"}}"#,
        rfc3339_in(20)
    );
    let script = h.write(
        "bin/creds.sh",
        format!("#!/bin/sh\ncat <<'JSON'\n{out}\nJSON\n"),
    );
    h.write(
        ".aws/config",
        format!(
            "[profile proc]\ncredential_process = sh {}\n",
            script.display()
        ),
    );
    let (r, code) = h.check_json(&["--expected-runtime", "6h"]);
    assert_eq!(code, 0, "{r}");
    assert_eq!(r["credentials"]["source"], "credential-process");
    assert_eq!(r["credentials"]["expiry_source"], "credential-process");
    assert_eq!(r["credentials"]["auto_refresh"], true);
    assert!(
        summary(&r, "expiration").contains("(in 20m)"),
        "{}",
        summary(&r, "expiration")
    );
    assert_eq!(status(&r, "expected-runtime"), "pass");
    assert_no_secrets(&r.to_string());
}

#[test]
fn exported_credentials_shadowing_a_refreshing_profile_point_at_it() {
    let h = exported(Some(30)).var("AWS_PROFILE", "etl");
    h.write(
        ".aws/config",
        format!("[profile etl]\nrole_arn = {ROLE}\nsource_profile = base\n"),
    );
    h.write(
        ".aws/credentials",
        format!(
            "[base]\naws_access_key_id = {LONG_TERM_KEY_ID}\naws_secret_access_key = {SECRET}\n"
        ),
    );
    let (r, code) = h.check_json(&["--expected-runtime", "6h"]);
    assert_eq!(code, 1);
    assert_eq!(r["credentials"]["source"], "environment");
    assert_eq!(
        r["credentials"]["shadowed_sources"],
        serde_json::json!(["assume-role"])
    );
    let first = &r["fixes"][0];
    assert_eq!(first["id"], "use-refreshing-profile");
    assert_eq!(
        first["commands"],
        serde_json::json!([
            "unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN",
            "export AWS_PROFILE=etl"
        ])
    );
}

#[test]
fn the_table_reads_in_five_seconds() {
    let (out, code) = exported(Some(31)).check_table(&["--expected-runtime", "6h"]);
    assert_eq!(code, 1);
    assert!(out.contains(" ✗  expected-runtime"), "{out}");
    assert!(out.contains(" ✓  credential-source"), "{out}");
    assert!(out.contains(" –  identity"), "{out}");
    let last = out.lines().last().unwrap();
    assert!(last.starts_with("FAIL: credentials expire at "), "{last}");
    assert!(last.contains("(in 31m), the job needs until"), "{last}");
    assert!(out.contains("unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN"));
    assert!(!out.contains('\x1b'), "no colour when not a terminal");
    assert_no_secrets(&out);
}

#[test]
fn role_arn_and_max_session_duration_plan_a_role() {
    let h = Home::new()
        .var("AWS_ACCESS_KEY_ID", LONG_TERM_KEY_ID)
        .var("AWS_SECRET_ACCESS_KEY", SECRET);
    let (r, _) = h.check_json(&[
        "--expected-runtime",
        "14h",
        "--role-arn",
        ROLE,
        "--max-session-duration",
        "1h",
    ]);
    assert_eq!(r["session_limit"]["role_name"], "etl");
    assert_eq!(r["session_limit"]["max_session_duration_seconds"], 3600);
    assert_eq!(r["session_limit"]["max_session_duration_source"], "flag");
    assert_eq!(r["session_limit"]["planned"], true);
    // 14 h outlasts any session: the plan fails and says to split the job.
    assert_eq!(status(&r, "session-limit"), "fail");
    assert!(summary(&r, "session-limit").starts_with("a session of etl lasts at most 1h"));
    assert_eq!(fix_ids(&r), ["split-or-checkpoint-job"]);
    let (r, _) = h.check_json(&[
        "--expected-runtime",
        "6h",
        "--role-arn",
        ROLE,
        "--max-session-duration",
        "12h",
    ]);
    assert_eq!(status(&r, "session-limit"), "pass", "{r}");
}

#[test]
fn an_instance_role_source_is_not_chaining_but_temporary_keys_are() {
    // AWS: applications on EC2 that use the instance role are not subject to the chaining cap.
    // (Instance metadata enabled: with it disabled the profile has nothing to ask.)
    let h = Home::new()
        .var("AWS_PROFILE", "job")
        .var("AWS_EC2_METADATA_DISABLED", "false");
    h.write(
        ".aws/config",
        format!(
            "[profile job]\nrole_arn = {ROLE}\ncredential_source = Ec2InstanceMetadata\nduration_seconds = 7200\n\
             [profile saml-job]\nrole_arn = {ROLE}\nsource_profile = saml\nduration_seconds = 7200\n"
        ),
    );
    h.write(
        ".aws/credentials",
        format!("[saml]\naws_access_key_id = {KEY_ID}\naws_secret_access_key = {SECRET}\naws_session_token = {TOKEN}\n"),
    );
    let (r, _) = h.check_json(&["--expected-runtime", "1h"]);
    assert_eq!(r["session_limit"]["role_chaining"], false, "{r}");
    assert!(
        r["session_limit"]["chaining_reason"]
            .as_str()
            .unwrap()
            .contains("EC2 instance role")
    );
    assert_ne!(status(&r, "session-limit"), "fail");

    let (r, code) = h.check_json(&["--expected-runtime", "1h", "--profile", "saml-job"]);
    assert_eq!(r["session_limit"]["role_chaining"], true, "{r}");
    assert_eq!((status(&r, "session-limit"), code), ("fail", 1));
}

/// The review's broken helper (exit 127): the finding names the program the shell did not
/// find, the recommended fix is to repair the helper, and nothing is said about credentials
/// that do not exist.
#[test]
fn a_credential_process_the_shell_cannot_find_is_named_and_gets_its_fix() {
    let h = Home::new();
    h.write(
        ".aws/config",
        "[default]\ncredential_process = /nonexistent/helper --token-arg x\n",
    );
    let (r, code) = h.check_json(&["--expected-runtime", "6h", "--sdk", "rust"]);
    assert_eq!(code, 1, "{r}");
    let s = summary(&r, "credential-source");
    assert!(
        s.contains("127") && s.contains("/nonexistent/helper"),
        "{s}"
    );
    assert!(
        !s.contains("--token-arg"),
        "the helper's arguments are not echoed: {s}"
    );
    assert_eq!(r["fixes"][0]["id"], "repair-credential-process", "{r}");
    assert_eq!(r["fixes"][0]["recommended"], true, "{r}");
    for id in ["expiration", "expected-runtime", "session-limit"] {
        assert_eq!(status(&r, id), "skip", "{id}: {r}");
    }
}
