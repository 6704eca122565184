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
//! shared by the tests below; each asserts one aspect of its report.

mod planted;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use assert_cmd::Command;
use predicates::prelude::*;
use secfuzz::triage::promote::Sidecar;
use secfuzz::triage::{self, sha1_hex, unhex, Config, Kind, Replayer, Report, Severity};

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

#[test]
fn sarif_validates_against_the_sarif_2_1_0_schema() {
    let r = &shared().report;
    let sarif: serde_json::Value = serde_json::from_str(&r.to_sarif()).unwrap();
    let schema: serde_json::Value = serde_json::from_str(
        &fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/data/triage/sarif-schema-2.1.0.json"
        ))
        .unwrap(),
    )
    .unwrap();
    // The official schema's `language` patterns have a stray `]`
    // (`^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$`). ECMA-262, which JSON
    // Schema patterns follow, reads it as a literal; the validator checks the
    // schema against the draft-07 meta-schema and refuses it as a regex.
    // Those patterns are replaced by their evident meaning; the rest of the
    // schema is used as published. Our logs set no `language` anyway.
    fn patch(v: &mut serde_json::Value, count: &mut usize) {
        const BAD: &str = "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$";
        match v {
            serde_json::Value::Object(m) => {
                for (k, x) in m.iter_mut() {
                    if k == "pattern" && x == BAD {
                        *x = "^[a-zA-Z]{2}(-[a-zA-Z]{2})?$".into();
                        *count += 1;
                    } else {
                        patch(x, count);
                    }
                }
            }
            serde_json::Value::Array(a) => a.iter_mut().for_each(|x| patch(x, count)),
            _ => {}
        }
    }
    let mut patched = schema.clone();
    let mut count = 0;
    patch(&mut patched, &mut count);
    assert_eq!(count, 2, "the two `language` patterns");
    // Formats (uri, uri-reference, date-time, …) are checked too.
    let validator = jsonschema::options()
        .should_validate_formats(true)
        .build(&patched)
        .expect("the schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(&sarif)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");

    // The validator is not vacuous: a broken log is refused.
    let mut broken = sarif.clone();
    broken["runs"][0]["results"][0]["level"] = "fatal".into();
    assert!(!validator.is_valid(&broken));
    let mut broken = sarif.clone();
    broken.as_object_mut().unwrap().remove("version");
    assert!(!validator.is_valid(&broken));
    let mut broken = sarif.clone();
    broken["runs"][0]["invocations"][0]["endTimeUtc"] = "yesterday".into();
    assert!(!validator.is_valid(&broken), "formats are checked");

    // What GitHub code scanning needs beyond the schema.
    let run = &sarif["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), r.clusters.len(), "one result per cluster");
    for (res, c) in results.iter().zip(&r.clusters) {
        let rule = res["ruleId"].as_str().unwrap();
        assert_eq!(rule, c.invariant.as_deref().unwrap_or(c.kind.as_str()));
        let idx = res["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[idx]["id"], rule);
        assert_eq!(res["level"], c.severity.sarif_level());
        let loc = &res["locations"][0]["physicalLocation"];
        assert!(!loc["artifactLocation"]["uri"].as_str().unwrap().is_empty());
        assert!(loc["region"]["startLine"].as_u64().unwrap() >= 1);
        assert!(res["partialFingerprints"]["secfuzzSignature/v1"].is_string());
    }
    // A panic points at its first project frame.
    let p = results
        .iter()
        .find(|res| {
            res["properties"]["signature"]
                .as_str()
                .unwrap()
                .contains("second_place")
        })
        .unwrap();
    assert_eq!(
        p["locations"][0]["physicalLocation"]["artifactLocation"],
        serde_json::json!({"uri": "tests/triage/planted.rs", "uriBaseId": "%SRCROOT%"})
    );
}

#[test]
fn json_report_follows_the_documented_schema() {
    let r = &shared().report;
    let v: serde_json::Value = serde_json::from_str(&r.to_json()).unwrap();
    assert_eq!(v["schema_version"], 1);
    assert_eq!(v["tool"]["name"], "secfuzz");
    assert_eq!(v["totals"]["files"], r.totals.files);
    assert_eq!(v["clusters"].as_array().unwrap().len(), 10);
    let kinds: BTreeSet<&str> = v["clusters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        BTreeSet::from([
            "violation",
            "panic",
            "stack-overflow",
            "out-of-memory",
            "timeout",
            "not-reproducible",
            "undecodable"
        ])
    );
    // Most severe first.
    assert_eq!(v["clusters"][0]["severity"], "high");
    // Exactly the documented fields (secfuzz::triage::report), no more, no fewer.
    let keys = |x: &serde_json::Value| -> BTreeSet<String> {
        x.as_object().unwrap().keys().cloned().collect()
    };
    let set =
        |names: &[&str]| -> BTreeSet<String> { names.iter().map(|s| s.to_string()).collect() };
    assert_eq!(
        keys(&v),
        set(&[
            "schema_version",
            "tool",
            "generated",
            "settings",
            "totals",
            "clusters",
            "skipped"
        ])
    );
    assert_eq!(
        keys(&v["totals"]),
        set(&[
            "files",
            "clustered_files",
            "skipped_files",
            "unique_inputs",
            "clusters",
            "finding_clusters"
        ])
    );
    assert_eq!(
        keys(&v["settings"]),
        set(&[
            "target",
            "runs",
            "timeout_ms",
            "rss_limit_mb",
            "jobs",
            "frames",
            "minimize",
            "minimize_time_ms",
            "promote_dir"
        ])
    );
    let c = &v["clusters"][0];
    assert_eq!(
        keys(c),
        set(&[
            "id",
            "target",
            "kind",
            "severity",
            "invariant",
            "signature",
            "title",
            "detail",
            "location",
            "frames",
            "flaky",
            "file_count",
            "representative",
            "minimized",
            "promoted",
            "notes",
            "inputs"
        ])
    );
    assert_eq!(
        keys(&c["representative"]),
        set(&[
            "sha1",
            "len",
            "path",
            "bytes_hex",
            "input_debug",
            "payload",
            "payload_hex",
            "runs",
            "failed"
        ])
    );
    assert_eq!(
        keys(&c["minimized"]),
        set(&[
            "sha1",
            "len",
            "bytes_hex",
            "input_debug",
            "payload",
            "payload_hex",
            "tests",
            "complete",
            "elapsed_ms"
        ])
    );
    assert_eq!(
        keys(&c["promoted"]),
        set(&["path", "sidecar", "already_present"])
    );
    assert_eq!(
        keys(&c["inputs"][0]),
        set(&["sha1", "len", "paths", "artifact_kinds", "runs", "failed"])
    );
    assert_eq!(keys(&v["skipped"][0]), set(&["path", "reason"]));
    // It reads back.
    let back: Report = serde_json::from_value(v).unwrap();
    assert_eq!(back.totals, r.totals);
}

