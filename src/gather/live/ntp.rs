//! SNTP: the local clock's offset to an NTP server, with `sntpc` on a tokio UDP socket.
//!
//! sntpc validates each reply the way RFC 5905 asks (origin timestamp, mode, stratum,
//! kiss-o'-death, leap indicator, root distance), so a spoofed, stale or refusing server is
//! rejected with a reason rather than believed. We take the best of up to three samples (the
//! one with the smallest round trip, whose offset is the least disturbed by the network), all
//! within the run's deadline. The socket is connected, so a port where nothing listens is
//! reported at once ("refused") instead of timing out.

use super::sdk::remaining;
use crate::facts::{ErrorClass, NtpProblem, Probe, ProbeError, ProbeFailure, ProbeKind};
use sntpc::{NtpContext, NtpUdpSocket, StdTimestampGen};
use std::net::SocketAddr;
use std::time::Duration;
use tokio::net::UdpSocket;
use tokio::time::Instant;

const SAMPLES: usize = 3;
/// One sample's patience: a silent server should not eat the whole run's deadline.
const SAMPLE_TIMEOUT: Duration = Duration::from_millis(1500);

/// The measured offset: reference minus local, seconds; and the round trip of that sample.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Measurement {
    pub offset_seconds: f64,
    pub delay_seconds: f64,
    pub stratum: u8,
    pub samples: usize,
}

/// A connected tokio socket speaking sntpc's socket trait.
struct Connected(UdpSocket, SocketAddr);

impl NtpUdpSocket for Connected {
    async fn send_to(&self, buf: &[u8], _addr: SocketAddr) -> sntpc::Result<usize> {
        self.0.send(buf).await.map_err(|_| sntpc::Error::Network)
    }

    async fn recv_from(&self, buf: &mut [u8]) -> sntpc::Result<(usize, SocketAddr)> {
        match self.0.recv(buf).await {
            Ok(n) => Ok((n, self.1)),
            Err(_) => Err(sntpc::Error::Network),
        }
    }
}

fn fail(class: ErrorClass, problem: NtpProblem) -> ProbeError {
    ProbeError::new(class, ProbeFailure::Ntp { problem })
}

/// Why sntpc rejected a reply, as data.
fn reason(e: sntpc::Error) -> ProbeError {
    use sntpc::Error as E;
    let problem = match e {
        E::IncorrectOriginTimestamp => NtpProblem::WrongOrigin,
        E::KissOfDeath(code) => NtpProblem::KissOfDeath {
            code: code.as_str().to_string(),
        },
        E::IncorrectStratumHeaders => NtpProblem::InvalidStratum,
        E::UnsynchronizedClock => NtpProblem::Unsynchronised,
        E::IncorrectMode => NtpProblem::NotServerMode,
        E::IncorrectResponseVersion => NtpProblem::UnsupportedVersion,
        E::IncorrectPayload => NtpProblem::MalformedReply,
        E::InvalidTimestamp => NtpProblem::ZeroTimestamp,
        E::ExcessiveRootDistance => NtpProblem::RootDistance,
        E::BackwardReferenceTimestamp => NtpProblem::BackwardReference,
        E::ResponseAddressMismatch => NtpProblem::WrongAddress,
        E::Network => NtpProblem::Refused,
        E::AddressResolve => NtpProblem::Unresolvable,
        _ => NtpProblem::Unexpected,
    };
    let class = match e {
        E::Network | E::AddressResolve => ErrorClass::Network,
        _ => ErrorClass::Other,
    };
    fail(class, problem)
}

/// Queries `server` (`host:port`) until the deadline; one probe record either way.
pub async fn measure(server: &str, deadline: Instant) -> (Result<Measurement, ProbeError>, Probe) {
    let started = Instant::now();
    let result = measure_inner(server, deadline).await;
    let probe = Probe {
        kind: ProbeKind::Ntp,
        target: "SNTP".into(),
        endpoint: Some(server.to_string()),
        elapsed_ms: (Instant::now() - started).as_millis() as u64,
        error: result.as_ref().err().cloned(),
    };
    (result, probe)
}

