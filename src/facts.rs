//! Facts: everything gathering learned, as plain serialisable data.
//!
//! This is the seam of the program. Gathering (all I/O) produces Facts; checks (pure) read
//! them. A saved JSON report or a fixture under `fixtures/` deserialises back into Facts, so a
//! CI runner's situation can be replayed on a laptop and every check is testable without I/O.
//! Field names follow the version-1 report in DESIGN.md; unknowns are `null`, never omitted.
//! Nothing here can hold a secret: key ids are stored redacted, secrets are never read in.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Deserializer, Serialize};
use std::fmt;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Facts {
    pub checked_at: DateTime<Utc>,
    pub credentials: Credentials,
    pub identity: Identity,
    pub session_limit: SessionLimit,
    pub clock: Clock,
    /// The SSO token and session behind an SSO profile, when one is involved.
    #[serde(default)]
    pub sso: Option<Sso>,
    /// The profiles walked from the selected one to its base credentials, in that order.
    #[serde(default)]
    pub profile_chain: Vec<ProfileHop>,
    /// What could not be read or understood. A check that depends on it says so.
    #[serde(default)]
    pub problems: Vec<Problem>,
    /// Network probes were not run (`--offline`, or a replay of offline facts).
    #[serde(default)]
    pub offline: bool,
    /// `AWS_EC2_METADATA_DISABLED=true`: the chain never asks the instance metadata service.
    #[serde(default)]
    pub imds_disabled: bool,
    /// The region STS and IAM were asked in, and where it came from.
    #[serde(default)]
    pub region: Option<String>,
    #[serde(default)]
    pub region_source: Option<String>,
    /// Every live probe: what was asked, where, how long it took, how it ended.
    #[serde(default)]
    pub probes: Vec<Probe>,
}

/// What a live probe asked.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ProbeKind {
    /// The SDK's credential provider (AssumeRole, SSO, container, IMDS, …).
    Credentials,
    /// sts:GetCallerIdentity with the job's credentials.
    Identity,
    /// iam:GetRole for MaxSessionDuration.
    GetRole,
    /// The EC2 instance role, asked only to learn whether it is shadowed.
    InstanceMetadata,
    /// sts:GetCallerIdentity with the source credentials of a role profile (chaining).
    SourceIdentity,
    /// SNTP.
    Ntp,
}

/// How a probe failed, by what the failure means for the job.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ErrorClass {
    /// ExpiredToken / ExpiredTokenException: the credentials are already expired.
    ExpiredToken,
    /// InvalidClientTokenId / UnrecognizedClientException: revoked, or another partition.
    InvalidToken,
    /// AccessDenied: the call is not permitted.
    AccessDenied,
    /// RequestExpired / "Signature expired": the local clock is off.
    ClockSkew,
    /// Throttling, after the retries the deadline allowed.
    Throttling,
    /// Connection refused, reset, DNS failure.
    Network,
    /// No answer before the deadline.
    Timeout,
    /// The credential provider could not supply credentials (SSO token expired, …).
    Provider,
    /// Anything else the service said.
    Other,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProbeError {
    pub class: ErrorClass,
    /// The AWS error code, when the service sent one.
    pub code: Option<String>,
    pub message: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Probe {
    pub kind: ProbeKind,
    /// What was asked, in words: `sts:GetCallerIdentity`, `iam:GetRole etl`.
    pub target: String,
    /// Where: a URL or `host:port`, when known.
    pub endpoint: Option<String>,
    pub elapsed_ms: u64,
    pub error: Option<ProbeError>,
}

/// Where the SDK's default chain finds credentials, in the chain's order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum Source {
    #[default]
    None,
    Environment,
    SharedCredentials,
    AssumeRole,
    Sso,
    CredentialProcess,
    WebIdentity,
    Container,
    InstanceMetadata,
    /// `login_session` (`aws login`, console credentials): in aws-config's chain since 2025,
    /// not in DESIGN.md's list; reported as itself rather than mislabelled.
    Login,
}

