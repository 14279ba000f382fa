//! The fault matrix: every probe (STS, IAM, the SSO portal, IMDSv2, the ECS endpoint) against
//! every way a server fails (refused, silent, reset mid-reply, a byte a second, 500, 503,
//! garbage, 100 MB). For all: the run ends within --timeout, the report is valid, the affected
//! check says `error` with the reason, and the verdict is never `pass`.

use crate::common::faults::{self, Fault};
use crate::common::moto::Moto;
use crate::common::*;
use serde_json::Value;
use std::time::{Duration, Instant};

#[derive(Clone, Copy, Debug)]
enum Probe {
    Sts,
    Iam,
    SsoPortal,
    Imds,
    Ecs,
}

const TIMEOUT: &str = "3s";
const LIMIT: Duration = Duration::from_millis(3500);

/// A machine whose `probe` talks to `url`; everything else to moto.
fn machine(probe: Probe, url: &str) -> Home {
    let moto = Moto::shared();
    let base = Home::new()
        .var("AWS_REGION", "us-east-1")
        .var("AWS_ENDPOINT_URL", &moto.url);
    match probe {
        Probe::Sts => exported(Some(600))
            .var("AWS_REGION", "us-east-1")
            .var("AWS_ENDPOINT_URL_STS", url)
            .var("AWS_ENDPOINT_URL_IAM", &moto.url),
        Probe::Iam => {
            let role = moto.role(&format!("fault-iam-{}", unique()), 3600);
            let (k, s) = moto.user(&format!("fault-iam-user-{}", unique()), &[]);
            let c = moto.assume(&role, &k, &s, 3600);
            base.var("AWS_ACCESS_KEY_ID", &c[0])
                .var("AWS_SECRET_ACCESS_KEY", &c[1])
                .var("AWS_SESSION_TOKEN", &c[2])
                .var("AWS_CREDENTIAL_EXPIRATION", &c[3])
                .var("AWS_ENDPOINT_URL_IAM", url)
        }
        Probe::SsoPortal => {
            let h = base
                .var("AWS_ENDPOINT_URL_SSO", url)
                .var("AWS_PROFILE", "dev");
            h.write(
                ".aws/config",
                "[profile dev]\nsso_session = corp\nsso_account_id = 123456789012\nsso_role_name = Developer\n\
                 [sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\n",
            );
            h.write(
                ".aws/sso/cache/ee0bfd2552fbd840c02cc48b6e823320543c450f.json",
                format!(
                    r#"{{"startUrl": "https://corp.awsapps.com/start", "region": "us-east-1", "accessToken": "{TOKEN}", "expiresAt": "{}"}}"#,
                    rfc3339_in(120)
                ),
            );
            h
        }
        Probe::Imds => base
            .var("AWS_EC2_METADATA_DISABLED", "false")
            .var("AWS_EC2_METADATA_SERVICE_ENDPOINT", url),
        Probe::Ecs => base.var("AWS_CONTAINER_CREDENTIALS_FULL_URI", format!("{url}/creds")),
    }
}

fn unique() -> String {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static N: AtomicUsize = AtomicUsize::new(0);
    format!(
        "{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    )
}

/// The check a probe's failure must show up in.
fn affected(probe: Probe) -> &'static str {
    match probe {
        Probe::Sts => "identity",
        Probe::Iam => "session-limit",
        Probe::SsoPortal | Probe::Imds | Probe::Ecs => "credential-source",
    }
}

/// What a probe's check says for a fault: `error` (a probe broke), except that an instance
/// metadata service that cannot be reached at all looks exactly like a machine that is not on
/// EC2; with nothing else configured that is "no credentials", a failure naming the reason.
fn expected(probe: Probe, fault: Fault) -> &'static str {
    match (probe, fault) {
        // Instance metadata that refused or broke has said "nothing here": no credentials.
        // One that never answered (silent, or too slow) has said nothing: not verified.
        (Probe::Imds, Fault::Refused | Fault::HugeBody) => "fail",
        (Probe::Imds, Fault::Silent | Fault::Trickle) => "error",
        _ => "error",
    }
}

struct Run {
    report: Value,
    code: i32,
    took: Duration,
    /// Peak resident memory of the run, in KiB.
    max_rss_kib: i64,
}

