//! `expected-runtime`: do the credentials, refreshed or not, cover now + runtime + margin.
//!
//! The core rule. Credentials that do not refresh must outlive the job plus the margin. An
//! unknown expiry is a warning, unless a known upper bound (the 1 h chaining cap, the role's
//! MaxSessionDuration) is already shorter than the job: then it is a failure. Refreshing
//! sources pass, unless what feeds the refresh (non-refreshing source credentials, an SSO
//! token or session) ends first.

use super::{CheckId, Doc, Finding, Options, Status};
use crate::checks::expiration::upper_bound_seconds;
use crate::facts::{Facts, RefreshLimitKind, Source};
use crate::fixes::{self, Fix, RefreshingSource};
use crate::human;
use chrono::{DateTime, Utc};

/// No AssumeRole session lasts longer.
pub const LONGEST_SESSION: i64 = 43_200;

pub const DOC: Doc = Doc {
    what: "Checks that the credentials cover the whole job: now + --expected-runtime + \
           --margin. Credentials that do not refresh must expire after that; refreshing sources \
           must be able to refresh until then.",
    why: "A job that outlives its credentials dies mid-run with ExpiredToken although its \
          permissions are fine, usually hours in, after the work it did is lost.",
    fix: "Use a source the SDK refreshes (use-refreshing-profile); otherwise make one session \
          long enough (raise-max-session-duration, request-longer-session, avoid-role-chaining), \
          keep SSO alive (sso-login, extend-sso-session), or split the job \
          (split-or-checkpoint-job).",
};

pub fn check(f: &Facts, opts: &Options) -> Finding {
    let id = CheckId::ExpectedRuntime;
    let Some(runtime) = opts.expected_runtime else {
        return Finding::new(id, Status::Skip, "no --expected-runtime given");
    };
    let c = &f.credentials;
    if c.source == Source::None {
        return Finding::new(id, Status::Skip, "no credentials");
    }
    if let Some(p) = f.probe(crate::facts::ProbeKind::Credentials)
        && p.error.is_some()
    {
        return Finding::new(
            id,
            Status::Skip,
            "no credentials obtained (see credential-source)",
        );
    }
    let now = f.checked_at;
    let zone = opts.zone;
    let end = now + runtime;
    let need = end + opts.margin;
    let runtime_s = runtime.num_seconds();
    let need_s = (need - now).num_seconds();
    let job = format!("the job needs until {}", human::clock(end, now, zone));
    let margin_note = format!(
        "job: {} from {}, plus a {} margin",
        human::duration(runtime_s),
        human::clock(now, now, zone),
        human::duration(opts.margin.num_seconds())
    );

    if c.temporary == Some(false) {
        return Finding::new(
            id,
            Status::Pass,
            format!("long-term keys do not expire; {job}"),
        );
    }

    if c.auto_refresh == Some(true) {
        return refreshing(f, end, need, need_s, &job, zone).detail(margin_note);
    }

    // Credentials that will not be refreshed.
    let mut finding = match c.expires_at {
        Some(t) if t <= now => Finding::new(
            id,
            Status::Fail,
            format!(
                "credentials expired at {}; {job}",
                human::when(t, now, zone)
            ),
        ),
        Some(t) if t < end => Finding::new(
            id,
            Status::Fail,
            format!("credentials expire at {}, {job}", human::when(t, now, zone)),
        ),
        Some(t) if t < need => Finding::new(
            id,
            Status::Fail,
            format!(
                "credentials expire at {}, only {} after the job's expected end (margin {})",
                human::when(t, now, zone),
                human::duration((t - end).num_seconds()),
                human::duration(opts.margin.num_seconds())
            ),
        ),
        Some(t) => {
            return Finding::new(
                id,
                Status::Pass,
                format!(
                    "credentials last until {}, {job}",
                    human::when(t, now, zone)
                ),
            )
            .detail(margin_note);
        }
        None => match upper_bound_seconds(f) {
            Some((bound, why)) if bound < need_s => Finding::new(
                id,
                Status::Fail,
                format!(
                    "credentials expire at most {} after they were issued ({why}), but the job needs {}",
                    human::duration(bound),
                    human::duration(runtime_s)
                ),
            ),
            bound => {
                let mut w = Finding::new(
                    id,
                    Status::Warn,
                    format!("credentials never refresh and their expiry is unknown; {job}"),
                );
                if let Some((b, why)) = bound {
                    w = w.detail(format!("they last at most {} ({why})", human::duration(b)));
                }
                w
            }
        },
    };
    if let Some(note) = &c.refresh_note {
        finding = finding.detail(note.clone());
    }
    finding = finding.detail(margin_note);
    for fix in non_refreshing_fixes(f, need_s) {
        finding = finding.fix(fix);
    }
    if finding.status == Status::Warn && c.source == Source::Environment && c.expires_at.is_none() {
        finding = finding.fix(fixes::record_expiration(c.shadowed_profile.as_deref()));
    }
    finding
}

