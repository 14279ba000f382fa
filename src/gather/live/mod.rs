//! Live probes: what the services say. Without `--offline`, the credentials are resolved by
//! aws-config's own providers, shown to sts:GetCallerIdentity (identity, and AWS's clock from
//! the `Date` header), and the role's MaxSessionDuration is read with iam:GetRole.
//!
//! Every probe takes the run's deadline; independent probes run concurrently; every answer
//! and every failure is written into Facts. Nothing here returns early with an error.

pub mod credentials;
pub mod errors;
pub mod http;
pub mod iam;
pub mod imds;
pub mod ntp;
pub mod roles;
pub mod sdk;
pub mod sts;

use super::Request;
use crate::aws::Arn;
use crate::env::Env;
use crate::facts::{
    Chaining, Facts, HopKind, IdentityType, KeyId, LimitSource, Origin, Probe, ProbeKind, Sdk,
    Source,
};
use aws_config::SdkConfig;
use aws_credential_types::Credentials;
use tokio::time::Instant;

/// How far the live probes of a run got: what they were waiting for when the deadline came.
#[derive(Clone, Debug, Default)]
pub struct Progress(std::sync::Arc<std::sync::Mutex<Stage>>);

/// A step of the live probes, in order.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Stage {
    /// aws-config resolving the region and the profile (instance metadata included).
    #[default]
    LoadingConfiguration,
    /// The SDK's credential provider.
    ResolvingCredentials,
    /// sts:GetCallerIdentity.
    AskingSts,
    /// iam:GetRole.
    AskingIam,
}

impl Progress {
    fn at(&self, stage: Stage) {
        *self.0.lock().unwrap_or_else(|p| p.into_inner()) = stage;
    }

    /// The probe that was waiting when the deadline came, as a timed-out probe.
    pub fn timed_out(&self, waited: std::time::Duration) -> Probe {
        let stage = *self.0.lock().unwrap_or_else(|p| p.into_inner());
        let (kind, target) = match stage {
            Stage::LoadingConfiguration => (
                ProbeKind::Credentials,
                "loading the AWS configuration (region, profile)",
            ),
            Stage::ResolvingCredentials => {
                (ProbeKind::Credentials, "the SDK's default credential chain")
            }
            Stage::AskingSts => (ProbeKind::Identity, "sts:GetCallerIdentity"),
            Stage::AskingIam => (ProbeKind::GetRole, "iam:GetRole"),
        };
        Probe {
            kind,
            target: target.into(),
            endpoint: None,
            elapsed_ms: waited.as_millis() as u64,
            error: Some(errors::timeout(waited)),
        }
    }
}

/// Runs the live probes and writes what they learn into `facts`. `process_creds` are the
/// credentials a winning `credential_process` already printed (it is not run twice).
/// `progress` says how far they got, for a caller that stops waiting.
pub async fn gather_live(
    env: &Env,
    req: &Request,
    facts: &mut Facts,
    process_creds: Option<Credentials>,
    progress: &Progress,
) {
    let deadline = req.deadline;
    // aws-config reads its files with blocking calls on this thread: a FIFO among them would
    // hold the run past any deadline. The local facts already name it; the SDK is not asked.
    // A chain of thousands of profiles: aws-config's own walk of it is quadratic, on this
    // thread too.
    let blocked = sdk_would_block(env, facts)
        || facts
            .problems_of(crate::facts::ProblemKind::ChainTooLong)
            .next()
            .is_some();
    let aws = async {
        if blocked {
            return LiveOutcome::default();
        }
        let started = Instant::now();
        let load = async {
            let (profile, region) = (req.profile.as_deref(), req.region.as_deref());
            match &req.held {
                Some(held) => held.config(profile, region, deadline).await,
                None => sdk::load(profile, region, deadline).await,
            }
        };
        let config = match tokio::time::timeout_at(deadline, load).await {
            Ok(c) => c,
            Err(_) => {
                return LiveOutcome {
                    probes: vec![progress.timed_out(Instant::now() - started)],
                    ..LiveOutcome::default()
                };
            }
        };
        probe_aws(env, req, facts, &config, process_creds, progress).await
    };
    let shadow_imds = async {
        let wanted = !blocked
            && !req.profile_only
            && !req.credentials_only
            && !facts.imds_disabled
            && facts.credentials.source != Source::InstanceMetadata
            && facts.credentials.source != Source::None;
        if wanted {
            Some(imds::instance_role_answers(deadline).await)
        } else {
            None
        }
    };
    let clock = async {
        match &req.ntp_server {
            Some(server) => Some(ntp::measure(server, deadline).await),
            None => None,
        }
    };
    let (outcome, imds_probe, ntp) = tokio::join!(aws, shadow_imds, clock);
    outcome.apply(facts);
    if let Some((result, probe)) = ntp {
        if let Ok(m) = result {
            facts.clock.ntp_offset_seconds = Some(m.offset_seconds);
            facts.clock.ntp_delay_seconds = Some(m.delay_seconds);
            facts.clock.ntp_stratum = Some(m.stratum);
        }
        facts.probes.push(probe);
    }
    if let Some((answers, probe)) = imds_probe {
        if answers
            && !facts
                .credentials
                .shadowed_sources
                .contains(&Source::InstanceMetadata)
        {
            facts
                .credentials
                .shadowed_sources
                .push(Source::InstanceMetadata);
        }
        facts.probes.push(probe);
    }
}

