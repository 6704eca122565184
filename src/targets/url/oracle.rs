//! Oracles for the outbound guard, independent of its code:
//!
//! * [`own_host`] is a host parse of this module's own, after the WHATWG
//!   URL Standard's host parser (its IPv4 number rules: `0x` hex, leading-`0`
//!   octal, 1 to 4 parts with the last filling the remaining bytes; the
//!   "ends in a number" rule; percent-decoding; NFKC and the three dot
//!   look-alikes for non-ASCII; IPv6 through `std`), used for
//!   [`PARSER_AGREEMENT`] together with re-parsing the returned URL from its
//!   serialization;
//! * [`ranges`] is a textual CIDR table parsed at startup, with the IPv4
//!   embeddings read from the address octets, for [`SPECIAL_ADDRESS`];
//! * [`Spec`] is the policy as plain data, read by [`NAME`] and [`SHAPE`]
//!   with string code of its own.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use ::url::{Host, Url};
use unicode_normalization::UnicodeNormalization;

use super::{OutboundPolicy, PinnedTarget, UrlError};
use crate::engine::contract::{Invariant, Violation};

/// `url.no_panic`.
pub const NO_PANIC: &str = "url.no_panic";
/// `url.parser_agreement`.
pub const PARSER_AGREEMENT: &str = "url.parser_agreement";
/// `url.special_address`.
pub const SPECIAL_ADDRESS: &str = "url.special_address";
/// `url.name`.
pub const NAME: &str = "url.name";
/// `url.shape`.
pub const SHAPE: &str = "url.shape";
/// `url.pinned`.
pub const PINNED: &str = "url.pinned";

/// Every invariant the url oracles check.
pub const INVARIANTS: &[Invariant] = &[
    Invariant {
        id: NO_PANIC,
        description: "checking and resolving never panic: every input is a URL or a typed error",
    },
    Invariant {
        id: PARSER_AGREEMENT,
        description: "the host judged is the host of the returned URL re-parsed from its serialization, and the host an independent WHATWG host parse of the input gives",
    },
    Invariant {
        id: SPECIAL_ADDRESS,
        description: "no accepted address host and no pinned address lies in a special-purpose range (IPv4, IPv6, or IPv4 embedded by mapping, NAT64, 6to4 or Teredo), except the policy's explicit exceptions",
    },
    Invariant {
        id: NAME,
        description: "an accepted host name is not localhost, under .localhost, internal or denied, has no empty label or trailing dot, and matches the allow list (exactly or at a dot boundary) when there is one",
    },
    Invariant {
        id: SHAPE,
        description: "an accepted URL has an allowed scheme, no userinfo, and the scheme's default port or an allowed one",
    },
    Invariant {
        id: PINNED,
        description: "a pinned target holds exactly the resolver's addresses (deduplicated) with the URL's effective port, and only after every one was checked",
    },
];

/// The policy as data, as the oracle reads it (never through
/// [`OutboundPolicy`]'s matching code).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Spec {
    /// Allowed schemes.
    pub schemes: Vec<&'static str>,
    /// Extra allowed ports.
    pub ports: Vec<u16>,
    /// Allow list: (name, whether names under it match too).
    pub allow: Vec<(&'static str, bool)>,
    /// Deny list, the same way.
    pub deny: Vec<(&'static str, bool)>,
    /// Internal domains (always with the names under them).
    pub internal: Vec<&'static str>,
    /// Addresses let through on purpose.
    pub exceptions: Vec<IpAddr>,
}

impl Default for Spec {
    /// The documented defaults, written out here again.
    fn default() -> Self {
        Spec {
            schemes: vec!["https"],
            ports: vec![],
            allow: vec![],
            deny: vec![],
            internal: vec![
                "local",
                "internal",
                "localdomain",
                "home.arpa",
                "lan",
                "intranet",
                "corp",
                "invalid",
                "test",
            ],
            exceptions: vec![],
        }
    }
}

impl Spec {
    /// The [`OutboundPolicy`] this spec describes.
    pub fn build(&self) -> OutboundPolicy {
        let mut b = OutboundPolicy::builder()
            .only_schemes(self.schemes.iter().copied())
            .no_default_internal();
        for p in &self.ports {
            b = b.port(*p);
        }
        for &(n, sub) in &self.allow {
            b = if sub {
                b.allow_domain(n)
            } else {
                b.allow_host(n)
            };
        }
        for &(n, sub) in &self.deny {
            b = if sub {
                b.deny_domain(n)
            } else {
                b.deny_host(n)
            };
        }
        for n in &self.internal {
            b = b.internal_domain(n);
        }
        for a in &self.exceptions {
            b = b.allow_address(*a);
        }
        b.build().expect("the spec's policy builds")
    }
}

/// [`OutboundPolicy::check`], with a panic turned into a [`NO_PANIC`]
/// violation.
pub fn check_guarded(
    policy: &OutboundPolicy,
    input: &str,
) -> Result<Result<Url, UrlError>, Violation> {
    guarded(|| policy.check(input))
}

/// Run `f`, a panic becoming a [`NO_PANIC`] violation.
pub fn guarded<R>(f: impl FnOnce() -> R) -> Result<R, Violation> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).map_err(|panic| {
        let what = panic
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        Violation::new(NO_PANIC, format!("the guard panicked: {what}"))
    })
}

