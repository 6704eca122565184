//! Adversarial URLs: a grammar over every way to spell a host (IPv4 in
//! decimal, octal, hex, short forms, fullwidth, percent-encoded, with
//! ideographic dots; IPv6 compressed, full, with embedded dotted IPv4, zone
//! ids, without brackets; names with near misses of every allowed, denied
//! and internal name), userinfo and `@` confusion, backslashes, whitespace
//! and controls, ports, `#`/`?` placement. Addresses are picked at the
//! edges of every special-purpose range of the oracle's table (first, last,
//! one before, one after) and embedded in IPv6 every way the guard unwraps.
//!
//! [`UrlInput`] also carries the resolver's answer for a name host, so
//! properties exercise [`OutboundPolicy::resolve`](super::OutboundPolicy::resolve)
//! with rebinding answers (a public address first, a private one after).

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use arbitrary::{Arbitrary, Unstructured};

use super::oracle::{ranges, Spec};

/// Which policy a case runs under.
#[allow(missing_docs)]
#[derive(Arbitrary, Clone, Copy, Debug, PartialEq, Eq)]
pub enum PolicyChoice {
    /// The defaults.
    Default,
    /// `allow_host("api.example.com")`, `allow_domain("partner.example.net")`.
    AllowList,
    /// `deny_host("evil.example.com")`, `deny_domain("blocked.example.org")`,
    /// `internal_domain("corp.example.com")`.
    DenyList,
    /// http and https, ports 8080 and 8443.
    HttpPorts,
    /// http, with `10.1.2.3` and `fd00::1` let through as exceptions.
    Exceptions,
}

/// Names the policies mention (the near misses start from these).
pub const POLICY_NAMES: &[&str] = &[
    "api.example.com",
    "partner.example.net",
    "evil.example.com",
    "blocked.example.org",
    "corp.example.com",
    "localhost",
    "local",
    "internal",
    "home.arpa",
    "metadata.google.internal",
    "app.example.com",
];

/// Ordinary public names.
pub const PUBLIC_NAMES: &[&str] = &[
    "example.com",
    "www.example.org",
    "a.b.example.net",
    "xn--nxasmq6b.example",
    "xn--bcher-kva.example",
    "localhost.example.com",
    "example.localhost.com",
    "x",
];

impl PolicyChoice {
    /// The policy as data (what the oracle reads).
    pub fn spec(self) -> Spec {
        let mut s = Spec::default();
        match self {
            PolicyChoice::Default => {}
            PolicyChoice::AllowList => {
                s.allow = vec![("api.example.com", false), ("partner.example.net", true)];
            }
            PolicyChoice::DenyList => {
                s.deny = vec![("evil.example.com", false), ("blocked.example.org", true)];
                s.internal.push("corp.example.com");
            }
            PolicyChoice::HttpPorts => {
                s.schemes = vec!["http", "https"];
                s.ports = vec![8080, 8443];
            }
            PolicyChoice::Exceptions => {
                s.schemes = vec!["http", "https"];
                s.exceptions = vec![
                    IpAddr::V4(Ipv4Addr::new(10, 1, 2, 3)),
                    IpAddr::V6(Ipv6Addr::new(0xfd00, 0, 0, 0, 0, 0, 0, 1)),
                ];
            }
        }
        s
    }
}

/// Where in a range an address is picked.
#[allow(missing_docs)]
#[derive(Arbitrary, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Edge {
    First,
    Last,
    BeforeFirst,
    AfterLast,
    Middle,
    Second,
}

fn at_edge(first: u128, last: u128, edge: Edge, max: u128) -> u128 {
    match edge {
        Edge::First => first,
        Edge::Last => last,
        Edge::BeforeFirst => first.checked_sub(1).unwrap_or(max),
        Edge::AfterLast => {
            if last == max {
                0
            } else {
                last + 1
            }
        }
        Edge::Middle => first + (last - first) / 2,
        Edge::Second => first.saturating_add(1).min(last),
    }
}

/// Public IPv4 addresses (and ones just outside ranges).
const PUBLIC_V4: &[[u8; 4]] = &[
    [8, 8, 8, 8],
    [1, 1, 1, 1],
    [93, 184, 216, 34],
    [100, 63, 255, 255],
    [100, 128, 0, 0],
    [172, 15, 255, 255],
    [172, 32, 0, 0],
    [169, 253, 255, 255],
    [11, 0, 0, 0],
    [223, 255, 255, 255],
];

