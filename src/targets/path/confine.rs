//! Lexical confinement: an untrusted relative path in, a [`SafeRelPath`] or a
//! typed [`PathError`] out. See the [module documentation](super) for the
//! threat model and the order in which checks run.

use std::borrow::Cow;
use std::fmt;
use std::path::{Path, PathBuf};

use unicode_general_category::{get_general_category, GeneralCategory};
use unicode_normalization::UnicodeNormalization;

use super::error::PathError;
use super::plant;
use crate::engine::plant::active as planted;

/// What to do with `..` components.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, arbitrary::Arbitrary)]
#[non_exhaustive]
pub enum DotDot {
    /// Resolve `..` lexically against the components before it (`a/../b` is
    /// `b`); a `..` with nothing left to remove is [`PathError::EscapesRoot`].
    #[default]
    Resolve,
    /// Refuse every `..` with [`PathError::DotDotRefused`].
    Refuse,
}

/// What `\` means.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, arbitrary::Arbitrary)]
#[non_exhaustive]
pub enum Backslash {
    /// `\` separates components, like `/` (what Windows does).
    #[default]
    Separator,
    /// `\` anywhere is [`PathError::BackslashRefused`].
    Refuse,
}

/// How `%` escapes are treated.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, arbitrary::Arbitrary)]
#[non_exhaustive]
pub enum Percent {
    /// Decode `%XX` escapes exactly once, then check the decoded text.
    /// Malformed escapes are [`PathError::MalformedEscape`]; a `%` produced by
    /// decoding (`%25…`) is [`PathError::DoubleEncoding`], so an accepted path
    /// never contains `%` and a second decoding layer cannot change it.
    #[default]
    DecodeOnce,
    /// Do not decode; `%` followed by two hex digits, or by `u` and four
    /// (IIS), also once the characters after it are folded (`%２e`), is
    /// [`PathError::PercentEscape`]; a lone `%` is an ordinary character.
    RefuseEscapes,
}

/// Whether names that are dangerous on Windows are refused.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, arbitrary::Arbitrary)]
#[non_exhaustive]
pub enum WindowsNames {
    /// Refuse reserved device names (`CON`, `nul.txt`, `COM1`, `LPT²`,
    /// `CONIN$`, …), `:` inside a component (NTFS alternate data streams),
    /// the characters `<>"|?*`, and trailing dots or spaces, so the accepted
    /// path means the same file on every platform.
    #[default]
    Refuse,
    /// Accept them (POSIX-only deployments).
    Allow,
}

/// Whether names shaped like Windows 8.3 short names are refused.
///
/// NTFS and FAT give a long name such as `secret-file.txt` a generated short
/// alias, `SECRET~1.TXT`, and open the file by either. A check that compares
/// the long name (a deny list, an extension filter, a per-file ACL in the
/// service) is bypassed by the alias. A name is shaped like a short name
/// when, after normalization, its base (the part before its one dot) is at
/// most 8 bytes and ends in `~` and 1–6 digits, and its extension, if any,
/// is at most 3 bytes.
///
/// Only applies under [`WindowsNames::Refuse`]: under
/// [`WindowsNames::Allow`] (POSIX-only deployments) no such alias exists.
/// Refused by default because realistic names keep their tilde elsewhere
/// (`notes~`, `~draft.txt`, `backup~2024.tar.gz`, `report~1.docx` are all
/// accepted) while the aliases themselves are never names a user chose.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, arbitrary::Arbitrary)]
#[non_exhaustive]
pub enum ShortNames {
    /// Refuse names shaped like 8.3 short names ([`PathError::ShortName`])
    /// when Windows names are refused.
    #[default]
    Refuse,
    /// Accept them.
    Allow,
}

/// The rules [`confine`] applies. Every field has a safe default; build one
/// with [`Policy::default`] and the chainable setters.
///
/// ```
/// use secfuzz::path::{confine, DotDot, Policy};
/// let strict = Policy::default().dot_dot(DotDot::Refuse).max_depth(8);
/// assert!(confine("a/../b", &strict).is_err());
/// assert_eq!(confine("a/../b", &Policy::default()).unwrap().as_str(), "b");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Policy {
    /// `..` handling. Default: [`DotDot::Resolve`].
    pub dot_dot: DotDot,
    /// `\` handling. Default: [`Backslash::Separator`].
    pub backslash: Backslash,
    /// `%` handling. Default: [`Percent::DecodeOnce`].
    pub percent: Percent,
    /// Windows-dangerous names. Default: [`WindowsNames::Refuse`].
    pub windows_names: WindowsNames,
    /// 8.3 short-name aliases, under [`WindowsNames::Refuse`]. Default:
    /// [`ShortNames::Refuse`].
    pub short_names: ShortNames,
    /// Accept a path that resolves to the root itself (`.`, `a/..`, the empty
    /// string) as an empty [`SafeRelPath`]. Default: `false`
    /// ([`PathError::Empty`]).
    pub allow_empty: bool,
    /// Largest input, in bytes, checked before any other work. Default: 4096.
    pub max_len: usize,
    /// Largest component, in bytes after percent decoding. Default: 255.
    pub max_component_len: usize,
    /// Most components in the input (`.` and `..` included, empty ones not).
    /// Default: 64.
    pub max_depth: usize,
}

