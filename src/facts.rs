//! Facts: everything gathering learned, as plain serialisable data.
//!
//! This is the seam of the program. Gathering (all I/O) produces Facts; checks (pure) read
//! them. A saved JSON report or a fixture under `fixtures/` deserialises back into Facts, so a
//! CI runner's situation can be replayed on a laptop and every check is testable without I/O.
//! Field names follow the version-1 report; unknowns are `null`, never omitted. Facts hold
//! data, never sentences: where credentials come from, why they do not refresh, what ends the
//! refreshing and why a session is chained are typed values that `render/` puts into words.
//! Nothing here can hold a secret: key ids are stored redacted, secrets are never read in.

use crate::aws::{Arn, Failure};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Deserializer, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Facts {
    #[serde(deserialize_with = "bounded::one")]
    pub checked_at: DateTime<Utc>,
    pub credentials: Credentials,
    pub identity: Identity,
    pub session_limit: SessionLimit,
    pub clock: Clock,
    /// The SSO token and session behind an SSO profile, when one is involved.
    #[serde(default)]
    pub sso: Option<Sso>,
    /// The web identity token behind web identity credentials, when one is involved.
    #[serde(default)]
    pub web_identity: Option<WebIdentity>,
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
    /// Whose resolution of the credentials these facts are; `None` in reports written before
    /// `--sdk` existed (their checks then apply every SDK's strictest rule, as they did).
    #[serde(default)]
    pub sdk: Option<Sdk>,
}

/// An SDK whose credential resolution expiry-doctor models.
#[derive(
    Clone,
    Copy,
    Debug,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    strum::EnumIter,
    strum::IntoStaticStr,
)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub enum Sdk {
    /// aws-config (the AWS SDK for Rust).
    #[default]
    Rust,
    /// botocore (boto3, the AWS CLI).
    Python,
}

impl Sdk {
    pub fn name(self) -> &'static str {
        self.into()
    }
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

/// How a probe failed: what the service said it means for the job ([`Failure`], the vocabulary
/// triage shares), or how the probe itself broke.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(into = "&'static str", try_from = "String")]
pub enum ErrorClass {
    /// The service (or the provider in front of it) answered with a failure of this kind.
    Refused(Failure),
    /// Connection refused, reset, DNS failure.
    Network,
    /// No answer before the deadline.
    Timeout,
    /// The credential provider could not supply credentials for a reason of its own.
    Provider,
    /// Anything else: an unreadable reply, an error the table does not know.
    Other,
}

impl ErrorClass {
    pub const EXPIRED: ErrorClass = ErrorClass::Refused(Failure::Expired);
    pub const INVALID_TOKEN: ErrorClass = ErrorClass::Refused(Failure::InvalidToken);
    pub const ACCESS_DENIED: ErrorClass = ErrorClass::Refused(Failure::AccessDenied);
    pub const CLOCK_SKEW: ErrorClass = ErrorClass::Refused(Failure::ClockSkew);
    pub const THROTTLING: ErrorClass = ErrorClass::Refused(Failure::Throttling);

    /// The kind of a failure the service reported.
    pub fn of(failure: Option<Failure>) -> ErrorClass {
        failure.map_or(ErrorClass::Other, ErrorClass::Refused)
    }

    /// The id in the report. `expired-token` predates the shared vocabulary (where the same
    /// failure is `expired`) and stays for version-1 readers.
    pub fn name(self) -> &'static str {
        match self {
            ErrorClass::Refused(Failure::Expired) => "expired-token",
            ErrorClass::Refused(f) => f.name(),
            ErrorClass::Network => "network",
            ErrorClass::Timeout => "timeout",
            ErrorClass::Provider => "provider",
            ErrorClass::Other => "other",
        }
    }
}

impl From<ErrorClass> for &'static str {
    fn from(c: ErrorClass) -> &'static str {
        c.name()
    }
}

