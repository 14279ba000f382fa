//! The report as Markdown, for `$GITHUB_STEP_SUMMARY` and merge-request comments: the verdict,
//! one table row per check, the fixes with their steps (config edits in an `ini` block, shell
//! commands in an `sh` block, never one inside the other). Times in UTC.

use super::fixes::{self, Step};
use super::text::{self, Say, Zone};
use crate::checks::Status;
use crate::verdict::{Report, Verdict};

/// Table cells cannot hold `|` or line breaks.
pub(crate) fn cell(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            // Markdown and HTML that outside text could use to add a link, an image, a code
            // span or a tag to a step summary: written as the characters they are.
            '\\' | '`' | '[' | ']' | '|' => {
                out.push('\\');
                out.push(c);
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\n' => out.push_str("<br>"),
            c => out.push(c),
        }
    }
    out
}

fn mark(s: Status) -> &'static str {
    match s {
        Status::Pass => "✅",
        Status::Warn | Status::Error => "⚠️",
        Status::Fail => "❌",
        Status::Skip => "➖",
    }
}

pub fn render(report: &Report) -> String {
    let mut out = String::new();
    let label = match report.verdict {
        Verdict::Pass => "✅ pass",
        Verdict::Warn => "⚠️ warn",
        Verdict::Fail => "❌ fail",
    };
    let f = &report.facts;
    let say = Say::new(f.checked_at, Zone::Utc);
    out.push_str(&format!("### expiry-doctor: {label}\n\n"));
    out.push_str(&format!("**{}**\n\n", cell(&text::headline(report, &say))));
    let mut about = vec![format!(
        "checked {}",
        f.checked_at.format("%Y-%m-%d %H:%M UTC")
    )];
    if let Some(rt) = report.expected_runtime_seconds {
        about.push(format!("expected runtime {}", text::duration(rt)));
    }
    if f.offline {
        about.push("offline".into());
    }
    out.push_str(&format!("{}\n\n", about.join(" · ")));
    out.push_str("| | check | result |\n|---|---|---|\n");
    for x in &report.findings {
        let (summary, details) = super::finding_lines(x, &say);
        let mut row = cell(&summary);
        for d in &details {
            row.push_str("<br>");
            row.push_str(&cell(d));
        }
        out.push_str(&format!("| {} | `{}` | {} |\n", mark(x.status), x.id, row));
    }
    let sdks = text::sdk_lines(report, &say);
    if let Some((intro, each)) = sdks.split_first() {
        out.push_str(&format!("\n#### SDKs\n\n{}\n\n", cell(intro)));
        for line in each {
            out.push_str(&format!("- {}\n", cell(line)));
        }
    }
    out.push_str(&fixes_section(&report.fixes));
    out
}

/// The fixes, the recommended one first, each with its steps: for a check report and a
/// triage report alike (empty without fixes).
pub(crate) fn fixes_section(list: &[crate::fixes::Fix]) -> String {
    let mut out = String::new();
    if !list.is_empty() {
        out.push_str("\n#### Fixes\n");
        for (i, fix) in list.iter().enumerate() {
            let plan = fixes::plan(fix);
            out.push_str(&format!(
                "\n{}. **{}** (`{}`){}\n",
                i + 1,
                cell(&plan.title),
                fix.id().name(),
                if i == 0 {
                    " · recommended".to_string()
                } else {
                    format!(" · alternative: prefer when {}", fix.id().doc().prefer_when)
                }
            ));
            out.push_str(&steps(&plan.steps));
        }
    }
    out
}

/// The steps in order: each config edit in an `ini` block under the file's name, runs of
/// shell commands and notes in `sh` blocks.
fn steps(steps: &[Step]) -> String {
    let mut out = String::new();
    let mut shell: Vec<String> = Vec::new();
    let flush = |out: &mut String, shell: &mut Vec<String>| {
        if !shell.is_empty() {
            out.push_str("\n   ```sh\n");
            for line in shell.drain(..) {
                out.push_str(&format!("   {line}\n"));
            }
            out.push_str("   ```\n");
        }
    };
    for step in steps {
        match step {
            Step::Config {
                file,
                section,
                set,
                remove,
            } => {
                flush(&mut out, &mut shell);
                out.push_str(&format!(
                    "\n   In `{}`:\n\n   ```ini\n   [{section}]\n",
                    file.replace('`', "'")
                ));
                for (k, v) in &set.0 {
                    out.push_str(&format!("   {k} = {v}\n"));
                }
                for k in remove {
                    out.push_str(&format!("   ; delete: {k}\n"));
                }
                out.push_str("   ```\n");
            }
            other => shell.extend(other.as_command().lines().map(str::to_string)),
        }
    }
    flush(&mut out, &mut shell);
    out
}
