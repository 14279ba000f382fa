//! The triage classes, as data: for each class, the literal fragments that identify it in the
//! logs of the tools people run (AWS CLI, boto3, the Java/Go/JavaScript/.NET/Ruby/Rust SDKs,
//! Terraform, Spark's s3a, docker against ECR), the AWS error code each fragment stands for,
//! and the What / Why / How to fix that `explain` prints. One table, one place: the classifier
//! is built from it (and from the shared code table, [`crate::aws::errors::CODES`]), and
//! `fixtures/triage/` holds real lines that test it. Where each template comes from is listed
//! in `docs/triage.md` ("Where the patterns come from").

use crate::aws::Failure;
use crate::aws::errors::CODES;
use strum::IntoEnumIterator;

/// A triage class is a [`Failure`] of the shared vocabulary; this module adds the fragments
/// that identify each in a log, and its documentation.
pub type Class = Failure;

/// How a fragment is compared with a line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Match {
    /// A message template (prose): ASCII case-insensitive, with every run of whitespace in the
    /// line (spaces, tabs) taken as one space.
    Text,
    /// An error code, or a code in the place the SDKs print codes (`(Throttling)`): exact case
    /// (runs of whitespace still count as one space), and as a whole word: not glued to a
    /// letter or digit on either side, except that the SDKs' exception-class suffix
    /// `Exception` may follow (`InvalidIdentityTokenException` is `InvalidIdentityToken`).
    Code,
}

/// A fragment that identifies a class, and the AWS error code it stands for.
pub struct Pattern {
    pub text: &'static str,
    pub code: &'static str,
    pub how: Match,
}

pub struct ClassDoc {
    pub what: &'static str,
    pub why: &'static str,
    pub fix: &'static str,
    /// The class's own fragments; its codes in [`CODES`] are added by [`fragments`].
    pub patterns: &'static [Pattern],
}

/// A message template, from an SDK's or a service's source (see `docs/triage.md`).
const fn t(text: &'static str, code: &'static str) -> Pattern {
    Pattern {
        text,
        code,
        how: Match::Text,
    }
}

/// A code, or a code in its printed context.
const fn c(text: &'static str, code: &'static str) -> Pattern {
    Pattern {
        text,
        code,
        how: Match::Code,
    }
}

/// Codes of [`CODES`] that are also ordinary words ("CPU throttling"): they are not matched
/// bare, only in the contexts their class lists (`(Throttling)`, `Code: Throttling`, ...).
pub const CONTEXT_ONLY_CODES: &[&str] = &["Throttling"];

/// One literal the classifier matches: its text, how, and what it means.
#[derive(Clone, Copy, Debug)]
pub struct Fragment {
    pub text: &'static str,
    pub code: &'static str,
    pub class: Class,
    pub how: Match,
}

/// Every literal the classifier matches, as plain data (a prefilter may read it): the codes of
/// the shared table but [`CONTEXT_ONLY_CODES`], as [`Match::Code`], then each class's own
/// patterns. A line can only be classified if, after its runs of whitespace are taken as one
/// space, it contains one of these texts (ASCII case-insensitively).
pub fn fragments() -> Vec<Fragment> {
    let codes = CODES
        .iter()
        .filter(|(code, _)| !CONTEXT_ONLY_CODES.contains(code))
        .map(|&(code, class)| Fragment {
            text: code,
            code,
            class,
            how: Match::Code,
        });
    let own = Class::iter().flat_map(|class| {
        doc(class).patterns.iter().map(move |p| Fragment {
            text: p.text,
            code: p.code,
            class,
            how: p.how,
        })
    });
    codes.chain(own).collect()
}

