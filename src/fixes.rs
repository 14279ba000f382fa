//! The fix catalog: every remedy expiry-doctor can recommend, as data.
//!
//! A check never writes advice of its own; it returns [`Fix`] values, each an id with the real
//! role name, profile, seconds and times filled in, and `render/fixes.rs` turns them into a
//! title and ordered steps (shell commands, config edits, notes) that the table, the JSON and
//! `exec` all print the same way. [`FixId::doc`] documents every id (an exhaustive match: a new
//! id does not compile without its documentation).

use crate::facts::Problem;
use serde::{Deserialize, Serialize};

#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    strum::EnumIter,
    strum::IntoStaticStr,
    strum::EnumString,
)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub enum FixId {
    DeleteDurationSeconds,
    UseRefreshingProfile,
    RaiseMaxSessionDuration,
    RequestLongerSession,
    AvoidRoleChaining,
    SsoLogin,
    ExtendSsoSession,
    SplitOrCheckpointJob,
    SyncClock,
    ConfigureCredentials,
    RepairConfig,
    RepairCredentialProcess,
    RecordExpiration,
    RenewWebIdentityToken,
    RefreshEcrLogin,
    UseEksGetToken,
    PresignWhenUsed,
}

/// What `explain` prints for a fix id.
pub struct FixDoc {
    pub title: &'static str,
    pub why: &'static str,
    /// What the commands do, for `explain` (the report fills in the real values).
    pub how: &'static str,
    /// When this fix is the better choice, said beside it when it is an alternative.
    pub prefer_when: &'static str,
}

impl FixId {
    /// The id users see (`use-refreshing-profile`).
    pub fn name(self) -> &'static str {
        self.into()
    }

    /// The documentation: an exhaustive match, so a new id does not compile without it.
    pub fn doc(self) -> &'static FixDoc {
        match self {
            FixId::DeleteDurationSeconds => &DELETE_DURATION_SECONDS,
            FixId::UseRefreshingProfile => &USE_REFRESHING_PROFILE,
            FixId::RaiseMaxSessionDuration => &RAISE_MAX_SESSION_DURATION,
            FixId::RequestLongerSession => &REQUEST_LONGER_SESSION,
            FixId::AvoidRoleChaining => &AVOID_ROLE_CHAINING,
            FixId::SsoLogin => &SSO_LOGIN,
            FixId::ExtendSsoSession => &EXTEND_SSO_SESSION,
            FixId::SplitOrCheckpointJob => &SPLIT_OR_CHECKPOINT_JOB,
            FixId::SyncClock => &SYNC_CLOCK,
            FixId::ConfigureCredentials => &CONFIGURE_CREDENTIALS,
            FixId::RepairConfig => &REPAIR_CONFIG,
            FixId::RepairCredentialProcess => &REPAIR_CREDENTIAL_PROCESS,
            FixId::RecordExpiration => &RECORD_EXPIRATION,
            FixId::RenewWebIdentityToken => &RENEW_WEB_IDENTITY_TOKEN,
            FixId::RefreshEcrLogin => &REFRESH_ECR_LOGIN,
            FixId::UseEksGetToken => &USE_EKS_GET_TOKEN,
            FixId::PresignWhenUsed => &PRESIGN_WHEN_USED,
        }
    }
}

static DELETE_DURATION_SECONDS: FixDoc = FixDoc {
    title: "Delete duration_seconds from the profile",
    why: "A profile's duration_seconds asks AssumeRole for a session longer than the role \
          allows (its MaxSessionDuration, or the 1 h cap of role chaining), so the call fails. \
          A role profile does not need a long session: the SDK asks for the 1 h default and \
          assumes the role again before each session ends, for as long as the job runs.",
    how: "Remove the `duration_seconds` line from the profile's section of ~/.aws/config.",
    prefer_when: "the job runs with the role profile (the SDK refreshes it): the least change, no IAM change",
};

