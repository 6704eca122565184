//! Keys and key sets: each key is bound to exactly one algorithm, and weak,
//! ambiguous or misused key material is refused when it is loaded, not when a
//! token happens to use it.

use std::collections::HashMap;
use std::fmt;
use std::path::Path;

use jsonwebtoken::{DecodingKey, EncodingKey};
use serde_json::{Map, Value};

use super::b64;
use super::error::{KeyError, SignError};
use super::json::{self, StrictJsonError};
use super::roca::has_roca_fingerprint;
use crate::engine::plant;
use crate::targets::jwks::plant as jwks_plant;

/// Largest JWK Set document accepted (1 MiB), checked before parsing.
pub const MAX_JWKS_LEN: usize = 1024 * 1024;
/// Most keys one set may hold.
pub const MAX_KEYS: usize = 256;
/// Smallest RSA modulus accepted, in bits.
pub const MIN_RSA_BITS: usize = 2048;
/// Largest RSA modulus accepted, in bits (the backend's limit).
pub const MAX_RSA_BITS: usize = 4096;

/// A JWS signature algorithm (RFC 7518 §3, RFC 8037 §3.1). Names are
/// case-sensitive: `hs256` is not `HS256`. `none` is not an algorithm here.
#[allow(clippy::upper_case_acronyms)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Algorithm {
    /// HMAC with SHA-256.
    HS256,
    /// HMAC with SHA-384.
    HS384,
    /// HMAC with SHA-512.
    HS512,
    /// RSASSA-PKCS1-v1_5 with SHA-256.
    RS256,
    /// RSASSA-PKCS1-v1_5 with SHA-384.
    RS384,
    /// RSASSA-PKCS1-v1_5 with SHA-512.
    RS512,
    /// RSASSA-PSS with SHA-256.
    PS256,
    /// RSASSA-PSS with SHA-384.
    PS384,
    /// RSASSA-PSS with SHA-512.
    PS512,
    /// ECDSA on P-256 with SHA-256.
    ES256,
    /// ECDSA on P-384 with SHA-384.
    ES384,
    /// ECDSA on P-521 with SHA-512 (verified with the `p521` crate:
    /// `jsonwebtoken` has no ES512).
    ES512,
    /// Ed25519 (RFC 8037).
    EdDSA,
}

/// The kind of key an algorithm needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Family {
    Hmac,
    Rsa,
    Ec,
    Ed,
}

impl Algorithm {
    /// Every supported algorithm.
    pub const ALL: [Algorithm; 13] = [
        Algorithm::HS256,
        Algorithm::HS384,
        Algorithm::HS512,
        Algorithm::RS256,
        Algorithm::RS384,
        Algorithm::RS512,
        Algorithm::PS256,
        Algorithm::PS384,
        Algorithm::PS512,
        Algorithm::ES256,
        Algorithm::ES384,
        Algorithm::ES512,
        Algorithm::EdDSA,
    ];

    /// The registered name (`"HS256"`, …, `"EdDSA"`).
    pub fn name(self) -> &'static str {
        match self {
            Algorithm::HS256 => "HS256",
            Algorithm::HS384 => "HS384",
            Algorithm::HS512 => "HS512",
            Algorithm::RS256 => "RS256",
            Algorithm::RS384 => "RS384",
            Algorithm::RS512 => "RS512",
            Algorithm::PS256 => "PS256",
            Algorithm::PS384 => "PS384",
            Algorithm::PS512 => "PS512",
            Algorithm::ES256 => "ES256",
            Algorithm::ES384 => "ES384",
            Algorithm::ES512 => "ES512",
            Algorithm::EdDSA => "EdDSA",
        }
    }

    /// The algorithm with exactly this registered name.
    pub fn from_name(name: &str) -> Option<Algorithm> {
        Algorithm::ALL.into_iter().find(|a| a.name() == name)
    }

    pub(crate) fn family(self) -> Family {
        match self {
            Algorithm::HS256 | Algorithm::HS384 | Algorithm::HS512 => Family::Hmac,
            Algorithm::RS256
            | Algorithm::RS384
            | Algorithm::RS512
            | Algorithm::PS256
            | Algorithm::PS384
            | Algorithm::PS512 => Family::Rsa,
            Algorithm::ES256 | Algorithm::ES384 | Algorithm::ES512 => Family::Ec,
            Algorithm::EdDSA => Family::Ed,
        }
    }

    /// The `jsonwebtoken` algorithm, `None` for ES512, which `jsonwebtoken`
    /// does not implement.
    pub(crate) fn backend(self) -> Option<jsonwebtoken::Algorithm> {
        use jsonwebtoken::Algorithm as J;
        Some(match self {
            Algorithm::HS256 => J::HS256,
            Algorithm::HS384 => J::HS384,
            Algorithm::HS512 => J::HS512,
            Algorithm::RS256 => J::RS256,
            Algorithm::RS384 => J::RS384,
            Algorithm::RS512 => J::RS512,
            Algorithm::PS256 => J::PS256,
            Algorithm::PS384 => J::PS384,
            Algorithm::PS512 => J::PS512,
            Algorithm::ES256 => J::ES256,
            Algorithm::ES384 => J::ES384,
            Algorithm::ES512 => return None,
            Algorithm::EdDSA => J::EdDSA,
        })
    }

    /// Minimum HMAC secret length: the hash output size (RFC 7518 §3.2).
    fn hmac_min_len(self) -> usize {
        match self {
            Algorithm::HS384 => 48,
            Algorithm::HS512 => 64,
            _ => 32,
        }
    }

    /// The byte length of an EC coordinate (and of each of `r`, `s`).
    pub(crate) fn ec_size(self) -> Option<usize> {
        match self {
            Algorithm::ES256 => Some(32),
            Algorithm::ES384 => Some(48),
            Algorithm::ES512 => Some(66),
            _ => None,
        }
    }

    /// The JWK curve name an EC/OKP algorithm requires.
    fn curve(self) -> Option<&'static str> {
        match self {
            Algorithm::ES256 => Some("P-256"),
            Algorithm::ES384 => Some("P-384"),
            Algorithm::ES512 => Some("P-521"),
            Algorithm::EdDSA => Some("Ed25519"),
            _ => None,
        }
    }
}

