//! The canvas target's planted vulnerabilities ([`crate::plant`]):
//! realistic policy mistakes, each switched on in the sanitizer
//! (`policy.rs`) at the place it would go, compiled in only with the `plant`
//! feature. The test suite must kill every one (`tests/plants.rs`).
//!
//! The ids only: the table with each plant's invariant and description is
//! `PLANTS` in the target's `mod.rs`.

/// `data:` URLs accepted on every URL attribute, not only `img src`.
pub const DATA_ANY_ATTRIBUTE: &str = "canvas.data-any-attribute";
/// The raster-image check on `data:` URLs is `starts_with("image/")`, so
/// `image/svg+xml` passes.
pub const DATA_IMAGE_PREFIX: &str = "canvas.data-image-prefix";
/// `rel="noopener noreferrer"` not set on links.
pub const NO_LINK_REL: &str = "canvas.no-link-rel";
/// `id` values kept as written (no `user-content-` prefix).
pub const ID_UNPREFIXED: &str = "canvas.id-unprefixed";
/// `name` values kept as written (no `user-content-` prefix).
pub const NAME_UNPREFIXED: &str = "canvas.name-unprefixed";
/// `style` allowed on every element "for chart colours".
pub const STYLE_KEPT: &str = "canvas.style-kept";
/// `iframe` with `src` allowed "for embedded charts".
pub const IFRAME_ALLOWED: &str = "canvas.iframe-allowed";
/// `onerror` kept on `img` "for a broken-image fallback".
pub const IMG_ONERROR: &str = "canvas.img-onerror";
/// The nesting-depth cap not enforced.
pub const DEPTH_CAP_OFF: &str = "canvas.depth-cap-off";
/// `noscript` allowed "for fallback text".
pub const NOSCRIPT_ALLOWED: &str = "canvas.noscript-allowed";
/// The `Text` level keeps inline emphasis and links (`b`, `i`, `em`,
/// `strong`, `a`) "so plain answers keep their formatting".
pub const TEXT_KEEPS_INLINE: &str = "canvas.text-keeps-inline";
/// One cleaning pass trusted to give a stable serialization.
pub const SINGLE_PASS: &str = "canvas.single-pass";
