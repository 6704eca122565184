//! The registry is the one list of targets. Adding a target is one folder
//! (`src/targets/<t>/`), one registry line, and the files this test
//! requires for every registered target (ARCHITECTURE.md, "Adding a
//! target", lists the same):
//!
//! 1. `src/targets/<t>/mod.rs` with a `# Threat model` section, and
//!    `src/targets/<t>/error.rs`;
//! 2. a fuzz shim `fuzz/fuzz_targets/<t>.rs` over `secfuzz_fuzz::run::<…>`
//!    and its `[[bin]]` in `fuzz/Cargo.toml` (and no other bins);
//! 3. seed inputs in `corpora/<t>/`;
//! 4. a property test under `tests/targets/<t>/` calling
//!    `secfuzz::harness::property::<…>`;
//! 5. a benchmark `benches/<t>.rs` with its `[[bench]]` in `Cargo.toml`;
//! 6. an options declaration whose every option is well-formed and whose
//!    defaults configure a checker;
//! 7. a README section `### `<t>`` under `## Targets` naming every option;
//! 8. namespaced, unique invariant ids;
//! 9. (in `tests/plants.rs`) at least 8 planted vulnerabilities, each
//!    killed by the test suite.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use secfuzz::options::Options;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn read(rel: impl AsRef<Path>) -> String {
    let p = root().join(rel);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// `name = "…"` values of the `[[section]]` tables of a Cargo manifest.
fn table_names(manifest: &str, section: &str) -> BTreeSet<String> {
    let header = format!("[[{section}]]");
    let mut names = BTreeSet::new();
    let mut inside = false;
    for line in manifest.lines().map(str::trim) {
        if line.starts_with('[') {
            inside = line == header;
        } else if inside {
            if let Some(v) = line.strip_prefix("name") {
                let v = v.trim_start().trim_start_matches('=').trim();
                names.insert(v.trim_matches('"').to_owned());
            }
        }
    }
    names
}

/// The last segment of a Rust type name (`secfuzz::targets::path::PathTarget` → `PathTarget`).
fn type_ident(type_name: &str) -> &str {
    type_name.rsplit("::").next().unwrap_or(type_name)
}

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).into_iter().flatten() {
        let p = e.unwrap().path();
        if p.is_dir() {
            files_under(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

fn registry_names() -> BTreeSet<String> {
    secfuzz::registry::all()
        .iter()
        .map(|t| t.name().to_owned())
        .collect()
}

#[test]
fn every_target_has_its_folder_with_threat_model_and_error_module() {
    for t in secfuzz::registry::all() {
        let m = read(format!("src/targets/{}/mod.rs", t.name()));
        assert!(
            m.contains("//! # Threat model"),
            "src/targets/{}/mod.rs has no `# Threat model` section",
            t.name()
        );
        assert!(
            root()
                .join(format!("src/targets/{}/error.rs", t.name()))
                .is_file(),
            "src/targets/{}/error.rs is missing",
            t.name()
        );
        assert!(
            t.type_name()
                .starts_with(&format!("secfuzz::targets::{}::", t.name())),
            "{} is not defined in src/targets/{}/",
            t.type_name(),
            t.name()
        );
    }
}

#[test]
fn every_target_has_a_fuzz_shim_and_nothing_else_does() {
    let manifest = read("fuzz/Cargo.toml");
    assert_eq!(
        table_names(&manifest, "bin"),
        registry_names(),
        "fuzz/Cargo.toml [[bin]]s vs registry"
    );
    for t in secfuzz::registry::all() {
        let shim = read(format!("fuzz/fuzz_targets/{}.rs", t.name()));
        let call = format!(
            "secfuzz_fuzz::run::<secfuzz::{}::{}>",
            t.name(),
            type_ident(t.type_name())
        );
        assert!(
            shim.contains(&call),
            "fuzz/fuzz_targets/{}.rs must call {call}(data)",
            t.name()
        );
        assert!(
            manifest.contains(&format!("path = \"fuzz_targets/{}.rs\"", t.name())),
            "fuzz/Cargo.toml: [[bin]] {} must point at fuzz_targets/{0}.rs",
            t.name()
        );
    }
}

#[test]
fn every_target_has_seed_inputs() {
    for t in secfuzz::registry::all() {
        let seeds = secfuzz::corpus::files(&root().join("corpora").join(t.name())).unwrap();
        assert!(
            !seeds.is_empty(),
            "corpora/{}/ has no seed inputs",
            t.name()
        );
    }
}

#[test]
fn every_target_has_a_property_test_calling_the_generic_property() {
    for t in secfuzz::registry::all() {
        let dir = root().join("tests/targets").join(t.name());
        let mut files = Vec::new();
        files_under(&dir, &mut files);
        let call = format!("harness::property::<{}>", type_ident(t.type_name()));
        assert!(
            files
                .iter()
                .any(|f| std::fs::read_to_string(f).unwrap().contains(&call)),
            "no test under tests/targets/{}/ calls secfuzz::{call}",
            t.name()
        );
    }
}

#[test]
fn every_target_has_a_benchmark() {
    let manifest = read("Cargo.toml");
    let benches = table_names(&manifest, "bench");
    for t in secfuzz::registry::all() {
        assert!(
            benches.contains(t.name()),
            "Cargo.toml has no [[bench]] name = \"{}\"",
            t.name()
        );
        assert!(
            root().join(format!("benches/{}.rs", t.name())).is_file(),
            "benches/{}.rs is missing",
            t.name()
        );
    }
}

#[test]
fn every_target_declares_well_formed_options_whose_defaults_configure() {
    for t in secfuzz::registry::all() {
        let mut names = BTreeSet::new();
        for spec in t.options() {
            if let Some(problem) = spec.declaration_problem() {
                panic!("target {}: {problem}", t.name());
            }
            assert!(
                names.insert(spec.name),
                "target {}: option {} twice",
                t.name(),
                spec.name
            );
        }
        let defaults = Options::defaults(t.options());
        if let Err(e) = t.checker(&defaults) {
            panic!("target {}: default options do not configure: {e}", t.name());
        }
    }
}

/// The README's `### `t`` section under `## Targets`.
fn readme_section(readme: &str, name: &str) -> Option<String> {
    let targets = readme.split("\n## Targets\n").nth(1)?;
    let targets = targets.split("\n## ").next()?;
    let heading = format!("\n### `{name}`");
    let start = targets.find(&heading)?;
    let rest = &targets[start + heading.len()..];
    Some(rest.split("\n### ").next()?.to_owned())
}

#[test]
fn every_target_has_a_readme_section_naming_its_options() {
    let readme = read("README.md");
    for t in secfuzz::registry::all() {
        let section = readme_section(&readme, t.name())
            .unwrap_or_else(|| panic!("README.md: no \"### `{}`\" under \"## Targets\"", t.name()));
        for spec in t.options() {
            assert!(
                section.contains(&format!("`{}`", spec.name)),
                "README.md, target {}: option `{}` is not documented",
                t.name(),
                spec.name
            );
        }
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
fn target_names_are_unique_and_fit_every_place_they_are_used() {
    let names = secfuzz::registry::names();
    let set: BTreeSet<_> = names.iter().collect();
    assert_eq!(set.len(), names.len());
    for n in names {
        // CLI subcommand, fuzz bin, corpus folder and module name at once.
        assert!(
            !n.is_empty()
                && n.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
            "target name {n:?} must be lowercase ASCII, digits or '-'"
        );
    }
}
