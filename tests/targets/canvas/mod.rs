//! The canvas target: the generic property, ammonia's published advisories
//! through the project's policy, the URL rules and their near misses, the
//! caps, the oracles catching each broken rule, and the real browser
//! (`browser.rs`).

mod browser;
mod preservation;

use secfuzz::canvas::{oracle, CanvasError, CanvasTarget, Level, Sanitizer, MAX_DEPTH};
use secfuzz::Target;

/// Every generated input holds every invariant, on the structured path and
/// on the raw-payload path of its rendered document.
#[test]
fn every_generated_input_holds_every_invariant() {
    secfuzz::harness::property::<CanvasTarget>(1000)
}

fn clean(level: Level, html: &str) -> String {
    let s = Sanitizer::new(level);
    let result = s.sanitize(html);
    oracle::judge(&s, html.as_bytes(), &result).unwrap_or_else(|v| panic!("{v}\n{html}"));
    result.unwrap_or_else(|e| panic!("{e}: {html}"))
}

/// Published ammonia advisories (SVG/MathML mutation XSS, `annotation-xml`,
/// SVG animation rewriting `href`, `noscript` re-parsing) and DOMPurify's
/// mutation-XSS shapes: through every level, no element or attribute that
/// could run script survives, and the oracles hold.
#[test]
fn published_advisories_stay_fixed_through_the_policy() {
    let cases = [
        // RUSTSEC-2021-0074 / mutation XSS through SVG and MathML raw text
        "<svg><style><img src=x onerror=alert(1)></style></svg>",
        "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
        "<math><mtext><table><mglyph><style><!--</style><img title=\"--&gt;&lt;/mglyph&gt;&lt;img&Tab;src=1&Tab;onerror=alert(1)&gt;\">",
        "<svg></p><style><a id=\"</style><img src=1 onerror=alert(1)>\">",
        "<form><math><mtext></form><form><mglyph><style></math><img src onerror=alert(1)>",
        // annotation-xml as an HTML integration point
        "<math><annotation-xml encoding=\"text/html\"><style><img src=x onerror=alert(1)></style></annotation-xml></math>",
        "<math><annotation-xml encoding=\"text/html\"><svg><style><img src=x onerror=alert(1)>",
        // SVG animation setting href
        "<svg><set attributeName=href to=javascript:alert(1) /><a><text>x</text></a></svg>",
        "<svg><animate attributeName=href values=javascript:alert(1) /><a><text>x</text></a></svg>",
        "<svg><a><set attributeName=xlink:href to=javascript:alert(1) /><text>x</text></a></svg>",
        // noscript re-parsing (parsed as raw text with scripting on)
        "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">",
        "<noscript><style></noscript><img src=x onerror=alert(1)>",
        // template, textarea, title, xmp contents
        "<template><img src=x onerror=alert(1)></template>",
        "<textarea></textarea><img src=x onerror=alert(1)>",
        "<textarea><img src=x onerror=alert(1)></textarea>",
        "<title><img src=x onerror=alert(1)></title>",
        "<xmp><img src=x onerror=alert(1)></xmp>",
    ];
    for level in Level::ALL {
        for html in cases {
            let out = clean(level, html);
            let lower = out.to_ascii_lowercase();
            if level == Level::Text {
                assert!(!out.contains('<'), "{html:?} -> {out:?}");
            }
            for needle in [
                "<img src=\"x\" onerror",
                "<svg",
                "<math",
                "<style",
                "<noscript",
                "href=\"javascript:",
            ] {
                assert!(!lower.contains(needle), "{level:?} {html:?} -> {out:?}");
            }
        }
    }
    // The escaped markup survives as text where the HTML parser made it
    // text: visible, harmless.
    let out = clean(
        Level::Markup,
        "<textarea><img src=x onerror=alert(1)></textarea>",
    );
    assert_eq!(
        out,
        "<textarea>&lt;img src=x onerror=alert(1)&gt;</textarea>"
    );
}

