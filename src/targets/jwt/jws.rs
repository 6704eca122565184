//! The JWS layer: compact serialization, canonical encoding, a strict header,
//! key selection by `kid`, and the signature (computed by `jsonwebtoken`).

use super::plant;
use crate::engine::plant::active as planted;
use serde_json::{Map, Value};

use super::b64;
use super::error::{JwsError, Segment, SignError};
use super::json::{self, StrictJsonError};
use super::keys::{is_high_s, Algorithm, Family, Jwks, Key, Public};

/// Default cap on a token's length in bytes (16 KiB), checked before any decoding.
pub const DEFAULT_MAX_TOKEN_LEN: usize = 16 * 1024;

/// Header parameters that supply a key. They are attacker-controlled: a
/// verifier that uses them lets the token choose the key that verifies it.
pub const EMBEDDED_KEY_PARAMS: [&str; 4] = ["jwk", "jku", "x5u", "x5c"];

/// Header parameters refused outright: `zip` and `enc` belong to JWE, and
/// `b64` (RFC 7797) would change what the signature covers.
pub const FORBIDDEN_PARAMS: [&str; 3] = ["zip", "enc", "b64"];

/// Header parameter names registered by RFC 7515; `crit` may not list them.
const REGISTERED_PARAMS: [&str; 11] = [
    "alg", "jku", "jwk", "kid", "x5u", "x5c", "x5t", "x5t#S256", "typ", "cty", "crit",
];

/// Settings of the JWS layer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JwsPolicy {
    /// Longest token accepted. Default [`DEFAULT_MAX_TOKEN_LEN`].
    pub max_token_len: usize,
    /// Extension header names this application understands and allows in
    /// `crit`. Default: none, so any `crit` is refused.
    pub understood_crit: Vec<String>,
    /// Refuse ECDSA signatures with a high `s`. A valid signature `(r, s)`
    /// has a twin `(r, n - s)` that verifies too, so without this a token has
    /// two accepted byte strings. Default `false`, because many issuers do
    /// not normalize `s`; secfuzz's own signing always produces low `s`.
    pub ecdsa_low_s: bool,
}

impl Default for JwsPolicy {
    fn default() -> Self {
        JwsPolicy {
            max_token_len: DEFAULT_MAX_TOKEN_LEN,
            understood_crit: Vec::new(),
            ecdsa_low_s: false,
        }
    }
}

/// A verified JWS.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Jws {
    /// The algorithm (= the selected key's algorithm).
    pub alg: Algorithm,
    /// The `kid` that selected the key, if the header had one.
    pub kid: Option<String>,
    /// The whole protected header.
    pub header: Map<String, Value>,
    /// The payload bytes (any bytes).
    pub payload: Vec<u8>,
}

