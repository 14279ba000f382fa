//! `expiration`: when do the credentials expire, and how do we know.

use super::{Bound, BoundWhy, Doc, Finding, Note, Options, Status};
use crate::aws::limits;
use crate::facts::{
    ErrorClass, ExpirySource, Facts, NoRefresh, ProbeKind, ProblemKind, RefreshLimitKind, Source,
};
use crate::fixes::Fix;
use chrono::{DateTime, Utc};
use serde::Serialize;

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

/// Why `expiration` reached its status.
#[derive(Clone, Debug, PartialEq, Serialize, strum::EnumDiscriminants)]
#[serde(tag = "kind", rename_all = "kebab-case")]
#[strum_discriminants(
    name(ReasonKind),
    derive(strum::EnumIter, strum::IntoStaticStr),
    strum(serialize_all = "kebab-case")
)]
pub enum Reason {
    NoCredentials,
    /// The SDK could not get credentials (credential-source says why).
    NoCredentialsObtained,
    /// A credential_process gives them, and was not run (`--no-credential-process`).
    HelperNotRun,
    /// sts:GetCallerIdentity answered ExpiredToken.
    RejectedAsExpired,
    LongTermKeys,
    /// `aws sso login` never wrote a token for this session here.
    NoSsoToken,
    /// The SSO access token expired; without it no role credentials can be fetched.
    SsoTokenExpired {
        #[serde(serialize_with = "crate::facts::to_the_second")]
        at: DateTime<Utc>,
    },
    /// The provider handed out credentials that were already dead.
    ProviderHandedOutExpired {
        #[serde(serialize_with = "crate::facts::to_the_second")]
        at: DateTime<Utc>,
    },
    /// A cached session expired; the SDK fetches new credentials.
    CachedSessionExpired {
        #[serde(serialize_with = "crate::facts::to_the_second")]
        at: DateTime<Utc>,
    },
    Expired {
        #[serde(serialize_with = "crate::facts::to_the_second")]
        at: DateTime<Utc>,
    },
    Expires {
        #[serde(serialize_with = "crate::facts::to_the_second")]
        at: DateTime<Utc>,
    },
    /// Refreshed by the SDK; only the live provider knows the current session's expiry.
    RefreshedExpiryUnknown,
    /// Nothing records when these session credentials end.
    Unknown,
}

pub fn check(f: &Facts, opts: &Options) -> Finding {
    if f.problems_of(ProblemKind::HelperNotRun).next().is_some() {
        return Finding::new(Status::Skip, Reason::HelperNotRun);
    }
    let local = judge(f);
    // The credentials' own evidence of an end decides whatever else happened; otherwise, when
    // the job would not obtain them at all, there is nothing to judge.
    if !matches!(local.status, Status::Fail | Status::Skip) && !super::obtainable(f, opts) {
        return Finding::new(Status::Skip, Reason::NoCredentialsObtained);
    }
    local
}

