//! iam:GetRole: the role's MaxSessionDuration, the ceiling of any AssumeRole session of it.

use super::errors;
use super::sdk::{self, Observer};
use crate::env::Clock;
use crate::facts::{ErrorClass, Probe, ProbeError, ProbeFailure, ProbeKind};
use aws_config::SdkConfig;
use aws_credential_types::Credentials;
use tokio::time::Instant;

/// MaxSessionDuration in seconds, or why it could not be read.
pub async fn max_session_duration(
    config: &SdkConfig,
    creds: &Credentials,
    role_name: &str,
    deadline: Instant,
    clock: &Clock,
) -> (Result<i64, ProbeError>, Probe) {
    let observer = Observer::new(clock);
    let client = sdk::iam_client(config, creds, deadline, &observer);
    let started = Instant::now();
    let outcome =
        tokio::time::timeout_at(deadline, client.get_role().role_name(role_name).send()).await;
    let waited = Instant::now() - started;
    let endpoint = observer.endpoint().unwrap_or_else(|| "IAM".into());
    let result = match outcome {
        Ok(Ok(out)) => match out.role().and_then(|r| r.max_session_duration()) {
            Some(secs) => checked(role_name, i64::from(secs)),
            // IAM always sends it; a role without it has the documented default of 1 h.
            None => Ok(crate::aws::limits::MAX_SESSION_DURATION_MIN),
        },
        Ok(Err(e)) => Err(errors::from_sdk(&e, waited, &endpoint)),
        Err(_) => Err(errors::timeout(waited)),
    };
    let probe = Probe {
        kind: ProbeKind::GetRole,
        target: format!("iam:GetRole {role_name}"),
        endpoint: Some(endpoint),
        elapsed_ms: waited.as_millis() as u64,
        error: result.as_ref().err().cloned(),
    };
    (result, probe)
}

/// A MaxSessionDuration as IAM can hold it, or a probe error saying it is not: IAM allows 3600
/// to 43200 seconds ("Valid Range: Minimum value of 3600. Maximum value of 43200.", the IAM API
/// Reference's `Role` data type and `UpdateRole`,
/// <https://docs.aws.amazon.com/IAM/latest/APIReference/API_Role.html>). Anything else came
/// from a broken endpoint or a proxy, and a check that believed it could pass on it.
pub fn checked(role_name: &str, seconds: i64) -> Result<i64, ProbeError> {
    use crate::aws::limits::{MAX_SESSION_DURATION_MAX, MAX_SESSION_DURATION_MIN};
    if (MAX_SESSION_DURATION_MIN..=MAX_SESSION_DURATION_MAX).contains(&seconds) {
        return Ok(seconds);
    }
    Err(ProbeError::new(
        ErrorClass::Other,
        ProbeFailure::MaxSessionDurationOutOfRange {
            role: crate::redact::redact(&errors::one_line(role_name)).into_owned(),
            seconds,
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_iams_range_is_believed() {
        assert_eq!(checked("etl", 3600).ok(), Some(3600));
        assert_eq!(checked("etl", 43_200).ok(), Some(43_200));
        for bad in [-5, 0, 3599, 43_201, i64::from(i32::MAX)] {
            let e = checked("etl", bad).unwrap_err();
            assert_eq!(
                e.failure,
                Some(ProbeFailure::MaxSessionDurationOutOfRange {
                    role: "etl".into(),
                    seconds: bad
                })
            );
        }
    }
}
