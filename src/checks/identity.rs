//! `identity`: does sts:GetCallerIdentity accept the credentials, and whose are they.

use super::{CheckId, Doc, Finding, Options, Status};
use crate::facts::{Facts, IdentityType, Source};

pub const DOC: Doc = Doc {
    what: "Calls sts:GetCallerIdentity with the credentials and reports the ARN, account and \
           kind of principal (IAM user, assumed role, federated user, root).",
    why: "It is the one call every principal may make, so its answer separates \"the \
          credentials are already expired or revoked\" from \"the job lacks a permission\". The \
          ARN also names the role whose limits apply.",
    fix: "ExpiredToken means get fresh credentials (and use a refreshing source); \
          InvalidClientTokenId means the keys were revoked or belong to another partition.",
};

pub fn check(f: &Facts, _opts: &Options) -> Finding {
    let id = CheckId::Identity;
    if f.credentials.source == Source::None {
        return Finding::new(id, Status::Skip, "no credentials to identify");
    }
    if let Some(arn) = &f.identity.arn {
        let kind = match f.identity.kind {
            Some(IdentityType::User) => "IAM user",
            Some(IdentityType::AssumedRole) => "assumed role",
            Some(IdentityType::FederatedUser) => "federated user",
            Some(IdentityType::Root) => "root user",
            None => "principal",
        };
        return Finding::new(id, Status::Pass, format!("{kind} {arn}"));
    }
    if f.offline {
        return Finding::new(
            id,
            Status::Skip,
            "not asked: --offline (sts:GetCallerIdentity)",
        );
    }
    Finding::new(
        id,
        Status::Skip,
        "not asked: this build has no live STS probe",
    )
}