/// `javascript:` in every obfuscation browsers undo is removed; the near
/// misses browsers do not treat as a scheme are kept (harmless relative
/// URLs).
#[test]
fn obfuscated_schemes_are_removed_and_near_misses_kept() {
    let removed = [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        " javascript:alert(1)",
        "\u{1}\u{1f} javascript:alert(1)",
        "java\tscript:alert(1)",
        "java\nscript:alert(1)",
        "java\rscript:alert(1)",
        "javascript:alert(1)\u{1}",
        "&#106;avascript:alert(1)",
        "&#106avascript:alert(1)",
        "&#0000106;avascript:alert(1)",
        "&#x6A;avascript:alert(1)",
        "&#X6a;avascript:alert(1)",
        "javascript&colon;alert(1)",
        "java&Tab;script:alert(1)",
        "java&NewLine;script:alert(1)",
        "java&#9;script:alert(1)",
        "java&#x0A;script:alert(1)",
        "&#14;javascript:alert(1)",
        "vbscript:msgbox(1)",
        "data:text/html,<script>alert(1)</script>",
        "data:image/svg+xml,<svg onload=alert(1)>",
        "livescript:alert(1)",
        "file:///etc/passwd",
    ];
    for url in removed {
        for html in [
            format!("<a href=\"{url}\">x</a>"),
            format!("<form action=\"{url}\"></form>"),
        ] {
            let out = clean(Level::Markup, &html);
            assert!(
                !out.contains("href=") && !out.contains("action="),
                "{html:?} -> {out:?}"
            );
        }
    }
    let kept = [
        (
            "https://example.com/a?b=1&amp;c=2",
            "https://example.com/a?b=1&amp;c=2",
        ),
        ("HTTP://example.com", "HTTP://example.com"),
        ("mailto:a@example.com", "mailto:a@example.com"),
        ("#section", "#section"),
        ("../x.html", "../x.html"),
        // near misses: not schemes in a browser, so relative
        ("javascript\u{ff1a}alert(1)", "javascript\u{ff1a}alert(1)"),
        ("java\u{a0}script:alert(1)", "java&nbsp;script:alert(1)"),
    ];
    for (url, written) in kept {
        let out = clean(Level::Markup, &format!("<a href=\"{url}\">x</a>"));
        assert_eq!(
            out,
            format!("<a href=\"{written}\" rel=\"noopener noreferrer\">x</a>"),
            "{url:?}"
        );
    }
}

/// `data:` only for raster images on `img src`, every MIME near miss
/// refused.
#[test]
fn data_urls_only_for_raster_images() {
    for mime in [
        "image/png",
        "image/jpeg",
        "image/gif",
        "image/webp",
        "image/avif",
        "IMAGE/PNG",
        " image/png",
    ] {
        let html = format!("<img src=\"data:{mime};base64,iVBORw0KGgo=\">");
        assert!(clean(Level::Markup, &html).contains("src="), "{mime}");
        let link = format!("<a href=\"data:{mime};base64,iVBORw0KGgo=\">x</a>");
        assert!(!clean(Level::Markup, &link).contains("href="), "{mime}");
    }
    for mime in [
        "image/svg+xml",
        "image/pngx",
        "image/pn",
        "image/",
        "text/html",
        "image/x-icon",
        "",
    ] {
        let html = format!("<img src=\"data:{mime};base64,iVBORw0KGgo=\">");
        assert!(!clean(Level::Markup, &html).contains("src="), "{mime}");
    }
}

/// DOM clobbering: ids, names and id references are prefixed, once.
#[test]
fn ids_and_names_are_prefixed_once() {
    let out = clean(
        Level::Markup,
        "<form id=location name=cookie><label for=\"a b\">x</label><input name=domain id=user-content-y></form><td headers=h>",
    );
    assert_eq!(
        out,
        "<form id=\"user-content-location\" name=\"user-content-cookie\"><label for=\"user-content-a user-content-b\">x</label><input name=\"user-content-domain\" id=\"user-content-y\"></form>"
    );
}

/// Forms keep a safe shape: method get/post, no formaction, no image,
/// file or password inputs; links get rel.
#[test]
fn forms_and_links_keep_a_safe_shape() {
    let out = clean(
        Level::Markup,
        "<form action=https://x.example/s method=dialog target=_top><input type=image src=x><input type=password><input type=FILE><input type=Text><button formaction=https://x.example formtarget=_blank type=submit>go</button></form>",
    );
    assert_eq!(
        out,
        "<form action=\"https://x.example/s\"><input><input><input><input type=\"Text\"><button type=\"submit\">go</button></form>"
    );
    let out = clean(
        Level::Markup,
        "<a href=https://x.example rel=opener target=_blank>x</a>",
    );
    assert_eq!(
        out,
        "<a href=\"https://x.example\" rel=\"noopener noreferrer\">x</a>"
    );
}

