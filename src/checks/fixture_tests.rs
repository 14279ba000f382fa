//! Every check over the Facts fixtures in `fixtures/examples` (real reports, see
//! `scripts/regenerate-fixtures`), with the runtime varied: the rules as a table.

use super::{Options, Status, run_all};
use crate::facts::Facts;
use crate::fixes::FixId;
use chrono::TimeDelta;

fn fixture(name: &str) -> Facts {
    let path = format!(
        "{}/fixtures/examples/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    crate::replay::parse(&bytes)
        .unwrap_or_else(|e| panic!("{path}: {e}"))
        .0
}

use Status::{Fail as F, Pass as P, Skip as S, Warn as W};

/// (fixture, runtime in minutes, statuses in pipeline order, first fix)
const CASES: &[(&str, i64, [Status; 6], Option<FixId>)] = &[
    (
        "no-credentials",
        360,
        [F, S, S, S, S, S],
        Some(FixId::ConfigureCredentials),
    ),
    ("long-term-keys", 360, [P, S, P, S, P, S], None),
    ("long-term-keys", 60 * 24 * 30, [P, S, P, S, P, S], None),
    (
        "exported-expiring",
        360,
        [P, S, P, S, F, S],
        Some(FixId::UseRefreshingProfile),
    ),
    ("exported-expiring", 20, [P, S, P, S, P, S], None),
    // 31 minutes left: a 27-minute job plus the 5-minute margin does not fit.
    (
        "exported-expiring",
        27,
        [P, S, P, S, F, S],
        Some(FixId::UseRefreshingProfile),
    ),
    ("exported-8h", 360, [P, S, P, S, P, S], None),
    (
        "exported-8h",
        540,
        [P, S, P, S, F, S],
        Some(FixId::UseRefreshingProfile),
    ),
    (
        "exported-8h",
        60 * 14,
        [P, S, P, S, F, S],
        Some(FixId::UseRefreshingProfile),
    ),
    (
        "exported-no-expiry",
        360,
        [P, S, W, S, W, S],
        Some(FixId::RecordExpiration),
    ),
    (
        "shadowed-profile",
        360,
        [P, S, P, S, F, S],
        Some(FixId::UseRefreshingProfile),
    ),
    ("saml2aws", 30, [P, S, P, S, P, S], None),
    (
        "saml2aws",
        360,
        [P, S, P, S, F, S],
        Some(FixId::UseRefreshingProfile),
    ),
    ("assume-role", 360, [P, S, P, S, P, S], None),
    ("assume-role", 60 * 20, [P, S, P, S, P, S], None),
    (
        "chained-duration",
        360,
        [P, S, P, F, P, S],
        Some(FixId::DeleteDurationSeconds),
    ),
    ("credential-process", 360, [P, S, P, S, P, S], None),
    (
        "sso-expired",
        360,
        [F, S, F, P, F, S],
        Some(FixId::SsoLogin),
    ),
    ("sso-expired", 10, [F, S, F, P, F, S], Some(FixId::SsoLogin)),
    (
        "clock-skewed",
        360,
        [P, P, P, S, P, F],
        Some(FixId::SyncClock),
    ),
];

#[test]
fn every_check_over_every_fixture() {
    for (name, minutes, want, first_fix) in CASES {
        let facts = fixture(name);
        let opts = Options {
            expected_runtime: Some(TimeDelta::minutes(*minutes)),
            ..Options::default()
        };
        let findings = run_all(&facts, &opts);
        let got: Vec<Status> = findings.iter().map(|f| f.status).collect();
        assert_eq!(got, want, "{name} at {minutes}m: {findings:#?}");
        let fix = findings
            .iter()
            .flat_map(|f| f.fixes.iter())
            .next()
            .map(|f| f.id());
        assert_eq!(fix, *first_fix, "{name} at {minutes}m");
        for f in &findings {
            let kind = f.reason.kind();
            assert!(
                f.id.reason_kinds().contains(&kind.as_str()),
                "{name}: {} gave the reason kind {kind}, not among {:?}",
                f.id,
                f.id.reason_kinds()
            );
        }
    }
}

#[test]
fn clock_skew_thresholds() {
    let mut facts = fixture("clock-skewed");
    let opts = Options::default();
    let at = |f: &Facts| run_all(f, &opts)[5].status;
    facts.clock.ntp_offset_seconds = Some(0.004);
    facts.clock.aws_offset_seconds = Some(-1.0);
    assert_eq!(at(&facts), P);
    facts.clock.ntp_offset_seconds = Some(-45.0);
    assert_eq!(at(&facts), W);
    facts.clock.aws_offset_seconds = Some(300.0);
    assert_eq!(at(&facts), F);
    let loose = Options {
        max_clock_skew: TimeDelta::seconds(60),
        ..Options::default()
    };
    facts.clock.aws_offset_seconds = None;
    assert_eq!(run_all(&facts, &loose)[5].status, P);
}

#[test]
fn the_margin_is_honoured() {
    let facts = fixture("exported-expiring");
    // 31 minutes left; 20 minutes of job fits with a 5-minute margin but not a 15-minute one.
    let tight = Options {
        expected_runtime: Some(TimeDelta::minutes(20)),
        margin: TimeDelta::minutes(15),
        ..Options::default()
    };
    assert_eq!(run_all(&facts, &tight)[4].status, F);
}
