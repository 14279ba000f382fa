//! Running a profile's `credential_process`, the only place its expiry is known.
//!
//! It runs as the SDKs run it (`sh -c` on Unix, `cmd /C` on Windows), with stdin closed,
//! stderr discarded (it is the helper's own chatter), stdout capped, and killed at the
//! deadline. Only `Version`, `AccessKeyId`, `Expiration` and whether a session token exists
//! are kept from its output.

use crate::facts::KeyId;
use chrono::{DateTime, Utc};
use serde::Deserialize;
use std::process::Stdio;
use tokio::io::AsyncReadExt;
use tokio::time::Instant;

/// Real helpers print a few hundred bytes.
const STDOUT_CAP: u64 = 64 * 1024;

#[derive(Clone, PartialEq)]
pub struct ProcessCredentials {
    pub key_id: Option<KeyId>,
    pub has_session_token: bool,
    pub expires_at: Option<DateTime<Utc>>,
    /// The credentials themselves, for the live probes, in the SDK's own type (its `Debug`
    /// redacts the secret and the token). Never serialised.
    pub sdk: aws_credential_types::Credentials,
}

/// A secret string that cannot be printed by accident.
#[derive(Deserialize)]
#[serde(transparent)]
struct Secret(String);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("** redacted **")
    }
}

#[derive(Deserialize)]
struct Output {
    #[serde(rename = "Version")]
    version: Option<serde_json::Value>,
    #[serde(rename = "AccessKeyId")]
    access_key_id: Option<String>,
    #[serde(rename = "SecretAccessKey")]
    secret_access_key: Option<Secret>,
    #[serde(rename = "SessionToken")]
    session_token: Option<Secret>,
    #[serde(rename = "Expiration")]
    expiration: Option<String>,
}

/// The SDK's `Credentials` debug-print the full access key id; ours never do.
impl std::fmt::Debug for ProcessCredentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProcessCredentials")
            .field("key_id", &self.key_id)
            .field("has_session_token", &self.has_session_token)
            .field("expires_at", &self.expires_at)
            .finish_non_exhaustive()
    }
}

/// Why the helper gave no credentials: one sentence for the finding, whether it was only
/// our deadline (a broken probe, not a broken helper), and the job-control signal that
/// stopped it, when one did.
#[derive(Clone, Debug, PartialEq)]
pub struct ProcessError {
    pub message: String,
    pub timed_out: bool,
    /// `SIGTTIN`, `SIGTTOU` (it wanted the terminal), `SIGSTOP`, `SIGTSTP`.
    pub stopped_by: Option<&'static str>,
}

impl From<String> for ProcessError {
    fn from(message: String) -> Self {
        ProcessError {
            message,
            timed_out: false,
            stopped_by: None,
        }
    }
}

/// How often a running helper is looked at for having been stopped.
const STOP_POLL: std::time::Duration = std::time::Duration::from_millis(20);

/// The signal that stopped the child `pid`, if it is stopped now, without reaping it or
/// consuming the report (`waitid` with `WNOWAIT`: tokio still reaps it when it exits).
#[cfg(any(target_os = "linux", target_os = "android"))]
fn stopped_by(pid: u32) -> Option<&'static str> {
    let pid = libc::id_t::try_from(pid).ok()?;
    // SAFETY: an all-zero siginfo_t is a valid value to hand waitid(2), which fills it in.
    let mut info: libc::siginfo_t = unsafe { std::mem::zeroed() };
    // SAFETY: waitid(2) on our own child with a valid out-pointer; WNOHANG never blocks and
    // WNOWAIT leaves the child's state to be collected again.
    let rc = unsafe {
        libc::waitid(
            libc::P_PID,
            pid,
            &mut info,
            libc::WSTOPPED | libc::WNOHANG | libc::WNOWAIT,
        )
    };
    // SAFETY: reading si_pid/si_status of the siginfo_t waitid(2) just filled in.
    if rc != 0 || unsafe { info.si_pid() } == 0 || info.si_code != libc::CLD_STOPPED {
        return None;
    }
    Some(match unsafe { info.si_status() } {
        libc::SIGTTIN => "SIGTTIN",
        libc::SIGTTOU => "SIGTTOU",
        libc::SIGTSTP => "SIGTSTP",
        _ => "SIGSTOP",
    })
}

#[cfg(not(any(target_os = "linux", target_os = "android")))]
fn stopped_by(_pid: u32) -> Option<&'static str> {
    None
}

