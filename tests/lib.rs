//! secfuzz's integration tests: one binary. `targets/<t>/` holds each
//! target's tests, grouped by what they pin; the other modules test the
//! engine (registry, corpus replay, CLI, triage, shrinking).
//!
//! Property suites honour `PROPTEST_CASES` (default 1,000 per property) and
//! persist failures under `proptest-regressions/`.

mod cli;
mod cli_check;
mod cli_jwt;
mod corpus;
mod plants;
mod registry;
mod shrink;
mod shrinking_challenge;
mod targets;
mod triage;
