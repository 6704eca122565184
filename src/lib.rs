//! # secfuzz
//!
//! Hardened input-handling targets, `arbitrary`-derived adversarial generators
//! and independent oracles, shared between cargo-fuzz harnesses and proptest
//! properties.
//!
//! * [`target`] — the [`Target`] abstraction, [`Violation`], [`Verdict`] and the
//!   registry [`targets()`].
//! * [`harness`] — bytes → structured input, the fuzz entry point, the
//!   byte-string [`harness::Shrinker`] and a proptest strategy over it.
//! * [`triage`] — crash-corpus triage: isolated replay, classification,
//!   Rust-aware signatures, clustering, minimization, reports, promotion.
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
//! Each target lives in its own module with its hardened API, its generators
//! (`gen`) and its oracles (`oracle`); its threat model is written in that
//! module's documentation.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod campaign;
pub mod harness;
pub mod jwt;
pub mod path;
pub mod target;
pub mod triage;
pub mod util;

pub use target::{target, targets, DynTarget, Invariant, Target, Verdict, Violation};

/// The README's Rust examples, compiled and run by `cargo test --doc`.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeExamples;
