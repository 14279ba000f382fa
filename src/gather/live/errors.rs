//! Turning SDK failures into [`ProbeError`]s classified by what they mean for the job.
//!
//! The AWS error code decides, through the one table in `aws::errors`, not the message:
//! `ExpiredToken` and `ExpiredTokenException` mean the credentials are already dead,
//! `InvalidClientTokenId` and `UnrecognizedClientException` that they were revoked or belong
//! to another partition, `RequestExpired` and `SignatureDoesNotMatch` … "Signature expired"
//! that the clock is off. A credential provider's failure is classified by the error types in
//! its source chain (aws-config 1.13: `CredentialsError`'s variant, the provider chain's
//! attempts, the STS/SSO `SdkError` with its code, the SSO `TokenError`, `ImdsError`,
//! `ConnectorError`), never by its English. Messages are cut to one line of bounded length: a
//! hostile endpoint cannot flood the report.

use super::http::OversizedReply;
use crate::facts::{ErrorClass, ProbeError, ProbeFailure, Source};
use aws_config::imds::client::error::{ImdsError, TokenError as ImdsTokenError};
use aws_config::meta::ProviderChainError;
use aws_credential_types::provider::error::{CredentialsError, TokenError as SsoTokenError};
use aws_sdk_sso::operation::get_role_credentials::GetRoleCredentialsError;
use aws_sdk_sts::operation::assume_role::AssumeRoleError;
use aws_sdk_sts::operation::assume_role_with_web_identity::AssumeRoleWithWebIdentityError;
use aws_smithy_runtime_api::client::result::ConnectorError;
use std::error::Error;
// The SDK's generic error types, through the STS crate's re-exports (the IAM crate re-exports
// the very same types).
use aws_sdk_sts::config::http::HttpResponse;
use aws_sdk_sts::error::{ProvideErrorMetadata, SdkError};
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
    let endpoint = Some(endpoint.to_string());
    let causes = causes(err);
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
            let status = se.raw().status();
            let code = e
                .code()
                .map(str::to_string)
                .or_else(|| xml_text(&body, "Code"));
            let Some(code) = code else {
                return ProbeError::new(
                    ErrorClass::Other,
                    ProbeFailure::UnreadableReply {
                        endpoint,
                        status: Some(status.as_u16()),
                    },
                )
                .causes(causes);
            };
            let message = one_line(
                &e.message()
                    .map(str::to_string)
                    .or_else(|| xml_text(&body, "Message"))
                    .unwrap_or_default(),
            );
            ProbeError::new(
                class_of_code(&code, &message),
                ProbeFailure::Service { message },
            )
            .code(Some(code))
        }
        SdkError::TimeoutError(_) => timeout(waited),
        SdkError::DispatchFailure(d) if d.is_timeout() => timeout(waited),
        SdkError::DispatchFailure(_) if find::<OversizedReply>(err).is_some() => {
            oversized(err).causes(causes)
        }
        SdkError::DispatchFailure(_) => {
            ProbeError::new(ErrorClass::Network, ProbeFailure::Unreachable { endpoint })
                .causes(causes)
        }
        _ => ProbeError::new(
            ErrorClass::Other,
            ProbeFailure::UnreadableReply {
                endpoint,
                status: None,
            },
        )
        .causes(causes),
    }
}

fn oversized(err: &DynError) -> ProbeError {
    let bytes = find::<OversizedReply>(err).map_or(0, |o| o.announced);
    ProbeError::new(ErrorClass::Other, ProbeFailure::OversizedReply { bytes })
}

/// The text of the first `<tag>…</tag>` in a (bounded) XML error body.
fn xml_text(body: &str, tag: &str) -> Option<String> {
    let body = &body[..body.len().min(64 * 1024)];
    let start = body.find(&format!("<{tag}>"))? + tag.len() + 2;
    let end = body[start..].find(&format!("</{tag}>"))? + start;
    Some(one_line(&body[start..end])).filter(|s| !s.is_empty())
}

/// The deadline cut the probe off.
pub fn timeout(waited: Duration) -> ProbeError {
    ProbeError::new(
        ErrorClass::Timeout,
        ProbeFailure::TimedOut {
            waited_ms: waited.as_millis() as u64,
        },
    )
}

