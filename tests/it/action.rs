//! The GitHub Action (`action.yml`) and the workflows in `.github/workflows/`:
//! - actionlint (with shellcheck) passes every workflow, and through the self-test workflow's
//!   `uses: ./` the action's inputs; shellcheck passes every `run:` script of the action
//!   (actionlint does not read composite actions' scripts);
//! - no `run:` script holds a `${{ }}` expression: inputs reach them through `env:` only;
//! - the action's steps run as the runner runs them (`bash --noprofile --norc -eo pipefail`,
//!   the step's `env:` with `${{ inputs.x }}` and `${{ github.… }}` filled in, the runner's
//!   `RUNNER_*` variables and `GITHUB_*` files) against fake credentials, offline: the summary,
//!   the outputs and the exit status for a pass, a fail, a warning with `fail-on: warn`, and a
//!   bad input; the release download, checksum verified, against assets that `scripts/release`
//!   packaged (the names action.yml, release.yml and Cargo.toml's binstall metadata use agree);
//! - hadolint passes the Dockerfile.
//!
//! YAML is read with the lint venv's PyYAML, and the linters come from scripts/setup-test-deps:
//! these tests are `#[ignore = "needs scripts/test"]`. Each costs well under a second but the
//! download test (it packages the debug binary: about 2 s).

use crate::common::moto::required;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A YAML file as JSON, through PyYAML (`safe_load`), as the CI examples read theirs.
fn yaml(path: &Path) -> Value {
    crate::ci_examples::yaml_to_json(&std::fs::read_to_string(path).unwrap())
}

fn action() -> Value {
    yaml(&root().join("action.yml"))
}

fn steps(action: &Value) -> &[Value] {
    action["runs"]["steps"]
        .as_array()
        .expect("action.yml: runs.steps")
}

fn step<'a>(action: &'a Value, id: &str) -> &'a Value {
    steps(action)
        .iter()
        .find(|s| s["id"] == id)
        .unwrap_or_else(|| panic!("action.yml has no step with id {id}"))
}

fn workflows() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join(".github/workflows"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "yml" || x == "yaml"))
        .collect();
    files.sort();
    files
}

#[test]
#[ignore = "needs scripts/test"]
fn workflows_pass_actionlint_and_the_actions_scripts_pass_shellcheck() {
    let actionlint = required("EXPIRY_DOCTOR_ACTIONLINT");
    let shellcheck = required("EXPIRY_DOCTOR_SHELLCHECK");
    let flows = workflows();
    let names: Vec<String> = flows
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert!(
        names.iter().any(|n| n == "release.yml") && names.iter().any(|n| n == "action.yml"),
        ".github/workflows has the release and the action's self-test: {names:?}"
    );
    // From the repository root, so that `uses: ./` finds action.yml and checks its inputs.
    let out = Command::new(&actionlint)
        .current_dir(root())
        .args(["-no-color", "-oneline", "-pyflakes="])
        .arg(format!("-shellcheck={shellcheck}"))
        .args(&flows)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "actionlint:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );

    let action = action();
    let mut findings = Vec::new();
    for s in steps(&action) {
        let Some(run) = s["run"].as_str() else {
            continue;
        };
        let id = s["id"].as_str().unwrap_or("?");
        assert_eq!(s["shell"], "bash", "step {id}: shell: bash (with pipefail)");
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("step.sh");
        std::fs::write(&file, run).unwrap();
        // As the runner runs it: bash -eo pipefail; the env it reads is the step's and the runner's.
        let out = Command::new(&shellcheck)
            .args(["--norc", "--shell=bash", "--format=gcc"])
            .arg(&file)
            .output()
            .unwrap();
        if !out.status.success() {
            findings.push(format!(
                "step {id}:\n{}",
                String::from_utf8_lossy(&out.stdout).replace(&*file.to_string_lossy(), "run")
            ));
        }
    }
    assert!(findings.is_empty(), "shellcheck:\n{}", findings.join("\n"));
}

