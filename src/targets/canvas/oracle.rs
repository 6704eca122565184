//! Oracles for the canvas sanitizer, independent of ammonia's policy code:
//! the output is parsed again by `html5ever` into `markup5ever_rcdom` (not
//! ammonia's vendored DOM) **in `body` context** (ammonia parses in `div`
//! context) and walked — template contents included — against this
//! module's own deny tables ([`DENIED_ELEMENTS`], [`URL_ATTRIBUTES`],
//! [`DENIED_ATTRIBUTES`]) and its own URL normalization
//! ([`normalized_scheme`]). Then idempotence (the sanitizer on its own
//! output) and mutation stability (the re-parsed tree serializes back to
//! the exact output, so a browser builds the tree that was judged).
//!
//! The fourth oracle, a real browser, lives in the test suite
//! (`tests/targets/canvas/browser.rs`): it needs Chromium.

use std::panic::{catch_unwind, AssertUnwindSafe};

use html5ever::serialize::{SerializeOpts, TraversalScope};
use html5ever::tendril::TendrilSink;
use html5ever::{ns, parse_fragment, LocalName, QualName};
use markup5ever_rcdom::{Handle, NodeData, RcDom, SerializableHandle};

use super::{CanvasError, Level, Sanitizer, ID_PREFIX, MAX_DEPTH, MAX_INPUT_LEN};
use crate::engine::contract::{Invariant, Violation};

/// `canvas.no_panic`.
pub const NO_PANIC: &str = "canvas.no_panic";
/// `canvas.elements`.
pub const ELEMENTS: &str = "canvas.elements";
/// `canvas.handlers`.
pub const HANDLERS: &str = "canvas.handlers";
/// `canvas.urls`.
pub const URLS: &str = "canvas.urls";
/// `canvas.attributes`.
pub const ATTRIBUTES: &str = "canvas.attributes";
/// `canvas.style`.
pub const STYLE: &str = "canvas.style";
/// `canvas.clobber`.
pub const CLOBBER: &str = "canvas.clobber";
/// `canvas.rel`.
pub const REL: &str = "canvas.rel";
/// `canvas.text_only`.
pub const TEXT_ONLY: &str = "canvas.text_only";
/// `canvas.bounded`.
pub const BOUNDED: &str = "canvas.bounded";
/// `canvas.idempotent`.
pub const IDEMPOTENT: &str = "canvas.idempotent";
/// `canvas.stable`.
pub const STABLE: &str = "canvas.stable";
/// `canvas.preserved`.
pub const PRESERVED: &str = "canvas.preserved";

/// Every invariant the canvas oracles check.
pub const INVARIANTS: &[Invariant] = &[
    Invariant {
        id: NO_PANIC,
        description: "sanitizing never panics: every input gives an output or a typed CanvasError",
    },
    Invariant {
        id: ELEMENTS,
        description: "the output, parsed by html5ever in body context, has no script, iframe, object, embed, base, meta, link, frame, style, noscript, template, form-breaking or raw-text element, and no SVG or MathML element",
    },
    Invariant {
        id: HANDLERS,
        description: "no attribute of any element, in any namespace, is an event handler (on*)",
    },
    Invariant {
        id: URLS,
        description: "every URL attribute, after browser normalization (C0/space trim, tab/CR/LF removal, case fold), is relative or http/https/mailto; data: only on img src with a raster image type",
    },
    Invariant {
        id: ATTRIBUTES,
        description: "no srcdoc, formaction, http-equiv, srcset or target attribute survives",
    },
    Invariant {
        id: STYLE,
        description: "no style attribute survives (the policy drops CSS)",
    },
    Invariant {
        id: CLOBBER,
        description: "every id and name value starts with user-content-, so content cannot clobber window or document properties",
    },
    Invariant {
        id: REL,
        description: "every a element with an href carries rel with noopener and noreferrer",
    },
    Invariant {
        id: TEXT_ONLY,
        description: "at the text level the output has no element at all",
    },
    Invariant {
        id: BOUNDED,
        description: "inputs over the size cap are refused; outputs nest at most MAX_DEPTH elements",
    },
    Invariant {
        id: IDEMPOTENT,
        description: "sanitizing the output again changes nothing",
    },
    Invariant {
        id: STABLE,
        description: "the output parsed in body context serializes back to itself (no mutation on re-parse)",
    },
    Invariant {
        id: PRESERVED,
        description: "a document of the benign canvas grammar keeps its visible text and element structure at markup level",
    },
];

