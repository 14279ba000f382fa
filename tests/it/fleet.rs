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
    assert_eq!(out.status.code(), Some(2), "a usage error");
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .starts_with("error: --all-profiles: no profiles to check")
    );
}

/// `n` profiles `p00`, `p01`, … whose credential_process never answers.
fn hanging_profiles(h: &Home, n: usize) {
    let config: String = (0..n)
        .map(|i| format!("[profile p{i:02}]\ncredential_process = sleep 30\n"))
        .collect();
    h.write(".aws/config", config);
}

fn audit(h: &Home, args: &[&str]) -> (String, String, i32) {
    let out = h
        .cmd()
        .args(["check", "--all-profiles", "--offline"])
        .args(args)
        .output()
        .unwrap();
    (
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
        out.status.code().unwrap_or(-1),
    )
}

#[test]
fn profiles_the_deadline_leaves_unchecked_are_said_once() {
    // Eight helpers at a time: the first eight hang until the deadline, so the other twelve are
    // reached only after it, and are reported as not reached, once, not twelve times.
    let h = Home::new();
    hanging_profiles(&h, 20);
    let (table, _, code) = audit(&h, &["--timeout", "1s"]);
    assert_eq!(code, 0, "unchecked is a warning, not a failure: {table}");
    let lines: Vec<&str> = table
        .lines()
        .filter(|l| l.contains("not reached"))
        .collect();
    assert_eq!(lines.len(), 2, "one roll call and the summary: {table}");
    assert!(
        lines[0].starts_with("not reached within --timeout 1s: 12 profiles (p08, p09, p10,"),
        "{table}"
    );
    assert!(lines[0].contains("and 2 more"), "{table}");
    assert!(
        table
            .trim_end()
            .ends_with("WARN: 8 profiles checked, 8 with warnings, 12 not reached"),
        "{table}"
    );
    // The rows are the profiles judged; the hung ones name their helper's deadline.
    assert!(!table.contains("p19  "), "{table}");
    assert!(table.contains("p00: WARN"), "{table}");

    // JSON keeps one report per profile, each saying why it has no verdict of its own.
    let (json, _, _) = audit(&h, &["--timeout", "1s", "--output", "json"]);
    let reports: Vec<Value> = serde_json::from_str(&json).unwrap();
    assert_eq!(reports.len(), 20);
    let unreached: Vec<&Value> = reports
        .iter()
        .filter(|r| r["problems"][0]["kind"] == "not-reached")
        .collect();
    assert_eq!(unreached.len(), 12);
    assert_eq!(unreached[0]["checks"][0]["status"], "error");
    assert_eq!(
        unreached[0]["checks"][0]["summary"],
        "not checked: the audit ran out of time before this profile (--timeout 1s)"
    );

    // GitHub: one annotation for all of them.
    let (gh, _, _) = audit(&h, &["--timeout", "1s", "--output", "github"]);
    assert_eq!(gh.matches("not reached within").count(), 1, "{gh}");
}

#[test]
fn exported_keys_shadowing_every_profile_are_said_once_at_the_top() {
    let h = exported(Some(30));
    h.write(
        ".aws/credentials",
        format!(
            "[a]\naws_access_key_id = {LONG_TERM_KEY_ID}\naws_secret_access_key = x\n\
             [b]\naws_access_key_id = {LONG_TERM_KEY_ID}\naws_secret_access_key = y\n"
        ),
    );
    let (table, _, code) = audit(&h, &[]);
    assert_eq!(code, 0, "{table}");
    assert!(
        table.starts_with(
            "Note: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN are exported \
             here: a job started from this shell uses those credentials whatever profile \
             AWS_PROFILE selects"
        ),
        "{table}"
    );
    assert_eq!(table.matches("exported here").count(), 1, "{table}");
    let (md, _, _) = audit(&h, &["--output", "markdown"]);
    assert_eq!(md.matches("exported here").count(), 1, "{md}");
    let (gh, _, _) = audit(&h, &["--output", "github"]);
    assert!(
        gh.starts_with("::warning title=expiry-doctor::AWS_ACCESS_KEY_ID"),
        "{gh}"
    );
    assert_eq!(gh.matches("exported here").count(), 1, "{gh}");

    // Nothing exported, nothing said.
    let clean = Home::new();
    clean.write(
        ".aws/credentials",
        format!("[a]\naws_access_key_id = {LONG_TERM_KEY_ID}\naws_secret_access_key = x\n"),
    );
    let (table, _, _) = audit(&clean, &[]);
    assert!(!table.contains("exported"), "{table}");
}

