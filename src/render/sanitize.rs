//! The one sanitizer between text from outside (files, environment, endpoints, logs, `--facts`
//! artifacts from other machines) and a terminal or a CI log. Two layers:
//!
//! - [`line`] for every sentence the renderers build around an outside value: control
//!   characters become visible (`␛`, `␊`, `␍`, `\u{9b}`), so no ESC sequence, bell, carriage
//!   return or line break from outside is ever written, and the sentence is capped with `…`.
//! - [`output`] over everything a command prints, as a backstop: any control character but the
//!   renderer's own line breaks and colour codes is made visible, and a line an Actions runner
//!   would take as a workflow command (`::name …::`, `##[name]`) is defused unless the renderer
//!   wrote it as one (`--output github`'s own annotations).

use std::borrow::Cow;

/// The most characters of one sentence that is shown; a longer one ends in `…`.
pub const MAX_LINE: usize = 2000;

/// The prefixes of the workflow commands `--output github` writes itself.
pub const OWN_COMMANDS: [&str; 3] = [
    "::error title=expiry-doctor",
    "::warning title=expiry-doctor",
    "::notice title=expiry-doctor",
];

/// Whether a character must never reach a terminal as itself: C0 and C1 controls, DEL, and the
/// bidirectional overrides and isolates that reorder what the reader sees.
fn hostile(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// A visible stand-in: the Unicode control picture for C0 and DEL (`␛`, `␊`), `\u{…}` for the
/// rest.
fn visible(c: char, out: &mut String) {
    match c as u32 {
        n @ 0..=0x1f => out.push(char::from_u32(0x2400 + n).expect("control picture")),
        0x7f => out.push('␡'),
        n => out.push_str(&format!("\\u{{{n:x}}}")),
    }
}

/// One sentence, safe to print: no control character, at most [`MAX_LINE`] characters.
pub fn line(text: &str) -> Cow<'_, str> {
    let too_long = text.len() > MAX_LINE && text.chars().count() > MAX_LINE;
    if !too_long && !text.chars().any(hostile) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len().min(MAX_LINE * 4));
    for (i, c) in text.chars().enumerate() {
        if i == MAX_LINE {
            out.push('…');
            break;
        }
        if hostile(c) {
            visible(c, &mut out);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// [`line`] for owned text.
pub fn own(text: String) -> String {
    match line(&text) {
        Cow::Borrowed(_) => text,
        Cow::Owned(o) => o,
    }
}

/// A JSON document, pretty-printed, ending in a newline. serde_json escapes C0 controls; the
/// other characters a terminal acts on (DEL, C1, bidirectional overrides) are written as
/// `\uXXXX` escapes here, so the document reads back the same and prints safely.
pub fn json<T: serde::Serialize + ?Sized>(value: &T) -> String {
    let text = serde_json::to_string_pretty(value).expect("a report serialises");
    let mut out = String::with_capacity(text.len() + 1);
    for c in text.chars() {
        if hostile(c) && c != '\n' {
            // Outside strings serde writes only '\n' and spaces; inside, C0 is already
            // escaped, so what is left is DEL, C1 or a bidi control in a string.
            let mut units = [0u16; 2];
            for u in c.encode_utf16(&mut units) {
                out.push_str(&format!("\\u{u:04x}"));
            }
        } else {
            out.push(c);
        }
    }
    out.push('\n');
    out
}

/// The backstop over a command's whole output. `workflow_commands`: the output is
/// `--output github`, whose own annotation lines stay commands.
pub fn output(text: &str, workflow_commands: bool) -> Cow<'_, str> {
    let clean = !text.chars().any(|c| hostile(c) && c != '\n' && c != '\x1b')
        && !text.contains('\x1b')
        && !text.lines().any(looks_like_a_command);
    if clean {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    for (n, l) in text.split('\n').enumerate() {
        if n > 0 {
            out.push('\n');
        }
        let own = workflow_commands && OWN_COMMANDS.iter().any(|p| l.starts_with(p));
        if looks_like_a_command(l) && !own {
            // A backslash before the first character: the runner no longer sees a command,
            // and a reader sees the text as it was.
            let indent = l.len() - l.trim_start().len();
            out.push_str(&l[..indent]);
            out.push('\\');
            controls(&l[indent..], &mut out);
        } else {
            controls(l, &mut out);
        }
    }
    Cow::Owned(out)
}

/// The runner trims leading whitespace, then reads `::command…` (and the older `##[command]`).
fn looks_like_a_command(line: &str) -> bool {
    let t = line.trim_start();
    t.starts_with("::") || t.starts_with("##[")
}

/// Copies `text`, keeping the colour codes a renderer writes (`ESC [ digits ; m`) and making
/// every other control character visible.
fn controls(text: &str, out: &mut String) {
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if c == '\x1b' {
            let sgr = rest[1..].strip_prefix('[').and_then(|s| {
                let n = s
                    .bytes()
                    .take_while(|b| b.is_ascii_digit() || *b == b';')
                    .count();
                (s.as_bytes().get(n) == Some(&b'm')).then_some(n + 3)
            });
            if let Some(len) = sgr {
                out.push_str(&rest[..len]);
                rest = &rest[len..];
                continue;
            }
        }
        if hostile(c) {
            visible(c, out);
        } else {
            out.push(c);
        }
        rest = &rest[c.len_utf8()..];
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_become_visible_in_a_line() {
        assert_eq!(
            line("etl\n::error::x\r\x1b]0;T\x07"),
            "etl␊::error::x␍␛]0;T␇"
        );
        assert_eq!(line("a\u{9b}31m\u{202e}b"), "a\\u{9b}31m\\u{202e}b");
        assert!(matches!(line("plain, naïve: ok"), Cow::Borrowed(_)));
    }

    #[test]
    fn json_escapes_what_serde_leaves() {
        let doc = serde_json::json!({"p": "a\u{9b}b\u{202e}c\x1b"});
        let text = json(&doc);
        assert!(!text.chars().any(|c| hostile(c) && c != '\n'), "{text}");
        let back: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back, doc);
    }

    #[test]
    fn long_lines_are_capped() {
        let long = "x".repeat(MAX_LINE + 10);
        let cut = line(&long);
        assert_eq!(cut.chars().count(), MAX_LINE + 1);
        assert!(cut.ends_with('…'));
    }

    #[test]
    fn the_backstop_keeps_colour_and_own_commands_and_defuses_the_rest() {
        let text = "\x1b[1mFAIL\x1b[0m: x\n  ::add-mask::FAIL\n##[error]x\n::error title=expiry-doctor identity::y\nbell\x07\x1b]8;;http://x\x1b\\";
        let out = output(text, true);
        assert_eq!(
            out,
            "\x1b[1mFAIL\x1b[0m: x\n  \\::add-mask::FAIL\n\\##[error]x\n::error title=expiry-doctor identity::y\nbell␇␛]8;;http://x␛\\"
        );
        // Outside --output github, even our own prefix is text.
        assert!(output("::error title=expiry-doctor x::y", false).starts_with('\\'));
        assert!(matches!(output("PASS: ok\n", false), Cow::Borrowed(_)));
    }
}
