//! JWT target: tests added to kill surviving cargo-mutants mutants of
//! `src/jwt/` (error text, boundaries and branches the main suite left
//! unasserted). Each test states the behaviour it pins.

use super::jwt::{b64, jwk, raw_token, trusted, unb64};
use secfuzz::jwt::fixture::{self, NOW};
use secfuzz::jwt::{
    sign_jwt, ClaimsError, Jwks, JwsError, Key, Verifier, VerifyError, DEFAULT_MAX_TOKEN_LEN,
};
use serde_json::{json, Value};

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

// ---------------------------------------------------------------------------
// claims.rs

#[test]
fn verifier_accessors_report_its_configuration() {
    let keys = Jwks::new(vec![trusted("hs256-0").clone()]).unwrap();
    let plain = Verifier::new(keys.clone());
    assert_eq!(plain.leeways(), (0, 0));
    assert!(plain.requires_exp());
    assert!(plain.issuers().is_empty());
    assert!(plain.audiences().is_empty());
    assert_eq!(plain.jws_policy(), &secfuzz::jwt::JwsPolicy::default());
    let v = Verifier::new(keys)
        .issuer("i1")
        .issuer("i2")
        .audience("a1")
        .leeway_exp(7)
        .leeway_nbf(3)
        .require_exp(false)
        .max_token_len(999)
        .understand_crit("ext")
        .ecdsa_low_s(true);
    assert_eq!(v.leeways(), (7, 3));
    assert!(!v.requires_exp());
    assert_eq!(v.issuers(), ["i1".to_owned(), "i2".to_owned()]);
    assert_eq!(v.audiences(), ["a1".to_owned()]);
    assert_eq!(v.keys().keys().len(), 1);
    assert!(v.keys().get("hs256-0").is_some());
    let policy = v.jws_policy();
    assert_eq!(policy.max_token_len, 999);
    assert_eq!(policy.understood_crit, ["ext".to_owned()]);
    assert!(policy.ecdsa_low_s);
    let h = fixture::verifier();
    assert_eq!(h.leeways(), (fixture::LEEWAY_EXP, fixture::LEEWAY_NBF));
    assert_eq!(h.issuers(), [fixture::ISSUER.to_owned()]);
    assert_eq!(h.audiences(), [fixture::AUDIENCE.to_owned()]);
}

#[test]
fn audience_arrays_and_issuer_lists() {
    let key = trusted("hs256-0");
    // aud as an array naming the audience among others is accepted.
    let mut claims = good_claims();
    claims["aud"] = json!(["other", fixture::AUDIENCE]);
    let jwt = fixture::verifier()
        .verify(sign_jwt(&claims, key).unwrap().as_bytes(), NOW)
        .unwrap();
    assert_eq!(jwt.claims.get("aud"), Some(&claims["aud"]));
    // Any of several configured issuers is accepted; others are not.
    let keys = Jwks::new(vec![key.clone()]).unwrap();
    let v = Verifier::new(keys).issuer("i1").issuer("i2");
    for (iss, ok) in [("i1", true), ("i2", true), ("i3", false)] {
        let token = sign_jwt(&json!({"iss": iss, "exp": NOW + 1}), key).unwrap();
        assert_eq!(v.verify(token.as_bytes(), NOW).is_ok(), ok, "{iss}");
    }
    // An issuer is required once one is configured.
    let token = sign_jwt(&json!({"exp": NOW + 1}), key).unwrap();
    assert_eq!(
        v.verify(token.as_bytes(), NOW).unwrap_err(),
        VerifyError::Claims(ClaimsError::Missing {
            claim: "iss".into()
        })
    );
}

#[test]
fn far_past_and_far_future_dates_saturate_without_flipping_sign() {
    let key = trusted("hs256-0");
    let keys = Jwks::new(vec![key.clone()]).unwrap();
    let v = Verifier::new(keys);
    // exp far in the past (a float far beyond i128) is expired, not "far future".
    let token = sign_jwt(&json!({"exp": -1e300}), key).unwrap();
    assert!(matches!(
        v.verify(token.as_bytes(), NOW).unwrap_err(),
        VerifyError::Claims(ClaimsError::Expired { exp, .. }) if exp < 0
    ));
    // exp far in the future is valid; nbf far in the future is not yet valid.
    let token = sign_jwt(&json!({"exp": 1e300}), key).unwrap();
    assert!(v.verify(token.as_bytes(), NOW).is_ok());
    let token = sign_jwt(&json!({"exp": 1e300, "nbf": 1e300}), key).unwrap();
    assert!(matches!(
        v.verify(token.as_bytes(), NOW).unwrap_err(),
        VerifyError::Claims(ClaimsError::NotYetValid { .. })
    ));
    let token = sign_jwt(&json!({"exp": 1e300, "nbf": -1e300}), key).unwrap();
    assert!(v.verify(token.as_bytes(), NOW).is_ok());
}

