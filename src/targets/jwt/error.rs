//! Typed errors of the JWT target: key loading, the JWS layer, the claims
//! layer and signing. Every variant carries the context a person needs to see
//! what was refused; `Display` says it in words.

use std::fmt;

/// Which of the three compact-serialization segments an error is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Segment {
    /// The JOSE header, first segment.
    Header,
    /// The payload (claims for a JWT), second segment.
    Payload,
    /// The signature, third segment.
    Signature,
}

impl fmt::Display for Segment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Segment::Header => "header",
            Segment::Payload => "payload",
            Segment::Signature => "signature",
        })
    }
}

/// Renders an optional key id for messages: ` "kid"` or nothing.
struct KidRef<'a>(&'a Option<String>);

impl fmt::Display for KidRef<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(kid) => write!(f, "key {kid:?}"),
            None => f.write_str("key without kid"),
        }
    }
}

/// Why a key or a key set was refused.
#[derive(Debug)]
#[non_exhaustive]
pub enum KeyError {
    /// The key-set file could not be read.
    Io {
        /// The file.
        path: std::path::PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The key-set document is larger than the cap, checked before parsing.
    TooLarge {
        /// Its length in bytes.
        len: usize,
        /// The cap.
        max: usize,
    },
    /// The document is not valid JSON, or has a duplicate member.
    Json {
        /// What the parser said.
        detail: String,
    },
    /// The document is not a JWK Set (`{"keys": [...]}`) or a key is not an object.
    NotAKeySet {
        /// What is wrong with its shape.
        detail: &'static str,
    },
    /// The set holds no key.
    Empty,
    /// The set holds more keys than the cap.
    TooManyKeys {
        /// How many keys it has.
        count: usize,
        /// The cap.
        max: usize,
    },
    /// A required JWK member is absent.
    MissingMember {
        /// The key.
        kid: Option<String>,
        /// The member.
        member: &'static str,
    },
    /// A JWK member has the wrong JSON type.
    MemberType {
        /// The key.
        kid: Option<String>,
        /// The member.
        member: &'static str,
        /// The type it must have.
        expected: &'static str,
    },
    /// A JWK member is not canonical base64url (RFC 7515 §2: no padding,
    /// URL-safe alphabet, no whitespace, zero trailing bits).
    Base64 {
        /// The key.
        kid: Option<String>,
        /// The member.
        member: &'static str,
    },
    /// The key type (`kty`) is not one secfuzz verifies with.
    UnsupportedKeyType {
        /// The key.
        kid: Option<String>,
        /// The `kty` value.
        kty: String,
    },
    /// The key does not name an algorithm; every key is bound to exactly one.
    NoAlgorithm {
        /// The key.
        kid: Option<String>,
    },
    /// The key names an algorithm secfuzz does not support (including `none`).
    UnsupportedAlgorithm {
        /// The key.
        kid: Option<String>,
        /// The `alg` value.
        alg: String,
    },
    /// The key's algorithm does not fit its key type, or differs from the
    /// algorithm the caller bound it to.
    AlgorithmMismatch {
        /// The key.
        kid: Option<String>,
        /// The algorithm asked for.
        alg: String,
        /// What the key is.
        key: String,
    },
    /// The key's `use` is not `sig`.
    NotForSignatures {
        /// The key.
        kid: Option<String>,
        /// The `use` value.
        usage: String,
    },
    /// The key's `key_ops` name an operation other than `sign`/`verify`, or repeat one.
    KeyOps {
        /// The key.
        kid: Option<String>,
        /// The offending operation.
        op: String,
    },
    /// An HMAC secret shorter than the hash output (RFC 7518 §3.2), or empty.
    HmacSecretTooShort {
        /// The key.
        kid: Option<String>,
        /// The algorithm.
        alg: &'static str,
        /// The secret's length in bytes.
        len: usize,
        /// The minimum.
        min: usize,
    },
    /// An RSA modulus outside the accepted size range.
    RsaModulusSize {
        /// The key.
        kid: Option<String>,
        /// Its size in bits.
        bits: usize,
        /// The smallest accepted size.
        min: usize,
        /// The largest accepted size.
        max: usize,
    },
    /// An RSA public exponent that is even, below 65537 or too large.
    RsaExponent {
        /// The key.
        kid: Option<String>,
        /// Why.
        reason: &'static str,
    },
    /// An RSA key that is malformed in another way (even or non-minimal
    /// modulus, inconsistent private components).
    RsaInvalid {
        /// The key.
        kid: Option<String>,
        /// Why.
        reason: String,
    },
    /// The RSA modulus carries the ROCA fingerprint (CVE-2017-15361): its
    /// primes were generated by the flawed Infineon library and can be factored.
    RocaWeakKey {
        /// The key.
        kid: Option<String>,
    },
    /// The EC key's curve does not match its algorithm.
    CurveMismatch {
        /// The key.
        kid: Option<String>,
        /// The algorithm.
        alg: &'static str,
        /// The `crv` value.
        crv: String,
    },
    /// The public point is not on the curve (or is the identity, or a weak
    /// small-order Ed25519 point), or a coordinate has the wrong length.
    InvalidPoint {
        /// The key.
        kid: Option<String>,
        /// The curve.
        crv: &'static str,
    },
    /// The private part is malformed or does not belong to the public part.
    InvalidPrivateKey {
        /// The key.
        kid: Option<String>,
        /// Why.
        reason: &'static str,
    },
    /// Two keys share a `kid`, so a token's `kid` would not select one key.
    DuplicateKid {
        /// The repeated `kid`.
        kid: String,
    },
    /// A set of several keys has a key without `kid`.
    MissingKid {
        /// Position of the key in the set.
        index: usize,
    },
    /// The set mixes asymmetric public keys with asymmetric private keys.
    MixedPublicPrivate,
    /// `key_ops` is present but does not allow `verify` (RFC 7517 §4.3).
    KeyOpsWithoutVerify {
        /// The key.
        kid: Option<String>,
    },
    /// The JWK carries a member secfuzz refuses rather than ignores
    /// (`x5c`, `x5u`: certificate chains are not validated).
    UnsupportedMember {
        /// The key.
        kid: Option<String>,
        /// The member.
        member: &'static str,
    },
    /// The RSA modulus has a small prime factor (trial division below
    /// [`SMALL_FACTOR_BOUND`](super::SMALL_FACTOR_BOUND)).
    RsaSmallFactor {
        /// The key.
        kid: Option<String>,
        /// The factor found.
        factor: u32,
    },
    /// The public key is not canonically encoded (an Ed25519 `y + p`).
    NonCanonicalPoint {
        /// The key.
        kid: Option<String>,
        /// The curve.
        crv: &'static str,
    },
    /// The same key material is bound to two algorithms (RFC 8725 §3.1: one
    /// algorithm per key).
    KeyReuse {
        /// The later key.
        kid: Option<String>,
        /// The earlier key with the same material.
        other: Option<String>,
        /// Their algorithms (earlier, later).
        algs: [&'static str; 2],
    },
    /// An HMAC secret equals a public key of the set in some encoding:
    /// anyone who reads the public key can sign.
    SecretIsPublicKey {
        /// The HMAC key.
        kid: Option<String>,
        /// The public key.
        public: Option<String>,
    },
    /// HMAC secrets and asymmetric keys in one set (only allowed by
    /// [`Jwks::from_json_allow_mixed`](super::Jwks::from_json_allow_mixed)):
    /// a published key set would publish the secret.
    MixedSymmetric {
        /// An HMAC key.
        secret: Option<String>,
        /// An asymmetric key.
        asymmetric: Option<String>,
    },
}

impl fmt::Display for KeyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KeyError::Io { path, source } => {
                write!(f, "cannot read key set {}: {source}", path.display())
            }
            KeyError::TooLarge { len, max } => {
                write!(f, "key set is {len} bytes, larger than the {max}-byte limit")
            }
            KeyError::Json { detail } => write!(f, "key set is not strict JSON: {detail}"),
            KeyError::NotAKeySet { detail } => write!(f, "not a JWK Set: {detail}"),
            KeyError::Empty => f.write_str("key set holds no key"),
            KeyError::TooManyKeys { count, max } => {
                write!(f, "key set holds {count} keys, more than the limit of {max}")
            }
            KeyError::MissingMember { kid, member } => {
                write!(f, "{}: required member {member:?} is missing", KidRef(kid))
            }
            KeyError::MemberType {
                kid,
                member,
                expected,
            } => write!(f, "{}: member {member:?} must be {expected}", KidRef(kid)),
            KeyError::Base64 { kid, member } => write!(
                f,
                "{}: member {member:?} is not canonical base64url",
                KidRef(kid)
            ),
            KeyError::UnsupportedKeyType { kid, kty } => {
                write!(f, "{}: unsupported key type {kty:?}", KidRef(kid))
            }
            KeyError::NoAlgorithm { kid } => write!(
                f,
                "{}: no \"alg\"; every key must be bound to exactly one algorithm",
                KidRef(kid)
            ),
            KeyError::UnsupportedAlgorithm { kid, alg } => {
                write!(f, "{}: unsupported algorithm {alg:?}", KidRef(kid))
            }
            KeyError::AlgorithmMismatch { kid, alg, key } => {
                write!(f, "{}: algorithm {alg} cannot be used with {key}", KidRef(kid))
            }
            KeyError::NotForSignatures { kid, usage } => write!(
                f,
                "{}: \"use\" is {usage:?}, only \"sig\" keys verify tokens",
                KidRef(kid)
            ),
            KeyError::KeyOps { kid, op } => write!(
                f,
                "{}: key_ops entry {op:?} is not a signature operation or is repeated",
                KidRef(kid)
            ),
            KeyError::HmacSecretTooShort { kid, alg, len, min } => write!(
                f,
                "{}: {alg} secret is {len} bytes, at least {min} are required",
                KidRef(kid)
            ),
            KeyError::RsaModulusSize {
                kid,
                bits,
                min,
                max,
            } => write!(
                f,
                "{}: RSA modulus is {bits} bits, must be {min} to {max}",
                KidRef(kid)
            ),
            KeyError::RsaExponent { kid, reason } => {
                write!(f, "{}: bad RSA public exponent: {reason}", KidRef(kid))
            }
            KeyError::RsaInvalid { kid, reason } => {
                write!(f, "{}: invalid RSA key: {reason}", KidRef(kid))
            }
            KeyError::RocaWeakKey { kid } => write!(
                f,
                "{}: RSA modulus has the ROCA fingerprint (CVE-2017-15361); the key can be factored",
                KidRef(kid)
            ),
            KeyError::CurveMismatch { kid, alg, crv } => {
                write!(f, "{}: curve {crv:?} does not match {alg}", KidRef(kid))
            }
            KeyError::InvalidPoint { kid, crv } => {
                write!(f, "{}: public key is not a valid {crv} point", KidRef(kid))
            }
            KeyError::InvalidPrivateKey { kid, reason } => {
                write!(f, "{}: invalid private key: {reason}", KidRef(kid))
            }
            KeyError::DuplicateKid { kid } => {
                write!(f, "two keys share kid {kid:?}; key selection would be ambiguous")
            }
            KeyError::MissingKid { index } => write!(
                f,
                "key #{index} has no kid; in a set of several keys each key needs one"
            ),
            KeyError::MixedPublicPrivate => f.write_str(
                "key set mixes public and private asymmetric keys; use one set to verify and another to sign",
            ),
            KeyError::KeyOpsWithoutVerify { kid } => write!(
                f,
                "{}: key_ops does not include \"verify\"; the key may not verify tokens",
                KidRef(kid)
            ),
            KeyError::UnsupportedMember { kid, member } => write!(
                f,
                "{}: member {member:?} is not supported (certificate chains are not validated); remove it",
                KidRef(kid)
            ),
            KeyError::RsaSmallFactor { kid, factor } => write!(
                f,
                "{}: RSA modulus is divisible by {factor}; the key is broken",
                KidRef(kid)
            ),
            KeyError::NonCanonicalPoint { kid, crv } => write!(
                f,
                "{}: {crv} public key is not canonically encoded",
                KidRef(kid)
            ),
            KeyError::KeyReuse { kid, other, algs } => write!(
                f,
                "{} and {} hold the same key material for {} and {}; a key must have one algorithm",
                KidRef(other),
                KidRef(kid),
                algs[0],
                algs[1]
            ),
            KeyError::SecretIsPublicKey { kid, public } => write!(
                f,
                "{}: HMAC secret equals the public key of {}; anyone could sign",
                KidRef(kid),
                KidRef(public)
            ),
            KeyError::MixedSymmetric { secret, asymmetric } => write!(
                f,
                "key set mixes HMAC secrets ({}) with asymmetric keys ({}); a published key set would publish the secret",
                KidRef(secret),
                KidRef(asymmetric)
            ),
        }
    }
}

