//! Streaming a log line by line in bounded memory: plain or gzip (detected by its magic
//! bytes, not its name), UTF-8 or UTF-16 (`text`), any bytes (invalid UTF-8 is scanned as
//! bytes), any line end (`\n`, `\r\n`, or a lone `\r`), any line length (a line longer than
//! `MAX_LINE` is looked at in its first `MAX_LINE` bytes; the rest is skipped at memchr speed
//! without being stored). An input that breaks off, or is still going at the deadline, ends
//! the reading where it is: the lines before are handed out, and the summary says why it
//! ended.
//!
//! Two ways to read: `for_each` hands out every line; `for_each_candidate` looks for
//! candidates in each whole buffer first (a prefilter, as ripgrep does) and hands out only the
//! lines that hold one, each stretch of lines between them as one slice of complete lines
//! (`Stretch`), to be counted, not split. Both cut the same lines at the same places.

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
    input: impl BufRead,
    deadline: Option<Instant>,
    mut f: impl FnMut(&[u8], bool),
) -> Summary {
    let mut lines = Splitter::default();
    let summary = for_each_chunk(input, deadline, |chunk| lines.split(chunk, &mut f));
    lines.finish(&mut f);
    summary
}

/// Where a buffer may hold something worth a closer look: a superset of the lines that
/// matter (a line without a candidate is only counted).
pub trait Candidates {
    /// Called with every buffer before `next` is asked about it.
    fn load(&mut self, chunk: &[u8]);
    /// The first candidate at or after `from` in the buffer last loaded (an offset into it).
    fn next(&mut self, from: usize) -> Option<usize>;
}

/// What `for_each_candidate` hands out, in the order of the log.
pub trait Visit {
    /// A line to look at, as `for_each` would pass it: without its line end, cut at
    /// `MAX_LINE` (then `truncated`).
    fn line(&mut self, line: &[u8], truncated: bool);
    /// Complete lines that hold no candidate, line ends included (see `Stretch`).
    fn stretch(&mut self, lines: Stretch<'_>);
}

/// Complete lines, each with its line end (`\n`, `\r\n` or a lone `\r`; the `\n` of a
/// `\r\n` split between two buffers is not in it): what `for_each` would have handed out
/// line by line, to be counted or searched at memchr speed.
#[derive(Clone, Copy, Debug)]
pub struct Stretch<'a>(&'a [u8]);

/// Like `for_each`, but only the lines that hold a candidate (and the few that straddle two
/// buffers, or end the input) go to `visit.line`; the complete lines between them go to
/// `visit.stretch` a stretch at a time.
pub fn for_each_candidate(
    input: impl BufRead,
    deadline: Option<Instant>,
    candidates: &mut impl Candidates,
    visit: &mut impl Visit,
) -> Summary {
    let mut lines = Splitter::default();
    let summary = for_each_chunk(input, deadline, |chunk| {
        let start = lines.continue_line(chunk, &mut |l: &[u8], t| visit.line(l, t));
        if start >= chunk.len() {
            return;
        }
        // The complete lines of the buffer end at its last line end; what follows is the start
        // of a line that the next buffer completes.
        let Some(last) = memchr::memrchr2(b'\n', b'\r', &chunk[start..]) else {
            keep(&mut lines.pending, &mut lines.truncated, &chunk[start..]);
            return;
        };
        let tail = start + last + 1;
        lines.after_cr = chunk[tail - 1] == b'\r' && tail == chunk.len();
        candidates.load(chunk);
        let (mut pos, mut from) = (start, start);
        while let Some(c) = candidates.next(from).filter(|&c| c < tail) {
            if matches!(chunk[c], b'\n' | b'\r') {
                // A line end is no part of a line: nothing to look at there.
                from = c + 1;
                continue;
            }
            let line_start =
                memchr::memrchr2(b'\n', b'\r', &chunk[pos..c]).map_or(pos, |i| pos + i + 1);
            // A line end follows: `c` lies before the last one.
            let line_end =
                c + memchr::memchr2(b'\n', b'\r', &chunk[c..tail]).unwrap_or(tail - c - 1);
            if line_start > pos {
                visit.stretch(Stretch(&chunk[pos..line_start]));
            }
            emit(&chunk[line_start..line_end], false, &mut |l: &[u8], t| {
                visit.line(l, t)
            });
            pos = after_line_end(chunk, line_end);
            from = pos;
        }
        if pos < tail {
            visit.stretch(Stretch(&chunk[pos..tail]));
        }
        keep(&mut lines.pending, &mut lines.truncated, &chunk[tail..]);
    });
    lines.finish(&mut |l: &[u8], t| visit.line(l, t));
    summary
}

