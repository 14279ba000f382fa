//! The SDK's default credential chain, walked over local facts.
//!
//! aws-config tries, in order: environment, the selected profile, web identity from the
//! environment, the ECS/EKS container endpoint, EC2 instance metadata. The first that supplies
//! credentials wins; the rest are "shadowed" — and a shadowed source that refreshes, under
//! exported credentials that do not, is the classic mid-run failure. This module decides, for
//! each source, what it would supply: temporary or not, refreshed or not, until when, and what
//! bounds the refreshing. It runs a profile's `credential_process` only when that profile wins.

use super::caches;
use super::credential_process;
use super::environment::{self, EnvCredentials};
use super::files;
use super::profiles::{self, Base, Outcome, ProfileChain, SsoProfile};
use super::web_identity;
use crate::aws::{arn::role_name_of, limits};
use crate::env::Env;
use crate::facts::{
    Chaining, Credentials, ExpirySource, Facts, KeyId, NamedSource, NoRefresh, Origin, Problem,
    ProblemKind, RefreshEnd, RefreshLimit, Sdk, SessionLimit, Source, Sso, WebIdentity,
};
use crate::timestamps::{self, Dialect};
use tokio::time::Instant;

/// What one source of the chain would supply.
/// No `Debug`: it may hold a helper's credentials.
#[derive(Clone, Default)]
pub(super) struct View {
    pub(super) creds: Credentials,
    pub(super) limit: SessionLimit,
    pub(super) sso: Option<Sso>,
    pub(super) web_identity: Option<WebIdentity>,
    /// What a winning credential_process printed, for the live probes (never serialised).
    pub(super) process_creds: Option<aws_credential_types::Credentials>,
}

