//! `secfuzz check`: the three input formats, the `source` of each result,
//! and target options given either way (`--opt NAME=VALUE`, `--NAME VALUE`),
//! all through the real binary.

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

fn secfuzz() -> Command {
    Command::cargo_bin("secfuzz").expect("secfuzz binary is built")
}

fn records(out: &[u8]) -> Vec<Value> {
    String::from_utf8(out.to_vec())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{l}: {e}")))
        .collect()
}

#[test]
fn json_lines_take_strings_and_payload_objects_and_report_every_other_line() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("x.jsonl");
    std::fs::write(
        &file,
        "\"a/../b\"\n{\"payload\": \"../etc/passwd\", \"id\": 7}\n42\n{\"payload\": 1}\n\"multi\\nline\"\n",
    )
    .unwrap();
    let out = secfuzz()
        .args(["check", "path", "--input", "json-lines", "--json"])
        .arg(&file)
        .assert()
        .code(2) // two lines were not payloads, no violation
        .stderr(predicate::str::contains("2 inputs were not payloads"))
        .get_output()
        .stdout
        .clone();
    let r = records(&out);
    assert_eq!(r.len(), 5);
    let src = |i: usize| format!("{}:{}", file.display(), i + 1);
    assert_eq!(r[0]["verdict"], "accepted");
    assert_eq!(r[0]["output"], "b");
    assert_eq!(r[0]["source"], src(0));
    assert_eq!(r[1]["verdict"], "rejected");
    assert_eq!(r[1]["payload"], "../etc/passwd");
    for i in [2, 3] {
        assert_eq!(r[i]["verdict"], "error", "{}", r[i]);
        assert_eq!(r[i]["source"], src(i));
        assert!(r[i]["reason"].as_str().unwrap().contains("not a payload"));
        assert_eq!(r[i]["payload"], Value::Null);
    }
    // A newline inside a payload is one payload, not two.
    assert_eq!(r[4]["payload"], "multi\nline");
    assert_eq!(r[4]["verdict"], "rejected");
    // All good lines: exit 0.
    secfuzz()
        .args(["check", "path", "--input", "json-lines"])
        .write_stdin("\"a\"\n{\"payload\":\"b/c\"}\n")
        .assert()
        .code(0)
        .stdout(predicate::str::contains("<stdin>:2"));
}

#[test]
fn files_make_one_payload_per_file_named_by_its_relative_path() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    std::fs::write(dir.path().join("b.txt"), "x/../y\n").unwrap(); // the newline is part of it
    std::fs::write(dir.path().join("a.txt"), "../../etc/passwd").unwrap();
    std::fs::write(dir.path().join("sub/c"), "ok/name").unwrap();
    let out = secfuzz()
        .args(["check", "path", "--input", "files", "--json"])
        .arg(dir.path())
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let r = records(&out);
    let sources: Vec<&str> = r.iter().map(|v| v["source"].as_str().unwrap()).collect();
    assert_eq!(sources, ["a.txt", "b.txt", "sub/c"]);
    assert_eq!(r[0]["verdict"], "rejected");
    assert_eq!(r[1]["payload"], "x/../y\n");
    assert_eq!(r[1]["verdict"], "rejected", "a control character: {}", r[1]);
    assert_eq!(r[2]["output"], "ok/name");
    // Not a directory, or standard input: a usage error.
    secfuzz()
        .args(["check", "path", "--input", "files"])
        .arg(dir.path().join("a.txt"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("needs a directory"));
    secfuzz()
        .args(["check", "path", "--input", "files"])
        .write_stdin("x")
        .assert()
        .code(2);
}

#[test]
fn target_options_work_in_both_forms_and_bad_ones_are_usage_errors() {
    // Path's policy through --opt and through the generated flag.
    for args in [
        &["--opt", "backslash=refuse"][..],
        &["--backslash", "refuse"][..],
    ] {
        let out = secfuzz()
            .args(["check", "path", "--json"])
            .args(args)
            .write_stdin("a\\b\n")
            .assert()
            .code(0)
            .get_output()
            .stdout
            .clone();
        assert_eq!(records(&out)[0]["verdict"], "rejected", "{args:?}");
    }
    secfuzz()
        .args(["check", "path", "--json"])
        .write_stdin("a\\b\n")
        .assert()
        .stdout(predicate::str::contains("\"verdict\":\"accepted\""));
    // Unknown, malformed, mistyped and repeated options: exit 2, naming the valid ones.
    for (args, needle) in [
        (
            &["--opt", "bogus=1"][..],
            "valid options: dot-dot, backslash",
        ),
        (&["--opt", "backslash"][..], "valid options: dot-dot"),
        (&["--opt", "=x"][..], "not NAME=VALUE"),
        (&["--opt", "max-depth=many"][..], "is not a whole number"),
        (&["--opt", "max-depth=0"][..], "from 1 to 4096"),
        (&["--opt", "dot-dot=Refuse"][..], "one of resolve, refuse"),
        (
            &["--max-depth", "3", "--opt", "max-depth=4"][..],
            "only once",
        ),
    ] {
        secfuzz()
            .args(["check", "path"])
            .args(args)
            .write_stdin("a\n")
            .assert()
            .code(2)
            .stdout(predicate::str::is_empty())
            .stderr(predicate::str::contains(needle));
    }
}

