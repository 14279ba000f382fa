//! Secrets never leave. Sentinel secret keys and session tokens are planted everywhere a
//! credential can live (exported variables, the credentials file, credential_process output,
//! the SSO and CLI caches, a container endpoint's reply, a job's log), then every command and
//! output format runs, with RUST_LOG=trace for good measure; the sentinels must appear nowhere
//! in stdout or stderr, and HOME must be left unchanged (the harness checks that on drop).

use crate::common::moto::Moto;
use crate::common::*;

/// Realistic shapes, so that redaction by shape is tested too: a 40-character secret access
/// key and a long session token.
const SHAPED_SECRET: &str = "wJalrXUtnFEMISENTINELbPxRfiCYEXAMPLEKEY1";
const SHAPED_TOKEN: &str =
    "IQoJb3JpZ2luX2VjSENTINELTOKENaCXVzLWVhc3QtMSJHMEUCIQDkpXb2sentinelAAAAAAAAAAAAAAAAAAAAA";

fn assert_clean(what: &str, text: &str) {
    for s in [SECRET, TOKEN, SHAPED_SECRET, SHAPED_TOKEN, "SENTINEL"] {
        assert!(!text.contains(s), "{what} leaked {s}:\n{text}");
    }
}

fn planted(moto: &Moto) -> Home {
    let ecs = stubs::ecs("ASIAECSSTUBKEYXXWXYZ", rfc3339_in(50));
    let h = Home::new()
        .var("AWS_REGION", "us-east-1")
        .var("AWS_ENDPOINT_URL", &moto.url)
        .var("AWS_ACCESS_KEY_ID", KEY_ID)
        .var("AWS_SECRET_ACCESS_KEY", SECRET)
        .var("AWS_SESSION_TOKEN", TOKEN)
        .var("AWS_SECURITY_TOKEN", SHAPED_TOKEN)
        .var("AWS_CREDENTIAL_EXPIRATION", rfc3339_in(30))
        .var(
            "AWS_CONTAINER_CREDENTIALS_FULL_URI",
            format!("{}/creds", ecs.url),
        )
        .var("AWS_CONTAINER_AUTHORIZATION_TOKEN", SHAPED_TOKEN)
        .var("RUST_LOG", "trace")
        .var("RUST_BACKTRACE", "full");
    let helper = h.write(
        "bin/creds.sh",
        format!(
            "#!/bin/sh\necho 'sentinel on stderr {SECRET}' >&2\necho '{{\"Version\": 1, \"AccessKeyId\": \"{KEY_ID}\", \"SecretAccessKey\": \"{SECRET}\", \"SessionToken\": \"{TOKEN}\", \"Expiration\": \"{}\"}}'\n",
            rfc3339_in(20)
        ),
    );
    h.write(
        ".aws/config",
        format!(
            "[profile proc]\ncredential_process = sh {}\n\
             [profile dev]\nsso_session = corp\nsso_account_id = 123456789012\nsso_role_name = Developer\n\
             [sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\n\
             [profile etl]\nrole_arn = arn:aws:iam::123456789012:role/etl\nsource_profile = saml\n",
            helper.display()
        ),
    );
    h.write(
        ".aws/credentials",
        format!(
            "[saml]\naws_access_key_id = {KEY_ID}\naws_secret_access_key = {SHAPED_SECRET}\naws_session_token = {SHAPED_TOKEN}\n\
             [default]\naws_access_key_id = {LONG_TERM_KEY_ID}\naws_secret_access_key = {SECRET}\n"
        ),
    );
    h.write(
        ".aws/sso/cache/ee0bfd2552fbd840c02cc48b6e823320543c450f.json",
        format!(
            r#"{{"startUrl": "https://corp.awsapps.com/start", "region": "us-east-1", "accessToken": "{TOKEN}", "expiresAt": "{}", "refreshToken": "{SHAPED_TOKEN}", "clientId": "c", "clientSecret": "{SECRET}"}}"#,
            rfc3339_in(-5)
        ),
    );
    h.write(
        ".aws/cli/cache/c2bbf6b13701d249de25ee17141564c118087d5a.json",
        format!(
            r#"{{"Credentials": {{"AccessKeyId": "{KEY_ID}", "SecretAccessKey": "{SECRET}", "SessionToken": "{TOKEN}", "Expiration": "{}"}}}}"#,
            rfc3339_in(40)
        ),
    );
    h.write(
        "job.log",
        format!(
            "2026-11-23 08:00:00,000 INFO start with AWS_ACCESS_KEY_ID={KEY_ID} AWS_SECRET_ACCESS_KEY={SHAPED_SECRET}\n\
             2026-11-23 08:30:00,000 DEBUG botocore.credentials token={SHAPED_TOKEN}\n\
             2026-11-23 09:00:05,000 ERROR An error occurred (ExpiredToken) when calling the PutObject operation: \
             The security token included in the request is expired (secret {SHAPED_SECRET})\n"
        ),
    );
    h
}

