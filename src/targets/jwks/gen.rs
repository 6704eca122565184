//! Adversarial JWK Sets, built from structured edits of the fixture's real
//! keys ([`crate::jwt::fixture`]): each set member starts as a trusted or
//! attacker key, public or private, and [`KeyEdit`]s drop, duplicate,
//! retype and re-encode its members, and push each checked value to and
//! across its limit; [`SetEdit`]s change the set around the keys. Every
//! allowed name (`alg`, `kty`, `crv`, `use`, `key_ops` entries) also comes
//! as its near misses ([`Spelling`]: prefixes, extensions, case variants).
//! [`JwksPlan::Raw`] is the escape hatch for bytes no edit writes.
//!
//! `Arbitrary` is derived for the edit enums (each choice is one enum
//! value, so libFuzzer mutations move between meaningful sets) and written
//! by hand for [`JwksInput`], which renders its plan once when decoded.

use std::fmt;

use arbitrary::{Arbitrary, Unstructured};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;

use super::LoadPolicy;
use crate::jwt::gen::{object_text, GVal, Members};
use crate::jwt::{fixture, MAX_JWKS_LEN, MAX_KEYS};

/// Longest `kid` a [`KidEdit::Long`] makes, in characters.
const MAX_LONG_KID: usize = 16 * 1024;
/// Most keys a plan writes (before [`SetEdit::ManyKeys`]); longer lists are cut.
pub const MAX_PLAN_KEYS: usize = 6;
/// Most edits per key and per set.
pub const MAX_EDITS: usize = 8;

/// A fixture key a set member starts from.
#[allow(missing_docs)]
#[derive(Arbitrary, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    Hs256,
    Hs384,
    Hs512,
    Es256,
    Es384,
    EdDSA,
    Rs256,
    Ps256,
    AttackerHs256,
    AttackerEs256,
    AttackerEdDSA,
    AttackerRs256,
    Es512,
}

impl Source {
    /// The fixture `kid` of the key (keys are looked up by `kid`, not by
    /// position, so keys appended to the fixture files change nothing).
    fn kid(self) -> &'static str {
        match self {
            Source::Hs256 => "hs256-0",
            Source::Hs384 => "hs384-0",
            Source::Hs512 => "hs512-0",
            Source::Es256 => "es256-0",
            Source::Es384 => "es384-0",
            Source::EdDSA => "eddsa-0",
            Source::Rs256 => "rs256-0",
            Source::Ps256 => "ps256-0",
            Source::AttackerHs256 => "attacker-hs256",
            Source::AttackerEs256 => "attacker-es256",
            Source::AttackerEdDSA => "attacker-eddsa",
            Source::AttackerRs256 => "attacker-rs256",
            Source::Es512 => "es512-0",
        }
    }

    /// The key's JWK members, as committed (parsed once per process).
    fn members(self) -> Members {
        use std::sync::OnceLock;
        static KEYS: OnceLock<Vec<Members>> = OnceLock::new();
        let keys = KEYS.get_or_init(|| {
            let parse = |json: &str| -> Vec<Members> {
                let doc: serde_json::Value = serde_json::from_str(json).unwrap_or_default();
                doc["keys"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|k| match k {
                        serde_json::Value::Object(m) => m
                            .iter()
                            .map(|(k, v)| (k.clone(), text(v.as_str().unwrap_or_default())))
                            .collect(),
                        _ => Vec::new(),
                    })
                    .collect()
            };
            let mut all = parse(fixture::TRUSTED_JWKS);
            all.extend(parse(fixture::ATTACKER_JWKS));
            all
        });
        keys.iter()
            .find(|m| {
                m.iter()
                    .any(|(k, v)| k == "kid" && matches!(v, GVal::Str(s) if s == self.kid()))
            })
            .cloned()
            .unwrap_or_default()
    }

    fn is_asymmetric(self) -> bool {
        !matches!(
            self,
            Source::Hs256 | Source::Hs384 | Source::Hs512 | Source::AttackerHs256
        )
    }
}

/// Public or private form of an asymmetric key (an HMAC key is its secret).
#[allow(missing_docs)]
#[derive(Arbitrary, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Form {
    Public,
    Private,
}

/// A JWK member name.
#[allow(missing_docs)]
#[derive(Arbitrary, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Member {
    Kty,
    Kid,
    Alg,
    Use,
    KeyOps,
    Crv,
    X,
    Y,
    D,
    N,
    E,
    P,
    Q,
    Dp,
    Dq,
    Qi,
    K,
}

impl Member {
    fn name(self) -> &'static str {
        match self {
            Member::Kty => "kty",
            Member::Kid => "kid",
            Member::Alg => "alg",
            Member::Use => "use",
            Member::KeyOps => "key_ops",
            Member::Crv => "crv",
            Member::X => "x",
            Member::Y => "y",
            Member::D => "d",
            Member::N => "n",
            Member::E => "e",
            Member::P => "p",
            Member::Q => "q",
            Member::Dp => "dp",
            Member::Dq => "dq",
            Member::Qi => "qi",
            Member::K => "k",
        }
    }
}

/// A character appended to an allowed name.
#[allow(missing_docs)]
#[derive(Arbitrary, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tail {
    Space,
    Nul,
    Letter,
    Digit,
    Dash,
    Newline,
}

/// A spelling of an allowed name: itself or a near miss.
#[allow(missing_docs)]
#[derive(Arbitrary, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Spelling {
    Exact,
    /// A strict prefix (its length modulo the name's length).
    Prefix(u8),
    Extend(Tail),
    Upper,
    Lower,
    /// Toggle the case of one character.
    ToggleCase(u8),
    /// A leading space.
    LeadingSpace,
}

