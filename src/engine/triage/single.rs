//! Replaying one input in an isolated child, for `secfuzz replay`: the same
//! child, limits and classification as triage, one run, no clustering.

use std::fmt;
use std::time::Duration;

use super::classify::{self, Kind, Location, SigRules};
use super::error::TriageError;
use super::replay::{run_once, Limits, Replayer};
use super::time::duration_text;

/// What one isolated replay of an input showed.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Replayed {
    /// `Debug` of the decoded input; `None` when it did not decode (or
    /// decoding itself failed).
    pub input_debug: Option<String>,
    /// The rendered payload; `None` when the input did not decode.
    pub payload: Option<Vec<u8>>,
    /// The payload was longer than the child sends and is cut.
    pub payload_truncated: bool,
    /// How the replay ended.
    pub outcome: Outcome,
}

/// How one isolated replay ended.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Outcome {
    /// Every oracle was satisfied.
    Ok,
    /// An oracle reported a broken invariant.
    Violation {
        /// The invariant's id.
        invariant: String,
        /// What the oracle said.
        detail: String,
    },
    /// The target panicked.
    Panic {
        /// The panic message.
        message: String,
        /// Where it panicked (relative to the current directory when inside it).
        location: Option<Location>,
    },
    /// No result within the time limit: the child was killed.
    Hang {
        /// The limit.
        timeout: Duration,
    },
    /// The target exceeded the memory limit.
    OutOfMemory {
        /// The allocator's message.
        detail: String,
    },
    /// The target overflowed its stack.
    StackOverflow {
        /// The runtime's message.
        detail: String,
    },
    /// A sanitizer reported a bug (sanitizer builds only).
    Sanitizer {
        /// Tool and bug, e.g. `AddressSanitizer: heap-use-after-free`.
        title: String,
        /// The head of the report.
        report: String,
    },
    /// The child died another way (a signal, an abort, an unexpected exit).
    Crash {
        /// How it died.
        title: String,
        /// Its standard error.
        detail: String,
    },
    /// The bytes do not decode to an input of the target.
    Undecodable {
        /// Why.
        reason: String,
    },
}

impl Outcome {
    /// Whether the outcome is a failure (`secfuzz replay` exit code 1):
    /// anything but [`Outcome::Ok`] and [`Outcome::Undecodable`].
    pub fn is_finding(&self) -> bool {
        !matches!(self, Outcome::Ok | Outcome::Undecodable { .. })
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Outcome::Ok => f.write_str("ok"),
            Outcome::Violation { invariant, detail } => {
                write!(f, "VIOLATION invariant {invariant} violated: {detail}")
            }
            Outcome::Panic { message, location } => {
                f.write_str("PANIC ")?;
                if let Some(l) = location {
                    write!(f, "at {}:{}", l.file, l.line)?;
                    if let Some(c) = l.column {
                        write!(f, ":{c}")?;
                    }
                    f.write_str(": ")?;
                }
                f.write_str(message)
            }
            Outcome::Hang { timeout } => write!(
                f,
                "HANG no result within {}; the replay was killed",
                duration_text(*timeout)
            ),
            Outcome::OutOfMemory { detail } => write!(f, "OUT OF MEMORY {detail}"),
            Outcome::StackOverflow { detail } => write!(f, "STACK OVERFLOW {detail}"),
            Outcome::Sanitizer { title, .. } => write!(f, "SANITIZER {title}"),
            Outcome::Crash { title, .. } => write!(f, "CRASH {title}"),
            Outcome::Undecodable { reason } => write!(f, "not decodable: {reason}"),
        }
    }
}

/// Replays `bytes` through `target` once, in a fresh child of `replayer`
/// with `limits`, and says what happened. A panicking, hanging or
/// memory-hungry input ends the child, never the caller.
///
/// Errors are environment problems only (the target is unknown, the child
/// cannot be started or does not speak the protocol).
pub fn replay_one(
    replayer: &Replayer,
    target: &str,
    bytes: &[u8],
    limits: Limits,
) -> Result<Replayed, TriageError> {
    if !replayer.knows(target) {
        return Err(TriageError::UnknownTarget {
            target: target.to_owned(),
            known: replayer.targets().to_vec(),
        });
    }
    let root = std::env::current_dir().ok();
    let rules = SigRules {
        frames: 3,
        source_root: root.as_deref(),
    };
    let raw = run_once(replayer, target, bytes, limits)?;
    let run = classify::classify(&raw, target, &rules)?;
    let outcome = match run.outcome {
        classify::Outcome::Pass => Outcome::Ok,
        classify::Outcome::Undecodable(reason) => Outcome::Undecodable { reason },
        classify::Outcome::Failed(f) => match f.kind {
            Kind::Violation => Outcome::Violation {
                invariant: f.invariant.unwrap_or_default(),
                detail: f.detail,
            },
            Kind::Panic => Outcome::Panic {
                message: f.detail,
                location: f.location,
            },
            Kind::Timeout => Outcome::Hang {
                timeout: limits.timeout,
            },
            Kind::OutOfMemory => Outcome::OutOfMemory { detail: f.detail },
            Kind::StackOverflow => Outcome::StackOverflow { detail: f.detail },
            Kind::Sanitizer => Outcome::Sanitizer {
                title: f.title,
                report: f.detail,
            },
            _ => Outcome::Crash {
                title: f.title,
                detail: f.detail,
            },
        },
    };
    let (input_debug, payload, payload_truncated) = match run.described {
        Some(d) => (Some(d.input_debug), Some(d.payload), d.truncated),
        None => (None, None, false),
    };
    Ok(Replayed {
        input_debug,
        payload,
        payload_truncated,
        outcome,
    })
}
