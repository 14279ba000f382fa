//! Fleet audits against moto: `check --all-profiles` (every profile, concurrently, one deadline)
//! and `roles --min-session` (iam:ListRoles over a few hundred roles).

use crate::common::moto::Moto;
use crate::common::*;
use serde_json::Value;
use std::time::{Duration, Instant};

fn all_profiles(h: &Home, args: &[&str]) -> (Vec<Value>, i32, Duration) {
    let started = Instant::now();
    let out = h
        .cmd()
        .args(["check", "--all-profiles", "--output", "json", "--no-ntp"])
        .args(args)
        .output()
        .unwrap();
    let took = started.elapsed();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_no_secrets(&stdout);
    let v: Vec<Value> = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("{e}: {stdout}\n{}", String::from_utf8_lossy(&out.stderr)));
    (v, out.status.code().unwrap(), took)
}

fn by_profile<'a>(reports: &'a [Value], name: &str) -> &'a Value {
    reports
        .iter()
        .find(|r| r["credentials"]["profile"] == name)
        .unwrap_or_else(|| panic!("no report for profile {name}"))
}

#[test]
#[ignore = "needs scripts/test"]
fn every_profile_gets_its_own_verdict_and_exports_do_not_shadow_them() {
    let moto = Moto::shared();
    let role = moto.role("fleet-role", 3600);
    let (k, s) = moto.user("fleet-user", &[]);
    // Exported credentials: an audit judges each profile as a job selecting it would see it.
    let h = exported(Some(30)).endpoint(&moto.url);
    h.write(
        ".aws/config",
        format!(
            "[profile etl]\nrole_arn = {role}\nsource_profile = base\n\
             [profile job]\nrole_arn = {role}\nsource_profile = etl\nduration_seconds = 7200\n\
             [profile broken]\nrole_arn = {role}\n"
        ),
    );
    h.write(
        ".aws/credentials",
        format!("[base]\naws_access_key_id = {k}\naws_secret_access_key = {s}\n"),
    );
    let (reports, code, _) = all_profiles(&h, &["--expected-runtime", "6h"]);
    assert_eq!(code, 1);
    let names: Vec<&str> = reports
        .iter()
        .map(|r| r["credentials"]["profile"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["base", "broken", "etl", "job"]);
    assert_eq!(
        by_profile(&reports, "base")["credentials"]["source"],
        "shared-credentials"
    );
    assert_eq!(by_profile(&reports, "base")["verdict"], "pass");
    let etl = by_profile(&reports, "etl");
    assert_eq!(
        (
            etl["credentials"]["source"].as_str(),
            etl["verdict"].as_str()
        ),
        (Some("assume-role"), Some("pass"))
    );
    assert_eq!(etl["identity"]["role_name"], "fleet-role");
    assert_eq!(
        by_profile(&reports, "job")["verdict"],
        "fail",
        "chained and asking for 2h"
    );
    assert_eq!(by_profile(&reports, "broken")["verdict"], "fail");

    // The table: one row per profile, then who fails.
    let out = h
        .cmd()
        .args([
            "check",
            "--all-profiles",
            "--no-ntp",
            "--expected-runtime",
            "6h",
        ])
        .output()
        .unwrap();
    let table = String::from_utf8(out.stdout).unwrap();
    assert!(
        table.contains("profile") && table.contains("max session") && table.contains("verdict"),
        "{table}"
    );
    assert!(table.contains("1h (chained)"), "{table}");
    assert!(
        table
            .trim_end()
            .ends_with("FAIL: 2 of 4 profiles fail: broken, job"),
        "{table}"
    );
}

#[test]
#[ignore = "needs scripts/test"]
fn forty_sso_profiles_finish_within_the_timeout() {
    let moto = Moto::shared();
    let portal =
        stubs::sso_portal((chrono::Utc::now() + chrono::TimeDelta::hours(1)).timestamp_millis());
    let h = Home::new()
        .var("AWS_REGION", "us-east-1")
        .var("AWS_ENDPOINT_URL_SSO", &portal.url)
        .var("AWS_ENDPOINT_URL_STS", &moto.url)
        .var("AWS_ENDPOINT_URL_IAM", &moto.url);
    let mut config = String::from(
        "[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\n",
    );
    for i in 0..40 {
        config.push_str(&format!(
            "[profile team-{i:02}]\nsso_session = corp\nsso_account_id = 1234567890{:02}\nsso_role_name = Developer\n",
            i
        ));
    }
    h.write(".aws/config", config);
    // `printf %s corp | sha1sum`: the token cache of sso-session corp.
    h.write(
        ".aws/sso/cache/ee0bfd2552fbd840c02cc48b6e823320543c450f.json",
        format!(
            r#"{{"startUrl": "https://corp.awsapps.com/start", "region": "us-east-1", "accessToken": "{TOKEN}", "expiresAt": "{}", "refreshToken": "{TOKEN}", "clientId": "c", "clientSecret": "{SECRET}", "registrationExpiresAt": "{}"}}"#,
            rfc3339_in(120),
            rfc3339_in(60 * 24 * 30)
        ),
    );
    let (reports, _, took) = all_profiles(&h, &["--expected-runtime", "2h", "--timeout", "10s"]);
    assert!(took < Duration::from_millis(10_500), "{took:?}");
    assert_eq!(reports.len(), 40);
    for r in &reports {
        assert_eq!(r["credentials"]["source"], "sso", "{r}");
        assert_eq!(r["credentials"]["expiry_source"], "provider", "{r}");
        assert_eq!(r["checks"][0]["status"], "pass", "{r}");
    }
}

#[test]
fn no_profiles_is_an_error_not_an_empty_pass() {
    let out = Home::new()
        .cmd()
        .args(["check", "--all-profiles", "--offline"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .starts_with("error: --all-profiles: no profiles to check")
    );
}

#[test]
#[ignore = "needs scripts/test"]
fn roles_audit_over_hundreds_of_roles() {
    let moto = Moto::start(crate::common::moto::MotoOptions::default());
    moto.seed(&["roles", "short", "150", "3600"]);
    moto.seed(&["roles", "mid", "60", "21600"]);
    moto.seed(&["roles", "long", "80", "43200"]);
    moto.seed(&[
        "roles",
        "AWSReservedSSO_Team",
        "20",
        "43200",
        "/aws-reserved/sso.amazonaws.com/",
    ]);
    let (k, s) = moto.user("auditor", &[]);
    let h = Home::new()
        .endpoint(&moto.url)
        .var("AWS_ACCESS_KEY_ID", k)
        .var("AWS_SECRET_ACCESS_KEY", s);
    let out = h
        .cmd()
        .args(["roles", "--min-session", "6h", "--output", "json"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let a: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(a["roles_total"], 310, "every page was read");
    assert_eq!(a["too_short"].as_array().unwrap().len(), 150);
    assert_eq!(a["long_enough"], 140);
    assert_eq!(a["sso_reserved"].as_array().unwrap().len(), 20);
    assert_eq!(
        a["too_short"][0]["command"],
        "aws iam update-role --role-name short-0000 --max-session-duration 21600"
    );
    let out = h
        .cmd()
        .args(["roles", "--min-session", "4h"])
        .output()
        .unwrap();
    let table = String::from_utf8(out.stdout).unwrap();
    assert!(
        table.contains("Roles that cannot give a 4h session (150):"),
        "{table}"
    );
    assert!(table.contains("IAM Identity Center roles (20)"), "{table}");
    let out = h
        .cmd()
        .args(["roles", "--min-session", "1h", "--output", "markdown"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(
        String::from_utf8(out.stdout)
            .unwrap()
            .starts_with("### expiry-doctor roles: 0 of 310 roles")
    );
}

#[test]
#[ignore = "needs scripts/test"]
fn roles_without_list_permission_says_so() {
    let moto = Moto::start(crate::common::moto::MotoOptions {
        auth_after: Some(3),
        ..Default::default()
    });
    let (k, s) = moto.user("nolist", &["sts:GetCallerIdentity"]);
    let h = Home::new()
        .endpoint(&moto.url)
        .var("AWS_ACCESS_KEY_ID", k)
        .var("AWS_SECRET_ACCESS_KEY", s);
    let out = h
        .cmd()
        .args(["roles", "--min-session", "6h"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.starts_with("error: iam:ListRoles:") && err.contains("needs iam:ListRoles"),
        "{err}"
    );
}
