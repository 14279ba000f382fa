//! `session-limit`: what session length the role can give — MaxSessionDuration (iam:GetRole or
//! `--max-session-duration`), the 1 h role chaining cap, and the profile's `duration_seconds`
//! against both; and, with `--role-arn`, whether a session of that role can last the job.

use super::{Doc, Finding, Note, Options, Status};
use crate::aws::{Failure, limits};
use crate::facts::{ErrorClass, Facts, HopKind, IdentityType, ProbeKind, Sdk, Source};
use crate::fixes::Fix;
use serde::Serialize;

pub const DOC: Doc = Doc {
    what: "Compares what the profile asks for (duration_seconds) with what the role allows \
           (MaxSessionDuration, from iam:GetRole or --max-session-duration) and with the 1 h cap \
           on chained sessions (a role assumed with another role's credentials). With \
           --role-arn, answers whether any session of that role can last the job.",
    why: "AssumeRole refuses a DurationSeconds above the role's MaxSessionDuration, outside \
          900–43200 s, or above 3600 s when chained, so the job fails at its first refresh; and \
          the AWS CLI and boto3 honour duration_seconds while aws-config (Rust) and the Java SDK \
          2.x ignore it, so the same profile gives different jobs different lifetimes. \
          IAM Identity Center roles (AWSReservedSSO_*) report 12 h from GetRole, but their \
          sessions last the permission set's session duration.",
    fix: "Raise the role's MaxSessionDuration (raise-max-session-duration), ask for a valid \
          duration (request-longer-session), or assume the role directly instead of chaining \
          (avoid-role-chaining). Without iam:GetRole, state the limit with \
          --max-session-duration.",
};

/// Why `session-limit` reached its status. `role` is `None` when the role's name is unknown.
#[derive(Clone, Debug, PartialEq, Serialize, strum::EnumDiscriminants)]
#[serde(tag = "kind", rename_all = "kebab-case")]
#[strum_discriminants(
    name(ReasonKind),
    derive(strum::EnumIter, strum::IntoStaticStr),
    strum(serialize_all = "kebab-case")
)]
pub enum Reason {
    NoCredentials,
    /// GetFederationToken: up to 36 h, no role.
    FederatedUserSession,
    /// GetSessionToken: up to 36 h, no role.
    UserSession,
    /// Long-term IAM user keys: no role, no session.
    LongTermUserKeys,
    /// The account's root user.
    RootUser,
    /// An IAM Identity Center role: its permission set's session duration bounds it.
    IdentityCenterRole,
    /// `duration_seconds` outside AssumeRole's range.
    DurationOutOfRange {
        asked: i64,
        profile: Option<String>,
    },
    /// `duration_seconds` above 1 h on a chained session.
    DurationAboveChainCap {
        asked: i64,
        profile: Option<String>,
    },
    /// `duration_seconds` above 1 h, and the source may be a role session.
    DurationMayExceedChainCap {
        asked: i64,
        profile: Option<String>,
    },
    /// `duration_seconds` above the role's MaxSessionDuration.
    DurationAboveMax {
        asked: i64,
        profile: Option<String>,
        role: Option<String>,
        max: i64,
    },
    /// `--role-arn`: no session of the role lasts the job.
    PlannedTooShort {
        role: Option<String>,
        bound: i64,
        why: PlanBound,
        runtime_seconds: i64,
    },
    /// MaxSessionDuration unknown: iam:GetRole is not allowed.
    MaxUnknownGetRoleDenied {
        role: Option<String>,
        role_arn: Option<String>,
    },
    /// MaxSessionDuration unknown: iam:GetRole failed.
    MaxUnknownGetRoleFailed {
        role: Option<String>,
        probe: crate::facts::Probe,
    },
    /// The role behind exported credentials is not known.
    ExportedRoleUnknown {
        offline: bool,
    },
    /// No role is assumed.
    NoRole {
        source: Source,
    },
    /// `--role-arn`: the role's sessions are long, but a session assumed with the current
    /// credentials is chained.
    PlannedChained {
        role: Option<String>,
        max: i64,
    },
    /// A chained session, capped at 1 h.
    Chained {
        role: Option<String>,
    },
    /// Sessions up to `max`.
    SessionsUpTo {
        role: Option<String>,
        max: i64,
    },
    /// MaxSessionDuration unknown (pass --max-session-duration).
    MaxUnknown {
        role: Option<String>,
        offline: bool,
    },
}

