//! The verdict holds in the field: networks that drop traffic, checks that agree with each
//! other, and the configurations real jobs run with. Each test is named after the case it
//! keeps right; none needs moto (the endpoints are loopback stubs that never answer).

use crate::common::stubs;
use crate::common::*;
use std::time::{Duration, Instant};

/// The whole run ends within `--timeout` (3s) plus the half second the contract allows.
const LIMIT: Duration = Duration::from_millis(3500);

/// A machine whose network silently drops everything: instance metadata and every AWS
/// endpoint hang (loopback listeners that never answer).
fn dropping_network(h: Home) -> (Home, stubs::Stub) {
    let hole = stubs::blackhole();
    // No region either: the SDK asks instance metadata for one, and waits.
    let h = h
        .var("AWS_EC2_METADATA_DISABLED", "false")
        .var("AWS_EC2_METADATA_SERVICE_ENDPOINT", &hole.url)
        .var("AWS_ENDPOINT_URL", &hole.url)
        .without("AWS_REGION");
    (h, hole)
}

fn live(h: &Home, args: &[&str]) -> (serde_json::Value, i32) {
    let started = Instant::now();
    let out = h.live_json(&[&["--timeout", "3s", "--no-ntp"], args].concat());
    assert!(started.elapsed() < LIMIT, "took {:?}", started.elapsed());
    out
}

#[test]
fn exported_expiry_still_fails_the_gate_when_the_network_drops_traffic() {
    let (h, _hole) = dropping_network(exported(Some(30)));
    let (offline, code) = h.check_json(&["--expected-runtime", "6h"]);
    assert_eq!((offline["verdict"].as_str(), code), (Some("fail"), 1));
    let (r, code) = live(&h, &["--expected-runtime", "6h"]);
    // The expiry read from AWS_CREDENTIAL_EXPIRATION decides, whatever the network does.
    assert_eq!((r["verdict"].as_str(), code), (Some("fail"), 1), "{r}");
    assert_eq!(status(&r, "expiration"), "pass", "{r}");
    assert_eq!(status(&r, "expected-runtime"), "fail", "{r}");
    assert_eq!(
        summary(&r, "expected-runtime"),
        summary(&offline, "expected-runtime")
    );
    // What only the network could establish is "not verified", saying what it waited for.
    assert_eq!(status(&r, "credential-source"), "error", "{r}");
    assert!(
        summary(&r, "credential-source").contains("not verified"),
        "{}",
        summary(&r, "credential-source")
    );
    assert_eq!(status(&r, "identity"), "error", "{r}");
    assert!(
        summary(&r, "identity").contains("no answer"),
        "{}",
        summary(&r, "identity")
    );
}

#[test]
fn a_legacy_sso_profile_without_a_cached_token_fails_live_as_offline() {
    let h = Home::new().var("AWS_PROFILE", "old");
    h.write(
        ".aws/config",
        "[profile old]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\n\
         sso_account_id = 123456789012\nsso_role_name = Developer\n",
    );
    let (h, _hole) = dropping_network(h);
    let (offline, _) = h.check_json(&["--expected-runtime", "6h"]);
    assert_eq!(status(&offline, "expiration"), "fail");
    let (r, code) = live(&h, &["--expected-runtime", "6h"]);
    assert_eq!((r["verdict"].as_str(), code), (Some("fail"), 1), "{r}");
    assert_eq!(status(&r, "expiration"), "fail", "{r}");
    assert_eq!(status(&r, "credential-source"), "fail", "{r}");
    assert_eq!(fix_ids(&r)[0], "sso-login", "{r}");
}

#[test]
fn no_credentials_at_all_on_a_dropping_network_is_said_not_verified() {
    let (h, _hole) = dropping_network(Home::new());
    let (offline, code) = h.check_json(&["--expected-runtime", "6h"]);
    assert_eq!((status(&offline, "credential-source"), code), ("warn", 0));
    let (r, code) = live(&h, &["--expected-runtime", "6h"]);
    assert_eq!((status(&r, "credential-source"), code), ("error", 0), "{r}");
    let s = summary(&r, "credential-source");
    assert!(
        s.contains("no credentials found locally") && s.contains("not verified"),
        "{s}"
    );
}

