//! Planted vulnerabilities: known, realistic security mistakes compiled into
//! a target's hardened code only with the `plant` feature (the test suite and
//! the bug benchmark turn it on; a normal build has none), each switched on
//! at run time, one at a time, to measure whether the generators and oracles
//! would catch that mistake if a developer made it tomorrow.
//!
//! A target lists its plants in [`Target::PLANTS`](crate::Target::PLANTS)
//! and consults [`active`] at the exact place where the mistake would go:
//!
//! ```
//! # const FIRST_COMPONENT_ONLY: &str = "demo.first-component-only";
//! # fn check(_: &str) -> Result<(), ()> { Ok(()) }
//! # fn components() -> Vec<&'static str> { vec!["a"] }
//! for (i, c) in components().into_iter().enumerate() {
//!     if i > 0 && secfuzz::plant::active(FIRST_COMPONENT_ONLY) {
//!         continue; // the planted mistake: only the first component is checked
//!     }
//!     check(c)?;
//! }
//! # Ok::<(), ()>(())
//! ```
//!
//! Without the feature [`active`] is a constant `false` and the branch is
//! compiled away. With it, a plant is active on the current thread inside
//! [`with`] (how `cargo test` runs each plant's kill check in parallel
//! threads), or in the whole process when the environment variable
//! [`ENV_VAR`] names it (how the bug benchmark runs libFuzzer binaries).

/// One planted vulnerability.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Plant {
    /// Stable id, `<target>.<name>`.
    pub id: &'static str,
    /// The invariant id the mistake should break (what an oracle reports).
    pub breaks: &'static str,
    /// One line: the mistake, as a developer would make it.
    pub description: &'static str,
}

/// Whether plants are compiled in (the `plant` feature).
pub const ENABLED: bool = cfg!(feature = "plant");

/// The environment variable that activates one plant for a whole process
/// (only with the `plant` feature).
pub const ENV_VAR: &str = "SECFUZZ_PLANT";

#[cfg(feature = "plant")]
mod imp {
    use std::cell::Cell;
    use std::sync::OnceLock;

    thread_local! {
        static ACTIVE: Cell<Option<&'static str>> = const { Cell::new(None) };
    }

    fn from_env() -> Option<&'static str> {
        static ENV: OnceLock<Option<String>> = OnceLock::new();
        ENV.get_or_init(|| std::env::var(super::ENV_VAR).ok())
            .as_deref()
    }

    pub fn active(id: &str) -> bool {
        ACTIVE
            .with(Cell::get)
            .or_else(from_env)
            .is_some_and(|a| a == id)
    }

    pub fn with<R>(id: &'static str, f: impl FnOnce() -> R) -> R {
        struct Reset(Option<&'static str>);
        impl Drop for Reset {
            fn drop(&mut self) {
                ACTIVE.with(|a| a.set(self.0));
            }
        }
        let _reset = Reset(ACTIVE.with(|a| a.replace(Some(id))));
        f()
    }
}

/// Whether the plant `id` is active here. Always `false` without the `plant`
/// feature.
#[inline]
pub fn active(id: &str) -> bool {
    #[cfg(feature = "plant")]
    {
        imp::active(id)
    }
    #[cfg(not(feature = "plant"))]
    {
        let _ = id;
        false
    }
}

/// Run `f` with the plant `id` active on this thread (restored afterwards,
/// even on panic).
///
/// # Errors
///
/// [`NotCompiledIn`] without the `plant` feature: `f` does not run.
pub fn with<R>(id: &'static str, f: impl FnOnce() -> R) -> Result<R, NotCompiledIn> {
    #[cfg(feature = "plant")]
    {
        Ok(imp::with(id, f))
    }
    #[cfg(not(feature = "plant"))]
    {
        let _ = (id, f);
        Err(NotCompiledIn)
    }
}

/// Plants are not compiled into this build (no `plant` feature).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct NotCompiledIn;

impl std::fmt::Display for NotCompiledIn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("planted vulnerabilities are not compiled in (build with --features plant)")
    }
}

impl std::error::Error for NotCompiledIn {}

#[cfg(all(test, feature = "plant"))]
mod tests {
    use super::*;

    #[test]
    fn a_plant_is_active_only_inside_with_and_only_on_its_thread() {
        assert!(!active("t.a"));
        with("t.a", || {
            assert!(active("t.a"));
            assert!(!active("t.b"));
            assert!(!std::thread::spawn(|| active("t.a")).join().unwrap());
            with("t.b", || assert!(active("t.b") && !active("t.a"))).unwrap();
            assert!(active("t.a"));
        })
        .unwrap();
        assert!(!active("t.a"));
        let _ = std::panic::catch_unwind(|| with("t.a", || panic!("boom")));
        assert!(!active("t.a"));
    }
}
