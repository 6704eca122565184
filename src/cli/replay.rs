//! `secfuzz replay TARGET FILE...`: decode structured inputs (corpus entries,
//! crash artifacts, promoted regressions) and show what they are and do.
//!
//! Every input runs isolated, in triage's replay child (`secfuzz
//! __triage-child`) with a time and a memory limit, so an input that
//! panics, hangs, overflows the stack or allocates without bound is reported
//! as such instead of taking the command down.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use anyhow::Context;
use secfuzz::triage::{self, Limits, Outcome, Replayed, Replayer};
use secfuzz::util::EscapedBytes;

#[derive(Debug, clap::Args)]
pub struct ReplayArgs {
    /// Target name (see `secfuzz list`).
    target: String,
    /// Input files; a directory stands for the files directly in it
    /// (`.json` sidecars skipped).
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// Time limit per input, seconds; the replay is killed when it is reached.
    #[arg(long, value_name = "S", default_value = "10", value_parser = super::triage::parse_secs)]
    timeout: Duration,
    /// Memory (address-space) limit per input in MiB; 0 = none (sanitizer builds).
    #[arg(long = "rss-limit", value_name = "MB", default_value_t = 2048)]
    rss_limit: u64,
    /// Inputs replayed in parallel (output stays in file order) [default: number of CPUs]
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=256))]
    jobs: Option<u16>,
}

pub fn run(args: ReplayArgs) -> anyhow::Result<u8> {
    let target = super::find_target(&args.target)?;
    let mut files = Vec::new();
    for f in &args.files {
        expand(f, &mut files)?;
    }
    let exe = std::env::current_exe().context("cannot locate the secfuzz executable")?;
    let replayer = Replayer::secfuzz(exe);
    let limits = Limits::new(args.timeout, args.rss_limit);
    let jobs = args.jobs.map_or_else(
        || std::thread::available_parallelism().map_or(1, |n| n.get()),
        usize::from,
    );
    let (mut findings, mut undecodable) = (0usize, 0usize);
    // Chunks keep the output flowing while a few inputs run at once.
    for chunk in files.chunks(jobs * 4) {
        let results = replay_chunk(chunk, jobs, |file| {
            let bytes =
                std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
            let replayed = triage::replay_one(&replayer, target.name(), &bytes, limits)
                .with_context(|| format!("cannot replay {}", file.display()))?;
            Ok((bytes.len(), replayed))
        });
        for (file, result) in chunk.iter().zip(results) {
            let (len, r) = result?;
            print_one(file, len, &r);
            match r.outcome {
                Outcome::Undecodable { .. } => undecodable += 1,
                ref o if o.is_finding() => findings += 1,
                _ => {}
            }
        }
    }
    eprintln!(
        "{}: {} inputs, {findings} failing, {undecodable} not decodable",
        target.name(),
        files.len()
    );
    Ok(if findings > 0 {
        super::EXIT_FINDING
    } else if undecodable > 0 {
        super::EXIT_ERROR
    } else {
        super::EXIT_OK
    })
}

fn print_one(file: &Path, len: usize, r: &Replayed) {
    const INDENT: &str = "\n         ";
    println!("== {} ({len} bytes)", file.display());
    if let Some(debug) = &r.input_debug {
        println!("input:   {}", debug.replace('\n', INDENT));
    }
    if let Some(payload) = &r.payload {
        let cut = if r.payload_truncated { " (cut)" } else { "" };
        println!("payload: {:?}{cut}", EscapedBytes(payload));
    }
    println!("result:  {}", r.outcome.to_string().replace('\n', INDENT));
}

/// Runs `f` over `items` on up to `jobs` threads; results in item order.
fn replay_chunk<T: Sync, R: Send>(
    items: &[T],
    jobs: usize,
    f: impl Fn(&T) -> anyhow::Result<R> + Sync,
) -> Vec<anyhow::Result<R>> {
    let next = AtomicUsize::new(0);
    let slots: Vec<Mutex<Option<anyhow::Result<R>>>> =
        items.iter().map(|_| Mutex::new(None)).collect();
    std::thread::scope(|s| {
        for _ in 0..jobs.clamp(1, items.len().max(1)) {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(item) = items.get(i) else { break };
                let r = f(item);
                *slots[i].lock().unwrap_or_else(|p| p.into_inner()) = Some(r);
            });
        }
    });
    slots
        .into_iter()
        .map(|s| {
            s.into_inner()
                .unwrap_or_else(|p| p.into_inner())
                .unwrap_or_else(|| Err(anyhow::anyhow!("not replayed")))
        })
        .collect()
}

fn expand(path: &Path, out: &mut Vec<PathBuf>) -> anyhow::Result<()> {
    if path.is_dir() {
        let mut entries = Vec::new();
        for e in
            std::fs::read_dir(path).with_context(|| format!("cannot list {}", path.display()))?
        {
            let p = e?.path();
            if p.is_file() && p.extension().is_none_or(|x| x != "json") {
                entries.push(p);
            }
        }
        entries.sort();
        out.extend(entries);
    } else {
        out.push(path.to_owned());
    }
    Ok(())
}
