//! Streaming a log line by line in bounded memory: plain or gzip (detected by its magic
//! bytes, not its name), UTF-8 or UTF-16 (`text`), any bytes (invalid UTF-8 is scanned as
//! bytes), any line end (`\n`, `\r\n`, or a lone `\r`), any line length (a line longer than
//! `MAX_LINE` is looked at in its first `MAX_LINE` bytes; the rest is skipped at memchr speed
//! without being stored). An input that breaks off, or is still going at the deadline, ends
//! the reading where it is: the lines before are handed out, and the summary says why it
//! ended.

use super::text::{self, Encoding};
use flate2::bufread::MultiGzDecoder;
use std::io::{self, BufRead, BufReader};
use std::time::Instant;

/// A credential error is on the first kilobytes of its line; no real log line needs more.
pub const MAX_LINE: usize = 64 * 1024;
const BUFFER: usize = 256 * 1024;
/// The gzip magic bytes (RFC 1952, 2.3.1: ID1 ID2).
const GZIP_MAGIC: &[u8] = &[0x1f, 0x8b];

/// A log ready to read: its text as a reader, and how its bytes were decoded.
pub struct Opened {
    pub reader: Box<dyn BufRead>,
    pub encoding: Encoding,
}

/// Decompresses `input` when it starts with the gzip magic bytes, and decodes it when it is
/// UTF-16 (`text::decode`). Errs only when nothing at all could be read.
pub fn open(input: Box<dyn BufRead>) -> io::Result<Opened> {
    let raw = text::peek(input, text::SNIFF)?;
    let plain: Box<dyn BufRead> = if raw.head().starts_with(GZIP_MAGIC) {
        Box::new(BufReader::with_capacity(BUFFER, MultiGzDecoder::new(raw)))
    } else {
        Box::new(raw)
    };
    let (reader, encoding) = text::decode(plain)?;
    Ok(Opened { reader, encoding })
}

/// How a reading ended.
#[derive(Debug, Default)]
pub enum End {
    /// At the end of the input.
    #[default]
    Complete,
    /// At the deadline, the input still going (or silent).
    Deadline,
    /// At a read error: a gzip cut short, a device failing.
    Broken(io::Error),
}

/// What a reading saw besides its lines.
#[derive(Debug, Default)]
pub struct Summary {
    /// Bytes of text read (after gzip and UTF-16 decoding).
    pub bytes: u64,
    /// Of them, bytes that are no part of text (`not_text`).
    pub not_text: u64,
    pub end: End,
}

/// Calls `f(line, truncated)` for every line, without its line end (`\n`, `\r\n` or a lone
/// `\r`, as Python's universal newlines and most editors split lines). A line longer than
/// `MAX_LINE` is cut there and flagged. A last line without a line end is passed as it is,
/// also when the input breaks off or the `deadline` passes (checked before every chunk, so
/// that neither a silent pipe nor an endless one holds the reading).
pub fn for_each(
    mut input: impl BufRead,
    deadline: Option<Instant>,
    mut f: impl FnMut(&[u8], bool),
) -> Summary {
    let mut lines = Splitter::default();
    let mut summary = Summary::default();
    let passed = || deadline.is_some_and(|d| Instant::now() >= d);
    loop {
        if passed() {
            summary.end = End::Deadline;
            break;
        }
        let chunk = match input.fill_buf() {
            Ok(c) => c,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) if e.kind() == io::ErrorKind::TimedOut && passed() => {
                summary.end = End::Deadline;
                break;
            }
            Err(e) => {
                summary.end = End::Broken(e);
                break;
            }
        };
        if chunk.is_empty() {
            break;
        }
        let len = chunk.len();
        summary.not_text += not_text(chunk);
        lines.split(chunk, &mut f);
        summary.bytes += len as u64;
        input.consume(len);
    }
    lines.finish(&mut f);
    summary
}

/// The line being assembled across chunks.
#[derive(Default)]
struct Splitter {
    /// The start of a line split across chunks, at most `MAX_LINE + 1` bytes.
    pending: Vec<u8>,
    truncated: bool,
    /// The last chunk ended in `\r`: a `\n` starting the next one belongs to it.
    after_cr: bool,
}

