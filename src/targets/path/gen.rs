//! Adversarial path generators: structured inputs built from traversal
//! atoms, their encodings, separators, prefixes, reserved names and Unicode
//! look-alikes, decoded by `arbitrary` from any byte string.
//!
//! Use [`PathInput`] to drive your own path handling:
//!
//! ```
//! use secfuzz::path::gen::PathInput;
//! let input: PathInput = secfuzz::harness::decode_value(b"\x00\x01\x02\x03\x04\x05").unwrap();
//! let payload: Vec<u8> = input.payload();
//! # let _ = payload;
//! ```

use std::fmt;

use arbitrary::{Arbitrary, Result, Unstructured};

use super::{Backslash, DotDot, Percent, Policy, ShortNames, WindowsNames};
use crate::engine::util::EscapedBytes;

/// One generated case: a policy and the parts the payload is made of.
///
/// Its `Debug` starts with the rendered payload as a byte-string literal, to
/// paste as a reproducer.
///
/// `Arbitrary` is written by hand: after the policy, every remaining byte
/// goes to parts (a derived `Vec` stops at the first "continue?" bit that is
/// unset, which makes random bytes decode to one or two parts).
#[derive(Clone)]
pub struct PathInput {
    /// The policy the payload is confined with.
    pub policy: PolicyChoice,
    /// The payload, part by part.
    pub parts: Vec<Part>,
}

impl PathInput {
    /// The payload bytes: the parts rendered one after the other.
    pub fn payload(&self) -> Vec<u8> {
        let mut out = Vec::new();
        for p in &self.parts {
            p.render(&mut out);
        }
        out
    }

    /// The [`Policy`] this input is checked with.
    pub fn policy(&self) -> Policy {
        self.policy.to_policy()
    }
}

impl<'a> Arbitrary<'a> for PathInput {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        let policy = PolicyChoice::arbitrary(u)?;
        let density = Density::arbitrary(u)?;
        let mut parts = Vec::new();
        u.arbitrary_loop(None, None, |u| {
            parts.push(Part::generate(u, density)?);
            Ok(std::ops::ControlFlow::Continue(()))
        })?;
        Ok(PathInput { policy, parts })
    }

    fn arbitrary_take_rest(mut u: Unstructured<'a>) -> Result<Self> {
        let policy = PolicyChoice::arbitrary(&mut u)?;
        let density = Density::arbitrary(&mut u)?;
        let mut parts = Vec::new();
        while !u.is_empty() {
            let before = u.len();
            parts.push(Part::generate(&mut u, density)?);
            if u.len() == before {
                break;
            }
        }
        Ok(PathInput { policy, parts })
    }

    fn size_hint(depth: usize) -> (usize, Option<usize>) {
        let (p, _) = PolicyChoice::size_hint(depth);
        (p + 1, None)
    }
}

/// How many of an input's parts are drawn from every [`Part`] kind rather
/// than from plain names, `/`, `.` and `..`. With dozens of parts per input,
/// one hostile part usually decides the verdict; plain-heavy inputs are the
/// ones that get accepted and exercise the oracles on real outputs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Arbitrary)]
pub enum Density {
    /// Plain parts only.
    Plain,
    /// One part in 32.
    Rare,
    /// One part in 8.
    Some,
    /// One part in 2.
    Half,
    /// Every part.
    All,
}

impl Part {
    /// A part: plain or, with the given density, of any kind.
    pub fn generate(u: &mut Unstructured<'_>, density: Density) -> Result<Part> {
        let any = match density {
            Density::Plain => false,
            Density::Rare => u.ratio(1u8, 32)?,
            Density::Some => u.ratio(1u8, 8)?,
            Density::Half => u.ratio(1u8, 2)?,
            Density::All => true,
        };
        if any {
            return Part::arbitrary(u);
        }
        Ok(match u.int_in_range(0u8..=9)? {
            0..=3 => Part::Name(Name(u.choose(PLAIN_NAMES)?)),
            4..=6 => Part::Sep(Sep::Slash),
            7..=8 => Part::Dots(Dots::DotDot),
            _ => Part::Dots(Dots::Dot),
        })
    }
}

impl fmt::Debug for PathInput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PathInput")
            .field("payload", &EscapedBytes(&self.payload()))
            .field("policy", &self.policy)
            .field("parts", &self.parts)
            .finish()
    }
}

