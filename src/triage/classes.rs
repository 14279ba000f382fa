//! The triage classes, as data: for each class, the literal fragments that identify it in the
//! logs of the tools people run (AWS CLI, boto3, the Java/Go/JavaScript/.NET/Rust SDKs,
//! Terraform, Spark's s3a, Airflow), the AWS error code each fragment stands for, and the
//! What / Why / How to fix that `explain` prints. One table, one place: the classifier is
//! built from it, and `fixtures/triage/` holds real lines that test it.

use crate::aws::Failure;

/// A triage class is a [`Failure`] of the shared vocabulary; this module adds the fragments
/// that identify each in a log, and its documentation.
pub type Class = Failure;

/// A fragment that identifies a class, and the AWS error code it stands for.
pub struct Pattern {
    pub text: &'static str,
    pub code: &'static str,
}

pub struct ClassDoc {
    pub what: &'static str,
    pub why: &'static str,
    pub fix: &'static str,
    pub patterns: &'static [Pattern],
}

const fn p(text: &'static str, code: &'static str) -> Pattern {
    Pattern { text, code }
}

/// A class's documentation and fragments: an exhaustive match, so that a new class does not
/// compile without them. Fragments are matched case-sensitively, exactly as the tools print
/// them; case variants that occur in real logs are listed explicitly.
pub fn doc(class: Class) -> &'static ClassDoc {
    match class {
        Failure::ClockSkew => &CLOCK_SKEW,
        Failure::SsoExpired => &SSO_EXPIRED,
        Failure::Expired => &EXPIRED,
        Failure::InvalidToken => &INVALID_TOKEN,
        Failure::NoCredentials => &NO_CREDENTIALS,
        Failure::AccessDenied => &ACCESS_DENIED,
        Failure::Throttling => &THROTTLING,
    }
}

static CLOCK_SKEW: ClassDoc = ClassDoc {
    what: "AWS rejected the request's signature time: the local clock is more than 5 minutes \
           away from AWS's (Signature expired, RequestTimeTooSkewed, RequestExpired).",
    why: "SigV4 signatures carry the local time, and AWS refuses those more than 5 minutes off. \
          Every call fails although the credentials may be perfectly valid; the same skew makes \
          SDKs refresh credentials too early or too late.",
    fix: "Synchronise the clock (sync-clock): chronyc makestep, timedatectl set-ntp true, or the \
          Amazon Time Sync Service on EC2.",
    patterns: &[
        p("Signature expired", "SignatureDoesNotMatch"),
        p("Signature not yet current", "SignatureDoesNotMatch"),
        p("RequestTimeTooSkewed", "RequestTimeTooSkewed"),
        p(
            "The difference between the request time and the current time is too large",
            "RequestTimeTooSkewed",
        ),
        p(
            "The difference between the request time and the server's time is too large",
            "RequestTimeTooSkewed",
        ),
        p("RequestExpired", "RequestExpired"),
        p("Request has expired", "RequestExpired"),
        p("InvalidSignatureException", "InvalidSignatureException"),
    ],
};

static SSO_EXPIRED: ClassDoc = ClassDoc {
    what: "The IAM Identity Center (SSO) token or session behind the profile expired or is \
           invalid, so the SDK could not fetch role credentials.",
    why: "SSO role credentials are fetched with the portal token; when the token (legacy \
          profiles) or the Identity Center session (8 h by default) ends, refreshing fails and \
          the job dies at its next refresh.",
    fix: "Log in again right before the job (sso-login) and make the session outlast the job \
          (extend-sso-session), or run unattended jobs on a role, not on a person's SSO session.",
    patterns: &[
        p("Token has expired and refresh failed", "SSOTokenExpired"),
        p(
            "The SSO session associated with this profile has expired or is otherwise invalid",
            "SSOTokenExpired",
        ),
        p(
            "SSO session associated with this profile has expired",
            "SSOTokenExpired",
        ),
        p(
            "The SSO session has expired or is invalid",
            "SSOTokenExpired",
        ),
        p("failed to refresh cached SSO token", "SSOTokenExpired"),
        p("SSO Token has expired", "SSOTokenExpired"),
        p(
            "The SSO session token associated with profile",
            "SSOTokenExpired",
        ),
        p(
            "Session token not found or invalid",
            "UnauthorizedException",
        ),
        p("UnauthorizedSSOTokenError", "SSOTokenExpired"),
        p("SSOTokenProviderFailure", "SSOTokenExpired"),
        p(
            "the SSO session has expired or is invalid",
            "SSOTokenExpired",
        ),
        p("Unable to load SSO token", "SSOTokenExpired"),
        p("SSOTokenLoadError", "SSOTokenExpired"),
        p(
            "The SSO access token has either expired or is otherwise invalid",
            "SSOTokenExpired",
        ),
        p("InvalidGrantException", "InvalidGrantException"),
        p("Invalid refresh token provided", "InvalidGrantException"),
        p("aws sso login", "SSOTokenExpired"),
        p("aws-sso-util login", "SSOTokenExpired"),
        p("SSOTokenExpired", "SSOTokenExpired"),
    ],
};