static USE_REFRESHING_PROFILE: FixDoc = FixDoc {
    title: "Let the SDK fetch (and refresh) the credentials instead of exporting them",
    why: "Credentials exported as AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY/AWS_SESSION_TOKEN are \
              a snapshot: no SDK can refresh them, so a job that outlives them dies with \
              ExpiredToken. A profile with role_arn (plus source_profile or credential_source), \
              an SSO profile, or the instance/task role is re-assumed by the SDK before expiry.",
    how: "Add a `[profile job]` with `role_arn` and `source_profile` (long-term keys or SSO) or `credential_source = Ec2InstanceMetadata | EcsContainer`, `unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN`, and `export AWS_PROFILE=job`. When a refreshing profile or an instance/task role is already there (shadowed by the exported variables), the report uses it.",
    prefer_when: "the job can run with a profile or an instance/task role: nothing then bounds it but the source itself",
};

static RAISE_MAX_SESSION_DURATION: FixDoc = FixDoc {
    title: "Raise the role's MaxSessionDuration",
    why: "AssumeRole cannot grant a session longer than the role's MaxSessionDuration \
              (1 h by default, at most 12 h). Raising it lets one session cover the job.",
    how: "`aws iam update-role --role-name NAME --max-session-duration SECONDS`, with SECONDS the job's runtime plus margin rounded up to whole hours (3600 to 43200). Needs iam:UpdateRole.",
    prefer_when: "you own the role and the job must run on one session (exported credentials, a tool that cannot refresh)",
};

static REQUEST_LONGER_SESSION: FixDoc = FixDoc {
    title: "Ask for a longer session when assuming the role",
    why: "AssumeRole gives 1 h unless the caller asks for more (DurationSeconds). The AWS CLI \
              and boto3 read duration_seconds from the profile; aws-config (Rust) and the Java \
              SDK 2.x ignore it and ask for 1 h, so those jobs must pass the duration in code.",
    how: "`aws configure set duration_seconds SECONDS --profile P` for the AWS CLI and boto3; in aws-config (Rust) and the Java SDK 2.x set the session length on the AssumeRole provider in code; for exported credentials, `aws sts assume-role … --duration-seconds SECONDS`.",
    prefer_when: "the role already allows the longer session and the job's SDK reads duration_seconds",
};

static AVOID_ROLE_CHAINING: FixDoc = FixDoc {
    title: "Assume the role directly from long-term, SSO-free credentials",
    why: "A role assumed with another role's temporary credentials (role chaining) is capped \
              at 1 h whatever the role's MaxSessionDuration, and asking for more fails.",
    how: "A `[profile job]` whose `role_arn` is the target role and whose `source_profile` holds long-term keys (or `credential_source` for an instance/task role is chained too: use the instance role itself when it has the permissions).",
    prefer_when: "the role must be assumed from another role today: assume it from long-term keys instead, or run with the first role's permissions",
};

static SSO_LOGIN: FixDoc = FixDoc {
    title: "Log in to IAM Identity Center again",
    why: "The cached SSO access token has expired, so the SDK cannot fetch role credentials \
              until `aws sso login` writes a new one.",
    how: "`aws sso login --profile P` right before the job; it writes a fresh token to ~/.aws/sso/cache.",
    prefer_when: "the job runs under a person's SSO login",
};

static EXTEND_SSO_SESSION: FixDoc = FixDoc {
    title: "Make the SSO session outlast the job",
    why: "SSO role credentials are refreshed with the portal token, which dies when the IAM \
              Identity Center session ends (8 h by default); the permission set's session \
              duration (1 h by default, at most 12 h) bounds each role session.",
    how: "Log in right before the job (`aws sso login`): a fresh session lasts 8 h by default. Only a job longer than that needs the IAM Identity Center session duration raised (Settings → Authentication). The permission set's session duration does not bind a job whose SDK refreshes (it fetches new role credentials with the token); for unattended jobs, prefer a role over a person's SSO session.",
    prefer_when: "unattended jobs must keep using a person's SSO session (a role is better)",
};