/// A policy choice: each switch, and either the default limits or small ones
/// that the generated payloads can reach.
#[derive(Clone, Debug, Arbitrary)]
pub struct PolicyChoice {
    /// See [`Policy::dot_dot`].
    pub dot_dot: DotDot,
    /// See [`Policy::backslash`].
    pub backslash: Backslash,
    /// See [`Policy::percent`].
    pub percent: Percent,
    /// See [`Policy::windows_names`].
    pub windows_names: WindowsNames,
    /// See [`Policy::short_names`].
    pub short_names: ShortNames,
    /// See [`Policy::allow_empty`].
    pub allow_empty: bool,
    /// The limits.
    pub limits: Limits,
}

impl PolicyChoice {
    /// The policy chosen.
    pub fn to_policy(&self) -> Policy {
        let p = Policy::new()
            .dot_dot(self.dot_dot)
            .backslash(self.backslash)
            .percent(self.percent)
            .windows_names(self.windows_names)
            .short_names(self.short_names)
            .allow_empty(self.allow_empty);
        match self.limits {
            Limits::Default => p,
            Limits::Small {
                max_len,
                max_component_len,
                max_depth,
            } => p
                .max_len(usize::from(max_len))
                .max_component_len(usize::from(max_component_len))
                .max_depth(usize::from(max_depth)),
        }
    }
}

/// Limits for a generated policy: the defaults seven times in eight.
#[derive(Clone, Copy, Debug)]
pub enum Limits {
    /// 4096 bytes, 255-byte components, 64 components.
    Default,
    /// Small limits, so generated payloads hit them exactly.
    Small {
        /// [`Policy::max_len`].
        max_len: u8,
        /// [`Policy::max_component_len`].
        max_component_len: u8,
        /// [`Policy::max_depth`].
        max_depth: u8,
    },
}

impl<'a> Arbitrary<'a> for Limits {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        if u.ratio(7u8, 8)? {
            return Ok(Limits::Default);
        }
        Ok(Limits::Small {
            max_len: u.arbitrary()?,
            max_component_len: u.arbitrary()?,
            max_depth: u.arbitrary()?,
        })
    }

    fn size_hint(_depth: usize) -> (usize, Option<usize>) {
        (1, Some(4))
    }
}

/// A repetition count, 0 ..= 66 (just past the default depth limit).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Count(pub u8);

impl<'a> Arbitrary<'a> for Count {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        u.int_in_range(0..=66).map(Count)
    }

    fn size_hint(_depth: usize) -> (usize, Option<usize>) {
        (1, Some(1))
    }
}

/// One piece of a payload.
#[derive(Clone, Debug, Arbitrary)]
pub enum Part {
    /// A traversal atom (`..`, `.`) in one of its spellings.
    Dots(Dots),
    /// A separator in one of its spellings.
    Sep(Sep),
    /// An absolute, drive, UNC or device prefix.
    Prefix(Prefix),
    /// A Windows reserved device name.
    Reserved(Reserved),
    /// A Unicode look-alike of `.`, `/`, `\` or `:`.
    Lookalike(Lookalike),
    /// A control, NUL or invisible character.
    Control(Control),
    /// A realistic file or directory name.
    Name(Name),
    /// A name ending in something Windows strips or treats specially.
    Suffixed(Name, Suffix),
    /// One byte, percent-escaped or overlong-encoded.
    Escape(u8, Escape),
    /// A unit repeated with a separator: deep paths and long runs of `../`.
    Repeat {
        /// What is repeated.
        unit: Unit,
        /// What separates the repetitions (and follows the last one).
        sep: Sep,
        /// How many times.
        times: Count,
    },
    /// One name of a given length, around the component limit.
    Long(LongName),
    /// Any text.
    Text(String),
    /// Any bytes, UTF-8 or not.
    Bytes(Vec<u8>),
}

impl Part {
    fn render(&self, out: &mut Vec<u8>) {
        match self {
            Part::Dots(d) => out.extend_from_slice(d.text().as_bytes()),
            Part::Sep(s) => out.extend_from_slice(s.text().as_bytes()),
            Part::Prefix(p) => out.extend_from_slice(p.text().as_bytes()),
            Part::Reserved(r) => r.render(out),
            Part::Lookalike(l) => push_char(out, l.0),
            Part::Control(c) => push_char(out, c.0),
            Part::Name(n) => out.extend_from_slice(n.0.as_bytes()),
            Part::Suffixed(n, s) => {
                out.extend_from_slice(n.0.as_bytes());
                out.extend_from_slice(s.text().as_bytes());
            }
            Part::Escape(b, e) => e.render(*b, out),
            Part::Repeat { unit, sep, times } => {
                for _ in 0..times.0 {
                    match unit {
                        Unit::Dots(d) => out.extend_from_slice(d.text().as_bytes()),
                        Unit::Name(n) => out.extend_from_slice(n.0.as_bytes()),
                    }
                    out.extend_from_slice(sep.text().as_bytes());
                }
            }
            Part::Long(l) => out.extend(std::iter::repeat_n(b'x', l.len())),
            Part::Text(s) => out.extend_from_slice(s.as_bytes()),
            Part::Bytes(b) => out.extend_from_slice(b),
        }
    }
}