#[test]
fn an_expired_sso_token_fails_the_source_and_the_expiration_alike() {
    let h = Home::new().var("AWS_PROFILE", "dev");
    h.write(
        ".aws/config",
        "[profile dev]\nsso_session = corp\nsso_account_id = 123456789012\nsso_role_name = Developer\nregion = us-east-1\n\
         [sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\n",
    );
    h.write(
        ".aws/sso/cache/ee0bfd2552fbd840c02cc48b6e823320543c450f.json",
        format!(
            r#"{{"startUrl": "https://corp.awsapps.com/start", "region": "us-east-1", "accessToken": "{TOKEN}", "expiresAt": "{}"}}"#,
            rfc3339_in(-30)
        ),
    );
    let (offline, _) = h.check_json(&["--expected-runtime", "1h"]);
    let (h, _hole) = dropping_network(h);
    let (r, code) = live(&h, &["--expected-runtime", "1h"]);
    assert_eq!(code, 1, "{r}");
    for report in [&offline, &r] {
        assert_eq!(status(report, "credential-source"), "fail", "{report}");
        assert_eq!(status(report, "expiration"), "fail", "{report}");
        assert_eq!(status(report, "expected-runtime"), "fail", "{report}");
        // Never "refreshed by the SDK" beside an expired token.
        assert!(!summary(report, "credential-source").contains("refreshed by the SDK"));
    }
}

#[test]
fn a_missing_web_identity_token_file_leaves_nothing_to_judge() {
    let h = Home::new()
        .var("AWS_WEB_IDENTITY_TOKEN_FILE", "/nonexistent/token")
        .var("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/ci");
    let (r, code) = h.check_json(&["--expected-runtime", "6h"]);
    assert_eq!(code, 1);
    assert_eq!(status(&r, "credential-source"), "fail", "{r}");
    // The credentials cannot be obtained: nothing says they last.
    assert_eq!(status(&r, "expiration"), "skip", "{r}");
    assert_eq!(status(&r, "expected-runtime"), "skip", "{r}");
}

#[test]
fn a_chained_profile_names_the_hop_that_supplies_the_session() {
    let h = Home::new().var("AWS_PROFILE", "job");
    h.write(
        ".aws/config",
        "[profile base]\nregion = us-east-1\n\
         [profile hop]\nrole_arn = arn:aws:iam::123456789012:role/hop\nsource_profile = base\n\
         [profile job]\nrole_arn = arn:aws:iam::123456789012:role/job\nsource_profile = hop\n",
    );
    h.write(
        ".aws/credentials",
        format!(
            "[base]\naws_access_key_id = {LONG_TERM_KEY_ID}\naws_secret_access_key = {SECRET}\n"
        ),
    );
    let (r, _) = h.check_json(&[]);
    let d = details(&r, "credential-source");
    assert!(
        d.contains("assumed with the session of arn:aws:iam::123456789012:role/hop (profile hop, itself assumed with static keys in profile base)"),
        "{d}"
    );
    assert_eq!(r["credentials"]["origin"]["base"]["profile"], "hop", "{r}");
}

#[test]
fn long_term_keys_have_no_role() {
    let h = Home::new()
        .var("AWS_ACCESS_KEY_ID", LONG_TERM_KEY_ID)
        .var("AWS_SECRET_ACCESS_KEY", SECRET);
    let (r, _) = h.check_json(&["--expected-runtime", "6h"]);
    assert_eq!(status(&r, "session-limit"), "skip");
    assert_eq!(
        summary(&r, "session-limit"),
        "no role: long-term IAM user keys"
    );
}

// ---------------------------------------------------------------------------------------------
// The cases real jobs hit.
// ---------------------------------------------------------------------------------------------

fn profile_home(profile: &str, config: &str) -> Home {
    let h = Home::new().var("AWS_PROFILE", profile);
    h.write(".aws/config", config);
    h.write(
        ".aws/credentials",
        format!(
            "[base]\naws_access_key_id = {LONG_TERM_KEY_ID}\naws_secret_access_key = {SECRET}\n"
        ),
    );
    h
}

