//! The edge: parse flags, run the pipeline, print, exit. The only place that touches the real
//! process (environment, terminal, exit code).

use clap::Parser;
use expiry_doctor::cli::{
    Cli, ColorWhen, Command, FailOn, OutputFormat, RolesOutput, TriageOutput,
};
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
    match cli.command {
        // While its job runs, `exec` passes signals on instead of ending.
        Command::Exec(_) => expiry_doctor::exec::job::handle_signals(),
        _ => exit_on_signals(),
    }
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
            // People read the table in their own zone; machines read UTC.
            let zone = match args.output {
                OutputFormat::Table => expiry_doctor::human::Zone::Local(env.zone()),
                _ => expiry_doctor::human::Zone::Utc,
            };
            let spinner = spinner(!args.quiet && !args.offline && args.facts.is_none());
            if args.all_profiles {
                let result = runtime.block_on(pipeline::check_all_profiles(&args, &env, zone));
                spinner.finish_and_clear();
                let code = match result {
                    Ok(reports) => {
                        let text = match args.output {
                            OutputFormat::Json => render::json::render_all(&reports),
                            OutputFormat::Markdown => render::fleet::markdown(&reports),
                            OutputFormat::Github => render::fleet::github(&reports),
                            OutputFormat::Table => render::fleet::table(&reports, zone),
                        };
                        print(&text);
                        verdict::exit_code(
                            render::fleet::worst(&reports),
                            args.fail_on == FailOn::Warn,
                        )
                    }
                    Err(pipeline::UsageError(msg)) => {
                        eprintln!("error: {msg}");
                        1
                    }
                };
                runtime.shutdown_background();
                return ExitCode::from(code);
            }
            let result = runtime.block_on(pipeline::check(&args, &env, zone));
            spinner.finish_and_clear();
            match result {
                Ok(report) => {
                    let color = color_for(cli.color, &std::io::stdout());
                    let text = match args.output {
                        OutputFormat::Json => render::json::render(&report),
                        OutputFormat::Markdown => render::markdown::render(&report),
                        OutputFormat::Github => render::github::render(&report),
                        OutputFormat::Table if args.quiet => {
                            render::table::headline(&report, color)
                        }
                        OutputFormat::Table => render::table::render(
                            &report,
                            render::table::TableStyle {
                                color,
                                wrap: std::io::stdout().is_terminal(),
                                zone,
                                verbose: args.verbose,
                            },
                        ),
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
        Command::Exec(args) => {
            let color = color_for(cli.color, &std::io::stderr());
            match runtime.block_on(expiry_doctor::exec::run(&args, color)) {
                Ok(code) => code,
                Err(expiry_doctor::exec::Usage(msg)) => {
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
                    let color = color_for(cli.color, &std::io::stdout());
                    let text = match args.output {
                        TriageOutput::Json => render::triage::json(&report),
                        TriageOutput::Table if args.quiet => {
                            format!("{}\n", render::triage::headline(&report))
                        }
                        TriageOutput::Table => render::triage::table(&report, color),
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
        Command::Roles(args) => {
            let deadline = tokio::time::Instant::now() + args.timeout;
            let listed = runtime.block_on(async {
                let load = expiry_doctor::gather::live::sdk::load(
                    args.profile.as_deref(),
                    args.region.as_deref(),
                    deadline,
                );
                match tokio::time::timeout_at(deadline, load).await {
                    Ok(config) => expiry_doctor::roles::list(&config, deadline).await,
                    Err(_) => Err(expiry_doctor::facts::ProbeError {
                        class: expiry_doctor::facts::ErrorClass::Timeout,
                        code: None,
                        message: "loading the AWS configuration took longer than --timeout".into(),
                    }),
                }
            });
            match listed {
                Ok(roles) => {
                    let audit =
                        expiry_doctor::roles::classify(&roles, args.min_session.as_secs() as i64);
                    print(&match args.output {
                        RolesOutput::Table => render::roles::table(&audit),
                        RolesOutput::Json => render::roles::json(&audit),
                        RolesOutput::Markdown => render::roles::markdown(&audit),
                    });
                    audit.exit_code()
                }
                Err(e) => {
                    let hint = if e.class == expiry_doctor::facts::ErrorClass::AccessDenied {
                        " (expiry-doctor roles needs iam:ListRoles)"
                    } else {
                        ""
                    };
                    eprintln!("error: iam:ListRoles: {}{hint}", e.message);
                    1
                }
            }
        }
        Command::Completions(args) => {
            let mut cmd = <Cli as clap::CommandFactory>::command();
            let mut out = Vec::new();
            clap_complete::generate(args.shell, &mut cmd, "expiry-doctor", &mut out);
            print(&String::from_utf8_lossy(&out));
            0
        }
        Command::Man => {
            print(&expiry_doctor::cli::man_page());
            0
        }
    };
    // Anything still running (a DNS lookup in a blocking thread) must not hold the exit.
    runtime.shutdown_background();
    ExitCode::from(code)
}

/// `--color`: `auto` follows the terminal (the stream the text goes to) and NO_COLOR /
/// CLICOLOR (anstream's rules).
fn color_for(when: ColorWhen, stream: &impl anstream::stream::RawStream) -> bool {
    match when {
        ColorWhen::Always => true,
        ColorWhen::Never => false,
        ColorWhen::Auto => anstream::AutoStream::choice(stream) != anstream::ColorChoice::Never,
    }
}

/// A spinner on stderr while the probes run, only when stderr is a terminal (indicatif hides
/// itself otherwise), so pipes and CI logs never see it.
fn spinner(wanted: bool) -> indicatif::ProgressBar {
    if !wanted || !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new_spinner()
        .with_message("asking the credential provider, STS, IAM and NTP…");
    bar.enable_steady_tick(std::time::Duration::from_millis(80));
    bar
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

/// Held while the report is written, so that a signal never cuts it short: the report on stdout
/// is complete or absent.
static PRINTING: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// SIGINT and SIGTERM end the run at once with 130 and 143, as shells report them, stopping any
/// credential_process still running; a report already being written is finished first.
fn exit_on_signals() {
    #[cfg(unix)]
    {
        use signal_hook::consts::{SIGINT, SIGTERM};
        if let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM]) {
            std::thread::spawn(move || {
                if let Some(sig) = signals.forever().next() {
                    expiry_doctor::gather::credential_process::stop_all();
                    let _writing = PRINTING.lock();
                    std::process::exit(128 + sig);
                }
            });
        }
    }
}

/// Writes the report; a closed pipe (`| head`) is not an error worth a message.
fn print(text: &str) {
    let _writing = PRINTING.lock();
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes()).and_then(|_| out.flush());
}
