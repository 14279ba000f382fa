//! `explain`: every check id, fix id and triage class, documented from the registries the code
//! itself runs on (`checks::ALL`, `fixes::CATALOG`, `triage::classes::CLASSES`), so nothing can
//! ship undocumented and the docs cannot drift from the code. `docs/reference/` is rendered
//! from here; a test fails when it is out of date.

use crate::checks;
use crate::fixes;
use crate::triage::classes;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    Check,
    Fix,
    Class,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Check => "check",
            Kind::Fix => "fix",
            Kind::Class => "triage class",
        }
    }

    /// The folder under docs/reference.
    pub fn folder(self) -> &'static str {
        match self {
            Kind::Check => "checks",
            Kind::Fix => "fixes",
            Kind::Class => "triage-classes",
        }
    }
}

#[derive(Clone, Debug)]
pub struct Entry {
    pub id: &'static str,
    pub kind: Kind,
    /// One line: a check's question, a fix's title, a class's first sentence.
    pub title: &'static str,
    pub what: &'static str,
    pub why: &'static str,
    pub fix: &'static str,
}

/// Every documented id: checks in pipeline order, then fixes, then triage classes.
pub fn all() -> Vec<Entry> {
    let mut v = Vec::new();
    for c in checks::ALL {
        v.push(Entry {
            id: c.id.as_str(),
            kind: Kind::Check,
            title: c.question,
            what: c.doc.what,
            why: c.doc.why,
            fix: c.doc.fix,
        });
    }
    for f in fixes::CATALOG {
        v.push(Entry {
            id: f.name,
            kind: Kind::Fix,
            title: f.title,
            what: f.title,
            why: f.why,
            fix: f.how,
        });
    }
    for c in classes::CLASSES {
        v.push(Entry {
            id: c.name,
            kind: Kind::Class,
            title: c.what.split(". ").next().unwrap_or(c.what),
            what: c.what,
            why: c.why,
            fix: c.fix,
        });
    }
    v
}

/// The entries for `id` (a check and a triage class may share one: `clock-skew`), or the
/// closest known id.
pub fn find(id: &str) -> Result<Vec<Entry>, Option<&'static str>> {
    let all = all();
    let found: Vec<Entry> = all.iter().filter(|e| e.id == id).cloned().collect();
    if !found.is_empty() {
        return Ok(found);
    }
    let closest = all
        .iter()
        .map(|e| (strsim::damerau_levenshtein(id, e.id), e.id))
        .filter(|(d, _)| *d <= 4)
        .min();
    Err(closest.map(|(_, id)| id))
}

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
pub fn text(e: &Entry) -> String {
    let mut s = format!("{} ({})\n  {}\n\n", e.id, e.kind.as_str(), e.title);
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
    format!(
        "<!-- Generated from the code's registry by `cargo test --test it generated_docs` \
         (EXPIRY_DOCTOR_UPDATE_DOCS=1 rewrites it). Do not edit by hand. -->\n\
         # `{id}` ({kind})\n\n{title}\n\n## What\n\n{what}\n\n## Why\n\n{why}\n\n## How to fix\n\n{fix}\n\n\
         `expiry-doctor explain {id}` prints this page.\n",
        id = e.id,
        kind = e.kind.as_str(),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_id_is_documented_and_unique_within_its_kind() {
        let all = all();
        assert_eq!(
            all.iter().filter(|e| e.kind == Kind::Check).count(),
            checks::ALL.len()
        );
        for e in &all {
            assert!(
                !e.what.is_empty() && !e.why.is_empty() && !e.fix.is_empty(),
                "{}",
                e.id
            );
            assert_eq!(
                all.iter()
                    .filter(|x| x.id == e.id && x.kind == e.kind)
                    .count(),
                1
            );
        }
    }

    #[test]
    fn mistyped_ids_get_the_closest_suggestion() {
        assert_eq!(
            find("expect-runtime").unwrap_err(),
            Some("expected-runtime")
        );
        assert_eq!(find("sso-logn").unwrap_err(), Some("sso-login"));
        assert_eq!(find("qqqqqqqqqqqqqqqqqqqq").unwrap_err(), None);
        assert_eq!(find("clock-skew").unwrap().len(), 2);
    }
}
