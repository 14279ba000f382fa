//! Redacting text we did not write (log lines, error messages) before it is printed: access
//! key ids become `ASIA…WXYZ`, and any run of 40 or more key-like characters (a secret access
//! key is 40, a session token hundreds) becomes `[redacted]`. A request id may be caught too;
//! a secret is never let through.

use std::borrow::Cow;

const MIN_SECRET_RUN: usize = 40;

fn key_like(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'/' || b == b'+' || b == b'='
}

/// The text with secrets and key ids masked.
pub fn redact(text: &str) -> Cow<'_, str> {
    let bytes = text.as_bytes();
    let needs = bytes.windows(4).any(|w| w == b"AKIA" || w == b"ASIA")
        || longest_run(bytes) >= MIN_SECRET_RUN;
    if !needs {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < bytes.len() {
        if key_like(bytes[i]) {
            let start = i;
            while i < bytes.len() && key_like(bytes[i]) {
                i += 1;
            }
            let run = &text[start..i];
            if run.len() >= MIN_SECRET_RUN {
                out.push_str("[redacted]");
            } else {
                out.push_str(&mask_key_ids(run));
            }
        } else {
            let ch = text[i..].chars().next().expect("in bounds");
            out.push(ch);
            i += ch.len_utf8();
        }
    }
    Cow::Owned(out)
}

fn longest_run(bytes: &[u8]) -> usize {
    let (mut best, mut cur) = (0, 0);
    for &b in bytes {
        if key_like(b) {
            cur += 1;
            best = best.max(cur);
        } else {
            cur = 0;
        }
    }
    best
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
    }
}
