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
    RecordExpiration,
    RenewWebIdentityToken,
}

/// What `explain` prints for a fix id.
pub struct FixDoc {
    pub title: &'static str,
    pub why: &'static str,
    /// What the commands do, for `explain` (the report fills in the real values).
    pub how: &'static str,
}

impl FixId {
    /// The id users see (`use-refreshing-profile`).
    pub fn name(self) -> &'static str {
        self.into()
    }

    /// The documentation: an exhaustive match, so a new id does not compile without it.
    pub fn doc(self) -> &'static FixDoc {
        match self {
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
            FixId::RecordExpiration => &RECORD_EXPIRATION,
            FixId::RenewWebIdentityToken => &RENEW_WEB_IDENTITY_TOKEN,
        }
    }
}

static USE_REFRESHING_PROFILE: FixDoc = FixDoc {
    title: "Let the SDK fetch (and refresh) the credentials instead of exporting them",
    why: "Credentials exported as AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY/AWS_SESSION_TOKEN are \
              a snapshot: no SDK can refresh them, so a job that outlives them dies with \
              ExpiredToken. A profile with role_arn (plus source_profile or credential_source), \
              an SSO profile, or the instance/task role is re-assumed by the SDK before expiry.",
    how: "Add a `[profile job]` with `role_arn` and `source_profile` (long-term keys or SSO) or `credential_source = Ec2InstanceMetadata | EcsContainer`, `unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN`, and `export AWS_PROFILE=job`. When a refreshing profile or an instance/task role is already there (shadowed by the exported variables), the report uses it.",
};

static RAISE_MAX_SESSION_DURATION: FixDoc = FixDoc {
    title: "Raise the role's MaxSessionDuration",
    why: "AssumeRole cannot grant a session longer than the role's MaxSessionDuration \
              (1 h by default, at most 12 h). Raising it lets one session cover the job.",
    how: "`aws iam update-role --role-name NAME --max-session-duration SECONDS`, with SECONDS the job's runtime plus margin rounded up to whole hours (3600 to 43200). Needs iam:UpdateRole.",
};

static REQUEST_LONGER_SESSION: FixDoc = FixDoc {
    title: "Ask for a longer session when assuming the role",
    why: "AssumeRole gives 1 h unless the caller asks for more (DurationSeconds). The AWS CLI \
              and boto3 read duration_seconds from the profile; aws-config (Rust) and the Java \
              SDK 2.x ignore it and ask for 1 h, so those jobs must pass the duration in code.",
    how: "`aws configure set duration_seconds SECONDS --profile P` for the AWS CLI and boto3; in aws-config (Rust) and the Java SDK 2.x set the session length on the AssumeRole provider in code; for exported credentials, `aws sts assume-role … --duration-seconds SECONDS`.",
};

static AVOID_ROLE_CHAINING: FixDoc = FixDoc {
    title: "Assume the role directly from long-term, SSO-free credentials",
    why: "A role assumed with another role's temporary credentials (role chaining) is capped \
              at 1 h whatever the role's MaxSessionDuration, and asking for more fails.",
    how: "A `[profile job]` whose `role_arn` is the target role and whose `source_profile` holds long-term keys (or `credential_source` for an instance/task role is chained too: use the instance role itself when it has the permissions).",
};

static SSO_LOGIN: FixDoc = FixDoc {
    title: "Log in to IAM Identity Center again",
    why: "The cached SSO access token has expired, so the SDK cannot fetch role credentials \
              until `aws sso login` writes a new one.",
    how: "`aws sso login --profile P` right before the job; it writes a fresh token to ~/.aws/sso/cache.",
};

static EXTEND_SSO_SESSION: FixDoc = FixDoc {
    title: "Make the SSO session outlast the job",
    why: "SSO role credentials are refreshed with the portal token, which dies when the IAM \
              Identity Center session ends (8 h by default); the permission set's session \
              duration (1 h by default, at most 12 h) bounds each role session.",
    how: "Log in right before the job; raise the IAM Identity Center session duration (Settings → Authentication) and the permission set's session duration (`aws sso-admin update-permission-set … --session-duration PT12H`); for unattended jobs, prefer a role over a person's SSO session.",
};

static SPLIT_OR_CHECKPOINT_JOB: FixDoc = FixDoc {
    title: "Split the job or make it resumable",
    why: "No single AssumeRole session lasts more than 12 h (1 h when chained). A job longer \
              than any possible session must refresh its credentials or run in resumable parts.",
    how: "Run the job under a source the SDK refreshes (nothing then bounds it), or cut it into parts shorter than the longest session (12 h, 1 h when chained) that checkpoint and resume.",
};

static SYNC_CLOCK: FixDoc = FixDoc {
    title: "Synchronise the system clock",
    why: "SigV4 rejects requests more than 5 minutes off AWS's clock, and SDKs decide when to \
              refresh by the local clock: a skewed clock makes valid credentials fail or lets \
              expired ones be sent.",
    how: "`sudo chronyc makestep` then `chronyc tracking` (chrony), `sudo timedatectl set-ntp true` (systemd-timesyncd); on EC2 point chrony at the Amazon Time Sync Service (`server 169.254.169.123 prefer iburst`).",
};

static CONFIGURE_CREDENTIALS: FixDoc = FixDoc {
    title: "Configure credentials the SDK can refresh",
    why: "The default chain found no credentials at all, so every call will fail before \
              expiry is even a question.",
    how: "`aws configure sso --profile job` for people; an instance profile, ECS task role or EKS service-account role for workloads; a role profile with `source_profile` elsewhere.",
};

static REPAIR_CONFIG: FixDoc = FixDoc {
    title: "Repair the AWS configuration",
    why: "A config or credentials file the SDK cannot parse, or a profile that points \
              nowhere, makes credential resolution fail before the job starts.",
    how: "Open the file at the line the finding names, fix the syntax or the key it reports, and check with `aws configure list`.",
};

static RECORD_EXPIRATION: FixDoc = FixDoc {
    title: "Export the expiry along with the credentials",
    why: "Exported session credentials carry no expiry the SDK can see. Exporting them with \
              `aws configure export-credentials` also sets AWS_CREDENTIAL_EXPIRATION, so tools \
              (and this one) can tell when they end.",
    how: "`eval \"$(aws configure export-credentials --profile P --format env)\"` exports the credentials together with AWS_CREDENTIAL_EXPIRATION.",
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
};

/// A fix with its values filled in: what to change, as data.
#[derive(Clone, Debug, PartialEq)]
pub enum Fix {
    /// Stop exporting credentials; use a source the SDK refreshes.
    UseRefreshingProfile {
        target: RefreshingSource,
    },
    /// Raise the role's MaxSessionDuration so that a session covers `needed_seconds`.
    RaiseMaxSessionDuration {
        role: String,
        needed_seconds: i64,
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
    RecordExpiration {
        profile: Option<String>,
    },
    RenewWebIdentityToken {
        token_file: String,
    },
}

impl Fix {
    pub fn id(&self) -> FixId {
        match self {
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
            Fix::RecordExpiration { .. } => FixId::RecordExpiration,
            Fix::RenewWebIdentityToken { .. } => FixId::RenewWebIdentityToken,
        }
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

    #[test]
    fn every_fix_id_is_documented_with_its_serde_name() {
        for id in FixId::iter() {
            let doc = id.doc();
            assert!(!doc.title.is_empty() && !doc.why.is_empty() && !doc.how.is_empty());
            assert_eq!(serde_json::to_value(id).unwrap(), id.name(), "{id:?}");
            assert_eq!(id.name().parse::<FixId>().unwrap(), id);
        }
    }
}
