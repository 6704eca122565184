//! The replay child and its limits: a broken replayer is an error, and a
//! lone timeout is retried once with twice the time limit.

use std::fs;
use std::path::PathBuf;

use secfuzz::triage::{self, Config, Kind, Replayer, Report};

use super::{fresh_dir, planted, replayer, TIMEOUT};

#[test]
fn a_broken_replayer_is_an_error_not_a_finding() {
    let dir = fresh_dir("triage-broken-replayer");
    fs::create_dir_all(dir.join("planted-violation")).unwrap();
    fs::write(dir.join("planted-violation/crash-1"), b"../").unwrap();
    let config = Config::new().timeout(TIMEOUT).jobs(1);
    // A program that never speaks the protocol.
    let mute = Replayer::new("/bin/sh", planted::names())
        .arg("-c")
        .arg("echo not a triage child >&2; exit 3");
    let err = triage::run(std::slice::from_ref(&dir), &mute, &config).unwrap_err();
    assert!(matches!(err, triage::TriageError::Child { .. }), "{err}");
    assert!(err.to_string().contains("exited with code 3"), "{err}");
    assert!(err.to_string().contains("not a triage child"), "{err}");
    // A program that does not exist.
    let missing = Replayer::new(dir.join("no-such-program"), planted::names());
    let err = triage::run(&[dir], &missing, &config).unwrap_err();
    assert!(matches!(err, triage::TriageError::Spawn { .. }), "{err}");
}

/// Triage of one `planted-slow` input (`bytes`), 3 runs, 2 jobs.
fn triage_slow(name: &str, bytes: &[u8]) -> Report {
    let dir = fresh_dir(name);
    let bucket = dir.join("bucket/planted-slow");
    fs::create_dir_all(&bucket).unwrap();
    fs::write(bucket.join("timeout-1"), bytes).unwrap();
    let state = dir.join("state");
    fs::create_dir_all(&state).unwrap();
    let config = Config::new()
        .timeout(TIMEOUT)
        .runs(3)
        .jobs(2)
        .source_root(Some(PathBuf::from(env!("CARGO_MANIFEST_DIR"))));
    triage::run(&[dir.join("bucket")], &replayer(&state), &config).expect("triage runs")
}

#[test]
fn a_lone_timeout_that_times_out_again_with_twice_the_limit_is_reproducible() {
    // `S…` hangs on its first run, passes its second and third, and hangs
    // again on the retry: one timeout in three runs, confirmed.
    let r = triage_slow("triage-timeout-retry-confirmed", b"Slow");
    eprintln!("{}", r.to_text());
    assert_eq!(r.clusters.len(), 1);
    let c = &r.clusters[0];
    assert_eq!(c.kind, Kind::Timeout);
    assert!(!c.flaky, "a confirmed timeout is not flaky");
    assert_eq!((c.representative.failed, c.representative.runs), (2, 4));
    assert!(r.has_findings());
    assert_eq!(
        c.notes,
        [
            "timed out in 1 of 3 runs at 3 s, and again in a retry with 6 s: \
          reproducible with a longer time limit"
        ]
    );
}

#[test]
fn a_lone_timeout_that_does_not_recur_keeps_its_classification() {
    // `s…` hangs on its first run only: the retry passes and the verdict is
    // the one the three runs gave (a flaky timeout).
    let r = triage_slow("triage-timeout-retry-passes", b"slow");
    assert_eq!(r.clusters.len(), 1);
    let c = &r.clusters[0];
    assert_eq!(c.kind, Kind::Timeout);
    assert!(c.flaky);
    assert_eq!((c.representative.failed, c.representative.runs), (1, 3));
    assert_eq!(
        c.notes,
        ["timed out in 1 of 3 runs at 3 s; a retry with 6 s did not time out"]
    );
}
