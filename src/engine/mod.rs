//! The engine: everything that is the same for every target.
//!
//! * [`contract`] — what a target is ([`Target`](contract::Target),
//!   [`Violation`](contract::Violation), [`Verdict`](contract::Verdict),
//!   [`Checker`](contract::Checker)); knows no target.
//! * [`options`] — the options a target declares and its checker is built from.
//! * [`harness`] — bytes → structured input, the fuzz entry, the byte-string
//!   shrinker, the proptest strategy and the one property every target runs.
//! * [`registry`] — the one list of targets, above them.
//! * [`corpus`] — replaying committed corpora and promoted regressions.
//! * [`payloads`] — reading raw payloads (lines, JSON lines, files) for `check`.
//! * [`plant`] — planted vulnerabilities (feature `plant`, tests only) that
//!   measure what the generators and oracles catch.
//! * [`campaign`] — `secfuzz fuzz`.
//! * [`triage`] — `secfuzz triage` (and `replay`'s isolated child).
//! * [`util`] — byte formatting and the hex codec.
//!
//! Dependencies point one way: `contract` and `options` at the bottom, the
//! targets (`crate::targets`) on them, `registry` above the targets, and
//! `corpus`, `campaign` and `triage` above the registry.

pub mod campaign;
pub mod contract;
pub mod corpus;
pub mod harness;
pub mod options;
pub mod payloads;
pub mod plant;
pub mod registry;
pub mod triage;
pub mod util;