/// Fills `facts.credentials`, `session_limit`, `sso`, `profile_chain` and `problems` from
/// local sources only. Returns the credentials a winning `credential_process` printed, so
/// the live probes use them instead of running the helper a second time.
pub async fn gather_local(
    env: &Env,
    profile_flag: Option<&str>,
    parsed: Option<&super::Parsed>,
    deadline: Instant,
    helpers: credential_process::Helpers,
    facts: &mut Facts,
) -> Option<aws_credential_types::Credentials> {
    let mut problems = Vec::new();
    facts.imds_disabled = env
        .var("AWS_EC2_METADATA_DISABLED")
        .is_some_and(|v| v.eq_ignore_ascii_case("true"));

    let env_creds = environment::read(env, &mut problems);
    // The files are read once per run: a fleet audit passes them in, parsed, and names the
    // profile; a single check reads them here.
    let own;
    let (loaded, selected) = match (parsed, profile_flag) {
        (Some(p), name) => {
            problems.extend(p.problems.iter().cloned());
            let name = name.map_or_else(|| p.loaded.selected.clone(), str::to_string);
            (&p.loaded, name)
        }
        _ => {
            own = profiles::load(env, profile_flag, &mut problems).await;
            (&own, own.selected.clone())
        }
    };
    let outcome = loaded
        .set
        .as_ref()
        .map(|set| profiles::resolve_named(set, &selected));
    // The selected profile is a section aws-config's parser dropped.
    let dropped_selected = loaded
        .explicit
        .then(|| loaded.dropped.iter().find(|d| d.name == selected))
        .flatten();
    let chain_stopped_by_file =
        loaded.set.is_none() && problems.iter().any(|p| p.kind == ProblemKind::ConfigFile);

    let mut candidates: Vec<View> = Vec::new();
    // 1. Environment.
    if let Some(ec) = &env_creds {
        candidates.push(environment_view(ec));
    }

    // 2. The selected profile. A profile the SDK cannot use stops the chain there: the SDKs
    // raise, they do not move on to web identity or the container endpoint.
    let mut chain_stopped = false;
    match &outcome {
        Some(Outcome::Chain(chain)) => {
            take_chain(facts, chain, &mut problems);
            let is_winner = candidates.is_empty();
            let needs_sts =
                !chain.roles.is_empty() || matches!(chain.base, Base::WebIdentity { .. });
            let no_region = needs_sts
                && !imds_region(facts)
                && profiles::aws_config_region(env, loaded.set.as_ref(), &selected).is_none();
            let stop = match &chain.base {
                Base::LoginSession { profile } => Some(Problem::new(
                    ProblemKind::ChainStopped,
                    format!("profile {profile}"),
                    "uses login_session, which aws-config reads only when built with its \
                     credentials-login feature (not a default): without it the profile \
                     provider fails to build (InvalidConfiguration)",
                )),
                _ if no_region => Some(missing_region(&selected)),
                _ => None,
            };
            if let Some(p) = stop {
                facts.profile_chain = chain.hops.clone();
                if is_winner {
                    problems.push(p);
                }
                chain_stopped = true;
            }
            let view = profile_view(
                env,
                Sdk::Rust,
                chain,
                &selected,
                env_creds.as_ref(),
                is_winner,
                deadline,
                helpers,
                &mut problems,
            )
            .await;
            if view.creds.source == Source::None {
                chain_stopped = true;
            } else if !chain_stopped {
                candidates.push(view);
            }
        }
        Some(Outcome::Missing(name)) => {
            problems.push(missing_profile(name, profile_flag, dropped_selected))
        }
        Some(Outcome::Invalid { profile, message }) => {
            chain_stopped = true;
            problems.push(Problem::new(
                ProblemKind::Profile,
                format!("profile {profile}"),
                message.clone(),
            ));
        }
        Some(Outcome::TooLong { profile, message }) => {
            chain_stopped = true;
            problems.push(Problem::new(
                ProblemKind::ChainTooLong,
                format!("profile {profile}"),
                message.clone(),
            ));
        }
        Some(Outcome::Skipped { profile, message }) => problems.push(Problem::new(
            ProblemKind::Profile,
            format!("profile {profile}"),
            message.clone(),
        )),
        // Every section was dropped: the selected one among them is said, not silence.
        Some(Outcome::NotConfigured) | None => {
            if let Some(d) = dropped_selected {
                problems.push(missing_profile(&selected, profile_flag, Some(d)));
            }
        }
    }
    // Sections aws-config drops that the selection did not name: said, never held against
    // the credentials.
    problems.extend(
        loaded
            .dropped
            .iter()
            .filter(|d| Some(*d) != dropped_selected)
            .map(profiles::Dropped::problem),
    );

    // 3. Web identity from the environment.
    match (
        env.var("AWS_WEB_IDENTITY_TOKEN_FILE"),
        env.var("AWS_ROLE_ARN"),
    ) {
        _ if chain_stopped => {}
        (Some(_), Some(_))
            if !imds_region(facts)
                && profiles::aws_config_region(env, loaded.set.as_ref(), &selected).is_none() =>
        {
            if candidates.is_empty() {
                problems.push(missing_region(&selected));
            }
            chain_stopped = true;
        }
        (Some(token_file), Some(role_arn)) => {
            let token = web_identity::read(
                env,
                token_file,
                "AWS_WEB_IDENTITY_TOKEN_FILE",
                &mut problems,
            );
            candidates.push(web_identity_view(
                role_arn,
                None,
                Origin::ExportedWebIdentity,
                token,
            ));
        }
        (Some(_), None) => problems.push(Problem::new(
            ProblemKind::Environment,
            "AWS_WEB_IDENTITY_TOKEN_FILE",
            "is set but AWS_ROLE_ARN is not: the SDKs skip web identity",
        )),
        _ => {}
    }

    // 4. The container credentials endpoint (ECS task role, EKS Pod Identity).
    if let Some(view) = (!chain_stopped)
        .then(|| container_view(env, &mut problems))
        .flatten()
    {
        candidates.push(view);
    }

    if chain_stopped_by_file {
        // aws-config's profile provider fails on a file it cannot parse, and the chain stops
        // there: what comes after the profile is never asked.
        candidates.truncate(usize::from(env_creds.is_some()));
    }
    settle(facts, candidates, problems)
}