/// What bounds a planned role's sessions.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum PlanBound {
    MaxSessionDuration { max: i64 },
    Chained,
}

pub fn check(f: &Facts, opts: &Options) -> Finding {
    let l = &f.session_limit;
    let c = &f.credentials;
    if c.source == Source::None && l.role_arn.is_none() {
        return Finding::new(Status::Skip, Reason::NoCredentials);
    }
    let role = l.role_name.clone();
    let sso_reserved = l.role_name.as_deref().is_some_and(limits::is_sso_role)
        || (!l.planned
            && f.identity
                .role_name
                .as_deref()
                .is_some_and(limits::is_sso_role));

    if !l.planned {
        if let Some(f) = principal_without_role(f) {
            return f;
        }
        if c.source == Source::Sso || sso_reserved {
            return Finding::new(Status::Pass, Reason::IdentityCenterRole)
                .note(Note::SsoTokenRefreshes)
                .note(Note::ReadPermissionSet);
        }
    }

    let mut problems: Vec<Finding> = Vec::new();
    let mut notes: Vec<Note> = Vec::new();
    if let Some(max) = l.max_session_duration_seconds {
        notes.push(Note::MaxSessionDuration {
            role: role.clone(),
            seconds: max,
            source: l.max_session_duration_source,
        });
    }
    if sso_reserved {
        notes.push(Note::IdentityCenterRole { role: role.clone() });
    }
    if let Some(why) = l.chaining() {
        notes.push(Note::Chaining {
            chained: l.role_chaining,
            why,
        });
    }
    let get_role_failed = f.probe(ProbeKind::GetRole).filter(|p| p.error.is_some());
    if let Some(probe) = get_role_failed {
        notes.push(Note::ProbeFailed {
            probe: probe.clone(),
        });
    }

    if let Some(asked) = l.configured_duration_seconds {
        match f.sdk {
            // botocore sends it: AssumeRole refuses what the role cannot give. (Facts of an
            // older report do not say whose they are: the strict rule.)
            Some(Sdk::Python) | None => duration_seconds_rules(f, asked, &mut problems, &mut notes),
            // aws-config's profile provider never reads it: it asks for the 1 h default.
            Some(Sdk::Rust) => notes.push(Note::DurationIgnored {
                asked,
                profile: l.configured_in_profile.clone(),
            }),
        }
    }
    if l.planned
        && let Some(runtime) = opts.expected_runtime
    {
        plan_rules(
            f,
            runtime
                .checked_add(&opts.margin)
                .unwrap_or(chrono::TimeDelta::MAX)
                .num_seconds(),
            runtime.num_seconds(),
            &mut problems,
        );
    }

    if let Some(worst) = problems
        .iter()
        .position(|p| p.status == Status::Fail)
        .or(if problems.is_empty() { None } else { Some(0) })
    {
        let mut main = problems.remove(worst);
        for other in problems {
            if let super::Reason::SessionLimit(reason) = other.reason {
                main.notes.push(Note::AlsoSessionLimit { reason });
            }
            main.fixes.extend(other.fixes);
        }
        main.notes.extend(notes);
        return main;
    }

    if l.max_session_duration_seconds.is_none()
        && let Some(probe) = get_role_failed
        && let Some(e) = &probe.error
    {
        let (status, reason) = match e.class {
            ErrorClass::Refused(Failure::AccessDenied) => (
                Status::Skip,
                Reason::MaxUnknownGetRoleDenied {
                    role: role.clone(),
                    role_arn: l.role_arn.clone(),
                },
            ),
            _ => (
                Status::Error,
                Reason::MaxUnknownGetRoleFailed {
                    role: role.clone(),
                    probe: probe.clone(),
                },
            ),
        };
        return Finding::new(status, reason).notes(notes);
    }

    let known = l.max_session_duration_seconds.is_some()
        || l.role_chaining.is_some()
        || l.configured_duration_seconds.is_some();
    if l.role_arn.is_none() && l.role_name.is_none() && !known {
        return Finding::new(
            Status::Skip,
            match c.source {
                // Long-term keys are an IAM user's (or the root user's): no role at all.
                _ if c.temporary == Some(false) => Reason::LongTermUserKeys,
                Source::Environment => Reason::ExportedRoleUnknown { offline: f.offline },
                source => Reason::NoRole { source },
            },
        );
    }
    let reason = match (l.max_session_duration_seconds, l.role_chaining) {
        (Some(max), Some(true)) if l.planned => Reason::PlannedChained { role, max },
        (_, Some(true)) => Reason::Chained { role },
        (Some(max), _) => Reason::SessionsUpTo { role, max },
        (None, _) => {
            return Finding::new(
                Status::Skip,
                Reason::MaxUnknown {
                    role,
                    offline: f.offline,
                },
            )
            .notes(notes);
        }
    };
    Finding::new(Status::Pass, reason).notes(notes)
}

