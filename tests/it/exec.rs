//! `exec`: real jobs (small shell scripts) run through the real binary. The gate, byte-for-byte
//! passthrough, exit codes, signals passed on, the watch (against a refreshing ECS endpoint stub,
//! exported credentials and a credential_process), the warning and the diagnosis after a failure.
//!
//! No job sleeps for a guessed time: a job that must outlast something waits for it (a line in
//! the watch log, or the test's go-ahead once it has read what it waits for on stderr).

use crate::common::moto::Moto;
use crate::common::{
    Home, KEY_ID, SECRET, TOKEN, Watched, assert_no_secrets, exported, go_ahead, sh_wait_for_file,
    sh_wait_until, stubs,
};
use chrono::{DateTime, TimeDelta, Utc};
use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::os::unix::fs::PermissionsExt;
use std::path::PathBuf;
use std::process::Stdio;
use std::time::{Duration, Instant};

/// A published schema (docs/schema), checking `format` too.
fn validator(name: &str) -> jsonschema::Validator {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("docs/schema")
        .join(name);
    let schema: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    jsonschema::draft202012::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap()
}

/// The record matches exec-v1.schema.json and its pre-flight report report-v1.schema.json; a
/// record missing a key does not (so the schema says something).
fn assert_valid_record(r: &Value) {
    let exec = validator("exec-v1.schema.json");
    let errs: Vec<String> = exec
        .iter_errors(r)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errs.is_empty(), "{errs:?}\n{r:#}");
    let report = validator("report-v1.schema.json");
    assert!(
        report.is_valid(&r["gate"]["report"]),
        "{:#}",
        r["gate"]["report"]
    );
    let mut broken = r.clone();
    broken.as_object_mut().unwrap().remove("observations");
    assert!(!exec.is_valid(&broken));
}

const EXPIRED_LINE: &str = "botocore.exceptions.ClientError: An error occurred (ExpiredToken) when calling the PutObject operation: The security token included in the request is expired";

/// Job scripts and files the jobs write live here, outside HOME (which must stay untouched).
struct Jobs(tempfile::TempDir);

impl Jobs {
    fn new() -> Jobs {
        Jobs(tempfile::tempdir().unwrap())
    }

    fn path(&self, name: &str) -> PathBuf {
        self.0.path().join(name)
    }

    /// An executable `sh` script.
    fn script(&self, name: &str, body: &str) -> String {
        let p = self.path(name);
        std::fs::write(&p, format!("#!/bin/sh\n{body}\n")).unwrap();
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).unwrap();
        p.display().to_string()
    }
}

/// A gate that passes without the network: exported credentials good for 2 h, a 10-minute job.
fn passing() -> Home {
    exported(Some(120))
}

fn exec_args<'a>(extra: &[&'a str], job: &[&'a str]) -> Vec<&'a str> {
    let mut v = vec!["exec", "--offline", "--expected-runtime", "10m"];
    v.extend_from_slice(extra);
    v.push("--");
    v.extend_from_slice(job);
    v
}

fn run(h: &Home, args: &[&str]) -> (Vec<u8>, String, i32) {
    let out = h.cmd().args(args).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_no_secrets(&stderr);
    (out.stdout, stderr, out.status.code().unwrap_or(-1))
}

#[test]
fn stdout_and_stderr_pass_through_byte_for_byte() {
    let jobs = Jobs::new();
    let log = jobs.path("watch.log");
    // The job ends once the watch has logged its first observation (which it makes as the job
    // starts, and which a job that ended first would cut short).
    let job = jobs.script(
        "io",
        &format!(
            r"printf 'first line\n'
printf 'to stderr\r\n' >&2
printf 'bytes: \001\002\377\n'
printf 'progress 10%%\rprogress 100%%\r' >&2
printf 'no newline at the end'
printf 'last stderr, unterminated' >&2
{}",
            sh_wait_until(&format!(
                "grep -q '^expiry-doctor: watch ' '{}'",
                log.display()
            ))
        ),
    );
    let h = passing();
    let (stdout, stderr, code) = run(
        &h,
        &exec_args(&["--quiet", "--watch-log", log.to_str().unwrap()], &[&job]),
    );
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        stdout,
        b"first line\nbytes: \x01\x02\xff\nno newline at the end".to_vec()
    );
    // --quiet and a watch log: nothing of ours on stderr, only the job's own bytes.
    assert_eq!(
        stderr,
        "to stderr\r\nprogress 10%\rprogress 100%\rlast stderr, unterminated"
    );
    let watched = std::fs::read_to_string(&log).unwrap();
    assert!(
        watched.starts_with("expiry-doctor: watch "),
        "the watch went to the log: {watched}"
    );
}

