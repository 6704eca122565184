//! `secfuzz fuzz [TARGET...] --duration D`: a fuzzing campaign.

use std::path::PathBuf;
use std::time::Duration;

use secfuzz::campaign::{self, Campaign, Event, Sanitizer};

#[derive(Debug, clap::Args)]
pub struct FuzzArgs {
    /// Targets to fuzz (default: all registered targets).
    targets: Vec<String>,
    /// Wall-clock budget for fuzzing, shared by all targets (e.g. 90, 45s, 10m, 2h).
    #[arg(long, short, default_value = "60s", value_parser = campaign::parse_duration)]
    duration: Duration,
    /// Targets fuzzed at the same time (default: number of cores).
    #[arg(long, short)]
    jobs: Option<usize>,
    /// Sanitizer: auto (AddressSanitizer when nightly is installed), address, none.
    #[arg(long, default_value = "auto", value_parser = parse_sanitizer)]
    sanitizer: Sanitizer,
    /// After fuzzing, merge-minimize what was learned into corpora/<target>.
    #[arg(long)]
    merge: bool,
    /// Per-input time limit for libFuzzer, in seconds.
    #[arg(long, default_value_t = 10)]
    timeout: u64,
    /// Memory limit for libFuzzer, in MiB.
    #[arg(long, default_value_t = 2048)]
    rss_limit_mb: u64,
    /// Project root (default: the nearest directory at or above the current one
    /// that holds fuzz/Cargo.toml).
    #[arg(long)]
    project: Option<PathBuf>,
    /// Do not write fuzz/runs/<time>.json and .svg or append to fuzz/ledger.jsonl.
    #[arg(long)]
    no_record: bool,
    /// Print the ledger's totals (core-hours per target, open crashes) and exit.
    #[arg(long)]
    report: bool,
    /// Code-change mode: stop every target at the first crash of any, triage
    /// it inline (replayed, clustered, minimized; reproducer printed) and
    /// exit 1. Pair it with a short --duration.
    #[arg(long)]
    ci: bool,
}

fn parse_sanitizer(s: &str) -> Result<Sanitizer, String> {
    match s {
        "auto" => Ok(Sanitizer::Auto),
        "address" | "asan" => Ok(Sanitizer::Address),
        "none" => Ok(Sanitizer::None),
        _ => Err(format!(
            "unknown sanitizer {s:?}: use auto, address or none"
        )),
    }
}

