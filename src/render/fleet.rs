//! `check --all-profiles`: one row per profile (source, temporary, refreshes, expires, max
//! session, verdict), as a table, Markdown or GitHub annotations. JSON is the array of full
//! reports (render::json::render_all). Two things are said once for the whole audit, never
//! per row: that exported credentials shadow every profile, and which profiles the deadline
//! left unchecked.

use super::paint;
use super::table::TableStyle;
use super::text::{self as human, Say};
use crate::verdict::{Fleet, Report, Verdict};
use comfy_table::{ContentArrangement, LineStyle, Table, presets};

fn yes_no(b: Option<bool>) -> &'static str {
    match b {
        Some(true) => "yes",
        Some(false) => "no",
        None => "?",
    }
}

/// A profile's name as every line shows it: through the sanitizer (a section name can hold
/// any byte but a line break).
fn profile_of(r: &Report) -> String {
    super::sanitize::own(
        r.facts
            .credentials
            .profile
            .clone()
            .unwrap_or_else(|| "?".into()),
    )
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
        profile_of(r),
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

/// At most this many names are listed in a one-line roll call; the rest are counted.
const NAMES_SHOWN: usize = 10;

fn roll_call(names: &[&str]) -> String {
    let mut shown = names
        .iter()
        .take(NAMES_SHOWN)
        .copied()
        .collect::<Vec<_>>()
        .join(", ");
    if names.len() > NAMES_SHOWN {
        shown.push_str(&format!(" and {} more", names.len() - NAMES_SHOWN));
    }
    shown
}

fn summary(fleet: &Fleet) -> String {
    let reached: Vec<&Report> = fleet.reached().collect();
    let failing: Vec<String> = reached
        .iter()
        .filter(|r| r.verdict == Verdict::Fail)
        .map(|r| profile_of(r))
        .collect();
    let warning = reached
        .iter()
        .filter(|r| r.verdict == Verdict::Warn)
        .count();
    let label = fleet.worst().name().to_uppercase();
    let mut out = if failing.is_empty() {
        format!(
            "{label}: {} profiles checked, {warning} with warnings",
            reached.len()
        )
    } else {
        format!(
            "{label}: {} of {} profiles fail: {}",
            failing.len(),
            reached.len(),
            roll_call(&failing.iter().map(String::as_str).collect::<Vec<_>>())
        )
    };
    let missed = fleet.not_reached().len();
    if missed > 0 {
        out.push_str(&format!(", {missed} not reached"));
    }
    out
}

/// The sentence said once at the top when exported credentials shadow every profile.
fn shadow_note(fleet: &Fleet) -> Option<String> {
    let vars = fleet.shadowed_by.as_slice();
    let (last, rest) = vars.split_last()?;
    let named = if rest.is_empty() {
        format!("{last} is")
    } else {
        format!("{} and {last} are", rest.join(", "))
    };
    Some(format!(
        "{named} exported here: a job started from this shell uses those credentials whatever \
         profile AWS_PROFILE selects (the SDKs read the environment first). Each row is the \
         profile as a job that exports nothing sees it."
    ))
}

/// The sentence said once for the profiles the deadline left unchecked.
fn not_reached_line(fleet: &Fleet) -> Option<String> {
    let names = fleet.not_reached();
    if names.is_empty() {
        return None;
    }
    // The subject of the problem names the flag and its value (`--timeout 2s`).
    let within = fleet
        .reports
        .iter()
        .flat_map(|r| &r.facts.problems)
        .find(|p| p.kind == crate::facts::ProblemKind::NotReached)
        .map(|p| p.subject.clone())
        .unwrap_or_else(|| "--timeout".into());
    let count = match names.len() {
        1 => "1 profile".to_string(),
        n => format!("{n} profiles"),
    };
    Some(super::sanitize::own(format!(
        "not reached within {within}: {count} ({}); give the audit a longer --timeout to judge them",
        roll_call(&names)
    )))
}

/// How `--all-profiles` prints as a table: `quiet` keeps the summary line alone; `verbose` adds
/// the full report of every profile that does not pass.
#[derive(Clone, Copy, Debug, Default)]
pub struct FleetStyle {
    pub table: TableStyle,
    pub quiet: bool,
}

pub fn table(fleet: &Fleet, style: FleetStyle) -> String {
    let TableStyle {
        color,
        zone,
        verbose,
        ..
    } = style.table;
    let summary_line = format!(
        "{}\n",
        paint(
            &summary(fleet),
            super::table::verdict_style(fleet.worst()),
            color
        )
    );
    if style.quiet {
        return summary_line;
    }
    let mut out = String::new();
    if let Some(note) = shadow_note(fleet) {
        out.push_str(&format!("Note: {note}\n\n"));
    }
    let mut t = Table::new();
    // A header rule, no lines between rows: forty profiles read as a list.
    t.load_style(presets::NOTHING.header_separator(LineStyle::new('─', '─', '─', '─')));
    t.set_content_arrangement(ContentArrangement::Disabled);
    t.force_no_tty();
    t.set_header(HEADER.to_vec());
    for r in fleet.reached() {
        t.add_row(row(r, zone).to_vec());
    }
    for line in t.to_string().lines() {
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out.push('\n');
    for r in fleet.reached().filter(|r| r.verdict != Verdict::Pass) {
        let line = format!(
            "{}: {}",
            profile_of(r),
            human::headline(r, &Say::new(r.facts.checked_at, zone))
        );
        out.push_str(&paint(&line, super::table::verdict_style(r.verdict), color));
        out.push('\n');
    }
    if let Some(line) = not_reached_line(fleet) {
        out.push_str(&line);
        out.push('\n');
    }
    if verbose {
        for r in fleet.reached().filter(|r| r.verdict != Verdict::Pass) {
            let name = profile_of(r);
            out.push_str(&format!("\n── profile {name} ──\n"));
            out.push_str(&super::table::render(r, style.table));
        }
        out.push('\n');
    }
    out.push_str(&summary_line);
    out
}

pub fn markdown(fleet: &Fleet) -> String {
    let mut out = format!("### expiry-doctor: {}\n\n", summary(fleet));
    if let Some(note) = shadow_note(fleet) {
        out.push_str(&format!("> **Note:** {note}\n\n"));
    }
    out.push_str(&format!(
        "| {} |\n|{}\n",
        HEADER.join(" | "),
        "---|".repeat(HEADER.len())
    ));
    for r in fleet.reached() {
        let cells: Vec<String> = row(r, human::Zone::Utc)
            .iter()
            .map(|c| c.replace('|', "\\|"))
            .collect();
        out.push_str(&format!("| {} |\n", cells.join(" | ")));
    }
    if let Some(line) = not_reached_line(fleet) {
        out.push_str(&format!("\n{line}\n"));
    }
    out
}

pub fn github(fleet: &Fleet) -> String {
    let mut out = String::new();
    if let Some(note) = shadow_note(fleet) {
        out.push_str(&format!(
            "::warning title=expiry-doctor::{}\n",
            super::github::data(&note)
        ));
    }
    for r in fleet.reached() {
        let level = match r.verdict {
            Verdict::Fail => "error",
            Verdict::Warn => "warning",
            Verdict::Pass => continue,
        };
        let profile = profile_of(r);
        let headline = human::headline(r, &Say::new(r.facts.checked_at, human::Zone::Utc));
        out.push_str(&format!(
            "::{level} title={}::{}\n",
            super::github::property(&format!("expiry-doctor profile {profile}")),
            super::github::data(&headline)
        ));
    }
    if let Some(line) = not_reached_line(fleet) {
        out.push_str(&format!(
            "::warning title=expiry-doctor::{}\n",
            super::github::data(&line)
        ));
    }
    out.push_str(&summary(fleet));
    out.push('\n');
    out
}