impl fmt::Display for Algorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The public half of a key, as raw bytes.
#[derive(Clone, PartialEq, Eq)]
pub(crate) enum Public {
    /// Symmetric: no public half.
    Secret,
    Rsa {
        n: Vec<u8>,
        e: Vec<u8>,
    },
    Ec {
        crv: &'static str,
        x: Vec<u8>,
        y: Vec<u8>,
    },
    Ed {
        x: Vec<u8>,
    },
}

/// A verification (and, with a private part, signing) key bound to one algorithm.
///
/// Build one in code with [`Key::hmac`], [`Key::rsa_public`],
/// [`Key::rsa_private`], [`Key::ec_public`], [`Key::ec_private`],
/// [`Key::ed25519_public`], [`Key::ed25519_private`] or [`Key::from_jwk`];
/// every constructor refuses weak or malformed material with a [`KeyError`].
#[derive(Clone)]
pub struct Key {
    kid: Option<String>,
    alg: Algorithm,
    public: Public,
    /// The key material compared across a set: the HMAC secret, the RSA
    /// modulus, the SEC1 point, the Ed25519 `x`.
    material: Vec<u8>,
    verify: VerifyKey,
    sign: Option<SignKey>,
}

/// The verifying half: `jsonwebtoken`'s, or `p521`'s for ES512.
#[derive(Clone)]
enum VerifyKey {
    Backend(DecodingKey),
    P521(p521::ecdsa::VerifyingKey),
}

/// The signing half: `jsonwebtoken`'s, or `p521`'s for ES512.
#[derive(Clone)]
enum SignKey {
    Backend(EncodingKey),
    P521(p521::ecdsa::SigningKey),
}

impl fmt::Debug for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Key")
            .field("kid", &self.kid)
            .field("alg", &self.alg)
            .field("private", &self.sign.is_some())
            .finish_non_exhaustive()
    }
}

fn mismatch(kid: &Option<String>, alg: Algorithm, key: &str) -> KeyError {
    KeyError::AlgorithmMismatch {
        kid: kid.clone(),
        alg: alg.name().to_owned(),
        key: key.to_owned(),
    }
}

fn backend_err(e: impl fmt::Display) -> SignError {
    SignError::Backend {
        detail: e.to_string(),
    }
}

impl Key {
    /// The key id, if any.
    pub fn kid(&self) -> Option<&str> {
        self.kid.as_deref()
    }

    /// The one algorithm this key is used with.
    pub fn algorithm(&self) -> Algorithm {
        self.alg
    }

    /// Whether the key can sign (it has a private part, or is an HMAC secret).
    pub fn can_sign(&self) -> bool {
        self.sign.is_some()
    }

    /// Whether this is an asymmetric key with its private part.
    fn is_asymmetric_private(&self) -> bool {
        self.public != Public::Secret && self.sign.is_some()
    }

    pub(crate) fn public(&self) -> &Public {
        &self.public
    }

    /// Whether `signature` (raw bytes) is this key's signature of
    /// `signing_input` under its algorithm. The caller checks encodings and
    /// ranges first ([`verify_jws`](super::verify_jws)).
    pub(crate) fn verifies(&self, signing_input: &[u8], signature: &[u8]) -> bool {
        match &self.verify {
            VerifyKey::Backend(key) => self.alg.backend().is_some_and(|alg| {
                jsonwebtoken::crypto::verify(&b64::encode(signature), signing_input, key, alg)
                    .unwrap_or(false)
            }),
            VerifyKey::P521(key) => {
                use p521::ecdsa::signature::Verifier as _;
                signature.len() == 132
                    && p521::ecdsa::Signature::from_slice(signature)
                        .is_ok_and(|sig| key.verify(signing_input, &sig).is_ok())
            }
        }
    }

    /// The same key with key id `kid`.
    pub fn with_kid(mut self, kid: impl Into<String>) -> Self {
        self.kid = Some(kid.into());
        self
    }

    /// The public JWK of an asymmetric key (with `kty`, `alg`, `use`, `kid`),
    /// `None` for an HMAC secret, which has no public form.
    pub fn public_jwk(&self) -> Option<Map<String, Value>> {
        let mut m = Map::new();
        let s = |b: &[u8]| Value::String(b64::encode(b));
        match &self.public {
            Public::Secret => return None,
            Public::Rsa { n, e } => {
                m.insert("kty".into(), "RSA".into());
                m.insert("n".into(), s(n));
                m.insert("e".into(), s(e));
            }
            Public::Ec { crv, x, y } => {
                m.insert("kty".into(), "EC".into());
                m.insert("crv".into(), (*crv).into());
                m.insert("x".into(), s(x));
                m.insert("y".into(), s(y));
            }
            Public::Ed { x } => {
                m.insert("kty".into(), "OKP".into());
                m.insert("crv".into(), "Ed25519".into());
                m.insert("x".into(), s(x));
            }
        }
        m.insert("alg".into(), self.alg.name().into());
        m.insert("use".into(), "sig".into());
        if let Some(kid) = &self.kid {
            m.insert("kid".into(), kid.clone().into());
        }
        Some(m)
    }

    /// Sign `signing_input` (`BASE64URL(header) || '.' || BASE64URL(payload)`)
    /// with this key's algorithm and return the raw signature bytes. ECDSA
    /// signatures are returned in canonical low-`s` form.
    pub fn sign_raw(&self, signing_input: &[u8]) -> Result<Vec<u8>, SignError> {
        let key = self
            .sign
            .as_ref()
            .ok_or_else(|| SignError::NotASigningKey {
                kid: self.kid.clone(),
            })?;
        let sig = match key {
            SignKey::Backend(key) => {
                let alg = self
                    .alg
                    .backend()
                    .ok_or_else(|| backend_err("no backend"))?;
                let sig =
                    jsonwebtoken::crypto::sign(signing_input, key, alg).map_err(backend_err)?;
                b64::decode(sig.as_bytes()).ok_or_else(|| backend_err("non-canonical base64"))?
            }
            SignKey::P521(key) => {
                use p521::ecdsa::signature::Signer as _;
                let sig: p521::ecdsa::Signature =
                    key.try_sign(signing_input).map_err(backend_err)?;
                sig.to_bytes().to_vec()
            }
        };
        Ok(normalize_s(self.alg, sig))
    }

