//! The path target: table tests for every refusal, properties over generated
//! inputs, a stack model, a real-filesystem property for `RootDir`, and the
//! external traversal payload lists.

use std::path::{Component, Path};

use proptest::prelude::*;
use secfuzz::path::{
    confine, confine_bytes, Backslash, DotDot, PathError, PathInput, PathTarget, Percent, Policy,
    WindowsNames,
};
use secfuzz::{Target, Verdict};

fn def() -> Policy {
    Policy::default()
}

/// The accepted output for `input` under the default policy.
#[track_caller]
fn ok(input: &str) -> String {
    ok_with(input, &def())
}

#[track_caller]
fn ok_with(input: &str, policy: &Policy) -> String {
    match confine(input, policy) {
        Ok(p) => p.as_str().to_owned(),
        Err(e) => panic!("{input:?} refused: {e}"),
    }
}

/// The refusal for `input` under the default policy.
#[track_caller]
fn err(input: &str) -> PathError {
    err_with(input, &def())
}

#[track_caller]
fn err_with(input: &str, policy: &Policy) -> PathError {
    match confine(input, policy) {
        Ok(p) => panic!("{input:?} accepted as {p:?}"),
        Err(e) => e,
    }
}

// ---------------------------------------------------------------------------
// Table tests

#[test]
fn dot_dot_inside_the_root_is_resolved() {
    assert_eq!(ok("a/../b"), "b");
    assert_eq!(ok("a/b/../../c"), "c");
    assert_eq!(ok("a/b/../c/./d/.."), "a/c");
    assert_eq!(ok("./a/./b/."), "a/b");
    assert_eq!(ok("a//b///c/"), "a/b/c");
    assert_eq!(ok("a\\b\\..\\c"), "a/c");
    assert_eq!(ok("a/\\b"), "a/b");
    assert_eq!(ok("static/css/site.css"), "static/css/site.css");
    assert_eq!(ok("a.b/.c/..d"), "a.b/.c/..d");
}

#[test]
fn dot_dot_escaping_the_root_is_an_error() {
    assert_eq!(err(".."), PathError::EscapesRoot { offset: 0 });
    assert_eq!(err("../a"), PathError::EscapesRoot { offset: 0 });
    assert_eq!(err("a/../../b"), PathError::EscapesRoot { offset: 5 });
    assert_eq!(err("a/b/../../../x"), PathError::EscapesRoot { offset: 10 });
    assert_eq!(err("..\\..\\windows"), PathError::EscapesRoot { offset: 0 });
    assert_eq!(err("./../x"), PathError::EscapesRoot { offset: 2 });
    // Never a clamp: an escape is refused even if later components come back.
    assert_eq!(err("../root/x"), PathError::EscapesRoot { offset: 0 });
}

#[test]
fn dot_dot_can_be_refused_outright() {
    let p = def().dot_dot(DotDot::Refuse);
    assert_eq!(
        err_with("a/../b", &p),
        PathError::DotDotRefused { offset: 2 }
    );
    assert_eq!(
        err_with("%2e%2e", &p),
        PathError::DotDotRefused { offset: 0 }
    );
    assert_eq!(ok_with("a/./b", &p), "a/b");
}

#[test]
fn empty_results_are_refused_by_default() {
    for input in ["", ".", "./", "a/..", "a/b/../..", "./a/../."] {
        assert_eq!(err(input), PathError::Empty, "{input:?}");
    }
    let p = def().allow_empty(true);
    let root = confine("a/..", &p).unwrap();
    assert!(root.is_empty());
    assert_eq!(root.as_str(), "");
    assert_eq!(root.components().count(), 0);
    assert_eq!(root.join_to("/srv"), Path::new("/srv"));
    // Escaping is still refused when empty results are allowed.
    assert_eq!(err_with("..", &p), PathError::EscapesRoot { offset: 0 });
}

#[test]
fn backslash_can_be_refused() {
    let p = def().backslash(Backslash::Refuse);
    assert_eq!(
        err_with("a\\b", &p),
        PathError::BackslashRefused { offset: 1 }
    );
    assert_eq!(
        err_with("a%5cb", &p),
        PathError::BackslashRefused { offset: 1 }
    );
    assert_eq!(ok_with("a/b", &p), "a/b");
    // Prefixes are classified before the backslash check.
    assert_eq!(err_with("\\\\host\\s", &p), PathError::Unc);
}

#[test]
fn absolute_unc_and_device_paths_are_distinct_errors() {
    for input in [
        "/etc/passwd",
        "\\windows",
        "/",
        "///x",
        "\\/\\x",
        "%2fetc",
        "%5c",
    ] {
        assert_eq!(err(input), PathError::Absolute, "{input:?}");
    }
    for input in [
        "\\\\host\\share",
        "//host/share",
        "\\/host",
        "/\\host\\x",
        "%2f%2fhost",
    ] {
        assert_eq!(err(input), PathError::Unc, "{input:?}");
    }
    for input in [
        "\\\\?\\C:\\x",
        "\\\\.\\pipe\\p",
        "//?/c:/x",
        "//./x",
        "\\\\?",
        "\\\\.",
        "\\??\\C:\\x",
        "\\\\?\\UNC\\host\\share",
    ] {
        assert_eq!(err(input), PathError::DevicePath, "{input:?}");
    }
}

