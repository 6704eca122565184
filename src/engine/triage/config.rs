//! Triage settings: [`Config`] and its builder.

use std::path::PathBuf;
use std::thread;
use std::time::Duration;

use super::classify::SigRules;
use super::error::TriageError;
use super::replay::Limits;

/// Triage settings. Every setter documents its default; out-of-range values
/// are reported by [`run`](super::run) as [`TriageError::Config`].
#[derive(Clone, Debug)]
pub struct Config {
    pub(crate) target: Option<String>,
    pub(crate) runs: u32,
    pub(crate) timeout: Duration,
    pub(crate) rss_limit_mb: u64,
    pub(crate) jobs: usize,
    pub(crate) frames: usize,
    pub(crate) minimize: bool,
    pub(crate) minimize_time: Duration,
    pub(crate) minimize_tests: usize,
    pub(crate) promote_dir: Option<PathBuf>,
    pub(crate) source_root: Option<PathBuf>,
    pub(crate) max_input_len: u64,
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

    pub(crate) fn validate(&self) -> Result<(), TriageError> {
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

    pub(crate) fn minimizing(&self) -> bool {
        self.minimize || self.promote_dir.is_some()
    }

    pub(crate) fn limits(&self) -> Limits {
        Limits::new(self.timeout, self.rss_limit_mb)
    }

    pub(crate) fn sig_rules(&self) -> SigRules<'_> {
        SigRules {
            frames: self.frames,
            source_root: self.source_root.as_deref(),
        }
    }
}
