//! Completion as users get it: the script `completions SHELL` prints, loaded into real bash,
//! zsh and fish, each driven through its own completion machinery without a terminal of ours
//! (bash: `COMP_WORDS`/`COMP_CWORD` and the function `complete -p` names,
//! `tests/support/bash_complete.sh`; zsh: an interactive zsh on a pseudo-terminal, TAB typed,
//! `compadd` captured, `tests/support/zsh_complete.zsh`; fish: `complete -C`). Each shell then
//! runs the real binary for its candidates, as it does for a user.
//!
//! Asserted in every shell: `check --exp<TAB>` completes the flag, `check --output <TAB>`
//! offers the formats, `--profile <TAB>` (in check, exec and roles) offers the profile names of
//! the machine's own config files and never a value from them, `man <TAB>` the commands.
//!
//! bash is the machine's, so its tests run in plain `cargo test`; zsh and fish are Debian's,
//! unpacked by scripts/setup-test-deps (`EXPIRY_DOCTOR_ZSH`, `EXPIRY_DOCTOR_FISH`, …), so
//! their tests are `#[ignore = "needs scripts/test"]` and fail, naming the variable, when run
//! without it. Every shell runs under `timeout`: a completion that hangs fails its test.

use crate::common::moto::required;
use crate::common::{Home, KEY_ID, SECRET, assert_no_secrets};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A machine with profiles in both files: roles, keys, an SSO session (not a profile).
fn machine() -> Home {
    let home = Home::new();
    home.write(
        ".aws/config",
        "[default]\nregion = eu-west-1\n\n\
         [profile etl-prod]\nrole_arn = arn:aws:iam::123456789012:role/etl\nsource_profile = base\n\n\
         [profile audit]\nsso_session = corp\nsso_account_id = 123456789012\nsso_role_name = Audit\n\n\
         [sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = eu-west-1\n",
    );
    home.write(
        ".aws/credentials",
        format!("[base]\naws_access_key_id = {KEY_ID}\naws_secret_access_key = {SECRET}\n"),
    );
    home
}

/// What each line must complete to (in any order).
const CASES: &[(&str, &[&str])] = &[
    ("expiry-doctor check --exp", &["--expected-runtime"]),
    (
        "expiry-doctor check --output ",
        &["table", "json", "markdown", "github"],
    ),
    (
        "expiry-doctor check --profile ",
        &["audit", "base", "default", "etl-prod"],
    ),
    ("expiry-doctor roles --profile e", &["etl-prod"]),
    ("expiry-doctor exec --profile a", &["audit"]),
    ("expiry-doctor tri", &["triage"]),
    ("expiry-doctor man ch", &["check"]),
];

/// The directory of the binary under test, first on the shells' PATH.
fn bin_dir() -> PathBuf {
    assert_cmd::cargo::cargo_bin("expiry-doctor")
        .parent()
        .unwrap()
        .to_path_buf()
}

fn support(file: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/support")
        .join(file)
}

/// `program args…` under `timeout`, with the machine's environment and the binary on PATH;
/// its stdout.
fn run_shell(home: &Home, extra_env: &[(&str, String)], program: &str, args: &[&str]) -> String {
    let mut cmd = Command::new("timeout");
    cmd.arg("30").arg(program).args(args);
    cmd.env_clear().envs(home.run_env());
    cmd.env("PATH", format!("{}:/usr/bin:/bin", bin_dir().display()));
    for (k, v) in extra_env {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{program} exited {:?} (124: it hung for 30 s)\nstdout:\n{stdout}\nstderr:\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

/// Reads `> LINE` headers, each followed by its candidates (a fish candidate's description,
/// after a tab, dropped).
fn answers(output: &str) -> BTreeMap<String, Vec<String>> {
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut current = None;
    for line in output.lines() {
        if let Some(l) = line.strip_prefix("> ") {
            current = Some(l.to_string());
            out.entry(l.to_string()).or_default();
        } else if let Some(c) = &current {
            let value = line.split('\t').next().unwrap_or_default().trim_end();
            if !value.is_empty() {
                out.get_mut(c).unwrap().push(value.to_string());
            }
        }
    }
    for v in out.values_mut() {
        v.sort();
        v.dedup();
    }
    out
}

fn assert_cases(shell: &str, output: &str, cases: &[(&str, &[&str])]) {
    assert_no_secrets(output);
    let got = answers(output);
    for (line, want) in cases {
        let mut want: Vec<String> = want.iter().map(|s| s.to_string()).collect();
        want.sort();
        let answer = got
            .get(*line)
            .unwrap_or_else(|| panic!("{shell}: no answer for {line:?}:\n{output}"));
        assert_eq!(
            answer, &want,
            "{shell}: {line:?}<TAB> offers {answer:?}, not {want:?}"
        );
    }
}

fn lines<'a>(cases: &[(&'a str, &[&str])]) -> Vec<&'a str> {
    cases.iter().map(|(l, _)| *l).collect()
}

