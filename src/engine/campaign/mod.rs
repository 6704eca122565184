//! Fuzzing campaigns: build every fuzz target once with cargo-fuzz, run them
//! under libFuzzer for a wall-clock budget, report progress, and optionally
//! merge what they learned back into `corpora/`.
//!
//! Layout it relies on (relative to the project root, the directory holding
//! `fuzz/Cargo.toml`):
//!
//! | path | role |
//! |---|---|
//! | `fuzz/fuzz_targets/<t>.rs` | one shim per registered target |
//! | `corpora/<t>/` | committed seed + coverage corpus (read, and rewritten only by a merge) |
//! | `fuzz/corpus/<t>/` | working corpus libFuzzer grows (not committed) |
//! | `fuzz/artifacts/<t>/` | crash, timeout and OOM artifacts (not committed; triage them) |
//! | `fuzz/logs/<t>.log` | libFuzzer's full output for the last run |
//! | `fuzz/runs/<time>.json`, `.svg` | the run's summary and coverage-over-time plot (not committed) |
//! | `fuzz/ledger.jsonl` | one line per target and run: core-seconds, execs, result (committed) |
//!
//! A campaign stops early, and still merges and writes its record, when
//! [`Campaign::stop`] is raised (the CLI raises it on SIGINT and SIGTERM):
//! running libFuzzer processes get SIGINT, print their final statistics and
//! exit, and no new wave starts.
//!
//! Toolchain: with a `nightly` toolchain installed, targets build with
//! AddressSanitizer (`cargo +nightly fuzz build`); otherwise with stable and
//! `--sanitizer none`. cargo-fuzz is installed with
//! `cargo install cargo-fuzz --locked` when it is missing.

use std::fmt;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

mod duration;
pub mod record;
pub use duration::{parse_duration, DurationError};
pub use record::{CoveragePoint, LedgerTotal};

/// Which sanitizer fuzz targets are built with.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Sanitizer {
    /// AddressSanitizer when a nightly toolchain is installed, else none.
    #[default]
    Auto,
    /// AddressSanitizer (needs nightly).
    Address,
    /// No sanitizer (works on stable).
    None,
}

/// A campaign's settings. Build with [`Campaign::new`] and adjust fields.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Campaign {
    /// Project root: the directory holding `fuzz/Cargo.toml`.
    pub root: PathBuf,
    /// Targets to fuzz, by registry name. Default: every registered target.
    pub targets: Vec<String>,
    /// Wall-clock budget for the fuzzing itself (building not included).
    /// Default 60 s.
    pub duration: Duration,
    /// Targets fuzzed at the same time. Default: available cores.
    pub jobs: usize,
    /// Sanitizer choice. Default [`Sanitizer::Auto`].
    pub sanitizer: Sanitizer,
    /// libFuzzer's per-input time limit. Default 10 s.
    pub input_timeout: Duration,
    /// libFuzzer's memory limit in MiB. Default 2048.
    pub rss_limit_mb: u64,
    /// After fuzzing, merge-minimize `corpora/<t>` ∪ the working corpus back
    /// into `corpora/<t>` (coverage-preserving). Default false.
    pub merge: bool,
    /// Write the run's summary JSON and plot under `fuzz/runs/` and append
    /// to `fuzz/ledger.jsonl`. Default true.
    pub record: bool,
    /// Raised to stop early (e.g. from a signal handler): running targets
    /// are interrupted, no new one starts, the merge and record still run.
    pub stop: Arc<AtomicBool>,
    /// Raise [`Campaign::stop`] at the first crash of any target (the CLI's
    /// `--ci` mode). Default false.
    pub stop_at_first_finding: bool,
}

