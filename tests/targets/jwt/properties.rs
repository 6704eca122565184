//! proptest properties: the main property every target runs, and targeted
//! properties over parts of the attack grammar, the boundary rule, claim
//! types, round trips and key-set loading; and the generator's coverage of
//! every verdict.

use super::*;
use proptest::prelude::*;
use secfuzz::harness::{decode, inputs, proptest_config};
use secfuzz::jwt::gen::{
    AttackerKey, ClaimEdit, HeaderEdit, HsPick, NoneSpelling, Plan, PublicForm, PublicTarget,
    Signing, TrustedKey, WireEdit,
};
use secfuzz::jwt::oracle;
use secfuzz::jwt::{JwtInput, JwtTarget};
use secfuzz::Target;

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

/// The main property, the same one every target runs: every generated input
/// holds every invariant, on the structured path ([`JwtTarget::check`]) and
/// on the raw-payload path (`check_payload` of the rendered token).
///
/// Corpus entries and promoted regressions are replayed by the generic
/// corpus test (`tests/corpus.rs`). `corpora/regressions/jwt/`:
/// * `cross-algorithm-with-its-own-algorithm` — a generator bug found by
///   this property: a "cross-algorithm" signing that picked the key's own
///   HMAC algorithm was an honest signing, yet the oracle called its
///   acceptance `jwt.alg_confusion`. Cross-algorithm signing now always
///   picks another algorithm.
#[test]
fn every_generated_input_holds_every_invariant() {
    secfuzz::harness::property::<JwtTarget>(1000)
}

proptest! {
    #![proptest_config(proptest_config(1000, "proptest-regressions/jwt.txt"))]

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
        let jwt = fixture_verify(&token).map_err(fail)?;
        prop_assert_eq!(Value::Object(jwt.claims.into_map()), claims);
    }

    /// Random bytes are never accepted, and never break the raw oracle.
    #[test]
    fn random_payloads_are_rejected(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        let verdict = JwtTarget::check_payload(&bytes).map_err(fail)?;
        prop_assert_eq!(verdict.kind(), "rejected");
    }

    /// Key sets with one defect are refused with the matching error; the
    /// same sets without the defect load. The sets mix HMAC secrets with
    /// public keys, so they load through the private-set opt-in; defect 9 is
    /// loading them as an operator's set, which refuses the mix.
    #[test]
    fn key_set_refusal(defect in 0u8..10, order in any::<u64>(), extra_member in any::<bool>()) {
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
            9 => |e| matches!(e, KeyError::MixedSymmetric { .. }),
            _ => { keys[victim].insert("kid".into(), json!(7)); |e| matches!(e, KeyError::MemberType { member: "kid", .. }) }
        };
        keys.rotate_left((order % 6) as usize);
        let loaded = if defect == 9 {
            set_of(keys)
        } else {
            let keys: Vec<Value> = keys.into_iter().map(Value::Object).collect();
            Jwks::from_json_allow_mixed(&json!({ "keys": keys }).to_string())
        };
        match loaded {
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
        if matches!(inv.id, oracle::ROUNDTRIP | oracle::FIXTURE) {
            continue;
        }
        assert!(
            tally.contains_key(inv.id),
            "{} never generated: {tally:?}",
            inv.id
        );
    }
}
