//! The fix catalog: every remedy expiry-doctor can recommend, as data.
//!
//! A check never prints advice of its own; it returns `Fix` values built here, with the real
//! role name, profile, seconds and times filled in, so that the table, the JSON and `explain`
//! all say the same thing and a user can paste the commands as they are. `CATALOG` documents
//! every id; a test forces each `FixId` to have an entry.

use crate::human;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
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
}

/// What `explain` prints for a fix id.
pub struct FixDoc {
    pub id: FixId,
    pub name: &'static str,
    pub title: &'static str,
    pub why: &'static str,
    /// What the commands do, for `explain` (the report fills in the real values).
    pub how: &'static str,
}

pub const CATALOG: &[FixDoc] = &[
    FixDoc {
        id: FixId::UseRefreshingProfile,
        name: "use-refreshing-profile",
        title: "Let the SDK fetch (and refresh) the credentials instead of exporting them",
        why: "Credentials exported as AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY/AWS_SESSION_TOKEN are \
              a snapshot: no SDK can refresh them, so a job that outlives them dies with \
              ExpiredToken. A profile with role_arn (plus source_profile or credential_source), \
              an SSO profile, or the instance/task role is re-assumed by the SDK before expiry.",
        how: "Add a `[profile job]` with `role_arn` and `source_profile` (long-term keys or SSO) or `credential_source = Ec2InstanceMetadata | EcsContainer`, `unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN`, and `export AWS_PROFILE=job`. When a refreshing profile or an instance/task role is already there (shadowed by the exported variables), the report uses it.",
    },
    FixDoc {
        id: FixId::RaiseMaxSessionDuration,
        name: "raise-max-session-duration",
        title: "Raise the role's MaxSessionDuration",
        why: "AssumeRole cannot grant a session longer than the role's MaxSessionDuration \
              (1 h by default, at most 12 h). Raising it lets one session cover the job.",
        how: "`aws iam update-role --role-name NAME --max-session-duration SECONDS`, with SECONDS the job's runtime plus margin rounded up to whole hours (3600 to 43200). Needs iam:UpdateRole.",
    },
    FixDoc {
        id: FixId::RequestLongerSession,
        name: "request-longer-session",
        title: "Ask for a longer session when assuming the role",
        why: "AssumeRole gives 1 h unless the caller asks for more (DurationSeconds). The AWS CLI \
              and boto3 read duration_seconds from the profile; aws-config (Rust) and the Java \
              SDK 2.x ignore it and ask for 1 h, so those jobs must pass the duration in code.",
        how: "`aws configure set duration_seconds SECONDS --profile P` for the AWS CLI and boto3; in aws-config (Rust) and the Java SDK 2.x set the session length on the AssumeRole provider in code; for exported credentials, `aws sts assume-role … --duration-seconds SECONDS`.",
    },
    FixDoc {
        id: FixId::AvoidRoleChaining,
        name: "avoid-role-chaining",
        title: "Assume the role directly from long-term, SSO-free credentials",
        why: "A role assumed with another role's temporary credentials (role chaining) is capped \
              at 1 h whatever the role's MaxSessionDuration, and asking for more fails.",
        how: "A `[profile job]` whose `role_arn` is the target role and whose `source_profile` holds long-term keys (or `credential_source` for an instance/task role is chained too: use the instance role itself when it has the permissions).",
    },
    FixDoc {
        id: FixId::SsoLogin,
        name: "sso-login",
        title: "Log in to IAM Identity Center again",
        why: "The cached SSO access token has expired, so the SDK cannot fetch role credentials \
              until `aws sso login` writes a new one.",
        how: "`aws sso login --profile P` right before the job; it writes a fresh token to ~/.aws/sso/cache.",
    },
    FixDoc {
        id: FixId::ExtendSsoSession,
        name: "extend-sso-session",
        title: "Make the SSO session outlast the job",
        why: "SSO role credentials are refreshed with the portal token, which dies when the IAM \
              Identity Center session ends (8 h by default); the permission set's session \
              duration (1 h by default, at most 12 h) bounds each role session.",
        how: "Log in right before the job; raise the IAM Identity Center session duration (Settings → Authentication) and the permission set's session duration (`aws sso-admin update-permission-set … --session-duration PT12H`); for unattended jobs, prefer a role over a person's SSO session.",
    },
    FixDoc {
        id: FixId::SplitOrCheckpointJob,
        name: "split-or-checkpoint-job",
        title: "Split the job or make it resumable",
        why: "No single AssumeRole session lasts more than 12 h (1 h when chained). A job longer \
              than any possible session must refresh its credentials or run in resumable parts.",
        how: "Run the job under a source the SDK refreshes (nothing then bounds it), or cut it into parts shorter than the longest session (12 h, 1 h when chained) that checkpoint and resume.",
    },
    FixDoc {
        id: FixId::SyncClock,
        name: "sync-clock",
        title: "Synchronise the system clock",
        why: "SigV4 rejects requests more than 5 minutes off AWS's clock, and SDKs decide when to \
              refresh by the local clock: a skewed clock makes valid credentials fail or lets \
              expired ones be sent.",
        how: "`sudo chronyc makestep` then `chronyc tracking` (chrony), `sudo timedatectl set-ntp true` (systemd-timesyncd); on EC2 point chrony at the Amazon Time Sync Service (`server 169.254.169.123 prefer iburst`).",
    },
    FixDoc {
        id: FixId::ConfigureCredentials,
        name: "configure-credentials",
        title: "Configure credentials the SDK can refresh",
        why: "The default chain found no credentials at all, so every call will fail before \
              expiry is even a question.",
        how: "`aws configure sso --profile job` for people; an instance profile, ECS task role or EKS service-account role for workloads; a role profile with `source_profile` elsewhere.",
    },
    FixDoc {
        id: FixId::RepairConfig,
        name: "repair-config",
        title: "Repair the AWS configuration",
        why: "A config or credentials file the SDK cannot parse, or a profile that points \
              nowhere, makes credential resolution fail before the job starts.",
        how: "Open the file at the line the finding names, fix the syntax or the key it reports, and check with `aws configure list`.",
    },
    FixDoc {
        id: FixId::RecordExpiration,
        name: "record-expiration",
        title: "Export the expiry along with the credentials",
        why: "Exported session credentials carry no expiry the SDK can see. Exporting them with \
              `aws configure export-credentials` also sets AWS_CREDENTIAL_EXPIRATION, so tools \
              (and this one) can tell when they end.",
        how: "`eval \"$(aws configure export-credentials --profile P --format env)\"` exports the credentials together with AWS_CREDENTIAL_EXPIRATION.",
    },
];

