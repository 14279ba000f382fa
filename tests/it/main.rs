//! The integration tests: one test binary (`cargo test --test it`), one module per area, all
//! driving the real `expiry-doctor` binary in a fake machine (`common`). One binary links once
//! and starts one shared moto, instead of nineteen.
//!
//! Plain `cargo test` needs only Rust: every test that needs a part `scripts/setup-test-deps`
//! installs (moto, chronyd, libfaketime, the venv's Python) is
//! `#[ignore = "needs scripts/test"]`, and `scripts/test` runs them all with
//! `--include-ignored`. See docs/testing.md.
//!
//! The product reads the environment and the clock only through `Env` (clippy's
//! `disallowed-methods`); these tests are the outside world that sets up the fakes, so they
//! may read both.
#![allow(clippy::disallowed_methods)]

mod common;

mod action;
mod bad_input;
pub(crate) mod check_offline;
mod ci_examples;
mod cli_flags;
mod clock;
mod completion_shells;
mod env_defaults;
mod exec;
mod faults;
mod field;
mod fix_proofs;
mod fleet;
mod generated_docs;
mod hostile;
mod json_report;
mod json_schema;
mod live;
mod man_pages;
mod odd_input;
mod portable;
mod prompt;
mod properties;
mod readme;
mod sdk_differential;
mod secrets;
mod signals;
mod smithy_rs_cases;
mod snapshots;
mod terminal;
mod triage;
mod triage_corpus;
mod triage_scan;
