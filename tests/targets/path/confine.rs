//! `confine`'s refusals, one table per rule, each refusal the typed error
//! that says why; and the edges of the Windows-name rules (fullwidth names
//! at the length shortcut, the `COMn`/`LPTn` digit rule, the `\\??\\` guard).

use secfuzz::path::{
    confine, confine_bytes, Backslash, DotDot, PathError, Percent, Policy, ShortNames, WindowsNames,
};

use std::path::Path;

use super::{def, err, err_with, ok, ok_with};

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
// Windows-name edges

fn refused(p: &str, policy: &Policy) -> PathError {
    confine(p, policy).expect_err(p)
}

#[test]
fn fullwidth_reserved_names_up_to_the_longest_are_refused() {
    // NFKC maps fullwidth letters to ASCII; `ＣＯＮＯＵＴ＄` is 7 × 3 = 21 bytes,
    // exactly the longest stem the shortcut in `is_reserved` lets through.
    for name in [
        "ＣＯＮＯＵＴ＄",
        "ＣＯＮＩＮ＄",
        "ＣＯＭ１",
        "ｌｐｔ９.txt",
        "ＮＵＬ",
    ] {
        let e = refused(name, &Policy::default());
        assert!(
            matches!(
                e,
                PathError::ReservedName { .. } | PathError::UnicodeLookalike { .. }
            ),
            "{name}: {e:?}"
        );
    }
    // NFKC compatibility forms for the reserved digit rule itself.
    let e = refused("ＣＯＭ１", &Policy::default());
    assert!(matches!(e, PathError::ReservedName { .. }), "{e:?}");
}

#[test]
fn only_com_and_lpt_followed_by_a_digit_are_reserved() {
    for ok in ["coma", "lpta", "abc1", "cam1", "com", "lpt"] {
        let p = confine(ok, &Policy::default()).unwrap_or_else(|e| panic!("{ok}: {e}"));
        assert_eq!(p.as_str(), ok);
    }
    for bad in ["com1", "LPT1", "Com9"] {
        assert!(
            matches!(
                refused(bad, &Policy::default()),
                PathError::ReservedName { .. }
            ),
            "{bad}"
        );
    }
}

#[test]
fn nt_namespace_prefix_needs_separators_on_both_sides() {
    let mut lax = Policy::default();
    lax.windows_names = WindowsNames::Allow;
    assert_eq!(refused("\\??\\C:\\x", &lax), PathError::DevicePath);
    assert_eq!(refused("/??/x", &lax), PathError::DevicePath);
    // A leading separator without the second one is just absolute.
    assert_eq!(refused("/??a", &lax), PathError::Absolute);
    // No leading separator: not a prefix at all.
    assert_eq!(confine("a??/b", &lax).unwrap().as_str(), "a??/b");
}

// ---------------------------------------------------------------------------
// Issue 10: inputs a later normalization step turns into traversal, device
// names or Windows-forbidden characters. Each table failed before the fix.

/// Every input is refused; `what` names the finding.
#[track_caller]
fn all_refused(what: &str, policy: &Policy, inputs: &[&str]) {
    for input in inputs {
        if let Ok(p) = confine(input, policy) {
            panic!("{what}: {input:?} accepted as {:?}", p.as_str());
        }
    }
}

#[test]
fn percent_lookalikes_composed_with_decoding_are_refused() {
    // Finding 1: NFKC then one percent-decode gives `../etc/passwd`.
    let inputs = [
        "\u{ff05}2e\u{ff05}2e/etc/passwd",   // FULLWIDTH PERCENT SIGN
        "\u{fe6a}2e\u{fe6a}2e/etc/passwd",   // SMALL PERCENT SIGN
        "%EF%BC%852e%EF%BC%852e/etc/passwd", // the fullwidth `%`, percent-encoded
        "a/\u{ff05}2f",
        "\u{066a}2e\u{066a}2e", // ARABIC PERCENT SIGN
    ];
    all_refused("finding 1", &def(), &inputs);
    all_refused(
        "finding 1",
        &def().percent(Percent::RefuseEscapes),
        &inputs[..2],
    );
    assert_eq!(
        err("\u{ff05}2e\u{ff05}2e/etc/passwd"),
        PathError::UnicodeLookalike {
            offset: 0,
            ch: '\u{ff05}',
            looks_like: '%'
        }
    );
    // An ASCII `%` whose hex digits are look-alikes or accented is an escape
    // once normalized, when escapes are refused.
    let strict = def().percent(Percent::RefuseEscapes);
    for input in ["%\u{ff12}e%\u{ff12}e/x", "%2\u{e9}", "a/%\u{1d7d0}f"] {
        assert!(
            matches!(err_with(input, &strict), PathError::PercentEscape { .. }),
            "{input:?}"
        );
    }
    assert_eq!(ok_with("100%/\u{e9}t\u{e9}", &strict), "100%/\u{e9}t\u{e9}");
}