impl Spelling {
    fn apply(self, name: &str) -> String {
        match self {
            Spelling::Exact => name.to_owned(),
            Spelling::Prefix(n) => {
                let cut = usize::from(n) % name.len().max(1);
                name.get(..cut).unwrap_or_default().to_owned()
            }
            Spelling::Extend(t) => format!(
                "{name}{}",
                match t {
                    Tail::Space => " ",
                    Tail::Nul => "\u{0}",
                    Tail::Letter => "x",
                    Tail::Digit => "1",
                    Tail::Dash => "-",
                    Tail::Newline => "\n",
                }
            ),
            Spelling::Upper => name.to_ascii_uppercase(),
            Spelling::Lower => name.to_ascii_lowercase(),
            Spelling::ToggleCase(i) => name
                .char_indices()
                .map(|(j, c)| {
                    if j == usize::from(i) % name.len().max(1) {
                        if c.is_ascii_uppercase() {
                            c.to_ascii_lowercase()
                        } else {
                            c.to_ascii_uppercase()
                        }
                    } else {
                        c
                    }
                })
                .collect(),
            Spelling::LeadingSpace => format!(" {name}"),
        }
    }
}

/// An `alg` name: every supported algorithm, and names that are not.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct AlgName(pub &'static str);

const ALG_NAMES: [&str; 16] = [
    "HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256",
    "ES384", "EdDSA", "none", "ES512", "RSA-OAEP", "ES256K",
];

impl<'a> Arbitrary<'a> for AlgName {
    fn arbitrary(u: &mut Unstructured<'a>) -> arbitrary::Result<Self> {
        Ok(AlgName(u.choose(&ALG_NAMES)?))
    }
    fn size_hint(_: usize) -> (usize, Option<usize>) {
        (1, Some(4))
    }
}

impl fmt::Debug for AlgName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

/// A `kty` name.
#[allow(missing_docs)]
#[derive(Arbitrary, Clone, Copy, Debug, PartialEq, Eq)]
pub enum KtyName {
    Oct,
    Rsa,
    Ec,
    Okp,
}

/// A `crv` name.
#[allow(missing_docs)]
#[derive(Arbitrary, Clone, Copy, Debug, PartialEq, Eq)]
pub enum CrvName {
    P256,
    P384,
    P521,
    Ed25519,
    X25519,
    Secp256k1,
}

/// A `use` value.
#[allow(missing_docs)]
#[derive(Arbitrary, Clone, Copy, Debug, PartialEq, Eq)]
pub enum UseName {
    Sig,
    Enc,
}

/// A `key_ops` entry.
#[allow(missing_docs)]
#[derive(Arbitrary, Clone, Copy, Debug, PartialEq, Eq)]
pub enum OpName {
    Sign,
    Verify,
    Encrypt,
    Decrypt,
    WrapKey,
    DeriveBits,
}

fn kty_text(k: KtyName) -> &'static str {
    match k {
        KtyName::Oct => "oct",
        KtyName::Rsa => "RSA",
        KtyName::Ec => "EC",
        KtyName::Okp => "OKP",
    }
}

fn crv_text(c: CrvName) -> &'static str {
    match c {
        CrvName::P256 => "P-256",
        CrvName::P384 => "P-384",
        CrvName::P521 => "P-521",
        CrvName::Ed25519 => "Ed25519",
        CrvName::X25519 => "X25519",
        CrvName::Secp256k1 => "secp256k1",
    }
}

fn op_text(o: OpName) -> &'static str {
    match o {
        OpName::Sign => "sign",
        OpName::Verify => "verify",
        OpName::Encrypt => "encrypt",
        OpName::Decrypt => "decrypt",
        OpName::WrapKey => "wrapKey",
        OpName::DeriveBits => "deriveBits",
    }
}

/// A JSON value of the wrong type for a member.
#[allow(missing_docs)]
#[derive(Arbitrary, Clone, Copy, Debug, PartialEq, Eq)]
pub enum WrongType {
    Null,
    True,
    Zero,
    Number(u32),
    EmptyString,
    Array,
    Object,
}

impl WrongType {
    fn value(self, inner: &GVal) -> GVal {
        match self {
            WrongType::Null => GVal::Null,
            WrongType::True => GVal::Bool(true),
            WrongType::Zero => GVal::Int(0),
            WrongType::Number(n) => GVal::Int(i128::from(n)),
            WrongType::EmptyString => text(""),
            WrongType::Array => GVal::Arr(vec![inner.clone()]),
            WrongType::Object => GVal::Obj(vec![("value".into(), inner.clone())]),
        }
    }
}

/// How a base64url member is re-encoded.
#[allow(missing_docs)]
#[derive(Arbitrary, Clone, Copy, Debug, PartialEq, Eq)]
pub enum B64Form {
    /// `=` padding.
    Padded,
    /// The standard alphabet (`+`, `/`) with padding.
    Standard,
    /// A leading zero byte.
    LeadingZero,
    /// Unused low bits set in the last character.
    TrailingBits,
    /// A space inside.
    Whitespace,
    /// The integer in decimal, as a string.
    DecimalString,
    /// The integer as a JSON number (when it fits).
    JsonNumber,
    /// Hexadecimal text.
    Hex,
}

/// Bit lengths at and around the RSA modulus limits.
#[allow(missing_docs)]
#[derive(Arbitrary, Clone, Copy, Debug, PartialEq, Eq)]
pub enum BitsEdge {
    B1,
    B8,
    B512,
    B1024,
    B2047,
    B2048,
    B2049,
    B3072,
    B4095,
    B4096,
    B4097,
    B8192,
}

