//! `exec`: the advice every post-mortem of a mid-run `ExpiredToken` ends with ("check before
//! you start, log the credentials' expiry during the job, compare the failure time with it"),
//! done around the job itself. The whole flow:
//!
//! ```text
//! gate (the check pipeline) ─▶ start the job ─▶ ┬ watch: observe its credentials, warn once
//!                                               ├ tee: its stderr through, classified
//!                                               └ wait for it (signals passed on)
//!                           ─▶ diagnosis when it failed ─▶ record (--report)
//! ```
//!
//! stdout is never written: it is the job's. Everything of ours goes to stderr (or the watch
//! log), one line at a time, never inside a line of the job's.

pub mod job;
pub mod sdk;
pub mod tee;

use super::{Output, Terminal};
use crate::cli::{ExecArgs, FailOn, OutputFormat};
use crate::commands::check;
use crate::env::Env;
use crate::facts::Facts;
use crate::record::{NotStarted, Run};
use crate::render;
use crate::render::text::Zone;
use crate::triage::diagnose;
use crate::triage::scan::Scan;
use crate::verdict;
use crate::watch::{self, Observation};
use chrono::{DateTime, TimeDelta, Utc};
use std::io::Write;
use std::sync::Arc;
use std::time::Duration;

/// How long the diagnosis waits for the job's stderr to end after the job did.
const STDERR_GRACE: Duration = Duration::from_secs(1);

/// Runs the whole flow; the exit code is the job's, or 1/126/127 when it never ran.
pub async fn run(args: &ExecArgs, env: &Env, term: &Terminal) -> Output {
    if let Err(msg) = validate(args) {
        return Output::error(&msg, 2);
    }
    let color = term.stderr_color;
    let out = Arc::new(tee::SharedStderr::new());
    let quiet = args.check.quiet;
    let clock = env.clock().clone();
    let mut watch_log = match &args.watch_log {
        Some(path) => match std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
        {
            Ok(file) => Some(file),
            Err(e) => return Output::error(&format!("--watch-log {}: {e}", path.display()), 2),
        },
        None => None,
    };
    // The record is written at the end; whether it can be is known before the job starts.
    let report = match &args.report {
        Some(path) => match std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(false)
            .open(path)
        {
            Ok(file) => Some(Report { path, file }),
            Err(e) => return Output::error(&format!("--report {}: {e}", path.display()), 2),
        },
        None => None,
    };

    // 1. The gate: the same diagnosis as `check`, for the SDK the job runs when its command
    // says which. People read its lines in their own zone.
    let zone = Zone::Local(env.zone());
    let mut check_args = args.check.clone();
    if check_args.sdk.is_none()
        && let Some(inferred) = sdk::infer(&args.job)
    {
        check_args.sdk = Some(inferred.sdk);
        if !quiet {
            out.line(&render::exec::sdk_inferred(&inferred.because));
        }
    }
    let gate = match check::check(&check_args, env).await {
        Ok(gate) => gate,
        Err(check::UsageError(m)) => return Output::error(&m, 2),
    };
    let gate_passed = verdict::exit_code(gate.verdict, args.check.fail_on == FailOn::Warn) == 0;
    let mut run = Run {
        command: crate::redact::argv(
            &args
                .job
                .iter()
                .map(|a| a.to_string_lossy().into_owned())
                .collect::<Vec<_>>(),
        ),
        gate_passed,
        gate_enforced: !args.no_gate,
        not_started: None,
        started_at: None,
        ended_at: clock.now(),
        exit_code: 1,
        signal: None,
        expected_end: None,
        observations: Vec::new(),
        ran_out: None,
        stderr: Scan::default(),
        diagnosis: None,
        gate,
    };
    if gate_passed {
        if !quiet {
            out.line(&render::exec::gate_passed(&run.gate, zone, color));
        }
    } else {
        let style = render::table::TableStyle {
            color,
            wrap: term.stderr_is_terminal,
            zone,
            verbose: args.check.verbose,
        };
        out.line(&render::exec::gate_failed(&run.gate, style, args.no_gate));
        if !args.no_gate {
            run.not_started = Some(NotStarted::GateFailed);
            return finish(report, run, &out);
        }
    }

    // 2. The job.
    let started = match job::start(&args.job) {
        Ok(s) => s,
        Err(e) => {
            out.line(&render::exec::could_not_start(&e.message));
            run.not_started = Some(NotStarted::CouldNotStart { message: e.message });
            run.exit_code = e.code;
            return finish(report, run, &out);
        }
    };
    let started_at = clock.now();
    run.started_at = Some(started_at);
    run.expected_end = args
        .check
        .expected_runtime
        .and_then(|d| TimeDelta::from_std(d).ok())
        .and_then(|d| started_at.checked_add_signed(d));
    let tee = tee::start(started.stderr, out.clone(), clock.clone());
    let mut child = started.child;
    let (done_tx, mut done) = tokio::sync::oneshot::channel();
    std::thread::spawn(move || {
        let _ = done_tx.send(child.wait());
    });

    // 3. Watch until the job ends.
    let interval = TimeDelta::from_std(args.watch_interval).unwrap_or(TimeDelta::minutes(5));
    // One provider instance for the whole run, as the job's SDK keeps one; and credentials it
    // would still hold are not asked for again (which would mint a session it never sees).
    let held = Arc::new(crate::gather::live::sdk::Held::default());
    let watched_sdk = run.gate.facts.sdk.unwrap_or_default();
    let status = loop {
        let previous = run.observations.last().cloned();
        let obs = match previous
            .as_ref()
            .and_then(|p| watch::held(p, clock.now(), watched_sdk))
        {
            Some(obs) => obs,
            None => {
                let observed = tokio::select! {
                    status = &mut done => break status,
                    facts = check::observe_credentials(&check_args, env, watched_sdk, &held) => facts,
                };
                watch::observe(&observed, previous.as_ref())
            }
        };
        let line = render::exec::watch_line(&obs);
        match &mut watch_log {
            Some(file) => {
                let _ = file.write_all(line.as_bytes());
            }
            None if !quiet => out.line(&line),
            None => {}
        }
        if run.ran_out.is_none() && watch::runs_out(&obs, run.expected_end) {
            out.line(&render::exec::runs_out_warning(
                &obs,
                run.expected_end,
                &run.gate,
                zone,
                color,
            ));
            run.ran_out = Some(obs.clone());
        }
        let wake = watch::next_wake(clock.now(), interval, obs.expires_at);
        run.observations.push(obs);
        let sleep = (wake - clock.now()).to_std().unwrap_or_default();
        tokio::select! {
            status = &mut done => break status,
            _ = tokio::time::sleep(sleep) => {}
        }
    };
    job::ended();
    crate::gather::credential_process::stop_all();
    run.ended_at = clock.now();
    let status = match status {
        Ok(Ok(s)) => s,
        _ => {
            out.line(&render::exec::lost());
            run.exit_code = 1;
            return finish(report, run, &out);
        }
    };
    run.exit_code = job::exit_code(status);
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        run.signal = status.signal();
    }
    run.stderr = tee.finish(STDERR_GRACE);

    // 4. When it failed: why, as far as its stderr and the observations tell.
    if run.exit_code != 0 {
        let expires_at = expiry_in_effect(&run.observations, &run.stderr, &run.gate.facts);
        let opts = diagnose::Options {
            started_at: Some(started_at),
            expires_at,
            max_session_seconds: run.gate.facts.session_limit.max_session_duration_seconds,
        };
        run.stderr.first_time = Some(started_at);
        run.diagnosis = Some(diagnose::diagnose(&run.stderr, &opts));
        out.line(&render::exec::failure(&run, zone));
    }
    finish(report, run, &out)
}

