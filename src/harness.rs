//! Bytes are the common currency: decoding, fuzzing, property testing and
//! shrinking all work on the same byte strings.
//!
//! * [`decode`] turns bytes into a target's structured `Input`, exactly as the
//!   libFuzzer shim in `fuzz/` does (it calls [`fuzz`]), so a crash file, a
//!   proptest case and a corpus entry replay identically.
//! * [`Shrinker`] minimises a failing byte string the way Hypothesis shrinks its
//!   choice sequence: delete spans, zero spans, lower bytes, repeated to a
//!   fixpoint, keeping only candidates that still fail. Because the bytes are
//!   re-decoded after every edit, structured inputs shrink well, not just their
//!   prefixes.
//! * [`inputs`] is a proptest strategy over the same bytes whose shrinking is
//!   driven by [`Shrinker`].

use std::fmt;
use std::marker::PhantomData;
use std::time::{Duration, Instant};

use arbitrary::{Arbitrary, Unstructured};
use proptest::strategy::{NewTree, Strategy, ValueTree};
use proptest::test_runner::TestRunner;

use crate::target::Target;

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

// ---------------------------------------------------------------------------
// Shrinking

/// Shortlex order: shorter first, then bytewise. Every accepted candidate is
/// strictly smaller than the one before, so shrinking always terminates.
fn shortlex_less(a: &[u8], b: &[u8]) -> bool {
    (a.len(), a) < (b.len(), b)
}

/// The edit passes, in the order they are tried.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Pass {
    /// Drop a suffix of n, n/2, n/4, … 1 bytes.
    Truncate,
    /// Delete a span of k bytes (k = large powers of two down to 1), from the end backwards.
    DeleteSpan,
    /// Set a span of k bytes (8, 4, 2, 1) to zero.
    ZeroSpan,
    /// Replace one byte with 0, 1, half of it, or one less.
    LowerByte,
}

const PASSES: [Pass; 4] = [
    Pass::Truncate,
    Pass::DeleteSpan,
    Pass::ZeroSpan,
    Pass::LowerByte,
];

/// Span sizes for deletion: powers of two from the largest below `n` down to 1.
fn span_sizes(n: usize, cap: usize) -> impl Iterator<Item = usize> {
    let top = if n == 0 {
        0
    } else {
        usize::BITS - 1 - n.leading_zeros()
    };
    (0..=top)
        .rev()
        .map(|e| 1usize << e)
        .filter(move |&k| k <= cap)
}

/// The `step`-th candidate edit of `best` in `pass`, `Some(None)` if that step
/// yields nothing new, `None` once the pass is exhausted.
fn candidate(pass: Pass, best: &[u8], step: usize) -> Option<Option<Vec<u8>>> {
    let n = best.len();
    match pass {
        Pass::Truncate => {
            // Drop all of it, then half, a quarter, … one byte.
            let drop = n.checked_shr(step as u32).unwrap_or(0);
            if drop == 0 {
                return None;
            }
            Some(Some(best[..n - drop].to_vec()))
        }
        Pass::DeleteSpan | Pass::ZeroSpan => {
            let cap = if pass == Pass::ZeroSpan {
                8
            } else {
                usize::MAX
            };
            let mut s = step;
            for k in span_sizes(n, cap) {
                let positions = n - k + 1;
                if s < positions {
                    let i = n - k - s; // from the end backwards
                    let mut c = best.to_vec();
                    if pass == Pass::DeleteSpan {
                        c.drain(i..i + k);
                    } else {
                        if c[i..i + k].iter().all(|&b| b == 0) {
                            return Some(None);
                        }
                        c[i..i + k].fill(0);
                    }
                    return Some(Some(c));
                }
                s -= positions;
            }
            None
        }
        Pass::LowerByte => {
            let (i, which) = (step / 4, step % 4);
            let b = *best.get(i)?;
            let v = match which {
                0 => 0,
                1 => 1,
                2 => b / 2,
                _ => b.wrapping_sub(1),
            };
            if v >= b {
                return Some(None);
            }
            let mut c = best.to_vec();
            c[i] = v;
            Some(Some(c))
        }
    }
}

/// Minimises a failing byte string by structured edits, one candidate at a time.
///
/// Drive it with [`Shrinker::next_candidate`]; call [`Shrinker::accept`] with a
/// candidate that still fails. Candidates are always strictly smaller (shortlex)
/// than the current best, and passes repeat until a full sweep finds nothing,
/// so the loop ends at a local minimum. [`shrink`] is the ready-made loop.
#[derive(Clone, Debug)]
pub struct Shrinker {
    best: Vec<u8>,
    pass: usize,
    step: usize,
    improved: bool,
    done: bool,
}

