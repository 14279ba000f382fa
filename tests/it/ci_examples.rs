//! The CI examples users copy from `docs/ci/` (and any GitHub workflow in README.md) work as
//! written:
//! - every GitHub workflow (a ```yaml block with top-level `on:` and `jobs:`) passes actionlint,
//!   which runs shellcheck on each `run:` script, and no `run:` step that pipes runs without
//!   pipefail (GitHub's default `bash -e {0}` reports the last command's status);
//! - every GitLab pipeline (a ```yaml block whose jobs have `script:`) validates against GitLab's
//!   own CI schema (the copy check-jsonschema ships), and its job scripts pass shellcheck;
//! - every ```sh / ```bash snippet in `docs/ci/` parses (`bash -n`) and passes shellcheck; of a
//!   transcript (`$ ` lines) only the commands are checked;
//! - the GitLab page's offline sample prints what the page shows, and fails without its token
//!   file or its region, as the page says.
//!
//! actionlint, shellcheck, check-jsonschema and the Python with PyYAML come from
//! scripts/setup-test-deps (`EXPIRY_DOCTOR_ACTIONLINT`, `EXPIRY_DOCTOR_SHELLCHECK`,
//! `EXPIRY_DOCTOR_CHECK_JSONSCHEMA`, `EXPIRY_DOCTOR_LINT_PYTHON`): those tests are
//! `#[ignore = "needs scripts/test"]`. `bash -n` and the sample need only bash and the binary.

use crate::common::moto::required;
use serde_json::Value;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A fenced block of a Markdown page.
struct Block {
    /// The page, relative to the repository.
    page: String,
    /// The page's line number of the block's first line.
    line: usize,
    lang: String,
    body: String,
}

impl Block {
    /// `page:line` of the block's `n`th line (1-based).
    fn at(&self, n: usize) -> String {
        format!("{}:{}", self.page, self.line + n - 1)
    }
}

/// The fenced blocks of one page (fences at the start of a line).
fn blocks(page: &Path) -> Vec<Block> {
    let text = std::fs::read_to_string(page).unwrap();
    let rel = page
        .strip_prefix(root())
        .unwrap()
        .to_string_lossy()
        .into_owned();
    let mut out = Vec::new();
    let mut open: Option<Block> = None;
    for (i, line) in text.lines().enumerate() {
        match open.as_mut() {
            None => {
                if let Some(lang) = line.strip_prefix("```") {
                    open = Some(Block {
                        page: rel.clone(),
                        line: i + 2,
                        lang: lang.trim().to_string(),
                        body: String::new(),
                    });
                }
            }
            Some(b) => {
                if line.trim_end() == "```" {
                    out.push(open.take().unwrap());
                } else {
                    b.body.push_str(line);
                    b.body.push('\n');
                }
            }
        }
    }
    assert!(open.is_none(), "{rel}: a fenced block is never closed");
    out
}

