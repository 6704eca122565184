//! `secfuzz triage` and its hidden replay child, `secfuzz __triage-child`.

use std::io::Write;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::{bail, Context};
use clap::ValueEnum;

use secfuzz::triage::{self, Config, Replayer, CHILD_ENV, CHILD_SUBCOMMAND};

use super::{EXIT_FINDING, EXIT_OK};

/// Report formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// A table for the terminal.
    Text,
    /// The JSON report (schema: `secfuzz::triage::report`).
    Json,
    /// SARIF 2.1.0, for GitHub code scanning.
    Sarif,
    /// One self-contained HTML page.
    Html,
}

/// `secfuzz triage PATH... [options]`
#[derive(Debug, clap::Args)]
pub struct TriageArgs {
    /// Crash files and directories (searched recursively). Inputs are never
    /// moved or deleted.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Replay every input through this target [default: the nearest
    /// directory named after a target, e.g. fuzz/artifacts/path/crash-… → path]
    #[arg(long, value_name = "T")]
    pub target: Option<String>,

    /// Report format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,

    /// Write the report to FILE instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,

    /// Shrink one representative per cluster, keeping its signature.
    #[arg(long)]
    pub minimize: bool,

    /// Write each finding's (minimized) reproducer and a .json sidecar to
    /// CORPORA/regressions/<target>/ (implies --minimize).
    #[arg(long)]
    pub promote: bool,

    /// Corpora directory that --promote writes into.
    #[arg(long, value_name = "DIR", default_value = "corpora")]
    pub corpora: PathBuf,

    /// Replay children run in parallel [default: number of CPUs]
    #[arg(long, value_name = "N")]
    pub jobs: Option<usize>,

    /// Time limit per replay, seconds; the child is killed when it is reached.
    #[arg(long, value_name = "S", default_value = "10", value_parser = parse_secs)]
    pub timeout: Duration,

    /// Memory (address-space) limit per replay in MiB; 0 = none (sanitizer builds).
    #[arg(long = "rss-limit", value_name = "MB", default_value_t = 2048)]
    pub rss_limit: u64,

    /// Replays per input, to tell reproducible from flaky.
    #[arg(long, value_name = "N", default_value_t = 3)]
    pub runs: u32,

    /// Minimization time budget per cluster, seconds.
    #[arg(long = "minimize-time", value_name = "S", default_value = "60", value_parser = parse_secs)]
    pub minimize_time: Duration,

    /// Project frames kept in a stack signature.
    #[arg(long, value_name = "N", default_value_t = 3)]
    pub frames: usize,

    /// Directory that source paths are made relative to [default: current directory]
    #[arg(long = "source-root", value_name = "DIR")]
    pub source_root: Option<PathBuf>,
}

pub(super) fn parse_secs(s: &str) -> Result<Duration, String> {
    let secs: f64 = s
        .parse()
        .map_err(|_| format!("{s:?} is not a number of seconds"))?;
    if secs.is_nan() || secs <= 0.0 {
        return Err("must be more than 0 seconds".into());
    }
    Duration::try_from_secs_f64(secs).map_err(|e| e.to_string())
}

/// Runs `secfuzz triage`: exit 0 when no cluster is a reproducing failure,
/// 1 when one is; errors (exit 2) are returned.
pub fn run(args: TriageArgs) -> anyhow::Result<u8> {
    let exe = std::env::current_exe().context("cannot locate the secfuzz executable")?;
    let replayer = Replayer::secfuzz(exe);
    let mut config = Config::new()
        .target(args.target)
        .runs(args.runs)
        .timeout(args.timeout)
        .rss_limit_mb(args.rss_limit)
        .frames(args.frames)
        .minimize(args.minimize)
        .minimize_time(args.minimize_time)
        .promote_into(args.promote.then_some(args.corpora));
    if let Some(jobs) = args.jobs {
        config = config.jobs(jobs);
    }
    if let Some(root) = args.source_root {
        config = config.source_root(Some(root));
    }
    let report = triage::run(&args.paths, &replayer, &config).context("triage failed")?;
    let rendered = match args.format {
        Format::Text => report.to_text(),
        Format::Json => report.to_json() + "\n",
        Format::Sarif => report.to_sarif() + "\n",
        Format::Html => report.to_html(),
    };
    match &args.out {
        Some(path) => std::fs::write(path, &rendered)
            .with_context(|| format!("cannot write the report to {}", path.display()))?,
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(rendered.as_bytes())
                .and_then(|()| out.flush())
                .context("cannot write the report to standard output")?;
        }
    }
    if args.format != Format::Text || args.out.is_some() {
        let t = &report.totals;
        eprintln!(
            "secfuzz triage: {} files, {} clusters ({} findings), {} skipped{}",
            t.files,
            t.clusters,
            t.finding_clusters,
            t.skipped_files,
            args.out
                .as_ref()
                .map(|p| format!("; report written to {}", p.display()))
                .unwrap_or_default()
        );
    }
    Ok(if report.has_findings() {
        EXIT_FINDING
    } else {
        EXIT_OK
    })
}

/// Runs the hidden `secfuzz __triage-child`: serves one replay request for
/// the public registry's targets.
pub fn run_child() -> anyhow::Result<u8> {
    if triage::serve(secfuzz::registry::find)? {
        Ok(EXIT_OK)
    } else {
        bail!(
            "{CHILD_SUBCOMMAND} is run by `secfuzz triage` only: it reads its request from {CHILD_ENV}"
        )
    }
}
