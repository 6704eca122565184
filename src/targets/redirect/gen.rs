//! Adversarial `Location` values: every prefix browsers read as leaving the
//! page's origin (`//`, `/\`, `\\`, `/\t/`, `\/`, `///`, `https:/`,
//! `https:`, other schemes in any case, encoded slashes), hosts that are
//! allowed origins and their near misses (prefixes, extensions, case,
//! Unicode look-alikes, labels before them and text glued to them),
//! userinfo and `@` confusion, ports, paths, queries and fragments that
//! look like URLs, and controls and whitespace slipped in anywhere.

use std::fmt;

use arbitrary::{Arbitrary, Unstructured};

use super::oracle::Spec;
use crate::url::gen::{edit_name, mostly, spell_v4, NameEdit, Noise, V4Pick, V4Spell};

/// The default base of `secfuzz check redirect`.
pub const DEFAULT_BASE: &str = "https://app.example.com";

/// Which policy a case runs under.
#[derive(Arbitrary, Clone, Copy, Debug, PartialEq, Eq)]
pub enum PolicyChoice {
    /// Same-origin with `https://app.example.com`.
    SameOrigin,
    /// Plus `https://accounts.example.com` and `https://cdn.example.net:8443`.
    WithOrigins,
    /// Same-origin with `http://app.example.com:8080/login/`.
    HttpBase,
}

impl PolicyChoice {
    /// The policy as text.
    pub fn spec(self) -> Spec {
        match self {
            PolicyChoice::SameOrigin => Spec {
                base: DEFAULT_BASE.into(),
                origins: vec![],
            },
            PolicyChoice::WithOrigins => Spec {
                base: DEFAULT_BASE.into(),
                origins: vec![
                    "https://accounts.example.com".into(),
                    "https://cdn.example.net:8443".into(),
                ],
            },
            PolicyChoice::HttpBase => Spec {
                base: "http://app.example.com:8080/login/".into(),
                origins: vec![],
            },
        }
    }
}

/// How the location starts.
#[allow(missing_docs)]
#[derive(Arbitrary, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Prefix {
    Path,
    SchemeRelative,
    SlashBackslash,
    Backslashes,
    SlashTabSlash,
    BackslashSlash,
    TripleSlash,
    Https,
    HttpsUpper,
    Http,
    HttpsOneSlash,
    HttpsNoSlash,
    HttpsBackslashes,
    Wss,
    Javascript,
    JavascriptMixed,
    Data,
    EncodedSlashes,
    EncodedBackslash,
    LeadingSpace,
    Relative,
    DotSlash,
    DotDot,
    Query,
    Fragment,
    SlashNewlineSlash,
}

const PREFIXES: &[(Prefix, &str)] = &[
    (Prefix::Path, "/"),
    (Prefix::SchemeRelative, "//"),
    (Prefix::SlashBackslash, "/\\"),
    (Prefix::Backslashes, "\\\\"),
    (Prefix::SlashTabSlash, "/\t/"),
    (Prefix::BackslashSlash, "\\/"),
    (Prefix::TripleSlash, "///"),
    (Prefix::Https, "https://"),
    (Prefix::HttpsUpper, "HTTPS://"),
    (Prefix::Http, "http://"),
    (Prefix::HttpsOneSlash, "https:/"),
    (Prefix::HttpsNoSlash, "https:"),
    (Prefix::HttpsBackslashes, "https:\\\\"),
    (Prefix::Wss, "wss://"),
    (Prefix::Javascript, "javascript:"),
    (Prefix::JavascriptMixed, "JaVaScRiPt:"),
    (Prefix::Data, "data:text/html,"),
    (Prefix::EncodedSlashes, "/%2f%2f"),
    (Prefix::EncodedBackslash, "/%5c"),
    (Prefix::LeadingSpace, " //"),
    (Prefix::Relative, ""),
    (Prefix::DotSlash, "./"),
    (Prefix::DotDot, "../"),
    (Prefix::Query, "?next=//"),
    (Prefix::Fragment, "#//"),
    (Prefix::SlashNewlineSlash, "/\n/"),
];

/// Hosts the policies allow.
pub const ALLOWED_HOSTS: &[&str] = &["app.example.com", "accounts.example.com", "cdn.example.net"];
/// Hosts they do not.
pub const OTHER_HOSTS: &[&str] = &[
    "evil.com",
    "example.com",
    "google.com",
    "example.net",
    "com",
];

/// The host part.
#[derive(Arbitrary, Clone, Debug, PartialEq, Eq)]
pub enum HostPlan {
    /// An allowed host, edited into a near miss.
    Allowed(u8, NameEdit),
    /// Another host, edited.
    Other(u8, NameEdit),
    /// An address.
    V4(V4Pick, V4Spell),
    /// No host.
    Empty,
    /// Raw text.
    Raw(String),
}

/// Userinfo and `@` confusion.
#[allow(missing_docs)]
#[derive(Arbitrary, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Userinfo {
    None,
    /// `app.example.com@` before the host.
    AllowedAsUser(u8),
    /// `user:pass@`.
    UserPass,
    /// After the host: a separator and an allowed host (`evil.com#@app.example.com`).
    Confusion(u8, u8),
}