/// An IPv4 address.
#[derive(Arbitrary, Clone, Copy, Debug, PartialEq, Eq)]
pub enum V4Pick {
    /// At an edge of the n-th IPv4 range of the oracle's table.
    Edge(u8, Edge),
    /// A public address.
    Public(u8),
    /// Any address.
    Any(u32),
    /// The cloud metadata address.
    Metadata,
}

impl V4Pick {
    /// The address.
    pub fn addr(self) -> Ipv4Addr {
        match self {
            V4Pick::Edge(i, e) => {
                let v4: Vec<_> = ranges::all().iter().filter(|r| r.v4).collect();
                let r = v4[usize::from(i) % v4.len()];
                Ipv4Addr::from(at_edge(r.first, r.last, e, u128::from(u32::MAX)) as u32)
            }
            V4Pick::Public(i) => PUBLIC_V4[usize::from(i) % PUBLIC_V4.len()].into(),
            V4Pick::Any(x) => Ipv4Addr::from(x),
            V4Pick::Metadata => Ipv4Addr::new(169, 254, 169, 254),
        }
    }
}

/// An IPv6 address, directly or carrying an IPv4 one.
#[derive(Arbitrary, Clone, Copy, Debug, PartialEq, Eq)]
pub enum V6Pick {
    /// At an edge of the n-th IPv6 range of the oracle's table.
    Edge(u8, Edge),
    /// `::ffff:a.b.c.d`.
    Mapped(V4Pick),
    /// `::a.b.c.d`.
    Compatible(V4Pick),
    /// `::ffff:0:a.b.c.d`.
    Translated(V4Pick),
    /// `64:ff9b::a.b.c.d`.
    Nat64(V4Pick),
    /// `64:ff9b:1:xxxx::` with the IPv4 at bits 48–87 (RFC 6052 /48).
    Nat64Local(V4Pick),
    /// `2002:aabb:ccdd::…`.
    SixToFour(V4Pick, u16),
    /// Teredo: server, client (obfuscated), flags/port bits.
    Teredo(V4Pick, V4Pick, u32),
    /// `2001:4860:4860::8888` and friends.
    Public(u8),
    /// Any address.
    Any(u128),
    /// `fd00:ec2::254`.
    Metadata,
}

const PUBLIC_V6: &[u128] = &[
    0x2001_4860_4860_0000_0000_0000_0000_8888,
    0x2606_4700_4700_0000_0000_0000_0000_1111,
    0x2a00_1450_4001_0800_0000_0000_0000_200e,
    0x2001_0200_0000_0000_0000_0000_0000_0001,
    0x2001_0db7_ffff_ffff_ffff_ffff_ffff_ffff,
    0x2001_0db9_0000_0000_0000_0000_0000_0000,
];

impl V6Pick {
    /// The address.
    pub fn addr(self) -> Ipv6Addr {
        let v4 = |p: V4Pick| u128::from(u32::from(p.addr()));
        let x: u128 = match self {
            V6Pick::Edge(i, e) => {
                let v6: Vec<_> = ranges::all().iter().filter(|r| !r.v4).collect();
                let r = v6[usize::from(i) % v6.len()];
                at_edge(r.first, r.last, e, u128::MAX)
            }
            V6Pick::Mapped(p) => 0xffff_0000_0000 | v4(p),
            V6Pick::Compatible(p) => v4(p),
            V6Pick::Translated(p) => (0xffff << 64) | v4(p),
            V6Pick::Nat64(p) => (0x0064_ff9b << 96) | v4(p),
            V6Pick::Nat64Local(p) => {
                let a = v4(p);
                (0x0064_ff9b_0001 << 80) | ((a >> 8) << 56) | ((a & 0xff) << 48)
            }
            V6Pick::SixToFour(p, tail) => (0x2002 << 112) | (v4(p) << 80) | u128::from(tail),
            V6Pick::Teredo(s, c, bits) => {
                (0x2001_0000 << 96)
                    | (v4(s) << 64)
                    | (u128::from(bits) << 32)
                    | (!v4(c) & 0xffff_ffff)
            }
            V6Pick::Public(i) => PUBLIC_V6[usize::from(i) % PUBLIC_V6.len()],
            V6Pick::Any(x) => x,
            V6Pick::Metadata => 0xfd00_0ec2_0000_0000_0000_0000_0000_0254,
        };
        Ipv6Addr::from(x)
    }
}

