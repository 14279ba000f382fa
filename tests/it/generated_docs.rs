//! Files generated from the code and committed: `docs/reference/` (from the `explain`
//! registry), the man page `docs/man/expiry-doctor.1` and the shell completions in
//! `docs/completions/` (from the clap definitions). These tests fail when one is out of date;
//! `EXPIRY_DOCTOR_UPDATE_DOCS=1 cargo test --test it generated_docs` rewrites them; commit the
//! result.

use expiry_doctor::commands::explain;
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
fn man_page_and_completions_are_current() {
    let mut want = vec![(root().join("docs/man/expiry-doctor.1"), printed(&["man"]))];
    for (shell, file) in [
        ("bash", "expiry-doctor.bash"),
        ("zsh", "_expiry-doctor"),
        ("fish", "expiry-doctor.fish"),
        ("powershell", "_expiry-doctor.ps1"),
    ] {
        want.push((
            root().join("docs/completions").join(file),
            printed(&["completions", shell]),
        ));
    }
    // The page documents every subcommand and the flags people look for.
    let man = &want[0].1;
    for needle in [
        r"expiry\-doctor\-check",
        r"expiry\-doctor\-triage",
        r"expiry\-doctor\-roles",
        r"\-\-expected\-runtime",
        r"\-\-all\-profiles",
    ] {
        assert!(man.contains(needle), "the man page lacks {needle}");
    }
    assert!(
        want[1].1.contains("--expected-runtime"),
        "bash completion lacks the flags"
    );
    assert_current(sync(&want));
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
