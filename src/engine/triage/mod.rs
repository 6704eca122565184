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
//!    failures from flaky ones.
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
//! targets it serves) and a [`Config`]. The `secfuzz` binary uses
//! [`Replayer::secfuzz`]; a test or benchmark can serve test-only targets from
//! its own binary by calling [`serve`] at its entry point and pointing a
//! [`Replayer`] at itself, which keeps those targets out of the public
//! registry.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Mutex;
use std::thread;
use std::time::Duration;

pub mod child;
pub mod classify;
pub mod discover;
mod minimize;
pub mod promote;
mod replay;
pub mod report;
pub mod signature;
mod time;

pub use child::{serve, ChildError, CHILD_ENV};
pub use classify::{Kind, Location, Severity};
pub use discover::ArtifactKind;
pub use replay::{Replayer, CHILD_SUBCOMMAND};
pub use report::{Cluster, Report};

use classify::{aggregate, classify, Aggregate, Described, SigRules};
use replay::{run_once, Limits};

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

/// Triage settings. Every setter documents its default; out-of-range values
/// are reported by [`run`] as [`TriageError::Config`].
#[derive(Clone, Debug)]
pub struct Config {
    target: Option<String>,
    runs: u32,
    timeout: Duration,
    rss_limit_mb: u64,
    jobs: usize,
    frames: usize,
    minimize: bool,
    minimize_time: Duration,
    minimize_tests: usize,
    promote_dir: Option<PathBuf>,
    source_root: Option<PathBuf>,
    max_input_len: u64,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            target: None,
            runs: 3,
            timeout: Duration::from_secs(10),
            rss_limit_mb: 2048,
            jobs: thread::available_parallelism().map_or(1, |n| n.get()),
            frames: 3,
            minimize: false,
            minimize_time: Duration::from_secs(60),
            minimize_tests: 10_000,
            promote_dir: None,
            source_root: std::env::current_dir().ok(),
            max_input_len: 1024 * 1024,
        }
    }
}

impl Config {
    /// The defaults.
    pub fn new() -> Self {
        Self::default()
    }

    /// Replay every input through this target. Default: none — each input's
    /// target comes from its directory or ClusterFuzz file name.
    pub fn target(mut self, target: Option<String>) -> Self {
        self.target = target;
        self
    }

    /// Replays per input (1–100). Default 3.
    pub fn runs(mut self, runs: u32) -> Self {
        self.runs = runs;
        self
    }

    /// Wall-clock limit per replay; the child is killed when it is reached.
    /// Default 10 s.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Address-space limit per replay in MiB (`RLIMIT_AS`); 0 = no limit
    /// (needed for sanitizer builds, which reserve huge shadow mappings).
    /// Default 2048, libFuzzer's default `-rss_limit_mb`.
    pub fn rss_limit_mb(mut self, mb: u64) -> Self {
        self.rss_limit_mb = mb;
        self
    }

    /// Children run in parallel (1–256). Default: the number of CPUs.
    pub fn jobs(mut self, jobs: usize) -> Self {
        self.jobs = jobs;
        self
    }

    /// Project frames kept in a stack signature (1–64). Default 3.
    pub fn frames(mut self, frames: usize) -> Self {
        self.frames = frames;
        self
    }

    /// Minimize one representative per cluster. Default off.
    pub fn minimize(mut self, on: bool) -> Self {
        self.minimize = on;
        self
    }

    /// Minimization time budget per cluster. A candidate that is running
    /// when the budget ends finishes first (at most one `timeout` more).
    /// Default 60 s.
    pub fn minimize_time(mut self, budget: Duration) -> Self {
        self.minimize_time = budget;
        self
    }

    /// Most candidates replayed per cluster while minimizing. Default 10,000.
    pub fn minimize_tests(mut self, tests: usize) -> Self {
        self.minimize_tests = tests;
        self
    }

    /// Promote each finding's reproducer into
    /// `<dir>/regressions/<target>/` (implies minimization). Default: no
    /// promotion.
    pub fn promote_into(mut self, corpora_dir: Option<PathBuf>) -> Self {
        self.promote_dir = corpora_dir;
        self
    }