fn run(probe: Probe, fault: Fault) -> Run {
    let url = faults::http(fault);
    let h = machine(probe, &url);
    // Run through a small Python parent that reports its child's peak RSS (a child's rusage
    // counts what its parent held at fork, and this test process is large) and how long the
    // child ran, from its spawn to its exit (the parent's own start-up is not the binary's).
    let python = crate::common::moto::required("EXPIRY_DOCTOR_PYTHON");
    let cmd = h.std_cmd();
    let bin = cmd.get_program().to_owned();
    let out = std::process::Command::new(python)
        .env_clear()
        .envs(cmd.get_envs().filter_map(|(k, v)| Some((k.to_owned(), v?.to_owned()))))
        .args([
            "-c",
            "import resource, subprocess, sys, time\n\
             started = time.monotonic_ns()\n\
             p = subprocess.run(sys.argv[1:])\n\
             took = time.monotonic_ns() - started\n\
             sys.stderr.write('maxrss=%d\\n' % resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n\
             sys.stderr.write('took_ns=%d\\n' % took)\n\
             sys.exit(p.returncode)",
        ])
        .arg(&bin)
        .args(["check", "--output", "json", "--no-ntp", "--expected-runtime", "1h", "--timeout", TIMEOUT])
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let max_rss_kib: i64 = stderr
        .lines()
        .find_map(|l| l.strip_prefix("maxrss="))
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("{probe:?}/{fault:?}: no rusage: {stderr}"));
    let took = stderr
        .lines()
        .find_map(|l| l.strip_prefix("took_ns="))
        .and_then(|v| v.parse().ok())
        .map(Duration::from_nanos)
        .unwrap_or_else(|| panic!("{probe:?}/{fault:?}: no time: {stderr}"));
    let code = out.status.code().expect("not killed by a signal");
    assert_no_secrets(&stdout);
    let report: Value = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("{probe:?}/{fault:?}: not JSON ({e}): {stdout}"));
    Run {
        report,
        code,
        took,
        max_rss_kib,
    }
}

/// A binary that held a 100 MB reply would show it here.
const MAX_RSS_KIB: i64 = 64 * 1024;

/// Faults run at once: most of a run is waiting out a silent or trickling server, so two
/// share the cores without pressing on the 3.5 s bound (the suite's time budget needs it).
const AT_ONCE: usize = 2;