fn refreshing(
    f: &Facts,
    end: DateTime<Utc>,
    need: DateTime<Utc>,
    need_s: i64,
    job: &str,
    zone: crate::human::Zone,
) -> Finding {
    let id = CheckId::ExpectedRuntime;
    let c = &f.credentials;
    let now = f.checked_at;
    let profile = c.profile.clone().unwrap_or_else(|| "default".into());
    let Some(limit) = &c.refresh_limit else {
        return Finding::new(
            id,
            Status::Pass,
            format!("refreshed by the SDK ({}); {job}", c.source),
        );
    };
    let fixes_for = |kind: RefreshLimitKind| -> Vec<Fix> {
        match kind {
            RefreshLimitKind::SsoToken => vec![
                fixes::sso_login(&profile),
                fixes::extend_sso_session(&profile, need_s),
            ],
            RefreshLimitKind::SsoSession => vec![fixes::extend_sso_session(&profile, need_s)],
            RefreshLimitKind::SourceCredentials => vec![fixes::use_refreshing_profile(
                &RefreshingSource::NewRoleProfile {
                    role_arn: c.role_arn.clone(),
                },
            )],
        }
    };
    match (limit.until, limit.at_most_seconds) {
        (Some(until), _) if until < need => {
            let summary = if until <= now {
                format!(
                    "the SDK cannot refresh since {}: {}",
                    human::when(until, now, zone),
                    limit.reason
                )
            } else if until < end {
                format!(
                    "the SDK can refresh only until {} ({}), {job}",
                    human::when(until, now, zone),
                    limit.reason
                )
            } else {
                format!(
                    "the SDK can refresh only until {} ({}), within the margin of the job's end",
                    human::when(until, now, zone),
                    limit.reason
                )
            };
            let mut fnd = Finding::new(id, Status::Fail, summary);
            for fix in fixes_for(limit.kind) {
                fnd = fnd.fix(fix);
            }
            fnd
        }
        (Some(until), _) => Finding::new(
            id,
            Status::Pass,
            format!(
                "refreshed by the SDK until {}; {job}",
                human::when(until, now, zone)
            ),
        )
        .detail(format!("refreshing ends when {}", limit.reason)),
        (None, Some(at_most)) if at_most < need_s => {
            let mut fnd = Finding::new(
                id,
                Status::Warn,
                format!(
                    "refreshing stops when {}, at most {} from now: {job}",
                    limit.reason,
                    human::duration(at_most)
                ),
            );
            for fix in fixes_for(limit.kind) {
                fnd = fnd.fix(fix);
            }
            fnd
        }
        (None, Some(_)) => Finding::new(
            id,
            Status::Pass,
            format!("refreshed by the SDK ({}); {job}", c.source),
        )
        .detail(format!(
            "refreshing stops when {}: log in shortly before a long job",
            limit.reason
        )),
        (None, None) => {
            let mut fnd = Finding::new(
                id,
                Status::Warn,
                format!(
                    "refreshing stops when {}, at a time nothing records; {job}",
                    limit.reason
                ),
            );
            for fix in fixes_for(limit.kind) {
                fnd = fnd.fix(fix);
            }
            fnd
        }
    }
}

