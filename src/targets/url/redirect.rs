//! [`RedirectPolicy`]: the open-redirect guard. A `Location` is resolved
//! against the base the way a browser resolves it (the WHATWG parser's
//! `join`), and the result must stay on an allowed origin.

use ::url::Url;

use super::error::{PolicyError, RedirectError};
use super::policy::MAX_URL_LEN;
use crate::plant::active;
use crate::targets::redirect::plant;

/// An allowed origin: scheme, host and effective port.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AllowedOrigin {
    scheme: String,
    host: String,
    port: u16,
}

impl AllowedOrigin {
    /// Parse `scheme://host[:port]` (http or https; a trailing `/` is
    /// allowed, nothing else after the authority).
    ///
    /// # Errors
    ///
    /// [`PolicyError::Origin`].
    pub fn parse(origin: &str) -> Result<Self, PolicyError> {
        let bad = |reason: &str| PolicyError::Origin {
            origin: origin.into(),
            reason: reason.into(),
        };
        let url = Url::parse(origin).map_err(|e| bad(&e.to_string()))?;
        if url.path() != "/" || url.query().is_some() || url.fragment().is_some() {
            return Err(bad("an origin has no path, query or fragment"));
        }
        Self::of(&url).map_err(|e| bad(&e))
    }

    fn of(url: &Url) -> Result<Self, String> {
        if !matches!(url.scheme(), "http" | "https") {
            return Err("the scheme is not http(s)".into());
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err("it carries userinfo".into());
        }
        let host = url.host_str().ok_or("it has no host")?;
        Ok(AllowedOrigin {
            scheme: url.scheme().into(),
            host: host.into(),
            port: url.port_or_known_default().ok_or("it has no port")?,
        })
    }

    /// `scheme://host:port`.
    pub fn serialize(&self) -> String {
        format!("{}://{}:{}", self.scheme, self.host, self.port)
    }

    fn admits(&self, url: &Url) -> bool {
        let host = url.host_str().unwrap_or("");
        let port = url.port_or_known_default();
        if active(plant::ORIGIN_HOST_ONLY) {
            return host == self.host;
        }
        let host_ok = if active(plant::HOST_PREFIX) {
            host.starts_with(self.host.as_str())
        } else if active(plant::HOST_SUFFIX_PLAIN) {
            host.ends_with(self.host.as_str())
        } else {
            host == self.host
        };
        url.scheme() == self.scheme && host_ok && port == Some(self.port)
    }
}

/// Where a user-supplied redirect target may lead: the base's own origin
/// (same-origin) and any origins added to it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RedirectPolicy {
    base: Url,
    origins: Vec<AllowedOrigin>,
}

impl RedirectPolicy {
    /// Same-origin redirects only: relative locations, and absolute ones on
    /// `base`'s origin.
    ///
    /// # Errors
    ///
    /// [`PolicyError::Origin`] if `base` is not an http(s) URL with a host
    /// and without userinfo.
    pub fn same_origin(base: &str) -> Result<Self, PolicyError> {
        let bad = |reason: String| PolicyError::Origin {
            origin: base.into(),
            reason,
        };
        let url = Url::parse(base).map_err(|e| bad(e.to_string()))?;
        let origin = AllowedOrigin::of(&url).map_err(bad)?;
        Ok(RedirectPolicy {
            base: url,
            origins: vec![origin],
        })
    }

