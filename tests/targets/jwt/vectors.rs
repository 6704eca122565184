//! RFC 7515 appendix A and RFC 8037 appendix A.4: the published vectors
//! verify, as JWS and (A.1–A.3) as JWT at their own clock.

use super::*;
use std::path::Path;

use secfuzz::jwt::has_roca_fingerprint;

#[derive(serde::Deserialize)]
struct Vector {
    alg: String,
    jwk: Value,
    token: String,
    header_octets: Option<Vec<u8>>,
    payload_octets: Option<Vec<u8>>,
    signature_octets: Option<Vec<u8>>,
    payload_text: Option<String>,
}

fn vector(name: &str) -> Vector {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/jwt")
        .join(name);
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// The vector's key, private and public (public = without the private members).
fn vector_keys(v: &Vector) -> (Key, Key) {
    let alg = Algorithm::from_name(&v.alg).unwrap();
    let private = Key::from_jwk(&v.jwk.to_string(), Some(alg)).unwrap();
    let mut public = v.jwk.as_object().unwrap().clone();
    if public["kty"] != "oct" {
        for m in ["d", "p", "q", "dp", "dq", "qi"] {
            public.remove(m);
        }
    }
    let public = Key::from_jwk(&Value::Object(public).to_string(), Some(alg)).unwrap();
    (private, public)
}

fn check_vector(name: &str) -> Vector {
    let v = vector(name);
    let (private, public) = vector_keys(&v);
    let parts: Vec<&str> = v.token.split('.').collect();
    for key in [private.clone(), public] {
        let verifier = Verifier::new(Jwks::new(vec![key]).unwrap());
        let jws = verifier.verify_jws(v.token.as_bytes()).unwrap();
        assert_eq!(jws.alg.name(), v.alg);
        if let Some(octets) = &v.payload_octets {
            assert_eq!(&jws.payload, octets, "{name}: payload");
        }
        if let Some(text) = &v.payload_text {
            assert_eq!(jws.payload, text.as_bytes(), "{name}: payload");
        }
        // One flipped character anywhere in the signature is refused.
        let mut bad = v.token.clone().into_bytes();
        let last = bad.len() - 2;
        bad[last] = if bad[last] == b'A' { b'B' } else { b'A' };
        assert!(verifier.verify_jws(&bad).is_err(), "{name}: tampered");
    }
    if let Some(octets) = &v.header_octets {
        assert_eq!(&unb64(parts[0]), octets, "{name}: header octets");
    }
    if let Some(octets) = &v.signature_octets {
        assert_eq!(&unb64(parts[2]), octets, "{name}: signature octets");
    }
    // Deterministic algorithms reproduce the published signature.
    if v.alg != "ES256" {
        let input = format!("{}.{}", parts[0], parts[1]);
        assert_eq!(
            b64(&private.sign_raw(input.as_bytes()).unwrap()),
            parts[2],
            "{name}: re-signing"
        );
    }
    v
}

/// The A.1–A.3 payload is a JWT for issuer "joe" expiring at 1300819380
/// (March 2011): valid one second before, expired at that second.
fn check_vector_as_jwt(v: &Vector) {
    let (_, public) = vector_keys(v);
    let verifier = Verifier::new(Jwks::new(vec![public]).unwrap()).issuer("joe");
    let jwt = verifier.verify(v.token.as_bytes(), 1_300_819_379).unwrap();
    assert_eq!(
        jwt.claims.get("http://example.com/is_root"),
        Some(&json!(true))
    );
    assert_eq!(jwt.claims.exp(), Some(1_300_819_380));
    assert!(matches!(
        verifier.verify(v.token.as_bytes(), 1_300_819_380),
        Err(VerifyError::Claims(ClaimsError::Expired {
            exp: 1_300_819_380,
            ..
        }))
    ));
}

#[test]
fn rfc7515_a1_hs256() {
    let v = check_vector("rfc7515_a1_hs256.json");
    check_vector_as_jwt(&v);
}

#[test]
fn rfc7515_a2_rs256() {
    let v = check_vector("rfc7515_a2_rs256.json");
    check_vector_as_jwt(&v);
    let n = unb64(v.jwk["n"].as_str().unwrap());
    assert!(!has_roca_fingerprint(&n));
}

#[test]
fn rfc7515_a3_es256_and_its_high_s() {
    let v = check_vector("rfc7515_a3_es256.json");
    check_vector_as_jwt(&v);
    // The published signature has a high s (0xc5…), as half of all
    // non-normalizing signers produce: refused only under the strict policy.
    let (_, public) = vector_keys(&v);
    let strict = Verifier::new(Jwks::new(vec![public]).unwrap()).ecdsa_low_s(true);
    assert_eq!(
        strict.verify_jws(v.token.as_bytes()).unwrap_err(),
        JwsError::HighS
    );
}

#[test]
fn rfc8037_a4_ed25519() {
    let v = check_vector("rfc8037_a4_ed25519.json");
    // Its payload is not JSON: a JWS, not a JWT.
    let (_, public) = vector_keys(&v);
    let verifier = Verifier::new(Jwks::new(vec![public]).unwrap());
    assert!(matches!(
        verifier.verify(v.token.as_bytes(), NOW),
        Err(VerifyError::Claims(ClaimsError::NotJson { .. }))
    ));
}
