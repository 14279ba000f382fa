//! What one `exec` run produced, as data: the gate's report, the job's start, end and exit,
//! every observation of its credentials, the run-out warning, its stderr as triage saw it, and
//! the diagnosis. `commands/exec/` fills it in; `render/exec.rs` says it (stderr lines and the
//! `--report` JSON).

use crate::fixes::Fix;
use crate::triage::diagnose::Diagnosis;
use crate::triage::scan::Scan;
use crate::verdict::Report;
use crate::watch::Observation;
use chrono::{DateTime, Utc};

/// Everything a run produced.
pub struct Run {
    /// The job's argv, redacted.
    pub command: Vec<String>,
    pub gate: Report,
    pub gate_passed: bool,
    pub gate_enforced: bool,
    pub not_started: Option<NotStarted>,
    pub started_at: Option<DateTime<Utc>>,
    pub ended_at: DateTime<Utc>,
    pub exit_code: u8,
    pub signal: Option<i32>,
    pub expected_end: Option<DateTime<Utc>>,
    pub observations: Vec<Observation>,
    /// The observation that showed the credentials running out before the expected end (the
    /// one warning a run gives).
    pub ran_out: Option<Observation>,
    pub stderr: Scan,
    pub diagnosis: Option<(Diagnosis, Vec<Fix>)>,
}

/// Why the job never ran.
#[derive(Clone, Debug, PartialEq)]
pub enum NotStarted {
    /// The pre-flight check failed (and --no-gate was not given).
    GateFailed,
    /// It could not be started: not found, not executable (the reason, in words).
    CouldNotStart { message: String },
}