/// Elements that must never appear in an output (HTML namespace, by local
/// name): script carriers, embedding, document-level elements, raw-text
/// and re-parsing elements.
pub const DENIED_ELEMENTS: &[&str] = &[
    "script",
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "applet",
    "param",
    "base",
    "meta",
    "link",
    "style",
    "noscript",
    "noembed",
    "noframes",
    "template",
    "xmp",
    "plaintext",
    "title",
    "portal",
    "fencedframe",
    "html",
    "head",
    "body",
    "svg",
    "math",
    "image",
    "isindex",
    "listing",
    "audio",
    "video",
    "source",
    "track",
    "slot",
];

/// Attributes holding a URL (matched by local name in any namespace, so
/// `xlink:href` is `href`); `srcset` and `ping` hold several.
pub const URL_ATTRIBUTES: &[&str] = &[
    "href",
    "src",
    "action",
    "formaction",
    "poster",
    "background",
    "data",
    "cite",
    "longdesc",
    "lowsrc",
    "dynsrc",
    "codebase",
    "classid",
    "archive",
    "usemap",
    "manifest",
    "icon",
    "profile",
    "ping",
    "srcset",
    "imagesrcset",
    "itemtype",
];

/// Attributes that must never survive, whatever their value.
pub const DENIED_ATTRIBUTES: &[&str] = &[
    "srcdoc",
    "formaction",
    "http-equiv",
    "srcset",
    "imagesrcset",
    "target",
    "formtarget",
    "is",
    "xmlns",
];

/// The oracle's own URL normalization: C0 controls and spaces trimmed from
/// both ends, every tab, LF and CR removed; then the scheme, lowercased, if
/// the text starts with `ALPHA *(ALPHA / DIGIT / "+" / "-" / ".") ":"`.
/// Returns `(scheme, rest after the colon)`.
pub fn normalized_scheme(value: &str) -> Option<(String, String)> {
    let s: String = value
        .trim_start_matches(|c: char| (c as u32) <= 0x20)
        .trim_end_matches(|c: char| (c as u32) <= 0x20)
        .chars()
        .filter(|&c| c != '\t' && c != '\n' && c != '\r')
        .collect();
    let colon = s.find(':')?;
    let scheme = &s[..colon];
    let ok = scheme.bytes().enumerate().all(|(i, b)| {
        b.is_ascii_alphabetic() || (i > 0 && (b.is_ascii_digit() || b"+-.".contains(&b)))
    });
    (ok && !scheme.is_empty()).then(|| (scheme.to_ascii_lowercase(), s[colon + 1..].to_owned()))
}

/// Whether one URL is allowed on `element`'s `attribute`.
pub fn url_ok(element: &str, attribute: &str, value: &str) -> bool {
    match normalized_scheme(value) {
        None => true,
        Some((scheme, rest)) => match scheme.as_str() {
            "http" | "https" | "mailto" => true,
            "data" if element == "img" && attribute == "src" => {
                let mime = rest.split([';', ',']).next().unwrap_or("");
                let mime = mime.trim().to_ascii_lowercase();
                matches!(
                    mime.strip_prefix("image/"),
                    Some("png" | "jpeg" | "gif" | "webp" | "avif")
                )
            }
            _ => false,
        },
    }
}

/// Parse `html` as a body fragment with html5ever into `markup5ever_rcdom`;
/// the fragment root (`html` element) and its document.
pub fn parse_body(html: &str) -> (RcDom, Handle) {
    let dom = parse_fragment(
        RcDom::default(),
        Default::default(),
        QualName::new(None, ns!(html), LocalName::from("body")),
        vec![],
        true,
    )
    .one(html);
    let root = dom.document.children.borrow()[0].clone();
    (dom, root)
}

/// Serialize the children of a fragment root.
pub fn serialize_children(root: &Handle) -> String {
    let mut out = Vec::new();
    let handle: SerializableHandle = root.clone().into();
    let opts = SerializeOpts {
        traversal_scope: TraversalScope::ChildrenOnly(None),
        ..Default::default()
    };
    html5ever::serialize(&mut out, &handle, opts).expect("writing to a Vec");
    String::from_utf8_lossy(&out).into_owned()
}

