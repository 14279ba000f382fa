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
    /// For an expiry: the token that expired, when the failing line names one other than the
    /// AWS credentials themselves (an ECR or EKS token, a presigned URL).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expired_token: Option<Token>,
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
    /// An ECR authorization token (`docker login` with `aws ecr get-login-password`).
    #[serde(rename = "12h-ecr-authorization-token")]
    EcrAuthorizationToken,
    /// An EKS authentication token (`aws eks get-token`, a presigned STS URL).
    #[serde(rename = "15m-eks-token")]
    EksToken,
    /// A presigned URL's own `X-Amz-Expires`, read from the failing line.
    #[serde(rename = "presigned-url")]
    PresignedUrl,
}

/// A token other than the AWS credentials that an expiry line names: each has its own
/// lifetime and its own fix.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Token {
    /// docker's "Your authorization token has expired" from an ECR registry: 12 h.
    EcrAuthorization,
    /// aws-iam-authenticator's "X-Amz-Date parameter is expired (15 minute expiration)".
    EksAuthentication,
    /// S3's "Request has expired" for a presigned URL; its `X-Amz-Expires`, when the line
    /// carries it.
    PresignedUrl { expires_seconds: Option<i64> },
}

/// The token an expiry line names, if any (ASCII case ignored).
pub fn token_of(text: &str) -> Option<Token> {
    let lower = text.to_ascii_lowercase();
    let has = |s: &str| lower.contains(s);
    if has("authorization token has expired") || (has(".dkr.ecr.") && has("expired")) {
        return Some(Token::EcrAuthorization);
    }
    if has("x-amz-date parameter is expired") || has("k8s-aws-v1.") {
        return Some(Token::EksAuthentication);
    }
    if has("x-amz-expires") || (has("request has expired") && has("<expires>")) {
        let expires_seconds = ["x-amz-expires>", "x-amz-expires="].iter().find_map(|key| {
            let at = lower.find(key)? + key.len();
            let digits: String = lower[at..]
                .chars()
                .take_while(char::is_ascii_digit)
                .take(9)
                .collect();
            digits.parse::<i64>().ok()
        });
        return Some(Token::PresignedUrl { expires_seconds });
    }
    None
}

