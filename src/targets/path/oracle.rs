//! Oracles for [`confine`]: each judges a result by its own means and never
//! calls confine's helpers (byte scanning, a `std::path` component walk, a
//! stack model, NFKC from `unicode-normalization`, a lenient percent
//! decoder). Only [`idempotent`] calls [`confine`] itself, on its output.
//!
//! They are public so they can judge other path-confinement code too.

use std::path::{Component, Path};

use unicode_normalization::UnicodeNormalization;

use super::{confine, DotDot, PathError, Policy, SafeRelPath, WindowsNames};
use crate::engine::contract::{Invariant, Violation};

/// `path.well_formed`.
pub const WELL_FORMED: &str = "path.well_formed";
/// `path.confined`.
pub const CONFINED: &str = "path.confined";
/// `path.idempotent`.
pub const IDEMPOTENT: &str = "path.idempotent";
/// `path.model`.
pub const MODEL: &str = "path.model";
/// `path.no_lookalike`.
pub const NO_LOOKALIKE: &str = "path.no_lookalike";
/// `path.decode_stable`.
pub const DECODE_STABLE: &str = "path.decode_stable";
/// `path.composition`.
pub const COMPOSITION: &str = "path.composition";
/// [`RootDir`](super::RootDir) never opens, creates, renames or removes
/// anything outside its root, whatever symlinks the tree holds: judged on
/// real inodes by the filesystem property and the race test in the suite
/// (not by [`judge`], which sees no filesystem).
pub const BENEATH: &str = "path.beneath";

/// Every invariant the path oracles check.
pub const INVARIANTS: &[Invariant] = &[
    Invariant {
        id: WELL_FORMED,
        description: "An accepted path is relative, within the policy's limits, and has no empty, `.` or `..` component, no backslash, and no NUL, control or invisible character.",
    },
    Invariant {
        id: CONFINED,
        description: "An accepted path joined to a root stays under that root, judged by a std::path component walk.",
    },
    Invariant {
        id: IDEMPOTENT,
        description: "Confining an accepted path again, with the same policy, gives the same path.",
    },
    Invariant {
        id: MODEL,
        description: "On inputs made only of plain names, `.`, `..` and `/`, confine agrees with a stack model (same path, or the same kind of refusal).",
    },
    Invariant {
        id: NO_LOOKALIKE,
        description: "No accepted component normalizes (NFKC, ASCII lowercase) to `.` or `..`, or contains a separator or separator look-alike.",
    },
    Invariant {
        id: DECODE_STABLE,
        description: "Percent-decoding an accepted path once more introduces no `.` or `..` component, separator, NUL or overlong UTF-8.",
    },
    Invariant {
        id: BENEATH,
        description: "RootDir never opens, creates, renames or removes anything outside its root, whatever symlinks the tree holds (judged on real inodes by the filesystem property).",
    },
    Invariant {
        id: COMPOSITION,
        description: "No sequence of up to three later normalization steps (NFKC, percent-decode, `%u`-decode, best fit to ASCII, accent stripping, whitespace trimming), in any order, turns an accepted component into an empty, `.` or `..` component, a separator, a control, a drive, or (Windows names refused) a reserved name, a Windows-forbidden character or a trailing dot or space.",
    },
];

/// Judge one result of [`confine_bytes`](super::confine_bytes)`(payload, policy)` with every oracle.
pub fn judge(
    payload: &[u8],
    policy: &Policy,
    result: &Result<SafeRelPath, PathError>,
) -> Result<(), Violation> {
    model(payload, policy, result)?;
    if let Ok(out) = result {
        well_formed(out.as_str(), policy)?;
        confined(out.as_str())?;
        idempotent(out, policy)?;
        no_lookalike(out.as_str(), policy)?;
        decode_stable(out.as_str())?;
        composition(out.as_str(), policy)?;
    }
    Ok(())
}