#[test]
fn drive_letters_are_refused_wherever_they_are() {
    let drive = |offset, letter| PathError::DriveLetter { offset, letter };
    assert_eq!(err("C:"), drive(0, 'C'));
    assert_eq!(err("C:foo"), drive(0, 'C'));
    assert_eq!(err("c:\\windows"), drive(0, 'c'));
    assert_eq!(err("z:/x"), drive(0, 'z'));
    assert_eq!(err("x/../C:foo"), drive(5, 'C'));
    // Also when Windows names are allowed: `..` could move it to the front.
    let allow = def().windows_names(WindowsNames::Allow);
    assert_eq!(err_with("x/../C:foo", &allow), drive(5, 'C'));
    assert_eq!(ok_with("x/1:foo", &allow), "x/1:foo");
}

#[test]
fn nul_and_control_characters_are_refused_with_their_offset() {
    assert_eq!(err("a\0b"), PathError::Nul { offset: 1 });
    assert_eq!(err("a.png%00.php"), PathError::Nul { offset: 5 });
    for (input, offset, ch) in [
        ("a\nb", 1, '\n'),
        ("ab\r", 2, '\r'),
        ("\t", 0, '\t'),
        ("x\u{1b}[31m", 1, '\u{1b}'),
        ("a\u{7f}", 1, '\u{7f}'),
        ("a\u{85}", 1, '\u{85}'),
        ("ab\u{9b}", 2, '\u{9b}'),
        ("%0a", 0, '\n'),
    ] {
        assert_eq!(
            err(input),
            PathError::ControlChar { offset, ch },
            "{input:?}"
        );
    }
}

#[test]
fn invisible_and_bidi_characters_are_refused() {
    for ch in [
        '\u{200b}', '\u{200c}', '\u{200d}', '\u{200e}', '\u{200f}', '\u{202a}', '\u{202b}',
        '\u{202c}', '\u{202d}', '\u{202e}', '\u{2066}', '\u{2067}', '\u{2068}', '\u{2069}',
        '\u{feff}',
    ] {
        let input = format!("ab{ch}c");
        assert_eq!(
            err(&input),
            PathError::InvisibleChar { offset: 2, ch },
            "U+{:04X}",
            ch as u32
        );
    }
    // Encoded: offset of the first escape.
    assert_eq!(
        err("x%e2%80%ae"),
        PathError::InvisibleChar {
            offset: 1,
            ch: '\u{202e}'
        }
    );
}

#[test]
fn percent_escapes_are_decoded_once() {
    assert_eq!(ok("%41%62c"), "Abc");
    assert_eq!(ok("a%2fb"), "a/b");
    assert_eq!(ok("a%2Fb%5Cc"), "a/b/c");
    assert_eq!(ok("%c3%a9t%c3%a9"), "\u{e9}t\u{e9}");
    assert_eq!(ok("a/%2e/b"), "a/b");
    assert_eq!(ok("a/b/%2e%2e"), "a");
    assert_eq!(err("%2e%2e/etc"), PathError::EscapesRoot { offset: 0 });
    assert_eq!(err("%2E%2E%2Fetc"), PathError::EscapesRoot { offset: 0 });
    assert_eq!(err("..%2f..%2fetc"), PathError::EscapesRoot { offset: 0 });
    assert_eq!(err(".%2e/x"), PathError::EscapesRoot { offset: 0 });
    // Offsets point into the original input: the second `..` starts at `%2e` 13.
    assert_eq!(
        err("a%2f%2e%2e%2f%2e%2e"),
        PathError::EscapesRoot { offset: 13 }
    );
}

#[test]
fn malformed_escapes_are_refused() {
    for (input, offset) in [
        ("%", 0),
        ("a%", 1),
        ("%2", 0),
        ("ab%2", 2),
        ("%zz", 0),
        ("%g0", 0),
        ("%u002e", 0),
        ("a/%%32%65", 2),
        ("%%35%63", 0),
    ] {
        assert_eq!(
            err(input),
            PathError::MalformedEscape { offset },
            "{input:?}"
        );
    }
}

#[test]
fn double_encoding_is_refused() {
    assert_eq!(err("%252e%252e/x"), PathError::DoubleEncoding { offset: 0 });
    assert_eq!(err("a/%252f"), PathError::DoubleEncoding { offset: 2 });
    assert_eq!(err("100%25"), PathError::DoubleEncoding { offset: 3 });
    assert_eq!(err("%25%32%65"), PathError::DoubleEncoding { offset: 0 });
}

#[test]
fn overlong_utf8_is_its_own_error() {
    for (input, offset) in [
        ("%c0%ae%c0%ae/x", 0),
        ("a/%c0%af", 2),
        ("%C0%AE", 0),
        ("%c1%9c", 0),
        ("%e0%80%ae", 0),
        ("%e0%80%af", 0),
        ("%f0%80%80%ae", 0),
        ("%f8%80%80%80%af", 0),
        ("%fc%80%80%80%80%af", 0),
        ("x%c0%80", 1),
    ] {
        assert_eq!(err(input), PathError::OverlongUtf8 { offset }, "{input:?}");
    }
    assert_eq!(
        confine_bytes(b"ab\xc0\xae", &def()),
        Err(PathError::OverlongUtf8 { offset: 2 })
    );
    assert_eq!(
        confine_bytes(b"\xe0\x80\xaf", &def()),
        Err(PathError::OverlongUtf8 { offset: 0 })
    );
}

