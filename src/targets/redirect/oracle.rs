//! Oracles for the redirect guard, independent of its code: where a
//! browser goes with a `Location` is computed here from the raw text (the
//! WHATWG rules for relative references against an http(s) base: leading
//! and trailing C0 and spaces trimmed, tabs and newlines dropped, `\` read
//! as `/`, any run of slashes after `//` skipped, the scheme compared
//! without case) with the url oracle's own host parse, and the allowed
//! origins are read from the policy's text with the same splitter — never
//! through [`RedirectPolicy`] or
//! [`Url::join`](::url::Url::join).

use ::url::Url;

use crate::engine::contract::{Invariant, Violation};
use crate::url::oracle::{own_authority, own_host, OwnHost};
use crate::url::{RedirectError, RedirectPolicy};

/// `redirect.no_panic`.
pub const NO_PANIC: &str = "redirect.no_panic";
/// `redirect.origin`.
pub const ORIGIN: &str = "redirect.origin";
/// `redirect.agreement`.
pub const AGREEMENT: &str = "redirect.agreement";
/// `redirect.userinfo`.
pub const USERINFO: &str = "redirect.userinfo";

/// Every invariant the redirect oracles check.
pub const INVARIANTS: &[Invariant] = &[
    Invariant {
        id: NO_PANIC,
        description: "checking a location never panics",
    },
    Invariant {
        id: ORIGIN,
        description: "an accepted location lands on an allowed origin (scheme, host, port), both as a browser resolves the raw text against the base and as its returned absolute form says",
    },
    Invariant {
        id: AGREEMENT,
        description: "the returned Location is an absolute http(s) URL that re-parses to itself",
    },
    Invariant {
        id: USERINFO,
        description: "the returned Location carries no userinfo",
    },
];

/// The redirect policy as text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Spec {
    /// The base URL.
    pub base: String,
    /// Extra allowed origins.
    pub origins: Vec<String>,
}

impl Spec {
    /// The policy this spec describes.
    ///
    /// # Errors
    ///
    /// What [`RedirectPolicy::with_origins`] says.
    pub fn build(&self) -> Result<RedirectPolicy, crate::url::PolicyError> {
        RedirectPolicy::with_origins(&self.base, self.origins.iter().map(String::as_str))
    }
}

/// An origin: scheme, host, port.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Origin {
    /// Lowercase scheme.
    pub scheme: String,
    /// Host.
    pub host: OwnHost,
    /// Effective port.
    pub port: u16,
}

fn default_port(scheme: &str) -> u16 {
    if scheme == "http" {
        80
    } else {
        443
    }
}

/// The origin of an absolute http(s) URL text, by the independent splitter.
pub fn origin_of(text: &str) -> Option<Origin> {
    let a = own_authority(text)?;
    let port = match text_port(text) {
        Some(p) => p?,
        None => default_port(&a.scheme),
    };
    Some(Origin {
        port,
        scheme: a.scheme,
        host: a.host,
    })
}

/// The port written in an absolute URL: `None` if none is written,
/// `Some(None)` if it is not a number.
fn text_port(text: &str) -> Option<Option<u16>> {
    let (_, rest) = text.split_once(':')?;
    let rest = rest.trim_start_matches(['/', '\\']);
    let end = rest.find(['/', '\\', '?', '#']).unwrap_or(rest.len());
    let auth = &rest[..end];
    let hostport = auth.rsplit_once('@').map_or(auth, |(_, h)| h);
    let after = match hostport.rfind(']') {
        Some(i) => &hostport[i + 1..],
        None => hostport,
    };
    let p = after.split_once(':')?.1;
    if p.is_empty() {
        return None;
    }
    Some(p.parse::<u16>().ok())
}

/// Where a browser goes with `location` against `base`: `Ok(None)` for the
/// base's own origin, `Ok(Some(origin))` elsewhere, `Err(scheme)` for a
/// scheme that is not http(s).
pub fn browser_target(location: &str, base: &Origin) -> Result<Option<Origin>, String> {
    let trimmed = location.trim_matches(|c: char| c <= ' ');
    let s: String = trimmed.chars().filter(|c| !"\t\n\r".contains(*c)).collect();
    let s = s.replace('\\', "/");
    let scheme_end = s.find(':').filter(|&i| {
        let sch = &s[..i];
        sch.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
            && sch
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    });
    let (scheme, rest) = match scheme_end {
        Some(i) => (s[..i].to_ascii_lowercase(), &s[i + 1..]),
        None => (base.scheme.clone(), s.as_str()),
    };
    if scheme != "http" && scheme != "https" {
        return Err(scheme);
    }
    let authority_form = rest.starts_with("//") || (scheme_end.is_some() && scheme != base.scheme);
    if !authority_form {
        return Ok(None);
    }
    let text = format!("{scheme}://{}", rest.trim_start_matches('/'));
    Ok(origin_of(&text))
}

/// Judge what [`RedirectPolicy::check`] did with `location` under `spec`.
pub fn judge(
    location: &str,
    spec: &Spec,
    result: &Result<Url, RedirectError>,
) -> Result<(), Violation> {
    let Ok(url) = result else { return Ok(()) };
    let fail = |inv: &'static str, why: String| {
        Err(Violation::new(
            inv,
            format!("{why} (location {location:?}, returned {})", url.as_str()),
        ))
    };
    match Url::parse(url.as_str()) {
        Ok(again) if again == *url => {}
        _ => {
            return fail(
                AGREEMENT,
                "the returned Location does not re-parse to itself".into(),
            )
        }
    }
    let base = origin_of(&spec.base).expect("the spec's base has an origin");
    let mut allowed = vec![base.clone()];
    allowed.extend(spec.origins.iter().filter_map(|o| origin_of(o)));
    let Some(returned) = origin_of(url.as_str()) else {
        return fail(AGREEMENT, "the returned Location is not absolute".into());
    };
    if !allowed.contains(&returned) {
        return fail(ORIGIN, format!("it leads to {returned:?}"));
    }
    let userinfo = own_authority(url.as_str()).and_then(|a| a.userinfo);
    if userinfo.is_some_and(|u| !u.is_empty()) {
        return fail(USERINFO, "userinfo kept".into());
    }
    match browser_target(location, &base) {
        Err(scheme) => return fail(ORIGIN, format!("a browser runs it as {scheme:?}")),
        Ok(None) => {
            if returned != base {
                return fail(
                    ORIGIN,
                    "a browser stays on the base, the guard says otherwise".into(),
                );
            }
        }
        Ok(Some(o)) => {
            let decided = !matches!(o.host, OwnHost::Idn(_));
            if decided && !allowed.contains(&o) {
                return fail(ORIGIN, format!("a browser goes to {o:?}"));
            }
        }
    }
    Ok(())
}

/// [`RedirectPolicy::check`] with a panic turned into a [`NO_PANIC`]
/// violation.
pub fn check_guarded(
    policy: &RedirectPolicy,
    location: &str,
) -> Result<Result<Url, RedirectError>, Violation> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| policy.check(location)))
        .map_err(|_| Violation::new(NO_PANIC, format!("the guard panicked on {location:?}")))
}

/// The host of an origin text, by the url oracle's host parse (for tests).
pub fn host_of(text: &str) -> OwnHost {
    own_host(text)
}
