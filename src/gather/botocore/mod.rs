//! The credentials as botocore (boto3, the AWS CLI) resolves them, over local facts: its
//! provider order, each provider's rules, and its reading of the shared files (`ini.rs`).
//! Written from botocore's source (`credentials.py`: `create_credential_resolver`,
//! `ProfileProviderBuilder`, each provider's `load`; `configloader.py`; `session.py`:
//! `full_config`, `get_scoped_config`); the differential tests hold it to real botocore.
//!
//! The chain, for the profile `AWS_DEFAULT_PROFILE`, else `AWS_PROFILE` (present, even blank),
//! else `default` selects:
//!
//! 0. Before any provider, the session reads the selected profile's scoped config: a file it
//!    cannot parse raises `ConfigParseError`, an explicitly selected profile that exists in
//!    neither file raises `ProfileNotFound`. Either way the job gets nothing, even with keys
//!    exported.
//! 1. The environment: a non-empty `AWS_ACCESS_KEY_ID` needs a non-empty
//!    `AWS_SECRET_ACCESS_KEY` (else `PartialCredentialsError`: the chain stops); the legacy
//!    `SECRET_ACCESS_KEY` is not read; an `AWS_CREDENTIAL_EXPIRATION` it cannot parse raises.
//! 2. Assume role, when the profile has `role_arn` and no `web_identity_token_file`; its source
//!    is resolved now (`source_profile` through the profile providers below, or
//!    `credential_source`, compared case-sensitively); every configuration error raises.
//! 3. Web identity: each of the token file and the role from the environment when the variable
//!    is present, else from the profile; a token file without a role raises.
//! 4. SSO, when the profile has `sso_account_id` or `sso_role_name`: every required key must be
//!    there, the `sso-session` must exist and agree with the profile.
//! 5. The credentials file's section of that exact name (`aws_access_key_id` needs its secret).
//! 6. `login_session`: needs botocore's `crt` extra, which a plain boto3 install lacks: raises.
//! 7. `credential_process`: split like a shell would (`shlex.split`) and run without one; a
//!    failure raises.
//! 8. The config file's profile (`aws_access_key_id` needs its secret).
//! 9. The container endpoint (loopback and the ECS/EKS addresses only), then instance metadata.

pub mod client;
pub mod ini;
pub mod words;

use super::environment;
use super::files;
use super::profiles::{Base, ProfileChain, RoleHop, SsoProfile};
use super::sources::{self, View};
use crate::env::Env;
use crate::facts::{Facts, HopKind, Problem, ProblemKind, ProfileHop, Sdk, Source};
use ini::{Section, Value};
use std::collections::BTreeMap;
use std::path::PathBuf;
use tokio::time::Instant;

/// The instance-metadata settings botocore looks up while it builds its resolver; each one not
/// exported sends it to the selected profile's config (which parses both files and checks that
/// the profile exists).
const IMDS_SETTINGS: &[&str] = &[
    "AWS_METADATA_SERVICE_TIMEOUT",
    "AWS_METADATA_SERVICE_NUM_ATTEMPTS",
    "AWS_EC2_METADATA_SERVICE_ENDPOINT",
    "AWS_EC2_METADATA_V1_DISABLED",
];

/// The two shared files as botocore reads them.
#[derive(Debug, Default)]
pub struct Config {
    /// The config file's profiles (`[profile x]`, `[default]`), by name (`load_config`).
    config_profiles: BTreeMap<String, Section>,
    /// Its `[sso-session x]` sections.
    sso_sessions: BTreeMap<String, Section>,
    /// Its `[services x]` sections (endpoint overrides per service).
    services: BTreeMap<String, Section>,
    /// The credentials file's sections, named as written.
    credentials: BTreeMap<String, Section>,
    /// `full_config['profiles']`: the config file's, each updated by the credentials file's
    /// section of the same name.
    profiles: BTreeMap<String, Section>,
    /// A file botocore cannot parse: it raises at the first lookup.
    broken: Option<Problem>,
    /// Side facts worth a word (a file named by a variable that does not exist).
    notes: Vec<Problem>,
    /// Config sections botocore drops without a word: `[profile my dev]` (not two words).
    dropped: Vec<Problem>,
}

