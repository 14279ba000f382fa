//! `~/.aws/config` and `~/.aws/credentials`, read exactly as the SDK reads them, and the
//! profile graph resolved the way aws-config resolves it.
//!
//! Parsing goes through aws-config's own parser (`aws_config::profile::load`) so that every
//! quirk of the shared format (sub-properties, `[profile x]` vs `[x]`, merging the two files)
//! matches the SDK. We read the bytes ourselves first, with a size cap, so that an unreadable
//! file or a directory in its place becomes a problem naming the path instead of the silent
//! "empty file" the SDK falls back to. The graph walk mirrors aws-config's
//! `profile::credentials::repr::resolve_chain` (private there), keeping what we need to judge
//! expiry: durations, MFA, and where each hop's credentials come from.

use super::files;
use crate::env::Env;
use crate::facts::{HopKind, Problem, ProblemKind, ProfileHop};
use aws_config::profile::ProfileSet;
use aws_runtime::env_config::file::{EnvConfigFileKind, EnvConfigFiles};
use aws_types::os_shim_internal;
use std::borrow::Cow;
use std::collections::HashMap;
use std::path::PathBuf;

/// The config files as found: their paths and whether each existed.
#[derive(Debug, Default)]
pub struct LoadedProfiles {
    pub set: Option<ProfileSet>,
    pub config_path: Option<PathBuf>,
    pub credentials_path: Option<PathBuf>,
    /// The selected profile's name and whether the user chose it (flag or AWS_PROFILE).
    pub selected: String,
    pub explicit: bool,
    /// Sections aws-config's parser drops without a word (it only logs them).
    pub dropped: Vec<Dropped>,
}

/// A section of a file that aws-config ignores: where, as written, and the name it meant.
#[derive(Clone, Debug, PartialEq)]
pub struct Dropped {
    pub file: String,
    pub line: u32,
    /// The section header as written, without the brackets: `profile my dev`.
    pub section: String,
    /// The profile (or sso-session) name the section gives, as written.
    pub name: String,
    /// Why: the words aws-config's own log line would give.
    pub why: String,
}

impl Dropped {
    /// The note that says so, for a report.
    pub fn problem(&self) -> Problem {
        Problem::new(
            ProblemKind::IgnoredSection,
            format!("[{}] in {}", self.section, self.file),
            format!("is ignored by aws-config: {}", self.why),
        )
        .at_line(Some(self.line))
    }

    /// The clause a "does not exist" sentence about `name` adds.
    pub fn explains(&self) -> String {
        format!(
            "[{}] in {} line {} is ignored by aws-config: {}",
            self.section, self.file, self.line, self.why
        )
    }
}

/// aws-config's identifiers (`validate_identifier` in aws-runtime's `env_config::normalize`):
/// ASCII letters and digits and `_-/.%@:+`.
fn aws_config_identifier(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_-/.%@:+".contains(c))
}

/// The sections of one file that aws-config's parser reads and then drops (`valid_for`): in
/// the config file a `[prefix name]` whose name is not an identifier (spaces, quotes, brackets,
/// anything not ASCII); in the credentials file a `[name]` that is not one, or that begins with
/// `profile`. Lines as aws-config splits them (`parse_profile_file`): a section starts with `[`
/// in the first column; `#` and `;` start a comment.
pub fn dropped_sections(text: &str, file: &str, kind: EnvConfigFileKind) -> Vec<Dropped> {
    const WHITESPACE: &[char] = &[' ', '\t'];
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if !line.starts_with('[') {
            continue;
        }
        let line = line.trim_matches(WHITESPACE);
        let line = line
            .find(['#', ';'])
            .map_or(line, |at| &line[..at])
            .trim_matches(WHITESPACE);
        // A header without its `]` is a parse error, reported as such.
        let Some(section) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) else {
            continue;
        };
        let key = section.trim_matches(WHITESPACE);
        let split = key
            .split_once(WHITESPACE)
            .map(|(p, s)| (p.trim(), s.trim()));
        let dropped = |name: &str, why: String| Dropped {
            file: file.to_string(),
            line: u32::try_from(i + 1).unwrap_or(u32::MAX),
            section: key.to_string(),
            name: name.to_string(),
            why,
        };
        let not_identifier = |name: &str| {
            format!(
                "`{name}` is not a name it accepts (ASCII letters, digits and _ - / . % @ : + \
                 only)"
            )
        };
        match (kind, split) {
            (EnvConfigFileKind::Config, Some((_, name))) if !aws_config_identifier(name) => {
                out.push(dropped(name, not_identifier(name)));
            }
            (EnvConfigFileKind::Credentials, Some(("profile", name))) => out.push(dropped(
                name,
                format!(
                    "the credentials file names profiles without the `profile` prefix \
                     ([{name}])"
                ),
            )),
            (EnvConfigFileKind::Credentials, Some(_)) => {
                out.push(dropped(key, not_identifier(key)));
            }
            (EnvConfigFileKind::Credentials, None) if !aws_config_identifier(key) => {
                out.push(dropped(key, not_identifier(key)));
            }
            _ => {}
        }
    }
    out
}

