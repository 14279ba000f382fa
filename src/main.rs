//! The edge: parse flags, run the pipeline, print, exit. The only place that touches the real
//! process (environment, terminal, exit code).

use clap::Parser;
use expiry_doctor::cli::{Cli, Command, FailOn, OutputFormat};
use expiry_doctor::env::Env;
use expiry_doctor::{pipeline, render, verdict};
use std::io::{IsTerminal, Write};
use std::process::ExitCode;

fn main() -> ExitCode {
    // A panic is a bug: one line and exit 2, never a backtrace in a CI log.
    std::panic::set_hook(Box::new(|info| {
        let msg = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".into());
        let at = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        eprintln!("error: internal error: {msg}{at} (please report this)");
        std::process::exit(2);
    }));

    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::from(2);
        }
    };
    let code = match cli.command {
        Command::Check(args) => {
            let env = Env::real();
            match runtime.block_on(pipeline::check(&args, &env)) {
                Ok(report) => {
                    let stdout = std::io::stdout();
                    let text = match args.output {
                        OutputFormat::Json => render::json::render(&report),
                        OutputFormat::Table => {
                            let color = anstream::AutoStream::choice(&stdout)
                                != anstream::ColorChoice::Never;
                            render::table::render(&report, color, stdout.is_terminal())
                        }
                    };
                    print(&text);
                    verdict::exit_code(report.verdict, args.fail_on == FailOn::Warn)
                }
                Err(pipeline::UsageError(msg)) => {
                    eprintln!("error: {msg}");
                    2
                }
            }
        }
        Command::Triage(args) => {
            let opts = expiry_doctor::triage::diagnose::Options {
                started_at: args.started_at,
                expires_at: args.expires_at,
                max_session_seconds: args.max_session_duration.map(|d| d.as_secs() as i64),
            };
            match expiry_doctor::triage::run(&args.log, &opts) {
                Ok(report) => {
                    let text = match args.output {
                        OutputFormat::Json => render::triage::json(&report),
                        OutputFormat::Table => {
                            let color = anstream::AutoStream::choice(&std::io::stdout())
                                != anstream::ColorChoice::Never;
                            render::triage::table(&report, color)
                        }
                    };
                    print(&text);
                    report.exit_code()
                }
                Err(msg) => {
                    eprintln!("error: {msg}");
                    2
                }
            }
        }
        Command::Explain(args) => explain(&args),
    };
    // Anything still running (a DNS lookup in a blocking thread) must not hold the exit.
    runtime.shutdown_background();
    ExitCode::from(code)
}

fn explain(args: &expiry_doctor::cli::ExplainArgs) -> u8 {
    use expiry_doctor::explain;
    if args.list {
        print(&explain::list());
        return 0;
    }
    let id = args.id.as_deref().unwrap_or_default();
    match explain::find(id) {
        Ok(entries) => {
            let text: Vec<String> = entries.iter().map(explain::text).collect();
            print(&text.join("\n"));
            0
        }
        Err(suggestion) => {
            match suggestion {
                Some(s) => eprintln!(
                    "error: unknown id '{id}'; did you mean '{s}'? (expiry-doctor explain --list shows every id)"
                ),
                None => eprintln!(
                    "error: unknown id '{id}' (expiry-doctor explain --list shows every id)"
                ),
            }
            2
        }
    }
}

/// Writes the report; a closed pipe (`| head`) is not an error worth a message.
fn print(text: &str) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes()).and_then(|_| out.flush());
}