/// Where a file lives: the variable when present (even blank: botocore then finds no file),
/// `$VAR`s and a leading `~` expanded (`os.path.expandvars`, `expanduser`); else
/// `~/.aws/<name>`.
fn path_of(env: &Env, var: &str, default_name: &str) -> Option<PathBuf> {
    match env.raw(var) {
        Some(p) => Some(env.expand_home(&expand_vars(env, p))),
        None => env.home().map(|h| h.join(".aws").join(default_name)),
    }
}

/// `os.path.expandvars`: `$NAME` and `${NAME}` of set variables replaced; others left as is.
fn expand_vars(env: &Env, s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(at) = rest.find('$') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        let (name, tail) = match after.strip_prefix('{') {
            Some(b) => match b.find('}') {
                Some(end) => (&b[..end], &b[end + 1..]),
                None => ("", after),
            },
            None => {
                let end = after
                    .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                    .unwrap_or(after.len());
                (&after[..end], &after[end..])
            }
        };
        match env.raw(name).filter(|_| !name.is_empty()) {
            Some(v) => {
                out.push_str(v);
                rest = tail;
            }
            None => {
                out.push('$');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Reads and parses one file: `Ok(None)` when botocore would not find it (missing, not a
/// regular file, unreadable: configparser skips what it cannot open).
fn read(path: &std::path::Path) -> Result<Option<Vec<(String, Section)>>, Problem> {
    let shown = path.display().to_string();
    let text = match files::read_capped(path, files::CONFIG_CAP) {
        Ok(None) => return Ok(None),
        Ok(Some(bytes)) => match String::from_utf8(bytes) {
            Ok(t) => t,
            Err(e) => {
                return Err(Problem::new(
                    ProblemKind::ConfigFile,
                    shown,
                    format!(
                        "is not UTF-8 text (invalid byte at offset {}): botocore raises \
                         ConfigParseError",
                        e.utf8_error().valid_up_to()
                    ),
                ));
            }
        },
        Err(why) if why.contains("directory") || why.contains("permission") => return Ok(None),
        Err(why) => return Err(Problem::new(ProblemKind::ConfigFile, shown, why)),
    };
    ini::parse(&text).map(Some).map_err(|e| {
        Problem::new(
            ProblemKind::ConfigFile,
            shown,
            format!("{e}: botocore raises ConfigParseError"),
        )
        .at_line(e.line())
    })
}

/// `_parse_section`: `profile x` (split as a shell would) names profile `x`; anything that
/// does not split into exactly two words names nothing.
fn second_word(key: &str) -> Option<String> {
    match words::split(key)?.as_slice() {
        [_, name] => Some(name.clone()),
        _ => None,
    }
}

impl Config {
    /// Reads both files as botocore's session does.
    pub fn load(env: &Env) -> Config {
        let env = &*env.as_python_sees_it();
        let mut cfg = Config::default();
        let config_path = path_of(env, "AWS_CONFIG_FILE", "config");
        let credentials_path = path_of(env, "AWS_SHARED_CREDENTIALS_FILE", "credentials");
        for (var, path) in [
            ("AWS_CONFIG_FILE", &config_path),
            ("AWS_SHARED_CREDENTIALS_FILE", &credentials_path),
        ] {
            if let Some(p) = path
                && env.var(var).is_some()
                && !p.exists()
            {
                cfg.notes.push(Problem::new(
                    ProblemKind::Environment,
                    p.display().to_string(),
                    format!("does not exist (named by {var})"),
                ));
            }
        }
        if let Some(path) = &config_path {
            match read(path) {
                Ok(Some(sections)) => {
                    // `build_profile_map`, in file order: a later section of the same name
                    // replaces an earlier one whole.
                    for (key, values) in sections {
                        if key.starts_with("profile") {
                            if let Some(name) = second_word(&key) {
                                cfg.config_profiles.insert(name, values);
                            } else if key.contains(char::is_whitespace) {
                                cfg.dropped.push(Problem::new(
                                    ProblemKind::IgnoredSection,
                                    format!("[{key}] in {}", path.display()),
                                    "is ignored by botocore: it splits the header into words as \
                                     a shell would and reads a profile only from exactly two; \
                                     quote the name ([profile \"my name\"])",
                                ));
                            }
                        } else if key.starts_with("sso-session") {
                            if let Some(name) = second_word(&key) {
                                cfg.sso_sessions.insert(name, values);
                            }
                        } else if key.starts_with("services") {
                            if let Some(name) = second_word(&key) {
                                cfg.services.insert(name, values);
                            }
                        } else if key == "default" {
                            cfg.config_profiles.insert(key, values);
                        }
                    }
                }
                Ok(None) => {}
                Err(p) => cfg.broken = Some(p),
            }
        }
        if let Some(path) = &credentials_path {
            match read(path) {
                Ok(Some(sections)) => cfg.credentials = sections.into_iter().collect(),
                Ok(None) => {}
                Err(p) => {
                    cfg.broken.get_or_insert(p);
                }
            }
        }
        cfg.profiles = cfg.config_profiles.clone();
        for (name, values) in &cfg.credentials {
            cfg.profiles
                .entry(name.clone())
                .or_default()
                .extend(values.clone());
        }
        cfg
    }

    /// Every profile name a job could select.
    pub fn profile_names(&self) -> impl Iterator<Item = &str> {
        self.profiles.keys().map(String::as_str)
    }
}

/// A key's text in a section (nested values are not text).
fn get<'a>(section: &'a Section, key: &str) -> Option<&'a str> {
    section.get(key).and_then(Value::text)
}

/// Why botocore stops, as a problem that fails the chain.
fn stop(subject: impl Into<String>, message: impl Into<String>) -> Problem {
    Problem::new(ProblemKind::ChainStopped, subject, message)
}

/// What the profile stage of botocore's chain makes of the selected profile.
enum Pick {
    /// A provider supplies credentials from the profile (a role, SSO, keys, a helper).
    Profile(ProfileChain),
    /// Web identity, its token file and role from the environment or the profile.
    WebIdentity {
        role_arn: String,
        token_file: String,
        profile: Option<String>,
    },
    /// A provider raised: the chain stops.
    Stop(Problem),
    /// No provider of the profile stage applies.
    Nothing,
}

/// The profile providers of `ProfileProviderBuilder.providers` over profile `name`
/// (`env_vars`: whether web identity may read the environment), after assume role.
fn profile_providers(cfg: &Config, env: &Env, name: &str, env_vars: bool) -> Pick {
    let empty = Section::new();
    let profile = cfg.profiles.get(name).unwrap_or(&empty);
    // Web identity: each setting from the environment when its variable is present.
    let setting = |var: &str, key: &str| -> Option<(String, bool)> {
        match env_vars.then(|| env.raw(var)).flatten() {
            Some(v) => Some((v.to_string(), true)),
            None => get(profile, key).map(|v| (v.to_string(), false)),
        }
    };
    if let Some((token_file, from_env)) =
        setting("AWS_WEB_IDENTITY_TOKEN_FILE", "web_identity_token_file")
        && !token_file.is_empty()
    {
        return match setting("AWS_ROLE_ARN", "role_arn").filter(|(r, _)| !r.is_empty()) {
            Some((role_arn, _)) => Pick::WebIdentity {
                role_arn,
                token_file,
                profile: (!from_env).then(|| name.to_string()),
            },
            None => Pick::Stop(stop(
                if from_env {
                    "AWS_WEB_IDENTITY_TOKEN_FILE".to_string()
                } else {
                    format!("profile {name}")
                },
                "names a web identity token file but no role (AWS_ROLE_ARN or role_arn): \
                 botocore raises InvalidConfigError",
            )),
        };
    }
    // SSO.
    if profile.contains_key("sso_account_id") || profile.contains_key("sso_role_name") {
        return match sso_of(cfg, profile, name) {
            Ok(sso) => Pick::Profile(single(name, HopKind::Sso, Base::Sso(sso))),
            Err(p) => Pick::Stop(p),
        };
    }
    // The credentials file's own section.
    if let Some(section) = cfg.credentials.get(name)
        && section.contains_key("aws_access_key_id")
    {
        return static_keys(name, section, "the credentials file");
    }
    // `aws login`.
    if profile.contains_key("login_session") {
        return Pick::Stop(stop(
            format!("profile {name}"),
            "uses login_session, which botocore reads only with its crt extra (pip install \
             \"botocore[crt]\"); without it botocore raises MissingDependencyException",
        ));
    }
    if let Some(command) = get(profile, "credential_process") {
        return Pick::Profile(single(
            name,
            HopKind::CredentialProcess,
            Base::CredentialProcess {
                profile: name.to_string(),
                command: command.to_string(),
            },
        ));
    }
    if let Some(section) = cfg.config_profiles.get(name)
        && section.contains_key("aws_access_key_id")
    {
        return static_keys(name, section, "the config file");
    }
    Pick::Nothing
}

/// What the first call of a deferred provider (AssumeRole, AssumeRoleWithWebIdentity, SSO's
/// GetRoleCredentials) fails on before it reaches the service, for the profile stage's pick.
fn first_call(cfg: &Config, env: &Env, selected: &Section, pick: &Pick) -> Option<String> {
    let sso = |s: &SsoProfile| -> Result<(), String> {
        client::sso_region(&s.region)?;
        // The token provider re-reads the sso-session section itself.
        if let Some(name) = &s.session_name {
            let section = cfg.sso_sessions.get(name);
            if !section
                .is_some_and(|s| s.contains_key("sso_start_url") && s.contains_key("sso_region"))
            {
                return Err(format!(
                    "[sso-session {name}] lacks sso_start_url or sso_region (the profile's own \
                     values do not count for the token): botocore raises InvalidConfigError"
                ));
            }
        }
        client::client(cfg, env, selected, "sso", false)
    };
    let result = match pick {
        Pick::Profile(chain) => {
            let mut r = Ok(());
            for hop in chain.roles.iter().rev() {
                r = r.and_then(|_| {
                    client::assume_role_params(
                        &hop.role_arn,
                        hop.session_name.as_deref(),
                        hop.external_id.as_deref(),
                        hop.duration_seconds,
                    )
                });
            }
            if !chain.roles.is_empty() {
                r = r.and_then(|_| client::client(cfg, env, selected, "sts", true));
            }
            match &chain.base {
                Base::Sso(s) => r.and_then(|_| sso(s)),
                Base::WebIdentity { token_file, .. } => r.and_then(|_| {
                    web_identity_token(token_file)?;
                    client::client(cfg, env, selected, "sts", false)
                }),
                _ => r,
            }
        }
        Pick::WebIdentity { token_file, .. } => web_identity_token(token_file)
            .and_then(|_| client::client(cfg, env, selected, "sts", false)),
        Pick::Stop(_) | Pick::Nothing => Ok(()),
    };
    result.err()
}

/// The web identity token as botocore reads it: the path as written (no `~`), the content
/// unstripped, at least 4 characters.
fn web_identity_token(token_file: &str) -> Result<(), String> {
    if token_file.starts_with('~') {
        return Err(format!(
            "web identity token file {token_file}: botocore does not expand ~ in it \
             (FileNotFoundError)"
        ));
    }
    match files::read_capped(std::path::Path::new(token_file), files::CACHE_CAP) {
        Ok(Some(bytes)) if String::from_utf8_lossy(&bytes).chars().count() < 4 => Err(format!(
            "web identity token file {token_file} holds fewer than 4 characters: botocore raises \
             ParamValidationError"
        )),
        _ => Ok(()),
    }
}

/// A profile that is its own base.
fn single(name: &str, kind: HopKind, base: Base) -> ProfileChain {
    ProfileChain {
        base,
        roles: Vec::new(),
        hops: vec![ProfileHop {
            profile: name.to_string(),
            kind,
            ..ProfileHop::default()
        }],
        ignored: Vec::new(),
    }
}

/// Keys of a section: the key id needs its secret (`_extract_creds_from_mapping`).
fn static_keys(name: &str, section: &Section, file: &str) -> Pick {
    if !section.contains_key("aws_secret_access_key") {
        return Pick::Stop(stop(
            format!("profile {name}"),
            format!(
                "has aws_access_key_id but no aws_secret_access_key in {file}: botocore \
                 raises PartialCredentialsError"
            ),
        ));
    }
    Pick::Profile(single(
        name,
        HopKind::StaticKeys,
        Base::StaticKeys {
            profile: name.to_string(),
            key_id: get(section, "aws_access_key_id").map(str::to_string),
            has_session_token: section.contains_key("aws_security_token")
                || section.contains_key("aws_session_token"),
            expires: get(section, "x_security_token_expires").map(str::to_string),
        },
    ))
}

/// `SSOProvider._load_sso_config`.
fn sso_of(cfg: &Config, profile: &Section, name: &str) -> Result<SsoProfile, Problem> {
    let mut resolved = profile.clone();
    let session = get(profile, "sso_session").map(str::to_string);
    if let Some(session_name) = &session {
        let Some(values) = cfg.sso_sessions.get(session_name) else {
            return Err(stop(
                format!("profile {name}"),
                format!(
                    "names sso_session {session_name}, but there is no [sso-session \
                     {session_name}] section: botocore raises InvalidConfigError"
                ),
            ));
        };
        for (k, v) in values {
            if resolved.get(k).is_some_and(|mine| mine != v) {
                return Err(stop(
                    format!("profile {name}"),
                    format!(
                        "sets {k} differently from [sso-session {session_name}]: botocore \
                         raises InvalidConfigError"
                    ),
                ));
            }
            resolved.insert(k.clone(), v.clone());
        }
    }
    let mut required = vec![
        "sso_role_name",
        "sso_account_id",
        "sso_start_url",
        "sso_region",
    ];
    if session.is_some() {
        required.push("sso_session");
    }
    let missing: Vec<&str> = required
        .into_iter()
        .filter(|k| !resolved.contains_key(*k))
        .collect();
    if !missing.is_empty() {
        return Err(stop(
            format!("profile {name}"),
            format!(
                "is configured for SSO but lacks {}: botocore raises InvalidConfigError",
                missing.join(", ")
            ),
        ));
    }
    let text = |k: &str| get(&resolved, k).unwrap_or_default().to_string();
    Ok(SsoProfile {
        profile: name.to_string(),
        session_name: session,
        start_url: text("sso_start_url"),
        region: text("sso_region"),
        account_id: Some(text("sso_account_id")),
        role_name: Some(text("sso_role_name")),
    })
}

/// `AssumeRoleProvider._has_assume_role_config_vars`.
fn is_role(profile: &Section) -> bool {
    profile.contains_key("role_arn") && !profile.contains_key("web_identity_token_file")
}

/// `_has_static_credentials`: either key is enough.
fn has_static(profile: &Section) -> bool {
    profile.contains_key("aws_secret_access_key") || profile.contains_key("aws_access_key_id")
}

/// `AssumeRoleProvider._load_creds_via_assume_role` from `name`: the roles down to the source,
/// every configuration error a stop.
fn assume_role(cfg: &Config, env: &Env, name: &str) -> Pick {
    let mut visited = vec![name.to_string()];
    let mut seen: std::collections::HashSet<String> = std::collections::HashSet::new();
    seen.insert(name.to_string());
    let mut roles: Vec<RoleHop> = Vec::new();
    let mut hops: Vec<ProfileHop> = Vec::new();
    let mut ignored: Vec<(String, String)> = Vec::new();
    let mut current = name.to_string();
    let base = loop {
        let profile = &cfg.profiles[&current];
        let text = |k: &str| get(profile, k).map(str::to_string);
        let mut hop = ProfileHop {
            profile: current.clone(),
            kind: HopKind::Role,
            role_arn: text("role_arn"),
            source_profile: text("source_profile"),
            credential_source: text("credential_source"),
            duration_seconds: None,
            mfa_serial: text("mfa_serial"),
        };
        if let Some(raw) = text("duration_seconds") {
            // `int(duration_seconds)`, a ValueError ignored.
            match raw.trim().parse::<i64>() {
                Ok(n) => hop.duration_seconds = Some(n),
                Err(_) => ignored.push((
                    current.clone(),
                    format!(
                        "duration_seconds = {raw} is not a whole number of seconds: botocore \
                         ignores it and asks for the 1h default"
                    ),
                )),
            }
        }
        roles.push(RoleHop {
            profile: current.clone(),
            role_arn: text("role_arn").unwrap_or_default(),
            duration_seconds: hop.duration_seconds,
            mfa_serial: hop.mfa_serial.clone(),
            external_id: text("external_id"),
            session_name: text("role_session_name"),
        });
        let here = format!("profile {current}");
        match (text("source_profile"), text("credential_source")) {
            (Some(_), Some(_)) => {
                return Pick::Stop(stop(
                    here,
                    "sets both source_profile and credential_source: botocore raises \
                     InvalidConfigError",
                ));
            }
            (None, None) => {
                return Pick::Stop(stop(
                    here,
                    "has role_arn but neither source_profile nor credential_source: botocore \
                     raises PartialCredentialsError",
                ));
            }
            (None, Some(source)) => {
                if crate::facts::NamedSource::parse_exact(&source).is_none() {
                    return Pick::Stop(stop(
                        here,
                        format!(
                            "sets credential_source = {source}; botocore accepts exactly \
                             Environment, Ec2InstanceMetadata or EcsContainer (case matters) \
                             and raises InvalidConfigError"
                        ),
                    ));
                }
                hop.kind = HopKind::CredentialSource;
                hops.push(hop);
                break Base::NamedSource {
                    profile: current.clone(),
                    source,
                };
            }
            (Some(source), None) => {
                let Some(source_profile) = cfg.profiles.get(&source) else {
                    return Pick::Stop(stop(
                        here,
                        format!(
                            "names source_profile {source}, which does not exist: botocore \
                             raises InvalidConfigError"
                        ),
                    ));
                };
                if seen.contains(&source) && (source != current || !has_static(source_profile)) {
                    visited.push(source.clone());
                    return Pick::Stop(stop(
                        here,
                        format!(
                            "source_profile loop: {}: botocore raises InfiniteLoopConfigError",
                            super::profiles::chain_text(&visited, false)
                        ),
                    ));
                }
                if visited.len() == super::profiles::MAX_CHAIN {
                    return Pick::Stop(Problem::new(
                        ProblemKind::ChainTooLong,
                        format!("profile {name}"),
                        format!(
                            "has a source_profile chain longer than {} profiles ({}): not \
                             followed further; botocore resolves it by recursion and raises \
                             RecursionError past about 300",
                            super::profiles::MAX_CHAIN,
                            super::profiles::chain_text(&visited, true)
                        ),
                    ));
                }
                seen.insert(source.clone());
                visited.push(source.clone());
                hops.push(hop);
                if has_static(source_profile) || !is_role(source_profile) {
                    match profile_providers(cfg, env, &source, false) {
                        Pick::Profile(chain) => {
                            hops.extend(chain.hops);
                            break chain.base;
                        }
                        Pick::WebIdentity {
                            role_arn,
                            token_file,
                            ..
                        } => {
                            hops.push(ProfileHop {
                                profile: source.clone(),
                                kind: HopKind::WebIdentity,
                                ..ProfileHop::default()
                            });
                            break Base::WebIdentity {
                                profile: source.clone(),
                                role_arn,
                                token_file,
                            };
                        }
                        Pick::Stop(p) => return Pick::Stop(p),
                        Pick::Nothing => {
                            return Pick::Stop(stop(
                                format!("profile {source}"),
                                format!(
                                    "is the source_profile of {current} but holds no \
                                     credentials: botocore raises InvalidConfigError"
                                ),
                            ));
                        }
                    }
                }
                current = source;
            }
        }
    };
    roles.reverse();
    Pick::Profile(ProfileChain {
        base,
        roles,
        hops,
        ignored,
    })
}

/// Fills `facts.credentials`, `session_limit`, `sso`, `profile_chain` and `problems` as botocore
/// would resolve them, from local sources only. Returns what a winning `credential_process`
/// printed.
pub async fn gather_local(
    env: &Env,
    profile_flag: Option<&str>,
    parsed: Option<&super::Parsed>,
    deadline: Instant,
    helpers: super::credential_process::Helpers,
    facts: &mut Facts,
) -> Option<aws_credential_types::Credentials> {
    let env = &*env.as_python_sees_it();
    facts.imds_disabled = env
        .raw("AWS_EC2_METADATA_DISABLED")
        .is_some_and(|v| v.eq_ignore_ascii_case("true"));
    let own;
    let cfg = match parsed {
        Some(p) => &p.python,
        None => {
            own = Config::load(env);
            &own
        }
    };
    let mut problems: Vec<Problem> = cfg.notes.clone();
    let mut candidates: Vec<View> = Vec::new();
    // Python decodes a value that is not UTF-8 with `surrogateescape`: a name no section of a
    // UTF-8 file has (ProfileNotFound), shown here with U+FFFD.
    let from_env = |var: &str| {
        env.raw(var)
            .map(str::to_string)
            .or_else(|| env.not_unicode(var))
    };
    let selected = profile_flag
        .map(str::to_string)
        .or_else(|| from_env("AWS_DEFAULT_PROFILE"))
        .or_else(|| from_env("AWS_PROFILE"));
    // `profile_name or 'default'`: a blank selection still uses `default`'s settings.
    let name = selected
        .clone()
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| "default".into());

    // 0. The session's scoped config, read while the resolver is built to look up the
    // instance-metadata settings, unless every one of them is exported.
    let scoped = !(IMDS_SETTINGS.iter().all(|v| env.is_set(v))
        && (env.is_set("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE")
            || env.is_set("AWS_IMDS_USE_IPV6")));
    if let Some(p) = &cfg.broken
        && (scoped || environment::read_botocore(env, &mut Vec::new()).is_ok_and(|c| c.is_none()))
    {
        problems.push(p.clone());
        return sources::settle(facts, candidates, problems);
    }
    // Sections botocore drops: said (beside the ProfileNotFound of a selection that names
    // one), never held against the credentials.
    problems.extend(cfg.dropped.iter().cloned());
    if let Some(explicit) = &selected
        && scoped
        && !cfg.profiles.contains_key(explicit)
    {
        problems.push(stop(
            format!("profile {}", sources::shown_name(explicit)),
            format!(
                "does not exist ({}): botocore raises ProfileNotFound before it looks for \
                 credentials, so a boto3 or AWS CLI job stops at its first call",
                if profile_flag.is_some() {
                    "--profile"
                } else if env.is_set("AWS_DEFAULT_PROFILE") {
                    "AWS_DEFAULT_PROFILE"
                } else if env.not_unicode("AWS_DEFAULT_PROFILE").is_some() {
                    "AWS_DEFAULT_PROFILE, which is not valid UTF-8"
                } else if env.not_unicode("AWS_PROFILE").is_some() {
                    "AWS_PROFILE, which is not valid UTF-8"
                } else {
                    "AWS_PROFILE"
                }
            ),
        ));
        return sources::settle(facts, candidates, problems);
    }

    let empty = Section::new();
    let scoped_profile = cfg.profiles.get(&name).unwrap_or(&empty);
    if scoped && let Err(why) = client::resolver_settings(env, scoped_profile) {
        problems.push(stop(format!("profile {name}"), why));
        return sources::settle(facts, candidates, problems);
    }

    // 1. The environment.
    let env_creds = match environment::read_botocore(env, &mut problems) {
        Ok(c) => c,
        Err(p) => {
            problems.push(p);
            return sources::settle(facts, candidates, problems);
        }
    };
    if let Some(ec) = &env_creds {
        if let Some((t, crate::facts::ExpirySource::AwsCredentialExpiration)) = ec.expiry
            && t <= env.now()
        {
            problems.push(stop(
                "AWS_CREDENTIAL_EXPIRATION",
                "is in the past: botocore reads the variables again, finds the same expired \
                 credentials, and raises (RuntimeError)",
            ));
        }
        candidates.push(sources::environment_view(ec));
    }

    // 2–8. Assume role, then the profile providers.
    let pick = match cfg.profiles.get(&name) {
        Some(profile) if is_role(profile) => assume_role(cfg, env, &name),
        _ => profile_providers(cfg, env, &name, true),
    };
    let winner = candidates.is_empty();
    if winner && let Some(why) = first_call(cfg, env, scoped_profile, &pick) {
        problems.push(stop(format!("profile {name}"), why));
        return sources::settle(facts, candidates, problems);
    }
    match pick {
        Pick::Stop(p) if winner => {
            problems.push(p);
            return sources::settle(facts, candidates, problems);
        }
        // Shadowed by the environment: botocore never gets that far.
        Pick::Stop(_) => {}
        Pick::Profile(chain) => {
            sources::take_chain(facts, &chain, &mut problems);
            let view = sources::profile_view(
                env,
                Sdk::Python,
                &chain,
                &name,
                env_creds.as_ref(),
                winner,
                deadline,
                helpers,
                &mut problems,
            )
            .await;
            if view.creds.source == Source::None && winner {
                // The named source had nothing: botocore raises CredentialRetrievalError.
                if let Some(p) = problems.iter_mut().rev().find(|p| {
                    matches!(
                        p.kind,
                        ProblemKind::Profile | ProblemKind::CredentialProcess
                    )
                }) {
                    p.kind = ProblemKind::ChainStopped;
                }
                return sources::settle(facts, candidates, problems);
            }
            if view.creds.source != Source::None && winner {
                // Failures botocore meets only when the job first uses the credentials.
                if let Some(hop) = chain.roles.iter().find(|h| h.mfa_serial.is_some()) {
                    problems.push(stop(
                        format!("profile {}", hop.profile),
                        "sets mfa_serial: botocore asks for the MFA code on the terminal before \
                         it assumes the role, and a job has none (EOFError)",
                    ));
                }
                if view.creds.source == Source::CredentialProcess
                    && view.creds.expires_at.is_some_and(|t| t <= env.now())
                {
                    problems.push(stop(
                        "credential_process",
                        "prints credentials that have already expired: botocore runs it again, \
                         gets them again, and raises (RuntimeError)",
                    ));
                }
            }
            if view.creds.source != Source::None {
                candidates.push(view);
            }
        }
        Pick::WebIdentity {
            role_arn,
            token_file,
            profile,
        } => {
            let subject = match &profile {
                Some(p) => format!("web_identity_token_file in profile {p}"),
                None => "AWS_WEB_IDENTITY_TOKEN_FILE".to_string(),
            };
            let token = super::web_identity::read(env, &token_file, &subject, &mut problems);
            let origin = match &profile {
                Some(p) => crate::facts::Origin::ProfileWebIdentity { profile: p.clone() },
                None => crate::facts::Origin::ExportedWebIdentity,
            };
            candidates.push(sources::web_identity_view(
                &role_arn,
                profile.as_deref(),
                origin,
                token,
            ));
        }
        Pick::Nothing => {}
    }

    // 9. The container endpoint (botocore accepts only loopback and the ECS/EKS addresses),
    // then instance metadata (asked live only).
    if let Some((var, value)) = [
        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
        "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    ]
    .into_iter()
    .find_map(|v| env.raw(v).map(|val| (v, val)))
    {
        if let Err(why) = container(env, var, value) {
            problems.push(Problem::new(ProblemKind::ContainerEndpoint, var, why));
        }
        candidates.push(sources::refreshing_role_view(
            Source::Container,
            crate::facts::Origin::ContainerEndpoint {
                variable: var.to_string(),
            },
        ));
    }
    sources::settle(facts, candidates, problems)
}

/// What botocore's container provider fails on before (or instead of) a useful answer: a
/// relative URI it cannot make a URL of, a full URI it refuses, an authorization token it
/// cannot read or send.
fn container(env: &Env, var: &str, value: &str) -> Result<(), String> {
    if var.ends_with("RELATIVE_URI") {
        if !value.starts_with('/') || value == "/" {
            return Err(format!(
                "= '{}': botocore appends it to http://169.254.170.2, which needs a path \
                 starting with /",
                crate::redact::clip(value)
            ));
        }
    } else {
        allowed_full_uri(value)?;
    }
    let token = match (
        env.raw("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"),
        env.raw("AWS_CONTAINER_AUTHORIZATION_TOKEN"),
    ) {
        (Some(path), _) => match files::read_capped(&env.expand_home(path), files::CACHE_CAP) {
            Ok(Some(bytes)) if !path.is_empty() => String::from_utf8_lossy(&bytes).into_owned(),
            // A FIFO, a socket: botocore's open() would wait on it.
            Err(why) if !why.contains("permission") => {
                return Err(format!(
                    "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE = '{}' {why}",
                    crate::redact::clip(path)
                ));
            }
            _ => {
                return Err(format!(
                    "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE = '{}' cannot be read: botocore \
                     raises FileNotFoundError",
                    crate::redact::clip(path)
                ));
            }
        },
        (None, Some(t)) => t.to_string(),
        (None, None) => return Ok(()),
    };
    if token.contains(['\r', '\n']) {
        return Err(
            "the container authorization token contains a line break (a token file ending in a \
             newline counts): botocore refuses it as a header value (ValueError)"
                .into(),
        );
    }
    Ok(())
}

/// botocore's rule for a full container URI (`ContainerMetadataFetcher._validate_allowed_url`):
/// HTTPS to any host; plain HTTP only to a loopback address, `localhost`, or the ECS/EKS
/// container addresses.
fn allowed_full_uri(uri: &str) -> Result<(), String> {
    let (scheme, rest) = uri.split_once("://").unwrap_or(("", uri));
    if scheme.eq_ignore_ascii_case("https") {
        return Ok(());
    }
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let authority = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = match authority.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or_default(),
        None => authority.rsplit_once(':').map_or(authority, |(h, _)| h),
    }
    .to_ascii_lowercase();
    let allowed = [
        "169.254.170.2",
        "localhost",
        "169.254.170.23",
        "fd00:ec2::23",
    ];
    let loopback = host
        .parse::<std::net::IpAddr>()
        .is_ok_and(|ip| ip.is_loopback());
    if allowed.contains(&host.as_str()) || loopback {
        Ok(())
    } else {
        Err(format!(
            "points at {} over plain HTTP: botocore refuses it (only HTTPS, a loopback address, \
             or the ECS/EKS container addresses)",
            if host.is_empty() { "no host" } else { &host }
        ))
    }
}
