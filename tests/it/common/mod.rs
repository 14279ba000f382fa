//! Shared test harness: a fake machine (temporary HOME, a cleared environment) and the real
//! binary run inside it. Every run clears the process environment, disables instance
//! metadata, and never names a non-loopback address.

#![allow(dead_code)]

pub mod chrony;
pub mod faults;
pub mod moto;
pub mod sdk_stub;
pub mod stubs;

use assert_cmd::Command;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// A fake machine's HOME. Read-only by contract: whatever a test runs, the tree under HOME
/// must be exactly as the test last wrote it, and the private TMPDIR every run gets must stay
/// empty (expiry-doctor writes nothing and creates no temp files). Checked when the Home is
/// dropped, for every test that uses one.
pub struct Home {
    pub dir: tempfile::TempDir,
    pub vars: Vec<(String, String)>,
    /// Variables of the default environment this scenario does not have at all.
    unset: Vec<String>,
    tmp: tempfile::TempDir,
    baseline: std::cell::RefCell<Vec<(PathBuf, u64, std::time::SystemTime)>>,
}

/// Every path under `dir` with its size and modification time.
pub fn snapshot(dir: &Path) -> Vec<(PathBuf, u64, std::time::SystemTime)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let Ok(m) = e.metadata() else { continue };
            if m.is_dir() {
                stack.push(e.path());
            }
            out.push((e.path(), m.len(), m.modified().unwrap()));
        }
    }
    out.sort();
    out
}

impl Drop for Home {
    fn drop(&mut self) {
        if std::thread::panicking() {
            return;
        }
        let now = snapshot(self.dir.path());
        assert!(
            now == *self.baseline.borrow(),
            "expiry-doctor changed HOME ({}): before {:?}, after {:?}",
            self.dir.path().display(),
            self.baseline.borrow(),
            now
        );
        let temps: Vec<_> = std::fs::read_dir(self.tmp.path())
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .collect();
        assert!(
            temps.is_empty(),
            "expiry-doctor created temp files: {temps:?}"
        );
    }
}

impl Home {
    pub fn new() -> Home {
        Home {
            dir: tempfile::tempdir().expect("temp dir"),
            vars: Vec::new(),
            unset: Vec::new(),
            tmp: tempfile::tempdir().expect("temp dir"),
            baseline: std::cell::RefCell::new(Vec::new()),
        }
    }

    /// Declares the current tree under HOME the test's own doing (after changing it by hand).
    pub fn settle(&self) {
        *self.baseline.borrow_mut() = snapshot(self.dir.path());
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes a file under HOME, creating directories.
    pub fn write(&self, rel: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let p = self.dir.path().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, contents).unwrap();
        self.settle();
        p
    }

    pub fn var(mut self, k: &str, v: impl Into<String>) -> Home {
        self.vars.push((k.to_string(), v.into()));
        self
    }

    /// Removes a variable of the default environment (`AWS_REGION`) altogether.
    pub fn without(mut self, k: &str) -> Home {
        self.unset.push(k.to_string());
        self
    }

    pub fn set(&mut self, k: &str, v: impl Into<String>) {
        self.vars.push((k.to_string(), v.into()));
    }

    /// From now on the environment of every run is exactly `env` (what a shell that ran a
    /// fix's `unset` and `export` steps left behind, `fix_proofs`).
    pub fn replace_env(&mut self, env: Vec<(String, String)>) {
        let defaults: Vec<String> = self.run_env().into_iter().map(|(k, _)| k).collect();
        self.unset = defaults
            .into_iter()
            .filter(|k| !env.iter().any(|(x, _)| x == k))
            .collect();
        self.vars = env;
    }

    /// The environment every run gets: HOME, a private TMPDIR, a PATH for `sh`, IMDS disabled,
    /// no colour, UTC, a region, and the scenario's own variables.
    pub fn run_env(&self) -> Vec<(String, std::ffi::OsString)> {
        let mut v: Vec<(String, std::ffi::OsString)> = vec![
            ("HOME".into(), self.dir.path().into()),
            ("TMPDIR".into(), self.tmp.path().into()),
            ("PATH".into(), "/usr/bin:/bin".into()),
            ("AWS_EC2_METADATA_DISABLED".into(), "true".into()),
            ("NO_COLOR".into(), "1".into()),
            ("TZ".into(), "UTC".into()),
            // A region, as nearly every machine has one: without it aws-config cannot call
            // STS for a role (a test of that sets it blank).
            ("AWS_REGION".into(), "us-east-1".into()),
        ];
        for (k, val) in &self.vars {
            v.retain(|(x, _)| x != k);
            v.push((k.clone(), val.into()));
        }
        v.retain(|(k, _)| !self.unset.contains(k));
        v
    }

    /// The binary with a cleared environment (`run_env`).
    pub fn cmd(&self) -> Command {
        let mut c = Command::cargo_bin("expiry-doctor").unwrap();
        c.env_clear().envs(self.run_env());
        c
    }