impl TryFrom<String> for ErrorClass {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        Ok(match s.as_str() {
            "expired-token" => ErrorClass::Refused(Failure::Expired),
            "network" => ErrorClass::Network,
            "timeout" => ErrorClass::Timeout,
            "provider" => ErrorClass::Provider,
            "other" => ErrorClass::Other,
            name => ErrorClass::Refused(
                name.parse()
                    .map_err(|_| "unknown error class".to_string())?,
            ),
        })
    }
}

/// How a probe failed: its class (what it means for the job), the service's code, what
/// happened as data, and the causes in their own words.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProbeError {
    pub class: ErrorClass,
    /// The AWS error code, when the service sent one.
    pub code: Option<String>,
    /// What happened. `None` only in reports written before it was recorded.
    #[serde(default)]
    pub failure: Option<ProbeFailure>,
    /// The error's causes, outermost first, each in its own words (an error's `Display`,
    /// never a `Debug` dump), one line each, bounded: what `--verbose` shows.
    #[serde(default)]
    pub causes: Vec<String>,
    /// Reports written before `failure` existed said it in one sentence.
    #[serde(default, rename = "message", skip_serializing)]
    pub legacy_message: Option<String>,
}

impl ProbeError {
    pub fn new(class: ErrorClass, failure: ProbeFailure) -> ProbeError {
        ProbeError {
            class,
            code: None,
            failure: Some(failure),
            causes: Vec::new(),
            legacy_message: None,
        }
    }

    pub fn code(mut self, code: Option<String>) -> ProbeError {
        self.code = code;
        self
    }

    pub fn causes(mut self, causes: Vec<String>) -> ProbeError {
        self.causes = causes;
        self
    }

    /// What happened (a report of an earlier version gives only its sentence).
    pub fn failure(&self) -> Described<ProbeFailure> {
        Described::of(&self.failure, &self.legacy_message)
            .unwrap_or(Described::Legacy(String::new()))
    }
}

/// What happened to a probe, as data.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum ProbeFailure {
    /// Nothing answered before the deadline.
    TimedOut { waited_ms: u64 },
    /// The endpoint could not be reached (refused, reset, unreachable, DNS, TLS).
    Unreachable { endpoint: Option<String> },
    /// The reply was not the service's (a server error, a proxy's page, garbage).
    UnreadableReply {
        endpoint: Option<String>,
        status: Option<u16>,
    },
    /// The reply announced more bytes than an AWS answer needs; it was not read.
    OversizedReply { bytes: u64 },
    /// The service answered with an error (the code is the probe error's `code`), and this
    /// message.
    Service { message: String },
    /// No provider of the default chain has credentials; the instance metadata service's
    /// reason, when it gave one.
    NothingInChain { instance_metadata: Option<String> },
    /// The SDK finds the profile configuration invalid (its words are the causes).
    InvalidConfiguration,
    /// The SSO token has expired or cannot be refreshed.
    SsoToken,
    /// The instance metadata service answered, but not as IMDSv2 does (the HTTP status).
    InstanceMetadata { status: Option<u16> },
    /// The SDK config has no credential provider at all.
    NoProvider,
    /// The credential provider failed in its own words (the causes): a `credential_process`,
    /// the container endpoint.
    ProviderSaid,
    /// What was wrong with an NTP server's answer.
    Ntp { problem: NtpProblem },
    /// iam:GetRole or iam:ListRoles answered a MaxSessionDuration outside the 3600–43200 s IAM
    /// allows: a broken endpoint or proxy, not believed.
    MaxSessionDurationOutOfRange { role: String, seconds: i64 },
    /// The credential provider handed out an expiry outside the years 1970 to 9999 (as epoch
    /// seconds, saturated): a broken endpoint, not believed.
    ExpiryOutOfRange { epoch_seconds: i64 },
}