/// Where the next line starts after the line end at `end` (`\r\n` is one line end).
fn after_line_end(chunk: &[u8], end: usize) -> usize {
    if chunk[end] == b'\r' && chunk.get(end + 1) == Some(&b'\n') {
        end + 2
    } else {
        end + 1
    }
}

impl<'a> Stretch<'a> {
    /// The bytes: complete lines with their line ends.
    pub fn bytes(&self) -> &'a [u8] {
        self.0
    }

    /// How many lines: one per line end, a `\r\n` counting once.
    pub fn lines(&self) -> u64 {
        let s = self.0;
        let lf = memchr::memchr_iter(b'\n', s).count();
        if memchr::memchr(b'\r', s).is_none() {
            return lf as u64;
        }
        let cr = memchr::memchr_iter(b'\r', s).count();
        let crlf = memchr::memmem::find_iter(s, b"\r\n").count();
        (lf + cr - crlf) as u64
    }

    /// How many lines are longer than `MAX_LINE` (`for_each` cuts and flags them). A line
    /// that long holds a whole aligned block of `MAX_LINE / 2` bytes without a line end, so
    /// the lines are only walked when such a block exists.
    pub fn long_lines(&self) -> u64 {
        let s = self.0;
        if s.len() <= MAX_LINE
            || s.chunks(MAX_LINE / 2)
                .all(|b| memchr::memchr2(b'\n', b'\r', b).is_some())
        {
            return 0;
        }
        let mut n = 0;
        self.for_each(|_, truncated| n += u64::from(truncated));
        n
    }

    /// Hands out its lines one by one, as `for_each` would.
    pub fn for_each(&self, mut f: impl FnMut(&[u8], bool)) {
        self.walk_while(|line, truncated| {
            f(line, truncated);
            true
        });
    }

    /// Hands out its lines one by one, as `for_each` would, until `f` returns false; the lines
    /// after that one.
    pub fn walk_while(&self, mut f: impl FnMut(&[u8], bool) -> bool) -> Stretch<'a> {
        let s = self.0;
        let mut start = 0;
        while let Some(i) = memchr::memchr2(b'\n', b'\r', &s[start..]) {
            let mut go_on = true;
            emit(&s[start..start + i], false, &mut |l: &[u8], t| {
                go_on = f(l, t)
            });
            start = after_line_end(s, start + i);
            if !go_on {
                break;
            }
        }
        Stretch(&s[start..])
    }

    /// The last of its lines (as `for_each` would hand it out) for which `want` holds,
    /// looked for from the end.
    pub fn rfind(&self, mut want: impl FnMut(&[u8]) -> bool) -> Option<&'a [u8]> {
        let s = self.0;
        let mut end = s.len();
        while end > 0 {
            // Drop the line end: `\r\n`, or one `\n` or `\r`.
            let line_end = if end >= 2 && s[end - 1] == b'\n' && s[end - 2] == b'\r' {
                end - 2
            } else {
                end - 1
            };
            let line_start = memchr::memrchr2(b'\n', b'\r', &s[..line_end]).map_or(0, |i| i + 1);
            let line = &s[line_start..line_end];
            let line = &line[..line.len().min(MAX_LINE)];
            if want(line) {
                return Some(line);
            }
            end = line_start;
        }
        None
    }
}

