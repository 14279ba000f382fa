//! The edge: parse the flags, build the one real [`Env`], run the command, print what it
//! returns, exit with its code. The only place that touches the real process (environment,
//! terminal, signals, exit code) and, with `render/`, the only one allowed to print.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use expiry_doctor::cli::{Cli, ColorWhen, Command};
use expiry_doctor::commands::{self, Terminal};
use expiry_doctor::env::Env;
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

    // A shell asking what to complete (the scripts `completions` prints set
    // EXPIRY_DOCTOR_COMPLETE): answered, and the process exits, before anything else runs.
    #[allow(clippy::disallowed_methods)] // built only when a completer reads the config files
    commands::completions::answer_if_asked(Env::real);

    #[allow(clippy::disallowed_methods)] // clap reads its EXPIRY_DOCTOR_* variables itself
    let env_is_set = |name: &str| std::env::var_os(name).is_some();
    let cli = match Cli::parse_args(std::env::args_os(), env_is_set) {
        Ok(cli) => cli,
        // A usage error quotes the value it refused, which may hold anything (an escape
        // sequence, a line break): it goes through the sanitizer's backstop like all output.
        Err(e) if e.use_stderr() => {
            let text = e.render().to_string();
            let _ = std::io::stderr()
                .write_all(expiry_doctor::render::sanitize::output(&text, false).as_bytes());
            return ExitCode::from(2);
        }
        Err(e) => {
            let _ = e.print();
            return ExitCode::SUCCESS;
        }
    };
    if cli.debug {
        debug_log();
    }
    match cli.command {
        // While its job runs, `exec` passes signals on instead of ending.
        Command::Exec(_) => commands::exec::job::handle_signals(),
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
    #[allow(clippy::disallowed_methods)] // the one real Env, built here and passed down
    let env = Env::real();
    let term = Terminal {
        stdout_color: color_for(cli.color, &std::io::stdout()),
        stderr_color: color_for(cli.color, &std::io::stderr()),
        stdout_is_terminal: std::io::stdout().is_terminal(),
        stderr_is_terminal: std::io::stderr().is_terminal(),
    };
    let spinner = spinner(matches!(&cli.command, Command::Check(a)
        if !a.quiet && !a.offline && a.facts.is_none()));
    let out = runtime.block_on(commands::run(cli, &env, &term));
    spinner.finish_and_clear();
    let mut code = out.code;
    if let Err(why) = print(&out.stdout) {
        // A report that could not be written is no verdict: the gate must not pass on it.
        let _ = writeln!(
            std::io::stderr(),
            "error: cannot write the report to stdout: {why}"
        );
        code = 2;
    }
    let _ = std::io::stderr().write_all(out.stderr.as_bytes());
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

/// `--debug`: the SDK's `tracing` events on stderr, each event masked by the redactor before
/// it is written.
fn debug_log() {
    /// One event's text, written (redacted) when the subscriber drops it.
    #[derive(Default)]
    struct Redacted(Vec<u8>);
    impl Write for Redacted {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    impl Drop for Redacted {
        fn drop(&mut self) {
            let text = String::from_utf8_lossy(&self.0);
            let _ = std::io::stderr().write_all(expiry_doctor::redact::redact(&text).as_bytes());
        }
    }
    let _ = tracing_subscriber::fmt()
        .with_max_level(tracing_subscriber::filter::LevelFilter::DEBUG)
        .with_ansi(false)
        .with_writer(Redacted::default)
        .try_init();
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
                    // The report is finished first if it is being written, and can no longer
                    // start once the helpers are stopped (their death must not let the run
                    // report and exit 1 in the signal's place).
                    let _writing = PRINTING.lock();
                    expiry_doctor::gather::credential_process::stop_all();
                    std::process::exit(128 + sig);
                }
            });
        }
    }
}

/// Writes the report. A reader that stops reading after some of it (`| head`) chose to; any
/// other failure (a full disk, `> /dev/full`, a pipe closed before anything was read) is said,
/// in words.
fn print(text: &str) -> Result<(), String> {
    if text.is_empty() {
        return Ok(());
    }
    let _writing = PRINTING.lock();
    let mut out = std::io::stdout().lock();
    let mut bytes = text.as_bytes();
    let mut written = 0usize;
    let result = loop {
        if bytes.is_empty() {
            break out.flush();
        }
        match out.write(bytes) {
            Ok(0) => break Err(std::io::ErrorKind::WriteZero.into()),
            Ok(n) => {
                written += n;
                bytes = &bytes[n..];
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => break Err(e),
        }
    };
    match result {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe && written > 0 => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {
            Err("the reader closed the pipe before reading anything".into())
        }
        Err(e) => Err(match e.raw_os_error() {
            // ENOSPC: `> /dev/full`, or a full disk.
            Some(28) => "no space left on the device".into(),
            _ => e.to_string(),
        }),
    }
}
