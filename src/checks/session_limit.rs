//! `session-limit`: what session length the role can give — MaxSessionDuration (iam:GetRole or
//! `--max-session-duration`), the 1 h role chaining cap, and the profile's `duration_seconds`
//! against both; and, with `--role-arn`, whether a session of that role can last the job.

use super::{CheckId, Doc, Finding, Options, Status};
use crate::facts::{ErrorClass, Facts, IdentityType, LimitSource, ProbeKind, Source};
use crate::fixes;
use crate::human;

/// AssumeRole's DurationSeconds range.
pub const MIN_DURATION: i64 = 900;
pub const MAX_DURATION: i64 = 43_200;
/// A chained AssumeRole is capped at one hour.
pub const CHAINED_MAX: i64 = 3600;
/// GetSessionToken and GetFederationToken sessions last up to 36 hours.
pub const USER_SESSION_MAX: i64 = 129_600;

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

const DESCRIBE_PERMISSION_SET: &str = "aws sso-admin describe-permission-set --instance-arn <INSTANCE_ARN> \
     --permission-set-arn <PERMISSION_SET_ARN> --query PermissionSet.SessionDuration";

pub fn check(f: &Facts, opts: &Options) -> Finding {
    let id = CheckId::SessionLimit;
    let l = &f.session_limit;
    let c = &f.credentials;
    if c.source == Source::None && l.role_arn.is_none() {
        return Finding::new(id, Status::Skip, "no credentials");
    }
    let role = l.role_name.clone().unwrap_or_else(|| "the role".into());
    let sso_reserved = l
        .role_name
        .as_deref()
        .is_some_and(|r| r.starts_with("AWSReservedSSO_"))
        || (!l.planned
            && f.identity
                .role_name
                .as_deref()
                .is_some_and(|r| r.starts_with("AWSReservedSSO_")));

    if !l.planned {
        if let Some(f) = principal_without_role(f) {
            return f;
        }
        if c.source == Source::Sso || sso_reserved {
            return Finding::new(
                id,
                Status::Pass,
                "IAM Identity Center role: its sessions last the permission set's session duration \
                 (1h by default, 12h at most), whatever iam:GetRole says",
            )
            .detail("the SDK fetches new role credentials with the SSO token as they expire")
            .detail(format!("read it: {DESCRIBE_PERMISSION_SET}"));
        }
    }

    let mut problems: Vec<Finding> = Vec::new();
    let mut notes: Vec<String> = Vec::new();
    if let Some(max) = l.max_session_duration_seconds {
        notes.push(format!(
            "{role}'s MaxSessionDuration: {} ({})",
            human::duration(max),
            match l.max_session_duration_source {
                Some(LimitSource::Flag) => "--max-session-duration",
                Some(LimitSource::GetRole) => "iam:GetRole",
                None => "reported",
            }
        ));
    }
    if sso_reserved {
        notes.push(format!(
            "{role} is an IAM Identity Center role: the permission set's session duration bounds its \
             sessions, not GetRole's 12h ({DESCRIBE_PERMISSION_SET})"
        ));
    }
    if let Some(reason) = &l.chaining_reason {
        notes.push(match l.role_chaining {
            Some(true) => format!("role chaining: {reason}; sessions are capped at 1h"),
            _ => reason.clone(),
        });
    }
    let get_role_error = f
        .probe(ProbeKind::GetRole)
        .and_then(|p| p.error.clone().map(|e| (p.target.clone(), e)));
    if let Some((target, e)) = &get_role_error {
        notes.push(format!("{target}: {}", e.message));
    }

    if let Some(asked) = l.configured_duration_seconds {
        duration_seconds_rules(f, asked, &role, &mut problems, &mut notes);
    }
    if l.planned
        && let Some(runtime) = opts.expected_runtime
    {
        plan_rules(
            f,
            (runtime + opts.margin).num_seconds(),
            runtime.num_seconds(),
            &role,
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
            main.details.push(other.summary);
            main.fixes.extend(other.fixes);
        }
        main.details.extend(notes);
        return main;
    }

    if l.max_session_duration_seconds.is_none()
        && let Some((_, e)) = &get_role_error
    {
        let (status, summary) = match e.class {
            ErrorClass::AccessDenied => (
                Status::Skip,
                format!(
                    "{role}: MaxSessionDuration unknown: iam:GetRole is not allowed; pass \
                     --max-session-duration, or allow iam:GetRole on {}",
                    l.role_arn.clone().unwrap_or_else(|| format!("role {role}"))
                ),
            ),
            _ => (
                Status::Error,
                format!("{role}: MaxSessionDuration unknown: {}", e.message),
            ),
        };
        return Finding::new(id, status, summary).details(notes);
    }

    let known = l.max_session_duration_seconds.is_some()
        || l.role_chaining.is_some()
        || l.configured_duration_seconds.is_some();
    if l.role_arn.is_none() && l.role_name.is_none() && !known {
        return Finding::new(
            id,
            Status::Skip,
            match c.source {
                Source::Environment if f.offline => {
                    "the role behind the exported credentials is not known offline".to_string()
                }
                Source::Environment => {
                    "the role behind the exported credentials is not known".to_string()
                }
                _ => format!("no role is assumed ({})", c.source),
            },
        );
    }
    let summary = match (l.max_session_duration_seconds, l.role_chaining) {
        (Some(max), Some(true)) if l.planned => format!(
            "{role}: sessions up to {}, but assumed with the current credentials a session is capped at 1h",
            human::duration(max)
        ),
        (_, Some(true)) => format!("{role}: chained session, capped at 1h"),
        (Some(max), _) => format!("{role}: sessions up to {}", human::duration(max)),
        (None, _) => {
            return Finding::new(
                id,
                Status::Skip,
                format!(
                    "{role}: MaxSessionDuration unknown{} (pass --max-session-duration)",
                    if f.offline { " offline" } else { "" }
                ),
            )
            .details(notes);
        }
    };
    Finding::new(id, Status::Pass, summary).details(notes)
}

