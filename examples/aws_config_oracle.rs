//! The aws-config oracle of the differential tests (contract: tests/support/oracle-protocol.md):
//! which credentials a Rust job would get, answered by aws-config's own default chain rather
//! than by expiry-doctor's model of it.
//!
//! ```text
//! aws_config_oracle [--endpoint-url-mode=transport|env] SCENARIOS.json STUB_URL  > outcomes.json
//! ```
//!
//! # One process, one thread, the environment replaced
//!
//! aws-config reads the process environment and the real file system (`ProviderConfig::with_env`
//! and `with_fs` are crate-private), so the scenarios run one after another in this process,
//! each with the whole process environment replaced, a fresh HOME of its own and HOME as the
//! working directory (so relative paths resolve under HOME, as in the botocore oracle).
//! Replacing the environment is only sound while no other thread can read it, so the process
//! stays single-threaded: each scenario gets a tokio current-thread runtime of its own, which is
//! dropped before the environment is touched again (that drop joins any blocking-pool thread
//! the scenario started), and [`single_threaded`] checks it before every change.
//!
//! # The chain a job gets
//!
//! The chain is the one `aws_config::load_from_env()` builds (`aws_config::defaults(
//! BehaviorVersion::latest()).load()`, then `credentials_provider()`), not a bare
//! `DefaultCredentialsChain::builder().build()`: `ConfigLoader::load` first resolves FIPS,
//! dual-stack, the region, retry and timeout settings from the scenario's environment and
//! profile and hands them to the chain (`DefaultCredentialsChain::builder().configure(conf)`
//! with the loaded region), so the STS, SSO and SSO-OIDC clients inside the providers are
//! configured exactly as a job's are. A fresh loader per scenario means fresh providers: the
//! parsed profile, the SSO token provider's cache and the HTTP clients with their connection
//! pools live in those instances and go with them. What aws-smithy-runtime keeps process-wide
//! is the standard retry strategy's token bucket per retry partition (`sts`, `sso`, ...), which
//! only retried (failed) requests spend; against the stub, which answers healthily or with a
//! 404 that is not retried, it stays full.
//!
//! The one change to that loader is its HTTP client: aws-smithy-http-client's hyper 1.x client,
//! the one aws-config uses by default, built without TLS and without proxies (every request
//! goes to the loopback stub, in plain HTTP), behind a guard that keeps every request on the
//! stub. A scenario's proxy variables are therefore not honoured. `--endpoint-url-mode` says
//! how requests reach the stub:
//!
//! - `transport` (the default, as in the botocore oracle): an `AWS_ENDPOINT_URL` equal to the
//!   stub's URL is removed from the job's environment, aws-config resolves its endpoints as in
//!   production (`https://sts.us-east-1.amazonaws.com`, the SSO portal, SSO-OIDC, the container
//!   endpoint `169.254.170.2`) and the guard sends each request there to the stub instead,
//!   unchanged but for scheme, host and port. This matters: with `AWS_ENDPOINT_URL` set and no
//!   region, aws-config 1.13 gets web identity credentials (AssumeRoleWithWebIdentity is
//!   unsigned and the endpoint needs no region), where a job without it fails with
//!   "Invalid Configuration: Missing Region".
//! - `env`: `AWS_ENDPOINT_URL` stays as given and aws-config talks to the stub by itself (it
//!   honours it for STS, SSO and SSO-OIDC); a request to anywhere else is refused, and the
//!   scenario's outcome is `NonLoopbackConnection`.
//!
//! # The source
//!
//! The provider that answered is read from the `AwsCredentialFeature` tags every provider puts
//! on its credentials (the mapping of `source_of` in src/gather/live/credentials.rs), with one
//! addition: a role assumed by a *profile* (`role_arn` with `source_profile` or
//! `credential_source`) is tagged only `CredentialsProfile` in aws-config 1.13 (its internal
//! `AssumeRoleProvider` adds no tag and replaces the base credentials, tags and all), so it
//! would read as static profile keys. Those credentials are recognised by their provider name,
//! `AssumeRoleProvider`, which aws-config shows only in `Credentials`' `Debug` (secrets are
//! redacted there).
//!
//! In messages, the scenario's HOME is written back as `{HOME}` and the stub's URL as `{STUB}`,
//! so that outcomes are reproducible.
//!
//! Exit status: 0 when every scenario has an outcome (whatever it is); 2 when the run cannot
//! start (usage, unreadable or invalid scenarios); 3 when the process is not single-threaded
//! where it must be (the environment cannot be replaced soundly).