/// Why an NTP server's answer was not believed, or why it could not be asked.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum NtpProblem {
    /// A reply that does not answer our request (spoofed or stale).
    WrongOrigin,
    /// A kiss-o'-death refusal, with its code (RATE, DENY, …).
    KissOfDeath {
        code: String,
    },
    InvalidStratum,
    /// The server says its own clock is unsynchronised.
    Unsynchronised,
    NotServerMode,
    UnsupportedVersion,
    MalformedReply,
    ZeroTimestamp,
    /// The server is too far from its own reference.
    RootDistance,
    /// Its reference time is after its transmit time.
    BackwardReference,
    /// A reply from another address.
    WrongAddress,
    /// Nothing listens there.
    Refused,
    /// The name does not resolve (or to no address).
    Unresolvable,
    /// A local socket could not be opened.
    NoSocket,
    /// Any other failure sntpc reports.
    Unexpected,
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
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Serialize,
    Deserialize,
    Default,
    strum::EnumIter,
    strum::IntoStaticStr,
    strum::EnumString,
    strum::Display,
)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
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
    /// not in the original design's list; reported as itself rather than mislabelled.
    Login,
}

impl Source {
    /// The id in the report (`assume-role`).
    pub fn name(self) -> &'static str {
        self.into()
    }
}

/// Where `expires_at` was read: the variable's own name for exported credentials.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, strum::EnumIter, strum::IntoStaticStr,
)]
pub enum ExpirySource {
    #[serde(rename = "AWS_CREDENTIAL_EXPIRATION")]
    #[strum(serialize = "AWS_CREDENTIAL_EXPIRATION")]
    AwsCredentialExpiration,
    #[serde(rename = "AWS_SESSION_EXPIRATION")]
    #[strum(serialize = "AWS_SESSION_EXPIRATION")]
    AwsSessionExpiration,
    #[serde(rename = "AWS_CREDENTIALS_EXPIRATION")]
    #[strum(serialize = "AWS_CREDENTIALS_EXPIRATION")]
    AwsCredentialsExpiration,
    #[serde(rename = "AWS_SSO_SESSION_EXPIRATION")]
    #[strum(serialize = "AWS_SSO_SESSION_EXPIRATION")]
    AwsSsoSessionExpiration,
    #[serde(rename = "AWSUME_EXPIRATION")]
    #[strum(serialize = "AWSUME_EXPIRATION")]
    AwsumeExpiration,
    #[serde(rename = "AWS_OKTA_SESSION_EXPIRATION")]
    #[strum(serialize = "AWS_OKTA_SESSION_EXPIRATION")]
    AwsOktaSessionExpiration,
    #[serde(rename = "x_security_token_expires")]
    #[strum(serialize = "x_security_token_expires")]
    XSecurityTokenExpires,
    #[serde(rename = "cli-cache")]
    #[strum(serialize = "cli-cache")]
    CliCache,
    #[serde(rename = "sso-cache")]
    #[strum(serialize = "sso-cache")]
    SsoCache,
    #[serde(rename = "credential-process")]
    #[strum(serialize = "credential-process")]
    CredentialProcess,
    #[serde(rename = "provider")]
    #[strum(serialize = "provider")]
    Provider,
}

impl ExpirySource {
    /// The id in the report: the variable's name, or `cli-cache`, `provider`, ….
    pub fn name(self) -> &'static str {
        self.into()
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

impl std::fmt::Debug for KeyId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
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
    #[serde(default, deserialize_with = "bounded::option")]
    pub expires_at: Option<DateTime<Utc>>,
    pub expiry_source: Option<ExpirySource>,
    #[serde(default)]
    pub shadowed_sources: Vec<Source>,
    /// Whether a session token accompanies the key (exported or in the profile), when the
    /// key itself is known locally.
    #[serde(default)]
    pub session_token: Option<bool>,
    /// Where exactly: which variables, which profile, which role on top of what.
    #[serde(default)]
    pub origin: Option<Origin>,
    /// The role these credentials are a session of, when the configuration names it.
    #[serde(default)]
    pub role_arn: Option<String>,
    /// Why these credentials do not refresh, when `auto_refresh` is false.
    #[serde(default)]
    pub no_refresh: Option<NoRefresh>,
    /// For refreshing sources: what stops the refreshing, when something does (expiring
    /// source credentials, the SSO token or session).
    #[serde(default)]
    pub refresh_limit: Option<RefreshLimit>,
    /// The profile the SDK would use if the exported variables were unset, when it refreshes.
    #[serde(default)]
    pub shadowed_profile: Option<String>,
    /// Whether the SDK's chain hands back credentials at all, from what the files and the
    /// environment say (the services assumed to answer): false when it stops at a broken
    /// configuration, a missing profile, a missing SSO token, a failing helper, or finds
    /// nothing. Whether AWS then accepts them is the checks' business.
    #[serde(default)]
    pub obtained: Option<bool>,
    /// Reports written before `origin` existed said it in words; replays show those words.
    #[serde(default, rename = "source_detail", skip_serializing)]
    pub legacy_source_detail: Option<String>,
    /// Likewise for `no_refresh`.
    #[serde(default, rename = "refresh_note", skip_serializing)]
    pub legacy_refresh_note: Option<String>,
}

