//! The redirect target: the generic property; the attacks and
//! their variants refused; same-origin paths and allowed origins resolved
//! to absolute URLs; every line of the open-redirect payload lists refused
//! with base `https://app.example.com` (except the same-origin paths named
//! below and in the README).

use secfuzz::redirect::oracle::{self, Spec};
use secfuzz::redirect::RedirectTarget;
use secfuzz::url::{RedirectError, RedirectPolicy};

/// Every generated input holds every invariant.
#[test]
fn every_generated_input_holds_every_invariant() {
    secfuzz::harness::property::<RedirectTarget>(1000)
}

const BASE: &str = "https://app.example.com";

fn policy() -> RedirectPolicy {
    RedirectPolicy::with_origins(BASE, ["https://accounts.example.com"]).unwrap()
}

fn spec() -> Spec {
    Spec {
        base: BASE.into(),
        origins: vec!["https://accounts.example.com".into()],
    }
}

#[test]
fn the_known_attacks_are_refused() {
    let p = policy();
    for loc in [
        "//evil.com",
        "//evil.com/",
        "///evil.com",
        "////evil.com",
        "/\\evil.com",
        "\\\\evil.com",
        "\\/evil.com",
        "/\t/evil.com",
        "/\n/evil.com",
        "/\r/evil.com",
        " //evil.com",
        "//evil.com\t",
        "https://evil.com",
        "HTTPS://evil.com",
        "http://evil.com",
        "https:evil.com",
        "/https://evil.com",
        "/%2f%2fevil.com",
        "/%5cevil.com",
        "/%09/evil.com",
        "/javascript:alert(1)",
        "/?next=//evil.com",
        "/\u{3031}evil.com",
        "http:evil.com",
        "http:/evil.com",
        "https:\\\\evil.com",
        "http://app.example.com",
        "https://app.example.com:8443/",
        "https://app.example.com.evil.com/",
        "https://app.example.com@evil.com/",
        "https://evil.com#@app.example.com",
        "https://evil.com?@app.example.com",
        "https://evilapp.example.com/",
        "https://app.example.co/",
        "https://pp.example.com/",
        "https://user@app.example.com/",
        "https://user:pass@app.example.com/",
        "https://accounts.example.com.evil.com/",
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        "jAvAsCrIpT:alert(1)",
        "javascript://app.example.com/%0aalert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "wss://app.example.com/",
        "ftp://app.example.com/",
        "//ａｐｐ.evil.com",
        "//evil。com",
        "//0x7f.1",
        "",
    ] {
        let r = p.check(loc);
        assert!(r.is_err(), "{loc:?} accepted as {r:?}");
        oracle::judge(loc, &spec(), &r).unwrap();
    }
}

#[test]
fn same_origin_paths_and_allowed_origins_resolve_to_absolute_urls() {
    let p = policy();
    for (loc, want) in [
        ("/", "https://app.example.com/"),
        (
            "/account?tab=1#x",
            "https://app.example.com/account?tab=1#x",
        ),
        ("account", "https://app.example.com/account"),
        ("?next=1", "https://app.example.com/?next=1"),
        ("/a/../../../b", "https://app.example.com/b"),
        ("/%2e%2e/b?x=%3D", "https://app.example.com/b?x=%3D"),
        ("https://APP.example.com:443/x", "https://app.example.com/x"),
        (
            "https://accounts.example.com/login",
            "https://accounts.example.com/login",
        ),
        ("//accounts.example.com/", "https://accounts.example.com/"),
    ] {
        let got = p.check(loc).unwrap_or_else(|e| panic!("{loc:?}: {e}"));
        assert_eq!(got.as_str(), want, "{loc:?}");
        oracle::judge(loc, &spec(), &Ok(got)).unwrap();
    }
}

