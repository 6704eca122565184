//! The redirect target's planted vulnerabilities ([`crate::plant`]):
//! realistic mistakes in the redirect guard
//! ([`RedirectPolicy`](crate::url::RedirectPolicy), in
//! `src/targets/url/redirect.rs`), each at the place it would go, compiled
//! in only with the `plant` feature. The test suite must kill every one
//! (`tests/plants.rs`).
//!
//! The ids only: this module imports nothing; the table with each plant's
//! invariant and description is `PLANTS` in the target's `mod.rs`.

/// Backslashes are not refused, so `/\evil.com` takes the path fast path
/// and the browser goes to `//evil.com`.
pub const BACKSLASH_TRUSTED: &str = "redirect.backslash-trusted";
/// Controls and whitespace are not refused, so `/\t/evil.com` takes the
/// path fast path.
pub const CONTROLS_ALLOWED: &str = "redirect.controls-allowed";
/// The path fast path tests for a leading `/` only, so `//evil.com` passes.
pub const SLASH_FAST_PATH: &str = "redirect.slash-fast-path";
/// Anything without `://` is taken for a path (`javascript:`, `data:`,
/// `https:/evil.com`).
pub const NO_SCHEME_FAST_PATH: &str = "redirect.no-scheme-fast-path";
/// Userinfo in the resolved location is kept.
pub const USERINFO_KEPT: &str = "redirect.userinfo-kept";
/// Origins are compared by host only (scheme and port ignored).
pub const ORIGIN_HOST_ONLY: &str = "redirect.origin-host-only";
/// The host is compared by prefix (`app.example.com.evil.net`).
pub const HOST_PREFIX: &str = "redirect.host-prefix";
/// The host is compared by plain suffix (`evilapp.example.com`).
pub const HOST_SUFFIX_PLAIN: &str = "redirect.host-suffix-plain";