    // ----------------------------------------------------------------- HMAC

    /// An HMAC key. The secret must be at least as long as the hash output
    /// (32, 48 or 64 bytes).
    pub fn hmac(alg: Algorithm, secret: &[u8]) -> Result<Key, KeyError> {
        Self::hmac_kid(None, alg, secret)
    }

    fn hmac_kid(kid: Option<String>, alg: Algorithm, secret: &[u8]) -> Result<Key, KeyError> {
        if alg.family() != Family::Hmac {
            return Err(mismatch(&kid, alg, "an HMAC secret"));
        }
        let mut min = alg.hmac_min_len();
        if plant::active(jwks_plant::HMAC_HALF) {
            min /= 2;
        }
        if secret.len() < min {
            return Err(KeyError::HmacSecretTooShort {
                kid,
                alg: alg.name(),
                len: secret.len(),
                min,
            });
        }
        Ok(Key {
            kid,
            alg,
            public: Public::Secret,
            material: secret.to_vec(),
            verify: VerifyKey::Backend(DecodingKey::from_secret(secret)),
            sign: Some(SignKey::Backend(EncodingKey::from_secret(secret))),
        })
    }

    // ------------------------------------------------------------------ RSA

    /// An RSA public key from its big-endian modulus and exponent.
    pub fn rsa_public(alg: Algorithm, n: &[u8], e: &[u8]) -> Result<Key, KeyError> {
        Self::rsa_public_kid(None, alg, n, e)
    }

    fn rsa_public_kid(
        kid: Option<String>,
        alg: Algorithm,
        n: &[u8],
        e: &[u8],
    ) -> Result<Key, KeyError> {
        check_rsa_public(&kid, alg, n, e)?;
        Ok(Key {
            verify: VerifyKey::Backend(DecodingKey::from_rsa_raw_components(n, e)),
            material: n.to_vec(),
            public: Public::Rsa {
                n: n.to_vec(),
                e: e.to_vec(),
            },
            kid,
            alg,
            sign: None,
        })
    }

    /// An RSA private key from its big-endian components; `primes` are `p`
    /// and `q` when known (otherwise they are recovered from `d`).
    pub fn rsa_private(
        alg: Algorithm,
        n: &[u8],
        e: &[u8],
        d: &[u8],
        primes: Option<(&[u8], &[u8])>,
    ) -> Result<Key, KeyError> {
        Self::rsa_private_kid(None, alg, n, e, d, primes)
    }

    fn rsa_private_kid(
        kid: Option<String>,
        alg: Algorithm,
        n: &[u8],
        e: &[u8],
        d: &[u8],
        primes: Option<(&[u8], &[u8])>,
    ) -> Result<Key, KeyError> {
        use rsa::pkcs1::EncodeRsaPrivateKey;
        use rsa::BigUint;
        let public = Self::rsa_public_kid(kid.clone(), alg, n, e)?;
        // Without primes the backend recovers them from e·d − 1, which
        // panics (an unsigned underflow) for d = 0: refuse it first.
        if d.iter().all(|&b| b == 0) {
            return Err(KeyError::InvalidPrivateKey {
                kid,
                reason: "d is zero",
            });
        }
        let primes = primes
            .map(|(p, q)| vec![BigUint::from_bytes_be(p), BigUint::from_bytes_be(q)])
            .unwrap_or_default();
        let private = rsa::RsaPrivateKey::from_components(
            BigUint::from_bytes_be(n),
            BigUint::from_bytes_be(e),
            BigUint::from_bytes_be(d),
            primes,
        )
        .map_err(|err| KeyError::RsaInvalid {
            kid: kid.clone(),
            reason: format!("private components: {err}"),
        })?;
        let der = private.to_pkcs1_der().map_err(|err| KeyError::RsaInvalid {
            kid: kid.clone(),
            reason: format!("cannot encode private key: {err}"),
        })?;
        Ok(Key {
            sign: Some(SignKey::Backend(EncodingKey::from_rsa_der(der.as_bytes()))),
            ..public
        })
    }

    // ------------------------------------------------------------------- EC

    /// An EC public key (ES256 on P-256, ES384 on P-384, ES512 on P-521)
    /// from its affine coordinates; the point must be on the curve.
    pub fn ec_public(alg: Algorithm, x: &[u8], y: &[u8]) -> Result<Key, KeyError> {
        Self::ec_public_kid(None, alg, x, y)
    }

    fn ec_public_kid(
        kid: Option<String>,
        alg: Algorithm,
        x: &[u8],
        y: &[u8],
    ) -> Result<Key, KeyError> {
        let (Some(crv), Some(size)) = (alg.curve(), alg.ec_size()) else {
            return Err(mismatch(&kid, alg, "an EC key"));
        };
        let mut sec1 = Vec::with_capacity(1 + 2 * size);
        sec1.push(0x04);
        sec1.extend_from_slice(x);
        sec1.extend_from_slice(y);
        let on_curve = x.len() == size
            && y.len() == size
            && (plant::active(jwks_plant::EC_OFF_CURVE) && alg != Algorithm::ES512
                || match alg {
                    Algorithm::ES256 => p256::PublicKey::from_sec1_bytes(&sec1).is_ok(),
                    Algorithm::ES384 => p384::PublicKey::from_sec1_bytes(&sec1).is_ok(),
                    _ => p521::PublicKey::from_sec1_bytes(&sec1).is_ok(),
                });
        if !on_curve {
            return Err(KeyError::InvalidPoint { kid, crv });
        }
        let verify = if alg == Algorithm::ES512 {
            let key = p521::ecdsa::VerifyingKey::from_sec1_bytes(&sec1).map_err(|_| {
                KeyError::InvalidPoint {
                    kid: kid.clone(),
                    crv,
                }
            })?;
            VerifyKey::P521(key)
        } else {
            VerifyKey::Backend(DecodingKey::from_ec_der(&sec1))
        };
        Ok(Key {
            verify,
            material: sec1,
            public: Public::Ec {
                crv,
                x: x.to_vec(),
                y: y.to_vec(),
            },
            kid,
            alg,
            sign: None,
        })
    }

