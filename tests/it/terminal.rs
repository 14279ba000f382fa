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
