//! Live probes against real parts on loopback: moto's server for STS and IAM (started per test
//! binary by the harness), moto under libfaketime for a skewed AWS clock, and small stubs for
//! what moto cannot do (ExpiredToken, a silent endpoint, IMDSv2, the ECS endpoint).

use crate::common::moto::{Moto, MotoOptions};
use crate::common::*;
use std::time::{Duration, Instant};

fn keys(h: Home, key: &str, secret: &str) -> Home {
    h.var("AWS_ACCESS_KEY_ID", key)
        .var("AWS_SECRET_ACCESS_KEY", secret)
}

fn session(h: Home, c: &[String; 4]) -> Home {
    h.var("AWS_ACCESS_KEY_ID", &c[0])
        .var("AWS_SECRET_ACCESS_KEY", &c[1])
        .var("AWS_SESSION_TOKEN", &c[2])
}

const NO_NTP: &str = "--no-ntp";

#[test]
#[ignore = "needs scripts/test"]
fn long_term_user_keys_are_identified_and_pass() {
    let moto = Moto::shared();
    let (k, s) = moto.user("lt-user", &[]);
    let h = keys(Home::new().endpoint(&moto.url), &k, &s);
    let (r, code) = h.live_json(&["--expected-runtime", "6h", NO_NTP]);
    assert_eq!(code, 0, "{r}");
    assert_eq!(r["identity"]["type"], "user");
    assert_eq!(
        r["identity"]["arn"],
        "arn:aws:iam::123456789012:user/lt-user"
    );
    assert_eq!(r["identity"]["account"], "123456789012");
    assert_eq!(status(&r, "identity"), "pass");
    assert_eq!(
        summary(&r, "session-limit"),
        "no role: long-term IAM user keys"
    );
    assert_eq!(
        r["credentials"]["access_key_id"],
        format!("{}…{}", &k[..4], &k[k.len() - 4..])
    );
    assert!(
        r["clock"]["aws_offset_seconds"].as_f64().unwrap().abs() < 2.0,
        "{}",
        r["clock"]
    );
}

#[test]
#[ignore = "needs scripts/test"]
fn exported_assume_role_session_with_an_expiry_variable() {
    let moto = Moto::shared();
    let role = moto.role("exp-var-1h", 3600);
    let (k, s) = moto.user("exp-var-user", &[]);
    let c = moto.assume(&role, &k, &s, 3600);
    let h = session(Home::new().endpoint(&moto.url), &c).var("AWS_CREDENTIAL_EXPIRATION", &c[3]);
    let (r, code) = h.live_json(&["--expected-runtime", "6h", NO_NTP]);
    assert_eq!(code, 1, "{r}");
    assert_eq!(r["identity"]["type"], "assumed-role");
    assert_eq!(r["identity"]["role_name"], "exp-var-1h");
    assert_eq!(r["identity"]["session_name"], "job");
    assert_eq!(r["credentials"]["expires_at"], c[3]);
    assert_eq!(
        r["credentials"]["expiry_source"],
        "AWS_CREDENTIAL_EXPIRATION"
    );
    assert_eq!(r["session_limit"]["max_session_duration_seconds"], 3600);
    assert_eq!(
        r["session_limit"]["max_session_duration_source"],
        "get-role"
    );
    assert_eq!(status(&r, "expected-runtime"), "fail");
    assert!(summary(&r, "expected-runtime").starts_with("credentials expire at"));
}

#[test]
#[ignore = "needs scripts/test"]
fn exported_assume_role_session_without_expiry_is_bounded_by_max_session_duration() {
    let moto = Moto::shared();
    let role = moto.role("exp-novar-1h", 3600);
    let (k, s) = moto.user("exp-novar-user", &[]);
    let c = moto.assume(&role, &k, &s, 3600);
    let h = session(Home::new().endpoint(&moto.url), &c);
    let (r, code) = h.live_json(&["--expected-runtime", "6h", NO_NTP]);
    assert_eq!(code, 1, "{r}");
    assert_eq!(r["credentials"]["expires_at"], serde_json::Value::Null);
    let said = summary(&r, "expected-runtime");
    assert!(
        said.contains("at most 1h") && said.contains("exp-novar-1h's MaxSessionDuration"),
        "{said}"
    );
    // The fix names the real role, recovered from the caller identity.
    let fix = r["fixes"][0]["commands"][0].as_str().unwrap();
    assert!(
        fix.contains("role_arn = arn:aws:iam::123456789012:role/exp-novar-1h"),
        "{fix}"
    );

    // A 12 h role does not bound a 6 h job: the expiry stays unknown, a warning.
    let role12 = moto.role("exp-novar-12h", 43_200);
    let c = moto.assume(&role12, &k, &s, 3600);
    let (r, code) = session(Home::new().endpoint(&moto.url), &c).live_json(&[
        "--expected-runtime",
        "6h",
        NO_NTP,
    ]);
    assert_eq!((status(&r, "expected-runtime"), code), ("warn", 0), "{r}");
}