/// The config and credentials files aws-config reads.
pub fn file_paths(env: &Env) -> [Option<PathBuf>; 2] {
    [
        path_of(env, "AWS_CONFIG_FILE", "config"),
        path_of(env, "AWS_SHARED_CREDENTIALS_FILE", "credentials"),
    ]
}

/// Where the file of a kind lives: the override variable, else `~/.aws/<name>`.
pub(crate) fn path_of(env: &Env, var: &str, default_name: &str) -> Option<PathBuf> {
    match env.var(var) {
        Some(p) => Some(env.expand_home(p)),
        None => env.home().map(|h| h.join(".aws").join(default_name)),
    }
}

/// Loads and parses both files. A file that cannot be read or parsed becomes a `ConfigFile`
/// problem naming it (and the line), and `set` is `None` when parsing failed, as in the SDK,
/// whose profile provider then fails.
pub async fn load(
    env: &Env,
    profile_flag: Option<&str>,
    problems: &mut Vec<Problem>,
) -> LoadedProfiles {
    // aws-config selects the profile `AWS_PROFILE` names even when it is blank (and finds
    // none of that name); botocore raises ProfileNotFound. Either way it is not `default`.
    let selected_from_env = env.raw("AWS_PROFILE").map(str::to_string);
    let explicit = profile_flag.is_some() || selected_from_env.is_some();
    let selected = profile_flag
        .map(str::to_string)
        .or(selected_from_env)
        .unwrap_or_else(|| "default".into());
    let config_path = path_of(env, "AWS_CONFIG_FILE", "config");
    let credentials_path = path_of(env, "AWS_SHARED_CREDENTIALS_FILE", "credentials");
    let mut loaded = LoadedProfiles {
        set: None,
        config_path: config_path.clone(),
        credentials_path: credentials_path.clone(),
        selected: selected.clone(),
        explicit,
        dropped: Vec::new(),
    };

    let mut contents: HashMap<String, Vec<u8>> = HashMap::new();
    let mut builder = EnvConfigFiles::builder()
        .include_default_config_file(false)
        .include_default_credentials_file(false);
    for (kind, path, var) in [
        (EnvConfigFileKind::Config, &config_path, "AWS_CONFIG_FILE"),
        (
            EnvConfigFileKind::Credentials,
            &credentials_path,
            "AWS_SHARED_CREDENTIALS_FILE",
        ),
    ] {
        let Some(path) = path else { continue };
        let shown = path.display().to_string();
        match files::read_text(path, files::CONFIG_CAP) {
            Ok(Some(text)) => {
                loaded.dropped.extend(dropped_sections(&text, &shown, kind));
                contents.insert(shown.clone(), text.into_bytes());
                builder = builder.with_file(kind, path.clone());
            }
            Ok(None) => {
                if env.var(var).is_some() {
                    // The SDKs read a missing file as empty: worth saying, not a broken config.
                    problems.push(Problem::new(
                        ProblemKind::Environment,
                        shown,
                        format!("does not exist (named by {var})"),
                    ));
                }
            }
            Err(why) => problems.push(Problem::new(ProblemKind::ConfigFile, shown, why)),
        }
    }
    if env.home().is_none() && env.var("AWS_CONFIG_FILE").is_none() {
        problems.push(Problem::new(
            ProblemKind::Home,
            "HOME",
            match env.not_unicode("HOME") {
                Some(home) => format!(
                    "is not valid UTF-8 ({home}): aws-config treats it as unset, so no ~/.aws \
                     file is read"
                ),
                None => "is unset or empty: no ~/.aws files could be read".into(),
            },
        ));
    }
    if profile_flag.is_none()
        && env.raw("AWS_PROFILE").is_none()
        && let Some(value) = env.not_unicode("AWS_PROFILE")
    {
        problems.push(Problem::new(
            ProblemKind::Environment,
            "AWS_PROFILE",
            format!(
                "is not valid UTF-8 ({value}): aws-config ignores it and uses the default \
                 profile"
            ),
        ));
    }

    if contents.is_empty() {
        if explicit {
            problems.push(Problem::new(
                ProblemKind::Profile,
                format!("profile {}", loaded.selected),
                "is selected but there is no AWS config or credentials file",
            ));
        }
        return loaded;
    }
    let fs = os_shim_internal::Fs::from_map(contents);
    let aws_env = os_shim_internal::Env::from(
        env.vars()
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect::<HashMap<_, _>>(),
    );
    match aws_config::profile::load(&fs, &aws_env, &builder.build(), Some(Cow::Owned(selected)))
        .await
    {
        Ok(set) => loaded.set = Some(set),
        // The parse error (with path and line) is the load error's source.
        Err(e) => match std::error::Error::source(&e) {
            Some(inner) => problems.push(parse_problem(&inner.to_string())),
            None => problems.push(Problem::new(
                ProblemKind::ConfigFile,
                "AWS config",
                e.to_string(),
            )),
        },
    }
    loaded
}

