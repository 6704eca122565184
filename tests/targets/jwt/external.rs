//! Tokens made by another implementation (Python `cryptography`, by
//! `tests/data/jwt/make_tokens.py`) with the fixture's keys: randomized PSS
//! salts and ECDSA nonces, RSA `s + n` twins, exact NumericDate boundaries.
//! Each line's expected verdict holds, and no valid one is a violation.

use super::*;
use secfuzz::jwt::oracle;
use secfuzz::jwt::JwtCheck;
use secfuzz::Verdict;

#[test]
fn external_tokens_get_their_expected_verdicts_without_false_alarms() {
    let tokens = external_tokens();
    assert!(tokens.len() >= 20);
    let check = JwtCheck::fixture();
    for (token, expect, case) in &tokens {
        let verdict = check.check(token.as_bytes());
        let verdict = match verdict {
            Ok(v) => v,
            Err(v) => panic!("{case}: violation {}: {}", v.invariant, v.detail),
        };
        assert_eq!(verdict.kind(), expect, "{case}: {verdict:?}");
        if let Verdict::Accepted { .. } = verdict {
            // The fixture path's extra oracle: the signature is the trusted
            // key's (verified, not re-signed, for PS256 and ES*).
            oracle::judge_resigned(token.as_bytes())
                .unwrap_or_else(|v| panic!("{case}: {}: {}", v.invariant, v.detail));
        }
    }
}

/// Randomized ECDSA from another implementation: re-signing cannot reproduce
/// its bytes, so the re-signing oracle must verify it instead.
#[test]
fn the_resigning_oracle_verifies_randomized_ecdsa_and_pss() {
    let randomized: Vec<_> = external_tokens()
        .into_iter()
        .filter(|(_, expect, case)| {
            expect == "accepted" && (case.starts_with("es") || case.starts_with("ps"))
        })
        .collect();
    assert!(randomized.len() >= 8, "{randomized:?}");
    for (token, _, case) in randomized {
        if let Err(v) = oracle::judge_resigned(token.as_bytes()) {
            panic!("{case}: {}: {}", v.invariant, v.detail);
        }
    }
}

/// The same tokens against the public key set an operator would deploy
/// (`--jwks`): the RSA twins are refused there too, for the signature range.
#[test]
fn external_rsa_twins_are_refused_with_a_public_key_set() {
    let verifier = Verifier::new(public_set())
        .issuer(ISSUER)
        .audience(AUDIENCE);
    for (token, _, case) in external_tokens() {
        if case.contains("s + n") || case.contains("leading zero") {
            let err = verifier.verify(token.as_bytes(), NOW).unwrap_err();
            assert!(
                matches!(err, VerifyError::Jws(JwsError::SignatureRange { .. })),
                "{case}: {err}"
            );
            assert!(err.to_string().contains("range"), "{err}");
            assert!(verifier.verify_jws(token.as_bytes()).is_err(), "{case}");
        }
    }
}
