//! Path confinement: untrusted relative paths that must stay under a root.
//!
//! # Threat model
//!
//! A service takes a path from an attacker — a URL path, a form field, an
//! archive entry name — and uses it under a root directory it serves or
//! writes to. The attacker wins if the path reaches anything outside the
//! root, or anything inside it the checks did not see: `../../etc/passwd`,
//! `%2e%2e%2f`, `%252e%252e` decoded by a second layer, overlong UTF-8
//! (`%c0%ae`), `..\` on Windows, `C:\`, `\\host\share`, `\\?\`, fullwidth
//! `．．／` that a later NFKC step turns into `../`, NUL truncation, NTFS
//! streams (`file.txt::$DATA`), device names (`CON`, `nul.txt`), trailing
//! dots and spaces Windows strips, 8.3 short-name aliases (`SECRET~1.TXT`),
//! and symlinks inside the tree that point out of it.
//!
//! The attacker also wins through a *later* normalization step the service
//! or the platform applies to an accepted path: NFKC, one more
//! percent-decode, IIS `%u` decoding, Windows best-fit conversion to a code
//! page ("WorstFit": `＂`, `“` → `"`, `∗` → `*`), accent stripping by a
//! slugifier (`..\u{301}` → `..`), trimming of Unicode whitespace — alone
//! or composed (`％2e％2e` is NFKC-stable and decode-stable, but NFKC then
//! decode gives `..`). Lexical confinement therefore compares *folded*
//! text: each non-ASCII character is replaced by its NFKD decomposition,
//! its entry in a table of best-fit and visual look-alikes, nothing for a
//! combining mark, and ` ` for any space separator, and the checks below
//! run on that fold, with no length shortcut.
//!
//! Two layers defend against it:
//!
//! 1. [`confine`] / [`confine_bytes`] — *lexical* confinement. The input is
//!    checked and resolved as text, in this order, and the first problem is
//!    returned as a typed [`PathError`] (never a silent clamp):
//!    1. length ([`Policy::max_len`]) before any other work;
//!    2. percent escapes, decoded exactly once ([`Percent`]): malformed
//!       escapes and double encoding refused;
//!    3. UTF-8, with overlong forms reported as such;
//!    4. NUL, control (C0, DEL, C1, U+2028, U+2029) and invisible
//!       characters (general category Cf, fillers, variation selectors);
//!       characters whose fold contains `.`, `/`, `\`, `:` or `%` (the
//!       last so that no NFKC or best-fit step can create an escape), and,
//!       with [`WindowsNames::Refuse`], `<>"|?*`. The middle dots used
//!       inside words (`·`, `・`) are the exception: they fold to `.` and are
//!       judged where a dot matters (step 8). With [`Percent::RefuseEscapes`],
//!       a `%` whose following characters fold to an escape (`%２e`) and
//!       IIS `%uXXXX` escapes are refused too;
//!    5. absolute, UNC and device prefixes (`/`, `\\host`, `\\?\`, `//./`, …);
//!    6. `\`, a separator or refused ([`Backslash`]);
//!    7. split into components, with the depth and component-length limits;
//!    8. `.` and empty components dropped, `..` resolved inside the root or
//!       refused ([`DotDot`]), escaping `..` refused; each kept component's
//!       fold checked for a drive letter after any leading spaces (`ｃ:`,
//!       `ⓒ:`, ` C:`, under every policy), by default for Windows reserved
//!       names (`𝐂𝐎𝐍𝐎𝐔𝐓$`, `CON　`, `ÇON`), `:`, `<>"|?*`, trailing dots or
//!       spaces (`secret.txt　`) ([`WindowsNames`]) and 8.3 short names
//!       ([`ShortNames`]); and, under every policy, a component whose fold
//!       with spaces trimmed is empty, `.` or `..` (`..\u{301}`, `　..`).
//!
//!    The result, a [`SafeRelPath`], is relative, normalized and means the
//!    same thing on every platform and after any of the normalization steps
//!    above, composed up to three deep (the `path.composition` oracle
//!    checks exactly that).
//!
//!    What is *not* covered: look-alikes that no normalization maps and
//!    that only a human confuses are refused only as far as the
//!    look-alike table lists them (dot, slash, colon, percent and the
//!    Windows-forbidden characters); letters that imitate other letters
//!    (Cyrillic `с` for `c`, negative squared `🅲`) are accepted, since no
//!    layer turns them into ASCII; middle dots inside a name are accepted.
//!    Best-fit tables differ per code page: the table covers the mappings
//!    to dangerous ASCII that are documented, not every code page.
//!
//! 2. [`RootDir`] — file operations beneath a directory handle. Lexical
//!    checks cannot see symlinks, mount points or races; `RootDir` asks the
//!    kernel (`openat2` with `RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS |
//!    RESOLVE_NO_XDEV`) to refuse every resolution that leaves the
//!    directory or crosses a mount, whatever symlinks are on the way. It
//!    opens, creates, writes, lists, stats, removes and renames beneath the
//!    root, acting on the final component relative to its parent's
//!    descriptor without following it, and refuses FIFOs, sockets and
//!    devices before opening them ([`RootOptions`] for `RESOLVE_IN_ROOT`,
//!    mounts and hard links; [`UserPath`] for a trailing `/`).
//!
//! # Oracles
//!
//! [`PathTarget`] judges `confine` with the independent checks in
//! [`oracle`] (invariant ids `path.*`); the filesystem property in the test
//! suite judges `RootDir` against real inodes.

