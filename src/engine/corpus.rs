//! Committed corpora double as regression suites: every file under
//! `corpora/<target>/` and `corpora/regressions/<target>/` decodes to a
//! structured input that must pass every oracle of its target.
//!
//! A promoted regression may carry a sidecar `<name>.json` written by
//! `secfuzz triage --promote`; its `payload_hex` (the exact payload the input
//! rendered to when it was promoted) is re-checked through the raw-payload
//! path too, so a regression keeps its meaning after a generator changes.
//!
//! This is the one corpus replay: `cargo test` runs it for every registered
//! target (`tests/corpus.rs`).

use std::fmt;
use std::path::{Path, PathBuf};

use crate::engine::contract::Violation;
use crate::engine::registry::DynTarget;
use crate::engine::util::{unhex, EscapedBytes};

/// The files of one corpus directory, sorted: regular files except `.json`
/// sidecars and `.gitkeep`. A missing directory has none.
pub fn files(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e),
    };
    let mut files = Vec::new();
    for e in entries {
        let p = e?.path();
        if p.is_file()
            && p.extension().is_none_or(|x| x != "json")
            && p.file_name().is_some_and(|n| n != ".gitkeep")
        {
            files.push(p);
        }
    }
    files.sort();
    Ok(files)
}

/// One corpus file that failed.
#[derive(Debug)]
#[non_exhaustive]
pub enum Failure {
    /// The file or its sidecar could not be read.
    Io {
        /// The file.
        file: PathBuf,
        /// Why.
        error: std::io::Error,
    },
    /// The decoded input broke an invariant.
    Violation {
        /// The file.
        file: PathBuf,
        /// What broke.
        violation: Violation,
        /// `Debug` of the decoded input.
        input: String,
        /// The payload it rendered to.
        payload: Vec<u8>,
    },
    /// A sidecar is not JSON or has no valid `payload_hex`.
    BadSidecar {
        /// The sidecar.
        file: PathBuf,
        /// Why.
        reason: String,
    },
    /// The sidecar's recorded payload broke an invariant on the raw path.
    SidecarViolation {
        /// The sidecar.
        file: PathBuf,
        /// What broke.
        violation: Violation,
    },
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Io { file, error } => write!(f, "{}: {error}", file.display()),
            Failure::Violation {
                file,
                violation,
                input,
                payload,
            } => write!(
                f,
                "{}: {violation}\ninput: {input}\npayload: {:?}",
                file.display(),
                EscapedBytes(payload)
            ),
            Failure::BadSidecar { file, reason } => {
                write!(f, "{}: bad sidecar: {reason}", file.display())
            }
            Failure::SidecarViolation { file, violation } => {
                write!(f, "{}: recorded payload: {violation}", file.display())
            }
        }
    }
}

/// What replaying one directory found.
#[derive(Debug, Default)]
#[non_exhaustive]
pub struct Outcome {
    /// Inputs decoded and checked.
    pub checked: usize,
    /// Inputs the harness refuses to decode (oversized or not decodable);
    /// the fuzz shim skips them the same way.
    pub undecodable: Vec<PathBuf>,
    /// Sidecar payloads re-checked through the raw path.
    pub sidecars: usize,
    /// Everything that failed.
    pub failures: Vec<Failure>,
}

/// Replay every file of `dir` through `target` (and every sidecar's payload
/// through its raw-payload check).
pub fn replay_dir(target: &dyn DynTarget, dir: &Path) -> Outcome {
    let mut out = Outcome::default();
    let files = match files(dir) {
        Ok(f) => f,
        Err(error) => {
            out.failures.push(Failure::Io {
                file: dir.to_owned(),
                error,
            });
            return out;
        }
    };
    for file in files {
        let bytes = match std::fs::read(&file) {
            Ok(b) => b,
            Err(error) => {
                out.failures.push(Failure::Io { file, error });
                continue;
            }
        };
        match target.replay(&bytes) {
            Ok(r) => {
                out.checked += 1;
                if let Err(violation) = r.result {
                    out.failures.push(Failure::Violation {
                        file: file.clone(),
                        violation,
                        input: r.input_debug,
                        payload: r.payload,
                    });
                }
            }
            Err(_) => out.undecodable.push(file.clone()),
        }
        let sidecar = file.with_extension("json");
        match std::fs::read_to_string(&sidecar) {
            Ok(text) => match sidecar_payload(&text) {
                Ok(payload) => {
                    out.sidecars += 1;
                    if let Err(violation) = target.check_payload(&payload) {
                        out.failures.push(Failure::SidecarViolation {
                            file: sidecar,
                            violation,
                        });
                    }
                }
                Err(reason) => out.failures.push(Failure::BadSidecar {
                    file: sidecar,
                    reason,
                }),
            },
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(error) => out.failures.push(Failure::Io {
                file: sidecar,
                error,
            }),
        }
    }
    out
}

fn sidecar_payload(text: &str) -> Result<Vec<u8>, String> {
    let meta: serde_json::Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
    let hex = meta["payload_hex"]
        .as_str()
        .ok_or("no payload_hex string")?;
    unhex(hex).ok_or_else(|| "payload_hex is not hex".to_owned())
}

/// Replay `corpora/<t>/` and `corpora/regressions/<t>/` under `root` for one
/// target: (seeds, regressions).
pub fn replay_target(target: &dyn DynTarget, root: &Path) -> (Outcome, Outcome) {
    (
        replay_dir(target, &root.join(target.name())),
        replay_dir(target, &root.join("regressions").join(target.name())),
    )
}
