//! Adversarial token generator.
//!
//! A [`Plan`] (derived from bytes with `arbitrary`) starts from a validly
//! signed token of one trusted key and applies structured mutations:
//!
//! 1. header edits ([`HeaderEdit`]): `alg` swaps (including `none`, `None`,
//!    `nOnE`), embedded keys, hostile `kid`s, `crit`, `typ`/`cty`, duplicates;
//! 2. claims edits ([`ClaimEdit`]): `exp`/`nbf`/`iat` as strings, floats,
//!    huge, negative, at and one second around each boundary; `iss`/`aud`;
//!    duplicates;
//! 3. a signing step ([`Signing`]): re-signing by a trusted key, keeping the
//!    original signature, HMAC with a public key as the secret, an attacker's
//!    key, a cross-algorithm HMAC, no signature;
//! 4. wire edits ([`WireEdit`]) on the token text: bit flips, truncation,
//!    padding, `+`/`/`, whitespace, trailing bits, extra segments, ECDSA
//!    malleation.
//!
//! [`build`] renders the plan into a token and records every token the
//! harness itself signed with a trusted key for that key's algorithm — the
//! only tokens an oracle will let the verifier accept.

use std::fmt;

use arbitrary::{Arbitrary, Unstructured};

use super::b64;
use super::fixture::{self, AUDIENCE, CRIT_EXTENSION, ISSUER, LEEWAY_EXP, LEEWAY_NBF, NOW};
use super::keys::{Algorithm, Key, Public};
use super::Profile;

/// Most edits of each kind a plan applies; longer lists are cut.
pub const MAX_EDITS: usize = 6;
/// Longest raw JWS payload a plan uses.
pub const MAX_RAW_PAYLOAD: usize = 256;

// ---------------------------------------------------------------------------
// A small JSON model the generator controls completely (duplicates, order,
// number spelling), independent of serde_json.

/// A JSON value as the generator writes it.
#[derive(Clone, Debug, PartialEq)]
pub enum GVal {
    /// `null`
    Null,
    /// `true` / `false`
    Bool(bool),
    /// An integer, written in decimal.
    Int(i128),
    /// A number with a fraction, written like `1700000000.5`.
    Float(f64),
    /// A number written with an exponent, like `1.7e9`.
    Exp(f64),
    /// A string.
    Str(String),
    /// An array.
    Arr(Vec<GVal>),
    /// An object; member names may repeat.
    Obj(Members),
}

/// Ordered object members; names may repeat.
pub type Members = Vec<(String, GVal)>;

impl GVal {
    fn s(text: impl Into<String>) -> GVal {
        GVal::Str(text.into())
    }

    /// Write the value as JSON text.
    pub fn render(&self, out: &mut String) {
        match self {
            GVal::Null => out.push_str("null"),
            GVal::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            GVal::Int(i) => out.push_str(&i.to_string()),
            GVal::Float(f) => out.push_str(&format!("{f:?}")),
            GVal::Exp(f) => out.push_str(&format!("{f:e}")),
            GVal::Str(s) => out.push_str(&serde_json::to_string(s).unwrap_or_default()),
            GVal::Arr(items) => {
                out.push('[');
                for (i, v) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    v.render(out);
                }
                out.push(']');
            }
            GVal::Obj(members) => render_object(members, out),
        }
    }

    /// Whether this is a JSON number.
    pub fn is_number(&self) -> bool {
        matches!(self, GVal::Int(_) | GVal::Float(_) | GVal::Exp(_))
    }
}

fn render_object(members: &[(String, GVal)], out: &mut String) {
    out.push('{');
    for (i, (k, v)) in members.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&serde_json::to_string(k).unwrap_or_default());
        out.push(':');
        v.render(out);
    }
    out.push('}');
}

/// JSON text of an object.
pub fn object_text(members: &[(String, GVal)]) -> String {
    let mut s = String::new();
    render_object(members, &mut s);
    s
}

fn set(members: &mut Members, name: &str, value: GVal) {
    match members.iter_mut().find(|(k, _)| k == name) {
        Some(slot) => slot.1 = value,
        None => members.push((name.to_owned(), value)),
    }
}

fn remove(members: &mut Members, name: &str) {
    members.retain(|(k, _)| k != name);
}

// ---------------------------------------------------------------------------
// Picks

/// A trusted key of the harness, by index into [`fixture::TRUSTED_JWKS`].
/// The slow keys are picked rarely so that fuzzing stays fast: of 64 byte
/// values, 56 pick HS256/HS384/HS512/EdDSA, 5 pick ES256, and ES384, RS256
/// and PS256 get one each.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct TrustedKey(pub u8);

impl<'a> Arbitrary<'a> for TrustedKey {
    fn arbitrary(u: &mut Unstructured<'a>) -> arbitrary::Result<Self> {
        let b = u8::arbitrary(u)?;
        Ok(TrustedKey(match b % 64 {
            63 => 6,
            62 => 7,
            61 => 4,
            56..=60 => 3,
            n => [0, 1, 2, 5][usize::from(n % 4)],
        }))
    }
    fn size_hint(_: usize) -> (usize, Option<usize>) {
        (1, Some(1))
    }
}

impl TrustedKey {
    /// The key.
    pub fn key(self) -> &'static Key {
        fixture::trusted_key(usize::from(self.0))
    }
    fn kid(self) -> &'static str {
        self.key().kid().unwrap_or_default()
    }
}

impl fmt::Debug for TrustedKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.kid())
    }
}

