//! The public traversal payload lists in `../shared/external/`.

use std::path::{Component, Path};

use secfuzz::path::PathTarget;
use secfuzz::Target;

/// Every line of the PayloadsAllTheThings traversal lists (dotdotpwn and
/// friends) gets a verdict without violating an invariant, and every
/// accepted output stays under a root by an independent component walk.
#[test]
fn external_traversal_payloads_never_escape() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/external/payloadsallthethings/path-traversal");
    let dotdotpwn = dir.join("dotdotpwn.txt");
    if !dotdotpwn.exists() {
        eprintln!(
            "note: {} is absent; skipping the external payload test",
            dotdotpwn.display()
        );
        return;
    }
    let root = Path::new("/srv/root");
    let (mut accepted, mut rejected) = (0usize, 0usize);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    for file in files {
        let data = std::fs::read(&file).unwrap();
        for line in data.split(|&b| b == b'\n') {
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            if line.is_empty() {
                continue;
            }
            let verdict = match PathTarget::check_payload(line) {
                Ok(v) => v,
                Err(v) => panic!("{}: {v}", String::from_utf8_lossy(line)),
            };
            match verdict.output() {
                Some(out) => {
                    accepted += 1;
                    let joined = root.join(out);
                    assert!(joined.starts_with(root), "{out:?}");
                    assert!(
                        joined
                            .components()
                            .all(|c| matches!(c, Component::RootDir | Component::Normal(_))),
                        "{out:?}"
                    );
                    assert!(!out.contains(['\\', '%', '\0']), "{out:?}");
                }
                None => rejected += 1,
            }
        }
    }
    eprintln!("external traversal payloads: {accepted} accepted, {rejected} rejected");
    assert!(rejected > 20_000, "only {rejected} rejected");
}
