//! The outbound guard's address classification: which IPv4 and IPv6
//! addresses are special-purpose, with IPv4 embedded in IPv6 (mapped,
//! NAT64 `64:ff9b::/96`, 6to4, Teredo with its obfuscated client) unwrapped
//! and judged as IPv4.
//!
//! The tables follow the IANA IPv4 and IPv6 Special-Purpose Address
//! Registries, plus multicast, the IPv4 class E block and every IPv6 block
//! outside `2000::/3` that is not an IPv4 embedding (unassigned or reserved
//! by the IETF). The oracle checks the guard against a separate textual
//! table ([`oracle::ranges`](super::oracle::ranges)).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use super::plant;
use crate::plant::active;

/// One IPv4 range: network, prefix length, name.
type V4Range = (u32, u8, &'static str);

/// The IPv4 special-purpose ranges.
const V4: &[V4Range] = &[
    (0x0000_0000, 8, "this network 0.0.0.0/8"),
    (0x0A00_0000, 8, "private 10.0.0.0/8"),
    (0x6440_0000, 10, "CGNAT shared 100.64.0.0/10"),
    (0x7F00_0000, 8, "loopback 127.0.0.0/8"),
    (
        0xA9FE_0000,
        16,
        "link-local 169.254.0.0/16 (cloud metadata)",
    ),
    (0xAC10_0000, 12, "private 172.16.0.0/12"),
    (0xC000_0000, 24, "IETF protocol assignments 192.0.0.0/24"),
    (0xC000_0200, 24, "documentation 192.0.2.0/24"),
    (0xC01F_C400, 24, "AS112 192.31.196.0/24"),
    (0xC034_C100, 24, "AMT 192.52.193.0/24"),
    (0xC058_6300, 24, "6to4 relay anycast 192.88.99.0/24"),
    (0xC0A8_0000, 16, "private 192.168.0.0/16"),
    (0xC0AF_3000, 24, "AS112 direct delegation 192.175.48.0/24"),
    (0xC612_0000, 15, "benchmarking 198.18.0.0/15"),
    (0xC633_6400, 24, "documentation 198.51.100.0/24"),
    (0xCB00_7100, 24, "documentation 203.0.113.0/24"),
    (0xE000_0000, 4, "multicast 224.0.0.0/4"),
    (
        0xF000_0000,
        4,
        "reserved 240.0.0.0/4 (with broadcast 255.255.255.255)",
    ),
];

/// Why an IPv4 address is special-purpose, if it is.
pub fn special_v4(a: Ipv4Addr) -> Option<&'static str> {
    let x = u32::from(a);
    V4.iter().find_map(|&(net, len, name)| {
        if net == 0x6440_0000 && active(plant::CGNAT_MISSING) {
            return None;
        }
        let len = match net {
            0xA9FE_0000 if active(plant::LINK_LOCAL_SLASH_24) => 24,
            0xAC10_0000 if active(plant::PRIVATE_172_SLASH_16) => 16,
            _ => len,
        };
        let mask = u32::MAX << (32 - u32::from(len));
        (x & mask == net & mask).then_some(name)
    })
}

/// One IPv6 range: network, prefix length, name.
type V6Range = (u128, u8, &'static str);

/// IPv6 special-purpose ranges refused whatever follows the prefix.
const V6: &[V6Range] = &[
    (0, 96, "IPv4-compatible ::/96 (with :: and ::1)"),
    (
        0xffff_0000_0000 << 32,
        96,
        "IPv4-translated ::ffff:0:0:0/96",
    ),
    (0x0064_ff9b_0001 << 80, 48, "local-use NAT64 64:ff9b:1::/48"),
    (0x0100 << 112, 64, "discard-only 100::/64"),
    (
        0x0100_0000_0000_0001 << 64,
        64,
        "dummy prefix 100:0:0:1::/64",
    ),
    (0x2001_0db8 << 96, 32, "documentation 2001:db8::/32"),
    (0x3fff << 112, 20, "documentation 3fff::/20"),
    (0x5f00 << 112, 16, "SRv6 SIDs 5f00::/16"),
    (
        0xfc00 << 112,
        7,
        "unique-local fc00::/7 (with fd00:ec2::254)",
    ),
    (0xfe80 << 112, 10, "link-local fe80::/10"),
    (0xfec0 << 112, 10, "site-local fec0::/10"),
    (0xff00 << 112, 8, "multicast ff00::/8"),
];

fn in6(x: u128, net: u128, len: u8) -> bool {
    let mask = if len == 0 {
        0
    } else {
        u128::MAX << (128 - u32::from(len))
    };
    x & mask == net & mask
}

/// The IPv4 address an IPv6 address carries, and how, for the embeddings
/// the guard unwraps: mapped `::ffff:0:0/96`, NAT64 `64:ff9b::/96`, 6to4
/// `2002::/16`. Teredo is separate ([`teredo`]): it carries two.
fn embedded(x: u128) -> Option<(Ipv4Addr, &'static str)> {
    let low = Ipv4Addr::from(x as u32);
    if x >> 32 == 0xffff && !active(plant::MAPPED_NOT_UNWRAPPED) {
        return Some((low, "IPv4-mapped"));
    }
    if x >> 32 == 0x0064_ff9b_0000_0000_0000_0000 && !active(plant::NAT64_NOT_UNWRAPPED) {
        return Some((low, "NAT64"));
    }
    if x >> 112 == 0x2002 && !active(plant::SIXTOFOUR_NOT_UNWRAPPED) {
        return Some((Ipv4Addr::from((x >> 80) as u32), "6to4"));
    }
    None
}

/// Teredo `2001::/32`: the server's IPv4 (bits 32–63) and the client's
/// (the last 32 bits, every bit inverted).
fn teredo(x: u128) -> Option<[Ipv4Addr; 2]> {
    if x >> 96 != 0x2001_0000 {
        return None;
    }
    let server = Ipv4Addr::from((x >> 64) as u32);
    let client = if active(plant::TEREDO_NOT_DEOBFUSCATED) {
        x as u32
    } else {
        !(x as u32)
    };
    Some([server, Ipv4Addr::from(client)])
}

/// Why an IPv6 address is special-purpose, if it is.
pub fn special_v6(a: Ipv6Addr) -> Option<String> {
    let x = u128::from(a);
    if let Some((v4, how)) = embedded(x) {
        return special_v4(v4).map(|r| format!("{how} {v4}: {r}"));
    }
    if let Some(both) = teredo(x) {
        return both
            .iter()
            .find_map(|v4| special_v4(*v4).map(|r| format!("Teredo {v4}: {r}")));
    }
    for &(net, len, name) in V6 {
        if in6(x, net, len) {
            return Some(name.to_owned());
        }
    }
    // IETF protocol assignments 2001::/23 (Teredo, handled above, aside).
    if in6(x, 0x2001 << 112, 23) {
        return Some("IETF protocol assignments 2001::/23".into());
    }
    // Everything outside global unicast 2000::/3 that no rule above let
    // through is unassigned or reserved.
    if !in6(x, 0x2000 << 112, 3) {
        return Some("reserved (outside 2000::/3)".into());
    }
    None
}

/// Why an address is special-purpose, if it is.
pub fn special(a: IpAddr) -> Option<String> {
    match a {
        IpAddr::V4(v4) => special_v4(v4).map(str::to_owned),
        IpAddr::V6(v6) => special_v6(v6),
    }
}
