//! GitHub Actions workflow commands: one `::error` annotation per failing check, one
//! `::warning` per warning (or broken probe), then the verdict line. Exit codes are unchanged.

use super::fixes;
use super::text::{self, Say, Zone};
use crate::checks::Status;
use crate::verdict::Report;

/// Workflow-command data escaping (`%`, CR, LF), as the runner expects.
pub(crate) fn data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Property values escape `:` and `,` too.
pub(crate) fn property(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}

pub fn render(report: &Report) -> String {
    let say = Say::new(report.facts.checked_at, Zone::Utc);
    let mut out = String::new();
    for f in &report.findings {
        let level = match f.status {
            Status::Fail => "error",
            Status::Warn | Status::Error => "warning",
            Status::Pass | Status::Skip => continue,
        };
        let mut message = text::reason(&f.reason, &say);
        // The finding's best fix in the report's order (where raising MaxSessionDuration and
        // asking for the session became one procedure).
        let best = report
            .fixes
            .iter()
            .enumerate()
            .find(|(_, x)| f.fixes.iter().any(|y| y.id() == x.id()));
        if let Some((i, fix)) = best {
            let plan = fixes::plan(fix);
            let label = if i == 0 { "Fix (recommended" } else { "Fix (" };
            let sep = if i == 0 { ", " } else { "" };
            message.push_str(&format!(
                "\n{label}{sep}{}): {}",
                fix.id().name(),
                plan.title
            ));
            for cmd in plan.commands() {
                message.push('\n');
                message.push_str(&cmd);
            }
        }
        out.push_str(&format!(
            "::{level} title={}::{}\n",
            property(&format!("expiry-doctor {}", f.id)),
            data(&message)
        ));
    }
    let sdks = text::sdk_lines(report, &say);
    if !sdks.is_empty() {
        out.push_str(&format!(
            "::warning title={}::{}\n",
            property("expiry-doctor sdks"),
            data(&sdks.join("\n"))
        ));
    }
    out.push_str(&text::headline(report, &say));
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workflow_command_escaping() {
        assert_eq!(data("50% done\nnext"), "50%25 done%0Anext");
        assert_eq!(property("a:b,c"), "a%3Ab%2Cc");
    }
}
