//! `triage`: did this job die of its credentials or its clock, after how long, and which
//! limit did it hit? The engine: read (plain or gzip) → scan (classify every line, keep
//! times) → diagnose (elapsed time against the known lifetimes, the clock offset). Opening the
//! log is `commands/triage.rs`'s; saying the answer is `render/triage.rs`'s.

pub mod classes;
pub mod classify;
pub mod diagnose;
pub mod lines;
pub mod logtime;
pub mod scan;

use crate::fixes::Fix;
use diagnose::{Diagnosis, Options};
use scan::Scan;
use std::io::BufRead;

pub struct TriageReport {
    /// `-` for stdin, else the path as given.
    pub source: String,
    pub scan: Scan,
    pub diagnosis: Diagnosis,
    pub fixes: Vec<Fix>,
}

impl TriageReport {
    /// 1 when a credential or clock cause was found, else 0.
    pub fn exit_code(&self) -> u8 {
        u8::from(
            self.diagnosis
                .cause
                .is_some_and(|c| c.is_credential_cause()),
        )
    }
}

/// Reads and diagnoses a log opened with [`lines::open`]. `source` names it in the report;
/// `year` dates syslog stamps when nothing else does (the current year, from the caller's
/// clock).
pub fn triage(
    source: &str,
    reader: impl BufRead,
    opts: &Options,
    year: i32,
) -> std::io::Result<TriageReport> {
    use chrono::Datelike;
    let year = opts.started_at.map_or(year, |t| t.year());
    let scan = scan::scan(reader, year)?;
    let (diagnosis, fixes) = diagnose::diagnose(&scan, opts);
    Ok(TriageReport {
        source: source.to_string(),
        scan,
        diagnosis,
        fixes,
    })
}