/// `path.well_formed`, by scanning the bytes of `output`.
pub fn well_formed(output: &str, policy: &Policy) -> Result<(), Violation> {
    let fail = |what: String| Err(Violation::new(WELL_FORMED, format!("{what} in {output:?}")));
    let b = output.as_bytes();
    if b.len() > policy.max_len {
        return fail(format!(
            "{} bytes, over the {}-byte limit,",
            b.len(),
            policy.max_len
        ));
    }
    if b.is_empty() {
        return if policy.allow_empty {
            Ok(())
        } else {
            fail("empty path, which the policy refuses,".into())
        };
    }
    if b[0] == b'/' {
        return fail("leading `/`".into());
    }
    for (i, &x) in b.iter().enumerate() {
        match x {
            b'\\' => return fail(format!("backslash at byte {i}")),
            0 => return fail(format!("NUL at byte {i}")),
            0x01..=0x1F | 0x7F => return fail(format!("control byte {x:#04x} at byte {i}")),
            // C1 controls U+0080..U+009F are C2 80..C2 9F in UTF-8.
            0xC2 if matches!(b.get(i + 1), Some(0x80..=0x9F)) => {
                return fail(format!("C1 control at byte {i}"))
            }
            _ => {}
        }
    }
    for (i, c) in output.char_indices() {
        let invisible = matches!(
            c,
            '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}'
        );
        if invisible {
            return fail(format!("invisible U+{:04X} at byte {i}", c as u32));
        }
    }
    let mut depth = 0;
    for comp in b.split(|&x| x == b'/') {
        depth += 1;
        match comp {
            b"" => return fail("empty component".into()),
            b"." => return fail("`.` component".into()),
            b".." => return fail("`..` component".into()),
            c if c.len() > policy.max_component_len => {
                return fail(format!(
                    "a {}-byte component, over the {}-byte limit,",
                    c.len(),
                    policy.max_component_len
                ))
            }
            _ => {}
        }
    }
    if depth > policy.max_depth {
        return fail(format!(
            "{depth} components, over the limit of {},",
            policy.max_depth
        ));
    }
    Ok(())
}

/// A root that exists nowhere; only its components matter.
const ORACLE_ROOT: &str = "/secfuzz-oracle/root";

/// `path.confined`: `ORACLE_ROOT` joined with `output`, walked with
/// `std::path`, must stay under the root.
pub fn confined(output: &str) -> Result<(), Violation> {
    let fail = |what: &str| Err(Violation::new(CONFINED, format!("{output:?}: {what}")));
    let rel = Path::new(output);
    if rel.has_root() || rel.is_absolute() {
        return fail("is absolute");
    }
    let root = Path::new(ORACLE_ROOT);
    let joined = root.join(rel);
    let root_depth = root
        .components()
        .filter(|c| matches!(c, Component::Normal(_)))
        .count();
    let mut depth = 0usize;
    for (i, c) in joined.components().enumerate() {
        match c {
            Component::Prefix(_) => return fail("has a path prefix"),
            Component::RootDir if i > 0 => return fail("has a root in the middle"),
            Component::RootDir | Component::CurDir => {}
            Component::ParentDir if depth <= root_depth => return fail("climbs above the root"),
            Component::ParentDir => return fail("has a `..` component"),
            Component::Normal(_) => depth += 1,
        }
    }
    if depth < root_depth || !joined.starts_with(root) {
        return fail("does not stay under the root");
    }
    Ok(())
}

/// `path.idempotent`: confining `output` again gives `output`.
pub fn idempotent(output: &SafeRelPath, policy: &Policy) -> Result<(), Violation> {
    match confine(output.as_str(), policy) {
        Ok(again) if again == *output => Ok(()),
        Ok(again) => Err(Violation::new(
            IDEMPOTENT,
            format!(
                "{:?} confines again to {:?}",
                output.as_str(),
                again.as_str()
            ),
        )),
        Err(e) => Err(Violation::new(
            IDEMPOTENT,
            format!("{:?} is refused when confined again: {e}", output.as_str()),
        )),
    }
}

/// What the stack model says confine must do.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Expected {
    Accept(String),
    Absolute,
    Unc,
    Device,
    Escapes,
    DotDotRefused,
    Empty,
}

/// A DOS device name, by the model's own reckoning (plain names have no dots).
fn model_dos_device(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    ["con", "prn", "aux", "nul"].contains(&n.as_str())
        || ((n.starts_with("com") || n.starts_with("lpt"))
            && n.len() == 4
            && n.as_bytes()[3].is_ascii_digit())
}