#[test]
fn the_exit_code_is_the_jobs_or_128_plus_the_signal_that_killed_it() {
    let h = passing();
    for (body, want) in [
        ("exit 0", 0),
        ("exit 3", 3),
        ("exit 137", 137),
        ("kill -KILL $$", 137),
        ("kill -TERM $$", 143),
    ] {
        let (_, stderr, code) = run(&h, &exec_args(&["--quiet"], &["sh", "-c", body]));
        assert_eq!(code, want, "{body}: {stderr}");
        if body.starts_with("kill") {
            assert!(stderr.contains("killed by signal"), "{stderr}");
        }
    }
}

#[test]
fn a_job_that_cannot_be_started_exits_127_or_126_as_shells_do() {
    let jobs = Jobs::new();
    let h = passing();
    let (_, stderr, code) = run(&h, &exec_args(&["--quiet"], &["no-such-command-xyz"]));
    assert_eq!(code, 127, "{stderr}");
    assert!(
        stderr.contains("no-such-command-xyz: command not found"),
        "{stderr}"
    );

    let plain = jobs.path("not-executable");
    std::fs::write(&plain, "echo hi\n").unwrap();
    let (_, stderr, code) = run(&h, &exec_args(&["--quiet"], &[plain.to_str().unwrap()]));
    assert_eq!(code, 126, "{stderr}");
    assert!(stderr.contains("permission denied"), "{stderr}");

    let (_, stderr, code) = run(
        &h,
        &exec_args(&["--quiet"], &[jobs.0.path().to_str().unwrap()]),
    );
    assert_eq!(code, 126, "a directory: {stderr}");
}

#[test]
fn a_failing_gate_does_not_start_the_job_unless_no_gate() {
    let jobs = Jobs::new();
    let marker = jobs.path("started");
    let job = jobs.script("mark", &format!("touch '{}'\nexit 4", marker.display()));
    // Exported credentials that end in 10 minutes, a one-hour job.
    let h = exported(Some(10));
    fn args<'a>(extra: &[&'a str]) -> Vec<&'a str> {
        let mut v = vec!["exec", "--offline", "--expected-runtime", "1h"];
        v.extend_from_slice(extra);
        v
    }

    let report = jobs.path("gate.json");
    let mut a = args(&["--report", report.to_str().unwrap()]);
    a.extend(["--", job.as_str()]);
    let (stdout, stderr, code) = run(&h, &a);
    assert_eq!(code, 1, "{stderr}");
    assert!(stdout.is_empty());
    assert!(!marker.exists(), "the job ran although the gate failed");
    let r: Value = serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
    assert_eq!(r["gate"]["passed"], false);
    assert_eq!(r["not_started"], "the pre-flight check failed");
    assert_eq!(r["exit_code"], 1);
    assert_valid_record(&r);
    assert!(stderr.contains("FAIL"), "{stderr}");
    assert!(
        stderr.contains("expected-runtime"),
        "the report is shown: {stderr}"
    );
    assert!(stderr.contains("not starting the job"), "{stderr}");

    let mut a = args(&["--no-gate"]);
    a.extend(["--", job.as_str()]);
    let (_, stderr, code) = run(&h, &a);
    assert_eq!(code, 4, "the job's own exit code: {stderr}");
    assert!(marker.exists(), "--no-gate runs the job");
    assert!(
        stderr.contains("WARNING: the pre-flight check failed; starting the job anyway"),
        "{stderr}"
    );
}