/// Whether a file aws-config would read while it loads the configuration or resolves the
/// credentials (the config and credentials files, the web identity token, the container
/// authorization token, the SSO token cache entry) is there but is not a regular file. The
/// SDK reads them with blocking calls on the runtime's thread, where a FIFO would wait for a
/// writer forever and no deadline could stop it.
pub fn sdk_would_block(env: &Env, facts: &Facts) -> bool {
    use std::path::PathBuf;
    let mut paths: Vec<PathBuf> = super::profiles::file_paths(env)
        .into_iter()
        .flatten()
        .collect();
    for var in [
        "AWS_WEB_IDENTITY_TOKEN_FILE",
        "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
    ] {
        if let Some(p) = env.var(var) {
            paths.push(PathBuf::from(p));
            paths.push(env.expand_home(p));
        }
    }
    if let Some(w) = &facts.web_identity {
        paths.push(PathBuf::from(&w.token_file));
    }
    if let Some(sso) = &facts.sso
        && let Some(url) = &sso.start_url
    {
        paths.extend(super::caches::sso_token_path(
            env,
            sso.session_name.as_deref(),
            url,
        ));
    }
    paths.iter().any(|p| super::files::blocks_sdk(p))
}

/// A `credential_process` was run locally and gave nothing (it failed, hung, or was stopped
/// wanting the terminal), or may not run at all (`--no-credential-process`): asking
/// aws-config's provider would run it (again).
fn helper_not_to_run_again(facts: &Facts) -> bool {
    use crate::facts::ProblemKind;
    facts.problems.iter().any(|p| {
        matches!(
            p.kind,
            ProblemKind::CredentialProcess | ProblemKind::HelperStopped | ProblemKind::HelperNotRun
        ) || (p.kind == ProblemKind::Deadline && p.subject.starts_with("credential_process"))
    })
}

/// Everything the AWS side learned, applied to Facts in one place.
#[derive(Default)]
struct LiveOutcome {
    region: Option<String>,
    region_source: Option<String>,
    probes: Vec<Probe>,
    resolved: Option<ResolvedCredentials>,
    identity: Option<crate::facts::Identity>,
    aws_offset_seconds: Option<f64>,
    max_session: Option<i64>,
    base_identity: Option<crate::facts::Identity>,
}

struct ResolvedCredentials {
    source: Option<Source>,
    key_id: KeyId,
    has_session_token: bool,
    expires_at: Option<chrono::DateTime<chrono::Utc>>,
}