/// The stack model, or `None` when the payload is outside its alphabet
/// (plain names `[A-Za-z0-9_-]+`, `.`, `..`, `/`) or over the limits.
fn stack_model(payload: &[u8], policy: &Policy) -> Option<Expected> {
    let s = std::str::from_utf8(payload).ok()?;
    let plain = |seg: &str| {
        seg.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
    };
    let segs: Vec<&str> = s.split('/').collect();
    if payload.len() > policy.max_len
        || segs.iter().filter(|g| !g.is_empty()).count() > policy.max_depth
    {
        return None;
    }
    for g in &segs {
        let ok = g.len() <= policy.max_component_len
            && (matches!(*g, "" | "." | "..")
                || (plain(g)
                    && !(policy.windows_names == WindowsNames::Refuse && model_dos_device(g))));
        if !ok {
            return None;
        }
    }
    if let Some(rest) = s.strip_prefix("//") {
        // `//.` and `//./…` are the Windows device namespace.
        if rest == "." || rest.starts_with("./") {
            return Some(Expected::Device);
        }
        if !rest.is_empty() && !rest.starts_with('/') {
            return Some(Expected::Unc);
        }
    }
    if s.starts_with('/') {
        return Some(Expected::Absolute);
    }
    let mut stack = Vec::new();
    for g in segs {
        match g {
            "" | "." => {}
            ".." if policy.dot_dot == DotDot::Refuse => return Some(Expected::DotDotRefused),
            ".." => {
                if stack.pop().is_none() {
                    return Some(Expected::Escapes);
                }
            }
            name => stack.push(name),
        }
    }
    if stack.is_empty() && !policy.allow_empty {
        return Some(Expected::Empty);
    }
    Some(Expected::Accept(stack.join("/")))
}

/// `path.model`: on plain-name inputs, confine agrees with a stack model.
pub fn model(
    payload: &[u8],
    policy: &Policy,
    result: &Result<SafeRelPath, PathError>,
) -> Result<(), Violation> {
    let Some(expected) = stack_model(payload, policy) else {
        return Ok(());
    };
    let agrees = match (&expected, result) {
        (Expected::Accept(want), Ok(got)) => got.as_str() == want,
        (Expected::Absolute, Err(PathError::Absolute))
        | (Expected::Unc, Err(PathError::Unc))
        | (Expected::Device, Err(PathError::DevicePath))
        | (Expected::Escapes, Err(PathError::EscapesRoot { .. }))
        | (Expected::DotDotRefused, Err(PathError::DotDotRefused { .. }))
        | (Expected::Empty, Err(PathError::Empty)) => true,
        _ => false,
    };
    if agrees {
        Ok(())
    } else {
        let got = match result {
            Ok(p) => format!("accepted {:?}", p.as_str()),
            Err(e) => format!("refused ({e})"),
        };
        Err(Violation::new(
            MODEL,
            format!(
                "{:?}: the stack model expects {expected:?}, confine {got}",
                String::from_utf8_lossy(payload)
            ),
        ))
    }
}

/// Separators and their look-alikes, the oracle's own list.
const SEPARATOR_LIKE: &[char] = &[
    '/', '\\', '\u{2215}', '\u{2044}', '\u{29F8}', '\u{29F9}', '\u{2216}', '\u{29F5}', '\u{FF0F}',
    '\u{FF3C}', '\u{FE68}', '\u{00A5}', '\u{20A9}', '\u{2571}', '\u{2572}', '\u{27CB}', '\u{27CD}',
];

/// `path.no_lookalike`: no component is a disguised `.`/`..` or holds a
/// separator look-alike (nor, when Windows names are refused, a colon
/// look-alike).
pub fn no_lookalike(output: &str, policy: &Policy) -> Result<(), Violation> {
    for comp in output.split('/') {
        let n: String = comp.nfkc().collect::<String>().to_ascii_lowercase();
        let fail = |what: &str| {
            Err(Violation::new(
                NO_LOOKALIKE,
                format!("component {comp:?} of {output:?} normalizes to {n:?}, {what}"),
            ))
        };
        if n == "." || n == ".." {
            return fail("a dot component");
        }
        if let Some(c) = n.chars().find(|c| SEPARATOR_LIKE.contains(c)) {
            return fail(&format!(
                "which contains the separator look-alike U+{:04X}",
                c as u32
            ));
        }
        if policy.windows_names == WindowsNames::Refuse && n.contains(':') {
            return fail("which contains `:`");
        }
    }
    Ok(())
}