/// Fixes for credentials that will not be refreshed, best first. When a refreshing source is
/// shadowed by the exported variables, the first fix uses it.
fn non_refreshing_fixes(f: &Facts, need_s: i64) -> Vec<Fix> {
    let c = &f.credentials;
    let l = &f.session_limit;
    let mut out = Vec::new();
    let role_arn = c
        .role_arn
        .clone()
        .or_else(|| l.role_arn.clone())
        .or_else(|| role_arn_from_identity(f));
    if matches!(c.source, Source::Environment | Source::SharedCredentials) {
        let target = if let Some(p) = &c.shadowed_profile {
            RefreshingSource::Profile(p.clone())
        } else if c.shadowed_sources.contains(&Source::InstanceMetadata) {
            RefreshingSource::InstanceRole { role_arn }
        } else if c.shadowed_sources.contains(&Source::Container) {
            RefreshingSource::ContainerRole { role_arn }
        } else {
            RefreshingSource::NewRoleProfile { role_arn }
        };
        out.push(fixes::use_refreshing_profile(&target));
    }
    if need_s > LONGEST_SESSION {
        out.push(fixes::split_or_checkpoint_job(need_s, LONGEST_SESSION));
        return out;
    }
    if l.role_chaining == Some(true) && need_s > 3600 {
        let base = f
            .profile_chain
            .iter()
            .rev()
            .find(|h| h.kind == "static-keys")
            .map(|h| h.profile.clone());
        out.push(fixes::avoid_role_chaining(
            l.role_arn.as_deref(),
            base.as_deref(),
        ));
    }
    if let (Some(role), Some(max)) = (&l.role_name, l.max_session_duration_seconds)
        && max < need_s
    {
        out.push(fixes::raise_max_session_duration(role, need_s));
    }
    if c.source == Source::AssumeRole || (l.role_arn.is_some() && c.source == Source::Environment) {
        out.push(fixes::request_longer_session(
            if c.source == Source::AssumeRole {
                c.profile.as_deref()
            } else {
                None
            },
            l.role_arn.as_deref(),
            need_s,
        ));
    }
    out
}

