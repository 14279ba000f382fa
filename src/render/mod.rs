//! Turning a [`Report`](crate::verdict::Report) into text. One printer per format; each
//! renders the same Report and decides nothing. Nothing else writes to stdout.

pub mod json;
pub mod table;