    /// As `cmd`, as a plain `std::process::Command` (to spawn and signal it).
    pub fn std_cmd(&self) -> std::process::Command {
        let mut c = std::process::Command::new(assert_cmd::cargo::cargo_bin("expiry-doctor"));
        c.env_clear().envs(self.run_env());
        c
    }

    /// `check --offline --output json` plus `args`; the parsed report and the exit code.
    pub fn check_json(&self, args: &[&str]) -> (Value, i32) {
        let out = self
            .cmd()
            .args(["check", "--offline", "--output", "json"])
            .args(args)
            .output()
            .unwrap();
        let code = out.status.code().unwrap_or(-1);
        let stdout = String::from_utf8(out.stdout).unwrap();
        let v: Value = serde_json::from_str(&stdout).unwrap_or_else(|e| {
            panic!(
                "not JSON ({e}); exit {code}\nstdout:\n{stdout}\nstderr:\n{}",
                String::from_utf8_lossy(&out.stderr)
            )
        });
        (v, code)
    }

    /// `check --output json` with live probes (no `--offline`) plus `args`.
    pub fn live_json(&self, args: &[&str]) -> (Value, i32) {
        let out = self
            .cmd()
            .args(["check", "--output", "json"])
            .args(args)
            .output()
            .unwrap();
        let code = out.status.code().unwrap_or(-1);
        let stdout = String::from_utf8(out.stdout).unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr).to_string();
        assert_no_secrets(&stdout);
        assert_no_secrets(&stderr);
        let v: Value = serde_json::from_str(&stdout).unwrap_or_else(|e| {
            panic!("not JSON ({e}); exit {code}\nstdout:\n{stdout}\nstderr:\n{stderr}")
        });
        assert_no_debug_text(&v);
        (v, code)
    }

    /// Points the AWS SDK at a loopback endpoint (moto or a stub), in a fixed region.
    pub fn endpoint(self, url: &str) -> Home {
        // botocore reads AWS_DEFAULT_REGION (not AWS_REGION), and with an endpoint URL it needs
        // a region to sign AssumeRole.
        self.var("AWS_ENDPOINT_URL", url)
            .var("AWS_REGION", "us-east-1")
            .var("AWS_DEFAULT_REGION", "us-east-1")
    }

    /// `check --offline` (table) plus `args`: stdout and exit code.
    pub fn check_table(&self, args: &[&str]) -> (String, i32) {
        let out = self
            .cmd()
            .args(["check", "--offline"])
            .args(args)
            .output()
            .unwrap();
        (
            String::from_utf8(out.stdout).unwrap(),
            out.status.code().unwrap_or(-1),
        )
    }
}

pub fn status<'a>(report: &'a Value, id: &str) -> &'a str {
    report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id)
        .unwrap_or_else(|| panic!("no check {id}"))["status"]
        .as_str()
        .unwrap()
}

pub fn summary<'a>(report: &'a Value, id: &str) -> &'a str {
    report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id)
        .unwrap()["summary"]
        .as_str()
        .unwrap()
}

