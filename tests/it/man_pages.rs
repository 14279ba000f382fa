//! The man pages (`docs/man/`, `expiry-doctor man [COMMAND]`) render cleanly and say what they
//! owe: groff renders each with every warning on (`-ww`) and none may appear; every variable
//! the source reads is in ENVIRONMENT.
//!
//! groff is the machine's or Debian's groff-base unpacked by scripts/setup-test-deps
//! (`EXPIRY_DOCTOR_GROFF`), so the rendering test is `#[ignore = "needs scripts/test"]`.

use crate::common::moto::required;
use expiry_doctor::commands::man;
use std::path::Path;
use std::process::Command;

#[test]
#[ignore = "needs scripts/test"]
fn every_page_renders_without_a_groff_warning() {
    let groff = required("EXPIRY_DOCTOR_GROFF");
    let extra = required("EXPIRY_DOCTOR_GROFF_ENV");
    let dir = tempfile::tempdir().unwrap();
    let pages = man::pages();
    assert!(pages.len() >= 8, "{} pages", pages.len());
    for (file, text) in pages {
        let path = dir.path().join(&file);
        std::fs::write(&path, &text).unwrap();
        let mut cmd = Command::new(&groff);
        // -ww: every warning; -z: format, print nothing; -t: tables, as man does; -Tutf8: the
        // device man uses on a UTF-8 terminal (prompt's page shows its ⏳ and ⚠).
        cmd.args(["-man", "-ww", "-z", "-t", "-Tutf8"]).arg(&path);
        let bin = Path::new(&groff).parent().unwrap();
        cmd.env(
            "PATH",
            format!(
                "{}:{}",
                bin.display(),
                std::env::var("PATH").unwrap_or_default()
            ),
        );
        for pair in extra.split_whitespace() {
            let (k, v) = pair.split_once('=').unwrap();
            cmd.env(k, v);
        }
        let out = cmd.output().unwrap();
        let warnings = String::from_utf8_lossy(&out.stderr);
        assert!(
            out.status.success() && warnings.trim().is_empty(),
            "groff -man -ww on {file}: exit {:?}\n{warnings}",
            out.status.code()
        );
    }
}

/// Every environment variable the source names (`AWS_*`, `AWSUME_*`, and the few others it
/// reads) is documented in ENVIRONMENT, so a variable added to gathering is added there too.
#[test]
fn environment_lists_every_variable_the_source_reads() {
    let documented: Vec<&str> = man::ENVIRONMENT
        .iter()
        .flat_map(|v| v.names.iter().copied())
        .collect();
    let mut missing = Vec::new();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut stack = vec![root];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            // Triage's tables hold what logs print (aws-c-auth's AWS_AUTH_SIGNING_* error
            // names), not variables anything reads.
            if path.extension().is_none_or(|e| e != "rs") || path.ends_with("triage/classes.rs") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            // Unit tests make up variables of their own.
            let code = text.split("#[cfg(test)]\nmod tests").next().unwrap();
            for name in quoted_variables(code) {
                if !documented.contains(&name.as_str()) && !missing.contains(&name) {
                    missing.push(name);
                }
            }
        }
    }
    missing.sort();
    assert!(
        missing.is_empty(),
        "read by the source but not in man::ENVIRONMENT: {missing:?}"
    );
}

/// `"AWS_…"`, `"AWSUME_…"` string literals, and `var("…")`/`raw("…")`/`is_set("…")` reads of
/// any upper-case name. A prefix (`"AWS_ENDPOINT_URL_"`, formatted with a service) is not a
/// variable.
fn quoted_variables(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (i, _) in text.match_indices('"') {
        let rest = &text[i + 1..];
        let end = rest
            .find(|c: char| !(c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_'))
            .unwrap_or(rest.len());
        let name = &rest[..end];
        if !rest[end..].starts_with('"') || name.is_empty() || name.ends_with('_') {
            continue;
        }
        let before = &text[..i];
        let read = ["var(", "raw(", "is_set(", "not_unicode("]
            .iter()
            .any(|f| before.ends_with(f));
        let aws = name.starts_with("AWS_") || name.starts_with("AWSUME_");
        if aws || read {
            out.push(name.to_string());
        }
    }
    out
}
