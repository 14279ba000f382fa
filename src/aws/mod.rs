//! What AWS itself defines, as data: session limits, ARNs, and what each error code means for
//! a job. No I/O and no words: the live probes, the checks, the fixes and triage all read
//! their numbers and their error vocabulary from here, so that "1 hour" is written once.

pub mod arn;
pub mod errors;
pub mod limits;

pub use arn::Arn;
pub use errors::Failure;
