//! Bug-finding power: every planted vulnerability ([`secfuzz::plant`]) of
//! every registered target must be killed by `cargo test`.
//!
//! For each plant, in this process and on this thread only, the target's
//! generic property runs at its default case count (1,000, no shrinking,
//! nothing persisted) and its corpus is replayed. A plant that survives both
//! is then tried against the target's whole test module (`targets::<t>::`:
//! tables, vectors, attack lists, the other properties) in a child run of
//! this test binary with `SECFUZZ_PLANT` set. The test names what killed
//! each plant; a survivor is a hole in the generators or oracles, to be fixed
//! there, not in the plant.

use std::path::Path;
use std::process::Command;

use secfuzz::harness::PropertyRun;
use secfuzz::plant::{self, Plant};
use secfuzz::registry::DynTarget;

/// What killed a plant, if anything.
fn killer(target: &dyn DynTarget, p: &Plant) -> Option<String> {
    let run = PropertyRun {
        cases: 1000,
        persist: false,
        shrink: false,
    };
    let in_process = plant::with(p.id, || {
        if let Err(f) = target.property(run) {
            return Some(format!(
                "the generic property, case {}: {}",
                f.cases_to_failure, f.message
            ));
        }
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpora");
        let (seeds, regressions) = secfuzz::corpus::replay_target(target, &root);
        let failures: Vec<_> = seeds.failures.iter().chain(&regressions.failures).collect();
        failures
            .first()
            .map(|f| format!("the corpus replay ({} inputs): {f}", failures.len()))
    })
    .expect("the test suite builds with the plant feature");
    in_process.or_else(|| module_killer(target.name(), p.id))
}

/// Run `targets::<name>::` of this test binary with the plant active; the
/// failing tests' names.
fn module_killer(name: &str, id: &str) -> Option<String> {
    let exe = std::env::current_exe().expect("the test binary");
    let out = Command::new(exe)
        .arg(format!("targets::{}::", name.replace('-', "_")))
        .args(["--test-threads", "2"])
        .env(plant::ENV_VAR, id)
        .env("PROPTEST_MAX_SHRINK_ITERS", "0")
        .output()
        .expect("the test binary runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let failed: Vec<&str> = stdout
        .lines()
        .filter_map(|l| l.strip_prefix("test ")?.strip_suffix(" ... FAILED"))
        .collect();
    (!failed.is_empty()).then(|| format!("table tests: {}", failed.join(", ")))
}

/// Plants every registered target must bring.
const MIN_PLANTS: usize = 8;

#[test]
fn every_target_brings_its_plants() {
    for t in secfuzz::registry::all() {
        assert!(
            t.plants().len() >= MIN_PLANTS,
            "target {} has {} planted vulnerabilities; every target brings at least {MIN_PLANTS} (src/targets/{}/plant.rs)",
            t.name(),
            t.plants().len(),
            t.name()
        );
    }
}

#[test]
fn every_plant_is_declared_well() {
    let mut ids = std::collections::BTreeSet::new();
    for t in secfuzz::registry::all() {
        for p in t.plants() {
            assert!(ids.insert(p.id), "plant id {} twice", p.id);
            assert!(
                p.id.starts_with(&format!("{}.", t.name())),
                "plant {} is not namespaced by {}",
                p.id,
                t.name()
            );
            assert!(
                t.invariants().iter().any(|i| i.id == p.breaks),
                "plant {}: {} is not an invariant of {}",
                p.id,
                p.breaks,
                t.name()
            );
            assert!(
                !p.description.trim().is_empty(),
                "plant {} has no description",
                p.id
            );
        }
    }
}

#[test]
fn every_plant_is_killed_by_the_test_suite() {
    if std::env::var_os(plant::ENV_VAR).is_some() {
        return; // inside a child run for another plant
    }
    let mut survivors = Vec::new();
    let mut total = 0;
    for t in secfuzz::registry::all() {
        for p in t.plants() {
            total += 1;
            match killer(*t, p) {
                Some(how) => eprintln!("{}: killed by {}", p.id, first_line(&how)),
                None => survivors.push(format!("{} ({}): {}", p.id, p.breaks, p.description)),
            }
        }
    }
    eprintln!("{} of {total} plants killed", total - survivors.len());
    assert!(
        survivors.is_empty(),
        "plants no test kills (holes in the generators or oracles):\n{}",
        survivors.join("\n")
    );
}

fn first_line(s: &str) -> &str {
    s.lines().next().unwrap_or(s)
}
