//! Files generated from the code and committed: `docs/reference/` (from the `explain`
//! registry), the man pages `docs/man/*.1` (one per command) and the shell completions in
//! `docs/completions/` (from the clap definitions). These tests fail when one is out of date;
//! `EXPIRY_DOCTOR_UPDATE_DOCS=1 cargo test --test it generated_docs` rewrites them; commit the
//! result.

use expiry_doctor::commands::{explain, man};
use expiry_doctor::render::explain as explain_text;
use std::path::PathBuf;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn updating() -> bool {
    std::env::var_os("EXPIRY_DOCTOR_UPDATE_DOCS").is_some()
}

/// Compares (or, when updating, writes) each file; the stale paths.
fn sync(want: &[(PathBuf, String)]) -> Vec<String> {
    let mut stale = Vec::new();
    for (path, text) in want {
        if std::fs::read_to_string(path).ok().as_deref() != Some(text.as_str()) {
            if updating() {
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                std::fs::write(path, text).unwrap();
            } else {
                stale.push(path.display().to_string());
            }
        }
    }
    stale
}

fn assert_current(stale: Vec<String>) {
    assert!(
        stale.is_empty(),
        "out of date; run EXPIRY_DOCTOR_UPDATE_DOCS=1 cargo test --test it generated_docs:\n{}",
        stale.join("\n")
    );
}

/// What the binary itself prints for `args`.
fn printed(args: &[&str]) -> String {
    let out = assert_cmd::Command::cargo_bin("expiry-doctor")
        .unwrap()
        .env_clear()
        .args(args)
        .output()
        .unwrap();
    assert!(out.status.success(), "{args:?}");
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn man_pages_and_completions_are_current() {
    // One page per command beside the overview, as the binary prints them.
    let pages = man::pages();
    assert_eq!(pages[0].0, "expiry-doctor.1");
    let mut want: Vec<(PathBuf, String)> = Vec::new();
    for (file, text) in &pages {
        let name = file.trim_end_matches(".1");
        let printed = match name.strip_prefix("expiry-doctor-") {
            Some(command) => printed(&["man", command]),
            None => printed(&["man"]),
        };
        assert_eq!(&printed, text, "`man` prints {file} as generated");
        for section in [
            ".SH NAME",
            ".SH SYNOPSIS",
            ".SH \"EXIT STATUS\"",
            ".SH ENVIRONMENT",
        ] {
            assert!(text.contains(section), "{file} lacks {section}");
        }
        want.push((root().join("docs/man").join(file), text.clone()));
    }
    for command in [
        "check",
        "exec",
        "triage",
        "roles",
        "explain",
        "completions",
        "man",
    ] {
        assert!(
            pages
                .iter()
                .any(|(f, _)| *f == format!("expiry-doctor-{command}.1")),
            "no page for {command}"
        );
    }
    let overview = &pages[0].1;
    for needle in [
        r"expiry\-doctor\-check(1)",
        ".SH FILES",
        ".SH EXAMPLES",
        "NO_COLOR",
        "AWS_CONFIG_FILE",
        "EXPIRY_DOCTOR_COMPLETE",
        r"\-\-color",
    ] {
        assert!(overview.contains(needle), "the overview lacks {needle}");
    }
    let check = &pages
        .iter()
        .find(|(f, _)| f == "expiry-doctor-check.1")
        .unwrap()
        .1;
    for needle in [
        r"\-\-expected\-runtime",
        ".SH FILES",
        ".SH EXAMPLES",
        "AWS_PROFILE",
    ] {
        assert!(
            check.contains(needle),
            "expiry-doctor-check(1) lacks {needle}"
        );
    }
    for (shell, file) in [
        ("bash", "expiry-doctor.bash"),
        ("zsh", "_expiry-doctor"),
        ("fish", "expiry-doctor.fish"),
        ("powershell", "_expiry-doctor.ps1"),
        ("elvish", "expiry-doctor.elv"),
    ] {
        let script = printed(&["completions", shell]);
        assert!(
            script.contains("EXPIRY_DOCTOR_COMPLETE"),
            "the {shell} script does not call the binary back"
        );
        want.push((root().join("docs/completions").join(file), script));
    }
    let mut stale = sync(&want);
    // No page may outlive its command.
    for entry in std::fs::read_dir(root().join("docs/man")).unwrap() {
        let path = entry.unwrap().path();
        if !want.iter().any(|(p, _)| *p == path) {
            if updating() {
                std::fs::remove_file(&path).unwrap();
            } else {
                stale.push(format!("{} (no such command)", path.display()));
            }
        }
    }
    assert_current(stale);
}

/// Every command's `--help` ends with its exit codes, and the top-level `--help` lists every
/// command's, the same (issue 20: not only `check`'s).
#[test]
fn top_level_help_lists_every_commands_exit_codes() {
    let top = printed(&["--help"]);
    let listed = top
        .split_once("Exit codes:\n")
        .expect("the top-level --help has no Exit codes block")
        .1;
    // The top-level block: a line naming the commands ("  check", "  completions, man,
    // explain"), then their codes indented by four.
    let mut blocks: Vec<(Vec<String>, String)> = Vec::new();
    for line in listed.lines() {
        if let Some(codes) = line.strip_prefix("    ") {
            let block = blocks.last_mut().expect("codes before a command name");
            block.1.push_str(&format!("  {codes}\n"));
        } else if let Some(names) = line.strip_prefix("  ") {
            blocks.push((
                names.split(',').map(|n| n.trim().to_string()).collect(),
                String::new(),
            ));
        } else {
            break;
        }
    }
    let cmd = <expiry_doctor::cli::Cli as clap::CommandFactory>::command();
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        let name = sub.get_name();
        if name == "help" {
            continue;
        }
        let own = printed(&[name, "--help"]);
        let own = own
            .split_once("Exit codes:\n")
            .unwrap_or_else(|| panic!("`{name} --help` has no Exit codes block"))
            .1;
        let (_, codes) = blocks
            .iter()
            .find(|(names, _)| names.iter().any(|n| n == name))
            .unwrap_or_else(|| panic!("the top-level --help lists no exit codes for {name}"));
        assert_eq!(
            man::epilogue(&format!("Exit codes:\n{codes}")).exit_codes,
            man::epilogue(&format!("Exit codes:\n{own}")).exit_codes,
            "the top-level --help and `{name} --help` give different exit codes"
        );
    }
}

