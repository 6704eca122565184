//! `secfuzz check jwt` with the caller's own keys and policy: the real binary,
//! a JWK Set file on disk, tokens on standard input.

use assert_cmd::Command;
use predicates::prelude::*;
use secfuzz::jwt::{fixture, sign_jws, sign_jwt, Algorithm, Key};
use serde_json::{json, Value};

fn secfuzz() -> Command {
    Command::cargo_bin("secfuzz").expect("secfuzz binary is built")
}

const NOW: i64 = 1_800_000_000;

/// The first trusted key for `alg`.
fn key(alg: Algorithm) -> &'static Key {
    fixture::trusted_keys()
        .keys()
        .iter()
        .find(|k| k.algorithm() == alg)
        .unwrap_or_else(|| panic!("the harness has a {alg:?} key"))
}

/// A JWK Set file holding only the public halves of the harness's
/// asymmetric keys: what a service verifying tokens would deploy.
fn public_jwks(dir: &tempfile::TempDir) -> std::path::PathBuf {
    let path = dir.path().join("jwks.json");
    let text = fixture::trusted_keys().public_json().to_string();
    std::fs::write(&path, text).unwrap();
    path
}

fn lines(out: &[u8]) -> Vec<Value> {
    String::from_utf8(out.to_vec())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn check_jwt_with_a_public_jwks_file_judges_each_token_by_the_given_policy() {
    let dir = tempfile::tempdir().unwrap();
    let jwks = public_jwks(&dir);
    let claims = |iss: &str, exp: i64| json!({"iss": iss, "sub": "alice", "exp": exp});
    let tokens = [
        // 0: good, RS256
        sign_jwt(&claims("me", NOW + 60), key(Algorithm::RS256)).unwrap(),
        // 1: good, ES256
        sign_jwt(&claims("me", NOW + 60), key(Algorithm::ES256)).unwrap(),
        // 2: wrong issuer
        sign_jwt(&claims("someone-else", NOW + 60), key(Algorithm::RS256)).unwrap(),
        // 3: expired exactly at `now` (valid iff now < exp)
        sign_jwt(&claims("me", NOW), key(Algorithm::EdDSA)).unwrap(),
        // 4: HMAC-signed: its secret is not in a public key set
        sign_jwt(&claims("me", NOW + 60), key(Algorithm::HS256)).unwrap(),
        // 5: exp as a string (sign_jwt refuses to issue it; sign the bytes)
        sign_jws(
            json!({"iss": "me", "exp": (NOW + 60).to_string()})
                .to_string()
                .as_bytes(),
            key(Algorithm::RS256),
            Some("JWT"),
        )
        .unwrap(),
    ];
    let input = tokens.join("\n") + "\n";
    let out = secfuzz()
        .args(["check", "jwt", "--json", "--iss", "me", "--now"])
        .arg(NOW.to_string())
        .arg("--jwks")
        .arg(&jwks)
        .write_stdin(input)
        .assert()
        .code(0)
        .stderr(predicate::str::contains(
            "6 payloads: 2 accepted, 4 rejected",
        ));
    let rows = lines(&out.get_output().stdout);
    let verdicts: Vec<&str> = rows
        .iter()
        .map(|r| r["verdict"].as_str().unwrap())
        .collect();
    assert_eq!(
        verdicts,
        ["accepted", "accepted", "rejected", "rejected", "rejected", "rejected"]
    );
    let accepted: Value = serde_json::from_str(rows[0]["output"].as_str().unwrap()).unwrap();
    assert_eq!(accepted["sub"], "alice");
    let reason = |i: usize| rows[i]["reason"].as_str().unwrap().to_lowercase();
    assert!(reason(2).contains("iss"), "{}", reason(2));
    assert!(reason(3).contains("expired"), "{}", reason(3));
    assert!(reason(5).contains("exp"), "{}", reason(5));

    // One second earlier the EdDSA token is still valid; a leeway of 1 s has
    // the same effect.
    for extra in [
        vec!["--now".to_owned(), (NOW - 1).to_string()],
        vec![
            "--now".to_owned(),
            NOW.to_string(),
            "--leeway-exp".to_owned(),
            "1".to_owned(),
        ],
    ] {
        secfuzz()
            .args(["check", "jwt", "--iss", "me"])
            .args(&extra)
            .arg("--jwks")
            .arg(&jwks)
            .write_stdin(tokens[3].clone())
            .assert()
            .code(0)
            .stderr(predicate::str::contains("1 accepted, 0 rejected"));
    }
}

#[test]
fn check_jwt_audience_and_required_claims() {
    let dir = tempfile::tempdir().unwrap();
    let jwks = public_jwks(&dir);
    let k = key(Algorithm::ES384);
    let addressed = sign_jwt(&json!({"aud": "api", "exp": NOW + 5}), k).unwrap();
    let run = |args: &[&str], token: &str| {
        let out = secfuzz()
            .args(["check", "jwt", "--json", "--now"])
            .arg(NOW.to_string())
            .arg("--jwks")
            .arg(&jwks)
            .args(args)
            .write_stdin(token.to_owned())
            .assert()
            .code(0);
        let rows = lines(&out.get_output().stdout);
        rows[0]["verdict"].as_str().unwrap().to_owned()
    };
    // A token with an audience is refused by a verifier that has none.
    assert_eq!(run(&[], &addressed), "rejected");
    assert_eq!(run(&["--aud", "api"], &addressed), "accepted");
    assert_eq!(
        run(&["--aud", "other", "--aud", "api"], &addressed),
        "accepted"
    );
    assert_eq!(run(&["--aud", "other"], &addressed), "rejected");
    assert_eq!(
        run(&["--aud", "api", "--require-claim", "sub"], &addressed),
        "rejected"
    );
    let no_exp = sign_jwt(&json!({"sub": "bob"}), k).unwrap();
    assert_eq!(run(&[], &no_exp), "rejected");
    assert_eq!(run(&["--no-exp"], &no_exp), "accepted");
}

#[test]
fn check_jwt_jws_profile_accepts_any_signed_payload() {
    let dir = tempfile::tempdir().unwrap();
    let jwks = public_jwks(&dir);
    let token = sign_jws(b"\x00 not JSON \xff", key(Algorithm::PS256), None).unwrap();
    for (profile, verdict) in [("jws", "accepted"), ("jwt", "rejected")] {
        let out = secfuzz()
            .args(["check", "jwt", "--json", "--profile", profile, "--jwks"])
            .arg(&jwks)
            .write_stdin(token.clone())
            .assert()
            .code(0);
        assert_eq!(lines(&out.get_output().stdout)[0]["verdict"], verdict);
    }
}

#[test]
fn check_jwt_refuses_weak_or_ambiguous_key_sets_before_reading_tokens() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        (
            "short-hmac.json",
            json!({"keys": [{"kty": "oct", "alg": "HS256", "k": "c2hvcnQ"}]}).to_string(),
            "HS256 secret is 5 bytes",
        ),
        (
            "duplicate-kid.json",
            json!({"keys": [
                {"kty": "oct", "alg": "HS256", "kid": "a", "k": "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWY"},
                {"kty": "oct", "alg": "HS256", "kid": "a", "k": "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZn"}
            ]})
            .to_string(),
            "kid",
        ),
        ("not-json.json", "{\"keys\": [".to_owned(), "JSON"),
    ];
    for (name, text, needle) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        secfuzz()
            .args(["check", "jwt", "--jwks"])
            .arg(&path)
            .write_stdin("a.b.c\n")
            .assert()
            .code(2)
            .stdout(predicate::str::is_empty())
            .stderr(predicate::str::contains(name).and(predicate::str::contains(needle)));
    }
    secfuzz()
        .args(["check", "jwt", "--jwks"])
        .arg(dir.path().join("missing.json"))
        .write_stdin("a.b.c\n")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("missing.json"));
}

