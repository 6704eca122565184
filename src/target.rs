//! The one abstraction every target implements, and the registry that lists them.
//!
//! A *target* is a piece of hardened input-handling code together with the
//! adversarial input type that drives it and the oracles that judge it:
//!
//! ```text
//! bytes ──arbitrary──▶ Input ──render──▶ payload ──▶ hardened code ──▶ output
//!                                                              │
//!                          oracle(payload, output) ────────────┴──▶ Ok | Violation
//! ```
//!
//! [`Target`] is the static, generic form used by fuzz targets and property
//! tests. [`DynTarget`] is its object-safe twin, and [`targets()`] is the one
//! registry the CLI, the corpus replay test and triage iterate. Adding a target
//! means one module, one line in [`targets()`], one fuzz target shim and one
//! property test.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use crate::harness::{self, DecodeError};

/// A broken security invariant: what an oracle reports when hardened code
/// produced an output it must never produce.
///
/// `invariant` is a stable, dotted identifier (`path.confined`,
/// `jwt.alg_confusion`, …) that scripts, triage clustering and SARIF rule ids
/// rely on; `detail` is a human explanation of this particular failure.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Violation {
    /// Stable invariant identifier, `<target>.<name>`.
    pub invariant: Cow<'static, str>,
    /// What went wrong for this input, for a person to read.
    pub detail: String,
}

impl Violation {
    /// A violation of `invariant` with a human `detail`.
    pub fn new(invariant: impl Into<Cow<'static, str>>, detail: impl Into<String>) -> Self {
        Violation {
            invariant: invariant.into(),
            detail: detail.into(),
        }
    }
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invariant {} violated: {}", self.invariant, self.detail)
    }
}

impl std::error::Error for Violation {}

/// What hardened code did with a raw payload, when no invariant was broken.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Verdict {
    /// The payload was accepted; `output` is what the code produced from it
    /// (a confined path, verified claims, a bound query, …).
    Accepted {
        /// The accepted, normalised form.
        output: String,
    },
    /// The payload was refused; `reason` is the typed error's `Display`.
    Rejected {
        /// Why it was refused.
        reason: String,
    },
    /// The payload was accepted after being changed (an HTML sanitizer
    /// dropping a `<script>`); `output` is the changed form.
    Sanitized {
        /// The sanitized output.
        output: String,
    },
}

impl Verdict {
    /// `"accepted"`, `"rejected"` or `"sanitized"`: the CLI's JSON `verdict` field.
    pub fn kind(&self) -> &'static str {
        match self {
            Verdict::Accepted { .. } => "accepted",
            Verdict::Rejected { .. } => "rejected",
            Verdict::Sanitized { .. } => "sanitized",
        }
    }

    /// The produced output, if the payload was accepted or sanitized.
    pub fn output(&self) -> Option<&str> {
        match self {
            Verdict::Accepted { output } | Verdict::Sanitized { output } => Some(output),
            Verdict::Rejected { .. } => None,
        }
    }

    /// The refusal reason, if the payload was rejected.
    pub fn reason(&self) -> Option<&str> {
        match self {
            Verdict::Rejected { reason } => Some(reason),
            _ => None,
        }
    }
}

/// One security invariant a target's oracles check, for `secfuzz list`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Invariant {
    /// Stable identifier, `<target>.<name>`; the same string [`Violation::invariant`] carries.
    pub id: &'static str,
    /// One sentence: what must always hold.
    pub description: &'static str,
}