/// Resolves when the child `pid` is stopped (a job-control signal): a helper run in its own
/// process group that reads from the terminal (a prompt) gets SIGTTIN and waits, stopped, for
/// a `fg` nobody will type. Never resolves for a helper that runs or exits.
async fn stopped(pid: Option<u32>) -> &'static str {
    loop {
        tokio::time::sleep(STOP_POLL).await;
        if let Some(signal) = pid.and_then(stopped_by) {
            return signal;
        }
    }
}

/// Whether a profile's `credential_process` may be started (`--no-credential-process`: not).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Helpers {
    #[default]
    Run,
    NotRun,
}

/// How an SDK starts the helper.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Launch {
    /// Through the shell (`sh -c`, `cmd.exe /C`): aws-config. `~`, `$VAR` and backticks expand.
    Shell,
    /// Split as a POSIX shell would split it (`shlex.split`) and started directly: botocore.
    /// Nothing expands.
    Split,
}

/// Runs the command, in the environment `env` describes, and reads its credentials.
pub async fn run(
    command: &str,
    launch: Launch,
    deadline: Instant,
    env: &crate::env::Env,
) -> Result<ProcessCredentials, ProcessError> {
    let zone = env.zone();
    let mut cmd = match launch {
        Launch::Shell if cfg!(windows) => {
            let mut c = tokio::process::Command::new("cmd.exe");
            c.arg("/C").arg(command);
            c
        }
        Launch::Shell => {
            let mut c = tokio::process::Command::new("sh");
            c.arg("-c").arg(command);
            c
        }
        Launch::Split => {
            let argv = super::botocore::words::split(command).ok_or_else(|| {
                ProcessError::from("cannot be split into words (an unclosed quote)".to_string())
            })?;
            let (program, args) = argv
                .split_first()
                .ok_or_else(|| ProcessError::from("is empty".to_string()))?;
            let mut c = tokio::process::Command::new(program);
            c.args(args);
            c
        }
    };
    // The helper sees the environment we were given, as the SDK's helper sees the job's.
    cmd.env_clear()
        .envs(env.vars())
        .envs(env.not_unicode_vars())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .kill_on_drop(true);
    // Its own process group, so that stopping it also stops what the shell started.
    #[cfg(unix)]
    cmd.process_group(0);
    let started = Instant::now();
    // The program, named in what goes wrong (never its arguments, which may hold a secret).
    let program = super::botocore::words::split(command)
        .and_then(|w| w.into_iter().next())
        .map(|p| crate::redact::clip(&p))
        .unwrap_or_default();
    let mut child = cmd
        .spawn()
        .map_err(|e| ProcessError::from(format!("could not be started: {program}: {e}")))?;
    let pid = child.id();
    let mut group = ProcessGroupGuard::new(pid);
    let mut stdout = child.stdout.take().expect("stdout is piped");
    let work = async {
        let mut buf = Vec::new();
        (&mut stdout)
            .take(STDOUT_CAP + 1)
            .read_to_end(&mut buf)
            .await
            .map_err(|e| format!("output could not be read: {e}"))?;
        if buf.len() as u64 > STDOUT_CAP {
            return Err(format!(
                "printed more than {STDOUT_CAP} bytes; a credential helper prints a small JSON object"
            ));
        }
        let status = child
            .wait()
            .await
            .map_err(|e| format!("could not be waited for: {e}"))?;
        Ok((buf, status))
    };
    // The group guard kills a stopped helper (SIGKILL ends a stopped process too).
    let outcome = tokio::select! {
        r = tokio::time::timeout_at(deadline, work) => r,
        signal = stopped(pid) => {
            return Err(ProcessError {
                message: format!("was stopped by {signal}"),
                timed_out: false,
                stopped_by: Some(signal),
            });
        }
    };
    let (buf, status) = match outcome {
        Ok(r) => r.map_err(ProcessError::from)?,
        Err(_) => {
            return Err(ProcessError {
                message: format!(
                    "did not finish within {:.1}s and was stopped",
                    (Instant::now() - started).as_secs_f64()
                ),
                timed_out: true,
                stopped_by: None,
            });
        }
    };
    // It exited by itself: leave anything it started in the background alone.
    group.disarm();
    if !status.success() {
        return Err(match status.code() {
            // The shell's own codes: the program was not there, or could not be run.
            Some(127) if launch == Launch::Shell => format!(
                "exited with status 127: the shell found no program {program} (not installed, \
                 or not on the job's PATH)"
            ),
            Some(126) if launch == Launch::Shell => {
                format!("exited with status 126: {program} could not be run (not executable)")
            }
            Some(code) => format!("exited with status {code} (its stderr is not shown)"),
            None => "was killed by a signal".to_string(),
        }
        .into());
    }
    let lenient = launch == Launch::Split;
    Ok(parse(&buf, zone, lenient)?)
}