/// Everything that can stop a campaign before it finishes.
#[derive(Debug)]
#[non_exhaustive]
pub enum CampaignError {
    /// No `fuzz/Cargo.toml` at or above the given directory.
    NoProject {
        /// Where the search started.
        start: PathBuf,
    },
    /// A requested target is not in the registry.
    UnknownTarget {
        /// The name given.
        name: String,
        /// Registered names.
        known: Vec<&'static str>,
    },
    /// AddressSanitizer was requested but no nightly toolchain is installed.
    NightlyMissing,
    /// A command could not be started.
    Spawn {
        /// The command line.
        command: String,
        /// The OS error.
        source: std::io::Error,
    },
    /// A command ran and failed.
    CommandFailed {
        /// The command line.
        command: String,
        /// Its exit status.
        status: std::process::ExitStatus,
        /// The last lines it printed.
        tail: String,
    },
    /// Reading or writing a campaign file failed.
    Io {
        /// The file or directory.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// The libFuzzer binary for a target is not where cargo-fuzz puts it.
    MissingBinary {
        /// Where it was expected.
        path: PathBuf,
    },
}

impl fmt::Display for CampaignError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CampaignError::NoProject { start } => write!(
                f,
                "no fuzz/Cargo.toml in {} or any parent; run from the secfuzz project or pass --project",
                start.display()
            ),
            CampaignError::UnknownTarget { name, known } => {
                write!(f, "unknown target {name:?}; known targets: {}", known.join(", "))
            }
            CampaignError::NightlyMissing => write!(
                f,
                "AddressSanitizer needs a nightly toolchain and none is installed; use --sanitizer none"
            ),
            CampaignError::Spawn { command, source } => {
                write!(f, "cannot run `{command}`: {source}")
            }
            CampaignError::CommandFailed { command, status, tail } => {
                write!(f, "`{command}` failed ({status})")?;
                if !tail.is_empty() {
                    write!(f, ":\n{tail}")?;
                }
                Ok(())
            }
            CampaignError::Io { path, source } => write!(f, "{}: {source}", path.display()),
            CampaignError::MissingBinary { path } => {
                write!(f, "fuzz binary {} not found after building", path.display())
            }
        }
    }
}

impl std::error::Error for CampaignError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            CampaignError::Spawn { source, .. } | CampaignError::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// What a campaign reports while it runs.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum Event {
    /// cargo-fuzz was missing and is being installed.
    InstallingCargoFuzz,
    /// A build or merge command is starting.
    Running {
        /// The command line.
        command: String,
    },
    /// A target started fuzzing for `seconds`.
    Started {
        /// Target name.
        target: String,
        /// Its share of the budget.
        seconds: u64,
    },
    /// libFuzzer's latest status line for a target.
    Status {
        /// Target name.
        target: String,
        /// Seconds since it started.
        elapsed: u64,
        /// The status line (`#N cov: … exec/s: …`).
        line: String,
    },
    /// A target finished.
    Finished(TargetRun),
}

/// The outcome of fuzzing one target.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct TargetRun {
    /// Target name.
    pub target: String,
    /// Inputs executed.
    pub execs: u64,
    /// Average executions per second.
    pub execs_per_sec: u64,
    /// Inputs libFuzzer added to the working corpus in this run.
    pub new_units: u64,
    /// Peak resident memory, MiB.
    pub peak_rss_mb: u64,
    /// Wall time spent (one libFuzzer process: core-seconds).
    pub elapsed: Duration,
    /// Covered edges when the target started (after loading its corpus) and
    /// at the end (libFuzzer's `cov`).
    pub coverage_before: u64,
    /// See `coverage_before`.
    pub coverage_after: u64,
    /// Features at the start and the end (libFuzzer's `ft`).
    pub features_before: u64,
    /// See `features_before`.
    pub features_after: u64,
    /// Files in the seed and working corpora before the run.
    pub corpus_before: u64,
    /// Files in the seed and working corpora after the run.
    pub corpus_after: u64,
    /// Coverage over time, at most one point per second.
    pub timeline: Vec<CoveragePoint>,
    /// The run was cut short by [`Campaign::stop`].
    pub interrupted: bool,
    /// The crash, timeout or OOM found, if any.
    pub finding: Option<Finding>,
    /// Where libFuzzer's full output went.
    pub log: PathBuf,
}

/// A crash (or timeout, OOM, leak) libFuzzer saved.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Finding {
    /// `crash`, `timeout`, `oom`, `leak`, `slow-unit`, … (the artifact's name prefix).
    pub kind: String,
    /// The saved input.
    pub artifact: PathBuf,
    /// Commands that reproduce it.
    pub reproduce: Vec<String>,
}

/// The outcome of a whole campaign.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Summary {
    /// The sanitizer the targets were built with.
    pub sanitizer: Sanitizer,
    /// One entry per target, in run order.
    pub runs: Vec<TargetRun>,
    /// The campaign was stopped early.
    pub interrupted: bool,
    /// The summary JSON and coverage plot written for this run, if any.
    pub record: Option<(PathBuf, PathBuf)>,
}

