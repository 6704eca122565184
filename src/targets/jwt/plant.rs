//! The JWT target's planted vulnerabilities ([`crate::plant`]): realistic
//! verifier mistakes, each at the place it would go, compiled in only with
//! the `plant` feature. The test suite must kill every one
//! (`tests/plants.rs`).
//!
//! The ids only: this module imports nothing, so the code that consults a
//! plant never depends on the oracles; the table with each plant's
//! invariant and description is `PLANTS` in the target's `mod.rs`.

/// `alg: none` read as "nothing to verify": an unsigned token passes.
pub const NONE_UNVERIFIED: &str = "jwt.none-unverified";
/// `kid` matched by prefix: `hs256-0x` selects `hs256-0`.
pub const KID_PREFIX: &str = "jwt.kid-prefix";
/// Expiry checked with `<=`: a token is still valid at `now == exp`.
pub const EXP_INCLUSIVE: &str = "jwt.exp-inclusive";
/// `jku` missing from the embedded-key parameters.
pub const JKU_ALLOWED: &str = "jwt.jku-allowed";
/// `crit` checked for shape only, not for being understood.
pub const CRIT_UNDERSTOOD: &str = "jwt.crit-not-understood";
/// Claims parsed with a last-member-wins parser (the strict one for the
/// header only).
pub const CLAIMS_DUPLICATES: &str = "jwt.claims-duplicates";
/// Base64url decoded with optional padding.
pub const PADDING: &str = "jwt.padding";
/// Audience compared by prefix (`secfuzz-api-evil` passes for `secfuzz-api`).
pub const AUD_PREFIX: &str = "jwt.aud-prefix";
/// Dates given as numeric strings (`"exp": "1700000600"`) are read as numbers.
pub const DATE_STRINGS: &str = "jwt.date-strings";
/// The header's `alg` compared with the key's by family only (an RS256 key
/// verifies a token that says RS384 or PS256).
pub const ALG_FAMILY: &str = "jwt.alg-family";
/// The RSA signature range check is left to the backend (`s + n` twins pass
/// for PSS).
pub const RSA_RANGE: &str = "jwt.rsa-range";
