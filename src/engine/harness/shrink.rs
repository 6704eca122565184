//! The byte-string shrinker shared by proptest properties and triage.
//!
//! It works like Hypothesis' shrinker on its choice sequence: every candidate
//! is a byte string strictly smaller than the current best in the *shrink
//! order* — shorter first, then compared from the **last** byte backwards —
//! and is kept when it still fails after re-decoding. Lengths never grow and
//! the order is total, so shrinking always terminates.
//!
//! Why from the last byte: `arbitrary` decodes integers little-endian
//! (`1_i32` is `01 00 00 00`, `16_777_216` is `00 00 00 01`) and takes
//! collection lengths from the end of the data, so comparing later bytes
//! first makes "smaller bytes" mean "smaller integers" and "shorter
//! strings". Plain bytewise order would prefer `16_777_216` to `1`. The one
//! place it fights the encoding is `Unstructured::int_in_range`, which reads
//! its bytes big-endian and reduces them modulo the range: such a value ends
//! at the smallest *encoding*, not always the smallest value (see the
//! shrinking challenge in the README).
//!
//! The passes, in order, cheap ones first:
//!
//! 1. truncate; delete spans (large powers of two, then 16 down to 1 bytes);
//!    zero spans; lower single bytes (0, 1, half, one less);
//! 2. **lower blocks by binary search**: a 1-, 2- or 4-byte block read as a
//!    little-endian integer (so lowering it is always smaller in the shrink
//!    order), at every offset;
//! 3. **lower duplicates together**: every occurrence of an equal block is
//!    lowered in one edit (a value that must occur twice, as in "delete one
//!    `x` and `x` is still there");
//! 4. **shift pairs**: two blocks lowered by the same amount (keeps their
//!    difference), and **move value** from a later block to an earlier one
//!    (keeps their sum, as in sums that must stay below a bound);
//! 5. **delete and bump**: delete a span and raise one nearby byte, which
//!    fuses two decoded elements into one (`..` + `..` → `....` when the
//!    enum tag has to move up to another variant).
//!
//! Passes 2–4 assume that what fails at a value also fails at values between
//! it and a smaller one that fails (monotonicity); each search first tries
//! zero and one step down, and gives up on a block at once when neither
//! works, so a non-monotone block costs two tests. Passes 4–5 are quadratic
//! and run only on inputs of at most [`PAIR_PASS_MAX_LEN`] bytes.

use std::time::{Duration, Instant};

/// Pair passes (shift, move, delete-and-bump) run only on inputs this short.
pub const PAIR_PASS_MAX_LEN: usize = 96;

/// The shrink order: shorter first, then compared from the last byte
/// backwards. Every accepted candidate is strictly smaller than the one
/// before, so shrinking always terminates.
fn shrink_less(a: &[u8], b: &[u8]) -> bool {
    a.len() < b.len() || (a.len() == b.len() && a.iter().rev().lt(b.iter().rev()))
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
    /// Bisect a block (1, 2, 4 bytes, little-endian) down.
    LowerBlock,
    /// Bisect every occurrence of an equal block down together.
    LowerDuplicates,
    /// Lower two nearby blocks by the same amount.
    ShiftPair,
    /// Lower a block and raise an earlier one by the same amount.
    MoveValue,
    /// Delete a span and raise one byte next to it.
    DeleteAndBump,
}

const PASSES: [Pass; 9] = [
    Pass::Truncate,
    Pass::DeleteSpan,
    Pass::ZeroSpan,
    Pass::LowerByte,
    Pass::LowerBlock,
    Pass::LowerDuplicates,
    Pass::ShiftPair,
    Pass::MoveValue,
    Pass::DeleteAndBump,
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

/// Widths of the blocks the search passes read as little-endian integers.
const WIDTHS: [usize; 3] = [1, 2, 4];
/// Widths for the pair passes, and how far apart two blocks may start.
const PAIR_WIDTHS: [usize; 2] = [1, 2];
const PAIR_DISTANCE: usize = 16;
/// Delete-and-bump: spans of 1..=8 bytes, bumping within 4 bytes of the cut.
const BUMP_SPAN: usize = 8;
const BUMP_WINDOW: usize = 4;
const BUMP_VALUES: usize = 3;

fn read_le(b: &[u8], i: usize, w: usize) -> u64 {
    b[i..i + w]
        .iter()
        .rev()
        .fold(0, |v, &x| (v << 8) | u64::from(x))
}

fn write_le(b: &mut [u8], i: usize, w: usize, mut v: u64) {
    for x in &mut b[i..i + w] {
        *x = (v & 0xFF) as u8;
        v >>= 8;
    }
}

fn block_max(w: usize) -> u64 {
    (1u64 << (8 * w)) - 1
}

/// The `step`-th candidate edit of `best` in a stateless pass, `Some(None)`
/// if that step yields nothing new, `None` once the pass is exhausted.
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
        Pass::DeleteAndBump => {
            if n > PAIR_PASS_MAX_LEN {
                return None;
            }
            // step = ((k - 1) * n + s) * window * values + …, spans from the end.
            let per_cut = 2 * BUMP_WINDOW * BUMP_VALUES;
            let (cut, rest) = (step / per_cut, step % per_cut);
            let (k, s) = (cut / n.max(1) + 1, cut % n.max(1));
            if k > BUMP_SPAN || k >= n {
                return None;
            }
            if s + k > n {
                return Some(None);
            }
            let i = n - k - s;
            let (offset, which) = (rest / BUMP_VALUES, rest % BUMP_VALUES);
            // Bytes i-4..i-1 and i..i+3 of the shortened string.
            let Some(j) = (i + offset).checked_sub(BUMP_WINDOW) else {
                return Some(None);
            };
            let mut c = best.to_vec();
            c.drain(i..i + k);
            let Some(&b) = c.get(j) else {
                return Some(None);
            };
            let v = match which {
                0 => b.checked_add(1),
                1 => (b < 0x80).then_some(0x80),
                _ => (b < 0xFF).then_some(0xFF),
            };
            let Some(v) = v else {
                return Some(None);
            };
            c[j] = v;
            Some(Some(c))
        }
        Pass::LowerBlock | Pass::LowerDuplicates | Pass::ShiftPair | Pass::MoveValue => None,
    }
}

