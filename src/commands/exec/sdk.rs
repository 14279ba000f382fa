//! Which SDK the wrapped job runs, when its command says so: a Python interpreter, a script
//! whose `#!` line names one, or the AWS CLI (botocore underneath). Anything else (a compiled
//! program, a shell script) is not guessed: every modelled SDK is judged.

use crate::cli::SdkArg;
use std::ffi::OsString;
use std::path::Path;

/// What the command was recognised as, for the line that says so.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Inferred {
    pub sdk: SdkArg,
    /// The word that decided (`python3`, `aws`, or the script's interpreter).
    pub because: String,
}

/// A program name that is a Python interpreter: `python`, `python3`, `python3.12`, `pypy3`.
fn is_python(name: &str) -> bool {
    let rest = name
        .strip_prefix("python")
        .or_else(|| name.strip_prefix("pypy"));
    rest.is_some_and(|r| r.chars().all(|c| c.is_ascii_digit() || c == '.'))
}

/// The interpreter a script's `#!` line names (`/usr/bin/env python3` → `python3`).
fn shebang(path: &Path) -> Option<String> {
    // Only a regular file is opened: a FIFO named as the job would block the wrapper.
    let head = crate::gather::files::read_head(path, 256)?;
    let line = std::str::from_utf8(&head).ok()?.lines().next()?;
    let words: Vec<&str> = line.strip_prefix("#!")?.split_whitespace().collect();
    let program = base(words.first()?);
    if program == "env" {
        words
            .iter()
            .skip(1)
            .find(|w| !w.starts_with('-'))
            .map(|w| base(w).to_string())
    } else {
        Some(program.to_string())
    }
}

fn base(word: &str) -> &str {
    word.rsplit('/').next().unwrap_or(word)
}

/// The SDK the job's command runs, when it can be told from the command.
pub fn infer(job: &[OsString]) -> Option<Inferred> {
    let words: Vec<String> = job
        .iter()
        .map(|w| w.to_string_lossy().into_owned())
        .collect();
    // `env VAR=x python3 …`: the program is the first word that is neither `env`, an option
    // nor an assignment.
    let program = words
        .iter()
        .enumerate()
        .find(|(i, w)| {
            let env_itself = *i == 0 && base(w) == "env";
            !(env_itself || w.starts_with('-') || w.contains('='))
        })
        .map(|(_, w)| w.as_str())?;
    let name = base(program);
    let python = |because: &str| {
        Some(Inferred {
            sdk: SdkArg::Python,
            because: because.to_string(),
        })
    };
    if is_python(name) || name == "aws" {
        return python(name);
    }
    match shebang(Path::new(program)) {
        Some(interpreter) if is_python(&interpreter) => python(&interpreter),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(ws: &[&str]) -> Vec<OsString> {
        ws.iter().map(OsString::from).collect()
    }

    #[test]
    fn interpreters_the_aws_cli_and_env_are_recognised() {
        for (cmd, because) in [
            (&["python3", "export.py"][..], "python3"),
            (&["/usr/bin/python3.12", "-m", "job"], "python3.12"),
            (&["aws", "s3", "sync", "a", "b"], "aws"),
            (&["env", "X=1", "python", "job.py"], "python"),
        ] {
            assert_eq!(
                infer(&words(cmd)),
                Some(Inferred {
                    sdk: SdkArg::Python,
                    because: because.into()
                }),
                "{cmd:?}"
            );
        }
        for cmd in [
            &["./export"][..],
            &["sh", "-c", "python3 x.py"],
            &["pythonic"],
        ] {
            assert_eq!(infer(&words(cmd)), None, "{cmd:?}");
        }
    }

    #[test]
    fn a_script_is_known_by_its_interpreter_line() {
        let dir = tempfile::tempdir().unwrap();
        let script = dir.path().join("export");
        std::fs::write(&script, "#!/usr/bin/env -S python3 -u\nimport boto3\n").unwrap();
        let got = infer(&[script.clone().into_os_string()]).unwrap();
        assert_eq!(got.because, "python3");
        std::fs::write(&script, "#!/bin/bash\nrun\n").unwrap();
        assert_eq!(infer(&[script.into_os_string()]), None);
    }
}
