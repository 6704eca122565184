//! Key-set loading: a JWK Set (RFC 7517 §5) read from untrusted text, under
//! libFuzzer and proptest.
//!
//! # Threat model
//!
//! **Asset.** The verifier's trust anchor. A JWT verifier is only as strong
//! as the keys it trusts: a key set that loads a 512-bit RSA modulus, an
//! exponent of 3, an EC point off its curve, a 4-byte HMAC secret or two
//! keys under one `kid` lets an attacker forge tokens (factoring, invalid
//! curve attacks, brute force) or choose which key verifies them.
//!
//! **Attacker.** Whoever can influence the key-set text: a compromised or
//! spoofed JWKS endpoint, a configuration file edited by a careless
//! operator, a key-rotation pipeline with a bug. They can send any bytes —
//! not UTF-8, not JSON, deeply nested, huge — and any JSON: members
//! dropped, duplicated, of the wrong type, numbers as strings, base64 with
//! padding or the standard alphabet, moduli truncated or extended, small or
//! even exponents, points off the curve, wrong `crv`, `kty` and `alg` that
//! disagree, `use: enc`, odd `key_ops`, duplicate `kid`s, private keys mixed
//! with public ones.
//!
//! **What loading guarantees.** [`load`] (over
//! [`Jwks::from_json`](crate::jwt::Jwks::from_json)) never panics: every
//! input is accepted as a set of keys that each satisfy the hygiene rules,
//! or refused with a typed [`JwksError`] (a [`KeyError`]
//! from the loader, with the offending `kid` and member). The rules, each
//! re-checked on every accepted set by an independent [`oracle`] that
//! re-reads the text with plain `serde_json` and `base64` and does its own
//! arithmetic with `rsa::BigUint`, `p256`, `p384` and `ed25519-dalek`:
//!
//! | attack | refusal |
//! |---|---|
//! | RSA modulus below 2048 or above 4096 bits, even, empty | `RsaModulusSize`, `RsaInvalid` |
//! | RSA exponent even, below 65537, above 2^33 − 1 | `RsaExponent` |
//! | EC point off the curve, wrong coordinate length, wrong `crv` | `InvalidPoint`, `CurveMismatch` |
//! | small-order Ed25519 point | `InvalidPoint` |
//! | HMAC secret shorter than the hash | `HmacSecretTooShort` |
//! | RSA modulus with a prime factor below 10,000 | `RsaSmallFactor` |
//! | EC point of ES512 off P-521, non-canonical Ed25519 `x` | `InvalidPoint`, `NonCanonicalPoint` |
//! | two keys under one `kid`; several keys, one without `kid` | `DuplicateKid`, `MissingKid` |
//! | HMAC secrets next to asymmetric keys; one material under two algorithms; a secret equal to a public key | `MixedSymmetric`, `KeyReuse`, `SecretIsPublicKey` |
//! | `key_ops` without `verify`; `x5c`/`x5u` members | `KeyOpsWithoutVerify`, `UnsupportedMember` |
//! | key without `alg`, `alg` not matching `kty`, unknown `alg` | `NoAlgorithm`, `AlgorithmMismatch`, `UnsupportedAlgorithm` |
//! | `use` other than `sig`, `key_ops` other than `sign`/`verify` or repeated | `NotForSignatures`, `KeyOps` |
//! | private part not matching the public part | `InvalidPrivateKey` |
//! | asymmetric public and private keys in one set | `MixedPublicPrivate` |
//! | wrong member types, non-canonical base64url, duplicate members, deep nesting, oversize text, too many keys | `MemberType`, `Base64`, `Json`, `TooLarge`, `TooManyKeys` |
//! | bytes that are not UTF-8 | [`JwksError::NotUtf8`] |
//! | signing material in a verifier's set (policy [`LoadPolicy::public_only`]) | [`JwksError::SigningMaterial`] |
//!
//! **Out of scope.** Fetching the set (TLS, caching, rotation), `x5c`
//! certificate chains (not used for verification), and whether a
//! well-formed key is one the operator meant to trust.
//!
//! # Inputs and oracles
//!
//! [`JwksInput`] builds a set from structured edits of the fixture's real
//! keys ([`crate::jwt::fixture`]), or takes raw bytes; [`oracle::judge`]
//! checks every accepted set (invariant ids `jwks.*`), and for a set the
//! generator left pristine, that it loads with exactly its keys.

mod error;
pub mod gen;
pub mod oracle;
pub mod plant;

pub use error::JwksError;
pub use gen::JwksInput;

use crate::engine::contract::{Checker, Invariant, Target, Verdict, Violation};
use crate::engine::options::{OptionError, OptionSpec, Options};
use crate::engine::plant::Plant;
use crate::targets::jwt::{Jwks, KeyError, MAX_JWKS_LEN};

/// How [`load`] treats a set beyond the loader's own rules.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LoadPolicy {
    /// Refuse any key that can sign (an HMAC secret or an asymmetric private
    /// key): a verifier fetching a JWKS should only ever see public keys.
    /// Default `false`.
    pub public_only: bool,
}

