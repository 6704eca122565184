//! The contract every target implements: [`Target`], what its oracles report
//! ([`Violation`]), what its hardened code did with a raw payload
//! ([`Verdict`]), and the configured raw-payload check ([`Checker`]) it builds
//! from its declared [`options`](crate::options).
//!
//! This module knows no target; the [registry](crate::registry) names them.
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
//! tests; [`DynTarget`](crate::registry::DynTarget) is its object-safe twin in
//! the registry.

use std::borrow::Cow;
use std::fmt;

use crate::engine::options::{OptionError, OptionSpec, Options};
use crate::engine::plant::Plant;

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
/// The same `Input`, decoded from the same bytes by
/// [`harness::decode`](crate::engine::harness::decode), drives
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

    /// The planted vulnerabilities this target's hardened code can switch on
    /// ([`plant`](crate::plant)): realistic mistakes its properties and
    /// tables must catch.
    const PLANTS: &'static [Plant] = &[];

    /// The options [`Target::checker`] takes (`secfuzz check TARGET --opt
    /// name=value`, or `--name value`): name, kind, default and one line of
    /// help each. An empty slice when the target has none.
    const OPTIONS: &'static [OptionSpec];

    /// The configured raw-payload check. `options` were parsed against
    /// [`Target::OPTIONS`]; values the declaration cannot express (a key file
    /// that does not load, options that need each other) are refused here
    /// with an [`OptionError`].
    fn checker(options: &Options) -> Result<Box<dyn Checker>, OptionError>;

    /// Run the hardened code on a raw payload with the target's default
    /// configuration, judge the result, and say what the code did with it.
    ///
    /// The default builds [`Target::checker`] from the declared defaults.
    fn check_payload(payload: &[u8]) -> Result<Verdict, Violation> {
        match Self::checker(&Options::defaults(Self::OPTIONS)) {
            Ok(checker) => checker.check(payload),
            Err(e) => Err(Violation::new(
                HARNESS_INVARIANT,
                format!(
                    "target {}: its default options do not configure: {e}",
                    Self::NAME
                ),
            )),
        }
    }
}

/// The invariant id reported when a target's own set-up fails (its default
/// options do not configure). The registry test makes sure it never fires.
pub const HARNESS_INVARIANT: &str = "secfuzz.harness";

/// A configured raw-payload check: hardened code plus the oracles that judge
/// its result, built by [`Target::checker`].
pub trait Checker: Send + Sync {
    /// Run the hardened code on `payload`, judge the result and say what the
    /// code did with it; `Err` when an oracle found a broken invariant.
    fn check(&self, payload: &[u8]) -> Result<Verdict, Violation>;
}

impl<F> Checker for F
where
    F: Fn(&[u8]) -> Result<Verdict, Violation> + Send + Sync,
{
    fn check(&self, payload: &[u8]) -> Result<Verdict, Violation> {
        self(payload)
    }
}