static SPLIT_OR_CHECKPOINT_JOB: FixDoc = FixDoc {
    title: "Split the job or make it resumable",
    why: "No single AssumeRole session lasts more than 12 h (1 h when chained). A job longer \
              than any possible session must refresh its credentials or run in resumable parts.",
    how: "Run the job under a source the SDK refreshes (nothing then bounds it), or cut it into parts shorter than the longest session (12 h, 1 h when chained) that checkpoint and resume.",
    prefer_when: "no source can refresh the job's credentials, or the job outlasts any session",
};

static SYNC_CLOCK: FixDoc = FixDoc {
    title: "Synchronise the system clock",
    why: "SigV4 rejects requests more than 5 minutes off AWS's clock, and SDKs decide when to \
              refresh by the local clock: a skewed clock makes valid credentials fail or lets \
              expired ones be sent.",
    how: "`sudo chronyc makestep` then `chronyc tracking` (chrony), `sudo timedatectl set-ntp true` (systemd-timesyncd); on EC2 point chrony at the Amazon Time Sync Service (`server 169.254.169.123 prefer iburst`).",
    prefer_when: "the clock is off: nothing else works until it is right",
};

static CONFIGURE_CREDENTIALS: FixDoc = FixDoc {
    title: "Configure credentials the SDK can refresh",
    why: "The default chain found no credentials at all, so every call will fail before \
              expiry is even a question.",
    how: "`aws configure sso --profile job` then `export AWS_PROFILE=job` for people; an instance profile, ECS task role or EKS service-account role for workloads; a role profile with `source_profile` elsewhere.",
    prefer_when: "nothing is configured yet",
};

static REPAIR_CONFIG: FixDoc = FixDoc {
    title: "Repair the AWS configuration",
    why: "A config or credentials file the SDK cannot parse, or a profile that points \
              nowhere, makes credential resolution fail before the job starts.",
    how: "Open the file at the line the finding names, fix the syntax or the key it reports, and check with `aws configure list`.",
    prefer_when: "the configuration is broken: it comes before everything else",
};

static REPAIR_CREDENTIAL_PROCESS: FixDoc = FixDoc {
    title: "Repair the profile's credential_process",
    why: "The SDK runs the helper named by credential_process and takes the credentials it \
          prints; a helper that cannot be found, cannot run, fails, or waits for a prompt gives \
          the job no credentials at all, and every call fails before expiry is a question.",
    how: "`aws configure get credential_process --profile P` shows the command; run it by hand in \
          the job's environment (same PATH, no terminal): it must exit 0 and print the JSON \
          credentials (Version 1). Exit 127: the shell found no such program (install it or give \
          its full path); 126: it is not executable.",
    prefer_when: "the profile's helper failed: nothing else works until it runs",
};

static RECORD_EXPIRATION: FixDoc = FixDoc {
    title: "Export the expiry along with the credentials",
    why: "Exported session credentials carry no expiry the SDK can see. Exporting them with \
              `aws configure export-credentials` also sets AWS_CREDENTIAL_EXPIRATION, so tools \
              (and this one) can tell when they end.",
    how: "`eval \"$(aws configure export-credentials --profile P --format env)\"` exports the credentials together with AWS_CREDENTIAL_EXPIRATION.",
    prefer_when: "the credentials must stay exported: the expiry at least lets the gate see when they end",
};

static RENEW_WEB_IDENTITY_TOKEN: FixDoc = FixDoc {
    title: "Give the job a web identity token that outlives it, or one that is rotated",
    why: "The SDK hands the same token file to AssumeRoleWithWebIdentity at every refresh; once \
          the token expires, refreshing fails (InvalidIdentityToken) although the role would \
          give a new session. Kubernetes rewrites a projected service-account token (EKS IRSA) \
          before it expires; a token a CI system wrote once is never renewed.",
    how: "Run the job where the token is projected and rotated (an EKS service account); or ask \
          the CI system for a token that lasts the job (GitLab's id_tokens follow the job's \
          timeout); or write a fresh token to the file before it expires.",
    prefer_when: "the job runs with a web identity token that a CI system wrote once",
};