fn validate(args: &ExecArgs) -> Result<(), String> {
    let c = &args.check;
    if c.all_profiles {
        return Err(
            "exec checks the credentials the job will use; --all-profiles is for `check`".into(),
        );
    }
    if c.facts.is_some() {
        return Err(
            "exec gates on the credentials of this run; --facts replays are for `check`".into(),
        );
    }
    match (c.output, &args.report) {
        (OutputFormat::Json, None) => Err(
            "--output json writes the record to --report FILE (stdout is the job's); give --report"
                .into(),
        ),
        (OutputFormat::Markdown | OutputFormat::Github, _) => Err(
            "exec writes lines for people on stderr (--output table) or a JSON record (--output json --report FILE)"
                .into(),
        ),
        _ => Ok(()),
    }
}

/// The expiry that applied when the job first failed (see [`watch::in_effect`]), else the
/// pre-flight's.
fn expiry_in_effect(
    observations: &[Observation],
    stderr: &Scan,
    gate: &Facts,
) -> Option<DateTime<Utc>> {
    let failed_at = stderr
        .events
        .iter()
        .find(|e| diagnose::is_failure_class(e.class))
        .and_then(|e| e.timestamp);
    watch::in_effect(observations, failed_at)
        .and_then(|o| o.expires_at)
        .or(gate.credentials.expires_at)
}

/// `--report FILE`, opened (so known writable) before the job starts.
struct Report<'a> {
    path: &'a std::path::Path,
    file: std::fs::File,
}

fn finish(report: Option<Report<'_>>, run: Run, out: &tee::SharedStderr) -> Output {
    if let Some(Report { path, mut file }) = report {
        let text = render::exec::record(&run);
        let written = file
            .set_len(0)
            .and_then(|_| file.write_all(text.as_bytes()))
            .and_then(|_| file.flush());
        if let Err(e) = written {
            out.line(&render::exec::report_not_written(path, &e));
        }
    }
    Output::code(run.exit_code)
}
