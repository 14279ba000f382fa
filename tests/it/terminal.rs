//! Colour only on a terminal, and never with NO_COLOR. A real pseudo-terminal comes from
//! util-linux `script`, which Debian ships in every base system.

use crate::common::*;

fn under_pty(h: &Home, no_color: bool) -> String {
    under_pty_args(h, no_color, "")
}

fn under_pty_args(h: &Home, no_color: bool, extra: &str) -> String {
    let bin = assert_cmd::cargo::cargo_bin("expiry-doctor");
    // `script` runs the command on a pty it creates; stty gives that pty a real width.
    let mut cmd = std::process::Command::new("script");
    cmd.env_clear()
        .env("HOME", h.path())
        .env("PATH", "/usr/bin:/bin")
        .env("TERM", "xterm")
        .env("AWS_EC2_METADATA_DISABLED", "true");
    if no_color {
        cmd.env("NO_COLOR", "1");
    }
    let o = cmd
        .args([
            "-qec",
            &format!("stty cols 120; {} check --offline {extra}", bin.display()),
            "/dev/null",
        ])
        .output()
        .expect("util-linux script");
    String::from_utf8(o.stdout).unwrap()
}

#[test]
fn colour_on_a_terminal_unless_no_color() {
    let h = Home::new();
    let coloured = under_pty(&h, false);
    assert!(
        coloured.contains("\x1b["),
        "a terminal gets colour:\n{coloured}"
    );
    assert!(coloured.contains("credential-source"));
    let plain = under_pty(&h, true);
    assert!(!plain.contains("\x1b["), "NO_COLOR is honoured:\n{plain}");
    assert!(plain.contains("credential-source"));
}

#[test]
fn the_color_flag_wins_over_the_terminal_and_no_color() {
    let h = Home::new();
    let never = under_pty_args(&h, false, "--color never");
    assert!(!never.contains("\x1b["), "{never}");
    let always = under_pty_args(&h, true, "--color always");
    assert!(
        always.contains("\x1b["),
        "--color always beats NO_COLOR: {always}"
    );
    // In a pipe: plain unless asked.
    let piped = h
        .cmd()
        .args(["check", "--offline", "--color", "always"])
        .output()
        .unwrap();
    assert!(String::from_utf8(piped.stdout).unwrap().contains("\x1b["));
    let piped = h
        .cmd()
        .env_remove("NO_COLOR")
        .args(["check", "--offline"])
        .output()
        .unwrap();
    assert!(!String::from_utf8(piped.stdout).unwrap().contains("\x1b["));
}

#[test]
fn no_spinner_or_progress_when_stderr_is_not_a_terminal() {
    let out = Home::new()
        .cmd()
        .args(["check", "--offline"])
        .output()
        .unwrap();
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Runs `check --offline` over `n` static-key profiles with stdout on `out`.
fn audit_to(n: usize, json: bool, out: std::process::Stdio) -> (Home, std::process::Child) {
    let h = Home::new();
    let creds: String = (0..n)
        .map(|i| {
            format!(
                "[p{i:04}]\naws_access_key_id = {LONG_TERM_KEY_ID}\naws_secret_access_key = x\n"
            )
        })
        .collect();
    h.write(".aws/credentials", creds);
    let mut cmd = h.std_cmd();
    cmd.args(["check", "--offline", "--all-profiles"]);
    if json {
        cmd.args(["--output", "json"]);
    }
    let child = cmd
        .stdout(out)
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    (h, child)
}

#[test]
fn a_report_that_cannot_be_written_is_exit_2_with_a_message() {
    // `> /dev/full`: every write fails with ENOSPC.
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let (_home, child) = audit_to(3, false, full.into());
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "error: cannot write the report to stdout: no space left on the device\n"
    );

    // A pipe whose reader is gone before anything was written.
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let (_home, child) = audit_to(3, false, writer.into());
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("the reader closed the pipe before reading anything"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_reader_that_stops_after_reading_some_is_not_an_error() {
    use std::io::Read;
    // `| head -c 100`: the report (far more than a pipe holds) is cut short by its reader; the
    // exit code is the verdict's, and nothing is said.
    let (mut reader, writer) = std::io::pipe().unwrap();
    let (_home, child) = audit_to(400, true, writer.into());
    let mut first = [0u8; 100];
    reader.read_exact(&mut first).unwrap();
    drop(reader);
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
    assert!(first.starts_with(b"["));
}
