//! Redacting text we did not write (log lines, endpoint messages, a job's arguments) before it
//! is printed or stored. Three rules, in this order:
//!
//! 1. **By key name**: the value after a name that holds a secret (`SecretAccessKey`,
//!    `aws_secret_access_key`, `SessionToken`, `Token`, `X-Amz-Security-Token`,
//!    `X-Amz-Credential`, `Signature`, `*password`, `*secret`…) followed by `=`, `:` (quoted or
//!    not, JSON-escaped or not) or an XML `>`, whatever the value's length or escaping.
//! 2. **Key ids** (`AKIA`/`ASIA` and 16 more) become `ASIA…WXYZ`.
//! 3. **Runs**: a run of 40 or more key-like characters (a secret access key is 40, a session
//!    token hundreds) becomes `[redacted]`. The escapes other languages write count as the
//!    character they stand for (`\/` from PHP's `json_encode`, `\u002B` from .NET, `%2F` in a
//!    URL), so an escaped secret is one run, not pieces. A run needs both cases: a SHA-1 cache
//!    file name or a long lower-case word is not a secret.
//!
//! A request id may be caught too; a secret is never let through.

use regex_lite::Regex;
use std::borrow::Cow;
use std::sync::LazyLock;

const MIN_SECRET_RUN: usize = 40;
const MASK: &str = "[redacted]";

fn key_like(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'/' || b == b'+' || b == b'='
}

/// The text with secrets and key ids masked.
pub fn redact(text: &str) -> Cow<'_, str> {
    let by_name = mask_named_values(text);
    let text: &str = &by_name;
    let bytes = text.as_bytes();
    let needs = bytes.windows(4).any(|w| w == b"AKIA" || w == b"ASIA")
        || bytes.len() >= MIN_SECRET_RUN && has_secret_run(bytes);
    if !needs {
        return match by_name {
            Cow::Borrowed(b) => Cow::Borrowed(b),
            Cow::Owned(o) => Cow::Owned(o),
        };
    }
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < bytes.len() {
        if key_unit(bytes, i).is_some() {
            let start = i;
            let mut decoded = Vec::new();
            while let Some((len, b)) = key_unit(bytes, i) {
                decoded.push(b);
                i += len;
            }
            if is_secret(&decoded) {
                out.push_str(MASK);
            } else {
                out.push_str(&mask_key_ids(&text[start..i]));
            }
        } else {
            let ch = text[i..].chars().next().expect("in bounds");
            out.push(ch);
            i += ch.len_utf8();
        }
    }
    Cow::Owned(out)
}

/// A job's arguments for a record: each redacted, and the value of a flag named like a secret
/// (`--db-password hunter2`, `--token x`) masked whatever its length.
pub fn argv(args: &[String]) -> Vec<String> {
    let mut out = Vec::with_capacity(args.len());
    let mut mask_next = false;
    for a in args {
        if mask_next && !a.starts_with('-') {
            out.push(MASK.to_string());
            mask_next = false;
            continue;
        }
        mask_next =
            a.starts_with('-') && !a.contains('=') && secret_name(a.trim_start_matches('-'), true);
        out.push(redact(a).into_owned());
    }
    out
}

/// A name followed by a separator, and the quote (if any) that opens the value.
static NAMED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"([A-Za-z0-9_\-]+)(\\*["']?)(\s*[:=]\s*|>)(\\*["']?)"#).expect("valid")
});

/// Rule 1: the values of secret-named keys.
fn mask_named_values(text: &str) -> Cow<'_, str> {
    let mut out = String::new();
    let mut copied = 0;
    for c in NAMED.captures_iter(text) {
        let whole = c.get(0).expect("match");
        if whole.start() < copied {
            continue;
        }
        let name = c.get(1).expect("name").as_str();
        let xml = c.get(3).expect("sep").as_str() == ">";
        if xml && !text[..whole.start()].ends_with('<') {
            continue;
        }
        let opener = c.get(4).expect("quote").as_str();
        let start = whole.end();
        let end = start + value_len(&text[start..], opener, xml);
        let value = &text[start..end];
        // `ExpiredToken: The security token…` is an error code and its message, not a key;
        // `AWS_SECRET_ACCESS_KEY: botocore raises…` is prose naming a variable. After an
        // unquoted colon, a plain lower-case word is a word.
        let colon = !c.get(3).expect("sep").as_str().contains('=') && !xml;
        let maybe_code = !secret_name(name, true) && colon;
        let prose = colon && opener.is_empty() && value.bytes().all(|b| b.is_ascii_lowercase());
        if value.is_empty()
            || prose
            || !secret_name(name, false)
            || maybe_code && value.len() < 8
            || value == MASK
        {
            continue;
        }
        out.push_str(&text[copied..start]);
        out.push_str(MASK);
        copied = end;
    }
    if copied == 0 {
        return Cow::Borrowed(text);
    }
    out.push_str(&text[copied..]);
    Cow::Owned(out)
}