/// Starts `exec` on a job that says `ready` on stdout once its traps are set.
fn start_ready(h: &Home, job: &str) -> (std::process::Child, BufReader<std::process::ChildStdout>) {
    let mut child = h
        .std_cmd()
        .args(exec_args(&["--quiet", "--watch-interval", "1h"], &[job]))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    out.read_line(&mut line).unwrap();
    assert_eq!(line, "ready\n");
    (child, out)
}

#[test]
fn sigint_sigterm_and_sighup_are_passed_on_to_the_job() {
    let jobs = Jobs::new();
    let h = passing();
    for (sig, name, code) in [
        (libc::SIGTERM, "TERM", 41),
        (libc::SIGINT, "INT", 42),
        (libc::SIGHUP, "HUP", 43),
    ] {
        let job = jobs.script(
            &format!("trap-{name}"),
            &format!(
                "sleep 30 &\npid=$!\ntrap 'echo got {name}; kill $pid; exit {code}' {name}\necho ready\nwait $pid"
            ),
        );
        let (mut child, mut out) = start_ready(&h, &job);
        // SAFETY: kill(2) on the child we just spawned.
        unsafe {
            libc::kill(child.id() as i32, sig);
        }
        let status = child.wait().unwrap();
        let mut rest = String::new();
        std::io::Read::read_to_string(&mut out, &mut rest).unwrap();
        assert_eq!(rest, format!("got {name}\n"));
        assert_eq!(status.code(), Some(code), "SIG{name}");
    }
}

#[test]
fn a_job_that_ignores_sigterm_keeps_running_and_keeps_its_exit_code() {
    let jobs = Jobs::new();
    let h = passing();
    let got = jobs.path("got-term");
    let go = jobs.path("go");
    // The job shrugs SIGTERM off: its trap only notes that the signal came (which tells the
    // test it was passed on; `trap '' TERM` would drop it unseen), then it carries on until
    // the test's go-ahead.
    let job = jobs.script(
        "stubborn",
        &format!(
            "trap 'echo TERM >> \"{}\"' TERM\necho ready\n{}\necho finished\nexit 5",
            got.display(),
            sh_wait_for_file(&go)
        ),
    );
    let (mut child, mut out) = start_ready(&h, &job);
    // SAFETY: kill(2) on the child we just spawned.
    unsafe {
        libc::kill(child.id() as i32, libc::SIGTERM);
    }
    // Until the job has the SIGTERM, or the run ended without passing it on.
    while !got.exists() && child.try_wait().unwrap().is_none() {
        std::thread::sleep(Duration::from_millis(10));
    }
    assert!(got.exists(), "the SIGTERM was not passed on to the job");
    assert!(
        child.try_wait().unwrap().is_none(),
        "expiry-doctor left before its job"
    );
    go_ahead(&go);
    let status = child.wait().unwrap();
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut out, &mut rest).unwrap();
    assert_eq!(rest, "finished\n", "the job ran on after the SIGTERM");
    assert_eq!(status.code(), Some(5));
}

fn watch_lines(text: &str) -> Vec<&str> {
    text.lines()
        .filter(|l| l.starts_with("expiry-doctor: watch "))
        .collect()
}

fn word<'a>(line: &'a str, key: &str) -> &'a str {
    line.split(' ')
        .find_map(|w| w.strip_prefix(&format!("{key}=")))
        .unwrap_or_else(|| panic!("no {key}= in {line}"))
}

/// When a watch line's observation was made (cut to the second).
fn observed_at(line: &str) -> DateTime<Utc> {
    line.split(' ')
        .nth(2)
        .and_then(|t| t.parse().ok())
        .unwrap_or_else(|| panic!("no time in {line}"))
}

