//! Credentials exported as environment variables, and the expiry that tools export beside them.
//!
//! The SDKs read `AWS_ACCESS_KEY_ID` + `AWS_SECRET_ACCESS_KEY` (+ `AWS_SESSION_TOKEN`) and
//! never refresh them. No SDK reads an expiry from the environment except botocore
//! (`AWS_CREDENTIAL_EXPIRATION`), but every credential helper writes one in its own dialect;
//! reading them all is how we know when exported credentials die.

use crate::env::Env;
use crate::facts::{ExpirySource, KeyId, Problem, ProblemKind};
use crate::timestamps::{self, Dialect};
use chrono::{DateTime, Utc};

/// The expiry variables, in the order we trust them: botocore's own first.
pub const EXPIRY_VARS: &[(&str, ExpirySource, Dialect)] = &[
    (
        "AWS_CREDENTIAL_EXPIRATION",
        ExpirySource::AwsCredentialExpiration,
        Dialect::Zoned,
    ),
    (
        "AWS_SESSION_EXPIRATION",
        ExpirySource::AwsSessionExpiration,
        Dialect::Zoned,
    ),
    (
        "AWS_CREDENTIALS_EXPIRATION",
        ExpirySource::AwsCredentialsExpiration,
        Dialect::Zoned,
    ),
    (
        "AWS_SSO_SESSION_EXPIRATION",
        ExpirySource::AwsSsoSessionExpiration,
        Dialect::Zoned,
    ),
    (
        "AWSUME_EXPIRATION",
        ExpirySource::AwsumeExpiration,
        Dialect::LocalWallClock,
    ),
    (
        "AWS_OKTA_SESSION_EXPIRATION",
        ExpirySource::AwsOktaSessionExpiration,
        Dialect::EpochSeconds,
    ),
];

/// Exported credentials as the SDK's environment provider would load them.
#[derive(Clone, Debug, PartialEq)]
pub struct EnvCredentials {
    pub key_id: KeyId,
    pub has_session_token: bool,
    pub expiry: Option<(DateTime<Utc>, ExpirySource)>,
}

impl EnvCredentials {
    /// Temporary when a session token is exported or the key id is an `ASIA` one.
    pub fn temporary(&self) -> bool {
        self.has_session_token || self.key_id.kind() == crate::facts::KeyKind::Temporary
    }
}

/// Reads exported credentials. `None` when the SDK's environment provider would not load any
/// (it then falls through to the next source); incomplete exports become problems.
pub fn read(env: &Env, problems: &mut Vec<Problem>) -> Option<EnvCredentials> {
    let key = env.var("AWS_ACCESS_KEY_ID");
    // aws-config falls back to the legacy name (botocore does not: `read_botocore`).
    let has_secret =
        env.var("AWS_SECRET_ACCESS_KEY").is_some() || env.var("SECRET_ACCESS_KEY").is_some();
    // aws-config reads AWS_SESSION_TOKEN only (botocore also the legacy AWS_SECURITY_TOKEN).
    let has_token = env.var("AWS_SESSION_TOKEN").is_some();
    if !has_token && env.var("AWS_SECURITY_TOKEN").is_some() {
        problems.push(Problem::new(
            ProblemKind::Environment,
            "AWS_SECURITY_TOKEN",
            "is exported without AWS_SESSION_TOKEN: aws-config does not read that legacy name \
             (botocore does), so a Rust job signs without the session token",
        ));
    }
    let key = match (key, has_secret) {
        (Some(k), true) => k,
        (Some(_), false) => {
            problems.push(Problem::new(
                ProblemKind::Environment,
                "AWS_ACCESS_KEY_ID",
                "is set but AWS_SECRET_ACCESS_KEY is not: the SDKs ignore the exported key and \
                 fall through to the next source",
            ));
            return None;
        }
        (None, true) => {
            problems.push(Problem::new(
                ProblemKind::Environment,
                "AWS_SECRET_ACCESS_KEY",
                "is set but AWS_ACCESS_KEY_ID is not: the SDKs ignore it",
            ));
            return None;
        }
        (None, false) => {
            if has_token {
                problems.push(Problem::new(
                    ProblemKind::Environment,
                    "AWS_SESSION_TOKEN",
                    "is set without AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY: a leftover of an \
                     earlier export; the SDKs ignore it",
                ));
            }
            return None;
        }
    };
    Some(EnvCredentials {
        key_id: KeyId::redact(key),
        has_session_token: has_token,
        expiry: exported_expiry(env, problems),
    })
}

