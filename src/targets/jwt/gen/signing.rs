//! The signing step: honest re-signing by a trusted key, the original
//! signature, HMAC keyed with a public key, cross-algorithm HMAC, attacker
//! keys, `none`, garbage.

use arbitrary::Arbitrary;

use super::picks::{NoneSpelling, TrustedKey};
use crate::targets::jwt::b64;
use crate::targets::jwt::fixture;
use crate::targets::jwt::keys::{Algorithm, Key, Public};

/// A trusted asymmetric key whose *public* material an attacker can read.
#[allow(missing_docs)]
#[derive(Arbitrary, Clone, Copy, Debug, PartialEq, Eq)]
pub enum PublicTarget {
    Es256,
    Es384,
    EdDSA,
    Rs256,
    Ps256,
}

impl PublicTarget {
    pub(super) fn key(self) -> &'static Key {
        fixture::trusted_key(match self {
            PublicTarget::Es256 => 3,
            PublicTarget::Es384 => 4,
            PublicTarget::EdDSA => 5,
            PublicTarget::Rs256 => 6,
            PublicTarget::Ps256 => 7,
        })
    }
}

/// How the public key is turned into an HMAC secret.
#[allow(missing_docs)]
#[derive(Arbitrary, Clone, Copy, Debug, PartialEq, Eq)]
pub enum PublicForm {
    /// The public JWK's JSON text.
    JwkText,
    /// Raw bytes: RSA modulus, SEC1 point, Ed25519 `x`.
    Raw,
    /// The base64url text of those raw bytes.
    Base64Text,
}

/// An HMAC algorithm.
#[allow(missing_docs)]
#[derive(Arbitrary, Clone, Copy, Debug, PartialEq, Eq)]
pub enum HsPick {
    HS256,
    HS384,
    HS512,
}

impl HsPick {
    pub(super) fn alg(self) -> Algorithm {
        match self {
            HsPick::HS256 => Algorithm::HS256,
            HsPick::HS384 => Algorithm::HS384,
            HsPick::HS512 => Algorithm::HS512,
        }
    }
}

/// An attacker's key.
#[allow(missing_docs)]
#[derive(Arbitrary, Clone, Copy, Debug, PartialEq, Eq)]
pub enum AttackerKey {
    Hs256,
    Es256,
    EdDSA,
    Rs256,
}

impl AttackerKey {
    pub(super) fn key(self) -> &'static Key {
        let keys = fixture::attacker_keys().keys();
        &keys[self as usize % keys.len()]
    }
}

/// Whose `kid` an attacker-signed token claims.
#[allow(missing_docs)]
#[derive(Arbitrary, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClaimedKid {
    /// Keep the header's `kid` (a trusted key's).
    Keep,
    /// The attacker key's own `kid`.
    Own,
}

/// How the edited header and claims get a signature.
#[allow(missing_docs)]
#[derive(Arbitrary, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Signing {
    /// The plan's trusted key signs the edited token (an honest re-signing).
    Signer,
    /// Another trusted key signs the edited token with its own algorithm.
    Trusted(TrustedKey),
    /// Keep the signature of the unedited token.
    Original,
    /// Set `alg` to an HMAC algorithm and `kid` to an asymmetric key, and
    /// MAC with that key's public material as the secret.
    HmacWithPublicKey(PublicTarget, PublicForm, HsPick),
    /// Set `alg` to another HMAC algorithm and MAC with the signer's HMAC
    /// secret (or `hs256-0`'s when the signer is not HMAC).
    CrossAlgorithm(HsPick),
    /// Set `alg` to the attacker key's and sign with it.
    Untrusted(AttackerKey, ClaimedKid),
    /// Set `alg` to a `none` spelling and leave the signature empty.
    AlgNone(NoneSpelling),
    /// Leave the signature empty, header unchanged.
    Empty,
    /// A signature of arbitrary bytes.
    Garbage(u64, u8),
}

/// The raw bytes of a fixture HMAC secret, read straight from the committed
/// key file (independently of the key loader).
pub(super) fn hmac_secret(kid: &str) -> Vec<u8> {
    let doc: serde_json::Value = serde_json::from_str(fixture::TRUSTED_JWKS).unwrap_or_default();
    doc["keys"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|k| k["kid"] == kid)
        .and_then(|k| k["k"].as_str())
        .and_then(|k| b64::decode(k.as_bytes()))
        .unwrap_or_default()
}

pub(super) fn public_secret(key: &Key, form: PublicForm) -> Vec<u8> {
    let raw = match key.public() {
        Public::Secret => Vec::new(),
        Public::Rsa { n, .. } => n.clone(),
        Public::Ec { x, y, .. } => [&[4u8][..], x, y].concat(),
        Public::Ed { x } => x.clone(),
    };
    match form {
        PublicForm::Raw => raw,
        PublicForm::Base64Text => b64::encode(&raw).into_bytes(),
        PublicForm::JwkText => key
            .public_jwk()
            .map(|m| serde_json::Value::Object(m).to_string().into_bytes())
            .unwrap_or_default(),
    }
}

pub(super) fn hmac(alg: Algorithm, secret: &[u8], input: &[u8]) -> Result<Vec<u8>, String> {
    let key = jsonwebtoken::EncodingKey::from_secret(secret);
    let alg = alg.backend().ok_or("not an HMAC algorithm")?;
    let sig = jsonwebtoken::crypto::sign(input, &key, alg).map_err(|e| e.to_string())?;
    b64::decode(sig.as_bytes()).ok_or_else(|| "backend returned non-canonical base64".into())
}

/// The HMAC secret (by kid) and the *other* HMAC algorithm a cross-algorithm
/// signing uses: the signer's secret if it is an HMAC key, else `hs256-0`'s.
pub(super) fn cross_algorithm(signer: TrustedKey, hs: HsPick) -> (&'static str, Algorithm) {
    let (kid, own) = match signer.key().algorithm() {
        a @ (Algorithm::HS256 | Algorithm::HS384 | Algorithm::HS512) => (signer.kid(), a),
        _ => ("hs256-0", Algorithm::HS256),
    };
    let alg = if hs.alg() == own {
        match own {
            Algorithm::HS256 => Algorithm::HS384,
            Algorithm::HS384 => Algorithm::HS512,
            _ => Algorithm::HS256,
        }
    } else {
        hs.alg()
    };
    (kid, alg)
}

/// Sign with a trusted key, remembering recent signatures: fuzzing re-signs
/// the same inputs (base tokens above all) over and over, and RSA/ECDSA
/// signing dominates the cost of an input. A cached PSS signature is still an
/// honest signature by the trusted key.
pub(super) fn cached_signature(index: usize, key: &Key, input: &[u8]) -> Result<Vec<u8>, String> {
    use std::collections::HashMap;
    use std::sync::{Mutex, OnceLock};
    type Cache = Mutex<HashMap<(usize, Vec<u8>), Vec<u8>>>;
    static CACHE: OnceLock<Cache> = OnceLock::new();
    const CAPACITY: usize = 4096;
    let cache = CACHE.get_or_init(Cache::default);
    let cache_key = (index, input.to_vec());
    if let Some(sig) = cache.lock().ok().and_then(|c| c.get(&cache_key).cloned()) {
        return Ok(sig);
    }
    let sig = key.sign_raw(input).map_err(|e| e.to_string())?;
    if let Ok(mut c) = cache.lock() {
        if c.len() >= CAPACITY {
            c.clear();
        }
        c.insert(cache_key, sig.clone());
    }
    Ok(sig)
}
