//! The diagnosis, as an ordered list of small pure functions over [`Facts`].
//!
//! Each check lives in its own file, named for its id, and answers one question with a
//! [`Finding`]: a status, a typed reason, typed notes and typed fixes. Data, never sentences:
//! `render/text.rs` puts findings into words, in the time zone the output format asks for. A
//! check never errors and never panics: a missing fact gives `skip` (with the reason) or
//! `warn`.
//!
//! To add a check: one file, one [`CheckId`] variant. The compiler then asks for its entry in
//! [`CheckId::check`] (the function, the question, the documentation), `render/text.rs` for
//! its words, and `tests` below forces the docs to be written.

use crate::facts::{
    Chaining, Described, ExpirySource, Facts, LimitSource, NoRefresh, Origin, Problem, RefreshEnd,
    Source,
};
use crate::fixes::Fix;
use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

pub mod clock_skew;
pub mod credential_source;
pub mod expected_runtime;
pub mod expiration;
pub mod identity;
pub mod roles;
pub mod session_limit;

/// The checks, in pipeline order (the order of the variants).
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    strum::EnumIter,
    strum::IntoStaticStr,
    strum::EnumString,
    strum::Display,
)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub enum CheckId {
    CredentialSource,
    Identity,
    Expiration,
    SessionLimit,
    ExpectedRuntime,
    ClockSkew,
}

/// `error` means a probe broke; it counts as `warn` in the verdict and says why.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    Deserialize,
    strum::EnumIter,
    strum::IntoStaticStr,
)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub enum Status {
    Pass,
    Warn,
    Fail,
    Skip,
    Error,
}

impl Status {
    pub fn name(self) -> &'static str {
        self.into()
    }
}

/// What a check concluded.
#[derive(Clone, Debug, PartialEq)]
pub struct Finding {
    pub id: CheckId,
    pub status: Status,
    /// The answer to the check's question.
    pub reason: Reason,
    /// Supporting facts and caveats, one line each when said.
    pub notes: Vec<Note>,
    pub fixes: Vec<Fix>,
}

impl Finding {
    pub fn new(status: Status, reason: impl Into<Reason>) -> Self {
        let reason = reason.into();
        Finding {
            id: reason.check(),
            status,
            reason,
            notes: Vec::new(),
            fixes: Vec::new(),
        }
    }

    pub fn note(mut self, note: Note) -> Self {
        self.notes.push(note);
        self
    }

    pub fn notes(mut self, notes: impl IntoIterator<Item = Note>) -> Self {
        self.notes.extend(notes);
        self
    }

    pub fn fix(mut self, fix: Fix) -> Self {
        self.fixes.push(fix);
        self
    }
}

/// Why a check reached its status: one typed reason per check, each an enum of its own (in
/// the check's file). In JSON: `{"kind": "<kebab-case>", …fields}`.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Reason {
    CredentialSource(credential_source::Reason),
    Identity(identity::Reason),
    Expiration(expiration::Reason),
    SessionLimit(session_limit::Reason),
    ExpectedRuntime(expected_runtime::Reason),
    ClockSkew(clock_skew::Reason),
}

impl Reason {
    /// The check a reason belongs to.
    pub fn check(&self) -> CheckId {
        match self {
            Reason::CredentialSource(_) => CheckId::CredentialSource,
            Reason::Identity(_) => CheckId::Identity,
            Reason::Expiration(_) => CheckId::Expiration,
            Reason::SessionLimit(_) => CheckId::SessionLimit,
            Reason::ExpectedRuntime(_) => CheckId::ExpectedRuntime,
            Reason::ClockSkew(_) => CheckId::ClockSkew,
        }
    }

    /// The reason's `kind`, as JSON names it.
    pub fn kind(&self) -> String {
        serde_json::to_value(self)
            .ok()
            .and_then(|v| v.get("kind").and_then(|k| k.as_str().map(str::to_string)))
            .unwrap_or_default()
    }
}

macro_rules! reason_from {
    ($($variant:ident => $module:ident),* $(,)?) => {
        $(impl From<$module::Reason> for Reason {
            fn from(r: $module::Reason) -> Reason {
                Reason::$variant(r)
            }
        })*
    };
}

reason_from! {
    CredentialSource => credential_source,
    Identity => identity,
    Expiration => expiration,
    SessionLimit => session_limit,
    ExpectedRuntime => expected_runtime,
    ClockSkew => clock_skew,
}

