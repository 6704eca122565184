//! The canvas target's errors: the refusals that come before or after
//! ammonia's work (bytes that are not UTF-8, documents over the size cap,
//! outputs nested deeper than the depth cap).

use std::fmt;

/// Why a canvas document was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum CanvasError {
    /// The input is larger than [`MAX_INPUT_LEN`](super::MAX_INPUT_LEN)
    /// bytes (checked before any parsing).
    TooLarge {
        /// Its length in bytes.
        len: usize,
        /// The cap.
        max: usize,
    },
    /// The bytes are not UTF-8 (raw payload path only).
    NotUtf8 {
        /// Length of the longest valid UTF-8 prefix.
        valid_up_to: usize,
    },
    /// The sanitized tree nests elements deeper than
    /// [`MAX_DEPTH`](super::MAX_DEPTH): browsers re-parent elements past
    /// their own depth limit (Chromium: 512), so what they would build is no
    /// longer what was judged.
    TooDeep {
        /// The depth reached (counting stops one past the cap).
        depth: usize,
        /// The cap.
        max: usize,
    },
    /// Cleaning the output again kept changing it: no stable serialization
    /// within [`MAX_PASSES`](super::policy::MAX_PASSES) passes.
    Unstable {
        /// Passes made.
        passes: usize,
    },
}

impl fmt::Display for CanvasError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CanvasError::TooLarge { len, max } => {
                write!(f, "canvas document of {len} bytes exceeds the {max}-byte cap")
            }
            CanvasError::NotUtf8 { valid_up_to } => {
                write!(
                    f,
                    "canvas document is not UTF-8 (valid up to byte {valid_up_to})"
                )
            }
            CanvasError::TooDeep { depth, max } => write!(
                f,
                "canvas document nests elements {depth} deep, more than the cap of {max}"
            ),
            CanvasError::Unstable { passes } => write!(
                f,
                "canvas document does not reach a stable serialization after {passes} cleaning passes"
            ),
        }
    }
}

impl std::error::Error for CanvasError {}
