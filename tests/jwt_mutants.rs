//! JWT target: tests added to kill surviving cargo-mutants mutants of
//! `src/jwt/` (error text, boundaries and branches the main suite left
//! unasserted). Each test states the behaviour it pins.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use secfuzz::jwt::fixture::{self, NOW};
use secfuzz::jwt::{
    sign_jwt, ClaimsError, Jwks, JwsError, Key, Verifier, VerifyError, DEFAULT_MAX_TOKEN_LEN,
};
use serde_json::{json, Value};

fn b64(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

fn trusted(kid: &str) -> &'static Key {
    fixture::trusted_keys().get(kid).unwrap()
}

/// A compact token over exactly these header and payload bytes, signed by `key`.
fn raw_token(header: &str, payload: &str, key: &Key) -> String {
    let input = format!("{}.{}", b64(header.as_bytes()), b64(payload.as_bytes()));
    let sig = key.sign_raw(input.as_bytes()).unwrap();
    format!("{input}.{}", b64(&sig))
}

fn good_claims() -> Value {
    json!({"iss": fixture::ISSUER, "aud": fixture::AUDIENCE, "exp": NOW + 600})
}

fn harness_err(token: &str) -> VerifyError {
    fixture::verifier()
        .verify(token.as_bytes(), NOW)
        .expect_err("token must be refused")
}

// ---------------------------------------------------------------------------
// json.rs: the strict parser's error text reaches the user.

#[test]
fn strict_json_errors_explain_themselves() {
    let key = trusted("hs256-0");
    let header = r#"{"alg":"HS256","kid":"hs256-0","typ":"JWT"}"#;
    // A header that is JSON but not an object.
    let token = raw_token("[1]", "{}", key);
    assert_eq!(
        fixture::verifier()
            .verify_jws(token.as_bytes())
            .unwrap_err(),
        JwsError::HeaderJson {
            detail: "top level is not an object".into()
        }
    );
    // A header that is not JSON: the detail is serde_json's message.
    let token = raw_token("{\"alg\"", "{}", key);
    let JwsError::HeaderJson { detail } = fixture::verifier()
        .verify_jws(token.as_bytes())
        .unwrap_err()
    else {
        panic!("expected HeaderJson");
    };
    assert!(detail.contains("EOF"), "{detail}");
    // Claims that are not an object.
    let err = harness_err(&raw_token(header, "\"claims\"", key));
    assert_eq!(
        err,
        VerifyError::Claims(ClaimsError::NotJson {
            detail: "top level is not an object".into()
        })
    );
    assert_eq!(
        err.to_string(),
        "claims are not a strict JSON object: top level is not an object"
    );
}

// ---------------------------------------------------------------------------
// jws.rs: the size cap is 16 KiB by default, and a token of exactly the cap
// is still accepted.

/// An HS256 token (kid hs256-0, claims padded with a filler) of exactly `len` bytes.
fn token_of_len(len: usize) -> String {
    let key = trusted("hs256-0");
    for spaces in 0..4 {
        let header = format!(
            r#"{{"alg":"HS256","kid":"hs256-0","typ":"JWT"{}}}"#,
            " ".repeat(spaces)
        );
        for filler in (len * 3 / 4).saturating_sub(300)..len {
            let mut claims = good_claims();
            claims["pad"] = json!("x".repeat(filler));
            let token = raw_token(&header, &claims.to_string(), key);
            if token.len() == len {
                return token;
            }
            if token.len() > len {
                break;
            }
        }
    }
    panic!("no token of {len} bytes");
}

#[test]
fn the_default_size_cap_is_16_kib_inclusive() {
    assert_eq!(DEFAULT_MAX_TOKEN_LEN, 16 * 1024);
    let keys = Jwks::new(vec![trusted("hs256-0").clone()]).unwrap();
    let default = Verifier::new(keys);
    let at_cap = token_of_len(16 * 1024);
    let jws = default.verify_jws(at_cap.as_bytes()).unwrap();
    assert_eq!(jws.kid.as_deref(), Some("hs256-0"));
    let jwt = default
        .clone()
        .audience(fixture::AUDIENCE)
        .verify(at_cap.as_bytes(), NOW)
        .unwrap();
    assert_eq!(jwt.claims.iss(), Some(fixture::ISSUER));
    let over = token_of_len(16 * 1024 + 1);
    assert_eq!(
        default.verify_jws(over.as_bytes()).unwrap_err(),
        JwsError::TooLarge {
            len: 16 * 1024 + 1,
            max: 16 * 1024
        }
    );
    // A configured cap is inclusive too.
    let capped = default.clone().max_token_len(over.len());
    assert!(capped.verify_jws(over.as_bytes()).is_ok());
    let capped = default.max_token_len(over.len() - 1);
    assert!(matches!(
        capped.verify_jws(over.as_bytes()),
        Err(JwsError::TooLarge { .. })
    ));
}
