//! Turning SDK failures into [`ProbeError`]s classified by what they mean for the job.
//!
//! The AWS error code decides, not the message: `ExpiredToken` and `ExpiredTokenException`
//! mean the credentials are already dead, `InvalidClientTokenId` and
//! `UnrecognizedClientException` that they were revoked or belong to another partition,
//! `RequestExpired` and `SignatureDoesNotMatch` … "Signature expired" that the clock is off.
//! Messages are cut to one line of bounded length: a hostile endpoint cannot flood the report.

use crate::facts::{ErrorClass, ProbeError};
use aws_credential_types::provider::error::CredentialsError;
// The SDK's generic error types, through the STS crate's re-exports (the IAM crate re-exports
// the very same types).
use aws_sdk_sts::config::http::HttpResponse;
use aws_sdk_sts::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};
use std::time::Duration;

const MAX_MESSAGE: usize = 300;

/// One line, at most `MAX_MESSAGE` characters, control characters replaced.
pub fn one_line(s: &str) -> String {
    let clean: String = s
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let clean = clean.split_whitespace().collect::<Vec<_>>().join(" ");
    if clean.chars().count() > MAX_MESSAGE {
        format!("{}…", clean.chars().take(MAX_MESSAGE).collect::<String>())
    } else {
        clean
    }
}

/// Classifies an AWS error code (and, for signature errors, the message) through the one
/// table in `aws::errors`.
pub fn class_of_code(code: &str, message: &str) -> ErrorClass {
    ErrorClass::of(crate::aws::errors::failure_of(code, message))
}

/// Classifies any SDK operation error.
pub fn from_sdk<E>(err: &SdkError<E, HttpResponse>, waited: Duration, endpoint: &str) -> ProbeError
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
{
    match err {
        SdkError::ServiceError(se) => {
            let e = se.err();
            // AWS-compatible servers (moto, LocalStack) sometimes wrap the error in an extra
            // <Errors> element the SDK's parser does not read; the code is still in the body.
            let body = se
                .raw()
                .body()
                .bytes()
                .map(String::from_utf8_lossy)
                .unwrap_or_default();
            let code = e
                .code()
                .map(str::to_string)
                .or_else(|| xml_text(&body, "Code"))
                .unwrap_or_else(|| format!("HTTP {}", se.raw().status().as_u16()));
            let message = one_line(
                &e.message()
                    .map(str::to_string)
                    .or_else(|| xml_text(&body, "Message"))
                    .unwrap_or_default(),
            );
            ProbeError {
                class: class_of_code(&code, &message),
                code: Some(code),
                message,
            }
        }
        SdkError::TimeoutError(_) => timeout(waited, endpoint),
        SdkError::DispatchFailure(d) if d.is_timeout() => timeout(waited, endpoint),
        SdkError::DispatchFailure(_) => ProbeError {
            class: ErrorClass::Network,
            code: None,
            message: one_line(&format!(
                "{endpoint} could not be reached: {}",
                root_cause(err)
            )),
        },
        SdkError::ResponseError(_) => ProbeError {
            class: ErrorClass::Other,
            code: None,
            message: one_line(&format!(
                "{endpoint} sent an unreadable reply: {}",
                root_cause(err)
            )),
        },
        _ => ProbeError {
            class: ErrorClass::Other,
            code: None,
            message: one_line(&DisplayErrorContext(err).to_string()),
        },
    }
}

/// The text of the first `<tag>…</tag>` in a (bounded) XML error body.
fn xml_text(body: &str, tag: &str) -> Option<String> {
    let body = &body[..body.len().min(64 * 1024)];
    let start = body.find(&format!("<{tag}>"))? + tag.len() + 2;
    let end = body[start..].find(&format!("</{tag}>"))? + start;
    Some(one_line(&body[start..end])).filter(|s| !s.is_empty())
}