/// The selected profile does not exist for aws-config: the flag or variable that named it,
/// and, when the file has a section of that name aws-config drops, which and why.
fn missing_profile(
    name: &str,
    profile_flag: Option<&str>,
    dropped: Option<&profiles::Dropped>,
) -> Problem {
    let named_by = match profile_flag {
        Some(_) => "--profile",
        None if name.trim().is_empty() => "AWS_PROFILE is set but blank",
        None => "AWS_PROFILE",
    };
    Problem::new(
        ProblemKind::Profile,
        format!("profile {}", shown_name(name)),
        match dropped {
            Some(d) => format!(
                "does not exist for aws-config ({named_by}): {}; aws-config moves on to the next \
                 source",
                d.explains()
            ),
            None => format!(
                "does not exist ({named_by}); aws-config moves on to the next source, the AWS CLI \
                 and boto3 stop with \"The config profile ({name}) could not be found\""
            ),
        },
    )
}

/// Whether instance metadata could still supply a region (it is asked last, and only when not
/// disabled); offline it is not known, so it is not held against the configuration.
fn imds_region(facts: &Facts) -> bool {
    !facts.imds_disabled
}

/// aws-config's STS calls (a role, web identity) need a region, and none is configured.
fn missing_region(selected: &str) -> Problem {
    Problem::new(
        ProblemKind::ChainStopped,
        "region",
        format!(
            "none is configured (AWS_REGION, AWS_DEFAULT_REGION, or region in profile \
             {selected} or its source profiles): aws-config cannot call STS for the role \
             (\"Invalid Configuration: Missing Region\")"
        ),
    )
}

/// Writes the winner (the first candidate) into `facts`, the rest as shadowed sources, and
/// whether the SDK obtains credentials at all. Returns what a winning credential_process
/// printed.
pub(super) fn settle(
    facts: &mut Facts,
    candidates: Vec<View>,
    problems: Vec<Problem>,
) -> Option<aws_credential_types::Credentials> {
    let mut candidates = candidates.into_iter();
    let mut process_creds = None;
    match candidates.next() {
        Some(win) => {
            process_creds = win.process_creds;
            facts.credentials = win.creds;
            facts.session_limit = win.limit;
            facts.sso = win.sso;
            facts.web_identity = win.web_identity;
            for shadow in candidates {
                if shadow.creds.auto_refresh == Some(true)
                    && facts.credentials.shadowed_profile.is_none()
                    && let Some(p) = &shadow.creds.profile
                {
                    facts.credentials.shadowed_profile = Some(p.clone());
                }
                facts.credentials.shadowed_sources.push(shadow.creds.source);
            }
        }
        None => {
            facts.credentials.source = Source::None;
            facts.credentials.origin = Some(Origin::NoneFound {
                imds_disabled: facts.imds_disabled,
            });
        }
    }
    facts.problems.extend(problems);
    // A helper not run (`--no-credential-process`): whether the job gets credentials is not
    // known, and never counted as yes.
    facts.credentials.obtained = if facts
        .problems_of(ProblemKind::HelperNotRun)
        .next()
        .is_some()
        && obtained(facts)
    {
        None
    } else {
        Some(obtained(facts))
    };
    process_creds
}

/// Whether the SDK's chain hands back credentials, from the local facts (the services assumed
/// to answer): a source was found, nothing stopped the chain, and what the source needs
/// locally is there (an SSO token it can use or refresh, a readable web identity token, a
/// helper that printed credentials, a container endpoint the SDK accepts).
fn obtained(facts: &Facts) -> bool {
    let c = &facts.credentials;
    if c.source == Source::None {
        return false;
    }
    let stops = |k: ProblemKind| facts.problems_of(k).next().is_some();
    if stops(ProblemKind::ChainStopped)
        || stops(ProblemKind::CredentialProcess)
        || stops(ProblemKind::HelperStopped)
        || stops(ProblemKind::Deadline)
    {
        return false;
    }
    if let Some(sso) = &facts.sso {
        let now = facts.checked_at;
        let fresh = sso.token_expires_at.is_some_and(|t| t > now);
        let refreshable = sso.session_name.is_some()
            && sso.has_refresh_token == Some(true)
            && sso.registration_expires_at.is_none_or(|r| r > now);
        if !sso.token_found || !(fresh || refreshable) {
            return false;
        }
    }
    if let Some(w) = &facts.web_identity
        && facts
            .problems_of(ProblemKind::TokenFile)
            .any(|p| p.subject == w.token_file)
    {
        return false;
    }
    !(c.source == Source::Container && stops(ProblemKind::ContainerEndpoint))
}