#[test]
#[ignore = "needs scripts/test"]
fn the_actions_scripts_hold_no_expressions() {
    let action = action();
    let mut runs = 0;
    for s in steps(&action) {
        if let Some(run) = s["run"].as_str() {
            runs += 1;
            assert!(
                !run.contains("${{"),
                "step {}: an expression in `run:` is pasted into the script; pass it through env:",
                s["id"]
            );
        }
    }
    assert!(runs >= 3, "action.yml runs its scripts");
    for (name, input) in action["inputs"].as_object().unwrap() {
        assert!(
            input["description"].as_str().is_some_and(|d| !d.is_empty()),
            "input {name} is described"
        );
    }
    let inputs: Vec<&String> = action["inputs"].as_object().unwrap().keys().collect();
    for want in [
        "expected-runtime",
        "profile",
        "role-arn",
        "fail-on",
        "sdk",
        "args",
        "version",
    ] {
        assert!(
            inputs.iter().any(|i| *i == want),
            "input {want}: {inputs:?}"
        );
    }
}

/// A simulated runner: its temp directory, its `GITHUB_*` files and `RUNNER_*` variables.
struct Runner {
    dir: tempfile::TempDir,
    os: &'static str,
    arch: &'static str,
}

impl Runner {
    fn new() -> Runner {
        let dir = tempfile::tempdir().unwrap();
        for d in ["temp", "home", "bin"] {
            std::fs::create_dir(dir.path().join(d)).unwrap();
        }
        for f in ["summary.md", "output", "path", "env"] {
            std::fs::write(dir.path().join(f), "").unwrap();
        }
        Runner {
            dir,
            os: "Linux",
            arch: "X64",
        }
    }

