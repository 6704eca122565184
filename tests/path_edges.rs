//! Edge cases found by `cargo mutants` over `src/path/` that no other test
//! pinned down: reserved-name matching of fullwidth names right at the length
//! shortcut, the `COMn`/`LPTn` digit rule, and the `\??\` prefix guard.

use secfuzz::path::{confine, PathError, Policy, WindowsNames};

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
