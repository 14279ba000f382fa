//! The SDK oracles' loopback AWS (tests/support/oracle-protocol.md, "The stub"): STS, the IAM
//! Identity Center portal (SSO), SSO-OIDC and a container credentials endpoint, all at one
//! base URL, answering as a healthy AWS would, so that whether a job gets credentials depends
//! on its configuration alone. Both oracles use it: the botocore one (Python) and the
//! aws-config one (`examples/aws_config_oracle.rs`), so every reply is in the exact wire format
//! both SDKs parse, taken from the services' models as aws-sdk-sts 1.124, aws-sdk-sso 1.119 and
//! aws-sdk-ssooidc 1.121 (de)serialise them and as real replies recorded in smithy-rs's
//! aws-config test data look (STS: awsQuery XML; SSO and SSO-OIDC: restJson1, SSO's
//! `expiration` in epoch milliseconds; the container endpoint: the ECS agent's JSON).
//!
//! | request | answer |
//! |---|---|
//! | `POST /` form `Action=AssumeRole` | `AssumeRoleResponse`, key [`ASSUME_ROLE_KEY`], 1 h |
//! | `POST /` form `Action=AssumeRoleWithWebIdentity` | `AssumeRoleWithWebIdentityResponse`, key [`WEB_IDENTITY_KEY`], 1 h |
//! | `POST /` form `Action=GetCallerIdentity` | `GetCallerIdentityResponse` |
//! | `GET /federation/credentials?…` with `x-amz-sso_bearer_token` | `GetRoleCredentials` JSON, key [`SSO_KEY`], 1 h |
//! | `POST /token` | `CreateToken` JSON: [`SSO_ACCESS_TOKEN`] for 8 h, [`SSO_REFRESH_TOKEN`] |
//! | `GET /container…` | container credentials JSON, key [`CONTAINER_KEY`], 1 h |
//! | anything else | 404 |
//!
//! Secrets and session tokens are the suite's sentinels (`SECRET`, `TOKEN`), so that a report
//! or an outcome that prints one is caught. Expirations are computed at each request.

use super::stubs::{self, Request, Response, Stub};
use serde_json::Value;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

/// The key AssumeRole issues.
pub const ASSUME_ROLE_KEY: &str = "ASIASTUBASSUMEROLE01";
/// The key AssumeRoleWithWebIdentity issues.
pub const WEB_IDENTITY_KEY: &str = "ASIASTUBWEBIDENTITY1";
/// SSO access tokens whose value starts so are expired: the portal refuses them.
pub const EXPIRED_TOKEN_PREFIX: &str = "expired-";
/// The key SSO's GetRoleCredentials issues.
pub const SSO_KEY: &str = "ASIASTUBSSOROLECRED1";
/// The key the container endpoint issues.
pub const CONTAINER_KEY: &str = "ASIASTUBCONTAINER001";
/// The account of every identity the stub makes up (when a role ARN names none).
pub const ACCOUNT: &str = "123456789012";
/// The access token SSO-OIDC's CreateToken issues, and its refresh token.
pub const SSO_ACCESS_TOKEN: &str = "stub-sso-access-token";
pub const SSO_REFRESH_TOKEN: &str = "stub-sso-refresh-token";
/// How long issued role credentials last.
pub const CREDENTIALS_LIFETIME_SECS: i64 = 3600;
/// How long an access token from CreateToken lasts.
pub const SSO_TOKEN_LIFETIME_SECS: i64 = 8 * 3600;

/// What a request to the stub is, by the table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Call {
    AssumeRole,
    AssumeRoleWithWebIdentity,
    GetCallerIdentity,
    GetRoleCredentials,
    CreateToken,
    Container,
    /// Answered 404.
    Other,
}

/// The stub, serving, and every request it got (method, path and what it was), in order.
pub struct SdkStub {
    pub stub: Stub,
    pub url: String,
    log: Arc<Mutex<Vec<(String, String, Call)>>>,
}

impl SdkStub {
    /// The calls so far, in order.
    pub fn calls(&self) -> Vec<Call> {
        self.log
            .lock()
            .unwrap()
            .iter()
            .map(|(_, _, c)| *c)
            .collect()
    }

    /// `METHOD path` of every request so far, in order.
    pub fn requests(&self) -> Vec<String> {
        self.log
            .lock()
            .unwrap()
            .iter()
            .map(|(m, p, _)| format!("{m} {p}"))
            .collect()
    }

    /// Forgets the requests so far.
    pub fn clear(&self) {
        self.log.lock().unwrap().clear();
    }
}