static EXPIRED: ClassDoc = ClassDoc {
    what: "AWS rejected the credentials as expired (ExpiredToken, ExpiredTokenException).",
    why: "Temporary credentials carry an expiration; once it passes, every call fails although \
          the permissions are fine. A job that outlives non-refreshing credentials dies this way \
          mid-run.",
    fix: "Run the job with a source the SDK refreshes (use-refreshing-profile); otherwise make \
          one session long enough (raise-max-session-duration, request-longer-session, \
          avoid-role-chaining) or split the job (split-or-checkpoint-job).",
    patterns: &[
        p("ExpiredTokenException", "ExpiredTokenException"),
        p("ExpiredToken", "ExpiredToken"),
        p(
            "The security token included in the request is expired",
            "ExpiredToken",
        ),
        p(
            "the security token included in the request is expired",
            "ExpiredToken",
        ),
        p("The provided token has expired", "ExpiredToken"),
        p(
            "Security token included in the request is expired",
            "ExpiredToken",
        ),
        p(
            "The retrieved credentials have already expired",
            "ExpiredToken",
        ),
        p("Token expired - needs a refresh", "ExpiredToken"),
        p("TokenRefreshRequired", "TokenRefreshRequired"),
    ],
};

static INVALID_TOKEN: ClassDoc = ClassDoc {
    what: "AWS does not recognise the credentials (InvalidClientTokenId, \
           UnrecognizedClientException, InvalidAccessKeyId).",
    why: "The keys were deleted or deactivated, the session token does not belong to the keys, \
          or the credentials come from another partition (aws-cn, aws-us-gov). Refreshing the \
          same source will not help.",
    fix: "Check which credentials the job actually used (expiry-doctor check), rotate revoked \
          keys, and make sure the session token was exported together with its keys.",
    patterns: &[
        p("InvalidClientTokenId", "InvalidClientTokenId"),
        p("UnrecognizedClientException", "UnrecognizedClientException"),
        p(
            "The security token included in the request is invalid",
            "InvalidClientTokenId",
        ),
        p(
            "the security token included in the request is invalid",
            "InvalidClientTokenId",
        ),
        p("InvalidAccessKeyId", "InvalidAccessKeyId"),
        p(
            "The AWS Access Key Id you provided does not exist in our records",
            "InvalidAccessKeyId",
        ),
        p(
            "The provided token is malformed or otherwise invalid",
            "InvalidToken",
        ),
        p("InvalidToken", "InvalidToken"),
    ],
};

static NO_CREDENTIALS: ClassDoc = ClassDoc {
    what: "The SDK found no credentials at all (Unable to locate credentials, \
           NoCredentialProviders, Could not load credentials from any providers).",
    why: "Nothing in the default chain answered: no exported keys, no usable profile, no web \
          identity, container or instance role. Mid-run, this is what a job sees when the \
          source it relied on disappears (an expired SSO cache, an unreachable IMDS).",
    fix: "Configure a source the SDK can refresh (configure-credentials); run expiry-doctor \
          check in the job's environment to see what it finds.",
    patterns: &[
        p("Unable to locate credentials", "NoCredentialsError"),
        p("NoCredentialsError", "NoCredentialsError"),
        p("NoCredentialProviders", "NoCredentialProviders"),
        p("no valid providers in chain", "NoCredentialProviders"),
        p(
            "Could not load credentials from any providers",
            "CredentialsProviderError",
        ),
        p(
            "Unable to load AWS credentials from any provider in the chain",
            "SdkClientException",
        ),
        p(
            "Unable to load credentials from any of the providers in the chain",
            "SdkClientException",
        ),
        p(
            "No valid credential sources found",
            "NoValidCredentialSources",
        ),
        p(
            "failed to refresh cached credentials",
            "NoCredentialProviders",
        ),
        p("Missing credentials in config", "CredentialsError"),
        p(
            "Unable to get IAM security credentials from EC2 Instance Metadata Service",
            "NoCredentialProviders",
        ),
        p("no valid credential sources", "NoValidCredentialSources"),
        p("EnvAccessKeyNotFound", "EnvAccessKeyNotFound"),
        p(
            "Unable to load credentials from service endpoint",
            "SdkClientException",
        ),
        p(
            "Failed to retrieve credentials from EC2 Instance Metadata Service",
            "NoCredentialProviders",
        ),
        p("no EC2 IMDS role found", "NoCredentialProviders"),
        p("CredentialsProviderError", "CredentialsProviderError"),
        p("NoValidCredentialSources", "NoValidCredentialSources"),
    ],
};