#[test]
fn jwt_options_are_usage_errors_where_they_do_not_apply() {
    // Policy flags need a key set of the caller's own.
    secfuzz()
        .args(["check", "jwt", "--iss", "me"])
        .write_stdin("a.b.c\n")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("option iss").and(predicate::str::contains("give jwks")));
    // JWT options with another target.
    secfuzz()
        .args(["check", "path", "--profile", "jws"])
        .write_stdin("a\n")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unexpected argument '--profile'"));
    secfuzz()
        .args(["check", "jwt", "--profile", "jwe"])
        .write_stdin("a\n")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("jwe"));
}

#[test]
fn check_jwt_without_jwks_uses_the_harness_keys_and_clock() {
    // The harness's own honest token is accepted at the harness clock and
    // rejected one day later.
    let token = sign_jwt(
        &json!({
            "iss": fixture::ISSUER,
            "aud": fixture::AUDIENCE,
            "exp": fixture::NOW + 100,
        }),
        key(Algorithm::HS512),
    )
    .unwrap();
    secfuzz()
        .args(["check", "jwt"])
        .write_stdin(token.clone())
        .assert()
        .code(0)
        .stderr(predicate::str::contains("1 accepted"));
    secfuzz()
        .args(["check", "jwt", "--now"])
        .arg((fixture::NOW + 86_400).to_string())
        .write_stdin(token)
        .assert()
        .code(0)
        .stderr(predicate::str::contains("0 accepted, 1 rejected"));
}