/// Walk the tree (iteratively, template contents included): every element
/// with its depth below the root.
fn elements(root: &Handle) -> Vec<(Handle, usize)> {
    let mut out = Vec::new();
    let mut stack: Vec<(Handle, usize)> = root
        .children
        .borrow()
        .iter()
        .map(|c| (c.clone(), 1))
        .collect();
    while let Some((node, depth)) = stack.pop() {
        if let NodeData::Element {
            template_contents, ..
        } = &node.data
        {
            if let Some(t) = template_contents.borrow().as_ref() {
                stack.extend(t.children.borrow().iter().map(|c| (c.clone(), depth + 1)));
            }
            stack.extend(
                node.children
                    .borrow()
                    .iter()
                    .map(|c| (c.clone(), depth + 1)),
            );
            out.push((node.clone(), depth));
        }
    }
    out
}

fn fail(id: &'static str, detail: String) -> Result<(), Violation> {
    Err(Violation::new(id, detail))
}

/// Oracle (a): the deny tables on an independent body-context parse of
/// `output`.
pub fn judge_tree(level: Level, output: &str) -> Result<(), Violation> {
    let (_dom, root) = parse_body(output);
    for (node, depth) in elements(&root) {
        let NodeData::Element { name, attrs, .. } = &node.data else {
            continue;
        };
        let local: &str = &name.local;
        if depth > MAX_DEPTH {
            return fail(
                BOUNDED,
                format!("element <{local}> at depth {depth} > {MAX_DEPTH}"),
            );
        }
        if level == Level::Text {
            return fail(
                TEXT_ONLY,
                format!("element <{local}> in a text-level output"),
            );
        }
        if name.ns != ns!(html) {
            return fail(ELEMENTS, format!("foreign element <{local}> ({})", name.ns));
        }
        if DENIED_ELEMENTS.contains(&local.to_string().to_ascii_lowercase().as_str()) {
            return fail(ELEMENTS, format!("denied element <{local}>"));
        }
        let attrs = attrs.borrow();
        let mut has_href = false;
        let mut rel_ok = false;
        for a in attrs.iter() {
            let an: String = a.name.local.to_string().to_ascii_lowercase();
            let value: &str = &a.value;
            if an.starts_with("on") {
                return fail(HANDLERS, format!("<{local} {an}={value:?}>"));
            }
            if an == "style" {
                return fail(STYLE, format!("<{local} style={value:?}>"));
            }
            if DENIED_ATTRIBUTES.contains(&an.as_str()) {
                return fail(ATTRIBUTES, format!("<{local} {an}={value:?}>"));
            }
            if URL_ATTRIBUTES.contains(&an.as_str()) {
                let urls: Vec<&str> = match an.as_str() {
                    "srcset" | "imagesrcset" => value
                        .split(',')
                        .filter_map(|c| c.split_whitespace().next())
                        .collect(),
                    "ping" | "archive" => value.split_whitespace().collect(),
                    _ => vec![value],
                };
                for u in urls {
                    if !url_ok(local, &an, u) {
                        return fail(URLS, format!("<{local} {an}={value:?}>"));
                    }
                }
            }
            if (an == "id" || an == "name") && !value.starts_with(ID_PREFIX) {
                return fail(CLOBBER, format!("<{local} {an}={value:?}>"));
            }
            if an == "href" {
                has_href = true;
            }
            if an == "rel" {
                let tokens: Vec<String> = value
                    .split_ascii_whitespace()
                    .map(str::to_ascii_lowercase)
                    .collect();
                rel_ok = tokens.iter().any(|t| t == "noopener")
                    && tokens.iter().any(|t| t == "noreferrer");
            }
        }
        if local == "a" && has_href && !rel_ok {
            return fail(
                REL,
                format!("<a> with href but no rel=\"noopener noreferrer\": {attrs:?}"),
            );
        }
    }
    Ok(())
}

/// Oracle (c): the output parsed in body context serializes back to
/// itself.
pub fn judge_stable(output: &str) -> Result<(), Violation> {
    let (_dom, root) = parse_body(output);
    let again = serialize_children(&root);
    if again != output {
        return fail(
            STABLE,
            format!("re-parse mutates the output:\n  output   {output:?}\n  reparsed {again:?}"),
        );
    }
    Ok(())
}