fn push_char(out: &mut Vec<u8>, c: char) {
    out.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes());
}

/// Spellings of `..` and `.`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Arbitrary)]
#[allow(missing_docs)] // each variant is documented by its rendering in `text`
pub enum Dots {
    DotDot,
    Dot,
    TripleDot,
    DotDotSpace,
    DotDotDotDot,
    EncDotDot,
    EncDotDotUpper,
    EncFirst,
    EncSecond,
    EncDot,
    DoubleEncDotDot,
    DoubleEncDot,
    Overlong2,
    Overlong3,
    Overlong4,
    OverlongUpperHalf,
    IisUnicode,
    Fullwidth,
    OneDotLeader,
    TwoDotLeader,
    SmallFullStop,
    DotNulDot,
    DotDotNul,
    DotDotEncSlash,
    DotDotEncBackslash,
    FullwidthPercent,
    SmallPercent,
    ArabicPercent,
    EncFullwidthPercent,
    FullwidthDigitEscape,
    IisUpper,
    CombiningDotDot,
    CombiningDots,
    Ideographic,
    HalfwidthIdeographic,
    Lisu,
    MiddleDots,
    KatakanaMiddleDots,
    LeadingIdeographicSpace,
    TrailingNbsp,
    LeadingSpace,
}

impl Dots {
    /// The rendered text.
    pub fn text(self) -> &'static str {
        match self {
            Dots::DotDot => "..",
            Dots::Dot => ".",
            Dots::TripleDot => "...",
            Dots::DotDotSpace => ".. ",
            Dots::DotDotDotDot => "....",
            Dots::EncDotDot => "%2e%2e",
            Dots::EncDotDotUpper => "%2E%2E",
            Dots::EncFirst => "%2e.",
            Dots::EncSecond => ".%2e",
            Dots::EncDot => "%2e",
            Dots::DoubleEncDotDot => "%252e%252e",
            Dots::DoubleEncDot => "%252e",
            Dots::Overlong2 => "%c0%ae%c0%ae",
            Dots::Overlong3 => "%e0%80%ae%e0%80%ae",
            Dots::Overlong4 => "%f0%80%80%ae",
            Dots::OverlongUpperHalf => "%C0%AE.",
            Dots::IisUnicode => "%u002e%u002e",
            Dots::Fullwidth => "\u{ff0e}\u{ff0e}",
            Dots::OneDotLeader => "\u{2024}\u{2024}",
            Dots::TwoDotLeader => "\u{2025}",
            Dots::SmallFullStop => "\u{fe52}\u{fe52}",
            Dots::DotNulDot => ".%00.",
            Dots::DotDotNul => "..%00",
            Dots::DotDotEncSlash => "..%2f",
            Dots::DotDotEncBackslash => "..%5c",
            Dots::FullwidthPercent => "\u{ff05}2e\u{ff05}2e",
            Dots::SmallPercent => "\u{fe6a}2e\u{fe6a}2e",
            Dots::ArabicPercent => "\u{66a}2e\u{66a}2e",
            Dots::EncFullwidthPercent => "%EF%BC%852e%EF%BC%852e",
            Dots::FullwidthDigitEscape => "%\u{ff12}e%\u{ff12}e",
            Dots::IisUpper => "%U002E%U002E",
            Dots::CombiningDotDot => "..\u{301}",
            Dots::CombiningDots => ".\u{301}.\u{308}",
            Dots::Ideographic => "\u{3002}\u{3002}",
            Dots::HalfwidthIdeographic => "\u{ff61}\u{ff61}",
            Dots::Lisu => "\u{a4f8}\u{a4f8}",
            Dots::MiddleDots => "\u{b7}\u{b7}",
            Dots::KatakanaMiddleDots => "\u{30fb}\u{30fb}",
            Dots::LeadingIdeographicSpace => "\u{3000}..",
            Dots::TrailingNbsp => "..\u{a0}",
            Dots::LeadingSpace => " ..",
        }
    }
}

