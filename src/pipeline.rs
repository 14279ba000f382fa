//! The whole `check` pipeline in one place:
//!
//! ```text
//! flags ──▶ gather (I/O, deadline) ──▶ Facts ──▶ checks (pure) ──▶ Report ──▶ render
//!           or --facts replay
//! ```
//!
//! Everything before this file parses input; everything after it prints. The deadline starts
//! here, after argument parsing, and bounds every probe.

use crate::checks::{self, Options};
use crate::cli::CheckArgs;
use crate::env::Env;
use crate::facts::{Facts, Problem, ProblemKind};
use crate::gather::{self, Request};
use crate::replay;
use crate::verdict::{self, Report};
use chrono::TimeDelta;
use tokio::time::Instant;

/// A failure that is the user's input, not the environment's: exit 2.
#[derive(Debug)]
pub struct UsageError(pub String);

/// `zone`: the zone findings show times in (the caller picks UTC for machine formats).
pub async fn check(
    args: &CheckArgs,
    env: &Env,
    zone: crate::human::Zone,
) -> Result<Report, UsageError> {
    let deadline = Instant::now() + args.timeout;
    let (facts, saved_runtime) = match &args.facts {
        Some(path) => {
            let (mut facts, saved) = replay::load(path).map_err(UsageError)?;
            if let Some(arn) = &args.role_arn {
                gather::plan_role(&mut facts, arn);
            }
            gather::apply_max_session_flag(
                &mut facts,
                args.max_session_duration.map(|d| d.as_secs() as i64),
            );
            (facts, saved)
        }
        None => (gather_within(env, args, deadline).await, None),
    };
    let expected_runtime_seconds = args
        .expected_runtime
        .map(|d| d.as_secs() as i64)
        .or(saved_runtime);
    let opts = Options {
        expected_runtime: expected_runtime_seconds.map(TimeDelta::seconds),
        margin: TimeDelta::seconds(args.margin.as_secs() as i64),
        max_clock_skew: TimeDelta::milliseconds(args.max_clock_skew.as_millis() as i64),
        zone,
    };
    let findings = checks::run_all(&facts, &opts);
    Ok(verdict::build(facts, expected_runtime_seconds, findings))
}

/// Every probe has its own deadline; this is the backstop that keeps the promise of
/// `--timeout` even if one of them forgets.
async fn gather_within(env: &Env, args: &CheckArgs, deadline: Instant) -> Facts {
    let req = Request {
        profile: args.profile.clone(),
        region: args.region.clone(),
        role_arn: args.role_arn.clone(),
        max_session_duration_seconds: args.max_session_duration.map(|d| d.as_secs() as i64),
        offline: args.offline,
        ntp_server: (!args.no_ntp && !args.offline).then(|| args.ntp_server.clone()),
        deadline,
    };
    match tokio::time::timeout_at(deadline, gather::gather(env, &req)).await {
        Ok(facts) => facts,
        Err(_) => {
            let mut facts = Facts::empty(env.now());
            facts.offline = args.offline;
            facts.problems.push(Problem::new(
                ProblemKind::Deadline,
                "gathering",
                format!(
                    "did not finish within --timeout {}",
                    humantime::format_duration(args.timeout)
                ),
            ));
            facts
        }
    }
}
