//! Folding findings into a [`Report`]: the overall verdict, the fixes to show, the headline,
//! and the exit code. This is the only place the exit code of `check` is decided.

use crate::checks::{CheckId, Finding, Status};
use crate::facts::Facts;
use crate::fixes::Fix;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    Pass,
    Warn,
    Fail,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Pass => "pass",
            Verdict::Warn => "warn",
            Verdict::Fail => "fail",
        }
    }
}

/// Everything a renderer needs; renderers decide nothing.
#[derive(Clone, Debug)]
pub struct Report {
    pub facts: Facts,
    pub expected_runtime_seconds: Option<i64>,
    pub findings: Vec<Finding>,
    /// Deduplicated by id, in the order the findings name them.
    pub fixes: Vec<Fix>,
    pub verdict: Verdict,
    /// One line: the verdict and the reason that decided it.
    pub headline: String,
}

/// `fail` if any check fails, else `warn` if any warns or errors, else `pass`.
pub fn verdict_of(findings: &[Finding]) -> Verdict {
    findings
        .iter()
        .map(|f| match f.status {
            Status::Fail => Verdict::Fail,
            Status::Warn | Status::Error => Verdict::Warn,
            Status::Pass | Status::Skip => Verdict::Pass,
        })
        .max()
        .unwrap_or(Verdict::Pass)
}

pub fn build(
    facts: Facts,
    expected_runtime_seconds: Option<i64>,
    findings: Vec<Finding>,
) -> Report {
    let verdict = verdict_of(&findings);
    // What fixes a failure comes before what fixes a warning; otherwise pipeline order.
    let mut fixes: Vec<Fix> = Vec::new();
    let failing = findings.iter().filter(|f| f.status == Status::Fail);
    let others = findings.iter().filter(|f| f.status != Status::Fail);
    for fix in failing.chain(others).flat_map(|f| f.fixes.iter()) {
        if !fixes.iter().any(|x| x.id == fix.id) {
            fixes.push(fix.clone());
        }
    }
    let headline = headline(verdict, &findings);
    Report {
        facts,
        expected_runtime_seconds,
        findings,
        fixes,
        verdict,
        headline,
    }
}

/// The first finding, in pipeline order, that decided the verdict: the cause before its
/// consequence. A pass is summed up by the expected-runtime answer when there is one.
fn headline(verdict: Verdict, findings: &[Finding]) -> String {
    let deciding = |f: &&Finding| match verdict {
        Verdict::Fail => f.status == Status::Fail,
        Verdict::Warn => matches!(f.status, Status::Warn | Status::Error),
        Verdict::Pass => f.status == Status::Pass && f.id == CheckId::ExpectedRuntime,
    };
    let chosen = findings.iter().find(deciding);
    let label = verdict.as_str().to_uppercase();
    match chosen {
        Some(f) if f.id == CheckId::ExpectedRuntime => format!("{label}: {}", f.summary),
        Some(f) => {
            let others = findings.iter().filter(deciding).count() - 1;
            let more = if others > 0 {
                format!(" (+{others} more)")
            } else {
                String::new()
            };
            format!("{label}: {}: {}{more}", f.id, f.summary)
        }
        None => format!("{label}: no problem found"),
    }
}

/// 0 pass (warnings allowed unless `fail_on_warn`), 1 the gate failed.
pub fn exit_code(verdict: Verdict, fail_on_warn: bool) -> u8 {
    match verdict {
        Verdict::Fail => 1,
        Verdict::Warn if fail_on_warn => 1,
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixes;

    fn finding(id: CheckId, status: Status, summary: &str) -> Finding {
        Finding::new(id, status, summary)
    }

    #[test]
    fn verdict_folds_errors_into_warnings() {
        assert_eq!(
            verdict_of(&[finding(CheckId::Identity, Status::Error, "x")]),
            Verdict::Warn
        );
        assert_eq!(
            verdict_of(&[
                finding(CheckId::Identity, Status::Warn, "x"),
                finding(CheckId::Expiration, Status::Fail, "y")
            ]),
            Verdict::Fail
        );
        assert_eq!(
            verdict_of(&[finding(CheckId::Identity, Status::Skip, "x")]),
            Verdict::Pass
        );
    }

    #[test]
    fn exit_codes() {
        assert_eq!(exit_code(Verdict::Pass, true), 0);
        assert_eq!(exit_code(Verdict::Warn, false), 0);
        assert_eq!(exit_code(Verdict::Warn, true), 1);
        assert_eq!(exit_code(Verdict::Fail, false), 1);
    }

    #[test]
    fn headline_names_the_first_deciding_check_and_fixes_dedupe() {
        let facts = Facts::empty("2026-11-23T13:31:00Z".parse().unwrap());
        let findings = vec![
            finding(CheckId::Expiration, Status::Warn, "unknown").fix(fixes::sso_login("dev")),
            finding(
                CheckId::ExpectedRuntime,
                Status::Fail,
                "credentials expire at 14:02 UTC (in 31m), the job needs until 19:31 UTC",
            )
            .fix(fixes::sso_login("dev"))
            .fix(fixes::sync_clock()),
        ];
        let r = build(facts, Some(21_600), findings);
        assert_eq!(
            r.headline,
            "FAIL: credentials expire at 14:02 UTC (in 31m), the job needs until 19:31 UTC"
        );
        assert_eq!(r.fixes.len(), 2);
    }
}