/// Principals whose sessions no role bounds: IAM users, root, and the 36 h sessions of
/// GetSessionToken and GetFederationToken (which cannot call IAM at all).
fn principal_without_role(f: &Facts) -> Option<Finding> {
    let temporary = f.credentials.temporary == Some(true);
    match f.identity.kind? {
        IdentityType::FederatedUser => Some(
            Finding::new(Status::Pass, Reason::FederatedUserSession)
                .note(Note::CannotCallIam { federated: true }),
        ),
        IdentityType::User if temporary => Some(
            Finding::new(Status::Pass, Reason::UserSession)
                .note(Note::CannotCallIam { federated: false }),
        ),
        IdentityType::User => Some(Finding::new(Status::Skip, Reason::LongTermUserKeys)),
        IdentityType::Root => Some(Finding::new(Status::Skip, Reason::RootUser)),
        IdentityType::AssumedRole => None,
    }
}

fn duration_seconds_rules(
    f: &Facts,
    asked: i64,
    problems: &mut Vec<Finding>,
    notes: &mut Vec<Note>,
) {
    let first = problems.len();
    let l = &f.session_limit;
    let profile = l.configured_in_profile.clone();
    let base_profile = f
        .profile_chain
        .iter()
        .rev()
        .find(|h| h.kind == HopKind::StaticKeys)
        .map(|h| h.profile.clone());
    let in_range = (limits::ASSUME_ROLE_MIN..=limits::LONGEST_ROLE_SESSION).contains(&asked);
    let above_chain_cap = asked > limits::CHAINED_SESSION_MAX;
    if !in_range {
        problems.push(
            Finding::new(
                Status::Fail,
                Reason::DurationOutOfRange {
                    asked,
                    profile: profile.clone(),
                },
            )
            .fix(Fix::RequestLongerSession {
                profile: profile.clone(),
                role_arn: l.role_arn.clone(),
                needed_seconds: asked.clamp(limits::ASSUME_ROLE_MIN, limits::LONGEST_ROLE_SESSION),
            }),
        );
    } else if l.role_chaining == Some(true) && above_chain_cap {
        problems.push(
            Finding::new(
                Status::Fail,
                Reason::DurationAboveChainCap {
                    asked,
                    profile: profile.clone(),
                },
            )
            .fix(Fix::AvoidRoleChaining {
                role_arn: l.role_arn.clone(),
                base_profile,
            }),
        );
    } else if l.role_chaining.is_none() && above_chain_cap && l.chaining().is_some() {
        problems.push(Finding::new(
            Status::Warn,
            Reason::DurationMayExceedChainCap {
                asked,
                profile: profile.clone(),
            },
        ));
    }
    if let Some(max) = l.max_session_duration_seconds
        && asked > max
        && in_range
    {
        problems.push(
            Finding::new(
                Status::Fail,
                Reason::DurationAboveMax {
                    asked,
                    profile: profile.clone(),
                    role: l.role_name.clone(),
                    max,
                },
            )
            .fix(Fix::RaiseMaxSessionDuration {
                role: l.role_name.clone().unwrap_or_else(|| "the role".into()),
                needed_seconds: asked,
                request: None,
            }),
        );
    }
    // The least change for all three: delete duration_seconds. The SDK refreshes a role
    // profile, so the 1 h default it then asks for never ends the job.
    if let Some(p) = &profile {
        for fnd in problems[first..]
            .iter_mut()
            .filter(|x| x.status == Status::Fail)
        {
            fnd.fixes
                .insert(0, Fix::DeleteDurationSeconds { profile: p.clone() });
        }
    }
    notes.push(Note::DurationHonouredBy { asked, profile });
}

