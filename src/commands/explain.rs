//! `explain`: every check id, fix id and triage class, documented from the registries the code
//! itself runs on (`CheckId::check`, `FixId::doc`, `triage::classes::doc`, each an exhaustive
//! match), so nothing can ship undocumented and the docs cannot drift from the code.
//! `docs/reference/` is rendered from here; a test fails when it is out of date.

use super::Output;
use crate::checks;
use crate::cli::ExplainArgs;
use crate::fixes::FixId;
use crate::render;
use crate::triage::classes::{self, Class};
use strum::IntoEnumIterator;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    Check,
    Fix,
    Class,
}

impl Kind {
    pub fn name(self) -> &'static str {
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
    /// A check's reason kinds (empty for fixes and classes).
    pub reasons: Vec<&'static str>,
}

/// Every documented id: checks in pipeline order, then fixes, then triage classes.
pub fn all() -> Vec<Entry> {
    let mut v = Vec::new();
    for id in checks::all() {
        let c = id.check();
        v.push(Entry {
            id: id.name(),
            kind: Kind::Check,
            title: c.question,
            what: c.doc.what,
            why: c.doc.why,
            fix: c.doc.fix,
            reasons: id.reason_kinds(),
        });
    }
    for id in FixId::iter() {
        let d = id.doc();
        v.push(Entry {
            id: id.name(),
            kind: Kind::Fix,
            title: d.title,
            what: d.title,
            why: d.why,
            fix: d.how,
            reasons: Vec::new(),
        });
    }
    for class in Class::iter() {
        let d = classes::doc(class);
        v.push(Entry {
            id: class.name(),
            kind: Kind::Class,
            title: d.what.split(". ").next().unwrap_or(d.what),
            what: d.what,
            why: d.why,
            fix: d.fix,
            reasons: Vec::new(),
        });
    }
    v
}

/// Every id `explain` accepts (a check and a triage class may share one: `clock-skew`).
pub fn ids() -> Vec<&'static str> {
    let mut ids: Vec<&'static str> = all().iter().map(|e| e.id).collect();
    ids.dedup();
    let mut seen = std::collections::HashSet::new();
    ids.retain(|id| seen.insert(*id));
    ids
}

/// The entries for `id`.
pub fn find(id: &str) -> Vec<Entry> {
    all().into_iter().filter(|e| e.id == id).collect()
}

/// The triage class an AWS error code or message belongs to, as triage reads a log line.
pub fn class_of(text: &str) -> Option<Class> {
    crate::triage::classify::Classifier::new()
        .classify(text.as_bytes())
        .map(|h| h.class)
}

pub fn run(args: &ExplainArgs) -> Output {
    if args.list {
        return Output::stdout(render::explain::list(), 0);
    }
    let id = args.id.as_deref().unwrap_or_default();
    let mut entries = find(id);
    let mut intro = None;
    if entries.is_empty()
        && let Some(class) = class_of(id)
    {
        intro = Some(render::explain::classified(id, class.name()));
        entries = find(class.name())
            .into_iter()
            .filter(|e| e.kind == Kind::Class)
            .collect();
    }
    let text: Vec<String> = intro
        .into_iter()
        .chain(entries.iter().map(render::explain::text))
        .collect();
    Output::stdout(text.join("\n"), 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_id_is_documented_and_unique_within_its_kind() {
        let all = all();
        assert_eq!(
            all.iter().filter(|e| e.kind == Kind::Check).count(),
            checks::all().count()
        );
        assert_eq!(
            all.iter().filter(|e| e.kind == Kind::Fix).count(),
            FixId::iter().count()
        );
        assert_eq!(
            all.iter().filter(|e| e.kind == Kind::Class).count(),
            Class::iter().count()
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
    fn shared_ids_are_explained_once_each_kind() {
        assert_eq!(find("clock-skew").len(), 2);
        assert_eq!(ids().iter().filter(|i| **i == "clock-skew").count(), 1);
    }
}