impl Shrinker {
    /// Start from a byte string known to fail.
    pub fn new(failing: Vec<u8>) -> Self {
        Shrinker {
            best: failing,
            pass: 0,
            step: 0,
            improved: false,
            done: false,
        }
    }

    /// The smallest failing byte string found so far.
    pub fn best(&self) -> &[u8] {
        &self.best
    }

    /// Consume the shrinker, returning the smallest failing byte string.
    pub fn into_best(self) -> Vec<u8> {
        self.best
    }

    /// The next candidate to try, or `None` at a fixpoint.
    pub fn next_candidate(&mut self) -> Option<Vec<u8>> {
        while !self.done {
            match candidate(PASSES[self.pass], &self.best, self.step) {
                Some(c) => {
                    self.step += 1;
                    if let Some(c) = c.filter(|c| shortlex_less(c, &self.best)) {
                        return Some(c);
                    }
                }
                None => {
                    self.step = 0;
                    self.pass += 1;
                    if self.pass == PASSES.len() {
                        if self.improved && !self.best.is_empty() {
                            self.pass = 0;
                            self.improved = false;
                        } else {
                            self.done = true;
                        }
                    }
                }
            }
        }
        None
    }

    /// Record that `candidate` (from [`Shrinker::next_candidate`]) still fails.
    /// It becomes the new best if it is smaller than the current one.
    pub fn accept(&mut self, candidate: Vec<u8>) {
        if shortlex_less(&candidate, &self.best) {
            self.best = candidate;
            self.improved = true;
            // Stay in the same pass; deletions run from the end backwards, so
            // the step index still points near the same place.
        }
    }
}

/// Limits on one shrinking run. Shrinking stops at whichever comes first.
#[derive(Clone, Copy, Debug)]
pub struct Budget {
    /// Most candidates to test. Default 100,000.
    pub max_tests: usize,
    /// Wall-clock limit. Default 60 s.
    pub max_time: Duration,
}

impl Default for Budget {
    fn default() -> Self {
        Budget {
            max_tests: 100_000,
            max_time: Duration::from_secs(60),
        }
    }
}

/// Result of [`shrink`].
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Shrunk {
    /// The smallest failing byte string found.
    pub bytes: Vec<u8>,
    /// How many candidates were tested.
    pub tests: usize,
    /// `true` if a fixpoint was reached, `false` if the budget ran out first.
    pub complete: bool,
}

/// Shrink `failing` while `still_fails` holds, within `budget`.
pub fn shrink(
    failing: Vec<u8>,
    mut still_fails: impl FnMut(&[u8]) -> bool,
    budget: Budget,
) -> Shrunk {
    let start = Instant::now();
    let mut shrinker = Shrinker::new(failing);
    let mut tests = 0;
    let complete = loop {
        if tests >= budget.max_tests || start.elapsed() >= budget.max_time {
            break false;
        }
        let Some(c) = shrinker.next_candidate() else {
            break true;
        };
        tests += 1;
        if still_fails(&c) {
            shrinker.accept(c);
        }
    };
    Shrunk {
        bytes: shrinker.into_best(),
        tests,
        complete,
    }
}

// ---------------------------------------------------------------------------
// proptest

/// A generated value together with the bytes it was decoded from.
#[derive(Clone)]
pub struct Case<I> {
    /// The bytes (what a corpus file or crash artifact would hold).
    pub bytes: Vec<u8>,
    /// The decoded structured value.
    pub value: I,
}

impl<I: fmt::Debug> fmt::Debug for Case<I> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Case")
            .field("value", &self.value)
            .field("bytes", &crate::util::EscapedBytes(&self.bytes))
            .finish()
    }
}

/// A proptest strategy producing `I` values decoded from random byte strings
/// of up to `max_len` bytes, shrunk with [`Shrinker`].
pub fn inputs<I>(max_len: usize) -> Inputs<I>
where
    I: for<'a> Arbitrary<'a> + fmt::Debug + Clone,
{
    Inputs {
        max_len: max_len.min(MAX_INPUT_LEN),
        _marker: PhantomData,
    }
}

/// See [`inputs`].
#[derive(Debug)]
pub struct Inputs<I> {
    max_len: usize,
    _marker: PhantomData<fn() -> I>,
}

