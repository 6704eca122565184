//! The triage report and its four renderings: a terminal table
//! ([`Report::to_text`]), JSON ([`Report::to_json`]), SARIF 2.1.0
//! ([`Report::to_sarif`]) and a self-contained HTML page
//! ([`Report::to_html`]).
//!
//! # JSON schema (`schema_version` 1)
//!
//! `secfuzz triage --format json` prints [`Report`] serialized as below. The
//! schema is stable: fields may be added in a later version, existing ones
//! keep their name, type and meaning; a breaking change bumps
//! `schema_version`. Optional fields are `null` when absent.
//!
//! ```text
//! {
//!   "schema_version": 1,
//!   "tool": { "name": "secfuzz", "version": "0.1.0" },
//!   "generated": "2025-01-31T12:00:00Z",          // UTC, RFC 3339
//!   "settings": {
//!     "target": null | "path",                     // --target
//!     "runs": 3, "timeout_ms": 10000, "rss_limit_mb": 2048, "jobs": 2,
//!     "frames": 3, "minimize": true, "minimize_time_ms": 60000,
//!     "promote_dir": null | "corpora"
//!   },
//!   "totals": {
//!     "files": 10,             // every file found = clustered_files + skipped_files
//!     "clustered_files": 9,
//!     "skipped_files": 1,
//!     "unique_inputs": 4,      // distinct (target, bytes) pairs replayed
//!     "clusters": 3,
//!     "finding_clusters": 2    // clusters whose kind is a reproducing failure
//!   },
//!   "clusters": [ {
//!     "id": "9f2c4e1ab03d77c1",            // first 16 hex of SHA-1(signature)
//!     "target": "path",
//!     "kind": "violation" | "sanitizer" | "panic" | "stack-overflow"
//!           | "out-of-memory" | "timeout" | "crash"
//!           | "not-reproducible" | "undecodable",
//!     "severity": "high" | "medium" | "low" | "info",
//!     "invariant": null | "path.confined",
//!     "signature": "path | violation | path.confined",
//!     "title": "path.confined: …",         // one line
//!     "detail": "…",                       // violation detail, panic message, report
//!     "location": null | { "file": "src/path/mod.rs", "line": 41, "column": 9 },
//!     "frames": [ { "function": "secfuzz::path::normalize",
//!                   "file": "src/path/mod.rs", "line": 41 } ],
//!     "flaky": false,                      // some replay passed or failed differently
//!     "file_count": 7,
//!     "representative": {                  // smallest input that failed most often
//!       "sha1": "…", "len": 12, "path": "fuzz/artifacts/path/crash-…",
//!       "bytes_hex": "…", "input_debug": null | "…",
//!       "payload": null | "…", "payload_hex": null | "…",
//!       "runs": 3, "failed": 3
//!     },
//!     "minimized": null | {
//!       "sha1": "…", "len": 3, "bytes_hex": "…",
//!       "input_debug": null | "…", "payload": null | "…", "payload_hex": null | "…",
//!       "tests": 57, "complete": true, "elapsed_ms": 812
//!     },
//!     "promoted": null | { "path": "corpora/regressions/path/…",
//!                          "sidecar": "….json", "already_present": false },
//!     "notes": [ "…" ],                    // e.g. why it was not minimized
//!     "inputs": [ { "sha1": "…", "len": 12, "paths": ["…"],
//!                   "artifact_kinds": ["crash"], "runs": 3, "failed": 3 } ]
//!   } ],
//!   "skipped": [ { "path": "…", "reason": "hidden file" } ]
//! }
//! ```
//!
//! Clusters are ordered by severity (highest first), then kind, target and
//! signature, so two runs over the same files produce the same order.

use serde::{Deserialize, Serialize};

use super::classify::{Kind, Location, Severity};
use super::discover::ArtifactKind;
pub use super::discover::Skipped;
use super::error::TriageError;
use super::signature::Frame;

mod html;
mod sarif;
mod text;

/// Version of the JSON schema described in the [module docs](self).
pub const SCHEMA_VERSION: u32 = 1;

