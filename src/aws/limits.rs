//! The lifetimes AWS documents, in seconds. Every check, fix and diagnosis reads them here.
//!
//! Sources: the STS API reference (AssumeRole `DurationSeconds`, GetSessionToken,
//! GetFederationToken), the IAM User Guide (MaxSessionDuration, role chaining), the IAM
//! Identity Center User Guide (session duration), the SigV4 documentation (request time
//! skew), the ECR User Guide (authorization token) and the EKS User Guide (authentication
//! token).

/// AssumeRole's shortest session (`DurationSeconds` minimum).
pub const ASSUME_ROLE_MIN: i64 = 900;
/// What AssumeRole gives when nobody asks for more.
pub const ASSUME_ROLE_DEFAULT: i64 = 3600;
/// A role's MaxSessionDuration lies between these (1 h, the default, and 12 h).
pub const MAX_SESSION_DURATION_MIN: i64 = 3600;
pub const MAX_SESSION_DURATION_MAX: i64 = 43_200;
/// No AssumeRole session lasts longer.
pub const LONGEST_ROLE_SESSION: i64 = MAX_SESSION_DURATION_MAX;
/// A role assumed with another role's session (role chaining) lasts at most an hour.
pub const CHAINED_SESSION_MAX: i64 = 3600;
/// GetSessionToken and GetFederationToken sessions last up to 36 hours.
pub const USER_SESSION_MAX: i64 = 129_600;
/// IAM Identity Center's default session duration (the portal session).
pub const SSO_SESSION_DEFAULT: i64 = 8 * 3600;
/// A permission set's session duration: 1 h by default, 12 h at most.
pub const PERMISSION_SET_DEFAULT: i64 = 3600;
pub const PERMISSION_SET_MAX: i64 = 43_200;
/// SigV4 rejects a request signed further than this from AWS's clock.
pub const SIGV4_SKEW: i64 = 300;
/// An ECR authorization token (`get-login-password`) lasts 12 hours.
pub const ECR_TOKEN: i64 = 12 * 3600;
/// An EKS authentication token (`aws eks get-token`) lasts 15 minutes.
pub const EKS_TOKEN: i64 = 15 * 60;
/// A SigV4 presigned URL's `X-Amz-Expires` is at most 7 days; it never outlives the
/// credentials that signed it either.
pub const PRESIGNED_URL_MAX: i64 = 7 * 86_400;

/// aws-config's identity cache hands out the credentials it holds until this long before they
/// expire, then asks the provider again (aws-smithy-runtime's lazy cache: a 10 s buffer, less a
/// random jitter of up to half of it).
pub const AWS_CONFIG_REFRESH_BUFFER: i64 = 10;
/// botocore refreshes temporary credentials this long before they expire (its advisory
/// window; `credentials.py`, `_DEFAULT_ADVISORY_REFRESH_TIMEOUT`; the mandatory one is 10 min).
pub const BOTOCORE_ADVISORY_REFRESH: i64 = 15 * 60;

/// How long before refreshing credentials expire the SDK asks for new ones.
pub fn refresh_buffer(sdk: crate::facts::Sdk) -> i64 {
    match sdk {
        crate::facts::Sdk::Rust => AWS_CONFIG_REFRESH_BUFFER,
        crate::facts::Sdk::Python => BOTOCORE_ADVISORY_REFRESH,
    }
}

/// The prefix of the roles IAM Identity Center creates for permission sets.
pub const SSO_ROLE_PREFIX: &str = "AWSReservedSSO_";

/// Whether a role name is an IAM Identity Center role (bounded by its permission set, not by
/// the MaxSessionDuration GetRole reports).
pub fn is_sso_role(name: &str) -> bool {
    name.starts_with(SSO_ROLE_PREFIX)
}

/// A MaxSessionDuration long enough for `needed` seconds: whole hours, within IAM's range.
pub fn session_seconds_for(needed: i64) -> i64 {
    let hours = needed.max(0).saturating_add(3599) / 3600;
    hours
        .saturating_mul(3600)
        .clamp(MAX_SESSION_DURATION_MIN, MAX_SESSION_DURATION_MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn session_seconds_round_up_to_whole_hours_within_iam_limits() {
        assert_eq!(session_seconds_for(6 * 3600 + 300), 7 * 3600);
        assert_eq!(session_seconds_for(600), 3600);
        assert_eq!(session_seconds_for(20 * 3600), 43_200);
        assert_eq!(session_seconds_for(i64::MAX), 43_200);
    }
}