pub(super) fn environment_view(ec: &EnvCredentials) -> View {
    let mut v = View::default();
    v.creds.source = Source::Environment;
    v.creds.origin = Some(Origin::ExportedKeys {
        session_token: ec.has_session_token,
    });
    v.creds.temporary = Some(ec.temporary());
    v.creds.session_token = Some(ec.has_session_token);
    v.creds.auto_refresh = Some(false);
    if ec.temporary() {
        v.creds.no_refresh = Some(NoRefresh::Exported);
    }
    v.creds.access_key_id = Some(ec.key_id.clone());
    if let Some((t, src)) = ec.expiry {
        v.creds.expires_at = Some(t);
        v.creds.expiry_source = Some(src);
    }
    v
}

pub(super) fn web_identity_view(
    role_arn: &str,
    profile: Option<&str>,
    origin: Origin,
    token: WebIdentity,
) -> View {
    let mut v = refreshing_role_view(Source::WebIdentity, origin);
    v.creds.profile = profile.map(str::to_string);
    v.creds.role_arn = Some(role_arn.to_string());
    v.limit.role_arn = Some(role_arn.to_string());
    v.limit.role_name = role_name_of(role_arn);
    v.limit.role_chaining = Some(false);
    // Every refresh hands STS the same token: once it expires, refreshing stops, unless
    // something rewrites the file.
    if token.rotated_by.is_none()
        && let Some(exp) = token.expires_at
    {
        v.creds.refresh_limit = Some(RefreshLimit::new(
            RefreshEnd::WebIdentityToken {
                token_file: token.token_file.clone(),
            },
            Some(exp),
            None,
        ));
    }
    v.web_identity = Some(token);
    v
}

/// The variable that configures the container credentials endpoint, and its value.
pub(super) fn container_variable(env: &Env) -> Option<(&'static str, &str)> {
    [
        "AWS_CONTAINER_CREDENTIALS_FULL_URI",
        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    ]
    .into_iter()
    .find_map(|v| env.var(v).map(|val| (v, val)))
}

/// The container endpoint (an ECS task role, EKS Pod Identity), when configured, checked as
/// the SDKs check it before they ask: a full URI must be HTTPS or name a loopback or the
/// ECS/EKS container address, and a named authorization token file must be readable.
pub(super) fn container_view(env: &Env, problems: &mut Vec<Problem>) -> Option<View> {
    let (var, value) = container_variable(env)?;
    let unusable = |why: String| Problem::new(ProblemKind::ContainerEndpoint, var, why);
    if var == "AWS_CONTAINER_CREDENTIALS_FULL_URI"
        && let Err(why) = allowed_full_uri(value)
    {
        problems.push(unusable(why));
    }
    // aws-config reads the token file for either variable, at every refresh.
    if let Some(token_file) = env.var("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE") {
        let path = env.expand_home(token_file);
        match files::read_capped(&path, files::CACHE_CAP) {
            Ok(Some(_)) => {}
            Ok(None) => problems.push(Problem::new(
                ProblemKind::ContainerEndpoint,
                path.display().to_string(),
                "does not exist (named by AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE): the SDK \
                 cannot authorize to the container endpoint (EKS Pod Identity)",
            )),
            Err(why) => problems.push(Problem::new(
                ProblemKind::ContainerEndpoint,
                path.display().to_string(),
                why,
            )),
        }
    }
    Some(refreshing_role_view(
        Source::Container,
        Origin::ContainerEndpoint {
            variable: var.to_string(),
        },
    ))
}

