//! User-supplied redirect targets (a login form's `next=`, a `return_to`
//! parameter): the open-redirect guard
//! [`RedirectPolicy`](crate::url::RedirectPolicy), under libFuzzer and
//! proptest.
//!
//! # Threat model
//!
//! **Asset.** The users of the site: a redirect that leaves the site's
//! origins turns a trusted link (`https://app.example.com/login?next=…`)
//! into a phishing page or a token leak (OAuth codes in the fragment).
//!
//! **Attacker.** Whoever writes the link: any text as the location —
//! scheme-relative `//evil.com`, `/\evil.com`, `\\evil.com`, `/\t/evil.com`
//! (browsers drop tabs and newlines and read `\` as `/`), `https:evil.com`
//! and `http:evil.com` (same and other scheme), `javascript:` and `data:`
//! in any case, `https://app.example.com@evil.com`,
//! `https://app.example.com.evil.com`, look-alike hosts, encoded slashes.
//!
//! **What the guard guarantees.** [`RedirectPolicy::check`](crate::url::RedirectPolicy::check)
//! never panics; it refuses controls, whitespace and backslashes, resolves
//! the rest against the base as a browser would (the WHATWG parser's
//! `join`) and returns that absolute URL — to be sent as `Location`
//! verbatim — only if its scheme is http(s), it has no userinfo and its
//! origin (scheme, host, port) is the base's or an allowed one.
//!
//! **Out of scope.** What the allowed origins themselves redirect to (an
//! open redirect *on* an allowed origin), and `Refresh` headers or
//! JavaScript navigation built from the same input.
//!
//! # Inputs and oracles
//!
//! [`RedirectInput`] is a policy and a location from the [`gen`] grammar
//! (or raw text); [`oracle::judge`] recomputes where a browser goes from
//! the raw text, with its own resolution rules and the url oracle's host
//! parse, and checks the returned URL's origin by its own splitter.

mod error;
pub mod gen;
pub mod oracle;
pub mod plant;

pub use error::{PolicyError, RedirectError};
pub use gen::RedirectInput;

use crate::engine::contract::{Checker, Invariant, Target, Verdict, Violation};
use crate::engine::options::{OptionError, OptionSpec, Options};
use crate::engine::plant::Plant;

/// The options of `secfuzz check redirect`.
pub const OPTIONS: &[OptionSpec] = &[
    OptionSpec {
        name: "base",
        kind: crate::engine::options::OptionKind::Text,
        default: Some(gen::DEFAULT_BASE),
        repeatable: false,
        help: "the URL locations are resolved against; its origin is allowed",
    },
    OptionSpec::text(
        "allow-origin",
        "one more allowed origin, scheme://host[:port] (repeatable)",
    )
    .repeatable(),
];

/// Check raw locations under a [`RedirectPolicy`](crate::url::RedirectPolicy)
/// and judge each result with the [`oracle`]: what `secfuzz check redirect`
/// runs. The output is the absolute `Location`.
#[derive(Clone, Debug)]
pub struct RedirectCheck {
    policy: crate::url::RedirectPolicy,
    spec: oracle::Spec,
}

impl RedirectCheck {
    /// The check for a policy described by `spec`.
    ///
    /// # Errors
    ///
    /// The policy does not build.
    pub fn new(spec: oracle::Spec) -> Result<Self, PolicyError> {
        Ok(RedirectCheck {
            policy: spec.build()?,
            spec,
        })
    }
}

impl Checker for RedirectCheck {
    fn check(&self, payload: &[u8]) -> Result<Verdict, Violation> {
        let text = String::from_utf8_lossy(payload);
        let result = oracle::check_guarded(&self.policy, &text)?;
        oracle::judge(&text, &self.spec, &result)?;
        Ok(match result {
            Ok(url) => Verdict::Accepted { output: url.into() },
            Err(e) => Verdict::Rejected {
                reason: e.to_string(),
            },
        })
    }
}

/// The open-redirect target.
#[derive(Clone, Copy, Debug, Default)]
pub struct RedirectTarget;

impl Target for RedirectTarget {
    const NAME: &'static str = "redirect";
    const DESCRIPTION: &'static str =
        "redirect locations (open redirect): scheme-relative and backslash tricks, dropped tabs, other schemes, userinfo confusion, look-alike origins";
    const INVARIANTS: &'static [Invariant] = oracle::INVARIANTS;
    const OPTIONS: &'static [OptionSpec] = OPTIONS;
    const PLANTS: &'static [Plant] = PLANTS;

    type Input = RedirectInput;

    fn render(input: &RedirectInput) -> Vec<u8> {
        input.payload().into_bytes()
    }

    fn check(input: &RedirectInput) -> Result<(), Violation> {
        let spec = input.policy.spec();
        let policy = spec.build().map_err(|e| {
            Violation::new(crate::contract::HARNESS_INVARIANT, format!("policy: {e}"))
        })?;
        let text = input.payload();
        let result = oracle::check_guarded(&policy, &text)?;
        oracle::judge(&text, &spec, &result)
    }

    fn checker(options: &Options) -> Result<Box<dyn Checker>, OptionError> {
        let spec = oracle::Spec {
            base: options.text("base").unwrap_or(gen::DEFAULT_BASE).to_owned(),
            origins: options.all("allow-origin").to_vec(),
        };
        if let Err(e) = crate::url::RedirectPolicy::same_origin(&spec.base) {
            return Err(OptionError::Unusable {
                name: "base",
                value: spec.base.clone(),
                source: Box::new(e),
            });
        }
        let origins = spec.origins.join(" ");
        RedirectCheck::new(spec)
            .map(|c| Box::new(c) as Box<dyn Checker>)
            .map_err(|e| OptionError::Unusable {
                name: "allow-origin",
                value: origins,
                source: Box::new(e),
            })
    }
}

/// The planted vulnerabilities ([`plant`]): every redirect plant.
pub const PLANTS: &[Plant] = &[
    Plant {
        id: plant::BACKSLASH_TRUSTED,
        breaks: oracle::ORIGIN,
        description: "backslashes not refused: /\\evil.com takes the path fast path",
    },
    Plant {
        id: plant::CONTROLS_ALLOWED,
        breaks: oracle::ORIGIN,
        description: "controls and whitespace not refused: /\\t/evil.com takes the path fast path",
    },
    Plant {
        id: plant::SLASH_FAST_PATH,
        breaks: oracle::ORIGIN,
        description: "the path fast path tests a leading / only, so //evil.com passes",
    },
    Plant {
        id: plant::NO_SCHEME_FAST_PATH,
        breaks: oracle::ORIGIN,
        description: "anything without :// is taken for a path (javascript:, https:/evil.com)",
    },
    Plant {
        id: plant::USERINFO_KEPT,
        breaks: oracle::USERINFO,
        description: "userinfo in the resolved location kept",
    },
    Plant {
        id: plant::ORIGIN_HOST_ONLY,
        breaks: oracle::ORIGIN,
        description: "origins compared by host only (scheme and port ignored)",
    },
    Plant {
        id: plant::HOST_PREFIX,
        breaks: oracle::ORIGIN,
        description: "the host compared by prefix (app.example.com.evil.net)",
    },
    Plant {
        id: plant::HOST_SUFFIX_PLAIN,
        breaks: oracle::ORIGIN,
        description: "the host compared by plain suffix (evilapp.example.com)",
    },
];