// ---------------------------------------------------------------------------
// error.rs: what a person reads when a token or key is refused.

#[test]
fn refusals_name_the_segment_and_the_key() {
    use secfuzz::jwt::{KeyError, Segment, SignError};
    use std::error::Error as _;
    let key = trusted("hs256-0");
    let token = sign_jwt(&good_claims(), key).unwrap();
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
    let err = harness_err(&format!("{h}.{p}.{s}="));
    assert_eq!(err.to_string(), bad_sig.to_string());
    assert_eq!(err.source().unwrap().to_string(), bad_sig.to_string());
    let mut expired = good_claims();
    expired["exp"] = json!(NOW - 100);
    let err = harness_err(&sign_jwt(&expired, key).unwrap());
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
    let not_signing = sign_jwt(&good_claims(), public.get("es256-0").unwrap()).unwrap_err();
    assert_eq!(
        not_signing.to_string(),
        "key \"es256-0\" has no private part and cannot sign"
    );
    assert!(not_signing.source().is_none());
}

// ---------------------------------------------------------------------------
// oracle.rs: the raw oracles flag acceptances that break an invariant. They
// are pure functions of the token and the verifier's configuration, so they
// are fed tokens that the given configuration must not have accepted.

fn raw_verdict(token: &str, verifier: &Verifier, profile: secfuzz::jwt::Profile) -> Option<String> {
    secfuzz::jwt::oracle::judge_raw(token.as_bytes(), verifier, profile, NOW)
        .err()
        .map(|v| v.invariant.into_owned())
}

