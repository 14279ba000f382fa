//! What an AWS error means for a job, in one vocabulary shared by the live probes (an STS or
//! IAM reply, a credential provider's failure) and triage (a line of a job's log).
//!
//! [`Failure`] is that vocabulary; [`CODES`] is the one table from an AWS error code to it.
//! A code missing from the table means nothing by itself (`SdkClientException` is any client
//! error; only its message says "no credentials"), so triage matches such lines by their
//! message templates instead.

use serde::{Deserialize, Serialize};

/// What a failed call says about the job's credentials or clock.
///
/// The declaration order is the order reports list classes in; [`Failure::rank`] decides
/// which class wins when one line shows several.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    strum::EnumIter,
    strum::IntoStaticStr,
    strum::EnumString,
)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub enum Failure {
    /// AWS rejected the credentials as expired.
    Expired,
    /// The IAM Identity Center token or session behind the credentials ended.
    SsoExpired,
    /// AWS rejected the request's signature time: the local clock is off.
    ClockSkew,
    /// AWS does not recognise the credentials (revoked, mismatched, another partition).
    InvalidToken,
    /// The SDK found no credentials at all.
    NoCredentials,
    /// The credentials work; a policy refused the call.
    AccessDenied,
    /// AWS slowed the caller down.
    Throttling,
}

impl Failure {
    /// The id users see (`expired`, `sso-expired`, …), also the triage class name.
    pub fn name(self) -> &'static str {
        self.into()
    }

    /// When one line matches several classes, the lower rank wins: the clock explains an
    /// expiry-looking error, an expiry explains an access denial.
    pub fn rank(self) -> u8 {
        match self {
            Failure::ClockSkew => 0,
            Failure::SsoExpired => 1,
            Failure::Expired => 2,
            Failure::InvalidToken => 3,
            Failure::NoCredentials => 4,
            Failure::AccessDenied => 5,
            Failure::Throttling => 6,
        }
    }

    /// Failures that mean "the job died of its credentials or its clock".
    pub fn is_credential_cause(self) -> bool {
        !matches!(self, Failure::AccessDenied | Failure::Throttling)
    }

    /// The name of the cause a diagnosis reports for this failure (triage's version-1 JSON
    /// names causes apart from classes: `token-expiry` for the class `expired`).
    pub fn cause_name(self) -> &'static str {
        match self {
            Failure::Expired => "token-expiry",
            Failure::SsoExpired => "sso-expiry",
            Failure::ClockSkew => "clock-skew",
            Failure::InvalidToken => "invalid-credentials",
            Failure::NoCredentials => "no-credentials",
            Failure::AccessDenied => "permissions",
            Failure::Throttling => "throttling",
        }
    }
}

/// AWS error codes (and the SDKs' own error names) whose meaning does not depend on the
/// message. `SignatureDoesNotMatch` and `InvalidSignatureException` are decided by
/// [`failure_of`] from their message (the clock when it says "Signature expired", a wrong
/// secret otherwise).
///
/// The throttling codes are the union of those the SDKs' retry classifiers treat as
/// throttling: botocore's `retries/standard.py` (`ThrottledRetryableChecker`, and `_retry.json`'s
/// definitions), the Go SDK v1's `aws/request/retryer.go` (`throttleCodes`), the Java SDK v2's
/// `AwsErrorCode.THROTTLING_ERROR_CODES`, smithy-rs's `aws-runtime` `THROTTLING_ERRORS` and the
/// JavaScript SDK v3's `@smithy/service-error-classification` (`THROTTLING_ERROR_CODES`).
/// `LimitExceededException`, which botocore and smithy-rs list too, is left out: besides
/// throttling it is IAM's, Lambda's and others' hard quota ("Cannot exceed quota for
/// PoliciesPerRole", "Cannot increase provisioned throughput to more than twice"), which waiting
/// does not cure.
///
/// `AuthFailure` is EC2's answer to credentials it cannot validate (unknown or revoked keys,
/// a wrong secret); `InvalidIdentityToken` and `IDPRejectedClaim` are STS refusing the identity
/// token of AssumeRoleWithWebIdentity / AssumeRoleWithSAML. `MissingCredentialsError` (Ruby)
/// and `PartialCredentialsError` (botocore) are SDK-side names for "no usable credentials".
pub const CODES: &[(&str, Failure)] = &[
    ("ExpiredToken", Failure::Expired),
    ("ExpiredTokenException", Failure::Expired),
    ("TokenRefreshRequired", Failure::Expired),
    ("InvalidClientTokenId", Failure::InvalidToken),
    ("UnrecognizedClientException", Failure::InvalidToken),
    ("InvalidAccessKeyId", Failure::InvalidToken),
    ("InvalidToken", Failure::InvalidToken),
    ("AuthFailure", Failure::InvalidToken),
    ("InvalidIdentityToken", Failure::InvalidToken),
    ("IDPRejectedClaim", Failure::InvalidToken),
    ("AccessDenied", Failure::AccessDenied),
    ("AccessDeniedException", Failure::AccessDenied),
    ("UnauthorizedOperation", Failure::AccessDenied),
    ("RequestExpired", Failure::ClockSkew),
    ("RequestTimeTooSkewed", Failure::ClockSkew),
    ("RequestInTheFuture", Failure::ClockSkew),
    ("Throttling", Failure::Throttling),
    ("ThrottlingException", Failure::Throttling),
    ("ThrottledException", Failure::Throttling),
    ("RequestThrottled", Failure::Throttling),
    ("RequestThrottledException", Failure::Throttling),
    ("TooManyRequestsException", Failure::Throttling),
    ("RequestLimitExceeded", Failure::Throttling),
    ("SlowDown", Failure::Throttling),
    (
        "ProvisionedThroughputExceededException",
        Failure::Throttling,
    ),
    ("BandwidthLimitExceeded", Failure::Throttling),
    ("PriorRequestNotComplete", Failure::Throttling),
    ("EC2ThrottledException", Failure::Throttling),
    ("TransactionInProgressException", Failure::Throttling),
    ("RetryQuotaExceeded", Failure::Throttling),
    ("SSOTokenExpired", Failure::SsoExpired),
    ("InvalidGrantException", Failure::SsoExpired),
    ("UnauthorizedSSOTokenError", Failure::SsoExpired),
    ("SSOTokenProviderFailure", Failure::SsoExpired),
    ("SSOTokenLoadError", Failure::SsoExpired),
    ("SSOProviderInvalidToken", Failure::SsoExpired),
    ("NoCredentialsError", Failure::NoCredentials),
    ("NoCredentialProviders", Failure::NoCredentials),
    ("CredentialsProviderError", Failure::NoCredentials),
    ("NoValidCredentialSources", Failure::NoCredentials),
    ("EnvAccessKeyNotFound", Failure::NoCredentials),
    ("MissingCredentialsError", Failure::NoCredentials),
    ("PartialCredentialsError", Failure::NoCredentials),
];

