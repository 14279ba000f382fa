//! `check`: the whole pipeline in one place.
//!
//! ```text
//! flags ──▶ gather (I/O, deadline) ──▶ Facts ──▶ checks (pure) ──▶ Report ──▶ render
//!           or --facts replay
//! ```
//!
//! Everything before this file parses input; everything after it prints. The deadline starts
//! here, after argument parsing, and bounds every probe. `--all-profiles` runs the same
//! pipeline once per profile, concurrently, under one deadline.

use super::{Output, Terminal};
use crate::checks::{self, Options};
use crate::cli::{CheckArgs, FailOn, OutputFormat, SdkArg};
use crate::env::Env;
use crate::facts::{Facts, Problem, ProblemKind, Sdk};
use crate::gather::{self, Request};
use crate::render::{self, text::Zone};
use crate::replay;
use crate::verdict::{self, Fleet, Report};
use chrono::TimeDelta;
use std::sync::Arc;
use tokio::time::Instant;

/// A failure that is the user's input, not the environment's: exit 2.
#[derive(Debug)]
pub struct UsageError(pub String);

/// At most this many profiles are gathered at once: enough to finish 40 SSO profiles well
/// within the deadline, few enough not to look like an attack on the SSO portal.
pub const PROFILE_PARALLELISM: usize = 8;

/// `expiry-doctor check`: the report in the format asked for, and the exit code.
pub async fn run(args: &CheckArgs, env: &Env, term: &Terminal) -> Output {
    // People read the table in their own zone; machines read UTC.
    let zone = match args.output {
        OutputFormat::Table => Zone::Local(env.zone()),
        _ => Zone::Utc,
    };
    let fail_on_warn = args.fail_on == FailOn::Warn;
    if args.all_profiles {
        return match check_all_profiles(args, env).await {
            Ok(fleet) => Output::stdout(
                match args.output {
                    OutputFormat::Json => render::json::render_all(&fleet.reports),
                    OutputFormat::Markdown => render::fleet::markdown(&fleet),
                    OutputFormat::Github => render::fleet::github(&fleet),
                    OutputFormat::Table => render::fleet::table(
                        &fleet,
                        render::fleet::FleetStyle {
                            table: render::table::TableStyle {
                                color: term.stdout_color,
                                wrap: term.stdout_is_terminal,
                                zone,
                                verbose: args.verbose,
                            },
                            quiet: args.quiet,
                        },
                    ),
                },
                verdict::exit_code(fleet.worst(), fail_on_warn),
            )
            .github(args.output == OutputFormat::Github),
            Err(UsageError(msg)) => Output::error(&msg, 2),
        };
    }
    match check(args, env).await {
        Ok(report) => {
            let color = term.stdout_color;
            let text = match args.output {
                OutputFormat::Json => render::json::render(&report),
                OutputFormat::Markdown => render::markdown::render(&report),
                OutputFormat::Github => render::github::render(&report),
                OutputFormat::Table if args.quiet => render::table::headline(&report, zone, color),
                OutputFormat::Table => render::table::render(
                    &report,
                    render::table::TableStyle {
                        color,
                        wrap: term.stdout_is_terminal,
                        zone,
                        verbose: args.verbose,
                    },
                ),
            };
            Output::stdout(text, verdict::exit_code(report.verdict, fail_on_warn))
                .github(args.output == OutputFormat::Github)
        }
        Err(UsageError(msg)) => Output::error(&msg, 2),
    }
}

/// The report of one run: gathered (or replayed) facts through every check.
pub async fn check(args: &CheckArgs, env: &Env) -> Result<Report, UsageError> {
    let deadline = Instant::now() + args.timeout;
    let (facts, saved_runtime) = match &args.facts {
        Some(path) => {
            let (mut facts, saved) = replay::load(path, args.profile.as_deref(), within(args))
                .await
                .map_err(UsageError)?;
            if let Some(arn) = &args.role_arn {
                gather::plan_role(&mut facts, arn);
            }
            gather::apply_max_session_flag(
                &mut facts,
                args.max_session_duration.map(|d| d.as_secs() as i64),
            );
            (facts, saved)
        }
        None => {
            let sdks = sdk_choice(args).sdks();
            let mut req = request(args, args.profile.clone(), deadline, false);
            // The files, parsed once for every SDK judged, within the deadline.
            let python = sdks.contains(&Sdk::Python);
            match gather::parse_within(env, args.profile.clone(), python, deadline).await {
                Some(parsed) => req.parsed = Some(parsed),
                None => {
                    let reports = sdks
                        .iter()
                        .map(|&sdk| {
                            let mut facts = cut_short(env, &req, args);
                            facts.sdk = Some(sdk);
                            evaluate(facts, None, args)
                        })
                        .collect();
                    return Ok(verdict::combine(reports));
                }
            }
            let reports = gather_sdks_within(env, &req, sdks, args)
                .await
                .into_iter()
                .map(|facts| evaluate(facts, None, args))
                .collect();
            return Ok(verdict::combine(reports));
        }
    };
    Ok(evaluate(facts, saved_runtime, args))
}