impl Summary {
    /// All findings of the campaign.
    pub fn findings(&self) -> impl Iterator<Item = (&str, &Finding)> {
        self.runs
            .iter()
            .filter_map(|r| r.finding.as_ref().map(|f| (r.target.as_str(), f)))
    }
}

/// Find the project root: `start` or the nearest parent holding `fuzz/Cargo.toml`.
pub fn find_root(start: &Path) -> Result<PathBuf, CampaignError> {
    start
        .ancestors()
        .find(|d| d.join("fuzz").join("Cargo.toml").is_file())
        .map(Path::to_path_buf)
        .ok_or_else(|| CampaignError::NoProject {
            start: start.to_owned(),
        })
}

impl Campaign {
    /// A campaign over every registered target of the project at `root`,
    /// with the defaults documented on each field.
    pub fn new(root: PathBuf) -> Self {
        Campaign {
            root,
            targets: crate::engine::registry::names()
                .into_iter()
                .map(String::from)
                .collect(),
            duration: Duration::from_secs(60),
            jobs: std::thread::available_parallelism().map_or(1, |n| n.get()),
            sanitizer: Sanitizer::Auto,
            input_timeout: Duration::from_secs(10),
            rss_limit_mb: 2048,
            merge: false,
            record: true,
            stop: Arc::new(AtomicBool::new(false)),
            stop_at_first_finding: false,
        }
    }

    /// Install cargo-fuzz if needed, build every target once, fuzz, merge.
    pub fn run(&self, progress: &(dyn Fn(Event) + Sync)) -> Result<Summary, CampaignError> {
        for t in &self.targets {
            if crate::engine::registry::find(t).is_none() {
                return Err(CampaignError::UnknownTarget {
                    name: t.clone(),
                    known: crate::engine::registry::names(),
                });
            }
        }
        let nightly = nightly_installed();
        let sanitizer = match (self.sanitizer, nightly) {
            (Sanitizer::Address, false) => return Err(CampaignError::NightlyMissing),
            (Sanitizer::Auto, true) | (Sanitizer::Address, true) => Sanitizer::Address,
            _ => Sanitizer::None,
        };
        ensure_cargo_fuzz(progress)?;
        let bin_dir = self.build(sanitizer, progress)?;

        let started = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let jobs = self.jobs.max(1);
        let waves = self.targets.len().div_ceil(jobs).max(1) as u32;
        let share = (self.duration / waves).max(Duration::from_secs(1));
        let mut runs = Vec::new();
        for wave in self.targets.chunks(jobs) {
            if self.stop.load(Ordering::SeqCst) {
                break;
            }
            let results: Vec<_> = std::thread::scope(|s| {
                let handles: Vec<_> = wave
                    .iter()
                    .map(|t| {
                        let bin = bin_dir.join(t);
                        s.spawn(move || self.fuzz_one(t, &bin, share, sanitizer, progress))
                    })
                    .collect();
                handles
                    .into_iter()
                    .map(|h| h.join().expect("fuzz thread does not panic"))
                    .collect()
            });
            for r in results {
                let r = r?;
                progress(Event::Finished(r.clone()));
                runs.push(r);
            }
        }
        if self.merge {
            for r in &runs {
                self.merge_corpus(&r.target, &bin_dir.join(&r.target), progress)?;
            }
        }
        let mut summary = Summary {
            sanitizer,
            interrupted: self.stop.load(Ordering::SeqCst),
            runs,
            record: None,
        };
        if self.record {
            summary.record = Some(record::write(&self.root, &summary, started)?);
        }
        Ok(summary)
    }

    fn cargo_fuzz(&self, sanitizer: Sanitizer) -> Command {
        let mut cmd = Command::new("cargo");
        if sanitizer == Sanitizer::Address {
            cmd.arg("+nightly");
        }
        cmd.arg("fuzz");
        cmd.current_dir(&self.root);
        cmd
    }

    fn build(
        &self,
        sanitizer: Sanitizer,
        progress: &(dyn Fn(Event) + Sync),
    ) -> Result<PathBuf, CampaignError> {
        // `cargo fuzz build` builds one target or all of them: build all in
        // one go when every registered target is asked for, else one by one.
        let all = self.targets.len() == crate::engine::registry::all().len();
        let builds: Vec<Option<&String>> = if all {
            vec![None]
        } else {
            self.targets.iter().map(Some).collect()
        };
        for target in builds {
            let mut cmd = self.cargo_fuzz(sanitizer);
            cmd.arg("build");
            if sanitizer == Sanitizer::None {
                cmd.args(["--sanitizer", "none"]);
            }
            cmd.args(target);
            run_checked(cmd, progress)?;
        }
        let triple = host_triple()?;
        let dir = self.root.join("fuzz/target").join(triple).join("release");
        for t in &self.targets {
            let bin = dir.join(t);
            if !bin.is_file() {
                return Err(CampaignError::MissingBinary { path: bin });
            }
        }
        Ok(dir)
    }