static REFRESH_ECR_LOGIN: FixDoc = FixDoc {
    title: "Log in to ECR again before each push or pull, or let a credential helper do it",
    why: "`aws ecr get-login-password | docker login` hands docker an ECR authorization token \
          that lasts 12 hours, whatever the credentials that fetched it: a job (or a runner) \
          that logged in once and pushes or pulls later fails with \"Your authorization token \
          has expired\". Refreshing the AWS credentials does not renew what docker stored.",
    how: "Run `aws ecr get-login-password --region REGION | docker login --username AWS \
          --password-stdin ACCOUNT.dkr.ecr.REGION.amazonaws.com` right before each push or pull; \
          or install amazon-ecr-credential-helper and set `\"credHelpers\": {\"REGISTRY\": \
          \"ecr-login\"}` in ~/.docker/config.json, so that docker fetches a token from the \
          current AWS credentials at every use.",
    prefer_when: "docker (or docker-py, buildx, a Kubernetes pull secret) talks to ECR longer than 12 h after a login",
};

static USE_EKS_GET_TOKEN: FixDoc = FixDoc {
    title: "Let kubectl fetch a new EKS token for each request",
    why: "An EKS authentication token is a presigned STS GetCallerIdentity URL that the \
          cluster accepts for 15 minutes. A kubeconfig (or a script) that holds one token stops \
          working 15 minutes later; the exec credential plugin that `aws eks update-kubeconfig` \
          writes calls `aws eks get-token` whenever kubectl needs a token.",
    how: "`aws eks update-kubeconfig --name CLUSTER --region REGION` writes a user with an \
          `exec` plugin (`aws eks get-token`) in place of a static `token:`; in code, fetch a \
          new token before each call (or at least every 14 minutes) instead of once.",
    prefer_when: "a static EKS token (kubeconfig `token:`, KUBE_TOKEN, a Helm or Terraform provider given a token) is used for more than 15 minutes",
};

static PRESIGN_WHEN_USED: FixDoc = FixDoc {
    title: "Presign the URL when it is used, with credentials that outlive it",
    why: "A presigned URL works for its X-Amz-Expires (at most 7 days with SigV4), and never \
          longer than the credentials that signed it: a URL presigned with 1 h role credentials \
          dies with them, whatever --expires-in asked for.",
    how: "Generate the URL right before it is used (a fresh presign per download or upload), \
          with `--expires-in` (or ExpiresIn) as long as the transfer needs; for URLs that must \
          live longer than a role session, sign with credentials that last as long (an IAM \
          user's long-term keys, at most 7 days), or hand out the object another way.",
    prefer_when: "a presigned URL is handed to another program or person and used later",
};

/// A fix with its values filled in: what to change, as data.
#[derive(Clone, Debug, PartialEq)]
pub enum Fix {
    /// Delete the profile's `duration_seconds`: the SDK refreshes a role profile every hour.
    DeleteDurationSeconds {
        profile: String,
    },
    /// Stop exporting credentials; use a source the SDK refreshes.
    UseRefreshingProfile {
        target: RefreshingSource,
    },
    /// Raise the role's MaxSessionDuration so that a session covers `needed_seconds`; then,
    /// when `request` says how, ask for that session (one procedure, not two choices).
    RaiseMaxSessionDuration {
        role: String,
        needed_seconds: i64,
        request: Option<SessionRequest>,
    },
    /// Ask for a session of `needed_seconds` (a profile's `duration_seconds`, or the
    /// `assume-role` call that exported the credentials).
    RequestLongerSession {
        profile: Option<String>,
        role_arn: Option<String>,
        needed_seconds: i64,
    },
    /// Assume the role directly from long-term keys in `base_profile`.
    AvoidRoleChaining {
        role_arn: Option<String>,
        base_profile: Option<String>,
    },
    SsoLogin {
        profile: String,
    },
    ExtendSsoSession {
        profile: String,
        needed_seconds: i64,
    },
    SplitOrCheckpointJob {
        runtime_seconds: i64,
        longest_seconds: i64,
    },
    SyncClock,
    ConfigureCredentials {
        profile: Option<String>,
    },
    /// Repair what `problem` names; `file` is the file to open, when it is one.
    RepairConfig {
        problem: Problem,
        file: Option<String>,
    },
    /// The profile's credential_process failed or was stopped.
    RepairCredentialProcess {
        profile: String,
    },
    RecordExpiration {
        profile: Option<String>,
    },
    RenewWebIdentityToken {
        token_file: String,
    },
    /// The ECR registry, when the line named it.
    RefreshEcrLogin {
        registry: Option<String>,
    },
    UseEksGetToken {
        cluster: Option<String>,
    },
    /// The URL's `X-Amz-Expires`, when known; whether it died with the session that signed it.
    PresignWhenUsed {
        expires_seconds: Option<i64>,
        signed_by_session: bool,
    },
}