/// The tokens `tests/data/jwt/make_tokens.py` made with Python's
/// `cryptography` and the fixture's keys, one JSON object per line with an
/// `expect` member the CLI ignores.
fn external_file() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/jwt/external_tokens.jsonl")
}

fn expectations() -> Vec<(String, String)> {
    std::fs::read_to_string(external_file())
        .unwrap()
        .lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).unwrap();
            (
                v["expect"].as_str().unwrap().to_owned(),
                v["case"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[test]
fn tokens_from_another_implementation_get_their_expected_verdicts() {
    let out = secfuzz()
        .args(["check", "jwt", "--input", "json-lines", "--json"])
        .arg(external_file())
        .assert()
        .code(0);
    let rows = lines(&out.get_output().stdout);
    let expect = expectations();
    assert_eq!(rows.len(), expect.len());
    for (row, (want, case)) in rows.iter().zip(&expect) {
        assert_eq!(row["violation"], Value::Null, "{case}: {row}");
        assert_eq!(row["verdict"], want.as_str(), "{case}: {row}");
    }

    // With the public key set an operator deploys (`--jwks`): the HMAC
    // tokens have no key there; every other verdict holds.
    let dir = tempfile::tempdir().unwrap();
    let out = secfuzz()
        .args([
            "check",
            "jwt",
            "--input",
            "json-lines",
            "--json",
            "--ecdsa-low-s",
        ])
        .args(["--iss", fixture::ISSUER, "--aud", fixture::AUDIENCE])
        .args(["--leeway-exp", "30", "--leeway-nbf", "10", "--now"])
        .arg(fixture::NOW.to_string())
        .arg("--jwks")
        .arg(public_jwks(&dir))
        .arg(external_file())
        .assert()
        .code(0);
    let rows = lines(&out.get_output().stdout);
    for (row, (want, case)) in rows.iter().zip(&expect) {
        let want = if case.starts_with("hs256") || case.contains("(f64") {
            "rejected"
        } else {
            want.as_str()
        };
        assert_eq!(row["verdict"], want, "{case}: {row}");
        if case.contains("s + n") || case.contains("leading zero") {
            assert!(
                row["reason"]
                    .as_str()
                    .unwrap()
                    .contains("signature out of range"),
                "{row}"
            );
        }
    }
}

/// Issue 9: correct acceptances at extreme clocks were reported as
/// violations (exit 1) by the independent re-check.
#[test]
fn extreme_clocks_raise_no_false_alarm() {
    let dir = tempfile::tempdir().unwrap();
    let jwks = public_jwks(&dir);
    let ed = key(Algorithm::EdDSA);
    let cases: [(&[&str], Value); 3] = [
        (
            &["--now", "9223372036854775807", "--leeway-nbf", "1"],
            json!({"exp": 1e30, "nbf": 1}),
        ),
        (
            &["--now", "-9223372036854775808", "--leeway-exp", "1"],
            json!({"exp": 0}),
        ),
        (
            &["--now", "9007199254740995"],
            json!({"exp": 9_007_199_254_740_996_i64}),
        ),
    ];
    for (args, claims) in cases {
        let token = sign_jws(claims.to_string().as_bytes(), ed, Some("JWT")).unwrap();
        secfuzz()
            .args(["check", "jwt", "--jwks"])
            .arg(&jwks)
            .args(args)
            .write_stdin(token)
            .assert()
            .code(0)
            .stderr(predicate::str::contains("1 accepted, 0 rejected"));
    }
}

#[test]
fn check_jwt_policy_options_low_s_iat_skew_and_lifetime() {
    let dir = tempfile::tempdir().unwrap();
    let jwks = public_jwks(&dir);
    let run = |args: &[&str], token: &str| {
        let out = secfuzz()
            .args(["check", "jwt", "--json", "--now"])
            .arg(NOW.to_string())
            .arg("--jwks")
            .arg(&jwks)
            .args(args)
            .write_stdin(token.to_owned())
            .assert()
            .code(0);
        lines(&out.get_output().stdout).remove(0)
    };
    let verdict =
        |args: &[&str], token: &str| run(args, token)["verdict"].as_str().unwrap().to_owned();
    // ecdsa-low-s: a high-s twin is accepted by default and refused with the flag.
    let token = sign_jwt(&json!({"exp": NOW + 60}), key(Algorithm::ES256)).unwrap();
    let (input, sig) = token.rsplit_once('.').unwrap();
    let sig = p256::ecdsa::Signature::from_slice(&base64_decode(sig)).unwrap();
    let (r, s) = sig.split_scalars();
    let high = p256::ecdsa::Signature::from_scalars(r, -*s).unwrap();
    let twin = format!("{input}.{}", base64_encode(&high.to_bytes()));
    assert_eq!(verdict(&[], &twin), "accepted");
    assert_eq!(verdict(&["--ecdsa-low-s"], &twin), "rejected");
    assert_eq!(verdict(&["--ecdsa-low-s"], &token), "accepted");
    // max-iat-skew: default 60 s; -1 turns the check off.
    let iat = |ahead: i64| {
        sign_jwt(
            &json!({"exp": NOW + 600, "iat": NOW + ahead}),
            key(Algorithm::EdDSA),
        )
        .unwrap()
    };
    assert_eq!(verdict(&[], &iat(60)), "accepted");
    let refused = run(&[], &iat(61));
    assert_eq!(refused["verdict"], "rejected");
    assert!(
        refused["reason"]
            .as_str()
            .unwrap()
            .contains("issued in the future"),
        "{refused}"
    );
    assert_eq!(verdict(&["--max-iat-skew", "3600"], &iat(3600)), "accepted");
    assert_eq!(
        verdict(&["--max-iat-skew", "-1"], &iat(1_000_000_000)),
        "accepted"
    );
    // max-lifetime: off by default (exp 1e308 accepted), exp <= now + limit.
    let exp = |e: Value| sign_jwt(&json!({ "exp": e }), key(Algorithm::EdDSA)).unwrap();
    assert_eq!(verdict(&[], &exp(json!(1e308))), "accepted");
    assert_eq!(
        verdict(&["--max-lifetime", "3600"], &exp(json!(1e308))),
        "rejected"
    );
    assert_eq!(
        verdict(&["--max-lifetime", "3600"], &exp(json!(NOW + 3600))),
        "accepted"
    );
    assert_eq!(
        verdict(&["--max-lifetime", "3600"], &exp(json!(NOW + 3601))),
        "rejected"
    );
    // Like the other policy options, they need a key set of the caller's own.
    for args in [
        &["--ecdsa-low-s"][..],
        &["--max-iat-skew", "5"],
        &["--max-lifetime", "5"],
    ] {
        secfuzz()
            .args(["check", "jwt"])
            .args(args)
            .write_stdin("a.b.c\n")
            .assert()
            .code(2)
            .stderr(predicate::str::contains("give jwks"));
    }
}

/// The fixture's private set mixes HMAC secrets with asymmetric keys: as an
/// operator's `--jwks` it is refused (a published set would publish the
/// secrets).
#[test]
fn check_jwt_refuses_a_key_set_mixing_hmac_and_asymmetric_keys() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mixed.json");
    std::fs::write(&path, fixture::TRUSTED_JWKS).unwrap();
    secfuzz()
        .args(["check", "jwt", "--jwks"])
        .arg(&path)
        .write_stdin("a.b.c\n")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("mixes HMAC secrets"));
}

fn base64_decode(text: &str) -> Vec<u8> {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(text)
        .unwrap()
}

fn base64_encode(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}