impl std::error::Error for KeyError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            KeyError::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// Why the JWS layer refused a token.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum JwsError {
    /// The token is longer than the cap; nothing was decoded.
    TooLarge {
        /// Its length in bytes.
        len: usize,
        /// The cap.
        max: usize,
    },
    /// Five segments: a JWE (encrypted token), which this verifier does not accept.
    Jwe,
    /// Not three `.`-separated segments.
    Malformed {
        /// How many segments there were.
        segments: usize,
    },
    /// The header segment is empty.
    EmptyHeader,
    /// The signature segment is empty (an unsigned token).
    MissingSignature,
    /// A segment is not canonical base64url.
    Base64 {
        /// Which segment.
        segment: Segment,
    },
    /// The header is not a strict JSON object.
    HeaderJson {
        /// What the parser said.
        detail: String,
    },
    /// A member name appears twice in the header.
    DuplicateHeaderMember {
        /// The member.
        name: String,
    },
    /// The header has no `alg`.
    MissingAlg,
    /// `alg` is `none` in some spelling: unsigned tokens are never accepted.
    AlgNone {
        /// The spelling seen.
        alg: String,
    },
    /// `alg` names no supported algorithm (names are case-sensitive).
    UnsupportedAlgorithm {
        /// The value seen.
        alg: String,
    },
    /// A header parameter has the wrong JSON type.
    HeaderType {
        /// The parameter.
        name: &'static str,
        /// The type it must have.
        expected: &'static str,
    },
    /// The header embeds or points to a key (`jwk`, `jku`, `x5u`, `x5c`);
    /// such keys are attacker-controlled and never used or fetched.
    EmbeddedKey {
        /// The parameter.
        name: &'static str,
    },
    /// The header has a parameter this verifier refuses (`zip`, `enc`, `b64`).
    ForbiddenHeader {
        /// The parameter.
        name: &'static str,
    },
    /// `crit` is malformed or lists an extension this verifier does not understand.
    Critical {
        /// Why.
        reason: String,
    },
    /// `typ` is not one the verifier expects.
    Typ {
        /// The value seen.
        typ: String,
    },
    /// `cty` is present in a JWT (nested or non-JSON content is refused).
    Cty {
        /// The value seen.
        cty: String,
    },
    /// `kid` names no trusted key.
    UnknownKid {
        /// The value seen.
        kid: String,
    },
    /// No `kid`, and the key set has several keys.
    KidRequired,
    /// The header's `alg` differs from the algorithm the selected key is bound to.
    AlgorithmMismatch {
        /// The header's `alg`.
        alg: &'static str,
        /// The key's algorithm.
        key_alg: &'static str,
    },
    /// An ECDSA signature with a high `s` (the malleated twin of a valid one),
    /// refused when the policy asks for canonical low-`s` signatures.
    HighS,
    /// An RSA signature that is not exactly the modulus' byte length or not
    /// below the modulus (RFC 8017 §5.2.2): `s` and `s + n` would otherwise
    /// be two byte strings of one signature.
    SignatureRange {
        /// The signature's length in bytes.
        len: usize,
        /// The modulus' length in bytes.
        modulus_len: usize,
    },
    /// The signature does not verify with the selected key.
    BadSignature,
}