impl BitsEdge {
    fn bits(self) -> usize {
        match self {
            BitsEdge::B1 => 1,
            BitsEdge::B8 => 8,
            BitsEdge::B512 => 512,
            BitsEdge::B1024 => 1024,
            BitsEdge::B2047 => 2047,
            BitsEdge::B2048 => 2048,
            BitsEdge::B2049 => 2049,
            BitsEdge::B3072 => 3072,
            BitsEdge::B4095 => 4095,
            BitsEdge::B4096 => 4096,
            BitsEdge::B4097 => 4097,
            BitsEdge::B8192 => 8192,
        }
    }
}

/// An edit of an RSA modulus `n`.
#[allow(missing_docs)]
#[derive(Arbitrary, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ModulusEdit {
    /// Drop 1–256 low bytes.
    Truncate(u8),
    /// Append 1–256 bytes.
    Extend(u8),
    /// A number of exactly this many bits built from `n`'s bytes (odd).
    Bits(BitsEdge),
    /// Clear the low bit.
    Even,
    /// The empty string.
    Empty,
    /// Flip one bit.
    FlipBit(u16),
    /// Made divisible by one small odd prime (the `u16` picks which, below
    /// the loader's trial-division bound) and by no smaller one.
    SmallFactor(u16),
}

/// A value of the RSA public exponent `e`.
#[allow(missing_docs)]
#[derive(Arbitrary, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExponentValue {
    Empty,
    Zero,
    One,
    Three,
    Seventeen,
    F4Minus2,
    F4Minus1,
    F4,
    F4Plus2,
    TwoPow32Plus1,
    TwoPow33Minus1,
    TwoPow33Plus1,
    Even,
    NineBytes,
}

impl ExponentValue {
    fn bytes(self) -> Vec<u8> {
        let v: u128 = match self {
            ExponentValue::Empty => return Vec::new(),
            ExponentValue::NineBytes => return vec![1, 0, 0, 0, 0, 0, 1, 0, 1],
            ExponentValue::Zero => return vec![0],
            ExponentValue::One => 1,
            ExponentValue::Three => 3,
            ExponentValue::Seventeen => 17,
            ExponentValue::F4Minus2 => 65535,
            ExponentValue::F4Minus1 => 65536,
            ExponentValue::F4 => 65537,
            ExponentValue::F4Plus2 => 65539,
            ExponentValue::TwoPow32Plus1 => (1 << 32) + 1,
            ExponentValue::TwoPow33Minus1 => (1 << 33) - 1,
            ExponentValue::TwoPow33Plus1 => (1 << 33) + 1,
            ExponentValue::Even => 65538,
        };
        minimal_be(v)
    }
}

fn minimal_be(v: u128) -> Vec<u8> {
    let b = v.to_be_bytes();
    let first = b.iter().position(|&x| x != 0).unwrap_or(b.len() - 1);
    b[first..].to_vec()
}

/// A curve coordinate.
#[allow(missing_docs)]
#[derive(Arbitrary, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Coord {
    X,
    Y,
}

/// Ed25519 encodings of small-order and non-canonical points.
#[allow(missing_docs)]
#[derive(Arbitrary, Clone, Copy, Debug, PartialEq, Eq)]
pub enum EdPoint {
    Identity,
    Order2,
    Order4,
    Order4Signed,
    Order8a,
    Order8b,
    /// `y = p` (non-canonical zero).
    NonCanonicalP,
    /// `y = p + 1` (non-canonical identity).
    NonCanonicalPPlus1,
}

impl EdPoint {
    fn bytes(self) -> Vec<u8> {
        let hex = match self {
            EdPoint::Identity => "0100000000000000000000000000000000000000000000000000000000000000",
            EdPoint::Order2 => "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
            EdPoint::Order4 => "0000000000000000000000000000000000000000000000000000000000000000",
            EdPoint::Order4Signed => {
                "0000000000000000000000000000000000000000000000000000000000000080"
            }
            EdPoint::Order8a => "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",
            EdPoint::Order8b => "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05",
            EdPoint::NonCanonicalP => {
                "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"
            }
            EdPoint::NonCanonicalPPlus1 => {
                "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"
            }
        };
        crate::engine::util::unhex(hex).unwrap_or_default()
    }
}

/// An edit of an EC or OKP public point.
#[allow(missing_docs)]
#[derive(Arbitrary, Clone, Copy, Debug, PartialEq, Eq)]
pub enum PointEdit {
    /// Flip one bit of a coordinate (off the curve, almost always).
    FlipBit(Coord, u16),
    /// Drop the last byte of a coordinate.
    Truncate(Coord),
    /// Append a byte to a coordinate.
    Extend(Coord),
    /// Prepend a zero byte to a coordinate.
    LeadingZero(Coord),
    /// Both coordinates zero.
    Zero,
    SwapXY,
    /// The coordinates of the other NIST curve's fixture key.
    OtherCurve,
    /// An Ed25519 point of small order or in non-canonical form.
    Ed(EdPoint),
}

/// Secret lengths at and around the HMAC limits.
#[allow(missing_docs)]
#[derive(Arbitrary, Clone, Copy, Debug, PartialEq, Eq)]
pub enum SecretLen {
    L0,
    L1,
    L16,
    L31,
    L32,
    L33,
    L47,
    L48,
    L63,
    L64,
    L65,
}