mod confine;
mod error;
pub mod gen;
mod open;
pub mod oracle;
pub mod plant;

pub use confine::{
    confine, confine_bytes, Backslash, DotDot, Percent, Policy, SafeRelPath, ShortNames,
    WindowsNames,
};
pub use error::{OpenError, PathError};
pub use gen::PathInput;
pub use open::{
    Create, DirEntry, EntryKind, HardLinks, OpenOptions, Opened, ReadDir, Resolve, RootDir,
    RootOptions, UserPath,
};

use crate::engine::contract::{Checker, Invariant, Target, Verdict, Violation};
use crate::engine::options::{OptionError, OptionSpec, Options};
use crate::engine::plant::Plant;

/// The path-confinement target: [`confine_bytes`] judged by the [`oracle`]s.
#[derive(Clone, Copy, Debug, Default)]
pub struct PathTarget;

/// The options of `secfuzz check path`: the fields of [`Policy`].
pub const OPTIONS: &[OptionSpec] = &[
    OptionSpec::choice(
        "dot-dot",
        &["resolve", "refuse"],
        "resolve",
        "`..`: resolved inside the root, or refused outright",
    ),
    OptionSpec::choice(
        "backslash",
        &["separator", "refuse"],
        "separator",
        "`\\`: a path separator, or refused",
    ),
    OptionSpec::choice(
        "percent",
        &["decode-once", "refuse-escapes"],
        "decode-once",
        "`%XX`: decoded once (double encoding refused), or any escape refused",
    ),
    OptionSpec::choice(
        "windows-names",
        &["refuse", "allow"],
        "refuse",
        "Windows-dangerous names (CON, trailing dots, `:`, `<>\"|?*`)",
    ),
    OptionSpec::choice(
        "short-names",
        &["refuse", "allow"],
        "refuse",
        "names shaped like 8.3 short names (`SECRET~1.TXT`), with windows-names=refuse",
    ),
    OptionSpec::flag(
        "allow-empty",
        "accept a path that resolves to the root itself as the empty path",
    ),
    OptionSpec::int("max-len", "4096", 1, 1 << 20, "largest input, in bytes"),
    OptionSpec::int(
        "max-component-len",
        "255",
        1,
        1 << 16,
        "largest component, in bytes after decoding",
    ),
    OptionSpec::int("max-depth", "64", 1, 4096, "most components"),
];

/// The [`Policy`] the options describe. Values were validated against
/// [`OPTIONS`] when they were parsed.
pub fn policy_from(options: &Options) -> Policy {
    let int = |name| {
        options
            .int(name)
            .and_then(|v| usize::try_from(v).ok())
            .unwrap_or(0)
    };
    Policy::new()
        .dot_dot(match options.text("dot-dot") {
            Some("refuse") => DotDot::Refuse,
            _ => DotDot::Resolve,
        })
        .backslash(match options.text("backslash") {
            Some("refuse") => Backslash::Refuse,
            _ => Backslash::Separator,
        })
        .percent(match options.text("percent") {
            Some("refuse-escapes") => Percent::RefuseEscapes,
            _ => Percent::DecodeOnce,
        })
        .windows_names(match options.text("windows-names") {
            Some("allow") => WindowsNames::Allow,
            _ => WindowsNames::Refuse,
        })
        .short_names(match options.text("short-names") {
            Some("allow") => ShortNames::Allow,
            _ => ShortNames::Refuse,
        })
        .allow_empty(options.flag("allow-empty"))
        .max_len(int("max-len"))
        .max_component_len(int("max-component-len"))
        .max_depth(int("max-depth"))
}