/// Spellings of a separator.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Arbitrary)]
#[allow(missing_docs)] // each variant is documented by its rendering in `text`
pub enum Sep {
    Slash,
    Backslash,
    Doubled,
    Mixed,
    EncSlash,
    EncSlashUpper,
    EncBackslash,
    DoubleEncSlash,
    DoubleEncBackslash,
    OverlongSlash,
    OverlongSlash3,
    OverlongBackslash,
    IisUnicode,
    DivisionSlash,
    FractionSlash,
    FullwidthSlash,
    FullwidthBackslash,
    SmallReverseSolidus,
    SetMinus,
    Yen,
    Won,
    BigSolidus,
    IisSlash,
    FullwidthPercentSlash,
    EncFullwidthPercentBackslash,
}

impl Sep {
    /// The rendered text.
    pub fn text(self) -> &'static str {
        match self {
            Sep::Slash => "/",
            Sep::Backslash => "\\",
            Sep::Doubled => "//",
            Sep::Mixed => "/\\",
            Sep::EncSlash => "%2f",
            Sep::EncSlashUpper => "%2F",
            Sep::EncBackslash => "%5c",
            Sep::DoubleEncSlash => "%252f",
            Sep::DoubleEncBackslash => "%255c",
            Sep::OverlongSlash => "%c0%af",
            Sep::OverlongSlash3 => "%e0%80%af",
            Sep::OverlongBackslash => "%c1%9c",
            Sep::IisUnicode => "%u2215",
            Sep::DivisionSlash => "\u{2215}",
            Sep::FractionSlash => "\u{2044}",
            Sep::FullwidthSlash => "\u{ff0f}",
            Sep::FullwidthBackslash => "\u{ff3c}",
            Sep::SmallReverseSolidus => "\u{fe68}",
            Sep::SetMinus => "\u{2216}",
            Sep::Yen => "\u{a5}",
            Sep::Won => "\u{20a9}",
            Sep::BigSolidus => "\u{29f8}",
            Sep::IisSlash => "%u002f",
            Sep::FullwidthPercentSlash => "\u{ff05}2f",
            Sep::EncFullwidthPercentBackslash => "%ef%bc%855c",
        }
    }
}

/// Absolute, drive, UNC and device prefixes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Arbitrary)]
#[allow(missing_docs)] // each variant is documented by its rendering in `text`
pub enum Prefix {
    Root,
    RootBackslash,
    EncRoot,
    Drive,
    DriveRelative,
    DriveSlash,
    DriveBackslash,
    LowerDriveBackslash,
    UncBackslash,
    UncSlash,
    UncMixed,
    DeviceQuestion,
    DeviceDot,
    DeviceQuestionSlash,
    DeviceDotSlash,
    DeviceUnc,
    NtObject,
    FileUrl,
    TripleSlash,
    FullwidthDrive,
    CircledDrive,
    BoldDrive,
    AccentedDrive,
    SpaceDrive,
    IdeographicSpaceDrive,
}

impl Prefix {
    /// The rendered text.
    pub fn text(self) -> &'static str {
        match self {
            Prefix::Root => "/",
            Prefix::RootBackslash => "\\",
            Prefix::EncRoot => "%2f",
            Prefix::Drive => "C:",
            Prefix::DriveRelative => "C:foo",
            Prefix::DriveSlash => "C:/",
            Prefix::DriveBackslash => "C:\\",
            Prefix::LowerDriveBackslash => "c:\\",
            Prefix::UncBackslash => "\\\\host\\share\\",
            Prefix::UncSlash => "//host/share/",
            Prefix::UncMixed => "\\/host/share\\",
            Prefix::DeviceQuestion => "\\\\?\\",
            Prefix::DeviceDot => "\\\\.\\",
            Prefix::DeviceQuestionSlash => "//?/",
            Prefix::DeviceDotSlash => "//./",
            Prefix::DeviceUnc => "\\\\?\\UNC\\host\\share\\",
            Prefix::NtObject => "\\??\\",
            Prefix::FileUrl => "file:///",
            Prefix::TripleSlash => "///",
            Prefix::FullwidthDrive => "\u{ff43}:foo",
            Prefix::CircledDrive => "\u{24d2}:foo",
            Prefix::BoldDrive => "\u{1d402}:",
            Prefix::AccentedDrive => "\u{e7}:\\",
            Prefix::SpaceDrive => " C:foo",
            Prefix::IdeographicSpaceDrive => "\u{3000}c:/",
        }
    }
}