/// A typed fact, or the words a report written before it was typed carried instead.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Described<T> {
    Typed(T),
    /// From a replayed report of an earlier version: shown as it was written.
    Legacy(String),
}

impl<T: Clone> Described<T> {
    fn of(typed: &Option<T>, legacy: &Option<String>) -> Option<Described<T>> {
        match (typed, legacy) {
            (Some(t), _) => Some(Described::Typed(t.clone())),
            (None, Some(text)) => Some(Described::Legacy(text.clone())),
            (None, None) => None,
        }
    }
}

impl Credentials {
    /// Where exactly the credentials come from.
    pub fn origin(&self) -> Option<Described<Origin>> {
        Described::of(&self.origin, &self.legacy_source_detail)
    }

    /// Why they do not refresh.
    pub fn no_refresh(&self) -> Option<Described<NoRefresh>> {
        Described::of(&self.no_refresh, &self.legacy_refresh_note)
    }
}

impl RefreshLimit {
    /// What ends the refreshing (a hand-written fixture may give only its kind).
    pub fn end(&self) -> Described<RefreshEnd> {
        let by_kind = match self.kind {
            RefreshLimitKind::SourceCredentials => RefreshEnd::SourceCredentials { base: None },
            RefreshLimitKind::SsoToken => RefreshEnd::SsoTokenWithoutRefresh,
            RefreshLimitKind::SsoSession => RefreshEnd::SsoSession {
                default_seconds: crate::aws::limits::SSO_SESSION_DEFAULT,
            },
            RefreshLimitKind::WebIdentityToken => RefreshEnd::WebIdentityToken {
                token_file: String::new(),
            },
        };
        Described::of(&self.end, &self.legacy_reason).unwrap_or(Described::Typed(by_kind))
    }
}

impl SessionLimit {
    /// Why the session is, is not, or may be chained.
    pub fn chaining(&self) -> Option<Described<Chaining>> {
        Described::of(&self.chaining, &self.legacy_chaining_reason)
    }
}

/// Where exactly the credentials come from: the particulars behind [`Source`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Origin {
    /// `AWS_ACCESS_KEY_ID` and `AWS_SECRET_ACCESS_KEY` (and `AWS_SESSION_TOKEN`) exported.
    ExportedKeys { session_token: bool },
    /// `AWS_WEB_IDENTITY_TOKEN_FILE` and `AWS_ROLE_ARN` exported.
    ExportedWebIdentity,
    /// The ECS/EKS container endpoint, named by this variable.
    ContainerEndpoint { variable: String },
    /// Keys written into a profile.
    ProfileKeys { profile: String },
    /// `credential_source` in a role profile.
    CredentialSource {
        profile: String,
        source: NamedSource,
    },
    /// `web_identity_token_file` (with `role_arn`) in a profile.
    ProfileWebIdentity { profile: String },
    /// IAM Identity Center, through an `sso-session` section or the legacy `sso_start_url`.
    Sso {
        profile: String,
        session: Option<String>,
        role: Option<String>,
    },
    /// `credential_process` in a profile.
    CredentialProcess { profile: String },
    /// `login_session` (`aws login`) in a profile.
    LoginSession { profile: String },
    /// The role of profile `profile`, assumed with the credentials `base` describes.
    AssumedRole {
        profile: String,
        role_arn: String,
        base: Box<Origin>,
    },
    /// No source of the chain has credentials locally.
    NoneFound { imds_disabled: bool },
    /// The live provider found credentials (from `source`) the local files did not show.
    FoundLive { source: Source },
    /// The live provider answered from another stage of the chain than the files suggested.
    ResolvedLive { source: Source, suggested: Source },
}