/// A hardened target with its adversarial input type and oracles.
///
/// The same `Input`, decoded from the same bytes by [`harness::decode`], drives
/// the libFuzzer target in `fuzz/` and the proptest property in `tests/`, so a
/// crash file, a proptest failure and a corpus entry are interchangeable.
pub trait Target: 'static {
    /// CLI name = fuzz target name = corpus folder name.
    const NAME: &'static str;
    /// One line saying what the target defends against.
    const DESCRIPTION: &'static str;
    /// Every invariant [`Target::check`] and [`Target::check_payload`] may report.
    const INVARIANTS: &'static [Invariant];

    /// Structured adversarial input. `Debug` should print something a person
    /// can paste as a reproducer (at least the rendered payload).
    type Input: for<'a> arbitrary::Arbitrary<'a> + fmt::Debug + Clone;

    /// The raw payload this input stands for (what an attacker would send).
    fn render(input: &Self::Input) -> Vec<u8>;

    /// Run the hardened code on a structured input and judge it with every
    /// oracle. `Err` means a security invariant was broken.
    fn check(input: &Self::Input) -> Result<(), Violation>;

    /// Run the hardened code on a raw payload with the target's default
    /// configuration, judge the result, and say what the code did with it.
    fn check_payload(payload: &[u8]) -> Result<Verdict, Violation>;
}

/// What replaying one structured input produced.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Replay {
    /// `Debug` of the decoded input (a reproducer a person can read).
    pub input_debug: String,
    /// The payload the input renders to.
    pub payload: Vec<u8>,
    /// The oracles' judgement.
    pub result: Result<(), Violation>,
}

/// Object-safe twin of [`Target`], for iterating the registry.
pub trait DynTarget: Send + Sync {
    /// See [`Target::NAME`].
    fn name(&self) -> &'static str;
    /// See [`Target::DESCRIPTION`].
    fn description(&self) -> &'static str;
    /// See [`Target::INVARIANTS`].
    fn invariants(&self) -> &'static [Invariant];
    /// Decode `bytes` into the target's `Input` and check it.
    fn replay(&self, bytes: &[u8]) -> Result<Replay, DecodeError>;
    /// Decode `bytes` and describe the input *without* checking it: its
    /// `Debug` and the payload it renders to. Triage calls this before
    /// [`DynTarget::replay`] so that an input which panics, hangs or exhausts
    /// memory inside the hardened code can still be shown and promoted.
    fn describe(&self, bytes: &[u8]) -> Result<(String, Vec<u8>), DecodeError>;
    /// See [`Target::check_payload`].
    fn check_payload(&self, payload: &[u8]) -> Result<Verdict, Violation>;
}

/// Adapter from a [`Target`] type to a [`DynTarget`] value.
pub struct Registered<T>(PhantomData<fn() -> T>);

impl<T> Registered<T> {
    /// The registry entry for `T`.
    pub const fn new() -> Self {
        Registered(PhantomData)
    }
}

impl<T> Default for Registered<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T: Target> DynTarget for Registered<T> {
    fn name(&self) -> &'static str {
        T::NAME
    }
    fn description(&self) -> &'static str {
        T::DESCRIPTION
    }
    fn invariants(&self) -> &'static [Invariant] {
        T::INVARIANTS
    }
    fn replay(&self, bytes: &[u8]) -> Result<Replay, DecodeError> {
        let input = harness::decode::<T>(bytes)?;
        Ok(Replay {
            input_debug: format!("{input:#?}"),
            payload: T::render(&input),
            result: T::check(&input),
        })
    }
    fn describe(&self, bytes: &[u8]) -> Result<(String, Vec<u8>), DecodeError> {
        let input = harness::decode::<T>(bytes)?;
        Ok((format!("{input:#?}"), T::render(&input)))
    }
    fn check_payload(&self, payload: &[u8]) -> Result<Verdict, Violation> {
        T::check_payload(payload)
    }
}

/// Every public target, in a fixed order. The CLI, the corpus replay test and
/// triage iterate this list; nothing else names targets one by one.
pub fn targets() -> &'static [&'static dyn DynTarget] {
    static TARGETS: &[&dyn DynTarget] = &[
        // One line per target.
        &Registered::<crate::path::PathTarget>::new(),
        &Registered::<crate::jwt::JwtTarget>::new(),
    ];
    TARGETS
}

/// The registered target called `name`, if any.
pub fn target(name: &str) -> Option<&'static dyn DynTarget> {
    targets().iter().copied().find(|t| t.name() == name)
}

/// The names of all registered targets, for error messages.
pub fn target_names() -> Vec<&'static str> {
    targets().iter().map(|t| t.name()).collect()
}
