//! The sanitizer: one documented `ammonia` policy per [`Level`], plus the
//! URL, `data:` and id/name rules `ammonia` has no setting for (an
//! attribute filter), the size cap before parsing and the depth cap after.

use std::collections::{HashMap, HashSet};

use super::error::CanvasError;
use super::plant;
use super::{ID_PREFIX, MAX_DEPTH, MAX_INPUT_LEN};
use crate::engine::plant::active;

/// How much an agent is trusted: which policy its canvas goes through.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, arbitrary::Arbitrary)]
#[non_exhaustive]
pub enum Level {
    /// Plain text: every element removed (text kept, escaped; `script` and
    /// `style` content dropped).
    Text,
    /// Canvas markup: the allowlists of [`MARKUP_TAGS`] and
    /// [`MARKUP_TAG_ATTRIBUTES`], no scripts, no styles.
    #[default]
    Markup,
    /// Reserved for canvases that may run scripts (a later issue); until
    /// then exactly [`Level::Markup`].
    Interactive,
}

impl Level {
    /// Every level, in order of trust.
    pub const ALL: [Level; 3] = [Level::Text, Level::Markup, Level::Interactive];

    /// The level's option value (`text`, `markup`, `interactive`).
    pub fn name(self) -> &'static str {
        match self {
            Level::Text => "text",
            Level::Markup => "markup",
            Level::Interactive => "interactive",
        }
    }

    /// The level named `name` (as [`Level::name`] spells it).
    pub fn from_name(name: &str) -> Option<Level> {
        Level::ALL.into_iter().find(|l| l.name() == name)
    }
}

/// Elements allowed at [`Level::Markup`]: text structure, lists, tables,
/// figures, images, `details`/`summary`, and forms. No SVG or MathML (see
/// the module documentation), no embedding (`iframe`, `object`, `embed`),
/// no document-level elements (`base`, `meta`, `link`, `style`), no
/// raw-text or re-parsing elements (`noscript`, `template`, `xmp`, `title`).
pub const MARKUP_TAGS: &[&str] = &[
    "a",
    "abbr",
    "article",
    "aside",
    "b",
    "bdi",
    "bdo",
    "blockquote",
    "br",
    "caption",
    "cite",
    "code",
    "col",
    "colgroup",
    "data",
    "dd",
    "del",
    "details",
    "dfn",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "footer",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "i",
    "img",
    "ins",
    "kbd",
    "li",
    "mark",
    "meter",
    "ol",
    "p",
    "pre",
    "progress",
    "q",
    "rp",
    "rt",
    "ruby",
    "s",
    "samp",
    "section",
    "small",
    "span",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "time",
    "tr",
    "u",
    "ul",
    "var",
    "wbr",
    // forms
    "form",
    "fieldset",
    "legend",
    "label",
    "input",
    "select",
    "option",
    "optgroup",
    "textarea",
    "button",
    "output",
];

/// Attributes allowed on every element at [`Level::Markup`]. `id` and
/// `name` values are prefixed with [`ID_PREFIX`]; so are the id references
/// in `for`, `headers`, `aria-labelledby`, `aria-describedby`.
pub const MARKUP_GENERIC_ATTRIBUTES: &[&str] = &[
    "title",
    "lang",
    "dir",
    "class",
    "id",
    "role",
    "aria-label",
    "aria-labelledby",
    "aria-describedby",
    "aria-hidden",
];

/// Per-element attributes at [`Level::Markup`] (URL attributes are `a
/// href`, `img src` and `form action`; `type` and `method` are limited to
/// [`MARKUP_TAG_ATTRIBUTE_VALUES`]).
pub const MARKUP_TAG_ATTRIBUTES: &[(&str, &[&str])] = &[
    ("a", &["href", "hreflang"]),
    ("img", &["src", "alt", "width", "height"]),
    ("td", &["colspan", "rowspan", "headers", "align"]),
    (
        "th",
        &["colspan", "rowspan", "headers", "scope", "abbr", "align"],
    ),
    ("col", &["span"]),
    ("colgroup", &["span"]),
    ("ol", &["start", "reversed", "type"]),
    ("li", &["value"]),
    ("time", &["datetime"]),
    ("del", &["datetime"]),
    ("ins", &["datetime"]),
    ("details", &["open"]),
    ("data", &["value"]),
    ("meter", &["value", "min", "max", "low", "high", "optimum"]),
    ("progress", &["value", "max"]),
    ("form", &["action", "name", "autocomplete"]),
    (
        "input",
        &[
            "name",
            "value",
            "placeholder",
            "checked",
            "disabled",
            "readonly",
            "required",
            "min",
            "max",
            "step",
            "minlength",
            "maxlength",
            "pattern",
            "size",
            "multiple",
        ],
    ),
    ("label", &["for"]),
    (
        "select",
        &["name", "multiple", "required", "disabled", "size"],
    ),
    ("option", &["value", "selected", "disabled", "label"]),
    ("optgroup", &["label", "disabled"]),
    (
        "textarea",
        &[
            "name",
            "rows",
            "cols",
            "placeholder",
            "required",
            "disabled",
            "readonly",
            "maxlength",
            "wrap",
        ],
    ),
    ("button", &["name", "value", "disabled"]),
    ("fieldset", &["name", "disabled"]),
    ("output", &["for", "name"]),
];

