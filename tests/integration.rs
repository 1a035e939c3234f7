//! The integration tests, one binary (as ripgrep's are): each module tests the `boilerstrip`
//! binary or the library from outside, and `common` holds their helpers. One binary links once
//! and shares one build of the helpers; run one module with `cargo test --test integration
//! cli::` (or any part of a test's path).

mod common;

mod api;
mod cli;
mod corpus;
mod docs;
mod dry_run;
mod faults;
mod fuzz_regressions;
mod hostile;
mod jsonl;
mod memory;
mod mine;
mod model;
mod parquet;
mod properties;
mod report;
mod warc;