async fn measure_inner(server: &str, deadline: Instant) -> Result<Measurement, ProbeError> {
    let started = Instant::now();
    let addr = match tokio::time::timeout_at(deadline, tokio::net::lookup_host(server)).await {
        Ok(Ok(mut addrs)) => addrs
            .next()
            .ok_or_else(|| fail(ErrorClass::Network, NtpProblem::Unresolvable))?,
        Ok(Err(e)) => {
            return Err(fail(ErrorClass::Network, NtpProblem::Unresolvable)
                .causes(vec![super::errors::one_line(&e.to_string())]));
        }
        Err(_) => return Err(super::errors::timeout(Instant::now() - started)),
    };
    let bind: SocketAddr = if addr.is_ipv4() {
        "0.0.0.0:0"
    } else {
        "[::]:0"
    }
    .parse()
    .expect("literal");
    let socket = UdpSocket::bind(bind).await.map_err(|e| {
        fail(ErrorClass::Network, NtpProblem::NoSocket)
            .causes(vec![super::errors::one_line(&e.to_string())])
    })?;
    socket.connect(addr).await.map_err(|e| {
        ProbeError::new(
            ErrorClass::Network,
            ProbeFailure::Unreachable {
                endpoint: Some(server.to_string()),
            },
        )
        .causes(vec![super::errors::one_line(&e.to_string())])
    })?;
    let socket = Connected(socket, addr);

    let mut best: Option<sntpc::NtpResult> = None;
    let mut good = 0;
    let mut last_error = None;
    for _ in 0..SAMPLES {
        let budget = remaining(deadline).min(SAMPLE_TIMEOUT);
        if budget <= Duration::from_millis(5) {
            break;
        }
        let context = NtpContext::new(StdTimestampGen::default());
        match tokio::time::timeout(budget, sntpc::get_time(addr, &socket, context)).await {
            Ok(Ok(r)) => {
                good += 1;
                if best.is_none_or(|b| r.roundtrip < b.roundtrip) {
                    best = Some(r);
                }
            }
            Ok(Err(e)) => {
                let refused = e == sntpc::Error::Network;
                last_error = Some(reason(e));
                if refused {
                    break;
                }
            }
            Err(_) => {
                last_error = Some(super::errors::timeout(Instant::now() - started));
            }
        }
    }
    match best {
        Some(r) => Ok(Measurement {
            offset_seconds: r.offset as f64 / 1_000_000.0,
            delay_seconds: r.roundtrip as f64 / 1_000_000.0,
            stratum: r.stratum,
            samples: good,
        }),
        None => Err(last_error.unwrap_or_else(|| super::errors::timeout(Instant::now() - started))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A loopback UDP server answering every request with `reply(request)`.
    async fn fake_server(reply: fn(&[u8]) -> Vec<u8>) -> String {
        let sock = UdpSocket::bind("127.0.0.1:0").await.unwrap();
        let addr = sock.local_addr().unwrap();
        tokio::spawn(async move {
            let mut buf = [0u8; 128];
            while let Ok((n, from)) = sock.recv_from(&mut buf).await {
                let _ = sock.send_to(&reply(&buf[..n]), from).await;
            }
        });
        addr.to_string()
    }

    fn soon() -> Instant {
        Instant::now() + Duration::from_secs(3)
    }

    #[tokio::test]
    async fn a_kiss_of_death_is_rejected_with_its_code() {
        let server = fake_server(|req| {
            let mut r = vec![0u8; 48];
            r[0] = 0x24; // LI 0, VN 4, mode 4
            r[1] = 0; // stratum 0: kiss-o'-death
            r[12..16].copy_from_slice(b"RATE");
            r[24..32].copy_from_slice(&req[40..48]); // origin = our transmit
            r[40..48].copy_from_slice(&req[40..48]);
            r
        })
        .await;
        let (res, probe) = measure(&server, soon()).await;
        let e = res.unwrap_err();
        assert_eq!(
            e.failure,
            Some(ProbeFailure::Ntp {
                problem: NtpProblem::KissOfDeath {
                    code: "RATE".into()
                }
            })
        );
        assert_eq!(probe.error.unwrap().class, ErrorClass::Other);
    }

    #[tokio::test]
    async fn a_reply_with_the_wrong_origin_timestamp_is_rejected() {
        let server = fake_server(|_| {
            let mut r = vec![0u8; 48];
            r[0] = 0x24;
            r[1] = 2;
            r[24..32].copy_from_slice(&[1, 2, 3, 4, 5, 6, 7, 8]);
            r[40..48].copy_from_slice(&[0xec, 0, 0, 0, 0, 0, 0, 0]);
            r
        })
        .await;
        let e = measure(&server, soon()).await.0.unwrap_err();
        assert_eq!(
            e.failure,
            Some(ProbeFailure::Ntp {
                problem: NtpProblem::WrongOrigin
            })
        );
    }

    #[tokio::test]
    async fn a_truncated_reply_is_rejected() {
        let server = fake_server(|_| vec![0x24; 20]).await;
        let e = measure(&server, soon()).await.0.unwrap_err();
        assert_eq!(
            e.failure,
            Some(ProbeFailure::Ntp {
                problem: NtpProblem::MalformedReply
            })
        );
    }
}
