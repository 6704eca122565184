//! proptest over secfuzz's byte strings: a strategy whose values shrink with
//! [`Shrinker`], the shared configuration, and the one property every target
//! runs ([`property`]).

use std::fmt;
use std::marker::PhantomData;

use arbitrary::Arbitrary;
use proptest::strategy::{NewTree, Strategy, ValueTree};
use proptest::test_runner::{TestCaseError, TestError, TestRunner};

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

/// Byte-string length of the inputs [`property`] draws (a structured input
/// rarely needs more; libFuzzer explores longer ones).
pub const PROPERTY_MAX_LEN: usize = 512;

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
    let file = format!("proptest-regressions/{}.txt", T::NAME);
    let config = proptest_config(default_cases, Box::leak(file.into_boxed_str()));
    let mut runner = TestRunner::new(config);
    let result = runner.run(&inputs::<T::Input>(PROPERTY_MAX_LEN), |case| {
        T::check(&case.value).map_err(|v| TestCaseError::fail(format!("structured path: {v}")))?;
        let payload = T::render(&case.value);
        T::check_payload(&payload).map_err(|v| {
            TestCaseError::fail(format!(
                "raw-payload path, payload {:?}: {v}",
                EscapedBytes(&payload)
            ))
        })?;
        Ok(())
    });
    match result {
        Ok(()) => {}
        Err(TestError::Fail(why, case)) => panic!(
            "target {}: {why}\ninput: {:#?}\nbytes (hex): {}",
            T::NAME,
            case.value,
            hex(&case.bytes)
        ),
        Err(e) => panic!("target {}: {e}", T::NAME),
    }
}
