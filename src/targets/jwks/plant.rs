//! The jwks target's planted vulnerabilities ([`crate::plant`]): realistic
//! key-loader mistakes, each switched on in the JWT key loader
//! (`src/targets/jwt/keys.rs`) at the place it would go, compiled in only
//! with the `plant` feature. The test suite must kill every one
//! (`tests/plants.rs`).

use crate::engine::plant::Plant;

use super::oracle;

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

/// Every jwks plant.
pub const PLANTS: &[Plant] = &[
    Plant {
        id: RSA_1024,
        breaks: oracle::RSA,
        description: "RSA minimum modulus size lowered to 1024 bits",
    },
    Plant {
        id: EVEN_EXPONENT,
        breaks: oracle::RSA,
        description: "even RSA public exponent accepted",
    },
    Plant {
        id: EXPONENT_FLOOR_3,
        breaks: oracle::RSA,
        description: "RSA exponent floor 3 instead of 65537",
    },
    Plant {
        id: EC_OFF_CURVE,
        breaks: oracle::POINT,
        description: "EC public point not checked to be on the curve",
    },
    Plant {
        id: HMAC_HALF,
        breaks: oracle::HMAC_LENGTH,
        description: "HMAC minimum secret length halved",
    },
    Plant {
        id: DUPLICATE_KID,
        breaks: oracle::UNIQUE_KID,
        description: "duplicate kid: the last key under it wins",
    },
    Plant {
        id: USE_ENC,
        breaks: oracle::BOUND,
        description: "use \"enc\" accepted like \"sig\"",
    },
    Plant {
        id: MIXED_PUBLIC_PRIVATE,
        breaks: oracle::PRIVATE,
        description: "asymmetric public and private keys accepted in one set",
    },
    Plant {
        id: SMALL_FACTOR_100,
        breaks: oracle::RSA,
        description: "trial division for small RSA factors stopped at 100",
    },
    Plant {
        id: MIXED_SYMMETRIC,
        breaks: oracle::SYMMETRIC_APART,
        description: "HMAC secrets accepted next to asymmetric keys",
    },
    Plant {
        id: KEY_OPS_NO_VERIFY,
        breaks: oracle::BOUND,
        description: "key_ops without verify accepted",
    },
];
