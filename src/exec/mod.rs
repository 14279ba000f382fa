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
pub mod tee;
pub mod watch;

use crate::cli::{ExecArgs, FailOn, OutputFormat};
use crate::env::Env;
use crate::facts::Facts;
use crate::fixes::Fix;
use crate::human::Zone;
use crate::pipeline;
use crate::render;
use crate::triage::diagnose::{self, Diagnosis};
use crate::triage::scan::Scan;
use crate::verdict::{self, Report};
use chrono::{DateTime, TimeDelta, Utc};
use std::io::{IsTerminal, Write};
use std::sync::Arc;
use std::time::Duration;
use watch::Observation;

/// How long the diagnosis waits for the job's stderr to end after the job did.
const STDERR_GRACE: Duration = Duration::from_secs(1);

/// Everything a run produced, for the lines on stderr and the JSON record.
pub struct Run {
    pub command: Vec<String>,
    pub gate: Report,
    pub gate_passed: bool,
    pub gate_enforced: bool,
    pub not_started: Option<String>,
    pub started_at: Option<DateTime<Utc>>,
    pub ended_at: DateTime<Utc>,
    pub exit_code: u8,
    pub signal: Option<i32>,
    pub expected_end: Option<DateTime<Utc>>,
    pub observations: Vec<Observation>,
    pub warnings: Vec<String>,
    pub stderr: Scan,
    pub diagnosis: Option<(Diagnosis, Vec<Fix>)>,
}

/// A usage error: exit 2 with this line.
pub struct Usage(pub String);

/// Runs the whole flow; returns the exit code (the job's, or 1/126/127 when it never ran).
pub async fn run(args: &ExecArgs, color: bool) -> Result<u8, Usage> {
    validate(args)?;
    let out = Arc::new(tee::SharedStderr::new());
    let quiet = args.check.quiet;
    let watch_log = match &args.watch_log {
        Some(path) => Some(
            std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(path)
                .map_err(|e| Usage(format!("--watch-log {}: {e}", path.display())))?,
        ),
        None => None,
    };

    // 1. The gate: the same diagnosis as `check`.
    let env = Env::real();
    let zone = Zone::Local(env.zone());
    let gate = pipeline::check(&args.check, &env, zone)
        .await
        .map_err(|pipeline::UsageError(m)| Usage(m))?;
    let gate_passed = verdict::exit_code(gate.verdict, args.check.fail_on == FailOn::Warn) == 0;
    let mut run = Run {
        command: args
            .job
            .iter()
            .map(|a| crate::redact::redact(&a.to_string_lossy()).into_owned())
            .collect(),
        gate_passed,
        gate_enforced: !args.no_gate,
        not_started: None,
        started_at: None,
        ended_at: Utc::now(),
        exit_code: 1,
        signal: None,
        expected_end: None,
        observations: Vec::new(),
        warnings: Vec::new(),
        stderr: Scan::default(),
        diagnosis: None,
        gate,
    };
    if gate_passed {
        if !quiet {
            out.line(&render::exec::gate_passed(&run.gate, color));
        }
    } else {
        let style = render::table::TableStyle {
            color,
            wrap: std::io::stderr().is_terminal(),
            zone,
            verbose: args.check.verbose,
        };
        out.line(&render::exec::gate_failed(&run.gate, style, args.no_gate));
        if !args.no_gate {
            run.not_started = Some("the pre-flight check failed".into());
            return finish(args, run, &out);
        }
    }

    // 2. The job.
    let started = match job::start(&args.job) {
        Ok(s) => s,
        Err(e) => {
            out.line(&format!("expiry-doctor: {}\n", e.message));
            run.not_started = Some(e.message);
            run.exit_code = e.code;
            return finish(args, run, &out);
        }
    };
    let started_at = Utc::now();
    run.started_at = Some(started_at);
    run.expected_end = args
        .check
        .expected_runtime
        .and_then(|d| TimeDelta::from_std(d).ok())
        .map(|d| started_at + d);
    let tee = tee::start(started.stderr, out.clone());
    let mut child = started.child;
    let (done_tx, mut done) = tokio::sync::oneshot::channel();
    std::thread::spawn(move || {
        let _ = done_tx.send(child.wait());
    });

    // 3. Watch until the job ends.
    let interval = TimeDelta::from_std(args.watch_interval).unwrap_or(TimeDelta::minutes(5));
    let mut watch_log = watch_log;
    let status = loop {
        let previous = run.observations.last().cloned();
        let observed = tokio::select! {
            status = &mut done => break status,
            facts = pipeline::observe_credentials(&args.check) => facts,
        };
        let obs = watch::observe(&observed, previous.as_ref());
        let line = render::exec::watch_line(&obs);
        match &mut watch_log {
            Some(file) => {
                let _ = file.write_all(line.as_bytes());
            }
            None if !quiet => out.line(&line),
            None => {}
        }
        if run.warnings.is_empty() && watch::runs_out(&obs, run.expected_end) {
            let warning =
                render::exec::runs_out_warning(&obs, run.expected_end, &run.gate, zone, color);
            out.line(&warning);
            run.warnings.push(warning.trim_end().to_string());
        }
        let wake = watch::next_wake(Utc::now(), interval, obs.expires_at);
        run.observations.push(obs);
        let sleep = (wake - Utc::now()).to_std().unwrap_or_default();
        tokio::select! {
            status = &mut done => break status,
            _ = tokio::time::sleep(sleep) => {}
        }
    };
    job::ended();
    crate::gather::credential_process::stop_all();
    run.ended_at = Utc::now();
    let status = match status {
        Ok(Ok(s)) => s,
        _ => {
            out.line("expiry-doctor: lost track of the job (waiting for it failed)\n");
            run.exit_code = 1;
            return finish(args, run, &out);
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
    finish(args, run, &out)
}

fn validate(args: &ExecArgs) -> Result<(), Usage> {
    let c = &args.check;
    if c.all_profiles {
        return Err(Usage(
            "exec checks the credentials the job will use; --all-profiles is for `check`".into(),
        ));
    }
    if c.facts.is_some() {
        return Err(Usage(
            "exec gates on the credentials of this run; --facts replays are for `check`".into(),
        ));
    }
    match (c.output, &args.report) {
        (OutputFormat::Json, None) => Err(Usage(
            "--output json writes the record to --report FILE (stdout is the job's); give --report"
                .into(),
        )),
        (OutputFormat::Markdown | OutputFormat::Github, _) => Err(Usage(
            "exec writes lines for people on stderr (--output table) or a JSON record (--output json --report FILE)"
                .into(),
        )),
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

fn finish(args: &ExecArgs, run: Run, out: &tee::SharedStderr) -> Result<u8, Usage> {
    if let Some(path) = &args.report {
        let text = render::exec::record(&run);
        if let Err(e) = std::fs::write(path, text) {
            out.line(&format!(
                "expiry-doctor: cannot write --report {}: {e}\n",
                path.display()
            ));
        }
    }
    Ok(run.exit_code)
}
