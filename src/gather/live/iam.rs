//! iam:GetRole: the role's MaxSessionDuration, the ceiling of any AssumeRole session of it.

use super::errors;
use super::sdk::{self, Observer};
use crate::env::Clock;
use crate::facts::{Probe, ProbeError, ProbeKind};
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
            Some(secs) => Ok(i64::from(secs)),
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