/// How an IPv4 address is written.
#[allow(missing_docs)]
#[derive(Arbitrary, Clone, Copy, Debug, PartialEq, Eq)]
pub enum V4Spell {
    Dotted,
    /// One decimal number: `2130706433`.
    Decimal,
    /// One hex number: `0x7f000001` (`upper`: `0X7F000001`).
    Hex {
        upper: bool,
    },
    /// Every part in octal: `0177.0.0.01`.
    Octal,
    /// Every part in hex: `0x7f.0x0.0x0.0x1`.
    HexParts,
    /// Two bits per part choose decimal, octal, hex, zero-padded decimal.
    Mixed(u8),
    /// `a.b.cd` (last part 16 bits).
    Short3,
    /// `a.bcd` (last part 24 bits).
    Short2,
    /// `127.0.0.1.`
    TrailingDot,
    /// Fullwidth digits and dots.
    Fullwidth {
        dots_only: bool,
    },
    /// Ideographic full stops (U+3002) as dots.
    IdeographicDot,
    /// Every character percent-encoded (`upper` hex or not).
    Percent {
        upper: bool,
    },
    /// One character percent-encoded.
    PercentOne(u8),
    /// A part too big (`256`), or a fifth part.
    Overflow {
        fifth: bool,
    },
}

/// Render an IPv4 address in `spell`.
pub fn spell_v4(a: Ipv4Addr, spell: V4Spell) -> String {
    let o = a.octets();
    let x = u32::from(a);
    let dotted = a.to_string();
    match spell {
        V4Spell::Dotted => dotted,
        V4Spell::Decimal => x.to_string(),
        V4Spell::Hex { upper: false } => format!("0x{x:x}"),
        V4Spell::Hex { upper: true } => format!("0X{x:X}"),
        V4Spell::Octal => o.map(|b| format!("0{b:o}")).join("."),
        V4Spell::HexParts => o.map(|b| format!("0x{b:x}")).join("."),
        V4Spell::Mixed(m) => o
            .iter()
            .enumerate()
            .map(|(i, b)| match (m >> (2 * i)) & 3 {
                0 => b.to_string(),
                1 => format!("0{b:o}"),
                2 => format!("0x{b:X}"),
                _ => format!("{b:03}"),
            })
            .collect::<Vec<_>>()
            .join("."),
        V4Spell::Short3 => format!(
            "{}.{}.{}",
            o[0],
            o[1],
            (u32::from(o[2]) << 8) | u32::from(o[3])
        ),
        V4Spell::Short2 => format!("{}.{}", o[0], x & 0x00ff_ffff),
        V4Spell::TrailingDot => format!("{dotted}."),
        V4Spell::Fullwidth { dots_only } => dotted
            .chars()
            .map(|c| match c {
                '.' => '\u{ff0e}',
                d if !dots_only => {
                    char::from_u32(0xff10 + d.to_digit(10).unwrap_or(0)).unwrap_or(d)
                }
                d => d,
            })
            .collect(),
        V4Spell::IdeographicDot => dotted.replace('.', "\u{3002}"),
        V4Spell::Percent { upper } => dotted
            .bytes()
            .map(|b| {
                if upper {
                    format!("%{b:02X}")
                } else {
                    format!("%{b:02x}")
                }
            })
            .collect(),
        V4Spell::PercentOne(i) => {
            let i = usize::from(i) % dotted.len();
            format!(
                "{}%{:02X}{}",
                &dotted[..i],
                dotted.as_bytes()[i],
                &dotted[i + 1..]
            )
        }
        V4Spell::Overflow { fifth: true } => format!("{dotted}.1"),
        V4Spell::Overflow { fifth: false } => {
            format!("{}.{}.{}.{}", o[0], o[1], o[2], u32::from(o[3]) + 256)
        }
    }
}

/// How an IPv6 address is written.
#[allow(missing_docs)]
#[derive(Arbitrary, Clone, Copy, Debug, PartialEq, Eq)]
pub enum V6Spell {
    Compressed,
    /// Eight groups of four hex digits.
    Full,
    Upper,
    /// The last 32 bits as a dotted IPv4.
    EmbeddedDotted,
    /// `%25eth0` zone id inside the brackets.
    ZoneId,
    /// `%eth0` (not encoded).
    ZoneRaw,
    /// No brackets.
    NoBrackets,
    /// Brackets percent-encoded.
    PercentBrackets,
    /// Leading zeros in a group beyond four digits.
    LongGroup,
}