// The oracle's output is stdout and its complaints are stderr; it is the outside world that
// sets up the environment (clippy.toml's disallowed methods guard the product, not this).
#![allow(clippy::print_stdout, clippy::print_stderr, clippy::disallowed_methods)]

use aws_config::BehaviorVersion;
use aws_credential_types::Credentials;
use aws_credential_types::credential_feature::AwsCredentialFeature;
use aws_credential_types::provider::ProvideCredentials;
use aws_credential_types::provider::error::CredentialsError;
use aws_smithy_runtime_api::client::http::{
    HttpClient, HttpConnector, HttpConnectorFuture, HttpConnectorSettings, SharedHttpClient,
    SharedHttpConnector,
};
use aws_smithy_runtime_api::client::orchestrator::HttpRequest;
use aws_smithy_runtime_api::client::result::ConnectorError;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Component, Path};
use std::process::ExitCode;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// A scenario is bounded: a resolution that takes longer is the outcome `Timeout`.
const SCENARIO_TIMEOUT: Duration = Duration::from_secs(5);
/// The protocol's limit on `message`.
const MESSAGE_CHARS: usize = 300;
/// The PATH every scenario gets (the protocol's; `sh` for credential_process).
const PATH: &str = "/usr/bin:/bin";

#[derive(Deserialize)]
struct Scenario {
    id: String,
    #[serde(default)]
    env: BTreeMap<String, String>,
    #[serde(default)]
    files: BTreeMap<String, String>,
}

#[derive(Serialize)]
struct Outcome {
    id: String,
    source: String,
    credentials: bool,
    error: Option<String>,
    message: Option<String>,
}

impl Outcome {
    fn failed(id: &str, error: &str, message: &str) -> Outcome {
        Outcome {
            id: id.to_string(),
            source: "none".into(),
            credentials: false,
            error: Some(error.into()),
            // Made one line, and short, once HOME and the stub are written back.
            message: Some(message.to_string()),
        }
    }
}

#[derive(Clone, Copy, PartialEq)]
enum EndpointMode {
    Transport,
    Env,
}

fn main() -> ExitCode {
    let mut mode = EndpointMode::Transport;
    let mut positional = Vec::new();
    for arg in std::env::args().skip(1) {
        match arg.as_str() {
            "--endpoint-url-mode=transport" => mode = EndpointMode::Transport,
            "--endpoint-url-mode=env" => mode = EndpointMode::Env,
            a if a.starts_with("--") => {
                eprintln!("aws_config_oracle: unknown option {a}");
                return ExitCode::from(2);
            }
            _ => positional.push(arg),
        }
    }
    let [scenarios_path, stub_url] = positional.as_slice() else {
        eprintln!(
            "usage: aws_config_oracle [--endpoint-url-mode=transport|env] SCENARIOS.json STUB_URL"
        );
        return ExitCode::from(2);
    };
    let stub = stub_url.trim_end_matches('/').to_string();
    if !stub.starts_with("http://") {
        eprintln!("aws_config_oracle: STUB_URL must be http://HOST:PORT, not {stub_url}");
        return ExitCode::from(2);
    }
    let scenarios = match load(scenarios_path) {
        Ok(s) => s,
        Err(why) => {
            eprintln!("aws_config_oracle: {scenarios_path}: {why}");
            return ExitCode::from(2);
        }
    };
    // Every HOME lives under one directory made while the oracle's own TMPDIR is still set
    // (the scenarios' environments replace it); it goes when the run ends.
    let homes = match tempfile::Builder::new()
        .prefix("aws-config-oracle-")
        .tempdir()
    {
        Ok(d) => d,
        Err(e) => {
            eprintln!("aws_config_oracle: cannot make a temporary directory: {e}");
            return ExitCode::from(2);
        }
    };

    let mut outcomes = Vec::with_capacity(scenarios.len());
    for (i, scenario) in scenarios.iter().enumerate() {
        let home = homes.path().join(format!("home-{i}"));
        let outcome = match prepare(scenario, &home, &stub, mode) {
            Ok(env) => {
                if let Err(why) = single_threaded() {
                    eprintln!(
                        "aws_config_oracle: before scenario {}: {why}; the environment cannot \
                         be replaced soundly",
                        scenario.id
                    );
                    return ExitCode::from(3);
                }
                // SAFETY: `single_threaded` just proved that this thread is the process's only
                // one, so nothing can read the environment while it changes (a concurrent
                // getenv, in libc or elsewhere, is what makes set_var unsound). No thread
                // starts before `resolve`, whose runtime is dropped, joining its blocking-pool
                // threads, before it returns.
                unsafe { replace_environment(&env) };
                resolve(&scenario.id, &stub, mode)
            }
            // A scenario whose files cannot be written is that scenario's outcome.
            Err(why) => Outcome::failed(&scenario.id, "ScenarioSetup", &why),
        };
        let home_str = home.to_string_lossy();
        let outcome = Outcome {
            message: outcome.message.map(|m| {
                one_line(
                    &m.replace(home_str.as_ref(), "{HOME}")
                        .replace(&stub, "{STUB}"),
                )
            }),
            ..outcome
        };
        // Out of the HOME before it goes.
        let _ = std::env::set_current_dir(homes.path());
        let _ = std::fs::remove_dir_all(&home);
        outcomes.push(outcome);
    }

    let lines: Vec<String> = outcomes
        .iter()
        .map(|o| serde_json::to_string(o).expect("outcomes serialise"))
        .collect();
    println!("[\n{}\n]", lines.join(",\n"));
    ExitCode::SUCCESS
}