const SEPS: &[&str] = &["@", "#@", "?@", "/@", ";@", "%40", ":@", "\\@", "%2f", "."];

/// The port.
#[allow(missing_docs)]
#[derive(Arbitrary, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Port {
    None,
    P443,
    P80,
    P8443,
    P8080,
    Empty,
}

/// What follows.
#[allow(missing_docs)]
#[derive(Arbitrary, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tail {
    None,
    Slash,
    Path,
    DotSegments,
    EncodedDots,
    QueryUrl,
    FragmentUrl,
    SemicolonDots,
}

const TAILS: &[&str] = &[
    "",
    "/",
    "/account",
    "/../..//evil.com",
    "/%2f%2e%2e",
    "?next=https://evil.com",
    "#https://evil.com",
    "/..;/",
];

/// A structured location (`Arbitrary` by hand: no userinfo, no port and no
/// noise are the likely choices, so each case varies a few parts).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LocationPlan {
    /// Prefix.
    pub prefix: Prefix,
    /// Userinfo.
    pub userinfo: Userinfo,
    /// Host.
    pub host: HostPlan,
    /// Port.
    pub port: Port,
    /// Tail.
    pub tail: Tail,
    /// Characters inserted at (position mod length).
    pub noise: Vec<(u8, Noise)>,
}

impl<'a> Arbitrary<'a> for LocationPlan {
    fn arbitrary(u: &mut Unstructured<'a>) -> arbitrary::Result<Self> {
        Ok(LocationPlan {
            prefix: u.arbitrary()?,
            userinfo: mostly(u, 3, 4, Userinfo::None)?,
            host: u.arbitrary()?,
            port: mostly(u, 2, 3, Port::None)?,
            tail: u.arbitrary()?,
            noise: mostly(u, 4, 5, Vec::new())?,
        })
    }
}

impl LocationPlan {
    /// The location text.
    pub fn render(&self) -> String {
        let prefix = PREFIXES
            .iter()
            .find(|(p, _)| *p == self.prefix)
            .map_or("", |(_, s)| s);
        let allowed = |i: u8| ALLOWED_HOSTS[usize::from(i) % ALLOWED_HOSTS.len()];
        let host = match &self.host {
            HostPlan::Allowed(i, e) => edit_name(allowed(*i), *e),
            HostPlan::Other(i, e) => {
                edit_name(OTHER_HOSTS[usize::from(*i) % OTHER_HOSTS.len()], *e)
            }
            HostPlan::V4(p, s) => spell_v4(p.addr(), *s),
            HostPlan::Empty => String::new(),
            HostPlan::Raw(s) => s.chars().take(64).collect(),
        };
        let (before, after) = match self.userinfo {
            Userinfo::None => (String::new(), String::new()),
            Userinfo::AllowedAsUser(i) => (format!("{}@", allowed(i)), String::new()),
            Userinfo::UserPass => ("user:pass@".into(), String::new()),
            Userinfo::Confusion(i, s) => (
                String::new(),
                format!("{}{}", SEPS[usize::from(s) % SEPS.len()], allowed(i)),
            ),
        };
        let port = match self.port {
            Port::None => "",
            Port::P443 => ":443",
            Port::P80 => ":80",
            Port::P8443 => ":8443",
            Port::P8080 => ":8080",
            Port::Empty => ":",
        };
        let tail = TAILS[self.tail as usize % TAILS.len()];
        let mut out = format!("{prefix}{before}{host}{after}{port}{tail}");
        for (pos, n) in self.noise.iter().take(4) {
            let idxs: Vec<usize> = out
                .char_indices()
                .map(|(i, _)| i)
                .chain([out.len()])
                .collect();
            let at = idxs[usize::from(*pos) % idxs.len()];
            out.insert(at, n.ch());
        }
        out
    }
}

/// A structured location or raw text.
#[derive(Arbitrary, Clone, Debug, PartialEq, Eq)]
pub enum LocationChoice {
    /// From the grammar.
    Plan(LocationPlan),
    /// Raw text.
    Raw(String),
}

/// One case: a policy and a location.
#[derive(Clone, PartialEq, Eq)]
pub struct RedirectInput {
    /// The policy.
    pub policy: PolicyChoice,
    /// The location.
    pub location: LocationChoice,
}

impl<'a> Arbitrary<'a> for RedirectInput {
    fn arbitrary(u: &mut Unstructured<'a>) -> arbitrary::Result<Self> {
        let policy = u.arbitrary()?;
        let location = if u.ratio(1, 16)? {
            LocationChoice::Raw(u.arbitrary()?)
        } else {
            LocationChoice::Plan(u.arbitrary()?)
        };
        Ok(RedirectInput { policy, location })
    }
}

impl RedirectInput {
    /// The location text.
    pub fn payload(&self) -> String {
        match &self.location {
            LocationChoice::Plan(p) => p.render(),
            LocationChoice::Raw(s) => s.clone(),
        }
    }
}

impl fmt::Debug for RedirectInput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedirectInput")
            .field("payload", &self.payload())
            .field("policy", &self.policy)
            .field("location", &self.location)
            .finish()
    }
}