    /// Directory that source paths in signatures and SARIF locations are made
    /// relative to. Default: the current directory.
    pub fn source_root(mut self, root: Option<PathBuf>) -> Self {
        self.source_root = root;
        self
    }

    /// Files larger than this are skipped unread. Default 1 MiB (inputs over
    /// [`MAX_INPUT_LEN`](crate::engine::harness::MAX_INPUT_LEN) are undecodable anyway).
    pub fn max_input_len(mut self, bytes: u64) -> Self {
        self.max_input_len = bytes;
        self
    }

    fn validate(&self) -> Result<(), TriageError> {
        let bad = |setting, reason: &str| {
            Err(TriageError::Config {
                setting,
                reason: reason.to_owned(),
            })
        };
        if !(1..=100).contains(&self.runs) {
            return bad("runs", "must be between 1 and 100");
        }
        if self.timeout.is_zero() || self.timeout > Duration::from_secs(24 * 3600) {
            return bad("timeout", "must be more than 0 and at most a day");
        }
        if !(1..=256).contains(&self.jobs) {
            return bad("jobs", "must be between 1 and 256");
        }
        if !(1..=64).contains(&self.frames) {
            return bad("frames", "must be between 1 and 64");
        }
        if self.max_input_len == 0 {
            return bad("max input length", "must be more than 0");
        }
        Ok(())
    }

    fn minimizing(&self) -> bool {
        self.minimize || self.promote_dir.is_some()
    }

    fn limits(&self) -> Limits {
        Limits {
            timeout: self.timeout,
            rss_limit_mb: self.rss_limit_mb,
        }
    }

    fn sig_rules(&self) -> SigRules<'_> {
        SigRules {
            frames: self.frames,
            source_root: self.source_root.as_deref(),
        }
    }
}

/// One distinct (target, bytes) input and the files that hold it.
struct Unique {
    target: String,
    bytes: Vec<u8>,
    sha1: String,
    paths: Vec<PathBuf>,
    kinds: BTreeSet<ArtifactKind>,
}

