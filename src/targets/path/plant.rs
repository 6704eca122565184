//! The path target's planted vulnerabilities ([`crate::plant`]): realistic
//! mistakes a developer could make in `confine` or `RootDir`, each at the
//! place it would go, compiled in only with the `plant` feature. The test
//! suite must kill every one (`tests/plants.rs`).

use crate::engine::plant::Plant;

use super::oracle;

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

/// Every path plant.
pub const PLANTS: &[Plant] = &[
    Plant {
        id: DOUBLE_DECODE,
        breaks: oracle::DECODE_STABLE,
        description: "`%25` decoded like any escape: double encoding survives one decode",
    },
    Plant {
        id: DOTDOT_FIRST_ONLY,
        breaks: oracle::CONFINED,
        description: "only a leading `..` is checked against the root",
    },
    Plant {
        id: FULLWIDTH_DOT,
        breaks: oracle::NO_LOOKALIKE,
        description: "U+FF0E FULLWIDTH FULL STOP missing from the look-alike folding",
    },
    Plant {
        id: BIDI_OVERRIDE,
        breaks: oracle::WELL_FORMED,
        description: "U+202E RIGHT-TO-LEFT OVERRIDE missing from the invisible characters",
    },
    Plant {
        id: C1_CONTROLS,
        breaks: oracle::WELL_FORMED,
        description: "control check written as `c < ' '`: C1 controls pass",
    },
    Plant {
        id: RESERVED_CASE,
        breaks: oracle::COMPOSITION,
        description: "reserved device names compared case-sensitively",
    },
    Plant {
        id: TRAILING_RAW,
        breaks: oracle::COMPOSITION,
        description: "trailing dot/space check before folding: Unicode spaces pass",
    },
    Plant {
        id: BACKSLASH_NOT_SPLIT,
        breaks: oracle::WELL_FORMED,
        description: "components split on `/` only, though `\\` is a separator",
    },
    Plant {
        id: DRIVE_FIRST_ONLY,
        breaks: oracle::COMPOSITION,
        description: "drive letters refused in the first component only",
    },
    Plant {
        id: OPENAT2_NOT_BENEATH,
        breaks: oracle::BENEATH,
        description: "RESOLVE_BENEATH dropped from openat2's flags",
    },
];