impl SecretLen {
    fn len(self) -> usize {
        match self {
            SecretLen::L0 => 0,
            SecretLen::L1 => 1,
            SecretLen::L16 => 16,
            SecretLen::L31 => 31,
            SecretLen::L32 => 32,
            SecretLen::L33 => 33,
            SecretLen::L47 => 47,
            SecretLen::L48 => 48,
            SecretLen::L63 => 63,
            SecretLen::L64 => 64,
            SecretLen::L65 => 65,
        }
    }
}

/// An edit of a key's private part.
#[allow(missing_docs)]
#[derive(Arbitrary, Clone, Copy, Debug, PartialEq, Eq)]
pub enum PrivateEdit {
    /// Flip one bit of `d`.
    FlipD(u16),
    /// `d` of the other fixture key of the same kind (trusted ↔ attacker).
    OtherD,
    /// Only `p` given.
    DropQ,
    SwapPQ,
    /// Flip one bit of `p`.
    FlipP(u16),
    /// Change a CRT parameter (`dp`).
    FlipDp(u16),
}

/// A `kid` edit.
#[allow(missing_docs)]
#[derive(Arbitrary, Clone, Copy, Debug, PartialEq, Eq)]
pub enum KidEdit {
    /// The `kid` of another member of the set (by index).
    SameAs(u8),
    /// A near miss of the key's own `kid`.
    Spelled(Spelling),
    Empty,
    /// A long `kid` (its own repeated).
    Long(u8),
}

/// One edit of one JWK.
#[allow(missing_docs)]
#[derive(Arbitrary, Clone, Debug, PartialEq, Eq)]
pub enum KeyEdit {
    Drop(Member),
    /// Append a second copy of a member (a duplicate JSON member).
    Duplicate(Member),
    Retype(Member, WrongType),
    Reencode(Member, B64Form),
    Alg(AlgName, Spelling),
    Kty(KtyName, Spelling),
    Crv(CrvName, Spelling),
    Use(UseName, Spelling),
    KeyOps(Vec<(OpName, Spelling)>),
    Kid(KidEdit),
    Modulus(ModulusEdit),
    Exponent(ExponentValue),
    Point(PointEdit),
    Secret(SecretLen),
    Private(PrivateEdit),
    /// A harmless unknown member.
    Extra,
    /// A multi-prime `oth` member.
    Oth,
    /// An `x5c` certificate chain member.
    X5c,
}

/// One set member: a fixture key, its form, its edits.
#[derive(Arbitrary, Clone, Debug, PartialEq, Eq)]
pub struct KeyPlan {
    /// The fixture key it starts from.
    pub source: Source,
    /// Public or private.
    pub form: Form,
    /// Edits, in order.
    pub edits: Vec<KeyEdit>,
}

/// How many keys [`SetEdit::ManyKeys`] makes the set hold.
#[allow(missing_docs)]
#[derive(Arbitrary, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ManyEdge {
    BelowMax,
    Max,
    AboveMax,
}

/// How long [`SetEdit::Size`] makes the document.
#[allow(missing_docs)]
#[derive(Arbitrary, Clone, Copy, Debug, PartialEq, Eq)]
pub enum SizeEdge {
    BelowMax,
    Max,
    AboveMax,
}

/// One edit of the set around its keys.
#[allow(missing_docs)]
#[derive(Arbitrary, Clone, Copy, Debug, PartialEq, Eq)]
pub enum SetEdit {
    /// Repeat a member (by index) at the end of the list.
    RepeatKey(u8),
    /// `keys` holds a value of another type.
    KeysNotArray(WrongType),
    /// No `keys` member.
    NoKeys,
    /// An empty `keys` array.
    EmptyKeys,
    /// A second `keys` member.
    DuplicateKeys,
    /// A harmless unknown top-level member.
    ExtraTop,
    /// Wrap one key (by index) in 1–8 arrays.
    NestKey(u8, u8),
    /// Put the whole set inside a `keys` member of a new set.
    NestSet,
    /// An unknown member holding arrays nested 4·n deep.
    DeepNesting(u8),
    /// Fill the set with HMAC keys up to the key-count limit.
    ManyKeys(ManyEdge),
    /// Pad with whitespace up to the document-size limit.
    Size(SizeEdge),
    /// The set as a top-level array.
    TopLevelArray,
    /// Bytes after the document.
    TrailingGarbage,
    /// A UTF-8 byte-order mark before it.
    Bom,
    /// An invalid UTF-8 byte inside a string.
    InvalidUtf8,
}

/// A structured JWK Set, or raw bytes.
#[derive(Arbitrary, Clone, Debug, PartialEq, Eq)]
pub enum JwksPlan {
    /// A set of edited fixture keys.
    Set {
        /// The keys, in document order.
        keys: Vec<KeyPlan>,
        /// Edits of the set.
        edits: Vec<SetEdit>,
    },
    /// Any bytes.
    Raw(Vec<u8>),
}

impl JwksPlan {
    fn trim(mut self) -> JwksPlan {
        if let JwksPlan::Set { keys, edits } = &mut self {
            keys.truncate(MAX_PLAN_KEYS);
            edits.truncate(MAX_EDITS);
            for k in keys.iter_mut() {
                k.edits.truncate(MAX_EDITS);
            }
        }
        self
    }

    /// Whether the plan is a set of unedited fixture keys.
    pub fn is_pristine(&self) -> bool {
        match self {
            JwksPlan::Set { keys, edits } => {
                edits.is_empty() && keys.iter().all(|k| k.edits.is_empty())
            }
            JwksPlan::Raw(_) => false,
        }
    }
}

