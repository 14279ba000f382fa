//! iam:ListRoles, paginated (thousands of roles are a few pages), within the deadline: the
//! input of `expiry-doctor roles`, whose audit is pure (`checks/roles.rs`).

use super::{errors, sdk};
use crate::checks::roles::Role;
use crate::env::Clock;
use crate::facts::ProbeError;
use aws_config::SdkConfig;
use tokio::time::Instant;

/// Lists every role of the account, within the deadline.
pub async fn list(
    config: &SdkConfig,
    deadline: Instant,
    clock: &Clock,
) -> Result<Vec<Role>, ProbeError> {
    let creds = {
        let provider = config.credentials_provider().ok_or_else(|| {
            ProbeError::new(
                crate::facts::ErrorClass::Provider,
                crate::facts::ProbeFailure::NoProvider,
            )
        })?;
        let asked = Instant::now();
        match tokio::time::timeout_at(
            deadline,
            aws_credential_types::provider::ProvideCredentials::provide_credentials(&provider),
        )
        .await
        {
            Ok(Ok(c)) => c,
            Ok(Err(e)) => return Err(errors::from_provider(&e, crate::facts::Source::None)),
            Err(_) => return Err(errors::timeout(Instant::now() - asked)),
        }
    };
    let observer = sdk::Observer::new(clock);
    let client = sdk::iam_client(config, &creds, deadline, &observer);
    let started = Instant::now();
    let mut pages = client
        .list_roles()
        .into_paginator()
        .page_size(1000)
        .items()
        .send();
    let mut roles = Vec::new();
    loop {
        let next = tokio::time::timeout_at(deadline, pages.next()).await;
        let endpoint = observer.endpoint().unwrap_or_else(|| "IAM".into());
        match next {
            Ok(Some(Ok(r))) => roles.push(Role {
                name: r.role_name().to_string(),
                arn: r.arn().to_string(),
                path: r.path().to_string(),
                // IAM's range, or the listing is not believed (a role above it would pass).
                max_session_duration_seconds: super::iam::checked(
                    r.role_name(),
                    i64::from(r.max_session_duration().unwrap_or(3600)),
                )?,
            }),
            Ok(Some(Err(e))) => {
                return Err(errors::from_sdk(&e, Instant::now() - started, &endpoint));
            }
            Ok(None) => return Ok(roles),
            Err(_) => return Err(errors::timeout(Instant::now() - started)),
        }
    }
}
