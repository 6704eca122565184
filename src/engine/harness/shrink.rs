//! The byte-string shrinker shared by proptest properties and triage.

use std::time::{Duration, Instant};

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
    /// Delete a span of k bytes (large powers of two, then 16 down to 1), from the end backwards.
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

/// Span sizes, largest first: powers of two above 16 that fit in `n`, then
/// every size from 16 down to 1 (structured encodings have elements of odd
/// sizes, e.g. a 1-byte "continue" flag plus a 4-byte tag), capped at `cap`.
fn span_sizes(n: usize, cap: usize) -> impl Iterator<Item = usize> {
    let top = if n == 0 {
        0
    } else {
        usize::BITS - 1 - n.leading_zeros()
    };
    let big = (5..=top).rev().map(|e| 1usize << e);
    big.chain((1..=16usize).rev())
        .filter(move |&k| k <= cap && k <= n)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::harness::{decode_value, DecodeError, MAX_INPUT_LEN};

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