#[test]
fn iis_u_escapes_are_refused_under_refuse_escapes() {
    // Finding 2.
    let strict = def().percent(Percent::RefuseEscapes);
    for (input, offset) in [
        ("%u002e%u002e/etc/passwd", 0),
        ("a/%U002E", 2),
        ("x%u2215y", 1),
        ("%\u{ff55}002e", 0), // fullwidth `u`
    ] {
        assert_eq!(
            err_with(input, &strict),
            PathError::PercentEscape { offset },
            "{input:?}"
        );
    }
    // Not an escape: too few hex digits.
    assert_eq!(ok_with("%u00/%uzzzz", &strict), "%u00/%uzzzz");
    // Decoding refuses them as malformed, as before.
    assert_eq!(err("%u002e"), PathError::MalformedEscape { offset: 0 });
}

#[test]
fn reserved_names_in_four_byte_letters_are_refused() {
    // Finding 3: the old byte-length shortcut assumed ≤ 3 bytes per letter.
    for name in [
        "\u{1d402}\u{1d40e}\u{1d40d}\u{1d40e}\u{1d414}\u{1d413}$", // 𝐂𝐎𝐍𝐎𝐔𝐓$
        "\u{1f132}\u{1f13e}\u{1f13d}\u{1f13e}\u{1f144}\u{1f143}$", // 🄲🄾🄽🄾🅄🅃$
        "\u{1d402}\u{1d40e}\u{1d40d}\u{1d408}\u{1d40d}\u{ff04}",   // 𝐂𝐎𝐍𝐈𝐍＄
        "\u{1d402}\u{1d40b}\u{1d40e}\u{1d402}\u{1d40a}\u{ff04}.txt", // 𝐂𝐋𝐎𝐂𝐊＄.txt
        "\u{1d40d}\u{1d414}\u{1d40b}",                             // 𝐍𝐔𝐋
        "\u{1d5a2}\u{1d5ae}\u{1d5ac}\u{1d7e3}.log",                // 𝖢𝖮𝖬𝟣.log
        "\u{24b8}\u{24c4}\u{24c3}",                                // ⒸⓄⓃ
        "\u{c7}ON",                                                // ÇON (accents stripped)
    ] {
        let e = err(&format!("d/{name}"));
        assert!(
            matches!(&e, PathError::ReservedName { offset: 2, component } if component == name),
            "{name}: {e:?}"
        );
    }
}

#[test]
fn unicode_spaces_count_as_spaces_for_windows_names() {
    // Finding 4: NBSP, U+2000–200A, U+202F, U+205F, U+3000 become ` ` under
    // NFKC, which Windows then strips.
    for sp in [
        '\u{a0}', '\u{2000}', '\u{2005}', '\u{200a}', '\u{202f}', '\u{205f}', '\u{3000}',
        '\u{1680}',
    ] {
        for input in [format!("CON{sp}"), format!("secret.txt{sp}")] {
            let e = err(&input);
            assert!(
                matches!(e, PathError::TrailingDotOrSpace { offset: 0, .. }),
                "{input:?}: {e:?}"
            );
        }
        let e = err(&format!("nul{sp}.txt"));
        assert!(matches!(e, PathError::ReservedName { .. }), "{e:?}");
    }
    // Inside a name, a Unicode space is a space: accepted.
    assert_eq!(ok("my\u{a0}file.txt"), "my\u{a0}file.txt");
    assert_eq!(ok("\u{65e5}\u{3000}\u{672c}"), "\u{65e5}\u{3000}\u{672c}");
}