/// aws-config's rule for `AWS_CONTAINER_CREDENTIALS_FULL_URI` (`ecs.rs`, `validate_full_uri`):
/// HTTPS, or HTTP to a loopback address or the ECS (169.254.170.2) or EKS (169.254.170.23,
/// fd00:ec2::23) container address. A host name other than `localhost` is resolved by the
/// SDK at run time, so it is not judged here.
pub(super) fn allowed_full_uri(uri: &str) -> Result<(), String> {
    use std::net::IpAddr;
    let (scheme, rest) = uri
        .split_once("://")
        .ok_or_else(|| format!("'{uri}' is not a URL"))?;
    match scheme.to_ascii_lowercase().as_str() {
        "https" => return Ok(()),
        "http" => {}
        other => {
            return Err(format!(
                "uses {other}://; the SDKs accept http and https only"
            ));
        }
    }
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host = match authority.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or_default(),
        None => authority.rsplit_once(':').map_or(authority, |(h, _)| h),
    };
    if host.eq_ignore_ascii_case("localhost") {
        return Ok(());
    }
    let Ok(ip) = host.parse::<IpAddr>() else {
        return Ok(());
    };
    let allowed: [IpAddr; 3] = [
        "169.254.170.2".parse().expect("literal"),
        "169.254.170.23".parse().expect("literal"),
        "fd00:ec2::23".parse().expect("literal"),
    ];
    if ip.is_loopback() || allowed.contains(&ip) {
        Ok(())
    } else {
        Err(format!(
            "points at {host} over plain HTTP: the SDKs refuse it (only HTTPS, a loopback \
             address, or the ECS/EKS container address 169.254.170.2, 169.254.170.23, \
             fd00:ec2::23)"
        ))
    }
}

/// Role credentials the SDK fetches and refreshes itself (container, instance, web identity).
pub(super) fn refreshing_role_view(source: Source, origin: Origin) -> View {
    let mut v = View::default();
    v.creds.source = source;
    v.creds.origin = Some(origin);
    v.creds.temporary = Some(true);
    v.creds.auto_refresh = Some(true);
    v
}

/// What the selected profile supplies. `is_winner` decides whether its credential_process
/// is run: a shadowed helper is never started.
#[allow(clippy::too_many_arguments)]
pub(super) async fn profile_view(
    env: &Env,
    sdk: Sdk,
    chain: &ProfileChain,
    selected: &str,
    env_creds: Option<&EnvCredentials>,
    is_winner: bool,
    deadline: Instant,
    helpers: credential_process::Helpers,
    problems: &mut Vec<Problem>,
) -> View {
    let mut v = base_view(
        env,
        sdk,
        &chain.base,
        env_creds,
        is_winner,
        deadline,
        helpers,
        problems,
    )
    .await;
    v.creds.profile = Some(selected.to_string());
    // Base credentials the SDK cannot get: no role can be assumed with them.
    if chain.roles.is_empty() || v.creds.source == Source::None {
        return v;
    }

    // Roles on top of the base: the SDK assumes each in turn and re-assumes before expiry.
    let base = v;
    let last = chain.roles.last().expect("non-empty");
    let mut r = View {
        sso: base.sso.clone(),
        web_identity: base.web_identity.clone(),
        ..View::default()
    };
    r.creds.source = Source::AssumeRole;
    r.creds.profile = Some(selected.to_string());
    r.creds.role_arn = Some(last.role_arn.clone());
    r.creds.temporary = Some(true);
    // Each role is assumed with the session of the one before it: the origin names the hop
    // that really supplies the session, down to the base credentials.
    r.creds.origin = chain
        .roles
        .iter()
        .fold(base.creds.origin.clone(), |inner, hop| {
            inner.map(|b| Origin::AssumedRole {
                profile: hop.profile.clone(),
                role_arn: hop.role_arn.clone(),
                base: Box::new(b),
            })
        });
    if let Some(m) = chain.roles.iter().find(|h| h.mfa_serial.is_some()) {
        r.creds.auto_refresh = Some(false);
        r.creds.no_refresh = Some(NoRefresh::MfaRequired {
            profile: m.profile.clone(),
        });
    } else {
        r.creds.auto_refresh = Some(true);
        r.creds.refresh_limit = match (base.creds.auto_refresh, base.creds.temporary) {
            (Some(true), _) => base.creds.refresh_limit.clone(),
            (_, Some(true)) => Some(RefreshLimit::new(
                RefreshEnd::SourceCredentials {
                    base: base.creds.origin.clone(),
                },
                base.creds.expires_at,
                None,
            )),
            _ => None,
        };
    }
    // The AWS CLI's cache shows when the current session of this role ends.
    let key = caches::assume_role_cache_key(last);
    if let Some(cached) = caches::read_cli_cache(env, &key, problems) {
        r.creds.expires_at = Some(cached.expires_at);
        r.creds.expiry_source = Some(ExpirySource::CliCache);
        r.creds.access_key_id = cached.key_id;
    }

    r.limit.role_arn = Some(last.role_arn.clone());
    r.limit.role_name = role_name_of(&last.role_arn);
    r.limit.configured_duration_seconds = last.duration_seconds;
    if last.duration_seconds.is_some() {
        r.limit.configured_in_profile = Some(last.profile.clone());
    }
    let (chained, reason) = if chain.roles.len() >= 2 {
        let prev = &chain.roles[chain.roles.len() - 2];
        (
            Some(true),
            Some(Chaining::ProfileHop {
                profile: last.profile.clone(),
                role_arn: last.role_arn.clone(),
                via_profile: prev.profile.clone(),
                via_role_arn: prev.role_arn.clone(),
            }),
        )
    } else {
        chaining_from_base(&base)
    };
    r.limit.role_chaining = chained;
    r.limit.chaining = reason;
    r
}