/// aws-config reports `error parsing PATH on line N:\n  MESSAGE`; we keep path, line and
/// message apart so the finding can name them.
fn parse_problem(display: &str) -> Problem {
    let one_line = display.replace('\n', " ");
    if let Some(rest) = one_line.strip_prefix("error parsing ")
        && let Some((path, tail)) = rest.split_once(" on line ")
        && let Some((line, message)) = tail.split_once(':')
    {
        return Problem::new(ProblemKind::ConfigFile, path, message.trim())
            .at_line(line.trim().parse().ok());
    }
    Problem::new(ProblemKind::ConfigFile, "AWS config", one_line)
}

/// How the chain of profiles bottoms out.
#[derive(Clone, Debug, PartialEq)]
pub enum Base {
    /// Keys in the profile; `session` when a session token is there too.
    StaticKeys {
        profile: String,
        key_id: Option<String>,
        has_session_token: bool,
        expires: Option<String>,
    },
    /// `credential_source = Environment | Ec2InstanceMetadata | EcsContainer`.
    NamedSource {
        profile: String,
        source: String,
    },
    WebIdentity {
        profile: String,
        role_arn: String,
        token_file: String,
    },
    Sso(SsoProfile),
    CredentialProcess {
        profile: String,
        command: String,
    },
    /// `login_session` (`aws login`), which we do not diagnose.
    LoginSession {
        profile: String,
    },
}

#[derive(Clone, Debug, PartialEq)]
pub struct SsoProfile {
    pub profile: String,
    pub session_name: Option<String>,
    pub start_url: String,
    pub region: String,
    pub account_id: Option<String>,
    pub role_name: Option<String>,
}

