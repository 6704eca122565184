//! # secfuzz
//!
//! Hardened input-handling targets, `arbitrary`-derived adversarial generators
//! and independent oracles, shared between cargo-fuzz harnesses and proptest
//! properties.
//!
//! The crate has two halves:
//!
//! * [`engine`] — what every target shares: the [`contract`] ([`Target`],
//!   [`Violation`], [`Verdict`], [`Checker`]), target [`options`], the
//!   [`harness`] (decoding, the fuzz entry, the byte-string
//!   [`harness::Shrinker`], the proptest strategy and property), the
//!   [`registry`], [`corpus`] replay, [`campaign`]s and crash [`triage`].
//! * [`targets`] — one folder per target: [`path`], [`jwt`], [`jwks`].
//!
//! ## Pointing the generators and oracles at your own code
//!
//! ```
//! use secfuzz::harness;
//! use secfuzz::path::{oracle, PathInput};
//!
//! // A deliberately naive resolver standing in for your code.
//! fn my_resolve(user: &str) -> Option<String> {
//!     let key = user.trim_start_matches('/').replace("../", "");
//!     (!key.is_empty()).then_some(key)
//! }
//!
//! // The same strategy and shrinker secfuzz's own properties use.
//! let mut runner = proptest::test_runner::TestRunner::default();
//! let result = runner.run(&harness::inputs::<PathInput>(512), |case| {
//!     let payload = String::from_utf8_lossy(&case.value.payload()).into_owned();
//!     if let Some(key) = my_resolve(&payload) {
//!         oracle::confined(&key)?; // an independent oracle judging your output
//!     }
//!     Ok(())
//! });
//! // The naive resolver lets traversal through; the failure comes back shrunk.
//! let Err(proptest::test_runner::TestError::Fail(why, case)) = result else { panic!() };
//! assert!(why.to_string().contains("path.confined"));
//! assert!(case.bytes.len() < 64, "{case:?}");
//! ```
//!
//! Each target lives in its own folder under [`targets`] with its hardened
//! API, its generators (`gen`), its oracles (`oracle`) and its errors
//! (`error`); its threat model is written in that module's documentation.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod engine;
pub mod targets;

pub use engine::{
    campaign, contract, corpus, harness, options, payloads, plant, registry, triage, util,
};
pub use targets::session;
pub use targets::{jwks, jwt, path};

pub use contract::{Checker, Invariant, Target, Verdict, Violation};
pub use registry::DynTarget;

/// The README's Rust examples, compiled and run by `cargo test --doc`.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeExamples;