/// Principals whose sessions no role bounds: IAM users, root, and the 36 h sessions of
/// GetSessionToken and GetFederationToken (which cannot call IAM at all).
fn principal_without_role(f: &Facts) -> Option<Finding> {
    let id = CheckId::SessionLimit;
    let temporary = f.credentials.temporary == Some(true);
    match f.identity.kind? {
        IdentityType::FederatedUser => Some(
            Finding::new(
                id,
                Status::Pass,
                "federated-user session (GetFederationToken): up to 36h, bounded by no role",
            )
            .detail("these credentials cannot call IAM, so no GetRole was attempted"),
        ),
        IdentityType::User if temporary => Some(
            Finding::new(
                id,
                Status::Pass,
                "IAM user session (GetSessionToken): up to 36h, bounded by no role",
            )
            .detail("session-token credentials cannot call IAM without MFA, so no GetRole was attempted"),
        ),
        IdentityType::User => Some(Finding::new(id, Status::Skip, "no role: long-term IAM user keys")),
        IdentityType::Root => Some(Finding::new(id, Status::Skip, "no role: the account's root user")),
        IdentityType::AssumedRole => None,
    }
}

fn duration_seconds_rules(
    f: &Facts,
    asked: i64,
    role: &str,
    problems: &mut Vec<Finding>,
    notes: &mut Vec<String>,
) {
    let id = CheckId::SessionLimit;
    let l = &f.session_limit;
    let profile = l.configured_in_profile.clone();
    let where_ = profile
        .as_deref()
        .map(|p| format!(" in profile {p}"))
        .unwrap_or_default();
    let base_profile = f
        .profile_chain
        .iter()
        .rev()
        .find(|h| h.kind == "static-keys")
        .map(|h| h.profile.clone());
    if !(MIN_DURATION..=MAX_DURATION).contains(&asked) {
        problems.push(
            Finding::new(
                id,
                Status::Fail,
                format!(
                    "duration_seconds = {asked}{where_} is outside AssumeRole's 900–43200 range: \
                     AssumeRole fails with ValidationError"
                ),
            )
            .fix(fixes::request_longer_session(
                profile.as_deref(),
                l.role_arn.as_deref(),
                asked.clamp(MIN_DURATION, MAX_DURATION),
            )),
        );
    } else if l.role_chaining == Some(true) && asked > CHAINED_MAX {
        problems.push(
            Finding::new(
                id,
                Status::Fail,
                format!(
                    "duration_seconds = {asked}{where_} asks for {} but the session is chained: \
                     AssumeRole refuses more than 1h",
                    human::duration(asked)
                ),
            )
            .fix(fixes::avoid_role_chaining(
                l.role_arn.as_deref(),
                base_profile.as_deref(),
            )),
        );
    } else if l.role_chaining.is_none() && asked > CHAINED_MAX && l.chaining_reason.is_some() {
        problems.push(Finding::new(
            id,
            Status::Warn,
            format!(
                "duration_seconds = {asked}{where_} asks for {}; if the source credentials are a \
                 role session, AssumeRole refuses more than 1h",
                human::duration(asked)
            ),
        ));
    }
    if let Some(max) = l.max_session_duration_seconds
        && asked > max
        && (MIN_DURATION..=MAX_DURATION).contains(&asked)
    {
        problems.push(
            Finding::new(
                id,
                Status::Fail,
                format!(
                    "duration_seconds = {asked}{where_} exceeds {role}'s MaxSessionDuration of {}: \
                     AssumeRole fails with ValidationError",
                    human::duration(max)
                ),
            )
            .fix(fixes::raise_max_session_duration(role, asked)),
        );
    }
    notes.push(format!(
        "duration_seconds = {asked}{where_} is honoured by the AWS CLI and boto3; aws-config \
         (Rust) and the AWS SDK for Java 2.x ignore it and ask for 1h (aws-sdk-java-v2#5695)"
    ));
}

