//! A log's bytes as text. A UTF-8 byte-order mark is dropped; UTF-16, little or big endian,
//! with a byte-order mark or recognised by its NUL bytes, is decoded to UTF-8 as it streams;
//! anything else is passed on as it is (the classifier reads bytes, so invalid UTF-8 costs
//! nothing).
//!
//! UTF-16 logs are common on Windows: Windows PowerShell 5.1 writes UTF-16 LE with a byte-order
//! mark for `>` and `Out-File` (Microsoft's about_Character_Encoding: "Unicode: UTF-16LE"),
//! and `cmd /u` writes it without one. Read as bytes, their every other byte is a NUL and no
//! class fragment matches.
//!
//! Decoding uses the standard library's `char::decode_utf16`, which pairs surrogates and
//! reports an unpaired one (written as U+FFFD here, as an odd last byte is): nothing else is
//! needed for the one multi-byte encoding Windows tools write besides UTF-8, so no encoding
//! crate is added.

use serde::Serialize;
use std::io::{self, BufRead, Read};

/// How the log's bytes were read.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub enum Encoding {
    /// UTF-8 or anything else read as bytes (a UTF-8 byte-order mark dropped).
    #[default]
    #[serde(rename = "utf-8")]
    Utf8,
    #[serde(rename = "utf-16le")]
    Utf16Le,
    #[serde(rename = "utf-16be")]
    Utf16Be,
}

/// The byte-order marks (U+FEFF as each encoding writes it; The Unicode Standard, §23.8, and
/// RFC 2781 §3.2 for UTF-16).
const UTF8_BOM: &[u8] = &[0xEF, 0xBB, 0xBF];
const UTF16LE_BOM: &[u8] = &[0xFF, 0xFE];
const UTF16BE_BOM: &[u8] = &[0xFE, 0xFF];

/// Bytes looked at to recognise the encoding (and the gzip magic, in `lines::open`).
pub const SNIFF: usize = 512;

/// Input bytes decoded per refill: the decoded text of one is at most 1.5 times as long.
const DECODE_CHUNK: usize = 64 * 1024;

/// `input` as text: its encoding recognised from its first bytes, and a reader that hands out
/// UTF-8 (or the bytes as they are, when they are not UTF-16). Errs only when nothing at all
/// could be read.
pub fn decode(input: Box<dyn BufRead>) -> io::Result<(Box<dyn BufRead>, Encoding)> {
    let mut peeked = peek(input, SNIFF)?;
    let (encoding, bom) = recognise(peeked.head());
    peeked.consume(bom);
    let reader: Box<dyn BufRead> = match encoding {
        Encoding::Utf8 => Box::new(peeked),
        Encoding::Utf16Le => Box::new(Utf16::new(peeked, false)),
        Encoding::Utf16Be => Box::new(Utf16::new(peeked, true)),
    };
    Ok((reader, encoding))
}

/// The encoding `head` (the first bytes of a log) starts, and the length of its byte-order
/// mark.
pub fn recognise(head: &[u8]) -> (Encoding, usize) {
    if head.starts_with(UTF8_BOM) {
        (Encoding::Utf8, UTF8_BOM.len())
    } else if head.starts_with(UTF16LE_BOM) {
        (Encoding::Utf16Le, UTF16LE_BOM.len())
    } else if head.starts_with(UTF16BE_BOM) {
        (Encoding::Utf16Be, UTF16BE_BOM.len())
    } else {
        (utf16_by_its_nuls(head).unwrap_or(Encoding::Utf8), 0)
    }
}

/// UTF-16 without a byte-order mark, recognised the way its ASCII looks: a NUL as the high
/// byte of every character (the second byte of each pair in little endian, the first in big
/// endian) and almost never as the low one. NULs on both sides (`/dev/zero`, a binary file)
/// are not UTF-16.
fn utf16_by_its_nuls(head: &[u8]) -> Option<Encoding> {
    let pairs = head.len() / 2;
    if pairs < 4 {
        return None;
    }
    let nul_at = |parity: usize| {
        head.chunks_exact(2)
            .filter(|pair| pair[parity] == 0)
            .count()
    };
    let (first, second) = (nul_at(0), nul_at(1));
    let mostly = |n: usize| n * 2 >= pairs;
    let hardly = |n: usize| n * 8 <= pairs;
    if mostly(second) && hardly(first) {
        Some(Encoding::Utf16Le)
    } else if mostly(first) && hardly(second) {
        Some(Encoding::Utf16Be)
    } else {
        None
    }
}

/// The first bytes of an input read ahead to look at, then the rest. An error met while
/// reading ahead is returned after the bytes read before it, where it happened.
pub struct Peeked<R> {
    head: Vec<u8>,
    pos: usize,
    error: Option<io::Error>,
    rest: R,
}

