//! secfuzz's integration tests: one binary, one module per area.
//!
//! Property suites honour `PROPTEST_CASES` (default 1,000 per property) and
//! persist failures under `proptest-regressions/`.

mod cli;
mod cli_jwt;
mod corpus;
mod path;
mod path_edges;
mod path_open;
mod registry;
mod shrink;
mod targets;
mod triage;
