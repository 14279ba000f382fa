//! `expiration`: when do the credentials expire, and how do we know.

use super::{CheckId, Doc, Finding, Options, Status};
use crate::facts::{ErrorClass, Facts, ProbeKind, ProblemKind, RefreshLimitKind, Source};
use crate::fixes;
use crate::human;

pub const DOC: Doc = Doc {
    what: "Reads when the credentials expire: from the live provider, from the variables \
           credential tools export (AWS_CREDENTIAL_EXPIRATION, AWS_SESSION_EXPIRATION, \
           AWSUME_EXPIRATION, …), x_security_token_expires in the credentials file, the AWS CLI \
           and SSO caches, or credential_process output, and names the source.",
    why: "Credentials that are already expired fail every call with ExpiredToken, and exported \
          credentials whose expiry is unknown are a time bomb: the job cannot know when it dies.",
    fix: "Get fresh credentials from a refreshing source (use-refreshing-profile), log in to SSO \
          again (sso-login), or export the expiry with the credentials (record-expiration).",
};

pub fn check(f: &Facts, opts: &Options) -> Finding {
    let id = CheckId::Expiration;
    let zone = opts.zone;
    let c = &f.credentials;
    let now = f.checked_at;
    let value_problems: Vec<String> = f
        .problems_of(ProblemKind::ExpiryValue)
        .map(|p| p.to_string())
        .collect();
    let cache_problems: Vec<String> = f
        .problems_of(ProblemKind::CacheFile)
        .map(|p| p.to_string())
        .collect();

    if c.source == Source::None {
        return Finding::new(id, Status::Skip, "no credentials");
    }
    // The SDK could not get credentials at all (credential-source says why): nothing expires.
    if let Some(p) = f.probe(ProbeKind::Credentials)
        && p.error.is_some()
    {
        return Finding::new(
            id,
            Status::Skip,
            "no credentials obtained (see credential-source)",
        );
    }
    // AWS itself said so: nothing to infer.
    if let Some(p) = f.probe(ProbeKind::Identity)
        && let Some(e) = &p.error
        && e.class == ErrorClass::ExpiredToken
    {
        let mut fnd = Finding::new(
            id,
            Status::Fail,
            "AWS rejects the credentials as expired (sts:GetCallerIdentity)",
        );
        if let Some(t) = c.expires_at {
            fnd = fnd.detail(format!(
                "{} says {}",
                c.expiry_source
                    .map(|s| s.describe())
                    .unwrap_or("the expiry record"),
                human::when(t, now, zone)
            ));
        }
        return fnd;
    }
    if c.temporary == Some(false) {
        return Finding::new(id, Status::Pass, "long-term keys: they do not expire")
            .detail("long-term keys are a standing risk; prefer a role the SDK refreshes");
    }

    // SSO: without a valid token the SDK cannot fetch role credentials at all.
    if c.source == Source::Sso || f.sso.is_some() {
        let profile = c.profile.clone().unwrap_or_else(|| "default".into());
        if let Some(sso) = &f.sso {
            if !sso.token_found {
                return Finding::new(
                    id,
                    Status::Fail,
                    "no SSO token is cached for this session: the SDK cannot fetch role credentials",
                )
                .details(cache_problems)
                .fix(fixes::sso_login(&profile));
            }
            if let Some(limit) = &c.refresh_limit
                && limit.kind == RefreshLimitKind::SsoToken
                && let Some(until) = limit.until
                && until <= now
            {
                return Finding::new(
                    id,
                    Status::Fail,
                    format!(
                        "the SSO access token expired at {}: the SDK cannot fetch role credentials",
                        human::when(until, now, zone)
                    ),
                )
                .detail(limit.reason.clone())
                .details(cache_problems)
                .fix(fixes::sso_login(&profile));
            }
        }
    }

    let mut finding = match c.expires_at {
        // The provider itself handed out credentials that were already dead: refreshing from
        // the same provider will not help.
        Some(t) if t <= now && c.expiry_source == Some(crate::facts::ExpirySource::Provider) => {
            Finding::new(
                id,
                Status::Fail,
                format!(
                    "the credential provider handed out credentials that had already expired at {}",
                    human::when(t, now, zone)
                ),
            )
        }
        Some(t) if t <= now && c.auto_refresh == Some(true) => Finding::new(
            id,
            Status::Pass,
            format!(
                "the cached session expired at {}; the SDK fetches new credentials",
                human::when(t, now, zone)
            ),
        ),
        Some(t) if t <= now => {
            let mut fnd = Finding::new(
                id,
                Status::Fail,
                format!("credentials expired at {}", human::when(t, now, zone)),
            );
            if let Some(src) = c.expiry_source {
                fnd = fnd.detail(format!("from {}", src.describe()));
            }
            fnd.detail("every call fails with ExpiredToken until fresh credentials are obtained")
        }
        Some(t) => {
            let mut fnd = Finding::new(
                id,
                Status::Pass,
                format!("credentials expire at {}", human::when(t, now, zone)),
            );
            if let Some(src) = c.expiry_source {
                fnd = fnd.detail(format!("from {}", src.describe()));
            }
            if c.auto_refresh == Some(true) {
                fnd = fnd.detail("the SDK refreshes them before then");
            }
            fnd
        }
        None if c.auto_refresh == Some(true) => Finding::new(
            id,
            Status::Pass,
            "refreshed by the SDK; the current session's expiry is known to the live provider only",
        ),
        None => {
            let mut fnd = Finding::new(
                id,
                Status::Warn,
                "expiry unknown: nothing records when these session credentials end",
            );
            if let Some(bound) = upper_bound_seconds(f) {
                fnd = fnd.detail(format!(
                    "they expire at most {} after they were issued ({})",
                    human::duration(bound.0),
                    bound.1
                ));
            }
            if c.source == Source::Environment {
                fnd = fnd.fix(fixes::record_expiration(
                    f.credentials.shadowed_profile.as_deref(),
                ));
            }
            fnd
        }
    };
    if !value_problems.is_empty() || !cache_problems.is_empty() {
        if finding.status == Status::Pass {
            finding.status = Status::Warn;
        }
        finding = finding.details(value_problems).details(cache_problems);
    }
    finding
}