/// Reads exported credentials as botocore's `EnvProvider` does. `Ok(None)` when it loads
/// none (no key id, or an empty one); `Err` when it raises and the chain stops: a key id
/// without a secret (`PartialCredentialsError`; the legacy `SECRET_ACCESS_KEY` is not read),
/// or an `AWS_CREDENTIAL_EXPIRATION` it cannot parse. Values are used as written: only an
/// empty one counts as unset.
pub fn read_botocore(
    env: &Env,
    problems: &mut Vec<Problem>,
) -> Result<Option<EnvCredentials>, Problem> {
    let set = |name: &str| env.raw(name).filter(|v| !v.is_empty());
    let Some(key) = set("AWS_ACCESS_KEY_ID") else {
        return Ok(None);
    };
    if set("AWS_SECRET_ACCESS_KEY").is_none() {
        return Err(Problem::new(
            ProblemKind::ChainStopped,
            "AWS_ACCESS_KEY_ID",
            if env.var("SECRET_ACCESS_KEY").is_some() {
                "is exported with SECRET_ACCESS_KEY, a name botocore does not read: it raises \
                 PartialCredentialsError (export AWS_SECRET_ACCESS_KEY)"
            } else {
                "is exported without AWS_SECRET_ACCESS_KEY: botocore raises \
                 PartialCredentialsError"
            },
        ));
    }
    let has_token = set("AWS_SECURITY_TOKEN").is_some() || set("AWS_SESSION_TOKEN").is_some();
    if let Some(raw) = set("AWS_CREDENTIAL_EXPIRATION") {
        // dateutil's parser: a date and time it understands, never an epoch.
        let parsed = (!raw.trim().chars().all(|c| c.is_ascii_digit()))
            .then(|| timestamps::parse(raw, Dialect::Zoned, env.zone()).ok())
            .flatten();
        if parsed.is_none() {
            {
                return Err(Problem::new(
                    ProblemKind::ChainStopped,
                    "AWS_CREDENTIAL_EXPIRATION",
                    format!(
                        "= {} is not a date and time botocore can parse (an epoch is not \
                         one): it raises before using the exported credentials",
                        crate::redact::clip(raw)
                    ),
                ));
            }
        }
    }
    Ok(Some(EnvCredentials {
        key_id: KeyId::redact(key),
        has_session_token: has_token,
        expiry: exported_expiry(env, problems),
    }))
}

