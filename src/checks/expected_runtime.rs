//! `expected-runtime`: do the credentials, refreshed or not, cover now + runtime + margin.
//!
//! The core rule. Credentials that do not refresh must outlive the job plus the margin. An
//! unknown expiry is a warning, unless a known upper bound (the 1 h chaining cap, the role's
//! MaxSessionDuration) is already shorter than the job: then it is a failure. Refreshing
//! sources pass, unless what feeds the refresh (non-refreshing source credentials, an SSO
//! token or session) ends first.

use super::{Bound, Doc, Finding, Note, Options, Status};
use crate::aws::{Arn, limits};
use crate::checks::expiration::upper_bound;
use crate::facts::{Described, Facts, HopKind, RefreshEnd, RefreshLimitKind, Source};
use crate::fixes::{Fix, RefreshingSource};
use crate::timestamps::later;
use chrono::{DateTime, Utc};
use serde::Serialize;

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

/// Why `expected-runtime` reached its status. `job_end` is when the job is expected to end
/// (now + runtime); the margin comes after it.
#[derive(Clone, Debug, PartialEq, Serialize, strum::EnumDiscriminants)]
#[serde(tag = "kind", rename_all = "kebab-case")]
#[strum_discriminants(
    name(ReasonKind),
    derive(strum::EnumIter, strum::IntoStaticStr),
    strum(serialize_all = "kebab-case")
)]
pub enum Reason {
    NoRuntime,
    NoCredentials,
    NoCredentialsObtained,
    /// A credential_process gives them, and was not run (`--no-credential-process`).
    HelperNotRun,
    LongTermKeys {
        #[serde(serialize_with = "crate::facts::to_the_second")]
        job_end: DateTime<Utc>,
    },
    /// Refreshed by the SDK, and nothing stops the refreshing before the job ends.
    Refreshed {
        source: Source,
        #[serde(serialize_with = "crate::facts::to_the_second")]
        job_end: DateTime<Utc>,
    },
    /// Refreshing already stopped.
    RefreshEnded {
        #[serde(serialize_with = "crate::facts::to_the_second")]
        since: DateTime<Utc>,
        end: Described<RefreshEnd>,
    },
    /// Refreshing stops before the job ends.
    RefreshEndsBeforeJob {
        #[serde(serialize_with = "crate::facts::to_the_second")]
        until: DateTime<Utc>,
        end: Described<RefreshEnd>,
        #[serde(serialize_with = "crate::facts::to_the_second")]
        job_end: DateTime<Utc>,
    },
    /// Refreshing stops within the margin after the job's end.
    RefreshEndsInMargin {
        #[serde(serialize_with = "crate::facts::to_the_second")]
        until: DateTime<Utc>,
        end: Described<RefreshEnd>,
    },
    /// Refreshed until a known time after the job's end.
    RefreshedUntil {
        #[serde(serialize_with = "crate::facts::to_the_second")]
        until: DateTime<Utc>,
        #[serde(serialize_with = "crate::facts::to_the_second")]
        job_end: DateTime<Utc>,
    },
    /// Refreshing stops at most `at_most_seconds` from now, which may be before the job ends.
    RefreshMayEndBeforeJob {
        end: Described<RefreshEnd>,
        at_most_seconds: i64,
        #[serde(serialize_with = "crate::facts::to_the_second")]
        job_end: DateTime<Utc>,
    },
    /// Refreshing stops at a time nothing records.
    RefreshEndUnknown {
        end: Described<RefreshEnd>,
        #[serde(serialize_with = "crate::facts::to_the_second")]
        job_end: DateTime<Utc>,
    },
    /// The (non-refreshing) credentials are already expired.
    AlreadyExpired {
        #[serde(serialize_with = "crate::facts::to_the_second")]
        expired_at: DateTime<Utc>,
        #[serde(serialize_with = "crate::facts::to_the_second")]
        job_end: DateTime<Utc>,
    },
    /// They expire before the job ends.
    ExpiresBeforeJobEnd {
        #[serde(serialize_with = "crate::facts::to_the_second")]
        expires_at: DateTime<Utc>,
        #[serde(serialize_with = "crate::facts::to_the_second")]
        job_end: DateTime<Utc>,
    },
    /// They expire after the job's end but within the margin.
    ExpiresWithinMargin {
        #[serde(serialize_with = "crate::facts::to_the_second")]
        expires_at: DateTime<Utc>,
        after_end_seconds: i64,
        margin_seconds: i64,
    },
    /// They last the job and the margin.
    Lasts {
        #[serde(serialize_with = "crate::facts::to_the_second")]
        until: DateTime<Utc>,
        #[serde(serialize_with = "crate::facts::to_the_second")]
        job_end: DateTime<Utc>,
    },
    /// Their expiry is unknown, but a bound shorter than the job is known.
    BoundShorterThanJob {
        bound: Bound,
        runtime_seconds: i64,
    },
    /// They never refresh and their expiry is unknown.
    UnknownExpiry {
        #[serde(serialize_with = "crate::facts::to_the_second")]
        job_end: DateTime<Utc>,
    },
}