#[test]
fn other_invalid_utf8_is_not_utf8() {
    for (input, offset) in [
        ("%ff", 0),
        ("a%80", 1),
        ("%c0%2e", 0),
        ("%e2%82", 0),
        ("x%ed%a0%80", 1),
        ("%f4%90%80%80", 0),
    ] {
        assert_eq!(err(input), PathError::NotUtf8 { offset }, "{input:?}");
    }
    assert_eq!(
        confine_bytes(b"a\xff", &def()),
        Err(PathError::NotUtf8 { offset: 1 })
    );
    assert_eq!(
        confine_bytes(b"abc\xc3", &def()),
        Err(PathError::NotUtf8 { offset: 3 })
    );
}

#[test]
fn escapes_can_be_refused_instead_of_decoded() {
    let p = def().percent(Percent::RefuseEscapes);
    assert_eq!(
        err_with("%2e%2e", &p),
        PathError::PercentEscape { offset: 0 }
    );
    assert_eq!(
        err_with("a%c0%ae", &p),
        PathError::PercentEscape { offset: 1 }
    );
    assert_eq!(
        err_with("100%/%41", &p),
        PathError::PercentEscape { offset: 5 }
    );
    assert_eq!(ok_with("100%", &p), "100%");
    assert_eq!(ok_with("a%zz/%", &p), "a%zz/%");
}

#[test]
fn unicode_lookalikes_are_refused() {
    for (ch, looks_like) in [
        ('\u{ff0e}', '.'),  // FULLWIDTH FULL STOP (NFKC)
        ('\u{2024}', '.'),  // ONE DOT LEADER (NFKC)
        ('\u{2025}', '.'),  // TWO DOT LEADER (NFKC `..`)
        ('\u{2026}', '.'),  // HORIZONTAL ELLIPSIS (NFKC `...`)
        ('\u{fe52}', '.'),  // SMALL FULL STOP (NFKC)
        ('\u{ff0f}', '/'),  // FULLWIDTH SOLIDUS
        ('\u{fe68}', '\\'), // SMALL REVERSE SOLIDUS (NFKC)
        ('\u{ff3c}', '\\'), // FULLWIDTH REVERSE SOLIDUS (NFKC)
        ('\u{ff1a}', ':'),  // FULLWIDTH COLON (NFKC)
        ('\u{fe55}', ':'),  // SMALL COLON (NFKC)
        ('\u{2215}', '/'),  // DIVISION SLASH (best fit)
        ('\u{2044}', '/'),  // FRACTION SLASH
        ('\u{29f8}', '/'),  // BIG SOLIDUS
        ('\u{2216}', '\\'), // SET MINUS
        ('\u{a5}', '\\'),   // YEN SIGN
        ('\u{20a9}', '\\'), // WON SIGN
        ('\u{2236}', ':'),  // RATIO
        ('\u{2100}', '/'),  // ACCOUNT OF, NFKC `a/c`
        ('\u{bd}', '/'),    // VULGAR FRACTION ONE HALF, NFKC `1⁄2`
        ('\u{2488}', '.'),  // DIGIT ONE FULL STOP, NFKC `1.`
    ] {
        let input = format!("ab{ch}");
        assert_eq!(
            err(&input),
            PathError::UnicodeLookalike {
                offset: 2,
                ch,
                looks_like
            },
            "U+{:04X}",
            ch as u32
        );
    }
    assert_eq!(
        err("\u{ff0e}\u{ff0e}\u{ff0f}etc"),
        PathError::UnicodeLookalike {
            offset: 0,
            ch: '\u{ff0e}',
            looks_like: '.'
        }
    );
    // Encoded look-alikes are found after decoding, offset of the escape.
    assert_eq!(
        err("x/%ef%bc%8e%ef%bc%8e"),
        PathError::UnicodeLookalike {
            offset: 2,
            ch: '\u{ff0e}',
            looks_like: '.'
        }
    );
    // Other non-ASCII text is fine.
    assert_eq!(ok("r\u{e9}sum\u{e9}.pdf"), "r\u{e9}sum\u{e9}.pdf");
    assert_eq!(
        ok("\u{65e5}\u{672c}/\u{30d5}\u{30a1}\u{30a4}\u{30eb}"),
        "\u{65e5}\u{672c}/\u{30d5}\u{30a1}\u{30a4}\u{30eb}"
    );
}

#[test]
fn windows_reserved_names_are_refused_by_default() {
    for input in [
        "CON",
        "con",
        "nul.txt",
        "Aux .txt",
        "AUX  ",
        "COM1",
        "com9.log",
        "LPT9",
        "lpt1.tar.gz",
        "COM\u{b9}",
        "LPT\u{b2}",
        "com\u{b3}.txt",
        "CONIN$",
        "conout$",
        "PRN",
        "\u{ff23}\u{ff2f}\u{ff2e}",
        "nul.",
    ] {
        let e = err(&format!("dir/{input}"));
        assert!(
            matches!(
                &e,
                PathError::ReservedName { offset: 4, component } if component == input
            ) || (input.ends_with(['.', ' '])
                && matches!(&e, PathError::TrailingDotOrSpace { offset: 4, .. })),
            "{input:?}: {e:?}"
        );
    }
    for input in ["console", "com10", "lpt", "conx.txt", "xnul", "a.con"] {
        assert_eq!(ok(input), input);
    }
    let allow = def().windows_names(WindowsNames::Allow);
    assert_eq!(ok_with("CON/nul.txt", &allow), "CON/nul.txt");
}

