//! Python's `shlex.split` (POSIX mode, no comments), which botocore applies to a
//! `credential_process` command and to section names: words separated by whitespace, `'…'`
//! taken literally, `"…"` with `\"` and `\\` escaped, a backslash outside quotes escaping any
//! character. Unlike a shell (and unlike the `shlex` crate), `#` starts no comment: in
//! `cat creds.json # mine`, `#`, `mine` are two more arguments.

/// The words, or `None` where Python raises `ValueError` (an unclosed quote, a trailing
/// backslash).
pub fn split(s: &str) -> Option<Vec<String>> {
    let mut words = Vec::new();
    let mut word: Option<String> = None;
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        match c {
            ' ' | '\t' | '\r' | '\n' => {
                if let Some(w) = word.take() {
                    words.push(w);
                }
            }
            '\\' => word.get_or_insert_with(String::new).push(chars.next()?),
            '\'' => {
                let w = word.get_or_insert_with(String::new);
                loop {
                    match chars.next()? {
                        '\'' => break,
                        other => w.push(other),
                    }
                }
            }
            '"' => {
                let w = word.get_or_insert_with(String::new);
                loop {
                    match chars.next()? {
                        '"' => break,
                        '\\' => match chars.next()? {
                            e @ ('"' | '\\') => w.push(e),
                            other => {
                                w.push('\\');
                                w.push(other);
                            }
                        },
                        other => w.push(other),
                    }
                }
            }
            other => word.get_or_insert_with(String::new).push(other),
        }
    }
    words.extend(word);
    Some(words)
}

#[cfg(test)]
mod tests {
    use super::split;

    fn words(s: &str) -> Option<Vec<&'static str>> {
        split(s).map(|v| {
            v.into_iter()
                .map(|w| &*Box::leak(w.into_boxed_str()))
                .collect()
        })
    }

    #[test]
    fn as_python_splits() {
        // Each expectation is what CPython 3.11's shlex.split returns.
        assert_eq!(
            words("cat a.json # mine"),
            Some(vec!["cat", "a.json", "#", "mine"])
        );
        assert_eq!(words(r#"a "b c" 'd e'"#), Some(vec!["a", "b c", "d e"]));
        assert_eq!(words(r#"a"b"c"#), Some(vec!["abc"]));
        assert_eq!(words(r#""x\"y\\z\q""#), Some(vec![r#"x"y\z\q"#]));
        assert_eq!(words(r"a\ b"), Some(vec!["a b"]));
        assert_eq!(words("a '' b"), Some(vec!["a", "", "b"]));
        assert_eq!(words("profile  dev "), Some(vec!["profile", "dev"]));
        assert_eq!(words("'open"), None);
        assert_eq!(words("end\\"), None);
        assert_eq!(words(""), Some(vec![]));
    }
}