impl LiveOutcome {
    fn apply(self, facts: &mut Facts) {
        facts.region = self.region;
        facts.region_source = self.region_source;
        facts.probes.extend(self.probes);
        if let Some(r) = self.resolved {
            let c = &mut facts.credentials;
            // The providers' tags name the chain stage that answered; within the profile
            // stage our own walk of the profile graph is the more precise description.
            if let Some(live) = r.source
                && stage(live) != stage(c.source)
            {
                let before = c.source;
                c.source = live;
                c.origin = Some(match before {
                    Source::None => Origin::FoundLive { source: live },
                    suggested => Origin::ResolvedLive {
                        source: live,
                        suggested,
                    },
                });
                c.no_refresh = None;
                c.refresh_limit = None;
                c.profile = None;
                c.temporary = None;
                c.auto_refresh = Some(live != Source::Environment);
                c.expires_at = None;
                c.expiry_source = None;
            }
            c.access_key_id = Some(r.key_id.clone());
            if c.temporary.is_none() {
                c.temporary = Some(r.has_session_token);
            }
            if let Some(t) = r.expires_at
                && (c.auto_refresh == Some(true) || c.expires_at.is_none())
            {
                c.expires_at = Some(t);
                c.expiry_source = Some(crate::facts::ExpirySource::Provider);
            }
        }
        if let Some(id) = self.identity {
            // The role the credentials are a session of, when nothing local named it.
            if !facts.session_limit.planned
                && facts.session_limit.role_name.is_none()
                && id.kind == Some(IdentityType::AssumedRole)
            {
                facts.session_limit.role_name = id.role_name.clone();
                facts.session_limit.role_arn = id
                    .arn
                    .as_deref()
                    .and_then(Arn::parse)
                    .and_then(|a| a.role_of_session());
            }
            facts.identity = id;
        }
        if let Some(o) = self.aws_offset_seconds {
            facts.clock.aws_offset_seconds = Some(o);
        }
        if let Some(max) = self.max_session {
            facts.session_limit.max_session_duration_seconds = Some(max);
            facts.session_limit.max_session_duration_source = Some(LimitSource::GetRole);
        }
        if let Some(base) = self.base_identity
            && facts.session_limit.role_chaining != Some(true)
        {
            // The source keys' own identity settles it: a role session, or a GetSessionToken /
            // GetFederationToken session (temporary keys of a user), both chain.
            match base.kind {
                Some(IdentityType::AssumedRole) => {
                    facts.session_limit.role_chaining = Some(true);
                    facts.session_limit.chaining = Some(Chaining::SourceIsRoleSession {
                        role: base.role_name.unwrap_or_default(),
                    });
                }
                Some(IdentityType::User | IdentityType::FederatedUser) => {
                    facts.session_limit.role_chaining = Some(true);
                    facts.session_limit.chaining = Some(Chaining::SourceIsUserSession {
                        arn: base.arn.unwrap_or_default(),
                    });
                }
                _ => {}
            }
        }
    }
}

/// The default chain's stages: the environment, the profile, web identity from the
/// environment, the container endpoint, instance metadata.
fn stage(s: Source) -> u8 {
    match s {
        Source::Environment => 1,
        Source::SharedCredentials
        | Source::AssumeRole
        | Source::Sso
        | Source::CredentialProcess
        | Source::Login => 2,
        Source::WebIdentity => 3,
        Source::Container => 4,
        Source::InstanceMetadata => 5,
        Source::None => 0,
    }
}

/// Does the STS global endpoint apply (no region and no endpoint override anywhere)?
fn use_global_sts(env: &Env, config: &SdkConfig) -> bool {
    config.region().is_none()
        && config.endpoint_url().is_none()
        && env.var("AWS_ENDPOINT_URL_STS").is_none()
}

