//! [`OutboundPolicy`]: the outbound-request (SSRF) guard, its builder, the
//! [`Resolver`]s and the [`PinnedTarget`] a resolution returns.

use std::collections::BTreeMap;
use std::io;
use std::net::{IpAddr, SocketAddr, TcpStream, ToSocketAddrs};
use std::time::Duration;

use ::url::{Host, Url};

use super::error::{PolicyError, UrlError};
use super::{addr, plant};
use crate::plant::active;

/// Longest URL either guard reads, in bytes.
pub const MAX_URL_LEN: usize = 8192;
/// Most resolved addresses [`OutboundPolicy::resolve`] checks; a resolver
/// returning more is refused.
pub const MAX_ADDRESSES: usize = 64;
/// Name suffixes an [`OutboundPolicy`] marks internal unless the builder
/// clears them ([`OutboundPolicyBuilder::no_default_internal`]): each name
/// and every name under it is refused, like `localhost` and `*.localhost`.
pub const DEFAULT_INTERNAL_DOMAINS: &[&str] = &[
    "local",
    "internal",
    "localdomain",
    "home.arpa",
    "lan",
    "intranet",
    "corp",
    "invalid",
    "test",
];
/// The schemes a policy can allow: those whose hosts the WHATWG parser
/// parses as hosts (and whose defaults the guard knows).
pub const GUARDABLE_SCHEMES: &[&str] = &["http", "https", "ws", "wss"];

/// A host name pattern of an allow, deny or internal list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HostPattern {
    /// Exactly this name.
    Exact(String),
    /// This name and every name under it, at a dot boundary
    /// (`example.com` matches `a.example.com`, never `evilexample.com`).
    Domain(String),
}

impl HostPattern {
    /// Whether `host` (lowercase, as the parser serializes it) matches.
    pub fn matches(&self, host: &str) -> bool {
        match self {
            HostPattern::Exact(p) => host == p,
            HostPattern::Domain(p) => {
                if active(plant::SUFFIX_NOT_DOT_BOUNDED) {
                    return host.ends_with(p.as_str());
                }
                host == p
                    || host
                        .strip_suffix(p.as_str())
                        .is_some_and(|rest| rest.ends_with('.'))
            }
        }
    }
}

/// The outbound-request guard: which URLs a service may fetch on a user's
/// behalf, and which addresses it may then connect to.
///
/// Defaults ([`OutboundPolicy::default`], [`OutboundPolicy::builder`]):
/// scheme `https` only; the scheme's default port only; userinfo refused;
/// no allow list (any public name); every special-purpose address refused
/// (see [`special_address`](super::special_address)); `localhost`, `*.localhost` and
/// [`DEFAULT_INTERNAL_DOMAINS`] refused; names ending with a dot refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutboundPolicy {
    schemes: Vec<String>,
    ports: Vec<u16>,
    allow: Vec<HostPattern>,
    deny: Vec<HostPattern>,
    internal: Vec<HostPattern>,
    exceptions: Vec<IpAddr>,
}

impl Default for OutboundPolicy {
    fn default() -> Self {
        OutboundPolicyBuilder::default()
            .build()
            .expect("the default policy builds")
    }
}

/// Builder of an [`OutboundPolicy`]; starts from the documented defaults.
#[derive(Clone, Debug)]
pub struct OutboundPolicyBuilder {
    schemes: Vec<String>,
    ports: Vec<u16>,
    allow: Vec<HostPattern>,
    deny: Vec<HostPattern>,
    internal: Vec<HostPattern>,
    exceptions: Vec<IpAddr>,
}

impl Default for OutboundPolicyBuilder {
    fn default() -> Self {
        OutboundPolicyBuilder {
            schemes: vec!["https".into()],
            ports: Vec::new(),
            allow: Vec::new(),
            deny: Vec::new(),
            internal: DEFAULT_INTERNAL_DOMAINS
                .iter()
                .map(|d| HostPattern::Domain((*d).into()))
                .collect(),
            exceptions: Vec::new(),
        }
    }
}