/// A plan, the loading policy, and the payload they render to.
#[derive(Clone)]
pub struct JwksInput {
    /// Refuse signing material ([`LoadPolicy::public_only`]).
    pub public_only: bool,
    /// The plan.
    pub plan: JwksPlan,
    payload: Vec<u8>,
}

impl JwksInput {
    /// The input for `plan` under `policy`.
    pub fn new(plan: JwksPlan, policy: LoadPolicy) -> JwksInput {
        let plan = plan.trim();
        let payload = render(&plan);
        JwksInput {
            public_only: policy.public_only,
            plan,
            payload,
        }
    }

    /// The JWK Set text (bytes) the plan renders to.
    pub fn payload(&self) -> &[u8] {
        &self.payload
    }

    /// The loading policy.
    pub fn policy(&self) -> LoadPolicy {
        LoadPolicy {
            public_only: self.public_only,
        }
    }

    /// For a pristine plan, whether its set must load: its keys are
    /// distinct, all HMAC secrets, all asymmetric public keys or all
    /// asymmetric private keys, and the policy allows them. A set mixing
    /// HMAC secrets with asymmetric keys must be refused
    /// ([`KeyError::MixedSymmetric`](crate::jwt::KeyError::MixedSymmetric)).
    /// `None` for any other plan.
    pub fn pristine_must_load(&self) -> Option<bool> {
        let JwksPlan::Set { keys, .. } = &self.plan else {
            return None;
        };
        if !self.plan.is_pristine() {
            return None;
        }
        let asymmetric = keys.iter().filter(|k| k.source.is_asymmetric()).count();
        if asymmetric != 0 && asymmetric != keys.len() {
            return Some(false);
        }
        let distinct = keys
            .iter()
            .enumerate()
            .all(|(i, k)| keys[..i].iter().all(|o| o.source != k.source));
        let all_public = keys.iter().all(|k| k.form == Form::Public);
        let all_private = keys.iter().all(|k| k.form == Form::Private);
        let one_kind = asymmetric == 0 || all_public || all_private;
        let policy_ok = !self.public_only || (asymmetric == keys.len() && all_public);
        Some(!keys.is_empty() && distinct && one_kind && policy_ok)
    }
}

impl<'a> Arbitrary<'a> for JwksInput {
    fn arbitrary(u: &mut Unstructured<'a>) -> arbitrary::Result<Self> {
        let public_only = bool::arbitrary(u)?;
        let plan = JwksPlan::arbitrary(u)?;
        Ok(JwksInput::new(plan, LoadPolicy { public_only }))
    }
    fn arbitrary_take_rest(mut u: Unstructured<'a>) -> arbitrary::Result<Self> {
        let public_only = bool::arbitrary(&mut u)?;
        let plan = JwksPlan::arbitrary_take_rest(u)?;
        Ok(JwksInput::new(plan, LoadPolicy { public_only }))
    }
}

impl fmt::Debug for JwksInput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const SHOWN: usize = 4096;
        let shown = &self.payload[..self.payload.len().min(SHOWN)];
        let mut s = f.debug_struct("JwksInput");
        s.field("payload", &crate::engine::util::EscapedBytes(shown));
        if self.payload.len() > SHOWN {
            s.field("payload_len", &self.payload.len());
        }
        s.field("public_only", &self.public_only)
            .field("plan", &self.plan)
            .finish()
    }
}

// ---------------------------------------------------------------------------
// Rendering

fn text(t: impl Into<String>) -> GVal {
    GVal::Str(t.into())
}

fn b64(bytes: &[u8]) -> GVal {
    text(URL_SAFE_NO_PAD.encode(bytes))
}

fn get_bytes(m: &Members, name: &str) -> Vec<u8> {
    match m.iter().find(|(k, _)| k == name) {
        Some((_, GVal::Str(s))) => URL_SAFE_NO_PAD.decode(s).unwrap_or_default(),
        _ => Vec::new(),
    }
}

fn set(m: &mut Members, name: &str, value: GVal) {
    match m.iter_mut().find(|(k, _)| k == name) {
        Some(slot) => slot.1 = value,
        None => m.push((name.to_owned(), value)),
    }
}

fn flip(bytes: &mut [u8], bit: u16) {
    if !bytes.is_empty() {
        let i = usize::from(bit / 8) % bytes.len();
        bytes[i] ^= 1 << (bit % 8);
    }
}

const PRIVATE_MEMBERS: [&str; 6] = ["d", "p", "q", "dp", "dq", "qi"];

/// The other fixture key of the same kind (trusted ↔ attacker, or the
/// nearest one), for cross-key edits.
fn sibling(s: Source) -> Source {
    match s {
        Source::Es256 => Source::AttackerEs256,
        Source::AttackerEs256 | Source::Es384 => Source::Es256,
        Source::Es512 => Source::Es384,
        Source::EdDSA => Source::AttackerEdDSA,
        Source::AttackerEdDSA => Source::EdDSA,
        Source::Rs256 => Source::AttackerRs256,
        Source::AttackerRs256 | Source::Ps256 => Source::Rs256,
        Source::Hs256 => Source::AttackerHs256,
        _ => Source::Hs256,
    }
}