#[test]
fn reference_docs_are_current() {
    let dir = root().join("docs/reference");
    let mut want: Vec<(PathBuf, String)> =
        vec![(dir.join("README.md"), explain_text::index_markdown())];
    for e in explain::all() {
        want.push((
            dir.join(e.kind.folder()).join(format!("{}.md", e.id)),
            explain_text::markdown(&e),
        ));
    }
    let mut stale = sync(&want);
    // No page may outlive its id.
    for folder in ["checks", "fixes", "triage-classes"] {
        let Ok(entries) = std::fs::read_dir(dir.join(folder)) else {
            continue;
        };
        for entry in entries {
            let path = entry.unwrap().path();
            if !want.iter().any(|(p, _)| *p == path) {
                if updating() {
                    std::fs::remove_file(&path).unwrap();
                } else {
                    stale.push(format!("{} (no such id)", path.display()));
                }
            }
        }
    }
    assert_current(stale);
}

#[test]
fn version_names_the_build() {
    let v = printed(&["--version"]);
    assert!(
        v.starts_with(&format!("expiry-doctor {}", env!("CARGO_PKG_VERSION"))),
        "{v}"
    );
    // In a git checkout the revision follows: `expiry-doctor 0.1.0 (1a2b3c4d5e6f)`.
    if root().join(".git").exists() {
        let rev = v.trim().rsplit(' ').next().unwrap();
        assert!(
            rev.starts_with('(') && rev.ends_with(')') && rev.len() == 14,
            "{v}"
        );
    }
}
