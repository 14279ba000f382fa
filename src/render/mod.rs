//! Turning a [`Report`](crate::verdict::Report) (or a triage report) into text. One printer
//! per format; each renders the same report and decides nothing. Nothing else writes to
//! stdout.

pub mod json;
pub mod table;
pub mod triage;

use crate::fixes::{Fix, FixId};
use serde::Serialize;

/// A fix as both JSON reports carry it: id, title, why, commands.
#[derive(Serialize)]
pub(crate) struct JsonFix<'a> {
    id: FixId,
    title: &'a str,
    why: &'static str,
    commands: &'a [String],
}

impl<'a> From<&'a Fix> for JsonFix<'a> {
    fn from(f: &'a Fix) -> Self {
        JsonFix {
            id: f.id,
            title: &f.title,
            why: f.id.doc().why,
            commands: &f.commands,
        }
    }
}