#[test]
#[ignore = "needs scripts/test"]
fn the_watch_holds_credentials_as_the_sdk_does_and_sees_its_refresh() {
    let moto = Moto::shared();
    // Every answer of the endpoint is a new session lasting 14 s. The job's SDK holds one
    // until 10 s before it ends, then asks again; the watch must do the same: asking at every
    // observation would mint a session per observation that the job never sees (an
    // AssumeRole and a CloudTrail event each, for a role).
    let (ecs, served) = stubs::ecs_refreshing("ASIAECSSTUBKEYXXWXYZ", 14);
    let h = Home::new().endpoint(&moto.url).var(
        "AWS_CONTAINER_CREDENTIALS_FULL_URI",
        format!("{}/creds", ecs.url),
    );
    let jobs = Jobs::new();
    let log = jobs.path("watch.log");
    // The job lasts until the watch has logged a refresh.
    let job = jobs.script(
        "until-refreshed",
        &sh_wait_until(&format!(
            "grep -q ' refreshed=yes' '{}' 2>/dev/null",
            log.display()
        )),
    );
    let args = [
        "exec",
        "--no-ntp",
        "--expected-runtime",
        "30s",
        "--margin",
        "0s",
        "--watch-interval",
        "1s",
        "--watch-log",
        log.to_str().unwrap(),
        "--",
        &job,
    ];
    let (_, stderr, code) = run(&h, &args);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("pre-flight PASS"), "{stderr}");
    let text = std::fs::read_to_string(&log).unwrap();
    assert_no_secrets(&text);
    let lines = watch_lines(&text);
    let served = served.lock().unwrap().clone();
    for l in &lines {
        assert_eq!(word(l, "source"), "container", "{l}");
        assert_eq!(word(l, "refresh"), "auto", "{l}");
        assert_eq!(word(l, "key"), "ASIA…WXYZ", "{l}");
        let expires = word(l, "expires_at");
        assert!(served.iter().any(|s| s == expires), "{l} not in {served:?}");
    }
    assert_eq!(word(lines[0], "refreshed"), "no");
    let refreshes = lines
        .iter()
        .filter(|l| word(l, "refreshed") == "yes")
        .count();
    assert!(refreshes >= 1, "{text}");
    for pair in lines.windows(2) {
        let (before, after) = (pair[0], pair[1]);
        let held_until =
            word(before, "expires_at").parse::<DateTime<Utc>>().unwrap() - TimeDelta::seconds(10);
        if word(after, "refreshed") == "yes" {
            // Asked again only once the SDK would have: within 10 s of the expiry it held.
            assert!(observed_at(after) >= held_until, "asked too soon: {text}");
            assert!(
                word(after, "expires_at") > word(before, "expires_at"),
                "{text}"
            );
        } else {
            // Held: the same credentials, not asked for.
            assert_eq!(
                word(after, "expires_at"),
                word(before, "expires_at"),
                "{text}"
            );
        }
        assert!(
            observed_at(after) - observed_at(before) >= TimeDelta::seconds(1),
            "no more often than --watch-interval: {text}"
        );
    }
    // The endpoint was asked by the gate, by the first observation and at each refresh (and
    // perhaps once more, cut short when the job ended during it): never per observation.
    assert!(
        (2 + refreshes..=3 + refreshes).contains(&served.len()),
        "{} answers for {} observations and {refreshes} refreshes: {text}",
        served.len(),
        lines.len()
    );
    assert!(
        !stderr.contains("WARNING"),
        "refreshing credentials: {stderr}"
    );
}

