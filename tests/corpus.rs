//! Corpora double as regression suites: every file under `corpora/<target>/`
//! and `corpora/regressions/<target>/` is decoded and checked through its
//! registered target and must pass every oracle; a promoted regression's
//! sidecar payload is re-checked through the raw path
//! ([`secfuzz::corpus`], the one corpus replay).
//!
//! Promoted regressions worth knowing:
//! * `regressions/jwt/cross-algorithm-with-its-own-algorithm` — a harness bug
//!   found by the property suite: a "cross-algorithm" signing that picked
//!   the key's own HMAC algorithm was an honest signing, yet the oracle
//!   called its acceptance `jwt.alg_confusion`.

use std::path::Path;

use secfuzz::corpus;

fn root() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("corpora")
}

#[test]
fn every_corpus_and_regression_input_passes_its_target() {
    let mut failures = Vec::new();
    for t in secfuzz::registry::all() {
        let (seeds, regressions) = corpus::replay_target(*t, &root());
        eprintln!(
            "{}: {} corpus inputs ({} undecodable), {} regressions, {} sidecars",
            t.name(),
            seeds.checked,
            seeds.undecodable.len(),
            regressions.checked,
            regressions.sidecars
        );
        assert!(
            seeds.checked > 0,
            "corpora/{} has no decodable seed inputs",
            t.name()
        );
        failures.extend(seeds.failures);
        failures.extend(regressions.failures);
    }
    assert!(
        failures.is_empty(),
        "{}",
        failures
            .iter()
            .map(|f| f.to_string())
            .collect::<Vec<_>>()
            .join("\n\n")
    );
}

#[test]
fn corpus_folders_belong_to_registered_targets() {
    let root = root();
    for dir in [root.clone(), root.join("regressions")] {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in entries {
            let p = e.unwrap().path();
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            if !p.is_dir() || name == "regressions" {
                continue;
            }
            assert!(
                secfuzz::registry::find(&name).is_some(),
                "{} is not a registered target",
                p.display()
            );
        }
    }
}

/// The replay itself: a bad sidecar is reported, a good one re-checked;
/// `.json` sidecars and `.gitkeep` are not replayed as inputs.
#[test]
fn replay_reports_each_kind_of_failure() {
    let path = secfuzz::registry::find("path").unwrap();
    let dir = tempfile::tempdir().unwrap();
    let good = std::fs::read_dir(root().join("path"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.is_file())
        .unwrap();
    std::fs::copy(&good, dir.path().join("good")).unwrap();
    std::fs::write(dir.path().join(".gitkeep"), b"").unwrap();
    std::fs::write(dir.path().join("good.json"), "{\"payload_hex\": \"zz\"}").unwrap();
    std::fs::copy(&good, dir.path().join("other")).unwrap();
    std::fs::write(
        dir.path().join("other.json"),
        "{\"payload_hex\": \"612f622f\"}",
    )
    .unwrap();
    let out = corpus::replay_dir(path, dir.path());
    assert_eq!(out.checked, 2, "{out:?}");
    assert_eq!(out.sidecars, 1, "{out:?}");
    assert_eq!(out.failures.len(), 1, "{out:?}");
    assert!(
        matches!(&out.failures[0], corpus::Failure::BadSidecar { file, .. } if file.ends_with("good.json")),
        "{out:?}"
    );
    // A missing directory is an empty corpus, not an error.
    let none = corpus::replay_dir(path, &dir.path().join("absent"));
    assert_eq!((none.checked, none.failures.len()), (0, 0));
}