impl Default for Policy {
    fn default() -> Self {
        Self::new()
    }
}

impl Policy {
    /// Default for [`Policy::max_len`].
    pub const DEFAULT_MAX_LEN: usize = 4096;
    /// Default for [`Policy::max_component_len`].
    pub const DEFAULT_MAX_COMPONENT_LEN: usize = 255;
    /// Default for [`Policy::max_depth`].
    pub const DEFAULT_MAX_DEPTH: usize = 64;

    /// The default policy: resolve `..` inside the root, `\` is a separator,
    /// decode `%` once, refuse Windows-dangerous names and 8.3 short names,
    /// refuse empty results,
    /// 4096 bytes, 255-byte components, 64 components.
    pub const fn new() -> Self {
        Policy {
            dot_dot: DotDot::Resolve,
            backslash: Backslash::Separator,
            percent: Percent::DecodeOnce,
            windows_names: WindowsNames::Refuse,
            short_names: ShortNames::Refuse,
            allow_empty: false,
            max_len: Self::DEFAULT_MAX_LEN,
            max_component_len: Self::DEFAULT_MAX_COMPONENT_LEN,
            max_depth: Self::DEFAULT_MAX_DEPTH,
        }
    }

    /// Set [`Policy::dot_dot`]. Default: [`DotDot::Resolve`].
    pub const fn dot_dot(mut self, v: DotDot) -> Self {
        self.dot_dot = v;
        self
    }

    /// Set [`Policy::backslash`]. Default: [`Backslash::Separator`].
    pub const fn backslash(mut self, v: Backslash) -> Self {
        self.backslash = v;
        self
    }

    /// Set [`Policy::percent`]. Default: [`Percent::DecodeOnce`].
    pub const fn percent(mut self, v: Percent) -> Self {
        self.percent = v;
        self
    }

    /// Set [`Policy::windows_names`]. Default: [`WindowsNames::Refuse`].
    pub const fn windows_names(mut self, v: WindowsNames) -> Self {
        self.windows_names = v;
        self
    }

    /// Set [`Policy::short_names`]. Default: [`ShortNames::Refuse`].
    pub const fn short_names(mut self, v: ShortNames) -> Self {
        self.short_names = v;
        self
    }

    /// Set [`Policy::allow_empty`]. Default: `false`.
    pub const fn allow_empty(mut self, v: bool) -> Self {
        self.allow_empty = v;
        self
    }

    /// Set [`Policy::max_len`]. Default: 4096.
    pub const fn max_len(mut self, v: usize) -> Self {
        self.max_len = v;
        self
    }

    /// Set [`Policy::max_component_len`]. Default: 255.
    pub const fn max_component_len(mut self, v: usize) -> Self {
        self.max_component_len = v;
        self
    }

    /// Set [`Policy::max_depth`]. Default: 64.
    pub const fn max_depth(mut self, v: usize) -> Self {
        self.max_depth = v;
        self
    }
}

/// A relative path that passed [`confine`]: components separated by `/`,
/// none of them empty, `.` or `..`, no `\`, no control or invisible
/// characters, no look-alikes of `.`, `/`, `\` or `:`.
///
/// The only way to get one is [`confine`] (or [`confine_bytes`]), so holding
/// a `SafeRelPath` is proof the checks ran. It can still name a symlink that
/// points anywhere: open it with [`RootDir`](super::RootDir), not by joining
/// it to a root path, when the tree under the root is not fully trusted.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SafeRelPath(String);

impl SafeRelPath {
    /// The path as text, components separated by `/`. Empty only when
    /// [`Policy::allow_empty`] let a path resolving to the root through.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The components, in order.
    pub fn components(&self) -> impl Iterator<Item = &str> + '_ {
        self.0.split('/').filter(|c| !c.is_empty())
    }

    /// `true` for the root itself (see [`Policy::allow_empty`]).
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The path as a relative [`PathBuf`].
    pub fn to_path_buf(&self) -> PathBuf {
        self.components().collect()
    }

    /// `root` followed by this path's components. The result is lexically
    /// under `root`; symlinks inside the tree are not considered (use
    /// [`RootDir`](super::RootDir) for that).
    pub fn join_to(&self, root: impl AsRef<Path>) -> PathBuf {
        let mut p = root.as_ref().to_path_buf();
        p.extend(self.components());
        p
    }
}