/// Triage the files under `paths`, replaying through `replayer`'s children.
///
/// Never moves, changes or deletes an input. Returns a report that accounts
/// for every file found (checked with [`Report::verify_accounting`]).
pub fn run(paths: &[PathBuf], replayer: &Replayer, config: &Config) -> Result<Report, TriageError> {
    config.validate()?;
    if let Some(t) = &config.target {
        if !replayer.knows(t) {
            return Err(TriageError::UnknownTarget {
                target: t.clone(),
                known: replayer.targets().to_vec(),
            });
        }
    }

    // 1. Discover and group identical bytes.
    let (found, mut skipped) = discover::walk(paths)?;
    let files = found.len() + skipped.len();
    let mut uniques: Vec<Unique> = Vec::new();
    let mut index: HashMap<(String, [u8; 20]), Vec<usize>> = HashMap::new();
    for f in &found {
        let Some(target) =
            discover::resolve_target(f, replayer.targets(), config.target.as_deref())
        else {
            skipped.push(report::Skipped::new(
                &f.path,
                format!(
                    "no target: pass --target, or keep the file under a directory named after a target ({})",
                    known_list(replayer.targets())
                ),
            ));
            continue;
        };
        let bytes = match read_input(&f.path, config.max_input_len) {
            Ok(b) => b,
            Err(reason) => {
                skipped.push(report::Skipped::new(&f.path, reason));
                continue;
            }
        };
        let digest = sha1_smol::Sha1::from(&bytes).digest().bytes();
        let slot = index.entry((target.clone(), digest)).or_default();
        let kind = ArtifactKind::from_file_name(
            &f.path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
        );
        match slot.iter().copied().find(|&i| uniques[i].bytes == bytes) {
            Some(i) => {
                uniques[i].paths.push(f.path.clone());
                uniques[i].kinds.insert(kind);
            }
            None => {
                slot.push(uniques.len());
                uniques.push(Unique {
                    target,
                    sha1: hex(&digest),
                    bytes,
                    paths: vec![f.path.clone()],
                    kinds: BTreeSet::from([kind]),
                });
            }
        }
    }

    // 2. Replay every distinct input `runs` times, in parallel children.
    let runs = config.runs as usize;
    let jobs: Vec<(usize, usize)> = (0..uniques.len())
        .flat_map(|u| (0..runs).map(move |r| (u, r)))
        .collect();
    let rules = config.sig_rules();
    let results = par_map(&jobs, config.jobs, |&(u, _)| {
        let unique = &uniques[u];
        let raw = run_once(replayer, &unique.target, &unique.bytes, config.limits())?;
        classify(&raw, &unique.target, &rules)
    })?;
    let mut per_input: Vec<Vec<classify::Run>> = (0..uniques.len()).map(|_| Vec::new()).collect();
    for (&(u, _), run) in jobs.iter().zip(results) {
        per_input[u].push(run);
    }
    let aggregates: Vec<Aggregate> = per_input.into_iter().map(aggregate).collect();

    // 3. Cluster by signature.
    let mut groups: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, (u, a)) in uniques.iter().zip(&aggregates).enumerate() {
        let sig = match (&a.failure, &a.undecodable) {
            (Some(f), _) => f.signature.clone(),
            (None, Some(_)) => format!("{} | {}", u.target, Kind::Undecodable),
            (None, None) => format!("{} | {}", u.target, Kind::NotReproducible),
        };
        groups.entry(sig).or_default().push(i);
    }
    let mut clusters: Vec<(report::Cluster, usize)> = groups
        .into_iter()
        .map(|(sig, members)| build_cluster(sig, &members, &uniques, &aggregates))
        .collect();

    // 4. Minimize one representative per reproducible finding.
    if config.minimizing() {
        let todo: Vec<usize> = (0..clusters.len())
            .filter(|&i| {
                let c = &clusters[i].0;
                c.kind.is_finding() && !c.flaky
            })
            .collect();
        let minimized = par_map(&todo, config.jobs, |&i| {
            let (c, rep) = &clusters[i];
            minimize::minimize(
                replayer,
                &uniques[*rep],
                &c.signature,
                config,
                aggregates[*rep].described.as_ref(),
            )
        })?;
        for (i, m) in todo.into_iter().zip(minimized) {
            let c = &mut clusters[i].0;
            if !m.complete {
                c.notes.push("minimization stopped at its budget".into());
            }
            c.minimized = Some(m.into_report());
        }
        for (c, _) in &mut clusters {
            if c.kind.is_finding() && c.flaky {
                c.notes.push(
                    "not minimized: some replays passed or failed differently (flaky)".into(),
                );
            }
        }
    }

    // 5. Promote.
    if let Some(dir) = &config.promote_dir {
        let date = time::rfc3339_now();
        for (c, _) in &mut clusters {
            if c.kind.is_finding() {
                promote::promote_cluster(dir, c, &date)?;
            }
        }
    }

    // 6. Report.
    let mut clusters: Vec<report::Cluster> = clusters.into_iter().map(|(c, _)| c).collect();
    clusters.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then(a.kind.cmp(&b.kind))
            .then(a.target.cmp(&b.target))
            .then(a.signature.cmp(&b.signature))
    });
    let clustered_files = clusters.iter().map(|c| c.file_count).sum();
    let report = Report {
        schema_version: report::SCHEMA_VERSION,
        tool: report::Tool {
            name: "secfuzz".into(),
            version: env!("CARGO_PKG_VERSION").into(),
        },
        generated: time::rfc3339_now(),
        settings: report::Settings {
            target: config.target.clone(),
            runs: config.runs,
            timeout_ms: duration_ms(config.timeout),
            rss_limit_mb: config.rss_limit_mb,
            jobs: config.jobs,
            frames: config.frames,
            minimize: config.minimizing(),
            minimize_time_ms: duration_ms(config.minimize_time),
            promote_dir: config.promote_dir.as_ref().map(|d| d.display().to_string()),
        },
        totals: report::Totals {
            files,
            clustered_files,
            skipped_files: skipped.len(),
            unique_inputs: uniques.len(),
            clusters: clusters.len(),
            finding_clusters: clusters.iter().filter(|c| c.kind.is_finding()).count(),
        },
        clusters,
        skipped,
    };
    report.verify_accounting()?;
    Ok(report)
}