    fn fuzz_one(
        &self,
        target: &str,
        bin: &Path,
        share: Duration,
        sanitizer: Sanitizer,
        progress: &(dyn Fn(Event) + Sync),
    ) -> Result<TargetRun, CampaignError> {
        let work = self.root.join("fuzz/corpus").join(target);
        let seeds = self.root.join("corpora").join(target);
        let artifacts = self.root.join("fuzz/artifacts").join(target);
        let logs = self.root.join("fuzz/logs");
        for d in [&work, &seeds, &artifacts, &logs] {
            std::fs::create_dir_all(d).map_err(|source| CampaignError::Io {
                path: d.clone(),
                source,
            })?;
        }
        let corpus_before = record::count_files(&work) + record::count_files(&seeds);
        let log_path = logs.join(format!("{target}.log"));
        let log = std::fs::File::create(&log_path).map_err(|source| CampaignError::Io {
            path: log_path.clone(),
            source,
        })?;
        let mut cmd = Command::new(bin);
        cmd.arg(format!("-max_total_time={}", share.as_secs()))
            .arg(format!("-timeout={}", self.input_timeout.as_secs().max(1)))
            .arg(format!("-rss_limit_mb={}", self.rss_limit_mb))
            .arg("-print_final_stats=1")
            .arg(format!("-artifact_prefix={}/", artifacts.display()))
            .arg(&work)
            .arg(&seeds)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        let command = format!("{cmd:?}");
        progress(Event::Started {
            target: target.to_owned(),
            seconds: share.as_secs(),
        });
        let start = Instant::now();
        let mut child = cmd.spawn().map_err(|source| CampaignError::Spawn {
            command: command.clone(),
            source,
        })?;
        let stderr = child.stderr.take().expect("stderr is piped");
        let pid = rustix::process::Pid::from_child(&child);
        let running = Arc::new(AtomicBool::new(true));
        let interrupted = Arc::new(AtomicBool::new(false));
        let watcher = {
            let (stop, running, interrupted) =
                (self.stop.clone(), running.clone(), interrupted.clone());
            std::thread::spawn(move || {
                while running.load(Ordering::SeqCst) {
                    if stop.load(Ordering::SeqCst) {
                        // libFuzzer prints its final statistics on SIGINT.
                        let _ = rustix::process::kill_process(pid, rustix::process::Signal::INT);
                        interrupted.store(true, Ordering::SeqCst);
                        return;
                    }
                    std::thread::sleep(Duration::from_millis(100));
                }
            })
        };
        let mut st = LogStats::default();
        let mut log = std::io::BufWriter::new(log);
        let mut last_report = Instant::now();
        for line in BufReader::new(stderr).split(b'\n') {
            let Ok(line) = line else { break };
            let line = String::from_utf8_lossy(&line).into_owned();
            let _ = writeln!(log, "{line}");
            st.observe(&line, start.elapsed().as_secs());
            if last_report.elapsed() >= Duration::from_secs(10) && line.starts_with('#') {
                last_report = Instant::now();
                progress(Event::Status {
                    target: target.to_owned(),
                    elapsed: start.elapsed().as_secs(),
                    line: line.clone(),
                });
            }
        }
        let _ = log.flush();
        let status = child.wait().map_err(|source| CampaignError::Spawn {
            command: command.clone(),
            source,
        })?;
        running.store(false, Ordering::SeqCst);
        let _ = watcher.join();
        let interrupted = interrupted.load(Ordering::SeqCst);
        let finding = st.artifact.as_ref().map(|a| {
            let artifact = PathBuf::from(a);
            let kind = artifact
                .file_name()
                .and_then(|n| n.to_str())
                .and_then(|n| n.rsplit_once('-').map(|(k, _)| k.to_owned()))
                .unwrap_or_else(|| "crash".to_owned());
            let toolchain = if sanitizer == Sanitizer::Address {
                "cargo +nightly fuzz run".to_owned()
            } else {
                "cargo fuzz run --sanitizer none".to_owned()
            };
            Finding {
                kind,
                reproduce: vec![
                    format!("{toolchain} {target} {}", artifact.display()),
                    format!("secfuzz replay {target} {}", artifact.display()),
                    format!("secfuzz triage {}", artifact.display()),
                ],
                artifact,
            }
        });
        if finding.is_some() && self.stop_at_first_finding {
            self.stop.store(true, Ordering::SeqCst);
        }
        if !status.success() && finding.is_none() && !interrupted {
            return Err(CampaignError::CommandFailed {
                command,
                status,
                tail: tail_of(&log_path),
            });
        }
        Ok(TargetRun {
            target: target.to_owned(),
            execs: st.execs,
            execs_per_sec: st.execs_per_sec,
            new_units: st.new_units,
            peak_rss_mb: st.peak_rss_mb,
            elapsed: start.elapsed(),
            coverage_before: st.first.map_or(0, |p| p.cov),
            coverage_after: st.timeline.last().map_or(0, |p| p.cov),
            features_before: st.first.map_or(0, |p| p.ft),
            features_after: st.timeline.last().map_or(0, |p| p.ft),
            corpus_before,
            corpus_after: record::count_files(&work) + record::count_files(&seeds),
            timeline: st.timeline,
            interrupted,
            finding,
            log: log_path,
        })
    }

