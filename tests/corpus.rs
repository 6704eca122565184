//! Corpora double as regression suites: every file under `corpora/<target>/`
//! and `corpora/regressions/<target>/` is decoded and checked through its
//! registered target, and must pass every oracle.
//!
//! A promoted regression may carry a sidecar `<name>.json` written by
//! `secfuzz triage --promote`; its `payload_hex` (the exact payload the input
//! rendered to when it was promoted) is re-checked through the raw-payload
//! path too, so a regression keeps its meaning after a generator changes.

use std::path::{Path, PathBuf};

fn files_in(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .map(|e| e.expect("readable directory entry").path())
        .filter(|p| p.is_file())
        .filter(|p| p.extension().is_none_or(|x| x != "json"))
        .filter(|p| p.file_name().is_some_and(|n| n != ".gitkeep"))
        .collect();
    files.sort();
    files
}

fn hex_decode(s: &str) -> Option<Vec<u8>> {
    if s.len() % 2 != 0 {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}

/// Replays one corpus directory; returns how many inputs were checked.
pub fn replay_dir(target: &dyn secfuzz::DynTarget, dir: &Path) -> usize {
    let files = files_in(dir);
    for file in &files {
        let bytes = std::fs::read(file).expect("readable corpus file");
        match target.replay(&bytes) {
            Ok(r) => {
                if let Err(v) = r.result {
                    panic!(
                        "{}: {v}\ninput: {}\npayload: {:?}",
                        file.display(),
                        r.input_debug,
                        secfuzz::util::EscapedBytes(&r.payload)
                    );
                }
            }
            // Oversized or undecodable inputs are refused by the harness
            // before reaching the target, exactly as the fuzz shim does.
            Err(e) => eprintln!("{}: not decodable ({e}), skipped", file.display()),
        }
        let sidecar = file.with_extension("json");
        if let Ok(text) = std::fs::read_to_string(&sidecar) {
            let meta: serde_json::Value = serde_json::from_str(&text)
                .unwrap_or_else(|e| panic!("{}: bad sidecar: {e}", sidecar.display()));
            let payload = meta["payload_hex"]
                .as_str()
                .and_then(hex_decode)
                .unwrap_or_else(|| panic!("{}: missing payload_hex", sidecar.display()));
            if let Err(v) = target.check_payload(&payload) {
                panic!("{}: rendered payload: {v}", sidecar.display());
            }
        }
    }
    files.len()
}

#[test]
fn every_corpus_and_regression_input_passes_its_target() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpora");
    let mut total = 0;
    for t in secfuzz::registry::all() {
        let seeds = replay_dir(*t, &root.join(t.name()));
        let regressions = replay_dir(*t, &root.join("regressions").join(t.name()));
        eprintln!(
            "{}: {seeds} corpus inputs, {regressions} regressions",
            t.name()
        );
        total += seeds + regressions;
    }
    // Every registered target ships seeds.
    for t in secfuzz::registry::all() {
        assert!(
            !files_in(&root.join(t.name())).is_empty(),
            "corpora/{} has no seed inputs",
            t.name()
        );
    }
    eprintln!("{total} corpus files replayed");
}

#[test]
fn corpus_folders_belong_to_registered_targets() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpora");
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