#[test]
#[ignore = "needs scripts/test"]
fn no_command_or_format_prints_a_secret() {
    let moto = Moto::shared();
    let h = planted(moto);
    let log = h.path().join("job.log").display().to_string();
    let runs: Vec<Vec<&str>> = vec![
        vec!["check", "--no-ntp"],
        vec!["check", "--no-ntp", "--verbose"],
        vec!["check", "--no-ntp", "--quiet"],
        vec!["check", "--no-ntp", "--output", "json"],
        vec!["check", "--no-ntp", "--output", "markdown"],
        vec!["check", "--no-ntp", "--output", "github"],
        vec![
            "check",
            "--offline",
            "--verbose",
            "--expected-runtime",
            "6h",
        ],
        vec![
            "check",
            "--offline",
            "--profile",
            "proc",
            "--output",
            "json",
        ],
        vec!["check", "--no-ntp", "--profile", "dev", "--verbose"],
        vec!["check", "--no-ntp", "--profile", "etl", "--output", "json"],
        vec!["check", "--no-ntp", "--all-profiles"],
        vec!["check", "--no-ntp", "--all-profiles", "--output", "json"],
        vec!["triage", "--log", &log],
        vec!["triage", "--log", &log, "--output", "json"],
        vec!["roles", "--min-session", "6h", "--output", "json"],
        vec!["explain", "--list"],
    ];
    for args in &runs {
        let out = h.cmd().args(args).output().unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            !stdout.is_empty(),
            "{args:?} printed nothing; stderr: {stderr}"
        );
        assert_clean(&format!("{args:?} stdout"), &stdout);
        assert_clean(&format!("{args:?} stderr"), &stderr);
    }
    // exec: its own lines (gate, watch, diagnosis) and its record. The job's own output is
    // passed through untouched, so this job prints an error line without a secret.
    // The job fails once the watch has observed (the test's go-ahead, after it read a watch
    // line), so the watch's line and the record's observation are there to be checked.
    let out_dir = tempfile::tempdir().unwrap();
    let record = out_dir.path().join("run.json");
    let go = out_dir.path().join("go");
    let job = format!(
        "{}\necho 'An error occurred (ExpiredToken) when calling the PutObject operation' >&2\nexit 1",
        sh_wait_for_file(&go)
    );
    let mut cmd = h.std_cmd();
    cmd.args([
        "exec",
        "--no-ntp",
        "--no-gate",
        "--watch-interval",
        "1s",
        "--report",
        record.to_str().unwrap(),
        "--",
        "sh",
        "-c",
        &job,
    ]);
    let mut run = Watched::spawn(cmd);
    run.read_until(|e| e.contains("expiry-doctor: watch"));
    go_ahead(&go);
    let (_, stderr, _) = run.finish();
    assert!(stderr.contains("expiry-doctor: watch"), "{stderr}");
    assert!(
        stderr.contains("expiry-doctor: the job exited 1"),
        "{stderr}"
    );
    assert_clean("exec stderr", &stderr);
    assert_clean("exec --report", &std::fs::read_to_string(&record).unwrap());

    // Triage still reports the failing line, with the secret masked.
    let out = h
        .cmd()
        .args(["triage", "--log", &log, "--output", "json"])
        .output()
        .unwrap();
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let text = r["events"][0]["text"].as_str().unwrap();
    assert!(
        text.contains("ExpiredToken") && text.contains("(secret [redacted])"),
        "{text}"
    );
}
