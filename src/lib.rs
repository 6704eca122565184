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
//!
//! Each target lives in its own module with its hardened API, its generators
//! (`gen`) and its oracles (`oracle`); its threat model is written in that
//! module's documentation.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod harness;
pub mod jwt;
pub mod target;
pub mod util;

pub use target::{target, targets, DynTarget, Invariant, Target, Verdict, Violation};