#[test]
fn a_saved_audit_replays_one_profile_or_all() {
    let h = Home::new();
    h.write(
        ".aws/config",
        "[profile etl]\nrole_arn = arn:aws:iam::123456789012:role/etl\nsource_profile = base\n\
         duration_seconds = 7200\n[profile lost]\nrole_arn = arn:aws:iam::123456789012:role/x\n",
    );
    h.write(
        ".aws/credentials",
        format!("[base]\naws_access_key_id = {LONG_TERM_KEY_ID}\naws_secret_access_key = x\n"),
    );
    let (saved, _, code) = audit(&h, &["--output", "json", "--expected-runtime", "6h"]);
    assert_eq!(code, 1, "{saved}");
    let file = h.write("audit.json", &saved);
    let file = file.to_str().unwrap();

    // The whole audit replays to the same reports.
    let (replayed, _, code) = audit(&h, &["--output", "json", "--facts", file]);
    assert_eq!(code, 1);
    assert_eq!(
        serde_json::from_str::<Value>(&replayed).unwrap(),
        serde_json::from_str::<Value>(&saved).unwrap()
    );

    // One profile of it.
    let saved_reports: Vec<Value> = serde_json::from_str(&saved).unwrap();
    let (one, code) = h.check_json(&["--facts", file, "--profile", "etl"]);
    assert_eq!(&one, by_profile(&saved_reports, "etl"));
    assert_eq!(code, i32::from(one["verdict"] == "fail"));

    // Without a profile, or with one it does not hold: a usage error that says what to do.
    let out = h.cmd().args(["check", "--facts", file]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("is an --all-profiles audit of 3 profiles: pick one with --profile NAME (base, etl, lost)"),
        "{err}"
    );
    let out = h
        .cmd()
        .args(["check", "--facts", file, "--profile", "nope"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("holds no report of profile nope"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn the_audit_honours_quiet_verbose_and_color() {
    let h = Home::new();
    h.write(
        ".aws/config",
        "[profile lost]\nrole_arn = arn:aws:iam::123456789012:role/x\n",
    );
    h.write(
        ".aws/credentials",
        format!("[base]\naws_access_key_id = {LONG_TERM_KEY_ID}\naws_secret_access_key = x\n"),
    );
    let (quiet, _, code) = audit(&h, &["--quiet"]);
    assert_eq!(code, 1);
    assert_eq!(quiet, "FAIL: 1 of 2 profiles fail: lost\n");

    let (plain, _, _) = audit(&h, &[]);
    let (verbose, _, _) = audit(&h, &["--verbose"]);
    assert!(!plain.contains("── profile"), "{plain}");
    assert!(verbose.contains("── profile lost ──"), "{verbose}");
    assert!(
        !verbose.contains("── profile base ──"),
        "passing profiles stay one row"
    );
    assert!(
        verbose.contains("✗  credential-source  no credentials: profile lost"),
        "{verbose}"
    );

    let (color, _, _) = audit(&h, &["--color", "always"]);
    assert!(color.contains("\x1b["), "{color:?}");
    assert!(!plain.contains('\x1b'), "{plain:?}");
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
    // A 6h role leaves no room for the 5m margin, as `check --expected-runtime 6h` says too.
    assert_eq!(a["too_short"].as_array().unwrap().len(), 210);
    assert_eq!(a["long_enough"], 80);
    assert_eq!(a["sso_reserved"].as_array().unwrap().len(), 20);
    assert_eq!(
        a["too_short"][0]["command"],
        "aws iam update-role --role-name short-0000 --max-session-duration 25200"
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
        .args(["roles", "--min-session", "55m", "--output", "markdown"])
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