/// The deadline cut the probe off.
pub fn timeout(waited: Duration, endpoint: &str) -> ProbeError {
    ProbeError {
        class: ErrorClass::Timeout,
        code: None,
        message: format!(
            "no answer from {endpoint} after {:.1}s",
            waited.as_secs_f64()
        ),
    }
}

/// Classifies a credential provider failure: what the provider *said* (an expired SSO token,
/// a broken profile: the job would fail the same way) apart from how the endpoint behind it
/// *broke* (unreachable, reset, 5xx, garbage, oversized: a probe that broke).
pub fn from_provider(err: &CredentialsError) -> ProbeError {
    let full = DisplayErrorContext(err).to_string();
    // The chain lists every provider it tried; the instance metadata's reason is the telling one
    // on a machine where nothing else is configured.
    if full.contains("no credentials found in chain")
        && let Some(at) = full.find("Ec2InstanceMetadata: ")
    {
        let reason = &full[at + "Ec2InstanceMetadata: ".len()..];
        let reason = reason.split(" (").next().unwrap_or(reason);
        return ProbeError {
            class: ErrorClass::Provider,
            code: None,
            message: one_line(&format!(
                "no provider of the default chain has credentials; instance metadata: {reason}"
            )),
        };
    }
    let text = one_line(&full);
    let has = |needles: &[&str]| needles.iter().any(|n| text.contains(n));
    let class = match err {
        CredentialsError::ProviderTimedOut(_) => ErrorClass::Timeout,
        _ if has(&["ExpiredToken"]) => ErrorClass::EXPIRED,
        _ if has(&["InvalidClientTokenId", "UnrecognizedClient"]) => ErrorClass::INVALID_TOKEN,
        _ if has(&["AccessDenied"]) => ErrorClass::ACCESS_DENIED,
        // Nothing in the chain answered: a finding about the machine, not a broken probe.
        _ if has(&["no credentials found in chain", "not enabled"]) => ErrorClass::Provider,
        _ if has(&[
            "dispatch failure",
            "response error",
            "io error",
            "timed out",
            "Connection reset",
        ]) =>
        {
            ErrorClass::Network
        }
        _ if has(&[
            "unhandled error",
            "Non-success status",
            "unexpected token",
            "invalid JSON",
            "invalid token",
            "TTL header",
            "more than the",
            "Invalid field in response",
            "invalid date-time",
        ]) =>
        {
            ErrorClass::Other
        }
        _ => ErrorClass::Provider,
    };
    ProbeError {
        class,
        code: None,
        message: text,
    }
}

/// The innermost error's text: "Connection refused (os error 111)" rather than a chain of
/// wrappers.
fn root_cause(err: &(dyn std::error::Error + 'static)) -> String {
    let mut cur: &(dyn std::error::Error + 'static) = err;
    while let Some(next) = cur.source() {
        cur = next;
    }
    cur.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_decide_the_class() {
        assert_eq!(class_of_code("ExpiredToken", ""), ErrorClass::EXPIRED);
        assert_eq!(class_of_code("AccessDenied", ""), ErrorClass::ACCESS_DENIED);
        assert_eq!(class_of_code("SomethingElse", ""), ErrorClass::Other);
    }

    #[test]
    fn codes_are_found_in_wrapped_error_bodies() {
        let body = "<ErrorResponse><Errors><Error><Code>AccessDenied</Code><Message>no</Message></Error></Errors></ErrorResponse>";
        assert_eq!(xml_text(body, "Code").as_deref(), Some("AccessDenied"));
        assert_eq!(xml_text(body, "Message").as_deref(), Some("no"));
        assert_eq!(xml_text("<Code></Code>", "Code"), None);
        assert_eq!(xml_text("garbage", "Code"), None);
    }

    #[test]
    fn messages_are_one_bounded_line() {
        assert_eq!(one_line("a\nb\t c"), "a b c");
        assert!(one_line(&"x".repeat(10_000)).chars().count() <= MAX_MESSAGE + 1);
    }
}