/// `arn:aws:sts::1:assumed-role/etl/job` → `arn:aws:iam::1:role/etl` (the path, if any, is
/// not in the session ARN; IAM accepts the ARN without it only for roles at `/`).
fn role_arn_from_identity(f: &Facts) -> Option<String> {
    let arn = f.identity.arn.as_deref()?;
    let mut parts = arn.splitn(6, ':');
    let (_, partition, _, _, account, resource) = (
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
    );
    let role = resource.strip_prefix("assumed-role/")?.split('/').next()?;
    Some(format!("arn:{partition}:iam::{account}:role/{role}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::{ExpirySource, KeyId, RefreshLimit};
    use crate::fixes::FixId;
    use chrono::TimeDelta;

    fn opts(hours: i64) -> Options {
        Options {
            expected_runtime: Some(TimeDelta::hours(hours)),
            ..Options::default()
        }
    }

    fn exported(expires: Option<&str>) -> Facts {
        let mut f = Facts::empty("2026-11-23T13:31:00Z".parse().unwrap());
        f.credentials.source = Source::Environment;
        f.credentials.temporary = Some(true);
        f.credentials.auto_refresh = Some(false);
        f.credentials.access_key_id = Some(KeyId::redact("ASIAEXAMPLEKEYIDWXYZ"));
        f.credentials.expires_at = expires.map(|e| e.parse().unwrap());
        f.credentials.expiry_source = expires.map(|_| ExpirySource::AwsCredentialExpiration);
        f
    }

    #[test]
    fn exported_credentials_expiring_before_the_job_ends_fail() {
        let r = check(&exported(Some("2026-11-23T14:02:00Z")), &opts(6));
        assert_eq!(r.status, Status::Fail);
        assert_eq!(
            r.summary,
            "credentials expire at 14:02 UTC (in 31m), the job needs until 19:31 UTC"
        );
        assert_eq!(r.fixes[0].id, FixId::UseRefreshingProfile);
    }

    #[test]
    fn exported_credentials_lasting_long_enough_pass() {
        let r = check(&exported(Some("2026-11-23T21:31:00Z")), &opts(6));
        assert_eq!(r.status, Status::Pass, "{}", r.summary);
    }

    #[test]
    fn the_margin_counts() {
        // Expires 2 minutes after the job's end: inside the default 5 minute margin.
        let r = check(&exported(Some("2026-11-23T19:33:00Z")), &opts(6));
        assert_eq!(r.status, Status::Fail);
        assert!(r.summary.contains("margin"), "{}", r.summary);
    }

    #[test]
    fn unknown_expiry_warns_unless_a_bound_is_shorter_than_the_job() {
        let r = check(&exported(None), &opts(6));
        assert_eq!(r.status, Status::Warn);
        let mut f = exported(None);
        f.session_limit.role_chaining = Some(true);
        let r = check(&f, &opts(6));
        assert_eq!(r.status, Status::Fail);
        assert!(r.summary.contains("at most 1h"), "{}", r.summary);
        let mut f = exported(None);
        f.session_limit.max_session_duration_seconds = Some(43_200);
        assert_eq!(check(&f, &opts(6)).status, Status::Warn);
    }

    #[test]
    fn shadowed_refreshing_profile_is_the_first_fix() {
        let mut f = exported(Some("2026-11-23T14:02:00Z"));
        f.credentials.shadowed_profile = Some("etl".into());
        let r = check(&f, &opts(6));
        assert_eq!(r.fixes[0].commands[1], "export AWS_PROFILE=etl");
        let mut f = exported(Some("2026-11-23T14:02:00Z"));
        f.credentials.shadowed_sources = vec![Source::InstanceMetadata];
        let r = check(&f, &opts(6));
        assert!(r.fixes[0].commands[0].contains("credential_source = Ec2InstanceMetadata"));
    }

    #[test]
    fn a_job_longer_than_any_session_gets_split() {
        let r = check(&exported(Some("2026-11-23T14:02:00Z")), &opts(14));
        assert!(r.fixes.iter().any(|x| x.id == FixId::SplitOrCheckpointJob));
    }

    #[test]
    fn refreshing_sources_pass_unless_their_refresh_ends_first() {
        let mut f = exported(None);
        f.credentials.source = Source::AssumeRole;
        f.credentials.auto_refresh = Some(true);
        assert_eq!(check(&f, &opts(6)).status, Status::Pass);
        f.credentials.source = Source::Sso;
        f.credentials.refresh_limit = Some(RefreshLimit {
            until: Some("2026-11-23T15:00:00Z".parse().unwrap()),
            at_most_seconds: None,
            reason: "the SSO access token expires".into(),
            kind: RefreshLimitKind::SsoToken,
        });
        let r = check(&f, &opts(6));
        assert_eq!(r.status, Status::Fail);
        assert_eq!(r.fixes[0].id, FixId::SsoLogin);
        f.credentials.refresh_limit = Some(RefreshLimit {
            until: None,
            at_most_seconds: Some(8 * 3600),
            reason: "the IAM Identity Center session ends".into(),
            kind: RefreshLimitKind::SsoSession,
        });
        assert_eq!(check(&f, &opts(6)).status, Status::Pass);
        assert_eq!(check(&f, &opts(9)).status, Status::Warn);
    }

    #[test]
    fn long_term_keys_pass_and_runtime_is_optional() {
        let mut f = exported(None);
        f.credentials.temporary = Some(false);
        assert_eq!(check(&f, &opts(6)).status, Status::Pass);
        assert_eq!(check(&f, &Options::default()).status, Status::Skip);
    }

    #[test]
    fn role_arn_is_recovered_from_an_assumed_role_identity() {
        let mut f = exported(None);
        f.identity.arn = Some("arn:aws:sts::123456789012:assumed-role/etl/job".into());
        assert_eq!(
            role_arn_from_identity(&f).as_deref(),
            Some("arn:aws:iam::123456789012:role/etl")
        );
    }
}