/// [`confine_bytes`] under one [`Policy`], judged by [`oracle::judge`]: what
/// `secfuzz check path` runs.
#[derive(Clone, Debug, Default)]
pub struct PathCheck {
    /// The policy payloads are confined under.
    pub policy: Policy,
}

impl Checker for PathCheck {
    fn check(&self, payload: &[u8]) -> Result<Verdict, Violation> {
        let result = confine_bytes(payload, &self.policy);
        oracle::judge(payload, &self.policy, &result)?;
        Ok(match result {
            Ok(p) => Verdict::Accepted {
                output: p.as_str().to_owned(),
            },
            Err(e) => Verdict::Rejected {
                reason: e.to_string(),
            },
        })
    }
}

impl Target for PathTarget {
    const NAME: &'static str = "path";
    const DESCRIPTION: &'static str =
        "Confines untrusted relative paths under a root: traversal, encodings, separators, prefixes, look-alikes, Windows names.";
    const INVARIANTS: &'static [Invariant] = oracle::INVARIANTS;
    const OPTIONS: &'static [OptionSpec] = OPTIONS;
    const PLANTS: &'static [Plant] = PLANTS;

    type Input = PathInput;

    fn render(input: &PathInput) -> Vec<u8> {
        input.payload()
    }

    fn check(input: &PathInput) -> Result<(), Violation> {
        let payload = input.payload();
        let policy = input.policy();
        let result = confine_bytes(&payload, &policy);
        oracle::judge(&payload, &policy, &result)
    }

    fn checker(options: &Options) -> Result<Box<dyn Checker>, OptionError> {
        Ok(Box::new(PathCheck {
            policy: policy_from(options),
        }))
    }
}

/// The planted vulnerabilities ([`plant`]): every path plant.
pub const PLANTS: &[Plant] = &[
    Plant {
        id: plant::DOUBLE_DECODE,
        breaks: oracle::DECODE_STABLE,
        description: "`%25` decoded like any escape: double encoding survives one decode",
    },
    Plant {
        id: plant::DOTDOT_FIRST_ONLY,
        breaks: oracle::CONFINED,
        description: "only a leading `..` is checked against the root",
    },
    Plant {
        id: plant::FULLWIDTH_DOT,
        breaks: oracle::NO_LOOKALIKE,
        description: "U+FF0E FULLWIDTH FULL STOP missing from the look-alike folding",
    },
    Plant {
        id: plant::BIDI_OVERRIDE,
        breaks: oracle::WELL_FORMED,
        description: "U+202E RIGHT-TO-LEFT OVERRIDE missing from the invisible characters",
    },
    Plant {
        id: plant::C1_CONTROLS,
        breaks: oracle::WELL_FORMED,
        description: "control check written as `c < ' '`: C1 controls pass",
    },
    Plant {
        id: plant::RESERVED_CASE,
        breaks: oracle::COMPOSITION,
        description: "reserved device names compared case-sensitively",
    },
    Plant {
        id: plant::TRAILING_RAW,
        breaks: oracle::COMPOSITION,
        description: "trailing dot/space check before folding: Unicode spaces pass",
    },
    Plant {
        id: plant::BACKSLASH_NOT_SPLIT,
        breaks: oracle::WELL_FORMED,
        description: "components split on `/` only, though `\\` is a separator",
    },
    Plant {
        id: plant::DRIVE_FIRST_ONLY,
        breaks: oracle::COMPOSITION,
        description: "drive letters refused in the first component only",
    },
    Plant {
        id: plant::OPENAT2_NOT_BENEATH,
        breaks: oracle::BENEATH,
        description: "RESOLVE_BENEATH dropped from openat2's flags",
    },
];
