//! Streaming a log line by line in bounded memory: plain or gzip (detected by its magic
//! bytes, not its name), any bytes (invalid UTF-8 is scanned as bytes), any line length (a line
//! longer than `MAX_LINE` is looked at in its first `MAX_LINE` bytes; the rest is skipped at
//! memchr speed without being stored).

use flate2::read::MultiGzDecoder;
use std::io::{self, BufRead, BufReader, Read};

/// A credential error is on the first kilobytes of its line; no real log line needs more.
pub const MAX_LINE: usize = 64 * 1024;
const BUFFER: usize = 256 * 1024;

/// Wraps `input` in a decoder when it starts with the gzip magic bytes.
pub fn open(input: Box<dyn Read>) -> io::Result<Box<dyn BufRead>> {
    let mut buffered = BufReader::with_capacity(BUFFER, input);
    let head = buffered.fill_buf()?;
    if head.starts_with(&[0x1f, 0x8b]) {
        Ok(Box::new(BufReader::with_capacity(
            BUFFER,
            MultiGzDecoder::new(buffered),
        )))
    } else {
        Ok(Box::new(buffered))
    }
}

/// Calls `f(line, truncated)` for every line, without its `\n` (or `\r\n`). A line longer
/// than `MAX_LINE` is cut there and flagged; the `\r` of a `\r\n` never counts against the cap.
/// A last line without a newline is passed as it is. Returns the number of bytes read.
pub fn for_each(mut input: impl BufRead, mut f: impl FnMut(&[u8], bool)) -> io::Result<u64> {
    let mut pending: Vec<u8> = Vec::new();
    let mut truncated = false;
    let mut total = 0u64;
    let mut emit = |line: &[u8], truncated: bool| {
        if line.len() > MAX_LINE {
            f(&line[..MAX_LINE], true);
        } else {
            f(line, truncated);
        }
    };
    loop {
        let chunk = match input.fill_buf() {
            Ok(c) => c,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if chunk.is_empty() {
            if !pending.is_empty() || truncated {
                emit(&pending, truncated);
            }
            return Ok(total);
        }
        let len = chunk.len();
        let mut start = 0;
        while let Some(nl) = memchr::memchr(b'\n', &chunk[start..]) {
            let end = start + nl;
            if pending.is_empty() && !truncated {
                emit(trim_cr(&chunk[start..end]), false);
            } else {
                keep(&mut pending, &mut truncated, &chunk[start..end]);
                emit(trim_cr(&pending), truncated);
                pending.clear();
                truncated = false;
            }
            start = end + 1;
        }
        keep(&mut pending, &mut truncated, &chunk[start..]);
        total += len as u64;
        input.consume(len);
    }
}

/// Holds at most `MAX_LINE + 1` bytes of a line split across reads: one more than the cap, so
/// that a `\r` right at the cap can still turn out to be the end of a `\r\n`.
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
    use std::io::Write;

    fn lines(data: &[u8]) -> Vec<(Vec<u8>, bool)> {
        let mut out = Vec::new();
        let reader = open(Box::new(io::Cursor::new(data.to_vec()))).unwrap();
        for_each(reader, |l, t| out.push((l.to_vec(), t))).unwrap();
        out
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