/// Attributes allowed only with one of a few values (compared
/// case-insensitively by ammonia): input types without `image`, `file` or
/// `password`; button types; form methods `get`/`post`.
pub const MARKUP_TAG_ATTRIBUTE_VALUES: &[(&str, &str, &[&str])] = &[
    (
        "input",
        "type",
        &[
            "text",
            "search",
            "email",
            "url",
            "tel",
            "number",
            "range",
            "date",
            "time",
            "datetime-local",
            "month",
            "week",
            "color",
            "checkbox",
            "radio",
            "submit",
            "reset",
            "button",
            "hidden",
        ],
    ),
    ("button", "type", &["submit", "reset", "button"]),
    ("form", "method", &["get", "post"]),
];

/// URL schemes allowed in URL attributes (after browser-style
/// normalization: leading/trailing C0 controls and spaces stripped, tab, CR
/// and LF removed, ASCII case folded). URLs without a scheme (relative) are
/// kept as written.
pub const URL_SCHEMES: &[&str] = &["http", "https", "mailto"];

/// `data:` MIME types allowed on `img src` (raster images only: no
/// `image/svg+xml`).
pub const DATA_IMAGE_TYPES: &[&str] = &[
    "image/png",
    "image/jpeg",
    "image/gif",
    "image/webp",
    "image/avif",
];

/// Attributes whose value is a URL (for the filter; ammonia's own check
/// covers `href`, `src`, `action`, `formaction`, `data`, `ping`, `poster`).
const URL_ATTRIBUTES: &[&str] = &[
    "href",
    "src",
    "action",
    "formaction",
    "xlink:href",
    "poster",
    "background",
    "data",
    "cite",
    "ping",
    "longdesc",
];

/// Attributes holding whitespace-separated id references.
const ID_REFERENCE_ATTRIBUTES: &[&str] = &["for", "headers", "aria-labelledby", "aria-describedby"];

/// Inline elements the [`plant::TEXT_KEEPS_INLINE`] mistake keeps at the
/// `Text` level.
const PLANTED_TEXT_INLINE: &[&str] = &["b", "i", "em", "strong", "a"];

/// How many cleaning passes may change the text before a document is
/// refused as [`CanvasError::Unstable`].
pub const MAX_PASSES: usize = 4;

/// A configured canvas sanitizer (one `ammonia::Builder`).
#[derive(Debug)]
pub struct Sanitizer {
    level: Level,
    builder: ammonia::Builder<'static>,
}

impl Sanitizer {
    /// The sanitizer for `level`.
    pub fn new(level: Level) -> Sanitizer {
        Sanitizer {
            level,
            builder: builder(level),
        }
    }

    /// Its level.
    pub fn level(&self) -> Level {
        self.level
    }

    /// Sanitize one canvas document (an HTML body fragment): the size cap,
    /// the level's ammonia policy (repeated on its own output until that is
    /// a fixpoint, at most [`MAX_PASSES`] times), then the depth cap on the
    /// result.
    pub fn sanitize(&self, html: &str) -> Result<String, CanvasError> {
        if html.len() > MAX_INPUT_LEN {
            return Err(CanvasError::TooLarge {
                len: html.len(),
                max: MAX_INPUT_LEN,
            });
        }
        let mut out = self.builder.clean(html).to_string();
        // html5ever can build trees that do not survive serialization (a
        // `form` foster-parented into a `p`, …): a browser parsing the text
        // would build another tree than the one cleaned. Clean the text
        // again until it is a fixpoint, so what is returned is exactly what
        // a parser rebuilds.
        let mut passes = 1;
        while out.contains('<') && !active(plant::SINGLE_PASS) {
            let again = self.builder.clean(&out).to_string();
            if again == out {
                break;
            }
            passes += 1;
            if passes > MAX_PASSES {
                return Err(CanvasError::Unstable { passes });
            }
            out = again;
        }
        if !active(plant::DEPTH_CAP_OFF) {
            let depth = serialized_depth(&out, MAX_DEPTH + 1);
            if depth > MAX_DEPTH {
                return Err(CanvasError::TooDeep {
                    depth,
                    max: MAX_DEPTH,
                });
            }
        }
        Ok(out)
    }