/// Everything triage found, accounting for every file it was given.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Report {
    /// [`SCHEMA_VERSION`].
    pub schema_version: u32,
    /// The tool that wrote the report.
    pub tool: Tool,
    /// When the report was made (UTC, RFC 3339).
    pub generated: String,
    /// The settings triage ran with.
    pub settings: Settings,
    /// Counts; `files == clustered_files + skipped_files`.
    pub totals: Totals,
    /// One entry per distinct failure signature.
    pub clusters: Vec<Cluster>,
    /// Files that were found but not replayed, with the reason.
    pub skipped: Vec<Skipped>,
}

/// Tool name and version.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Tool {
    /// `secfuzz`.
    pub name: String,
    /// The crate version.
    pub version: String,
}

/// The settings a report was made with.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Settings {
    /// Target forced with `--target`, if any.
    pub target: Option<String>,
    /// Replays per input.
    pub runs: u32,
    /// Time limit per replay, milliseconds.
    pub timeout_ms: u64,
    /// Address-space limit per replay, MiB (0 = none).
    pub rss_limit_mb: u64,
    /// Parallel children.
    pub jobs: usize,
    /// Project frames kept in stack signatures.
    pub frames: usize,
    /// Whether clusters were minimized.
    pub minimize: bool,
    /// Minimization time budget per cluster, milliseconds.
    pub minimize_time_ms: u64,
    /// Corpora directory reproducers were promoted into, if any.
    pub promote_dir: Option<String>,
}

/// Counts that add up: every file is either in a cluster or skipped.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Totals {
    /// Files found under the paths given.
    pub files: usize,
    /// Files whose input landed in a cluster.
    pub clustered_files: usize,
    /// Files not replayed (see [`Report::skipped`]).
    pub skipped_files: usize,
    /// Distinct (target, bytes) inputs replayed.
    pub unique_inputs: usize,
    /// Clusters.
    pub clusters: usize,
    /// Clusters whose kind is a reproducing failure ([`Kind::is_finding`]).
    pub finding_clusters: usize,
}

/// All inputs that fail the same way.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Cluster {
    /// First 16 hex digits of the SHA-1 of [`Cluster::signature`].
    pub id: String,
    /// The target the inputs were replayed through.
    pub target: String,
    /// What kind of failure.
    pub kind: Kind,
    /// How serious.
    pub severity: Severity,
    /// The violated invariant's id, for violations.
    pub invariant: Option<String>,
    /// What makes two inputs the same bug (see [`signature`](super::signature)).
    pub signature: String,
    /// One line for people.
    pub title: String,
    /// Violation detail, panic message, sanitizer report, standard error…
    pub detail: String,
    /// Where it failed: the first project frame inside the source root, else
    /// the panic location.
    pub location: Option<Location>,
    /// Project frames, innermost first.
    pub frames: Vec<Frame>,
    /// Some replay of some input passed or failed differently.
    pub flaky: bool,
    /// Files in the cluster (duplicates included).
    pub file_count: usize,
    /// The input shown and minimized: the smallest that failed most often.
    pub representative: Sample,
    /// The minimized reproducer, with `--minimize`.
    pub minimized: Option<Minimized>,
    /// Where the reproducer was promoted, with `--promote`.
    pub promoted: Option<Promoted>,
    /// Remarks, e.g. why the cluster was not minimized.
    pub notes: Vec<String>,
    /// Every distinct input in the cluster.
    pub inputs: Vec<InputEntry>,
}

impl Cluster {
    /// The command that reproduces the cluster from its best reproducer.
    pub fn reproduce_command(&self) -> String {
        let file = match &self.promoted {
            Some(p) => p.path.clone(),
            None => self.representative.path.clone(),
        };
        format!("secfuzz replay {} {}", self.target, shell_quote(&file))
    }

    /// The best reproducer's rendered payload as text: minimized if there is one.
    pub fn payload(&self) -> Option<&str> {
        match &self.minimized {
            Some(m) => m.payload.as_deref(),
            None => self.representative.payload.as_deref(),
        }
    }

    /// The best reproducer's bytes: minimized if there is one.
    pub fn best_bytes_hex(&self) -> &str {
        self.minimized
            .as_ref()
            .map_or(&self.representative.bytes_hex, |m| &m.bytes_hex)
    }
}

