//! JWT target: RFC vectors, attack tables, key-set refusals, properties and
//! corpus replay.

use std::path::Path;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use proptest::prelude::*;
use secfuzz::harness::{decode, inputs, proptest_config};
use secfuzz::jwt::fixture::{self, AUDIENCE, ISSUER, LEEWAY_EXP, LEEWAY_NBF, NOW};
use secfuzz::jwt::gen::{
    AttackerKey, ClaimEdit, HeaderEdit, HsPick, NoneSpelling, Plan, PublicForm, PublicTarget,
    Signing, TrustedKey, WireEdit,
};
use secfuzz::jwt::{
    has_roca_fingerprint, oracle, sign_jws, sign_jwt, Algorithm, ClaimsError, Jwks, JwsError,
    JwtCheck, JwtInput, JwtTarget, Key, KeyError, Profile, Segment, Verifier, VerifyError,
};
use secfuzz::{Target, Verdict};
use serde_json::{json, Map, Value};

pub(crate) fn b64(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

pub(crate) fn unb64(text: &str) -> Vec<u8> {
    URL_SAFE_NO_PAD.decode(text).unwrap()
}

/// A compact token over exactly these header and payload bytes, signed by `key`.
pub(crate) fn raw_token(header: &str, payload: &str, key: &Key) -> String {
    let input = format!("{}.{}", b64(header.as_bytes()), b64(payload.as_bytes()));
    let sig = key.sign_raw(input.as_bytes()).unwrap();
    format!("{input}.{}", b64(&sig))
}

pub(crate) fn trusted(kid: &str) -> &'static Key {
    fixture::trusted_keys().get(kid).unwrap()
}

fn good_claims() -> Value {
    json!({"iss": ISSUER, "aud": AUDIENCE, "sub": "user-42", "iat": NOW - 60, "exp": NOW + 600})
}

fn harness_verify(token: &str) -> Result<secfuzz::jwt::Jwt, VerifyError> {
    fixture::verifier().verify(token.as_bytes(), NOW)
}

fn jws_err(token: &str) -> JwsError {
    match harness_verify(token) {
        Err(VerifyError::Jws(e)) => e,
        other => panic!("expected a JWS error, got {other:?}"),
    }
}

fn claims_err(token: &str) -> ClaimsError {
    match harness_verify(token) {
        Err(VerifyError::Claims(e)) => e,
        other => panic!("expected a claims error, got {other:?}"),
    }
}