/// Render an IPv6 address (with brackets unless `spell` drops them).
pub fn spell_v6(a: Ipv6Addr, spell: V6Spell) -> String {
    let s = a.segments();
    let full = s.map(|g| format!("{g:04x}")).join(":");
    match spell {
        V6Spell::Compressed => format!("[{a}]"),
        V6Spell::Full => format!("[{full}]"),
        V6Spell::Upper => format!("[{}]", a.to_string().to_uppercase()),
        V6Spell::EmbeddedDotted => {
            let o = a.octets();
            let head = s[..6]
                .iter()
                .map(|g| format!("{g:x}"))
                .collect::<Vec<_>>()
                .join(":");
            format!("[{head}:{}.{}.{}.{}]", o[12], o[13], o[14], o[15])
        }
        V6Spell::ZoneId => format!("[{a}%25eth0]"),
        V6Spell::ZoneRaw => format!("[{a}%eth0]"),
        V6Spell::NoBrackets => a.to_string(),
        V6Spell::PercentBrackets => format!("%5B{a}%5D"),
        V6Spell::LongGroup => format!("[0{full}]"),
    }
}

/// An edit of a name: its near misses.
#[allow(missing_docs)]
#[derive(Arbitrary, Clone, Copy, Debug, PartialEq, Eq)]
pub enum NameEdit {
    Exact,
    /// The first n characters.
    Prefix(u8),
    /// Without the first n characters.
    DropFront(u8),
    /// A character appended (`x`, `-`, `.`, `.evil.net`, `evil.net`, …).
    Extend(u8),
    /// A label in front (`a.`), or text without a dot (`evil`).
    Under {
        dot: bool,
    },
    Upper,
    /// One character replaced by a Unicode look-alike.
    Lookalike(u8, u8),
    TrailingDot,
    LeadingDot,
    DoubleDot,
    /// One character percent-encoded.
    Percent(u8),
    /// Dots replaced by `。` / `．` / `｡`.
    UnicodeDots(u8),
    /// A soft hyphen or zero-width character inserted.
    Invisible(u8, u8),
}

const EXTENSIONS: &[&str] = &[
    "x",
    "-",
    ".",
    ".evil.net",
    "evil.net",
    "1",
    "_",
    ".com",
    ":",
];
const INVISIBLES: &[char] = &['\u{ad}', '\u{200b}', '\u{200d}', '\u{feff}', '\u{34f}'];

/// A look-alike for `c`, by `k`.
fn lookalike(c: char, k: u8) -> String {
    let options: Vec<char> = match c {
        'a'..='z' => vec![
            char::from_u32(0xff41 + (c as u32 - 'a' as u32)).unwrap_or(c),
            c.to_ascii_uppercase(),
            char::from_u32(0x1d41a + (c as u32 - 'a' as u32)).unwrap_or(c),
            match c {
                'k' => '\u{212a}',
                's' => '\u{17f}',
                'i' => '\u{131}',
                'e' => '\u{435}',
                'a' => '\u{430}',
                'o' => '\u{3bf}',
                _ => '\u{24d0}',
            },
        ],
        '0'..='9' => vec![char::from_u32(0xff10 + (c as u32 - '0' as u32)).unwrap_or(c)],
        '.' => vec!['\u{3002}', '\u{ff0e}', '\u{ff61}', '\u{2024}'],
        _ => vec![c],
    };
    options[usize::from(k) % options.len()].to_string()
}