#[test]
fn credentials_that_will_run_out_are_warned_about_once() {
    // 10 minutes left, a one-hour job, nothing refreshes: the gate fails; run it anyway.
    let h = exported(Some(10));
    let jobs = Jobs::new();
    let go = jobs.path("go");
    let job = jobs.script("until-go", &sh_wait_for_file(&go));
    let mut cmd = h.std_cmd();
    cmd.args([
        "exec",
        "--offline",
        "--no-gate",
        "--expected-runtime",
        "1h",
        "--watch-interval",
        "1s",
        "--",
        &job,
    ]);
    let mut run = Watched::spawn(cmd);
    // The job lasts until the watch has observed twice (a second observation is a second
    // chance to warn again).
    let twice = run.read_until(|e| watch_lines(e).len() >= 2);
    go_ahead(&go);
    let (_, stderr, code) = run.finish();
    assert!(twice, "{stderr}");
    assert_no_secrets(&stderr);
    assert_eq!(code, 0, "{stderr}");
    let lines = watch_lines(&stderr);
    assert!(lines.len() >= 2, "{stderr}");
    for l in &lines {
        assert_eq!(word(l, "source"), "environment", "{l}");
        assert_eq!(word(l, "refresh"), "none", "{l}");
        assert_eq!(word(l, "refreshed"), "no", "{l}");
    }
    let warnings = stderr
        .lines()
        .filter(|l| l.contains("WARNING: the job's credentials"))
        .count();
    assert_eq!(warnings, 1, "{stderr}");
    assert!(
        stderr.contains("before its expected end"),
        "the warning says why: {stderr}"
    );
}

#[test]
fn the_watch_sees_credentials_expire_mid_run() {
    let jobs = Jobs::new();
    let calls = jobs.path("calls");
    let fixed = jobs.path("expiry");
    // The credentials come from a credential_process, which the gate runs once and the watch
    // once per observation. The gate's call is told they last an hour. The watch's first call
    // fixes their expiry 2 s ahead (1 s at least, the seconds cut) and every later call
    // repeats it: the same credentials, still valid at the first observation (which asked
    // before they were made) and expired at a later one, however slow the machine.
    let helper = jobs.script(
        "creds",
        &format!(
            r#"echo call >> '{calls}'
if [ "$(wc -l < '{calls}')" -eq 1 ]; then
    expires=$(date -u -d '+1 hour' +%Y-%m-%dT%H:%M:%SZ)
else
    [ -s '{fixed}' ] || date -u -d '+2 seconds' +%Y-%m-%dT%H:%M:%SZ > '{fixed}'
    expires=$(cat '{fixed}')
fi
printf '{{"Version": 1, "AccessKeyId": "{KEY_ID}", "SecretAccessKey": "{SECRET}", "SessionToken": "{TOKEN}", "Expiration": "%s"}}\n' "$expires""#,
            calls = calls.display(),
            fixed = fixed.display(),
        ),
    );
    let h = Home::new().var("AWS_PROFILE", "job");
    h.write(
        ".aws/config",
        format!("[profile job]\ncredential_process = sh {helper}\n"),
    );
    let go = jobs.path("go");
    let job = jobs.script("until-go", &sh_wait_for_file(&go));
    let mut cmd = h.std_cmd();
    cmd.args([
        "exec",
        "--offline",
        "--no-gate",
        "--expected-runtime",
        "6s",
        "--margin",
        "0s",
        "--watch-interval",
        "1s",
        "--",
        &job,
    ]);
    let mut run = Watched::spawn(cmd);
    // The job lasts until an observation finds the credentials expired (the watch wakes just
    // after the expiry to look).
    let expired = run.read_until(|e| {
        watch_lines(e)
            .iter()
            .any(|l| word(l, "left").starts_with("expired-"))
    });
    go_ahead(&go);
    let (_, stderr, code) = run.finish();
    assert!(expired, "no observation after the expiry says so: {stderr}");
    assert_no_secrets(&stderr);
    assert_eq!(code, 0, "{stderr}");
    let expires = std::fs::read_to_string(&fixed).unwrap();
    let lines = watch_lines(&stderr);
    assert!(
        lines
            .iter()
            .all(|l| word(l, "expires_at") == expires.trim()),
        "{expires} {stderr}"
    );
    assert!(
        !word(lines[0], "left").starts_with("expired"),
        "not yet expired at the start: {stderr}"
    );
    // The gate's one call, then one per observation (and perhaps one more, cut short when the
    // job ended during it): the expiry was fixed by the watch's first call.
    let n = std::fs::read_to_string(&calls).unwrap().lines().count();
    assert!(
        (1 + lines.len()..=2 + lines.len()).contains(&n),
        "{n} calls: {stderr}"
    );
}