/// A Windows reserved device name with case, spacing and extension.
#[derive(Clone, Debug, Arbitrary)]
pub struct Reserved {
    /// Which name.
    pub base: ReservedBase,
    /// Bit `i` set upper-cases letter `i`.
    pub case_mask: u8,
    /// The script the letters are written in.
    pub letters: Letters,
    /// The whole name or, as a near miss, a prefix of it.
    pub cut: Cut,
    /// Spaces after the name, before any extension.
    pub spaces: Spaces,
    /// The extension, if any.
    pub ext: Option<Ext>,
}

impl Reserved {
    fn render(&self, out: &mut Vec<u8>) {
        let base = self.base.text();
        let keep = match self.cut {
            Cut::Whole => base.chars().count(),
            Cut::DropLast => base.chars().count().saturating_sub(1),
        };
        for (i, c) in base.chars().take(keep).enumerate() {
            let c = if i < 8 && self.case_mask & (1 << i) != 0 {
                c.to_ascii_uppercase()
            } else {
                c
            };
            push_char(out, self.letters.write(c));
        }
        for _ in 0..self.spaces.count() {
            push_char(out, self.spaces.ch());
        }
        if let Some(ext) = self.ext {
            out.extend_from_slice(ext.text().as_bytes());
        }
    }
}

/// A near miss: the whole reserved name, or all but its last character.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Arbitrary)]
#[allow(missing_docs)]
pub enum Cut {
    Whole,
    DropLast,
}

/// How a reserved name's ASCII letters and digits are written: as they are
/// or as a compatibility form NFKC maps back (most of them 4 bytes long),
/// or with a combining accent that accent stripping removes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Arbitrary)]
#[allow(missing_docs)]
pub enum Letters {
    Ascii,
    Fullwidth,
    MathBold,
    MathSansSerif,
    Circled,
    Squared,
    Accented,
}

impl Letters {
    /// `c` (ASCII) written in this style; characters with no such form stay.
    fn write(self, c: char) -> char {
        let (upper, lower, digit) = match self {
            Letters::Ascii | Letters::Accented => return self.accent(c),
            Letters::Fullwidth => (0xFF21, 0xFF41, Some(0xFF10)),
            Letters::MathBold => (0x1D400, 0x1D41A, Some(0x1D7CE)),
            Letters::MathSansSerif => (0x1D5A0, 0x1D5BA, Some(0x1D7E2)),
            Letters::Circled => (0x24B6, 0x24D0, None),
            Letters::Squared => (0x1F130, 0x1F130, None),
        };
        let code = match c {
            'A'..='Z' => upper + (c as u32 - 'A' as u32),
            'a'..='z' => lower + (c as u32 - 'a' as u32),
            '0'..='9' => match digit {
                Some(d) => d + (c as u32 - '0' as u32),
                None => return c,
            },
            '$' if self == Letters::Fullwidth => 0xFF04,
            _ => return c,
        };
        char::from_u32(code).unwrap_or(c)
    }

    /// `C`/`c` and `N`/`n` with a cedilla or tilde; other characters stay.
    fn accent(self, c: char) -> char {
        match (self, c) {
            (Letters::Accented, 'C') => '\u{c7}',
            (Letters::Accented, 'c') => '\u{e7}',
            (Letters::Accented, 'N') => '\u{d1}',
            (Letters::Accented, 'n') => '\u{f1}',
            _ => c,
        }
    }
}

/// The reserved names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Arbitrary)]
#[allow(missing_docs)] // each variant is documented by its rendering in `text`
pub enum ReservedBase {
    Con,
    Prn,
    Aux,
    Nul,
    Com(Digit),
    Lpt(Digit),
    ComSuperscript(Superscript),
    LptSuperscript(Superscript),
    ConIn,
    ConOut,
    Clock,
    FullwidthCon,
}

impl ReservedBase {
    fn text(self) -> String {
        match self {
            ReservedBase::Con => "con".into(),
            ReservedBase::Prn => "prn".into(),
            ReservedBase::Aux => "aux".into(),
            ReservedBase::Nul => "nul".into(),
            ReservedBase::Com(d) => format!("com{}", d as u8),
            ReservedBase::Lpt(d) => format!("lpt{}", d as u8),
            ReservedBase::ComSuperscript(s) => format!("com{}", s.ch()),
            ReservedBase::LptSuperscript(s) => format!("lpt{}", s.ch()),
            ReservedBase::ConIn => "conin$".into(),
            ReservedBase::ConOut => "conout$".into(),
            ReservedBase::Clock => "clock$".into(),
            ReservedBase::FullwidthCon => "\u{ff23}\u{ff2f}\u{ff2e}".into(),
        }
    }
}

