//! Canvas HTML sanitizing: HTML that AI agents generate (charts, tables,
//! forms, rendered markdown) and a platform renders in its users'
//! browsers, cleaned by an [`ammonia`] policy per trust [`Level`].
//!
//! # Threat model
//!
//! **Asset.** The viewer's session on the platform: the origin the canvas
//! is rendered in, its cookies and storage, the page around the canvas and
//! the DOM properties its own scripts read.
//!
//! **Attacker.** Whoever can steer what the agent writes: a prompt
//! injection in a document the agent read, a malicious tool result, a user
//! sharing a canvas. They control the whole HTML text: script elements,
//! every event-handler attribute, URL attributes with obfuscated schemes
//! (entities, `&colon;`, tabs and newlines inside `javascript:`, case,
//! leading controls), SVG and MathML, raw-text and re-parsing contexts
//! (`noscript`, `template`, `<svg><style>`,
//! `<math><mtext><table><mglyph><style>`, comments, CDATA) built so that
//! the sanitizer's tree and the browser's tree differ (mutation XSS), DOM
//! clobbering through `id`/`name`, CSS, forms that post elsewhere, and
//! huge or deeply nested documents.
//!
//! **What sanitizing guarantees.** [`Sanitizer::sanitize`] never panics:
//! every input is an output or a typed [`CanvasError`] (over
//! [`MAX_INPUT_LEN`] bytes, not UTF-8, nested deeper than [`MAX_DEPTH`]).
//! Every output, re-parsed independently by the [`oracle`] (`html5ever` in
//! `body` context into `markup5ever_rcdom`, its own deny tables and URL
//! normalization), and loaded by a real browser in the tests:
//!
//! | attack | defence (policy) | checked by |
//! |---|---|---|
//! | `script`, `iframe`, `object`, `embed`, `base`, `meta`, `link`, `frame`, `style`, `noscript`, `template`, raw-text elements | not in [`policy::MARKUP_TAGS`]; `script`/`style` content dropped | `canvas.elements` |
//! | SVG and MathML (mutation XSS, `annotation-xml`, `<set attributeName=href>`) | not allowed at any level (see below) | `canvas.elements`, `canvas.stable` |
//! | `on*` handlers | not in any attribute allowlist | `canvas.handlers` |
//! | `javascript:`, `vbscript:`, `data:text/html` in URL attributes, obfuscated | schemes [`policy::URL_SCHEMES`] after browser normalization (ammonia's `url` parse and the policy's own); `data:` only [`policy::DATA_IMAGE_TYPES`] on `img src` | `canvas.urls` |
//! | `srcdoc`, `formaction`, `srcset`, `target`, `http-equiv` | not allowed | `canvas.attributes` |
//! | CSS (`url()`, `expression`, `@import`, `-moz-binding`, `behavior`) | `style` dropped | `canvas.style` |
//! | DOM clobbering (`<form id=location>`, `<img name=cookie>`) | `id` and `name` prefixed with [`ID_PREFIX`], id references too | `canvas.clobber` |
//! | reverse tabnabbing, referrer leaks | `rel="noopener noreferrer"` on links | `canvas.rel` |
//! | forms posting to `javascript:` | `action` through the URL rules; `method` get/post; no `formaction`, no `input type=image/file/password` | `canvas.urls`, `canvas.attributes` |
//! | a tree that changes when the browser re-parses it | ammonia serializes html5ever's tree; the oracle re-parses in another context | `canvas.stable`, `canvas.idempotent`, the browser |
//! | huge or deep documents | [`MAX_INPUT_LEN`] before parsing, [`MAX_DEPTH`] after (below Chromium's 512) | `canvas.bounded` |
//!
//! **SVG is left out.** SVG charts would need `svg`, `path`, `text`,
//! `use`… and the attribute rules of a second namespace (`xlink:href`,
//! animation elements rewriting `href`, `foreignObject` switching back to
//! HTML); ammonia's advisories show that is where its mutation-XSS bugs
//! were. Until the oracles (namespace-aware deny tables, the browser over
//! SVG outputs) cover it, canvases should draw charts as images or
//! tables. **`Interactive`** is `Markup` until the canvas-JavaScript issue.
//!
//! **Out of scope.** The platform's own scripts and their gadgets (class
//! names are kept), CSP, clickjacking inside the canvas frame, what a
//! `https:` link or form leads to, and phishing with allowed markup.
//!
//! # Inputs and oracles
//!
//! [`CanvasInput`] is a level and a document: the attack token grammar,
//! the benign canvas grammar, a mix, deep nesting around the caps,
//! oversize documents, or free text ([`gen`]). [`oracle::judge`] checks
//! every output (invariant ids `canvas.*`); for a benign document at
//! `Markup`, [`oracle::judge_preserved`] checks that the visible text and
//! element structure survive.

mod error;
pub mod gen;
pub mod oracle;
pub mod plant;
pub mod policy;

pub use error::CanvasError;
pub use gen::CanvasInput;
pub use policy::{Level, Sanitizer};

use crate::engine::contract::{Checker, Invariant, Target, Verdict, Violation};
use crate::engine::options::{OptionError, OptionSpec, Options};
use crate::engine::plant::Plant;