    /// Coverage-preserving minimization of `corpora/<t>` ∪ `fuzz/corpus/<t>`
    /// into `corpora/<t>`: new files are written before old ones are removed.
    fn merge_corpus(
        &self,
        target: &str,
        bin: &Path,
        progress: &(dyn Fn(Event) + Sync),
    ) -> Result<(), CampaignError> {
        let seeds = self.root.join("corpora").join(target);
        let work = self.root.join("fuzz/corpus").join(target);
        let merged = self
            .root
            .join("fuzz/corpus")
            .join(format!("{target}.merged"));
        let io = |path: &Path| {
            let path = path.to_owned();
            move |source| CampaignError::Io { path, source }
        };
        if merged.exists() {
            std::fs::remove_dir_all(&merged).map_err(io(&merged))?;
        }
        std::fs::create_dir_all(&merged).map_err(io(&merged))?;
        let mut cmd = Command::new(bin);
        cmd.arg("-merge=1").arg(&merged).arg(&seeds).arg(&work);
        run_checked(cmd, progress)?;
        let names = |d: &Path| -> Result<Vec<PathBuf>, CampaignError> {
            let mut v = Vec::new();
            for e in std::fs::read_dir(d).map_err(io(d))? {
                let p = e.map_err(io(d))?.path();
                if p.is_file() {
                    v.push(p);
                }
            }
            Ok(v)
        };
        let keep = names(&merged)?;
        if keep.is_empty() {
            return Ok(()); // nothing learned; never empty the committed corpus
        }
        let kept: std::collections::HashSet<_> =
            keep.iter().filter_map(|p| p.file_name()).collect();
        for p in &keep {
            let dest = seeds.join(p.file_name().expect("file has a name"));
            std::fs::copy(p, &dest).map_err(io(&dest))?;
        }
        for old in names(&seeds)? {
            if !old.file_name().is_some_and(|n| kept.contains(n)) {
                std::fs::remove_file(&old).map_err(io(&old))?;
            }
        }
        std::fs::remove_dir_all(&merged).map_err(io(&merged))?;
        Ok(())
    }
}

/// Counters read from libFuzzer's output.
#[derive(Clone, Debug, Default)]
struct LogStats {
    execs: u64,
    execs_per_sec: u64,
    new_units: u64,
    peak_rss_mb: u64,
    artifact: Option<String>,
    /// Coverage of the first status line (the corpus loaded).
    first: Option<CoveragePoint>,
    /// Coverage over time: the last point of each second.
    timeline: Vec<CoveragePoint>,
}