#[test]
fn ntfs_streams_forbidden_chars_and_trailing_dots_are_refused_by_default() {
    assert_eq!(err("ab:c"), PathError::Colon { offset: 2 });
    assert_eq!(err("d/file.txt::$DATA"), PathError::Colon { offset: 10 });
    assert_eq!(err("1:x"), PathError::Colon { offset: 1 });
    for (i, ch) in ['<', '>', '"', '|', '?', '*'].into_iter().enumerate() {
        let input = format!("ab{ch}");
        assert_eq!(
            err(&input),
            PathError::WindowsForbiddenChar { offset: 2, ch },
            "{i}"
        );
    }
    let trailing = |offset, c: &str| PathError::TrailingDotOrSpace {
        offset,
        component: c.to_owned(),
    };
    assert_eq!(err("foo."), trailing(0, "foo."));
    assert_eq!(err("bar "), trailing(0, "bar "));
    assert_eq!(err("a/b./c"), trailing(2, "b."));
    assert_eq!(err("..."), trailing(0, "..."));
    assert_eq!(err(".. "), trailing(0, ".. "));
    let allow = def().windows_names(WindowsNames::Allow);
    assert_eq!(ok_with("foo./bar /ab:c/...", &allow), "foo./bar /ab:c/...");
}

#[test]
fn limits_are_enforced_exactly() {
    let p = def();
    let long = "a".repeat(4097);
    assert_eq!(
        err(&long),
        PathError::TooLong {
            len: 4097,
            max: 4096
        }
    );
    // The length is checked before decoding: no malformed-escape error here.
    assert_eq!(
        err(&"%zz".repeat(1366)),
        PathError::TooLong {
            len: 4098,
            max: 4096
        }
    );
    let name255 = "x".repeat(255);
    assert_eq!(ok(&name255), name255);
    assert_eq!(
        err(&format!("a/{}", "x".repeat(256))),
        PathError::ComponentTooLong {
            offset: 2,
            len: 256,
            max: 255
        }
    );
    // Component length counts decoded bytes.
    assert_eq!(ok(&"%41".repeat(255)), "A".repeat(255));
    assert_eq!(
        err(&"%41".repeat(256)),
        PathError::ComponentTooLong {
            offset: 0,
            len: 256,
            max: 255
        }
    );
    let deep64 = vec!["d"; 64].join("/");
    assert_eq!(confine(&deep64, &p).unwrap().components().count(), 64);
    let deep65 = vec!["d"; 65].join("/");
    assert_eq!(err(&deep65), PathError::TooDeep { max: 64 });
    // `.` and `..` count towards depth.
    assert_eq!(err(&"./".repeat(65)), PathError::TooDeep { max: 64 });
    let small = def().max_len(3).max_component_len(2).max_depth(2);
    assert_eq!(
        err_with("abcd", &small),
        PathError::TooLong { len: 4, max: 3 }
    );
    assert_eq!(ok_with("a/b", &small), "a/b");
    assert_eq!(
        err_with("a/b", &small.clone().max_depth(1)),
        PathError::TooDeep { max: 1 }
    );
    assert_eq!(
        err_with("abc", &small),
        PathError::ComponentTooLong {
            offset: 0,
            len: 3,
            max: 2
        }
    );
}

#[test]
fn safe_rel_path_api() {
    let p = confine("a/./b/../c/d.txt", &def()).unwrap();
    assert_eq!(p.as_str(), "a/c/d.txt");
    assert_eq!(p.to_string(), "a/c/d.txt");
    assert_eq!(p.components().collect::<Vec<_>>(), ["a", "c", "d.txt"]);
    assert_eq!(p.to_path_buf(), Path::new("a").join("c").join("d.txt"));
    assert_eq!(p.join_to("/srv/www"), Path::new("/srv/www/a/c/d.txt"));
    assert!(!p.is_empty());
    let s: &str = p.as_ref();
    assert_eq!(s, "a/c/d.txt");
}

#[test]
fn errors_say_why() {
    let cases = [
        ("../x", "escapes the root"),
        ("%zz", "malformed percent escape at byte 0"),
        ("%252e", "double percent encoding"),
        ("%c0%ae", "overlong UTF-8 sequence at byte 0"),
        ("a\0", "NUL character at byte 1"),
        ("nul.txt", "reserved Windows device name"),
        ("C:x", "drive letter `C:`"),
        ("\u{ff0e}", "look-alike of `.`"),
    ];
    for (input, needle) in cases {
        let msg = err(input).to_string();
        assert!(msg.contains(needle), "{input:?}: {msg}");
    }
}

// ---------------------------------------------------------------------------
// The target

#[test]
fn check_payload_reports_verdicts() {
    assert_eq!(
        PathTarget::check_payload(b"a/../b").unwrap(),
        Verdict::Accepted { output: "b".into() }
    );
    let v = PathTarget::check_payload(b"../etc/passwd").unwrap();
    assert_eq!(v.kind(), "rejected");
    assert_eq!(
        v.reason(),
        Some(PathError::EscapesRoot { offset: 0 }.to_string().as_str())
    );
    assert!(secfuzz::registry::find("path").is_some());
    let ids: Vec<&str> = PathTarget::INVARIANTS.iter().map(|i| i.id).collect();
    for id in [
        "path.well_formed",
        "path.confined",
        "path.idempotent",
        "path.model",
        "path.no_lookalike",
        "path.decode_stable",
    ] {
        assert!(ids.contains(&id), "{id}");
    }
}

