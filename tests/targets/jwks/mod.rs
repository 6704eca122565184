//! The jwks target: the generic property, a weak set for each hygiene rule
//! refused, the fixture's sets loaded, and the oracle catching each broken
//! rule when handed a text that disagrees with the loaded set.

use secfuzz::jwks::gen::{
    B64Form, BitsEdge, Coord, CrvName, EdPoint, ExponentValue, Form, JwksPlan, KeyEdit, KeyPlan,
    KidEdit, ModulusEdit, OpName, PointEdit, PrivateEdit, SecretLen, SetEdit, SizeEdge, Source,
    Spelling, Tail, UseName, WrongType,
};
use secfuzz::jwks::{load, oracle, JwksError, JwksInput, JwksTarget, LoadPolicy};
use secfuzz::jwt::{fixture, Algorithm, Jwks, Key, KeyError};
use secfuzz::Target;

/// Every generated input holds every invariant, on the structured path and
/// on the raw-payload path of its rendered set.
#[test]
fn every_generated_input_holds_every_invariant() {
    secfuzz::harness::property::<JwksTarget>(1000)
}

fn one(source: Source, form: Form, edits: Vec<KeyEdit>) -> JwksInput {
    JwksInput::new(
        JwksPlan::Set {
            keys: vec![KeyPlan {
                source,
                form,
                edits,
            }],
            edits: vec![],
        },
        LoadPolicy::default(),
    )
}

fn loads(input: &JwksInput) -> Result<Jwks, JwksError> {
    JwksTarget::check(input).unwrap_or_else(|v| panic!("{v}\n{input:#?}"));
    load(input.payload(), input.policy())
}

fn refused(input: JwksInput) -> KeyError {
    match loads(&input) {
        Err(JwksError::Key(e)) => e,
        other => panic!("expected a key error, got {other:?}\n{input:#?}"),
    }
}

#[test]
fn the_fixture_sets_load() {
    for input in secfuzz::jwks::gen::fixture_sets() {
        let set = loads(&input).unwrap_or_else(|e| panic!("{e}\n{input:#?}"));
        assert_eq!(set.keys().len(), 5);
    }
    // The committed trusted set holds HMAC secrets next to asymmetric keys:
    // refused as a JWK Set, loaded only through the allow-mixed opt-in.
    assert!(matches!(
        load(fixture::TRUSTED_JWKS.as_bytes(), LoadPolicy::default()),
        Err(JwksError::Key(KeyError::MixedSymmetric { .. }))
    ));
    assert!(Jwks::from_json_allow_mixed(fixture::TRUSTED_JWKS).is_ok());
    assert!(matches!(
        load(fixture::ATTACKER_JWKS.as_bytes(), LoadPolicy::default()),
        Err(JwksError::Key(KeyError::MixedSymmetric { .. }))
    ));
    assert!(Jwks::from_json_allow_mixed(fixture::ATTACKER_JWKS).is_ok());
    // Every fixture key loads on its own, public and private.
    for source in [
        Source::Hs256,
        Source::Hs384,
        Source::Hs512,
        Source::Es256,
        Source::Es384,
        Source::EdDSA,
        Source::Rs256,
        Source::Ps256,
        Source::AttackerHs256,
        Source::AttackerEs256,
        Source::AttackerEdDSA,
        Source::AttackerRs256,
        Source::Es512,
    ] {
        for form in [Form::Public, Form::Private] {
            let input = one(source, form, vec![]);
            assert!(loads(&input).is_ok(), "{input:#?}");
        }
    }
}

