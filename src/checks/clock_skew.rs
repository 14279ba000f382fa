//! `clock-skew`: is the local clock close enough to NTP and to AWS's own clock.

use super::{CheckId, Doc, Finding, Options, Status};
use crate::facts::{Facts, ProbeKind};
use crate::fixes;
use crate::human;

/// SigV4 rejects a request signed more than 5 minutes away from AWS's clock.
pub const SIGV4_LIMIT_SECONDS: f64 = 300.0;

pub const DOC: Doc = Doc {
    what: "Measures the local clock's offset to an NTP server (SNTP, best of three samples) and \
           to AWS (the Date header of the STS reply). Offsets are reference minus local: +600 \
           means the local clock is 10 minutes behind. Passes only when every reference it \
           tried answered within --max-clock-skew (30 s by default); warns above it; fails at \
           5 minutes.",
    why: "SigV4 rejects requests more than 5 minutes off AWS's clock (\"Signature expired\", \
          RequestTimeTooSkewed), and SDKs decide when to refresh by the local clock, so a skewed \
          clock makes valid credentials fail or sends expired ones. Laptops resumed from sleep \
          and VMs without time sync drift by minutes.",
    fix: "Synchronise the clock (sync-clock): chronyc makestep, timedatectl set-ntp true, or \
          the Amazon Time Sync Service (169.254.169.123, or fd00:ec2::123) on EC2.",
};

pub fn check(f: &Facts, opts: &Options) -> Finding {
    let id = CheckId::ClockSkew;
    if f.offline {
        return Finding::new(id, Status::Skip, "not measured: --offline");
    }
    let ntp_name = f.clock.ntp_server.clone().unwrap_or_else(|| "NTP".into());
    let offsets: Vec<(String, f64)> = [
        (format!("NTP ({ntp_name})"), f.clock.ntp_offset_seconds),
        ("AWS".to_string(), f.clock.aws_offset_seconds),
    ]
    .into_iter()
    .filter_map(|(n, o)| o.map(|o| (n, o)))
    .collect();
    let ntp_failure = f
        .probe(ProbeKind::Ntp)
        .and_then(|p| p.error.as_ref())
        .map(|e| e.message.clone());

    let Some(&(_, worst)) = offsets
        .iter()
        .max_by(|a, b| a.1.abs().total_cmp(&b.1.abs()))
    else {
        return match ntp_failure {
            Some(why) => Finding::new(id, Status::Error, format!("not measured: {why}"))
                .detail("AWS's clock was not read either (STS did not answer)"),
            None => Finding::new(
                id,
                Status::Skip,
                if f.clock.ntp_server.is_none() {
                    "not measured: --no-ntp, and STS did not answer"
                } else {
                    "not measured"
                },
            ),
        };
    };
    let mut details: Vec<String> = offsets
        .iter()
        .map(|(n, o)| format!("{n}: offset {o:+.3}s"))
        .collect();
    if let Some(d) = f.clock.ntp_delay_seconds {
        details.push(format!(
            "NTP round trip {:.1}ms, stratum {}",
            d * 1000.0,
            f.clock
                .ntp_stratum
                .map(|s| s.to_string())
                .unwrap_or_else(|| "?".into())
        ));
    }
    let level = |o: f64| {
        if o.abs() >= SIGV4_LIMIT_SECONDS {
            Status::Fail
        } else if o.abs() > opts.max_clock_skew.as_seconds_f64() {
            Status::Warn
        } else {
            Status::Pass
        }
    };
    let mut status = level(worst);
    // Described by the most precise reference that reaches the same verdict: NTP measures to
    // the millisecond, AWS's Date header to the second.
    let (said_ref, said) = offsets
        .iter()
        .find(|(_, o)| level(*o) == status)
        .cloned()
        .expect("the worst offset reaches its own level");
    let agreeing: Vec<&str> = offsets
        .iter()
        .filter(|(_, o)| level(*o) == status && (o.signum() == said.signum()))
        .map(|(n, _)| n.as_str())
        .collect();
    let abs = said.abs();
    let direction = if said > 0.0 { "behind" } else { "ahead of" };
    let amount = human::duration(abs.round() as i64);
    let summary = match status {
        Status::Pass => format!(
            "local clock within {} of {}",
            if abs < 1.0 {
                format!("{:.0}ms", abs * 1000.0)
            } else {
                amount.clone()
            },
            offsets
                .iter()
                .map(|(n, _)| n.as_str())
                .collect::<Vec<_>>()
                .join(" and ")
        ),
        _ => format!(
            "local clock is {amount} {direction} {}: the SDK will treat credentials as valid or \
             expired up to {amount} too early or too late",
            if agreeing.len() > 1 {
                agreeing.join(" and ")
            } else {
                said_ref.clone()
            }
        ),
    };
    // A reference that did not answer: never a pass, never a failure by itself.
    if let Some(why) = &ntp_failure {
        details.push(format!("NTP did not answer: {why}"));
        if status == Status::Pass {
            status = Status::Error;
        }
    }
    let summary = if status == Status::Error && ntp_failure.is_some() {
        format!(
            "NTP not measured ({}); {summary}",
            ntp_failure.clone().unwrap_or_default()
        )
    } else {
        summary
    };
    let mut finding = Finding::new(id, status, summary).details(details);
    if status == Status::Fail {
        finding = finding.detail(
            "AWS rejects requests signed more than 5 minutes off its clock (Signature expired)",
        );
    }
    if matches!(status, Status::Fail | Status::Warn) {
        finding = finding.fix(fixes::sync_clock());
    }
    finding
}