/// A `--facts` stream (stdin, a pipe) is read within `--timeout`, from now.
fn within(args: &CheckArgs) -> replay::Within {
    replay::Within {
        deadline: Instant::now() + args.timeout,
        timeout: args.timeout,
    }
}

/// `--sdk`, `any` when not given.
pub fn sdk_choice(args: &CheckArgs) -> SdkArg {
    args.sdk.unwrap_or(SdkArg::Any)
}

/// The checks over gathered or replayed facts.
fn evaluate(mut facts: Facts, saved_runtime: Option<i64>, args: &CheckArgs) -> Report {
    facts.redact_messages();
    let expected_runtime_seconds = args
        .expected_runtime
        .map(|d| d.as_secs() as i64)
        .or(saved_runtime);
    let opts = Options {
        expected_runtime: expected_runtime_seconds.map(TimeDelta::seconds),
        // Bounded by the flags (24h, 5m); a value beyond TimeDelta's range could not be.
        margin: TimeDelta::from_std(args.margin).unwrap_or(TimeDelta::MAX),
        max_clock_skew: TimeDelta::from_std(args.max_clock_skew).unwrap_or(TimeDelta::MAX),
    };
    let findings = checks::run_all(&facts, &opts);
    verdict::build(facts, expected_runtime_seconds, findings)
}

fn request(
    args: &CheckArgs,
    profile: Option<String>,
    deadline: Instant,
    profile_only: bool,
) -> Request {
    Request {
        profile,
        region: args.region.clone(),
        role_arn: args.role_arn.clone(),
        max_session_duration_seconds: args.max_session_duration.map(|d| d.as_secs() as i64),
        offline: args.offline,
        // The clock is the machine's: in an audit it is measured once, not per profile.
        ntp_server: (!args.no_ntp && !args.offline && !profile_only)
            .then(|| args.ntp_server.clone()),
        deadline,
        profile_only,
        credentials_only: false,
        parsed: None,
        held: None,
        sdk: Sdk::Rust,
        helpers: if args.no_credential_process {
            gather::credential_process::Helpers::NotRun
        } else {
            gather::credential_process::Helpers::Run
        },
    }
}

/// `exec`'s watch: the credentials the job would get right now (source, expiry, whether they
/// refresh) and nothing else, within `--timeout`, as the job's own environment sees them,
/// asked of the one provider instance `held` keeps across observations.
pub async fn observe_credentials(
    args: &CheckArgs,
    env: &Env,
    sdk: Sdk,
    held: &Arc<gather::live::sdk::Held>,
) -> Facts {
    let env = env.renewed();
    let deadline = Instant::now() + args.timeout;
    let mut req = request(args, args.profile.clone(), deadline, false);
    req.ntp_server = None;
    req.role_arn = None;
    req.credentials_only = true;
    req.held = Some(held.clone());
    req.sdk = sdk;
    gather_within(&env, &req, args).await
}

/// The credential variables that, exported, make the SDKs' default chain stop at the
/// environment whatever profile is selected: a key id with its secret (and the token beside).
fn shadowing(env: &Env) -> Vec<&'static str> {
    let key = env.var("AWS_ACCESS_KEY_ID").is_some();
    let secret = ["AWS_SECRET_ACCESS_KEY", "SECRET_ACCESS_KEY"]
        .into_iter()
        .find(|v| env.var(v).is_some());
    match (key, secret) {
        (true, Some(secret)) => {
            let mut vars = vec!["AWS_ACCESS_KEY_ID", secret];
            if env.var("AWS_SESSION_TOKEN").is_some() {
                vars.push("AWS_SESSION_TOKEN");
            }
            vars
        }
        _ => Vec::new(),
    }
}