impl fmt::Display for SafeRelPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for SafeRelPath {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

/// Confine an untrusted relative path: decode, check and resolve it
/// lexically under an (implicit) root, or say why not.
///
/// Never panics; does O(n) work in the input length, which is bounded by
/// [`Policy::max_len`] before anything else happens. See the
/// [module documentation](super) for the checks and their order.
///
/// ```
/// use secfuzz::path::{confine, PathError, Policy};
/// let p = Policy::default();
/// assert_eq!(confine("static/./css/../site.css", &p).unwrap().as_str(), "static/site.css");
/// assert!(matches!(confine("a/../../etc/passwd", &p), Err(PathError::EscapesRoot { .. })));
/// assert!(matches!(confine("%2e%2e/etc", &p), Err(PathError::EscapesRoot { .. })));
/// ```
pub fn confine(user_path: &str, policy: &Policy) -> Result<SafeRelPath, PathError> {
    confine_bytes(user_path.as_bytes(), policy)
}

/// [`confine`] for raw bytes (a URL path, an archive entry name): bytes that
/// are not UTF-8 are [`PathError::NotUtf8`] or [`PathError::OverlongUtf8`].
pub fn confine_bytes(input: &[u8], policy: &Policy) -> Result<SafeRelPath, PathError> {
    if input.len() > policy.max_len {
        return Err(PathError::TooLong {
            len: input.len(),
            max: policy.max_len,
        });
    }
    let text = Decoded::new(input, policy.percent)?;
    let s = text.as_str()?;
    check_chars(s, &text, policy)?;
    check_prefix(s.as_bytes())?;
    if policy.backslash == Backslash::Refuse {
        if let Some(i) = s.bytes().position(|b| b == b'\\') {
            return Err(PathError::BackslashRefused {
                offset: text.offset(i),
            });
        }
    }
    let segments = split(s, policy, &text)?;
    resolve(&segments, policy, &text)
}

/// The input after percent decoding, with a map back to input offsets.
struct Decoded<'a> {
    bytes: Cow<'a, [u8]>,
    /// `origin[i]` is the input offset decoded byte `i` came from; `None`
    /// when nothing was decoded (offsets are the same).
    origin: Option<Vec<usize>>,
}

