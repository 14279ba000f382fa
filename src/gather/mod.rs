//! Gathering: the only code that reads the environment, the file system, the clock or the
//! network. Everything it learns, and everything it could not learn, ends up in [`Facts`];
//! a failed probe is a fact, never an early return.

pub mod caches;
pub mod credential_process;
pub mod environment;
pub mod files;
pub mod live;
pub mod profiles;
pub mod sources;

use crate::env::Env;
use crate::facts::{Facts, LimitSource, Source, role_name_from_arn};
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
}

/// Gathers every fact the checks need.
pub async fn gather(env: &Env, req: &Request) -> Facts {
    let mut facts = Facts::empty(env.now());
    facts.offline = req.offline;
    let process_creds =
        sources::gather_local(env, req.profile.as_deref(), req.deadline, &mut facts).await;
    if let Some(ntp) = &req.ntp_server {
        facts.clock.ntp_server = Some(ntp.clone());
    }
    if !req.offline {
        live::gather_live(env, req, &mut facts, process_creds).await;
    }
    apply_user_facts(
        &mut facts,
        req.role_arn.as_deref(),
        req.max_session_duration_seconds,
    );
    facts
}

/// Facts the user states on the command line win over gathered (or replayed) ones:
/// `--role-arn` makes `session_limit` describe that role, `--max-session-duration` is what it
/// allows.
pub fn apply_user_facts(
    facts: &mut Facts,
    role_arn: Option<&str>,
    max_session_seconds: Option<i64>,
) {
    if let Some(arn) = role_arn
        && facts.session_limit.role_arn.as_deref() != Some(arn)
    {
        let current = &facts.credentials;
        // Assuming the planned role with the current credentials chains if those are already
        // a role session.
        let (chaining, reason) = match current.source {
            Source::AssumeRole
            | Source::Sso
            | Source::WebIdentity
            | Source::Container
            | Source::InstanceMetadata => (
                Some(true),
                Some(format!(
                    "the current credentials ({}) are a role session: assuming {arn} with them is role chaining",
                    current.source
                )),
            ),
            _ if current.temporary == Some(true) => (
                None,
                Some(format!(
                    "the current credentials are temporary: assuming {arn} with them is role chaining \
                     (1h cap) if they are a role session"
                )),
            ),
            _ => (Some(false), None),
        };
        facts.session_limit = crate::facts::SessionLimit {
            role_name: role_name_from_arn(arn),
            role_arn: Some(arn.to_string()),
            role_chaining: chaining,
            chaining_reason: reason,
            ..Default::default()
        };
    }
    if let Some(secs) = max_session_seconds {
        facts.session_limit.max_session_duration_seconds = Some(secs);
        facts.session_limit.max_session_duration_source = Some(LimitSource::Flag);
    }
}