    fn file(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn read(&self, name: &str) -> String {
        std::fs::read_to_string(self.file(name)).unwrap()
    }

    /// `$GITHUB_OUTPUT` as written (`name=value` lines).
    fn outputs(&self) -> BTreeMap<String, String> {
        self.read("output")
            .lines()
            .filter_map(|l| l.split_once('='))
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    /// Runs step `id` of action.yml with these inputs (the rest take their defaults) and this
    /// extra environment (the job's: credentials), with `path` as PATH.
    fn run(&self, id: &str, inputs: &[(&str, &str)], env: &[(&str, String)], path: &str) -> Output {
        let action = action();
        let step = step(&action, id);
        let script = step["run"].as_str().unwrap();
        let file = self.file(&format!("{id}.sh"));
        std::fs::write(&file, script).unwrap();

        let mut cmd = Command::new("bash");
        cmd.args(["--noprofile", "--norc", "-eo", "pipefail"])
            .arg(&file)
            .env_clear()
            .env("PATH", path)
            .env("HOME", self.file("home"))
            .env("RUNNER_OS", self.os)
            .env("RUNNER_ARCH", self.arch)
            .env("RUNNER_TEMP", self.file("temp"))
            .env("GITHUB_STEP_SUMMARY", self.file("summary.md"))
            .env("GITHUB_OUTPUT", self.file("output"))
            .env("GITHUB_PATH", self.file("path"))
            .env("GITHUB_ENV", self.file("env"))
            .env("GITHUB_REPOSITORY", "your-org/expiry-doctor")
            .env("GITHUB_SERVER_URL", "https://github.invalid")
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .env("NO_COLOR", "1")
            .env("TZ", "UTC");
        if let Some(vars) = step["env"].as_object() {
            for (k, v) in vars {
                cmd.env(k, expand(&action, v.as_str().unwrap_or_default(), inputs));
            }
        }
        for (k, v) in env {
            cmd.env(k, v);
        }
        cmd.output().unwrap()
    }
}

/// A step's `env:` value as the runner evaluates it: the inputs (given, or their default), the
/// action's path and repository. Any other expression fails the test.
fn expand(action: &Value, value: &str, inputs: &[(&str, &str)]) -> String {
    let mut out = String::new();
    let mut rest = value;
    while let Some(start) = rest.find("${{") {
        out.push_str(&rest[..start]);
        let end = rest[start..].find("}}").expect("an unclosed expression") + start;
        let expr = rest[start + 3..end].trim();
        let got = if let Some(name) = expr.strip_prefix("inputs.") {
            inputs
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.to_string())
                .or_else(|| {
                    let input = &action["inputs"][name];
                    assert!(
                        input.is_object(),
                        "`{expr}`: action.yml has no input {name}"
                    );
                    Some(input["default"].as_str().unwrap_or_default().to_string())
                })
                .unwrap()
        } else if expr == "github.action_path" {
            root().to_string_lossy().into_owned()
        } else if expr == "github.action_repository" {
            "your-org/expiry-doctor".into()
        } else {
            panic!("the test does not evaluate `{expr}`")
        };
        out.push_str(&got);
        rest = &rest[end + 2..];
    }
    out.push_str(rest);
    out
}

/// The directory of the binary under test and the system's, as the installed action sees them.
fn path_with_binary() -> String {
    let bin = assert_cmd::cargo::cargo_bin("expiry-doctor");
    format!("{}:/usr/bin:/bin", bin.parent().unwrap().display())
}

/// Exported session credentials that expire `in_minutes` from now (`None`: no recorded
/// expiry), and that expiry as the report writes it.
fn exported(in_minutes: Option<i64>) -> (Vec<(&'static str, String)>, String) {
    let mut env = vec![
        ("AWS_ACCESS_KEY_ID", "ASIAIOSFODNN7EXAMPLE".to_string()),
        (
            "AWS_SECRET_ACCESS_KEY",
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY".to_string(),
        ),
        ("AWS_SESSION_TOKEN", "FwoGZXIvYXdzEXAMPLETOKEN".to_string()),
        ("AWS_REGION", "eu-west-1".to_string()),
    ];
    let mut at = String::new();
    if let Some(m) = in_minutes {
        at = (chrono::Utc::now() + chrono::TimeDelta::minutes(m))
            .format("%Y-%m-%dT%H:%M:%SZ")
            .to_string();
        env.push(("AWS_CREDENTIAL_EXPIRATION", at.clone()));
    }
    (env, at)
}

/// The check step's outputs, read through the action's `outputs:` as a workflow reads them.
fn action_outputs(runner: &Runner) -> BTreeMap<String, String> {
    let written = runner.outputs();
    let action = action();
    let mut out = BTreeMap::new();
    for (name, o) in action["outputs"].as_object().unwrap() {
        let value = o["value"].as_str().unwrap();
        let key = value
            .trim()
            .strip_prefix("${{ steps.check.outputs.")
            .and_then(|v| v.strip_suffix(" }}"))
            .unwrap_or_else(|| panic!("output {name} is the check step's: {value}"));
        out.insert(name.clone(), written.get(key).cloned().unwrap_or_default());
    }
    out
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
#[ignore = "needs scripts/test"]
fn the_check_step_passes_and_writes_summary_and_outputs() {
    let (mut env, expires_at) = exported(Some(8 * 60));
    // The job's own EXPIRY_DOCTOR_* flags: neither the report's shape nor the replays change.
    env.push(("EXPIRY_DOCTOR_VERBOSE", "true".into()));
    env.push(("EXPIRY_DOCTOR_REGION", "eu-west-1".into()));
    // With jq (GitHub's images have it), and without (python3 reads the report instead).
    let shim = tempfile::tempdir().unwrap();
    for tool in ["bash", "env", "python3"] {
        std::os::unix::fs::symlink(format!("/usr/bin/{tool}"), shim.path().join(tool)).unwrap();
    }
    let bin = assert_cmd::cargo::cargo_bin("expiry-doctor");
    let no_jq = format!(
        "{}:{}",
        bin.parent().unwrap().display(),
        shim.path().display()
    );
    for path in [path_with_binary(), no_jq] {
        let runner = Runner::new();
        let inputs = [
            ("expected-runtime", "6h"),
            ("sdk", "python"),
            ("args", "--offline  --margin 10m"),
        ];
        let out = runner.run("check", &inputs, &env, &path);
        let stdout = text(&out.stdout);
        assert_eq!(
            out.status.code(),
            Some(0),
            "PATH={path}\nstdout:\n{stdout}\nstderr:\n{}",
            text(&out.stderr)
        );
        assert!(!stdout.contains("::error"), "{stdout}");
        assert!(
            stdout.lines().last().unwrap().starts_with("PASS: "),
            "{stdout}"
        );

        let summary = runner.read("summary.md");
        assert!(
            summary.starts_with("### expiry-doctor: ✅ pass\n"),
            "{summary}"
        );
        assert!(summary.contains("| ✅ | `expected-runtime` |"), "{summary}");
        // --margin reached the replay that wrote the summary, not only the live run.
        assert!(summary.contains("plus a 10m margin"), "{summary}");

        let outputs = action_outputs(&runner);
        assert_eq!(outputs["verdict"], "pass");
        assert_eq!(outputs["expires-at"], expires_at, "PATH={path}");
        let report: Value =
            serde_json::from_str(&std::fs::read_to_string(&outputs["report"]).unwrap()).unwrap();
        assert_eq!(report["verdict"], "pass");
        assert_eq!(report["expected_runtime_seconds"], 6 * 3600);
        assert_eq!(report["sdk"], "python", "the sdk input reached the check");
        assert!(Path::new(&outputs["report"]).starts_with(runner.file("temp")));
    }
}

#[test]
#[ignore = "needs scripts/test"]
fn the_check_step_fails_the_job_whose_credentials_run_out() {
    let (env, expires_at) = exported(Some(30));
    let runner = Runner::new();
    let out = runner.run(
        "check",
        &[("expected-runtime", "6h"), ("args", "--offline")],
        &env,
        &path_with_binary(),
    );
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}{}", text(&out.stderr));
    assert!(
        stdout.contains("::error title=expiry-doctor expected-runtime::credentials expire at "),
        "{stdout}"
    );
    let summary = runner.read("summary.md");
    assert!(
        summary.starts_with("### expiry-doctor: ❌ fail\n"),
        "{summary}"
    );
    assert!(summary.contains("| ❌ | `expected-runtime` |"), "{summary}");
    let outputs = action_outputs(&runner);
    assert_eq!(outputs["verdict"], "fail");
    assert_eq!(outputs["expires-at"], expires_at);
    assert!(Path::new(&outputs["report"]).is_file());
}

#[test]
#[ignore = "needs scripts/test"]
fn fail_on_warn_fails_the_step_on_a_warning_and_a_bad_input_is_exit_2() {
    // No recorded expiry: a warning, exit 0 by default and 1 with fail-on: warn.
    let (env, _) = exported(None);
    for (fail_on, code) in [("fail", 0), ("warn", 1)] {
        let runner = Runner::new();
        let out = runner.run(
            "check",
            &[
                ("expected-runtime", "6h"),
                ("fail-on", fail_on),
                ("args", "--offline"),
            ],
            &env,
            &path_with_binary(),
        );
        let stdout = text(&out.stdout);
        assert_eq!(out.status.code(), Some(code), "fail-on {fail_on}: {stdout}");
        assert!(
            stdout.contains("::warning title=expiry-doctor expiration::"),
            "{stdout}"
        );
        let outputs = action_outputs(&runner);
        assert_eq!(outputs["verdict"], "warn");
        assert_eq!(outputs["expires-at"], "");
        assert!(
            runner
                .read("summary.md")
                .starts_with("### expiry-doctor: ⚠️ warn\n")
        );
    }

    let runner = Runner::new();
    let out = runner.run(
        "check",
        &[("expected-runtime", "six hours"), ("args", "--offline")],
        &env,
        &path_with_binary(),
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stdout).contains("::error title=expiry-doctor::check could not run (exit 2)")
    );
    assert!(
        text(&out.stderr).contains("--expected-runtime"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(
        runner.read("summary.md"),
        "",
        "no summary of a run that did not happen"
    );
    assert!(runner.outputs().is_empty());
}

/// The version in Cargo.toml (`version = "…"` of `[package]`, its first).
fn crate_version() -> String {
    let manifest = std::fs::read_to_string(root().join("Cargo.toml")).unwrap();
    manifest
        .lines()
        .find_map(|l| l.strip_prefix("version = \"")?.strip_suffix('"'))
        .unwrap()
        .to_string()
}

/// A `key = "…"` of Cargo.toml's `[package.metadata.binstall]`.
fn binstall(key: &str) -> String {
    let manifest = std::fs::read_to_string(root().join("Cargo.toml")).unwrap();
    let table = manifest
        .split("[package.metadata.binstall]")
        .nth(1)
        .expect("Cargo.toml has [package.metadata.binstall]");
    table
        .lines()
        .take_while(|l| !l.starts_with('['))
        .find_map(|l| {
            l.strip_prefix(&format!("{key} = \""))?
                .strip_suffix('"')
                .map(str::to_string)
        })
        .unwrap_or_else(|| panic!("[package.metadata.binstall] has no {key}"))
}

#[test]
#[ignore = "needs scripts/test"]
fn the_download_step_installs_a_release_asset_after_its_checksum() {
    let version = crate_version();
    let tag = format!("v{version}");
    let target = "x86_64-unknown-linux-gnu";
    let mirror = tempfile::tempdir().unwrap();
    let assets = mirror.path().join(&tag);
    // The assets as the release recipe packages them.
    let bin = assert_cmd::cargo::cargo_bin("expiry-doctor");
    let out = Command::new(root().join("scripts/release"))
        .arg("--package")
        .arg(&bin)
        .arg(target)
        .arg(&assets)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let name = format!("expiry-doctor-{tag}-{target}");
    assert!(assets.join(format!("{name}.tar.gz")).is_file());

    // cargo-binstall looks for the same file, and finds the binary where the archive has it.
    let url = binstall("pkg-url")
        .replace("{ repo }", "https://github.com/your-org/expiry-doctor")
        .replace("{ version }", &version)
        .replace("{ name }", "expiry-doctor")
        .replace("{ target }", target)
        .replace("{ archive-suffix }", ".tar.gz");
    assert_eq!(
        url,
        format!("https://github.com/your-org/expiry-doctor/releases/download/{tag}/{name}.tar.gz")
    );
    let bin_dir = binstall("bin-dir")
        .replace("{ name }", "expiry-doctor")
        .replace("{ version }", &version)
        .replace("{ target }", target)
        .replace("{ bin }", "expiry-doctor")
        .replace("{ binary-ext }", "");
    assert_eq!(bin_dir, format!("{name}/expiry-doctor"));
    // release.yml builds every target the action downloads.
    let release = std::fs::read_to_string(root().join(".github/workflows/release.yml")).unwrap();
    let action_yml = std::fs::read_to_string(root().join("action.yml")).unwrap();
    for t in [
        "x86_64-unknown-linux-gnu",
        "aarch64-unknown-linux-gnu",
        "x86_64-apple-darwin",
        "aarch64-apple-darwin",
    ] {
        assert!(
            release.contains(&format!("target: {t}")),
            "release.yml builds {t}"
        );
        assert!(
            action_yml.contains(&format!("target={t}")),
            "action.yml downloads {t}"
        );
    }

    let mirror_url = format!("file://{}", mirror.path().display());
    let runner = Runner::new();
    let env = [("EXPIRY_DOCTOR_DOWNLOAD_URL", mirror_url.clone())];
    let out = runner.run("download", &[("version", &version)], &env, "/usr/bin:/bin");
    assert!(
        out.status.success(),
        "{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    assert!(text(&out.stdout).contains(": OK"), "sha256sum checked it");
    let added = runner.read("path");
    let dir = added.trim();
    assert!(
        dir.ends_with(&name),
        "GITHUB_PATH gets the unpacked directory: {added}"
    );
    let version_out = Command::new(Path::new(dir).join("expiry-doctor"))
        .arg("--version")
        .output()
        .unwrap();
    assert!(text(&version_out.stdout).starts_with(&format!("expiry-doctor {version}")));
    for f in ["LICENSE-MIT", "LICENSE-APACHE", "README.md"] {
        assert!(Path::new(dir).join(f).is_file(), "the archive ships {f}");
    }

    // A tampered archive is refused, and nothing is added to PATH.
    let sums = assets.join(format!("{name}.tar.gz.sha256"));
    let good = std::fs::read_to_string(&sums).unwrap();
    std::fs::write(&sums, format!("{}{}", "0".repeat(64), &good[64..])).unwrap();
    let runner = Runner::new();
    let out = runner.run("download", &[("version", &tag)], &env, "/usr/bin:/bin");
    assert!(!out.status.success(), "a bad checksum must fail the step");
    assert_eq!(runner.read("path"), "");

    // A platform with no asset fails with a message; so does one whose asset is missing.
    let mut runner = Runner::new();
    runner.os = "Windows";
    let out = runner.run("download", &[("version", &tag)], &env, "/usr/bin:/bin");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stdout).contains("::error title=expiry-doctor::no release asset for Windows X64")
    );
    let mut runner = Runner::new();
    runner.arch = "ARM64";
    let out = runner.run("download", &[("version", &tag)], &env, "/usr/bin:/bin");
    assert!(!out.status.success());
    assert_eq!(runner.read("path"), "");
}

#[test]
#[ignore = "needs scripts/test"]
fn the_dockerfile_passes_hadolint() {
    let hadolint = required("EXPIRY_DOCTOR_HADOLINT");
    let out = Command::new(hadolint)
        .current_dir(root())
        .args(["--no-color", "Dockerfile"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "hadolint Dockerfile:\n{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    let dockerfile = std::fs::read_to_string(root().join("Dockerfile")).unwrap();
    let last_user = dockerfile
        .lines()
        .filter_map(|l| l.strip_prefix("USER "))
        .next_back()
        .expect("the image names its user");
    assert!(
        !last_user.starts_with("0") && !last_user.starts_with("root"),
        "the image runs as a non-root user: {last_user}"
    );
}
