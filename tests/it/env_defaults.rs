//! Issue 20: every `check` flag also comes from `EXPIRY_DOCTOR_<FLAG>` (a CI sets
//! `EXPIRY_DOCTOR_EXPECTED_RUNTIME=6h` once), a flag on the command line wins over its
//! variable, a bad value names the variable, and bare `expiry-doctor` runs `check`.

use crate::common::*;
use clap::CommandFactory;
use expiry_doctor::cli::Cli;

/// The variable each flag of `check` reads: EXPIRY_DOCTOR_ and the long name in capitals.
fn variable_of(long: &str) -> String {
    format!("EXPIRY_DOCTOR_{}", long.to_uppercase().replace('-', "_"))
}

#[test]
fn every_check_flag_has_its_variable_and_help_shows_it() {
    let cmd = Cli::command();
    let check = cmd.find_subcommand("check").unwrap();
    let mut seen = 0;
    for arg in check.get_arguments() {
        let Some(long) = arg.get_long() else { continue };
        if matches!(long, "help" | "color" | "debug") {
            continue;
        }
        let env = arg.get_env().and_then(|e| e.to_str());
        assert_eq!(env, Some(variable_of(long).as_str()), "--{long}");
        seen += 1;
    }
    assert!(seen >= 19, "only {seen} flags");
    let out = Home::new()
        .cmd()
        .args(["check", "--help"])
        .output()
        .unwrap();
    let help = String::from_utf8(out.stdout).unwrap();
    for var in [
        "EXPIRY_DOCTOR_EXPECTED_RUNTIME",
        "EXPIRY_DOCTOR_FAIL_ON",
        "EXPIRY_DOCTOR_OFFLINE",
    ] {
        assert!(
            help.contains(&format!("[env: {var}")),
            "{var} not in help:\n{help}"
        );
    }
}

/// `exported(Some(120))`: session keys that expire in two hours.
fn two_hours_left() -> Home {
    exported(Some(120))
}

#[test]
fn variables_set_the_flags_and_a_flag_wins_over_its_variable() {
    let run = |vars: &[(&str, &str)], args: &[&str]| {
        let mut home = two_hours_left();
        for (k, v) in vars {
            home.set(k, *v);
        }
        let out = home.cmd().args(args).output().unwrap();
        let stdout = String::from_utf8(out.stdout).unwrap();
        assert_no_secrets(&stdout);
        (stdout, out.status.code().unwrap())
    };
    let offline = ("EXPIRY_DOCTOR_OFFLINE", "true");
    // 1h (+5m margin) fits in two hours; 3h does not.
    let (_, code) = run(
        &[offline, ("EXPIRY_DOCTOR_EXPECTED_RUNTIME", "1h")],
        &["check"],
    );
    assert_eq!(code, 0);
    let (_, code) = run(
        &[offline, ("EXPIRY_DOCTOR_EXPECTED_RUNTIME", "3h")],
        &["check"],
    );
    assert_eq!(code, 1);
    let (_, code) = run(
        &[offline, ("EXPIRY_DOCTOR_EXPECTED_RUNTIME", "3h")],
        &["check", "--expected-runtime", "1h"],
    );
    assert_eq!(code, 0, "the flag wins over the variable");
    // The margin and the output format too: a 1h runtime with a 1h margin no longer fits.
    let (json, code) = run(
        &[
            offline,
            ("EXPIRY_DOCTOR_EXPECTED_RUNTIME", "1h"),
            ("EXPIRY_DOCTOR_MARGIN", "1h"),
            ("EXPIRY_DOCTOR_OUTPUT", "json"),
        ],
        &["check"],
    );
    assert_eq!(code, 1, "{json}");
    let report: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(report["verdict"], "fail");
    assert_eq!(status(&report, "expected-runtime"), "fail");
    // Boolean variables take the usual words: 0/false/no are off, 1/true/yes on.
    let (quiet, _) = run(&[offline, ("EXPIRY_DOCTOR_QUIET", "1")], &["check"]);
    let (loud, _) = run(&[offline, ("EXPIRY_DOCTOR_QUIET", "no")], &["check"]);
    assert_eq!(quiet.lines().count(), 1, "{quiet}");
    assert!(loud.lines().count() > 3, "{loud}");
    // --fail-on from its variable: a warning (session keys whose expiry nothing records)
    // fails the gate.
    let warn = |vars: &[(&str, &str)]| {
        let mut home = exported(None);
        for (k, v) in vars {
            home.set(k, *v);
        }
        home.cmd()
            .arg("check")
            .output()
            .unwrap()
            .status
            .code()
            .unwrap()
    };
    let fail_on_warn = ("EXPIRY_DOCTOR_FAIL_ON", "warn");
    assert_eq!((warn(&[offline]), warn(&[offline, fail_on_warn])), (0, 1));
}

