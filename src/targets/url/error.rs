//! The url target's errors: why the outbound guard refused a URL
//! ([`UrlError`]), why a policy did not build ([`PolicyError`]) and why the
//! redirect guard refused a `Location` ([`RedirectError`]).

use std::fmt;
use std::net::IpAddr;

/// Why [`OutboundPolicy`](super::OutboundPolicy) refused a URL or a
/// resolution.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum UrlError {
    /// The input is longer than [`MAX_URL_LEN`](super::MAX_URL_LEN) bytes.
    TooLong {
        /// Its length.
        len: usize,
        /// The cap.
        max: usize,
    },
    /// An ASCII control character, whitespace or a backslash: characters
    /// the WHATWG parser silently drops or rewrites, where other parsers
    /// disagree.
    ForbiddenCharacter {
        /// The character.
        ch: char,
        /// Its byte offset.
        at: usize,
    },
    /// The URL parser refused the input.
    Parse {
        /// The parser's message.
        reason: String,
    },
    /// The scheme is not one the policy allows.
    Scheme {
        /// The (lowercased) scheme.
        scheme: String,
    },
    /// The URL carries a user name or password.
    Userinfo,
    /// The URL has no host.
    NoHost,
    /// The port is not one the policy allows.
    Port {
        /// The effective port.
        port: u16,
    },
    /// The host is an address in a special-purpose range.
    SpecialAddress {
        /// The address as the URL names it.
        addr: IpAddr,
        /// The range's name (`"loopback"`, `"IPv4-mapped 10.0.0.0/8 private"`, …).
        range: String,
    },
    /// The host name is `localhost`, under `.localhost`, or a name the
    /// policy marks internal.
    InternalName {
        /// The host.
        host: String,
    },
    /// The host name ends with a dot or has an empty label.
    TrailingDot {
        /// The host.
        host: String,
    },
    /// The host name has a character outside letters, digits, `-` and `_`
    /// between its dots.
    HostCharacter {
        /// The host.
        host: String,
    },
    /// The host is on the policy's deny list.
    Denied {
        /// The host.
        host: String,
    },
    /// The policy has an allow list and the host is not on it.
    NotAllowed {
        /// The host.
        host: String,
    },
    /// The resolver failed.
    Resolve {
        /// The host.
        host: String,
        /// The resolver's message.
        reason: String,
    },
    /// The resolver returned no address.
    NoAddresses {
        /// The host.
        host: String,
    },
    /// The resolver returned more addresses than the guard checks.
    TooManyAddresses {
        /// The host.
        host: String,
        /// How many it returned.
        count: usize,
    },
    /// One of the resolved addresses is special-purpose (DNS rebinding,
    /// an internal name published in public DNS).
    ResolvedToSpecial {
        /// The host.
        host: String,
        /// The refused address.
        addr: IpAddr,
        /// The range's name.
        range: String,
    },
}

impl fmt::Display for UrlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UrlError::TooLong { len, max } => {
                write!(f, "URL of {len} bytes is longer than the {max}-byte cap")
            }
            UrlError::ForbiddenCharacter { ch, at } => write!(
                f,
                "forbidden character {ch:?} at byte {at} (controls, whitespace and backslashes are refused)"
            ),
            UrlError::Parse { reason } => write!(f, "not a URL: {reason}"),
            UrlError::Scheme { scheme } => write!(f, "scheme {scheme:?} is not allowed"),
            UrlError::Userinfo => f.write_str("URL carries a user name or password"),
            UrlError::NoHost => f.write_str("URL has no host"),
            UrlError::Port { port } => write!(f, "port {port} is not allowed"),
            UrlError::SpecialAddress { addr, range } => {
                write!(f, "address {addr} is special-purpose ({range})")
            }
            UrlError::InternalName { host } => write!(f, "host {host:?} is an internal name"),
            UrlError::TrailingDot { host } => {
                write!(f, "host {host:?} ends with a dot or has an empty label")
            }
            UrlError::HostCharacter { host } => {
                write!(f, "host {host:?} has a character outside [a-z0-9-_.]")
            }
            UrlError::Denied { host } => write!(f, "host {host:?} is denied by the policy"),
            UrlError::NotAllowed { host } => {
                write!(f, "host {host:?} is not on the policy's allow list")
            }
            UrlError::Resolve { host, reason } => {
                write!(f, "resolving {host:?} failed: {reason}")
            }
            UrlError::NoAddresses { host } => write!(f, "{host:?} resolved to no address"),
            UrlError::TooManyAddresses { host, count } => {
                write!(f, "{host:?} resolved to {count} addresses, more than the guard checks")
            }
            UrlError::ResolvedToSpecial { host, addr, range } => write!(
                f,
                "{host:?} resolved to {addr}, a special-purpose address ({range})"
            ),
        }
    }
}