/// `--all-profiles`: every profile of the config, as a job that selects it (and exports
/// nothing) would see it; concurrently, at most `PROFILE_PARALLELISM` at a time, all under one
/// deadline; the clock measured once for all. Reports in profile-name order. With `--facts`,
/// a saved audit replayed.
pub async fn check_all_profiles(args: &CheckArgs, env: &Env) -> Result<Fleet, UsageError> {
    if let Some(path) = &args.facts {
        let reports = replay::load_all(path, within(args))
            .await
            .map_err(UsageError)?
            .into_iter()
            .map(|(facts, saved)| evaluate(facts, saved, args))
            .collect();
        return Ok(Fleet {
            reports,
            shadowed_by: Vec::new(),
        });
    }
    let deadline = Instant::now() + args.timeout;
    let clean = env.without_exported_credentials();
    // The files are read and parsed once, within the deadline; every profile is resolved
    // from that one parse.
    let sdks = sdk_choice(args).sdks();
    let Some(parsed) = gather::parse_within(&clean, None, true, deadline).await else {
        return Err(UsageError(format!(
            "--all-profiles: the AWS config files could not be parsed within --timeout {}",
            humantime::format_duration(args.timeout)
        )));
    };
    let mut names: Vec<String> = parsed
        .loaded
        .set
        .as_ref()
        .map(|s| s.profiles().map(str::to_string).collect())
        .unwrap_or_default();
    names.sort();
    if sdks.contains(&Sdk::Python) {
        names.extend(parsed.python.profile_names().map(str::to_string));
        names.sort();
        names.dedup();
    }
    let problems = &parsed.problems;
    if names.is_empty() {
        let why = problems
            .first()
            .map(|p| format!(": {}", render::text::problem(p)))
            .unwrap_or_default();
        return Err(UsageError(format!(
            "--all-profiles: no profiles to check in the AWS config files{why}"
        )));
    }

    let clock = async {
        match (!args.no_ntp && !args.offline).then(|| args.ntp_server.clone()) {
            Some(server) => Some(gather::live::ntp::measure(&server, deadline).await),
            None => None,
        }
    };
    let limit = Arc::new(tokio::sync::Semaphore::new(PROFILE_PARALLELISM));
    let each = names.iter().map(|name| {
        let limit = limit.clone();
        let clean = &clean;
        let parsed = parsed.clone();
        async move {
            let _slot = limit
                .acquire()
                .await
                .expect("the semaphore is never closed");
            // The deadline is checked between profiles: one not reached in time is said so,
            // and the run still ends on time.
            if Instant::now() >= deadline {
                return vec![not_reached(clean, name, args.offline, args.timeout)];
            }
            let mut req = request(args, Some(name.clone()), deadline, true);
            req.parsed = Some(parsed);
            gather_sdks_within(clean, &req, sdks, args).await
        }
    });
    let (all_facts, clock) = tokio::join!(futures_util::future::join_all(each), clock);

    let reports = all_facts
        .into_iter()
        .zip(&names)
        .map(|(each, name)| {
            let reports = each
                .into_iter()
                .map(|facts| audited(facts, name, clock.as_ref(), args))
                .collect();
            verdict::combine(reports)
        })
        .collect();
    Ok(Fleet {
        reports,
        shadowed_by: shadowing(env),
    })
}

/// One profile's facts in an audit, with the clock measured once for all, evaluated.
/// The clock, measured once for a whole audit.
type Measured = (
    Result<gather::live::ntp::Measurement, crate::facts::ProbeError>,
    crate::facts::Probe,
);

/// One profile's facts in an audit, with the clock measured once for all, evaluated.
fn audited(mut facts: Facts, name: &str, clock: Option<&Measured>, args: &CheckArgs) -> Report {
    // In an audit the profile is the subject, whatever it resolves to.
    facts
        .credentials
        .profile
        .get_or_insert_with(|| name.to_string());
    if let Some((result, probe)) = clock {
        facts.clock.ntp_server = Some(args.ntp_server.clone());
        if let Ok(m) = result {
            facts.clock.ntp_offset_seconds = Some(m.offset_seconds);
            facts.clock.ntp_delay_seconds = Some(m.delay_seconds);
            facts.clock.ntp_stratum = Some(m.stratum);
        }
        facts.probes.push(probe.clone());
    }
    evaluate(facts, None, args)
}

/// A profile the audit did not reach before the deadline: nothing gathered, and said so.
fn not_reached(env: &Env, profile: &str, offline: bool, timeout: std::time::Duration) -> Facts {
    let mut facts = Facts::empty(env.now());
    facts.offline = offline;
    facts.credentials.profile = Some(profile.to_string());
    facts.problems.push(Problem::new(
        ProblemKind::NotReached,
        format!("--timeout {}", humantime::format_duration(timeout)),
        "the audit ran out of time before this profile",
    ));
    facts
}

/// Every probe has its own deadline, and gathering keeps the local facts when the live probes
/// overrun; this is the backstop that keeps the promise of `--timeout` (the run ends within it
/// plus half a second) even if a local step forgets.
async fn gather_within(env: &Env, req: &Request, args: &CheckArgs) -> Facts {
    let backstop = req.deadline + gather::LIVE_GRACE * 2;
    match tokio::time::timeout_at(backstop, gather::gather(env, req)).await {
        Ok(facts) => facts,
        Err(_) => cut_short(env, req, args),
    }
}

/// The facts of a gathering the backstop cut short.
fn cut_short(env: &Env, req: &Request, args: &CheckArgs) -> Facts {
    let mut facts = Facts::empty(env.now());
    facts.offline = args.offline;
    facts.sdk = Some(req.sdk);
    facts.credentials.profile = req.profile.clone();
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

/// [`gather_within`] for each SDK judged: the local facts of each, the live probes once for
/// SDKs that see the machine alike.
async fn gather_sdks_within(
    env: &Env,
    req: &Request,
    sdks: &[Sdk],
    args: &CheckArgs,
) -> Vec<Facts> {
    let backstop = req.deadline + gather::LIVE_GRACE * 2;
    match tokio::time::timeout_at(backstop, gather::gather_sdks(env, req, sdks)).await {
        Ok(all) => all,
        Err(_) => sdks
            .iter()
            .map(|&sdk| {
                let mut facts = cut_short(env, req, args);
                facts.sdk = Some(sdk);
                facts
            })
            .collect(),
    }
}