#[test]
fn help_and_list_show_each_targets_options_with_defaults() {
    for t in secfuzz::registry::all() {
        let help = secfuzz()
            .args(["check", t.name(), "--help"])
            .assert()
            .code(0)
            .get_output()
            .stdout
            .clone();
        // Help text is wrapped to the terminal: compare with whitespace collapsed.
        let help = String::from_utf8(help)
            .unwrap()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        for o in t.options() {
            assert!(
                help.contains(&format!("--{}", o.name)),
                "{}: {help}",
                o.name
            );
            if let (Some(d), false) = (o.default, o.kind == secfuzz::options::OptionKind::Flag) {
                assert!(
                    help.contains(&format!("[default: {d}]")),
                    "{}: {help}",
                    o.name
                );
            }
        }
    }
    let out = secfuzz()
        .args(["list", "--json"])
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let list: Value = serde_json::from_slice(&out).unwrap();
    for (entry, t) in list
        .as_array()
        .unwrap()
        .iter()
        .zip(secfuzz::registry::all())
    {
        let opts = entry["options"].as_array().unwrap();
        assert_eq!(opts.len(), t.options().len());
        for (o, spec) in opts.iter().zip(t.options()) {
            assert_eq!(o["name"], spec.name);
            assert_eq!(o["default"], serde_json::json!(spec.default));
            assert_eq!(o["help"], spec.help);
        }
    }
}

/// Tokens the fixture signed (the decoded `corpora/jwt/` inputs) get the
/// same verdicts whether the options come as the documented flags or as
/// `--opt`, with the caller's key set and with the fixture's.
#[test]
fn jwt_flags_and_opt_assignments_give_the_same_verdicts_on_corpus_tokens() {
    let jwt = secfuzz::registry::find("jwt").unwrap();
    let mut tokens = Vec::new();
    for f in secfuzz::corpus::files(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpora/jwt"),
    )
    .unwrap()
    .into_iter()
    .take(150)
    {
        if let Ok((_, payload)) = jwt.describe(&std::fs::read(f).unwrap()) {
            if !payload.contains(&b'\n') && !payload.contains(&b'\r') {
                tokens.push(String::from_utf8_lossy(&payload).into_owned());
            }
        }
    }
    assert!(tokens.len() > 100, "{}", tokens.len());
    let stdin = tokens.join("\n") + "\n";
    let dir = tempfile::tempdir().unwrap();
    let jwks = dir.path().join("jwks.json");
    std::fs::write(
        &jwks,
        secfuzz::jwt::fixture::trusted_keys()
            .public_json()
            .to_string(),
    )
    .unwrap();
    let jwks = jwks.to_str().unwrap();
    let run = |args: &[&str]| {
        let out = secfuzz()
            .args(["check", "jwt", "--json"])
            .args(args)
            .write_stdin(stdin.clone())
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        records(&out.stdout)
    };
    let cases: [(&[&str], &[&str]); 3] = [
        (
            &[
                "--jwks",
                jwks,
                "--now",
                "1700000000",
                "--iss",
                "https://issuer.secfuzz.test",
                "--aud",
                "secfuzz-api",
                "--leeway-exp",
                "30",
            ],
            &[
                "--opt",
                &format!("jwks={jwks}"),
                "--opt",
                "now=1700000000",
                "--opt",
                "iss=https://issuer.secfuzz.test",
                "--opt",
                "aud=secfuzz-api",
                "--opt",
                "leeway-exp=30",
            ],
        ),
        (&["--profile", "jws"], &["--opt", "profile=jws"]),
        (&["--now", "1700000000"], &["--opt", "now=1700000000"]),
    ];
    for (flags, opts) in cases {
        let a = run(flags);
        let b = run(opts);
        assert_eq!(a.len(), tokens.len());
        assert_eq!(a, b, "{flags:?} vs {opts:?}");
        let accepted = a.iter().filter(|r| r["verdict"] == "accepted").count();
        eprintln!("{flags:?}: {accepted} of {} accepted", a.len());
    }
    // And no options at all is the fixture's check at the fixture clock.
    assert_eq!(run(&[]), run(&["--now", "1700000000"]));
}