impl fmt::Display for JwsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            JwsError::TooLarge { len, max } => {
                write!(f, "token is {len} bytes, larger than the {max}-byte limit")
            }
            JwsError::Jwe => f.write_str(
                "token has five segments: a JWE (encrypted token) is not accepted, only signed JWS",
            ),
            JwsError::Malformed { segments } => write!(
                f,
                "token has {segments} segment(s); a compact JWS has exactly three"
            ),
            JwsError::EmptyHeader => f.write_str("header segment is empty"),
            JwsError::MissingSignature => {
                f.write_str("signature segment is empty; unsigned tokens are refused")
            }
            JwsError::Base64 { segment } => write!(
                f,
                "{segment} segment is not canonical base64url (padding, '+', '/', whitespace or trailing bits)"
            ),
            JwsError::HeaderJson { detail } => {
                write!(f, "header is not a strict JSON object: {detail}")
            }
            JwsError::DuplicateHeaderMember { name } => {
                write!(f, "header member {name:?} appears twice")
            }
            JwsError::MissingAlg => f.write_str("header has no \"alg\""),
            JwsError::AlgNone { alg } => {
                write!(f, "alg {alg:?}: unsigned tokens are never accepted")
            }
            JwsError::UnsupportedAlgorithm { alg } => write!(f, "unsupported alg {alg:?}"),
            JwsError::HeaderType { name, expected } => {
                write!(f, "header parameter {name:?} must be {expected}")
            }
            JwsError::EmbeddedKey { name } => write!(
                f,
                "header parameter {name:?} supplies a key; keys come only from the trusted key set"
            ),
            JwsError::ForbiddenHeader { name } => {
                write!(f, "header parameter {name:?} is not accepted")
            }
            JwsError::Critical { reason } => write!(f, "crit: {reason}"),
            JwsError::Typ { typ } => write!(f, "typ {typ:?} is not an expected token type"),
            JwsError::Cty { cty } => {
                write!(f, "cty {cty:?}: a JWT's payload must be its claims")
            }
            JwsError::UnknownKid { kid } => write!(f, "kid {kid:?} names no trusted key"),
            JwsError::KidRequired => {
                f.write_str("token has no kid and the key set has several keys")
            }
            JwsError::AlgorithmMismatch { alg, key_alg } => write!(
                f,
                "header alg {alg} but the selected key is bound to {key_alg}"
            ),
            JwsError::HighS => f.write_str("ECDSA signature is not in canonical low-s form"),
            JwsError::SignatureRange { len, modulus_len } => write!(
                f,
                "RSA signature out of range: {len} bytes, must be {modulus_len} bytes and less than the modulus (RFC 8017 §5.2.2)"
            ),
            JwsError::BadSignature => f.write_str("signature does not verify"),
        }
    }
}