    /// [`Sanitizer::sanitize`] on raw bytes, which must be UTF-8 (the size
    /// cap is checked first).
    pub fn sanitize_bytes(&self, bytes: &[u8]) -> Result<String, CanvasError> {
        if bytes.len() > MAX_INPUT_LEN {
            return Err(CanvasError::TooLarge {
                len: bytes.len(),
                max: MAX_INPUT_LEN,
            });
        }
        let text = std::str::from_utf8(bytes).map_err(|e| CanvasError::NotUtf8 {
            valid_up_to: e.valid_up_to(),
        })?;
        self.sanitize(text)
    }
}

/// The ammonia policy of `level`.
fn builder(level: Level) -> ammonia::Builder<'static> {
    let mut b = ammonia::Builder::empty();
    b.clean_content_tags(["script", "style"].into_iter().collect())
        .strip_comments(true)
        .url_relative(ammonia::UrlRelative::PassThrough)
        .link_rel(None);
    match level {
        Level::Text => {
            if active(plant::TEXT_KEEPS_INLINE) {
                b.tags(PLANTED_TEXT_INLINE.iter().copied().collect())
                    .url_schemes(URL_SCHEMES.iter().copied().collect())
                    .add_tag_attributes("a", ["href"].iter());
            }
            b
        }
        Level::Markup | Level::Interactive => {
            markup(&mut b);
            b
        }
    }
}

fn markup(b: &mut ammonia::Builder<'static>) {
    let mut tags: HashSet<&str> = MARKUP_TAGS.iter().copied().collect();
    let mut tag_attributes: HashMap<&str, HashSet<&str>> = MARKUP_TAG_ATTRIBUTES
        .iter()
        .map(|(t, a)| (*t, a.iter().copied().collect()))
        .collect();
    let mut generic: HashSet<&str> = MARKUP_GENERIC_ATTRIBUTES.iter().copied().collect();
    if active(plant::IFRAME_ALLOWED) {
        tags.insert("iframe");
        tag_attributes.insert("iframe", ["src", "width", "height"].into());
    }
    if active(plant::NOSCRIPT_ALLOWED) {
        tags.insert("noscript");
    }
    if active(plant::IMG_ONERROR) {
        tag_attributes.entry("img").or_default().insert("onerror");
    }
    if active(plant::STYLE_KEPT) {
        generic.insert("style");
    }
    let mut values: HashMap<&str, HashMap<&str, HashSet<&str>>> = HashMap::new();
    for (tag, attr, allowed) in MARKUP_TAG_ATTRIBUTE_VALUES {
        values
            .entry(tag)
            .or_default()
            .insert(attr, allowed.iter().copied().collect());
    }
    // `data` is in ammonia's scheme set so that `img src=data:` reaches the
    // attribute filter, which refuses it everywhere else.
    let mut schemes: HashSet<&str> = URL_SCHEMES.iter().copied().collect();
    schemes.insert("data");
    b.tags(tags)
        .generic_attributes(generic)
        .tag_attributes(tag_attributes)
        .tag_attribute_values(values)
        .url_schemes(schemes)
        .link_rel(if active(plant::NO_LINK_REL) {
            None
        } else {
            Some("noopener noreferrer")
        })
        .id_prefix(if active(plant::ID_UNPREFIXED) {
            None
        } else {
            Some(ID_PREFIX)
        })
        .attribute_filter(filter_attribute);
}

