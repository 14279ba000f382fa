//! expiry-doctor: will the AWS credentials this job is about to use last as long as the job,
//! and if not, why not and what exactly to change?
//!
//! Read `pipeline.rs` for the whole `check` flow, `exec/mod.rs` for `exec`, `checks/mod.rs` for the diagnosis, and
//! `facts.rs` for the data that connects them.

pub mod checks;
pub mod cli;
pub mod env;
pub mod exec;
pub mod explain;
pub mod facts;
pub mod fixes;
pub mod gather;
pub mod human;
pub mod pipeline;
pub mod redact;
pub mod render;
pub mod replay;
pub mod roles;
pub mod timestamps;
pub mod triage;
pub mod verdict;
