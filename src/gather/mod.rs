//! Gathering: the only code that reads the environment, the file system, the clock or the
//! network. Everything it learns, and everything it could not learn, ends up in [`Facts`];
//! a failed probe is a fact, never an early return.

pub mod botocore;
pub mod caches;
pub mod credential_process;
pub mod environment;
pub mod files;
pub mod live;
pub mod profiles;
pub mod sources;
pub mod web_identity;

use crate::aws::arn::role_name_of;
use crate::env::Env;
use crate::facts::{
    Chaining, CurrentSession, Facts, IdentityType, LimitSource, Sdk, SessionLimit, Source,
};
use tokio::time::Instant;

/// What to gather, from the command line.
#[derive(Clone, Debug)]
pub struct Request {
    pub profile: Option<String>,
    pub region: Option<String>,
    /// Plan for this role instead of the one the credentials belong to.
    pub role_arn: Option<String>,
    /// What the role allows, when iam:GetRole is not permitted.
    pub max_session_duration_seconds: Option<i64>,
    pub offline: bool,
    /// `None` with `--no-ntp`.
    pub ntp_server: Option<String>,
    /// Everything ends by then.
    pub deadline: Instant,
    /// Audit mode (`--all-profiles`): the profile is resolved as if nothing were exported, and
    /// the machine-wide probes (instance metadata) are left to the caller.
    pub profile_only: bool,
    /// `exec`'s watch: resolve the credentials the job would get (source, expiry) and nothing
    /// else: no STS, IAM, NTP or instance-metadata shadow probe.
    pub credentials_only: bool,
    /// The config files, read and parsed once for a whole fleet (`--all-profiles`), with what
    /// reading them found wrong; `None` reads them for this request.
    pub parsed: Option<std::sync::Arc<Parsed>>,
    /// The SDK configuration (and so the credential provider) kept across requests: `exec`'s
    /// watch observes one provider instance, as the job's SDK uses one; `None` loads afresh.
    pub held: Option<std::sync::Arc<live::sdk::Held>>,
    /// Whose resolution of the credentials to model.
    pub sdk: Sdk,
    /// Whether a `credential_process` may be started (`--no-credential-process`).
    pub helpers: credential_process::Helpers,
}

impl Request {
    /// Local facts only, as `check --offline --no-ntp --no-credential-process` gathers them:
    /// no network, no helper started (`prompt`).
    pub fn offline_local(profile: Option<String>, deadline: Instant) -> Request {
        Request {
            profile,
            region: None,
            role_arn: None,
            max_session_duration_seconds: None,
            offline: true,
            ntp_server: None,
            deadline,
            profile_only: false,
            credentials_only: false,
            parsed: None,
            held: None,
            sdk: Sdk::Rust,
            helpers: credential_process::Helpers::NotRun,
        }
    }
}

/// The AWS config files read and parsed once, with the problems reading them found: as
/// aws-config reads them, and as botocore does.
#[derive(Debug)]
pub struct Parsed {
    pub loaded: profiles::LoadedProfiles,
    pub problems: Vec<crate::facts::Problem>,
    pub python: botocore::Config,
}

/// Reads and parses the config files once, as aws-config reads them (`profile` selected as
/// `--profile` would) and, when `python`, as botocore does, on a thread of the blocking pool:
/// parsing is work the runtime's timers cannot interrupt, and a config of tens of thousands
/// of profiles must not hold the run past `deadline`. `None` when it did not finish by then.
pub async fn parse_within(
    env: &Env,
    profile: Option<String>,
    python: bool,
    deadline: Instant,
) -> Option<std::sync::Arc<Parsed>> {
    let env = env.clone();
    let parse = tokio::task::spawn_blocking(move || {
        let mut problems = Vec::new();
        // No I/O happens in this future (the bytes are read before it parses them).
        let loaded = tokio::runtime::Handle::current().block_on(profiles::load(
            &env,
            profile.as_deref(),
            &mut problems,
        ));
        let python = if python {
            botocore::Config::load(&env)
        } else {
            botocore::Config::default()
        };
        Parsed {
            loaded,
            problems,
            python,
        }
    });
    match tokio::time::timeout_at(deadline, parse).await {
        Ok(Ok(parsed)) => Some(std::sync::Arc::new(parsed)),
        _ => None,
    }
}

/// What the files and the environment prove, before any probe: the facts, and what a
/// winning `credential_process` printed (the live probes use it rather than run it again).
pub struct Local {
    pub facts: Facts,
    process_creds: Option<aws_credential_types::Credentials>,
}

/// How long after the deadline the live probes' own timeouts get to report before they are
/// cut off (each probe stops at the deadline itself; this only catches one that does not).
pub const LIVE_GRACE: std::time::Duration = std::time::Duration::from_millis(150);