fn bash(home: &Home, extra_env: &[(&str, String)], cases: &[(&str, &[&str])]) -> String {
    let script = support("bash_complete.sh");
    let mut args = vec!["--norc", "--noprofile", script.to_str().unwrap()];
    args.extend(lines(cases));
    run_shell(home, extra_env, "bash", &args)
}

#[test]
fn bash_completes_flags_values_and_profiles() {
    let home = machine();
    let out = bash(&home, &[], CASES);
    assert_cases("bash", &out, CASES);
}

/// `AWS_CONFIG_FILE` and `AWS_SHARED_CREDENTIALS_FILE` name the files, as for the SDK; a FIFO
/// in their place is not waited for (the shell gets no names, at once).
#[test]
fn profiles_come_from_the_files_the_environment_names() {
    let home = machine();
    let elsewhere = home.write("elsewhere/config", "[profile moved]\nregion = eu-west-1\n");
    let creds = home.write(
        "elsewhere/credentials",
        "[keys-too]\naws_access_key_id = x\n",
    );
    let home = home
        .var("AWS_CONFIG_FILE", elsewhere.to_str().unwrap())
        .var("AWS_SHARED_CREDENTIALS_FILE", creds.to_str().unwrap());
    let cases: &[(&str, &[&str])] = &[("expiry-doctor check --profile ", &["keys-too", "moved"])];
    assert_cases("bash", &bash(&home, &[], cases), cases);

    let fifo = home.path().join("fifo-config");
    let status = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(status.success());
    home.settle();
    let home = home.var("AWS_CONFIG_FILE", fifo.to_str().unwrap());
    let cases: &[(&str, &[&str])] = &[("expiry-doctor check --profile ", &["keys-too"])];
    let started = std::time::Instant::now();
    assert_cases("bash", &bash(&home, &[], cases), cases);
    // The promise: a completion never waits on a config file longer than its parse budget.
    assert!(
        started.elapsed() < expiry_doctor::commands::completions::PARSE_BUDGET * 3,
        "completion with a FIFO config took {:?}",
        started.elapsed()
    );
}

#[test]
#[ignore = "needs scripts/test"]
fn zsh_completes_flags_values_and_profiles() {
    let zsh = required("EXPIRY_DOCTOR_ZSH");
    let env = [
        ("ZT_ZSH", zsh.clone()),
        ("ZT_MODULES", required("EXPIRY_DOCTOR_ZSH_MODULES")),
        ("ZT_FUNCTIONS", required("EXPIRY_DOCTOR_ZSH_FUNCTIONS")),
    ];
    let script = support("zsh_complete.zsh");
    // Sourced as a user does in ~/.zshrc, and installed in $fpath as packages do (autoloaded
    // by compinit on the first TAB, which must already complete).
    for mode in ["source", "fpath"] {
        let home = machine();
        let scratch = tempfile::tempdir().unwrap();
        let mut env = env.to_vec();
        env.push(("ZT_DIR", scratch.path().to_str().unwrap().to_string()));
        let mut args = vec!["-f", script.to_str().unwrap(), mode];
        args.extend(lines(CASES));
        let out = run_shell(&home, &env, &zsh, &args);
        assert_cases(&format!("zsh ({mode})"), &out, CASES);
    }
}

#[test]
#[ignore = "needs scripts/test"]
fn fish_completes_flags_values_and_profiles() {
    let fish = required("EXPIRY_DOCTOR_FISH");
    // fish keeps its own state (history, universal variables) under XDG directories: a
    // scratch directory's, not the fake HOME's.
    let scratch = tempfile::tempdir().unwrap();
    let xdg = |d: &str| scratch.path().join(d).to_str().unwrap().to_string();
    let env = [
        (
            "LD_LIBRARY_PATH",
            required("EXPIRY_DOCTOR_FISH_LD_LIBRARY_PATH"),
        ),
        ("XDG_CONFIG_HOME", xdg("config")),
        ("XDG_DATA_HOME", xdg("data")),
    ];
    let home = machine();
    let mut args = vec![
        "--no-config",
        "-c",
        "expiry-doctor completions fish | source\n\
         for line in $argv\n    echo \"> $line\"\n    complete -C \"$line\"\nend",
    ];
    args.extend(lines(CASES));
    let out = run_shell(&home, &env, &fish, &args);
    assert_cases("fish", &out, CASES);
}
