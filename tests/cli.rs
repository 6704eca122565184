//! CLI end-to-end tests: the real `secfuzz` binary, real files, real exit codes.

use assert_cmd::Command;
use predicates::prelude::*;

fn secfuzz() -> Command {
    Command::cargo_bin("secfuzz").expect("secfuzz binary is built")
}

#[test]
fn list_json_names_every_registered_target_and_invariant() {
    let out = secfuzz().args(["list", "--json"]).assert().success();
    let list: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    let list = list.as_array().expect("an array");
    assert_eq!(list.len(), secfuzz::registry::all().len());
    for (entry, t) in list.iter().zip(secfuzz::registry::all()) {
        assert_eq!(entry["name"], t.name());
        let ids: Vec<&str> = entry["invariants"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["id"].as_str().unwrap())
            .collect();
        let expected: Vec<&str> = t.invariants().iter().map(|i| i.id).collect();
        assert_eq!(ids, expected);
    }
}

#[test]
fn list_text_shows_each_target() {
    let mut assert = secfuzz().arg("list").assert().success();
    for t in secfuzz::registry::all() {
        assert = assert.stdout(predicate::str::contains(t.name()));
    }
}

#[test]
fn unknown_target_is_a_usage_error_naming_the_known_ones() {
    secfuzz()
        .args(["check", "no-such-target"])
        .write_stdin("x\n")
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "unknown target \"no-such-target\"",
        ));
    secfuzz()
        .args(["replay", "no-such-target", "Cargo.toml"])
        .assert()
        .code(2);
}

#[test]
fn bad_arguments_exit_2() {
    secfuzz().arg("frobnicate").assert().code(2);
    secfuzz()
        .args(["fuzz", "--duration", "ten"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("invalid duration"));
    secfuzz()
        .args(["fuzz", "--sanitizer", "memory"])
        .assert()
        .code(2);
}

#[test]
fn fuzz_outside_a_project_is_an_environment_error() {
    let dir = tempfile::tempdir().unwrap();
    secfuzz()
        .args(["fuzz", "--duration", "1s", "--project"])
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no fuzz/Cargo.toml"));
}

#[test]
fn fuzz_refuses_unknown_targets_before_building() {
    secfuzz()
        .args(["fuzz", "no-such-target", "--duration", "1s"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown target"));
}

#[test]
fn check_reads_files_and_stdin_alike_one_json_object_per_line() {
    let payloads = "first\r\nsecond\n\nfourth";
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("payloads.txt");
    std::fs::write(&file, payloads).unwrap();
    for t in secfuzz::registry::all() {
        let from_file = secfuzz()
            .args(["check", t.name(), "--json"])
            .arg(&file)
            .output()
            .unwrap();
        let from_stdin = secfuzz()
            .args(["check", t.name(), "-", "--json"])
            .write_stdin(payloads)
            .output()
            .unwrap();
        let parse = |out: Vec<u8>| -> Vec<serde_json::Value> {
            String::from_utf8(out)
                .unwrap()
                .lines()
                .map(|l| serde_json::from_str(l).unwrap())
                .collect()
        };
        let lines = parse(from_file.stdout);
        let mut stdin_lines = parse(from_stdin.stdout);
        // The same records but for `source`: FILE:LINE vs <stdin>:LINE.
        for (i, (a, b)) in lines.iter().zip(stdin_lines.iter_mut()).enumerate() {
            assert_eq!(a["source"], format!("{}:{}", file.display(), i + 1));
            assert_eq!(b["source"], format!("<stdin>:{}", i + 1));
            b["source"] = a["source"].clone();
        }
        assert_eq!(lines, stdin_lines);
        assert_eq!(lines.len(), 4, "CRLF, LF, an empty line, no final newline");
        let expected = ["first", "second", "", "fourth"];
        for (line, payload) in lines.iter().zip(expected) {
            assert_eq!(line["target"], t.name());
            assert_eq!(line["payload"], payload);
            for key in ["verdict", "output", "reason", "violation"] {
                assert!(line.get(key).is_some(), "{key} missing in {line}");
            }
            // The CLI reports what the library says.
            let lib = t.check_payload(payload.as_bytes());
            match lib {
                Ok(v) => {
                    assert_eq!(line["verdict"], v.kind());
                    assert_eq!(line["output"].as_str(), v.output());
                    assert_eq!(line["reason"].as_str(), v.reason());
                    assert!(line["violation"].is_null());
                }
                Err(v) => assert_eq!(line["violation"]["invariant"], v.invariant.as_ref()),
            }
        }
        let code = from_file.status.code();
        let any_violation = lines.iter().any(|l| !l["violation"].is_null());
        assert_eq!(code, Some(if any_violation { 1 } else { 0 }));
    }
}

#[test]
fn replay_shows_input_payload_and_result_for_corpus_files() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpora");
    for t in secfuzz::registry::all() {
        let dir = root.join(t.name());
        secfuzz()
            .args(["replay", t.name()])
            .arg(&dir)
            .assert()
            .success()
            .stdout(predicate::str::contains("input:"))
            .stdout(predicate::str::contains("payload:"))
            .stdout(predicate::str::contains("result:  ok"));
    }
}

#[test]
fn replay_of_a_missing_file_is_an_error_not_a_panic() {
    for t in secfuzz::registry::all() {
        secfuzz()
            .args(["replay", t.name(), "/nonexistent/secfuzz-input"])
            .assert()
            .code(2)
            .stderr(predicate::str::contains("cannot read"));
    }
}

/// The public dotdotpwn list (`../shared/external/…`, beside the project):
/// no violation, and nothing accepted leaves the root, judged here by a
/// separate `std::path` walk over the CLI's JSON output.
#[test]
fn check_path_over_dotdotpwn_reports_no_violation_and_accepts_nothing_outside() {
    let list = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/external/payloadsallthethings/path-traversal/dotdotpwn.txt");
    if !list.is_file() {
        eprintln!("skipped: {} not present", list.display());
        return;
    }
    let out = secfuzz()
        .args(["check", "path", "--json"])
        .arg(&list)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut accepted = 0;
    let mut total = 0;
    for line in String::from_utf8(out.stdout).unwrap().lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        total += 1;
        assert!(v["violation"].is_null(), "{line}");
        if v["verdict"] == "accepted" {
            accepted += 1;
            let root = std::path::Path::new("/srv/root");
            let joined = root.join(v["output"].as_str().unwrap());
            let mut depth = 0i32;
            for c in joined
                .strip_prefix(root)
                .expect("under the root")
                .components()
            {
                match c {
                    std::path::Component::Normal(_) => depth += 1,
                    std::path::Component::ParentDir => depth -= 1,
                    other => panic!("{line}: unexpected component {other:?}"),
                }
                assert!(depth >= 0, "{line} leaves the root");
            }
        }
    }
    assert!(total > 20_000, "the whole list was checked ({total})");
    assert!(
        accepted < total / 10,
        "almost all traversal payloads are refused"
    );
}