/// `--role-arn`: can one session of the planned role last runtime + margin?
fn plan_rules(f: &Facts, need_s: i64, runtime_s: i64, problems: &mut Vec<Finding>) {
    let l = &f.session_limit;
    let mut bounds: Vec<(i64, PlanBound)> = Vec::new();
    if let Some(max) = l.max_session_duration_seconds {
        bounds.push((max, PlanBound::MaxSessionDuration { max }));
    }
    if l.role_chaining == Some(true) {
        bounds.push((limits::CHAINED_SESSION_MAX, PlanBound::Chained));
    }
    let Some((bound, why)) = bounds.into_iter().min_by_key(|b| b.0) else {
        return;
    };
    if need_s <= bound {
        return;
    }
    let mut fnd = Finding::new(
        Status::Fail,
        Reason::PlannedTooShort {
            role: l.role_name.clone(),
            bound,
            why,
            runtime_seconds: runtime_s,
        },
    );
    if need_s > limits::LONGEST_ROLE_SESSION {
        fnd = fnd.fix(Fix::SplitOrCheckpointJob {
            runtime_seconds: need_s,
            longest_seconds: limits::LONGEST_ROLE_SESSION,
        });
    } else {
        if l.role_chaining == Some(true) {
            fnd = fnd.fix(Fix::AvoidRoleChaining {
                role_arn: l.role_arn.clone(),
                base_profile: None,
            });
        }
        if l.max_session_duration_seconds.is_some_and(|m| m < need_s) {
            fnd = fnd.fix(Fix::RaiseMaxSessionDuration {
                role: l.role_name.clone().unwrap_or_else(|| "the role".into()),
                needed_seconds: need_s,
                request: None,
            });
        }
        fnd = fnd.fix(Fix::RequestLongerSession {
            profile: None,
            role_arn: l.role_arn.clone(),
            needed_seconds: need_s,
        });
    }
    problems.push(fnd);
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeDelta;

    fn role_facts() -> Facts {
        let mut f = Facts::empty("2026-11-23T13:31:00Z".parse().unwrap());
        f.credentials.source = Source::AssumeRole;
        f.credentials.profile = Some("job".into());
        f.session_limit.role_arn = Some("arn:aws:iam::123456789012:role/etl".into());
        f.session_limit.role_name = Some("etl".into());
        f
    }

    fn hours(h: i64) -> Options {
        Options {
            expected_runtime: Some(TimeDelta::hours(h)),
            ..Options::default()
        }
    }

    #[test]
    fn chained_profile_asking_for_two_hours_fails() {
        let mut f = role_facts();
        f.session_limit.role_chaining = Some(true);
        f.session_limit.chaining = Some(crate::facts::Chaining::ProfileHop {
            profile: "job".into(),
            role_arn: "arn:aws:iam::123456789012:role/etl".into(),
            via_profile: "hop".into(),
            via_role_arn: "arn:aws:iam::123456789012:role/hop".into(),
        });
        f.sdk = Some(Sdk::Python);
        f.session_limit.configured_duration_seconds = Some(7200);
        f.session_limit.configured_in_profile = Some("job".into());
        let r = check(&f, &Options::default());
        assert_eq!(r.status, Status::Fail);
        assert_eq!(r.reason.kind(), "duration-above-chain-cap");
        // The least change first: delete duration_seconds (the SDK re-assumes every hour);
        // assuming the role without chaining is the alternative.
        assert_eq!(
            r.fixes[0],
            crate::fixes::Fix::DeleteDurationSeconds {
                profile: "job".into()
            }
        );
        assert_eq!(r.fixes[1].id(), crate::fixes::FixId::AvoidRoleChaining);
        assert!(
            r.notes
                .iter()
                .any(|n| matches!(n, Note::DurationHonouredBy { asked: 7200, .. }))
        );
    }

    #[test]
    fn aws_config_ignores_duration_seconds_and_asks_for_one_hour() {
        let mut f = role_facts();
        f.sdk = Some(Sdk::Rust);
        f.session_limit.role_chaining = Some(true);
        f.session_limit.configured_duration_seconds = Some(7200);
        f.session_limit.configured_in_profile = Some("job".into());
        let r = check(&f, &Options::default());
        assert_ne!(r.reason.kind(), "duration-above-chain-cap");
        assert!(
            r.notes
                .iter()
                .any(|n| matches!(n, Note::DurationIgnored { asked: 7200, .. }))
        );
    }

    #[test]
    fn duration_above_max_session_fails_with_update_role_command() {
        let mut f = role_facts();
        f.session_limit.role_chaining = Some(false);
        f.session_limit.max_session_duration_seconds = Some(3600);
        f.session_limit.max_session_duration_source = Some(crate::facts::LimitSource::Flag);
        f.sdk = Some(Sdk::Python);
        f.session_limit.configured_duration_seconds = Some(21_600);
        let r = check(&f, &Options::default());
        assert_eq!(r.status, Status::Fail);
        assert_eq!(
            r.fixes[0],
            Fix::RaiseMaxSessionDuration {
                role: "etl".into(),
                needed_seconds: 21_600,
                request: None,
            }
        );
    }

    #[test]
    fn duration_outside_assume_role_range_fails() {
        let mut f = role_facts();
        f.sdk = Some(Sdk::Python);
        f.session_limit.configured_duration_seconds = Some(100_000);
        assert_eq!(check(&f, &Options::default()).status, Status::Fail);
        f.sdk = Some(Sdk::Python);
        f.session_limit.configured_duration_seconds = Some(600);
        assert_eq!(check(&f, &Options::default()).status, Status::Fail);
    }

    #[test]
    fn consistent_settings_pass() {
        let mut f = role_facts();
        f.session_limit.role_chaining = Some(false);
        f.session_limit.max_session_duration_seconds = Some(43_200);
        f.sdk = Some(Sdk::Python);
        f.session_limit.configured_duration_seconds = Some(21_600);
        let r = check(&f, &Options::default());
        assert_eq!(r.status, Status::Pass);
        assert_eq!(
            r.reason,
            super::super::Reason::SessionLimit(Reason::SessionsUpTo {
                role: Some("etl".into()),
                max: 43_200
            })
        );
    }

    #[test]
    fn planning_a_role_compares_its_limit_with_the_runtime() {
        let mut f = role_facts();
        f.credentials.source = Source::Environment;
        f.credentials.temporary = Some(false);
        f.session_limit.planned = true;
        f.session_limit.role_chaining = Some(false);
        f.session_limit.max_session_duration_seconds = Some(3600);
        let r = check(&f, &hours(6));
        assert_eq!(r.status, Status::Fail);
        assert_eq!(
            r.reason,
            super::super::Reason::SessionLimit(Reason::PlannedTooShort {
                role: Some("etl".into()),
                bound: 3600,
                why: PlanBound::MaxSessionDuration { max: 3600 },
                runtime_seconds: 6 * 3600
            })
        );
        assert_eq!(
            r.fixes[0].id(),
            crate::fixes::FixId::RaiseMaxSessionDuration
        );
        f.session_limit.max_session_duration_seconds = Some(43_200);
        assert_eq!(check(&f, &hours(6)).status, Status::Pass);
        f.session_limit.role_chaining = Some(true);
        let r = check(&f, &hours(6));
        assert_eq!(r.status, Status::Fail);
        assert_eq!(r.fixes[0].id(), crate::fixes::FixId::AvoidRoleChaining);
        assert_eq!(
            check(&f, &hours(14)).fixes[0].id(),
            crate::fixes::FixId::SplitOrCheckpointJob
        );
    }

    #[test]
    fn principals_without_a_role() {
        let mut f = role_facts();
        f.credentials.source = Source::Environment;
        f.credentials.temporary = Some(true);
        f.identity.kind = Some(IdentityType::FederatedUser);
        assert_eq!(
            check(&f, &Options::default()).reason.kind(),
            "federated-user-session"
        );
        f.identity.kind = Some(IdentityType::User);
        assert_eq!(check(&f, &Options::default()).reason.kind(), "user-session");
    }

    #[test]
    fn sso_reserved_roles_are_bounded_by_the_permission_set() {
        let mut f = role_facts();
        f.identity.kind = Some(IdentityType::AssumedRole);
        f.identity.role_name = Some("AWSReservedSSO_Admin_0123456789abcdef".into());
        let r = check(&f, &Options::default());
        assert_eq!(r.reason.kind(), "identity-center-role");
        assert!(r.notes.contains(&Note::ReadPermissionSet));
    }
}
