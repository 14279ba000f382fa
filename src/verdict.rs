//! Folding findings into a [`Report`]: the overall verdict, the fixes to show, the finding
//! that decided, and the exit code. This is the only place the exit code of `check` is
//! decided.

use crate::checks::{CheckId, Finding, Status};
use crate::facts::{Facts, Sdk};
use crate::fixes::Fix;
use serde::{Deserialize, Serialize};

#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    strum::EnumIter,
    strum::IntoStaticStr,
)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub enum Verdict {
    Pass,
    Warn,
    Fail,
}

impl Verdict {
    pub fn name(self) -> &'static str {
        self.into()
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
    /// Every SDK judged (`--sdk any`: all of them), in the order judged.
    pub judged: Vec<Sdk>,
    /// When the SDKs judged see the credentials differently: the other SDKs' reports (this
    /// one is the worse).
    pub others: Vec<Report>,
}

/// The finding the headline sums the report up with, and how many others decided alike.
#[derive(Clone, Copy, Debug)]
pub struct Deciding<'a> {
    pub finding: &'a Finding,
    pub others: usize,
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
    // What fixes a failure comes before what fixes a warning; within each, the catalog's
    // order (least change first). The first is the recommendation.
    let of = |fail: bool| {
        crate::fixes::rank(
            findings
                .iter()
                .filter(|f| (f.status == Status::Fail) == fail)
                .flat_map(|f| f.fixes.iter().cloned()),
        )
    };
    let mut fixes: Vec<Fix> = Vec::new();
    for fix in of(true).into_iter().chain(of(false)) {
        if !fixes.iter().any(|x| x.id() == fix.id()) {
            fixes.push(fix);
        }
    }
    let fixes = crate::fixes::without_longer_chained_sessions(fixes);
    Report {
        judged: facts.sdk.into_iter().collect(),
        facts,
        expected_runtime_seconds,
        findings,
        fixes,
        verdict,
        others: Vec::new(),
    }
}

/// One answer from the reports of several SDKs over the same machine (`--sdk any`). When
/// they agree (the same source and profile, the same verdict) it is the first, as today;
/// when they differ, the worse report leads and carries the others, so that the verdict is
/// the worse one and the report can say which SDK gets what.
pub fn combine(mut reports: Vec<Report>) -> Report {
    let judged: Vec<Sdk> = reports.iter().filter_map(|r| r.facts.sdk).collect();
    let first = reports.remove(0);
    let agree = reports.iter().all(|r| {
        r.verdict == first.verdict
            && r.facts.credentials.source == first.facts.credentials.source
            && r.facts.credentials.profile == first.facts.credentials.profile
    });
    reports.insert(0, first);
    let lead = reports
        .iter()
        .enumerate()
        .max_by_key(|(i, r)| (r.verdict, std::cmp::Reverse(*i)))
        .map(|(i, _)| i)
        .unwrap_or(0);
    let mut primary = reports.remove(lead);
    primary.judged = judged;
    if !agree {
        primary.others = reports;
    }
    primary
}

impl Report {
    /// The first finding, in pipeline order, that decided the verdict: the cause before its
    /// consequence. A pass is summed up by the expected-runtime answer when there is one.
    pub fn deciding(&self) -> Option<Deciding<'_>> {
        let verdict = self.verdict;
        let decides = |f: &&Finding| match verdict {
            Verdict::Fail => f.status == Status::Fail,
            Verdict::Warn => matches!(f.status, Status::Warn | Status::Error),
            Verdict::Pass => f.status == Status::Pass && f.id == CheckId::ExpectedRuntime,
        };
        let finding = self.findings.iter().find(decides)?;
        let others = self.findings.iter().filter(decides).count() - 1;
        Some(Deciding { finding, others })
    }

    /// The profile of an audit that ran out of time before this one was gathered.
    pub fn not_reached(&self) -> bool {
        self.facts
            .problems
            .iter()
            .any(|p| p.kind == crate::facts::ProblemKind::NotReached)
    }
}

/// An audit of every profile (`check --all-profiles`).
#[derive(Clone, Debug)]
pub struct Fleet {
    /// One report per profile, in profile-name order.
    pub reports: Vec<Report>,
    /// The credential variables exported where the audit ran. A job started there reads them
    /// before any profile (AWS_PROFILE included), so they shadow every row; empty when none
    /// are (or when replaying a saved audit).
    pub shadowed_by: Vec<&'static str>,
}

impl Fleet {
    /// The worst verdict of all profiles, for the exit code.
    pub fn worst(&self) -> Verdict {
        self.reports
            .iter()
            .map(|r| r.verdict)
            .max()
            .unwrap_or(Verdict::Pass)
    }

    /// The profiles the audit judged, in order.
    pub fn reached(&self) -> impl Iterator<Item = &Report> {
        self.reports.iter().filter(|r| !r.not_reached())
    }

    /// The names of the profiles the deadline left unchecked.
    pub fn not_reached(&self) -> Vec<&str> {
        self.reports
            .iter()
            .filter(|r| r.not_reached())
            .map(|r| r.facts.credentials.profile.as_deref().unwrap_or("?"))
            .collect()
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
    use crate::checks::{clock_skew, expected_runtime, identity};

    fn finding(status: Status) -> Finding {
        Finding::new(status, identity::Reason::NotAsked)
    }

    #[test]
    fn verdict_folds_errors_into_warnings() {
        assert_eq!(verdict_of(&[finding(Status::Error)]), Verdict::Warn);
        assert_eq!(
            verdict_of(&[finding(Status::Warn), finding(Status::Fail)]),
            Verdict::Fail
        );
        assert_eq!(verdict_of(&[finding(Status::Skip)]), Verdict::Pass);
    }

    #[test]
    fn exit_codes() {
        assert_eq!(exit_code(Verdict::Pass, true), 0);
        assert_eq!(exit_code(Verdict::Warn, false), 0);
        assert_eq!(exit_code(Verdict::Warn, true), 1);
        assert_eq!(exit_code(Verdict::Fail, false), 1);
    }

    #[test]
    fn the_first_failing_finding_decides_and_fixes_dedupe() {
        let facts = Facts::empty("2026-11-23T13:31:00Z".parse().unwrap());
        let login = Fix::SsoLogin {
            profile: "dev".into(),
        };
        let findings = vec![
            Finding::new(
                Status::Warn,
                clock_skew::Reason::NotMeasured { no_ntp: true },
            )
            .fix(login.clone()),
            Finding::new(Status::Fail, expected_runtime::Reason::NoCredentials)
                .fix(login)
                .fix(Fix::SyncClock),
            Finding::new(Status::Fail, identity::Reason::NotAsked),
        ];
        let r = build(facts, Some(21_600), findings);
        let d = r.deciding().unwrap();
        assert_eq!((d.finding.id, d.others), (CheckId::ExpectedRuntime, 1));
        assert_eq!(r.fixes.len(), 2);
    }
}