/// Apply a name edit.
pub fn edit_name(name: &str, edit: NameEdit) -> String {
    let chars: Vec<char> = name.chars().collect();
    let n = chars.len().max(1);
    match edit {
        NameEdit::Exact => name.into(),
        NameEdit::Prefix(k) => chars[..usize::from(k) % n].iter().collect(),
        NameEdit::DropFront(k) => chars[(usize::from(k) % n).min(chars.len())..]
            .iter()
            .collect(),
        NameEdit::Extend(k) => format!("{name}{}", EXTENSIONS[usize::from(k) % EXTENSIONS.len()]),
        NameEdit::Under { dot: true } => format!("a.{name}"),
        NameEdit::Under { dot: false } => format!("evil{name}"),
        NameEdit::Upper => name.to_uppercase(),
        NameEdit::Lookalike(i, k) => chars
            .iter()
            .enumerate()
            .map(|(j, c)| {
                if j == usize::from(i) % n {
                    lookalike(*c, k)
                } else {
                    c.to_string()
                }
            })
            .collect(),
        NameEdit::TrailingDot => format!("{name}."),
        NameEdit::LeadingDot => format!(".{name}"),
        NameEdit::DoubleDot => name.replacen('.', "..", 1),
        NameEdit::Percent(i) => chars
            .iter()
            .enumerate()
            .map(|(j, c)| {
                if j == usize::from(i) % n && c.is_ascii() {
                    format!("%{:02X}", *c as u32)
                } else {
                    c.to_string()
                }
            })
            .collect(),
        NameEdit::UnicodeDots(k) => name.replace('.', &lookalike('.', k)),
        NameEdit::Invisible(i, k) => {
            let mut out: String = chars.iter().take(usize::from(i) % n).collect();
            out.push(INVISIBLES[usize::from(k) % INVISIBLES.len()]);
            out.extend(chars.iter().skip(usize::from(i) % n));
            out
        }
    }
}

/// A host.
#[derive(Arbitrary, Clone, Debug, PartialEq, Eq)]
pub enum HostPlan {
    /// An IPv4 address, spelled.
    V4(V4Pick, V4Spell),
    /// An IPv6 address, spelled.
    V6(V6Pick, V6Spell),
    /// A name the policies mention, edited.
    PolicyName(u8, NameEdit),
    /// An ordinary name, edited.
    PublicName(u8, NameEdit),
    /// A name under `localhost` or an internal domain: `x.localhost`.
    Under(u8),
    /// Raw host text.
    Raw(String),
}

impl HostPlan {
    /// The host text.
    pub fn render(&self) -> String {
        match self {
            HostPlan::V4(p, s) => spell_v4(p.addr(), *s),
            HostPlan::V6(p, s) => spell_v6(p.addr(), *s),
            HostPlan::PolicyName(i, e) => {
                edit_name(POLICY_NAMES[usize::from(*i) % POLICY_NAMES.len()], *e)
            }
            HostPlan::PublicName(i, e) => {
                edit_name(PUBLIC_NAMES[usize::from(*i) % PUBLIC_NAMES.len()], *e)
            }
            HostPlan::Under(i) => {
                format!("x.{}", POLICY_NAMES[usize::from(*i) % POLICY_NAMES.len()])
            }
            HostPlan::Raw(s) => s.chars().take(64).collect(),
        }
    }
}

/// The scheme part, up to and including the slashes.
#[allow(missing_docs)]
#[derive(Arbitrary, Clone, Copy, Debug, PartialEq, Eq)]
pub enum SchemePlan {
    Https,
    Http,
    HttpsUpper,
    HttpsMixed,
    Ws,
    Wss,
    Ftp,
    File,
    Gopher,
    Javascript,
    Data,
    /// `//host` without a scheme.
    None,
}

/// The slashes after the scheme.
#[allow(missing_docs)]
#[derive(Arbitrary, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Slashes {
    Two,
    One,
    Zero,
    Three,
    Backslashes,
    SlashBackslash,
    TabInside,
}

/// Userinfo and `@` confusion.
#[allow(missing_docs)]
#[derive(Arbitrary, Clone, Debug, PartialEq, Eq)]
pub enum Userinfo {
    None,
    /// `user@`
    User,
    /// `user:pass@`
    UserPass,
    /// `@` alone, `:@`
    Empty {
        colon: bool,
    },
    /// A policy name as the user: `api.example.com@`.
    NameAsUser(u8),
    /// A policy name as the user, and a separator that ends the authority
    /// first for some parsers: `evil.com#@api.example.com`.
    Confusion(u8, u8),
    /// An encoded `@`.
    EncodedAt,
}

const CONFUSION_SEPS: &[&str] = &[
    "#@", "?@", "/@", "\\@", ";@", "%40", "&@", ":@", "@@", "%2540",
];

