//! `triage`: did this job die of its credentials or its clock, after how long, and which
//! limit did it hit? The whole flow: open (plain or gzip) → scan (classify every line, keep
//! times) → diagnose (elapsed time against the known lifetimes, the clock offset) → report.

pub mod classes;
pub mod classify;
pub mod diagnose;
pub mod lines;
pub mod logtime;
pub mod scan;

use crate::fixes::Fix;
use chrono::Datelike;
use diagnose::{Diagnosis, Options};
use scan::Scan;
use std::io::Read;
use std::path::Path;

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
        u8::from(self.diagnosis.cause.is_credential_cause())
    }
}

/// Triage `log` (`-` for stdin). An input that cannot be read is the user's error: `Err` with
/// one sentence naming it (exit 2).
pub fn run(log: &str, opts: &Options) -> Result<TriageReport, String> {
    let input: Box<dyn Read> = if log == "-" {
        Box::new(std::io::stdin())
    } else {
        let path = Path::new(log);
        let meta = std::fs::metadata(path).map_err(|e| format!("--log {log} {}", io_words(&e)))?;
        if meta.is_dir() {
            return Err(format!("--log {log} is a directory, not a log file"));
        }
        Box::new(std::fs::File::open(path).map_err(|e| format!("--log {log} {}", io_words(&e)))?)
    };
    let reader = lines::open(input).map_err(|e| format!("--log {log} {}", io_words(&e)))?;
    let year = opts.started_at.map(|t| t.year());
    let scan = scan::scan(reader, year).map_err(|e| {
        format!(
            "--log {log}: {} (not a readable log or gzip file)",
            io_words(&e)
        )
    })?;
    let (diagnosis, fixes) = diagnose::diagnose(&scan, opts);
    Ok(TriageReport {
        source: log.to_string(),
        scan,
        diagnosis,
        fixes,
    })
}

fn io_words(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "does not exist".into(),
        std::io::ErrorKind::PermissionDenied => "cannot be read: permission denied".into(),
        _ => format!("cannot be read: {e}"),
    }
}
