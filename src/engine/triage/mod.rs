//! Crash-corpus triage: from a bucket of crash files to deduplicated,
//! classified, minimized reports and committed regression inputs.
//!
//! # The workflow: from a crash bucket to a committed regression
//!
//! After a night of `secfuzz fuzz` (or a download of a ClusterFuzzLite /
//! OSS-Fuzz crash bucket) there are hundreds of files named `crash-<sha1>`,
//! `timeout-…`, `oom-…`, `leak-…`, `slow-unit-…`, mostly the same few bugs.
//!
//! 1. **Triage the bucket.**
//!    `secfuzz triage fuzz/artifacts` walks the directories, reads every file,
//!    and works out each file's target from `--target`, else from the nearest
//!    directory named after a target (`fuzz/artifacts/path/crash-…` → `path`),
//!    else from a ClusterFuzz testcase name. Files with identical bytes (for
//!    the same target) are grouped before anything runs.
//! 2. **Isolated replay.** Each distinct input is replayed several times
//!    (`--runs`, default 3) in a child process (see [`child`]) with a time
//!    limit (`--timeout`, the child is killed when it is reached) and a memory
//!    limit (`--rss-limit`, the child lowers its own `RLIMIT_AS`), so inputs
//!    that panic, abort, overflow the stack, allocate without bound or hang
//!    cannot take triage down. Replaying more than once tells reproducible
//!    failures from flaky ones. An input that timed out in some but not all
//!    of its runs is replayed once more with twice the time limit: if it
//!    times out again it is a reproducible timeout (with a note saying so),
//!    otherwise its verdict stands.
//! 3. **Classification.** Each input gets a [`Kind`] — security-invariant
//!    violation (with its invariant id), sanitizer report, panic, stack
//!    overflow, out of memory, timeout, crash, not reproducible, undecodable —
//!    and a [`Severity`]: violations and sanitizer reports high; panics,
//!    overflows, OOMs, timeouts and crashes medium (denial of service); not
//!    reproducible low.
//! 4. **Signatures and clusters.** Violations are keyed by target and
//!    invariant id — secfuzz knows its invariants, so two different broken
//!    invariants are never lumped together and one invariant broken by a
//!    hundred inputs is one bug. (An oracle *returns* a violation rather than
//!    panicking, so there is no stack to add a frame from.) Panics get a Rust-aware stack signature
//!    ([`signature`]): panic location plus the first `--frames` project
//!    frames, with the panic machinery that tops every Rust backtrace
//!    removed. Same signature, same [`Cluster`].
//! 5. **Minimization** (`--minimize`). One representative per cluster is
//!    shrunk with [`harness::shrink`](crate::engine::harness::shrink), every
//!    candidate replayed in a child, keeping only candidates with the same
//!    signature, within a time budget per cluster (`--minimize-time`).
//! 6. **Report.** A terminal table, JSON (schema in [`report`]), SARIF 2.1.0
//!    for GitHub code scanning, or one self-contained HTML page with the
//!    decoded input, the rendered payload and the command that reproduces
//!    each cluster. Every file is accounted for: it is in a cluster or listed
//!    as skipped with the reason, and the totals are checked to add up
//!    ([`Report::verify_accounting`]). Inputs are never moved or deleted.
//! 7. **Promotion** (`--promote`, implies `--minimize`). Each finding's
//!    reproducer is written to `corpora/regressions/<target>/<name>` with a
//!    sidecar `<name>.json` ([`promote::Sidecar`]: invariant or kind,
//!    payload, exact payload bytes in hex, `Debug` of the input, signature,
//!    date). The corpus replay test replays every file there on every
//!    `cargo test`: it fails until the bug is fixed and guards the fix
//!    afterwards. Fix the bug, run `cargo test`, commit the fix together
//!    with the regression files.
//!
//! ```text
//! secfuzz triage fuzz/artifacts --minimize            # look
//! secfuzz triage fuzz/artifacts --format html --out triage.html
//! secfuzz triage fuzz/artifacts --promote             # keep the reproducers
//! cargo test                                          # red until fixed
//! git add corpora/regressions && git commit           # with the fix
//! ```
//!
//! Exit codes of `secfuzz triage`: 0 when no cluster is a reproducing
//! failure, 1 when at least one is ([`Report::has_findings`]), 2 on a usage
//! or environment error ([`TriageError`]).
//!
//! # Library use
//!
//! [`run`] takes the paths, a [`Replayer`] (how to start a child and which
//! targets it serves) and a [`Config`]. [`replay_one`] replays a single input
//! in one isolated child and says how it ended (`secfuzz replay` uses it). The `secfuzz` binary uses
//! [`Replayer::secfuzz`]; a test or benchmark can serve test-only targets from
//! its own binary by calling [`serve`] at its entry point and pointing a
//! [`Replayer`] at itself, which keeps those targets out of the public
//! registry.

pub mod child;
pub mod classify;
mod cluster;
mod config;
pub mod discover;
mod error;
mod minimize;
mod pipeline;
pub mod promote;
mod replay;
pub mod report;
pub mod signature;
mod single;
pub(crate) mod time;

pub use child::{serve, ChildError, CHILD_ENV};
pub use classify::{Kind, Location, Severity};
pub use config::Config;
pub use discover::ArtifactKind;
pub use error::TriageError;
pub use pipeline::run;
pub use replay::{Limits, Replayer, CHILD_SUBCOMMAND};
pub use report::{Cluster, Report};
pub use single::{replay_one, Outcome, Replayed};

pub use crate::engine::util::{hex, sha1_hex, unhex};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_round_trips() {
        let b: Vec<u8> = (0..=255).collect();
        assert_eq!(unhex(&hex(&b)).unwrap(), b);
        assert_eq!(hex(b"\x00\xffA"), "00ff41");
        assert_eq!(unhex("0"), None);
        assert_eq!(unhex("zz"), None);
    }
}