#[test]
fn html_report_escapes_everything_from_inputs() {
    let s = shared();
    let r = &s.report;
    let html = r.to_html();
    // Left beside the bucket for a person to look at.
    fs::write(s.root.join("report.html"), &html).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(!html.contains("<script"), "no scripts, none injected");
    assert!(!html.contains("<img"));
    assert!(!html.contains("<b>x</b>"));
    assert!(html.contains("crash-&lt;img src=x onerror=alert(1)&gt;"));
    assert!(
        html.contains("&lt;b&gt;x&lt;/b&gt;"),
        "panic message shown escaped"
    );
    assert_eq!(html.matches("<section id=\"c").count(), r.clusters.len());
    assert!(html.contains("secfuzz replay planted-violation"));
    // Self-contained: no external resources.
    assert!(!html.contains("src=\"http") && !html.contains("href=\"http"));
}

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

// ---------------------------------------------------------------------------
// The `secfuzz` binary. The public registry is empty on this branch, so these
// exercise the command line, its exit codes and the hidden child; the
// planted faults above cover replay.

fn secfuzz() -> Command {
    Command::cargo_bin("secfuzz").unwrap()
}

#[test]
fn cli_usage_errors_exit_2() {
    secfuzz().arg("triage").assert().code(2);
    secfuzz()
        .args(["triage", "--timeout", "0", "."])
        .assert()
        .code(2);
    let dir = fresh_dir("triage-cli-usage");
    secfuzz()
        .args(["triage", "--target", "no-such-target"])
        .arg(&dir)
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "unknown target \"no-such-target\"",
        ));
    secfuzz()
        .args(["triage"])
        .arg(dir.join("missing"))
        .assert()
        .code(2)
        .stderr(predicates::str::contains("cannot read"));
}

#[test]
fn cli_accounts_for_files_it_cannot_attribute() {
    let dir = fresh_dir("triage-cli-accounting");
    fs::create_dir_all(dir.join("bucket/unknown")).unwrap();
    fs::write(dir.join("bucket/unknown/crash-1"), b"x").unwrap();
    fs::write(dir.join("bucket/crash-2"), b"y").unwrap();
    let out = dir.join("report.json");
    secfuzz()
        .args(["triage", "--format", "json", "--out"])
        .arg(&out)
        .arg(dir.join("bucket"))
        .assert()
        .code(0)
        .stderr(predicates::str::contains("2 files, 0 clusters"));
    let v: serde_json::Value = serde_json::from_str(&fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(v["totals"]["files"], 2);
    assert_eq!(v["totals"]["skipped_files"], 2);
    secfuzz()
        .args(["triage", "--format", "sarif"])
        .arg(dir.join("bucket"))
        .assert()
        .code(0)
        .stdout(predicates::str::contains("\"version\": \"2.1.0\""));
    secfuzz()
        .args(["triage"])
        .arg(dir.join("bucket"))
        .assert()
        .code(0)
        .stdout(predicates::str::contains("2 skipped"));
}

#[test]
fn cli_hidden_child_speaks_the_protocol() {
    // Not a child: refuses.
    secfuzz()
        .arg("__triage-child")
        .env_remove(triage::CHILD_ENV)
        .assert()
        .code(2);
    // A child asked for a target the registry lacks reports an error line.
    secfuzz()
        .arg("__triage-child")
        .env(
            triage::CHILD_ENV,
            r#"{"target":"no-such-target","rss_limit_mb":64,"cpu_limit_secs":5,"nonce":"n0"}"#,
        )
        .write_stdin("abc")
        .assert()
        .code(2)
        .stdout(predicates::str::contains(
            r#"secfuzz-triage:n0 {"event":"error","message":"this child does not know target \"no-such-target\""}"#,
        ));
    // The subcommand is hidden from help; triage's flags are documented.
    secfuzz()
        .arg("--help")
        .assert()
        .success()
        .stdout(predicates::str::contains("triage"))
        .stdout(predicates::str::contains("__triage-child").not());
    let help = secfuzz().args(["triage", "--help"]).assert().success();
    let text = String::from_utf8(help.get_output().stdout.clone()).unwrap();
    for flag in [
        "--target",
        "--format",
        "--out",
        "--minimize",
        "--promote",
        "--corpora",
        "--jobs",
        "--timeout",
        "--rss-limit",
        "--runs",
        "--minimize-time",
        "--frames",
        "--source-root",
    ] {
        assert!(text.contains(flag), "{flag} missing from help");
    }
}