#[test]
fn lookalikes_of_windows_forbidden_characters_are_refused() {
    // Finding 5 ("WorstFit"): NFKC or best fit turns them into `*?"<>|`.
    for (ch, looks_like) in [
        ('\u{ff0a}', '*'),
        ('\u{ff1f}', '?'),
        ('\u{ff02}', '"'),
        ('\u{ff1c}', '<'),
        ('\u{ff1e}', '>'),
        ('\u{ff5c}', '|'),
        ('\u{fe61}', '*'),
        ('\u{fe56}', '?'),
        ('\u{2217}', '*'),
        ('\u{201c}', '"'),
        ('\u{201d}', '"'),
        ('\u{02ba}', '"'),
        ('\u{2039}', '<'),
        ('\u{203a}', '>'),
        ('\u{2223}', '|'),
        ('\u{0294}', '?'),
    ] {
        assert_eq!(
            err(&format!("ab{ch}")),
            PathError::UnicodeLookalike {
                offset: 2,
                ch,
                looks_like
            },
            "U+{:04X}",
            ch as u32
        );
    }
    // Like the ASCII characters, they are accepted when Windows names are.
    let allow = def().windows_names(WindowsNames::Allow);
    assert_eq!(ok_with("a\u{ff0a}b", &allow), "a\u{ff0a}b");
}

#[test]
fn combining_marks_on_dots_are_refused() {
    // Finding 6: accent stripping turns `..\u{301}` into `..`.
    for input in [
        "..\u{301}/etc",
        ".\u{301}.\u{301}/x",
        "a/.\u{308}/b",
        "\u{301}/etc",
    ] {
        let e = err(input);
        assert!(
            matches!(
                e,
                PathError::DisguisedDotComponent { .. } | PathError::TrailingDotOrSpace { .. }
            ),
            "{input:?}: {e:?}"
        );
    }
    let allow = def().windows_names(WindowsNames::Allow);
    for input in [
        "..\u{301}/etc",
        "\u{3000}../x",
        ".. /x",
        " /etc",
        "\u{301}/x",
    ] {
        let e = err_with(input, &allow);
        assert!(
            matches!(e, PathError::DisguisedDotComponent { offset: 0, .. }),
            "{input:?}: {e:?}"
        );
    }
    // An accent on a letter stays fine.
    assert_eq!(ok("cafe\u{301}.txt"), "cafe\u{301}.txt");
}

#[test]
fn format_characters_and_line_separators_are_refused() {
    // Finding 6: general category Cf, not a hand list, and U+2028/2029.
    for ch in [
        '\u{1bca0}',
        '\u{1bca3}',
        '\u{0600}',
        '\u{0605}',
        '\u{06dd}',
        '\u{070f}',
        '\u{fff9}',
        '\u{fffb}',
        '\u{110bd}',
        '\u{13430}',
        '\u{e0041}',
    ] {
        assert_eq!(
            err(&format!("ab{ch}c")),
            PathError::InvisibleChar { offset: 2, ch },
            "U+{:04X}",
            ch as u32
        );
    }
    for ch in ['\u{2028}', '\u{2029}'] {
        assert_eq!(
            err(&format!("ab{ch}")),
            PathError::ControlChar { offset: 2, ch }
        );
    }
}

#[test]
fn dot_lookalikes_are_refused() {
    // Finding 6: visual look-alikes of `.`.
    for ch in [
        '\u{3002}', '\u{ff61}', '\u{a4f8}', '\u{2024}', '\u{fe52}', '\u{06d4}', '\u{2027}',
    ] {
        for input in [format!("{ch}{ch}/etc"), format!("a{ch}b")] {
            let e = err(&input);
            assert!(
                matches!(
                    e,
                    PathError::UnicodeLookalike {
                        looks_like: '.',
                        ..
                    }
                ),
                "{input:?}: {e:?}"
            );
        }
    }
    // Middle dots used inside words are refused only where a dot would act.
    for ch in ['\u{b7}', '\u{387}', '\u{30fb}', '\u{ff65}'] {
        let e = err(&format!("{ch}{ch}/etc"));
        assert!(
            matches!(e, PathError::TrailingDotOrSpace { .. }),
            "U+{:04X}: {e:?}",
            ch as u32
        );
        let allow = def().windows_names(WindowsNames::Allow);
        let e = err_with(&format!("{ch}{ch}/etc"), &allow);
        assert!(
            matches!(e, PathError::DisguisedDotComponent { .. }),
            "U+{:04X}: {e:?}",
            ch as u32
        );
    }
    assert_eq!(ok("col\u{b7}lecci\u{f3}.pdf"), "col\u{b7}lecci\u{f3}.pdf");
    assert_eq!(
        ok("\u{30b8}\u{30e7}\u{30f3}\u{30fb}\u{30b9}\u{30df}\u{30b9}.txt"),
        "\u{30b8}\u{30e7}\u{30f3}\u{30fb}\u{30b9}\u{30df}\u{30b9}.txt"
    );
}

