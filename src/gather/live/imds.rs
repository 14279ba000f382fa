//! Does an EC2 instance role answer? Asked only to learn whether exported credentials shadow
//! one that would refresh, with short timeouts: off EC2 nothing answers at all.

use super::sdk::remaining;
use crate::facts::{Probe, ProbeKind, Source};
use aws_credential_types::provider::ProvideCredentials;
use std::time::Duration;
use tokio::time::Instant;

pub async fn instance_role_answers(deadline: Instant) -> (bool, Probe) {
    let budget = remaining(deadline).min(Duration::from_secs(2));
    let client = aws_config::imds::Client::builder()
        .configure(&super::http::provider_config())
        .connect_timeout(budget)
        .read_timeout(budget)
        .operation_timeout(budget)
        .max_attempts(1)
        .build();
    let provider = aws_config::imds::credentials::ImdsCredentialsProvider::builder()
        .configure(&super::http::provider_config())
        .imds_client(client)
        .build();
    let started = Instant::now();
    let outcome = tokio::time::timeout(budget, provider.provide_credentials()).await;
    let waited = Instant::now() - started;
    let error = match &outcome {
        Ok(Ok(_)) => None,
        Ok(Err(e)) => Some(super::errors::from_provider(e, Source::InstanceMetadata)),
        Err(_) => Some(super::errors::timeout(waited)),
    };
    (
        matches!(outcome, Ok(Ok(_))),
        Probe {
            kind: ProbeKind::InstanceMetadata,
            target: "EC2 instance role (IMDSv2)".into(),
            endpoint: None,
            elapsed_ms: waited.as_millis() as u64,
            error,
        },
    )
}