impl LogStats {
    fn observe(&mut self, line: &str, secs: u64) {
        if line.starts_with('#') {
            if let Some((cov, ft)) = record::parse_cov_ft(line) {
                let p = CoveragePoint { secs, cov, ft };
                // "Before" is the coverage of the loaded corpus: INITED.
                if line.contains("INITED") {
                    self.first = Some(p);
                } else {
                    self.first.get_or_insert(p);
                }
                match self.timeline.last_mut() {
                    Some(last) if last.secs == secs => *last = p,
                    _ => self.timeline.push(p),
                }
            }
        }
        let stat = |name: &str| {
            line.strip_prefix(name)
                .and_then(|v| v.trim().parse::<u64>().ok())
        };
        if let Some(v) = stat("stat::number_of_executed_units:") {
            self.execs = v;
        } else if let Some(v) = stat("stat::average_exec_per_sec:") {
            self.execs_per_sec = v;
        } else if let Some(v) = stat("stat::new_units_added:") {
            self.new_units = v;
        } else if let Some(v) = stat("stat::peak_rss_mb:") {
            self.peak_rss_mb = v;
        } else if let Some((_, path)) = line.split_once("Test unit written to ") {
            self.artifact = Some(path.trim().to_owned());
        }
    }
}

/// Is a `nightly` toolchain installed (rustup)?
pub fn nightly_installed() -> bool {
    Command::new("cargo")
        .args(["+nightly", "--version"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Install cargo-fuzz with `cargo install cargo-fuzz --locked` if `cargo fuzz` is missing.
pub fn ensure_cargo_fuzz(progress: &(dyn Fn(Event) + Sync)) -> Result<(), CampaignError> {
    let present = Command::new("cargo")
        .args(["fuzz", "--version"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if present {
        return Ok(());
    }
    progress(Event::InstallingCargoFuzz);
    let mut cmd = Command::new("cargo");
    cmd.args(["install", "cargo-fuzz", "--locked"]);
    run_checked(cmd, progress)
}

fn host_triple() -> Result<String, CampaignError> {
    let out = Command::new("rustc")
        .arg("-vV")
        .output()
        .map_err(|source| CampaignError::Spawn {
            command: "rustc -vV".into(),
            source,
        })?;
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("host: ").map(str::to_owned))
        .ok_or_else(|| CampaignError::CommandFailed {
            command: "rustc -vV".into(),
            status: out.status,
            tail: "no host line".into(),
        })
}

fn run_checked(mut cmd: Command, progress: &(dyn Fn(Event) + Sync)) -> Result<(), CampaignError> {
    let command = describe(&cmd);
    progress(Event::Running {
        command: command.clone(),
    });
    let out = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .output()
        .map_err(|source| CampaignError::Spawn {
            command: command.clone(),
            source,
        })?;
    if out.status.success() {
        return Ok(());
    }
    let text = String::from_utf8_lossy(&out.stderr);
    let lines: Vec<&str> = text.lines().collect();
    Err(CampaignError::CommandFailed {
        command,
        status: out.status,
        tail: lines[lines.len().saturating_sub(20)..].join("\n"),
    })
}

fn describe(cmd: &Command) -> String {
    std::iter::once(cmd.get_program())
        .chain(cmd.get_args())
        .map(|a| a.to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

fn tail_of(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(20)..].join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_final_stats_and_artifact_path_from_libfuzzer_output() {
        let mut st = LogStats::default();
        for line in [
            "#1024\tpulse  cov: 311 ft: 402 corp: 12/96b exec/s: 512 rss: 41Mb",
            "==1234== ERROR: libFuzzer: deadly signal",
            "artifact_prefix='fuzz/artifacts/path/'; Test unit written to fuzz/artifacts/path/crash-0a1b2c",
            "stat::number_of_executed_units: 52311",
            "stat::average_exec_per_sec:     8718",
            "stat::new_units_added:          17",
            "stat::peak_rss_mb:              44",
        ] {
            st.observe(line, 3);
        }
        assert_eq!(st.execs, 52311);
        assert_eq!(
            st.first,
            Some(CoveragePoint {
                secs: 3,
                cov: 311,
                ft: 402
            })
        );
        assert_eq!(st.timeline.len(), 1);
        assert_eq!(st.execs_per_sec, 8718);
        assert_eq!(st.new_units, 17);
        assert_eq!(st.peak_rss_mb, 44);
        assert_eq!(
            st.artifact.as_deref(),
            Some("fuzz/artifacts/path/crash-0a1b2c")
        );
    }

    #[test]
    fn finds_the_project_root_from_a_subdirectory() {
        let here = Path::new(env!("CARGO_MANIFEST_DIR"));
        assert_eq!(find_root(&here.join("src/campaign")).unwrap(), here);
        let tmp = std::env::temp_dir().join("secfuzz-no-project-here");
        assert!(matches!(
            find_root(&tmp),
            Err(CampaignError::NoProject { .. })
        ));
    }
}