/// The values `credential_source` may take.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, strum::IntoStaticStr)]
pub enum NamedSource {
    Environment,
    Ec2InstanceMetadata,
    EcsContainer,
}

impl NamedSource {
    /// The value as written in the config file.
    pub fn name(self) -> &'static str {
        self.into()
    }

    /// The value as aws-config reads it: case-insensitively (`NamedProviderFactory` lowers
    /// both sides), so `ec2instancemetadata` is valid.
    pub fn parse(value: &str) -> Option<NamedSource> {
        [
            NamedSource::Environment,
            NamedSource::Ec2InstanceMetadata,
            NamedSource::EcsContainer,
        ]
        .into_iter()
        .find(|n| n.name().eq_ignore_ascii_case(value.trim()))
    }

    /// The value as botocore reads it: exactly (`CanonicalNameCredentialSourcer.is_supported`
    /// compares the names as written), so `environment` is refused.
    pub fn parse_exact(value: &str) -> Option<NamedSource> {
        [
            NamedSource::Environment,
            NamedSource::Ec2InstanceMetadata,
            NamedSource::EcsContainer,
        ]
        .into_iter()
        .find(|n| n.name() == value)
    }
}

/// Why credentials do not refresh.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum NoRefresh {
    /// Exported variables are a snapshot.
    Exported,
    /// Session keys written into a profile by a tool (saml2aws, gimme-aws-creds, a script).
    SessionKeysInProfile { profile: String },
    /// A role profile with `mfa_serial`: every refresh needs a code typed by a person.
    MfaRequired { profile: String },
    /// `credential_process` printed no `Expiration`: the SDKs never run it again.
    ProcessWithoutExpiration,
    /// `credential_process` hands back credentials that have already expired: running it
    /// again gives the same.
    ProcessReturnsExpired,
}

/// The end of refreshing: after `until` (or, when that is unknown, at most `at_most_seconds`
/// after the run) the SDK can no longer obtain new credentials.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RefreshLimit {
    #[serde(default, deserialize_with = "bounded::option")]
    pub until: Option<DateTime<Utc>>,
    /// An upper bound in seconds from `checked_at` when `until` is unknown (the default SSO
    /// session length), `null` when nothing bounds it.
    pub at_most_seconds: Option<i64>,
    /// What ends it. `None` only in reports written before it was recorded.
    #[serde(default)]
    pub end: Option<RefreshEnd>,
    pub kind: RefreshLimitKind,
    /// Reports written before `end` existed said it in words.
    #[serde(default, rename = "reason", skip_serializing)]
    pub legacy_reason: Option<String>,
}

impl RefreshLimit {
    pub fn new(
        end: RefreshEnd,
        until: Option<DateTime<Utc>>,
        at_most_seconds: Option<i64>,
    ) -> Self {
        RefreshLimit {
            until,
            at_most_seconds,
            kind: end.kind(),
            end: Some(end),
            legacy_reason: None,
        }
    }
}

/// What ends the SDK's refreshing.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum RefreshEnd {
    /// The role is re-assumed with source credentials that do not refresh themselves.
    SourceCredentials { base: Option<Origin> },
    /// `aws sso login` has not been run for this session on this machine.
    NoSsoToken,
    /// The SSO access token expires and there is no refresh token.
    SsoTokenWithoutRefresh,
    /// The SSO client registration expires, after which the token cannot be refreshed.
    SsoRegistration,
    /// The IAM Identity Center session ends; its start is not recorded locally.
    SsoSession { default_seconds: i64 },
    /// The web identity token expires and nothing rotates it.
    WebIdentityToken { token_file: String },
}