pub fn check(f: &Facts, opts: &Options) -> Finding {
    let Some(runtime) = opts.expected_runtime else {
        return Finding::new(Status::Skip, Reason::NoRuntime);
    };
    let c = &f.credentials;
    if c.source == Source::None {
        return Finding::new(Status::Skip, Reason::NoCredentials);
    }
    if f.problems_of(crate::facts::ProblemKind::HelperNotRun)
        .next()
        .is_some()
    {
        return Finding::new(Status::Skip, Reason::HelperNotRun);
    }
    let local = judge(f, opts, runtime);
    // What the files prove about the credentials' end decides whatever else happened;
    // otherwise, when the job would not obtain them at all, there is nothing to judge.
    if !matches!(local.status, Status::Fail | Status::Skip) && !super::obtainable(f, opts) {
        return Finding::new(Status::Skip, Reason::NoCredentialsObtained);
    }
    local
}

fn judge(f: &Facts, opts: &Options, runtime: chrono::TimeDelta) -> Finding {
    let c = &f.credentials;
    let now = f.checked_at;
    // The flags and replayed reports are bounded; these cannot overflow whatever they hold.
    let job_end = later(now, runtime);
    let need = later(job_end, opts.margin);
    let runtime_s = runtime.num_seconds();
    let need_s = (need - now).num_seconds();
    let window = Note::JobWindow {
        runtime_seconds: runtime_s,
        start: now,
        margin_seconds: opts.margin.num_seconds(),
    };

    if c.temporary == Some(false) {
        return Finding::new(Status::Pass, Reason::LongTermKeys { job_end });
    }

    if c.auto_refresh == Some(true) {
        return refreshing(f, job_end, need, need_s).note(window);
    }

    // Credentials that will not be refreshed.
    let mut finding = match c.expires_at {
        Some(t) if t <= now => Finding::new(
            Status::Fail,
            Reason::AlreadyExpired {
                expired_at: t,
                job_end,
            },
        ),
        Some(t) if t < job_end => Finding::new(
            Status::Fail,
            Reason::ExpiresBeforeJobEnd {
                expires_at: t,
                job_end,
            },
        ),
        Some(t) if t < need => Finding::new(
            Status::Fail,
            Reason::ExpiresWithinMargin {
                expires_at: t,
                after_end_seconds: (t - job_end).num_seconds(),
                margin_seconds: opts.margin.num_seconds(),
            },
        ),
        Some(t) => {
            return Finding::new(Status::Pass, Reason::Lasts { until: t, job_end }).note(window);
        }
        None => match upper_bound(f) {
            Some(bound) if bound.seconds < need_s => Finding::new(
                Status::Fail,
                Reason::BoundShorterThanJob {
                    bound,
                    runtime_seconds: runtime_s,
                },
            ),
            bound => Finding::new(Status::Warn, Reason::UnknownExpiry { job_end })
                .notes(bound.map(|bound| Note::LastsAtMost { bound })),
        },
    };
    if let Some(why) = c.no_refresh() {
        finding = finding.note(Note::NoRefresh { why });
    }
    finding = finding.note(window);
    for fix in non_refreshing_fixes(f, need_s) {
        finding = finding.fix(fix);
    }
    if finding.status == Status::Warn && c.source == Source::Environment && c.expires_at.is_none() {
        finding = finding.fix(Fix::RecordExpiration {
            profile: c.shadowed_profile.clone(),
        });
    }
    finding
}