fn hex(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// The byte a `%XX` escape at `input[i]` stands for, if it is one.
fn escape_at(input: &[u8], i: usize) -> Option<u8> {
    let hi = hex(*input.get(i + 1)?)?;
    let lo = hex(*input.get(i + 2)?)?;
    Some(hi << 4 | lo)
}

impl<'a> Decoded<'a> {
    fn new(input: &'a [u8], percent: Percent) -> Result<Self, PathError> {
        let undecoded = Decoded {
            bytes: Cow::Borrowed(input),
            origin: None,
        };
        let Some(first) = input.iter().position(|&b| b == b'%') else {
            return Ok(undecoded);
        };
        match percent {
            Percent::RefuseEscapes => {
                match (first..input.len()).find(|&i| input[i] == b'%' && is_escape(&input[i..])) {
                    Some(offset) => Err(PathError::PercentEscape { offset }),
                    None => Ok(undecoded),
                }
            }
            Percent::DecodeOnce => {
                let mut bytes = Vec::with_capacity(input.len());
                let mut origin = Vec::with_capacity(input.len());
                let mut i = 0;
                while i < input.len() {
                    if input[i] == b'%' {
                        let b =
                            escape_at(input, i).ok_or(PathError::MalformedEscape { offset: i })?;
                        if b == b'%' && !planted(plant::DOUBLE_DECODE) {
                            return Err(PathError::DoubleEncoding { offset: i });
                        }
                        bytes.push(b);
                        origin.push(i);
                        i += 3;
                    } else {
                        bytes.push(input[i]);
                        origin.push(i);
                        i += 1;
                    }
                }
                Ok(Decoded {
                    bytes: Cow::Owned(bytes),
                    origin: Some(origin),
                })
            }
        }
    }

    /// Input offset of decoded byte `i`.
    fn offset(&self, i: usize) -> usize {
        match &self.origin {
            Some(o) => o[i],
            None => i,
        }
    }

    fn as_str(&self) -> Result<&str, PathError> {
        std::str::from_utf8(&self.bytes).map_err(|e| {
            let i = e.valid_up_to();
            let offset = self.offset(i);
            if is_overlong(&self.bytes[i..]) {
                PathError::OverlongUtf8 { offset }
            } else {
                PathError::NotUtf8 { offset }
            }
        })
    }
}

/// Whether `b` starts with a complete multi-byte sequence (in the original,
/// up-to-6-byte UTF-8 scheme) that encodes its value in more bytes than
/// needed, like `C0 AE` for `.` or `E0 80 AF` for `/`.
fn is_overlong(b: &[u8]) -> bool {
    let Some(&lead) = b.first() else {
        return false;
    };
    let (len, min): (usize, u32) = match lead {
        0xC0..=0xDF => (2, 0x80),
        0xE0..=0xEF => (3, 0x800),
        0xF0..=0xF7 => (4, 0x1_0000),
        0xF8..=0xFB => (5, 0x20_0000),
        0xFC..=0xFD => (6, 0x400_0000),
        _ => return false,
    };
    let Some(tail) = b.get(1..len) else {
        return false;
    };
    let mut value = u32::from(lead & (0x7F >> len));
    for &c in tail {
        if c & 0xC0 != 0x80 {
            return false;
        }
        value = value << 6 | u32::from(c & 0x3F);
    }
    value < min
}

/// Invisible and formatting characters: the whole general category Cf
/// (format: bidi controls, zero-width characters, Arabic number signs,
/// shorthand format controls, interlinear annotation, tags, …) and the
/// invisible characters of other categories (fillers, grapheme joiner,
/// variation selectors, braille blank, noncharacters after the specials).
fn is_invisible(c: char) -> bool {
    if c == '\u{202E}' && planted(plant::BIDI_OVERRIDE) {
        return false;
    }
    get_general_category(c) == GeneralCategory::Format
        || matches!(
            c,
            '\u{034F}'
                | '\u{115F}'..='\u{1160}'
                | '\u{17B4}'..='\u{17B5}'
                | '\u{180B}'..='\u{180F}'
                | '\u{2800}'
                | '\u{3164}'
                | '\u{FE00}'..='\u{FE0F}'
                | '\u{FFA0}'
                | '\u{FFF0}'..='\u{FFF8}'
                | '\u{E0000}'..='\u{E0FFF}'
        )
}

/// Look-alikes that NFKC leaves alone but that look like, or are best-fit
/// converted by Windows code pages to, an ASCII character with a meaning in
/// paths: `.`, `/`, `\`, `:`, `%` and the characters Windows forbids in
/// names, `<>"|?*`. NFKC look-alikes (fullwidth, small and compatibility
/// forms) need no entry: [`fold_char`] applies NFKD first.
const FOLD: &[(char, char)] = &[
    ('\u{3002}', '.'),  // IDEOGRAPHIC FULL STOP (U+FF61 is its NFKC twin)
    ('\u{A4F8}', '.'),  // LISU LETTER TONE MYA TI
    ('\u{0701}', '.'),  // SYRIAC SUPRALINEAR FULL STOP
    ('\u{0702}', '.'),  // SYRIAC SUBLINEAR FULL STOP
    ('\u{06D4}', '.'),  // ARABIC FULL STOP
    ('\u{2E33}', '.'),  // RAISED DOT
    ('\u{1427}', '.'),  // CANADIAN SYLLABICS FINAL MIDDLE DOT
    ('\u{2027}', '.'),  // HYPHENATION POINT
    ('\u{2219}', '.'),  // BULLET OPERATOR
    ('\u{22C5}', '.'),  // DOT OPERATOR
    ('\u{00B7}', '.'),  // MIDDLE DOT (in-word: see IN_WORD_DOTS)
    ('\u{30FB}', '.'),  // KATAKANA MIDDLE DOT (in-word; U+FF65 is its NFKC twin)
    ('\u{2215}', '/'),  // DIVISION SLASH
    ('\u{2044}', '/'),  // FRACTION SLASH
    ('\u{29F8}', '/'),  // BIG SOLIDUS
    ('\u{27CB}', '/'),  // MATHEMATICAL RISING DIAGONAL
    ('\u{2571}', '/'),  // BOX DRAWINGS LIGHT DIAGONAL UPPER RIGHT TO LOWER LEFT
    ('\u{1735}', '/'),  // PHILIPPINE SINGLE PUNCTUATION
    ('\u{2216}', '\\'), // SET MINUS
    ('\u{29F5}', '\\'), // REVERSE SOLIDUS OPERATOR
    ('\u{29F9}', '\\'), // BIG REVERSE SOLIDUS
    ('\u{27CD}', '\\'), // MATHEMATICAL FALLING DIAGONAL
    ('\u{2572}', '\\'), // BOX DRAWINGS LIGHT DIAGONAL UPPER LEFT TO LOWER RIGHT
    ('\u{00A5}', '\\'), // YEN SIGN (is `\` in Japanese code pages)
    ('\u{20A9}', '\\'), // WON SIGN (is `\` in Korean code pages)
    ('\u{2236}', ':'),  // RATIO
    ('\u{A789}', ':'),  // MODIFIER LETTER COLON
    ('\u{02D0}', ':'),  // MODIFIER LETTER TRIANGULAR COLON
    ('\u{0589}', ':'),  // ARMENIAN FULL STOP
    ('\u{05C3}', ':'),  // HEBREW PUNCTUATION SOF PASUQ
    ('\u{0703}', ':'),  // SYRIAC SUPRALINEAR COLON
    ('\u{0704}', ':'),  // SYRIAC SUBLINEAR COLON
    ('\u{066A}', '%'),  // ARABIC PERCENT SIGN
    ('\u{2052}', '%'),  // COMMERCIAL MINUS SIGN
    ('\u{2217}', '*'),  // ASTERISK OPERATOR
    ('\u{066D}', '*'),  // ARABIC FIVE POINTED STAR
    ('\u{204E}', '*'),  // LOW ASTERISK
    ('\u{2731}', '*'),  // HEAVY ASTERISK
    ('\u{0294}', '?'),  // LATIN LETTER GLOTTAL STOP
    ('\u{0241}', '?'),  // LATIN CAPITAL LETTER GLOTTAL STOP
    ('\u{097D}', '?'),  // DEVANAGARI LETTER GLOTTAL STOP
    ('\u{201C}', '"'),  // LEFT DOUBLE QUOTATION MARK (best fit)
    ('\u{201D}', '"'),  // RIGHT DOUBLE QUOTATION MARK (best fit)
    ('\u{201E}', '"'),  // DOUBLE LOW-9 QUOTATION MARK (best fit)
    ('\u{201F}', '"'),  // DOUBLE HIGH-REVERSED-9 QUOTATION MARK
    ('\u{02BA}', '"'),  // MODIFIER LETTER DOUBLE PRIME (best fit)
    ('\u{02DD}', '"'),  // DOUBLE ACUTE ACCENT
    ('\u{2033}', '"'),  // DOUBLE PRIME
    ('\u{3003}', '"'),  // DITTO MARK
    ('\u{05F4}', '"'),  // HEBREW PUNCTUATION GERSHAYIM
    ('\u{2039}', '<'),  // SINGLE LEFT-POINTING ANGLE QUOTATION MARK (best fit)
    ('\u{3008}', '<'),  // LEFT ANGLE BRACKET (U+2329 is its NFKD twin)
    ('\u{02C2}', '<'),  // MODIFIER LETTER LEFT ARROWHEAD
    ('\u{1438}', '<'),  // CANADIAN SYLLABICS PA
    ('\u{203A}', '>'),  // SINGLE RIGHT-POINTING ANGLE QUOTATION MARK (best fit)
    ('\u{3009}', '>'),  // RIGHT ANGLE BRACKET (U+232A is its NFKD twin)
    ('\u{02C3}', '>'),  // MODIFIER LETTER RIGHT ARROWHEAD
    ('\u{1433}', '>'),  // CANADIAN SYLLABICS PO
    ('\u{2223}', '|'),  // DIVIDES (best fit)
    ('\u{01C0}', '|'),  // LATIN LETTER DENTAL CLICK
    ('\u{00A6}', '|'),  // BROKEN BAR
    ('\u{05C0}', '|'),  // HEBREW PUNCTUATION PASEQ
    ('\u{23D0}', '|'),  // VERTICAL LINE EXTENSION
    ('\u{2502}', '|'),  // BOX DRAWINGS LIGHT VERTICAL
];

/// Middle dots that living orthographies use inside words (Catalan `l·l`,
/// Japanese `ジョン・スミス`): folded to `.` like the other dot look-alikes,
/// so they are refused where a dot would matter (a component of dots, a
/// trailing dot, a reserved name's extension), but accepted inside a name.
const IN_WORD_DOTS: &[char] = &['\u{00B7}', '\u{0387}', '\u{30FB}', '\u{FF65}'];

/// Append what `c` may become after the normalizations a later layer
/// applies — NFKD (so NFKC's compatibility mappings), the look-alike table,
/// marks stripped (accent-stripping slugifiers, best fit), and every space
/// separator as ` ` — to `out`. ASCII stays as it is.
fn fold_char(c: char, out: &mut String) {
    if c.is_ascii() {
        out.push(c);
        return;
    }
    if c == '\u{FF0E}' && planted(plant::FULLWIDTH_DOT) {
        out.push(c);
        return;
    }
    let table = |c: char| FOLD.iter().find(|&&(l, _)| l == c).map(|&(_, a)| a);
    if let Some(a) = table(c) {
        out.push(a);
        return;
    }
    for d in std::iter::once(c).nfkd() {
        // Two Unicode tables (general category, and normalization's
        // combining-mark table) may be of different Unicode versions: a
        // character either one calls a mark is a mark, since an
        // accent-stripping step built on either would remove it.
        if table(d).is_none() && unicode_normalization::char::is_combining_mark(d) {
            continue;
        }
        match (table(d), get_general_category(d)) {
            (Some(a), _) => out.push(a),
            (
                None,
                GeneralCategory::NonspacingMark
                | GeneralCategory::SpacingMark
                | GeneralCategory::EnclosingMark,
            ) => {}
            (None, GeneralCategory::SpaceSeparator) => out.push(' '),
            (None, _) => out.push(d),
        }
    }
}

/// `name` folded character by character ([`fold_char`]): the text the
/// component checks compare, so that no later normalization step can turn
/// an accepted name into one they refuse.
fn fold(name: &str) -> Cow<'_, str> {
    if name.is_ascii() {
        return Cow::Borrowed(name);
    }
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        fold_char(c, &mut out);
    }
    Cow::Owned(out)
}