/// An algorithm, for `alg` edits.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct AlgPick(pub Algorithm);

impl<'a> Arbitrary<'a> for AlgPick {
    fn arbitrary(u: &mut Unstructured<'a>) -> arbitrary::Result<Self> {
        Ok(AlgPick(*u.choose(&Algorithm::ALL)?))
    }
    fn size_hint(_: usize) -> (usize, Option<usize>) {
        (1, Some(4))
    }
}

impl fmt::Debug for AlgPick {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0.name())
    }
}

/// Spellings of `none`.
#[allow(missing_docs)]
#[derive(Arbitrary, Clone, Copy, Debug, PartialEq, Eq)]
pub enum NoneSpelling {
    Lower,
    Title,
    Upper,
    Mixed,
    TrailingSpace,
    TrailingNul,
}

impl NoneSpelling {
    fn text(self) -> &'static str {
        match self {
            NoneSpelling::Lower => "none",
            NoneSpelling::Title => "None",
            NoneSpelling::Upper => "NONE",
            NoneSpelling::Mixed => "nOnE",
            NoneSpelling::TrailingSpace => "none ",
            NoneSpelling::TrailingNul => "none\u{0}",
        }
    }
}

/// A JSON value of the wrong type for a string or number slot.
#[allow(missing_docs)]
#[derive(Arbitrary, Clone, Copy, Debug, PartialEq, Eq)]
pub enum NonString {
    Null,
    True,
    Zero,
    Array,
    Object,
}

impl NonString {
    fn value(self, inner: &str) -> GVal {
        match self {
            NonString::Null => GVal::Null,
            NonString::True => GVal::Bool(true),
            NonString::Zero => GVal::Int(0),
            NonString::Array => GVal::Arr(vec![GVal::s(inner)]),
            NonString::Object => GVal::Obj(vec![("value".into(), GVal::s(inner))]),
        }
    }
}

/// A value for `alg`.
#[allow(missing_docs)]
#[derive(Arbitrary, Clone, Copy, Debug, PartialEq, Eq)]
pub enum AlgValue {
    Named(AlgPick),
    None(NoneSpelling),
    Lowercase(AlgPick),
    Unregistered(Unregistered),
    WrongType(NonString),
}

/// `alg` names that are not supported.
#[allow(missing_docs)]
#[derive(Arbitrary, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unregistered {
    ES512,
    HS1,
    Empty,
    SpacePadded,
    RsaOaep,
}

impl AlgValue {
    fn value(self) -> GVal {
        match self {
            AlgValue::Named(a) => GVal::s(a.0.name()),
            AlgValue::None(s) => GVal::s(s.text()),
            AlgValue::Lowercase(a) => GVal::s(a.0.name().to_ascii_lowercase()),
            AlgValue::Unregistered(u) => GVal::s(match u {
                Unregistered::ES512 => "ES512",
                Unregistered::HS1 => "HS1",
                Unregistered::Empty => "",
                Unregistered::SpacePadded => " HS256",
                Unregistered::RsaOaep => "RSA-OAEP",
            }),
            AlgValue::WrongType(n) => n.value("HS256"),
        }
    }
}

/// A value for `kid`.
#[allow(missing_docs)]
#[derive(Arbitrary, Clone, Copy, Debug, PartialEq, Eq)]
pub enum KidValue {
    /// Any trusted key's kid (uniform over all trusted keys).
    Trusted(u8),
    Attacker,
    PathTraversal,
    AbsolutePath,
    SqlInjection,
    Homoglyph,
    CaseChange,
    TrailingSpace,
    EmbeddedNul,
    Empty,
    Long(u8),
    WrongType(NonString),
}

impl KidValue {
    fn value(self, signer: TrustedKey) -> GVal {
        let kid = signer.kid();
        match self {
            KidValue::Trusted(i) => GVal::s(
                fixture::trusted_key(usize::from(i))
                    .kid()
                    .unwrap_or_default(),
            ),
            KidValue::Attacker => GVal::s("attacker-hs256"),
            KidValue::PathTraversal => GVal::s("../../../../dev/null"),
            KidValue::AbsolutePath => GVal::s("/etc/passwd"),
            KidValue::SqlInjection => GVal::s(format!("{kid}' UNION SELECT 'secret' --")),
            KidValue::Homoglyph => GVal::s(kid.replace('-', "\u{2010}")),
            KidValue::CaseChange => GVal::s(kid.to_ascii_uppercase()),
            KidValue::TrailingSpace => GVal::s(format!("{kid} ")),
            KidValue::EmbeddedNul => GVal::s(format!("{kid}\u{0}")),
            KidValue::Empty => GVal::s(""),
            KidValue::Long(n) => GVal::s(kid.repeat(usize::from(n % 64) + 2)),
            KidValue::WrongType(n) => n.value(kid),
        }
    }
}

/// A value for `typ` or `cty`.
#[allow(missing_docs)]
#[derive(Arbitrary, Clone, Copy, Debug, PartialEq, Eq)]
pub enum TypValue {
    Jwt,
    LowerJwt,
    ApplicationJwt,
    AccessToken,
    Json,
    WrongType(NonString),
}

impl TypValue {
    fn value(self) -> GVal {
        match self {
            TypValue::Jwt => GVal::s("JWT"),
            TypValue::LowerJwt => GVal::s("jwt"),
            TypValue::ApplicationJwt => GVal::s("application/jwt"),
            TypValue::AccessToken => GVal::s("at+jwt"),
            TypValue::Json => GVal::s("JSON"),
            TypValue::WrongType(n) => n.value("JWT"),
        }
    }
}