impl FixId {
    pub fn doc(self) -> &'static FixDoc {
        CATALOG
            .iter()
            .find(|d| d.id == self)
            .expect("every FixId has a CATALOG entry (tested)")
    }

    pub fn name(self) -> &'static str {
        self.doc().name
    }
}

/// A fix with its values filled in.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Fix {
    pub id: FixId,
    pub title: String,
    /// Commands to run or config lines to add, in order. A multi-line entry is a config block.
    pub commands: Vec<String>,
}

const UNSET_EXPORTED: &str = "unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN";

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

fn role_arn_or_placeholder(arn: &Option<String>) -> String {
    arn.clone()
        .unwrap_or_else(|| "arn:aws:iam::<ACCOUNT_ID>:role/<ROLE_NAME>".into())
}

fn profile_flag(profile: &str) -> String {
    if profile == "default" {
        String::new()
    } else {
        format!(" --profile {profile}")
    }
}

pub fn use_refreshing_profile(target: &RefreshingSource) -> Fix {
    let block = |arn: &Option<String>, source_line: &str| {
        format!(
            "# ~/.aws/config\n[profile job]\nrole_arn = {}\n{}",
            role_arn_or_placeholder(arn),
            source_line
        )
    };
    let (title, commands) = match target {
        RefreshingSource::Profile(p) => (
            format!("Stop exporting credentials; let the SDK use profile {p}, which refreshes"),
            vec![
                UNSET_EXPORTED.to_string(),
                format!("export AWS_PROFILE={p}"),
            ],
        ),
        RefreshingSource::InstanceRole { role_arn } => (
            "Use the instance role through a profile the SDK refreshes, not exported keys".into(),
            vec![
                block(role_arn, "credential_source = Ec2InstanceMetadata"),
                UNSET_EXPORTED.to_string(),
                "export AWS_PROFILE=job".into(),
            ],
        ),
        RefreshingSource::ContainerRole { role_arn } => (
            "Use the task role through a profile the SDK refreshes, not exported keys".into(),
            vec![
                block(role_arn, "credential_source = EcsContainer"),
                UNSET_EXPORTED.to_string(),
                "export AWS_PROFILE=job".into(),
            ],
        ),
        RefreshingSource::NewRoleProfile { role_arn } => (
            "Replace the exported credentials with a role profile the SDK refreshes".into(),
            vec![
                block(
                    role_arn,
                    "source_profile = <a profile with long-term keys or SSO>",
                ),
                UNSET_EXPORTED.to_string(),
                "export AWS_PROFILE=job".into(),
            ],
        ),
    };
    Fix {
        id: FixId::UseRefreshingProfile,
        title,
        commands,
    }
}