impl Fix {
    pub fn id(&self) -> FixId {
        match self {
            Fix::DeleteDurationSeconds { .. } => FixId::DeleteDurationSeconds,
            Fix::UseRefreshingProfile { .. } => FixId::UseRefreshingProfile,
            Fix::RaiseMaxSessionDuration { .. } => FixId::RaiseMaxSessionDuration,
            Fix::RequestLongerSession { .. } => FixId::RequestLongerSession,
            Fix::AvoidRoleChaining { .. } => FixId::AvoidRoleChaining,
            Fix::SsoLogin { .. } => FixId::SsoLogin,
            Fix::ExtendSsoSession { .. } => FixId::ExtendSsoSession,
            Fix::SplitOrCheckpointJob { .. } => FixId::SplitOrCheckpointJob,
            Fix::SyncClock => FixId::SyncClock,
            Fix::ConfigureCredentials { .. } => FixId::ConfigureCredentials,
            Fix::RepairConfig { .. } => FixId::RepairConfig,
            Fix::RepairCredentialProcess { .. } => FixId::RepairCredentialProcess,
            Fix::RecordExpiration { .. } => FixId::RecordExpiration,
            Fix::RenewWebIdentityToken { .. } => FixId::RenewWebIdentityToken,
            Fix::RefreshEcrLogin { .. } => FixId::RefreshEcrLogin,
            Fix::UseEksGetToken { .. } => FixId::UseEksGetToken,
            Fix::PresignWhenUsed { .. } => FixId::PresignWhenUsed,
        }
    }
}

/// How the job asks for the longer session once the role allows it.
#[derive(Clone, Debug, PartialEq)]
pub struct SessionRequest {
    /// The profile whose `duration_seconds` to set; `None`: the `assume-role` call that
    /// exported the credentials.
    pub profile: Option<String>,
    pub role_arn: Option<String>,
    /// The credentials at hand are a role session (exported, or a job's that ran out): the
    /// `assume-role` call must not use them (that is chaining, 1 h at most), so it names a
    /// profile with long-term keys. Only with `profile: None`.
    pub from_session: bool,
}

impl FixId {
    /// The order fixes are recommended in, least change first: repair what is broken, then a
    /// config deletion, then a source the SDK refreshes, then longer sessions (an IAM change),
    /// then what only records or works around.
    fn rank(self) -> u8 {
        match self {
            FixId::RepairConfig | FixId::RepairCredentialProcess => 0,
            FixId::SyncClock => 1,
            FixId::SsoLogin => 2,
            FixId::ConfigureCredentials => 3,
            FixId::DeleteDurationSeconds => 4,
            FixId::UseRefreshingProfile => 5,
            FixId::RenewWebIdentityToken
            | FixId::RefreshEcrLogin
            | FixId::UseEksGetToken
            | FixId::PresignWhenUsed => 6,
            FixId::ExtendSsoSession => 7,
            FixId::AvoidRoleChaining => 8,
            FixId::RaiseMaxSessionDuration => 9,
            FixId::RequestLongerSession => 10,
            FixId::RecordExpiration => 11,
            FixId::SplitOrCheckpointJob => 12,
        }
    }
}