/// Reads up to `want` bytes of `input` ahead (fewer at its end). Errs only when the very first
/// read does.
pub fn peek<R: BufRead>(mut input: R, want: usize) -> io::Result<Peeked<R>> {
    let mut head = Vec::with_capacity(want);
    let mut error = None;
    while head.len() < want {
        let taken = match input.fill_buf() {
            Ok([]) => break,
            Ok(buf) => {
                let n = buf.len().min(want - head.len());
                head.extend_from_slice(&buf[..n]);
                n
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) if head.is_empty() => return Err(e),
            Err(e) => {
                error = Some(e);
                break;
            }
        };
        input.consume(taken);
    }
    Ok(Peeked {
        head,
        pos: 0,
        error,
        rest: input,
    })
}

impl<R> Peeked<R> {
    /// The bytes read ahead and not yet consumed.
    pub fn head(&self) -> &[u8] {
        &self.head[self.pos..]
    }
}

impl<R: BufRead> BufRead for Peeked<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.pos < self.head.len() {
            return Ok(&self.head[self.pos..]);
        }
        if let Some(e) = self.error.take() {
            return Err(e);
        }
        self.rest.fill_buf()
    }

    fn consume(&mut self, n: usize) {
        if self.pos < self.head.len() {
            self.pos = (self.pos + n).min(self.head.len());
        } else {
            self.rest.consume(n);
        }
    }
}

impl<R: BufRead> Read for Peeked<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        read_from(self, out)
    }
}

/// `Read` through `BufRead`: copies what one `fill_buf` gives.
fn read_from(r: &mut impl BufRead, out: &mut [u8]) -> io::Result<usize> {
    let buf = r.fill_buf()?;
    let n = buf.len().min(out.len());
    out[..n].copy_from_slice(&buf[..n]);
    r.consume(n);
    Ok(n)
}

/// UTF-16 in, UTF-8 out, a chunk at a time.
pub struct Utf16<R> {
    input: R,
    big_endian: bool,
    /// Decoded text not yet handed out: `out[pos..]`.
    out: Vec<u8>,
    pos: usize,
    /// Code units waiting to be decoded: a high surrogate at the end of a chunk waits for the
    /// low one that may start the next.
    units: Vec<u16>,
    /// The first byte of a code unit split across chunks.
    odd: Option<u8>,
}

impl<R: BufRead> Utf16<R> {
    pub fn new(input: R, big_endian: bool) -> Self {
        Utf16 {
            input,
            big_endian,
            out: Vec::new(),
            pos: 0,
            units: Vec::new(),
            odd: None,
        }
    }

    /// Decodes input until there is text to hand out or the input ends.
    fn refill(&mut self) -> io::Result<()> {
        self.out.clear();
        self.pos = 0;
        while self.out.is_empty() {
            let bytes = self.input.fill_buf()?;
            if bytes.is_empty() {
                self.finish();
                return Ok(());
            }
            let n = bytes.len().min(DECODE_CHUNK);
            push_units(&bytes[..n], self.big_endian, &mut self.odd, &mut self.units);
            self.input.consume(n);
            self.decode_units(false);
        }
        Ok(())
    }

    /// Decodes the waiting code units, but for a high surrogate last unless `at_end`.
    fn decode_units(&mut self, at_end: bool) {
        let high_last = self
            .units
            .last()
            .is_some_and(|u| (0xD800..0xDC00).contains(u));
        let held = if high_last && !at_end {
            self.units.pop()
        } else {
            None
        };
        let mut rest = &self.units[..];
        while !rest.is_empty() {
            // ASCII, nearly all of a log, byte for byte; the rest through std's decoder. (A run
            // never splits a surrogate pair: both halves are far above ASCII.)
            let ascii = rest.iter().position(|&u| u >= 0x80).unwrap_or(rest.len());
            self.out.extend(rest[..ascii].iter().map(|&u| u as u8));
            rest = &rest[ascii..];
            let other = rest.iter().position(|&u| u < 0x80).unwrap_or(rest.len());
            push_decoded(&rest[..other], &mut self.out);
            rest = &rest[other..];
        }
        self.units.clear();
        self.units.extend(held);
    }

    /// The input ended: a lone last byte is a broken character.
    fn finish(&mut self) {
        if self.odd.take().is_some() {
            self.units.push(char::REPLACEMENT_CHARACTER as u16);
        }
        self.decode_units(true);
    }
}

/// Appends `units` decoded to UTF-8, an unpaired surrogate as U+FFFD.
fn push_decoded(units: &[u16], out: &mut Vec<u8>) {
    let mut utf8 = [0u8; 4];
    for c in char::decode_utf16(units.iter().copied()) {
        let c = c.unwrap_or(char::REPLACEMENT_CHARACTER);
        out.extend_from_slice(c.encode_utf8(&mut utf8).as_bytes());
    }
}