/// A supporting line of a finding.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Note {
    /// Something that could not be read or understood.
    Problem { problem: Problem },
    /// Where exactly the credentials come from.
    Origin { origin: Described<Origin> },
    /// With the configuration repaired, credentials would come from here.
    WouldComeFrom {
        source: Source,
        origin: Option<Described<Origin>>,
    },
    /// Lower-priority sources that would also supply credentials.
    Shadowed { sources: Vec<Source> },
    /// `login_session` credentials need an SDK feature that is off by default.
    LoginSessionNeedsFeature,
    /// Exported variables win over this (refreshing) profile.
    ExportsWinOverProfile { profile: String },
    /// STS answered, from here, this fast.
    AnsweredBy { endpoint: String, elapsed_ms: u64 },
    /// The credentials are the account's root user.
    RootUser,
    /// What the service said, verbatim (redacted on the way out).
    ServiceSaid { message: String },
    /// How a probe failed, in more detail than the reason.
    ProbeCauses { probe: crate::facts::Probe },
    /// The endpoint a probe asked.
    Endpoint { endpoint: String },
    /// An expiry record that AWS contradicts.
    ExpiryRecordSays {
        source: Option<ExpirySource>,
        #[serde(serialize_with = "crate::facts::to_the_second")]
        at: DateTime<Utc>,
    },
    /// Long-term keys are a standing risk.
    LongTermKeysRisk,
    /// What ends the SDK's refreshing.
    RefreshEnd { end: Described<RefreshEnd> },
    /// Where the expiry was read.
    ExpiryFrom { source: ExpirySource },
    /// Expired credentials fail every call.
    EveryCallFails,
    /// The SDK replaces them before they expire.
    RefreshedBeforeExpiry,
    /// An unknown expiry's upper bound.
    ExpiresAtMost { bound: Bound },
    /// The SDK refreshes SSO role credentials with the token.
    SsoTokenRefreshes,
    /// How to read a permission set's session duration.
    ReadPermissionSet,
    /// These credentials cannot call IAM (federated users, and user sessions without MFA).
    CannotCallIam { federated: bool },
    /// The role's MaxSessionDuration, and where it was read.
    MaxSessionDuration {
        role: Option<String>,
        seconds: i64,
        source: Option<LimitSource>,
    },
    /// The role is an IAM Identity Center role: its permission set bounds it.
    IdentityCenterRole { role: Option<String> },
    /// Why the session is (or may be) chained.
    Chaining {
        chained: Option<bool>,
        why: Described<Chaining>,
    },
    /// A probe failed.
    ProbeFailed { probe: crate::facts::Probe },
    /// botocore sends `duration_seconds` (other SDKs do not).
    DurationHonouredBy { asked: i64, profile: Option<String> },
    /// aws-config ignores `duration_seconds`: it asks for 1 h and re-assumes the role.
    DurationIgnored { asked: i64, profile: Option<String> },
    /// Another session-limit problem, beside the one that decided.
    AlsoSessionLimit { reason: session_limit::Reason },
    /// Refreshing ends then.
    RefreshEndsWhen { end: Described<RefreshEnd> },
    /// Log in shortly before a long job.
    LogInShortlyBefore { end: Described<RefreshEnd> },
    /// Non-refreshing credentials last at most this.
    LastsAtMost { bound: Bound },
    /// Why the credentials do not refresh.
    NoRefresh { why: Described<NoRefresh> },
    /// The window the job needs.
    JobWindow {
        runtime_seconds: i64,
        #[serde(serialize_with = "crate::facts::to_the_second")]
        start: DateTime<Utc>,
        margin_seconds: i64,
    },
    /// A clock offset: reference minus local.
    ClockOffset { reference: ClockRef, seconds: f64 },
    /// The NTP sample's round trip and the server's stratum.
    NtpRoundTrip {
        delay_seconds: f64,
        stratum: Option<u8>,
    },
    /// The NTP server did not answer.
    NtpDidNotAnswer { probe: crate::facts::Probe },
    /// STS did not answer either, so AWS's clock was not read.
    AwsClockNotRead,
    /// SigV4's 5-minute limit.
    SigV4Limit,
}

/// What bounds a session whose expiry is unknown.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Bound {
    pub seconds: i64,
    pub why: BoundWhy,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum BoundWhy {
    /// Role chaining caps sessions at 1 h.
    ChainingCap,
    /// The role's MaxSessionDuration.
    MaxSessionDuration { role: Option<String> },
    /// An MFA role profile: one session, then a person must type a code.
    MfaSession { profile: String },
}

/// A clock the local one is compared with.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum ClockRef {
    Ntp { server: Option<String> },
    Aws,
}

/// What the user asked about, as opposed to what gathering found.
#[derive(Clone, Debug, PartialEq)]
pub struct Options {
    pub expected_runtime: Option<TimeDelta>,
    pub margin: TimeDelta,
    pub max_clock_skew: TimeDelta,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            expected_runtime: None,
            margin: TimeDelta::minutes(5),
            max_clock_skew: TimeDelta::seconds(30),
        }
    }
}

/// `explain`'s text for a check, written beside the check itself.
pub struct Doc {
    pub what: &'static str,
    pub why: &'static str,
    pub fix: &'static str,
}

/// A check as the registry knows it.
pub struct Check {
    pub question: &'static str,
    pub run: fn(&Facts, &Options) -> Finding,
    pub doc: &'static Doc,
}

