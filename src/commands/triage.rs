//! `triage`: opens the log (a file, plain or gzip, or stdin) with a deadline, runs the engine
//! in `src/triage/`, and renders the answer. A log that gives nothing to read is the user's
//! error (exit 2, one line naming it).

use super::{Output, Terminal};
use crate::cli::{TriageArgs, TriageOutput};
use crate::env::Env;
use crate::render;
use crate::triage::timed::{self, Deadline, TimedReader};
use crate::triage::{self, Unreadable, diagnose::Options, lines};
use chrono::Datelike;
use std::io;
use std::path::PathBuf;

pub fn run(args: &TriageArgs, env: &Env, term: &Terminal) -> Output {
    let opts = Options {
        started_at: args.started_at,
        expires_at: args.expires_at,
        max_session_seconds: args.max_session_duration.map(|d| d.as_secs() as i64),
    };
    let deadline = Deadline::after(args.timeout);
    match read(args.log(), &opts, env.now().year(), deadline) {
        Ok(report) => {
            let text = match args.output {
                TriageOutput::Json => render::triage::json(&report),
                TriageOutput::Markdown => render::triage::markdown(&report),
                TriageOutput::Table if args.quiet => {
                    format!("{}\n", render::triage::headline(&report))
                }
                TriageOutput::Table => render::triage::table(&report, term.stdout_color),
            };
            Output::stdout(text, report.exit_code())
        }
        Err(why) => Output::error(
            &render::triage::unreadable(args.log(), &why, args.timeout),
            2,
        ),
    }
}

/// Triage `log` (`-` for stdin) until the deadline.
fn read(
    log: &str,
    opts: &Options,
    year: i32,
    deadline: Deadline,
) -> Result<triage::TriageReport, Unreadable> {
    let input = open(log, deadline)?;
    let opened = lines::open(Box::new(input)).map_err(|e| nothing_read(e, deadline))?;
    triage::triage(log, opened, opts, year, deadline)
}

/// Opens `log` on the reading thread. Any file that is not a directory is read: a regular
/// file, a pipe given by path (`--log <(cmd)`), a FIFO, a device; the deadline bounds them all.
fn open(log: &str, deadline: Deadline) -> Result<TimedReader, Unreadable> {
    if log == "-" {
        return timed::open(|| Ok(io::stdin()), deadline).map_err(Unreadable::Open);
    }
    let path = PathBuf::from(log);
    let meta = std::fs::metadata(&path).map_err(Unreadable::Open)?;
    if meta.is_dir() {
        return Err(Unreadable::Directory);
    }
    let fifo = is_fifo(&meta);
    timed::open(move || std::fs::File::open(path), deadline).map_err(|e| {
        if e.kind() == io::ErrorKind::TimedOut {
            Unreadable::NotOpenedInTime { fifo }
        } else {
            Unreadable::Open(e)
        }
    })
}

/// The first read failed: at the deadline, nothing arrived; otherwise it is no log.
fn nothing_read(e: io::Error, deadline: Deadline) -> Unreadable {
    if e.kind() == io::ErrorKind::TimedOut && std::time::Instant::now() >= deadline.at {
        Unreadable::NothingArrived
    } else {
        Unreadable::Read(e)
    }
}

#[cfg(unix)]
fn is_fifo(meta: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::FileTypeExt;
    meta.file_type().is_fifo()
}

#[cfg(not(unix))]
fn is_fifo(_: &std::fs::Metadata) -> bool {
    false
}