#[test]
fn rsa_moduli_outside_the_limits_are_refused() {
    for edge in [
        BitsEdge::B1,
        BitsEdge::B512,
        BitsEdge::B1024,
        BitsEdge::B2047,
        BitsEdge::B4097,
        BitsEdge::B8192,
    ] {
        let e = refused(one(
            Source::Rs256,
            Form::Public,
            vec![KeyEdit::Modulus(ModulusEdit::Bits(edge))],
        ));
        assert!(
            matches!(e, KeyError::RsaModulusSize { .. }),
            "{edge:?}: {e}"
        );
    }
    for edit in [
        ModulusEdit::Empty,
        ModulusEdit::Truncate(0),
        ModulusEdit::Even,
    ] {
        refused(one(
            Source::Rs256,
            Form::Public,
            vec![KeyEdit::Modulus(edit)],
        ));
    }
    // At the limits: the size rule passes (a random odd modulus may still be
    // refused for other reasons, never for its size).
    for edge in [BitsEdge::B2048, BitsEdge::B4096] {
        let input = one(
            Source::Rs256,
            Form::Public,
            vec![KeyEdit::Modulus(ModulusEdit::Bits(edge))],
        );
        if let Err(JwksError::Key(e)) = loads(&input) {
            assert!(
                !matches!(e, KeyError::RsaModulusSize { .. }),
                "{edge:?}: {e}"
            );
        }
    }
}

#[test]
fn weak_rsa_exponents_are_refused() {
    for e in [
        ExponentValue::Empty,
        ExponentValue::Zero,
        ExponentValue::One,
        ExponentValue::Three,
        ExponentValue::Seventeen,
        ExponentValue::F4Minus2,
        ExponentValue::F4Minus1,
        ExponentValue::Even,
        ExponentValue::TwoPow33Plus1,
        ExponentValue::NineBytes,
    ] {
        refused(one(Source::Rs256, Form::Public, vec![KeyEdit::Exponent(e)]));
    }
    for e in [
        ExponentValue::F4Plus2,
        ExponentValue::TwoPow32Plus1,
        ExponentValue::TwoPow33Minus1,
    ] {
        let input = one(Source::Rs256, Form::Public, vec![KeyEdit::Exponent(e)]);
        assert!(loads(&input).is_ok(), "{e:?}");
    }
}

#[test]
fn points_off_the_curve_and_small_order_points_are_refused() {
    for edit in [
        PointEdit::FlipBit(Coord::Y, 3),
        PointEdit::FlipBit(Coord::X, 200),
        PointEdit::Truncate(Coord::X),
        PointEdit::Extend(Coord::Y),
        PointEdit::LeadingZero(Coord::X),
        PointEdit::Zero,
        PointEdit::SwapXY,
        PointEdit::OtherCurve,
    ] {
        for source in [Source::Es256, Source::Es384] {
            let e = refused(one(source, Form::Public, vec![KeyEdit::Point(edit)]));
            assert!(
                matches!(e, KeyError::InvalidPoint { .. }),
                "{source:?} {edit:?}: {e}"
            );
        }
    }
    for p in [
        EdPoint::Identity,
        EdPoint::Order2,
        EdPoint::Order4,
        EdPoint::Order8a,
        EdPoint::Order8b,
    ] {
        let e = refused(one(
            Source::EdDSA,
            Form::Public,
            vec![KeyEdit::Point(PointEdit::Ed(p))],
        ));
        assert!(matches!(e, KeyError::InvalidPoint { .. }), "{p:?}: {e}");
    }
    // The curve must be the algorithm's, spelled exactly.
    for (crv, spelling) in [
        (CrvName::P384, Spelling::Exact),
        (CrvName::P256, Spelling::Lower),
        (CrvName::P256, Spelling::Extend(Tail::Space)),
        (CrvName::P256, Spelling::Prefix(3)),
        (CrvName::Secp256k1, Spelling::Exact),
    ] {
        let e = refused(one(
            Source::Es256,
            Form::Public,
            vec![KeyEdit::Crv(crv, spelling)],
        ));
        assert!(matches!(e, KeyError::CurveMismatch { .. }), "{e}");
    }
}

#[test]
fn short_hmac_secrets_are_refused_and_the_hash_length_is_enough() {
    for (source, short, enough) in [
        (Source::Hs256, SecretLen::L31, SecretLen::L32),
        (Source::Hs384, SecretLen::L47, SecretLen::L48),
        (Source::Hs512, SecretLen::L63, SecretLen::L64),
    ] {
        for len in [SecretLen::L0, SecretLen::L1, short] {
            let e = refused(one(source, Form::Private, vec![KeyEdit::Secret(len)]));
            assert!(matches!(e, KeyError::HmacSecretTooShort { .. }), "{e}");
        }
        assert!(loads(&one(source, Form::Private, vec![KeyEdit::Secret(enough)])).is_ok());
    }
}

