//! secfuzz's integration tests: one binary, one module per area.
//!
//! Property suites honour `PROPTEST_CASES` (default 1,000 per property) and
//! persist failures under `proptest-regressions/`.

mod cli;
mod cli_check;
mod cli_jwt;
mod corpus;
mod jwt;
mod jwt_mutants;
mod registry;
mod shrink;
mod targets;
mod triage;