/// Load a JWK Set from raw bytes: the size cap, UTF-8, then
/// [`Jwks::from_json`], then the policy.
pub fn load(bytes: &[u8], policy: LoadPolicy) -> Result<Jwks, JwksError> {
    if bytes.len() > MAX_JWKS_LEN {
        return Err(KeyError::TooLarge {
            len: bytes.len(),
            max: MAX_JWKS_LEN,
        }
        .into());
    }
    let text = std::str::from_utf8(bytes).map_err(|e| JwksError::NotUtf8 {
        valid_up_to: e.valid_up_to(),
    })?;
    let set = Jwks::from_json(text)?;
    if policy.public_only {
        if let Some(key) = set.keys().iter().find(|k| k.can_sign()) {
            return Err(JwksError::SigningMaterial {
                kid: key.kid().map(str::to_owned),
                alg: key.algorithm().name(),
            });
        }
    }
    Ok(set)
}

/// A one-line description of a loaded set: each key's `kid`, algorithm and
/// whether it can sign.
pub fn describe(set: &Jwks) -> String {
    set.keys()
        .iter()
        .map(|k| {
            format!(
                "{} {} {}",
                k.kid().unwrap_or("-"),
                k.algorithm(),
                if k.can_sign() { "signing" } else { "public" }
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The options of `secfuzz check jwks`.
pub const OPTIONS: &[OptionSpec] = &[OptionSpec::flag(
    "public-only",
    "refuse sets holding signing material (HMAC secrets, private keys)",
)];

/// Load raw JWK Set texts under a [`LoadPolicy`] and judge every result
/// with the [`oracle`]: what `secfuzz check jwks` runs.
#[derive(Clone, Copy, Debug, Default)]
pub struct JwksCheck {
    /// The policy.
    pub policy: LoadPolicy,
}

impl Checker for JwksCheck {
    fn check(&self, payload: &[u8]) -> Result<Verdict, Violation> {
        let result = oracle::load_guarded(payload, self.policy)?;
        oracle::judge(payload, self.policy, &result)?;
        Ok(match result {
            Ok(set) => Verdict::Accepted {
                output: describe(&set),
            },
            Err(e) => Verdict::Rejected {
                reason: e.to_string(),
            },
        })
    }
}

/// The key-set loading target.
#[derive(Clone, Copy, Debug, Default)]
pub struct JwksTarget;

impl Target for JwksTarget {
    const NAME: &'static str = "jwks";
    const DESCRIPTION: &'static str =
        "JWK Set loading: weak RSA moduli and exponents, off-curve points, short HMAC secrets, duplicate kids, alg/kty/crv/use/key_ops confusion, re-encodings, malformed JSON";
    const INVARIANTS: &'static [Invariant] = oracle::INVARIANTS;
    const OPTIONS: &'static [OptionSpec] = OPTIONS;
    const PLANTS: &'static [Plant] = PLANTS;

    type Input = JwksInput;

    fn render(input: &JwksInput) -> Vec<u8> {
        input.payload().to_vec()
    }

    fn check(input: &JwksInput) -> Result<(), Violation> {
        let policy = input.policy();
        let payload = input.payload();
        let result = oracle::load_guarded(payload, policy)?;
        oracle::judge(payload, policy, &result)?;
        oracle::judge_pristine(input, &result)
    }

    fn checker(options: &Options) -> Result<Box<dyn Checker>, OptionError> {
        Ok(Box::new(JwksCheck {
            policy: LoadPolicy {
                public_only: options.flag("public-only"),
            },
        }))
    }
}

/// The planted vulnerabilities ([`plant`]): every jwks plant.
pub const PLANTS: &[Plant] = &[
    Plant {
        id: plant::RSA_1024,
        breaks: oracle::RSA,
        description: "RSA minimum modulus size lowered to 1024 bits",
    },
    Plant {
        id: plant::EVEN_EXPONENT,
        breaks: oracle::RSA,
        description: "even RSA public exponent accepted",
    },
    Plant {
        id: plant::EXPONENT_FLOOR_3,
        breaks: oracle::RSA,
        description: "RSA exponent floor 3 instead of 65537",
    },
    Plant {
        id: plant::EC_OFF_CURVE,
        breaks: oracle::POINT,
        description: "EC public point not checked to be on the curve",
    },
    Plant {
        id: plant::HMAC_HALF,
        breaks: oracle::HMAC_LENGTH,
        description: "HMAC minimum secret length halved",
    },
    Plant {
        id: plant::DUPLICATE_KID,
        breaks: oracle::UNIQUE_KID,
        description: "duplicate kid: plant::the last key under it wins",
    },
    Plant {
        id: plant::USE_ENC,
        breaks: oracle::BOUND,
        description: "use \"enc\" accepted like \"sig\"",
    },
    Plant {
        id: plant::MIXED_PUBLIC_PRIVATE,
        breaks: oracle::PRIVATE,
        description: "asymmetric public and private keys accepted in one set",
    },
    Plant {
        id: plant::SMALL_FACTOR_100,
        breaks: oracle::RSA,
        description: "trial division for small RSA factors stopped at 100",
    },
    Plant {
        id: plant::MIXED_SYMMETRIC,
        breaks: oracle::SYMMETRIC_APART,
        description: "HMAC secrets accepted next to asymmetric keys",
    },
    Plant {
        id: plant::KEY_OPS_NO_VERIFY,
        breaks: oracle::BOUND,
        description: "key_ops without verify accepted",
    },
];