/// Helpers still running, by process group, so that a signal that ends the run can stop them.
static RUNNING: std::sync::Mutex<Vec<i32>> = std::sync::Mutex::new(Vec::new());

/// Kills every helper still running (the run is being interrupted).
pub fn stop_all() {
    if let Ok(groups) = RUNNING.lock() {
        for pgid in groups.iter() {
            kill_group(*pgid);
        }
    }
}

fn kill_group(pgid: i32) {
    #[cfg(unix)]
    // SAFETY: kill(2) with a negative pid signals the process group we created; it has no
    // memory-safety preconditions.
    unsafe {
        libc::kill(-pgid, libc::SIGKILL);
    }
}

/// Kills the helper's whole process group when we stop waiting for it, whatever the reason
/// (deadline, flood, bad output); `disarm` when it exited by itself.
struct ProcessGroupGuard(Option<i32>);

impl ProcessGroupGuard {
    fn new(pid: Option<u32>) -> Self {
        let pgid = pid.and_then(|p| i32::try_from(p).ok());
        if let (Some(g), Ok(mut running)) = (pgid, RUNNING.lock()) {
            running.push(g);
        }
        ProcessGroupGuard(pgid)
    }

    fn disarm(&mut self) {
        self.forget();
        self.0 = None;
    }

    fn forget(&self) {
        if let (Some(g), Ok(mut running)) = (self.0, RUNNING.lock()) {
            running.retain(|x| *x != g);
        }
    }
}

impl Drop for ProcessGroupGuard {
    fn drop(&mut self) {
        if let Some(pgid) = self.0 {
            self.forget();
            kill_group(pgid);
        }
    }
}

/// Parses the documented output format (`Version: 1`).
pub fn parse_output(buf: &[u8], zone: crate::env::LocalZone) -> Result<ProcessCredentials, String> {
    parse(buf, zone, false)
}

/// botocore's reading of the output (`lenient`): `Version` equal to 1 as Python compares
/// (`1`, `1.0`, `true`), and `AccessKeyId`/`SecretAccessKey` present whatever their values
/// (`null` included); aws-config's is strict.
fn botocore_shape(buf: &[u8]) -> Option<Vec<u8>> {
    let mut v: serde_json::Value = serde_json::from_slice(buf).ok()?;
    let obj = v.as_object_mut()?;
    let one = match obj.get("Version") {
        Some(serde_json::Value::Number(n)) => n.as_f64() == Some(1.0),
        Some(serde_json::Value::Bool(true)) => true,
        _ => false,
    };
    if one {
        obj.insert("Version".into(), 1.into());
    }
    for key in ["AccessKeyId", "SecretAccessKey"] {
        if obj.get(key).is_some_and(|x| !x.is_string()) {
            obj.insert(key.into(), "".into());
        }
    }
    if obj
        .get("Expiration")
        .is_some_and(serde_json::Value::is_null)
    {
        obj.remove("Expiration");
    }
    serde_json::to_vec(&v).ok()
}

fn parse(
    buf: &[u8],
    zone: crate::env::LocalZone,
    lenient: bool,
) -> Result<ProcessCredentials, String> {
    let reshaped = lenient.then(|| botocore_shape(buf)).flatten();
    let buf = reshaped.as_deref().unwrap_or(buf);
    let out: Output = serde_json::from_slice(buf).map_err(|e| {
        format!(
            "printed something that is not the credential_process JSON ({})",
            classify_json_error(&e)
        )
    })?;
    match &out.version {
        Some(serde_json::Value::Number(n)) if n.as_u64() == Some(1) => {}
        Some(v) => return Err(format!("printed Version {v}; only Version 1 is defined")),
        None => return Err("printed JSON without \"Version\": 1".into()),
    }
    let (Some(key), Some(secret)) = (&out.access_key_id, &out.secret_access_key) else {
        return Err("printed JSON without AccessKeyId and SecretAccessKey".into());
    };
    let expires_at = match out.expiration {
        Some(v) => Some(
            crate::timestamps::parse(&v, crate::timestamps::Dialect::Zoned, zone)
                .map_err(|why| format!("printed an Expiration that {why}"))?,
        ),
        None => None,
    };
    let sdk = aws_credential_types::Credentials::new(
        key,
        &secret.0,
        out.session_token.as_ref().map(|t| t.0.clone()),
        expires_at.map(std::time::SystemTime::from),
        "CredentialProcess",
    );
    Ok(ProcessCredentials {
        key_id: Some(KeyId::redact(key)),
        has_session_token: out.session_token.is_some(),
        expires_at,
        sdk,
    })
}

