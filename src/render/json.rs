//! The version-1 JSON report (DESIGN.md), which is also a replayable Facts file.
//!
//! Every Facts field is written, so `--facts report.json` reproduces the run; the four
//! design objects always carry every key (unknowns are `null`); `checks` always holds all six
//! ids in order.

use super::JsonFix;
use crate::facts::{
    Clock, Credentials, Facts, Identity, Probe, Problem, ProfileHop, SessionLimit, Sso,
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
    headline: &'a str,
    credentials: &'a Credentials,
    identity: &'a Identity,
    session_limit: &'a SessionLimit,
    clock: &'a Clock,
    sso: &'a Option<Sso>,
    profile_chain: &'a [ProfileHop],
    problems: &'a [Problem],
    offline: bool,
    imds_disabled: bool,
    region: &'a Option<String>,
    region_source: &'a Option<String>,
    probes: &'a [Probe],
    checks: Vec<JsonCheck<'a>>,
    fixes: Vec<JsonFix<'a>>,
}

#[derive(Serialize)]
struct JsonCheck<'a> {
    id: &'a str,
    status: &'a str,
    summary: &'a str,
    details: &'a [String],
    fixes: Vec<&'static str>,
}

fn rfc3339_seconds<S: serde::Serializer>(t: &&DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&t.to_rfc3339_opts(SecondsFormat::Secs, true))
}

pub fn render(report: &Report) -> String {
    let mut out = serde_json::to_string_pretty(&document(report)).expect("the report serialises");
    out.push('\n');
    out
}

/// `--all-profiles`: the reports as a JSON array.
pub fn render_all(reports: &[Report]) -> String {
    let docs: Vec<JsonReport<'_>> = reports.iter().map(document).collect();
    let mut out = serde_json::to_string_pretty(&docs).expect("the reports serialise");
    out.push('\n');
    out
}

/// The report as a JSON value, to embed in another document (`exec`'s record).
pub(crate) fn to_value(report: &Report) -> serde_json::Value {
    serde_json::to_value(document(report)).expect("the report serialises")
}

fn document(report: &Report) -> JsonReport<'_> {
    let f: &Facts = &report.facts;
    JsonReport {
        version: VERSION,
        verdict: report.verdict.as_str(),
        checked_at: &f.checked_at,
        expected_runtime_seconds: report.expected_runtime_seconds,
        headline: &report.headline,
        credentials: &f.credentials,
        identity: &f.identity,
        session_limit: &f.session_limit,
        clock: &f.clock,
        sso: &f.sso,
        profile_chain: &f.profile_chain,
        problems: &f.problems,
        offline: f.offline,
        imds_disabled: f.imds_disabled,
        region: &f.region,
        region_source: &f.region_source,
        probes: &f.probes,
        checks: report
            .findings
            .iter()
            .map(|x| JsonCheck {
                id: x.id.as_str(),
                status: x.status.as_str(),
                summary: &x.summary,
                details: &x.details,
                fixes: x.fixes.iter().map(|fx| fx.id.name()).collect(),
            })
            .collect(),
        fixes: report.fixes.iter().map(JsonFix::from).collect(),
    }
}