/// Percent-decode leniently: valid escapes decoded, anything else kept.
fn lenient_decode(s: &[u8]) -> Vec<u8> {
    let hex = |b: u8| (b as char).to_digit(16);
    let mut out = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        if s[i] == b'%' && i + 2 < s.len() {
            if let (Some(h), Some(l)) = (hex(s[i + 1]), hex(s[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(s[i]);
        i += 1;
    }
    out
}

/// `path.decode_stable`: decoding each component once more yields no
/// separator, NUL, dot component or overlong UTF-8 sequence.
pub fn decode_stable(output: &str) -> Result<(), Violation> {
    for comp in output.split('/') {
        let d = lenient_decode(comp.as_bytes());
        let fail = |what: &str| {
            Err(Violation::new(
                DECODE_STABLE,
                format!(
                    "component {comp:?} of {output:?} decodes to {:?}, {what}",
                    String::from_utf8_lossy(&d)
                ),
            ))
        };
        if d == b"." || d == b".." {
            return fail("a dot component");
        }
        if let Some(&b) = d.iter().find(|&&b| b == b'/' || b == b'\\' || b == 0) {
            return fail(&format!("which contains byte {b:#04x}"));
        }
        let overlong = d.windows(2).any(|w| {
            matches!(
                w,
                [0xC0 | 0xC1, _] | [0xE0, 0x80..=0x9F] | [0xF0, 0x80..=0x8F]
            )
        }) || d.last().is_some_and(|&b| b == 0xC0 || b == 0xC1);
        if overlong {
            return fail("which contains an overlong UTF-8 sequence");
        }
    }
    Ok(())
}

/// The oracle's own best-fit table: characters that Windows "best fit"
/// conversion to an ANSI code page (or a lossy ASCII transliteration) turns
/// into an ASCII character that matters in paths. Written from the WorstFit
/// findings, separately from confine's table.
const BEST_FIT: &[(char, char)] = &[
    ('\u{FF0E}', '.'),
    ('\u{2024}', '.'),
    ('\u{FE52}', '.'),
    ('\u{FF0F}', '/'),
    ('\u{2215}', '/'),
    ('\u{2044}', '/'),
    ('\u{FF3C}', '\\'),
    ('\u{2216}', '\\'),
    ('\u{00A5}', '\\'),
    ('\u{20A9}', '\\'),
    ('\u{FF1A}', ':'),
    ('\u{2236}', ':'),
    ('\u{0589}', ':'),
    ('\u{FF05}', '%'),
    ('\u{FE6A}', '%'),
    ('\u{066A}', '%'),
    ('\u{FF0A}', '*'),
    ('\u{2217}', '*'),
    ('\u{FF1F}', '?'),
    ('\u{0294}', '?'),
    ('\u{FF02}', '"'),
    ('\u{201C}', '"'),
    ('\u{201D}', '"'),
    ('\u{201E}', '"'),
    ('\u{02BA}', '"'),
    ('\u{2033}', '"'),
    ('\u{FF1C}', '<'),
    ('\u{2039}', '<'),
    ('\u{2329}', '<'),
    ('\u{3008}', '<'),
    ('\u{FF1E}', '>'),
    ('\u{203A}', '>'),
    ('\u{232A}', '>'),
    ('\u{3009}', '>'),
    ('\u{FF5C}', '|'),
    ('\u{2223}', '|'),
    ('\u{01C0}', '|'),
    ('\u{00A6}', '|'),
];

/// One normalization step a later layer may apply to an accepted component.
#[derive(Clone, Copy, Debug)]
enum Step {
    Nfkc,
    PercentDecode,
    IisDecode,
    BestFit,
    StripAccents,
    Trim,
}

const STEPS: [Step; 6] = [
    Step::Nfkc,
    Step::PercentDecode,
    Step::IisDecode,
    Step::BestFit,
    Step::StripAccents,
    Step::Trim,
];

/// Compositions explored per component, at most; past it the oracle stops
/// expanding (a component is at most a few hundred bytes, and in practice
/// fewer than a dozen distinct strings are reachable).
const COMPOSITION_BUDGET: usize = 256;

impl Step {
    /// `s` after this step; `None` when the step changes nothing.
    fn apply(self, s: &str) -> Option<String> {
        let out = match self {
            Step::Nfkc => s.nfkc().collect::<String>(),
            Step::PercentDecode => {
                String::from_utf8_lossy(&lenient_decode(s.as_bytes())).into_owned()
            }
            Step::IisDecode => iis_decode(s),
            Step::BestFit => s
                .chars()
                .map(|c| {
                    BEST_FIT
                        .iter()
                        .find(|&&(u, _)| u == c)
                        .map_or(c, |&(_, a)| a)
                })
                .collect(),
            Step::StripAccents => s
                .nfd()
                .filter(|&c| !unicode_normalization::char::is_combining_mark(c))
                .collect(),
            Step::Trim => s.trim().to_owned(),
        };
        (out != s).then_some(out)
    }
}

/// Decode IIS `%uXXXX` escapes (any case), leaving everything else.
fn iis_decode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('%') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let b = rest.as_bytes();
        let decoded = (b.len() >= 6 && (b[1] | 0x20) == b'u')
            .then(|| std::str::from_utf8(&b[2..6]).ok())
            .flatten()
            .and_then(|h| u32::from_str_radix(h, 16).ok())
            .and_then(char::from_u32);
        match decoded {
            Some(c) if b[2..6].iter().all(u8::is_ascii_hexdigit) => {
                out.push(c);
                rest = &rest[6..];
            }
            _ => {
                out.push('%');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// What is wrong with `t`, one component after some normalization steps,
/// by the oracle's own reckoning; `None` if nothing.
fn composition_problem(t: &str, policy: &Policy) -> Option<String> {
    if t.is_empty() {
        return Some("vanishes (an empty component)".into());
    }
    if t == "." || t == ".." {
        return Some("is a dot component".into());
    }
    if let Some(c) = t.chars().find(|&c| c == '/' || c == '\\') {
        return Some(format!("contains the separator {c:?}"));
    }
    if let Some(c) = t.chars().find(|c| c.is_control()) {
        return Some(format!("contains the control U+{:04X}", c as u32));
    }
    let b = t.as_bytes();
    if b.len() >= 2 && b[0].is_ascii_alphabetic() && b[1] == b':' {
        return Some("starts with a drive".into());
    }
    if policy.windows_names == WindowsNames::Allow {
        return None;
    }
    if let Some(c) = t.chars().find(|c| ":*?\"<>|".contains(*c)) {
        return Some(format!("contains {c:?}, forbidden in Windows names"));
    }
    if t.ends_with('.') || t.ends_with(char::is_whitespace) {
        return Some("ends in a dot or space, which Windows strips".into());
    }
    let stem = t.split('.').next().unwrap_or(t).trim().to_ascii_uppercase();
    let device = matches!(
        stem.as_str(),
        "CON" | "PRN" | "AUX" | "NUL" | "CONIN$" | "CONOUT$" | "CLOCK$"
    ) || (stem.len() == 4
        && (stem.starts_with("COM") || stem.starts_with("LPT"))
        && stem.as_bytes()[3].is_ascii_digit());
    if device {
        return Some("is a reserved Windows device name".into());
    }
    None
}

/// `path.composition`: no composition of up to three later normalization
/// steps (NFKC, one percent-decode, `%u`-decode, best fit to ASCII, accent
/// stripping, trimming Unicode whitespace) turns an accepted component into
/// a dot component, an empty one, one with a separator or control, a
/// drive, or (with [`WindowsNames::Refuse`]) a reserved name, a
/// Windows-forbidden character or a trailing dot or space.
pub fn composition(output: &str, policy: &Policy) -> Result<(), Violation> {
    // The empty path (the root, when the policy allows it) has no components.
    for comp in output.split('/').filter(|_| !output.is_empty()) {
        // Every step is the identity on ASCII without `%` or whitespace at
        // its ends, and the plain checks already ran on the text itself.
        let plain = comp.bytes().all(|b| b.is_ascii_graphic() && b != b'%');
        if plain && composition_problem(comp, policy).is_none() {
            continue;
        }
        let mut seen: Vec<String> = vec![comp.to_owned()];
        let mut frontier: Vec<(String, Vec<Step>)> = vec![(comp.to_owned(), Vec::new())];
        for _depth in 0..=3 {
            let mut next = Vec::new();
            for (t, steps) in &frontier {
                if let Some(what) = composition_problem(t, policy) {
                    let how = if steps.is_empty() {
                        "as it is".to_owned()
                    } else {
                        format!("after {steps:?}")
                    };
                    return Err(Violation::new(
                        COMPOSITION,
                        format!("component {comp:?} of {output:?}, {how}, is {t:?}, which {what}"),
                    ));
                }
                if steps.len() == 3 {
                    continue;
                }
                for step in STEPS {
                    if seen.len() >= COMPOSITION_BUDGET {
                        break;
                    }
                    if let Some(u) = step.apply(t) {
                        if !seen.contains(&u) {
                            seen.push(u.clone());
                            let mut s = steps.clone();
                            s.push(step);
                            next.push((u, s));
                        }
                    }
                }
            }
            frontier = next;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn oracles_reject_bad_outputs() {
        let p = Policy::default();
        for bad in [
            "",
            "/a",
            "a//b",
            "a/./b",
            "../a",
            "a\\b",
            "a\u{0}b",
            "a\u{85}",
            "a\u{202e}",
        ] {
            assert!(well_formed(bad, &p).is_err(), "{bad:?}");
        }
        assert!(well_formed("a/b.c/d", &p).is_ok());
        for bad in ["/etc", "a/../../b", ".."] {
            assert!(confined(bad).is_err(), "{bad:?}");
        }
        assert!(confined("a/b").is_ok());
        for bad in [
            "\u{ff0e}\u{ff0e}",
            "\u{2025}",
            "a\u{2215}b",
            "x\u{ff3c}",
            "\u{FF0E}",
        ] {
            assert!(no_lookalike(bad, &p).is_err(), "{bad:?}");
        }
        assert!(no_lookalike("a:b", &p).is_err());
        assert!(no_lookalike("a:b", &p.clone().windows_names(WindowsNames::Allow)).is_ok());
        for bad in [
            "%2e%2e",
            "a%2fb",
            "%2E",
            "a%5c",
            "%00",
            "%c0%ae",
            "x%e0%80%af",
        ] {
            assert!(decode_stable(bad).is_err(), "{bad:?}");
        }
        assert!(decode_stable("100%/a%zz/%2").is_ok());
    }

    /// Outputs the confine of before issue 10 accepted: each one the
    /// composition oracle must flag.
    #[test]
    fn composition_flags_what_confine_used_to_accept() {
        let p = Policy::default();
        let strict = p.clone().percent(super::super::Percent::RefuseEscapes);
        let allow = p.clone().windows_names(WindowsNames::Allow);
        for (bad, policy) in [
            ("\u{ff05}2e\u{ff05}2e/etc/passwd", &p),
            ("\u{fe6a}2e\u{fe6a}2e", &p),
            ("%u002e%u002e/etc/passwd", &strict),
            ("%\u{ff12}e", &strict),
            (
                "\u{1d402}\u{1d40e}\u{1d40d}\u{1d40e}\u{1d414}\u{1d413}$",
                &p,
            ),
            (
                "\u{1f132}\u{1f13e}\u{1f13d}\u{1f13e}\u{1f144}\u{1f143}$",
                &p,
            ),
            (
                "\u{1d402}\u{1d40b}\u{1d40e}\u{1d402}\u{1d40a}\u{ff04}.txt",
                &p,
            ),
            ("CON\u{3000}", &p),
            ("secret.txt\u{3000}", &p),
            ("a\u{ff0a}", &p),
            ("a\u{201c}", &p),
            ("..\u{301}/etc", &p),
            ("..\u{301}/etc", &allow),
            ("\u{ff43}:foo", &allow),
            ("\u{24d2}:foo", &allow),
            ("\u{3000}../x", &allow),
            (" /etc", &allow),
        ] {
            assert!(composition(bad, policy).is_err(), "{bad:?}");
        }
        for good in [
            "r\u{e9}sum\u{e9}.pdf",
            "\u{65e5}\u{672c}/x",
            "my\u{a0}file.txt",
            "a b/c.d",
            "\u{1f600}.png",
        ] {
            assert!(composition(good, &p).is_ok(), "{good:?}");
        }
        assert!(composition("CON/ab:c/x*", &allow).is_ok());
        assert!(composition("100%/%zz", &strict).is_ok());
    }

    #[test]
    fn stack_model_cases() {
        let p = Policy::default();
        let m = |s: &str| stack_model(s.as_bytes(), &p);
        assert_eq!(m("a/../b"), Some(Expected::Accept("b".into())));
        assert_eq!(m("a/.."), Some(Expected::Empty));
        assert_eq!(m("../a"), Some(Expected::Escapes));
        assert_eq!(m("/a"), Some(Expected::Absolute));
        assert_eq!(m("///a"), Some(Expected::Absolute));
        assert_eq!(m("//a"), Some(Expected::Unc));
        assert_eq!(m("//./a"), Some(Expected::Device));
        assert_eq!(m("//../a"), Some(Expected::Unc));
        assert_eq!(m("con/a"), None);
        assert_eq!(m("a.b"), None);
        let refuse = p.clone().dot_dot(DotDot::Refuse);
        assert_eq!(
            stack_model(b"a/../b", &refuse),
            Some(Expected::DotDotRefused)
        );
    }
}