/// The earliest parseable expiry among the exported dialects. Unparseable values are
/// problems naming the variable; disagreeing values are reported too (two tools exported).
pub fn exported_expiry(
    env: &Env,
    problems: &mut Vec<Problem>,
) -> Option<(DateTime<Utc>, ExpirySource)> {
    let mut found: Vec<(DateTime<Utc>, ExpirySource)> = Vec::new();
    for (name, source, dialect) in EXPIRY_VARS {
        let Some(value) = env.var(name) else { continue };
        match timestamps::parse(value, *dialect, env.zone()) {
            Ok(t) => found.push((t, *source)),
            Err(why) => problems.push(Problem::new(ProblemKind::ExpiryValue, *name, why)),
        }
    }
    let earliest = found.iter().min_by_key(|(t, _)| *t).copied();
    if let (Some((first, a)), Some((last, b))) =
        (earliest, found.iter().max_by_key(|(t, _)| *t).copied())
        && (last - first).num_seconds() > 60
    {
        problems.push(Problem::new(
            ProblemKind::ExpiryValue,
            b.name(),
            format!(
                "says {} but {} says {}: the variables come from different exports; trusting \
                 the earlier",
                last.to_rfc3339(),
                a.name(),
                first.to_rfc3339()
            ),
        ));
    }
    earliest
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::env::LocalZone;
    use chrono::FixedOffset;

    fn now() -> DateTime<Utc> {
        "2026-11-23T13:31:00Z".parse().unwrap()
    }

    fn env(vars: &[(&str, &str)]) -> Env {
        Env::fake(vars.iter().copied(), now())
    }

    const KEYS: [(&str, &str); 3] = [
        ("AWS_ACCESS_KEY_ID", "ASIAEXAMPLEKEYIDWXYZ"),
        ("AWS_SECRET_ACCESS_KEY", "sentinel-secret"),
        ("AWS_SESSION_TOKEN", "sentinel-token"),
    ];

    #[test]
    fn each_dialect_is_read() {
        let cases: &[(&str, &str, ExpirySource)] = &[
            (
                "AWS_CREDENTIAL_EXPIRATION",
                "2026-11-23T14:01:00Z",
                ExpirySource::AwsCredentialExpiration,
            ),
            (
                "AWS_SESSION_EXPIRATION",
                "2026-11-23T14:01:00Z",
                ExpirySource::AwsSessionExpiration,
            ),
            (
                "AWS_CREDENTIALS_EXPIRATION",
                "2026-11-23T14:01:00+00:00",
                ExpirySource::AwsCredentialsExpiration,
            ),
            (
                "AWS_SSO_SESSION_EXPIRATION",
                "2026-11-23 15:01:00+01:00",
                ExpirySource::AwsSsoSessionExpiration,
            ),
            (
                "AWSUME_EXPIRATION",
                "2026-11-23T09:01:00",
                ExpirySource::AwsumeExpiration,
            ),
            (
                "AWS_OKTA_SESSION_EXPIRATION",
                "1795442460",
                ExpirySource::AwsOktaSessionExpiration,
            ),
        ];
        let want: DateTime<Utc> = "2026-11-23T14:01:00Z".parse().unwrap();
        for (var, value, source) in cases {
            let mut vars = KEYS.to_vec();
            vars.push((var, value));
            let e =
                env(&vars).with_zone(LocalZone::Fixed(FixedOffset::west_opt(5 * 3600).unwrap()));
            let mut problems = vec![];
            let creds = read(&e, &mut problems).unwrap();
            assert_eq!(creds.expiry, Some((want, *source)), "{var}");
            assert!(problems.is_empty(), "{var}: {problems:?}");
            assert!(creds.temporary());
        }
    }

    #[test]
    fn unparseable_expiry_is_a_problem_naming_the_variable() {
        let mut vars = KEYS.to_vec();
        vars.push(("AWS_CREDENTIAL_EXPIRATION", "soon"));
        let mut problems = vec![];
        let creds = read(&env(&vars), &mut problems).unwrap();
        assert_eq!(creds.expiry, None);
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].subject, "AWS_CREDENTIAL_EXPIRATION");
        assert_eq!(problems[0].kind, ProblemKind::ExpiryValue);
    }

    #[test]
    fn incomplete_exports_fall_through_with_a_problem() {
        let mut problems = vec![];
        assert_eq!(
            read(
                &env(&[("AWS_ACCESS_KEY_ID", "AKIAEXAMPLEKEYIDWXYZ")]),
                &mut problems
            ),
            None
        );
        assert_eq!(problems[0].subject, "AWS_ACCESS_KEY_ID");
        let mut problems = vec![];
        assert_eq!(read(&env(&[]), &mut problems), None);
        assert!(problems.is_empty());
    }

    #[test]
    fn long_term_keys_are_not_temporary() {
        let mut problems = vec![];
        let creds = read(
            &env(&[
                ("AWS_ACCESS_KEY_ID", "AKIAEXAMPLEKEYIDWXYZ"),
                ("AWS_SECRET_ACCESS_KEY", "s"),
            ]),
            &mut problems,
        )
        .unwrap();
        assert!(!creds.temporary());
        assert_eq!(creds.key_id.as_str(), "AKIA…WXYZ");
    }

    #[test]
    fn disagreeing_exports_keep_the_earlier_and_say_so() {
        let mut vars = KEYS.to_vec();
        vars.push(("AWS_CREDENTIAL_EXPIRATION", "2026-11-23T18:00:00Z"));
        vars.push(("AWS_SESSION_EXPIRATION", "2026-11-23T14:00:00Z"));
        let mut problems = vec![];
        let creds = read(&env(&vars), &mut problems).unwrap();
        assert_eq!(
            creds.expiry,
            Some((
                "2026-11-23T14:00:00Z".parse().unwrap(),
                ExpirySource::AwsSessionExpiration
            ))
        );
        assert_eq!(problems.len(), 1);
    }
}