impl RefreshEnd {
    pub fn kind(&self) -> RefreshLimitKind {
        match self {
            RefreshEnd::SourceCredentials { .. } => RefreshLimitKind::SourceCredentials,
            RefreshEnd::NoSsoToken
            | RefreshEnd::SsoTokenWithoutRefresh
            | RefreshEnd::SsoRegistration => RefreshLimitKind::SsoToken,
            RefreshEnd::SsoSession { .. } => RefreshLimitKind::SsoSession,
            RefreshEnd::WebIdentityToken { .. } => RefreshLimitKind::WebIdentityToken,
        }
    }
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
    /// The web identity token expires and nothing rotates it.
    WebIdentityToken,
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
    /// Why we believe the session is (or is not, or may be) chained.
    #[serde(default)]
    pub chaining: Option<Chaining>,
    /// The profile that sets `duration_seconds`.
    #[serde(default)]
    pub configured_in_profile: Option<String>,
    /// This is the role named by `--role-arn`: a plan, not the credentials' own role.
    #[serde(default)]
    pub planned: bool,
    /// Reports written before `chaining` existed said it in words.
    #[serde(default, rename = "chaining_reason", skip_serializing)]
    pub legacy_chaining_reason: Option<String>,
}

/// Why a session is, is not, or may be chained (assumed with another session's credentials,
/// which caps it at an hour).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Chaining {
    /// Profile `profile` assumes `role_arn` with the session of `via_role_arn` (`via_profile`).
    ProfileHop {
        profile: String,
        role_arn: String,
        via_profile: String,
        via_role_arn: String,
    },
    /// The source is the EC2 instance role, which AWS does not count as chaining.
    InstanceRoleSource { base: Option<Origin> },
    /// The source credentials are themselves a role session (SSO, container, web identity).
    RoleSessionSource { base: Option<Origin> },
    /// The source credentials are temporary session credentials.
    TemporarySource { base: Option<Origin> },
    /// sts:GetCallerIdentity with the source credentials: a session of this role.
    SourceIsRoleSession { role: String },
    /// sts:GetCallerIdentity with the source credentials: a user's session.
    SourceIsUserSession { arn: String },
    /// `--role-arn`: the current credentials are the instance role (not chaining).
    PlannedFromInstanceRole,
    /// `--role-arn`: assuming `role_arn` with the current credentials is chaining.
    PlannedWith {
        role_arn: String,
        current: CurrentSession,
    },
}

/// What the current credentials are, when assuming a planned role with them is chaining.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum CurrentSession {
    /// A session of this role (sts:GetCallerIdentity).
    OfRole { role: Option<String> },
    /// GetSessionToken or GetFederationToken credentials.
    OfUser,
    /// A role session from this source (assume-role, sso, web identity, container).
    FromSource { source: Source },
    /// Temporary credentials of unknown kind.
    Temporary,
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
    #[serde(default, deserialize_with = "bounded::option")]
    pub token_expires_at: Option<DateTime<Utc>>,
    /// A refresh token lets the SDK renew the access token until the SSO session ends.
    pub has_refresh_token: Option<bool>,
    /// The OIDC client registration's expiry (refresh fails after it).
    #[serde(default, deserialize_with = "bounded::option")]
    pub registration_expires_at: Option<DateTime<Utc>>,
    /// The token cache file read (a path, never its contents).
    pub cache_file: Option<String>,
    /// Whether `aws sso login` has ever written a token for this session on this machine.
    pub token_found: bool,
}

/// A web identity token (EKS IRSA, a CI system's OIDC token), read from its file: what
/// AssumeRoleWithWebIdentity is handed at every refresh.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct WebIdentity {
    /// The token file (a path, never its contents).
    pub token_file: String,
    /// The JWT's `iat` and `exp`, when the token is a JWT that carries them.
    #[serde(default, deserialize_with = "bounded::option")]
    pub issued_at: Option<DateTime<Utc>>,
    #[serde(default, deserialize_with = "bounded::option")]
    pub expires_at: Option<DateTime<Utc>>,
    /// Who replaces the token before it expires, when something does.
    pub rotated_by: Option<TokenRotation>,
}

/// What keeps a web identity token fresh.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TokenRotation {
    /// A Kubernetes projected service-account token (EKS IRSA): the kubelet rewrites it well
    /// before it expires.
    Kubelet,
}