#[test]
fn input_debug_starts_with_a_pasteable_payload() {
    let bytes: Vec<u8> = (0..64u8).map(|i| i.wrapping_mul(37)).collect();
    let input: PathInput = secfuzz::harness::decode_value(&bytes).unwrap();
    let dbg = format!("{input:?}");
    let payload = secfuzz::util::EscapedBytes(&input.payload()).to_string();
    assert!(
        dbg.starts_with(&format!("PathInput {{ payload: b\"{payload}\"")),
        "{dbg}"
    );
}

/// Stored corpus and promoted regression inputs replay without violation.
#[test]
fn corpus_and_regressions_replay_clean() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpora");
    let mut n = 0;
    for dir in [root.join("path"), root.join("regressions/path")] {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in entries {
            let bytes = std::fs::read(e.unwrap().path()).unwrap();
            if let Ok(input) = secfuzz::harness::decode::<PathTarget>(&bytes) {
                if let Err(v) = PathTarget::check(&input) {
                    panic!("{v}\n{input:?}");
                }
                n += 1;
            }
        }
    }
    assert!(n > 0, "no corpus inputs under {}", root.display());
}

// ---------------------------------------------------------------------------
// Properties

proptest! {
    #![proptest_config(secfuzz::harness::proptest_config(1000, "proptest-regressions/path.txt"))]

    /// Every generated input passes every oracle.
    #[test]
    fn generated_inputs_hold_every_invariant(case in secfuzz::harness::inputs::<PathInput>(512)) {
        let r = PathTarget::check(&case.value);
        prop_assert!(r.is_ok(), "{}", r.unwrap_err());
    }

    /// Raw bytes over a traversal-heavy alphabet pass every oracle.
    #[test]
    fn raw_payloads_hold_every_invariant(
        payload in proptest::collection::vec(
            proptest::sample::select(b"./\\%2eEfFc5a0:Cx\xc0\xae?".to_vec()), 0..48)
    ) {
        let r = PathTarget::check_payload(&payload);
        prop_assert!(r.is_ok(), "{}", r.unwrap_err());
    }

    /// On plain names, `.`, `..` and `/`, confine is a stack machine.
    #[test]
    fn plain_paths_follow_the_stack_model(
        segs in proptest::collection::vec(
            proptest::sample::select(vec!["", ".", "..", "a", "b", "dir", "x1", "y_2", "Z-"]), 0..24),
        refuse_dots: bool,
        allow_empty: bool,
    ) {
        let input = segs.join("/");
        let policy = def()
            .dot_dot(if refuse_dots { DotDot::Refuse } else { DotDot::Resolve })
            .allow_empty(allow_empty);
        let want = stack_model(&input, refuse_dots, allow_empty);
        let got = confine(&input, &policy).map(|p| p.as_str().to_owned());
        match (&want, &got) {
            (Ok(w), Ok(g)) => prop_assert_eq!(w, g),
            (Err(kind), Err(e)) => prop_assert_eq!(*kind, error_kind(e), "{:?}: {}", input, e),
            _ => prop_assert!(false, "{:?}: model {:?}, confine {:?}", input, want, got),
        }
    }
}

/// The test's own stack model (a third implementation, after confine and
/// the `path.model` oracle).
fn stack_model(s: &str, refuse_dots: bool, allow_empty: bool) -> Result<String, &'static str> {
    if let Some(rest) = s.strip_prefix("//") {
        if rest == "." || rest.starts_with("./") {
            return Err("device");
        }
        if !rest.is_empty() && !rest.starts_with('/') {
            return Err("unc");
        }
    }
    if s.starts_with('/') {
        return Err("absolute");
    }
    let mut stack = Vec::new();
    for seg in s.split('/') {
        match seg {
            "" | "." => {}
            ".." if refuse_dots => return Err("dotdot"),
            ".." => {
                stack.pop().ok_or("escapes")?;
            }
            name => stack.push(name),
        }
    }
    if stack.is_empty() && !allow_empty {
        return Err("empty");
    }
    Ok(stack.join("/"))
}

fn error_kind(e: &PathError) -> &'static str {
    match e {
        PathError::DevicePath => "device",
        PathError::Unc => "unc",
        PathError::Absolute => "absolute",
        PathError::DotDotRefused { .. } => "dotdot",
        PathError::EscapesRoot { .. } => "escapes",
        PathError::Empty => "empty",
        _ => "other",
    }
}

// ---------------------------------------------------------------------------
// External payload lists

/// Every line of the PayloadsAllTheThings traversal lists (dotdotpwn and
/// friends) gets a verdict without violating an invariant, and every
/// accepted output stays under a root by an independent component walk.
#[test]
fn external_traversal_payloads_never_escape() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/external/payloadsallthethings/path-traversal");
    let dotdotpwn = dir.join("dotdotpwn.txt");
    if !dotdotpwn.exists() {
        eprintln!(
            "note: {} is absent; skipping the external payload test",
            dotdotpwn.display()
        );
        return;
    }
    let root = Path::new("/srv/root");
    let (mut accepted, mut rejected) = (0usize, 0usize);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    for file in files {
        let data = std::fs::read(&file).unwrap();
        for line in data.split(|&b| b == b'\n') {
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            if line.is_empty() {
                continue;
            }
            let verdict = match PathTarget::check_payload(line) {
                Ok(v) => v,
                Err(v) => panic!("{}: {v}", String::from_utf8_lossy(line)),
            };
            match verdict.output() {
                Some(out) => {
                    accepted += 1;
                    let joined = root.join(out);
                    assert!(joined.starts_with(root), "{out:?}");
                    assert!(
                        joined
                            .components()
                            .all(|c| matches!(c, Component::RootDir | Component::Normal(_))),
                        "{out:?}"
                    );
                    assert!(!out.contains(['\\', '%', '\0']), "{out:?}");
                }
                None => rejected += 1,
            }
        }
    }
    eprintln!("external traversal payloads: {accepted} accepted, {rejected} rejected");
    assert!(rejected > 20_000, "only {rejected} rejected");
}

