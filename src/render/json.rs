//! The version-1 JSON report, which is also a replayable Facts file.
//!
//! Every Facts field is written, so `--facts report.json` reproduces the run; the four
//! main objects always carry every key (unknowns are `null`); `checks` always holds all six
//! ids in order. Times are UTC. The typed facts (`origin`, `no_refresh`, a refresh limit's
//! `end`, `chaining`) are written beside the sentences version 1 carried (`source_detail`,
//! `refresh_note`, `reason`, `chaining_reason`), and each check beside its `summary` and
//! `details` carries its typed `reason`.

use super::JsonFix;
use super::text::{self, Say, Zone};
use crate::checks::Reason;
use crate::facts::{
    Chaining, Clock, Credentials, ErrorClass, ExpirySource, Facts, Identity, KeyId, LimitSource,
    NoRefresh, Origin, Probe, ProbeFailure, ProbeKind, Problem, ProfileHop, RefreshEnd,
    RefreshLimitKind, Sdk, SessionLimit, Source, Sso, WebIdentity,
};
use crate::verdict::Report;
use chrono::{DateTime, SecondsFormat, Utc};
use serde::Serialize;

pub const VERSION: u32 = 1;

#[derive(Serialize)]
struct JsonReport<'a> {
    version: u32,
    verdict: &'a str,
    #[serde(serialize_with = "rfc3339_seconds")]
    checked_at: &'a DateTime<Utc>,
    expected_runtime_seconds: Option<i64>,
    headline: String,
    credentials: JsonCredentials<'a>,
    identity: &'a Identity,
    session_limit: JsonSessionLimit<'a>,
    clock: &'a Clock,
    sso: &'a Option<Sso>,
    web_identity: &'a Option<WebIdentity>,
    profile_chain: &'a [ProfileHop],
    problems: &'a [Problem],
    offline: bool,
    imds_disabled: bool,
    region: &'a Option<String>,
    region_source: &'a Option<String>,
    probes: Vec<JsonProbe<'a>>,
    /// Whose resolution of the credentials these facts are: python (botocore) or rust; null
    /// for a replay of a report written before `--sdk`.
    sdk: Option<Sdk>,
    /// When the SDKs judged (`--sdk any`) see the credentials differently: each one's verdict,
    /// headline and credentials, this report's first; `null` when they agree.
    sdks: Option<Vec<JsonSdk<'a>>>,
    checks: Vec<JsonCheck<'a>>,
    fixes: Vec<JsonFix>,
}

/// One SDK's answer, when the SDKs differ.
#[derive(Serialize)]
struct JsonSdk<'a> {
    sdk: Option<Sdk>,
    verdict: &'static str,
    headline: String,
    credentials: JsonCredentials<'a>,
}

impl<'a> JsonSdk<'a> {
    fn of(r: &'a Report) -> Self {
        let say = Say::new(r.facts.checked_at, Zone::Utc);
        JsonSdk {
            sdk: r.facts.sdk,
            verdict: r.verdict.name(),
            headline: text::sdk_headline(r, &say),
            credentials: JsonCredentials::of(&r.facts.credentials),
        }
    }
}

/// `credentials`, with the sentences of version 1 beside the typed facts, in version 1's
/// order.
#[derive(Serialize)]
struct JsonCredentials<'a> {
    source: Source,
    profile: &'a Option<String>,
    temporary: Option<bool>,
    auto_refresh: Option<bool>,
    access_key_id: &'a Option<KeyId>,
    expires_at: Option<DateTime<Utc>>,
    expiry_source: Option<ExpirySource>,
    shadowed_sources: &'a [Source],
    session_token: Option<bool>,
    source_detail: Option<String>,
    origin: &'a Option<Origin>,
    role_arn: &'a Option<String>,
    refresh_note: Option<String>,
    no_refresh: &'a Option<NoRefresh>,
    refresh_limit: Option<JsonRefreshLimit<'a>>,
    shadowed_profile: &'a Option<String>,
    obtained: Option<bool>,
}

impl<'a> JsonCredentials<'a> {
    fn of(c: &'a Credentials) -> Self {
        JsonCredentials {
            source: c.source,
            profile: &c.profile,
            temporary: c.temporary,
            auto_refresh: c.auto_refresh,
            access_key_id: &c.access_key_id,
            expires_at: c.expires_at,
            expiry_source: c.expiry_source,
            shadowed_sources: &c.shadowed_sources,
            session_token: c.session_token,
            source_detail: c.origin().as_ref().map(text::origin),
            origin: &c.origin,
            role_arn: &c.role_arn,
            refresh_note: c.no_refresh().as_ref().map(text::no_refresh),
            no_refresh: &c.no_refresh,
            refresh_limit: c.refresh_limit.as_ref().map(|l| JsonRefreshLimit {
                until: l.until,
                at_most_seconds: l.at_most_seconds,
                reason: text::refresh_end(&l.end()),
                kind: l.kind,
                end: &l.end,
            }),
            shadowed_profile: &c.shadowed_profile,
            obtained: c.obtained,
        }
    }
}