/// Verify a compact JWS against a trusted key set and return its payload.
///
/// In order: size cap; exactly three segments (five is a JWE and is refused
/// as such); canonical base64url header; strict JSON header (duplicate
/// members refused); `alg` present, not `none` in any spelling, supported;
/// no key-supplying parameter (`jwk`, `jku`, `x5u`, `x5c`) and no `zip`,
/// `enc`, `b64`; `crit` only with understood extensions; `typ`/`cty` strings;
/// key selected by `kid` (exact string lookup; without `kid` only a one-key
/// set selects); header `alg` equal to that key's algorithm; canonical
/// signature; signature verified; canonical payload.
pub fn verify_jws(token: &[u8], keys: &Jwks, policy: &JwsPolicy) -> Result<Jws, JwsError> {
    if token.len() > policy.max_token_len {
        return Err(JwsError::TooLarge {
            len: token.len(),
            max: policy.max_token_len,
        });
    }
    let dots: Vec<usize> = token
        .iter()
        .enumerate()
        .filter(|&(_, &b)| b == b'.')
        .map(|(i, _)| i)
        .collect();
    let (first, second) = match dots.as_slice() {
        &[a, b] => (a, b),
        d if d.len() == 4 => return Err(JwsError::Jwe),
        d => {
            return Err(JwsError::Malformed {
                segments: d.len() + 1,
            })
        }
    };
    let header_b64 = &token[..first];
    let payload_b64 = &token[first + 1..second];
    let signature_b64 = &token[second + 1..];
    let signing_input = &token[..second];
    if header_b64.is_empty() {
        return Err(JwsError::EmptyHeader);
    }
    let unverified_none = planted(plant::NONE_UNVERIFIED);
    if signature_b64.is_empty() && !unverified_none {
        return Err(JwsError::MissingSignature);
    }

    let header_bytes = b64::decode(header_b64).ok_or(JwsError::Base64 {
        segment: Segment::Header,
    })?;
    let header = json::parse_object(&header_bytes).map_err(|e| match e {
        StrictJsonError::Duplicate(name) => JwsError::DuplicateHeaderMember { name },
        other => JwsError::HeaderJson {
            detail: other.to_string(),
        },
    })?;

    let alg = match header.get("alg") {
        None => return Err(JwsError::MissingAlg),
        Some(Value::String(s)) if s.eq_ignore_ascii_case("none") => {
            if unverified_none {
                let payload = b64::decode(payload_b64).ok_or(JwsError::Base64 {
                    segment: Segment::Payload,
                })?;
                return Ok(Jws {
                    alg: Algorithm::HS256,
                    kid: None,
                    header,
                    payload,
                });
            }
            return Err(JwsError::AlgNone { alg: s.clone() });
        }
        Some(Value::String(s)) => Algorithm::from_name(s)
            .ok_or_else(|| JwsError::UnsupportedAlgorithm { alg: s.clone() })?,
        Some(_) => {
            return Err(JwsError::HeaderType {
                name: "alg",
                expected: "a string",
            })
        }
    };
    if let Some(name) = EMBEDDED_KEY_PARAMS
        .iter()
        .filter(|n| **n != "jku" || !planted(plant::JKU_ALLOWED))
        .find(|n| header.contains_key(**n))
    {
        return Err(JwsError::EmbeddedKey { name });
    }
    if let Some(name) = FORBIDDEN_PARAMS.iter().find(|n| header.contains_key(**n)) {
        return Err(JwsError::ForbiddenHeader { name });
    }
    check_crit(&header, &policy.understood_crit)?;
    for name in ["typ", "cty"] {
        if header.get(name).is_some_and(|v| !v.is_string()) {
            return Err(JwsError::HeaderType {
                name,
                expected: "a string",
            });
        }
    }

    let (key, kid) = select_key(&header, keys)?;
    let alg_differs = if planted(plant::ALG_FAMILY) {
        key.algorithm().family() != alg.family()
    } else {
        key.algorithm() != alg
    };
    if alg_differs {
        return Err(JwsError::AlgorithmMismatch {
            alg: alg.name(),
            key_alg: key.algorithm().name(),
        });
    }

    let signature = b64::decode(signature_b64).ok_or(JwsError::Base64 {
        segment: Segment::Signature,
    })?;
    if policy.ecdsa_low_s && alg.family() == Family::Ec && is_high_s(alg, &signature) {
        return Err(JwsError::HighS);
    }
    if let Public::Rsa { n, .. } = key.public() {
        if !planted(plant::RSA_RANGE) {
            check_rsa_range(&signature, n)?;
        }
    }
    if !key.verifies(signing_input, &signature) {
        return Err(JwsError::BadSignature);
    }

    let payload = b64::decode(payload_b64).ok_or(JwsError::Base64 {
        segment: Segment::Payload,
    })?;
    Ok(Jws {
        alg,
        kid,
        header,
        payload,
    })
}