impl Source {
    pub fn as_str(self) -> &'static str {
        match self {
            Source::None => "none",
            Source::Environment => "environment",
            Source::SharedCredentials => "shared-credentials",
            Source::AssumeRole => "assume-role",
            Source::Sso => "sso",
            Source::CredentialProcess => "credential-process",
            Source::WebIdentity => "web-identity",
            Source::Container => "container",
            Source::InstanceMetadata => "instance-metadata",
            Source::Login => "login",
        }
    }
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where `expires_at` was read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ExpirySource {
    #[serde(rename = "AWS_CREDENTIAL_EXPIRATION")]
    AwsCredentialExpiration,
    #[serde(rename = "AWS_SESSION_EXPIRATION")]
    AwsSessionExpiration,
    #[serde(rename = "AWS_CREDENTIALS_EXPIRATION")]
    AwsCredentialsExpiration,
    #[serde(rename = "AWS_SSO_SESSION_EXPIRATION")]
    AwsSsoSessionExpiration,
    #[serde(rename = "AWSUME_EXPIRATION")]
    AwsumeExpiration,
    #[serde(rename = "AWS_OKTA_SESSION_EXPIRATION")]
    AwsOktaSessionExpiration,
    #[serde(rename = "x_security_token_expires")]
    XSecurityTokenExpires,
    #[serde(rename = "cli-cache")]
    CliCache,
    #[serde(rename = "sso-cache")]
    SsoCache,
    #[serde(rename = "credential-process")]
    CredentialProcess,
    #[serde(rename = "provider")]
    Provider,
}

impl ExpirySource {
    pub fn as_str(self) -> &'static str {
        match self {
            ExpirySource::AwsCredentialExpiration => "AWS_CREDENTIAL_EXPIRATION",
            ExpirySource::AwsSessionExpiration => "AWS_SESSION_EXPIRATION",
            ExpirySource::AwsCredentialsExpiration => "AWS_CREDENTIALS_EXPIRATION",
            ExpirySource::AwsSsoSessionExpiration => "AWS_SSO_SESSION_EXPIRATION",
            ExpirySource::AwsumeExpiration => "AWSUME_EXPIRATION",
            ExpirySource::AwsOktaSessionExpiration => "AWS_OKTA_SESSION_EXPIRATION",
            ExpirySource::XSecurityTokenExpires => "x_security_token_expires",
            ExpirySource::CliCache => "cli-cache",
            ExpirySource::SsoCache => "sso-cache",
            ExpirySource::CredentialProcess => "credential-process",
            ExpirySource::Provider => "provider",
        }
    }

    /// Said in a sentence: "from AWS_CREDENTIAL_EXPIRATION", "from the AWS CLI cache".
    pub fn describe(self) -> &'static str {
        match self {
            ExpirySource::XSecurityTokenExpires => {
                "x_security_token_expires in the credentials file"
            }
            ExpirySource::CliCache => "the AWS CLI cache (~/.aws/cli/cache)",
            ExpirySource::SsoCache => "the SSO token cache (~/.aws/sso/cache)",
            ExpirySource::CredentialProcess => "the credential_process output",
            ExpirySource::Provider => "the credential provider",
            other => other.as_str(),
        }
    }
}

/// An access key id, only ever held redacted: `ASIA…WXYZ`.
///
/// Deserialising an unredacted id (a hand-written fixture) redacts it on the way in, so no
/// replay can echo a full key id either.
#[derive(Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct KeyId(String);

impl KeyId {
    /// The first four and last four characters around `…`; short ids keep only a prefix.
    pub fn redact(raw: &str) -> KeyId {
        // Control characters go first, so that redacting twice (a replay) gives the same text
        // and nothing a terminal would interpret reaches the table.
        let clean: String = raw.chars().filter(|c| !c.is_control()).collect();
        let raw = clean.trim();
        if raw.contains('…') {
            return KeyId(raw.chars().take(40).collect());
        }
        let chars: Vec<char> = raw.chars().collect();
        if chars.len() >= 12 {
            let head: String = chars[..4].iter().collect();
            let tail: String = chars[chars.len() - 4..].iter().collect();
            KeyId(format!("{head}…{tail}"))
        } else {
            let head: String = chars.iter().take(chars.len().min(8) / 2).collect();
            KeyId(format!("{head}…"))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `ASIA` keys are temporary (STS), `AKIA` long-term (IAM user), per AWS's documented prefixes.
    pub fn kind(&self) -> KeyKind {
        if self.0.starts_with("ASIA") {
            KeyKind::Temporary
        } else if self.0.starts_with("AKIA") {
            KeyKind::LongTerm
        } else {
            KeyKind::Unknown
        }
    }
}

impl fmt::Debug for KeyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "KeyId({})", self.0)
    }
}