/// Reads and validates the scenarios: one bad scenario makes the whole input bad (exit 2),
/// before any scenario runs.
fn load(path: &str) -> Result<Vec<Scenario>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    let scenarios: Vec<Scenario> = serde_json::from_str(&text).map_err(|e| e.to_string())?;
    for s in &scenarios {
        for (k, v) in &s.env {
            // What set_var would panic on.
            if k.is_empty() || k.contains(['=', '\0']) || v.contains('\0') {
                return Err(format!(
                    "scenario {}: invalid environment variable {k:?}",
                    s.id
                ));
            }
        }
        for rel in s.files.keys() {
            let plain = Path::new(rel)
                .components()
                .all(|c| matches!(c, Component::Normal(_)));
            if rel.is_empty() || !plain {
                return Err(format!(
                    "scenario {}: file path {rel:?} must be relative, without `..`",
                    s.id
                ));
            }
        }
    }
    Ok(scenarios)
}

/// Makes the scenario's HOME and files, enters HOME, and returns the job's whole environment
/// (placeholders replaced, HOME and PATH the oracle's; in `transport` mode without an
/// `AWS_ENDPOINT_URL` that only names the stub).
fn prepare(
    s: &Scenario,
    home: &Path,
    stub: &str,
    mode: EndpointMode,
) -> Result<Vec<(String, String)>, String> {
    let home_str = home
        .to_str()
        .ok_or_else(|| format!("HOME {} is not UTF-8", home.display()))?
        .trim_end_matches('/')
        .to_string();
    let fill = |text: &str| text.replace("{HOME}", &home_str).replace("{STUB}", stub);
    std::fs::create_dir_all(home).map_err(|e| format!("{}: {e}", home.display()))?;
    for (rel, contents) in &s.files {
        let path = home.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
        }
        let contents = fill(contents);
        std::fs::write(&path, &contents).map_err(|e| format!("{}: {e}", path.display()))?;
        // A script, for credential_process (as the botocore oracle does).
        #[cfg(unix)]
        if contents.starts_with("#!") {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755))
                .map_err(|e| format!("{}: {e}", path.display()))?;
        }
    }
    std::env::set_current_dir(home).map_err(|e| format!("{}: {e}", home.display()))?;
    let mut env: Vec<(String, String)> = s
        .env
        .iter()
        .filter(|(k, _)| k.as_str() != "HOME" && k.as_str() != "PATH")
        .map(|(k, v)| (k.clone(), fill(v)))
        .filter(|(k, v)| {
            !(mode == EndpointMode::Transport
                && k == "AWS_ENDPOINT_URL"
                && v.trim_end_matches('/') == stub)
        })
        .collect();
    env.push(("HOME".into(), home_str));
    env.push(("PATH".into(), PATH.into()));
    Ok(env)
}

/// This process has exactly one thread (Linux: `/proc/self/task`; elsewhere the structure of
/// this program is the argument: it starts no thread, and every runtime is dropped, joining
/// its blocking pool, before the next scenario).
fn single_threaded() -> Result<(), String> {
    if cfg!(target_os = "linux") {
        let threads = std::fs::read_dir("/proc/self/task")
            .map_err(|e| format!("cannot list /proc/self/task: {e}"))?
            .count();
        if threads != 1 {
            return Err(format!("the process has {threads} threads"));
        }
    }
    Ok(())
}