/// A decimal digit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Arbitrary)]
#[allow(missing_docs)]
pub enum Digit {
    D0,
    D1,
    D2,
    D3,
    D4,
    D5,
    D6,
    D7,
    D8,
    D9,
}

/// Superscript one, two and three.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Arbitrary)]
#[allow(missing_docs)]
pub enum Superscript {
    One,
    Two,
    Three,
}

impl Superscript {
    fn ch(self) -> char {
        match self {
            Superscript::One => '\u{b9}',
            Superscript::Two => '\u{b2}',
            Superscript::Three => '\u{b3}',
        }
    }
}

/// Zero to three spaces, ASCII or Unicode ones NFKC maps to ASCII.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Arbitrary)]
#[allow(missing_docs)]
pub enum Spaces {
    None,
    One,
    Two,
    Three,
    Nbsp,
    Ideographic,
    EmSpace,
    NarrowNbsp,
}

impl Spaces {
    fn count(self) -> usize {
        match self {
            Spaces::None => 0,
            Spaces::Two => 2,
            Spaces::Three => 3,
            _ => 1,
        }
    }

    fn ch(self) -> char {
        match self {
            Spaces::Nbsp => '\u{a0}',
            Spaces::Ideographic => '\u{3000}',
            Spaces::EmSpace => '\u{2003}',
            Spaces::NarrowNbsp => '\u{202f}',
            _ => ' ',
        }
    }
}

/// Extensions.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Arbitrary)]
#[allow(missing_docs)]
pub enum Ext {
    Txt,
    TarGz,
    Dot,
    Log,
}

impl Ext {
    fn text(self) -> &'static str {
        match self {
            Ext::Txt => ".txt",
            Ext::TarGz => ".tar.gz",
            Ext::Dot => ".",
            Ext::Log => ".log",
        }
    }
}

/// What a name is followed by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Arbitrary)]
#[allow(missing_docs)] // each variant is documented by its rendering in `text`
pub enum Suffix {
    Dot,
    Space,
    DotSpace,
    Stream,
    DataStream,
    Colon,
    Star,
    Question,
    Pipe,
    Lt,
    Quote,
    EncNul,
    IdeographicSpace,
    Nbsp,
    CombiningAcute,
    FullwidthStar,
    CurlyQuote,
    FullwidthPipe,
    ShortName,
    ShortNameExt,
}

impl Suffix {
    fn text(self) -> &'static str {
        match self {
            Suffix::Dot => ".",
            Suffix::Space => " ",
            Suffix::DotSpace => ". ",
            Suffix::Stream => ":stream",
            Suffix::DataStream => "::$DATA",
            Suffix::Colon => ":",
            Suffix::Star => "*",
            Suffix::Question => "?",
            Suffix::Pipe => "|",
            Suffix::Lt => "<",
            Suffix::Quote => "\"",
            Suffix::EncNul => "%00.png",
            Suffix::IdeographicSpace => "\u{3000}",
            Suffix::Nbsp => "\u{a0}",
            Suffix::CombiningAcute => "\u{301}",
            Suffix::FullwidthStar => "\u{ff0a}",
            Suffix::CurlyQuote => "\u{201d}",
            Suffix::FullwidthPipe => "\u{ff5c}",
            Suffix::ShortName => "~1",
            Suffix::ShortNameExt => "~1.TXT",
        }
    }
}

/// Characters that look like `.`, `/`, `\` or `:`.
pub const LOOKALIKE_CHARS: &[char] = &[
    '\u{ff0e}', '\u{2024}', '\u{2025}', '\u{2026}', '\u{fe52}', '\u{ff0f}', '\u{ff3c}', '\u{fe68}',
    '\u{2215}', '\u{2044}', '\u{29f8}', '\u{29f9}', '\u{2216}', '\u{29f5}', '\u{a5}', '\u{20a9}',
    '\u{ff1a}', '\u{fe55}', '\u{fe13}', '\u{2236}', '\u{a789}', '\u{2571}', '\u{2572}', '\u{2100}',
    '\u{2101}', '\u{2105}', '\u{2106}', '\u{bd}', '\u{2474}', '\u{2488}', '\u{3002}', '\u{b7}',
    // Issue 10: `%`, the Windows-forbidden characters, more dots.
    '\u{ff05}', '\u{fe6a}', '\u{66a}', '\u{ff0a}', '\u{ff1f}', '\u{ff02}', '\u{ff1c}', '\u{ff1e}',
    '\u{ff5c}', '\u{201c}', '\u{201d}', '\u{2039}', '\u{203a}', '\u{2223}', '\u{1c0}', '\u{2217}',
    '\u{294}', '\u{2ba}', '\u{ff61}', '\u{a4f8}', '\u{30fb}', '\u{387}', '\u{6d4}', '\u{2027}',
];