/// MaxSessionDuration is whole seconds between 1 h and 12 h.
pub fn session_seconds_for(needed_secs: i64) -> i64 {
    let hours = (needed_secs + 3599) / 3600;
    (hours * 3600).clamp(3600, 43_200)
}

pub fn raise_max_session_duration(role_name: &str, needed_secs: i64) -> Fix {
    let secs = session_seconds_for(needed_secs);
    Fix {
        id: FixId::RaiseMaxSessionDuration,
        title: format!(
            "Raise {role_name}'s MaxSessionDuration to {}",
            human::duration(secs)
        ),
        commands: vec![format!(
            "aws iam update-role --role-name {role_name} --max-session-duration {secs}"
        )],
    }
}

pub fn request_longer_session(
    profile: Option<&str>,
    role_arn: Option<&str>,
    needed_secs: i64,
) -> Fix {
    let secs = session_seconds_for(needed_secs);
    let mut commands = Vec::new();
    match profile {
        Some(p) => {
            commands.push(format!(
                "aws configure set duration_seconds {secs}{}",
                profile_flag(p)
            ));
            commands.push(
                "# honoured by the AWS CLI and boto3; aws-config (Rust) and the Java SDK 2.x ignore \
                 it: set the duration on their AssumeRole provider in code"
                    .into(),
            );
        }
        None => commands.push(format!(
            "aws sts assume-role --role-arn {} --role-session-name job --duration-seconds {secs}",
            role_arn.unwrap_or("arn:aws:iam::<ACCOUNT_ID>:role/<ROLE_NAME>")
        )),
    }
    Fix {
        id: FixId::RequestLongerSession,
        title: format!(
            "Ask for a {} session when assuming the role",
            human::duration(secs)
        ),
        commands,
    }
}

pub fn avoid_role_chaining(role_arn: Option<&str>, base: Option<&str>) -> Fix {
    let source_line = match base {
        Some(p) => format!("source_profile = {p}"),
        None => "source_profile = <a profile with long-term keys>".into(),
    };
    Fix {
        id: FixId::AvoidRoleChaining,
        title: "Assume the role directly, not from another role's session (chaining caps it at 1h)"
            .into(),
        commands: vec![format!(
            "# ~/.aws/config\n[profile job]\nrole_arn = {}\n{source_line}",
            role_arn.unwrap_or("arn:aws:iam::<ACCOUNT_ID>:role/<ROLE_NAME>")
        )],
    }
}

pub fn sso_login(profile: &str) -> Fix {
    Fix {
        id: FixId::SsoLogin,
        title: format!("Log in to IAM Identity Center again for profile {profile}"),
        commands: vec![format!("aws sso login{}", profile_flag(profile))],
    }
}

pub fn extend_sso_session(profile: &str, needed_secs: i64) -> Fix {
    let hours = (needed_secs + 3599) / 3600;
    Fix {
        id: FixId::ExtendSsoSession,
        title: format!(
            "Log in right before the job and make the SSO session last at least {}",
            human::duration(hours * 3600)
        ),
        commands: vec![
            format!("aws sso login{}", profile_flag(profile)),
            "# IAM Identity Center console → Settings → Authentication → Session duration \
             (default 8h)"
                .into(),
            format!(
                "aws sso-admin update-permission-set --instance-arn <INSTANCE_ARN> \
                 --permission-set-arn <PERMISSION_SET_ARN> --session-duration PT{}H",
                hours.clamp(1, 12)
            ),
        ],
    }
}