impl OutboundPolicyBuilder {
    /// Also allow `scheme` (one of [`GUARDABLE_SCHEMES`]; checked by
    /// [`build`](Self::build)).
    pub fn scheme(mut self, scheme: &str) -> Self {
        self.schemes.push(scheme.to_ascii_lowercase());
        self
    }
    /// Allow only these schemes (replacing the default `https`).
    pub fn only_schemes<'a>(mut self, schemes: impl IntoIterator<Item = &'a str>) -> Self {
        self.schemes = schemes.into_iter().map(str::to_ascii_lowercase).collect();
        self
    }
    /// Also allow `port` (the scheme's default port is always allowed).
    pub fn port(mut self, port: u16) -> Self {
        self.ports.push(port);
        self
    }
    /// Allow exactly the name `host` (once any allow rule is given, every
    /// other host is refused).
    pub fn allow_host(mut self, host: &str) -> Self {
        self.allow.push(HostPattern::Exact(host.into()));
        self
    }
    /// Allow `domain` and every name under it (dot-bounded).
    pub fn allow_domain(mut self, domain: &str) -> Self {
        self.allow.push(HostPattern::Domain(domain.into()));
        self
    }
    /// Refuse exactly the name `host`.
    pub fn deny_host(mut self, host: &str) -> Self {
        self.deny.push(HostPattern::Exact(host.into()));
        self
    }
    /// Refuse `domain` and every name under it (dot-bounded).
    pub fn deny_domain(mut self, domain: &str) -> Self {
        self.deny.push(HostPattern::Domain(domain.into()));
        self
    }
    /// Mark `domain` and every name under it internal (refused like
    /// `localhost`).
    pub fn internal_domain(mut self, domain: &str) -> Self {
        self.internal.push(HostPattern::Domain(domain.into()));
        self
    }
    /// Drop [`DEFAULT_INTERNAL_DOMAINS`] (`localhost` and `*.localhost`
    /// stay refused).
    pub fn no_default_internal(mut self) -> Self {
        self.internal.clear();
        self
    }
    /// Let this one special-purpose address through, as a URL host or a
    /// resolved address (a test server on `127.0.0.1`, an internal service
    /// the caller means to reach). Nothing else in its range is allowed.
    pub fn allow_address(mut self, addr: IpAddr) -> Self {
        self.exceptions.push(addr);
        self
    }
    /// The policy.
    ///
    /// # Errors
    ///
    /// [`PolicyError::Scheme`] for a scheme outside [`GUARDABLE_SCHEMES`];
    /// [`PolicyError::Host`] for a pattern that is not a lowercase ASCII
    /// name without empty labels.
    pub fn build(self) -> Result<OutboundPolicy, PolicyError> {
        if let Some(s) = self
            .schemes
            .iter()
            .find(|s| !GUARDABLE_SCHEMES.contains(&s.as_str()))
        {
            return Err(PolicyError::Scheme { scheme: s.clone() });
        }
        for p in self.allow.iter().chain(&self.deny).chain(&self.internal) {
            let (HostPattern::Exact(name) | HostPattern::Domain(name)) = p;
            let ok = !name.is_empty()
                && name.split('.').all(|l| {
                    !l.is_empty()
                        && l.bytes().all(|b| {
                            b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_'
                        })
                });
            if !ok {
                return Err(PolicyError::Host {
                    pattern: name.clone(),
                });
            }
        }
        Ok(OutboundPolicy {
            schemes: self.schemes,
            ports: self.ports,
            allow: self.allow,
            deny: self.deny,
            internal: self.internal,
            exceptions: self.exceptions,
        })
    }
}

impl OutboundPolicy {
    /// A builder starting from the defaults.
    pub fn builder() -> OutboundPolicyBuilder {
        OutboundPolicyBuilder::default()
    }

    /// The allowed schemes.
    pub fn schemes(&self) -> &[String] {
        &self.schemes
    }
    /// The extra allowed ports.
    pub fn ports(&self) -> &[u16] {
        &self.ports
    }