/// An error's causes, outermost first, each in its own words (`Display`, never `Debug`), one
/// bounded line each; a wrapper that repeats its inner error's words is said once.
pub fn causes(err: &DynError) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for e in chain(err) {
        let line = plain(&one_line(&e.to_string()));
        if line.is_empty() || out.last() == Some(&line) {
            continue;
        }
        out.push(line);
        if out.len() == MAX_CAUSES {
            break;
        }
    }
    out
}

/// An error's own words without the `Debug` dump some errors append to them (aws-config's IMDS
/// error prints the whole HTTP response, its container provider `StatusCode(500)`): a
/// `Name(simple)` becomes `simple`, and the line ends where a `Name {` or `Name(Name(…` dump
/// begins.
pub fn plain(line: &str) -> String {
    let b = line.as_bytes();
    let mut out = String::with_capacity(line.len());
    let mut i = 0;
    while i < b.len() {
        let starts_word =
            b[i].is_ascii_uppercase() && (i == 0 || !b[i - 1].is_ascii_alphanumeric());
        if !starts_word {
            let ch = line[i..].chars().next().unwrap_or(' ');
            out.push(ch);
            i += ch.len_utf8();
            continue;
        }
        let start = i;
        while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
            i += 1;
        }
        let word = &line[start..i];
        let rest = &line[i..];
        let dump = word.bytes().any(|c| c.is_ascii_lowercase());
        if dump && rest.starts_with(" {") {
            break;
        }
        if dump && rest.starts_with('(') {
            let inner_end = rest.find(')');
            let inner = inner_end.map(|e| &rest[1..e]);
            match inner {
                Some(inner)
                    if !inner.contains(['(', '{']) && inner.len() <= 40 && !inner.is_empty() =>
                {
                    out.push_str(inner);
                    i += inner.len() + 2;
                    continue;
                }
                _ => break,
            }
        }
        out.push_str(word);
    }
    out.trim_end_matches([' ', '.', ',', ':', ';', '('])
        .to_string()
}

/// Causes kept: enough for any chain the SDK builds.
const MAX_CAUSES: usize = 8;

type DynError = dyn Error + 'static;

/// `err`, then each `source()` in turn.
fn chain<'a>(err: &'a DynError) -> impl Iterator<Item = &'a DynError> {
    std::iter::successors(Some(err), |e: &&'a DynError| (*e).source())
}

/// The first error of type `T` in `err`'s source chain.
fn find<T: Error + 'static>(err: &DynError) -> Option<&T> {
    chain(err).find_map(|e| e.downcast_ref::<T>())
}

/// The AWS error code and message of an STS or SSO call a provider made (AssumeRole,
/// AssumeRoleWithWebIdentity, GetRoleCredentials), modelled or not.
fn service_error(err: &DynError) -> Option<(String, String)> {
    fn meta<E: ProvideErrorMetadata>(e: &SdkError<E, HttpResponse>) -> Option<(String, String)> {
        Some((
            e.code()?.to_string(),
            e.message().unwrap_or_default().to_string(),
        ))
    }
    chain(err).find_map(|e| {
        e.downcast_ref::<SdkError<AssumeRoleError, HttpResponse>>()
            .and_then(meta)
            .or_else(|| {
                e.downcast_ref::<SdkError<AssumeRoleWithWebIdentityError, HttpResponse>>()
                    .and_then(meta)
            })
            .or_else(|| {
                e.downcast_ref::<SdkError<GetRoleCredentialsError, HttpResponse>>()
                    .and_then(meta)
            })
    })
}

/// An STS or SSO reply that is not a readable AWS error (no code: garbage, HTML, a proxy's
/// page): the endpoint broke.
fn unreadable_service_reply(err: &DynError) -> bool {
    fn no_code<E: ProvideErrorMetadata>(e: &SdkError<E, HttpResponse>) -> bool {
        matches!(e, SdkError::ServiceError(_)) && e.code().is_none()
    }
    chain(err).any(|e| {
        e.downcast_ref::<SdkError<AssumeRoleError, HttpResponse>>()
            .is_some_and(no_code)
            || e.downcast_ref::<SdkError<AssumeRoleWithWebIdentityError, HttpResponse>>()
                .is_some_and(no_code)
            || e.downcast_ref::<SdkError<GetRoleCredentialsError, HttpResponse>>()
                .is_some_and(no_code)
    })
}