/// One of [`LOOKALIKE_CHARS`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Lookalike(pub char);

impl<'a> Arbitrary<'a> for Lookalike {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        u.choose(LOOKALIKE_CHARS).copied().map(Lookalike)
    }
    fn size_hint(_depth: usize) -> (usize, Option<usize>) {
        (1, Some(4))
    }
}

/// NUL, control, invisible and bidirectional formatting characters.
pub const CONTROL_CHARS: &[char] = &[
    '\0',
    '\t',
    '\n',
    '\r',
    '\u{1b}',
    '\u{7f}',
    '\u{85}',
    '\u{9b}',
    '\u{a0}',
    '\u{ad}',
    '\u{200b}',
    '\u{200c}',
    '\u{200d}',
    '\u{200e}',
    '\u{200f}',
    '\u{202a}',
    '\u{202e}',
    '\u{2066}',
    '\u{2069}',
    '\u{2060}',
    '\u{feff}',
    '\u{3000}',
    '\u{2028}',
    '\u{e0001}',
    // Issue 10: Cf characters a hand list missed, more spaces, U+2029.
    '\u{1bca0}',
    '\u{1bca3}',
    '\u{600}',
    '\u{605}',
    '\u{fff9}',
    '\u{fffb}',
    '\u{2029}',
    '\u{2000}',
    '\u{202f}',
    '\u{205f}',
    '\u{1680}',
    '\u{301}',
];

/// One of [`CONTROL_CHARS`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Control(pub char);

impl<'a> Arbitrary<'a> for Control {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        u.choose(CONTROL_CHARS).copied().map(Control)
    }
    fn size_hint(_depth: usize) -> (usize, Option<usize>) {
        (1, Some(4))
    }
}

/// Realistic names, a few with dots or non-ASCII letters.
pub const NAMES: &[&str] = &[
    "a",
    "b",
    "etc",
    "passwd",
    "shadow",
    "boot.ini",
    "windows",
    "system32",
    "hosts",
    "index.html",
    ".ssh",
    "id_rsa",
    ".env",
    ".htaccess",
    "uploads",
    "static",
    "x.tar.gz",
    "r\u{e9}sum\u{e9}.pdf",
    "\u{65e5}\u{672c}",
    "con.d",
    "console",
    "com10",
    "nul_",
    "A",
    "-",
    "_",
    "~",
    "%",
    "100%",
    "a%zz",
    "SECRET~1.TXT",
    "progra~1",
    "backup~2024.tar.gz",
    "notes~",
    "CONOUT",
    "clock",
    "\u{1d402}\u{1d40e}\u{1d40d}\u{1d408}\u{1d40d}",
    "my\u{a0}file.txt",
    "col\u{b7}lecci\u{f3}.pdf",
    "cafe\u{301}.txt",
];

/// The names plain parts use: [`NAMES`] without `%`.
pub const PLAIN_NAMES: &[&str] = &[
    "a",
    "b",
    "etc",
    "passwd",
    "boot.ini",
    "windows",
    "system32",
    "index.html",
    ".ssh",
    "id_rsa",
    "uploads",
    "x.tar.gz",
    "r\u{e9}sum\u{e9}.pdf",
    "\u{65e5}\u{672c}",
    "A",
    "-",
    "_",
    "my\u{a0}file.txt",
    "col\u{b7}lecci\u{f3}.pdf",
    "\u{30b8}\u{30e7}\u{30f3}\u{30fb}\u{30b9}.txt",
    "cafe\u{301}.txt",
    "\u{1f600}.png",
    "backup~2024.tar.gz",
];

/// One of [`NAMES`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Name(pub &'static str);

impl<'a> Arbitrary<'a> for Name {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        u.choose(NAMES).copied().map(Name)
    }
    fn size_hint(_depth: usize) -> (usize, Option<usize>) {
        (1, Some(4))
    }
}

/// What [`Part::Repeat`] repeats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Arbitrary)]
pub enum Unit {
    /// A traversal atom.
    Dots(Dots),
    /// A name.
    Name(Name),
}

/// A name of `x`s whose length is within a few bytes of the component
/// limit (or of 16, for small generated limits).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Arbitrary)]
pub struct LongName {
    /// Which limit.
    pub near: NearLimit,
    /// Offset from it, -4 ..= +3.
    pub delta: Delta,
}