/// Judge what [`OutboundPolicy::check`] did with `input` under `spec`.
pub fn judge_check(
    input: &str,
    spec: &Spec,
    result: &Result<Url, UrlError>,
) -> Result<(), Violation> {
    let Ok(url) = result else { return Ok(()) };
    let fail = |inv: &'static str, why: String| {
        Err(Violation::new(
            inv,
            format!("{why} (input {input:?}, accepted as {})", url.as_str()),
        ))
    };
    // (a) parser agreement.
    match Url::parse(url.as_str()) {
        Ok(again) if again == *url => {}
        Ok(again) => return fail(PARSER_AGREEMENT, format!("re-parsed as {}", again.as_str())),
        Err(e) => {
            return fail(
                PARSER_AGREEMENT,
                format!("its serialization does not re-parse: {e}"),
            )
        }
    }
    let judged = match url.host() {
        Some(Host::Ipv4(a)) => OwnHost::V4(a),
        Some(Host::Ipv6(a)) => OwnHost::V6(a),
        Some(Host::Domain(d)) => OwnHost::Name(d.to_owned()),
        None => return fail(SHAPE, "accepted without a host".into()),
    };
    let own = own_authority(input);
    let Some(own) = own else {
        return fail(
            PARSER_AGREEMENT,
            "no authority by the independent parse".into(),
        );
    };
    if !agrees(&own.host, &judged) {
        return fail(
            PARSER_AGREEMENT,
            format!(
                "the guard judged {judged:?}, an independent WHATWG parse gives {:?}",
                own.host
            ),
        );
    }
    // Shape.
    if !spec.schemes.contains(&own.scheme.as_str()) {
        return fail(SHAPE, format!("scheme {:?} is not allowed", own.scheme));
    }
    let ser = own_authority(url.as_str()).expect("a serialized URL has an authority");
    if ser.userinfo.as_deref().is_some_and(|u| !u.is_empty()) {
        return fail(SHAPE, "userinfo kept".into());
    }
    let default = match own.scheme.as_str() {
        "http" | "ws" => 80,
        _ => 443,
    };
    if let Some(p) = ser.port {
        if p != default && !spec.ports.contains(&p) {
            return fail(SHAPE, format!("port {p} is not allowed"));
        }
    }
    // (b) addresses and names.
    match &judged {
        OwnHost::V4(a) => judge_addr(IpAddr::V4(*a), spec).or_else(|e| fail(SPECIAL_ADDRESS, e))?,
        OwnHost::V6(a) => judge_addr(IpAddr::V6(*a), spec).or_else(|e| fail(SPECIAL_ADDRESS, e))?,
        OwnHost::Name(n) => {
            if let Some(e) = name_problem(n, spec) {
                return fail(NAME, e);
            }
        }
        _ => {}
    }
    if !spec.allow.is_empty() && !matches!(judged, OwnHost::Name(_)) {
        return fail(NAME, "an address host passed an allow list of names".into());
    }
    Ok(())
}

fn judge_addr(a: IpAddr, spec: &Spec) -> Result<(), String> {
    if spec.exceptions.contains(&a) {
        return Ok(());
    }
    match ranges::refused(a) {
        Some(why) => Err(format!("address {a} is {why}")),
        None => Ok(()),
    }
}

