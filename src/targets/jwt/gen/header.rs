//! Header edits: `alg` swaps, hostile `kid`s, embedded keys, `crit`,
//! `typ`/`cty`, forbidden parameters, duplicates.

use arbitrary::Arbitrary;

use super::picks::{AlgPick, NonString, NoneSpelling, TrustedKey};
use super::signing::AttackerKey;
use super::value::{remove, set, GVal, Members};
use crate::targets::jwt::fixture::{self, CRIT_EXTENSION};
use crate::targets::jwt::keys::Key;

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
    /// `["secfuzz-ext"]`, understood by the fixture verifier.
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

pub(super) fn base_header(key: &Key) -> Members {
    vec![
        ("alg".into(), GVal::s(key.algorithm().name())),
        ("kid".into(), GVal::s(key.kid().unwrap_or_default())),
        ("typ".into(), GVal::s("JWT")),
    ]
}

pub(super) fn apply_header(h: &mut Members, edit: HeaderEdit, signer: TrustedKey) {
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
