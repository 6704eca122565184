//! The `secfuzz` binary: `triage`'s command line, exit codes and hidden
//! child, and `replay`'s isolation. The planted faults are not in the public
//! registry; the library tests (`replay`) cover replaying them.

use std::fs;

use assert_cmd::Command;
use predicates::prelude::*;
use secfuzz::triage;

use super::fresh_dir;

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

#[test]
fn cli_replay_isolates_inputs_and_keeps_its_exit_codes() {
    let corpus = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpora/path");
    let mut files: Vec<_> = fs::read_dir(&corpus)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_none())
        .collect();
    files.sort();
    secfuzz()
        .args(["replay", "path", "--timeout", "5", "--rss-limit", "1024"])
        .arg(&files[0])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("input:   "))
        .stdout(predicate::str::contains("payload: "))
        .stdout(predicate::str::contains("result:  ok"));
    // Bytes over the input limit do not decode: exit 2, as before.
    let dir = fresh_dir("triage-cli-replay");
    let big = dir.join("big");
    fs::write(&big, vec![b'a'; 70_000]).unwrap();
    secfuzz()
        .args(["replay", "path"])
        .arg(&big)
        .assert()
        .code(2)
        .stdout(predicate::str::contains("result:  not decodable: "));
    let help = secfuzz().args(["replay", "--help"]).assert().success();
    let text = String::from_utf8(help.get_output().stdout.clone()).unwrap();
    for flag in ["--timeout", "--rss-limit", "--jobs"] {
        assert!(text.contains(flag), "{flag} missing from help");
    }
}
