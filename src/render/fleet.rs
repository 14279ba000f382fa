//! `check --all-profiles`: one row per profile (source, temporary, refreshes, expires, max
//! session, verdict), as a table, Markdown or GitHub annotations. JSON is the array of full
//! reports (render::json::render_all).

use super::text::{self as human, Say};
use crate::verdict::{Report, Verdict};
use comfy_table::{ContentArrangement, LineStyle, Table, presets};

fn yes_no(b: Option<bool>) -> &'static str {
    match b {
        Some(true) => "yes",
        Some(false) => "no",
        None => "?",
    }
}

/// The cells of a profile's row.
fn row(r: &Report, zone: human::Zone) -> [String; 7] {
    let f = &r.facts;
    let c = &f.credentials;
    let now = f.checked_at;
    let expires = match (c.expires_at, c.temporary) {
        (Some(t), _) => human::when(t, now, zone),
        (None, Some(false)) => "never".into(),
        _ => "unknown".into(),
    };
    let max = match (
        f.session_limit.max_session_duration_seconds,
        f.session_limit.role_chaining,
    ) {
        (_, Some(true)) => "1h (chained)".into(),
        (Some(m), _) => human::duration(m),
        (None, _) => "-".into(),
    };
    [
        c.profile.clone().unwrap_or_else(|| "?".into()),
        c.source.name().into(),
        yes_no(c.temporary).into(),
        yes_no(c.auto_refresh).into(),
        expires,
        max,
        r.verdict.name().to_uppercase(),
    ]
}

const HEADER: [&str; 7] = [
    "profile",
    "source",
    "temporary",
    "refreshes",
    "expires",
    "max session",
    "verdict",
];

/// The worst verdict of all profiles, for the exit code.
pub fn worst(reports: &[Report]) -> Verdict {
    reports
        .iter()
        .map(|r| r.verdict)
        .max()
        .unwrap_or(Verdict::Pass)
}

fn summary(reports: &[Report]) -> String {
    let failing: Vec<String> = reports
        .iter()
        .filter(|r| r.verdict == Verdict::Fail)
        .filter_map(|r| r.facts.credentials.profile.clone())
        .collect();
    let warning = reports
        .iter()
        .filter(|r| r.verdict == Verdict::Warn)
        .count();
    let label = worst(reports).name().to_uppercase();
    if failing.is_empty() {
        format!(
            "{label}: {} profiles checked, {warning} with warnings",
            reports.len()
        )
    } else {
        format!(
            "{label}: {} of {} profiles fail: {}",
            failing.len(),
            reports.len(),
            failing.join(", ")
        )
    }
}

pub fn table(reports: &[Report], zone: human::Zone) -> String {
    let mut t = Table::new();
    // A header rule, no lines between rows: forty profiles read as a list.
    t.load_style(presets::NOTHING.header_separator(LineStyle::new('─', '─', '─', '─')));
    t.set_content_arrangement(ContentArrangement::Disabled);
    t.force_no_tty();
    t.set_header(HEADER.to_vec());
    for r in reports {
        t.add_row(row(r, zone).to_vec());
    }
    let mut out = String::new();
    for line in t.to_string().lines() {
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out.push('\n');
    for r in reports.iter().filter(|r| r.verdict != Verdict::Pass) {
        out.push_str(&format!(
            "{}: {}\n",
            r.facts.credentials.profile.clone().unwrap_or_default(),
            human::headline(r, &Say::new(r.facts.checked_at, zone))
        ));
    }
    out.push_str(&summary(reports));
    out.push('\n');
    out
}

pub fn markdown(reports: &[Report]) -> String {
    let mut out = format!("### expiry-doctor: {}\n\n", summary(reports));
    out.push_str(&format!(
        "| {} |\n|{}\n",
        HEADER.join(" | "),
        "---|".repeat(HEADER.len())
    ));
    for r in reports {
        let cells: Vec<String> = row(r, human::Zone::Utc)
            .iter()
            .map(|c| c.replace('|', "\\|"))
            .collect();
        out.push_str(&format!("| {} |\n", cells.join(" | ")));
    }
    out
}

pub fn github(reports: &[Report]) -> String {
    let mut out = String::new();
    for r in reports {
        let level = match r.verdict {
            Verdict::Fail => "error",
            Verdict::Warn => "warning",
            Verdict::Pass => continue,
        };
        let profile = r.facts.credentials.profile.clone().unwrap_or_default();
        let headline = human::headline(r, &Say::new(r.facts.checked_at, human::Zone::Utc));
        out.push_str(&format!(
            "::{level} title=expiry-doctor profile {}::{}\n",
            profile.replace(':', "%3A").replace(',', "%2C"),
            headline.replace('%', "%25").replace('\n', "%0A")
        ));
    }
    out.push_str(&summary(reports));
    out.push('\n');
    out
}