#[test]
fn an_mfa_role_profile_fails_an_unattended_job_longer_than_one_session() {
    let h = profile_home(
        "job",
        "[profile job]\nrole_arn = arn:aws:iam::123456789012:role/etl\nsource_profile = base\n\
         mfa_serial = arn:aws:iam::123456789012:mfa/dev\n",
    );
    let (r, code) = h.check_json(&["--expected-runtime", "6h", "--sdk", "rust"]);
    assert_eq!((status(&r, "expected-runtime"), code), ("fail", 1), "{r}");
    assert!(
        summary(&r, "expected-runtime").contains("MFA"),
        "{}",
        summary(&r, "expected-runtime")
    );
    // Within one session it is fine (aws-config does not ask for the code)…
    let (r, code) = h.check_json(&["--expected-runtime", "30m", "--sdk", "rust"]);
    assert_eq!(code, 0, "{r}");
    // …while botocore asks for it on a terminal the job does not have: nothing at all.
    let (r, code) = h.check_json(&["--expected-runtime", "30m", "--sdk", "python"]);
    assert_eq!((status(&r, "credential-source"), code), ("fail", 1), "{r}");
    assert!(summary(&r, "credential-source").contains("EOFError"), "{r}");
}

/// A JWT whose payload says `exp` (and `iat`), signed by nobody.
fn jwt(iat: i64, exp: i64) -> String {
    use base64::Engine;
    let b64 = |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
    format!(
        "{}.{}.c2ln",
        b64(r#"{"alg":"RS256","typ":"JWT"}"#),
        b64(&format!(
            r#"{{"iat":{iat},"exp":{exp},"sub":"system:serviceaccount:jobs:etl"}}"#
        ))
    )
}

fn web_identity_home(minutes_left: i64) -> Home {
    let now = chrono::Utc::now().timestamp();
    let h = Home::new().var("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/ci");
    let token = h.write("token", jwt(now - 600, now + minutes_left * 60));
    h.var("AWS_WEB_IDENTITY_TOKEN_FILE", token.to_str().unwrap())
}

#[test]
fn an_expired_web_identity_token_fails() {
    let (r, code) = web_identity_home(-5).check_json(&["--expected-runtime", "1h"]);
    assert_eq!((status(&r, "credential-source"), code), ("fail", 1), "{r}");
    assert!(summary(&r, "credential-source").contains("expired"), "{r}");
    assert_eq!(r["web_identity"]["rotated_by"], serde_json::Value::Null);
}

#[test]
fn a_web_identity_token_that_ends_before_the_job_fails_unless_kubernetes_rotates_it() {
    let (r, code) = web_identity_home(30).check_json(&["--expected-runtime", "6h"]);
    assert_eq!((status(&r, "expected-runtime"), code), ("fail", 1), "{r}");
    assert_eq!(fix_ids(&r)[0], "renew-web-identity-token", "{r}");
    let (r, code) = web_identity_home(30)
        .var("KUBERNETES_SERVICE_HOST", "10.100.0.1")
        .check_json(&["--expected-runtime", "6h"]);
    assert_eq!((status(&r, "expected-runtime"), code), ("pass", 0), "{r}");
    assert_eq!(r["web_identity"]["rotated_by"], "kubelet");
}

#[test]
fn a_temporary_key_without_its_session_token_fails() {
    let h = Home::new()
        .var("AWS_ACCESS_KEY_ID", KEY_ID)
        .var("AWS_SECRET_ACCESS_KEY", SECRET);
    let (r, code) = h.check_json(&["--expected-runtime", "1h"]);
    assert_eq!((status(&r, "credential-source"), code), ("fail", 1), "{r}");
    assert!(
        summary(&r, "credential-source").contains("session token"),
        "{r}"
    );
}

#[test]
fn credential_source_is_read_as_aws_config_reads_it() {
    let base = Home::new();
    let with = |value: &str, vars: &[(&str, &str)]| {
        let mut h = profile_home(
            "job",
            &format!(
                "[profile job]\nrole_arn = arn:aws:iam::123456789012:role/etl\ncredential_source = {value}\n"
            ),
        );
        for (k, v) in vars {
            h.set(k, *v);
        }
        h.check_json(&["--expected-runtime", "1h", "--sdk", "rust"])
    };
    drop(base);
    // Case does not matter to aws-config.
    let (r, _) = with(
        "ec2instancemetadata",
        &[("AWS_EC2_METADATA_DISABLED", "false")],
    );
    assert_ne!(status(&r, "credential-source"), "fail", "{r}");
    assert_eq!(r["credentials"]["source"], "assume-role");
    // It does to botocore, which raises: a Python job gets nothing.
    let h = profile_home(
        "job",
        "[profile job]\nrole_arn = arn:aws:iam::123456789012:role/etl\ncredential_source = ec2instancemetadata\n",
    )
    .var("AWS_EC2_METADATA_DISABLED", "false");
    let (r, code) = h.check_json(&["--expected-runtime", "1h", "--sdk", "python"]);
    assert_eq!((status(&r, "credential-source"), code), ("fail", 1), "{r}");
    assert!(
        summary(&r, "credential-source").contains("case matters"),
        "{r}"
    );
    // A misspelt value, or a source with nothing behind it, is a configuration that fails.
    for (value, vars) in [
        (
            "Ec2InstanceMetadta",
            vec![("AWS_EC2_METADATA_DISABLED", "false")],
        ),
        ("Environment", vec![]),
        ("EcsContainer", vec![]),
        ("Ec2InstanceMetadata", vec![]),
    ] {
        let (r, code) = with(value, &vars);
        assert_eq!(
            (status(&r, "credential-source"), code),
            ("fail", 1),
            "{value}: {r}"
        );
    }
}

#[test]
fn an_invalid_profile_stops_the_chain() {
    for config in [
        "[profile job]\nrole_arn = arn:aws:iam::1:role/a\nsource_profile = loop\n\
         [profile loop]\nrole_arn = arn:aws:iam::1:role/b\nsource_profile = job\n",
        "[profile job]\nrole_arn = arn:aws:iam::1:role/a\nsource_profile = base\ncredential_source = Environment\n",
        "[profile job]\nrole_arn = arn:aws:iam::1:role/a\n",
        "[profile job]\nsso_start_url = https://x.awsapps.com/start\nsso_region = us-east-1\nsso_account_id = 123456789012\n",
    ] {
        let h = profile_home("job", config).var("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/creds");
        let (r, code) = h.check_json(&["--expected-runtime", "1h"]);
        assert_eq!(
            (status(&r, "credential-source"), code),
            ("fail", 1),
            "{config}: {r}"
        );
        // The SDKs raise; the container endpoint after the profile is never the winner.
        assert_ne!(r["credentials"]["source"], "container", "{config}: {r}");
    }
}

#[test]
fn an_sso_session_profile_without_account_and_role_is_not_a_credentials_source() {
    let h = profile_home(
        "login",
        "[profile login]\nsso_session = corp\n\
         [sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\n",
    )
    .var("AWS_EC2_METADATA_DISABLED", "true");
    let (r, code) = h.check_json(&[]);
    assert_eq!(
        (r["credentials"]["source"].as_str(), code),
        (Some("none"), 1),
        "{r}"
    );
}

#[test]
fn a_credential_process_that_hands_back_expired_credentials_fails() {
    let h = Home::new().var("AWS_PROFILE", "proc");
    let helper = h.write(
        "helper.sh",
        format!(
            "#!/bin/sh\necho '{{\"Version\": 1, \"AccessKeyId\": \"{KEY_ID}\", \"SecretAccessKey\": \"{SECRET}\", \"SessionToken\": \"{TOKEN}\", \"Expiration\": \"{}\"}}'\n",
            rfc3339_in(-10)
        ),
    );
    h.write(
        ".aws/config",
        format!(
            "[profile proc]\ncredential_process = sh {}\n",
            helper.display()
        ),
    );
    let (r, code) = h.check_json(&["--expected-runtime", "1h"]);
    assert_eq!(code, 1, "{r}");
    assert_eq!(status(&r, "expiration"), "fail", "{r}");
    assert_eq!(status(&r, "expected-runtime"), "fail", "{r}");
    assert!(
        details(&r, "expected-runtime").contains("hands back"),
        "{r}"
    );
}

#[test]
fn a_shadowed_credential_process_is_not_assumed_to_refresh() {
    let h = exported(Some(30)).var("AWS_PROFILE", "proc");
    h.write(
        ".aws/config",
        "[profile proc]\ncredential_process = /bin/false\n",
    );
    let (r, _) = h.check_json(&["--expected-runtime", "6h"]);
    assert_eq!(
        r["credentials"]["shadowed_profile"],
        serde_json::Value::Null,
        "{r}"
    );
    assert_ne!(fix_ids(&r)[0], "use-refreshing-profile-proc");
    let fix = &r["fixes"][0]["commands"];
    assert!(!fix.to_string().contains("AWS_PROFILE=proc"), "{fix}");
}

#[test]
fn eks_pod_identity_without_its_token_file_or_on_a_refused_host_fails() {
    let h = Home::new()
        .var(
            "AWS_CONTAINER_CREDENTIALS_FULL_URI",
            "http://169.254.170.23/v1/credentials",
        )
        .var(
            "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
            "/nonexistent/eks-pod-identity-token",
        );
    let (r, code) = h.check_json(&["--expected-runtime", "1h"]);
    assert_eq!((status(&r, "credential-source"), code), ("fail", 1), "{r}");
    assert!(
        summary(&r, "credential-source").contains("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"),
        "{r}"
    );
    let h = Home::new().var(
        "AWS_CONTAINER_CREDENTIALS_FULL_URI",
        "http://10.0.0.7/creds",
    );
    let (r, code) = h.check_json(&["--expected-runtime", "1h"]);
    assert_eq!((status(&r, "credential-source"), code), ("fail", 1), "{r}");
    for allowed in [
        "https://creds.example.com/x",
        "http://127.0.0.1:8080/creds",
        "http://[fd00:ec2::23]/creds",
    ] {
        let h = Home::new().var("AWS_CONTAINER_CREDENTIALS_FULL_URI", allowed);
        let (r, _) = h.check_json(&["--expected-runtime", "1h"]);
        assert_ne!(status(&r, "credential-source"), "fail", "{allowed}: {r}");
    }
}

#[test]
fn a_blank_aws_profile_selects_no_profile_as_aws_config_does() {
    let h = profile_home("  ", "[default]\nregion = us-east-1\n");
    h.write(
        ".aws/credentials",
        format!(
            "[default]\naws_access_key_id = {LONG_TERM_KEY_ID}\naws_secret_access_key = {SECRET}\n"
        ),
    );
    let (r, code) = h.check_json(&[]);
    // Not [default]: aws-config looks for a profile named "  "; botocore raises.
    assert_eq!(
        (r["credentials"]["source"].as_str(), code),
        (Some("none"), 1),
        "{r}"
    );
    let s = summary(&r, "credential-source");
    assert!(s.contains("AWS_PROFILE is set but blank"), "{s}");
}

#[test]
fn a_duration_that_is_not_a_number_is_ignored_not_no_credentials() {
    let h = profile_home(
        "job",
        "[profile job]\nrole_arn = arn:aws:iam::123456789012:role/etl\nsource_profile = base\nduration_seconds = 1h\n",
    );
    let (r, _) = h.check_json(&["--expected-runtime", "30m"]);
    assert_eq!(r["credentials"]["source"], "assume-role", "{r}");
    assert_eq!(status(&r, "credential-source"), "warn", "{r}");
    assert!(
        details(&r, "credential-source").contains("ignore it"),
        "{r}"
    );
}

#[test]
fn a_login_session_profile_says_it_needs_an_sdk_feature() {
    let h = profile_home(
        "console",
        "[profile console]\nlogin_session = arn:aws:iam::123456789012:user/dev\n",
    );
    // aws-config without its credentials-login feature (the default build) fails to build the
    // profile provider: a Rust job gets nothing either.
    let (r, code) = h.check_json(&["--expected-runtime", "30m", "--sdk", "rust"]);
    assert_eq!((status(&r, "credential-source"), code), ("fail", 1), "{r}");
    assert!(
        summary(&r, "credential-source").contains("credentials-login"),
        "{r}"
    );
    // botocore without its crt extra raises: a boto3 job gets nothing.
    let (r, code) = h.check_json(&["--expected-runtime", "30m", "--sdk", "python"]);
    assert_eq!((status(&r, "credential-source"), code), ("fail", 1), "{r}");
    assert!(
        summary(&r, "credential-source").contains("botocore[crt]"),
        "{r}"
    );
}