/// One input, shown in full.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Sample {
    /// SHA-1 of the bytes (the suffix libFuzzer puts in artifact names).
    pub sha1: String,
    /// Length in bytes.
    pub len: usize,
    /// First file holding these bytes.
    pub path: String,
    /// The bytes, lowercase hex.
    pub bytes_hex: String,
    /// `Debug` of the decoded input.
    pub input_debug: Option<String>,
    /// Rendered payload as text (UTF-8, or escaped).
    pub payload: Option<String>,
    /// Rendered payload, lowercase hex.
    pub payload_hex: Option<String>,
    /// Replays.
    pub runs: u32,
    /// Replays that failed with the cluster's signature.
    pub failed: u32,
}

/// A minimized reproducer.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Minimized {
    /// SHA-1 of the bytes.
    pub sha1: String,
    /// Length in bytes.
    pub len: usize,
    /// The bytes, lowercase hex.
    pub bytes_hex: String,
    /// `Debug` of the decoded input.
    pub input_debug: Option<String>,
    /// Rendered payload as text.
    pub payload: Option<String>,
    /// Rendered payload, lowercase hex.
    pub payload_hex: Option<String>,
    /// Candidates replayed.
    pub tests: usize,
    /// A fixpoint was reached (`false`: the budget ran out first).
    pub complete: bool,
    /// Time spent, milliseconds.
    pub elapsed_ms: u64,
}

/// Where a reproducer was promoted.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Promoted {
    /// The reproducer file.
    pub path: String,
    /// Its `.json` sidecar.
    pub sidecar: String,
    /// The same bytes were already there; nothing was overwritten.
    pub already_present: bool,
}

/// One distinct input of a cluster.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct InputEntry {
    /// SHA-1 of the bytes.
    pub sha1: String,
    /// Length in bytes.
    pub len: usize,
    /// Every file holding these bytes (for this target).
    pub paths: Vec<String>,
    /// What the file names say (`crash`, `timeout`, …), deduplicated.
    pub artifact_kinds: Vec<ArtifactKind>,
    /// Replays.
    pub runs: u32,
    /// Replays that failed with the cluster's signature.
    pub failed: u32,
}

impl Report {
    /// Whether any cluster is a reproducing failure (CLI exit code 1).
    pub fn has_findings(&self) -> bool {
        self.totals.finding_clusters > 0
    }

    /// Checks that every file is accounted for exactly once and that the
    /// totals match the lists. [`run`](super::run) calls this before
    /// returning a report.
    pub fn verify_accounting(&self) -> Result<(), TriageError> {
        let clustered: usize = self.clusters.iter().map(|c| c.file_count).sum();
        let listed: usize = self
            .clusters
            .iter()
            .flat_map(|c| &c.inputs)
            .map(|i| i.paths.len())
            .sum();
        let findings = self.clusters.iter().filter(|c| c.kind.is_finding()).count();
        let unique: usize = self.clusters.iter().map(|c| c.inputs.len()).sum();
        let t = &self.totals;
        let checks = [
            (
                "files = clustered + skipped",
                t.files,
                t.clustered_files + t.skipped_files,
            ),
            ("clustered files", t.clustered_files, clustered),
            ("clustered files listed", t.clustered_files, listed),
            ("skipped files", t.skipped_files, self.skipped.len()),
            ("clusters", t.clusters, self.clusters.len()),
            ("finding clusters", t.finding_clusters, findings),
            ("unique inputs", t.unique_inputs, unique),
        ];
        for (what, expected, actual) in checks {
            if expected != actual {
                return Err(TriageError::Accounting {
                    what,
                    expected,
                    actual,
                });
            }
        }
        Ok(())
    }

    /// The report as pretty-printed JSON (schema in the [module docs](self)).
    pub fn to_json(&self) -> String {
        // Serializing plain data with string keys cannot fail.
        serde_json::to_string_pretty(self).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
    }
}

/// Quotes `s` for a POSIX shell when it needs it.
pub(crate) fn shell_quote(s: &str) -> String {
    if !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_./:=@,+".contains(&b))
    {
        s.to_owned()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shell_quoting() {
        assert_eq!(shell_quote("fuzz/a/crash-1"), "fuzz/a/crash-1");
        assert_eq!(shell_quote("a b"), "'a b'");
        assert_eq!(shell_quote("it's"), "'it'\\''s'");
        assert_eq!(shell_quote(""), "''");
    }
}