#[test]
fn a_failed_job_is_diagnosed_from_its_stderr_and_recorded() {
    let jobs = Jobs::new();
    let report = jobs.path("run.json");
    let go = jobs.path("go");
    // The error comes at least 1 s after the job's start: its `sleep 1` begins after the
    // go-ahead, which the test gives once it has seen the job's first stderr line (read through
    // expiry-doctor, so after the job's start was taken) and the watch's first line.
    let job = jobs.script(
        "dies",
        &format!(
            "echo 'copied part-000001'\necho 'starting upload' >&2\n{}\nsleep 1\necho '{EXPIRED_LINE}' >&2\nexit 1",
            sh_wait_for_file(&go)
        ),
    );
    let h = passing();
    let args = exec_args(
        &["--output", "json", "--report", report.to_str().unwrap()],
        &[&job],
    );
    let mut cmd = h.std_cmd();
    cmd.args(&args);
    let spawned = Instant::now();
    let mut run = Watched::spawn(cmd);
    // The go-ahead once the job has started and the watch has observed (the record's
    // observation).
    let started = run.read_until(|e| e.contains("starting upload\n") && !watch_lines(e).is_empty());
    go_ahead(&go);
    let (stdout, stderr, code) = run.finish();
    let took = spawned.elapsed();
    assert!(started, "{stderr}");
    assert_no_secrets(&stderr);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(stdout, b"copied part-000001\n");
    // The job's stderr is all there, unchanged, before the diagnosis.
    let at = stderr.find("starting upload\n").unwrap();
    let err_at = stderr.find(&format!("{EXPIRED_LINE}\n")).unwrap();
    let diag_at = stderr.find("expiry-doctor: the job exited 1").unwrap();
    assert!(at < err_at && err_at < diag_at, "{stderr}");
    // When it came, from the job's start: after the job's `sleep 1`, within the whole run.
    let when = stderr
        .split_once("first credential or clock error (")
        .and_then(|(_, rest)| rest.split_once(" in, stderr line 2)"))
        .map(|(when, _)| humantime::parse_duration(when).unwrap())
        .unwrap_or_else(|| panic!("no first error line: {stderr}"));
    assert!(
        when >= Duration::from_secs(1) && when <= took,
        "{when:?} in, of a run of {took:?}: {stderr}"
    );
    assert!(stderr.contains("never refreshed"), "{stderr}");
    assert!(
        stderr.contains("expiry-doctor: fix (recommended): "),
        "{stderr}"
    );

    let text = std::fs::read_to_string(&report).unwrap();
    assert_no_secrets(&text);
    let r: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(r["version"], 1);
    assert_eq!(r["exit_code"], 1);
    assert_eq!(r["gate"]["passed"], true);
    assert_eq!(r["gate"]["report"]["verdict"], "pass");
    assert!(!r["observations"].as_array().unwrap().is_empty(), "{r}");
    assert_eq!(r["observations"][0]["source"], "environment");
    assert_eq!(r["stderr"]["lines"], 2);
    assert_eq!(r["stderr"]["events"][0]["code"], "ExpiredToken");
    assert_eq!(r["stderr"]["events"][0]["line"], 2);
    assert_eq!(r["diagnosis"]["cause"], "token-expiry");
    assert!(
        !r["diagnosis"]["fixes"].as_array().unwrap().is_empty(),
        "{r}"
    );
    assert_eq!(r["command"][0], job);
    assert_valid_record(&r);
}

