//! `--sdk`: expiry-doctor's models of botocore and aws-config held to the real SDKs.
//!
//! - `recorded`: the hand-written corner cases of `tests/support/botocore_oracle_examples.json`,
//!   against the outcomes real botocore gave for them (recorded beside them by the oracle);
//!   plain `cargo test`.
//! - `differential`: generated configurations (`generate`), resolved by real botocore (the
//!   venv's, `tests/support/botocore_oracle.py`) and by aws-config's own chain
//!   (`examples/aws_config_oracle.rs`) against a loopback stub; `scripts/test`.

mod differential;
mod generate;
mod recorded;

use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;

/// What a job gets, as the oracles and our report say it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outcome {
    pub credentials: bool,
    pub source: String,
}

impl Outcome {
    /// The same answer: both get credentials from the same source, or neither gets any.
    pub fn agrees(&self, other: &Outcome) -> bool {
        self.credentials == other.credentials && (!self.credentials || self.source == other.source)
    }
}

/// An oracle's outcome object.
pub fn oracle_outcome(v: &Value) -> Outcome {
    Outcome {
        credentials: v["credentials"].as_bool().unwrap_or(false),
        source: v["source"].as_str().unwrap_or("none").to_string(),
    }
}

/// A scenario's environment and files, written into `home`, with `{HOME}` and `{STUB}`
/// replaced. The routing `AWS_ENDPOINT_URL={STUB}` is not part of the job's environment (the
/// oracles send the SDKs' requests to the stub themselves).
pub fn materialise(scenario: &Value, home: &Path, stub: &str) -> BTreeMap<String, String> {
    let sub = |v: &str| {
        v.replace("{HOME}", home.to_str().unwrap())
            .replace("{STUB}", stub)
    };
    if let Some(files) = scenario["files"].as_object() {
        for (rel, content) in files {
            let path = home.join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            let content = sub(content.as_str().unwrap());
            std::fs::write(&path, &content).unwrap();
            if content.starts_with("#!") {
                use std::os::unix::fs::PermissionsExt;
                std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
            }
        }
    }
    let mut env: BTreeMap<String, String> = scenario["env"]
        .as_object()
        .map(|m| {
            m.iter()
                .filter(|(k, v)| !(*k == "AWS_ENDPOINT_URL" && v.as_str() == Some("{STUB}")))
                .map(|(k, v)| (k.clone(), sub(v.as_str().unwrap())))
                .collect()
        })
        .unwrap_or_default();
    env.insert("HOME".into(), home.to_str().unwrap().into());
    env.insert("PATH".into(), "/usr/bin:/bin".into());
    env
}

/// expiry-doctor's model of `sdk` (`python`, `rust`), offline, for one scenario.
pub fn ours(scenario: &Value, sdk: &str, stub: &str) -> (Outcome, String) {
    let home = tempfile::tempdir().unwrap();
    let env = materialise(scenario, home.path(), stub);
    let out = std::process::Command::new(assert_cmd::cargo::cargo_bin("expiry-doctor"))
        .env_clear()
        .envs(&env)
        .current_dir(home.path())
        .args([
            "check",
            "--offline",
            "--output",
            "json",
            "--timeout",
            "5s",
            "--sdk",
            sdk,
        ])
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{}: no report ({e}): {}",
            scenario["id"],
            String::from_utf8_lossy(&out.stderr)
        )
    });
    let c = &report["credentials"];
    let outcome = Outcome {
        credentials: c["obtained"].as_bool().unwrap_or(false),
        source: match c["obtained"].as_bool() {
            Some(true) => c["source"].as_str().unwrap_or("none").to_string(),
            _ => "none".into(),
        },
    };
    let why = report["checks"][0]["summary"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    (outcome, why)
}