    /// An EC private key from its scalar `d`; when the public coordinates are
    /// given they must belong to `d`.
    pub fn ec_private(
        alg: Algorithm,
        d: &[u8],
        xy: Option<(&[u8], &[u8])>,
    ) -> Result<Key, KeyError> {
        Self::ec_private_kid(None, alg, d, xy)
    }

    fn ec_private_kid(
        kid: Option<String>,
        alg: Algorithm,
        d: &[u8],
        xy: Option<(&[u8], &[u8])>,
    ) -> Result<Key, KeyError> {
        use p256::elliptic_curve::sec1::ToEncodedPoint;
        use p256::pkcs8::EncodePrivateKey;
        let bad = |reason| KeyError::InvalidPrivateKey {
            kid: kid.clone(),
            reason,
        };
        let (point, der) = match alg {
            Algorithm::ES256 if d.len() == 32 => {
                let sk =
                    p256::SecretKey::from_slice(d).map_err(|_| bad("d is not a P-256 scalar"))?;
                let der = sk.to_pkcs8_der().map_err(|_| bad("cannot encode"))?;
                (
                    sk.public_key().to_encoded_point(false).as_bytes().to_vec(),
                    der,
                )
            }
            Algorithm::ES384 if d.len() == 48 => {
                let sk =
                    p384::SecretKey::from_slice(d).map_err(|_| bad("d is not a P-384 scalar"))?;
                let der = sk.to_pkcs8_der().map_err(|_| bad("cannot encode"))?;
                (
                    sk.public_key().to_encoded_point(false).as_bytes().to_vec(),
                    der,
                )
            }
            Algorithm::ES512 if d.len() == 66 => {
                let sk = p521::ecdsa::SigningKey::from_slice(d)
                    .map_err(|_| bad("d is not a P-521 scalar"))?;
                let point = p521::ecdsa::VerifyingKey::from(&sk)
                    .to_encoded_point(false)
                    .as_bytes()
                    .to_vec();
                let (x, y) = point[1..].split_at(66);
                if xy.is_some_and(|(px, py)| px != x || py != y) {
                    return Err(bad("d does not match the public coordinates"));
                }
                let public = Self::ec_public_kid(kid.clone(), alg, x, y)?;
                return Ok(Key {
                    sign: Some(SignKey::P521(sk)),
                    ..public
                });
            }
            Algorithm::ES256 | Algorithm::ES384 | Algorithm::ES512 => {
                return Err(bad("d has the wrong length"))
            }
            _ => return Err(mismatch(&kid, alg, "an EC key")),
        };
        let size = (point.len() - 1) / 2;
        let (x, y) = point[1..].split_at(size);
        if let Some((px, py)) = xy {
            if px != x || py != y {
                return Err(bad("d does not match the public coordinates"));
            }
        }
        let public = Self::ec_public_kid(kid.clone(), alg, x, y)?;
        Ok(Key {
            sign: Some(SignKey::Backend(EncodingKey::from_ec_der(der.as_bytes()))),
            ..public
        })
    }

    // -------------------------------------------------------------- Ed25519

    /// An Ed25519 public key (EdDSA); small-order (weak) points are refused.
    pub fn ed25519_public(x: &[u8]) -> Result<Key, KeyError> {
        Self::ed25519_public_kid(None, x)
    }

    fn ed25519_public_kid(kid: Option<String>, x: &[u8]) -> Result<Key, KeyError> {
        if x.len() == 32 && !is_canonical_ed25519(x) {
            return Err(KeyError::NonCanonicalPoint {
                kid,
                crv: "Ed25519",
            });
        }
        let valid = <&[u8; 32]>::try_from(x)
            .ok()
            .and_then(|b| ed25519_dalek::VerifyingKey::from_bytes(b).ok())
            .is_some_and(|k| !k.is_weak());
        if !valid {
            return Err(KeyError::InvalidPoint {
                kid,
                crv: "Ed25519",
            });
        }
        Ok(Key {
            verify: VerifyKey::Backend(DecodingKey::from_ed_der(x)),
            material: x.to_vec(),
            public: Public::Ed { x: x.to_vec() },
            kid,
            alg: Algorithm::EdDSA,
            sign: None,
        })
    }

    /// An Ed25519 private key from its 32-byte seed `d`; when `x` is given it
    /// must be `d`'s public key.
    pub fn ed25519_private(d: &[u8], x: Option<&[u8]>) -> Result<Key, KeyError> {
        Self::ed25519_private_kid(None, d, x)
    }

    fn ed25519_private_kid(
        kid: Option<String>,
        d: &[u8],
        x: Option<&[u8]>,
    ) -> Result<Key, KeyError> {
        use ed25519_dalek::pkcs8::EncodePrivateKey;
        let bad = |reason| KeyError::InvalidPrivateKey {
            kid: kid.clone(),
            reason,
        };
        let seed = <&[u8; 32]>::try_from(d).map_err(|_| bad("d must be 32 bytes"))?;
        let sk = ed25519_dalek::SigningKey::from_bytes(seed);
        let public = sk.verifying_key().to_bytes();
        if x.is_some_and(|x| x != public) {
            return Err(bad("d does not match x"));
        }
        let der = sk.to_pkcs8_der().map_err(|_| bad("cannot encode"))?;
        let key = Self::ed25519_public_kid(kid.clone(), &public)?;
        Ok(Key {
            sign: Some(SignKey::Backend(EncodingKey::from_ed_der(der.as_bytes()))),
            ..key
        })
    }

    // ------------------------------------------------------------------ JWK

    /// A key from one JWK (RFC 7517) document. If `alg` is given the key is
    /// bound to it (and a JWK `alg` member, if any, must agree); otherwise
    /// the JWK must name its algorithm.
    pub fn from_jwk(jwk: &str, alg: Option<Algorithm>) -> Result<Key, KeyError> {
        if jwk.len() > MAX_JWKS_LEN {
            return Err(KeyError::TooLarge {
                len: jwk.len(),
                max: MAX_JWKS_LEN,
            });
        }
        let map = json::parse_object(jwk.as_bytes()).map_err(json_err)?;
        Self::from_jwk_map(&map, alg)
    }