/// The port part.
#[allow(missing_docs)]
#[derive(Arbitrary, Clone, Copy, Debug, PartialEq, Eq)]
pub enum PortPlan {
    None,
    /// The scheme's default written out (`:443`).
    Default,
    /// `:0443`.
    LeadingZero,
    /// `:` with nothing after.
    Empty,
    /// One of 80, 443, 8080, 8443, 22, 0, 65535, 65536, 99999, 6379.
    Pick(u8),
}

const PORTS: &[&str] = &[
    "80", "443", "8080", "8443", "22", "0", "65535", "65536", "99999", "6379",
];

/// What follows the authority.
#[allow(missing_docs)]
#[derive(Arbitrary, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tail {
    None,
    Slash,
    Path,
    /// `?x=@evil.com`
    QueryAt,
    /// `#@evil.com`
    FragmentAt,
    /// `/..%2f..%2fadmin`
    EncodedDots,
    /// `?a=1#b`
    QueryFragment,
}

/// A character slipped into the rendered URL.
#[allow(missing_docs)]
#[derive(Arbitrary, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Noise {
    Tab,
    Newline,
    Cr,
    Space,
    Nul,
    Del,
    Backslash,
    Nbsp,
    FullwidthSlash,
    Ideographic,
}

impl Noise {
    /// The character.
    pub fn ch(self) -> char {
        match self {
            Noise::Tab => '\t',
            Noise::Newline => '\n',
            Noise::Cr => '\r',
            Noise::Space => ' ',
            Noise::Nul => '\0',
            Noise::Del => '\u{7f}',
            Noise::Backslash => '\\',
            Noise::Nbsp => '\u{a0}',
            Noise::FullwidthSlash => '\u{ff0f}',
            Noise::Ideographic => '\u{3000}',
        }
    }
}

/// A whole URL. `Arbitrary` is written by hand so that the usual choice
/// (https, `//`, no userinfo, no port, no noise) is the likely one and each
/// case varies a few parts: otherwise nearly every case is refused for
/// some early reason and the host rules are rarely reached.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UrlPlan {
    /// Scheme.
    pub scheme: SchemePlan,
    /// Slashes after it.
    pub slashes: Slashes,
    /// Userinfo.
    pub userinfo: Userinfo,
    /// Host.
    pub host: HostPlan,
    /// Port.
    pub port: PortPlan,
    /// Path, query, fragment.
    pub tail: Tail,
    /// Characters inserted at (position mod length).
    pub noise: Vec<(u8, Noise)>,
}

/// `usual` with probability `num`/`den`, else an arbitrary value.
pub fn mostly<'a, T: Arbitrary<'a>>(
    u: &mut Unstructured<'a>,
    num: u8,
    den: u8,
    usual: T,
) -> arbitrary::Result<T> {
    if u.ratio(num, den)? {
        Ok(usual)
    } else {
        u.arbitrary()
    }
}

impl<'a> Arbitrary<'a> for UrlPlan {
    fn arbitrary(u: &mut Unstructured<'a>) -> arbitrary::Result<Self> {
        Ok(UrlPlan {
            scheme: mostly(u, 2, 3, SchemePlan::Https)?,
            slashes: mostly(u, 4, 5, Slashes::Two)?,
            userinfo: mostly(u, 4, 5, Userinfo::None)?,
            host: u.arbitrary()?,
            port: mostly(u, 3, 4, PortPlan::None)?,
            tail: u.arbitrary()?,
            noise: mostly(u, 5, 6, Vec::new())?,
        })
    }
}

