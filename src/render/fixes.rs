//! A fix in words and steps: its title, then what to do, in order, as typed steps (a shell
//! command, a config edit, a note). Every format prints the same steps: the table and GitHub
//! as lines, Markdown as an `ini` block for config and an `sh` block for commands, JSON as
//! `steps` (and `commands`, the same steps as version 1 wrote them).
//!
//! Shell words that came from outside (a profile, a role, a path) are quoted with `shlex`, so
//! a profile named `my profile` still pastes.

use super::text::duration;
use crate::aws::limits::{self, session_seconds_for};
use crate::fixes::{Fix, RefreshingSource, SessionRequest};
use serde::Serialize;
use serde::ser::SerializeMap;

/// A fix, said: its title and its steps in order.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Plan {
    pub title: String,
    pub steps: Vec<Step>,
}

/// One thing to do.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Step {
    /// A command to paste into a POSIX shell.
    Shell { command: String },
    /// Keys to set (in this order) and to remove in one section of an AWS config file.
    Config {
        file: String,
        section: String,
        set: Settings,
        remove: Vec<String>,
    },
    /// Something to do by hand, or worth knowing.
    Note { text: String },
}

/// `key = value` lines, in order; a JSON object in the report.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Settings(pub Vec<(String, String)>);

impl Serialize for Settings {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

impl Step {
    /// The step as version 1 wrote it in `commands`: a command, a config block headed by its
    /// file, or a `#` comment.
    pub fn as_command(&self) -> String {
        match self {
            Step::Shell { command } => command.clone(),
            Step::Config {
                file,
                section,
                set,
                remove,
            } => {
                let mut lines = vec![format!("# {file}"), format!("[{section}]")];
                lines.extend(set.0.iter().map(|(k, v)| format!("{k} = {v}")));
                lines.extend(remove.iter().map(|k| format!("# delete the line: {k} = …")));
                lines.join("\n")
            }
            Step::Note { text } => format!("# {text}"),
        }
    }
}

impl Plan {
    /// Every line from outside made safe to print (a role name with a line break stays on its
    /// line, quoted); the one sanitizer, applied once here for every format.
    fn sanitized(self) -> Plan {
        use super::sanitize::own;
        let steps = self
            .steps
            .into_iter()
            .map(|step| match step {
                Step::Shell { command } => Step::Shell {
                    command: own(command),
                },
                Step::Config {
                    file,
                    section,
                    set,
                    remove,
                } => Step::Config {
                    file: own(file),
                    section: own(section),
                    set: Settings(set.0.into_iter().map(|(k, v)| (own(k), own(v))).collect()),
                    remove: remove.into_iter().map(own).collect(),
                },
                Step::Note { text } => Step::Note { text: own(text) },
            })
            .collect();
        Plan {
            title: own(self.title),
            steps,
        }
    }