/// Codes whose meaning [`failure_of`] reads from the message: a signature refused for its time
/// is the clock, any other refused signature a wrong secret or signing key.
pub const SIGNATURE_CODES: &[&str] = &["SignatureDoesNotMatch", "InvalidSignatureException"];

/// What an error code means, given its message (`SignatureDoesNotMatch` and
/// `InvalidSignatureException` are the clock when the message says "Signature expired", a
/// wrong secret otherwise).
pub fn failure_of(code: &str, message: &str) -> Option<Failure> {
    if SIGNATURE_CODES.contains(&code) {
        return Some(
            if message.contains("Signature expired")
                || message.contains("Signature not yet current")
            {
                Failure::ClockSkew
            } else {
                Failure::InvalidToken
            },
        );
    }
    CODES.iter().find(|(c, _)| *c == code).map(|(_, f)| *f)
}

#[cfg(test)]
mod tests {
    use super::*;
    use strum::IntoEnumIterator;

    #[test]
    fn codes_decide_the_failure() {
        assert_eq!(failure_of("ExpiredToken", ""), Some(Failure::Expired));
        assert_eq!(
            failure_of("ExpiredTokenException", ""),
            Some(Failure::Expired)
        );
        assert_eq!(
            failure_of("InvalidClientTokenId", ""),
            Some(Failure::InvalidToken)
        );
        assert_eq!(
            failure_of("UnrecognizedClientException", ""),
            Some(Failure::InvalidToken)
        );
        assert_eq!(failure_of("AccessDenied", ""), Some(Failure::AccessDenied));
        assert_eq!(failure_of("RequestExpired", ""), Some(Failure::ClockSkew));
        assert_eq!(
            failure_of(
                "SignatureDoesNotMatch",
                "Signature expired: 20261123T080000Z is now earlier than 20261123T080500Z"
            ),
            Some(Failure::ClockSkew)
        );
        assert_eq!(
            failure_of("SignatureDoesNotMatch", "wrong secret"),
            Some(Failure::InvalidToken)
        );
        assert_eq!(
            failure_of(
                "InvalidSignatureException",
                "Signature not yet current: 20261123T080500Z"
            ),
            Some(Failure::ClockSkew)
        );
        assert_eq!(
            failure_of(
                "InvalidSignatureException",
                "The request signature we calculated does not match the signature you provided."
            ),
            Some(Failure::InvalidToken)
        );
        assert_eq!(failure_of("AuthFailure", ""), Some(Failure::InvalidToken));
        assert_eq!(failure_of("Throttling", ""), Some(Failure::Throttling));
        assert_eq!(failure_of("SdkClientException", ""), None);
    }

    #[test]
    fn codes_are_listed_once() {
        for (code, _) in CODES {
            assert_eq!(CODES.iter().filter(|(c, _)| c == code).count(), 1, "{code}");
        }
    }

    #[test]
    fn ranks_are_distinct_and_names_match_serde() {
        let mut ranks: Vec<u8> = Failure::iter().map(Failure::rank).collect();
        ranks.sort();
        ranks.dedup();
        assert_eq!(ranks.len(), Failure::iter().count());
        for f in Failure::iter() {
            assert_eq!(serde_json::to_value(f).unwrap(), f.name());
            assert_eq!(f.name().parse::<Failure>().unwrap(), f);
        }
    }
}