/// The largest canvas document sanitized, in bytes (checked before parsing).
pub const MAX_INPUT_LEN: usize = 512 * 1024;

/// The deepest element nesting an output may have. Chromium's HTML parser
/// re-parents elements past depth 512, so outputs stay well below it.
pub const MAX_DEPTH: usize = 256;

/// The prefix of every `id` and `name` value in an output (against DOM
/// clobbering).
pub const ID_PREFIX: &str = "user-content-";

/// The options of `secfuzz check canvas`.
pub const OPTIONS: &[OptionSpec] = &[OptionSpec::choice(
    "level",
    &["text", "markup", "interactive"],
    "markup",
    "trust level: text strips every element; markup keeps canvas markup (tables, lists, figures, images, details, forms); interactive is markup until canvas scripts exist",
)];

/// Sanitize raw payloads at one level and judge every result with the
/// [`oracle`]: what `secfuzz check canvas` runs.
#[derive(Debug)]
pub struct CanvasCheck {
    /// The sanitizer.
    pub sanitizer: Sanitizer,
}

impl Checker for CanvasCheck {
    fn check(&self, payload: &[u8]) -> Result<Verdict, Violation> {
        let result = oracle::sanitize_guarded(&self.sanitizer, payload)?;
        oracle::judge(&self.sanitizer, payload, &result)?;
        Ok(match result {
            Ok(output) if output.as_bytes() == payload => Verdict::Accepted { output },
            Ok(output) => Verdict::Sanitized { output },
            Err(e) => Verdict::Rejected {
                reason: e.to_string(),
            },
        })
    }
}

/// The canvas sanitizing target.
#[derive(Clone, Copy, Debug, Default)]
pub struct CanvasTarget;

impl Target for CanvasTarget {
    const NAME: &'static str = "canvas";
    const DESCRIPTION: &'static str =
        "canvas HTML sanitizing (ammonia): script carriers, event handlers, obfuscated javascript: URLs, SVG/MathML and raw-text mutation XSS, DOM clobbering, CSS, forms, size and depth caps";
    const INVARIANTS: &'static [Invariant] = oracle::INVARIANTS;
    const OPTIONS: &'static [OptionSpec] = OPTIONS;
    const PLANTS: &'static [Plant] = PLANTS;

    type Input = CanvasInput;

    fn render(input: &CanvasInput) -> Vec<u8> {
        input.payload().into_bytes()
    }

    fn check(input: &CanvasInput) -> Result<(), Violation> {
        let sanitizer = Sanitizer::new(input.level);
        let payload = input.payload();
        let result = oracle::sanitize_guarded(&sanitizer, payload.as_bytes())?;
        oracle::judge(&sanitizer, payload.as_bytes(), &result)?;
        if input.is_benign() && input.level != Level::Text {
            oracle::judge_preserved(&payload, &result)?;
        }
        Ok(())
    }

    fn checker(options: &Options) -> Result<Box<dyn Checker>, OptionError> {
        let level = options
            .value("level")
            .and_then(Level::from_name)
            .unwrap_or_default();
        Ok(Box::new(CanvasCheck {
            sanitizer: Sanitizer::new(level),
        }))
    }
}

/// The planted vulnerabilities ([`plant`]): every canvas plant.
pub const PLANTS: &[Plant] = &[
    Plant {
        id: plant::DATA_ANY_ATTRIBUTE,
        breaks: oracle::URLS,
        description: "data: URLs accepted on every URL attribute, not only img src",
    },
    Plant {
        id: plant::DATA_IMAGE_PREFIX,
        breaks: oracle::URLS,
        description: "data: image check by prefix image/, so image/svg+xml passes",
    },
    Plant {
        id: plant::NO_LINK_REL,
        breaks: oracle::REL,
        description: "rel=\"noopener noreferrer\" not set on links",
    },
    Plant {
        id: plant::ID_UNPREFIXED,
        breaks: oracle::CLOBBER,
        description: "id values kept as written (DOM clobbering)",
    },
    Plant {
        id: plant::NAME_UNPREFIXED,
        breaks: oracle::CLOBBER,
        description: "name values kept as written (DOM clobbering)",
    },
    Plant {
        id: plant::STYLE_KEPT,
        breaks: oracle::STYLE,
        description: "style allowed on every element for chart colours",
    },
    Plant {
        id: plant::IFRAME_ALLOWED,
        breaks: oracle::ELEMENTS,
        description: "iframe with src allowed for embedded charts",
    },
    Plant {
        id: plant::IMG_ONERROR,
        breaks: oracle::HANDLERS,
        description: "onerror kept on img for a broken-image fallback",
    },
    Plant {
        id: plant::DEPTH_CAP_OFF,
        breaks: oracle::BOUNDED,
        description: "nesting-depth cap not enforced",
    },
    Plant {
        id: plant::NOSCRIPT_ALLOWED,
        breaks: oracle::ELEMENTS,
        description: "noscript allowed for fallback text",
    },
    Plant {
        id: plant::TEXT_KEEPS_INLINE,
        breaks: oracle::TEXT_ONLY,
        description: "text level keeps b/i/em/strong/a",
    },
    Plant {
        id: plant::SINGLE_PASS,
        breaks: oracle::IDEMPOTENT,
        description: "one ammonia pass trusted to serialize to a stable tree",
    },
];