/// Starts the stub on a free loopback port (it serves until the test process ends).
pub fn start() -> SdkStub {
    let log = Arc::new(Mutex::new(Vec::new()));
    let seen = log.clone();
    let stub = stubs::http(move |req| {
        let call = classify(req);
        seen.lock()
            .unwrap()
            .push((req.method.clone(), req.path.clone(), call));
        answer(req)
    });
    SdkStub {
        url: stub.url.clone(),
        stub,
        log,
    }
}

/// Which row of the table `req` is.
pub fn classify(req: &Request) -> Call {
    let path = req.path.as_str();
    match req.method.as_str() {
        "POST" if path == "/" || path.starts_with("/?") => {
            match form(&req.body).get("Action").map(String::as_str) {
                Some("AssumeRole") => Call::AssumeRole,
                Some("AssumeRoleWithWebIdentity") => Call::AssumeRoleWithWebIdentity,
                Some("GetCallerIdentity") => Call::GetCallerIdentity,
                _ => Call::Other,
            }
        }
        "POST" if path == "/token" => Call::CreateToken,
        "GET"
            if (path == "/federation/credentials"
                || path.starts_with("/federation/credentials?"))
                && req.header("x-amz-sso_bearer_token").is_some() =>
        {
            Call::GetRoleCredentials
        }
        "GET" if path.starts_with("/container") => Call::Container,
        _ => Call::Other,
    }
}