fn reencode(bytes: &[u8], form: B64Form) -> GVal {
    use base64::engine::general_purpose::{STANDARD, URL_SAFE};
    let number = || {
        let v = rsa::BigUint::from_bytes_be(bytes);
        v.to_str_radix(10)
    };
    match form {
        B64Form::Padded => text(URL_SAFE.encode(bytes)),
        B64Form::Standard => text(STANDARD.encode(bytes)),
        B64Form::LeadingZero => b64(&[&[0u8][..], bytes].concat()),
        B64Form::TrailingBits => {
            let mut t = URL_SAFE_NO_PAD.encode(bytes);
            if t.len() % 4 >= 2 {
                if let Some(last) = t.pop() {
                    let alphabet =
                        b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
                    let v = alphabet.iter().position(|&c| c == last as u8).unwrap_or(0);
                    t.push(alphabet[v | 1] as char);
                }
            }
            text(t)
        }
        B64Form::Whitespace => {
            let t = URL_SAFE_NO_PAD.encode(bytes);
            let mid = t.len() / 2;
            text(format!("{} {}", &t[..mid], &t[mid..]))
        }
        B64Form::DecimalString => text(number()),
        B64Form::JsonNumber if bytes.len() <= 8 => GVal::Int(
            bytes
                .iter()
                .fold(0i128, |acc, &b| (acc << 8) | i128::from(b)),
        ),
        B64Form::JsonNumber => GVal::Exp(1e300),
        B64Form::Hex => text(crate::engine::util::hex(bytes)),
    }
}

fn apply_key_edit(m: &mut Members, edit: &KeyEdit, plan: &KeyPlan, kids: &[String]) {
    match edit {
        KeyEdit::Drop(member) => m.retain(|(k, _)| k != member.name()),
        KeyEdit::Duplicate(member) => {
            if let Some(slot) = m.iter().find(|(k, _)| k == member.name()).cloned() {
                m.push(slot);
            }
        }
        KeyEdit::Retype(member, wrong) => {
            let inner = m
                .iter()
                .find(|(k, _)| k == member.name())
                .map_or(GVal::Null, |(_, v)| v.clone());
            set(m, member.name(), wrong.value(&inner));
        }
        KeyEdit::Reencode(member, form) => {
            let bytes = get_bytes(m, member.name());
            if m.iter().any(|(k, _)| k == member.name()) {
                set(m, member.name(), reencode(&bytes, *form));
            }
        }
        KeyEdit::Alg(a, s) => set(m, "alg", text(s.apply(a.0))),
        KeyEdit::Kty(k, s) => set(m, "kty", text(s.apply(kty_text(*k)))),
        KeyEdit::Crv(c, s) => set(m, "crv", text(s.apply(crv_text(*c)))),
        KeyEdit::Use(u, s) => set(
            m,
            "use",
            text(s.apply(match u {
                UseName::Sig => "sig",
                UseName::Enc => "enc",
            })),
        ),
        KeyEdit::KeyOps(ops) => set(
            m,
            "key_ops",
            GVal::Arr(
                ops.iter()
                    .take(MAX_EDITS)
                    .map(|(o, s)| text(s.apply(op_text(*o))))
                    .collect(),
            ),
        ),
        KeyEdit::Kid(k) => {
            let own = match m.iter().find(|(k, _)| k == "kid") {
                Some((_, GVal::Str(s))) => s.clone(),
                _ => String::new(),
            };
            let kid = match k {
                KidEdit::SameAs(i) if !kids.is_empty() => {
                    kids[usize::from(*i) % kids.len()].clone()
                }
                KidEdit::SameAs(_) => own,
                KidEdit::Spelled(s) => s.apply(&own),
                KidEdit::Empty => String::new(),
                // Capped: repeated `Long` edits would otherwise grow the kid
                // geometrically (an 8 GB allocation found by a 10-minute
                // ASan run of this generator).
                KidEdit::Long(n) => own
                    .chars()
                    .cycle()
                    .take(
                        own.chars()
                            .count()
                            .saturating_mul(usize::from(*n) + 2)
                            .min(MAX_LONG_KID),
                    )
                    .collect(),
            };
            set(m, "kid", text(kid));
        }
        KeyEdit::Modulus(e) => {
            let mut n = get_bytes(m, "n");
            match e {
                ModulusEdit::Truncate(k) => {
                    let cut = (usize::from(*k) + 1).min(n.len());
                    n.truncate(n.len() - cut);
                }
                ModulusEdit::Extend(k) => {
                    let extra: Vec<u8> = n
                        .iter()
                        .copied()
                        .cycle()
                        .take(usize::from(*k) + 1)
                        .collect();
                    n.extend(extra);
                }
                ModulusEdit::Bits(edge) => n = exact_bits(&n, edge.bits()),
                ModulusEdit::SmallFactor(i) => n = with_small_factor(&n, *i),
                ModulusEdit::Even => {
                    if let Some(last) = n.last_mut() {
                        *last &= !1;
                    }
                }
                ModulusEdit::Empty => n.clear(),
                ModulusEdit::FlipBit(b) => flip(&mut n, *b),
            }
            set(m, "n", b64(&n));
        }
        KeyEdit::Exponent(v) => set(m, "e", b64(&v.bytes())),
        KeyEdit::Point(p) => apply_point(m, *p, plan.source),
        KeyEdit::Secret(len) => {
            let k = get_bytes(m, "k");
            let secret: Vec<u8> = k.iter().copied().cycle().take(len.len()).collect();
            set(m, "k", b64(&secret));
        }
        KeyEdit::Private(p) => match p {
            PrivateEdit::FlipD(b) => {
                let mut d = get_bytes(m, "d");
                flip(&mut d, *b);
                set(m, "d", b64(&d));
            }
            PrivateEdit::OtherD => {
                let other = sibling(plan.source).members();
                if let Some((_, d)) = other.into_iter().find(|(k, _)| k == "d") {
                    set(m, "d", d);
                }
            }
            PrivateEdit::DropQ => m.retain(|(k, _)| k != "q"),
            PrivateEdit::SwapPQ => {
                let (p, q) = (get_bytes(m, "p"), get_bytes(m, "q"));
                if !p.is_empty() {
                    set(m, "p", b64(&q));
                    set(m, "q", b64(&p));
                }
            }
            PrivateEdit::FlipP(b) | PrivateEdit::FlipDp(b) => {
                let name = if matches!(p, PrivateEdit::FlipP(_)) {
                    "p"
                } else {
                    "dp"
                };
                let mut v = get_bytes(m, name);
                if !v.is_empty() {
                    flip(&mut v, *b);
                    set(m, name, b64(&v));
                }
            }
        },
        KeyEdit::Extra => set(m, "x-note", text("rotated 2024-01")),
        KeyEdit::Oth => set(
            m,
            "oth",
            GVal::Arr(vec![GVal::Obj(vec![
                ("r".into(), b64(&[3])),
                ("d".into(), b64(&[1])),
                ("t".into(), b64(&[1])),
            ])]),
        ),
        KeyEdit::X5c => set(m, "x5c", GVal::Arr(vec![text("MIIBszCCAVmgAwIBAgIJAL")])),
    }
}

