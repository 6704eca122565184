//! Why triage could not run.

use std::fmt;
use std::io;
use std::path::PathBuf;

/// Why triage could not run (CLI exit code 2). Problems with individual
/// inputs are not errors: they end up in the report.
#[derive(Debug)]
#[non_exhaustive]
pub enum TriageError {
    /// A setting is out of range.
    Config {
        /// Which setting.
        setting: &'static str,
        /// What is wrong with it.
        reason: String,
    },
    /// `--target` names a target the replayer does not serve.
    UnknownTarget {
        /// The name given.
        target: String,
        /// The names served.
        known: Vec<String>,
    },
    /// A path given on the command line cannot be read.
    Path {
        /// The path.
        path: PathBuf,
        /// The I/O error.
        source: io::Error,
    },
    /// A replay child could not be started.
    Spawn {
        /// The program.
        program: PathBuf,
        /// The I/O error.
        source: io::Error,
    },
    /// Waiting for or killing a replay child failed.
    Wait {
        /// The I/O error.
        source: io::Error,
    },
    /// A replay child reported that it could not replay (unknown target,
    /// resource limit refused): a setup problem, not a property of the input.
    Child {
        /// The target asked for.
        target: String,
        /// What the child said.
        message: String,
    },
    /// Writing a promoted reproducer failed.
    Promote {
        /// The file being written.
        path: PathBuf,
        /// The I/O error.
        source: io::Error,
    },
    /// A promoted reproducer's name is taken by different bytes.
    PromoteConflict {
        /// The existing file.
        path: PathBuf,
    },
    /// The report's totals do not add up (a bug in triage).
    Accounting {
        /// Which count.
        what: &'static str,
        /// The total.
        expected: usize,
        /// The sum of the parts.
        actual: usize,
    },
}

impl fmt::Display for TriageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TriageError::Config { setting, reason } => write!(f, "invalid {setting}: {reason}"),
            TriageError::UnknownTarget { target, known } => {
                write!(f, "unknown target {target:?}; known targets: ")?;
                if known.is_empty() {
                    f.write_str("(none)")
                } else {
                    f.write_str(&known.join(", "))
                }
            }
            TriageError::Path { path, .. } => write!(f, "cannot read {}", path.display()),
            TriageError::Spawn { program, .. } => {
                write!(f, "cannot start replay child {}", program.display())
            }
            TriageError::Wait { .. } => f.write_str("cannot wait for a replay child"),
            TriageError::Child { target, message } => {
                write!(f, "replay child for target {target} failed: {message}")
            }
            TriageError::Promote { path, .. } => write!(f, "cannot write {}", path.display()),
            TriageError::PromoteConflict { path } => write!(
                f,
                "{} already exists with different bytes; not overwriting it",
                path.display()
            ),
            TriageError::Accounting {
                what,
                expected,
                actual,
            } => write!(
                f,
                "triage accounting is off ({what}: {expected} expected, {actual} counted)"
            ),
        }
    }
}

impl std::error::Error for TriageError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            TriageError::Path { source, .. }
            | TriageError::Spawn { source, .. }
            | TriageError::Wait { source }
            | TriageError::Promote { source, .. } => Some(source),
            _ => None,
        }
    }
}
