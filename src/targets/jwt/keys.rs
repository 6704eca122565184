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
    pub const ALL: [Algorithm; 12] = [
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
            Algorithm::ES256 | Algorithm::ES384 => Family::Ec,
            Algorithm::EdDSA => Family::Ed,
        }
    }

    pub(crate) fn backend(self) -> jsonwebtoken::Algorithm {
        use jsonwebtoken::Algorithm as J;
        match self {
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
            Algorithm::EdDSA => J::EdDSA,
        }
    }

    /// Minimum HMAC secret length: the hash output size (RFC 7518 §3.2).
    fn hmac_min_len(self) -> usize {
        match self {
            Algorithm::HS384 => 48,
            Algorithm::HS512 => 64,
            _ => 32,
        }
    }

    /// The JWK curve name an EC/OKP algorithm requires.
    fn curve(self) -> Option<&'static str> {
        match self {
            Algorithm::ES256 => Some("P-256"),
            Algorithm::ES384 => Some("P-384"),
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
    verify: DecodingKey,
    sign: Option<EncodingKey>,
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

    pub(crate) fn decoding_key(&self) -> &DecodingKey {
        &self.verify
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
        let sig = jsonwebtoken::crypto::sign(signing_input, key, self.alg.backend())
            .map_err(backend_err)?;
        let sig = b64::decode(sig.as_bytes()).ok_or_else(|| backend_err("non-canonical base64"))?;
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
        let min = alg.hmac_min_len();
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
            verify: DecodingKey::from_secret(secret),
            sign: Some(EncodingKey::from_secret(secret)),
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
            verify: DecodingKey::from_rsa_raw_components(n, e),
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
            sign: Some(EncodingKey::from_rsa_der(der.as_bytes())),
            ..public
        })
    }

    // ------------------------------------------------------------------- EC

    /// An EC public key (ES256 on P-256, ES384 on P-384) from its affine
    /// coordinates; the point must be on the curve.
    pub fn ec_public(alg: Algorithm, x: &[u8], y: &[u8]) -> Result<Key, KeyError> {
        Self::ec_public_kid(None, alg, x, y)
    }

    fn ec_public_kid(
        kid: Option<String>,
        alg: Algorithm,
        x: &[u8],
        y: &[u8],
    ) -> Result<Key, KeyError> {
        let crv = match alg {
            Algorithm::ES256 | Algorithm::ES384 => alg.curve().unwrap_or_default(),
            _ => return Err(mismatch(&kid, alg, "an EC key")),
        };
        let size = if alg == Algorithm::ES256 { 32 } else { 48 };
        let mut sec1 = Vec::with_capacity(1 + 2 * size);
        sec1.push(0x04);
        sec1.extend_from_slice(x);
        sec1.extend_from_slice(y);
        let on_curve = x.len() == size
            && y.len() == size
            && match alg {
                Algorithm::ES256 => p256::PublicKey::from_sec1_bytes(&sec1).is_ok(),
                _ => p384::PublicKey::from_sec1_bytes(&sec1).is_ok(),
            };
        if !on_curve {
            return Err(KeyError::InvalidPoint { kid, crv });
        }
        Ok(Key {
            verify: DecodingKey::from_ec_der(&sec1),
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
            Algorithm::ES256 | Algorithm::ES384 => return Err(bad("d has the wrong length")),
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
            sign: Some(EncodingKey::from_ec_der(der.as_bytes())),
            ..public
        })
    }

    // -------------------------------------------------------------- Ed25519

    /// An Ed25519 public key (EdDSA); small-order (weak) points are refused.
    pub fn ed25519_public(x: &[u8]) -> Result<Key, KeyError> {
        Self::ed25519_public_kid(None, x)
    }

    fn ed25519_public_kid(kid: Option<String>, x: &[u8]) -> Result<Key, KeyError> {
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
            verify: DecodingKey::from_ed_der(x),
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
            sign: Some(EncodingKey::from_ed_der(der.as_bytes())),
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
            if usage != "sig" {
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
    if !(MIN_RSA_BITS..=MAX_RSA_BITS).contains(&bits) {
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
    if ev % 2 == 0 {
        return Err(exponent("even"));
    }
    if ev < 65537 {
        return Err(exponent("smaller than 65537"));
    }
    if ev > (1 << 33) - 1 {
        return Err(exponent("larger than 2^33 - 1"));
    }
    if has_roca_fingerprint(n) {
        return Err(KeyError::RocaWeakKey { kid: kid.clone() });
    }
    Ok(())
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
/// asymmetric private keys (HMAC secrets may sit with either kind).
#[derive(Clone, Debug)]
pub struct Jwks {
    keys: Vec<Key>,
    by_kid: HashMap<String, usize>,
}

impl Jwks {
    /// A set of keys built in code.
    pub fn new(keys: Vec<Key>) -> Result<Jwks, KeyError> {
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
        if private && public {
            return Err(KeyError::MixedPublicPrivate);
        }
        let mut by_kid = HashMap::new();
        for (index, key) in keys.iter().enumerate() {
            match &key.kid {
                Some(kid) if by_kid.insert(kid.clone(), index).is_some() => {
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
    /// must be strict JSON (no duplicate members) of at most [`MAX_JWKS_LEN`] bytes.
    pub fn from_json(text: &str) -> Result<Jwks, KeyError> {
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
        Jwks::new(keys)
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