// ---------------------------------------------------------------------------
// RootDir on a real filesystem

#[cfg(target_os = "linux")]
mod fs {
    use super::*;
    use arbitrary::Arbitrary;
    use secfuzz::path::{OpenError, RootDir, SafeRelPath};
    use std::collections::HashSet;
    use std::io::Read;
    use std::os::unix::fs::{symlink, MetadataExt};
    use std::path::PathBuf;

    fn rel(s: &str) -> SafeRelPath {
        confine(s, &Policy::default()).unwrap()
    }

    /// tmp/root and tmp/outside/{secret, dir/inner}.
    fn setup() -> (tempfile::TempDir, PathBuf, PathBuf) {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("root");
        let outside = tmp.path().join("outside");
        std::fs::create_dir_all(&root).unwrap();
        std::fs::create_dir_all(outside.join("dir")).unwrap();
        std::fs::write(outside.join("secret"), "secret").unwrap();
        std::fs::write(outside.join("x"), "x").unwrap();
        std::fs::write(outside.join("dir/inner"), "inner").unwrap();
        (tmp, root, outside)
    }

    fn read(mut f: std::fs::File) -> String {
        let mut s = String::new();
        f.read_to_string(&mut s).unwrap();
        s
    }

    #[test]
    fn symlinks_cannot_lead_outside() {
        let (_tmp, root, outside) = setup();
        std::fs::create_dir(root.join("d")).unwrap();
        std::fs::write(root.join("d/f"), "inside").unwrap();
        symlink(outside.join("secret"), root.join("abs")).unwrap();
        symlink("../outside/secret", root.join("rel")).unwrap();
        symlink("../../outside", root.join("d/up")).unwrap();
        symlink("f", root.join("d/same")).unwrap();
        symlink("d/same", root.join("chain")).unwrap();
        // Leaves the root for a moment and comes back: still refused.
        symlink("../root/d/f", root.join("out_and_back")).unwrap();
        symlink(root.join("d/f"), root.join("abs_inside")).unwrap();
        symlink("loop2", root.join("loop1")).unwrap();
        symlink("loop1", root.join("loop2")).unwrap();
        symlink("missing", root.join("dangling")).unwrap();
        symlink("/proc/self/root/etc/passwd", root.join("magic")).unwrap();
        let r = RootDir::open(&root).unwrap();

        assert_eq!(read(r.open_file(&rel("d/f")).unwrap()), "inside");
        assert_eq!(read(r.open_file(&rel("chain")).unwrap()), "inside");
        for p in [
            "abs",
            "rel",
            "d/up/secret",
            "d/up/dir/inner",
            "abs_inside",
            "magic",
        ] {
            let e = r.open_file(&rel(p)).unwrap_err();
            assert!(matches!(e, OpenError::EscapesRoot { .. }), "{p}: {e}");
        }
        assert!(matches!(
            r.open_file(&rel("loop1")).unwrap_err(),
            OpenError::SymlinkLoop { .. }
        ));
        assert!(matches!(
            r.open_file(&rel("dangling")).unwrap_err(),
            OpenError::NotFound { .. }
        ));
        assert!(matches!(
            r.open_file(&rel("nope")).unwrap_err(),
            OpenError::NotFound { .. }
        ));
        assert!(matches!(
            r.open_file(&rel("d/f/x")).unwrap_err(),
            OpenError::NotADirectory { .. }
        ));
        assert!(matches!(
            r.open_file(&rel("d")).unwrap_err(),
            OpenError::NotAFile { .. }
        ));
        let d = r.open_dir(&rel("d")).unwrap();
        assert_eq!(d.path(), root.join("d"));
        assert_eq!(read(d.open_file(&rel("same")).unwrap()), "inside");
        // `..` inside `d` is lexically refused; via a symlink the kernel refuses it.
        assert!(matches!(
            d.open_file(&rel("up/secret")).unwrap_err(),
            OpenError::EscapesRoot { .. }
        ));
        let top = r
            .open_dir(&confine("", &Policy::default().allow_empty(true)).unwrap())
            .unwrap();
        assert_eq!(read(top.open_file(&rel("d/f")).unwrap()), "inside");
        assert!(matches!(
            RootDir::open(root.join("d/f")).unwrap_err(),
            OpenError::NotADirectory { .. }
        ));
        assert!(matches!(
            RootDir::open(root.join("none")).unwrap_err(),
            OpenError::NotFound { .. }
        ));
    }

    #[test]
    fn a_fifo_is_not_a_file_and_does_not_block() {
        let (_tmp, root, _) = setup();
        let status = std::process::Command::new("mkfifo")
            .arg(root.join("fifo"))
            .status();
        if !status.is_ok_and(|s| s.success()) {
            eprintln!("note: mkfifo unavailable; skipping");
            return;
        }
        let r = RootDir::open(&root).unwrap();
        assert!(matches!(
            r.open_file(&rel("fifo")).unwrap_err(),
            OpenError::NotAFile { .. }
        ));
    }