/// Why an accepted host name breaks the name rules, if it does.
pub fn name_problem(host: &str, spec: &Spec) -> Option<String> {
    let labels: Vec<&str> = host.split('.').collect();
    if labels.iter().any(|l| l.is_empty()) {
        return Some(format!("{host:?} has an empty label or a trailing dot"));
    }
    // `under(d)`: the host's labels end with d's labels.
    let under = |d: &str| {
        let dl: Vec<&str> = d.split('.').collect();
        labels.len() >= dl.len() && labels[labels.len() - dl.len()..] == dl[..]
    };
    if labels.last() == Some(&"localhost") {
        return Some(format!("{host:?} is localhost or under it"));
    }
    if let Some(d) = spec.internal.iter().find(|d| under(d)) {
        return Some(format!("{host:?} is under the internal domain {d:?}"));
    }
    let hit = |list: &[(&str, bool)]| {
        list.iter()
            .find(|(n, sub)| if *sub { under(n) } else { host == *n })
            .map(|(n, _)| (*n).to_owned())
    };
    if let Some(n) = hit(&spec.deny) {
        return Some(format!("{host:?} is denied by {n:?}"));
    }
    if !spec.allow.is_empty() && hit(&spec.allow).is_none() {
        return Some(format!("{host:?} matches no allow rule"));
    }
    None
}

/// Judge a pinned target (or a refusal) for `url` under `spec`, given what
/// the resolver answered.
pub fn judge_pinned(
    url: &Url,
    answers: Option<&[IpAddr]>,
    spec: &Spec,
    result: &Result<PinnedTarget, UrlError>,
) -> Result<(), Violation> {
    let Ok(t) = result else { return Ok(()) };
    let fail = |inv: &'static str, why: String| {
        Err(Violation::new(
            inv,
            format!("{why} (url {}, pinned {:?})", url.as_str(), t.addrs()),
        ))
    };
    let port = url.port_or_known_default().unwrap_or(0);
    let expected: Vec<IpAddr> = match (url.host(), answers) {
        (Some(Host::Ipv4(a)), _) => vec![IpAddr::V4(a)],
        (Some(Host::Ipv6(a)), _) => vec![IpAddr::V6(a)],
        (_, Some(ans)) => {
            let mut v: Vec<IpAddr> = Vec::new();
            for a in ans {
                if !v.contains(a) {
                    v.push(*a);
                }
            }
            v
        }
        _ => return fail(PINNED, "pinned without an answer".into()),
    };
    let got: Vec<IpAddr> = t.addrs().iter().map(|s| s.ip()).collect();
    if got != expected || t.addrs().iter().any(|s| s.port() != port) {
        return fail(PINNED, format!("expected {expected:?} on port {port}"));
    }
    for a in got {
        if let Err(e) = judge_addr(a, spec) {
            return fail(SPECIAL_ADDRESS, format!("pinned {e}"));
        }
    }
    Ok(())
}

/// A host as the independent parse reads it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OwnHost {
    /// An IPv4 address (by the WHATWG number rules).
    V4(Ipv4Addr),
    /// An IPv6 address.
    V6(Ipv6Addr),
    /// A domain, lowercase ASCII.
    Name(String),
    /// A domain with non-ASCII labels: `None` for a label that needs
    /// Punycode (compared with an `xn--` label).
    Idn(Vec<Option<String>>),
    /// The WHATWG host parser fails on it.
    Failure,
}

fn agrees(own: &OwnHost, judged: &OwnHost) -> bool {
    match (own, judged) {
        (OwnHost::Idn(labels), OwnHost::Name(n)) => {
            let theirs: Vec<&str> = n.split('.').collect();
            theirs.len() == labels.len()
                && labels.iter().zip(&theirs).all(|(mine, t)| match mine {
                    Some(m) => m == t,
                    None => t.starts_with("xn--"),
                })
        }
        _ => own == judged,
    }
}

/// An authority as the independent parse splits it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OwnAuthority {
    /// The scheme, lowercase.
    pub scheme: String,
    /// The text before the last `@`, if any.
    pub userinfo: Option<String>,
    /// The host.
    pub host: OwnHost,
    /// The port, when one is written and valid.
    pub port: Option<u16>,
}

