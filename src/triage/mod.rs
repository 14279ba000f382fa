//! `triage`: did this job die of its credentials or its clock, after how long, and which
//! limit did it hit? The engine: read (plain or gzip, UTF-8 or UTF-16, until the deadline) →
//! scan (classify every line, keep times) → diagnose (elapsed time against the known
//! lifetimes, the clock offset). Opening the log is `commands/triage.rs`'s; saying the answer
//! is `render/triage.rs`'s.

pub mod classes;
pub mod classify;
pub mod diagnose;
pub mod lines;
pub mod logtime;
pub mod scan;
pub mod text;
pub mod timed;

use crate::fixes::Fix;
use diagnose::{Diagnosis, Options};
use scan::Scan;
use serde::Serialize;
pub use text::Encoding;
use timed::Deadline;

pub struct TriageReport {
    /// `-` for stdin, else the path as given.
    pub source: String,
    pub encoding: Encoding,
    pub scan: Scan,
    pub diagnosis: Diagnosis,
    pub fixes: Vec<Fix>,
    /// What the diagnosis could not see: each says the log was not wholly read as text.
    pub notes: Vec<Note>,
}

/// Why the answer rests on less than the whole log.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Note {
    /// Reading stopped at `--timeout` (an endless pipe, a device, a very slow writer); `bytes`
    /// were read.
    StoppedAtTimeout { timeout_seconds: f64, bytes: u64 },
    /// The log breaks off after `bytes` (a gzip cut short, a failing disk): `error` says how.
    CutShort { bytes: u64, error: String },
    /// At least a quarter of the `bytes` read are not text (`lines::not_text`): a binary file,
    /// or text in an encoding triage does not read.
    NotText { not_text_bytes: u64, bytes: u64 },
}

/// Why a log gave nothing to diagnose.
#[derive(Debug)]
pub enum Unreadable {
    /// It could not be found or opened.
    Open(std::io::Error),
    Directory,
    /// `open(2)` had not returned by the deadline: a FIFO waits for a writer.
    NotOpenedInTime {
        fifo: bool,
    },
    /// Opened, but not a byte arrived before the deadline.
    NothingArrived,
    /// The first read failed: not a log, or a gzip broken from its start.
    Read(std::io::Error),
}

/// The share of bytes that are not text from which a log is called not text (`Note::NotText`):
/// random bytes are about 53 % not text, `/dev/zero` 100 %; a real log is under 5 % (colour
/// codes, Latin-1 accents).
const NOT_TEXT_SHARE: u64 = 4;

impl TriageReport {
    /// 1 when a credential or clock cause was found; else 2 when the log was not wholly read
    /// as text (any note: what was not read may hold the cause), else 0.
    pub fn exit_code(&self) -> u8 {
        if self
            .diagnosis
            .cause
            .is_some_and(|c| c.is_credential_cause())
        {
            1
        } else if self.notes.is_empty() {
            0
        } else {
            2
        }
    }
}

/// Reads and diagnoses a log opened with [`lines::open`], until its end or the `deadline`.
/// `source` names it in the report; `year` dates syslog stamps when nothing else does (the
/// current year, from the caller's clock).
pub fn triage(
    source: &str,
    log: lines::Opened,
    opts: &Options,
    year: i32,
    deadline: Deadline,
) -> Result<TriageReport, Unreadable> {
    use chrono::Datelike;
    let year = opts.started_at.map_or(year, |t| t.year());
    let (scan, end) = scan::scan(log.reader, year, Some(deadline.at));
    let notes = notes(&scan, end, deadline)?;
    let (diagnosis, fixes) = diagnose::diagnose(&scan, opts);
    Ok(TriageReport {
        source: source.to_string(),
        encoding: log.encoding,
        scan,
        diagnosis,
        fixes,
        notes,
    })
}

/// What the report must say about how the reading went; `Err` when nothing was read at all.
fn notes(scan: &Scan, end: lines::End, deadline: Deadline) -> Result<Vec<Note>, Unreadable> {
    let bytes = scan.bytes;
    let mut notes = Vec::new();
    match end {
        lines::End::Complete => {}
        lines::End::Deadline if bytes == 0 => return Err(Unreadable::NothingArrived),
        lines::End::Broken(e) if bytes == 0 => return Err(Unreadable::Read(e)),
        lines::End::Deadline => notes.push(Note::StoppedAtTimeout {
            timeout_seconds: deadline.timeout.as_secs_f64(),
            bytes,
        }),
        lines::End::Broken(e) => notes.push(Note::CutShort {
            bytes,
            error: e.to_string(),
        }),
    }
    if bytes > 0 && scan.not_text_bytes * NOT_TEXT_SHARE >= bytes {
        notes.push(Note::NotText {
            not_text_bytes: scan.not_text_bytes,
            bytes,
        });
    }
    Ok(notes)
}
