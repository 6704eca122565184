//! Lexical confinement: an untrusted relative path in, a [`SafeRelPath`] or a
//! typed [`PathError`] out. See the [module documentation](super) for the
//! threat model and the order in which checks run.

use std::borrow::Cow;
use std::fmt;
use std::path::{Path, PathBuf};

use unicode_normalization::UnicodeNormalization;

use super::error::PathError;

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
    /// Do not decode; `%` followed by two hex digits is
    /// [`PathError::PercentEscape`], a lone `%` is an ordinary character.
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
    /// decode `%` once, refuse Windows-dangerous names, refuse empty results,
    /// 4096 bytes, 255-byte components, 64 components.
    pub const fn new() -> Self {
        Policy {
            dot_dot: DotDot::Resolve,
            backslash: Backslash::Separator,
            percent: Percent::DecodeOnce,
            windows_names: WindowsNames::Refuse,
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
    check_chars(s, &text)?;
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
                match (first..input.len())
                    .find(|&i| input[i] == b'%' && escape_at(input, i).is_some())
                {
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
                        if b == b'%' {
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

/// Invisible and bidirectional formatting characters.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{034F}'
            | '\u{061C}'
            | '\u{115F}'..='\u{1160}'
            | '\u{17B4}'..='\u{17B5}'
            | '\u{180B}'..='\u{180F}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{206F}'
            | '\u{3164}'
            | '\u{FE00}'..='\u{FE0F}'
            | '\u{FEFF}'
            | '\u{FFA0}'
            | '\u{FFF0}'..='\u{FFF8}'
            | '\u{1D173}'..='\u{1D17A}'
            | '\u{E0000}'..='\u{E0FFF}'
    )
}

/// Separator look-alikes that NFKC leaves alone but that look like, or are
/// best-fit converted by Windows code pages to, `/`, `\` or `:`.
const LOOKALIKES: &[(char, char)] = &[
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
];

/// The ASCII path character `c` imitates, for a non-ASCII `c`.
fn lookalike_of(c: char) -> Option<char> {
    if let Some(&(_, ascii)) = LOOKALIKES.iter().find(|&&(l, _)| l == c) {
        return Some(ascii);
    }
    std::iter::once(c).nfkc().find_map(|n| match n {
        '.' | '/' | '\\' | ':' => Some(n),
        _ => LOOKALIKES.iter().find(|&&(l, _)| l == n).map(|&(_, a)| a),
    })
}

fn check_chars(s: &str, text: &Decoded<'_>) -> Result<(), PathError> {
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
        if ch.is_control() {
            return Err(PathError::ControlChar { offset, ch });
        }
        if is_invisible(ch) {
            return Err(PathError::InvisibleChar { offset, ch });
        }
        if let Some(looks_like) = lookalike_of(ch) {
            return Err(PathError::UnicodeLookalike {
                offset,
                ch,
                looks_like,
            });
        }
    }
    Ok(())
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
    let backslash_sep = policy.backslash == Backslash::Separator;
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

/// Checks on one kept component starting at decoded offset `start`.
fn check_component(
    name: &str,
    start: usize,
    policy: &Policy,
    text: &Decoded<'_>,
) -> Result<(), PathError> {
    let offset = text.offset(start);
    // A drive letter is refused wherever it is: `..` resolution can move any
    // component to the front.
    if let [letter, b':', ..] = name.as_bytes() {
        if letter.is_ascii_alphabetic() {
            return Err(PathError::DriveLetter {
                offset,
                letter: char::from(*letter),
            });
        }
    }
    if policy.windows_names == WindowsNames::Allow {
        return Ok(());
    }
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
    if name.ends_with(['.', ' ']) {
        return Err(PathError::TrailingDotOrSpace {
            offset,
            component: name.to_owned(),
        });
    }
    if is_reserved(name) {
        return Err(PathError::ReservedName {
            offset,
            component: name.to_owned(),
        });
    }
    Ok(())
}

/// Windows reserved device names, compared on the part before the first dot
/// with trailing spaces removed, case-insensitively, after NFKC (so `COM¹`
/// and fullwidth `ＣＯＮ` match).
fn is_reserved(name: &str) -> bool {
    let stem = name.split('.').next().unwrap_or(name).trim_end_matches(' ');
    if stem.is_ascii() {
        return is_reserved_ascii(stem);
    }
    if stem.len() > 3 * 7 {
        return false; // longer than any reserved name, even fully fullwidth
    }
    is_reserved_ascii(&stem.nfkc().collect::<String>())
}

fn is_reserved_ascii(stem: &str) -> bool {
    match stem.as_bytes() {
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
            assert!(is_reserved(n), "{n}");
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
            assert!(!is_reserved(n), "{n}");
        }
    }
}
