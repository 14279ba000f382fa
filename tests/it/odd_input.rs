//! Odd and hostile input (issue 17): FIFOs where files belong, helpers that want a terminal,
//! helpers the user does not want run, profile names aws-config drops, endless
//! `source_profile` chains, and environment values that are not UTF-8 or are enormous. Each
//! test is named after what it proves.

use crate::common::*;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// What a bounded run left: stdout, stderr, exit code, and how long it took.
struct Ran {
    stdout: String,
    stderr: String,
    code: i32,
    took: Duration,
}

/// Runs `cmd` and waits for it, killing it after `limit` plus a generous allowance so that a
/// regression (a run that hangs) fails its test instead of hanging the suite. The tests assert
/// `took` against `limit` themselves.
fn run_bounded(mut cmd: std::process::Command, limit: Duration) -> Ran {
    use std::process::Stdio;
    let started = Instant::now();
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let stdout = std::thread::spawn(move || {
        let mut s = Vec::new();
        std::io::Read::read_to_end(&mut out, &mut s).unwrap();
        s
    });
    let stderr = std::thread::spawn(move || {
        let mut s = Vec::new();
        std::io::Read::read_to_end(&mut err, &mut s).unwrap();
        s
    });
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > limit + Duration::from_secs(10) {
            child.kill().unwrap();
            break child.wait().unwrap();
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let took = started.elapsed();
    Ran {
        stdout: String::from_utf8_lossy(&stdout.join().unwrap()).into_owned(),
        stderr: String::from_utf8_lossy(&stderr.join().unwrap()).into_owned(),
        code: status.code().unwrap_or(-1),
        took,
    }
}

/// A named pipe at `rel` under HOME that nothing ever writes to: whoever opens it to read
/// waits forever.
fn mkfifo(h: &Home, rel: &str) -> PathBuf {
    let p = h.path().join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    let c = std::ffi::CString::new(p.as_os_str().as_encoded_bytes()).unwrap();
    // SAFETY: mkfifo(3) with a NUL-terminated path we own.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0, "mkfifo");
    h.settle();
    p
}

/// The `--timeout` of every FIFO run, and what it must end within.
const TIMEOUT: &str = "2s";
const WITHIN: Duration = Duration::from_millis(2500);

/// `check --timeout 2s` with `args`, offline or with the live probes (aimed at a loopback
/// port where nothing listens, and no NTP, so that nothing leaves the machine even if the
/// gate that keeps the SDK off a FIFO broke): it ends in time, names `fifo`, and never passes.
fn ends_in_time_naming(h: &Home, fifo: &Path, args: &[&str]) {
    for offline in [true, false] {
        let mut cmd = h.std_cmd();
        cmd.args([
            "check",
            "--output",
            "json",
            "--no-ntp",
            "--timeout",
            TIMEOUT,
        ])
        .env("AWS_ENDPOINT_URL", "http://127.0.0.1:9")
        .args(args);
        if offline {
            cmd.arg("--offline");
        }
        let ran = run_bounded(cmd, WITHIN);
        assert!(
            ran.took < WITHIN,
            "offline {offline}: took {:?} (--timeout {TIMEOUT})\n{}{}",
            ran.took,
            ran.stdout,
            ran.stderr
        );
        let r: serde_json::Value = serde_json::from_str(&ran.stdout).unwrap_or_else(|e| {
            panic!(
                "offline {offline}: not JSON ({e}): {}{}",
                ran.stdout, ran.stderr
            )
        });
        let shown = fifo.display().to_string();
        assert!(
            r.to_string().contains(&shown) && r.to_string().contains("FIFO"),
            "offline {offline}: {shown} is not named:\n{r:#}"
        );
        assert_ne!(r["verdict"], "pass", "offline {offline}: {r:#}");
        assert_eq!(ran.code, 1, "offline {offline}: {r:#}");
    }
}

#[test]
fn a_fifo_as_the_config_file_ends_within_the_timeout_and_is_named() {
    let h = exported(Some(600));
    let fifo = mkfifo(&h, ".aws/config");
    ends_in_time_naming(&h, &fifo, &["--expected-runtime", "1h"]);
    // Named by AWS_CONFIG_FILE, in each SDK's model.
    let h = Home::new();
    let fifo = mkfifo(&h, "elsewhere/config");
    let h = h.var("AWS_CONFIG_FILE", fifo.display().to_string());
    for sdk in ["rust", "python"] {
        ends_in_time_naming(&h, &fifo, &["--sdk", sdk]);
    }
}

#[test]
fn a_fifo_as_the_credentials_file_ends_within_the_timeout_and_is_named() {
    let h = Home::new().var("AWS_PROFILE", "dev");
    h.write(".aws/config", "[profile dev]\nregion = us-east-1\n");
    let fifo = mkfifo(&h, ".aws/credentials");
    ends_in_time_naming(&h, &fifo, &[]);
}

#[test]
fn a_fifo_as_the_sso_token_cache_entry_ends_within_the_timeout_and_is_named() {
    let h = Home::new().var("AWS_PROFILE", "dev");
    h.write(
        ".aws/config",
        "[profile dev]\nsso_session = corp\nsso_account_id = 123456789012\nsso_role_name = Developer\n\
         [sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\n",
    );
    // sha1("corp"), the entry both SDKs open for the session.
    let fifo = mkfifo(
        &h,
        ".aws/sso/cache/ee0bfd2552fbd840c02cc48b6e823320543c450f.json",
    );
    ends_in_time_naming(&h, &fifo, &["--expected-runtime", "1h"]);
}

#[test]
fn a_fifo_as_the_cli_cache_entry_ends_within_the_timeout_and_is_named() {
    let h = Home::new().var("AWS_PROFILE", "etl");
    h.write(
        ".aws/config",
        "[profile etl]\nrole_arn = arn:aws:iam::123456789012:role/etl\nsource_profile = base\n",
    );
    h.write(
        ".aws/credentials",
        format!(
            "[base]\naws_access_key_id = {LONG_TERM_KEY_ID}\naws_secret_access_key = {SECRET}\n"
        ),
    );
    // The AWS CLI's cache entry for that role (bad_input::a_garbage_cli_cache_entry_is_named).
    let fifo = mkfifo(
        &h,
        ".aws/cli/cache/c2bbf6b13701d249de25ee17141564c118087d5a.json",
    );
    // aws-config never reads the CLI cache: only our own reading could hang, offline. The
    // live run would ask STS (a refused port here) about a healthy role: not a failure of the
    // file's making, so only the offline run is held to "never passes".
    let mut cmd = h.std_cmd();
    cmd.args([
        "check",
        "--offline",
        "--output",
        "json",
        "--timeout",
        TIMEOUT,
        "--expected-runtime",
        "1h",
    ]);
    let ran = run_bounded(cmd, WITHIN);
    assert!(ran.took < WITHIN, "took {:?}", ran.took);
    let r: serde_json::Value = serde_json::from_str(&ran.stdout).unwrap();
    let d = details(&r, "expiration");
    assert!(
        d.contains(&fifo.display().to_string()) && d.contains("FIFO"),
        "{r:#}"
    );
}

#[test]
fn a_fifo_as_the_web_identity_token_file_ends_within_the_timeout_and_is_named() {
    let h = Home::new();
    let fifo = mkfifo(&h, "token");
    let h = h
        .var("AWS_WEB_IDENTITY_TOKEN_FILE", fifo.display().to_string())
        .var("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/ci");
    ends_in_time_naming(&h, &fifo, &["--expected-runtime", "1h"]);
}

#[test]
fn a_fifo_as_the_container_authorization_token_file_ends_within_the_timeout_and_is_named() {
    // aws-config reads this file itself, at every refresh, for either container variable.
    for var in [
        "AWS_CONTAINER_CREDENTIALS_FULL_URI",
        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    ] {
        let h = Home::new();
        let fifo = mkfifo(&h, "auth-token");
        let uri = if var.ends_with("FULL_URI") {
            "http://127.0.0.1:9/creds"
        } else {
            "/creds"
        };
        let h = h.var(var, uri).var(
            "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
            fifo.display().to_string(),
        );
        ends_in_time_naming(&h, &fifo, &["--expected-runtime", "1h"]);
    }
}

#[test]
fn a_fifo_as_the_facts_file_ends_within_the_timeout_and_is_named() {
    let h = Home::new();
    let fifo = mkfifo(&h, "report.json");
    let mut cmd = h.std_cmd();
    cmd.args(["check", "--timeout", TIMEOUT, "--facts"])
        .arg(&fifo);
    let ran = run_bounded(cmd, WITHIN);
    assert!(ran.took < WITHIN, "took {:?}", ran.took);
    assert_eq!(ran.code, 2, "{}", ran.stderr);
    assert!(
        ran.stderr.contains(&format!(
            "--facts {} is a FIFO (named pipe), not a regular file: nothing finished writing \
             to it within --timeout 2s",
            fifo.display()
        )),
        "{}",
        ran.stderr
    );
}

#[test]
fn a_facts_report_piped_on_stdin_still_replays() {
    let h = exported(Some(600));
    let (report, _) = h.check_json(&["--expected-runtime", "1h"]);
    for path in ["-", "/dev/stdin"] {
        let out = Home::new()
            .cmd()
            .args(["check", "--output", "json", "--facts", path])
            .write_stdin(report.to_string())
            .output()
            .unwrap();
        let r: serde_json::Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{path}: {e}: {}", String::from_utf8_lossy(&out.stderr)));
        assert_eq!(r["credentials"], report["credentials"], "{path}");
    }
}

#[test]
fn a_fifo_as_the_config_file_of_roles_ends_at_once_and_is_named() {
    let h = exported(Some(600));
    let fifo = mkfifo(&h, ".aws/config");
    let mut cmd = h.std_cmd();
    cmd.args(["roles", "--min-session", "6h", "--timeout", TIMEOUT])
        .env("AWS_ENDPOINT_URL", "http://127.0.0.1:9");
    let ran = run_bounded(cmd, WITHIN);
    assert!(ran.took < WITHIN, "took {:?}", ran.took);
    assert_eq!(ran.code, 1, "{}", ran.stderr);
    assert!(
        ran.stderr.contains(&fifo.display().to_string()),
        "{}",
        ran.stderr
    );
}

#[test]
fn a_fifo_named_as_exec_s_job_does_not_block_the_wrapper() {
    // exec reads the head of the job's program to see whether it is a Python script.
    let h = exported(Some(600));
    let fifo = mkfifo(&h, "job");
    let mut cmd = h.std_cmd();
    cmd.args(["exec", "--offline", "--timeout", TIMEOUT, "--"])
        .arg(&fifo);
    let ran = run_bounded(cmd, WITHIN);
    assert!(ran.took < WITHIN, "took {:?}: {}", ran.took, ran.stderr);
    assert_eq!(ran.code, 126, "not executable: {}", ran.stderr);
}

/// A profile whose `credential_process` runs `script` (`sh <file>`).
fn helper_home(script: &str) -> Home {
    let h = Home::new().var("AWS_PROFILE", "proc");
    let path = h.write("bin/helper.sh", script);
    h.write(
        ".aws/config",
        format!(
            "[profile proc]\ncredential_process = sh {}\n",
            path.display()
        ),
    );
    h
}

#[test]
fn a_credential_process_that_prompts_on_the_terminal_is_said_to_want_it_and_stopped_at_once() {
    // The real thing: expiry-doctor in the foreground of a pseudo-terminal (util-linux
    // `script`, as terminal.rs uses), the helper in a process group of its own (so that a
    // deadline can kill all it started) reading its answer from /dev/tty, as a prompting
    // helper does. The kernel stops a background group that reads the terminal with SIGTTIN,
    // and the helper would wait, stopped, until the deadline.
    let h = helper_home("#!/bin/sh\nprintf 'MFA code: ' > /dev/tty\nread code < /dev/tty\n");
    let bin = assert_cmd::cargo::cargo_bin("expiry-doctor");
    let mut cmd = std::process::Command::new("script");
    cmd.env_clear()
        .env("HOME", h.path())
        .env("PATH", "/usr/bin:/bin")
        .env("TERM", "dumb")
        .env("NO_COLOR", "1")
        .env("AWS_PROFILE", "proc")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .args([
            "-qec",
            &format!(
                "{} check --offline --timeout 20s --expected-runtime 1h --sdk rust",
                bin.display()
            ),
            "/dev/null",
        ]);
    let ran = run_bounded(cmd, Duration::from_secs(20));
    assert!(
        ran.took < Duration::from_secs(20),
        "waited for the deadline: {:?}\n{}",
        ran.took,
        ran.stdout
    );
    assert!(
        ran.stdout
            .contains("credential_process of profile proc wanted the terminal")
            && ran.stdout.contains("SIGTTIN"),
        "{}",
        ran.stdout
    );
    assert!(ran.stdout.contains("FAIL"), "{}", ran.stdout);
}

#[test]
fn a_credential_process_stopped_by_sigttin_without_a_terminal_is_said_to_want_it() {
    // Without a terminal (CI, this test) a helper cannot be stopped by reading one: opening
    // /dev/tty fails. `kill -TTIN 0` does what the kernel does to a background process group
    // that reads its terminal (SIGTTIN to every process of the group), so it is an honest
    // stand-in for the stopped state, for each SDK's way of starting the helper (aws-config
    // through `sh -c`, botocore directly).
    let h = helper_home("#!/bin/sh\nkill -TTIN 0\necho '{}'\n");
    for sdk in ["rust", "python"] {
        let mut cmd = h.std_cmd();
        cmd.args([
            "check",
            "--offline",
            "--output",
            "json",
            "--timeout",
            "20s",
            "--sdk",
            sdk,
        ]);
        let ran = run_bounded(cmd, Duration::from_secs(20));
        assert!(ran.took < Duration::from_secs(20), "{sdk}: {:?}", ran.took);
        let r: serde_json::Value = serde_json::from_str(&ran.stdout).unwrap();
        assert_eq!(status(&r, "credential-source"), "fail", "{sdk}: {r:#}");
        let s = summary(&r, "credential-source");
        assert!(
            s.contains("wanted the terminal") && s.contains("SIGTTIN"),
            "{sdk}: {s}"
        );
        assert_eq!(r["problems"][0]["kind"], "helper-stopped", "{sdk}: {r:#}");
        assert_eq!(r["credentials"]["obtained"], false, "{sdk}");
    }
}

#[test]
fn a_credential_process_that_failed_is_not_run_again_by_the_live_probe() {
    // aws-config's own provider would start it a second time, in expiry-doctor's process
    // group, where a prompting helper reaches the terminal. Each run leaves a line.
    let runs = tempfile::tempdir().unwrap();
    let log = runs.path().join("runs");
    let h = helper_home(&format!(
        "#!/bin/sh\necho run >> '{}'\nexit 1\n",
        log.display()
    ))
    .var("AWS_ENDPOINT_URL", "http://127.0.0.1:9");
    // Once per SDK modelled: aws-config's `sh -c`, botocore's split words.
    for (sdk, expected) in [("rust", 1), ("any", 2)] {
        let _ = std::fs::remove_file(&log);
        let (r, _) = h.live_json(&["--sdk", sdk, "--no-ntp", "--timeout", "5s"]);
        assert_eq!(status(&r, "credential-source"), "fail", "{sdk}: {r:#}");
        let count = std::fs::read_to_string(&log).unwrap().lines().count();
        assert_eq!(count, expected, "{sdk}: the helper ran {count} times");
    }
}

#[test]
fn no_credential_process_runs_no_helper_and_never_passes() {
    // Each run of the helper leaves a line outside HOME; it would print valid credentials.
    let runs = tempfile::tempdir().unwrap();
    let log = runs.path().join("runs");
    let h = helper_home(&format!(
        "#!/bin/sh\necho run >> '{}'\necho '{{\"Version\": 1, \"AccessKeyId\": \"{KEY_ID}\", \"SecretAccessKey\": \"{SECRET}\", \"Expiration\": \"{}\"}}'\n",
        log.display(),
        rfc3339_in(600)
    ))
    .var("AWS_ENDPOINT_URL", "http://127.0.0.1:9");
    // The same helper, run: the baseline passes.
    let (r, code) = h.check_json(&["--expected-runtime", "1h"]);
    assert_eq!((r["verdict"].as_str(), code), (Some("pass"), 0), "{r:#}");
    assert!(log.exists(), "the baseline ran the helper");
    std::fs::remove_file(&log).unwrap();

    for (mode, args) in [
        ("offline", vec!["--offline"]),
        ("live", vec!["--no-ntp", "--timeout", "5s"]),
    ] {
        let out = h
            .cmd()
            .args(["check", "--output", "json", "--no-credential-process"])
            .args(["--expected-runtime", "1h"])
            .args(&args)
            .output()
            .unwrap();
        let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(r["verdict"], "warn", "{mode}: {r:#}");
        assert_eq!(out.status.code(), Some(0), "{mode}");
        assert_eq!(r["credentials"]["source"], "credential-process", "{mode}");
        assert_eq!(
            r["credentials"]["obtained"],
            serde_json::Value::Null,
            "{mode}"
        );
        assert_eq!(status(&r, "credential-source"), "warn", "{mode}");
        assert!(
            summary(&r, "credential-source").contains(
                "credential_process of profile proc was not run (--no-credential-process)"
            ),
            "{mode}: {r:#}"
        );
        for id in ["identity", "expiration", "expected-runtime"] {
            assert_eq!(status(&r, id), "skip", "{mode}: {id}");
        }
        assert!(
            summary(&r, "expected-runtime").contains("--no-credential-process"),
            "{mode}: {r:#}"
        );
        // --fail-on warn makes it a gate that stops.
        let code = h
            .cmd()
            .args(["check", "--no-credential-process", "--fail-on", "warn"])
            .args(&args)
            .output()
            .unwrap()
            .status
            .code();
        assert_eq!(code, Some(1), "{mode}");
    }
    // Every profile of an audit; and exec's pre-flight check and watch.
    h.write(
        ".aws/credentials",
        format!(
            "[keys]\naws_access_key_id = {LONG_TERM_KEY_ID}\naws_secret_access_key = {SECRET}\n"
        ),
    );
    let (r, code) = h.check_json(&["--all-profiles", "--no-credential-process"]);
    assert_eq!(code, 0, "{r:#}");
    let verdicts: Vec<(&str, &str)> = r
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["credentials"]["profile"].as_str().unwrap(),
                p["verdict"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(verdicts, [("keys", "pass"), ("proc", "warn")]);
    let out = h
        .cmd()
        .args([
            "exec",
            "--offline",
            "--no-credential-process",
            "--expected-runtime",
            "1m",
            "--",
            "true",
        ])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        !log.exists(),
        "a helper ran: {:?}",
        std::fs::read_to_string(&log)
    );
}

#[test]
fn offline_and_all_profiles_say_in_their_short_help_that_helpers_run() {
    let out = Home::new().cmd().args(["check", "-h"]).output().unwrap();
    let help = String::from_utf8(out.stdout).unwrap();
    let flag = |name: &str| -> String {
        let at = help.find(name).unwrap_or_else(|| panic!("{name}:\n{help}"));
        let rest = &help[at..];
        let end = rest[2..].find("\n  -").map_or(rest.len(), |e| e + 2);
        rest[..end].split_whitespace().collect::<Vec<_>>().join(" ")
    };
    assert!(
        flag("--offline").contains("credential_process still runs"),
        "{}",
        flag("--offline")
    );
    assert!(
        flag("--all-profiles").contains("runs every profile's credential_process"),
        "{}",
        flag("--all-profiles")
    );
    assert!(
        flag("--no-credential-process").contains("Never run a profile's credential_process"),
        "{help}"
    );
}

#[test]
fn profile_sections_aws_config_ignores_are_named_with_why() {
    let h = Home::new();
    let config = h.write(
        ".aws/config",
        "[profile my dev]\nregion = us-east-1\n[profile café]\nregion = us-east-1\n\
         [profile a[b]]\nregion = us-east-1\n[profile ok]\nregion = us-east-1\n",
    );
    let creds = h.write(
        ".aws/credentials",
        format!(
            "[default]\naws_access_key_id = {LONG_TERM_KEY_ID}\naws_secret_access_key = {SECRET}\n\
             [ci runner]\naws_access_key_id = {LONG_TERM_KEY_ID}\naws_secret_access_key = {SECRET}\n"
        ),
    );
    // Nothing selected: the default keys pass, and each dropped section is said, once.
    let (r, code) = h.check_json(&["--sdk", "rust"]);
    assert_eq!(
        (status(&r, "credential-source"), code),
        ("pass", 0),
        "{r:#}"
    );
    let d = details(&r, "credential-source");
    for (section, file, line, name) in [
        ("profile my dev", &config, 1, "my dev"),
        ("profile café", &config, 3, "café"),
        ("profile a[b]", &config, 5, "a[b]"),
        ("ci runner", &creds, 4, "ci runner"),
    ] {
        let said = format!(
            "[{section}] in {} line {line}: is ignored by aws-config: `{name}` is not a name it \
             accepts (ASCII letters, digits and _ - / . % @ : + only)",
            file.display()
        );
        assert_eq!(d.matches(&said).count(), 1, "{said}\n{d}");
    }
    // AWS_PROFILE naming one: not "does not exist", but which section and why.
    let h = h.var("AWS_PROFILE", "café");
    let (r, _) = h.check_json(&["--sdk", "rust"]);
    let s = summary(&r, "credential-source");
    assert!(
        s.contains(&format!(
            "profile café: does not exist for aws-config (AWS_PROFILE): [profile café] in {} \
             line 3 is ignored by aws-config",
            config.display()
        )),
        "{s}"
    );
}

#[test]
fn aws_profile_naming_the_only_section_aws_config_ignores_is_said() {
    // With every section dropped the parsed set is empty: the selection must still be said.
    let h = Home::new().var("AWS_PROFILE", "my dev");
    h.write(
        ".aws/config",
        format!("[profile my dev]\ncredential_process = echo {SECRET}\n"),
    );
    let (r, code) = h.check_json(&["--sdk", "rust"]);
    assert_eq!(code, 1, "{r:#}");
    assert!(
        summary(&r, "credential-source").contains(
            "profile my dev: does not exist for aws-config (AWS_PROFILE): [profile my dev]"
        ),
        "{r:#}"
    );
    // botocore reads no profile from three words either, and says ProfileNotFound.
    let (r, _) = h.check_json(&["--sdk", "python"]);
    assert!(
        details(&r, "credential-source").contains("is ignored by botocore"),
        "{r:#}"
    );
    assert!(
        summary(&r, "credential-source").contains("ProfileNotFound"),
        "{r:#}"
    );
}

/// `n` role profiles `p0` … `p{n-1}`, each the source of the next: a chain down to static keys
/// in `p0`, or (`looped`) a loop, `p0`'s source being the last.
fn chain_config(n: usize, looped: bool) -> String {
    let mut s = String::with_capacity(n * 90);
    if looped {
        s.push_str(&format!(
            "[profile p0]\nrole_arn = arn:aws:iam::123456789012:role/r0\nsource_profile = p{}\n",
            n - 1
        ));
    } else {
        s.push_str(&format!(
            "[profile p0]\naws_access_key_id = {LONG_TERM_KEY_ID}\naws_secret_access_key = {SECRET}\n"
        ));
    }
    for i in 1..n {
        s.push_str(&format!(
            "[profile p{i}]\nrole_arn = arn:aws:iam::123456789012:role/r{i}\nsource_profile = p{}\n",
            i - 1
        ));
    }
    s
}

#[test]
fn a_30k_profile_source_profile_chain_ends_within_the_timeout() {
    // A chain and a loop of 30,000 profiles, with `--timeout 3s`: the run ends in time with a
    // short report, whether it got to name the chain (below) or, on a machine too loaded to
    // parse 2.6 MB of config in time, said that the deadline came first.
    for looped in [false, true] {
        let h = Home::new()
            .var("AWS_PROFILE", "p29999")
            .var("AWS_ENDPOINT_URL", "http://127.0.0.1:9");
        h.write(".aws/config", chain_config(30_000, looped));
        for output in ["table", "json"] {
            let mut cmd = h.std_cmd();
            cmd.args(["check", "--no-ntp", "--timeout", "3s", "--output", output]);
            let ran = run_bounded(cmd, Duration::from_millis(3500));
            assert!(
                ran.took < Duration::from_millis(3500),
                "looped {looped}, {output}: took {:?}",
                ran.took
            );
            assert!(
                ran.stdout.len() < 12_000,
                "looped {looped}, {output}: {} bytes",
                ran.stdout.len()
            );
            assert!(
                ran.stdout.contains("longer than 100 profiles")
                    || ran.stdout.contains("did not finish within --timeout 3s"),
                "looped {looped}, {output}:\n{}{}",
                ran.stdout,
                ran.stderr
            );
            // Never a pass: a fail when the chain is named, a warning when the deadline came.
            let headline = ran.stdout.trim_end().lines().last().unwrap_or_default();
            assert!(
                !headline.starts_with("PASS") && !ran.stdout.contains("\"verdict\": \"pass\""),
                "looped {looped}: {}",
                ran.stdout
            );
        }
    }
}

#[test]
fn a_30k_profile_source_profile_chain_is_named_once_shortened() {
    for looped in [false, true] {
        let h = Home::new().var("AWS_PROFILE", "p29999");
        h.write(".aws/config", chain_config(30_000, looped));
        // Time enough to parse it on any machine: what is said, and how long it is.
        let (r, code) = h.check_json(&["--timeout", "60s"]);
        assert_eq!(code, 1, "looped {looped}");
        assert!(r.to_string().len() < 12_000, "looped {looped}");
        let said = "profile p29999: has a source_profile chain longer than 100 profiles (p29999 \
                    → p29998 → p29997 → p29996 → p29995 → … → p29903 → p29902 → p29901 → \
                    p29900 → …): not followed further";
        let s = summary(&r, "credential-source");
        assert_eq!(s.matches(said).count(), 1, "looped {looped}: {s}");
        let (table, _) = h.check_table(&["--timeout", "60s"]);
        assert!(table.len() < 4_000, "looped {looped}: {table}");
    }
}

#[test]
fn a_long_source_profile_loop_is_named_once_shortened_in_the_middle() {
    let h = Home::new().var("AWS_PROFILE", "p39");
    h.write(".aws/config", chain_config(40, true));
    let (r, code) = h.check_json(&["--sdk", "rust"]);
    assert_eq!(code, 1);
    let s = summary(&r, "credential-source");
    assert!(
        s.ends_with(
            "profile p39: source_profile loop: p39 → p38 → p37 → p36 → p35 → … → p2 → p1 → p0 \
             → p39 (41 profiles)"
        ),
        "{s}"
    );
}

/// `bytes` as an OS string: environment values that are not UTF-8.
fn os(bytes: &[u8]) -> std::ffi::OsString {
    use std::os::unix::ffi::OsStrExt;
    std::ffi::OsStr::from_bytes(bytes).to_os_string()
}

#[test]
fn a_home_that_is_not_utf8_is_said_not_called_unset() {
    let h = Home::new();
    // A home directory whose name is Latin-1 `café`, with keys in its credentials file.
    let home = h.path().join(os(b"caf\xe9"));
    std::fs::create_dir_all(home.join(".aws")).unwrap();
    std::fs::write(
        home.join(".aws/credentials"),
        format!(
            "[default]\naws_access_key_id = {LONG_TERM_KEY_ID}\naws_secret_access_key = {SECRET}\n"
        ),
    )
    .unwrap();
    h.settle();
    let run = |sdk: &str| -> serde_json::Value {
        let out = h
            .cmd()
            .env("HOME", home.as_os_str())
            .args(["check", "--offline", "--output", "json", "--sdk", sdk])
            .output()
            .unwrap();
        serde_json::from_slice(&out.stdout).unwrap()
    };
    // aws-config cannot use it (std::env::var fails), and reads nothing: said so.
    let r = run("rust");
    let d = details(&r, "credential-source");
    assert!(
        d.contains("HOME: is not valid UTF-8 (")
            && d.contains("caf\u{FFFD}): aws-config treats it as unset"),
        "{r:#}"
    );
    assert!(!d.contains("unset or empty"), "{d}");
    // botocore decodes it with surrogateescape and reads the keys under it.
    let r = run("python");
    assert_eq!(r["credentials"]["source"], "shared-credentials", "{r:#}");
}

#[test]
fn an_aws_profile_that_is_not_utf8_is_said_not_ignored() {
    let h = Home::new();
    h.write(
        ".aws/credentials",
        format!(
            "[default]\naws_access_key_id = {LONG_TERM_KEY_ID}\naws_secret_access_key = {SECRET}\n"
        ),
    );
    let run = |sdk: &str| -> serde_json::Value {
        let out = h
            .cmd()
            .env("AWS_PROFILE", os(b"caf\xe9"))
            .args(["check", "--offline", "--output", "json", "--sdk", sdk])
            .output()
            .unwrap();
        serde_json::from_slice(&out.stdout).unwrap()
    };
    // aws-config treats it as unset: the default profile, which the job did not ask for.
    let r = run("rust");
    assert_eq!(status(&r, "credential-source"), "warn", "{r:#}");
    assert!(
        details(&r, "credential-source").contains(
            "AWS_PROFILE: is not valid UTF-8 (caf\u{FFFD}): aws-config ignores it and uses the \
             default profile"
        ),
        "{r:#}"
    );
    // botocore looks for a profile of that name: ProfileNotFound.
    let r = run("python");
    assert_eq!(status(&r, "credential-source"), "fail", "{r:#}");
    let s = summary(&r, "credential-source");
    assert!(
        s.contains("(AWS_PROFILE, which is not valid UTF-8)") && s.contains("ProfileNotFound"),
        "{s}"
    );
}

#[test]
fn a_credential_process_sees_variables_that_are_not_utf8() {
    // The job's helper inherits the job's environment, odd bytes included.
    let h = helper_home(&format!(
        "#!/bin/sh\n[ -n \"$ODD\" ] || exit 3\necho '{{\"Version\": 1, \"AccessKeyId\": \"{KEY_ID}\", \"SecretAccessKey\": \"{SECRET}\", \"Expiration\": \"{}\"}}'\n",
        rfc3339_in(600)
    ));
    let out = h
        .cmd()
        .env("ODD", os(b"\xff"))
        .args(["check", "--offline", "--output", "json"])
        .output()
        .unwrap();
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(status(&r, "credential-source"), "pass", "{r:#}");
}

#[test]
fn a_120_kb_aws_profile_is_looked_up_whole_and_echoed_clipped() {
    let name = format!("p{}", "x".repeat(120 * 1024));
    let h = Home::new().var("AWS_PROFILE", name.clone());
    h.write(
        ".aws/credentials",
        format!(
            "[default]\naws_access_key_id = {LONG_TERM_KEY_ID}\naws_secret_access_key = {SECRET}\n"
        ),
    );
    let (r, code) = h.check_json(&[]);
    assert_eq!(code, 1, "no such profile: botocore stops");
    let text = r.to_string();
    assert!(text.len() < 20_000, "{} bytes of JSON", text.len());
    let clipped = format!("profile p{}…{}", "x".repeat(191), "x".repeat(63));
    assert!(summary(&r, "credential-source").contains(&clipped), "{r:#}");
    let (table, _) = h.check_table(&[]);
    assert!(table.len() < 10_000, "{} bytes of table", table.len());
    // The name is looked up whole: a profile of that very name is found.
    h.write(
        ".aws/credentials",
        format!(
            "[{name}]\naws_access_key_id = {LONG_TERM_KEY_ID}\naws_secret_access_key = {SECRET}\n"
        ),
    );
    let (r, code) = h.check_json(&[]);
    assert_eq!(
        (r["verdict"].as_str(), code),
        (Some("pass"), 0),
        "{}",
        r["headline"]
    );
    assert!(r.to_string().len() < 20_000);
}
