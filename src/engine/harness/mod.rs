//! Bytes are the common currency: decoding, fuzzing, property testing and
//! shrinking all work on the same byte strings.
//!
//! * [`decode`] turns bytes into a target's structured `Input`, exactly as the
//!   libFuzzer shim in `fuzz/` does (it calls [`fuzz`]), so a crash file, a
//!   proptest case and a corpus entry replay identically.
//! * [`Shrinker`] minimises a failing byte string the way Hypothesis shrinks its
//!   choice sequence: delete spans, zero spans, lower bytes, bisect integers,
//!   lower duplicates together, shift and move value between pairs, fuse
//!   elements, repeated to a fixpoint, keeping only candidates that still
//!   fail. Because the bytes are re-decoded after every edit, structured
//!   inputs shrink well, not just their prefixes.
//! * [`inputs`] is a proptest strategy over the same bytes whose shrinking is
//!   driven by [`Shrinker`]; [`property`] is the one property every target's
//!   test runs (structured and raw-payload paths, regressions persisted in
//!   `proptest-regressions/<target>.txt`).

mod shrink;
mod strategy;

pub use shrink::{shrink, Budget, Shrinker, Shrunk};
pub use strategy::{
    inputs, property, proptest_config, run_property, Case, InputTree, Inputs, PropertyFailure,
    PropertyRun,
};

use std::fmt;

use arbitrary::{Arbitrary, Unstructured};

use crate::engine::contract::Target;

/// Largest byte string [`decode`] accepts (64 KiB). Longer inputs are refused
/// before any decoding work, so a fuzzer cannot spend its time on huge inputs.
pub const MAX_INPUT_LEN: usize = 64 * 1024;

/// Why a byte string could not be decoded into a structured input.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum DecodeError {
    /// The input is longer than [`MAX_INPUT_LEN`].
    TooLarge {
        /// Length of the refused input.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// `arbitrary` could not build an input from these bytes.
    Arbitrary(arbitrary::Error),
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecodeError::TooLarge { len, max } => {
                write!(f, "input is {len} bytes, larger than the {max}-byte limit")
            }
            DecodeError::Arbitrary(e) => write!(f, "bytes do not decode to an input: {e}"),
        }
    }
}

impl std::error::Error for DecodeError {}

/// Decode `bytes` into a target's structured input (all bytes are consumed).
pub fn decode<T: Target>(bytes: &[u8]) -> Result<T::Input, DecodeError> {
    decode_value::<T::Input>(bytes)
}

/// Decode `bytes` into any `Arbitrary` type, with the [`MAX_INPUT_LEN`] cap.
/// Use this to point secfuzz's generators at your own code.
pub fn decode_value<I: for<'a> Arbitrary<'a>>(bytes: &[u8]) -> Result<I, DecodeError> {
    if bytes.len() > MAX_INPUT_LEN {
        return Err(DecodeError::TooLarge {
            len: bytes.len(),
            max: MAX_INPUT_LEN,
        });
    }
    I::arbitrary_take_rest(Unstructured::new(bytes)).map_err(DecodeError::Arbitrary)
}

/// The body of every fuzz target: decode, check, and report a violation the
/// way libFuzzer understands, by panicking.
///
/// Returns `false` when the input should be kept out of the corpus (too large
/// or undecodable) and `true` otherwise.
///
/// # Panics
///
/// On a security-invariant violation, by design: the panic message names the
/// invariant, its detail, and the decoded input.
pub fn fuzz<T: Target>(bytes: &[u8]) -> bool {
    let Ok(input) = decode::<T>(bytes) else {
        return false;
    };
    if let Err(v) = T::check(&input) {
        panic!(
            "secfuzz violation in target {}: {v}\ninput: {input:#?}",
            T::NAME
        );
    }
    true
}