/// serde_json's message can quote input (which would be the secret); keep only the position.
fn classify_json_error(e: &serde_json::Error) -> String {
    format!("invalid JSON at line {} column {}", e.line(), e.column())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::env::Env;
    use std::time::Duration;

    fn env() -> Env {
        Env::fake(
            [("PATH", "/usr/bin:/bin")],
            "2026-11-23T08:00:00Z".parse().unwrap(),
        )
    }

    fn soon(secs: u64) -> Instant {
        Instant::now() + Duration::from_secs(secs)
    }

    #[tokio::test]
    async fn reads_expiration_and_never_the_secret() {
        let cmd = r#"printf '{"Version":1,"AccessKeyId":"ASIAEXAMPLEKEYIDWXYZ","SecretAccessKey":"sentinel","SessionToken":"tok","Expiration":"2026-11-23T14:02:00Z"}'"#;
        let c = run(cmd, Launch::Shell, soon(5), &env()).await.unwrap();
        assert_eq!(c.expires_at, Some("2026-11-23T14:02:00Z".parse().unwrap()));
        assert_eq!(c.key_id.unwrap().as_str(), "ASIA…WXYZ");
        assert!(c.has_session_token);
    }

    #[tokio::test]
    async fn botocore_splits_the_command_and_runs_no_shell() {
        let out =
            r#"printf '{"Version":1,"AccessKeyId":"ASIAEXAMPLEKEYIDWXYZ","SecretAccessKey":"s"}'"#;
        assert!(run(out, Launch::Split, soon(5), &env()).await.is_ok());
        // `~`, `$VAR` and `;` mean nothing without a shell.
        let err = run("cat ~/nowhere.json", Launch::Split, soon(5), &env())
            .await
            .unwrap_err();
        assert!(err.message.contains("status"), "{err:?}");
        let err = run("printf '{", Launch::Split, soon(5), &env())
            .await
            .unwrap_err();
        assert!(err.message.contains("unclosed quote"), "{err:?}");
    }

    #[tokio::test]
    async fn failures_are_sentences() {
        let err = run("exit 3", Launch::Shell, soon(5), &env())
            .await
            .unwrap_err();
        assert!(err.message.contains("status 3"), "{err:?}");
        assert!(!err.timed_out);
        let err = run("echo not json", Launch::Shell, soon(5), &env())
            .await
            .unwrap_err();
        assert!(
            err.message.contains("not the credential_process JSON"),
            "{err:?}"
        );
        let err = run(
            r#"echo '{"Version":1,"AccessKeyId":"A","SecretAccessKey":"sentinel-secret"'"#,
            Launch::Shell,
            soon(5),
            &env(),
        )
        .await
        .unwrap_err();
        assert!(!err.message.contains("sentinel"), "{err:?}");
        let err = run("yes", Launch::Shell, soon(5), &env())
            .await
            .unwrap_err();
        assert!(err.message.contains("more than"), "{err:?}");
        let err = run(
            r#"echo '{"Version":1,"AccessKeyId":"A","SecretAccessKey":"s"}'"#,
            Launch::Shell,
            soon(5),
            &env(),
        )
        .await;
        assert!(err.is_ok(), "no Expiration is allowed: {err:?}");
    }

    #[tokio::test]
    async fn a_hanging_helper_is_stopped_at_the_deadline() {
        let started = std::time::Instant::now();
        let err = run(
            "sleep 30",
            Launch::Shell,
            Instant::now() + Duration::from_millis(300),
            &env(),
        )
        .await
        .unwrap_err();
        assert!(
            err.timed_out && err.message.contains("did not finish"),
            "{err:?}"
        );
        assert!(started.elapsed() < Duration::from_secs(5));
    }
}

#[cfg(test)]
mod debug_tests {
    use super::*;

    #[test]
    fn debug_output_never_shows_the_secret_or_the_token() {
        let out = br#"{"Version":1,"AccessKeyId":"ASIAEXAMPLEKEYIDWXYZ","SecretAccessKey":"sentinel-secret","SessionToken":"sentinel-token","Expiration":"2026-11-23T14:02:00Z"}"#;
        let creds = parse_output(out, crate::env::LocalZone::System).unwrap();
        let debug = format!("{creds:?}");
        assert!(!debug.contains("sentinel"), "{debug}");
        assert!(!debug.contains("ASIAEXAMPLEKEYIDWXYZ"), "{debug}");
        let secret: Output = serde_json::from_slice(out).unwrap();
        assert!(!format!("{:?}", secret.secret_access_key).contains("sentinel"));
    }
}