    /// Redirects to `base`'s origin and to each of `origins`
    /// (`scheme://host[:port]`).
    ///
    /// # Errors
    ///
    /// As [`same_origin`](Self::same_origin), and [`PolicyError::Origin`]
    /// for an origin [`AllowedOrigin::parse`] refuses.
    pub fn with_origins<'a>(
        base: &str,
        origins: impl IntoIterator<Item = &'a str>,
    ) -> Result<Self, PolicyError> {
        let mut p = Self::same_origin(base)?;
        for o in origins {
            let o = AllowedOrigin::parse(o)?;
            if !p.origins.contains(&o) {
                p.origins.push(o);
            }
        }
        Ok(p)
    }

    /// The base locations are resolved against.
    pub fn base(&self) -> &Url {
        &self.base
    }
    /// The allowed origins (the base's first).
    pub fn origins(&self) -> &[AllowedOrigin] {
        &self.origins
    }

    /// Check a user-supplied location; returns the absolute URL to send as
    /// `Location`.
    ///
    /// Refused before resolution: empty or oversized locations, ASCII
    /// controls and whitespace (browsers drop tabs and newlines inside a
    /// URL, so `/\t/evil` means `//evil`), backslashes (browsers read
    /// `/\evil` as `//evil`). A path starting with a single `/` resolves
    /// on the base; anything else is resolved as a browser would and must
    /// land on an allowed origin, over http(s), without userinfo.
    ///
    /// # Errors
    ///
    /// The [`RedirectError`] naming the first rule broken.
    pub fn check(&self, location: &str) -> Result<Url, RedirectError> {
        if location.len() > MAX_URL_LEN {
            return Err(RedirectError::TooLong {
                len: location.len(),
                max: MAX_URL_LEN,
            });
        }
        if location.is_empty() {
            return Err(RedirectError::Empty);
        }
        if !active(plant::CONTROLS_ALLOWED) {
            if let Some((at, ch)) = location
                .char_indices()
                .find(|&(_, c)| c <= ' ' || c == '\u{7f}')
            {
                return Err(RedirectError::ControlCharacter { ch, at });
            }
        }
        if !active(plant::BACKSLASH_TRUSTED) {
            if let Some(at) = location.find('\\') {
                return Err(RedirectError::Backslash { at });
            }
        }
        if let Some((at, what)) = smuggled(location) {
            return Err(RedirectError::Smuggled { at, what });
        }
        let joined = self.base.join(location).map_err(|e| RedirectError::Parse {
            reason: e.to_string(),
        })?;
        // A path on the base's own origin: nothing more to check.
        if looks_like_path(location) {
            return Ok(joined);
        }
        if !matches!(joined.scheme(), "http" | "https") {
            return Err(RedirectError::Scheme {
                scheme: joined.scheme().into(),
            });
        }
        if (!joined.username().is_empty() || joined.password().is_some())
            && !active(plant::USERINFO_KEPT)
        {
            return Err(RedirectError::Userinfo);
        }
        if !self.origins.iter().any(|o| o.admits(&joined)) {
            return Err(RedirectError::Origin {
                origin: joined.origin().ascii_serialization(),
            });
        }
        Ok(joined)
    }
}

/// Where a location carries something a second reader (a server that
/// decodes once more, a later redirect hop, code that concatenates it to a
/// host) would take for another URL, and what: an encoded control, space,
/// `%`, `/`, `\`, `@` or `:`; `//` anywhere but at the start or after a
/// leading `http(s):`; a `:` in a location that is not an absolute http(s)
/// URL (`https:evil.com`, `/javascript:…`); any non-ASCII character (a
/// `Location` header is ASCII; non-ASCII arrives percent-encoded).
fn smuggled(location: &str) -> Option<(usize, &'static str)> {
    let bytes = location.as_bytes();
    if let Some(at) = location.find(|c: char| !c.is_ascii()) {
        return Some((at, "a non-ASCII character"));
    }
    for (at, w) in bytes.windows(3).enumerate() {
        if w[0] == b'%' {
            let hex = std::str::from_utf8(&w[1..]).ok();
            if let Some(v) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                if v <= 0x20 || v == 0x7f || b"%/\\@:".contains(&v) {
                    return Some((at, "an encoded control, space, %, /, \\, @ or :"));
                }
            }
        }
    }
    let lower = location.get(..8).unwrap_or(location).to_ascii_lowercase();
    let absolute = ["http://", "https://"]
        .iter()
        .find(|p| lower.starts_with(**p))
        .map(|p| p.len());
    let from = absolute.unwrap_or(1).min(location.len());
    if let Some(i) = location[from..].find("//") {
        return Some((from + i, "a // inside the location"));
    }
    if absolute.is_none() {
        let head_end = location.find(['?', '#']).unwrap_or(location.len());
        if let Some(at) = location[..head_end].find(':') {
            return Some((at, "a : outside an absolute http(s) URL"));
        }
    }
    None
}

/// Whether a location (already free of controls and backslashes) is a path
/// on the base: one leading `/`, not two.
fn looks_like_path(location: &str) -> bool {
    if active(plant::SLASH_FAST_PATH) {
        return location.starts_with('/');
    }
    if active(plant::NO_SCHEME_FAST_PATH) {
        return !location.contains("://");
    }
    location.starts_with('/') && !location.starts_with("//")
}
