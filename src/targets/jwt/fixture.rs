//! The fixture: the fixed world of trusted keys, attacker keys, the clock and
//! the verifier configuration that the structured check ([`JwtTarget`]'s
//! `check`), `check_payload`, the fuzz target and the property tests all
//! share.
//!
//! [`JwtTarget`]: super::JwtTarget
//!
//! The keys were generated once and are committed (`trusted_keys.json`,
//! `attacker_keys.json`): RSA key generation per fuzz input would be far too
//! slow. They are public test keys — never trust them for anything else.

use std::sync::OnceLock;

use super::claims::Verifier;
use super::keys::{Jwks, Key};

/// The fixture's fixed clock: 2023-11-14T22:13:20Z.
pub const NOW: i64 = 1_700_000_000;
/// Issuer the fixture verifier accepts and the generator's tokens carry.
pub const ISSUER: &str = "https://issuer.secfuzz.test";
/// Audience the fixture verifier accepts and the generator's tokens carry.
pub const AUDIENCE: &str = "secfuzz-api";
/// Seconds of leeway after `exp` in the fixture verifier.
pub const LEEWAY_EXP: u32 = 30;
/// Seconds of leeway before `nbf` in the fixture verifier (deliberately
/// different from [`LEEWAY_EXP`], so that swapping them is caught).
pub const LEEWAY_NBF: u32 = 10;
/// The one `crit` extension the fixture verifier understands.
pub const CRIT_EXTENSION: &str = "secfuzz-ext";

/// The trusted keys as a private JWK Set (one key per kind: HS256, HS384,
/// HS512, ES256, ES384, EdDSA, RS256, PS256, ES512, in that order). It mixes
/// HMAC secrets with asymmetric keys, which [`Jwks::from_json`] refuses for
/// an operator's (published) set; this private set is loaded with
/// [`Jwks::from_json_allow_mixed`].
pub const TRUSTED_JWKS: &str = include_str!("trusted_keys.json");
/// Keys an attacker holds (HS256, ES256, EdDSA, RS256): never trusted.
pub const ATTACKER_JWKS: &str = include_str!("attacker_keys.json");

fn load(text: &str) -> Jwks {
    // Committed, tested key files: failing to load one is a build defect.
    Jwks::from_json_allow_mixed(text)
        .unwrap_or_else(|e| panic!("committed fixture key set is invalid: {e}"))
}

/// The trusted keys, loaded once.
pub fn trusted_keys() -> &'static Jwks {
    static KEYS: OnceLock<Jwks> = OnceLock::new();
    KEYS.get_or_init(|| load(TRUSTED_JWKS))
}

/// The attacker's keys, loaded once.
pub fn attacker_keys() -> &'static Jwks {
    static KEYS: OnceLock<Jwks> = OnceLock::new();
    KEYS.get_or_init(|| load(ATTACKER_JWKS))
}

/// The trusted key at `index` in [`TRUSTED_JWKS`] order (wrapping).
pub fn trusted_key(index: usize) -> &'static Key {
    let keys = trusted_keys().keys();
    &keys[index % keys.len()]
}

/// The fixture verifier: [`trusted_keys`], issuer [`ISSUER`], audience
/// [`AUDIENCE`], leeways [`LEEWAY_EXP`]/[`LEEWAY_NBF`], `crit` extension
/// [`CRIT_EXTENSION`] understood, ECDSA low-`s` required (the generator signs
/// low-`s`, so every accepted token has exactly one byte string).
pub fn verifier() -> &'static Verifier {
    static VERIFIER: OnceLock<Verifier> = OnceLock::new();
    VERIFIER.get_or_init(|| {
        Verifier::new(trusted_keys().clone())
            .issuer(ISSUER)
            .audience(AUDIENCE)
            .leeway_exp(LEEWAY_EXP)
            .leeway_nbf(LEEWAY_NBF)
            .understand_crit(CRIT_EXTENSION)
            .ecdsa_low_s(true)
    })
}
