//! The url target's planted vulnerabilities ([`crate::plant`]): realistic
//! mistakes in the outbound guard, each at the place it would go, compiled
//! in only with the `plant` feature. The test suite must kill every one
//! (`tests/plants.rs`).
//!
//! The ids only: this module imports nothing; the table with each plant's
//! invariant and description is `PLANTS` in the target's `mod.rs`.

/// The CGNAT range `100.64.0.0/10` is missing from the IPv4 table.
pub const CGNAT_MISSING: &str = "url.cgnat-missing";
/// IPv4-mapped IPv6 addresses (`::ffff:a.b.c.d`) are judged as IPv6 only.
pub const MAPPED_NOT_UNWRAPPED: &str = "url.mapped-not-unwrapped";
/// The Teredo client address is read without undoing its XOR obfuscation.
pub const TEREDO_NOT_DEOBFUSCATED: &str = "url.teredo-not-deobfuscated";
/// An allow-list suffix matches as a plain string suffix (`evilexample.com`
/// under `example.com`).
pub const SUFFIX_NOT_DOT_BOUNDED: &str = "url.suffix-not-dot-bounded";
/// Only the first resolved address is checked.
pub const FIRST_ADDRESS_ONLY: &str = "url.first-address-only";
/// The link-local range is written `169.254.0.0/24` (only the first /24).
pub const LINK_LOCAL_SLASH_24: &str = "url.link-local-24";
/// The private range `172.16.0.0/12` is written with a `/16` mask.
pub const PRIVATE_172_SLASH_16: &str = "url.private-172-16";
/// `localhost` is refused, names under `.localhost` are not.
pub const LOCALHOST_EXACT_ONLY: &str = "url.localhost-exact-only";
/// NAT64 `64:ff9b::/96` is not unwrapped.
pub const NAT64_NOT_UNWRAPPED: &str = "url.nat64-not-unwrapped";
/// 6to4 `2002::/16` is not unwrapped (it lies in global unicast, so
/// nothing else catches it).
pub const SIXTOFOUR_NOT_UNWRAPPED: &str = "url.6to4-not-unwrapped";
/// A trailing dot is stripped before the localhost and deny checks but the
/// URL keeps it.
pub const TRAILING_DOT_STRIPPED: &str = "url.trailing-dot-stripped";
