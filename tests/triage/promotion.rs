//! Promotion: reproducers and sidecars in the regression corpus, picked up
//! by the corpus replay, never overwritten.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use secfuzz::triage::promote::Sidecar;
use secfuzz::triage::{self, unhex, Config, Kind};

use super::{cluster, fresh_dir, planted, replayer, shared, TIMEOUT};

/// The corpus replay test's logic (`tests/corpus.rs` on main): decode every
/// non-`.json` file under `<corpora>/regressions/<target>/` through its
/// target and require `check` to pass; with a sidecar, require
/// `check_payload(payload_hex)` not to be a violation. Returns the failures.
fn corpus_replay(corpora: &Path) -> Vec<String> {
    let mut failures = Vec::new();
    for t in planted::PLANTED {
        let dir = corpora.join("regressions").join(t.name());
        let Ok(entries) = fs::read_dir(&dir) else {
            continue;
        };
        for e in entries {
            let path = e.unwrap().path();
            if path.extension().is_some_and(|x| x == "json") {
                continue;
            }
            let bytes = fs::read(&path).unwrap();
            match t.replay(&bytes) {
                Ok(replay) => {
                    if let Err(v) = replay.result {
                        failures.push(format!("{}: {v}", path.display()));
                    }
                }
                Err(e) => failures.push(format!("{}: {e}", path.display())),
            }
            let sidecar = path.with_extension("json");
            if let Ok(text) = fs::read_to_string(&sidecar) {
                let s: Sidecar = serde_json::from_str(&text).unwrap();
                if let Err(v) = t.check_payload(&s.payload_bytes().unwrap()) {
                    failures.push(format!("{} (payload): {v}", path.display()));
                }
            }
        }
    }
    failures
}

#[test]
fn promoted_reproducers_are_picked_up_by_the_corpus_replay() {
    let s = shared();
    let r = &s.report;
    let findings: Vec<_> = r.clusters.iter().filter(|c| c.kind.is_finding()).collect();
    for c in &findings {
        let p = c.promoted.as_ref().expect("every finding is promoted");
        assert!(!p.already_present);
        let path = PathBuf::from(&p.path);
        assert_eq!(
            path.parent().unwrap(),
            s.corpora.join("regressions").join(&c.target)
        );
        let bytes = fs::read(&path).unwrap();
        assert_eq!(triage::sha1_hex(&bytes), {
            let best = unhex(c.best_bytes_hex()).unwrap();
            triage::sha1_hex(best)
        });
        // The sidecar has exactly the documented fields.
        let raw: serde_json::Value =
            serde_json::from_str(&fs::read_to_string(&p.sidecar).unwrap()).unwrap();
        let keys: BTreeSet<&str> = raw
            .as_object()
            .unwrap()
            .keys()
            .map(|k| k.as_str())
            .collect();
        assert_eq!(
            keys,
            BTreeSet::from([
                "invariant",
                "payload",
                "payload_hex",
                "debug",
                "signature",
                "date"
            ])
        );
        let sidecar: Sidecar = serde_json::from_value(raw).unwrap();
        assert_eq!(sidecar.signature, c.signature);
        assert_eq!(
            sidecar.invariant,
            c.invariant
                .clone()
                .unwrap_or_else(|| c.kind.as_str().to_owned())
        );
        assert!(sidecar
            .payload_hex
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)));
        let target = planted::lookup(&c.target).unwrap();
        let (debug, payload) = target.describe(&bytes).unwrap();
        assert_eq!(sidecar.payload_bytes().unwrap(), payload);
        assert_eq!(sidecar.debug, debug);
        assert!(sidecar.date.ends_with('Z') && sidecar.date.len() == 20);
    }
    let files = fs::read_dir(s.corpora.join("regressions"))
        .unwrap()
        .map(|d| fs::read_dir(d.unwrap().path()).unwrap().count())
        .sum::<usize>();
    assert_eq!(
        files,
        2 * findings.len(),
        "a reproducer and a sidecar per finding"
    );

    // Before the fix, the corpus replay catches the violation (the other
    // promoted faults would take this process down, which is why triage
    // replays in children).
    let v = cluster(r, "planted-violation", Kind::Violation)[0];
    let v_file = fs::read(&v.promoted.as_ref().unwrap().path).unwrap();
    let v_replay = planted::lookup("planted-violation")
        .unwrap()
        .replay(&v_file)
        .unwrap();
    assert_eq!(
        v_replay.result.unwrap_err().invariant,
        "planted-violation.confined"
    );
    // After the fix, every promoted reproducer passes.
    let failures = planted::with_faults_fixed(|| corpus_replay(&s.corpora));
    assert!(failures.is_empty(), "{failures:#?}");

    // And replayed in children (unfixed), each promoted reproducer still
    // fails exactly as its cluster did.
    let state = s.root.join("flaky-state-2");
    fs::create_dir_all(&state).unwrap();
    let again = triage::run(
        &[s.corpora.join("regressions")],
        &replayer(&state),
        &Config::new()
            .timeout(TIMEOUT)
            .rss_limit_mb(1024)
            .jobs(2)
            .source_root(Some(PathBuf::from(env!("CARGO_MANIFEST_DIR")))),
    )
    .unwrap();
    let before: BTreeSet<&str> = findings.iter().map(|c| c.signature.as_str()).collect();
    let after: BTreeSet<&str> = again
        .clusters
        .iter()
        .filter(|c| c.kind.is_finding())
        .map(|c| c.signature.as_str())
        .collect();
    assert_eq!(before, after);
    assert_eq!(
        again.totals.skipped_files,
        findings.len(),
        "sidecars are skipped"
    );
}

#[test]
fn promotion_never_overwrites() {
    let s = shared();
    let c = cluster(&s.report, "planted-violation", Kind::Violation)[0];
    let path = PathBuf::from(&c.promoted.as_ref().unwrap().path);
    // Re-promoting identical bytes is a no-op reported as already present;
    // different bytes under the same name are refused.
    let dir = fresh_dir("triage-promote-conflict");
    let bucket = dir.join("bucket/planted-violation");
    fs::create_dir_all(&bucket).unwrap();
    fs::write(bucket.join("crash-1"), b"../").unwrap();
    let corpora = dir.join("corpora");
    let config = Config::new()
        .timeout(TIMEOUT)
        .jobs(2)
        .promote_into(Some(corpora.clone()));
    let rep = replayer(&dir);
    let first = triage::run(&[dir.join("bucket")], &rep, &config).unwrap();
    let p1 = first.clusters[0].promoted.clone().unwrap();
    assert!(!p1.already_present);
    assert_eq!(
        Path::new(&p1.path).file_name(),
        path.file_name(),
        "same bytes, same name"
    );
    let second = triage::run(&[dir.join("bucket")], &rep, &config).unwrap();
    assert!(
        second.clusters[0]
            .promoted
            .as_ref()
            .unwrap()
            .already_present
    );
    fs::write(&p1.path, b"something else").unwrap();
    let err = triage::run(&[dir.join("bucket")], &rep, &config).unwrap_err();
    assert!(
        matches!(err, triage::TriageError::PromoteConflict { .. }),
        "{err}"
    );
    assert_eq!(fs::read(&p1.path).unwrap(), b"something else");
}