/// One family of edits with a scalar size `t` (0 = no change, larger = more
/// shrinking) that a search pass bisects.
#[derive(Clone, Debug)]
enum Edit {
    /// Lower every block in `at` (all equal) by `t`.
    Lower { at: Vec<usize>, w: usize },
    /// Lower block `a` by `t` and lower (`raise: false`) or raise block `b`;
    /// `b` comes before `a` when it is raised, so the edit is smaller.
    Pair {
        a: usize,
        b: usize,
        w: usize,
        raise: bool,
    },
}

impl Edit {
    /// Largest useful `t` on `base`, 0 if the edit does not apply.
    fn limit(&self, base: &[u8]) -> u64 {
        match self {
            Edit::Lower { at, w } => {
                let v = read_le(base, at[0], *w);
                if at.iter().all(|&i| read_le(base, i, *w) == v) {
                    v
                } else {
                    0
                }
            }
            Edit::Pair { a, b, w, raise } => {
                let (va, vb) = (read_le(base, *a, *w), read_le(base, *b, *w));
                if *raise {
                    va.min(block_max(*w) - vb)
                } else {
                    va.min(vb)
                }
            }
        }
    }

    fn apply(&self, base: &[u8], t: u64) -> Vec<u8> {
        let mut c = base.to_vec();
        match self {
            Edit::Lower { at, w } => {
                for &i in at {
                    let v = read_le(base, i, *w);
                    write_le(&mut c, i, *w, v - t);
                }
            }
            Edit::Pair { a, b, w, raise } => {
                write_le(&mut c, *a, *w, read_le(base, *a, *w) - t);
                let vb = read_le(base, *b, *w);
                write_le(&mut c, *b, *w, if *raise { vb + t } else { vb - t });
            }
        }
        c
    }
}

/// The edits a search pass tries on `best`, in order.
fn edits(pass: Pass, best: &[u8]) -> Vec<Edit> {
    let n = best.len();
    let mut out = Vec::new();
    match pass {
        Pass::LowerBlock => {
            for w in WIDTHS {
                for i in (0..n.saturating_sub(w - 1)).filter(|&i| read_le(best, i, w) != 0) {
                    out.push(Edit::Lower { at: vec![i], w });
                }
            }
        }
        Pass::LowerDuplicates => {
            for w in WIDTHS {
                let mut seen: Vec<u64> = Vec::new();
                for i in 0..n.saturating_sub(w - 1) {
                    let v = read_le(best, i, w);
                    if v == 0 || seen.contains(&v) {
                        continue;
                    }
                    seen.push(v);
                    // Non-overlapping occurrences, left to right.
                    let mut at = vec![i];
                    let mut j = i + w;
                    while j + w <= n {
                        if read_le(best, j, w) == v {
                            at.push(j);
                            j += w;
                        } else {
                            j += 1;
                        }
                    }
                    if at.len() > 1 {
                        out.push(Edit::Lower { at, w });
                    }
                }
            }
        }
        Pass::ShiftPair | Pass::MoveValue if n <= PAIR_PASS_MAX_LEN => {
            let raise = pass == Pass::MoveValue;
            for w in PAIR_WIDTHS {
                for a in 0..n.saturating_sub(w - 1) {
                    let far = (a + w + PAIR_DISTANCE).min(n.saturating_sub(w - 1));
                    for b in a + w..far {
                        // The raised block is the earlier one.
                        let (a, b) = if raise { (b, a) } else { (a, b) };
                        let e = Edit::Pair { a, b, w, raise };
                        if e.limit(best) > 0 {
                            out.push(e);
                        }
                    }
                }
            }
        }
        _ => {}
    }
    out
}