pub fn run(args: FuzzArgs) -> anyhow::Result<u8> {
    let start = match args.project {
        Some(p) => p,
        None => std::env::current_dir()?,
    };
    let root = campaign::find_root(&start)?;
    if args.report {
        return report(&root);
    }
    let mut c = Campaign::new(root);
    c.record = !args.no_record;
    c.stop_at_first_finding = args.ci;
    // First SIGINT/SIGTERM: stop cleanly (children interrupted, merge and
    // record still run). A second one: exit at once.
    for sig in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
        signal_hook::flag::register_conditional_shutdown(sig, 130, c.stop.clone())?;
        signal_hook::flag::register(sig, c.stop.clone())?;
    }
    if !args.targets.is_empty() {
        c.targets = args.targets;
    }
    c.duration = args.duration;
    if let Some(j) = args.jobs {
        c.jobs = j;
    }
    c.sanitizer = args.sanitizer;
    c.merge = args.merge;
    c.input_timeout = Duration::from_secs(args.timeout);
    c.rss_limit_mb = args.rss_limit_mb;

    eprintln!(
        "secfuzz fuzz: {} target(s) [{}], {}s budget, {} job(s)",
        c.targets.len(),
        c.targets.join(", "),
        c.duration.as_secs(),
        c.jobs
    );
    let summary = c.run(&|e| match e {
        Event::InstallingCargoFuzz => {
            eprintln!(
                "cargo-fuzz not found: installing it with `cargo install cargo-fuzz --locked`"
            )
        }
        Event::Running { command } => eprintln!("running: {command}"),
        Event::Started { target, seconds } => eprintln!("[{target}] fuzzing for {seconds}s"),
        Event::Status {
            target,
            elapsed,
            line,
        } => eprintln!("[{target}] {elapsed:>5}s {line}"),
        Event::Finished(r) => eprintln!(
            "[{}] done: {} execs, {} exec/s, {} new inputs, peak {} MiB{}",
            r.target,
            r.execs,
            r.execs_per_sec,
            r.new_units,
            r.peak_rss_mb,
            if r.finding.is_some() {
                ", FOUND A CRASH"
            } else {
                ""
            }
        ),
        _ => {}
    })?;

    let sanitizer = match summary.sanitizer {
        Sanitizer::Address => "AddressSanitizer",
        _ => "no sanitizer",
    };
    println!(
        "campaign summary ({sanitizer}){}:",
        if summary.interrupted {
            ", stopped early"
        } else {
            ""
        }
    );
    println!(
        "  {:<12} {:>12} {:>9} {:>13} {:>11} {:>8}  finding",
        "target", "execs", "exec/s", "cov", "corpus", "rss MiB"
    );
    for r in &summary.runs {
        println!(
            "  {:<12} {:>12} {:>9} {:>13} {:>11} {:>8}  {}",
            r.target,
            r.execs,
            r.execs_per_sec,
            format!("{}→{}", r.coverage_before, r.coverage_after),
            format!("{}→{}", r.corpus_before, r.corpus_after),
            r.peak_rss_mb,
            r.finding.as_ref().map_or("-", |f| f.kind.as_str())
        );
    }
    if let Some((json, svg)) = &summary.record {
        println!(
            "  record: {} (plot {}), ledger {}",
            json.display(),
            svg.display(),
            campaign::record::LEDGER
        );
    }
    let mut found = false;
    for (target, f) in summary.findings() {
        found = true;
        println!("\n{target}: {} saved to {}", f.kind, f.artifact.display());
        println!("  reproduce with:");
        for cmd in &f.reproduce {
            println!("    {cmd}");
        }
        if args.ci {
            println!("\n--ci: triaging {} inline", f.artifact.display());
            triage_inline(target, &f.artifact)?;
        }
    }
    Ok(if found {
        super::EXIT_FINDING
    } else {
        super::EXIT_OK
    })
}

/// `secfuzz fuzz --report`: cumulative fuzzing per target from the ledger.
fn report(root: &std::path::Path) -> anyhow::Result<u8> {
    let (totals, bad) = campaign::record::report(root)?;
    if totals.is_empty() {
        println!("no fuzzing recorded yet in {}", campaign::record::LEDGER);
        return Ok(super::EXIT_OK);
    }
    println!(
        "  {:<12} {:>5} {:>11} {:>15} {:>8}  open crashes",
        "target", "runs", "core-hours", "execs", "crashes"
    );
    let mut open = 0;
    for t in &totals {
        println!(
            "  {:<12} {:>5} {:>11.3} {:>15} {:>8}  {}",
            t.target,
            t.runs,
            t.core_seconds / 3600.0,
            t.execs,
            t.crashes,
            t.open.len()
        );
        for p in &t.open {
            println!("      secfuzz triage {}", p.display());
        }
        open += t.open.len();
    }
    if bad > 0 {
        println!("  ({bad} ledger line(s) could not be read and were skipped)");
    }
    let total: f64 = totals.iter().map(|t| t.core_seconds).sum::<f64>() / 3600.0;
    if open == 0 {
        println!("{total:.3} core-hours fuzzed in all, no open crash");
        Ok(super::EXIT_OK)
    } else {
        println!("{total:.3} core-hours fuzzed in all, {open} open crash(es)");
        Ok(super::EXIT_FINDING)
    }
}

/// `--ci`: `secfuzz triage --minimize --target T ARTIFACT`, with triage's own
/// defaults, its report printed here.
fn triage_inline(target: &str, artifact: &std::path::Path) -> anyhow::Result<()> {
    #[derive(clap::Parser)]
    struct Wrapper {
        #[command(flatten)]
        args: super::triage::TriageArgs,
    }
    let artifact = artifact.to_string_lossy();
    let wrapper = <Wrapper as clap::Parser>::try_parse_from([
        "triage",
        "--minimize",
        "--target",
        target,
        artifact.as_ref(),
    ])?;
    super::triage::run(wrapper.args)?;
    Ok(())
}
