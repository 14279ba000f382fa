//! From the failing lines to a cause: how long after the start the credentials failed, which
//! known lifetime that matches, or how far off the clock was. Pure: the scan gathers, this
//! decides, `render/` says it.

use super::classes::Class;
use super::scan::Scan;
use crate::aws::{Failure, limits};
use crate::fixes::{Fix, RefreshingSource};
use chrono::{DateTime, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize, Serializer};

/// Lines of this class mean the job died of its credentials or its clock.
pub fn is_failure_class(class: Class) -> bool {
    class.is_credential_cause()
}

#[derive(Clone, Debug, Default)]
pub struct Options {
    pub started_at: Option<DateTime<Utc>>,
    pub expires_at: Option<DateTime<Utc>>,
    pub max_session_seconds: Option<i64>,
}

/// What triage concluded, as data (`render/triage.rs` says it).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Diagnosis {
    /// The failure the diagnosis rests on; `none` when no line failed. Reported under the
    /// cause names of version 1 (`token-expiry` for `expired`, …).
    #[serde(serialize_with = "cause_name")]
    pub cause: Option<Failure>,
    pub elapsed_seconds: Option<i64>,
    pub matched_limit: Option<Lifetime>,
    pub clock_offset_seconds: Option<f64>,
    /// The line number of the failure the diagnosis rests on.
    pub failure_line: Option<u64>,
    /// That line's error code.
    pub failure_code: Option<String>,
    pub started_at: Option<DateTime<Utc>>,
    pub failed_at: Option<DateTime<Utc>>,
    /// For an expiry: how the elapsed time compares with what is known.
    pub expiry: Option<ExpiryMatch>,
    /// Lines of the deciding class (for permissions and throttling, which are only counted).
    pub class_lines: u64,
    /// Lines read.
    pub lines: u64,
}

fn cause_name<S: Serializer>(cause: &Option<Failure>, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(cause.map_or("none", Failure::cause_name))
}

/// A known credential lifetime an expiry can match.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, strum::EnumIter)]
pub enum Lifetime {
    #[serde(rename = "15m-minimum")]
    AssumeRoleMinimum,
    #[serde(rename = "1h-default")]
    AssumeRoleDefault,
    #[serde(rename = "8h-sso-session")]
    SsoSession,
    #[serde(rename = "12h-maximum")]
    RoleSessionMaximum,
    #[serde(rename = "36h-get-session-token")]
    GetSessionToken,
    /// The role's MaxSessionDuration, given with --max-session-duration.
    #[serde(rename = "max-session-duration")]
    MaxSessionDuration,
    /// The credentials' own expiry, given with --expires-at.
    #[serde(rename = "known-expiry")]
    KnownExpiry,
}

impl Lifetime {
    /// The standard lifetimes, in seconds (the role's own and a known expiry vary).
    pub fn seconds(self) -> Option<i64> {
        match self {
            Lifetime::AssumeRoleMinimum => Some(limits::ASSUME_ROLE_MIN),
            Lifetime::AssumeRoleDefault => Some(limits::ASSUME_ROLE_DEFAULT),
            Lifetime::SsoSession => Some(limits::SSO_SESSION_DEFAULT),
            Lifetime::RoleSessionMaximum => Some(limits::LONGEST_ROLE_SESSION),
            Lifetime::GetSessionToken => Some(limits::USER_SESSION_MAX),
            Lifetime::MaxSessionDuration | Lifetime::KnownExpiry => None,
        }
    }
}

/// How an expiry's timing compares with what is known.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum ExpiryMatch {
    /// It failed at the credentials' known expiry (--expires-at).
    KnownExpiry { expires_at: DateTime<Utc> },
    /// It failed after a standard lifetime (within the tolerance).
    Lifetime { lifetime: Lifetime, seconds: i64 },
    /// No standard lifetime, and the known expiry was another time: another token expired.
    OtherToken {
        elapsed_seconds: i64,
        expires_at: DateTime<Utc>,
    },
    /// No standard lifetime.
    NoLifetime { elapsed_seconds: i64 },
}

/// A known credential lifetime.
struct Limit {
    seconds: i64,
    lifetime: Lifetime,
}

fn limits_for(opts: &Options) -> Vec<Limit> {
    // The user's own limit first: on a tie it is the more specific answer.
    let mut v: Vec<Limit> = opts
        .max_session_seconds
        .map(|max| Limit {
            seconds: max,
            lifetime: Lifetime::MaxSessionDuration,
        })
        .into_iter()
        .collect();
    v.extend(
        <Lifetime as strum::IntoEnumIterator>::iter().filter_map(|lifetime| {
            lifetime
                .seconds()
                .map(|seconds| Limit { seconds, lifetime })
        }),
    );
    v
}

