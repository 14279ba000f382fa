//! `roles --min-session DUR`: an account audit before a migration. Lists every role
//! (iam:ListRoles, paginated: thousands of roles are a few pages) and says which cannot give a
//! session that long (MaxSessionDuration below it) with the `update-role` command for each,
//! which are IAM Identity Center roles (bounded by their permission set, whatever
//! MaxSessionDuration says), and which are service-linked (not assumable by a job).

use crate::facts::ProbeError;
use crate::fixes;
use crate::gather::live::{errors, sdk};
use aws_config::SdkConfig;
use serde::Serialize;
use tokio::time::Instant;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RoleLimit {
    pub role_name: String,
    pub arn: String,
    pub max_session_duration_seconds: i64,
    /// The command that makes the role long enough (`too_short` only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub command: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Audit {
    pub version: u32,
    pub min_session_seconds: i64,
    pub roles_total: usize,
    /// Roles whose MaxSessionDuration is below the minimum, shortest first.
    pub too_short: Vec<RoleLimit>,
    /// `AWSReservedSSO_*`: sessions last the permission set's duration instead.
    pub sso_reserved: Vec<RoleLimit>,
    /// Under `/aws-service-role/`: used by AWS services, not assumable by a job.
    pub service_linked: usize,
    pub long_enough: usize,
}

impl Audit {
    /// 1 when some role cannot give the session, else 0.
    pub fn exit_code(&self) -> u8 {
        u8::from(!self.too_short.is_empty())
    }
}

/// A role as ListRoles returns it.
#[derive(Clone, Debug, PartialEq)]
pub struct Role {
    pub name: String,
    pub arn: String,
    pub path: String,
    pub max_session_duration_seconds: i64,
}

/// Sorts the roles into the audit. Pure.
pub fn classify(roles: &[Role], min_session_seconds: i64) -> Audit {
    let mut audit = Audit {
        version: 1,
        min_session_seconds,
        roles_total: roles.len(),
        too_short: Vec::new(),
        sso_reserved: Vec::new(),
        service_linked: 0,
        long_enough: 0,
    };
    for r in roles {
        let limit = |command| RoleLimit {
            role_name: r.name.clone(),
            arn: r.arn.clone(),
            max_session_duration_seconds: r.max_session_duration_seconds,
            command,
        };
        if r.path.starts_with("/aws-service-role/") {
            audit.service_linked += 1;
        } else if r.name.starts_with("AWSReservedSSO_")
            || r.path.starts_with("/aws-reserved/sso.amazonaws.com/")
        {
            audit.sso_reserved.push(limit(None));
        } else if r.max_session_duration_seconds < min_session_seconds {
            let fix = fixes::raise_max_session_duration(&r.name, min_session_seconds);
            audit.too_short.push(limit(fix.commands.into_iter().next()));
        } else {
            audit.long_enough += 1;
        }
    }
    audit.too_short.sort_by(|a, b| {
        a.max_session_duration_seconds
            .cmp(&b.max_session_duration_seconds)
            .then(a.role_name.cmp(&b.role_name))
    });
    audit
        .sso_reserved
        .sort_by(|a, b| a.role_name.cmp(&b.role_name));
    audit
}

/// Lists every role of the account, within the deadline.
pub async fn list(config: &SdkConfig, deadline: Instant) -> Result<Vec<Role>, ProbeError> {
    let creds = {
        let provider = config.credentials_provider().ok_or_else(|| ProbeError {
            class: crate::facts::ErrorClass::Provider,
            code: None,
            message: "no credentials: configure them first (expiry-doctor check says how)".into(),
        })?;
        match tokio::time::timeout_at(
            deadline,
            aws_credential_types::provider::ProvideCredentials::provide_credentials(&provider),
        )
        .await
        {
            Ok(Ok(c)) => c,
            Ok(Err(e)) => return Err(errors::from_provider(&e)),
            Err(_) => {
                return Err(errors::timeout(
                    sdk::remaining(deadline),
                    "the credential provider",
                ));
            }
        }
    };
    let observer = sdk::Observer::default();
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
                max_session_duration_seconds: i64::from(r.max_session_duration().unwrap_or(3600)),
            }),
            Ok(Some(Err(e))) => {
                return Err(errors::from_sdk(&e, Instant::now() - started, &endpoint));
            }
            Ok(None) => return Ok(roles),
            Err(_) => return Err(errors::timeout(Instant::now() - started, &endpoint)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn role(name: &str, path: &str, max: i64) -> Role {
        Role {
            name: name.into(),
            arn: format!("arn:aws:iam::123456789012:role{path}{name}"),
            path: path.into(),
            max_session_duration_seconds: max,
        }
    }

    #[test]
    fn sorts_roles_into_the_audit() {
        let roles = [
            role("etl", "/", 3600),
            role("batch", "/jobs/", 7200),
            role("long", "/", 43_200),
            role(
                "AWSReservedSSO_Admin_0123",
                "/aws-reserved/sso.amazonaws.com/",
                43_200,
            ),
            role(
                "AWSServiceRoleForSupport",
                "/aws-service-role/support.amazonaws.com/",
                3600,
            ),
        ];
        let a = classify(&roles, 6 * 3600);
        assert_eq!(a.roles_total, 5);
        let names: Vec<&str> = a.too_short.iter().map(|r| r.role_name.as_str()).collect();
        assert_eq!(names, ["etl", "batch"]);
        assert_eq!(
            a.too_short[0].command.as_deref(),
            Some("aws iam update-role --role-name etl --max-session-duration 21600")
        );
        assert_eq!(a.sso_reserved.len(), 1);
        assert_eq!((a.service_linked, a.long_enough), (1, 1));
        assert_eq!(a.exit_code(), 1);
        assert_eq!(classify(&roles, 3600).exit_code(), 0);
    }
}
