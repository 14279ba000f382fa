//! `clock-skew`: is the local clock close enough to NTP and to AWS's own clock.

use super::{CheckId, Doc, Finding, Options, Status};
use crate::facts::Facts;
use crate::fixes;
use crate::human;

/// SigV4 rejects a request signed more than 5 minutes away from AWS's clock.
pub const SIGV4_LIMIT_SECONDS: f64 = 300.0;

pub const DOC: Doc = Doc {
    what: "Measures the local clock's offset to an NTP server (SNTP) and to AWS (the Date \
           header of the STS reply). Offsets are reference minus local: +600 means the local \
           clock is 10 minutes behind.",
    why: "SigV4 rejects requests more than 5 minutes off AWS's clock (\"Signature expired\", \
          RequestTimeTooSkewed), and SDKs decide when to refresh by the local clock, so a skewed \
          clock makes valid credentials fail or sends expired ones.",
    fix: "Synchronise the clock (sync-clock): chronyc makestep, timedatectl set-ntp true, or \
          the Amazon Time Sync Service (169.254.169.123) on EC2.",
};

pub fn check(f: &Facts, opts: &Options) -> Finding {
    let id = CheckId::ClockSkew;
    if f.offline {
        return Finding::new(id, Status::Skip, "not measured: --offline");
    }
    let offsets: Vec<(&str, f64)> = [
        ("NTP", f.clock.ntp_offset_seconds),
        ("AWS", f.clock.aws_offset_seconds),
    ]
    .into_iter()
    .filter_map(|(n, o)| o.map(|o| (n, o)))
    .collect();
    let Some(&(worst_ref, worst)) = offsets
        .iter()
        .max_by(|a, b| a.1.abs().total_cmp(&b.1.abs()))
    else {
        return Finding::new(
            id,
            Status::Skip,
            "not measured: this build has no clock probe",
        );
    };
    let described: Vec<String> = offsets
        .iter()
        .map(|(n, o)| format!("{n} offset {o:+.3}s"))
        .collect();
    let abs = worst.abs();
    let direction = if worst > 0.0 { "behind" } else { "ahead of" };
    let amount = human::duration(abs.round() as i64);
    let status = if abs >= SIGV4_LIMIT_SECONDS {
        Status::Fail
    } else if abs > opts.max_clock_skew.as_seconds_f64() {
        Status::Warn
    } else {
        Status::Pass
    };
    let summary = match status {
        Status::Pass => format!("local clock within {amount} of {worst_ref}"),
        _ => format!(
            "local clock is {amount} {direction} {worst_ref}: the SDK will treat credentials as \
             valid or expired up to {amount} too early or too late"
        ),
    };
    let mut finding = Finding::new(id, status, summary).detail(described.join(", "));
    if status == Status::Fail {
        finding = finding.detail(
            "AWS rejects requests signed more than 5 minutes off its clock (Signature expired)",
        );
    }
    if status != Status::Pass {
        finding = finding.fix(fixes::sync_clock());
    }
    finding
}