/// Whether assuming a role with these base credentials is role chaining (1 h cap).
fn chaining_from_base(base: &View) -> (Option<bool>, Option<Chaining>) {
    let origin = base.creds.origin.clone();
    match base.creds.source {
        // AWS: "When you use roles to grant permissions to applications that run on EC2
        // instances, those applications are not subject to this limitation" (IAM User Guide,
        // role chaining).
        Source::InstanceMetadata => (
            Some(false),
            Some(Chaining::InstanceRoleSource { base: origin }),
        ),
        Source::Sso | Source::Container | Source::WebIdentity => (
            Some(true),
            Some(Chaining::RoleSessionSource { base: origin }),
        ),
        // Session credentials as the source: role sessions (AssumeRole, SAML, SSO) and, as
        // users of GetSessionToken report, its sessions too make AssumeRole a chained one.
        Source::Environment | Source::SharedCredentials | Source::CredentialProcess
            if base.creds.temporary == Some(true) =>
        {
            (Some(true), Some(Chaining::TemporarySource { base: origin }))
        }
        _ if base.creds.temporary == Some(false) => (Some(false), None),
        _ => (None, None),
    }
}

#[allow(clippy::too_many_arguments)]
async fn base_view(
    env: &Env,
    sdk: Sdk,
    base: &Base,
    env_creds: Option<&EnvCredentials>,
    is_winner: bool,
    deadline: Instant,
    helpers: credential_process::Helpers,
    problems: &mut Vec<Problem>,
) -> View {
    match base {
        Base::StaticKeys {
            profile,
            key_id,
            has_session_token,
            expires,
        } => {
            let mut v = View::default();
            v.creds.source = Source::SharedCredentials;
            v.creds.origin = Some(Origin::ProfileKeys {
                profile: profile.clone(),
            });
            let key = key_id.as_deref().map(KeyId::redact);
            let temporary = *has_session_token
                || key
                    .as_ref()
                    .is_some_and(|k| k.kind() == crate::facts::KeyKind::Temporary);
            v.creds.access_key_id = key;
            v.creds.session_token = Some(*has_session_token);
            v.creds.temporary = Some(temporary);
            v.creds.auto_refresh = Some(false);
            if temporary {
                v.creds.no_refresh = Some(NoRefresh::SessionKeysInProfile {
                    profile: profile.clone(),
                });
            }
            if let Some(raw) = expires {
                match timestamps::parse(raw, Dialect::Zoned, env.zone()) {
                    Ok(t) => {
                        v.creds.expires_at = Some(t);
                        v.creds.expiry_source = Some(ExpirySource::XSecurityTokenExpires);
                    }
                    Err(why) => problems.push(Problem::new(
                        ProblemKind::ExpiryValue,
                        format!("x_security_token_expires in profile {profile}"),
                        why,
                    )),
                }
            }
            v
        }
        Base::NamedSource { profile, source } => {
            let origin = |named| Origin::CredentialSource {
                profile: profile.clone(),
                source: named,
            };
            let refused =
                |why: String| Problem::new(ProblemKind::Profile, format!("profile {profile}"), why);
            let named = match sdk {
                Sdk::Rust => NamedSource::parse(source),
                Sdk::Python => NamedSource::parse_exact(source),
            };
            match named {
                Some(named @ NamedSource::Environment) => match env_creds {
                    Some(ec) => {
                        let mut v = environment_view(ec);
                        v.creds.origin = Some(origin(named));
                        v
                    }
                    None => {
                        problems.push(Problem::new(
                            ProblemKind::Profile,
                            format!("profile {profile}"),
                            "sets credential_source = Environment but no credentials are exported",
                        ));
                        View::default()
                    }
                },
                Some(NamedSource::Ec2InstanceMetadata)
                    if env
                        .var("AWS_EC2_METADATA_DISABLED")
                        .is_some_and(|v| v.eq_ignore_ascii_case("true")) =>
                {
                    problems.push(refused(format!(
                        "sets credential_source = {source} but instance metadata is disabled \
                         (AWS_EC2_METADATA_DISABLED=true): the SDK has nothing to ask"
                    )));
                    View::default()
                }
                Some(named @ NamedSource::Ec2InstanceMetadata) => {
                    refreshing_role_view(Source::InstanceMetadata, origin(named))
                }
                Some(NamedSource::EcsContainer) if container_variable(env).is_none() => {
                    problems.push(refused(format!(
                        "sets credential_source = {source} but no container endpoint is \
                         configured (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI or _FULL_URI)"
                    )));
                    View::default()
                }
                Some(named @ NamedSource::EcsContainer) => {
                    refreshing_role_view(Source::Container, origin(named))
                }
                None => {
                    problems.push(Problem::new(
                        ProblemKind::Profile,
                        format!("profile {profile}"),
                        format!(
                            "sets credential_source = {source}; valid values are Environment, \
                             Ec2InstanceMetadata and EcsContainer"
                        ),
                    ));
                    View::default()
                }
            }
        }
        Base::WebIdentity {
            profile,
            role_arn,
            token_file,
        } => {
            let token = web_identity::read(
                env,
                token_file,
                &format!("web_identity_token_file in profile {profile}"),
                problems,
            );
            web_identity_view(
                role_arn,
                Some(profile),
                Origin::ProfileWebIdentity {
                    profile: profile.clone(),
                },
                token,
            )
        }
        Base::Sso(sso) => sso_view(env, sso, problems),
        Base::CredentialProcess { profile, command } => {
            let mut v = View::default();
            v.creds.source = Source::CredentialProcess;
            v.creds.origin = Some(Origin::CredentialProcess {
                profile: profile.clone(),
            });
            // A helper that is not the winner is never run: whether it would refresh is
            // unknown, and it is never offered as the refreshing alternative.
            if !is_winner {
                return v;
            }
            // `--no-credential-process`: the source is named, its credentials are not obtained.
            if helpers == credential_process::Helpers::NotRun {
                problems.push(Problem::new(
                    ProblemKind::HelperNotRun,
                    format!("credential_process of profile {profile}"),
                    "--no-credential-process",
                ));
                return v;
            }
            let launch = match sdk {
                Sdk::Rust => credential_process::Launch::Shell,
                Sdk::Python => credential_process::Launch::Split,
            };
            match credential_process::run(command, launch, deadline, env).await {
                Ok(out) => {
                    v.creds.access_key_id = out.key_id;
                    v.creds.temporary = Some(out.has_session_token);
                    // Without Expiration the SDKs treat the output as never expiring and never
                    // run the helper again.
                    v.creds.auto_refresh = Some(out.expires_at.is_some());
                    if out.expires_at.is_none() && out.has_session_token {
                        v.creds.no_refresh = Some(NoRefresh::ProcessWithoutExpiration);
                    }
                    if let Some(t) = out.expires_at {
                        v.creds.expires_at = Some(t);
                        v.creds.expiry_source = Some(ExpirySource::CredentialProcess);
                        // Run again, it hands back what it printed: already dead, no refresh.
                        if t <= env.now() {
                            v.creds.auto_refresh = Some(false);
                            v.creds.no_refresh = Some(NoRefresh::ProcessReturnsExpired);
                        }
                    }
                    v.process_creds = Some(out.sdk);
                }
                Err(e) => problems.push(match e.stopped_by {
                    // The signal is the fact; render/ says what it means.
                    Some(signal) => Problem::new(
                        ProblemKind::HelperStopped,
                        format!("credential_process of profile {profile}"),
                        signal,
                    ),
                    None => Problem::new(
                        if e.timed_out {
                            ProblemKind::Deadline
                        } else {
                            ProblemKind::CredentialProcess
                        },
                        format!("credential_process of profile {profile}"),
                        e.message,
                    ),
                }),
            }
            v
        }
        Base::LoginSession { profile } => {
            let mut v = View::default();
            v.creds.source = Source::Login;
            v.creds.origin = Some(Origin::LoginSession {
                profile: profile.clone(),
            });
            v.creds.temporary = Some(true);
            v.creds.auto_refresh = Some(true);
            v
        }
    }
}