/// A key-supplying header parameter.
#[allow(missing_docs)]
#[derive(Arbitrary, Clone, Copy, Debug, PartialEq, Eq)]
pub enum EmbedKind {
    /// The attacker's public key (or HMAC secret) as `jwk`.
    Jwk,
    Jku,
    X5u,
    X5c,
}

/// A `crit` value.
#[allow(missing_docs)]
#[derive(Arbitrary, Clone, Copy, Debug, PartialEq, Eq)]
pub enum CritValue {
    /// `["secfuzz-ext"]`, understood by the harness verifier.
    Understood,
    Registered,
    NotUnderstood,
    EmptyArray,
    NotAnArray,
    Repeated,
    UnderstoodAndNot,
    B64,
}

/// A header parameter the verifier refuses outright.
#[allow(missing_docs)]
#[derive(Arbitrary, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ForbiddenKind {
    Zip,
    Enc,
    B64False,
    B64True,
}

/// One edit of the JOSE header.
#[allow(missing_docs)]
#[derive(Arbitrary, Clone, Copy, Debug, PartialEq, Eq)]
pub enum HeaderEdit {
    Alg(AlgValue),
    RemoveAlg,
    Kid(KidValue),
    RemoveKid,
    Typ(TypValue),
    RemoveTyp,
    Cty(TypValue),
    Embed(EmbedKind),
    Crit(CritValue),
    Forbidden(ForbiddenKind),
    /// Add the member `"secfuzz-ext": true` that `crit` may name.
    Extension,
    /// Add a harmless unknown member.
    Extra(u16),
    /// Append a second `alg` member.
    DuplicateAlg(AlgValue),
    /// Append a second `kid` member.
    DuplicateKid(KidValue),
}

// ---------------------------------------------------------------------------
// Claims

/// A NumericDate claim.
#[allow(missing_docs)]
#[derive(Arbitrary, Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimeClaim {
    Exp,
    Nbf,
    Iat,
}

impl TimeClaim {
    fn name(self) -> &'static str {
        match self {
            TimeClaim::Exp => "exp",
            TimeClaim::Nbf => "nbf",
            TimeClaim::Iat => "iat",
        }
    }
}

/// A reference instant near a boundary of the harness's validity window.
#[allow(missing_docs)]
#[derive(Arbitrary, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Edge {
    /// `now`
    Now,
    /// `now - leeway_exp`: the largest `exp` that is expired.
    ExpBoundary,
    /// `now + leeway_nbf`: the largest `nbf` that is valid.
    NbfBoundary,
    /// `now + leeway_exp` (catches a sign error).
    NowPlusExpLeeway,
    /// `now - leeway_nbf` (catches a sign error).
    NowMinusNbfLeeway,
    /// One hour ahead.
    HourAhead,
}

impl Edge {
    fn at(self) -> i128 {
        let now = i128::from(NOW);
        match self {
            Edge::Now => now,
            Edge::ExpBoundary => now - i128::from(LEEWAY_EXP),
            Edge::NbfBoundary => now + i128::from(LEEWAY_NBF),
            Edge::NowPlusExpLeeway => now + i128::from(LEEWAY_EXP),
            Edge::NowMinusNbfLeeway => now - i128::from(LEEWAY_NBF),
            Edge::HourAhead => now + 3600,
        }
    }
}

/// A step of -2 … +2 seconds.
#[allow(missing_docs)]
#[derive(Arbitrary, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Delta {
    M2,
    M1,
    Zero,
    P1,
    P2,
}

impl Delta {
    fn secs(self) -> i128 {
        match self {
            Delta::M2 => -2,
            Delta::M1 => -1,
            Delta::Zero => 0,
            Delta::P1 => 1,
            Delta::P2 => 2,
        }
    }
}

/// A fraction of a second.
#[allow(missing_docs)]
#[derive(Arbitrary, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Frac {
    Half,
    Milli,
    AlmostOne,
}

impl Frac {
    fn value(self) -> f64 {
        match self {
            Frac::Half => 0.5,
            Frac::Milli => 0.001,
            Frac::AlmostOne => 0.999,
        }
    }
}

/// Extreme NumericDates.
#[allow(missing_docs)]
#[derive(Arbitrary, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Huge {
    I64Max,
    U64Max,
    Pow70,
    F1e300,
    I64Min,
    NegPow70,
    NegF1e300,
}

/// A value for a NumericDate claim.
#[allow(missing_docs)]
#[derive(Arbitrary, Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimeValue {
    /// An integer at `edge + delta`.
    Edge(Edge, Delta),
    /// An integer at `now + offset`.
    Offset(i16),
    /// `edge + delta + fraction`, with a fraction.
    Fraction(Edge, Delta, Frac),
    /// `edge + delta` written with an exponent.
    Exponent(Edge, Delta),
    Huge(Huge),
    /// `-(n + 1)`.
    Negative(u16),
    /// The decimal digits of `edge + delta` as a string.
    NumericString(Edge, Delta),
    /// An ISO-8601 date string.
    DateString,
    Null,
    Bool(bool),
    /// `[edge + delta]`.
    Array(Edge, Delta),
    Object,
}

