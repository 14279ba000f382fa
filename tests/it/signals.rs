//! SIGINT and SIGTERM while probes run: the process ends within 200 ms with 130 or 143, and
//! stdout holds a complete report or nothing, never half a JSON document.
//!
//! The signal is sent once the run is provably busy (its STS request reached the stub, or its
//! credential_process wrote its pid), never after a guessed pause; the only time asserted is the
//! documented bound, from the kill(2) to the exit.

use crate::common::*;
use std::io::Read;
use std::process::Stdio;
use std::time::{Duration, Instant};

/// docs/reliability.md: a signal during the probes ends the run within 200 ms.
const PROMISED: Duration = Duration::from_millis(200);

fn interrupt(signal: i32, want: i32) {
    // A blackholed STS keeps the run busy for its whole --timeout.
    let (hole, arrived) = stubs::blackhole_watched();
    let h = exported(Some(600)).endpoint(&hole.url);
    let mut cmd = h.std_cmd();
    let mut child = cmd
        .args(["check", "--output", "json", "--no-ntp", "--timeout", "20s"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Ready: the STS request has reached the blackhole, so the run is waiting in its probe. (It
    // gives up by itself at its --timeout, which would end this wait too.)
    arrived
        .recv_timeout(Duration::from_secs(20))
        .expect("the run never sent its STS request");
    let sent = Instant::now();
    // SAFETY: kill(2) on our own child.
    unsafe {
        libc::kill(child.id() as i32, signal);
    }
    // Without the signal the run would go on until its --timeout (20 s), so the wait is bounded.
    let status = child.wait().unwrap();
    let took = sent.elapsed();
    assert!(took < PROMISED, "took {took:?} to stop");
    assert_eq!(status.code(), Some(want));
    let mut out = String::new();
    child
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut out)
        .unwrap();
    assert!(
        out.is_empty() || serde_json::from_str::<serde_json::Value>(&out).is_ok(),
        "a truncated report: {out}"
    );
}

#[test]
fn sigterm_ends_the_run_with_143() {
    interrupt(libc::SIGTERM, 143);
}

#[test]
fn sigint_ends_the_run_with_130() {
    interrupt(libc::SIGINT, 130);
}

/// A process's start time (clock ticks since boot, /proc/PID/stat field 22) and whether it is
/// still running (not a zombie); None once it is gone. The start time tells a recycled pid apart.
fn proc_state(pid: i32) -> Option<(u64, bool)> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // After the command name's closing parenthesis: state, then fields 4..; field 22 is the
    // 20th of them.
    let rest = stat.rsplit_once(") ")?.1;
    let fields: Vec<&str> = rest.split(' ').collect();
    let started: u64 = fields.get(19)?.parse().ok()?;
    Some((started, fields[0] != "Z"))
}

#[test]
fn a_signal_also_stops_a_hanging_credential_process() {
    let h = Home::new().var("AWS_PROFILE", "proc");
    let out = tempfile::tempdir().unwrap();
    let marker = out.path().join("helper.pid");
    // The pid goes to a temporary name first, so the marker appears with its whole content.
    let script = h.write(
        "bin/helper.sh",
        format!(
            "#!/bin/sh\necho $$ > {m}.tmp\nmv {m}.tmp {m}\nexec sleep 60\n",
            m = marker.display()
        ),
    );
    h.write(
        ".aws/config",
        format!(
            "[profile proc]\ncredential_process = sh {}\n",
            script.display()
        ),
    );
    let mut cmd = h.std_cmd();
    let mut child = cmd
        .args(["check", "--offline", "--timeout", "30s"])
        .spawn()
        .unwrap();
    // Ready: the helper is running (it wrote its pid). If it never does, the run ends at its
    // --timeout and so does this wait.
    while !marker.exists() {
        assert!(
            child.try_wait().unwrap().is_none(),
            "the run ended before its credential_process started"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    let helper: i32 = std::fs::read_to_string(&marker)
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    let (born, running) = proc_state(helper).expect("the helper is gone already");
    assert!(running);
    // SAFETY: kill(2) on our own child.
    unsafe {
        libc::kill(child.id() as i32, libc::SIGTERM);
    }
    assert_eq!(child.wait().unwrap().code(), Some(143));
    // The run killed the helper's process group (SIGKILL) before it exited; the kernel ends
    // the helper as soon as it is scheduled. Left alone, the helper would sleep for 60 s, so
    // waiting for it to go is bounded by that.
    let still_running = || proc_state(helper).is_some_and(|(b, running)| b == born && running);
    let since = Instant::now();
    while still_running() && since.elapsed() < Duration::from_secs(30) {
        std::thread::sleep(Duration::from_millis(10));
    }
    assert!(
        !still_running(),
        "the credential_process helper outlived the run"
    );
}