    /// `commands` of version 1: every step, as it was written there.
    pub fn commands(&self) -> Vec<String> {
        self.steps.iter().map(Step::as_command).collect()
    }
}

const CONFIG_FILE: &str = "~/.aws/config";
const ROLE_PLACEHOLDER: &str = "arn:aws:iam::<ACCOUNT_ID>:role/<ROLE_NAME>";
const LONG_TERM_PLACEHOLDER: &str = "<a profile with long-term keys>";

/// Shell words, each quoted when it needs to be.
fn sh(words: &[&str]) -> String {
    words.iter().map(|w| quote(w)).collect::<Vec<_>>().join(" ")
}

/// One shell word. A word shlex cannot quote (a NUL byte) is dropped into a visible
/// placeholder rather than printed raw.
fn quote(word: &str) -> String {
    shlex::try_quote(word)
        .map(|q| q.into_owned())
        .unwrap_or_else(|_| "'<unprintable>'".into())
}

fn shell(command: String) -> Step {
    Step::Shell { command }
}

fn note(text: impl Into<String>) -> Step {
    Step::Note { text: text.into() }
}

fn unset_exported() -> Step {
    shell(sh(&[
        "unset",
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
    ]))
}

fn export_profile(profile: &str) -> Step {
    shell(format!("export AWS_PROFILE={}", quote(profile)))
}

/// `--profile P`, unless P is `default` (which needs no flag).
fn profile_flag(profile: &str) -> Vec<&str> {
    if profile == "default" {
        vec![]
    } else {
        vec!["--profile", profile]
    }
}

/// `profile NAME` (`default` for the default profile), as a config file section.
fn profile_section(profile: &str) -> String {
    if profile == "default" {
        "default".into()
    } else {
        format!("profile {profile}")
    }
}

/// Asking for a session of `secs`: the profile's `duration_seconds` (the AWS CLI and boto3
/// send it), or the `assume-role` call that exports the credentials.
fn request_steps(req: &SessionRequest, secs: i64) -> Vec<Step> {
    let secs = secs.to_string();
    match &req.profile {
        Some(p) => {
            let mut words = vec!["aws", "configure", "set", "duration_seconds", &secs];
            words.extend(profile_flag(p));
            vec![
                shell(sh(&words)),
                note(
                    "honoured by the AWS CLI and boto3; aws-config (Rust) and the Java SDK 2.x \
                     ignore it: set the duration on their AssumeRole provider in code",
                ),
            ]
        }
        None => {
            let mut words = vec![
                "aws",
                "sts",
                "assume-role",
                "--role-arn",
                req.role_arn.as_deref().unwrap_or(ROLE_PLACEHOLDER),
                "--role-session-name",
                "job",
                "--duration-seconds",
                &secs,
            ];
            if !req.from_session {
                return vec![shell(sh(&words))];
            }
            // The AWS CLI signs with exported keys before any profile, unless --profile
            // names one (botocore: an explicit profile negates the environment provider).
            words.extend(["--profile", LONG_TERM_PLACEHOLDER]);
            vec![
                shell(sh(&words)),
                note(
                    "with long-term keys, not the session at hand: a role assumed with a role \
                     session is chained, and STS refuses more than 1h; export the credentials \
                     it returns",
                ),
            ]
        }
    }
}

/// What the role's trust policy must allow for a new role profile to work.
fn trust_policy_note() -> Step {
    note(
        "the role's trust policy must allow sts:AssumeRole by the source profile's principal \
         (sts:SetSourceIdentity and sts:TagSession only if the profile sets source_identity or \
         session tags)",
    )
}

fn job_profile(role_arn: &Option<String>, source: (&str, &str)) -> Step {
    Step::Config {
        file: CONFIG_FILE.into(),
        section: "profile job".into(),
        set: Settings(vec![
            (
                "role_arn".into(),
                role_arn.clone().unwrap_or_else(|| ROLE_PLACEHOLDER.into()),
            ),
            (source.0.into(), source.1.into()),
        ]),
        remove: vec![],
    }
}

/// A fix's title and steps, with its values filled in.
pub fn plan(fix: &Fix) -> Plan {
    let (title, steps) = match fix {
        Fix::UseRefreshingProfile { target } => match target {
            RefreshingSource::Profile(p) => (
                format!("Stop exporting credentials; let the SDK use profile {p}, which refreshes"),
                vec![unset_exported(), export_profile(p)],
            ),
            RefreshingSource::InstanceRole { role_arn } => (
                "Use the instance role through a profile the SDK refreshes, not exported keys"
                    .into(),
                vec![
                    job_profile(role_arn, ("credential_source", "Ec2InstanceMetadata")),
                    unset_exported(),
                    export_profile("job"),
                ],
            ),
            RefreshingSource::ContainerRole { role_arn } => (
                "Use the task role through a profile the SDK refreshes, not exported keys".into(),
                vec![
                    job_profile(role_arn, ("credential_source", "EcsContainer")),
                    unset_exported(),
                    export_profile("job"),
                ],
            ),
            RefreshingSource::NewRoleProfile { role_arn } => (
                "Replace the exported credentials with a role profile the SDK refreshes".into(),
                vec![
                    job_profile(role_arn, ("source_profile", LONG_TERM_PLACEHOLDER)),
                    trust_policy_note(),
                    note(
                        "not an SSO profile as the source: its credentials are a role session, \
                         and a role assumed from a role session is chained (capped at 1h)",
                    ),
                    unset_exported(),
                    export_profile("job"),
                ],
            ),
        },
        Fix::DeleteDurationSeconds { profile } => (
            format!("Delete duration_seconds from profile {profile}"),
            vec![
                Step::Config {
                    file: CONFIG_FILE.into(),
                    section: profile_section(profile),
                    set: Settings::default(),
                    remove: vec!["duration_seconds".into()],
                },
                note(
                    "the SDK then asks for the 1h default and assumes the role again before each \
                     session ends, for as long as the job runs",
                ),
            ],
        ),
        Fix::RaiseMaxSessionDuration {
            role,
            needed_seconds,
            request,
        } => {
            let secs = session_seconds_for(*needed_seconds);
            let mut steps = vec![shell(sh(&[
                "aws",
                "iam",
                "update-role",
                "--role-name",
                role,
                "--max-session-duration",
                &secs.to_string(),
            ]))];
            let title = match request {
                Some(req) => {
                    steps.extend(request_steps(req, secs));
                    format!(
                        "Raise {role}'s MaxSessionDuration to {0}, then ask for a {0} session",
                        duration(secs)
                    )
                }
                None => format!("Raise {role}'s MaxSessionDuration to {}", duration(secs)),
            };
            (title, steps)
        }
        Fix::RequestLongerSession {
            profile,
            role_arn,
            needed_seconds,
        } => {
            let secs = session_seconds_for(*needed_seconds);
            // Alone, a request without a profile is for exported credentials (a plan's is a
            // step of raising MaxSessionDuration, or not offered when chained).
            let req = SessionRequest {
                profile: profile.clone(),
                role_arn: role_arn.clone(),
                from_session: profile.is_none(),
            };
            (
                format!(
                    "Ask for a {} session when assuming the role",
                    duration(secs)
                ),
                request_steps(&req, secs),
            )
        }
        Fix::AvoidRoleChaining {
            role_arn,
            base_profile,
        } => (
            "Assume the role directly, not from another role's session (chaining caps it at 1h)"
                .into(),
            vec![
                job_profile(
                    role_arn,
                    (
                        "source_profile",
                        base_profile.as_deref().unwrap_or(LONG_TERM_PLACEHOLDER),
                    ),
                ),
                trust_policy_note(),
                // Exported keys win over AWS_PROFILE: the profile is used only without them.
                unset_exported(),
                export_profile("job"),
            ],
        ),
        Fix::SsoLogin { profile } => {
            let mut words = vec!["aws", "sso", "login"];
            words.extend(profile_flag(profile));
            (
                format!("Log in to IAM Identity Center again for profile {profile}"),
                vec![
                    shell(sh(&words)),
                    note(format!(
                        "right before the job: a fresh login lasts {} by default (the IAM \
                         Identity Center session), and the SDK refreshes the role credentials \
                         with it until then",
                        duration(limits::SSO_SESSION_DEFAULT)
                    )),
                ],
            )
        }
        Fix::ExtendSsoSession {
            profile,
            needed_seconds,
        } => {
            let mut login = vec!["aws", "sso", "login"];
            login.extend(profile_flag(profile));
            // What binds a refreshing SSO job is the portal session its token belongs to; the
            // permission set's session duration only bounds each role session, which the SDK
            // replaces with the token before it ends.
            let binds = "what binds is the IAM Identity Center session (the portal token); the \
                         permission set's session duration does not matter here: the SDK fetches \
                         new role credentials with the token before each session ends";
            if *needed_seconds <= limits::SSO_SESSION_DEFAULT {
                (
                    format!(
                        "Log in right before the job: a fresh SSO session lasts {} by default, \
                         which covers it",
                        duration(limits::SSO_SESSION_DEFAULT)
                    ),
                    vec![shell(sh(&login)), note(binds)],
                )
            } else {
                let hours = needed_seconds.saturating_add(3599) / 3600;
                (
                    format!(
                        "Log in right before the job and make the SSO session last at least {}",
                        duration(hours.saturating_mul(3600))
                    ),
                    vec![
                        note(format!(
                            "IAM Identity Center console → Settings → Authentication → Session \
                             duration: at least {} (the default is {})",
                            duration(hours.saturating_mul(3600)),
                            duration(limits::SSO_SESSION_DEFAULT)
                        )),
                        shell(sh(&login)),
                        note(binds),
                    ],
                )
            }
        }
        Fix::SplitOrCheckpointJob {
            runtime_seconds,
            longest_seconds,
        } => (
            format!(
                "The job ({}) outlasts any session ({} at most): refresh or split it",
                duration(*runtime_seconds),
                duration(*longest_seconds)
            ),
            vec![
                note(
                    "run the job under a refreshing source (role profile, SSO, instance/task role)",
                ),
                note(format!(
                    "or split it into parts shorter than {} that checkpoint and resume",
                    duration(*longest_seconds)
                )),
            ],
        ),
        Fix::SyncClock => (
            "Synchronise the system clock".into(),
            vec![
                shell("sudo chronyc makestep".into()),
                shell("chronyc tracking".into()),
                shell("sudo timedatectl set-ntp true   # systemd-timesyncd".into()),
                note(
                    "on EC2: use the Amazon Time Sync Service, `server 169.254.169.123 prefer \
                     iburst` in /etc/chrony/chrony.conf",
                ),
            ],
        ),
        Fix::ConfigureCredentials { profile } => {
            let mut steps = vec![shell(sh(&[
                "aws",
                "configure",
                "sso",
                "--profile",
                profile.as_deref().unwrap_or("job"),
            ]))];
            // A new named profile is used only once selected (the wizard says so too).
            if profile.is_none() {
                steps.push(export_profile("job"));
            }
            steps.push(note(
                "or, on EC2/ECS/EKS: attach an instance profile, task role or service account role",
            ));
            ("Configure credentials the SDK can refresh".into(), steps)
        }
        Fix::RepairConfig { problem, file } => {
            let at = problem
                .line
                .map(|l| format!(" line {l}"))
                .unwrap_or_default();
            let mut steps = Vec::new();
            if let Some(file) = file {
                steps.push(shell(format!(
                    "${{EDITOR:-vi}} {}{}",
                    quote(file),
                    problem
                        .line
                        .map(|l| format!("   # line {l}"))
                        .unwrap_or_default()
                )));
            } else if problem.subject.starts_with("profile ") {
                // A profile's keys live in the config file the SDK reads.
                steps.push(shell(format!(
                    "${{EDITOR:-vi}} \"${{AWS_CONFIG_FILE:-$HOME/.aws/config}}\"   # {}",
                    problem.subject
                )));
            }
            steps.push(shell(
                "aws configure list   # shows which credentials the profile now resolves to".into(),
            ));
            (
                format!("Repair {}{at}: {}", problem.subject, problem.message),
                steps,
            )
        }
        Fix::RepairCredentialProcess { profile } => {
            let mut words = vec!["aws", "configure", "get", "credential_process"];
            words.extend(profile_flag(profile));
            (
                format!("Repair the credential_process of profile {profile}"),
                vec![
                    shell(format!("{}   # the helper's command", sh(&words))),
                    note(
                        "run that command by hand in the job's environment (same PATH, no \
                         terminal): it must exit 0 and print the JSON credentials (Version 1); \
                         exit 127 means the shell found no such program (install it or give its \
                         full path), 126 that it is not executable",
                    ),
                ],
            )
        }
        Fix::RecordExpiration { profile } => {
            // With keys exported, the AWS CLI exports the same keys again, with no expiry to
            // add: the keys go first, and the profile that makes them is named.
            let profile = profile.as_deref().unwrap_or("<PROFILE>");
            let words = [
                "aws",
                "configure",
                "export-credentials",
                "--profile",
                profile,
                "--format",
                "env",
            ];
            (
                "Export credentials with their expiry so it can be checked".into(),
                vec![
                    unset_exported(),
                    shell(format!(
                        "eval \"$({})\"   # also sets AWS_CREDENTIAL_EXPIRATION",
                        sh(&words)
                    )),
                ],
            )
        }
        Fix::RenewWebIdentityToken { token_file } => (
            format!("Give the job a web identity token that outlives it ({token_file})"),
            vec![
                note(
                    "on EKS: use an IAM role for the service account (IRSA); the kubelet rotates its projected token",
                ),
                note(
                    "in CI: ask for a token that lasts the job (GitLab id_tokens follow the job's timeout)",
                ),
                note(format!(
                    "elsewhere: write a fresh token to {token_file} before the current one expires"
                )),
            ],
        ),
        Fix::RefreshEcrLogin { registry } => {
            let registry = registry
                .as_deref()
                .unwrap_or("<ACCOUNT_ID>.dkr.ecr.<REGION>.amazonaws.com");
            (
                "Log in to ECR right before each push or pull (its token lasts 12 h)".into(),
                vec![
                    shell(format!(
                        "{} | {}",
                        sh(&["aws", "ecr", "get-login-password", "--region", "<REGION>"]),
                        sh(&[
                            "docker",
                            "login",
                            "--username",
                            "AWS",
                            "--password-stdin",
                            registry
                        ])
                    )),
                    note(format!(
                        "or let docker fetch a token at every use: install amazon-ecr-credential-helper and add \"credHelpers\": {{\"{registry}\": \"ecr-login\"}} to ~/.docker/config.json"
                    )),
                ],
            )
        }
        Fix::UseEksGetToken { cluster } => {
            let cluster = cluster.as_deref().unwrap_or("<CLUSTER>");
            (
                "Let kubectl fetch a new EKS token for each request (a token lasts 15 min)".into(),
                vec![
                    shell(sh(&[
                        "aws",
                        "eks",
                        "update-kubeconfig",
                        "--name",
                        cluster,
                        "--region",
                        "<REGION>",
                    ])),
                    note(
                        "the kubeconfig user then runs `aws eks get-token` whenever kubectl needs a token; remove any static `token:` (or KUBE_TOKEN) it had",
                    ),
                    note(
                        "in code: fetch a new token before each call, at least every 14 minutes, never once per job",
                    ),
                ],
            )
        }
        Fix::PresignWhenUsed {
            expires_seconds,
            signed_by_session,
        } => {
            let mut steps = Vec::new();
            if *signed_by_session {
                steps.push(note(format!(
                    "the URL died with the session credentials that signed it{}: a presigned URL never outlives its signer",
                    expires_seconds
                        .map(|s| format!(", before its X-Amz-Expires of {}", super::text::duration(s)))
                        .unwrap_or_default()
                )));
            }
            steps.push(shell(format!(
                "{}   # right before the URL is used",
                sh(&[
                    "aws",
                    "s3",
                    "presign",
                    "s3://<BUCKET>/<KEY>",
                    "--expires-in",
                    &expires_seconds.unwrap_or(3600).to_string(),
                ])
            )));
            steps.push(note(
                "a URL that must live longer than a role session needs signing credentials that last as long (an IAM user's keys, at most 7 days: 604800 s)",
            ));
            (
                "Presign the URL when it is used, with credentials that outlive it".into(),
                steps,
            )
        }
    };
    Plan { title, steps }.sanitized()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_carry_real_values() {
        let p = plan(&Fix::RaiseMaxSessionDuration {
            role: "etl".into(),
            needed_seconds: 6 * 3600 + 300,
            request: None,
        });
        assert_eq!(
            p.commands(),
            vec!["aws iam update-role --role-name etl --max-session-duration 25200"]
        );
        let p = plan(&Fix::SsoLogin {
            profile: "dev".into(),
        });
        assert_eq!(p.commands()[0], "aws sso login --profile dev");
        let p = plan(&Fix::UseRefreshingProfile {
            target: RefreshingSource::InstanceRole {
                role_arn: Some("arn:aws:iam::123456789012:role/etl".into()),
            },
        });
        assert_eq!(
            p.commands()[0],
            "# ~/.aws/config\n[profile job]\nrole_arn = arn:aws:iam::123456789012:role/etl\n\
             credential_source = Ec2InstanceMetadata"
        );
        assert_eq!(
            p.commands()[1],
            "unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN"
        );
    }

    #[test]
    fn words_from_outside_are_quoted_for_the_shell() {
        let p = plan(&Fix::SsoLogin {
            profile: "my profile".into(),
        });
        assert_eq!(p.commands()[0], "aws sso login --profile 'my profile'");
        let p = plan(&Fix::UseRefreshingProfile {
            target: RefreshingSource::Profile("it's".into()),
        });
        assert_eq!(p.commands()[1], "export AWS_PROFILE=\"it's\"");
        let p = plan(&Fix::RecordExpiration {
            profile: Some("a b".into()),
        });
        assert_eq!(
            p.commands(),
            [
                "unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN",
                "eval \"$(aws configure export-credentials --profile 'a b' --format env)\"   # \
                 also sets AWS_CREDENTIAL_EXPIRATION"
            ]
        );
    }

    /// A 6h05m job under SSO: a fresh login (8 h by default) covers it, and the permission
    /// set's duration does not bind a refreshing job: no sso-admin command.
    #[test]
    fn an_sso_job_the_default_session_covers_needs_only_a_login() {
        let p = plan(&Fix::ExtendSsoSession {
            profile: "dev".into(),
            needed_seconds: 6 * 3600 + 300,
        });
        let all = p.commands().join("\n");
        assert_eq!(p.commands()[0], "aws sso login --profile dev");
        assert!(
            !all.contains("sso-admin") && !all.contains("Session duration"),
            "{all}"
        );
        assert!(all.contains("does not matter"), "{all}");
        let p = plan(&Fix::ExtendSsoSession {
            profile: "dev".into(),
            needed_seconds: 10 * 3600,
        });
        let all = p.commands().join("\n");
        assert!(all.contains("Session duration: at least 10h"), "{all}");
        assert!(!all.contains("sso-admin"), "{all}");
    }

    /// Asking for a longer session with exported session keys at hand: the AWS CLI would
    /// sign with them (chained, 1h at most), so the call names a profile with long-term keys;
    /// a plan from long-term keys asks with them.
    #[test]
    fn a_request_from_a_session_names_a_long_term_profile() {
        let arn = "arn:aws:iam::123456789012:role/etl";
        let raise = |from_session| Fix::RaiseMaxSessionDuration {
            role: "etl".into(),
            needed_seconds: 6 * 3600 + 300,
            request: Some(SessionRequest {
                profile: None,
                role_arn: Some(arn.into()),
                from_session,
            }),
        };
        assert_eq!(
            plan(&raise(true)).commands()[1],
            format!(
                "aws sts assume-role --role-arn {arn} --role-session-name job --duration-seconds \
                 25200 --profile '<a profile with long-term keys>'"
            )
        );
        assert_eq!(
            plan(&raise(false)).commands()[1],
            format!(
                "aws sts assume-role --role-arn {arn} --role-session-name job --duration-seconds \
                 25200"
            )
        );
    }

    /// The simplest fix: delete the line, nothing else.
    #[test]
    fn deleting_duration_seconds_is_a_config_edit() {
        let p = plan(&Fix::DeleteDurationSeconds {
            profile: "job".into(),
        });
        assert_eq!(
            p.steps[0],
            Step::Config {
                file: CONFIG_FILE.into(),
                section: "profile job".into(),
                set: Settings::default(),
                remove: vec!["duration_seconds".into()],
            }
        );
    }

    /// A new role profile: its source is not an SSO profile (that would be chaining), the
    /// trust policy is named, and AWS_PROFILE is exported.
    #[test]
    fn a_new_role_profile_names_its_trust_policy_and_is_exported() {
        let p = plan(&Fix::UseRefreshingProfile {
            target: RefreshingSource::NewRoleProfile { role_arn: None },
        });
        let all = p.commands().join("\n");
        assert!(!all.contains("or SSO>"), "{all}");
        assert!(
            all.contains("trust policy must allow sts:AssumeRole"),
            "{all}"
        );
        assert!(all.ends_with("export AWS_PROFILE=job"), "{all}");
    }

    #[test]
    fn steps_serialise_with_their_kind() {
        let p = plan(&Fix::AvoidRoleChaining {
            role_arn: Some("arn:aws:iam::123456789012:role/job".into()),
            base_profile: Some("base".into()),
        });
        let v = serde_json::to_value(&p.steps).unwrap();
        assert_eq!(
            v,
            serde_json::json!([{
                "kind": "config",
                "file": "~/.aws/config",
                "section": "profile job",
                "set": {"role_arn": "arn:aws:iam::123456789012:role/job", "source_profile": "base"},
                "remove": []
            }, {
                "kind": "note",
                "text": "the role's trust policy must allow sts:AssumeRole by the source profile's \
                         principal (sts:SetSourceIdentity and sts:TagSession only if the profile \
                         sets source_identity or session tags)"
            }, {
                "kind": "shell",
                "command": "unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN"
            }, {
                "kind": "shell",
                "command": "export AWS_PROFILE=job"
            }])
        );
    }
}
