//! The bucket's clusters: count, kinds, signatures, accounting, minimization.

use std::collections::{BTreeMap, BTreeSet};

use secfuzz::triage::{unhex, Kind, Severity};

use super::{cluster, shared, MINIMIZED_BOUND};

#[test]
fn clusters_have_the_expected_count_and_kinds() {
    let s = shared();
    let r = &s.report;
    eprintln!("{}", r.to_text());
    eprintln!("triage of the bucket took {:?}", s.elapsed);
    let kinds: BTreeMap<(String, Kind), usize> =
        r.clusters.iter().fold(BTreeMap::new(), |mut m, c| {
            *m.entry((c.target.clone(), c.kind)).or_default() += 1;
            m
        });
    let expected: BTreeMap<(String, Kind), usize> = [
        ("planted-violation", Kind::Violation, 1),
        ("planted-panic", Kind::Panic, 2),
        ("planted-overflow", Kind::StackOverflow, 1),
        ("planted-oom", Kind::OutOfMemory, 1),
        ("planted-loop", Kind::Timeout, 1),
        ("planted-flaky", Kind::Panic, 1),
        ("planted-violation", Kind::NotReproducible, 1),
        ("planted-violation", Kind::Undecodable, 1),
        ("planted-panic", Kind::Undecodable, 1),
    ]
    .into_iter()
    .map(|(t, k, n)| ((t.to_owned(), k), n))
    .collect();
    assert_eq!(kinds, expected);
    assert_eq!(r.clusters.len(), 10);
    assert_eq!(r.totals.finding_clusters, 7);
    assert!(r.has_findings());

    let v = cluster(r, "planted-violation", Kind::Violation)[0];
    assert_eq!(v.invariant.as_deref(), Some("planted-violation.confined"));
    assert_eq!(v.severity, Severity::High);
    assert_eq!(
        v.signature,
        "planted-violation | violation | planted-violation.confined"
    );
    assert_eq!(v.file_count, 43);
    assert_eq!(v.inputs.len(), 2);

    // Two panic sites, two clusters, told apart by their project frames,
    // with the panic machinery gone from the signature.
    let panics = cluster(r, "planted-panic", Kind::Panic);
    let first = panics
        .iter()
        .find(|c| c.frames[0].function.ends_with("planted::first_place"))
        .expect("first_place cluster");
    let second = panics
        .iter()
        .find(|c| c.frames[0].function.ends_with("planted::second_place"))
        .expect("second_place cluster");
    assert_eq!(first.inputs.len(), 2);
    assert_eq!(second.file_count, 21);
    for c in [first, second] {
        assert_eq!(c.severity, Severity::Medium);
        assert!(!c.flaky);
        assert_eq!((c.representative.failed, c.representative.runs), (3, 3));
        for bad in [
            "std::",
            "core::",
            "panicking",
            "rust_begin_unwind",
            "secfuzz::triage",
        ] {
            assert!(!c.signature.contains(bad), "{bad} in {}", c.signature);
        }
        let loc = c.location.as_ref().expect("a location");
        assert_eq!(loc.file, "tests/triage/planted.rs");
    }
    assert!(
        second.title.contains("index out of bounds"),
        "{}",
        second.title
    );

    let flaky = cluster(r, "planted-flaky", Kind::Panic)[0];
    assert!(flaky.flaky);
    assert_eq!(
        (flaky.representative.failed, flaky.representative.runs),
        (1, 3)
    );

    for (target, kind) in [
        ("planted-overflow", Kind::StackOverflow),
        ("planted-oom", Kind::OutOfMemory),
        ("planted-loop", Kind::Timeout),
    ] {
        let c = cluster(r, target, kind)[0];
        assert_eq!(c.severity, Severity::Medium);
        assert_eq!((c.representative.failed, c.representative.runs), (3, 3));
    }

    let nr = cluster(r, "planted-violation", Kind::NotReproducible)[0];
    assert_eq!(nr.severity, Severity::Low);
    assert_eq!(nr.file_count, 2);
}

#[test]
fn every_input_is_accounted_for() {
    let s = shared();
    let r = &s.report;
    r.verify_accounting().unwrap();
    assert_eq!(r.totals.files, s.written.len());
    assert_eq!(
        r.totals.files,
        r.totals.clustered_files + r.totals.skipped_files
    );
    let mut seen: Vec<String> = r
        .clusters
        .iter()
        .flat_map(|c| c.inputs.iter().flat_map(|i| i.paths.iter().cloned()))
        .chain(r.skipped.iter().map(|k| k.path.clone()))
        .collect();
    seen.sort();
    let mut written: Vec<String> = s.written.iter().map(|p| p.display().to_string()).collect();
    written.sort();
    assert_eq!(seen, written, "each file exactly once");
    let reasons: BTreeSet<&str> = r.skipped.iter().map(|k| k.reason.as_str()).collect();
    assert_eq!(r.skipped.len(), 3);
    assert!(reasons.contains("hidden file"));
    assert!(reasons.iter().any(|r| r.starts_with("no target")));
    assert!(reasons.contains("1100000 bytes, over the 1048576-byte input limit"));
    // Inputs are neither moved nor deleted.
    for p in &s.written {
        assert!(p.exists(), "{} is gone", p.display());
    }
    assert!(s.root.join("bucket").exists());
}

#[test]
fn minimized_reproducers_are_small_and_keep_their_signature() {
    let r = &shared().report;
    let expected: &[(&str, Kind, &[u8])] = &[
        ("planted-violation", Kind::Violation, b"../"),
        ("planted-overflow", Kind::StackOverflow, b"R"),
        ("planted-oom", Kind::OutOfMemory, b"M"),
        ("planted-loop", Kind::Timeout, b"L"),
    ];
    for (target, kind, bytes) in expected {
        let c = cluster(r, target, *kind)[0];
        let m = c.minimized.as_ref().expect("minimized");
        assert_eq!(unhex(&m.bytes_hex).unwrap(), *bytes, "{target}");
        assert!(m.len <= MINIMIZED_BOUND);
    }
    for c in cluster(r, "planted-panic", Kind::Panic) {
        let m = c.minimized.as_ref().expect("minimized");
        assert!(m.len <= MINIMIZED_BOUND);
        let want: &[u8] = if c.signature.contains("first_place") {
            b"A"
        } else {
            b"Z"
        };
        assert_eq!(unhex(&m.bytes_hex).unwrap(), want);
        assert_eq!(
            m.input_debug.as_deref(),
            Some(&*format!(
                "Bytes(b{:?})",
                std::str::from_utf8(want).unwrap()
            ))
        );
    }
    // Flaky, not-reproducible and undecodable clusters are left as they are.
    for c in &r.clusters {
        if !c.kind.is_finding() || c.flaky {
            assert!(c.minimized.is_none(), "{}", c.signature);
        }
    }
}