/// The stub's reply to `req`.
pub fn answer(req: &Request) -> Response {
    let params = form(&req.body);
    let param = |k: &str| params.get(k).map(String::as_str);
    match classify(req) {
        Call::AssumeRole => sts(
            "AssumeRole",
            &assume_role_result(
                ASSUME_ROLE_KEY,
                param("RoleArn"),
                param("RoleSessionName"),
                "<PackedPolicySize>6</PackedPolicySize>\n",
            ),
        ),
        Call::AssumeRoleWithWebIdentity => sts(
            "AssumeRoleWithWebIdentity",
            &assume_role_result(
                WEB_IDENTITY_KEY,
                param("RoleArn"),
                param("RoleSessionName"),
                &format!(
                    "<SubjectFromWebIdentityToken>system:serviceaccount:default:stub</SubjectFromWebIdentityToken>\n\
                     <Audience>sts.amazonaws.com</Audience>\n\
                     <Provider>arn:aws:iam::{ACCOUNT}:oidc-provider/oidc.stub.example</Provider>\n"
                ),
            ),
        ),
        Call::GetCallerIdentity => {
            let (user_id, arn) = caller(req);
            sts(
                "GetCallerIdentity",
                &format!(
                    "<UserId>{}</UserId>\n<Account>{}</Account>\n<Arn>{}</Arn>\n",
                    xml(&user_id),
                    xml(account_of(&arn)),
                    xml(&arn)
                ),
            )
        }
        // The portal refuses an expired access token (the scenarios name theirs `expired-…`:
        // the stub cannot read the cache file's expiresAt).
        Call::GetRoleCredentials
            if req
                .header("x-amz-sso_bearer_token")
                .is_some_and(|t| t.starts_with(EXPIRED_TOKEN_PREFIX)) =>
        {
            let mut r =
                Response::status(401, r#"{"message":"Session token not found or invalid"}"#);
            r.headers
                .push(("x-amzn-ErrorType", "UnauthorizedException".into()));
            r
        }
        Call::GetRoleCredentials => json(serde_json::json!({
            "roleCredentials": {
                "accessKeyId": SSO_KEY,
                "secretAccessKey": super::SECRET,
                "sessionToken": super::TOKEN,
                "expiration": (now() + secs(CREDENTIALS_LIFETIME_SECS)).timestamp_millis(),
            }
        })),
        Call::CreateToken => json(serde_json::json!({
            "accessToken": SSO_ACCESS_TOKEN,
            "tokenType": "Bearer",
            "expiresIn": SSO_TOKEN_LIFETIME_SECS,
            "refreshToken": SSO_REFRESH_TOKEN,
        })),
        Call::Container => json(serde_json::json!({
            "RoleArn": format!("arn:aws:iam::{ACCOUNT}:role/stub-task-role"),
            "AccessKeyId": CONTAINER_KEY,
            "SecretAccessKey": super::SECRET,
            "Token": super::TOKEN,
            "Expiration": rfc3339(now() + secs(CREDENTIALS_LIFETIME_SECS)),
        })),
        Call::Other => Response::status(404, ""),
    }
}

fn now() -> chrono::DateTime<chrono::Utc> {
    chrono::Utc::now()
}

fn secs(n: i64) -> chrono::TimeDelta {
    chrono::TimeDelta::seconds(n)
}

/// STS's timestamp format (`2026-01-01T00:00:00Z`).
fn rfc3339(t: chrono::DateTime<chrono::Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// A request id, as every AWS reply carries (`x-amzn-RequestId`).
fn request_id() -> String {
    static N: AtomicU64 = AtomicU64::new(1);
    format!(
        "5708a5e0-0000-4000-8000-{:012x}",
        N.fetch_add(1, Ordering::Relaxed)
    )
}

/// An awsQuery reply: `<{action}Response>` with `<{action}Result>` holding `result`.
fn sts(action: &str, result: &str) -> Response {
    let id = request_id();
    Response::ok(
        "text/xml",
        format!(
            "<{action}Response xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\n\
             <{action}Result>\n{result}</{action}Result>\n\
             <ResponseMetadata>\n<RequestId>{id}</RequestId>\n</ResponseMetadata>\n\
             </{action}Response>\n"
        ),
    )
    .header("x-amzn-RequestId", id)
}

fn json(body: Value) -> Response {
    Response::ok("application/json", body.to_string()).header("x-amzn-RequestId", request_id())
}

/// The `<Credentials>` and `<AssumedRoleUser>` of a role session of `role_arn` (its account
/// and name; the stub's own when it names none) named `session`, plus `extra` elements.
fn assume_role_result(
    key: &str,
    role_arn: Option<&str>,
    session: Option<&str>,
    extra: &str,
) -> String {
    let (partition, account, name) = role_parts(role_arn.unwrap_or_default());
    let session = session.filter(|s| !s.is_empty()).unwrap_or("stub-session");
    format!(
        "<Credentials>\n<AccessKeyId>{key}</AccessKeyId>\n<SecretAccessKey>{}</SecretAccessKey>\n\
         <SessionToken>{}</SessionToken>\n<Expiration>{}</Expiration>\n</Credentials>\n\
         <AssumedRoleUser>\n<AssumedRoleId>AROASTUBROLEID0000001:{}</AssumedRoleId>\n\
         <Arn>arn:{}:sts::{}:assumed-role/{}/{}</Arn>\n</AssumedRoleUser>\n{extra}",
        super::SECRET,
        super::TOKEN,
        rfc3339(now() + secs(CREDENTIALS_LIFETIME_SECS)),
        xml(session),
        xml(partition),
        xml(account),
        xml(name),
        xml(session),
    )
}

/// `arn:PARTITION:iam::ACCOUNT:role/[PATH/]NAME` → (partition, account, name); the stub's own
/// account and `stub-role` for whatever does not parse (real STS would refuse it; the stub
/// answers every AssumeRole).
fn role_parts(arn: &str) -> (&str, &str, &str) {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    match parts.as_slice() {
        ["arn", partition, "iam", "", account, resource]
            if !partition.is_empty() && !account.is_empty() =>
        {
            match resource.strip_prefix("role/") {
                Some(path) => (
                    partition,
                    account,
                    path.rsplit('/').next().unwrap_or("stub-role"),
                ),
                None => (partition, account, "stub-role"),
            }
        }
        _ => ("aws", ACCOUNT, "stub-role"),
    }
}

fn account_of(arn: &str) -> &str {
    arn.split(':').nth(4).unwrap_or(ACCOUNT)
}

/// Who signed a request: the key id in its `Authorization` header. Long-term (`AKIA`) keys are
/// an IAM user; any other key a role session (the stub issues only those).
fn caller(req: &Request) -> (String, String) {
    let key = req
        .header("authorization")
        .and_then(|a| a.split("Credential=").nth(1))
        .and_then(|c| c.split('/').next())
        .unwrap_or_default();
    if key.starts_with("AKIA") {
        (
            "AIDASTUBUSERID000001".into(),
            format!("arn:aws:iam::{ACCOUNT}:user/stub-user"),
        )
    } else {
        (
            "AROASTUBROLEID0000001:stub-session".into(),
            format!("arn:aws:sts::{ACCOUNT}:assumed-role/stub-role/stub-session"),
        )
    }
}

/// `application/x-www-form-urlencoded`, decoded.
fn form(body: &[u8]) -> std::collections::HashMap<String, String> {
    String::from_utf8_lossy(body)
        .split('&')
        .filter(|kv| !kv.is_empty())
        .map(|kv| {
            let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
            (decode(k), decode(v))
        })
        .collect()
}

fn decode(s: &str) -> String {
    let b = s.as_bytes();
    let hex = |c: u8| (c as char).to_digit(16).map(|d| d as u8);
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < b.len() => match (hex(b[i + 1]), hex(b[i + 2])) {
                (Some(h), Some(l)) => {
                    out.push(h * 16 + l);
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn xml(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The aws-config oracle, as `cargo test --all-targets` (and `cargo build --examples`) builds
/// it: `target/<profile>/examples/aws_config_oracle`, beside this test binary's `deps/`.
pub fn aws_config_oracle() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let profile_dir = exe
        .parent()
        .and_then(|deps| deps.parent())
        .expect("the test binary lives in target/<profile>/deps");
    let oracle = profile_dir
        .join("examples")
        .join(format!("aws_config_oracle{}", std::env::consts::EXE_SUFFIX));
    assert!(
        oracle.exists(),
        "{} is not built: `cargo test --all-targets` (as scripts/test runs it) or \
         `cargo build --example aws_config_oracle` builds it",
        oracle.display()
    );
    oracle
}

/// Runs the aws-config oracle on `scenarios` (the protocol's input) against the stub at
/// `stub_url`, with `args` before the two positional arguments (`--endpoint-url-mode=env`);
/// the outcomes, in order.
pub fn run_aws_config_oracle(scenarios: &Value, stub_url: &str, args: &[&str]) -> Vec<Value> {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("scenarios.json");
    std::fs::write(&input, scenarios.to_string()).unwrap();
    let out = std::process::Command::new(aws_config_oracle())
        .args(args)
        .arg(&input)
        .arg(stub_url)
        .env_clear()
        .env("PATH", "/usr/bin:/bin")
        .env("TMPDIR", dir.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "aws_config_oracle exited {:?}\nstdout:\n{stdout}\nstderr:\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    let outcomes: Vec<Value> = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("aws_config_oracle printed no JSON array ({e}):\n{stdout}"));
    assert_eq!(
        outcomes.len(),
        scenarios.as_array().map_or(0, Vec::len),
        "one outcome per scenario"
    );
    outcomes
}

// The stub's own tests: both SDKs parse every reply, and the aws-config oracle keeps its
// contract (bound, isolation, loopback only).

/// The SSO token cache's path under HOME for a session name or a legacy start URL.
fn sso_cache(key: &str) -> String {
    use sha1::Digest;
    let digest = sha1::Sha1::digest(key.as_bytes());
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!(".aws/sso/cache/{hex}.json")
}

/// A scenario of the protocol; `region` adds AWS_REGION=us-east-1.
fn scenario(id: &str, env: &[(&str, &str)], files: &[(&str, String)], region: bool) -> Value {
    let mut e = serde_json::Map::new();
    e.insert("AWS_EC2_METADATA_DISABLED".into(), "true".into());
    e.insert("AWS_ENDPOINT_URL".into(), "{STUB}".into());
    if region {
        e.insert("AWS_REGION".into(), "us-east-1".into());
    }
    for (k, v) in env {
        e.insert((*k).into(), (*v).into());
    }
    let f: serde_json::Map<String, Value> = files
        .iter()
        .map(|(k, v)| ((*k).to_string(), Value::from(v.as_str())))
        .collect();
    serde_json::json!({"id": id, "env": e, "files": f})
}

const START_URL: &str = "https://stub.awsapps.com/start";

/// A default profile of SSO session `stub` (account and role set).
fn sso_session_config() -> String {
    format!(
        "[default]\nsso_session = stub\nsso_account_id = {ACCOUNT}\nsso_role_name = Stub\n\
         [sso-session stub]\nsso_start_url = {START_URL}\nsso_region = us-east-1\n"
    )
}

/// A cached SSO token of session `stub`, valid for `secs` more seconds.
fn sso_token(valid_secs: i64) -> String {
    serde_json::json!({
        "accessToken": "cached-token",
        "expiresAt": rfc3339(now() + secs(valid_secs)),
        "startUrl": START_URL,
        "region": "us-east-1"
    })
    .to_string()
}

/// One scenario per provider of the chain that reaches the stub or the disk, with what the
/// oracle must say and the call the stub must get.
fn every_provider() -> Vec<(Value, &'static str, Option<Call>)> {
    let in_1h = rfc3339(now() + secs(3600));
    let in_1m = rfc3339(now() + secs(60));
    let in_30d = rfc3339(now() + secs(30 * 86400));
    let static_keys = "aws_access_key_id = AKIASTUBSTATICKEY001\naws_secret_access_key = s\n";
    let legacy_sso = format!(
        "sso_start_url = {START_URL}\nsso_region = us-east-1\nsso_account_id = {ACCOUNT}\n\
         sso_role_name = Stub\n"
    );
    let legacy_token = serde_json::json!({
        "accessToken": "cached-token", "expiresAt": in_1h, "startUrl": START_URL
    })
    .to_string();
    vec![
        (
            scenario(
                "environment",
                &[
                    ("AWS_ACCESS_KEY_ID", "AKIASTUBENVKEY000001"),
                    ("AWS_SECRET_ACCESS_KEY", "s"),
                ],
                &[],
                true,
            ),
            "environment",
            None,
        ),
        (
            scenario(
                "shared-credentials",
                &[],
                &[(".aws/credentials", format!("[default]\n{static_keys}"))],
                true,
            ),
            "shared-credentials",
            None,
        ),
        (
            scenario(
                "assume-role",
                &[("AWS_PROFILE", "job")],
                &[(
                    ".aws/config",
                    format!(
                        "[profile job]\nrole_arn = arn:aws:iam::{ACCOUNT}:role/job\n\
                         source_profile = base\n[profile base]\n{static_keys}"
                    ),
                )],
                true,
            ),
            "assume-role",
            Some(Call::AssumeRole),
        ),
        (
            scenario(
                "web-identity-env",
                &[
                    ("AWS_WEB_IDENTITY_TOKEN_FILE", "{HOME}/token"),
                    ("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/ci"),
                ],
                &[("token", "a-web-identity-token".into())],
                true,
            ),
            "web-identity",
            Some(Call::AssumeRoleWithWebIdentity),
        ),
        (
            scenario(
                "sso-legacy",
                &[],
                &[
                    (".aws/config", format!("[default]\n{legacy_sso}")),
                    (sso_cache(START_URL).as_str(), legacy_token.clone()),
                ],
                true,
            ),
            "sso",
            Some(Call::GetRoleCredentials),
        ),
        (
            // The cached token expires within aws-config's 5-minute refresh window: CreateToken.
            scenario(
                "sso-session-refresh",
                &[],
                &[
                    (
                        ".aws/config",
                        format!(
                            "[default]\nsso_session = stub\nsso_account_id = {ACCOUNT}\n\
                             sso_role_name = Stub\n[sso-session stub]\n\
                             sso_start_url = {START_URL}\nsso_region = us-east-1\n"
                        ),
                    ),
                    (
                        sso_cache("stub").as_str(),
                        serde_json::json!({
                            "accessToken": "expiring-token", "expiresAt": in_1m,
                            "refreshToken": "r", "clientId": "c", "clientSecret": "cs",
                            "registrationExpiresAt": in_30d, "region": "us-east-1",
                            "startUrl": START_URL
                        })
                        .to_string(),
                    ),
                ],
                true,
            ),
            "sso",
            Some(Call::CreateToken),
        ),
        (
            scenario(
                "container",
                &[(
                    "AWS_CONTAINER_CREDENTIALS_FULL_URI",
                    "{STUB}/container/credentials",
                )],
                &[],
                true,
            ),
            "container",
            Some(Call::Container),
        ),
        (
            scenario(
                "credential-process",
                &[],
                &[
                    (
                        ".aws/config",
                        "[default]\ncredential_process = sh {HOME}/helper.sh\n".into(),
                    ),
                    (
                        "helper.sh",
                        format!(
                            "echo '{{\"Version\": 1, \"AccessKeyId\": \"ASIASTUBPROCESS00001\", \
                             \"SecretAccessKey\": \"s\", \"SessionToken\": \"t\", \
                             \"Expiration\": \"{in_1h}\"}}'\n"
                        ),
                    ),
                ],
                true,
            ),
            "credential-process",
            None,
        ),
        (
            scenario(
                "role-on-sso",
                &[],
                &[
                    (
                        ".aws/config",
                        format!(
                            "[default]\nrole_arn = arn:aws:iam::{ACCOUNT}:role/job\n\
                             source_profile = portal\n[profile portal]\n{legacy_sso}"
                        ),
                    ),
                    (sso_cache(START_URL).as_str(), legacy_token),
                ],
                true,
            ),
            "assume-role",
            Some(Call::AssumeRole),
        ),
        (scenario("nothing", &[], &[], true), "none", None),
    ]
}

#[test]
fn aws_config_gets_every_provider_through_the_stub_in_both_endpoint_modes() {
    let stub = start();
    let cases = every_provider();
    let scenarios = Value::Array(cases.iter().map(|(s, _, _)| s.clone()).collect());
    // `env` proves aws-config itself sends STS, SSO and SSO-OIDC to AWS_ENDPOINT_URL: the
    // oracle's guard refuses any request that is not for the stub.
    for mode in ["--endpoint-url-mode=transport", "--endpoint-url-mode=env"] {
        let outcomes = run_aws_config_oracle(&scenarios, &stub.url, &[mode]);
        for ((s, source, call), o) in cases.iter().zip(&outcomes) {
            let id = s["id"].as_str().unwrap();
            assert_eq!(o["id"], id);
            assert_eq!(o["source"], *source, "{mode} {id}: {o}");
            assert_eq!(o["credentials"], *source != "none", "{mode} {id}: {o}");
            if *source == "none" {
                assert_eq!(o["error"], "CredentialsNotLoaded", "{mode} {id}: {o}");
            } else {
                assert_eq!(o["error"], Value::Null, "{mode} {id}: {o}");
            }
            if let Some(call) = call {
                assert!(stub.calls().contains(call), "{mode} {id}: no {call:?}");
            }
        }
        let calls = stub.calls();
        assert!(
            !calls.contains(&Call::Other),
            "{mode}: {:?}",
            stub.requests()
        );
        stub.clear();
    }
}

#[test]
fn aws_config_oracle_keeps_its_contract() {
    let stub = start();
    let scenarios = serde_json::json!([
        // A resolution that hangs is bounded (first: the scenarios after it still run, in a
        // process that is single-threaded again; the helper outlives its scenario by 3 s).
        scenario(
            "hangs",
            &[],
            &[(
                ".aws/config",
                "[default]\ncredential_process = sleep 8\n".into()
            )],
            true,
        ),
        // Nothing of the oracle's own environment (AWS_ACCESS_KEY_ID below) leaks in.
        scenario("nothing", &[], &[], true),
        // Nor a scenario's files into the next: `p` is in this one's HOME only.
        scenario(
            "profile",
            &[("AWS_PROFILE", "p")],
            &[(
                ".aws/credentials",
                "[p]\naws_access_key_id = AKIASTUBSTATICKEY001\naws_secret_access_key = s\n".into()
            )],
            true,
        ),
        scenario("profile-gone", &[("AWS_PROFILE", "p")], &[], true),
        // Nor an SSO token aws-config held in memory: the same session, no token cached.
        scenario(
            "sso-cached",
            &[],
            &[
                (".aws/config", sso_session_config()),
                (sso_cache("stub").as_str(), sso_token(3600))
            ],
            true,
        ),
        scenario(
            "sso-not-cached",
            &[],
            &[(".aws/config", sso_session_config())],
            true
        ),
        // Relative paths resolve under HOME; messages name it {HOME}.
        scenario(
            "missing-token",
            &[
                ("AWS_WEB_IDENTITY_TOKEN_FILE", "{HOME}/missing"),
                ("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/ci"),
            ],
            &[],
            true,
        ),
        scenario(
            "relative-token",
            &[
                ("AWS_WEB_IDENTITY_TOKEN_FILE", "token"),
                ("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/ci"),
            ],
            &[("token", "t".into())],
            true,
        ),
        // Without a region, a job's STS has no endpoint: AWS_ENDPOINT_URL must not hide that.
        scenario(
            "web-identity-no-region",
            &[
                ("AWS_WEB_IDENTITY_TOKEN_FILE", "{HOME}/token"),
                ("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/ci"),
            ],
            &[("token", "t".into())],
            false,
        ),
        // A request for anywhere but the stub never leaves: redirected, or refused (env mode).
        scenario(
            "sts-elsewhere",
            &[("AWS_ENDPOINT_URL_STS", "http://sts.example.invalid")],
            &[(
                ".aws/config",
                format!(
                    "[default]\nrole_arn = arn:aws:iam::{ACCOUNT}:role/job\nsource_profile = base\n\
                     [profile base]\naws_access_key_id = AKIASTUBSTATICKEY001\n\
                     aws_secret_access_key = s\n"
                ),
            )],
            true,
        ),
    ]);
    let by_id = |outcomes: &[Value], id: &str| -> Value {
        outcomes.iter().find(|o| o["id"] == id).unwrap().clone()
    };
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("scenarios.json");
    std::fs::write(&input, scenarios.to_string()).unwrap();
    for mode in ["--endpoint-url-mode=transport", "--endpoint-url-mode=env"] {
        let started = std::time::Instant::now();
        let out = std::process::Command::new(aws_config_oracle())
            .args([mode, input.to_str().unwrap(), &stub.url])
            .env_clear()
            .env("PATH", "/usr/bin:/bin")
            .env("TMPDIR", dir.path())
            .env("AWS_ACCESS_KEY_ID", "AKIALEAKEDFROMORACLE")
            .env("AWS_SECRET_ACCESS_KEY", "leaked")
            .env("AWS_PROFILE", "p")
            .output()
            .unwrap();
        assert!(out.status.success(), "{mode}: {out:?}");
        let elapsed = started.elapsed();
        let o: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
        let ids: Vec<&str> = o.iter().map(|x| x["id"].as_str().unwrap()).collect();
        assert_eq!(
            ids,
            [
                "hangs",
                "nothing",
                "profile",
                "profile-gone",
                "sso-cached",
                "sso-not-cached",
                "missing-token",
                "relative-token",
                "web-identity-no-region",
                "sts-elsewhere",
            ],
            "in the input's order"
        );
        assert_eq!(
            by_id(&o, "nothing")["error"],
            "CredentialsNotLoaded",
            "{mode}"
        );
        assert_eq!(
            by_id(&o, "profile")["source"],
            "shared-credentials",
            "{mode}"
        );
        assert_eq!(by_id(&o, "profile-gone")["credentials"], false, "{mode}");
        assert_eq!(by_id(&o, "sso-cached")["source"], "sso", "{mode}");
        assert_eq!(by_id(&o, "sso-not-cached")["credentials"], false, "{mode}");
        let missing = by_id(&o, "missing-token");
        assert_eq!(missing["error"], "ProviderError", "{mode}: {missing}");
        let message = missing["message"].as_str().unwrap();
        assert!(
            !message.contains(dir.path().to_str().unwrap()) && !message.contains('\n'),
            "{message}"
        );
        assert_eq!(
            by_id(&o, "relative-token")["source"],
            "web-identity",
            "{mode}"
        );
        let no_region = by_id(&o, "web-identity-no-region");
        let elsewhere = by_id(&o, "sts-elsewhere");
        if mode.ends_with("transport") {
            assert_eq!(no_region["credentials"], false, "{no_region}");
            assert!(
                no_region["message"]
                    .as_str()
                    .unwrap()
                    .contains("Missing Region"),
                "{no_region}"
            );
            // Redirected to the stub: the role is assumed.
            assert_eq!(elsewhere["source"], "assume-role", "{elsewhere}");
        } else {
            // AWS_ENDPOINT_URL gives STS an endpoint, and AssumeRoleWithWebIdentity is unsigned.
            assert_eq!(no_region["source"], "web-identity", "{no_region}");
            assert_eq!(elsewhere["error"], "NonLoopbackConnection", "{elsewhere}");
        }
        assert_eq!(by_id(&o, "hangs")["error"], "Timeout", "{mode}");
        assert!(
            elapsed < std::time::Duration::from_secs(20),
            "{mode}: {elapsed:?}"
        );
    }

    // Bad input is the run's failure (exit 2), not an outcome.
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, r#"[{"id": "x", "files": {"../escape": ""}}]"#).unwrap();
    let out = std::process::Command::new(aws_config_oracle())
        .args([bad.to_str().unwrap(), &stub.url])
        .env_clear()
        .env("TMPDIR", dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(out.stdout.is_empty());
}

/// botocore (the test venv's, 1.44.18) parses every reply of the stub with its own clients.
#[test]
#[ignore = "needs scripts/test"]
fn botocore_parses_every_reply() {
    let python = super::moto::required("EXPIRY_DOCTOR_PYTHON");
    let stub = start();
    let script = r#"
import json, sys
import botocore.session, botocore.utils
url = sys.argv[1]
s = botocore.session.Session()
def client(name, region="us-east-1", **kw):
    return s.create_client(name, region_name=region, endpoint_url=url,
                           aws_access_key_id="AKIASTUBSTATICKEY001", aws_secret_access_key="s", **kw)
out = {}
sts = client("sts")
r = sts.assume_role(RoleArn="arn:aws:iam::210987654321:role/path/job", RoleSessionName="sess")
out["AssumeRole"] = [r["Credentials"]["AccessKeyId"], r["Credentials"]["Expiration"].isoformat(), r["AssumedRoleUser"]["Arn"]]
r = sts.assume_role_with_web_identity(RoleArn="arn:aws:iam::123456789012:role/ci", RoleSessionName="web", WebIdentityToken="a-web-identity-token")
out["AssumeRoleWithWebIdentity"] = [r["Credentials"]["AccessKeyId"], r["Credentials"]["Expiration"].isoformat(), r["AssumedRoleUser"]["Arn"]]
r = sts.get_caller_identity()
out["GetCallerIdentity"] = [r["Account"], r["Arn"], r["UserId"]]
from botocore import UNSIGNED
from botocore.config import Config
sso = s.create_client("sso", region_name="us-east-1", endpoint_url=url, config=Config(signature_version=UNSIGNED))
r = sso.get_role_credentials(roleName="Stub", accountId="123456789012", accessToken="tok")
out["GetRoleCredentials"] = [r["roleCredentials"]["accessKeyId"], r["roleCredentials"]["expiration"]]
oidc = s.create_client("sso-oidc", region_name="us-east-1", endpoint_url=url, config=Config(signature_version=UNSIGNED))
r = oidc.create_token(grantType="refresh_token", clientId="c", clientSecret="cs", refreshToken="r")
out["CreateToken"] = [r["accessToken"], r["expiresIn"], r["refreshToken"]]
r = botocore.utils.ContainerMetadataFetcher().retrieve_full_uri(url + "/container/credentials")
out["Container"] = [r["AccessKeyId"], r["Expiration"]]
print(json.dumps(out))
"#;
    let out = std::process::Command::new(python)
        .args(["-c", script, &stub.url])
        .env_clear()
        .env("PATH", "/usr/bin:/bin")
        .env("HOME", tempfile::tempdir().unwrap().path())
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let r: Value = serde_json::from_slice(&out.stdout).unwrap();
    let hour = |iso: &Value| {
        let t = chrono::DateTime::parse_from_rfc3339(iso.as_str().unwrap()).unwrap();
        let left = t.with_timezone(&chrono::Utc) - now();
        assert!((3500..=3600).contains(&left.num_seconds()), "{iso}");
    };
    assert_eq!(r["AssumeRole"][0], ASSUME_ROLE_KEY);
    hour(&r["AssumeRole"][1]);
    assert_eq!(
        r["AssumeRole"][2],
        "arn:aws:sts::210987654321:assumed-role/job/sess"
    );
    assert_eq!(r["AssumeRoleWithWebIdentity"][0], WEB_IDENTITY_KEY);
    hour(&r["AssumeRoleWithWebIdentity"][1]);
    assert_eq!(r["GetCallerIdentity"][0], ACCOUNT);
    assert_eq!(
        r["GetCallerIdentity"][1],
        format!("arn:aws:iam::{ACCOUNT}:user/stub-user")
    );
    assert_eq!(r["GetRoleCredentials"][0], SSO_KEY);
    let ms = r["GetRoleCredentials"][1].as_i64().unwrap();
    assert!(
        (ms - now().timestamp_millis() - 3_600_000).abs() < 100_000,
        "{ms}"
    );
    assert_eq!(
        r["CreateToken"],
        serde_json::json!([SSO_ACCESS_TOKEN, SSO_TOKEN_LIFETIME_SECS, SSO_REFRESH_TOKEN])
    );
    assert_eq!(r["Container"][0], CONTAINER_KEY);
    hour(&r["Container"][1]);
    assert_eq!(
        stub.calls(),
        [
            Call::AssumeRole,
            Call::AssumeRoleWithWebIdentity,
            Call::GetCallerIdentity,
            Call::GetRoleCredentials,
            Call::CreateToken,
            Call::Container
        ]
    );
}

#[test]
fn the_stub_answers_404_to_anything_else() {
    let req = |method: &str, path: &str, body: &str, headers: &[(&str, &str)]| Request {
        method: method.into(),
        path: path.into(),
        headers: headers
            .iter()
            .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
            .collect(),
        body: body.as_bytes().to_vec(),
    };
    for r in [
        req(
            "POST",
            "/",
            "Action=GetSessionToken&Version=2011-06-15",
            &[],
        ),
        req(
            "GET",
            "/federation/credentials?role_name=x&account_id=1",
            "",
            &[],
        ),
        req(
            "GET",
            "/latest/meta-data/iam/security-credentials/",
            "",
            &[],
        ),
        req("PUT", "/latest/api/token", "", &[]),
    ] {
        assert_eq!(classify(&r), Call::Other, "{} {}", r.method, r.path);
        assert_eq!(answer(&r).status, 404);
    }
    let assume = req(
        "POST",
        "/",
        "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A210987654321%3Arole%2Fa%2Fb&RoleSessionName=x%2By",
        &[],
    );
    let body = answer(&assume).body;
    assert!(
        body.contains("<Arn>arn:aws:sts::210987654321:assumed-role/b/x+y</Arn>"),
        "{body}"
    );
}