/// Whether a key name holds a secret. `strict` leaves out the names that end in `token` but
/// may be an error code (`ExpiredToken: The security token…`): after a colon, those need a
/// value of at least 8 characters.
fn secret_name(name: &str, strict: bool) -> bool {
    let n: String = name
        .chars()
        .filter(|c| *c != '_' && *c != '-')
        .flat_map(char::to_lowercase)
        .collect();
    const EXACT: &[&str] = &[
        "secretaccesskey",
        "awssecretaccesskey",
        "secretkey",
        "sessiontoken",
        "awssessiontoken",
        "securitytoken",
        "awssecuritytoken",
        "xamzsecuritytoken",
        "xamzcredential",
        "xamzsignature",
        "signature",
        "token",
        "accesstoken",
        "refreshtoken",
        "idtoken",
        "clientsecret",
    ];
    EXACT.contains(&n.as_str())
        || ["password", "passwd", "secret", "apikey"]
            .iter()
            .any(|s| n.ends_with(s))
        || !strict && n.ends_with("token")
}

/// Where a value ends: at the quote that opened it, else at whitespace or a delimiter. An
/// escaped character is part of the value, except `\"` closing a value that `\"` opened
/// (JSON inside JSON).
fn value_len(rest: &str, opener: &str, xml: bool) -> usize {
    let b = rest.as_bytes();
    let quote = opener.bytes().last().filter(|q| *q == b'"' || *q == b'\'');
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let ends = if xml {
            c == b'<'
        } else if c == b'\\' {
            if opener.starts_with('\\') && b.get(i + 1).is_some_and(|n| Some(*n) == quote) {
                break;
            }
            i += 2;
            continue;
        } else if let Some(q) = quote {
            c == q
        } else {
            c.is_ascii_whitespace()
                || matches!(
                    c,
                    b'"' | b'\'' | b'&' | b',' | b';' | b'}' | b']' | b'<' | b'>'
                )
        };
        if ends {
            break;
        }
        i += 1;
    }
    i.min(b.len())
}

/// One key-like character at `i`, plain or escaped: its length in the text and what it
/// stands for.
fn key_unit(b: &[u8], i: usize) -> Option<(usize, u8)> {
    let c = *b.get(i)?;
    if key_like(c) {
        return Some((1, c));
    }
    let decoded = |hex: &[u8]| -> Option<u8> {
        let s = std::str::from_utf8(hex).ok()?;
        let v = u32::from_str_radix(s, 16).ok()?;
        u8::try_from(v).ok().filter(|d| key_like(*d))
    };
    match c {
        b'\\' if b.get(i + 1) == Some(&b'/') => Some((2, b'/')),
        b'\\' if b.get(i + 1) == Some(&b'u') && i + 6 <= b.len() => {
            decoded(&b[i + 2..i + 6]).map(|d| (6, d))
        }
        b'%' if i + 3 <= b.len() => decoded(&b[i + 1..i + 3]).map(|d| (3, d)),
        _ => None,
    }
}

/// A decoded run is a secret when it is long and has both cases (base64 of random bytes
/// always does; a hex digest, a path of lower-case words or a number does not).
fn is_secret(decoded: &[u8]) -> bool {
    decoded.len() >= MIN_SECRET_RUN
        && decoded.iter().any(u8::is_ascii_uppercase)
        && decoded.iter().any(u8::is_ascii_lowercase)
}

