//! The report as Markdown, for `$GITHUB_STEP_SUMMARY` and merge-request comments: the verdict,
//! one table row per check, the fixes with their commands.

use crate::checks::Status;
use crate::verdict::{Report, Verdict};

/// Table cells cannot hold `|` or line breaks.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', "<br>")
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
    out.push_str(&format!("### expiry-doctor: {label}\n\n"));
    out.push_str(&format!("**{}**\n\n", cell(&report.headline)));
    let f = &report.facts;
    let mut about = vec![format!(
        "checked {}",
        f.checked_at.format("%Y-%m-%d %H:%M UTC")
    )];
    if let Some(rt) = report.expected_runtime_seconds {
        about.push(format!("expected runtime {}", crate::human::duration(rt)));
    }
    if f.offline {
        about.push("offline".into());
    }
    out.push_str(&format!("{}\n\n", about.join(" · ")));
    out.push_str("| | check | result |\n|---|---|---|\n");
    for x in &report.findings {
        let mut text = cell(&x.summary);
        for d in &x.details {
            text.push_str("<br>");
            text.push_str(&cell(d));
        }
        out.push_str(&format!("| {} | `{}` | {} |\n", mark(x.status), x.id, text));
    }
    if !report.fixes.is_empty() {
        out.push_str("\n#### Fixes\n");
        for (i, fix) in report.fixes.iter().enumerate() {
            out.push_str(&format!(
                "\n{}. **{}** (`{}`)\n\n",
                i + 1,
                fix.title,
                fix.id.name()
            ));
            out.push_str("   ```sh\n");
            for cmd in &fix.commands {
                for line in cmd.lines() {
                    out.push_str(&format!("   {line}\n"));
                }
            }
            out.push_str("   ```\n");
        }
    }
    out
}
