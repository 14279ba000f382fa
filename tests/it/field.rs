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
    let h = h
        .var("AWS_EC2_METADATA_DISABLED", "false")
        .var("AWS_EC2_METADATA_SERVICE_ENDPOINT", &hole.url)
        .var("AWS_ENDPOINT_URL", &hole.url);
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