/// Split a special-scheme URL without controls, whitespace or backslashes
/// into scheme, userinfo, host and port; `None` if it has no scheme.
pub fn own_authority(input: &str) -> Option<OwnAuthority> {
    let (scheme, rest) = input.split_once(':')?;
    let mut chars = scheme.chars();
    if !chars.next()?.is_ascii_alphabetic()
        || !chars.all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    {
        return None;
    }
    let scheme = scheme.to_ascii_lowercase();
    let rest = rest.trim_start_matches('/');
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..end];
    let (userinfo, hostport) = match authority.rfind('@') {
        Some(i) => (Some(authority[..i].to_owned()), &authority[i + 1..]),
        None => (None, authority),
    };
    let (host_text, port_text) = if hostport.starts_with('[') {
        match hostport.find(']') {
            Some(i) => (&hostport[..=i], hostport[i + 1..].strip_prefix(':')),
            None => (hostport, None),
        }
    } else {
        match hostport.find(':') {
            Some(i) => (&hostport[..i], Some(&hostport[i + 1..])),
            None => (hostport, None),
        }
    };
    let port = port_text.and_then(|p| p.parse::<u16>().ok());
    Some(OwnAuthority {
        scheme,
        userinfo,
        host: own_host(host_text),
        port,
    })
}

/// The WHATWG host parse of a special URL's host text, done here.
pub fn own_host(text: &str) -> OwnHost {
    if let Some(inner) = text.strip_prefix('[') {
        return match inner.strip_suffix(']').map(str::parse::<Ipv6Addr>) {
            Some(Ok(a)) => OwnHost::V6(a),
            _ => OwnHost::Failure,
        };
    }
    let Some(decoded) = percent_decode(text) else {
        return OwnHost::Failure;
    };
    let Ok(decoded) = String::from_utf8(decoded) else {
        return OwnHost::Failure;
    };
    let mapped: String = if decoded.is_ascii() {
        decoded.to_ascii_lowercase()
    } else {
        decoded
            .nfkc()
            .filter(|&c| !ignored(c))
            .map(|c| match c {
                '\u{3002}' | '\u{ff0e}' | '\u{ff61}' => '.',
                c => c,
            })
            .flat_map(char::to_lowercase)
            .collect::<String>()
            .nfkc()
            .collect()
    };
    if mapped.is_empty() {
        return OwnHost::Failure;
    }
    if !mapped.is_ascii() {
        if mapped.chars().any(|c| c.is_ascii() && forbidden(c)) {
            return OwnHost::Failure;
        }
        return OwnHost::Idn(
            mapped
                .split('.')
                .map(|l| l.is_ascii().then(|| l.to_owned()))
                .collect(),
        );
    }
    if mapped.chars().any(forbidden) {
        return OwnHost::Failure;
    }
    let mut parts: Vec<&str> = mapped.split('.').collect();
    if parts.len() > 1 && parts.last() == Some(&"") {
        parts.pop();
    }
    let last = parts.last().copied().unwrap_or("");
    let numeric = !last.is_empty()
        && (last.bytes().all(|b| b.is_ascii_digit())
            || last
                .strip_prefix("0x")
                .or_else(|| last.strip_prefix("0X"))
                .is_some_and(|h| h.bytes().all(|b| b.is_ascii_hexdigit())));
    if !numeric {
        return OwnHost::Name(mapped);
    }
    whatwg_ipv4(&parts).map_or(OwnHost::Failure, OwnHost::V4)
}

/// Characters UTS #46 maps to nothing (default ignorables in hosts).
fn ignored(c: char) -> bool {
    matches!(c, '\u{ad}' | '\u{34f}' | '\u{180b}'..='\u{180f}' | '\u{200b}' | '\u{2060}' | '\u{2064}' | '\u{fe00}'..='\u{fe0f}' | '\u{feff}' | '\u{1bca0}'..='\u{1bca3}')
}

fn forbidden(c: char) -> bool {
    c <= ' ' || "#%/:<>?@[\\]^|\u{7f}".contains(c)
}

