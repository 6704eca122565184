//! The signing step: honest re-signing by a trusted key, the original
//! signature, HMAC keyed with a public key, cross-algorithm HMAC, attacker
//! keys, `none`, garbage.

use arbitrary::Arbitrary;

use super::picks::{NoneSpelling, TrustedKey};
use crate::targets::jwt::b64;
use crate::targets::jwt::fixture;
use crate::targets::jwt::keys::{Algorithm, Family, Key, Public};

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
/// key file (independently of the key loader), once per process.
pub(super) fn hmac_secret(kid: &str) -> Vec<u8> {
    use std::collections::HashMap;
    use std::sync::OnceLock;
    static SECRETS: OnceLock<HashMap<String, Vec<u8>>> = OnceLock::new();
    let secrets = SECRETS.get_or_init(|| {
        let doc: serde_json::Value =
            serde_json::from_str(fixture::TRUSTED_JWKS).unwrap_or_default();
        doc["keys"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|k| {
                let kid = k["kid"].as_str()?.to_owned();
                let secret = b64::decode(k["k"].as_str()?.as_bytes())?;
                Some((kid, secret))
            })
            .collect()
    });
    secrets.get(kid).cloned().unwrap_or_default()
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

/// Whether signing with `key` is slow enough to keep out of the per-input
/// path: RSA and ECDSA (bignum and curve arithmetic dominate an input's cost
/// under coverage tracing); HMAC and Ed25519 are cheap.
pub(super) fn is_expensive(key: &Key) -> bool {
    matches!(key.algorithm().family(), Family::Rsa | Family::Ec)
}

impl TrustedKey {
    /// The cheap trusted key (HMAC or Ed25519) that stands in for an
    /// expensive trusted key (RSA or ECDSA) when a plan asks it to sign a
    /// shape outside the signing pool (see [`Plan`](super::Plan)'s
    /// normalization). A cheap key is its own twin.
    pub fn cheap_twin(self) -> TrustedKey {
        let keys = fixture::trusted_keys().keys();
        let index = usize::from(self.0) % keys.len();
        if !is_expensive(&keys[index]) {
            return self;
        }
        let cheap: Vec<usize> = (0..keys.len())
            .filter(|&i| !is_expensive(&keys[i]))
            .collect();
        // The fixture always holds cheap keys; without any, keep the key.
        cheap
            .get(index % cheap.len().max(1))
            .and_then(|&i| u8::try_from(i).ok())
            .map_or(self, TrustedKey)
    }
}

impl AttackerKey {
    /// The cheap attacker key standing in for an expensive one (RS256 →
    /// HS256, ES256 → EdDSA); a cheap key is its own twin.
    pub fn cheap_twin(self) -> AttackerKey {
        match self {
            AttackerKey::Rs256 => AttackerKey::Hs256,
            AttackerKey::Es256 => AttackerKey::EdDSA,
            cheap => cheap,
        }
    }
}

/// Sign `input` with `key` (trusted or attacker).
///
/// Expensive keys (RSA, ECDSA) sign through the **pool**: every signature
/// they make is kept for the life of the process. Plans only ask them to sign
/// pool shapes (the key's base token, and that token with its `alg` or its
/// `kid` changed; see [`Plan`](super::Plan)), a domain of a few hundred
/// signing inputs per key, so each is signed once and fuzzing never pays for
/// RSA or ECDSA signing again. A pooled PSS signature is still an honest
/// signature by the key. Cheap keys sign every time, with a small cache of
/// recent signatures.
pub(super) fn signature(key: &Key, input: &[u8]) -> Result<Vec<u8>, String> {
    use std::collections::HashMap;
    use std::sync::{Mutex, OnceLock};
    type Cache = Mutex<HashMap<(String, Vec<u8>), Vec<u8>>>;
    static POOL: OnceLock<Cache> = OnceLock::new();
    static RECENT: OnceLock<Cache> = OnceLock::new();
    /// Pool entries beyond the pool domain (plans built without
    /// normalization, e.g. by tests calling `build` directly) are signed but
    /// not kept once the pool holds this many.
    const POOL_CAPACITY: usize = 16 * 1024;
    /// Cheap keys' recent signatures.
    const RECENT_CAPACITY: usize = 4096;
    let (cache, capacity, evict) = if is_expensive(key) {
        (POOL.get_or_init(Cache::default), POOL_CAPACITY, false)
    } else {
        (RECENT.get_or_init(Cache::default), RECENT_CAPACITY, true)
    };
    let cache_key = (
        format!("{}/{}", key.algorithm(), key.kid().unwrap_or_default()),
        input.to_vec(),
    );
    if let Some(sig) = cache.lock().ok().and_then(|c| c.get(&cache_key).cloned()) {
        return Ok(sig);
    }
    let sig = key.sign_raw(input).map_err(|e| e.to_string())?;
    if let Ok(mut c) = cache.lock() {
        if c.len() >= capacity && evict {
            c.clear();
        }
        if c.len() < capacity {
            c.insert(cache_key, sig.clone());
        }
    }
    Ok(sig)
}