/// One list of fixes, best first: the first is the recommendation, the rest alternatives.
/// Duplicates go; raising MaxSessionDuration and asking for the longer session become one
/// procedure; the rest keep their order within a rank.
pub fn rank(fixes: impl IntoIterator<Item = Fix>) -> Vec<Fix> {
    let mut out: Vec<Fix> = Vec::new();
    for fix in fixes {
        if !out.contains(&fix) {
            out.push(fix);
        }
    }
    // Exported credentials are offered a refreshing source first: the request then comes
    // from a session, which must not make the call.
    let exported = out.iter().any(|f| f.id() == FixId::UseRefreshingProfile);
    let request = out.iter().find_map(|f| match f {
        Fix::RequestLongerSession {
            profile, role_arn, ..
        } => Some(SessionRequest {
            profile: profile.clone(),
            role_arn: role_arn.clone(),
            from_session: exported && profile.is_none(),
        }),
        _ => None,
    });
    if let Some(req) = request
        && let Some(Fix::RaiseMaxSessionDuration { request, .. }) = out
            .iter_mut()
            .find(|f| f.id() == FixId::RaiseMaxSessionDuration)
    {
        *request = Some(req);
        out.retain(|f| f.id() != FixId::RequestLongerSession);
    }
    // A login right before the job already gives the default 8 h session: extending it says
    // nothing more unless the job needs longer.
    if out.iter().any(|f| f.id() == FixId::SsoLogin) {
        out.retain(|f| {
            !matches!(f, Fix::ExtendSsoSession { needed_seconds, .. }
                if *needed_seconds < crate::aws::limits::SSO_SESSION_DEFAULT)
        });
    }
    out.sort_by_key(|f| f.id().rank());
    out
}

/// A report's fixes once the checks have found the session chained (they offer avoiding the
/// chain only then): a chained session lasts 1 h whatever the role allows or the call asks,
/// and STS refuses more. Raising MaxSessionDuration or asking for a longer session helps only
/// once the role is assumed directly, which the role profile of avoid-role-chaining does, and
/// the SDK refreshes that profile (it needs no long session): so they are not alternatives.
/// (The fix proofs found the `aws sts assume-role` refused.) Not for triage, which offers
/// avoiding the chain when it cannot tell whether the session was chained.
pub fn without_longer_chained_sessions(mut fixes: Vec<Fix>) -> Vec<Fix> {
    if fixes.iter().any(|f| f.id() == FixId::AvoidRoleChaining) {
        fixes.retain(|f| {
            !matches!(
                f.id(),
                FixId::RaiseMaxSessionDuration | FixId::RequestLongerSession
            )
        });
    }
    fixes
}

/// The fix that absorbed `id` when [`rank`] made two fixes one procedure (asking for the
/// longer session became a step of raising MaxSessionDuration), or dropped it for another (a
/// chained session is lengthened by avoiding the chain; a login right before the job covers
/// a session the default already lasts), so a finding that named it names what is offered.
pub fn absorbed_by(id: FixId, kept: &[Fix]) -> FixId {
    let has = |x: FixId| kept.iter().any(|f| f.id() == x);
    let longer = matches!(
        id,
        FixId::RaiseMaxSessionDuration | FixId::RequestLongerSession
    );
    if id == FixId::RequestLongerSession
        && !has(FixId::RequestLongerSession)
        && has(FixId::RaiseMaxSessionDuration)
    {
        FixId::RaiseMaxSessionDuration
    } else if id == FixId::ExtendSsoSession && !has(id) && has(FixId::SsoLogin) {
        FixId::SsoLogin
    } else if longer && !has(id) && has(FixId::AvoidRoleChaining) {
        FixId::AvoidRoleChaining
    } else {
        id
    }
}

