//! Loopback servers that fail in the ways networks fail: refuse, stay silent, reset mid-reply,
//! trickle a byte a second, answer 500/503, send garbage, send a 100 MB body. HTTP (for STS,
//! IAM, the SSO portal, IMDS, the ECS endpoint) and UDP (NTP).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream, UdpSocket};
use std::time::Duration;

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Fault {
    /// Nothing listens.
    Refused,
    /// Accepts, reads, never answers.
    Silent,
    /// Starts a reply, then resets the connection.
    ResetMidResponse,
    /// A valid-looking reply at one byte per second.
    Trickle,
    /// The status on every request (retries included).
    Status(u16),
    /// 200 with a body that is neither the XML nor the JSON expected.
    Malformed,
    /// 200 announcing and streaming 100 MB.
    HugeBody,
}

pub const ALL_HTTP: [Fault; 8] = [
    Fault::Refused,
    Fault::Silent,
    Fault::ResetMidResponse,
    Fault::Trickle,
    Fault::Status(500),
    Fault::Status(503),
    Fault::Malformed,
    Fault::HugeBody,
];

/// A URL whose server fails with `fault`.
pub fn http(fault: Fault) -> String {
    if fault == Fault::Refused {
        let port = super::moto::free_port();
        return format!("http://127.0.0.1:{port}");
    }
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for conn in listener.incoming().flatten() {
            std::thread::spawn(move || serve(conn, fault));
        }
    });
    format!("http://127.0.0.1:{port}")
}

/// Reads one request's head and body; false when the peer is gone.
fn read_request(reader: &mut BufReader<TcpStream>) -> bool {
    let mut len = 0usize;
    let mut first = true;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return false;
        }
        if first {
            first = false;
            continue;
        }
        let l = line.trim_end();
        if l.is_empty() {
            break;
        }
        if let Some((k, v)) = l.split_once(':')
            && k.eq_ignore_ascii_case("content-length")
        {
            len = v.trim().parse().unwrap_or(0);
        }
    }
    let mut body = vec![0; len];
    reader.read_exact(&mut body).is_ok()
}

/// Closes with a TCP reset (SO_LINGER zero), as a crashed server does.
fn reset(conn: TcpStream) {
    use std::os::unix::io::AsRawFd;
    let linger = libc::linger {
        l_onoff: 1,
        l_linger: 0,
    };
    // SAFETY: setsockopt on a socket we own, with a correctly sized `linger`.
    unsafe {
        libc::setsockopt(
            conn.as_raw_fd(),
            libc::SOL_SOCKET,
            libc::SO_LINGER,
            &linger as *const libc::linger as *const libc::c_void,
            std::mem::size_of::<libc::linger>() as libc::socklen_t,
        );
    }
    drop(conn);
}

fn serve(conn: TcpStream, fault: Fault) {
    let mut reader = BufReader::new(conn.try_clone().unwrap());
    let mut conn = conn;
    if fault == Fault::Silent {
        let mut sink = [0u8; 4096];
        while conn.read(&mut sink).unwrap_or(0) > 0 {}
        return;
    }
    while read_request(&mut reader) {
        match fault {
            Fault::ResetMidResponse => {
                let _ = conn.write_all(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 4000\r\n\r\n{\"AccessKeyId\": \"ASIA");
                let _ = conn.flush();
                std::thread::sleep(Duration::from_millis(50));
                reset(conn);
                return;
            }
            Fault::Trickle => {
                let reply = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 40\r\n\r\n{\"AccessKeyId\": \"ASIATRICKLINGXXXWXYZ\"}";
                for b in reply {
                    if conn.write_all(&[*b]).is_err() {
                        return;
                    }
                    std::thread::sleep(Duration::from_secs(1));
                }
                return;
            }
            Fault::Status(code) => {
                let body = format!("{{\"message\": \"synthetic {code}\"}}");
                let head = format!(
                    "HTTP/1.1 {code} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
                    body.len()
                );
                if conn
                    .write_all(head.as_bytes())
                    .and_then(|_| conn.write_all(body.as_bytes()))
                    .is_err()
                {
                    return;
                }
            }
            Fault::Malformed => {
                let body = "<<<this is neither XML nor JSON>>> \u{0}\u{1}{[";
                let head = format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
                    body.len()
                );
                if conn
                    .write_all(head.as_bytes())
                    .and_then(|_| conn.write_all(body.as_bytes()))
                    .is_err()
                {
                    return;
                }
            }
            Fault::HugeBody => {
                let total = 100 * 1024 * 1024;
                let head = format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {total}\r\n\r\n"
                );
                if conn.write_all(head.as_bytes()).is_err() {
                    return;
                }
                let chunk = vec![b'x'; 64 * 1024];
                let mut sent = 0;
                while sent < total {
                    if conn.write_all(&chunk).is_err() {
                        return;
                    }
                    sent += chunk.len();
                }
            }
            Fault::Refused | Fault::Silent => unreachable!(),
        }
    }
}

/// NTP servers that answer wrongly.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum NtpFault {
    /// Stratum 0, kiss code RATE.
    KissOfDeath,
    /// A reply whose origin timestamp is not our transmit timestamp (spoofed or stale).
    WrongOrigin,
    /// Stratum 0 with no kiss code.
    StratumZero,
    /// Twelve bytes.
    Truncated,
}

/// `127.0.0.1:PORT` of a UDP server answering every request with `fault`.
pub fn ntp(fault: NtpFault) -> String {
    let sock = UdpSocket::bind("127.0.0.1:0").unwrap();
    let addr = sock.local_addr().unwrap().to_string();
    std::thread::spawn(move || {
        let mut buf = [0u8; 128];
        while let Ok((n, from)) = sock.recv_from(&mut buf) {
            if n < 48 {
                continue;
            }
            let mut r = vec![0u8; 48];
            r[0] = 0x24; // LI 0, VN 4, mode 4
            r[1] = 2;
            r[24..32].copy_from_slice(&buf[40..48]); // origin = the request's transmit
            r[32..40].copy_from_slice(&buf[40..48]);
            r[40..48].copy_from_slice(&buf[40..48]);
            match fault {
                NtpFault::KissOfDeath => {
                    r[1] = 0;
                    r[12..16].copy_from_slice(b"RATE");
                }
                NtpFault::StratumZero => r[1] = 0,
                NtpFault::WrongOrigin => r[24..32].copy_from_slice(&[9, 9, 9, 9, 9, 9, 9, 9]),
                NtpFault::Truncated => r.truncate(12),
            }
            let _ = sock.send_to(&r, from);
        }
    });
    addr
}
