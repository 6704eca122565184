//! The oracles and the model blame the right invariant: the raw and
//! re-signing oracles, the structured check, the model's refusals, and the
//! raw-payload check behind `secfuzz check jwt`.

use super::*;
use secfuzz::jwt::oracle;
use secfuzz::jwt::{sign_jws, JwtCheck, JwtTarget};
use secfuzz::{Target, Verdict};

// The raw oracles flag acceptances that break an invariant. They
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
    assert_eq!(verdict(minimal_claims()), None);
    // Structure and header.
    assert_eq!(
        raw_verdict("a.b", h, Jwt).as_deref(),
        Some(oracle::CANONICAL)
    );
    assert_eq!(
        raw_verdict("e30.e30.A", h, Jwt).as_deref(),
        Some(oracle::CANONICAL)
    );
    let p = minimal_claims().to_string();
    for (hdr, inv) in [
        (r#"{"alg":"nOnE","kid":"hs256-0"}"#, oracle::NONE),
        (
            r#"{"alg":"HS256","kid":"hs256-0","jku":"x"}"#,
            oracle::EMBEDDED_KEY,
        ),
        (
            r#"{"alg":"HS256","kid":"hs256-0","x5c":[]}"#,
            oracle::EMBEDDED_KEY,
        ),
        (r#"{"alg":"HS384","kid":"hs256-0"}"#, oracle::ALG_CONFUSION),
        (r#"{"alg":"HS256","kid":"nope"}"#, oracle::ALG_CONFUSION),
        (r#"{"alg":"HS256"}"#, oracle::ALG_CONFUSION),
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
        let mut c = minimal_claims();
        c[claim] = json!("1");
        assert_eq!(
            verdict(c).as_deref(),
            Some(oracle::TYPE_CONFUSION),
            "{claim}"
        );
    }
    // The boundary rule, with the fixture's leeways (exp 30 s, nbf 10 s).
    let lexp = i64::from(fixture::LEEWAY_EXP);
    let lnbf = i64::from(fixture::LEEWAY_NBF);
    let mut c = minimal_claims();
    c["exp"] = json!(NOW - lexp);
    assert_eq!(verdict(c.clone()).as_deref(), Some(oracle::EXPIRY));
    c["exp"] = json!(NOW - lexp + 1);
    assert_eq!(verdict(c.clone()), None);
    c["nbf"] = json!(NOW + lnbf);
    assert_eq!(verdict(c.clone()), None);
    c["nbf"] = json!(NOW + lnbf + 1);
    assert_eq!(verdict(c.clone()).as_deref(), Some(oracle::EXPIRY));
    c.as_object_mut().unwrap().remove("nbf");
    c.as_object_mut().unwrap().remove("exp");
    assert_eq!(verdict(c.clone()).as_deref(), Some(oracle::EXPIRY));
    let lax = h.clone().require_exp(false);
    assert_eq!(raw_verdict(&t(c.clone()), &lax, Jwt), None);
    // Issuers.
    c["iss"] = json!("https://elsewhere.example");
    assert_eq!(
        raw_verdict(&t(c.clone()), &lax, Jwt).as_deref(),
        Some(oracle::CLAIMS)
    );
    c.as_object_mut().unwrap().remove("iss");
    assert_eq!(
        raw_verdict(&t(c.clone()), &lax, Jwt).as_deref(),
        Some(oracle::CLAIMS)
    );
    assert_eq!(
        raw_verdict(&t(c.clone()), &one.require_exp(false), Jwt),
        None
    );
    // The JWS profile does not look at claims.
    let mut expired = minimal_claims();
    expired["exp"] = json!(NOW - 1000);
    assert_eq!(raw_verdict(&t(expired.clone()), h, Jws), None);
    assert_eq!(
        raw_verdict(&t(expired), h, Jwt).as_deref(),
        Some(oracle::EXPIRY)
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
        let token = sign_jwt(&minimal_claims(), key).unwrap();
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
        assert_eq!(inv(&forged).as_deref(), Some(oracle::SOUND), "{kid}");
    }
    let attacker = fixture::attacker_keys().get("attacker-es256").unwrap();
    let token = sign_jwt(&minimal_claims(), attacker).unwrap();
    assert_eq!(inv(&token).as_deref(), Some(oracle::SOUND));
    assert_eq!(inv("a.b").as_deref(), Some(oracle::CANONICAL));
}

// The structured check reports fixture failures and disagreements
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
fn the_structured_check_reports_fixture_failures_and_disagreements() {
    use secfuzz::jwt::{JwtTarget, Profile};
    use secfuzz::Target;
    for profile in [Profile::Jwt, Profile::Jws] {
        let input = honest_input(0, profile);
        assert!(JwtTarget::check(&input).is_ok(), "{profile:?}");
        assert_eq!(
            JwtTarget::render(&input),
            input.built.token.clone().into_bytes()
        );
        // A trusted key failing to sign is a fixture violation.
        let mut broken = input.clone();
        broken.built.error = Some("key failed".into());
        let v = JwtTarget::check(&broken).unwrap_err();
        assert_eq!(
            (v.invariant.as_ref(), v.detail.as_str()),
            (oracle::FIXTURE, "key failed")
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
        assert_eq!(v.invariant, oracle::ROUNDTRIP, "{profile:?}: {v:?}");
    }
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
        // Every one of these tokens is refused by the fixture verifier.
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
    assert_eq!(
        blame(0, Signing::Signer, none.clone(), vec![]),
        oracle::NONE
    );
    // ... also when the token was then altered, so no trusted key signed it.
    assert_eq!(
        blame(
            0,
            Signing::Signer,
            none,
            vec![WireEdit::FlipSignatureBit(0, 0)]
        ),
        oracle::NONE
    );
    assert_eq!(
        blame(0, Signing::AlgNone(NoneSpelling::Lower), vec![], vec![]),
        oracle::NONE
    );
    assert_eq!(blame(0, Signing::Empty, vec![], vec![]), oracle::NONE);
    // Algorithm confusion: a public key as an HMAC secret, or a trusted
    // HMAC secret under another HMAC algorithm.
    assert_eq!(
        blame(
            3,
            Signing::HmacWithPublicKey(PublicTarget::Es256, PublicForm::JwkText, HsPick::HS256),
            vec![],
            vec![]
        ),
        oracle::ALG_CONFUSION
    );
    assert_eq!(
        blame(0, Signing::CrossAlgorithm(HsPick::HS384), vec![], vec![]),
        oracle::ALG_CONFUSION
    );
    // Re-encoded on the wire vs. altered on the wire.
    assert_eq!(
        blame(
            0,
            Signing::Signer,
            vec![],
            vec![WireEdit::Pad(SegPick::Signature, true)]
        ),
        oracle::CANONICAL
    );
    assert_eq!(
        blame(
            0,
            Signing::Signer,
            vec![],
            vec![WireEdit::FlipSignatureBit(0, 0)]
        ),
        oracle::TAMPER
    );
    assert_eq!(
        blame(
            0,
            Signing::Untrusted(AttackerKey::Hs256, ClaimedKid::Keep),
            vec![],
            vec![]
        ),
        oracle::SOUND
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
                    assert_eq!(r.invariant, oracle::EXPIRY, "{name} = {value}");
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
                assert_eq!(r.invariant, oracle::CRIT, "{form:?} ext={with_extension}");
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
    assert_eq!(v.invariant, oracle::ROUNDTRIP, "{v:?}");
    assert!(v.detail.contains("payload changed"), "{}", v.detail);
}

/// Issue 9: the raw oracle computed `now ± leeway` in `i64` (overflow) and
/// compared through `f64` (2^53), so it raised false alarms on correct
/// acceptances. It now compares the decimal text with the exact bound.
#[test]
fn the_raw_oracle_has_no_false_alarms_at_extreme_clocks() {
    let key = trusted("eddsa-0");
    let keys = || Jwks::new(vec![key.clone()]).unwrap();
    let t = |claims: &str| raw_token(r#"{"alg":"EdDSA","kid":"eddsa-0"}"#, claims, key);
    let cases = [
        (
            Verifier::new(keys()).leeway_nbf(1),
            i64::MAX,
            r#"{"exp":1e30,"nbf":1}"#,
        ),
        (
            Verifier::new(keys()).leeway_exp(1),
            i64::MIN,
            r#"{"exp":0}"#,
        ),
        (
            Verifier::new(keys()),
            9_007_199_254_740_995,
            r#"{"exp":9007199254740996}"#,
        ),
        (
            Verifier::new(keys()),
            1_700_000_000,
            r#"{"exp":1700000000.0000000001}"#,
        ),
        (
            Verifier::new(keys()).leeway_nbf(10),
            1_700_000_000,
            r#"{"exp":1e30,"nbf":1700000010.000,"iat":1700000060}"#,
        ),
    ];
    for (verifier, now, claims) in cases {
        let check = JwtCheck::new(verifier.clone(), Profile::Jwt, now);
        assert_eq!(
            check.check(t(claims).as_bytes()).map(|v| v.kind()),
            Ok("accepted"),
            "{claims} at {now}"
        );
        assert_eq!(
            oracle::judge_raw(t(claims).as_bytes(), &verifier, Profile::Jwt, now),
            Ok(()),
            "{claims} at {now}"
        );
    }
    // The exact model still flags wrong acceptances at the same edges.
    let v = Verifier::new(keys());
    for (now, claims) in [
        (9_007_199_254_740_996, r#"{"exp":9007199254740996}"#),
        (1_700_000_000, r#"{"exp":1e30,"nbf":1700000000.0000000001}"#),
        (1_700_000_000, r#"{"exp":1e30,"iat":1700000060.0000000001}"#),
        (i64::MIN, r#"{"exp":-9223372036854775808}"#),
    ] {
        let verdict = oracle::judge_raw(t(claims).as_bytes(), &v, Profile::Jwt, now);
        assert_eq!(
            verdict.err().map(|e| e.invariant.into_owned()).as_deref(),
            Some(oracle::EXPIRY),
            "{claims} at {now}"
        );
    }
    let limited = Verifier::new(keys()).max_lifetime(Some(60));
    let far = t(r#"{"exp":1700000061}"#);
    assert!(oracle::judge_raw(far.as_bytes(), &limited, Profile::Jwt, 1_700_000_000).is_err());
    let near = t(r#"{"exp":1700000060}"#);
    assert!(oracle::judge_raw(near.as_bytes(), &limited, Profile::Jwt, 1_700_000_000).is_ok());
}

#[test]
fn decimal_comparison_is_exact() {
    use std::cmp::Ordering::{Equal, Greater, Less};
    let cmp = oracle::cmp_decimal;
    assert_eq!(cmp("1700000000.0000000001", 1_700_000_000), Some(Greater));
    assert_eq!(cmp("1700000000.000", 1_700_000_000), Some(Equal));
    assert_eq!(cmp("1.7e9", 1_700_000_000), Some(Equal));
    assert_eq!(cmp("17E+8", 1_700_000_001), Some(Less));
    assert_eq!(cmp("-0.5", 0), Some(Less));
    assert_eq!(cmp("-0", 0), Some(Equal));
    assert_eq!(cmp("0.0e7", -1), Some(Greater));
    assert_eq!(cmp("-1e-400", -1), Some(Greater));
    assert_eq!(cmp("1e30", i128::from(i64::MAX) + 1), Some(Greater));
    assert_eq!(
        cmp("-9223372036854775809", i128::from(i64::MIN)),
        Some(Less)
    );
    assert_eq!(
        cmp("9007199254740996", 9_007_199_254_740_995),
        Some(Greater)
    );
    assert_eq!(cmp("1e99999999999999999999", i128::MAX), Some(Greater));
    assert_eq!(cmp("1e-99999999999999999999", 0), Some(Greater));
    assert_eq!(cmp("120", 12), Some(Greater));
    assert_eq!(cmp("12", 120), Some(Less));
    for bad in ["", "-", "1.", ".1", "1e", "e5", "x", "\"1\""] {
        assert_eq!(cmp(bad, 0), None, "{bad:?}");
    }
}

/// The raw oracle checks RSA signature ranges itself (with big integers):
/// handed an `s + n` twin or a leading-zero signature as if the verifier had
/// accepted it, it reports `jwt.canonical`.
#[test]
fn the_raw_oracle_checks_the_rsa_signature_range() {
    let key = trusted("ps256-0");
    let n = modulus("ps256-0");
    let mut seen = 0;
    for i in 0..24 {
        let mut claims = minimal_claims();
        claims["jti"] = json!(i.to_string());
        let token = sign_jwt(&claims, key).unwrap();
        let (input, sig) = token.rsplit_once('.').unwrap();
        let s = unb64(sig);
        assert_eq!(raw_verdict(&token, fixture::verifier(), Profile::Jwt), None);
        let plus_n = add_be(&s, &n);
        if plus_n.len() == n.len() {
            seen += 1;
        }
        for twin in [plus_n, [&[0u8][..], &s].concat()] {
            let forged = format!("{input}.{}", b64(&twin));
            assert_eq!(
                raw_verdict(&forged, fixture::verifier(), Profile::Jws).as_deref(),
                Some(oracle::CANONICAL)
            );
            assert!(oracle::judge_resigned(forged.as_bytes()).is_err());
        }
    }
    assert!(seen > 0);
    // And ECDSA high s under the low-s policy.
    let es = sign_jwt(&minimal_claims(), trusted("es256-0")).unwrap();
    let (input, sig) = es.rsplit_once('.').unwrap();
    let sig = unb64(sig);
    let high = p256::ecdsa::Signature::from_slice(&sig).unwrap();
    let (r, s) = high.split_scalars();
    let twin = p256::ecdsa::Signature::from_scalars(r, -*s).unwrap();
    let forged = format!("{input}.{}", b64(&twin.to_bytes()));
    assert_eq!(
        raw_verdict(&forged, fixture::verifier(), Profile::Jwt).as_deref(),
        Some(oracle::CANONICAL)
    );
    let lenient = Verifier::new(fixture::trusted_keys().clone()).audience(AUDIENCE);
    assert_eq!(raw_verdict(&forged, &lenient, Profile::Jwt), None);
}