/// Gathers every fact the checks need.
pub async fn gather(env: &Env, req: &Request) -> Facts {
    let local = local(env, req).await;
    live(env, req, local).await
}

/// The facts of each SDK in `sdks`. The local facts are gathered for each; the live probes run
/// once for SDKs whose local facts are the same (they would ask the same provider the same
/// questions), and again only for an SDK that sees the machine differently.
pub async fn gather_sdks(env: &Env, req: &Request, sdks: &[Sdk]) -> Vec<Facts> {
    // (the local facts, with `sdk` set aside; the full facts)
    let mut done: Vec<(Facts, Facts)> = Vec::new();
    for &sdk in sdks {
        let req = Request { sdk, ..req.clone() };
        let this = local(env, &req).await;
        let mut key = this.facts.clone();
        key.sdk = None;
        let facts = match done.iter().find(|(seen, _)| *seen == key) {
            Some((_, full)) => Facts {
                sdk: Some(sdk),
                ..full.clone()
            },
            None => live(env, &req, this).await,
        };
        done.push((key, facts));
    }
    done.into_iter().map(|(_, full)| full).collect()
}

/// The files and the environment, read as `req.sdk` reads them.
pub async fn local(env: &Env, req: &Request) -> Local {
    let mut facts = Facts::empty(env.now());
    facts.offline = req.offline;
    facts.sdk = Some(req.sdk);
    let (profile, parsed) = (req.profile.as_deref(), req.parsed.as_deref());
    let process_creds = match req.sdk {
        Sdk::Rust => {
            sources::gather_local(env, profile, parsed, req.deadline, req.helpers, &mut facts).await
        }
        Sdk::Python => {
            botocore::gather_local(env, profile, parsed, req.deadline, req.helpers, &mut facts)
                .await
        }
    };
    reject_invalid_role_arns(env, &mut facts);
    if let Some(ntp) = &req.ntp_server {
        facts.clock.ntp_server = Some(ntp.clone());
    }
    if let Some(arn) = &req.role_arn {
        plan_role(&mut facts, arn);
    }
    Local {
        facts,
        process_creds,
    }
}

/// A `role_arn` that is not an ARN (a line break from a continuation line, a space): neither
/// SDK checks it, and STS refuses it at the job's first call. Said where it enters, as the
/// broken configuration it is, so no such value is taken for a role later on.
fn reject_invalid_role_arns(env: &Env, facts: &mut Facts) {
    let invalid: Vec<String> = facts
        .profile_chain
        .iter()
        .filter(|hop| {
            hop.role_arn
                .as_deref()
                .is_some_and(|a| crate::aws::arn::Arn::parse(a).is_none())
        })
        .map(|hop| hop.profile.clone())
        .collect();
    for profile in invalid {
        facts.problems.push(crate::facts::Problem::new(
            crate::facts::ProblemKind::ConfigFile,
            profiles::path_of(env, "AWS_CONFIG_FILE", "config")
                .map_or_else(|| "~/.aws/config".into(), |p| p.display().to_string()),
            format!(
                "profile {profile}: role_arn is not an ARN (six fields separated by colons, no \
                 space or line break anywhere): STS refuses it at the job's first call"
            ),
        ));
    }
}

/// The live probes over the local facts (nothing with `--offline`), and the flags that fill
/// in what the probes could not learn.
pub async fn live(env: &Env, req: &Request, local: Local) -> Facts {
    let Local {
        mut facts,
        process_creds,
    } = local;
    if !req.offline {
        // The live probes add to what the files proved, never take it away: whatever they
        // wait for, the run goes on with the local facts by the deadline, and the probe that
        // was still waiting says so.
        let progress = live::Progress::default();
        let started = Instant::now();
        let live = live::gather_live(env, req, &mut facts, process_creds, &progress);
        if tokio::time::timeout_at(req.deadline + LIVE_GRACE, live)
            .await
            .is_err()
        {
            facts
                .probes
                .push(progress.timed_out(Instant::now() - started));
        }
        if let Some(arn) = &req.role_arn {
            let (chaining, reason) = planned_chaining(&facts, arn);
            facts.session_limit.role_chaining = chaining;
            facts.session_limit.chaining = reason;
        }
    }
    apply_max_session_flag(&mut facts, req.max_session_duration_seconds);
    clip_env_echoes(env, &mut facts);
    facts
}

/// The most characters of an environment value a report repeats.
pub const ECHO_CAP: usize = 256;

