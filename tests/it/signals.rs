//! SIGINT and SIGTERM while probes run: the process ends within 200 ms with 130 or 143, and
//! stdout holds a complete report or nothing, never half a JSON document.

use crate::common::*;
use std::io::Read;
use std::process::Stdio;
use std::time::{Duration, Instant};

fn interrupt(signal: i32, want: i32) {
    // A blackholed STS keeps the run busy for its whole --timeout.
    let hole = stubs::blackhole();
    let h = exported(Some(600)).endpoint(&hole.url);
    let mut cmd = h.std_cmd();
    let mut child = cmd
        .args(["check", "--output", "json", "--no-ntp", "--timeout", "20s"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(400));
    let sent = Instant::now();
    // SAFETY: kill(2) on our own child.
    unsafe {
        libc::kill(child.id() as i32, signal);
    }
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        assert!(
            sent.elapsed() < Duration::from_secs(5),
            "still running after the signal"
        );
        std::thread::sleep(Duration::from_millis(5));
    };
    let took = sent.elapsed();
    assert!(took < Duration::from_millis(200), "took {took:?} to stop");
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

#[test]
fn a_signal_also_stops_a_hanging_credential_process() {
    let h = Home::new().var("AWS_PROFILE", "proc");
    let marker = h.path().join("helper.pid");
    let script = h.write(
        "bin/helper.sh",
        format!("#!/bin/sh\necho $$ > {}\nexec sleep 60\n", marker.display()),
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
    let started = Instant::now();
    while !marker.exists() {
        assert!(started.elapsed() < Duration::from_secs(5));
        std::thread::sleep(Duration::from_millis(10));
    }
    std::thread::sleep(Duration::from_millis(100));
    let helper: i32 = std::fs::read_to_string(&marker)
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    std::fs::remove_file(&marker).unwrap();
    h.settle();
    // SAFETY: kill(2) on our own child.
    unsafe {
        libc::kill(child.id() as i32, libc::SIGTERM);
    }
    assert_eq!(child.wait().unwrap().code(), Some(143));
    std::thread::sleep(Duration::from_millis(100));
    // Gone, or a zombie waiting for init to reap it: either way no longer running.
    let state = std::fs::read_to_string(format!("/proc/{helper}/stat")).unwrap_or_default();
    let running = state
        .rsplit(") ")
        .next()
        .is_some_and(|rest| !rest.starts_with('Z') && !rest.is_empty());
    assert!(
        !running,
        "the credential_process helper outlived the run: {state}"
    );
}
