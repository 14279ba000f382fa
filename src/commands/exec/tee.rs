//! The job's stderr: passed through to ours byte for byte the moment it arrives (no line
//! buffering, nothing added or changed), and read on the way, line by line, by triage's
//! classifier, each failing line stamped with the moment it arrived.

use crate::env::Clock;
use crate::triage::classify::Classifier;
use crate::triage::lines::{self, MAX_LINE};
use crate::triage::scan::Scan;
use std::io::{Read, Write};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Our stderr, shared by the job's bytes and our own lines. Our lines wait (briefly) for the
/// job's output to reach a line end, so they never land in the middle of one of its lines.
#[derive(Default)]
pub struct SharedStderr {
    /// Whether the job's last byte ended a line (`\n`, or `\r` for progress bars).
    at_line_start: Mutex<bool>,
}

/// How long one of our lines waits for the job to finish the line it is writing.
const LINE_WAIT: Duration = Duration::from_secs(2);

impl SharedStderr {
    pub fn new() -> SharedStderr {
        SharedStderr {
            at_line_start: Mutex::new(true),
        }
    }

    fn job_bytes(&self, bytes: &[u8]) {
        let mut at_start = self.at_line_start.lock().unwrap_or_else(|p| p.into_inner());
        // A closed stderr must not stop the draining: the job would block on a full pipe.
        let _ = std::io::stderr().write_all(bytes);
        if let Some(&last) = bytes.last() {
            *at_start = last == b'\n' || last == b'\r';
        }
    }

    /// Writes one of our own lines (`text` ends with `\n`), through the sanitizer's backstop
    /// (the job's own bytes pass through untouched: they are the job's).
    pub fn line(&self, text: &str) {
        let text = crate::render::sanitize::output(text, false);
        let waited = std::time::Instant::now();
        loop {
            let at_start = self.at_line_start.lock().unwrap_or_else(|p| p.into_inner());
            if *at_start || waited.elapsed() >= LINE_WAIT {
                let _ = std::io::stderr().write_all(text.as_bytes());
                return;
            }
            drop(at_start);
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

/// The reading side: what was seen so far, and whether the pipe reached its end.
pub struct Tee {
    seen: Arc<Mutex<Scan>>,
    done: mpsc::Receiver<()>,
}

/// Starts passing `pipe` through to `out` on a thread of its own (a blocking read is the
/// simplest way not to delay a byte). Failing lines are stamped with `clock`'s time of arrival.
pub fn start(mut pipe: impl Read + Send + 'static, out: Arc<SharedStderr>, clock: Clock) -> Tee {
    let seen = Arc::new(Mutex::new(Scan::default()));
    let (tx, done) = mpsc::channel();
    let shared = seen.clone();
    std::thread::spawn(move || {
        let classifier = Classifier::new();
        let mut buf = vec![0u8; 64 * 1024];
        let mut pending: Vec<u8> = Vec::new();
        // Lines past the cap are looked at in their first MAX_LINE bytes, as triage does.
        let mut truncated = false;
        let mut line_no = 0u64;
        let look = |line: &[u8], line_no: u64| {
            let line = lines::trim_cr(line);
            let line = &line[..line.len().min(MAX_LINE)];
            if let Some(hit) = classifier.classify(line) {
                let now = clock.now();
                let mut s = shared.lock().unwrap_or_else(|p| p.into_inner());
                s.record(line_no, line, hit, Some(now));
                s.last_time = Some(now);
            }
        };
        loop {
            let n = match pipe.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(_) => break,
            };
            out.job_bytes(&buf[..n]);
            let mut rest = &buf[..n];
            while let Some(nl) = memchr::memchr(b'\n', rest) {
                line_no += 1;
                if pending.is_empty() {
                    look(&rest[..nl], line_no);
                } else {
                    lines::keep(&mut pending, &mut truncated, &rest[..nl]);
                    look(&pending, line_no);
                    pending.clear();
                    truncated = false;
                }
                rest = &rest[nl + 1..];
            }
            lines::keep(&mut pending, &mut truncated, rest);
            let mut s = shared.lock().unwrap_or_else(|p| p.into_inner());
            s.bytes += n as u64;
            s.lines = line_no;
        }
        if !pending.is_empty() {
            line_no += 1;
            look(&pending, line_no);
            shared.lock().unwrap_or_else(|p| p.into_inner()).lines = line_no;
        }
        let _ = tx.send(());
    });
    Tee { seen, done }
}

impl Tee {
    /// What was seen, once the pipe ended or `grace` passed: a process the job left running in
    /// the background may hold the pipe open, and must not hold the diagnosis.
    pub fn finish(self, grace: Duration) -> Scan {
        let _ = self.done.recv_timeout(grace);
        std::mem::take(&mut *self.seen.lock().unwrap_or_else(|p| p.into_inner()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::triage::classes::Class;

    #[test]
    fn failing_lines_are_numbered_and_classified_across_reads() {
        // A reader that hands over three bytes at a time splits lines everywhere.
        struct Slow(std::io::Cursor<Vec<u8>>);
        impl Read for Slow {
            fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
                let n = buf.len().min(3);
                self.0.read(&mut buf[..n])
            }
        }
        let log = b"starting\r\nAn error occurred (ExpiredToken) when calling the PutObject operation\nok\nlast: ThrottlingException";
        let tee = start(
            Slow(std::io::Cursor::new(log.to_vec())),
            Arc::new(SharedStderr::new()),
            Clock::manual("2026-11-23T08:00:00Z".parse().unwrap()),
        );
        let seen = tee.finish(Duration::from_secs(5));
        assert_eq!(seen.lines, 4);
        assert_eq!(seen.bytes, log.len() as u64);
        let got: Vec<(u64, Class)> = seen.events.iter().map(|e| (e.line, e.class)).collect();
        assert_eq!(got, vec![(2, Class::Expired), (4, Class::Throttling)]);
        assert!(seen.events[0].timestamp.is_some());
    }
}