/// A role assumed on the way, in assumption order (the first is assumed with the base
/// credentials, the last is the selected profile's role).
#[derive(Clone, Debug, PartialEq)]
pub struct RoleHop {
    pub profile: String,
    pub role_arn: String,
    pub duration_seconds: Option<i64>,
    pub mfa_serial: Option<String>,
    pub external_id: Option<String>,
    pub session_name: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ProfileChain {
    pub base: Base,
    pub roles: Vec<RoleHop>,
    /// Every profile visited, selected first, for the report.
    pub hops: Vec<ProfileHop>,
    /// Settings the SDKs ignore: the profile, and why, in words (a `duration_seconds` that is
    /// not a number).
    pub ignored: Vec<(String, String)>,
}

/// What the profile stage of the default chain does with the selected profile.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    /// No profile to use (no files, no `default`, or a profile without credentials): the SDK
    /// moves on to the next source.
    NotConfigured,
    /// The selected profile does not exist; aws-config moves on, the AWS CLI fails.
    Missing(String),
    /// The profile is broken: the SDK's whole chain fails with this message.
    Invalid {
        profile: String,
        message: String,
    },
    /// The `source_profile` chain goes on past [`MAX_CHAIN`] profiles: not followed further.
    TooLong {
        profile: String,
        message: String,
    },
    /// The profile stage loads nothing, for this reason, and the SDK moves on to the next
    /// source (aws-config: a `source_profile` that does not exist, a profile that is its own
    /// source but holds no credentials).
    Skipped {
        profile: String,
        message: String,
    },
    Chain(ProfileChain),
}

/// The most profiles a `source_profile` chain is followed through. Real chains are a few
/// profiles long; aws-config follows any length (one AssumeRole call per role, one after the
/// other, before the job's first call), botocore recurses and raises RecursionError past about
/// 300. The bound keeps a hostile or generated config (tens of thousands of profiles) within
/// `--timeout`, and a report's nesting of each role's source within what it can replay.
pub const MAX_CHAIN: usize = 100;

/// Profile names in a sentence, `a → b → c`; beyond ten, the first five and the last four
/// around `…`, with the count: a chain or loop of thousands is named in one short line.
/// `open`: the chain goes on after the last name.
pub fn chain_text(names: &[String], open: bool) -> String {
    let mut words: Vec<&str> = if names.len() <= 10 {
        names.iter().map(String::as_str).collect()
    } else {
        let mut w: Vec<&str> = names[..5].iter().map(String::as_str).collect();
        w.push("…");
        w.extend(names[names.len() - 4..].iter().map(String::as_str));
        w
    };
    if open {
        words.push("…");
    }
    let text = words.join(" → ");
    if names.len() > 10 && !open {
        format!("{text} ({} profiles)", names.len())
    } else {
        text
    }
}

/// Walks from the selected profile to its base credentials, as aws-config does.
pub fn resolve(set: &ProfileSet) -> Outcome {
    resolve_named(set, set.selected_profile())
}