impl std::error::Error for UrlError {}

/// Why an [`OutboundPolicy`](super::OutboundPolicy) or a
/// [`RedirectPolicy`](super::RedirectPolicy) did not build.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum PolicyError {
    /// A scheme the guard cannot judge (only `http`, `https`, `ws`, `wss`).
    Scheme {
        /// The scheme given.
        scheme: String,
    },
    /// A host pattern that is not a lowercase ASCII name.
    Host {
        /// The pattern given.
        pattern: String,
    },
    /// An origin that is not `scheme://host[:port]` with an http(s) scheme.
    Origin {
        /// The origin given.
        origin: String,
        /// Why.
        reason: String,
    },
    /// A redirect policy with no allowed origin.
    NoOrigin,
}

impl fmt::Display for PolicyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PolicyError::Scheme { scheme } => write!(
                f,
                "scheme {scheme:?} cannot be allowed (only http, https, ws, wss)"
            ),
            PolicyError::Host { pattern } => write!(
                f,
                "host pattern {pattern:?} is not a lowercase ASCII name (write IDNs as xn--)"
            ),
            PolicyError::Origin { origin, reason } => {
                write!(f, "origin {origin:?} is not usable: {reason}")
            }
            PolicyError::NoOrigin => f.write_str("a redirect policy needs at least one origin"),
        }
    }
}

impl std::error::Error for PolicyError {}

/// Why [`RedirectPolicy`](super::RedirectPolicy) refused a `Location`.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum RedirectError {
    /// The location is longer than [`MAX_URL_LEN`](super::MAX_URL_LEN) bytes.
    TooLong {
        /// Its length.
        len: usize,
        /// The cap.
        max: usize,
    },
    /// The location is empty.
    Empty,
    /// An ASCII control character or whitespace (browsers drop tabs and
    /// newlines anywhere, so `/\t/evil` is `//evil`).
    ControlCharacter {
        /// The character.
        ch: char,
        /// Its byte offset.
        at: usize,
    },
    /// A backslash (browsers read `\` as `/` in http(s) URLs, so `/\evil`
    /// is `//evil`).
    Backslash {
        /// Its byte offset.
        at: usize,
    },
    /// The location carries what a second reader would take for another
    /// URL (an encoded slash or control, a nested `//`, a scheme-like `:`
    /// in a relative location, a non-ASCII character).
    Smuggled {
        /// Its byte offset.
        at: usize,
        /// What it is.
        what: &'static str,
    },
    /// The location does not resolve against the base.
    Parse {
        /// The parser's message.
        reason: String,
    },
    /// The resolved location's scheme is not http or https.
    Scheme {
        /// The scheme.
        scheme: String,
    },
    /// The resolved location carries a user name or password.
    Userinfo,
    /// The resolved location leaves the allowed origins.
    Origin {
        /// The origin it resolves to.
        origin: String,
    },
}

impl fmt::Display for RedirectError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RedirectError::TooLong { len, max } => {
                write!(
                    f,
                    "location of {len} bytes is longer than the {max}-byte cap"
                )
            }
            RedirectError::Empty => f.write_str("empty location"),
            RedirectError::ControlCharacter { ch, at } => {
                write!(f, "control character or whitespace {ch:?} at byte {at}")
            }
            RedirectError::Backslash { at } => write!(f, "backslash at byte {at}"),
            RedirectError::Smuggled { at, what } => {
                write!(f, "{what} at byte {at} (another URL may hide there)")
            }
            RedirectError::Parse { reason } => write!(f, "location does not resolve: {reason}"),
            RedirectError::Scheme { scheme } => {
                write!(f, "location scheme {scheme:?} is not http(s)")
            }
            RedirectError::Userinfo => f.write_str("location carries a user name or password"),
            RedirectError::Origin { origin } => {
                write!(f, "location leaves the allowed origins (to {origin})")
            }
        }
    }
}

impl std::error::Error for RedirectError {}
