//! The registry: the one list of targets, above them. The CLI, the corpus
//! replay, the campaign runner, triage and the registry test iterate
//! [`all()`]; nothing else names targets one by one.
//!
//! [`DynTarget`] is the object-safe twin of [`Target`]; [`Entry`] adapts one
//! to the other. Adding a target is one line in [`all()`] (see
//! `ARCHITECTURE.md`, "Adding a target", for the files the registry test then
//! requires).

use std::marker::PhantomData;

use crate::engine::contract::{Checker, Invariant, Target, Verdict, Violation};
use crate::engine::harness::{self, DecodeError};
use crate::engine::options::{OptionError, OptionSpec, Options};
use crate::engine::plant::Plant;

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
    /// See [`Target::OPTIONS`].
    fn options(&self) -> &'static [OptionSpec];
    /// See [`Target::PLANTS`].
    fn plants(&self) -> &'static [Plant];
    /// Run the generic property ([`harness::run_property`]).
    fn property(&self, run: harness::PropertyRun) -> Result<u32, harness::PropertyFailure>;
    /// The Rust type implementing [`Target`] (for error messages and the
    /// registry test, which looks for the target's property test by it).
    fn type_name(&self) -> &'static str;
    /// Decode `bytes` into the target's `Input` and check it.
    fn replay(&self, bytes: &[u8]) -> Result<Replay, DecodeError>;
    /// Decode `bytes` and describe the input *without* checking it: its
    /// `Debug` and the payload it renders to. Triage calls this before
    /// [`DynTarget::replay`] so that an input which panics, hangs or exhausts
    /// memory inside the hardened code can still be shown and promoted.
    fn describe(&self, bytes: &[u8]) -> Result<(String, Vec<u8>), DecodeError>;
    /// See [`Target::check_payload`].
    fn check_payload(&self, payload: &[u8]) -> Result<Verdict, Violation>;
    /// See [`Target::checker`].
    fn checker(&self, options: &Options) -> Result<Box<dyn Checker>, OptionError>;
}

/// Adapter from a [`Target`] type to a [`DynTarget`] value: one registry entry.
pub struct Entry<T>(PhantomData<fn() -> T>);

impl<T> Entry<T> {
    /// The registry entry for `T`.
    pub const fn new() -> Self {
        Entry(PhantomData)
    }
}

impl<T> Default for Entry<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T: Target> DynTarget for Entry<T> {
    fn name(&self) -> &'static str {
        T::NAME
    }
    fn description(&self) -> &'static str {
        T::DESCRIPTION
    }
    fn invariants(&self) -> &'static [Invariant] {
        T::INVARIANTS
    }
    fn options(&self) -> &'static [OptionSpec] {
        T::OPTIONS
    }
    fn plants(&self) -> &'static [Plant] {
        T::PLANTS
    }
    fn property(&self, run: harness::PropertyRun) -> Result<u32, harness::PropertyFailure> {
        harness::run_property::<T>(run)
    }
    fn type_name(&self) -> &'static str {
        std::any::type_name::<T>()
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
    fn checker(&self, options: &Options) -> Result<Box<dyn Checker>, OptionError> {
        T::checker(options)
    }
}

/// Every public target, in a fixed order.
pub fn all() -> &'static [&'static dyn DynTarget] {
    static TARGETS: &[&dyn DynTarget] = &[
        // One line per target.
        &Entry::<crate::targets::path::PathTarget>::new(),
        &Entry::<crate::targets::jwt::JwtTarget>::new(),
        &Entry::<crate::targets::jwks::JwksTarget>::new(),
        &Entry::<crate::targets::canvas::CanvasTarget>::new(),
        &Entry::<crate::targets::sql::SqlTarget>::new(),
        &Entry::<crate::targets::url::UrlTarget>::new(),
        &Entry::<crate::targets::redirect::RedirectTarget>::new(),
        &Entry::<crate::targets::session::SessionTarget>::new(),
    ];
    TARGETS
}

/// The registered target called `name`, if any.
pub fn find(name: &str) -> Option<&'static dyn DynTarget> {
    all().iter().copied().find(|t| t.name() == name)
}

/// The names of all registered targets, for error messages.
pub fn names() -> Vec<&'static str> {
    all().iter().map(|t| t.name()).collect()
}