    fn from_jwk_map(m: &Map<String, Value>, bound: Option<Algorithm>) -> Result<Key, KeyError> {
        let kid = match m.get("kid") {
            None => None,
            Some(Value::String(s)) => Some(s.clone()),
            Some(_) => {
                return Err(KeyError::MemberType {
                    kid: None,
                    member: "kid",
                    expected: "a string",
                })
            }
        };
        let field = Fields { m, kid: &kid };
        if let Some(usage) = field.opt_str("use")? {
            if usage != "sig" && !(usage == "enc" && plant::active(jwks_plant::USE_ENC)) {
                return Err(KeyError::NotForSignatures {
                    kid: kid.clone(),
                    usage: usage.to_owned(),
                });
            }
        }
        if let Some(ops) = m.get("key_ops") {
            let ops = ops.as_array().ok_or(KeyError::MemberType {
                kid: kid.clone(),
                member: "key_ops",
                expected: "an array of strings",
            })?;
            let mut seen = Vec::new();
            for op in ops {
                let op_str = op.as_str().unwrap_or_default();
                if !matches!(op_str, "sign" | "verify") || seen.contains(&op_str) {
                    return Err(KeyError::KeyOps {
                        kid: kid.clone(),
                        op: op.to_string(),
                    });
                }
                seen.push(op_str);
            }
            // RFC 7517 §4.3: key_ops lists what the key may be used for; a
            // key in a verification set must be allowed to verify.
            if !seen.contains(&"verify") && !plant::active(jwks_plant::KEY_OPS_NO_VERIFY) {
                return Err(KeyError::KeyOpsWithoutVerify { kid: kid.clone() });
            }
        }
        // Certificate chains and URLs are not validated here; a key that
        // carries one would look vouched for when it is not.
        for member in ["x5c", "x5u"] {
            if m.contains_key(member) {
                return Err(KeyError::UnsupportedMember {
                    kid: kid.clone(),
                    member,
                });
            }
        }
        let alg = match (field.opt_str("alg")?, bound) {
            (None, None) => return Err(KeyError::NoAlgorithm { kid: kid.clone() }),
            (None, Some(b)) => b,
            (Some(name), bound) => {
                let named =
                    Algorithm::from_name(name).ok_or_else(|| KeyError::UnsupportedAlgorithm {
                        kid: kid.clone(),
                        alg: name.to_owned(),
                    })?;
                if bound.is_some_and(|b| b != named) {
                    return Err(mismatch(
                        &kid,
                        bound.unwrap_or(named),
                        &format!("a key for {named}"),
                    ));
                }
                named
            }
        };
        let kty = field.req_str("kty")?;
        let family = match kty {
            "oct" => Family::Hmac,
            "RSA" => Family::Rsa,
            "EC" => Family::Ec,
            "OKP" => Family::Ed,
            other => {
                return Err(KeyError::UnsupportedKeyType {
                    kid: kid.clone(),
                    kty: other.to_owned(),
                })
            }
        };
        if family != alg.family() {
            return Err(mismatch(&kid, alg, &format!("a {kty} key")));
        }
        match family {
            Family::Hmac => Self::hmac_kid(kid.clone(), alg, &field.req_b64("k")?),
            Family::Rsa => {
                if m.contains_key("oth") {
                    return Err(KeyError::RsaInvalid {
                        kid: kid.clone(),
                        reason: "multi-prime keys (\"oth\") are not supported".into(),
                    });
                }
                let (n, e) = (field.req_b64("n")?, field.req_b64("e")?);
                match field.opt_b64("d")? {
                    None => Self::rsa_public_kid(kid.clone(), alg, &n, &e),
                    Some(d) => {
                        let p = field.opt_b64("p")?;
                        let q = field.opt_b64("q")?;
                        let primes = match (&p, &q) {
                            (Some(p), Some(q)) => Some((p.as_slice(), q.as_slice())),
                            (None, None) => None,
                            _ => {
                                return Err(KeyError::InvalidPrivateKey {
                                    kid: kid.clone(),
                                    reason: "only one of p and q is given",
                                })
                            }
                        };
                        let crt = [
                            field.opt_b64("dp")?,
                            field.opt_b64("dq")?,
                            field.opt_b64("qi")?,
                        ];
                        check_crt(&kid, &d, primes, &crt)?;
                        Self::rsa_private_kid(kid.clone(), alg, &n, &e, &d, primes)
                    }
                }
            }
            Family::Ec | Family::Ed => {
                let crv = field.req_str("crv")?;
                let want = alg.curve().unwrap_or_default();
                if crv != want {
                    return Err(KeyError::CurveMismatch {
                        kid: kid.clone(),
                        alg: alg.name(),
                        crv: crv.to_owned(),
                    });
                }
                let x = field.req_b64("x")?;
                let d = field.opt_b64("d")?;
                if family == Family::Ed {
                    return match d {
                        None => Self::ed25519_public_kid(kid.clone(), &x),
                        Some(d) => Self::ed25519_private_kid(kid.clone(), &d, Some(&x)),
                    };
                }
                let y = field.req_b64("y")?;
                match d {
                    None => Self::ec_public_kid(kid.clone(), alg, &x, &y),
                    Some(d) => Self::ec_private_kid(kid.clone(), alg, &d, Some((&x, &y))),
                }
            }
        }
    }
}

