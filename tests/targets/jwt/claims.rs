//! Claims: the boundary rule `nbf - leeway_nbf <= now < exp + leeway_exp`,
//! registered claims of the wrong type, issuer and audience, the `Verifier`
//! builder and its accessors.

use super::*;
use secfuzz::jwt::fixture::{LEEWAY_EXP, LEEWAY_NBF};

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
            fixture_verify(&token).is_ok(),
            accepted,
            "exp {exp} nbf {nbf:?}"
        );
    }
    // Fractions round up: exp = now - leeway + 0.5 is still valid.
    let mut claims = good_claims();
    claims["exp"] = json!((NOW - i64::from(LEEWAY_EXP)) as f64 + 0.5);
    assert!(fixture_verify(&sign_jwt(&claims, key).unwrap()).is_ok());
    claims.as_object_mut().unwrap().remove("exp");
    assert_eq!(
        claims_err(&sign_jwt(&claims, key).unwrap()),
        ClaimsError::Missing {
            claim: "exp".into()
        }
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

#[test]
fn claims_accessors_and_error_context() {
    let mut claims = good_claims();
    claims["nbf"] = json!(NOW as f64 - 0.5);
    let jwt = fixture_verify(&sign_jwt(&claims, trusted("hs256-0")).unwrap()).unwrap();
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
    let mut claims = minimal_claims();
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

/// Issue 9: NumericDates are decided on their decimal text, not on their
/// `f64` rounding: `1700000000.0000000001` is after `1700000000`.
#[test]
fn boundaries_are_decided_exactly_on_the_decimal_text() {
    let key = trusted("hs256-0");
    let verifier = Verifier::new(Jwks::new(vec![key.clone()]).unwrap());
    let t = |claims: &str| raw_token(r#"{"alg":"HS256","kid":"hs256-0"}"#, claims, key);
    let now = 1_700_000_000;
    let verdict = |claims: &str| verifier.verify(t(claims).as_bytes(), now);
    // Not yet valid by 10^-10 s.
    assert!(matches!(
        verdict(r#"{"exp":1800000000,"nbf":1700000000.0000000001}"#),
        Err(VerifyError::Claims(ClaimsError::NotYetValid {
            nbf: 1_700_000_001,
            ..
        }))
    ));
    assert!(verdict(r#"{"exp":1800000000,"nbf":1700000000.0000000000}"#).is_ok());
    assert!(verdict(r#"{"exp":1800000000,"nbf":17000000000000000000e-10}"#).is_ok());
    // Still valid by 10^-10 s.
    let jwt = verdict(r#"{"exp":1700000000.0000000001}"#).unwrap();
    assert_eq!(jwt.claims.exp(), Some(1_700_000_001));
    assert!(verdict(r#"{"exp":1700000000.0}"#).is_err());
    // Beyond 2^53 integers stay exact.
    let big = 9_007_199_254_740_995;
    assert!(verifier
        .verify(t(r#"{"exp":9007199254740996}"#).as_bytes(), big)
        .is_ok());
    assert!(verifier
        .verify(t(r#"{"exp":9007199254740995}"#).as_bytes(), big)
        .is_err());
}

/// `iat` in the future is refused beyond the skew (default 60 s); the
/// maximum lifetime (off by default) bounds `exp - now`.
#[test]
fn iat_skew_and_maximum_lifetime() {
    let key = trusted("hs256-0");
    let keys = || Jwks::new(vec![key.clone()]).unwrap();
    let t = |claims: &str| raw_token(r#"{"alg":"HS256","kid":"hs256-0"}"#, claims, key);
    let now = 1_700_000_000;
    let default = Verifier::new(keys());
    assert_eq!(default.iat_skew(), Some(secfuzz::jwt::DEFAULT_MAX_IAT_SKEW));
    assert_eq!(default.iat_skew(), Some(60));
    assert_eq!(default.lifetime_limit(), None);
    assert!(default
        .verify(t(r#"{"exp":1e308,"iat":1700000060}"#).as_bytes(), now)
        .is_ok());
    let err = default
        .verify(t(r#"{"exp":1e308,"iat":1700000060.5}"#).as_bytes(), now)
        .unwrap_err();
    assert_eq!(
        err,
        VerifyError::Claims(ClaimsError::IssuedInFuture {
            iat: 1_700_000_061,
            now,
            skew: 60
        })
    );
    assert!(err.to_string().contains("issued in the future"), "{err}");
    let unchecked = Verifier::new(keys()).max_iat_skew(None);
    assert!(unchecked
        .verify(t(r#"{"exp":1e308,"iat":1e300}"#).as_bytes(), now)
        .is_ok());
    let zero = Verifier::new(keys()).max_iat_skew(Some(0));
    assert!(zero
        .verify(t(r#"{"exp":1e308,"iat":1700000001}"#).as_bytes(), now)
        .is_err());
    assert!(zero
        .verify(t(r#"{"exp":1e308,"iat":1700000000}"#).as_bytes(), now)
        .is_ok());

    let limited = Verifier::new(keys()).max_lifetime(Some(3600));
    assert_eq!(limited.lifetime_limit(), Some(3600));
    assert!(limited
        .verify(t(r#"{"exp":1700003600}"#).as_bytes(), now)
        .is_ok());
    let err = limited
        .verify(t(r#"{"exp":1e308}"#).as_bytes(), now)
        .unwrap_err();
    assert!(matches!(
        err,
        VerifyError::Claims(ClaimsError::LifetimeTooLong { max: 3600, .. })
    ));
    assert!(err.to_string().contains("lifetime"), "{err}");
    assert!(limited
        .verify(t(r#"{"exp":1700003600.001}"#).as_bytes(), now)
        .is_err());
    // A lifetime limit requires exp, even when exp is otherwise optional.
    let no_exp = Verifier::new(keys())
        .require_exp(false)
        .max_lifetime(Some(3600));
    assert!(no_exp.requires_exp());
    assert!(no_exp.verify(t(r#"{"sub":"x"}"#).as_bytes(), now).is_err());
    assert!(Verifier::new(keys())
        .require_exp(false)
        .verify(t(r#"{"sub":"x"}"#).as_bytes(), now)
        .is_ok());
}

/// Near misses of the accepted issuer and audience — every prefix, an
/// extension of each kind, each character's case and fullwidth form, an
/// invisible inserted anywhere — honestly signed, alone and in an `aud`
/// array: each is refused by an exact comparison.
#[test]
fn near_misses_of_the_accepted_issuer_and_audience_are_refused() {
    use secfuzz::jwt::gen::{near_miss, Extension, Invisible, NearMiss};
    let key = trusted("es256-0");
    let mut misses = Vec::new();
    for n in 0..=u8::MAX {
        misses.extend([
            NearMiss::Prefix(n),
            NearMiss::CaseFlip(n),
            NearMiss::Fullwidth(n),
        ]);
        for i in [
            Invisible::ZeroWidthSpace,
            Invisible::ZeroWidthJoiner,
            Invisible::NoBreakSpace,
            Invisible::SoftHyphen,
            Invisible::Tab,
        ] {
            misses.push(NearMiss::Insert(i, n));
        }
    }
    for e in [
        Extension::DashEvil,
        Extension::DotAttacker,
        Extension::Space,
        Extension::Slash,
        Extension::Nul,
        Extension::Letter,
        Extension::Itself,
    ] {
        misses.push(NearMiss::Extend(e));
    }
    let mut checked = std::collections::BTreeSet::new();
    for m in misses {
        let aud = near_miss(AUDIENCE, m);
        let iss = near_miss(ISSUER, m);
        if !checked.insert((aud.clone(), iss.clone())) {
            continue;
        }
        assert_ne!(aud, AUDIENCE, "{m:?}");
        assert_ne!(iss, ISSUER, "{m:?}");
        let mut claims = good_claims();
        for value in [json!(aud), json!(["other-api", aud])] {
            claims["aud"] = value;
            let token = sign_jwt(&claims, key).unwrap();
            assert!(
                matches!(claims_err(&token), ClaimsError::Audience),
                "aud {:?} ({m:?})",
                claims["aud"]
            );
        }
        let mut claims = good_claims();
        claims["iss"] = json!(iss);
        let token = sign_jwt(&claims, key).unwrap();
        assert!(
            matches!(claims_err(&token), ClaimsError::Issuer { .. }),
            "iss {iss:?} ({m:?})"
        );
    }
    assert!(checked.len() > 100, "{}", checked.len());
}
