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
use crate::facts::{ErrorClass, ProbeError, Source};
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
    let said = |class: ErrorClass, code: Option<String>, message: String| ProbeError {
        class,
        code,
        message: one_line(&message),
    };
    let text = || DisplayErrorContext(err).to_string();
    match err {
        CredentialsError::CredentialsNotLoaded(_) => {
            // The chain lists every provider it tried; the instance metadata's reason is the
            // telling one on a machine where nothing else is configured.
            let imds = find::<ProviderChainError<CredentialsError>>(e).and_then(|chain| {
                chain
                    .attempts()
                    .iter()
                    .find(|a| a.name() == "Ec2InstanceMetadata")
                    .map(|a| root_cause(a.error()))
            });
            return said(
                ErrorClass::Provider,
                None,
                match imds {
                    Some(reason) => format!(
                        "no provider of the default chain has credentials; instance metadata: {reason}"
                    ),
                    None => text(),
                },
            );
        }
        CredentialsError::InvalidConfiguration(_) => {
            return said(ErrorClass::Provider, None, text());
        }
        CredentialsError::ProviderTimedOut(_) => {
            return said(ErrorClass::Timeout, None, text());
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
        return said(class, Some(code), text());
    }
    if find::<SsoTokenError>(e).is_some() {
        return said(
            ErrorClass::Refused(crate::aws::Failure::SsoExpired),
            None,
            text(),
        );
    }
    if let Some(class) = transport(e) {
        return said(class, None, text());
    }
    if unreadable_service_reply(e) {
        return said(ErrorClass::Other, None, text());
    }
    if find::<ImdsError>(e).is_some() {
        // Something answered the metadata address that is not a working IMDS.
        return said(ErrorClass::Other, None, text());
    }
    let class = match source {
        Source::Container | Source::InstanceMetadata => ErrorClass::Other,
        _ => ErrorClass::Provider,
    };
    said(class, None, text())
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
    fn messages_are_one_bounded_line() {
        assert_eq!(one_line("a\nb\t c"), "a b c");
        assert!(one_line(&"x".repeat(10_000)).chars().count() <= MAX_MESSAGE + 1);
    }
}
