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

#[cfg(test)]
mod tests {
    use super::*;

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