/// Bisection over `t` in `1..=limit`, assuming the edit keeps failing for
/// every `t` up to the largest that fails: the whole edit first, then one
/// step (give up if that does not fail either), then halving.
#[derive(Clone, Debug)]
struct Bisect {
    /// Largest `t` known to fail (0: none yet beyond the start).
    lo: u64,
    /// Largest `t` not yet ruled out.
    hi: u64,
    /// Probes made so far on this edit.
    probes: u32,
}

impl Bisect {
    fn next_probe(&self) -> Option<u64> {
        if self.lo >= self.hi {
            return None;
        }
        match self.probes {
            0 => Some(self.hi),
            1 if self.lo == 0 => Some(1),
            _ if self.lo == 0 => None, // one step down did not fail: give up
            _ => Some(self.lo + (self.hi - self.lo).div_ceil(2)),
        }
    }

    fn feedback(&mut self, t: u64, failed: bool) {
        self.probes += 1;
        if failed {
            self.lo = t;
        } else {
            self.hi = t - 1;
        }
    }
}

/// State of a search pass: its edits, the current one, its bisection, and
/// the probe awaiting an answer.
#[derive(Clone, Debug)]
struct Search {
    edits: Vec<Edit>,
    next: usize,
    current: Option<(Edit, Vec<u8>, Bisect)>,
    awaiting: Option<u64>,
}

impl Search {
    fn new(pass: Pass, best: &[u8]) -> Self {
        Search {
            edits: edits(pass, best),
            next: 0,
            current: None,
            awaiting: None,
        }
    }

    /// The next probe on `best`, or `None` when every edit is done.
    fn next(&mut self, best: &[u8]) -> Option<Vec<u8>> {
        if let Some(t) = self.awaiting.take() {
            // Not accepted: the probe passed (or did not decode).
            if let Some((_, _, bisect)) = &mut self.current {
                bisect.feedback(t, false);
            }
        }
        loop {
            if let Some((edit, base, bisect)) = &self.current {
                if let Some(t) = bisect.next_probe() {
                    self.awaiting = Some(t);
                    return Some(edit.apply(base, t));
                }
                self.current = None;
            }
            let edit = self.edits.get(self.next)?.clone();
            self.next += 1;
            let limit = edit.limit(best);
            if limit > 0 {
                let bisect = Bisect {
                    lo: 0,
                    hi: limit,
                    probes: 0,
                };
                self.current = Some((edit, best.to_vec(), bisect));
            }
        }
    }

    fn accepted(&mut self) {
        if let (Some(t), Some((_, _, bisect))) = (self.awaiting.take(), &mut self.current) {
            bisect.feedback(t, true);
        }
    }
}

/// Minimises a failing byte string by structured edits, one candidate at a time.
///
/// Drive it with [`Shrinker::next_candidate`]; call [`Shrinker::accept`] with a
/// candidate that still fails (a candidate not accepted before the next call
/// counts as passing). Candidates are always strictly smaller (shrink order) than
/// the current best, and passes repeat until a full sweep finds nothing, so
/// the loop ends at a local minimum. [`shrink`] is the ready-made loop.
#[derive(Clone, Debug)]
pub struct Shrinker {
    best: Vec<u8>,
    pass: usize,
    step: usize,
    search: Option<Search>,
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
            search: None,
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

    fn next_pass(&mut self) {
        self.step = 0;
        self.search = None;
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

    /// The next candidate to try, or `None` at a fixpoint.
    pub fn next_candidate(&mut self) -> Option<Vec<u8>> {
        while !self.done {
            let pass = PASSES[self.pass];
            let found = match pass {
                Pass::LowerBlock | Pass::LowerDuplicates | Pass::ShiftPair | Pass::MoveValue => {
                    let best = &self.best;
                    let search = self.search.get_or_insert_with(|| Search::new(pass, best));
                    search.next(best).map(Some)
                }
                _ => {
                    let c = candidate(pass, &self.best, self.step);
                    self.step += 1;
                    c
                }
            };
            match found {
                Some(c) => {
                    if let Some(c) = c.filter(|c| shrink_less(c, &self.best)) {
                        return Some(c);
                    }
                }
                None => self.next_pass(),
            }
        }
        None
    }

    /// Record that `candidate` (from [`Shrinker::next_candidate`]) still fails.
    /// It becomes the new best if it is smaller than the current one.
    pub fn accept(&mut self, candidate: Vec<u8>) {
        if shrink_less(&candidate, &self.best) {
            self.best = candidate;
            self.improved = true;
            if let Some(search) = &mut self.search {
                search.accepted();
            }
            // Stateless passes stay where they are; deletions run from the
            // end backwards, so the step index still points near the same place.
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
            assert!(shrink_less(&c, s.best()));
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