/// Credentials are usually obtained shortly before a job starts, so an expiry shows up a bit
/// *before* the lifetime has elapsed from the job's start; clocks and refresh windows add a
/// little after. 10 % (at least 5 minutes) before, 2 % (at least 2 minutes) after (said in
/// `render::triage::TOLERANCE`).
fn matches(elapsed: i64, limit: i64) -> bool {
    let before = (limit / 10).max(300);
    let after = (limit / 50).max(120);
    elapsed >= limit - before && elapsed <= limit + after
}

/// The clock offset a "Signature expired" (or S3 RequestTimeTooSkewed) line reveals:
/// reference (AWS) minus local, in seconds.
pub fn clock_offset(text: &str) -> Option<f64> {
    // "Signature expired: 20240301T120000Z is now earlier than 20240301T121000Z (20240301T121500Z - 5 min.)"
    // "Signature not yet current: 20240301T123000Z is still later than 20240301T122000Z (20240301T120500Z + 15 min.)"
    for marker in ["Signature expired: ", "Signature not yet current: "] {
        if let Some(at) = text.find(marker) {
            let rest = &text[at + marker.len()..];
            let signed = basic_time(rest.get(..16)?)?;
            let open = rest.find('(')?;
            let server = basic_time(rest.get(open + 1..open + 17)?)?;
            return Some((server - signed).num_seconds() as f64);
        }
    }
    // S3: <RequestTime>20240301T120000Z</RequestTime><ServerTime>2024-03-01T12:15:00Z</ServerTime>
    let request = between(text, "<RequestTime>", "</RequestTime>")?;
    let server = between(text, "<ServerTime>", "</ServerTime>")?;
    let request = basic_time(request).or_else(|| request.parse::<DateTime<Utc>>().ok())?;
    let server = server
        .parse::<DateTime<Utc>>()
        .ok()
        .or_else(|| basic_time(server))?;
    Some((server - request).num_seconds() as f64)
}

fn between<'a>(text: &'a str, open: &str, close: &str) -> Option<&'a str> {
    let start = text.find(open)? + open.len();
    let end = text[start..].find(close)? + start;
    Some(&text[start..end])
}

/// SigV4's basic format, `20240301T120000Z`.
fn basic_time(s: &str) -> Option<DateTime<Utc>> {
    NaiveDateTime::parse_from_str(s.get(..16)?, "%Y%m%dT%H%M%SZ")
        .ok()
        .map(|n| n.and_utc())
}