/// The attribute filter: URL attributes re-checked after browser-style
/// normalization (`data:` only for raster images on `img src`), `name` and
/// id references prefixed.
fn filter_attribute<'u>(
    element: &str,
    attribute: &str,
    value: &'u str,
) -> Option<std::borrow::Cow<'u, str>> {
    use std::borrow::Cow;
    if URL_ATTRIBUTES.contains(&attribute) {
        return url_allowed(element, attribute, value).then_some(Cow::Borrowed(value));
    }
    if attribute == "name" && !active(plant::NAME_UNPREFIXED) {
        return Some(prefixed(value));
    }
    if ID_REFERENCE_ATTRIBUTES.contains(&attribute) {
        let refs: Vec<Cow<str>> = value.split_ascii_whitespace().map(prefixed).collect();
        return Some(Cow::Owned(refs.join(" ")));
    }
    Some(Cow::Borrowed(value))
}

fn prefixed(value: &str) -> std::borrow::Cow<'_, str> {
    if value.starts_with(ID_PREFIX) {
        std::borrow::Cow::Borrowed(value)
    } else {
        std::borrow::Cow::Owned(format!("{ID_PREFIX}{value}"))
    }
}

/// Browser-style URL normalization as far as the scheme goes: strip leading
/// and trailing C0 controls and spaces, remove tab, CR and LF anywhere; the
/// scheme (ASCII-lowercased) if the text starts with one.
pub(super) fn url_scheme(value: &str) -> (Option<String>, String) {
    let trimmed = value.trim_matches(|c: char| c <= ' ');
    let cleaned: String = trimmed
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let scheme = cleaned.split_once(':').and_then(|(s, _)| {
        let mut chars = s.chars();
        let first = chars.next()?;
        (first.is_ascii_alphabetic()
            && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')))
        .then(|| s.to_ascii_lowercase())
    });
    (scheme, cleaned)
}

fn url_allowed(element: &str, attribute: &str, value: &str) -> bool {
    let (scheme, cleaned) = url_scheme(value);
    let Some(scheme) = scheme else {
        return true;
    };
    if URL_SCHEMES.contains(&scheme.as_str()) {
        return true;
    }
    if scheme != "data" {
        return false;
    }
    let on_img_src = element == "img" && attribute == "src";
    if !on_img_src && !active(plant::DATA_ANY_ATTRIBUTE) {
        return false;
    }
    let rest = &cleaned[5..];
    let mime = rest
        .split([',', ';'])
        .next()
        .unwrap_or("")
        .trim_matches(|c: char| c.is_ascii_whitespace())
        .to_ascii_lowercase();
    if active(plant::DATA_IMAGE_PREFIX) {
        return mime.starts_with("image/");
    }
    DATA_IMAGE_TYPES.contains(&mime.as_str())
}

/// Element nesting depth of html5ever-serialized HTML (as ammonia writes
/// it: attribute values double-quoted, `<` escaped in text), counting stops
/// at `limit`.
fn serialized_depth(html: &str, limit: usize) -> usize {
    const VOID: &[&str] = &[
        "area", "base", "basefont", "bgsound", "br", "col", "embed", "frame", "hr", "img", "input",
        "keygen", "link", "meta", "param", "source", "track", "wbr",
    ];
    const RAW: &[&str] = &[
        "script",
        "style",
        "xmp",
        "iframe",
        "noembed",
        "noframes",
        "noscript",
        "plaintext",
    ];
    let bytes = html.as_bytes();
    let (mut depth, mut max, mut i) = (0usize, 0usize, 0usize);
    while i < bytes.len() {
        if bytes[i] != b'<' {
            i += 1;
            continue;
        }
        if bytes[i..].starts_with(b"<!--") {
            i = html[i..].find("-->").map_or(bytes.len(), |e| i + e + 3);
            continue;
        }
        if bytes.get(i + 1) == Some(&b'/') {
            depth = depth.saturating_sub(1);
            i = html[i..].find('>').map_or(bytes.len(), |e| i + e + 1);
            continue;
        }
        let start = i + 1;
        let mut j = start;
        while j < bytes.len() && !matches!(bytes[j], b' ' | b'>' | b'/') {
            j += 1;
        }
        let name = html[start..j].to_ascii_lowercase();
        let mut quoted = false;
        while j < bytes.len() && (quoted || bytes[j] != b'>') {
            if bytes[j] == b'"' {
                quoted = !quoted;
            }
            j += 1;
        }
        i = j + 1;
        if !VOID.contains(&name.as_str()) {
            depth += 1;
            max = max.max(depth);
            if max >= limit {
                return max;
            }
            if RAW.contains(&name.as_str()) {
                let close = format!("</{name}");
                i = html[i.min(bytes.len())..]
                    .to_ascii_lowercase()
                    .find(&close)
                    .map_or(bytes.len(), |e| i + e);
            }
        }
    }
    max
}
