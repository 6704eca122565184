//! Outbound requests to user-supplied URLs (webhooks, link previews,
//! imports): the SSRF guard [`OutboundPolicy`] over the WHATWG parser of
//! the `url` crate, with DNS pinning, and the open-redirect guard
//! [`RedirectPolicy`] (whose target is [`crate::redirect`]).
//!
//! # Threat model
//!
//! **Asset.** The network behind the service: loopback services, the
//! private network, the cloud metadata endpoint (`169.254.169.254`,
//! `fd00:ec2::254`), anything the service can reach and the user cannot.
//!
//! **Attacker.** Whoever supplies the URL. They can send any text: hosts
//! spelled in decimal (`2130706433`), octal (`0177.0.0.1`), hex
//! (`0x7f.1`), short forms (`127.1`), fullwidth digits and dots,
//! percent-encoded, as IDNA; IPv6 with embedded IPv4 (mapped, compatible,
//! NAT64, 6to4, Teredo with its XOR-obfuscated client), zone ids; userinfo
//! and `@` confusion (`https://api.example.com@evil.com`,
//! `https://evil.com#@api.example.com`), backslashes, tabs and newlines the
//! WHATWG parser drops; names that resolve to private addresses, or to a
//! public address first and a private one after (DNS rebinding).
//!
//! **What the guard guarantees.** [`OutboundPolicy::check`] never panics;
//! it refuses controls, whitespace and `\` outright, parses with the WHATWG
//! parser and judges *the parsed URL*, which it returns: the caller must
//! use that [`Url`](::url::Url), never the original string. Accepted: an
//! allowed scheme (`https` by default), the default port or an allowed
//! one, no userinfo, and a host that is neither a special-purpose address
//! ([`special_address`]: every IANA special-purpose IPv4 and IPv6 range, multicast,
//! class E, IPv6 outside `2000::/3`; IPv4 embedded in IPv6 unwrapped) nor
//! `localhost`, `*.localhost`, an internal or denied name, a name with a
//! trailing dot; and on the allow list when there is one (exact, or at a
//! dot boundary). [`OutboundPolicy::resolve`] checks **every** address the
//! [`Resolver`] returns and pins them ([`PinnedTarget`]), so the connection
//! goes where the check looked.
//!
//! **Out of scope.** Redirects the fetched server answers with (each
//! `Location` must go through `check` and `resolve` again), proxies
//! configured in the HTTP client (they resolve names themselves), TLS.
//!
//! # Inputs and oracles
//!
//! [`UrlInput`] is a policy, a URL from the [`gen`] grammar (or raw text)
//! and a resolver answer; the [`oracle`]s re-parse the host themselves
//! (WHATWG IPv4 rules written here), check addresses against a textual
//! CIDR table, and check names against the policy as data.

mod addr;
mod error;
pub mod gen;
pub mod oracle;
pub mod plant;
mod policy;
mod redirect;

pub use error::{PolicyError, RedirectError, UrlError};
pub use gen::UrlInput;
pub use policy::{
    HostPattern, OutboundPolicy, OutboundPolicyBuilder, PinnedTarget, Resolver, StaticResolver,
    SystemResolver, DEFAULT_INTERNAL_DOMAINS, GUARDABLE_SCHEMES, MAX_ADDRESSES, MAX_URL_LEN,
};
pub use redirect::{AllowedOrigin, RedirectPolicy};

/// Why an address is special-purpose by the guard's table, if it is (the
/// range's name), with IPv4 embedded in IPv6 unwrapped.
pub fn special_address(a: std::net::IpAddr) -> Option<String> {
    addr::special(a)
}

use crate::engine::contract::{Checker, Invariant, Target, Verdict, Violation};
use crate::engine::options::{OptionError, OptionSpec, Options};
use crate::engine::plant::Plant;

/// `secfuzz check url` takes no options: the default policy.
pub const OPTIONS: &[OptionSpec] = &[];

/// Check raw URLs under the default [`OutboundPolicy`] and judge each
/// result with the [`oracle`]: what `secfuzz check url` runs. The output
/// is the normalized URL.
#[derive(Clone, Debug, Default)]
pub struct UrlCheck {
    policy: OutboundPolicy,
    spec: oracle::Spec,
}