/// Walks from profile `selected` of the parsed files to its base credentials: one parse
/// serves every profile of a fleet audit.
pub fn resolve_named(set: &ProfileSet, selected: &str) -> Outcome {
    if set.is_empty() {
        return Outcome::NotConfigured;
    }
    if selected == "default" && set.get_profile("default").is_none() {
        return Outcome::NotConfigured;
    }
    let mut name = selected.to_string();
    let mut ignored: Vec<(String, String)> = Vec::new();
    let mut visited: Vec<String> = Vec::new();
    let mut seen: std::collections::HashSet<String> = std::collections::HashSet::new();
    let mut roles: Vec<RoleHop> = Vec::new();
    let mut hops: Vec<ProfileHop> = Vec::new();
    let invalid = |profile: &str, message: String| Outcome::Invalid {
        profile: profile.to_string(),
        message,
    };
    let base = loop {
        let Some(profile) = set.get_profile(&name) else {
            return if visited.is_empty() {
                Outcome::Missing(name)
            } else {
                // aws-config: `MissingProfile`, which its profile provider reports as "not
                // loaded": the chain moves on.
                Outcome::Skipped {
                    profile: visited.last().expect("non-empty").clone(),
                    message: format!(
                        "names source_profile {name}, which does not exist: aws-config skips the \
                         profile and moves on to the next source"
                    ),
                }
            };
        };
        if seen.contains(&name) {
            visited.push(name.clone());
            return invalid(
                &visited[0],
                format!("source_profile loop: {}", chain_text(&visited, false)),
            );
        }
        if visited.len() == MAX_CHAIN {
            return Outcome::TooLong {
                profile: visited[0].clone(),
                message: format!(
                    "has a source_profile chain longer than {MAX_CHAIN} profiles ({}): not \
                     followed further; aws-config would assume every role of it, one STS call \
                     after another, before the job's first call",
                    chain_text(&visited, true)
                ),
            };
        }
        seen.insert(name.clone());
        visited.push(name.clone());
        let get = |k: &str| profile.get(k).map(str::to_string);
        let mut hop = ProfileHop {
            profile: name.clone(),
            kind: HopKind::Role,
            role_arn: get("role_arn"),
            source_profile: get("source_profile"),
            credential_source: get("credential_source"),
            duration_seconds: None,
            mfa_serial: get("mfa_serial"),
        };
        if let Some(raw) = profile.get("duration_seconds") {
            match raw.trim().parse::<i64>() {
                Ok(n) => hop.duration_seconds = Some(n),
                // aws-config never reads it and botocore drops a value int() refuses: the
                // session is the 1 h default, and the profile is otherwise fine.
                Err(_) => ignored.push((
                    name.clone(),
                    format!(
                        "duration_seconds = {raw} is not a whole number of seconds: the SDKs \
                         ignore it and ask for the 1h default"
                    ),
                )),
            }
        }
        // After the first profile, static keys win over everything (aws-config's rule).
        if visited.len() > 1
            && profile.get("aws_access_key_id").is_some()
            && profile.get("aws_secret_access_key").is_some()
        {
            hop.kind = HopKind::StaticKeys;
            hops.push(hop);
            break static_keys(&name, profile);
        }
        let is_role =
            profile.get("role_arn").is_some() && profile.get("web_identity_token_file").is_none();
        if is_role {
            let role_arn = get("role_arn").expect("checked");
            roles.push(RoleHop {
                profile: name.clone(),
                role_arn,
                duration_seconds: hop.duration_seconds,
                mfa_serial: hop.mfa_serial.clone(),
                external_id: get("external_id"),
                session_name: get("role_session_name"),
            });
            match (
                profile.get("source_profile"),
                profile.get("credential_source"),
            ) {
                (Some(_), Some(_)) => {
                    return invalid(
                        &name,
                        "sets both source_profile and credential_source; only one is allowed"
                            .into(),
                    );
                }
                (None, None) => {
                    return invalid(
                        &name,
                        "has role_arn but neither source_profile nor credential_source".into(),
                    );
                }
                (Some(src), None) if src == name => {
                    // Self-reference: the profile's own keys (or other base) are the source.
                    hops.push(hop);
                    match base_of(set, profile, &name) {
                        Ok(base) => break base,
                        Err(NoBase::Empty) => {
                            return Outcome::Skipped {
                                profile: name.clone(),
                                message: "is its own source_profile but holds no credentials: \
                                          aws-config skips it and moves on to the next source"
                                    .into(),
                            };
                        }
                        Err(NoBase::Invalid(msg)) => return invalid(&name, msg),
                    }
                }
                (Some(src), None) => {
                    name = src.to_string();
                    hops.push(hop);
                    continue;
                }
                (None, Some(source)) => {
                    hops.push(hop);
                    break Base::NamedSource {
                        profile: name.clone(),
                        source: source.to_string(),
                    };
                }
            }
        }
        match base_of(set, profile, &name) {
            Ok(base) => {
                hop.kind = base_kind(&base);
                hops.push(hop);
                break base;
            }
            Err(NoBase::Empty) if visited.len() == 1 => return Outcome::NotConfigured,
            Err(NoBase::Empty) => {
                return invalid(
                    &name,
                    "is used as a source_profile but holds no credentials".into(),
                );
            }
            Err(NoBase::Invalid(msg)) => return invalid(&name, msg),
        }
    };
    roles.reverse();
    Outcome::Chain(ProfileChain {
        base,
        roles,
        hops,
        ignored,
    })
}

