//! What a person reads when a token or key is refused: `Display` and
//! `source` of the error types.

use super::*;

/// The error the fixture verifier refuses `token` with.
fn fixture_err(token: &str) -> VerifyError {
    fixture::verifier()
        .verify(token.as_bytes(), NOW)
        .expect_err("token must be refused")
}

// The strict parser's error text reaches the user.

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
    let err = fixture_err(&raw_token(header, "\"claims\"", key));
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

// What a person reads when a token or key is refused.

#[test]
fn refusals_name_the_segment_and_the_key() {
    use secfuzz::jwt::{KeyError, Segment, SignError};
    use std::error::Error as _;
    let key = trusted("hs256-0");
    let token = sign_jwt(&minimal_claims(), key).unwrap();
    let (h, rest) = token.split_once('.').unwrap();
    let (p, s) = rest.split_once('.').unwrap();
    let bad_sig = fixture::verifier()
        .verify_jws(format!("{h}.{p}.{s}=").as_bytes())
        .unwrap_err();
    assert_eq!(
        bad_sig.to_string(),
        "signature segment is not canonical base64url (padding, '+', '/', whitespace or trailing bits)"
    );
    assert_eq!(Segment::Header.to_string(), "header");
    assert_eq!(Segment::Payload.to_string(), "payload");
    // A signed token whose payload segment is not canonical: the payload is
    // decoded after the signature, so sign the non-canonical text itself.
    let input = format!("{h}.{p}=");
    let sig = key.sign_raw(input.as_bytes()).unwrap();
    let err = fixture::verifier()
        .verify_jws(format!("{input}.{}", b64(&sig)).as_bytes())
        .unwrap_err();
    assert_eq!(
        err,
        JwsError::Base64 {
            segment: Segment::Payload
        }
    );
    assert!(err.to_string().starts_with("payload segment "), "{err}");

    // VerifyError shows the inner error and exposes it as its source.
    let err = fixture_err(&format!("{h}.{p}.{s}="));
    assert_eq!(err.to_string(), bad_sig.to_string());
    assert_eq!(err.source().unwrap().to_string(), bad_sig.to_string());
    let mut expired = minimal_claims();
    expired["exp"] = json!(NOW - 100);
    let err = fixture_err(&sign_jwt(&expired, key).unwrap());
    assert_eq!(
        err.to_string(),
        format!("token expired: exp {} + leeway 30s <= now {NOW}", NOW - 100)
    );
    assert_eq!(err.source().unwrap().to_string(), err.to_string());

    // Key errors name the key, or say it has none.
    let with_kid = Jwks::from_json(r#"{"keys":[{"kty":"oct","kid":"k1","alg":"HS256","k":"AA"}]}"#)
        .unwrap_err();
    assert_eq!(
        with_kid.to_string(),
        "key \"k1\": HS256 secret is 1 bytes, at least 32 are required"
    );
    assert!(with_kid.source().is_none());
    let without_kid =
        Jwks::from_json(r#"{"keys":[{"kty":"oct","alg":"HS256","k":"AA"}]}"#).unwrap_err();
    assert_eq!(
        without_kid.to_string(),
        "key without kid: HS256 secret is 1 bytes, at least 32 are required"
    );
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("absent.json");
    let io = Jwks::from_file(&missing).unwrap_err();
    assert!(matches!(io, KeyError::Io { .. }));
    assert!(
        io.to_string()
            .starts_with(&format!("cannot read key set {}: ", missing.display())),
        "{io}"
    );
    let source = io.source().expect("an I/O error has a source");
    assert_eq!(
        source
            .downcast_ref::<std::io::Error>()
            .map(std::io::Error::kind),
        Some(std::io::ErrorKind::NotFound)
    );

    // Signing errors.
    let refused = sign_jwt(&json!({"exp": "soon"}), key).unwrap_err();
    assert!(matches!(refused, SignError::Claims(_)));
    assert_eq!(
        refused.to_string(),
        "refusing to sign: claim \"exp\" must be a number (NumericDate), found a string"
    );
    assert_eq!(
        refused.source().unwrap().to_string(),
        "claim \"exp\" must be a number (NumericDate), found a string"
    );
    let public = fixture::trusted_keys().public_json().to_string();
    let public = Jwks::from_json(&public).unwrap();
    let not_signing = sign_jwt(&minimal_claims(), public.get("es256-0").unwrap()).unwrap_err();
    assert_eq!(
        not_signing.to_string(),
        "key \"es256-0\" has no private part and cannot sign"
    );
    assert!(not_signing.source().is_none());
}