async fn probe_aws(
    env: &Env,
    req: &Request,
    facts: &Facts,
    config: &SdkConfig,
    process_creds: Option<Credentials>,
    progress: &Progress,
) -> LiveOutcome {
    let deadline = req.deadline;
    let mut out = LiveOutcome {
        region: config
            .region()
            .map(|r| r.to_string())
            .or_else(|| Some(sdk::GLOBAL_STS_REGION.into())),
        region_source: Some(sdk::region_source(
            env,
            req.region.as_deref(),
            config.region(),
        )),
        ..LiveOutcome::default()
    };

    // 1. Credentials, as the job's SDK resolves them.
    progress.at(Stage::ResolvingCredentials);
    let creds = match process_creds {
        Some(c) => c,
        None => {
            if facts.credentials.source == Source::None && facts.imds_disabled {
                // The chain has nothing left to ask; the local finding says so.
                return out;
            }
            if helper_not_to_run_again(facts) {
                // aws-config would run the helper again, in our own process group: a prompt
                // would then reach the terminal. Once is enough; the local finding says why.
                return out;
            }
            let expected = facts.credentials.source;
            let (result, probe) = match (&req.profile, req.profile_only, facts.sdk) {
                // botocore's pick, asked of aws-config's provider of that kind.
                (_, _, Some(Sdk::Python)) => {
                    match credentials::resolve_as_botocore(config, facts, deadline).await {
                        Some(answer) => answer,
                        None => return out,
                    }
                }
                (Some(p), true, _) => {
                    credentials::resolve_profile(config, p, deadline, expected).await
                }
                _ => credentials::resolve(config, deadline, expected).await,
            };
            out.probes.push(probe);
            match result {
                Ok(c) => c,
                Err(_) => return out,
            }
        }
    };
    out.resolved = Some(ResolvedCredentials {
        source: credentials::source_of(&creds),
        key_id: KeyId::redact(creds.access_key_id()),
        has_session_token: creds.session_token().is_some(),
        expires_at: credentials::expiry_of(&creds),
    });
    if req.credentials_only {
        return out;
    }

    // 2. Identity and AWS's clock; the source credentials' identity when chaining is unclear.
    progress.at(Stage::AskingSts);
    let global = use_global_sts(env, config);
    let base_creds = if facts.session_limit.role_chaining.is_none()
        && facts.credentials.source == Source::AssumeRole
    {
        base_static_credentials(env, req, facts).await
    } else {
        None
    };
    let clock = env.clock();
    let identity =
        sts::caller_identity(config, &creds, deadline, global, ProbeKind::Identity, clock);
    let base = async {
        match &base_creds {
            Some(b) => Some(
                sts::caller_identity(
                    config,
                    b,
                    deadline,
                    global,
                    ProbeKind::SourceIdentity,
                    clock,
                )
                .await,
            ),
            None => None,
        }
    };
    let (identity, base) = tokio::join!(identity, base);
    out.probes.push(identity.probe);
    out.aws_offset_seconds = identity.clock.map(|c| c.offset_seconds());
    if let Some(b) = base {
        out.probes.push(b.probe);
        out.base_identity = b.result.ok();
    }
    let Ok(id) = identity.result else {
        return out;
    };

    // 3. The role's MaxSessionDuration: the planned role, else the credentials' own role.
    let planned = req
        .role_arn
        .as_deref()
        .and_then(crate::aws::arn::role_name_of);
    let role = planned.or_else(|| match id.kind {
        Some(IdentityType::AssumedRole) => id.role_name.clone(),
        _ => None,
    });
    let sso_reserved = role.as_deref().is_some_and(crate::aws::limits::is_sso_role);
    let iam_forbidden = matches!(id.kind, Some(IdentityType::FederatedUser))
        || (id.kind == Some(IdentityType::User) && creds.session_token().is_some());
    if let Some(role) = role
        && !iam_forbidden
        && (!sso_reserved || req.role_arn.is_some())
    {
        progress.at(Stage::AskingIam);
        let (result, probe) =
            iam::max_session_duration(config, &creds, &role, deadline, env.clock()).await;
        out.probes.push(probe);
        out.max_session = result.ok();
    }
    out.identity = Some(id);
    out
}

/// The static keys at the bottom of the selected profile's chain, when they carry a session
/// token: whether assuming the role with them is chaining depends on whose session they are.
async fn base_static_credentials(env: &Env, req: &Request, facts: &Facts) -> Option<Credentials> {
    let base = facts
        .profile_chain
        .iter()
        .rev()
        .find(|h| h.kind == HopKind::StaticKeys)?;
    let mut ignored = Vec::new();
    let loaded = super::profiles::load(env, req.profile.as_deref(), &mut ignored).await;
    let profile = loaded.set.as_ref()?.get_profile(&base.profile)?;
    let token = profile.get("aws_session_token")?;
    Some(Credentials::new(
        profile.get("aws_access_key_id")?,
        profile.get("aws_secret_access_key")?,
        Some(token.to_string()),
        None,
        "expiry-doctor-source-profile",
    ))
}