/// aws-config's region for the STS calls of a role or web identity (`DefaultRegionChain`):
/// `AWS_REGION`, `AWS_DEFAULT_REGION`, then the selected profile's `region`, following
/// `source_profile` until one has it (`resolve_profile_chain_for_region`). Instance metadata
/// comes last; it is only there when not disabled.
pub fn aws_config_region(env: &Env, set: Option<&ProfileSet>, selected: &str) -> Option<String> {
    if let Some(r) = env
        .var("AWS_REGION")
        .or_else(|| env.var("AWS_DEFAULT_REGION"))
    {
        return Some(r.to_string());
    }
    let set = set?;
    let mut name = selected;
    let mut visited: std::collections::HashSet<&str> = std::collections::HashSet::new();
    loop {
        let profile = set.get_profile(name)?;
        if !visited.insert(name) || visited.len() > MAX_CHAIN {
            return None;
        }
        if let Some(r) = profile.get("region") {
            return Some(r.to_string());
        }
        match profile.get("source_profile") {
            Some(next) if next != name => name = next,
            _ => return None,
        }
    }
}

fn base_kind(base: &Base) -> HopKind {
    match base {
        Base::StaticKeys { .. } => HopKind::StaticKeys,
        Base::NamedSource { .. } => HopKind::CredentialSource,
        Base::WebIdentity { .. } => HopKind::WebIdentity,
        Base::Sso(_) => HopKind::Sso,
        Base::CredentialProcess { .. } => HopKind::CredentialProcess,
        Base::LoginSession { .. } => HopKind::LoginSession,
    }
}

/// Why a profile supplies no base credentials.
enum NoBase {
    /// It holds none at all (the SDK moves on when it is the selected profile).
    Empty,
    /// It holds some, wrongly: the SDK fails.
    Invalid(String),
}

impl From<String> for NoBase {
    fn from(msg: String) -> Self {
        NoBase::Invalid(msg)
    }
}

impl From<&str> for NoBase {
    fn from(msg: &str) -> Self {
        NoBase::Invalid(msg.to_string())
    }
}

fn static_keys(name: &str, profile: &aws_config::profile::Profile) -> Base {
    Base::StaticKeys {
        profile: name.to_string(),
        key_id: profile.get("aws_access_key_id").map(str::to_string),
        has_session_token: profile.get("aws_session_token").is_some()
            || profile.get("aws_security_token").is_some(),
        expires: profile.get("x_security_token_expires").map(str::to_string),
    }
}

/// The base provider of a profile, in aws-config's order.
fn base_of(
    set: &ProfileSet,
    profile: &aws_config::profile::Profile,
    name: &str,
) -> Result<Base, NoBase> {
    if let Some(source) = profile.get("credential_source") {
        return Ok(Base::NamedSource {
            profile: name.into(),
            source: source.into(),
        });
    }
    match (
        profile.get("role_arn"),
        profile.get("web_identity_token_file"),
    ) {
        (Some(role_arn), Some(token_file)) => {
            return Ok(Base::WebIdentity {
                profile: name.into(),
                role_arn: role_arn.into(),
                token_file: token_file.into(),
            });
        }
        (None, Some(_)) => return Err("sets web_identity_token_file but no role_arn".into()),
        _ => {}
    }
    if let Some(sso) = sso_of(set, profile, name)? {
        return Ok(Base::Sso(sso));
    }
    if profile.get("login_session").is_some() {
        return Ok(Base::LoginSession {
            profile: name.into(),
        });
    }
    if let Some(command) = profile.get("credential_process") {
        return Ok(Base::CredentialProcess {
            profile: name.into(),
            command: command.into(),
        });
    }
    let (key, secret, token) = (
        profile.get("aws_access_key_id"),
        profile.get("aws_secret_access_key"),
        profile.get("aws_session_token"),
    );
    match (key, secret, token) {
        (None, None, None) => Err(NoBase::Empty),
        (None, _, _) => Err("is missing aws_access_key_id".into()),
        (_, None, _) => Err("is missing aws_secret_access_key".into()),
        _ => Ok(static_keys(name, profile)),
    }
}