/// The ASCII character with a meaning in paths that the non-ASCII `c`
/// imitates: `.`, `/`, `\`, `:` and `%` always, `<>"|?*` when Windows names
/// are refused. Middle dots used inside words are judged per component.
fn lookalike_of(c: char, policy: &Policy) -> Option<char> {
    let mut folded = String::new();
    fold_char(c, &mut folded);
    folded.chars().find(|&f| match f {
        '.' => !IN_WORD_DOTS.contains(&c),
        '/' | '\\' | ':' | '%' => true,
        '<' | '>' | '"' | '|' | '?' | '*' => policy.windows_names == WindowsNames::Refuse,
        _ => false,
    })
}

fn check_chars(s: &str, text: &Decoded<'_>, policy: &Policy) -> Result<(), PathError> {
    // Fast path: printable ASCII needs no per-character work.
    let Some(first) = s.bytes().position(|b| !(b' '..=b'~').contains(&b)) else {
        return Ok(());
    };
    for (i, ch) in s[first..].char_indices().map(|(i, c)| (first + i, c)) {
        if ch.is_ascii_graphic() || ch == ' ' {
            continue;
        }
        let offset = text.offset(i);
        if ch == '\0' {
            return Err(PathError::Nul { offset });
        }
        // U+2028 and U+2029 end lines like `\n` does.
        let control = if planted(plant::C1_CONTROLS) {
            ch < ' ' || ch == '\u{7F}'
        } else {
            ch.is_control()
        };
        if control || matches!(ch, '\u{2028}' | '\u{2029}') {
            return Err(PathError::ControlChar { offset, ch });
        }
        if is_invisible(ch) {
            return Err(PathError::InvisibleChar { offset, ch });
        }
        if let Some(looks_like) = lookalike_of(ch, policy) {
            return Err(PathError::UnicodeLookalike {
                offset,
                ch,
                looks_like,
            });
        }
    }
    if policy.percent == Percent::RefuseEscapes {
        check_folded_escapes(s, text)?;
    }
    Ok(())
}