impl<I> Strategy for Inputs<I>
where
    I: for<'a> Arbitrary<'a> + fmt::Debug + Clone,
{
    type Tree = InputTree<I>;
    type Value = Case<I>;

    fn new_tree(&self, runner: &mut TestRunner) -> NewTree<Self> {
        let bytes = proptest::collection::vec(proptest::num::u8::ANY, 0..=self.max_len);
        for _ in 0..100 {
            let b = bytes.new_tree(runner)?.current();
            if let Ok(value) = decode_value::<I>(&b) {
                return Ok(InputTree {
                    shrinker: Shrinker::new(b.clone()),
                    current: Case { bytes: b, value },
                    best_value: None,
                    untested: false,
                });
            }
        }
        Err("100 random byte strings in a row failed to decode".into())
    }
}

/// proptest value tree over a byte string, shrinking with [`Shrinker`].
pub struct InputTree<I> {
    shrinker: Shrinker,
    current: Case<I>,
    /// Decoded form of the shrinker's best, when `current` is a candidate.
    best_value: Option<I>,
    /// `current` is a candidate that has been handed out for testing.
    untested: bool,
}

impl<I> InputTree<I>
where
    I: for<'a> Arbitrary<'a> + fmt::Debug + Clone,
{
    /// Move `current` to the next candidate that decodes, or back to the best.
    fn advance(&mut self) -> bool {
        while let Some(c) = self.shrinker.next_candidate() {
            if let Ok(value) = decode_value::<I>(&c) {
                let old = std::mem::replace(&mut self.current, Case { bytes: c, value });
                if !self.untested {
                    self.best_value = Some(old.value);
                }
                self.untested = true;
                return true;
            }
        }
        if self.untested {
            let value = self.best_value.take().expect("best is kept while testing");
            self.current = Case {
                bytes: self.shrinker.best().to_vec(),
                value,
            };
            self.untested = false;
        }
        false
    }
}

impl<I> ValueTree for InputTree<I>
where
    I: for<'a> Arbitrary<'a> + fmt::Debug + Clone,
{
    type Value = Case<I>;

    fn current(&self) -> Case<I> {
        self.current.clone()
    }

    fn simplify(&mut self) -> bool {
        // proptest calls `simplify` after `current` failed: keep it.
        if self.untested {
            self.shrinker.accept(self.current.bytes.clone());
            self.best_value = None;
            self.untested = false;
        }
        self.advance()
    }

    fn complicate(&mut self) -> bool {
        // `current` passed: it is not kept; try the next candidate.
        self.advance()
    }
}

/// proptest configuration for a secfuzz property: `PROPTEST_CASES` cases if
/// set, else `default_cases`; failures persisted to `persist_file` (relative
/// to the package root, e.g. `proptest-regressions/path.txt`).
pub fn proptest_config(
    default_cases: u32,
    persist_file: &'static str,
) -> proptest::test_runner::Config {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default_cases);
    proptest::test_runner::Config {
        cases,
        failure_persistence: Some(Box::new(
            proptest::test_runner::FileFailurePersistence::Direct(persist_file),
        )),
        ..proptest::test_runner::Config::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shrinker_reaches_a_small_fixpoint() {
        // Fails whenever the bytes contain a 7 somewhere after a 3.
        let fails = |b: &[u8]| {
            b.iter()
                .position(|&x| x == 3)
                .is_some_and(|i| b[i..].contains(&7))
        };
        let mut start: Vec<u8> = (0..200u8).collect();
        start.extend_from_slice(&[3, 9, 9, 7, 200]);
        let out = shrink(start, fails, Budget::default());
        assert!(out.complete);
        assert_eq!(out.bytes, vec![3, 7]);
    }

    #[test]
    fn candidates_are_strictly_smaller_and_finite() {
        let mut s = Shrinker::new(vec![5, 0, 9, 1]);
        let mut n = 0;
        while let Some(c) = s.next_candidate() {
            assert!(shortlex_less(&c, s.best()));
            n += 1;
            assert!(n < 10_000);
        }
        assert!(n > 4);
    }

    #[test]
    fn decode_refuses_oversized_input() {
        let big = vec![0u8; MAX_INPUT_LEN + 1];
        assert_eq!(
            decode_value::<Vec<u8>>(&big).unwrap_err(),
            DecodeError::TooLarge {
                len: MAX_INPUT_LEN + 1,
                max: MAX_INPUT_LEN
            }
        );
    }
}