/// How the transport broke, when it did: a timeout, or anything else on the way (refused,
/// reset, DNS, TLS). `None` when the endpoint answered.
fn transport(err: &DynError) -> Option<ErrorClass> {
    if let Some(c) = find::<ConnectorError>(err) {
        if find::<OversizedReply>(err).is_some() {
            return Some(ErrorClass::Other);
        }
        return Some(if c.is_timeout() {
            ErrorClass::Timeout
        } else {
            ErrorClass::Network
        });
    }
    fn sdk<E>(s: &SdkError<E, HttpResponse>) -> Option<ErrorClass> {
        match s {
            // A server error is the endpoint breaking, not an answer about the credentials.
            SdkError::ServiceError(se) if se.raw().status().is_server_error() => {
                Some(ErrorClass::Other)
            }
            SdkError::TimeoutError(_) => Some(ErrorClass::Timeout),
            SdkError::DispatchFailure(d) if d.is_timeout() => Some(ErrorClass::Timeout),
            SdkError::DispatchFailure(_) => Some(ErrorClass::Network),
            SdkError::ResponseError(_) => Some(ErrorClass::Other),
            _ => None,
        }
    }
    chain(err).find_map(|e| {
        e.downcast_ref::<SdkError<AssumeRoleError, HttpResponse>>()
            .and_then(sdk)
            .or_else(|| {
                e.downcast_ref::<SdkError<AssumeRoleWithWebIdentityError, HttpResponse>>()
                    .and_then(sdk)
            })
            .or_else(|| {
                e.downcast_ref::<SdkError<GetRoleCredentialsError, HttpResponse>>()
                    .and_then(sdk)
            })
            .or_else(|| {
                e.downcast_ref::<SdkError<CredentialsError, HttpResponse>>()
                    .and_then(sdk)
            })
            .or_else(|| {
                e.downcast_ref::<SdkError<ImdsTokenError, HttpResponse>>()
                    .and_then(sdk)
            })
    })
}