/// Refuse RSA public keys that are too small or large, malformed, with a bad
/// exponent, or with the ROCA fingerprint.
fn check_rsa_public(
    kid: &Option<String>,
    alg: Algorithm,
    n: &[u8],
    e: &[u8],
) -> Result<(), KeyError> {
    if alg.family() != Family::Rsa {
        return Err(mismatch(kid, alg, "an RSA key"));
    }
    let invalid = |reason: &str| KeyError::RsaInvalid {
        kid: kid.clone(),
        reason: reason.to_owned(),
    };
    if n.first() == Some(&0) || e.first() == Some(&0) {
        return Err(invalid("integer has leading zero bytes"));
    }
    // An empty modulus has 0 bits (and must not underflow the subtraction).
    let bits = n
        .first()
        .map_or(0, |b| n.len() * 8 - b.leading_zeros() as usize);
    let min_bits = if plant::active(jwks_plant::RSA_1024) {
        1024
    } else {
        MIN_RSA_BITS
    };
    if !(min_bits..=MAX_RSA_BITS).contains(&bits) {
        return Err(KeyError::RsaModulusSize {
            kid: kid.clone(),
            bits,
            min: MIN_RSA_BITS,
            max: MAX_RSA_BITS,
        });
    }
    if n.last().is_some_and(|b| b % 2 == 0) {
        return Err(invalid("modulus is even"));
    }
    let exponent = |reason| KeyError::RsaExponent {
        kid: kid.clone(),
        reason,
    };
    if e.len() > 8 {
        return Err(exponent("larger than 2^33 - 1"));
    }
    let ev = e.iter().fold(0u64, |acc, &b| (acc << 8) | u64::from(b));
    if ev % 2 == 0 && !plant::active(jwks_plant::EVEN_EXPONENT) {
        return Err(exponent("even"));
    }
    let floor = if plant::active(jwks_plant::EXPONENT_FLOOR_3) {
        3
    } else {
        65537
    };
    if ev < floor {
        return Err(exponent("smaller than 65537"));
    }
    if ev > (1 << 33) - 1 {
        return Err(exponent("larger than 2^33 - 1"));
    }
    if has_roca_fingerprint(n) {
        return Err(KeyError::RocaWeakKey { kid: kid.clone() });
    }
    if let Some(factor) = small_factor(n) {
        return Err(KeyError::RsaSmallFactor {
            kid: kid.clone(),
            factor,
        });
    }
    Ok(())
}

/// Trial division bound: a modulus divisible by a prime below it is refused.
pub const SMALL_FACTOR_BOUND: u32 = 10_000;

/// The smallest prime below [`SMALL_FACTOR_BOUND`] dividing the big-endian
/// integer `n`, if any. An RSA modulus is the product of two large primes,
/// so a small factor means the key is broken (or not RSA at all).
fn small_factor(n: &[u8]) -> Option<u32> {
    let bound = if plant::active(jwks_plant::SMALL_FACTOR_100) {
        100
    } else {
        SMALL_FACTOR_BOUND
    };
    (3..bound)
        .step_by(2)
        .filter(|&p| {
            (3..)
                .step_by(2)
                .take_while(|d| d * d <= p)
                .all(|d| p % d != 0)
        })
        .find(|&p| {
            let p = u64::from(p);
            n.iter().fold(0u64, |r, &b| ((r << 8) | u64::from(b)) % p) == 0
        })
}

/// The CRT parameters `dp`, `dq`, `qi` (when given) must be consistent with
/// `d`, `p` and `q`: `dp = d mod (p-1)`, `dq = d mod (q-1)`, `qi·q ≡ 1 mod p`.
/// They are not used for signing (the key is re-derived from `n`, `e`, `d`,
/// `p`, `q`), but a key file whose parameters disagree is corrupt or forged.
fn check_crt(
    kid: &Option<String>,
    d: &[u8],
    primes: Option<(&[u8], &[u8])>,
    crt: &[Option<Vec<u8>>; 3],
) -> Result<(), KeyError> {
    use rsa::BigUint;
    let invalid = |reason: &str| KeyError::RsaInvalid {
        kid: kid.clone(),
        reason: reason.to_owned(),
    };
    if crt.iter().all(Option::is_none) {
        return Ok(());
    }
    let Some((p, q)) = primes else {
        return Err(invalid("CRT parameters (dp, dq, qi) given without p and q"));
    };
    let [Some(dp), Some(dq), Some(qi)] = crt else {
        return Err(invalid(
            "CRT parameters must be given all three (dp, dq, qi) or none",
        ));
    };
    let big = |b: &[u8]| BigUint::from_bytes_be(b);
    let (d, p, q) = (big(d), big(p), big(q));
    let one = BigUint::from(1u8);
    if p <= one || q <= one {
        return Err(invalid("p and q must be greater than 1"));
    }
    if big(dp) != &d % &(&p - &one) {
        return Err(invalid("dp is not d mod (p-1)"));
    }
    if big(dq) != &d % &(&q - &one) {
        return Err(invalid("dq is not d mod (q-1)"));
    }
    let qi = big(qi);
    if qi >= p || (&qi * &q) % &p != one {
        return Err(invalid("qi is not the inverse of q mod p"));
    }
    Ok(())
}

/// Whether a 32-byte Ed25519 public key encodes its `y` canonically, i.e.
/// `y < p = 2^255 - 19` (the top bit is the sign of `x`). The encodings
/// `y + p` of the small `y < 19` decode to the same point and would give one
/// key two byte strings.
fn is_canonical_ed25519(x: &[u8]) -> bool {
    let mut y = x.to_vec();
    if let Some(top) = y.last_mut() {
        *top &= 0x7f;
    }
    // p = 2^255 - 19 in little-endian bytes: 0xed, 0xff × 30, 0x7f.
    let mut p = [0xffu8; 32];
    p[0] = 0xed;
    p[31] = 0x7f;
    // Compare little-endian numbers from the most significant byte.
    y.iter().rev().cmp(p.iter().rev()) == std::cmp::Ordering::Less
}

/// Put an ECDSA signature `r || s` into low-`s` form.
fn normalize_s(alg: Algorithm, sig: Vec<u8>) -> Vec<u8> {
    let low = match alg {
        Algorithm::ES256 => p256::ecdsa::Signature::from_slice(&sig)
            .ok()
            .and_then(|s| s.normalize_s())
            .map(|s| s.to_bytes().to_vec()),
        Algorithm::ES384 => p384::ecdsa::Signature::from_slice(&sig)
            .ok()
            .and_then(|s| s.normalize_s())
            .map(|s| s.to_bytes().to_vec()),
        Algorithm::ES512 => p521::ecdsa::Signature::from_slice(&sig)
            .ok()
            .and_then(|s| s.normalize_s())
            .map(|s| s.to_bytes().to_vec()),
        _ => None,
    };
    low.unwrap_or(sig)
}

/// Whether an ECDSA signature `r || s` has a high `s` (or does not parse).
pub(crate) fn is_high_s(alg: Algorithm, sig: &[u8]) -> bool {
    match alg {
        Algorithm::ES256 => {
            p256::ecdsa::Signature::from_slice(sig).map_or(true, |s| s.normalize_s().is_some())
        }
        Algorithm::ES384 => {
            p384::ecdsa::Signature::from_slice(sig).map_or(true, |s| s.normalize_s().is_some())
        }
        Algorithm::ES512 => {
            p521::ecdsa::Signature::from_slice(sig).map_or(true, |s| s.normalize_s().is_some())
        }
        _ => false,
    }
}

