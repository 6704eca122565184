//! The report's renderings: SARIF (validated against the official schema),
//! JSON (the documented schema) and HTML (escaped, self-contained).

use std::collections::BTreeSet;
use std::fs;

use secfuzz::triage::Report;

use super::shared;

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