impl TimeValue {
    fn value(self) -> GVal {
        match self {
            TimeValue::Edge(e, d) => GVal::Int(e.at() + d.secs()),
            TimeValue::Offset(o) => GVal::Int(i128::from(NOW) + i128::from(o)),
            TimeValue::Fraction(e, d, f) => GVal::Float((e.at() + d.secs()) as f64 + f.value()),
            TimeValue::Exponent(e, d) => GVal::Exp((e.at() + d.secs()) as f64),
            TimeValue::Huge(h) => match h {
                Huge::I64Max => GVal::Int(i128::from(i64::MAX)),
                Huge::U64Max => GVal::Int(i128::from(u64::MAX)),
                Huge::Pow70 => GVal::Int(1 << 70),
                Huge::F1e300 => GVal::Exp(1e300),
                Huge::I64Min => GVal::Int(i128::from(i64::MIN)),
                Huge::NegPow70 => GVal::Int(-(1 << 70)),
                Huge::NegF1e300 => GVal::Exp(-1e300),
            },
            TimeValue::Negative(n) => GVal::Int(-i128::from(n) - 1),
            TimeValue::NumericString(e, d) => GVal::Str((e.at() + d.secs()).to_string()),
            TimeValue::DateString => GVal::s("2023-11-14T23:13:20Z"),
            TimeValue::Null => GVal::Null,
            TimeValue::Bool(b) => GVal::Bool(b),
            TimeValue::Array(e, d) => GVal::Arr(vec![GVal::Int(e.at() + d.secs())]),
            TimeValue::Object => GVal::Obj(vec![("$date".into(), GVal::Int(i128::from(NOW)))]),
        }
    }
}

/// A registered claim to remove.
#[allow(missing_docs)]
#[derive(Arbitrary, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Registered {
    Exp,
    Nbf,
    Iat,
    Iss,
    Aud,
    Sub,
}

impl Registered {
    fn name(self) -> &'static str {
        match self {
            Registered::Exp => "exp",
            Registered::Nbf => "nbf",
            Registered::Iat => "iat",
            Registered::Iss => "iss",
            Registered::Aud => "aud",
            Registered::Sub => "sub",
        }
    }
}

/// A value for `iss` or `sub`.
#[allow(missing_docs)]
#[derive(Arbitrary, Clone, Copy, Debug, PartialEq, Eq)]
pub enum StrValue {
    /// The expected value.
    Good,
    Other,
    CaseChange,
    Empty,
    WrongType(NonString),
}

/// A value for `aud`.
#[allow(missing_docs)]
#[derive(Arbitrary, Clone, Copy, Debug, PartialEq, Eq)]
pub enum AudValue {
    Ours,
    Other,
    ArrayWithOurs,
    ArrayWithoutOurs,
    EmptyArray,
    ArrayWithNonString,
    WrongType(NonString),
}

impl AudValue {
    fn value(self) -> GVal {
        match self {
            AudValue::Ours => GVal::s(AUDIENCE),
            AudValue::Other => GVal::s("other-api"),
            AudValue::ArrayWithOurs => GVal::Arr(vec![GVal::s("other-api"), GVal::s(AUDIENCE)]),
            AudValue::ArrayWithoutOurs => GVal::Arr(vec![GVal::s("other-api")]),
            AudValue::EmptyArray => GVal::Arr(Vec::new()),
            AudValue::ArrayWithNonString => GVal::Arr(vec![GVal::s(AUDIENCE), GVal::Int(1)]),
            AudValue::WrongType(n) => n.value(AUDIENCE),
        }
    }
}

/// One edit of the claims.
#[allow(missing_docs)]
#[derive(Arbitrary, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClaimEdit {
    Time(TimeClaim, TimeValue),
    Remove(Registered),
    Iss(StrValue),
    Aud(AudValue),
    Sub(StrValue),
    /// Add a harmless private claim.
    Custom(u16),
    /// Append a second member for a NumericDate claim.
    Duplicate(TimeClaim, TimeValue),
    /// Append a second `iss`.
    DuplicateIss(StrValue),
}

fn str_value(v: StrValue, good: &str) -> GVal {
    match v {
        StrValue::Good => GVal::s(good),
        StrValue::Other => GVal::s("https://attacker.example"),
        StrValue::CaseChange => GVal::s(good.to_ascii_uppercase()),
        StrValue::Empty => GVal::s(""),
        StrValue::WrongType(n) => n.value(good),
    }
}

// ---------------------------------------------------------------------------
// Signing

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
    fn key(self) -> &'static Key {
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
    fn alg(self) -> Algorithm {
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
    fn key(self) -> &'static Key {
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

// ---------------------------------------------------------------------------
// Wire edits

/// A token segment.
#[allow(missing_docs)]
#[derive(Arbitrary, Clone, Copy, Debug, PartialEq, Eq)]
pub enum SegPick {
    Header,
    Payload,
    Signature,
}

/// Whitespace characters.
#[allow(missing_docs)]
#[derive(Arbitrary, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ws {
    Space,
    Newline,
    Tab,
    CarriageReturn,
}

/// Text appended to the token.
#[allow(missing_docs)]
#[derive(Arbitrary, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Suffix {
    Dot,
    Equals,
    PercentEncodedPadding,
    Nul,
    Newline,
}