impl CheckId {
    /// The id users see (`expected-runtime`).
    pub fn name(self) -> &'static str {
        self.into()
    }

    /// The registry: an exhaustive match, so a new id does not compile without its check.
    pub fn check(self) -> Check {
        match self {
            CheckId::CredentialSource => Check {
                question: "Which provider in the default chain serves credentials, and will the SDK refresh them?",
                run: credential_source::check,
                doc: &credential_source::DOC,
            },
            CheckId::Identity => Check {
                question: "Does sts:GetCallerIdentity accept them, and whose are they?",
                run: identity::check,
                doc: &identity::DOC,
            },
            CheckId::Expiration => Check {
                question: "When do they expire, and how do we know?",
                run: expiration::check,
                doc: &expiration::DOC,
            },
            CheckId::SessionLimit => Check {
                question: "What session length can the role give: MaxSessionDuration, chaining, duration_seconds?",
                run: session_limit::check,
                doc: &session_limit::DOC,
            },
            CheckId::ExpectedRuntime => Check {
                question: "Do the credentials, refreshed or not, cover now + runtime + margin?",
                run: expected_runtime::check,
                doc: &expected_runtime::DOC,
            },
            CheckId::ClockSkew => Check {
                question: "Is the local clock close enough to NTP and to AWS's clock?",
                run: clock_skew::check,
                doc: &clock_skew::DOC,
            },
        }
    }
}

impl CheckId {
    /// Every `kind` a finding of this check can give as its reason (the JSON names).
    pub fn reason_kinds(self) -> Vec<&'static str> {
        use strum::IntoEnumIterator;
        fn names<K: IntoEnumIterator + Into<&'static str>>() -> Vec<&'static str> {
            K::iter().map(Into::into).collect()
        }
        match self {
            CheckId::CredentialSource => names::<credential_source::ReasonKind>(),
            CheckId::Identity => names::<identity::ReasonKind>(),
            CheckId::Expiration => names::<expiration::ReasonKind>(),
            CheckId::SessionLimit => names::<session_limit::ReasonKind>(),
            CheckId::ExpectedRuntime => names::<expected_runtime::ReasonKind>(),
            CheckId::ClockSkew => names::<clock_skew::ReasonKind>(),
        }
    }
}

/// What the live credential provider said, as the checks that judge the credentials see it.
/// Facts established locally keep deciding whatever the provider did; this says only what
/// the provider adds.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Provider<'a> {
    /// Not asked (`--offline`, a replay of offline facts), or it answered.
    Answered,
    /// It did not answer or broke (timeout, network, an unreadable reply): what it alone could
    /// establish is not verified; local facts decide.
    Unverified(&'a crate::facts::Probe),
    /// It refused (nothing in the chain, a broken profile, an expired token, an STS refusal):
    /// the job would get no credentials.
    Refused(&'a crate::facts::Probe),
}

pub(crate) fn provider(f: &Facts) -> Provider<'_> {
    use crate::facts::{ErrorClass, ProbeKind};
    let Some(probe) = f.probe(ProbeKind::Credentials) else {
        return Provider::Answered;
    };
    match probe.error.as_ref().map(|e| e.class) {
        None => Provider::Answered,
        Some(
            ErrorClass::Timeout
            | ErrorClass::Network
            | ErrorClass::Other
            | ErrorClass::Refused(crate::aws::Failure::Throttling),
        ) => Provider::Unverified(probe),
        Some(ErrorClass::Provider | ErrorClass::Refused(_)) => Provider::Refused(probe),
    }
}

/// Whether the job would obtain the credentials at all, as `credential-source` judges it: a
/// check that judges the credentials' lifetime has nothing to judge when it would not.
pub(crate) fn obtainable(f: &Facts, opts: &Options) -> bool {
    let source = credential_source::check(f, opts);
    source.status != Status::Fail
        || matches!(
            source.reason,
            Reason::CredentialSource(credential_source::Reason::ConfigUnusable { .. })
        ) && f.credentials.source == Source::Environment
}

/// Every check, in pipeline order.
pub fn all() -> impl Iterator<Item = CheckId> {
    <CheckId as strum::IntoEnumIterator>::iter()
}

/// Runs every check, in order.
pub fn run_all(facts: &Facts, opts: &Options) -> Vec<Finding> {
    all()
        .map(|id| {
            let f = (id.check().run)(facts, opts);
            debug_assert_eq!(f.id, id, "check registered under the wrong id");
            f
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_in_pipeline_order_and_documented() {
        let ids: Vec<&str> = all().map(CheckId::name).collect();
        assert_eq!(
            ids,
            [
                "credential-source",
                "identity",
                "expiration",
                "session-limit",
                "expected-runtime",
                "clock-skew"
            ]
        );
        for id in all() {
            assert_eq!(serde_json::to_value(id).unwrap(), id.name());
            assert_eq!(id.name().parse::<CheckId>().unwrap(), id);
            let c = id.check();
            assert!(!c.question.is_empty());
            assert!(!c.doc.what.is_empty() && !c.doc.why.is_empty() && !c.doc.fix.is_empty());
        }
    }

    #[test]
    fn every_check_runs_on_empty_facts_without_panicking() {
        let facts = Facts::empty("2026-11-23T08:00:00Z".parse().unwrap());
        let findings = run_all(&facts, &Options::default());
        assert_eq!(findings.len(), all().count());
        for (f, id) in findings.iter().zip(all()) {
            assert_eq!(f.id, id);
            assert!(!f.reason.kind().is_empty());
        }
    }
}

#[cfg(test)]
mod fixture_tests;