static ACCESS_DENIED: ClassDoc = ClassDoc {
    what: "AWS understood the credentials but refused the action (AccessDenied, \
           AccessDeniedException, \"is not authorized to perform\").",
    why: "A permissions problem, not a lifetime problem: the policy, a permissions boundary, an \
          SCP or a resource policy does not allow the call. Refreshing credentials will not help.",
    fix: "Grant the action named in the message to the role or user named in it; nothing about \
          credential lifetimes needs to change.",
    patterns: &[
        p("AccessDeniedException", "AccessDeniedException"),
        p("AccessDenied", "AccessDenied"),
        p("is not authorized to perform", "AccessDenied"),
        p("UnauthorizedOperation", "UnauthorizedOperation"),
        p("Access Denied (Service:", "AccessDenied"),
        p("Not authorized to perform sts:AssumeRole", "AccessDenied"),
    ],
};

static THROTTLING: ClassDoc = ClassDoc {
    what: "AWS slowed the job down (Throttling, ThrottlingException, SlowDown, Rate exceeded).",
    why: "Request rates above the service's limits are refused until the caller backs off; SDKs \
          retry with backoff, and a job that keeps hammering can run out of retries. Not a \
          credential problem, but it often appears beside one in a long job's log.",
    fix: "Back off and retry (standard or adaptive retry mode), spread the requests, or ask for a \
          quota increase.",
    patterns: &[
        p("ThrottlingException", "ThrottlingException"),
        p("Throttling", "Throttling"),
        p("Rate exceeded", "Throttling"),
        p("SlowDown", "SlowDown"),
        p("Please reduce your request rate", "SlowDown"),
        p("TooManyRequestsException", "TooManyRequestsException"),
        p("RequestLimitExceeded", "RequestLimitExceeded"),
        p("503 Slow Down", "SlowDown"),
        p("Slow Down (Service:", "SlowDown"),
        p("retry quota exceeded", "RetryQuotaExceeded"),
        p("ThrottledException", "ThrottledException"),
        p("RequestThrottled", "RequestThrottled"),
        p("RetryQuotaExceeded", "RetryQuotaExceeded"),
        p(
            "ProvisionedThroughputExceededException",
            "ProvisionedThroughputExceededException",
        ),
        p("BandwidthLimitExceeded", "BandwidthLimitExceeded"),
        p("PriorRequestNotComplete", "PriorRequestNotComplete"),
        p("EC2ThrottledException", "EC2ThrottledException"),
        p(
            "TransactionInProgressException",
            "TransactionInProgressException",
        ),
    ],
};

#[cfg(test)]
mod tests {
    use super::*;
    use strum::IntoEnumIterator;

    /// One table of codes: every code the live probes classify, triage recognises in a log
    /// line as the same class.
    #[test]
    fn triage_knows_every_code_of_the_shared_table() {
        let classifier = crate::triage::classify::Classifier::new();
        let wrong: Vec<String> = crate::aws::errors::CODES
            .iter()
            .filter_map(|(code, failure)| {
                let line =
                    format!("An error occurred ({code}) when calling the PutObject operation: x");
                let got = classifier.classify(line.as_bytes()).map(|h| h.class);
                (got != Some(*failure)).then(|| format!("{code}: {got:?}, not {failure:?}"))
            })
            .collect();
        assert!(wrong.is_empty(), "{wrong:#?}");
    }

    #[test]
    fn every_class_is_documented_with_fragments() {
        for class in Class::iter() {
            let d = doc(class);
            assert!(
                !d.patterns.is_empty()
                    && !d.what.is_empty()
                    && !d.why.is_empty()
                    && !d.fix.is_empty(),
                "{class:?}"
            );
        }
    }

    #[test]
    fn each_fragment_s_code_means_its_class_in_the_shared_table() {
        for class in Class::iter() {
            for p in doc(class).patterns {
                if let Some(f) = crate::aws::errors::failure_of(p.code, p.text) {
                    assert_eq!(f, class, "{} ({})", p.text, p.code);
                }
            }
        }
    }
}