/// The odd primes below the loader's trial-division bound (10,000).
pub fn small_primes() -> &'static [u32] {
    use std::sync::OnceLock;
    static PRIMES: OnceLock<Vec<u32>> = OnceLock::new();
    PRIMES.get_or_init(|| {
        (3u32..crate::targets::jwt::SMALL_FACTOR_BOUND)
            .step_by(2)
            .filter(|&p| {
                (3..)
                    .step_by(2)
                    .take_while(|d| d * d <= p)
                    .all(|d| p % d != 0)
            })
            .collect()
    })
}

fn smallest_factor(n: &rsa::BigUint) -> Option<u32> {
    small_primes()
        .iter()
        .copied()
        .find(|&p| (n % p) == rsa::BigUint::from(0u32))
}

/// `n` moved (by multiples of the chosen small prime `p`) to an odd number
/// of the same length whose smallest odd prime factor is `p`.
fn with_small_factor(n: &[u8], pick: u16) -> Vec<u8> {
    use rsa::BigUint;
    let primes = small_primes();
    let p = primes[usize::from(pick) % primes.len()];
    let big_p = BigUint::from(p);
    let n = BigUint::from_bytes_be(n);
    let mut m = &n - (&n % &big_p);
    if (&m % 2u32) == BigUint::from(0u32) {
        m += &big_p;
    }
    let two_p = &big_p * 2u32;
    for _ in 0..200 {
        if smallest_factor(&m) == Some(p) {
            break;
        }
        m += &two_p;
    }
    m.to_bytes_be()
}

/// An odd number of exactly `bits` bits, its low bytes taken from `n`, and
/// (above 64 bits) free of odd prime factors below 10,000 like a real
/// modulus, so that only its size is wrong.
fn exact_bits(n: &[u8], bits: usize) -> Vec<u8> {
    let out = exact_bits_raw(n, bits);
    if bits <= 64 {
        return out;
    }
    let mut m = rsa::BigUint::from_bytes_be(&out);
    for _ in 0..2000 {
        if smallest_factor(&m).is_none() {
            break;
        }
        m += 2u32;
    }
    m.to_bytes_be()
}

fn exact_bits_raw(n: &[u8], bits: usize) -> Vec<u8> {
    let len = bits.div_ceil(8);
    let mut out: Vec<u8> = n.iter().rev().copied().cycle().take(len).collect();
    out.reverse();
    if let Some(first) = out.first_mut() {
        let top = (bits - 1) % 8;
        *first = (*first & ((1u16 << top) - 1) as u8) | (1 << top);
    }
    if let Some(last) = out.last_mut() {
        *last |= 1;
    }
    out
}

fn apply_point(m: &mut Members, edit: PointEdit, source: Source) {
    let name = |c: Coord| match c {
        Coord::X => "x",
        Coord::Y => "y",
    };
    match edit {
        PointEdit::FlipBit(c, b) => {
            let mut v = get_bytes(m, name(c));
            flip(&mut v, b);
            set(m, name(c), b64(&v));
        }
        PointEdit::Truncate(c) => {
            let mut v = get_bytes(m, name(c));
            v.pop();
            set(m, name(c), b64(&v));
        }
        PointEdit::Extend(c) => {
            let mut v = get_bytes(m, name(c));
            v.push(0x5a);
            set(m, name(c), b64(&v));
        }
        PointEdit::LeadingZero(c) => {
            let v = get_bytes(m, name(c));
            set(m, name(c), b64(&[&[0u8][..], &v].concat()));
        }
        PointEdit::Zero => {
            let len = get_bytes(m, "x").len();
            set(m, "x", b64(&vec![0; len]));
            if m.iter().any(|(k, _)| k == "y") {
                set(m, "y", b64(&vec![0; len]));
            }
        }
        PointEdit::SwapXY => {
            let (x, y) = (get_bytes(m, "x"), get_bytes(m, "y"));
            if !y.is_empty() {
                set(m, "x", b64(&y));
                set(m, "y", b64(&x));
            }
        }
        PointEdit::OtherCurve => {
            let other = match source {
                Source::Es384 => Source::Es256,
                _ => Source::Es384,
            }
            .members();
            for c in ["x", "y"] {
                if let Some((_, v)) = other.iter().find(|(k, _)| k == c) {
                    set(m, c, v.clone());
                }
            }
        }
        PointEdit::Ed(p) => set(m, "x", b64(&p.bytes())),
    }
}

