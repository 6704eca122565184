//! Triage end to end: a crash bucket built from planted faults, replayed in
//! real child processes, clustered, minimized, reported and promoted.
//!
//! The planted targets (`triage/planted.rs`) are not in the public registry.
//! Triage reaches them by re-executing this very test binary as its replay
//! child: the [`Replayer`] runs `current_exe() --exact
//! triage::triage_child_entry --nocapture`, and that test calls
//! `secfuzz::triage::serve` with the planted targets. In a normal test run
//! the entry test finds no request in the environment and does nothing.
//!
//! One triage run over the bucket (with `--minimize` and `--promote`) is
//! shared by most tests; each asserts one aspect of its report. The tests
//! are grouped by what they pin:
//!
//! * `clusters`: the bucket's clusters, kinds, signatures, accounting and
//!   minimized reproducers;
//! * `reports`: the JSON, SARIF and HTML renderings;
//! * `promotion`: promoted reproducers and the corpus replay;
//! * `children`: the replay child and its limits (a broken replayer, the
//!   retry of a lone timeout);
//! * `replay`: isolated replay of one input (`triage::replay_one`, which
//!   `secfuzz replay` uses);
//! * `cli`: the `secfuzz triage` and `secfuzz replay` command lines.

mod children;
mod cli;
mod clusters;
mod planted;
mod promotion;
mod replay;
mod reports;

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use secfuzz::triage::{self, sha1_hex, Config, Kind, Replayer, Report};

/// Replay child entry point: serves one request when triage re-executes this
/// binary, and is a no-op otherwise.
#[test]
fn triage_child_entry() {
    triage::serve(planted::lookup).expect("a valid replay request");
}

/// A replayer that re-executes this test binary, serving the planted targets.
fn replayer(flaky_state: &Path) -> Replayer {
    Replayer::new(
        std::env::current_exe().expect("test binary path"),
        planted::names(),
    )
    .arg("--exact")
    .arg("triage::triage_child_entry")
    .arg("--nocapture")
    .arg("--test-threads=1")
    .arg("-q")
    .env(planted::FLAKY_STATE_ENV, flaky_state)
}

/// Timeout for one replay: far above the few milliseconds a healthy replay
/// takes, so a loaded machine does not turn passes into timeouts.
const TIMEOUT: Duration = Duration::from_secs(3);
/// Minimization budget per cluster; the timeout cluster needs ~5 timeouts.
const MINIMIZE_TIME: Duration = Duration::from_secs(40);
/// Stated bound: every minimized reproducer in the bucket is at most this long.
const MINIMIZED_BOUND: usize = 3;

struct Shared {
    root: PathBuf,
    /// Every file written into the bucket.
    written: Vec<PathBuf>,
    report: Report,
    corpora: PathBuf,
    elapsed: Duration,
}

fn fresh_dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    if dir.exists() {
        fs::remove_dir_all(&dir).expect("remove old test dir");
    }
    fs::create_dir_all(&dir).expect("create test dir");
    dir
}

fn put(written: &mut Vec<PathBuf>, path: PathBuf, bytes: &[u8]) {
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(&path, bytes).unwrap();
    written.push(path);
}

/// libFuzzer's artifact name for `bytes`.
fn artifact(prefix: &str, bytes: &[u8]) -> String {
    format!("{prefix}-{}", sha1_hex(bytes))
}

/// The bucket: planted faults, duplicates and junk.
fn build_bucket(root: &Path) -> Vec<PathBuf> {
    let mut w = Vec::new();
    let v = root.join("fuzz/artifacts/planted-violation");
    let traversal: &[u8] = b"GET /files/../../etc/passwd";
    put(&mut w, v.join(artifact("crash", traversal)), traversal);
    let scripted: &[u8] = b"<script>alert(1)</script>/../x";
    put(&mut w, v.join(artifact("crash", scripted)), scripted);
    // A file name that would be markup if a report did not escape it.
    put(
        &mut w,
        v.join("crash-<img src=x onerror=alert(1)>"),
        traversal,
    );
    // Forty copies from another night: same bytes, same target.
    for i in 0..40 {
        let night = root.join(format!("nightly-{i}/planted-violation"));
        put(&mut w, night.join(artifact("crash", traversal)), traversal);
    }
    put(
        &mut w,
        v.join(artifact("slow-unit", b"harmless")),
        b"harmless",
    );
    put(&mut w, v.join("crash-fixed-long-ago"), b"fixed long ago");
    let big = vec![b'a'; 70_000]; // over harness::MAX_INPUT_LEN: undecodable
    put(&mut w, v.join(artifact("crash", &big)), &big);

    let p = root.join("fuzz/artifacts/planted-panic");
    for bytes in [&b"A<b>x</b>"[..], b"AAAA first again"] {
        put(&mut w, p.join(artifact("crash", bytes)), bytes);
    }
    let second: &[u8] = b"xyzZ!";
    put(&mut w, p.join(artifact("crash", second)), second);
    for i in 0..20 {
        put(&mut w, p.join(format!("crash-copy-{i}")), second);
    }
    put(&mut w, p.join("crash-junk"), b"\xff\xfejunk");

    let one = |w: &mut Vec<PathBuf>, target: &str, prefix: &str, bytes: &[u8]| {
        let dir = root.join("fuzz/artifacts").join(target);
        put(w, dir.join(artifact(prefix, bytes)), bytes);
    };
    one(&mut w, "planted-overflow", "crash", b"Rrrrr");
    one(&mut w, "planted-oom", "oom", b"Mmmmmm");
    one(&mut w, "planted-loop", "timeout", b"Lxxxxxxx");
    one(&mut w, "planted-flaky", "crash", b"Flaky?");

    // No target can be inferred; a hidden file; a file over the read limit.
    put(&mut w, root.join("misc/notes.txt"), b"remember the milk");
    put(&mut w, root.join(".DS_Store"), b"\0\0");
    put(&mut w, v.join("crash-huge"), &vec![b'.'; 1_100_000]);
    w
}

fn shared() -> &'static Shared {
    static SHARED: OnceLock<Shared> = OnceLock::new();
    SHARED.get_or_init(|| {
        let root = fresh_dir("triage-e2e");
        let bucket = root.join("bucket");
        let written = build_bucket(&bucket);
        let state = root.join("flaky-state");
        fs::create_dir_all(&state).unwrap();
        let corpora = root.join("corpora");
        let config = Config::new()
            .timeout(TIMEOUT)
            .rss_limit_mb(1024)
            .jobs(2)
            .minimize(true)
            .minimize_time(MINIMIZE_TIME)
            .promote_into(Some(corpora.clone()))
            .source_root(Some(PathBuf::from(env!("CARGO_MANIFEST_DIR"))));
        // The same file reached twice (its directory and itself) counts once.
        let again = written
            .iter()
            .find(|p| p.to_string_lossy().contains("planted-oom"))
            .unwrap()
            .clone();
        let start = Instant::now();
        let report = triage::run(&[bucket, again], &replayer(&state), &config)
            .expect("triage runs to completion");
        Shared {
            root,
            written,
            report,
            corpora,
            elapsed: start.elapsed(),
        }
    })
}

fn cluster<'a>(r: &'a Report, target: &str, kind: Kind) -> Vec<&'a triage::Cluster> {
    r.clusters
        .iter()
        .filter(|c| c.target == target && c.kind == kind)
        .collect()
}
