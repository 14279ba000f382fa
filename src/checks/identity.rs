//! `identity`: does sts:GetCallerIdentity accept the credentials, and whose are they.

use super::{Doc, Finding, Note, Options, Status};
use crate::aws::Failure;
use crate::facts::{ErrorClass, Facts, IdentityType, Probe, ProbeKind, ProblemKind, Source};
use crate::fixes::{Fix, RefreshingSource};
use serde::Serialize;

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

/// Why `identity` reached its status.
#[derive(Clone, Debug, PartialEq, Serialize, strum::EnumDiscriminants)]
#[serde(tag = "kind", rename_all = "kebab-case")]
#[strum_discriminants(
    name(ReasonKind),
    derive(strum::EnumIter, strum::IntoStaticStr),
    strum(serialize_all = "kebab-case")
)]
pub enum Reason {
    /// sts:GetCallerIdentity answered with this principal.
    Answered {
        principal: Option<IdentityType>,
        arn: String,
    },
    NoCredentials,
    NotAskedOffline,
    /// The credentials come from a credential_process that was not run
    /// (`--no-credential-process`): there were none to show STS.
    NotAskedHelperNotRun,
    NotAskedNoCredentials,
    /// The live probes did not get as far as STS: the credential provider did not answer.
    NotVerified {
        probe: Probe,
    },
    NotAsked,
    /// The call succeeded but named no principal.
    AnsweredWithoutArn,
    /// AWS said the credentials have expired.
    Expired {
        code: Option<String>,
    },
    /// AWS does not recognise them.
    NotRecognised {
        code: Option<String>,
    },
    /// GetCallerIdentity itself was denied (an SCP, a VPC endpoint policy).
    Denied {
        code: Option<String>,
    },
    /// AWS rejected the request's time.
    ClockRejected {
        code: Option<String>,
    },
    /// Throttled through every retry.
    Throttled {
        code: Option<String>,
    },
    /// STS could not be reached, or did not answer in time.
    Unreachable {
        probe: Probe,
    },
    /// Anything else STS said, or a reply that was not STS's.
    Failed {
        probe: Probe,
    },
}

pub fn check(f: &Facts, _opts: &Options) -> Finding {
    if let Some(arn) = &f.identity.arn {
        let mut finding = Finding::new(
            Status::Pass,
            Reason::Answered {
                principal: f.identity.kind,
                arn: arn.clone(),
            },
        );
        if let Some(p) = f.probe(ProbeKind::Identity)
            && let Some(e) = &p.endpoint
        {
            finding = finding.note(Note::AnsweredBy {
                endpoint: e.clone(),
                elapsed_ms: p.elapsed_ms,
            });
        }
        if f.identity.kind == Some(IdentityType::Root) {
            finding.status = Status::Warn;
            finding = finding.note(Note::RootUser);
        }
        return finding;
    }
    if f.credentials.source == Source::None {
        return Finding::new(Status::Skip, Reason::NoCredentials);
    }
    if f.offline {
        return Finding::new(Status::Skip, Reason::NotAskedOffline);
    }
    if f.problems_of(ProblemKind::HelperNotRun).next().is_some() {
        return Finding::new(Status::Skip, Reason::NotAskedHelperNotRun);
    }
    match super::provider(f) {
        super::Provider::Refused(_) => {
            return Finding::new(Status::Skip, Reason::NotAskedNoCredentials);
        }
        super::Provider::Unverified(probe) => {
            return Finding::new(
                Status::Error,
                Reason::NotVerified {
                    probe: probe.clone(),
                },
            );
        }
        super::Provider::Answered => {}
    }
    let Some(probe) = f.probe(ProbeKind::Identity) else {
        return Finding::new(Status::Skip, Reason::NotAsked);
    };
    let Some(e) = &probe.error else {
        return Finding::new(Status::Error, Reason::AnsweredWithoutArn);
    };
    let endpoint = probe.endpoint.clone().unwrap_or_else(|| "STS".into());
    let code = e.code.clone();
    let said = match &e.failure {
        Some(crate::facts::ProbeFailure::Service { message }) => Note::ServiceSaid {
            message: message.clone(),
        },
        _ => Note::ProbeCauses {
            probe: probe.clone(),
        },
    };
    let profile = f
        .credentials
        .profile
        .clone()
        .unwrap_or_else(|| "default".into());
    match e.class {
        ErrorClass::Refused(Failure::Expired) => {
            let fix = match f.credentials.source {
                Source::Sso => Fix::SsoLogin { profile },
                _ => Fix::UseRefreshingProfile {
                    target: RefreshingSource::NewRoleProfile { role_arn: None },
                },
            };
            Finding::new(Status::Fail, Reason::Expired { code })
                .note(said)
                .fix(fix)
        }
        ErrorClass::Refused(Failure::InvalidToken) => {
            Finding::new(Status::Fail, Reason::NotRecognised { code }).note(said)
        }
        ErrorClass::Refused(Failure::AccessDenied) => {
            Finding::new(Status::Warn, Reason::Denied { code }).note(said)
        }
        ErrorClass::Refused(Failure::ClockSkew) => {
            Finding::new(Status::Fail, Reason::ClockRejected { code })
                .note(said)
                .fix(Fix::SyncClock)
        }
        ErrorClass::Refused(Failure::Throttling) => {
            Finding::new(Status::Warn, Reason::Throttled { code })
        }
        ErrorClass::Network | ErrorClass::Timeout => Finding::new(
            Status::Error,
            Reason::Unreachable {
                probe: probe.clone(),
            },
        )
        .note(Note::Endpoint { endpoint }),
        ErrorClass::Refused(Failure::SsoExpired | Failure::NoCredentials)
        | ErrorClass::Provider
        | ErrorClass::Other => Finding::new(
            Status::Error,
            Reason::Failed {
                probe: probe.clone(),
            },
        ),
    }
}