/// A class's documentation and fragments: an exhaustive match, so that a new class does not
/// compile without them.
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
        // SigV4's own words for a request signed outside the window (AWS services answer
        // SignatureDoesNotMatch or InvalidSignatureException with them).
        t("Signature expired", "SignatureDoesNotMatch"),
        t("Signature not yet current", "SignatureDoesNotMatch"),
        // S3's RequestTimeTooSkewed message (and S3-compatible stores' variant).
        t(
            "The difference between the request time and the current time is too large",
            "RequestTimeTooSkewed",
        ),
        t(
            "The difference between the request time and the server's time is too large",
            "RequestTimeTooSkewed",
        ),
        // EC2's RequestExpired and S3's AccessDenied for a request past its time.
        t("Request has expired", "RequestExpired"),
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
        // botocore `tokens.py` (TokenRetrievalError) and `exceptions.py`
        // (UnauthorizedSSOTokenError, SSOTokenLoadError); the JavaScript SDK v3 says the same.
        t("Token has expired and refresh failed", "SSOTokenExpired"),
        t(
            "SSO session associated with this profile has expired",
            "SSOTokenExpired",
        ),
        t("Error loading SSO Token", "SSOTokenLoadError"),
        // Go SDK v1 `aws/credentials/ssocreds` and v2 `credentials/ssocreds`.
        t(
            "the SSO session has expired or is invalid",
            "SSOTokenExpired",
        ),
        t("refresh cached SSO token failed", "SSOTokenExpired"),
        t("failed to refresh cached SSO token", "SSOTokenExpired"),
        t("unable to refresh SSO token", "SSOTokenExpired"),
        // Rust aws-config `sso/token.rs`.
        t(
            "the SSO token has expired and cannot be refreshed",
            "SSOTokenExpired",
        ),
        // Java SDK v2 `ProfileTokenProvider` / `SsoCredentialsProvider`.
        t("Unable to load SSO token", "SSOTokenExpired"),
        t("SSO Token has expired", "SSOTokenExpired"),
        t(
            "The SSO session token associated with profile",
            "SSOTokenExpired",
        ),
        t(
            "The SSO access token has either expired or is otherwise invalid",
            "SSOTokenExpired",
        ),
        // The SSO portal's GetRoleCredentials refusal and SSO OIDC's refresh refusal.
        t(
            "Session token not found or invalid",
            "UnauthorizedException",
        ),
        t("Invalid refresh token provided", "InvalidGrantException"),
        // The fix the tools print beside it.
        t("aws sso login", "SSOTokenExpired"),
        t("aws-sso-util login", "SSOTokenExpired"),
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
        // STS, IAM and most services (ExpiredToken / ExpiredTokenException).
        t(
            "The security token included in the request is expired",
            "ExpiredToken",
        ),
        t("The provided token has expired", "ExpiredToken"),
        // SDK-side checks (.NET `RefreshingAWSCredentials`, the Go SDK's credential cache).
        t(
            "The retrieved credentials have already expired",
            "ExpiredToken",
        ),
        t("Token expired - needs a refresh", "ExpiredToken"),
        // ECR's authorization token (12 h), as docker and docker-py print the registry's
        // refusal: today's wording and the older one.
        t(
            "Your authorization token has expired. Reauthenticate",
            "ExpiredToken",
        ),
        t(
            "Authorization Token has expired. Please run 'aws ecr get-login",
            "ExpiredToken",
        ),
        // The EKS authentication token (15 min), as aws-iam-authenticator's verifier refuses
        // it (kubernetes-sigs/aws-iam-authenticator, pkg/token/token.go: "X-Amz-Date parameter
        // is expired (%.f minute expiration) %s").
        t("X-Amz-Date parameter is expired", "ExpiredToken"),
        // saml2aws's check of the credentials it stored.
        t("aws credentials have expired", "ExpiredToken"),
        // Cognito Identity refusing the expired login token it would trade for credentials.
        t(
            "Invalid login token. Token expired",
            "NotAuthorizedException",
        ),
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
        // STS/IAM (InvalidClientTokenId, UnrecognizedClientException) and S3.
        t(
            "The security token included in the request is invalid",
            "InvalidClientTokenId",
        ),
        t(
            "Access Key Id you provided does not exist in our records",
            "InvalidAccessKeyId",
        ),
        t(
            "The provided token is malformed or otherwise invalid",
            "InvalidToken",
        ),
        // EC2's AuthFailure.
        t(
            "AWS was not able to validate the provided access credentials",
            "AuthFailure",
        ),
        // A signature refused with no time in it: a wrong secret or signing key. A line that
        // also says "Signature expired" is the clock, which outranks this.
        c("SignatureDoesNotMatch", "SignatureDoesNotMatch"),
        c("InvalidSignatureException", "InvalidSignatureException"),
        t(
            "The request signature we calculated does not match the signature you provided",
            "SignatureDoesNotMatch",
        ),
        // STS refusing AssumeRoleWithWebIdentity's identity token (InvalidIdentityToken).
        t(
            "Couldn't retrieve verification key from your identity provider",
            "InvalidIdentityToken",
        ),
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
        // botocore `exceptions.py`: NoCredentialsError, PartialCredentialsError.
        t("Unable to locate credentials", "NoCredentialsError"),
        t("Partial credentials found in", "PartialCredentialsError"),
        // Go SDK v1 `aws/credentials` (the chain, its continuation line, the providers).
        t("no valid providers in chain", "NoCredentialProviders"),
        t(
            "For verbose messaging see aws.Config.CredentialsChainVerboseErrors",
            "NoCredentialProviders",
        ),
        t(
            "AWS_ACCESS_KEY_ID or AWS_ACCESS_KEY not found in environment",
            "EnvAccessKeyNotFound",
        ),
        t(
            "failed to find credentials in the environment",
            "EnvAccessKeyNotFound",
        ),
        t("no EC2 instance role found", "NoCredentialProviders"),
        // Go SDK v2 `aws/credential_cache.go`, `credentials/ec2rolecreds`.
        t(
            "failed to refresh cached credentials",
            "NoCredentialProviders",
        ),
        t("no EC2 IMDS role found", "NoCredentialProviders"),
        // Terraform's AWS provider and S3 backend (hashicorp/aws-sdk-go-base).
        t("No valid credential sources", "NoValidCredentialSources"),
        // JavaScript SDK v3 (`credential-provider-node`) and v2.
        t(
            "Could not load credentials from any providers",
            "CredentialsProviderError",
        ),
        t("Missing credentials in config", "CredentialsError"),
        // Java SDK v1 `AWSCredentialsProviderChain` and its providers ("Unable to load AWS
        // credentials from environment variables / Java system properties / any provider").
        t("Unable to load AWS credentials from", "SdkClientException"),
        // Java SDK v2 `AwsCredentialsProviderChain` and `SystemSettingsCredentialsProvider`.
        t(
            "Unable to load credentials from any of the providers in the chain",
            "SdkClientException",
        ),
        t(
            "Unable to load credentials from system settings",
            "SdkClientException",
        ),
        t(
            "Unable to load credentials from service endpoint",
            "SdkClientException",
        ),
        // .NET `Amazon.Runtime` `FallbackCredentialsFactory` (the chain found nothing; the
        // exception class is part of the fragment: other clouds' SDKs say "Unable to find
        // credentials" too).
        t(
            "AmazonServiceException: Unable to find credentials",
            "AmazonServiceException",
        ),
        t(
            "AmazonClientException: Unable to find credentials",
            "AmazonClientException",
        ),
        // .NET `Amazon.Runtime` (instance profile).
        t(
            "Unable to get IAM security credentials from EC2 Instance Metadata Service",
            "NoCredentialProviders",
        ),
        t(
            "Failed to retrieve credentials from EC2 Instance Metadata Service",
            "NoCredentialProviders",
        ),
        // PHP SDK v3 `src/Credentials/InstanceProfileProvider.php` ("... metadata server." in
        // older releases, "... metadata service." today).
        t(
            "Error retrieving credentials from the instance profile metadata",
            "CredentialsException",
        ),
        // Ruby `Aws::Errors::MissingCredentialsError`.
        t(
            "unable to sign request without credentials set",
            "MissingCredentialsError",
        ),
        // The AWS CRT (aws-c-auth), under Mountpoint and the CRT-based clients.
        t(
            "Attempt to sign an http request without credentials",
            "AWS_AUTH_SIGNING_NO_CREDENTIALS",
        ),
        // Hadoop S3A `AWSCredentialProviderList` and `SimpleAWSCredentialsProvider`.
        t("No AWS Credentials provided by", "NoAuthWithAWSException"),
        t(
            "No AWS credentials in the Hadoop configuration",
            "NoAwsCredentialsException",
        ),
        // Rust aws-config's chain when every provider declined (today's wording, then the
        // older one). Its per-provider DEBUG line ("provider in chain did not provide
        // credentials") is not a failure: a later provider may succeed.
        t("no credentials found in chain", "CredentialsNotLoaded"),
        t(
            "no providers in chain provided credentials",
            "CredentialsNotLoaded",
        ),
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
        t("is not authorized to perform", "AccessDenied"),
        t("Not authorized to perform sts:AssumeRole", "AccessDenied"),
        t("Access Denied (Service:", "AccessDenied"),
        // A bare HTTP 403 (HEAD requests carry no error body): botocore names the status as
        // the code, the Java SDK v1 repeats it in the error code.
        t("An error occurred (403) when calling the", "AccessDenied"),
        t("Error Code: 403 Forbidden", "AccessDenied"),
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
        // `Throttling` is also an English word ("CPU throttling"): it is matched only as a code,
        // in the places the SDKs print codes.
        c("(Throttling)", "Throttling"),
        c("Code: Throttling", "Throttling"),
        c("<Code>Throttling</Code>", "Throttling"),
        c("\"code\":\"Throttling\"", "Throttling"),
        c("\"code\": \"Throttling\"", "Throttling"),
        c("\"Code\":\"Throttling\"", "Throttling"),
        c("api error Throttling:", "Throttling"),
        t("Rate exceeded", "Throttling"),
        // S3's SlowDown.
        t("Please reduce your request rate", "SlowDown"),
        t("503 Slow Down", "SlowDown"),
        t("Slow Down (Service:", "SlowDown"),
        // EC2's RequestLimitExceeded message since 2024.
        t("Request limit exceeded. Account", "RequestLimitExceeded"),
        // DynamoDB's ProvisionedThroughputExceededException message.
        t(
            "The level of configured provisioned throughput",
            "ProvisionedThroughputExceededException",
        ),
        // The Go SDK v2's client-side retry budget, spent on throttled retries.
        t("retry quota exceeded", "RetryQuotaExceeded"),
    ],
};

#[cfg(test)]
mod tests {
    use super::*;

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

    /// Templates are written as the classifier compares them: one space between words, and
    /// no fragment is listed twice.
    #[test]
    fn fragments_are_single_spaced_and_unique() {
        let all = fragments();
        for f in &all {
            assert!(
                !f.text.contains("  ") && !f.text.contains('\t') && f.text.trim() == f.text,
                "{:?}",
                f.text
            );
            let same = |g: &&Fragment| match (f.how, g.how) {
                (Match::Code, Match::Code) => g.text == f.text,
                _ => g.text.eq_ignore_ascii_case(f.text),
            };
            assert_eq!(all.iter().filter(same).count(), 1, "{}", f.text);
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