/// One edit of the token text after signing.
#[allow(missing_docs)]
#[derive(Arbitrary, Clone, Copy, Debug, PartialEq, Eq)]
pub enum WireEdit {
    /// Flip one bit of one character of a segment.
    FlipChar(SegPick, u16, u8),
    /// Flip one bit of the decoded signature and re-encode canonically.
    FlipSignatureBit(u16, u8),
    /// Flip one bit of the decoded payload and re-encode canonically.
    FlipPayloadBit(u16, u8),
    /// Drop the last 1–4 characters of a segment.
    Truncate(SegPick, u8),
    /// Append `=` padding to a segment.
    Pad(SegPick, bool),
    /// Use the standard alphabet (`+`, `/`) in a segment.
    StandardAlphabet(SegPick),
    /// Insert whitespace.
    Whitespace(u16, Ws),
    /// Set unused low bits in a segment's last character.
    TrailingBits(SegPick),
    /// Append 1–3 extra segments (two make a five-segment JWE shape).
    ExtraSegments(u8),
    /// Remove the signature segment and its dot.
    DropSignature,
    /// Replace ECDSA `s` with `n - s` (a second valid signature).
    MalleateEcdsa,
    /// Swap the header and payload segments.
    SwapHeaderPayload,
    Append(Suffix),
}

impl WireEdit {
    /// Whether the edit only changes the encoding, not the decoded bytes.
    fn is_encoding(self) -> bool {
        matches!(
            self,
            WireEdit::Pad(..)
                | WireEdit::StandardAlphabet(_)
                | WireEdit::Whitespace(..)
                | WireEdit::TrailingBits(_)
                | WireEdit::Append(_)
        )
    }
}

// ---------------------------------------------------------------------------
// The plan

/// A structured adversarial token: a trusted signer, edits, a signing step
/// and wire edits. See the module documentation.
#[derive(Arbitrary, Clone, Debug, PartialEq)]
pub struct Plan {
    /// The trusted key of the base token.
    pub signer: TrustedKey,
    /// Verify as a JWS (payload not interpreted) or as a JWT.
    pub profile: Profile,
    /// Under the JWS profile, a raw payload instead of claims.
    pub raw_payload: Option<Vec<u8>>,
    /// Header edits, in order.
    pub header_edits: Vec<HeaderEdit>,
    /// Claims edits, in order.
    pub claim_edits: Vec<ClaimEdit>,
    /// How the edited token is signed.
    pub signing: Signing,
    /// Edits of the token text, in order.
    pub wire_edits: Vec<WireEdit>,
}

impl Plan {
    fn trim(mut self) -> Plan {
        self.header_edits.truncate(MAX_EDITS);
        self.claim_edits.truncate(MAX_EDITS);
        self.wire_edits.truncate(MAX_EDITS);
        if let Some(p) = &mut self.raw_payload {
            p.truncate(MAX_RAW_PAYLOAD);
        }
        if self.profile == Profile::Jwt {
            self.raw_payload = None;
        }
        self
    }

    /// Whether any wire edit only changes the encoding.
    pub fn has_encoding_edit(&self) -> bool {
        self.wire_edits.iter().any(|w| w.is_encoding())
    }
}

/// A token the harness signed honestly: with a trusted key, for that key's
/// algorithm.
#[derive(Clone, Debug, PartialEq)]
pub struct Signed {
    /// The token text.
    pub token: String,
    /// Index of the trusted key that signed it.
    pub key: usize,
    /// The header members it was signed with.
    pub header: Members,
    /// The claims members (for a raw payload, empty).
    pub claims: Members,
    /// The payload bytes.
    pub payload: Vec<u8>,
}

/// A rendered plan.
#[derive(Clone, Debug, PartialEq)]
pub struct Built {
    /// The final token text (what an attacker sends).
    pub token: String,
    /// The token before wire edits.
    pub signed_token: String,
    /// Every token the harness signed honestly while building.
    pub log: Vec<Signed>,
    /// The header after edits.
    pub header: Members,
    /// A harness failure (a trusted key failed to sign), if any.
    pub error: Option<String>,
}

/// The claims every base token starts from: valid at [`NOW`].
pub fn base_claims() -> Members {
    let now = i128::from(NOW);
    vec![
        ("iss".into(), GVal::s(ISSUER)),
        ("sub".into(), GVal::s("user-42")),
        ("aud".into(), GVal::s(AUDIENCE)),
        ("iat".into(), GVal::Int(now - 60)),
        ("nbf".into(), GVal::Int(now - 60)),
        ("exp".into(), GVal::Int(now + 600)),
    ]
}

fn base_header(key: &Key) -> Members {
    vec![
        ("alg".into(), GVal::s(key.algorithm().name())),
        ("kid".into(), GVal::s(key.kid().unwrap_or_default())),
        ("typ".into(), GVal::s("JWT")),
    ]
}

