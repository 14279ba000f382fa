//! `clock-skew`: is the local clock close enough to NTP and to AWS's own clock.

use super::{ClockRef, Doc, Finding, Note, Options, Status};
use crate::aws::limits;
use crate::facts::{Facts, Probe, ProbeKind};
use crate::fixes::Fix;
use serde::Serialize;

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

/// Why `clock-skew` reached its status. Offsets are reference minus local, in seconds.
#[derive(Clone, Debug, PartialEq, Serialize, strum::EnumDiscriminants)]
#[serde(tag = "kind", rename_all = "kebab-case")]
#[strum_discriminants(
    name(ReasonKind),
    derive(strum::EnumIter, strum::IntoStaticStr),
    strum(serialize_all = "kebab-case")
)]
pub enum Reason {
    /// `--offline`.
    NotMeasuredOffline,
    /// NTP did not answer and STS did not either.
    NtpFailedNoAws { probe: Probe },
    /// Nothing measured (`--no-ntp` and no STS answer).
    NotMeasured { no_ntp: bool },
    /// Every reference agrees within --max-clock-skew.
    Within {
        offset_seconds: f64,
        references: Vec<ClockRef>,
    },
    /// The references that answered agree, but NTP did not answer.
    WithinButNtpFailed {
        probe: Probe,
        offset_seconds: f64,
        references: Vec<ClockRef>,
    },
    /// The local clock is off by `offset_seconds` against these references.
    Off {
        offset_seconds: f64,
        references: Vec<ClockRef>,
    },
}

pub fn check(f: &Facts, opts: &Options) -> Finding {
    if f.offline {
        return Finding::new(Status::Skip, Reason::NotMeasuredOffline);
    }
    let ntp = ClockRef::Ntp {
        server: f.clock.ntp_server.clone(),
    };
    let offsets: Vec<(ClockRef, f64)> = [
        (ntp, f.clock.ntp_offset_seconds),
        (ClockRef::Aws, f.clock.aws_offset_seconds),
    ]
    .into_iter()
    .filter_map(|(n, o)| o.map(|o| (n, o)))
    .collect();
    let ntp_failure = f
        .probe(ProbeKind::Ntp)
        .filter(|p| p.error.is_some())
        .cloned();

    let Some(&(_, worst)) = offsets
        .iter()
        .max_by(|a, b| a.1.abs().total_cmp(&b.1.abs()))
    else {
        return match ntp_failure {
            Some(probe) => Finding::new(Status::Error, Reason::NtpFailedNoAws { probe })
                .note(Note::AwsClockNotRead),
            None => Finding::new(
                Status::Skip,
                Reason::NotMeasured {
                    no_ntp: f.clock.ntp_server.is_none(),
                },
            ),
        };
    };
    let mut notes: Vec<Note> = offsets
        .iter()
        .map(|(reference, seconds)| Note::ClockOffset {
            reference: reference.clone(),
            seconds: *seconds,
        })
        .collect();
    if let Some(d) = f.clock.ntp_delay_seconds {
        notes.push(Note::NtpRoundTrip {
            delay_seconds: d,
            stratum: f.clock.ntp_stratum,
        });
    }
    let level = |o: f64| {
        if o.abs() >= limits::SIGV4_SKEW as f64 {
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
        .unwrap_or((ClockRef::Aws, worst));
    let mut reason = match status {
        Status::Pass => Reason::Within {
            offset_seconds: said,
            references: offsets.iter().map(|(r, _)| r.clone()).collect(),
        },
        _ => {
            let agreeing: Vec<ClockRef> = offsets
                .iter()
                .filter(|(_, o)| level(*o) == status && o.signum() == said.signum())
                .map(|(r, _)| r.clone())
                .collect();
            Reason::Off {
                offset_seconds: said,
                references: if agreeing.len() > 1 {
                    agreeing
                } else {
                    vec![said_ref]
                },
            }
        }
    };
    // A reference that did not answer: never a pass, never a failure by itself.
    if let Some(probe) = ntp_failure {
        notes.push(Note::NtpDidNotAnswer {
            probe: probe.clone(),
        });
        if let Reason::Within {
            offset_seconds,
            references,
        } = reason
        {
            status = Status::Error;
            reason = Reason::WithinButNtpFailed {
                probe,
                offset_seconds,
                references,
            };
        }
    }
    let mut finding = Finding::new(status, reason).notes(notes);
    if status == Status::Fail {
        finding = finding.note(Note::SigV4Limit);
    }
    if matches!(status, Status::Fail | Status::Warn) {
        finding = finding.fix(Fix::SyncClock);
    }
    finding
}