/// With [`Percent::RefuseEscapes`], a `%` whose following characters fold
/// ([`fold_char`]) to an escape (`%２e`, `%2é`, `%ｕ002e`) is one: NFKC or
/// accent stripping followed by a decoding layer would decode it.
fn check_folded_escapes(s: &str, text: &Decoded<'_>) -> Result<(), PathError> {
    for (i, _) in s.match_indices('%') {
        let mut folded = String::from("%");
        for c in s[i + 1..].chars() {
            if folded.len() > 5 {
                break;
            }
            fold_char(c, &mut folded);
        }
        if is_escape(folded.as_bytes()) {
            return Err(PathError::PercentEscape {
                offset: text.offset(i),
            });
        }
    }
    Ok(())
}

/// Whether `b` starts with a `%XX` or an IIS `%uXXXX` escape.
fn is_escape(b: &[u8]) -> bool {
    escape_at(b, 0).is_some()
        || (b.len() >= 6
            && b[0] == b'%'
            && (b[1] == b'u' || b[1] == b'U')
            && b[2..6].iter().all(u8::is_ascii_hexdigit))
}

fn is_sep(b: u8) -> bool {
    b == b'/' || b == b'\\'
}

/// Absolute, UNC and device forms, whichever separator they use.
fn check_prefix(b: &[u8]) -> Result<(), PathError> {
    match b {
        // `\\?\`, `\\.\`, `//?/`, `//./`, also bare `\\?` and `\\.`.
        [s1, s2, b'?' | b'.', rest @ ..]
            if is_sep(*s1) && is_sep(*s2) && rest.first().is_none_or(|&c| is_sep(c)) =>
        {
            Err(PathError::DevicePath)
        }
        // `\??\` (NT object namespace).
        [s1, b'?', b'?', s2, ..] if is_sep(*s1) && is_sep(*s2) => Err(PathError::DevicePath),
        [s1, s2, c, ..] if is_sep(*s1) && is_sep(*s2) && !is_sep(*c) => Err(PathError::Unc),
        [s, ..] if is_sep(*s) => Err(PathError::Absolute),
        _ => Ok(()),
    }
}

