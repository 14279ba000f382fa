//! `credential-source`: which provider of the default chain serves the credentials, whether
//! they are temporary, and whether the SDK will refresh them. Also where broken configuration
//! surfaces: a config file that does not parse fails here, naming file and line.

use super::{Doc, Finding, Note, Options, Provider, Status};
use crate::facts::{Facts, KeyId, KeyKind, Probe, Problem, ProblemKind, RefreshLimitKind, Source};
use crate::fixes::Fix;
use chrono::{DateTime, Utc};
use serde::Serialize;

pub const DOC: Doc = Doc {
    what: "Finds the provider the SDK's default credential chain would use (environment, \
           profile, web identity, container, instance metadata, in that order), says whether \
           its credentials are temporary and whether the SDK refreshes them, and lists the \
           lower-priority sources they shadow.",
    why: "Where credentials come from decides whether a long job survives: exported variables \
          are a snapshot that nothing refreshes, while a role profile, SSO, web identity or an \
          instance/task role is refreshed by the SDK before expiry. A broken ~/.aws/config makes \
          every SDK fail before the job does anything.",
    fix: "Run the job with a source the SDK refreshes (use-refreshing-profile), configure \
          credentials when none are found (configure-credentials), or repair the file and line \
          named in the finding (repair-config).",
};

/// Why `credential-source` reached its status.
#[derive(Clone, Debug, PartialEq, Serialize, strum::EnumDiscriminants)]
#[serde(tag = "kind", rename_all = "kebab-case")]
#[strum_discriminants(
    name(ReasonKind),
    derive(strum::EnumIter, strum::IntoStaticStr),
    strum(serialize_all = "kebab-case")
)]
pub enum Reason {
    /// A config or credentials file the SDK cannot use.
    ConfigUnusable { problem: Problem },
    /// The profile's credential_process failed.
    ProcessFailed { problem: Problem },
    /// The profile's credential_process was stopped by a job-control signal: it wanted the
    /// terminal (a prompt), which no unattended job has.
    ProcessStopped { problem: Problem },
    /// The profile's credential_process was not run (`--no-credential-process`): the source is
    /// named, its credentials were not obtained.
    ProcessNotRun { source: Source, problem: Problem },
    /// The profile's credential_process did not finish within --timeout.
    ProcessTimedOut { problem: Problem },
    /// `--all-profiles` ran out of time before it reached this profile.
    NotReached { problem: Problem },
    /// The SDK raises before it hands back any credentials (botocore: a missing profile,
    /// half-exported keys, an invalid role profile, a helper that fails).
    ChainStopped { problem: Problem },
    /// The SDK's own provider refused (live): what the job would hit at its first call.
    ProviderFailed { source: Source, probe: Probe },
    /// Found locally; the live provider did not answer, so the SDK's view is not verified.
    NotVerified { source: Source, probe: Probe },
    /// Nothing found locally; the rest of the chain (instance metadata, the live provider) did
    /// not answer.
    NothingFoundLocallyUnverified { probe: Probe },
    /// A temporary (`ASIA…`) key without its session token: AWS rejects every call.
    TemporaryKeyWithoutToken {
        source: Source,
        access_key_id: Option<KeyId>,
    },
    /// The web identity token expired: AssumeRoleWithWebIdentity refuses it.
    WebIdentityTokenExpired {
        token_file: String,
        #[serde(serialize_with = "crate::facts::to_the_second")]
        at: DateTime<Utc>,
    },
    /// The container endpoint is configured in a way the SDKs refuse.
    ContainerEndpointUnusable { problem: Problem },
    /// No SSO token is cached for the session: the SDK cannot fetch role credentials.
    NoSsoToken { source: Source },
    /// The SSO access token expired and nothing can refresh it.
    SsoTokenExpired {
        source: Source,
        #[serde(serialize_with = "crate::facts::to_the_second")]
        at: DateTime<Utc>,
    },
    /// The web identity token file cannot be read.
    WebIdentityTokenUnreadable { problem: Problem },
    /// No credentials, because the selected profile is broken.
    ProfileBroken { problem: Problem },
    /// Nothing found locally; instance metadata was not asked (--offline).
    NothingFoundOffline,
    /// Nothing found at all.
    NothingFound,
    /// Credentials found.
    Found {
        source: Source,
        temporary: Option<bool>,
        access_key_id: Option<KeyId>,
        refresh: Refresh,
    },
}