/// One profile on the way from the selected profile to the base credentials.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ProfileHop {
    pub profile: String,
    pub kind: HopKind,
    pub role_arn: Option<String>,
    pub source_profile: Option<String>,
    pub credential_source: Option<String>,
    pub duration_seconds: Option<i64>,
    pub mfa_serial: Option<String>,
}

/// What a profile on the way contributes.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, strum::IntoStaticStr,
)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub enum HopKind {
    /// `role_arn` with `source_profile` or `credential_source`.
    #[default]
    Role,
    StaticKeys,
    Sso,
    CredentialProcess,
    WebIdentity,
    CredentialSource,
    LoginSession,
}

impl HopKind {
    pub fn name(self) -> &'static str {
        self.into()
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ProblemKind {
    /// `~/.aws/config` or `credentials`: unreadable, too large, or a syntax error.
    ConfigFile,
    /// `HOME` is unset or empty: no `~/.aws` file can be read.
    Home,
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
    /// `credential_process` was not run (`--no-credential-process`): the credentials it gives
    /// were not obtained, and nothing that depends on them is verified.
    HelperNotRun,
    /// `credential_process` was stopped by a job-control signal, named by the message
    /// (`SIGTTIN`: it read from the terminal, a prompt; `SIGTTOU`: it wrote to or set up the
    /// terminal): it waits for a person, and was stopped.
    HelperStopped,
    /// A file named by configuration (web identity token) that cannot be read.
    TokenFile,
    /// A local step (credential_process) ran out of time: a probe broke, not a verdict.
    Deadline,
    /// The container credentials endpoint is configured in a way the SDKs refuse (a full URI
    /// they do not trust, a missing authorization token file).
    ContainerEndpoint,
    /// `--all-profiles` ran out of time before it reached this profile: nothing was gathered.
    NotReached,
    /// The `source_profile` chain is longer than expiry-doctor follows (100 profiles): not
    /// resolved, and not handed to the SDK's live provider either.
    ChainTooLong,
    /// A section of a config file the SDK ignores (a profile name aws-config does not accept):
    /// said, never counted against the credentials.
    IgnoredSection,
    /// The SDK raises here and the job gets no credentials, whatever comes after in its chain
    /// (botocore's ProfileNotFound, PartialCredentialsError, InvalidConfigError, …).
    ChainStopped,
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

impl Facts {
    /// Masks secrets in every message that came from outside (a service's error, a provider's
    /// causes, a file's parse error), whether gathered here or replayed from another
    /// machine's `--facts`: a session token an endpoint echoes never reaches a report.
    pub fn redact_messages(&mut self) {
        use crate::redact::redact;
        let mask = |s: &mut String| {
            if let std::borrow::Cow::Owned(r) = redact(s) {
                *s = r;
            }
        };
        for p in &mut self.problems {
            mask(&mut p.message);
        }
        for e in self.probes.iter_mut().filter_map(|p| p.error.as_mut()) {
            e.causes.iter_mut().for_each(mask);
            e.legacy_message.iter_mut().for_each(mask);
            match &mut e.failure {
                Some(ProbeFailure::Service { message }) => mask(message),
                Some(ProbeFailure::NothingInChain {
                    instance_metadata: Some(m),
                }) => mask(m),
                _ => {}
            }
        }
    }

    /// Facts about a machine where nothing was found, at `now`.
    pub fn empty(now: DateTime<Utc>) -> Self {
        Facts {
            checked_at: now,
            credentials: Credentials::default(),
            identity: Identity::default(),
            session_limit: SessionLimit::default(),
            clock: Clock::default(),
            sso: None,
            web_identity: None,
            profile_chain: Vec::new(),
            problems: Vec::new(),
            offline: false,
            imds_disabled: false,
            region: None,
            region_source: None,
            probes: Vec::new(),
            sdk: None,
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

impl IdentityType {
    /// The kind of principal, role name and session name in a sts:GetCallerIdentity ARN.
    pub fn of_arn(arn: &str) -> (Option<IdentityType>, Option<String>, Option<String>) {
        use crate::aws::arn::Principal;
        let owned = |s: Option<&str>| s.map(str::to_string);
        match Arn::parse(arn).and_then(|a| a.principal()) {
            Some(Principal::Root) => (Some(IdentityType::Root), None, None),
            Some(Principal::User) => (Some(IdentityType::User), None, None),
            Some(Principal::AssumedRole { role, session }) => {
                (Some(IdentityType::AssumedRole), owned(role), owned(session))
            }
            Some(Principal::FederatedUser { name }) => (
                Some(IdentityType::FederatedUser),
                None,
                Some(name.to_string()),
            ),
            None => (None, None, None),
        }
    }
}

/// Every instant of a replayed report is held to the years every reader holds instants to
/// (`timestamps::YEARS`, 1970 to 9999): a hand-edited `checked_at` of `+262142-12-31T…` would
/// otherwise overflow the checks' date arithmetic or the local time zone's wall clock. The
/// error names no value; `replay` adds the JSON path.
mod bounded {
    use chrono::{DateTime, Utc};
    use serde::{Deserialize, Deserializer, de::Error};

    const OUTSIDE: &str = "a date outside the years 1970 to 9999";

    pub fn one<'de, D: Deserializer<'de>>(d: D) -> Result<DateTime<Utc>, D::Error> {
        let t = DateTime::<Utc>::deserialize(d)?;
        if crate::timestamps::in_range(t) {
            Ok(t)
        } else {
            Err(D::Error::custom(OUTSIDE))
        }
    }

    pub fn option<'de, D: Deserializer<'de>>(d: D) -> Result<Option<DateTime<Utc>>, D::Error> {
        match Option::<DateTime<Utc>>::deserialize(d)? {
            Some(t) if !crate::timestamps::in_range(t) => Err(D::Error::custom(OUTSIDE)),
            t => Ok(t),
        }
    }
}

/// Serialises an instant to the second, as the report writes `checked_at`: a typed reason
/// then reads the same in a run and in its replay.
pub fn to_the_second<S: serde::Serializer>(t: &DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
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
    fn principal_arns() {
        assert_eq!(
            IdentityType::of_arn("arn:aws:sts::123456789012:assumed-role/etl/job-1"),
            (
                Some(IdentityType::AssumedRole),
                Some("etl".into()),
                Some("job-1".into())
            )
        );
        assert_eq!(
            IdentityType::of_arn("arn:aws:sts::123456789012:federated-user/bob"),
            (Some(IdentityType::FederatedUser), None, Some("bob".into()))
        );
        assert_eq!(IdentityType::of_arn("garbage"), (None, None, None));
    }

    #[test]
    fn error_classes_keep_their_version_1_names() {
        for (class, name) in [
            (ErrorClass::EXPIRED, "expired-token"),
            (ErrorClass::INVALID_TOKEN, "invalid-token"),
            (ErrorClass::Refused(Failure::SsoExpired), "sso-expired"),
            (ErrorClass::Network, "network"),
            (ErrorClass::Other, "other"),
        ] {
            assert_eq!(serde_json::to_value(class).unwrap(), name);
            let back: ErrorClass = serde_json::from_value(serde_json::json!(name)).unwrap();
            assert_eq!(back, class);
        }
        assert!(serde_json::from_value::<ErrorClass>(serde_json::json!("nonsense")).is_err());
    }

    #[test]
    fn reports_from_before_the_typed_fields_keep_their_words() {
        let c: Credentials = serde_json::from_str(
            r#"{"source":"environment","profile":null,"temporary":true,"auto_refresh":false,
                "access_key_id":null,"expires_at":null,"expiry_source":null,
                "source_detail":"exported","refresh_note":"a snapshot"}"#,
        )
        .unwrap();
        assert_eq!(c.origin, None);
        assert_eq!(c.legacy_source_detail.as_deref(), Some("exported"));
        assert_eq!(c.legacy_refresh_note.as_deref(), Some("a snapshot"));
        let json = serde_json::to_string(&c).unwrap();
        assert!(!json.contains("source_detail"), "{json}");
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
