//! Claims edits: NumericDates at and around each boundary of the fixture's
//! validity window, in every JSON spelling and type; `iss`, `aud`, `sub`;
//! duplicates.

use arbitrary::Arbitrary;

use super::picks::NonString;
use super::value::{remove, set, GVal, Members};
use crate::targets::jwt::fixture::{AUDIENCE, ISSUER, LEEWAY_EXP, LEEWAY_NBF, NOW};

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

/// A reference instant near a boundary of the fixture's validity window.
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
    /// A near miss of the expected value.
    NearMiss(NearMiss),
}

/// A near miss of an allowed string (an issuer, an audience): what a
/// comparison by prefix, case-insensitively, after trimming or after
/// normalization would wrongly let through.
#[allow(missing_docs)]
#[derive(Arbitrary, Clone, Copy, Debug, PartialEq, Eq)]
pub enum NearMiss {
    /// Drop the last `1 + n % len` characters.
    Prefix(u8),
    /// Append something.
    Extend(Extension),
    /// Flip the case of the character at `n % len`.
    CaseFlip(u8),
    /// Replace the character at `n % len` by its fullwidth form.
    Fullwidth(u8),
    /// Insert an invisible or space character at `n % (len + 1)`.
    Insert(Invisible, u8),
}

/// What [`NearMiss::Extend`] appends.
#[allow(missing_docs)]
#[derive(Arbitrary, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Extension {
    DashEvil,
    DotAttacker,
    Space,
    Slash,
    Nul,
    Letter,
    Itself,
}

/// What [`NearMiss::Insert`] inserts.
#[allow(missing_docs)]
#[derive(Arbitrary, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Invisible {
    ZeroWidthSpace,
    ZeroWidthJoiner,
    NoBreakSpace,
    SoftHyphen,
    Tab,
}

/// `good`, missed by a little (never equal to `good`).
pub fn near_miss(good: &str, m: NearMiss) -> String {
    let chars: Vec<char> = good.chars().collect();
    let len = chars.len().max(1);
    let at = |n: u8| usize::from(n) % len;
    match m {
        NearMiss::Prefix(n) => chars[..chars.len().saturating_sub(1 + usize::from(n) % len)]
            .iter()
            .collect(),
        NearMiss::Extend(e) => {
            let tail = match e {
                Extension::DashEvil => "-evil",
                Extension::DotAttacker => ".attacker.example",
                Extension::Space => " ",
                Extension::Slash => "/",
                Extension::Nul => "\0",
                Extension::Letter => "x",
                Extension::Itself => good,
            };
            format!("{good}{tail}")
        }
        NearMiss::CaseFlip(n) | NearMiss::Fullwidth(n) => {
            let mut out = chars.clone();
            let Some(c) = out.get_mut(at(n)) else {
                return "x".into();
            };
            *c = match m {
                NearMiss::CaseFlip(_) if c.is_ascii_lowercase() => c.to_ascii_uppercase(),
                NearMiss::CaseFlip(_) if c.is_ascii_uppercase() => c.to_ascii_lowercase(),
                // Fullwidth forms of printable ASCII: U+FF01..U+FF5E.
                _ if ('!'..='~').contains(c) => {
                    char::from_u32(*c as u32 - 0x21 + 0xFF01).unwrap_or('\u{FF1F}')
                }
                _ => '\u{FF1F}',
            };
            out.into_iter().collect()
        }
        NearMiss::Insert(what, n) => {
            let mut out = chars.clone();
            let ch = match what {
                Invisible::ZeroWidthSpace => '\u{200B}',
                Invisible::ZeroWidthJoiner => '\u{200D}',
                Invisible::NoBreakSpace => '\u{00A0}',
                Invisible::SoftHyphen => '\u{00AD}',
                Invisible::Tab => '\t',
            };
            out.insert(usize::from(n) % (chars.len() + 1), ch);
            out.into_iter().collect()
        }
    }
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
    /// A near miss of ours, alone or in an array.
    NearMiss(NearMiss),
    ArrayWithNearMiss(NearMiss),
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
            AudValue::NearMiss(m) => GVal::s(near_miss(AUDIENCE, m)),
            AudValue::ArrayWithNearMiss(m) => {
                GVal::Arr(vec![GVal::s("other-api"), GVal::s(near_miss(AUDIENCE, m))])
            }
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
        StrValue::NearMiss(m) => GVal::s(near_miss(good, m)),
    }
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

pub(super) fn apply_claim(c: &mut Members, edit: ClaimEdit) {
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