/// Whether the SDK refreshes what it found.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Refresh {
    /// Long-term keys: nothing to refresh.
    DoesNotExpire,
    Refreshed,
    Never,
    Unknown,
}

/// The profile whose credential_process ran: the last hop of the chain (the helper is the
/// base), else the selected profile.
fn helper_profile(f: &Facts) -> String {
    f.profile_chain
        .last()
        .map(|h| h.profile.clone())
        .or_else(|| f.credentials.profile.clone())
        .unwrap_or_else(|| "default".into())
}

pub fn check(f: &Facts, opts: &Options) -> Finding {
    // Sections the SDK ignores are said whatever the credentials are, and change nothing.
    judge(f, opts).notes(f.problems_of(ProblemKind::IgnoredSection).map(problem_note))
}

fn judge(f: &Facts, _opts: &Options) -> Finding {
    let c = &f.credentials;

    // Broken configuration comes first: it is what the user must fix before anything else.
    let broken: Vec<&Problem> = f.problems_of(ProblemKind::ConfigFile).collect();
    if let Some(first) = broken.first() {
        let mut finding = Finding::new(
            Status::Fail,
            Reason::ConfigUnusable {
                problem: (*first).clone(),
            },
        )
        .notes(broken.iter().skip(1).map(|p| problem_note(p)))
        .fix(Fix::RepairConfig {
            problem: (*first).clone(),
            file: Some(first.subject.clone()),
        });
        if c.source != Source::None {
            finding = finding.note(Note::WouldComeFrom {
                source: c.source,
                origin: c.origin(),
            });
        }
        return finding;
    }

    let profile_problems: Vec<&Problem> = f
        .problems
        .iter()
        .filter(|p| matches!(p.kind, ProblemKind::Profile | ProblemKind::ChainTooLong))
        .collect();
    let token_problems: Vec<&Problem> = f.problems_of(ProblemKind::TokenFile).collect();
    let warnings: Vec<Note> = f
        .problems
        .iter()
        .filter(|p| matches!(p.kind, ProblemKind::Environment | ProblemKind::Home))
        .map(problem_note)
        .collect();

    if let Some(p) = f.problems_of(ProblemKind::ChainStopped).next() {
        let mut finding =
            Finding::new(Status::Fail, Reason::ChainStopped { problem: p.clone() }).notes(warnings);
        if p.subject.starts_with("profile ") {
            finding = finding.fix(Fix::RepairConfig {
                problem: p.clone(),
                file: None,
            });
        }
        return finding;
    }
    if let Some(p) = f.problems_of(ProblemKind::HelperStopped).next() {
        return Finding::new(Status::Fail, Reason::ProcessStopped { problem: p.clone() })
            .notes(warnings)
            .fix(Fix::RepairCredentialProcess {
                profile: helper_profile(f),
            });
    }
    if let Some(p) = f.problems_of(ProblemKind::CredentialProcess).next() {
        return Finding::new(Status::Fail, Reason::ProcessFailed { problem: p.clone() })
            .notes(warnings)
            .fix(Fix::RepairCredentialProcess {
                profile: helper_profile(f),
            });
    }
    if let Some(p) = f.problems_of(ProblemKind::HelperNotRun).next() {
        return Finding::new(
            Status::Warn,
            Reason::ProcessNotRun {
                source: c.source,
                problem: p.clone(),
            },
        )
        .notes(c.origin().map(|origin| Note::Origin { origin }))
        .notes(warnings);
    }
    if let Some(p) = f.problems_of(ProblemKind::NotReached).next() {
        return Finding::new(Status::Error, Reason::NotReached { problem: p.clone() });
    }
    if let Some(p) = f.problems_of(ProblemKind::Deadline).next() {
        return Finding::new(
            Status::Error,
            Reason::ProcessTimedOut { problem: p.clone() },
        )
        .notes(warnings);
    }
    let profile = c.profile.clone().unwrap_or_else(|| "default".into());
    let origin_note = || c.origin().map(|origin| Note::Origin { origin });
    // A temporary key is useless without the session token it was issued with.
    if c.access_key_id.as_ref().map(KeyId::kind) == Some(KeyKind::Temporary)
        && c.session_token == Some(false)
    {
        return Finding::new(
            Status::Fail,
            Reason::TemporaryKeyWithoutToken {
                source: c.source,
                access_key_id: c.access_key_id.clone(),
            },
        )
        .notes(origin_note())
        .notes(warnings);
    }
    if c.source == Source::Container
        && let Some(p) = f.problems_of(ProblemKind::ContainerEndpoint).next()
    {
        return Finding::new(
            Status::Fail,
            Reason::ContainerEndpointUnusable { problem: p.clone() },
        )
        .notes(origin_note())
        .notes(warnings);
    }
    if c.source == Source::WebIdentity
        && let Some(w) = &f.web_identity
        && let Some(at) = w.expires_at.filter(|t| *t <= f.checked_at)
    {
        return Finding::new(
            Status::Fail,
            Reason::WebIdentityTokenExpired {
                token_file: w.token_file.clone(),
                at,
            },
        )
        .notes(origin_note())
        .notes(warnings)
        .fix(Fix::RenewWebIdentityToken {
            token_file: w.token_file.clone(),
        });
    }
    // The SSO token the SDK needs, as the token cache shows it: local evidence.
    if let Some(sso) = &f.sso {
        let expired = c
            .refresh_limit
            .as_ref()
            .filter(|l| l.kind == RefreshLimitKind::SsoToken)
            .and_then(|l| l.until)
            .filter(|until| *until <= f.checked_at);
        let reason = if !sso.token_found {
            Some(Reason::NoSsoToken { source: c.source })
        } else {
            expired.map(|at| Reason::SsoTokenExpired {
                source: c.source,
                at,
            })
        };
        if let Some(reason) = reason {
            return Finding::new(Status::Fail, reason)
                .notes(c.origin().map(|origin| Note::Origin { origin }))
                .notes(warnings)
                .fix(Fix::SsoLogin { profile });
        }
    }
    // The SDK's own provider, live: a refusal is what the job would hit at its first call;
    // silence (a timeout, a network failure, a garbled or oversized reply) leaves what the
    // files say standing, not verified.
    match super::provider(f) {
        Provider::Refused(probe) => {
            let mut finding = Finding::new(
                Status::Fail,
                Reason::ProviderFailed {
                    source: c.source,
                    probe: probe.clone(),
                },
            )
            .notes(warnings);
            if c.source == Source::Sso || f.sso.is_some() {
                finding = finding.fix(Fix::SsoLogin { profile });
            } else if c.source == Source::None {
                finding = finding.fix(Fix::ConfigureCredentials { profile: None });
            }
            return finding;
        }
        Provider::Unverified(probe) if c.source == Source::None => {
            return Finding::new(
                Status::Error,
                Reason::NothingFoundLocallyUnverified {
                    probe: probe.clone(),
                },
            )
            .notes(c.origin().map(|origin| Note::Origin { origin }))
            .notes(warnings);
        }
        Provider::Unverified(probe) => {
            return Finding::new(
                Status::Error,
                Reason::NotVerified {
                    source: c.source,
                    probe: probe.clone(),
                },
            )
            .notes(c.origin().map(|origin| Note::Origin { origin }))
            .notes(warnings);
        }
        Provider::Answered => {}
    }
    if c.source == Source::WebIdentity
        && let Some(p) = token_problems.first()
    {
        return Finding::new(
            Status::Fail,
            Reason::WebIdentityTokenUnreadable {
                problem: (*p).clone(),
            },
        )
        .notes(warnings);
    }

    if c.source == Source::None {
        if let Some(p) = profile_problems.first() {
            let profile = f.profile_chain.first().map(|h| h.profile.clone());
            return Finding::new(
                Status::Fail,
                Reason::ProfileBroken {
                    problem: (*p).clone(),
                },
            )
            .notes(profile_problems.iter().skip(1).map(|p| problem_note(p)))
            .notes(warnings)
            .fix(Fix::RepairConfig {
                problem: (*p).clone(),
                file: None,
            })
            .fix(Fix::ConfigureCredentials { profile });
        }
        let origin = c.origin().map(|origin| Note::Origin { origin });
        let reason = if !f.imds_disabled && f.offline {
            (Status::Warn, Reason::NothingFoundOffline)
        } else {
            (Status::Fail, Reason::NothingFound)
        };
        return Finding::new(reason.0, reason.1)
            .notes(origin)
            .notes(warnings)
            .fix(Fix::ConfigureCredentials { profile: None });
    }

    let refresh = match (c.auto_refresh, c.temporary) {
        (_, Some(false)) => Refresh::DoesNotExpire,
        (Some(true), _) => Refresh::Refreshed,
        (Some(false), _) => Refresh::Never,
        (None, _) => Refresh::Unknown,
    };
    let mut finding = Finding::new(
        Status::Pass,
        Reason::Found {
            source: c.source,
            temporary: c.temporary,
            access_key_id: c.access_key_id.clone(),
            refresh,
        },
    )
    .notes(c.origin().map(|origin| Note::Origin { origin }));
    if !c.shadowed_sources.is_empty() {
        finding = finding.note(Note::Shadowed {
            sources: c.shadowed_sources.clone(),
        });
    }
    if c.source == Source::Environment
        && let Some(p) = &c.shadowed_profile
    {
        finding = finding.note(Note::ExportsWinOverProfile { profile: p.clone() });
    }
    // `aws login` sessions need an SDK built with the feature that reads them.
    if c.source == Source::Login {
        finding.status = Status::Warn;
        finding = finding.note(Note::LoginSessionNeedsFeature);
    }
    let soft: Vec<Note> = profile_problems
        .iter()
        .chain(token_problems.iter())
        .map(|p| problem_note(p))
        .chain(warnings)
        .collect();
    if !soft.is_empty() {
        finding.status = Status::Warn;
        finding = finding.notes(soft);
    }
    finding
}