impl Splitter {
    fn split(&mut self, chunk: &[u8], f: &mut impl FnMut(&[u8], bool)) {
        let mut start = 0;
        if std::mem::take(&mut self.after_cr) && chunk.first() == Some(&b'\n') {
            start = 1;
        }
        while let Some(i) = memchr::memchr2(b'\n', b'\r', &chunk[start..]) {
            let end = start + i;
            self.line(&chunk[start..end], f);
            start = end + 1;
            if chunk[end] == b'\r' {
                match chunk.get(start) {
                    Some(b'\n') => start += 1,
                    Some(_) => {}
                    None => self.after_cr = true,
                }
            }
        }
        keep(&mut self.pending, &mut self.truncated, &chunk[start..]);
    }

    /// Hands out a line that ends with `last` (the whole line when nothing is pending).
    fn line(&mut self, last: &[u8], f: &mut impl FnMut(&[u8], bool)) {
        if self.pending.is_empty() && !self.truncated {
            emit(last, false, f);
        } else {
            keep(&mut self.pending, &mut self.truncated, last);
            emit(&self.pending, self.truncated, f);
            self.pending.clear();
            self.truncated = false;
        }
    }

    /// The input ended: the last line, when it had no line end.
    fn finish(&mut self, f: &mut impl FnMut(&[u8], bool)) {
        if !self.pending.is_empty() || self.truncated {
            emit(&self.pending, self.truncated, f);
        }
    }
}

fn emit(line: &[u8], truncated: bool, f: &mut impl FnMut(&[u8], bool)) {
    if line.len() > MAX_LINE {
        f(&line[..MAX_LINE], true);
    } else {
        f(line, truncated);
    }
}

/// Bytes of `chunk` that are no part of text: control bytes (`control_bytes`) and bytes that
/// are not UTF-8. (A character split between two chunks counts as not UTF-8: a few bytes per
/// chunk at most.)
pub fn not_text(chunk: &[u8]) -> u64 {
    let invalid: usize = if std::str::from_utf8(chunk).is_ok() {
        0
    } else {
        chunk.utf8_chunks().map(|c| c.invalid().len()).sum()
    };
    control_bytes(chunk) + invalid as u64
}

/// NUL and the other C0 control characters but tab, the line ends, vertical tab, form feed
/// and the ESC of colour codes: 0x00-0x08, 0x0E-0x1A, 0x1C-0x1F. Counted without branches in
/// blocks of 255 bytes (one byte-wide counter each), which the compiler vectorises: seven
/// times faster than a filter, so that counting costs the scan a few percent.
fn control_bytes(chunk: &[u8]) -> u64 {
    let control = |b: u8| (b < 0x09) | (0x0E..=0x1A).contains(&b) | (0x1C..0x20).contains(&b);
    chunk
        .chunks(255)
        .map(|block| u64::from(block.iter().fold(0u8, |n, &b| n + u8::from(control(b)))))
        .sum()
}

/// Holds at most `MAX_LINE + 1` bytes of a line split across reads: one more than the cap, so
/// that a line of more than `MAX_LINE` bytes is known to be one (and so that `exec`'s reader,
/// which splits at `\n` only, can still find a `\r` right at the cap to be the end of a
/// `\r\n`).
pub(crate) fn keep(pending: &mut Vec<u8>, truncated: &mut bool, part: &[u8]) {
    let room = (MAX_LINE + 1).saturating_sub(pending.len());
    if part.len() > room {
        *truncated = true;
    }
    pending.extend_from_slice(&part[..part.len().min(room)]);
}