/// The text level keeps text only.
#[test]
fn the_text_level_keeps_text_only() {
    let out = clean(Level::Text, "<h1>Title</h1><p>a <b>b</b> &amp; <a href=https://x>c</a></p><script>alert(1)</script><style>p{}</style>");
    assert_eq!(out, "Titlea b &amp; c");
    assert_eq!(
        clean(Level::Interactive, "<b>x</b>"),
        clean(Level::Markup, "<b>x</b>")
    );
}

/// Size and depth caps are typed errors, at their exact bounds.
#[test]
fn caps_are_typed_errors_at_their_bounds() {
    let s = Sanitizer::new(Level::Markup);
    let max = secfuzz::canvas::MAX_INPUT_LEN;
    assert!(s.sanitize(&"x".repeat(max)).is_ok());
    assert_eq!(
        s.sanitize(&"x".repeat(max + 1)),
        Err(CanvasError::TooLarge { len: max + 1, max })
    );
    assert!(matches!(
        s.sanitize_bytes(b"a\xffb"),
        Err(CanvasError::NotUtf8 { valid_up_to: 1 })
    ));
    let nested = |n: usize| format!("{}x", "<div>".repeat(n));
    assert!(s.sanitize(&nested(MAX_DEPTH)).is_ok());
    assert!(matches!(
        s.sanitize(&nested(MAX_DEPTH + 1)),
        Err(CanvasError::TooDeep { .. })
    ));
    // Foster parenting builds a tree that does not survive serialization:
    // cleaned again until stable, and the result is what a parser rebuilds.
    let out = s.sanitize("<table><p title=\"\"><form><a><a>").unwrap();
    assert_eq!(
        out,
        "<p title=\"\"></p><form></form><a rel=\"noopener noreferrer\"></a><a rel=\"noopener noreferrer\"></a><p></p><table></table>"
    );
    assert!(oracle::judge_stable(&out).is_ok());
    // Disallowed wrappers do not count: they are unwrapped.
    assert!(s
        .sanitize(&format!("{}x", "<span><svg>".repeat(MAX_DEPTH)))
        .is_ok());
    // 20,000 levels: no stack overflow anywhere (sanitizer or oracle).
    let deep = nested(20_000);
    let r = s.sanitize(&deep);
    assert!(matches!(r, Err(CanvasError::TooDeep { .. })));
    assert!(oracle::judge(&s, deep.as_bytes(), &r).is_ok());
    for e in [
        CanvasError::TooLarge { len: 2, max: 1 },
        CanvasError::NotUtf8 { valid_up_to: 0 },
        CanvasError::TooDeep { depth: 3, max: 2 },
    ] {
        assert!(!e.to_string().is_empty());
    }
}