    /// Check an untrusted URL: the size cap, characters other parsers read
    /// differently (controls, whitespace, `\`), the WHATWG parse, then
    /// [`check_url`](Self::check_url). Returns the parsed [`Url`]: the only
    /// form the caller may use from then on (never the original string,
    /// which another parser may read differently).
    ///
    /// # Errors
    ///
    /// The [`UrlError`] naming the first rule broken.
    pub fn check(&self, input: &str) -> Result<Url, UrlError> {
        if input.len() > MAX_URL_LEN {
            return Err(UrlError::TooLong {
                len: input.len(),
                max: MAX_URL_LEN,
            });
        }
        if let Some((at, ch)) = input
            .char_indices()
            .find(|&(_, c)| c <= ' ' || c == '\u{7f}' || c == '\\')
        {
            return Err(UrlError::ForbiddenCharacter { ch, at });
        }
        let url = Url::parse(input).map_err(|e| UrlError::Parse {
            reason: e.to_string(),
        })?;
        self.check_url(&url)?;
        Ok(url)
    }

    /// Check an already parsed URL: scheme, userinfo, port, host.
    ///
    /// # Errors
    ///
    /// The [`UrlError`] naming the first rule broken.
    pub fn check_url(&self, url: &Url) -> Result<(), UrlError> {
        if !self.schemes.iter().any(|s| s == url.scheme()) {
            return Err(UrlError::Scheme {
                scheme: url.scheme().into(),
            });
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(UrlError::Userinfo);
        }
        let host = url.host().ok_or(UrlError::NoHost)?;
        if let Some(port) = url.port() {
            if !self.ports.contains(&port) {
                return Err(UrlError::Port { port });
            }
        }
        match host {
            Host::Ipv4(a) => self.judge_addr(IpAddr::V4(a)),
            Host::Ipv6(a) => self.judge_addr(IpAddr::V6(a)),
            Host::Domain(d) => self.judge_name(d),
        }
        .map_err(|e| match e {
            Judged::Addr(addr, range) => UrlError::SpecialAddress { addr, range },
            Judged::Url(e) => e,
        })
    }

    fn judge_addr(&self, a: IpAddr) -> Result<(), Judged> {
        if !self.allow.is_empty() {
            return Err(Judged::Url(UrlError::NotAllowed {
                host: a.to_string(),
            }));
        }
        if self.exceptions.contains(&a) {
            return Ok(());
        }
        match addr::special(a) {
            Some(range) => Err(Judged::Addr(a, range)),
            None => Ok(()),
        }
    }

    fn judge_name(&self, host: &str) -> Result<(), Judged> {
        let err = |e: fn(String) -> UrlError| Err(Judged::Url(e(host.to_owned())));
        let name = if active(plant::TRAILING_DOT_STRIPPED) {
            host.strip_suffix('.').unwrap_or(host)
        } else {
            host
        };
        if name.is_empty() || name.split('.').any(str::is_empty) {
            return err(|host| UrlError::TrailingDot { host });
        }
        if !name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"-_.".contains(&b))
        {
            return err(|host| UrlError::HostCharacter { host });
        }
        let localhost = name == "localhost"
            || (!active(plant::LOCALHOST_EXACT_ONLY) && name.ends_with(".localhost"));
        if localhost || self.internal.iter().any(|p| p.matches(name)) {
            return err(|host| UrlError::InternalName { host });
        }
        if self.deny.iter().any(|p| p.matches(name)) {
            return err(|host| UrlError::Denied { host });
        }
        if !self.allow.is_empty() && !self.allow.iter().any(|p| p.matches(name)) {
            return err(|host| UrlError::NotAllowed { host });
        }
        Ok(())
    }

    /// Resolve a checked URL's host and check **every** address the
    /// resolver returns; the [`PinnedTarget`] holds the addresses to
    /// connect to, so a second lookup (DNS rebinding) cannot change them.
    /// An address host is its own resolution.
    ///
    /// # Errors
    ///
    /// [`check_url`](Self::check_url)'s errors; [`UrlError::Resolve`],
    /// [`UrlError::NoAddresses`], [`UrlError::TooManyAddresses`];
    /// [`UrlError::ResolvedToSpecial`] if any address is special-purpose.
    pub fn resolve(&self, url: &Url, resolver: &dyn Resolver) -> Result<PinnedTarget, UrlError> {
        self.check_url(url)?;
        let host = url.host().ok_or(UrlError::NoHost)?;
        let port = url.port_or_known_default().ok_or(UrlError::NoHost)?;
        let (name, addrs) = match host {
            Host::Ipv4(a) => (a.to_string(), vec![IpAddr::V4(a)]),
            Host::Ipv6(a) => (a.to_string(), vec![IpAddr::V6(a)]),
            Host::Domain(d) => {
                let addrs = resolver.resolve(d, port).map_err(|e| UrlError::Resolve {
                    host: d.into(),
                    reason: e.to_string(),
                })?;
                (d.to_owned(), addrs)
            }
        };
        if addrs.is_empty() {
            return Err(UrlError::NoAddresses { host: name });
        }
        if addrs.len() > MAX_ADDRESSES {
            return Err(UrlError::TooManyAddresses {
                host: name,
                count: addrs.len(),
            });
        }
        let mut pinned: Vec<SocketAddr> = Vec::with_capacity(addrs.len());
        for (i, a) in addrs.iter().enumerate() {
            let checked = i == 0 || !active(plant::FIRST_ADDRESS_ONLY);
            if checked && !self.exceptions.contains(a) {
                if let Some(range) = addr::special(*a) {
                    return Err(UrlError::ResolvedToSpecial {
                        host: name,
                        addr: *a,
                        range,
                    });
                }
            }
            let sa = SocketAddr::new(*a, port);
            if !pinned.contains(&sa) {
                pinned.push(sa);
            }
        }
        Ok(PinnedTarget {
            url: url.clone(),
            host: name,
            addrs: pinned,
        })
    }
}