fn apply_header(h: &mut Members, edit: HeaderEdit, signer: TrustedKey) {
    match edit {
        HeaderEdit::Alg(v) => set(h, "alg", v.value()),
        HeaderEdit::RemoveAlg => remove(h, "alg"),
        HeaderEdit::Kid(v) => set(h, "kid", v.value(signer)),
        HeaderEdit::RemoveKid => remove(h, "kid"),
        HeaderEdit::Typ(v) => set(h, "typ", v.value()),
        HeaderEdit::RemoveTyp => remove(h, "typ"),
        HeaderEdit::Cty(v) => set(h, "cty", v.value()),
        HeaderEdit::Embed(kind) => {
            let (name, value) = match kind {
                EmbedKind::Jwk => {
                    let jwk = AttackerKey::Es256
                        .key()
                        .public_jwk()
                        .map(|m| {
                            GVal::Obj(
                                m.into_iter()
                                    .map(|(k, v)| (k, GVal::s(v.as_str().unwrap_or_default())))
                                    .collect(),
                            )
                        })
                        .unwrap_or(GVal::Null);
                    ("jwk", jwk)
                }
                EmbedKind::Jku => ("jku", GVal::s("https://attacker.example/jwks.json")),
                EmbedKind::X5u => ("x5u", GVal::s("https://attacker.example/cert.pem")),
                EmbedKind::X5c => ("x5c", GVal::Arr(vec![GVal::s("MIIBszCCAVmgAwIBAgIJAL")])),
            };
            set(h, name, value);
        }
        HeaderEdit::Crit(c) => {
            let ext = || GVal::s(CRIT_EXTENSION);
            let value = match c {
                CritValue::Understood => GVal::Arr(vec![ext()]),
                CritValue::Registered => GVal::Arr(vec![GVal::s("alg")]),
                CritValue::NotUnderstood => GVal::Arr(vec![GVal::s("exp-policy")]),
                CritValue::EmptyArray => GVal::Arr(Vec::new()),
                CritValue::NotAnArray => ext(),
                CritValue::Repeated => GVal::Arr(vec![ext(), ext()]),
                CritValue::UnderstoodAndNot => GVal::Arr(vec![ext(), GVal::s("exp-policy")]),
                CritValue::B64 => GVal::Arr(vec![GVal::s("b64")]),
            };
            set(h, "crit", value);
        }
        HeaderEdit::Forbidden(kind) => {
            let (name, value) = match kind {
                ForbiddenKind::Zip => ("zip", GVal::s("DEF")),
                ForbiddenKind::Enc => ("enc", GVal::s("A128GCM")),
                ForbiddenKind::B64False => ("b64", GVal::Bool(false)),
                ForbiddenKind::B64True => ("b64", GVal::Bool(true)),
            };
            set(h, name, value);
        }
        HeaderEdit::Extension => set(h, CRIT_EXTENSION, GVal::Bool(true)),
        HeaderEdit::Extra(n) => set(h, "x-note", GVal::s(format!("note-{n}"))),
        HeaderEdit::DuplicateAlg(v) => h.push(("alg".into(), v.value())),
        HeaderEdit::DuplicateKid(v) => h.push(("kid".into(), v.value(signer))),
    }
}

fn apply_claim(c: &mut Members, edit: ClaimEdit) {
    match edit {
        ClaimEdit::Time(claim, v) => set(c, claim.name(), v.value()),
        ClaimEdit::Remove(r) => remove(c, r.name()),
        ClaimEdit::Iss(v) => set(c, "iss", str_value(v, ISSUER)),
        ClaimEdit::Aud(v) => set(c, "aud", v.value()),
        ClaimEdit::Sub(v) => set(c, "sub", str_value(v, "user-42")),
        ClaimEdit::Custom(n) => set(c, "role", GVal::s(format!("role-{}", n % 8))),
        ClaimEdit::Duplicate(claim, v) => c.push((claim.name().into(), v.value())),
        ClaimEdit::DuplicateIss(v) => c.push(("iss".into(), str_value(v, ISSUER))),
    }
}