    const NAMES: [&str; 4] = ["a", "b", "c", "d"];

    /// One entry of a generated tree.
    #[derive(Clone, Debug, Arbitrary)]
    struct Entry {
        /// Index into the directories made so far.
        parent: u8,
        name: u8,
        kind: Kind,
    }

    #[derive(Clone, Debug, Arbitrary)]
    enum Kind {
        File,
        Dir,
        Link(Link),
    }

    /// Where a symlink points.
    #[derive(Clone, Debug, Arbitrary)]
    enum Link {
        AbsOutsideFile,
        AbsOutsideDir,
        AbsEtcPasswd,
        /// Absolute, to an entry inside the root (still refused: absolute).
        AbsInside(u8),
        /// `../` enough times to reach the temp dir, plus `extra`, then `outside/…`.
        RelOutside {
            extra: u8,
            to_dir: bool,
        },
        /// Relative to an entry made earlier (chains through links).
        RelEntry(u8),
        /// Up one level.
        DotDot,
        Dot,
        /// A name in the same directory (loops, dangling).
        Sibling(u8),
    }

    #[derive(Clone, Debug, Arbitrary)]
    enum Tok {
        /// The path of an entry made earlier, relative to the root.
        Entry(u8),
        Name(u8),
        DotDot,
        Dot,
        Empty,
    }

    #[derive(Clone, Debug)]
    struct FsCase {
        entries: Vec<Entry>,
        paths: Vec<Vec<Tok>>,
    }

    /// By hand: derived `Vec`s continue with probability 1/2 per element,
    /// which makes random bytes describe almost empty trees.
    impl<'a> Arbitrary<'a> for FsCase {
        fn arbitrary(u: &mut arbitrary::Unstructured<'a>) -> arbitrary::Result<Self> {
            let n = u.int_in_range(0..=24)?;
            let entries = (0..n)
                .map(|_| Entry::arbitrary(u))
                .collect::<arbitrary::Result<_>>()?;
            let m = u.int_in_range(1..=16)?;
            let mut paths = Vec::with_capacity(m);
            for _ in 0..m {
                let k = u.int_in_range(1..=6)?;
                paths.push(
                    (0..k)
                        .map(|_| Tok::arbitrary(u))
                        .collect::<arbitrary::Result<_>>()?,
                );
            }
            Ok(FsCase { entries, paths })
        }
    }

