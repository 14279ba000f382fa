//! `triage`: opens the log (a file, plain or gzip, or stdin), runs the engine in
//! `src/triage/`, and renders the answer. A log that cannot be read is the user's error
//! (exit 2, one line naming it).

use super::{Output, Terminal};
use crate::cli::{TriageArgs, TriageOutput};
use crate::env::Env;
use crate::render;
use crate::triage::{self, diagnose::Options, lines};
use chrono::Datelike;
use std::io::Read;
use std::path::Path;

pub fn run(args: &TriageArgs, env: &Env, term: &Terminal) -> Output {
    let opts = Options {
        started_at: args.started_at,
        expires_at: args.expires_at,
        max_session_seconds: args.max_session_duration.map(|d| d.as_secs() as i64),
    };
    match read(&args.log, &opts, env.now().year()) {
        Ok(report) => {
            let text = match args.output {
                TriageOutput::Json => render::triage::json(&report),
                TriageOutput::Table if args.quiet => {
                    format!("{}\n", render::triage::headline(&report))
                }
                TriageOutput::Table => render::triage::table(&report, term.stdout_color),
            };
            Output::stdout(text, report.exit_code())
        }
        Err(msg) => Output::error(&msg, 2),
    }
}

/// Triage `log` (`-` for stdin). An input that cannot be read is the user's error: `Err` with
/// one sentence naming it.
fn read(log: &str, opts: &Options, year: i32) -> Result<triage::TriageReport, String> {
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
    triage::triage(log, reader, opts, year).map_err(|e| {
        format!(
            "--log {log}: {} (not a readable log or gzip file)",
            io_words(&e)
        )
    })
}

fn io_words(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "does not exist".into(),
        std::io::ErrorKind::PermissionDenied => "cannot be read: permission denied".into(),
        _ => format!("cannot be read: {e}"),
    }
}