impl<'de> Deserialize<'de> for KeyId {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(d)?;
        Ok(KeyId::redact(&raw))
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyKind {
    Temporary,
    LongTerm,
    Unknown,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Credentials {
    #[serde(default)]
    pub source: Source,
    pub profile: Option<String>,
    pub temporary: Option<bool>,
    pub auto_refresh: Option<bool>,
    pub access_key_id: Option<KeyId>,
    pub expires_at: Option<DateTime<Utc>>,
    pub expiry_source: Option<ExpirySource>,
    #[serde(default)]
    pub shadowed_sources: Vec<Source>,
    /// Where exactly, in words: "AWS_ACCESS_KEY_ID in the environment".
    #[serde(default)]
    pub source_detail: Option<String>,
    /// The role these credentials are a session of, when the configuration names it.
    #[serde(default)]
    pub role_arn: Option<String>,
    /// Why these credentials do not refresh, when `auto_refresh` is false.
    #[serde(default)]
    pub refresh_note: Option<String>,
    /// For refreshing sources: what stops the refreshing, when something does (expiring
    /// source credentials, the SSO token or session).
    #[serde(default)]
    pub refresh_limit: Option<RefreshLimit>,
    /// The profile the SDK would use if the exported variables were unset, when it refreshes.
    #[serde(default)]
    pub shadowed_profile: Option<String>,
}

/// The end of refreshing: after `until` (or, when that is unknown, at most `at_most_seconds`
/// after the run) the SDK can no longer obtain new credentials.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RefreshLimit {
    pub until: Option<DateTime<Utc>>,
    /// An upper bound in seconds from `checked_at` when `until` is unknown (the default SSO
    /// session length), `null` when nothing bounds it.
    pub at_most_seconds: Option<i64>,
    /// What ends it, in words: "the SSO access token (no refresh token) expires".
    pub reason: String,
    pub kind: RefreshLimitKind,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RefreshLimitKind {
    /// The role is re-assumed with source credentials that themselves do not refresh.
    SourceCredentials,
    /// The cached SSO access token expires and there is no refresh token (or it is gone).
    SsoToken,
    /// The IAM Identity Center session ends (the refresh token stops working).
    SsoSession,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum IdentityType {
    User,
    AssumedRole,
    FederatedUser,
    Root,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Identity {
    pub arn: Option<String>,
    pub account: Option<String>,
    #[serde(rename = "type")]
    pub kind: Option<IdentityType>,
    pub role_name: Option<String>,
    pub session_name: Option<String>,
}

/// Where `max_session_duration_seconds` came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LimitSource {
    /// `--max-session-duration` on the command line.
    Flag,
    /// iam:GetRole.
    GetRole,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SessionLimit {
    pub role_name: Option<String>,
    pub max_session_duration_seconds: Option<i64>,
    pub role_chaining: Option<bool>,
    pub configured_duration_seconds: Option<i64>,
    #[serde(default)]
    pub role_arn: Option<String>,
    #[serde(default)]
    pub max_session_duration_source: Option<LimitSource>,
    /// Why we believe the session is (or may be) chained, in words.
    #[serde(default)]
    pub chaining_reason: Option<String>,
    /// The profile that sets `duration_seconds`.
    #[serde(default)]
    pub configured_in_profile: Option<String>,
    /// This is the role named by `--role-arn`: a plan, not the credentials' own role.
    #[serde(default)]
    pub planned: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Clock {
    pub ntp_server: Option<String>,
    pub ntp_offset_seconds: Option<f64>,
    pub aws_offset_seconds: Option<f64>,
    /// The round trip of the NTP sample the offset came from.
    #[serde(default)]
    pub ntp_delay_seconds: Option<f64>,
    #[serde(default)]
    pub ntp_stratum: Option<u8>,
}

/// The IAM Identity Center (SSO) side of an SSO profile, read from its config and token cache.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Sso {
    /// `sso_session` name; `null` for a legacy profile (`sso_start_url` on the profile).
    pub session_name: Option<String>,
    pub start_url: Option<String>,
    pub account_id: Option<String>,
    pub role_name: Option<String>,
    /// The cached access token's `expiresAt`.
    pub token_expires_at: Option<DateTime<Utc>>,
    /// A refresh token lets the SDK renew the access token until the SSO session ends.
    pub has_refresh_token: Option<bool>,
    /// The OIDC client registration's expiry (refresh fails after it).
    pub registration_expires_at: Option<DateTime<Utc>>,
    /// The token cache file read (a path, never its contents).
    pub cache_file: Option<String>,
    /// Whether `aws sso login` has ever written a token for this session on this machine.
    pub token_found: bool,
}

/// One profile on the way from the selected profile to the base credentials.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ProfileHop {
    pub profile: String,
    /// `role`, `static-keys`, `sso`, `credential-process`, `web-identity`, `credential-source`,
    /// `login-session`.
    pub kind: String,
    pub role_arn: Option<String>,
    pub source_profile: Option<String>,
    pub credential_source: Option<String>,
    pub duration_seconds: Option<i64>,
    pub mfa_serial: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ProblemKind {
    /// `~/.aws/config` or `credentials`: unreadable, too large, or a syntax error.
    ConfigFile,
    /// The profile graph: missing source profile, a cycle, contradictory keys.
    Profile,
    /// Environment variables that contradict each other or are incomplete.
    Environment,
    /// An expiry value that does not parse.
    ExpiryValue,
    /// A CLI or SSO cache file that is unreadable or malformed.
    CacheFile,
    /// `credential_process` failed, hung or printed something unusable.
    CredentialProcess,
    /// A file named by configuration (web identity token) that cannot be read.
    TokenFile,
    /// A local step (credential_process) ran out of time: a probe broke, not a verdict.
    Deadline,
}

/// Something that could not be read or understood. `subject` names the file or variable,
/// `line` the line when known.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Problem {
    pub kind: ProblemKind,
    pub subject: String,
    pub line: Option<u32>,
    pub message: String,
}

impl Problem {
    pub fn new(kind: ProblemKind, subject: impl Into<String>, message: impl Into<String>) -> Self {
        Problem {
            kind,
            subject: subject.into(),
            line: None,
            message: message.into(),
        }
    }

    pub fn at_line(mut self, line: Option<u32>) -> Self {
        self.line = line;
        self
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{} line {}: {}", self.subject, line, self.message),
            None => write!(f, "{}: {}", self.subject, self.message),
        }
    }
}

impl Facts {
    /// Facts about a machine where nothing was found, at `now`.
    pub fn empty(now: DateTime<Utc>) -> Self {
        Facts {
            checked_at: now,
            credentials: Credentials::default(),
            identity: Identity::default(),
            session_limit: SessionLimit::default(),
            clock: Clock::default(),
            sso: None,
            profile_chain: Vec::new(),
            problems: Vec::new(),
            offline: false,
            imds_disabled: false,
            region: None,
            region_source: None,
            probes: Vec::new(),
        }
    }

    pub fn problems_of(&self, kind: ProblemKind) -> impl Iterator<Item = &Problem> {
        self.problems.iter().filter(move |p| p.kind == kind)
    }

    /// The last probe of a kind (a retried probe keeps its final outcome).
    pub fn probe(&self, kind: ProbeKind) -> Option<&Probe> {
        self.probes.iter().rev().find(|p| p.kind == kind)
    }
}

/// Splits a principal ARN into (type, role name, session name): `user`, `assumed-role`,
/// `federated-user`, `root`, as sts:GetCallerIdentity returns them.
pub fn parse_principal_arn(arn: &str) -> (Option<IdentityType>, Option<String>, Option<String>) {
    let Some(resource) = arn.splitn(6, ':').nth(5) else {
        return (None, None, None);
    };
    if resource == "root" {
        return (Some(IdentityType::Root), None, None);
    }
    if let Some(rest) = resource.strip_prefix("assumed-role/") {
        let mut parts = rest.splitn(2, '/');
        let role = parts.next().filter(|s| !s.is_empty()).map(String::from);
        let session = parts.next().filter(|s| !s.is_empty()).map(String::from);
        return (Some(IdentityType::AssumedRole), role, session);
    }
    if let Some(rest) = resource.strip_prefix("federated-user/") {
        return (
            Some(IdentityType::FederatedUser),
            None,
            Some(rest.to_string()),
        );
    }
    if resource.starts_with("user/") {
        return (Some(IdentityType::User), None, None);
    }
    (None, None, None)
}

/// The role name in a role or assumed-role ARN: `arn:aws:iam::1:role/path/etl` → `etl`,
/// `arn:aws:sts::1:assumed-role/etl/job` → `etl`.
pub fn role_name_from_arn(arn: &str) -> Option<String> {
    let resource = arn.splitn(6, ':').nth(5)?;
    if let Some(rest) = resource.strip_prefix("role/") {
        rest.rsplit('/')
            .next()
            .filter(|n| !n.is_empty())
            .map(String::from)
    } else if let Some(rest) = resource.strip_prefix("assumed-role/") {
        rest.split('/')
            .next()
            .filter(|n| !n.is_empty())
            .map(String::from)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_ids_are_redacted_four_and_four() {
        assert_eq!(KeyId::redact("ASIAEXAMPLEKEYIDWXYZ").as_str(), "ASIA…WXYZ");
        assert_eq!(KeyId::redact("AKIA1234").as_str(), "AKIA…");
        assert_eq!(KeyId::redact("ab").as_str(), "a…");
        assert_eq!(
            KeyId::redact("ASIAEXAMPLEKEYIDWXYZ").kind(),
            KeyKind::Temporary
        );
        assert_eq!(
            KeyId::redact("AKIAEXAMPLEKEYIDWXYZ").kind(),
            KeyKind::LongTerm
        );
    }

    #[test]
    fn deserialising_a_full_key_id_redacts_it() {
        let k: KeyId = serde_json::from_str("\"ASIAEXAMPLEKEYIDWXYZ\"").unwrap();
        assert_eq!(k.as_str(), "ASIA…WXYZ");
        let k: KeyId = serde_json::from_str("\"ASIA…WXYZ\"").unwrap();
        assert_eq!(k.as_str(), "ASIA…WXYZ");
        assert_eq!(format!("{k:?}"), "KeyId(ASIA…WXYZ)");
    }

    #[test]
    fn role_names_from_arns() {
        assert_eq!(
            role_name_from_arn("arn:aws:iam::123456789012:role/etl").as_deref(),
            Some("etl")
        );
        assert_eq!(
            role_name_from_arn("arn:aws:iam::123456789012:role/service/etl").as_deref(),
            Some("etl")
        );
        assert_eq!(
            role_name_from_arn("arn:aws:sts::123456789012:assumed-role/etl/job").as_deref(),
            Some("etl")
        );
        assert_eq!(
            role_name_from_arn("arn:aws:iam::123456789012:user/bob"),
            None
        );
        assert_eq!(role_name_from_arn("nonsense"), None);
    }

    #[test]
    fn principal_arns() {
        assert_eq!(
            parse_principal_arn("arn:aws:sts::123456789012:assumed-role/etl/job-1"),
            (
                Some(IdentityType::AssumedRole),
                Some("etl".into()),
                Some("job-1".into())
            )
        );
        assert_eq!(
            parse_principal_arn("arn:aws:iam::123456789012:user/ops/bob"),
            (Some(IdentityType::User), None, None)
        );
        assert_eq!(
            parse_principal_arn("arn:aws:sts::123456789012:federated-user/bob"),
            (Some(IdentityType::FederatedUser), None, Some("bob".into()))
        );
        assert_eq!(
            parse_principal_arn("arn:aws:iam::123456789012:root").0,
            Some(IdentityType::Root)
        );
        assert_eq!(parse_principal_arn("garbage"), (None, None, None));
    }

    #[test]
    fn facts_round_trip_through_json() {
        let mut f = Facts::empty("2026-11-23T08:00:00Z".parse().unwrap());
        f.credentials.source = Source::Environment;
        f.credentials.access_key_id = Some(KeyId::redact("ASIAEXAMPLEKEYIDWXYZ"));
        f.credentials.expiry_source = Some(ExpirySource::AwsumeExpiration);
        f.problems
            .push(Problem::new(ProblemKind::ConfigFile, "/h/.aws/config", "bad").at_line(Some(3)));
        let json = serde_json::to_string(&f).unwrap();
        let back: Facts = serde_json::from_str(&json).unwrap();
        assert_eq!(back, f);
        assert!(json.contains("\"expiry_source\":\"AWSUME_EXPIRATION\""));
        assert!(json.contains("\"source\":\"environment\""));
    }
}