impl std::error::Error for JwsError {}

/// Why the claims of a correctly signed JWT were refused.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ClaimsError {
    /// The payload is not a strict JSON object.
    NotJson {
        /// What the parser said.
        detail: String,
    },
    /// A claim name appears twice.
    DuplicateClaim {
        /// The claim.
        name: String,
    },
    /// A registered claim has the wrong JSON type (never treated as absent).
    WrongType {
        /// The claim.
        claim: &'static str,
        /// The type it must have.
        expected: &'static str,
        /// The JSON type it has.
        found: &'static str,
    },
    /// A required claim is absent.
    Missing {
        /// The claim.
        claim: String,
    },
    /// `now >= exp + leeway_exp`.
    Expired {
        /// The `exp` value, rounded up to whole seconds.
        exp: i128,
        /// The clock.
        now: i64,
        /// The leeway in seconds.
        leeway: u32,
    },
    /// `now < nbf - leeway_nbf`.
    NotYetValid {
        /// The `nbf` value, rounded up to whole seconds.
        nbf: i128,
        /// The clock.
        now: i64,
        /// The leeway in seconds.
        leeway: u32,
    },
    /// `iat > now + max_iat_skew`: issued in the future.
    IssuedInFuture {
        /// The `iat` value, rounded up to whole seconds.
        iat: i128,
        /// The clock.
        now: i64,
        /// The allowed skew in seconds.
        skew: u32,
    },
    /// `exp > now + max_lifetime`: the token stays valid for too long.
    LifetimeTooLong {
        /// The `exp` value, rounded up to whole seconds.
        exp: i128,
        /// The clock.
        now: i64,
        /// The maximum lifetime in seconds.
        max: u64,
    },
    /// `iss` is not an accepted issuer.
    Issuer {
        /// The value seen.
        iss: String,
    },
    /// `aud` names none of the accepted audiences.
    Audience,
    /// The token has `aud` but the verifier has no audience configured
    /// (RFC 7519 §4.1.3: a recipient not named in `aud` must reject).
    AudienceNotExpected,
}