fn refreshing(f: &Facts, job_end: DateTime<Utc>, need: DateTime<Utc>, need_s: i64) -> Finding {
    let c = &f.credentials;
    let now = f.checked_at;
    let profile = c.profile.clone().unwrap_or_else(|| "default".into());
    let Some(limit) = &c.refresh_limit else {
        return Finding::new(
            Status::Pass,
            Reason::Refreshed {
                source: c.source,
                job_end,
            },
        );
    };
    let end = limit.end();
    let fixes = match limit.kind {
        RefreshLimitKind::SsoToken => vec![
            Fix::SsoLogin {
                profile: profile.clone(),
            },
            Fix::ExtendSsoSession {
                profile,
                needed_seconds: need_s,
            },
        ],
        RefreshLimitKind::SsoSession => vec![Fix::ExtendSsoSession {
            profile,
            needed_seconds: need_s,
        }],
        RefreshLimitKind::SourceCredentials => vec![Fix::UseRefreshingProfile {
            target: RefreshingSource::NewRoleProfile {
                role_arn: c.role_arn.clone(),
            },
        }],
        RefreshLimitKind::WebIdentityToken => vec![Fix::RenewWebIdentityToken {
            token_file: f
                .web_identity
                .as_ref()
                .map(|w| w.token_file.clone())
                .unwrap_or_default(),
        }],
    };
    let with_fixes = |finding: Finding| fixes.iter().cloned().fold(finding, Finding::fix);
    match (limit.until, limit.at_most_seconds) {
        (Some(until), _) if until < need => {
            let reason = if until <= now {
                Reason::RefreshEnded { since: until, end }
            } else if until < job_end {
                Reason::RefreshEndsBeforeJob {
                    until,
                    end,
                    job_end,
                }
            } else {
                Reason::RefreshEndsInMargin { until, end }
            };
            with_fixes(Finding::new(Status::Fail, reason))
        }
        (Some(until), _) => Finding::new(Status::Pass, Reason::RefreshedUntil { until, job_end })
            .note(Note::RefreshEndsWhen { end }),
        (None, Some(at_most)) if at_most < need_s => with_fixes(Finding::new(
            Status::Warn,
            Reason::RefreshMayEndBeforeJob {
                end,
                at_most_seconds: at_most,
                job_end,
            },
        )),
        (None, Some(_)) => Finding::new(
            Status::Pass,
            Reason::Refreshed {
                source: c.source,
                job_end,
            },
        )
        .note(Note::LogInShortlyBefore { end }),
        (None, None) => with_fixes(Finding::new(
            Status::Warn,
            Reason::RefreshEndUnknown { end, job_end },
        )),
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
        .or_else(|| {
            f.identity
                .arn
                .as_deref()
                .and_then(Arn::parse)
                .and_then(|a| a.role_of_session())
        });
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
        out.push(Fix::UseRefreshingProfile { target });
    }
    if need_s > limits::LONGEST_ROLE_SESSION {
        out.push(Fix::SplitOrCheckpointJob {
            runtime_seconds: need_s,
            longest_seconds: limits::LONGEST_ROLE_SESSION,
        });
        return out;
    }
    if l.role_chaining == Some(true) && need_s > limits::CHAINED_SESSION_MAX {
        let base = f
            .profile_chain
            .iter()
            .rev()
            .find(|h| h.kind == HopKind::StaticKeys)
            .map(|h| h.profile.clone());
        out.push(Fix::AvoidRoleChaining {
            role_arn: l.role_arn.clone(),
            base_profile: base,
        });
    }
    if let (Some(role), Some(max)) = (&l.role_name, l.max_session_duration_seconds)
        && max < need_s
    {
        out.push(Fix::RaiseMaxSessionDuration {
            role: role.clone(),
            needed_seconds: need_s,
            request: None,
        });
    }
    if c.source == Source::AssumeRole || (l.role_arn.is_some() && c.source == Source::Environment) {
        out.push(Fix::RequestLongerSession {
            profile: if c.source == Source::AssumeRole {
                c.profile.clone()
            } else {
                None
            },
            role_arn: l.role_arn.clone(),
            needed_seconds: need_s,
        });
    }
    out
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
            r.reason,
            super::super::Reason::ExpectedRuntime(Reason::ExpiresBeforeJobEnd {
                expires_at: "2026-11-23T14:02:00Z".parse().unwrap(),
                job_end: "2026-11-23T19:31:00Z".parse().unwrap(),
            })
        );
        assert_eq!(r.fixes[0].id(), FixId::UseRefreshingProfile);
    }

    #[test]
    fn exported_credentials_lasting_long_enough_pass() {
        let r = check(&exported(Some("2026-11-23T21:31:00Z")), &opts(6));
        assert_eq!(r.status, Status::Pass, "{:?}", r.reason);
    }

    #[test]
    fn a_runtime_or_margin_past_the_end_of_time_fails_instead_of_overflowing() {
        // Issue 17: `now + runtime + margin` panicked (or, through a wrapping flag, passed).
        // Whatever Options hold, the sum saturates and nothing lasts that long.
        for (runtime, margin) in [
            (TimeDelta::hours(1), TimeDelta::MAX),
            (TimeDelta::MAX, TimeDelta::minutes(5)),
            (TimeDelta::MAX, TimeDelta::MAX),
        ] {
            let o = Options {
                expected_runtime: Some(runtime),
                margin,
                ..Options::default()
            };
            let r = check(&exported(Some("9999-12-31T23:59:59Z")), &o);
            assert_eq!(r.status, Status::Fail, "{:?}", r.reason);
            // --role-arn's plan adds them too (in seconds).
            let mut planned = exported(None);
            planned.session_limit.planned = true;
            planned.session_limit.role_arn = Some("arn:aws:iam::123456789012:role/etl".into());
            planned.session_limit.max_session_duration_seconds = Some(43_200);
            let r = super::super::session_limit::check(&planned, &o);
            assert_eq!(r.status, Status::Fail, "{:?}", r.reason);
        }
    }

    #[test]
    fn the_margin_counts() {
        // Expires 2 minutes after the job's end: inside the default 5 minute margin.
        let r = check(&exported(Some("2026-11-23T19:33:00Z")), &opts(6));
        assert_eq!(r.status, Status::Fail);
        assert_eq!(r.reason.kind(), "expires-within-margin");
    }

    #[test]
    fn unknown_expiry_warns_unless_a_bound_is_shorter_than_the_job() {
        let r = check(&exported(None), &opts(6));
        assert_eq!(r.status, Status::Warn);
        let mut f = exported(None);
        f.session_limit.role_chaining = Some(true);
        let r = check(&f, &opts(6));
        assert_eq!(r.status, Status::Fail);
        assert_eq!(
            r.reason,
            super::super::Reason::ExpectedRuntime(Reason::BoundShorterThanJob {
                bound: Bound {
                    seconds: 3600,
                    why: super::super::BoundWhy::ChainingCap
                },
                runtime_seconds: 6 * 3600
            })
        );
        let mut f = exported(None);
        f.session_limit.max_session_duration_seconds = Some(43_200);
        assert_eq!(check(&f, &opts(6)).status, Status::Warn);
    }

    #[test]
    fn shadowed_refreshing_profile_is_the_first_fix() {
        let mut f = exported(Some("2026-11-23T14:02:00Z"));
        f.credentials.shadowed_profile = Some("etl".into());
        let r = check(&f, &opts(6));
        assert_eq!(
            r.fixes[0],
            Fix::UseRefreshingProfile {
                target: RefreshingSource::Profile("etl".into())
            }
        );
        let mut f = exported(Some("2026-11-23T14:02:00Z"));
        f.credentials.shadowed_sources = vec![Source::InstanceMetadata];
        let r = check(&f, &opts(6));
        assert_eq!(
            r.fixes[0],
            Fix::UseRefreshingProfile {
                target: RefreshingSource::InstanceRole { role_arn: None }
            }
        );
    }

    #[test]
    fn a_job_longer_than_any_session_gets_split() {
        let r = check(&exported(Some("2026-11-23T14:02:00Z")), &opts(14));
        assert!(
            r.fixes
                .iter()
                .any(|x| x.id() == FixId::SplitOrCheckpointJob)
        );
    }

    #[test]
    fn refreshing_sources_pass_unless_their_refresh_ends_first() {
        let mut f = exported(None);
        f.credentials.source = Source::AssumeRole;
        f.credentials.auto_refresh = Some(true);
        assert_eq!(check(&f, &opts(6)).status, Status::Pass);
        f.credentials.source = Source::Sso;
        f.credentials.refresh_limit = Some(RefreshLimit::new(
            RefreshEnd::SsoTokenWithoutRefresh,
            Some("2026-11-23T15:00:00Z".parse().unwrap()),
            None,
        ));
        let r = check(&f, &opts(6));
        assert_eq!(r.status, Status::Fail);
        assert_eq!(r.fixes[0].id(), FixId::SsoLogin);
        f.credentials.refresh_limit = Some(RefreshLimit::new(
            RefreshEnd::SsoSession {
                default_seconds: 8 * 3600,
            },
            None,
            Some(8 * 3600),
        ));
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
    fn the_role_is_recovered_from_an_assumed_role_identity() {
        let mut f = exported(Some("2026-11-23T14:02:00Z"));
        f.identity.arn = Some("arn:aws:sts::123456789012:assumed-role/etl/job".into());
        let r = check(&f, &opts(6));
        assert_eq!(
            r.fixes[0],
            Fix::UseRefreshingProfile {
                target: RefreshingSource::NewRoleProfile {
                    role_arn: Some("arn:aws:iam::123456789012:role/etl".into())
                }
            }
        );
    }
}
