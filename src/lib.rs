//! expiry-doctor: will the AWS credentials this job is about to use last as long as the job,
//! and if not, why not and what exactly to change?
//!
//! Read `commands/check.rs` for the whole `check` flow, `commands/exec/mod.rs` for `exec`,
//! `checks/mod.rs` for the diagnosis, and `facts.rs` for the data that connects them.
//! `docs/architecture.md` draws the layers and states the rules the lints enforce.

pub mod aws;
pub mod checks;
pub mod cli;
pub mod commands;
pub mod env;
pub mod facts;
pub mod fixes;
pub mod gather;
pub mod record;
pub mod redact;
pub mod render;
pub mod replay;
pub mod timestamps;
pub mod triage;
pub mod verdict;
pub mod watch;
