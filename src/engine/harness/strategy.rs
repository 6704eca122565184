//! proptest over secfuzz's byte strings: a strategy whose values shrink with
//! [`Shrinker`], the shared configuration, and the one property every target
//! runs ([`property`]).

use std::fmt;
use std::marker::PhantomData;

use arbitrary::Arbitrary;
use proptest::prelude::Rng as _;
use proptest::strategy::{NewTree, Strategy, ValueTree};
use proptest::test_runner::{TestCaseError, TestError, TestRng, TestRunner};

use super::shrink::Shrinker;
use super::{decode_value, MAX_INPUT_LEN};
use crate::engine::contract::Target;
use crate::engine::util::{hex, EscapedBytes};

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
            .field("bytes", &EscapedBytes(&self.bytes))
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
        for _ in 0..100 {
            let b = draw_bytes(runner.rng(), self.max_len);
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

/// A random byte string of up to `max_len` bytes for [`inputs`].
///
/// Three strings in four are uniform random bytes (the targets' grammars
/// pick their tokens from them best). The fourth is built from chunks the
/// way Hypothesis biases its choices, because a property whose bug needs
/// two equal or nearby values (a duplicate key, `x` twice in a list, two
/// integers one apart) is almost never hit by uniform bytes: random bytes,
/// runs of zeros, small values (0–16), and copies of an earlier span, some
/// with their first byte nudged by 1–4 up or down.
fn draw_bytes(rng: &mut TestRng, max_len: usize) -> Vec<u8> {
    let mut below = |n: usize| (rng.next_u64() % n.max(1) as u64) as usize;
    let len = below(max_len + 1);
    let mut out = Vec::with_capacity(len);
    if below(4) != 0 {
        out.resize_with(len, || below(256) as u8);
        return out;
    }
    while out.len() < len {
        let k = (1 + below(8)).min(len - out.len());
        match below(10) {
            0..=3 => (0..k).for_each(|_| out.push(below(256) as u8)),
            4 | 5 => out.resize(out.len() + k, 0),
            6 | 7 => (0..k).for_each(|_| out.push(below(17) as u8)),
            _ if out.is_empty() => out.push(below(256) as u8),
            _ => {
                let from = below(out.len());
                let k = k.min(out.len() - from);
                let start = out.len();
                out.extend_from_within(from..from + k);
                if below(2) == 0 {
                    let nudge = 1 + below(4) as u8;
                    out[start] = if below(2) == 0 {
                        out[start].wrapping_add(nudge)
                    } else {
                        out[start].wrapping_sub(nudge)
                    };
                }
            }
        }
    }
    out
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
/// to the package root, e.g. `proptest-regressions/path.txt`), except when a
/// planted vulnerability is active ([`plant::ENV_VAR`](crate::plant::ENV_VAR));
/// shrinking within [`Budget::default`](super::Budget) (100,000 candidates, 60 s).
pub fn proptest_config(
    default_cases: u32,
    persist_file: &'static str,
) -> proptest::test_runner::Config {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default_cases);
    // A run with a planted vulnerability active must not record its
    // failures as the project's regressions.
    let planted = std::env::var_os(crate::engine::plant::ENV_VAR).is_some();
    proptest::test_runner::Config {
        cases,
        failure_persistence: if planted {
            None
        } else {
            Some(Box::new(
                proptest::test_runner::FileFailurePersistence::Direct(persist_file),
            ))
        },
        // Shrinking is bounded like `harness::shrink`'s default budget.
        max_shrink_iters: super::Budget::default().max_tests as u32,
        max_shrink_time: super::Budget::default().max_time.as_millis() as u32,
        ..proptest::test_runner::Config::default()
    }
}

/// Byte-string length of the inputs [`property`] draws (a structured input
/// rarely needs more; libFuzzer explores longer ones).
pub const PROPERTY_MAX_LEN: usize = 512;

/// How [`run_property`] runs.
#[derive(Clone, Copy, Debug)]
pub struct PropertyRun {
    /// Cases to generate.
    pub cases: u32,
    /// Persist a failure's seed in `proptest-regressions/<NAME>.txt`.
    pub persist: bool,
    /// Shrink a failure (off: report the first failing case as found).
    pub shrink: bool,
}

/// A failed [`run_property`].
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct PropertyFailure {
    /// The target.
    pub target: &'static str,
    /// Which path failed and the violation.
    pub message: String,
    /// `Debug` of the (shrunk) failing input.
    pub input: String,
    /// Its bytes.
    pub bytes: Vec<u8>,
    /// Generated cases up to and including the first failing one.
    pub cases_to_failure: u32,
}

impl fmt::Display for PropertyFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "target {}: {} (case {})\ninput: {}\nbytes (hex): {}",
            self.target,
            self.message,
            self.cases_to_failure,
            self.input,
            hex(&self.bytes)
        )
    }
}