/// Sanitize, turning a panic into a `canvas.no_panic` violation.
pub fn sanitize_guarded(
    sanitizer: &Sanitizer,
    payload: &[u8],
) -> Result<Result<String, CanvasError>, Violation> {
    catch_unwind(AssertUnwindSafe(|| sanitizer.sanitize_bytes(payload))).map_err(|p| {
        let msg = p
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| p.downcast_ref::<&str>().map(|s| (*s).to_owned()))
            .unwrap_or_default();
        Violation::new(NO_PANIC, format!("sanitizer panicked: {msg}"))
    })
}

/// Every in-process oracle on one sanitizer result: bounds, (a) the deny
/// tables, (b) idempotence, (c) mutation stability.
pub fn judge(
    sanitizer: &Sanitizer,
    payload: &[u8],
    result: &Result<String, CanvasError>,
) -> Result<(), Violation> {
    let output = match result {
        Err(CanvasError::TooLarge { .. }) if payload.len() > MAX_INPUT_LEN => return Ok(()),
        Err(e @ CanvasError::TooLarge { .. }) => {
            return fail(
                BOUNDED,
                format!("{e}, but the input has {} bytes", payload.len()),
            )
        }
        Err(_) => return Ok(()),
        Ok(_) if payload.len() > MAX_INPUT_LEN => {
            return fail(
                BOUNDED,
                format!("an input of {} bytes was accepted", payload.len()),
            )
        }
        Ok(output) => output,
    };
    judge_tree(sanitizer.level(), output)?;
    match sanitizer.sanitize(output) {
        Ok(again) if &again == output => {}
        Ok(again) => {
            return fail(
                IDEMPOTENT,
                format!("sanitizing the output changes it:\n  once  {output:?}\n  twice {again:?}"),
            )
        }
        Err(e) => return fail(IDEMPOTENT, format!("the output itself is refused: {e}")),
    }
    judge_stable(output)
}

/// The visible structure of a document, parsed in body context: element
/// names in document order (with depth) and the concatenated text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Structure {
    /// `(depth, local name)` of every element, in document order.
    pub elements: Vec<(usize, String)>,
    /// Every text node, concatenated in document order.
    pub text: String,
}

/// The [`Structure`] of `html`.
pub fn structure(html: &str) -> Structure {
    let (_dom, root) = parse_body(html);
    let mut elements = Vec::new();
    let mut text = String::new();
    let mut stack: Vec<(Handle, usize)> = root
        .children
        .borrow()
        .iter()
        .rev()
        .map(|c| (c.clone(), 1))
        .collect();
    while let Some((node, depth)) = stack.pop() {
        match &node.data {
            NodeData::Element { name, .. } => {
                elements.push((depth, name.local.to_string()));
                stack.extend(
                    node.children
                        .borrow()
                        .iter()
                        .rev()
                        .map(|c| (c.clone(), depth + 1)),
                );
            }
            NodeData::Text { contents } => text.push_str(&contents.borrow()),
            _ => {}
        }
    }
    Structure { elements, text }
}

/// The preservation oracle: the output of a benign document has the
/// document's visible text and element structure.
pub fn judge_preserved(input: &str, result: &Result<String, CanvasError>) -> Result<(), Violation> {
    let output = match result {
        Ok(o) => o,
        Err(e) => return fail(PRESERVED, format!("a benign document was refused: {e}")),
    };
    let (before, after) = (structure(input), structure(output));
    if before.text != after.text {
        return fail(
            PRESERVED,
            format!(
                "visible text changed:\n  before {:?}\n  after  {:?}",
                before.text, after.text
            ),
        );
    }
    if before.elements != after.elements {
        let at = before
            .elements
            .iter()
            .zip(&after.elements)
            .position(|(a, b)| a != b)
            .unwrap_or(before.elements.len().min(after.elements.len()));
        return fail(
            PRESERVED,
            format!(
                "element structure changed at element {at}: before {:?}, after {:?}",
                before.elements.get(at),
                after.elements.get(at)
            ),
        );
    }
    Ok(())
}