pub fn diagnose(scan: &Scan, opts: &Options) -> (Diagnosis, Vec<Fix>) {
    let started_at = opts.started_at.or(scan.first_time);
    // The first failure that explains a dead job, by time; else the most telling other class.
    let fatal = scan
        .events
        .iter()
        .filter(|e| e.class.is_credential_cause())
        .min_by_key(|e| (e.timestamp, e.line));
    let chosen = fatal.or_else(|| {
        scan.events
            .iter()
            .filter(|e| e.class == Class::AccessDenied)
            .min_by_key(|e| e.line)
            .or_else(|| scan.events.iter().min_by_key(|e| e.line))
    });
    let mut d = Diagnosis {
        cause: None,
        elapsed_seconds: None,
        matched_limit: None,
        clock_offset_seconds: None,
        failure_line: None,
        failure_code: None,
        started_at,
        failed_at: None,
        expiry: None,
        class_lines: 0,
        lines: scan.lines,
    };
    let Some(event) = chosen else {
        return (d, Vec::new());
    };
    let cause = event.class;
    let failed_at = event.timestamp;
    let elapsed = match (started_at, failed_at) {
        (Some(s), Some(f)) => Some((f - s).num_seconds()),
        _ => None,
    };
    d.cause = Some(cause);
    d.failed_at = failed_at;
    d.elapsed_seconds = elapsed;
    d.failure_line = Some(event.line);
    d.failure_code = Some(event.code.clone());
    d.class_lines = scan.count(cause);
    d.clock_offset_seconds = scan
        .events
        .iter()
        .filter(|e| e.class == Class::ClockSkew)
        .find_map(|e| clock_offset(&e.text));

    let mut fixes: Vec<Fix> = Vec::new();
    match cause {
        Failure::Expired | Failure::SsoExpired => {
            let known = opts
                .expires_at
                .zip(failed_at)
                .filter(|(x, f)| (*f - *x).num_seconds().abs() <= 120);
            let matched = elapsed.and_then(|e| {
                limits_for(opts)
                    .into_iter()
                    .filter(|l| {
                        cause != Failure::SsoExpired
                            || matches!(
                                l.lifetime,
                                Lifetime::SsoSession | Lifetime::AssumeRoleDefault
                            )
                    })
                    .filter(|l| matches(e, l.seconds))
                    .min_by_key(|l| (e - l.seconds).abs())
            });
            d.expiry = if let Some((x, _)) = known {
                d.matched_limit = Some(Lifetime::KnownExpiry);
                Some(ExpiryMatch::KnownExpiry { expires_at: x })
            } else if let Some(l) = &matched {
                d.matched_limit = Some(l.lifetime);
                Some(ExpiryMatch::Lifetime {
                    lifetime: l.lifetime,
                    seconds: l.seconds,
                })
            } else if let (Some(e), Some(x)) = (elapsed, opts.expires_at) {
                Some(ExpiryMatch::OtherToken {
                    elapsed_seconds: e,
                    expires_at: x,
                })
            } else {
                elapsed.map(|e| ExpiryMatch::NoLifetime { elapsed_seconds: e })
            };
            if cause == Failure::SsoExpired {
                fixes.push(Fix::SsoLogin {
                    profile: "default".into(),
                });
                // The job outlived the session it had: it needs more than that, an hour more
                // at least (what it needed in all, the log cannot say).
                fixes.push(Fix::ExtendSsoSession {
                    profile: "default".into(),
                    needed_seconds: elapsed
                        .unwrap_or(limits::SSO_SESSION_DEFAULT)
                        .max(limits::ASSUME_ROLE_DEFAULT)
                        .saturating_add(limits::ASSUME_ROLE_DEFAULT),
                });
            } else {
                fixes.push(Fix::UseRefreshingProfile {
                    target: RefreshingSource::NewRoleProfile { role_arn: None },
                });
                match matched.as_ref().map(|l| l.lifetime) {
                    Some(Lifetime::AssumeRoleDefault) => {
                        // A longer single session needs the role to allow it first (asking
                        // alone fails), and never works chained: one procedure, after the
                        // refreshing source.
                        fixes.push(Fix::RaiseMaxSessionDuration {
                            role: "<ROLE_NAME>".into(),
                            needed_seconds: limits::LONGEST_ROLE_SESSION,
                            request: Some(crate::fixes::SessionRequest {
                                profile: None,
                                role_arn: None,
                                from_session: true,
                            }),
                        });
                        fixes.push(Fix::AvoidRoleChaining {
                            role_arn: None,
                            base_profile: None,
                        });
                    }
                    Some(Lifetime::RoleSessionMaximum | Lifetime::GetSessionToken) => {
                        fixes.push(Fix::SplitOrCheckpointJob {
                            runtime_seconds: elapsed.unwrap_or(limits::LONGEST_ROLE_SESSION),
                            longest_seconds: limits::LONGEST_ROLE_SESSION,
                        });
                    }
                    _ => {}
                }
            }
        }
        Failure::ClockSkew => fixes.push(Fix::SyncClock),
        Failure::NoCredentials => fixes.push(Fix::ConfigureCredentials { profile: None }),
        Failure::InvalidToken | Failure::AccessDenied | Failure::Throttling => {}
    }
    (d, crate::fixes::rank(fixes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clock_offsets_from_signature_errors() {
        assert_eq!(
            clock_offset(
                "Signature expired: 20240301T120000Z is now earlier than 20240301T121000Z (20240301T121500Z - 5 min.)"
            ),
            Some(900.0)
        );
        assert_eq!(
            clock_offset(
                "Signature not yet current: 20240301T123000Z is still later than 20240301T122000Z (20240301T120500Z + 15 min.)"
            ),
            Some(-1500.0)
        );
        assert_eq!(
            clock_offset(
                "<Code>RequestTimeTooSkewed</Code><RequestTime>20240301T120000Z</RequestTime><ServerTime>2024-03-01T12:10:00Z</ServerTime>"
            ),
            Some(600.0)
        );
        assert_eq!(clock_offset("Signature expired: garbage"), None);
    }

    #[test]
    fn lifetimes_match_within_the_tolerance() {
        assert!(matches(3600, 3600));
        assert!(matches(3600 - 300, 3600));
        assert!(matches(3600 + 100, 3600));
        assert!(!matches(3600 + 600, 3600));
        assert!(!matches(2400, 3600));
        assert!(matches(12 * 3600 - 3000, 12 * 3600));
    }
}