impl UrlPlan {
    /// The URL text.
    pub fn render(&self) -> String {
        let scheme = match self.scheme {
            SchemePlan::Https => "https:",
            SchemePlan::Http => "http:",
            SchemePlan::HttpsUpper => "HTTPS:",
            SchemePlan::HttpsMixed => "hTtPs:",
            SchemePlan::Ws => "ws:",
            SchemePlan::Wss => "wss:",
            SchemePlan::Ftp => "ftp:",
            SchemePlan::File => "file:",
            SchemePlan::Gopher => "gopher:",
            SchemePlan::Javascript => "javascript:",
            SchemePlan::Data => "data:",
            SchemePlan::None => "",
        };
        let slashes = match self.slashes {
            Slashes::Two => "//",
            Slashes::One => "/",
            Slashes::Zero => "",
            Slashes::Three => "///",
            Slashes::Backslashes => "\\\\",
            Slashes::SlashBackslash => "/\\",
            Slashes::TabInside => "/\t/",
        };
        let name = |i: u8| POLICY_NAMES[usize::from(i) % POLICY_NAMES.len()];
        let user = match &self.userinfo {
            Userinfo::None => String::new(),
            Userinfo::User => "user@".into(),
            Userinfo::UserPass => "user:pass@".into(),
            Userinfo::Empty { colon } => if *colon { ":@" } else { "@" }.into(),
            Userinfo::NameAsUser(i) => format!("{}@", name(*i)),
            Userinfo::Confusion(..) => String::new(),
            Userinfo::EncodedAt => "evil.com%40".into(),
        };
        let default = if matches!(self.scheme, SchemePlan::Http | SchemePlan::Ws) {
            "80"
        } else {
            "443"
        };
        let port = match self.port {
            PortPlan::None => String::new(),
            PortPlan::Default => format!(":{default}"),
            PortPlan::LeadingZero => format!(":0{default}"),
            PortPlan::Empty => ":".into(),
            PortPlan::Pick(i) => format!(":{}", PORTS[usize::from(i) % PORTS.len()]),
        };
        let tail = match self.tail {
            Tail::None => "",
            Tail::Slash => "/",
            Tail::Path => "/a/b?c=d",
            Tail::QueryAt => "?x=@evil.com",
            Tail::FragmentAt => "#@evil.com",
            Tail::EncodedDots => "/..%2f..%2fadmin",
            Tail::QueryFragment => "?a=1#b",
        };
        let host = self.host.render();
        // Confusion: the policy name goes after the separator, as the host
        // some parsers see; the real host (evil.com) comes first.
        let mut out = match &self.userinfo {
            Userinfo::Confusion(i, s) => format!(
                "{scheme}{slashes}{host}{}{}{port}{tail}",
                CONFUSION_SEPS[usize::from(*s) % CONFUSION_SEPS.len()],
                name(*i)
            ),
            _ => format!("{scheme}{slashes}{user}{host}{port}{tail}"),
        };
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

/// An answer of the resolver.
#[derive(Arbitrary, Clone, Copy, Debug, PartialEq, Eq)]
pub enum AddrPick {
    /// IPv4.
    V4(V4Pick),
    /// IPv6.
    V6(V6Pick),
}

impl AddrPick {
    /// The address.
    pub fn addr(self) -> IpAddr {
        match self {
            AddrPick::V4(p) => IpAddr::V4(p.addr()),
            AddrPick::V6(p) => IpAddr::V6(p.addr()),
        }
    }
}

/// One case: a policy, a URL, and what a name host resolves to.
#[derive(Clone, PartialEq, Eq)]
pub struct UrlInput {
    /// The policy.
    pub policy: PolicyChoice,
    /// The URL, structured or raw.
    pub url: UrlChoice,
    /// The resolver's answer for a name host (at most 6 used).
    pub answers: Vec<AddrPick>,
}

impl<'a> Arbitrary<'a> for UrlInput {
    fn arbitrary(u: &mut Unstructured<'a>) -> arbitrary::Result<Self> {
        let policy = u.arbitrary()?;
        let url = if u.ratio(1, 16)? {
            UrlChoice::Raw(u.arbitrary()?)
        } else {
            UrlChoice::Plan(u.arbitrary()?)
        };
        Ok(UrlInput {
            policy,
            url,
            answers: u.arbitrary()?,
        })
    }
}

/// A structured URL or raw text.
#[derive(Arbitrary, Clone, Debug, PartialEq, Eq)]
pub enum UrlChoice {
    /// From the grammar.
    Plan(UrlPlan),
    /// Raw text.
    Raw(String),
}

impl UrlInput {
    /// The URL text.
    pub fn payload(&self) -> String {
        match &self.url {
            UrlChoice::Plan(p) => p.render(),
            UrlChoice::Raw(s) => s.clone(),
        }
    }
    /// The resolver's answer.
    pub fn answer(&self) -> Vec<IpAddr> {
        self.answers.iter().take(6).map(|a| a.addr()).collect()
    }
}

impl fmt::Debug for UrlInput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UrlInput")
            .field("payload", &self.payload())
            .field("answer", &self.answer())
            .field("policy", &self.policy)
            .field("url", &self.url)
            .finish()
    }
}