/// What the job should use instead of exported credentials.
#[derive(Clone, Debug, PartialEq)]
pub enum RefreshingSource {
    /// A profile that already refreshes (it was shadowed by the exported variables).
    Profile(String),
    /// The EC2 instance role.
    InstanceRole { role_arn: Option<String> },
    /// The ECS/EKS task role.
    ContainerRole { role_arn: Option<String> },
    /// Nothing refreshing known: a role profile to create.
    NewRoleProfile { role_arn: Option<String> },
}

#[cfg(test)]
mod tests {
    use super::*;
    use strum::IntoEnumIterator;

    /// Exported keys on a 1 h role: the review saw four numbered fixes, two of them one
    /// procedure. Now: the refreshing source is recommended, raising MaxSessionDuration and
    /// asking for the session are one alternative, recording the expiry the last.
    #[test]
    fn one_recommendation_and_steps_of_one_procedure_are_one_fix() {
        let raise = Fix::RaiseMaxSessionDuration {
            role: "etl".into(),
            needed_seconds: 6 * 3600,
            request: None,
        };
        let request = Fix::RequestLongerSession {
            profile: None,
            role_arn: Some("arn:aws:iam::123456789012:role/etl".into()),
            needed_seconds: 6 * 3600,
        };
        let refreshing = Fix::UseRefreshingProfile {
            target: RefreshingSource::NewRoleProfile { role_arn: None },
        };
        let record = Fix::RecordExpiration { profile: None };
        let ranked = rank([raise, request, record.clone(), refreshing.clone()]);
        assert_eq!(
            ranked,
            [
                refreshing,
                Fix::RaiseMaxSessionDuration {
                    role: "etl".into(),
                    needed_seconds: 6 * 3600,
                    request: Some(SessionRequest {
                        profile: None,
                        role_arn: Some("arn:aws:iam::123456789012:role/etl".into()),
                        from_session: true,
                    }),
                },
                record,
            ]
        );
    }

    /// The review's 6h05m SSO job: `aws sso login` covers it; no second "extend" fix.
    #[test]
    fn an_sso_job_within_the_default_session_gets_one_login() {
        let login = Fix::SsoLogin {
            profile: "dev".into(),
        };
        let extend = |h: i64| Fix::ExtendSsoSession {
            profile: "dev".into(),
            needed_seconds: h * 3600 + 300,
        };
        assert_eq!(rank([login.clone(), extend(6)]).len(), 1);
        assert_eq!(rank([login.clone(), extend(6)])[0], login);
        assert_eq!(rank([login.clone(), extend(9)]), [login, extend(9)]);
    }

    /// A chained session lasts 1 h whatever the role allows or the call asks: avoiding the
    /// chain is offered, raising MaxSessionDuration and asking for more are not.
    #[test]
    fn a_chained_session_is_not_offered_a_longer_one() {
        let avoid = Fix::AvoidRoleChaining {
            role_arn: Some("arn:aws:iam::123456789012:role/etl".into()),
            base_profile: None,
        };
        let ranked = without_longer_chained_sessions(rank([
            avoid.clone(),
            Fix::RaiseMaxSessionDuration {
                role: "etl".into(),
                needed_seconds: 6 * 3600,
                request: None,
            },
            Fix::RequestLongerSession {
                profile: None,
                role_arn: Some("arn:aws:iam::123456789012:role/etl".into()),
                needed_seconds: 6 * 3600,
            },
        ]));
        assert_eq!(ranked, [avoid]);
        for id in [FixId::RaiseMaxSessionDuration, FixId::RequestLongerSession] {
            assert_eq!(absorbed_by(id, &ranked), FixId::AvoidRoleChaining);
        }
    }

    #[test]
    fn every_fix_id_is_documented_with_its_serde_name() {
        for id in FixId::iter() {
            let doc = id.doc();
            assert!(!doc.title.is_empty() && !doc.why.is_empty() && !doc.how.is_empty());
            assert!(!doc.prefer_when.is_empty(), "{id:?}");
            assert_eq!(serde_json::to_value(id).unwrap(), id.name(), "{id:?}");
            assert_eq!(id.name().parse::<FixId>().unwrap(), id);
        }
    }
}