fn key_members(k: &KeyPlan, kids: &[String]) -> Members {
    let mut m = k.source.members();
    if k.form == Form::Public && k.source.is_asymmetric() {
        m.retain(|(name, _)| !PRIVATE_MEMBERS.contains(&name.as_str()));
    }
    for e in &k.edits {
        apply_key_edit(&mut m, e, k, kids);
    }
    m
}

/// Render a plan into the bytes of a JWK Set text.
pub fn render(plan: &JwksPlan) -> Vec<u8> {
    let (keys, edits) = match plan {
        JwksPlan::Raw(bytes) => return bytes.clone(),
        JwksPlan::Set { keys, edits } => (keys, edits),
    };
    let kids: Vec<String> = keys
        .iter()
        .filter_map(|k| {
            k.source
                .members()
                .into_iter()
                .find(|(n, _)| n == "kid")
                .and_then(|(_, v)| match v {
                    GVal::Str(s) => Some(s),
                    _ => None,
                })
        })
        .collect();
    let mut list: Vec<GVal> = keys
        .iter()
        .map(|k| GVal::Obj(key_members(k, &kids)))
        .collect();
    let mut top: Members = Vec::new();
    let mut keys_value: Option<GVal> = None;
    let (mut prefix, mut suffix, mut pad, mut invalid_utf8, mut top_array, mut nest) =
        (Vec::new(), Vec::new(), None, false, false, false);
    for e in edits {
        match *e {
            SetEdit::RepeatKey(i) if !list.is_empty() => {
                let k = list[usize::from(i) % list.len()].clone();
                list.push(k);
            }
            SetEdit::RepeatKey(_) => {}
            SetEdit::KeysNotArray(w) => keys_value = Some(w.value(&GVal::Arr(Vec::new()))),
            SetEdit::NoKeys => keys_value = Some(GVal::Null),
            SetEdit::EmptyKeys => list.clear(),
            SetEdit::DuplicateKeys => top.push(("keys".into(), GVal::Arr(Vec::new()))),
            SetEdit::ExtraTop => top.push(("x-issuer".into(), text("https://issuer.example"))),
            SetEdit::NestKey(i, depth) if !list.is_empty() => {
                let i = usize::from(i) % list.len();
                for _ in 0..=depth % 8 {
                    list[i] = GVal::Arr(vec![list[i].clone()]);
                }
            }
            SetEdit::NestKey(..) => {}
            SetEdit::NestSet => nest = true,
            SetEdit::DeepNesting(n) => {
                let mut v = GVal::Int(1);
                for _ in 0..usize::from(n) * 4 {
                    v = GVal::Arr(vec![v]);
                }
                top.push(("x-deep".into(), v));
            }
            SetEdit::ManyKeys(edge) => {
                let want = match edge {
                    ManyEdge::BelowMax => MAX_KEYS - 1,
                    ManyEdge::Max => MAX_KEYS,
                    ManyEdge::AboveMax => MAX_KEYS + 1,
                };
                let base = Source::Hs256.members();
                let mut i = 0;
                while list.len() < want {
                    let mut m = base.clone();
                    set(&mut m, "kid", text(format!("many-{i}")));
                    list.push(GVal::Obj(m));
                    i += 1;
                }
            }
            SetEdit::Size(edge) => {
                pad = Some(match edge {
                    SizeEdge::BelowMax => MAX_JWKS_LEN - 1,
                    SizeEdge::Max => MAX_JWKS_LEN,
                    SizeEdge::AboveMax => MAX_JWKS_LEN + 1,
                })
            }
            SetEdit::TopLevelArray => top_array = true,
            SetEdit::TrailingGarbage => suffix.extend_from_slice(b" {}"),
            SetEdit::Bom => prefix.extend_from_slice(b"\xef\xbb\xbf"),
            SetEdit::InvalidUtf8 => invalid_utf8 = true,
        }
    }
    let keys_value = keys_value.unwrap_or(GVal::Arr(list));
    let mut doc_members: Members = vec![("keys".into(), keys_value)];
    doc_members.extend(top);
    let mut doc = GVal::Obj(doc_members);
    if nest {
        doc = GVal::Obj(vec![("keys".into(), doc)]);
    }
    let mut text = String::new();
    if top_array {
        GVal::Arr(vec![doc]).render(&mut text);
    } else {
        match &doc {
            GVal::Obj(m) => text = object_text(m),
            other => other.render(&mut text),
        }
    }
    let mut out = prefix;
    out.extend_from_slice(text.as_bytes());
    if invalid_utf8 {
        // Inside the first string: a lone continuation byte.
        if let Some(i) = out.iter().position(|&b| b == b'"') {
            out.insert(i + 1, 0x80);
        }
    }
    out.extend_from_slice(&suffix);
    if let Some(len) = pad {
        if out.len() < len {
            out.resize(len, b' ');
        }
    }
    out
}

/// The committed fixture sets, public and private, for seeds and tests:
/// the trusted keys as committed (private), and their public set.
pub fn fixture_sets() -> Vec<JwksInput> {
    let all = |form| JwksPlan::Set {
        keys: [
            Source::Es256,
            Source::Es384,
            Source::EdDSA,
            Source::Rs256,
            Source::Ps256,
        ]
        .into_iter()
        .map(|source| KeyPlan {
            source,
            form,
            edits: Vec::new(),
        })
        .collect(),
        edits: Vec::new(),
    };
    vec![
        JwksInput::new(all(Form::Public), LoadPolicy { public_only: true }),
        JwksInput::new(all(Form::Private), LoadPolicy::default()),
    ]
}
