//! Picks shared by the header, claims and signing edits: a trusted key, an
//! algorithm, spellings of `none`, values of the wrong JSON type.

use std::fmt;

use arbitrary::{Arbitrary, Unstructured};

use super::value::GVal;
use crate::targets::jwt::fixture;
use crate::targets::jwt::keys::{Algorithm, Key};

/// A trusted key of the fixture, by index into [`fixture::TRUSTED_JWKS`].
/// The slow keys are picked rarely so that fuzzing stays fast: of 64 byte
/// values, 55 pick HS256/HS384/HS512/EdDSA, 5 pick ES256, and ES384, ES512,
/// RS256 and PS256 get one each.
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
            55 => 8,
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
    pub(super) fn kid(self) -> &'static str {
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
    pub(super) fn text(self) -> &'static str {
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
    pub(super) fn value(self, inner: &str) -> GVal {
        match self {
            NonString::Null => GVal::Null,
            NonString::True => GVal::Bool(true),
            NonString::Zero => GVal::Int(0),
            NonString::Array => GVal::Arr(vec![GVal::s(inner)]),
            NonString::Object => GVal::Obj(vec![("value".into(), GVal::s(inner))]),
        }
    }
}
