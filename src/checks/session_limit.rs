//! `session-limit`: what session length the role can give — MaxSessionDuration, the 1 h role
//! chaining cap, and the profile's `duration_seconds` against both.

use super::{CheckId, Doc, Finding, Options, Status};
use crate::facts::{Facts, LimitSource, Source};
use crate::fixes;
use crate::human;

/// AssumeRole's DurationSeconds range.
pub const MIN_DURATION: i64 = 900;
pub const MAX_DURATION: i64 = 43_200;
/// A chained AssumeRole is capped at one hour.
pub const CHAINED_MAX: i64 = 3600;

pub const DOC: Doc = Doc {
    what: "Compares what the profile asks for (duration_seconds) with what the role allows \
           (MaxSessionDuration, from iam:GetRole or --max-session-duration) and with the 1 h cap \
           on chained sessions (a role assumed with another role's credentials).",
    why: "AssumeRole refuses a DurationSeconds above the role's MaxSessionDuration, outside \
          900–43200 s, or above 3600 s when chained, so the job fails at its first refresh; and \
          the AWS CLI and boto3 honour duration_seconds while aws-config (Rust) and the Java SDK \
          2.x ignore it, so the same profile gives different jobs different lifetimes.",
    fix: "Raise the role's MaxSessionDuration (raise-max-session-duration), ask for a valid \
          duration (request-longer-session), or assume the role directly instead of chaining \
          (avoid-role-chaining).",
};

pub fn check(f: &Facts, _opts: &Options) -> Finding {
    let id = CheckId::SessionLimit;
    let l = &f.session_limit;
    let c = &f.credentials;
    if c.source == Source::None && l.role_arn.is_none() {
        return Finding::new(id, Status::Skip, "no credentials");
    }
    if c.source == Source::Sso && l.role_arn.is_none() {
        return Finding::new(
            id,
            Status::Pass,
            "SSO role sessions last the permission set's session duration (1h by default, 12h at most)",
        )
        .detail("the SDK fetches new role credentials with the SSO token as they expire");
    }
    let role = l.role_name.clone().unwrap_or_else(|| "the role".into());
    let profile = l.configured_in_profile.clone();

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
    if let Some(reason) = &l.chaining_reason {
        notes.push(match l.role_chaining {
            Some(true) => format!("role chaining: {reason}; sessions are capped at 1h"),
            _ => reason.clone(),
        });
    }

    if let Some(asked) = l.configured_duration_seconds {
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
                .fix(fixes::request_longer_session(profile.as_deref(), l.role_arn.as_deref(), asked.clamp(MIN_DURATION, MAX_DURATION))),
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
                .fix(fixes::avoid_role_chaining(l.role_arn.as_deref(), base_profile.as_deref())),
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
                .fix(fixes::raise_max_session_duration(&role, asked)),
            );
        }
        notes.push(format!(
            "duration_seconds = {asked}{where_} is honoured by the AWS CLI and boto3; aws-config \
             (Rust) and the AWS SDK for Java 2.x ignore it and ask for 1h (aws-sdk-java-v2#5695)"
        ));
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

#[cfg(test)]
mod tests {
    use super::*;

    fn role_facts() -> Facts {
        let mut f = Facts::empty("2026-11-23T13:31:00Z".parse().unwrap());
        f.credentials.source = Source::AssumeRole;
        f.credentials.profile = Some("job".into());
        f.session_limit.role_arn = Some("arn:aws:iam::123456789012:role/etl".into());
        f.session_limit.role_name = Some("etl".into());
        f
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
}
