//! The registry is the one list of targets: fuzz targets, corpus folders and
//! invariant ids must agree with it.

use std::collections::BTreeSet;
use std::path::Path;

fn fuzz_bins() -> BTreeSet<String> {
    let manifest =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/Cargo.toml"))
            .expect("fuzz/Cargo.toml");
    let mut names = BTreeSet::new();
    let mut in_bin = false;
    for line in manifest.lines().map(str::trim) {
        if line.starts_with('[') {
            in_bin = line == "[[bin]]";
        } else if in_bin {
            if let Some(v) = line.strip_prefix("name") {
                let v = v.trim_start().trim_start_matches('=').trim();
                names.insert(v.trim_matches('"').to_owned());
            }
        }
    }
    names
}

#[test]
fn every_target_has_a_fuzz_shim_and_nothing_else_does() {
    let registry: BTreeSet<String> = secfuzz::registry::all()
        .iter()
        .map(|t| t.name().to_owned())
        .collect();
    assert_eq!(
        fuzz_bins(),
        registry,
        "fuzz/Cargo.toml [[bin]]s vs registry"
    );
    for name in &registry {
        let shim = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fuzz/fuzz_targets")
            .join(format!("{name}.rs"));
        let text =
            std::fs::read_to_string(&shim).unwrap_or_else(|e| panic!("{}: {e}", shim.display()));
        assert!(
            text.contains("secfuzz::harness::fuzz::<"),
            "{} must be a shim over secfuzz::harness::fuzz",
            shim.display()
        );
    }
}

#[test]
fn invariant_ids_are_unique_and_namespaced() {
    let mut seen = BTreeSet::new();
    for t in secfuzz::registry::all() {
        assert!(
            !t.invariants().is_empty(),
            "{} lists no invariants",
            t.name()
        );
        for i in t.invariants() {
            assert!(
                i.id.starts_with(&format!("{}.", t.name())),
                "{} is not namespaced by {}",
                i.id,
                t.name()
            );
            assert!(seen.insert(i.id), "duplicate invariant id {}", i.id);
            assert!(!i.description.is_empty());
        }
    }
}

#[test]
fn target_names_are_unique() {
    let names = secfuzz::registry::names();
    let set: BTreeSet<_> = names.iter().collect();
    assert_eq!(set.len(), names.len());
}
