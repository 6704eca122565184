//! Triage of a 10,000-artifact crash bucket, mostly duplicates as real
//! buckets are: 100 distinct inputs (violations, panics at two sites, and
//! inputs that no longer fail), each found 100 times across nightly runs.
//!
//! Every distinct input is replayed 3 times in a child process: this bench
//! binary re-executed, serving the planted test-only targets
//! (`tests/triage/planted.rs`) through `secfuzz::triage::serve`.
//!
//! `cargo bench --bench triage` prints the wall time of one run, then
//! criterion's estimate over 10 runs.

#[path = "../tests/triage/planted.rs"]
mod planted;

use std::path::{Path, PathBuf};
use std::time::Instant;

use criterion::Criterion;
use secfuzz::triage::{self, sha1_hex, Config, Kind, Replayer};

const ARTIFACTS: usize = 10_000;
const DISTINCT: usize = 100;

/// Writes the bucket: distinct input `i` is copied into `nightly-<n>/` dirs.
fn build_bucket(root: &Path) {
    let mut inputs: Vec<(&str, Vec<u8>)> = Vec::new();
    for i in 0..DISTINCT {
        let (target, bytes) = match i % 4 {
            0 => ("planted-violation", format!("GET /f/{i}/../../etc/passwd")),
            1 => ("planted-panic", format!("A first place {i}")),
            2 => ("planted-panic", format!("second place {i} Z")),
            _ => ("planted-violation", format!("harmless request {i}")),
        };
        inputs.push((target, bytes.into_bytes()));
    }
    for n in 0..ARTIFACTS {
        let (target, bytes) = &inputs[n % DISTINCT];
        let dir = root.join(format!("nightly-{}", n / DISTINCT)).join(target);
        std::fs::create_dir_all(&dir).expect("create bucket dir");
        std::fs::write(dir.join(format!("crash-{}", sha1_hex(bytes))), bytes)
            .expect("write artifact");
    }
}

fn triage_bucket(bucket: &Path, replayer: &Replayer, config: &Config) -> triage::Report {
    let report = triage::run(&[bucket.to_path_buf()], replayer, config).expect("triage runs");
    assert_eq!(report.totals.files, ARTIFACTS);
    assert_eq!(report.totals.unique_inputs, DISTINCT);
    assert_eq!(report.clusters.len(), 4);
    assert_eq!(
        report
            .clusters
            .iter()
            .filter(|c| c.kind == Kind::NotReproducible)
            .count(),
        1
    );
    report
}

fn main() {
    // Replay child: serve the one request and stop.
    match triage::serve(planted::lookup) {
        Ok(true) => return,
        Ok(false) => {}
        Err(e) => {
            eprintln!("triage bench child: {e}");
            std::process::exit(2);
        }
    }

    let dir = tempfile::tempdir().expect("temp dir");
    let bucket: PathBuf = dir.path().join("bucket");
    let start = Instant::now();
    build_bucket(&bucket);
    eprintln!(
        "wrote {ARTIFACTS} artifacts ({DISTINCT} distinct) in {:.2?}",
        start.elapsed()
    );
    let replayer = Replayer::new(
        std::env::current_exe().expect("bench binary path"),
        planted::names(),
    );
    let config = Config::new();

    let start = Instant::now();
    let report = triage_bucket(&bucket, &replayer, &config);
    eprintln!(
        "triage of {ARTIFACTS} artifacts: {:.2?} wall, {} clusters, {} jobs, {} replays",
        start.elapsed(),
        report.totals.clusters,
        report.settings.jobs,
        report.totals.unique_inputs * report.settings.runs as usize,
    );

    let mut c = Criterion::default().sample_size(10).configure_from_args();
    c.bench_function("triage_10k_artifacts", |b| {
        b.iter(|| triage_bucket(&bucket, &replayer, &config))
    });
    c.final_summary();
}