impl fmt::Display for ClaimsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ClaimsError::NotJson { detail } => {
                write!(f, "claims are not a strict JSON object: {detail}")
            }
            ClaimsError::DuplicateClaim { name } => write!(f, "claim {name:?} appears twice"),
            ClaimsError::WrongType {
                claim,
                expected,
                found,
            } => write!(f, "claim {claim:?} must be {expected}, found {found}"),
            ClaimsError::Missing { claim } => write!(f, "required claim {claim:?} is missing"),
            ClaimsError::Expired { exp, now, leeway } => write!(
                f,
                "token expired: exp {exp} + leeway {leeway}s <= now {now}"
            ),
            ClaimsError::NotYetValid { nbf, now, leeway } => write!(
                f,
                "token not yet valid: nbf {nbf} - leeway {leeway}s > now {now}"
            ),
            ClaimsError::IssuedInFuture { iat, now, skew } => write!(
                f,
                "token issued in the future: iat {iat} > now {now} + skew {skew}s"
            ),
            ClaimsError::LifetimeTooLong { exp, now, max } => write!(
                f,
                "token lifetime too long: exp {exp} > now {now} + max lifetime {max}s"
            ),
            ClaimsError::Issuer { iss } => write!(f, "issuer {iss:?} is not accepted"),
            ClaimsError::Audience => f.write_str("aud names no accepted audience"),
            ClaimsError::AudienceNotExpected => f.write_str(
                "token is addressed to an audience but the verifier has none configured",
            ),
        }
    }
}