fn percent_decode(s: &str) -> Option<Vec<u8>> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && i + 2 < b.len()
            && b[i + 1].is_ascii_hexdigit()
            && b[i + 2].is_ascii_hexdigit()
        {
            let h = |x: u8| (x as char).to_digit(16).unwrap_or(0) as u8;
            out.push(h(b[i + 1]) * 16 + h(b[i + 2]));
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    Some(out)
}

/// The WHATWG IPv4 parser over dot-separated parts (a trailing empty part
/// already dropped).
fn whatwg_ipv4(parts: &[&str]) -> Option<Ipv4Addr> {
    if parts.is_empty() || parts.len() > 4 {
        return None;
    }
    let mut nums: Vec<u64> = Vec::with_capacity(4);
    for p in parts {
        let (digits, radix) = if let Some(h) = p.strip_prefix("0x").or_else(|| p.strip_prefix("0X"))
        {
            (h, 16)
        } else if p.len() > 1 && p.starts_with('0') {
            (&p[1..], 8)
        } else {
            (*p, 10)
        };
        if p.is_empty() {
            return None;
        }
        let n = if digits.is_empty() {
            0
        } else {
            // Overlong numbers are out of range anyway: saturate.
            let mut n: u64 = 0;
            for c in digits.chars() {
                let d = u64::from(c.to_digit(radix)?);
                n = n.saturating_mul(radix as u64).saturating_add(d);
            }
            n
        };
        nums.push(n);
    }
    let (last, init) = nums.split_last()?;
    if init.iter().any(|&n| n > 255) {
        return None;
    }
    let room = 256u64.pow(5 - nums.len() as u32);
    if *last >= room {
        return None;
    }
    let mut v = *last;
    for (i, n) in init.iter().enumerate() {
        v += n << (8 * (3 - i));
    }
    Some(Ipv4Addr::from(v as u32))
}

/// The oracle's range table: a textual CIDR list parsed once, and the IPv4
/// embeddings read from an address's octets.
pub mod ranges {
    use std::net::{IpAddr, Ipv4Addr};
    use std::sync::OnceLock;

    /// Special-purpose ranges, one `CIDR name` a line (IANA special-purpose
    /// registries, multicast, class E, and every IPv6 block outside
    /// 2000::/3 — minus the embedding prefixes, read by [`EMBEDDINGS`]).
    pub const TABLE: &str = "
        0.0.0.0/8 this-network
        10.0.0.0/8 private
        100.64.0.0/10 shared-cgnat
        127.0.0.0/8 loopback
        169.254.0.0/16 link-local
        169.254.169.254/32 cloud-metadata
        172.16.0.0/12 private
        192.0.0.0/24 ietf-protocol-assignments
        192.0.2.0/24 test-net-1
        192.31.196.0/24 as112
        192.52.193.0/24 amt
        192.88.99.0/24 6to4-relay-anycast
        192.168.0.0/16 private
        192.175.48.0/24 as112-direct
        198.18.0.0/15 benchmarking
        198.51.100.0/24 test-net-2
        203.0.113.0/24 test-net-3
        224.0.0.0/4 multicast
        240.0.0.0/4 reserved
        255.255.255.255/32 limited-broadcast
        ::/128 unspecified
        ::1/128 loopback
        ::/96 ipv4-compatible
        ::ffff:0:0:0/96 ipv4-translated
        64:ff9b:1::/48 local-use-translation
        100::/64 discard-only
        100:0:0:1::/64 dummy-prefix
        2001:1::/32 ietf-protocol-assignments
        2001:2::/31 ietf-protocol-assignments
        2001:4::/30 ietf-protocol-assignments
        2001:8::/29 ietf-protocol-assignments
        2001:10::/28 ietf-protocol-assignments
        2001:20::/27 ietf-protocol-assignments
        2001:40::/26 ietf-protocol-assignments
        2001:80::/25 ietf-protocol-assignments
        2001:100::/24 ietf-protocol-assignments
        2001:db8::/32 documentation
        3fff::/20 documentation
        5f00::/16 srv6-sids
        fc00::/7 unique-local
        fd00:ec2::254/128 cloud-metadata
        fe80::/10 link-local
        fec0::/10 site-local
        ff00::/8 multicast
        0100::/8 reserved
        0200::/7 reserved
        0400::/6 reserved
        0800::/5 reserved
        1000::/4 reserved
        4000::/3 reserved
        6000::/3 reserved
        8000::/3 reserved
        a000::/3 reserved
        c000::/3 reserved
        e000::/4 reserved
        f000::/5 reserved
        f800::/6 reserved
        fe00::/9 reserved
    ";