/// Removes every variable of the process environment and sets `vars`.
///
/// # Safety
/// No other thread may exist (and so read the environment) during the call.
unsafe fn replace_environment(vars: &[(String, String)]) {
    let names: Vec<std::ffi::OsString> = std::env::vars_os().map(|(k, _)| k).collect();
    for k in names {
        // SAFETY: the caller guarantees this is the process's only thread.
        unsafe { std::env::remove_var(&k) };
    }
    for (k, v) in vars {
        // SAFETY: as above; `load` rejected the names and values set_var would refuse.
        unsafe { std::env::set_var(k, v) };
    }
}

/// What `aws_config::load_from_env()` gives a job, asked once for credentials within
/// [`SCENARIO_TIMEOUT`], on a runtime of the scenario's own (dropped before returning). A panic
/// inside aws-config is the scenario's outcome.
fn resolve(id: &str, stub: &str, mode: EndpointMode) -> Outcome {
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => return Outcome::failed(id, "Runtime", &e.to_string()),
    };
    let refused = Arc::new(Mutex::new(None::<String>));
    let client = SharedHttpClient::new(StubOnly {
        inner: aws_smithy_http_client::Builder::new().build_http(),
        stub: stub.to_string(),
        redirect: mode == EndpointMode::Transport,
        refused: refused.clone(),
    });
    let asked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        // The timer is made inside the runtime (it needs its time driver).
        runtime.block_on(async {
            tokio::time::timeout(SCENARIO_TIMEOUT, async {
                let config = aws_config::defaults(BehaviorVersion::latest())
                    .http_client(client)
                    .load()
                    .await;
                match config.credentials_provider() {
                    Some(provider) => Some(provider.provide_credentials().await),
                    None => None,
                }
            })
            .await
        })
    }));
    // Dropping the runtime cancels what is left of the scenario (a timed-out request, a
    // connection's task) and joins the blocking-pool threads it may have started.
    drop(runtime);
    if let Some(url) = refused.lock().unwrap_or_else(|e| e.into_inner()).take() {
        return Outcome::failed(
            id,
            "NonLoopbackConnection",
            &format!("a request to {url}, which is not the stub, was refused"),
        );
    }
    match asked {
        Ok(Ok(Some(Ok(creds)))) => Outcome {
            id: id.to_string(),
            source: source_of(&creds),
            credentials: true,
            error: None,
            message: None,
        },
        Ok(Ok(Some(Err(e)))) => Outcome::failed(id, variant(&e), &error_text(&e)),
        Ok(Ok(None)) => Outcome::failed(
            id,
            "NoProvider",
            "the loaded SdkConfig has no credentials provider",
        ),
        Ok(Err(_elapsed)) => Outcome::failed(
            id,
            "Timeout",
            &format!(
                "no credentials and no error within {} s",
                SCENARIO_TIMEOUT.as_secs()
            ),
        ),
        Err(panic) => {
            let text = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "(a panic without a message)".into());
            Outcome::failed(id, "Panic", &text)
        }
    }
}

/// The HTTP client of every aws-config client in a scenario: aws-config's default (hyper 1.x,
/// plain HTTP) behind a guard that keeps every request on the stub.
#[derive(Debug)]
struct StubOnly {
    inner: SharedHttpClient,
    stub: String,
    /// `transport`: send every request to the stub; `env`: refuse any that is not for it.
    redirect: bool,
    /// The first refused URL.
    refused: Arc<Mutex<Option<String>>>,
}

impl HttpClient for StubOnly {
    fn http_connector(
        &self,
        settings: &HttpConnectorSettings,
        components: &RuntimeComponents,
    ) -> SharedHttpConnector {
        SharedHttpConnector::new(StubOnlyConnector {
            inner: self.inner.http_connector(settings, components),
            stub: self.stub.clone(),
            redirect: self.redirect,
            refused: self.refused.clone(),
        })
    }
}

#[derive(Debug)]
struct StubOnlyConnector {
    inner: SharedHttpConnector,
    stub: String,
    redirect: bool,
    refused: Arc<Mutex<Option<String>>>,
}

