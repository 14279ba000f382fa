//! The report for people: one row per check with its mark, the fixes with their commands,
//! then one verdict line. Read in five seconds, pasted from in ten.

use super::paint;
use super::text::{self as human, Say};
use crate::checks::Status;
use crate::verdict::{Report, Verdict};
use anstyle::{AnsiColor, Style};
use comfy_table::{Attribute, Cell, CellAlignment, Color, ContentArrangement, Table, presets};

/// flutter doctor's marks: ✓ fine, ! look at this, ✗ broken, – not run.
fn mark(s: Status) -> &'static str {
    match s {
        Status::Pass => "✓",
        Status::Warn | Status::Error => "!",
        Status::Fail => "✗",
        Status::Skip => "–",
    }
}

fn status_color(s: Status) -> Color {
    match s {
        Status::Pass => Color::Green,
        Status::Warn | Status::Error => Color::Yellow,
        Status::Fail => Color::Red,
        Status::Skip => Color::DarkGrey,
    }
}

/// How the table is drawn; decided by the caller (the terminal, the flags).
#[derive(Clone, Copy, Debug, Default)]
pub struct TableStyle {
    /// ANSI colour (a terminal, unless NO_COLOR or `--color never`).
    pub color: bool,
    /// Wrap to the terminal's width.
    pub wrap: bool,
    /// Times in this zone (the user's own).
    pub zone: human::Zone,
    /// `--verbose`: every fact and where it came from.
    pub verbose: bool,
}

/// `--quiet`: the verdict line alone, in `zone`.
pub fn headline(report: &Report, zone: human::Zone, color: bool) -> String {
    let say = Say::new(report.facts.checked_at, zone);
    format!(
        "{}\n",
        paint(
            &human::headline(report, &say),
            verdict_style(report.verdict),
            color
        )
    )
}

pub(crate) fn verdict_style(v: Verdict) -> Style {
    match v {
        Verdict::Pass => Style::new().fg_color(Some(AnsiColor::Green.into())).bold(),
        Verdict::Warn => Style::new().fg_color(Some(AnsiColor::Yellow.into())).bold(),
        Verdict::Fail => Style::new().fg_color(Some(AnsiColor::Red.into())).bold(),
    }
}

pub fn render(report: &Report, style: TableStyle) -> String {
    let TableStyle {
        color,
        wrap,
        zone,
        verbose,
    } = style;
    let f = &report.facts;
    let now = f.checked_at;
    let say = Say::new(now, zone);
    let mut out = String::new();

    let mut header = format!("expiry-doctor · checked {}", human::stamp(now, zone));
    if let Some(rt) = report.expected_runtime_seconds {
        header.push_str(&format!(" · expected runtime {}", human::duration(rt)));
    }
    if f.offline {
        header.push_str(" · offline");
    }
    out.push_str(&paint(&header, Style::new().bold(), color));
    out.push_str("\n\n");

    let mut table = Table::new();
    table.load_style(presets::NOTHING);
    // Wrap to the terminal, unless it reports a width too small to be real (a pty without a
    // size says 0): then long lines are better than a column one letter wide.
    let usable = table.width().is_some_and(|w| w >= 60);
    table.set_content_arrangement(if wrap && usable {
        ContentArrangement::Dynamic
    } else {
        ContentArrangement::Disabled
    });
    if color {
        table.enforce_styling();
    } else {
        table.force_no_tty();
    }
    for finding in &report.findings {
        let (mut text, details) = super::finding_lines(finding, &say);
        for d in &details {
            text.push('\n');
            text.push_str(d);
        }
        let marked = Cell::new(mark(finding.status))
            .fg(status_color(finding.status))
            .add_attribute(Attribute::Bold)
            .set_alignment(CellAlignment::Center);
        let mut id = Cell::new(finding.id.name());
        if finding.status == Status::Skip {
            id = id.fg(Color::DarkGrey);
        }
        table.add_row(vec![marked, id, Cell::new(text)]);
    }
    // The last column is padded to its width; trailing blanks only get in the way of a paste.
    for line in table.to_string().lines() {
        out.push_str(line.trim_end());
        out.push('\n');
    }

    let sdks = human::sdk_lines(report, &say);
    if let Some((intro, each)) = sdks.split_first() {
        out.push('\n');
        out.push_str(&paint("SDKs", Style::new().bold(), color));
        out.push_str(&format!("\n  {intro}\n"));
        for line in each {
            out.push_str(&format!("  · {line}\n"));
        }
    }

    out.push_str(&super::fixes_section(&report.fixes, color));

    if verbose {
        out.push('\n');
        out.push_str(&paint("Facts", Style::new().bold(), color));
        out.push('\n');
        for line in super::facts_lines(f, zone) {
            out.push_str(&format!("  {line}\n"));
        }
    }

    out.push('\n');
    out.push_str(&headline(report, zone, color));
    out
}