#[test]
fn ambiguous_sets_are_refused() {
    let pair = |a: KeyPlan, b: KeyPlan, edits: Vec<SetEdit>| {
        JwksInput::new(
            JwksPlan::Set {
                keys: vec![a, b],
                edits,
            },
            LoadPolicy::default(),
        )
    };
    let key = |source, form, edits| KeyPlan {
        source,
        form,
        edits,
    };
    // Duplicate kid, by repetition and by edit.
    let e = refused(pair(
        key(Source::Hs256, Form::Private, vec![]),
        key(Source::Hs384, Form::Private, vec![]),
        vec![SetEdit::RepeatKey(0)],
    ));
    assert!(matches!(e, KeyError::DuplicateKid { .. }), "{e}");
    let e = refused(pair(
        key(Source::Hs256, Form::Private, vec![]),
        key(
            Source::Hs384,
            Form::Private,
            vec![KeyEdit::Kid(KidEdit::SameAs(0))],
        ),
        vec![],
    ));
    assert!(matches!(e, KeyError::DuplicateKid { .. }), "{e}");
    // A key without kid among several.
    let e = refused(pair(
        key(Source::Hs256, Form::Private, vec![]),
        key(
            Source::Hs384,
            Form::Private,
            vec![KeyEdit::Drop(secfuzz::jwks::gen::Member::Kid)],
        ),
        vec![],
    ));
    assert!(matches!(e, KeyError::MissingKid { .. }), "{e}");
    // Public and private asymmetric keys mixed.
    let e = refused(pair(
        key(Source::Es256, Form::Public, vec![]),
        key(Source::EdDSA, Form::Private, vec![]),
        vec![],
    ));
    assert!(matches!(e, KeyError::MixedPublicPrivate), "{e}");
    // Near misses of a kid are other kids: no ambiguity.
    let input = pair(
        key(Source::Hs256, Form::Private, vec![]),
        key(
            Source::Hs384,
            Form::Private,
            vec![KeyEdit::Kid(KidEdit::Spelled(Spelling::Upper))],
        ),
        vec![],
    );
    assert!(loads(&input).is_ok());
}

#[test]
fn keys_not_bound_to_one_signature_algorithm_are_refused() {
    use secfuzz::jwks::gen::{AlgName, KtyName, Member};
    let refusals = [
        vec![KeyEdit::Drop(Member::Alg)],
        vec![KeyEdit::Alg(AlgName("HS256"), Spelling::Exact)],
        vec![KeyEdit::Alg(AlgName("RS256"), Spelling::Lower)],
        vec![KeyEdit::Alg(AlgName("RS256"), Spelling::Extend(Tail::Nul))],
        vec![KeyEdit::Alg(AlgName("none"), Spelling::Exact)],
        vec![KeyEdit::Kty(KtyName::Oct, Spelling::Exact)],
        vec![KeyEdit::Kty(KtyName::Rsa, Spelling::Lower)],
        vec![KeyEdit::Use(UseName::Enc, Spelling::Exact)],
        vec![KeyEdit::Use(UseName::Sig, Spelling::Upper)],
        vec![KeyEdit::Use(UseName::Sig, Spelling::Prefix(2))],
        vec![KeyEdit::KeyOps(vec![(OpName::Encrypt, Spelling::Exact)])],
        vec![KeyEdit::KeyOps(vec![(
            OpName::Verify,
            Spelling::ToggleCase(0),
        )])],
        vec![KeyEdit::KeyOps(vec![
            (OpName::Verify, Spelling::Exact),
            (OpName::Verify, Spelling::Exact),
        ])],
        vec![KeyEdit::Retype(Member::Kid, WrongType::Number(7))],
        vec![KeyEdit::Retype(Member::E, WrongType::Array)],
        vec![KeyEdit::Reencode(Member::N, B64Form::Padded)],
        vec![KeyEdit::Reencode(Member::N, B64Form::Standard)],
        vec![KeyEdit::Reencode(Member::E, B64Form::JsonNumber)],
        vec![KeyEdit::Reencode(Member::E, B64Form::DecimalString)],
        vec![KeyEdit::Reencode(Member::N, B64Form::LeadingZero)],
        vec![KeyEdit::Duplicate(Member::Alg)],
        vec![KeyEdit::Oth],
    ];
    for edits in refusals {
        refused(one(Source::Rs256, Form::Public, edits));
    }
    for ok in [
        vec![KeyEdit::Use(UseName::Sig, Spelling::Exact)],
        vec![KeyEdit::KeyOps(vec![(OpName::Verify, Spelling::Exact)])],
        vec![KeyEdit::Extra],
    ] {
        assert!(loads(&one(Source::Rs256, Form::Public, ok)).is_ok());
    }
}