pub fn split_or_checkpoint_job(runtime_secs: i64, longest_secs: i64) -> Fix {
    Fix {
        id: FixId::SplitOrCheckpointJob,
        title: format!(
            "The job ({}) outlasts any session ({} at most): refresh or split it",
            human::duration(runtime_secs),
            human::duration(longest_secs)
        ),
        commands: vec![
            "# run the job under a refreshing source (role profile, SSO, instance/task role)"
                .into(),
            format!(
                "# or split it into parts shorter than {} that checkpoint and resume",
                human::duration(longest_secs)
            ),
        ],
    }
}

pub fn sync_clock() -> Fix {
    Fix {
        id: FixId::SyncClock,
        title: "Synchronise the system clock".into(),
        commands: vec![
            "sudo chronyc makestep".into(),
            "chronyc tracking".into(),
            "sudo timedatectl set-ntp true   # systemd-timesyncd".into(),
            "# on EC2: use the Amazon Time Sync Service, `server 169.254.169.123 prefer iburst` in \
             /etc/chrony/chrony.conf"
                .into(),
        ],
    }
}

pub fn configure_credentials(profile: Option<&str>) -> Fix {
    let p = profile.unwrap_or("job");
    Fix {
        id: FixId::ConfigureCredentials,
        title: "Configure credentials the SDK can refresh".into(),
        commands: vec![
            format!("aws configure sso --profile {p}"),
            "# or, on EC2/ECS/EKS: attach an instance profile, task role or service account role"
                .into(),
        ],
    }
}

pub fn repair_config(subject: &str, line: Option<u32>, message: &str, file: Option<&str>) -> Fix {
    let at = line.map(|l| format!(" line {l}")).unwrap_or_default();
    let mut commands = Vec::new();
    if let Some(file) = file {
        commands.push(format!(
            "${{EDITOR:-vi}} {file}{}",
            line.map(|l| format!("   # line {l}")).unwrap_or_default()
        ));
    }
    commands
        .push("aws configure list   # shows which credentials the profile now resolves to".into());
    Fix {
        id: FixId::RepairConfig,
        title: format!("Repair {subject}{at}: {message}"),
        commands,
    }
}

pub fn record_expiration(profile: Option<&str>) -> Fix {
    let flag = profile.map(profile_flag).unwrap_or_default();
    Fix {
        id: FixId::RecordExpiration,
        title: "Export credentials with their expiry so it can be checked".into(),
        commands: vec![format!(
            "eval \"$(aws configure export-credentials{flag} --format env)\"   # also sets AWS_CREDENTIAL_EXPIRATION"
        )],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL_IDS: &[FixId] = &[
        FixId::UseRefreshingProfile,
        FixId::RaiseMaxSessionDuration,
        FixId::RequestLongerSession,
        FixId::AvoidRoleChaining,
        FixId::SsoLogin,
        FixId::ExtendSsoSession,
        FixId::SplitOrCheckpointJob,
        FixId::SyncClock,
        FixId::ConfigureCredentials,
        FixId::RepairConfig,
        FixId::RecordExpiration,
    ];

    #[test]
    fn every_fix_id_is_documented_once_with_its_serde_name() {
        assert_eq!(CATALOG.len(), ALL_IDS.len());
        for id in ALL_IDS {
            let doc = id.doc();
            let serde_name = serde_json::to_value(id).unwrap();
            assert_eq!(serde_name, doc.name, "{id:?}");
            assert_eq!(CATALOG.iter().filter(|d| d.id == *id).count(), 1);
        }
    }

    #[test]
    fn session_seconds_round_up_to_whole_hours_within_iam_limits() {
        assert_eq!(session_seconds_for(6 * 3600 + 300), 7 * 3600);
        assert_eq!(session_seconds_for(600), 3600);
        assert_eq!(session_seconds_for(20 * 3600), 43_200);
    }

    #[test]
    fn commands_carry_real_values() {
        let f = raise_max_session_duration("etl", 6 * 3600 + 300);
        assert_eq!(
            f.commands,
            vec!["aws iam update-role --role-name etl --max-session-duration 25200"]
        );
        let f = sso_login("dev");
        assert_eq!(f.commands, vec!["aws sso login --profile dev"]);
        let f = use_refreshing_profile(&RefreshingSource::InstanceRole {
            role_arn: Some("arn:aws:iam::123456789012:role/etl".into()),
        });
        assert!(f.commands[0].contains("credential_source = Ec2InstanceMetadata"));
        assert!(f.commands[0].contains("role_arn = arn:aws:iam::123456789012:role/etl"));
        assert_eq!(f.commands[1], UNSET_EXPORTED);
    }
}