fn has_secret_run(bytes: &[u8]) -> bool {
    let mut i = 0;
    while i < bytes.len() {
        if key_unit(bytes, i).is_some() {
            let mut decoded = Vec::new();
            while let Some((len, b)) = key_unit(bytes, i) {
                decoded.push(b);
                i += len;
            }
            if is_secret(&decoded) {
                return true;
            }
        } else {
            i += 1;
        }
    }
    false
}

/// `AKIA`/`ASIA` followed by 16 upper-case letters or digits, inside a word.
fn mask_key_ids(word: &str) -> String {
    let mut out = String::new();
    let b = word.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let is_key = i + 20 <= b.len()
            && (&b[i..i + 4] == b"AKIA" || &b[i..i + 4] == b"ASIA")
            && b[i + 4..i + 20]
                .iter()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
        if is_key {
            out.push_str(crate::facts::KeyId::redact(&word[i..i + 20]).as_str());
            i += 20;
        } else {
            out.push(b[i] as char);
            i += 1;
        }
    }
    out
}

/// A value we did not write (a profile name from a saved report, a timestamp from a file) as a
/// short single line for a message: control characters become `?`, and past 60 characters it
/// is cut with `…`. A hostile value of any size stays one line.
pub fn clip(v: &str) -> String {
    const MAX: usize = 60;
    let clean: String = v
        .chars()
        .map(|c| if c.is_control() { '?' } else { c })
        .collect();
    if clean.chars().count() > MAX {
        format!("{}…", clean.chars().take(MAX).collect::<String>())
    } else {
        clean
    }
}