/// The raw bytes of a harness HMAC secret, read straight from the committed
/// key file (independently of the key loader).
fn hmac_secret(kid: &str) -> Vec<u8> {
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

fn public_secret(key: &Key, form: PublicForm) -> Vec<u8> {
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

fn hmac(alg: Algorithm, secret: &[u8], input: &[u8]) -> Result<Vec<u8>, String> {
    let key = jsonwebtoken::EncodingKey::from_secret(secret);
    let sig = jsonwebtoken::crypto::sign(input, &key, alg.backend()).map_err(|e| e.to_string())?;
    b64::decode(sig.as_bytes()).ok_or_else(|| "backend returned non-canonical base64".into())
}

/// The HMAC secret (by kid) and the *other* HMAC algorithm a cross-algorithm
/// signing uses: the signer's secret if it is an HMAC key, else `hs256-0`'s.
fn cross_algorithm(signer: TrustedKey, hs: HsPick) -> (&'static str, Algorithm) {
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
fn cached_signature(index: usize, key: &Key, input: &[u8]) -> Result<Vec<u8>, String> {
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

struct Renderer<'p> {
    plan: &'p Plan,
    log: Vec<Signed>,
}

impl Renderer<'_> {
    fn payload(&self, claims: &Members) -> Vec<u8> {
        match &self.plan.raw_payload {
            Some(raw) => raw.clone(),
            None => object_text(claims).into_bytes(),
        }
    }

    /// Sign honestly with trusted key `index` and log the token.
    fn sign_trusted(
        &mut self,
        index: usize,
        header: &Members,
        claims: &Members,
    ) -> Result<String, String> {
        let key = fixture::trusted_key(index);
        let payload = self.payload(claims);
        let input = format!(
            "{}.{}",
            b64::encode(object_text(header).as_bytes()),
            b64::encode(&payload)
        );
        let sig = cached_signature(index, key, input.as_bytes())?;
        let token = format!("{input}.{}", b64::encode(&sig));
        self.log.push(Signed {
            token: token.clone(),
            key: index % fixture::trusted_keys().keys().len(),
            header: header.clone(),
            claims: if self.plan.raw_payload.is_some() {
                Vec::new()
            } else {
                claims.clone()
            },
            payload,
        });
        Ok(token)
    }
}

/// Render a plan: sign, mutate, and log the honest signings.
pub fn build(plan: &Plan) -> Built {
    let mut r = Renderer {
        plan,
        log: Vec::new(),
    };
    let result = render(&mut r);
    let (token, signed_token, header, error) = match result {
        Ok((t, s, h)) => (t, s, h, None),
        Err(e) => (String::new(), String::new(), Vec::new(), Some(e)),
    };
    Built {
        token,
        signed_token,
        log: r.log,
        header,
        error,
    }
}

fn render(r: &mut Renderer<'_>) -> Result<(String, String, Members), String> {
    let plan = r.plan;
    let signer = plan.signer;
    let base_h = base_header(signer.key());
    let base_c = base_claims();
    let original_sig = if plan.signing == Signing::Original {
        let t = r.sign_trusted(usize::from(signer.0), &base_h, &base_c)?;
        t.rsplit('.').next().unwrap_or_default().to_owned()
    } else {
        String::new()
    };

    let mut header = base_h;
    for &e in &plan.header_edits {
        apply_header(&mut header, e, signer);
    }
    let mut claims = base_c;
    for &e in &plan.claim_edits {
        apply_claim(&mut claims, e);
    }

    // Attacks that rewrite the header before "signing".
    match plan.signing {
        Signing::HmacWithPublicKey(target, _, hs) => {
            set(&mut header, "alg", GVal::s(hs.alg().name()));
            set(
                &mut header,
                "kid",
                GVal::s(target.key().kid().unwrap_or_default()),
            );
        }
        Signing::CrossAlgorithm(hs) => {
            let (_, alg) = cross_algorithm(signer, hs);
            set(&mut header, "alg", GVal::s(alg.name()));
        }
        Signing::Untrusted(k, kid) => {
            set(&mut header, "alg", GVal::s(k.key().algorithm().name()));
            if kid == ClaimedKid::Own {
                set(
                    &mut header,
                    "kid",
                    GVal::s(k.key().kid().unwrap_or_default()),
                );
            }
        }
        Signing::AlgNone(s) => set(&mut header, "alg", GVal::s(s.text())),
        _ => {}
    }

    let payload = r.payload(&claims);
    let input = format!(
        "{}.{}",
        b64::encode(object_text(&header).as_bytes()),
        b64::encode(&payload)
    );
    let signed = match plan.signing {
        Signing::Signer => r.sign_trusted(usize::from(signer.0), &header, &claims)?,
        Signing::Trusted(k) => r.sign_trusted(usize::from(k.0), &header, &claims)?,
        other => {
            let sig: Vec<u8> = match other {
                Signing::Original => b64::decode(original_sig.as_bytes()).unwrap_or_default(),
                Signing::HmacWithPublicKey(target, form, hs) => hmac(
                    hs.alg(),
                    &public_secret(target.key(), form),
                    input.as_bytes(),
                )?,
                Signing::CrossAlgorithm(hs) => {
                    let (kid, alg) = cross_algorithm(signer, hs);
                    hmac(alg, &hmac_secret(kid), input.as_bytes())?
                }
                Signing::Untrusted(k, _) => k
                    .key()
                    .sign_raw(input.as_bytes())
                    .map_err(|e| e.to_string())?,
                Signing::Garbage(bits, len) => bits
                    .to_le_bytes()
                    .iter()
                    .cycle()
                    .take(usize::from(len % 96) + 1)
                    .copied()
                    .collect(),
                _ => Vec::new(),
            };
            format!("{input}.{}", b64::encode(&sig))
        }
    };

    let mut token = signed.clone();
    for &w in &plan.wire_edits {
        token = apply_wire(&token, w);
    }
    Ok((token, signed, header))
}

/// Byte range of segment `seg` in `token` (split at the first two dots).
fn segment_range(token: &str, seg: SegPick) -> std::ops::Range<usize> {
    let dots: Vec<usize> = token.match_indices('.').map(|(i, _)| i).take(2).collect();
    let (a, b) = match dots.as_slice() {
        [a, b] => (*a, *b),
        [a] => (*a, token.len()),
        _ => (token.len(), token.len()),
    };
    match seg {
        SegPick::Header => 0..a,
        SegPick::Payload => (a + 1).min(token.len())..b,
        SegPick::Signature => (b + 1).min(token.len())..token.len(),
    }
}

fn replace_range(token: &str, range: std::ops::Range<usize>, with: &str) -> String {
    format!("{}{}{}", &token[..range.start], with, &token[range.end..])
}

/// Map a base64url character to its 6-bit value.
fn sextet(c: u8) -> Option<u8> {
    match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'-' => Some(62),
        b'_' => Some(63),
        _ => None,
    }
}

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

fn apply_wire(token: &str, edit: WireEdit) -> String {
    match edit {
        WireEdit::FlipChar(seg, index, bit) => {
            let range = segment_range(token, seg);
            if range.is_empty() {
                return token.to_owned();
            }
            let i = range.start + usize::from(index) % range.len();
            let mut bytes = token.as_bytes().to_vec();
            // Stay in ASCII so the token remains a string.
            bytes[i] ^= 1 << (bit % 7);
            String::from_utf8(bytes).unwrap_or_else(|_| token.to_owned())
        }
        WireEdit::FlipSignatureBit(index, bit) | WireEdit::FlipPayloadBit(index, bit) => {
            let seg = if matches!(edit, WireEdit::FlipSignatureBit(..)) {
                SegPick::Signature
            } else {
                SegPick::Payload
            };
            let range = segment_range(token, seg);
            match b64::decode(token[range.clone()].as_bytes()) {
                Some(mut raw) if !raw.is_empty() => {
                    let i = usize::from(index) % raw.len();
                    raw[i] ^= 1 << (bit % 8);
                    replace_range(token, range, &b64::encode(&raw))
                }
                _ => token.to_owned(),
            }
        }
        WireEdit::Truncate(seg, by) => {
            let range = segment_range(token, seg);
            let cut = (usize::from(by % 4) + 1).min(range.len());
            replace_range(token, range.end - cut..range.end, "")
        }
        WireEdit::Pad(seg, two) => {
            let range = segment_range(token, seg);
            let pad = if two { "==" } else { "=" };
            replace_range(token, range.end..range.end, pad)
        }
        WireEdit::StandardAlphabet(seg) => {
            let range = segment_range(token, seg);
            let text = token[range.clone()].replace('-', "+").replace('_', "/");
            replace_range(token, range, &text)
        }
        WireEdit::Whitespace(at, ws) => {
            let i = usize::from(at) % (token.len() + 1);
            let c = match ws {
                Ws::Space => " ",
                Ws::Newline => "\n",
                Ws::Tab => "\t",
                Ws::CarriageReturn => "\r",
            };
            replace_range(token, i..i, c)
        }
        WireEdit::TrailingBits(seg) => {
            let range = segment_range(token, seg);
            if range.len() % 4 < 2 {
                return token.to_owned();
            }
            let last = token.as_bytes()[range.end - 1];
            match sextet(last) {
                Some(v) => {
                    let c = ALPHABET[usize::from(v | 1)] as char;
                    replace_range(token, range.end - 1..range.end, &c.to_string())
                }
                None => token.to_owned(),
            }
        }
        WireEdit::ExtraSegments(n) => {
            let mut t = token.to_owned();
            for _ in 0..(n % 3) + 1 {
                t.push_str(".eyJ4IjoxfQ");
            }
            t
        }
        WireEdit::DropSignature => match token.rfind('.') {
            Some(i) => token[..i].to_owned(),
            None => token.to_owned(),
        },
        WireEdit::MalleateEcdsa => {
            let range = segment_range(token, SegPick::Signature);
            match b64::decode(token[range.clone()].as_bytes()).and_then(|s| negate_s(&s)) {
                Some(twin) => replace_range(token, range, &b64::encode(&twin)),
                None => token.to_owned(),
            }
        }
        WireEdit::SwapHeaderPayload => {
            let h = segment_range(token, SegPick::Header);
            let p = segment_range(token, SegPick::Payload);
            if p.start <= h.end {
                return token.to_owned();
            }
            format!(
                "{}.{}{}",
                &token[p.clone()],
                &token[h.clone()],
                &token[p.end..]
            )
        }
        WireEdit::Append(s) => {
            let suffix = match s {
                Suffix::Dot => ".",
                Suffix::Equals => "=",
                Suffix::PercentEncodedPadding => "%3D",
                Suffix::Nul => "\u{0}",
                Suffix::Newline => "\n",
            };
            format!("{token}{suffix}")
        }
    }
}

/// The twin `(r, n - s)` of an ECDSA signature `r || s` (P-256 or P-384).
fn negate_s(sig: &[u8]) -> Option<Vec<u8>> {
    match sig.len() {
        64 => {
            let s = p256::ecdsa::Signature::from_slice(sig).ok()?;
            let (r, s) = s.split_scalars();
            let twin = p256::ecdsa::Signature::from_scalars(r, -*s).ok()?;
            Some(twin.to_bytes().to_vec())
        }
        96 => {
            let s = p384::ecdsa::Signature::from_slice(sig).ok()?;
            let (r, s) = s.split_scalars();
            let twin = p384::ecdsa::Signature::from_scalars(r, -*s).ok()?;
            Some(twin.to_bytes().to_vec())
        }
        _ => None,
    }
}

/// A plan together with the token it renders to. Decoding signs (once), so
/// `Debug`, [`super::JwtTarget::render`] and the check all see the same
/// token even for randomized signatures (PS256).
#[derive(Clone)]
pub struct JwtInput {
    /// The plan.
    pub plan: Plan,
    /// Its rendering.
    pub built: Built,
}

impl JwtInput {
    /// Build the input for `plan`.
    pub fn new(plan: Plan) -> JwtInput {
        let plan = plan.trim();
        let built = build(&plan);
        JwtInput { plan, built }
    }
}

impl<'a> Arbitrary<'a> for JwtInput {
    fn arbitrary(u: &mut Unstructured<'a>) -> arbitrary::Result<Self> {
        Plan::arbitrary(u).map(JwtInput::new)
    }
    fn arbitrary_take_rest(u: Unstructured<'a>) -> arbitrary::Result<Self> {
        Plan::arbitrary_take_rest(u).map(JwtInput::new)
    }
    fn size_hint(depth: usize) -> (usize, Option<usize>) {
        Plan::size_hint(depth)
    }
}

impl fmt::Debug for JwtInput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let p = &self.plan;
        f.debug_struct("JwtInput")
            .field("token", &self.built.token)
            .field("signer", &p.signer)
            .field("profile", &p.profile)
            .field(
                "raw_payload",
                &p.raw_payload
                    .as_deref()
                    .map(crate::engine::util::EscapedBytes),
            )
            .field("header_edits", &p.header_edits)
            .field("claim_edits", &p.claim_edits)
            .field("signing", &p.signing)
            .field("wire_edits", &p.wire_edits)
            .finish()
    }
}