/// What bounds a session of unknown expiry: the 1 h chaining cap or the role's
/// MaxSessionDuration, with the reason in words.
pub fn upper_bound_seconds(f: &Facts) -> Option<(i64, String)> {
    // A planned role (--role-arn) says nothing about the current credentials.
    if f.session_limit.planned {
        return None;
    }
    let mut bounds: Vec<(i64, String)> = Vec::new();
    if f.session_limit.role_chaining == Some(true) {
        bounds.push((3600, "role chaining caps sessions at 1h".into()));
    }
    if let Some(max) = f.session_limit.max_session_duration_seconds {
        let role = f
            .session_limit
            .role_name
            .clone()
            .unwrap_or_else(|| "the role".into());
        bounds.push((
            max,
            format!("{role}'s MaxSessionDuration is {}", human::duration(max)),
        ));
    }
    bounds.into_iter().min_by_key(|b| b.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::{ExpirySource, KeyId};

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
    fn future_past_and_unknown_expiry() {
        let r = check(&exported(Some("2026-11-23T14:02:00Z")), &Options::default());
        assert_eq!(
            (r.status, r.summary.as_str()),
            (Status::Pass, "credentials expire at 14:02 UTC (in 31m)")
        );
        assert_eq!(r.details, ["from AWS_CREDENTIAL_EXPIRATION"]);
        let r = check(&exported(Some("2026-11-23T13:26:00Z")), &Options::default());
        assert_eq!(
            (r.status, r.summary.as_str()),
            (Status::Fail, "credentials expired at 13:26 UTC (5m ago)")
        );
        let r = check(&exported(None), &Options::default());
        assert_eq!(r.status, Status::Warn);
        assert_eq!(r.fixes[0].id, crate::fixes::FixId::RecordExpiration);
    }

    #[test]
    fn an_unknown_expiry_names_its_upper_bound() {
        let mut f = exported(None);
        f.session_limit.role_chaining = Some(true);
        let r = check(&f, &Options::default());
        assert!(r.details[0].contains("at most 1h"), "{:?}", r.details);
    }
}
