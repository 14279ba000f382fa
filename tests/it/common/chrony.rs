//! Debian's chronyd (unpacked by scripts/setup-test-deps, never installed as a service) serving
//! NTP on a free loopback port, optionally under libfaketime so that it serves a skewed clock.

use super::moto::{free_port, required, spawn_tied_to_process};
use std::net::UdpSocket;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct Chronyd {
    pub server: String,
    child: Child,
    _dir: tempfile::TempDir,
}

impl Drop for Chronyd {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Chronyd {
    /// `faketime`: libfaketime's `FAKETIME` (`+600s`, `-45s`) or none for the true clock.
    pub fn start(faketime: Option<&str>) -> Chronyd {
        let bin = required("EXPIRY_DOCTOR_CHRONYD");
        let dir = tempfile::tempdir().unwrap();
        let port = free_port_udp();
        let root = unsafe { libc::geteuid() } == 0;
        let user = if root {
            "root".to_string()
        } else {
            std::env::var("USER").unwrap_or_else(|_| "nobody".into())
        };
        let conf = dir.path().join("chrony.conf");
        std::fs::write(
            &conf,
            format!(
                "port {port}\nbindaddress 127.0.0.1\nallow 127.0.0.1\nlocal stratum 8\n\
                 cmdport 0\nbindcmdaddress /\nuser {user}\n\
                 driftfile {d}/drift\npidfile {d}/chronyd.pid\n",
                d = dir.path().display()
            ),
        )
        .unwrap();
        let mut cmd = Command::new(&bin);
        cmd.arg("-f").arg(&conf).args(["-d", "-x"]);
        if !root {
            cmd.arg("-U");
        }
        cmd.stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        let extra_libs = std::env::var("EXPIRY_DOCTOR_DEPS_LD_LIBRARY_PATH").unwrap_or_default();
        if !extra_libs.is_empty() {
            cmd.env("LD_LIBRARY_PATH", extra_libs);
        }
        if let Some(ft) = faketime {
            cmd.env("LD_PRELOAD", required("EXPIRY_DOCTOR_LIBFAKETIME"))
                .env("FAKETIME", ft);
            for word in std::env::var("EXPIRY_DOCTOR_FAKETIME_EXTRA")
                .unwrap_or_default()
                .split_whitespace()
            {
                if let Some((k, v)) = word.split_once('=') {
                    cmd.env(k, v);
                }
            }
        }
        let child =
            spawn_tied_to_process(cmd).unwrap_or_else(|e| panic!("cannot start {bin}: {e}"));
        let server = format!("127.0.0.1:{port}");
        let started = Instant::now();
        while !answers(&server) {
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "chronyd did not answer on {server}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        Chronyd {
            server,
            child,
            _dir: dir,
        }
    }
}

/// A free UDP port on loopback.
pub fn free_port_udp() -> u16 {
    loop {
        let port = free_port();
        if UdpSocket::bind(("127.0.0.1", port)).is_ok() {
            return port;
        }
    }
}

/// Does an SNTP request get any reply?
fn answers(server: &str) -> bool {
    let sock = UdpSocket::bind("127.0.0.1:0").unwrap();
    sock.set_read_timeout(Some(Duration::from_millis(200)))
        .unwrap();
    let mut req = [0u8; 48];
    req[0] = 0x23; // LI 0, VN 4, mode 3 (client)
    if sock.send_to(&req, server).is_err() {
        return false;
    }
    let mut buf = [0u8; 128];
    sock.recv_from(&mut buf).is_ok()
}

/// A UDP socket that receives everything and never answers.
pub fn silent_udp() -> (UdpSocket, String) {
    let sock = UdpSocket::bind("127.0.0.1:0").unwrap();
    let addr = sock.local_addr().unwrap().to_string();
    (sock, addr)
}