/// `value` shortened to [`ECHO_CAP`] characters around `…`, its start and end kept.
pub fn clip(value: &str) -> String {
    let chars: Vec<char> = value.chars().collect();
    if chars.len() <= ECHO_CAP {
        return value.to_string();
    }
    let head: String = chars[..192].iter().collect();
    let tail: String = chars[chars.len() - 63..].iter().collect();
    format!("{head}…{tail}")
}

/// An environment value longer than [`ECHO_CAP`] (a 120 KB `AWS_PROFILE`) is looked up as
/// it is, but every fact that repeats it (a problem's subject and sentence, a profile name)
/// keeps it clipped: the report stays the size of a report.
fn clip_env_echoes(env: &Env, facts: &mut Facts) {
    let mut long: Vec<(String, String)> = Vec::new();
    let values = env.vars().values().cloned().chain(
        env.not_unicode_vars()
            .keys()
            .filter_map(|k| env.not_unicode(k)),
    );
    for v in values {
        for candidate in [v.as_str(), v.trim()] {
            if candidate.chars().count() > ECHO_CAP && !long.iter().any(|(l, _)| l == candidate) {
                long.push((candidate.to_string(), clip(candidate)));
            }
        }
    }
    if long.is_empty() {
        return;
    }
    // Longest first: a value that contains another is clipped whole.
    long.sort_by_key(|(l, _)| std::cmp::Reverse(l.len()));
    let Ok(mut tree) = serde_json::to_value(&*facts) else {
        return;
    };
    fn walk(v: &mut serde_json::Value, long: &[(String, String)], changed: &mut bool) {
        match v {
            serde_json::Value::String(s) => {
                for (l, short) in long {
                    if s.contains(l.as_str()) {
                        *s = s.replace(l.as_str(), short);
                        *changed = true;
                    }
                }
            }
            serde_json::Value::Array(a) => a.iter_mut().for_each(|x| walk(x, long, changed)),
            serde_json::Value::Object(o) => o.values_mut().for_each(|x| walk(x, long, changed)),
            _ => {}
        }
    }
    let mut changed = false;
    walk(&mut tree, &long, &mut changed);
    if changed && let Ok(clipped) = serde_json::from_value::<Facts>(tree) {
        *facts = clipped;
    }
}

/// `--role-arn`: `session_limit` describes that role from now on, and assuming it with the
/// current credentials is chaining when those are a role session. Runs before the live
/// probes, which then read the planned role's MaxSessionDuration and refine the chaining from
/// the caller's identity.
pub fn plan_role(facts: &mut Facts, role_arn: &str) {
    if facts.session_limit.role_arn.as_deref() != Some(role_arn) {
        facts.session_limit = SessionLimit {
            role_name: role_name_of(role_arn),
            role_arn: Some(role_arn.to_string()),
            ..SessionLimit::default()
        };
    }
    facts.session_limit.planned = true;
    let (chaining, reason) = planned_chaining(facts, role_arn);
    facts.session_limit.role_chaining = chaining;
    facts.session_limit.chaining = reason;
}

/// Whether assuming `role_arn` with the current credentials is role chaining.
pub fn planned_chaining(facts: &Facts, role_arn: &str) -> (Option<bool>, Option<Chaining>) {
    let current = &facts.credentials;
    if current.source == Source::InstanceMetadata {
        return (Some(false), Some(Chaining::PlannedFromInstanceRole));
    }
    let chained = |current: CurrentSession| {
        (
            Some(true),
            Some(Chaining::PlannedWith {
                role_arn: role_arn.to_string(),
                current,
            }),
        )
    };
    match facts.identity.kind {
        Some(IdentityType::AssumedRole) => {
            return chained(CurrentSession::OfRole {
                role: facts.identity.role_name.clone(),
            });
        }
        Some(IdentityType::User | IdentityType::FederatedUser)
            if current.temporary == Some(true) =>
        {
            return chained(CurrentSession::OfUser);
        }
        Some(_) => return (Some(false), None),
        None => {}
    }
    match current.source {
        Source::AssumeRole | Source::Sso | Source::WebIdentity | Source::Container => {
            chained(CurrentSession::FromSource {
                source: current.source,
            })
        }
        _ if current.temporary == Some(true) => chained(CurrentSession::Temporary),
        _ => (Some(false), None),
    }
}

/// `--max-session-duration`: what the role allows when iam:GetRole could not say. An answer
/// from GetRole wins.
pub fn apply_max_session_flag(facts: &mut Facts, max_session_seconds: Option<i64>) {
    if let Some(secs) = max_session_seconds
        && facts.session_limit.max_session_duration_source != Some(LimitSource::GetRole)
    {
        facts.session_limit.max_session_duration_seconds = Some(secs);
        facts.session_limit.max_session_duration_source = Some(LimitSource::Flag);
    }
}