fn sso_of(
    set: &ProfileSet,
    profile: &aws_config::profile::Profile,
    name: &str,
) -> Result<Option<SsoProfile>, String> {
    let account = profile.get("sso_account_id");
    let role = profile.get("sso_role_name");
    let mut region = profile.get("sso_region");
    let mut start_url = profile.get("sso_start_url");
    let session = profile.get("sso_session");
    if [account, role, region, start_url, session]
        .iter()
        .all(Option::is_none)
    {
        return Ok(None);
    }
    if let Some(session_name) = session {
        if start_url.is_some() || region.is_some() {
            return Err(format!(
                "sets sso_session = {session_name} and also sso_start_url/sso_region, which \
                 belong in the [sso-session {session_name}] section"
            ));
        }
        let Some(s) = set.sso_session(session_name) else {
            return Err(format!(
                "names sso_session {session_name}, but there is no [sso-session {session_name}] section"
            ));
        };
        start_url = s.get("sso_start_url");
        region = s.get("sso_region");
    }
    match (account, role) {
        (Some(_), None) => return Err("sets sso_account_id without sso_role_name".into()),
        (None, Some(_)) => return Err("sets sso_role_name without sso_account_id".into()),
        _ => {}
    }
    let start_url = start_url.ok_or("has no sso_start_url")?;
    let region = region.ok_or("has no sso_region")?;
    // A profile without account and role yields an SSO token (for `aws sso login`), not
    // credentials: aws-config's SSO provider for it loads none, and the chain moves on.
    if account.is_none() && role.is_none() {
        return Ok(None);
    }
    Ok(Some(SsoProfile {
        profile: name.into(),
        session_name: session.map(str::to_string),
        start_url: start_url.into(),
        region: region.into(),
        account_id: account.map(str::to_string),
        role_name: role.map(str::to_string),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn home_with(config: &str, credentials: &str) -> (tempfile::TempDir, Env) {
        let dir = tempfile::tempdir().unwrap();
        let aws = dir.path().join(".aws");
        std::fs::create_dir(&aws).unwrap();
        std::fs::write(aws.join("config"), config).unwrap();
        std::fs::write(aws.join("credentials"), credentials).unwrap();
        let env = Env::fake(
            [("HOME", dir.path().to_str().unwrap())],
            "2026-11-23T08:00:00Z".parse().unwrap(),
        );
        (dir, env)
    }

    async fn resolve_in(
        config: &str,
        credentials: &str,
        profile: Option<&str>,
    ) -> (Outcome, Vec<Problem>) {
        let (_dir, env) = home_with(config, credentials);
        let mut problems = vec![];
        let loaded = load(&env, profile, &mut problems).await;
        let outcome = loaded
            .set
            .as_ref()
            .map(resolve)
            .unwrap_or(Outcome::NotConfigured);
        (outcome, problems)
    }

    fn chain(o: Outcome) -> ProfileChain {
        match o {
            Outcome::Chain(c) => c,
            other => panic!("expected a chain, got {other:?}"),
        }
    }

    #[tokio::test]
    async fn static_keys_in_credentials_file() {
        let (o, p) = resolve_in(
            "",
            "[default]\naws_access_key_id = AKIAEXAMPLEKEYIDWXYZ\naws_secret_access_key = s\n",
            None,
        )
        .await;
        assert!(p.is_empty());
        let c = chain(o);
        assert!(c.roles.is_empty());
        assert!(matches!(
            c.base,
            Base::StaticKeys {
                has_session_token: false,
                ..
            }
        ));
    }

    #[tokio::test]
    async fn chained_roles_in_assumption_order() {
        let config = "[profile base]\nregion = us-east-1\n\
                      [profile hop]\nrole_arn = arn:aws:iam::1:role/hop\nsource_profile = base\n\
                      [profile job]\nrole_arn = arn:aws:iam::1:role/job\nsource_profile = hop\nduration_seconds = 7200\n";
        let creds = "[base]\naws_access_key_id = AKIAEXAMPLEKEYIDWXYZ\naws_secret_access_key = s\n";
        let c = chain(resolve_in(config, creds, Some("job")).await.0);
        let arns: Vec<&str> = c.roles.iter().map(|r| r.role_arn.as_str()).collect();
        assert_eq!(arns, ["arn:aws:iam::1:role/hop", "arn:aws:iam::1:role/job"]);
        assert_eq!(c.roles[1].duration_seconds, Some(7200));
        assert_eq!(c.hops.len(), 3);
    }

    #[tokio::test]
    async fn source_profile_cycles_are_reported_not_looped() {
        let config = "[profile a]\nrole_arn = arn:aws:iam::1:role/a\nsource_profile = b\n\
                      [profile b]\nrole_arn = arn:aws:iam::1:role/b\nsource_profile = a\n";
        match resolve_in(config, "", Some("a")).await.0 {
            Outcome::Invalid { message, .. } => assert!(message.contains("a → b → a"), "{message}"),
            other => panic!("{other:?}"),
        }
    }

    #[tokio::test]
    async fn chains_are_followed_up_to_max_chain_profiles() {
        let config = |n: usize| {
            let mut c = "[profile p0]\naws_access_key_id = AKIAEXAMPLEKEYIDWXYZ\naws_secret_access_key = s\n"
                .to_string();
            for i in 1..n {
                c.push_str(&format!(
                    "[profile p{i}]\nrole_arn = arn:aws:iam::1:role/r{i}\nsource_profile = p{}\n",
                    i - 1
                ));
            }
            c
        };
        let top = format!("p{}", MAX_CHAIN - 1);
        let c = chain(resolve_in(&config(MAX_CHAIN), "", Some(&top)).await.0);
        assert_eq!(c.hops.len(), MAX_CHAIN);
        let top = format!("p{MAX_CHAIN}");
        match resolve_in(&config(MAX_CHAIN + 1), "", Some(&top)).await.0 {
            Outcome::TooLong { profile, message } => {
                assert_eq!(profile, top);
                assert!(message.contains("longer than 100 profiles"), "{message}");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn chain_text_keeps_ten_names_and_the_count() {
        let names: Vec<String> = (0..12).map(|i| format!("p{i}")).collect();
        assert_eq!(chain_text(&names[..3], false), "p0 → p1 → p2");
        assert_eq!(chain_text(&names[..3], true), "p0 → p1 → p2 → …");
        assert_eq!(
            chain_text(&names, false),
            "p0 → p1 → p2 → p3 → p4 → … → p8 → p9 → p10 → p11 (12 profiles)"
        );
    }

    #[tokio::test]
    async fn sso_session_profiles() {
        let config = "[profile dev]\nsso_session = corp\nsso_account_id = 123456789012\nsso_role_name = Dev\n\
                      [sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\n";
        let c = chain(resolve_in(config, "", Some("dev")).await.0);
        match c.base {
            Base::Sso(s) => {
                assert_eq!(s.session_name.as_deref(), Some("corp"));
                assert_eq!(s.start_url, "https://corp.awsapps.com/start");
            }
            other => panic!("{other:?}"),
        }
    }

    #[tokio::test]
    async fn missing_profile_and_parse_errors() {
        let (o, _) = resolve_in("[profile a]\nregion = x\n", "", Some("nope")).await;
        assert_eq!(o, Outcome::Missing("nope".into()));
        let (o, p) = resolve_in(
            "[profile a]\nregion = x\n[profile broken\nkey = v\n",
            "",
            None,
        )
        .await;
        assert_eq!(o, Outcome::NotConfigured);
        assert_eq!(p.len(), 1, "{p:?}");
        assert_eq!(p[0].line, Some(3), "{p:?}");
        assert!(p[0].subject.ends_with(".aws/config"), "{:?}", p[0]);
    }

    #[tokio::test]
    async fn a_directory_in_place_of_the_config_file_is_named() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join(".aws/config")).unwrap();
        let env = Env::fake(
            [("HOME", dir.path().to_str().unwrap())],
            "2026-11-23T08:00:00Z".parse().unwrap(),
        );
        let mut problems = vec![];
        load(&env, None, &mut problems).await;
        assert_eq!(problems.len(), 1);
        assert!(problems[0].message.contains("directory"));
    }
}