impl Token {
    /// The lifetimes an expiry of this token can match: its own; for a presigned URL also the
    /// session that signed it (a URL dies with its credentials).
    fn lifetimes(self) -> Vec<(Lifetime, Option<i64>)> {
        match self {
            Token::EcrAuthorization => vec![(Lifetime::EcrAuthorizationToken, None)],
            Token::EksAuthentication => vec![(Lifetime::EksToken, None)],
            Token::PresignedUrl { expires_seconds } => {
                let mut v = vec![(Lifetime::PresignedUrl, expires_seconds)];
                v.extend(
                    [
                        Lifetime::AssumeRoleMinimum,
                        Lifetime::AssumeRoleDefault,
                        Lifetime::RoleSessionMaximum,
                        Lifetime::GetSessionToken,
                    ]
                    .map(|l| (l, None)),
                );
                v
            }
        }
    }
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
            Lifetime::EcrAuthorizationToken => Some(limits::ECR_TOKEN),
            Lifetime::EksToken => Some(limits::EKS_TOKEN),
            Lifetime::MaxSessionDuration | Lifetime::KnownExpiry | Lifetime::PresignedUrl => None,
        }
    }

    /// Whether an expiry of the AWS credentials themselves can match it (not another token's).
    fn is_credentials(self) -> bool {
        !matches!(
            self,
            Lifetime::EcrAuthorizationToken | Lifetime::EksToken | Lifetime::PresignedUrl
        )
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

fn limits_for(opts: &Options, token: Option<Token>) -> Vec<Limit> {
    // The user's own limit first: on a tie it is the more specific answer.
    let mut v: Vec<Limit> = opts
        .max_session_seconds
        .filter(|_| {
            !matches!(
                token,
                Some(Token::EcrAuthorization | Token::EksAuthentication)
            )
        })
        .map(|max| Limit {
            seconds: max,
            lifetime: Lifetime::MaxSessionDuration,
        })
        .into_iter()
        .collect();
    match token {
        Some(token) => v.extend(token.lifetimes().into_iter().filter_map(|(lifetime, own)| {
            own.or(lifetime.seconds())
                .map(|seconds| Limit { seconds, lifetime })
        })),
        None => v.extend(
            <Lifetime as strum::IntoEnumIterator>::iter()
                .filter(|l| l.is_credentials())
                .filter_map(|lifetime| {
                    lifetime
                        .seconds()
                        .map(|seconds| Limit { seconds, lifetime })
                }),
        ),
    }
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

/// Whether a line was logged at DEBUG level (log4j/logback, Python logging, tracing, logrus).
pub fn is_debug(text: &str) -> bool {
    let head: String = text
        .chars()
        .take(200)
        .collect::<String>()
        .to_ascii_lowercase();
    head.contains(" debug ")
        || head.starts_with("debug ")
        || head.contains("[debug]")
        || head.contains(" - debug - ")
        || head.contains("level=debug")
        || head.contains("\"level\":\"debug\"")
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
    // A DEBUG line (an SDK's provider chain noting each provider it tried, which it also logs
    // when a later provider succeeds) decides only when nothing louder failed.
    let fatal = scan
        .events
        .iter()
        .filter(|e| e.class.is_credential_cause())
        .min_by_key(|e| (is_debug(&e.text), e.timestamp, e.line));
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
        expired_token: None,
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
            let token = (cause == Failure::Expired)
                .then(|| token_of(&event.text))
                .flatten();
            d.expired_token = token;
            let known = opts
                .expires_at
                .zip(failed_at)
                .filter(|(x, f)| (*f - *x).num_seconds().abs() <= 120);
            let matched = elapsed.and_then(|e| {
                limits_for(opts, token)
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
            } else if let Some(token) = token {
                fixes.extend(token_fixes(token, matched.as_ref().map(|l| l.lifetime)));
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

/// The fixes for another token's expiry: a new token at each use, from a source that
/// refreshes; for a presigned URL that died with its signing session, longer-lived signing
/// credentials too.
fn token_fixes(token: Token, matched: Option<Lifetime>) -> Vec<Fix> {
    match token {
        Token::EcrAuthorization => vec![Fix::RefreshEcrLogin { registry: None }],
        Token::EksAuthentication => vec![Fix::UseEksGetToken { cluster: None }],
        Token::PresignedUrl { expires_seconds } => {
            let signed_by_session = matches!(
                matched,
                Some(
                    Lifetime::AssumeRoleMinimum
                        | Lifetime::AssumeRoleDefault
                        | Lifetime::RoleSessionMaximum
                        | Lifetime::GetSessionToken
                        | Lifetime::MaxSessionDuration
                )
            );
            vec![Fix::PresignWhenUsed {
                expires_seconds,
                signed_by_session,
            }]
        }
    }
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

    fn at(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    /// A log that started at 08:00 and failed `minutes` later with `line` (an expiry).
    fn died_after(minutes: i64, line: &str) -> (Diagnosis, Vec<Fix>) {
        let start = at("2026-11-23T08:00:00Z");
        let mut scan = Scan {
            lines: 2,
            first_time: Some(start),
            ..Scan::default()
        };
        let hit = crate::triage::classify::Hit {
            class: Class::Expired,
            code: "ExpiredToken",
            at: 0,
        };
        scan.record(
            2,
            line.as_bytes(),
            hit,
            Some(start + chrono::TimeDelta::minutes(minutes)),
        );
        diagnose(&scan, &Options::default())
    }

    fn ids(fixes: &[Fix]) -> Vec<&'static str> {
        fixes.iter().map(|f| f.id().name()).collect()
    }

    #[test]
    fn an_ecr_token_expires_after_12_hours_and_docker_logs_in_again() {
        let line = "Error response from daemon: denied: Your authorization token has expired. \
                    Reauthenticate and try again.";
        let (d, fixes) = died_after(12 * 60 - 20, line);
        assert_eq!(d.expired_token, Some(Token::EcrAuthorization));
        assert_eq!(d.matched_limit, Some(Lifetime::EcrAuthorizationToken));
        assert_eq!(ids(&fixes), ["refresh-ecr-login"]);
        // At 1 h it is still the ECR token (logged in long before), never a role's 1 h.
        let (d, fixes) = died_after(60, line);
        assert_eq!(d.matched_limit, None);
        assert!(matches!(d.expiry, Some(ExpiryMatch::NoLifetime { .. })));
        assert_eq!(ids(&fixes), ["refresh-ecr-login"]);
    }

    #[test]
    fn an_eks_token_expires_after_15_minutes() {
        let line = "level=warning msg=\"access denied\" error=\"input token was not properly \
                    formatted: X-Amz-Date parameter is expired (15 minute expiration) 2021-11-18 \
                    07:11:46 +0000 UTC\"";
        let (d, fixes) = died_after(15, line);
        assert_eq!(d.expired_token, Some(Token::EksAuthentication));
        assert_eq!(d.matched_limit, Some(Lifetime::EksToken));
        assert_eq!(ids(&fixes), ["use-eks-get-token"]);
    }

    #[test]
    fn a_presigned_url_dies_with_its_own_expiry_or_its_signing_session() {
        let xml = |secs: i64| {
            format!(
                "<Error><Code>AccessDenied</Code><Message>Request has expired</Message>\
                 <X-Amz-Expires>{secs}</X-Amz-Expires><Expires>2026-11-23T10:00:00Z</Expires></Error>"
            )
        };
        let (d, fixes) = died_after(120, &xml(7200));
        assert_eq!(
            d.expired_token,
            Some(Token::PresignedUrl {
                expires_seconds: Some(7200)
            })
        );
        assert_eq!(d.matched_limit, Some(Lifetime::PresignedUrl));
        assert_eq!(
            fixes,
            [Fix::PresignWhenUsed {
                expires_seconds: Some(7200),
                signed_by_session: false
            }]
        );
        // Asked for a day, died after an hour: the 1 h role session that signed it ended.
        let (d, fixes) = died_after(60, &xml(86_400));
        assert_eq!(d.matched_limit, Some(Lifetime::AssumeRoleDefault));
        assert_eq!(
            fixes,
            [Fix::PresignWhenUsed {
                expires_seconds: Some(86_400),
                signed_by_session: true
            }]
        );
    }

    #[test]
    fn a_debug_chain_line_never_hides_the_failure_that_killed_the_job() {
        let start = at("2026-11-23T08:00:00Z");
        let mut scan = Scan {
            lines: 3,
            first_time: Some(start),
            ..Scan::default()
        };
        let debug = "425 [main] DEBUG software.amazon.awssdk.auth.credentials.AwsCredentialsProviderChain - \
                     Unable to load credentials from SystemPropertyCredentialsProvider()";
        let no_creds = crate::triage::classify::Hit {
            class: Class::NoCredentials,
            code: "SdkClientException",
            at: 0,
        };
        let expired = crate::triage::classify::Hit {
            class: Class::Expired,
            code: "ExpiredToken",
            at: 0,
        };
        scan.record(1, debug.as_bytes(), no_creds, Some(start));
        let line = "ERROR ExpiredToken: The security token included in the request is expired";
        let later = start + chrono::TimeDelta::minutes(61);
        scan.record(3, line.as_bytes(), expired, Some(later));
        let (d, _) = diagnose(&scan, &Options::default());
        assert_eq!(d.cause, Some(Failure::Expired));
        assert_eq!(d.matched_limit, Some(Lifetime::AssumeRoleDefault));
        // Alone, the DEBUG line is still the answer.
        scan.events.pop();
        let (d, _) = diagnose(&scan, &Options::default());
        assert_eq!(d.cause, Some(Failure::NoCredentials));
        assert!(is_debug(
            "2023-02-10 07:11:29,632 - MainThread - botocore.credentials - DEBUG - x"
        ));
        assert!(is_debug("time=\"x\" level=debug msg=\"y\""));
        assert!(!is_debug("ERROR debugging session failed"));
    }

    #[test]
    fn tokens_are_named_by_their_own_words_only() {
        assert_eq!(
            token_of("An error occurred (ExpiredToken) when calling"),
            None
        );
        assert_eq!(
            token_of("GET https://b.s3.amazonaws.com/k?X-Amz-Expires=900&X-Amz-Date=x 403"),
            Some(Token::PresignedUrl {
                expires_seconds: Some(900)
            })
        );
        assert_eq!(
            token_of("pull 123456789012.dkr.ecr.eu-west-1.amazonaws.com/app: token expired"),
            Some(Token::EcrAuthorization)
        );
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