    /// IPv6 prefixes that carry IPv4, read from the octets:
    /// `(prefix, kind)`. `0::/8` outside them is reserved.
    pub const EMBEDDINGS: &str = "
        ::ffff:0:0/96 mapped
        64:ff9b::/96 nat64
        2002::/16 6to4
        2001::/32 teredo
        ::/8 reserved-unless-embedding
    ";

    /// One parsed line: first and last address as 128-bit numbers (IPv4
    /// in its own space), name, whether IPv4.
    #[derive(Clone, Debug)]
    pub struct Range {
        /// The range as written.
        pub cidr: String,
        /// Its name.
        pub name: String,
        /// IPv4 or IPv6.
        pub v4: bool,
        /// First address.
        pub first: u128,
        /// Last address.
        pub last: u128,
    }

    fn parse(text: &str) -> Vec<Range> {
        text.lines()
            .filter_map(|l| {
                let mut w = l.split_whitespace();
                let cidr = w.next()?;
                let name = w.next().unwrap_or("");
                let (addr, len) = cidr.split_once('/').expect("CIDR");
                let len: u32 = len.parse().expect("prefix length");
                let (v4, base, bits) = match addr.parse::<IpAddr>().expect("address") {
                    IpAddr::V4(a) => (true, u128::from(u32::from(a)), 32),
                    IpAddr::V6(a) => (false, u128::from(a), 128),
                };
                let host_bits = bits - len;
                let size: u128 = if host_bits == 128 {
                    u128::MAX
                } else {
                    (1u128 << host_bits) - 1
                };
                Some(Range {
                    cidr: cidr.into(),
                    name: name.into(),
                    v4,
                    first: base,
                    last: base + size,
                })
            })
            .collect()
    }

    /// Every special-purpose range of [`TABLE`].
    pub fn all() -> &'static [Range] {
        static T: OnceLock<Vec<Range>> = OnceLock::new();
        T.get_or_init(|| parse(TABLE))
    }

    fn embeddings() -> &'static [Range] {
        static T: OnceLock<Vec<Range>> = OnceLock::new();
        T.get_or_init(|| parse(EMBEDDINGS))
    }

    fn hit(x: u128, v4: bool) -> Option<&'static Range> {
        all()
            .iter()
            .find(|r| r.v4 == v4 && r.first <= x && x <= r.last)
    }

    /// Why `a` must never be connected to, if so.
    pub fn refused(a: IpAddr) -> Option<String> {
        match a {
            IpAddr::V4(v4) => {
                hit(u128::from(u32::from(v4)), true).map(|r| format!("{} {}", r.name, r.cidr))
            }
            IpAddr::V6(v6) => {
                let x = u128::from(v6);
                let o = v6.octets();
                let v4 = |b: [u8; 4]| Ipv4Addr::new(b[0], b[1], b[2], b[3]);
                let inv = |b: [u8; 4]| v4([!b[0], !b[1], !b[2], !b[3]]);
                let kind = embeddings()
                    .iter()
                    .find(|r| r.first <= x && x <= r.last)
                    .map(|r| r.name.as_str());
                let carried: Vec<Ipv4Addr> = match kind {
                    Some("mapped" | "nat64") => vec![v4([o[12], o[13], o[14], o[15]])],
                    Some("6to4") => vec![v4([o[2], o[3], o[4], o[5]])],
                    Some("teredo") => vec![
                        v4([o[4], o[5], o[6], o[7]]),
                        inv([o[12], o[13], o[14], o[15]]),
                    ],
                    Some(_) => {
                        return Some(hit(x, false).map_or("reserved ::/8".to_owned(), |r| {
                            format!("{} {}", r.name, r.cidr)
                        }))
                    }
                    None => vec![],
                };
                if let Some(k) = kind {
                    return carried.iter().find_map(|c| {
                        refused(IpAddr::V4(*c)).map(|why| format!("{k} of {c}: {why}"))
                    });
                }
                hit(x, false).map(|r| format!("{} {}", r.name, r.cidr))
            }
        }
    }
}
