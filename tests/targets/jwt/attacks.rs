//! The attack table: each attack of the threat model, refused with the
//! error that names it.

use super::*;
use secfuzz::jwt::gen::{Plan, Signing, TrustedKey, WireEdit};
use secfuzz::jwt::{JwtInput, Segment, DEFAULT_MAX_TOKEN_LEN};

/// The JWS-layer error the fixture verifier refuses `token` with.
fn jws_err(token: &str) -> JwsError {
    match fixture_verify(token) {
        Err(VerifyError::Jws(e)) => e,
        other => panic!("expected a JWS error, got {other:?}"),
    }
}

#[test]
fn honest_tokens_verify_and_round_trip() {
    for key in fixture::trusted_keys().keys() {
        let token = sign_jwt(&good_claims(), key).unwrap();
        let jwt = fixture_verify(&token).unwrap_or_else(|e| panic!("{:?}: {e}", key.kid()));
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
    assert!(fixture_verify(&raw_token(ok, &payload, key)).is_ok());
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

// The size cap is 16 KiB by default, and a token of exactly the cap
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
            let mut claims = minimal_claims();
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
    assert!(fixture_verify(&t(r#"{"alg":"HS256","kid":"hs256-0","typ":"jwt"}"#)).is_ok());
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
fn es384_signatures_are_low_s_and_their_twins_are_refused() {
    use secfuzz::jwt::gen::{Plan, Signing, TrustedKey, WireEdit};
    use secfuzz::jwt::{JwtInput, Profile};
    let key = trusted("es384-0");
    assert_eq!(key.algorithm(), secfuzz::jwt::Algorithm::ES384);
    // secfuzz's own ECDSA signatures are always low-s: the low-s verifier
    // accepts every one of them.
    for i in 0..16 {
        let mut claims = minimal_claims();
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

/// Issue 9: an RSA signature `s` has twins that are the same integer mod
/// `n`: `s + n` written in the modulus' length (when it fits, ~40 % of
/// 2048-bit signatures), `s` with a leading zero byte, `s` one byte short
/// when its top byte is zero. The `rsa` crate's PSS verification checked
/// only the length, so `s + n` verified. Every form is refused, for every
/// RSA algorithm, naming the signature range.
#[test]
fn rsa_signature_twins_are_refused_for_their_range() {
    let public = Verifier::new(public_set())
        .issuer(ISSUER)
        .audience(AUDIENCE);
    for kid in ["ps256-0", "rs256-0"] {
        let key = trusted(kid);
        let n = modulus(kid);
        let mut fitted = 0;
        for i in 0..24 {
            let mut claims = minimal_claims();
            claims["jti"] = json!(format!("{kid}-{i}"));
            let token = sign_jwt(&claims, key).unwrap();
            let (input, sig) = token.rsplit_once('.').unwrap();
            let s = unb64(sig);
            let plus_n = add_be(&s, &n);
            let mut twins = vec![plus_n.clone(), [&[0u8][..], &s].concat()];
            if s[0] == 0 {
                twins.push(s[1..].to_vec());
            }
            fitted += usize::from(plus_n.len() == n.len());
            for twin in twins {
                let forged = format!("{input}.{}", b64(&twin));
                for verdict in [
                    fixture_verify(&forged).map(|_| ()),
                    public.verify(forged.as_bytes(), NOW).map(|_| ()),
                    public
                        .verify_jws(forged.as_bytes())
                        .map(|_| ())
                        .map_err(Into::into),
                ] {
                    let err = verdict.unwrap_err();
                    assert!(
                        matches!(err, VerifyError::Jws(JwsError::SignatureRange { .. })),
                        "{kid}: {err}"
                    );
                    assert!(err.to_string().contains("signature out of range"), "{err}");
                }
            }
            assert!(fixture_verify(&token).is_ok());
        }
        assert!(fitted > 0, "{kid}: no s + n fitted in 24 signatures");
    }
}

/// The token-mutation grammar has the RSA twins, so the structured model
/// sees them: a PS256 token with `s + n` (or a leading zero, or one byte
/// short) is a token the generator never signed, and must be refused. The
/// PS256 key signs only pooled shapes (its base token among them), so the
/// base token is the one edited; whether `s + n` still fits in the modulus'
/// length depends on the (randomized) signature, and both cases must be
/// refused. `rsa_signature_twins_are_refused_for_their_range` makes twins
/// that fit on purpose.
#[test]
fn the_generator_makes_rsa_twins_and_the_model_refuses_them() {
    use secfuzz::jwt::JwtTarget;
    use secfuzz::Target;
    for edit in [
        WireEdit::SignaturePlusModulus,
        WireEdit::SignatureLeadingZero,
        WireEdit::SignatureOneByteShort,
    ] {
        for profile in [Profile::Jws, Profile::Jwt] {
            let input = JwtInput::new(Plan {
                signer: TrustedKey(7),
                profile,
                raw_payload: None,
                header_edits: vec![],
                claim_edits: vec![],
                signing: Signing::Signer,
                wire_edits: vec![edit],
            });
            assert!(
                input.built.token.starts_with("eyJhbGciOiJQUzI1NiI"),
                "the PS256 key signs its base token: {input:#?}"
            );
            assert_ne!(input.built.token, input.built.signed_token, "{edit:?}");
            assert_eq!(JwtTarget::check(&input), Ok(()), "{edit:?}");
            assert!(fixture::verifier()
                .verify_jws(input.built.token.as_bytes())
                .is_err());
        }
    }
}

/// ES512 (P-521, RFC 7518 §3.4): signed and verified outside
/// `jsonwebtoken`, with the ES256/ES384 rules: signatures exactly 132 bytes,
/// low `s` under the policy, the key bound to ES512 on P-521 only.
#[test]
fn es512_is_supported_with_the_ecdsa_rules() {
    let key = trusted("es512-0");
    assert_eq!(key.algorithm(), Algorithm::ES512);
    assert_eq!(Algorithm::from_name("ES512"), Some(Algorithm::ES512));
    let token = sign_jwt(&good_claims(), key).unwrap();
    let jwt = fixture_verify(&token).unwrap();
    assert_eq!(jwt.alg, Algorithm::ES512);
    assert_eq!(jwt.claims.sub(), Some("user-42"));
    let (input, sig) = token.rsplit_once('.').unwrap();
    let sig = unb64(sig);
    assert_eq!(sig.len(), 132);
    // Public key set, JWS profile.
    let public = Verifier::new(public_set())
        .issuer(ISSUER)
        .audience(AUDIENCE);
    assert!(public.verify(token.as_bytes(), NOW).is_ok());
    // Wrong lengths and a flipped bit.
    for bad in [
        sig[..131].to_vec(),
        [&sig[..], &[0u8][..]].concat(),
        [&[0u8][..], &sig[..]].concat(),
        {
            let mut s = sig.clone();
            s[70] ^= 1;
            s
        },
    ] {
        let forged = format!("{input}.{}", b64(&bad));
        // The low-s check runs first and refuses what does not parse.
        assert!(matches!(
            jws_err(&forged),
            JwsError::HighS | JwsError::BadSignature
        ));
        let lenient = Verifier::new(fixture::trusted_keys().clone());
        assert_eq!(
            lenient.verify_jws(forged.as_bytes()).unwrap_err(),
            JwsError::BadSignature
        );
    }
    // The high-s twin: refused under low-s, valid for a lenient verifier.
    let twin = JwtInput::new(Plan {
        signer: TrustedKey(8),
        profile: Profile::Jwt,
        raw_payload: None,
        header_edits: vec![],
        claim_edits: vec![],
        signing: Signing::Signer,
        wire_edits: vec![WireEdit::MalleateEcdsa],
    });
    assert_eq!(twin.built.log[0].key, 8);
    assert_ne!(twin.built.token, twin.built.signed_token);
    assert_eq!(jws_err(&twin.built.token), JwsError::HighS);
    let lenient = Verifier::new(fixture::trusted_keys().clone());
    assert!(lenient.verify_jws(twin.built.token.as_bytes()).is_ok());
    // An ES512 header on another key, and ES512 claimed by a P-256 key.
    let es256 = raw_token(
        &header_for("es256-0", "ES512"),
        &minimal_claims().to_string(),
        trusted("es256-0"),
    );
    assert!(matches!(
        jws_err(&es256),
        JwsError::AlgorithmMismatch { .. }
    ));
    let mut wrong_curve = public_jwk("es256-0");
    wrong_curve.insert("alg".into(), json!("ES512"));
    assert!(matches!(
        set_of(vec![wrong_curve]).unwrap_err(),
        KeyError::CurveMismatch { .. }
    ));
    let mut short = public_jwk("es512-0");
    short.insert("x".into(), json!(b64(&[1u8; 65])));
    assert!(matches!(
        set_of(vec![short]).unwrap_err(),
        KeyError::InvalidPoint { .. }
    ));
}