pub(crate) fn trim_cr(line: &[u8]) -> &[u8] {
    line.strip_suffix(b"\r").unwrap_or(line)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Read, Write};

    fn lines(data: &[u8]) -> Vec<(Vec<u8>, bool)> {
        let mut out = Vec::new();
        let log = open(Box::new(io::Cursor::new(data.to_vec()))).unwrap();
        let summary = for_each(log.reader, None, |l, t| out.push((l.to_vec(), t)));
        assert!(matches!(summary.end, End::Complete));
        out
    }

    fn texts(data: &[u8]) -> Vec<Vec<u8>> {
        lines(data).into_iter().map(|(l, _)| l).collect()
    }

    #[test]
    fn a_lone_cr_ends_a_line_as_crlf_and_lf_do() {
        let want: Vec<Vec<u8>> = vec![b"a".into(), b"b".into(), b"".into(), b"c".into()];
        assert_eq!(texts(b"a\rb\r\rc"), want);
        assert_eq!(texts(b"a\r\nb\r\r\nc\r"), want);
        assert_eq!(texts(b"a\nb\n\nc\n"), want);
        // A `\r\n` split between two reads is one line end.
        let mut got = Vec::new();
        let small = io::BufReader::with_capacity(2, io::Cursor::new(b"a\r\nb\r\nc".to_vec()));
        for_each(small, None, |l, _| got.push(l.to_vec()));
        assert_eq!(got, [&b"a"[..], b"b", b"c"]);
    }

    #[test]
    fn a_read_error_keeps_the_lines_before_it() {
        let input = io::Cursor::new(b"one\ntwo\nthr".to_vec()).chain(Failing);
        let mut got = Vec::new();
        let summary = for_each(io::BufReader::new(input), None, |l, _| got.push(l.to_vec()));
        assert_eq!(got, [&b"one"[..], b"two", b"thr"]);
        assert_eq!(summary.bytes, 11);
        assert!(matches!(summary.end, End::Broken(e) if e.to_string() == "broken"));
    }

    struct Failing;
    impl Read for Failing {
        fn read(&mut self, _: &mut [u8]) -> io::Result<usize> {
            Err(io::Error::other("broken"))
        }
    }

    #[test]
    fn a_passed_deadline_stops_the_reading() {
        let summary = for_each(
            io::BufReader::new(io::repeat(b'x')),
            Some(Instant::now()),
            |_, _| {},
        );
        assert!(matches!(summary.end, End::Deadline));
        assert_eq!(summary.bytes, 0);
    }

    #[test]
    fn control_bytes_are_the_c0_controls_but_whitespace_and_esc() {
        for b in 0..=255u8 {
            let want = b < 0x20 && !matches!(b, b'\t' | b'\n' | 0x0B | 0x0C | b'\r' | 0x1B);
            assert_eq!(
                control_bytes(&[b; 300]),
                if want { 300 } else { 0 },
                "{b:#04x}"
            );
        }
    }

    #[test]
    fn binary_bytes_are_counted_not_text() {
        assert_eq!(
            not_text(b"2026-11-23 \x1b[31mExpiredToken\x1b[0m caf\xc3\xa9\t\r\n"),
            0
        );
        assert_eq!(not_text(&[0; 100]), 100);
        assert_eq!(not_text(b"ab\xff\xfe\x01"), 3);
    }

    #[test]
    fn splits_lines_across_buffer_boundaries() {
        let mut data = Vec::new();
        for i in 0..100_000 {
            writeln!(data, "line {i} {}", "x".repeat(i % 50)).unwrap();
        }
        let got = lines(&data);
        assert_eq!(got.len(), 100_000);
        assert_eq!(
            got[99_999].0,
            format!("line 99999 {}", "x".repeat(99_999 % 50)).into_bytes()
        );
    }

    #[test]
    fn crlf_no_final_newline_and_invalid_utf8() {
        let got = lines(b"a\r\n\xff\xfe\nlast");
        assert_eq!(
            got,
            vec![
                (b"a".to_vec(), false),
                (b"\xff\xfe".to_vec(), false),
                (b"last".to_vec(), false)
            ]
        );
    }

    #[test]
    fn very_long_lines_are_cut_not_stored() {
        let mut data = vec![b'y'; 5 * MAX_LINE];
        data.extend_from_slice(b"\nnext\n");
        let got = lines(&data);
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].0.len(), MAX_LINE);
        assert!(got[0].1);
        assert_eq!(got[1], (b"next".to_vec(), false));
    }

    #[test]
    fn gzip_is_read_transparently() {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(b"one\ntwo\n").unwrap();
        let data = gz.finish().unwrap();
        assert_eq!(
            lines(&data),
            vec![(b"one".to_vec(), false), (b"two".to_vec(), false)]
        );
    }
}