/// The selected profile's chain into the facts, and what it ignored along the way (a
/// `duration_seconds` that is not a number) as problems: the same for both SDKs' models.
pub(super) fn take_chain(
    facts: &mut Facts,
    chain: &super::profiles::ProfileChain,
    problems: &mut Vec<Problem>,
) {
    facts.profile_chain = chain.hops.clone();
    for (profile, why) in &chain.ignored {
        problems.push(Problem::new(
            ProblemKind::Profile,
            format!("profile {profile}"),
            why.clone(),
        ));
    }
}

pub(super) fn sso_view(env: &Env, sso: &SsoProfile, problems: &mut Vec<Problem>) -> View {
    let now = env.now();
    let mut v = View::default();
    v.creds.source = Source::Sso;
    v.creds.temporary = Some(true);
    v.creds.auto_refresh = Some(true);
    v.creds.origin = Some(Origin::Sso {
        profile: sso.profile.clone(),
        session: sso.session_name.clone(),
        role: sso.role_name.clone(),
    });
    // The role is AWSReservedSSO_<permission set>_<suffix>; its session length is the
    // permission set's, which only the live probes (or sso-admin) can read.
    v.limit.role_chaining = Some(false);

    let token = caches::read_sso_token(env, sso, problems);
    let mut facts = Sso {
        session_name: sso.session_name.clone(),
        start_url: Some(sso.start_url.clone()),
        account_id: sso.account_id.clone(),
        role_name: sso.role_name.clone(),
        token_found: token.is_some(),
        ..Sso::default()
    };
    if let Some(t) = &token {
        facts.token_expires_at = t.expires_at;
        facts.has_refresh_token = Some(t.has_refresh_token);
        facts.registration_expires_at = t.registration_expires_at;
        facts.cache_file = Some(t.path.display().to_string());
    }

    // What ends the SDK's ability to fetch fresh role credentials.
    v.creds.refresh_limit = Some(match &token {
        None => RefreshLimit::new(RefreshEnd::NoSsoToken, Some(now), None),
        Some(t) if !t.has_refresh_token || sso.session_name.is_none() => {
            RefreshLimit::new(RefreshEnd::SsoTokenWithoutRefresh, t.expires_at, None)
        }
        Some(t) => {
            let session = chrono::TimeDelta::seconds(limits::SSO_SESSION_DEFAULT);
            match t
                .registration_expires_at
                .filter(|r| *r < crate::timestamps::later(now, session))
            {
                Some(r) => RefreshLimit::new(RefreshEnd::SsoRegistration, Some(r), None),
                None => RefreshLimit::new(
                    RefreshEnd::SsoSession {
                        default_seconds: limits::SSO_SESSION_DEFAULT,
                    },
                    None,
                    Some(limits::SSO_SESSION_DEFAULT),
                ),
            }
        }
    });

    // The AWS CLI caches the role credentials it fetched with the token.
    if let Some(key) = caches::sso_role_cache_key(sso)
        && let Some(cached) = caches::read_cli_cache(env, &key, problems)
    {
        v.creds.expires_at = Some(cached.expires_at);
        v.creds.expiry_source = Some(ExpirySource::CliCache);
        v.creds.access_key_id = cached.key_id;
    }
    v.sso = Some(facts);
    v
}

/// A profile name as a sentence shows it: a blank one in quotes.
pub(super) fn shown_name(name: &str) -> String {
    if name.trim().is_empty() {
        format!("\"{name}\"")
    } else {
        name.to_string()
    }
}