impl std::error::Error for ClaimsError {}

/// Why [`Verifier::verify`](super::Verifier::verify) refused a token.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum VerifyError {
    /// Refused by the JWS layer (structure, header, key selection, signature).
    Jws(JwsError),
    /// Signed correctly, refused by the claims checks.
    Claims(ClaimsError),
}

impl fmt::Display for VerifyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            VerifyError::Jws(e) => write!(f, "{e}"),
            VerifyError::Claims(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for VerifyError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            VerifyError::Jws(e) => Some(e),
            VerifyError::Claims(e) => Some(e),
        }
    }
}

impl From<JwsError> for VerifyError {
    fn from(e: JwsError) -> Self {
        VerifyError::Jws(e)
    }
}

impl From<ClaimsError> for VerifyError {
    fn from(e: ClaimsError) -> Self {
        VerifyError::Claims(e)
    }
}

/// Why a token could not be signed.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum SignError {
    /// The key has no private part.
    NotASigningKey {
        /// The key.
        kid: Option<String>,
    },
    /// The claims would not pass verification (wrong types, duplicates, not an object).
    Claims(ClaimsError),
    /// The cryptographic backend failed.
    Backend {
        /// What it said.
        detail: String,
    },
}

impl fmt::Display for SignError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SignError::NotASigningKey { kid } => {
                write!(f, "{} has no private part and cannot sign", KidRef(kid))
            }
            SignError::Claims(e) => write!(f, "refusing to sign: {e}"),
            SignError::Backend { detail } => write!(f, "signing failed: {detail}"),
        }
    }
}

impl std::error::Error for SignError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            SignError::Claims(e) => Some(e),
            _ => None,
        }
    }
}
