//! The jwks target's planted vulnerabilities ([`crate::plant`]): realistic
//! key-loader mistakes, each switched on in the JWT key loader
//! (`src/targets/jwt/keys.rs`) at the place it would go, compiled in only
//! with the `plant` feature. The test suite must kill every one
//! (`tests/plants.rs`).
//!
//! The ids only: this module imports nothing, so the code that consults a
//! plant never depends on the oracles; the table with each plant's
//! invariant and description is `PLANTS` in the target's `mod.rs`.

/// RSA minimum modulus size lowered to 1024 bits.
pub const RSA_1024: &str = "jwks.rsa-1024";
/// An even RSA public exponent accepted.
pub const EVEN_EXPONENT: &str = "jwks.even-exponent";
/// RSA exponent floor 3 instead of 65537.
pub const EXPONENT_FLOOR_3: &str = "jwks.exponent-floor-3";
/// EC points not checked to be on the curve.
pub const EC_OFF_CURVE: &str = "jwks.ec-off-curve";
/// HMAC minimum secret length halved.
pub const HMAC_HALF: &str = "jwks.hmac-half";
/// Duplicate `kid`: the last key wins.
pub const DUPLICATE_KID: &str = "jwks.duplicate-kid-last-wins";
/// `use: "enc"` accepted.
pub const USE_ENC: &str = "jwks.use-enc";
/// Asymmetric public and private keys mixed in one set accepted.
pub const MIXED_PUBLIC_PRIVATE: &str = "jwks.mixed-public-private";
/// Trial division for small RSA factors stopped at 100.
pub const SMALL_FACTOR_100: &str = "jwks.small-factor-100";
/// HMAC secrets accepted next to asymmetric keys.
pub const MIXED_SYMMETRIC: &str = "jwks.mixed-symmetric";
/// `key_ops` without `verify` accepted.
pub const KEY_OPS_NO_VERIFY: &str = "jwks.key-ops-without-verify";