fn matrix(probe: Probe) {
    let runs: Vec<(Fault, Run)> = faults::ALL_HTTP
        .chunks(AT_ONCE)
        .flat_map(|pair| {
            std::thread::scope(|s| {
                let handles: Vec<_> = pair
                    .iter()
                    .map(|&fault| s.spawn(move || (fault, run(probe, fault))))
                    .collect();
                handles
                    .into_iter()
                    .map(|h| h.join().expect("a fault run panicked"))
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    for (fault, run) in runs {
        let Run {
            report: r,
            code,
            took,
            max_rss_kib,
        } = run;
        assert!(took < LIMIT, "{probe:?}/{fault:?}: took {took:?}");
        assert!(code == 0 || code == 1, "{probe:?}/{fault:?}: exit {code}");
        assert_eq!(
            r["checks"].as_array().unwrap().len(),
            6,
            "{probe:?}/{fault:?}"
        );
        let check = affected(probe);
        assert_eq!(
            status(&r, check),
            expected(probe, fault),
            "{probe:?}/{fault:?}: {}",
            summary(&r, check)
        );
        assert!(!summary(&r, check).is_empty());
        // Every failure in words: no Debug dump of an error anywhere in the report.
        assert_no_debug_text(&r);
        assert_ne!(r["verdict"], "pass", "{probe:?}/{fault:?}");
        assert!(
            max_rss_kib < MAX_RSS_KIB,
            "{probe:?}/{fault:?}: peak RSS {max_rss_kib} KiB"
        );
        if fault == Fault::HugeBody {
            let said = r["probes"].to_string();
            assert!(
                said.contains("announces 104857600 bytes") || said.contains("instance metadata"),
                "{probe:?}: {said}"
            );
        }
    }
}

#[test]
#[ignore = "needs scripts/test"]
fn sts() {
    matrix(Probe::Sts);
}

#[test]
#[ignore = "needs scripts/test"]
fn iam() {
    matrix(Probe::Iam);
}

#[test]
#[ignore = "needs scripts/test"]
fn sso_portal() {
    matrix(Probe::SsoPortal);
}

#[test]
#[ignore = "needs scripts/test"]
fn imds() {
    matrix(Probe::Imds);
}

#[test]
#[ignore = "needs scripts/test"]
fn ecs() {
    matrix(Probe::Ecs);
}

/// The container endpoint handing out credentials with this `Expiration`.
fn container_expiring(expiration: &str) -> (Value, i32) {
    let moto = Moto::shared();
    let ecs = stubs::ecs("ASIAECSSTUBKEYXXWXYZ", expiration.to_string());
    let h = Home::new()
        .var("AWS_REGION", "us-east-1")
        .var("AWS_ENDPOINT_URL", &moto.url)
        .var(
            "AWS_CONTAINER_CREDENTIALS_FULL_URI",
            format!("{}/creds", ecs.url),
        );
    h.live_json(&["--no-ntp", "--expected-runtime", "1h", "--timeout", TIMEOUT])
}

#[test]
#[ignore = "needs scripts/test"]
fn provider_credentials_already_expired_are_a_failure_not_a_refresh() {
    let (r, code) = container_expiring(&rfc3339_in(-10));
    assert_eq!(code, 1, "{r}");
    assert_eq!(status(&r, "expiration"), "fail", "{r}");
    assert!(
        summary(&r, "expiration").contains("already expired"),
        "{}",
        summary(&r, "expiration")
    );
}

#[test]
#[ignore = "needs scripts/test"]
fn provider_credentials_with_an_unparseable_expiry_are_an_error() {
    let (r, _) = container_expiring("the day after tomorrow");
    assert_eq!(status(&r, "credential-source"), "error", "{r}");
    assert_ne!(r["verdict"], "pass");
}

#[test]
#[ignore = "needs scripts/test"]
fn provider_credentials_expiring_in_9999_are_read_as_such() {
    let (r, code) = container_expiring("9999-12-31T23:59:59Z");
    assert_eq!(code, 0, "{r}");
    assert_eq!(r["credentials"]["expires_at"], "9999-12-31T23:59:59Z");
    assert_eq!(status(&r, "expected-runtime"), "pass");
}

#[test]
#[ignore = "needs scripts/test"]
fn an_imdsv1_only_host_refusing_the_token_put() {
    let moto = Moto::shared();
    let v1 = stubs::http(|req| match (req.method.as_str(), req.path.as_str()) {
        ("PUT", _) => stubs::Response::status(403, "IMDSv2 not supported"),
        ("GET", "/latest/meta-data/iam/security-credentials/") => {
            stubs::Response::ok("text/plain", "v1-role")
        }
        ("GET", "/latest/meta-data/iam/security-credentials/v1-role") => stubs::Response::ok(
            "application/json",
            format!(
                r#"{{"Code": "Success", "AccessKeyId": "ASIAIMDSV1KEYXXXWXYZ", "SecretAccessKey": "{SECRET}", "Token": "{TOKEN}", "Expiration": "{}"}}"#,
                rfc3339_in(50)
            ),
        ),
        _ => stubs::Response::status(404, ""),
    });
    let h = Home::new()
        .var("AWS_REGION", "us-east-1")
        .var("AWS_ENDPOINT_URL", &moto.url)
        .var("AWS_EC2_METADATA_DISABLED", "false")
        .var("AWS_EC2_METADATA_SERVICE_ENDPOINT", &v1.url);
    let started = Instant::now();
    let (r, _) = h.live_json(&["--no-ntp", "--expected-runtime", "1h", "--timeout", TIMEOUT]);
    assert!(started.elapsed() < LIMIT);
    // aws-config speaks IMDSv2 only: the refused token is a finding, never a pass on a guess.
    assert_ne!(status(&r, "credential-source"), "pass", "{r}");
    assert!(
        summary(&r, "credential-source").contains("instance metadata")
            || summary(&r, "credential-source").contains("IMDS"),
        "{}",
        summary(&r, "credential-source")
    );
    assert_ne!(r["verdict"], "pass");
}

#[test]
#[ignore = "needs scripts/test"]
fn ntp_replies_that_lie_are_rejected_with_the_reason() {
    let cases = [
        (faults::NtpFault::KissOfDeath, "kiss-o'-death (RATE"),
        (faults::NtpFault::StratumZero, "kiss-o'-death"),
        (faults::NtpFault::WrongOrigin, "wrong origin timestamp"),
        (faults::NtpFault::Truncated, "malformed reply"),
    ];
    let moto = Moto::shared();
    let (k, s) = moto.user(&format!("ntp-fault-{}", unique()), &[]);
    for (fault, words) in cases {
        let server = faults::ntp(fault);
        let h = Home::new()
            .endpoint(&moto.url)
            .var("AWS_ACCESS_KEY_ID", &k)
            .var("AWS_SECRET_ACCESS_KEY", &s);
        let started = Instant::now();
        let (r, code) = h.live_json(&["--ntp-server", &server, "--timeout", TIMEOUT]);
        assert!(started.elapsed() < LIMIT, "{fault:?}");
        assert_eq!(
            (status(&r, "clock-skew"), code),
            ("error", 0),
            "{fault:?}: {r}"
        );
        assert!(
            summary(&r, "clock-skew").contains(words),
            "{fault:?}: {}",
            summary(&r, "clock-skew")
        );
        assert_eq!(
            r["clock"]["ntp_offset_seconds"],
            Value::Null,
            "{fault:?}: a lie is not a measurement"
        );
    }
}