/// A non-empty component of the input, with where it starts in `s`.
struct Segment<'s> {
    start: usize,
    text: &'s str,
}

/// Split on the separators, enforcing the depth and component-length limits.
fn split<'s>(
    s: &'s str,
    policy: &Policy,
    text: &Decoded<'_>,
) -> Result<Vec<Segment<'s>>, PathError> {
    let backslash_sep =
        policy.backslash == Backslash::Separator && !planted(plant::BACKSLASH_NOT_SPLIT);
    let mut segments = Vec::new();
    let bytes = s.as_bytes();
    let mut start = 0;
    for i in 0..=bytes.len() {
        // The end of the input ends the last segment.
        let is_end = bytes
            .get(i)
            .is_none_or(|&b| b == b'/' || (backslash_sep && b == b'\\'));
        if is_end {
            if i > start {
                if segments.len() == policy.max_depth {
                    return Err(PathError::TooDeep {
                        max: policy.max_depth,
                    });
                }
                let seg = &s[start..i];
                if seg.len() > policy.max_component_len {
                    return Err(PathError::ComponentTooLong {
                        offset: text.offset(start),
                        len: seg.len(),
                        max: policy.max_component_len,
                    });
                }
                segments.push(Segment { start, text: seg });
            }
            start = i + 1;
        }
    }
    Ok(segments)
}

