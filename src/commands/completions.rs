//! Shell completion: `completions SHELL` prints a script that registers expiry-doctor with the
//! shell, and the shell then asks the binary itself what to offer, by running it with
//! `EXPIRY_DOCTOR_COMPLETE=SHELL` and the words typed so far (clap_complete's dynamic engine).
//!
//! Why the binary answers rather than a static script: `--profile <TAB>` must offer the
//! profiles of the user's own config files, which only a program that reads them can know; and
//! clap_complete's static bash script never completes a subcommand's flags when the binary's
//! name has a hyphen (clap-rs/clap#6421). One engine answers bash, zsh and fish alike.
//!
//! The answer is bounded and says nothing secret: profile names only (never a key, token or
//! any other value of the files), read through gathering's readers (capped, a FIFO refused
//! without blocking) and parsed within [`PARSE_BUDGET`] on a thread of its own.

use super::Output;
use crate::cli::{Cli, CompletionsArgs};
use crate::env::Env;
use clap::CommandFactory;
use clap_complete::engine::{ArgValueCandidates, ArgValueCompleter, CompletionCandidate};
use clap_complete::env::{CompleteEnv, EnvCompleter};
use std::ffi::OsStr;

/// The variable the registered scripts set when they run the binary for candidates.
pub const VAR: &str = "EXPIRY_DOCTOR_COMPLETE";

/// The command completed, and the one the scripts run (found on `PATH`, so that the script
/// printed does not depend on where the binary that printed it lives).
const BIN: &str = "expiry-doctor";

/// How long a completion may spend parsing the config files: a shell waits on it.
pub const PARSE_BUDGET: std::time::Duration = std::time::Duration::from_secs(1);

/// Answers a shell that asks for candidates (`EXPIRY_DOCTOR_COMPLETE` set) and exits; returns
/// at once otherwise. Called by `main` before the flags are parsed; `env` builds the real
/// environment, only when a completer needs it.
pub fn answer_if_asked(env: fn() -> Env) {
    CompleteEnv::with_factory(move || command(env))
        .var(VAR)
        .bin(BIN)
        .completer(BIN)
        .complete();
}

/// The flags' definitions with what only completion needs: every `--profile`, in every
/// command that has one, offers the profile names of the config files `env` names; `man`
/// offers the commands that have a page.
pub fn command(env: fn() -> Env) -> clap::Command {
    let cmd = Cli::command();
    let pages: Vec<String> = cmd
        .get_subcommands()
        .filter(|s| !s.is_hide_set() && s.get_name() != "help")
        .map(|s| s.get_name().to_string())
        .collect();
    with_profile_completer(cmd, env).mut_subcommand("man", |man| {
        man.mut_arg("command", |a| {
            a.add(ArgValueCandidates::new(move || {
                pages
                    .iter()
                    .map(CompletionCandidate::new)
                    .collect::<Vec<_>>()
            }))
        })
    })
}

fn with_profile_completer(mut cmd: clap::Command, env: fn() -> Env) -> clap::Command {
    if cmd.get_arguments().any(|a| a.get_id() == "profile") {
        cmd = cmd.mut_arg("profile", |a| {
            a.add(ArgValueCompleter::new(move |current: &OsStr| {
                profile_candidates(&env(), current)
            }))
        });
    }
    let subs: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    for name in subs {
        cmd = cmd.mut_subcommand(name, |s| with_profile_completer(s, env));
    }
    cmd
}

/// The profiles whose name starts with what was typed.
fn profile_candidates(env: &Env, current: &OsStr) -> Vec<CompletionCandidate> {
    let typed = current.to_string_lossy();
    profile_names(env)
        .into_iter()
        .filter(|n| n.starts_with(typed.as_ref()))
        .map(CompletionCandidate::new)
        .collect()
}

/// Every profile a job could select, as `--all-profiles` finds them (aws-config's view and
/// botocore's, merged), sorted; only names that can be typed into a shell as they are.
/// Empty when the files cannot be read or parsed within [`PARSE_BUDGET`].
pub fn profile_names(env: &Env) -> Vec<String> {
    let Ok(runtime) = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
    else {
        return Vec::new();
    };
    let clean = env.without_exported_credentials();
    let parsed = runtime.block_on(async {
        let deadline = tokio::time::Instant::now() + PARSE_BUDGET;
        crate::gather::parse_within(&clean, None, true, deadline).await
    });
    // A parse still running past the budget is left behind: the process exits after answering.
    runtime.shutdown_background();
    let Some(parsed) = parsed else {
        return Vec::new();
    };
    let mut names: Vec<String> = parsed
        .loaded
        .set
        .as_ref()
        .map(|s| s.profiles().map(str::to_string).collect())
        .unwrap_or_default();
    names.extend(parsed.python.profile_names().map(str::to_string));
    names.retain(|n| typeable(n));
    names.sort();
    names.dedup();
    names
}

