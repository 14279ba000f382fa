//! Resolving credentials with aws-config's own providers, the way the job's SDK will, and
//! learning which provider produced them.
//!
//! aws-config does not name the chain's chosen provider publicly, but every provider tags the
//! credentials it returns with `AwsCredentialFeature`s (the SDK's user-agent metrics); those
//! tell us the source without re-implementing the chain.

use super::errors;
use crate::facts::{ErrorClass, Probe, ProbeError, ProbeFailure, ProbeKind, Source};
use aws_config::SdkConfig;
use aws_credential_types::Credentials;
use aws_credential_types::credential_feature::AwsCredentialFeature;
use aws_credential_types::provider::ProvideCredentials;
use chrono::{DateTime, Utc};
use tokio::time::Instant;

/// The source the providers' feature tags point at; the most specific wins (a role assumed on
/// top of SSO is `assume-role`).
pub fn source_of(creds: &Credentials) -> Option<Source> {
    let features = creds.get_property::<Vec<AwsCredentialFeature>>()?;
    let has = |f: AwsCredentialFeature| features.contains(&f);
    use AwsCredentialFeature as F;
    Some(if has(F::CredentialsStsAssumeRole) {
        Source::AssumeRole
    } else if has(F::CredentialsProfileStsWebIdToken)
        || has(F::CredentialsEnvVarsStsWebIdToken)
        || has(F::CredentialsStsAssumeRoleWebId)
    {
        Source::WebIdentity
    } else if has(F::CredentialsSso) || has(F::CredentialsProfileSso) {
        Source::Sso
    } else if has(F::CredentialsProcess) || has(F::CredentialsProfileProcess) {
        Source::CredentialProcess
    } else if has(F::CredentialsLogin) || has(F::CredentialsProfileLogin) {
        Source::Login
    } else if has(F::CredentialsHttp) {
        Source::Container
    } else if has(F::CredentialsImds) {
        Source::InstanceMetadata
    } else if has(F::CredentialsEnvVars) {
        Source::Environment
    } else if has(F::CredentialsProfile) {
        Source::SharedCredentials
    } else {
        return None;
    })
}

/// The credentials' expiry; `None` when they carry none, or one outside the years 1970 to
/// 9999 (which [`ask`] has already turned into a probe error).
pub fn expiry_of(creds: &Credentials) -> Option<DateTime<Utc>> {
    creds
        .expiry()
        .and_then(|t| crate::timestamps::from_system_time(t).ok())
}

/// Credentials as a provider handed them out, unless their expiry is outside the years 1970 to
/// 9999: an endpoint's number (the SSO portal sends epoch milliseconds, the container endpoint
/// and IMDS a date) that no session can have, not believed.
fn believable(creds: Credentials) -> Result<Credentials, ProbeError> {
    match creds.expiry().map(crate::timestamps::from_system_time) {
        // Not "the provider refused" (the job's SDK would take them, and never refresh them):
        // what it handed out cannot be judged, an error like any unreadable reply.
        Some(Err(epoch_seconds)) => Err(ProbeError::new(
            ErrorClass::Other,
            ProbeFailure::ExpiryOutOfRange { epoch_seconds },
        )),
        _ => Ok(creds),
    }
}

/// Asks the configured chain for credentials within the deadline. `expected` is the source the
/// local files point at (it helps classify a failure aws-config reports only in words).
pub async fn resolve(
    config: &SdkConfig,
    deadline: Instant,
    expected: Source,
) -> (Result<Credentials, ProbeError>, Probe) {
    const TARGET: &str = "the SDK's default credential chain";
    match config.credentials_provider() {
        Some(provider) => ask(provider, TARGET, deadline, expected).await,
        None => {
            let error = ProbeError::new(ErrorClass::Provider, ProbeFailure::NoProvider);
            let probe = Probe {
                kind: ProbeKind::Credentials,
                target: TARGET.into(),
                endpoint: None,
                elapsed_ms: 0,
                error: Some(error.clone()),
            };
            (Err(error), probe)
        }
    }
}

