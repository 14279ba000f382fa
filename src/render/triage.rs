//! `triage` output: the failing lines with their numbers, the timeline, the diagnosis, the
//! fixes (table); or the version-1 triage JSON of DESIGN.md.

use super::JsonFix;
use super::paint;
use crate::human;
use crate::triage::TriageReport;
use crate::triage::diagnose::Cause;
use anstyle::{AnsiColor, Style};
use chrono::{DateTime, Utc};
use serde::Serialize;

/// Failing lines shown in the table; the JSON keeps up to `scan::KEPT_EVENTS`.
const SHOWN_LINES: usize = 10;

fn stamp(t: Option<DateTime<Utc>>) -> String {
    t.map(|t| t.format("%Y-%m-%d %H:%M:%S UTC").to_string())
        .unwrap_or_else(|| "(no time)".into())
}

/// The one-line answer: `TOKEN-EXPIRY: failed 1h00m12s after start: matches …`.
pub fn headline(r: &TriageReport) -> String {
    let d = &r.diagnosis;
    let cause = serde_json::to_value(d.cause)
        .ok()
        .and_then(|v| v.as_str().map(str::to_uppercase))
        .unwrap_or_default();
    let after = d
        .elapsed_seconds
        .map(|e| format!("failed {} after start", human::precise(e)))
        .unwrap_or_else(|| "failed".into());
    let limit = d.matched_limit.as_deref().map(|id| match id {
        "15m-minimum" => "the 15-minute minimum AssumeRole session",
        "1h-default" => "the 1 h default AssumeRole duration / role-chaining cap",
        "8h-sso-session" => "the 8 h default IAM Identity Center session",
        "12h-maximum" => "the 12 h maximum role session",
        "36h-get-session-token" => "the 36 h maximum GetSessionToken session",
        "max-session-duration" => "the role's MaxSessionDuration",
        "known-expiry" => "the credentials' known expiry",
        other => other,
    });
    match d.cause {
        Cause::None => "NONE: no AWS credential or clock error found".into(),
        Cause::ClockSkew => match d.clock_offset_seconds {
            Some(o) => format!(
                "{cause}: {after}: the local clock was {} {} AWS",
                human::duration(o.abs().round() as i64),
                if o > 0.0 { "behind" } else { "ahead of" }
            ),
            None => format!("{cause}: {after}: the local clock was off by more than 5 minutes"),
        },
        Cause::Permissions | Cause::Throttling => {
            format!("{cause}: not a credential lifetime problem")
        }
        _ => match limit {
            Some(l) => format!("{cause}: {after}: matches {l}"),
            None => format!("{cause}: {after}"),
        },
    }
}

pub fn table(r: &TriageReport, color: bool) -> String {
    let s = &r.scan;
    let d = &r.diagnosis;
    let mut out = String::new();
    out.push_str(&paint(
        &format!("expiry-doctor triage · {} · {} lines", r.source, s.lines),
        Style::new().bold(),
        color,
    ));
    out.push_str("\n\n");

    if !s.events.is_empty() {
        out.push_str(&paint("Failing lines", Style::new().bold(), color));
        out.push('\n');
        for e in s.events.iter().take(SHOWN_LINES) {
            let text: String = e.text.chars().take(160).collect();
            out.push_str(&format!(
                "  line {:<8} {:<24} {:<15} {}\n",
                e.line,
                stamp(e.timestamp),
                e.class.as_str(),
                text
            ));
        }
        let total: u64 = s.counts.values().sum();
        if total as usize > SHOWN_LINES {
            out.push_str(&format!("  … and {} more\n", total as usize - SHOWN_LINES));
        }
        out.push('\n');
    }

    out.push_str(&paint("Timeline", Style::new().bold(), color));
    out.push('\n');
    if let Some(start) = d.started_at {
        out.push_str(&format!("  {}  job started\n", stamp(Some(start))));
    }
    for (class, line) in &s.first_of {
        let at = s
            .events
            .iter()
            .find(|e| e.line == *line)
            .and_then(|e| e.timestamp);
        let plus = match (d.started_at, at) {
            (Some(st), Some(t)) => format!("  +{}", human::precise((t - st).num_seconds())),
            _ => String::new(),
        };
        out.push_str(&format!(
            "  {}  first {} (line {line}, {} in all){plus}\n",
            stamp(at),
            class.as_str(),
            s.count(*class)
        ));
    }
    if let Some(last) = s.last_time {
        out.push_str(&format!("  {}  last timestamped line\n", stamp(Some(last))));
    }
    out.push('\n');

    out.push_str(&paint("Diagnosis", Style::new().bold(), color));
    out.push('\n');
    out.push_str(&format!("  {}\n", d.explanation));

    out.push_str(&super::fixes_section(&r.fixes, color));
    out.push('\n');
    let style = if d.cause.is_credential_cause() {
        Style::new().fg_color(Some(AnsiColor::Red.into())).bold()
    } else {
        Style::new().fg_color(Some(AnsiColor::Green.into())).bold()
    };
    out.push_str(&paint(&headline(r), style, color));
    out.push('\n');
    out
}

#[derive(Serialize)]
struct JsonTriage<'a> {
    version: u32,
    source: &'a str,
    lines: u64,
    bytes: u64,
    class_counts: &'a std::collections::BTreeMap<crate::triage::classes::Class, u64>,
    events: &'a [crate::triage::scan::Event],
    diagnosis: &'a crate::triage::diagnose::Diagnosis,
    headline: String,
    fixes: Vec<JsonFix<'a>>,
}

pub fn json(r: &TriageReport) -> String {
    let doc = JsonTriage {
        version: 1,
        source: &r.source,
        lines: r.scan.lines,
        bytes: r.scan.bytes,
        class_counts: &r.scan.counts,
        events: &r.scan.events,
        diagnosis: &r.diagnosis,
        headline: headline(r),
        fixes: r.fixes.iter().map(JsonFix::from).collect(),
    };
    let mut s = serde_json::to_string_pretty(&doc).expect("the triage report serialises");
    s.push('\n');
    s
}
