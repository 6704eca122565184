//! The path target's planted vulnerabilities ([`crate::plant`]): realistic
//! mistakes a developer could make in `confine` or `RootDir`, each at the
//! place it would go, compiled in only with the `plant` feature. The test
//! suite must kill every one (`tests/plants.rs`).
//!
//! The ids only: this module imports nothing, so the code that consults a
//! plant never depends on the oracles; the table with each plant's
//! invariant and description is `PLANTS` in the target's `mod.rs`.

/// `%25` is decoded like any other escape, so `%252e%252e%252f` becomes
/// `%2e%2e%2f`, which the next decoding layer turns into `../`.
pub const DOUBLE_DECODE: &str = "path.double-decode";
/// A `..` is checked against the root only as the first component: later
/// ones with nothing left to pop are kept (`a/../../etc` → `../etc`).
pub const DOTDOT_FIRST_ONLY: &str = "path.dotdot-first-only";
/// FULLWIDTH FULL STOP (U+FF0E) is missing from the look-alike folding.
pub const FULLWIDTH_DOT: &str = "path.fullwidth-dot";
/// RIGHT-TO-LEFT OVERRIDE (U+202E) is missing from the invisible set.
pub const BIDI_OVERRIDE: &str = "path.bidi-override";
/// Only C0 controls are refused; C1 controls (U+0080–U+009F) pass.
pub const C1_CONTROLS: &str = "path.c1-controls";
/// Reserved device names are compared case-sensitively (`con` refused, `CON` not).
pub const RESERVED_CASE: &str = "path.reserved-case";
/// The trailing dot/space check looks at the raw name, not its fold, so
/// `secret.txt\u{3000}` (an ideographic space) passes.
pub const TRAILING_RAW: &str = "path.trailing-raw";
/// Components are split on `/` only, although `\` is a separator by policy.
pub const BACKSLASH_NOT_SPLIT: &str = "path.backslash-not-split";
/// The drive-letter check runs on the first component only.
pub const DRIVE_FIRST_ONLY: &str = "path.drive-first-only";
/// `RESOLVE_BENEATH` is dropped from the `openat2` call, so an absolute or
/// climbing symlink inside the root leads out.
pub const OPENAT2_NOT_BENEATH: &str = "path.openat2-not-beneath";
