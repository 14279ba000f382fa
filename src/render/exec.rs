//! `exec`'s words: the pre-flight line or table, the watch lines, the warning, the diagnosis
//! after a failure (all on stderr, each prefixed `expiry-doctor:` so that they stand out in
//! the job's own output), and the JSON record for `--report`.

use super::JsonFix;
use super::fixes;
use super::paint;
use super::text::{self as human, Zone};
use crate::record::{NotStarted, Run};
use crate::verdict::Report;
use crate::watch::{Observation, Unobserved};
use anstyle::{AnsiColor, Style};
use chrono::{DateTime, SecondsFormat, Utc};
use serde::Serialize;

const PREFIX: &str = "expiry-doctor:";

fn loud(text: &str, color: bool) -> String {
    paint(
        text,
        Style::new().fg_color(Some(AnsiColor::Red.into())).bold(),
        color,
    )
}

/// The SDK was told from the job's command.
pub fn sdk_inferred(because: &str) -> String {
    format!(
        "{PREFIX} the job runs {because}: judging its credentials as botocore (boto3, the AWS \
         CLI) resolves them (--sdk to choose)\n"
    )
}

pub fn gate_passed(report: &Report, zone: Zone, color: bool) -> String {
    format!(
        "{PREFIX} pre-flight {}",
        super::table::headline(report, zone, color)
    )
}

/// The job could not be started (not found, not executable).
pub fn could_not_start(message: &str) -> String {
    format!("{PREFIX} {message}\n")
}

/// Waiting for the job failed.
pub fn lost() -> String {
    format!("{PREFIX} lost track of the job (waiting for it failed)\n")
}

/// `--report` could not be written.
pub fn report_not_written(path: &std::path::Path, e: &std::io::Error) -> String {
    format!("{PREFIX} cannot write --report {}: {e}\n", path.display())
}

/// The whole table (the reason, with its fixes), then what happens to the job.
pub fn gate_failed(report: &Report, style: super::table::TableStyle, no_gate: bool) -> String {
    let color = style.color;
    let mut out = super::table::render(report, style);
    out.push_str(&if no_gate {
        format!(
            "{PREFIX} {} starting the job anyway (--no-gate)\n",
            loud("WARNING: the pre-flight check failed;", color)
        )
    } else {
        format!(
            "{PREFIX} the pre-flight check failed: not starting the job (--no-gate starts it anyway)\n"
        )
    });
    out
}

fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// One observation, as `key=value` words after the time, so that a watch log greps and parses.
pub fn watch_line(o: &Observation) -> String {
    let mut words = vec![format!("source={}", o.source.name())];
    if let Some(p) = &o.profile {
        words.push(format!("profile={}", super::sanitize::line(p)));
    }
    if let Some(k) = &o.access_key_id {
        words.push(format!("key={}", k.as_str()));
    }
    words.push(format!(
        "expires_at={}",
        o.expires_at.map_or("unknown".into(), rfc3339)
    ));
    words.push(format!(
        "left={}",
        match o.seconds_left {
            Some(s) if s < 0 => format!("expired-{}-ago", human::duration(-s)),
            Some(s) => human::duration(s),
            None => "unknown".into(),
        }
    ));
    words.push(format!(
        "refresh={}",
        match o.auto_refresh {
            Some(true) => "auto",
            Some(false) => "none",
            None => "unknown",
        }
    ));
    words.push(format!(
        "refreshed={}",
        if o.refreshed { "yes" } else { "no" }
    ));
    if let Some(e) = &o.error {
        let text = unobserved(e);
        let text = super::sanitize::own(crate::redact::redact(&text).into_owned());
        let quoted = serde_json::to_string(&text).unwrap_or_default();
        words.push(format!("error={quoted}"));
    }
    format!("{PREFIX} watch {} {}\n", rfc3339(o.at), words.join(" "))
}

/// Why an observation found no credentials.
fn unobserved(e: &Unobserved) -> String {
    match e {
        Unobserved::Probe(p) => human::failure(p),
        Unobserved::Problem(p) => format!("{} {}", p.subject, p.message),
        Unobserved::NoCredentials => "no credentials found".into(),
    }
}

/// An observation in the record: its error in words.
#[derive(Serialize)]
struct JsonObservation<'a> {
    #[serde(flatten)]
    observation: &'a Observation,
    error: Option<String>,
}

/// Said once, loudly: the job is going to die of its credentials, and when.
pub fn runs_out_warning(
    o: &Observation,
    expected_end: Option<DateTime<Utc>>,
    gate: &Report,
    zone: Zone,
    color: bool,
) -> String {
    let expires = o
        .expires_at
        .map_or("unknown".into(), |e| human::when(e, o.at, zone));
    let end = expected_end.map_or("unknown".into(), |e| human::clock(e, o.at, zone));
    let fix = gate
        .fixes
        .first()
        .map(|f| {
            format!(
                " Fix: {} (expiry-doctor explain {}).",
                fixes::plan(f).title,
                f.id().name()
            )
        })
        .unwrap_or_default();
    format!(
        "{PREFIX} {} the job's credentials ({}, not refreshed) expire at {expires}, before its expected end at {end}: it will fail with ExpiredToken then.{fix}\n",
        loud("WARNING:", color),
        o.source.name(),
    )
}