#[test]
fn non_ascii_drive_letters_are_refused_under_every_policy() {
    // Finding 7.
    let allow = def().windows_names(WindowsNames::Allow);
    for (input, letter) in [
        ("\u{ff43}:foo", '\u{ff43}'),
        ("\u{24d2}:foo", '\u{24d2}'),
        ("x/../\u{1d402}:foo", '\u{1d402}'),
        ("\u{e7}:foo", '\u{e7}'),
        (" C:foo", 'C'),
        ("\u{3000}c:foo", 'c'),
    ] {
        for policy in [&def(), &allow] {
            let e = err_with(input, policy);
            assert!(
                matches!(e, PathError::DriveLetter { letter: l, .. } if l == letter),
                "{input:?}: {e:?}"
            );
        }
    }
}

#[test]
fn short_names_are_refused_with_windows_names() {
    // Finding 11: 8.3 aliases.
    for input in [
        "SECRET~1.TXT",
        "secret~1.txt",
        "PROGRA~1",
        "d/WEB~12.CON",
        "A~123456",
        "\u{ff33}\u{ff25}\u{ff23}~1.txt",
    ] {
        let e = err(input);
        assert!(matches!(e, PathError::ShortName { .. }), "{input:?}: {e:?}");
    }
    for input in [
        "notes~",
        "~draft.txt",
        "backup~2024.tar.gz",
        "report~1.docx",
        "longname~1.txt",
        "a~b1.txt",
        "x~1234567",
    ] {
        assert_eq!(ok(input), input);
    }
    let allow = def().short_names(ShortNames::Allow);
    assert_eq!(ok_with("SECRET~1.TXT", &allow), "SECRET~1.TXT");
    let posix = def().windows_names(WindowsNames::Allow);
    assert_eq!(ok_with("SECRET~1.TXT", &posix), "SECRET~1.TXT");
}

#[test]
fn realistic_names_are_still_accepted() {
    for input in [
        "r\u{e9}sum\u{e9}.pdf",
        "\u{65e5}\u{672c}\u{8a9e}/\u{30d5}\u{30a1}\u{30a4}\u{30eb}.txt",
        "my documents/q1 summary.pdf",
        "photos/\u{1f600}.png",
        "\u{1f4c1}/x.tar.gz",
        "archive.2024.05.tar.gz",
        "Stra\u{df}e/\u{c5}ngstr\u{f6}m.txt",
        "\u{43f}\u{440}\u{438}\u{432}\u{435}\u{442}.doc",
        "\u{5d0}\u{5d1}.txt",
        "\u{928}\u{92e}\u{938}\u{94d}\u{924}\u{947}",
        "it\u{2019}s.txt",
        ".ssh/id_rsa",
        "a.b/.c/..d",
    ] {
        assert_eq!(ok(input), input);
    }
}

/// Found by raw-bytes fuzzing (the bug benchmark's plain harness, no plant):
/// U+1AEF is a combining mark to the normalization tables but unassigned in
/// the general-category table `confine` folded with, so `..` + U+1AEF was
/// accepted and an accent-stripping step turned it into `..`.
#[test]
fn marks_known_to_either_unicode_table_are_stripped_before_the_dot_check() {
    for p in [
        "..\u{1AEF}/etc",
        "\u{1AEF}\u{5AF}\u{5BF}",
        "a/\u{1AEF}/b",
        ".\u{1AEF}.",
    ] {
        assert!(confine(p, &def()).is_err(), "{p:?} accepted");
    }
    assert_eq!(ok("caf\u{E9}\u{1AEF}.txt"), "caf\u{E9}\u{1AEF}.txt");
}