fn json_err(e: StrictJsonError) -> KeyError {
    KeyError::Json {
        detail: e.to_string(),
    }
}

/// Typed access to JWK members with errors naming the key and member.
struct Fields<'a> {
    m: &'a Map<String, Value>,
    kid: &'a Option<String>,
}

impl<'a> Fields<'a> {
    fn opt_str(&self, member: &'static str) -> Result<Option<&'a str>, KeyError> {
        match self.m.get(member) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(_) => Err(KeyError::MemberType {
                kid: self.kid.clone(),
                member,
                expected: "a string",
            }),
        }
    }
    fn req_str(&self, member: &'static str) -> Result<&'a str, KeyError> {
        self.opt_str(member)?
            .ok_or_else(|| KeyError::MissingMember {
                kid: self.kid.clone(),
                member,
            })
    }
    fn opt_b64(&self, member: &'static str) -> Result<Option<Vec<u8>>, KeyError> {
        self.opt_str(member)?
            .map(|s| {
                b64::decode(s.as_bytes()).ok_or_else(|| KeyError::Base64 {
                    kid: self.kid.clone(),
                    member,
                })
            })
            .transpose()
    }
    fn req_b64(&self, member: &'static str) -> Result<Vec<u8>, KeyError> {
        self.opt_b64(member)?
            .ok_or_else(|| KeyError::MissingMember {
                kid: self.kid.clone(),
                member,
            })
    }
}

/// A set of trusted keys (a JWK Set, RFC 7517 §5), unambiguous by construction.
///
/// Refused sets: empty; more than [`MAX_KEYS`]; two keys with the same `kid`;
/// several keys where one has no `kid`; asymmetric public keys mixed with
/// asymmetric private keys; the same key material bound to two algorithms
/// (RFC 8725 §3.1); an HMAC secret equal to a public key of the set in any
/// usual encoding (raw, base64url, DER, PEM, JWK); and, unless built with
/// [`Jwks::new_allow_mixed`] / [`Jwks::from_json_allow_mixed`], HMAC secrets
/// mixed with asymmetric keys: a key set is usually published, and a
/// published HMAC secret lets anyone sign.
#[derive(Clone, Debug)]
pub struct Jwks {
    keys: Vec<Key>,
    by_kid: HashMap<String, usize>,
}

/// The public encodings of an asymmetric key an HMAC secret must not equal.
fn public_forms(key: &Key) -> Vec<Vec<u8>> {
    let raw = key.material.clone();
    let mut forms = vec![raw.clone(), b64::encode(&raw).into_bytes()];
    let mut der = Vec::new();
    match &key.public {
        Public::Secret => return Vec::new(),
        Public::Rsa { n, e } => {
            use rsa::pkcs1::EncodeRsaPublicKey;
            use rsa::pkcs8::EncodePublicKey;
            if let Ok(pk) = rsa::RsaPublicKey::new(
                rsa::BigUint::from_bytes_be(n),
                rsa::BigUint::from_bytes_be(e),
            ) {
                der.extend(pk.to_pkcs1_der().map(|d| d.as_bytes().to_vec()));
                der.extend(pk.to_public_key_der().map(|d| d.as_bytes().to_vec()));
            }
        }
        Public::Ec { x, y, .. } => {
            forms.push(x.clone());
            forms.push([x.as_slice(), y.as_slice()].concat());
            der.push(ec_spki(key.alg, &raw));
        }
        Public::Ed { x } => {
            // SubjectPublicKeyInfo for Ed25519 (RFC 8410): fixed prefix, then x.
            der.push([&hex12(b"302a300506032b6570032100")[..], x].concat());
        }
    }
    for d in der {
        forms.push(pem("PUBLIC KEY", &d));
        forms.push(pem("RSA PUBLIC KEY", &d));
        forms.push(d);
    }
    if let Some(jwk) = key.public_jwk() {
        forms.push(Value::Object(jwk).to_string().into_bytes());
    }
    forms
}

/// Decode a short ASCII hex constant.
fn hex12(hex: &[u8]) -> Vec<u8> {
    hex.chunks(2)
        .filter_map(|c| std::str::from_utf8(c).ok())
        .filter_map(|c| u8::from_str_radix(c, 16).ok())
        .collect()
}

/// The DER SubjectPublicKeyInfo of an EC point (uncompressed SEC1 `sec1`).
fn ec_spki(alg: Algorithm, sec1: &[u8]) -> Vec<u8> {
    use p256::pkcs8::EncodePublicKey;
    let der = match alg {
        Algorithm::ES256 => p256::PublicKey::from_sec1_bytes(sec1)
            .ok()
            .and_then(|k| k.to_public_key_der().ok()),
        Algorithm::ES384 => p384::PublicKey::from_sec1_bytes(sec1)
            .ok()
            .and_then(|k| k.to_public_key_der().ok()),
        _ => p521::PublicKey::from_sec1_bytes(sec1)
            .ok()
            .and_then(|k| k.to_public_key_der().ok()),
    };
    der.map(|d| d.as_bytes().to_vec()).unwrap_or_default()
}

/// PEM armour of DER bytes (64-column standard base64).
fn pem(label: &str, der: &[u8]) -> Vec<u8> {
    use base64::Engine;
    let body = base64::engine::general_purpose::STANDARD.encode(der);
    let mut out = format!("-----BEGIN {label}-----\n");
    for line in body.as_bytes().chunks(64) {
        out.push_str(std::str::from_utf8(line).unwrap_or_default());
        out.push('\n');
    }
    out.push_str(&format!("-----END {label}-----\n"));
    out.into_bytes()
}

/// Bytes without ASCII whitespace, for comparing text encodings.
fn squeeze(bytes: &[u8]) -> Vec<u8> {
    bytes
        .iter()
        .copied()
        .filter(|b| !b.is_ascii_whitespace())
        .collect()
}

impl Jwks {
    /// A set of keys built in code. HMAC secrets mixed with asymmetric keys
    /// are refused ([`KeyError::MixedSymmetric`]); see [`Jwks::new_allow_mixed`].
    pub fn new(keys: Vec<Key>) -> Result<Jwks, KeyError> {
        Jwks::build(keys, false)
    }