pub fn fix_ids(report: &Value) -> Vec<String> {
    report["fixes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap().to_string())
        .collect()
}

pub fn details(report: &Value, id: &str) -> String {
    report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id)
        .unwrap()["details"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d.as_str().unwrap().to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

/// RFC 3339 UTC, `minutes` from now.
pub fn rfc3339_in(minutes: i64) -> String {
    (chrono::Utc::now() + chrono::TimeDelta::minutes(minutes))
        .format("%Y-%m-%dT%H:%M:%SZ")
        .to_string()
}

pub const KEY_ID: &str = "ASIAEXAMPLEKEYIDWXYZ";
pub const LONG_TERM_KEY_ID: &str = "AKIAEXAMPLEKEYIDWXYZ";
/// Sentinels: if either appears in any output, a secret leaked.
pub const SECRET: &str = "SENTINEL-SECRET-KEY-do-not-print";
pub const TOKEN: &str = "SENTINEL-SESSION-TOKEN-do-not-print";

pub fn exported(minutes: Option<i64>) -> Home {
    let h = Home::new()
        .var("AWS_ACCESS_KEY_ID", KEY_ID)
        .var("AWS_SECRET_ACCESS_KEY", SECRET)
        .var("AWS_SESSION_TOKEN", TOKEN);
    match minutes {
        Some(m) => h.var("AWS_CREDENTIAL_EXPIRATION", rfc3339_in(m)),
        None => h,
    }
}

pub fn assert_no_secrets(text: &str) {
    assert!(!text.contains(SECRET), "secret key leaked:\n{text}");
    assert!(!text.contains(TOKEN), "session token leaked:\n{text}");
    assert!(!text.contains(KEY_ID), "unredacted key id leaked:\n{text}");
}

/// A `sh` snippet for a job script: wait until the shell test `condition` holds (checked every
/// 50 ms). The test makes it hold once it has seen what it waits for, so the job runs exactly
/// as long as the test needs, on a fast machine or a loaded one. After a minute without it
/// the job gives up with exit 9, saying so on stderr: a broken run fails its test instead of
/// hanging it.
pub fn sh_wait_until(condition: &str) -> String {
    [
        "i=0".to_string(),
        format!("until {condition}; do"),
        "    i=$((i + 1))".to_string(),
        format!(
            "    if [ \"$i\" -ge 1200 ]; then echo 'job: gave up waiting for: {}' >&2; exit 9; fi",
            condition.replace('\'', "")
        ),
        "    sleep 0.05".to_string(),
        "done".to_string(),
    ]
    .join("\n")
}

/// [`sh_wait_until`] the file `go` exists: the test's go-ahead.
pub fn sh_wait_for_file(go: &Path) -> String {
    sh_wait_until(&format!("[ -e '{}' ]", go.display()))
}

/// The test's go-ahead for [`sh_wait_for_file`].
pub fn go_ahead(go: &Path) {
    std::fs::write(go, "").unwrap();
}

/// A run the test follows while it goes: stderr line by line on the test's thread, stdout
/// collected on a thread of its own (so that neither pipe fills up and stalls the child).
pub struct Watched {
    pub child: std::process::Child,
    stderr: std::io::BufReader<std::process::ChildStderr>,
    /// All of stderr read so far.
    pub stderr_so_far: String,
    stdout: std::thread::JoinHandle<Vec<u8>>,
}

impl Watched {
    pub fn spawn(mut cmd: std::process::Command) -> Watched {
        use std::process::Stdio;
        let mut child = cmd
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut out = child.stdout.take().unwrap();
        let stdout = std::thread::spawn(move || {
            let mut buf = Vec::new();
            std::io::Read::read_to_end(&mut out, &mut buf).unwrap();
            buf
        });
        Watched {
            stderr: std::io::BufReader::new(child.stderr.take().unwrap()),
            child,
            stderr_so_far: String::new(),
            stdout,
        }
    }

    /// Reads stderr a line at a time until `seen(all of stderr so far)` holds; false when
    /// stderr ended first (the run is over).
    pub fn read_until(&mut self, seen: impl Fn(&str) -> bool) -> bool {
        use std::io::BufRead;
        while !seen(&self.stderr_so_far) {
            let mut line = Vec::new();
            if self.stderr.read_until(b'\n', &mut line).unwrap() == 0 {
                return false;
            }
            self.stderr_so_far.push_str(&String::from_utf8_lossy(&line));
        }
        true
    }

    /// Reads the rest of stderr and waits for the exit: (stdout, stderr, exit code).
    pub fn finish(mut self) -> (Vec<u8>, String, i32) {
        self.read_until(|_| false);
        let code = self.child.wait().unwrap().code().unwrap_or(-1);
        let stdout = self.stdout.join().unwrap();
        (stdout, self.stderr_so_far, code)
    }
}

/// No string of a report is a Rust `Debug` dump: no `{ source:`, no `Some(`, no CamelCase
/// type name followed by `(` (`ProviderError(`), anywhere.
pub fn assert_no_debug_text(v: &Value) {
    fn strings<'a>(v: &'a Value, out: &mut Vec<&'a str>) {
        match v {
            Value::String(s) => out.push(s),
            Value::Array(a) => a.iter().for_each(|x| strings(x, out)),
            Value::Object(o) => o.values().for_each(|x| strings(x, out)),
            _ => {}
        }
    }
    let mut all = Vec::new();
    strings(v, &mut all);
    for s in all {
        assert!(
            !s.contains("{ source:") && !s.contains("Some(") && !camel_case_call(s),
            "Debug text in the report: {s}"
        );
    }
}

/// `ProviderError(` or `ServiceError {`: a CamelCase identifier (two capitals or more)
/// immediately followed by `(` or ` {`.
fn camel_case_call(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i].is_ascii_uppercase() && (i == 0 || !b[i - 1].is_ascii_alphanumeric()) {
            let start = i;
            while i < b.len() && b[i].is_ascii_alphanumeric() {
                i += 1;
            }
            let word = &s[start..i];
            let capitals = word.bytes().filter(u8::is_ascii_uppercase).count();
            let lower = word.bytes().any(|c| c.is_ascii_lowercase());
            let rest = &s[i..];
            if capitals >= 2 && lower && (rest.starts_with('(') || rest.starts_with(" {")) {
                return true;
            }
        } else {
            i += 1;
        }
    }
    false
}

#[test]
fn debug_text_is_recognised() {
    assert!(camel_case_call(
        "failed: ProviderError(ProviderError { x })"
    ));
    assert!(camel_case_call("ServiceError { source: x }"));
    assert!(!camel_case_call(
        "an error occurred (ExpiredToken) when calling"
    ));
    assert!(!camel_case_call("AWS_CREDENTIAL_EXPIRATION (in 31m)"));
    assert!(!camel_case_call("GetCallerIdentity: no answer"));
}