/// `docs/ci/*.md`, in name order.
fn ci_pages() -> Vec<PathBuf> {
    let mut pages: Vec<PathBuf> = std::fs::read_dir(root().join("docs/ci"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect();
    pages.sort();
    assert!(pages.len() >= 3, "docs/ci/ has its pages: {pages:?}");
    pages
}

fn yaml_blocks() -> Vec<Block> {
    let mut pages = ci_pages();
    pages.push(root().join("README.md"));
    pages
        .iter()
        .flat_map(|p| blocks(p))
        .filter(|b| b.lang == "yaml" || b.lang == "yml")
        .collect()
}

fn has_top_key(body: &str, key: &str) -> bool {
    body.lines().any(|l| l.starts_with(&format!("{key}:")))
}

fn is_github_workflow(b: &Block) -> bool {
    has_top_key(&b.body, "on") && has_top_key(&b.body, "jobs")
}

/// The GitHub workflows: `on:` and `jobs:` at the top level.
fn github_workflows() -> Vec<Block> {
    let flows: Vec<Block> = yaml_blocks()
        .into_iter()
        .filter(is_github_workflow)
        .collect();
    assert!(
        flows.iter().any(|b| b.page == "docs/ci/github-actions.md"),
        "docs/ci/github-actions.md shows a workflow"
    );
    flows
}

/// The GitLab pipelines: YAML that is not a GitHub workflow, not a bare list of steps, and
/// has jobs with `script:`.
fn gitlab_pipelines() -> Vec<Block> {
    let pipelines: Vec<Block> = yaml_blocks()
        .into_iter()
        .filter(|b| {
            let first = b
                .body
                .lines()
                .map(str::trim)
                .find(|l| !l.is_empty() && !l.starts_with('#'));
            !is_github_workflow(b)
                && !first.is_some_and(|l| l.starts_with("- "))
                && b.body
                    .lines()
                    .any(|l| l.trim_start().starts_with("script:"))
        })
        .collect();
    assert!(
        pipelines.iter().any(|b| b.page == "docs/ci/gitlab-ci.md"),
        "docs/ci/gitlab-ci.md shows a pipeline"
    );
    pipelines
}

/// A shell snippet to check: its script, the block line of each script line, and the dialect
/// to tell shellcheck (`None`: the script's own shebang says).
struct Snippet {
    block: Block,
    script: String,
    lines: Vec<usize>,
    dialect: Option<&'static str>,
}

/// The ```sh / ```bash blocks of `docs/ci/`. A transcript (lines starting with `$ `)
/// contributes its commands and their continuation lines, not the output between them.
fn shell_snippets() -> Vec<Snippet> {
    let mut out = Vec::new();
    for page in ci_pages() {
        for block in blocks(&page) {
            if !matches!(block.lang.as_str(), "sh" | "bash" | "shell" | "console") {
                continue;
            }
            let transcript = block.body.lines().any(|l| l.starts_with("$ "));
            let mut script = String::new();
            let mut lines = Vec::new();
            let mut continued = false;
            for (i, l) in block.body.lines().enumerate() {
                let text = if !transcript || continued {
                    Some(l)
                } else {
                    l.strip_prefix("$ ")
                };
                if let Some(text) = text {
                    script.push_str(text);
                    script.push('\n');
                    lines.push(i + 1);
                    continued = transcript && text.ends_with('\\');
                }
            }
            let dialect = if script.starts_with("#!") {
                None
            } else if block.lang == "bash" {
                Some("bash")
            } else {
                Some("sh")
            };
            out.push(Snippet {
                block,
                script,
                lines,
                dialect,
            });
        }
    }
    out
}

fn write_temp(dir: &Path, rel: &str, text: &str) -> PathBuf {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(&p, text).unwrap();
    p
}

/// shellcheck's findings on `script` (gcc format: `file:line:col: level: message [SCnnnn]`),
/// each as `(line in the script, the rest)`.
fn shellcheck(script: &str, dialect: Option<&str>) -> Vec<(usize, String)> {
    let shellcheck = required("EXPIRY_DOCTOR_SHELLCHECK");
    let dir = tempfile::tempdir().unwrap();
    let file = write_temp(dir.path(), "snippet.sh", script);
    let mut cmd = Command::new(shellcheck);
    cmd.args(["--norc", "--format=gcc"]);
    if let Some(d) = dialect {
        cmd.arg(format!("--shell={d}"));
    }
    let out = cmd.arg(&file).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let prefix = format!("{}:", file.display());
    let mut findings: Vec<(usize, String)> = stdout
        .lines()
        .filter_map(|l| {
            let rest = l.strip_prefix(&prefix)?;
            let (line, rest) = rest.split_once(':')?;
            Some((line.parse().ok()?, rest.to_string()))
        })
        .collect();
    if !out.status.success() && findings.is_empty() {
        findings.push((
            1,
            format!(
                "shellcheck exited {:?}: {stdout}{}",
                out.status.code(),
                String::from_utf8_lossy(&out.stderr)
            ),
        ));
    }
    findings
}

/// The YAML as JSON, through PyYAML (safe_load: YAML 1.1, so a bare `on` key is `true`).
pub(crate) fn yaml_to_json(yaml: &str) -> Value {
    let mut child = Command::new(required("EXPIRY_DOCTOR_LINT_PYTHON"))
        .args([
            "-c",
            "import json, sys, yaml; json.dump(yaml.safe_load(sys.stdin), sys.stdout, default=str)",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(yaml.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "PyYAML could not read:\n{yaml}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
#[ignore = "needs scripts/test"]
fn github_workflows_pass_actionlint_and_shellcheck() {
    let actionlint = required("EXPIRY_DOCTOR_ACTIONLINT");
    let shellcheck = required("EXPIRY_DOCTOR_SHELLCHECK");
    let mut findings = Vec::new();
    for b in github_workflows() {
        // actionlint takes a workflow for one where GitHub looks for it.
        let dir = tempfile::tempdir().unwrap();
        let rel = ".github/workflows/example.yml";
        write_temp(dir.path(), rel, &b.body);
        let out = Command::new(&actionlint)
            .current_dir(dir.path())
            .args(["-no-color", "-oneline", "-pyflakes="])
            .arg(format!("-shellcheck={shellcheck}"))
            .arg(rel)
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        for l in stdout.lines() {
            // `file:line:col: message [kind]`, pointed back at the page.
            let at = l
                .strip_prefix(&format!("{rel}:"))
                .and_then(|rest| rest.split_once(':'))
                .and_then(|(n, rest)| Some((n.parse::<usize>().ok()?, rest)));
            findings.push(match at {
                Some((n, rest)) => format!("{}:{rest}", b.at(n)),
                None => format!("{}: {l}", b.at(1)),
            });
        }
        if !out.status.success() && stdout.trim().is_empty() {
            findings.push(format!(
                "{}: actionlint exited {:?}: {}",
                b.at(1),
                out.status.code(),
                String::from_utf8_lossy(&out.stderr)
            ));
        }
    }
    assert!(
        findings.is_empty(),
        "actionlint (with shellcheck) on the documented workflows:\n{}",
        findings.join("\n")
    );
}

/// A pipe in a script line, outside single quotes and other than `||`.
fn pipes(script: &str) -> bool {
    script.lines().any(|line| {
        let line = line.trim_start();
        if line.starts_with('#') {
            return false;
        }
        let chars: Vec<char> = line.chars().collect();
        let mut quoted = false;
        (0..chars.len()).any(|i| {
            if chars[i] == '\'' {
                quoted = !quoted;
            }
            !quoted
                && chars[i] == '|'
                && chars.get(i + 1) != Some(&'|')
                && (i == 0 || chars[i - 1] != '|')
        })
    })
}

/// GitHub runs a `run:` step with no `shell` as `bash -e {0}`: no pipefail, so
/// `./job.sh | tee job.log` has tee's status and `if: failure()` never fires. `shell: bash` is
/// `bash --noprofile --norc -eo pipefail {0}`.
#[test]
#[ignore = "needs scripts/test"]
fn github_workflow_steps_that_pipe_have_pipefail() {
    let mut findings = Vec::new();
    for b in github_workflows() {
        let flow = yaml_to_json(&b.body);
        let flow_shell = flow["defaults"]["run"]["shell"].as_str();
        let jobs = flow["jobs"].as_object().expect("jobs is a mapping");
        for (job_id, job) in jobs {
            let job_shell = job["defaults"]["run"]["shell"].as_str().or(flow_shell);
            let steps = job["steps"].as_array().map(Vec::as_slice).unwrap_or(&[]);
            for (i, step) in steps.iter().enumerate() {
                let Some(run) = step["run"].as_str() else {
                    continue;
                };
                let shell = step["shell"].as_str().or(job_shell);
                if pipes(run) && shell != Some("bash") && !run.contains("set -o pipefail") {
                    findings.push(format!(
                        "{} job {job_id}, step {} ({}): pipes with shell {shell:?}, no pipefail",
                        b.page,
                        i + 1,
                        step["name"].as_str().unwrap_or("unnamed"),
                    ));
                }
            }
        }
    }
    assert!(
        findings.is_empty(),
        "a piped step reports only its last command's status:\n{}",
        findings.join("\n")
    );
}

#[test]
#[ignore = "needs scripts/test"]
fn gitlab_pipelines_match_gitlabs_ci_schema() {
    let check = required("EXPIRY_DOCTOR_CHECK_JSONSCHEMA");
    let mut findings = Vec::new();
    for b in gitlab_pipelines() {
        let dir = tempfile::tempdir().unwrap();
        let file = write_temp(dir.path(), ".gitlab-ci.yml", &b.body);
        // The schema ships inside check-jsonschema: nothing is fetched.
        let out = Command::new(&check)
            .args(["--builtin-schema", "vendor.gitlab-ci"])
            .arg(&file)
            .output()
            .unwrap();
        if !out.status.success() {
            findings.push(format!(
                "{}: {}{}",
                b.at(1),
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            ));
        }
    }
    assert!(
        findings.is_empty(),
        "GitLab's CI schema refuses a documented pipeline:\n{}",
        findings.join("\n")
    );
}

/// Keys at the top of a `.gitlab-ci.yml` that are not jobs.
const GITLAB_GLOBAL_KEYS: &[&str] = &[
    "after_script",
    "before_script",
    "cache",
    "default",
    "image",
    "include",
    "services",
    "spec",
    "stages",
    "variables",
    "workflow",
];

/// A job with its `extends` applied (a shallow merge, the job's own keys winning).
fn gitlab_job(pipeline: &Value, job: &Value) -> serde_json::Map<String, Value> {
    let mut merged = serde_json::Map::new();
    let parents: Vec<&str> = match &job["extends"] {
        Value::String(s) => vec![s.as_str()],
        Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    for p in parents {
        merged.extend(gitlab_job(pipeline, &pipeline[p]));
    }
    if let Some(own) = job.as_object() {
        merged.extend(own.clone());
    }
    merged
}

/// A `script:` value's lines (a string, or a list, possibly nested).
fn script_lines(v: Option<&Value>, out: &mut Vec<String>) {
    match v {
        Some(Value::String(s)) => out.push(s.clone()),
        Some(Value::Array(a)) => a.iter().for_each(|x| script_lines(Some(x), out)),
        _ => {}
    }
}

/// GitLab's runner runs `before_script` and `script` as one bash script (with errexit, and
/// pipefail where the shell has it), `after_script` as another.
#[test]
#[ignore = "needs scripts/test"]
fn gitlab_job_scripts_pass_shellcheck() {
    let mut findings = Vec::new();
    let mut checked = 0;
    for b in gitlab_pipelines() {
        let pipeline = yaml_to_json(&b.body);
        let top = pipeline.as_object().expect("a pipeline is a mapping");
        for (name, job) in top {
            if name.starts_with('.') || GITLAB_GLOBAL_KEYS.contains(&name.as_str()) {
                continue;
            }
            let job = gitlab_job(&pipeline, job);
            let default = &pipeline["default"];
            let pick = |key: &str| {
                job.get(key)
                    .or(default.get(key))
                    .or(pipeline.get(key))
                    .cloned()
            };
            let mut main = Vec::new();
            script_lines(pick("before_script").as_ref(), &mut main);
            script_lines(job.get("script"), &mut main);
            let mut after = Vec::new();
            script_lines(pick("after_script").as_ref(), &mut after);
            for (part, lines) in [("before_script + script", main), ("after_script", after)] {
                if lines.is_empty() {
                    continue;
                }
                let script = format!("#!/usr/bin/env bash\n{}\n", lines.join("\n"));
                checked += 1;
                for (n, finding) in shellcheck(&script, None) {
                    let text = script.lines().nth(n - 1).unwrap_or_default();
                    findings.push(format!(
                        "{} (pipeline at line {}) job {name}, {part}: `{text}`:{finding}",
                        b.page, b.line
                    ));
                }
            }
        }
    }
    assert!(checked >= 2, "the GitLab pipelines have job scripts");
    assert!(
        findings.is_empty(),
        "shellcheck on the documented GitLab job scripts:\n{}",
        findings.join("\n")
    );
}

#[test]
fn shell_snippets_in_docs_ci_parse() {
    let snippets = shell_snippets();
    assert!(snippets.len() >= 4, "docs/ci/ has its shell snippets");
    let mut findings = Vec::new();
    for s in &snippets {
        let dir = tempfile::tempdir().unwrap();
        let file = write_temp(dir.path(), "snippet.sh", &s.script);
        let out = Command::new("bash").arg("-n").arg(&file).output().unwrap();
        if !out.status.success() {
            findings.push(format!(
                "{}: bash -n: {}",
                s.block.at(1),
                String::from_utf8_lossy(&out.stderr)
            ));
        }
    }
    assert!(findings.is_empty(), "{}", findings.join("\n"));
}

#[test]
#[ignore = "needs scripts/test"]
fn shell_snippets_in_docs_ci_pass_shellcheck() {
    let mut findings = Vec::new();
    for s in shell_snippets() {
        for (n, finding) in shellcheck(&s.script, s.dialect) {
            let at = s.lines.get(n - 1).copied().unwrap_or(1);
            findings.push(format!("{}:{finding}", s.block.at(at)));
        }
    }
    assert!(
        findings.is_empty(),
        "shellcheck on the shell snippets of docs/ci/:\n{}",
        findings.join("\n")
    );
}

/// The GitLab page's offline sample (the ```sh block running `check --offline`) and the
/// ```text block after it.
fn gitlab_offline_sample() -> (Block, Block) {
    let mut it = blocks(&root().join("docs/ci/gitlab-ci.md")).into_iter();
    let sample = it
        .by_ref()
        .find(|b| b.lang == "sh" && b.body.contains("check --offline"))
        .expect("docs/ci/gitlab-ci.md has an offline sample");
    let output = it
        .next()
        .filter(|b| b.lang == "text")
        .expect("the sample's output follows it");
    (sample, output)
}

/// Runs the sample as a user would, on a machine with nothing set up: bash, a new HOME, no AWS
/// variables but the sample's own, the binary on PATH. Its token file goes to a private
/// directory instead of /tmp.
fn run_sample(script: &str) -> (String, i32) {
    let home = tempfile::tempdir().unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let token = tmp.path().join("aws-web-identity-token");
    let script = script.replace("/tmp/aws-web-identity-token", token.to_str().unwrap());
    let bin = assert_cmd::cargo::cargo_bin("expiry-doctor");
    let out = Command::new("bash")
        .arg("-c")
        .arg(&script)
        .env_clear()
        .env("HOME", home.path())
        .env("TMPDIR", tmp.path())
        .env(
            "PATH",
            format!("{}:/usr/bin:/bin", bin.parent().unwrap().display()),
        )
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("NO_COLOR", "1")
        .env("TZ", "UTC")
        .output()
        .unwrap();
    (
        String::from_utf8(out.stdout).unwrap(),
        out.status.code().unwrap_or(-1),
    )
}

/// Times of day (`13:25 UTC`, or `2026-11-24 00:05 UTC` past midnight) as `<time>`.
fn without_times(s: &str) -> String {
    let re = regex_lite::Regex::new(r"(\d{4}-\d{2}-\d{2} )?\d{2}:\d{2} UTC").unwrap();
    re.replace_all(s, "<time>").into_owned()
}

#[test]
fn gitlab_offline_sample_prints_what_the_page_shows() {
    let (sample, output) = gitlab_offline_sample();
    let (stdout, code) = run_sample(&sample.body);
    assert_eq!(code, 0, "{}: the sample must pass:\n{stdout}", sample.at(1));
    // Column widths follow the longest time: compare line by line without the padding.
    let normal = |s: &str| -> Vec<String> {
        without_times(s)
            .lines()
            .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
            .collect()
    };
    assert_eq!(
        normal(&stdout),
        normal(&output.body),
        "{}: the sample's output drifted; paste the new output",
        output.at(1)
    );
}

#[test]
fn gitlab_offline_sample_fails_without_its_token_file_or_region() {
    let (sample, _) = gitlab_offline_sample();
    let without = |what: &str| -> String {
        let kept: Vec<&str> = sample.body.lines().filter(|l| !l.contains(what)).collect();
        assert!(
            kept.len() < sample.body.lines().count(),
            "{what} is in the sample"
        );
        kept.join("\n")
    };
    let (stdout, code) = run_sample(&without("printf"));
    assert_eq!(code, 1, "without the token file:\n{stdout}");
    assert!(
        stdout.contains("aws-web-identity-token: does not exist"),
        "{stdout}"
    );
    let (stdout, code) = run_sample(&without("AWS_REGION="));
    assert_eq!(code, 1, "without AWS_REGION:\n{stdout}");
    assert!(stdout.contains("region"), "{stdout}");
}