/// Run the generic property of [`property`] with explicit settings
/// (`PROPTEST_CASES` is not consulted); `Ok` carries the number of cases run.
pub fn run_property<T: Target>(run: PropertyRun) -> Result<u32, PropertyFailure> {
    let mut config = proptest::test_runner::Config {
        cases: run.cases,
        failure_persistence: None,
        ..proptest::test_runner::Config::default()
    };
    if run.persist {
        let file = format!("proptest-regressions/{}.txt", T::NAME);
        config.failure_persistence =
            proptest_config(run.cases, Box::leak(file.into_boxed_str())).failure_persistence;
    }
    if !run.shrink {
        config.max_shrink_iters = 0;
    }
    let calls = std::cell::Cell::new(0u32);
    let first_failure = std::cell::Cell::new(None::<u32>);
    let mut runner = TestRunner::new(config);
    let result = runner.run(&inputs::<T::Input>(PROPERTY_MAX_LEN), |case| {
        calls.set(calls.get() + 1);
        let outcome = check_both_paths::<T>(&case.value);
        if outcome.is_err() && first_failure.get().is_none() {
            first_failure.set(Some(calls.get()));
        }
        outcome
    });
    match result {
        Ok(()) => Ok(calls.get()),
        Err(TestError::Fail(why, case)) => Err(PropertyFailure {
            target: T::NAME,
            message: why.to_string(),
            input: format!("{:#?}", case.value),
            bytes: case.bytes,
            cases_to_failure: first_failure.get().unwrap_or(calls.get()),
        }),
        Err(e) => Err(PropertyFailure {
            target: T::NAME,
            message: e.to_string(),
            input: String::new(),
            bytes: Vec::new(),
            cases_to_failure: calls.get(),
        }),
    }
}

fn check_both_paths<T: Target>(input: &T::Input) -> Result<(), TestCaseError> {
    T::check(input).map_err(|v| TestCaseError::fail(format!("structured path: {v}")))?;
    let payload = T::render(input);
    T::check_payload(&payload).map_err(|v| {
        TestCaseError::fail(format!(
            "raw-payload path, payload {:?}: {v}",
            EscapedBytes(&payload)
        ))
    })?;
    Ok(())
}

/// The one property every target's test runs: for `PROPTEST_CASES` (default
/// `default_cases`) inputs decoded from random byte strings, the structured
/// path ([`Target::check`]) and the raw-payload path
/// ([`Target::check_payload`] of [`Target::render`]) must both hold every
/// invariant. Failures shrink with [`Shrinker`] and are persisted in
/// `proptest-regressions/<NAME>.txt`.
///
/// # Panics
///
/// When a case fails: the message names the invariant, the shrunk input and
/// its bytes in hex (save them as `corpora/regressions/<NAME>/<name>` to keep
/// the case forever).
pub fn property<T: Target>(default_cases: u32) {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default_cases);
    let run = PropertyRun {
        cases,
        persist: true,
        shrink: true,
    };
    if let Err(f) = run_property::<T>(run) {
        panic!("{f}");
    }
}