/// `--role-arn`: can one session of the planned role last runtime + margin?
fn plan_rules(f: &Facts, need_s: i64, runtime_s: i64, role: &str, problems: &mut Vec<Finding>) {
    let id = CheckId::SessionLimit;
    let l = &f.session_limit;
    let mut bounds: Vec<(i64, String)> = Vec::new();
    if let Some(max) = l.max_session_duration_seconds {
        bounds.push((
            max,
            format!("its MaxSessionDuration is {}", human::duration(max)),
        ));
    }
    if l.role_chaining == Some(true) {
        bounds.push((
            CHAINED_MAX,
            "assumed with the current credentials it is chained (1h cap)".into(),
        ));
    }
    let Some((bound, why)) = bounds.into_iter().min_by_key(|b| b.0) else {
        return;
    };
    if need_s <= bound {
        return;
    }
    let mut fnd = Finding::new(
        id,
        Status::Fail,
        format!(
            "a session of {role} lasts at most {} ({why}); the job needs {}",
            human::duration(bound),
            human::duration(runtime_s)
        ),
    );
    if need_s > MAX_DURATION {
        fnd = fnd.fix(fixes::split_or_checkpoint_job(need_s, MAX_DURATION));
    } else {
        if l.role_chaining == Some(true) {
            fnd = fnd.fix(fixes::avoid_role_chaining(l.role_arn.as_deref(), None));
        }
        if l.max_session_duration_seconds.is_some_and(|m| m < need_s) {
            fnd = fnd.fix(fixes::raise_max_session_duration(role, need_s));
        }
        fnd = fnd.fix(fixes::request_longer_session(
            None,
            l.role_arn.as_deref(),
            need_s,
        ));
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
        f.session_limit.chaining_reason = Some("profile job assumes etl with hop's session".into());
        f.session_limit.configured_duration_seconds = Some(7200);
        f.session_limit.configured_in_profile = Some("job".into());
        let r = check(&f, &Options::default());
        assert_eq!(r.status, Status::Fail);
        assert!(r.summary.contains("chained"), "{}", r.summary);
        assert_eq!(r.fixes[0].id, crate::fixes::FixId::AvoidRoleChaining);
        assert!(r.details.iter().any(|d| d.contains("aws-sdk-java-v2#5695")));
    }

    #[test]
    fn duration_above_max_session_fails_with_update_role_command() {
        let mut f = role_facts();
        f.session_limit.role_chaining = Some(false);
        f.session_limit.max_session_duration_seconds = Some(3600);
        f.session_limit.max_session_duration_source = Some(LimitSource::Flag);
        f.session_limit.configured_duration_seconds = Some(21_600);
        let r = check(&f, &Options::default());
        assert_eq!(r.status, Status::Fail);
        assert_eq!(
            r.fixes[0].commands,
            ["aws iam update-role --role-name etl --max-session-duration 21600"]
        );
    }

    #[test]
    fn duration_outside_assume_role_range_fails() {
        let mut f = role_facts();
        f.session_limit.configured_duration_seconds = Some(100_000);
        assert_eq!(check(&f, &Options::default()).status, Status::Fail);
        f.session_limit.configured_duration_seconds = Some(600);
        assert_eq!(check(&f, &Options::default()).status, Status::Fail);
    }

    #[test]
    fn consistent_settings_pass() {
        let mut f = role_facts();
        f.session_limit.role_chaining = Some(false);
        f.session_limit.max_session_duration_seconds = Some(43_200);
        f.session_limit.configured_duration_seconds = Some(21_600);
        let r = check(&f, &Options::default());
        assert_eq!(
            (r.status, r.summary.as_str()),
            (Status::Pass, "etl: sessions up to 12h")
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
        assert!(
            r.summary.starts_with("a session of etl lasts at most 1h"),
            "{}",
            r.summary
        );
        assert_eq!(r.fixes[0].id, crate::fixes::FixId::RaiseMaxSessionDuration);
        f.session_limit.max_session_duration_seconds = Some(43_200);
        assert_eq!(check(&f, &hours(6)).status, Status::Pass);
        f.session_limit.role_chaining = Some(true);
        let r = check(&f, &hours(6));
        assert_eq!(r.status, Status::Fail);
        assert_eq!(r.fixes[0].id, crate::fixes::FixId::AvoidRoleChaining);
        assert_eq!(
            check(&f, &hours(14)).fixes[0].id,
            crate::fixes::FixId::SplitOrCheckpointJob
        );
    }

    #[test]
    fn principals_without_a_role() {
        let mut f = role_facts();
        f.credentials.source = Source::Environment;
        f.credentials.temporary = Some(true);
        f.identity.kind = Some(IdentityType::FederatedUser);
        assert!(check(&f, &Options::default()).summary.contains("36h"));
        f.identity.kind = Some(IdentityType::User);
        assert!(
            check(&f, &Options::default())
                .summary
                .contains("GetSessionToken")
        );
    }

    #[test]
    fn sso_reserved_roles_are_bounded_by_the_permission_set() {
        let mut f = role_facts();
        f.identity.kind = Some(IdentityType::AssumedRole);
        f.identity.role_name = Some("AWSReservedSSO_Admin_0123456789abcdef".into());
        let r = check(&f, &Options::default());
        assert!(r.summary.contains("permission set"), "{}", r.summary);
        assert!(
            r.details
                .iter()
                .any(|d| d.contains("describe-permission-set"))
        );
    }
}