/// Resolve `.` and `..`, check each kept component, and build the result.
fn resolve(
    segments: &[Segment<'_>],
    policy: &Policy,
    text: &Decoded<'_>,
) -> Result<SafeRelPath, PathError> {
    let mut stack: Vec<&str> = Vec::with_capacity(segments.len());
    for seg in segments {
        let offset = text.offset(seg.start);
        match seg.text {
            "." => {}
            ".." => {
                if policy.dot_dot == DotDot::Refuse {
                    return Err(PathError::DotDotRefused { offset });
                }
                if stack.pop().is_none() {
                    if planted(plant::DOTDOT_FIRST_ONLY) && seg.start > 0 {
                        stack.push("..");
                        continue;
                    }
                    return Err(PathError::EscapesRoot { offset });
                }
            }
            name => {
                check_component(name, seg.start, policy, text)?;
                stack.push(name);
            }
        }
    }
    if stack.is_empty() && !policy.allow_empty {
        return Err(PathError::Empty);
    }
    Ok(SafeRelPath(stack.join("/")))
}

/// Checks on one kept component starting at decoded offset `start`. The
/// Windows rules and the drive and dot rules compare the component's
/// [`fold`], so a name that a later NFKC, best-fit, accent-stripping or
/// trimming step would turn into a refused one is refused now.
fn check_component(
    name: &str,
    start: usize,
    policy: &Policy,
    text: &Decoded<'_>,
) -> Result<(), PathError> {
    let offset = text.offset(start);
    let folded = fold(name);
    // A drive letter is refused wherever it is, whatever policy: `..`
    // resolution can move any component to the front, and trimming can
    // remove the spaces before it.
    let check_drive = start == 0 || !planted(plant::DRIVE_FIRST_ONLY);
    if let (true, [letter, b':', ..]) = (check_drive, folded.trim_start_matches(' ').as_bytes()) {
        if letter.is_ascii_alphabetic() {
            let letter = name
                .chars()
                .find(|&c| !c.is_whitespace())
                .unwrap_or(char::from(*letter));
            return Err(PathError::DriveLetter { offset, letter });
        }
    }
    if policy.windows_names == WindowsNames::Refuse {
        check_windows_name(name, &folded, start, policy, text)?;
    }
    if matches!(folded.trim_matches(' '), "" | "." | "..") {
        return Err(PathError::DisguisedDotComponent {
            offset,
            component: name.to_owned(),
        });
    }
    Ok(())
}

/// The [`WindowsNames::Refuse`] rules, on the component and its fold.
fn check_windows_name(
    name: &str,
    folded: &str,
    start: usize,
    policy: &Policy,
    text: &Decoded<'_>,
) -> Result<(), PathError> {
    let offset = text.offset(start);
    for (i, b) in name.bytes().enumerate() {
        match b {
            b':' => {
                return Err(PathError::Colon {
                    offset: text.offset(start + i),
                })
            }
            b'<' | b'>' | b'"' | b'|' | b'?' | b'*' => {
                return Err(PathError::WindowsForbiddenChar {
                    offset: text.offset(start + i),
                    ch: char::from(b),
                })
            }
            _ => {}
        }
    }
    let trailing = if planted(plant::TRAILING_RAW) {
        name
    } else {
        folded
    };
    if trailing.ends_with(['.', ' ']) {
        return Err(PathError::TrailingDotOrSpace {
            offset,
            component: name.to_owned(),
        });
    }
    if is_reserved(folded) {
        return Err(PathError::ReservedName {
            offset,
            component: name.to_owned(),
        });
    }
    if policy.short_names == ShortNames::Refuse && is_short_name(folded) {
        return Err(PathError::ShortName {
            offset,
            component: name.to_owned(),
        });
    }
    Ok(())
}

/// Windows reserved device names, on a folded component: the part before
/// the first dot, spaces trimmed on both sides, compared case-insensitively
/// (so `COM¹`, fullwidth `ＣＯＮ`, bold `𝐂𝐎𝐍`, `CON　` and ` nul.txt` match).
fn is_reserved(folded: &str) -> bool {
    let stem = folded.split('.').next().unwrap_or(folded).trim_matches(' ');
    match stem.as_bytes() {
        [a, b, c] if planted(plant::RESERVED_CASE) => ["con", "prn", "aux", "nul"]
            .iter()
            .any(|r| r.as_bytes() == [*a, *b, *c]),
        [a, b, c] => ["con", "prn", "aux", "nul"]
            .iter()
            .any(|r| r.as_bytes().eq_ignore_ascii_case(&[*a, *b, *c])),
        [a, b, c, d] => {
            d.is_ascii_digit()
                && (b"com".eq_ignore_ascii_case(&[*a, *b, *c])
                    || b"lpt".eq_ignore_ascii_case(&[*a, *b, *c]))
        }
        s => ["conin$", "conout$", "clock$"]
            .iter()
            .any(|r| r.as_bytes().eq_ignore_ascii_case(s)),
    }
}

/// Whether a folded component is shaped like an 8.3 short name: a base of
/// at most 8 bytes ending in `~` and 1–6 digits, then at most one dot and
/// an extension of at most 3 bytes (see [`ShortNames`]).
fn is_short_name(folded: &str) -> bool {
    let (base, ext) = folded.split_once('.').unwrap_or((folded, ""));
    let Some((_, digits)) = base.rsplit_once('~') else {
        return false;
    };
    base.len() <= 8
        && ext.len() <= 3
        && !ext.contains('.')
        && (1..=6).contains(&digits.len())
        && digits.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overlong_forms_are_recognised() {
        assert!(is_overlong(&[0xC0, 0xAE]));
        assert!(is_overlong(&[0xC1, 0x9C]));
        assert!(is_overlong(&[0xE0, 0x80, 0xAF]));
        assert!(is_overlong(&[0xF0, 0x80, 0x80, 0xAE]));
        assert!(is_overlong(&[0xF8, 0x80, 0x80, 0x80, 0xAF]));
        assert!(is_overlong(&[0xFC, 0x80, 0x80, 0x80, 0x80, 0xAF]));
        // Shortest forms, truncated forms and stray bytes are not overlong.
        assert!(!is_overlong(&[0xC2, 0x80]));
        assert!(!is_overlong(&[0xE0, 0xA0, 0x80]));
        assert!(!is_overlong(&[0xF0, 0x90, 0x80, 0x80]));
        assert!(!is_overlong(&[0xF8, 0x88, 0x80, 0x80, 0x80]));
        assert!(!is_overlong(&[0xFC, 0x84, 0x80, 0x80, 0x80, 0x80]));
        assert!(!is_overlong(&[0xC0]));
        assert!(!is_overlong(&[0xC0, 0x2E]));
        assert!(!is_overlong(&[0x80, 0x80]));
        assert!(!is_overlong(&[0xFE, 0x80]));
        assert!(!is_overlong(&[]));
    }

    #[test]
    fn reserved_names() {
        for n in [
            "CON",
            "con",
            "nul.txt",
            "Aux .txt",
            "COM1",
            "lpt9",
            "COM\u{b9}",
            "LPT\u{b2}",
            "com\u{b3}.log",
            "CONIN$",
            "conout$",
            "\u{ff23}\u{ff2f}\u{ff2e}",
            "prn.a.b",
        ] {
            assert!(is_reserved(&fold(n)), "{n}");
        }
        for n in [
            "cons",
            "com",
            "COM10",
            "lpt",
            "console.txt",
            "xnul",
            "nul_",
            "",
        ] {
            assert!(!is_reserved(&fold(n)), "{n}");
        }
    }
}