fn problem_note(p: &Problem) -> Note {
    Note::Problem { problem: p.clone() }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts() -> Facts {
        Facts::empty("2026-11-23T13:31:00Z".parse().unwrap())
    }

    #[test]
    fn nothing_found_with_imds_disabled_fails() {
        let mut f = facts();
        f.imds_disabled = true;
        let r = check(&f, &Options::default());
        assert_eq!(r.status, Status::Fail);
        assert_eq!(r.fixes[0].id(), crate::fixes::FixId::ConfigureCredentials);
    }

    #[test]
    fn nothing_found_locally_offline_is_only_a_warning_on_a_possible_ec2_host() {
        let mut f = facts();
        f.offline = true;
        let r = check(&f, &Options::default());
        assert_eq!(
            (r.status, r.reason.kind().as_str()),
            (Status::Warn, "nothing-found-offline")
        );
    }

    #[test]
    fn a_config_parse_error_fails_naming_file_and_line_even_with_credentials() {
        let mut f = facts();
        f.credentials.source = Source::Environment;
        f.problems.push(
            Problem::new(
                ProblemKind::ConfigFile,
                "/home/me/.aws/config",
                "Invalid profile definition",
            )
            .at_line(Some(7)),
        );
        let r = check(&f, &Options::default());
        assert_eq!(r.status, Status::Fail);
        match r.reason {
            super::super::Reason::CredentialSource(Reason::ConfigUnusable { problem }) => {
                assert_eq!(
                    (problem.subject.as_str(), problem.line),
                    ("/home/me/.aws/config", Some(7))
                )
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn exported_session_credentials_pass_but_say_they_never_refresh() {
        let mut f = facts();
        f.credentials.source = Source::Environment;
        f.credentials.temporary = Some(true);
        f.credentials.auto_refresh = Some(false);
        f.credentials.access_key_id = Some(KeyId::redact("ASIAEXAMPLEKEYIDWXYZ"));
        let r = check(&f, &Options::default());
        assert_eq!(r.status, Status::Pass);
        assert_eq!(
            r.reason,
            super::super::Reason::CredentialSource(Reason::Found {
                source: Source::Environment,
                temporary: Some(true),
                access_key_id: Some(KeyId::redact("ASIAEXAMPLEKEYIDWXYZ")),
                refresh: Refresh::Never,
            })
        );
    }

    #[test]
    fn a_failing_credential_process_fails() {
        let mut f = facts();
        f.credentials.source = Source::CredentialProcess;
        f.problems.push(Problem::new(
            ProblemKind::CredentialProcess,
            "credential_process of profile p",
            "exited with status 1",
        ));
        assert_eq!(check(&f, &Options::default()).status, Status::Fail);
        let mut f = facts();
        f.credentials.source = Source::CredentialProcess;
        f.problems.push(Problem::new(
            ProblemKind::Deadline,
            "credential_process of profile p",
            "did not finish",
        ));
        assert_eq!(check(&f, &Options::default()).status, Status::Error);
    }
}
