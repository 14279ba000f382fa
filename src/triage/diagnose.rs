//! From the failing lines to a cause: how long after the start the credentials failed, which
//! known lifetime that matches, or how far off the clock was. Pure; the scan gathers, this
//! decides.

use super::classes::Class;
use super::scan::Scan;
use crate::fixes::{self, Fix, RefreshingSource};
use crate::human;
use chrono::{DateTime, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Cause {
    TokenExpiry,
    ClockSkew,
    SsoExpiry,
    NoCredentials,
    /// Revoked or mismatched credentials (InvalidClientTokenId): not a lifetime, but a
    /// credential cause. Additive to DESIGN.md's list.
    InvalidCredentials,
    Permissions,
    Throttling,
    None,
}

impl Cause {
    /// Causes that mean "the job died of its credentials or its clock": exit 1.
    pub fn is_credential_cause(self) -> bool {
        matches!(
            self,
            Cause::TokenExpiry
                | Cause::ClockSkew
                | Cause::SsoExpiry
                | Cause::NoCredentials
                | Cause::InvalidCredentials
        )
    }

    fn of(class: Class) -> Cause {
        match class {
            Class::Expired => Cause::TokenExpiry,
            Class::SsoExpired => Cause::SsoExpiry,
            Class::ClockSkew => Cause::ClockSkew,
            Class::InvalidToken => Cause::InvalidCredentials,
            Class::NoCredentials => Cause::NoCredentials,
            Class::AccessDenied => Cause::Permissions,
            Class::Throttling => Cause::Throttling,
        }
    }
}

/// Lines of this class mean the job died of its credentials or its clock.
pub fn is_failure_class(class: Class) -> bool {
    Cause::of(class).is_credential_cause()
}

#[derive(Clone, Debug, Default)]
pub struct Options {
    pub started_at: Option<DateTime<Utc>>,
    pub expires_at: Option<DateTime<Utc>>,
    pub max_session_seconds: Option<i64>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Diagnosis {
    pub cause: Cause,
    pub elapsed_seconds: Option<i64>,
    pub matched_limit: Option<String>,
    pub clock_offset_seconds: Option<f64>,
    pub explanation: String,
    /// The line number of the failure the diagnosis rests on.
    pub failure_line: Option<u64>,
    pub started_at: Option<DateTime<Utc>>,
    pub failed_at: Option<DateTime<Utc>>,
}

/// A known credential lifetime.
struct Limit {
    seconds: i64,
    id: &'static str,
    says: String,
}

fn limits(opts: &Options) -> Vec<Limit> {
    // The user's own limit first: on a tie it is the more specific answer.
    let mut v: Vec<Limit> = opts
        .max_session_seconds
        .map(|max| Limit {
            seconds: max,
            id: "max-session-duration",
            says: format!("the role's MaxSessionDuration ({})", human::duration(max)),
        })
        .into_iter()
        .collect();
    v.extend([
        Limit {
            seconds: 900,
            id: "15m-minimum",
            says: "the 15-minute minimum AssumeRole session".into(),
        },
        Limit {
            seconds: 3600,
            id: "1h-default",
            says: "the 1 h default AssumeRole duration / role-chaining cap".into(),
        },
        Limit {
            seconds: 8 * 3600,
            id: "8h-sso-session",
            says: "the 8 h default IAM Identity Center session".into(),
        },
        Limit {
            seconds: 12 * 3600,
            id: "12h-maximum",
            says: "the 12 h maximum role session".into(),
        },
        Limit {
            seconds: 36 * 3600,
            id: "36h-get-session-token",
            says: "the 36 h maximum GetSessionToken session".into(),
        },
    ]);
    v
}

/// Credentials are usually obtained shortly before a job starts, so an expiry shows up a bit
/// *before* the lifetime has elapsed from the job's start; clocks and refresh windows add a
/// little after. 10 % (at least 5 minutes) before, 2 % (at least 2 minutes) after.
pub const TOLERANCE: &str = "within 10% (at least 5m) before or 2% (at least 2m) after";

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
        .filter(|e| Cause::of(e.class).is_credential_cause())
        .min_by_key(|e| (e.timestamp, e.line));
    let chosen = fatal.or_else(|| {
        scan.events
            .iter()
            .filter(|e| e.class == Class::AccessDenied)
            .min_by_key(|e| e.line)
            .or_else(|| scan.events.iter().min_by_key(|e| e.line))
    });
    let Some(event) = chosen else {
        return (
            Diagnosis {
                cause: Cause::None,
                elapsed_seconds: None,
                matched_limit: None,
                clock_offset_seconds: None,
                explanation: format!(
                    "No AWS credential, clock or permission error in {} lines.",
                    scan.lines
                ),
                failure_line: None,
                started_at,
                failed_at: None,
            },
            Vec::new(),
        );
    };
    let cause = Cause::of(event.class);
    let failed_at = event.timestamp;
    let elapsed = match (started_at, failed_at) {
        (Some(s), Some(f)) => Some((f - s).num_seconds()),
        _ => None,
    };
    let clock_offset_seconds = scan
        .events
        .iter()
        .filter(|e| e.class == Class::ClockSkew)
        .find_map(|e| clock_offset(&e.text));

    let at = format!("line {} ({})", event.line, event.code);
    let when = match (started_at, elapsed) {
        (Some(s), Some(e)) => format!(
            "The job started at {} and failed {} later, at {at}",
            s.format("%Y-%m-%d %H:%M:%S UTC"),
            human::precise(e)
        ),
        _ => format!("The job failed at {at}; the log carries no usable times"),
    };
    let mut matched_limit = None;
    let mut fixes_out: Vec<Fix> = Vec::new();
    let explanation = match cause {
        Cause::TokenExpiry | Cause::SsoExpiry => {
            let known = opts
                .expires_at
                .zip(failed_at)
                .filter(|(x, f)| (*f - *x).num_seconds().abs() <= 120);
            let matched = elapsed.and_then(|e| {
                let wanted: Vec<Limit> = limits(opts)
                    .into_iter()
                    .filter(|l| {
                        cause != Cause::SsoExpiry
                            || l.id == "8h-sso-session"
                            || l.id == "1h-default"
                    })
                    .collect();
                wanted
                    .into_iter()
                    .filter(|l| matches(e, l.seconds))
                    .min_by_key(|l| (e - l.seconds).abs())
            });
            let limit_text = if let Some((x, _)) = known {
                matched_limit = Some("known-expiry".to_string());
                format!(
                    "That is the credentials' known expiry ({}).",
                    x.format("%Y-%m-%d %H:%M:%S UTC")
                )
            } else if let Some(l) = &matched {
                matched_limit = Some(l.id.to_string());
                format!("That matches {} ({TOLERANCE}).", l.says)
            } else if let (Some(e), Some(x)) = (elapsed, opts.expires_at) {
                format!(
                    "{} matches no standard lifetime ({TOLERANCE}), and the credentials were known to \
                     expire at {} instead: what expired was likely another token (a source profile's \
                     session, or one the job obtained itself).",
                    human::precise(e),
                    x.format("%Y-%m-%d %H:%M:%S UTC")
                )
            } else if let Some(e) = elapsed {
                format!(
                    "{} matches no standard lifetime ({TOLERANCE}): the credentials were likely obtained \
                     well before the job started, or have an expiry of their own; pass --expires-at if you know it.",
                    human::precise(e)
                )
            } else {
                String::new()
            };
            if cause == Cause::SsoExpiry {
                fixes_out.push(fixes::sso_login("default"));
                fixes_out.push(fixes::extend_sso_session(
                    "default",
                    elapsed.unwrap_or(8 * 3600).max(3600),
                ));
                format!("{when}: the SSO token or session had expired. {limit_text}")
            } else {
                fixes_out.push(fixes::use_refreshing_profile(
                    &RefreshingSource::NewRoleProfile { role_arn: None },
                ));
                match matched.as_ref().map(|l| l.id) {
                    Some("1h-default") => {
                        fixes_out.push(fixes::request_longer_session(None, None, 43_200));
                        fixes_out.push(fixes::avoid_role_chaining(None, None));
                    }
                    Some("12h-maximum") | Some("36h-get-session-token") => {
                        fixes_out.push(fixes::split_or_checkpoint_job(
                            elapsed.unwrap_or(43_200),
                            43_200,
                        ));
                    }
                    _ => {}
                }
                format!("{when}: the credentials had expired and were not refreshed. {limit_text}")
            }
        }
        Cause::ClockSkew => {
            fixes_out.push(fixes::sync_clock());
            match clock_offset_seconds {
                Some(o) => format!(
                    "{when}: AWS rejected the request's signature time. The local clock was {} {} AWS (offset {o:+.0}s).",
                    human::duration(o.abs().round() as i64),
                    if o > 0.0 { "behind" } else { "ahead of" }
                ),
                None => format!(
                    "{when}: AWS rejected the request's signature time; the local clock was off by more than 5 minutes."
                ),
            }
        }
        Cause::NoCredentials => {
            fixes_out.push(fixes::configure_credentials(None));
            format!(
                "{when}: the SDK found no credentials at all (the source it used disappeared, or never existed)."
            )
        }
        Cause::InvalidCredentials => format!(
            "{when}: AWS did not recognise the credentials (revoked keys, a session token that does not match its keys, or another partition). Not a lifetime problem."
        ),
        Cause::Permissions => format!(
            "Only permission errors ({} line(s), first at line {}): the credentials worked; a policy refused the call. Not a credential lifetime problem.",
            scan.count(Class::AccessDenied),
            event.line
        ),
        Cause::Throttling => format!(
            "Only throttling ({} line(s), first at line {}): AWS slowed the job down. Not a credential problem.",
            scan.count(Class::Throttling),
            event.line
        ),
        Cause::None => unreachable!("handled above"),
    };
    (
        Diagnosis {
            cause,
            elapsed_seconds: elapsed,
            matched_limit,
            clock_offset_seconds,
            explanation,
            failure_line: Some(event.line),
            started_at,
            failed_at,
        },
        fixes_out,
    )
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
