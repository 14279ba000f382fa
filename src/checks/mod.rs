//! The diagnosis, as an ordered list of small pure functions over [`Facts`].
//!
//! Each check lives in its own file, named for its id, and answers one question. A check
//! never errors and never panics: a missing fact gives `skip` (with the reason) or `warn`.
//! `ALL` is the pipeline order; the report always lists every check in that order. To add a
//! check: one file, one line in `ALL`, one `Doc` beside the code (a test forces it).

use crate::facts::Facts;
use crate::fixes::Fix;
use chrono::TimeDelta;
use serde::{Deserialize, Serialize};
use std::fmt;

pub mod clock_skew;
pub mod credential_source;
pub mod expected_runtime;
pub mod expiration;
pub mod identity;
pub mod session_limit;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CheckId {
    CredentialSource,
    Identity,
    Expiration,
    SessionLimit,
    ExpectedRuntime,
    ClockSkew,
}

impl CheckId {
    pub fn as_str(self) -> &'static str {
        match self {
            CheckId::CredentialSource => "credential-source",
            CheckId::Identity => "identity",
            CheckId::Expiration => "expiration",
            CheckId::SessionLimit => "session-limit",
            CheckId::ExpectedRuntime => "expected-runtime",
            CheckId::ClockSkew => "clock-skew",
        }
    }
}

impl fmt::Display for CheckId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// `error` means a probe broke; it counts as `warn` in the verdict and says why.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    Pass,
    Warn,
    Fail,
    Skip,
    Error,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Warn => "warn",
            Status::Fail => "fail",
            Status::Skip => "skip",
            Status::Error => "error",
        }
    }

    /// flutter doctor's marks: ✓ fine, ! look at this, ✗ broken, – not run.
    pub fn mark(self) -> &'static str {
        match self {
            Status::Pass => "✓",
            Status::Warn | Status::Error => "!",
            Status::Fail => "✗",
            Status::Skip => "–",
        }
    }
}

/// What a check concluded.
#[derive(Clone, Debug, PartialEq)]
pub struct Finding {
    pub id: CheckId,
    pub status: Status,
    /// One line: the answer to the check's question.
    pub summary: String,
    /// Supporting facts and caveats, one per line.
    pub details: Vec<String>,
    pub fixes: Vec<Fix>,
}

impl Finding {
    pub fn new(id: CheckId, status: Status, summary: impl Into<String>) -> Self {
        Finding {
            id,
            status,
            summary: summary.into(),
            details: Vec::new(),
            fixes: Vec::new(),
        }
    }

    pub fn detail(mut self, line: impl Into<String>) -> Self {
        self.details.push(line.into());
        self
    }

    pub fn details(mut self, lines: impl IntoIterator<Item = String>) -> Self {
        self.details.extend(lines);
        self
    }

    pub fn fix(mut self, fix: Fix) -> Self {
        self.fixes.push(fix);
        self
    }
}

/// What the user asked about, as opposed to what gathering found.
#[derive(Clone, Debug, PartialEq)]
pub struct Options {
    pub expected_runtime: Option<TimeDelta>,
    pub margin: TimeDelta,
    pub max_clock_skew: TimeDelta,
    /// The zone findings show times in (UTC for JSON, the user's for the table).
    pub zone: crate::human::Zone,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            expected_runtime: None,
            margin: TimeDelta::minutes(5),
            max_clock_skew: TimeDelta::seconds(30),
            zone: crate::human::Zone::Utc,
        }
    }
}

/// `explain`'s text for a check, written beside the check itself.
pub struct Doc {
    pub what: &'static str,
    pub why: &'static str,
    pub fix: &'static str,
}

pub struct Check {
    pub id: CheckId,
    pub question: &'static str,
    pub run: fn(&Facts, &Options) -> Finding,
    pub doc: &'static Doc,
}

/// The diagnosis, in pipeline order.
pub const ALL: &[Check] = &[
    Check {
        id: CheckId::CredentialSource,
        question: "Which provider in the default chain serves credentials, and will the SDK refresh them?",
        run: credential_source::check,
        doc: &credential_source::DOC,
    },
    Check {
        id: CheckId::Identity,
        question: "Does sts:GetCallerIdentity accept them, and whose are they?",
        run: identity::check,
        doc: &identity::DOC,
    },
    Check {
        id: CheckId::Expiration,
        question: "When do they expire, and how do we know?",
        run: expiration::check,
        doc: &expiration::DOC,
    },
    Check {
        id: CheckId::SessionLimit,
        question: "What session length can the role give: MaxSessionDuration, chaining, duration_seconds?",
        run: session_limit::check,
        doc: &session_limit::DOC,
    },
    Check {
        id: CheckId::ExpectedRuntime,
        question: "Do the credentials, refreshed or not, cover now + runtime + margin?",
        run: expected_runtime::check,
        doc: &expected_runtime::DOC,
    },
    Check {
        id: CheckId::ClockSkew,
        question: "Is the local clock close enough to NTP and to AWS's clock?",
        run: clock_skew::check,
        doc: &clock_skew::DOC,
    },
];

/// Runs every check, in order.
pub fn run_all(facts: &Facts, opts: &Options) -> Vec<Finding> {
    ALL.iter()
        .map(|c| {
            let f = (c.run)(facts, opts);
            debug_assert_eq!(f.id, c.id, "check registered under the wrong id");
            f
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_in_design_order_and_documented() {
        let ids: Vec<&str> = ALL.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "credential-source",
                "identity",
                "expiration",
                "session-limit",
                "expected-runtime",
                "clock-skew"
            ]
        );
        for c in ALL {
            assert_eq!(serde_json::to_value(c.id).unwrap(), c.id.as_str());
            assert!(!c.doc.what.is_empty() && !c.doc.why.is_empty() && !c.doc.fix.is_empty());
        }
    }

    #[test]
    fn every_check_runs_on_empty_facts_without_panicking() {
        let facts = Facts::empty("2026-11-23T08:00:00Z".parse().unwrap());
        let findings = run_all(&facts, &Options::default());
        assert_eq!(findings.len(), ALL.len());
        for (f, c) in findings.iter().zip(ALL) {
            assert_eq!(f.id, c.id);
        }
    }
}

#[cfg(test)]
mod fixture_tests;