/// Classifies a credential provider failure: what the provider *said* (an expired SSO token,
/// a broken profile, nothing found, an STS refusal: the job would fail the same way) apart
/// from how the endpoint behind it *broke* (unreachable, timed out, a garbled, refused or
/// oversized reply: a probe that broke). `source` is the source being resolved, which decides
/// for the failures aws-config reports only as text: a container endpoint's bad reply broke,
/// a `credential_process` that failed said so.
pub fn from_provider(err: &CredentialsError, source: Source) -> ProbeError {
    let e: &DynError = err;
    let said = |class: ErrorClass, failure: ProbeFailure| {
        ProbeError::new(class, failure).causes(causes(e))
    };
    match err {
        CredentialsError::CredentialsNotLoaded(_) => {
            // The chain lists every provider it tried; the instance metadata's reason is the
            // telling one on a machine where nothing else is configured.
            let imds = find::<ProviderChainError<CredentialsError>>(e).and_then(|c| {
                c.attempts()
                    .iter()
                    .find(|a| a.name() == "Ec2InstanceMetadata")
                    .map(|a| {
                        let err: &DynError = a.error();
                        (one_line(&root_cause(err)), transport(err))
                    })
            });
            // Instance metadata that never answered has not said it has nothing: the chain's
            // last stage is not verified, and neither is "nothing at all".
            let class = match imds.as_ref().and_then(|(_, t)| *t) {
                Some(ErrorClass::Timeout) => ErrorClass::Timeout,
                _ => ErrorClass::Provider,
            };
            return said(
                class,
                ProbeFailure::NothingInChain {
                    instance_metadata: imds.map(|(why, _)| why),
                },
            );
        }
        CredentialsError::InvalidConfiguration(_) => {
            return said(ErrorClass::Provider, ProbeFailure::InvalidConfiguration);
        }
        CredentialsError::ProviderTimedOut(t) => {
            return timeout(t.timeout_duration()).causes(causes(e));
        }
        _ => {}
    }
    if let Some((code, message)) = service_error(e) {
        let class = class_of_code(&code, &message);
        // A code the table does not know is still the service's answer, not a broken probe.
        let class = if class == ErrorClass::Other {
            ErrorClass::Provider
        } else {
            class
        };
        return ProbeError::new(
            class,
            ProbeFailure::Service {
                message: one_line(&message),
            },
        )
        .code(Some(code))
        .causes(causes(e));
    }
    if find::<SsoTokenError>(e).is_some() {
        return said(
            ErrorClass::Refused(crate::aws::Failure::SsoExpired),
            ProbeFailure::SsoToken,
        );
    }
    if find::<OversizedReply>(e).is_some() {
        return oversized(e).causes(causes(e));
    }
    if let Some(class) = transport(e) {
        let failure = match class {
            ErrorClass::Timeout => ProbeFailure::TimedOut { waited_ms: 0 },
            ErrorClass::Network => ProbeFailure::Unreachable { endpoint: None },
            _ => ProbeFailure::UnreadableReply {
                endpoint: None,
                status: None,
            },
        };
        return said(class, failure);
    }
    if let Some(imds) = find::<ImdsError>(e) {
        // The instance metadata service answered, but not as IMDSv2 does (aws-config speaks
        // IMDSv2 only): 403 means IMDS is off or IMDSv1-only, any other status without a TTL
        // header means something else answers that address.
        let status = match imds {
            ImdsError::ErrorResponse(r) => Some(r.response().status().as_u16()),
            _ => find::<SdkError<ImdsTokenError, HttpResponse>>(e)
                .and_then(|s| s.raw_response())
                .map(|r| r.status().as_u16()),
        };
        return said(ErrorClass::Other, ProbeFailure::InstanceMetadata { status });
    }
    if unreadable_service_reply(e) {
        // An STS/SSO reply without a code.
        return said(
            ErrorClass::Other,
            ProbeFailure::UnreadableReply {
                endpoint: None,
                status: None,
            },
        );
    }
    let class = match source {
        Source::Container | Source::InstanceMetadata => ErrorClass::Other,
        _ => ErrorClass::Provider,
    };
    said(class, ProbeFailure::ProviderSaid)
}

/// The innermost error's text: "Connection refused (os error 111)" rather than a chain of
/// wrappers.
fn root_cause(err: &DynError) -> String {
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
    fn causes_are_each_error_s_own_words_never_debug() {
        #[derive(Debug)]
        struct Outer(Inner);
        #[derive(Debug)]
        struct Inner;
        impl std::fmt::Display for Outer {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an error occurred while loading credentials")
            }
        }
        impl std::fmt::Display for Inner {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("Connection refused (os error 111)")
            }
        }
        impl Error for Outer {
            fn source(&self) -> Option<&(dyn Error + 'static)> {
                Some(&self.0)
            }
        }
        impl Error for Inner {}
        assert_eq!(
            causes(&Outer(Inner)),
            [
                "an error occurred while loading credentials",
                "Connection refused (os error 111)"
            ]
        );
    }

    #[test]
    fn debug_dumps_inside_an_error_s_words_are_cut() {
        assert_eq!(
            plain("Non-success status from HTTP credential provider: StatusCode(500)"),
            "Non-success status from HTTP credential provider: 500"
        );
        assert_eq!(
            plain("error response from IMDS (code: 404). HttpResponse { status: 404, body: x }"),
            "error response from IMDS (code: 404)"
        );
        assert_eq!(
            plain("an error occurred (ExpiredToken) when calling"),
            "an error occurred (ExpiredToken) when calling"
        );
        assert_eq!(
            plain("failed: ProviderError(ProviderError { source: x })"),
            "failed"
        );
    }

    #[test]
    fn messages_are_one_bounded_line() {
        assert_eq!(one_line("a\nb\t c"), "a b c");
        assert!(one_line(&"x".repeat(10_000)).chars().count() <= MAX_MESSAGE + 1);
    }
}
