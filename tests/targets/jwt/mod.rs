//! The JWT target's tests, grouped by what they pin, and the helpers they
//! share (base64url, the fixture's keys and verifier, raw tokens, JWKs).
//!
//! Tests that were written against surviving cargo-mutants mutants live with
//! the tests of the behaviour they pin; each says what that is.

mod attacks;
mod claims;
mod errors;
mod external;
mod keys;
mod oracle;
mod properties;
mod vectors;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use secfuzz::jwt::fixture::{self, AUDIENCE, ISSUER, NOW};
use secfuzz::jwt::{
    sign_jwt, Algorithm, ClaimsError, Jwks, JwsError, Key, KeyError, Profile, Verifier, VerifyError,
};
use serde_json::{json, Map, Value};

/// Canonical base64url, no padding.
fn b64(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Decode canonical base64url (panics on anything else).
fn unb64(text: &str) -> Vec<u8> {
    URL_SAFE_NO_PAD.decode(text).unwrap()
}

/// A compact token over exactly these header and payload bytes, signed by `key`.
fn raw_token(header: &str, payload: &str, key: &Key) -> String {
    let input = format!("{}.{}", b64(header.as_bytes()), b64(payload.as_bytes()));
    let sig = key.sign_raw(input.as_bytes()).unwrap();
    format!("{input}.{}", b64(&sig))
}

/// The fixture's trusted key `kid` (private).
fn trusted(kid: &str) -> &'static Key {
    fixture::trusted_keys().get(kid).unwrap()
}

/// Claims the fixture verifier accepts at [`NOW`]: iss, aud, sub, iat, exp.
fn good_claims() -> Value {
    json!({"iss": ISSUER, "aud": AUDIENCE, "sub": "user-42", "iat": NOW - 60, "exp": NOW + 600})
}

/// The fewest claims the fixture verifier accepts at [`NOW`]: iss, aud, exp.
fn minimal_claims() -> Value {
    json!({"iss": ISSUER, "aud": AUDIENCE, "exp": NOW + 600})
}

/// Verify `token` as a JWT with the fixture verifier at [`NOW`].
fn fixture_verify(token: &str) -> Result<secfuzz::jwt::Jwt, VerifyError> {
    fixture::verifier().verify(token.as_bytes(), NOW)
}

/// The claims error the fixture verifier refuses `token` with.
fn claims_err(token: &str) -> ClaimsError {
    match fixture_verify(token) {
        Err(VerifyError::Claims(e)) => e,
        other => panic!("expected a claims error, got {other:?}"),
    }
}

/// A JWT header naming `kid` and `alg`.
fn header_for(kid: &str, alg: &str) -> String {
    format!(r#"{{"alg":"{alg}","kid":"{kid}","typ":"JWT"}}"#)
}

/// The fixture's trusted key `kid` as its private JWK, read from the
/// committed key file.
fn jwk(kid: &str) -> Map<String, Value> {
    let doc: Value = serde_json::from_str(fixture::TRUSTED_JWKS).unwrap();
    doc["keys"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["kid"] == kid)
        .unwrap()
        .as_object()
        .unwrap()
        .clone()
}

/// The public JWK of the fixture's trusted key `kid`.
fn public_jwk(kid: &str) -> Map<String, Value> {
    trusted(kid).public_jwk().unwrap()
}

/// Load a JWK Set made of these keys.
fn set_of(keys: Vec<Map<String, Value>>) -> Result<Jwks, KeyError> {
    let keys: Vec<Value> = keys.into_iter().map(Value::Object).collect();
    Jwks::from_json(&json!({ "keys": keys }).to_string())
}

/// `a + b` for big-endian unsigned integers (one byte longer on a carry).
fn add_be(a: &[u8], b: &[u8]) -> Vec<u8> {
    let len = a.len().max(b.len());
    let at = |x: &[u8], i: usize| x.len().checked_sub(i + 1).map_or(0u16, |j| u16::from(x[j]));
    let (mut out, mut carry) = (vec![0u8; len], 0u16);
    for i in 0..len {
        let v = at(a, i) + at(b, i) + carry;
        out[len - 1 - i] = v as u8;
        carry = v >> 8;
    }
    if carry > 0 {
        out.insert(0, carry as u8);
    }
    out
}

/// The fixture's modulus of RSA key `kid`.
fn modulus(kid: &str) -> Vec<u8> {
    unb64(public_jwk(kid)["n"].as_str().unwrap())
}

/// The fixture's trusted keys as a public JWK Set (what an operator deploys).
fn public_set() -> Jwks {
    Jwks::from_json(&fixture::trusted_keys().public_json().to_string()).unwrap()
}

/// The tokens `tests/data/jwt/make_tokens.py` made with Python's
/// `cryptography`: (token, expected verdict, case).
fn external_tokens() -> Vec<(String, String, String)> {
    let text = include_str!("../../data/jwt/external_tokens.jsonl");
    text.lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).unwrap();
            let s = |k: &str| v[k].as_str().unwrap().to_owned();
            (s("payload"), s("expect"), s("case"))
        })
        .collect()
}