enum Judged {
    Addr(IpAddr, String),
    Url(UrlError),
}

/// A checked URL with the checked addresses to connect to: connect only
/// to [`addrs`](Self::addrs) (or through [`connect`](Self::connect)),
/// send [`host`](Self::host) as the `Host` header / TLS server name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PinnedTarget {
    url: Url,
    host: String,
    addrs: Vec<SocketAddr>,
}

impl PinnedTarget {
    /// The checked URL.
    pub fn url(&self) -> &Url {
        &self.url
    }
    /// The host name (or address) for the `Host` header and TLS SNI.
    pub fn host(&self) -> &str {
        &self.host
    }
    /// The checked addresses with the effective port, in resolver order.
    pub fn addrs(&self) -> &[SocketAddr] {
        &self.addrs
    }
    /// Connect to the first pinned address that answers.
    ///
    /// # Errors
    ///
    /// The last connection error.
    pub fn connect(&self, timeout: Duration) -> io::Result<TcpStream> {
        let mut last = io::Error::new(io::ErrorKind::NotFound, "no pinned address");
        for a in &self.addrs {
            match TcpStream::connect_timeout(a, timeout) {
                Ok(s) => return Ok(s),
                Err(e) => last = e,
            }
        }
        Err(last)
    }
}

/// Turns a host name into addresses.
pub trait Resolver {
    /// Every address `host` resolves to (`port` for resolvers that want it).
    ///
    /// # Errors
    ///
    /// Whatever the lookup failed with.
    fn resolve(&self, host: &str, port: u16) -> io::Result<Vec<IpAddr>>;
}

/// The operating system's resolver (`getaddrinfo` through
/// [`ToSocketAddrs`]).
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemResolver;

impl Resolver for SystemResolver {
    fn resolve(&self, host: &str, port: u16) -> io::Result<Vec<IpAddr>> {
        Ok((host, port).to_socket_addrs()?.map(|a| a.ip()).collect())
    }
}

/// A fixed table of names and addresses: deterministic, for tests and
/// properties (a rebinding answer is just a table with a second address).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StaticResolver {
    table: BTreeMap<String, Vec<IpAddr>>,
}

impl StaticResolver {
    /// An empty table (every lookup fails).
    pub fn new() -> Self {
        Self::default()
    }
    /// The same table with `host` resolving to `addrs`.
    pub fn with(mut self, host: &str, addrs: impl IntoIterator<Item = IpAddr>) -> Self {
        self.table.insert(host.into(), addrs.into_iter().collect());
        self
    }
}

impl Resolver for StaticResolver {
    fn resolve(&self, host: &str, _port: u16) -> io::Result<Vec<IpAddr>> {
        self.table
            .get(host)
            .cloned()
            .ok_or_else(|| io::Error::new(io::ErrorKind::NotFound, format!("no entry for {host}")))
    }
}