impl LongName {
    /// Its length in bytes.
    pub fn len(self) -> usize {
        let base: usize = match self.near {
            NearLimit::Component => Policy::DEFAULT_MAX_COMPONENT_LEN,
            NearLimit::Small => 16,
        };
        (base + self.delta as usize).saturating_sub(4)
    }

    /// Whether the name is empty (never, in practice).
    pub fn is_empty(self) -> bool {
        self.len() == 0
    }
}

/// A limit to aim near.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Arbitrary)]
#[allow(missing_docs)]
pub enum NearLimit {
    Component,
    Small,
}

/// -4 ..= +3 (as `M4`..`P3`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Arbitrary)]
#[allow(missing_docs)]
pub enum Delta {
    M4,
    M3,
    M2,
    M1,
    Zero,
    P1,
    P2,
    P3,
}

/// How one byte is encoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Arbitrary)]
pub enum Escape {
    /// `%xx`.
    Lower,
    /// `%XX`.
    Upper,
    /// `%25xx`.
    Double,
    /// `%25%32%65`-style: the escape's digits escaped again.
    Nested,
    /// Two-byte overlong form, percent-escaped (`%c0%ae`).
    Overlong2,
    /// Three-byte overlong form, percent-escaped (`%e0%80%ae`).
    Overlong3,
    /// Four-byte overlong form, percent-escaped.
    Overlong4,
    /// Two-byte overlong form as raw bytes.
    RawOverlong2,
    /// The byte itself, raw.
    Raw,
}

impl Escape {
    fn render(self, b: u8, out: &mut Vec<u8>) {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let esc = |out: &mut Vec<u8>, b: u8, upper: bool| {
            let h = |n: u8| {
                let c = HEX[usize::from(n)];
                if upper {
                    c.to_ascii_uppercase()
                } else {
                    c
                }
            };
            out.extend_from_slice(&[b'%', h(b >> 4), h(b & 15)]);
        };
        // Overlong forms of the 7-bit value of `b`.
        let v = b & 0x7F;
        match self {
            Escape::Lower => esc(out, b, false),
            Escape::Upper => esc(out, b, true),
            Escape::Double => {
                out.extend_from_slice(b"%25");
                out.extend_from_slice(&[HEX[usize::from(b >> 4)], HEX[usize::from(b & 15)]]);
            }
            Escape::Nested => {
                out.extend_from_slice(b"%25");
                esc(out, HEX[usize::from(b >> 4)], false);
                esc(out, HEX[usize::from(b & 15)], false);
            }
            Escape::Overlong2 => {
                esc(out, 0xC0 | v >> 6, false);
                esc(out, 0x80 | (v & 0x3F), false);
            }
            Escape::Overlong3 => {
                esc(out, 0xE0, false);
                esc(out, 0x80 | v >> 6, false);
                esc(out, 0x80 | (v & 0x3F), false);
            }
            Escape::Overlong4 => {
                esc(out, 0xF0, false);
                esc(out, 0x80, false);
                esc(out, 0x80 | v >> 6, false);
                esc(out, 0x80 | (v & 0x3F), false);
            }
            Escape::RawOverlong2 => out.extend_from_slice(&[0xC0 | v >> 6, 0x80 | (v & 0x3F)]),
            Escape::Raw => out.push(b),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_render_as_documented() {
        let r = |b, e: Escape| {
            let mut v = Vec::new();
            e.render(b, &mut v);
            v
        };
        assert_eq!(r(b'.', Escape::Lower), b"%2e");
        assert_eq!(r(b'/', Escape::Upper), b"%2F");
        assert_eq!(r(b'.', Escape::Double), b"%252e");
        assert_eq!(r(b'.', Escape::Nested), b"%25%32%65");
        assert_eq!(r(b'.', Escape::Overlong2), b"%c0%ae");
        assert_eq!(r(b'/', Escape::Overlong3), b"%e0%80%af");
        assert_eq!(r(b'.', Escape::Overlong4), b"%f0%80%80%ae");
        assert_eq!(r(b'\\', Escape::RawOverlong2), [0xC1, 0x9C]);
        assert_eq!(r(0xFF, Escape::Raw), [0xFF]);
    }

    #[test]
    fn long_names_straddle_the_limits() {
        let l = |near, delta| LongName { near, delta }.len();
        assert_eq!(l(NearLimit::Component, Delta::Zero), 255);
        assert_eq!(l(NearLimit::Component, Delta::P1), 256);
        assert_eq!(l(NearLimit::Component, Delta::M4), 251);
        assert_eq!(l(NearLimit::Small, Delta::P3), 19);
    }
}