#[test]
fn private_parts_must_match_the_public_parts() {
    for (source, edit) in [
        (Source::Es256, PrivateEdit::FlipD(5)),
        (Source::Es256, PrivateEdit::OtherD),
        (Source::Es512, PrivateEdit::FlipD(5)),
        (Source::Es512, PrivateEdit::OtherD),
        (Source::EdDSA, PrivateEdit::OtherD),
        (Source::Rs256, PrivateEdit::DropQ),
        (Source::Rs256, PrivateEdit::FlipP(9)),
    ] {
        refused(one(source, Form::Private, vec![KeyEdit::Private(edit)]));
    }
}

#[test]
fn malformed_and_oversized_sets_are_refused() {
    let set = |edits: Vec<SetEdit>| {
        JwksInput::new(
            JwksPlan::Set {
                keys: vec![KeyPlan {
                    source: Source::Hs256,
                    form: Form::Private,
                    edits: vec![],
                }],
                edits,
            },
            LoadPolicy::default(),
        )
    };
    for edits in [
        vec![SetEdit::NoKeys],
        vec![SetEdit::EmptyKeys],
        vec![SetEdit::KeysNotArray(WrongType::Object)],
        vec![SetEdit::DuplicateKeys],
        vec![SetEdit::NestKey(0, 0)],
        vec![SetEdit::NestSet],
        vec![SetEdit::DeepNesting(255)],
        vec![SetEdit::TopLevelArray],
        vec![SetEdit::TrailingGarbage],
        vec![SetEdit::Bom],
        vec![SetEdit::ManyKeys(secfuzz::jwks::gen::ManyEdge::AboveMax)],
        vec![SetEdit::Size(SizeEdge::AboveMax)],
    ] {
        let input = set(edits.clone());
        assert!(loads(&input).is_err(), "{edits:?}");
    }
    let utf8 = set(vec![SetEdit::InvalidUtf8]);
    assert!(matches!(loads(&utf8), Err(JwksError::NotUtf8 { .. })));
    // At the limits: accepted.
    for edits in [
        vec![SetEdit::ManyKeys(secfuzz::jwks::gen::ManyEdge::Max)],
        vec![SetEdit::Size(SizeEdge::Max)],
        vec![SetEdit::ExtraTop],
    ] {
        assert!(loads(&set(edits.clone())).is_ok(), "{edits:?}");
    }
}

#[test]
fn public_only_refuses_signing_material() {
    let policy = LoadPolicy { public_only: true };
    for (source, form) in [
        (Source::Hs256, Form::Private),
        (Source::Es256, Form::Private),
    ] {
        let input = JwksInput::new(
            JwksPlan::Set {
                keys: vec![KeyPlan {
                    source,
                    form,
                    edits: vec![],
                }],
                edits: vec![],
            },
            policy,
        );
        assert!(matches!(
            loads(&input),
            Err(JwksError::SigningMaterial { .. })
        ));
    }
    let options =
        secfuzz::options::Options::parse_assignments(secfuzz::jwks::OPTIONS, ["public-only"])
            .unwrap();
    let checker = JwksTarget::checker(&options).unwrap();
    let verdict = checker.check(fixture::TRUSTED_JWKS.as_bytes()).unwrap();
    assert_eq!(verdict.kind(), "rejected");
}

