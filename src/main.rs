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
    };
    // Anything still running (a DNS lookup in a blocking thread) must not hold the exit.
    runtime.shutdown_background();
    ExitCode::from(code)
}

/// Writes the report; a closed pipe (`| head`) is not an error worth a message.
fn print(text: &str) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes()).and_then(|_| out.flush());
}