#[test]
fn refusals_name_the_rule() {
    let p = policy();
    assert!(matches!(
        p.check("/\\evil.com"),
        Err(RedirectError::Backslash { at: 1 })
    ));
    assert!(matches!(
        p.check("/\t/evil.com"),
        Err(RedirectError::ControlCharacter { .. })
    ));
    assert!(matches!(
        p.check("javascript:alert(1)"),
        Err(RedirectError::Smuggled { at: 10, .. })
    ));
    assert!(matches!(
        p.check("/%2F%2Fevil.com"),
        Err(RedirectError::Smuggled { at: 1, .. })
    ));
    assert!(matches!(
        p.check("//evil.com"),
        Err(RedirectError::Origin { .. })
    ));
    assert!(matches!(
        p.check("https://u@app.example.com/"),
        Err(RedirectError::Userinfo)
    ));
    assert!(matches!(p.check(""), Err(RedirectError::Empty)));
    assert!(matches!(
        p.check(&"/".repeat(9000)),
        Err(RedirectError::TooLong { .. })
    ));
    assert!(RedirectPolicy::same_origin("javascript:x").is_err());
    assert!(RedirectPolicy::with_origins(BASE, ["https://a.example.com/path"]).is_err());
}

/// Lines of the payload lists that are same-origin paths on the base,
/// accepted on purpose (the README lists them): `/.example.com` resolves to
/// `https://app.example.com/.example.com`, a path a browser does not leave.
/// It attacks code that glues the location to a host string
/// (`https://app.example.com` + `.example.com`); `check` returns the
/// absolute URL, which is what goes into `Location`.
const SAME_ORIGIN_EXCEPTIONS: &[&str] = &["/.example.com"];

#[test]
fn every_line_of_the_open_redirect_payload_lists_is_refused() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/external/payloadsallthethings/open-redirect");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        panic!("{} is missing", dir.display());
    };
    let p = RedirectPolicy::same_origin(BASE).unwrap();
    let spec = Spec {
        base: BASE.into(),
        origins: vec![],
    };
    let (mut total, mut refused, mut accepted) = (0, 0, Vec::new());
    for e in entries {
        let path = e.unwrap().path();
        let bytes = std::fs::read(&path).unwrap();
        for line in String::from_utf8_lossy(&bytes).lines() {
            if line.is_empty() {
                continue;
            }
            total += 1;
            let r = p.check(line);
            oracle::judge(line, &spec, &r).unwrap_or_else(|v| panic!("{line:?}: {v}"));
            match r {
                Err(_) => refused += 1,
                Ok(u) => {
                    assert_eq!(u.origin().ascii_serialization(), BASE, "{line:?}");
                    accepted.push(line.to_owned());
                }
            }
        }
    }
    eprintln!(
        "open-redirect lists: {refused} of {total} lines refused; same-origin: {accepted:#?}"
    );
    let unexpected: Vec<_> = accepted
        .iter()
        .filter(|l| !SAME_ORIGIN_EXCEPTIONS.contains(&l.as_str()))
        .collect();
    assert!(unexpected.is_empty(), "accepted: {unexpected:#?}");
}

/// `secfuzz check redirect --json` with the `base` and `allow-origin`
/// options.
#[test]
fn check_redirect_json_takes_base_and_allowed_origins() {
    let run = |args: &[&str]| -> Vec<serde_json::Value> {
        let out = assert_cmd::Command::cargo_bin("secfuzz")
            .unwrap()
            .args(["check", "redirect", "-", "--json"])
            .args(args)
            .write_stdin("/account\n//evil.com\nhttps://accounts.example.com/x\n")
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
    let d = run(&[]);
    assert_eq!(d[0]["output"], "https://app.example.com/account");
    assert_eq!(d[1]["verdict"], "rejected");
    assert_eq!(d[2]["verdict"], "rejected");
    let o = run(&[
        "--base",
        "https://shop.example.org/cart/",
        "--allow-origin",
        "https://accounts.example.com",
    ]);
    assert_eq!(o[0]["output"], "https://shop.example.org/account");
    assert_eq!(o[2]["output"], "https://accounts.example.com/x");
    assert_eq!(o[1]["verdict"], "rejected");
}