/// After a failed job: the first credential or clock error, when, the expiry in effect, the
/// cause and the fix.
pub fn failure(run: &Run, zone: Zone) -> String {
    let mut out = String::new();
    let elapsed = run
        .started_at
        .map(|s| human::precise((run.ended_at - s).num_seconds()));
    let how = match run.signal {
        Some(sig) => format!("was killed by signal {sig}"),
        None => format!("exited {}", run.exit_code),
    };
    out.push_str(&format!(
        "{PREFIX} the job {how}{}.\n",
        elapsed.map(|e| format!(" after {e}")).unwrap_or_default()
    ));
    let Some((d, fix_list)) = &run.diagnosis else {
        return out;
    };
    let first = d
        .failure_line
        .and_then(|n| run.stderr.events.iter().find(|e| e.line == n));
    match first {
        Some(e) if d.cause.is_some_and(|c| c.is_credential_cause()) => {
            let at = match (run.started_at, e.timestamp) {
                (Some(s), Some(t)) => format!("{} in, ", human::precise((t - s).num_seconds())),
                _ => String::new(),
            };
            out.push_str(&format!(
                "{PREFIX} first credential or clock error ({at}stderr line {}): {}\n",
                e.line,
                super::sanitize::line(&e.text)
                    .chars()
                    .take(300)
                    .collect::<String>()
            ));
            let observed = crate::watch::in_effect(&run.observations, e.timestamp);
            if let Some(o) = observed
                && let Some(x) = o.expires_at
            {
                let failed = e.timestamp.unwrap_or(run.ended_at);
                out.push_str(&format!(
                    "{PREFIX} the credentials observed during the run ({}{}) {} at {}.\n",
                    o.source.name(),
                    match o.auto_refresh {
                        Some(true) => ", refreshing",
                        Some(false) => ", never refreshed",
                        None => "",
                    },
                    if x <= failed {
                        "expired"
                    } else {
                        "were to expire"
                    },
                    human::stamp(x, zone)
                ));
            }
            out.push_str(&format!("{PREFIX} {}\n", super::triage::explanation(d)));
            for (i, f) in fix_list.iter().take(2).enumerate() {
                let plan = fixes::plan(f);
                out.push_str(&format!(
                    "{PREFIX} {}: {} (expiry-doctor explain {})\n",
                    if i == 0 {
                        "fix (recommended)".to_string()
                    } else {
                        format!("alternative, when {}", f.id().doc().prefer_when)
                    },
                    plan.title,
                    f.id().name()
                ));
                for c in &plan.commands() {
                    for line in c.lines() {
                        out.push_str(&format!("{PREFIX}     {line}\n"));
                    }
                }
            }
        }
        _ => out.push_str(&format!(
            "{PREFIX} no credential or clock error on its stderr ({} lines): not an expiry.\n",
            run.stderr.lines
        )),
    }
    out
}

#[derive(Serialize)]
struct JsonRecord<'a> {
    version: u32,
    command: &'a [String],
    gate: JsonGate,
    not_started: Option<String>,
    started_at: Option<String>,
    ended_at: String,
    elapsed_seconds: Option<i64>,
    expected_end: Option<String>,
    exit_code: u8,
    signal: Option<i32>,
    observations: Vec<JsonObservation<'a>>,
    warnings: Vec<String>,
    stderr: JsonStderr<'a>,
    diagnosis: Option<JsonDiagnosis<'a>>,
}

#[derive(Serialize)]
struct JsonGate {
    verdict: &'static str,
    passed: bool,
    enforced: bool,
    report: serde_json::Value,
}

#[derive(Serialize)]
struct JsonStderr<'a> {
    lines: u64,
    bytes: u64,
    class_counts: &'a std::collections::BTreeMap<crate::triage::classes::Class, u64>,
    events: &'a [crate::triage::scan::Event],
}

#[derive(Serialize)]
struct JsonDiagnosis<'a> {
    #[serde(flatten)]
    diagnosis: super::triage::JsonDiagnosis<'a>,
    fixes: Vec<JsonFix>,
}

/// `--report FILE`: everything, as version-1 JSON.
pub fn record(run: &Run) -> String {
    let doc = JsonRecord {
        version: 1,
        command: &run.command,
        gate: JsonGate {
            verdict: run.gate.verdict.name(),
            passed: run.gate_passed,
            enforced: run.gate_enforced,
            report: super::json::to_value(&run.gate),
        },
        not_started: run.not_started.as_ref().map(|n| match n {
            NotStarted::GateFailed => "the pre-flight check failed".to_string(),
            NotStarted::CouldNotStart { message } => message.clone(),
        }),
        started_at: run.started_at.map(rfc3339),
        ended_at: rfc3339(run.ended_at),
        elapsed_seconds: run.started_at.map(|s| (run.ended_at - s).num_seconds()),
        expected_end: run.expected_end.map(rfc3339),
        exit_code: run.exit_code,
        signal: run.signal,
        observations: run
            .observations
            .iter()
            .map(|o| JsonObservation {
                observation: o,
                error: o.error.as_ref().map(unobserved),
            })
            .collect(),
        warnings: run
            .ran_out
            .iter()
            .map(|o| {
                runs_out_warning(o, run.expected_end, &run.gate, Zone::Utc, false)
                    .trim_end()
                    .to_string()
            })
            .collect(),
        stderr: JsonStderr {
            lines: run.stderr.lines,
            bytes: run.stderr.bytes,
            class_counts: &run.stderr.counts,
            events: &run.stderr.events,
        },
        diagnosis: run.diagnosis.as_ref().map(|(d, f)| JsonDiagnosis {
            diagnosis: super::triage::JsonDiagnosis::of(d),
            fixes: JsonFix::list(f),
        }),
    };
    super::sanitize::json(&doc)
}
