//! Reading with a deadline. The log is opened and read on a thread of its own, which passes
//! what it reads over a bounded channel (a few chunks: memory stays flat); the reader takes
//! the chunks until the deadline. Whatever the input does, the caller has its answer by then:
//! a FIFO that no program opens for writing blocks `open(2)`, a silent pipe blocks `read(2)`,
//! `/dev/zero` never ends. A thread left blocked ends with the process.
//!
//! (A thread rather than `poll(2)` with `O_NONBLOCK`: one way for files, pipes, FIFOs, devices
//! and stdin alike, on every platform, and for the blocking `open(2)` of a FIFO too.)

use std::io::{self, BufRead, Read};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, SyncSender};
use std::time::{Duration, Instant};

/// Bytes per read.
const CHUNK: usize = 256 * 1024;
/// Chunks read ahead of the reader.
const AHEAD: usize = 4;

/// When reading must end: `timeout` after the start.
#[derive(Clone, Copy, Debug)]
pub struct Deadline {
    pub at: Instant,
    pub timeout: Duration,
}

impl Deadline {
    pub fn after(timeout: Duration) -> Deadline {
        Deadline {
            at: Instant::now() + timeout,
            timeout,
        }
    }

    fn remaining(&self) -> Duration {
        self.at.saturating_duration_since(Instant::now())
    }
}

enum Message {
    Opened,
    Chunk(Vec<u8>, usize),
    Failed(io::Error),
}

/// The reading end: `BufRead` over the chunks the thread sends. Past the deadline it errs
/// with `io::ErrorKind::TimedOut`.
pub struct TimedReader {
    chunks: Receiver<Message>,
    /// Read buffers handed back to the thread for its next reads.
    spare: SyncSender<Vec<u8>>,
    buf: Vec<u8>,
    len: usize,
    pos: usize,
    ended: bool,
    deadline: Deadline,
}

/// Runs `open` on a thread of its own, then reads what it opened there. Errs with
/// `io::ErrorKind::TimedOut` when `open` has not returned by the deadline, or with `open`'s
/// own error.
pub fn open<R: Read>(
    open: impl FnOnce() -> io::Result<R> + Send + 'static,
    deadline: Deadline,
) -> io::Result<TimedReader> {
    let (tx, chunks) = mpsc::sync_channel(AHEAD);
    let (spare, spares) = mpsc::sync_channel(AHEAD + 2);
    std::thread::Builder::new()
        .name("triage-read".into())
        .spawn(move || pump(open, tx, spares))?;
    match chunks.recv_timeout(deadline.remaining()) {
        Ok(Message::Opened) => Ok(TimedReader {
            chunks,
            spare,
            buf: Vec::new(),
            len: 0,
            pos: 0,
            ended: false,
            deadline,
        }),
        Ok(Message::Failed(e)) => Err(e),
        Ok(Message::Chunk(..)) | Err(RecvTimeoutError::Disconnected) => {
            Err(io::Error::other("the reading thread ended before opening"))
        }
        Err(RecvTimeoutError::Timeout) => Err(timed_out()),
    }
}

fn timed_out() -> io::Error {
    io::Error::new(io::ErrorKind::TimedOut, "the deadline passed")
}

/// The thread: opens, says so, then reads and sends until the end, an error, or the reader
/// is gone.
fn pump<R: Read>(
    open: impl FnOnce() -> io::Result<R>,
    tx: SyncSender<Message>,
    spares: Receiver<Vec<u8>>,
) {
    let mut input = match open() {
        Ok(r) => r,
        Err(e) => {
            let _ = tx.send(Message::Failed(e));
            return;
        }
    };
    if tx.send(Message::Opened).is_err() {
        return;
    }
    let mut buf = Vec::new();
    loop {
        if buf.is_empty() {
            buf = spares.try_recv().unwrap_or_else(|_| vec![0; CHUNK]);
        }
        let message = match input.read(&mut buf) {
            Ok(0) => return,
            Ok(n) => Message::Chunk(std::mem::take(&mut buf), n),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => Message::Failed(e),
        };
        let last = matches!(message, Message::Failed(_));
        if tx.send(message).is_err() || last {
            return;
        }
    }
}

impl TimedReader {
    /// Waits for the next chunk until the deadline.
    fn next_chunk(&mut self) -> io::Result<()> {
        if !self.buf.is_empty() {
            let _ = self.spare.try_send(std::mem::take(&mut self.buf));
        }
        (self.len, self.pos) = (0, 0);
        if Instant::now() >= self.deadline.at {
            return Err(timed_out());
        }
        match self.chunks.recv_timeout(self.deadline.remaining()) {
            Ok(Message::Chunk(buf, len)) => (self.buf, self.len) = (buf, len),
            Ok(Message::Opened) => {}
            Ok(Message::Failed(e)) => {
                self.ended = true;
                return Err(e);
            }
            Err(RecvTimeoutError::Disconnected) => self.ended = true,
            Err(RecvTimeoutError::Timeout) => return Err(timed_out()),
        }
        Ok(())
    }
}

impl BufRead for TimedReader {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        while self.pos >= self.len && !self.ended {
            self.next_chunk()?;
        }
        Ok(&self.buf[self.pos..self.len])
    }

    fn consume(&mut self, n: usize) {
        self.pos = (self.pos + n).min(self.len);
    }
}

impl Read for TimedReader {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let buf = self.fill_buf()?;
        let n = buf.len().min(out.len());
        out[..n].copy_from_slice(&buf[..n]);
        self.consume(n);
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A reader that gives `data` then blocks for good (a pipe whose writer went quiet).
    struct ThenSilent(io::Cursor<Vec<u8>>);
    impl Read for ThenSilent {
        fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
            match self.0.read(out)? {
                0 => loop {
                    std::thread::park();
                },
                n => Ok(n),
            }
        }
    }

    #[test]
    fn a_silent_input_ends_at_the_deadline_after_what_it_gave() {
        let deadline = Deadline::after(Duration::from_millis(200));
        let mut r = open(
            || Ok(ThenSilent(io::Cursor::new(b"abc".to_vec()))),
            deadline,
        )
        .unwrap();
        let mut out = Vec::new();
        let err = r.read_to_end(&mut out).unwrap_err();
        assert_eq!(
            (out.as_slice(), err.kind()),
            (&b"abc"[..], io::ErrorKind::TimedOut)
        );
        assert!(Instant::now() >= deadline.at);
    }

    #[test]
    fn an_open_that_never_returns_ends_at_the_deadline() {
        let deadline = Deadline::after(Duration::from_millis(100));
        let opened = open(
            || -> io::Result<io::Empty> {
                loop {
                    std::thread::park();
                }
            },
            deadline,
        );
        assert_eq!(
            opened.err().map(|e| e.kind()),
            Some(io::ErrorKind::TimedOut)
        );
    }

    #[test]
    fn a_whole_input_is_read_and_errors_are_passed_on() {
        let data: Vec<u8> = (0..3 * CHUNK + 5).map(|i| i as u8).collect();
        let deadline = Deadline::after(Duration::from_secs(60));
        let mut r = open(move || Ok(io::Cursor::new(data)), deadline).unwrap();
        let mut out = Vec::new();
        r.read_to_end(&mut out).unwrap();
        assert_eq!(out.len(), 3 * CHUNK + 5);
        assert!(out.iter().enumerate().all(|(i, b)| *b == i as u8));
        let failed = open(
            || -> io::Result<io::Empty> { Err(io::Error::other("nope")) },
            deadline,
        );
        assert_eq!(failed.err().map(|e| e.to_string()), Some("nope".into()));
    }
}