/// The oracle judges the text, not the loader: handed a loaded set and a
/// text that breaks a rule, it names that rule.
#[test]
fn the_oracle_flags_each_broken_rule() {
    let hmac = Key::hmac(Algorithm::HS256, &[7; 32]).unwrap().with_kid("a");
    let set = Ok(Jwks::new(vec![hmac.clone()]).unwrap());
    let judge = |text: &str, policy| {
        oracle::judge(text.as_bytes(), policy, &set)
            .err()
            .map(|v| v.invariant.into_owned())
    };
    let k32 = "BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc";
    let good = format!(r#"{{"keys":[{{"kty":"oct","kid":"a","alg":"HS256","k":"{k32}"}}]}}"#);
    assert_eq!(judge(&good, LoadPolicy::default()), None);
    assert_eq!(
        judge(&good, LoadPolicy { public_only: true }).as_deref(),
        Some(oracle::PUBLIC_ONLY)
    );
    let short = r#"{"keys":[{"kty":"oct","kid":"a","alg":"HS256","k":"BwcH"}]}"#;
    assert_eq!(
        judge(short, LoadPolicy::default()).as_deref(),
        Some(oracle::HMAC_LENGTH)
    );
    let wrong_alg = format!(r#"{{"keys":[{{"kty":"oct","kid":"a","alg":"HS384","k":"{k32}"}}]}}"#);
    assert_eq!(
        judge(&wrong_alg, LoadPolicy::default()).as_deref(),
        Some(oracle::BOUND)
    );
    let enc =
        format!(r#"{{"keys":[{{"kty":"oct","kid":"a","alg":"HS256","use":"enc","k":"{k32}"}}]}}"#);
    assert_eq!(
        judge(&enc, LoadPolicy::default()).as_deref(),
        Some(oracle::BOUND)
    );
    let two = format!(
        r#"{{"keys":[{{"kty":"oct","kid":"a","alg":"HS256","k":"{k32}"}},{{"kty":"oct","kid":"a","alg":"HS256","k":"{k32}"}}]}}"#
    );
    // The loader refuses duplicate kids itself, so a loaded set never
    // carries one: a text naming another kid than the loaded key is a
    // binding violation, and the set rule is checked on its own.
    let set2 = Ok(Jwks::new(vec![hmac.clone(), hmac.clone().with_kid("b")]).unwrap());
    assert_eq!(
        oracle::judge(two.as_bytes(), LoadPolicy::default(), &set2)
            .unwrap_err()
            .invariant,
        oracle::BOUND
    );
    let doc: serde_json::Value = serde_json::from_str(&two).unwrap();
    let jwks: Vec<_> = doc["keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k.as_object().unwrap())
        .collect();
    let views: Vec<_> = jwks
        .iter()
        .map(|jwk| oracle::JwkView { jwk, key: &hmac })
        .collect();
    let (_, unique) = oracle::SET_RULES
        .iter()
        .find(|(id, _)| *id == oracle::UNIQUE_KID)
        .unwrap();
    assert!(unique(&views, LoadPolicy::default()).is_err());
    assert_eq!(
        judge("[]", LoadPolicy::default()).as_deref(),
        Some(oracle::WELL_FORMED)
    );
    // Found by the first libFuzzer run of this target, an oracle bug: a `d`
    // member on an `oct` key is an unknown member (the loader ignores it),
    // not a private part the oracle must decode.
    let stray_d =
        format!(r#"{{"keys":[{{"kty":"oct","kid":"a","alg":"HS256","k":"{k32}","d":null}}]}}"#);
    assert_eq!(judge(&stray_d, LoadPolicy::default()), None);
    // A refusal is never a violation.
    assert!(oracle::judge(b"{}", LoadPolicy::default(), &Err(KeyError::Empty.into())).is_ok());
}

/// Found by this target's property on its first run: an RSA private JWK
/// whose `d` is empty (or zero) and has no `p`/`q` made the backend recover
/// the primes from `e·d − 1`, an unsigned underflow that panicked inside
/// `rsa::RsaPrivateKey::from_components`. `d = 0` is now refused first.
/// `corpora/regressions/jwks/rsa-private-key-with-empty-d` is the shrunk
/// input, replayed by the corpus test.
#[test]
fn an_rsa_private_key_with_a_zero_d_is_refused_not_a_panic() {
    let doc: serde_json::Value = serde_json::from_str(fixture::TRUSTED_JWKS).unwrap();
    let rsa = doc["keys"][6].as_object().unwrap();
    for d in ["", "AA", "AAAA"] {
        let mut jwk = serde_json::Map::new();
        for m in ["kty", "kid", "alg", "n", "e"] {
            jwk.insert(m.into(), rsa[m].clone());
        }
        jwk.insert("d".into(), d.into());
        let text = serde_json::json!({ "keys": [jwk] }).to_string();
        let e = Jwks::from_json(&text).unwrap_err();
        assert!(
            matches!(e, KeyError::InvalidPrivateKey { .. }),
            "{d:?}: {e}"
        );
    }
    let n = [0xff; 256];
    assert!(Key::rsa_private(Algorithm::RS256, &n, &[1, 0, 1], &[], None).is_err());
    let bytes = std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("corpora/regressions/jwks/rsa-private-key-with-empty-d"),
    )
    .unwrap();
    let input = secfuzz::harness::decode::<JwksTarget>(&bytes).unwrap();
    assert!(input.payload().ends_with(br#""d":""}]}"#), "{input:#?}");
    assert!(JwksTarget::check(&input).is_ok());
}

/// Moduli of the right size with one small prime factor, on both sides of
/// the trial-division bound's near misses (3, 97, 101, 9973): refused with
/// the factor named, and the oracle's own trial division finds it too.
#[test]
fn rsa_moduli_with_small_factors_are_refused() {
    let primes = secfuzz::jwks::gen::small_primes();
    for p in [3u32, 97, 101, 1009, 9973] {
        let pick = primes.iter().position(|&q| q == p).unwrap() as u16;
        let input = one(
            Source::Rs256,
            Form::Public,
            vec![KeyEdit::Modulus(ModulusEdit::SmallFactor(pick))],
        );
        match refused(input) {
            KeyError::RsaSmallFactor { factor, .. } => assert_eq!(factor, p),
            other => panic!("{p}: {other}"),
        }
    }
}

/// The set rules the loader gained (HMAC next to asymmetric keys, one
/// material under two algorithms, a secret equal to a public key) are
/// checked by the oracle on its own reading of the text.
#[test]
fn the_oracle_checks_the_new_set_rules() {
    let hmac = Key::hmac(Algorithm::HS256, &[7; 32]).unwrap().with_kid("a");
    let rule = |id: &str, text: &str| {
        let doc: serde_json::Value = serde_json::from_str(text).unwrap();
        let jwks: Vec<_> = doc["keys"]
            .as_array()
            .unwrap()
            .iter()
            .map(|k| k.as_object().unwrap())
            .collect();
        let views: Vec<_> = jwks
            .iter()
            .map(|jwk| oracle::JwkView { jwk, key: &hmac })
            .collect();
        oracle::SET_RULES
            .iter()
            .filter(|(i, _)| *i == id)
            .any(|(_, r)| r(&views, LoadPolicy::default()).is_err())
    };
    let x = "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo";
    let ed = format!(r#"{{"kty":"OKP","crv":"Ed25519","alg":"EdDSA","kid":"e","x":"{x}"}}"#);
    let secret =
        |k: &str, alg: &str| format!(r#"{{"kty":"oct","alg":"{alg}","kid":"s","k":"{k}"}}"#);
    let k32 = "BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc";
    let set = |a: &str, b: &str| format!(r#"{{"keys":[{a},{b}]}}"#);
    assert!(rule(
        oracle::SYMMETRIC_APART,
        &set(&secret(k32, "HS256"), &ed)
    ));
    assert!(!rule(
        oracle::SYMMETRIC_APART,
        &set(&secret(k32, "HS256"), &secret(k32, "HS384"))
    ));
    assert!(rule(
        oracle::DISTINCT_MATERIAL,
        &set(&secret(k32, "HS256"), &secret(k32, "HS384"))
    ));
    assert!(!rule(
        oracle::DISTINCT_MATERIAL,
        &set(&secret(k32, "HS256"), &secret(k32, "HS256"))
    ));
    // The secret is the Ed25519 key's x, raw.
    assert!(rule(
        oracle::DISTINCT_MATERIAL,
        &set(&secret(x, "HS256"), &ed)
    ));
}