#[test]
fn the_raw_oracle_flags_each_broken_invariant() {
    use secfuzz::jwt::Profile::{Jws, Jwt};
    let key = trusted("hs256-0");
    let h = fixture::verifier();
    let header = r#"{"alg":"HS256","kid":"hs256-0","typ":"JWT"}"#;
    let t = |claims: Value| raw_token(header, &claims.to_string(), key);
    let verdict = |claims: Value| raw_verdict(&t(claims), h, Jwt);
    assert_eq!(verdict(good_claims()), None);
    // Structure and header.
    assert_eq!(raw_verdict("a.b", h, Jwt).as_deref(), Some("jwt.canonical"));
    assert_eq!(
        raw_verdict("e30.e30.A", h, Jwt).as_deref(),
        Some("jwt.canonical")
    );
    let p = good_claims().to_string();
    for (hdr, inv) in [
        (r#"{"alg":"nOnE","kid":"hs256-0"}"#, "jwt.none"),
        (
            r#"{"alg":"HS256","kid":"hs256-0","jku":"x"}"#,
            "jwt.embedded_key",
        ),
        (
            r#"{"alg":"HS256","kid":"hs256-0","x5c":[]}"#,
            "jwt.embedded_key",
        ),
        (r#"{"alg":"HS384","kid":"hs256-0"}"#, "jwt.alg_confusion"),
        (r#"{"alg":"HS256","kid":"nope"}"#, "jwt.alg_confusion"),
        (r#"{"alg":"HS256"}"#, "jwt.alg_confusion"),
    ] {
        assert_eq!(
            raw_verdict(&raw_token(hdr, &p, key), h, Jwt).as_deref(),
            Some(inv),
            "{hdr}"
        );
    }
    // Without kid, a one-key set's sole key is the selected key.
    let one = Verifier::new(Jwks::new(vec![key.clone()]).unwrap()).audience(fixture::AUDIENCE);
    assert_eq!(
        raw_verdict(&raw_token(r#"{"alg":"HS256"}"#, &p, key), &one, Jwt),
        None
    );
    // Claim types.
    for claim in ["exp", "nbf", "iat"] {
        let mut c = good_claims();
        c[claim] = json!("1");
        assert_eq!(verdict(c).as_deref(), Some("jwt.type_confusion"), "{claim}");
    }
    // The boundary rule, with the harness's leeways (exp 30 s, nbf 10 s).
    let lexp = i64::from(fixture::LEEWAY_EXP);
    let lnbf = i64::from(fixture::LEEWAY_NBF);
    let mut c = good_claims();
    c["exp"] = json!(NOW - lexp);
    assert_eq!(verdict(c.clone()).as_deref(), Some("jwt.expiry"));
    c["exp"] = json!(NOW - lexp + 1);
    assert_eq!(verdict(c.clone()), None);
    c["nbf"] = json!(NOW + lnbf);
    assert_eq!(verdict(c.clone()), None);
    c["nbf"] = json!(NOW + lnbf + 1);
    assert_eq!(verdict(c.clone()).as_deref(), Some("jwt.expiry"));
    c.as_object_mut().unwrap().remove("nbf");
    c.as_object_mut().unwrap().remove("exp");
    assert_eq!(verdict(c.clone()).as_deref(), Some("jwt.expiry"));
    let lax = h.clone().require_exp(false);
    assert_eq!(raw_verdict(&t(c.clone()), &lax, Jwt), None);
    // Issuers.
    c["iss"] = json!("https://elsewhere.example");
    assert_eq!(
        raw_verdict(&t(c.clone()), &lax, Jwt).as_deref(),
        Some("jwt.claims")
    );
    c.as_object_mut().unwrap().remove("iss");
    assert_eq!(
        raw_verdict(&t(c.clone()), &lax, Jwt).as_deref(),
        Some("jwt.claims")
    );
    assert_eq!(
        raw_verdict(&t(c.clone()), &one.require_exp(false), Jwt),
        None
    );
    // The JWS profile does not look at claims.
    let mut expired = good_claims();
    expired["exp"] = json!(NOW - 1000);
    assert_eq!(raw_verdict(&t(expired.clone()), h, Jws), None);
    assert_eq!(
        raw_verdict(&t(expired), h, Jwt).as_deref(),
        Some("jwt.expiry")
    );
}

#[test]
fn the_resigning_oracle_checks_the_signature_bytes() {
    use secfuzz::jwt::oracle::judge_resigned;
    let inv = |token: &str| {
        judge_resigned(token.as_bytes())
            .err()
            .map(|v| v.invariant.into_owned())
    };
    for kid in ["hs256-0", "es256-0", "eddsa-0", "rs256-0", "ps256-0"] {
        let key = trusted(kid);
        let token = sign_jwt(&good_claims(), key).unwrap();
        assert_eq!(inv(&token), None, "{kid}");
        // Another trusted key's signature over the same input is not sound.
        let (input, _) = token.rsplit_once('.').unwrap();
        let other = trusted(if kid == "hs256-0" {
            "hs384-0"
        } else {
            "hs256-0"
        });
        let forged = format!(
            "{input}.{}",
            b64(&other.sign_raw(input.as_bytes()).unwrap())
        );
        assert_eq!(inv(&forged).as_deref(), Some("jwt.sound"), "{kid}");
    }
    let attacker = fixture::attacker_keys().get("attacker-es256").unwrap();
    let token = sign_jwt(&good_claims(), attacker).unwrap();
    assert_eq!(inv(&token).as_deref(), Some("jwt.sound"));
    assert_eq!(inv("a.b").as_deref(), Some("jwt.canonical"));
}

// ---------------------------------------------------------------------------
// mod.rs: the structured check reports harness failures and disagreements
// between the verifier and the model.

fn honest_input(signer: u8, profile: secfuzz::jwt::Profile) -> secfuzz::jwt::JwtInput {
    use secfuzz::jwt::gen::{Plan, Signing, TrustedKey};
    secfuzz::jwt::JwtInput::new(Plan {
        signer: TrustedKey(signer),
        profile,
        raw_payload: None,
        header_edits: Vec::new(),
        claim_edits: Vec::new(),
        signing: Signing::Signer,
        wire_edits: Vec::new(),
    })
}

#[test]
fn the_structured_check_reports_harness_failures_and_disagreements() {
    use secfuzz::jwt::{JwtTarget, Profile};
    use secfuzz::Target;
    for profile in [Profile::Jwt, Profile::Jws] {
        let input = honest_input(0, profile);
        assert!(JwtTarget::check(&input).is_ok(), "{profile:?}");
        assert_eq!(
            JwtTarget::render(&input),
            input.built.token.clone().into_bytes()
        );
        // A trusted key failing to sign is a harness violation.
        let mut broken = input.clone();
        broken.built.error = Some("key failed".into());
        let v = JwtTarget::check(&broken).unwrap_err();
        assert_eq!(
            (v.invariant.as_ref(), v.detail.as_str()),
            ("jwt.harness", "key failed")
        );
        // A token the model must accept (it is in the signing log) but the
        // verifier refuses (its signature is broken) is a round-trip violation.
        let mut refused = input.clone();
        let mut token = refused.built.token.clone().into_bytes();
        let last = token.len() - 2;
        token[last] = if token[last] == b'A' { b'B' } else { b'A' };
        let token = String::from_utf8(token).unwrap();
        refused.built.token = token.clone();
        refused.built.log[0].token = token;
        let v = JwtTarget::check(&refused).unwrap_err();
        assert_eq!(v.invariant, "jwt.roundtrip", "{profile:?}: {v:?}");
    }
}

// ---------------------------------------------------------------------------
// keys.rs

#[test]
fn an_empty_rsa_modulus_is_refused_not_a_panic() {
    use secfuzz::jwt::{Algorithm, KeyError};
    assert!(matches!(
        Key::rsa_public(Algorithm::RS256, &[], &[1, 0, 1]),
        Err(KeyError::RsaModulusSize { bits: 0, .. })
    ));
    let doc = r#"{"keys":[{"kty":"RSA","alg":"RS256","n":"","e":"AQAB"}]}"#;
    let err = Jwks::from_json(doc).unwrap_err();
    assert_eq!(
        err.to_string(),
        "key without kid: RSA modulus is 0 bits, must be 2048 to 4096"
    );
}

fn public_rsa_jwk() -> serde_json::Map<String, Value> {
    let doc = fixture::trusted_keys().public_json();
    doc["keys"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["kid"] == "rs256-0")
        .unwrap()
        .as_object()
        .unwrap()
        .clone()
}

fn rsa_with(member: &str, bytes: &[u8]) -> Result<Jwks, secfuzz::jwt::KeyError> {
    let mut jwk = public_rsa_jwk();
    jwk.insert(member.into(), json!(b64(bytes)));
    Jwks::from_json(&json!({ "keys": [jwk] }).to_string())
}

#[test]
fn rsa_size_and_exponent_bounds_are_inclusive() {
    use secfuzz::jwt::KeyError;
    let n = unb64(public_rsa_jwk()["n"].as_str().unwrap());
    assert_eq!(n.len() * 8, 2048);
    assert!(n[0] >= 0x80);
    assert!(rsa_with("n", &n).is_ok());
    // 2047 bits: top byte 0x7f.
    let mut short = n.clone();
    short[0] = 0x7f;
    assert!(matches!(
        rsa_with("n", &short),
        Err(KeyError::RsaModulusSize { bits: 2047, .. })
    ));
    // 2049 bits is inside the bounds.
    let long = [&[1u8][..], &n].concat();
    assert!(!matches!(
        rsa_with("n", &long),
        Err(KeyError::RsaModulusSize { .. })
    ));
    // Exponents: the largest accepted is 2^33 - 1; 65535 is too small.
    assert!(rsa_with("e", &[1, 0xff, 0xff, 0xff, 0xff]).is_ok());
    for e in [&[0xff, 0xff][..], &[2, 0, 0, 0, 1]] {
        assert!(
            matches!(rsa_with("e", e), Err(KeyError::RsaExponent { .. })),
            "{e:?}"
        );
    }
    // An even exponent above 65537 is refused for being even.
    let even = rsa_with("e", &[1, 0, 2]).unwrap_err();
    assert_eq!(
        even.to_string(),
        "key \"rs256-0\": bad RSA public exponent: even"
    );
    assert_eq!(
        rsa_with("e", &[0xff, 0xff]).unwrap_err().to_string(),
        "key \"rs256-0\": bad RSA public exponent: smaller than 65537"
    );
    // More than 8 bytes is refused even when the low 8 bytes are 65537.
    let nine = [1, 0, 0, 0, 0, 0, 1, 0, 1];
    assert!(matches!(
        rsa_with("e", &nine),
        Err(KeyError::RsaExponent { .. })
    ));
    let eight = [1, 0, 0, 0, 0, 0, 0, 1];
    assert!(matches!(
        rsa_with("e", &eight),
        Err(KeyError::RsaExponent { .. })
    ));
}

#[test]
fn key_count_and_document_size_limits_are_inclusive() {
    use secfuzz::jwt::{Algorithm, KeyError, MAX_JWKS_LEN, MAX_KEYS};
    assert_eq!((MAX_KEYS, MAX_JWKS_LEN), (256, 1024 * 1024));
    let jwk =
        |i: usize| json!({"kty": "oct", "alg": "HS256", "kid": i.to_string(), "k": b64(&[7; 32])});
    let doc = |count: usize| json!({ "keys": (0..count).map(jwk).collect::<Vec<_>>() }).to_string();
    assert_eq!(Jwks::from_json(&doc(256)).unwrap().keys().len(), 256);
    assert!(matches!(
        Jwks::from_json(&doc(257)),
        Err(KeyError::TooManyKeys {
            count: 257,
            max: 256
        })
    ));
    let keys: Vec<Key> = (0..256)
        .map(|i| {
            Key::hmac(Algorithm::HS256, &[7; 32])
                .unwrap()
                .with_kid(i.to_string())
        })
        .collect();
    assert_eq!(Jwks::new(keys).unwrap().keys().len(), 256);
    // A document of exactly 1 MiB (padded with whitespace) loads, from text
    // and from a file; one byte more is refused before parsing.
    let mut text = doc(1);
    text.push_str(&" ".repeat(1024 * 1024 - text.len()));
    assert!(Jwks::from_json(&text).is_ok());
    let one_key =
        r#"{"kty":"oct","alg":"HS256","k":"BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc"}"#;
    let mut jwk_text = one_key.to_owned();
    jwk_text.push_str(&" ".repeat(1024 * 1024 - jwk_text.len()));
    assert!(Key::from_jwk(&jwk_text, None).is_ok());
    jwk_text.push(' ');
    assert!(matches!(
        Key::from_jwk(&jwk_text, None),
        Err(KeyError::TooLarge {
            len: 1_048_577,
            max: 1_048_576
        })
    ));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("jwks.json");
    std::fs::write(&path, &text).unwrap();
    assert!(Jwks::from_file(&path).is_ok());
    text.push(' ');
    assert!(matches!(
        Jwks::from_json(&text),
        Err(KeyError::TooLarge { len: 1_048_577, .. })
    ));
    std::fs::write(&path, &text).unwrap();
    assert!(matches!(
        Jwks::from_file(&path),
        Err(KeyError::TooLarge { len: 1_048_577, .. })
    ));
}

#[test]
fn hmac_secrets_of_exactly_the_hash_length_are_accepted() {
    use secfuzz::jwt::{Algorithm, KeyError};
    for (alg, min) in [
        (Algorithm::HS256, 32),
        (Algorithm::HS384, 48),
        (Algorithm::HS512, 64),
    ] {
        assert!(Key::hmac(alg, &vec![1; min]).is_ok(), "{alg}");
        assert_eq!(
            Key::hmac(alg, &vec![1; min - 1]).unwrap_err().to_string(),
            format!(
                "key without kid: {alg} secret is {} bytes, at least {min} are required",
                min - 1
            )
        );
    }
    assert!(matches!(
        Key::hmac(Algorithm::ES256, &[1; 64]),
        Err(KeyError::AlgorithmMismatch { .. })
    ));
}

#[test]
fn key_debug_shows_identity_not_secrets() {
    let key = trusted("hs256-0");
    let debug = format!("{key:?}");
    assert_eq!(
        debug,
        r#"Key { kid: Some("hs256-0"), alg: HS256, private: true, .. }"#
    );
    let public = Jwks::from_json(&fixture::trusted_keys().public_json().to_string()).unwrap();
    let debug = format!("{:?}", public.get("es256-0").unwrap());
    assert_eq!(
        debug,
        r#"Key { kid: Some("es256-0"), alg: ES256, private: false, .. }"#
    );
}

fn load_one(jwk: serde_json::Map<String, Value>) -> Result<Jwks, secfuzz::jwt::KeyError> {
    Jwks::from_json(&json!({ "keys": [jwk] }).to_string())
}

#[test]
fn ec_coordinates_must_each_have_the_curve_size() {
    use secfuzz::jwt::KeyError;
    for kid in ["es256-0", "es384-0"] {
        let public = fixture::trusted_keys()
            .get(kid)
            .unwrap()
            .public_jwk()
            .unwrap();
        let x = unb64(public["x"].as_str().unwrap());
        let y = unb64(public["y"].as_str().unwrap());
        assert!(load_one(public.clone()).is_ok());
        // The same bytes split at another place: x one byte short, y one
        // byte long. Concatenated they are the valid point, split they are not.
        let mut shifted = public.clone();
        let cut = x.len() - 1;
        shifted.insert("x".into(), json!(b64(&x[..cut])));
        shifted.insert("y".into(), json!(b64(&[&x[cut..], &y[..]].concat())));
        assert!(
            matches!(load_one(shifted), Err(KeyError::InvalidPoint { .. })),
            "{kid}"
        );
        // A private key whose y (alone) is not d's.
        let mut private = jwk(kid);
        let mut bad_y = y.clone();
        bad_y[0] ^= 1;
        private.insert("y".into(), json!(b64(&bad_y)));
        assert!(
            matches!(
                load_one(private),
                Err(KeyError::InvalidPrivateKey {
                    reason: "d does not match the public coordinates",
                    ..
                })
            ),
            "{kid}"
        );
    }
}

#[test]
fn es384_signatures_are_low_s_and_their_twins_are_refused() {
    use secfuzz::jwt::gen::{Plan, Signing, TrustedKey, WireEdit};
    use secfuzz::jwt::{JwtInput, Profile};
    let key = trusted("es384-0");
    assert_eq!(key.algorithm(), secfuzz::jwt::Algorithm::ES384);
    // secfuzz's own ECDSA signatures are always low-s: the low-s verifier
    // accepts every one of them.
    for i in 0..16 {
        let mut claims = good_claims();
        claims["jti"] = json!(i.to_string());
        let token = sign_jwt(&claims, key).unwrap();
        assert!(
            fixture::verifier().verify(token.as_bytes(), NOW).is_ok(),
            "{i}"
        );
    }
    let input = JwtInput::new(Plan {
        signer: TrustedKey(4),
        profile: Profile::Jwt,
        raw_payload: None,
        header_edits: vec![],
        claim_edits: vec![],
        signing: Signing::Signer,
        wire_edits: vec![WireEdit::MalleateEcdsa],
    });
    assert_eq!(input.built.log[0].key, 4);
    assert_ne!(input.built.token, input.built.signed_token);
    assert_eq!(
        fixture::verifier()
            .verify_jws(input.built.token.as_bytes())
            .unwrap_err(),
        JwsError::HighS
    );
    let lenient = Verifier::new(fixture::trusted_keys().clone());
    assert!(lenient.verify_jws(input.built.token.as_bytes()).is_ok());
}

#[test]
fn ec_private_scalars_must_have_exactly_the_curve_size() {
    use secfuzz::jwt::{Algorithm, KeyError};
    for (kid, alg, size) in [
        ("es256-0", Algorithm::ES256, 32),
        ("es384-0", Algorithm::ES384, 48),
    ] {
        let d = unb64(jwk(kid)["d"].as_str().unwrap());
        assert_eq!(d.len(), size);
        assert!(Key::ec_private(alg, &d, None).unwrap().can_sign());
        // A shorter scalar is not zero-padded into some other key.
        for short in [&d[1..], &d[..size - 1], &d[size / 2..]] {
            assert!(
                matches!(
                    Key::ec_private(alg, short, None),
                    Err(KeyError::InvalidPrivateKey {
                        reason: "d has the wrong length",
                        ..
                    })
                ),
                "{kid}: {} bytes",
                short.len()
            );
        }
        let long = [&[0u8][..], &d].concat();
        assert!(matches!(
            Key::ec_private(alg, &long, None),
            Err(KeyError::InvalidPrivateKey {
                reason: "d has the wrong length",
                ..
            })
        ));
    }
}

#[test]
fn the_model_blames_the_right_invariant() {
    use secfuzz::jwt::gen::{
        AlgValue, AttackerKey, ClaimedKid, HeaderEdit, HsPick, NoneSpelling, Plan, PublicForm,
        PublicTarget, SegPick, Signing, TrustedKey, WireEdit,
    };
    use secfuzz::jwt::{oracle, JwtInput, Profile};
    let blame = |signer: u8, signing: Signing, header: Vec<HeaderEdit>, wire: Vec<WireEdit>| {
        let input = JwtInput::new(Plan {
            signer: TrustedKey(signer),
            profile: Profile::Jwt,
            raw_payload: None,
            header_edits: header,
            claim_edits: vec![],
            signing,
            wire_edits: wire,
        });
        // Every one of these tokens is refused by the harness verifier.
        assert!(fixture::verifier()
            .verify(input.built.token.as_bytes(), NOW)
            .is_err());
        oracle::expected(&input.plan, &input.built)
            .map(|_| ())
            .unwrap_err()
            .invariant
    };
    // alg "nOnE" in a header a trusted key signed.
    let none = vec![HeaderEdit::Alg(AlgValue::None(NoneSpelling::Mixed))];
    assert_eq!(blame(0, Signing::Signer, none.clone(), vec![]), "jwt.none");
    // ... also when the token was then altered, so no trusted key signed it.
    assert_eq!(
        blame(
            0,
            Signing::Signer,
            none,
            vec![WireEdit::FlipSignatureBit(0, 0)]
        ),
        "jwt.none"
    );
    assert_eq!(
        blame(0, Signing::AlgNone(NoneSpelling::Lower), vec![], vec![]),
        "jwt.none"
    );
    assert_eq!(blame(0, Signing::Empty, vec![], vec![]), "jwt.none");
    // Algorithm confusion: a public key as an HMAC secret, or a trusted
    // HMAC secret under another HMAC algorithm.
    assert_eq!(
        blame(
            3,
            Signing::HmacWithPublicKey(PublicTarget::Es256, PublicForm::JwkText, HsPick::HS256),
            vec![],
            vec![]
        ),
        "jwt.alg_confusion"
    );
    assert_eq!(
        blame(0, Signing::CrossAlgorithm(HsPick::HS384), vec![], vec![]),
        "jwt.alg_confusion"
    );
    // Re-encoded on the wire vs. altered on the wire.
    assert_eq!(
        blame(
            0,
            Signing::Signer,
            vec![],
            vec![WireEdit::Pad(SegPick::Signature, true)]
        ),
        "jwt.canonical"
    );
    assert_eq!(
        blame(
            0,
            Signing::Signer,
            vec![],
            vec![WireEdit::FlipSignatureBit(0, 0)]
        ),
        "jwt.tamper"
    );
    assert_eq!(
        blame(
            0,
            Signing::Untrusted(AttackerKey::Hs256, ClaimedKid::Keep),
            vec![],
            vec![]
        ),
        "jwt.sound"
    );
}

/// An honestly re-signed plan with these edits.
fn signed_plan(
    header_edits: Vec<secfuzz::jwt::gen::HeaderEdit>,
    claim_edits: Vec<secfuzz::jwt::gen::ClaimEdit>,
) -> secfuzz::jwt::gen::Plan {
    secfuzz::jwt::gen::Plan {
        signer: secfuzz::jwt::gen::TrustedKey(0),
        profile: secfuzz::jwt::Profile::Jwt,
        raw_payload: None,
        header_edits,
        claim_edits,
        signing: secfuzz::jwt::gen::Signing::Signer,
        wire_edits: Vec::new(),
    }
}

/// The structured model, the verifier and the boundary rule written out
/// here (`nbf - leeway_nbf <= now < exp + leeway_exp`) agree at every integer
/// edge of the validity window, for `exp` and for `nbf`, written as integers
/// and with exponents.
#[test]
fn the_model_applies_the_boundary_rule_at_every_edge() {
    use secfuzz::jwt::fixture::{LEEWAY_EXP, LEEWAY_NBF};
    use secfuzz::jwt::gen::{build, ClaimEdit, Delta, Edge, TimeClaim, TimeValue};
    use secfuzz::jwt::oracle;
    let edges = [
        Edge::Now,
        Edge::ExpBoundary,
        Edge::NbfBoundary,
        Edge::NowPlusExpLeeway,
        Edge::NowMinusNbfLeeway,
        Edge::HourAhead,
    ];
    let deltas = [Delta::M2, Delta::M1, Delta::Zero, Delta::P1, Delta::P2];
    let now = i128::from(NOW);
    let (mut valid, mut invalid) = (0, 0);
    for claim in [TimeClaim::Exp, TimeClaim::Nbf] {
        for edge in edges {
            for (delta, exponent) in deltas.into_iter().flat_map(|d| [(d, false), (d, true)]) {
                // The same instant as a plain integer and written with an
                // exponent (`1.69999997e9`), which is a JSON number too.
                let value = if exponent {
                    TimeValue::Exponent(edge, delta)
                } else {
                    TimeValue::Edge(edge, delta)
                };
                let plan = signed_plan(Vec::new(), vec![ClaimEdit::Time(claim, value)]);
                let built = build(&plan);
                let name = if claim == TimeClaim::Exp {
                    "exp"
                } else {
                    "nbf"
                };
                let signed = built.log.last().expect("the plan was signed");
                let value = signed
                    .claims
                    .iter()
                    .find_map(|(k, v)| match v {
                        secfuzz::jwt::gen::GVal::Int(i) if k == name => Some(*i),
                        secfuzz::jwt::gen::GVal::Exp(f) if k == name && f.fract() == 0.0 => {
                            Some(*f as i128)
                        }
                        _ => None,
                    })
                    .expect("an integral numeric claim");
                let rule = if claim == TimeClaim::Exp {
                    now < value + i128::from(LEEWAY_EXP)
                } else {
                    value - i128::from(LEEWAY_NBF) <= now
                };
                let model = oracle::expected(&plan, &built);
                assert_eq!(model.is_ok(), rule, "{name} = {value}: model {model:?}");
                if let Err(r) = &model {
                    assert_eq!(r.invariant, "jwt.expiry", "{name} = {value}");
                }
                let verdict = fixture::verifier().verify(built.token.as_bytes(), NOW);
                assert_eq!(verdict.is_ok(), rule, "{name} = {value}: {verdict:?}");
                if rule {
                    valid += 1
                } else {
                    invalid += 1
                }
            }
        }
    }
    // Both sides of both boundaries were reached.
    assert!(
        valid >= 10 && invalid >= 10,
        "{valid} valid, {invalid} invalid"
    );
}

/// `crit` is accepted only as a one-element array naming the understood
/// extension, with that extension present in the header: the model and the
/// verifier agree on every form.
#[test]
fn the_model_accepts_crit_only_in_its_one_valid_form() {
    use secfuzz::jwt::gen::{build, CritValue, HeaderEdit};
    use secfuzz::jwt::oracle;
    let forms = [
        CritValue::Understood,
        CritValue::Registered,
        CritValue::NotUnderstood,
        CritValue::EmptyArray,
        CritValue::NotAnArray,
        CritValue::Repeated,
        CritValue::UnderstoodAndNot,
        CritValue::B64,
    ];
    for form in forms {
        for with_extension in [true, false] {
            let mut edits = vec![HeaderEdit::Crit(form)];
            if with_extension {
                edits.push(HeaderEdit::Extension);
            }
            let plan = signed_plan(edits, Vec::new());
            let built = build(&plan);
            let ok = form == CritValue::Understood && with_extension;
            let model = oracle::expected(&plan, &built);
            assert_eq!(
                model.is_ok(),
                ok,
                "{form:?} ext={with_extension}: {model:?}"
            );
            if let Err(r) = &model {
                assert_eq!(r.invariant, "jwt.crit", "{form:?} ext={with_extension}");
            }
            let verdict = fixture::verifier().verify(built.token.as_bytes(), NOW);
            assert_eq!(
                verdict.is_ok(),
                ok,
                "{form:?} ext={with_extension}: {verdict:?}"
            );
        }
    }
}

/// The JWS judge checks the payload handed back, not only the verdict: an
/// acceptance returning other bytes than were signed is a round-trip
/// violation.
#[test]
fn the_jws_judge_compares_the_returned_payload() {
    use secfuzz::jwt::{oracle, Profile};
    let input = honest_input(3, Profile::Jws);
    let verifier = fixture::verifier();
    let mut jws = verifier
        .verify_jws(input.built.token.as_bytes())
        .expect("an honest JWS verifies");
    assert!(oracle::judge_jws(&input.plan, &input.built, &Ok(jws.clone())).is_ok());
    jws.payload.push(b' ');
    let v = oracle::judge_jws(&input.plan, &input.built, &Ok(jws)).unwrap_err();
    assert_eq!(v.invariant, "jwt.roundtrip", "{v:?}");
    assert!(v.detail.contains("payload changed"), "{}", v.detail);
}