/// The deny tables judge the text they are given, not the sanitizer: each
/// rule flags a hand-written output that breaks it.
#[test]
fn the_oracle_flags_each_broken_rule() {
    let tree = |level, html: &str| {
        oracle::judge_tree(level, html)
            .err()
            .map(|v| v.invariant.into_owned())
    };
    let m = Level::Markup;
    assert_eq!(
        tree(
            m,
            "<p id=\"user-content-a\">x</p><a href=\"https://x\" rel=\"noreferrer noopener\">y</a>"
        ),
        None
    );
    assert_eq!(
        tree(m, "<script>alert(1)</script>").as_deref(),
        Some(oracle::ELEMENTS)
    );
    assert_eq!(
        tree(m, "<p><iframe src=x></iframe></p>").as_deref(),
        Some(oracle::ELEMENTS)
    );
    assert_eq!(
        tree(m, "<svg><g></g></svg>").as_deref(),
        Some(oracle::ELEMENTS)
    );
    assert_eq!(
        tree(m, "<table><template><b>x</b></template></table>").as_deref(),
        Some(oracle::ELEMENTS)
    );
    assert_eq!(
        tree(m, "<b OnClick=x>x</b>").as_deref(),
        Some(oracle::HANDLERS)
    );
    assert_eq!(
        tree(
            m,
            "<a href=\" java\tscript:x\" rel=\"noopener noreferrer\">x</a>"
        )
        .as_deref(),
        Some(oracle::URLS)
    );
    assert_eq!(
        tree(m, "<img src=\"data:image/svg+xml,x\">").as_deref(),
        Some(oracle::URLS)
    );
    assert_eq!(tree(m, "<img src=\"data:image/png,x\">"), None);
    assert_eq!(
        tree(m, "<img srcset=\"a.png 1x, javascript:x 2x\">").as_deref(),
        Some(oracle::ATTRIBUTES)
    );
    assert_eq!(
        tree(m, "<div style=\"color:red\">x</div>").as_deref(),
        Some(oracle::STYLE)
    );
    assert_eq!(
        tree(m, "<form name=\"location\"></form>").as_deref(),
        Some(oracle::CLOBBER)
    );
    assert_eq!(
        tree(m, "<a href=\"https://x\">x</a>").as_deref(),
        Some(oracle::REL)
    );
    assert_eq!(
        tree(Level::Text, "<b>x</b>").as_deref(),
        Some(oracle::TEXT_ONLY)
    );
    assert_eq!(
        tree(m, &format!("{}x", "<b>".repeat(MAX_DEPTH + 1))).as_deref(),
        Some(oracle::BOUNDED)
    );
    // Mutation: text that re-parses into another tree.
    assert!(oracle::judge_stable("<p>a</p>").is_ok());
    assert_eq!(
        oracle::judge_stable("<p><div>x</div></p>")
            .unwrap_err()
            .invariant,
        oracle::STABLE
    );
    assert_eq!(
        oracle::judge_stable("<table><b>x</b></table>")
            .unwrap_err()
            .invariant,
        oracle::STABLE
    );
    // URL normalization, the oracle's own.
    assert_eq!(
        oracle::normalized_scheme(" \u{0}\tJaVa\nScript:x")
            .unwrap()
            .0,
        "javascript"
    );
    assert_eq!(oracle::normalized_scheme("java script:x"), None);
    assert_eq!(oracle::normalized_scheme("1http:x"), None);
}

/// `secfuzz check canvas` verdicts: accepted when unchanged, sanitized when
/// changed, rejected with a typed reason.
#[test]
fn checker_verdicts() {
    let default = CanvasTarget::checker(&secfuzz::options::Options::defaults(
        secfuzz::canvas::OPTIONS,
    ))
    .unwrap();
    assert_eq!(default.check(b"<p>hi</p>").unwrap().kind(), "accepted");
    let v = default.check(b"<img src=x onerror=alert(1)>").unwrap();
    assert_eq!(v.kind(), "sanitized");
    assert_eq!(v.output(), Some("<img src=\"x\">"));
    assert_eq!(default.check(b"\xff").unwrap().kind(), "rejected");
    let text =
        secfuzz::options::Options::parse_assignments(secfuzz::canvas::OPTIONS, ["level=text"])
            .unwrap();
    let v = CanvasTarget::checker(&text)
        .unwrap()
        .check(b"<p>hi</p>")
        .unwrap();
    assert_eq!(v.output(), Some("hi"));
}

/// `secfuzz check canvas PATH --input json-lines --json`, through the real
/// binary: one record per payload with its verdict and output, the level
/// option given as `--level`.
#[test]
fn the_cli_checks_json_lines() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("canvas.jsonl");
    std::fs::write(
        &file,
        "\"<p>ok</p>\"\n\"<a href=\\\"jav&#x09;ascript:alert(1)\\\">x</a>\"\n\"<b>bold</b>\"\n",
    )
    .unwrap();
    let run = |extra: &[&str]| -> Vec<serde_json::Value> {
        let out = assert_cmd::Command::cargo_bin("secfuzz")
            .unwrap()
            .args(["check", "canvas", "--input", "json-lines", "--json"])
            .args(extra)
            .arg(&file)
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        String::from_utf8(out)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    };
    let r = run(&[]);
    assert_eq!(r.len(), 3);
    assert_eq!(r[0]["verdict"], "accepted");
    assert_eq!(r[0]["output"], "<p>ok</p>");
    assert_eq!(r[1]["verdict"], "sanitized");
    assert_eq!(r[1]["output"], "<a rel=\"noopener noreferrer\">x</a>");
    let r = run(&["--level", "text"]);
    assert_eq!(r[2]["verdict"], "sanitized");
    assert_eq!(r[2]["output"], "bold");
}
