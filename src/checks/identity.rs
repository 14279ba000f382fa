//! `identity`: does sts:GetCallerIdentity accept the credentials, and whose are they.

use super::{CheckId, Doc, Finding, Options, Status};
use crate::facts::{ErrorClass, Facts, IdentityType, ProbeKind, Source};
use crate::fixes;

pub const DOC: Doc = Doc {
    what: "Calls sts:GetCallerIdentity with the credentials and reports the ARN, account and \
           kind of principal (IAM user, assumed role, federated user, root). Needs no \
           permission: every principal may call it.",
    why: "Its answer separates \"the credentials are already expired or revoked\" from \"the \
          job lacks a permission\", and the ARN names the role whose limits apply.",
    fix: "ExpiredToken: get fresh credentials from a refreshing source (use-refreshing-profile, \
          sso-login). InvalidClientTokenId: the keys were revoked, deleted, or belong to another \
          partition (aws-cn, aws-us-gov). Signature expired: sync the clock (sync-clock).",
};

pub fn check(f: &Facts, _opts: &Options) -> Finding {
    let id = CheckId::Identity;
    if let Some(arn) = &f.identity.arn {
        let kind = match f.identity.kind {
            Some(IdentityType::User) => "IAM user",
            Some(IdentityType::AssumedRole) => "assumed role",
            Some(IdentityType::FederatedUser) => "federated user",
            Some(IdentityType::Root) => "root user",
            None => "principal",
        };
        let mut finding = Finding::new(id, Status::Pass, format!("{kind} {arn}"));
        if let Some(p) = f.probe(ProbeKind::Identity)
            && let Some(e) = &p.endpoint
        {
            finding = finding.detail(format!("answered by {e} in {}ms", p.elapsed_ms));
        }
        if f.identity.kind == Some(IdentityType::Root) {
            finding.status = Status::Warn;
            finding = finding.detail("the account's root user: jobs should run as a role");
        }
        return finding;
    }
    if f.credentials.source == Source::None {
        return Finding::new(id, Status::Skip, "no credentials to identify");
    }
    if f.offline {
        return Finding::new(
            id,
            Status::Skip,
            "not asked: --offline (sts:GetCallerIdentity)",
        );
    }
    if let Some(p) = f.probe(ProbeKind::Credentials)
        && p.error.is_some()
    {
        return Finding::new(
            id,
            Status::Skip,
            "not asked: the SDK could not obtain credentials",
        );
    }
    let Some(probe) = f.probe(ProbeKind::Identity) else {
        return Finding::new(id, Status::Skip, "not asked");
    };
    let Some(e) = &probe.error else {
        return Finding::new(
            id,
            Status::Error,
            "sts:GetCallerIdentity answered without an ARN",
        );
    };
    let endpoint = probe.endpoint.clone().unwrap_or_else(|| "STS".into());
    let code = e.code.clone().unwrap_or_default();
    let profile = f
        .credentials
        .profile
        .clone()
        .unwrap_or_else(|| "default".into());
    match e.class {
        ErrorClass::ExpiredToken => {
            let mut fnd = Finding::new(
                id,
                Status::Fail,
                format!("AWS says the credentials have already expired ({code})"),
            )
            .detail(e.message.clone());
            fnd = match f.credentials.source {
                Source::Sso => fnd.fix(fixes::sso_login(&profile)),
                _ => fnd.fix(fixes::use_refreshing_profile(&fixes::RefreshingSource::NewRoleProfile {
                    role_arn: None,
                })),
            };
            fnd
        }
        ErrorClass::InvalidToken => Finding::new(
            id,
            Status::Fail,
            format!(
                "AWS does not recognise the credentials ({code}): revoked, deleted, or from another \
                 partition"
            ),
        )
        .detail(e.message.clone()),
        ErrorClass::AccessDenied => Finding::new(
            id,
            Status::Warn,
            format!("sts:GetCallerIdentity was denied ({code}): an SCP or VPC endpoint policy blocks it"),
        )
        .detail(e.message.clone()),
        ErrorClass::ClockSkew => Finding::new(
            id,
            Status::Fail,
            format!("AWS rejected the request's time ({code}): the local clock is off"),
        )
        .detail(e.message.clone())
        .fix(fixes::sync_clock()),
        ErrorClass::Throttling => Finding::new(
            id,
            Status::Warn,
            format!("STS throttled the call ({code}) through every retry the deadline allowed"),
        ),
        ErrorClass::Network | ErrorClass::Timeout => Finding::new(
            id,
            Status::Error,
            format!("sts:GetCallerIdentity: {}", e.message),
        )
        .detail(format!("endpoint {endpoint}")),
        ErrorClass::Provider | ErrorClass::Other => Finding::new(
            id,
            Status::Error,
            format!("sts:GetCallerIdentity failed{}: {}", if code.is_empty() { String::new() } else { format!(" ({code})") }, e.message),
        ),
    }
}