fn header_for(kid: &str, alg: &str) -> String {
    format!(r#"{{"alg":"{alg}","kid":"{kid}","typ":"JWT"}}"#)
}

// ---------------------------------------------------------------------------
// RFC 7515 appendix A and RFC 8037 appendix A.4

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

// ---------------------------------------------------------------------------
// Attack table

#[test]
fn honest_tokens_verify_and_round_trip() {
    for key in fixture::trusted_keys().keys() {
        let token = sign_jwt(&good_claims(), key).unwrap();
        let jwt = harness_verify(&token).unwrap_or_else(|e| panic!("{:?}: {e}", key.kid()));
        assert_eq!(Value::Object(jwt.claims.into_map()), good_claims());
        assert_eq!(jwt.alg, key.algorithm());
        assert_eq!(jwt.kid.as_deref(), key.kid());
    }
}

#[test]
fn alg_none_in_every_spelling_is_refused() {
    let payload = good_claims().to_string();
    for spelling in ["none", "None", "NONE", "nOnE"] {
        let header = format!(r#"{{"alg":"{spelling}","kid":"hs256-0"}}"#);
        let unsigned = format!("{}.{}.", b64(header.as_bytes()), b64(payload.as_bytes()));
        assert_eq!(jws_err(&unsigned), JwsError::MissingSignature);
        // Even with a trusted key's signature over it.
        let signed = raw_token(&header, &payload, trusted("hs256-0"));
        assert_eq!(
            jws_err(&signed),
            JwsError::AlgNone {
                alg: spelling.into()
            }
        );
    }
}

#[test]
fn public_key_as_hmac_secret_is_refused() {
    let payload = good_claims().to_string();
    for kid in ["rs256-0", "es256-0", "eddsa-0"] {
        let key = trusted(kid);
        let jwk_text = Value::Object(key.public_jwk().unwrap()).to_string();
        let header = header_for(kid, "HS256");
        let forged_key = Key::hmac(Algorithm::HS256, jwk_text.as_bytes()).unwrap();
        let token = raw_token(&header, &payload, &forged_key);
        assert_eq!(
            jws_err(&token),
            JwsError::AlgorithmMismatch {
                alg: "HS256",
                key_alg: key.algorithm().name()
            }
        );
    }
}

#[test]
fn keys_in_the_header_are_refused_even_when_signed() {
    let payload = good_claims().to_string();
    let attacker = fixture::attacker_keys().get("attacker-es256").unwrap();
    let jwk = Value::Object(attacker.public_jwk().unwrap());
    for (name, value) in [
        ("jwk", jwk),
        ("jku", json!("https://attacker.example/jwks.json")),
        ("x5u", json!("https://attacker.example/cert")),
        ("x5c", json!(["MIIB"])),
    ] {
        let header = json!({"alg": "ES256", "kid": "attacker-es256", name: value}).to_string();
        assert_eq!(
            jws_err(&raw_token(&header, &payload, attacker)),
            JwsError::EmbeddedKey {
                name: match name {
                    "jwk" => "jwk",
                    "jku" => "jku",
                    "x5u" => "x5u",
                    _ => "x5c",
                }
            }
        );
        let header = json!({"alg": "HS256", "kid": "hs256-0", name: "x"}).to_string();
        assert!(matches!(
            jws_err(&raw_token(&header, &payload, trusted("hs256-0"))),
            JwsError::EmbeddedKey { .. }
        ));
    }
}

#[test]
fn kid_is_only_an_exact_lookup_key() {
    let payload = good_claims().to_string();
    for kid in [
        "../../../../dev/null",
        "/etc/passwd",
        "hs256-0' OR '1'='1",
        "hs256\u{2010}0",
        "HS256-0",
        "hs256-0 ",
        "",
    ] {
        let header = json!({"alg": "HS256", "kid": kid}).to_string();
        assert_eq!(
            jws_err(&raw_token(&header, &payload, trusted("hs256-0"))),
            JwsError::UnknownKid { kid: kid.into() }
        );
    }
    let header = r#"{"alg":"HS256","kid":7}"#;
    assert_eq!(
        jws_err(&raw_token(header, &payload, trusted("hs256-0"))),
        JwsError::HeaderType {
            name: "kid",
            expected: "a string"
        }
    );
    let header = r#"{"alg":"HS256"}"#;
    assert_eq!(
        jws_err(&raw_token(header, &payload, trusted("hs256-0"))),
        JwsError::KidRequired
    );
}

#[test]
fn crit_only_with_understood_present_extensions() {
    let payload = good_claims().to_string();
    let key = trusted("hs256-0");
    let ok = r#"{"alg":"HS256","kid":"hs256-0","crit":["secfuzz-ext"],"secfuzz-ext":1}"#;
    assert!(harness_verify(&raw_token(ok, &payload, key)).is_ok());
    for header in [
        r#"{"alg":"HS256","kid":"hs256-0","crit":["secfuzz-ext"]}"#,
        r#"{"alg":"HS256","kid":"hs256-0","crit":["other"],"other":1}"#,
        r#"{"alg":"HS256","kid":"hs256-0","crit":["alg"]}"#,
        r#"{"alg":"HS256","kid":"hs256-0","crit":[]}"#,
        r#"{"alg":"HS256","kid":"hs256-0","crit":"secfuzz-ext","secfuzz-ext":1}"#,
        r#"{"alg":"HS256","kid":"hs256-0","crit":["secfuzz-ext","secfuzz-ext"],"secfuzz-ext":1}"#,
    ] {
        assert!(
            matches!(
                jws_err(&raw_token(header, &payload, key)),
                JwsError::Critical { .. }
            ),
            "{header}"
        );
    }
}

#[test]
fn structure_size_and_jwe_are_refused_with_clear_errors() {
    let token = sign_jwt(&good_claims(), trusted("hs256-0")).unwrap();
    let jwe = format!("{token}.AAAA.BBBB");
    assert_eq!(jws_err(&jwe), JwsError::Jwe);
    assert!(JwsError::Jwe.to_string().contains("JWE"));
    assert_eq!(
        jws_err(&format!("{token}.x")),
        JwsError::Malformed { segments: 4 }
    );
    assert_eq!(jws_err("abc"), JwsError::Malformed { segments: 1 });
    assert_eq!(jws_err(".a.b"), JwsError::EmptyHeader);
    let big = "a".repeat(fixture::verifier().jws_policy().max_token_len + 1);
    assert!(matches!(jws_err(&big), JwsError::TooLarge { .. }));
}

#[test]
fn non_canonical_encodings_are_refused() {
    let token = sign_jwt(&good_claims(), trusted("hs256-0")).unwrap();
    let (h, rest) = token.split_once('.').unwrap();
    let (p, s) = rest.split_once('.').unwrap();
    let cases = [
        (format!("{h}=.{p}.{s}"), Segment::Header),
        (format!("{h}.{p}.{s}="), Segment::Signature),
        (
            format!("{h}.{p}.{}", s.replace('-', "+").replace('_', "/")),
            Segment::Signature,
        ),
        (format!("{h} .{p}.{s}"), Segment::Header),
        (format!("{h}.{p}.{s}\n"), Segment::Signature),
    ];
    for (bad, segment) in cases {
        if bad == token {
            continue; // the signature had no '-' or '_'
        }
        assert_eq!(jws_err(&bad), JwsError::Base64 { segment }, "{bad:?}");
    }
    // Non-zero trailing bits: a 32-byte HMAC encodes to 43 characters, the
    // last carrying 2 unused bits.
    let last = s.as_bytes()[s.len() - 1];
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let v = alphabet.iter().position(|&c| c == last).unwrap();
    let bad = format!("{h}.{p}.{}{}", &s[..s.len() - 1], alphabet[v | 1] as char);
    assert_eq!(
        jws_err(&bad),
        JwsError::Base64 {
            segment: Segment::Signature
        }
    );
}

#[test]
fn duplicate_members_are_refused_in_header_and_claims() {
    let key = trusted("hs256-0");
    let payload = good_claims().to_string();
    let header = r#"{"alg":"HS256","kid":"hs256-0","a\u006cg":"none"}"#;
    assert_eq!(
        jws_err(&raw_token(header, &payload, key)),
        JwsError::DuplicateHeaderMember { name: "alg".into() }
    );
    let claims = format!(
        r#"{{"iss":"{ISSUER}","aud":"{AUDIENCE}","exp":{},"exp":{}}}"#,
        NOW - 1000,
        NOW + 1000
    );
    assert_eq!(
        claims_err(&raw_token(&header_for("hs256-0", "HS256"), &claims, key)),
        ClaimsError::DuplicateClaim { name: "exp".into() }
    );
}

#[test]
fn wrong_claim_types_are_errors_not_absent() {
    let key = trusted("hs256-0");
    let header = header_for("hs256-0", "HS256");
    for (claim, value) in [
        ("exp", json!((NOW - 100_000).to_string())),
        ("exp", json!(null)),
        ("nbf", json!("0")),
        ("iat", json!([NOW])),
        ("iss", json!(1)),
        ("aud", json!([AUDIENCE, 1])),
    ] {
        let mut claims = good_claims();
        claims[claim] = value;
        let err = claims_err(&raw_token(&header, &claims.to_string(), key));
        assert!(
            matches!(err, ClaimsError::WrongType { claim: c, .. } if c == claim),
            "{claim}: {err}"
        );
        // The signing helper refuses to issue such claims.
        assert!(sign_jwt(&claims, key).is_err());
    }
}

#[test]
fn the_boundary_rule_at_each_edge() {
    let key = trusted("hs256-0");
    let cases = [
        // (exp, nbf, accepted)
        (NOW - i64::from(LEEWAY_EXP), None, false),
        (NOW - i64::from(LEEWAY_EXP) + 1, None, true),
        (NOW + 600, Some(NOW + i64::from(LEEWAY_NBF)), true),
        (NOW + 600, Some(NOW + i64::from(LEEWAY_NBF) + 1), false),
    ];
    for (exp, nbf, accepted) in cases {
        let mut claims = good_claims();
        claims["exp"] = json!(exp);
        if let Some(nbf) = nbf {
            claims["nbf"] = json!(nbf);
        }
        let token = sign_jwt(&claims, key).unwrap();
        assert_eq!(
            harness_verify(&token).is_ok(),
            accepted,
            "exp {exp} nbf {nbf:?}"
        );
    }
    // Fractions round up: exp = now - leeway + 0.5 is still valid.
    let mut claims = good_claims();
    claims["exp"] = json!((NOW - i64::from(LEEWAY_EXP)) as f64 + 0.5);
    assert!(harness_verify(&sign_jwt(&claims, key).unwrap()).is_ok());
    claims.as_object_mut().unwrap().remove("exp");
    assert_eq!(
        claims_err(&sign_jwt(&claims, key).unwrap()),
        ClaimsError::Missing {
            claim: "exp".into()
        }
    );
}

#[test]
fn header_policy_typ_cty_zip_and_audience() {
    let key = trusted("hs256-0");
    let payload = good_claims().to_string();
    let t = |h: &str| raw_token(h, &payload, key);
    assert_eq!(
        jws_err(&t(r#"{"alg":"HS256","kid":"hs256-0","typ":"at+jwt"}"#)),
        JwsError::Typ {
            typ: "at+jwt".into()
        }
    );
    assert!(harness_verify(&t(r#"{"alg":"HS256","kid":"hs256-0","typ":"jwt"}"#)).is_ok());
    assert!(matches!(
        jws_err(&t(r#"{"alg":"HS256","kid":"hs256-0","cty":"JWT"}"#)),
        JwsError::Cty { .. }
    ));
    for name in ["zip", "enc", "b64"] {
        let h = json!({"alg": "HS256", "kid": "hs256-0", name: false}).to_string();
        assert!(matches!(jws_err(&t(&h)), JwsError::ForbiddenHeader { .. }));
    }
    // A JWS profile verifier takes any typ/cty string and any payload.
    let jws = t(r#"{"alg":"HS256","kid":"hs256-0","typ":"at+jwt","cty":"x"}"#);
    assert!(fixture::verifier().verify_jws(jws.as_bytes()).is_ok());
    // aud present, no audience configured: refused.
    let plain = Verifier::new(fixture::trusted_keys().clone());
    let token = sign_jwt(&good_claims(), key).unwrap();
    assert_eq!(
        plain.verify(token.as_bytes(), NOW).unwrap_err(),
        VerifyError::Claims(ClaimsError::AudienceNotExpected)
    );
}

#[test]
fn ecdsa_twins_are_refused_under_the_low_s_policy() {
    let key = trusted("es256-0");
    let token = sign_jwt(&good_claims(), key).unwrap();
    let plan = Plan {
        signer: TrustedKey(3),
        profile: Profile::Jwt,
        raw_payload: None,
        header_edits: vec![],
        claim_edits: vec![],
        signing: Signing::Signer,
        wire_edits: vec![WireEdit::MalleateEcdsa],
    };
    let input = JwtInput::new(plan);
    assert_ne!(input.built.token, input.built.signed_token);
    assert_eq!(jws_err(&input.built.token), JwsError::HighS);
    // The twin is a valid signature: a lenient verifier accepts both forms.
    let lenient = Verifier::new(fixture::trusted_keys().clone())
        .issuer(ISSUER)
        .audience(AUDIENCE);
    assert!(lenient.verify(input.built.token.as_bytes(), NOW).is_ok());
    assert!(lenient.verify(token.as_bytes(), NOW).is_ok());
}

#[test]
fn payload_check_is_the_cli_entry() {
    let check = JwtCheck::fixture();
    let token = sign_jwt(&good_claims(), trusted("eddsa-0")).unwrap();
    let Verdict::Accepted { output } = check.check(token.as_bytes()).unwrap() else {
        panic!("honest token refused");
    };
    assert_eq!(
        serde_json::from_str::<Value>(&output).unwrap(),
        good_claims()
    );
    let refused = check.check(b"eyJhbGciOiJub25lIn0.e30.").unwrap();
    assert!(refused.reason().unwrap().contains("unsigned"));
    let jws = JwtCheck::new(fixture::verifier().clone(), Profile::Jws, NOW);
    let raw = sign_jws(b"\xffany bytes", trusted("hs384-0"), None).unwrap();
    assert_eq!(
        jws.check(raw.as_bytes()).unwrap(),
        Verdict::Accepted {
            output: "\\xffany bytes".into()
        }
    );
    assert!(JwtTarget::check_payload(token.as_bytes())
        .unwrap()
        .output()
        .is_some());
    assert_eq!("jws".parse::<Profile>().unwrap(), Profile::Jws);
    assert!("JWT".parse::<Profile>().is_err());
}

// ---------------------------------------------------------------------------
// Key-set refusals

pub(crate) fn jwk(kid: &str) -> Map<String, Value> {
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

fn public_jwk(kid: &str) -> Map<String, Value> {
    trusted(kid).public_jwk().unwrap()
}

fn set_of(keys: Vec<Map<String, Value>>) -> Result<Jwks, KeyError> {
    let keys: Vec<Value> = keys.into_iter().map(Value::Object).collect();
    Jwks::from_json(&json!({ "keys": keys }).to_string())
}

fn with(mut m: Map<String, Value>, member: &str, value: Value) -> Map<String, Value> {
    m.insert(member.into(), value);
    m
}

fn without(mut m: Map<String, Value>, member: &str) -> Map<String, Value> {
    m.remove(member);
    m
}

/// A 2048-bit odd modulus whose residues mod every ROCA prime lie in the
/// subgroup generated by 65537, built by incremental CRT on little-endian
/// 32-bit limbs.
fn roca_like_modulus() -> Vec<u8> {
    fn mul_small(a: &mut Vec<u64>, m: u64) {
        let mut carry = 0;
        for limb in a.iter_mut() {
            let v = *limb * m + carry;
            *limb = v & 0xffff_ffff;
            carry = v >> 32;
        }
        if carry > 0 {
            a.push(carry);
        }
    }
    fn add(a: &mut Vec<u64>, b: &[u64]) {
        let mut carry = 0;
        for i in 0..a.len().max(b.len()) {
            if i == a.len() {
                a.push(0);
            }
            let v = a[i] + b.get(i).copied().unwrap_or(0) + carry;
            a[i] = v & 0xffff_ffff;
            carry = v >> 32;
        }
        if carry > 0 {
            a.push(carry);
        }
    }
    fn rem(a: &[u64], m: u64) -> u64 {
        a.iter().rev().fold(0, |r, &limb| ((r << 32) | limb) % m)
    }
    let primes: Vec<u64> = (3..=167u64)
        .filter(|&p| (2..p).all(|d| p % d != 0))
        .collect();
    // n = 2^2047 + 1; m = 2 keeps n odd from here on.
    let mut n = vec![0u64; 64];
    n[63] = 1 << 31;
    n[0] = 1;
    let mut m = vec![2u64];
    for &p in &primes {
        let subgroup: Vec<u64> = std::iter::successors(Some(1u64), |&x| Some(x * (65537 % p) % p))
            .take_while(|&x| x != 1)
            .chain([1])
            .collect();
        let t = (0..p)
            .find(|&t| {
                let mut c = m.clone();
                mul_small(&mut c, t);
                let mut candidate = n.clone();
                add(&mut candidate, &c);
                subgroup.contains(&rem(&candidate, p))
            })
            .unwrap();
        let mut c = m.clone();
        mul_small(&mut c, t);
        add(&mut n, &c);
        mul_small(&mut m, p);
    }
    let mut bytes: Vec<u8> = n
        .iter()
        .rev()
        .flat_map(|l| (*l as u32).to_be_bytes())
        .collect();
    while bytes[0] == 0 {
        bytes.remove(0);
    }
    bytes
}

#[test]
fn weak_or_ambiguous_key_sets_are_refused() {
    use KeyError as E;
    let hs = || jwk("hs256-0");
    let rsa = || public_jwk("rs256-0");
    let n = unb64(rsa()["n"].as_str().unwrap());
    type Case = (&'static str, Vec<Map<String, Value>>, fn(&KeyError) -> bool);
    let cases: Vec<Case> = vec![
        (
            "duplicate kid",
            vec![hs(), with(jwk("hs384-0"), "kid", json!("hs256-0"))],
            |e| matches!(e, E::DuplicateKid { .. }),
        ),
        (
            "missing kid",
            vec![hs(), without(jwk("hs384-0"), "kid")],
            |e| matches!(e, E::MissingKid { index: 1 }),
        ),
        ("mixed public/private", vec![rsa(), jwk("es256-0")], |e| {
            matches!(e, E::MixedPublicPrivate)
        }),
        ("use enc", vec![with(hs(), "use", json!("enc"))], |e| {
            matches!(e, E::NotForSignatures { .. })
        }),
        (
            "key_ops encrypt",
            vec![with(hs(), "key_ops", json!(["verify", "encrypt"]))],
            |e| matches!(e, E::KeyOps { .. }),
        ),
        (
            "short HMAC",
            vec![with(hs(), "k", json!(b64(&[1; 31])))],
            |e| {
                matches!(
                    e,
                    E::HmacSecretTooShort {
                        len: 31,
                        min: 32,
                        ..
                    }
                )
            },
        ),
        ("empty HMAC", vec![with(hs(), "k", json!(""))], |e| {
            matches!(e, E::HmacSecretTooShort { len: 0, .. })
        }),
        (
            "HS512 with 48 bytes",
            vec![with(jwk("hs512-0"), "k", json!(b64(&[1; 48])))],
            |e| matches!(e, E::HmacSecretTooShort { min: 64, .. }),
        ),
        (
            "padded base64",
            vec![with(
                hs(),
                "k",
                json!(format!("{}=", hs()["k"].as_str().unwrap())),
            )],
            |e| matches!(e, E::Base64 { member: "k", .. }),
        ),
        ("no alg", vec![without(hs(), "alg")], |e| {
            matches!(e, E::NoAlgorithm { .. })
        }),
        ("alg none", vec![with(hs(), "alg", json!("none"))], |e| {
            matches!(e, E::UnsupportedAlgorithm { .. })
        }),
        (
            "alg of another family",
            vec![with(hs(), "alg", json!("RS256"))],
            |e| matches!(e, E::AlgorithmMismatch { .. }),
        ),
        ("unknown kty", vec![with(hs(), "kty", json!("XYZ"))], |e| {
            matches!(e, E::UnsupportedKeyType { .. })
        }),
        (
            "RSA 1024",
            vec![with(
                rsa(),
                "n",
                json!(b64(&[&n[..127], &[n[255] | 1]].concat())),
            )],
            |e| matches!(e, E::RsaModulusSize { bits: 1024, .. }),
        ),
        ("RSA e=3", vec![with(rsa(), "e", json!("Aw"))], |e| {
            matches!(e, E::RsaExponent { .. })
        }),
        ("RSA e=1", vec![with(rsa(), "e", json!("AQ"))], |e| {
            matches!(e, E::RsaExponent { .. })
        }),
        ("RSA even e", vec![with(rsa(), "e", json!("AQAA"))], |e| {
            matches!(e, E::RsaExponent { .. })
        }),
        (
            "RSA leading zero",
            vec![with(rsa(), "n", json!(b64(&[&[0][..], &n].concat())))],
            |e| matches!(e, E::RsaInvalid { .. }),
        ),
        (
            "RSA even modulus",
            vec![with(
                rsa(),
                "n",
                json!(b64(&[&n[..255], &[n[255] & 0xfe]].concat())),
            )],
            |e| matches!(e, E::RsaInvalid { .. }),
        ),
        (
            "ROCA fingerprint",
            vec![with(rsa(), "n", json!(b64(&roca_like_modulus())))],
            |e| matches!(e, E::RocaWeakKey { .. }),
        ),
        (
            "ES256 on P-384",
            vec![with(public_jwk("es384-0"), "alg", json!("ES256"))],
            |e| matches!(e, E::CurveMismatch { .. }),
        ),
        (
            "crv X25519 for EdDSA",
            vec![with(public_jwk("eddsa-0"), "crv", json!("X25519"))],
            |e| matches!(e, E::CurveMismatch { .. }),
        ),
        (
            "point off the curve",
            vec![{
                let mut y = unb64(public_jwk("es256-0")["y"].as_str().unwrap());
                y[31] ^= 1;
                with(public_jwk("es256-0"), "y", json!(b64(&y)))
            }],
            |e| matches!(e, E::InvalidPoint { .. }),
        ),
        (
            "short coordinate",
            vec![with(public_jwk("es256-0"), "x", json!(b64(&[1; 31])))],
            |e| matches!(e, E::InvalidPoint { .. }),
        ),
        (
            "small-order Ed25519 point",
            vec![with(
                public_jwk("eddsa-0"),
                "x",
                json!(b64(&{
                    let mut x = [0u8; 32];
                    x[0] = 1;
                    x
                })),
            )],
            |e| matches!(e, E::InvalidPoint { .. }),
        ),
        (
            "d of another key",
            vec![with(jwk("es256-0"), "d", json!(b64(&[7; 32])))],
            |e| matches!(e, E::InvalidPrivateKey { .. }),
        ),
        ("empty set", vec![], |e| matches!(e, E::Empty)),
    ];
    for (name, keys, expected) in cases {
        match set_of(keys) {
            Err(e) => assert!(expected(&e), "{name}: wrong error {e}"),
            Ok(_) => panic!("{name}: accepted"),
        }
    }
    // HMAC secrets may sit beside public keys, and a lone key needs no kid.
    assert!(set_of(vec![hs(), rsa(), public_jwk("es256-0")]).is_ok());
    assert!(set_of(vec![without(rsa(), "kid")]).is_ok());
    assert!(has_roca_fingerprint(&roca_like_modulus()));
    for key in fixture::trusted_keys()
        .keys()
        .iter()
        .chain(fixture::attacker_keys().keys())
    {
        if let Some(n) = key.public_jwk().and_then(|j| j.get("n").cloned()) {
            assert!(!has_roca_fingerprint(&unb64(n.as_str().unwrap())));
        }
    }
}

#[test]
fn key_material_edges() {
    use KeyError as E;
    let rsa = || public_jwk("rs256-0");
    let n = unb64(rsa()["n"].as_str().unwrap());
    let refused = |m: Map<String, Value>| set_of(vec![m]).unwrap_err();
    // Exponent and modulus bounds.
    for e in [b64(&[2, 0, 0, 0, 1]), b64(&[1; 9])] {
        assert!(matches!(
            refused(with(rsa(), "e", json!(e))),
            E::RsaExponent { .. }
        ));
    }
    assert!(set_of(vec![with(rsa(), "e", json!(b64(&[1, 0, 0, 0, 1])))]).is_ok());
    let mut big = vec![1u8];
    big.extend_from_slice(&[0xff; 512]);
    assert!(matches!(
        refused(with(rsa(), "n", json!(b64(&big)))),
        E::RsaModulusSize { bits: 4097, .. }
    ));
    let mut max = vec![0xffu8; 512];
    max[511] = 0xfd;
    let at_max = set_of(vec![with(rsa(), "n", json!(b64(&max)))]);
    assert!(!matches!(at_max, Err(E::RsaModulusSize { .. })));
    // Private parts.
    let rsa_private = jwk("rs256-0");
    assert!(matches!(
        refused(without(rsa_private.clone(), "q")),
        E::InvalidPrivateKey { .. }
    ));
    assert!(matches!(
        refused(with(rsa_private.clone(), "oth", json!([]))),
        E::RsaInvalid { .. }
    ));
    let recovered = set_of(vec![without(without(rsa_private.clone(), "p"), "q")]).unwrap();
    assert!(recovered.keys()[0].can_sign());
    assert!(matches!(
        refused(with(rsa_private, "d", json!(b64(&n[..255])))),
        E::RsaInvalid { .. }
    ));
    for kid in ["es256-0", "es384-0", "eddsa-0"] {
        assert!(matches!(
            refused(with(jwk(kid), "d", json!(b64(&[3; 31])))),
            E::InvalidPrivateKey { .. }
        ));
    }
    assert!(matches!(
        refused(with(jwk("eddsa-0"), "d", json!(b64(&[3; 32])))),
        E::InvalidPrivateKey { .. }
    ));
    // Member types and key_ops.
    assert!(matches!(
        refused(with(jwk("hs256-0"), "use", json!(1))),
        E::MemberType { member: "use", .. }
    ));
    assert!(matches!(
        refused(with(jwk("hs256-0"), "key_ops", json!(["verify", "verify"]))),
        E::KeyOps { .. }
    ));
    assert!(matches!(
        refused(with(jwk("hs256-0"), "key_ops", json!("verify"))),
        E::MemberType {
            member: "key_ops",
            ..
        }
    ));
    assert!(set_of(vec![with(
        jwk("hs256-0"),
        "key_ops",
        json!(["sign", "verify"])
    )])
    .is_ok());
    assert!(matches!(
        refused(without(jwk("hs256-0"), "k")),
        E::MissingMember { member: "k", .. }
    ));
    // Too many keys, too large a document.
    let many: Vec<Key> = (0..=secfuzz::jwt::MAX_KEYS)
        .map(|i| {
            Key::hmac(Algorithm::HS256, &[7; 32])
                .unwrap()
                .with_kid(i.to_string())
        })
        .collect();
    assert!(matches!(Jwks::new(many), Err(E::TooManyKeys { .. })));
    let huge = " ".repeat(secfuzz::jwt::MAX_JWKS_LEN + 1);
    assert!(matches!(
        Key::from_jwk(&huge, None),
        Err(E::TooLarge { .. })
    ));
    assert!(matches!(Jwks::from_json(&huge), Err(E::TooLarge { .. })));
    // Binding a JWK to another algorithm than it names is refused.
    let text = Value::Object(jwk("hs256-0")).to_string();
    assert!(Key::from_jwk(&text, Some(Algorithm::HS256)).is_ok());
    assert!(matches!(
        Key::from_jwk(&text, Some(Algorithm::HS384)),
        Err(E::AlgorithmMismatch { .. })
    ));
    // Constructors check the algorithm family.
    assert!(Key::hmac(Algorithm::RS256, &[1; 64]).is_err());
    assert!(Key::ec_public(Algorithm::EdDSA, &[1; 32], &[1; 32]).is_err());
    assert!(Key::rsa_public(Algorithm::ES256, &n, &[1, 0, 1]).is_err());
    let public = Key::ed25519_public(&unb64(public_jwk("eddsa-0")["x"].as_str().unwrap())).unwrap();
    assert!(!public.can_sign());
    assert!(matches!(
        public.sign_raw(b"x"),
        Err(secfuzz::jwt::SignError::NotASigningKey { .. })
    ));
    assert_eq!(Algorithm::EdDSA.to_string(), "EdDSA");
    assert_eq!(Algorithm::from_name("hs256"), None);
    assert!(Algorithm::ALL
        .iter()
        .all(|a| Algorithm::from_name(a.name()) == Some(*a)));
}

#[test]
fn claims_accessors_and_error_context() {
    let mut claims = good_claims();
    claims["nbf"] = json!(NOW as f64 - 0.5);
    let jwt = harness_verify(&sign_jwt(&claims, trusted("hs256-0")).unwrap()).unwrap();
    assert_eq!(jwt.claims.iss(), Some(ISSUER));
    assert_eq!(jwt.claims.sub(), Some("user-42"));
    assert_eq!(jwt.claims.nbf(), Some(i128::from(NOW)));
    assert_eq!(jwt.claims.exp(), Some(i128::from(NOW + 600)));
    assert_eq!(jwt.header["typ"], "JWT");
    let mut bad = good_claims();
    bad["exp"] = json!("soon");
    let token = raw_token(
        &header_for("hs256-0", "HS256"),
        &bad.to_string(),
        trusted("hs256-0"),
    );
    assert_eq!(
        claims_err(&token),
        ClaimsError::WrongType {
            claim: "exp",
            expected: "a number (NumericDate)",
            found: "a string"
        }
    );
    let mut other = good_claims();
    other["iss"] = json!("https://elsewhere.example");
    assert_eq!(
        claims_err(&sign_jwt(&other, trusted("hs256-0")).unwrap()),
        ClaimsError::Issuer {
            iss: "https://elsewhere.example".into()
        }
    );
    other = good_claims();
    other["aud"] = json!(["a", "b"]);
    assert_eq!(
        claims_err(&sign_jwt(&other, trusted("hs256-0")).unwrap()),
        ClaimsError::Audience
    );
    other.as_object_mut().unwrap().remove("aud");
    assert_eq!(
        claims_err(&sign_jwt(&other, trusted("hs256-0")).unwrap()),
        ClaimsError::Missing {
            claim: "aud".into()
        }
    );
    // Required claims and an optional exp.
    let keys = Jwks::new(vec![trusted("hs256-0").clone()]).unwrap();
    let lax = Verifier::new(keys).require_exp(false).require_claim("jti");
    let token = sign_jwt(&json!({"jti": "1"}), trusted("hs256-0")).unwrap();
    assert!(lax.verify(token.as_bytes(), NOW).is_ok());
    let token = sign_jwt(&json!({"sub": "x"}), trusted("hs256-0")).unwrap();
    assert_eq!(
        lax.verify(token.as_bytes(), NOW).unwrap_err(),
        VerifyError::Claims(ClaimsError::Missing {
            claim: "jti".into()
        })
    );
    assert!(lax
        .clone()
        .types(["at+jwt"])
        .verify(token.as_bytes(), NOW)
        .is_err());
    assert!(lax.max_token_len(10).verify(token.as_bytes(), NOW).is_err());
}

#[test]
fn key_set_documents_are_parsed_strictly() {
    for (text, ok) in [
        (r#"{"keys":[]}"#, false),
        (r#"{"keys":{}}"#, false),
        (r#"{"kty":"oct"}"#, false),
        (r#"{"keys":[1]}"#, false),
        (r#"{"keys":[],"keys":[]}"#, false),
        ("not json", false),
    ] {
        assert_eq!(Jwks::from_json(text).is_ok(), ok, "{text}");
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("jwks.json");
    std::fs::write(
        &path,
        Jwks::public_json(fixture::trusted_keys()).to_string(),
    )
    .unwrap();
    assert_eq!(Jwks::from_file(&path).unwrap().keys().len(), 5);
    assert!(matches!(
        Jwks::from_file(dir.path().join("absent.json")),
        Err(KeyError::Io { .. })
    ));
    std::fs::write(&path, " ".repeat(secfuzz::jwt::MAX_JWKS_LEN + 1)).unwrap();
    assert!(matches!(
        Jwks::from_file(&path),
        Err(KeyError::TooLarge { .. })
    ));
}

// ---------------------------------------------------------------------------
// Properties

fn plan(signer: TrustedKey, signing: Signing) -> Plan {
    Plan {
        signer,
        profile: Profile::Jwt,
        raw_payload: None,
        header_edits: Vec::new(),
        claim_edits: Vec::new(),
        signing,
        wire_edits: Vec::new(),
    }
}

fn fail(msg: impl std::fmt::Display) -> TestCaseError {
    TestCaseError::fail(msg.to_string())
}

proptest! {
    #![proptest_config(proptest_config(1000, "proptest-regressions/jwt.txt"))]

    /// Soundness and completeness over the full attack grammar: every
    /// generated token is judged by the independent oracles, on the
    /// structured path and on the raw-payload path.
    #[test]
    fn soundness_over_the_attack_grammar(case in inputs::<JwtInput>(512)) {
        let input = &case.value;
        JwtTarget::check(input).map_err(|v| fail(format!("{v}\n{input:#?}")))?;
        JwtTarget::check_payload(&JwtTarget::render(input))
            .map_err(|v| fail(format!("raw path: {v}\n{input:#?}")))?;
    }

    /// Any wire edit that changes an honestly signed token's bytes is refused.
    #[test]
    fn tampered_tokens_are_refused(
        case in inputs::<(TrustedKey, Vec<WireEdit>, Vec<ClaimEdit>, bool)>(128)
    ) {
        let (signer, wire, claims, jws) = case.value;
        let mut p = plan(signer, Signing::Signer);
        p.wire_edits = wire;
        p.claim_edits = claims;
        p.profile = if jws { Profile::Jws } else { Profile::Jwt };
        let input = JwtInput::new(p);
        let token = input.built.token.as_bytes();
        if input.built.token != input.built.signed_token {
            prop_assert!(fixture::verifier().verify_jws(token).is_err(), "{input:#?}");
        }
        JwtTarget::check(&input).map_err(fail)?;
    }

    /// The original signature never survives an edit of header or claims.
    #[test]
    fn edited_content_keeps_no_signature(
        case in inputs::<(TrustedKey, Vec<HeaderEdit>, Vec<ClaimEdit>)>(128)
    ) {
        let (signer, header, claims) = case.value;
        let mut p = plan(signer, Signing::Original);
        p.header_edits = header;
        p.claim_edits = claims;
        let input = JwtInput::new(p);
        let base = &input.built.log[0].token;
        if &input.built.token != base {
            prop_assert!(fixture::verifier().verify_jws(input.built.token.as_bytes()).is_err());
        }
        JwtTarget::check(&input).map_err(fail)?;
    }

    /// A trusted public key used as an HMAC secret is always refused.
    #[test]
    fn alg_confusion_is_refused(
        case in inputs::<(TrustedKey, PublicTarget, PublicForm, HsPick, Vec<HeaderEdit>)>(64)
    ) {
        let (signer, target, form, hs, header) = case.value;
        let mut p = plan(signer, Signing::HmacWithPublicKey(target, form, hs));
        let plain = header.is_empty();
        p.header_edits = header;
        let input = JwtInput::new(p);
        let result = fixture::verifier().verify_jws(input.built.token.as_bytes());
        prop_assert!(result.is_err());
        if plain {
            prop_assert!(matches!(result, Err(JwsError::AlgorithmMismatch { .. })), "{result:?}");
        }
        JwtTarget::check(&input).map_err(fail)?;
    }

    /// `alg: none` in any spelling is refused, signed or not, and so is a
    /// token signed with a trusted HMAC secret under another algorithm or an
    /// attacker's key.
    #[test]
    fn unsigned_and_untrusted_tokens_are_refused(
        case in inputs::<(TrustedKey, NoneSpelling, HsPick, AttackerKey, Vec<HeaderEdit>, u8)>(64)
    ) {
        let (signer, spelling, hs, attacker, header, which) = case.value;
        let signing = match which % 4 {
            0 => Signing::AlgNone(spelling),
            1 => Signing::Empty,
            2 => Signing::CrossAlgorithm(hs),
            _ => Signing::Untrusted(attacker, secfuzz::jwt::gen::ClaimedKid::Keep),
        };
        let mut p = plan(signer, signing);
        p.header_edits = header;
        let input = JwtInput::new(p);
        prop_assert!(fixture::verifier().verify_jws(input.built.token.as_bytes()).is_err(), "{input:#?}");
        JwtTarget::check(&input).map_err(fail)?;
    }

    /// The boundary rule, against a third model: all values doubled, so
    /// half-second NumericDates compare as integers.
    #[test]
    fn boundary_semantics(
        exp_off in -40i64..40, exp_half in any::<bool>(),
        nbf in proptest::option::of((-40i64..40, any::<bool>())),
        leeway_exp in 0u32..20, leeway_nbf in 0u32..20, now_off in -5i64..5,
    ) {
        let now = NOW + now_off;
        let verifier = Verifier::new(Jwks::new(vec![trusted("hs256-0").clone()]).unwrap())
            .leeway_exp(leeway_exp)
            .leeway_nbf(leeway_nbf);
        let date = |off: i64, half: bool| {
            if half { json!((NOW + off) as f64 + 0.5) } else { json!(NOW + off) }
        };
        let twice = |off: i64, half: bool| 2 * (NOW + off) + i64::from(half);
        let mut claims = json!({ "exp": date(exp_off, exp_half) });
        let mut valid = 2 * now < twice(exp_off, exp_half) + 2 * i64::from(leeway_exp);
        if let Some((off, half)) = nbf {
            claims["nbf"] = date(off, half);
            valid &= twice(off, half) - 2 * i64::from(leeway_nbf) <= 2 * now;
        }
        let token = sign_jwt(&claims, trusted("hs256-0")).unwrap();
        let result = verifier.verify(token.as_bytes(), now);
        prop_assert_eq!(result.is_ok(), valid, "{} at {}: {:?}", claims, now, result);
        if let Err(e) = result {
            let is_time_error = matches!(
                e,
                VerifyError::Claims(ClaimsError::Expired { .. } | ClaimsError::NotYetValid { .. })
            );
            prop_assert!(is_time_error);
        }
    }

    /// A registered claim of the wrong JSON type is an error naming it.
    #[test]
    fn claim_type_confusion_is_refused(
        claim in prop::sample::select(vec!["exp", "nbf", "iat"]),
        value in prop_oneof![
            (-1_000_000i64..1_000_000).prop_map(|o| json!((NOW + o).to_string())),
            Just(json!(null)),
            any::<bool>().prop_map(|b| json!(b)),
            (0i64..10).prop_map(|o| json!([NOW + o])),
            Just(json!({"$date": NOW})),
            "[a-z0-9 :-]{0,24}".prop_map(|s| json!(s)),
        ],
    ) {
        let mut claims = good_claims();
        claims[claim] = value;
        let token = raw_token(&header_for("hs256-0", "HS256"), &claims.to_string(), trusted("hs256-0"));
        let err = claims_err(&token);
        prop_assert!(matches!(err, ClaimsError::WrongType { claim: c, .. } if c == claim), "{err}");
    }

    /// Honest signing with any trusted fast key, then verification, returns
    /// exactly the signed claims.
    #[test]
    fn sign_verify_round_trip(
        kid in prop::sample::select(vec!["hs256-0", "hs384-0", "hs512-0", "es256-0", "eddsa-0"]),
        extra in prop::collection::btree_map("[a-z_]{1,8}", prop_oneof![
            any::<i64>().prop_map(|i| json!(i)),
            ".{0,16}".prop_map(|s| json!(s)),
            any::<bool>().prop_map(|b| json!(b)),
        ], 0..6),
    ) {
        let mut claims = good_claims();
        for (k, v) in extra {
            if !["iss", "aud", "sub", "iat", "exp", "nbf", "jti"].contains(&k.as_str()) {
                claims[k] = v;
            }
        }
        let token = sign_jwt(&claims, trusted(kid)).unwrap();
        let jwt = harness_verify(&token).map_err(fail)?;
        prop_assert_eq!(Value::Object(jwt.claims.into_map()), claims);
    }

    /// Random bytes are never accepted, and never break the raw oracle.
    #[test]
    fn random_payloads_are_rejected(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        let verdict = JwtTarget::check_payload(&bytes).map_err(fail)?;
        prop_assert_eq!(verdict.kind(), "rejected");
    }

    /// Key sets with one defect are refused with the matching error; the
    /// same sets without the defect load.
    #[test]
    fn key_set_refusal(defect in 0u8..9, order in any::<u64>(), extra_member in any::<bool>()) {
        let mut keys = vec![jwk("hs256-0"), jwk("hs384-0"), jwk("hs512-0"), public_jwk("es256-0"), public_jwk("eddsa-0"), public_jwk("rs256-0")];
        if extra_member {
            for k in &mut keys {
                k.insert("x-note".into(), json!("ignored"));
            }
        }
        let victim = (order % keys.len() as u64) as usize;
        let expect: fn(&KeyError) -> bool = match defect {
            0 => |_| false,
            1 => { let kid = keys[(victim + 1) % keys.len()]["kid"].clone(); keys[victim].insert("kid".into(), kid); |e| matches!(e, KeyError::DuplicateKid { .. }) }
            2 => { keys[victim].remove("kid"); |e| matches!(e, KeyError::MissingKid { .. }) }
            3 => { keys[victim].insert("use".into(), json!("enc")); |e| matches!(e, KeyError::NotForSignatures { .. }) }
            4 => { keys[victim].remove("alg"); |e| matches!(e, KeyError::NoAlgorithm { .. }) }
            5 => { keys.push(jwk("es384-0")); |e| matches!(e, KeyError::MixedPublicPrivate) }
            6 => { keys[victim].insert("alg".into(), json!("none")); |e| matches!(e, KeyError::UnsupportedAlgorithm { .. }) }
            7 => { keys[0].insert("k".into(), json!(b64(&vec![9u8; (order % 32) as usize]))); |e| matches!(e, KeyError::HmacSecretTooShort { .. }) }
            _ => { keys[victim].insert("kid".into(), json!(7)); |e| matches!(e, KeyError::MemberType { member: "kid", .. }) }
        };
        keys.rotate_left((order % 6) as usize);
        match set_of(keys) {
            Ok(set) => prop_assert_eq!(defect, 0, "accepted a defective set of {} keys", set.keys().len()),
            Err(e) => prop_assert!(defect != 0 && expect(&e), "defect {}: {}", defect, e),
        }
    }

    /// Key-set loading takes any input: a real JWK Set (public halves of
    /// every trusted key) cut, spliced with JSON fragments and bit-flipped
    /// either loads or fails with a typed `KeyError` whose message is not
    /// empty. It never panics, and a set that loads holds only keys that were
    /// in the text.
    #[test]
    fn key_set_loading_takes_any_input(
        edits in prop::collection::vec(
            (any::<prop::sample::Index>(), 0u8..3, any::<u8>(), "[\\[\\]{}\",:.0-9A-Za-z_-]{0,6}"),
            0..6,
        ),
    ) {
        let mut text = fixture::trusted_keys().public_json().to_string().into_bytes();
        for (at, op, byte, fragment) in &edits {
            let i = at.index(text.len() + 1);
            match op {
                0 => text.truncate(i),
                1 => { text.splice(i..i, fragment.bytes()); }
                _ => if let Some(b) = text.get_mut(i) { *b ^= byte | 1 },
            }
        }
        let text = String::from_utf8_lossy(&text);
        match Jwks::from_json(&text) {
            Ok(set) => {
                for key in set.keys() {
                    prop_assert!(
                        key.kid().is_none_or(|kid| text.contains(kid)),
                        "a key appeared from nowhere: {:?}", key.kid()
                    );
                }
            }
            Err(e) => prop_assert!(!e.to_string().is_empty()),
        }
    }
}

// ---------------------------------------------------------------------------
// The generator reaches every verdict

#[test]
fn generator_reaches_acceptance_and_every_refusal() {
    use std::collections::BTreeMap;
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut tally: BTreeMap<&'static str, usize> = BTreeMap::new();
    let total = 2000;
    for _ in 0..total {
        let len = (next() % 96) as usize + 8;
        let bytes: Vec<u8> = (0..len).map(|_| next() as u8).collect();
        let Ok(input) = decode::<JwtTarget>(&bytes) else {
            continue;
        };
        let verdict = match oracle::expected(&input.plan, &input.built) {
            Ok(_) => "accepted",
            Err(r) => r.invariant,
        };
        *tally.entry(verdict).or_default() += 1;
    }
    let accepted = tally.get("accepted").copied().unwrap_or(0);
    assert!(
        accepted * 50 >= total,
        "only {accepted} of {total} accepted: {tally:?}"
    );
    for inv in JwtTarget::INVARIANTS {
        if matches!(inv.id, "jwt.roundtrip" | "jwt.harness") {
            continue;
        }
        assert!(
            tally.contains_key(inv.id),
            "{} never generated: {tally:?}",
            inv.id
        );
    }
}

// ---------------------------------------------------------------------------
// Corpus replay

/// Every committed corpus entry and promoted crash replays cleanly.
///
/// `corpora/regressions/jwt/`:
/// * `cross-algorithm-with-its-own-algorithm` — a harness bug found by the
///   property suite: a "cross-algorithm" signing that picked the key's own
///   HMAC algorithm was an honest signing, yet the oracle called its
///   acceptance `jwt.alg_confusion`. Cross-algorithm signing now always
///   picks another algorithm.
#[test]
fn corpus_replays() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpora");
    let mut replayed = 0;
    for dir in [root.join("jwt"), root.join("regressions/jwt")] {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries {
            let path = entry.unwrap().path();
            let bytes = std::fs::read(&path).unwrap();
            if let Ok(input) = decode::<JwtTarget>(&bytes) {
                JwtTarget::check(&input)
                    .unwrap_or_else(|v| panic!("{}: {v}\n{input:#?}", path.display()));
                replayed += 1;
            }
        }
    }
    assert!(replayed > 0);
}