impl Checker for UrlCheck {
    fn check(&self, payload: &[u8]) -> Result<Verdict, Violation> {
        let text = String::from_utf8_lossy(payload);
        let result = oracle::check_guarded(&self.policy, &text)?;
        oracle::judge_check(&text, &self.spec, &result)?;
        Ok(match result {
            Ok(url) => Verdict::Accepted { output: url.into() },
            Err(e) => Verdict::Rejected {
                reason: e.to_string(),
            },
        })
    }
}

/// The outbound-request target.
#[derive(Clone, Copy, Debug, Default)]
pub struct UrlTarget;

impl Target for UrlTarget {
    const NAME: &'static str = "url";
    const DESCRIPTION: &'static str =
        "outbound URLs (SSRF): special-purpose addresses in every spelling and IPv6 embedding, localhost and internal names, allow/deny lists, userinfo confusion, DNS rebinding";
    const INVARIANTS: &'static [Invariant] = oracle::INVARIANTS;
    const OPTIONS: &'static [OptionSpec] = OPTIONS;
    const PLANTS: &'static [Plant] = PLANTS;

    type Input = UrlInput;

    fn render(input: &UrlInput) -> Vec<u8> {
        input.payload().into_bytes()
    }

    fn check(input: &UrlInput) -> Result<(), Violation> {
        let spec = input.policy.spec();
        let policy = spec.build();
        let text = input.payload();
        let result = oracle::check_guarded(&policy, &text)?;
        oracle::judge_check(&text, &spec, &result)?;
        let Ok(url) = result else { return Ok(()) };
        let answer = input.answer();
        let resolver = match url.host_str() {
            Some(h) => StaticResolver::new().with(h, answer.iter().copied()),
            None => StaticResolver::new(),
        };
        let pinned = oracle::guarded(|| policy.resolve(&url, &resolver))?;
        oracle::judge_pinned(&url, Some(&answer), &spec, &pinned)
    }

    fn checker(_options: &Options) -> Result<Box<dyn Checker>, OptionError> {
        Ok(Box::new(UrlCheck::default()))
    }
}

/// The planted vulnerabilities ([`plant`]): every url plant.
pub const PLANTS: &[Plant] = &[
    Plant {
        id: plant::CGNAT_MISSING,
        breaks: oracle::SPECIAL_ADDRESS,
        description: "the CGNAT range 100.64.0.0/10 is missing from the IPv4 table",
    },
    Plant {
        id: plant::MAPPED_NOT_UNWRAPPED,
        breaks: oracle::SPECIAL_ADDRESS,
        description: "IPv4-mapped IPv6 (::ffff:a.b.c.d) is judged as IPv6 only",
    },
    Plant {
        id: plant::TEREDO_NOT_DEOBFUSCATED,
        breaks: oracle::SPECIAL_ADDRESS,
        description: "the Teredo client address is read without undoing its XOR",
    },
    Plant {
        id: plant::SUFFIX_NOT_DOT_BOUNDED,
        breaks: oracle::NAME,
        description: "an allow-list domain matches as a plain string suffix",
    },
    Plant {
        id: plant::FIRST_ADDRESS_ONLY,
        breaks: oracle::SPECIAL_ADDRESS,
        description: "only the first resolved address is checked",
    },
    Plant {
        id: plant::LINK_LOCAL_SLASH_24,
        breaks: oracle::SPECIAL_ADDRESS,
        description: "link-local written 169.254.0.0/24",
    },
    Plant {
        id: plant::PRIVATE_172_SLASH_16,
        breaks: oracle::SPECIAL_ADDRESS,
        description: "private 172.16.0.0/12 written with a /16 mask",
    },
    Plant {
        id: plant::LOCALHOST_EXACT_ONLY,
        breaks: oracle::NAME,
        description: "localhost refused, names under .localhost not",
    },
    Plant {
        id: plant::NAT64_NOT_UNWRAPPED,
        breaks: oracle::SPECIAL_ADDRESS,
        description: "NAT64 64:ff9b::/96 not unwrapped",
    },
    Plant {
        id: plant::SIXTOFOUR_NOT_UNWRAPPED,
        breaks: oracle::SPECIAL_ADDRESS,
        description: "6to4 2002::/16 not unwrapped",
    },
    Plant {
        id: plant::TRAILING_DOT_STRIPPED,
        breaks: oracle::NAME,
        description: "a trailing dot is stripped before the name checks but kept in the URL",
    },
];
