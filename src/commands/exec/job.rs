//! Starting the job as a shell would (127 when it is not found, 126 when it cannot be
//! executed), passing signals on to it, and turning how it ended into our exit code.

use std::ffi::OsString;
use std::process::{Child, ChildStderr, Command, ExitStatus, Stdio};
use std::sync::Mutex;

/// Where a signal goes.
enum Job {
    /// No job (the gate, or after it ended): a signal ends the run.
    None,
    /// Being started: signals are held, and passed on once it has a pid.
    Starting(Vec<i32>),
    Running(i32),
}

static JOB: Mutex<Job> = Mutex::new(Job::None);

fn job() -> std::sync::MutexGuard<'static, Job> {
    JOB.lock().unwrap_or_else(|p| p.into_inner())
}

pub struct Started {
    pub child: Child,
    /// The job's stderr, for the tee; stdin and stdout are the job's own (inherited).
    pub stderr: ChildStderr,
}

/// Why the job never ran, with the exit code a shell would give.
#[derive(Debug)]
pub struct NotStarted {
    pub code: u8,
    pub message: String,
}

/// Runs `argv` directly (no shell), inheriting stdin, stdout, the environment and the working
/// directory; stderr is a pipe so that it can be read while it is passed through.
pub fn start(argv: &[OsString]) -> Result<Started, NotStarted> {
    let (program, args) = argv.split_first().ok_or_else(|| NotStarted {
        code: 2,
        message: "no job to run: give it after --, e.g. expiry-doctor exec -- ./export.sh".into(),
    })?;
    let shown = program.to_string_lossy();
    // From here a signal is the job's, even before spawn returns: the job may already be
    // running (and have said it is ready) by then.
    *job() = Job::Starting(Vec::new());
    let spawned = Command::new(program)
        .args(args)
        .stdin(Stdio::inherit())
        .stdout(Stdio::inherit())
        .stderr(Stdio::piped())
        .spawn();
    let mut state = job();
    let held = match std::mem::replace(&mut *state, Job::None) {
        Job::Starting(held) => held,
        _ => Vec::new(),
    };
    let mut child = match spawned {
        Ok(child) => child,
        Err(e) => {
            drop(state);
            if let Some(sig) = held.first() {
                end_run(*sig);
            }
            return Err(not_started(&shown, &e));
        }
    };
    let pid = child.id() as i32;
    *state = Job::Running(pid);
    for sig in held {
        send(pid, sig);
    }
    drop(state);
    let stderr = child.stderr.take().expect("stderr was asked to be piped");
    Ok(Started { child, stderr })
}

fn send(pid: i32, sig: i32) {
    #[cfg(unix)]
    // SAFETY: kill(2) with a pid we started and have not reaped yet (the state is `Running`
    // until `ended`, which is called after the wait).
    unsafe {
        libc::kill(pid, sig);
    }
}

/// A signal with no job to pass it to: end as `check` does.
fn end_run(sig: i32) -> ! {
    crate::gather::credential_process::stop_all();
    std::process::exit(128 + sig);
}

fn not_started(program: &str, e: &std::io::Error) -> NotStarted {
    use std::io::ErrorKind;
    let searched = if program.contains('/') {
        ""
    } else {
        " (searched PATH)"
    };
    match e.kind() {
        ErrorKind::NotFound => NotStarted {
            code: 127,
            message: format!("{program}: command not found{searched}"),
        },
        ErrorKind::PermissionDenied => NotStarted {
            code: 126,
            message: format!("{program}: permission denied (not executable?)"),
        },
        _ => NotStarted {
            code: 126,
            message: format!("{program}: cannot be executed: {e}"),
        },
    }
}

/// The job has ended: signals are ours again.
pub fn ended() {
    *job() = Job::None;
}

/// Shells' convention: the exit code, or 128 + the signal that killed the job.
pub fn exit_code(status: ExitStatus) -> u8 {
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(sig) = status.signal() {
            return (128 + sig).clamp(0, 255) as u8;
        }
    }
    status.code().map_or(1, |c| c.clamp(0, 255) as u8)
}

/// SIGINT, SIGTERM and SIGHUP: while the job runs, passed on to it (we then wait for it like
/// any other ending, so the exit code stays the job's); before and after, they end the run as
/// in `check` (128 + N), stopping a credential_process still running.
///
/// A signal the kernel generated (Ctrl-C or a hangup at the terminal) already reached the job,
/// which shares our process group, so only signals sent by a process (`kill`, a CI runner
/// cancelling the step) are passed on: the job never sees one Ctrl-C twice.
pub fn handle_signals() {
    #[cfg(unix)]
    {
        use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
        use signal_hook::iterator::SignalsInfo;
        use signal_hook::iterator::exfiltrator::WithOrigin;
        use signal_hook::low_level::siginfo::Cause;
        let Ok(mut signals) = SignalsInfo::<WithOrigin>::new([SIGINT, SIGTERM, SIGHUP]) else {
            return;
        };
        std::thread::spawn(move || {
            for origin in signals.forever() {
                let from_terminal = matches!(origin.cause, Cause::Kernel);
                let mut state = job();
                match &mut *state {
                    Job::Running(pid) if !from_terminal => send(*pid, origin.signal),
                    Job::Starting(held) if !from_terminal => held.push(origin.signal),
                    Job::Running(_) | Job::Starting(_) => {}
                    Job::None => end_run(origin.signal),
                }
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn not_found_is_127_and_not_executable_is_126() {
        let e = start(&["/nonexistent/expiry-doctor-job".into()])
            .err()
            .unwrap();
        assert_eq!(e.code, 127);
        assert!(e.message.contains("command not found"), "{}", e.message);
        let e = start(&["expiry-doctor-no-such-command-anywhere".into()])
            .err()
            .unwrap();
        assert_eq!(e.code, 127);
        assert!(e.message.contains("searched PATH"), "{}", e.message);
        let dir = std::env::temp_dir();
        let e = start(&[dir.into_os_string()]).err().unwrap();
        assert_eq!(e.code, 126, "{}", e.message);
    }
}
