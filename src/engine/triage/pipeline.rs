//! The triage pipeline: [`run`] and one small function per phase.

use std::collections::{BTreeSet, HashMap};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Mutex;
use std::thread;

use super::classify::{
    aggregate, aggregate_with_retry, classify, needs_timeout_retry, Aggregate, Run,
};
use super::cluster::{self, Unique};
use super::config::Config;
use super::discover::{self, ArtifactKind, Found, Skipped};
use super::error::TriageError;
use super::minimize;
use super::promote;
use super::replay::{run_once, Limits, Replayer};
use super::report::{self, Cluster, Report};
use super::time::{self, duration_ms};
use crate::engine::util::hex;

/// Triage the files under `paths`, replaying through `replayer`'s children.
///
/// Never moves, changes or deletes an input. Returns a report that accounts
/// for every file found (checked with [`Report::verify_accounting`]).
pub fn run(paths: &[PathBuf], replayer: &Replayer, config: &Config) -> Result<Report, TriageError> {
    check_settings(replayer, config)?;
    let (found, mut skipped) = discover::walk(paths)?;
    let files = found.len() + skipped.len();
    let inputs = group_identical(&found, replayer, config, &mut skipped);
    let runs = replay_all(&inputs, replayer, config)?;
    let verdicts = classify_inputs(&inputs, runs, replayer, config)?;
    let mut clusters = cluster::cluster(&inputs, &verdicts);
    if config.minimizing() {
        minimize_all(&mut clusters, &inputs, &verdicts, replayer, config)?;
    }
    if let Some(dir) = &config.promote_dir {
        promote_all(&mut clusters, dir)?;
    }
    report(clusters, skipped, files, inputs.len(), config)
}

/// Settings in range, and a forced target the replayer serves.
fn check_settings(replayer: &Replayer, config: &Config) -> Result<(), TriageError> {
    config.validate()?;
    match &config.target {
        Some(t) if !replayer.knows(t) => Err(TriageError::UnknownTarget {
            target: t.clone(),
            known: replayer.targets().to_vec(),
        }),
        _ => Ok(()),
    }
}

/// Reads every file found, works out its target and groups identical bytes
/// (per target) into one input. Files that cannot be attributed or read are
/// added to `skipped`.
fn group_identical(
    found: &[Found],
    replayer: &Replayer,
    config: &Config,
    skipped: &mut Vec<Skipped>,
) -> Vec<Unique> {
    let mut uniques: Vec<Unique> = Vec::new();
    let mut index: HashMap<(String, [u8; 20]), Vec<usize>> = HashMap::new();
    for f in found {
        let Some(target) =
            discover::resolve_target(f, replayer.targets(), config.target.as_deref())
        else {
            skipped.push(Skipped::new(
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
                skipped.push(Skipped::new(&f.path, reason));
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
    uniques
}

/// Replays every input `runs` times in parallel children, classifying each
/// run as it ends. Returns the runs of each input, in input order.
fn replay_all(
    inputs: &[Unique],
    replayer: &Replayer,
    config: &Config,
) -> Result<Vec<Vec<Run>>, TriageError> {
    let runs = config.runs as usize;
    let jobs: Vec<usize> = (0..inputs.len())
        .flat_map(|u| (0..runs).map(move |_| u))
        .collect();
    let results = par_map(&jobs, config.jobs, |&u| {
        replay_classified(replayer, &inputs[u], config.limits(), config)
    })?;
    let mut per_input: Vec<Vec<Run>> = (0..inputs.len()).map(|_| Vec::new()).collect();
    for (&u, run) in jobs.iter().zip(results) {
        per_input[u].push(run);
    }
    Ok(per_input)
}

/// One replay of `input` in a child, classified.
fn replay_classified(
    replayer: &Replayer,
    input: &Unique,
    limits: Limits,
    config: &Config,
) -> Result<Run, TriageError> {
    let raw = run_once(replayer, &input.target, &input.bytes, limits)?;
    classify(&raw, &input.target, &config.sig_rules())
}

/// The verdict over each input's runs. An input that timed out in some but
/// not all of its runs is replayed once more with twice the time limit
/// first ([`aggregate_with_retry`]).
fn classify_inputs(
    inputs: &[Unique],
    runs: Vec<Vec<Run>>,
    replayer: &Replayer,
    config: &Config,
) -> Result<Vec<Aggregate>, TriageError> {
    let retry: Vec<usize> = (0..inputs.len())
        .filter(|&i| needs_timeout_retry(&runs[i]))
        .collect();
    let longer = config.limits().doubled();
    let retried = par_map(&retry, config.jobs, |&i| {
        replay_classified(replayer, &inputs[i], longer, config)
    })?;
    let mut retried: HashMap<usize, Run> = retry.into_iter().zip(retried).collect();
    Ok(runs
        .into_iter()
        .enumerate()
        .map(|(i, runs)| match retried.remove(&i) {
            Some(again) => aggregate_with_retry(runs, again, config.timeout),
            None => aggregate(runs),
        })
        .collect())
}

/// Minimizes one representative per reproducible finding; flaky findings
/// get a note instead.
fn minimize_all(
    clusters: &mut [(Cluster, usize)],
    inputs: &[Unique],
    verdicts: &[Aggregate],
    replayer: &Replayer,
    config: &Config,
) -> Result<(), TriageError> {
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
            &inputs[*rep],
            &c.signature,
            config,
            verdicts[*rep].described.as_ref(),
        )
    })?;
    for (i, m) in todo.into_iter().zip(minimized) {
        let c = &mut clusters[i].0;
        if !m.complete {
            c.notes.push("minimization stopped at its budget".into());
        }
        c.minimized = Some(m.into_report());
    }
    for (c, _) in clusters.iter_mut() {
        if c.kind.is_finding() && c.flaky {
            c.notes
                .push("not minimized: some replays passed or failed differently (flaky)".into());
        }
    }
    Ok(())
}

/// Writes each finding's reproducer into `<dir>/regressions/<target>/`.
fn promote_all(clusters: &mut [(Cluster, usize)], dir: &Path) -> Result<(), TriageError> {
    let date = time::rfc3339_now();
    for (c, _) in clusters.iter_mut() {
        if c.kind.is_finding() {
            promote::promote_cluster(dir, c, &date)?;
        }
    }
    Ok(())
}

/// The report: clusters in severity order, totals checked to add up.
fn report(
    clusters: Vec<(Cluster, usize)>,
    skipped: Vec<Skipped>,
    files: usize,
    unique_inputs: usize,
    config: &Config,
) -> Result<Report, TriageError> {
    let mut clusters: Vec<Cluster> = clusters.into_iter().map(|(c, _)| c).collect();
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
            unique_inputs,
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::io;
    use std::time::Duration;

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