fn known_list(known: &[String]) -> String {
    if known.is_empty() {
        "no targets are known".into()
    } else {
        format!("known: {}", known.join(", "))
    }
}

/// Reads at most `max` bytes; a longer file (even one that grew since it was
/// listed) is refused.
fn read_input(path: &Path, max: u64) -> Result<Vec<u8>, String> {
    use std::io::Read;
    let file = fs::File::open(path).map_err(|e| format!("cannot open: {e}"))?;
    let mut bytes = Vec::new();
    file.take(max.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read: {e}"))?;
    if bytes.len() as u64 > max {
        let len = fs::metadata(path).map_or(bytes.len() as u64, |m| m.len());
        return Err(format!("{len} bytes, over the {max}-byte input limit"));
    }
    Ok(bytes)
}

fn duration_ms(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

/// Builds the cluster for one signature; also returns the representative's
/// index in `uniques`.
fn build_cluster(
    signature: String,
    members: &[usize],
    uniques: &[Unique],
    aggregates: &[Aggregate],
) -> (report::Cluster, usize) {
    // Representative: failed most often, then smallest (shortlex).
    let rep = members
        .iter()
        .copied()
        .max_by(|&a, &b| {
            let (ua, ub) = (&uniques[a], &uniques[b]);
            aggregates[a]
                .failed
                .cmp(&aggregates[b].failed)
                .then_with(|| (ub.bytes.len(), &ub.bytes).cmp(&(ua.bytes.len(), &ua.bytes)))
        })
        .unwrap_or(members[0]);
    let u = &uniques[rep];
    let a = &aggregates[rep];
    let flaky = members.iter().any(|&m| aggregates[m].flaky());
    let file_count = members.iter().map(|&m| uniques[m].paths.len()).sum();
    let (kind, invariant, title, detail, frames, location) = match (&a.failure, &a.undecodable) {
        (Some(f), _) => {
            let location = f
                .frames
                .iter()
                .find_map(|fr| match (&fr.file, fr.line) {
                    (Some(file), Some(line)) if in_source_tree(file) => Some(Location {
                        file: file.clone(),
                        line,
                        column: None,
                    }),
                    _ => None,
                })
                .or_else(|| f.location.clone());
            (
                f.kind,
                f.invariant.clone(),
                f.title.clone(),
                f.detail.clone(),
                f.frames.clone(),
                location,
            )
        }
        (None, Some(why)) => (
            Kind::Undecodable,
            None,
            format!("does not decode: {}", classify::clip(why, 160)),
            why.clone(),
            Vec::new(),
            None,
        ),
        (None, None) => {
            let kinds: BTreeSet<&str> = members
                .iter()
                .flat_map(|&m| uniques[m].kinds.iter().map(|k| k.as_str()))
                .collect();
            (
                Kind::NotReproducible,
                None,
                format!("no replay failed ({} runs each)", a.runs),
                format!(
                    "artifact kinds: {}; a fixed bug, a different build, or a failure that needs \
                     the fuzzer's state or a sanitizer",
                    kinds.into_iter().collect::<Vec<_>>().join(", ")
                ),
                Vec::new(),
                None,
            )
        }
    };
    let (input_debug, payload, payload_hex) = describe_fields(a.described.as_ref());
    let inputs = members
        .iter()
        .map(|&m| {
            let u = &uniques[m];
            report::InputEntry {
                sha1: u.sha1.clone(),
                len: u.bytes.len(),
                paths: u.paths.iter().map(|p| p.display().to_string()).collect(),
                artifact_kinds: u.kinds.iter().copied().collect(),
                runs: aggregates[m].runs,
                failed: aggregates[m].failed,
            }
        })
        .collect();
    let mut notes = Vec::new();
    if let Some(d) = &a.described {
        if d.truncated {
            notes.push(format!(
                "the rendered payload is longer than {} bytes and is shown cut",
                child::MAX_PAYLOAD_LEN
            ));
        }
    }
    let cluster = report::Cluster {
        id: sha1_hex(&signature)[..16].to_owned(),
        target: u.target.clone(),
        kind,
        severity: kind.severity(),
        invariant,
        signature,
        title,
        detail,
        location,
        frames,
        flaky,
        file_count,
        representative: report::Sample {
            sha1: u.sha1.clone(),
            len: u.bytes.len(),
            path: u.paths[0].display().to_string(),
            bytes_hex: hex(&u.bytes),
            input_debug,
            payload,
            payload_hex,
            runs: a.runs,
            failed: a.failed,
        },
        minimized: None,
        promoted: None,
        notes,
        inputs,
    };
    (cluster, rep)
}

/// A path that points into the project's tree (relative after normalization,
/// not the standard library).
fn in_source_tree(file: &str) -> bool {
    !file.starts_with('/') && !file.starts_with("library/") && !file.contains(":\\")
}

/// `input_debug`, `payload` (text) and `payload_hex` of a description. A cut
/// payload has no `payload_hex`: its exact bytes are not known.
fn describe_fields(d: Option<&Described>) -> (Option<String>, Option<String>, Option<String>) {
    match d {
        Some(d) => {
            let mut text = crate::engine::util::payload_text(&d.payload);
            if d.truncated {
                text.push_str("… (cut)");
            }
            (
                Some(d.input_debug.clone()),
                Some(text),
                (!d.truncated).then(|| hex(&d.payload)),
            )
        }
        None => (None, None, None),
    }
}

/// Maps `f` over `items` on `jobs` threads, in order; stops at the first error.
fn par_map<T, R, F>(items: &[T], jobs: usize, f: F) -> Result<Vec<R>, TriageError>
where
    T: Sync,
    R: Send,
    F: Fn(&T) -> Result<R, TriageError> + Sync,
{
    let next = AtomicUsize::new(0);
    let stop = AtomicBool::new(false);
    let slots: Vec<Mutex<Option<Result<R, TriageError>>>> =
        items.iter().map(|_| Mutex::new(None)).collect();
    thread::scope(|s| {
        for _ in 0..jobs.clamp(1, items.len().max(1)) {
            s.spawn(|| loop {
                if stop.load(Ordering::Relaxed) {
                    break;
                }
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(item) = items.get(i) else { break };
                let r = f(item);
                if r.is_err() {
                    stop.store(true, Ordering::Relaxed);
                }
                *slots[i].lock().unwrap_or_else(|p| p.into_inner()) = Some(r);
            });
        }
    });
    let mut out = Vec::with_capacity(items.len());
    let mut first_err = None;
    for slot in slots {
        match slot.into_inner().unwrap_or_else(|p| p.into_inner()) {
            Some(Ok(r)) => out.push(r),
            Some(Err(e)) => {
                first_err.get_or_insert(e);
            }
            None => {}
        }
    }
    match first_err {
        Some(e) => Err(e),
        None => Ok(out),
    }
}

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

    #[test]
    fn par_map_keeps_order_and_reports_errors() {
        let items: Vec<u32> = (0..50).collect();
        let out = par_map(&items, 4, |&x| Ok(x * 2)).unwrap();
        assert_eq!(out, items.iter().map(|x| x * 2).collect::<Vec<_>>());
        let err = par_map(&items, 3, |&x| {
            if x == 7 {
                Err(TriageError::Wait {
                    source: io::Error::other("x"),
                })
            } else {
                Ok(x)
            }
        });
        assert!(err.is_err());
        assert!(par_map(&[] as &[u32], 2, |&x| Ok(x)).unwrap().is_empty());
    }

    #[test]
    fn bad_settings_are_typed_errors() {
        let r = Replayer::new("/nonexistent", ["t"]);
        for c in [
            Config::new().runs(0),
            Config::new().jobs(0),
            Config::new().timeout(Duration::ZERO),
            Config::new().frames(0),
        ] {
            assert!(matches!(run(&[], &r, &c), Err(TriageError::Config { .. })));
        }
        assert!(matches!(
            run(&[], &r, &Config::new().target(Some("nope".into()))),
            Err(TriageError::UnknownTarget { .. })
        ));
    }
}