#[test]
fn a_job_that_fails_for_another_reason_is_not_blamed_on_its_credentials() {
    let h = passing();
    let (_, stderr, code) = run(
        &h,
        &exec_args(&["--quiet"], &["sh", "-c", "echo 'disk full' >&2; exit 2"]),
    );
    assert_eq!(code, 2);
    assert!(
        stderr.contains("no credential or clock error on its stderr"),
        "{stderr}"
    );
    assert!(!stderr.contains("fix:"), "{stderr}");
}

#[test]
fn an_unwritable_report_stops_exec_before_the_job_starts() {
    let jobs = Jobs::new();
    let ran = jobs.path("ran");
    let job = jobs.script("marks", &format!("touch '{}'", ran.display()));
    let report = jobs.path("no-such-dir/run.json");
    let (_, stderr, code) = run(
        &passing(),
        &exec_args(&["--report", report.to_str().unwrap()], &[&job]),
    );
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.starts_with(&format!("error: --report {}: ", report.display())),
        "{stderr}"
    );
    assert!(!ran.exists(), "the job must not start");
}

#[test]
fn every_file_exec_writes_is_in_utc() {
    // A zone 5 h 30 min east of UTC (a POSIX TZ string: no zone database needed).
    let h = passing().var("TZ", "IST-5:30");
    let jobs = Jobs::new();
    let report = jobs.path("run.json");
    let log = jobs.path("watch.log");
    let job = jobs.script(
        "dies",
        &format!(
            "{}\necho '{EXPIRED_LINE}' >&2\nexit 1",
            sh_wait_until(&format!("[ -s '{}' ]", log.display()))
        ),
    );
    let (_, stderr, code) = run(
        &h,
        &exec_args(
            &[
                "--output",
                "json",
                "--report",
                report.to_str().unwrap(),
                "--watch-log",
                log.to_str().unwrap(),
            ],
            &[&job],
        ),
    );
    assert_eq!(code, 1, "{stderr}");
    // People read stderr in their own zone; files are for machines and other zones.
    assert!(stderr.contains("+05:30"), "the zone took effect: {stderr}");
    let record: Value = serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
    fn times(v: &Value, out: &mut Vec<String>) {
        match v {
            Value::String(s)
                if s.len() >= 19 && s.as_bytes()[4] == b'-' && s.as_bytes()[10] == b'T' =>
            {
                out.push(s.clone())
            }
            Value::String(s) => {
                // Sentences (the warnings) name times too: never with an offset.
                assert!(!s.contains("+05:30") && !s.contains("IST"), "{s}");
            }
            Value::Array(a) => a.iter().for_each(|x| times(x, out)),
            Value::Object(o) => o.values().for_each(|x| times(x, out)),
            _ => {}
        }
    }
    let mut stamps = Vec::new();
    times(&record, &mut stamps);
    assert!(stamps.len() >= 5, "{stamps:?}");
    for t in &stamps {
        assert!(t.ends_with('Z'), "not UTC in --report: {t}");
    }
    let text = std::fs::read_to_string(&log).unwrap();
    for l in watch_lines(&text) {
        assert!(l.split(' ').nth(2).unwrap().ends_with('Z'), "{l}");
        assert!(word(l, "expires_at").ends_with('Z'), "{l}");
    }
    assert!(!text.contains("+05:30"), "{text}");
}

#[test]
fn usage_errors_exit_2_naming_the_flag() {
    let h = passing();
    for (args, says) in [
        (
            vec!["exec", "--offline", "--output", "json", "--", "true"],
            "--report",
        ),
        (
            vec!["exec", "--offline", "--output", "markdown", "--", "true"],
            "--output",
        ),
        (
            vec!["exec", "--all-profiles", "--", "true"],
            "--all-profiles",
        ),
        (vec!["exec", "--offline"], "JOB"),
        (
            vec!["exec", "--watch-interval", "0s", "--", "true"],
            "--watch-interval",
        ),
    ] {
        let (_, stderr, code) = run(&h, &args);
        assert_eq!(code, 2, "{args:?}: {stderr}");
        assert!(stderr.contains(says), "{args:?}: {stderr}");
    }
}
