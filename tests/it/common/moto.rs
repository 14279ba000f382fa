//! moto's server (PyPI `moto[server]`, pinned by scripts/setup-test-deps) on a free loopback
//! port: the real third-party AWS emulator the live tests talk to. Seeded through its AWS API
//! with boto3 (tests/support/moto_seed.py).

use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

pub struct Moto {
    pub url: String,
    child: Child,
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The path `scripts/test` exported for a test dependency (moto, chronyd, libfaketime, python).
/// Plain `cargo test` has none of them: every test that gets here must be ignored there.
pub fn required(var: &str) -> String {
    std::env::var(var).unwrap_or_else(|_| {
        panic!(
            "{var} is not set: run the tests through scripts/test, which installs moto, chrony and \
             libfaketime; a test that needs them is #[ignore = \"needs scripts/test\"] so that plain \
             `cargo test` skips it"
        )
    })
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Options for a moto instance of its own.
#[derive(Default)]
pub struct MotoOptions<'a> {
    /// `FAKETIME` for libfaketime (`+600s`): a server whose clock is off.
    pub faketime: Option<&'a str>,
    /// moto's auth mode: enforce IAM after this many unauthenticated (seeding) calls.
    pub auth_after: Option<u32>,
}

impl Moto {
    pub fn start(opts: MotoOptions<'_>) -> Moto {
        let server = required("EXPIRY_DOCTOR_MOTO_SERVER");
        let port = free_port();
        let mut cmd = Command::new(&server);
        cmd.args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        if let Some(ft) = opts.faketime {
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
        if let Some(n) = opts.auth_after {
            cmd.env("INITIAL_NO_AUTH_ACTION_COUNT", n.to_string());
        }
        let child =
            spawn_tied_to_process(cmd).unwrap_or_else(|e| panic!("cannot start {server}: {e}"));
        let started = Instant::now();
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "moto_server did not start on port {port}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        Moto {
            url: format!("http://127.0.0.1:{port}"),
            child,
        }
    }

    /// One moto per test binary, shared by its tests (each seeds names of its own).
    pub fn shared() -> &'static Moto {
        static SHARED: OnceLock<Moto> = OnceLock::new();
        SHARED.get_or_init(|| Moto::start(MotoOptions::default()))
    }

    /// Runs tests/support/moto_seed.py against this server; its stdout, trimmed.
    pub fn seed(&self, args: &[&str]) -> String {
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/support/moto_seed.py");
        let out = Command::new(required("EXPIRY_DOCTOR_PYTHON"))
            .arg(script)
            .arg(&self.url)
            .args(args)
            .env_remove("LD_PRELOAD")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "seeding {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap().trim().to_string()
    }

    pub fn role(&self, name: &str, max_seconds: u32) -> String {
        self.seed(&["role", name, &max_seconds.to_string()])
    }

    /// (access key id, secret)
    pub fn user(&self, name: &str, allow: &[&str]) -> (String, String) {
        let mut args = vec!["user", name];
        args.extend_from_slice(allow);
        let out = self.seed(&args);
        let (k, s) = out.split_once(' ').unwrap();
        (k.to_string(), s.to_string())
    }

    /// AssumeRole session credentials: (key, secret, token, expiration).
    pub fn assume(&self, role_arn: &str, key: &str, secret: &str, seconds: u32) -> [String; 4] {
        let out = self.seed(&["assume", role_arn, key, secret, &seconds.to_string()]);
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        [
            "AccessKeyId",
            "SecretAccessKey",
            "SessionToken",
            "Expiration",
        ]
        .map(|k| v[k].as_str().unwrap().to_string())
    }
}

/// Spawns `cmd` so that it dies with the test process, whatever way that ends.
///
/// PR_SET_PDEATHSIG fires when the spawning *thread* exits, and each test runs on a thread of
/// its own; so every server is spawned from one thread that lives as long as the process.
pub fn spawn_tied_to_process(mut cmd: Command) -> std::io::Result<Child> {
    use std::os::unix::process::CommandExt;
    use std::sync::Mutex;
    use std::sync::mpsc::{Sender, channel};
    type Job = (Command, Sender<std::io::Result<Child>>);
    static SPAWNER: OnceLock<Mutex<Sender<Job>>> = OnceLock::new();
    // SAFETY: prctl(PR_SET_PDEATHSIG) is async-signal-safe and touches no memory of ours.
    unsafe {
        cmd.pre_exec(|| {
            libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
            Ok(())
        });
    }
    let spawner = SPAWNER.get_or_init(|| {
        let (tx, rx) = channel::<Job>();
        std::thread::spawn(move || {
            for (mut cmd, reply) in rx {
                let _ = reply.send(cmd.spawn());
            }
        });
        Mutex::new(tx)
    });
    let (reply, result) = channel();
    spawner.lock().unwrap().send((cmd, reply)).unwrap();
    result.recv().unwrap()
}
