//! One module per command: each takes its flags and the [`Env`], runs, and returns what to
//! print and the exit code ([`Output`]). `main` prints; `render/` says; the command decides
//! nothing about words. `exec` alone also writes while it runs (its job's stderr and its own
//! lines, through `exec::tee`), because its output cannot wait for the end.

pub mod check;
pub mod completions;
pub mod exec;
pub mod explain;
pub mod man;
pub mod prompt;
pub mod roles;
pub mod triage;

use crate::cli::{Command, Invocation};
use crate::env::Env;
use std::borrow::Cow;

/// What the terminal can show, decided by `main` from the real streams and the flags.
#[derive(Clone, Copy, Debug, Default)]
pub struct Terminal {
    pub stdout_color: bool,
    pub stderr_color: bool,
    pub stdout_is_terminal: bool,
    pub stderr_is_terminal: bool,
}

/// What a command leaves to print, and its exit code.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Output {
    pub stdout: String,
    pub stderr: String,
    pub code: u8,
    /// `--output github`: its own annotation lines are workflow commands.
    pub workflow_commands: bool,
}

impl Output {
    pub fn stdout(text: String, code: u8) -> Output {
        Output {
            stdout: text,
            stderr: String::new(),
            code,
            workflow_commands: false,
        }
    }

    /// One `error:` line on stderr.
    pub fn error(message: &str, code: u8) -> Output {
        Output {
            stdout: String::new(),
            stderr: format!("error: {message}\n"),
            code,
            workflow_commands: false,
        }
    }

    /// Just an exit code: everything was written while the command ran.
    pub fn code(code: u8) -> Output {
        Output {
            code,
            ..Output::default()
        }
    }

    /// Marks the text as `--output github`'s, whose own annotations stay commands.
    pub fn github(mut self, yes: bool) -> Output {
        self.workflow_commands = yes;
        self
    }

    /// The sanitizer's backstop over everything left to print: no control character and no
    /// workflow command that the renderer did not write.
    fn guarded(mut self) -> Output {
        use crate::render::sanitize::output;
        if let Cow::Owned(o) = output(&self.stdout, self.workflow_commands) {
            self.stdout = o;
        }
        if let Cow::Owned(o) = output(&self.stderr, false) {
            self.stderr = o;
        }
        self
    }
}

/// Runs the command the flags name; what it prints passes the sanitizer's backstop.
pub async fn run(cli: Invocation, env: &Env, term: &Terminal) -> Output {
    // Boxed: the commands' futures are deep, and the layout of one more would overflow.
    Box::pin(run_command(cli, env, term)).await.guarded()
}

async fn run_command(cli: Invocation, env: &Env, term: &Terminal) -> Output {
    match cli.command {
        Command::Check(args) => check::run(&args, env, term).await,
        Command::Exec(args) => exec::run(&args, env, term).await,
        Command::Triage(args) => triage::run(&args, env, term),
        Command::Roles(args) => roles::run(&args, env).await,
        Command::Explain(args) => explain::run(&args),
        Command::Prompt(args) => prompt::run(&args, env).await,
        Command::Completions(args) => completions::run(&args),
        Command::Man(args) => man::run(&args),
    }
}
