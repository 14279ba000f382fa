//! The clock-skew probe against a real chronyd on loopback: true time, ten minutes ahead and
//! 45 seconds behind under libfaketime, and servers that refuse or never answer. STS (for the
//! AWS clock) is moto's server.

use crate::common::chrony::{Chronyd, free_port_udp, silent_udp};
use crate::common::moto::{Moto, MotoOptions};
use crate::common::*;
use std::time::{Duration, Instant};

fn with_sts(moto: &Moto) -> Home {
    let (k, s) = moto.user(&format!("clock-{}", rand_suffix()), &[]);
    Home::new()
        .endpoint(&moto.url)
        .var("AWS_ACCESS_KEY_ID", k)
        .var("AWS_SECRET_ACCESS_KEY", s)
}

fn rand_suffix() -> String {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static N: AtomicUsize = AtomicUsize::new(0);
    format!(
        "{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    )
}

#[test]
#[ignore = "needs scripts/test"]
fn a_true_clock_passes() {
    let chronyd = Chronyd::start(None);
    let h = with_sts(Moto::shared());
    let (r, code) = h.live_json(&["--ntp-server", &chronyd.server]);
    assert_eq!(code, 0, "{r}");
    let offset = r["clock"]["ntp_offset_seconds"].as_f64().unwrap();
    assert!(offset.abs() < 1.0, "ntp_offset_seconds = {offset}");
    assert_eq!(r["clock"]["ntp_server"], chronyd.server);
    assert_eq!(status(&r, "clock-skew"), "pass");
    assert!(r["clock"]["ntp_delay_seconds"].as_f64().unwrap() < 1.0);
    assert_eq!(
        r["clock"]["ntp_stratum"], 8,
        "chronyd serves its `local stratum`"
    );
}

#[test]
#[ignore = "needs scripts/test"]
fn a_server_ten_minutes_ahead_fails() {
    let chronyd = Chronyd::start(Some("+600s"));
    let h = with_sts(Moto::shared());
    let (r, code) = h.live_json(&["--ntp-server", &chronyd.server, "--expected-runtime", "1h"]);
    let offset = r["clock"]["ntp_offset_seconds"].as_f64().unwrap();
    assert!(
        (offset - 600.0).abs() < 5.0,
        "ntp_offset_seconds = {offset}"
    );
    assert_eq!(status(&r, "clock-skew"), "fail");
    assert_eq!(code, 1);
    let s = summary(&r, "clock-skew");
    assert!(s.starts_with("local clock is 10m behind NTP"), "{s}");
    assert!(fix_ids(&r).contains(&"sync-clock".to_string()));
}

#[test]
#[ignore = "needs scripts/test"]
fn a_server_45_seconds_behind_warns() {
    let chronyd = Chronyd::start(Some("-45s"));
    let h = with_sts(Moto::shared());
    let (r, code) = h.live_json(&["--ntp-server", &chronyd.server]);
    let offset = r["clock"]["ntp_offset_seconds"].as_f64().unwrap();
    assert!((offset + 45.0).abs() < 5.0, "ntp_offset_seconds = {offset}");
    assert_eq!((status(&r, "clock-skew"), code), ("warn", 0), "{r}");
    assert!(summary(&r, "clock-skew").contains("ahead of NTP"));
    // The threshold is the user's.
    let (r, _) = h.live_json(&["--ntp-server", &chronyd.server, "--max-clock-skew", "1m"]);
    assert_eq!(status(&r, "clock-skew"), "pass", "{r}");
}

#[test]
#[ignore = "needs scripts/test"]
fn aws_and_ntp_both_ten_minutes_ahead() {
    let chronyd = Chronyd::start(Some("+600s"));
    let moto = Moto::start(MotoOptions {
        faketime: Some("+600s"),
        ..Default::default()
    });
    let h = with_sts(&moto);
    let (r, code) = h.live_json(&["--ntp-server", &chronyd.server]);
    assert_eq!(code, 1);
    let aws = r["clock"]["aws_offset_seconds"].as_f64().unwrap();
    let ntp = r["clock"]["ntp_offset_seconds"].as_f64().unwrap();
    assert!(
        (aws - 600.0).abs() < 3.0 && (ntp - 600.0).abs() < 5.0,
        "{aws} {ntp}"
    );
}

#[test]
#[ignore = "needs scripts/test"]
fn a_port_where_nothing_listens_is_an_error_within_the_timeout() {
    let port = free_port_udp();
    let h = with_sts(Moto::shared());
    let started = Instant::now();
    let (r, code) = h.live_json(&[
        "--ntp-server",
        &format!("127.0.0.1:{port}"),
        "--timeout",
        "3s",
    ]);
    assert!(started.elapsed() < Duration::from_millis(3500));
    assert_eq!(status(&r, "clock-skew"), "error", "{r}");
    assert_eq!(
        code, 0,
        "an NTP failure never decides the verdict by itself"
    );
    let s = summary(&r, "clock-skew");
    assert!(s.contains("refused") && s.contains("AWS"), "{s}");
}

#[test]
#[ignore = "needs scripts/test"]
fn a_server_that_never_answers_is_an_error_within_the_timeout() {
    let (_held, addr) = silent_udp();
    let h = with_sts(Moto::shared());
    let started = Instant::now();
    let (r, code) = h.live_json(&["--ntp-server", &addr, "--timeout", "3s"]);
    let took = started.elapsed();
    assert!(took < Duration::from_millis(3500), "{took:?}");
    assert_eq!((status(&r, "clock-skew"), code), ("error", 0), "{r}");
    assert!(
        summary(&r, "clock-skew").contains("no answer"),
        "{}",
        summary(&r, "clock-skew")
    );
    assert_ne!(r["verdict"], "pass");
}

#[test]
#[ignore = "needs scripts/test"]
fn no_ntp_skips_the_ntp_reference_only() {
    let h = with_sts(Moto::shared());
    let (r, _) = h.live_json(&["--no-ntp"]);
    assert_eq!(r["clock"]["ntp_server"], serde_json::Value::Null);
    assert_eq!(status(&r, "clock-skew"), "pass");
    assert!(summary(&r, "clock-skew").contains("AWS"));
    assert!(
        !r["probes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["kind"] == "ntp")
    );
}