/// Reads `input` a buffer at a time, counting its bytes and those that are not text, until
/// its end, a read error or the `deadline`.
fn for_each_chunk(
    mut input: impl BufRead,
    deadline: Option<Instant>,
    mut f: impl FnMut(&[u8]),
) -> Summary {
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
        f(chunk);
        summary.bytes += len as u64;
        input.consume(len);
    }
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

    /// Starts a buffer: drops the `\n` of a `\r\n` split across buffers, and completes the
    /// line that the previous buffers started, if any (handing it out, or keeping the whole
    /// buffer when it holds no line end). Where the buffer's own lines start.
    fn continue_line(&mut self, chunk: &[u8], f: &mut impl FnMut(&[u8], bool)) -> usize {
        let mut start = 0;
        if std::mem::take(&mut self.after_cr) && chunk.first() == Some(&b'\n') {
            start = 1;
        }
        if self.pending.is_empty() && !self.truncated {
            return start;
        }
        match memchr::memchr2(b'\n', b'\r', &chunk[start..]) {
            Some(i) => {
                let end = start + i;
                self.line(&chunk[start..end], f);
                if chunk[end] == b'\r' && end + 1 == chunk.len() {
                    self.after_cr = true;
                }
                after_line_end(chunk, end)
            }
            None => {
                keep(&mut self.pending, &mut self.truncated, &chunk[start..]);
                chunk.len()
            }
        }
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

    /// Candidates at every byte, at none, or every `n`th byte.
    struct Every(usize);
    impl Candidates for Every {
        fn load(&mut self, _: &[u8]) {}
        fn next(&mut self, from: usize) -> Option<usize> {
            (self.0 > 0).then(|| from.next_multiple_of(self.0))
        }
    }

    /// The lines as handed out: looked at, or unpacked from their stretch (which must count,
    /// flag and search them as `for_each` splits them).
    #[derive(Default)]
    struct Record(Vec<(Vec<u8>, bool)>);
    impl Visit for Record {
        fn line(&mut self, line: &[u8], truncated: bool) {
            self.0.push((line.to_vec(), truncated));
        }
        fn stretch(&mut self, lines: Stretch<'_>) {
            let mut got = Vec::new();
            lines.for_each(|l, t| got.push((l.to_vec(), t)));
            assert_eq!(lines.lines(), got.len() as u64, "{lines:?}");
            assert_eq!(
                lines.long_lines(),
                got.iter().filter(|(_, t)| *t).count() as u64
            );
            let last_a = got.iter().rev().find(|(l, _)| l.starts_with(b"a"));
            assert_eq!(
                lines.rfind(|l| l.starts_with(b"a")),
                last_a.map(|(l, _)| l.as_slice())
            );
            self.0.extend(got);
        }
    }

    #[test]
    fn candidate_lines_and_stretches_are_the_lines_of_for_each() {
        let long = format!("a{}\r\nb\n", "x".repeat(MAX_LINE + 3));
        let exact = format!("{}\nab\r", "a".repeat(MAX_LINE));
        let inputs: Vec<Vec<u8>> = vec![
            b"a\rb\r\rc".to_vec(),
            b"a\r\nb\r\r\nc\r".to_vec(),
            b"\n\n\r\n\ra1\nb2\r\n\r\n".to_vec(),
            b"abc".to_vec(),
            b"".to_vec(),
            long.into_bytes(),
            exact.into_bytes(),
            (0..3000)
                .map(|i| format!("a{i}{}", ["\n", "\r\n", "\r"][i % 3]))
                .collect::<String>()
                .into_bytes(),
        ];
        for data in &inputs {
            let mut want = Vec::new();
            for_each(io::Cursor::new(data.clone()), None, |l, t| {
                want.push((l.to_vec(), t))
            });
            for cap in [1, 2, 3, 5, 64, 4096, BUFFER] {
                for n in [0, 1, 7, 100] {
                    let mut got = Record::default();
                    let input = io::BufReader::with_capacity(cap, io::Cursor::new(data.clone()));
                    let summary = for_each_candidate(input, None, &mut Every(n), &mut got);
                    assert_eq!(summary.bytes, data.len() as u64);
                    assert!(got.0 == want, "cap {cap}, every {n}: {data:?}");
                }
            }
        }
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