    /// (dev, ino) of every regular file under `dir`, not following symlinks.
    fn files_under(dir: &Path, out: &mut HashSet<(u64, u64)>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            let md = std::fs::symlink_metadata(&p).unwrap();
            if md.is_dir() {
                files_under(&p, out);
            } else if md.is_file() {
                out.insert((md.dev(), md.ino()));
            }
        }
    }

    #[derive(Debug, PartialEq)]
    enum Lexical {
        /// No symlink on the way; a regular file with this (dev, ino).
        File(u64, u64),
        Dir,
        Missing,
        NotDir,
        /// The first symlink on the way is absolute.
        AbsoluteLink,
        /// The first symlink on the way is relative.
        RelativeLink,
    }

    /// Walk `rel` from `root` with lstat, stopping at the first symlink.
    fn walk(root: &Path, rel: &SafeRelPath) -> Lexical {
        let mut cur = root.to_path_buf();
        let n = rel.components().count();
        for (i, c) in rel.components().enumerate() {
            cur.push(c);
            let Ok(md) = std::fs::symlink_metadata(&cur) else {
                return Lexical::Missing;
            };
            if md.file_type().is_symlink() {
                let target = std::fs::read_link(&cur).unwrap();
                return if target.is_absolute() {
                    Lexical::AbsoluteLink
                } else {
                    Lexical::RelativeLink
                };
            }
            if i + 1 < n && !md.is_dir() {
                return Lexical::NotDir;
            }
            if i + 1 == n {
                return if md.is_dir() {
                    Lexical::Dir
                } else {
                    Lexical::File(md.dev(), md.ino())
                };
            }
        }
        Lexical::Dir
    }

    #[derive(Default, Debug)]
    struct Tally {
        entries: usize,
        paths: usize,
        opened: usize,
        opened_through_links: usize,
        escapes_refused: usize,
    }

    fn run_case(case: &FsCase, tally: &mut Tally) -> Result<(), TestCaseError> {
        let (tmp, root, outside) = setup();
        let mut dirs: Vec<PathBuf> = vec![root.clone()];
        let mut made: Vec<PathBuf> = Vec::new();
        for e in case.entries.iter().take(24) {
            let parent = dirs[usize::from(e.parent) % dirs.len()].clone();
            let path = parent.join(NAMES[usize::from(e.name) % NAMES.len()]);
            if std::fs::symlink_metadata(&path).is_ok() {
                continue;
            }
            let depth = path.strip_prefix(&root).unwrap().components().count() - 1;
            match &e.kind {
                Kind::File => std::fs::write(&path, path.display().to_string()).unwrap(),
                Kind::Dir => {
                    std::fs::create_dir(&path).unwrap();
                    dirs.push(path.clone());
                }
                Kind::Link(l) => {
                    let pick = |i: u8| made.get(usize::from(i) % made.len().max(1)).cloned();
                    let target: PathBuf = match l {
                        Link::AbsOutsideFile => outside.join("secret"),
                        Link::AbsOutsideDir => outside.join("dir"),
                        Link::AbsEtcPasswd => "/etc/passwd".into(),
                        Link::AbsInside(i) => pick(*i).unwrap_or_else(|| root.clone()),
                        Link::RelOutside { extra, to_dir } => {
                            let mut t = PathBuf::new();
                            for _ in 0..depth + 1 + usize::from(extra % 3) {
                                t.push("..");
                            }
                            t.join(if *to_dir { "outside/dir" } else { "outside/x" })
                        }
                        Link::RelEntry(i) => match pick(*i) {
                            Some(p) => {
                                let mut t = PathBuf::new();
                                for _ in 0..depth {
                                    t.push("..");
                                }
                                t.join(p.strip_prefix(&root).unwrap())
                            }
                            None => "..".into(),
                        },
                        Link::DotDot => "..".into(),
                        Link::Dot => ".".into(),
                        Link::Sibling(i) => NAMES[usize::from(*i) % NAMES.len()].into(),
                    };
                    symlink(&target, &path).unwrap();
                }
            }
            made.push(path);
        }

        tally.entries += made.len();
        let mut outside_files = HashSet::new();
        files_under(&outside, &mut outside_files);
        for sys in ["/etc/passwd", "/etc/hostname", "/etc/hosts"] {
            if let Ok(md) = std::fs::metadata(sys) {
                outside_files.insert((md.dev(), md.ino()));
            }
        }
        let mut inside_files = HashSet::new();
        files_under(&root, &mut inside_files);
        prop_assert!(inside_files.is_disjoint(&outside_files));

        let r = RootDir::open(&root).unwrap();
        for toks in case.paths.iter().take(16) {
            let text = toks
                .iter()
                .map(|t| match t {
                    Tok::Entry(i) if !made.is_empty() => made[usize::from(*i) % made.len()]
                        .strip_prefix(&root)
                        .unwrap()
                        .to_str()
                        .unwrap(),
                    Tok::Entry(i) | Tok::Name(i) => NAMES[usize::from(*i) % NAMES.len()],
                    Tok::DotDot => "..",
                    Tok::Dot => ".",
                    Tok::Empty => "",
                })
                .collect::<Vec<_>>()
                .join("/");
            let Ok(p) = confine(&text, &Policy::default()) else {
                continue;
            };
            tally.paths += 1;
            let lexical = walk(&root, &p);
            let result = r.open_file(&p);
            if let Ok(f) = &result {
                let md = f.metadata().unwrap();
                let id = (md.dev(), md.ino());
                prop_assert!(
                    !outside_files.contains(&id),
                    "{text:?} opened a file outside the root"
                );
                prop_assert!(
                    inside_files.contains(&id),
                    "{text:?} opened an unknown file"
                );
                tally.opened += 1;
                if lexical == Lexical::RelativeLink {
                    tally.opened_through_links += 1;
                }
            }
            match lexical {
                Lexical::File(dev, ino) => {
                    let f = result.map_err(|e| TestCaseError::fail(format!("{text:?}: {e}")))?;
                    let md = f.metadata().unwrap();
                    prop_assert_eq!((md.dev(), md.ino()), (dev, ino), "{:?}", text);
                }
                Lexical::Dir => {
                    prop_assert!(
                        matches!(result, Err(OpenError::NotAFile { .. })),
                        "{text:?}"
                    );
                }
                Lexical::Missing => {
                    prop_assert!(
                        matches!(result, Err(OpenError::NotFound { .. })),
                        "{text:?}"
                    );
                }
                Lexical::NotDir => {
                    prop_assert!(
                        matches!(result, Err(OpenError::NotADirectory { .. })),
                        "{text:?}"
                    );
                }
                Lexical::AbsoluteLink => {
                    prop_assert!(
                        matches!(result, Err(OpenError::EscapesRoot { .. })),
                        "{text:?}: {result:?}"
                    );
                    tally.escapes_refused += 1;
                }
                Lexical::RelativeLink => {
                    if matches!(result, Err(OpenError::EscapesRoot { .. })) {
                        tally.escapes_refused += 1;
                    }
                }
            }
        }
        drop(tmp);
        Ok(())
    }

    /// Random trees of files, directories and symlinks (absolute, relative,
    /// escaping, chained, looping, dangling) under `root/`, with `outside/`
    /// next to it: a confined path opened beneath the root never yields a
    /// file outside it, and yields exactly the named file when no symlink is
    /// on the way.
    #[test]
    fn open_beneath_never_leaves_the_root() {
        let config = secfuzz::harness::proptest_config(1000, "proptest-regressions/path.txt");
        let cases = config.cases;
        let mut runner = proptest::test_runner::TestRunner::new(config);
        let tally = std::cell::RefCell::new(Tally::default());
        let result = runner.run(&secfuzz::harness::inputs::<FsCase>(512), |case| {
            run_case(&case.value, &mut tally.borrow_mut())
        });
        if let Err(e) = result {
            panic!("{e}");
        }
        let tally = tally.into_inner();
        eprintln!("open_beneath: {tally:?}");
        if cases >= 200 {
            assert!(tally.opened > 0, "{tally:?}");
            assert!(tally.opened_through_links > 0, "{tally:?}");
            assert!(tally.escapes_refused > 0, "{tally:?}");
        }
    }
}