/// A serde (serde_json) error message without the value it quotes. serde words a shape error
/// `invalid type: string "…", expected a boolean`, `invalid value: integer `-5`, expected u8`
/// or ``unknown variant `…`, expected one of …``: the offending value in full, whatever its
/// size, a secret included. What is kept: the kind of value found (`string`, `integer`, …) and
/// what was expected (our own words, which come last, so the final `, expected ` is ours even
/// when the value contains one). Other messages (syntax errors, a missing field, chrono's)
/// quote nothing of the input; all are cut at 200 characters.
pub fn serde_message(msg: &str) -> String {
    const QUOTING: [&str; 5] = [
        "invalid type: ",
        "invalid value: ",
        "invalid length ",
        "unknown variant ",
        "unknown field ",
    ];
    let mut out = match (
        QUOTING.iter().find(|p| msg.starts_with(*p)),
        msg.rfind(", expected "),
    ) {
        (Some(prefix), Some(at)) => {
            let head = prefix.trim_end_matches([':', ' ']);
            let expected = &msg[at + 2..];
            // `string "…"`, `integer `5``, `map`: the first word is the kind.
            let kind = prefix
                .ends_with(": ")
                .then(|| msg[prefix.len()..].split([' ', '`', '"', ',']).next())
                .flatten()
                .filter(|w| !w.is_empty() && w.chars().all(|c| c.is_ascii_lowercase()));
            match kind {
                Some(kind) => format!("{head}: {kind}, {expected}"),
                None => format!("{head}, {expected}"),
            }
        }
        // A quoting message without our `expected` part: the head alone.
        (Some(prefix), None) => prefix.trim_end_matches([':', ' ']).to_string(),
        (None, _) => msg.to_string(),
    };
    if out.chars().count() > 200 {
        out = out.chars().take(199).collect::<String>() + "…";
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

    #[test]
    fn serde_messages_never_quote_the_value() {
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct T {
            flag: Option<bool>,
            small: Option<u8>,
            kind: Option<crate::facts::Source>,
        }
        let secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY, expected a boolean".repeat(1000);
        for (json, want) in [
            (
                format!(r#"{{"flag": "{secret}"}}"#),
                "invalid type: string, expected a boolean",
            ),
            (
                r#"{"small": -5}"#.to_string(),
                "invalid value: integer, expected u8",
            ),
            (
                format!(r#"{{"kind": "{secret}"}}"#),
                "unknown variant, expected one of `none`",
            ),
        ] {
            let e = serde_json::from_str::<T>(&json).unwrap_err().to_string();
            let got = serde_message(&e);
            assert!(got.starts_with(want), "{got}");
            assert!(!got.contains("wJalr") && !got.contains("-5"), "{got}");
            assert!(got.chars().count() <= 200, "{got}");
        }
        assert_eq!(
            serde_message("missing field `checked_at`"),
            "missing field `checked_at`"
        );
    }

    #[test]
    fn clipped_values_are_one_short_line() {
        assert_eq!(clip("etl"), "etl");
        assert_eq!(clip("a\nb"), "a?b");
        let long = clip(&"x".repeat(5_000_000));
        assert_eq!(long.chars().count(), 61);
    }

    #[test]
    fn key_ids_secrets_and_tokens_are_masked() {
        let line = "creds AKIAIOSFODNN7EXAMPLE wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY token IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQ end";
        let r = redact(line);
        assert!(r.contains("AKIA…MPLE"), "{r}");
        assert!(!r.contains("wJalrXUtnFEMI"), "{r}");
        assert!(!r.contains("IQoJb3JpZ2lu"), "{r}");
        assert!(r.ends_with(" end"));
    }

    #[test]
    fn ordinary_text_is_untouched_and_borrowed() {
        let line = "2024-03-01 12:00:01 ERROR An error occurred (ExpiredToken) when calling the ListObjects operation";
        assert!(matches!(redact(line), Cow::Borrowed(_)));
        assert_eq!(redact("naïve ünïcode"), "naïve ünïcode");
        let code = "ExpiredToken: The security token included in the request is expired";
        assert_eq!(redact(code), code);
        let prose = "AWS_ACCESS_KEY_ID is exported without AWS_SECRET_ACCESS_KEY: botocore raises";
        assert_eq!(redact(prose), prose);
        let path = "/home/me/.aws/sso/cache/0123456789abcdef0123456789abcdef01234567.json";
        assert_eq!(redact(path), path);
    }

    #[test]
    fn escaped_secrets_are_one_run() {
        for escaped in [
            SECRET.replace('/', "\\/"),
            SECRET.replace('/', "\\u002F"),
            SECRET.replace('/', "%2F"),
            "wJalrXUtnFEMI%2FK7MDENG%2BbPxRfiCY%3D".to_string() + "abcdefghij",
        ] {
            let line = format!("leak {escaped} end");
            let r = redact(&line);
            assert_eq!(r, format!("leak {MASK} end"), "{escaped}");
        }
    }

    #[test]
    fn secrets_are_masked_by_key_name_whatever_their_length() {
        for (line, kept) in [
            (
                r#"creds={"AccessKeyId":"ASIAIOSFODNN7EXAMPLE","SecretAccessKey":"abc\/d+e"}"#,
                "SecretAccessKey\":\"",
            ),
            (
                r#"{\"SessionToken\":\"short\/one\"}"#,
                "SessionToken\\\":\\\"",
            ),
            ("aws_secret_access_key = tiny", "aws_secret_access_key = "),
            (
                "GET /?X-Amz-Security-Token=FQo%2Fabc&X-Amz-Date=1",
                "X-Amz-Security-Token=",
            ),
            (
                "X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20240101%2Fus-east-1",
                "X-Amz-Credential=",
            ),
            (
                "Authorization: AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/2024, SignedHeaders=host, Signature=fe5f80f77d5fa3",
                "Signature=",
            ),
            ("<SessionToken>abc</SessionToken>", "<SessionToken>"),
            ("--db-password=hunter2", "--db-password="),
            ("Token: abcdefgh12", "Token: "),
        ] {
            let r = redact(line);
            assert!(r.contains(&format!("{kept}{MASK}")), "{line} → {r}");
            for leaked in [
                "abc",
                "short",
                "tiny",
                "FQo",
                "fe5f80",
                "hunter2",
                "abcdefgh12",
            ] {
                assert!(!r.contains(leaked), "{line} → {r}");
            }
            assert!(!r.contains("IOSFODNN7"), "{line} → {r}");
        }
    }

    #[test]
    fn a_secret_flag_in_a_jobs_arguments_is_masked() {
        let args: Vec<String> = [
            "job.py",
            "--db-password",
            "x1",
            "--out",
            "s3://b/k",
            "--api-token=abc",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        assert_eq!(
            argv(&args),
            [
                "job.py",
                "--db-password",
                MASK,
                "--out",
                "s3://b/k",
                "--api-token=[redacted]"
            ]
        );
    }
}