/// A name the shell inserts as it is and `--profile` accepts: no space, quote, `$` or control
/// character that would need quoting (such a profile can still be typed, quoted).
fn typeable(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || "_-./%@:+,=".contains(c))
}

/// The script that registers completion with `shell`.
pub fn registration(shell: clap_complete::Shell) -> Option<String> {
    use clap_complete::Shell;
    use clap_complete::env as shells;
    let completer: &dyn EnvCompleter = match shell {
        Shell::Bash => &shells::Bash,
        Shell::Zsh => &shells::Zsh,
        Shell::Fish => &shells::Fish,
        Shell::PowerShell => &shells::Powershell,
        Shell::Elvish => &shells::Elvish,
        _ => return None,
    };
    let mut out = Vec::new();
    completer
        .write_registration(VAR, BIN, BIN, BIN, &mut out)
        .ok()?;
    let mut text = String::from_utf8_lossy(&out).into_owned();
    if shell == Shell::Zsh {
        // Installed in $fpath as `_expiry-doctor`, this file is autoloaded as the completion
        // function on the first TAB: it must also answer that TAB, not only define the function
        // that answers the next ones.
        text.push_str(
            "if [[ \"${funcstack[1]-}\" == \"_expiry-doctor\" ]]; then\n    \
             _clap_dynamic_completer_expiry_doctor \"$@\"\nfi\n",
        );
    }
    Some(text)
}

/// `completions SHELL`.
pub fn run(args: &CompletionsArgs) -> Output {
    match registration(args.shell) {
        Some(text) => Output::stdout(text, 0),
        None => Output::error(&format!("no completion for the shell {}", args.shell), 2),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn home_with(config: &str, credentials: &str) -> (tempfile::TempDir, Env) {
        let home = tempfile::tempdir().unwrap();
        std::fs::create_dir(home.path().join(".aws")).unwrap();
        std::fs::write(home.path().join(".aws/config"), config).unwrap();
        std::fs::write(home.path().join(".aws/credentials"), credentials).unwrap();
        let env = Env::fake(
            [("HOME", home.path().to_str().unwrap())],
            chrono::DateTime::from_timestamp(1_800_000_000, 0).unwrap(),
        );
        (home, env)
    }

    #[test]
    fn profile_names_come_from_both_files_without_their_values() {
        let (_home, env) = home_with(
            "[default]\nregion = eu-west-1\n[profile etl]\nrole_arn = arn:aws:iam::123456789012:role/etl\nsource_profile = base\n[sso-session corp]\nsso_start_url = https://x.awsapps.com/start\n",
            "[base]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n",
        );
        assert_eq!(profile_names(&env), ["base", "default", "etl"]);
        let typed: Vec<String> = profile_candidates(&env, OsStr::new("e"))
            .iter()
            .map(|c| c.get_value().to_string_lossy().into_owned())
            .collect();
        assert_eq!(typed, ["etl"]);
    }

    #[test]
    fn names_that_need_quoting_are_not_offered() {
        assert!(typeable("etl-prod.eu_1"));
        assert!(!typeable("my profile"));
        assert!(!typeable("a$b"));
        assert!(!typeable("x\u{1b}[31m"));
        assert!(!typeable(""));
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_config_is_not_waited_for() {
        let home = tempfile::tempdir().unwrap();
        std::fs::create_dir(home.path().join(".aws")).unwrap();
        let fifo = home.path().join(".aws/config");
        let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        // SAFETY: a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        let env = Env::fake(
            [("HOME", home.path().to_str().unwrap())],
            chrono::DateTime::from_timestamp(1_800_000_000, 0).unwrap(),
        );
        let started = std::time::Instant::now();
        assert!(profile_names(&env).is_empty());
        assert!(started.elapsed() < PARSE_BUDGET * 2);
    }

    #[test]
    fn every_shell_has_a_registration() {
        for shell in [
            clap_complete::Shell::Bash,
            clap_complete::Shell::Zsh,
            clap_complete::Shell::Fish,
            clap_complete::Shell::PowerShell,
            clap_complete::Shell::Elvish,
        ] {
            let text = registration(shell).unwrap();
            assert!(text.contains(VAR), "{shell}: {text}");
        }
    }
}
