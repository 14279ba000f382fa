//! aws-config's own test data (smithy-rs, vendored in `fixtures/aws-config-test-data/`, see its
//! README) replayed against expiry-doctor's model of the credential chain: every case that is
//! about which provider loads, and can be judged without the case's recorded HTTP traffic, is
//! run through the real binary (`check --offline --output json` plus [`MODEL_ARGS`]) in a fake
//! machine holding the case's environment and files, and the report's `credentials.source`
//! and whether the `credential-source` check fails are compared with the case's expected
//! outcome. `profile-parser-tests.json` is replayed against the parser as expiry-doctor calls
//! it (`gather::profiles::load`, which is aws-config's public `profile::load`).
//!
//! - `default-credential-provider-chain/*`: the whole default chain, as a job sees it.
//! - `profile-provider/*`: aws-config's profile provider alone. The chain would let exported
//!   credentials win first, so the environment credentials such a case sets (only
//!   `e2e_assume_role` has any) are not passed ([`CHAIN_VARIABLES`]).
//! - `assume-role-tests.json`: how a profile graph resolves (`resolve_chain`), each case's
//!   profiles written as a config file, its selected profile as AWS_PROFILE, and what the
//!   resolved chain needs at run time supplied (a region for STS, a web identity token that
//!   has not expired, an SSO token in the cache), so that the outcome is the graph's alone.
//!
//! The profile provider's cases are also run a second time with a later source of the chain
//! configured (a container endpoint, [`TAIL`]): where the profile yields nothing, aws-config
//! either moves on to that source or stops the whole chain with the profile's error, and the
//! two differ for a job. Which one is aws-config 1.13's `ProfileFileCredentialsProvider`
//! (profile/credentials.rs): `NoProfilesDefined`, `ProfileDidNotContainCredentials` (of the
//! selected profile itself), `MissingProfile` (the selected or a source profile) and
//! `TokenProviderConfig` (an SSO profile that only yields a token) move on; every other
//! profile error, a parse error and a failing base provider stop the chain.
//!
//! What expiry-doctor says differently from a case is listed in [`KNOWN_DIFFERENCES`] with
//! the reason, so that this test stays green while they are fixed one at a time; a listed case
//! that agrees again fails the test, so that the list only shrinks. Cases that cannot be
//! judged offline are in the tables with the reason they are skipped.

use crate::common::Home;
use expiry_doctor::facts::ProblemKind;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The model every run judges: aws-config's, as this is aws-config's own test data.
const MODEL_ARGS: &[&str] = &["--sdk", "rust"];

/// Where the vendored data lives.
fn data() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/aws-config-test-data")
}

/// A case's expected outcome in expiry-doctor's terms.
#[derive(Clone, Copy, Debug)]
enum Expect {
    /// Credentials from this source (`credentials.source`), and `credential-source` does not
    /// fail.
    Gets(&'static str),
    /// Credentials from this source; whether `credential-source` fails is not judged, for the
    /// reason given.
    GetsSourceOnly(&'static str, &'static str),
    /// No credentials: `credential-source` fails. The report's source is not compared: for a
    /// broken source expiry-doctor names the one the chain would use once it is repaired.
    Fails,
}

/// Where the chain goes when the profile yields no credentials, with a later source present.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Tail {
    /// The profile has credentials (or the case is not about the profile provider).
    NotReached,
    /// The profile yields nothing and aws-config moves on to the next source.
    MovesOn,
    /// The profile's error stops the whole chain.
    Stops,
}