/// Appends the code units of `bytes` (after a byte `odd` left over from before) to `units`,
/// leaving a last odd byte in `odd`.
fn push_units(bytes: &[u8], big_endian: bool, odd: &mut Option<u8>, units: &mut Vec<u16>) {
    let unit = |a: u8, b: u8| {
        if big_endian {
            u16::from_be_bytes([a, b])
        } else {
            u16::from_le_bytes([a, b])
        }
    };
    let mut bytes = bytes;
    if let (Some(first), Some((&second, rest))) = (*odd, bytes.split_first()) {
        units.push(unit(first, second));
        *odd = None;
        bytes = rest;
    }
    let pairs = bytes.chunks_exact(2);
    *odd = pairs.remainder().first().copied().or(*odd);
    units.extend(pairs.map(|p| unit(p[0], p[1])));
}

impl<R: BufRead> BufRead for Utf16<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.pos >= self.out.len() {
            self.refill()?;
        }
        Ok(&self.out[self.pos..])
    }

    fn consume(&mut self, n: usize) {
        self.pos = (self.pos + n).min(self.out.len());
    }
}

impl<R: BufRead> Read for Utf16<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        read_from(self, out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{BufReader, Cursor};

    fn utf16(text: &str, big_endian: bool) -> Vec<u8> {
        text.encode_utf16()
            .flat_map(|u| {
                if big_endian {
                    u.to_be_bytes()
                } else {
                    u.to_le_bytes()
                }
            })
            .collect()
    }

    fn decoded(data: Vec<u8>, cap: usize) -> (Vec<u8>, Encoding) {
        let (mut r, e) =
            decode(Box::new(BufReader::with_capacity(cap, Cursor::new(data)))).unwrap();
        let mut out = Vec::new();
        r.read_to_end(&mut out).unwrap();
        (out, e)
    }

    #[test]
    fn boms_name_the_encoding_and_are_dropped() {
        let text = "2026-11-23 08:00:00 ExpiredToken café 🚀\n";
        for (data, want) in [
            ([UTF8_BOM, text.as_bytes()].concat(), Encoding::Utf8),
            (
                [UTF16LE_BOM, &utf16(text, false)].concat(),
                Encoding::Utf16Le,
            ),
            (
                [UTF16BE_BOM, &utf16(text, true)].concat(),
                Encoding::Utf16Be,
            ),
        ] {
            for cap in [1, 3, 7, 8192] {
                assert_eq!(decoded(data.clone(), cap), (text.as_bytes().to_vec(), want));
            }
        }
    }

    #[test]
    fn utf16_without_a_bom_is_recognised_by_its_nuls() {
        let text = "ExpiredToken: The security token included in the request is expired\n";
        assert_eq!(recognise(&utf16(text, false)), (Encoding::Utf16Le, 0));
        assert_eq!(recognise(&utf16(text, true)), (Encoding::Utf16Be, 0));
        assert_eq!(decoded(utf16(text, true), 5).0, text.as_bytes());
        // NULs on both sides, none, or too few bytes to tell: not UTF-16.
        assert_eq!(recognise(&[0; 64]).0, Encoding::Utf8);
        assert_eq!(recognise(text.as_bytes()).0, Encoding::Utf8);
        assert_eq!(recognise(b"a\0b\0").0, Encoding::Utf8);
    }

    #[test]
    fn broken_utf16_becomes_replacement_characters() {
        // An unpaired high surrogate, an unpaired low one, and an odd last byte.
        let mut data = UTF16LE_BOM.to_vec();
        for u in [0x61, 0xD83D, 0x62, 0xDE80, 0x63] {
            data.extend_from_slice(&u16::to_le_bytes(u));
        }
        data.push(0x64);
        assert_eq!(
            String::from_utf8(decoded(data, 3).0).unwrap(),
            "a\u{fffd}b\u{fffd}c\u{fffd}"
        );
    }

    #[test]
    fn an_error_after_the_first_bytes_comes_after_them() {
        struct Breaks(bool);
        impl Read for Breaks {
            fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
                if std::mem::replace(&mut self.0, true) {
                    return Err(io::Error::other("cut"));
                }
                out[..4].copy_from_slice(b"abc\n");
                Ok(4)
            }
        }
        let mut p = peek(BufReader::new(Breaks(false)), SNIFF).unwrap();
        assert_eq!(p.head(), b"abc\n");
        let mut out = Vec::new();
        let err = p.read_to_end(&mut out).unwrap_err();
        assert_eq!(
            (out.as_slice(), err.to_string().as_str()),
            (&b"abc\n"[..], "cut")
        );
        assert!(peek(BufReader::new(Breaks(true)), SNIFF).is_err());
    }
}