#[derive(Serialize)]
struct JsonRefreshLimit<'a> {
    until: Option<DateTime<Utc>>,
    at_most_seconds: Option<i64>,
    reason: String,
    kind: RefreshLimitKind,
    end: &'a Option<RefreshEnd>,
}

/// A probe, its error's sentence of version 1 (`message`) beside the typed failure.
#[derive(Serialize)]
struct JsonProbe<'a> {
    kind: ProbeKind,
    target: &'a str,
    endpoint: &'a Option<String>,
    elapsed_ms: u64,
    error: Option<JsonProbeError<'a>>,
}

#[derive(Serialize)]
struct JsonProbeError<'a> {
    class: ErrorClass,
    code: &'a Option<String>,
    message: String,
    failure: &'a Option<ProbeFailure>,
    causes: &'a [String],
}

impl<'a> JsonProbe<'a> {
    fn of(p: &'a Probe) -> Self {
        JsonProbe {
            kind: p.kind,
            target: &p.target,
            endpoint: &p.endpoint,
            elapsed_ms: p.elapsed_ms,
            error: p.error.as_ref().map(|e| JsonProbeError {
                class: e.class,
                code: &e.code,
                message: text::failure(p),
                failure: &e.failure,
                causes: &e.causes,
            }),
        }
    }
}

#[derive(Serialize)]
struct JsonSessionLimit<'a> {
    role_name: &'a Option<String>,
    max_session_duration_seconds: Option<i64>,
    role_chaining: Option<bool>,
    configured_duration_seconds: Option<i64>,
    role_arn: &'a Option<String>,
    max_session_duration_source: Option<LimitSource>,
    chaining_reason: Option<String>,
    chaining: &'a Option<Chaining>,
    configured_in_profile: &'a Option<String>,
    planned: bool,
}

impl<'a> JsonSessionLimit<'a> {
    fn of(l: &'a SessionLimit) -> Self {
        JsonSessionLimit {
            role_name: &l.role_name,
            max_session_duration_seconds: l.max_session_duration_seconds,
            role_chaining: l.role_chaining,
            configured_duration_seconds: l.configured_duration_seconds,
            role_arn: &l.role_arn,
            max_session_duration_source: l.max_session_duration_source,
            chaining_reason: l.chaining().as_ref().map(text::chaining),
            chaining: &l.chaining,
            configured_in_profile: &l.configured_in_profile,
            planned: l.planned,
        }
    }
}

#[derive(Serialize)]
struct JsonCheck<'a> {
    id: &'static str,
    status: &'static str,
    summary: String,
    details: Vec<String>,
    fixes: Vec<&'static str>,
    reason: &'a Reason,
}

fn rfc3339_seconds<S: serde::Serializer>(t: &&DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&t.to_rfc3339_opts(SecondsFormat::Secs, true))
}

pub fn render(report: &Report) -> String {
    super::sanitize::json(&document(report))
}

/// `--all-profiles`: the reports as a JSON array.
pub fn render_all(reports: &[Report]) -> String {
    let docs: Vec<JsonReport<'_>> = reports.iter().map(document).collect();
    super::sanitize::json(&docs)
}

/// The report as a JSON value, to embed in another document (`exec`'s record).
pub(crate) fn to_value(report: &Report) -> serde_json::Value {
    serde_json::to_value(document(report)).expect("the report serialises")
}

fn document(report: &Report) -> JsonReport<'_> {
    let f: &Facts = &report.facts;
    let say = Say::new(f.checked_at, Zone::Utc);
    JsonReport {
        version: VERSION,
        verdict: report.verdict.name(),
        checked_at: &f.checked_at,
        expected_runtime_seconds: report.expected_runtime_seconds,
        headline: text::headline(report, &say),
        credentials: JsonCredentials::of(&f.credentials),
        identity: &f.identity,
        session_limit: JsonSessionLimit::of(&f.session_limit),
        clock: &f.clock,
        sso: &f.sso,
        web_identity: &f.web_identity,
        profile_chain: &f.profile_chain,
        problems: &f.problems,
        offline: f.offline,
        imds_disabled: f.imds_disabled,
        region: &f.region,
        region_source: &f.region_source,
        probes: f.probes.iter().map(JsonProbe::of).collect(),
        sdk: f.sdk,
        sdks: (!report.others.is_empty()).then(|| {
            std::iter::once(report)
                .chain(&report.others)
                .map(JsonSdk::of)
                .collect()
        }),
        checks: report
            .findings
            .iter()
            .map(|x| {
                let (summary, details) = super::finding_lines(x, &say);
                JsonCheck {
                    id: x.id.name(),
                    status: x.status.name(),
                    summary,
                    details,
                    fixes: {
                        let mut ids: Vec<&'static str> = x
                            .fixes
                            .iter()
                            .map(|fx| crate::fixes::absorbed_by(fx.id(), &report.fixes).name())
                            .collect();
                        ids.dedup();
                        ids
                    },
                    reason: &x.reason,
                }
            })
            .collect(),
        fixes: JsonFix::list(&report.fixes),
    }
}
