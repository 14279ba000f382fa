//! `explain`'s words: an entry as the terminal shows it (What / Why / How to fix), the list of
//! every id, and the `docs/reference/` pages, all from the registries
//! (`commands/explain.rs` gathers them).

use crate::commands::explain::{Entry, Kind, all};

fn wrap(text: &str, width: usize, indent: &str) -> String {
    let mut out = String::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.len() + 1 + word.len() > width {
            out.push_str(indent);
            out.push_str(&line);
            out.push('\n');
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        out.push_str(indent);
        out.push_str(&line);
        out.push('\n');
    }
    out
}

/// What `explain ID` prints.
/// The line before a class explained from an error code or message: what it was read as.
pub fn classified(given: &str, class: &str) -> String {
    format!(
        "\"{}\" is what triage classifies as {class}:\n",
        super::sanitize::line(given)
    )
}

pub fn text(e: &Entry) -> String {
    let mut s = format!("{} ({})\n  {}\n\n", e.id, e.kind.name(), e.title);
    for (head, body) in [("What", e.what), ("Why", e.why), ("How to fix", e.fix)] {
        s.push_str(head);
        s.push('\n');
        s.push_str(&wrap(body, 88, "  "));
        s.push('\n');
    }
    s
}

/// What `explain --list` prints.
pub fn list() -> String {
    let all = all();
    let width = all.iter().map(|e| e.id.len()).max().unwrap_or(0);
    let mut s = String::new();
    for kind in [Kind::Check, Kind::Fix, Kind::Class] {
        s.push_str(match kind {
            Kind::Check => "Checks (expiry-doctor check)\n",
            Kind::Fix => "\nFixes\n",
            Kind::Class => "\nTriage classes (expiry-doctor triage)\n",
        });
        for e in all.iter().filter(|e| e.kind == kind) {
            s.push_str(&format!("  {:width$}  {}\n", e.id, e.title));
        }
    }
    s
}

/// A docs/reference page.
pub fn markdown(e: &Entry) -> String {
    let reasons = if e.reasons.is_empty() {
        String::new()
    } else {
        format!(
            "\n## Reasons in the JSON report\n\nEach `checks[]` entry of this check carries a \
             `reason` whose `kind` is one of: {}.\n",
            e.reasons
                .iter()
                .map(|k| format!("`{k}`"))
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    format!(
        "<!-- Generated from the code's registry by `cargo test --test it generated_docs` \
         (EXPIRY_DOCTOR_UPDATE_DOCS=1 rewrites it). Do not edit by hand. -->\n\
         # `{id}` ({kind})\n\n{title}\n\n## What\n\n{what}\n\n## Why\n\n{why}\n\n## How to fix\n\n{fix}\n\n\
         `expiry-doctor explain {id}` prints this page.\n{reasons}",
        id = e.id,
        kind = e.kind.name(),
        title = e.title,
        what = e.what,
        why = e.why,
        fix = e.fix,
    )
}

/// docs/reference/README.md.
pub fn index_markdown() -> String {
    let mut s = String::from(
        "<!-- Generated from the code's registry by `cargo test --test it generated_docs`. Do not edit by hand. -->\n\
         # Reference\n\nEvery check, fix and triage class, as `expiry-doctor explain ID` prints it.\n",
    );
    for kind in [Kind::Check, Kind::Fix, Kind::Class] {
        s.push_str(match kind {
            Kind::Check => "\n## Checks\n\n| id | question |\n|---|---|\n",
            Kind::Fix => "\n## Fixes\n\n| id | what it does |\n|---|---|\n",
            Kind::Class => "\n## Triage classes\n\n| id | what it means |\n|---|---|\n",
        });
        for e in all().iter().filter(|e| e.kind == kind) {
            s.push_str(&format!(
                "| [`{id}`]({folder}/{id}.md) | {title} |\n",
                id = e.id,
                folder = kind.folder(),
                title = e.title
            ));
        }
    }
    s
}
