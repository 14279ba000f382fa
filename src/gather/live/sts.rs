//! sts:GetCallerIdentity: whose credentials these are, whether AWS accepts them, and what time
//! AWS thinks it is.

use super::errors;
use super::sdk::{self, Observer, ServerClock};
use crate::env::Clock;
use crate::facts::{
    ErrorClass, Identity, IdentityType, Probe, ProbeError, ProbeFailure, ProbeKind,
};
use aws_config::SdkConfig;
use aws_credential_types::Credentials;
use tokio::time::Instant;

pub struct CallerIdentity {
    pub result: Result<Identity, ProbeError>,
    pub clock: Option<ServerClock>,
    pub probe: Probe,
}

/// Calls GetCallerIdentity with exactly `creds`, within the deadline.
pub async fn caller_identity(
    config: &SdkConfig,
    creds: &Credentials,
    deadline: Instant,
    global_endpoint: bool,
    kind: ProbeKind,
    clock: &Clock,
) -> CallerIdentity {
    let observer = Observer::new(clock);
    let client = sdk::sts_client(config, creds, deadline, &observer, global_endpoint);
    let started = Instant::now();
    let call = client.get_caller_identity().send();
    let outcome = tokio::time::timeout_at(deadline, call).await;
    let waited = Instant::now() - started;
    let endpoint = observer.endpoint().unwrap_or_else(|| "STS".into());
    let result = match outcome {
        // An answer whose ARN is not one (a line break, a space) or whose account is not 12
        // digits is not STS's: nothing of it is taken for a fact.
        Ok(Ok(out)) if !plausible(out.arn(), out.account()) => Err(ProbeError::new(
            ErrorClass::Other,
            ProbeFailure::UnreadableReply {
                endpoint: Some(endpoint.clone()),
                status: Some(200),
            },
        )),
        Ok(Ok(out)) => {
            let arn = out.arn().map(str::to_string);
            let (kind, role_name, session_name) = arn
                .as_deref()
                .map(IdentityType::of_arn)
                .unwrap_or((None, None, None));
            Ok(Identity {
                arn,
                account: out.account().map(str::to_string),
                kind,
                role_name,
                session_name,
            })
        }
        Ok(Err(e)) => Err(errors::from_sdk(&e, waited, &endpoint)),
        Err(_) => Err(errors::timeout(waited)),
    };
    let probe = Probe {
        kind,
        target: "sts:GetCallerIdentity".into(),
        endpoint: Some(endpoint),
        elapsed_ms: waited.as_millis() as u64,
        error: result.as_ref().err().cloned(),
    };
    CallerIdentity {
        result,
        clock: observer.clock(),
        probe,
    }
}

/// Whether GetCallerIdentity's answer looks like STS's: an ARN that parses and a 12-digit
/// account (either may be absent).
fn plausible(arn: Option<&str>, account: Option<&str>) -> bool {
    arn.is_none_or(|a| crate::aws::arn::Arn::parse(a).is_some())
        && account.is_none_or(|a| a.len() == 12 && a.bytes().all(|b| b.is_ascii_digit()))
}