/// The verdict of the local facts (and of STS, when it said the credentials expired).
fn judge(f: &Facts) -> Finding {
    let c = &f.credentials;
    let now = f.checked_at;
    let note_all = |kind: ProblemKind| -> Vec<Note> {
        f.problems_of(kind)
            .map(|p| Note::Problem { problem: p.clone() })
            .collect()
    };
    let value_problems = note_all(ProblemKind::ExpiryValue);
    let cache_problems = note_all(ProblemKind::CacheFile);

    if c.source == Source::None {
        return Finding::new(Status::Skip, Reason::NoCredentials);
    }
    // AWS itself said so: nothing to infer.
    if let Some(p) = f.probe(ProbeKind::Identity)
        && let Some(e) = &p.error
        && e.class == ErrorClass::EXPIRED
    {
        let mut fnd = Finding::new(Status::Fail, Reason::RejectedAsExpired);
        if let Some(t) = c.expires_at {
            fnd = fnd.note(Note::ExpiryRecordSays {
                source: c.expiry_source,
                at: t,
            });
        }
        return fnd;
    }
    if c.temporary == Some(false) {
        return Finding::new(Status::Pass, Reason::LongTermKeys).note(Note::LongTermKeysRisk);
    }

    // SSO: without a valid token the SDK cannot fetch role credentials at all.
    if (c.source == Source::Sso || f.sso.is_some())
        && let Some(sso) = &f.sso
    {
        let profile = c.profile.clone().unwrap_or_else(|| "default".into());
        if !sso.token_found {
            return Finding::new(Status::Fail, Reason::NoSsoToken)
                .notes(cache_problems)
                .fix(Fix::SsoLogin { profile });
        }
        if let Some(limit) = &c.refresh_limit
            && limit.kind == RefreshLimitKind::SsoToken
            && let Some(until) = limit.until
            && until <= now
        {
            return Finding::new(Status::Fail, Reason::SsoTokenExpired { at: until })
                .note(Note::RefreshEnd { end: limit.end() })
                .notes(cache_problems)
                .fix(Fix::SsoLogin { profile });
        }
    }

    let from = c.expiry_source.map(|source| Note::ExpiryFrom { source });
    let mut finding = match c.expires_at {
        // The provider itself handed out credentials that were already dead: refreshing from
        // the same provider will not help.
        Some(t) if t <= now && c.expiry_source == Some(ExpirySource::Provider) => {
            Finding::new(Status::Fail, Reason::ProviderHandedOutExpired { at: t })
        }
        Some(t) if t <= now && c.auto_refresh == Some(true) => {
            Finding::new(Status::Pass, Reason::CachedSessionExpired { at: t })
        }
        Some(t) if t <= now => Finding::new(Status::Fail, Reason::Expired { at: t })
            .notes(from)
            .note(Note::EveryCallFails),
        Some(t) => {
            let fnd = Finding::new(Status::Pass, Reason::Expires { at: t }).notes(from);
            if c.auto_refresh == Some(true) {
                fnd.note(Note::RefreshedBeforeExpiry)
            } else {
                fnd
            }
        }
        None if c.auto_refresh == Some(true) => {
            Finding::new(Status::Pass, Reason::RefreshedExpiryUnknown)
        }
        None => {
            let mut fnd = Finding::new(Status::Warn, Reason::Unknown)
                .notes(upper_bound(f).map(|bound| Note::ExpiresAtMost { bound }));
            if c.source == Source::Environment {
                fnd = fnd.fix(Fix::RecordExpiration {
                    profile: f.credentials.shadowed_profile.clone(),
                });
            }
            fnd
        }
    };
    if !value_problems.is_empty() || !cache_problems.is_empty() {
        if finding.status == Status::Pass {
            finding.status = Status::Warn;
        }
        finding = finding.notes(value_problems).notes(cache_problems);
    }
    finding
}

/// What bounds a session of unknown expiry: the 1 h chaining cap or the role's
/// MaxSessionDuration, whichever is shorter.
pub fn upper_bound(f: &Facts) -> Option<Bound> {
    // A planned role (--role-arn) says nothing about the current credentials.
    if f.session_limit.planned {
        return None;
    }
    let mut bounds: Vec<Bound> = Vec::new();
    if f.session_limit.role_chaining == Some(true) {
        bounds.push(Bound {
            seconds: limits::CHAINED_SESSION_MAX,
            why: BoundWhy::ChainingCap,
        });
    }
    if let Some(max) = f.session_limit.max_session_duration_seconds {
        bounds.push(Bound {
            seconds: max,
            why: BoundWhy::MaxSessionDuration {
                role: f.session_limit.role_name.clone(),
            },
        });
    }
    // An MFA role profile gets one session, then needs a person: STS gives what
    // duration_seconds asks for, else an hour.
    if let Some(NoRefresh::MfaRequired { profile }) = &f.credentials.no_refresh {
        bounds.push(Bound {
            seconds: f
                .session_limit
                .configured_duration_seconds
                .unwrap_or(limits::ASSUME_ROLE_DEFAULT),
            why: BoundWhy::MfaSession {
                profile: profile.clone(),
            },
        });
    }
    bounds.into_iter().min_by_key(|b| b.seconds)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::KeyId;

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
        let at = |s: &str| s.parse::<DateTime<Utc>>().unwrap();
        let r = check(&exported(Some("2026-11-23T14:02:00Z")), &Options::default());
        assert_eq!(r.status, Status::Pass);
        assert_eq!(
            r.reason,
            Reason::Expires {
                at: at("2026-11-23T14:02:00Z")
            }
            .into()
        );
        assert_eq!(
            r.notes,
            [Note::ExpiryFrom {
                source: ExpirySource::AwsCredentialExpiration
            }]
        );
        let r = check(&exported(Some("2026-11-23T13:26:00Z")), &Options::default());
        assert_eq!(r.status, Status::Fail);
        assert_eq!(r.reason.kind(), "expired");
        let r = check(&exported(None), &Options::default());
        assert_eq!(r.status, Status::Warn);
        assert_eq!(r.fixes[0].id(), crate::fixes::FixId::RecordExpiration);
    }

    #[test]
    fn an_unknown_expiry_names_its_upper_bound() {
        let mut f = exported(None);
        f.session_limit.role_chaining = Some(true);
        let r = check(&f, &Options::default());
        assert_eq!(
            r.notes,
            [Note::ExpiresAtMost {
                bound: Bound {
                    seconds: 3600,
                    why: BoundWhy::ChainingCap
                }
            }]
        );
    }
}