/// RFC 8017 §5.2.2 (RSAVP1): the signature is an octet string of exactly
/// the modulus' length whose integer is below the modulus. Checked here, not
/// left to the backend: the `rsa` crate's PSS verification checks the length
/// only, so `s + n` (when it fits) verified as a second encoding of `s`.
/// `n` is stored without leading zero bytes, so with equal lengths the
/// big-endian byte order is the integer order.
fn check_rsa_range(signature: &[u8], n: &[u8]) -> Result<(), JwsError> {
    if signature.len() != n.len() || signature >= n {
        return Err(JwsError::SignatureRange {
            len: signature.len(),
            modulus_len: n.len(),
        });
    }
    Ok(())
}

/// `crit` (RFC 7515 §4.1.11): a non-empty array of distinct strings, none a
/// registered name, each present in the header and understood.
fn check_crit(header: &Map<String, Value>, understood: &[String]) -> Result<(), JwsError> {
    let Some(crit) = header.get("crit") else {
        return Ok(());
    };
    let refuse = |reason: String| Err(JwsError::Critical { reason });
    let Some(list) = crit.as_array() else {
        return refuse("must be an array of strings".into());
    };
    if list.is_empty() {
        return refuse("must not be empty".into());
    }
    let mut seen: Vec<&str> = Vec::new();
    for entry in list {
        let Some(name) = entry.as_str() else {
            return refuse("must be an array of strings".into());
        };
        if seen.contains(&name) {
            return refuse(format!("{name:?} is listed twice"));
        }
        if REGISTERED_PARAMS.contains(&name) {
            return refuse(format!("{name:?} is a registered parameter"));
        }
        if !understood.iter().any(|u| u == name) && !planted(plant::CRIT_UNDERSTOOD) {
            return refuse(format!("extension {name:?} is not understood"));
        }
        if !header.contains_key(name) {
            return refuse(format!("{name:?} is listed but absent"));
        }
        seen.push(name);
    }
    Ok(())
}

/// The key a header selects: by exact `kid` lookup, or the only key of a
/// one-key set when there is no `kid`.
fn select_key<'k>(
    header: &Map<String, Value>,
    keys: &'k Jwks,
) -> Result<(&'k Key, Option<String>), JwsError> {
    match header.get("kid") {
        Some(Value::String(kid)) if planted(plant::KID_PREFIX) => match keys
            .keys()
            .iter()
            .find(|k| k.kid().is_some_and(|k| kid.starts_with(k)))
        {
            Some(key) => Ok((key, Some(kid.clone()))),
            None => Err(JwsError::UnknownKid { kid: kid.clone() }),
        },
        Some(Value::String(kid)) => match keys.get(kid) {
            Some(key) => Ok((key, Some(kid.clone()))),
            None => Err(JwsError::UnknownKid { kid: kid.clone() }),
        },
        Some(_) => Err(JwsError::HeaderType {
            name: "kid",
            expected: "a string",
        }),
        None => keys.sole().map(|k| (k, None)).ok_or(JwsError::KidRequired),
    }
}

/// Sign `payload` as a compact JWS with `key`. The header is
/// `{"alg":…,"kid":…,"typ":…}` (`kid` if the key has one, `typ` if given).
pub fn sign_jws(payload: &[u8], key: &Key, typ: Option<&str>) -> Result<String, SignError> {
    let mut header = Map::new();
    header.insert("alg".into(), key.algorithm().name().into());
    if let Some(kid) = key.kid() {
        header.insert("kid".into(), kid.into());
    }
    if let Some(typ) = typ {
        header.insert("typ".into(), typ.into());
    }
    let header = serde_json::to_vec(&header).map_err(|e| SignError::Backend {
        detail: e.to_string(),
    })?;
    let mut token = b64::encode(&header);
    token.push('.');
    token.push_str(&b64::encode(payload));
    let signature = key.sign_raw(token.as_bytes())?;
    token.push('.');
    token.push_str(&b64::encode(&signature));
    Ok(token)
}