    /// A set of keys built in code that may hold HMAC secrets next to
    /// asymmetric keys: for a private, never published set (the fixture's).
    /// Every other rule of [`Jwks`] still applies.
    pub fn new_allow_mixed(keys: Vec<Key>) -> Result<Jwks, KeyError> {
        Jwks::build(keys, true)
    }

    fn build(keys: Vec<Key>, allow_mixed: bool) -> Result<Jwks, KeyError> {
        if keys.is_empty() {
            return Err(KeyError::Empty);
        }
        if keys.len() > MAX_KEYS {
            return Err(KeyError::TooManyKeys {
                count: keys.len(),
                max: MAX_KEYS,
            });
        }
        let private = keys.iter().any(Key::is_asymmetric_private);
        let public = keys
            .iter()
            .any(|k| k.public != Public::Secret && k.sign.is_none());
        if private && public && !plant::active(jwks_plant::MIXED_PUBLIC_PRIVATE) {
            return Err(KeyError::MixedPublicPrivate);
        }
        let kid_of = |k: &Key| k.kid.clone();
        if !allow_mixed && !plant::active(jwks_plant::MIXED_SYMMETRIC) {
            let secret = keys.iter().find(|k| k.public == Public::Secret);
            let asymmetric = keys.iter().find(|k| k.public != Public::Secret);
            if let (Some(s), Some(a)) = (secret, asymmetric) {
                return Err(KeyError::MixedSymmetric {
                    secret: kid_of(s),
                    asymmetric: kid_of(a),
                });
            }
        }
        for (i, a) in keys.iter().enumerate() {
            for b in &keys[..i] {
                let same_kind = (a.public == Public::Secret) == (b.public == Public::Secret);
                if same_kind && a.material == b.material && a.alg != b.alg {
                    return Err(KeyError::KeyReuse {
                        kid: kid_of(a),
                        other: kid_of(b),
                        algs: [b.alg.name(), a.alg.name()],
                    });
                }
            }
        }
        for secret in keys.iter().filter(|k| k.public == Public::Secret) {
            let k = squeeze(&secret.material);
            for public in keys.iter().filter(|k| k.public != Public::Secret) {
                if public_forms(public)
                    .iter()
                    .any(|f| *f == secret.material || squeeze(f) == k)
                {
                    return Err(KeyError::SecretIsPublicKey {
                        kid: kid_of(secret),
                        public: kid_of(public),
                    });
                }
            }
        }
        let mut by_kid = HashMap::new();
        for (index, key) in keys.iter().enumerate() {
            match &key.kid {
                Some(kid)
                    if by_kid.insert(kid.clone(), index).is_some()
                        && !plant::active(jwks_plant::DUPLICATE_KID) =>
                {
                    return Err(KeyError::DuplicateKid { kid: kid.clone() });
                }
                Some(_) => {}
                None if keys.len() > 1 => return Err(KeyError::MissingKid { index }),
                None => {}
            }
        }
        Ok(Jwks { keys, by_kid })
    }

    /// Parse a JWK Set document. Every key must name its `alg`; the document
    /// must be strict JSON (no duplicate members) of at most [`MAX_JWKS_LEN`]
    /// bytes. HMAC secrets mixed with asymmetric keys are refused
    /// ([`KeyError::MixedSymmetric`]).
    pub fn from_json(text: &str) -> Result<Jwks, KeyError> {
        Jwks::parse(text, false)
    }

    /// [`Jwks::from_json`] for a private set that may hold HMAC secrets next
    /// to asymmetric keys (the fixture's trusted set). Never use it for a
    /// set that is published.
    pub fn from_json_allow_mixed(text: &str) -> Result<Jwks, KeyError> {
        Jwks::parse(text, true)
    }

    fn parse(text: &str, allow_mixed: bool) -> Result<Jwks, KeyError> {
        if text.len() > MAX_JWKS_LEN {
            return Err(KeyError::TooLarge {
                len: text.len(),
                max: MAX_JWKS_LEN,
            });
        }
        let doc = json::parse_object(text.as_bytes()).map_err(json_err)?;
        let list = match doc.get("keys") {
            Some(Value::Array(list)) => list,
            Some(_) => {
                return Err(KeyError::NotAKeySet {
                    detail: "\"keys\" is not an array",
                })
            }
            None => {
                return Err(KeyError::NotAKeySet {
                    detail: "no \"keys\" member",
                })
            }
        };
        if list.len() > MAX_KEYS {
            return Err(KeyError::TooManyKeys {
                count: list.len(),
                max: MAX_KEYS,
            });
        }
        let keys = list
            .iter()
            .map(|k| match k {
                Value::Object(m) => Key::from_jwk_map(m, None),
                _ => Err(KeyError::NotAKeySet {
                    detail: "a key is not a JSON object",
                }),
            })
            .collect::<Result<Vec<_>, _>>()?;
        Jwks::build(keys, allow_mixed)
    }

    /// Read and parse a JWK Set file (size checked before reading it whole).
    pub fn from_file(path: impl AsRef<Path>) -> Result<Jwks, KeyError> {
        use std::io::Read;
        let path = path.as_ref();
        let io = |source| KeyError::Io {
            path: path.to_owned(),
            source,
        };
        let file = std::fs::File::open(path).map_err(io)?;
        let mut text = String::new();
        file.take(MAX_JWKS_LEN as u64 + 1)
            .read_to_string(&mut text)
            .map_err(io)?;
        Jwks::from_json(&text)
    }

    /// The key with this `kid`.
    pub fn get(&self, kid: &str) -> Option<&Key> {
        self.by_kid.get(kid).map(|&i| &self.keys[i])
    }

    /// The only key of a one-key set.
    pub fn sole(&self) -> Option<&Key> {
        match self.keys.as_slice() {
            [key] => Some(key),
            _ => None,
        }
    }

    /// All keys, in document order.
    pub fn keys(&self) -> &[Key] {
        &self.keys
    }

    /// The public JWK Set for these keys (HMAC secrets are left out).
    pub fn public_json(&self) -> Value {
        let keys: Vec<Value> = self
            .keys
            .iter()
            .filter_map(|k| k.public_jwk().map(Value::Object))
            .collect();
        serde_json::json!({ "keys": keys })
    }
}