#[test]
fn bare_expiry_doctor_runs_check() {
    let vars = [
        ("EXPIRY_DOCTOR_OFFLINE", "yes"),
        ("EXPIRY_DOCTOR_EXPECTED_RUNTIME", "3h"),
        ("EXPIRY_DOCTOR_OUTPUT", "json"),
    ];
    let run = |args: &[&str]| {
        let mut home = two_hours_left();
        for (k, v) in vars {
            home.set(k, v);
        }
        let out = home.cmd().args(args).output().unwrap();
        let report: serde_json::Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{args:?}: {e}: {}", String::from_utf8_lossy(&out.stderr)));
        (report, out.status.code().unwrap())
    };
    let (bare, bare_code) = run(&[]);
    let (check, check_code) = run(&["check"]);
    assert_eq!(bare_code, 1);
    assert_eq!(bare_code, check_code);
    assert_eq!(bare["verdict"], check["verdict"]);
    assert_eq!(bare["checks"], check["checks"]);
    // Global flags before the absent command still apply.
    let (_, code) = run(&["--color", "never"]);
    assert_eq!(code, 1);
}

#[test]
fn a_bad_value_from_a_variable_names_the_variable() {
    for (var, value, flag) in [
        (
            "EXPIRY_DOCTOR_EXPECTED_RUNTIME",
            "six",
            "--expected-runtime <DUR>",
        ),
        ("EXPIRY_DOCTOR_OFFLINE", "maybe", "--offline"),
        ("EXPIRY_DOCTOR_OUTPUT", "yaml", "--output <FORMAT>"),
    ] {
        for args in [&["check"][..], &[][..]] {
            let out = Home::new()
                .var(var, value)
                .cmd()
                .args(args)
                .output()
                .unwrap();
            let stderr = String::from_utf8(out.stderr).unwrap();
            assert_eq!(out.status.code(), Some(2), "{var}: {stderr}");
            assert!(out.stdout.is_empty());
            let mut lines = stderr.lines();
            let first = lines.next().unwrap_or_default();
            assert!(
                first.starts_with(&format!("error: invalid value '{value}' for '{flag}'")),
                "{var}={value}: {stderr}"
            );
            assert_eq!(
                lines.next(),
                Some(format!("  (the value comes from the environment: {var})").as_str()),
                "{stderr}"
            );
        }
    }
    // The same value given as a flag is the flag's error, without the note.
    let out = Home::new()
        .cmd()
        .args(["check", "--expected-runtime", "six"])
        .output()
        .unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(!stderr.contains("environment"), "{stderr}");
    // A variable that conflicts with a flag given on the command line says where it came from.
    let out = Home::new()
        .var("EXPIRY_DOCTOR_PROFILE", "etl")
        .cmd()
        .args(["check", "--all-profiles", "--offline"])
        .output()
        .unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr.contains("(the value comes from the environment: EXPIRY_DOCTOR_PROFILE)"),
        "{stderr}"
    );
}

/// `NO_COLOR` is honoured by `--color auto`; `--color always` wins over it (clap's convention:
/// an explicit flag beats the environment).
#[test]
fn color_always_wins_over_no_color() {
    let home = two_hours_left();
    let out = home
        .cmd()
        .args([
            "--color",
            "always",
            "check",
            "--offline",
            "--expected-runtime",
            "1h",
        ])
        .output()
        .unwrap();
    assert!(home.run_env().iter().any(|(k, _)| k == "NO_COLOR"));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("\x1b["), "no colour:\n{text}");
    let out = home
        .cmd()
        .args(["check", "--offline", "--expected-runtime", "1h"])
        .output()
        .unwrap();
    assert!(!String::from_utf8(out.stdout).unwrap().contains("\x1b["));
}