/// The named profile's own provider, as a job that selects the profile explicitly and exports
/// nothing would use it (`--all-profiles`), in the profile's region.
pub async fn resolve_profile(
    config: &SdkConfig,
    profile: &str,
    deadline: Instant,
    expected: Source,
) -> (Result<Credentials, ProbeError>, Probe) {
    let region = config
        .region()
        .cloned()
        .unwrap_or_else(|| aws_config::Region::new(super::sdk::GLOBAL_STS_REGION));
    let provider_config =
        aws_config::provider_config::ProviderConfig::default().with_region(Some(region));
    let provider = aws_config::profile::ProfileFileCredentialsProvider::builder()
        .configure(&provider_config)
        .profile_name(profile)
        .build();
    ask(provider, &format!("profile {profile}"), deadline, expected).await
}

/// The provider botocore would pick, built from aws-config's own (`--sdk python`): the
/// environment's, the named profile's, web identity from the environment, the container
/// endpoint or instance metadata. `None` when botocore picks nothing (its local facts say why).
pub async fn resolve_as_botocore(
    config: &SdkConfig,
    facts: &crate::facts::Facts,
    deadline: Instant,
) -> Option<(Result<Credentials, ProbeError>, Probe)> {
    use aws_config::provider_config::ProviderConfig;
    let c = &facts.credentials;
    let region = config
        .region()
        .cloned()
        .unwrap_or_else(|| aws_config::Region::new(super::sdk::GLOBAL_STS_REGION));
    let conf = ProviderConfig::default().with_region(Some(region));
    let expected = c.source;
    let profile_based = matches!(
        c.source,
        Source::SharedCredentials
            | Source::AssumeRole
            | Source::Sso
            | Source::CredentialProcess
            | Source::Login
    ) || (c.source == Source::WebIdentity && c.profile.is_some());
    Some(match (c.source, &c.profile) {
        (Source::None, _) => return None,
        (_, Some(profile)) if profile_based => {
            resolve_profile(config, profile, deadline, expected).await
        }
        (Source::Environment, _) => {
            let provider = aws_config::environment::EnvironmentVariableCredentialsProvider::new();
            ask(provider, "the environment", deadline, expected).await
        }
        (Source::WebIdentity, _) => {
            let provider =
                aws_config::web_identity_token::WebIdentityTokenCredentialsProvider::builder()
                    .configure(&conf)
                    .build();
            ask(provider, "web identity", deadline, expected).await
        }
        (Source::Container, _) => {
            let provider = aws_config::ecs::EcsCredentialsProvider::builder()
                .configure(&conf)
                .build();
            ask(provider, "the container endpoint", deadline, expected).await
        }
        (Source::InstanceMetadata, _) => {
            let provider = aws_config::imds::credentials::ImdsCredentialsProvider::builder()
                .configure(&conf)
                .build();
            ask(provider, "instance metadata", deadline, expected).await
        }
        _ => resolve(config, deadline, expected).await,
    })
}

async fn ask(
    provider: impl ProvideCredentials,
    target: &str,
    deadline: Instant,
    expected: Source,
) -> (Result<Credentials, ProbeError>, Probe) {
    let started = Instant::now();
    let result = match tokio::time::timeout_at(deadline, provider.provide_credentials()).await {
        Ok(Ok(creds)) => believable(creds),
        Ok(Err(e)) => Err(errors::from_provider(&e, expected)),
        Err(_) => Err(errors::timeout(Instant::now() - started)),
    };
    let probe = Probe {
        kind: ProbeKind::Credentials,
        target: target.into(),
        endpoint: None,
        elapsed_ms: (Instant::now() - started).as_millis() as u64,
        error: result.as_ref().err().cloned(),
    };
    (result, probe)
}