fn role_profile_home(moto: &Moto, role_arn: &str, key: &str, secret: &str, extra: &str) -> Home {
    let h = Home::new().endpoint(&moto.url).var("AWS_PROFILE", "etl");
    h.write(
        ".aws/config",
        format!("[profile etl]\nrole_arn = {role_arn}\nsource_profile = base\n{extra}"),
    );
    h.write(
        ".aws/credentials",
        format!("[base]\naws_access_key_id = {key}\naws_secret_access_key = {secret}\n"),
    );
    h
}

#[test]
#[ignore = "needs scripts/test"]
fn assume_role_profile_refreshes_with_the_providers_real_expiry() {
    let moto = Moto::shared();
    let role = moto.role("profile-12h", 43_200);
    let (k, s) = moto.user("profile-user", &[]);
    let h = role_profile_home(moto, &role, &k, &s, "");
    let (r, code) = h.live_json(&["--expected-runtime", "6h", NO_NTP]);
    assert_eq!(code, 0, "{r}");
    assert_eq!(r["credentials"]["source"], "assume-role");
    assert_eq!(r["credentials"]["auto_refresh"], true);
    assert_eq!(r["credentials"]["expiry_source"], "provider");
    let expires: chrono::DateTime<chrono::Utc> = r["credentials"]["expires_at"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let left = (expires - chrono::Utc::now()).num_minutes();
    assert!(
        (50..=61).contains(&left),
        "aws-config asks for the 1h default: {left} minutes"
    );
    assert_eq!(r["identity"]["role_name"], "profile-12h");
    assert_eq!(r["session_limit"]["max_session_duration_seconds"], 43_200);
    assert_eq!(status(&r, "expected-runtime"), "pass");
}

#[test]
#[ignore = "needs scripts/test"]
fn chained_profile_is_capped_and_refuses_two_hours() {
    let moto = Moto::shared();
    let hop = moto.role("chain-hop", 43_200);
    let job = moto.role("chain-job", 43_200);
    let (k, s) = moto.user("chain-user", &[]);
    let h = Home::new().endpoint(&moto.url).var("AWS_PROFILE", "job");
    h.write(
        ".aws/config",
        format!(
            "[profile hop]\nrole_arn = {hop}\nsource_profile = base\n\
             [profile job]\nrole_arn = {job}\nsource_profile = hop\nduration_seconds = 7200\n"
        ),
    );
    h.write(
        ".aws/credentials",
        format!("[base]\naws_access_key_id = {k}\naws_secret_access_key = {s}\n"),
    );
    let (r, code) = h.live_json(&["--expected-runtime", "6h", NO_NTP]);
    assert_eq!(code, 1, "{r}");
    assert_eq!(r["identity"]["role_name"], "chain-job");
    assert_eq!(r["session_limit"]["role_chaining"], true);
    assert_eq!(status(&r, "session-limit"), "fail");
    assert!(fix_ids(&r).contains(&"avoid-role-chaining".to_string()));
}

#[test]
#[ignore = "needs scripts/test"]
fn role_arn_planning_on_a_1h_and_a_12h_role() {
    let moto = Moto::shared();
    let short = moto.role("plan-1h", 3600);
    let long = moto.role("plan-12h", 43_200);
    let (k, s) = moto.user("plan-user", &[]);
    let h = keys(Home::new().endpoint(&moto.url), &k, &s);
    let (r, code) = h.live_json(&["--expected-runtime", "6h", "--role-arn", &short, NO_NTP]);
    assert_eq!(code, 1, "{r}");
    assert_eq!(r["session_limit"]["planned"], true);
    assert_eq!(r["session_limit"]["role_chaining"], false);
    assert!(
        summary(&r, "session-limit").starts_with("a session of plan-1h lasts at most 1h"),
        "{r}"
    );
    assert_eq!(
        r["fixes"][0]["commands"][0],
        "aws iam update-role --role-name plan-1h --max-session-duration 25200"
    );
    let (r, code) = h.live_json(&["--expected-runtime", "6h", "--role-arn", &long, NO_NTP]);
    assert_eq!((status(&r, "session-limit"), code), ("pass", 0), "{r}");
    assert_eq!(summary(&r, "session-limit"), "plan-12h: sessions up to 12h");
}

#[test]
#[ignore = "needs scripts/test"]
fn role_arn_planning_from_a_role_session_is_chained() {
    let moto = Moto::shared();
    let from = moto.role("plan-from", 43_200);
    let target = moto.role("plan-target", 43_200);
    let (k, s) = moto.user("plan-chain-user", &[]);
    let c = moto.assume(&from, &k, &s, 3600);
    let h = session(Home::new().endpoint(&moto.url), &c).var("AWS_CREDENTIAL_EXPIRATION", &c[3]);
    let (r, _) = h.live_json(&["--expected-runtime", "6h", "--role-arn", &target, NO_NTP]);
    assert_eq!(r["session_limit"]["role_chaining"], true, "{r}");
    assert_eq!(status(&r, "session-limit"), "fail");
    assert!(
        summary(&r, "session-limit").contains("chained (1h cap)"),
        "{}",
        summary(&r, "session-limit")
    );
}

#[test]
#[ignore = "needs scripts/test"]
fn get_role_denied_is_unknown_and_says_what_is_missing() {
    // moto's auth mode: IAM policies are enforced after the 4 seeding calls.
    let moto = Moto::start(MotoOptions {
        auth_after: Some(4),
        ..Default::default()
    });
    let role = moto.role("denied-role", 3600);
    let (k, s) = moto.user("limited", &["sts:GetCallerIdentity"]);
    let h = keys(Home::new().endpoint(&moto.url), &k, &s);
    let (r, code) = h.live_json(&["--expected-runtime", "6h", "--role-arn", &role, NO_NTP]);
    assert_eq!(code, 0, "{r}");
    assert_eq!(status(&r, "session-limit"), "skip", "{}", r["probes"]);
    let s = summary(&r, "session-limit");
    assert!(
        s.contains("iam:GetRole is not allowed") && s.contains("--max-session-duration"),
        "{s}"
    );
    assert_eq!(
        r["session_limit"]["max_session_duration_seconds"],
        serde_json::Value::Null
    );
    // Stating the limit instead makes the plan decidable.
    let (r, code) = h.live_json(&[
        "--expected-runtime",
        "6h",
        "--role-arn",
        &role,
        "--max-session-duration",
        "1h",
        NO_NTP,
    ]);
    assert_eq!((status(&r, "session-limit"), code), ("fail", 1), "{r}");

    // Unknown keys in auth mode: InvalidClientTokenId.
    let h = keys(Home::new().endpoint(&moto.url), LONG_TERM_KEY_ID, SECRET);
    let (r, code) = h.live_json(&[NO_NTP]);
    assert_eq!((status(&r, "identity"), code), ("fail", 1), "{r}");
    assert!(summary(&r, "identity").contains("InvalidClientTokenId"));
}

#[test]
#[ignore = "needs scripts/test"]
fn moto_under_faketime_gives_a_real_aws_clock_offset() {
    let moto = Moto::start(MotoOptions {
        faketime: Some("+600s"),
        ..Default::default()
    });
    let (k, s) = moto.user("clock-user", &[]);
    let h = keys(Home::new().endpoint(&moto.url), &k, &s);
    let (r, code) = h.live_json(&["--expected-runtime", "1h", NO_NTP]);
    let offset = r["clock"]["aws_offset_seconds"].as_f64().unwrap();
    assert!(
        (offset - 600.0).abs() < 3.0,
        "aws_offset_seconds = {offset}"
    );
    assert_eq!(status(&r, "clock-skew"), "fail");
    assert_eq!(code, 1);
    assert!(fix_ids(&r).contains(&"sync-clock".to_string()));
}

#[test]
fn an_expired_token_reply_fails_identity_and_expiration() {
    let stub = stubs::sts_expired_token();
    let h = exported(Some(30)).endpoint(&stub.url);
    let (r, code) = h.live_json(&["--expected-runtime", "1h", NO_NTP]);
    assert_eq!(code, 1, "{r}");
    assert_eq!(status(&r, "identity"), "fail");
    assert!(summary(&r, "identity").contains("ExpiredToken"));
    assert_eq!(status(&r, "expiration"), "fail");
    let probe = r["probes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["kind"] == "identity")
        .unwrap();
    assert_eq!(probe["error"]["class"], "expired-token");
    assert_eq!(probe["error"]["code"], "ExpiredToken");
}

#[test]
fn a_blackholed_sts_ends_within_the_timeout_with_a_valid_report() {
    let hole = stubs::blackhole();
    for output in ["json", "table"] {
        let h = exported(Some(600)).endpoint(&hole.url);
        let started = Instant::now();
        let out = h
            .cmd()
            .args([
                "check",
                "--expected-runtime",
                "1h",
                NO_NTP,
                "--timeout",
                "3s",
                "--output",
                output,
            ])
            .output()
            .unwrap();
        let took = started.elapsed();
        assert!(
            took < Duration::from_millis(3500),
            "{output}: took {took:?}"
        );
        let code = out.status.code().unwrap();
        assert!(code == 0 || code == 1, "{output}: exit {code}");
        let stdout = String::from_utf8(out.stdout).unwrap();
        if output == "json" {
            let r: serde_json::Value = serde_json::from_str(&stdout).unwrap();
            assert_eq!(status(&r, "identity"), "error");
            let s = summary(&r, "identity");
            assert!(s.contains(&hole.url) || s.contains("no answer"), "{s}");
            assert_ne!(r["verdict"], "pass");
        } else {
            assert!(stdout.contains(" !  identity"), "{stdout}");
        }
    }
}

#[test]
#[ignore = "needs scripts/test"]
fn the_instance_role_from_an_imdsv2_stub() {
    let moto = Moto::shared();
    let expires = rfc3339_in(50);
    let imds = stubs::imds("ec2-role", "ASIAIMDSSTUBKEYXWXYZ", expires.clone());
    let h = Home::new()
        .endpoint(&moto.url)
        .var("AWS_EC2_METADATA_DISABLED", "false")
        .var("AWS_EC2_METADATA_SERVICE_ENDPOINT", &imds.url);
    let (r, code) = h.live_json(&["--expected-runtime", "6h", NO_NTP]);
    assert_eq!(code, 0, "{r}");
    assert_eq!(r["credentials"]["source"], "instance-metadata");
    assert_eq!(r["credentials"]["auto_refresh"], true);
    assert_eq!(r["credentials"]["expires_at"], expires);
    assert_eq!(r["credentials"]["expiry_source"], "provider");
}

#[test]
#[ignore = "needs scripts/test"]
fn exported_credentials_shadowing_an_instance_role_point_at_it() {
    let moto = Moto::shared();
    let role = moto.role("shadow-1h", 3600);
    let (k, s) = moto.user("shadow-user", &[]);
    let c = moto.assume(&role, &k, &s, 3600);
    let imds = stubs::imds("ec2-role", "ASIAIMDSSTUBKEYXWXYZ", rfc3339_in(50));
    let h = session(Home::new().endpoint(&moto.url), &c)
        .var("AWS_CREDENTIAL_EXPIRATION", &c[3])
        .var("AWS_EC2_METADATA_DISABLED", "false")
        .var("AWS_EC2_METADATA_SERVICE_ENDPOINT", &imds.url);
    let (r, code) = h.live_json(&["--expected-runtime", "6h", NO_NTP]);
    assert_eq!(code, 1, "{r}");
    assert_eq!(
        r["credentials"]["shadowed_sources"],
        serde_json::json!(["instance-metadata"])
    );
    let first = r["fixes"][0]["commands"][0].as_str().unwrap();
    assert!(
        first.contains("credential_source = Ec2InstanceMetadata"),
        "{first}"
    );
    assert!(
        first.contains("role_arn = arn:aws:iam::123456789012:role/shadow-1h"),
        "{first}"
    );
}

#[test]
#[ignore = "needs scripts/test"]
fn the_task_role_from_an_ecs_endpoint_stub() {
    let moto = Moto::shared();
    let expires = rfc3339_in(45);
    let ecs = stubs::ecs("ASIAECSSTUBKEYXXWXYZ", expires.clone());
    let h = Home::new().endpoint(&moto.url).var(
        "AWS_CONTAINER_CREDENTIALS_FULL_URI",
        format!("{}/creds", ecs.url),
    );
    let (r, code) = h.live_json(&["--expected-runtime", "6h", NO_NTP]);
    assert_eq!(code, 0, "{r}");
    assert_eq!(r["credentials"]["source"], "container");
    assert_eq!(r["credentials"]["expires_at"], expires);
    assert_eq!(status(&r, "expected-runtime"), "pass");
}

#[test]
#[ignore = "needs scripts/test"]
fn without_a_region_the_report_says_sts_global() {
    let moto = Moto::shared();
    let (k, s) = moto.user("noregion-user", &[]);
    let h = keys(
        Home::new()
            .var("AWS_ENDPOINT_URL", &moto.url)
            .without("AWS_REGION"),
        &k,
        &s,
    );
    let (r, _) = h.live_json(&[NO_NTP]);
    assert_eq!(r["region"], "us-east-1");
    assert!(
        r["region_source"]
            .as_str()
            .unwrap()
            .contains("STS global endpoint"),
        "{r}"
    );
    assert_eq!(status(&r, "identity"), "pass");
    let (r, _) = h.live_json(&[NO_NTP, "--region", "eu-west-1"]);
    assert_eq!(
        (r["region"].as_str(), r["region_source"].as_str()),
        (Some("eu-west-1"), Some("--region"))
    );
}

#[test]
fn offline_opens_no_connection() {
    let hole = stubs::blackhole();
    let h = exported(Some(600)).endpoint(&hole.url);
    let started = Instant::now();
    let (r, _) = h.check_json(&["--timeout", "5s"]);
    assert!(started.elapsed() < Duration::from_secs(2));
    assert_eq!(r["probes"], serde_json::json!([]));
    assert_eq!(status(&r, "identity"), "skip");
}

#[test]
fn sts_errors_are_classified_by_their_code() {
    let cases: &[(u16, &str, &str, &str, &str)] = &[
        (
            403,
            "InvalidClientTokenId",
            "The security token included in the request is invalid.",
            "fail",
            "revoked",
        ),
        (
            403,
            "AccessDenied",
            "User is not authorized",
            "warn",
            "denied",
        ),
        (
            403,
            "SignatureDoesNotMatch",
            "Signature expired: 20261123T080000Z is now earlier than 20261123T080500Z (20261123T081000Z - 5 min.)",
            "fail",
            "clock",
        ),
        (
            400,
            "RequestExpired",
            "Request has expired.",
            "fail",
            "clock",
        ),
        (400, "Throttling", "Rate exceeded", "warn", "throttled"),
    ];
    for (status_code, code, message, want, words) in cases {
        let stub = stubs::sts_error(*status_code, code, message);
        let (r, _) =
            exported(Some(600))
                .endpoint(&stub.url)
                .live_json(&["--timeout", "4s", NO_NTP]);
        assert_eq!(status(&r, "identity"), *want, "{code}: {r}");
        let s = summary(&r, "identity");
        assert!(s.contains(words) && s.contains(code), "{code}: {s}");
    }
}

#[test]
fn a_refused_connection_is_an_error_naming_the_endpoint() {
    let port = crate::common::moto::free_port();
    let url = format!("http://127.0.0.1:{port}");
    let (r, code) = exported(Some(600))
        .endpoint(&url)
        .live_json(&["--timeout", "3s", NO_NTP]);
    assert_eq!((status(&r, "identity"), code), ("error", 0), "{r}");
    let s = summary(&r, "identity");
    assert!(
        s.contains(&url) && s.contains("could not be reached"),
        "{s}"
    );
}

/// Issue 17: an iam:GetRole reply with a MaxSessionDuration of -5 rendered "sessions up to
/// -5s" and session-limit passed. IAM allows 3600 to 43200 seconds; anything else is a probe
/// error stating the value is out of range (session-limit: error), never a pass, and never a
/// bound the expected-runtime check believes.
#[test]
fn an_out_of_range_max_session_duration_is_a_probe_error_never_a_pass() {
    for bad in [-5i64, 0, 3599, 43_201, 2_147_483_647] {
        let stub = stubs::sts_and_iam(bad);
        let (r, code) = exported(None).endpoint(&stub.url).live_json(&[
            "--expected-runtime",
            "1h",
            "--timeout",
            "5s",
            NO_NTP,
            "--sdk",
            "rust",
            "--fail-on",
            "warn",
        ]);
        assert_eq!(status(&r, "identity"), "pass", "{bad}: {r}");
        assert_eq!(status(&r, "session-limit"), "error", "{bad}: {r}");
        let said = summary(&r, "session-limit");
        assert!(
            said.contains(&format!(
                "MaxSessionDuration of {bad} s for etl, outside the 3600–43200 s IAM allows"
            )),
            "{bad}: {said}"
        );
        assert!(!said.contains("sessions up to"), "{bad}: {said}");
        assert_eq!(
            r["session_limit"]["max_session_duration_seconds"],
            serde_json::Value::Null
        );
        let probe = r["probes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["kind"] == "get-role")
            .unwrap();
        assert_eq!(
            probe["error"]["failure"]["kind"],
            "max-session-duration-out-of-range"
        );
        assert_eq!(probe["error"]["failure"]["seconds"], bad);
        // A broken probe is a warning verdict (exit 1 with --fail-on warn), never a pass.
        assert_eq!(
            (r["verdict"].as_str(), code),
            (Some("warn"), 1),
            "{bad}: {r}"
        );
    }
    // IAM's own bounds are believed.
    let stub = stubs::sts_and_iam(43_200);
    let (r, _) = exported(None).endpoint(&stub.url).live_json(&[
        "--expected-runtime",
        "1h",
        "--timeout",
        "5s",
        NO_NTP,
        "--sdk",
        "rust",
    ]);
    assert_eq!(status(&r, "session-limit"), "pass", "{r}");
    assert_eq!(r["session_limit"]["max_session_duration_seconds"], 43_200);

    // `roles` reads the same number from iam:ListRoles: a role above the range would have
    // counted as long enough.
    let stub = stubs::sts_and_iam(100_000);
    let out = exported(Some(600))
        .endpoint(&stub.url)
        .cmd()
        .args(["roles", "--min-session", "6h", "--timeout", "5s"])
        .output()
        .unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(
            "MaxSessionDuration of 100000 s for etl, outside the 3600–43200 s IAM allows"
        ),
        "{stderr}"
    );
}

/// Issue 17: the SSO portal sends an expiry as epoch milliseconds; one beyond the year 9999
/// (here the year ~287000, past chrono's range) crashed converting it. An expiry outside 1970
/// to 9999 is a probe error (credential-source: error), never a pass.
#[test]
fn a_provider_expiry_beyond_the_year_9999_is_a_probe_error() {
    let portal = stubs::sso_portal(9_000_000_000_000_000);
    let h = Home::new()
        .var("AWS_PROFILE", "dev")
        .var("AWS_ENDPOINT_URL_SSO", &portal.url)
        .var("AWS_ENDPOINT_URL_STS", "http://127.0.0.1:9");
    h.write(
        ".aws/config",
        "[profile dev]\nsso_session = corp\nsso_account_id = 123456789012\nsso_role_name = Developer\n\
         [sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\n",
    );
    // `printf %s corp | sha1sum`: the token cache of sso-session corp.
    h.write(
        ".aws/sso/cache/ee0bfd2552fbd840c02cc48b6e823320543c450f.json",
        format!(
            r#"{{"startUrl": "https://corp.awsapps.com/start", "region": "us-east-1", "accessToken": "{TOKEN}", "expiresAt": "{}"}}"#,
            rfc3339_in(120)
        ),
    );
    let (r, code) = h.live_json(&[
        "--expected-runtime",
        "1h",
        "--timeout",
        "5s",
        NO_NTP,
        "--fail-on",
        "warn",
    ]);
    assert_eq!(status(&r, "credential-source"), "error", "{r}");
    assert!(
        summary(&r, "credential-source").contains("expire outside the years 1970 to 9999"),
        "{r}"
    );
    assert_eq!((r["verdict"].as_str(), code), (Some("warn"), 1), "{r}");
}