/// A vendored case: judged with these expectations, or skipped for a reason.
enum Judge {
    Run(Expect, Tail),
    Skip(&'static str),
}

use Expect::*;
use Judge::*;
use Tail::*;

const NEEDS_IMDS: &str = "needs instance metadata (its http traffic): the replay runs offline, \
                          with AWS_EC2_METADATA_DISABLED=true";
const SERVER_DECIDES: &str = "the outcome is the server's recorded answer (an error), which an \
                              offline run cannot see";

/// `default-credential-provider-chain/*`, every directory.
const DEFAULT_CHAIN: &[(&str, Judge)] = &[
    ("e2e_fips_and_dual_stack_sso", Run(Gets("sso"), NotReached)),
    // The profile's role on top of the container endpoint (credential_source = EcsContainer).
    ("ecs_assume_role", Run(Gets("assume-role"), NotReached)),
    ("ecs_credentials", Run(Gets("container"), NotReached)),
    // A config without a default profile: the chain moves on to the container endpoint.
    (
        "ecs_credentials_invalid_profile",
        Run(Gets("container"), NotReached),
    ),
    (
        "eks_pod_identity_credentials",
        Run(Gets("container"), NotReached),
    ),
    ("eks_pod_identity_no_token_file", Run(Fails, NotReached)),
    (
        "environment_variables",
        Run(Gets("environment"), NotReached),
    ),
    // Blank AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY are no credentials: the profile wins.
    (
        "environment_variables_blank",
        Run(Gets("shared-credentials"), NotReached),
    ),
    ("imds_assume_role", Skip(NEEDS_IMDS)),
    ("imds_config_with_no_creds", Skip(NEEDS_IMDS)),
    ("imds_default_chain_error", Skip(NEEDS_IMDS)),
    ("imds_default_chain_retries", Skip(NEEDS_IMDS)),
    ("imds_default_chain_success", Skip(NEEDS_IMDS)),
    // Instance metadata disabled and nothing else configured.
    ("imds_disabled", Run(Fails, NotReached)),
    ("imds_no_iam_role", Skip(NEEDS_IMDS)),
    ("imds_token_fail", Skip(NEEDS_IMDS)),
    ("prefer_environment", Run(Gets("environment"), NotReached)),
    ("profile_name", Run(Gets("shared-credentials"), NotReached)),
    // credential_source = Environment without exported keys: the profile fails, and the web
    // identity variables of the environment must not be used instead.
    ("profile_overrides_web_identity", Run(Fails, NotReached)),
    (
        "profile_static_keys",
        Run(Gets("shared-credentials"), NotReached),
    ),
    (
        "profile_static_keys_case_insensitive",
        Run(Gets("shared-credentials"), NotReached),
    ),
    ("sso_assume_role", Run(Gets("sso"), NotReached)),
    ("sso_no_token_file", Run(Fails, NotReached)),
    ("sso_server_error", Skip(SERVER_DECIDES)),
    ("web_identity_source_profile_no_env", Run(Fails, NotReached)),
    (
        "web_identity_token_env",
        Run(
            GetsSourceOnly(
                "web-identity",
                "the case's token (a JWT) expired on 2022-08-16; STS accepted it when the \
                 traffic was recorded in 2021 and refuses it today, which expiry-doctor \
                 rightly says",
            ),
            NotReached,
        ),
    ),
    ("web_identity_token_invalid_jwt", Skip(SERVER_DECIDES)),
    (
        "web_identity_token_profile",
        Run(Gets("web-identity"), NotReached),
    ),
    // A role assumed with the credentials of a web identity profile.
    (
        "web_identity_token_source_profile",
        Run(Gets("assume-role"), NotReached),
    ),
];

/// `profile-provider/*`, every directory.
const PROFILE_PROVIDER: &[(&str, Judge)] = &[
    // The endpoint overrides route STS; the provider that loads is the role's either way.
    (
        "assume_role_override_global_env_url",
        Run(Gets("assume-role"), NotReached),
    ),
    (
        "assume_role_override_global_profile_url",
        Run(Gets("assume-role"), NotReached),
    ),
    (
        "assume_role_override_service_env_url",
        Run(Gets("assume-role"), NotReached),
    ),
    (
        "assume_role_override_service_profile_url",
        Run(Gets("assume-role"), NotReached),
    ),
    // credential_process wins over the profile's source_profile (no role_arn).
    (
        "credential_process",
        Run(Gets("credential-process"), NotReached),
    ),
    (
        "credential_process_account_id_fallback",
        Run(Gets("credential-process"), NotReached),
    ),
    // A failing base provider is a provider error: the chain stops.
    ("credential_process_failure", Run(Fails, Stops)),
    ("credential_process_invalid", Run(Fails, Stops)),
    ("e2e_assume_role", Run(Gets("assume-role"), NotReached)),
    (
        "e2e_fips_and_dual_stack_sts",
        Run(Gets("assume-role"), NotReached),
    ),
    // No files: NoProfilesDefined.
    ("empty_config", Run(Fails, MovesOn)),
    // A file that does not parse: InvalidConfiguration.
    ("invalid_config", Run(Fails, Stops)),
    // An sso_session profile without account and role yields a token, not credentials:
    // TokenProviderConfig.
    ("invalid_sso_credentials_config", Run(Fails, MovesOn)),
    ("region_override", Run(Gets("assume-role"), NotReached)),
    // The recorded STS answers a 500 first; the retry succeeds. The provider is the role's.
    ("retry_on_error", Run(Gets("assume-role"), NotReached)),
    ("sso_credentials", Run(Gets("sso"), NotReached)),
    ("sso_override_global_env_url", Run(Gets("sso"), NotReached)),
    ("sso_token", Run(Fails, MovesOn)),
];

/// Environment variables of the chain's other providers: not passed to a profile-provider
/// case, which tests the profile provider alone.
const CHAIN_VARIABLES: &[&str] = &[
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_ACCOUNT_ID",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
    "AWS_ROLE_ARN",
    "AWS_ROLE_SESSION_NAME",
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    "AWS_CONTAINER_AUTHORIZATION_TOKEN",
    "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
];

/// The later source of the chain for the "+ container" runs: a container endpoint on a closed
/// loopback port (an offline run only sees that it is configured).
const TAIL: (&str, &str) = (
    "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    "http://127.0.0.1:9/credentials",
);

/// Where expiry-doctor and a case disagree today: (case name, what differs and why).
const KNOWN_DIFFERENCES: &[(&str, &str)] = &[];

/// What one run said.
struct Verdict {
    name: String,
    expected: String,
    source: String,
    status: String,
    summary: String,
    agrees: bool,
}

fn judge(name: String, expect: Expect, report: &Value) -> Verdict {
    let source = report["credentials"]["source"]
        .as_str()
        .unwrap_or("?")
        .to_string();
    let check = report["checks"]
        .as_array()
        .and_then(|c| c.iter().find(|c| c["id"] == "credential-source"));
    let status = check
        .and_then(|c| c["status"].as_str())
        .unwrap_or("?")
        .to_string();
    let summary = check
        .and_then(|c| c["summary"].as_str())
        .unwrap_or("?")
        .to_string();
    let (agrees, expected) = match expect {
        Gets(s) => (
            source == s && status != "fail",
            format!("{s}, credential-source not failing"),
        ),
        GetsSourceOnly(s, why) => (source == s, format!("{s} (not judged: {why})")),
        Fails => (
            status == "fail",
            "no credentials: credential-source fails".into(),
        ),
    };
    Verdict {
        name,
        expected,
        source,
        status,
        summary,
        agrees,
    }
}

/// The test-case.json result: whether the case expects credentials.
fn expects_credentials(case: &Path) -> bool {
    let tc: Value =
        serde_json::from_str(&std::fs::read_to_string(case.join("test-case.json")).unwrap())
            .unwrap();
    match &tc["result"] {
        r if r.get("Ok").is_some() => true,
        r if r.get("ErrorContains").is_some() => false,
        r => panic!("{}: unknown result {r}", case.display()),
    }
}

/// Every file under `dir`, as paths relative to it.
fn files_under(dir: &Path) -> Vec<PathBuf> {
    crate::common::snapshot(dir)
        .into_iter()
        .map(|(p, ..)| p)
        .filter(|p| !p.is_dir())
        .map(|p| p.strip_prefix(dir).unwrap().to_path_buf())
        .collect()
}

/// Endpoint overrides point at a closed loopback port: nothing could leave the machine even if
/// a run ignored --offline (which host the case names does not change which provider loads).
fn loopback_endpoints(text: &str) -> String {
    text.replace("http://aws.", "http://127.0.0.1:9/aws.")
}

/// Runs a directory case (`env.json`, `fs/`) in a fake machine whose root stands for `/`: the
/// case's `/home` is HOME, and every absolute path the case names (in path variables and in
/// the files) is moved under the root.
fn run_dir_case(case: &Path, profile_provider_only: bool, tail: bool) -> Value {
    let env: BTreeMap<String, String> =
        serde_json::from_str(&std::fs::read_to_string(case.join("env.json")).unwrap()).unwrap();
    let mut h = Home::new();
    let root = h.path().to_str().unwrap().to_string();
    let fs = case.join("fs");
    let files = files_under(&fs);
    // Absolute paths of the case (`/token.jwt`), outside its home, as the case writes them.
    let outside_home: Vec<String> = files
        .iter()
        .map(|p| format!("/{}", p.display()))
        .filter(|p| !p.starts_with("/home/"))
        .collect();
    let relocate = |text: &str| {
        let mut t = loopback_endpoints(text);
        for p in &outside_home {
            t = t.replace(p, &format!("{root}{p}"));
        }
        t
    };
    for rel in &files {
        let contents = std::fs::read_to_string(fs.join(rel)).unwrap();
        h.write(rel.to_str().unwrap(), relocate(&contents));
    }
    h.set("HOME", format!("{root}/home"));
    for (k, v) in &env {
        if profile_provider_only && CHAIN_VARIABLES.contains(&k.as_str()) {
            continue;
        }
        let path_variable = matches!(
            k.as_str(),
            "HOME"
                | "AWS_WEB_IDENTITY_TOKEN_FILE"
                | "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"
                | "AWS_CONFIG_FILE"
                | "AWS_SHARED_CREDENTIALS_FILE"
        );
        let v = if path_variable && v.starts_with('/') {
            format!("{root}{v}")
        } else {
            loopback_endpoints(v)
        };
        h.set(k, v);
    }
    if tail {
        h.set(TAIL.0, TAIL.1);
    }
    h.check_json(MODEL_ARGS).0
}

/// The directory cases of one table, judged; every directory of the kind must be in the table.
fn run_dir_table(kind: &str, table: &[(&str, Judge)], out: &mut Vec<Verdict>) -> Vec<String> {
    let dir = data().join(kind);
    let mut on_disk: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    on_disk.sort();
    let mut listed: Vec<String> = table.iter().map(|(n, _)| n.to_string()).collect();
    listed.sort();
    assert_eq!(
        on_disk, listed,
        "every vendored {kind} case is judged or skipped with a reason, none silently"
    );
    let mut skipped = Vec::new();
    let profile_provider_only = kind == "profile-provider";
    for (name, judge_as) in table {
        let case = dir.join(name);
        let (expect, tail) = match judge_as {
            Skip(why) => {
                skipped.push(format!("{kind}/{name}: {why}"));
                continue;
            }
            Run(e, t) => (*e, *t),
        };
        // The table may not contradict the vendored result.
        assert_eq!(
            expects_credentials(&case),
            !matches!(expect, Fails),
            "{kind}/{name}: the table's expectation contradicts test-case.json"
        );
        let report = run_dir_case(&case, profile_provider_only, false);
        out.push(judge(format!("{kind}/{name}"), expect, &report));
        if profile_provider_only {
            let with_tail = match (expect, tail) {
                (_, NotReached) => expect,
                (_, MovesOn) => Gets("container"),
                (_, Stops) => Fails,
            };
            let report = run_dir_case(&case, true, true);
            out.push(judge(
                format!("{kind}/{name} + container"),
                with_tail,
                &report,
            ));
        }
    }
    skipped
}

/// A JWT (unsigned: only its times are read) valid for the next hour.
fn fresh_jwt() -> String {
    use base64::Engine;
    let b64 = |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
    let now = chrono::Utc::now().timestamp();
    format!(
        "{}.{}.c2lnbmF0dXJl",
        b64(r#"{"alg":"RS256","typ":"JWT"}"#),
        b64(&format!(
            r#"{{"iss":"https://oidc.example","sub":"replay","aud":"sts.amazonaws.com","iat":{now},"exp":{}}}"#,
            now + 3600
        ))
    )
}

/// The SSO token cache's path under HOME for a session name or a legacy start URL.
fn sso_cache(key: &str) -> String {
    use sha1::Digest;
    let digest = sha1::Sha1::digest(key.as_bytes());
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!(".aws/sso/cache/{hex}.json")
}

/// One assume-role-tests.json case in a fake machine.
fn run_assume_role_case(input: &Value, tail: bool) -> Value {
    let mut h = Home::new();
    let root = h.path().to_str().unwrap().to_string();
    let profiles = input["profiles"].as_object().unwrap();
    let sessions = input["sso_sessions"]
        .as_object()
        .cloned()
        .unwrap_or_default();
    let mut config = String::new();
    for (name, props) in profiles {
        if name == "default" {
            config.push_str("[default]\n");
        } else {
            config.push_str(&format!("[profile {name}]\n"));
        }
        for (k, v) in props.as_object().unwrap() {
            let v = v.as_str().unwrap();
            match k.as_str() {
                // The token the profile names, under the root, and not expired.
                "web_identity_token_file" => {
                    h.write(v.trim_start_matches('/'), fresh_jwt());
                    config.push_str(&format!("{k} = {root}{v}\n"));
                }
                _ => config.push_str(&format!("{k} = {v}\n")),
            }
        }
        // A valid SSO token for whatever the profile's SSO configuration names.
        let props = props.as_object().unwrap();
        let key = props
            .get("sso_session")
            .or_else(|| props.get("sso_start_url"))
            .and_then(Value::as_str);
        if let Some(key) = key {
            let start_url = props
                .get("sso_start_url")
                .or_else(|| sessions.get(key).and_then(|s| s.get("sso_start_url")))
                .and_then(Value::as_str)
                .unwrap_or("https://replay.awsapps.com/start");
            let expires = (chrono::Utc::now() + chrono::TimeDelta::hours(8))
                .format("%Y-%m-%dT%H:%M:%SZ")
                .to_string();
            h.write(
                &sso_cache(key),
                serde_json::json!({
                    "accessToken": "replay-token", "expiresAt": expires,
                    "startUrl": start_url, "region": "us-east-1"
                })
                .to_string(),
            );
        }
    }
    for (name, props) in &sessions {
        config.push_str(&format!("[sso-session {name}]\n"));
        for (k, v) in props.as_object().unwrap() {
            config.push_str(&format!("{k} = {}\n", v.as_str().unwrap()));
        }
    }
    h.write(".aws/config", config);
    h.set("AWS_PROFILE", input["selected_profile"].as_str().unwrap());
    // A role's STS call needs a region (aws-config has no default: "Missing Region"); the
    // cases have none, as resolve_chain does not need one.
    h.set("AWS_REGION", "us-east-1");
    if tail {
        h.set(TAIL.0, TAIL.1);
    }
    h.check_json(MODEL_ARGS).0
}

/// assume-role-tests.json: what each case expects of the credential chain, and where the chain
/// goes past a profile that yields nothing (the module's documentation).
fn assume_role_expectation(case: &Value) -> Result<(Expect, Tail), &'static str> {
    let output = &case["output"];
    let selected = case["input"]["selected_profile"].as_str().unwrap();
    if let Some(error) = output["Error"].as_str() {
        let moves_on = error.contains("No profiles were defined")
            || error.contains("could not find source profile")
            // The selected profile's own; of a source profile it is InvalidCredentialSource.
            || error.contains(&format!("profile `{selected}` did not contain credential information"));
        return Ok((Fails, if moves_on { MovesOn } else { Stops }));
    }
    let chain = output["ProfileChain"].as_array().unwrap();
    let base = chain[0]
        .as_object()
        .unwrap()
        .keys()
        .next()
        .unwrap()
        .as_str();
    let roles = chain.len() - 1;
    let base_source = match base {
        "AccessKey" => "shared-credentials",
        "WebIdentityToken" => "web-identity",
        "CredentialProcess" => "credential-process",
        "Sso" => {
            // An sso_session profile without account and role resolves (`resolve_chain`) but
            // yields a token, not credentials: TokenProviderConfig, and the chain moves on.
            let sso = &chain[0]["Sso"];
            if sso.get("sso_account_id").is_none() && sso.get("sso_role_name").is_none() {
                return Ok((Fails, MovesOn));
            }
            "sso"
        }
        "NamedSource" => return Err(NEEDS_IMDS),
        other => panic!("unknown base provider {other}"),
    };
    Ok((
        Gets(if roles > 0 {
            "assume-role"
        } else {
            base_source
        }),
        NotReached,
    ))
}

fn run_assume_role_tests(out: &mut Vec<Verdict>) -> Vec<String> {
    let cases: Vec<Value> = serde_json::from_str(
        &std::fs::read_to_string(data().join("assume-role-tests.json")).unwrap(),
    )
    .unwrap();
    assert!(cases.len() >= 28, "assume-role-tests.json: {}", cases.len());
    let mut skipped = Vec::new();
    for (i, case) in cases.iter().enumerate() {
        let name = format!(
            "assume-role-tests.json#{i} {}",
            case["docs"].as_str().unwrap()
        );
        let (expect, tail) = match assume_role_expectation(case) {
            Ok(e) => e,
            Err(why) => {
                skipped.push(format!("{name}: {why}"));
                continue;
            }
        };
        let report = run_assume_role_case(&case["input"], false);
        let verdict = judge(name.clone(), expect, &report);
        // The roles assumed, in order, are the chain's (the hops of kind `role`, top first).
        let expected_roles: Vec<&str> = case["output"]["ProfileChain"]
            .as_array()
            .map(|c| {
                c.iter()
                    .filter_map(|p| p["AssumeRole"]["role_arn"].as_str())
                    .rev()
                    .collect()
            })
            .unwrap_or_default();
        let roles: Vec<&str> = report["profile_chain"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|hop| hop["kind"] == "role")
            .filter_map(|hop| hop["role_arn"].as_str())
            .collect();
        let roles_agree = matches!(expect, Fails) || roles == expected_roles;
        out.push(Verdict {
            agrees: verdict.agrees && roles_agree,
            expected: format!("{}; roles {expected_roles:?}", verdict.expected),
            summary: format!("{}; roles {roles:?}", verdict.summary),
            ..verdict
        });
        let with_tail = match tail {
            NotReached => expect,
            MovesOn => Gets("container"),
            Stops => Fails,
        };
        let report = run_assume_role_case(&case["input"], true);
        out.push(judge(format!("{name} + container"), with_tail, &report));
    }
    skipped
}

#[test]
// The table of every case and its verdict, for `cargo test -- --nocapture`.
#[allow(clippy::print_stderr)]
fn aws_config_test_data_replays_against_the_model() {
    let mut verdicts = Vec::new();
    let mut skipped = Vec::new();
    skipped.extend(run_dir_table(
        "default-credential-provider-chain",
        DEFAULT_CHAIN,
        &mut verdicts,
    ));
    skipped.extend(run_dir_table(
        "profile-provider",
        PROFILE_PROVIDER,
        &mut verdicts,
    ));
    skipped.extend(run_assume_role_tests(&mut verdicts));

    let known = |name: &str| KNOWN_DIFFERENCES.iter().any(|(n, _)| *n == name);
    let mut report = String::new();
    for v in &verdicts {
        let mark = match (v.agrees, known(&v.name)) {
            (true, false) => "ok",
            (false, true) => "KNOWN",
            (false, false) => "DIFFERS",
            (true, true) => "AGREES NOW",
        };
        report.push_str(&format!(
            "{mark:10} {}\n           expected: {}\n           expiry-doctor: {} ({}): {}\n",
            v.name, v.expected, v.source, v.status, v.summary
        ));
    }
    for s in &skipped {
        report.push_str(&format!("skipped    {s}\n"));
    }
    eprintln!("{report}");

    for (name, _) in KNOWN_DIFFERENCES {
        assert!(
            verdicts.iter().any(|v| v.name == *name),
            "KNOWN_DIFFERENCES names {name}, which is not a case run here"
        );
    }
    let new: Vec<&str> = verdicts
        .iter()
        .filter(|v| !v.agrees && !known(&v.name))
        .map(|v| v.name.as_str())
        .collect();
    let fixed: Vec<&str> = verdicts
        .iter()
        .filter(|v| v.agrees && known(&v.name))
        .map(|v| v.name.as_str())
        .collect();
    assert!(
        new.is_empty(),
        "expiry-doctor disagrees with aws-config's test data (not in KNOWN_DIFFERENCES): \
         {new:#?}\n{report}"
    );
    assert!(
        fixed.is_empty(),
        "these KNOWN_DIFFERENCES agree now: take them off the list: {fixed:#?}"
    );
    // The replay is not vacuous.
    assert!(verdicts.len() >= 90, "{} runs", verdicts.len());
}

/// profile-parser-tests.json (the parser spec every AWS SDK shares), through the parser as
/// expiry-doctor calls it: `gather::profiles::load` reads `~/.aws/config` and
/// `~/.aws/credentials` and parses them with aws-config's public `profile::load`.
#[test]
fn profile_parser_tests_replay_through_expiry_doctors_loader() {
    let spec: Value = serde_json::from_str(
        &std::fs::read_to_string(data().join("profile-parser-tests.json")).unwrap(),
    )
    .unwrap();
    let tests = spec["tests"].as_array().unwrap();
    assert!(tests.len() >= 65, "{}", tests.len());
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let mut failures = Vec::new();
    for t in tests {
        let name = t["name"].as_str().unwrap();
        let home = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(home.path().join(".aws")).unwrap();
        for (key, file) in [("configFile", "config"), ("credentialsFile", "credentials")] {
            if let Some(text) = t["input"][key].as_str() {
                std::fs::write(home.path().join(".aws").join(file), text).unwrap();
            }
        }
        let env = expiry_doctor::env::Env::fake(
            [("HOME", home.path().to_str().unwrap())],
            chrono::Utc::now(),
        );
        let mut problems = Vec::new();
        let loaded = runtime.block_on(expiry_doctor::gather::profiles::load(
            &env,
            None,
            &mut problems,
        ));
        let parse_errors: Vec<String> = problems
            .iter()
            .filter(|p| p.kind == ProblemKind::ConfigFile)
            .map(|p| p.message.clone())
            .collect();
        let output = &t["output"];
        if let Some(wanted) = output["errorContaining"].as_str() {
            if !parse_errors.iter().any(|m| m.contains(wanted)) {
                failures.push(format!(
                    "{name}: expected an error containing {wanted:?}, got {parse_errors:?}"
                ));
            }
            continue;
        }
        let Some(set) = loaded.set else {
            failures.push(format!("{name}: did not parse: {parse_errors:?}"));
            continue;
        };
        let expected = output["config"]["profiles"].as_object().unwrap();
        let mut names: Vec<&str> = set.profiles().collect();
        names.sort_unstable();
        let mut wanted: Vec<&str> = expected.keys().map(String::as_str).collect();
        wanted.sort_unstable();
        if names != wanted {
            failures.push(format!("{name}: profiles {names:?}, expected {wanted:?}"));
            continue;
        }
        for (profile, props) in expected {
            // Property names are matched case-insensitively (stored lower-cased) and keep
            // their spelling: the whole profile must be equal, nothing more, nothing less.
            let want = aws_config::profile::Profile::new(
                profile.clone(),
                props
                    .as_object()
                    .unwrap()
                    .iter()
                    .map(|(k, v)| {
                        (
                            k.to_ascii_lowercase(),
                            aws_config::profile::Property::new(
                                k.clone(),
                                v.as_str().unwrap().to_string(),
                            ),
                        )
                    })
                    .collect(),
            );
            if set.get_profile(profile) != Some(&want) {
                failures.push(format!(
                    "{name}: profile {profile}: {:?}, expected {want:?}",
                    set.get_profile(profile)
                ));
            }
        }
        // SSO sessions: their names, and every expected property (aws-config offers no way to
        // build a whole section to compare with).
        let sessions = output["config"]["sso_sessions"]
            .as_object()
            .cloned()
            .unwrap_or_default();
        let mut got: Vec<&str> = set.sso_sessions().collect();
        got.sort_unstable();
        let mut want: Vec<&str> = sessions.keys().map(String::as_str).collect();
        want.sort_unstable();
        if got != want {
            failures.push(format!("{name}: sso-sessions {got:?}, expected {want:?}"));
        }
        for (session, props) in &sessions {
            for (k, v) in props.as_object().unwrap() {
                let actual = set.sso_session(session).and_then(|s| s.get(k));
                if actual != v.as_str() {
                    failures.push(format!(
                        "{name}: sso-session {session}: {k} = {actual:?}, expected {v}"
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}