impl HttpConnector for StubOnlyConnector {
    fn call(&self, mut request: HttpRequest) -> HttpConnectorFuture {
        let uri = request.uri().to_string();
        // `scheme://authority` and the rest (path and query, `/` at least).
        let (origin, rest) = match uri.split_once("://") {
            Some((scheme, tail)) => {
                let cut = tail.find(['/', '?']).unwrap_or(tail.len());
                (format!("{scheme}://{}", &tail[..cut]), &tail[cut..])
            }
            None => (String::new(), uri.as_str()),
        };
        let rest = if rest.starts_with('/') {
            rest.to_string()
        } else {
            format!("/{rest}")
        };
        if origin != self.stub {
            if !self.redirect {
                self.refused
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .get_or_insert(uri.clone());
                return HttpConnectorFuture::ready(Err(ConnectorError::user(
                    format!("NonLoopbackConnection: {uri} is not the stub").into(),
                )));
            }
            if let Err(e) = request.set_uri(format!("{}{rest}", self.stub)) {
                return HttpConnectorFuture::ready(Err(ConnectorError::user(e.into())));
            }
        }
        self.inner.call(request)
    }
}

/// The `CredentialsError` variant's name, as the protocol wants it.
fn variant(e: &CredentialsError) -> &'static str {
    match e {
        CredentialsError::CredentialsNotLoaded(_) => "CredentialsNotLoaded",
        CredentialsError::ProviderTimedOut(_) => "ProviderTimedOut",
        CredentialsError::InvalidConfiguration(_) => "InvalidConfiguration",
        CredentialsError::ProviderError(_) => "ProviderError",
        CredentialsError::Unhandled(_) => "Unhandled",
        // `#[non_exhaustive]`: a variant newer than this oracle.
        _ => "UnknownCredentialsError",
    }
}

/// The error and its sources, `: `-joined (a variant's own Display is a fixed phrase; the
/// cause is in the sources).
fn error_text(e: &(dyn std::error::Error + 'static)) -> String {
    let mut text = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        text.push_str(": ");
        text.push_str(&c.to_string());
        cause = c.source();
    }
    text
}

/// One line, at most [`MESSAGE_CHARS`] characters.
fn one_line(text: &str) -> String {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match flat.char_indices().nth(MESSAGE_CHARS) {
        Some((cut, _)) => flat[..cut].to_string(),
        None => flat,
    }
}

/// The provider that supplied `creds`, in expiry-doctor's vocabulary (`Source` in
/// src/facts.rs): the most specific tag wins (a role assumed on top of SSO is `assume-role`).
fn source_of(creds: &Credentials) -> String {
    let provider = provider_name(creds);
    // A profile's role: tagged only CredentialsProfile (see the module's documentation).
    if provider.as_deref() == Some("AssumeRoleProvider") {
        return "assume-role".into();
    }
    let features = creds
        .get_property::<Vec<AwsCredentialFeature>>()
        .cloned()
        .unwrap_or_default();
    let has = |f: AwsCredentialFeature| features.contains(&f);
    use AwsCredentialFeature as F;
    let source = if has(F::CredentialsStsAssumeRole) {
        "assume-role"
    } else if has(F::CredentialsProfileStsWebIdToken)
        || has(F::CredentialsEnvVarsStsWebIdToken)
        || has(F::CredentialsStsAssumeRoleWebId)
    {
        "web-identity"
    } else if has(F::CredentialsSso) || has(F::CredentialsProfileSso) {
        "sso"
    } else if has(F::CredentialsProcess) || has(F::CredentialsProfileProcess) {
        "credential-process"
    } else if has(F::CredentialsLogin) || has(F::CredentialsProfileLogin) {
        "login"
    } else if has(F::CredentialsHttp) {
        "container"
    } else if has(F::CredentialsImds) {
        "instance-metadata"
    } else if has(F::CredentialsEnvVars) {
        "environment"
    } else if has(F::CredentialsProfile) {
        "shared-credentials"
    } else {
        return format!("other:{}", provider.as_deref().unwrap_or("untagged"));
    };
    source.into()
}

/// The credentials' `provider_name`, which aws-config shows only in their `Debug`
/// (`Credentials { provider_name: "ProfileFile", access_key_id: …, secret_access_key:
/// "** redacted **", … }`).
fn provider_name(creds: &Credentials) -> Option<String> {
    let debug = format!("{creds:?}");
    let rest = debug.split_once("provider_name: \"")?.1;
    Some(rest.split_once('"')?.0.to_string())
}
